"""What an export's leads add up to, lead by lead: the counts behind a report's figures.

A lead whose data contradict themselves (a time after the report's date, a first
attempt before its handoff, handed off a second time), or whose row the reader found
wrong (:data:`sla_docs.reports.crm.ROW_PROBLEMS`), is listed as a data-quality
problem and counted nowhere else; an assignment time that contradicts the lead's other
times is listed too, and only that time is set aside (:data:`KEPT_IN`). The leads are
read once, as they come: a million rows need a few numbers per lead in memory, not the
rows.

A large export is read in two parts at once, by this process and a second one, and
their tallies merged. Only "handed off twice" looks back across rows: whether the
second part's first handoff of an id is its second one depends on the first part.
So the second process first collects the ids the first part hands off at all (a
quick pass that parses no times), holds back the leads with those ids instead of
counting them, and this process counts them after its own part, in file order, as
a single reader would have. The figures are the same as one reader's, to the digit.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import MAX_PREC, Context, Decimal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

from sla_docs.message_ids import N_
from sla_docs.reports.crm import ROW_PROBLEMS, Lead, read_later_leads, read_leads
from sla_docs.reports.exports import (
    NoSecondProcess,
    check_text,
    in_two_processes,
    send_outcome,
)
from sla_docs.targets.calendar import WorkingHours

PROBLEMS = (N_("first attempt before handoff"), N_("handed off twice"),
            N_("time after the report date"), *ROW_PROBLEMS,
            N_("assignment before the handoff (its time not used)"),
            N_("assignment after the first attempt (its time not used)"))
"""The data-quality problems: what its times say, then what is wrong in its row
(:data:`sla_docs.reports.crm.ROW_PROBLEMS`), which leave a lead out of the figures;
then what its assignment time contradicts (:data:`KEPT_IN`)."""
KEPT_IN = frozenset(PROBLEMS[7:])
"""The problems that leave a lead in the figures, counted without its assignment time,
from its handoff: HubSpot keeps a contact's latest assignment only, so a lead handed
from one rep to another after its first call says it was assigned after that call,
and Marketing's count must not lose it for that."""
SPLIT_FROM = 8 << 20
"""Exports smaller than this (bytes, some 70,000 leads) are read by one process: a
second one would cost more to start than it saves."""
EXACT = Context(prec=MAX_PREC)
"""Sums of money that never round, so that they do not depend on the order of adding
(two parts add theirs separately)."""
FIRST_SHARE = 0.55
"""The first part's share of the bytes: over half, since the second process also
skims the first part for its ids (and to find where its own records begin)."""


class SpeedSplit(NamedTuple):
    """Speed split at the assignment: the routing delay apart from the rep's response,
    each in working seconds (the agreement's calendar, as the speed is counted)."""

    routing: float
    """From the handoff to the assignment."""
    response: float | None
    """From the assignment to the first attempt; None when there is none yet."""


def speed_split(hours: WorkingHours, handed_off_at: float, assigned_at: float,
                first_attempt_at: float | None, start_day: dt.date | None = None) -> SpeedSplit:
    """The routing delay and the rep's response of one lead, in working time. For a lead
    not attempted yet, pass the moment asked about as ``first_attempt_at`` to have how
    long its rep has had it. ``start_day``: :meth:`WorkingHours.day_of` the handoff,
    when the caller knows it. Check :func:`assignment_problem` first: an assignment
    outside the handoff and the first attempt counts as zero here, never below."""
    routing = hours.seconds_between(handed_off_at, assigned_at, start_day)
    response = None if first_attempt_at is None else \
        hours.seconds_between(assigned_at, first_attempt_at)
    return SpeedSplit(routing, response)


def assignment_problem(lead: Lead) -> str | None:
    """What a lead's assignment time contradicts (one of :data:`PROBLEMS`): an
    assignment before its handoff, or after its first attempt; None when it fits."""
    assigned = lead.assigned_at
    if assigned is None:
        return None
    if lead.handed_off_at is not None and assigned < lead.handed_off_at:
        return PROBLEMS[7]
    if lead.first_attempt_at is not None and assigned > lead.first_attempt_at:
        return PROBLEMS[8]
    return None


@dataclass
class RepRow:
    """One rep's follow-up in the period."""

    owner: str
    """The rep."""
    leads: int = 0
    """Leads handed to them."""
    within_limit: int = 0
    """Reached for the first time within the agreed working time (counted as
    :attr:`speed_hours` is)."""
    late: int = 0
    """First attempt after the limit, or none yet and the limit passed."""
    speed_hours: list[float] = field(default_factory=list)
    """Working hours to each first attempt: from the assignment when the export says
    when it was (the rep's response), else from the handoff."""
    unconnected: int = 0
    """Their leads not reached yet."""
    unconnected_attempts: int = 0
    """The attempts made on those."""

    def absorb(self, other: RepRow) -> None:
        """Add ``other``'s counts (the same rep, counted in another part) to these."""
        self.leads += other.leads
        self.within_limit += other.within_limit
        self.late += other.late
        self.speed_hours.extend(other.speed_hours)
        self.unconnected += other.unconnected
        self.unconnected_attempts += other.unconnected_attempts


class Tally:
    """The counts of one period, as of one moment, lead by lead."""

    def __init__(self, hours: WorkingHours, month: dt.date, as_of: dt.datetime,
                 limit: dt.timedelta, *, keep_ids: bool = False) -> None:
        self.hours, self.month, self.as_of = hours, month, as_of
        # the moment and the limit as numbers: they are compared a million times
        self.now, self.limit_seconds = as_of.timestamp(), hours.working_seconds(limit)
        self.per_day: Counter[dt.date] = Counter()
        self.delivered = self.recycled = self.customers = 0
        self.revenue = self.marketing_revenue = self.total_revenue = Decimal(0)
        self.speeds = array("d")
        self.routing = array("d")  # working hours from handoff to assignment
        self.response = array("d")  # and from assignment to first attempt
        self.within = self.late = 0
        self.unconnected = self.unconnected_attempts = 0
        self.reps: dict[str, RepRow] = {}
        self.handed: set[str] = set()
        self.problems: dict[str, list[tuple[str, int]]] = {problem: [] for problem in PROBLEMS}
        self.keep_ids = keep_ids
        self.delivered_ids: set[str] = set()  # only with a deals export, to link its deals
        self.marketing_ids: set[str] = set()
        self.suspects: set[str] = set()  # ids an earlier part hands off: see the module
        self.held_back: list[Lead] = []

    def add(self, lead: Lead) -> None:
        """Count one lead, or list its problem."""
        problem = lead.problem or self._problem(lead)
        if problem:
            self.problems[problem].append((lead.lead_id, lead.row))
            return
        if lead.handed_off_at is not None and lead.lead_id in self.suspects:
            self.handed.add(lead.lead_id)  # handed off here either way
            self.held_back.append(lead)
            return
        self._revenue(lead)
        if lead.handed_off_at is None:
            return
        self.handed.add(lead.lead_id)  # any handoff, any month: a second one is suspect
        day = self.hours.day_of(lead.handed_off_at)
        if self.keep_ids and lead.marketing:
            self.marketing_ids.add(lead.lead_id)
        if not lead.marketing or (day.year, day.month) != (self.month.year, self.month.month):
            return
        if self.keep_ids:
            self.delivered_ids.add(lead.lead_id)
        self.delivered += 1
        self.per_day[day] += 1
        self.recycled += lead.stage == "recycled"
        self._follow_up(lead, day)

    def _problem(self, lead: Lead) -> str | None:
        now, handed, first, won = self.now, lead.handed_off_at, lead.first_attempt_at, \
            lead.customer_at
        # an empty cell is no time at all, not 1970's first second: a report of 1969 is
        # taken at a moment before it
        if lead.created_at > now or (handed is not None and handed > now) or (
                first is not None and first > now) or (won is not None and won > now):
            return PROBLEMS[2]
        if lead.handed_off_at is not None and lead.first_attempt_at is not None and \
                lead.first_attempt_at < lead.handed_off_at:
            return PROBLEMS[0]
        if lead.handed_off_at is not None and lead.lead_id in self.handed:
            return PROBLEMS[1]
        return None

    def in_period(self, moment: float) -> bool:
        """Whether ``moment`` falls in the period's month, in the calendar's zone."""
        day = self.hours.day_of(moment)
        return (day.year, day.month) == (self.month.year, self.month.month)

    def _revenue(self, lead: Lead) -> None:
        if lead.customer_at is None or not self.in_period(lead.customer_at):
            return
        amount = lead.deal_amount or Decimal(0)
        self.total_revenue = EXACT.add(self.total_revenue, amount)
        if lead.marketing:
            self.marketing_revenue = EXACT.add(self.marketing_revenue, amount)
            if lead.handed_off_at is not None and self.in_period(lead.handed_off_at):
                self.customers += 1
                self.revenue = EXACT.add(self.revenue, amount)

    def _follow_up(self, lead: Lead, day: dt.date) -> None:
        """Count the follow-up of a lead handed over on ``day``."""
        assert lead.handed_off_at is not None
        on_time: bool | None
        owner = lead.owner or "—"
        rep = self.reps.get(owner)
        if rep is None:
            rep = self.reps[owner] = RepRow(owner)
        rep.leads += 1
        handed, assigned = lead.handed_off_at, lead.assigned_at
        hours, limit = self.hours, self.limit_seconds
        split = None
        if assigned is not None and assigned > self.now:  # not assigned yet at the moment
            assigned = None
        if assigned is not None:  # most exports have none: no call per lead for them
            slip = assignment_problem(lead)
            if slip is not None:  # listed, and counted from the handoff (see KEPT_IN)
                self.problems[slip].append((lead.lead_id, lead.row))
                lead.assigned_at = assigned = None
            else:
                split = speed_split(hours, handed, assigned, lead.first_attempt_at, day)
                self.routing.append(split.routing / 3600)
        if lead.first_attempt_at is not None:
            took = hours.seconds_between(handed, lead.first_attempt_at, day)
            self.speeds.append(took / 3600)
            on_time = took <= limit
            if split is not None and split.response is not None:
                self.response.append(split.response / 3600)
                took = split.response  # the rep answers for the time since they had it
            rep.speed_hours.append(took / 3600)
            rep_on_time: bool | None = took <= limit
        else:  # not reached yet: late only once the limit has passed
            on_time = None if hours.seconds_between(handed, self.now, day) <= limit \
                else False
            rep_on_time = on_time if assigned is None else None if \
                hours.seconds_between(assigned, self.now) <= limit else False
        if on_time is not None:
            self.within += on_time
            self.late += not on_time
        if rep_on_time is not None:
            rep.within_limit += rep_on_time
            rep.late += not rep_on_time
        if not lead.connected:
            self.unconnected += 1
            self.unconnected_attempts += lead.attempts
            rep.unconnected += 1
            rep.unconnected_attempts += lead.attempts

    def merge(self, later: Tally) -> None:
        """Fold in the tally of the part that follows this one's in the file."""
        for lead in later.held_back:  # decided now that this part's handoffs are known
            self.add(lead)
        self.per_day.update(later.per_day)
        self.delivered += later.delivered
        self.recycled += later.recycled
        self.customers += later.customers
        self.revenue = EXACT.add(self.revenue, later.revenue)
        self.marketing_revenue = EXACT.add(self.marketing_revenue, later.marketing_revenue)
        self.total_revenue = EXACT.add(self.total_revenue, later.total_revenue)
        self.speeds.extend(later.speeds)
        self.routing.extend(later.routing)
        self.response.extend(later.response)
        self.within, self.late = self.within + later.within, self.late + later.late
        self.unconnected += later.unconnected
        self.unconnected_attempts += later.unconnected_attempts
        for owner, row in later.reps.items():
            self.reps.setdefault(owner, RepRow(owner)).absorb(row)
        self.handed |= later.handed
        for problem, leads in later.problems.items():
            self.problems[problem] = sorted(self.problems[problem] + leads,
                                            key=lambda found: found[1])
        self.delivered_ids |= later.delivered_ids
        self.marketing_ids |= later.marketing_ids


def tally_export(tally: Tally, path: Path, columns: Mapping[str, str], time_zone: str, *,
                 jobs: int = 1, share: float = FIRST_SHARE) -> Tally:
    """``tally`` with every lead of the export at ``path`` added, in two processes when
    ``jobs`` allows and the file is at least :data:`SPLIT_FROM` bytes; the first part
    is about ``share`` of them."""
    two = jobs > 1 and path.stat().st_size >= SPLIT_FROM
    last_line = check_text(path, share if two else 0.0)
    if two:
        try:
            later = in_two_processes(
                path, lambda: _add(tally, read_leads(path, columns, time_zone,
                                                     until_line=last_line)),
                _second_part, (tally, path, dict(columns), time_zone, last_line),
                "; run again with --jobs 1")
        except NoSecondProcess:
            pass  # no second process to be had: this one reads it all
        else:
            tally.merge(later)
            return tally
    _add(tally, read_leads(path, columns, time_zone))
    return tally


def _add(tally: Tally, leads: Iterable[Lead]) -> None:
    add = tally.add
    for lead in leads:
        add(lead)


def _second_part(tally: Tally, path: Path, columns: dict[str, str], time_zone: str,
                 after_line: int, sender: Connection) -> None:
    """The second process: the tally of the records after ``after_line``, sent back
    through ``sender``."""

    def work() -> Tally:
        tally.suspects, leads = read_later_leads(path, columns, time_zone, after_line)
        _add(tally, leads)
        tally.suspects, tally.handed = set(), set()  # no part follows: no one needs them
        return tally

    send_outcome(sender, work)

"""``sla alerts``: which leads are late, or about to be, per rep, from the agreement's
own promises and working calendar.

Four rules, each in working time on the agreement's calendar (days, hours, holidays,
zone; :class:`sla_docs.targets.calendar.WorkingHours`, the clock ``sla report`` judges
speed by), for a Marketing lead handed off by the moment of the digest and still open
(not a customer, not recycled, not reached: ``connected``):

- *overdue*: no attempt yet, and more working time since the handoff than
  ``first_contact_within``;
- *at risk*: no attempt yet, not overdue, and due within ``--warn-within``;
- *behind on depth*: attempted, not connected, and fewer attempts than the schedule
  promises by now (:func:`attempt_schedule`);
- *due back to Marketing*: attempted, not connected, and the recycling condition met
  (``after_attempts`` attempts, or ``after_days`` working days since the handoff); such
  a lead is past its follow-up, so it is not also listed as behind.

A day in the agreement's durations is one working day (:meth:`WorkingHours.working_seconds`).
The export is streamed: only the alert lines are kept, never the leads.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from zoneinfo import ZoneInfo

from sla_docs.model.agreement import Agreement
from sla_docs.reports.crm import Lead
from sla_docs.targets.calendar import ONE_DAY, WorkingHours

KINDS = ("overdue", "at_risk", "behind", "due_back")
"""The four kinds of alert, in the order a digest lists them."""
ROUTING_LATE = "late_when_assigned"
"""What :meth:`Digest.count` counts the leads under that were past the first-contact
limit before their rep was assigned."""
CLOSED = frozenset({"customer", "recycled"})
"""Stages after which a lead is no longer Sales' to follow up."""


@dataclass(slots=True)
class Alert:
    """One alert line: a lead, what is late, and by how much."""

    kind: str
    """One of :data:`KINDS`."""
    lead_id: str
    """The CRM's id of the lead, as the export writes it."""
    owner: str
    """The rep who owns it ('' when the export names none)."""
    row: int
    """The line its record starts on in the export."""
    handed_off_at: float
    """When it was handed off (POSIX timestamp)."""
    due_at: float
    """When what is late was (or is) due, in working time from the handoff."""
    late: float
    """Working seconds past ``due_at`` (at risk: below zero, the time still left)."""
    attempts: int
    """Attempts made so far."""
    attempts_due: int
    """Attempts the schedule promises by now."""
    text: str = ""
    """The line as the text digest prints it, once written (by the process that judged
    the lead, so that two processes share the writing too)."""
    routing: float | None = None
    """For a lead not attempted yet whose export says when it was assigned to its rep:
    working seconds from the handoff to the assignment (the routing delay, not the
    rep's doing); None otherwise."""
    late_when_assigned: bool = False
    """Whether the first-contact limit had passed before the rep was even assigned."""


Groups = dict[str, dict[str, list[Alert]]]
"""Alert lines by rep, then by kind (every kind of :data:`KINDS`, in that order), each
kind's lines the latest first and, among equally late ones, in file order."""


@dataclass
class Digest:
    """Every alert of one export as of one moment, and what was left out.

    Lines are judged into :attr:`judged`, then :meth:`arrange` files them by rep and
    kind into :attr:`by_rep`; a digest read in two parts arranges each part where it was
    read (in parallel) and :meth:`merge` puts the later part's into place."""

    agreement: str
    """The agreement's id."""
    as_of: dt.datetime
    """The moment judged, in the agreement's zone."""
    first_contact_within: dt.timedelta
    """The agreed limit to the first attempt."""
    warn_within: dt.timedelta
    """How far ahead a lead counts as at risk."""
    judged: list[Alert] = field(default_factory=list)
    """The alert lines judged and not yet arranged, in file order."""
    by_rep: Groups = field(default_factory=dict)
    """The arranged alert lines (:data:`Groups`)."""
    left_out: list[tuple[str, int]] = field(default_factory=list)
    """Leads whose row the reader found flawed, or whose times contradict themselves
    or the moment judged (id and line): judged by no rule, as ``sla report`` leaves
    them out of its figures."""

    @property
    def zone(self) -> ZoneInfo:
        """The agreement's time zone, which every time of the digest is written in."""
        assert isinstance(self.as_of.tzinfo, ZoneInfo)  # the command converts to it
        return self.as_of.tzinfo

    @property
    def overdue(self) -> bool:
        """Whether any lead is overdue (the command then exits 3)."""
        return self.count("overdue") > 0

    @property
    def alerts(self) -> list[Alert]:
        """Every alert line, in the digest's order (:meth:`by_owner`)."""
        return [alert for _, alerts in self.by_owner() for alert in alerts]

    def arrange(self) -> None:
        """File the judged lines into :attr:`by_rep` (the first lines arranged, or the
        only ones; a later part's go through :meth:`merge`)."""
        late = attrgetter("late")
        for alert in self.judged:
            kinds = self.by_rep.get(alert.owner)
            if kinds is None:
                kinds = self.by_rep[alert.owner] = {kind: [] for kind in KINDS}
            kinds[alert.kind].append(alert)
        self.judged = []
        for kinds in self.by_rep.values():
            for lines in kinds.values():
                lines.sort(key=late, reverse=True)  # stable: equally late stay in file order

    def merge(self, later: Groups) -> None:
        """Put the arranged lines of the export's later part (every one of them after
        this digest's in the file) into place: two sorted runs, which a sort merges."""
        late = attrgetter("late")
        for owner, kinds in later.items():
            mine = self.by_rep.setdefault(owner, {kind: [] for kind in KINDS})
            for kind, lines in kinds.items():
                mine[kind].extend(lines)
                mine[kind].sort(key=late, reverse=True)

    def count(self, kind: str, owner: str | None = None) -> int:
        """How many alerts of ``kind`` (of :data:`KINDS`, or :data:`ROUTING_LATE`), of
        ``owner``'s when given."""
        if self.judged:
            self.arrange()
        reps = [self.by_rep.get(owner, {})] if owner is not None else self.by_rep.values()
        if kind == ROUTING_LATE:  # overdue before the rep had the lead: routing's doing
            return sum(sum(map(attrgetter("late_when_assigned"), kinds.get("overdue", ())))
                       for kinds in reps)
        return sum(len(kinds.get(kind, ())) for kinds in reps)

    def by_owner(self) -> list[tuple[str, list[Alert]]]:
        """The alerts grouped by rep: the rep with the most overdue lead first (then
        by overdue count, then name), each rep's lines by kind, the latest first."""
        return [(owner, [alert for kind in KINDS for alert in kinds[kind]])
                for owner, kinds in self.reps()]

    def reps(self) -> list[tuple[str, dict[str, list[Alert]]]]:
        """Each rep's lines by kind (:data:`Groups`), the reps in :meth:`by_owner`'s
        order."""
        if self.judged:
            self.arrange()

        def urgency(item: tuple[str, dict[str, list[Alert]]]) -> tuple[float, int, str]:
            overdue = item[1]["overdue"]
            return (-overdue[0].late if overdue else 1.0, -len(overdue), item[0])

        return sorted(self.by_rep.items(), key=urgency)


@dataclass(frozen=True)
class Rules:
    """The agreement's promises as working seconds from the handoff."""

    first_contact: float
    """``first_contact_within``."""
    warn: float
    """``--warn-within``."""
    schedule: tuple[float, ...]
    """When each promised attempt falls due (:func:`attempt_schedule`)."""
    recycle_attempts: int
    """Attempts without a connection after which a lead goes back."""
    recycle_after: float | None
    """Working time without a connection after which it goes back (None: no such rule)."""


def attempt_schedule(agreement: Agreement, hours: WorkingHours) -> tuple[float, ...]:
    """When attempt k falls due, in working seconds from the handoff, k = 1 … attempts.

    The first at ``first_contact_within``; the others spread over ``over_days`` working
    days, attempt k (from 2) at the end of working day ⌈(k−1) × over_days ÷
    (attempts−1)⌉, but never sooner than ``interval`` after the one before it could
    have been made (first contact + (k−1) × interval)."""
    follow_up = agreement.follow_up
    first = hours.working_seconds(follow_up.first_contact_within)
    day = hours.working_seconds(ONE_DAY)
    gap = hours.working_seconds(follow_up.interval) if follow_up.interval else 0.0
    later = follow_up.attempts - 1
    return (first, *(max(-(-k * follow_up.over_days // later) * day, first + k * gap)
                     for k in range(1, later + 1)))


def rules(agreement: Agreement, hours: WorkingHours, warn_within: dt.timedelta) -> Rules:
    """The agreement's promises as :class:`Rules` on its calendar."""
    recycle = agreement.handoff.recycle
    return Rules(hours.working_seconds(agreement.follow_up.first_contact_within),
                 hours.working_seconds(warn_within), attempt_schedule(agreement, hours),
                 recycle.after_attempts or agreement.follow_up.attempts,
                 hours.working_seconds(dt.timedelta(days=recycle.after_days))
                 if recycle.after_days else None)


class Elapsed:
    """Working time from an instant to the digest's moment, for a million instants.

    :meth:`WorkingHours.seconds_between` walks every day between its two instants; here
    each instant asks it only for its own day's part, and the working time from the
    next midnight to the moment is kept per day, each day's made from the day after's
    (so an export spread over a century costs one walk over the century, not one per
    day of it)."""

    def __init__(self, hours: WorkingHours, now: float) -> None:
        self.hours, self.now, self.today = hours, now, hours.day_of(now)
        self._from_day: dict[dt.date, tuple[float | None, float]] = {}

    def since(self, start: float) -> float:
        """Working seconds from ``start`` (not after the moment) to the moment."""
        hours = self.hours
        day = hours.day_of(start)
        if day == self.today:
            return hours.seconds_between(start, self.now, day)
        known = self._from_day.get(day)
        if known is None:
            known = self._day(day)
        close, rest = known
        return rest if close is None else rest + hours.seconds_between(start, close, day)

    def _day(self, day: dt.date) -> tuple[float | None, float]:
        """When ``day``'s working hours close (None: a day off), and the working time
        from the next midnight to the moment; kept, with every day's up to the first
        one already known."""
        hours, waiting = self.hours, []
        while day not in self._from_day and day < self.today:
            waiting.append(day)
            day += ONE_DAY
        rest = self._from_day[day][1] if day in self._from_day else 0.0
        following = day
        for earlier in reversed(waiting):  # from the latest: each adds the day after it
            start = self._midnight(following)
            rest += hours.seconds_between(start, min(self._midnight(following + ONE_DAY),
                                                     self.now), following)
            window = hours.window(earlier)
            self._from_day[earlier] = (None if window is None else window[1], rest)
            following = earlier
        return self._from_day[waiting[0]]

    def _midnight(self, day: dt.date) -> float:
        return dt.datetime.combine(day, dt.time(0), self.hours.zone).timestamp()


def judge(digest: Digest, leads: Iterable[Lead], hours: WorkingHours, found: Rules) -> None:
    """Add to ``digest`` the alert lines of ``leads``, keeping nothing else."""
    now = digest.as_of.timestamp()
    elapsed, schedule, alerts = Elapsed(hours, now).since, found.schedule, digest.judged
    limit, warn, back = found.first_contact, found.warn, found.recycle_after  # a million times
    for lead in leads:
        handed, first, won = lead.handed_off_at, lead.first_attempt_at, lead.customer_at
        if lead.problem:  # a misshapen row: nothing in it can be trusted, not even its handoff
            digest.left_out.append((lead.lead_id, lead.row))
            continue
        if handed is None or lead.connected or not lead.marketing or lead.stage in CLOSED \
                or (won is not None and won <= now):
            continue  # nothing to chase: reached, Sales' own, or closed
        if handed > now or lead.created_at > now or (won is not None and won > now) or \
                (first is not None and (first < handed or first > now)):
            digest.left_out.append((lead.lead_id, lead.row))  # as the report leaves it out
            continue
        spent = elapsed(handed)
        if first is None:
            left = limit - spent
            if left < 0 or left < warn or (warn and left == warn):  # 0m: nothing ahead
                alerts.append(Alert("overdue" if left < 0 else "at_risk", lead.lead_id,
                                    lead.owner, lead.row, handed, limit, -left, 0, 1))
                if lead.assigned_at is not None:  # most exports have none
                    _routed(alerts[-1], lead.assigned_at, spent, limit, elapsed, now)
            continue
        owed = bisect_left(schedule, spent)
        if lead.attempts >= found.recycle_attempts or (back is not None and spent > back):
            due = back if back is not None and spent > back else spent
            alerts.append(Alert("due_back", lead.lead_id, lead.owner, lead.row, handed,
                                due, spent - due, lead.attempts, owed))
        elif lead.attempts < owed:  # a lead due back is past its follow-up, not behind it
            due = schedule[lead.attempts]
            alerts.append(Alert("behind", lead.lead_id, lead.owner, lead.row, handed, due,
                                spent - due, lead.attempts, owed))


def _routed(alert: Alert, assigned: float, spent: float, limit: float,
            elapsed: Callable[[float], float], now: float) -> None:
    """Split an unattempted lead's wait at its assignment (as ``sla report`` does,
    :func:`sla_docs.reports.tally.speed_split`): the routing delay is set on ``alert``
    when the assignment falls between the handoff and the moment; an assignment outside
    them says nothing (``sla report`` lists it under data quality)."""
    if assigned > now or assigned < alert.handed_off_at:
        return
    alert.routing = spent - elapsed(assigned)
    alert.late_when_assigned = alert.routing > limit


def due_instants(digest: Digest, hours: WorkingHours) -> None:
    """Turn each alert's ``due_at`` from working seconds after its handoff into the
    instant it falls due (done for the alert lines only, never for every lead). A lead
    due back for its attempts is due now (when the last attempt was made, the export
    does not say)."""
    now, ahead = digest.as_of.timestamp(), _Ahead(hours)
    for alert in digest.judged:
        if alert.kind == "due_back" and alert.late == 0:
            alert.due_at = now
        else:
            alert.due_at = ahead.deadline(alert.handed_off_at, alert.due_at)


class _Ahead:
    """:meth:`WorkingHours.deadline` for many handoffs, most of them sharing their day
    and the time allowed: what is left after the handoff's own day is walked once per
    day and span, from the next midnight, and the handoff's own part taken off the end
    when that stays inside the last working window (else it is walked in full)."""

    def __init__(self, hours: WorkingHours) -> None:
        self.hours = hours
        self._from_midnight: dict[tuple[dt.date, float], tuple[float, float]] = {}

    def deadline(self, start: float, seconds: float) -> float:
        """The same instant as ``WorkingHours.deadline(start, seconds)``."""
        hours = self.hours
        day = hours.day_of(start)
        window = hours.window(day)
        own = 0.0 if window is None else hours.seconds_between(start, window[1], day)
        if seconds <= own:
            return hours.deadline(start, seconds)
        known = self._from_midnight.get((day, seconds))
        if known is None:
            known = self._from_midnight[day, seconds] = self._whole(day, seconds)
        whole, opened = known
        if whole - own > opened:  # strictly: at the opening, the same working time was
            return whole - own  # reached at the last closing
        return hours.deadline(start, seconds)

    def _whole(self, day: dt.date, seconds: float) -> tuple[float, float]:
        """When ``seconds`` of working time from the midnight after ``day`` run out, and
        when that day's working hours opened."""
        hours = self.hours
        midnight = dt.datetime.combine(day + ONE_DAY, dt.time(0), hours.zone).timestamp()
        whole = hours.deadline(midnight, seconds)
        window = hours.window(hours.day_of(whole))
        assert window is not None  # a deadline of some working time falls in working hours
        return whole, window[0]


def local(stamp: float, zone: ZoneInfo) -> dt.datetime:
    """A POSIX timestamp as a time in the agreement's zone."""
    return dt.datetime.fromtimestamp(stamp, zone)

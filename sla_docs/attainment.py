"""Is each team keeping the agreement this period? Pure computation over a lead export.

Marketing's side: leads handed over each working day, cumulative, against the goal
line the targets draw; attainment to date; a straight-line forecast to the period's
end. Sales' side: speed (working time from handoff to first attempt: median, 90th
percentile, share within the agreed limit, a lead still waiting past the limit
counting as late), depth (attempts made on leads not yet reached, against the agreed
number), a table per rep, and the leads sent back to nurturing. Then the month's
actuals recalculate the rates and the targets they imply (:mod:`sla_docs.actuals`).

A lead whose data contradict themselves (a first attempt before its handoff, handed
off a second time, a time after the report's date) is counted in the data-quality
list and left out of every figure. The leads are read once, as they come: a million
rows need a few numbers per lead in memory, not the rows.
"""

from __future__ import annotations

import datetime as dt
import statistics
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from sla_docs.actuals import Recalculation, recalculate
from sla_docs.crm import MARKETING, Deal, Lead
from sla_docs.model import Agreement
from sla_docs.model.actuals import Actuals
from sla_docs.targets import GoalDay, compute_targets
from sla_docs.worktime import WorkingHours

PROBLEMS = ("first attempt before handoff", "handed off twice", "time after the report date")


@dataclass
class RepRow:
    """One rep's follow-up in the period."""

    owner: str
    """The rep."""
    leads: int = 0
    """Leads handed to them."""
    within_limit: int = 0
    """Reached for the first time within the agreed working time."""
    late: int = 0
    """First attempt after the limit, or none yet and the limit passed."""
    speed_hours: list[float] = field(default_factory=list)
    """Working hours to each first attempt."""
    unconnected: int = 0
    """Their leads not reached yet."""
    unconnected_attempts: int = 0
    """The attempts made on those."""


@dataclass(frozen=True)
class DayRow:
    """One day of the pace chart."""

    day: dt.date
    """The day."""
    delivered: int
    """Leads handed over that day."""
    cumulative: int
    """Handed over since the period began."""
    goal: int | None
    """Where the goal line stands at the end of the day (None on a day off)."""


@dataclass(frozen=True)
class Attainment:
    """The figures of one period, as of one moment."""

    month: dt.date
    """The first day of the period."""
    as_of: dt.datetime
    """The moment the figures are taken at."""
    days: tuple[DayRow, ...]
    """Each day of the period up to the report's date."""
    leads_delivered: int
    """Marketing leads handed over in the period so far."""
    leads_target: int
    """Marketing's target for the whole period."""
    goal_to_date: int
    """Where the goal line stands on the report's date."""
    forecast: int
    """Leads by the period's end if the pace so far holds."""
    speed: tuple[float | None, float | None, Decimal | None]
    """Working hours to first attempt: median, 90th percentile; share within the limit."""
    limit: dt.timedelta
    """The agreed time to first contact."""
    attempts_unconnected: Decimal | None
    """Average attempts made on leads not yet reached."""
    agreed_attempts: int
    """The attempts Sales promised per lead."""
    reps: tuple[RepRow, ...]
    """Per rep, by name."""
    recycled: int
    """Leads sent back to nurturing."""
    problems: dict[str, list[tuple[str, int]]]
    """For each data-quality problem, the leads left out for it: id and row."""
    recalculation: Recalculation | None
    """The rates the period shows and the targets they imply (None: nothing to observe)."""

    @property
    def attainment(self) -> Decimal:
        """Leads delivered against the goal line to date (1 = on the line)."""
        if not self.goal_to_date:
            return Decimal(0)
        return (Decimal(self.leads_delivered) / self.goal_to_date).quantize(Decimal("0.0001"))


def attainment(leads: Iterable[Lead], agreement: Agreement, month: dt.date,
               as_of: dt.datetime, deals: Iterable[Deal] | None = None) -> Attainment:
    """The period's figures from ``leads``, the agreement's targets and calendar.

    With ``deals`` (a deals export), the revenue comes from the deals won in the
    period rather than from the leads' own ``deal_amount``.
    """
    hours = WorkingHours(agreement.inputs.calendar)
    targets = compute_targets(agreement.inputs, agreement.follow_up, month=month,
                              handoff_at=agreement.handoff.at)
    tally = _Tally(hours, month, as_of, agreement.follow_up.first_contact_within,
                   keep_ids=deals is not None)
    for lead in leads:
        tally.add(lead)
    if deals is not None:
        tally.take_deals(deals)
    top = targets.figures["leads_needed" if "leads_needed" in targets.figures else "leads"]
    assert isinstance(top.value, int)  # a count
    goal = {g.day: g for g in targets.goal_line}
    days = tally.days(goal)
    to_date = next((d.goal for d in reversed(days) if d.goal is not None), 0) or 0
    worked = sum(1 for d in days if d.goal is not None)
    forecast = (tally.delivered * len(goal) // worked) if worked else 0
    return Attainment(
        month, as_of, days, tally.delivered, top.value, to_date,
        forecast, tally.speed(), agreement.follow_up.first_contact_within,
        tally.depth(), agreement.follow_up.attempts,
        tuple(sorted(tally.reps.values(), key=lambda r: r.owner)), tally.recycled,
        tally.problems, _recalculation(tally, agreement, month))


class _Tally:
    """What the leads add up to, lead by lead."""

    def __init__(self, hours: WorkingHours, month: dt.date, as_of: dt.datetime,
                 limit: dt.timedelta, *, keep_ids: bool = False) -> None:
        self.hours, self.month = hours, month
        self.now, self.limit_seconds = as_of.timestamp(), limit.total_seconds()
        self.per_day: Counter[dt.date] = Counter()
        self.delivered = self.recycled = self.customers = 0
        self.revenue = self.marketing_revenue = self.total_revenue = Decimal(0)
        self.speeds = array("d")
        self.within = self.late = 0
        self.unconnected = self.unconnected_attempts = 0
        self.reps: dict[str, RepRow] = {}
        self.handed: set[str] = set()
        self.problems: dict[str, list[tuple[str, int]]] = {problem: [] for problem in PROBLEMS}
        self.keep_ids = keep_ids
        self.delivered_ids: set[str] = set()  # only with a deals export, to link its deals
        self.marketing_ids: set[str] = set()

    def add(self, lead: Lead) -> None:
        problem = self._problem(lead)
        if problem:
            self.problems[problem].append((lead.lead_id, lead.row))
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
        self._follow_up(lead)

    def _problem(self, lead: Lead) -> str | None:
        now = self.now
        if lead.created_at > now or (lead.handed_off_at or 0) > now or (
                lead.first_attempt_at or 0) > now or (lead.customer_at or 0) > now:
            return PROBLEMS[2]
        if lead.handed_off_at is not None and lead.first_attempt_at is not None and \
                lead.first_attempt_at < lead.handed_off_at:
            return PROBLEMS[0]
        if lead.handed_off_at is not None and lead.lead_id in self.handed:
            return PROBLEMS[1]
        return None

    def _in_period(self, moment: float) -> bool:
        day = self.hours.day_of(moment)
        return (day.year, day.month) == (self.month.year, self.month.month)

    def _revenue(self, lead: Lead) -> None:
        if lead.customer_at is None or not self._in_period(lead.customer_at):
            return
        amount = lead.deal_amount or Decimal(0)
        self.total_revenue += amount
        if lead.marketing:
            self.marketing_revenue += amount
            if lead.handed_off_at is not None and self._in_period(lead.handed_off_at):
                self.customers += 1
                self.revenue += amount

    def take_deals(self, deals: Iterable[Deal]) -> None:
        """The period's revenue from a deals export, instead of the leads' amounts."""
        self.customers, self.revenue = 0, Decimal(0)
        self.marketing_revenue = self.total_revenue = Decimal(0)
        won: set[str] = set()
        for deal in deals:
            if deal.closed_at > self.now or not self._in_period(deal.closed_at):
                continue
            self.total_revenue += deal.amount
            if deal.source in MARKETING or deal.lead_id in self.marketing_ids:
                self.marketing_revenue += deal.amount
            if deal.lead_id in self.delivered_ids:
                self.revenue += deal.amount
                if deal.lead_id not in won:
                    won.add(deal.lead_id)
                    self.customers += 1

    def _follow_up(self, lead: Lead) -> None:
        assert lead.handed_off_at is not None
        on_time: bool | None
        rep = self.reps.setdefault(lead.owner or "—", RepRow(lead.owner or "—"))
        rep.leads += 1
        handed = lead.handed_off_at
        if lead.first_attempt_at is not None:
            took = self.hours.seconds_between(handed, lead.first_attempt_at)
            self.speeds.append(took / 3600)
            rep.speed_hours.append(took / 3600)
            on_time = took <= self.limit_seconds
        else:  # not reached yet: late only once the limit has passed
            on_time = None if self.hours.seconds_between(handed, self.now) <= \
                self.limit_seconds else False
        if on_time is not None:
            self.within += on_time
            self.late += not on_time
            rep.within_limit += on_time
            rep.late += not on_time
        if not lead.connected:
            self.unconnected += 1
            self.unconnected_attempts += lead.attempts
            rep.unconnected += 1
            rep.unconnected_attempts += lead.attempts

    def days(self, goal: dict[dt.date, GoalDay]) -> tuple[DayRow, ...]:
        rows, total, day = [], 0, self.month
        last = min(self.hours.day_of(self.now), month_end(self.month))
        while day <= last:
            total += self.per_day[day]
            rows.append(DayRow(day, self.per_day[day], total,
                               goal[day].leads if day in goal else None))
            day += dt.timedelta(days=1)
        return tuple(rows)

    def speed(self) -> tuple[float | None, float | None, Decimal | None]:
        if not self.speeds:
            median = p90 = None
        else:
            median = round(statistics.median(self.speeds), 2)
            p90 = round(statistics.quantiles(self.speeds, n=10, method="inclusive")[8], 2) \
                if len(self.speeds) > 1 else median
        judged = self.within + self.late
        share = (Decimal(self.within) / judged).quantize(Decimal("0.0001"), ROUND_HALF_EVEN) \
            if judged else None
        return median, p90, share

    def depth(self) -> Decimal | None:
        if not self.unconnected:
            return None
        return (Decimal(self.unconnected_attempts) / self.unconnected).quantize(Decimal("0.01"))


def month_end(month: dt.date) -> dt.date:
    """The last day of ``month``'s month."""
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _recalculation(tally: _Tally, agreement: Agreement, month: dt.date) -> Recalculation | None:
    if not tally.delivered:
        return None
    actuals = Actuals(month=f"{month:%Y-%m}", marketing_leads=tally.delivered,
                      marketing_customers=tally.customers,
                      marketing_customer_revenue=tally.revenue,
                      marketing_revenue=tally.marketing_revenue,
                      total_revenue=tally.total_revenue)
    return recalculate(agreement.inputs, agreement.follow_up, actuals,
                       month=_next_month(month), handoff_at=agreement.handoff.at)


def _next_month(month: dt.date) -> dt.date:
    return month_end(month) + dt.timedelta(days=1)

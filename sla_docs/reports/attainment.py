"""Is each team keeping the agreement this period? Pure computation over a lead export.

Marketing's side: leads handed over each working day, cumulative, against the goal
line the targets draw; attainment to date; a straight-line forecast to the period's
end. Sales' side: speed (working time from handoff to first attempt: median, 90th
percentile, share within the agreed limit, a lead still waiting past the limit
counting as late; when the export says when each lead was assigned, split into the
routing delay, handoff to assignment, and the rep's response, assignment to first
attempt, which the reps' table counts), depth (attempts made on leads not yet reached,
against the agreed number), a table per rep, and the leads sent back to nurturing. Then the month's
actuals recalculate the rates and the targets they imply (:mod:`sla_docs.targets.recalculation`).

The leads are counted by :mod:`sla_docs.reports.tally`; this turns the counts into figures.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from sla_docs.model.actuals import Actuals
from sla_docs.model.agreement import Agreement
from sla_docs.reports.crm import MARKETING
from sla_docs.reports.deals import Deal
from sla_docs.reports.tally import EXACT, KEPT_IN, RepRow, Tally
from sla_docs.targets.calendar import WorkingHours, month_end, next_month
from sla_docs.targets.compute import compute_targets
from sla_docs.targets.figures import GoalDay
from sla_docs.targets.recalculation import Recalculation, recalculate


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
    routing: tuple[float | None, float | None] | None = None
    """Working hours from handoff to assignment: median, 90th percentile (None: the
    export says of no lead when it was assigned)."""
    response: tuple[float | None, float | None] | None = None
    """Working hours from assignment to first attempt: median, 90th percentile (None as
    for :attr:`routing`); the reps' table and chart count from the assignment then."""
    routed: int = 0
    """The leads :attr:`routing` is taken over (those with an assignment time)."""
    responded: int = 0
    """The leads :attr:`response` is taken over (attempted after their assignment)."""

    @property
    def rows_left_out(self) -> int:
        """The leads left out of the figures for a data-quality problem, all problems
        (not those counted without their assignment time: :data:`KEPT_IN`)."""
        return sum(len(leads) for problem, leads in self.problems.items()
                   if problem not in KEPT_IN)

    @property
    def attainment(self) -> Decimal:
        """Leads delivered against the goal line to date (1 = on the line)."""
        if not self.goal_to_date:
            return Decimal(0)
        return (Decimal(self.leads_delivered) / self.goal_to_date).quantize(Decimal("0.0001"))


def new_tally(agreement: Agreement, month: dt.date, as_of: dt.datetime, *,
              keep_ids: bool = False) -> Tally:
    """An empty tally for ``agreement``'s period ``month`` as of ``as_of``.

    ``keep_ids``: remember which leads were handed over, to link a deals export's deals.
    """
    return Tally(WorkingHours(agreement.inputs.calendar), month, as_of,
                 agreement.follow_up.first_contact_within, keep_ids=keep_ids)


def attainment(tally: Tally, agreement: Agreement) -> Attainment:
    """The period's figures from a tally of its leads, the agreement's targets and
    calendar."""
    month = tally.month
    targets = compute_targets(agreement.inputs, agreement.follow_up, month=month,
                              handoff_at=agreement.handoff.at)
    top = targets.figures["leads"]
    assert isinstance(top.value, int)  # a count
    goal = {g.day: g for g in targets.goal_line}
    days = _days(tally, goal)
    to_date = next((d.goal for d in reversed(days) if d.goal is not None), 0) or 0
    worked = sum(1 for d in days if d.goal is not None)
    forecast = (tally.delivered * len(goal) // worked) if worked else 0
    return Attainment(
        month, tally.as_of, days, tally.delivered, top.value, to_date,
        forecast, _speed(tally), agreement.follow_up.first_contact_within,
        _depth(tally), agreement.follow_up.attempts,
        tuple(sorted(tally.reps.values(), key=lambda r: r.owner)), tally.recycled,
        tally.problems, _recalculation(tally, agreement, month),
        _median_p90(tally.routing) if tally.routing else None,
        _median_p90(tally.response) if tally.routing else None,
        len(tally.routing), len(tally.response))


def take_deals(tally: Tally, deals: Iterable[Deal]) -> None:
    """The period's revenue from a deals export, instead of the leads' own amounts."""
    tally.customers, tally.revenue = 0, Decimal(0)
    tally.marketing_revenue = tally.total_revenue = Decimal(0)
    won: set[str] = set()
    for deal in deals:
        if deal.closed_at > tally.now or not tally.in_period(deal.closed_at):
            continue
        tally.total_revenue = EXACT.add(tally.total_revenue, deal.amount)
        if deal.source in MARKETING or deal.lead_id in tally.marketing_ids:
            tally.marketing_revenue = EXACT.add(tally.marketing_revenue, deal.amount)
        if deal.lead_id in tally.delivered_ids:
            tally.revenue = EXACT.add(tally.revenue, deal.amount)
            if deal.lead_id not in won:
                won.add(deal.lead_id)
                tally.customers += 1


def _days(tally: Tally, goal: dict[dt.date, GoalDay]) -> tuple[DayRow, ...]:
    rows, total, day = [], 0, tally.month
    last = min(tally.hours.day_of(tally.now), month_end(tally.month))
    while day <= last:
        total += tally.per_day[day]
        rows.append(DayRow(day, tally.per_day[day], total,
                           goal[day].leads if day in goal else None))
        day += dt.timedelta(days=1)
    return tuple(rows)


def _median_p90(hours: Iterable[float]) -> tuple[float | None, float | None]:
    """The median and the 90th percentile of working hours, to the hundredth."""
    ordered = sorted(hours)  # once: the median and quantiles find it sorted
    if not ordered:
        return None, None
    median = round(statistics.median(ordered), 2)
    p90 = round(statistics.quantiles(ordered, n=10, method="inclusive")[8], 2) \
        if len(ordered) > 1 else median
    return median, p90


def _speed(tally: Tally) -> tuple[float | None, float | None, Decimal | None]:
    median, p90 = _median_p90(tally.speeds)
    judged = tally.within + tally.late
    share = (Decimal(tally.within) / judged).quantize(Decimal("0.0001"), ROUND_HALF_EVEN) \
        if judged else None
    return median, p90, share


def _depth(tally: Tally) -> Decimal | None:
    if not tally.unconnected:
        return None
    return (Decimal(tally.unconnected_attempts) / tally.unconnected).quantize(Decimal("0.01"))


def _recalculation(tally: Tally, agreement: Agreement, month: dt.date) -> Recalculation | None:
    if not tally.delivered:
        return None
    actuals = Actuals(month=f"{month:%Y-%m}", marketing_leads=tally.delivered,
                      marketing_customers=tally.customers,
                      marketing_customer_revenue=tally.revenue,
                      marketing_revenue=tally.marketing_revenue,
                      total_revenue=tally.total_revenue)
    return recalculate(agreement.inputs, agreement.follow_up, actuals,
                       month=next_month(month), handoff_at=agreement.handoff.at)

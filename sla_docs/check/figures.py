"""The numbers hold together: the funnel gives the close rate, the reps have the hours,
and every goal that names a figure names one that exists, for the goal's period.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from decimal import Decimal

from sla_docs.check.facts import Facts, as_list
from sla_docs.errors import Diagnostic
from sla_docs.model.types import LARGEST_COUNT
from sla_docs.targets.compute import WORKING_DAY

FUNNEL_TOLERANCE = Decimal("0.0005")
"""How far the funnel's product may be from the close rate: 0.05 percentage points."""
_PERIOD_OF = {WORKING_DAY: "day"}


def funnel_gives_close_rate(facts: Facts) -> Iterator[Diagnostic]:
    """The funnel's stage rates multiply to the lead-to-customer rate.

    With a funnel, leads are counted back stage by stage (each count rounded up), so
    the stages decide the leads; the close rate must say the same thing, or the
    agreement would state two different conversion rates.
    """
    inputs = facts.inputs
    if inputs is None or inputs.funnel is None:
        return
    product = Decimal(1)
    for _, rate in inputs.funnel:
        product *= rate
    if abs(product - inputs.lead_to_customer_rate) > FUNNEL_TOLERANCE:
        yield facts.error(
            ("inputs", "funnel"), "SLA220",
            f"the funnel's stages multiply to {_percent(product)}, but "
            f"`lead_to_customer_rate` is {_percent(inputs.lead_to_customer_rate)}",
            hint=f"set `lead_to_customer_rate: {_percent(product)}`, or correct a stage",
            at_key=True)


def reps_have_the_hours(facts: Facts) -> Iterator[Diagnostic]:
    """Every attempt promised to every lead fits in the reps' selling hours."""
    targets = facts.targets
    if targets is None or "utilization" not in targets.figures:
        return
    utilization = targets["utilization"].value
    if isinstance(utilization, Decimal) and utilization > 1:
        needed, available = targets["hours_needed"].value, targets["hours_available"].value
        yield facts.error(
            ("inputs", "sales_team"), "SLA221",
            f"following up takes {_hours(needed)} hours a {targets.period}, "
            f"{_percent(utilization)} of the {_hours(available)} selling hours the reps have",
            hint="add reps or selling hours, shorten attempts, or promise fewer", at_key=True)


def sales_sourcing_counts(facts: Facts) -> Iterator[Diagnostic]:
    """Leads Sales finds itself count in the reps' workload, so without a sales team
    they change no figure (warning)."""
    targets, inputs = facts.targets, facts.inputs
    if targets is None or inputs is None or not inputs.sales_sourced_leads:
        return
    if "follow_up_attempts" not in targets.figures:
        yield facts.warning(
            ("inputs", "sales_sourced_leads"), "SLA302",
            f"Sales finds {inputs.sales_sourced_leads} leads itself, but with no "
            "`sales_team` they count in no figure (they only add to the reps' follow-up)",
            hint="add `inputs.sales_team` (reps, selling_hours_per_rep, minutes_per_attempt)")


def counts_in_range(facts: Facts) -> Iterator[Diagnostic]:
    """No count the inputs lead to is beyond :data:`LARGEST_COUNT` (a billion): such a
    target is a typing error in the inputs (a deal size of a cent, a rate of 0.01%)."""
    figure, figures = facts.excessive, facts.figures
    if figure is not None and figures is not None:
        yield facts.error(
            ("inputs",), "SLA231", f"the inputs ask for {figure.value:,} "
            f"{figure.name.replace('_', ' ')} a {figure.per or figures.period}: more than "
            f"{LARGEST_COUNT:,}", hint="check the quota, the deal size and the rates",
            at_key=True)


def goals_name_figures(facts: Facts) -> Iterator[Diagnostic]:
    """A goal whose target names a figure names one that exists, over the goal's period."""
    by_reference = ({f.reference: f for f in facts.figures.figures.values()}
                    if facts.figures else None)
    for index, goal in enumerate(as_list(facts.data.get("goals"))):
        target = goal.get("target") if isinstance(goal, dict) else None
        if not isinstance(target, str) or by_reference is None:
            continue
        path = ("goals", index, "target")
        figure = by_reference.get(target.strip())
        if figure is None:
            close = difflib.get_close_matches(target, list(by_reference), n=1, cutoff=0.6)
            yield facts.error(path, "SLA222", f"`{target}` is not a figure of this agreement",
                              hint=f"did you mean `{close[0]}`?" if close
                              else "`sla targets` lists them")
            continue
        span = _PERIOD_OF.get(figure.per or "", figure.per)
        if span and goal.get("period") and goal.get("period") != span:
            better = [r for r, f in by_reference.items()
                      if f.label.startswith(figure.label) and f.per == goal.get("period")]
            yield facts.error(
                path, "SLA223", f"`{target}` counts per {figure.per}, but the goal is per "
                f"{goal.get('period')}",
                hint=f"use `{better[0]}`" if better else "make the goal's period match")


def _percent(rate: Decimal) -> str:
    # format(), not quantize(): it rounds any magnitude, where quantize() stops at the
    # context's 28 digits
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _hours(hours: object) -> str:
    return f"{Decimal(str(hours)):.1f}"

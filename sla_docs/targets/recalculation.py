"""The monthly recalculation: what a month's actuals say the rates really are, and the
targets those rates imply.

Observed close rate = customers ÷ marketing leads; observed deal size = revenue from
those customers ÷ customers; observed marketing share = marketing revenue ÷ total
revenue. A rate the month cannot observe (no leads, no customers, no revenue) keeps
its agreed value, and the recalculation says so. Pure computation, like the targets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sla_docs.errors import Diagnostic, InvalidAgreement
from sla_docs.model.actuals import Actuals
from sla_docs.model.inputs import Inputs
from sla_docs.model.parse import parse_document
from sla_docs.model.sections import FollowUp
from sla_docs.model.types import SMALLEST_DIVISOR_RATE
from sla_docs.source.load import Source, load_file
from sla_docs.targets.compute import compute_targets
from sla_docs.targets.figures import Figure, Kind, Targets


@dataclass(frozen=True)
class Recalculation:
    """The observed rates of one month and the targets they imply."""

    actuals: Actuals
    """The month's figures, as recorded."""
    observed: dict[str, Figure]
    """The actuals and the rates derived from them, with their formulas."""
    notes: tuple[str, ...]
    """What could not be observed, and what was kept instead."""
    agreed: Targets
    """The targets as the agreement sets them."""
    implied: Targets
    """The targets the observed rates imply."""


def load_actuals(path: Path, display: str | None = None) -> Actuals:
    """Read and validate an actuals file; every problem at its line:col, or none."""
    source = load_file(path, display)
    actuals, diagnostics = parse_document(source, Actuals)
    if actuals is not None:
        diagnostics = list(_inconsistencies(source, actuals))
    if actuals is None or diagnostics:
        raise InvalidAgreement(diagnostics)
    return actuals


def _inconsistencies(source: Source, actuals: Actuals) -> Iterator[Diagnostic]:
    """Parts can't exceed their whole: customers ≤ leads, revenue ≤ the revenue it is part of."""
    if actuals.marketing_customers > actuals.marketing_leads:
        yield source.diagnostic(
            ("marketing_customers",), "SLA230",
            f"{actuals.marketing_customers} customers from {actuals.marketing_leads} leads: "
            "more customers than leads")
    if actuals.marketing_customer_revenue > actuals.marketing_revenue:
        yield source.diagnostic(
            ("marketing_customer_revenue",), "SLA230",
            "the revenue from these customers exceeds all revenue from marketing leads")
    if actuals.marketing_revenue > actuals.total_revenue:
        yield source.diagnostic(("marketing_revenue",), "SLA230",
                                "revenue from marketing leads exceeds the total revenue")
    if actuals.marketing_customers == 0 and actuals.marketing_customer_revenue > 0:
        yield source.diagnostic(("marketing_customer_revenue",), "SLA230",
                                "revenue from customers, but `marketing_customers` is 0")


def recalculate(inputs: Inputs, follow_up: FollowUp | None, actuals: Actuals, *,
                month: dt.date, handoff_at: str = "mql") -> Recalculation:
    """The rates ``actuals`` show, and the targets they imply with the same quota."""
    observed: dict[str, Figure] = {}
    for name, label, kind in _ACTUALS:
        observed[name] = Figure(name, getattr(actuals, name), kind, label)
    notes: list[str] = []
    rate = _observe(observed, notes, "lead_to_customer_rate", "Observed lead-to-customer rate",
                    "marketing_customers ÷ marketing_leads", actuals.marketing_customers,
                    actuals.marketing_leads, "rate")
    deal = _observe(observed, notes, "average_deal_size", "Observed average deal size",
                    "marketing_customer_revenue ÷ marketing_customers",
                    actuals.marketing_customer_revenue, actuals.marketing_customers, "money")
    share = _observe(observed, notes, "marketing_share", "Observed share from marketing leads",
                     "marketing_revenue ÷ total_revenue", actuals.marketing_revenue,
                     actuals.total_revenue, "rate")
    changes: dict[str, object] = {}
    if rate is not None and rate >= SMALLEST_DIVISOR_RATE:
        changes["lead_to_customer_rate"] = rate
    elif rate == 0:
        notes.append("no marketing lead became a customer: the agreed close rate is kept")
    elif rate is not None:
        notes.append("the observed close rate is below 0.01%, too low to plan with: the "
                     "agreed close rate is kept")
    if deal:
        changes["average_deal_size"] = deal
    elif deal is not None:
        notes.append("the month's customers brought no revenue: the agreed deal size is kept")
    if share is not None:
        changes["marketing_share"] = share
    if inputs.funnel is not None and "lead_to_customer_rate" in changes:
        changes["funnel"] = None
        notes.append("the actuals do not show each funnel stage: the implied leads use the "
                     "observed close rate instead")
    implied = inputs.model_copy(update=changes)
    agreed = compute_targets(inputs, follow_up, month=month, handoff_at=handoff_at)
    targets = compute_targets(implied, follow_up, month=month, handoff_at=handoff_at)
    return Recalculation(actuals, observed, tuple(notes), agreed, targets)


_ACTUALS: tuple[tuple[str, str, Kind], ...] = (
    ("marketing_leads", "Marketing leads", "count"),
    ("marketing_customers", "Of which became customers", "count"),
    ("marketing_customer_revenue", "Revenue from those customers", "money"),
    ("marketing_revenue", "Revenue from marketing leads", "money"),
    ("total_revenue", "Total revenue", "money"),
)


def _observe(observed: dict[str, Figure], notes: list[str], name: str, label: str,
             formula: str, part: Decimal | int, whole: Decimal | int,
             kind: Kind) -> Decimal | None:
    """``part ÷ whole`` as an observed figure; None (and a note) when ``whole`` is 0."""
    if not whole:
        notes.append(f"{label.lower()} cannot be observed ({formula.split(' ÷ ')[1]} is 0): "
                     "the agreed value is kept")
        return None
    value = Decimal(part) / Decimal(whole)
    observed[name] = Figure(name, value, kind, label, formula)
    return value

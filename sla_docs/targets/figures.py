"""The figures of the targets: what one number is, and the whole set for an agreement.

A :class:`Figure` carries its value, what it measures, its English label and its formula,
written with the names of the figures it uses, so the working can be shown in any
language; :class:`Targets` holds them in the order they are derived, with the goal line.
Counts are rounded up (:func:`round_up`), money never until it is displayed; a share-out
of a count (the tiers' leads) adds up to it (:func:`apportion`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any, Literal

Kind = Literal["money", "count", "rate", "hours", "minutes", "days", "duration", "date"]
"""What a figure measures, which decides how it is written."""
Value = Decimal | int | dt.timedelta | dt.date
Rounding = Literal["up", "shared", "hundredths"]
"""How a figure was rounded from its exact value: up to a whole number (the rule for
counts); to a whole number in a share-out whose parts add up to the whole (the tiers'
leads, :func:`apportion`); to the nearest hundredth (an average pace, a guide)."""
PRECISION = 60
"""Decimal digits for computing and writing figures: far beyond any valid input's needs,
so quotients stay exact enough to round up and no value overflows while written."""


@dataclass(frozen=True)
class Figure:
    """One number of the targets, or one input it was derived from."""

    name: str
    """Stable name: ``leads``, ``tiers.c-level.value``; ``{{ targets.NAME }}`` in texts."""
    value: Value
    """The number, exact: Decimal money and rates, whole counts, durations."""
    kind: Kind
    """What it measures."""
    label: str
    """What it is, in a few English words."""
    formula: str = ""
    """How it is derived, in the names of other figures; empty for an input."""
    per: str | None = None
    """The span it counts over (``month``, ``quarter``, ``working day``), if any."""
    exact: Decimal | None = None
    """For a rounded figure: the value before rounding, shown in the working."""
    ref: str = ""
    """How texts and goals name it when that is not ``targets.NAME``: ``inputs.sales_quota``."""
    tier: str | None = None
    """For a figure of one lead tier, the tier's id; its label has a ``{tier}`` slot."""
    rounded: Rounding = "up"
    """How ``exact`` was rounded to ``value``, when it was."""

    def says(self, tier_name: str | None = None,
             gettext: Callable[[str], str] | None = None) -> str:
        """The label, in the language of ``gettext`` (English without one), with the
        tier's name (or id) in its slot."""
        label = gettext(self.label) if gettext else self.label
        return label.format(tier=tier_name or self.tier) if self.tier else label

    @property
    def rounded_off(self) -> bool:
        """Whether ``value`` was rounded from ``exact`` to something else."""
        return self.exact is not None and self.exact != self.value

    @property
    def reference(self) -> str:
        """The dotted name texts write between ``{{ }}`` and goals write as ``target``."""
        return self.ref or f"targets.{self.name}"


@dataclass(frozen=True)
class GoalDay:
    """One working day on the goal line: where the cumulative count should be by its end."""

    day: dt.date
    """The date."""
    leads: int
    """Cumulative leads due by the end of the day."""
    customers: int
    """Cumulative customers due by the end of the day."""


@dataclass(frozen=True)
class Targets:
    """Every figure, inputs first, then the computed ones in the order they are derived."""

    period: str
    """The quota's period: month, quarter or year."""
    month: dt.date
    """First day of the month the goal line is drawn for."""
    figures: dict[str, Figure]
    """Inputs and results by name, in order."""
    inputs: tuple[str, ...]
    """The names in :attr:`figures` that are inputs."""
    goal_line: tuple[GoalDay, ...] = ()
    """Cumulative leads and customers due by each working day of :attr:`month`."""

    def __getitem__(self, name: str) -> Figure:
        return self.figures[name]

    def computed(self) -> list[Figure]:
        """The derived figures, without the inputs."""
        return [f for name, f in self.figures.items() if name not in self.inputs]

    def tree(self, leaf: Callable[[Figure], Any]) -> dict[str, Any]:
        """Every figure at its reference, nested: ``{"targets": {"tiers": {"c-level": …}}}``.

        This is the shape texts name figures in, and the shape of the JSON output.
        """
        tree: dict[str, Any] = {}
        for figure in self.figures.values():
            *parents, last = figure.reference.split(".")
            branch = tree
            for part in parents:
                branch = branch.setdefault(part, {})
            branch[last] = leaf(figure)
        return tree


_CARRIED = Decimal("1e-20")


def carried(value: Decimal) -> Decimal:
    """``value`` to 20 decimal places: what a count is rounded up from.

    So that the last digit of a rate like 40 ÷ 120 (0.333…3) does not turn 27 ÷ it
    from 81 into 82.
    """
    with localcontext() as context:
        context.prec = PRECISION
        return value.quantize(_CARRIED) if value.adjusted() < PRECISION - 25 else value


def round_up(value: Decimal) -> int:
    """The smallest whole number at least ``value``: counts are rounded up, never down."""
    return int(carried(value).to_integral_value(rounding=ROUND_CEILING))


def apportion(whole: int, shares: Sequence[Decimal]) -> list[int]:
    """``whole`` shared out in proportion to ``shares`` (which add up to 1), in whole
    numbers that add up to ``whole``: each part rounded down, then what is left over
    given one by one to the parts with the largest fractions (the first of equal ones).

    The largest remainder method: no part is more than one away from its exact share.
    """
    exact = [carried(whole * share) for share in shares]
    parts = [int(part.to_integral_value(rounding=ROUND_FLOOR)) for part in exact]
    # the whole itself when the shares add up to 1, as in a valid agreement; otherwise
    # (figures computed for an invalid one) their nearest sum, so no part moves by more than 1
    left = int(sum(exact, Decimal(0)).to_integral_value(rounding=ROUND_HALF_EVEN)) - sum(parts)
    by_fraction = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
    for index in by_fraction[:left]:
        parts[index] += 1
    return parts

"""``sla targets``: the targets of an agreement as a worksheet (each line with its working)
or as JSON, and the monthly recalculation from a month's actuals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from sla_docs.check.validate import check_file, require_valid
from sla_docs.editions.appendix import appendix_markdown
from sla_docs.errors import UsageError
from sla_docs.exact_json import dumps
from sla_docs.model.agreement import Agreement
from sla_docs.model.languages import LANGUAGES
from sla_docs.targets.compute import ROUNDING_RULE, agreement_targets
from sla_docs.targets.figures import Figure, Targets
from sla_docs.targets.formats import Localized, Plain, working
from sla_docs.targets.recalculation import Recalculation, load_actuals, recalculate

Format = Literal["text", "json", "markdown"]


def targets_report(path: Path, output: Format = "text", *, actuals: Path | None = None,
                   language: str = "en", today: dt.date | None = None) -> str:
    """The worksheet of the agreement at ``path``; with ``actuals``, the recalculation.

    ``markdown`` is the appendix the editions carry, in ``language``. Raises
    :class:`InvalidAgreement` with every problem when the agreement (or the actuals
    file) is not valid: targets are only shown for an agreement that holds.
    """
    if actuals is not None and output == "markdown":
        raise UsageError("--actuals prints text or json, not markdown")
    if language not in LANGUAGES:
        raise UsageError(f"--lang takes one of {', '.join(LANGUAGES)}")
    agreement = _valid_agreement(path, today or dt.date.today())
    if actuals is None:
        targets = agreement_targets(agreement)
        if output == "markdown":
            return appendix_markdown(targets, agreement, language)
        if output == "json":
            return dumps({"agreement": agreement.id, **_targets_json(targets, agreement)})
        return _worksheet(targets, agreement)
    month_actuals = load_actuals(actuals, str(actuals))
    review = recalculate(agreement.inputs, agreement.follow_up, month_actuals,
                         month=agreement.effective_date, handoff_at=agreement.handoff.at)
    if output == "json":
        return dumps(_recalculation_json(review, agreement))
    return _recalculation_text(review, agreement)


def _valid_agreement(path: Path, today: dt.date) -> Agreement:
    return require_valid(check_file(path, today)).agreement


def _worksheet(targets: Targets, agreement: Agreement) -> str:
    show = Localized("en", agreement.currency)
    lines = [f"Targets of `{agreement.id}`, for a quota per {targets.period} "
             f"({agreement.currency})", ""]
    lines += _table([("input", f.says(), show(f.value, f.kind), f.reference)
                     for name, f in targets.figures.items() if name in targets.inputs])
    lines.append("")
    lines += _table([(f.name, f.says() + _per(f), show(f.value, f.kind),
                      working(f, targets.figures, show)) for f in targets.computed()])
    lines += ["", f"Rounding: {ROUNDING_RULE}", "", *_goal_line(targets)]
    return "\n".join(lines)


def _per(figure: Figure) -> str:
    return f" per {figure.per}" if figure.per else ""


def _goal_line(targets: Targets) -> list[str]:
    if not targets.goal_line:
        return [f"No working day in {targets.month:%B %Y}: no goal line."]
    suffix = "" if targets.period == "month" else "_per_month"
    lines = [f"Goal line for {targets.month:%B %Y}: the cumulative target on working day d "
             "of n is the monthly target × d ÷ n, rounded up"]
    rows = [(f"{day.day:%a %d}", str(day.leads), str(day.customers))
            for day in targets.goal_line]
    lines += _table([("day", f"leads{suffix}", f"customers{suffix}"), *rows])
    return lines


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def _recalculation_text(review: Recalculation, agreement: Agreement) -> str:
    show = Localized("en", agreement.currency)
    month = review.actuals.month or "the month"
    lines = [f"Recalculation of `{agreement.id}` from the actuals of {month}", ""]
    lines += _table([(f.name, f.label, show(f.value, f.kind),
                      working(f, review.observed, show) if f.formula else "")
                     for f in review.observed.values()])
    lines += ["", *[f"Note: {note}" for note in review.notes]] if review.notes else []
    lines += ["", f"Targets per {review.agreed.period}, as agreed and as the actuals imply:"]
    rows = [("figure", "agreed", "implied")]
    for figure in review.implied.computed():
        agreed = review.agreed.figures.get(figure.name)
        rows.append((figure.name, show(agreed.value, agreed.kind) if agreed else "—",
                     show(figure.value, figure.kind)))
    lines += _table(rows)
    return "\n".join(lines)


def _targets_json(targets: Targets, agreement: Agreement) -> dict[str, Any]:
    """Each figure under its reference, nested as texts name it; the working beside."""
    plain = Plain(agreement.currency)
    named = targets.tree(lambda figure: figure.value)
    tree: dict[str, Any] = {"period": targets.period, "currency": agreement.currency,
                            "inputs": named.get("inputs", {}), **named.get("targets", {})}
    tree["rounding_rule"] = ROUNDING_RULE
    tree["figures"] = [
        {"name": f.name, "reference": f.reference, "label": f.says(), "kind": f.kind,
         "per": f.per, "value": f.value, "formula": f.formula,
         "working": working(f, targets.figures, plain)}
        for f in targets.computed()
    ]
    tree["goal_line"] = {"month": targets.month.strftime("%Y-%m"), "days": [
        {"day": day.day.isoformat(), "leads": day.leads, "customers": day.customers}
        for day in targets.goal_line]}
    return tree


def _recalculation_json(review: Recalculation, agreement: Agreement) -> dict[str, Any]:
    return {
        "agreement": agreement.id,
        "month": review.actuals.month,
        "observed": {name: f.value for name, f in review.observed.items()},
        "notes": list(review.notes),
        "agreed": _targets_json(review.agreed, agreement),
        "implied": _targets_json(review.implied, agreement),
    }

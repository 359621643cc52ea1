"""Content a signatory would query: a KPI without a target, a review date its cadence
does not lead to, a number typed in a text that the agreement's own figures contradict.

These are warnings (they fail only with ``--strict``): each can be right on purpose,
and none stops an edition from being made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

from sla_docs.check.facts import Facts, as_list, get
from sla_docs.check.texts import expression_position
from sla_docs.errors import Diagnostic
from sla_docs.model.languages import LANGUAGES
from sla_docs.targets.figures import Targets

CADENCE_DAYS = {"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 31, "quarterly": 92,
                "yearly": 366}
"""The longest span between two reviews of each cadence, in days."""


def kpis_have_targets(facts: Facts) -> Iterator[Diagnostic]:
    """A KPI says the level aimed at: an indicator nobody aims at is only a statistic."""
    for index, kpi in enumerate(as_list(facts.data.get("kpis"))):
        if isinstance(kpi, dict) and kpi.get("target") is None:
            name = kpi.get("id") if isinstance(kpi.get("id"), str) else f"#{index + 1}"
            yield facts.warning(("kpis", index), "SLA303", f"KPI `{name}` has no `target`",
                                hint="say the level aimed at, e.g. with `{{ targets.NAME }}`")


def review_follows_cadence(facts: Facts) -> Iterator[Diagnostic]:
    """The next review is no further off than one period of the review's cadence.

    Counted from the effective date, or from today once the agreement is in force: a
    monthly review set three months out is a date or a cadence that was not updated.
    """
    cadence = get(facts.data, "review", "cadence")
    next_review = get(facts.data, "review", "next_review")
    effective = facts.data.get("effective_date")
    if (not isinstance(cadence, str) or cadence not in CADENCE_DAYS
            or not isinstance(next_review, dt.date)
            or not isinstance(effective, dt.date)):
        return
    start = max(effective, facts.today)
    span = CADENCE_DAYS[cadence]
    slack = max(1, span // 4)  # a review may fall on the next convenient day
    if (next_review - start).days > span + slack:
        yield facts.warning(
            ("review", "next_review"), "SLA304",
            f"the review is {cadence}, but the next one is on {next_review}, "
            f"{(next_review - start).days} days after {start}",
            hint=f"set the date within {span} days, or the cadence that is meant")


_NUMBER = r"(?<![\w.,/:-])(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+)(?![\w%‰]|[.,]\d)"
_WORD = r"[^\W\d_][\w'\u2019-]*"
_TYPED = re.compile(_NUMBER + rf" (?P<first>{_WORD})(?: (?P<second>{_WORD}))?")
_NOUNS: dict[str, str] = {
    **dict.fromkeys(("lead", "leads", "prospect", "prospects", "prospecto", "prospectos"),
                    "leads"),
    **dict.fromkeys(("mql", "mqls"), "mqls"),
    **dict.fromkeys(("sql", "sqls"), "sqls"),
    **dict.fromkeys(("customer", "customers", "cliente", "clienti", "client", "clients",
                     "clientes"), "customers"),
    **dict.fromkeys(("opportunity", "opportunities", "opportunità", "opportunité",
                     "opportunités", "oportunidad", "oportunidades", "oportunidade"),
                    "opportunities"),
}
"""The nouns, in the five languages, that say which figures a typed count is one of."""
SMALLEST_CHECKED = 10
"""Smaller numbers are examples (``3 leads a day``) more often than figures."""
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def typed_figures(facts: Facts) -> Iterator[Diagnostic]:
    """A count typed in a text (``408 leads``) that no figure of its kind has.

    The text should name the figure instead, so that it says what the targets say,
    and goes on saying it when the inputs change.
    """
    targets = facts.targets
    if targets is None:
        return
    for path, value in facts.texts:
        if not isinstance(value, dict):
            continue
        for lang, text in value.items():
            if lang not in LANGUAGES or not isinstance(text, str):
                continue
            start = facts.source.positions.locate((*path, lang))
            for written, typed, family in _typed_counts(_TEMPLATE.sub("", text)):
                values = _family_values(targets, family)
                if values and typed not in values:
                    shown = f"{{{{ targets.{_main(targets, family)} }}}}"
                    diagnostic = facts.warning(
                        (*path, lang), "SLA305",
                        f"`{written}` is typed in the text, but no figure of the agreement's "
                        f"{family} is {typed}", hint=f"write `{shown}` instead")
                    where = expression_position(facts.source.text, start, 0, written)
                    yield dataclasses.replace(diagnostic, position=where) if where else diagnostic


def _typed_counts(text: str) -> Iterator[tuple[str, int, str]]:
    """Each whole number followed (at most one word apart) by a noun of a figure: as
    written, its value, and the figures' noun."""
    for found in _TYPED.finditer(text):
        family = (_NOUNS.get(found.group("first").lower())
                  or _NOUNS.get((found.group("second") or "").lower()))
        number = int(re.sub(r"\D", "", found.group(1)))
        if family and number >= SMALLEST_CHECKED and not 1900 <= number <= 2100:
            yield found.group(1), number, family


def _family_values(targets: Targets, family: str) -> set[Decimal]:
    """The values of every figure counted in ``family``'s noun: ``leads``, ``leads_per_rep``,
    ``leads_per_month``, ``tiers.c-level.leads``…"""
    return {Decimal(figure.value) for name, figure in targets.figures.items()
            if family in name.split(".")[-1] and isinstance(figure.value, int | Decimal)}


def _main(targets: Targets, family: str) -> str:
    return family if family in targets.figures else next(
        name for name in targets.figures if family in name.split(".")[-1])

"""The targets appendix of an edition: every input and figure with its working, in the
edition's language, under the rounding rule, so a reader can check each line by hand.

Labels come from gettext catalogs (``templates/locales/<lang>/LC_MESSAGES/sla_docs.po``,
read with Babel); figures are written by :class:`~sla_docs.targets.formats.Localized`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from sla_docs.editions.days import CountedDays, counted_days
from sla_docs.editions.i18n import edition_locale, translator
from sla_docs.markdown import escape_text
from sla_docs.message_ids import N_, per_id
from sla_docs.model.agreement import Agreement
from sla_docs.targets.compute import ROUNDING_RULE
from sla_docs.targets.figures import Figure, Targets
from sla_docs.targets.formats import working
from sla_docs.typography import typeset_markdown

TITLE = N_("Annex 1 — Target calculation")
QUOTA = N_("The quota is stated per {period}. Each line below can be checked by hand from "
           "the numbers before it.")
GOAL_LINE = N_("The cumulative target on working day {d} of a month with {n} working days "
               "is the monthly target × {d} ÷ {n}, rounded up.")
"""How the goal line is drawn; its variables ``d`` and ``n`` are set in italics."""
SPLIT_RULES = {
    "quarter": N_("A month's figures are the quarter's divided by 3, its counts rounded up, "
                  "so the three months may add up to a little more than the quarter: the "
                  "quarter's figures are the ones that count."),
    "year": N_("A month's figures are the year's divided by 12 (a quarter's, by 4), their "
               "counts rounded up, so the months may add up to a little more than the year: "
               "the year's figures are the ones that count."),
}
"""After the rounding rule, when a quota's months (or quarters) were rounded up: which
figures count (three months of 150 leads are 450, the quarter's target 448)."""
TIERS_NOTE = N_("The one exception is the tiers' leads: the leads Marketing generates are "
                "shared out among the tiers, each tier's exact share rounded down and the "
                "leads left over given one each to the tiers with the largest fractions, so "
                "that the tiers add up to the total.")
"""After the rounding rule, when a tier's leads are not its exact share (the working
shows ``448 × 30% = 134.4 → 134``): the exception, said before the tables."""
_FORMULA = re.compile(r"(?:\w+ ){0,2}× \{d\} ÷ \{n\}")
"""The goal line's formula in any catalog's sentence: the two words before it (``meta
mensal``) and the operation."""



@dataclass(frozen=True)
class Appendix:
    """The appendix of one edition, every word and figure already in its language."""

    title: str
    """Its heading."""
    rules: list[str]
    """The paragraphs before the tables: the period of the quota, the rounding rule and
    its exception, if the figures have one."""
    inputs: list[tuple[str, str]]
    """Each input: label and value."""
    figures: list[tuple[str, str, str]]
    """Each computed figure: label, value, and its working (``⌈50 ÷ 50%⌉ = 100``)."""
    goal_line: str | None
    """How the daily goal line is drawn, when the targets have one: a message whose
    slots ``{d}`` and ``{n}`` are the formula's variables (see :meth:`goal_line_in`)."""

    def goal_line_in(self, kind: str) -> Markup:
        """The goal-line sentence as Markdown (``md``) or HTML, its variables in italics."""
        if not self.goal_line:
            return Markup("")
        if kind == "html":
            sentence = Markup.escape(self.goal_line)
            # the formula (``objectif mensuel × d ÷ n``) stays on one line in the PDF
            sentence = Markup(_FORMULA.sub(r'<span class="nowrap">\g<0></span>', str(sentence)))
            return sentence.format(d=Markup("<em>d</em>"), n=Markup("<em>n</em>"))
        return Markup(escape_text(self.goal_line).format(d="*d*", n="*n*"))


def appendix(targets: Targets, agreement: Agreement, language: str) -> Appendix:
    """The appendix in ``language``: the rule, the inputs, each figure's working."""
    _ = translator(language)
    inputs = [f for name, f in targets.figures.items() if name in targets.inputs]
    computed = targets.computed()
    # one decision for both tables: the working repeats the inputs, written the same way
    write = _column_writer(agreement, language, [*inputs, *computed])
    tiers = {tier.id: tier.name.get(language) or tier.id for tier in agreement.inputs.tiers}

    def label(figure: Figure) -> str:
        said = (_defined_word(agreement, figure.label, language)
                or figure.says(tiers.get(figure.tier or ""), _))
        return f"{said} {_(per_id(figure.per))}" if figure.per else said

    return Appendix(
        title=_(TITLE),
        rules=[_(QUOTA).format(period=_(targets.period)), _(ROUNDING_RULE)]
        + ([_(TIERS_NOTE)] if _tiers_shared_out(targets) else [])
        + ([_(SPLIT_RULES[targets.period])] if _split_rounded_up(targets) else []),
        inputs=[(label(f), write(f.value, f.kind)) for f in inputs],
        figures=[(label(f), write(f.value, f.kind), working(f, targets.figures, write))
                 for f in computed],
        goal_line=_(GOAL_LINE) if targets.goal_line else None,
    )


def _column_writer(agreement: Agreement, language: str, column: list[Figure]) -> CountedDays:
    """How the annex's tables write figures: as the text does, except that a language
    which leaves four digits ungrouped (Spanish ``9000 €``) groups them when the tables
    hold a number of five digits or more, so each column lines up (``9.000 €`` above
    ``24.660 €``, as the RAE's Ortografía asks) and the working writes an input as the
    inputs' table does."""
    write = counted_days(agreement, language)
    numbers = [abs(Decimal(f.value)) for f in column if isinstance(f.value, int | Decimal)]
    if any(number >= 10_000 for number in numbers):
        write.minimum_grouping = 1
    return write


def _split_rounded_up(targets: Targets) -> bool:
    """Whether a count of a month (or a quarter) of the quota was rounded up."""
    return targets.period in SPLIT_RULES and any(
        figure.rounded_off for name, figure in targets.figures.items()
        if name.endswith(("_per_month", "_per_quarter")))


def _tiers_shared_out(targets: Targets) -> bool:
    """Whether a tier's leads are not its exact share: the rounding rule's exception."""
    return any(figure.rounded == "shared" and figure.rounded_off
               for figure in targets.figures.values())


DEFINED = {"Marketing-qualified leads (MQLs)": "mql", "Sales-qualified leads (SQLs)": "sql"}
"""The figures that count a term the agreement defines (in any period): label to term id."""
PLURAL_S = ("en", "pt")
"""The languages whose business writing puts an acronym in the plural with an ``s`` (``MQLs``);
Italian, French and Spanish leave it invariable (``gli MQL``, ``les MQL``, ``los MQL``)."""
_ABBREVIATION = re.compile(r"\(([^()]+)\)\s*$")


def _defined_word(agreement: Agreement, figure_label: str, language: str) -> str | None:
    """A count of a defined term labelled in the agreement's own words: the term's
    abbreviation (``MQL``; ``MQLs`` in English), else the term as defined; ``None``
    when the agreement does not define it."""
    term = agreement.definitions.terms.get(DEFINED.get(figure_label, ""))
    written = term.term.get(language) if term is not None else None
    if not written:
        return None
    abbreviation = _ABBREVIATION.search(written)
    if abbreviation is None:
        return written
    return abbreviation.group(1) + ("s" if language in PLURAL_S else "")


def appendix_markdown(targets: Targets, agreement: Agreement, language: str) -> str:
    """The appendix in ``language``, as Markdown: what the Markdown edition carries
    under its heading, every value escaped the same way (a test holds them equal)."""
    _ = translator(language)
    written = appendix(targets, agreement, language)
    lines = [f"## {written.title}", ""]
    for rule in written.rules:
        lines += [escape_text(rule), ""]
    lines += [f"| {_('Inputs')} | {_('Value')} |", "|---|---:|"]
    lines += [f"| {escape_text(label)} | {escape_text(value)} |" for label, value in written.inputs]
    lines += ["", f"| {_('Figure')} | {_('Value')} | {_('Working')} |", "|---|---:|---|"]
    lines += [f"| {escape_text(label)} | {escape_text(value)} | {escape_text(how)} |"
              for label, value, how in written.figures]
    if written.goal_line:
        lines += ["", str(written.goal_line_in("md"))]
    return typeset_markdown("\n".join(lines) + "\n", edition_locale(agreement, language))


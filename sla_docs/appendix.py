"""The targets appendix of an edition: every input and figure with its working, in the
edition's language, under the rounding rule, so a reader can check each line by hand.

Labels come from gettext catalogs (``templates/locales/<lang>/LC_MESSAGES/sla_docs.po``,
read with Babel); figures are written by :class:`~sla_docs.formats.Localized`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from sla_docs.assets import templates_dir
from sla_docs.formats import Localized, working
from sla_docs.model import Agreement
from sla_docs.targets import ROUNDING_RULE, Figure, Targets

DOMAIN = "sla_docs"
"""The gettext domain of the catalogs."""
TITLE = "Appendix: how the targets are computed"
QUOTA = ("The quota is stated per {period}. Each line below can be checked by hand from the "
         "numbers before it.")
GOAL_LINE = ("Goal line: on working day d of the n working days of a month, the cumulative "
             "target is the monthly target × d ÷ n, rounded up.")


@cache
def messages(language: str) -> dict[str, str]:
    """The catalog of ``language``: English message to translation (empty for English)."""
    if language == "en":
        return {}
    from babel.messages.pofile import read_po

    path = templates_dir() / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as catalog:
        return {str(m.id): str(m.string) for m in read_po(catalog) if m.id and m.string}


def translator(language: str) -> Callable[[str], str]:
    """``gettext`` for ``language``: a message not translated stays in English."""
    catalog = messages(language)
    return lambda message: catalog.get(message, message)


def appendix_markdown(targets: Targets, agreement: Agreement, language: str) -> str:
    """The appendix in ``language``, as Markdown: the rule, the inputs, each figure's working."""
    _ = translator(language)
    write = Localized(language, agreement.currency)
    tiers = {tier.id: tier.name.get(language) or tier.id for tier in agreement.inputs.tiers}

    def label(figure: Figure) -> str:
        said = _(figure.label).format(tier=tiers.get(figure.tier or "", figure.tier))
        return f"{said} {_('per ' + figure.per)}" if figure.per else said

    lines = [f"## {_(TITLE)}", "", _(QUOTA).format(period=_(targets.period)), "",
             _(ROUNDING_RULE), "", f"| {_('Inputs')} | {_('Value')} |", "|---|---:|"]
    lines += [f"| {_cell(label(f))} | {_cell(write(f.value, f.kind))} |"
              for name, f in targets.figures.items() if name in targets.inputs]
    lines += ["", f"| {_('Figure')} | {_('Value')} | {_('Working')} |", "|---|---:|---|"]
    lines += [f"| {_cell(label(f))} | {_cell(write(f.value, f.kind))} | "
              f"{_cell(working(f, targets.figures, write))} |" for f in targets.computed()]
    if targets.goal_line:
        lines += ["", _(GOAL_LINE)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell: pipes escaped, no line breaks."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

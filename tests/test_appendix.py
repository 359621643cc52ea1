"""The targets appendix in each language: complete catalogs, and golden Markdown.

Regenerate the golden files after a deliberate change with
``SLA_UPDATE_GOLDEN=1 python3 -m pytest tests/test_appendix.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from sla_docs.check.validate import check_file
from sla_docs.editions.appendix import appendix as appendix_of
from sla_docs.editions.appendix import appendix_markdown
from sla_docs.model.languages import LANGUAGES
from sla_docs.targets.compute import agreement_targets
from tests.conftest import ROOT, TODAY

GOLDEN = Path(__file__).resolve().parent / "golden"


def appendix(name: str, language: str) -> str:
    agreement = check_file(ROOT / "agreements" / f"{name}.yaml", TODAY).agreement
    assert agreement is not None
    return appendix_markdown(agreement_targets(agreement), agreement, language)


@pytest.mark.parametrize("name", ["acme", "globex"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_appendix_matches_its_golden_file(name: str, language: str) -> None:
    golden = GOLDEN / f"appendix-{name}-{language}.md"
    written = appendix(name, language)
    if os.environ.get("SLA_UPDATE_GOLDEN"):
        golden.write_text(written, "utf-8")
    assert written == golden.read_text("utf-8")


def test_appendix_writes_the_working_in_the_editions_language() -> None:
    italian = appendix("globex", "it").replace("\xa0", " ")
    assert "⌈4.500.000 € ÷ 85.000 €⌉ = ⌈52,94…⌉ = 53" in italian
    assert "dirigente di vertice (C-level)" in italian  # the tier's own Italian name
    assert "| 224 |" in italian


def test_spanish_groups_four_digits_in_a_column_with_longer_numbers() -> None:
    """RAE: 1584 in running text, but 1.584 in a column beside 24.660 and 4.500.000;
    acme's columns hold no number of five digits, so they stay ungrouped."""
    globex = appendix("globex", "es").replace("\xa0", " ").replace("\u202f", " ")
    assert "| 1.584 | 264 × 6 = 1.584 |" in globex and "| 9000 € |" not in globex
    acme = appendix("acme", "es").replace("\xa0", " ").replace("\u202f", " ")
    assert "| 5000 USD |" in acme
    assert "| 1584" not in appendix("globex", "it")  # Italian groups every four digits


def test_sla_targets_prints_the_appendix_the_edition_carries(tmp_path: Path) -> None:
    """`sla targets --format markdown` and the Markdown edition write the appendix alike,
    even for a tier whose name Markdown would read as markup."""
    from sla_docs.editions.edition import Edition
    from sla_docs.editions.job import edition_date
    from sla_docs.editions.render import render
    from tests.conftest import replace_once

    source = (ROOT / "agreements" / "globex.yaml").read_text("utf-8")
    hostile = replace_once(source, "        en: C-level executive\n",
                           "        en: C_level *VIP* | top<b>\n")
    path = tmp_path / "globex.yaml"
    path.write_text(hostile, "utf-8")
    checked = check_file(path, TODAY)
    assert checked.agreement is not None and checked.source is not None, checked.diagnostics
    agreement = checked.agreement
    printed = appendix_markdown(agreement_targets(agreement), agreement, "en")
    edition = render(Edition(agreement, "en", "globex.yaml", checked.source.sha256,
                             edition_date(agreement)), "md")
    body = printed.split("\n", 2)[2]  # under the heading, which the edition numbers
    assert "C\\_level \\*VIP\\* \\| top\\<b\\>" in body
    assert body in edition


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_goal_line_formula_never_parts_at_a_line_end(language: str) -> None:
    """In HTML (so in the PDF) the goal line's formula is one unbreakable span: its two
    words and the operation (``objectif mensuel × d ÷ n``), never split over two lines."""
    agreement = check_file(ROOT / "examples" / "lumen.yaml", TODAY).agreement
    assert agreement is not None
    written = appendix_of(agreement_targets(agreement), agreement, language)
    html = str(written.goal_line_in("html"))
    assert re.search(r'<span class="nowrap">\w+ \w+ × <em>d</em> ÷ <em>n</em></span>',
                     html), html
    assert html.count("<em>d</em>") == 2 and "&lt;" not in html


def test_a_short_working_stays_on_one_line_and_a_long_one_breaks_before_an_equals() -> None:
    """The Working column (HTML, so the PDF): a formula short enough for the column is
    one unbreakable span, so the label beside it wraps instead of the formula; a longer
    one breaks only before an ``=``, never between ``=`` and what it equals."""
    from sla_docs.editions.edition import Edition
    from sla_docs.editions.job import edition_date
    from sla_docs.editions.words import WHOLE_FORMULA, Words

    agreement = check_file(ROOT / "agreements" / "acme.yaml", TODAY).agreement
    assert agreement is not None
    words = Words(Edition(agreement, "fr", "acme.yaml", "0" * 64, edition_date(agreement)),
                  "html")
    short = "600 × 10\u00a0minutes ÷ 60 = 100\u00a0heures"
    assert str(words.formula(short)) == f'<span class="nowrap">{short}</span>'
    long = "⌈4\u202f500\u202f000\u00a0€ ÷ 85\u202f000\u00a0€⌉ = ⌈52,94…⌉ = 53 + 1 = 54"
    assert len(long) > WHOLE_FORMULA
    assert str(words.formula(long)) == (
        '<span class="nowrap">⌈4\u202f500\u202f000\u00a0€ ÷ 85\u202f000\u00a0€⌉</span> '
        '<span class="nowrap">=\u00a0⌈52,94…⌉</span> '
        '<span class="nowrap">=\u00a053 + 1 =\u00a054</span>')

"""The targets appendix in each language: complete catalogs, and golden Markdown.

Regenerate the golden files after a deliberate change with
``SLA_UPDATE_GOLDEN=1 python3 -m pytest tests/test_appendix.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sla_docs.check.validate import check_file
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
    assert "Dirigente di vertice (C-level)" in italian  # the tier's own Italian name
    assert "| 224 |" in italian

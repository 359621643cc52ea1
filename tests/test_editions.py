"""The editions of both samples, built once for real and read back.

Every PDF is opened with pypdf: its translated headings, the signatories, the targets
written for its locale, its metadata, the attached source, the fonts it embeds.
Every Markdown and HTML edition is compared with its golden file; regenerate them
after a deliberate change with ``SLA_UPDATE_GOLDEN=1 python3 -m pytest tests/test_editions.py``
and review the diff.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from sla_docs.check.validate import check_file
from sla_docs.editions.build import BuildResult, build
from sla_docs.editions.i18n import translator
from sla_docs.editions.pdf import fonts_dir
from sla_docs.editions.render import SECTIONS
from sla_docs.model.languages import LANGUAGES
from sla_docs.targets.compute import agreement_targets
from sla_docs.targets.formats import Localized
from sla_docs.typography import typeset
from tests.conftest import ROOT, TODAY

GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = ("acme", "globex")
TAGS = {"en": "en-US", "it": "it-IT", "fr": "fr-FR", "es": "es-ES", "pt": "pt-BR"}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """Both samples, every language, every format: one real build for the whole session."""
    out = tmp_path_factory.mktemp("build")
    sources = tmp_path_factory.mktemp("sources")  # outside git: the history is the source's
    paths = [Path(shutil.copy(ROOT / "agreements" / f"{name}.yaml", sources))
             for name in SAMPLES]
    return out, build(paths, out, today=TODAY, formats=("md", "html", "pdf"), jobs=2)


def flat(text: str) -> str:
    """Text with every kind of space and line break made one plain space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def pdf_text(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(path).pages]


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_pdf_reads_back_in_its_language(built: tuple[Path, BuildResult], name: str,
                                              language: str) -> None:
    out, _ = built
    source = ROOT / "agreements" / f"{name}.yaml"
    agreement = check_file(source, TODAY).agreement
    assert agreement is not None
    path = out / name / f"{name}.{language}.pdf"
    reader = PdfReader(path)
    pages = pdf_text(path)
    text = " ".join(pages)
    _ = translator(language)
    for _key, heading in SECTIONS:
        if heading:
            assert flat(typeset(_(heading), language)) in text, (language, heading)
    for signatory in agreement.signatories:
        assert signatory.name in pages[-1]
    targets = agreement_targets(agreement)
    write = Localized(TAGS[language].replace("-", "_"), agreement.currency)
    assert flat(write(agreement.inputs.sales_quota, "money")) in text
    assert flat(write(targets.figures["leads"].value, "count")) in text
    assert flat(write(agreement.effective_date, "date")) in pages[0]
    footer = _("Page {page} of {pages}").format(page=2, pages=len(pages))
    assert flat(footer) in pages[1]
    assert reader.trailer["/Root"]["/Lang"] == TAGS[language]
    info = reader.metadata
    assert info is not None and info.title == agreement.title.get(language)
    assert all(party.name.get(language) in (info.author or "") for party in agreement.parties)
    assert info["/slasourcesha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert reader.attachments[f"{name}.yaml"] == [source.read_bytes()]


def test_italian_and_french_write_money_and_dates_their_own_way(
        built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    italian = (out / "globex" / "globex.it.md").read_text("utf-8")
    french = (out / "globex" / "globex.fr.md").read_text("utf-8")
    assert "7.500.000\xa0€" in italian and "1º\xa0dicembre 2026" in italian
    assert "7\u202f500\u202f000\xa0€" in french and "1er\xa0décembre 2026" in french
    assert "accordo sul livello di servizio" in italian.lower()
    english = (out / "acme" / "acme.en.md").read_text("utf-8")
    assert "$5,000" in english and "December 1, 2026" in english


def test_pdfs_embed_only_the_shipped_fonts_whole(built: tuple[Path, BuildResult]) -> None:
    shipped = {path.read_bytes() for path in fonts_dir().glob("*.ttf")}
    embedded = 0
    for path in (built[0] / "acme").glob("*.pdf"):
        for page in PdfReader(path).pages:
            for font in page["/Resources"]["/Font"].values():
                for descendant in font.get_object().get("/DescendantFonts", []):
                    program = descendant.get_object()["/FontDescriptor"]["/FontFile2"]
                    # whole, not subset: the same bytes whichever subsetter is installed
                    assert program.get_data() in shipped
                    embedded += 1
    assert embedded > 0


def test_signature_blocks_carry_stable_ids(built: tuple[Path, BuildResult]) -> None:
    agreement = check_file(ROOT / "agreements" / "globex.yaml", TODAY).agreement
    assert agreement is not None
    html = (built[0] / "globex" / "globex.es.html").read_text("utf-8")
    for signatory in agreement.signatories:
        assert html.count(f'id="sig-{signatory.id}"') == 1


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["md", "html"])
def test_text_editions_match_their_golden_files(built: tuple[Path, BuildResult], name: str,
                                                language: str, kind: str) -> None:
    written = (built[0] / name / f"{name}.{language}.{kind}").read_text("utf-8")
    golden = GOLDEN / "editions" / f"{name}.{language}.{kind}"
    if os.environ.get("SLA_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(written, "utf-8")
    assert written == golden.read_text("utf-8")


def test_a_second_build_is_byte_identical_and_renders_nothing(
        built: tuple[Path, BuildResult], tmp_path: Path) -> None:
    out, first = built
    assert len(first.written) == 2 * 5 * 3 + 1  # every edition, and the schema
    acme = Path(first.agreements[0])  # the same copy, outside git
    again = build([acme], tmp_path, today=TODAY, formats=("md", "html", "pdf"),
                  languages=["it", "pt"])
    for path in again.written[1:]:
        assert path.read_bytes() == (out / "acme" / path.name).read_bytes(), path.name
    noop = build([acme], tmp_path, today=TODAY, formats=("md", "html", "pdf"),
                 languages=["it", "pt"])
    assert noop.written == [] and len(noop.unchanged) == 7

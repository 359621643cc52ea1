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
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from sla_docs.check.validate import check_file
from sla_docs.editions.appendix import TITLE as appendix_title
from sla_docs.editions.build import BuildResult, build
from sla_docs.editions.days import counted_days
from sla_docs.editions.i18n import translator
from sla_docs.editions.pdf import fonts_dir
from sla_docs.editions.render import SECTIONS, UNNUMBERED
from sla_docs.editions.words import PLACE_AND_DATE
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


def without_font_data(html: str) -> str:
    """An edition with its embedded fonts' bytes left out: the goldens hold the words and
    the layout; the fonts are checked against the shipped files on their own."""
    return FONT_DATA.sub("url(data:font/woff;base64,…)", html)


FONT_DATA = re.compile(r"url\(data:font/woff;base64,[A-Za-z0-9+/=]+\)")


def flat(text: str) -> str:
    """Text with every kind of space and line break made one plain space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def pdf_text(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(path).pages]


def annex_page(pages: list[str], language: str) -> int:
    """The page where the annex starts (its title's last mention: the contents list it)."""
    title = flat(typeset(translator(language)(appendix_title), language))
    return max(number for number, page in enumerate(pages) if title in page)


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
    annex = annex_page(pages, language)  # the last page's foot is the annex's
    assert agreement.signatories[-1].name in pages[annex - 1]  # the signatures precede it
    assert source.name in pages[-1]
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
    written = without_font_data((built[0] / name / f"{name}.{language}.{kind}").read_text("utf-8"))
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


def outline_tops(reader: PdfReader) -> dict[str, tuple[int, float]]:
    """Each heading of the PDF's outline: its page (from 0) and how far down it stands,
    as a share of the page's height (0 at the top)."""
    tops = {}
    for item in reader.outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item)
        height = float(reader.pages[page].mediabox.height)
        tops[str(item.title)] = (page, (height - float(item.top)) / height)
    return tops


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_appendix_starts_in_the_top_third_of_a_page(built: tuple[Path, BuildResult],
                                                        name: str, language: str) -> None:
    reader = PdfReader(built[0] / name / f"{name}.{language}.pdf")
    title = flat(translator(language)(appendix_title))  # "Annex 1 — …", unnumbered
    [(page, down)] = [where for heading, where in outline_tops(reader).items()
                      if flat(heading) == title]
    assert down < 1 / 3, (page, down)
    _ = translator(language)  # as a contract reads: history, clauses, signatures, annex
    headings = [flat(heading) for heading in outline_tops(reader)]
    assert headings[0] == flat(_("Revision history"))
    assert headings[-2:] == [flat(_("Signatures")), title]
    numbered = [heading for heading in outline_tops(reader) if heading[:1].isdigit()]
    assert [heading.split(".")[0] for heading in numbered] == [
        str(number) for number in range(1, len(SECTIONS) - len(UNNUMBERED) + 1)]


def placed_lines(reader: PdfReader, wanted: set[str], first: int = 0
                 ) -> list[tuple[int, float, str]]:
    """Where each line of text that is one of ``wanted`` stands, from page ``first`` on:
    page, height from the bottom, text; top of the document first."""
    found: list[tuple[int, float, str]] = []
    for number, page in enumerate(reader.pages[first:], start=first):
        def where(text: str, cm: list[float], tm: list[float], *_: object,
                  number: int = number) -> None:
            if flat(text).strip() in wanted:
                found.append((number, tm[4] * cm[1] + tm[5] * cm[3] + cm[5], flat(text).strip()))
        page.extract_text(visitor_text=where)
    return sorted(found, key=lambda line: (line[0], -line[1]))


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_signatory_has_a_place_and_date_line_of_their_own(
        built: tuple[Path, BuildResult], name: str, language: str) -> None:
    """Under each signatory's signature line, a place-and-date line, nearer to that
    signature than to the next signatory's name: it plainly belongs to its signatory."""
    agreement = check_file(ROOT / "agreements" / f"{name}.yaml", TODAY).agreement
    assert agreement is not None
    _ = translator(language)
    label = flat(_(PLACE_AND_DATE).split("{place}")[0]).strip()
    signature = _("Signature")
    names = [signatory.name for signatory in agreement.signatories]
    reader = PdfReader(built[0] / name / f"{name}.{language}.pdf")
    [(first, _down)] = [where for title, where in outline_tops(reader).items()
                        if flat(title) == flat(_("Signatures"))]
    lines = placed_lines(reader, {label, signature, *names}, first)
    blocks = [text for _page, _y, text in lines]
    assert blocks == [part for who in names for part in (who, signature, label)], blocks
    for index in range(0, len(lines) - 3, 3):
        (_p, signed, _s), (page, line, _l), (next_page, next_name, _n) = \
            lines[index + 1:index + 4]
        if page == next_page:
            assert line - next_name > 2 * (signed - line), (name, language, index)
    html = (built[0] / name / f"{name}.{language}.html").read_text("utf-8")
    blocks_html = html.split('<div class="signature" id="sig-')[1:]
    assert len(blocks_html) == len(names)
    assert all('<p class="place-date">' in block for block in blocks_html)


def test_the_cover_names_the_agreement_and_the_last_page_its_source(
        built: tuple[Path, BuildResult]) -> None:
    source = ROOT / "agreements" / "globex.yaml"
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    pages = pdf_text(built[0] / "globex" / "globex.it.pdf")
    assert "Globex" in pages[0].split() and "globex" not in pages[0].split()  # a name, not the id
    assert "globex.yaml" not in pages[0] and sha256[:12] not in pages[0]
    assert "globex.yaml" in pages[-1] and sha256 in pages[-1].replace(" ", "")
    annex = annex_page(pages, "it")  # the signatures (two pages for three) precede the annex
    assert "Letto, approvato e sottoscritto" in " ".join(pages[annex - 2:annex])
    assert "Letto, approvato" not in " ".join(pages[annex:])


def test_the_html_edition_carries_its_fonts_and_reads_on_a_screen(
        built: tuple[Path, BuildResult]) -> None:
    html = (built[0] / "acme" / "acme.fr.html").read_text("utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    faces = re.findall(r"@font-face \{[^}]*\}", html)
    assert len(faces) == 5 and all("url(data:font/woff;base64," in face for face in faces)
    assert not re.search(r"url\((?!data:)", html)  # nothing a browser would fetch
    assert '"Noto Sans", "Noto Sans Math", sans-serif' in html


@pytest.fixture(scope="module")
def layouts(built: tuple[Path, BuildResult]) -> dict[tuple[str, str], str]:
    """Every PDF's words with their boxes, as poppler lays them out (``pdftotext -bbox``),
    read all at once."""
    running = {(name, language): subprocess.Popen(
        ["pdftotext", "-bbox", str(built[0] / name / f"{name}.{language}.pdf"), "-"],
        stdout=subprocess.PIPE, text=True) for name in SAMPLES for language in LANGUAGES}
    return {key: process.communicate(timeout=60)[0] for key, process in running.items()}


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')
MARGIN = 20 * 72 / 25.4  # the left and right page margins of edition.css, in points


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_nothing_runs_into_the_margins_or_over_other_words(
        layouts: dict[tuple[str, str], str], name: str, language: str) -> None:
    """Every word of every page, as poppler places it, inside the margins and clear of
    every other word: no cell overflows into the next column, no line off the page."""
    for number, page in enumerate(layouts[name, language].split("<page ")[1:]):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        boxes = sorted((tuple(map(float, found)) for found in WORD.findall(page)),
                       key=lambda box: box[1])  # top first
        for index, (left, _top, right, bottom) in enumerate(boxes):
            assert left > MARGIN - 1 and right < width - MARGIN + 1, (number, left, right)
            for other_left, other_top, other_right, _bottom in boxes[index + 1:]:
                if other_top >= bottom - 2:
                    break  # the boxes below: no other on this line
                overlap = min(right, other_right) - max(left, other_left)
                assert overlap <= 0.5, (number, left, other_left)


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_term_the_notice_and_the_annex_are_stated(built: tuple[Path, BuildResult],
                                                      name: str, language: str) -> None:
    """The agreement runs for an indefinite term and ends by notice (never "ends when"
    beside a notice); the annex is "Annex 1", unnumbered, and binds as the body does."""
    agreement = check_file(ROOT / "agreements" / f"{name}.yaml", TODAY).agreement
    assert agreement is not None and agreement.cancellation.notice is not None
    _ = translator(language)
    write = counted_days(agreement, language)  # the notice in the agreement's days
    text = flat((built[0] / name / f"{name}.{language}.md").read_text("utf-8"))
    term = _("The agreement runs for an indefinite term from {date}.").format(
        date=write(agreement.effective_date, "date"))
    notice = _("Any party may terminate it by written notice of {notice} when:").format(
        notice=write(agreement.cancellation.notice, "duration"))
    for sentence in (term, notice, _("Annex 1 forms an integral part of this agreement.")):
        assert flat(typeset(sentence, TAGS[language].replace("-", "_"))) in text, sentence
    assert f"## {flat(typeset(_(appendix_title), language))}" in text
    assert re.search(r"## \d+\. " + re.escape(flat(typeset(_(appendix_title), language))),
                     text) is None
    assert flat(typeset(_("Unresolved after"), language)) in text


ORIGINALS = {"en": ("two originals", "three originals"), "it": ("duplice", "triplice"),
             "fr": ("deux exemplaires", "trois exemplaires"),
             "es": ("por duplicado", "por triplicado"), "pt": ("duas vias", "três vias")}
"""How each language's closing counts the originals of two and of three parties."""


@pytest.mark.parametrize(("sample", "parties"), [("acme", 2), ("globex", 3)])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_closing_counts_one_original_per_party(built: tuple[Path, BuildResult],
                                                   sample: str, parties: int,
                                                   language: str) -> None:
    """The closing states as many originals as the agreement has parties, never a
    number written into the catalog for every agreement."""
    agreement = check_file(ROOT / "agreements" / f"{sample}.yaml", TODAY).agreement
    assert agreement is not None and len(agreement.parties) == parties
    text = flat((built[0] / sample / f"{sample}.{language}.md").read_text("utf-8"))
    said, other = ORIGINALS[language][parties - 2], ORIGINALS[language][3 - parties]
    assert said in text and other not in text

def test_the_goal_line_sentence_goes_with_the_appendix_table(tmp_path: Path) -> None:
    """The sentence after the appendix's last table is never alone overleaf: its page
    holds the table's last row (lumen in English breaks just there)."""
    lumen = Path(shutil.copy(ROOT / "examples" / "lumen.yaml", tmp_path))
    build([lumen], tmp_path / "out", today=TODAY, formats=("pdf",), languages=["en"], jobs=1)
    pages = pdf_text(tmp_path / "out" / "lumen" / "lumen.en.pdf")
    [page] = [page for page in pages if "cumulative target" in page]
    assert page.index("Share of selling hours used") < page.index("cumulative target")


def test_a_short_list_is_never_split_across_a_page() -> None:
    """A list of three items moves overleaf whole rather than leave one item behind, at
    every height where the page would end inside it (the edition's own style sheet)."""
    from weasyprint import HTML  # a direct render: the one place this rule is checked

    css = (ROOT / "templates" / "edition" / "edition.css").read_text("utf-8")
    for filler in range(226, 240, 2):  # millimetres: the page ends in and around the list
        html = (f"<style>{css}</style><div style='height:{filler}mm'></div>"
                "<ul><li>one</li><li>two</li><li>three</li></ul>")
        pages = [{box.text for box in page._page_box.descendants() if hasattr(box, "text")}
                 for page in HTML(string=html).render().pages]
        holding = [number for number, words in enumerate(pages)
                   if words & {"one", "two", "three"}]
        assert len(holding) == 1, (filler, pages)


PREVAILS = {"en": "In case of any discrepancy between the language editions of this "
                  "agreement, or of doubt about their interpretation, the English edition "
                  "prevails.",
            "it": "prevale la versione in inglese.", "fr": "la version en anglais prévaut.",
            "es": "prevalecerá la versión en inglés.", "pt": "prevalecerá a versão em inglês."}
"""How each edition of the samples (English their source) says which edition prevails."""


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_edition_states_the_prevailing_language_in_its_own(
        built: tuple[Path, BuildResult], name: str, language: str) -> None:
    """Read back from the Markdown, the HTML and the PDF: once, in the final provisions
    before the signatures (after the annex clause, before the closing)."""
    folder = built[0] / name
    markdown = flat((folder / f"{name}.{language}.md").read_text("utf-8"))
    html = flat(re.sub(r"<[^>]+>", " ", (folder / f"{name}.{language}.html").read_text("utf-8")))
    pdf = " ".join(pdf_text(folder / f"{name}.{language}.pdf"))
    said = PREVAILS[language]
    for text in (markdown, html, pdf):
        assert text.count(said) == 1, (language, text[-3000:])
        annex = flat(typeset(translator(language)(
            "Annex 1 forms an integral part of this agreement."), language))
        assert text.index(annex) < text.index(said) < text.index(ORIGINALS[language][
            1 if name == "globex" else 0])

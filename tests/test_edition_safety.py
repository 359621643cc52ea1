"""Editions from hostile or unusual sources: escaped HTML, refused images, no fetching,
signature blocks kept whole, regional locales, incremental and atomic builds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from sla_docs.editions.build import build
from sla_docs.editions.edition import Edition
from sla_docs.editions.pdf import PrintJob, RefusedResource, asset_fetcher, fonts_dir, pdf_bytes
from sla_docs.editions.render import render
from sla_docs.errors import InvalidAgreement
from sla_docs.library_internals import element_attribute, page_box
from sla_docs.markdown import live_markup
from tests.conftest import TODAY, check_text, only, position_of, replace_once, run_sla

SUMMARY = "    Marketing supplies Sales with enough qualified leads for Sales to reach its\n"
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42m"
         "P8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def edition_of(tmp_path: Path, text: str, language: str = "en") -> Edition:
    checked = check_text(tmp_path, text)
    assert checked.agreement is not None and checked.source is not None, [
        d.format_text() for d in checked.diagnostics]
    return Edition(checked.agreement, language, "agreement.yaml", checked.source.sha256,
                   dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


def test_raw_html_in_prose_is_shown_never_passed_through(tmp_path: Path,
                                                         minimal_text: str) -> None:
    hostile = "    <script>alert(1)</script> <img src=x onerror=alert(2)> `<b>` and\n"
    edition = edition_of(tmp_path, replace_once(minimal_text, SUMMARY, hostile + SUMMARY))
    html = render(edition, "html")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = render(edition, "md")
    assert "\\<script\\>alert(1)\\</script\\>" in markdown and "`<b>`" in markdown
    assert live_markup(markdown) == []


def test_links_that_run_code_stay_text(tmp_path: Path, minimal_text: str) -> None:
    hostile = "    [click](javascript:alert(1)) [local](file:///etc/passwd) and\n"
    html = render(edition_of(tmp_path, replace_once(minimal_text, SUMMARY, hostile + SUMMARY)),
                  "html")
    assert "javascript:" not in html.split("<body>")[1].split("[click]")[0]
    assert 'href="javascript' not in html and 'href="file' not in html


@pytest.mark.parametrize("source", ["http://tracker.example/p.png", "https://x.example/a.png",
                                    "file:///etc/passwd", "logo.png"])
def test_an_image_that_would_be_fetched_is_refused_at_its_position(
        tmp_path: Path, minimal_text: str, source: str) -> None:
    line = f"    ![logo]({source}) and\n"
    text = replace_once(minimal_text, SUMMARY, line + SUMMARY)
    diagnostic = only(check_text(tmp_path, text), "SLA228")
    assert diagnostic.position == position_of(text, f"{source})")


def test_an_embedded_image_is_allowed_and_printed(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, SUMMARY, f"    ![dot]({PIXEL}) and\n" + SUMMARY)
    assert [d.code for d in check_text(tmp_path, text).diagnostics] == []
    assert f'<img src="{PIXEL}"' in render(edition_of(tmp_path, text), "html")


def test_the_fetcher_serves_the_package_and_data_only() -> None:
    fetcher = asset_fetcher()
    assert fetcher.fetch(PIXEL).read()[:4] == b"\x89PNG"
    font = fonts_dir() / "NotoSans-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    for url in ("http://127.0.0.1:9/x.png", "https://example.com/", "file:///etc/passwd",
                (fonts_dir() / ".." / ".." / "pyproject.toml").as_uri()):
        with pytest.raises(FatalURLFetchingError, match="refused"):
            fetcher.fetch(url)


def test_rendering_html_that_asks_for_a_file_fails_instead_of_reading_it() -> None:
    html = '<html><body><p>x</p><img src="file:///etc/passwd"></body></html>'
    job = PrintJob(html, "a.yaml", "id: a\n", "0" * 64, "en",
                   dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(RefusedResource, match="etc/passwd"):
        pdf_bytes(job)


def test_signature_blocks_are_never_split_across_pages(tmp_path: Path,
                                                       minimal_text: str) -> None:
    many = "".join(f"  - id: signer-{n}\n    name: Signatory Number {n}\n    title:\n"
                   f"      en: Regional director {n}\n    party: sales\n" for n in range(9))
    text = replace_once(minimal_text, "\ninputs:\n", many + "\ninputs:\n")
    edition = edition_of(tmp_path, text)
    from weasyprint import HTML

    document = HTML(string=render(edition, "html")).render()
    pages_of: dict[str, set[int]] = {}

    def walk(box: object, page: int, inside: str | None) -> None:
        element_id = element_attribute(box, "id")
        if element_id is not None and element_id.startswith("sig-"):
            inside = element_id
        if inside:
            pages_of.setdefault(inside, set()).add(page)
        for child in getattr(box, "children", []):
            walk(child, page, inside)

    for number, page in enumerate(document.pages):
        walk(page_box(page), number, None)
    assert len(pages_of) == 11
    assert all(len(pages) == 1 for pages in pages_of.values()), pages_of
    assert len({min(p) for p in pages_of.values()}) > 1  # they did need several pages


def test_portuguese_follows_portugal_when_the_agreement_says_so(
        tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "currency: USD\n", "currency: EUR\nlocales:\n  pt: pt_PT\n")
    edition = edition_of(tmp_path, text)
    assert edition.locale == "en_US"
    portuguese = Edition(edition.agreement, "pt", "a.yaml", "0" * 64, edition.created)
    assert portuguese.locale == "pt_PT" and portuguese.language_tag == "pt-PT"
    wrong = check_text(tmp_path, replace_once(minimal_text, "currency: USD\n",
                                              "currency: USD\nlocales:\n  pt: pt_XX\n"))
    assert wrong.agreement is None


def test_builds_are_incremental_and_keep_earlier_outputs(tmp_path: Path,
                                                         minimal_text: str) -> None:
    source = tmp_path / "minimal.yaml"
    source.write_text(minimal_text, "utf-8")
    out = tmp_path / "out"
    first = build([source], out, today=TODAY, formats=("md", "pdf"))
    assert [p.name for p in first.written] == ["agreement.schema.json", "minimal.en.md",
                                               "minimal.en.pdf"]
    assert PdfReader(out / "minimal" / "minimal.en.pdf").trailer["/Root"]["/Lang"] == "en-US"
    assert build([source], out, today=TODAY, formats=("md", "pdf")).written == []
    (out / "minimal" / "minimal.en.md").write_text("edited by hand", "utf-8")
    again = build([source], out, today=TODAY, formats=("md", "pdf"))
    assert [p.name for p in again.written] == ["minimal.en.md", "minimal.en.pdf"]
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    source.write_text(minimal_text.replace("version: \"1.0\"", "version: 1.0.0.0"), "utf-8")
    with pytest.raises(InvalidAgreement):
        build([source], out, today=TODAY)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in out.rglob(".*") if p.name != ".stamps.json"]  # no temporary left


def test_source_date_epoch_sets_the_pdf_dates(tmp_path: Path, minimal_text: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "minimal.yaml"
    source.write_text(minimal_text, "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    build([source], tmp_path / "out", today=TODAY, formats=("pdf",))
    info = PdfReader(tmp_path / "out" / "minimal" / "minimal.en.pdf").metadata
    assert info is not None and info["/CreationDate"].startswith("D:20260101000000")


def test_the_command_refuses_unknown_languages_and_formats(tmp_path: Path,
                                                           minimal_text: str) -> None:
    source = tmp_path / "minimal.yaml"
    source.write_text(minimal_text, "utf-8")
    assert run_sla("build", str(source), "--lang", "de").returncode == 2
    assert run_sla("build", str(source), "--format", "docx").returncode == 2
    assert run_sla("build", str(source), "--jobs", "0").returncode == 2
    done = run_sla("build", str(source), "--lang", "it", "--out", str(tmp_path / "o"))
    assert done.returncode == 0 and "skipped minimal: it" in done.stderr
    assert not (tmp_path / "o" / "minimal").exists()

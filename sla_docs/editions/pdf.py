"""The HTML edition printed to PDF with WeasyPrint.

Three rules make the PDF the same wherever it is built, and safe to build from any
source:

- **Fonts** are the package's own (``templates/fonts``), embedded whole. Fontconfig
  is pointed at that folder alone, so no system font can stand in for a missing
  glyph, and nothing is subset at build time, so the two subsetters WeasyPrint may
  use (fontTools, or HarfBuzz when ``libharfbuzz-subset0`` is installed) cannot make
  different files.
- **Nothing is fetched**: :class:`AssetFetcher` serves ``data:`` URIs and files of the
  package's ``templates/`` folder, and refuses everything else (``http(s)://``,
  ``file://`` elsewhere), so rendering touches neither the network nor the disk.
- **No clock**: the dates, the identifier and the attachment's times come from the
  edition, which has them from the source.

The PDF is PDF/A-3b: the YAML source travels inside it as an associated file, and
its SHA-256 is in the document information (``slasourcesha256``), listed once in the
catalog's ``/AF`` (WeasyPrint 70 lists it twice; the finisher mends that). Each signatory's
block carries an empty signature field (:mod:`sla_docs.editions.signature_fields`).
"""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import hashlib
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sla_docs.assets import templates_dir
from sla_docs.editions.native_libraries import import_weasyprint
from sla_docs.editions.signature_fields import add_signature_fields
from sla_docs.errors import SlaError
from sla_docs.files import read_regular_file, user_cache_dir, write_atomic
from sla_docs.library_internals import catalog, remember_compressed_streams

PDF_VARIANT = "pdf/a-3b"
"""PDF/A-3 allows the source to be attached; ``b`` is visual conformance."""


@dataclass(frozen=True)
class PrintJob:
    """What printing one PDF edition needs: plain data, cheap to send to a worker process."""

    html: str
    """The HTML edition."""
    source_name: str
    """The source's file name, for the attachment and for messages."""
    source_text: str
    """The source, attached to the PDF."""
    source_sha256: str
    """Its SHA-256, which with the language makes the PDF's identifier."""
    language: str
    """The edition's language."""
    created: dt.datetime
    """The edition's date (timezone-aware)."""
    signature_fields: bool = True
    """Whether to lay an empty signature field on each signatory's block."""


class RefusedResource(SlaError):
    """Rendering asked for something outside the package: a defect, never fetched."""


def fonts_dir() -> Path:
    """The shipped fonts, the only ones a PDF edition uses."""
    return templates_dir() / "fonts"


@cache
def _font_configuration_file() -> Path:
    """A fontconfig file that knows the package's fonts and nothing else, and its cache.

    Kept, one per fonts folder, in the user's cache folder (``$XDG_CACHE_HOME``, else
    ``~/.cache``) under ``sla-docs/fonts-<hash of the folder's path and fonts>``, so
    fontconfig scans the fonts once, not in every printing process, and no process
    leaves a folder behind. It is made aside and renamed into place, so a process
    never sees it half-made; of two made at once, one is kept and the other removed.
    """
    fonts = fonts_dir()
    digest = hashlib.sha256(str(fonts.resolve()).encode() + b"\0")
    for name, (_, sha256) in sorted(_font_files().items()):
        digest.update(f"{name}\0{sha256}\0".encode())
    try:
        home = user_cache_dir()
        home.mkdir(parents=True, exist_ok=True)
        return _kept_configuration(home / f"fonts-{digest.hexdigest()[:20]}", fonts)
    except (OSError, RuntimeError, SlaError):  # no home, a read-only or linked one:
        folder = Path(tempfile.mkdtemp(prefix="sla-docs-fonts-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)  # this process's own
        return _write_configuration(folder, folder, fonts)


def _kept_configuration(folder: Path, fonts: Path) -> Path:
    """``folder``'s configuration, made first if no process has made it yet, and made
    again if it is not exactly what it should be (damaged, or written by someone else:
    fontconfig would read other fonts, or write its cache elsewhere)."""
    config, expected = folder / "fonts.conf", _configuration(fonts, folder)
    if folder.is_symlink():
        raise OSError(f"{folder} is a symbolic link")  # this process's own, then
    if read_regular_file(config, len(expected)) == expected:
        return config
    if folder.is_dir():
        (folder / "cache").mkdir(exist_ok=True)
        write_atomic(config, expected, within=folder)
        return config
    making = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    _write_configuration(making, folder, fonts)
    try:
        making.rename(folder)
    except OSError:  # another process made it meanwhile (or left something in the way)
        shutil.rmtree(making, ignore_errors=True)
        if read_regular_file(config, len(expected)) != expected:
            raise
    return config


def _write_configuration(folder: Path, final: Path, fonts: Path) -> Path:
    """Write into ``folder`` a configuration for ``fonts``, whose cache is in ``final``."""
    (folder / "cache").mkdir()
    config = folder / "fonts.conf"
    config.write_bytes(_configuration(fonts, final))
    return config


def _configuration(fonts: Path, final: Path) -> bytes:
    """Fontconfig's configuration: ``fonts`` and nothing else, cached in ``final``."""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{_xml(str(fonts))}</dir>"
        f"<cachedir>{_xml(str(final / 'cache'))}</cachedir></fontconfig>\n"
    ).encode()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _remembered_deflate(folder: Path) -> Any:
    """Deflates of the shipped fonts, kept in ``folder``: the fonts are embedded whole,
    the same bytes in every edition, so each is compressed once per machine, not once
    per PDF. Only a stream that is one of those files is kept (by its SHA-256); any
    other is compressed as usual."""

    def remembered(raw: bytes, deflate: Any) -> bytes:
        same_size = _shipped_fonts().get(len(raw), frozenset())
        digest = hashlib.sha256(raw).hexdigest() if same_size else ""
        if digest not in same_size:
            return deflate()  # type: ignore[no-any-return]
        kept = folder / f"{digest}.deflate"
        if folder.is_symlink() or folder.parent.is_symlink():
            return deflate()  # type: ignore[no-any-return]
        try:  # a regular file only: a FIFO put there would block the build
            packed = read_regular_file(kept, 2 * len(raw) + 1024)
            if packed is not None and _is_level_nine_deflate_of(raw, packed):
                return packed
        except OSError:
            pass
        packed = bytes(deflate())
        try:
            folder.mkdir(exist_ok=True)
            write_atomic(kept, packed, within=folder.parent)
        except (OSError, SlaError):  # a read-only cache: compressed again next time
            pass
        return packed

    return remembered


def _is_level_nine_deflate_of(raw: bytes, packed: bytes) -> bool:
    """Whether ``packed`` is one whole zlib stream of ``raw``, marked as compressed at
    level 9, with nothing after it: a damaged file, or another compressor's, is not
    used. (The cache is the user's own, trusted as their home is: a stream forged to
    pass this would still hold the font's own bytes, though compressed otherwise.)"""
    if packed[:2] != b"\x78\xda":
        return False
    stream = zlib.decompressobj()
    try:
        unpacked = stream.decompress(packed, len(raw) + 1)
    except zlib.error:
        return False
    return unpacked == raw and stream.eof and not stream.unused_data and not stream.unconsumed_tail


@cache
def _shipped_fonts() -> dict[int, frozenset[str]]:
    """The SHA-256 of each shipped font, by its size (a stream of another size is none
    of them, and is not even hashed)."""
    found: dict[int, set[str]] = {}
    for name, (size, sha256) in _font_files().items():
        if name.endswith(".ttf"):
            found.setdefault(size, set()).add(sha256)
    return {size: frozenset(digests) for size, digests in found.items()}


@cache
def _font_files() -> dict[str, tuple[int, str]]:
    """Each file of the fonts folder by name, with its size and SHA-256: read once per
    process, for the font cache's name and for the kept deflates alike."""
    files = {}
    for path in fonts_dir().iterdir():
        if path.is_file():
            data = path.read_bytes()
            files[path.name] = (len(data), hashlib.sha256(data).hexdigest())
    return files


def isolate_fonts() -> None:
    """Make fontconfig, in this process, see only the package's fonts.

    Fontconfig reads ``FONTCONFIG_FILE`` each time WeasyPrint creates a font
    configuration, so this must run before rendering, and it holds for the process.
    """
    configuration = _font_configuration_file()
    os.environ["FONTCONFIG_FILE"] = str(configuration)
    # here: WeasyPrint (and its pydyf) load in the printers only, see asset_fetcher
    import pydyf

    remember_compressed_streams(pydyf, _remembered_deflate(configuration.parent / "streams"))


def _allowed_file(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_relative_to(templates_dir().resolve())


def asset_fetcher() -> Any:
    """A WeasyPrint URL fetcher for ``data:`` and the package's own files only."""
    # WeasyPrint is imported where it is used: the build imports this module before it
    # forks the printers, which preload WeasyPrint while the build validates
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class AssetFetcher(URLFetcher):  # type: ignore[misc]
        """Serves the package's assets and embedded data; refuses the rest, loudly."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:") or _allowed_file(url):
                return super().fetch(url, headers)
            raise FatalURLFetchingError(f"refused to fetch {url[:80]!r} while rendering")

    return AssetFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def pdf_bytes(job: PrintJob) -> bytes:
    """The PDF printed from ``job``'s HTML, with the source attached."""
    import_weasyprint()
    isolate_fonts()
    with _fewer_collections():
        return _print(job)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while WeasyPrint lays out a document.

    Layout makes millions of short-lived objects; with the default thresholds the
    collector walks the whole heap again and again, a fifth of the time of a PDF.
    """
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _finisher(signature_fields: bool) -> Any:
    """What WeasyPrint runs on the PDF before writing it: each attachment listed once in
    the catalog's /AF (PDF/A), then the signature fields when the PDF is to be signed."""

    def finish(document: Any, pdf: Any) -> None:
        _attachments_once(pdf)
        if signature_fields:
            add_signature_fields(document, pdf)

    return finish


def _attachments_once(pdf: Any) -> None:
    """WeasyPrint 70 lists an attachment in /AF twice (once from the names tree, once
    from its file specification): PDF/A-3 wants each associated file once."""
    listed = catalog(pdf).get("AF")
    if listed:
        listed[:] = list(dict.fromkeys(listed))


def _print(job: PrintJob) -> bytes:
    # here, not at the top: see asset_fetcher
    from weasyprint import HTML, Attachment
    from weasyprint.urls import FatalURLFetchingError

    fetcher = asset_fetcher()
    moment = job.created.astimezone(dt.UTC).replace(tzinfo=None)  # written as UTC
    source = Attachment(string=job.source_text, url_fetcher=fetcher, name=job.source_name,
                        description="sla-docs agreement source (YAML)", created=moment,
                        modified=moment, relationship="Source")
    identifier = hashlib.sha256(
        f"{job.source_sha256}:{job.language}".encode()).hexdigest()[:32]
    try:
        document = HTML(string=job.html, base_url=templates_dir().as_uri() + "/",
                        url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT, full_fonts=True)
        written: bytes = document.write_pdf(
            pdf_variant=PDF_VARIANT, pdf_identifier=identifier.encode("ascii"),
            full_fonts=True, custom_metadata=True, attachments=[source],
            finisher=_finisher(job.signature_fields))
    except FatalURLFetchingError as refused:
        raise RefusedResource(f"{job.source_name}: {refused}") from None
    return written

"""``verify --source``: build the edition again from a source and compare it to the byte.

A build is reproducible (:mod:`sla_docs.editions.pdf`): the same source, language,
date, source name and revision history make the same bytes. So rather than believe
the SHA-256 the PDF declares, which whoever made the PDF also wrote, the edition of
the source given is printed again, with the language, date and source name the
signed file's first revision records, and compared with that revision. What the
first revision records only steers the build; the bytes decide.

The version dates are the ones ``sla build`` would give the source where it lies
(its git log), or none, as a build outside git makes it.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pyhanko.pdf_utils.generic import parse_pdf_date
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from sla_docs import __version__
from sla_docs.check.validate import check_bytes, require_valid
from sla_docs.editions.job import EditionJob, render_texts
from sla_docs.editions.pdf import pdf_bytes
from sla_docs.errors import printable
from sla_docs.signing.edition_facts import EditionFacts, SigningError
from sla_docs.source.history import committed_versions


def differs_from_build(source: Path, raw: bytes, first_revision: bytes,
                       facts: EditionFacts) -> str | None:
    """Where ``first_revision`` differs from the edition ``source`` builds; None if nowhere.

    Raises :class:`~sla_docs.errors.InvalidAgreement` (every error at its line) when the
    source is not a valid agreement.
    """
    valid = require_valid(check_bytes(raw, str(source), dt.datetime.now(dt.UTC).date()))
    agreement = valid.agreement
    if facts.language not in agreement.languages:
        return (f"the edition is in {printable(facts.language)!r}, which {source} does not "
                f"declare ({', '.join(agreement.languages)})")
    try:
        created = parse_pdf_date(facts.created)
    except (ValueError, TypeError):
        raise SigningError(f"{source}: the edition's creation date "
                           f"{printable(facts.created)!r} cannot be read") from None
    builds: list[bytes] = []
    for past in dict.fromkeys([committed_versions(source), ()]):
        job = EditionJob(agreement, facts.language, ("pdf",), facts.source_name or source.name,
                         valid.source.text, valid.source.sha256, created, past)
        _, print_job = render_texts(job)
        assert print_job is not None  # a PDF was asked for
        builds.append(pdf_bytes(print_job))
        if builds[-1] == first_revision:
            return None
    return first_difference(builds[0], first_revision)


def first_difference(expected: bytes, found: bytes) -> str:
    """The first page whose content differs between two PDFs, in words; and which version
    of sla-docs made the one ``found``, when it says another than this one."""
    try:
        metadata = PdfReader(io.BytesIO(found)).metadata
        creator = str(metadata.get("/Creator", "")) if metadata is not None else ""
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        creator = ""
    ours = f"sla-docs {__version__}"
    other = (f" (and it says {printable(creator[:80])} made it: this is {ours})"
             if creator and creator != ours else "")
    return _first_page(expected, found) + other


def _first_page(expected: bytes, found: bytes) -> str:
    try:
        built, signed = PdfReader(io.BytesIO(expected)).pages, PdfReader(io.BytesIO(found)).pages
        for number, (ours, theirs) in enumerate(zip(built, signed, strict=False), start=1):
            if _content(ours) != _content(theirs):
                return f"page {number} differs from the source's edition"
        if len(built) != len(signed):
            return (f"it has {len(signed)} pages, the source's edition {len(built)} "
                    f"(from page {min(len(built), len(signed)) + 1} on)")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        return f"its first revision cannot be read as pages ({type(error).__name__})"
    return ("every page draws the same, but the file differs elsewhere (its attached "
            "source, metadata or fonts), or another version of sla-docs built it")


def _content(page: object) -> bytes:
    contents = page.get_contents()  # type: ignore[attr-defined]
    return b"" if contents is None else bytes(contents.get_data())

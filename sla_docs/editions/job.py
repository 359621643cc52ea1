"""One edition to make (an agreement in one language), its date, and its texts.

Rendering text is quick and happens in the build's own process; printing the PDF is
the slow part, and is what a build hands to worker processes (:mod:`sla_docs.editions.pdf`).
This module is light to import: the build imports it before it forks the printers.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from sla_docs.editions.pdf import PrintJob
    from sla_docs.model.agreement import Agreement

OutputFormat = Literal["md", "html", "pdf"]
FORMATS: tuple[OutputFormat, ...] = ("md", "html", "pdf")
"""Every format an edition can be written in."""
DEFAULT_FORMATS: tuple[OutputFormat, ...] = ("md", "pdf")
"""What ``sla build`` writes unless ``--format`` says otherwise."""


@dataclass(frozen=True)
class EditionJob:
    """One edition to render: what a worker process needs, and nothing to write with."""

    agreement: Agreement
    """The validated agreement."""
    language: str
    """The edition's language."""
    formats: tuple[OutputFormat, ...]
    """What to render."""
    source_name: str
    """The source's file name."""
    source_text: str
    """The source itself, attached to the PDF."""
    source_sha256: str
    """Its SHA-256."""
    created: dt.datetime
    """The edition's date."""
    history: tuple[tuple[str, dt.date], ...] = ()
    """The date git gives each version of the source (empty outside git)."""


def edition_date(agreement: Agreement) -> dt.datetime:
    """The date an edition carries: ``SOURCE_DATE_EPOCH`` when set, else the effective date.

    Never the clock, so two builds of one source are the same to the byte.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    day = agreement.effective_date
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def render_texts(job: EditionJob) -> tuple[dict[OutputFormat, bytes], PrintJob | None]:
    """The Markdown and HTML files ``job`` asks for, and its PDF's print job if it asks one."""
    # here, not at the top: the build imports this module before it forks the printers,
    # and the renderer (Jinja, Babel, the model) would only delay them
    from sla_docs.editions.edition import Edition
    from sla_docs.editions.pdf import PrintJob
    from sla_docs.editions.render import render
    from sla_docs.editions.screen_fonts import with_screen_fonts

    edition = Edition(job.agreement, job.language, job.source_name, job.source_sha256,
                      job.created, job.history)
    texts: dict[OutputFormat, bytes] = {}
    print_job = None
    if "html" in job.formats or "pdf" in job.formats:  # first, so printing starts sooner
        html = render(edition, "html")
        if "html" in job.formats:  # the fonts for browsers; the printer has its own
            texts["html"] = with_screen_fonts(html).encode("utf-8")
        if "pdf" in job.formats:
            print_job = PrintJob(html, job.source_name, job.source_text, job.source_sha256,
                                 job.language, job.created)
    if "md" in job.formats:
        texts["md"] = render(edition, "md").encode("utf-8")
    return texts, print_job

"""One edition from start to end: the work a build hands to a worker process.

It renders the Markdown and the HTML (:mod:`sla_docs.render`) and prints the PDF
(:mod:`sla_docs.pdf`), and returns the bytes; writing them is the build's job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sla_docs.pdf import pdf_bytes
from sla_docs.render import Edition, render

if TYPE_CHECKING:
    from sla_docs.build import EditionJob, OutputFormat


def render_edition(job: EditionJob) -> dict[OutputFormat, bytes]:
    """Every format ``job`` asks for, as the bytes of its file."""
    edition = Edition(job.agreement, job.language, job.source_name, job.source_sha256,
                      job.created)
    rendered: dict[OutputFormat, bytes] = {}
    if "md" in job.formats:
        rendered["md"] = render(edition, "md").encode("utf-8")
    if "html" in job.formats or "pdf" in job.formats:
        html = render(edition, "html")
        if "html" in job.formats:
            rendered["html"] = html.encode("utf-8")
        if "pdf" in job.formats:
            rendered["pdf"] = pdf_bytes(edition, html, job.source_text)
    return rendered


def warm_up() -> None:
    """Get a worker process ready: the renderer's libraries loaded, its fonts configured."""
    import weasyprint  # noqa: F401  (its import is most of a worker's start-up)

    from sla_docs.pdf import isolate_fonts

    isolate_fonts()

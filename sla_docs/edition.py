"""One edition's texts: the Markdown and the HTML, and what printing its PDF needs.

Rendering text is quick and happens in the build's own process; printing the PDF is
the slow part, and is what a build hands to worker processes (:mod:`sla_docs.pdf`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sla_docs.pdf import PrintJob
from sla_docs.render import Edition, render

if TYPE_CHECKING:
    from sla_docs.build import EditionJob, OutputFormat


def render_texts(job: EditionJob) -> tuple[dict[OutputFormat, bytes], PrintJob | None]:
    """The Markdown and HTML files ``job`` asks for, and its PDF's print job if it asks one."""
    edition = Edition(job.agreement, job.language, job.source_name, job.source_sha256,
                      job.created, job.history)
    texts: dict[OutputFormat, bytes] = {}
    print_job = None
    if "html" in job.formats or "pdf" in job.formats:  # first, so printing starts sooner
        html = render(edition, "html")
        if "html" in job.formats:
            texts["html"] = html.encode("utf-8")
        if "pdf" in job.formats:
            print_job = PrintJob(html, job.source_name, job.source_text, job.source_sha256,
                                 job.language, job.created)
    if "md" in job.formats:
        texts["md"] = render(edition, "md").encode("utf-8")
    return texts, print_job

"""An agreement in one language, as Markdown and as HTML (Jinja).

The templates in ``templates/edition/`` lay the agreement out in the order of
:data:`SECTIONS`; :class:`~sla_docs.editions.words.Words` gives them what they need
already in the edition's language. The fixed words of the templates come from the
gettext catalogs (``jinja2.ext.i18n``).

Nothing here reads a clock or the machine: the same :class:`Edition` always renders to
the same text.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import TemplateError

from sla_docs import __version__
from sla_docs.editions.edition import Edition
from sla_docs.editions.templating import translated_template
from sla_docs.editions.words import Format, Words
from sla_docs.errors import SlaError
from sla_docs.message_ids import N_
from sla_docs.typography import typeset_html, typeset_markdown

SECTIONS: tuple[tuple[str, str], ...] = (
    ("revisions", N_("Revision history")),
    ("summary", N_("Purpose and scope")),
    ("parties", N_("Parties and contacts")),
    ("goals", N_("Shared goals")),
    ("needs", N_("What each party needs")),
    ("definitions", N_("Definitions")),
    ("qualification", N_("Lead qualification")),
    ("handoff", N_("Lead handoff")),
    ("nurturing", N_("Lead nurturing")),
    ("follow_up", N_("Sales follow-up")),
    ("kpis", N_("Key performance indicators (KPIs)")),
    ("communication", N_("Meetings and reports")),
    ("conflict_resolution", N_("Conflict resolution")),
    ("rewards", N_("Rewards")),
    ("consequences", N_("When goals are missed")),
    ("cancellation", N_("Term and cancellation")),
    ("signatures", N_("Signatures")),
    ("targets", ""),  # titled by the appendix itself
)
"""Every section of an edition, in reading order: its anchor id and English heading.
As a contract reads: the revision history before the clauses, the signatures right
after the last clause, the annex after the signatures."""

UNNUMBERED = frozenset({"revisions", "signatures", "targets"})
"""The sections outside the numbered clauses: their headings carry no number."""


def render(edition: Edition, kind: Format) -> str:
    """The edition as Markdown or HTML text."""
    template = translated_template("edition", f"agreement.{kind}.j2", edition.language)
    try:
        text = template.render(_context(edition, kind))
    except TemplateError as error:  # a defect of ours: the sources were validated
        raise SlaError(f"{edition.source_name}: the {kind} template failed for "
                       f"{edition.language}: {error}") from error
    # the one point every printed word passes: texts, catalogs, figures, tables, headings
    if kind == "md":
        return typeset_markdown(_tidy(text), edition.locale)
    return typeset_html(text, edition.locale)


def _tidy(markdown: str) -> str:
    """No trailing spaces, never more than one blank line: a clean diff in review."""
    lines = [line.rstrip() for line in markdown.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _context(edition: Edition, kind: Format) -> dict[str, Any]:
    words = Words(edition, kind)
    numbers = iter(range(1, len(SECTIONS)))  # the annex's title numbers it: "Annex 1"
    sections = [(key, words._(title) if title else words.appendix.title,
                 None if key in UNNUMBERED else next(numbers)) for key, title in SECTIONS]
    return {
        "edition": edition,
        "agreement": edition.agreement,
        "sections": sections,
        "w": words,
        "appendix": words.appendix,
        "version": __version__,
        "language_name": words.language_name(),
    }

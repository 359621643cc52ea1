"""The revision table of an edition: each version, its date and what it changed.

The rows are the source's ``revisions:``, whose summaries are written in every language
of the agreement; git lends only dates (:func:`sla_docs.source.history.version_dates`),
never an author or a commit subject.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sla_docs.check.version_gate import version_order
from sla_docs.model.agreement import Agreement
from sla_docs.model.types import Text


@dataclass(frozen=True)
class RevisionRow:
    """One line of an edition's revision table."""

    version: str
    """The version (``1.1``)."""
    date: dt.date | None
    """When it was agreed, when known."""
    summary: Text | None
    """What it changed, in every language; None when the source does not say."""


def revision_rows(agreement: Agreement,
                  committed: tuple[tuple[str, dt.date], ...] = ()) -> list[RevisionRow]:
    """The rows, oldest first, up to the agreement's version.

    Each version of ``revisions:`` with its summary, and the version being built even
    without an entry. A version git remembers but the source does not describe is left
    out: git's history of a file may reach into another file it was copied from, and a
    row the parties did not write has no place in what they sign. A date comes from the
    entry, else from the commit that raised the version (``committed``), else (the
    version being built, not committed yet) the effective date.
    """
    dates = {version: day for version, day in committed if version_order(version) is not None}
    written = {entry.version: entry for entry in agreement.revisions}
    current = version_order(agreement.version) or ()
    rows = []
    for version in sorted({*written, agreement.version},
                          key=lambda v: version_order(v) or ()):
        if (version_order(version) or ()) > current:
            continue  # a later version described ahead: not part of this edition
        entry = written.get(version)
        day = (entry.date if entry is not None else None) or dates.get(version)
        if day is None and version == agreement.version:
            day = agreement.effective_date
        rows.append(RevisionRow(version, day, entry.summary if entry is not None else None))
    return rows

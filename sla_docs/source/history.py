"""An agreement's versions as git remembers them: one row per version of the revision table."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sla_docs.markdown import escape_text
from sla_docs.source.git import RevisionError, git


@dataclass(frozen=True)
class RevisionRow:
    """One version of an agreement: a line of an edition's revision table.

    Read from git (:func:`history`) or from the source's ``revisions:``.
    """

    version: str
    """The version (``1.2``)."""
    date: dt.date
    """When it was agreed (for git, the commit's date)."""
    author: str
    """Who wrote it (for git, the commit's author)."""
    summary: str
    """What changed, as Markdown: from the source, in the edition's language; from git,
    the commit's subject line as plain text (escaped: a subject is not prose)."""


_VERSION_LINE = re.compile(r'^\+version:\s*["\']?([^"\'\s#]+)', re.MULTILINE)


def history(path: Path) -> list[RevisionRow] | None:
    """Each version of ``path`` in git, oldest first; None when it is not in a git repository.

    One ``git log`` of the commits that changed the ``version:`` line: each gives the
    version it set, its date, its author and its subject.
    """
    folder = path.resolve().parent
    try:
        log = git(folder, "log", "--follow", "--date=short", "-G", r"^version:", "-p",
                   "--unified=0", "--format=%x1e%ad%x1f%an%x1f%s", "--", path.resolve().name)
    except RevisionError:
        return None
    entries = []
    for commit in log.decode("utf-8", errors="replace").split("\x1e")[1:]:
        head, _, patch = commit.partition("\n")
        date, author, subject = [*head.split("\x1f"), "", "", ""][:3]
        found = _VERSION_LINE.search(patch)
        if found:
            entries.append(RevisionRow(found.group(1), dt.date.fromisoformat(date), author,
                                        escape_text(subject)))
    return list(reversed(entries)) or None

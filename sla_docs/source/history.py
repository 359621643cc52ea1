"""When each version of an agreement was made, as git remembers it.

Git supplies dates only: the revision table of an edition is written from the source's
``revisions:`` (each version's summary in every language), and a git identity or a
commit subject never reaches an edition. Where an entry gives no date, the date of the
commit that raised the version to it stands in.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sla_docs.source.git import RevisionError, git

_VERSION_LINE = re.compile(r'^\+version:\s*["\']?([^"\'\s#]+)', re.MULTILINE)


def version_dates(path: Path) -> dict[str, dt.date] | None:
    """The date each version of ``path`` was first committed; None outside a git repository.

    One ``git log`` of the commits that changed the ``version:`` line: each gives the
    version it set and its date (the author's date, day only). Where a version was set
    twice, the first commit counts.
    """
    folder = path.resolve().parent
    try:
        log = git(folder, "log", "--follow", "--date=short", "-G", r"^version:", "-p",
                   "--unified=0", "--format=%x1e%ad", "--", path.resolve().name)
    except RevisionError:
        return None
    dates: dict[str, dt.date] = {}
    for commit in reversed(log.decode("utf-8", errors="replace").split("\x1e")[1:]):
        head, _, patch = commit.partition("\n")
        found = _VERSION_LINE.search(patch)
        if found:
            dates.setdefault(found.group(1), dt.date.fromisoformat(head.strip()))
    return dates


def committed_versions(path: Path) -> tuple[tuple[str, dt.date], ...]:
    """:func:`version_dates` as the sorted pairs an edition job carries (none outside git).

    ``sla build`` and ``sla verify --source`` both take the history from here, so an
    edition rebuilt to check a signature has the revision dates its build had.
    """
    return tuple(sorted((version_dates(path) or {}).items()))

"""Which files are agreements: the paths named, folders expanded, ``agreements/`` by default."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sla_docs.errors import UsageError

AGREEMENTS_DIR = Path("agreements")
"""Where agreements are looked for when no path is given."""


def agreement_paths(paths: Sequence[Path]) -> list[Path]:
    """The files named, folders expanded to their ``*.yaml``; by default ``agreements/``."""
    targets = list(paths) or [AGREEMENTS_DIR]
    if not paths and not AGREEMENTS_DIR.is_dir():
        raise UsageError(f"no agreements: name a file, or run where {AGREEMENTS_DIR}/ is")
    found: list[Path] = []
    for target in targets:
        if target.is_dir():
            found.extend(sorted([*target.glob("*.yaml"), *target.glob("*.yml")]))
        else:
            found.append(target)
    if not found:
        raise UsageError(f"no agreements (*.yaml) found in {', '.join(map(str, targets))}")
    return found

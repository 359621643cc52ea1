"""Which files are agreements: the paths named, folders expanded, ``agreements/`` by default."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sla_docs.errors import UsageError

AGREEMENTS_DIR = Path("agreements")
"""Where agreements are looked for when no path is given."""
TERMBASE_NAME = "terms.yaml"
"""The termbase beside the agreements of a folder: never an agreement itself."""


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
    termbases = [path for path in found if path.name == TERMBASE_NAME]
    found = [path for path in found if path.name != TERMBASE_NAME]
    if not found and not any(path in termbases for path in targets):
        raise UsageError(f"no agreements (*.yaml) found in {', '.join(map(str, targets))}")
    return _once_each(found)


def _once_each(paths: list[Path]) -> list[Path]:
    """``paths`` with each file once, as first named: a file named twice (``agreements/``
    and ``agreements/acme.yaml``, or a link to it) is one agreement, not two with one id."""
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in paths:
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a loop of links: loading will say so, at the file
            real = path
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def termbase_paths(paths: Sequence[Path], agreements: Sequence[Path]) -> list[Path]:
    """The termbases that apply: each one named, and the ``terms.yaml`` beside each
    agreement (when there is one), each once."""
    named = [path for path in paths if path.name == TERMBASE_NAME and not path.is_dir()]
    beside = [agreement.parent / TERMBASE_NAME for agreement in agreements]
    present = [path for path in beside if path.exists() or path.is_symlink()]
    return _once_each([*named, *present])

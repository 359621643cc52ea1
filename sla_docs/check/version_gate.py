"""The version gate: an agreement that changed since a revision must carry a higher version."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sla_docs.errors import Diagnostic, SlaError
from sla_docs.source.git import NotAtRevision, read_revision
from sla_docs.source.load import Source, load_bytes


def version_gate(source: Source, path: Path, base: str) -> Diagnostic | None:
    """An error at ``version:`` if the content changed since ``base`` and the version did not rise.

    A file that did not exist at ``base`` is new, and passes; a ``base`` that is not a
    revision of its repository is a :class:`RevisionError`, never a pass.
    """
    try:
        raw, name = read_revision(path, base)
    except NotAtRevision:  # a new file
        return None
    try:
        before = load_bytes(raw, name).data
    except SlaError:  # unreadable at that revision: nothing to compare with
        return None
    old, new = before.get("version"), source.data.get("version")
    if _without_version(before) == _without_version(source.data) or _raised(old, new):
        return None
    return source.diagnostic(("version",), "SLA401",
                             f"the agreement changed since {base} but its version is "
                             f"still {new}", hint=f"raise it above {old}")


def _without_version(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "version"}


def _raised(old: object, new: object) -> bool:
    """Whether ``new`` is a higher version than ``old`` (``1.10`` > ``1.9``)."""
    def parts(version: object) -> tuple[int, ...] | None:
        text = str(version)
        return tuple(int(p) for p in text.split(".")) if re.fullmatch(r"\d+(\.\d+)*",
                                                                       text) else None

    before, after = parts(old), parts(new)
    if before is None or after is None:
        return str(old) != str(new)
    return after > before

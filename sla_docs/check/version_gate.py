"""The version gate: an agreement that changed since a revision must carry a higher version,
and a version that rose must say, in ``revisions:``, what it changed; and its texts'
languages must have changed together since (:mod:`sla_docs.check.stale`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sla_docs.check.facts import dotted
from sla_docs.check.stale import incomparable_texts, stale_diagnostics
from sla_docs.errors import Diagnostic, InvalidAgreement, Severity
from sla_docs.source.git import NotAtRevision, read_revision
from sla_docs.source.load import Source, load_bytes


class UnreadableAtRevision(InvalidAgreement):
    """The file is in git at the revision, but cannot be read as an agreement there; its
    diagnostics are at ``file@REV:line:col``."""


def revision_checks(source: Source, path: Path, base: str) -> list[Diagnostic]:
    """What ``sla validate --base`` adds for one file: :func:`version_gate`'s error, and a
    warning for each stale translation since ``base`` (SLA420, SLA421).

    The file is read at ``base`` once, for both. A file new since ``base`` has nothing to
    compare with. One that is there but cannot be read as YAML, or a text that was no
    text per language there, is a warning (SLA422), never a silent pass; a ``base`` that
    is not a revision of its repository is a :class:`RevisionError`.
    """
    try:
        before = source_at_revision(path, base)
    except UnreadableAtRevision as error:
        first = error.diagnostics[0]
        where = f"{first.path}:{first.position.line}:{first.position.column}"
        return [_not_compared(source, base, f"the file at {base} cannot be read ({where}: "
                              f"{first.message}), so neither the version gate nor the "
                              "stale-translation check could compare")]
    if before is None:
        return []
    gate = version_gate(source, before, base)
    found = ([gate] if gate else []) + stale_diagnostics(source, before, base)
    skipped = incomparable_texts(source, before)
    if skipped:
        text, position = skipped[0]
        found.append(_not_compared(
            source, base, f"`{dotted(text)}` at {base} is not a "
            f"text per language ({before.path}:{position.line}:{position.column}), so "
            "the stale-translation check could not compare it"
            + (f", nor {len(skipped) - 1} more" if len(skipped) > 1 else "")))
    return found


def _not_compared(source: Source, base: str, message: str) -> Diagnostic:
    return source.diagnostic(("version",), "SLA422", message, severity=Severity.WARNING,
                             hint=f"check the agreement's texts against {base} by hand, "
                                  "and compare with a revision where the file is valid",
                             at_key=True)


def source_at_revision(path: Path, base: str) -> Source | None:
    """The agreement at ``path`` as loaded at git revision ``base`` (named
    ``path@base``), to compare with (:func:`~sla_docs.check.stale.stale_translations`);
    None when the file was not there. :class:`UnreadableAtRevision` when it was, but
    cannot be read as YAML there (its problems at ``path@base:line:col``); a ``base``
    that is not a revision of its repository is a :class:`RevisionError`."""
    try:
        raw, name = read_revision(path, base)
    except NotAtRevision:  # a new file
        return None
    try:
        return load_bytes(raw, name)
    except InvalidAgreement as error:
        raise UnreadableAtRevision(error.diagnostics) from None


def version_gate(source: Source, base_source: Source, base: str) -> Diagnostic | None:
    """An error if the content changed since ``base`` (``base_source``, the file as it
    was then) and the version did not rise (SLA401, at ``version:``), or rose without a
    ``revisions:`` entry for the new version (SLA410).
    """
    before = base_source.data
    old, new = before.get("version"), source.data.get("version")
    if _without_version(before) == _without_version(source.data):
        return None
    if _raised(old, new):
        return None if _described(source.data, new) else _undescribed(source, old, new)
    return source.diagnostic(("version",), "SLA401",
                             f"the agreement changed since {base} but its version is "
                             f"still {new}", hint=f"raise it above {old}")


def _described(data: dict[str, Any], version: object) -> bool:
    """Whether ``revisions:`` has an entry for ``version``."""
    entries = data.get("revisions")
    return isinstance(entries, list) and any(
        isinstance(entry, dict) and str(entry.get("version")) == str(version)
        for entry in entries)


def _undescribed(source: Source, old: object, new: object) -> Diagnostic:
    where = ("revisions",) if isinstance(source.data.get("revisions"), list) else ("version",)
    return source.diagnostic(where, "SLA410",
                             f"the version rose from {old} to {new} but `revisions:` has no "
                             f"entry for {new}",
                             hint=f'add `- version: "{new}"` to `revisions:`, with a '
                                  "`summary:` of what changed in every language",
                             at_key=True)


def _without_version(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "version"}


def _raised(old: object, new: object) -> bool:
    """Whether ``new`` is a higher version than ``old`` (``1.10`` > ``1.9``)."""
    before, after = version_order(old), version_order(new)
    if before is None or after is None:
        return str(old) != str(new)
    return after > before


def version_order(version: object) -> tuple[int, ...] | None:
    """A version as numbers, to compare by (``1.10`` > ``1.9``); None when it is not one."""
    text = str(version)
    return tuple(int(p) for p in text.split(".")) if re.fullmatch(r"\d+(\.\d+)*",
                                                                   text) else None

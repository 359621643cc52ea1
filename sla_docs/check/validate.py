"""Run load → model → check over agreement files, and report what was found.

This is what ``sla validate`` calls, and what every later stage starts with: an
agreement only moves on when it has no errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sla_docs.check.completeness import check_agreement
from sla_docs.check.termbase import ReadTermbase, Terms, read_termbase
from sla_docs.check.version_gate import revision_checks
from sla_docs.errors import Diagnostic, InvalidAgreement, Severity
from sla_docs.model.agreement import Agreement
from sla_docs.model.parse import parse_agreement
from sla_docs.source.discovery import agreement_paths, termbase_paths
from sla_docs.source.load import Source, load_bytes, load_file


@dataclass(frozen=True)
class Checked:
    """One agreement file after validation."""

    path: str
    """The file as the user named it."""
    source: Source | None
    """The parsed file, None when it could not be read or parsed."""
    agreement: Agreement | None
    """The validated agreement, None when it has model errors."""
    diagnostics: list[Diagnostic]
    """Everything found, errors and warnings, in file order."""

    def errors(self, *, strict: bool = False) -> list[Diagnostic]:
        """The diagnostics that fail validation (warnings too when ``strict``)."""
        return [d for d in self.diagnostics if strict or d.severity is Severity.ERROR]


@dataclass(frozen=True)
class ValidAgreement:
    """An agreement file that passed validation: nothing about it is missing any more."""

    path: str
    """The file as the user named it (``file@revision`` for a git revision)."""
    source: Source
    """The parsed file."""
    agreement: Agreement
    """The validated agreement."""
    warnings: list[Diagnostic]
    """What was found that does not fail validation."""


def require_valid(checked: Checked) -> ValidAgreement:
    """``checked`` as a valid agreement; :class:`InvalidAgreement` with every error if it is not."""
    if checked.errors() or checked.agreement is None or checked.source is None:
        raise InvalidAgreement(checked.errors() or checked.diagnostics)
    return ValidAgreement(checked.path, checked.source, checked.agreement, checked.diagnostics)


@dataclass(frozen=True)
class Report:
    """The result of validating several files."""

    files: list[Checked]
    """Each file, in the order given."""
    strict: bool
    """Whether warnings fail."""
    termbases: list[Checked] = field(default_factory=list)
    """The termbases the agreements were checked against (``terms.yaml``), with their
    errors: not agreements, but an error in one fails the run."""

    @property
    def ok(self) -> bool:
        """True when no file has anything that fails."""
        return not any(checked.errors(strict=self.strict)
                       for checked in [*self.termbases, *self.files])


def check_file(path: Path, today: dt.date, terms: Terms | None = None) -> Checked:
    """Load, model and check one file; every problem is collected, none raised.
    ``terms`` is the termbase (None: the package's default)."""
    name = str(path)
    try:
        source = load_file(path, name)
    except InvalidAgreement as invalid:
        return Checked(name, None, None, invalid.diagnostics)
    return check_source(source, today, terms)


def check_bytes(raw: bytes, name: str, today: dt.date) -> Checked:
    """Like :func:`check_file`, for a source read elsewhere (a git revision)."""
    try:
        source = load_bytes(raw, name)
    except InvalidAgreement as invalid:
        return Checked(name, None, None, invalid.diagnostics)
    return check_source(source, today)


def check_source(source: Source, today: dt.date, terms: Terms | None = None) -> Checked:
    """Model and check a loaded source (against ``terms``, or the default termbase)."""
    agreement, model_errors = parse_agreement(source)
    refused = frozenset(diagnostic.yaml_path for diagnostic in model_errors)
    found = model_errors + check_agreement(source, today, agreement, refused, terms)
    unique = list(dict.fromkeys(found))
    return Checked(source.path, source, agreement, sorted(unique, key=Diagnostic.sort_key))


def validate_paths(paths: Sequence[Path], *, strict: bool = False,
                   today: dt.date | None = None, base: str | None = None) -> Report:
    """Validate every agreement named (or every one in ``agreements/``).

    With ``base`` (a git revision), an agreement whose content changed since then
    must also have a higher version (SLA401, at its ``version:`` line), and a text whose
    source-language text and translations did not change together since then is a
    warning (SLA420, SLA421, at the text).
    """
    day = today or dt.date.today()
    agreements = agreement_paths(paths)
    termbases = {path.parent: (path, read_termbase(path))
                 for path in termbase_paths(paths, agreements)}
    files = _unique_ids([check_file(path, day, _terms(termbases.get(path.parent)))
                         for path in agreements])
    if base is not None:
        files = [_gated(checked, base) for checked in files]
    return Report(files, strict, [Checked(str(path), read.source, None, read.problems)
                                  for path, read in termbases.values()])


def _terms(found: tuple[Path, ReadTermbase] | None) -> Terms | None:
    return found[1].terms if found is not None else None


def _unique_ids(files: list[Checked]) -> list[Checked]:
    """``files``, where two have one ``id``, each with an error naming the other (SLA260)
    at its ``id:``: two agreements with one id would overwrite each other's editions."""
    named: dict[str, list[str]] = {}
    for checked in files:
        if checked.source and isinstance(checked.source.data.get("id"), str):
            named.setdefault(checked.source.data["id"], []).append(checked.path)
    marked: list[Checked] = []
    for checked in files:
        identifier = checked.source.data.get("id") if checked.source else None
        others = [path for path in named.get(identifier, []) if path != checked.path] \
            if isinstance(identifier, str) else []
        if checked.source and others:
            checked = _with(checked, checked.source.diagnostic(
                ("id",), "SLA260", f"agreement id `{identifier}` is also the id of "
                f"{', '.join(others)}", hint="each agreement needs an id of its own"))
        marked.append(checked)
    return marked


def _with(checked: Checked, *found: Diagnostic) -> Checked:
    return Checked(checked.path, checked.source, checked.agreement,
                   sorted([*checked.diagnostics, *found], key=Diagnostic.sort_key))


def _gated(checked: Checked, base: str) -> Checked:
    found = revision_checks(checked.source, Path(checked.path), base) if checked.source else []
    return _with(checked, *found) if found else checked

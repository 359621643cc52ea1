"""Run load → model → check over agreement files, and report what was found.

This is what ``sla validate`` calls, and what every later stage starts with: an
agreement only moves on when it has no errors.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sla_docs.check import check_agreement
from sla_docs.errors import Diagnostic, InvalidAgreement, Severity
from sla_docs.load import Source, agreement_paths, load_bytes, load_file
from sla_docs.model import Agreement, parse_agreement

Format = Literal["text", "json", "github"]


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
class Report:
    """The result of validating several files."""

    files: list[Checked]
    """Each file, in the order given."""
    strict: bool
    """Whether warnings fail."""

    @property
    def ok(self) -> bool:
        """True when no file has anything that fails."""
        return not any(checked.errors(strict=self.strict) for checked in self.files)


def check_file(path: Path, today: dt.date) -> Checked:
    """Load, model and check one file; every problem is collected, none raised."""
    name = str(path)
    try:
        source = load_file(path, name)
    except InvalidAgreement as invalid:
        return Checked(name, None, None, invalid.diagnostics)
    return check_source(source, today)


def check_bytes(raw: bytes, name: str, today: dt.date) -> Checked:
    """Like :func:`check_file`, for a source read elsewhere (a git revision)."""
    try:
        source = load_bytes(raw, name)
    except InvalidAgreement as invalid:
        return Checked(name, None, None, invalid.diagnostics)
    return check_source(source, today)


def check_source(source: Source, today: dt.date) -> Checked:
    """Model and check a loaded source."""
    agreement, model_errors = parse_agreement(source)
    found = model_errors + check_agreement(source, today, agreement)
    unique = list(dict.fromkeys(found))
    return Checked(source.path, source, agreement, sorted(unique, key=Diagnostic.sort_key))


def validate_paths(paths: Sequence[Path], *, strict: bool = False,
                   today: dt.date | None = None, base: str | None = None) -> Report:
    """Validate every agreement named (or every one in ``agreements/``).

    With ``base`` (a git revision), an agreement whose content changed since then
    must also have a higher version (SLA401, at its ``version:`` line).
    """
    day = today or dt.date.today()
    files = [check_file(path, day) for path in agreement_paths(paths)]
    if base is not None:
        files = [_gated(checked, base) for checked in files]
    return Report(files, strict)


def _gated(checked: Checked, base: str) -> Checked:
    from sla_docs.revise import version_gate

    found = version_gate(checked, base)
    if found is None:
        return checked
    return Checked(checked.path, checked.source, checked.agreement,
                   sorted([*checked.diagnostics, found], key=Diagnostic.sort_key))


def format_report(report: Report, output: Format) -> str:
    """The report as text lines, JSON, or GitHub workflow annotations."""
    diagnostics = [d for checked in report.files for d in checked.diagnostics]
    if output == "json":
        return json.dumps(_as_json(report), indent=2, ensure_ascii=False)
    if output == "github":
        return "\n".join(_github(d) for d in diagnostics)
    lines = [d.format_text() for d in diagnostics]
    lines.append(_summary(report))
    return "\n".join(lines)


def _summary(report: Report) -> str:
    errors = sum(len(c.errors()) for c in report.files)
    warnings = sum(len(c.diagnostics) - len(c.errors()) for c in report.files)
    valid = sum(1 for c in report.files if not c.errors(strict=report.strict))
    files = len(report.files)
    return (f"{files} agreement{'s' * (files != 1)} checked: {valid} valid, "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")


def _as_json(report: Report) -> dict[str, object]:
    return {
        "ok": report.ok,
        "strict": report.strict,
        "files": [
            {
                "path": checked.path,
                "valid": not checked.errors(strict=report.strict),
                "sha256": checked.source.sha256 if checked.source else None,
                "diagnostics": [
                    {
                        "line": d.position.line,
                        "column": d.position.column,
                        "severity": d.severity.value,
                        "code": d.code,
                        "message": d.message,
                        "hint": d.hint,
                        "yaml_path": list(d.yaml_path),
                    }
                    for d in checked.diagnostics
                ],
            }
            for checked in report.files
        ],
    }


def _github(diagnostic: Diagnostic) -> str:
    """A workflow command; GitHub escapes %, CR and LF in data and also : and , in values."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def value(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    level = "error" if diagnostic.severity is Severity.ERROR else "warning"
    message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    return (f"::{level} file={value(diagnostic.path)},line={diagnostic.position.line},"
            f"col={diagnostic.position.column},title={value(diagnostic.code)}::{data(message)}")

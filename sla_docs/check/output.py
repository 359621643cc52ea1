"""What ``sla validate`` prints: text lines, JSON, or GitHub workflow annotations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from sla_docs.check.validate import Checked, Report, validate_paths
from sla_docs.errors import Diagnostic, Severity
from sla_docs.exact_json import dumps

Format = Literal["text", "json", "github"]
"""The ways a validation report can be printed."""


def validation_report(paths: Sequence[Path], output: Format, *, strict: bool = False,
                      today: dt.date | None = None, base: str | None = None) -> tuple[str, bool]:
    """What ``sla validate`` prints for ``paths``, and whether they all pass."""
    report = validate_paths(paths, strict=strict, today=today, base=base)
    return format_report(report, output), report.ok


def format_report(report: Report, output: Format) -> str:
    """The report as text lines, JSON, or GitHub workflow annotations."""
    diagnostics = [d for checked in [*report.termbases, *report.files] for d in checked.diagnostics]
    if output == "json":
        return dumps(_as_json(report))
    if output == "github":
        return "\n".join(_github(d) for d in diagnostics)
    lines = [d.format_text() for d in diagnostics]
    lines.append(_summary(report))
    return "\n".join(lines)


def _summary(report: Report) -> str:
    every = [*report.termbases, *report.files]
    errors = sum(len(c.errors()) for c in every)
    warnings = sum(len(c.diagnostics) - len(c.errors()) for c in every)
    valid = sum(1 for c in report.files if not c.errors(strict=report.strict))
    files, termbases = len(report.files), len(report.termbases)
    also = f" and {termbases} termbase{'s' * (termbases != 1)}" if termbases else ""
    return (f"{files} agreement{'s' * (files != 1)}{also} checked: {valid} valid, "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")


def _as_json(report: Report) -> dict[str, object]:
    return {
        "ok": report.ok,
        "strict": report.strict,
        "files": _files_json(report.files, report.strict),
        "termbases": _files_json(report.termbases, report.strict),
    }


def _files_json(files: list[Checked], strict: bool) -> list[dict[str, object]]:
    return [
        {
            "path": checked.path,
            "valid": not checked.errors(strict=strict),
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
        for checked in files
    ]


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

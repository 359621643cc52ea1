"""Orchestrate a build; the only module that writes under ``build/``.

Every agreement is validated first and nothing is written unless all are valid, so a
failed build never replaces good outputs with half-made ones. Each file is written to
a temporary name beside its target and renamed over it, so an interrupted build
leaves the previous output whole. The editions (Markdown, HTML, PDF) join this
pipeline in the editions stage; today the build writes the JSON Schema the samples'
editors use.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sla_docs.errors import InvalidAgreement, OutputError
from sla_docs.model.schema import SCHEMA_FILE_NAME, agreement_schema_text
from sla_docs.validate import validate_paths

BUILD_DIR = Path("build")
"""Where outputs go unless ``--out`` says otherwise."""


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    agreements: list[str]
    """The agreements validated."""
    written: list[Path]
    """The files written, in order."""


def build(paths: Sequence[Path], out: Path = BUILD_DIR, *,
          today: dt.date | None = None) -> BuildResult:
    """Validate every agreement, then write the build outputs under ``out``."""
    report = validate_paths(paths, today=today)
    if not report.ok:
        raise InvalidAgreement([d for checked in report.files for d in checked.errors()])
    schema = out / SCHEMA_FILE_NAME
    write_atomic(schema, agreement_schema_text().encode("utf-8"))
    return BuildResult([checked.path for checked in report.files], [schema])


def write_atomic(target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` through a temporary file and a rename."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise OutputError(target, error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(target, error.strerror or str(error)) from None

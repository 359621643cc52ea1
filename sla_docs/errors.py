"""One error tree for the whole tool, and the diagnostics it carries.

Every failure a user can cause is an :class:`SlaError` (a ``click.ClickException``), so
the command line prints its message and exits with its code and never a traceback:
0 ok, 1 the input is wrong, 2 usage. Problems in an agreement are collected as
:class:`Diagnostic` values, all of them, before anything fails.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

import click

EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2


class Severity(enum.StrEnum):
    """How much a diagnostic matters: errors fail validation, warnings only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file, 1-based as editors count."""

    line: int
    """Line number, starting at 1."""
    column: int
    """Column number, starting at 1."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in an agreement, at a place a user can jump to."""

    path: str
    """The file, as the user named it."""
    position: Position
    """Where in the file the problem is."""
    severity: Severity
    """Error or warning."""
    code: str
    """A stable code (``SLA101``) that tests, CI filters and documentation can rely on."""
    message: str
    """What is wrong, in one sentence."""
    hint: str | None = None
    """How to fix it, when there is something useful to say (``did you mean …``)."""
    yaml_path: tuple[str | int, ...] = field(default=(), compare=False)
    """The keys and indices that lead to the value, for machines."""

    def sort_key(self) -> tuple[str, Position, str]:
        """Order diagnostics as a reader walks the file."""
        return (self.path, self.position, self.code)

    def format_text(self) -> str:
        """The one-line form: ``path:line:col: error CODE: message (hint)``."""
        text = (
            f"{self.path}:{self.position.line}:{self.position.column}: "
            f"{self.severity.value} {self.code}: {self.message}"
        )
        if self.hint:
            text += f" ({self.hint})"
        return text


class SlaError(click.ClickException):
    """Root of every error the tool raises on purpose; exit code 1 (the input is wrong)."""

    exit_code = EXIT_INVALID_INPUT

    def show(self, file: object = None) -> None:
        """Print the message to standard error without click's ``Error:`` prefix."""
        click.echo(self.format_message(), err=True)


class InvalidAgreement(SlaError):
    """An agreement has errors; carries every diagnostic that was found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__("\n".join(d.format_text() for d in self.diagnostics))


class OutputError(SlaError):
    """An output could not be written; what was there before is left as it was."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: cannot write: {reason}")


class UsageError(click.UsageError):
    """The command line itself is wrong; exit code 2."""

    exit_code = EXIT_USAGE

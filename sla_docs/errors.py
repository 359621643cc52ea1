"""One error tree for the whole tool, and the diagnostics it carries.

Every failure a user can cause is an :class:`SlaError` (a ``click.ClickException``), so
the command line prints its message and exits with its code and never a traceback:
0 ok, 1 the input is wrong, 2 usage. Problems in an agreement are collected as
:class:`Diagnostic` values, all of them, before anything fails. Every code a diagnostic
can carry is listed, with its severity and meaning, in :data:`CODES`.
"""

from __future__ import annotations

import enum
import errno
import io
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2
EXIT_OVERDUE = 3
"""``sla alerts``: the digest was printed (and posted) and a lead is overdue; apart from
click's usage error (2) and any input error (1), for cron and CI."""


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


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of character ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def printable(text: str) -> str:
    """``text`` with every control or format character escaped (``\\r``, ``\\x1b``, ``\\u202e``).

    A ``\\r`` in a certificate's name or a CRM's cell must not rewrite the line above it
    on a terminal, nor an escape sequence recolour it, nor a bidirectional override
    reverse it.
    """
    return "".join(
        char if unicodedata.category(char)[0] != "C" and char not in "\u2028\u2029"
        else char.encode("unicode_escape").decode("ascii") for char in text)


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


@dataclass(frozen=True)
class Code:
    """What one diagnostic code means: the registry's entry for it."""

    severity: Severity
    """Whether it fails validation (error) or only with --strict (warning)."""
    meaning: str
    """One line for the README's table, in Markdown."""


_E, _W = Severity.ERROR, Severity.WARNING
CODES: dict[str, Code] = {
    # The file can't be read as an agreement (sla_docs.source.load).
    "SLA001": Code(_E, "YAML syntax; also a `!!` tag, a key that isn't a plain word, or "
                   "nesting too deep"),
    "SLA002": Code(_E, "duplicate key"),
    "SLA003": Code(_E, "tab in indentation"),
    "SLA004": Code(_E, "the file is not UTF-8"),
    "SLA005": Code(_E, "the file is empty, or holds only comments"),
    "SLA006": Code(_E, "the file is too large"),
    "SLA007": Code(_E, "YAML aliases (`*name`)"),
    "SLA008": Code(_E, "the file is not a mapping of sections"),
    "SLA009": Code(_E, "the file can't be read"),
    # A value doesn't fit the model (sla_docs.model.parse).
    "SLA101": Code(_E, "unknown key"),
    "SLA102": Code(_E, "missing key"),
    "SLA103": Code(_E, "a value of the wrong type"),
    "SLA104": Code(_E, "a value out of range"),
    "SLA105": Code(_E, "a value that is not one of the allowed values"),
    "SLA106": Code(_E, "an invalid value"),
    # What the agreement says doesn't hold together (sla_docs.check; the rules about
    # {{ }} in texts, 224-227, come from sla_docs.targets.inject, which knows its grammar;
    # 230 from sla_docs.targets.recalculation).
    "SLA201": Code(_E, "a text is missing in a declared language"),
    "SLA202": Code(_W, "a text in a language that `languages` does not declare"),
    "SLA203": Code(_E, "a reference names no declared party"),
    "SLA204": Code(_E, "a reference names no declared contact"),
    "SLA205": Code(_E, "a reference names no declared definition, or `lead`, `mql` or "
                   "`sql` is not defined"),
    "SLA206": Code(_E, "a reference names no declared nurturing track"),
    "SLA207": Code(_E, "an id is used twice"),
    "SLA208": Code(_E, "no marketing or no sales party"),
    "SLA209": Code(_E, "a party without a signatory"),
    "SLA210": Code(_E, "a goal without a target number or a period (not measurable)"),
    "SLA211": Code(_E, "score thresholds contradict each other: SQL not above MQL, or a "
                   "threshold above the maximum"),
    "SLA212": Code(_E, "the follow-up's attempts don't fit in its days"),
    "SLA213": Code(_E, "leads are recycled before the follow-up's promised attempts"),
    "SLA214": Code(_E, "the lead tiers' shares don't add up to 100%"),
    "SLA215": Code(_E, "a party owing itself: a need or a report from a party to itself"),
    "SLA216": Code(_E, "a party without a referent for disputes"),
    "SLA217": Code(_E, "a review before the agreement starts"),
    "SLA218": Code(_E, "`source_language` is not one of the agreement's `languages`"),
    "SLA219": Code(_E, "`prevailing_language` is not one of the agreement's `languages`"),
    "SLA220": Code(_E, "the funnel's stages don't multiply to the close rate"),
    "SLA221": Code(_E, "the follow-up needs more than the reps' selling hours"),
    "SLA222": Code(_E, "a goal names a figure that doesn't exist"),
    "SLA223": Code(_E, "a goal names a figure counted over another period"),
    "SLA224": Code(_E, "a text names an unknown figure (or a group of figures)"),
    "SLA225": Code(_E, "a text uses something other than a figure's name (`{% %}`, calls, "
                   "arguments, two filters)"),
    "SLA226": Code(_E, "a text uses a filter that doesn't exist or can't write the figure"),
    "SLA227": Code(_E, "a text's braces don't parse"),
    "SLA228": Code(_E, "a text shows an image that would be fetched: only embedded "
                   "`data:image/…` pictures are allowed"),
    "SLA229": Code(_E, "a text nests lists, quotes or emphasis deeper than any prose "
                   "(more than 16 levels)"),
    "SLA230": Code(_E, "with `sla targets --actuals FILE`: actuals that contradict themselves "
                   "(more customers than leads, …)"),
    "SLA231": Code(_E, "the inputs lead to a count beyond a billion a period (a typing error "
                   "in the quota, the deal size or a rate)"),
    "SLA240": Code(_E, "`revisions:` describes a version twice, or one above the agreement's"),
    # Across the agreements of one run (sla_docs.check.validate).
    "SLA260": Code(_E, "two agreement files have the same `id`"),
    # Warnings: true today, worth a look (fail only with --strict).
    "SLA301": Code(_W, "the review date has passed"),
    "SLA302": Code(_W, "the leads Sales finds itself count in no figure (no `sales_team`)"),
    "SLA303": Code(_W, "a KPI without a target"),
    "SLA304": Code(_W, "the next review is further off than the review's cadence"),
    "SLA305": Code(_W, "a count typed in a text that no figure of its kind has (name the "
                   "figure instead: `{{ targets.leads }}`)"),
    # Terminology (sla_docs.check.terminology, sla_docs.check.termbase).
    "SLA310": Code(_W, "a text uses a variant the termbase says to avoid in its language "
                   "(the warning names the agreed term)"),
    "SLA311": Code(_W, "a term the agreement defines is written another way in a text of the "
                   "same language (`Sales-qualified lead` and `sales qualified lead`)"),
    "SLA312": Code(_E, "`terms.yaml`: a variant to avoid that is an agreed term, or is listed "
                   "twice in one language"),
    "SLA313": Code(_E, "`terms.yaml`: a concept switched off that the default termbase does "
                   "not have"),
    # Across revisions (sla_docs.check.version_gate).
    "SLA401": Code(_E, "with `sla validate --base REV`: the agreement changed since REV but "
                   "its `version` was not raised"),
    "SLA410": Code(_E, "with `sla validate --base REV`: the `version` rose since REV but "
                   "`revisions:` has no entry for it"),
    # Across revisions: the translations (sla_docs.check.stale).
    "SLA420": Code(_W, "with `sla validate --base REV`: a text changed since REV in the source "
                   "language, and a translation did not"),
    "SLA421": Code(_W, "with `sla validate --base REV`: a translation changed since REV while "
                   "the source-language text did not"),
    "SLA422": Code(_W, "with `sla validate --base REV`: the file is at REV but cannot be read "
                   "there (or a text there is no text per language), so it was not compared"),
}
"""Every diagnostic code the tool emits. Raise sites write the code as a literal;
tests/test_error_codes.py fails when a literal is not here, when an entry here is raised
nowhere, when one has no test that produces it, and when README.md's table is stale."""


def codes_table() -> str:
    """The README's table of codes: one row per code, in the order of :data:`CODES`."""
    rows = ["| code | severity | meaning |", "|---|---|---|"]
    rows += [f"| {code} | {entry.severity.value} | {entry.meaning} |"
             for code, entry in CODES.items()]
    return "\n".join(rows) + "\n"


class _ClosedOutput(io.RawIOBase):
    """Standard output when the process started without one (``>&-``)."""

    def writable(self) -> bool:
        """It takes writes, each of which fails."""
        return True

    def write(self, data: Any) -> int:
        """Fail, as a write to a closed descriptor does."""
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def closed_output() -> io.TextIOWrapper:
    """A standard output for a process started without one: each write fails, as to a
    closed descriptor, so that the output is not dropped unseen."""
    return io.TextIOWrapper(io.BufferedWriter(_ClosedOutput()), encoding="utf-8")


def output_failure(error: Exception) -> str | None:
    """What to say when ``error`` is standard output refusing a write (a full disk, a
    closed descriptor), raised inside ``click.echo``, which every command prints with;
    None for any other error. What is left unwritten is then dropped, so that the
    interpreter's exit does not try again."""
    if not isinstance(error, OSError):
        return None
    trace = error.__traceback__
    while trace is not None:
        frame = trace.tb_frame
        if frame.f_code is click.echo.__code__ and not frame.f_locals.get("err"):
            sys.stdout = None
            return f"sla: cannot write to standard output: {error.strerror}"
        trace = trace.tb_next
    return None

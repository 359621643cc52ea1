"""A CSV export read record by record, and where to share it between two readers.

A record is named by its first line in the file (the header is line 1), as an editor
shows it; a quoted cell may hold a line break, so a record may span lines.

Two readers share an export by line: the first counts the records that begin on or
before a given line, the second the rest. Both read with the same CSV reader from the
file's start (the second only skims the first's share), so where a record begins is
never guessed from the bytes: a quote inside an unquoted cell (``ab"c``) or a quoted
cell holding a line break cannot move the boundary.

What breaks the file as a whole stops the report here, at ``file:line:cell``: bytes
that are not UTF-8 text, a NUL, a quote that is never closed (it would swallow every
record after it into one cell), a quoted cell that goes on after its closing quote.
The reader is strict about quotes for that reason; what is wrong in one row is the
report's business (:mod:`sla_docs.reports.crm`).
"""

from __future__ import annotations

import codecs
import csv
import io
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TextIO

from sla_docs.errors import SlaError, line_col
from sla_docs.input_files import open_input

BLOCK = 1 << 23
"""Bytes read at a time when a whole file is looked over."""


class ExportError(SlaError):
    """An export that cannot be read, at ``file:line:column``."""


class NoSecondProcess(Exception):
    """The second process of :func:`in_two_processes` could not be started (a limit on
    processes, no memory): nothing was read, and the caller reads the export alone."""


def _text(path: Path) -> TextIO:
    """The export opened as text, as the CSV reader wants it (a regular file only)."""
    return io.TextIOWrapper(open_input(path), encoding="utf-8-sig", newline="")


def records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Each non-empty record after the header, with the line it begins on."""
    last = 0  # the line the last record read ends on
    try:
        with _text(path) as stream:
            rows = csv.reader(stream, strict=True)
            next(rows, None)  # the header
            last = rows.line_num
            for row in rows:
                line, last = last + 1, rows.line_num
                if row:
                    yield line, row
    except UnicodeDecodeError:
        raise not_text(path) from None
    except csv.Error:
        raise syntax_error(path, last + 1) from None
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror or error})") from None


def column_names(path: Path) -> list[str]:
    """The export's first record: its column names, as written."""
    try:
        with _text(path) as stream:
            return next(csv.reader(stream, strict=True), [])
    except UnicodeDecodeError:
        raise not_text(path) from None
    except csv.Error:
        raise syntax_error(path, 1) from None
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror or error})") from None


def check_text(path: Path, share: float = 0.0) -> int:
    """Refuse an export that is not UTF-8 text, at its first bad byte or NUL, before any
    of it is counted (where a reader would stumble on it depends on how it reads ahead);
    return the line about ``share`` of the way through its bytes, where a first reader
    of two stops (its records are those that begin on or before it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines, read = 0, 0
    try:
        with open_input(path) as raw:
            before = int(path.stat().st_size * share)  # bytes to count lines in
            while block := raw.read(BLOCK):
                decoder.decode(block)
                nul = block.find(b"\0")
                if nul >= 0:
                    raise _nul(path, read + nul)
                if before > 0:
                    newlines += block.count(b"\n", 0, before)
                    before -= len(block)
                read += len(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise not_text(path) from None
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror or error})") from None
    return newlines + 1


def _nul(path: Path, offset: int) -> ExportError:
    """The error for a NUL byte at ``offset``: a binary file, or text saved as UTF-16."""
    with open_input(path) as raw:
        good = raw.read(offset).decode("utf-8-sig")
    line, column = line_col(good, len(good))
    return ExportError(f"{path}:{line}:{column}: a NUL byte: this is not a text export "
                       "(a spreadsheet, or text saved as UTF-16?); save the export as "
                       "CSV in UTF-8")


def not_text(path: Path) -> ExportError:
    """The error for an export that is not UTF-8, at the line and column of its first
    bad byte."""
    with open_input(path) as raw:
        data = raw.read()
    bad = len(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = error.start
    good = data[:bad].decode("utf-8-sig")
    line, column = line_col(good, len(good))
    byte = data[bad:bad + 1].hex() or "end"
    return ExportError(f"{path}:{line}:{column}: not UTF-8 text (byte 0x{byte}); save the "
                       "export as UTF-8")


def syntax_error(path: Path, line: int) -> ExportError:
    """The error for a record, beginning on ``line``, that the strict CSV reader refused:
    at the line and cell of the quote that is never closed, or of what follows a closing
    quote."""
    found = _misquoted(path, line)
    if found is None:  # the reader's refusal, without a place found: name the record
        return ExportError(f"{path}:{line}:1: the record that begins here is not valid CSV "
                           f"(a cell longer than {csv.field_size_limit()} characters?)")
    where, cell, kind = found
    if kind != "after":
        within = f" within {csv.field_size_limit()} characters" if kind == "long" else ""
        return ExportError(f"{path}:{where}:{cell}: a quote opened in cell {cell} is not "
                           f"closed{within}: the lines after it would be read as that one "
                           "cell; close the quote (a quote inside a quoted cell is written "
                           "twice)")
    return ExportError(f"{path}:{where}:{cell}: cell {cell} goes on after its closing quote; "
                       "write a quote inside a quoted cell twice (\"say \"\"hi\"\"\")")


def _misquoted(path: Path, line: int) -> tuple[int, int, str] | None:
    """Where the record beginning on ``line`` breaks the quoting rules: the line and cell
    of a quote never closed (``open``) or not within the reader's field limit (``long``),
    or of a character after a closing quote (``after``).

    The CSV reader says only that it refused; this walks the record as it does (the
    default dialect), from its first line, for at most the reader's field limit past the
    open quote, since a longer cell is what the reader refuses too."""
    limit = csv.field_size_limit()
    with _text(path) as stream:
        for _ in range(line - 1):
            stream.readline()
        state, cell, at, opened, length = "start", 1, line, (line, 1), 0
        while chunk := stream.read(BLOCK >> 4):
            for char in chunk:
                if state == "quoted":
                    if char == '"':
                        state = "closing"
                        continue
                    length, at = length + 1, at + (char == "\n")
                    if length > limit:
                        return opened[0], opened[1], "long"
                elif char == '"' and state != "field":
                    if state == "start":
                        opened, length = (at, cell), 0
                    state = "quoted"  # opening, or a quote written twice
                elif char == ",":
                    state, cell = "start", cell + 1
                elif char in "\r\n":
                    return None  # the record ended: not where the reader stumbled
                elif state == "closing":
                    return at, cell, "after"
                else:
                    state = "field"
    return (opened[0], opened[1], "open") if state == "quoted" else None


def in_two_processes(path: Path, here: Callable[[], None],
                     there: Callable[..., None], args: tuple[Any, ...], hint: str = "") -> Any:
    """Run ``there(*args, sender)`` in a second process while ``here()`` runs in this
    one, and return what the second sent (:func:`send_outcome`); an error it met is
    raised here, and its death without a word (killed, out of memory) is an error
    naming ``path`` (``hint``: what to do then). :class:`NoSecondProcess` when it
    cannot be started, before ``here()`` is called."""
    # a fork starts in milliseconds with everything imported; elsewhere (macOS, whose
    # system libraries are not safe to fork, Windows, or beside other threads, whose
    # locks a fork would copy held) a spawned one imports it again
    context: Any = multiprocessing.get_context(
        "fork" if sys.platform.startswith("linux") and threading.active_count() == 1
        else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    second = context.Process(target=there, daemon=True, args=(*args, sender))
    try:
        second.start()  # before this process reads a record: both start from the same state
    except OSError as error:
        receiver.close()
        sender.close()
        raise NoSecondProcess(str(error)) from None
    sender.close()
    try:
        here()
        outcome, later = receiver.recv()
    except EOFError:
        second.join()
        raise SlaError(f"{path}: the second process reading it stopped (exit code "
                       f"{second.exitcode}){hint}") from None
    finally:
        receiver.close()
        if second.is_alive():
            second.terminate()
        second.join()
    if outcome == "error":
        raise later
    return later


def send_outcome(sender: Connection, work: Callable[[], Any]) -> None:
    """In the second process of :func:`in_two_processes`: send back what ``work``
    returns, or the error it raised, and close the pipe."""
    # Ctrl-C reaches the whole process group: the first process says "aborted" and
    # stops this one, which must not print a traceback of its own first
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    result: tuple[str, Any]
    try:
        result = ("ok", work())
    except Exception as error:
        result = ("error", error)
    sender.send(result)
    sender.close()


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this second process the moment the first one dies:
    a command killed with ``kill -9`` (a CI timeout) must not leave it reading its half
    of the export on, adopted by init, for seconds."""
    if not sys.platform.startswith("linux"):
        return  # elsewhere it stops at its next send to the closed pipe
    # here: ctypes only in the second process, only on Linux
    import ctypes

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG, <linux/prctl.h>
    ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
    first = multiprocessing.parent_process()
    if first is not None and os.getppid() != first.pid:  # it died before that was asked
        raise SystemExit(1)

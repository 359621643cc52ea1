"""A CSV export read record by record, and where to share it between two readers.

A record is named by its first line in the file (the header is line 1), as an editor
shows it; a quoted cell may hold a line break, so a record may span lines.

Two readers share an export by line: the first counts the records that begin on or
before a given line, the second the rest. Both read with the same CSV reader from the
file's start (the second only skims the first's share), so where a record begins is
never guessed from the bytes: a quote inside an unquoted cell (``ab"c``) or a quoted
cell holding a line break cannot move the boundary.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from sla_docs.errors import SlaError, line_col

BLOCK = 1 << 23
"""Bytes read at a time when a whole file is looked over."""


class ExportError(SlaError):
    """An export that cannot be read, at ``file:line:column``."""


def records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Each non-empty record after the header, with the line it begins on."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows = csv.reader(stream)
            next(rows, None)  # the header
            last = rows.line_num
            for row in rows:
                line, last = last + 1, rows.line_num
                if row:
                    yield line, row
    except UnicodeDecodeError:
        raise not_text(path) from None
    except (OSError, csv.Error) as error:
        raise ExportError(f"{path}: cannot be read as CSV ({error})") from None


def column_names(path: Path) -> list[str]:
    """The export's first record: its column names, as written."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            return next(csv.reader(stream), [])
    except UnicodeDecodeError:
        raise not_text(path) from None
    except (OSError, csv.Error) as error:
        raise ExportError(f"{path}: cannot be read as CSV ({error})") from None


def check_text(path: Path, share: float = 0.0) -> int:
    """Refuse an export that is not UTF-8 text, at its first bad byte, before any of it
    is counted (where a reader would stumble on it depends on how it reads ahead);
    return the line about ``share`` of the way through its bytes, where a first reader
    of two stops (its records are those that begin on or before it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines, before = 0, int(path.stat().st_size * share)  # bytes to count lines in
    try:
        with path.open("rb") as raw:
            while block := raw.read(BLOCK):
                decoder.decode(block)
                if before > 0:
                    newlines += block.count(b"\n", 0, before)
                    before -= len(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise not_text(path) from None
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror or error})") from None
    return newlines + 1


def not_text(path: Path) -> ExportError:
    """The error for an export that is not UTF-8, at the line and column of its first
    bad byte."""
    data = path.read_bytes()
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

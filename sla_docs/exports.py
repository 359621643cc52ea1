"""A CSV export read record by record, whole or in parts that two processes read at once.

A record is named by its first line in the file (the header is line 1), as an editor
shows it; a quoted cell may hold a line break, so a record may span lines.

A part begins after a line break that no quoted cell is open across: RFC 4180 doubles a
quote inside a quoted cell, so the cells open at a point are open exactly when the
quotes before it are odd in number. The first part ends after a known count of lines,
the second begins at a byte offset and knows how many lines come before it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sla_docs.errors import SlaError

if TYPE_CHECKING:
    from _csv import Reader

BLOCK = 1 << 23
"""Bytes read at a time while looking for where to split."""


class ExportError(SlaError):
    """An export that cannot be read, at ``file:line:column``."""


@dataclass(frozen=True)
class Part:
    """A run of an export's records."""

    start: int = 0
    """Byte offset of its first line (0: the file's start, whose header is skipped)."""
    first_line: int = 1
    """The line number at ``start``."""
    lines: int | None = None
    """Where it ends: after this many lines of the file (None: at the file's end)."""
    stop: int | None = None
    """Where it ends, as a byte offset (None: at the file's end)."""
    plain: bool = False
    """Whether it has no quote at all, so that its cells lie between its commas."""


WHOLE = Part()
"""The whole export."""


def records(path: Path, part: Part = WHOLE) -> Iterator[tuple[int, list[str]]]:
    """Each non-empty record of ``part`` after the header, with the line it begins on."""
    try:
        with path.open("rb") as raw:
            raw.seek(part.start)
            stream = io.TextIOWrapper(raw, encoding="utf-8-sig" if part.start == 0
                                      else "utf-8", newline="")
            rows = csv.reader(stream)
            if part.start == 0:
                next(rows, None)  # the header
            yield from _numbered(rows, part)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ExportError(f"{path}: cannot be read as CSV ({error})") from None


def _numbered(rows: Reader, part: Part) -> Iterator[tuple[int, list[str]]]:
    before = part.first_line - 1 if part.start else 0
    last, stop = rows.line_num, part.lines
    if stop is not None and before + last >= stop:
        return
    for row in rows:
        line, last = before + last + 1, rows.line_num
        if row:
            yield line, row
        if stop is not None and before + last >= stop:
            return


def split_export(path: Path, share: float = 0.5) -> tuple[Part, Part] | None:
    """Two parts of ``path``, the first about ``share`` of its bytes; None if it has no
    record boundary after that point, or ends its lines with a bare carriage return
    (which the count of lines here would miss)."""
    size = path.stat().st_size
    newlines = quotes = 0
    with path.open("rb") as raw:
        remaining = int(size * share)
        while remaining > 0:
            block = raw.read(min(remaining, BLOCK))
            if block.endswith(b"\r"):  # its line feed may open the next block
                block += raw.read(1)
            if not block or block.count(b"\r") != block.count(b"\r\n"):
                return None
            newlines, quotes = newlines + block.count(b"\n"), quotes + block.count(b'"')
            remaining -= len(block)
        while True:  # on to the end of a line outside any quoted cell
            line = raw.readline()
            if not line.endswith(b"\n") or line.count(b"\r") != line.count(b"\r\n"):
                return None
            newlines, quotes = newlines + line.count(b"\n"), quotes + line.count(b'"')
            if quotes % 2 == 0:
                break
        start = raw.tell()
    if start >= size:
        return None
    return Part(0, 1, newlines, start, quotes == 0), Part(start, newlines + 1)


def plain_lines(path: Path, part: Part) -> Iterator[bytes]:
    """The lines of a part after the header, as bytes without their line feed: for a
    quick look at a part with no quotes, where a line is a record (or is blank)."""
    with path.open("rb") as raw:
        raw.seek(part.start)
        left = (part.stop if part.stop is not None else path.stat().st_size) - part.start
        carry, header = b"", part.start == 0
        while left > 0:
            block = raw.read(min(left, BLOCK))
            if not block:
                break
            left -= len(block)
            lines = (carry + block).split(b"\n")
            carry = lines.pop()
            if header and lines:
                lines, header = lines[1:], False
            yield from lines
        if carry and not header:
            yield carry

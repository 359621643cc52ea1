"""Where each character of a text's value stands in the file, whatever its YAML style.

The loader records where a value starts (:class:`sla_docs.source.load.Located`). A
finding inside a text (a word to avoid) belongs at that word's own line and column, so
the scalar is read again from its start, the way YAML reads it: plain and quoted
scalars fold their line breaks into spaces and drop the indentation; a double-quoted
one has escapes (``\\u00e9`` is one character of the value, placed at its backslash); a
literal block (``|``) keeps its lines, a folded one (``>``) joins them. The reading is
checked against the value the loader built: where the two differ (a character YAML
reads in a way not retraced here), :func:`scalar_offsets` says so with None, and the
caller falls back to the value's start.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Generator, Iterator

from sla_docs.errors import Position

MARK_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
"""What ruamel.yaml counts as a new line in its marks (so in every loaded position)."""
_FOLDED_BREAKS = "\r\n\x85\u2028\u2029"
"""The line breaks of a flow scalar's content: ruamel.yaml folds the first three into a
space (or a newline per blank line after them) and keeps the last two as they are."""
_KEPT_BREAKS = "\u2028\u2029"
_BLANK = " \t"
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
            "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
            "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_PROPERTIES = re.compile(r"(?:[!&][^\s]*[ \t]+)*")
"""A tag (``!!str``) or an anchor (``&name``) written before a value."""

Read = Iterator[tuple[str, int]]
"""A scalar's value, one character at a time, with the offset it was read from."""
_Step = Generator[tuple[str, int], None, int]
"""Some characters of a value; returns the offset reading goes on from."""


class Lines:
    """Offsets and positions of one file's text, counting lines as ruamel.yaml does."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0, *(found.end() for found in MARK_BREAKS.finditer(text))]

    def offset(self, position: Position) -> int:
        """The character offset of a 1-based position."""
        line = min(max(position.line, 1), len(self._starts))
        return min(self._starts[line - 1] + position.column - 1, len(self.text))

    def position(self, offset: int) -> Position:
        """The 1-based position of a character offset."""
        line = bisect.bisect_right(self._starts, offset)
        return Position(line, offset - self._starts[line - 1] + 1)


def scalar_offsets(lines: Lines, start: Position, value: str) -> list[int] | None:
    """For each character of ``value`` (a scalar that starts at ``start``), the offset
    in the file of what it was read from; None when the file does not read back as
    ``value`` (the caller then says its position is the value's start)."""
    text = lines.text
    begin = lines.offset(start)
    properties = _PROPERTIES.match(text, begin)
    begin = properties.end() if properties else begin
    first = text[begin:begin + 1]
    reader: Read
    if first == '"':
        reader = _flow(text, begin + 1, double=True)
    elif first == "'":
        reader = _flow(text, begin + 1, double=False)
    elif first in ("|", ">"):
        return _block(text, begin, value)
    else:
        reader = _flow(text, begin, double=None)
    return _checked(reader, value)


def _checked(reader: Read, value: str) -> list[int] | None:
    offsets: list[int] = []
    for expected, (char, offset) in zip(value, reader, strict=False):
        if char != expected:
            return None
        offsets.append(offset)
    return offsets if len(offsets) == len(value) else None


def _flow(text: str, at: int, *, double: bool | None) -> Generator[tuple[str, int], None, None]:
    """A plain (``double`` None), single- or double-quoted scalar's characters: each line
    break folded into a space, or into a newline per empty line after it."""
    pending: list[tuple[str, int]] = []  # spaces kept only if the line goes on
    end = len(text)
    while at < end:
        char = text[at]
        if char in _FOLDED_BREAKS:
            pending.clear()  # a line's trailing blanks are not part of the value
            at = yield from _fold(text, at)
            continue
        if char in _BLANK:
            pending.append((char, at))
            at += 1
            continue
        yield from pending
        pending.clear()
        if double and char == "\\":
            at = yield from _escape(text, at)
        elif double is False and char == "'" and text[at + 1:at + 2] == "'":
            yield "'", at
            at += 2
        elif double is not None and char == ('"' if double else "'"):
            return
        else:
            yield char, at
            at += 1


def _fold(text: str, at: int, *, escaped: bool = False) -> _Step:
    """A line break and the blank lines after it: one space, or a newline per blank line
    (an escaped break, ``escaped``, is dropped itself). Returns where the next line's
    content starts."""
    first, empty = at, 0
    if text[at] in _KEPT_BREAKS and not escaped:
        yield text[at], at
    while True:
        at += 2 if text.startswith("\r\n", at) else 1
        while at < len(text) and text[at] in _BLANK:
            at += 1
        if at < len(text) and text[at] in _FOLDED_BREAKS:
            yield (text[at] if text[at] in _KEPT_BREAKS else "\n"), at
            empty += 1
            continue
        if not empty and not escaped and text[first] not in _KEPT_BREAKS:
            yield " ", first
        return at


def _escape(text: str, at: int) -> _Step:
    """One escape of a double-quoted scalar, placed at its backslash."""
    code = text[at + 1:at + 2]
    if code in _HEX_ESCAPES:
        digits = text[at + 2:at + 2 + _HEX_ESCAPES[code]]
        try:
            yield chr(int(digits, 16)), at
        except ValueError:
            return len(text)  # the loader accepted it: what is read here is wrong
        return at + 2 + len(digits)
    if code and code in _FOLDED_BREAKS:  # an escaped line break joins the lines
        return (yield from _fold(text, at + 1, escaped=True))
    if code in _ESCAPES:
        yield _ESCAPES[code], at
        return at + 2
    return len(text)


_HEADER = re.compile(r"([|>])([-+0-9]*)[^\r\n\x85]*")
_LINE = re.compile(r"([^\r\n\x85]*)(\r\n|[\r\n\x85]|$)")
_TRIED_INDENTS = 64
"""With an explicit indentation indicator, how many indentations are tried (from the
first line's down): the value is checked, so a wrong one is never taken."""


def _block(text: str, at: int, value: str) -> list[int] | None:
    """A literal (``|``) or folded (``>``) block scalar; its indentation is found from its
    first line with content, or tried from the header's explicit indicator."""
    header = _HEADER.match(text, at)
    if header is None:
        return None
    body = header.end() + (2 if text.startswith("\r\n", header.end()) else 1)
    width = next((len(line) - len(line.lstrip(" ")) for _, line in _body_lines(text, body)
                  if line.strip(" \t")), None)
    if width is None:
        return None
    explicit = any(c.isdigit() for c in header.group(2))
    tried = range(width, max(width - _TRIED_INDENTS, 0), -1) if explicit else [width]
    for indent in tried:
        reader = _block_chars(_body_lines(text, body), indent, folded=header.group(1) == ">")
        found = _checked(reader, value)
        if found is not None:
            return found
    return None


def _body_lines(text: str, at: int) -> Iterator[tuple[int, str]]:
    """The lines from ``at`` on, each with its offset, read as they are needed (the
    scalar ends somewhere among them; reading stops when its value is complete)."""
    while True:
        line = _LINE.match(text, at)
        if line is None:  # the pattern matches any line, even an empty last one
            return
        yield line.start(1), line.group(1)
        if not line.group(2):
            return
        at = line.end()


def _block_chars(lines: Iterator[tuple[int, str]], indent: int, *, folded: bool) -> Read:
    previous_normal = False
    empty_breaks: list[int] = []
    last_break: int | None = None
    for offset, line in lines:
        if not line.strip(" \t") and len(line) <= indent:
            empty_breaks.append(offset + len(line))
            continue
        if line.strip(" \t") and len(line) - len(line.lstrip(" ")) < indent:
            break  # less indented: the block has ended
        content = line[indent:]
        normal = content[:1] not in _BLANK
        joined = folded and previous_normal and normal
        if last_break is not None and not (joined and not empty_breaks):
            if not joined:
                yield "\n", last_break
        elif last_break is not None:
            yield " ", last_break
        for brk in empty_breaks:
            yield "\n", brk
        empty_breaks = []
        for index, char in enumerate(content):
            yield char, offset + indent + index
        last_break, previous_normal = offset + len(line), normal
    if last_break is not None:  # the last line's break, then what chomping keeps
        yield "\n", last_break
        for brk in empty_breaks:
            yield "\n", brk

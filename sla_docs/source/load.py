"""Read an agreement's YAML into plain data and a map of positions.

The YAML is composed into nodes with ruamel.yaml and built into plain Python values
here, not by ruamel's constructor, for three reasons: every key and value keeps its
line and column (:class:`SourceMap`), numbers become ``Decimal`` from their source text
(``0.1`` stays exactly ``0.1``), and what is dangerous or ambiguous in an agreement
(duplicate keys, aliases, custom tags, tabs) is refused with a position instead of
being silently resolved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sla_docs.errors import Diagnostic, InvalidAgreement, Position, Severity, line_col
from sla_docs.input_files import open_input

MAX_SOURCE_BYTES = 1024 * 1024
"""An agreement is a few dozen kilobytes; a megabyte is already absurd."""
MAX_DEPTH = 64
"""Agreements nest a handful of levels; deeper input is an attack or an accident."""

YamlPath = tuple[str | int, ...]
"""The keys and indices that lead from the top of the document to a value."""

_TAG = "tag:yaml.org,2002:"
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


@dataclass(frozen=True)
class Located:
    """Where one entry of the document stands."""

    key: Position
    """Position of the mapping key (for a list item, of the item itself)."""
    value: Position
    """Position of the value."""


@dataclass(frozen=True)
class SourceMap:
    """Positions of every key and value of a document, by YAML path."""

    entries: dict[YamlPath, Located]
    """Each path that exists in the document, with its key and value positions."""

    def locate(self, path: YamlPath, *, at_key: bool = False) -> Position:
        """Position of ``path``, or of its nearest ancestor when it does not exist.

        A missing field is reported where its parent is, which is where it belongs.
        """
        for end in range(len(path), 0, -1):
            entry = self.entries.get(path[:end])
            if entry is not None:
                return entry.key if (at_key or end < len(path)) else entry.value
        return Position(1, 1)

    def has(self, path: YamlPath) -> bool:
        """Whether ``path`` is written in the document."""
        return path in self.entries


@dataclass(frozen=True)
class Source:
    """An agreement file, read and parsed, positions kept."""

    path: str
    """The file name as the user gave it, used in every message."""
    text: str
    """The decoded text."""
    sha256: str
    """SHA-256 of the file's bytes, hex: identifies exactly which source an output came from."""
    data: dict[str, Any]
    """The document as plain values: dict, list, str, int, Decimal, bool, date, None."""
    positions: SourceMap
    """Where every key and value stands."""

    def diagnostic(
        self,
        path: YamlPath,
        code: str,
        message: str,
        *,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
        at_key: bool = False,
    ) -> Diagnostic:
        """A diagnostic placed at ``path`` in this source."""
        return Diagnostic(
            path=self.path,
            position=self.positions.locate(path, at_key=at_key),
            severity=severity,
            code=code,
            message=message,
            hint=hint,
            yaml_path=path,
        )


def load_file(path: Path, display: str | None = None, *, what: str = "an agreement") -> Source:
    """Read and parse one agreement file (or another document, ``what``, such as a
    termbase); raise :class:`InvalidAgreement` when it can't be."""
    name = display or str(path)
    try:
        with open_input(path) as handle:  # a regular file: a FIFO or /dev/zero never ends
            raw = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as error:
        raise InvalidAgreement(
            [_problem(name, 1, 1, "SLA009", f"cannot read: {error.strerror}")]
        ) from None
    return load_bytes(raw, name, what=what)


def load_bytes(raw: bytes, name: str, *, what: str = "an agreement") -> Source:
    """Parse an agreement from its bytes (a file, or a git revision of one)."""
    if len(raw) > MAX_SOURCE_BYTES:
        limit = MAX_SOURCE_BYTES // 1024
        raise InvalidAgreement(
            [_problem(name, 1, 1, "SLA006", f"file is larger than {limit} KiB")]
        )
    text = _decode(raw, name)
    if not text.strip():
        raise InvalidAgreement([_problem(name, 1, 1, "SLA005", "file is empty")])
    tabs = [
        _problem(name, *line_col(text, m.end() - 1), "SLA003", "tab in indentation",
                 hint="YAML indents with spaces only")
        for m in _TAB_INDENT.finditer(text)
    ]
    if tabs:
        raise InvalidAgreement(tabs)
    root = _compose(text, name)
    builder = _Builder(name)
    data = builder.build(root, (), 0)
    if builder.problems:
        raise InvalidAgreement(builder.problems)
    if not isinstance(data, dict):
        mark = root.start_mark
        raise InvalidAgreement([
            _problem(name, mark.line + 1, mark.column + 1, "SLA008",
                     f"{what} is a mapping of sections, not a {_kind(data)}")
        ])
    return Source(
        path=name,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        data=data,
        positions=SourceMap(builder.entries),
    )


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        good = raw[: error.start].decode("utf-8-sig", errors="replace")
        line, column = line_col(good, len(good))
        raise InvalidAgreement([
            _problem(name, line, column, "SLA004",
                     f"not UTF-8: byte 0x{raw[error.start]:02x} cannot start a character",
                     hint="save the file as UTF-8")
        ]) from None


def _refuse_deep_nesting(yaml: YAML, text: str, name: str) -> None:
    """SLA001 at the first collection nested deeper than :data:`MAX_DEPTH`, found in the
    parser's flat stream of events before anything is composed: the C composer recurses
    once per level and crashes the process (a segfault, not an error) on a few
    thousand nested brackets, which fit in a small file."""
    depth = 0
    for event in yaml.parse(text):
        kind = type(event).__name__
        if kind in ("SequenceStartEvent", "MappingStartEvent"):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise InvalidAgreement([_problem(
                    name, mark.line + 1, mark.column + 1, "SLA001",
                    f"nested deeper than {MAX_DEPTH} levels")])
        elif kind in ("SequenceEndEvent", "MappingEndEvent"):
            depth -= 1


def _compose(text: str, name: str) -> Node:
    # The "safe" composer uses ruamel.yaml.clib's C parser when it is installed (about
    # eight times faster than the pure-Python one) and falls back to pure Python.
    yaml = YAML(typ="safe")
    try:
        _refuse_deep_nesting(yaml, text, name)
        root = yaml.compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        unquoted = _unquoted_template(text, line)
        if unquoted is not None:
            line, column = unquoted
        hint = ('a value that starts with `{{` is read as a YAML mapping: quote it, '
                '`en: "{{ targets.leads }} leads"`') if unquoted else None
        raise InvalidAgreement(
            [_problem(name, line, column, "SLA001", f"YAML syntax: {message}", hint)]
        ) from None
    except (YAMLError, RecursionError) as error:
        raise InvalidAgreement(
            [_problem(name, 1, 1, "SLA001", "YAML syntax: nested too deeply"
                     if isinstance(error, RecursionError) else f"YAML syntax: {error}")]
        ) from None
    if not isinstance(root, Node):
        raise InvalidAgreement([_problem(name, 1, 1, "SLA005", "file holds no document")])
    return root


_UNQUOTED_TEMPLATE = re.compile(r"(?:^|:|-)\s+(\{\{)")


def _unquoted_template(text: str, error_line: int) -> tuple[int, int] | None:
    """Where a plain value starting with ``{{`` is, on the error's line or just before."""
    lines = text.split("\n")
    for number in range(min(error_line, len(lines)), max(error_line - 3, 0), -1):
        found = _UNQUOTED_TEMPLATE.search(lines[number - 1])
        if found:
            return number, found.start(1) + 1
    return None


class _Builder:
    """Turns composed nodes into plain values, recording positions and problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.entries: dict[YamlPath, Located] = {}
        self.problems: list[Diagnostic] = []
        self._seen: set[int] = set()
        self._aliased: set[int] = set()

    def build(self, node: Node, path: YamlPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self._flag(node, "SLA001", f"nested deeper than {MAX_DEPTH} levels")
            return None
        if id(node) in self._seen:
            # ruamel hands back the anchored node for every alias; building it again would
            # let a few lines expand into billions of values. One report per anchor.
            if id(node) not in self._aliased:
                self._aliased.add(id(node))
                anchor = _pos(node)
                self.problems.append(Diagnostic(
                    self.name, self.entries[path].key if path else anchor, Severity.ERROR,
                    "SLA007", "YAML aliases (*name) are not allowed in an agreement",
                    f"write out the value anchored at line {anchor.line}", path))
            return None
        self._seen.add(id(node))
        tag = _tag(node)
        if isinstance(node, MappingNode | SequenceNode) and tag not in ("map", "seq"):
            self._flag(node, "SLA001", f"YAML tag `!!{tag}` is not allowed", path=path)
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                # An alias item carries its anchor's position; the list's own is nearer.
                at = _pos(node) if id(item) in self._seen else _pos(item)
                self.entries[(*path, index)] = Located(at, at)
                items.append(self.build(item, (*path, index), depth + 1))
            return items
        return self._scalar(node)

    def _mapping(self, node: MappingNode, path: YamlPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or _tag(key_node) == "merge":
                self._flag(key_node, "SLA001", "keys must be plain words", path=path)
                continue
            key = str(key_node.value)
            child = (*path, key)
            if key in result:
                first = self.entries[child].key
                self._flag(key_node, "SLA002", f"duplicate key `{key}`",
                           hint=f"first defined at line {first.line}", path=child)
                continue
            self.entries[child] = Located(_pos(key_node), _pos(value_node))
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _scalar(self, node: Node) -> Any:
        tag, text = _tag(node), str(node.value)
        if tag == "str":
            return text
        if tag == "null":
            return None
        if tag == "bool":
            return text.lower() == "true"
        if tag == "int":
            return _integer(text)
        if tag == "float":
            return _decimal(text)
        if tag == "timestamp":
            return _timestamp(text)
        self._flag(node, "SLA001", f"YAML tag `!!{tag}` is not allowed")
        return None

    def _flag(self, node: Node, code: str, message: str, *, hint: str | None = None,
              path: YamlPath = ()) -> None:
        at = _pos(node)
        self.problems.append(Diagnostic(self.name, at, Severity.ERROR, code, message, hint, path))


def _tag(node: Node) -> str:
    tag = str(getattr(node.tag, "value", node.tag) or "")
    return tag.removeprefix(_TAG)


def _integer(text: str) -> int | str:
    cleaned = text.replace("_", "")
    try:
        return int(cleaned, 0)
    except ValueError:
        try:
            return int(cleaned, 10)
        except ValueError:
            return text


def _decimal(text: str) -> Decimal | str:
    # .inf and .nan stay text, so that validation refuses them as amounts.
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return text
    return value if value.is_finite() else text


def _timestamp(text: str) -> dt.date | dt.datetime | str:
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return text


def _pos(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _kind(value: object) -> str:
    return {list: "list", str: "text", type(None): "null"}.get(type(value), type(value).__name__)


def _problem(name: str, line: int, column: int, code: str, message: str,
             hint: str | None = None) -> Diagnostic:
    return Diagnostic(name, Position(line, column), Severity.ERROR, code, message, hint)

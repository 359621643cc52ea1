"""New texts written into an agreement's YAML, every other byte left as it was.

Only the scalars that change are replaced, each at its place in the file: comments,
blank lines, key order, quoting, line ends (CRLF stays CRLF), a byte order mark and
every untouched text keep their bytes, which a ruamel round trip (load, set, dump)
does not promise (it re-wraps long lines and re-spaces comments). Each new scalar is
written by ruamel in the style of the one it replaces (a folded ``>-`` block stays
folded, at its indentation) and then read back: the whole file must load to the
document expected, the old one with exactly these texts changed. Where a style does
not read back as meant (a flow mapping ``{en: …}`` cannot hold a block), or makes the
file fail to load (a leading tab in a folded block, a U+2028), the text is written
double-quoted on one line, which reads back the same in any context; a text even that
cannot hold is :class:`UnwritableText`, which import reports at the translator's entry.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from sla_docs.errors import Diagnostic, InvalidAgreement, SlaError
from sla_docs.source.load import MAX_SOURCE_BYTES, Source, YamlPath, load_bytes

WIDTH = 88
"""The column ruamel folds a long text before, as the samples are written."""
_STYLES: dict[str | None, type[str]] = {
    ">": FoldedScalarString, "|": LiteralScalarString,
    "'": SingleQuotedScalarString, '"': DoubleQuotedScalarString,
}
"""The scalar type that makes ruamel write each style; a plain scalar is a ``str``,
written plain when ruamel can, quoted when it must."""
_BOM = "\ufeff"
_HELD_SPACE = "\ue000"
_PLACEHOLDER = re.compile(r"\{[{%#].*?[}%#]\}", re.DOTALL)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLOCK_HEADER = re.compile(r"[>|][-+0-9]*(?P<comment>[ \t]+#[^\r\n]*)?")
_YAML11_WORD = re.compile(r"y|n|yes|no|on|off|true|false|null|~", re.IGNORECASE)
"""What YAML 1.1 readers (PyYAML, older tools) take for a boolean or a null: written
quoted, though YAML 1.2 reads it as text."""


class UnwritableText(SlaError):
    """A new text the YAML cannot hold, even double-quoted; ``path`` is the text's
    (None when the problem cannot be traced to one text)."""

    def __init__(self, path: YamlPath | None, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


def spliced(source: Source, raw: bytes, changes: Mapping[YamlPath, str]) -> bytes:
    """The file's bytes ``raw`` with the scalar at each path of ``changes`` replaced by
    its new text. A text whose style does not load back (or loads back as another
    text) is written double-quoted; :class:`UnwritableText` when even that fails to
    load, :class:`SlaError` if the result does not read back as the source's document
    with exactly those changes (which should not happen)."""
    text = raw.decode("utf-8")
    bom = _BOM if text.startswith(_BOM) else ""
    body = text.removeprefix(bom)
    expected = copy.deepcopy(source.data)
    for path, value in changes.items():
        _set(expected, path, value)
    # the pure-Python parser: its marks count characters of this very string (the C
    # parser's skip a byte order mark)
    root = YAML(typ="safe", pure=True).compose(body)
    nodes = {path: _node(root, path) for path in changes}
    quoted: set[YamlPath] = set()
    for _ in range(len(changes) + 2):  # each round quotes at least one more text
        result, lines = _replace(body, nodes, changes, quoted)
        written = (bom + result).encode("utf-8")
        if len(written) > MAX_SOURCE_BYTES:
            longest = max(changes, key=lambda path: len(changes[path]))
            raise UnwritableText(longest, "with this translation the agreement would be "
                                 f"larger than {MAX_SOURCE_BYTES // 1024} KiB")
        try:
            reread = load_bytes(written, source.path)
        except InvalidAgreement as error:
            quoted |= _at_fault(error.diagnostics, lines, quoted)
            continue
        if reread.data == expected:
            return written
        moved = {path for path in changes if _get(reread.data, path) != changes[path]}
        if not moved - quoted:  # the texts are right, something else moved: give up
            break
        quoted |= moved
    raise SlaError(f"{source.path}: the translations could not be written into the YAML "
                   "without changing something else; the file is left as it was (please "
                   "report it)")


def _at_fault(problems: list[Diagnostic], lines: list[tuple[int, YamlPath]],
              quoted: set[YamlPath]) -> set[YamlPath]:
    """The texts to write double-quoted now that the file with them does not load:
    the one written last before the first problem (a parser stops at or after the
    text it cannot read); :class:`UnwritableText` when it already is."""
    first = problems[0]
    before = [path for line, path in lines if line <= first.position.line]
    if not before or first.position.line == 1:  # not at a text: a file-wide problem
        unquoted = {path for _, path in lines} - quoted
        if unquoted:
            return unquoted
        only = lines[0][1] if len(lines) == 1 else None
        raise UnwritableText(only, f"{first.code}: {first.message}")
    if before[-1] in quoted:
        raise UnwritableText(before[-1], f"{first.code}: {first.message}")
    return {before[-1]}


def _replace(body: str, nodes: dict[YamlPath, tuple[Node, ScalarNode]],
             changes: Mapping[YamlPath, str], quoted: set[YamlPath],
             ) -> tuple[str, list[tuple[int, YamlPath]]]:
    """``body`` with the new texts written in, and the line each starts on."""
    found = _LINE_BREAK.search(body)
    newline = found.group() if found else "\n"  # CRLF stays CRLF, CR stays CR
    spans = []
    for path, (key, value) in nodes.items():
        start, end = value.start_mark.index, value.end_mark.index
        end = start + len(body[start:end].rstrip())  # a block's trailing breaks stay
        indent = key.start_mark.column + 2
        style = None if path in quoted else value.style
        try:
            written = _scalar(changes[path], style, indent, path in quoted)
        except IndexError:  # ruamel's folding of a control character: quote it instead
            written = _scalar(changes[path], None, indent, True)
        header = _BLOCK_HEADER.match(body, start)
        if header and header.group("comment"):
            # a comment on the header line (`it: >-  # reviewed`) stays, after the new
            # header or after a text now double-quoted on one line
            first, _, rest = written.partition("\n")
            written = first + header.group("comment") + ("\n" + rest if rest else "")
        spans.append((start, end, written.replace("\n", newline), path))
    lines = []
    shift = 0
    for start, end, written, path in sorted(spans):
        lines.append((len(_LINE_BREAK.findall(body, 0, start + shift)) + 1, path))
        body = body[:start + shift] + written + body[end + shift:]
        shift += len(written) - (end - start)
    return body, lines


def _scalar(value: str, style: str | None, indent: int, one_line: bool) -> str:
    """``value`` written as a YAML scalar of ``style`` whose lines after the first are
    indented by ``indent``, as the value of a mapping key."""
    yaml = YAML(typ="rt")
    yaml.width = 10**9 if one_line else max(WIDTH - indent, 40)
    # a figure is never folded across lines: its spaces are held by a private-use
    # character (which YAML writes as itself) while ruamel folds
    held = value if _HELD_SPACE in value else _PLACEHOLDER.sub(
        lambda found: found.group().replace(" ", _HELD_SPACE), value)
    if one_line:
        scalar: Any = DoubleQuotedScalarString(held)
    elif style is None and _YAML11_WORD.fullmatch(value):
        scalar = SingleQuotedScalarString(held)  # a YAML 1.1 reader's boolean or null
    else:
        scalar = _STYLES.get(style, str)(held)
    buffer = io.StringIO()
    yaml.dump({"k": scalar}, buffer)
    dumped = buffer.getvalue().replace(_HELD_SPACE, " ") if held is not value else \
        buffer.getvalue()
    lines = dumped.removeprefix("k: ").rstrip("\n").split("\n")
    if style not in (">", "|"):  # outside a block, a space before a break is not text
        lines = [line.rstrip(" ") for line in lines]
    # ruamel indents what follows the first line by 2 under a top-level key
    return "\n".join([lines[0], *(" " * indent + line[2:] if line else line
                                  for line in lines[1:])])


def _node(root: Node, path: YamlPath) -> tuple[Node, ScalarNode]:
    """The key node and the scalar value node at ``path``."""
    key: Node = root
    node = root
    for step in path:
        if isinstance(node, MappingNode):
            key, node = next((k, v) for k, v in node.value if str(k.value) == step)
        elif isinstance(node, SequenceNode) and isinstance(step, int):
            key = node = node.value[step]
    if not isinstance(node, ScalarNode):
        raise LookupError(path)
    return key, node


def _set(data: Any, path: YamlPath, value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _get(data: Any, path: YamlPath) -> Any:
    for step in path:
        data = data[step]
    return data

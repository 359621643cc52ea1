"""New texts written into an agreement's YAML, every other byte left as it was.

Only the scalars that change are replaced, each at its place in the file: comments,
blank lines, key order, quoting, line ends (CRLF stays CRLF), a byte order mark and
every untouched text keep their bytes, which a ruamel round trip (load, set, dump)
does not promise (it re-wraps long lines and re-spaces comments). Each new scalar is
written by ruamel in the style of the one it replaces (a folded ``>-`` block stays
folded, at its indentation) and then read back: the whole file must load to the
document expected, the old one with exactly these texts changed. Where a style does
not read back as meant (a flow mapping ``{en: …}`` cannot hold a block), the text is
written double-quoted on one line, which reads back the same in any context.
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

from sla_docs.errors import SlaError
from sla_docs.source.load import Source, YamlPath, load_bytes

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


def spliced(source: Source, raw: bytes, changes: Mapping[YamlPath, str]) -> bytes:
    """The file's bytes ``raw`` with the scalar at each path of ``changes`` replaced by
    its new text; :class:`SlaError` if the result does not read back as the
    source's document with exactly those changes (which should not happen)."""
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
    plain_quoted: set[YamlPath] = set()
    for _ in range(2):
        result = _replace(body, nodes, changes, plain_quoted)
        written = (bom + result).encode("utf-8")
        reread = load_bytes(written, source.path)
        if reread.data == expected:
            return written
        plain_quoted = {path for path in changes if _get(reread.data, path) != changes[path]}
        if not plain_quoted:  # the texts are right, something else moved: give up
            break
    raise SlaError(f"{source.path}: the translations could not be written into the YAML "
                   "without changing something else; the file is left as it was (please "
                   "report it)")


def _replace(body: str, nodes: dict[YamlPath, tuple[Node, ScalarNode]],
             changes: Mapping[YamlPath, str], plain_quoted: set[YamlPath]) -> str:
    newline = "\r\n" if "\r\n" in body else "\n"
    spans = []
    for path, (key, value) in nodes.items():
        start, end = value.start_mark.index, value.end_mark.index
        end = start + len(body[start:end].rstrip())  # a block's trailing breaks stay
        indent = key.start_mark.column + 2
        style = None if path in plain_quoted else value.style
        spans.append((start, end, _scalar(changes[path], style, indent, path in plain_quoted)
                      .replace("\n", newline)))
    for start, end, written in sorted(spans, reverse=True):
        body = body[:start] + written + body[end:]
    return body


def _scalar(value: str, style: str | None, indent: int, one_line: bool) -> str:
    """``value`` written as a YAML scalar of ``style`` whose lines after the first are
    indented by ``indent``, as the value of a mapping key."""
    yaml = YAML(typ="rt")
    yaml.width = 10**9 if one_line else max(WIDTH - indent, 40)
    # a figure is never folded across lines: its spaces are held by a private-use
    # character (which YAML writes as itself) while ruamel folds
    held = value if _HELD_SPACE in value else _PLACEHOLDER.sub(
        lambda found: found.group().replace(" ", _HELD_SPACE), value)
    scalar: Any = DoubleQuotedScalarString(held) if one_line else \
        _STYLES.get(style, str)(held)
    buffer = io.StringIO()
    yaml.dump({"k": scalar}, buffer)
    dumped = buffer.getvalue().replace(_HELD_SPACE, " ") if held is not value else \
        buffer.getvalue()
    lines = dumped.removeprefix("k: ").rstrip("\n").split("\n")
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

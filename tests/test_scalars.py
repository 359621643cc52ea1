"""Each character of a scalar's value is traced back to where the file writes it, in
every YAML style: what ruamel.yaml writes is read back by the project's loader, and
every letter of the value must sit at its own offset in the file."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from sla_docs.errors import InvalidAgreement, Position
from sla_docs.source.load import load_bytes
from sla_docs.source.scalars import Lines, scalar_offsets

STYLES = {"plain": str, "single": SingleQuotedScalarString, "double": DoubleQuotedScalarString,
          "literal": LiteralScalarString, "folded": FoldedScalarString}
PIECES = st.sampled_from(["a", "é", "e\u0301", "\u2019", "'", '"', "\\", " ", "  ", "\n", "\n\n",
                          "\t", "#", ":", "-", "x y", "{{", "\u00a0", "😀", "\u2028", "\x85"])


def written(value: str, style: str, width: int) -> str | None:
    """The file ruamel.yaml writes for ``{top: {en: value}}`` in ``style``."""
    yaml = YAML()
    yaml.width = width
    out = io.StringIO()
    try:
        yaml.dump({"top": {"en": STYLES[style](value)}}, out)
    except Exception:  # a value that style cannot hold: nothing to test
        return None
    return out.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, min_size=1, max_size=30).map("".join), st.sampled_from(sorted(STYLES)),
       st.sampled_from([12, 30, 80]))
def test_every_letter_is_traced_to_its_place(value: str, style: str, width: int) -> None:
    text = written(value, style, width)
    if text is None:
        return
    try:
        source = load_bytes(text.encode(), "x.yaml")
    except InvalidAgreement:  # a tab ruamel indents with: the loader refuses the file
        return
    loaded = source.data["top"]["en"]
    lines = Lines(text)
    offsets = scalar_offsets(lines, source.positions.locate(("top", "en")), loaded)
    if not any(char.isalnum() for char in loaded):
        return  # a value of blanks alone may not be traced; nothing in it is a word
    begins = text[text.index("en: ") + 4]
    if begins in "|>" and any(mark in loaded for mark in "\u2028\u2029\x85"):
        return  # not traced in a block (the warning says its column is the text's start)
    assert offsets is not None, (text, loaded)
    escaped = begins == '"'
    for char, offset in zip(loaded, offsets, strict=True):
        if char.isalnum():
            assert text[offset] == char or (escaped and text[offset] == "\\"), (text, loaded)


def test_lines_count_as_ruamel_does() -> None:
    text = 'a: 1\r\nb: "x\u2028y"\nc: 2\n'
    lines = Lines(text)
    source = load_bytes(text.encode(), "x.yaml")
    for key in ("a", "b", "c"):
        where = source.positions.locate((key,))
        assert lines.position(lines.offset(where)) == where
    assert lines.position(text.index("c: 2")) == Position(4, 1)


def test_a_value_that_does_not_read_back_is_not_placed() -> None:
    lines = Lines("a: something else\n")
    assert scalar_offsets(lines, Position(1, 4), "another value") is None

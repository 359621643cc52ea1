"""Loading: positions kept, hostile or broken YAML refused with its place, never a crash."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sla_docs.errors import InvalidAgreement, Position
from sla_docs.source.load import MAX_SOURCE_BYTES, load_bytes
from tests.conftest import check_text, only, position_of, replace_once


def load_error(raw: bytes) -> list[str]:
    with pytest.raises(InvalidAgreement) as caught:
        load_bytes(raw, "bad.yaml")
    return [d.format_text() for d in caught.value.diagnostics]


def test_positions_of_keys_and_values_follow_the_file(minimal_text: str) -> None:
    source = load_bytes(minimal_text.encode(), "m.yaml")
    needle = "unit: leads\n    period: month\n    owner: marketing"
    owner = position_of(minimal_text, needle, offset=needle.index("owner"))
    entry = source.positions.entries[("goals", 1, "owner")]
    assert entry.key == owner
    assert entry.value == Position(owner.line, owner.column + len("owner: "))
    # A path that is not written is placed at its nearest written ancestor.
    goal = source.positions.entries[("goals", 1)].key
    assert source.positions.locate(("goals", 1, "nothing")) == goal


def test_numbers_are_decimals_from_their_source_text() -> None:
    source = load_bytes(b"a: 0.1\nb: 7500000.10\nc: 12\nd: .inf\n", "n.yaml")
    assert source.data == {"a": Decimal("0.1"), "b": Decimal("7500000.10"), "c": 12, "d": ".inf"}


def test_duplicate_key_is_reported_at_its_second_occurrence(tmp_path: Path,
                                                           minimal_text: str) -> None:
    text = replace_once(minimal_text, "currency: USD\n", "currency: USD\ncurrency: EUR\n")
    diagnostic = only(check_text(tmp_path, text), "SLA002")
    assert diagnostic.position == position_of(text, "currency: EUR")
    assert "first defined at line" in (diagnostic.hint or "")


def test_tab_in_indentation_names_each_line(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "review:\n  cadence:", "review:\n\tcadence:")
    diagnostic = only(check_text(tmp_path, text), "SLA003")
    assert diagnostic.position == position_of(text, "\tcadence")


def test_bad_utf8_names_the_byte(tmp_path: Path, minimal_text: str) -> None:
    raw = replace_once(minimal_text, "name: Josh Rinaldi\n        role",
                       "name: Jos\udce9 Rinaldi\n        role")
    encoded = raw.encode("utf-8", errors="surrogateescape")
    diagnostic = only(check_text(tmp_path, encoded), "SLA004")
    assert diagnostic.position == position_of(raw, "\udce9")
    assert "0xe9" in diagnostic.message


@pytest.mark.parametrize("raw", [b"", b"   \n\n", b"# only a comment\n"])
def test_empty_file(raw: bytes) -> None:
    assert load_error(raw)[0].startswith("bad.yaml:1:1: error SLA005")


def test_list_where_the_agreement_mapping_belongs() -> None:
    assert load_error(b"- id: acme\n- title: x\n") == [
        "bad.yaml:1:1: error SLA008: an agreement is a mapping of sections, not a list"
    ]


def test_list_where_a_section_mapping_belongs(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "review:\n  cadence: quarterly\n  next_review: 2027-03-01\n",
                        "review:\n  - monthly\n")
    diagnostic = only(check_text(tmp_path, text), "SLA103")
    assert diagnostic.position == position_of(text, "- monthly")


def test_billion_laughs_is_refused_quickly() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        levels.append(f"{level}: &{level} [{', '.join(['*' + previous] * 9)}]")
    problems = load_error("\n".join(levels).encode())
    assert problems[0] == ("bad.yaml:2:4: error SLA007: YAML aliases (*name) are not allowed "
                           "in an agreement (write out the value anchored at line 1)")
    assert len(problems) == 8  # one per anchor, not one per use


def test_file_over_the_size_limit() -> None:
    raw = b"a: " + b"x" * (MAX_SOURCE_BYTES + 1)
    assert load_error(raw) == ["bad.yaml:1:1: error SLA006: file is larger than 1024 KiB"]


def test_syntax_error_has_its_position() -> None:
    assert load_error(b"id: acme\ntitle: [en, it\nversion: 1\n")[0].startswith(
        "bad.yaml:3:8: error SLA001: YAML syntax:")


def test_custom_tags_are_refused() -> None:
    assert load_error(b"id: !!python/object/apply:os.system [ls]\n") == [
        "bad.yaml:1:5: error SLA001: YAML tag `!!python/object/apply:os.system` is not allowed"
    ]


@pytest.mark.parametrize("depth", [100, 20000, 50000])
def test_deep_nesting_is_an_error_not_a_crash(depth: int) -> None:
    """Refused at the 65th level, before the C composer recurses: from some 30,000 levels
    on (60 KB) it crashes the process outright."""
    raw = b"a: " + b"[" * depth + b"]" * depth + b"\n"
    assert load_error(raw) == ["bad.yaml:1:67: error SLA001: nested deeper than 64 levels"]
    mappings = b"{a: " * depth + b"1" + b"}" * depth + b"\n"
    assert load_error(mappings)[0].startswith("bad.yaml:1:257: error SLA001: nested deeper")

"""Any bytes given to ``sla verify``: a report, or a clear message naming the file; exit 0
or 1, never a traceback or an "internal error".

The inputs are a signed edition mutated where parsers are weakest: cut short, bits
flipped, a compressed stream's bytes replaced (zlib garbage), the signature's
``/Contents`` rewritten with other hex digits (broken ASN.1), the cross-reference
pointers changed. The example count is bounded so the test takes seconds.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_docs.cli import cli
from tests.signed_kit import Kit

SIGNED: dict[str, bytes] = {}
"""The signed edition's bytes, read once."""


def _places(data: bytes, pattern: bytes) -> list[int]:
    return [m.end() for m in re.finditer(pattern, data)] or [len(data) // 2]


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` broken in one of the ways a hostile or damaged file is."""
    kind = draw(st.sampled_from(["truncate", "flip", "zlib", "asn1", "xref"]))
    if kind == "truncate":
        return data[:draw(st.integers(0, len(data) - 1))]
    out = bytearray(data)
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            out[draw(st.integers(0, len(out) - 1))] ^= 1 << draw(st.integers(0, 7))
        return bytes(out)
    where = draw(st.sampled_from(_places(data, {
        "zlib": rb"stream\r?\n", "asn1": rb"/Contents <", "xref": rb"startxref\r?\n|/Prev "}[
            kind])))
    junk = draw(st.binary(min_size=1, max_size=64) if kind == "zlib" else
                st.text("0123456789abcdef", min_size=1, max_size=64).map(str.encode)
                if kind == "asn1" else st.text("0123456789", min_size=1, max_size=7)
                .map(str.encode))
    offset = draw(st.integers(0, 400)) if kind == "asn1" else 0
    out[where + offset:where + offset + len(junk)] = junk
    return bytes(out)


@settings(max_examples=24, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_bytes_get_a_report_or_a_clear_message(signed_kit: Kit, tmp_path: Path,
                                                   data: st.DataObject) -> None:
    if "signed" not in SIGNED:
        SIGNED["signed"] = signed_kit.signed.read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data.draw(mutated(SIGNED["signed"])))
    result = CliRunner().invoke(cli, ["verify", str(broken)])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}")
    assert result.exit_code in (0, 1), result.output
    assert str(broken) in result.output and "Traceback" not in result.output
    assert "internal error" not in result.output

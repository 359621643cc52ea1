"""Whatever bytes arrive, validation answers with diagnostics and never crashes."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_docs.check.completeness import check_agreement
from sla_docs.errors import InvalidAgreement
from sla_docs.model.parse import parse_agreement
from sla_docs.source.load import load_bytes
from tests.conftest import FIXTURES

MINIMAL = (FIXTURES / "minimal.yaml").read_text("utf-8")
LINES = MINIMAL.splitlines(keepends=True)
TODAY = dt.date(2026, 11, 23)


def validate(raw: bytes) -> None:
    """Run the stages as `sla validate` does; only InvalidAgreement may escape loading."""
    try:
        source = load_bytes(raw, "fuzz.yaml")
    except InvalidAgreement as invalid:
        assert invalid.diagnostics
        return
    _, errors = parse_agreement(source)
    problems = errors + check_agreement(source, TODAY)
    for problem in problems:
        assert problem.position.line >= 1 and problem.position.column >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes(raw: bytes) -> None:
    validate(raw)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=60))
def test_shuffled_lines_of_a_real_agreement(lines: list[str]) -> None:
    validate("".join(lines).encode())


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(LINES) - 1), st.integers(0, len(LINES) - 1))
def test_a_line_dropped_or_moved(drop: int, move_to: int) -> None:
    lines = list(LINES)
    line = lines.pop(drop)
    validate("".join(lines).encode())
    lines.insert(move_to, line)
    validate("".join(lines).encode())

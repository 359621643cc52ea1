"""One rule for JSON (exact Decimals, never floats) and one duration writer."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from sla_docs.durations import duration_parts, iso_duration, short_duration
from sla_docs.exact_json import dumps
from sla_docs.model.types import parse_duration
from sla_docs.targets.formats import Localized, Plain


def test_a_decimal_keeps_every_digit() -> None:
    third = Decimal(1) / Decimal(3)
    written = dumps({"rate": third, "money": Decimal("1666.67"), "whole": Decimal("5E+3"),
                     "cents": Decimal("2.50"), "negative": Decimal("-0.125")}, indent=None)
    assert written == ('{"rate": 0.3333333333333333333333333333, "money": 1666.67, '
                       '"whole": 5000, "cents": 2.5, "negative": -0.125}')
    assert json.loads(written, parse_float=Decimal)["rate"] == third


def test_text_that_looks_like_a_number_stays_text() -> None:
    """A value from a source or an export is never unquoted, whatever it holds."""
    hostile = ["5000", '"5000"', "0.1\"", "\\u0000", "{marker}1{marker}"]
    assert json.loads(dumps({"values": hostile})) == {"values": hostile}


def test_dates_and_durations_are_iso_8601() -> None:
    assert json.loads(dumps([dt.date(2026, 11, 30), dt.timedelta(hours=1, minutes=30)])) == [
        "2026-11-30", "PT1H30M"]


def test_anything_else_is_a_defect_not_a_guess() -> None:
    with pytest.raises(TypeError):
        dumps({"set": {1, 2}})


@pytest.mark.parametrize(("span", "short", "iso"), [
    (dt.timedelta(0), "0m", "PT0S"),
    (dt.timedelta(minutes=15), "15m", "PT15M"),
    (dt.timedelta(hours=1, minutes=30), "1h30m", "PT1H30M"),
    (dt.timedelta(days=2), "2d", "P2D"),
    (dt.timedelta(days=1, seconds=1), "1d1s", "P1DT1S"),
    (dt.timedelta(weeks=1), "7d", "P7D"),
])
def test_each_spelling_reads_back_as_the_same_span(span: dt.timedelta, short: str,
                                                   iso: str) -> None:
    assert (short_duration(span), iso_duration(span)) == (short, iso)
    assert parse_duration(short) == span
    assert parse_duration(iso) == span


def test_plain_and_localized_writers_split_alike() -> None:
    span = dt.timedelta(days=1, hours=2, minutes=3)
    assert duration_parts(span) == [("day", 1), ("hour", 2), ("minute", 3)]
    assert Plain("EUR")(span, "duration") == "1d2h3m"
    assert Localized("en", "EUR")(span, "duration") == "1 day, 2 hours, and 3 minutes"

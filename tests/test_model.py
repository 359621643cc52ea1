"""The model: wrong keys, types and ranges reported with code, place and hint."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from sla_docs.model.schema import agreement_schema
from sla_docs.model.types import Duration, Money, Rate, Version
from tests.conftest import check_text, codes, only, position_of, replace_once


def test_the_minimal_agreement_is_valid(tmp_path: Path, minimal_text: str) -> None:
    checked = check_text(tmp_path, minimal_text)
    assert checked.diagnostics == []
    assert checked.agreement is not None
    assert checked.agreement.inputs.lead_to_customer_rate == Decimal("0.5")
    assert checked.agreement.follow_up.first_contact_within == dt.timedelta(hours=1)


def test_unknown_key_with_a_suggestion(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "\ncancellation:\n", "\ncancelation:\n")
    found = check_text(tmp_path, text)
    unknown = only(found, "SLA101")
    assert unknown.position == position_of(text, "\ncancelation:", offset=1)
    assert unknown.message == "unknown key `cancelation`"
    assert unknown.hint == "did you mean `cancellation`?"
    missing = only(found, "SLA102")
    assert missing.message == "missing `cancellation` in the top level"


def test_unknown_key_in_a_nested_section(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "  over_days: 10\n", "  over_day: 10\n")
    unknown = only(check_text(tmp_path, text), "SLA101")
    assert unknown.position == position_of(text, "over_day:")
    assert unknown.hint == "did you mean `over_days`?"


def test_missing_key_is_placed_at_its_section(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "  attempts: 6\n", "")
    missing = only(check_text(tmp_path, text), "SLA102")
    assert missing.position == position_of(text, "\nfollow_up:", offset=1)
    assert missing.message == "missing `attempts` in follow_up"
    assert missing.hint is not None and "attempts" in missing.hint


def test_wrong_type(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "  attempts: 6\n", "  attempts: six\n")
    wrong = only(check_text(tmp_path, text), "SLA103")
    assert wrong.position == position_of(text, "attempts: six", offset=len("attempts: "))


def test_text_written_without_languages(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "rewards:\n  en: >-\n", "rewards: >-\n")
    wrong = only(check_text(tmp_path, text), "SLA103")
    assert "once per language" in wrong.message
    assert wrong.position == position_of(text, "rewards: >-", offset=len("rewards: "))


def test_unknown_language_key_suggests_the_right_one(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "  en: Service level agreement between",
                        "  eng: Service level agreement between")
    wrong = only(check_text(tmp_path, text), "SLA105")
    assert wrong.position == position_of(text, "eng:")
    assert wrong.hint == "did you mean `en`?"


def test_rate_over_100_percent(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "lead_to_customer_rate: 50%", "lead_to_customer_rate: 150%")
    wrong = only(check_text(tmp_path, text), "SLA104")
    assert wrong.position == position_of(text, "150%")
    assert wrong.message == "a rate lies between 0% and 100%, not 150%"


def test_dividing_rate_of_zero(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "lead_to_customer_rate: 50%", "lead_to_customer_rate: 0%")
    wrong = only(check_text(tmp_path, text), "SLA104")
    assert "above 0%" in wrong.message


def test_negative_money_and_thousands_separators(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "sales_quota: 5000", "sales_quota: -5000")
    text = replace_once(text, "average_deal_size: 100", 'average_deal_size: "1,000"')
    found = check_text(tmp_path, text)
    assert codes(found) == ["SLA104", "SLA106"]
    assert found.diagnostics[0].position == position_of(text, "-5000")
    assert "thousands separators" in found.diagnostics[1].message


def test_bad_identifier_and_email(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "id: minimal", "id: ../etc")
    text = replace_once(text, "josh.rinaldi@acme.example", "josh.rinaldi")
    found = check_text(tmp_path, text)
    assert [d.message for d in found.diagnostics if d.code == "SLA106"] == [
        "`../etc` is not in the expected form (lower-case letters, digits, `-` and `_`, "
        "starting with a letter)",
        "`josh.rinaldi` is not in the expected form (an e-mail address)",
    ]


@pytest.mark.parametrize(
    ("written", "value"),
    [("50%", "0.5"), ("12.5 %", "0.125"), ("0.35", "0.35"), (1, "1"), (Decimal("0.1"), "0.1")],
)
def test_rates_accept_percent_or_fraction(written: object, value: str) -> None:
    assert TypeAdapter(Rate).validate_python(written) == Decimal(value)


@pytest.mark.parametrize("written", ["half", "101%", "-1%", True])
def test_rates_refuse_the_rest(written: object) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Rate).validate_python(written)


@pytest.mark.parametrize(
    ("written", "hours"),
    [("1h", 1), ("30m", 0.5), ("30 min", 0.5), ("1h30m", 1.5), ("2d", 48), ("1w", 168),
     ("PT4H", 4), ("P1D", 24)],
)
def test_durations(written: str, hours: float) -> None:
    parsed = TypeAdapter(Duration).validate_python(written)
    assert parsed == dt.timedelta(hours=hours)


@pytest.mark.parametrize("written", ["4", "soon", "0h", "", "P"])
def test_durations_need_a_unit_and_a_length(written: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Duration).validate_python(written)


def test_money_is_decimal_and_version_keeps_its_digits() -> None:
    assert TypeAdapter(Money).validate_python(Decimal("7500000.10")) == Decimal("7500000.10")
    assert TypeAdapter(Version).validate_python(Decimal("1.10")) == "1.10"


def test_schema_describes_every_section_for_editors() -> None:
    schema = agreement_schema()
    assert schema["additionalProperties"] is False
    properties = schema["properties"]
    for key in ("parties", "goals", "definitions", "handoff", "follow_up", "cancellation",
                "signatories", "inputs", "conflict_resolution", "communication"):
        described = properties[key]
        if "$ref" in described and "description" not in described:
            described = schema["$defs"][described["$ref"].rsplit("/", 1)[1]]
        assert described.get("description"), key
    needs = schema["$defs"]["Need"]["properties"]
    assert set(needs) == {"from", "to", "what"}  # aliases, as written in YAML
    json.dumps(schema)

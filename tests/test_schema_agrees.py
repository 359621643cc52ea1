"""The JSON Schema says what the validator says, wherever JSON Schema can say it.

For every field the samples set (the first item of each list standing for the rest),
the field is given each of a pool of values, good and bad: the section it sits in is
validated by the model and, as JSON, by the schema (`jsonschema`, formats checked).
Both must accept it or both refuse it. Where JSON Schema cannot follow the validator
the difference is listed below, with the reason, and must stay as listed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

import jsonschema
import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from sla_docs.model.agreement import Agreement
from sla_docs.model.inputs import Calendar
from sla_docs.model.schema import agreement_schema
from sla_docs.model.types import Text
from sla_docs.model.walk import model_at
from sla_docs.source.load import YamlPath, load_bytes
from tests.conftest import ROOT

POOL: list[Any] = [
    0, 1, -1, 5, 100, 101, 3650, 3651, 8784, 8785, 10**9, 10**9 + 1, 10**15, 10**15 + 1,
    Decimal("0.5"), Decimal("1.5"), Decimal("1e-30"), Decimal("0.01"), Decimal("0.009"),
    Decimal("0.0001"), Decimal("0.00009"), Decimal("-0.5"), Decimal("1e15"), Decimal("0.1"),
    "50%", "150%", "100%", "100.0001%", "0%", "0.01%", "0.009%", "-5%", "50 %", "5 0%", "0.5",
    "1.0", "1e3", "abc", "", " ", "x" * 201, "100", "0.001", "1,000", "1000000000000001",
    "USD", "XYZ", "EUR", "usd", "DEM", "XAU", "UTC", "Europe", "Europe/Rome", "4h", "30min", "PT4H",
    "P1DT", "PT", "1h30m", "amy-chen", "Amy", "a" * 64, "1.2.3", "1.2.3.4", "a@b.co", "no-at",
    "2026-12-01", "2026-02-30", "09:00", "targets.leads", "targets.", "monthly", "business",
    "month", "phone", "marketing", "en", "xx", True, False, None, [], {}, ["phone"],
    {"en": "x"}, {"en": " "}, {"xx": "x"},
]
"""Values every field is tried with: bounds and just past them, forms and near-forms."""

TIME_ZONES = "the IANA database is the machine's, and the schema is the same everywhere: "\
             "it checks the form of a zone's name only"
DURATION_BOUNDS = "a pattern cannot add units up: a duration's length (above zero, at most "\
                  "3650 days) is the validator's alone"
DURATION_VALUES = ("0s", "PT0S", "3651d", "9999d", "P3651D", "522w")
DURATIONS = {"first_contact_within", "within", "interval", "after", "notice"}


def jsonable(value: Any) -> Any:
    """``value`` as the JSON an editor would check: numbers, strings, lists, objects."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    if isinstance(value, Decimal):
        integral = value == value.to_integral_value()
        return int(value) if integral else float(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def fields(data: dict[str, Any]) -> list[tuple[YamlPath, type[BaseModel], str]]:
    """Each field set in ``data`` once: where its section is, the section's model, its key."""
    seen: set[str] = set()  # fields of one type behave alike: each type is tried once
    found: list[tuple[YamlPath, type[BaseModel], str]] = []

    def visit(value: Any, path: YamlPath) -> None:
        model = model_at(Agreement, path)
        if isinstance(value, dict):
            for key, item in value.items():
                kind = _field_type(model, key) if model is not None else ""
                if model is not None and kind not in seen:
                    seen.add(kind)
                    found.append((path, model, key))
                visit(item, (*path, key))
        elif isinstance(value, list) and value:
            visit(value[0], (*path, 0))

    visit(data, ())
    return found


def _field_type(model: type[BaseModel], key: str) -> str:
    """What decides which values a field takes: its annotation and its constraints."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return f"{info.annotation!r} {info.metadata!r}"
    return f"{model.__name__}.{key}"  # a Text's language: each is tried


def reach(data: Any, path: YamlPath) -> Any:
    """The value at ``path``."""
    for step in path:
        data = data[step]
    return data


def field_adapter(model: type[BaseModel], key: str) -> TypeAdapter[Any] | None:
    """The validator of one field of ``model``, with its constraints; None for a key that
    is not a field (a language of a text)."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == key and model is not Text:
            annotation: Any = info.annotation
            return TypeAdapter(Annotated[(annotation, *info.metadata)] if info.metadata
                               else annotation)
    return None


def disagreements(sample: str) -> set[tuple[str, str, bool]]:
    """Every (field, value, what the model says) on which the model and the schema
    disagree, in ``sample``."""
    data = load_bytes((ROOT / "agreements" / f"{sample}.yaml").read_bytes(), sample).data
    data.setdefault("inputs", {}).setdefault("calendar", {})["time_zone"] = "Europe/Rome"
    schema = agreement_schema()
    found: set[tuple[str, str, bool]] = set()
    for _, model, key in fields(data):
        adapter = field_adapter(model, key)
        section = schema if model is Agreement else schema["$defs"][model.__name__]
        if adapter is None or key not in section.get("properties", {}):
            continue
        validator = jsonschema.Draft202012Validator(
            {**section["properties"][key], "$defs": schema["$defs"]},
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for value in [*POOL, *DURATION_VALUES] if key in DURATIONS else POOL:
            if model is Calendar and key in ("opens", "closes"):
                continue  # YAML's times are JSON's strings: not comparable
            try:
                adapter.validate_python(value)
                by_model = True
            except ValidationError:
                by_model = False
            if by_model != validator.is_valid(jsonable(value)):
                found.add((key, str(value), by_model))
    return found


@pytest.fixture(scope="module")
def found() -> set[tuple[str, str, bool]]:
    """The disagreements of both samples, computed once for the tests below."""
    return disagreements("acme") | disagreements("globex")


def test_the_schema_and_the_validator_agree(found: set[tuple[str, str, bool]]) -> None:
    # where JSON Schema cannot follow, it is looser, never stricter, than the validator
    assert {by_model for _, _, by_model in found} <= {False}
    durations = {key for key, value, _ in found if value in DURATION_VALUES}
    assert durations <= DURATIONS, DURATION_BOUNDS
    time_zones = {value for key, value, _ in found if key == "time_zone"}
    assert "Europe" in time_zones and "Europe/Rome" not in time_zones, TIME_ZONES
    rest = {(key, value) for key, value, _ in found
            if key != "time_zone" and value not in DURATION_VALUES}
    assert rest == set()


def test_the_walk_tries_every_kind_of_field(found: set[tuple[str, str, bool]]) -> None:
    data = load_bytes((ROOT / "agreements" / "globex.yaml").read_bytes(), "globex").data
    keys = {key for _, _, key in fields(data)}
    assert {"currency", "lead_to_customer_rate", "average_deal_size", "target", "version",
            "attempts", "within", "holidays", "maximum", "email"} <= keys
    assert len(keys) > 40
    # the walk does tell a disagreement: the time zones the schema cannot list
    assert ("time_zone", "Europe", False) in found


def test_the_schema_refuses_what_the_issue_found() -> None:
    schema = agreement_schema()
    validator = jsonschema.Draft202012Validator(schema)
    data = jsonable(load_bytes((ROOT / "agreements" / "acme.yaml").read_bytes(), "a").data)
    assert validator.is_valid(data)
    for section, key, value in (("inputs", "lead_to_customer_rate", "150%"),
                                (None, "currency", "XYZ"),
                                ("inputs", "average_deal_size", 1e-30)):
        broken = {**data, section: {**data[section], key: value}} if section else \
            {**data, key: value}
        assert not validator.is_valid(broken), (key, value)

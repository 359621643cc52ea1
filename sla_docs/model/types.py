"""The value types an agreement is written in: texts per language, rates, money, durations.

Each type parses the forms people actually type (``50%``, ``4h``) and refuses the rest
with a message that says what is expected. References between sections (an owner
naming a party, a referent naming a contact) carry a :class:`Ref` marker and the ids
they point to a :class:`Declares` marker, so the checks can resolve every reference by
walking the model's own annotations.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sla_docs.durations import read_duration
from sla_docs.model.languages import Language

PartyKind = Literal["marketing", "sales", "customer_service"]
"""The departments an agreement binds; ``customer_service`` makes it multi-level."""
Cadence = Literal["daily", "weekly", "biweekly", "monthly", "quarterly", "yearly"]
"""How often something recurs: a meeting, a report, a review."""
Period = Literal["day", "week", "month", "quarter", "year"]
"""The time span a goal is measured over."""
Channel = Literal["phone", "email", "video", "meeting", "chat", "social", "crm_task"]
"""The ways a lead is contacted or a team is notified."""


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value must name something declared elsewhere (a party, a contact)."""

    kind: str


@dataclass(frozen=True)
class Declares:
    """Marks the id field that declares a thing of ``kind`` for :class:`Ref` fields to name."""

    kind: str


IDENTIFIER_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"
Identifier = Annotated[
    str,
    Field(pattern=IDENTIFIER_PATTERN),
]
"""A short, stable name in lower case (``marketing``, ``amy-chen``): safe in file names."""


def _declares(kind: str) -> Any:
    return Annotated[Identifier, Declares(kind)]


def _ref(kind: str) -> Any:
    return Annotated[Identifier, Ref(kind)]


PartyId = _declares("party")
ContactId = _declares("contact")
TermId = _declares("term")
TrackId = _declares("track")
SignatoryId = _declares("signatory")
PartyRef = _ref("party")
ContactRef = _ref("contact")
TermRef = _ref("term")
TrackRef = _ref("track")


class Text(RootModel[dict[Language, Annotated[str, Field(min_length=1)]]]):
    """A prose text, written once per language: ``{en: …, it: …}``; Markdown is allowed."""

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _one_text_per_language(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise PydanticCustomError(
                "text_not_per_language",
                "a text is written once per language, e.g. `en: …` on its own line",
            )
        if isinstance(value, dict):
            blank = [lang for lang, text in value.items() if isinstance(text, str)
                     and not text.strip()]
            if blank:
                raise PydanticCustomError(
                    "text_blank", "the `{lang}` text is blank", {"lang": blank[0]}
                )
        return value

    def get(self, language: str) -> str | None:
        """The text in ``language``, or None when it is not written."""
        text: str | None = self.root.get(language)  # type: ignore[call-overload]
        return text


def parse_rate(value: Any) -> Any:
    """Read `50%`, `0.5` or a number as a Decimal rate; other values pass through."""
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        try:
            return Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError(
                "rate_format", "a rate is written `50%` or `0.5`, not `{value}`",
                {"value": value}) from None
    if isinstance(value, bool):
        raise PydanticCustomError("rate_format", "a rate is written `50%` or `0.5`")
    return value


def _check_rate(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(1):
        raise PydanticCustomError(
            "rate_range", "a rate lies between 0% and 100%, not {shown}",
            {"shown": f"{(value * 100).normalize():f}%"})
    return value


SMALLEST_DIVISOR_RATE = Decimal("0.0001")
"""0.01%: below it a rate would ask for more than 10,000 leads per customer."""


def _check_divisor_rate(value: Decimal) -> Decimal:
    if value == 0:
        raise PydanticCustomError("rate_zero", "this rate divides the targets: it must be above 0%")
    if value < SMALLEST_DIVISOR_RATE:
        raise PydanticCustomError(
            "rate_range", "this rate divides the targets: below 0.01% it is not a plan")
    return value


_RATE_SCHEMA = WithJsonSchema({
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%$"},
    ],
    "description": "A rate, written `50%` or `0.5`.",
})

Rate = Annotated[Decimal, BeforeValidator(parse_rate), AfterValidator(_check_rate), _RATE_SCHEMA]
"""A share or conversion rate from 0 to 1, written ``50%`` or ``0.5``; stored as Decimal."""
DivisorRate = Annotated[Rate, AfterValidator(_check_divisor_rate)]
"""A rate the targets divide by, so it must be above zero."""


def _parse_money(value: Any) -> Any:
    if isinstance(value, str) and re.search(r"\d[,.' ]\d{3}(\D|$)", value) and "," in value:
        raise PydanticCustomError(
            "money_format",
            "write amounts without thousands separators, e.g. `7500000` or `7500000.50`")
    if isinstance(value, bool):
        raise PydanticCustomError("money_format", "an amount is a number")
    return value


_MONEY_SCHEMA = WithJsonSchema({
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"^\d+(\.\d+)?$"}],
    "description": "An amount in the agreement's currency, without thousands separators.",
})

LARGEST_AMOUNT = Decimal("1e15")
"""A thousand trillion: anything above is a typing error, not a quota."""
Money = Annotated[Decimal, BeforeValidator(_parse_money), Field(ge=0, le=LARGEST_AMOUNT),
                  _MONEY_SCHEMA]
"""An amount in the agreement's currency; Decimal, never float; zero or more."""
PositiveMoney = Annotated[Decimal, BeforeValidator(_parse_money),
                          Field(gt=0, le=LARGEST_AMOUNT), _MONEY_SCHEMA]
"""An amount the targets divide by, so it must be above zero."""
LARGEST_COUNT = 10**9
"""A billion leads or reports: anything above is a typing error."""
Count = Annotated[int, Field(ge=0, le=LARGEST_COUNT)]
"""A whole number of things: leads, attempts, reports."""
PositiveCount = Annotated[int, Field(ge=1, le=LARGEST_COUNT)]
"""A whole number of at least one."""

def parse_duration(value: Any) -> dt.timedelta:
    """Read ``4h``, ``30m``, ``1h30m``, ``2d``, ``1w`` or ISO 8601 ``PT4H`` as a duration."""
    if isinstance(value, dt.timedelta):
        return value
    span = read_duration(value) if isinstance(value, str) else None
    if span is not None:
        return span
    raise PydanticCustomError(
        "duration_format",
        "a duration is written with its unit, e.g. `30m`, `4h`, `1h30m`, `2d` or `1w`")


def _positive_duration(value: dt.timedelta) -> dt.timedelta:
    if value <= dt.timedelta(0):
        raise PydanticCustomError("duration_range", "a duration must be longer than zero")
    return value


Duration = Annotated[
    dt.timedelta,
    BeforeValidator(parse_duration),
    AfterValidator(_positive_duration),
    WithJsonSchema({
        "type": "string",
        "pattern": r"^(\s*\d+(\.\d+)?\s*(w|d|h|min|m|s)\s*)+$|^P",
        "description": "A duration with its unit: `30m`, `4h`, `1h30m`, `2d`, `1w`.",
    }),
]
"""A span of time such as the first-contact limit; written ``4h``, ``30m``, ``2d``."""


FIGURE_REFERENCE_PATTERN = r"^(targets|inputs)\.[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_-]*)*$"
"""A computed figure or an input, named as texts name it: ``targets.leads``."""


def _goal_target(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("goal_target", "a target is a number or a figure's name")
    if isinstance(value, str):
        text = value.strip()
        if re.match(FIGURE_REFERENCE_PATTERN, text):
            return text
        try:
            return Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError(
                "goal_target", "a target is a number or a figure's name such as "
                "`targets.leads`, not `{value}`", {"value": value}) from None
    return value


GoalTarget = Annotated[
    Decimal | str,
    BeforeValidator(_goal_target),
    WithJsonSchema({
        "anyOf": [{"type": "number"}, {"type": "string", "pattern": FIGURE_REFERENCE_PATTERN}],
        "description": "A number, or the figure it is computed as: `targets.leads`.",
    }),
]
"""A goal's number: typed, or named after the computed figure (``targets.leads``)."""

VERSION_PATTERN = r"^\d+(\.\d+){0,2}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
PATTERN_WORDS = {
    IDENTIFIER_PATTERN: "lower-case letters, digits, `-` and `_`, starting with a letter",
    VERSION_PATTERN: "a version such as `1.0` or `1.2.1`",
    EMAIL_PATTERN: "an e-mail address",
    CURRENCY_PATTERN: "a three-letter ISO 4217 code such as `EUR`",
}
"""Each text pattern, said in words for the messages that refuse a value."""


def _version_text(value: Any) -> Any:
    # `version: 1.2` reaches us as the Decimal 1.2 with its digits kept; accept it as text.
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    return value


Version = Annotated[
    str,
    BeforeValidator(_version_text),
    Field(pattern=VERSION_PATTERN),
    WithJsonSchema({"type": ["string", "number"], "description": "`1.0`, `1.2.1`…"}),
]
"""The agreement's version, ``1.0``, ``1.2`` or ``1.2.1``."""

Email = Annotated[str, Field(pattern=EMAIL_PATTERN)]
"""An e-mail address."""
Currency = Annotated[str, Field(pattern=CURRENCY_PATTERN)]
"""An ISO 4217 currency code such as ``EUR`` or ``USD``."""
Name = Annotated[str, Field(min_length=1, max_length=200)]
"""A person's name, written as they write it; the same in every language."""

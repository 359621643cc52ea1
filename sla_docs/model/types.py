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
from decimal import Decimal
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

from sla_docs.durations import DURATION_PATTERN, read_duration
from sla_docs.model.languages import Language

PartyKind = Literal["marketing", "sales", "customer_service"]
"""The departments an agreement binds; ``customer_service`` makes it multi-level."""
Cadence = Literal["daily", "weekly", "biweekly", "monthly", "quarterly", "yearly"]
"""How often something recurs: a meeting, a report, a review."""
Period = Literal["day", "week", "month", "quarter", "year"]
"""The time span a goal is measured over."""
Channel = Literal["phone", "email", "video", "meeting", "chat", "social", "crm_task"]
"""The ways a lead is contacted or a team is notified."""


_A_WORD = re.compile(r"[^\W_]")
"""A letter or a digit, in any script: what a text needs to say anything."""

_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""The C0 controls but tab and newline, DEL and the C1 controls: no edition can show
one, a terminal obeys an escape, and XML (HTML, XLIFF) cannot hold most of them. YAML
lets them into a double-quoted text (``"\\e"``, ``"\\x07"``)."""


def control_character(text: str) -> str | None:
    """The first control character in ``text`` that no text may hold
    (:data:`_CONTROL_CHARACTER`; tab and newline may), named as ``U+001B``; None when
    there is none."""
    found = _CONTROL_CHARACTER.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def no_control_characters(value: str) -> str:
    """``value`` when it holds no control character (:func:`control_character`); else
    an error that names the first one, ``U+001B``."""
    found = control_character(value)
    if found is not None:
        raise PydanticCustomError(
            "control_character",
            "the text holds the control character {code}, which no edition can show "
            "(remove it, or write a space)", {"code": found})
    return value


Unit = Annotated[str, Field(max_length=40), AfterValidator(no_control_characters)]
"""What a number counts (``leads``, ``hours``): up to 40 characters, no control character."""


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


class Text(RootModel[dict[Language, Annotated[str, Field(min_length=1, pattern=r"\S"),
                                              AfterValidator(no_control_characters)]]]):
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
            # no letter or digit at all ("", "...", "—") says nothing a party could agree to
            blank = [lang for lang, text in value.items() if isinstance(text, str)
                     and not _A_WORD.search(text)]
            if blank:
                raise PydanticCustomError(
                    "text_blank", "the `{lang}` text is blank (it has no word)",
                    {"lang": blank[0]})
        return value

    def get(self, language: str) -> str | None:
        """The text in ``language``, or None when it is not written."""
        text: str | None = self.root.get(language)  # type: ignore[call-overload]
        return text


RATE_FORM = r"^ *[0-9]+(\.[0-9]+)? *%? *$"
"""How a rate is written: ``50%``, ``12.5 %`` or ``0.5``."""


def parse_rate(value: Any) -> Any:
    """Read `50%`, `0.5` or a number as a Decimal rate; other values pass through."""
    if isinstance(value, str):
        if not re.fullmatch(RATE_FORM, value, re.ASCII):
            raise PydanticCustomError(
                "rate_format", "a rate is written `50%` or `0.5`, not `{value}`",
                {"value": value})
        text = value.replace(" ", "")
        return Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
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


def _rate_schema(smallest: str, percent: str, fraction: str) -> WithJsonSchema:
    """The schema of a rate from ``smallest`` to 1: a number, or a string whose pattern
    (``percent`` or ``fraction`` digits, range included) says what :data:`RATE_FORM` and
    the range check say together."""
    return WithJsonSchema({
        "anyOf": [
            {"type": "number", "minimum": float(smallest), "maximum": 1},
            {"type": "string", "pattern": rf"^ *0*({percent}|100(\.0+)?) *% *$"},
            {"type": "string", "pattern": rf"^ *0*({fraction}|1(\.0+)?) *$"},
        ],
        "description": f"A rate from {(Decimal(smallest) * 100).normalize():f}% to 100%, "
                       "written `50%` or `0.5`.",
    })


Rate = Annotated[Decimal, BeforeValidator(parse_rate), AfterValidator(_check_rate),
                 _rate_schema("0", r"[0-9]{1,2}(\.[0-9]+)?", r"0(\.[0-9]+)?")]
"""A share or conversion rate from 0 to 1, written ``50%`` or ``0.5``; stored as Decimal."""
DivisorRate = Annotated[
    Decimal, BeforeValidator(parse_rate), AfterValidator(_check_rate),
    AfterValidator(_check_divisor_rate),
    _rate_schema(str(SMALLEST_DIVISOR_RATE),
                 r"[1-9][0-9]?(\.[0-9]+)?|0\.(0[1-9]|[1-9])[0-9]*",
                 r"0\.(000[1-9]|00[1-9]|0[1-9]|[1-9])[0-9]*")]
"""A rate the targets divide by, so it must be at least 0.01%."""

MONEY_FORM = r"^[0-9]+(\.[0-9]+)?$"
"""How an amount is written: digits, a point and decimals, nothing else."""


def _parse_money(value: Any) -> Any:
    if isinstance(value, str) and re.search(r"\d[,.' ]\d{3}(\D|$)", value) and "," in value:
        raise PydanticCustomError(
            "money_format",
            "write amounts without thousands separators, e.g. `7500000` or `7500000.50`")
    if isinstance(value, bool) or (isinstance(value, str)
                                   and not re.fullmatch(MONEY_FORM, value, re.ASCII)):
        raise PydanticCustomError("money_parsing",
                                  "an amount is a number such as `7500000` or `7500000.50`")
    return value


LARGEST_AMOUNT = Decimal("1e15")
"""A thousand trillion: anything above is a typing error, not a quota."""
SMALLEST_DEAL = Decimal("0.01")
"""A cent: no sale is worth less, and the targets divide by the average deal."""


def _money_schema(positive: bool) -> WithJsonSchema:
    # 1e15 has 16 digits: up to 15 digits and any decimals, or 1e15 itself
    digits = r"(0*[0-9]{1,15}(\.[0-9]+)?|0*1000000000000000(\.0+)?)"
    smallest = "(?!0*(\\.0*)?$)(?!0*\\.00)" if positive else ""
    bound = {"minimum": float(SMALLEST_DEAL)} if positive else {"minimum": 0}
    return WithJsonSchema({
        "anyOf": [{"type": "number", **bound, "maximum": int(LARGEST_AMOUNT)},
                  {"type": "string", "pattern": f"^{smallest}{digits}$"}],
        "description": "An amount in the agreement's currency, without thousands separators"
                       + (", at least 0.01" if positive else "") + "; at most 10^15.",
    })


Money = Annotated[Decimal, BeforeValidator(_parse_money), Field(ge=0, le=LARGEST_AMOUNT),
                  _money_schema(positive=False)]
"""An amount in the agreement's currency; Decimal, never float; zero to 10^15."""
PositiveMoney = Annotated[Decimal, BeforeValidator(_parse_money),
                          Field(ge=SMALLEST_DEAL, le=LARGEST_AMOUNT), _money_schema(positive=True)]
"""An amount the targets divide by, so at least a cent."""
LARGEST_COUNT = 10**9
"""A billion leads or reports: anything above is a typing error."""
Count = Annotated[int, Field(strict=True, ge=0, le=LARGEST_COUNT)]
"""A whole number of things: leads, attempts, reports."""
PositiveCount = Annotated[int, Field(strict=True, ge=1, le=LARGEST_COUNT)]
"""A whole number of at least one."""
MOST_ATTEMPTS = 100
"""No lead is called a hundred times: beyond that an attempt count is a typing error."""
Attempts = Annotated[int, Field(strict=True, ge=1, le=MOST_ATTEMPTS)]
"""How many times Sales tries to reach a lead: 1 to 100."""
MOST_DAYS = 3650
"""Ten years, as :data:`LONGEST_DURATION`: no span of an agreement is longer."""
Days = Annotated[int, Field(strict=True, ge=1, le=MOST_DAYS)]
"""A whole number of days, 1 to 3650."""

LONGEST_DURATION = dt.timedelta(days=MOST_DAYS)
"""Ten years: no limit, interval or notice in an agreement is longer; beyond it, a typo."""


def parse_duration(value: Any) -> dt.timedelta:
    """Read ``4h``, ``30m``, ``1h30m``, ``2d``, ``1w`` or ISO 8601 ``PT4H`` as a duration."""
    if isinstance(value, dt.timedelta):
        return value
    try:
        span = read_duration(value) if isinstance(value, str) else None
    except OverflowError:  # more days than a timedelta holds: far beyond LONGEST_DURATION
        span = dt.timedelta.max
    if span is not None:
        return span
    raise PydanticCustomError(
        "duration_format",
        "a duration is written with its unit, e.g. `30m`, `4h`, `1h30m`, `2d` or `1w`")


def _positive_duration(value: dt.timedelta) -> dt.timedelta:
    if value <= dt.timedelta(0):
        raise PydanticCustomError("duration_range", "a duration must be longer than zero")
    if value > LONGEST_DURATION:
        raise PydanticCustomError("duration_range",
                                  "a duration is at most 3650 days (ten years)")
    return value


Duration = Annotated[
    dt.timedelta,
    BeforeValidator(parse_duration),
    AfterValidator(_positive_duration),
    WithJsonSchema({
        "type": "string",
        "pattern": DURATION_PATTERN,
        "description": "A duration with its unit: `30m`, `4h`, `1h30m`, `2d`, `1w`, or "
                       "ISO 8601 `PT4H`; longer than zero, at most 3650 days.",
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
        if not re.fullmatch(MONEY_FORM, text, re.ASCII):
            raise PydanticCustomError(
                "goal_target", "a target is a number or a figure's name such as "
                "`targets.leads`, not `{value}`", {"value": value})
        value = Decimal(text)
    if isinstance(value, int | Decimal) and not (
            Decimal(value).is_finite() and 0 <= value <= LARGEST_AMOUNT):
        raise PydanticCustomError(
            "goal_target_range", "a target lies between 0 and 10^15, not {value}",
            {"value": str(value)})
    return value


GoalTarget = Annotated[
    Decimal | str,
    BeforeValidator(_goal_target),
    WithJsonSchema({
        "anyOf": [{"type": "number", "minimum": 0, "maximum": int(LARGEST_AMOUNT)},
                  {"type": "string", "pattern": FIGURE_REFERENCE_PATTERN},
                  {"type": "string", "pattern": r"^ *0*([0-9]{1,15}(\.[0-9]+)?"
                                                r"|1000000000000000(\.0+)?) *$"}],
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
        return f"{value:f}" if isinstance(value, Decimal) else str(value)
    return value


Version = Annotated[
    str,
    BeforeValidator(_version_text),
    Field(pattern=VERSION_PATTERN),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": VERSION_PATTERN},
                              {"type": "number", "minimum": 0}],
                    "description": "`1.0`, `1.2.1`…"}),
]
"""The agreement's version, ``1.0``, ``1.2`` or ``1.2.1``."""

Email = Annotated[str, Field(pattern=EMAIL_PATTERN)]
"""An e-mail address."""


Name = Annotated[str, Field(min_length=1, max_length=200),
                 AfterValidator(no_control_characters)]
"""A person's name, written as they write it; the same in every language."""


def _not_a_number(value: Any) -> Any:
    # pydantic reads a number as seconds since 1970 (a date) or since midnight (a time):
    # in an agreement, `effective_date: 0` is a typing error, not 1 January 1970.
    if isinstance(value, int | float | Decimal):
        raise PydanticCustomError("date_type", "a date is written `2026-12-01`, a time `09:00`")
    return value


Date = Annotated[dt.date, BeforeValidator(_not_a_number)]
"""A day, written ``2026-12-01``."""
Clock = Annotated[dt.time, BeforeValidator(_not_a_number)]
"""A time of day, written ``"09:00"``."""
Flag = Annotated[bool, Field(strict=True)]
"""Yes or no, written ``true`` or ``false`` (not ``1``, not ``"yes"``)."""

"""The numbers the targets are computed from (``inputs:``).

The names of these fields are a contract with the targets stage and with the people
who edit agreements: they do not change once released.
"""

import datetime as dt
import functools
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from sla_docs.model.base import Section
from sla_docs.model.types import (
    Clock,
    Count,
    Date,
    DivisorRate,
    Identifier,
    Money,
    PositiveCount,
    PositiveMoney,
    Rate,
    Text,
)


def _a_number(value: Any) -> Any:
    if isinstance(value, str | bool):  # pydantic would read `"1e3"` as a number
        raise PydanticCustomError("decimal_type", "a number is expected here, such as `120`")
    return value


SellingHours = Annotated[Decimal, BeforeValidator(_a_number), Field(ge=1, le=8784),
                         WithJsonSchema({"type": "number", "minimum": 1, "maximum": 8784})]
"""A rep's selling hours in a period: at least one, at most the 8,784 hours of a leap year."""
AttemptMinutes = Annotated[Decimal, BeforeValidator(_a_number), Field(ge=Decimal("0.1"), le=1440),
                           WithJsonSchema({"type": "number", "minimum": 0.1, "maximum": 1440})]
"""The minutes one attempt takes: six seconds at least, a whole day at most."""


class Funnel(Section):
    """Conversion rates of each stage, lead to customer."""

    lead_to_mql: DivisorRate
    """Share of leads that become marketing-qualified."""
    mql_to_sql: DivisorRate
    """Share of MQLs that Sales accepts."""
    sql_to_opportunity: DivisorRate
    """Share of SQLs that become opportunities."""
    opportunity_to_customer: DivisorRate
    """Share of opportunities won."""


class Tier(Section):
    """A class of lead worth more or less than others (C-level, director, manager)."""

    id: Identifier
    """Short name of the tier."""
    name: Text
    """The tier's name, per language."""
    share: Rate
    """The share of leads expected in this tier; the tiers' shares add up to 100%."""
    value_per_lead: Money
    """What one lead of this tier is worth to the business."""


class SalesTeam(Section):
    """The sales reps who follow up Marketing's leads."""

    reps: PositiveCount
    """How many reps follow up leads."""
    selling_hours_per_rep: SellingHours
    """Hours each rep has for selling in the quota's period."""
    minutes_per_attempt: AttemptMinutes
    """Minutes one follow-up attempt takes."""


@functools.cache
def time_zones() -> frozenset[str]:
    """The IANA time zone names this machine's database has (``zoneinfo``'s own list)."""
    return frozenset(available_timezones()) | {"UTC"}


def _known_time_zone(name: str) -> str:
    # The list, not ZoneInfo(name): a name is never opened as a file, so `Europe` (a
    # folder), `../x` or a device are refused like any other unknown name.
    if name not in time_zones():
        raise PydanticCustomError(
            "time_zone_unknown", "`{value}` is not an IANA time zone (such as `Europe/Rome` "
            "or `America/New_York`)", {"value": name, "expected": ", ".join(sorted(time_zones()))})
    return name


TimeZone = Annotated[
    str,
    AfterValidator(_known_time_zone),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$",
                    "description": "An IANA time zone name: `Europe/Rome`, `UTC`."}),
]
"""An IANA time zone name (``Europe/Rome``, ``America/New_York``, ``UTC``)."""


class Calendar(Section):
    """Which days and hours count when the agreement says ``within 2 days`` or ``1h``."""

    days: Literal["business", "calendar"] = "business"
    """Business days (Monday to Friday, less holidays) or every calendar day."""
    holidays: list[Date] = Field(default_factory=list)
    """Days nobody works."""
    time_zone: TimeZone = "UTC"
    """Where the working hours are kept: an IANA name such as ``Europe/Rome``."""
    opens: Clock = dt.time(9, 0)
    """When the working day starts, local time (``"09:00"``)."""
    closes: Clock = dt.time(18, 0)
    """When it ends, local time (``"18:00"``); after ``opens``."""

    @model_validator(mode="after")
    def _opens_before_closing(self) -> "Calendar":
        if self.closes <= self.opens:
            raise ValueError(f"the working day closes ({self.closes:%H:%M}) before it opens "
                             f"({self.opens:%H:%M})")
        return self


class Inputs(Section):
    """The figures Marketing's and Sales' targets are derived from."""

    period: Literal["month", "quarter", "year"]
    """The period the sales quota is stated for."""
    sales_quota: Money
    """The revenue Sales must close in the period."""
    marketing_share: Rate
    """The share of that revenue expected from marketing-generated leads."""
    average_deal_size: PositiveMoney
    """The revenue of an average sale."""
    lead_to_customer_rate: DivisorRate
    """The share of marketing leads that become customers (the close rate)."""
    sales_sourced_leads: Count = 0
    """Leads Sales finds itself in the period, taken off Marketing's target."""
    funnel: Funnel | None = None
    """Conversion rates stage by stage, when the team tracks them."""
    tiers: list[Tier] = Field(default_factory=list)
    """Lead tiers with their share and value, when leads are not all worth the same."""
    sales_team: SalesTeam | None = None
    """The reps' capacity, to check that the follow-up fits in their hours."""
    calendar: Calendar = Field(default_factory=Calendar)
    """Which days count."""

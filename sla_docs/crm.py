"""Reading a CRM's export of leads: CSV, one lead per row, streamed (never all in memory).

The canonical columns are :data:`CANONICAL`. An export names them its own way, so a
preset maps a HubSpot or Salesforce export's headers onto them, and ``--columns``
(a YAML mapping, canonical name → header) maps anything else. What makes the file
unreadable stops the report with ``file:row:column`` (a required column missing, a
date that is not a date); what is merely wrong in a lead is the report's business
(its data-quality section).

Times carry their offset (``2026-10-05T09:30:00+02:00``, or ``Z``); a time written
without one is taken in the agreement's time zone.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_docs.errors import SlaError

CANONICAL = ("lead_id", "created_at", "source", "tier", "handed_off_at", "owner",
             "first_attempt_at", "attempts", "connected", "stage", "customer_at",
             "deal_amount")
"""The columns a report reads, by their canonical names."""
REQUIRED = ("lead_id", "created_at", "source", "handed_off_at")
"""Without these there is no report; the others only switch parts of it off."""
PRESETS: dict[str, dict[str, str]] = {
    "canonical": {name: name for name in CANONICAL},
    "hubspot": {"lead_id": "Record ID", "created_at": "Create Date",
                "source": "Lead Source", "tier": "Lead Tier",
                "handed_off_at": "Became a Marketing Qualified Lead Date",
                "owner": "Contact owner", "first_attempt_at": "First Outreach Date",
                "attempts": "Number of Sales Activities", "connected": "Connected",
                "stage": "Lifecycle Stage", "customer_at": "Became a Customer Date",
                "deal_amount": "Amount"},
    "salesforce": {"lead_id": "Lead ID", "created_at": "Created Date",
                   "source": "Lead Source", "tier": "Rating",
                   "handed_off_at": "MQL Date", "owner": "Lead Owner",
                   "first_attempt_at": "First Call Date", "attempts": "Call Attempts",
                   "connected": "Contacted", "stage": "Lead Status",
                   "customer_at": "Converted Date", "deal_amount": "Opportunity Amount"},
}
"""Header names of common exports. A CRM's fields are configurable, so any of them can
be overridden with ``--columns``."""
TRUE = frozenset({"true", "yes", "y", "1", "sì", "si", "oui", "sim", "x"})
MARKETING = frozenset({"marketing", "mkt", "inbound"})


class ExportError(SlaError):
    """An export that cannot be read, at ``file:row:column``."""


@dataclass(frozen=True, slots=True)
class Lead:
    """One row of the export."""

    row: int
    """Its line in the file, counting the header as 1."""
    lead_id: str
    """The CRM's id of the lead."""
    created_at: dt.datetime
    """When the lead was created (timezone-aware)."""
    marketing: bool
    """Whether Marketing sourced it (else Sales did)."""
    tier: str
    """Its tier, '' when the export has none."""
    handed_off_at: dt.datetime | None
    """When Marketing handed it over; None if it never was."""
    owner: str
    """The rep who owns it."""
    first_attempt_at: dt.datetime | None
    """Sales' first attempt to reach it."""
    attempts: int
    """Attempts made so far."""
    connected: bool
    """Whether Sales has reached the person."""
    stage: str
    """Its stage (lead, mql, sql, opportunity, customer, recycled…), lower case."""
    customer_at: dt.datetime | None
    """When it became a customer."""
    deal_amount: Decimal | None
    """The revenue it brought."""


def column_map(preset: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Canonical name → header, from a preset and a user's overrides."""
    if preset not in PRESETS:
        raise ExportError(f"unknown column preset {preset!r}: {', '.join(PRESETS)}")
    columns = dict(PRESETS[preset])
    for name, header in (overrides or {}).items():
        if name not in CANONICAL:
            raise ExportError(f"--columns: {name!r} is not a column a report reads "
                              f"({', '.join(CANONICAL)})")
        columns[name] = str(header)
    return columns


def read_leads(path: Path, columns: Mapping[str, str], time_zone: str) -> Iterator[Lead]:
    """Every lead of the export, in file order."""
    zone = ZoneInfo(time_zone)
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows = csv.reader(stream)
            header = next(rows, [])
            where = _positions(path, header, columns)
            for number, row in enumerate(rows, start=2):
                if row:
                    yield _lead(path, number, row, where, zone)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ExportError(f"{path}: cannot be read as CSV ({error})") from None


def _positions(path: Path, header: list[str], columns: Mapping[str, str]) -> dict[str, int]:
    index = {name.strip(): i for i, name in enumerate(header)}
    where = {name: index[columns[name]] for name in CANONICAL
             if name in columns and columns[name] in index}
    missing = [f"{name} ({columns.get(name, name)!r})" for name in REQUIRED
               if name not in where]
    if missing:
        raise ExportError(f"{path}:1:1: missing column {', '.join(missing)}; the header "
                          f"has {', '.join(header[:12]) or 'nothing'}")
    return where


def _lead(path: Path, number: int, row: list[str], where: dict[str, int],
          zone: ZoneInfo) -> Lead:
    def text(name: str) -> str:
        at = where.get(name)
        return row[at].strip() if at is not None and at < len(row) else ""

    def time(name: str) -> dt.datetime | None:
        value = text(name)
        if not value:
            return None
        try:
            moment = dt.datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            raise ExportError(f"{path}:{number}:{where[name] + 1}: {name} {value!r} is not "
                              "a date and time (2026-10-05T09:30:00+02:00)") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)

    created = time("created_at")
    if created is None:
        raise ExportError(f"{path}:{number}:{where['created_at'] + 1}: created_at is empty")
    return Lead(number, text("lead_id"), created, text("source").lower() in MARKETING,
                text("tier"), time("handed_off_at"), text("owner"), time("first_attempt_at"),
                _count(path, number, where, text("attempts")),
                text("connected").lower() in TRUE, text("stage").lower(),
                time("customer_at"), _amount(path, number, where, text("deal_amount")))


def _count(path: Path, number: int, where: dict[str, int], value: str) -> int:
    if not value:
        return 0
    try:
        return int(Decimal(value))
    except (InvalidOperation, ValueError):
        raise ExportError(f"{path}:{number}:{where['attempts'] + 1}: attempts {value!r} "
                          "is not a number") from None


def _amount(path: Path, number: int, where: dict[str, int], value: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ExportError(f"{path}:{number}:{where['deal_amount'] + 1}: deal_amount "
                          f"{value!r} is not an amount") from None

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


DEAL_COLUMNS = ("deal_id", "lead_id", "closed_at", "amount", "source")
"""The columns of a deals export (``--deals``); ``lead_id`` and ``source`` may be missing."""
DEALS_REQUIRED = ("deal_id", "closed_at", "amount")


class ExportError(SlaError):
    """An export that cannot be read, at ``file:row:column``."""


@dataclass(slots=True)  # not frozen: a frozen dataclass is twice as slow to make, per row
class Lead:
    """One row of the export."""

    row: int
    """Its line in the file, counting the header as 1."""
    lead_id: str
    """The CRM's id of the lead."""
    created_at: float
    """When the lead was created, as a POSIX timestamp (times are compared as instants)."""
    marketing: bool
    """Whether Marketing sourced it (else Sales did)."""
    tier: str
    """Its tier, '' when the export has none."""
    handed_off_at: float | None
    """When Marketing handed it over; None if it never was."""
    owner: str
    """The rep who owns it."""
    first_attempt_at: float | None
    """Sales' first attempt to reach it."""
    attempts: int
    """Attempts made so far."""
    connected: bool
    """Whether Sales has reached the person."""
    stage: str
    """Its stage (lead, mql, sql, opportunity, customer, recycled…), lower case."""
    customer_at: float | None
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
            indices = tuple(where.get(name, -1) for name in CANONICAL)
            for number, row in enumerate(rows, start=2):
                if row:
                    yield _lead(path, number, row, indices, zone)
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


def _lead(path: Path, number: int, row: list[str], indices: tuple[int, ...],
          zone: ZoneInfo) -> Lead:
    # one pass over the row's cells: this runs a million times for a large export
    width = len(row)
    (lead_id, created, source, tier, handed, owner, first, attempts, connected, stage,
     customer, amount) = [row[i] if 0 <= i < width else "" for i in indices]
    if not created:
        raise ExportError(f"{path}:{number}:{indices[1] + 1}: created_at is empty")
    return Lead(number, lead_id.strip(),
                _time(created, zone, path, number, indices[1], "created_at"),
                source.strip().lower() in MARKETING, tier.strip(),
                _time(handed, zone, path, number, indices[4], "handed_off_at")
                if handed else None, owner.strip(),
                _time(first, zone, path, number, indices[6], "first_attempt_at")
                if first else None, _count(path, number, indices[7], attempts.strip()),
                connected.strip().lower() in TRUE, stage.strip().lower(),
                _time(customer, zone, path, number, indices[10], "customer_at")
                if customer else None, _amount(path, number, indices[11], amount.strip()))


def _time(value: str, zone: ZoneInfo, path: Path, number: int, column: int,
          name: str) -> float:
    """A time of the export as a POSIX timestamp; ``column`` counts from 0."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ExportError(f"{path}:{number}:{column + 1}: {name} {value!r} is not a date "
                          "and time (2026-10-05T09:30:00+02:00)") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).timestamp()


def _count(path: Path, number: int, column: int, value: str) -> int:
    if not value:
        return 0
    if value.isdigit():
        return int(value)
    try:
        return int(Decimal(value))
    except (InvalidOperation, ValueError):
        raise ExportError(f"{path}:{number}:{column + 1}: attempts {value!r} "
                          "is not a number") from None


def _amount(path: Path, number: int, column: int, value: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ExportError(f"{path}:{number}:{column + 1}: deal_amount "
                          f"{value!r} is not an amount") from None


@dataclass(slots=True)
class Deal:
    """One won deal of a deals export."""

    row: int
    """Its line in the file."""
    lead_id: str
    """The lead it came from, '' when the export does not say."""
    closed_at: float
    """When it was won (POSIX timestamp)."""
    amount: Decimal
    """Its revenue."""
    source: str
    """``marketing``, ``sales`` or '' when the export does not say."""


def read_deals(path: Path, time_zone: str) -> Iterator[Deal]:
    """Every deal of a deals export (canonical column names), in file order."""
    zone = ZoneInfo(time_zone)
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows = csv.reader(stream)
            header = [name.strip() for name in next(rows, [])]
            missing = [name for name in DEALS_REQUIRED if name not in header]
            if missing:
                raise ExportError(f"{path}:1:1: missing column {', '.join(missing)}")
            at = {name: header.index(name) if name in header else -1 for name in DEAL_COLUMNS}
            for number, row in enumerate(rows, start=2):
                if row:
                    yield _deal(path, number, row, at, zone)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ExportError(f"{path}: cannot be read as CSV ({error})") from None


def _deal(path: Path, number: int, row: list[str], at: dict[str, int],
          zone: ZoneInfo) -> Deal:
    def cell(name: str) -> str:
        index = at[name]
        return row[index].strip() if 0 <= index < len(row) else ""

    closed = cell("closed_at")
    if not closed:
        raise ExportError(f"{path}:{number}:{at['closed_at'] + 1}: closed_at is empty")
    amount = _amount(path, number, at["amount"], cell("amount"))
    return Deal(number, cell("lead_id"), _time(closed, zone, path, number, at["closed_at"],
                                               "closed_at"),
                amount if amount is not None else Decimal(0), cell("source").lower())

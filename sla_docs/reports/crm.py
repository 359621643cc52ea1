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

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_docs.reports.exports import ExportError, check_text, column_names, records

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
FIRST_YEAR, LAST_YEAR = 1900, 8999
"""The years an export's times may fall in: outside them the calendar arithmetic
would overflow, and a CRM's "0001-01-01" means "never" rather than a date."""
A_TIME = f"a date and time from {FIRST_YEAR} to {LAST_YEAR} (2026-10-05T09:30:00+02:00)"
"""What a time cell must hold, as an error says it."""
TRUE = frozenset({"true", "yes", "y", "1", "sì", "si", "oui", "sim", "x"})
MARKETING = frozenset({"marketing", "mkt", "inbound"})


DEAL_COLUMNS = ("deal_id", "lead_id", "closed_at", "amount", "source")
"""The columns of a deals export (``--deals``); ``lead_id`` and ``source`` may be missing."""
DEALS_REQUIRED = ("deal_id", "closed_at", "amount")


@dataclass(slots=True)  # not frozen: a frozen dataclass is twice as slow to make, per row
class Lead:
    """One row of the export."""

    row: int
    """The line its record starts on, the header being line 1."""
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


def read_leads(path: Path, columns: Mapping[str, str], time_zone: str, *,
               until_line: int | None = None) -> Iterator[Lead]:
    """Every lead of the export in file order (with ``until_line``: those whose record
    begins on or before that line)."""
    lead = _lead_reader(path, lead_columns(path, columns), ZoneInfo(time_zone))
    for line, row in records(path):
        if until_line is not None and line > until_line:
            return
        yield lead(line, row)


def read_later_leads(path: Path, columns: Mapping[str, str], time_zone: str,
                     after_line: int) -> tuple[set[str], Iterator[Lead]]:
    """The leads whose record begins after ``after_line``, and first the ids of those
    before it that have any handoff time (the later reader's suspects). One reader
    from the file's start does both, so the two kinds of record part where
    :func:`read_leads` with ``until_line`` stops."""
    indices = lead_columns(path, columns)
    lead_id, handed, cut = indices[0], indices[4], max(indices[0], indices[4])
    rows = records(path)
    suspects, first = set(), None
    for line, row in rows:
        if line > after_line:
            first = (line, row)
            break
        if len(row) > cut and row[handed].strip():
            suspects.add(row[lead_id].strip())
    lead = _lead_reader(path, indices, ZoneInfo(time_zone))

    def later() -> Iterator[Lead]:
        if first is not None:
            yield lead(*first)
            for line, row in rows:
                yield lead(line, row)

    return suspects, later()


def lead_columns(path: Path, columns: Mapping[str, str]) -> tuple[int, ...]:
    """Where each of :data:`CANONICAL` is in the export's header (-1: not there)."""
    where = _positions(path, column_names(path), columns)
    return tuple(where.get(name, -1) for name in CANONICAL)


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


def _lead_reader(path: Path, indices: tuple[int, ...],
                 zone: ZoneInfo) -> Callable[[int, list[str]], Lead]:
    """A function making the lead of one row; it runs a million times for a large
    export, so the cells are taken in one C call when the row is wide enough."""
    stamp, strip = timestamps(zone), str.strip
    cells = itemgetter(*(i if i >= 0 else -1 for i in indices))  # -1: the "" added below
    width = max(indices) + 1

    def lead(line: int, row: list[str]) -> Lead:
        if len(row) >= width:
            row.append("")
            (lead_id, created, source, tier, handed, owner, first, attempts, connected,
             stage, customer, amount) = map(strip, cells(row))
        else:
            (lead_id, created, source, tier, handed, owner, first, attempts, connected,
             stage, customer, amount) = [row[i].strip() if 0 <= i < len(row) else ""
                                         for i in indices]
        if not created:
            raise ExportError(f"{path}:{line}:{indices[1] + 1}: created_at is empty")
        try:
            return Lead(line, lead_id, stamp(created), source.lower() in MARKETING, tier,
                        stamp(handed) if handed else None, owner,
                        stamp(first) if first else None,
                        int(attempts) if attempts.isdigit() else _count(attempts),
                        connected.lower() in TRUE, stage.lower(),
                        stamp(customer) if customer else None,
                        _amount(amount) if amount else None)
        except (ValueError, InvalidOperation, OverflowError):
            raise _unreadable(path, line, row, indices) from None

    return lead


def _unreadable(path: Path, line: int, row: list[str], indices: tuple[int, ...]) -> ExportError:
    """The error for a row one of whose cells did not read: the first such cell, named."""
    stamp = timestamps(dt.UTC)
    for name in ("created_at", "handed_off_at", "first_attempt_at", "attempts",
                 "customer_at", "deal_amount"):
        column = indices[CANONICAL.index(name)]
        value = row[column].strip() if 0 <= column < len(row) else ""
        try:
            if name == "attempts":
                _count(value)
            elif name == "deal_amount":
                _amount(value or "0")
            elif value:
                stamp(value)
        except (ValueError, InvalidOperation, OverflowError):
            kind = {"attempts": "a number", "deal_amount": "an amount"}.get(name, A_TIME)
            return ExportError(f"{path}:{line}:{column + 1}: {name} {value!r} is not {kind}")
    return ExportError(f"{path}:{line}:1: the row cannot be read")


def timestamps(zone: dt.tzinfo) -> Callable[[str], float]:
    """A function reading an ISO 8601 time as a POSIX timestamp (instants compare as
    numbers); a time without an offset is taken in ``zone``; ValueError when the text
    is not a time.

    Converting an aware time costs four times parsing it, and an export's times share
    a few dates and offsets: the midnight of each (date, offset) is converted once and
    the time of day added. Only times written ``YYYY-MM-DDTHH:MM:SS±HH:MM`` (or ``Z``)
    fill that cache, so a key found in it always names one date and one offset; a
    time with a fraction of a second is converted whole, so no sum rounds twice.
    """
    midnights: dict[str, float] = {}
    parse = dt.datetime.fromisoformat

    def stamp(value: str) -> float:
        moment = parse(value)
        midnight = midnights.get(value[:10] + value[19:])
        if midnight is not None and not moment.microsecond:  # whole seconds add exactly
            return midnight + (moment.hour * 3600 + moment.minute * 60 + moment.second)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:  # a cached date passed this
            raise ValueError(value)
        instant = (moment if moment.tzinfo else moment.replace(tzinfo=zone)).timestamp()
        if moment.tzinfo and len(value) in (20, 25) and value[19] in "+-Z" and \
                value[4] + value[7] + value[13] + value[16] == "--::":
            midnights[value[:10] + value[19:]] = instant - (
                moment.hour * 3600 + moment.minute * 60 + moment.second)
        return instant

    return stamp


def _count(value: str) -> int:
    """Attempts written as ``3``, ``3.0`` or empty; ValueError otherwise."""
    if not value:
        return 0
    try:
        return int(Decimal(value))
    except InvalidOperation:
        raise ValueError(value) from None


def _amount(value: str) -> Decimal:
    """An amount written as ``1234.50`` or ``1,234.50``; ValueError otherwise."""
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ValueError(value) from None
    if not amount.is_finite():
        raise ValueError(value)
    return amount


@dataclass(slots=True)
class Deal:
    """One won deal of a deals export."""

    row: int
    """The line its record starts on."""
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
    stamp = timestamps(ZoneInfo(time_zone))
    check_text(path)
    names = [name.strip() for name in column_names(path)]
    missing = [name for name in DEALS_REQUIRED if name not in names]
    if missing:
        raise ExportError(f"{path}:1:1: missing column {', '.join(missing)}")
    at = {name: names.index(name) if name in names else -1 for name in DEAL_COLUMNS}
    for line, row in records(path):
        yield _deal(path, line, row, at, stamp)


def _deal(path: Path, line: int, row: list[str], at: dict[str, int],
          stamp: Callable[[str], float]) -> Deal:
    def cell(name: str) -> str:
        index = at[name]
        return row[index].strip() if 0 <= index < len(row) else ""

    closed, amount = cell("closed_at"), cell("amount")
    if not closed:
        raise ExportError(f"{path}:{line}:{at['closed_at'] + 1}: closed_at is empty")
    try:
        closed_at = stamp(closed)
    except ValueError:
        raise ExportError(f"{path}:{line}:{at['closed_at'] + 1}: closed_at {closed!r} is "
                          f"not {A_TIME}") from None
    try:
        value = _amount(amount) if amount else Decimal(0)
    except ValueError:
        raise ExportError(f"{path}:{line}:{at['amount'] + 1}: amount {amount!r} is not an "
                          "amount") from None
    return Deal(line, cell("lead_id"), closed_at, value, cell("source").lower())

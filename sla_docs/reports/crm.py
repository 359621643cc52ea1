"""Reading a CRM's export of leads: CSV, one lead per row, streamed (never all in memory).

The canonical columns are :data:`CANONICAL`. An export names them its own way, so a
preset maps a HubSpot or Salesforce export's headers onto them, and ``--columns``
(a YAML mapping, canonical name → header) maps anything else. What makes the file
unreadable stops the report with ``file:line:cell`` (a required column missing or
named twice, the header again in the middle of the file, a time or an amount written
in a form the reader does not know, since the export's settings decide that for every
row); what is wrong in one lead is the report's business: the lead is left out of the
figures and listed, with its line, in the data-quality section (a row with fewer or
more cells than the header, attempts that are not a count, ``connected`` that is
neither yes nor no: :data:`ROW_PROBLEMS`).

Times carry their offset (``2026-10-05T09:30:00+02:00``, or ``Z``); a time written
without one is taken in the agreement's time zone. A date without a time (Salesforce's
``ConvertedDate``, ``2026-10-05``; a HubSpot export of date-only values) is that day as
the agreement's calendar keeps it, from its start: 00:00 in the agreement's zone, never
midnight UTC, so no zone moves it to the day before or after. The start, not the end,
so that a customer won "today" counts in a report taken this morning (its end would be
a time after the report's moment, a data-quality problem) and in the month of that day.

Which header is which column is :mod:`sla_docs.reports.headers`' business (case and
spaces aside, a preset's internal names as well as its labels).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import chain
from operator import itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_docs.message_ids import N_
from sla_docs.reports.exports import ExportError, column_names, records

# exported here too, where they always were (``from sla_docs.reports.crm import …``)
from sla_docs.reports.headers import CANONICAL as CANONICAL
from sla_docs.reports.headers import PRESETS as PRESETS
from sla_docs.reports.headers import REQUIRED as REQUIRED
from sla_docs.reports.headers import column_file, header_key
from sla_docs.reports.headers import column_positions as column_positions

FIRST_YEAR, LAST_YEAR = 1900, 8999
"""The years an export's times may fall in: outside them the calendar arithmetic
would overflow, and a CRM's "0001-01-01" means "never" rather than a date."""
A_TIME = f"a date and time from {FIRST_YEAR} to {LAST_YEAR} (2026-10-05T09:30:00+02:00)"
"""What a time cell must hold, as an error says it."""
TRUE = frozenset({"true", "yes", "y", "1", "sì", "sí", "si", "oui", "sim", "x", "vero",
                  "vrai", "verdadero", "verdadeiro"})
"""What ``connected`` says for yes, in the export's language."""
FALSE = frozenset({"false", "no", "n", "0", "non", "não", "nao", "falso", "faux", ""})
"""What it says for no (an empty cell: not reached)."""
MAX_ATTEMPTS = 1000
"""More attempts than this on one lead is a typing slip or a field holding something else."""
MAX_AMOUNT = Decimal(10) ** 15
"""Amounts from here on are a slip (a date or a phone number in the amount column)."""
ROW_PROBLEMS = (N_("row with fewer cells than the header"),
                N_("row with more cells than the header"),
                N_("attempts not a count from 0 to 1000"),
                N_("connected neither yes nor no"))
"""What can be wrong in one row, which leaves its lead out of the figures."""
AN_AMOUNT = f"an amount from 0.01 to below {MAX_AMOUNT:,.0f}, or 0 (1234.50 or 1,234.50)"
"""What an amount cell must hold, as an error says it."""
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,16}(\.[0-9]{1,20})?", re.ASCII)
SMALLEST_AMOUNT = Decimal("0.01")
"""A deal worth more than nothing is worth at least a cent: a smaller amount is a typo
(or a unit error) that would make the next period's targets absurd."""
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?")
MARKETING = frozenset({"marketing", "mkt", "inbound"} | {
    # HubSpot's Original Source (hs_analytics_source): each channel a lead can come in by,
    # as its label and as its internal value; all but "Offline Sources" (contacts created
    # by hand, imported or synced), which counts as Sales' own
    spelled for channel in ("organic search", "paid search", "email marketing",
                            "organic social", "social media", "paid social", "referrals",
                            "other campaigns", "direct traffic", "ai referrals")
    for spelled in (channel, channel.replace(" ", "_"))} | {
    # Salesforce's standard Lead Source values for what Marketing brings in: web-to-lead
    # forms and bought lists (not "Phone Inquiry", "Partner Referral" or "Other")
    "web", "purchased list"})
"""What ``source`` says (lower case) for a lead Marketing sourced; anything else is Sales'."""


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
    problem: str | None = None
    """What is wrong in its row (one of :data:`ROW_PROBLEMS`), which leaves it out."""
    assigned_at: float | None = None
    """When its owner was assigned (HubSpot's owner-assigned date), as ``handed_off_at``
    is kept; None when the export has no such column or the cell is empty."""


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
    named: dict[str, str] = {}
    for name, header in columns.items():  # a preset's header given to another column too
        other = named.setdefault(header_key(header), name)
        if other != name:
            raise ExportError(f"--columns: {header!r} would be both {other} and {name}; "
                              "one column of the export cannot be two")
    return columns


def export_columns(preset: str, columns: Path | None) -> dict[str, str]:
    """Canonical name → header, from a preset and the user's ``--columns`` file, if any
    (what ``sla report`` and ``sla alerts`` read an export with)."""
    return column_map(preset, column_file(columns) if columns else None)


def read_leads(path: Path, columns: Mapping[str, str], time_zone: str, *,
               until_line: int | None = None) -> Iterator[Lead]:
    """Every lead of the export in file order (with ``until_line``: those whose record
    begins on or before that line)."""
    lead = _lead_reader(path, lead_columns(path, columns), ZoneInfo(time_zone))
    for line, row in records(path):
        if until_line is not None and line > until_line:
            return
        found = lead(line, row)
        if found is not None:
            yield found


def read_later_leads(path: Path, columns: Mapping[str, str], time_zone: str,
                     after_line: int, *, suspects: bool = True
                     ) -> tuple[set[str], Iterator[Lead]]:
    """The leads whose record begins after ``after_line``, and first the ids of those
    before it that have any handoff time (the later reader's suspects; none gathered
    when ``suspects`` is false). One reader from the file's start does both, so the two
    kinds of record part where :func:`read_leads` with ``until_line`` stops."""
    indices = lead_columns(path, columns)
    lead_id, handed, cut = indices[0], indices[4], max(indices[0], indices[4])
    rows = records(path)
    ids: set[str] = set()
    first = None
    for line, row in rows:
        if line > after_line:
            first = (line, row)
            break
        if suspects and len(row) > cut and row[handed].strip():
            ids.add(row[lead_id].strip())
    lead = _lead_reader(path, indices, ZoneInfo(time_zone))

    def later() -> Iterator[Lead]:
        if first is not None:
            for line, row in chain((first,), rows):
                found = lead(line, row)
                if found is not None:
                    yield found

    return ids, later()


def lead_columns(path: Path, columns: Mapping[str, str]) -> tuple[int, ...]:
    """Where each of :data:`CANONICAL` is in the export's header (-1: not there), and
    last how many cells the header has."""
    header = column_names(path)
    where = column_positions(path, header, columns)
    return (*(where.get(name, -1) for name in CANONICAL), len(header))


def _lead_reader(path: Path, layout: tuple[int, ...],
                 zone: ZoneInfo) -> Callable[[int, list[str]], Lead | None]:
    """A function making the lead of one row (None for a row of empty cells); it runs a
    million times for a large export, so the cells are taken in one C call.

    ``layout``: where each canonical column is (:func:`lead_columns`), then the header's
    width, which every row must have."""
    *indices, width = layout
    stamp, strip = timestamps(zone), str.strip
    cells = itemgetter(*(i if i >= 0 else -1 for i in indices))  # -1: the "" added below
    misshapen = _misshapen(indices, width)

    def lead(line: int, row: list[str]) -> Lead | None:
        if len(row) != width:
            return misshapen(line, row)
        row.append("")
        (lead_id, created, source, tier, handed, owner, first, attempts, connected,
         stage, customer, amount, assigned) = map(strip, cells(row))
        if not created:
            if not any(map(strip, row)):  # a spreadsheet's trailing row of commas
                return None
            raise ExportError(f"{path}:{line}:{indices[1] + 1}: created_at is empty")
        try:
            count = int(attempts) if attempts.isdecimal() and len(attempts) < 4 else \
                _count(attempts)
            said = connected.lower()
            found = Lead(line, lead_id, stamp(created), source.lower() in MARKETING, tier,
                         stamp(handed) if handed else None, owner,
                         stamp(first) if first else None, count, said in TRUE,
                         stage.lower(), stamp(customer) if customer else None,
                         parse_amount(amount) if amount else None, None,
                         stamp(assigned) if assigned else None)
        except (ValueError, InvalidOperation, OverflowError):
            raise _unreadable(path, line, row[:-1], indices) from None
        if count < 0 or count > MAX_ATTEMPTS:
            found.problem = ROW_PROBLEMS[2]
        elif not found.connected and said not in FALSE:
            found.problem = ROW_PROBLEMS[3]
        return found

    return lead


def _misshapen(indices: list[int], width: int) -> Callable[[int, list[str]], Lead | None]:
    """A function making the stand-in of a row whose cells do not line up with the
    header: nothing in it can be trusted but where it is, and (when it has one) its id."""
    where = indices[0]

    def stand_in(line: int, row: list[str]) -> Lead | None:
        if not any(cell.strip() for cell in row):
            return None
        lead_id = row[where].strip() if where < len(row) else ""
        return Lead(line, lead_id, 0.0, False, "", None, "", None, 0, False, "", None, None,
                    ROW_PROBLEMS[0] if len(row) < width else ROW_PROBLEMS[1])

    return stand_in


def _unreadable(path: Path, line: int, row: list[str], indices: list[int]) -> ExportError:
    """The error for a row one of whose cells did not read: the first such cell, named."""
    header = [name.strip() for name in column_names(path)]
    if [cell.strip() for cell in row] == header:
        return ExportError(f"{path}:{line}:1: the header again, in the middle of the export "
                           "(two exports joined into one?); remove this line")
    stamp = timestamps(dt.UTC)
    for name in ("created_at", "handed_off_at", "first_attempt_at", "customer_at",
                 "deal_amount", "assigned_at"):
        column = indices[CANONICAL.index(name)]
        value = row[column].strip() if 0 <= column < len(row) else ""
        try:
            if name == "deal_amount":
                parse_amount(value or "0")
            elif value:
                stamp(value)
        except (ValueError, InvalidOperation, OverflowError):
            kind = AN_AMOUNT if name == "deal_amount" else A_TIME
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
    """Attempts written as ``3``, ``3.0`` or empty (0); -1 when the cell holds no whole
    number of attempts, or so many that it cannot be one (see :data:`MAX_ATTEMPTS`)."""
    if not value:
        return 0
    try:
        number = Decimal(value)
    except InvalidOperation:
        return -1
    if not number.is_finite() or not 0 <= number <= MAX_ATTEMPTS or \
            number != number.to_integral_value():
        return -1
    return int(number)


def parse_amount(value: str) -> Decimal:
    """An amount written as ``1234.50`` or ``1,234.50``; ValueError otherwise, for
    ``1.234,50`` (commas must group thousands: that one is not one dollar twenty-three),
    and for a negative amount (a deal is not worth less than nothing) or one between 0
    and a cent."""
    if "," in value:
        if not _GROUPED.fullmatch(value):
            raise ValueError(value)
        value = value.replace(",", "")
    # digits and a point only: Decimal would also take " 5", "+5", "5_000", "1e400" and
    # other scripts' digits, none of which a CRM writes for an amount
    if not _PLAIN_AMOUNT.fullmatch(value):
        raise ValueError(value)
    amount = Decimal(value)
    if amount >= MAX_AMOUNT or 0 < amount < SMALLEST_AMOUNT:
        raise ValueError(value)
    return amount

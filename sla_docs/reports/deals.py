"""Reading a CRM's export of won deals (``sla report --deals``): CSV, one deal per row.

A deals export is the period's revenue, deal by deal, so a row whose cells do not line
up with its header stops the report (at ``file:line:cell``) rather than dropping a deal;
its times and amounts are read as the leads export's are (:mod:`sla_docs.reports.crm`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_docs.reports.crm import A_TIME, AN_AMOUNT, column_positions, parse_amount, timestamps
from sla_docs.reports.exports import ExportError, check_text, column_names, records

DEAL_COLUMNS = ("deal_id", "lead_id", "closed_at", "amount", "source")
"""The columns of a deals export (``--deals``); ``lead_id`` and ``source`` may be missing."""
DEALS_REQUIRED = ("deal_id", "closed_at", "amount")
"""Without these there is no revenue to read."""


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
    """Every deal of a deals export (canonical column names), in file order.

    A deals export is the period's revenue, deal by deal: a row whose cells do not line
    up with the header is an error here, not a deal left out, since it would change
    the revenue the whole report is about."""
    stamp = timestamps(ZoneInfo(time_zone))
    check_text(path)
    header = column_names(path)
    names = [name.strip() for name in header]
    # matched as a leads export's headers are (case and spaces aside)
    where = column_positions(path, header, {name: name for name in DEAL_COLUMNS},
                             required=DEALS_REQUIRED)
    at = {name: where.get(name, -1) for name in DEAL_COLUMNS}
    for line, row in records(path):
        if len(row) != len(header):
            if not any(cell.strip() for cell in row):
                continue
            raise ExportError(f"{path}:{line}:{min(len(row), len(header)) + 1}: this row has "
                              f"{len(row)} cells, the header {len(header)}: a comma too many "
                              "or too few, or a line break in a cell without quotes")
        if [cell.strip() for cell in row] == names:
            raise ExportError(f"{path}:{line}:1: the header again, in the middle of the "
                              "export (two exports joined into one?); remove this line")
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
        value = parse_amount(amount) if amount else Decimal(0)
    except ValueError:
        raise ExportError(f"{path}:{line}:{at['amount'] + 1}: amount {amount!r} is not "
                          f"{AN_AMOUNT}") from None
    return Deal(line, cell("lead_id"), closed_at, value, cell("source").lower())

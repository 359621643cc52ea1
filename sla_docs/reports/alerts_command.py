"""``sla alerts``: the digest of one export as of one moment, printed, then posted.

Exit codes: 0 when no lead is overdue, :data:`sla_docs.errors.EXIT_OVERDUE` (3) when
one is, after the digest is printed and posted (at risk, behind and due back alone do
not change it); 1 for any input error or a failed post, 2 for click's usage errors.
"""

from __future__ import annotations

import datetime as dt
import gc
from array import array
from collections.abc import Callable, Iterable, Mapping
from itertools import repeat
from multiprocessing.connection import Connection
from operator import attrgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sla_docs.check.validate import check_file, require_valid
from sla_docs.durations import read_duration
from sla_docs.errors import EXIT_OK, EXIT_OVERDUE, SlaError
from sla_docs.files import usable_cores
from sla_docs.reports.alerts import Alert, Digest, Rules, due_instants, judge, rules
from sla_docs.reports.alerts_output import chat_payload, render, write_lines
from sla_docs.reports.crm import (
    FIRST_YEAR,
    LAST_YEAR,
    Lead,
    export_columns,
    read_later_leads,
    read_leads,
)
from sla_docs.reports.exports import (
    ExportError,
    NoSecondProcess,
    check_text,
    in_two_processes,
    send_outcome,
)
from sla_docs.reports.headers import missing_columns
from sla_docs.reports.tally import SPLIT_FROM
from sla_docs.reports.webhook import TIMEOUT, checked_url, post
from sla_docs.targets.calendar import WorkingHours, local_time

WARN_WITHIN = dt.timedelta(hours=1)
"""The default ``--warn-within``: the hourly digest's cadence, so that what falls due
before the next one is in this one."""
FIRST_SHARE = 0.56
"""The first part's share of the export's bytes: over half, since the second process
also skims the first part and sends its lines; at this share both end together on
1,000,000 leads (``benchmarks/alerts_vs_report.py``)."""
LONGEST_WARNING = dt.timedelta(days=3650)
"""The longest ``--warn-within``, as the agreement's own durations are bounded."""


def moment(text: str | None, zone: ZoneInfo) -> dt.datetime:
    """``--as-of`` in the agreement's zone (a time without an offset is taken there);
    now by default."""
    if text is None:
        return dt.datetime.now(zone)
    try:
        found = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        found = None
    if found is None or not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise SlaError(f"--as-of {text!r}: a date and time from {FIRST_YEAR} to {LAST_YEAR}, "
                       f"such as 2026-10-30T11:30 (in the agreement's zone, {zone.key}) or "
                       "2026-10-30T11:30+01:00")
    if found.tzinfo is None:
        try:
            found = local_time(found, zone)
        except ValueError as error:
            raise SlaError(f"--as-of {error}") from None
    return found.astimezone(zone)


def warning(text: str | None) -> dt.timedelta:
    """``--warn-within`` as a duration (``0m`` warns of nothing ahead)."""
    if text is None:
        return WARN_WITHIN
    try:
        span = read_duration(text)
    except OverflowError:
        span = None
    if span is None or span > LONGEST_WARNING:
        raise SlaError(f"--warn-within {text!r}: a duration such as 30m, 2h, 1d or PT4H, "
                       "at most 3650 days")
    return span


def alerts(path: Path, leads: Path, *, as_of: str | None = None,
           warn_within: str | None = None, output: str = "text",
           webhook: str | None = None, preset: str = "canonical",
           columns: Path | None = None, today: dt.date | None = None,
           webhook_timeout: float = TIMEOUT, echo: Callable[[str], None] = print,
           warn: Callable[[str], None] | None = None) -> int:
    """Print (through ``echo``) the alerts of ``leads`` under the agreement at ``path``,
    post them to ``webhook`` when given, and return the exit code. ``warn``: told each
    column the export lacks and what the alerts go without."""
    if webhook is not None:
        checked_url(webhook)  # a URL that cannot be posted to stops it before any work
    span = warning(warn_within)
    agreement = require_valid(check_file(path, today or dt.date.today())).agreement
    zone = ZoneInfo(agreement.inputs.calendar.time_zone)
    now = moment(as_of, zone)
    mapping = export_columns(preset, columns)
    if warn is not None:
        for missing in missing_columns(leads, mapping):  # never a column silently dropped
            warn(missing)
    hours = WorkingHours(agreement.inputs.calendar)
    digest = Digest(agreement.id, now, agreement.follow_up.first_contact_within, span)
    gc.disable()  # the alert lines kept make no cycle, and a collection would walk them all
    try:
        collect(digest, leads, mapping, hours, rules(agreement, hours, span), usable_cores(),
                lines=output == "text")
        text, overdue = render(digest, output), digest.overdue
        payload = chat_payload(digest) if webhook is not None else None
        del digest  # its lines freed before collections resume, so none walks them
    finally:
        gc.enable()
    echo(text)
    if webhook is not None and payload is not None:
        post(webhook, payload, webhook_timeout)
    return EXIT_OVERDUE if overdue else EXIT_OK


def collect(digest: Digest, path: Path, columns: Mapping[str, str], hours: WorkingHours,
            found: Rules, jobs: int, *, lines: bool = False) -> None:
    """Judge every lead of the export into ``digest``, as :func:`sla_docs.reports.tally.
    tally_export` reads one: a large export in two parts at once when ``jobs`` allows,
    this process the first, a second one the rest (one alone when no second process
    can be started). No rule looks at another row, so each part's lines, arranged where
    they were read, only need merging. With ``lines``, each process also writes its
    alerts' lines of the text digest."""
    zone = hours.zone.key
    two = jobs > 1 and path.stat().st_size >= SPLIT_FROM
    last_line = check_text(path, FIRST_SHARE if two else 0.0)
    if two:
        try:
            later = in_two_processes(
                path, lambda: _judged(digest, read_leads(path, columns, zone,
                                                         until_line=last_line),
                                      hours, found, lines),
                _second_part, (digest, path, dict(columns), hours, found, last_line, lines))
        except NoSecondProcess:
            pass  # no second process to be had: this one reads it all
        else:
            arranged, left_out = later
            digest.merge({owner: {kind: _unpacked(path, kind, owner, packed)
                                  for kind, packed in kinds.items()}
                          for owner, kinds in arranged.items()})
            digest.left_out.extend(left_out)
            return
    _judged(digest, read_leads(path, columns, zone), hours, found, lines)


def _judged(digest: Digest, leads: Iterable[Lead], hours: WorkingHours, found: Rules,
            lines: bool) -> None:
    """Judge ``leads`` into ``digest``, put their due times, with ``lines`` write their
    lines, and arrange them (each process its own part, at the same time)."""
    judge(digest, leads, hours, found)
    due_instants(digest, hours)
    if lines:
        write_lines(digest)
    digest.arrange()


def _second_part(digest: Digest, path: Path, columns: dict[str, str], hours: WorkingHours,
                 found: Rules, after_line: int, lines: bool, sender: Connection) -> None:
    """The second process: the arranged alert lines of the records after
    ``after_line``, sent back through ``sender`` packed (:func:`_packed`)."""

    def work() -> tuple[dict[str, dict[str, Packed]], list[tuple[str, int]]]:
        _, leads = read_later_leads(path, columns, hours.zone.key, after_line,
                                    suspects=False)  # no rule looks at another row
        _judged(digest, leads, hours, found, lines)
        return ({owner: {kind: _packed(alerts) for kind, alerts in kinds.items() if alerts}
                 for owner, kinds in digest.by_rep.items()}, digest.left_out)

    send_outcome(sender, work)


Packed = tuple[str, "array[int]", "array[float]", "array[float]", "array[float]",
               "array[int]", "array[int]", str, list[float | None], bytes]
"""One rep's alerts of one kind as columns, in :class:`Alert`'s order but for the kind
and the owner (what they are filed under)."""


def _packed(alerts: list[Alert]) -> Packed:
    """``alerts`` (at least one) as columns: texts joined by NUL, which no export holds
    (:func:`check_text` refuses it) and :func:`printable` escapes, and numbers in
    arrays. A few buffers pickle in milliseconds, where a tuple per line took a tenth
    of a second of the second process and as long again of the first."""
    def column(name: str) -> Iterable[Any]:
        return map(attrgetter(name), alerts)

    return ("\0".join(column("lead_id")), array("q", column("row")),
            array("d", column("handed_off_at")), array("d", column("due_at")),
            array("d", column("late")), array("q", column("attempts")),
            array("q", column("attempts_due")), "\0".join(column("text")),
            list(column("routing")), bytes(column("late_when_assigned")))


def _unpacked(path: Path, kind: str, owner: str, packed: Packed) -> list[Alert]:
    """The alerts :func:`_packed` packed, of ``owner``'s of ``kind``."""
    ids, rows, handed, due, late, attempts, owed, texts, routing, assigned_late = packed
    lead_ids, written = ids.split("\0"), texts.split("\0")
    if not len(lead_ids) == len(written) == len(rows):  # a NUL after all: not the file checked
        raise ExportError(f"{path}: changed while it was being read; run the command again")
    return list(map(Alert, repeat(kind), lead_ids, repeat(owner), rows, handed, due, late,
                    attempts, owed, written, routing, map(bool, assigned_late)))

"""Durations, read and written: the one home of their spellings.

Read: the agreement's short form (``4h``, ``30m``, ``1h30m``, ``2d``, ``1w``) and ISO 8601
(``PT4H``). Written: one split into days, hours, minutes and seconds, spelt short
(``1h30m``), in ISO 8601 for machines (``PT1H30M``), in English for a message (``2 days``,
``1.5 hours``), or in a locale's words (:class:`sla_docs.targets.formats.Localized`).
Durations are exact: a span is never rounded, only split.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

DURATION_PATTERN = (
    r"^ *(?:(?:[0-9]+(?:\.[0-9]+)? *(?:[wWdDhHsS]|[mM](?:[iI][nN])?) *)+"
    r"|[pP](?=[0-9tT])(?:[0-9]+[wW])?(?:[0-9]+[dD])?"
    r"(?:[tT](?=[0-9])(?:[0-9]+[hH])?(?:[0-9]+[mM])?(?:[0-9]+[sS])?)?) *$"
)
"""Every spelling :func:`read_duration` reads, as one regular expression that Python and
JSON Schema (ECMA-262) read alike, so the schema an editor checks with says the same."""
_WHOLE = re.compile(DURATION_PATTERN, re.ASCII)
_SHORT_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?) *(w|d|h|min|m|s)", re.IGNORECASE | re.ASCII)
_ISO = re.compile(r"^ *P(?:([0-9]+)W)?(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?"
                  r"(?:([0-9]+)S)?)? *$", re.ASCII)
_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "min": 60, "s": 1}

Unit = str
"""``day``, ``hour``, ``minute`` or ``second``."""
_SIZES: tuple[tuple[Unit, int], ...] = (("day", 86400), ("hour", 3600), ("minute", 60),
                                        ("second", 1))


def read_duration(text: str) -> dt.timedelta | None:
    """``text`` as a duration (``4h``, ``1h30m``, ``2d``, ``1w``, ``PT4H``); None if it is
    not one. Raises OverflowError for more days than a ``timedelta`` holds."""
    if not _WHOLE.match(text):
        return None
    iso = _ISO.match(text.upper())
    if iso:
        weeks, days, hours, minutes, seconds = (int(part or 0) for part in iso.groups())
        return dt.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes,
                            seconds=seconds)
    total = sum((Decimal(number) * _UNIT_SECONDS[unit.lower()]
                 for number, unit in _SHORT_PART.findall(text)), Decimal(0))
    return dt.timedelta(seconds=int(total))


def duration_parts(span: dt.timedelta) -> list[tuple[Unit, int]]:
    """The whole units of ``span``, largest first, without the zero ones: 90 min → hour 1,
    minute 30. Fractions of a second are dropped; an empty list is no time at all."""
    seconds = int(span.total_seconds())
    parts: list[tuple[Unit, int]] = []
    for unit, size in _SIZES:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append((unit, count))
    return parts


def short_duration(span: dt.timedelta) -> str:
    """The agreement's own spelling: ``1h30m``, ``2d``; ``0m`` for no time."""
    return "".join(f"{count}{unit[0]}" for unit, count in duration_parts(span)) or "0m"


def iso_duration(span: dt.timedelta) -> str:
    """ISO 8601, as an agreement may also write a duration: ``PT1H30M``, ``P2D``, ``PT0S``."""
    parts = dict(duration_parts(span))
    date = f"{parts['day']}D" if "day" in parts else ""
    time = "".join(f"{parts[unit]}{unit[0].upper()}" for unit in ("hour", "minute", "second")
                   if unit in parts)
    return "P" + date + (f"T{time}" if time else "") if parts else "PT0S"


def days_or_hours(span: dt.timedelta) -> str:
    """For a message in English: whole days as days (``2 days``), else hours (``1.5 hours``)."""
    if span % dt.timedelta(days=1) == dt.timedelta(0):
        return f"{span.days} days"
    return f"{span.total_seconds() / 3600:g} hours"

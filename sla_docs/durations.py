"""Writing a duration: one split into days, hours, minutes and seconds, in three spellings.

The agreement's own short form (``1h30m``), ISO 8601 for machines (``PT1H30M``), and the
parts a locale spells out in words (:class:`sla_docs.targets.formats.Localized`).
Durations are exact: a span is never rounded, only split.
"""

from __future__ import annotations

import datetime as dt

Unit = str
"""``day``, ``hour``, ``minute`` or ``second``."""
_SIZES: tuple[tuple[Unit, int], ...] = (("day", 86400), ("hour", 3600), ("minute", 60),
                                        ("second", 1))


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

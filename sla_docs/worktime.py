"""Working time: how much of the agreement's working hours lies between two instants.

"First contact within 1 hour" means one working hour: a lead handed over at 17:45 on
a Friday and called at 09:30 on Monday was called within 30 minutes. The agreement's
calendar says which days are worked (business days less holidays, or every day),
the hours of the working day, and the time zone they are kept in. Instants come with
their own offsets (a CRM export in UTC, another in local time) and are compared as
instants, so a daylight-saving change is neither an hour gained nor one lost.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sla_docs.model.inputs import Calendar

UTC = dt.UTC
ONE_DAY = dt.timedelta(days=1)


class WorkingHours:
    """The working windows of a calendar, day by day (each computed once)."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        """The agreement's calendar."""
        self.zone = ZoneInfo(calendar.time_zone)
        """Where the working hours are kept."""
        self._windows: dict[dt.date, tuple[dt.datetime, dt.datetime] | None] = {}
        self._holidays = frozenset(calendar.holidays)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether anyone works on ``day``."""
        if self.calendar.days == "calendar":
            return day not in self._holidays
        return day.weekday() < 5 and day not in self._holidays

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The day's working hours as two instants in UTC; None on a day off."""
        if day not in self._windows:
            self._windows[day] = None if not self.is_working_day(day) else (
                dt.datetime.combine(day, self.calendar.opens, self.zone).astimezone(UTC),
                dt.datetime.combine(day, self.calendar.closes, self.zone).astimezone(UTC))
        return self._windows[day]

    def local_day(self, instant: dt.datetime) -> dt.date:
        """The calendar day ``instant`` falls on where the working hours are kept."""
        return instant.astimezone(self.zone).date()

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The working time from ``start`` to ``end`` (zero when ``end`` is not later)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)  # instants, not wall times
        total = dt.timedelta(0)
        day, last = self.local_day(start), self.local_day(end)
        while day <= last:
            window = self.window(day)
            if window is not None:
                opened, closed = max(start, window[0]), min(end, window[1])
                if closed > opened:
                    total += closed - opened
            day += ONE_DAY
        return total

"""Working time: how much of the agreement's working hours lies between two instants.

"First contact within 1 hour" means one working hour: a lead handed over at 17:45 on
a Friday and called at 09:30 on Monday was called within 30 minutes. The agreement's
calendar says which days are worked (business days less holidays, or every day),
the hours of the working day, and the time zone they are kept in. Instants come with
their own offsets (a CRM export in UTC, another in local time) and are compared as
instants, so a daylight-saving change is neither an hour gained nor one lost.

Which days are worked is decided here, once, by :func:`is_working_day`: the goal line
Marketing is judged by (:func:`working_days`, in the targets) and the clock Sales is
judged by (:class:`WorkingHours`, in the reports) must never disagree about a day.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from zoneinfo import ZoneInfo

from sla_docs.model.inputs import Calendar

ONE_DAY = dt.timedelta(days=1)
UNKNOWN = (0.0, 0.0)  # a day whose window is not worked out yet (None: a day off)


def is_working_day(calendar: Calendar, day: dt.date) -> bool:
    """Whether anyone works on ``day``: never on a holiday, under ``days: business`` or
    ``days: calendar`` alike; under ``business``, never at the weekend either."""
    # holidays are "days nobody works" (the model): whatever the kind of days counted
    if day in calendar.holidays:
        return False
    return calendar.days == "calendar" or day.weekday() < 5


def working_days(calendar: Calendar, month: dt.date) -> list[dt.date]:
    """The days worked in ``month``'s month, in order: the days of the goal line."""
    first = month.replace(day=1)
    every = (first.replace(day=number) for number in range(1, month_end(first).day + 1))
    return [day for day in every if is_working_day(calendar, day)]


def month_end(month: dt.date) -> dt.date:
    """The last day of ``month``'s month."""
    return month.replace(day=monthrange(month.year, month.month)[1])


def next_month(month: dt.date) -> dt.date:
    """The first day of the month after ``month``'s."""
    return month_end(month) + ONE_DAY


def local_time(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """``wall``, a time written without an offset, as the clocks in ``zone`` show it.

    ValueError, saying why and what to write instead, when the clocks skip that time
    (the hour lost going to summer time) or show it twice (the hour going back): no
    offset can be assumed for it, and the wrong one moves the moment by an hour."""
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    written = f"{wall:%Y-%m-%dT%H:%M}"
    after = first.astimezone(dt.UTC).astimezone(zone)
    if after.replace(tzinfo=None) != wall:  # the clocks go forward over it
        raise ValueError(f"{written} does not exist in {zone.key}: the clocks go forward "
                         f"over it; write the time after the change, such as "
                         f"{after.isoformat(timespec='minutes')}")
    raise ValueError(f"{written} happens twice in {zone.key}, as the clocks go back; add "
                     f"the offset you mean: {first.isoformat(timespec='minutes')} (the "
                     f"first) or {second.isoformat(timespec='minutes')} (the second)")


class WorkingHours:
    """The working windows of a calendar, day by day (each computed once).

    Instants are handled as POSIX timestamps: a report asks this about a million
    leads, and converting each instant to the calendar's zone would be most of its time.
    """

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        """The agreement's calendar."""
        self.zone = ZoneInfo(calendar.time_zone)
        """Where the working hours are kept."""
        self._windows: dict[dt.date, tuple[float, float] | None] = {}
        self._days: dict[int, dt.date] = {}

    def is_working_day(self, day: dt.date) -> bool:
        """Whether anyone works on ``day`` (:func:`is_working_day`; asked once a day,
        as :meth:`window` keeps its answer, so never on the hot path)."""
        return is_working_day(self.calendar, day)

    def window(self, day: dt.date) -> tuple[float, float] | None:
        """The day's working hours as two POSIX timestamps; None on a day off."""
        if day not in self._windows:
            self._windows[day] = None if not self.is_working_day(day) else (
                dt.datetime.combine(day, self.calendar.opens, self.zone).timestamp(),
                dt.datetime.combine(day, self.calendar.closes, self.zone).timestamp())
        return self._windows[day]

    def day_of(self, stamp: float) -> dt.date:
        """The local day of a POSIX timestamp.

        Every time zone's offset is a whole number of quarter hours, so all the
        instants of one quarter hour fall on the same local day: one conversion each.
        """
        quarter = int(stamp // 900)
        day = self._days.get(quarter)
        if day is None:
            day = dt.datetime.fromtimestamp(quarter * 900, self.zone).date()
            self._days[quarter] = day
        return day

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The working time from ``start`` to ``end`` (zero when ``end`` is not later)."""
        return dt.timedelta(seconds=self.seconds_between(start.timestamp(), end.timestamp()))

    def seconds_between(self, start: float, end: float,
                        start_day: dt.date | None = None) -> float:
        """:meth:`between` for two POSIX timestamps, in seconds; ``start_day``, when the
        caller knows it, is :meth:`day_of` ``start``."""
        total = 0.0
        if end <= start:
            return total
        day = start_day or self.day_of(start)
        last = self._days.get(int(end // 900)) or self.day_of(end)
        if day == last:  # most follow-ups: the same day, one window
            window = self._windows.get(day, UNKNOWN)
            if window is UNKNOWN:
                window = self.window(day)
            return 0.0 if window is None else max(0.0, min(end, window[1]) -
                                                   max(start, window[0]))
        while day <= last:
            window = self.window(day)
            if window is not None:
                opened, closed = max(start, window[0]), min(end, window[1])
                if closed > opened:
                    total += closed - opened
            day += ONE_DAY
        return total

    def working_seconds(self, span: dt.timedelta) -> float:
        """An agreement's duration as working time, in seconds: each whole day in it is
        one working day (``opens`` to ``closes``), the rest taken as it is. ``1d`` on a
        09:00-18:00 calendar is nine working hours, "one working day" as the editions
        say; ``1h`` is one working hour."""
        day = (dt.datetime.combine(dt.date.min, self.calendar.closes)
               - dt.datetime.combine(dt.date.min, self.calendar.opens)).total_seconds()
        return span.days * day + span.seconds + span.microseconds / 1e6

    def deadline(self, start: float, seconds: float) -> float:
        """The instant (a POSIX timestamp) at which ``seconds`` of working time have
        passed since ``start``: the inverse of :meth:`seconds_between`, whose working
        time from ``start`` to it is ``seconds``; ``start`` itself for no time."""
        if seconds <= 0:
            return start
        day, left = self.day_of(start), seconds
        while True:
            window = self.window(day)
            if window is not None and window[1] > start:
                opened = max(start, window[0])
                if window[1] - opened >= left:
                    return opened + left
                left -= window[1] - opened
            day += ONE_DAY

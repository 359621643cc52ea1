"""Working time on the agreement's calendar: nights, weekends, holidays, time zones and a
daylight-saving change, with answers worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from sla_docs.model.inputs import Calendar
from sla_docs.targets.calendar import WorkingHours

ROME = Calendar(time_zone="Europe/Rome", holidays=[dt.date(2026, 11, 2)])


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2026-10-05T10:00:00+02:00", "2026-10-05T11:30:00+02:00", dt.timedelta(hours=1.5)),
    # after hours on Monday, early on Tuesday: 30 minutes that evening, 30 the next morning
    ("2026-10-05T17:30:00+02:00", "2026-10-06T09:30:00+02:00", dt.timedelta(hours=1)),
    # Friday 17:00 to Monday 10:00: an hour on Friday, an hour on Monday
    ("2026-10-09T17:00:00+02:00", "2026-10-12T10:00:00+02:00", dt.timedelta(hours=2)),
    # Friday 30 October to Tuesday 3 November, Monday a holiday; the clocks went back on
    # Sunday 25 October, so Rome is at +01:00 on both days
    ("2026-10-30T17:00:00+01:00", "2026-11-03T10:00:00+01:00", dt.timedelta(hours=2)),
    # the same instants written in UTC
    ("2026-10-30T16:00:00+00:00", "2026-11-03T09:00:00+00:00", dt.timedelta(hours=2)),
    # the whole of a weekend and a night count for nothing
    ("2026-10-10T08:00:00+02:00", "2026-10-12T09:00:00+02:00", dt.timedelta(0)),
    # backwards: nothing
    ("2026-10-05T11:00:00+02:00", "2026-10-05T10:00:00+02:00", dt.timedelta(0)),
])
def test_working_time_between_two_instants(start: str, end: str,
                                           expected: dt.timedelta) -> None:
    assert WorkingHours(ROME).between(at(start), at(end)) == expected


def test_the_day_the_clocks_go_back_has_an_hour_more() -> None:
    every_hour = Calendar(days="calendar", time_zone="Europe/Rome", opens=dt.time(0, 0),
                          closes=dt.time(23, 59))
    hours = WorkingHours(every_hour)
    sunday = hours.between(at("2026-10-25T00:00:00+02:00"), at("2026-10-25T12:00:00+01:00"))
    assert sunday == dt.timedelta(hours=13)  # 02:00-03:00 happened twice
    spring = hours.between(at("2026-03-29T00:00:00+01:00"), at("2026-03-29T12:00:00+02:00"))
    assert spring == dt.timedelta(hours=11)  # 02:00-03:00 did not happen


def test_a_calendar_of_every_day_still_has_working_hours() -> None:
    every_day = WorkingHours(Calendar(days="calendar", time_zone="America/New_York"))
    saturday = every_day.between(at("2026-10-10T08:00:00-04:00"), at("2026-10-10T10:00:00-04:00"))
    assert saturday == dt.timedelta(hours=1)


def test_bad_calendars_are_refused() -> None:
    with pytest.raises(ValidationError, match="`Europe/Atlantis` is not an IANA time zone"):
        Calendar(time_zone="Europe/Atlantis")
    with pytest.raises(ValidationError, match="closes"):
        Calendar(opens=dt.time(18, 0), closes=dt.time(9, 0))
    with pytest.raises(ValidationError):
        Calendar(time_zone="../../etc/passwd")

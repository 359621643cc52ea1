"""One working calendar: the goal line Marketing is judged by and the clock Sales is judged
by agree on every day, and a holiday is a day nobody works, whichever days are counted.

Answers worked out by hand; the last tests go through the real ``sla`` command.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sla_docs.model.inputs import Calendar, Inputs
from sla_docs.targets.calendar import WorkingHours, is_working_day, working_days
from sla_docs.targets.compute import compute_targets
from tests.conftest import replace_once, run_sla

DECEMBER = dt.date(2026, 12, 1)
IMMACOLATA = dt.date(2026, 12, 8)  # a Tuesday
HUBSPOT = {"period": "month", "sales_quota": 5000, "marketing_share": "100%",
           "average_deal_size": 100, "lead_to_customer_rate": "50%"}


def rome(days: str, *holidays: dt.date) -> Calendar:
    return Calendar(days=days, time_zone="Europe/Rome", holidays=list(holidays))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(("days", "holiday", "worked"), [
    ("business", IMMACOLATA, 22),  # 23 weekdays in December 2026, less the holiday
    ("calendar", IMMACOLATA, 30),  # 31 days, less the holiday
    ("calendar", dt.date(2026, 12, 26), 30),  # a Saturday: worked under calendar, but a holiday
])
def test_goal_line_and_working_time_agree_on_a_holiday(days: str, holiday: dt.date,
                                                       worked: int) -> None:
    calendar = rome(days, holiday)
    targets = compute_targets(Inputs.model_validate({**HUBSPOT, "calendar": calendar}),
                              month=DECEMBER)
    hours = WorkingHours(calendar)
    line = [goal.day for goal in targets.goal_line]
    every = [DECEMBER + dt.timedelta(days=n) for n in range(31)]
    assert line == [day for day in every if hours.window(day) is not None]
    assert targets["working_days"].value == len(line) == worked
    assert holiday not in line and not hours.is_working_day(holiday)
    whole = hours.between(at(f"{holiday}T09:00:00+01:00"), at(f"{holiday}T18:00:00+01:00"))
    assert whole == dt.timedelta(0)


@pytest.mark.parametrize("days", ["business", "calendar"])
def test_working_time_over_a_holiday_counts_the_days_around_it_only(days: str) -> None:
    hours = WorkingHours(rome(days, IMMACOLATA))
    # Monday 7 at 17:30 to Wednesday 9 at 09:15: 30 minutes, then 15; Tuesday is off
    took = hours.between(at("2026-12-07T17:30:00+01:00"), at("2026-12-09T09:15:00+01:00"))
    assert took == dt.timedelta(minutes=45)


@pytest.mark.parametrize("days", ["business", "calendar"])
def test_every_day_of_a_year_is_worked_or_not_alike_everywhere(days: str) -> None:
    calendar = rome(days, dt.date(2026, 1, 1), dt.date(2026, 8, 15), IMMACOLATA)
    hours = WorkingHours(calendar)
    for month in range(1, 13):
        first = dt.date(2026, month, 1)
        worked = set(working_days(calendar, first))
        day = first
        while day.month == month:
            assert (day in worked) == hours.is_working_day(day) == is_working_day(calendar, day)
            day += dt.timedelta(days=1)
    assert not hours.is_working_day(dt.date(2026, 8, 15))  # a Saturday, and a holiday


# --- through the real command ------------------------------------------------------------


def agreement_with(tmp_path: Path, text: str, calendar: str) -> Path:
    """The minimal agreement with ``calendar`` (YAML lines under ``calendar:``)."""
    path = tmp_path / "minimal.yaml"
    path.write_text(replace_once(text, "  calendar:\n    days: business\n",
                                 f"  calendar:\n{calendar}"), "utf-8")
    return path


def test_sla_targets_leaves_a_holiday_out_of_the_working_days(tmp_path: Path,
                                                              minimal_text: str) -> None:
    agreement = agreement_with(tmp_path, minimal_text,
                               "    days: calendar\n    holidays: [2026-12-25]\n")
    done = run_sla("targets", str(agreement), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["working_days"] == 30  # the 31 days of December 2026, less Christmas
    line = {day["day"]: day for day in data["goal_line"]["days"]}
    assert len(line) == 30 and "2026-12-25" not in line
    assert line["2026-12-24"]["leads"] == 80  # ⌈100 × 24 ÷ 30⌉ (not ⌈100 × 24 ÷ 31⌉ = 78)
    assert line["2026-12-31"]["leads"] == 100


HEADER = ("lead_id,created_at,source,tier,handed_off_at,owner,first_attempt_at,attempts,"
          "connected,stage,customer_at,deal_amount")


@pytest.mark.parametrize(("days", "handed_off_at"), [
    ("calendar", "2026-10-11T17:30:00+02:00"),  # Sunday 11: worked under calendar days
    ("business", "2026-10-09T17:30:00+02:00"),  # Friday 9: the weekend is off too
])
def test_sla_report_does_not_count_a_holiday_in_working_time(
        tmp_path: Path, minimal_text: str, days: str, handed_off_at: str) -> None:
    agreement = agreement_with(tmp_path, minimal_text,
                               f"    days: {days}\n    time_zone: Europe/Rome\n"
                               "    holidays: [2026-10-12]\n")
    leads = tmp_path / "leads.csv"
    # handed over 30 minutes before closing, Monday 12 a holiday, called Tuesday 13 at 09:15
    leads.write_text(f"{HEADER}\nL1,{handed_off_at},marketing,a,{handed_off_at},anna,"
                     "2026-10-13T09:15:00+02:00,1,true,mql,,\n", "utf-8")
    out = tmp_path / "out"
    done = run_sla("report", str(agreement), "--leads", str(leads), "--period", "2026-10",
                   "--format", "json", "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "minimal.report-2026-10.en.json").read_text("utf-8"))
    assert data["median_first_attempt_hours"] == 0.75  # 30 + 15 working minutes
    assert data["within_limit_share"] == 1
    # and the goal line of the same report has no goal on the holiday
    goals = {day["day"]: day["goal"] for day in data["days"]}
    assert goals["2026-10-12"] is None
    assert goals["2026-10-11"] == (37 if days == "calendar" else None)  # ⌈100 × 11 ÷ 30⌉
    assert goals["2026-10-31"] == (100 if days == "calendar" else None)


def test_a_time_without_an_offset_is_placed_only_where_the_clocks_show_it_once() -> None:
    import random
    import zoneinfo

    from sla_docs.targets.calendar import local_time

    def shown(wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> list[dt.datetime]:
        """The instants at which the clocks in ``zone`` show ``wall``."""
        instants = {wall.replace(tzinfo=zone, fold=fold).astimezone(dt.UTC) for fold in (0, 1)}
        return [instant for instant in instants
                if instant.astimezone(zone).replace(tzinfo=None) == wall]

    chooser = random.Random(7)
    walls = [(zoneinfo.ZoneInfo(name), dt.datetime(2026, 1, 1) + dt.timedelta(
        hours=hour, minutes=chooser.randrange(60)))
        for name in sorted(zoneinfo.available_timezones())[::3]  # a third of the zones
        for hour in range(0, 24 * 366, 7)]  # every 7th hour of 2026
    known = [("Europe/Rome", "2026-03-29T02:30", 0), ("Europe/Rome", "2026-10-25T02:30", 2),
             ("America/New_York", "2026-03-08T02:00", 0),
             ("America/New_York", "2026-11-01T01:59", 2),
             ("Australia/Lord_Howe", "2026-10-04T02:15", 0),  # a half-hour change
             ("Australia/Lord_Howe", "2026-04-05T01:45", 2),
             ("America/Santiago", "2026-09-06T00:00", 0)]  # midnight itself skipped
    for name, text, times in known:
        zone, wall = zoneinfo.ZoneInfo(name), dt.datetime.fromisoformat(text)
        assert len(shown(wall, zone)) == times, (name, text)
        walls.append((zone, wall))
    for zone, wall in walls:
        instants = shown(wall, zone)
        try:
            found = local_time(wall, zone)
        except ValueError as error:
            assert len(instants) != 1, (zone, wall)  # refused only if skipped or repeated
            assert ("does not exist" if not instants else "happens twice") in str(error)
            continue
        assert instants == [found.astimezone(dt.UTC)], (zone, wall)

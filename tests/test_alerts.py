"""`sla alerts` on an export made here, with the answer worked out by hand, as of
Monday 26 October 2026, 09:30 in Rome: the morning after the clocks went back (Friday
was +02:00, Monday is +01:00), with Thursday 22 a holiday. The working day is 09:00 to
18:00; first contact within 1h; 6 attempts over 10 days, 1d apart (attempt 2 due after
18 working hours, attempt 3 after 36); back to Marketing after 6 attempts or 10 days.

Each lead that tests the calendar is also judged on the wrong calendars (calendar time,
working hours kept in UTC or at Friday's fixed offset, no holidays), and must come out
differently there, so the data cannot pass by accident."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sla_docs.check.validate import check_file
from sla_docs.durations import read_duration
from sla_docs.errors import SlaError
from sla_docs.model.inputs import Calendar
from sla_docs.reports.alerts import ROUTING_LATE, Digest, judge, rules
from sla_docs.reports.alerts_command import alerts
from sla_docs.reports.crm import Lead, column_map, read_leads
from sla_docs.reports.tally import Tally
from sla_docs.targets.calendar import WorkingHours
from tests.conftest import TODAY, leads_export, rome_agreement, run_sla

HEADER = ("lead_id,created_at,source,tier,handed_off_at,owner,first_attempt_at,attempts,"
          "connected,stage,customer_at,deal_amount")
AS_OF = "2026-10-26T09:30"
ROWS = {
    # Friday 17:45 (+02:00): 15 working minutes on Friday, 30 on Monday; due at 09:45
    "FRIDAY": "anna,2026-10-23T17:45:00+02:00,,0,false,mql",
    # Friday 15:40 UTC, 17:40 in Rome: 20 + 30 minutes; Monday's hours are at +01:00
    "DST": "bruno,2026-10-23T15:40:00Z,,0,false,mql",
    # Wednesday 17:00: 1 h Wednesday, none on the holiday, 9 h Friday, 30 min Monday
    "HOLIDAY-LATE": "carla,2026-10-21T17:00:00+02:00,,0,false,mql",
    # Wednesday 10:00, one attempt: 8 h + 9 h + 30 min = 17.5 h, attempt 2 not due yet
    "HOLIDAY-DEPTH": "carla,2026-10-21T10:00:00+02:00,2026-10-21T10:20:00+02:00,1,false,mql",
    # Friday 10:00: 8 h Friday and 30 min Monday: 7 h 30 min late
    "PLAIN-LATE": "bruno,2026-10-23T10:00:00+02:00,,0,false,mql",
    # this morning at 09:00 (+01:00): 30 minutes left
    "MORNING": "carla,2026-10-26T09:00:00+01:00,,0,false,mql",
    # Monday 19 at 10:00, one attempt: 35.5 working hours, attempt 2 was due Wednesday
    "BEHIND": "anna,2026-10-19T10:00:00+02:00,2026-10-19T10:30:00+02:00,1,false,mql",
    # six attempts and no connection: back to Marketing
    "SIX-TRIES": "bruno,2026-10-19T09:00:00+02:00,2026-10-19T09:10:00+02:00,6,false,sql",
    # Friday 9 at 09:00, three attempts: 10 working days ended Friday 23 at 18:00
    "TEN-DAYS": "anna,2026-10-09T09:00:00+02:00,2026-10-09T09:05:00+02:00,3,false,mql",
    # nothing to say: reached; a customer; recycled; Sales' own; not handed off
    "REACHED": "anna,2026-10-19T10:00:00+02:00,2026-10-19T10:10:00+02:00,1,true,sql",
    "CUSTOMER": "anna,2026-10-19T10:00:00+02:00,,0,false,customer",
    "RECYCLED": "bruno,2026-10-12T10:00:00+02:00,,0,false,recycled",
    "SALES-OWN": "bruno,2026-10-23T10:00:00+02:00,,0,false,mql",
    "NOT-YET": "anna,,,0,false,lead",
    # left out: a first attempt before the handoff; a handoff after the moment
    "BEFORE": "anna,2026-10-23T10:00:00+02:00,2026-10-23T09:00:00+02:00,1,false,mql",
    "FUTURE": "anna,2026-10-26T10:00:00+01:00,,0,false,mql",
}
EXPECTED = {
    "overdue": ["HOLIDAY-LATE", "PLAIN-LATE"],
    "at_risk": ["DST", "FRIDAY", "MORNING"],
    "behind": ["BEHIND"],
    "due_back": ["SIX-TRIES", "TEN-DAYS"],
}


def row(lead: str, rest: str) -> str:
    owner, handed, first, attempts, connected, stage = rest.split(",")
    source = "sales" if lead.startswith("SALES-OWN") else "marketing"
    return (f"{lead},2026-10-01T09:00:00+02:00,{source},a,{handed},{owner},{first},{attempts},"
            f"{connected},{stage},,")


def write_export(folder: Path, rows: list[str], header: str = HEADER) -> Path:
    return leads_export(folder, header, rows)


@pytest.fixture
def agreement(tmp_path: Path, minimal_text: str) -> Path:
    return rome_agreement(tmp_path, minimal_text, "2026-10-22")


@pytest.fixture
def leads(tmp_path: Path) -> Path:
    return write_export(tmp_path, [row(lead, rest) for lead, rest in ROWS.items()])


def ids(data: dict[str, object], kind: str) -> list[str]:
    reps = data["reps"]
    assert isinstance(reps, list)
    return sorted(alert["lead_id"] for rep in reps for alert in rep[kind])


def test_the_alerts_worked_out_by_hand(agreement: Path, leads: Path) -> None:
    done = run_sla("alerts", str(agreement), "--leads", str(leads), "--as-of", AS_OF,
                   "--format", "json")
    assert done.returncode == 3, done.stderr  # overdue leads
    data = json.loads(done.stdout)
    for kind, expected in EXPECTED.items():
        assert ids(data, kind) == expected, kind
    assert data["counts"] == {"overdue": 2, "at_risk": 3, "behind": 1, "due_back": 2,
                              "late_when_assigned": 0}
    assert [rep["owner"] for rep in data["reps"]] == ["carla", "bruno", "anna"]  # most late first
    assert sorted(lead["lead_id"] for lead in data["left_out"]) == ["BEFORE", "FUTURE"]
    by_id = {alert["lead_id"]: alert for rep in data["reps"] for kind in EXPECTED
             for alert in rep[kind]}
    assert by_id["HOLIDAY-LATE"]["late_working_minutes"] == 9 * 60 + 30
    assert by_id["HOLIDAY-LATE"]["due_at"] == "2026-10-21T18:00:00+02:00"
    assert by_id["PLAIN-LATE"]["late_working_minutes"] == 7 * 60 + 30
    assert by_id["FRIDAY"]["due_at"] == "2026-10-26T09:45:00+01:00"
    assert by_id["FRIDAY"]["due_in_working_minutes"] == 15
    assert by_id["DST"]["due_at"] == "2026-10-26T09:40:00+01:00"
    assert by_id["DST"]["handed_off_at"] == "2026-10-23T17:40:00+02:00"
    assert by_id["MORNING"]["due_in_working_minutes"] == 30
    assert by_id["BEHIND"]["due_at"] == "2026-10-21T10:00:00+02:00"  # 18 working hours on
    assert by_id["BEHIND"]["late_working_minutes"] == 17 * 60 + 30
    assert (by_id["BEHIND"]["attempts"], by_id["BEHIND"]["attempts_due"]) == (1, 2)
    assert by_id["TEN-DAYS"]["due_at"] == "2026-10-23T18:00:00+02:00"
    assert by_id["TEN-DAYS"]["late_working_minutes"] == 30


def test_the_text_digest_per_rep(agreement: Path, leads: Path) -> None:
    done = run_sla("alerts", str(agreement), "--leads", str(leads), "--as-of", AS_OF)
    assert done.returncode == 3, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == ("all reps: 2 overdue, 3 at risk, 1 behind on depth, "
                        "2 due back to Marketing")
    carla = lines.index("carla: 1 overdue, 1 at risk, 0 behind on depth, "
                        "0 due back to Marketing")
    assert lines[carla + 1] == ("  overdue: HOLIDAY-LATE (line 4), handed off 2026-10-21 "
                                "17:00, due 2026-10-21 18:00, 9h 30m late")
    assert "  at risk: FRIDAY (line 2), handed off 2026-10-23 17:45, due 2026-10-26 09:45, " \
           "due in 0h 15m" in lines


@pytest.mark.parametrize(("wrong", "lead", "changes"), [
    # calendar time: every lead waiting since Friday is long overdue
    ({"days": "calendar", "opens": dt.time(0), "closes": dt.time(23, 59, 59)}, "FRIDAY", True),
    ({"days": "calendar", "opens": dt.time(0), "closes": dt.time(23, 59, 59)}, "DST", True),
    ({"days": "calendar", "opens": dt.time(0), "closes": dt.time(23, 59, 59)},
     "HOLIDAY-DEPTH", True),
    # naive UTC: the working day kept at 09:00-18:00 UTC
    ({"time_zone": "UTC"}, "FRIDAY", True),
    ({"time_zone": "UTC"}, "DST", True),
    # Friday's offset all weekend (+02:00), as if the clocks had not gone back
    ({"time_zone": "Etc/GMT-2"}, "DST", True),
    ({"time_zone": "Etc/GMT-2"}, "FRIDAY", True),
    # the holiday forgotten
    ({"holidays": []}, "HOLIDAY-DEPTH", True),
])
def test_the_data_would_catch_a_wrong_calendar(agreement: Path, leads: Path,
                                               wrong: dict[str, object], lead: str,
                                               changes: bool) -> None:
    def kind_of(calendar: Calendar) -> str | None:
        checked = check_file(agreement, TODAY).agreement
        assert checked is not None
        hours = WorkingHours(calendar)
        zone = dt.datetime.fromisoformat(AS_OF).replace(
            tzinfo=WorkingHours(checked.inputs.calendar).zone)
        digest = Digest("t", zone, checked.follow_up.first_contact_within,
                        dt.timedelta(hours=1))
        judge(digest, read_leads(leads, column_map("canonical"), "Europe/Rome"), hours,
              rules(checked, hours, dt.timedelta(hours=1)))
        return next((a.kind for a in digest.alerts if a.lead_id == lead), None)

    checked = check_file(agreement, TODAY).agreement
    assert checked is not None
    right = checked.inputs.calendar
    assert (kind_of(right.model_copy(update=wrong)) != kind_of(right)) is changes


def test_no_overdue_exits_0_and_warn_within_narrows(agreement: Path, tmp_path: Path) -> None:
    export = write_export(tmp_path, [row(lead, ROWS[lead]) for lead in
                                     ("FRIDAY", "DST", "MORNING", "BEHIND")])
    done = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of", AS_OF,
                   "--warn-within", "12m", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert ids(data, "at_risk") == ["DST"] and ids(data, "overdue") == []
    # an offset given is taken as written: 08:30 UTC is 09:30 in Rome
    again = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of",
                    "2026-10-26T08:30:00+00:00", "--warn-within", "12m", "--format", "json")
    assert json.loads(again.stdout)["as_of"] == "2026-10-26T09:30:00+01:00"
    # at DST's due time (09:40): not overdue yet; 0m warns of nothing, 10m of it and of
    # FRIDAY (due 09:45)
    for warn, at_risk in (("0m", []), ("10m", ["DST", "FRIDAY"])):
        due = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of",
                      "2026-10-26T09:40", "--warn-within", warn, "--format", "json")
        assert ids(json.loads(due.stdout), "at_risk") == at_risk, warn
        assert ids(json.loads(due.stdout), "overdue") == []


def test_zero_leads_and_no_owner_column(agreement: Path, tmp_path: Path) -> None:
    empty = write_export(tmp_path, [])
    done = run_sla("alerts", str(agreement), "--leads", str(empty), "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    assert "all reps: 0 overdue, 0 at risk" in done.stdout
    header = HEADER.replace(",owner,", ",")
    ownerless = write_export(tmp_path, ["X1,2026-10-01T09:00:00+02:00,marketing,a,"
                                        "2026-10-23T10:00:00+02:00,,0,false,mql,,"], header)
    done = run_sla("alerts", str(agreement), "--leads", str(ownerless), "--as-of", AS_OF)
    assert done.returncode == 3, done.stderr
    assert "(no owner): 1 overdue" in done.stdout


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--as-of", "yesterday", "--as-of 'yesterday': a date and time"),
    ("--as-of", "9999-01-01T00:00", "from 1900 to 8999"),
    ("--as-of", "2026-13-01T00:00", "--as-of '2026-13-01T00:00'"),
    # the hour the clocks skip, and the one they show twice: no offset can be assumed
    ("--as-of", "2026-03-29T02:30", "2026-03-29T02:30 does not exist in Europe/Rome: the "
     "clocks go forward over it; write the time after the change, such as "
     "2026-03-29T03:30+02:00"),
    ("--as-of", "2026-10-25T02:30", "happens twice in Europe/Rome, as the clocks go back; add "
     "the offset you mean: 2026-10-25T02:30+02:00 (the first) or 2026-10-25T02:30+01:00"),
    ("--warn-within", "99999 days", "--warn-within '99999 days': a duration"),
    ("--warn-within", "99999d", "at most 3650 days"),
    ("--warn-within", "-1h", "--warn-within '-1h'"),
    ("--webhook", "file:///etc/passwd", "only http: and https: URLs"),
    ("--webhook", "ftp://example.com/x", "only http: and https: URLs"),
    ("--webhook", "http://user:pass@example.com/hook", "carries a user name or password"),
    ("--webhook", "http:///no-host", "names no host"),
    ("--webhook", "http://example.com:99999999/x", "not a URL"),
    ("--webhook", "http://example.com/x\r\nX-Injected: 1", "a space or a control character"),
])
def test_bad_options_are_input_errors(agreement: Path, leads: Path, option: str, value: str,
                                      says: str) -> None:
    keyword = option.lstrip("-").replace("-", "_")
    with pytest.raises(SlaError) as raised:
        alerts(agreement, leads, **{keyword: value}, today=TODAY,  # type: ignore[arg-type]
               echo=lambda text: None)
    message = raised.value.format_message()
    assert raised.value.exit_code == 1 and says in message
    for secret in (":pass@", "/hook", "/etc/passwd", "/x"):
        assert secret not in message  # a webhook's path and credentials are its secret


def test_a_bad_option_exits_1_from_the_command(agreement: Path, leads: Path) -> None:
    done = run_sla("alerts", str(agreement), "--leads", str(leads), "--as-of", "soon")
    assert done.returncode == 1 and "--as-of 'soon'" in done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr


def test_a_bad_cell_is_named_as_report_names_it(agreement: Path, tmp_path: Path) -> None:
    export = write_export(tmp_path, [row("OK", ROWS["FRIDAY"]),
                                     row("BAD", ROWS["FRIDAY"]).replace(
                                         "2026-10-23T17:45:00+02:00", "23/10/2026 17:45")])
    done = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of", AS_OF)
    assert done.returncode == 1
    assert f"{export}:3:5: handed_off_at '23/10/2026 17:45' is not a date and time" \
        in done.stderr


def test_usage_errors_stay_2(agreement: Path) -> None:
    done = run_sla("alerts", str(agreement))
    assert done.returncode == 2 and "--leads" in done.stderr


def test_two_processes_find_what_one_finds(agreement: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # here: the module is imported for its split threshold, lowered so a small file splits
    from sla_docs.reports import alerts_command
    from sla_docs.reports.alerts_output import render

    # every lead assigned at its handoff: the routing split must cross over too
    rows = [f"{row(f'{lead}-{n}', rest)},{rest.split(',')[1]}"
            for n in range(40) for lead, rest in ROWS.items()]
    export = write_export(tmp_path, rows, HEADER + ",assigned_at")
    checked = check_file(agreement, TODAY).agreement
    assert checked is not None
    hours = WorkingHours(checked.inputs.calendar)
    moment = dt.datetime.fromisoformat(AS_OF).replace(tzinfo=hours.zone)
    monkeypatch.setattr(alerts_command, "SPLIT_FROM", 0)
    found = []
    for jobs in (1, 2):
        digest = Digest("minimal", moment, checked.follow_up.first_contact_within,
                        dt.timedelta(hours=1))
        alerts_command.collect(digest, export, column_map("canonical"), hours,
                               rules(checked, hours, dt.timedelta(hours=1)), jobs, lines=True)
        found.append((digest.alerts, digest.left_out, render(digest, "text")))
    assert found[0] == found[1] and len(found[0][0]) == 8 * 40
    assert all(a.routing == 0 for a in found[1][0] if a.kind in ("overdue", "at_risk"))


def test_alerts_cross_between_the_processes_whole() -> None:
    # here: the private packing of what the second process sends, given what an export
    # can put in a line: any text but NUL (refused with the file), any number
    from sla_docs.reports.alerts import Alert
    from sla_docs.reports.alerts_command import _packed, _unpacked

    odd = [Alert("overdue", "", "rep", 2**40, -2.2e9, 4e9 + 0.5, 1e-9, 0, 1),
           Alert("overdue", "a\nb\u202e\r,\"x\"", "rep", 3, 1.5, 2.5, 3600.0, 0, 1,
                 "overdue: a\\nb (line 3)", 12.25, True),
           Alert("overdue", "\U0001f600 é", "rep", 4, 0.0, 0.0, 0.0, 0, 1, "", 0.0, False)]
    export = Path("leads.csv")
    assert _unpacked(export, "overdue", "rep", _packed(odd)) == odd
    alone = [Alert("behind", "x", "", 1, 1.0, 2.0, 3.0, 2, 3)]
    assert _unpacked(export, "behind", "", _packed(alone)) == alone
    # a NUL the check did not see (the file replaced between the check and the reading)
    # would shift every id after it: refused, never misaligned
    alone[0].lead_id = "x\0y"
    with pytest.raises(SlaError, match=r"leads\.csv: changed while it was being read"):
        _unpacked(export, "behind", "", _packed(alone))


ROME = Calendar(time_zone="Europe/Rome", holidays=[dt.date(2026, 10, 22)])


@pytest.mark.parametrize("start", ["2026-10-23T17:45:00+02:00", "2026-10-24T12:00:00+02:00",
                                   "2026-10-21T08:00:00+02:00", "2026-10-26T18:30:00+01:00",
                                   "2026-10-21T17:59:59+02:00"])
@pytest.mark.parametrize("span", ["1m", "1h", "8h59m", "9h", "1d", "1d1h", "10d"])
def test_a_deadline_is_the_inverse_of_working_time(start: str, span: str) -> None:
    hours = WorkingHours(ROME)
    begin = dt.datetime.fromisoformat(start).timestamp()
    seconds = hours.working_seconds(read_duration(span) or dt.timedelta(0))
    due = hours.deadline(begin, seconds)
    assert hours.seconds_between(begin, due) == seconds
    assert hours.seconds_between(begin, due - 1) < seconds  # the first such instant


def test_a_day_of_an_agreement_is_a_working_day() -> None:
    hours = WorkingHours(ROME)
    assert hours.working_seconds(dt.timedelta(days=1)) == 9 * 3600
    assert hours.working_seconds(dt.timedelta(days=2, minutes=30)) == 18.5 * 3600
    friday = dt.datetime.fromisoformat("2026-10-23T17:45:00+02:00").timestamp()
    monday = hours.deadline(friday, hours.working_seconds(dt.timedelta(days=1)))
    assert dt.datetime.fromtimestamp(monday, hours.zone).isoformat() == \
        "2026-10-26T17:45:00+01:00"  # a working day later, the same time, past the change


def test_the_report_counts_a_day_limit_as_alerts_do() -> None:
    hours = WorkingHours(ROME)
    as_of = dt.datetime.fromisoformat("2026-10-30T18:00:00+01:00")
    tally = Tally(hours, dt.date(2026, 10, 1), as_of, dt.timedelta(days=1))
    handed = dt.datetime.fromisoformat("2026-10-26T09:00:00+01:00").timestamp()
    for lead_id, after in (("on-time", 9 * 3600), ("late", 10 * 3600)):  # working hours
        tally.add(Lead(2, lead_id, handed - 60, True, "", handed, "anna",
                       hours.deadline(handed, after), 1, False, "mql", None, None))
    assert (tally.within, tally.late) == (1, 1)  # 24 working hours would find both on time


def test_the_example_workflow_posts_every_working_hour() -> None:
    from ruamel.yaml import YAML  # here: only this test reads a workflow

    from tests.conftest import ROOT

    workflow = YAML(typ="safe").load(
        (ROOT / "examples" / "github" / "workflows" / "alerts.yml").read_text("utf-8"))
    assert workflow["on"]["schedule"] == [{"cron": "0 9-17 * * 1-5"}]
    assert workflow["permissions"] == {"contents": "read"}
    step = next(s for s in workflow["jobs"]["alerts"]["steps"] if "sla alerts" in s.get("run", ""))
    assert step["env"] == {"SLA_ALERTS_WEBHOOK": "${{ secrets.SLA_ALERTS_WEBHOOK }}"}
    assert '--webhook "$SLA_ALERTS_WEBHOOK"' in step["run"]
    assert 'if [ "$status" -eq 3 ]' in step["run"] and 'exit "$status"' in step["run"]


@pytest.mark.parametrize("calendar", [
    ROME, Calendar(time_zone="America/Santiago", days="calendar", opens=dt.time(0),
                   closes=dt.time(1)),
    Calendar(time_zone="Europe/London", opens=dt.time(0, 30), closes=dt.time(2, 30))])
def test_the_alerts_shortcut_to_a_deadline_finds_the_same_instant(calendar: Calendar) -> None:
    # here: a private helper, checked against the one it must agree with
    import random

    from sla_docs.reports.alerts import _Ahead

    hours, chooser = WorkingHours(calendar), random.Random(3)
    ahead = _Ahead(hours)
    moment = dt.datetime(2026, 10, 26, 9, 30, tzinfo=hours.zone).timestamp()
    spans = [hours.working_seconds(dt.timedelta(**kwargs)) for kwargs in
             ({"hours": 1}, {"days": 1}, {"days": 2}, {"days": 10}, {"minutes": 30})]
    for _ in range(3000):
        start, span = moment - chooser.uniform(0, 9e7), chooser.choice(spans)
        start = float(int(start / 900) * 900) if chooser.random() < 0.3 else start
        assert ahead.deadline(start, span) == hours.deadline(start, span), (start, span)


def test_times_are_written_as_the_zone_reads_them_in_every_zone() -> None:
    # here: a private helper (a cache), checked against datetime in every IANA zone
    import random
    import zoneinfo
    from itertools import pairwise

    from sla_docs.reports.alerts_output import _when

    def offset(stamp: float, zone: zoneinfo.ZoneInfo) -> dt.timedelta | None:
        return dt.datetime.fromtimestamp(stamp, zone).utcoffset()

    def transitions(stamps: list[float], zone: zoneinfo.ZoneInfo) -> list[float]:
        """An instant where the offset changes between each two stamps that differ."""
        found = []
        for early, late in pairwise(stamps):
            if offset(early, zone) == offset(late, zone):
                continue
            while late - early > 1:  # bisected to the second the new offset starts
                middle = (early + late) // 2
                early, late = (middle, late) if offset(middle, zone) == offset(early, zone) \
                    else (early, middle)
            found.append(late)
        return found

    chooser = random.Random(1)
    for name in sorted(zoneinfo.available_timezones()):
        zone = zoneinfo.ZoneInfo(name)
        # 1900 to 2096: local mean times, odd transitions included, and around each
        # change of offset met (the writer keeps one offset per hour)
        stamps = sorted(chooser.uniform(-2.2e9, 4e9) for _ in range(20))
        for stamp in (*stamps, *(change + shift for change in transitions(stamps, zone)
                                 for shift in (-3600, -60, -1, -0.5, 0, 0.5, 59, 3599))):
            for moment in (stamp, stamp // 60 * 60, stamp // 60 * 60 + 59.9):
                assert _when(moment, zone) == \
                    f"{dt.datetime.fromtimestamp(moment, zone):%Y-%m-%d %H:%M}", (name, moment)


def test_columns_are_mapped_as_the_report_maps_them(agreement: Path, tmp_path: Path) -> None:
    export = write_export(tmp_path, [row("PLAIN-LATE", ROWS["PLAIN-LATE"])],
                          HEADER.replace(",owner,", ",Rep,"))
    mapping = tmp_path / "columns.yaml"
    mapping.write_text("owner: Rep\n", "utf-8")
    done = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of", AS_OF,
                   "--columns", str(mapping))
    assert done.returncode == 3 and "bruno: 1 overdue" in done.stdout, done.stderr
    mapping.write_text("ownr: Rep\n", "utf-8")
    done = run_sla("alerts", str(agreement), "--leads", str(export), "--columns", str(mapping))
    assert done.returncode == 1 and "did you mean 'owner'?" in done.stderr


def test_the_json_made_rep_by_rep_is_the_json_of_the_whole(agreement: Path, leads: Path,
                                                           tmp_path: Path) -> None:
    # here: the writer and what it must equal, the digest as one dumps() call
    from sla_docs.durations import iso_duration
    from sla_docs.exact_json import dumps
    from sla_docs.reports.alerts_command import collect
    from sla_docs.reports.alerts_output import _alert_json, as_json

    checked = check_file(agreement, TODAY).agreement
    assert checked is not None
    hours = WorkingHours(checked.inputs.calendar)
    (tmp_path / "empty").mkdir()
    for export in (leads, write_export(tmp_path / "empty", [])):
        digest = Digest("minimal", dt.datetime.fromisoformat(AS_OF).replace(tzinfo=hours.zone),
                        checked.follow_up.first_contact_within, dt.timedelta(hours=1))
        collect(digest, export, column_map("canonical"), hours,
                rules(checked, hours, dt.timedelta(hours=1)), 1)
        whole = dumps({
            "agreement": "minimal", "as_of": digest.as_of, "first_contact_within": "PT1H",
            "warn_within": iso_duration(digest.warn_within),
            "counts": {kind: digest.count(kind) for kind in (*EXPECTED, ROUTING_LATE)},
            "overdue": digest.overdue,
            "reps": [{"owner": owner, **{kind: [_alert_json(a, digest.zone) for a in alerts
                                                if a.kind == kind] for kind in EXPECTED}}
                     for owner, alerts in digest.by_owner()],
            "left_out": [{"lead_id": lead, "line": row} for lead, row in digest.left_out]})
        assert as_json(digest) == whole + "\n"


def test_routing_apart_from_the_reps_wait(agreement: Path, tmp_path: Path) -> None:
    """With `assigned_at`, an unattempted lead's wait is split at its assignment (in
    working time, as `sla report` splits it): PLAIN-LATE waited 7 h 30 for a rep, so it
    was late before its rep had it; HOLIDAY-LATE was assigned at once; an assignment
    after the moment says nothing."""
    assigned = {"PLAIN-LATE": "2026-10-23T17:30:00+02:00",  # 7 h 30 of Friday's hours
                "HOLIDAY-LATE": "2026-10-21T17:05:00+02:00",  # 5 minutes
                "MORNING": "2026-10-26T09:10:00+01:00",  # 10 minutes, at risk
                "FRIDAY": "2026-10-26T10:00:00+01:00"}  # after the moment: not used
    rows = [f"{row(lead, rest)},{assigned.get(lead, '')}" for lead, rest in ROWS.items()]
    export = write_export(tmp_path, rows, HEADER + ",assigned_at")
    done = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of", AS_OF,
                   "--format", "json")
    assert done.returncode == 3, done.stderr
    data = json.loads(done.stdout)
    by_id = {alert["lead_id"]: alert for rep in data["reps"] for kind in EXPECTED
             for alert in rep[kind]}
    assert by_id["PLAIN-LATE"]["routing_working_minutes"] == 7 * 60 + 30
    assert by_id["PLAIN-LATE"]["late_when_assigned"] is True
    assert by_id["HOLIDAY-LATE"]["routing_working_minutes"] == 5
    assert by_id["HOLIDAY-LATE"]["late_when_assigned"] is False
    assert by_id["MORNING"]["routing_working_minutes"] == 10
    assert "routing_working_minutes" not in by_id["FRIDAY"]
    assert data["counts"]["late_when_assigned"] == 1
    text = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of", AS_OF).stdout
    assert "bruno: 1 overdue, 1 at risk, 0 behind on depth, 1 due back to Marketing " \
           "(1 of the overdue already late when assigned)" in text
    assert "PLAIN-LATE (line 6), handed off 2026-10-23 10:00, due 2026-10-23 11:00, 7h 30m " \
           "late, assigned after 7h 30m (already past the limit: routing, not the rep)" in text


def test_a_column_the_export_lacks_is_named_not_dropped(agreement: Path, tmp_path: Path) -> None:
    """Without a first-attempt column every lead would look unattempted, so overdue:
    the command says which column it did not find, and on which header it looked."""
    header = HEADER.replace("first_attempt_at", "First Atempt")
    export = write_export(tmp_path, [row(lead, rest) for lead, rest in ROWS.items()], header)
    done = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of", AS_OF)
    assert done.returncode == 3
    assert f"{export}:1: warning: no column 'first_attempt_at' (first_attempt_at)" in done.stderr
    complete = run_sla("alerts", str(agreement), "--leads",
                       str(write_export(tmp_path, [row(lead, r) for lead, r in ROWS.items()])),
                       "--as-of", AS_OF)
    assert complete.stderr == ""


def test_a_flawed_row_is_left_out_and_counted_as_the_report_does(agreement: Path,
                                                                 tmp_path: Path) -> None:
    """A row with a cell too many (an unquoted comma in a name) says nothing reliable,
    its handoff included: counted as left out, not silently passed over; a customer
    won after the moment judged is left out too, as `sla report` leaves it out."""
    rows = [row("LATE", ROWS["PLAIN-LATE"]).replace(",bruno,", ",Rossi, Anna,"),
            row("LATER", ROWS["PLAIN-LATE"])[:-2] + "2026-10-27T10:00:00+01:00,",
            row("PLAIN-LATE", ROWS["PLAIN-LATE"])]
    export = write_export(tmp_path, rows)
    done = run_sla("alerts", str(agreement), "--leads", str(export), "--as-of", AS_OF,
                   "--format", "json")
    data = json.loads(done.stdout)
    assert sorted(lead["lead_id"] for lead in data["left_out"]) == ["LATE", "LATER"]
    assert ids(data, "overdue") == ["PLAIN-LATE"]
    report = run_sla("report", str(agreement), "--leads", str(export), "--period", "2026-10",
                     "--as-of", AS_OF, "--format", "json", "-o", str(tmp_path / "out"))
    assert report.returncode == 0, report.stderr
    figures = json.loads((tmp_path / "out" / "minimal.report-2026-10.en.json").read_text())
    assert figures["rows_left_out"] == 2


@pytest.mark.parametrize(("columns", "preset", "said"), [
    ('owner: "Lead Tier"\ntier: "lead  tier"\n', "canonical",
     "columns.yaml:2:7: tier: 'lead  tier' is already owner's header; one column of the "
     "export cannot be two"),
    ("owner: ''\n", "canonical",
     "columns.yaml:1:8: owner: a header is blank; name the export's column, or leave the "
     "line out"),
    ('owner: "Lead Tier"\n', "hubspot",
     "--columns: 'Lead Tier' would be both tier and owner; one column of the export "
     "cannot be two"),
    ("- owner\n", "canonical", "columns.yaml:1:1: error SLA008: a columns file is a mapping"),
])
def test_a_columns_file_that_cannot_be_meant_is_refused(agreement: Path, leads: Path,
                                                       tmp_path: Path, columns: str,
                                                       preset: str, said: str) -> None:
    """One header for two columns, a blank header, a list: refused with where, exit 1."""
    (tmp_path / "columns.yaml").write_text(columns, "utf-8")
    done = run_sla("alerts", str(agreement), "--leads", str(leads), "--preset", preset,
                   "--columns", str(tmp_path / "columns.yaml"), "--as-of", AS_OF)
    assert done.returncode == 1 and said in done.stderr, done.stderr

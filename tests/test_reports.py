"""`sla report` on exports made in the test, with answers worked out by hand: a weekend,
a holiday, the night the clocks go back, a lead still waiting, and bad data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import leads_export, rome_agreement, run_sla

HEADER = ("lead_id,created_at,source,tier,handed_off_at,owner,first_attempt_at,attempts,"
          "connected,stage,customer_at,deal_amount")
ROWS = [
    # reached in 30 working minutes; became a customer worth 150
    "L1,2026-10-05T09:00:00+02:00,marketing,a,2026-10-05T10:00:00+02:00,anna,"
    "2026-10-05T10:30:00+02:00,1,true,customer,2026-10-20T12:00:00+02:00,150.00",
    # Friday 17:30, Monday 12 a holiday, reached Tuesday 09:45: 30 + 45 minutes: late
    "L2,2026-10-09T17:00:00+02:00,marketing,b,2026-10-09T17:30:00+02:00,bruno,"
    "2026-10-13T09:45:00+02:00,3,false,mql,,",
    # Friday 23 at 17:00 (+02:00), reached Monday 26 at 09:30 (+01:00): 1 h + 30 min: late
    "L3,2026-10-23T16:00:00+02:00,marketing,a,2026-10-23T17:00:00+02:00,anna,"
    "2026-10-26T09:30:00+01:00,5,false,recycled,,",
    # handed over half an hour before the report's moment: not late yet
    "L4,2026-10-30T10:00:00+01:00,marketing,c,2026-10-30T11:00:00+01:00,carla,,0,false,mql,,",
    # sourced by Sales: not Marketing's delivery
    "L5,2026-10-06T09:00:00+02:00,sales,a,2026-10-06T09:10:00+02:00,anna,"
    "2026-10-06T09:20:00+02:00,1,true,sql,,",
    # bad data: a first attempt before the handoff, a second handoff, a time in 2030
    "L6,2026-10-07T09:00:00+02:00,marketing,a,2026-10-07T10:00:00+02:00,bruno,"
    "2026-10-07T09:30:00+02:00,1,true,mql,,",
    "L1,2026-10-05T09:00:00+02:00,marketing,a,2026-10-08T10:00:00+02:00,anna,"
    "2026-10-08T10:30:00+02:00,1,true,mql,,",
    "L8,2030-01-01T09:00:00+01:00,marketing,a,2030-01-01T10:00:00+01:00,anna,,0,false,mql,,",
    # last month's: not this period's
    "L9,2026-09-30T09:00:00+02:00,marketing,a,2026-09-30T10:00:00+02:00,anna,"
    "2026-09-30T10:10:00+02:00,1,true,mql,,",
]


@pytest.fixture
def agreement(tmp_path: Path, minimal_text: str) -> Path:
    return rome_agreement(tmp_path, minimal_text)


def export(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    return leads_export(tmp_path, header, rows)


def json_report(tmp_path: Path, agreement: Path, rows: list[str], period: str,
                *options: str) -> dict[str, Any]:
    """``sla report --format json`` of ``rows`` for ``period``, which must succeed."""
    out = tmp_path / "json"
    done = run_sla("report", str(agreement), "--leads", str(export(tmp_path, rows)),
                   "--period", period, *options, "--format", "json", "-o", str(out))
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(
        (out / f"minimal.report-{period}.en.json").read_text("utf-8"))
    return data


def test_a_month_before_1970_counts_leads_with_empty_times(tmp_path: Path,
                                                          agreement: Path) -> None:
    # its moment is a negative timestamp: an empty cell must not read as a time after it
    rows = ["A1,1969-10-06T09:00:00+01:00,marketing,a,1969-10-06T10:00:00+01:00,anna,"
            "1969-10-06T10:30:00+01:00,1,true,mql,,",
            "A2,1969-10-07T09:00:00+01:00,marketing,a,1969-10-07T10:00:00+01:00,bruno,,0,"
            "false,mql,,"]
    data = json_report(tmp_path, agreement, rows, "1969-10")
    assert data["leads_delivered"] == 2 and data["rows_left_out"] == 0


def test_a_moment_before_the_period_is_refused(tmp_path: Path, agreement: Path) -> None:
    for as_of in ("1900-01-01", "2026-09-30T23:59", "2026-09-30T23:59+02:00"):
        done = run_sla("report", str(agreement), "--leads", str(export(tmp_path, ROWS)),
                       "--period", "2026-10", "--as-of", as_of, "-o", str(tmp_path / "out"))
        assert done.returncode == 2 and "before the period 2026-10 begins" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("as_of", "says"), [
    ("2026-03-29T02:30", "--as-of 2026-03-29T02:30 does not exist in Europe/Rome"),
    ("2026-10-25T02:30", "--as-of 2026-10-25T02:30 happens twice in Europe/Rome"),
])
def test_a_moment_the_clocks_skip_or_repeat_is_refused(tmp_path: Path, agreement: Path,
                                                      as_of: str, says: str) -> None:
    out, period = tmp_path / "out", as_of[:7]
    done = run_sla("report", str(agreement), "--leads", str(export(tmp_path, ROWS)),
                   "--period", period, "--as-of", as_of, "-o", str(out))
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
    # the advice works: the same time with the offset meant
    data = json_report(tmp_path, agreement, ROWS, period, "--as-of", f"{as_of}+01:00")
    assert data["as_of"] == {"2026-03-29T02:30": "2026-03-29T03:30:00+02:00",
                             "2026-10-25T02:30": "2026-10-25T02:30:00+01:00"}[as_of]


def test_the_figures_of_a_month_worked_out_by_hand(tmp_path: Path, agreement: Path) -> None:
    out = tmp_path / "out"
    done = run_sla("report", str(agreement), "--leads", str(export(tmp_path, ROWS)),
                   "--period", "2026-10", "--as-of", "2026-10-30T11:30", "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "minimal.report-2026-10.en.json").read_text("utf-8"))
    assert data["leads_delivered"] == 4 and data["leads_target"] == 100
    assert data["goal_to_date"] == 100  # the 21st of 21 working days (22 weekdays, a holiday)
    assert data["attainment"] == 0.04 and data["forecast"] == 4
    assert data["median_first_attempt_hours"] == 1.25  # 0.5, 1.25 and 1.5 working hours
    assert data["p90_first_attempt_hours"] == 1.45
    assert data["within_limit_share"] == 0.3333  # L1 on time, L2 and L3 late, L4 not yet
    assert data["avg_attempts_unconnected"] == 2.67  # (3 + 5 + 0) / 3
    assert data["recycled"] == 1
    assert data["data_quality"] == {"first attempt before handoff": 1, "handed off twice": 1,
                                    "time after the report date": 1,
                                    "row with fewer cells than the header": 0,
                                    "row with more cells than the header": 0,
                                    "attempts not a count from 0 to 1000": 0,
                                    "connected neither yes nor no": 0,
                                    "assignment before the handoff (its time not used)": 0,
                                    "assignment after the first attempt (its time not used)": 0}
    assert data["rows_left_out"] == 3
    assert data["reps"] == [{"owner": "anna", "leads": 2, "within_limit": 1, "late": 1},
                            {"owner": "bruno", "leads": 1, "within_limit": 0, "late": 1},
                            {"owner": "carla", "leads": 1, "within_limit": 0, "late": 0}]
    assert data["next_period"]["lead_to_customer_rate"] == 0.25  # 1 customer of 4 leads
    assert data["next_period"]["average_deal_size"] == 150
    days = {d["day"]: d for d in data["days"]}
    assert days["2026-10-12"]["goal"] is None and days["2026-10-10"]["goal"] is None
    assert days["2026-10-09"]["cumulative"] == 2
    assert days["2026-10-09"]["goal"] == 34  # ⌈100 × 7 ÷ 21⌉: the 7th working day
    page = (out / "minimal.report-2026-10.en.md").read_text("utf-8")
    assert "Leads delivered: 4\xa0of 100" in page and "| anna | 2 | 1 | 1 |" in page
    assert "- handed off twice: 1 (L1, row 8)" in page  # id and line in the export


def test_a_lead_still_waiting_is_late_once_the_limit_has_passed(tmp_path: Path,
                                                                 agreement: Path) -> None:
    out = tmp_path / "out"
    run_sla("report", str(agreement), "--leads", str(export(tmp_path, ROWS[3:4])),
            "--period", "2026-10", "--as-of", "2026-10-30T15:00", "--format", "json",
            "-o", str(out))
    data = json.loads((out / "minimal.report-2026-10.en.json").read_text("utf-8"))
    assert data["within_limit_share"] == 0 and data["median_first_attempt_hours"] is None


def test_another_exports_columns_are_mapped(tmp_path: Path, agreement: Path) -> None:
    header = HEADER.replace("lead_id", "Record ID").replace("handed_off_at", "MQL date")
    columns = tmp_path / "columns.yaml"
    columns.write_text('lead_id: "Record ID"\nhanded_off_at: "MQL date"\n', "utf-8")
    out = tmp_path / "out"
    done = run_sla("report", str(agreement), "--leads", str(export(tmp_path, ROWS, header)),
                   "--period", "2026-10", "--as-of", "2026-10-30T11:30", "--columns",
                   str(columns), "--format", "json", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "minimal.report-2026-10.en.json").read_text())[
        "leads_delivered"] == 4


def test_an_unreadable_export_is_an_error_at_its_place(tmp_path: Path,
                                                       agreement: Path) -> None:
    no_handoff = export(tmp_path, ROWS, HEADER.replace("handed_off_at", "handoff"))
    done = run_sla("report", str(agreement), "--leads", str(no_handoff), "--period", "2026-10")
    assert done.returncode == 1 and f"{no_handoff}:1:1: missing column handed_off_at" in \
        done.stderr
    bad_date = export(tmp_path, [ROWS[0], ROWS[1].replace("2026-10-13T09:45:00+02:00",
                                                          "13/10/2026 9:45")])
    done = run_sla("report", str(agreement), "--leads", str(bad_date), "--period", "2026-10")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{bad_date}:3:7: first_attempt_at '13/10/2026 9:45' is not a date" in done.stderr
    assert run_sla("report", str(agreement), "--leads", str(bad_date), "--period",
                   "October").returncode == 2


def test_the_report_in_italian_with_its_charts(tmp_path: Path, agreement: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "out"
    args = ("report", str(agreement), "--leads", str(export(tmp_path, ROWS)), "--period",
            "2026-10", "--as-of", "2026-10-30T11:30", "--lang", "it", "--format",
            "md,html,pdf", "-o", str(out))
    done = run_sla(*args)
    assert done.returncode == 0 and done.stderr == ""  # matplotlib knows the shipped font
    first = (out / "minimal.report-2026-10.it.pdf").read_bytes()
    html = (out / "minimal.report-2026-10.it.html").read_text("utf-8")
    assert html.count("<svg") == 3 and "Giorno del mese" in html and '<html lang="it-IT">' in html
    pdf = PdfReader(out / "minimal.report-2026-10.it.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    for words in ("Lato Marketing", "Lead consegnati: 4 su 100", "Giorno del mese",
                  "Tentativi concordati", "passato due volte: 1"):
        assert words in " ".join(text.split()), words
    page = (out / "minimal.report-2026-10.it.md").read_text("utf-8")
    assert page.startswith("# Report sul livello di servizio: minimal")
    assert "| gio 1\u00a0ott | " in page  # the day named with its month, as CLDR writes it
    assert run_sla(*args).returncode == 0
    assert (out / "minimal.report-2026-10.it.pdf").read_bytes() == first  # reproducible


def test_revenue_comes_from_a_deals_export_when_there_is_one(tmp_path: Path,
                                                              agreement: Path) -> None:
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id,lead_id,closed_at,amount,source\n"
                     "D1,L1,2026-10-20T12:00:00+02:00,200.00,marketing\n"
                     "D2,,2026-10-21T12:00:00+02:00,800.00,sales\n"
                     "D3,L2,2026-09-20T12:00:00+02:00,999.00,marketing\n"  # September's
                     "D4,L3,2026-10-22T12:00:00+02:00,100.00,\n", "utf-8")
    out = tmp_path / "out"
    done = run_sla("report", str(agreement), "--leads", str(export(tmp_path, ROWS)),
                   "--deals", str(deals), "--period", "2026-10", "--as-of", "2026-10-30T11:30",
                   "--format", "json", "-o", str(out))
    assert done.returncode == 0, done.stderr
    following = json.loads((out / "minimal.report-2026-10.en.json").read_text())["next_period"]
    assert following["lead_to_customer_rate"] == 0.5  # L1 and L3 of the 4 delivered
    assert following["average_deal_size"] == 150  # (200 + 100) / 2
    assert abs(following["marketing_share"] - 300 / 1100) < 1e-9  # D1 and D4 of all three
    broken = tmp_path / "broken.csv"
    broken.write_text("deal_id,closed_at\nD1,2026-10-20\n", "utf-8")
    refused = run_sla("report", str(agreement), "--leads", str(export(tmp_path, ROWS)),
                      "--deals", str(broken), "--period", "2026-10")
    assert refused.returncode == 1 and f"{broken}:1:1: missing column amount" in refused.stderr


def test_a_crm_cell_cannot_reverse_or_hide_text_in_the_report(tmp_path: Path,
                                                              agreement: Path) -> None:
    # a right-to-left override in an owner's name, a zero-width space in a lead's id
    rows = [row.replace(",anna,", ",ann\u202ea,") for row in ROWS]
    rows.append("L9\u200b,2026-10-05T09:00:00+02:00,marketing,a,2026-10-05T10:00:00+02:00,"
                "bo,2026-10-05T09:30:00+02:00,1,true,mql,,")  # attempted before its handoff
    out = tmp_path / "out"
    done = run_sla("report", str(agreement), "--leads", str(export(tmp_path, rows)),
                   "--period", "2026-10", "--as-of", "2026-10-30T11:30", "--format", "md,html",
                   "-o", str(out))
    assert done.returncode == 0, done.stderr
    # shown escaped, as the alerts show them: "ann\u202ea" (a backslash escaped in Markdown)
    for kind, backslash in (("md", "\\\\"), ("html", "\\")):
        page = (out / f"minimal.report-2026-10.en.{kind}").read_text("utf-8")
        assert "\u202e" not in page and "\u200b" not in page, kind
        assert f"ann{backslash}u202ea" in page and f"L9{backslash}u200b" in page, kind

"""The routing delay apart from the rep's response (``assigned_at``), worked out by hand
in the agreement's working time: 09:00 to 18:00 in Rome, business days, 12 October a
holiday, the clocks going back on the night of 25 October; a first contact within 1 h."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sla_docs.reports.crm import Lead
from sla_docs.reports.report import report
from sla_docs.reports.tally import assignment_problem, speed_split
from sla_docs.targets.calendar import WorkingHours
from tests.conftest import leads_export, rome_agreement, run_sla

HEADER = ("lead_id,created_at,source,tier,handed_off_at,owner,first_attempt_at,attempts,"
          "connected,stage,customer_at,deal_amount,assigned_at")
ROWS = [
    # routed in 40 minutes, answered in 20: 1 h in all, on time
    "A1,2026-10-05T09:00:00+02:00,marketing,a,2026-10-05T10:00:00+02:00,anna,"
    "2026-10-05T11:00:00+02:00,1,true,mql,,,2026-10-05T10:40:00+02:00",
    # Friday 17:30, assigned Tuesday 09:15 past the holiday (30 + 15 minutes), answered
    # at 10:30 (1 h 15): 2 h in all; late, and the rep late too
    "A2,2026-10-09T17:00:00+02:00,marketing,b,2026-10-09T17:30:00+02:00,bruno,"
    "2026-10-13T10:30:00+02:00,3,false,mql,,,2026-10-13T09:15:00+02:00",
    # routed in 2 h, answered in 30 minutes: late, but not the rep's doing
    "A3,2026-10-07T09:00:00+02:00,marketing,a,2026-10-07T09:00:00+02:00,anna,"
    "2026-10-07T11:30:00+02:00,1,true,mql,,,2026-10-07T11:00:00+02:00",
    # no assignment time: the rep's clock starts at the handoff
    "A4,2026-10-08T14:00:00+02:00,marketing,c,2026-10-08T14:00:00+02:00,carla,"
    "2026-10-08T14:30:00+02:00,1,true,mql,,,",
    # Friday 23 at 17:00 (+02:00), assigned Monday 26 at 09:00 (+01:00): 1 h of routing;
    # not attempted by the report's moment: late, and its rep late
    "A5,2026-10-23T16:00:00+02:00,marketing,a,2026-10-23T17:00:00+02:00,bruno,,0,false,"
    "mql,,,2026-10-26T09:00:00+01:00",
    # an assignment before the handoff, and one after the first attempt (HubSpot keeps the
    # latest: a lead handed to another rep after the first call): listed, not used
    "B1,2026-10-14T09:00:00+02:00,marketing,a,2026-10-14T10:00:00+02:00,anna,"
    "2026-10-14T10:30:00+02:00,1,true,mql,,,2026-10-14T09:59:00+02:00",
    "B2,2026-10-15T09:00:00+02:00,marketing,a,2026-10-15T10:00:00+02:00,anna,"
    "2026-10-15T10:30:00+02:00,1,true,mql,,,2026-10-15T10:31:00+02:00",
]
AS_OF = dt.datetime(2026, 10, 30, 11, 30)


@pytest.fixture
def agreement(tmp_path: Path, minimal_text: str) -> Path:
    return rome_agreement(tmp_path, minimal_text)


def export(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    return leads_export(tmp_path, header, rows)


def figures(agreement: Path, leads: Path, out: Path, *formats: str) -> list[Path]:
    return report(agreement, leads, "2026-10", as_of=AS_OF, formats=formats or ("json",),
                  out=out, today=dt.date(2026, 10, 1))


def test_routing_and_response_worked_out_by_hand(tmp_path: Path, agreement: Path) -> None:
    (written,) = figures(agreement, export(tmp_path, ROWS), tmp_path / "out")
    data = json.loads(written.read_text("utf-8"))
    assert data["leads_delivered"] == 7
    # routing 0.67, 0.75, 2 and 1 hours; response 0.33, 1.25 and 0.5 (B1's and B2's
    # assignments contradict their times: not used)
    assert (data["median_routing_hours"], data["p90_routing_hours"]) == (0.88, 1.7)
    assert (data["median_response_hours"], data["p90_response_hours"]) == (0.5, 1.1)
    # the agreement's own measure is unchanged: handoff to first attempt
    assert data["median_first_attempt_hours"] == 0.75  # 1, 2, 2.5, 0.5, 0.5 and 0.5 hours
    assert data["p90_first_attempt_hours"] == 2.25
    assert data["within_limit_share"] == 0.5714  # A1, A4, B1 and B2 of seven
    # the reps answer for their response: anna is not late for A3's routing
    assert data["reps"] == [{"owner": "anna", "leads": 4, "within_limit": 4, "late": 0},
                            {"owner": "bruno", "leads": 2, "within_limit": 0, "late": 2},
                            {"owner": "carla", "leads": 1, "within_limit": 1, "late": 0}]
    # listed, and counted from their handoff: not left out of Marketing's count
    assert data["data_quality"]["assignment before the handoff (its time not used)"] == 1
    assert data["data_quality"]["assignment after the first attempt (its time not used)"] == 1
    assert data["rows_left_out"] == 0


def test_without_assignment_times_the_report_is_as_it_was(tmp_path: Path,
                                                          agreement: Path) -> None:
    """No column, or a column of empty cells: the same report, to the byte, and no split."""
    cut = [row.rsplit(",", 1)[0] for row in ROWS]
    (without,) = figures(agreement, export(tmp_path, cut, HEADER.rsplit(",", 1)[0]),
                         tmp_path / "a", "md")
    (empty,) = figures(agreement, export(tmp_path, [row + "," for row in cut]),
                       tmp_path / "b", "md")
    assert without.read_bytes() == empty.read_bytes()
    assert "Routing" not in without.read_text("utf-8")
    (data,) = figures(agreement, export(tmp_path, [row + "," for row in cut]), tmp_path / "c")
    found = json.loads(data.read_text("utf-8"))
    assert found["median_routing_hours"] is None and found["median_response_hours"] is None
    # A3's routing is anna's again: 2 h 30 min from the handoff (B1 and B2 are counted now)
    assert found["reps"][0] == {"owner": "anna", "leads": 4, "within_limit": 3, "late": 1}


def test_the_split_in_every_format(tmp_path: Path, agreement: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "out"
    done = run_sla("report", str(agreement), "--leads", str(export(tmp_path, ROWS)),
                   "--period", "2026-10", "--as-of", "2026-10-30T11:30", "--format",
                   "md,html,pdf,json", "--lang", "it", "-o", str(out))
    assert done.returncode == 0 and done.stderr == ""
    page = (out / "minimal.report-2026-10.it.md").read_text("utf-8")
    assert "- Tempo di smistamento, in orario lavorativo, dal passaggio all\u2019assegnazione: " \
        "mediana 53\xa0minuti, 90° percentile 1\xa0ora e 42\xa0minuti (lead con orario di " \
        "assegnazione: 4)." in page
    assert "- Tempo di risposta dei commerciali, in orario lavorativo, dall\u2019assegnazione al " \
        "primo tentativo: mediana 30\xa0minuti, 90° percentile 1\xa0ora e 6\xa0minuti (lead con " \
        "almeno un tentativo dopo l\u2019assegnazione: 3)" in page
    assert "- assegnazione prima del passaggio (ora dell\u2019assegnazione non utilizzata): 1 " \
        "(B1, riga 7)" in page
    assert "- righe escluse dai dati: 0" in page
    assert page.startswith("# Report sul livello di servizio: minimal\n\n"
                           "Ottobre 2026 · aggiornato al 30\xa0ottobre 2026 11:30\n")
    html = (out / "minimal.report-2026-10.it.html").read_text("utf-8")
    assert "smistamento, in orario lavorativo, dal passaggio all\u2019assegnazione" in html
    chart_title = "Tempo dall\u2019assegnazione al primo tentativo, in orario lavorativo (mediana)"
    assert chart_title in html
    text = " ".join(" ".join((p.extract_text() or "").split())
                    for p in PdfReader(out / "minimal.report-2026-10.it.pdf").pages)
    assert "smistamento, in orario lavorativo, dal passaggio all\u2019assegnazione" in text
    data = json.loads((out / "minimal.report-2026-10.it.json").read_text("utf-8"))
    assert data["median_routing_hours"] == 0.88


def test_the_split_for_one_lead_as_alerts_would_ask_it(agreement: Path) -> None:
    """:func:`speed_split` and :func:`assignment_problem`, the pieces `sla alerts` reuses."""
    from sla_docs.check.validate import check_file

    checked = check_file(agreement, dt.date(2026, 10, 1)).agreement
    assert checked is not None
    hours = WorkingHours(checked.inputs.calendar)

    def at(text: str) -> float:
        return dt.datetime.fromisoformat(text).timestamp()

    handed, assigned = at("2026-10-09T17:30:00+02:00"), at("2026-10-13T09:15:00+02:00")
    assert speed_split(hours, handed, assigned, at("2026-10-13T10:30:00+02:00")) == (
        45 * 60, 75 * 60)
    assert speed_split(hours, handed, assigned, None) == (45 * 60, None)
    # across the night the clocks go back: Friday 17:00 to Monday 09:00 is one hour
    assert speed_split(hours, at("2026-10-23T17:00:00+02:00"),
                       at("2026-10-26T09:00:00+01:00"), None).routing == 3600
    lead = Lead(2, "B", 0.0, True, "", handed, "anna", first_attempt_at=assigned - 60,
                attempts=1, connected=True, stage="mql", customer_at=None, deal_amount=None,
                assigned_at=assigned)
    assert assignment_problem(lead) == "assignment after the first attempt (its time not used)"
    lead.first_attempt_at = None
    assert assignment_problem(lead) is None
    lead.assigned_at = handed - 60
    assert assignment_problem(lead) == "assignment before the handoff (its time not used)"


def test_an_assignment_after_the_moment_leaves_the_lead_counted(agreement: Path,
                                                                tmp_path: Path) -> None:
    """An export taken after the report's moment may hold an assignment made since: the
    lead still counts (Marketing delivered it) and that assignment is not used yet."""
    later = ROWS[3][:-len(",")] + ",2026-10-30T12:00:00+01:00"  # A4, assigned after 11:30
    data = json.loads(figures(agreement, export(tmp_path, [*ROWS[:3], later, *ROWS[4:]]),
                              tmp_path / "out")[0].read_text("utf-8"))
    before = json.loads(figures(agreement, export(tmp_path, ROWS), tmp_path / "before")[0]
                        .read_text("utf-8"))
    assert data["rows_left_out"] == 0 and data["leads_delivered"] == before["leads_delivered"]
    assert data["median_routing_hours"] == before["median_routing_hours"]

"""A large export is read in two parts by two processes: the records, their lines, every
figure and the first error must be what one reader finds."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sla_docs.check.validate import check_file
from sla_docs.errors import SlaError
from sla_docs.reports import exports as exports_module
from sla_docs.reports import tally as tally_module
from sla_docs.reports.attainment import attainment, new_tally, take_deals
from sla_docs.reports.crm import (
    ROW_PROBLEMS,
    column_map,
    read_later_leads,
    read_leads,
    timestamps,
)
from sla_docs.reports.deals import read_deals
from sla_docs.reports.exports import ExportError
from sla_docs.reports.report import as_json, report
from sla_docs.reports.tally import tally_export
from tests.conftest import rome_agreement

HEADER = ("lead_id,created_at,source,tier,handed_off_at,owner,first_attempt_at,attempts,"
          "connected,stage,customer_at,deal_amount")
ROME = ZoneInfo("Europe/Rome")
AS_OF = dt.datetime(2026, 10, 30, 18, 0, tzinfo=ROME)
SHARES = (0.05, 0.2, 0.35, 0.5, 0.55, 0.7, 0.85, 0.97)


@pytest.fixture
def agreement(tmp_path: Path, minimal_text: str) -> Path:
    return rome_agreement(tmp_path, minimal_text)


@pytest.fixture(autouse=True)
def split_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split exports of any size: the ones here are small."""
    monkeypatch.setattr(tally_module, "SPLIT_FROM", 0)


T1, T2 = "2026-10-05T09:30:00+02:00", "2026-10-05T10:30:00+02:00"


def lead_row(number: int, owner: str = "ann", first: str = T2) -> str:
    return f"L{number},{T1},marketing,a,{T1},{owner},{first},1,false,mql,,"


def awkward_export(path: Path) -> Path:
    """Every way a CSV's records and lines part company: quotes inside unquoted cells
    (which make the count of quotes odd), line breaks inside quoted cells (one of them
    holding what looks like a whole row), a bare carriage return inside a cell, CRLF
    line ends, blank lines, a BOM and multi-byte text."""
    rng = random.Random(7)
    lines = ["\ufeff" + HEADER]
    for number in range(300):
        owner = rng.choice(['ab"c', 'ann"', '"Rossi\r\nAnna"', '"say ""hi"""', "Zoë", "李",
                            '"two\rlines"', "ann"])
        lines.append(lead_row(number, owner))
        if rng.random() < 0.05:  # a row whose 13th cell holds a line and a whole row
            lines[-1] += ',"note\r\n' + lead_row(9000 + number) + ',x"'
        if rng.random() < 0.05:
            lines.append("")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def test_the_two_readers_part_the_records_where_one_reader_would(tmp_path: Path) -> None:
    path = awkward_export(tmp_path / "awkward.csv")
    columns = column_map("canonical")
    whole = [(lead.row, lead.lead_id, lead.owner) for lead in read_leads(path, columns, "UTC")]
    assert len(whole) == 300 and whole[-1][0] > 320  # records that span lines
    assert ("L1", "L9001") not in {(lead, owner) for _, lead, owner in whole}
    for last_line in range(1, whole[-1][0] + 2):
        first = [(lead.row, lead.lead_id, lead.owner)
                 for lead in read_leads(path, columns, "UTC", until_line=last_line)]
        suspects, later = read_later_leads(path, columns, "UTC", last_line)
        assert first + [(lead.row, lead.lead_id, lead.owner) for lead in later] == whole
        assert suspects == {lead for _, lead, _ in first}  # each of them is handed off


def test_awkward_exports_give_one_readers_figures_at_every_split(
        tmp_path: Path, agreement: Path) -> None:
    path = awkward_export(tmp_path / "awkward.csv")
    alone = figures(agreement, path, jobs=1)
    for share in (n / 40 for n in range(1, 40)):
        assert figures(agreement, path, jobs=2, share=share) == alone, share


def synthetic_export(tmp_path: Path, leads: int = 2500, owners: tuple[str, ...] = (
        "ann", "bo", "cy", "", "dee")) -> Path:
    """Random leads whose ids repeat all over the file, with the cases that cross parts
    written at both ends: the first rows fall in the first part, the last in the second."""
    rng, flaws = random.Random(11), random.Random(13)
    routed = random.Random(17)  # its own, so that the other cells stay as they were
    start = dt.datetime(2026, 10, 1, tzinfo=dt.UTC).timestamp()

    def when(stamp: float) -> str:
        moment = dt.datetime.fromtimestamp(stamp, ROME)
        style = rng.random()  # the same instant written three ways
        if style < 0.6:
            return moment.isoformat(timespec="seconds")
        if style < 0.8:
            return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return moment.replace(tzinfo=None).isoformat(timespec="seconds")  # in the zone

    def row(lead: str, created: float, handed: float | None, first: float | None,
            owner: str = "ann", customer: float | None = None) -> str:
        return ",".join((lead, when(created), rng.choice(["marketing", "marketing", "sales"]),
                         rng.choice("abc"), when(handed) if handed else "", owner,
                         when(first) if first else "", str(rng.randrange(6)),
                         rng.choice(["true", "false"]),
                         rng.choice(["mql", "sql", "recycled", "customer"]),
                         when(customer) if customer else "",
                         f"{rng.randrange(100, 9000)}.50" if customer else "",
                         assigned(handed, first)))

    def assigned(handed: float | None, first: float | None) -> str:
        """Mostly between the handoff and the first attempt; now and then before the
        handoff or after the attempt (a data-quality row), or not at all."""
        if handed is None or routed.random() < 0.3:
            return ""
        end = first if first is not None and first > handed else handed + 86400
        slip = routed.random()
        moment = handed - 600 if slip < 0.03 else end + 600 if slip < 0.06 else \
            handed + routed.random() * (end - handed)
        return when(moment)

    day = 86400.0
    head = [row("X1", start, start + 3600, start + 7200),  # handed off again at the end
            row("X2", start, start + 7200, start + 3600),  # attempt before handoff: not handed
            row("X3", start, None, None),                  # no handoff in the first part
            row("X5", start, start + 3600, None),
            row(" X6 ", start, start + 3600, None),       # the reader strips ids
            # rows left out for what is in them, though they have a handoff: the later
            # part's X7 to X10 are their first handoffs, not second ones
            ",".join(row("X7", start, start + 3600, None).split(",")[:5]),  # short
            row("X8", start, start + 3600, None) + ",extra",                 # long
            attempts(row("X9", start, start + 3600, None), "-5"),
            connected(row("X10", start, start + 3600, None), "maybe")]
    body = []
    for _ in range(leads):
        created = start + rng.random() * 29 * day
        handed = created + rng.random() * 2 * day if rng.random() < 0.85 else None
        first = (handed + rng.choice([-1, 1]) * rng.random() * day * 0.4
                 if handed and rng.random() < 0.8 else None)
        if rng.random() < 0.02:
            created += 400 * day  # a time after the report's date
        customer = first + day if first and rng.random() < 0.1 else None
        body.append(row(f"L{rng.randrange(leads * 4 // 5)}", created, handed, first,
                        rng.choice(owners), customer))
        slip = flaws.random()
        if slip < 0.04 and '"' not in body[-1]:  # a flaw in the row, in either part
            body[-1] = [body[-1] + ",", ",".join(body[-1].split(",")[:-2]),
                        attempts(body[-1], flaws.choice(["-1", "2.5", "1001", "1e9", "x"])),
                        connected(body[-1], flaws.choice(["maybe", "?", "2"]))][int(slip * 100)]
    late = start + 20 * day
    tail = [row("X1", late, late + 3600, late + 7200),   # the second handoff of X1
            row("X2", late, late + 3600, late + 7200),   # X2's first real handoff
            row("X3", late, late + 3600, late + 7200),
            row("X4", late, late + 3600, None), row("X4", late, late + 7200, None),
            row("X5", late, late + 3600, None), row("X5", late, late + 7200, None),
            row("X6", late, late + 3600, None),
            *(row(f"X{n}", late, late + 3600, None) for n in range(7, 11)),
            ",".join(row("X11", late, late + 3600, None).split(",")[:3]),
            row("X12", late, late + 3600, None) + ",,",
            attempts(row("X13", late, late + 3600, None), "99999999999999999999"),
            connected(row("X14", late, late + 3600, None), "perhaps")]
    path = tmp_path / "leads.csv"
    path.write_text("\n".join([HEADER + ",assigned_at", *head, *body, *tail]) + "\n",
                    "utf-8")
    return path


def attempts(row: str, value: str) -> str:
    cells = row.split(",")
    cells[7] = value
    return ",".join(cells)


def connected(row: str, value: str) -> str:
    cells = row.split(",")
    cells[8] = value
    return ",".join(cells)


def figures(agreement_path: Path, leads: Path, jobs: int, share: float = 0.5,
            deals: Path | None = None) -> tuple[object, ...]:
    agreement = check_file(agreement_path, dt.date(2026, 10, 1)).agreement
    assert agreement is not None
    tally = tally_export(new_tally(agreement, dt.date(2026, 10, 1), AS_OF,
                                   keep_ids=deals is not None),
                         leads, column_map("canonical"), "Europe/Rome", jobs=jobs, share=share)
    if deals:
        take_deals(tally, read_deals(deals, "Europe/Rome"))
    found = attainment(tally, agreement)
    reps = [(r.owner, r.leads, r.within_limit, r.late, sorted(r.speed_hours), r.unconnected,
             r.unconnected_attempts) for r in found.reps]
    return as_json(found), found.problems, reps


def test_two_readers_find_what_one_finds_wherever_the_file_is_split(
        tmp_path: Path, agreement: Path) -> None:
    leads = synthetic_export(tmp_path)
    alone = figures(agreement, leads, jobs=1)
    problems = alone[1]
    assert isinstance(problems, dict)
    twice = dict(problems["handed off twice"])
    assert twice["X1"] > 2000 and twice["X6"] > 2000  # crossing parts
    assert "X2" not in twice and "X3" not in twice
    left_out = {lead: row for leads in problems.values() for lead, row in leads}
    assert {"X7", "X8", "X9", "X10", "X11", "X12", "X13", "X14"} <= left_out.keys()
    assert not {"X7", "X8", "X9", "X10"} & twice.keys()  # their later rows are counted
    for problem in ROW_PROBLEMS:
        assert len(problems[problem]) > 5, problem  # flaws all over the file
    assert len(twice) > 50 and all(problems.values())
    for share in SHARES:
        assert figures(agreement, leads, jobs=2, share=share) == alone, share
    assert multiprocessing.active_children() == []


def test_quoted_owners_give_one_readers_figures(
        tmp_path: Path, agreement: Path) -> None:
    leads = synthetic_export(tmp_path, owners=("ann", '"Rossi, Anna"', '"Dee ""D"" Lee"'))
    alone = figures(agreement, leads, jobs=1)
    assert "Rossi, Anna" in str(alone[2])
    for share in (0.3, 0.6):
        assert figures(agreement, leads, jobs=2, share=share) == alone


def test_deals_link_to_leads_of_both_parts(tmp_path: Path, agreement: Path) -> None:
    leads = synthetic_export(tmp_path)
    ids = [line.split(",", 1)[0] for line in leads.read_text("utf-8").splitlines()[1:]]
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id,lead_id,closed_at,amount,source\n" + "".join(
        f"D{n},{lead},2026-10-{10 + n % 15}T12:00:00+02:00,{100 + n}.00,\n"
        for n, lead in enumerate(ids[::40])), "utf-8")
    alone = figures(agreement, leads, jobs=1, deals=deals)
    assert '"next_period"' in str(alone[0])
    for share in (0.3, 0.6):
        assert figures(agreement, leads, jobs=2, share=share, deals=deals) == alone


def test_the_first_unreadable_cell_in_the_file_is_the_one_named(
        tmp_path: Path, agreement: Path) -> None:
    leads = synthetic_export(tmp_path, leads=600)
    lines = leads.read_text("utf-8").splitlines()
    cells = lines[-2].split(",")
    cells[6] = "31/10/2026 9:45"
    lines[-2] = ",".join(cells)
    leads.write_text("\n".join(lines) + "\n", "utf-8")
    expected = f"{leads}:{len(lines) - 1}:7: first_attempt_at '31/10/2026 9:45' is not a date"
    for jobs in (1, 2):
        with pytest.raises(ExportError, match=expected[-60:]) as raised:
            figures(agreement, leads, jobs=jobs)
        assert raised.value.message.startswith(expected)
    cells = lines[3].split(",")
    cells[1] = "soon"
    lines[3] = ",".join(cells)
    leads.write_text("\n".join(lines) + "\n", "utf-8")
    for jobs in (1, 2):  # both parts fail: the first part's error is the one reported
        with pytest.raises(ExportError) as raised:
            figures(agreement, leads, jobs=jobs)
        assert raised.value.message == f"{leads}:4:2: created_at 'soon' is not a date and " \
            "time from 1900 to 8999 (2026-10-05T09:30:00+02:00)"
    assert multiprocessing.active_children() == []


def test_the_report_command_reads_in_two_processes_to_the_same_bytes(
        tmp_path: Path, agreement: Path) -> None:
    leads = synthetic_export(tmp_path, leads=800)
    written = {}
    for jobs in (1, 2):
        (path,) = report(agreement, leads, "2026-10", as_of=AS_OF.replace(tzinfo=None),
                         formats=("md",), out=tmp_path / f"out{jobs}", jobs=jobs,
                         today=dt.date(2026, 10, 1))
        written[jobs] = path.read_bytes()
    assert written[1] == written[2] and b"handed off twice" in written[1]


def test_times_read_as_the_standard_library_reads_them_in_any_order() -> None:
    forms = ["2026-10-05T09:30:00+02:00", "2026-10-05T09:30:00Z", "2026-10-05T09:30:00",
             "2026-10-05 09:30:00+02:00", "2026-10-05T09:30:00.5+02:00",
             "2026-10-05T09:30:00.250000-05:30", "20261005T093000+0200",
             "2026-W41-1T09:30:00+02:00", "2026-10-05T09:30:00+02:00:30",
             "2026-10-05T074948.5+02:00", "2026-10-25T02:30:00", "2026-10-25T02:30:00+01:00",
             "2026-10-05T23:59:59-11:00", "2026-10-06T00:00:01+14:00"]
    rng = random.Random(3)
    for _ in range(20):
        stamp = timestamps(ROME)  # a fresh cache, filled in another order each time
        for value in rng.sample(forms, len(forms)) * 2:
            moment = dt.datetime.fromisoformat(value)
            expected = (moment if moment.tzinfo else moment.replace(tzinfo=ROME)).timestamp()
            assert stamp(value) == pytest.approx(expected, abs=1e-6), value
    with pytest.raises(ValueError):
        timestamps(ROME)("13/10/2026 9:45")


def test_beside_other_threads_the_second_reader_is_spawned_not_forked(
        tmp_path: Path, agreement: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    leads = synthetic_export(tmp_path, leads=300)
    alone = figures(agreement, leads, jobs=1)
    started = []
    original = multiprocessing.get_context

    def watched(method: str | None = None) -> object:
        started.append(method)
        return original(method)

    monkeypatch.setattr(exports_module.threading, "active_count", lambda: 2)
    monkeypatch.setattr(exports_module.multiprocessing, "get_context", watched)
    assert figures(agreement, leads, jobs=2) == alone  # the tally travels by pickle
    assert started == ["spawn"]


def test_a_second_reader_that_dies_is_a_clear_error(
        tmp_path: Path, agreement: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    leads = synthetic_export(tmp_path, leads=300)
    monkeypatch.setattr(tally_module, "_second_part", lambda *_: os._exit(3))
    with pytest.raises(SlaError, match=r"leads.csv: the second process reading it stopped "
                                       r"\(exit code 3\); run again with --jobs 1"):
        figures(agreement, leads, jobs=2)
    assert multiprocessing.active_children() == []


def test_no_second_process_to_be_had_means_one_reader(
        tmp_path: Path, agreement: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a limit on processes (or no memory) refuses the fork: read alone, never crash
    leads = synthetic_export(tmp_path, leads=300)
    alone = figures(agreement, leads, jobs=1)

    def refused(self: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    assert figures(agreement, leads, jobs=2) == alone
    assert multiprocessing.active_children() == []


def test_ctrl_c_reaching_the_second_process_leaves_it_to_the_first(tmp_path: Path) -> None:
    # a terminal's Ctrl-C goes to the whole process group: the second process must not
    # print a traceback of its own; the first says "aborted" and stops it
    import signal

    def there(sender: object) -> None:
        def work() -> str:
            os.kill(os.getpid(), signal.SIGINT)
            return "read"

        exports_module.send_outcome(sender, work)  # type: ignore[arg-type]

    assert exports_module.in_two_processes(tmp_path / "leads.csv", lambda: None, there,
                                           ()) == "read"


def test_a_byte_that_is_not_utf8_is_named_at_its_line_before_any_other_error(
        tmp_path: Path, agreement: Path) -> None:
    rows = [lead_row(number) for number in range(400)]
    rows[300] = lead_row(300, first="31/10/2026")  # unreadable, and earlier in the file
    rows[350] = lead_row(350, owner="ann\udcff")
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "\n" + "\n".join(rows) + "\n").encode("utf-8", "surrogateescape"))
    expected = f"{path}:352:73: not UTF-8 text (byte 0xff); save the export as UTF-8"
    for jobs, share in ((1, 0.5), (2, 0.3), (2, 0.5), (2, 0.8)):
        with pytest.raises(ExportError) as raised:
            figures(agreement, path, jobs=jobs, share=share)
        assert raised.value.message == expected


def test_a_time_out_of_range_is_unreadable_not_a_crash(tmp_path: Path, agreement: Path) -> None:
    rows = [lead_row(number) for number in range(40)]
    rows[30] = rows[30].replace(f"L30,{T1},marketing,a,{T1}",
                                "L30,0001-01-01T00:00:00Z,marketing,a,0001-01-01T00:00:00Z")
    path = tmp_path / "never.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    for jobs, share in ((1, 0.5), (2, 0.3)):
        with pytest.raises(ExportError) as raised:
            figures(agreement, path, jobs=jobs, share=share)
        assert raised.value.message.startswith(
            f"{path}:32:2: created_at '0001-01-01T00:00:00Z' is not a date and time from 1900")


def test_money_adds_up_the_same_in_any_grouping(tmp_path: Path, agreement: Path) -> None:
    customer = "2026-10-06T09:30:00+02:00"
    rows = [lead_row(number).replace(",,", f",{customer},{amount}")
            for number, amount in enumerate(["100000000000000"] + ["0.07"] * 9)]
    path = tmp_path / "money.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    agreement_ = check_file(agreement, dt.date(2026, 10, 1)).agreement
    assert agreement_ is not None
    totals = set()
    for jobs, share in ((1, 0.5), (2, 0.2), (2, 0.5), (2, 0.8)):
        tally = tally_export(new_tally(agreement_, dt.date(2026, 10, 1), AS_OF), path,
                             column_map("canonical"), "Europe/Rome", jobs=jobs, share=share)
        totals.add(tally.total_revenue)
    assert totals == {Decimal("100000000000000.63")}  # floats say …000.62


@pytest.mark.parametrize("flaw", ["open quote", "text after a quote", "header again", "nul"])
def test_a_broken_file_is_the_same_error_wherever_the_file_is_split(
        tmp_path: Path, agreement: Path, flaw: str) -> None:
    leads = synthetic_export(tmp_path, leads=600)
    lines = leads.read_text("utf-8").splitlines()
    at = {"open quote": len(lines) - 3, "text after a quote": 40, "header again": 300,
          "nul": 450}[flaw]
    cells = lines[at].split(",")
    if flaw == "open quote":
        cells[5] = '"ann'
    elif flaw == "text after a quote":
        cells[5] = '"ann" b'
    elif flaw == "nul":
        cells[5] = "a\0nn"
    lines[at] = lines[0] if flaw == "header again" else ",".join(cells)
    leads.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(ExportError) as raised:
        figures(agreement, leads, jobs=1)
    alone = raised.value.message
    assert alone.startswith(f"{leads}:{at + 1}:"), alone
    for share in SHARES:
        with pytest.raises(ExportError) as raised:
            figures(agreement, leads, jobs=2, share=share)
        assert raised.value.message == alone, share
    assert multiprocessing.active_children() == []

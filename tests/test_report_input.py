"""Careless and hostile exports: what breaks the file is an error at its line and cell,
what is wrong in one row leaves that row out and says so; nothing is folded in silently."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from sla_docs.errors import UsageError
from sla_docs.reports.exports import ExportError
from sla_docs.reports.report import period_start, report
from tests.conftest import replace_once, run_sla

HEADER = ("lead_id,created_at,source,tier,handed_off_at,owner,first_attempt_at,attempts,"
          "connected,stage,customer_at,deal_amount")
T1, T2 = "2026-10-05T09:30:00+02:00", "2026-10-05T10:00:00+02:00"


def lead_row(number: int, owner: str = "ann", attempts: str = "1",
             connected: str = "false", amount: str = "") -> str:
    customer = "2026-10-06T09:00:00+02:00" if amount else ""
    return (f"L{number},{T1},marketing,a,{T1},{owner},{T2},{attempts},{connected},mql,"
            f"{customer},{amount}")


@pytest.fixture
def agreement(tmp_path: Path, minimal_text: str) -> Path:
    path = tmp_path / "minimal.yaml"
    path.write_text(replace_once(minimal_text, "  calendar:\n    days: business\n",
                                 "  calendar:\n    days: business\n    time_zone: Europe/Rome\n"),
                    "utf-8")
    return path


def export(tmp_path: Path, rows: list[str], header: str = HEADER,
           name: str = "leads.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    return path


def figures(agreement: Path, leads: Path, tmp_path: Path, out: str = "out",
            **options: object) -> dict[str, object]:
    (written,) = report(agreement, leads, "2026-10", formats=("json",), out=tmp_path / out,
                        today=dt.date(2026, 10, 1), jobs=1, **options)  # type: ignore[arg-type]
    data: dict[str, object] = json.loads(written.read_text("utf-8"))
    return data


def refusal(agreement: Path, leads: Path, tmp_path: Path, **options: object) -> str:
    with pytest.raises(ExportError) as raised:
        figures(agreement, leads, tmp_path, "refused", **options)
    assert not (tmp_path / "refused").exists()  # nothing written
    return str(raised.value.message)


def test_an_unterminated_quote_is_an_error_at_its_cell_not_one_long_owner(
        tmp_path: Path, agreement: Path) -> None:
    rows = [lead_row(n) for n in range(6)]
    rows[2] = lead_row(2, owner='"Rossi, Anna')
    path = export(tmp_path, rows)
    assert refusal(agreement, path, tmp_path).startswith(
        f"{path}:4:6: a quote opened in cell 6 is not closed: the lines after it would be "
        "read as that one cell")
    rows[2] = lead_row(2, owner='"Rossi" Anna')  # text after the closing quote
    assert refusal(agreement, export(tmp_path, rows), tmp_path).startswith(
        f"{path}:4:6: cell 6 goes on after its closing quote")
    rows[2] = lead_row(2, owner='"Rossi ""the elder"", Anna"')  # written as CSV writes it
    data = figures(agreement, export(tmp_path, rows), tmp_path)
    assert {"owner": "Rossi \"the elder\", Anna", "leads": 1, "within_limit": 1,
            "late": 0} in data["reps"]  # type: ignore[operator]


def test_a_quote_open_across_lines_is_placed_where_it_opens(tmp_path: Path,
                                                             agreement: Path) -> None:
    rows = [lead_row(0), lead_row(1, owner='"two\nlines"'), lead_row(2, owner='"three\nlines')]
    path = export(tmp_path, rows)
    assert refusal(agreement, path, tmp_path).startswith(f"{path}:5:6: a quote opened in cell 6")
    huge = export(tmp_path, [lead_row(0, owner='"' + "x\n" * 70000)], name="huge.csv")
    assert refusal(agreement, huge, tmp_path).startswith(
        f"{huge}:2:6: a quote opened in cell 6 is not closed within 131072 characters")


def test_a_column_named_twice_and_a_header_repeated_are_errors(
        tmp_path: Path, agreement: Path) -> None:
    path = export(tmp_path, [lead_row(0) + ",x"], header=HEADER + ",owner")
    assert refusal(agreement, path, tmp_path) == (
        f"{path}:1:13: the header names column 'owner' twice (cells 6 and 13); keep one")
    notes = export(tmp_path, [lead_row(0) + ",a,b"], header=HEADER + ",notes,notes")
    assert figures(agreement, notes, tmp_path)["leads_delivered"] == 1  # a column not read
    joined = export(tmp_path, [lead_row(0), HEADER, lead_row(1)])
    assert refusal(agreement, joined, tmp_path) == (
        f"{joined}:3:1: the header again, in the middle of the export (two exports joined "
        "into one?); remove this line")


def test_a_nul_byte_is_an_error_at_its_place(tmp_path: Path, agreement: Path) -> None:
    path = export(tmp_path, [lead_row(0), lead_row(1, owner="a\0b")])
    assert refusal(agreement, path, tmp_path).startswith(
        f"{path}:3:69: a NUL byte: this is not a text export")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes((HEADER + "\n" + lead_row(0) + "\n").encode("utf-16-le"))
    assert refusal(agreement, utf16, tmp_path).startswith(f"{utf16}:1:2: a NUL byte")


def test_flawed_rows_are_left_out_named_and_counted(tmp_path: Path, agreement: Path) -> None:
    rows = [lead_row(0), lead_row(1, attempts="-5"), lead_row(2, attempts="2.5"),
            lead_row(3, attempts="1000000"), lead_row(4, attempts="1e999999999"),
            lead_row(5, attempts="three"), lead_row(6, connected="maybe"),
            ",".join(lead_row(7).split(",")[:6]),      # short
            lead_row(8) + ",Rossi",                     # long: an unquoted comma
            lead_row(9, attempts="1000", connected="sì"), lead_row(10, connected=""),
            lead_row(11, attempts="3.0", connected="No"),
            ",,,,,,,,,,,", "",                          # a spreadsheet's empty rows
            ",".join(lead_row(12).split(",")[1:]),      # short: its id is what is there
            ",".join(["", *lead_row(13).split(",")[1:-1]])]  # no id to name
    data = figures(agreement, export(tmp_path, rows), tmp_path)
    assert data["leads_delivered"] == 4  # L0, L9, L10, L11
    assert data["avg_attempts_unconnected"] == 1.67  # (1 + 1 + 3) / 3: L9 is connected
    assert data["data_quality"] == {
        "first attempt before handoff": 0, "handed off twice": 0,
        "time after the report date": 0, "row with fewer cells than the header": 3,
        "row with more cells than the header": 1, "attempts not a count from 0 to 1000": 5,
        "connected neither yes nor no": 1, "assignment before the handoff (its time not used)": 0,
        "assignment after the first attempt (its time not used)": 0}
    assert data["rows_left_out"] == 10
    (page,) = report(agreement, export(tmp_path, rows), "2026-10", formats=("md",),
                     out=tmp_path / "md", today=dt.date(2026, 10, 1), jobs=1)
    text = page.read_text("utf-8")
    assert "- rows left out of the figures: 10\n" in text
    assert "- attempts not a count from 0\xa0to 1000: 5 (L1, row 3; L2, row 4; L3, row 5; " \
        "L4, row 6; L5, row 7)" in text
    assert "- row with fewer cells than the header: 3 (L7, row 9; " \
        f"{T1}, row 16; —, row 17)" in text


def test_amounts_in_another_form_or_absurd_are_errors(tmp_path: Path, agreement: Path) -> None:
    ok = figures(agreement, export(tmp_path, [lead_row(0, amount='"1,234.50"')]), tmp_path)
    assert ok["next_period"]["average_deal_size"] == 1234.5  # type: ignore[index]
    for amount in ("1.234,50", "1e400", "12,34", "NaN", "-5", "1e999999999", "1e-60", "0.001",
                   "+5", "5_000", "\u0661\u0662\u0663"):  # " 5": cells are trimmed
        path = export(tmp_path, [lead_row(0), lead_row(1, amount=f'"{amount}"')])
        assert refusal(agreement, path, tmp_path).startswith(
            f"{path}:3:12: deal_amount {amount!r} is not an amount from 0.01 to below "
            "1,000,000,000,000,000, or 0"), amount
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id,lead_id,closed_at,amount,source\n"
                     "D1,L0,2026-10-20T12:00:00+02:00,100.00,marketing,oops\n", "utf-8")
    assert refusal(agreement, export(tmp_path, [lead_row(0)]), tmp_path, deals=deals) == (
        f"{deals}:2:6: this row has 6 cells, the header 5: a comma too many or too few, or a "
        "line break in a cell without quotes")


def test_amounts_that_add_up_past_any_quota_are_an_error(tmp_path: Path, agreement: Path) -> None:
    """Each amount below the limit, their sum above it (amounts in cents, or one export
    pasted twice): a message naming the export, not an internal error."""
    big = '"900000000000000"'
    path = export(tmp_path, [lead_row(0, amount=big), lead_row(1, amount=big)])
    assert refusal(agreement, path, tmp_path) == (
        f"{path}: the period's deals add up to 1,800,000,000,000,000, more than "
        "1,000,000,000,000,000: are the amounts in another unit (cents), or the same deals "
        "in it more than once?")


@pytest.mark.parametrize("period", ["9999-12", "0000-01", "2026-13", "2026-00", "99999-01",
                                    "1-01", "1899-12", "2026-1", "October"])
def test_a_period_out_of_range_is_a_usage_error(period: str) -> None:
    with pytest.raises(UsageError, match=r"--period .*: a month from 1900-01 to 8999-12"):
        period_start(period)


def test_the_report_command_refuses_a_period_a_device_and_a_pipe(
        tmp_path: Path, agreement: Path) -> None:
    leads = export(tmp_path, [lead_row(0)])
    done = run_sla("report", str(agreement), "--leads", str(leads), "--period", "9999-12")
    assert done.returncode == 2 and "--period '9999-12'" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_sla("report", str(agreement), "--leads", "/dev/zero", "--period", "2026-10",
                   "--today", "2026-10-01")
    assert done.returncode == 1, done.stderr
    assert done.stderr == "/dev/zero: cannot be read (it is a device, not a file)\n"
    pipe = tmp_path / "leads.pipe"
    os.mkfifo(pipe)
    done = run_sla("report", str(agreement), "--leads", str(leads), "--columns", str(pipe),
                   "--period", "2026-10", "--today", "2026-10-01")
    assert done.returncode == 1
    assert done.stderr == (f"{pipe}:1:1: error SLA009: cannot read: it is a named pipe "
                           "(FIFO), not a file\n")


def test_owner_names_stay_text_in_the_charts(tmp_path: Path, agreement: Path) -> None:
    owners = [r"$\undefinedmacro$", "$x^2$", r"\$", "$", "李", "<b>&amp;</b>", "y" * 500,
              "y" * 400]  # two long names that shorten alike: two bars
    rows = [lead_row(n, owner=owner) for n, owner in enumerate(owners)]
    (page,) = report(agreement, export(tmp_path, rows), "2026-10", formats=("html",),
                     out=tmp_path / "out", today=dt.date(2026, 10, 1), jobs=1)
    html = page.read_text("utf-8")
    for owner in (r"$\undefinedmacro$", "$x^2$", r"\$"):
        assert f">{owner}</text>" in html, owner  # as typed, in the SVG
    assert "<b>&amp;</b>" not in html
    assert html.count(">" + "y" * 31 + "…</text>") == 4  # two bars in each of two charts


def test_a_columns_file_naming_an_unknown_column_is_located(tmp_path: Path,
                                                             agreement: Path) -> None:
    columns = tmp_path / "columns.yaml"
    columns.write_text('owner: "Rep"\nleadid: "Record ID"\n', "utf-8")
    assert refusal(agreement, export(tmp_path, [lead_row(0)]), tmp_path,
                   columns=columns) == (f"{columns}:2:1: 'leadid' is not a column a report "
                                        "reads (did you mean 'lead_id'?)")

"""Whatever bytes a CRM export holds, `sla report` gives figures or a located error: never
an unexpected exception, and the same answer from one reader as from two."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_docs.check.validate import ValidAgreement, check_file, require_valid
from sla_docs.errors import SlaError
from sla_docs.reports import tally as tally_module
from sla_docs.reports.attainment import attainment, new_tally, take_deals
from sla_docs.reports.crm import column_map
from sla_docs.reports.deals import read_deals
from sla_docs.reports.exports import ExportError
from sla_docs.reports.report import as_json, render_report, report
from tests.conftest import FIXTURES, replace_once

HEADER = ["lead_id", "created_at", "source", "tier", "handed_off_at", "owner",
          "first_attempt_at", "attempts", "connected", "stage", "customer_at", "deal_amount"]
ROWS = [
    ["L1", "2026-10-05T09:00:00+02:00", "marketing", "a", "2026-10-05T10:00:00+02:00", "anna",
     "2026-10-05T10:30:00+02:00", "1", "true", "customer", "2026-10-20T12:00:00+02:00", "150"],
    ["L2", "2026-10-09T17:00:00+02:00", "marketing", "b", "2026-10-09T17:30:00+02:00",
     "bruno", "2026-10-13T09:45:00+02:00", "3", "false", "mql", "", ""],
    ["L3", "2026-10-23T16:00:00+02:00", "sales", "a", "2026-10-23T17:00:00+02:00", "anna",
     "", "0", "no", "recycled", "", ""],
    ["L1", "2026-10-05T09:00:00+02:00", "marketing", "c", "2026-10-08T10:00:00+02:00",
     "carla", "2026-10-08T09:30:00+02:00", "2", "yes", "sql", "", ""],
]
AS_OF = dt.datetime(2026, 10, 30, 18, 0)
HOSTILE_CELLS = [
    "", " ", '"', '""', ",", "\n", "\r", "\r\n", "\0", "\ufeff", "-5", "2.5", "1e999999999",
    "99999999999999999999999", "NaN", "-Infinity", "1.234,50", "1,234.50", "maybe", "sì",
    "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "2026-02-30T10:00:00Z",
    "2026-10-05", "2026-10-05T25:00:00", "8999-12-31T23:59:59-12:00", "1900-01-01T00:00:00",
    r"$\undefinedmacro$", "$x^2$", "![x](http://example.com/x.png)", "<script>x</script>",
    "`", "[a]: http://example.com", "李", "\u202e", "lead_id", "x" * 300,
]


@pytest.fixture(scope="module")
def agreement(tmp_path_factory: pytest.TempPathFactory) -> ValidAgreement:
    folder = tmp_path_factory.mktemp("agreement")
    path = folder / "minimal.yaml"
    path.write_text(replace_once((FIXTURES / "minimal.yaml").read_text("utf-8"),
                                 "  calendar:\n    days: business\n",
                                 "  calendar:\n    days: business\n"
                                 "    time_zone: Europe/Rome\n"), "utf-8")
    return require_valid(check_file(path, dt.date(2026, 10, 1)))


def csv_text(table: list[list[str]]) -> str:
    """The table written as a CRM would, quoting a cell only when it must."""
    def cell(value: str) -> str:
        if any(c in value for c in ',"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(",".join(map(cell, row)) + "\n" for row in table)


@st.composite
def exports(draw: st.DrawFn) -> bytes:
    """A small export, its table mutated (cells, columns, rows), then its bytes."""
    header, rows = list(HEADER), [list(row) for row in ROWS]
    table = [header, *rows]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["cell", "drop column", "duplicate column", "drop cell",
                                     "extra cell", "duplicate row", "header row"]))
        row = draw(st.integers(0, len(table) - 1))
        column = draw(st.integers(0, len(HEADER) - 1))
        if kind == "cell" and column < len(table[row]):
            table[row][column] = draw(st.sampled_from(HOSTILE_CELLS) | st.text(max_size=12))
        elif kind == "drop column":
            table = [r[:column] + r[column + 1:] for r in table]
        elif kind == "duplicate column":
            table = [r + r[column:column + 1] for r in table]
        elif kind == "drop cell" and table[row]:
            table[row].pop()
        elif kind == "extra cell":
            table[row].append(draw(st.sampled_from(HOSTILE_CELLS)))
        elif kind == "duplicate row":
            table.insert(row, list(table[row]))
        elif kind == "header row":
            table.insert(max(row, 1), list(HEADER))
    data = bytearray(csv_text(table).encode("utf-8"))
    for _ in range(draw(st.integers(0, 3))):  # then the bytes themselves
        at = draw(st.integers(0, len(data)))
        piece = draw(st.sampled_from([b'"', b",", b"\n", b"\r", b"\0", b"\xff", b"\xc3",
                                      b"\xef\xbb\xbf"]) | st.binary(min_size=1, max_size=4))
        if draw(st.booleans()) and at < len(data):
            data[at:at + len(piece)] = piece
        else:
            data[at:at] = piece
    return bytes(data)


def outcome(agreement: ValidAgreement, leads: Path, jobs: int, share: float,
            deals: Path | None = None) -> tuple[str, ...]:
    """What `sla report` makes of the export, as text: its JSON and Markdown, or the
    error's message, which must name the file."""
    whole = agreement.agreement
    try:
        tally = tally_export(whole, leads, jobs, share, deals)
        found = attainment(tally, whole)
        return as_json(found), render_report(found, whole, "en", "md")
    except SlaError as error:
        assert str(error.message).startswith(str(leads) if deals is None else str(deals.parent))
        return ("error", str(error.message))


def tally_export(whole: object, leads: Path, jobs: int, share: float,
                 deals: Path | None) -> tally_module.Tally:
    from sla_docs.model.agreement import Agreement  # only for the type of ``whole``

    assert isinstance(whole, Agreement)
    zone = whole.inputs.calendar.time_zone
    tally = tally_module.tally_export(
        new_tally(whole, dt.date(2026, 10, 1), AS_OF.replace(tzinfo=dt.UTC),
                  keep_ids=deals is not None),
        leads, column_map("canonical"), zone, jobs=jobs, share=share)
    if deals is not None:
        take_deals(tally, read_deals(deals, zone))
    return tally


@settings(max_examples=120, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=exports())
def test_any_export_gives_figures_or_a_located_error(
        agreement: ValidAgreement, tmp_path: Path, data: bytes) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_bytes(data)
    outcome(agreement, leads, jobs=1, share=0.5)


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=exports(), share=st.floats(0.05, 0.95))
def test_two_readers_give_one_readers_answer_for_any_export(
        agreement: ValidAgreement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        data: bytes, share: float) -> None:
    monkeypatch.setattr(tally_module, "SPLIT_FROM", 0)
    leads = tmp_path / "leads.csv"
    leads.write_bytes(data)
    assert outcome(agreement, leads, jobs=2, share=share) == \
        outcome(agreement, leads, jobs=1, share=share)
    assert multiprocessing.active_children() == []


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=exports())
def test_any_deals_export_gives_figures_or_a_located_error(
        agreement: ValidAgreement, tmp_path: Path, data: bytes) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(csv_text([HEADER, *ROWS]), "utf-8")
    deals = tmp_path / "deals.csv"
    text = data.replace(b"lead_id,created_at,source,tier,handed_off_at",
                        b"deal_id,lead_id,closed_at,amount,source", 1)
    deals.write_bytes(text)
    outcome(agreement, leads, jobs=1, share=0.5, deals=deals)


@settings(max_examples=2, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(owners=st.lists(st.sampled_from(HOSTILE_CELLS[17:]) | st.text(min_size=1, max_size=8),
                       min_size=1, max_size=3))
def test_hostile_owner_names_print_in_every_format(
        agreement: ValidAgreement, tmp_path: Path, owners: list[str]) -> None:
    rows = [[*row[:5], owner, *row[6:]] for row, owner in zip(ROWS, owners, strict=False)]
    leads = tmp_path / "leads.csv"
    leads.write_text(csv_text([HEADER, *rows]), "utf-8")
    try:
        written = report(Path(agreement.source.path), leads, "2026-10", as_of=AS_OF,
                         formats=("md", "html", "pdf", "json"), out=tmp_path / "out",
                         today=dt.date(2026, 10, 1), jobs=1)
    except ExportError as error:  # a NUL or a lone surrogate in a name: refused, located
        assert error.message.startswith(str(leads))
        return
    assert [path.suffix for path in written] == [".md", ".html", ".pdf", ".json"]

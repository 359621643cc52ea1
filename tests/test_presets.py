"""The CRM presets against header lines as HubSpot and Salesforce write them
(`tests/data/exports/`): by label, by internal name, in other casing and spacing, with a
byte order mark; each reads the same leads as the canonical export. Then what must not
match (an invisible or look-alike character), two headers for one column, a column the
preset expects and the export lacks, and a date without a time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from sla_docs.reports.crm import column_map, read_leads
from sla_docs.reports.exports import ExportError, column_names
from sla_docs.reports.report import report
from tests.conftest import replace_once, rome_agreement, run_sla

EXPORTS = Path(__file__).parent / "data" / "exports"
ZONE = "Europe/Rome"
# each sample header's cells, in order, as the canonical columns they hold (None: a column
# the report does not read), written by hand from the vendors' documented fields
HUBSPOT = ("lead_id", None, None, None, "owner", "created_at", "stage", "source", "tier",
           "handed_off_at", "assigned_at", "first_attempt_at", "attempts", "connected",
           "customer_at", "deal_amount")
SALESFORCE = ("lead_id", None, None, None, "owner", "created_at", "source", "tier", "stage",
              "handed_off_at", "first_attempt_at", "attempts", "connected", "customer_at",
              "deal_amount")
SAMPLES = {"hubspot-labels.csv": ("hubspot", HUBSPOT),
           "hubspot-internal-names.csv": ("hubspot", HUBSPOT),
           "hubspot-other-casing.csv": ("hubspot", HUBSPOT),
           "salesforce-labels.csv": ("salesforce", SALESFORCE),
           "salesforce-api-names.csv": ("salesforce", SALESFORCE)}
# what Original Source and Lead Source say for Marketing's lead and for Sales' own
SOURCES = {"hubspot-labels.csv": ("Paid Search", "Offline Sources"),
           "hubspot-internal-names.csv": ("PAID_SEARCH", "OFFLINE"),
           "hubspot-other-casing.csv": ("Organic Search", "Offline Sources"),
           "salesforce-labels.csv": ("Web", "Phone Inquiry"),
           "salesforce-api-names.csv": ("Purchased List", "Partner Referral")}
LEADS = [  # canonical cells; a customer's date written without a time, as Salesforce does
    {"lead_id": "L1", "created_at": "2026-10-05T09:00:00+02:00", "source": "marketing",
     "tier": "a", "handed_off_at": "2026-10-05T10:00:00+02:00", "owner": "anna",
     "first_attempt_at": "2026-10-05T11:00:00+02:00", "attempts": "1", "connected": "true",
     "stage": "customer", "customer_at": "2026-10-20", "deal_amount": "150.00",
     "assigned_at": "2026-10-05T10:40:00+02:00"},
    {"lead_id": "L2", "created_at": "2026-10-09T17:00:00+02:00", "source": "marketing",
     "tier": "b", "handed_off_at": "2026-10-09T17:30:00+02:00", "owner": "bruno",
     "first_attempt_at": "2026-10-13T10:30:00+02:00", "attempts": "3", "connected": "false",
     "stage": "mql", "customer_at": "", "deal_amount": "",
     "assigned_at": "2026-10-13T09:15:00+02:00"},
    {"lead_id": "L3", "created_at": "2026-10-06T09:00:00+02:00", "source": "sales",
     "tier": "a", "handed_off_at": "2026-10-06T09:10:00+02:00", "owner": "anna",
     "first_attempt_at": "2026-10-06T09:20:00+02:00", "attempts": "1", "connected": "true",
     "stage": "sql", "customer_at": "2026-10-31", "deal_amount": "1,200.50",
     "assigned_at": ""},
]


@pytest.fixture
def agreement(tmp_path: Path, minimal_text: str) -> Path:
    return rome_agreement(tmp_path, minimal_text)


def cell(value: str) -> str:
    return f'"{value}"' if "," in value else value


def sample_export(tmp_path: Path, sample: str) -> Path:
    """The sample's own header line, as the vendor writes it, then :data:`LEADS` under it."""
    layout = SAMPLES[sample][1]
    marketing, sales = SOURCES[sample]
    header = (EXPORTS / sample).read_bytes()
    rows = []
    for lead in LEADS:
        source = marketing if lead["source"] == "marketing" else sales
        rows.append(",".join(cell(source if name == "source" else lead[name] if name else "x")
                             for name in layout))
    path = tmp_path / sample
    path.write_bytes(header + ("\r\n".join(rows) + "\r\n").encode("utf-8"))
    return path


def canonical_export(tmp_path: Path, names: tuple[str, ...]) -> Path:
    path = tmp_path / "canonical.csv"
    path.write_text("\n".join([",".join(names), *(",".join(cell(lead[n]) for n in names)
                                                  for lead in LEADS)]) + "\n", "utf-8")
    return path


def leads(path: Path, preset: str) -> list[tuple[object, ...]]:
    return [dataclasses.astuple(lead) for lead in read_leads(path, column_map(preset), ZONE)]


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_each_sample_reads_the_same_leads_as_the_canonical_export(tmp_path: Path,
                                                                    sample: str) -> None:
    preset, layout = SAMPLES[sample]
    names = tuple(name for name in column_map("canonical") if name in layout)
    assert leads(sample_export(tmp_path, sample), preset) == \
        leads(canonical_export(tmp_path, names), "canonical")
    found = list(read_leads(sample_export(tmp_path, sample), column_map(preset), ZONE))
    assert [lead.marketing for lead in found] == [True, True, False]  # Sales' own last
    assert [lead.assigned_at is not None for lead in found] == (
        [True, True, False] if "assigned_at" in layout else [False] * 3)


def test_a_hubspot_export_in_other_casing_makes_the_canonical_report(
        tmp_path: Path, agreement: Path) -> None:
    """The bar: headers in other casing, spacing (a no-break space, a doubled space, one
    before and after), behind a byte order mark, give the canonical report, to the byte."""
    assert (EXPORTS / "hubspot-other-casing.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "First\u00a0Outreach Date" in column_names(EXPORTS / "hubspot-other-casing.csv")
    warned: list[str] = []
    (hubspot,) = report(agreement, sample_export(tmp_path, "hubspot-other-casing.csv"),
                        "2026-10", as_of=dt.datetime(2026, 10, 30, 11, 30), formats=("json",),
                        out=tmp_path / "h", preset="hubspot", today=dt.date(2026, 10, 1),
                        warn=warned.append)
    (canonical,) = report(agreement, canonical_export(tmp_path, tuple(column_map("canonical"))),
                          "2026-10", as_of=dt.datetime(2026, 10, 30, 11, 30),
                          formats=("json",), out=tmp_path / "c", today=dt.date(2026, 10, 1))
    assert warned == []
    assert hubspot.read_bytes() == canonical.read_bytes()
    data = json.loads(hubspot.read_text("utf-8"))
    assert data["leads_delivered"] == 2 and data["median_routing_hours"] is not None


def header_file(tmp_path: Path, header: str, rows: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "leads.csv"
    path.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    return path


def test_a_label_and_its_internal_name_both_present_are_one_column_twice(
        tmp_path: Path) -> None:
    base = "Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date"
    path = header_file(tmp_path, base + ",First outreach date,Email,hs_first_outreach_date")
    with pytest.raises(ExportError) as raised:
        list(read_leads(path, column_map("hubspot"), ZONE))
    assert raised.value.message == (
        f"{path}:1:7: two columns of the header are first_attempt_at: 'First outreach date' "
        "(cell 5) and 'hs_first_outreach_date' (cell 7); keep one")
    collapsed = header_file(tmp_path, base + ",First  Outreach Date,first outreach date")
    with pytest.raises(ExportError, match=r":1:6: two columns of the header are "
                                          r"first_attempt_at: 'First  Outreach Date' \(cell 5\)"):
        list(read_leads(collapsed, column_map("hubspot"), ZONE))
    # two headers alike that the report does not read are no one's business
    unread = header_file(tmp_path, base + ",Email,EMAIL")
    assert list(read_leads(unread, column_map("hubspot"), ZONE)) == []


def test_an_invisible_or_look_alike_character_is_another_header(tmp_path: Path) -> None:
    base = "Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date"
    for odd, named in (("First\u200boutreach date", "U+200B ZERO WIDTH SPACE"),
                       ("First outre\u0430ch date", "U+0430 CYRILLIC SMALL LETTER A")):
        path = header_file(tmp_path, f"{base},{odd}",
                           ("1,2026-10-05T09:00:00Z,Paid Search,2026-10-05T10:00:00Z,"
                            "2026-10-05T10:30:00Z",))
        (lead,) = read_leads(path, column_map("hubspot"), ZONE)
        assert lead.first_attempt_at is None  # not read as the first outreach
        from sla_docs.reports.headers import missing_columns
        warning = next(w for w in missing_columns(path, column_map("hubspot"))
                       if "first_attempt_at" in w)
        assert warning.startswith(f"{path}:1: warning: no column 'First outreach date' or "
                                  "'hs_first_outreach_date' (first_attempt_at): the speed "
                                  "section counts every lead as not attempted yet")
        assert warning.endswith(f"; the nearest header is {odd!r} ({named})")
    required = header_file(tmp_path, "Record\u200b ID,Create Date,Original Source,"
                                     "Became a Marketing Qualified Lead Date")
    with pytest.raises(ExportError) as raised:
        list(read_leads(required, column_map("hubspot"), ZONE))
    assert raised.value.message.startswith(f"{required}:1:1: missing column lead_id "
                                           "('Record ID'); the header has Record")
    assert raised.value.message.endswith(
        "; the nearest header is 'Record\\u200b ID' (U+200B ZERO WIDTH SPACE)")


def test_a_column_the_preset_expects_is_named_on_stderr_with_what_it_switches_off(
        tmp_path: Path, agreement: Path) -> None:
    """Today's case: the first outreach's header in other casing was a silent loss."""
    header = ("Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date,"
              "Contact owner,First outreach date,Number of times contacted,Connected,"
              "Lifecycle Stage,Became a Customer Date,Recent Deal Amount")
    path = header_file(tmp_path, header, ("L1,2026-10-05T09:00:00+02:00,Paid Search,"
                                          "2026-10-05T10:00:00+02:00,anna,"
                                          "2026-10-05T10:30:00+02:00,1,yes,mql,,",))
    out = tmp_path / "out"
    done = run_sla("report", str(agreement), "--leads", str(path), "--preset", "hubspot",
                   "--period", "2026-10", "--as-of", "2026-10-30T11:30", "--format", "json",
                   "-o", str(out))
    assert done.returncode == 0, done.stderr
    # the tier is a custom property: named; the owner-assigned date is optional: not named
    assert done.stderr == (f"{path}:1: warning: no column 'Lead Tier' or 'lead_tier' (tier): "
                           "the leads' tiers are not known\n")
    assert json.loads((out / "minimal.report-2026-10.en.json").read_text())[
        "median_first_attempt_hours"] == 0.5
    lower = header_file(tmp_path, header.lower() + ",lead tier",
                        ("L1,2026-10-05T09:00:00+02:00,Paid Search,2026-10-05T10:00:00+02:00,"
                         "anna,2026-10-05T10:30:00+02:00,1,yes,mql,,,a",))
    done = run_sla("report", str(agreement), "--leads", str(lower), "--preset", "hubspot",
                   "--period", "2026-10", "--as-of", "2026-10-30T11:30", "--format", "json",
                   "-o", str(out))
    assert done.returncode == 0 and done.stderr == ""
    assert json.loads((out / "minimal.report-2026-10.en.json").read_text())[
        "median_first_attempt_hours"] == 0.5  # the speed section is on


@pytest.mark.parametrize("zone", ["Pacific/Pago_Pago", "Europe/Rome", "Pacific/Kiritimati"])
def test_a_date_without_a_time_is_that_day_in_the_agreements_zone(
        tmp_path: Path, minimal_text: str, zone: str) -> None:
    """Salesforce's ConvertedDate: the 31st counts in October and the 1st in November,
    from UTC−11 to UTC+14; and a customer of today counts in a report taken this morning."""
    agreement = tmp_path / "minimal.yaml"
    agreement.write_text(replace_once(minimal_text, "  calendar:\n    days: business\n",
                                      f"  calendar:\n    days: business\n    time_zone: {zone}\n"),
                         "utf-8")
    header = ("Lead ID,Created Date,Lead Source,MQL Date,Converted Date,Opportunity Amount")
    rows = ("A,2026-10-01,Web,2026-10-01,2026-10-31 ,100",  # a trailing space, as typed
            "B,2026-10-01,Web,2026-10-01,2026-11-01,1000")
    path = header_file(tmp_path, header, rows)
    (written,) = report(agreement, path, "2026-10", as_of=dt.datetime(2026, 10, 31, 8, 0),
                        formats=("json",), out=tmp_path / "out", preset="salesforce",
                        today=dt.date(2026, 10, 1))
    data = json.loads(written.read_text("utf-8"))
    assert data["rows_left_out"] == 1  # B: converted after the report's moment
    assert data["next_period"]["average_deal_size"] == 100  # A only, on its own day
    impossible = header_file(tmp_path, header, ("A,2026-10-01,Web,2026-10-01,2026-02-30,1",))
    with pytest.raises(ExportError) as raised:
        report(agreement, impossible, "2026-10", formats=("json",), out=tmp_path / "out",
               preset="salesforce", today=dt.date(2026, 10, 1))
    assert raised.value.message == (f"{impossible}:2:5: customer_at '2026-02-30' is not a date "
                                    "and time from 1900 to 8999 (2026-10-05T09:30:00+02:00)")


def test_a_deals_export_matches_its_headers_the_same_way(tmp_path: Path) -> None:
    from sla_docs.reports.deals import read_deals

    path = tmp_path / "deals.csv"
    path.write_text("\ufeffDEAL_ID, Lead_ID ,Closed_At,AMOUNT,Source\n"
                    "D1,L1,2026-10-20,1500.00,marketing\n", "utf-8")
    (deal,) = read_deals(path, ZONE)
    assert (deal.lead_id, deal.amount, deal.source) == ("L1", 1500, "marketing")
    assert dt.datetime.fromtimestamp(deal.closed_at, dt.UTC) == dt.datetime(
        2026, 10, 19, 22, 0, tzinfo=dt.UTC)  # the 20th from its start in Rome
    twice = tmp_path / "twice.csv"
    twice.write_text("deal_id,lead_id,closed_at,amount,Amount\n", "utf-8")
    with pytest.raises(ExportError, match=r":1:5: the header names column|two columns"):
        list(read_deals(twice, ZONE))

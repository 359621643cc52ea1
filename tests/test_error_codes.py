"""The registry of diagnostic codes (``sla_docs.errors.CODES``) is complete and true.

Every code written anywhere in the package is registered, every registered code is
raised somewhere, README.md's table is the one the registry renders, and every code has
a case here: the smallest input that makes the tool report it, at its file:line:col,
with the registry's severity. Cases run in-process; one test runs the real command.

README.md's table is regenerated with::

    SLA_WRITE_README=1 python3 -m pytest -q tests/test_error_codes.py -k readme
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sla_docs.check.validate import check_file, validate_paths
from sla_docs.errors import CODES, Code, Diagnostic, InvalidAgreement, Severity, codes_table
from sla_docs.source.load import MAX_SOURCE_BYTES
from sla_docs.targets.recalculation import load_actuals
from tests.conftest import ROOT, TODAY, check_text, position_of, replace_once, run_sla

PACKAGE = ROOT / "sla_docs"
README = ROOT / "README.md"
CODE = re.compile(r"SLA\d{3}")
TABLE_MARKER = "<!-- error codes:"
"""The README line right above the table; the table is the ``|`` lines that follow it."""
WRITE_README = "SLA_WRITE_README"

# --- the registry against the package's source ---------------------------------------


def package_files() -> list[Path]:
    """Every file of the package that a code could be written in."""
    return sorted(path for path in PACKAGE.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)


def written(files: list[Path]) -> dict[str, list[str]]:
    """Each ``SLA…`` written anywhere in ``files`` (code, docstring, comment), with where."""
    found: dict[str, list[str]] = {}
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for match in CODE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault(match.group(), []).append(f"{path.relative_to(ROOT)}:{line}")
    return found


def raised(files: list[Path]) -> set[str]:
    """The codes that are a whole string literal in Python code outside the registry."""
    found: set[str] = set()
    for path in files:
        if path.suffix != ".py" or path == PACKAGE / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and CODE.fullmatch(node.value):
                found.add(node.value)
    return found


def unregistered(found: dict[str, list[str]], registry: dict[str, Code]) -> dict[str, list[str]]:
    """The codes written in the package that the registry does not list."""
    return {code: places for code, places in sorted(found.items()) if code not in registry}


def dead(found: set[str], registry: dict[str, Code]) -> list[str]:
    """The registered codes that no code raises."""
    return sorted(set(registry) - found)


def test_every_code_written_in_the_package_is_registered() -> None:
    assert unregistered(written(package_files()), CODES) == {}, \
        "add these codes to CODES in sla_docs/errors.py"


def test_every_registered_code_is_raised_somewhere() -> None:
    assert dead(raised(package_files()), CODES) == [], \
        "no code raises these: remove them from CODES in sla_docs/errors.py"


def test_the_registry_checks_can_fail() -> None:
    """A bogus entry is dead, a missing one is unregistered."""
    files = package_files()
    bogus = {**CODES, "SLA999": Code(Severity.ERROR, "nothing")}
    assert dead(raised(files), bogus) == ["SLA999"]
    fewer = {code: entry for code, entry in CODES.items() if code != "SLA228"}
    assert list(unregistered(written(files), fewer)) == ["SLA228"]


def test_codes_are_ordered_and_meanings_fit_a_table_row() -> None:
    assert list(CODES) == sorted(CODES)
    assert all(CODE.fullmatch(code) for code in CODES)
    assert not [code for code, entry in CODES.items()
                if "|" in entry.meaning or "\n" in entry.meaning or not entry.meaning]


# --- README.md's table ---------------------------------------------------------------


def readme_table(text: str) -> tuple[int, int]:
    """The start and end offsets of the table that follows the marker line in ``text``."""
    assert text.count(TABLE_MARKER) == 1, f"README.md needs one line with {TABLE_MARKER!r}"
    start = text.index("\n", text.index(TABLE_MARKER)) + 1
    end = start
    while text.startswith("|", end):
        end = text.index("\n", end) + 1
    return start, end


def with_table(text: str, table: str) -> str:
    """``text`` with its table of codes replaced by ``table``."""
    start, end = readme_table(text)
    return text[:start] + table + text[end:]


def test_readme_table_is_generated_from_the_registry() -> None:
    text = README.read_text("utf-8")
    if os.environ.get(WRITE_README):
        README.write_text(with_table(text, codes_table()), "utf-8")
        text = README.read_text("utf-8")
    start, end = readme_table(text)
    assert text[start:end] == codes_table(), (
        "README.md's table of codes differs from CODES in sla_docs/errors.py; regenerate "
        f"it with: {WRITE_README}=1 python3 -m pytest -q tests/test_error_codes.py -k readme")


def test_the_readme_check_can_fail() -> None:
    """A row edited by hand no longer matches, and regenerating puts it back."""
    text = README.read_text("utf-8")
    edited = replace_once(text, "| SLA002 | error | duplicate key |", "| SLA002 | error | twice |")
    start, end = readme_table(edited)
    assert edited[start:end] != codes_table()
    assert with_table(edited, codes_table()) == with_table(text, codes_table())


# --- every code, produced --------------------------------------------------------------

Check = Callable[[Path, str | bytes], list[Diagnostic]]


def validate(tmp_path: Path, content: str | bytes) -> list[Diagnostic]:
    """What ``sla validate`` finds in ``content`` (in-process)."""
    return check_text(tmp_path, content).diagnostics


def unreadable(tmp_path: Path, content: str | bytes) -> list[Diagnostic]:
    """What ``sla validate`` finds when the agreement is a folder, which can't be read."""
    folder = tmp_path / "agreement.yaml"
    folder.mkdir()
    return check_file(folder, TODAY).diagnostics


def actuals(tmp_path: Path, content: str | bytes) -> list[Diagnostic]:
    """What ``sla targets --actuals`` finds in ``content``, an actuals file."""
    path = tmp_path / "agreement.yaml"
    path.write_text(str(content), "utf-8")
    with pytest.raises(InvalidAgreement) as invalid:
        load_actuals(path, str(path))
    return invalid.value.diagnostics


def gated(tmp_path: Path, content: str | bytes, base: str | None = None) -> list[Diagnostic]:
    """What ``sla validate --base HEAD`` finds when HEAD holds the minimal agreement (or
    ``base``)."""
    path = tmp_path / "agreement.yaml"
    path.write_text(base or MINIMAL, "utf-8")
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "1.0"]):
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=Rev Ops",
                        "-c", "user.email=revops@example.com", *command],
                       check=True, capture_output=True)
    path.write_text(str(content), "utf-8")
    [checked] = validate_paths([path], today=TODAY, base="HEAD").files
    return checked.diagnostics


def in_italian_too(text: str) -> str:
    """The minimal agreement with an Italian ``rewards:`` beside the English."""
    end = "    and the result is announced to the whole company.\n"
    return replace_once(replace_once(text, "languages: [en]", "languages: [en, it]"), end,
                        end + "  it: Quando entrambi i team raggiungono i propri obiettivi.\n")


def retranslated(tmp_path: Path, content: str | bytes) -> list[Diagnostic]:
    """What ``sla validate --base HEAD`` finds when HEAD has ``rewards:`` in Italian too."""
    return gated(tmp_path, content, in_italian_too(MINIMAL))


def broken_base(tmp_path: Path, content: str | bytes) -> list[Diagnostic]:
    """What ``sla validate --base HEAD`` finds when HEAD holds a YAML syntax error."""
    return gated(tmp_path, content, MINIMAL + "\n  bad: [\n")


def twins(tmp_path: Path, content: str | bytes) -> list[Diagnostic]:
    """What ``sla validate`` finds in ``content`` beside another file with the same id."""
    path, twin = tmp_path / "agreement.yaml", tmp_path / "twin" / "agreement.yaml"
    twin.parent.mkdir()
    for written_to in (path, twin):
        written_to.write_text(str(content), "utf-8")
    first, second = validate_paths([path, twin], today=TODAY).files
    assert str(path) in second.diagnostics[0].message  # each names the other
    return first.diagnostics


def termbased(tmp_path: Path, content: str | bytes) -> list[Diagnostic]:
    """What ``sla validate`` finds in ``content``, a ``terms.yaml`` beside the minimal
    agreement."""
    (tmp_path / "agreement.yaml").write_text(MINIMAL, "utf-8")
    (tmp_path / "terms.yaml").write_text(str(content), "utf-8")
    [termbase] = validate_paths([tmp_path], today=TODAY).termbases
    return termbase.diagnostics


@dataclass(frozen=True)
class Case:
    """The minimal agreement changed to produce one code, and where the code must point."""

    change: Callable[[str], str | bytes]
    needle: str | None
    """A unique piece of the changed text where the diagnostic starts; None for 1:1."""
    offset: int = 0
    check: Check = validate
    file: str = "agreement.yaml"
    """The file the diagnostic is in (``terms.yaml`` for a termbase's)."""


def swap(old: str, new: str) -> Callable[[str], str]:
    """A change replacing the single ``old`` with ``new``."""
    return lambda text: replace_once(text, old, new)


def swaps(*pairs: tuple[str, str]) -> Callable[[str], str]:
    """A change making each swap of ``pairs`` in turn."""

    def change(text: str) -> str:
        for old, new in pairs:
            text = replace_once(text, old, new)
        return text

    return change


def drop(start: str, end: str) -> Callable[[str], str]:
    """A change removing the text from ``start`` up to (not including) ``end``."""
    return lambda text: text[: text.index(start)] + text[text.index(end):]


def summary(words: str) -> Callable[[str], str]:
    """The summary with ``words`` as its first line."""
    first = "  en: >-\n    Marketing supplies"
    return swap(first, first.replace("    Marketing", f"    {words}\n    Marketing"))


MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text("utf-8")
TIERS = ("  tiers:\n    - {id: c-level, name: {en: C-level}, share: 20%, value_per_lead: 100}\n"
         "    - {id: director, name: {en: Director}, share: 50%, value_per_lead: 50}\n")
FUNNEL = ("  funnel:\n    lead_to_mql: 50%\n    mql_to_sql: 60%\n    sql_to_opportunity: 50%\n"
          "    opportunity_to_customer: 80%\n")
ACTUALS = ("month: 2026-12\nmarketing_leads: 120\nmarketing_customers: 400\n"
           "marketing_customer_revenue: 6000\nmarketing_revenue: 8000\ntotal_revenue: 10000\n")
SALES_TEAM = "  sales_team:\n"
TEAM_SIZE = "    reps: 2\n    selling_hours_per_rep: 120\n    minutes_per_attempt: 10\n"

CASES: dict[str, Case] = {
    "SLA001": Case(swap("currency: USD\n", "currency: [USD\n"), "\nparties:", 8),
    "SLA002": Case(swap("currency: USD\n", "currency: USD\ncurrency: EUR\n"), "currency: EUR"),
    "SLA003": Case(swap("review:\n  cadence:", "review:\n\tcadence:"), "\tcadence"),
    "SLA004": Case(lambda text: text.encode().replace(b"en: Service", b"en: S\xe9rvice"),
                   "\xe9rvice"),
    "SLA005": Case(lambda text: "# nothing but a comment\n", None),
    "SLA006": Case(lambda text: text + "#" * MAX_SOURCE_BYTES, None),
    "SLA007": Case(lambda text: "a: &a [1]\nb: *a\n" + text, "b: *a"),
    "SLA008": Case(lambda text: "- id: minimal\n", None),
    "SLA009": Case(lambda text: text, None, check=unreadable),
    "SLA101": Case(swap("\nrewards:\n", "\nreward:\n"), "\nreward:", 1),
    "SLA102": Case(swap("  over_days: 10\n  interval", "  interval"), "follow_up:"),
    "SLA103": Case(swap("  attempts: 6\n", "  attempts: [6]\n"), "[6]"),
    "SLA104": Case(swap("marketing_share: 100%", "marketing_share: 120%"), "120%"),
    "SLA105": Case(swap("cadence: quarterly\n  next", "cadence: quartely\n  next"), "quartely"),
    "SLA106": Case(swap("email: josh.rinaldi@acme.example", "email: josh"), "email: josh\n", 7),
    "SLA201": Case(swap("languages: [en]", "languages: [en, es]"), "\ntitle:", 1),
    "SLA202": Case(swap("  en: Service level", "  fr: Accord\n  en: Service level"), "fr: Accord"),
    "SLA203": Case(swap("id: speed\n    owner: sales", "id: speed\n    owner: finance"),
                   "finance"),
    "SLA204": Case(swap("to: dario-mensah", "to: dario"), "dario\n"),
    "SLA205": Case(drop("    mql:\n", "    sql:\n"), "  terms:", 2),
    "SLA206": Case(swap("to_track: reengage", "to_track: re-engage"),
                   "to_track: re-engage", 10),
    "SLA207": Case(swap("  - id: depth\n", "  - id: speed\n"), "speed\n    owner: sales\n"
                   "    name:\n      en: Contact"),
    "SLA208": Case(swap("kind: sales", "kind: customer_service"), "\nparties:", 1),
    "SLA209": Case(drop("  - id: amy\n", "\ninputs:"), "  - id: sales", 8),
    "SLA210": Case(swap("    unit: customers\n    period: month\n", "    unit: customers\n"),
                   "- id: customers", 2),
    "SLA211": Case(swap("sql: 75", "sql: 40"), "40"),
    "SLA212": Case(swap("interval: 1d", "interval: 3d"), "3d"),
    "SLA213": Case(swap("after_attempts: 6", "after_attempts: 3"), "3\n"),
    "SLA214": Case(swap(SALES_TEAM, TIERS + SALES_TEAM), "  tiers:", 2),
    "SLA215": Case(swap("marketing\n    to: sales\n    what:\n      en: Leads",
                        "marketing\n    to: marketing\n    what:\n      en: Leads"),
                   "marketing\n    what:\n      en: Leads"),
    "SLA216": Case(swap("[josh-rinaldi, amy-castillo]", "[josh-rinaldi, josh-rinaldi]"),
                   "referents:"),
    "SLA217": Case(swap("next_review: 2027-03-01", "next_review: 2026-11-30"), "2026-11-30"),
    "SLA218": Case(swap("languages: [en]\n", "languages: [en]\nsource_language: it\n"),
                   "source_language: it", 17),
    "SLA219": Case(swap("languages: [en]\n", "languages: [en]\nprevailing_language: fr\n"),
                   "prevailing_language: fr", 21),
    "SLA220": Case(swap(SALES_TEAM, FUNNEL + SALES_TEAM), "funnel:"),
    "SLA221": Case(swap("selling_hours_per_rep: 120", "selling_hours_per_rep: 40"),
                   "sales_team:"),
    "SLA222": Case(swap("target: 100\n", "target: targets.leeds\n"), "targets.leeds"),
    "SLA223": Case(swap("target: 100\n    unit: leads\n    period: month",
                        "target: targets.leads\n    unit: leads\n    period: quarter"),
                   "targets.leads"),
    "SLA224": Case(summary("{{ targets.leadz }}"), "{{ targets.leadz"),
    "SLA225": Case(summary("{{ targets.leads + 1 }}"), "{{ targets.leads + 1"),
    "SLA226": Case(summary("{{ targets.leads | mony }}"), "{{ targets.leads | mony"),
    "SLA227": Case(summary("{{ targets.leads"), "{{ targets.leads"),
    "SLA228": Case(summary("![logo](https://example.com/logo.png)"), "https://example.com"),
    "SLA229": Case(summary("*" * 60 + "deep" + "*" * 60), ">-\n    ***"),
    "SLA230": Case(lambda text: ACTUALS, "400", check=actuals),
    "SLA260": Case(lambda text: text, "minimal\n", check=twins),
    "SLA301": Case(swaps(("effective_date: 2026-12-01", "effective_date: 2026-10-01"),
                         ("next_review: 2027-03-01", "next_review: 2026-11-01")), "2026-11-01"),
    "SLA302": Case(swap(SALES_TEAM + TEAM_SIZE, "  sales_sourced_leads: 20\n"),
                   "sales_sourced_leads: 20", 21),
    "SLA231": Case(swaps(("sales_quota: 5000", "sales_quota: 1000000000000"),
                         ("average_deal_size: 100", "average_deal_size: 0.01")), "\ninputs:", 1),
    "SLA303": Case(swap("    target:\n      en: At least half\n", ""), "id: mql-to-sql"),
    "SLA304": Case(swap("cadence: quarterly\n  next", "cadence: monthly\n  next"),
                   "next_review: 2027-03-01", 13),
    "SLA305": Case(summary("Marketing delivers 408 leads a month."), "408 leads"),
    "SLA310": Case(summary("Each sales qualified lead is called."), "sales qualified lead"),
    "SLA311": Case(summary("Each marketingqualified lead is scored."),
                   "marketingqualified lead"),
    "SLA312": Case(lambda text: "concepts:\n  sql:\n    en:\n      term: sales-qualified lead\n"
                   "      avoid: [sales ready lead, handoff]\n", "handoff]", check=termbased,
                   file="terms.yaml"),
    "SLA313": Case(lambda text: "concepts:\n  quotta: false\n", "quotta", check=termbased,
                   file="terms.yaml"),
    "SLA401": Case(swap("  sales_quota: 5000\n", "  sales_quota: 6000\n"), '"1.0"', check=gated),
    "SLA240": Case(swap("  - version: 1.0  #", "  - version: 2.0  #"), "2.0  #"),
    "SLA410": Case(swaps(("  sales_quota: 5000\n", "  sales_quota: 6000\n"),
                         ('version: "1.0"', 'version: "1.1"')), "revisions:", check=gated),
    "SLA420": Case(lambda text: replace_once(in_italian_too(text), "both share the team bonus",
                                             "both share a bonus"), "\nrewards:\n  en:", 12,
                   check=retranslated),
    "SLA421": Case(lambda text: replace_once(in_italian_too(text), "i propri obiettivi",
                                             "gli obiettivi"), "  it: Quando", 2,
                   check=retranslated),
    "SLA422": Case(lambda text: text, 'version: "1.0"', check=broken_base),
}


def produced(tmp_path: Path, case: Case) -> tuple[list[Diagnostic], str]:
    """What checking the case's input finds, and its text (bytes read as Latin-1)."""
    content = case.change(MINIMAL)
    text = content.decode("latin-1") if isinstance(content, bytes) else content
    return case.check(tmp_path, content), text


def uncovered(registry: dict[str, Code], cases: dict[str, Case]) -> tuple[list[str], list[str]]:
    """The registered codes without a case, and the cases of codes not registered."""
    return sorted(set(registry) - set(cases)), sorted(set(cases) - set(registry))


def test_every_registered_code_has_a_case() -> None:
    assert uncovered(CODES, CASES) == ([], []), \
        "every code in CODES needs a case in CASES, and every case a code in CODES"


def test_the_case_check_can_fail() -> None:
    bogus = {**CODES, "SLA999": Code(Severity.ERROR, "nothing")}
    assert uncovered(bogus, CASES) == (["SLA999"], [])
    fewer = {code: case for code, case in CASES.items() if code != "SLA009"}
    assert uncovered(CODES, fewer) == (["SLA009"], [])


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_code_is_reported_at_its_place(tmp_path: Path, code: str) -> None:
    case = CASES[code]
    diagnostics, text = produced(tmp_path, case)
    at = position_of(text, case.needle, case.offset) if case.needle else None
    line, column = (at.line, at.column) if at else (1, 1)
    expected = f"{tmp_path / case.file}:{line}:{column}: {CODES[code].severity} {code}: "
    shown = [d.format_text() for d in diagnostics]
    assert any(row.startswith(expected) for row in shown), shown


END_TO_END = ("SLA101", "SLA202", "SLA215", "SLA224", "SLA301")
"""Cases that combine into one file, for one run of the real command."""


def test_sla_validate_prints_each_code_at_its_place(tmp_path: Path) -> None:
    text = MINIMAL
    for code in END_TO_END:
        text = str(CASES[code].change(text))
    path = tmp_path / "agreement.yaml"
    path.write_text(text, "utf-8")
    done = run_sla("validate", str(path), f"--today={TODAY.isoformat()}")
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    for code in END_TO_END:
        case = CASES[code]
        at = position_of(text, str(case.needle), case.offset)
        row = f"{path}:{at.line}:{at.column}: {CODES[code].severity} {code}: "
        assert row in done.stdout, done.stdout

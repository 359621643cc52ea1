"""Terminology: a variant to avoid is one warning at its own line and column, whatever
the text's YAML style; a defined term written two ways is a warning; the termbase
(the shipped default and a repository's ``terms.yaml``) is checked like an agreement
and is never taken for one."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from sla_docs.check.phrases import phrase_key
from sla_docs.check.termbase import contradictions, default_terms
from sla_docs.check.validate import Report, validate_paths
from sla_docs.errors import Diagnostic
from sla_docs.model.languages import LANGUAGES
from tests.conftest import TODAY, run_sla

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text("utf-8")
_SUMMARY = re.compile(r"^summary:\n(?:  .*\n)+", re.MULTILINE)
TERMINOLOGY = ("SLA310", "SLA311")


def with_summary(value: str) -> str:
    """The minimal agreement whose summary is ``value``, written as YAML lines after
    ``summary:`` (``  en: …``)."""
    return _SUMMARY.sub(lambda _: "summary:\n" + value, MINIMAL, count=1)


def report(tmp_path: Path, agreement: str, terms: str | None = None) -> Report:
    """``sla validate`` of the agreement, beside ``terms`` as ``terms.yaml`` if given."""
    (tmp_path / "agreement.yaml").write_text(agreement, "utf-8")
    if terms is not None:
        (tmp_path / "terms.yaml").write_text(terms, "utf-8")
    return validate_paths([tmp_path / "agreement.yaml"], today=TODAY)


def found(tmp_path: Path, agreement: str, terms: str | None = None) -> list[Diagnostic]:
    """The terminology warnings about the agreement."""
    [checked] = report(tmp_path, agreement, terms).files
    return [d for d in checked.diagnostics if d.code in TERMINOLOGY]


def at(text: str, needle: str) -> tuple[int, int]:
    """Line and column where the first ``needle`` starts in ``text``, 1-based."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def places(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.position.line, d.position.column) for d in diagnostics]


# --- one warning per use, at the variant's column, in every YAML style -----------------

STYLES = {
    "plain": "  en: Sales call each sales qualified lead within the hour.\n",
    "plain over lines": "  en: Sales call each new\n    sales qualified lead within the hour.\n",
    "single-quoted": "  en: 'It''s Sales'' job: each sales qualified lead is called.'\n",
    "double-quoted": '  en: "Caf\\u00e9 \\"rules\\": \\tcall each sales qualified lead."\n',
    "double-quoted over lines": '  en: "Call \\\n    each  sales qualified lead."\n',
    "literal": "  en: |\n    Sales call, within the hour,\n    each sales qualified lead.\n",
    "folded": "  en: >-\n    Sales call, within the hour,\n      each sales qualified lead\n"
              "    kept.\n",
    "folded, keep": "  en: >+\n    Sales call\n\n    each sales qualified lead.\n\n",
    "flow": "  {en: 'Sales call each sales qualified lead.'}\n",
    "tagged": "  en: !!str Sales call each sales qualified lead.\n",
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_variant_is_one_warning_at_its_column(tmp_path: Path, style: str) -> None:
    agreement = with_summary(STYLES[style])
    [warning] = found(tmp_path, agreement)
    assert places([warning]) == [("SLA310", *at(agreement, "sales qualified lead"))]
    assert warning.message == ("`summary` (en): «sales qualified lead» — the agreed term is "
                               "«sales-qualified lead»")


def test_a_variant_over_a_line_break_is_found_where_it_starts(tmp_path: Path) -> None:
    agreement = with_summary("  en: >-\n    Sales call each sales\n    qualified lead at once.\n")
    [warning] = found(tmp_path, agreement)
    assert (warning.position.line, warning.position.column) == at(agreement, "sales\n    qualified")
    assert "«sales qualified lead»" in warning.message  # the break shown as a space


def test_a_line_separator_counts_as_ruamel_counts_it(tmp_path: Path) -> None:
    """U+2028 in a quoted text is a character of it, and a new line in every position
    the loader gives; the variant after it is placed on that line."""
    agreement = with_summary('  en: "Each\u2028  sales qualified lead."\n')
    [warning] = found(tmp_path, agreement)
    assert (warning.position.line, warning.position.column) == (at(agreement, "Each")[0] + 1, 3)


def test_a_text_not_read_back_is_placed_at_its_start_and_says_so(tmp_path: Path) -> None:
    """A line separator inside a block scalar is not retraced: the warning stands at
    the text's start, and its hint says the column is not the variant's."""
    agreement = with_summary("  en: |\n    Each\u2028    sales qualified lead.\n")
    [warning] = found(tmp_path, agreement)
    assert (warning.position.line, warning.position.column) == at(agreement, "|\n")
    assert warning.hint is not None and "the column is the text's start" in warning.hint


def test_two_uses_are_two_warnings_at_their_columns(tmp_path: Path) -> None:
    agreement = with_summary("  en: A sales qualified lead, then another Sales Qualified Lead.\n")
    warnings = found(tmp_path, agreement)
    assert places(warnings) == [("SLA310", *at(agreement, "sales qualified lead")),
                                ("SLA310", *at(agreement, "Sales Qualified Lead"))]


def test_a_variant_inside_a_longer_word_is_not_a_use(tmp_path: Path) -> None:
    agreement = with_summary("  en: Enclosing rates, handovered presales qualified leadership.\n")
    assert found(tmp_path, agreement) == []


def test_the_agreed_term_holding_a_variants_words_is_not_a_use(tmp_path: Path) -> None:
    terms = ("concepts:\n  mql:\n    it:\n      term: lead qualificato dal Marketing\n"
             "      avoid: [lead qualificato, qualificato dal marketing]\n")
    agreed = with_summary("  en: Leads.\n  it: Ogni lead qualificato dal marketing.\n")
    assert found(tmp_path, agreed, terms) == []
    variant = with_summary("  en: Leads.\n  it: Ogni lead qualificato è chiamato.\n")
    assert places(found(tmp_path, variant, terms)) == [
        ("SLA310", *at(variant, "lead qualificato"))]


def test_apostrophes_case_and_accents_are_alike(tmp_path: Path) -> None:
    terms = ("concepts:\n  deal:\n    it:\n      term: dimensione media dell'affare\n"
             "      avoid: [taglia dell\u2019affare, CAFÉ crème]\n")
    agreement = with_summary("  en: Deals.\n  it: La Taglia dell'Affare e il cafe\u0301 Crème.\n")
    warnings = found(tmp_path, agreement, terms)
    assert places(warnings) == [("SLA310", *at(agreement, "Taglia")),
                                ("SLA310", *at(agreement, "cafe\u0301"))]


def test_figures_are_not_words_of_the_text(tmp_path: Path) -> None:
    agreement = with_summary('  en: "{{ targets.leads }} leads."\n'
                             '  it: "{{ targets.leads }} lead."\n')
    assert found(tmp_path, agreement) == []


def test_the_longer_of_two_variants_one_inside_the_other_is_the_use(tmp_path: Path) -> None:
    terms = ("concepts:\n  ready:\n    en:\n      term: qualified\n      avoid: [ready lead]\n"
             "  sales_ready:\n    en:\n      term: sales-qualified\n"
             "      avoid: [sales ready lead]\n")
    agreement = with_summary("  en: Each sales ready lead, each ready lead.\n")
    assert places(found(tmp_path, agreement, terms)) == [
        ("SLA310", *at(agreement, "sales ready")), ("SLA310", *at(agreement, "ready lead."))]


# --- a defined term written two ways ---------------------------------------------------


def test_a_defined_term_written_another_way_is_a_warning(tmp_path: Path) -> None:
    agreement = with_summary(
        "  en: Each marketing qualified-lead, each Marketingqualified leads.\n")
    warnings = found(tmp_path, agreement)
    assert places(warnings) == [("SLA311", *at(agreement, "marketing qualified-lead")),
                                ("SLA311", *at(agreement, "Marketingqualified"))]
    assert warnings[0].message == (
        "`summary` (en): «marketing qualified-lead» is written «Marketing-qualified lead» in "
        "`definitions.terms.mql.term`")


def test_a_defined_term_in_another_case_is_the_same_term(tmp_path: Path) -> None:
    agreement = with_summary("  en: Each marketing-qualified lead and MARKETING-QUALIFIED LEADS.\n")
    assert found(tmp_path, agreement) == []


def test_an_avoided_variant_is_not_also_a_term_written_two_ways(tmp_path: Path) -> None:
    """``marketing qualified lead`` is both in the default termbase's list and another
    writing of the definition's term: one use, one warning."""
    agreement = with_summary("  en: Each marketing qualified lead.\n")
    assert [d.code for d in found(tmp_path, agreement)] == ["SLA310"]


# --- what the command prints -----------------------------------------------------------


def test_validate_prints_strict_json_and_github(tmp_path: Path) -> None:
    agreement = with_summary("  en: Each sales qualified lead is called.\n")
    (tmp_path / "agreement.yaml").write_text(agreement, "utf-8")
    (tmp_path / "terms.yaml").write_text(
        "concepts:\n  quota: false\n", "utf-8")
    line, column = at(agreement, "sales qualified lead")
    row = f"{tmp_path / 'agreement.yaml'}:{line}:{column}: warning SLA310: "
    plain = run_sla("validate", str(tmp_path), f"--today={TODAY.isoformat()}")
    assert plain.returncode == 0 and row in plain.stdout, plain.stdout + plain.stderr
    assert "terms.yaml" not in plain.stdout  # a termbase, not an agreement
    assert plain.stdout.rstrip().endswith(
        "1 agreement and 1 termbase checked: 1 valid, 0 errors, 1 warning")
    strict = run_sla("validate", "--strict", str(tmp_path), f"--today={TODAY.isoformat()}")
    assert strict.returncode == 1 and row in strict.stdout
    machine = run_sla("validate", "--format", "json", str(tmp_path), f"--today={TODAY.isoformat()}")
    document = json.loads(machine.stdout)
    [warning] = [d for f in document["files"] for d in f["diagnostics"] if d["code"] == "SLA310"]
    assert (warning["line"], warning["column"]) == (line, column)
    assert document["termbases"][0]["path"] == str(tmp_path / "terms.yaml")
    github = run_sla("validate", "--format", "github", str(tmp_path),
                     f"--today={TODAY.isoformat()}")
    assert f"::warning file={tmp_path / 'agreement.yaml'},line={line}," \
           f"col={column},title=SLA310::" in github.stdout


def test_build_takes_terms_yaml_for_no_agreement(tmp_path: Path) -> None:
    (tmp_path / "agreement.yaml").write_text(MINIMAL, "utf-8")
    (tmp_path / "terms.yaml").write_text("concepts:\n  quota: false\n", "utf-8")
    done = run_sla("build", str(tmp_path), "--format", "md", "--jobs", "1",
                   "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "minimal").glob("*.md")) == [
        "minimal.en.md"]
    (tmp_path / "terms.yaml").write_text("concepts:\n  quotta: false\n", "utf-8")
    refused = run_sla("build", str(tmp_path), "--format", "md", "--jobs", "1",
                      "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert refused.returncode == 1 and "terms.yaml:2:3: error SLA313" in refused.stderr


def test_a_termbase_named_alone_is_validated(tmp_path: Path) -> None:
    (tmp_path / "terms.yaml").write_text("concepts:\n  sql:\n    de: {term: x}\n", "utf-8")
    done = run_sla("validate", str(tmp_path / "terms.yaml"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{tmp_path / 'terms.yaml'}:3:5: error SLA101: unknown key `de`" in done.stdout


# --- the repository's terms.yaml -------------------------------------------------------


def test_a_repository_adds_overrides_and_switches_off(tmp_path: Path) -> None:
    agreement = with_summary("  en: Each sales qualified lead gets a handover and a widget.\n")
    assert [d.message.split("»")[0] for d in found(tmp_path, agreement)] == [
        "`summary` (en): «sales qualified lead", "`summary` (en): «handover"]
    terms = ("concepts:\n"
             "  sql:\n    en:\n      term: SQL\n      avoid: [gadget]\n"   # replaces en
             "  handoff: false\n"
             "  gizmo:\n    en:\n      term: gizmo\n      avoid: [widget]\n")
    warnings = found(tmp_path, agreement, terms)
    assert [d.message for d in warnings] == [  # no longer avoided, but defined otherwise
        "`summary` (en): «sales qualified lead» is written «Sales-qualified lead» in "
        "`definitions.terms.sql.term`",
        "`summary` (en): «widget» — the agreed term is «gizmo»"]


def termbase_problems(tmp_path: Path, terms: str | bytes) -> list[str]:
    (tmp_path / "agreement.yaml").write_text(MINIMAL, "utf-8")
    path = tmp_path / "terms.yaml"
    if isinstance(terms, bytes):
        path.write_bytes(terms)
    else:
        path.write_text(terms, "utf-8")
    result = validate_paths([tmp_path], today=TODAY)
    [termbase] = result.termbases
    assert not result.ok
    prefix = f"{path}:"
    return [d.format_text().removeprefix(prefix) for d in termbase.diagnostics]


BROKEN = {
    "a list": ("- sql\n", "1:1: error SLA008: a termbase is a mapping of sections, not a list"),
    "an alias": ("a: &x [1]\nconcepts: *x\n", "2:1: error SLA007:"),
    "a language of no edition": ("concepts:\n  sql:\n    de: {term: Lead}\n",
                                 "3:5: error SLA101: unknown key `de`"),
    "an empty variant": ("concepts:\n  sql:\n    en: {term: SQL, avoid: ['']}\n",
                         "3:29: error SLA104:"),
    "a variant of spaces": ("concepts:\n  sql:\n    en: {term: SQL, avoid: ['   ']}\n",
                            "3:29: error SLA106: a term or a variant needs a letter or a digit"),
    "a variant of 10,000 characters": (
        "concepts:\n  sql:\n    en: {term: SQL, avoid: [" + "a" * 10_000 + "]}\n",
        "3:29: error SLA104: string should have at most 120 characters"),
    "a concept twice": ("concepts:\n  sql: false\n  sql: false\n", "3:3: error SLA002:"),
    "a variant twice": ("concepts:\n  x:\n    en: {term: X, avoid: [Y z]}\n"
                        "  w:\n    en: {term: W, avoid: [y  Z]}\n",
                        "5:27: error SLA312: «y  Z» is listed twice in en: in `x` and in `w`"),
    "a variant that is a term": ("concepts:\n  sql:\n    en: {term: SQL, avoid: [Handoff]}\n",
                                 "3:29: error SLA312: «Handoff» is to be avoided in `sql` (en), "
                                 "but it is the agreed term of `handoff`"),
    "a term the default avoids": ("concepts:\n  other:\n    en: {term: closing rate}\n",
                                  "3:16: error SLA312: «closing rate» is the agreed term of "
                                  "`other` (en), but the default termbase lists it"),
    "a concept id in capitals": ("concepts:\n  SQL: false\n", "2:3: error SLA106:"),
    "true for a concept": ("concepts:\n  sql: true\n", "2:8: error SLA106: a concept is a mapping"),
    "not UTF-8": (b"concepts:\n  sql: \xff\n", "2:8: error SLA004:"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_termbase_is_an_error_at_its_place(tmp_path: Path, case: str) -> None:
    terms, expected = BROKEN[case]
    problems = termbase_problems(tmp_path, terms)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_fifo_termbase_is_refused_without_hanging(tmp_path: Path) -> None:
    (tmp_path / "agreement.yaml").write_text(MINIMAL, "utf-8")
    os.mkfifo(tmp_path / "terms.yaml")
    result = validate_paths([tmp_path], today=TODAY)
    problems = [d.format_text() for d in result.termbases[0].diagnostics]
    assert problems and "SLA009" in problems[0] and "named pipe" in problems[0], problems


def test_an_invalid_termbase_leaves_the_default_in_force(tmp_path: Path) -> None:
    agreement = with_summary("  en: Each sales qualified lead.\n")
    assert [d.code for d in found(tmp_path, agreement, "concepts:\n  sql: {xx: 1}\n")] == [
        "SLA310"]


def test_many_variants_and_long_texts_stay_correct(tmp_path: Path) -> None:
    """10,000 variants and a text of 20,000 words: the one variant used is found, at
    its column (100,000 variants, and the time, are in benchmarks/terminology.py)."""
    variants = ", ".join(f"v{number}x" for number in range(10_000))
    terms = f"concepts:\n  many:\n    en:\n      term: one\n      avoid: [{variants}]\n"
    agreement = with_summary("  en: " + "lead " * 20_000 + "v9999x.\n")
    warnings = found(tmp_path, agreement, terms)
    assert places(warnings) == [("SLA310", *at(agreement, "v9999x."))]


# --- the shipped default ---------------------------------------------------------------


def test_the_default_termbase_holds_together() -> None:
    terms = default_terms()
    assert {usage.language for usage in terms.usages} == set(LANGUAGES)
    assert list(contradictions(terms, terms.usages[0].origin)) == []
    for usage in terms.usages:  # no variant is found inside its own term, or is it
        assert all(phrase_key(variant) != phrase_key(usage.term) for variant in usage.avoid)

"""Checks beyond types: translations, references, definitions, measurable goals, warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from sla_docs.errors import Severity
from tests.conftest import check_text, codes, only, position_of, replace_once


def test_language_declared_but_missing_from_texts(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "languages: [en]", "languages: [en, it]")
    text = replace_once(text, "  en: Service level agreement between Marketing and Sales\n",
                        "  en: Service level agreement between Marketing and Sales\n"
                        "  it: Accordo sul livello di servizio tra Marketing e Vendite\n")
    found = check_text(tmp_path, text)
    assert set(codes(found)) == {"SLA201"}
    first = found.diagnostics[0]
    assert first.message == "`parties[0].name` has no text in it"
    assert first.position == position_of(text, "    name:\n      en: Marketing", offset=4)
    assert first.hint == "add `it: …`"
    # Every untranslated text is named, the translated title is not.
    assert len(found.diagnostics) == text.count("en:") - 1


def test_text_in_an_undeclared_language_is_a_warning(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "  en: Service level agreement between Marketing and Sales\n",
                        "  en: Service level agreement between Marketing and Sales\n"
                        "  fr: Accord de niveau de service\n")
    warning = only(check_text(tmp_path, text), "SLA202")
    assert warning.severity is Severity.WARNING
    assert warning.position == position_of(text, "fr: Accord")


def test_owner_that_is_not_a_party(tmp_path: Path, minimal_text: str) -> None:
    needle = "unit: leads\n    period: month\n    owner: marketing"
    text = replace_once(minimal_text, needle, needle.replace("owner: marketing",
                                                              "owner: marketting"))
    wrong = only(check_text(tmp_path, text), "SLA203")
    assert wrong.message == "no party `marketting` is declared"
    assert wrong.hint == "did you mean `marketing`?"
    assert wrong.position == position_of(text, "marketting")


def test_signatory_party_and_referent_must_be_declared(tmp_path: Path,
                                                       minimal_text: str) -> None:
    text = replace_once(minimal_text, "    party: sales\n", "    party: service\n")
    text = replace_once(text, "referents: [josh-rinaldi, amy-castillo]",
                        "referents: [josh-rinaldi, amy-castilo]")
    found = check_text(tmp_path, text)
    # The misspelt referent also leaves Sales without one (SLA216).
    assert codes(found) == ["SLA209", "SLA216", "SLA204", "SLA203"]
    assert found.diagnostics[0].message == "party `sales` has no signatory"
    assert found.diagnostics[2].hint == "did you mean `amy-castillo`?"
    assert found.diagnostics[2].position == position_of(text, "amy-castilo]")
    assert found.diagnostics[3].position == position_of(text, "party: service", offset=7)


def test_definitions_the_handoff_relies_on(tmp_path: Path, minimal_text: str) -> None:
    start = minimal_text.index("    mql:\n")
    end = minimal_text.index("    sql:\n")
    text = minimal_text[:start] + minimal_text[end:]
    found = check_text(tmp_path, text)
    assert codes(found) == ["SLA205", "SLA205"]
    missing, reference = found.diagnostics
    assert missing.message == "the definition of `mql` is missing"
    assert missing.position == position_of(text, "  terms:", offset=2)
    assert reference.message == "no term `mql` is declared"
    assert reference.position == position_of(text, "at: mql", offset=4)


def test_goals_must_be_measurable(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "    target: 50\n    unit: customers\n    period: month\n",
                        "    unit: customers\n")
    found = check_text(tmp_path, text)
    assert [d.message for d in found.diagnostics] == [
        "goal `customers` is not measurable: it has no `target`",
        "goal `customers` is not time-bound: it has no `period`",
    ]
    assert found.diagnostics[0].position == position_of(text, "- id: customers", offset=2)


def test_duplicate_ids(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "  - id: mql-to-sql", "  - id: lead-volume")
    text = replace_once(text, "      - id: dario-mensah", "      - id: josh-rinaldi")
    found = check_text(tmp_path, text)
    twice = [d for d in found.diagnostics if d.code == "SLA207"]
    assert [d.message for d in twice] == [
        "contact `josh-rinaldi` is declared twice",
        "`lead-volume` is used twice in `kpis`",
    ]
    assert twice[0].position == position_of(text, "- id: josh-rinaldi\n        name: Dario",
                                             offset=6)
    first = position_of(text, "- id: josh-rinaldi\n        name: Josh")
    assert twice[0].hint == f"first at line {first.line}"
    # The escalation that named the renamed contact now names nobody.
    assert "SLA204" in codes(found)


def test_consistency_of_numbers(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "    sql: 75\n", "    sql: 40\n")
    text = replace_once(text, "  interval: 1d\n", "  interval: 3d\n")
    text = replace_once(text, "    after_attempts: 6\n", "    after_attempts: 4\n")
    found = check_text(tmp_path, text)
    assert [(d.code, d.message) for d in found.diagnostics] == [
        ("SLA211", "the SQL threshold (40) must be above the MQL threshold (50)"),
        ("SLA213", "leads go back to Marketing after 4 attempts, before the 6 that follow-up "
                   "promises"),
        ("SLA212", "6 attempts 3 days apart take 15 days, more than the 10 days agreed"),
    ]


@pytest.mark.parametrize("said", ["''", "'   '", "'...'", "'—'", "'; ;'"])
def test_a_text_with_no_word_is_blank(tmp_path: Path, minimal_text: str, said: str) -> None:
    """Whitespace or punctuation alone says nothing a party could agree to."""
    start = minimal_text.index("rewards:\n")
    rewards = minimal_text[start:minimal_text.index("\n\n", start)]
    text = replace_once(minimal_text, rewards, f"rewards:\n  en: {said}")
    found = [d for d in check_text(tmp_path, text).diagnostics if "blank" in d.message]
    assert [d.message for d in found] == ["the `en` text is blank (it has no word)"], said


def test_tier_shares_add_up(tmp_path: Path, minimal_text: str) -> None:
    tiers = ("  tiers:\n"
             "    - {id: c-level, name: {en: C-level}, share: 20%, value_per_lead: 100}\n"
             "    - {id: director, name: {en: Director}, share: 0.5, value_per_lead: 50}\n")
    text = replace_once(minimal_text, "  sales_team:\n", tiers + "  sales_team:\n")
    wrong = only(check_text(tmp_path, text), "SLA214")
    assert wrong.message == "the tiers' shares add up to 70%, not 100%"
    assert wrong.position == position_of(text, "  tiers:", offset=2)


def test_tier_shares_are_added_exactly(tmp_path: Path, minimal_text: str) -> None:
    """Thirds written to 35 places add up to 100% exactly; at 28 digits they would not,
    and a sum 1e-29 off 100% would pass."""
    third = "0." + "3" * 35

    def tiers(*shares: str) -> str:
        rows = "".join(f"    - {{id: t{index}, name: {{en: T{index}}}, share: {share}, "
                       "value_per_lead: 10}\n" for index, share in enumerate(shares))
        return replace_once(minimal_text, "  sales_team:\n", "  tiers:\n" + rows
                            + "  sales_team:\n")

    assert not [d for d in check_text(tmp_path, tiers(third, third, third[:-1] + "4")).diagnostics
                if d.code == "SLA214"]
    assert only(check_text(tmp_path, tiers("0.5", "0.5" + "0" * 28 + "1")), "SLA214")


def test_sides_and_referents(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "  - from: marketing\n    to: sales\n",
                        "  - from: marketing\n    to: marketing\n")
    text = replace_once(text, "referents: [josh-rinaldi, amy-castillo]",
                        "referents: [amy-castillo, dario-mensah]")
    found = check_text(tmp_path, text)
    assert [(d.code, d.message) for d in found.diagnostics] == [
        ("SLA215", "`from` and `to` are both `marketing`"),
        ("SLA216", "party `marketing` has no referent to settle disputes"),
    ]


def test_review_dates(tmp_path: Path, minimal_text: str) -> None:
    past = replace_once(minimal_text, "next_review: 2027-03-01", "next_review: 2026-10-01")
    before = replace_once(past, "effective_date: 2026-12-01", "effective_date: 2026-01-01")
    warning = only(check_text(tmp_path, before, "past.yaml"), "SLA301")
    assert warning.severity is Severity.WARNING
    assert warning.position == position_of(before, "2026-10-01")
    error = only(check_text(tmp_path, past, "before.yaml"), "SLA217")
    assert error.severity is Severity.ERROR


def test_every_problem_at_once(tmp_path: Path, minimal_text: str) -> None:
    """Model errors do not hide the checks, and checks do not hide each other."""
    text = replace_once(minimal_text, "\ncancellation:\n", "\ncancelation:\n")
    text = replace_once(text, "  attempts: 6\n", "  attempts: six\n")
    text = replace_once(text, "    party: sales\n", "    party: service\n")
    text = replace_once(text, "lead_to_customer_rate: 50%", "lead_to_customer_rate: 150%")
    found = check_text(tmp_path, text)
    assert sorted(codes(found)) == ["SLA101", "SLA102", "SLA103", "SLA104", "SLA203", "SLA209"]
    lines = [d.position.line for d in found.diagnostics]
    assert lines == sorted(lines)

"""Whose certificate it is: the names rule, the declared address, and how names are shown."""

from __future__ import annotations

from pathlib import Path

from sla_docs.errors import printable
from sla_docs.signing.identity import same_name
from tests.conftest import check_text, codes, only, position_of, replace_once


def test_names_compare_as_people_read_them() -> None:
    assert same_name("  Łucja\tĆwik-Niccolò ", "łucja ćwik-niccolò")
    assert same_name("Amélie", "Ame\u0301lie")  # composed or not
    assert not same_name("Amy Castillo", "Amy Castill0")
    assert not same_name("Amy Castillo", "AmyCastillo")


def test_control_characters_are_printed_escaped() -> None:
    assert printable("a\rb\x1b[2Kc\u202ed\u2028") == "a\\rb\\x1b[2Kc\\u202ed\\u2028"
    assert printable("Łucja Ćwik-Niccolò") == "Łucja Ćwik-Niccolò"


def test_a_signatory_may_declare_the_address_their_certificate_carries(
        tmp_path: Path, minimal_text: str) -> None:
    declared = replace_once(minimal_text, "    party: sales\n\ninputs:",
                            "    party: sales\n    email: amy@example.com\n\ninputs:")
    assert codes(check_text(tmp_path, declared)) == []
    wrong = declared.replace("amy@example.com", "amy at example")
    found = only(check_text(tmp_path, wrong), "SLA106")
    assert found.position == position_of(wrong, "amy at example")


def test_letters_that_only_fold_into_a_name_are_not_that_name() -> None:
    # case folding would make each of these the signatory's name; lowering does not
    assert not same_name("Jo\u017fh Rinaldi", "Josh Rinaldi")  # a long s
    assert not same_name("Anna Strauss", "Anna Strauß")
    assert not same_name("E\ufb00ie Long", "Effie Long")  # a ligature
    assert not same_name("\uff2a\uff4f\uff53\uff48 Rinaldi", "Josh Rinaldi")  # full-width
    assert same_name("\u212aim Lee", "Kim Lee")  # the Kelvin sign is K, canonically
    assert same_name("ANNA STRAUß", "anna strauß")

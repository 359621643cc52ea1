"""`sla init`'s skeleton: valid for every choice of languages, comments and spacing kept."""

from __future__ import annotations

import itertools

import pytest

from sla_docs.check.completeness import check_agreement
from sla_docs.init.new_agreement import new_agreement, skeleton_text
from sla_docs.model.languages import LANGUAGES
from sla_docs.model.parse import parse_agreement
from sla_docs.source.load import load_bytes
from tests.conftest import TODAY

CHOICES = [list(combo) for size in range(1, 6) for combo in itertools.combinations(LANGUAGES, size)]


@pytest.mark.parametrize("languages", CHOICES, ids=",".join)
def test_skeleton_is_valid_in_any_languages(languages: list[str]) -> None:
    text = new_agreement("demo", languages, TODAY)
    source = load_bytes(text.encode(), "demo.yaml")
    agreement, model_errors = parse_agreement(source)
    problems = model_errors + check_agreement(source, TODAY)
    assert [d.format_text() for d in problems] == []
    assert agreement is not None and agreement.languages == languages


def test_leaving_languages_out_keeps_comments_and_blank_lines() -> None:
    skeleton = skeleton_text()
    english = new_agreement("demo", ["en"], TODAY)
    assert english.count("\n\n") == skeleton.count("\n\n")
    comments = [line for line in skeleton.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in english.splitlines() if line.lstrip().startswith("#")] == comments

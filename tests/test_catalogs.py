"""The gettext catalogs: every message the editions use is in the template, and every
language translates every one of them, not fuzzy, with the same ``{slots}``."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sla_docs.assets import templates_dir
from sla_docs.editions.i18n import catalog_path, template_path
from sla_docs.editions.render import python_messages
from sla_docs.model.types import LANGUAGES
from sla_docs.reports.charts import MESSAGES as CHART_WORDS
from sla_docs.reports.report import MESSAGES as REPORT_WORDS
from sla_docs.revisions.changes import MESSAGES


def template_ids() -> list[str]:
    with template_path().open("rb") as pot:
        return [str(m.id) for m in read_po(pot) if m.id]


def used_messages() -> set[str]:
    """What the edition templates and the Python side ask the catalogs for."""
    found = {str(message) for folder in ("edition", "report")
             for _, _, message, _, _ in extract_from_dir(
                 templates_dir() / folder, method_map=[("**.j2", "jinja2")],
                 options_map={"**.j2": {"extensions": "jinja2.ext.i18n"}})}
    return found | set(python_messages()) | set(MESSAGES) | set(CHART_WORDS) | set(
        REPORT_WORDS)


def test_every_message_used_is_in_the_template() -> None:
    assert sorted(used_messages() - set(template_ids())) == []


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_is_translated_not_fuzzy_with_its_slots(language: str) -> None:
    with catalog_path(language).open("rb") as po:
        catalog = {str(m.id): m for m in read_po(po) if m.id}
    for message in template_ids():
        entry = catalog.get(message)
        assert entry is not None and entry.string, (language, message)
        assert not entry.fuzzy, (language, message)
        slots = sorted(re.findall(r"\{\w+\}", message))
        assert sorted(re.findall(r"\{\w+\}", str(entry.string))) == slots, (language, message)

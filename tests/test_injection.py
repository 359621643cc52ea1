"""Figures in texts: what is allowed, what is refused and where, and how each language
writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2 import TemplateError

from sla_docs.model.inputs import Inputs
from sla_docs.model.sections import FollowUp
from sla_docs.targets import inject
from sla_docs.targets.compute import compute_targets
from sla_docs.targets.formats import Localized, Plain
from tests.conftest import check_text, codes, only, position_of, replace_once

SUMMARY = "Marketing supplies Sales with enough qualified leads for Sales to reach its"


def with_summary(minimal_text: str, sentence: str) -> str:
    """The minimal agreement with ``sentence`` as the start of its summary."""
    return replace_once(minimal_text, SUMMARY, f"{sentence} {SUMMARY}")


def names() -> inject.Context:
    inputs = Inputs.model_validate({
        "period": "month", "sales_quota": 5000, "marketing_share": "100%",
        "average_deal_size": 100, "lead_to_customer_rate": "50%",
        "tiers": [{"id": "c-level", "name": {"en": "C"}, "share": 1, "value_per_lead": 100}]})
    follow_up = FollowUp.model_validate({"first_contact_within": "1h30m", "attempts": 6,
                                         "over_days": 10, "channels": ["phone"]})
    targets = compute_targets(inputs, follow_up, month=dt.date(2026, 12, 1))
    return inject.context(targets, {"effective_date": dt.date(2026, 12, 1)})


def test_a_valid_figure_passes_and_renders(tmp_path: Path, minimal_text: str) -> None:
    text = with_summary(minimal_text, "{{ targets.leads }} leads of {{ inputs.sales_quota }}.")
    assert check_text(tmp_path, text).diagnostics == []
    written = inject.render("{{ targets.leads }} leads, {{ inputs.sales_quota }}", names(),
                            Localized("en", "USD"))
    assert written == "100 leads, $5,000"


def test_an_unknown_name_is_an_error_at_its_braces_with_a_suggestion(
        tmp_path: Path, minimal_text: str) -> None:
    text = with_summary(minimal_text, "About {{ targets.leads }} and {{ targets.leadz }}.")
    found = only(check_text(tmp_path, text), "SLA224")
    assert found.position == position_of(text, "{{ targets.leadz")
    assert "`targets.leadz` is not a figure" in found.message
    assert found.hint == "did you mean `targets.leads`?"


def test_every_unknown_name_of_every_text_is_reported(tmp_path: Path, minimal_text: str) -> None:
    text = with_summary(minimal_text, "{{ targets.nope }} {{ inputs.quota }} {{ leads }}")
    assert codes(check_text(tmp_path, text)).count("SLA224") == 3


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ targets.__class__ }}",
    "{{ targets.leads.__class__.__init__.__globals__ }}",
    "{{ lipsum.__globals__.os.popen('id').read() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ targets.leads + 1 }}",
    "{{ self }}",
    "{% for x in range(10**9) %}x{% endfor %}",
    "{% set x = 1 %}",
    "{% include '/etc/passwd' %}",
    "{{ targets.leads | number(format='x') }}",
    "{{ targets.leads | attr('__class__') }}",
])
def test_template_tricks_are_refused_before_anything_runs(
        tmp_path: Path, minimal_text: str, attack: str) -> None:
    checked = check_text(tmp_path, with_summary(minimal_text, attack))
    assert checked.errors(), attack
    assert {d.code for d in checked.errors()} <= {"SLA224", "SLA225", "SLA226"}
    assert all(d.position.line == 42 for d in checked.errors())


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ targets.__class__.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
])
def test_the_sandbox_refuses_tricks_even_without_the_check(attack: str) -> None:
    with pytest.raises(TemplateError):
        inject.render(attack, names(), Plain())


def test_a_filter_that_cannot_write_the_figure_is_an_error(
        tmp_path: Path, minimal_text: str) -> None:
    text = with_summary(minimal_text, "{{ targets.leads | percent }} {{ targets.leads | mony }}")
    checked = check_text(tmp_path, text)
    wrong, unknown = [d for d in checked.diagnostics if d.code == "SLA226"]
    assert wrong.position == position_of(text, "{{ targets.leads | percent")
    assert "a count" in wrong.message and wrong.hint == "use `number`, or no filter"
    assert unknown.hint == "did you mean `money`?"


def test_a_malformed_template_is_an_error_not_a_crash(tmp_path: Path, minimal_text: str) -> None:
    found = only(check_text(tmp_path, with_summary(minimal_text, "{{ targets.leads ")), "SLA227")
    assert found.position.line == 42


@pytest.mark.parametrize("ending", ["{#", "{#-", "{{ targets.leads }} {#"])
def test_a_comment_opened_at_the_end_of_a_text_is_an_error(tmp_path: Path, minimal_text: str,
                                                           ending: str) -> None:
    text = replace_once(minimal_text, "      en: New revenue closed by Sales",
                        f"      en: New revenue closed by Sales {ending}")
    found = only(check_text(tmp_path, text), "SLA227")
    assert found.position == position_of(text, "{#")
    assert "ends in `{#`" in found.message
    assert not inject.problems("Sales {# a note #} and {{ '{#' }}", None)


def test_a_value_starting_with_braces_must_be_quoted(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "      en: New revenue closed by Sales",
                        "      en: {{ inputs.sales_quota }} of new revenue")
    found = only(check_text(tmp_path, text), "SLA001")
    assert found.position == position_of(text, "{{ inputs.sales_quota }} of")
    assert found.hint and "quote it" in found.hint


def test_literal_braces_can_be_written() -> None:
    assert inject.problems("{{ '{{' }} and {% raw %}{{ x }}{% endraw %}", names()) == []
    assert inject.render("{{ '{{' }}", names(), Plain()) == "{{"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "$5,000 · 100 · 50% · 1 hour and 30 minutes · December 1, 2026"),
    ("it", "5.000 USD · 100 · 50% · 1 ora e 30 minuti · 1º dicembre 2026"),
    ("fr", "5 000 USD · 100 · 50 % · 1 heure et 30 minutes · 1er décembre 2026"),
    ("es", "5000 USD · 100 · 50 % · 1 hora y 30 minutos · 1 de diciembre de 2026"),
    ("pt", "US$ 5.000 · 100 · 50% · 1 hora e 30 minutos · 1º de dezembro de 2026"),
])
def test_each_language_writes_figures_its_own_way(language: str, expected: str) -> None:
    text = ("{{ inputs.sales_quota | money }} · {{ targets.leads | number }} · "
            "{{ inputs.lead_to_customer_rate | percent }} · "
            "{{ targets.first_contact_within | duration }} · {{ agreement.effective_date | date }}")
    written = inject.render(text, names(), Localized(language, "USD"))
    assert written.replace("\u202f", " ").replace("\xa0", " ") == expected


def test_money_shows_cents_only_when_there_are_cents() -> None:
    write = Localized("en", "EUR")
    assert write(Decimal("1500000"), "money") == "€1,500,000"
    assert write(Decimal(5000) / 3, "money") == "€1,666.67"
    assert write(Decimal("0.125"), "rate") == "12.5%"
    assert write(Decimal("0.41666666"), "rate") == "41.67%"


def test_figures_with_dashes_in_their_names_are_reached_by_subscript() -> None:
    assert inject.render("{{ targets.tiers['c-level'].leads }}", names(), Plain()) == "100"
    problem, = inject.problems("{{ targets.tiers }}", names())
    assert problem.code == "SLA224" and "group" in problem.message

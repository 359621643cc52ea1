"""The sample agreements: complete in five languages, faithful to the articles' examples."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sla_docs.check.validate import check_file
from sla_docs.model.agreement import Agreement
from sla_docs.model.schema import SCHEMA_FILE_NAME
from sla_docs.targets.compute import compute_targets
from tests.conftest import ROOT, TODAY

SAMPLES = sorted((ROOT / "agreements").glob("*.yaml"))
AGREEMENT_IN = {
    "en": "service level agreement",
    "it": "accordo sul livello di servizio",
    "fr": "accord de niveau de service",
    "es": "acuerdo de nivel de servicio",
    "pt": "acordo de nível de serviço",
}
"""How each language names the agreement (shared/glossary.md)."""


def load(name: str) -> Agreement:
    checked = check_file(ROOT / "agreements" / f"{name}.yaml", TODAY)
    assert checked.agreement is not None, [d.format_text() for d in checked.diagnostics]
    return checked.agreement


def test_there_are_two_samples() -> None:
    assert [path.stem for path in SAMPLES] == ["acme", "globex"]


@pytest.mark.parametrize("path", [*SAMPLES, ROOT / "examples" / "lumen.yaml"],
                         ids=lambda path: path.stem)
def test_sample_is_valid_even_when_strict(path: Path) -> None:
    """The samples, and the example written for the native review, hold no warning."""
    checked = check_file(path, TODAY)
    assert [d.format_text() for d in checked.diagnostics] == []


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_sample_is_in_five_languages_with_the_glossary_terms(path: Path) -> None:
    agreement = check_file(path, TODAY).agreement
    assert agreement is not None
    assert agreement.languages == ["en", "it", "fr", "es", "pt"]
    for language, term in AGREEMENT_IN.items():
        assert term in (agreement.title.get(language) or "").lower(), language


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_sample_names_the_schema_the_build_writes(path: Path) -> None:
    first = path.read_text("utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../build/{SCHEMA_FILE_NAME}"


def test_two_party_sample_is_the_hubspot_example() -> None:
    acme = load("acme")
    assert {party.kind for party in acme.parties} == {"marketing", "sales"}
    inputs = acme.inputs
    assert (inputs.period, inputs.sales_quota, inputs.average_deal_size) == ("month", 5000, 100)
    assert inputs.lead_to_customer_rate == Decimal("0.5")
    leads = next(goal for goal in acme.goals if goal.owner == "marketing")
    assert (leads.target, leads.period) == ("targets.leads", "month")
    targets = compute_targets(inputs, acme.follow_up, month=acme.effective_date)
    assert (targets["customers"].value, targets["leads"].value) == (50, 100)
    status = [r for r in acme.communication.reports if r.from_party == "sales"]
    assert [(r.to_party, r.cadence) for r in status] == [("marketing", "weekly")]


def test_multi_level_sample_adds_customer_service() -> None:
    globex = load("globex")
    service = next(party for party in globex.parties if party.kind == "customer_service")
    friction = next(r for r in globex.communication.reports if r.id == "customer-friction")
    assert (friction.from_party, friction.to_party, friction.cadence) == (
        "sales", service.id, "monthly")
    assert {s.party for s in globex.signatories} == {p.id for p in globex.parties}
    assert len(globex.parties) == 3


@pytest.mark.parametrize("name", ["acme", "globex"])
def test_samples_write_computed_figures_into_their_texts(name: str) -> None:
    text = (ROOT / "agreements" / f"{name}.yaml").read_text("utf-8")
    assert text.count("{{ targets.leads }}") >= 5  # once per language at least
    assert "target: targets.leads" in text and "target: inputs.sales_quota" in text

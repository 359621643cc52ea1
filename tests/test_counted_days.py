"""The editions say which days they count, why the annex's figures may not add up, and
who settles a dispute last (the round-7 native review of issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sla_docs.check.validate import check_file
from sla_docs.editions.appendix import SPLIT_RULES, TIERS_NOTE, appendix
from sla_docs.editions.i18n import translator
from sla_docs.editions.job import EditionJob, OutputFormat, edition_date, render_texts
from sla_docs.model.agreement import Agreement
from sla_docs.targets.compute import agreement_targets
from tests.conftest import ROOT, TODAY, check_text, replace_once


def _edition(tmp_path: Path, text: str, language: str, kind: OutputFormat = "md") -> str:
    checked = check_text(tmp_path, text)
    agreement = checked.agreement
    assert agreement is not None and not checked.errors(), checked.errors()
    job = EditionJob(agreement, language, (kind,), "a.yaml", text, "0" * 64,
                     edition_date(agreement))
    texts, _ = render_texts(job)
    return texts[kind].decode().replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(("days", "language", "said"), [
    ("business", "it", "preavviso scritto di 30 giorni lavorativi"),
    ("calendar", "it", "preavviso scritto di 30 giorni di calendario"),
    ("business", "fr", "préavis écrit de 30 jours ouvrés"),
    ("calendar", "es", "con 30 días naturales de preaviso"),
    ("business", "pt", "aviso prévio por escrito de 30 dias úteis"),
    ("calendar", "en", "written notice of 30 calendar days"),
])
def test_a_span_of_days_says_which_days(tmp_path: Path, days: str, language: str,
                                        said: str) -> None:
    """The notice, the escalation and the follow-up's days follow the calendar."""
    text = (ROOT / "agreements" / "acme.yaml").read_text("utf-8")
    text = replace_once(text, "days: business", f"days: {days}")
    page = _edition(tmp_path, text, language)
    assert said in page
    one = {"business": {"it": "1 giorno lavorativo", "fr": "1 jour ouvré",
                        "pt": "1 dia útil"},
           "calendar": {"it": "1 giorno di calendario", "es": "1 día natural",
                        "en": "1 calendar day"}}[days][language]
    assert one in page  # the follow-up's interval, in the singular


def _agreement(name: str) -> Agreement:
    agreement = check_file(ROOT / "agreements" / f"{name}.yaml", TODAY).agreement
    assert agreement is not None
    return agreement


def test_the_annex_says_how_the_tiers_share_out_the_leads() -> None:
    """Globex's tiers share out its 448 leads (89.6 → 90, 134.4 → 134, 224) and add up to
    them: the annex says how, with the rounding rule; Acme has no tiers, and says nothing."""
    globex, acme = _agreement("globex"), _agreement("acme")
    figures = agreement_targets(globex).figures
    assert [figures[f"tiers.{tier}.leads"].value for tier in ("c-level", "director", "manager")] \
        == [90, 134, 224] and figures["leads"].value == 448
    _ = translator("it")
    # said with the rounding rule, as its one exception, before the tables; then, as
    # three months of 150 leads are 450, that the quarter's 448 is the target
    assert appendix(agreement_targets(globex), globex, "it").rules[2:] \
        == [_(TIERS_NOTE), _(SPLIT_RULES["quarter"])]
    assert appendix(agreement_targets(acme), acme, "it").rules[2:] == []  # a monthly quota


def test_a_list_after_a_colon_is_punctuated_as_one_sentence(tmp_path: Path) -> None:
    """The cancellation conditions, any one of which is enough, in every language: lower
    case, ";", "; or" before the last, and a last "."."""
    text = (ROOT / "agreements" / "acme.yaml").read_text("utf-8")
    page = _edition(tmp_path, text, "it")
    assert ("- uno dei due team non raggiunga i propri obiettivi per 3 mesi consecutivi; "
            "oppure\n- l\u2019azienda modifichi") in page
    english = _edition(tmp_path, text, "en")
    assert ("- either team misses its goals 3 months in a row; or\n"
            "- the company changes its sales model or its revenue targets.") in english


def test_spanish_or_is_u_before_an_o_and_code_keeps_its_case(tmp_path: Path) -> None:
    """"u otra", not "o otra"; a condition that starts with code is not lower-cased, and
    punctuation already at its end is not doubled."""
    text = (ROOT / "agreements" / "acme.yaml").read_text("utf-8").replace(
        "es: La empresa cambie su modelo de ventas o sus objetivos de ingresos.",
        "es: Otra empresa compre la nuestra.").replace(
        "en: Either team misses its goals 3 months in a row.",
        "en: '`Either` team misses its goals 3 months in a row ;'")
    assert "- alguno de los dos equipos no alcance sus objetivos durante 3 meses seguidos; u\n" \
        "- otra empresa compre la nuestra." in _edition(tmp_path, text, "es")
    assert "- `Either` team misses its goals 3 months in a row; or\n" in _edition(
        tmp_path, text, "en")
    entity = text.replace("3 months in a row ;'", "3 months &lt'")  # "&lt" + ";" is "<"
    assert "3 months &amp;lt; or</li>" in _edition(tmp_path, entity, "en", "html")


def test_the_last_escalation_goes_to_the_arbiter_by_role(tmp_path: Path) -> None:
    """The arbiter is in no party: the ladder names them with their role."""
    text = (ROOT / "agreements" / "acme.yaml").read_text("utf-8")
    page = _edition(tmp_path, text, "es")
    assert "| 10 días hábiles | Lena Whitaker, directora general |" in page


@pytest.mark.parametrize(("name", "role", "language", "said"), [
    # the YAML writes a proper title: its capitals stay (round-9 Italian review)
    ("globex", None, "it", "| Elena Marchetti, Chief Revenue Officer (CRO) |"),
    ("globex", None, "en", "| Elena Marchetti, chief revenue officer (CRO) |"),
    # a party's name is no proper title: the title is still lower-cased
    ("acme", "en: General manager", "en", "| Lena Whitaker, head of Marketing |"),
])
def test_the_arbiters_title_keeps_the_capitals_of_a_proper_title(
        tmp_path: Path, name: str, role: str | None, language: str, said: str) -> None:
    """A title after a name is in lower case, unless a later word is capitalised."""
    text = (ROOT / "agreements" / f"{name}.yaml").read_text("utf-8")
    if role is not None:
        text = replace_once(text, f"      {role}", "      en: Head of Marketing")
    assert said in _edition(tmp_path, text, language)

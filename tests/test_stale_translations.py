"""Stale translations (``sla validate --base REV``, ``sla diff``) in real git repositories
in temporary folders, and ``source_language`` / ``prevailing_language`` in the model."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from babel.messages.pofile import read_po
from translate.storage import xliff

from sla_docs.check.stale import StaleText, stale_translations
from sla_docs.check.validate import validate_paths
from sla_docs.editions.edition import Edition
from sla_docs.editions.render import render
from sla_docs.model.agreement import Agreement
from sla_docs.model.parse import parse_agreement
from sla_docs.model.schema import agreement_schema
from sla_docs.source.load import Source, load_bytes
from tests.conftest import ROOT, TODAY, check_text, git, position_of, replace_once, run_sla

ACME = (ROOT / "agreements" / "acme.yaml").read_text("utf-8")
REWARD_EN = "receives a team bonus equal to 2% of their gross base salary"
REWARDS = {"it": ("pari al 2% della propria", "pari al 3% della propria"),
           "fr": ("égale à 2 % de son", "égale à 3 % de son"),
           "es": ("equivalente al 2 % de su", "equivalente al 3 % de su"),
           "pt": ("equivalente a 2% do seu", "equivalente a 3% do seu")}
NEW_VERSION = (
    ('version: "1.0"', 'version: "1.1"'),
    ("revisions:\n", "revisions:\n  - version: 1.1\n    summary:\n"
     "      en: The team bonus rises to 3%.\n      it: Il premio sale al 3%.\n"
     "      fr: La prime passe à 3 %.\n      es: La prima sube al 3 %.\n"
     "      pt: O bônus sobe para 3%.\n"))


def edited(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        text = replace_once(text, old, new)
    return text


def sources(before: str, after: str) -> tuple[Source, Source]:
    return load_bytes(after.encode(), "now.yaml"), load_bytes(before.encode(), "then.yaml")


def stale(before: str, after: str) -> tuple[StaleText, ...]:
    return stale_translations(*sources(before, after))


@pytest.fixture
def acme_repo(tmp_path: Path) -> Path:
    """acme at 1.0 committed, then 1.1 committed with one English text changed."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    path = folder / "acme.yaml"
    path.write_text(ACME, "utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "1.0")
    path.write_text(edited(ACME, (REWARD_EN, REWARD_EN.replace("2%", "3%")), *NEW_VERSION),
                    "utf-8")
    git(folder, "commit", "-q", "-am", "1.1: the English bonus")
    return path


def test_an_english_change_warns_for_the_four_other_languages(acme_repo: Path) -> None:
    """The issue's bar: one warning, at the changed English text's line (one the pull
    request changed), naming exactly it, fr, es, pt; --strict fails; translating them
    clears it."""
    text = acme_repo.read_text("utf-8")
    at = position_of(text, "\nrewards:\n  en:", len("\nrewards:\n  "))
    done = run_sla("validate", str(acme_repo), "--base", "HEAD~1", f"--today={TODAY}")
    assert done.returncode == 0, done.stdout + done.stderr
    warning = (f"{acme_repo}:{at.line}:{at.column}: warning SLA420: `rewards`: en changed "
               "since HEAD~1; it, fr, es, pt not updated")
    assert warning in done.stdout and done.stdout.count("SLA420") == 1, done.stdout
    assert "1 agreement checked: 1 valid, 0 errors, 1 warning" in done.stdout
    strict = run_sla("validate", str(acme_repo), "--base", "HEAD~1", "--strict",
                     f"--today={TODAY}")
    assert strict.returncode == 1 and warning in strict.stdout
    acme_repo.write_text(edited(text, *REWARDS.values()), "utf-8")
    clean = run_sla("validate", str(acme_repo), "--base", "HEAD~1", "--strict",
                    f"--today={TODAY}")
    assert clean.returncode == 0 and "SLA42" not in clean.stdout, clean.stdout


def test_half_translated_names_only_the_rest(acme_repo: Path) -> None:
    text = acme_repo.read_text("utf-8")
    acme_repo.write_text(edited(text, REWARDS["it"], REWARDS["pt"]), "utf-8")
    [checked] = validate_paths([acme_repo], base="HEAD~1", today=TODAY).files
    [found] = [d for d in checked.diagnostics if d.code == "SLA420"]
    assert found.message == "`rewards`: en, it, pt changed since HEAD~1; fr, es not updated"
    assert found.yaml_path == ("rewards",)


def test_diff_lists_them_under_their_own_heading(acme_repo: Path) -> None:
    text = run_sla("diff", str(acme_repo), "--from", "HEAD~1", "--to", "HEAD", "--lang", "it")
    assert text.returncode == 0, text.stderr
    assert text.stdout.endswith("Traduzioni non aggiornate:\nPremi: testo modificato in "
                                "inglese; non aggiornato in italiano, francese, spagnolo e "
                                "portoghese\n")
    markdown = run_sla("diff", str(acme_repo), "--from", "HEAD~1", "--format", "markdown")
    assert markdown.stdout.endswith(
        "**Stale translations**\n\n- Rewards: text changed in English; not updated in "
        "Italian, French, Spanish, and Portuguese\n"), markdown.stdout
    machine = json.loads(run_sla("diff", str(acme_repo), "--from", "HEAD~1", "--format",
                                 "json").stdout)
    at = position_of(acme_repo.read_text("utf-8"), "\nrewards:\n  en:", len("\nrewards:\n  "))
    assert machine["stale_translations"] == [{
        "path": ["rewards"], "source_language": "en", "changed": ["en"],
        "not_updated": ["it", "fr", "es", "pt"],
        "position": {"line": at.line, "column": at.column}}]


def test_a_translation_changed_alone_is_a_warning_too() -> None:
    after = edited(ACME, REWARDS["fr"])
    [found] = stale(ACME, after)
    assert (found.changed, found.not_updated) == (("fr",), ("en", "it", "es", "pt"))
    assert not found.source_changed and found.to_review == ("fr",)
    assert found.position == position_of(after, "  fr: >-\n    Lorsque les deux", 2)


def test_each_warning_stands_on_the_line_of_the_language_that_changed() -> None:
    """SLA420 on the source language's line, SLA421 on the first changed translation's;
    a text written on one line (a flow mapping) has them all on that line."""
    after = edited(ACME, REWARDS["pt"], REWARDS["es"])
    [found] = stale(ACME, after)
    assert found.changed == ("es", "pt")
    assert found.position == position_of(after, "  es: >-\n    Cuando ambos equipos alcancen", 2)
    flow = ("      en: Marketing\n      it: Marketing\n      fr: Marketing\n      es: Marketing\n"
            "      pt: Marketing\n")
    assert ACME.count(flow) == 1
    before = replace_once(ACME, "name:\n" + flow,
                          "name: {en: Marketing, it: Marketing, fr: Marketing, "
                          "es: Marketing, pt: Marketing}\n")
    after = replace_once(before, "{en: Marketing,", "{en: Marketing team,")
    [found] = stale(before, after)
    assert found.source_changed and found.position == position_of(after, "en: Marketing team")


def test_items_are_matched_by_id_not_by_position() -> None:
    """A goal inserted first moves every goal down: only the one whose English changed is
    stale, at its new index."""
    inserted = ("goals:\n", "goals:\n  - id: new-goal\n    metric: {en: A, it: B, fr: C, "
                "es: D, pt: E}\n    target: 5\n    period: month\n    owner: sales\n")
    after = edited(ACME, inserted, ("en: Qualified leads delivered by Marketing to Sales",
                                    "en: Qualified leads Marketing delivers to Sales"))
    [found] = stale(ACME, after)
    assert found.path == ("goals", 2, "metric") and found.not_updated == ("it", "fr", "es", "pt")
    assert stale(ACME, edited(ACME, inserted)) == ()


def test_a_renamed_item_or_one_without_an_id_is_matched_by_its_other_texts() -> None:
    renamed = edited(ACME, ("  - id: qualified-leads\n", "  - id: sql-delivered\n"),
                     ("en: Qualified leads delivered by Marketing to Sales",
                      "en: Qualified leads Marketing delivers to Sales"))
    assert [t.path for t in stale(ACME, renamed)] == [("goals", 1, "metric")]
    criterion = "    - en: The contact decides or influences the purchase in their company.\n"
    first = ("  fit:\n", "  fit:\n    - {en: New, it: Nuovo, fr: Nouveau, es: Nuevo, pt: Novo}\n")
    changed = edited(ACME, first, (criterion, criterion.replace("decides", "alone decides")))
    [found] = stale(ACME, changed)
    assert found.path == ("qualification", "fit", 1) and found.changed == ("en",)


def test_what_is_not_stale() -> None:
    """Re-wrapped folded text (the same string), a new text, a text new in a language,
    and a text that became a list are no stale translation."""
    rewrapped = edited(ACME, ("    When both teams reach their goals in the same month, each",
                              "    When both teams reach their goals\n    in the same month, "
                              "each"))
    assert stale(ACME, rewrapped) == ()
    literal = edited(ACME, ("rewards:\n  en: >-\n    When both teams reach their goals in the "
                            "same month, each", "rewards:\n  en: |\n    When both teams reach "
                            "their goals\n    in the same  month, each"))
    assert stale(ACME, literal) == ()  # a line break, a double space and a final newline
    assert stale(ACME, edited(ACME, ("  - version: 1.0\n", "  - version: 1.1\n    summary: "
                                     "{en: X, it: Y, fr: Z, es: W, pt: V}\n  - version: 1.0\n"
                                     ))) == ()
    start, end = ACME.index("\nrewards:\n"), ACME.index("\nconsequences:\n")
    as_list = ACME[:start] + "\nrewards: [en, it, fr, es, pt]" + ACME[end:]
    assert stale(ACME, as_list) == ()  # invalid, and reported so; nothing to compare here
    no_file = load_bytes(b"id: x\n", "then.yaml")
    assert stale_translations(load_bytes(ACME.encode(), "now.yaml"), no_file) == ()


def test_a_base_in_fewer_languages_compares_the_ones_it_had() -> None:
    full = load_bytes(ACME.encode(), "then.yaml")
    before = replace(full, data=in_two_languages(full.data))
    after = load_bytes(edited(ACME, (REWARD_EN, REWARD_EN.replace("2%", "3%"))).encode(), "a")
    [found] = stale_translations(after, before)
    assert (found.changed, found.not_updated) == (("en",), ("it",))


def in_two_languages(value: Any) -> Any:
    """``value`` with only the English and Italian of its texts, as a base written before
    the other languages were added."""
    if isinstance(value, dict):
        return {key: in_two_languages(item) for key, item in value.items()
                if key not in ("fr", "es", "pt") or not isinstance(item, str)}
    if isinstance(value, list):
        return [in_two_languages(item) for item in value]
    return value


def test_the_declared_source_language_is_the_one_compared() -> None:
    italian = edited(ACME, ("languages: [en, it, fr, es, pt]\n",
                            "languages: [en, it, fr, es, pt]\nsource_language: it\n"))
    [found] = stale(italian, edited(italian, REWARDS["it"]))
    assert found.source_language == "it" and found.not_updated == ("en", "fr", "es", "pt")
    [english] = stale(italian, edited(italian, (REWARD_EN, REWARD_EN.replace("2%", "3%"))))
    assert not english.source_changed and english.to_review == ("en",)


def test_source_and_prevailing_languages_must_be_declared(tmp_path: Path,
                                                          minimal_text: str) -> None:
    text = edited(minimal_text, ("languages: [en]\n", "languages: [en]\nsource_language: it\n"
                                 "prevailing_language: fr\n"))
    checked = check_text(tmp_path, text)
    rows = [d.format_text() for d in checked.diagnostics]
    path = tmp_path / "agreement.yaml"
    it, fr = position_of(text, "source_language: it", 17), position_of(text, ": fr", 2)
    assert (f"{path}:{it.line}:{it.column}: error SLA218: `source_language` is `it`, which "
            "`languages` does not declare (name one of en, or add `it` to `languages`)") in rows
    assert f"{path}:{fr.line}:{fr.column}: error SLA219: `prevailing_language` is `fr`" \
        in "\n".join(rows)
    unknown = check_text(tmp_path, edited(minimal_text, (
        "languages: [en]\n", "languages: [en]\nprevailing_language: xx\n")))
    assert [d.code for d in unknown.diagnostics] == ["SLA105"]


def test_the_defaults_and_the_schema() -> None:
    checked = check_text_source(ACME)
    assert (checked.original_language, checked.prevailing_edition) == ("en", "en")
    chosen = check_text_source(edited(ACME, (
        "languages: [en, it, fr, es, pt]\n",
        "languages: [en, it, fr, es, pt]\nsource_language: it\nprevailing_language: fr\n")))
    assert (chosen.original_language, chosen.prevailing_edition) == ("it", "fr")
    schema = agreement_schema()
    for key in ("source_language", "prevailing_language"):
        field = {"$defs": schema["$defs"], **schema["properties"][key]}
        jsonschema.validate("pt", field)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate("xx", field)
        assert "language" in field["description"]


def check_text_source(text: str) -> Agreement:
    agreement, errors = parse_agreement(load_bytes(text.encode(), "a.yaml"))
    assert agreement is not None, errors
    return agreement


def markdown_edition(text: str, language: str) -> str:
    agreement = check_text_source(text)
    edition = Edition(agreement, language, "a.yaml", "0" * 64, dt.datetime(2026, 12, 1,
                                                                            tzinfo=dt.UTC))
    return render(edition, "md")


@pytest.mark.parametrize(("language", "said"), [
    ("en", "the French edition prevails."), ("it", "prevale la versione in francese."),
    ("fr", "la version en français prévaut."), ("es", "prevalecerá la versión en francés."),
    ("pt", "prevalecerá a versão em francês.")])
def test_the_prevailing_language_named_is_the_declared_one(language: str, said: str) -> None:
    french = edited(ACME, ("languages: [en, it, fr, es, pt]\n",
                           "languages: [en, it, fr, es, pt]\nprevailing_language: fr\n"))
    assert said in " ".join(markdown_edition(french, language).split())


def test_the_source_language_prevails_by_default() -> None:
    italian = edited(ACME, ("languages: [en, it, fr, es, pt]\n",
                            "languages: [en, it, fr, es, pt]\nsource_language: it\n"))
    english = " ".join(markdown_edition(italian, "en").split())
    assert "the Italian edition prevails." in english and "English edition" not in english


def test_an_agreement_in_one_language_states_none(minimal_text: str) -> None:
    """Its one edition has no other to differ from: a clause on editions would be void."""
    edition = markdown_edition(minimal_text, "en")
    assert "prevails" not in edition and "forms an integral part" in edition


def test_export_base_marks_the_stale_texts_for_the_translator(acme_repo: Path) -> None:
    """`sla translations export --base REV` marks for review exactly the texts
    `validate --base REV` warns about, in the language exported; the XLIFF as well."""
    done = run_sla("translations", "export", str(acme_repo), "--lang", "it", "--base",
                   "HEAD~1", cwd=acme_repo.parent)
    assert done.returncode == 0, done.stderr
    catalog = read_po(io.BytesIO(done.stdout.encode()))
    assert [m.context for m in catalog if m.fuzzy and m.id] == ["rewards"]
    unmarked = run_sla("translations", "export", str(acme_repo), "--lang", "it",
                       cwd=acme_repo.parent)
    assert not [m for m in read_po(io.BytesIO(unmarked.stdout.encode())) if m.fuzzy and m.id]
    xlf = run_sla("translations", "export", str(acme_repo), "--lang", "pt", "--format",
                  "xliff", "--base", "HEAD~1", cwd=acme_repo.parent)
    store = xliff.xlifffile.parsestring(xlf.stdout.encode())
    assert [u.getid().split("\x04")[-1] for u in store.units if u.isfuzzy()] == ["rewards"]
    # once the translations follow, nothing is left to review since 1.0
    text = acme_repo.read_text("utf-8")
    for old, new in REWARDS.values():
        text = replace_once(text, old, new)
    acme_repo.write_text(text, "utf-8")
    git(acme_repo.parent, "commit", "-q", "-am", "1.1: the bonus in every language")
    again = run_sla("translations", "export", str(acme_repo), "--lang", "it", "--base",
                    "HEAD~2", cwd=acme_repo.parent)  # 1.0: source and translation both moved
    assert not [m for m in read_po(io.BytesIO(again.stdout.encode())) if m.fuzzy and m.id]


def test_export_base_that_looks_like_an_option_is_refused(acme_repo: Path) -> None:
    done = run_sla("translations", "export", str(acme_repo), "--lang", "it",
                   "--base=--output=/tmp/x", cwd=acme_repo.parent)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "--output=/tmp/x" in done.stderr and done.stdout == ""


def test_the_french_change_list_sets_its_colons_as_french_does(acme_repo: Path) -> None:
    """A label and what follows it: a no-break space before the colon in French."""
    done = run_sla("diff", str(acme_repo), "--from", "HEAD~1", "--lang", "fr", "--format",
                   "markdown", cwd=acme_repo.parent)
    assert done.returncode == 0, done.stderr
    assert "- Récompenses\xa0: texte modifié en anglais\u202f; à mettre à jour\xa0: " \
        "italien, français, espagnol et portugais" in done.stdout
    text = run_sla("diff", str(acme_repo), "--from", "HEAD~1", "--lang", "fr",
                   cwd=acme_repo.parent).stdout
    assert "Version\xa0: 1.0 → 1.1" in text and "Traductions non mises à jour\xa0:" in text


BROKEN = "\n  bad: [\n"
"""What makes the file at the base no YAML at all."""


@pytest.mark.parametrize("base", ["syntax", "text as a list"])
def test_a_base_that_cannot_be_compared_is_a_warning_never_a_pass(
        tmp_path: Path, base: str) -> None:
    """A file at REV that is no YAML (or has a text that is no text per language) gives
    SLA422 at the version line, so --strict fails where it passed silently."""
    path = tmp_path / "acme.yaml"
    if base == "syntax":
        path.write_text(ACME + BROKEN, "utf-8")
    else:
        path.write_text(replace_once(ACME, "      en: New customers won\n",
                                     "      en: [New, customers]\n"), "utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "broken")
    after = replace_once(ACME, "      en: New customers won\n",
                         "      en: New customers won by Sales\n")
    path.write_text(after, "utf-8")
    done = run_sla("validate", str(path), "--base", "HEAD", "--strict", f"--today={TODAY}")
    at = position_of(after, 'version: "1.0"')
    assert done.returncode == 1, done.stdout
    assert f"{path}:{at.line}:{at.column}: warning SLA422: " in done.stdout, done.stdout
    if base == "syntax":
        bad = position_of(ACME + BROKEN, "  bad: [", 2)
        assert (f"the file at HEAD cannot be read ({path}@HEAD:{bad.line}:{bad.column}: "
                "YAML syntax: " in done.stdout), done.stdout
        exported = run_sla("translations", "export", str(path), "--lang", "it",
                           "--base", "HEAD")
        assert exported.returncode == 1 and f"{path}@HEAD:{bad.line}:{bad.column}: error SLA001" \
            in exported.stderr, exported.stderr
    else:
        there = position_of(after, "en: New customers won by Sales", 4)
        assert (f"`goals[2].metric` at HEAD is not a text per language ({path}@HEAD:"
                f"{there.line}:{there.column})") in done.stdout, done.stdout
    assert "1 warning" in done.stdout and done.stdout.count("SLA422") == 1
    assert run_sla("validate", str(path), f"--today={TODAY}").returncode == 0

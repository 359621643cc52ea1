"""`sla diff` on real git repositories made in temporary folders: the change list in
the agreement's own terms, the targets that follow, reorders and renames, invalid
revisions, and redlines in Markdown and PDF."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import git, replace_once, run_sla

SUMMARY_WORDS = "Marketing supplies Sales with enough qualified leads"


@pytest.fixture
def repo(tmp_path: Path, minimal_text: str) -> Path:
    """A repository whose one commit holds the minimal agreement, version 1.0."""
    git(tmp_path, "init", "-q")
    (tmp_path / "agreements").mkdir()
    (tmp_path / "agreements" / "minimal.yaml").write_text(minimal_text, "utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Version 1.0")
    return tmp_path


def edit(repo: Path, *replacements: tuple[str, str]) -> Path:
    path = repo / "agreements" / "minimal.yaml"
    text = path.read_text("utf-8")
    for old, new in replacements:
        text = replace_once(text, old, new)
    path.write_text(text, "utf-8")
    return path


RAISE_QUOTA = (("  sales_quota: 5000\n", "  sales_quota: 6000\n"),
               ("  first_contact_within: 1h\n", "  first_contact_within: 30m\n"),
               ('version: "1.0"', 'version: "1.1"'))


def test_a_quota_change_shows_with_the_targets_that_follow(repo: Path) -> None:
    path = edit(repo, *RAISE_QUOTA)
    done = run_sla("diff", str(path), "--from", "HEAD")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "minimal 1.0 → 1.1 (HEAD → working tree)"
    assert "Version: 1.0 → 1.1" in lines
    assert "Sales quota: $5,000 → $6,000" in lines
    assert "Customers needed: 50 → 60" in lines
    assert "Leads Marketing generates: 100 → 120" in lines
    assert "Time to first contact: 1 hour → 30 minutes" in lines
    assert not any(line.startswith("Sales follow-up") for line in lines)  # listed once
    italian = run_sla("diff", str(path), "--from", "HEAD", "--lang", "it",
                      "--format", "markdown").stdout.replace("\xa0", " ")
    assert "| Obiettivo di fatturato | 5.000 USD | 6.000 USD |" in italian
    assert italian.startswith("### minimal 1.0 → 1.1") and "| Cosa è cambiato |" in italian
    data = json.loads(run_sla("diff", str(path), "--from", "HEAD", "--format", "json").stdout)
    quota = next(c for c in data["changes"] if c["where"] == "Sales quota")
    assert (quota["old"], quota["new"], quota["target"]) == ("$5,000", "$6,000", True)


def test_between_two_commits_and_with_nothing_changed(repo: Path) -> None:
    path = edit(repo, *RAISE_QUOTA)
    git(repo, "commit", "-q", "-am", "Raise the quota")
    done = run_sla("diff", str(path), "--from", "HEAD~1", "--to", "HEAD")
    assert "Sales quota: $5,000 → $6,000" in done.stdout and "(HEAD~1 → HEAD)" in done.stdout
    same = run_sla("diff", str(path), "--from", "HEAD")
    assert same.returncode == 0 and same.stdout.strip().endswith(": no change")


def test_a_reordered_list_is_only_a_new_order(repo: Path, minimal_text: str) -> None:
    start = minimal_text.index("signatories:\n") + len("signatories:\n")
    end = minimal_text.index("\ninputs:")
    josh, amy = minimal_text[start:end].split("  - id: amy\n")
    path = edit(repo, (josh + "  - id: amy\n" + amy, "  - id: amy\n" + amy.rstrip("\n")
                       + "\n" + josh.rstrip("\n")))
    done = run_sla("diff", str(path), "--from", "HEAD")
    assert done.stdout.splitlines()[1:] == ["Signatures: (order changed) josh, amy → amy, josh"]


def test_a_renamed_id_is_one_removal_and_one_addition(repo: Path) -> None:
    path = edit(repo, ("  - id: josh\n", "  - id: joshua\n"))
    done = run_sla("diff", str(path), "--from", "HEAD")
    assert "Signatures \u203a josh: (removed)" in done.stdout
    assert "Signatures \u203a joshua: (added)" in done.stdout
    edit(repo, ("\nrewards:\n", "\nincentives:\n"))  # a section under a key we do not know
    renamed = run_sla("diff", str(path), "--from", "HEAD")
    assert renamed.returncode == 1 and f"{path}:" in renamed.stderr
    assert "incentives" in renamed.stderr and "Traceback" not in renamed.stderr


def test_an_invalid_revision_is_named_with_its_positions(repo: Path) -> None:
    path = edit(repo, ("  sales_quota: 5000\n", "  sales_quota: lots\n"))
    git(repo, "commit", "-q", "-am", "Broken")
    edit(repo, ("  sales_quota: lots\n", "  sales_quota: 7000\n"))
    done = run_sla("diff", str(path), "--from", "HEAD")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}@HEAD:286:16: error" in done.stderr
    missing = run_sla("diff", str(path), "--from", "no-such-revision")
    assert missing.returncode == 1 and "no revision `no-such-revision`" in missing.stderr


def test_the_redline_marks_words_in_markdown(repo: Path) -> None:
    path = edit(repo, ("Marketing supplies Sales with enough qualified",
                       "Marketing supplies Sales with plenty of qualified"), *RAISE_QUOTA)
    out = repo / "redline.md"
    done = run_sla("diff", str(path), "--from", "HEAD", "--redline", "md", "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text("utf-8")
    assert "<del>enough</del>" in text and "<ins>plenty of</ins>" in text
    assert "<del>$5,000</del>" in text.replace("<del>5,000</del>", "<del>$5,000</del>") or \
        "5,000</del>" in text
    assert "| --- |" in text or "|---|" in text  # the tables are still tables


def test_the_redline_pdf_in_italian(repo: Path) -> None:
    from tests.conftest import ROOT

    acme = repo / "agreements" / "acme.yaml"
    acme.write_text((ROOT / "agreements" / "acme.yaml").read_text("utf-8"), "utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "acme 1.0")
    text = acme.read_text("utf-8")
    for old, new in (("  sales_quota: 5000\n", "  sales_quota: 6000\n"),
                     ('version: "1.0"', 'version: "1.1"'),
                     ("con rapidità e accuratezza", "con rapidità, cortesia e accuratezza")):
        text = replace_once(text, old, new)
    acme.write_text(text, "utf-8")
    out = repo / "redline.it.pdf"
    done = run_sla("diff", str(acme), "--from", "HEAD", "--redline", "pdf", "--lang", "it",
                   "-o", str(out))
    assert done.returncode == 0, done.stderr
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert not PdfReader(out).get_fields()  # a redline is for reading: nothing to sign
    summary = next(p for p in pages if "cortesia" in p)
    assert "5.000" in summary and "6.000" in summary  # the old figure struck, the new one in
    assert "Obiettivo di fatturato" in "".join(pages)
    no_lang = run_sla("diff", str(path_of(repo)), "--from", "HEAD", "--redline", "pdf",
                      "--lang", "de", "-o", str(out))
    assert no_lang.returncode == 2


def path_of(repo: Path) -> Path:
    return repo / "agreements" / "minimal.yaml"


def test_the_version_gate(repo: Path) -> None:
    path = edit(repo, ("  sales_quota: 5000\n", "  sales_quota: 6000\n"))
    stuck = run_sla("validate", str(path), "--base", "HEAD")
    assert stuck.returncode == 1
    assert (f"{path}:5:10: error SLA401: the agreement changed since HEAD but its version "
            "is still 1.0 (raise it above 1.0)") in stuck.stdout
    edit(repo, ('version: "1.0"', 'version: "1.10"'))
    undescribed = run_sla("validate", str(path), "--base", "HEAD")
    assert undescribed.returncode == 1 and "error SLA410: the version rose from 1.0 to 1.10 " \
        "but `revisions:` has no entry for 1.10" in undescribed.stdout
    edit(repo, ("revisions:\n", "revisions:\n  - version: 1.10\n    summary:\n"
                "      en: The quota rises to 6,000.\n"))
    assert run_sla("validate", str(path), "--base", "HEAD").returncode == 0
    git(repo, "commit", "-q", "-am", "1.10")
    assert run_sla("validate", str(path), "--base", "HEAD").returncode == 0  # unchanged
    edit(repo, ('version: "1.10"', 'version: "1.9"'), ("- version: 1.10\n", "- version: 1.9\n"),
         ("  sales_quota: 6000\n", "  sales_quota: 1\n"))
    assert run_sla("validate", str(path), "--base", "HEAD").returncode == 1  # 1.9 < 1.10
    new = repo / "agreements" / "new.yaml"
    new.write_text(path.read_text("utf-8"), "utf-8")
    assert "new.yaml" not in run_sla("validate", str(new), "--base", "HEAD").stdout


def test_the_pre_commit_hook_and_the_example_workflow_run_what_they_say() -> None:
    from ruamel.yaml import YAML

    from tests.conftest import ROOT

    [hook] = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "sla-validate" and hook["entry"] == "sla validate"
    done = run_sla(*hook["entry"].split()[1:], "agreements/acme.yaml", "agreements/globex.yaml")
    assert done.returncode == 0, done.stdout
    workflow = (ROOT / "examples" / "github" / "workflows" / "agreements.yml").read_text("utf-8")
    for step in ("sla validate --format github --base", "sla build", "upload-artifact",
                 "sla diff \"$file\" --from", "--format markdown", "fetch-depth: 0"):
        assert step in workflow, step


def test_the_revision_table_is_the_sources_and_git_gives_only_dates(repo: Path) -> None:
    """No git identity and no commit subject reaches any edition, in any format: each
    row is a version, its date (the entry's, else the commit's that raised the version)
    and the summary the source writes for it."""
    from babel.dates import format_date

    from sla_docs.editions.build import build
    from tests.conftest import TODAY

    path = edit(repo, *RAISE_QUOTA)
    git(repo, "commit", "-q", "-am", "Raise the quota to 6,000")  # 1.1: no entry, no row
    edit(repo, ('version: "1.1"', 'version: "2.0"'),  # not committed yet: still listed
         ("revisions:\n", "revisions:\n  - version: 2.0\n    summary:\n"
          "      en: A higher quota for the second year.\n"))
    out = repo / "build"
    build([path], out, today=TODAY, formats=("md", "html", "pdf"))
    committed = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%ad",
                                "--date=short"], capture_output=True, text=True, check=True)
    day = format_date(dt.date.fromisoformat(committed.stdout.strip()), "long", locale="en_US")
    table = (out / "minimal" / "minimal.en.md").read_text("utf-8")
    assert f"| 1.0 | {day} | Initial version of the agreement. |" in table
    assert "| 1.1 |" not in table  # a version the source does not describe
    assert "| 2.0 | December 1, 2026 | A higher quota for the second year. |" in table
    pages = " ".join(page.extract_text() for page in
                     PdfReader(out / "minimal" / "minimal.en.pdf").pages)
    for edition in (table, (out / "minimal" / "minimal.en.html").read_text("utf-8"), pages):
        for from_git in ("Rev Ops", "revops@example.com", "Raise the quota"):
            assert from_git not in edition, from_git
    git(repo, "commit", "-q", "-am", "2.0")
    again = build([path], out, today=TODAY, formats=("md",))
    assert again.written  # a new commit is a new history: the edition is rebuilt


def test_long_texts_show_where_they_differ_and_other_languages_are_named(repo: Path) -> None:
    path = edit(repo, ("by the revenue closed from\n", "by the revenue won from\n"))
    done = run_sla("diff", str(path), "--from", "HEAD")
    [line] = done.stdout.splitlines()[1:]
    assert line.startswith("Purpose and scope: …") and "closed from" in line
    assert "won from" in line.split(" → ")[1]
    italian = run_sla("diff", str(path), "--from", "HEAD", "--lang", "it").stdout
    assert "Finalità e ambito di applicazione [en]: …" in italian


def test_a_new_revision_entry_and_a_name_read_as_such_in_the_change_list(repo: Path) -> None:
    path = edit(repo, ('version: "1.0"', 'version: "1.1"'),
                ("revisions:\n", "revisions:\n  - version: 1.1\n    summary:\n"
                 "      en: A display name.\n"),
                ("currency: USD\n", "currency: USD\nname:\n  en: Minimal\n"))
    lines = run_sla("diff", str(path), "--from", "HEAD").stdout.splitlines()
    assert lines[2].startswith("Revision history \u203a 1.1: (added) ")
    assert "A display name." in lines[2] and lines[3] == "Name: (added) Minimal"


def test_a_version_described_twice_is_an_error(tmp_path: Path, minimal_text: str) -> None:
    from tests.conftest import check_text, only

    text = replace_once(minimal_text, "revisions:\n",
                        "revisions:\n  - version: 1.0\n    summary:\n      en: Twice.\n")
    found = only(check_text(tmp_path, text), "SLA240")
    assert "version 1.0 has two `revisions:` entries" in found.message

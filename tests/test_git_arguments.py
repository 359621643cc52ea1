"""Revisions and paths given to git, in a real repository in a temporary folder: a revision
is checked before git sees it anywhere else, so one that looks like an option is a
revision that does not exist (an error naming it), and git writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sla_docs.check.validate import validate_paths
from sla_docs.revisions.diff import change_list
from sla_docs.source.git import NotAtRevision, RevisionError, read_revision
from sla_docs.source.history import version_dates
from tests.conftest import TODAY, git, replace_once, run_sla


@pytest.fixture
def repo(tmp_path: Path, minimal_text: str) -> Path:
    """The minimal agreement committed once, then edited without a new version."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "minimal.yaml").write_text(minimal_text, "utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Version 1.0")
    (folder / "minimal.yaml").write_text(
        replace_once(minimal_text, "sales_quota: 5000", "sales_quota: 6000"), "utf-8")
    return folder


INJECTIONS = ["--output={target}", "--output", "-o{target}", "--exec=touch {target}",
              "HEAD --output={target}", "--no-index", "HEAD:../../etc/passwd"]


@pytest.mark.parametrize("injection", INJECTIONS)
def test_a_revision_that_looks_like_an_option_is_no_revision(
        repo: Path, tmp_path: Path, injection: str) -> None:
    target = tmp_path / "written-by-git"
    revision = injection.format(target=target)
    with pytest.raises(RevisionError, match=f"no revision `{re.escape(revision)}`"):
        read_revision(repo / "minimal.yaml", revision)
    with pytest.raises(RevisionError, match="no revision"):
        validate_paths([repo / "minimal.yaml"], base=revision, today=TODAY)
    assert not target.exists() and not list(repo.glob("-o*")) and not list(Path().glob("-o*"))


@pytest.mark.parametrize("option", [("diff", "--from"), ("diff", "--to"),
                                    ("validate", "--base")])
def test_the_commands_refuse_it_and_git_writes_nothing(
        repo: Path, tmp_path: Path, option: tuple[str, str]) -> None:
    target = tmp_path / "written-by-git"
    command, flag = option
    extra = ["--from", "HEAD"] if flag == "--to" else []
    done = run_sla(command, str(repo / "minimal.yaml"), *extra, f"{flag}=--output={target}")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"no revision `--output={target}`" in done.stderr and "Traceback" not in done.stderr
    assert not target.exists()


def test_a_base_that_does_not_exist_fails_instead_of_skipping_the_gate(repo: Path) -> None:
    done = run_sla("validate", str(repo / "minimal.yaml"), "--base", "no-such-branch")
    assert done.returncode == 1 and "no revision `no-such-branch`" in done.stderr
    gated = validate_paths([repo / "minimal.yaml"], base="HEAD", today=TODAY)
    assert [d.code for f in gated.files for d in f.diagnostics] == ["SLA401"]  # it does run


def test_a_file_new_since_the_revision_is_named_as_such(repo: Path, minimal_text: str) -> None:
    new = repo / "new.yaml"
    new.write_text(minimal_text, "utf-8")
    new_file = validate_paths([new], base="HEAD", today=TODAY)  # new: no gate
    assert [d.code for f in new_file.files for d in f.diagnostics] == []
    with pytest.raises(NotAtRevision, match="not in git at HEAD"):
        change_list(new, "HEAD", None, "en", "text", TODAY)


def test_a_path_that_looks_like_an_option(repo: Path, minimal_text: str) -> None:
    odd = repo / "--output=x.yaml"
    odd.write_text(minimal_text, "utf-8")
    git(repo, "add", "--", odd.name)
    git(repo, "commit", "-q", "-m", "An odd name")
    raw, name = read_revision(odd, "HEAD")
    assert raw == minimal_text.encode() and name.endswith("--output=x.yaml@HEAD")
    dates = version_dates(odd)
    assert dates is not None and list(dates) == ["1.0"]
    assert not (repo / "x.yaml").exists()


def test_outside_a_repository_a_revision_is_an_error(tmp_path: Path, minimal_text: str) -> None:
    alone = tmp_path / "alone" / "minimal.yaml"
    alone.parent.mkdir()
    alone.write_text(minimal_text, "utf-8")
    with pytest.raises(RevisionError, match="git repository"):
        validate_paths([alone], base="HEAD", today=TODAY)

"""Every Markdown the tool writes, from a hostile agreement in a real git repository with a
hostile commit subject and a hostile CRM export: read back with raw HTML on (as GitHub
reads a pull-request comment), it holds no HTML but the redline's marks, no image but
embedded ones, and no link at all (the agreement writes none)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sla_docs.editions.build import build
from sla_docs.markdown import MARKS, links, live_markup
from sla_docs.reports.report import report
from sla_docs.reports.targets_report import targets_report
from tests.conftest import TODAY, replace_once, run_sla

EVIL_IMAGE = "![x](http://evil.example/name.png)"
HOSTILE = [  # (what the minimal agreement says, what a hostile one says instead)
    ("        name: Josh Rinaldi\n", f"        name: '{EVIL_IMAGE} <script>alert(1)</script>'\n"),
    ("          en: Marketing director\n",
     "          en: '`open backtick <img src=x onerror=alert(1)> | cell'\n"),
    ("    Marketing supplies Sales with enough",
     "    ![logo][pic] `unclosed <b>bold</b> {{ '!' }}[a](http://evil.example/f.png)\n\n"
     "    Marketing supplies Sales with enough"),
    ("    When both teams reach their goals",
     "    [pic]: http://evil.example/ref.png\n\n    When both teams reach their goals"),
]
CHANGED = [("  sales_quota: 5000\n", "  sales_quota: 6000\n"), ('version: "1.0"', 'version: "1.1"'),
           ("    When both teams", "    When `both <i>` teams <b>x</b>")]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=![o](http://evil.example/a.png)",
                    "-c", "user.email=o@example.com", *args], check=True, capture_output=True)


def hostile(text: str, changes: list[tuple[str, str]]) -> str:
    for old, new in changes:
        text = replace_once(text, old, new)
    return text


def assert_inert(markdown: str, marks: frozenset[str] = frozenset()) -> None:
    assert markdown.strip()
    assert live_markup(markdown, marks) == [], markdown
    assert links(markdown) == set(), markdown


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile agreement at version 1.0, committed with a hostile subject, then 1.1."""
    folder = tmp_path_factory.mktemp("hostile")
    minimal = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text("utf-8")
    path = folder / "agreement.yaml"
    path.write_text(hostile(minimal, HOSTILE), "utf-8")
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", f"{EVIL_IMAGE} <img src=x> [l](https://evil.example)")
    path.write_text(hostile(path.read_text("utf-8"), CHANGED), "utf-8")
    return folder


def test_the_markdown_edition(repo: Path) -> None:
    build([repo / "agreement.yaml"], repo / "build", formats=("md",), today=TODAY, jobs=1)
    edition = (repo / "build" / "minimal" / "minimal.en.md").read_text("utf-8")
    assert_inert(edition)
    assert "\\<img src=x\\>" not in edition  # no commit subject reaches an edition


def test_the_change_list_posted_as_a_comment(repo: Path) -> None:
    done = run_sla("diff", str(repo / "agreement.yaml"), "--from", "HEAD", "--format",
                   "markdown")
    assert done.returncode == 0, done.stderr
    assert_inert(done.stdout)
    assert "\\<b\\>x\\</b\\>" in done.stdout


def test_the_redline(repo: Path) -> None:
    out = repo / "redline.md"
    done = run_sla("diff", str(repo / "agreement.yaml"), "--from", "HEAD", "--redline", "md",
                   "-o", str(out))
    assert done.returncode == 0, done.stderr
    redline = out.read_text("utf-8")
    assert_inert(redline, MARKS)
    assert "<ins>" in redline and "<del>" in redline


def test_the_targets_appendix(repo: Path) -> None:
    assert_inert(targets_report(repo / "agreement.yaml", "markdown", today=TODAY))


def test_the_report(repo: Path) -> None:
    export = repo / "leads.csv"
    export.write_text(
        "lead_id,created_at,source,tier,handed_off_at,owner,first_attempt_at,attempts,"
        "connected,stage,customer_at,deal_amount\n"
        f"L1,2026-10-05T09:00:00+02:00,marketing,a,2026-10-05T10:00:00+02:00,\"{EVIL_IMAGE}\","
        "2026-10-05T10:30:00+02:00,1,true,mql,,\n"
        "<b>L2</b>,2026-10-06T09:00:00+02:00,marketing,a,2026-10-06T10:00:00+02:00,"
        "<script>x</script>,2026-10-05T10:30:00+02:00,1,true,mql,,\n", "utf-8")
    written = report(repo / "agreement.yaml", export, "2026-10", formats=("md",),
                     out=repo / "report", today=TODAY, jobs=1)
    assert [page.suffix for page in written] == [".md"]
    for page in written:
        text = page.read_text("utf-8")
        assert_inert(text)
        assert "!\\[x\\](http://evil.example/name.png)" in text

"""Shared helpers: the minimal agreement, and exact positions found by searching its text."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sla_docs.check.validate import Checked, check_file
from sla_docs.errors import Diagnostic, Position

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 23)
"""Every test judges dates as of this day, so that results do not age."""


@pytest.fixture
def minimal_text() -> str:
    """The text of a small agreement that is valid in English."""
    return (FIXTURES / "minimal.yaml").read_text("utf-8")


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with the single occurrence of ``old`` replaced; fails if it is not unique."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)

def rome_agreement(folder: Path, minimal_text: str, holiday: str = "2026-10-12") -> Path:
    """The minimal agreement on Rome's working calendar (09:00-18:00, business days),
    with one holiday: what the reports' and alerts' worked examples count in."""
    path = folder / "minimal.yaml"
    path.write_text(replace_once(minimal_text, "  calendar:\n    days: business\n",
                                 "  calendar:\n    days: business\n    time_zone: Europe/Rome\n"
                                 f"    holidays: [{holiday}]\n"), "utf-8")
    return path


def leads_export(folder: Path, header: str, rows: list[str]) -> Path:
    """A CRM export of leads in ``folder``: the header line, then one line per row."""
    path = folder / "leads.csv"
    path.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    return path



def position_of(text: str, needle: str, offset: int = 0) -> Position:
    """Where the unique ``needle`` starts in ``text`` (plus ``offset`` characters), 1-based."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    index = text.index(needle) + offset
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Position(line, column)


def check_text(tmp_path: Path, text: str | bytes, name: str = "agreement.yaml") -> Checked:
    """Write ``text`` to a file and validate it as ``sla validate`` would."""
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, "utf-8")
    else:
        path.write_bytes(text)
    return check_file(path, TODAY)


def codes(checked: Checked) -> list[str]:
    """The codes found, in file order."""
    return [d.code for d in checked.diagnostics]


def only(checked: Checked, code: str) -> Diagnostic:
    """The single diagnostic with ``code``."""
    found = [d for d in checked.diagnostics if d.code == code]
    assert len(found) == 1, [d.format_text() for d in checked.diagnostics]
    return found[0]


def run_sla(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the real ``sla`` command in its own process."""
    environment = {k: v for k, v in os.environ.items() if k != "SLA_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "sla_docs", *args],
        cwd=cwd, capture_output=True, text=True, env=environment, timeout=120,
    )


@pytest.fixture(scope="session")
def signed_kit(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A fully signed edition and keys to tamper with (``tests/signed_kit.Kit``)."""
    # here: a build and two signatures, paid for only by the sessions that verify
    from tests.signed_kit import make_kit

    return make_kit(tmp_path_factory.mktemp("signed-kit"))


def git(repo: Path, *args: str) -> None:
    """Run git in ``repo`` as a fixed committer (tests' repositories have no user config)."""
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Rev Ops",
                    "-c", "user.email=revops@example.com", *args],
                   check=True, capture_output=True)

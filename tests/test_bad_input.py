"""Every kind of bad input, through the real `sla validate` process.

Each case changes the minimal agreement in one way and names where the problem is
(a unique piece of text in the changed file, and an offset into it) and its code. The
test runs `sla validate` as a user would, and checks the exit code (1), the exact
`file:line:col: error CODE` line, and that no traceback was printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sla_docs.source.load import MAX_SOURCE_BYTES
from tests.conftest import position_of, replace_once, run_sla


@dataclass(frozen=True)
class Case:
    """One way to break the agreement, and where the error must point."""

    name: str
    change: Callable[[str], str]
    code: str
    needle: str | None  # None: the problem is at 1:1
    offset: int = 0


def swap(old: str, new: str) -> Callable[[str], str]:
    return lambda text: replace_once(text, old, new)


def add_language(text: str) -> str:
    return replace_once(text, "languages: [en]", "languages: [en, es]")


def alias_bomb(text: str) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n" + text


def without(start: str, end: str) -> Callable[[str], str]:
    return lambda text: text[: text.index(start)] + text[text.index(end):]


CASES = [
    Case("duplicate key", swap("currency: USD\n", "currency: USD\ncurrency: EUR\n"), "SLA002",
         "currency: EUR"),
    Case("tab", swap("review:\n  cadence:", "review:\n\tcadence:"), "SLA003", "\tcadence"),
    Case("empty file", lambda text: "", "SLA005", None),
    Case("list at the top", lambda text: "- id: acme\n- version: 1\n", "SLA008", None),
    Case("list where a section belongs",
         swap("review:\n  cadence: quarterly\n  next_review: 2027-03-01\n",
              "review:\n  - monthly\n"), "SLA103", "- monthly"),
    Case("alias bomb", alias_bomb, "SLA007", "a1: &a1", offset=4),
    Case("oversized", lambda text: text + "#" * MAX_SOURCE_BYTES, "SLA006", None),
    # The parser notices the unclosed bracket at the next key's colon.
    Case("syntax", swap("currency: USD\n", "currency: [USD\n"), "SLA001", "\nparties:",
         offset=8),
    Case("unknown key", swap("\nrewards:\n", "\nreward:\n"), "SLA101", "\nreward:", offset=1),
    Case("wrong type", swap("  attempts: 6\n", "  attempts: [6]\n"), "SLA103", "[6]"),
    Case("rate over 100%", swap("marketing_share: 100%", "marketing_share: 120%"), "SLA104",
         "120%"),
    Case("negative amount", swap("sales_quota: 5000", "sales_quota: -1"), "SLA104",
         "sales_quota: -1", offset=13),
    Case("missing translation", add_language, "SLA201", "\ntitle:", offset=1),
    Case("owner not declared", swap("id: speed\n    owner: sales", "id: speed\n    owner: finance"),
         "SLA203", "owner: finance", offset=7),
    Case("signatory party not declared", swap("    party: marketing\n", "    party: mktg\n"),
         "SLA203", "party: mktg", offset=7),
    Case("contact not declared", swap("to: dario-mensah", "to: dario"), "SLA204",
         "to: dario", offset=4),
    Case("missing MQL definition", without("    mql:\n", "    sql:\n"), "SLA205", "  terms:",
         offset=2),
    Case("goal without a period",
         swap("    target: 50\n    unit: customers\n    period: month\n",
              "    target: 50\n    unit: customers\n"), "SLA210", "- id: customers", offset=2),
    Case("party without signatory", without("  - id: amy\n", "\ninputs:"), "SLA209",
         "  - id: sales", offset=8),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_input_is_reported_at_its_place(tmp_path: Path, minimal_text: str,
                                            case: Case) -> None:
    text = case.change(minimal_text)
    path = tmp_path / "agreement.yaml"
    path.write_text(text, "utf-8")
    done = run_sla("validate", str(path), "--today=2026-11-23")
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    at = position_of(text, case.needle, case.offset) if case.needle else None
    line, column = (at.line, at.column) if at else (1, 1)
    expected = f"{path}:{line}:{column}: error {case.code}: "
    assert any(row.startswith(expected) for row in done.stdout.splitlines()), done.stdout


def test_bad_utf8_through_the_command(tmp_path: Path, minimal_text: str) -> None:
    path = tmp_path / "agreement.yaml"
    raw = minimal_text.encode().replace(b"Josh Rinaldi\n        role", b"Jos\xe9 Rinaldi\n  role")
    path.write_bytes(raw)
    done = run_sla("validate", str(path))
    at = position_of(raw.decode("latin-1"), "\xe9 Rinaldi\n  role")
    assert done.returncode == 1
    assert f"{path}:{at.line}:{at.column}: error SLA004: not UTF-8" in done.stdout

"""The project's own rules for its code: ruff clean, mypy strict, modules kept small."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.conftest import ROOT

MAX_MODULE_LINES = 400


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_ruff_is_clean() -> None:
    done = run("ruff", "check", "sla_docs", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout


def test_mypy_passes_on_the_package() -> None:
    done = run("mypy")
    assert done.returncode == 0, done.stdout


def test_no_module_grows_past_the_limit() -> None:
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text("utf-8").splitlines())
             for path in (ROOT / "sla_docs").rglob("*.py")}
    assert {name: size for name, size in sizes.items() if size > MAX_MODULE_LINES} == {}


def test_every_subpackage_ships_in_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "sla_docs").rglob("__init__.py")}
    assert found <= listed

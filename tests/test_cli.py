"""The `sla` command as users run it: real processes, exit codes, outputs, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, position_of, replace_once, run_sla


def run_python(script: str) -> subprocess.CompletedProcess[str]:
    """Run a Python snippet in a fresh interpreter at the repository's root."""
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)

TODAY = "--today=2026-11-23"


def broken(tmp_path: Path, minimal_text: str) -> tuple[Path, str]:
    text = replace_once(minimal_text, "  over_days: 10\n", "  over_day: 10\n")
    text = replace_once(text, "    party: sales\n", "    party: service\n")
    path = tmp_path / "broken.yaml"
    path.write_text(text, "utf-8")
    return path, text


def test_validate_prints_every_problem_with_its_place(tmp_path: Path, minimal_text: str) -> None:
    path, text = broken(tmp_path, minimal_text)
    done = run_sla("validate", str(path), TODAY)
    assert done.returncode == 1
    over = position_of(text, "over_day:")
    party = position_of(text, "party: service", offset=len("party: "))
    lines = done.stdout.splitlines()
    assert f"{path}:{over.line}:{over.column}: error SLA101: unknown key `over_day` " \
           "(did you mean `over_days`?)" in lines
    assert any(line.startswith(f"{path}:{party.line}:{party.column}: error SLA203: ")
               for line in lines)
    assert lines[-1] == "1 agreement checked: 0 valid, 4 errors, 0 warnings"
    assert "Traceback" not in done.stderr


def test_validate_json_and_github_formats(tmp_path: Path, minimal_text: str) -> None:
    path, text = broken(tmp_path, minimal_text)
    as_json = json.loads(run_sla("validate", str(path), "--format", "json", TODAY).stdout)
    assert as_json["ok"] is False
    first = as_json["files"][0]["diagnostics"][0]
    assert set(first) == {"line", "column", "severity", "code", "message", "hint", "yaml_path"}
    github = run_sla("validate", str(path), "--format", "github", TODAY)
    assert github.returncode == 1
    over = position_of(text, "over_day:")
    assert (f"::error file={path},line={over.line},col={over.column},title=SLA101::"
            "unknown key `over_day` (did you mean `over_days`?)") in github.stdout.splitlines()


def test_strict_fails_on_warnings(tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "next_review: 2027-03-01", "next_review: 2026-12-15")
    path = tmp_path / "late.yaml"
    path.write_text(text, "utf-8")
    assert run_sla("validate", str(path), "--today=2027-01-10").returncode == 0
    strict = run_sla("validate", str(path), "--today=2027-01-10", "--strict")
    assert strict.returncode == 1
    assert "warning SLA301: the review date 2026-12-15 has passed" in strict.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_sla("validate", str(tmp_path / "nowhere.yaml")).returncode == 2
    assert run_sla("validate", "--format", "xml", str(FIXTURES / "minimal.yaml")).returncode == 2
    assert run_sla("frobnicate").returncode == 2
    empty = run_sla("validate", cwd=tmp_path)
    assert empty.returncode == 2
    assert "no agreements" in empty.stderr


def test_validate_defaults_to_the_agreements_folder(tmp_path: Path) -> None:
    (tmp_path / "agreements").mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", tmp_path / "agreements" / "one.yaml")
    done = run_sla("validate", TODAY, cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip() == "1 agreement checked: 1 valid, 0 errors, 0 warnings"


def test_schema_is_json_the_samples_point_at() -> None:
    done = run_sla("schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert "inputs" in schema["properties"]


def test_init_writes_an_agreement_that_validates(tmp_path: Path) -> None:
    done = run_sla("init", "northwind", "--dir", str(tmp_path), "--lang", "en,pt")
    assert done.returncode == 0, done.stderr
    written = tmp_path / "northwind.yaml"
    text = written.read_text("utf-8")
    assert "id: northwind" in text and "languages: [en, pt]" in text
    assert "\n  it: " not in text and "#" in text
    assert run_sla("validate", str(written), "--strict").returncode == 0
    again = run_sla("init", "northwind", "--dir", str(tmp_path))
    assert again.returncode == 1 and "already exists" in again.stderr
    assert written.read_text("utf-8") == text
    assert run_sla("init", "../escape", "--dir", str(tmp_path)).returncode == 2


def test_build_writes_the_schema_and_keeps_old_outputs_on_failure(
        tmp_path: Path, minimal_text: str) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(minimal_text, "utf-8")
    out = tmp_path / "out"
    done = run_sla("build", str(good), "--out", str(out), "--format", "md", TODAY)
    assert done.returncode == 0, done.stderr
    schema = (out / "agreement.schema.json").read_bytes()
    assert json.loads(schema) == json.loads(run_sla("schema").stdout)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert out / "minimal" / "minimal.en.md" in before
    bad, _ = broken(tmp_path, minimal_text)
    failed = run_sla("build", str(good), str(bad), "--out", str(out), TODAY)
    assert failed.returncode == 1
    assert "error SLA101" in failed.stderr and "Traceback" not in failed.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_internal_errors_are_one_line_not_a_traceback(tmp_path: Path) -> None:
    script = ("import sys; import sla_docs.check.validate as v\n"
              "def boom(*a, **k): raise RuntimeError('simulated')\n"
              "v.validate_paths = boom\n"
              "sys.argv = ['sla', 'validate']\n"
              "from sla_docs.cli import main; main()\n")
    done = run_python(script)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "internal error: RuntimeError: simulated" in done.stderr


@pytest.mark.parametrize(("agreement", "loaded"), [
    # the currency is checked against CLDR's list (babel.core), not Babel's formats
    ("tests/fixtures/minimal.yaml", "['babel']"),
    # a text with {{ targets.NAME }} needs Jinja to be checked, but not Babel's formats
    ("agreements/acme.yaml", "['babel', 'jinja2']"),
])
def test_validate_imports_nothing_it_does_not_need(agreement: str, loaded: str) -> None:
    script = (f"import sys; sys.argv = ['sla', 'validate', '{agreement}']\n"
              "from sla_docs.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "heavy = {'weasyprint', 'jinja2', 'babel', 'pypdf', 'pyhanko', 'markdown_it'}\n"
              "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n")
    assert run_python(script).stdout.splitlines()[-1] == loaded
    formats = script.replace("print(sorted(heavy", "print(sorted({'babel.numbers', "
                             "'babel.dates'} & set(sys.modules)), sorted(heavy")
    assert run_python(formats).stdout.splitlines()[-1].startswith("[] ")

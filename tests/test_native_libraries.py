"""WeasyPrint's native libraries found from a record kept per machine, in real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sla_docs.editions.native_libraries import RECORD_FILE

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the record is kept on Linux only")

# A fresh process imports WeasyPrint through import_weasyprint, counting the searches
# that reach ctypes' own find_library; it prints the count and the Pango files loaded.
IMPORT = """
import ctypes.util, json
searches = []
real = ctypes.util.find_library
def counted(name):
    searches.append(name)
    return real(name)
ctypes.util.find_library = counted
from sla_docs.editions.native_libraries import import_weasyprint
import_weasyprint()
assert ctypes.util.find_library is counted  # put back as it was
loaded = sorted({line.split()[-1] for line in open("/proc/self/maps") if "libpango-" in line})
print(json.dumps({"searches": len(searches), "pango": loaded}))
"""


def _import_weasyprint(cache: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache)}, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_first_process_searches_and_records_the_next_one_does_not(
        tmp_path: Path) -> None:
    first = _import_weasyprint(tmp_path)
    assert first["searches"] and first["pango"]  # cffi asks find_library: a record helps
    record = json.loads((tmp_path / "sla-docs" / RECORD_FILE).read_text("utf-8"))
    assert record["found"]["pango-1.0"] == "libpango-1.0.so.0"
    assert None in record["found"].values()  # the failed searches, the costly ones
    second = _import_weasyprint(tmp_path)
    assert second == {"searches": 0, "pango": first["pango"]}


def test_a_stale_or_forged_record_is_searched_again(tmp_path: Path) -> None:
    _import_weasyprint(tmp_path)
    record = tmp_path / "sla-docs" / RECORD_FILE
    kept = json.loads(record.read_text("utf-8"))
    forged = {name: "/tmp/evil.so" if answer else None for name, answer in kept["found"].items()}
    record.write_text(json.dumps({"machine": kept["machine"], "found": forged}), "utf-8")
    assert _import_weasyprint(tmp_path)["searches"] > 0  # paths are never read back
    assert "/tmp/evil.so" not in record.read_text("utf-8")
    record.write_text(json.dumps({"machine": "another machine", "found": kept["found"]}))
    assert _import_weasyprint(tmp_path)["searches"] > 0
    record.write_bytes(b"\xff{not json")
    assert _import_weasyprint(tmp_path)["searches"] > 0
    record.write_text("[" * 60_000)  # deeper than json.loads can go
    assert _import_weasyprint(tmp_path)["searches"] > 0
    other = {name: "libc.so.6" if answer else None for name, answer in kept["found"].items()}
    record.write_text(json.dumps({"machine": kept["machine"], "found": other}))
    assert _import_weasyprint(tmp_path)["searches"] > 0  # one library never under another's name
    assert json.loads(record.read_text("utf-8"))["found"] == kept["found"]
    record.unlink()
    os.mkfifo(record)  # read, it would block every printer: it is not read
    assert _import_weasyprint(tmp_path)["searches"] > 0
    assert record.is_fifo()  # nor replaced (files.write_atomic replaces files only)
    record.unlink()
    assert _import_weasyprint(tmp_path)["searches"] > 0
    assert json.loads(record.read_text("utf-8"))["found"] == kept["found"]  # a record again


def test_a_cache_that_cannot_be_written_only_costs_the_search(tmp_path: Path) -> None:
    (tmp_path / "sla-docs").write_text("a file where the cache folder should be")
    assert _import_weasyprint(tmp_path)["searches"] > 0
    assert _import_weasyprint(tmp_path)["searches"] > 0


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_machine_that_cannot_load_weasyprint_gets_a_message(tmp_path: Path, jobs: str) -> None:
    """Pango missing: WeasyPrint's import fails in cffi's dlopen (an OSError), in this
    process with --jobs 1 or in the printers' fork server: a message, exit 1."""
    broken = tmp_path / "site" / "weasyprint"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': not found\")\n", "utf-8")
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "cache" / "sla-docs").mkdir(parents=True)
    (tmp_path / "cache" / "sla-docs" / RECORD_FILE).write_text("{}")  # maybe the cause
    done = subprocess.run(
        [sys.executable, "-m", "sla_docs", "build", str(root / "tests/fixtures/minimal.yaml"),
         "--format", "pdf", "--jobs", jobs, "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": f"{broken.parent}{os.pathsep}{root}",
             "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert done.returncode == 1, done.stderr
    assert not (tmp_path / "cache" / "sla-docs" / RECORD_FILE).exists()  # searched afresh
    assert "cannot print PDF editions on this machine" in done.stderr
    assert "libpango-1.0-0" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))

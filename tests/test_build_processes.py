"""A killed `sla build` leaves nothing running, and printing leaves nothing in the temp dir.

The build runs as a real process in a session of its own, so that everything it starts
(the fork server, multiprocessing's resource tracker, the printers) shares its process
group, which outlives it: after the build is killed, the group is searched in /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sla_docs.editions.pdf import _font_configuration_file
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def group_members(group: int) -> list[int]:
    """The processes of process group ``group``, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (name) "
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "SIGTERM"])
def test_nothing_of_a_killed_build_keeps_running(tmp_path: Path, how: signal.Signals) -> None:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path)}
    build = subprocess.Popen(
        [sys.executable, "-m", "sla_docs", "build", "agreements/globex.yaml",
         "--format", "pdf", "--jobs", "2", "--out", str(tmp_path / "out")],
        cwd=ROOT, env=environment, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # printing: the build, the fork server, the resource tracker and two printers
        assert wait_for(lambda: len(group_members(build.pid)) >= 5, 60)
        time.sleep(0.5)
        assert build.poll() is None, "the build ended before it could be killed"
        os.kill(build.pid, how)
        build.wait(10)
        assert wait_for(lambda: not group_members(build.pid), 5), group_members(build.pid)
    finally:
        for left in group_members(build.pid):  # so that a failure leaks nothing either
            os.kill(left, signal.SIGKILL)
    assert not list((tmp_path / "out").rglob("*.pdf"))  # killed before any PDF was done


def test_printers_share_one_kept_font_cache_and_leave_nothing_in_the_temp_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, temporary = tmp_path / "cache", tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache),
                   "TMPDIR": str(temporary)}
    done = subprocess.run(
        [sys.executable, "-m", "sla_docs", "build", "tests/fixtures/minimal.yaml", "--format",
         "pdf", "--jobs", "2", "--out", str(tmp_path / "out")],  # printed by a worker
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert list(temporary.iterdir()) == []  # no sla-docs-fonts-* per process
    [folder] = (cache / "sla-docs").glob("fonts-*")  # one, for the one fonts folder
    assert folder.name.startswith("fonts-") and list((folder / "cache").iterdir())
    made = {path: path.stat().st_mtime_ns for path in folder.rglob("*")}

    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))  # another process: the same one
    _font_configuration_file.cache_clear()
    try:
        assert _font_configuration_file() == folder / "fonts.conf"
    finally:
        _font_configuration_file.cache_clear()
    assert {path: path.stat().st_mtime_ns for path in folder.rglob("*")} == made

    config = folder / "fonts.conf"
    kept = config.read_bytes()
    for damaged in (b"", kept.replace(b"</fontconfig>", b"<dir>/usr/share/fonts</dir>"
                                           b"</fontconfig>")):
        config.write_bytes(damaged)  # cut short by a crash, or written by someone else
        _font_configuration_file.cache_clear()
        try:
            assert _font_configuration_file() == config and config.read_bytes() == kept
        finally:
            _font_configuration_file.cache_clear()
    linked = cache / "sla-docs" / "linked"
    folder.rename(linked)
    folder.symlink_to(linked)  # a folder elsewhere is not written through: a private one
    try:
        assert not _font_configuration_file().is_relative_to(cache)
    finally:
        _font_configuration_file.cache_clear()

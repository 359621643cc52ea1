"""What ``files.write_atomic`` (every command's way of writing) replaces and what it
keeps: never a device, a named pipe, a socket or a folder, nor a link to one; an
existing file's permission bits; a link to a file is replaced, its file left alone."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sla_docs.errors import OutputError
from sla_docs.files import NEW_FILE_MODE, refuse_unreplaceable, write_atomic
from tests.conftest import ROOT, run_sla


def _socket_at(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))


def test_a_device_is_never_replaced() -> None:
    for device in (Path("/dev/null"), Path("/dev/full")):
        if not device.is_char_device():
            continue
        with pytest.raises(OutputError, match=f"^{device}: cannot write: it is a device"):
            refuse_unreplaceable(device)


@pytest.mark.parametrize("kind", ["fifo", "socket", "folder", "link to a device",
                                  "link to a fifo"])
def test_what_is_no_file_is_refused_and_left_as_it_was(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "out.po"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "socket":
        _socket_at(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "link to a device":
        target.symlink_to("/dev/null")
    else:
        os.mkfifo(tmp_path / "pipe")
        target.symlink_to(tmp_path / "pipe")
    before = os.lstat(target)
    with pytest.raises(OutputError, match="cannot write: it is") as refused:
        write_atomic(target, b"text")
    assert refused.value.exit_code == 1 and str(target) in refused.value.message
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) in (["out.po"], ["out.po", "pipe"])


@pytest.mark.skipif(not Path("/proc/self/fd/1").exists(), reason="no /proc")
def test_a_link_to_a_process_output_is_refused(tmp_path: Path) -> None:
    """``-o /dev/stdout`` (a link to ``/proc/self/fd/1``): replacing that link with a file
    breaks every later ``> /dev/stdout``, whatever standard output is (here a file)."""
    stdout_file = tmp_path / "stdout.txt"
    stdout_file.write_bytes(b"")
    (tmp_path / "stdout").symlink_to("/proc/self/fd/1")
    (tmp_path / "twice").symlink_to(tmp_path / "stdout")
    for link in ("stdout", "twice"):
        with pytest.raises(OutputError, match="a process's open file"):
            write_atomic(tmp_path / link, b"text")
        assert (tmp_path / link).is_symlink()
    with stdout_file.open("wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "sla_docs", "translations", "export",
                               str(ROOT / "agreements" / "acme.yaml"), "--lang", "it", "-o",
                               str(tmp_path / "stdout")], cwd=ROOT, stdout=stdout,
                              stderr=subprocess.PIPE, timeout=120, check=False)
    assert done.returncode == 1 and b"a process's open file" in done.stderr
    assert (tmp_path / "stdout").is_symlink() and stdout_file.read_bytes() == b""


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o755])
def test_an_existing_file_keeps_its_permission_bits(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "private.yaml"
    target.write_bytes(b"old")
    target.chmod(mode)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_new_file_gets_the_default_mode(tmp_path: Path) -> None:
    write_atomic(tmp_path / "new.md", b"new")
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == NEW_FILE_MODE == 0o644


def test_a_link_to_a_file_is_replaced_and_its_file_left_alone(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_bytes(b"real")
    (tmp_path / "link.md").symlink_to(tmp_path / "real.md")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    write_atomic(tmp_path / "link.md", b"new")
    write_atomic(tmp_path / "dangling.md", b"new")
    assert (tmp_path / "real.md").read_bytes() == b"real"
    assert not (tmp_path / "nowhere.md").exists()
    for name in ("link.md", "dangling.md"):
        assert not (tmp_path / name).is_symlink() and (tmp_path / name).read_bytes() == b"new"


def test_export_refuses_a_fifo_and_keeps_a_private_files_mode(tmp_path: Path) -> None:
    source = ROOT / "agreements" / "acme.yaml"
    os.mkfifo(tmp_path / "pipe.po")
    done = run_sla("translations", "export", str(source), "--lang", "it", "-o",
                   str(tmp_path / "pipe.po"))
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"{tmp_path / 'pipe.po'}: cannot write: it is a named pipe " \
        "(FIFO), not a file: name a file to write\n"
    assert (tmp_path / "pipe.po").is_fifo()
    (tmp_path / "private.po").write_bytes(b"")
    (tmp_path / "private.po").chmod(0o600)
    done = run_sla("translations", "export", str(source), "--lang", "it", "-o",
                   str(tmp_path / "private.po"))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((tmp_path / "private.po").stat().st_mode) == 0o600
    assert b"msgctxt" in (tmp_path / "private.po").read_bytes()

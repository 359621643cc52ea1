"""Every file the tool reads as input is a regular file, refused before a byte is read
otherwise: a named pipe or a device would hang the command."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from sla_docs import input_files
from sla_docs.input_files import InputTooLarge, NotARegularFile, open_input, read_input
from tests.conftest import FIXTURES, run_sla


def test_a_regular_file_is_read_and_bounded(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"x" * 2048)
    assert read_input(path) == b"x" * 2048
    assert read_input(path, limit=2048) == b"x" * 2048
    with pytest.raises(InputTooLarge, match=r"larger than 2047 bytes: '.*data.txt'"):
        read_input(path, limit=2047)
    with pytest.raises(InputTooLarge, match="larger than 1 KiB"):
        read_input(path, limit=1024)
    with open_input(path) as stream:
        assert stream.read(3) == b"xxx"
    with pytest.raises(FileNotFoundError):
        read_input(tmp_path / "missing.txt")


@pytest.mark.parametrize("special, kind", [
    ("/dev/zero", "it is a device, not a file"),
    ("/dev/null", "it is a device, not a file"),
])
def test_a_device_is_refused(special: str, kind: str) -> None:
    with pytest.raises(NotARegularFile) as raised:
        read_input(Path(special))
    assert raised.value.strerror == kind


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    with pytest.raises(NotARegularFile) as raised:
        open_input(pipe)
    assert raised.value.strerror == "it is a named pipe (FIFO), not a file"
    with pytest.raises(NotARegularFile, match="a directory"):
        open_input(tmp_path)


def test_the_opened_descriptor_is_what_is_checked(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A file swapped for a pipe after its name was looked at is still refused, and the
    open does not wait for the pipe's writer."""
    pipe = tmp_path / "swapped.csv"
    os.mkfifo(pipe)
    real_stat = os.stat

    def looks_regular(path: object, *args: object, **kwargs: object) -> os.stat_result:
        found = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if Path(str(path)) == pipe:
            return os.stat_result((stat.S_IFREG | 0o644, *tuple(found)[1:]))
        return found

    monkeypatch.setattr(input_files.os, "stat", looks_regular)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            open_input(pipe)
        except BaseException as error:  # whatever it was, the test looks at it
            outcome.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "the open waited for a writer"
    assert len(outcome) == 1 and isinstance(outcome[0], NotARegularFile)


def test_every_command_refuses_a_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    minimal = str(FIXTURES / "minimal.yaml")
    cases = [
        (("validate", str(pipe)), f"{pipe}:1:1: error SLA009: cannot read: it is a named "
                                  "pipe (FIFO), not a file"),
        (("validate", str(tmp_path)), f"{pipe}:1:1: error SLA009"),  # found in a folder
        (("targets", minimal, "--actuals", str(pipe)), f"{pipe}:1:1: error SLA009"),
        (("verify", str(pipe)), f"{pipe}: it is a named pipe (FIFO), not a file"),
    ]
    for args, expected in cases:
        done = run_sla(*args, "--today", "2026-10-01") if args[0] in ("validate", "targets") \
            else run_sla(*args)
        assert done.returncode == 1, (args, done.stderr)
        assert expected in done.stdout + done.stderr, (args, done.stdout, done.stderr)
        assert "internal error" not in done.stderr

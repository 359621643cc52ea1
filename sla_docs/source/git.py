"""Reading git: a file as it was at a revision, and the commands the history needs."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sla_docs.errors import SlaError
from sla_docs.input_files import read_input

WORKING_TREE = "working tree"
"""How a version read from the file itself, not from git, is named."""


class RevisionError(SlaError):
    """A revision that cannot be read: not a git repository, no such revision or file."""


def read_revision(path: Path, revision: str | None) -> tuple[bytes, str]:
    """The bytes of ``path`` at ``revision`` (None: the working tree) and a name for messages."""
    if revision is None:
        try:
            return read_input(path), str(path)  # a regular file only: a FIFO never ends
        except OSError as error:
            raise RevisionError(f"{path}: {error.strerror or error}") from None
    folder = path.resolve().parent
    root = Path(git(folder, "rev-parse", "--show-toplevel").decode().strip())
    relative = path.resolve().relative_to(root).as_posix()
    return git(root, "show", f"{revision}:{relative}", what=f"{path} at {revision}"), \
        f"{path}@{revision}"


def git(folder: Path, *args: str, what: str | None = None) -> bytes:
    """The output of ``git -C folder ARGS``; :class:`RevisionError` when git fails."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(f"git could not run: {error}") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(f"cannot read {what or folder}: "
                            f"{reason[-1] if reason else 'git failed'}")
    return done.stdout

"""Reading git: a file as it was at a revision, and the commands the history needs.

A revision comes from the command line, so it is checked before git sees it in any other
place: ``git rev-parse --verify --end-of-options REV^{commit}`` turns it into a commit id
or fails, so ``--output=/tmp/x`` is a revision that does not exist, never an option.
Paths are given after ``--`` or inside ``COMMIT:path``, never where an option could be.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from sla_docs.errors import SlaError
from sla_docs.input_files import read_input

WORKING_TREE = "working tree"
"""How a version read from the file itself, not from git, is named."""


class RevisionError(SlaError):
    """A revision that cannot be read: not a git repository, no such revision or file."""


class NotAtRevision(RevisionError):
    """The revision exists, but the file was not there (it is new since)."""


def read_revision(path: Path, revision: str | None) -> tuple[bytes, str]:
    """The bytes of ``path`` at ``revision`` (None: the working tree) and a name for messages.

    :class:`RevisionError` names a revision that does not exist;
    :class:`NotAtRevision` says the file was not there at it.
    """
    if revision is None:
        try:
            return read_input(path), str(path)  # a regular file only: a FIFO never ends
        except OSError as error:
            raise RevisionError(f"{path}: {error.strerror or error}") from None
    root = repository(path)
    commit = commit_of(root, revision, path)
    try:
        relative = path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise RevisionError(f"{path}: not inside the git repository {root}") from None
    if _run(root, "cat-file", "-e", f"{commit}:{relative}").returncode != 0:
        raise NotAtRevision(f"{path}: not in git at {revision}")
    return git(root, "cat-file", "blob", f"{commit}:{relative}",
               what=f"{path} at {revision}"), f"{path}@{revision}"


def repository(path: Path) -> Path:
    """The top folder of the git repository ``path`` is in; :class:`RevisionError` if none."""
    folder = path.resolve().parent
    return Path(git(folder, "rev-parse", "--show-toplevel",
                    what=f"the git repository of {path}").decode().strip())


def commit_of(root: Path, revision: str, path: Path) -> str:
    """The commit id ``revision`` names in the repository at ``root``, checked before any
    other git command sees it; :class:`RevisionError` naming it when there is none."""
    done = _run(root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                f"{revision}^{{commit}}")
    commit = done.stdout.decode(errors="replace").strip()
    if done.returncode != 0 or not commit or any(c not in "0123456789abcdef" for c in commit):
        raise RevisionError(f"{path}: no revision `{revision}` in the git repository {root}")
    return commit


def git(folder: Path, *args: str, what: str | None = None) -> bytes:
    """The output of ``git -C folder ARGS``; :class:`RevisionError` when git fails."""
    done = _run(folder, *args)
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(f"cannot read {what or folder}: "
                            f"{reason[-1] if reason else 'git failed'}")
    return done.stdout


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              check=False, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(f"git could not run: {error}") from None

"""Writing files safely and using the machine's cores: helpers that know nothing of agreements.

Every command that writes (``build``, ``sign``, ``seal``, ``report``, ``diff --redline``,
``init``, ``translations``) writes through :func:`write_atomic`, so an interrupted
command leaves the previous file whole and never a half-written one.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sla_docs.errors import OutputError
from sla_docs.input_files import NotARegularFile, kind_of, open_input

BUILD_DIR = Path("build")
"""Where outputs go unless ``--out`` says otherwise."""


def user_cache_dir() -> Path:
    """Where sla-docs keeps what it may compute again: ``$XDG_CACHE_HOME/sla-docs``, else
    ``~/.cache/sla-docs`` (not made here; a relative ``XDG_CACHE_HOME`` is ignored, as
    the XDG specification says)."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    home = Path(configured) if os.path.isabs(configured) else Path.home() / ".cache"
    return home / "sla-docs"


def usable_cores() -> int:
    """How many cores this process may run on (its affinity, where the system says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}."


_TEMPORARY_TAIL = "[a-z0-9_]{8}"
"""What :func:`tempfile.mkstemp` puts after the prefix: 8 of ``a-z0-9_`` (CPython's
``_RandomNameSequence``), so a leftover is told from anything else by its whole name."""


def remove_leftovers(targets: Iterable[Path]) -> list[Path]:
    """Remove the temporary files an interrupted :func:`write_atomic` of ``targets`` left.

    Only files named exactly as ``write_atomic`` names the temporary file of one of
    ``targets``, beside it; what was removed.
    """
    wanted: dict[Path, list[str]] = {}
    for target in targets:
        wanted.setdefault(target.parent, []).append(re.escape(_temporary_prefix(target)))
    removed: list[Path] = []
    for folder, prefixes in wanted.items():
        pattern = re.compile(f"(?:{'|'.join(prefixes)}){_TEMPORARY_TAIL}")
        try:
            leftovers = [entry for entry in os.scandir(folder) if pattern.fullmatch(entry.name)
                         and entry.is_file(follow_symlinks=False)]
        except OSError:  # no folder yet: nothing left in it
            continue
        for entry in leftovers:
            try:
                Path(entry.path).unlink(missing_ok=True)
            except OSError:  # not ours to remove after all: left for its owner
                continue
            removed.append(Path(entry.path))
    return removed


def refuse_linked_folders(within: Path, target: Path) -> None:
    """Raise :class:`OutputError` when a folder between ``within`` and ``target`` is a
    symbolic link, which would send the write somewhere else on the disk."""
    folder = within
    for part in target.parent.relative_to(within).parts:
        folder = folder / part
        if folder.is_symlink():
            raise OutputError(folder, "it is a symbolic link, and a build writes only "
                              "inside its output folder: remove the link")


def read_regular_file(path: Path, most: int) -> bytes | None:
    """The bytes of ``path`` when it is a regular file of at most ``most`` bytes; None when
    it is missing, bigger, or anything else: a link is not followed, and a FIFO or a
    device is not read (either could block, or never end)."""
    try:
        with open_input(path, follow_links=False) as stream:
            if os.fstat(stream.fileno()).st_size > most:
                return None
            return stream.read(most + 1)
    except (FileNotFoundError, NotARegularFile):
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:  # a symbolic link
            return None
        raise


NEW_FILE_MODE = 0o644
"""The permission bits of a file :func:`write_atomic` creates: read by all, written by its
owner, as an output of a build is meant to be shared."""


def refuse_unreplaceable(target: Path) -> int | None:
    """Raise :class:`OutputError` unless ``target`` may be replaced by a regular file:
    it is missing, a regular file, or a symbolic link to a regular file (or to nothing).

    A device (``/dev/null``, ``/dev/full``), a named pipe, a socket or a directory is
    never replaced, and neither is a link to one, nor a link into ``/proc`` (``-o
    /dev/stdout``): whoever names it means the thing itself, and a regular file in its
    place would break it for everyone. Returns the permission bits of the regular file
    ``target`` is, else None.
    """
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(target, error.strerror or str(error)) from None
    if stat.S_ISLNK(mode):  # the link is replaced, never written through
        if _points_into_proc(target):
            raise OutputError(target, "it is a symbolic link to a process's open file "
                              "(as /dev/stdout is), not to a file: name a file to write")
        try:
            mode = os.stat(target).st_mode
        except OSError:  # a dangling link or a loop: nothing behind it to break
            return None
        kind = kind_of(mode)
        if kind is not None:
            raise OutputError(target, f"it is a symbolic link to {kind}, not to a file: "
                              "name a file to write")
        return None
    kind = kind_of(mode)
    if kind is not None:
        raise OutputError(target, f"it is {kind}, not a file: name a file to write")
    return stat.S_IMODE(mode) & 0o777


_MOST_LINKS = 40
"""How many links a chain may have before the system gives up on it (Linux: ELOOP)."""


def _points_into_proc(link: Path) -> bool:
    """Whether a link of the chain from ``link`` points into ``/proc``: ``/dev/stdout``
    (``/proc/self/fd/1``) stands for whatever this process writes to, a terminal, a pipe
    or a file, and a file in the link's place would quietly stand in for it."""
    current = link
    for _ in range(_MOST_LINKS):
        try:
            pointed = os.readlink(current)
        except OSError:  # the end of the chain
            return False
        current = Path(os.path.normpath(current.parent / pointed))
        if current.parts[:2] == ("/", "proc"):
            return True
    return False


def write_atomic(target: Path, content: bytes, *, within: Path | None = None) -> None:
    """Write ``content`` to ``target`` through a temporary file and a rename.

    An existing ``target`` that is not a regular file (a device, a FIFO, a socket, a
    directory, or a symbolic link to one of those) is refused with :class:`OutputError`
    (:func:`refuse_unreplaceable`); a symbolic link to a file is replaced by the file,
    and what it pointed to is left as it was (a caller that means to write through a
    link resolves it first). A regular file keeps its permission bits (a ``0600``
    file stays private); a new file gets :data:`NEW_FILE_MODE`. The rename gives
    ``target`` a new inode: a hard link to the old file is split from it, and keeps the
    old content.

    With ``within``, a folder above ``target``, refuse to write when a folder between
    them is a symbolic link (:func:`refuse_linked_folders`).
    """
    if within is not None:
        refuse_linked_folders(within, target)
    kept_mode = refuse_unreplaceable(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=_temporary_prefix(target))
    except OSError as error:
        raise OutputError(target, error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, NEW_FILE_MODE if kept_mode is None else kept_mode)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(target, error.strerror or str(error)) from None

"""Opening the files a user names as input: regular files only, and no more bytes than a
bound: a helper that knows nothing of agreements.

A named pipe, a terminal or a device such as ``/dev/zero`` passes for a file by name
(``click.Path(exists=True)`` takes it) but never ends, or never starts: reading one
would hang the command. Every reader (agreements, ``--actuals``, ``--columns``, CRM
exports, certificates, PDFs) opens its input here, which refuses anything but a regular
file before reading a byte. The check is made on the opened descriptor (``fstat``), so
a file swapped for a pipe between a check and the open cannot slip through; the open
itself does not wait for a pipe's writer (``O_NONBLOCK``), and a device is not even
opened when its name already says what it is.

The errors are :class:`OSError`\\ s, with a ``strerror`` that says what the file is, so
a reader's existing ``except OSError`` reports them as it reports a missing file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_NON_BLOCKING = getattr(os, "O_NONBLOCK", 0)
_NO_TERMINAL = getattr(os, "O_NOCTTY", 0)


class NotARegularFile(OSError):
    """An input that is a directory, a named pipe, a device or a socket."""


class InputTooLarge(OSError):
    """An input larger than its reader's bound."""


def kind_of(mode: int) -> str | None:
    """What a file of ``mode`` is, in words, when it is not a regular file (else None)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refusal(path: Path, kind: str) -> NotARegularFile:
    number = errno.EISDIR if kind == "a directory" else errno.EINVAL
    return NotARegularFile(number, f"it is {kind}, not a file" if kind.startswith("a ")
                           else kind, str(path))


def open_input(path: Path, *, follow_links: bool = True) -> BinaryIO:
    """``path`` opened for reading in binary; :class:`NotARegularFile` (an ``OSError``)
    unless it is a regular file, and any ``OSError`` of the open itself (``ELOOP`` for a
    symbolic link when ``follow_links`` is false)."""
    try:  # a device named as such is never opened at all
        before = (os.stat(path) if follow_links else os.lstat(path)).st_mode
    except OSError:
        before = stat.S_IFREG  # let the open say why (missing, no permission)
    kind = None if stat.S_ISLNK(before) else kind_of(before)  # the open refuses a link
    if kind is not None:
        raise _refusal(path, kind)
    no_link = 0 if follow_links else getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, os.O_RDONLY | _NON_BLOCKING | _NO_TERMINAL | no_link)
    try:
        kind = kind_of(os.fstat(descriptor).st_mode)  # what was opened, whatever the name
        if kind is not None:
            raise _refusal(path, kind)
        if _NON_BLOCKING:  # a regular file reads the same either way; say what is meant
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_input(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``; :class:`InputTooLarge` when it holds more
    than ``limit`` bytes (None: no bound), without reading past the bound."""
    with open_input(path) as stream:
        data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise InputTooLarge(errno.EFBIG, f"it is larger than {_size(limit)}", str(path))
    return data


def _size(limit: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} bytes"

"""Writing files safely and using the machine's cores: helpers that know nothing of agreements.

Every command that writes (``build``, ``sign``, ``report``, ``diff --redline``, ``init``)
writes through :func:`write_atomic`, so an interrupted command leaves the previous file
whole and never a half-written one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sla_docs.errors import OutputError

BUILD_DIR = Path("build")
"""Where outputs go unless ``--out`` says otherwise."""


def usable_cores() -> int:
    """How many cores this process may run on (its affinity, where the system says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def write_atomic(target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` through a temporary file and a rename."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise OutputError(target, error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(target, error.strerror or str(error)) from None

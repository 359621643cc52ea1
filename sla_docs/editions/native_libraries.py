"""WeasyPrint imported with its native libraries found from a record kept per machine.

Importing WeasyPrint looks for GObject, Pango, HarfBuzz and fontconfig under one name
per platform in turn, and on Linux each name that is not installed costs a run of
``ldconfig``, ``gcc`` and ``ld``: about a fifth of a second in every printing process,
as long as the rest of WeasyPrint's import. The answers depend only on the machine,
so the first process records them beside the font cache
(``<cache>/native-libraries.json``, :func:`sla_docs.files.user_cache_dir`) and the
next ones read them back.

The record holds for as long as the system's library cache (``/etc/ld.so.cache``,
rewritten whenever a library is installed or removed), ``LD_LIBRARY_PATH`` and the
platform are the same; otherwise it is made again, and so it is after an import that
failed with it. It is kept on Linux only, and an answer is read back only when it is
the bare file name of the very library asked for (``libpango-1.0.so.0`` for
``pango-1.0``), never a path: the dynamic loader resolves it where it always would, so
a record, even a forged one, can only name the library the search would have found,
or one of its versions, or none.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import json
import os
import platform
import re
import sys
from pathlib import Path

from sla_docs.errors import SlaError
from sla_docs.files import read_regular_file, user_cache_dir, write_atomic
from sla_docs.library_internals import library_lookups_answered_by

RECORD_FILE = "native-libraries.json"
LIBRARY_CACHE = Path("/etc/ld.so.cache")
MOST_RECORD_BYTES = 64 * 1024
"""A record bigger than this is not one of ours: it is ignored."""

Found = dict[str, str | None]
"""Library names asked for, each with what ``find_library`` answered."""


class PrintingUnavailable(SlaError):
    """WeasyPrint cannot be loaded here (its native libraries are missing): no PDF."""

    def __init__(self, error: Exception) -> None:
        super().__init__(
            f"cannot print PDF editions on this machine: WeasyPrint did not load ({error}); "
            "install Pango (Debian and Ubuntu: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0), or build the other formats with --format md,html")


def import_weasyprint() -> None:
    """Import WeasyPrint (once per process), its libraries found from the record.

    Raises :class:`PrintingUnavailable` when it cannot be loaded.
    """
    try:
        _import_weasyprint()
    except (OSError, ImportError) as error:  # a native library (cffi) or a module missing
        raise PrintingUnavailable(error) from None


def _import_weasyprint() -> None:
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint  # here: off Linux the search is cheap, and the record not kept

        return
    machine = _machine()
    record = user_cache_dir() / RECORD_FILE
    known = _read(record, machine)
    recorded = set(known)
    found: Found = {}
    search = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        if name not in known:
            known[name] = search(name)
        found[name] = known[name]
        return found[name]

    try:
        with library_lookups_answered_by(find_library):
            import weasyprint  # noqa: F401  (here: with the lookups answered)
    except BaseException:
        # whatever the record said may be why: the next process searches afresh
        with contextlib.suppress(OSError):
            record.unlink()
        raise
    if found.keys() - recorded:  # a name the record did not answer: searched, so kept
        _write(record, machine, found)


def _machine() -> str:
    """What the answers depend on: a different value makes the record stale."""
    try:
        stat = LIBRARY_CACHE.stat()
        system_cache = f"{stat.st_mtime_ns}:{stat.st_size}:{stat.st_ino}"
    except OSError:
        system_cache = "none"
    return "|".join((sys.platform, platform.machine(), system_cache,
                     os.environ.get("LD_LIBRARY_PATH", "")))


def _read(record: Path, machine: str) -> Found:
    """The record's answers, if it is ours, well formed and for this machine; else none."""
    try:  # a regular file only: a FIFO put there would block every printer
        kept = read_regular_file(record, MOST_RECORD_BYTES)
        data = json.loads(kept) if kept is not None else None
    except (OSError, ValueError, RecursionError):  # RecursionError: nested past Python's
        return {}  # limit, which json.loads does not check
    if not isinstance(data, dict) or data.get("machine") != machine:
        return {}
    answers = data.get("found")
    if not isinstance(answers, dict):
        return {}
    return {name: answer for name, answer in answers.items()
            if isinstance(name, str) and (answer is None or _answers(name, answer))}


def _answers(name: str, answer: object) -> bool:
    """Whether ``answer`` is what ``find_library(name)`` can answer on Linux: the bare
    name of that library's file (``libpango-1.0.so.0`` for ``pango-1.0``), so a record
    can never load one library under another's name."""
    return isinstance(answer, str) and re.fullmatch(
        rf"lib{re.escape(name)}\.so(\.[0-9]+)*", answer) is not None


def _write(record: Path, machine: str, found: Found) -> None:
    content = json.dumps({"machine": machine, "found": found}, indent=1, sort_keys=True)
    with contextlib.suppress(SlaError):  # a read-only cache: the next process searches
        write_atomic(record, content.encode("utf-8"))

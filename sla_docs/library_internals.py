"""The one module that touches other libraries' private or undocumented internals.

sla-docs needs a few things no library offers publicly: where WeasyPrint laid out a
signature line, which pydyf object is which page, how pydyf compresses a stream (so
the fonts' deflates can be kept), how cffi finds a native library by name (so
WeasyPrint's search for its libraries is not run again in every process), and the
worker processes of a ``ProcessPoolExecutor`` so they can be killed. Each function
below wraps one such access, and says what it touches, in which versions that was checked, and what
breaks if it changes. No other module reaches into a library
(``tests/test_library_internals.py`` fails if one does), so a library upgrade is
checked here, and ``pyproject.toml`` caps WeasyPrint and pydyf at the versions
checked.

Nothing here imports a library when the module is imported: the functions read
attributes of objects the callers already have (or of ``ctypes.util``, imported when
needed), so importing this module costs nothing.

Checked in: WeasyPrint 68.0, 69.0 and 70.0; pydyf 0.11.0, 0.12.1 and 0.13.0; cffi
2.0.0 (each version's source read); CPython 3.11.2, 3.11.7, 3.12 and 3.13
(``concurrent.futures.process``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# --- WeasyPrint: the laid-out boxes of a rendered page ------------------------------
# The public ``Page.anchors`` say where each element with an id is, but a signature
# line has no id: finding it inside its block, and its rectangle, takes WeasyPrint's
# box tree, which is not public. If any of these change, the fields land in the wrong
# place or vanish, and tests/test_signing.py's test that each field lies on its
# signature line fails.


def page_box(page: Any) -> Any:
    """The root of the box tree WeasyPrint laid out for ``page`` (a ``weasyprint.Page``)."""
    # Page._page_box: private, set in Page.__init__ and used by Page.paint; the same in
    # WeasyPrint 68.0-70.0. Renamed, this raises AttributeError while printing.
    return page._page_box


def boxes(box: Any) -> Iterator[Any]:
    """``box`` and every box inside it, depth first, in document order."""
    # Box.children (weasyprint.formatting_structure.boxes, undocumented): the child
    # boxes of a ParentBox; leaf boxes have none. Unchanged in 68.0-70.0.
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


def element_attribute(box: Any, name: str) -> str | None:
    """The HTML attribute ``name`` of the element ``box`` was made for, if any."""
    # Box.element (undocumented): the ElementTree element of the box, None for
    # anonymous boxes. Unchanged in 68.0-70.0.
    element = getattr(box, "element", None)
    return None if element is None else element.get(name)


def border_box(box: Any) -> tuple[float, float, float, float]:
    """``(x, y, width, height)`` of ``box``'s border box, in CSS pixels from the
    page's top-left corner."""
    # Box.border_box_x/_y and border_width/_height (undocumented methods): the same
    # code in 68.0-70.0. A change of meaning (margin box, say) moves every field.
    return box.border_box_x(), box.border_box_y(), box.border_width(), box.border_height()


# --- pydyf: the PDF WeasyPrint hands to a finisher -----------------------------------
# WeasyPrint documents the ``finisher(document, pdf)`` hook, but not the pydyf.PDF it
# passes, and pydyf documents how to build a PDF, not how to find its pages again.


def page_dictionaries(pdf: Any) -> list[Any]:
    """The page objects of ``pdf`` (a ``pydyf.PDF``), in page order."""
    # pydyf.PDF.pages["Kids"] holds each page's reference flattened into three items
    # (object number, 0, "R"), as PDF.add_page writes it, and PDF.objects is indexed
    # by object number: both in pydyf 0.11.0-0.13.0. If either changes, a widget is
    # attached to the wrong page, or this raises.
    kids = pdf.pages["Kids"]
    return [pdf.objects[kids[index]] for index in range(0, len(kids), 3)]


def catalog(pdf: Any) -> Any:
    """The document catalog of ``pdf`` (a ``pydyf.PDF``), still open to additions."""
    # pydyf.PDF.catalog: an undocumented attribute, written out only by PDF.write,
    # which WeasyPrint calls after the finisher (68.0-70.0). An /AcroForm added here
    # would be lost if WeasyPrint wrote the catalog before calling the finisher.
    return pdf.catalog


# --- concurrent.futures: the worker processes of a pool ------------------------------


def terminate_workers(pool: ProcessPoolExecutor) -> None:
    """Send every worker process of ``pool`` SIGTERM now, whatever it is doing."""
    terminate = getattr(pool, "terminate_workers", None)  # public from Python 3.14
    if terminate is not None:
        terminate()
        return
    # ProcessPoolExecutor._processes: private, {pid: Process} of the live workers,
    # None once shut down; so in CPython 3.11-3.13. If it goes before 3.14 is the
    # oldest Python supported, stopping waits for the workers' current PDFs instead
    # of killing them (tests/test_printers.py's test of stop() fails).
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    # ProcessPoolExecutor._call_queue._reader: private, the pool's end of the pipe the
    # jobs go to the workers through, which this process never reads. CPython before
    # 3.11.5 (Debian 12 has 3.11.2) left it open when its workers died: a job still
    # being written to a killed worker then blocked the queue's feeder thread, and
    # shutdown() waited for that thread forever (gh-94777). Closed, the write fails and
    # the thread ends, as later CPythons do themselves. Only before 3.11.5: from then on
    # the pool's manager thread closes it itself when it sees a worker killed, and two
    # threads closing one Connection at once race (both pass its "still open" check, and
    # the second close fails with EBADF, or closes a descriptor opened meanwhile).
    if sys.version_info >= (3, 11, 5):
        return
    reader = getattr(getattr(pool, "_call_queue", None), "_reader", None)
    if reader is not None:
        reader.close()


# --- pydyf: how a stream is compressed --------------------------------------------------
# pydyf.Stream.data compresses a stream with its module's ``zlib.compressobj(level=9)``,
# ``compress`` then ``flush``, every time a PDF is written (pydyf 0.11-0.13). The fonts,
# embedded whole, are the same megabytes in every edition, and compressing them is a
# tenth of a PDF's time. Swapping the ``zlib`` that module sees for one whose
# compressor looks the result up first changes no byte written. If pydyf stops calling
# ``zlib.compressobj`` this way, the swap is simply not used: PDFs stay right, only
# slower (benchmarks/scale_out.py shows it).


class _RememberingCompressor:
    """``zlib.compressobj(level=9)``'s interface for one stream, its result looked up."""

    def __init__(self, zlib: Any, remembered: Any) -> None:
        self._zlib, self._remembered, self._parts = zlib, remembered, []  # type: ignore[var-annotated]

    def compress(self, data: bytes) -> bytes:
        self._parts.append(data)
        return b""

    def flush(self) -> bytes:
        raw = b"".join(self._parts)
        return self._remembered(raw, lambda: _deflate(self._zlib, raw))  # type: ignore[no-any-return]


def _deflate(zlib: Any, raw: bytes) -> bytes:
    compressor = zlib.compressobj(level=9)
    return compressor.compress(raw) + compressor.flush()  # type: ignore[no-any-return]


class _RememberingZlib:
    """The ``zlib`` module as pydyf uses it, with ``compressobj`` remembering results."""

    def __init__(self, zlib: Any, remembered: Any) -> None:
        self._zlib, self._remembered = zlib, remembered

    def compressobj(self, level: int = -1, *args: Any, **kwargs: Any) -> Any:
        if level != 9 or args or kwargs:
            return self._zlib.compressobj(level, *args, **kwargs)
        return _RememberingCompressor(self._zlib, self._remembered)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._zlib, name)


def remember_compressed_streams(pydyf_module: Any, remembered: Any) -> None:
    """Make ``pydyf_module`` compress its streams through ``remembered(raw, deflate)``,
    which returns the level-9 deflate of ``raw``, from a store or by calling
    ``deflate()``; idempotent."""
    zlib = getattr(pydyf_module, "zlib", None)
    if zlib is None or isinstance(zlib, _RememberingZlib):
        return
    pydyf_module.zlib = _RememberingZlib(zlib, remembered)


# --- cffi: finding a native library by name -------------------------------------------
# WeasyPrint loads each of its native libraries (GObject, Pango, HarfBuzz, fontconfig)
# by trying one name per platform in turn, through cffi's ``FFI.dlopen``. For a name
# that is not a loadable file, cffi's ``_load_backend_lib`` calls
# ``ctypes.util.find_library(name)``, looked up on the module at each call, and on
# Linux every name that is not installed runs ``ldconfig``, ``gcc`` and ``ld``: some
# sixteen failed searches, a fifth of a second, in every process that imports
# WeasyPrint. If cffi stops calling it there, the answers below are simply not asked
# for: WeasyPrint loads as before, only slower (tests/test_native_libraries.py notices).


@contextmanager
def library_lookups_answered_by(lookup: Callable[[str], str | None]) -> Iterator[None]:
    """While the block runs, cffi finds native libraries by name through ``lookup``
    (in place of ``ctypes.util.find_library``, which ``lookup`` may call itself)."""
    import ctypes.util  # only here: importing this module must cost nothing

    before = ctypes.util.find_library
    ctypes.util.find_library = lookup  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = before

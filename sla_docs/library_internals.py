"""The one module that touches other libraries' private or undocumented internals.

sla-docs needs a few things no library offers publicly: where WeasyPrint laid out a
signature line, which pydyf object is which page, and the worker processes of a
``ProcessPoolExecutor`` so they can be killed. Each function below wraps one such
access, and says what it touches, in which versions that was checked, and what
breaks if it changes. No other module reaches into a library
(``tests/test_library_internals.py`` fails if one does), so a library upgrade is
checked here, and ``pyproject.toml`` caps WeasyPrint and pydyf at the versions
checked.

Nothing here imports a library: the functions only read attributes of objects the
callers already have, so importing this module costs nothing.

Checked in: WeasyPrint 68.0, 69.0 and 70.0; pydyf 0.11.0, 0.12.1 and 0.13.0 (each
version's source read); CPython 3.11.2, 3.11.7, 3.12 and 3.13 (``concurrent.futures.process``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
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

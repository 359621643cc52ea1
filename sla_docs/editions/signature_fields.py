"""Empty signature fields, one per signatory, laid exactly on the signature lines.

Every PDF edition carries them, so that each person can sign their own block in any
PDF reader, or with ``sla sign``. The field of signatory ``ceo`` is named ``ceo``
and lies on the signature line of the block whose element id is ``sig-ceo``; where
that is comes from WeasyPrint's own layout: the page whose ``anchors`` hold the
block's id, and the line's box on that page (WeasyPrint's laid-out boxes, reached
through :mod:`sla_docs.library_internals`).

The fields are written by a WeasyPrint *finisher*, into the PDF as it is made, not
appended afterwards: the edition stays one revision, built to the same bytes every
time, and PDF/A (each widget has an appearance, and the form needs none made up).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sla_docs.library_internals import (
    border_box,
    boxes,
    catalog,
    element_attribute,
    page_box,
    page_dictionaries,
)

BLOCK_PREFIX = "sig-"
"""The element id of a signatory's block is this and the signatory id."""
LINE_CLASS = "line"
"""The class of the signature line inside a block (the first one is the signature's)."""
POINTS_PER_PIXEL = 0.75
"""PDF points per CSS pixel: 72 per inch against 96."""


@dataclass(frozen=True)
class FieldPlace:
    """Where a signatory's signature field goes."""

    name: str
    """The field's name: the signatory id."""
    page: int
    """The page, counted from 0."""
    rect: tuple[float, float, float, float]
    """``(left, bottom, right, top)`` in PDF points from the page's bottom-left corner."""


def field_places(document: Any) -> list[FieldPlace]:
    """Where each signature block's line is, in a rendered WeasyPrint document."""
    places = []
    for number, page in enumerate(document.pages):
        for anchor in sorted(a for a in page.anchors if a.startswith(BLOCK_PREFIX)):
            line = _signature_line(page_box(page), anchor)
            if line is None:
                continue
            x, y, box_width, box_height = border_box(line)
            left = x * POINTS_PER_PIXEL
            top = (page.height - y) * POINTS_PER_PIXEL  # PDF counts up
            width = box_width * POINTS_PER_PIXEL
            height = box_height * POINTS_PER_PIXEL
            rect = (round(left, 2), round(top - height, 2), round(left + width, 2),
                    round(top, 2))
            places.append(FieldPlace(anchor.removeprefix(BLOCK_PREFIX), number, rect))
    return places


def _signature_line(root: Any, block_id: str) -> Any:
    """The first line box inside the block ``block_id``, if it is on the page of ``root``."""
    for box in boxes(root):
        if element_attribute(box, "id") == block_id:
            return next((inner for inner in boxes(box)
                         if LINE_CLASS in (element_attribute(inner, "class") or "").split()),
                        None)
    return None


def add_signature_fields(document: Any, pdf: Any) -> None:
    """A WeasyPrint finisher: an empty signature field for each block of ``document``."""
    import pydyf  # here: it comes with WeasyPrint, which only printing loads

    places = field_places(document)
    if not places:
        return
    pages = page_dictionaries(pdf)
    form = catalog(pdf).setdefault("AcroForm", pydyf.Dictionary({"Fields": pydyf.Array()}))
    for place in places:
        left, bottom, right, top = place.rect
        appearance = pydyf.Stream([], extra={  # empty, but there: PDF/A wants one
            "Type": "/XObject", "Subtype": "/Form",
            "BBox": pydyf.Array([0, 0, round(right - left, 2), round(top - bottom, 2)])})
        pdf.add_object(appearance)
        page = pages[place.page]
        widget = pydyf.Dictionary({
            "Type": "/Annot", "Subtype": "/Widget", "FT": "/Sig",
            "T": pydyf.String(place.name), "Rect": pydyf.Array(place.rect),
            "F": 1 << 2,  # printed
            "P": page.reference, "AP": pydyf.Dictionary({"N": appearance.reference}),
        })
        pdf.add_object(widget)
        page.setdefault("Annots", pydyf.Array()).append(widget.reference)
        form["Fields"].append(widget.reference)

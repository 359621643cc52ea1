"""A signed edition stays PDF/A-3B: its document information and its XMP agree.

PDF/A requires every entry of the document information dictionary to equal its XMP
twin. On each incremental update pyHanko sets the modification date in both, but
writes the producer differently: XMP's ``pdf:Producer`` becomes pyHanko's name alone,
while the information dictionary's ``/Producer`` gets pyHanko's name appended to
WeasyPrint's. pyHanko leaves a producer that already names it as it is, so naming it
alone beforehand makes the two equal, in every revision (signature, DSS, document
timestamp).
"""

from __future__ import annotations

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR


def keep_metadata_agreeing(writer: IncrementalPdfFileWriter) -> None:
    """Make ``/Producer`` what pyHanko will write into the XMP, in this update."""
    if "/Info" not in writer.trailer:
        return
    info = writer.trailer["/Info"]
    if not isinstance(info, generic.DictionaryObject) or info.get("/Producer") == VENDOR:
        return
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.update_container(info)

"""Imported by the printers' fork server, before it forks any printer: loads WeasyPrint.

Importing this module is its whole purpose (``multiprocessing`` preloads modules by
name), so that every printer starts with WeasyPrint and its native libraries loaded
(:func:`sla_docs.editions.native_libraries.import_weasyprint`).
"""

from __future__ import annotations

import contextlib

from sla_docs.editions import pdf
from sla_docs.editions.native_libraries import PrintingUnavailable, import_weasyprint

# not here: a printer asked for a PDF says why it cannot print, as a message, where a
# fork server that failed to start would only print a traceback
with contextlib.suppress(PrintingUnavailable):
    import_weasyprint()
    pdf.isolate_fonts()

"""Imported by the printers' fork server, before it forks any printer: loads WeasyPrint.

Importing this module is its whole purpose (``multiprocessing`` preloads modules by
name), so that every printer starts with WeasyPrint and its native libraries loaded
(:func:`sla_docs.editions.native_libraries.import_weasyprint`).
"""

from __future__ import annotations

from sla_docs.editions import pdf
from sla_docs.editions.native_libraries import import_weasyprint

import_weasyprint()
pdf.isolate_fonts()

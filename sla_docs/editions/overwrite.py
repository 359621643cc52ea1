"""What a build may write over, checked before it writes anything.

- **No folder of the output may be a symbolic link**: ``build/acme`` pointing at
  ``/tmp/elsewhere`` (or at someone's home) would have the build write there.
- **Nothing but a file is replaced**: a device, a named pipe, a socket or a folder where
  an output (or its stamps) goes, or a symbolic link to one, stops the build before it
  writes (:func:`sla_docs.files.refuse_unreplaceable`); a link to a file is replaced,
  never written through.
- **No signed PDF is printed over**: a signature is someone's act, and the unsigned
  edition that replaced it could not bring it back. ``sla sign`` writes a separate
  ``NAME.signed.pdf``, but a file signed in place (``sla sign X.pdf -o X.pdf``, or in a
  PDF reader) stands where the build prints.
- **Temporary files an interrupted build left** beside the outputs are removed: only
  those named exactly as :func:`sla_docs.files.write_atomic` names the temporary files of
  this build's outputs, in the folders it writes to.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from sla_docs.errors import OutputError
from sla_docs.files import (
    read_regular_file,
    refuse_linked_folders,
    refuse_unreplaceable,
    remove_leftovers,
)

SIGNATURE_MARK = b"/ByteRange"
"""What every PDF signature dictionary holds, uncompressed: a signer writes the signed
byte ranges after computing them, into bytes it left for them, so they are never
inside a compressed stream."""


MOST_PDF_BYTES = 1024 * 1024 * 1024
"""A file bigger than this where a PDF edition goes is no edition: it is not read."""


def make_way(out: Path, writing: Sequence[Path], keeping: Sequence[Path]) -> None:
    """Check that the build may write ``writing`` under ``out``, then tidy its folders.

    :class:`OutputError` names the first folder that is a symbolic link, or the first
    PDF of ``writing`` that carries a signature, or the first of ``writing`` (or a
    stamps file) that is no file, and nothing is written. ``keeping``
    (the outputs left as they are) count for the folders: a leftover beside them goes
    too, but only once no folder is a link.
    """
    stamps = {path.parent / ".stamps.json" for path in [*writing, *keeping]}
    for path in [*writing, *keeping]:
        refuse_linked_folders(out, path)
    for path in [*writing, *sorted(stamps)]:
        refuse_unreplaceable(path)
    for path in writing:
        if path.suffix == ".pdf" and carries_signature(path):
            raise OutputError(path, "it carries a signature, and a build would print the "
                              "unsigned edition over it: move it away first (sla sign "
                              "writes NAME.signed.pdf beside the edition)")
    remove_leftovers([*writing, *keeping, *stamps])


def carries_signature(path: Path) -> bool:
    """Whether the file at ``path`` is a PDF with a signature in one of its fields.

    A cheap scan first: a file without ``/ByteRange`` has no signature. A file with one
    is read with pyHanko for a signature field that has a value; one that cannot be
    read is taken as signed, since it looks it and printing over it cannot be undone.
    """
    try:  # a link, a FIFO, a device is replaced, not written through: none counts
        data = read_regular_file(path, MOST_PDF_BYTES) or b""
    except OSError as error:
        raise OutputError(path, error.strerror or str(error)) from None
    if SIGNATURE_MARK not in data:
        return False
    # here: pyHanko takes half a second to import, for the rare file that may be signed
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        return any(value is not None for _, value, _ in enumerate_sig_fields(reader))
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return True

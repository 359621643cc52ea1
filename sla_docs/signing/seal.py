"""``sla seal``: a document timestamp over a signed edition (PAdES B-LTA).

A time-stamping authority signs the hash of the whole file as it is, and the TSA's
own certificates and revocation data go into the DSS with it. The timestamp proves
that every signature in the file existed, intact and with the validation data beside
it, at the TSA's time: so the file still verifies (``sla verify --at``) after the
signers' certificates have expired. Sealing again before the TSA's certificate
expires extends that, one timestamp over the last.

Like ``sla sign``, it writes a new file and never the one it reads:
``acme.it.signed-2.pdf`` sealed is ``acme.it.signed-2.sealed.pdf``, sealed again
``acme.it.signed-2.sealed-2.pdf``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers

from sla_docs.files import write_atomic
from sla_docs.signing.edition_facts import SigningError, edition_facts, quiet_pyhanko, read_input
from sla_docs.signing.pdfa import keep_metadata_agreeing
from sla_docs.signing.sign import output_for, unreadable_pdf
from sla_docs.signing.timestamps import gathering_context, reaching_out, timestamper

_SEALED_NAME = re.compile(r"\.sealed(-\d+)?\.pdf$", re.IGNORECASE)


def sealed_path(pdf: Path, seals: int = 1) -> Path:
    """Where the copy of ``pdf`` carrying ``seals`` document timestamps goes by default."""
    stem = _SEALED_NAME.sub("", pdf.name)
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    return pdf.with_name(stem + (".sealed.pdf" if seals <= 1 else f".sealed-{seals}.pdf"))


def seal_edition(pdf: Path, timestamp_url: str, output: Path | None = None,
                 trust: tuple[Path, ...] = ()) -> Path:
    """Add a document timestamp from the TSA at ``timestamp_url``; the file written."""
    quiet_pyhanko()
    data = read_input(pdf)
    with unreadable_pdf(pdf, "not a PDF that can be read"):
        edition_facts(data, str(pdf))
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        seals = len(reader.embedded_timestamp_signatures)
        signed = bool(reader.embedded_regular_signatures)
        certificates = _signers_certificates(reader)
    target = output_for(pdf, output, sealed_path(pdf, seals + 1))
    if not signed:
        raise SigningError(f"{pdf}: nobody has signed it yet: seal a signed edition")
    stamper = timestamper(timestamp_url)
    with reaching_out(timestamp_url), unreadable_pdf(pdf, "cannot be sealed: its "
                                                          "structure is damaged"):
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        keep_metadata_agreeing(writer)
        out = signers.PdfTimeStamper(stamper).timestamp_pdf(
            writer, "sha256", validation_context=gathering_context(certificates, trust))
    write_atomic(target, bytes(out.getvalue()))
    return target


def _signers_certificates(reader: PdfFileReader) -> list[Any]:
    """The certificates the signatures carry: the TSA's root is often among them."""
    return [cert for signature in reader.embedded_regular_signatures
            for cert in (signature.signer_cert, *signature.other_embedded_certs)]

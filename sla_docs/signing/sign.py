"""``sla sign``: a signatory's PAdES signature in their own field of a PDF edition.

An edition knows who may sign it: the YAML source travels inside the PDF, and its
``signatories`` name the fields (:mod:`sla_docs.editions.signature_fields`). So
``sla sign`` refuses, before touching anything, a PDF that is not an edition (no source
attached, or one whose SHA-256 is not the one the PDF declares), a signatory the
agreement does not have, a field already signed, a certificate issued to someone else,
and a PKCS#12 file it cannot open. Each signature is an incremental update (pyHanko, PAdES
baseline B-B), so the signatures before it stay valid; its visible stamp (the
signatory's name and the time) is set in the edition's own Noto Sans, which has
every Latin letter.

The signed file is ``<name>.signed.pdf`` beside the edition, updated in place by
the next signatory, and never touched by ``sla build``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pyhanko import stamp
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers

from sla_docs.editions.pdf import fonts_dir
from sla_docs.files import write_atomic
from sla_docs.signing.edition_facts import SigningError, edition_facts, quiet_pyhanko, read_input
from sla_docs.signing.identity import require_own_certificate

SIGNED_SUFFIX = ".signed.pdf"
"""What a signed copy of ``acme.it.pdf`` is called: ``acme.it.signed.pdf``."""
STAMP_FONT = "NotoSans-Regular.ttf"
STAMP_TEXT = "%(name)s\n%(ts)s"


def signed_path(edition: Path) -> Path:
    """Where the signed copy of ``edition`` goes; a signed copy is updated in place."""
    if edition.name.endswith(SIGNED_SUFFIX):
        return edition
    return edition.with_name(edition.name.removesuffix(".pdf") + SIGNED_SUFFIX)


def sign_edition(edition: Path, signer_id: str, pkcs12: Path, passphrase: bytes | None,
                 output: Path | None = None) -> Path:
    """Sign ``signer_id``'s field of ``edition`` with the key in ``pkcs12``; the file written."""
    quiet_pyhanko()
    data = read_input(edition)
    facts = edition_facts(data, str(edition))
    if signer_id not in facts.signatories:
        raise SigningError(f"{edition}: {signer_id!r} is not a signatory of "
                           f"{facts.agreement_id} (its signatories: "
                           f"{', '.join(facts.signatories)})")
    _check_field(data, str(edition), signer_id)
    signer = _load_signer(pkcs12, passphrase)
    require_own_certificate(signer.signing_cert, facts, signer_id)
    target = output or signed_path(edition)
    if target != edition and target.exists() and output is None:
        raise SigningError(f"{target} exists, with the signatures made so far: sign that "
                           "one, or name another output with -o")
    write_atomic(target, _signed(data, signer, signer_id, facts.signatories[signer_id]))
    return target


def _check_field(data: bytes, name: str, signer_id: str) -> None:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    found = {field: value for field, value, _ in fields.enumerate_sig_fields(reader)}
    if signer_id not in found:
        raise SigningError(f"{name}: has no signature field {signer_id!r}")
    if found[signer_id] is not None:
        raise SigningError(f"{name}: the field {signer_id!r} is signed already")


def _load_signer(pkcs12: Path, passphrase: bytes | None) -> Any:
    raw = read_input(pkcs12)
    try:
        return signers.SimpleSigner.load_pkcs12_data(raw, other_certs=set(), passphrase=passphrase)
    except Exception:  # cryptography says "invalid password" and more, in its own words
        raise SigningError(f"{pkcs12}: cannot open it: a wrong passphrase, or not a "
                           "PKCS#12 file") from None


def _signed(data: bytes, signer: Any, field: str, signatory_name: str) -> bytes:
    style = stamp.TextStampStyle(
        stamp_text=STAMP_TEXT, border_width=0, timestamp_format="%Y-%m-%d %H:%M:%S %Z",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(
            str(fonts_dir() / STAMP_FONT)), font_size=9))
    meta = signers.PdfSignatureMetadata(
        field_name=field, name=signatory_name, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, signer_key_usage={"digital_signature"})
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = signers.PdfSigner(meta, signer, stamp_style=style).sign_pdf(
        writer, existing_fields_only=True, appearance_text_params={"name": signatory_name})
    return bytes(out.getvalue())

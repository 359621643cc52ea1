"""``sla sign``: a signatory's PAdES signature in their own field of a PDF edition.

An edition knows who may sign it: the YAML source travels inside the PDF, and its
``signatories`` name the fields (:mod:`sla_docs.editions.signature_fields`). So
``sla sign`` refuses, before touching anything, a PDF that is not an edition (no source
attached, or one whose SHA-256 is not the one the PDF declares), a signatory the
agreement does not have, a field already signed, a certificate issued to someone else,
and a key it cannot open (:mod:`sla_docs.signing.tokens`). Each signature is an
incremental update (pyHanko, PAdES B-B; B-T with a TSA's timestamp, B-LT with the
validation data: :mod:`sla_docs.signing.timestamps`), so the signatures before it stay
valid; its visible stamp (the signatory's name and the time) is set in the edition's
own Noto Sans, which has every Latin letter.

Nothing is lost: the input is never written over (an output that is the same file,
however spelled, is refused), and the default output is a new file beside it, never
one that exists: ``acme.it.pdf`` signed once is ``acme.it.signed.pdf``, and each later
signature makes ``acme.it.signed-N.pdf``, N the signatures it carries. ``sla build``
never touches them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pyhanko import stamp
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers

from sla_docs.editions.pdf import fonts_dir
from sla_docs.errors import SlaError
from sla_docs.files import write_atomic
from sla_docs.signing.edition_facts import SigningError, edition_facts, quiet_pyhanko, read_input
from sla_docs.signing.identity import require_own_certificate
from sla_docs.signing.pdfa import keep_metadata_agreeing
from sla_docs.signing.timestamps import TrustedTime, gathering_context, reaching_out, timestamper
from sla_docs.signing.tokens import Pkcs12Key, TokenKey, opened_signer

SIGNED_SUFFIX = ".signed.pdf"
"""What a signed copy of ``acme.it.pdf`` is called: ``acme.it.signed.pdf``."""
STAMP_FONT = "NotoSans-Regular.ttf"
STAMP_TEXT = "%(name)s\n%(ts)s"
_SIGNED_NAME = re.compile(r"\.signed(-\d+)?\.pdf$", re.IGNORECASE)


def signed_path(edition: Path, signatures: int = 1) -> Path:
    """Where the copy of ``edition`` carrying ``signatures`` signatures goes by default.

    ``acme.it.pdf`` → ``acme.it.signed.pdf``; ``acme.it.signed.pdf`` signed again →
    ``acme.it.signed-2.pdf``, and so on: a new file each time, beside the one signed.
    """
    stem = _SIGNED_NAME.sub("", edition.name)
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    ending = SIGNED_SUFFIX if signatures <= 1 else f".signed-{signatures}.pdf"
    return edition.with_name(stem + ending)


def sign_edition(edition: Path, signer_id: str, key: Pkcs12Key | TokenKey,
                 output: Path | None = None, time: TrustedTime | None = None) -> Path:
    """Sign ``signer_id``'s field of ``edition`` with ``key``; the file written."""
    quiet_pyhanko()
    time = time or TrustedTime()
    data = read_input(edition)
    with unreadable_pdf(edition, "not a PDF that can be read"):
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise SigningError(f"{edition}: is encrypted; sign the edition as sla build "
                               "wrote it")
        facts = edition_facts(data, str(edition))
        if signer_id not in facts.signatories:
            raise SigningError(f"{edition}: {signer_id!r} is not a signatory of "
                               f"{facts.agreement_id} (its signatories: "
                               f"{', '.join(facts.signatories)})")
        earlier = _check_field(reader, str(edition), signer_id)
    target = output_for(edition, output, signed_path(edition, earlier + 1))
    stamper = timestamper(time.timestamp_url) if time.timestamp_url else None
    with opened_signer(key) as signer:
        # the same rule for a PKCS#12 file's certificate and a token's, before signing
        require_own_certificate(signer.signing_cert, facts, signer_id)
        with unreadable_pdf(edition, "cannot be signed: its structure is damaged"):
            signed = _signed(data, signer, signer_id, facts.signatories[signer_id],
                             stamper, time)
    write_atomic(target, signed)
    return target


@contextmanager
def unreadable_pdf(pdf: Path, what: str) -> Iterator[None]:
    """A damaged or hostile PDF is the input's fault: say so, naming the file.

    pyHanko reads what it is given lazily, so a broken file can fail anywhere in it,
    with any exception (zlib, ASN.1, a stream cut short, an object of the wrong type,
    nesting too deep): whatever it raises while reading or signing the user's file is
    this one message. The tool's own errors pass through as they are.
    """
    try:
        yield
    except SlaError:
        raise
    except Exception as error:  # see above: any failure reading the user's file
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
        raise SigningError(f"{pdf}: {what} ({type(error).__name__}"
                           f"{': ' + reason if reason else ''})") from error


def output_for(source: Path, output: Path | None, default: Path) -> Path:
    """Where to write: ``output`` unless it is ``source`` itself, else a new ``default``."""
    if output is not None:
        if _same_file(source, output):
            raise SigningError(f"{output}: is the input itself; the signed copy goes to "
                               "another file, so the input stays as it is")
        return output
    if default.exists():
        raise SigningError(f"{default} exists, with the signatures made so far: sign that "
                           "one, or name another output with -o")
    return default


def _same_file(one: Path, other: Path) -> bool:
    """The same file however spelled: a symlink, ``./``, a hard link (device and inode)."""
    try:
        first, second = one.stat(), other.stat()
    except OSError:  # the output does not exist yet (or cannot be looked at): not the input
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _check_field(reader: PdfFileReader, name: str, signer_id: str) -> int:
    """Check the field is there and empty; the number of signatures already made."""
    found = {field: value for field, value, _ in fields.enumerate_sig_fields(reader)}
    if signer_id not in found:
        raise SigningError(f"{name}: has no signature field {signer_id!r}")
    if found[signer_id] is not None:
        raise SigningError(f"{name}: the field {signer_id!r} is signed already")
    return sum(1 for value in found.values() if value is not None)


def _signed(data: bytes, signer: Any, field: str, signatory_name: str, stamper: Any,
            time: TrustedTime) -> bytes:
    style = stamp.TextStampStyle(
        stamp_text=STAMP_TEXT, border_width=0, timestamp_format="%Y-%m-%d %H:%M:%S %Z",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(
            str(fonts_dir() / STAMP_FONT)), font_size=9))
    context = None
    if time.ltv:
        context = gathering_context([signer.signing_cert, *signer.cert_registry], time.trust)
    meta = signers.PdfSignatureMetadata(
        field_name=field, name=signatory_name, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, signer_key_usage={"digital_signature"},
        embed_validation_info=time.ltv, validation_context=context)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    keep_metadata_agreeing(writer)
    with reaching_out(time.timestamp_url if stamper else None):
        out = signers.PdfSigner(meta, signer, stamp_style=style, timestamper=stamper).sign_pdf(
            writer, existing_fields_only=True, appearance_text_params={"name": signatory_name})
    return bytes(out.getvalue())

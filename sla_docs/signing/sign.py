"""Stage 8, sign: a signatory's PAdES signature in their own field of a PDF edition.

An edition knows who may sign it: the YAML source travels inside the PDF, and its
``signatories`` name the fields (:mod:`sla_docs.editions.fields`). So ``sla sign`` refuses,
before touching anything, a PDF that is not an edition (no source attached, or one
whose SHA-256 is not the one the PDF declares), a signatory the agreement does not
have, a field already signed, a certificate issued to someone else, and a PKCS#12
file it cannot open. Each signature is an incremental update (pyHanko, PAdES
baseline B-B), so the signatures before it stay valid; its visible stamp (the
signatory's name and the time) is set in the edition's own Noto Sans, which has
every Latin letter.

The signed file is ``<name>.signed.pdf`` beside the edition, updated in place by
the next signatory, and never touched by ``sla build``.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sla_docs.errors import SlaError

SIGNED_SUFFIX = ".signed.pdf"
"""What a signed copy of ``acme.it.pdf`` is called: ``acme.it.signed.pdf``."""
STAMP_FONT = "NotoSans-Regular.ttf"
STAMP_TEXT = "%(name)s\n%(ts)s"


def quiet_pyhanko() -> None:
    """Keep pyHanko's log (tracebacks of every failed check) off the user's terminal.

    What it found is reported by this tool, in its own words.
    """
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False


class SigningError(SlaError):
    """A signature that cannot be made, for a reason the user can fix."""


@dataclass(frozen=True)
class EditionFacts:
    """What a PDF edition says of itself, read from the PDF."""

    agreement_id: str
    """The agreement's id."""
    source_sha256: str
    """The SHA-256 of the source it was built from, as the document information says."""
    signatories: dict[str, str]
    """Each signatory's id and name, from the attached source."""


def edition_facts(data: bytes, name: str) -> EditionFacts:
    """The edition's own account of itself; :class:`SigningError` if it is no edition."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        info = _entry(reader.trailer_view, "/Info", {})
        declared = str(_entry(info, "/slasourcesha256", ""))
        attached = _attached_source(reader.root)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise SigningError(f"{name}: not a PDF that can be read ({error})") from None
    if not declared or attached is None:
        raise SigningError(f"{name}: not an sla-docs edition (no source attached)")
    if hashlib.sha256(attached).hexdigest() != declared:
        raise SigningError(f"{name}: the attached source is not the one the PDF declares")
    return _facts_from_source(attached, name, declared)


def _attached_source(root: Any) -> bytes | None:
    """The YAML file attached to the edition (its PDF/A associated file)."""
    for reference in _entry(root, "/AF", ()):
        spec = reference.get_object()
        if "/EF" in spec and str(_entry(spec, "/AFRelationship", "")) == "/Source":
            return bytes(spec["/EF"]["/F"].data)
    return None


def _entry(dictionary: Any, key: str, default: Any) -> Any:
    """``dictionary[key]``, followed to its object: pyHanko's ``get`` does not follow."""
    return dictionary[key] if key in dictionary else default  # noqa: SIM401 (see above)


def _facts_from_source(attached: bytes, name: str, sha256: str) -> EditionFacts:
    from sla_docs.source.load import load_bytes

    try:
        data = load_bytes(attached, f"{name} (attached source)").data
    except SlaError:
        raise SigningError(f"{name}: the attached source cannot be read") from None
    people = data.get("signatories") if isinstance(data, dict) else None
    signatories = {str(p["id"]): str(p.get("name", p["id"])) for p in people or ()
                   if isinstance(p, dict) and "id" in p}
    return EditionFacts(str(data.get("id", "")), sha256, signatories)


def signed_path(edition: Path) -> Path:
    """Where the signed copy of ``edition`` goes; a signed copy is updated in place."""
    if edition.name.endswith(SIGNED_SUFFIX):
        return edition
    return edition.with_name(edition.name.removesuffix(".pdf") + SIGNED_SUFFIX)


def sign_edition(edition: Path, signer_id: str, pkcs12: Path, passphrase: bytes | None,
                 output: Path | None = None) -> Path:
    """Sign ``signer_id``'s field of ``edition`` with the key in ``pkcs12``; the file written."""
    from sla_docs.files import write_atomic

    quiet_pyhanko()
    data = read_input(edition)
    facts = edition_facts(data, str(edition))
    if signer_id not in facts.signatories:
        raise SigningError(f"{edition}: {signer_id!r} is not a signatory of "
                           f"{facts.agreement_id} (its signatories: "
                           f"{', '.join(facts.signatories)})")
    _check_field(data, str(edition), signer_id)
    signer = _load_signer(pkcs12, passphrase)
    _check_holder(signer, facts.signatories[signer_id], signer_id)
    target = output or signed_path(edition)
    if target != edition and target.exists() and output is None:
        raise SigningError(f"{target} exists, with the signatures made so far: sign that "
                           "one, or name another output with -o")
    write_atomic(target, _signed(data, signer, signer_id, facts.signatories[signer_id]))
    return target


def read_input(path: Path) -> bytes:
    """The bytes of a file the user named; :class:`SigningError` if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise SigningError(f"{path}: {error.strerror or error}") from None


def _check_field(data: bytes, name: str, signer_id: str) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    found = {field: value for field, value, _ in enumerate_sig_fields(reader)}
    if signer_id not in found:
        raise SigningError(f"{name}: has no signature field {signer_id!r}")
    if found[signer_id] is not None:
        raise SigningError(f"{name}: the field {signer_id!r} is signed already")


def _load_signer(pkcs12: Path, passphrase: bytes | None) -> Any:
    from pyhanko.sign.signers import SimpleSigner

    raw = read_input(pkcs12)
    try:
        return SimpleSigner.load_pkcs12_data(raw, other_certs=set(), passphrase=passphrase)
    except Exception:  # cryptography says "invalid password" and more, in its own words
        raise SigningError(f"{pkcs12}: cannot open it: a wrong passphrase, or not a "
                           "PKCS#12 file") from None


def _check_holder(signer: Any, signatory_name: str, signer_id: str) -> None:
    """The certificate must be the signatory's: no one signs another person's block."""
    holder = str(signer.signing_cert.subject.native.get("common_name", ""))
    if _same_name(holder, signatory_name):
        return
    raise SigningError(f"the certificate is {holder or 'nameless'}'s, and the field "
                       f"{signer_id!r} is {signatory_name}'s: sign your own field")


def _same_name(one: str, other: str) -> bool:
    def plain(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())

    return plain(one) == plain(other)


def _signed(data: bytes, signer: Any, field: str, signatory_name: str) -> bytes:
    from pyhanko import stamp
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers

    from sla_docs.editions.pdf import fonts_dir

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

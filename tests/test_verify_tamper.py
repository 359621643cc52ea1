"""``sla verify`` against a hostile party: each tamper made with pyHanko or pypdf on a
fully signed edition, the way someone bypassing ``sla`` would, then verified.

The untampered file verifies (exit 0); each tamper exits 1 and names the revision and
what it changed. Names from certificates are printed with control characters escaped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from sla_docs.cli import cli
from sla_docs.errors import SlaError, printable
from sla_docs.signing import verify as verify_module
from sla_docs.signing.sign import sign_edition
from sla_docs.signing.tokens import Pkcs12Key
from tests.certificates import NOW, Authority, authority
from tests.conftest import replace_once
from tests.signed_kit import AMY_EMAIL, CR_NAME, PASSPHRASE, Kit

Edit = Callable[[PdfWriter], None]


def verify(*args: object) -> tuple[int, str]:
    """``sla verify ARGS`` in this process: its exit code and what it printed."""
    result = CliRunner().invoke(cli, ["verify", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "\r" not in result.output and "\x1b" not in result.output
    return result.exit_code, result.output


def incremental(kit: Kit, name: str, edit: Edit, base: Path | None = None) -> Path:
    """The signed edition with one more revision, written by pypdf's incremental writer."""
    writer = PdfWriter(base or kit.signed, incremental=True)
    edit(writer)
    out = kit.folder / name
    with out.open("wb") as stream:
        writer.write(stream)
    return out


def with_pyhanko(kit: Kit, name: str, base: Path, key: str, field: str,
                 new_field: bool = False) -> Path:
    """``base`` signed in ``field`` with the kit's ``key``, by plain pyHanko (no ``sla``)."""
    signer = signers.SimpleSigner.load_pkcs12(str(kit.keys[key]), passphrase=PASSPHRASE)
    spec = fields.SigFieldSpec(field, on_page=0, box=(60, 500, 400, 650)) if new_field else None
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(base.read_bytes()), strict=False)
    out = kit.folder / name
    out.write_bytes(signers.PdfSigner(meta, signer, new_field_spec=spec).sign_pdf(
        writer).getvalue())
    return out


def _name(text: str) -> NameObject:
    return NameObject(text)


def quota_field(action: DictionaryObject | None = None) -> Edit:
    """A new, empty signature field whose appearance says "QUOTA IS NOW $1" over page 1."""
    def edit(writer: PdfWriter) -> None:
        page = writer.pages[0]
        drawing = DecodedStreamObject()
        drawing.set_data(b"BT /F1 24 Tf 10 50 Td (QUOTA IS NOW $1) Tj ET")
        drawing.update({
            _name("/Type"): _name("/XObject"), _name("/Subtype"): _name("/Form"),
            _name("/BBox"): ArrayObject(NumberObject(n) for n in (0, 0, 350, 150)),
            _name("/Resources"): DictionaryObject({_name("/Font"): DictionaryObject({
                _name("/F1"): DictionaryObject({
                    _name("/Type"): _name("/Font"), _name("/Subtype"): _name("/Type1"),
                    _name("/BaseFont"): _name("/Helvetica")})})})})
        field = DictionaryObject({
            _name("/Type"): _name("/Annot"), _name("/Subtype"): _name("/Widget"),
            _name("/FT"): _name("/Sig"), _name("/T"): TextStringObject("quota"),
            _name("/Rect"): ArrayObject(NumberObject(n) for n in (50, 500, 400, 650)),
            _name("/F"): NumberObject(4), _name("/P"): page.indirect_reference,
            _name("/AP"): DictionaryObject({_name("/N"): writer._add_object(drawing)})})
        if action is not None:
            field[_name("/A")] = action
        reference = writer._add_object(field)
        if "/Annots" not in page:
            page[_name("/Annots")] = ArrayObject()
        page["/Annots"].append(reference)  # type: ignore[union-attr]
        writer._root_object["/AcroForm"]["/Fields"].append(reference)  # type: ignore[index]
    return edit


def javascript() -> DictionaryObject:
    return DictionaryObject({_name("/S"): _name("/JavaScript"),
                             _name("/JS"): TextStringObject("app.alert('quota')")})


def uri() -> DictionaryObject:
    return DictionaryObject({_name("/S"): _name("/URI"),
                             _name("/URI"): TextStringObject("https://example.com/quota")})


def info(*keys: str) -> Edit:
    def edit(writer: PdfWriter) -> None:
        writer.add_metadata(dict.fromkeys(keys, "QUOTA IS NOW $1"))
    return edit


def xmp(writer: PdfWriter) -> None:
    metadata = writer._root_object["/Metadata"].get_object()  # type: ignore[union-attr]
    metadata.set_data(metadata.get_data().replace(b"Service level agreement", b"Quota $1"))


def appearance(writer: PdfWriter) -> None:
    """Josh's stamp redrawn: his widget's appearance stream rewritten in place."""
    widget = next(a.get_object() for page in writer.pages
                  for a in page.get("/Annots", [])  # type: ignore[union-attr]
                  if a.get_object().get("/T") == "josh")
    stream = widget["/AP"]["/N"].get_object()
    stream.set_data(b"BT /F1 9 Tf 0 10 Td (I agree to $1) Tj ET")


def attachment(writer: PdfWriter) -> None:
    """The attached source rewritten in place."""
    spec = writer._root_object["/AF"][0].get_object()  # type: ignore[index]
    embedded = spec["/EF"]["/F"].get_object()
    embedded.set_data(embedded.get_data().replace(b"sales_quota: 5000", b"sales_quota: 1"))


@pytest.mark.parametrize(("tamper", "said"), [
    (quota_field(), "revision 4: adds a signature field 'quota' that nobody signed (with an "
                    "appearance of its own)"),
    (quota_field(javascript()), "revision 4: writes an action or script (/A /JavaScript) in "
                                "the field 'quota'"),
    (quota_field(uri()), "revision 4: writes an action or script (/A /URI) in the field 'quota'"),
    (info("/Title"), "revision 4: changes what was signed: the document information's Title "
                     "changed from 'Service level agreement between Marketing and Sales' to "
                     "'QUOTA IS NOW $1'"),
    (info("/Author", "/Subject"), "the document information's Author changed from 'Marketing, "
                                  "Sales'"),
    (info("/Subject"), "the document information's Subject changed"),
    (xmp, "revision 4: changes what was signed: the XMP metadata's dc:title changed"),
    (appearance, "revision 4: changes what was signed: the appearance of the field 'josh' on "
                 "page "),
    (attachment, "revision 4: changes what was signed: the attached source"),
], ids=["new-field", "javascript", "uri", "title", "author", "subject", "xmp", "appearance",
        "attachment"])
def test_a_revision_that_changes_more_than_a_signature_fails(
        signed_kit: Kit, tamper: Edit, said: str) -> None:
    tampered = incremental(signed_kit, "tampered.pdf", tamper)
    code, out = verify(tampered, "--trust", signed_kit.ca_pem)
    assert code == 1 and said in out, out
    assert "josh: FAILED" in out and "amy: FAILED" in out and "CHANGED AFTER IT: revision 4" in out


def test_each_signature_is_also_reviewed_under_the_editions_policy(
        signed_kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit aside, pyHanko's own review of what followed each signature uses the
    edition's policy too, never its default (which lets a changed /Title pass)."""
    monkeypatch.setattr(verify_module, "audit_revisions", lambda *_: ([], []))
    code, out = verify(incremental(signed_kit, "retitled.pdf", info("/Title")))
    assert code == 1 and "revision 4" not in out, out  # the audit saw nothing
    assert "amy: FAILED" in out and "CHANGED AFTER IT: the file since revision 3 (" in out
    assert "the document information's Title changed" in out


def test_the_untampered_edition_verifies(signed_kit: Kit) -> None:
    code, out = verify(signed_kit.signed, "--trust", signed_kit.ca_pem)
    assert code == 0, out
    assert "josh: ok: signed by Josh Rinaldi at" in out, out
    # Amy is recognised by her address: the report shows the one her certificate carries
    assert "amy: ok: signed by A. Castillo <AMY.CASTILLO@EXAMPLE.COM> at" in out, out
    assert "waiting" not in out and "nobody vouched" not in out and "revision 4" not in out


def test_bytes_after_the_last_eof_fail(signed_kit: Kit) -> None:
    appended = signed_kit.folder / "appended.pdf"
    appended.write_bytes(signed_kit.signed.read_bytes() + b"\n% QUOTA IS NOW $1\n")
    code, out = verify(appended, "--trust", signed_kit.ca_pem)
    assert code == 1 and "19 byte(s) after the last %%EOF" in out, out


def test_a_non_signatory_adding_and_signing_a_field_fails(signed_kit: Kit) -> None:
    tampered = with_pyhanko(signed_kit, "mallory.pdf", signed_kit.signed, "stranger", "mallory",
                            new_field=True)
    code, out = verify(tampered)
    assert code == 1
    assert ("revision 4: adds a field 'mallory' and signs it: only the signatories' own fields "
            "may be signed") in out, out
    assert "mallory: FAILED: signed by Mallory Stranger" in out
    assert "NOT THE SIGNATORY: mallory is not a signatory of minimal" in out


@pytest.mark.parametrize(("key", "holder"), [
    ("josh", "the certificate (Josh Rinaldi, no e-mail address) does not carry Amy "
             "Castillo's address amy.castillo@example.com"),
    ("stranger", "the certificate (Mallory Stranger, no e-mail address)"),
])
def test_someone_else_signing_amys_field_with_plain_pyhanko_fails(
        signed_kit: Kit, key: str, holder: str) -> None:
    tampered = with_pyhanko(signed_kit, f"{key}-as-amy.pdf", signed_kit.half, key, "amy")
    code, out = verify(tampered, "--trust", signed_kit.ca_pem)
    assert code == 1 and f"amy: FAILED: signed by {holder.split('(')[1].split(',')[0]}" in out
    assert f"NOT THE SIGNATORY: {holder}" in out, out
    assert ("NOT TRUSTED" in out) == (key == "stranger")


def test_a_name_holding_a_carriage_return_is_printed_escaped(signed_kit: Kit) -> None:
    # as Amy (her address is in the certificate): accepted, the name shown escaped
    as_amy = with_pyhanko(signed_kit, "crlf-amy.pdf", signed_kit.half, "crlf", "amy")
    code, out = verify(as_amy, "--trust", signed_kit.ca_pem)
    assert code == 0, out
    assert f"amy: ok: signed by {printable(CR_NAME)} <{AMY_EMAIL}> at" in out, out
    assert "Rinaldi\\r  amy" in out
    # as Josh, whose name it only pretends to start with: refused, and escaped again
    unsigned = shutil.copy(signed_kit.edition, signed_kit.folder / "crlf-josh-base.pdf")
    as_josh = with_pyhanko(signed_kit, "crlf-josh.pdf", Path(unsigned), "crlf", "josh")
    code, out = verify(as_josh, "--allow-unsigned")
    assert code == 1 and "NOT THE SIGNATORY: the certificate is Josh Rinaldi\\r  amy" in out, out


def test_an_edition_a_signatory_has_still_to_sign(signed_kit: Kit) -> None:
    code, out = verify(signed_kit.half, "--trust", signed_kit.ca_pem)
    assert code == 1 and "INCOMPLETE: waiting for: amy" in out, out
    code, out = verify(signed_kit.half, "--trust", signed_kit.ca_pem, "--allow-unsigned")
    assert code == 0 and "waiting for: amy" in out and "INCOMPLETE" not in out, out


def test_without_trust_the_report_says_nobody_vouched(signed_kit: Kit) -> None:
    code, out = verify(signed_kit.signed)
    assert code == 0 and "nobody vouched for the certificates" in out, out


def test_sign_refuses_a_certificate_that_is_not_the_signatorys(signed_kit: Kit) -> None:
    """Amy declares her address: a certificate with her name but not her address is not hers."""
    before = signed_kit.half.read_bytes()
    with pytest.raises(SlaError, match="does not carry Amy Castillo's address"):
        sign_edition(signed_kit.half, "amy",
                     Pkcs12Key(signed_kit.keys["amy-by-name"], PASSPHRASE),
                     output=signed_kit.folder / "never.pdf")
    assert not (signed_kit.folder / "never.pdf").exists()
    assert signed_kit.half.read_bytes() == before


def test_the_source_proves_the_edition_to_the_byte(signed_kit: Kit, tmp_path: Path) -> None:
    """The attached source and its declared SHA-256 swapped before anyone signs."""
    other = tmp_path / "other.yaml"
    other.write_text(replace_once(signed_kit.source.read_text("utf-8"), "sales_quota: 5000",
                                  "sales_quota: 6000"), "utf-8")
    swapped = _swap_source(signed_kit.edition, other.read_bytes(), tmp_path / "minimal.en.pdf")
    signed = sign_edition(swapped, "josh", Pkcs12Key(signed_kit.keys["josh"], PASSPHRASE))
    signed = sign_edition(signed, "amy", Pkcs12Key(signed_kit.keys["amy"], PASSPHRASE))
    code, out = verify(signed, "--source", other)
    # the first page the quota changes (the SHA-256 is on the last page, in its foot)
    assert code == 1 and re.search(r"NOT the edition of the source given: page \d+ differs",
                                   out), out
    code, out = verify(signed, "--source", signed_kit.source)
    assert code == 1 and "every page draws the same, but the file differs elsewhere" in out, out
    code, out = verify(signed_kit.signed, "--source", signed_kit.source)
    assert code == 0 and "the edition of the source given, to the byte" in out, out


def _swap_source(edition: Path, source: bytes, out: Path) -> Path:
    """The edition rewritten whole, with ``source`` attached and declared instead."""
    writer = PdfWriter(clone_from=edition)
    spec = writer._root_object["/AF"][0].get_object()  # type: ignore[index]
    spec["/EF"]["/F"].get_object().set_data(source)
    writer.add_metadata({"/slasourcesha256": hashlib.sha256(source).hexdigest()})
    with out.open("wb") as stream:
        writer.write(stream)
    return out


def test_a_document_timestamp_and_validation_data_are_allowed(signed_kit: Kit) -> None:
    tsa_ca = authority("Throwaway TSA CA")
    stamped = signed_kit.folder / "stamped.pdf"
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_kit.signed.read_bytes()), strict=False)
    context = ValidationContext(trust_roots=[_asn1(tsa_ca.certificate)], allow_fetching=False)
    stamped.write_bytes(PdfTimeStamper(_timestamper(tsa_ca)).timestamp_pdf(
        writer, "sha256", validation_context=context).getvalue())
    trust = ("--trust", signed_kit.ca_pem, "--trust", tsa_ca.pem(signed_kit.folder, "tsa.pem"))
    code, out = verify(stamped, *trust)
    assert code == 0 and "document timestamp: ok: attested by TSA Throwaway TSA" in out, out
    assert "covers revision 4 of 5" in out  # revision 5: the TSA's validation data (DSS)
    code, out = verify(incremental(signed_kit, "stamped-then-info.pdf", info("/Title"),
                                   base=stamped), *trust)
    assert code == 1 and "revision 6: changes what was signed" in out, out


def test_a_revision_of_nothing_but_document_information_fails(signed_kit: Kit) -> None:
    # /Producer shows in a viewer's properties ("APPROVED by Legal") and pyHanko's policy
    # lets a revision changing only it through: it is no validation data
    code, out = verify(incremental(signed_kit, "producer.pdf", info("/Producer")),
                       "--trust", signed_kit.ca_pem)
    assert code == 1, out
    assert "revision 4: is neither a signature, a document timestamp nor validation data" in out


@pytest.mark.parametrize("rect", ["references", "five numbers", "not a number"])
def test_a_document_timestamp_painted_over_a_page_fails(signed_kit: Kit, rect: str) -> None:
    """A new timestamp field whose appearance covers page 1: pyHanko's visibility test
    takes a /Rect of references (or of five numbers) for no area; a viewer draws it."""
    from pyhanko.pdf_utils import generic

    tsa_ca = authority("Throwaway TSA CA")
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_kit.signed.read_bytes()), strict=False)
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    whole = [generic.NumberObject(v) for v in (0, 0, 612, 792)]
    numbers = {"references": [writer.add_object(number) for number in whole],
               "five numbers": [*whole, generic.NumberObject(0)],
               "not a number": [*whole[:3], generic.NameObject("/Tall")]}[rect]
    name = generic.pdf_name
    drawing = generic.StreamObject(
        {name("/Type"): name("/XObject"), name("/Subtype"): name("/Form"),
         name("/BBox"): generic.ArrayObject(whole)},
        stream_data=b"1 1 1 rg 0 0 612 792 re f")
    widget = writer.add_object(generic.DictionaryObject({
        name("/Type"): name("/Annot"), name("/Subtype"): name("/Widget"),
        name("/FT"): name("/Sig"), name("/T"): generic.TextStringObject("stamp"),
        name("/F"): generic.NumberObject(4), name("/Rect"): generic.ArrayObject(numbers),
        name("/P"): page_ref,
        name("/AP"): generic.DictionaryObject({name("/N"): writer.add_object(drawing)})}))
    if "/Annots" in page:
        page["/Annots"].append(widget)
    else:
        page[name("/Annots")] = generic.ArrayObject([widget])
    writer.update_container(page)
    writer.root["/AcroForm"]["/Fields"].append(widget)
    writer.update_container(writer.root["/AcroForm"])
    stamped = signed_kit.folder / "painted.pdf"
    stamped.write_bytes(PdfTimeStamper(_timestamper(tsa_ca), field_name="stamp")
                        .timestamp_pdf(writer, "sha256").getvalue())
    code, out = verify(stamped, "--trust", signed_kit.ca_pem,
                       "--trust", tsa_ca.pem(signed_kit.folder, "tsa.pem"))
    assert code == 1 and "adds a document timestamp 'stamp' that shows on a page" in out, out


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _timestamper(ca: Authority) -> DummyTimeStamper:
    """A TSA on this machine, in this process: pyHanko's own, RSA as it requires."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Throwaway TSA")]))
        .issuer_name(ca.certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca.key, hashes.SHA256()))
    private = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return DummyTimeStamper(_asn1(certificate), asn1_keys.PrivateKeyInfo.load(private),
                            certs_to_embed=[_asn1(ca.certificate)])


def _pdfsig(path: Path) -> dict[str, str]:
    """poppler's report on each signature of ``path``, by field name."""
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    blocks = done.stdout.split("Signature #")[1:]
    return {re.search(r"Field Name: (\S+)", b).group(1): b for b in blocks}  # type: ignore[union-attr]


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_poppler_agrees(signed_kit: Kit) -> None:
    """pdfsig accepts the good file, and sees each tamper verify refuses (the tests above)
    as a last signature that no longer covers the whole document."""
    good = _pdfsig(signed_kit.signed)
    assert set(good) == {"josh", "amy"}
    assert all("Signature is Valid." in block for block in good.values())
    assert "Total document signed" in good["amy"] and "Not total" in good["josh"]
    appended = signed_kit.folder / "appended-for-pdfsig.pdf"
    appended.write_bytes(signed_kit.signed.read_bytes() + b"\n% QUOTA IS NOW $1\n")
    tampers = [incremental(signed_kit, f"pdfsig-{n}.pdf", edit) for n, edit in enumerate(
        [quota_field(), quota_field(javascript()), info("/Title"), xmp, appearance, attachment])]
    for tampered in [*tampers, appended]:
        assert "Not total document signed" in _pdfsig(tampered)["amy"], tampered.name


@pytest.mark.skipif(shutil.which("pyhanko") is None, reason="pyhanko-cli is not installed")
def test_pyhankos_own_validator_accepts_the_good_file(signed_kit: Kit) -> None:
    done = subprocess.run(["pyhanko", "sign", "validate", "--trust", str(signed_kit.ca_pem),
                           "--trust-replace", "--no-revocation-check", "--executive-summary",
                           str(signed_kit.signed)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^josh:\S+:VALID$", done.stdout, re.M), done.stdout
    assert re.search(r"^amy:\S+:VALID$", done.stdout, re.M), done.stdout


def test_a_moment_out_of_range_is_the_options_fault_not_the_pdfs(signed_kit: Kit) -> None:
    code, out = verify(signed_kit.signed, "--trust", signed_kit.ca_pem,
                       "--at", "9999-12-31T23:59:59")
    assert code == 2 and "--at 9999-12-31: a moment from 1900 to 8999" in out, out
    assert "not a PDF" not in out

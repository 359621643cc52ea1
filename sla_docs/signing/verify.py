"""``sla verify``: who signed an edition, and whether it is still what they signed.

It trusts nothing it does not check, offline (nothing is fetched):

- every signature is intact (the bytes it covers hash to what was signed) and covers
  its whole revision;
- every revision after the unsigned edition is a signature by a signatory into their
  own field, a document timestamp, or validation data, and changed nothing else
  (:mod:`sla_docs.signing.audit`);
- each signature's certificate is its signatory's (:mod:`sla_docs.signing.identity`);
- every signatory has signed, unless ``--allow-unsigned``;
- with ``--source``, the unsigned edition is the one that source builds, to the byte
  (:mod:`sla_docs.signing.reproduce`); with ``--trust``, each certificate chains to
  one of the certificates given, and without it the report says nobody vouched for them.

Whatever a certificate or the PDF says is printed through
:func:`~sla_docs.signing.identity.printable`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from sla_docs.errors import SlaError
from sla_docs.signing.audit import MAX_REVISIONS, RevisionAudit, audit_revisions, revision_end
from sla_docs.signing.edition_facts import (
    EditionFacts,
    SigningError,
    edition_facts,
    quiet_pyhanko,
    read_input,
)
from sla_docs.signing.identity import holder, mismatch, printable
from sla_docs.signing.reproduce import differs_from_build

UNVOUCHED = ("nobody vouched for the certificates: any certificate bearing the right name "
             "passes without --trust (give the certificate of the authority that issued "
             "them)")


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of an edition, as checked."""

    field: str
    """The signature field: the signatory id (as the PDF writes it: print it escaped)."""
    signer: str
    """The certificate holder's name (as the certificate writes it: print it escaped)."""
    signed_at: dt.datetime | None
    """The signing time the signer's software recorded."""
    intact: bool
    """The bytes it covers are the bytes that were signed."""
    covers: str
    """What it covers, in words."""
    changed_after: str | None
    """The later revisions that changed more than they may; None when none did."""
    trusted: bool | None
    """Whether the certificate chains to a trusted one (None: not asked)."""
    not_signatory: str | None = None
    """Why the certificate is not the field's signatory's; None when it is theirs."""
    revision: int = 0
    """The revision it made, counted from 1 (the unsigned edition)."""
    timestamp: bool = False
    """A document timestamp (over the whole document so far), not a signatory's signature."""

    @property
    def ok(self) -> bool:
        """Intact, its signatory's, nothing wrong after it, and trusted if that was asked."""
        return (self.intact and self.changed_after is None and self.not_signatory is None
                and self.trusted is not False)


@dataclass
class Verification:
    """What ``sla verify`` found in one PDF."""

    path: str
    """The PDF."""
    signatures: list[SignatureCheck] = field(default_factory=list)
    """Every signature, in the order they were made."""
    unsigned: list[str] = field(default_factory=list)
    """Signature fields nobody has signed yet."""
    waiting_for: list[str] = field(default_factory=list)
    """The signatories who have not signed yet."""
    allow_unsigned: bool = False
    """Whether a signatory still to sign is accepted (``--allow-unsigned``)."""
    problems: list[str] = field(default_factory=list)
    """What a revision, or the file, changed beyond signatures, each naming the revision."""
    source_matches: bool | None = None
    """Whether the PDF is the edition of the ``--source`` given (None: none given)."""
    source_difference: str = ""
    """Where the edition differs from the one the source builds."""
    vouched: bool = False
    """Whether trusted certificates were given (``--trust``)."""

    @property
    def ok(self) -> bool:
        """Every signature holds, nothing else changed, everyone signed (or that was allowed)."""
        return (all(s.ok for s in self.signatures) and not self.problems
                and (self.allow_unsigned or (bool(self.signatures) and not self.waiting_for))
                and self.source_matches is not False)

    def lines(self) -> list[str]:
        """The report, a line per fact, failures named."""
        out = [f"{self.path}: {len(self.signatures)} signature(s)"]
        out += [_line(check) for check in self.signatures]
        out += [f"  {printable(name)}: not signed yet" for name in self.unsigned]
        out += [f"  {problem}" for problem in self.problems]
        if not self.signatures:
            out.append("  nothing is signed")
        if self.waiting_for:
            out.append(f"  {'' if self.allow_unsigned else 'INCOMPLETE: '}waiting for: "
                       + ", ".join(map(printable, self.waiting_for)))
        if self.source_matches is not None:
            out.append("  the edition of the source given, to the byte" if self.source_matches
                       else f"  NOT the edition of the source given: {self.source_difference}")
        if self.signatures and not self.vouched:
            out.append(f"  {UNVOUCHED}")
        return out


def _line(check: SignatureCheck) -> str:
    when = check.signed_at.isoformat(timespec="seconds") if check.signed_at else "?"
    what = "document timestamp" if check.timestamp else "signed"
    return (f"  {printable(check.field)}: {'ok' if check.ok else 'FAILED'}: {what} by "
            f"{printable(check.signer)} at {when}; "
            f"{'intact' if check.intact else 'NOT INTACT: changed since signed'}; "
            f"covers {check.covers}; "
            + (f"CHANGED AFTER IT: {check.changed_after}" if check.changed_after
               else "nothing but later signatures after it")
            + (f"; NOT THE SIGNATORY: {check.not_signatory}" if check.not_signatory else "")
            + {None: "", True: "; trusted", False: "; NOT TRUSTED"}[check.trusted])


def verify_edition(pdf: Path, source: Path | None = None, trust: Sequence[Path] = (),
                   allow_unsigned: bool = False) -> Verification:
    """Check every signature and every revision of ``pdf``; see :class:`Verification`."""
    quiet_pyhanko()
    data = read_input(pdf)
    roots = [_certificate(path) for path in trust]
    source_bytes = read_input(source) if source is not None else None
    try:
        report, first = _examine(pdf, data, roots if trust else None)
    except SlaError:
        raise
    except Exception as error:  # hostile bytes break a PDF parser in any of
        # its ways (zlib, ASN.1, recursion, its own asserts): each is "not a PDF we can read"
        raise SigningError(f"{pdf}: not a PDF that can be read: {_reason(error)}") from None
    report.allow_unsigned = allow_unsigned
    if source is not None and source_bytes is not None:
        difference = differs_from_build(source, source_bytes, first[0], first[1])
        report.source_matches = difference is None
        report.source_difference = difference or ""
    return report


def validation_context(roots: list[Any] | None) -> ValidationContext:
    """How certificates are judged: offline, against the ``--trust`` certificates given."""
    return ValidationContext(trust_roots=roots or [], allow_fetching=False)


def _examine(pdf: Path, data: bytes, roots: list[Any] | None
             ) -> tuple[Verification, tuple[bytes, EditionFacts]]:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    if reader.xrefs.total_revisions > MAX_REVISIONS:
        raise SigningError(f"{pdf}: {reader.xrefs.total_revisions} revisions, more than an "
                           f"edition's signatures ever make (at most {MAX_REVISIONS})")
    first = data[:revision_end(reader, data, 0)]
    facts = edition_facts(first, str(pdf))
    audits, whole = audit_revisions(reader, data, facts)
    report = Verification(str(pdf), vouched=roots is not None)
    report.problems = whole + [f"revision {a.number}: {p}" for a in audits for p in a.problems]
    for signature in reader.embedded_signatures:
        report.signatures.append(_check(signature, roots, facts, audits))
    fields = {str(name): value for name, value, _ in enumerate_sig_fields(reader)}
    report.unsigned = [name for name, value in fields.items() if value is None]
    report.waiting_for = [who for who in facts.signatories if fields.get(who) is None]
    return report, (first, facts)


def _check(signature: Any, roots: list[Any] | None, facts: EditionFacts,
           audits: list[RevisionAudit]) -> SignatureCheck:
    context = validation_context(roots)
    timestamp = signature.sig_object_type == "/DocTimeStamp"
    status: Any
    if timestamp:
        status = validate_pdf_timestamp(signature, context, skip_diff=True)
        signed_at = status.timestamp
    else:
        status = validate_pdf_signature(
            signature, context, skip_diff=True, key_usage_settings=KeyUsageConstraints(
                key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False))
        signed_at = status.signer_reported_dt
    coverage = status.coverage.name if status.coverage else "NONE"
    revision, last = signature.signed_revision + 1, signature.reader.total_revisions
    covers = {"ENTIRE_FILE": "the whole file",
              "ENTIRE_REVISION": f"revision {revision} of {last}"}.get(coverage,
                                                                       "part of a revision")
    later = [a.number for a in audits if a.number > revision and a.problems]
    name = str(signature.field_name)
    return SignatureCheck(
        name, holder(status.signing_cert).common_name or "(no name)", signed_at,
        bool(status.intact and status.valid) and covers != "part of a revision", covers,
        f"revision {', '.join(map(str, later))}" if later else None,
        bool(status.trusted) if roots is not None else None,
        _not_signatory(status.signing_cert, name, revision, facts, timestamp), revision,
        timestamp)


def _not_signatory(certificate: Any, name: str, revision: int, facts: EditionFacts,
                   timestamp: bool) -> str | None:
    if revision == 1:
        return "the unsigned edition already holds this signature"
    if timestamp:
        return None  # a timestamp authority's, vouched for like any other by --trust
    if name not in facts.signatories:
        return f"{printable(name)} is not a signatory of {printable(facts.agreement_id)}"
    return mismatch(certificate, facts.signatories[name], facts.emails.get(name))


def _certificate(path: Path) -> Any:
    data = read_input(path)  # a regular file only: a FIFO would never end
    try:
        (certificate,) = load_certs_from_pemder_data(data)
        return certificate
    except Exception:  # asn1crypto and PEM parsing have many ways to say "not a certificate"
        raise SigningError(f"{path}: not a certificate (PEM or DER)") from None


def _reason(error: Exception) -> str:
    said = printable(str(error).strip().splitlines()[0][:160]) if str(error).strip() else ""
    kind = ("damaged compressed data (zlib)" if type(error).__module__ == "zlib"
            else type(error).__name__)
    return f"{kind}{': ' + said if said else ''}"

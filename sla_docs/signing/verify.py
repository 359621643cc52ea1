"""``sla verify``: who signed an edition, and whether it is still what they signed.

It trusts nothing it does not check, offline (nothing is fetched):

- every signature is intact (the bytes it covers hash to what was signed) and covers
  its whole revision; its time is the signer's claim, or a TSA's attestation
  (:mod:`sla_docs.signing.trust`), and with ``--at`` everything is judged as of that
  moment (a sealed file through the PAdES long-term process);
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

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffPolicy, SuspiciousModification
from pyhanko.sign.fields import enumerate_sig_fields

from sla_docs.errors import SlaError, UsageError, printable
from sla_docs.signing.audit import MAX_REVISIONS, RevisionAudit, audit_revisions, revision_end
from sla_docs.signing.edition_facts import (
    EditionFacts,
    SigningError,
    edition_facts,
    quiet_pyhanko,
    read_input,
)
from sla_docs.signing.identity import mismatch, shown_name
from sla_docs.signing.policy import edition_policy
from sla_docs.signing.reproduce import differs_from_build
from sla_docs.signing.trust import (
    check_signature,
    check_timestamp,
    time_claim,
    trusted_certificates,
    tsa_name,
)

UNVOUCHED = ("nobody vouched for the certificates: any certificate bearing the right name "
             "passes without --trust (give the certificate of the authority that issued "
             "them)")


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of an edition, as checked."""

    field: str
    """The signature field: the signatory id (as the PDF writes it: print it escaped)."""
    signer: str
    """The certificate holder's name, escaped (:func:`~sla_docs.signing.identity.shown_name`)."""
    signed_at: dt.datetime | None
    """The signing time: the TSA's when one attests it, else the signer's claim."""
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
    time_source: str = "claimed by the signer"
    """Whose word the time is: "claimed by the signer", or "attested by TSA <name>"."""
    problem: str | None = None
    """Why it does not hold as of the moment asked (``--at``, a sealed file's long-term
    validation, an untrusted TSA); None when it does."""

    @property
    def ok(self) -> bool:
        """Intact, its signatory's, nothing wrong after it, and trusted if that was asked."""
        return (self.intact and self.changed_after is None and self.not_signatory is None
                and self.trusted is not False and self.problem is None)


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
        stamps = sum(check.timestamp for check in self.signatures)
        out = [f"{self.path}: {len(self.signatures) - stamps} signature(s)"
               + (f", {stamps} document timestamp(s)" if stamps else "")]
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
    verdict = "ok" if check.ok else "FAILED"
    # a document timestamp's field is named by the software that made it, for no reader
    what = (f"document timestamp: {verdict}: attested by TSA {check.signer} at {when}"
            if check.timestamp else f"{printable(check.field)}: {verdict}: signed by "
                                    f"{check.signer} at {when} ({check.time_source})")
    return (f"  {what}; "
            f"{'intact' if check.intact else 'NOT INTACT: changed since signed'}; "
            f"covers {check.covers}; "
            + (f"CHANGED AFTER IT: {check.changed_after}" if check.changed_after
               else "nothing but later signatures after it")
            + (f"; NOT THE SIGNATORY: {check.not_signatory}" if check.not_signatory else "")
            + {None: "", True: "; trusted", False: "; NOT TRUSTED"}[check.trusted]
            + (f"; {check.problem}" if check.problem else ""))


def verify_edition(pdf: Path, source: Path | None = None, trust: Sequence[Path] = (),
                   allow_unsigned: bool = False, at: dt.datetime | None = None
                   ) -> Verification:
    """Check every signature and every revision of ``pdf``, as of ``at`` (default: now);
    see :class:`Verification`."""
    if at is not None and not 1900 <= at.year <= 8999:  # pyHanko's arithmetic overflows
        raise UsageError(f"--at {at:%Y-%m-%d}: a moment from 1900 to 8999")
    quiet_pyhanko()
    data = read_input(pdf)
    roots = trusted_certificates(trust)
    source_bytes = read_input(source) if source is not None else None
    try:
        report, first = _examine(pdf, data, roots if trust else None, at)
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


def _examine(pdf: Path, data: bytes, roots: list[Any] | None, at: dt.datetime | None
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
    policy = edition_policy()
    for signature in reader.embedded_signatures:
        report.signatures.append(_check(signature, roots, at, policy, facts, audits))
    fields = {str(name): value for name, value, _ in enumerate_sig_fields(reader)}
    report.unsigned = [name for name, value in fields.items() if value is None]
    report.waiting_for = [who for who in facts.signatories if fields.get(who) is None]
    return report, (first, facts)


def _check(signature: Any, roots: list[Any] | None, at: dt.datetime | None,
           policy: DiffPolicy, facts: EditionFacts, audits: list[RevisionAudit]
           ) -> SignatureCheck:
    timestamp = signature.sig_object_type == "/DocTimeStamp"
    name = str(signature.field_name)
    revision, last = signature.signed_revision + 1, signature.reader.total_revisions
    problem: str | None = None
    if timestamp:
        status = check_timestamp(signature, roots, at, policy)
        signer, signed_at, time_source = tsa_name(status), status.timestamp, ""
    else:
        outcome = check_signature(signature, roots, at, policy)
        status, problem = outcome.status, outcome.problem
        if status is None:  # the long-term process stopped before pyHanko made a status
            certificate = signature.signer_cert
            return SignatureCheck(
                name, shown_name(certificate, facts.emails.get(name)), None, False, "?", None,
                False, _not_signatory(certificate, name, revision, facts, False), revision,
                problem=problem)
        signer = shown_name(status.signing_cert, facts.emails.get(name))
        signed_at, time_source = time_claim(status, signature)
    coverage = status.coverage.name if status.coverage else "NONE"
    covers = {"ENTIRE_FILE": "the whole file",
              "ENTIRE_REVISION": f"revision {revision} of {last}"}.get(coverage,
                                                                       "part of a revision")
    return SignatureCheck(
        name, signer, signed_at,
        bool(status.intact and status.valid) and covers != "part of a revision", covers,
        _changed_after(revision, audits, status.diff_result),
        bool(status.trusted) if roots is not None else None,
        _not_signatory(status.signing_cert, name, revision, facts, timestamp), revision,
        timestamp, time_source, problem)


def _changed_after(revision: int, audits: list[RevisionAudit], diff: Any) -> str | None:
    """The later revisions the audit refused; or, should pyHanko's own review of the
    file since ``revision``, under the same policy, refuse what the audit let through,
    its reason."""
    later = [a.number for a in audits if a.number > revision and a.problems]
    if later:
        return f"revision {', '.join(map(str, later))}"
    if isinstance(diff, SuspiciousModification):
        return f"the file since revision {revision} ({printable(str(diff)[:160])})"
    return None


def _not_signatory(certificate: Any, name: str, revision: int, facts: EditionFacts,
                   timestamp: bool) -> str | None:
    if revision == 1:
        return "the unsigned edition already holds this signature"
    if timestamp:
        return None  # a timestamp authority's, vouched for like any other by --trust
    if name not in facts.signatories:
        return f"{printable(name)} is not a signatory of {printable(facts.agreement_id)}"
    return mismatch(certificate, facts.signatories[name], facts.emails.get(name))


def _reason(error: Exception) -> str:
    said = printable(str(error).strip().splitlines()[0][:160]) if str(error).strip() else ""
    kind = ("damaged compressed data (zlib)" if type(error).__module__ == "zlib"
            else type(error).__name__)
    return f"{kind}{': ' + said if said else ''}"

"""``sla verify``: who signed an edition, and whether it is still what they signed.

Every signature is checked offline (nothing is fetched): is it intact (the bytes it
covers hash to what was signed), what does it cover (the whole file, or a revision
followed by later ones), and was anything changed after it other than later
signatures filling their own fields (pyHanko's difference analysis). With
``--source``, whether the PDF is the edition of that YAML; with ``--trust``,
whether each signer's certificate chains to one of the given ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from sla_docs.signing import trust as trusted_time  # trusted time, --at (i15-sign)
from sla_docs.signing.edition_facts import edition_facts, quiet_pyhanko, read_input

# What may follow a signature without harming it: nothing, timestamps and validation
# data, or a later signature filling its own field.
HARMLESS = ("NONE", "LTA_UPDATES", "FORM_FILLING")


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of an edition, as checked."""

    field: str
    """The signature field: the signatory id."""
    signer: str
    """The certificate holder's name."""
    signed_at: dt.datetime | None
    """The signing time the signer's software recorded."""
    intact: bool
    """The bytes it covers are the bytes that were signed."""
    covers: str
    """What it covers, in words."""
    changed_after: str | None
    """What was changed after it, beyond later signatures; None when nothing was."""
    trusted: bool | None
    """Whether the certificate chains to a trusted one (None: not asked)."""
    # trusted time, --at (i15-sign): whose word the time is, and a long-term failure
    time_source: str = "claimed by the signer"
    """"claimed by the signer", or "attested by TSA <name>"."""
    problem: str | None = None
    """Why the long-term validation (a sealed file, or --at) failed; None if it did not."""

    @property
    def ok(self) -> bool:
        """Intact, nothing but later signatures after it, and trusted if that was asked."""
        return (self.intact and self.changed_after is None and self.trusted is not False
                and self.problem is None)


@dataclass
class Verification:
    """What ``sla verify`` found in one PDF."""

    path: str
    """The PDF."""
    signatures: list[SignatureCheck] = field(default_factory=list)
    """Every signature, in the order they were made."""
    unsigned: list[str] = field(default_factory=list)
    """Signature fields nobody has signed yet."""
    source_matches: bool | None = None
    """Whether the PDF is the edition of the ``--source`` given (None: none given)."""
    seals: list[trusted_time.SealCheck] = field(default_factory=list)
    """Every document timestamp (``sla seal``), in order."""

    @property
    def ok(self) -> bool:
        """Something is signed, every signature holds, and the source matches if given."""
        return (bool(self.signatures) and all(s.ok for s in self.signatures)
                and self.source_matches is not False and all(s.ok for s in self.seals))

    def lines(self) -> list[str]:
        """The report, a line per fact, failures named."""
        out = [f"{self.path}: {len(self.signatures)} signature(s)"]
        for check in self.signatures:
            when = check.signed_at.isoformat(timespec="seconds") if check.signed_at else "?"
            verdict = "ok" if check.ok else "FAILED"
            out.append(f"  {check.field}: {verdict}: signed by {check.signer} at {when} "
                       f"({check.time_source}); "
                       f"{'intact' if check.intact else 'NOT INTACT: changed since signed'}; "
                       f"covers {check.covers}; "
                       + (f"CHANGED AFTER IT: {check.changed_after}" if check.changed_after
                          else "nothing but later signatures after it")
                       + {None: "", True: "; trusted", False: "; NOT TRUSTED"}[check.trusted]
                       + (f"; {check.problem}" if check.problem else ""))
        out += [seal.line() for seal in self.seals]
        out += [f"  {name}: not signed yet" for name in self.unsigned]
        if not self.signatures:
            out.append("  nothing is signed")
        if self.source_matches is not None:
            out.append("  the edition of the source given" if self.source_matches else
                       "  NOT the edition of the source given (its SHA-256 differs)")
        return out


def verify_edition(pdf: Path, source: Path | None = None,
                   trust: Sequence[Path] = (), at: dt.datetime | None = None) -> Verification:
    """Check every signature of ``pdf``; see :class:`Verification`."""
    quiet_pyhanko()
    data = read_input(pdf)
    facts = edition_facts(data, str(pdf))
    report = Verification(str(pdf))
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    roots = trusted_time.trusted_certificates(trust)
    report.signatures = [_check(signature, roots if trust else None, at)
                         for signature in reader.embedded_regular_signatures]
    report.seals = [trusted_time.check_seal(seal, roots if trust else None, at)
                    for seal in reader.embedded_timestamp_signatures]
    report.unsigned = [name for name, value, _ in enumerate_sig_fields(reader)
                       if value is None]
    if source is not None:
        declared = facts.source_sha256
        report.source_matches = hashlib.sha256(read_input(source)).hexdigest() == declared
    return report


def _check(signature: Any, roots: list[Any] | None, at: dt.datetime | None) -> SignatureCheck:
    outcome = trusted_time.check_signature(signature, roots, at)  # i15-sign
    status = outcome.status
    if status is None:  # the long-term process stopped before pyHanko's status was made
        holder = signature.signer_cert.subject.human_friendly.removeprefix("Common Name: ")
        return SignatureCheck(signature.field_name, holder, None, False, "?", None, False,
                              problem=outcome.problem)
    level = status.modification_level.name if status.modification_level else "OTHER"
    coverage = status.coverage.name if status.coverage else "NONE"
    # the reader's documented total_revisions, not its cross-reference cache's (.xrefs)
    revision, last = signature.signed_revision + 1, signature.reader.total_revisions
    covers = {"ENTIRE_FILE": "the whole file",
              "ENTIRE_REVISION": f"revision {revision} of {last}"}.get(coverage,
                                                                       "part of a revision")
    harmless = level in HARMLESS and coverage in ("ENTIRE_FILE", "ENTIRE_REVISION")
    signed_at, time_source = trusted_time.time_claim(status, signature)  # i15-sign
    return SignatureCheck(
        signature.field_name, status.signing_cert.subject.human_friendly.removeprefix(
            "Common Name: "), signed_at, bool(status.intact and status.valid),
        covers, None if harmless else _changes(level, coverage),
        bool(status.trusted) if roots is not None else None, time_source, outcome.problem)


def _changes(level: str, coverage: str) -> str:
    if coverage not in ("ENTIRE_FILE", "ENTIRE_REVISION"):
        return "the signature does not cover its whole revision"
    return {"ANNOTATIONS": "annotations were added or changed",
            "OTHER": "the document was changed (pages, content or structure)"}.get(
                level, f"changes of kind {level.lower()}")

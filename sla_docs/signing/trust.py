"""Trusted time and long-term validation, on the checking side (``sla verify``).

- **Whose time.** A signature's time is either "claimed by the signer" (their
  software's clock, written into the signature) or "attested by TSA <name>" (an RFC
  3161 timestamp over the signature, whose own signature is checked here; with
  ``--trust``, the TSA's certificate must chain to one given, as a signer's must).
- **As of when.** ``--at DATE`` validates as of that moment; and a file that carries a
  document timestamp (``sla seal``) is validated by the PAdES long-term process
  (pyHanko's AdES LTA validation): the timestamps prove the signature existed before
  its certificate expired or was revoked, and the certificates are checked as of
  that proven moment, with the revocation data the file carries (DSS). Nothing is
  fetched: a revocation source a certificate declares must be answered by data in the
  file, or the check fails.
- **Document timestamps** are checked like signatures: intact, and their TSA trusted
  the same way (``--trust``).

Every certificate is judged through :func:`validation_context`, and every difference
analysis pyHanko runs here uses the policy the caller passes (``sla verify`` passes
:func:`sla_docs.signing.policy.edition_policy`), never pyHanko's default. Names read
from certificates go through :func:`~sla_docs.signing.identity.printable`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.sign.diff_analysis import DiffPolicy
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

from sla_docs.errors import printable
from sla_docs.signing.edition_facts import SigningError, read_input
from sla_docs.signing.identity import holder

SIGNER_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                       match_all_key_usages=False)
"""What a signer's certificate must allow: signing (either bit will do)."""


def trusted_certificates(paths: Sequence[Path]) -> list[Any]:
    """The certificates in ``paths`` (PEM or DER), as asn1crypto certificates."""
    return [_certificate(path) for path in paths]


def _certificate(path: Path) -> Any:
    data = read_input(path)  # a regular file only: a FIFO would never end
    try:
        (certificate,) = load_certs_from_pemder_data(data)
        return certificate
    except Exception:  # asn1crypto and PEM parsing have many ways to say "not a certificate"
        raise SigningError(f"{path}: not a certificate (PEM or DER)") from None


def validation_context(roots: list[Any] | None, at: dt.datetime | None) -> ValidationContext:
    """How certificates are judged: offline, against the ``--trust`` certificates given,
    as of ``at`` (default: now)."""
    return ValidationContext(trust_roots=roots or [], allow_fetching=False, moment=at)


@dataclass(frozen=True)
class SignatureOutcome:
    """pyHanko's status of one signature, and why it failed when pyHanko gave none."""

    status: Any
    """pyHanko's ``PdfSignatureStatus``; None when the long-term process gave none."""
    problem: str | None
    """What the long-term process found wrong, in words; None when it passed."""


def check_signature(signature: Any, roots: list[Any] | None, at: dt.datetime | None,
                    diff_policy: DiffPolicy) -> SignatureOutcome:
    """Validate ``signature`` (an embedded PDF signature) offline, what changed after it
    judged by ``diff_policy``.

    A signature whose time a TSA attests, checked with trusted ``roots`` as of a moment
    ``at`` or in a sealed file, goes through the long-term process, as of ``at``
    (default: now). Any other is checked as of ``at`` (default: now): its certificate
    must be valid then, whatever the signer's clock claims.
    """
    if roots and _time_proven(signature) and (
            at is not None or signature.reader.embedded_timestamp_signatures):
        outcome = _long_term(signature, roots, at or dt.datetime.now(dt.UTC), diff_policy)
    else:
        status = validate_pdf_signature(signature, validation_context(roots, at),
                                        diff_policy=diff_policy,
                                        key_usage_settings=SIGNER_KEY_USAGE)
        problem = status.trust_problem_indic if roots and at is not None else None
        outcome = SignatureOutcome(status, _in_words(problem, at) if problem and at else None)
    stamp = getattr(outcome.status, "timestamp_validity", None)
    if roots and stamp is not None and not stamp.trusted and outcome.problem is None:
        return SignatureOutcome(outcome.status, f"its timestamp's TSA, {tsa_name(stamp)}, "
                                                "is NOT TRUSTED: no --trust root vouches for it")
    return outcome


def _time_proven(signature: Any) -> bool:
    """Whether a TSA attests the signature's time (B-T): the long-term process needs it."""
    stamps = extract_tst_data_iter(signature.signer_info, signed=False)
    return next(stamps, None) is not None


def _long_term(signature: Any, roots: list[Any], at: dt.datetime,
               diff_policy: DiffPolicy) -> SignatureOutcome:
    declared = RevocationCheckingRule.CHECK_IF_DECLARED
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=roots),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy(
            ee_certificate_rule=declared, intermediate_ca_cert_rule=declared)))
    spec = SignatureValidationSpec(
        cert_validation_policy=policy, key_usage_settings=SIGNER_KEY_USAGE,
        revinfo_gathering_policy=RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY))
    pdf_spec = PdfSignatureValidationSpec(spec, diff_policy)
    timing = ValidationTimingInfo(validation_time=at, best_signature_time=at,
                                  point_in_time_validation=True)
    result = asyncio.run(ades_lta_validation(signature, pdf_spec, timing))
    passed = result.ades_subindic.status.name == "PASSED"
    return SignatureOutcome(result.api_status,
                            None if passed else _in_words(result.ades_subindic, at))


def _in_words(indication: Any, at: dt.datetime) -> str:
    reason = indication.name.lower().replace("_", " ")
    return (f"does not hold as of {at.isoformat(timespec='seconds')} ({reason}): no "
            "certificate, revocation data or timestamp in the file vouches for it then")


def time_claim(status: Any, signature: Any) -> tuple[dt.datetime | None, str]:
    """When ``signature`` was made, and on whose word: the signer's or a TSA's."""
    stamp = getattr(status, "timestamp_validity", None) if status is not None else None
    if stamp is not None and stamp.intact and stamp.valid:
        return stamp.timestamp, f"attested by TSA {tsa_name(stamp)}"
    claimed = signature.self_reported_timestamp
    if stamp is not None:
        return claimed, "claimed by the signer; its TSA timestamp DOES NOT HOLD"
    return claimed, "claimed by the signer"


def tsa_name(stamp: Any) -> str:
    """The TSA's name (its certificate's common name), control characters escaped."""
    return printable(holder(stamp.signing_cert).common_name) or "without a name"


def check_timestamp(stamp: Any, roots: list[Any] | None, at: dt.datetime | None,
                    diff_policy: DiffPolicy) -> Any:
    """Validate a document timestamp (``sla seal``) offline, as of ``at`` (default: now),
    what changed after it judged by ``diff_policy``; pyHanko's status of it."""
    return validate_pdf_timestamp(stamp, validation_context(roots, at), diff_policy=diff_policy)

"""Whose certificate is it: the one rule ``sla sign`` and ``sla verify`` both apply.

A signatory who declares ``email:`` in the agreement is recognised by it: the
certificate must carry that address in its subjectAltName (an rfc822Name), compared
ignoring case. Otherwise the certificate's common name must be the signatory's
``name``, compared as people read names: Unicode NFC, ignoring case, and with runs
of whitespace taken as one space, none at either end. Case is ignored by lowering, not
by case folding: folding makes "Jo\u017fh" (a long s) "josh" and "Strauß" "strauss", so a
certificate could name a signatory with letters that are not theirs.

Names and texts read from a certificate or a PDF are anyone's to write, so whatever
of them reaches a terminal goes through :func:`printable` first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sla_docs.errors import printable
from sla_docs.signing.edition_facts import EditionFacts, SigningError


@dataclass(frozen=True)
class Holder:
    """Who a certificate names."""

    common_name: str
    """Its subject's common name ("" when it has none)."""
    emails: tuple[str, ...]
    """The e-mail addresses of its subjectAltName (rfc822Name entries)."""


def same_name(one: str, other: str) -> bool:
    """Whether two names are the same as a reader would judge: NFC, lower case, one
    space."""
    return _plain(one) == _plain(other)


def _plain(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


def holder(certificate: Any) -> Holder:
    """Who ``certificate`` (an asn1crypto certificate) names; a broken one names nobody."""
    try:
        common_name = certificate.subject.native.get("common_name", "")
        if isinstance(common_name, list):  # several CNs: none of them is "the" name
            common_name = ""
        alternatives = certificate.subject_alt_name_value
        emails = tuple(str(name.native) for name in alternatives or ()
                       if name.name == "rfc822_name")
    except (ValueError, TypeError, KeyError, AttributeError):  # asn1crypto parses lazily
        return Holder("", ())
    return Holder(str(common_name), emails)


def shown_name(certificate: Any, email: str | None = None) -> str:
    """The holder as a report names them, escaped: the common name, and the address when
    the signatory is recognised by it (``A. Castillo <amy@example.com>``)."""
    found = holder(certificate)
    name = printable(found.common_name) or "(no name)"
    matched = [address for address in found.emails
               if email is not None and address.lower() == email.lower()]
    return f"{name} <{printable(matched[0])}>" if matched else name


def mismatch(certificate: Any, name: str, email: str | None) -> str | None:
    """Why ``certificate`` is not the signatory's (``name``, declared ``email``); None if it is."""
    found = holder(certificate)
    if email is not None:
        if any(address.lower() == email.lower() for address in found.emails):
            return None
        return (f"the certificate ({printable(found.common_name) or 'nameless'}, "
                f"{', '.join(map(printable, found.emails)) or 'no e-mail address'}) "
                f"does not carry {printable(name)}'s address {printable(email)}")
    if found.common_name and same_name(found.common_name, name):
        return None
    return (f"the certificate is {printable(found.common_name) or 'nameless'}'s, "
            f"not {printable(name)}'s")


def require_own_certificate(certificate: Any, facts: EditionFacts, signer_id: str) -> None:
    """Refuse (:class:`SigningError`) a certificate that is not signatory ``signer_id``'s."""
    why = mismatch(certificate, facts.signatories[signer_id], facts.emails.get(signer_id))
    if why is not None:
        raise SigningError(f"{why}: the field {signer_id!r} is "
                           f"{printable(facts.signatories[signer_id])}'s; sign your own field")

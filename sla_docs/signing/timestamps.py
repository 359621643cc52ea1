"""Trusted time and long-term validation, on the signing side (``sla sign``, ``sla seal``).

- ``--timestamp-url``: a time-stamping authority (RFC 3161) counter-signs the signature
  with its own time (PAdES B-T), so the signing time is the TSA's, not the signer's
  clock.
- ``--ltv``: the certificates and their revocation data (OCSP responses, CRLs), fetched
  from the addresses the certificates name, are stored in the file's DSS (B-LT), so the
  signature can be checked later without asking anyone.
- ``sla seal``: a document timestamp over the whole file, with the TSA's own validation
  data (B-LTA): it proves the signatures existed, intact, before their certificates
  expired.

To gather validation data pyHanko validates the chains, which needs their roots: the
self-signed certificates the key brought along, and those given with ``--trust``
(the TSA's root, when it is not the signer's).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from sla_docs.signing.edition_facts import SigningError
from sla_docs.signing.trust import trusted_certificates

TSA_TIMEOUT_SECONDS = 10
"""How long to wait for the TSA, or a revocation server, before giving up."""


@dataclass(frozen=True)
class TrustedTime:
    """How a signature is anchored in time, and what it carries for later checks."""

    timestamp_url: str | None = None
    """The TSA to counter-sign with (PAdES B-T); None: the signer's clock only (B-B)."""
    ltv: bool = False
    """Embed certificates and revocation data (B-LT)."""
    trust: tuple[Path, ...] = ()
    """Roots to validate chains with while gathering that data, beyond the key's own."""


def timestamper(url: str) -> HTTPTimeStamper:
    """A client for the TSA at ``url`` (http or https)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SigningError(f"--timestamp-url {url!r}: not an http(s) address of a TSA")
    return HTTPTimeStamper(url, timeout=TSA_TIMEOUT_SECONDS)


def gathering_context(signer_certs: Sequence[Any], trust: Sequence[Path]) -> ValidationContext:
    """A validation context that fetches revocation data, to embed it (B-LT, B-LTA).

    Its roots are the self-signed certificates among ``signer_certs`` and those in
    ``trust``: this context decides nothing about trust, it only collects what a
    later check will need.
    """
    roots = [cert for cert in signer_certs if cert.self_issued] + trusted_certificates(trust)
    return ValidationContext(trust_roots=roots, other_certs=list(signer_certs),
                             allow_fetching=True)


@contextmanager
def reaching_out(tsa_url: str | None) -> Iterator[None]:
    """Say in words what went wrong talking to the TSA or the revocation servers."""
    where = f"the TSA at {tsa_url}" if tsa_url else "the revocation servers"
    try:
        yield
    except TimestampRequestError as error:
        cause = f" ({error.__cause__})" if error.__cause__ else ""
        raise SigningError(f"{where} did not give a timestamp: {error}{cause}") from None
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        raise SigningError(f"cannot reach {where}: {error or type(error).__name__}") from None
    except (PathBuildingError, PathValidationError) as error:
        raise SigningError("cannot gather the validation data: a certificate chain does "
                           f"not validate ({error}); give its root with --trust") from None
    except PyhankoSigningError as error:
        raise SigningError(f"pyHanko could not complete the signature: {error}") from None

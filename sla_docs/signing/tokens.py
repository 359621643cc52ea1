"""Where a signer's key is kept: a PKCS#12 file, or a hardware token or HSM (PKCS#11).

Either way ``sla sign`` gets a pyHanko signer and the signer's certificate. A PKCS#11
key never leaves its token: pyHanko asks the token to sign (``pyhanko.sign.pkcs11``),
and the certificate is read from the token, by the key's label unless another label
is named. Every way this can fail that the user can fix (a library that will not load,
no token with that label, a wrong PIN, no such key or certificate) is a
:class:`SigningError` naming what was given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyhanko.sign import signers

from sla_docs.signing.edition_facts import SigningError, read_input


@dataclass(frozen=True)
class Pkcs12Key:
    """A key and certificate in a PKCS#12 file (.p12 / .pfx)."""

    path: Path
    """The file."""
    passphrase: bytes | None
    """Its passphrase, if it has one."""


@dataclass(frozen=True)
class TokenKey:
    """A key on a PKCS#11 token (a smart card, a USB token, an HSM)."""

    library: Path
    """The token's PKCS#11 module (a shared library, e.g. ``libsofthsm2.so``)."""
    token: str
    """The token's label."""
    key: str
    """The private key's label on the token."""
    cert: str | None
    """The certificate's label; None: the key's."""
    pin: str | None
    """The user PIN; None when the token needs none (or asks on its own pad)."""


@contextmanager
def opened_signer(key: Pkcs12Key | TokenKey) -> Iterator[Any]:
    """A pyHanko signer for ``key``, open for the duration of the block."""
    if isinstance(key, Pkcs12Key):
        yield _pkcs12_signer(key)
        return
    with _token_session(key) as session:
        yield _token_signer(session, key)


def _pkcs12_signer(key: Pkcs12Key) -> Any:
    raw = read_input(key.path)
    try:
        return signers.SimpleSigner.load_pkcs12_data(raw, other_certs=set(),
                                                     passphrase=key.passphrase)
    except Exception:  # cryptography says "invalid password" and more, in its own words
        raise SigningError(f"{key.path}: cannot open it: a wrong passphrase, or not a "
                           "PKCS#12 file") from None


@contextmanager
def _token_session(key: TokenKey) -> Iterator[Any]:
    # here, not at the top: python-pkcs11 is loaded only when a token is used
    from pkcs11 import PKCS11Error
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    if not key.library.is_file():
        raise SigningError(f"--pkcs11-lib {key.library}: no such file")
    try:
        session = open_pkcs11_session(str(key.library), user_pin=key.pin,
                                      token_criteria=TokenCriteria(label=key.token))
    except PKCS11Error as error:
        raise SigningError(f"token {key.token!r}: cannot log in "
                           f"({_pkcs11_reason(error)})") from None
    except Exception as error:  # a module that is no PKCS#11 library, or no such token
        raise SigningError(f"token {key.token!r} through {key.library}: cannot open it "
                           f"({_pkcs11_reason(error)})") from None
    try:
        yield session
    finally:
        session.close()


def _token_signer(session: Any, key: TokenKey) -> Any:
    # here, not at the top: python-pkcs11 is loaded only when a token is used
    from pyhanko.sign.pkcs11 import PKCS11Signer

    cert = key.cert or key.key
    signer = PKCS11Signer(session, key_label=key.key, cert_label=cert)
    try:
        signer.signing_cert  # noqa: B018 (read now, so a missing certificate is said now)
    except Exception:  # pyHanko raises PKCS11Error or its own when the label is absent
        raise SigningError(f"token {key.token!r}: no certificate labelled {cert!r}") from None
    return signer


def _pkcs11_reason(error: Exception) -> str:
    """python-pkcs11's exceptions are named for the condition and often carry no text."""
    return str(error) or type(error).__name__

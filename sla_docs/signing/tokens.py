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
    # here, not at the top: python-pkcs11 is loaded only when a token is used
    from pkcs11 import PKCS11Error

    with _token_session(key) as session:
        try:
            yield _token_signer(session, key)
        except PKCS11Error as error:  # the token refused to sign: no such key, a policy
            raise SigningError(f"token {key.token!r}: cannot sign with the key "
                               f"{key.key!r} ({_pkcs11_reason(error)})") from None


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
    from pkcs11.exceptions import PinIncorrect, PinLenRange
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    if not key.library.is_file():
        raise SigningError(f"--pkcs11-lib {key.library}: no such file")
    try:
        session = open_pkcs11_session(str(key.library), user_pin=key.pin,
                                      token_criteria=TokenCriteria(label=key.token))
    except (PinIncorrect, PinLenRange):
        raise SigningError(f"token {key.token!r}: the PIN is wrong") from None
    except Exception as error:  # no PKCS#11 library, no such token: each its own class
        raise SigningError(f"token {key.token!r} through {key.library}: cannot open it "
                           f"({_pkcs11_reason(error)})") from None
    try:
        yield session
    finally:
        session.close()


def _token_signer(session: Any, key: TokenKey) -> Any:
    # here, not at the top: python-pkcs11 is loaded only when a token is used
    from pkcs11 import Attribute, ObjectClass
    from pyhanko.sign.pkcs11 import PKCS11Signer

    cert = key.cert or key.key
    for kind, label, what in ((ObjectClass.PRIVATE_KEY, key.key, "private key"),
                              (ObjectClass.CERTIFICATE, cert, "certificate")):
        if not any(session.get_objects({Attribute.CLASS: kind, Attribute.LABEL: label})):
            raise SigningError(f"token {key.token!r}: no {what} labelled {label!r}")
    signer = PKCS11Signer(session, key_label=key.key, cert_label=cert)
    # Tokens that do ECDSA often lack the hash-and-sign mechanisms (SoftHSM among them):
    # pyHanko hashes, the token signs the digest, as every ECDSA token can.
    signer.use_raw_mechanism = signer.signing_cert.public_key.algorithm == "ec"
    return signer


def _pkcs11_reason(error: Exception) -> str:
    """python-pkcs11's exceptions are named for the condition and often carry no text."""
    return str(error) or type(error).__name__

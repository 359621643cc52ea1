"""Throwaway certificates for the signing tests: a CA, and signers it certifies.

Made fresh in each test session with ``cryptography``; no private key is ever
written anywhere but the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

NOW = dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Authority:
    """A certificate authority that can certify signers."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def pem(self, folder: Path, name: str = "ca.pem") -> Path:
        """The CA's certificate as a PEM file, to pass to ``--trust``."""
        path = folder / name
        path.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))
        return path


def authority(name: str = "Throwaway Test CA") -> Authority:
    """A self-signed CA, valid from yesterday for a year."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256()))
    return Authority(key, certificate)


def signer_file(ca: Authority, name: str, folder: Path, passphrase: bytes, *,
                email: str | None = None, stem: str | None = None) -> Path:
    """A PKCS#12 file with a key and a certificate for ``name``, certified by ``ca``.

    ``email`` puts that address in its subjectAltName; ``stem`` names the file.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    builder = x509.CertificateBuilder()
    if email is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]),
                                        critical=False)
    certificate = (
        builder
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca.certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=90))
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca.key.public_key()), critical=False)
        .sign(ca.key, hashes.SHA256()))
    path = folder / f"{stem or name.split()[0].lower()}.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        name.encode(), key, certificate, [ca.certificate],
        serialization.BestAvailableEncryption(passphrase)))
    return path

"""Signing with a key that never leaves its token: a SoftHSM2 token made in a temporary
folder, the key and certificate put on it, and the real ``sla sign --pkcs11-lib``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)

from sla_docs.signing.edition_facts import SigningError
from sla_docs.signing.sign import sign_edition
from sla_docs.signing.tokens import TokenKey
from tests.certificates import authority, signer_file
from tests.pki import built_edition, sla

LIBRARIES = ("/usr/lib/softhsm/libsofthsm2.so",
             "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
             "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
             "/usr/local/lib/softhsm/libsofthsm2.so")
LIBRARY = next((Path(p) for p in LIBRARIES if Path(p).is_file()), None)
PIN, SO_PIN = "4321", "87654321"

pytestmark = pytest.mark.skipif(LIBRARY is None or not shutil.which("softhsm2-util"),
                                reason="SoftHSM2 is not installed (apt-get install softhsm2)")


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """A SoftHSM2 token labelled sla-test holding Josh's key and certificate; the
    environment that finds it, and the CA that certified him."""
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\n"
                      "objectstore.backend = file\nlog.level = ERROR\n")
    env = os.environ | {"SOFTHSM2_CONF": str(config)}
    ca = authority()
    key, cert, _ = pkcs12.load_key_and_certificates(
        signer_file(ca, "Josh Rinaldi", folder, b"p").read_bytes(), b"p")
    assert key is not None and cert is not None
    (folder / "josh.key.pem").write_bytes(key.private_bytes(  # type: ignore[union-attr]
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    for command in (
            ["--init-token", "--free", "--label", "sla-test", "--pin", PIN, "--so-pin", SO_PIN],
            ["--import", str(folder / "josh.key.pem"), "--token", "sla-test", "--label",
             "josh-key", "--id", "01", "--pin", PIN]):
        subprocess.run(["softhsm2-util", *command], env=env, check=True, capture_output=True)
    _put_certificate(cert.public_bytes(Encoding.DER), cert.subject.public_bytes(), env)
    return {"SOFTHSM2_CONF": str(config)}, ca.pem(folder)


def _put_certificate(der: bytes, subject: bytes, env: dict[str, str]) -> None:
    """Write the certificate onto the token with python-pkcs11 (no other tool needed)."""
    import pkcs11  # here: python-pkcs11 reads SOFTHSM2_CONF when the library loads
    from pkcs11 import Attribute, CertificateType, ObjectClass

    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = env["SOFTHSM2_CONF"]
    try:
        library = pkcs11.lib(str(LIBRARY))
        with library.get_token(token_label="sla-test").open(rw=True, user_pin=PIN) as session:
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.TOKEN: True,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.VALUE: der,
                Attribute.SUBJECT: subject, Attribute.LABEL: "josh", Attribute.ID: b"\x01"})
    finally:
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous


def test_a_softhsm_token_signs_and_verify_passes(
        token: tuple[dict[str, str], Path], tmp_path_factory: pytest.TempPathFactory,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env, ca = token
    assert LIBRARY is not None  # the module is skipped otherwise
    copy = Path(shutil.copy(built_edition(tmp_path_factory), tmp_path / "minimal.en.pdf"))
    monkeypatch.setenv("SOFTHSM2_CONF", env["SOFTHSM2_CONF"])
    for who, pin, label, said in (
            ("josh", "0000", "josh-key", "the PIN is wrong"),
            ("josh", PIN, "nobody", "no private key labelled 'nobody'"),
            # the token's certificate is Josh's: the identity rule holds for tokens too
            ("amy", PIN, "josh-key", "the certificate is Josh Rinaldi's, not Amy Castillo's")):
        with pytest.raises(SigningError, match=said):
            sign_edition(copy, who, TokenKey(LIBRARY, "sla-test", label, "josh", pin))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal.en.pdf"]
    done = sla("sign", str(copy), "--signer", "josh", "--pkcs11-lib", str(LIBRARY),
               "--token", "sla-test", "--key", "josh-key", "--cert", "josh",
               "--pin-env", "TOKEN_PIN", env=env | {"TOKEN_PIN": PIN})
    assert done.returncode == 0, done.stderr
    checked = sla("verify", str(tmp_path / "minimal.en.signed.pdf"), "--trust", str(ca))
    assert "josh: ok: signed by Josh Rinaldi" in checked.stdout, checked.stdout
    assert "; trusted" in checked.stdout

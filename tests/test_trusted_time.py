"""Trusted time and long-term validation against a real TSA, OCSP responder and CRL
(certomancer, on 127.0.0.1): PAdES B-T, B-LT and B-LTA. The bars go through the real
commands; the other cases call the same library functions in-process, to stay quick."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfWriter

from sla_docs.signing.edition_facts import SigningError
from sla_docs.signing.seal import seal_edition
from sla_docs.signing.sign import sign_edition
from sla_docs.signing.timestamps import TrustedTime
from sla_docs.signing.tokens import Pkcs12Key
from sla_docs.signing.verify import verify_edition
from tests.certificates import authority, signer_file
from tests.pdfa_invariants import pdfa_problems
from tests.pki import LocalPki, built_edition, running_pki, sla

NOW = dt.datetime.now(dt.UTC)
EXPIRES = NOW + dt.timedelta(days=1)
"""When josh-brief, Josh's short-lived certificate, expires."""
AFTER_EXPIRY = NOW + dt.timedelta(days=3)
PASS = "tsa test 1"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPki]:
    with running_pki(tmp_path_factory.mktemp("pki"), EXPIRES) as running:
        yield running


@pytest.fixture
def edition(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return Path(shutil.copy(built_edition(tmp_path_factory), tmp_path / "minimal.en.pdf"))


def key(pki: LocalPki, cert: str) -> Pkcs12Key:
    return Pkcs12Key(pki.pkcs12(cert, PASS.encode()), PASS.encode())


def lines(pdf: Path, pki: LocalPki, at: dt.datetime | None = None) -> str:
    return "\n".join(verify_edition(pdf, trust=(pki.root_pem,), at=at).lines())


def test_a_tsa_attests_the_signing_time_and_a_tamper_after_it_fails(
        pki: LocalPki, edition: Path, tmp_path: Path) -> None:
    done = sla("sign", str(edition), "--signer", "josh", "--pkcs12",
               str(key(pki, "josh").path), "--passphrase-env", "P",
               "--timestamp-url", pki.tsa_url, env={"P": PASS})
    assert done.returncode == 0, done.stderr
    signed = tmp_path / "minimal.en.signed.pdf"
    checked = sla("verify", str(signed), "--trust", str(pki.root_pem))
    assert "josh: ok: signed by Josh Rinaldi" in checked.stdout, checked.stdout + checked.stderr
    attested = re.search(r" at (\S+) \(attested by TSA sla-docs Test TSA\)", checked.stdout)
    assert attested, checked.stdout
    when = dt.datetime.fromisoformat(attested.group(1))
    assert abs(when - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    tampered = bytearray(signed.read_bytes())
    at = tampered.index(b"/Title (")  # inside the signed revision: the document info
    tampered[at + 8] ^= 0x01
    signed.write_bytes(bytes(tampered))
    report = verify_edition(signed, trust=(pki.root_pem,))
    assert not report.ok and "josh: FAILED" in "\n".join(report.lines())


@pytest.fixture(scope="module")
def sealed(pki: LocalPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Josh (a certificate that expires tomorrow) and Amy sign with timestamps and
    validation data (B-LT), then ``sla seal`` adds a document timestamp (B-LTA)."""
    folder = tmp_path_factory.mktemp("sealed")
    edition = Path(shutil.copy(built_edition(tmp_path_factory), folder / "minimal.en.pdf"))
    timed = TrustedTime(pki.tsa_url, ltv=True)
    signed = sign_edition(sign_edition(edition, "josh", key(pki, "josh-brief"), time=timed),
                          "amy", key(pki, "amy"), time=timed)
    done = sla("seal", str(signed), "--timestamp-url", pki.tsa_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"sealed {folder / 'minimal.en.signed-2.sealed.pdf'}"
    return folder / "minimal.en.signed-2.sealed.pdf"


def test_a_sealed_file_verifies_after_the_signers_certificate_expired(
        pki: LocalPki, sealed: Path, edition: Path, tmp_path: Path) -> None:
    assert pdfa_problems(sealed) == []  # after the signature, its DSS and the seal
    later = sla("verify", str(sealed), "--trust", str(pki.root_pem), "--at",
                AFTER_EXPIRY.strftime("%Y-%m-%dT%H:%M:%S+0000"))
    # exit 0: the strict audit let each signature, DSS and the document timestamp pass
    assert later.returncode == 0, later.stdout + later.stderr
    assert "josh: ok: signed by Josh Rinaldi" in later.stdout
    assert "amy: ok: signed by Amy Castillo" in later.stdout
    assert "document timestamp: ok: attested by TSA sla-docs Test TSA" in later.stdout
    assert "revision" not in later.stdout.replace("covers revision", "")
    assert "josh: ok" in lines(sealed, pki)  # and now, before anything expired
    # anything changed after the seal fails, as of any moment
    retitled = tmp_path / "retitled.pdf"
    writer = PdfWriter(sealed, incremental=True)
    writer.add_metadata({"/Title": "QUOTA IS NOW $1"})
    with retitled.open("wb") as stream:
        writer.write(stream)
    said = lines(retitled, pki, AFTER_EXPIRY)
    assert "revision 8: changes what was signed: the document information's Title" in said
    assert "document timestamp: FAILED" in said and "CHANGED AFTER IT: revision 8" in said
    # the same certificate and validation data, with nothing but the signer's word for
    # the time: it holds before the certificate expired, not after
    bare = sign_edition(edition, "josh", key(pki, "josh-brief"), tmp_path / "bare.pdf",
                        TrustedTime(ltv=True))
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert "josh: ok" in lines(bare, pki, soon)
    assert re.search(r"josh: FAILED: .*does not hold as of", lines(bare, pki, AFTER_EXPIRY))


@pytest.mark.skipif(shutil.which("pdfsig") is None or shutil.which("pyhanko") is None,
                    reason="poppler's pdfsig or pyhanko-cli is not installed")
def test_other_tools_accept_the_sealed_file(pki: LocalPki, sealed: Path) -> None:
    poppler = subprocess.run(["pdfsig", str(sealed)], capture_output=True, text=True,
                             timeout=60).stdout
    for who in ("josh", "amy"):  # poppler does not check document timestamps
        block = poppler.split(f"Field Name: {who}\n")[1].split("Signature #")[0]
        assert "Signature Validation: Signature is Valid." in block, poppler
    done = subprocess.run(["pyhanko", "sign", "validate", "--trust", str(pki.root_pem),
                           "--trust-replace", "--no-revocation-check", "--executive-summary",
                           str(sealed)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^josh:\S+:VALID$", done.stdout, re.M), done.stdout
    assert re.search(r"^amy:\S+:VALID$", done.stdout, re.M), done.stdout


def test_a_tsa_is_trusted_only_as_a_signer_is(pki: LocalPki, edition: Path,
                                              tmp_path: Path) -> None:
    sealed = seal_edition(sign_edition(edition, "josh", key(pki, "josh")), pki.tsa_url)
    assert "document timestamp: ok" in lines(sealed, pki)
    stranger = authority("Someone Else's CA")
    report = verify_edition(sealed, trust=(stranger.pem(tmp_path),))
    assert not report.ok
    assert "document timestamp: FAILED" in "\n".join(report.lines())
    assert "NOT TRUSTED" in "\n".join(report.lines())
    # a signer the stranger certified, timestamped by a TSA only the PKI's root vouches for
    theirs = Pkcs12Key(signer_file(stranger, "Amy Castillo", tmp_path, b"s"), b"s")
    stamped = sign_edition(edition, "amy", theirs, tmp_path / "amy.pdf",
                           TrustedTime(pki.tsa_url))
    said = "\n".join(verify_edition(stamped, trust=(stranger.pem(tmp_path),)).lines())
    assert "amy: FAILED" in said and "TSA, sla-docs Test TSA, is NOT TRUSTED" in said, said
    said = "\n".join(verify_edition(stamped, trust=(stranger.pem(tmp_path), pki.root_pem)
                                    ).lines())
    assert "amy: ok" in said and "(attested by TSA sla-docs Test TSA)" in said, said


def test_an_unreachable_tsa_or_a_bad_seal_writes_nothing(pki: LocalPki, edition: Path,
                                                        tmp_path: Path) -> None:
    before = edition.read_bytes()
    for url, said in (("http://127.0.0.1:9/tsa", "did not give a timestamp"),
                      ("ftp://tsa.example/", "not an http(s) address"),
                      (f"{pki.base}/ocsp/root", "did not give a timestamp")):
        with pytest.raises(SigningError, match=re.escape(said)):
            sign_edition(edition, "josh", key(pki, "josh"), time=TrustedTime(url))
    with pytest.raises(SigningError, match="nobody has signed it yet"):
        seal_edition(edition, pki.tsa_url)
    with pytest.raises(SigningError, match="is the input itself"):
        seal_edition(edition, pki.tsa_url, edition)
    assert edition.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal.en.pdf"]
    assert sla("verify", str(edition), "--at", "2030-01-01").returncode == 2  # no --trust
    no_key = sla("sign", str(edition), "--signer", "josh", "--timestamp-url", pki.tsa_url)
    assert no_key.returncode == 2 and "give one of --pkcs12 FILE or --pkcs11-lib" in no_key.stderr

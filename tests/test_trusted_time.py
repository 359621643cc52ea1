"""Trusted time and long-term validation against a real TSA, OCSP responder and CRL
(certomancer, on 127.0.0.1): PAdES B-T, B-LT and B-LTA through the real commands."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.certificates import authority
from tests.pdfa_invariants import pdfa_problems
from tests.pki import LocalPki, built_edition, running_pki, sla

NOW = dt.datetime.now(dt.UTC)
EXPIRES = NOW + dt.timedelta(days=1)
"""When josh-brief, Josh's short-lived certificate, expires."""
AFTER_EXPIRY = (NOW + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S+0000")
PASS = "tsa test 1"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPki]:
    with running_pki(tmp_path_factory.mktemp("pki"), EXPIRES) as running:
        yield running


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_edition(tmp_path_factory)


def sign(pdf: Path, who: str, key: Path, *extra: str) -> tuple[int, str]:
    done = sla("sign", str(pdf), "--signer", who, "--pkcs12", str(key),
               "--passphrase-env", "SLA_TEST_PASS", *extra, env={"SLA_TEST_PASS": PASS})
    return done.returncode, done.stdout + done.stderr


def test_a_tsa_attests_the_signing_time_and_a_tamper_after_it_fails(
        pki: LocalPki, edition: Path, tmp_path: Path) -> None:
    copy = shutil.copy(edition, tmp_path / "minimal.en.pdf")
    code, said = sign(copy, "josh", pki.pkcs12("josh", PASS.encode()),
                      "--timestamp-url", pki.tsa_url)
    assert code == 0, said
    signed = tmp_path / "minimal.en.signed.pdf"
    done = sla("verify", str(signed), "--trust", str(pki.root_pem))
    assert "josh: ok: signed by Josh Rinaldi" in done.stdout, done.stdout + done.stderr
    attested = re.search(r" at (\S+) \(attested by TSA sla-docs Test TSA\)", done.stdout)
    assert attested, done.stdout
    when = attested.group(1)
    assert abs(dt.datetime.fromisoformat(when) - dt.datetime.now(dt.UTC)) < dt.timedelta(
        minutes=5)
    tampered = bytearray(signed.read_bytes())
    at = tampered.index(b"/Title (")  # inside the signed revision: the document info
    tampered[at + 8] ^= 0x01
    signed.write_bytes(bytes(tampered))
    done = sla("verify", str(signed), "--trust", str(pki.root_pem))
    assert done.returncode == 1 and "josh: FAILED" in done.stdout, done.stdout + done.stderr


def test_a_sealed_file_verifies_after_the_signers_certificate_expired(
        pki: LocalPki, edition: Path, tmp_path: Path) -> None:
    copy = shutil.copy(edition, tmp_path / "minimal.en.pdf")
    brief = pki.pkcs12("josh-brief", PASS.encode())
    code, said = sign(copy, "josh", brief, "--timestamp-url", pki.tsa_url, "--ltv")
    assert code == 0, said
    signed = tmp_path / "minimal.en.signed.pdf"
    done = sla("seal", str(signed), "--timestamp-url", pki.tsa_url)
    assert done.returncode == 0, done.stderr
    sealed = tmp_path / "minimal.en.signed.sealed.pdf"
    assert done.stdout.strip() == f"sealed {sealed}"
    assert pdfa_problems(sealed) == []  # after the signature, its DSS and the seal
    trust = ("--trust", str(pki.root_pem))
    later = sla("verify", str(sealed), *trust, "--at", AFTER_EXPIRY)
    assert "josh: ok: signed by Josh Rinaldi" in later.stdout, later.stdout + later.stderr
    assert "document timestamp: ok: attested by TSA sla-docs Test TSA" in later.stdout
    # the same certificate and validation data, with nothing but the signer's word for
    # the time: it holds before the certificate expired, not after
    bare = tmp_path / "bare"
    bare.mkdir()
    code, said = sign(shutil.copy(edition, bare / "minimal.en.pdf"), "josh", brief, "--ltv")
    assert code == 0, said
    unproven = sla("verify", str(bare / "minimal.en.signed.pdf"), *trust, "--at",
                   AFTER_EXPIRY)
    assert unproven.returncode == 1 and "josh: FAILED" in unproven.stdout, unproven.stdout
    assert "does not hold as of" in unproven.stdout
    now = sla("verify", str(bare / "minimal.en.signed.pdf"), *trust, "--at",
              (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).strftime(
                  "%Y-%m-%dT%H:%M:%S+0000"))
    assert "josh: ok" in now.stdout, now.stdout + now.stderr  # it held before it expired


def test_a_tsa_is_trusted_only_as_a_signer_is(pki: LocalPki, edition: Path,
                                              tmp_path: Path) -> None:
    copy = shutil.copy(edition, tmp_path / "minimal.en.pdf")
    assert sign(copy, "josh", pki.pkcs12("josh", PASS.encode()))[0] == 0
    signed = tmp_path / "minimal.en.signed.pdf"
    assert sla("seal", str(signed), "--timestamp-url", pki.tsa_url).returncode == 0
    stranger = authority("Someone Else's CA").pem(tmp_path)
    done = sla("verify", str(tmp_path / "minimal.en.signed.sealed.pdf"),
                   "--trust", str(stranger))
    assert done.returncode == 1
    assert "document timestamp: FAILED" in done.stdout and "NOT TRUSTED" in done.stdout


def test_an_unreachable_tsa_or_a_bad_seal_writes_nothing(pki: LocalPki, edition: Path,
                                                        tmp_path: Path) -> None:
    copy = shutil.copy(edition, tmp_path / "minimal.en.pdf")
    before = copy.read_bytes()
    code, said = sign(copy, "josh", pki.pkcs12("josh", PASS.encode()),
                      "--timestamp-url", "http://127.0.0.1:9/tsa")
    assert code == 1 and "the TSA at http://127.0.0.1:9/tsa did not give a timestamp" in said, said
    code, said = sign(copy, "josh", pki.pkcs12("josh", PASS.encode()),
                      "--timestamp-url", "ftp://tsa.example/")
    assert code == 1 and "not an http(s) address" in said, said
    code, said = sign(copy, "josh", pki.pkcs12("josh", PASS.encode()),
                      "--timestamp-url", f"{pki.base}/ocsp/root")  # answers, but no TSA
    assert code == 1 and "did not give a timestamp" in said, said
    unsigned = sla("seal", str(copy), "--timestamp-url", pki.tsa_url)
    assert unsigned.returncode == 1 and "nobody has signed it yet" in unsigned.stderr
    assert copy.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal.en.pdf"]
    assert "Traceback" not in said and "internal error" not in said
    assert sla("verify", str(copy), "--at", "2030-01-01").returncode == 2  # no --trust

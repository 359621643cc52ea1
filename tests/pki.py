"""A real test PKI on 127.0.0.1: certomancer serves a time-stamping authority, an OCSP
responder and a CRL for the certificates it issues, from ``tests/pki/certomancer.yml``.

The keys are made fresh in a temporary folder for each session; the server listens on
an ephemeral port of 127.0.0.1 in a thread, and is shut down when the session ends.
Nothing is fetched from, or served to, anywhere else.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from werkzeug.serving import make_server

CONFIG = Path(__file__).resolve().parent / "pki" / "certomancer.yml"
ARCH = "sla-test"


@dataclass(frozen=True)
class LocalPki:
    """The running PKI: where its services are, and its certificates as files."""

    base: str
    """``http://127.0.0.1:PORT/sla-test``."""
    folder: Path
    """Where the keys, the root's PEM and the signers' PKCS#12 files are."""
    arch: Any
    """certomancer's PKIArchitecture."""

    @property
    def tsa_url(self) -> str:
        """The time-stamping authority's URL (RFC 3161 over HTTP)."""
        return f"{self.base}/tsa/tsa"

    @property
    def root_pem(self) -> Path:
        """The root CA's certificate, for ``--trust``."""
        path = self.folder / "root.pem"
        path.write_bytes(self._pem("root"))
        return path

    def pkcs12(self, cert: str, passphrase: bytes) -> Path:
        """A PKCS#12 file holding ``cert``'s key, the certificate and the root's."""
        path = self.folder / f"{cert}.p12"
        key = cert.split("-")[0]
        path.write_bytes(self.arch.package_pkcs12(
            CertLabel(cert), key_label=key, certs_to_embed=[CertLabel("root")],
            password=passphrase))
        return path

    def _pem(self, cert: str) -> bytes:
        der = self.arch.get_cert(CertLabel(cert)).dump()
        body = __import__("base64").encodebytes(der).decode("ascii")
        return f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n".encode()


def _keys(folder: Path) -> None:
    for name in ("root", "tsa", "ocsp", "josh", "amy"):
        key = ec.generate_private_key(ec.SECP256R1())
        (folder / f"{name}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))


def _config(brief_until: dt.datetime) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(CONFIG.read_text("utf-8"))
    brief = config["pki-architectures"][ARCH]["certs"]["josh-brief"]
    brief["validity"]["valid-to"] = brief_until.strftime("%Y-%m-%dT%H:%M:%S+0000")
    return config


@contextmanager
def running_pki(folder: Path, brief_until: dt.datetime) -> Iterator[LocalPki]:
    """Serve the test PKI on 127.0.0.1 until the block ends."""
    _keys(folder)
    holder: dict[str, Any] = {}

    def app(environ: Any, start_response: Any) -> Any:
        return holder["animator"](environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(_config(brief_until), key_search_dir=str(folder),
                               external_url_prefix=base)
    arch = config.get_pki_arch(ArchLabel(ARCH))
    holder["animator"] = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalPki(f"{base}/{ARCH}", folder, arch)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


_BUILT: dict[int, Path] = {}


def built_edition(factory: Any) -> Path:
    """The minimal agreement's English PDF edition (josh and amy sign it), built once per
    session in a temporary folder of pytest's ``tmp_path_factory``; copy it to sign it."""
    # here, not at the top: building loads WeasyPrint, which the PKI alone does not need
    from sla_docs.editions.build import build
    from tests.conftest import FIXTURES, TODAY

    if id(factory) not in _BUILT:
        folder = factory.mktemp("edition")
        build([FIXTURES / "minimal.yaml"], folder, today=TODAY, formats=("pdf",))
        _BUILT[id(factory)] = Path(folder / "minimal" / "minimal.en.pdf")
    return _BUILT[id(factory)]


def sla(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``sla`` command in its own process, with ``env`` added."""
    # here, not at the top: conftest imports nothing of this module, and ROOT is its
    from tests.conftest import ROOT

    environment = {k: v for k, v in os.environ.items() if k != "SLA_DEBUG"} | (env or {})
    return subprocess.run([sys.executable, "-m", "sla_docs", *args], cwd=ROOT,
                          capture_output=True, text=True, env=environment, timeout=120)

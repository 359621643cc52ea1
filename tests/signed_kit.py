"""A fully signed edition for the verification tests, made once per session.

The minimal agreement, where Josh is recognised by his name and Amy by her e-mail
address (``email:``), built by ``sla build``, signed by both through ``sign_edition``
(the function ``sla sign`` calls); and the keys the tampering tests sign with.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sla_docs.editions.build import build
from sla_docs.signing.sign import sign_edition
from sla_docs.signing.tokens import Pkcs12Key
from tests.certificates import Authority, authority, signer_file
from tests.conftest import FIXTURES, TODAY, replace_once

PASSPHRASE = b"kit passphrase"
AMY_EMAIL = "amy.castillo@example.com"
CR_NAME = "Josh Rinaldi\r  amy: ok: signed by Amy Castillo"
"""A common name that, printed raw, would rewrite its own line on a terminal."""


@dataclass(frozen=True)
class Kit:
    """An agreement, its edition unsigned, half and fully signed, and keys to sign with."""

    folder: Path
    """Where everything lies."""
    source: Path
    """The agreement (``minimal.yaml``)."""
    edition: Path
    """Its English PDF edition, unsigned."""
    half: Path
    """The edition signed by Josh only."""
    signed: Path
    """The edition signed by Josh, then Amy."""
    ca: Authority
    """The authority that certified the signatories."""
    ca_pem: Path
    """Its certificate, for ``--trust``."""
    keys: dict[str, Path]
    """PKCS#12 files: josh, amy, amy-by-name (Amy's name, not her address), crlf (a
    name holding ``\\r``, with Amy's address), stranger (another authority's)."""


def agreement_text() -> str:
    """The minimal agreement, with Amy recognised by her address."""
    text = (FIXTURES / "minimal.yaml").read_text("utf-8")
    return replace_once(text, "    party: sales\n\ninputs:",
                        f"    party: sales\n    email: {AMY_EMAIL}\n\ninputs:")


def make_kit(folder: Path) -> Kit:
    """Build, sign twice, and make the keys."""
    source = folder / "minimal.yaml"
    source.write_text(agreement_text(), "utf-8")
    build([source], folder / "out", today=TODAY, formats=("pdf",), jobs=1)
    edition = Path(shutil.copy(folder / "out" / "minimal" / "minimal.en.pdf",
                               folder / "minimal.en.pdf"))
    ca = authority()
    keys = {
        "josh": signer_file(ca, "Josh Rinaldi", folder, PASSPHRASE),
        "amy": signer_file(ca, "A. Castillo", folder, PASSPHRASE, email=AMY_EMAIL.upper()),
        "amy-by-name": signer_file(ca, "Amy Castillo", folder, PASSPHRASE, stem="amy-by-name"),
        "crlf": signer_file(ca, CR_NAME, folder, PASSPHRASE, email=AMY_EMAIL, stem="crlf"),
        "stranger": signer_file(authority("Someone Else's CA"), "Mallory Stranger", folder,
                                PASSPHRASE, stem="stranger"),
    }
    half = sign_edition(edition, "josh", Pkcs12Key(keys["josh"], PASSPHRASE))
    half = Path(shutil.move(half, folder / "half.pdf"))
    signed = sign_edition(half, "amy", Pkcs12Key(keys["amy"], PASSPHRASE),
                          output=folder / "minimal.en.signed.pdf")
    return Kit(folder, source, edition, half, signed, ca, ca.pem(folder), keys)

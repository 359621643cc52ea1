"""Nothing lost when signing: the input is never written over, however the output is
spelled; the next signatory's default output is a new file; and every signed revision
stays PDF/A-3B (document information and XMP agree, /AF lists each file once); and
``sla build`` never prints over a PDF that carries a signature."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sla_docs.editions.build import build
from sla_docs.errors import OutputError
from sla_docs.signing.edition_facts import SigningError
from sla_docs.signing.sign import sign_edition
from sla_docs.signing.tokens import Pkcs12Key
from tests.certificates import authority, signer_file
from tests.conftest import FIXTURES, TODAY
from tests.pdfa_invariants import pdfa_problems
from tests.pki import built_edition, sla

PASS = b"nothing lost 7"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pkcs12Key]:
    folder = tmp_path_factory.mktemp("keys")
    ca = authority()
    return {who: Pkcs12Key(signer_file(ca, name, folder, PASS), PASS)
            for who, name in (("josh", "Josh Rinaldi"), ("amy", "Amy Castillo"))}


@pytest.fixture
def edition(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return Path(shutil.copy(built_edition(tmp_path_factory), tmp_path / "minimal.en.pdf"))


def test_the_output_is_never_the_input_however_spelled(
        edition: Path, keys: dict[str, Pkcs12Key], tmp_path: Path) -> None:
    before = edition.read_bytes()
    (tmp_path / "link.pdf").symlink_to(edition)
    os.link(edition, tmp_path / "hard.pdf")
    os.chdir(tmp_path)  # pytest restores the working directory after the test
    for spelled in (Path("./minimal.en.pdf"), tmp_path / "link.pdf", tmp_path / "hard.pdf",
                    tmp_path / "." / ".." / tmp_path.name / "minimal.en.pdf"):
        with pytest.raises(SigningError, match="is the input itself") as refused:
            sign_edition(edition, "josh", keys["josh"], spelled)
        assert refused.value.exit_code == 1
        assert edition.read_bytes() == before
    done = sla("sign", str(tmp_path / "link.pdf"), "--signer", "josh", "--pkcs12",
               str(keys["josh"].path), "--passphrase-env", "P", "-o", str(edition),
               env={"P": PASS.decode()})
    assert done.returncode == 1 and "is the input itself" in done.stderr, done.stderr
    assert edition.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.pdf", "link.pdf",
                                                           "minimal.en.pdf"]


def test_each_signature_is_a_new_file_and_stays_pdfa(
        edition: Path, keys: dict[str, Pkcs12Key], tmp_path: Path) -> None:
    first = sign_edition(edition, "josh", keys["josh"])
    assert first == tmp_path / "minimal.en.signed.pdf"
    once = first.read_bytes()
    second = sign_edition(first, "amy", keys["amy"])
    assert second == tmp_path / "minimal.en.signed-2.pdf"
    assert first.read_bytes() == once  # the first signatory's copy stays as it is
    assert second.read_bytes().startswith(once)  # an incremental update of it
    for each in (edition, first, second):  # as built, and after each signature
        assert pdfa_problems(each) == [], each
    with pytest.raises(SigningError, match="exists, with the signatures made so far"):
        sign_edition(first, "amy", keys["amy"])  # minimal.en.signed-2.pdf exists
    assert second.read_bytes().startswith(once) and first.read_bytes() == once


def test_build_never_prints_over_a_signed_pdf(
        tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Pkcs12Key],
        tmp_path: Path) -> None:
    """Signed where the edition lies (as a PDF reader saves a signature, in place): the
    next build stops before writing anything, naming the file."""
    out = Path(shutil.copytree(built_edition(tmp_path_factory).parent.parent, tmp_path / "out"))
    edition = out / "minimal" / "minimal.en.pdf"
    os.replace(sign_edition(edition, "josh", keys["josh"], tmp_path / "signed.pdf"), edition)
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    with pytest.raises(OutputError, match="carries a signature") as refused:
        build([FIXTURES / "minimal.yaml"], out, today=TODAY, formats=("pdf",), jobs=1)
    assert str(edition) in refused.value.message and refused.value.exit_code == 1
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before

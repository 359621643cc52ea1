"""Signing and verifying PDF editions: real editions, real PAdES signatures made with
certificates the tests create, real tampering, through the real command."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader, PdfWriter

from sla_docs.editions.build import build
from tests.certificates import authority, signer_file
from tests.conftest import ROOT, TODAY, replace_once

PASSPHRASES = {"josh": "correct horse 1", "amy": "battery staple 2", "lucja": "zażółć 3"}
ODD_NAME = "Łucja Ćwik-Niccolò"


def sla(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "SLA_DEBUG"} | (env or {})
    return subprocess.run([sys.executable, "-m", "sla_docs", *args], cwd=ROOT,
                          capture_output=True, text=True, env=environment, timeout=120)


def signing(signer: str, keys: dict[str, Path]) -> tuple[str, ...]:
    return ("--signer", signer, "--pkcs12", str(keys[signer]), "--passphrase-env", "PASS")


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory, minimal_text_module: str
        ) -> tuple[Path, Path, dict[str, Path], Path]:
    """An edition of two signatories plus one, their keys, the CA, and the source."""
    folder = tmp_path_factory.mktemp("signing")
    text = replace_once(minimal_text_module, "\ninputs:\n",
                        f"  - id: lucja\n    name: {ODD_NAME}\n    title:\n"
                        "      en: Customer service director\n    party: sales\n\ninputs:\n")
    source = folder / "minimal.yaml"
    source.write_text(text, "utf-8")
    build([source], folder / "out", today=TODAY, formats=("pdf",))
    ca = authority()
    names = {"josh": "Josh Rinaldi", "amy": "Amy Castillo", "lucja": ODD_NAME}
    keys = {who: signer_file(ca, name, folder, PASSPHRASES[who].encode())
            for who, name in names.items()}
    return folder / "out" / "minimal" / "minimal.en.pdf", ca.pem(folder), keys, source


@pytest.fixture(scope="module")
def minimal_text_module() -> str:
    return (ROOT / "tests" / "fixtures" / "minimal.yaml").read_text("utf-8")


@pytest.fixture(scope="module")
def pair(kit: tuple[Path, Path, dict[str, Path], Path],
         tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition signed by Josh, then Amy (signing his copy), each through ``sla sign``;
    made once for the module (copy it with :func:`signed_by_two` to tamper with it)."""
    edition, _, keys, _ = kit
    folder = tmp_path_factory.mktemp("pair")
    copy = Path(shutil.copy(edition, folder / "minimal.en.pdf"))
    signed = folder / "minimal.en.signed.pdf"
    for who, pdf in (("josh", copy), ("amy", signed)):  # the second signs the signed copy
        done = sla("sign", str(pdf), *signing(who, keys), env={"PASS": PASSPHRASES[who]})
        assert done.returncode == 0, done.stderr
    again = sla("sign", str(copy), *signing("lucja", keys), env={"PASS": PASSPHRASES["lucja"]})
    assert again.returncode == 1 and "sign that one" in again.stderr  # never overwritten
    assert copy.read_bytes() == edition.read_bytes()  # the input untouched
    return folder / "minimal.en.signed-2.pdf"  # the second signature is a new file


def signed_by_two(pair: Path, tmp_path: Path) -> Path:
    """A copy of the edition signed by two (:func:`pair`), to tamper with."""
    return Path(shutil.copy(pair, tmp_path / pair.name))


def test_every_edition_has_a_field_on_each_signature_line(kit: tuple[Path, Path, dict[
        str, Path], Path]) -> None:
    reader = PdfReader(kit[0])
    found: set[str] = set()
    for page in reader.pages:  # the signatures page(s): the annex follows them
        widgets = {str(a.get_object()["/T"]): [float(v) for v in a.get_object()["/Rect"]]
                   for a in page.get("/Annots", []) if a.get_object().get("/FT") == "/Sig"}
        if widgets:
            found |= set(widgets)
            _fields_lie_on_their_lines(page, widgets)
    assert found == {"josh", "amy", "lucja"}


def _fields_lie_on_their_lines(page: PageObject, widgets: dict[str, list[float]]) -> None:
    """Each field of ``page`` between its signatory's name and the label under the line."""
    heights: dict[str, list[float]] = {}

    def where(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        height = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text's baseline, on the page
        heights.setdefault(text.strip(), []).append(height)

    page.extract_text(visitor_text=where)
    labels = sorted(heights["Signature"], reverse=True)  # one under each block, top first
    names = [heights[name][0] for name in ("Josh Rinaldi", "Amy Castillo", ODD_NAME)
             if name in heights]
    for (field, (left, bottom, right, top)), name, label in zip(
            sorted(widgets.items(), key=lambda item: -item[1][3]), names, labels,
            strict=True):
        assert name > top > bottom > label, field  # between the name and the label under it
        assert right - left > 250 and top - bottom > 30  # room for a stamp


def test_two_signatories_sign_in_turn_and_verify_passes(
        kit: tuple[Path, Path, dict[str, Path], Path], pair: Path,
        tmp_path: Path) -> None:
    _, ca, _, source = kit
    signed = signed_by_two(pair, tmp_path)
    done = sla("verify", str(signed), "--source", str(source), "--trust", str(ca),
               "--allow-unsigned")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"josh: ok: signed by Josh Rinaldi at \S+ \(claimed by the signer\); "
                     r"intact; covers revision 2 "
                     r"of 3; nothing but later signatures after it; trusted", done.stdout)
    assert "amy: ok: signed by Amy Castillo" in done.stdout and "the whole file" in done.stdout
    assert "lucja: not signed yet" in done.stdout and "the edition of the source" in done.stdout
    assert done.stderr == ""


def test_a_changed_byte_of_page_content_fails_and_names_the_signature(
        kit: tuple[Path, Path, dict[str, Path], Path], pair: Path,
        tmp_path: Path) -> None:
    signed = signed_by_two(pair, tmp_path)
    data = bytearray(signed.read_bytes())
    contents = PdfReader(io.BytesIO(bytes(data))).pages[0].raw_get("/Contents")
    start = data.index(b"stream", data.index(f"\n{contents.idnum} 0 obj".encode())) + 20
    data[start] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    done = sla("verify", str(tampered))
    assert done.returncode == 1
    assert "josh: FAILED" in done.stdout and "NOT INTACT" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_page_appended_after_signing_fails(
        kit: tuple[Path, Path, dict[str, Path], Path], pair: Path,
        tmp_path: Path) -> None:
    signed = signed_by_two(pair, tmp_path)
    writer = PdfWriter(signed, incremental=True)
    writer.add_blank_page()
    appended = tmp_path / "appended.pdf"
    with appended.open("wb") as stream:
        writer.write(stream)
    done = sla("verify", str(appended), "--trust", str(kit[1]))
    assert done.returncode == 1
    assert "amy: FAILED" in done.stdout and "CHANGED AFTER IT" in done.stdout


def test_a_signer_the_ca_did_not_certify_is_not_trusted(
        kit: tuple[Path, Path, dict[str, Path], Path], pair: Path,
        tmp_path: Path) -> None:
    signed = signed_by_two(pair, tmp_path)
    stranger = authority("Someone Else's CA").pem(tmp_path, "other.pem")
    done = sla("verify", str(signed), "--trust", str(stranger))
    assert done.returncode == 1 and "NOT TRUSTED" in done.stdout


@pytest.mark.parametrize(("signer", "key", "phrase", "message"), [
    ("josh", "josh", "hunter2-is-wrong", "cannot open it: a wrong passphrase"),
    ("bob", "josh", "correct horse 1", "'bob' is not a signatory of minimal"),
    ("amy", "josh", "correct horse 1", "the certificate is Josh Rinaldi's"),
])
def test_bad_signing_is_refused_and_the_pdf_is_untouched(
        kit: tuple[Path, Path, dict[str, Path], Path], tmp_path: Path, signer: str, key: str,
        phrase: str, message: str) -> None:
    edition, _, keys, _ = kit
    copy = Path(shutil.copy(edition, tmp_path / "minimal.en.pdf"))
    done = sla("sign", str(copy), "--signer", signer, "--pkcs12", str(keys[key]),
               "--passphrase-env", "PASS", env={"PASS": phrase})
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert phrase not in done.stdout + done.stderr  # the passphrase is never printed
    assert copy.read_bytes() == edition.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal.en.pdf"]


def test_a_signed_field_and_a_foreign_pdf_are_refused(
        kit: tuple[Path, Path, dict[str, Path], Path], pair: Path,
        tmp_path: Path) -> None:
    signed = signed_by_two(pair, tmp_path)
    before = signed.read_bytes()
    again = sla("sign", str(signed), *signing("josh", kit[2]),
                env={"PASS": PASSPHRASES["josh"]})
    assert again.returncode == 1 and "'josh' is signed already" in again.stderr
    assert signed.read_bytes() == before
    foreign = tmp_path / "foreign.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    with foreign.open("wb") as stream:
        writer.write(stream)
    for command in (("sign", str(foreign), *signing("josh", kit[2])), ("verify", str(foreign))):
        done = sla(*command, env={"PASS": PASSPHRASES["josh"]})
        assert done.returncode == 1 and "not an sla-docs edition" in done.stderr, done.stderr
    assert sla("sign", str(signed), "--signer", "josh", "--pkcs12", str(kit[2]["josh"]),
               "--passphrase-env", "UNSET_VARIABLE_X").returncode == 2


def test_any_latin_name_is_stamped_with_the_editions_font(
        kit: tuple[Path, Path, dict[str, Path], Path], tmp_path: Path) -> None:
    edition, ca, keys, _ = kit
    copy = shutil.copy(edition, tmp_path / "minimal.en.pdf")
    done = sla("sign", str(copy), *signing("lucja", keys), env={"PASS": PASSPHRASES["lucja"]})
    assert done.returncode == 0, done.stderr
    signed = tmp_path / "minimal.en.signed.pdf"
    assert sla("verify", str(signed), "--trust", str(ca), "--allow-unsigned").returncode == 0
    widget = next(a.get_object() for page in PdfReader(signed).pages
                  for a in page.get("/Annots", []) if a.get_object().get("/T") == "lucja")
    stamp = widget["/AP"]["/N"]
    fonts = [f.get_object() for form in _forms(stamp) for f in
             form.get("/Resources", {}).get("/Font", {}).values()]
    assert any("NotoSans" in str(font["/BaseFont"]) for font in fonts)
    mapped = "".join(font["/ToUnicode"].get_data().decode("latin-1") for font in fonts
                     if "/ToUnicode" in font)
    for letter in "ŁĆò":  # each is mapped, so it was set in the font, not replaced
        assert f"<{ord(letter):04X}>" in mapped.upper(), letter


def _forms(stream: object) -> list[dict[str, object]]:
    """A form XObject and the forms it draws, depth first."""
    found = [stream.get_object()]  # type: ignore[attr-defined]
    for inner in found[0].get("/Resources", {}).get("/XObject", {}).values():
        found += _forms(inner)
    return found

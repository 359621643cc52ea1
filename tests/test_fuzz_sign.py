"""Any bytes given to ``sla sign``: a clear message naming the file, or a signature;
never a traceback, never an "internal error", never a half-written output.

Hypothesis mutates a real edition (cut short, bytes flipped, a span overwritten or
inserted) and signs it in-process, so a few dozen cases run in seconds; the hostile
files in /work/hostile/i15-sign (outside the project) go through the command itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_docs.errors import SlaError
from sla_docs.signing.sign import sign_edition
from sla_docs.signing.tokens import Pkcs12Key
from tests.certificates import authority, signer_file
from tests.pki import built_edition, sla

PASS = b"fuzz 18"


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Pkcs12Key, Path]:
    """The edition's bytes, Josh's key, and a folder to sign in."""
    folder = tmp_path_factory.mktemp("fuzz")
    key = Pkcs12Key(signer_file(authority(), "Josh Rinaldi", folder, PASS), PASS)
    return built_edition(tmp_path_factory).read_bytes(), key, folder


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` damaged one to three times, the way files get damaged."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        how = draw(st.sampled_from(["cut", "flip", "overwrite", "insert"]))
        noise = draw(st.binary(min_size=1, max_size=64))
        if how == "cut":
            del data[at:]
        elif how == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "overwrite":
            data[at:at + len(noise)] = noise
        else:
            data[at:at] = noise
    return bytes(data)


def test_damaged_editions_are_refused_by_name_or_signed(
        kit: tuple[bytes, Pkcs12Key, Path]) -> None:
    original, key, folder = kit
    pdf, output = folder / "damaged.pdf", folder / "damaged.signed.pdf"

    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated(original))
    def case(data: bytes) -> None:
        pdf.write_bytes(data)
        output.unlink(missing_ok=True)
        try:
            sign_edition(pdf, "josh", key)
        except SlaError as refused:  # anything else fails the test, with its traceback
            assert refused.exit_code == 1 and str(pdf) in refused.format_message()
            assert not output.exists()
        else:
            assert output.read_bytes().startswith(data)  # an incremental update of it

    case()


def test_the_hostile_corpus_through_the_command(kit: tuple[bytes, Pkcs12Key, Path],
                                               tmp_path: Path) -> None:
    """A few kinds the mutations rarely reach, made here so the test stands alone."""
    original, key, _ = kit
    cases = {"half.pdf": original[: len(original) // 2],
             "deep.pdf": b"%PDF-1.7\n1 0 obj\n" + b"[" * 20000 + b"\nendobj\n%%EOF\n"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        done = sla("sign", str(tmp_path / name), "--signer", "josh", "--pkcs12",
                   str(key.path), "--passphrase-env", "P", env={"P": PASS.decode()})
        assert done.returncode == 1, (name, done.stderr)
        assert done.stderr.startswith(f"{tmp_path / name}: "), (name, done.stderr)
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(cases)
    shutil.rmtree(tmp_path)

"""What `sla build` refuses, and what it cleans: two agreements with one id, a symlinked
output folder, a signed PDF where an edition would be printed, the temporary files of
a killed build; and `--shard K/N`, and the progress bar only on a terminal."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sla_docs.check.validate import validate_paths
from sla_docs.editions.build import build
from sla_docs.editions.overwrite import carries_signature
from sla_docs.errors import OutputError
from sla_docs.signing.sign import sign_edition
from sla_docs.signing.tokens import Pkcs12Key
from tests.certificates import authority, signer_file
from tests.conftest import ROOT, TODAY, replace_once, run_sla


def every_file(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_two_files_with_one_id_are_an_error_naming_both(tmp_path: Path,
                                                         minimal_text: str) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(minimal_text, "utf-8")
    second.write_text(replace_once(minimal_text, 'version: "1.0"', 'version: "2.0"'), "utf-8")
    done = run_sla("build", str(tmp_path), "--format", "md", "--out", str(tmp_path / "out"))
    assert done.returncode == 1 and not (tmp_path / "out").exists()
    assert f"{first}:2:5: error SLA260: agreement id `minimal` is also the id of {second}" \
        in done.stderr
    assert f"{second}:2:5: error SLA260: agreement id `minimal` is also the id of {first}" \
        in done.stderr


def test_one_file_named_twice_is_one_agreement(tmp_path: Path, minimal_text: str) -> None:
    source = tmp_path / "minimal.yaml"
    source.write_text(minimal_text, "utf-8")
    (tmp_path / "link.yaml").symlink_to(source)
    report = validate_paths([source, tmp_path, tmp_path / "." / "minimal.yaml"], today=TODAY)
    assert report.ok and [checked.path for checked in report.files] == [str(source)]


def test_a_symlinked_output_folder_is_not_written_through(tmp_path: Path,
                                                           minimal_text: str) -> None:
    source, out, elsewhere = tmp_path / "minimal.yaml", tmp_path / "out", tmp_path / "else"
    source.write_text(minimal_text, "utf-8")
    out.mkdir()
    elsewhere.mkdir()
    (out / "minimal").symlink_to(elsewhere)
    with pytest.raises(OutputError) as refused:
        build([source], out, today=TODAY, formats=("md",))
    assert str(out / "minimal") in refused.value.message and "symbolic link" in \
        refused.value.message
    assert list(elsewhere.iterdir()) == [] and [p.name for p in out.iterdir()] == ["minimal"]


def test_a_killed_builds_temporary_files_go_and_nothing_else(tmp_path: Path,
                                                              minimal_text: str) -> None:
    source, out = tmp_path / "minimal.yaml", tmp_path / "out"
    source.write_text(minimal_text, "utf-8")
    build([source], out, today=TODAY, formats=("md",))
    folder = out / "minimal"
    leftovers = [folder / ".minimal.en.md.k2_8xq0z", folder / "..stamps.json.a1b2c3d4",
                 out / ".agreement.schema.json.zzzzzzzz"]
    kept = [folder / ".minimal.en.md.k2_8xq0z9", folder / ".minimal.en.md.K2_8XQ0Z",
            folder / ".other.en.md.k2_8xq0z", folder / "notes.txt",
            tmp_path / ".minimal.en.md.k2_8xq0z"]
    for path in leftovers + kept:
        path.write_text("half a file", "utf-8")
    assert build([source], out, today=TODAY, formats=("md",)).written == []  # up to date
    assert [path for path in leftovers if path.exists()] == []
    assert [path for path in kept if path.exists()] == kept


UNSIGNED = bytearray()
"""The edition before it was signed."""


def test_a_fifo_or_a_link_to_a_device_among_the_outputs_is_refused_never_read(
        tmp_path: Path, minimal_text: str) -> None:
    source, out = tmp_path / "minimal.yaml", tmp_path / "out"
    source.write_text(minimal_text, "utf-8")
    build([source], out, today=TODAY, formats=("md",))
    edition, stamps = out / "minimal" / "minimal.en.md", out / "minimal" / ".stamps.json"
    edition.unlink()
    os.mkfifo(edition)  # where the stamps say the edition is: reading it would block
    done = run_sla("build", str(source), "--format", "md", "--out", str(out))
    assert done.returncode == 1 and edition.is_fifo()
    assert f"{edition}: cannot write: it is a named pipe (FIFO), not a file" in done.stderr
    edition.unlink()
    stamps.unlink()
    stamps.symlink_to("/dev/zero")  # a stamps file that never ends
    done = run_sla("build", str(source), "--format", "md", "--out", str(out))
    assert done.returncode == 1 and stamps.is_symlink() and not edition.exists()
    assert f"{stamps}: cannot write: it is a symbolic link to a device" in done.stderr
    stamps.unlink()
    stamps.symlink_to(tmp_path / "elsewhere.json")  # a link to a file is replaced
    (tmp_path / "elsewhere.json").write_text("{}", "utf-8")
    done = run_sla("build", str(source), "--format", "md", "--out", str(out))
    assert done.returncode == 0 and stamps.is_file() and not stamps.is_symlink()
    assert (tmp_path / "elsewhere.json").read_text("utf-8") == "{}"


@pytest.fixture(scope="module")
def signed_in_place(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bytes]:
    """A built edition signed where it stands, as a PDF reader saves it; and its source."""
    folder = tmp_path_factory.mktemp("signed")
    source = folder / "minimal.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "minimal.yaml", source)
    build([source], folder / "out", today=TODAY, formats=("pdf",), jobs=1)
    edition = folder / "out" / "minimal" / "minimal.en.pdf"
    UNSIGNED.extend(edition.read_bytes())
    key = signer_file(authority(), "Josh Rinaldi", folder, b"passphrase")
    signed = sign_edition(edition, "josh", Pkcs12Key(key, b"passphrase"))
    os.replace(signed, edition)
    return source, edition, edition.read_bytes()


def test_a_signed_pdf_in_the_way_stops_the_build_before_it_writes(
        signed_in_place: tuple[Path, Path, bytes], tmp_path: Path) -> None:
    source, edition, signed = signed_in_place
    changed = tmp_path / "minimal.yaml"
    changed.write_text(source.read_text("utf-8") + "# a change\n", "utf-8")
    out = edition.parent.parent
    before = every_file(out)
    with pytest.raises(OutputError) as refused:
        build([changed], out, today=TODAY, formats=("md", "pdf"), jobs=1)
    assert refused.value.message.startswith(f"{edition}: cannot write: it carries a signature")
    assert every_file(out) == before and edition.read_bytes() == signed  # not even the md


def test_only_a_real_signature_counts(signed_in_place: tuple[Path, Path, bytes],
                                      tmp_path: Path) -> None:
    _, edition, signed = signed_in_place
    assert carries_signature(edition)
    unsigned = tmp_path / "unsigned.pdf"  # the mark without a signature: a comment
    unsigned.write_bytes(bytes(UNSIGNED) + b"% /ByteRange [0 10 20 30]\n")
    damaged = tmp_path / "damaged.pdf"  # looks signed, cannot be read: not printed over
    damaged.write_bytes(signed[len(signed) // 2:])  # the half with the signature
    link = tmp_path / "link.pdf"  # replaced by the build, not written through
    link.symlink_to(edition)
    assert not carries_signature(unsigned) and carries_signature(damaged)
    assert not carries_signature(link) and not carries_signature(tmp_path / "none.pdf")


def shard_files(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*.*") if p.name != ".stamps.json"}


def test_shards_are_stable_disjoint_and_make_one_whole_build(tmp_path: Path) -> None:
    samples = [ROOT / "agreements" / "acme.yaml", ROOT / "agreements" / "globex.yaml"]
    whole = build(samples, tmp_path / "whole", today=TODAY, formats=("md",))
    parts = []
    for index in (1, 2, 3):
        build(samples, tmp_path / f"{index}", today=TODAY, formats=("md",), shard=f"{index}/3")
        parts.append(shard_files(tmp_path / f"{index}"))
    build(samples[::-1], tmp_path / "reversed", today=TODAY, formats=("md",), shard="2/3")
    assert parts[1] == shard_files(tmp_path / "reversed")  # not the order they are named in
    assert all(parts) and sum(map(len, parts)) == len(whole.written) == len(set().union(*parts))
    assert set().union(*parts) == shard_files(tmp_path / "whole")
    assert "agreement.schema.json" in parts[0]


@pytest.mark.parametrize("shard", ["0/3", "4/3", "1/0", "3", "1/2/3", "-1/2", "a/b", "٢/٣"])
def test_a_bad_shard_is_a_usage_error(tmp_path: Path, shard: str) -> None:
    done = run_sla("build", "--shard", shard, "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "--shard" in done.stderr and not (tmp_path / "out").exists()


def test_the_progress_bar_shows_on_a_terminal_only(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "sla_docs", "build", "agreements/acme.yaml",
               "--format", "md"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    piped = subprocess.run([*command, "--out", str(tmp_path / "piped")], cwd=ROOT,
                           env=environment, capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0 and piped.stderr == ""  # nothing in a CI log
    terminal, other_end = pty.openpty()
    shown = subprocess.run([*command, "--out", str(tmp_path / "terminal")], cwd=ROOT,
                           env=environment, stdout=subprocess.DEVNULL, stderr=other_end,
                           timeout=60)
    os.close(other_end)
    drawn = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the terminal's other end closed: all read
            break
        if not chunk:
            break
        drawn += chunk
    os.close(terminal)
    assert shown.returncode == 0 and b"rendering editions" in drawn and b"100%" in drawn


def test_the_example_workflow_builds_every_shard_once() -> None:
    from ruamel.yaml import YAML  # here: only this test reads a workflow

    workflow = YAML(typ="safe").load(
        (ROOT / "examples" / "github" / "workflows" / "agreements.yml").read_text("utf-8"))
    editions = workflow["jobs"]["editions"]
    shards = editions["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and len(shards) > 1
    runs = [step["run"] for step in editions["steps"] if "sla build" in step.get("run", "")]
    assert runs == ['sla build --shard "${{ matrix.shard }}/${{ strategy.job-total }}"']

"""The shipped fonts' deflates, kept on disk: the same bytes as compressing them anew."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pydyf
import pytest

from sla_docs.editions.pdf import _remembered_deflate, fonts_dir
from sla_docs.library_internals import remember_compressed_streams


def _level_nine(raw: bytes) -> bytes:
    compressor = zlib.compressobj(level=9)
    return compressor.compress(raw) + compressor.flush()


def test_a_font_is_deflated_once_and_then_read_back(tmp_path: Path) -> None:
    font = (fonts_dir() / "NotoSans-Regular.ttf").read_bytes()
    remembered, calls = _remembered_deflate(tmp_path / "streams"), []

    def deflate() -> bytes:
        calls.append(1)
        return _level_nine(font)

    assert remembered(font, deflate) == _level_nine(font) and calls == [1]
    assert remembered(font, deflate) == _level_nine(font) and calls == [1]  # read back
    [kept] = (tmp_path / "streams").iterdir()
    kept.write_bytes(zlib.compress(b"not the font"))  # damaged, or put there by someone
    assert remembered(font, deflate) == _level_nine(font) and calls == [1, 1]
    kept.unlink()
    os.mkfifo(kept)  # read, it would block the printer
    assert remembered(font, deflate) == _level_nine(font) and calls == [1, 1, 1]
    kept.unlink()
    kept.write_bytes(zlib.compress(font, 1))  # the font, but not the PDF's bytes
    assert remembered(font, deflate) == _level_nine(font) and calls == [1, 1, 1, 1]
    kept.write_bytes(_level_nine(font) + b"endstream endobj 9 0 obj")  # bytes smuggled after
    assert remembered(font, deflate) == _level_nine(font) and calls == [1, 1, 1, 1, 1]


def test_a_linked_streams_folder_is_neither_read_nor_written(tmp_path: Path) -> None:
    font = (fonts_dir() / "NotoSans-Regular.ttf").read_bytes()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "streams").symlink_to(elsewhere)
    remembered = _remembered_deflate(tmp_path / "streams")
    assert remembered(font, lambda: _level_nine(font)) == _level_nine(font)
    assert list(elsewhere.iterdir()) == []


def test_other_streams_are_compressed_as_usual_and_never_kept(tmp_path: Path) -> None:
    remembered = _remembered_deflate(tmp_path / "streams")
    page = b"BT /F1 12 Tf (hello) Tj ET" * 5000
    assert remembered(page, lambda: _level_nine(page)) == _level_nine(page)
    assert not (tmp_path / "streams").exists()


def test_pydyf_writes_the_same_bytes_through_the_swap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pydyf, "zlib", zlib)  # undone after the test
    font = (fonts_dir() / "NotoSans-Bold.ttf").read_bytes()
    before = pydyf.Stream([font], compress=True).data
    remember_compressed_streams(pydyf, _remembered_deflate(tmp_path / "streams"))
    assert pydyf.Stream([font], compress=True).data == before
    assert pydyf.Stream([font], compress=True).data == before  # read back this time
    assert len(list((tmp_path / "streams").iterdir())) == 1

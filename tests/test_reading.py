"""Decoding: every encoding editors bring gives the same tree; non-text is refused."""
from __future__ import annotations

import codecs
import json

import pytest
from conftest import SOURCE, run_cli

from pipeline.errors import UserError
from pipeline.readers.decode import decode

SAMPLE = (SOURCE / "wuge-yinling.txt").read_text("utf-8")


def tree_of(path):
    result = run_cli("normalize", str(path), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("ref") / "sample.txt"
    path.write_text(SAMPLE, "utf-8")
    return tree_of(path)


@pytest.mark.parametrize("encoding, prefix", [
    ("gb18030", b""),
    ("gbk", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_encodings_read_the_same(tmp_path, reference, encoding, prefix):
    path = tmp_path / "sample.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    assert tree_of(path) == reference


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings(tmp_path, reference, newline):
    path = tmp_path / "sample.txt"
    path.write_bytes(SAMPLE.replace("\n", newline).encode("utf-8"))
    assert tree_of(path) == reference


def test_nfc():
    assert decode("e\u0301".encode("utf-8"), "x") == "\u00e9"


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
    (b"PK\x03\x04" + bytes(100), "ZIP archive"),
    ("标题\n正文\x00内容".encode("utf-8"), "NUL"),
    (bytes([0x80, 0xfe, 0xfd, 0x81, 0xff]) * 50, "not valid"),
])
def test_not_text_is_refused(data, message):
    with pytest.raises(UserError) as info:
        decode(data, "bad.txt")
    assert message in str(info.value)
    assert str(info.value).startswith("bad.txt")

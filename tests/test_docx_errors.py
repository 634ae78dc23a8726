"""Bad Word files: one line on stderr naming the file and the problem, exit 3,
nothing written, no traceback; nothing inflated, expanded or fetched first."""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import run_cli
from docxgen import PNG, new, picture, rezip, save, xml_paragraph


def _base(tmp: Path, name: str = "base.docx") -> Path:
    d = new("正常的文档")
    d.add_paragraph("正常的文档", style="Title")
    d.add_paragraph("正文。")
    return save(d, tmp / name)


def _ole2(streams: list[str]) -> bytes:
    """A compound file header and a directory naming `streams` (what the check reads)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    entries = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for name in streams)
    return header + entries


def _png(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + PNG[33:])


def doc97(tmp):
    path = tmp / "old.docx"
    path.write_bytes(_ole2(["Root Entry", "WordDocument", "1Table", "\x05SummaryInformation"]))
    return path, "save it as .docx"


def wps(tmp):
    path = tmp / "wps.docx"
    path.write_bytes(_ole2(["Root Entry", "WpsContent", "\x05SummaryInformation"]))
    return path, "WPS file"


def encrypted(tmp):
    path = tmp / "secret.docx"
    path.write_bytes(_ole2(["Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]))
    return path, "password-protected"


def truncated(tmp):
    data = _base(tmp).read_bytes()
    path = tmp / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    return path, "corrupt or truncated"


def not_a_zip(tmp):
    path = tmp / "text.docx"
    path.write_text("这不是Word文件。", "utf-8")
    return path, "not a zip package"


def zip_without_document(tmp):
    path = tmp / "other.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hello")
    return path, "not a Word document"


def bomb_ratio(tmp):
    path = rezip(_base(tmp), {"word/media/filler.bin": b"\0" * (40 << 20)}, tmp / "bomb.docx")
    return path, "zip bomb"


def bomb_size(tmp):
    path = rezip(_base(tmp), {"word/media/huge.bin": b"x"}, tmp / "huge.docx")
    # The central directory claims 2 GB for that member: refused from the directory alone.
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + length] == b"word/media/huge.bin":
            data[at + 24:at + 28] = struct.pack("<I", 2 << 30)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path, "refused before inflating"


def dtd(tmp):
    base = _base(tmp)
    with zipfile.ZipFile(base) as z:
        xml = z.read("word/document.xml").decode()
    head, rest = xml.split("?>", 1)
    bad = head + '?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>' + rest
    return rezip(base, {"word/document.xml": bad.encode()}, tmp / "dtd.docx"), "DTD or entities"


def external_entity(tmp):
    base = _base(tmp)
    with zipfile.ZipFile(base) as z:
        xml = z.read("word/styles.xml").decode()
    head, rest = xml.split("?>", 1)
    bad = head + '?><!DOCTYPE x SYSTEM "http://example.invalid/evil.dtd">' + rest
    return rezip(base, {"word/styles.xml": bad.encode()}, tmp / "xxe.docx"), "word/styles.xml"


def linked_image(tmp):
    d = new("链接图片")
    d.add_paragraph("链接图片", style="Title")
    xml_paragraph(d, picture(d, external="http://example.invalid/photo.png"))
    return save(d, tmp / "linked.docx"), "http://example.invalid/photo.png"


def emf_image(tmp):
    emf = b"\x01\x00\x00\x00" + b"\0" * 36 + b" EMF" + b"\0" * 64
    d = new("矢量图")
    d.add_paragraph("矢量图", style="Title")
    xml_paragraph(d, picture(d, emf, name="image1.emf", content_type="image/x-emf"))
    return save(d, tmp / "emf.docx"), "word/media/image1.emf is EMF"


def wmf_image(tmp):
    d = new("矢量图")
    d.add_paragraph("矢量图", style="Title")
    xml_paragraph(d, picture(d, b"\xd7\xcd\xc6\x9a" + b"\0" * 60, name="image1.wmf", content_type="image/x-wmf"))
    return save(d, tmp / "wmf.docx"), "is WMF"


def huge_pixels(tmp):
    d = new("大图")
    d.add_paragraph("大图", style="Title")
    xml_paragraph(d, picture(d, _png(20000, 20000)))
    return save(d, tmp / "pixels.docx"), "400 million pixels"


def huge_bytes(tmp):
    import os

    d = new("大图")
    d.add_paragraph("大图", style="Title")
    xml_paragraph(d, picture(d, PNG + os.urandom(21 << 20)))
    return save(d, tmp / "bytes.docx"), "Compress Pictures"


def ole_equation(tmp):
    d = new("旧公式")
    d.add_paragraph("旧公式", style="Title")
    xml_paragraph(d, '<w:r><w:object><v:shape id="s1"/><o:OLEObject Type="Embed" ProgID="Equation.3" '
                     'ShapeID="s1"/></w:object></w:r>')
    return save(d, tmp / "equation.docx"), "Equation.3"


CASES = [ole_equation, doc97, wps, encrypted, truncated, not_a_zip, zip_without_document, bomb_ratio, bomb_size, dtd,
         external_entity, linked_image, emf_image, wmf_image, huge_pixels, huge_bytes]


@pytest.mark.parametrize("make", CASES, ids=[c.__name__ for c in CASES])
@pytest.mark.parametrize("command", ["normalize", "build"])
def test_bad_docx_is_one_line_exit_3(tmp_path, make, command):
    path, problem = make(tmp_path)
    out = tmp_path / "out"
    args = ["build", str(path), "--format", "pdf", "--out", str(out), "--state", str(tmp_path / "state")] \
        if command == "build" else ["normalize", str(path)]
    result = run_cli(*args)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: "), result.stderr
    assert problem in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    """The ratio check reads the central directory only: no member is read."""
    import pipeline.readers.docx.package as package
    from pipeline.errors import UserError

    path, _ = bomb_ratio(tmp_path)
    reads = []
    original = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: reads.append(name) or
                        original(self, name, pwd))
    with pytest.raises(UserError, match="zip bomb"):
        package.open_package(path)
    assert reads == []


def test_entities_are_never_expanded(tmp_path):
    from pipeline.readers.docx.package import SAFE_PARSER
    from lxml import etree

    root = etree.fromstring(b'<!DOCTYPE x [<!ENTITY a "expanded">]><x>&a;</x>', SAFE_PARSER)
    assert "expanded" not in (root.text or "")

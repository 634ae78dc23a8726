"""Bytes to text: encoding detection, Unicode NFC, one kind of line ending."""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ..errors import UserError

# Signatures of files that are certainly not text, named in the error message.
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"PK\x03\x04": "a ZIP archive",
    b"%PDF": "a PDF file",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}
_CHINESE_CODECS = ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "hz")
_CONTROL = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f]")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\u3000" <= ch <= "\u303f" \
        or "\uff00" <= ch <= "\uffef" or "\u2e80" <= ch <= "\u2fff"


def decode(data: bytes, path) -> str:
    """Decode UTF-8 (BOM optional), UTF-16 with BOM, or GB18030/GBK; NFC; LF endings."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise UserError(path, f"this is {what}, not text")
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8", path)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16", path)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _detect_chinese(data, path)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UserError(path, "contains NUL bytes: binary data, not text", line=line)
    # Form feeds (pdftotext's page breaks) and vertical tabs break lines; any other
    # control character is no text an editor meant.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise UserError(path, f"contains the control character U+{ord(bad.group()):04X}", line=line)
    return unicodedata.normalize("NFC", text)


def _strict(data: bytes, encoding: str, path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UserError(path, f"invalid {encoding} at byte {exc.start}") from None


def _detect_chinese(data: bytes, path) -> str:
    """Not UTF-8: accept it only if charset-normalizer reads it as a Chinese encoding."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_CHINESE_CODECS)).best()
    if best is not None and best.encoding in _CHINESE_CODECS:
        # GB18030 is a superset of GBK/GB2312: decode with it so no character is lost.
        encoding = "gb18030" if best.encoding in ("gbk", "gb2312") else best.encoding
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = None
        if text is not None:
            non_ascii = [c for c in text if ord(c) > 127]
            if non_ascii and sum(map(_is_cjk, non_ascii)) / len(non_ascii) > 0.8:
                return text
    raise UserError(path, "not valid UTF-8, UTF-16 or GB18030 text")


def read_limited(path: Path, limit: int, advice: str) -> bytes:
    """A source file's bytes, refused with one line when larger than `limit` bytes
    (`advice`: what the editor can do about it) or unreadable."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise UserError(path, f"is {size / 1048576:.1f} MB; {advice}")
        return path.read_bytes()
    except OSError as exc:
        raise UserError(path, f"cannot read: {exc.strerror}") from None

"""Opening a .docx safely: what is checked before python-docx parses anything.

A Word file is a zip of XML parts. Everything that could hurt is refused from what
the file itself says before a byte is inflated: an OLE2 container (a Word 97-2003
.doc, a WPS file, or a password-protected .docx, which Word stores encrypted inside
OLE2), a truncated zip, members past the size limits or with an extreme
compression ratio (a zip bomb: the central directory gives both sizes), and XML
parts with a DTD or entity declarations (no entity is ever expanded, nothing is
fetched). Each refusal is one UserError naming the file and what to do.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ...errors import UserError
from ..decode import read_limited

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_DOCX_BYTES = 50 * 1024 * 1024      # the file as stored: text and its images
MAX_MEMBER_BYTES = 64 * 1024 * 1024    # one part, inflated (a 1,000-page text is some 20 MB of XML)
MAX_TOTAL_BYTES = 256 * 1024 * 1024    # all parts, inflated
MAX_RATIO = 200                        # Word's XML deflates some 5-20 times; bombs 1,000 and more
RATIO_FLOOR = 1024 * 1024              # small members may compress however they like
MAX_MEMBERS = 10_000

# No DTD is loaded, no entity resolved, nothing fetched; a huge text node is no attack
# on a document this size (the limits above bound it).
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                              dtd_validation=False, huge_tree=True)


@dataclass
class Package:
    """The checked zip: its bytes (for python-docx) and member names."""
    data: bytes
    names: set[str]


def docx_bytes(path: Path) -> bytes:
    """A Word source's bytes, within MAX_DOCX_BYTES."""
    return read_limited(path, MAX_DOCX_BYTES, f"a Word source may be at most {MAX_DOCX_BYTES >> 20} MB "
                                              "(compress its pictures in Word, or split it)")


def open_package(path: Path, data: bytes | None = None) -> Package:
    """`data`: the file's bytes when the caller read them (docx_bytes)."""
    data = docx_bytes(path) if data is None else data
    if not data:
        raise UserError(path, "the source is empty")
    if data.startswith(OLE2_MAGIC):
        raise UserError(path, _ole2_problem(data))
    if not data.startswith(ZIP_MAGIC):
        raise UserError(path, "is not a Word .docx file (not a zip package); save it from Word or WPS as .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise UserError(path, f"is corrupt or truncated (not a complete zip package: {exc}); "
                              f"save it again from Word") from None
    _check_sizes(path, members)
    names = {m.filename for m in members}
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise UserError(path, "is a zip but not a Word document (no word/document.xml); save it as .docx")
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            _check_xml(path, archive, member)
    return Package(data, names)


def _ole2_problem(data: bytes) -> str:
    # The compound file's directory names its streams in UTF-16: an encrypted .docx
    # holds EncryptionInfo and EncryptedPackage, a .doc WordDocument.
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return ("is password-protected (encrypted); remove the password in Word "
                "(File > Info > Protect Document > Encrypt with Password) and save it again")
    return ("is a Word 97-2003 .doc or a WPS file, not a .docx; open it in Word or WPS and "
            "save it as .docx (Word Document)")


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise UserError(path, f"holds {len(members)} zip members; a Word file has a few dozen (refused as a zip bomb)")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise UserError(path, f"part {member.filename} is encrypted; remove the password in Word and save again")
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES:
            raise UserError(path, f"part {member.filename} would inflate to {member.file_size >> 20} MB "
                                  f"(limit {MAX_MEMBER_BYTES >> 20} MB): refused before inflating")
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UserError(path, f"part {member.filename} is compressed {member.file_size // max(member.compress_size, 1)}"
                                  f" to 1 (a zip bomb): refused before inflating")
    if total > MAX_TOTAL_BYTES:
        raise UserError(path, f"would inflate to {total >> 20} MB (limit {MAX_TOTAL_BYTES >> 20} MB): "
                              f"refused before inflating")


def _check_xml(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    try:
        raw = archive.read(member)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise UserError(path, f"is corrupt (part {member.filename}: {exc}); save it again from Word") from None
    head = raw[:4096]
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw or "<!DOCTYPE".encode("utf-16-le") in head:
        raise UserError(path, f"part {member.filename} declares a DTD or entities, which Word never writes "
                              f"(refused: entities are not expanded)")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 parts (Word writes UTF-8) are parsed to see their declarations.
        tree = _parse(path, member, raw).getroottree()
        if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
            raise UserError(path, f"part {member.filename} declares a DTD, which Word never writes (refused)")
    # Well-formedness is checked where each part is parsed (with SAFE_PARSER or
    # python-docx's parser, which resolves no entities either).


def _parse(path: Path, member, raw: bytes):
    try:
        return etree.fromstring(raw, SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise UserError(path, f"part {member.filename} is not well-formed XML ({exc}); save it again from Word") from None

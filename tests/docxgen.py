"""Word documents for the tests, made with python-docx; what it cannot write
(numbering definitions, footnotes, tracked changes, w:em, text boxes, fields,
comments) is injected as the XML Word writes."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt
from docx.enum.text import WD_ALIGN_PARAGRAPH

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (f'xmlns:w="{W_NS}" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:v="urn:schemas-microsoft-com:vml" '
          'xmlns:o="urn:schemas-microsoft-com:office:office" '
          'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"')
PNG = bytes.fromhex(  # a 2x2 red PNG
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73"
    "0000001649444154789c63f8cfc0f09f818181e13f030303000025fa04fd3a1f7a5e"
    "0000000049454e44ae426082")


def new(title: str | None = None, author: str | None = "编辑部", created=None) -> docx.Document:
    import datetime

    document = docx.Document()
    core = document.core_properties
    core.title = title or ""
    core.author = author or ""
    core.created = created or datetime.datetime(2024, 5, 20, 9, 0, 0)
    return document


def xml_paragraph(document, inner: str) -> None:
    """Append <w:p> with `inner` (runs and the like, XML) to the body."""
    document.element.body._insert_p(parse_xml(f"<w:p {NSDECL}>{inner}</w:p>"))


def run(text: str, props: str = "") -> str:
    from xml.sax.saxutils import escape

    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def formatted(document, text: str, size: float | None = None, font: str | None = None, bold: bool = False,
              center: bool = False, right: bool = False):
    """A paragraph set by direct formatting, as 公文 are."""
    p = document.add_paragraph()
    r = p.add_run(text)
    if size:
        r.font.size = Pt(size)
    if font:
        r.font.name = font
        r._element.get_or_add_rPr().get_or_add_rFonts().set(f"{{{W_NS}}}eastAsia", font)
    r.bold = bold or None
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def add_part(document, partname: str, content_type: str, reltype: str, xml: str) -> str:
    part = Part(PackURI(partname), content_type, xml.encode("utf-8"), document.part.package)
    return document.part.relate_to(part, reltype)


NUMBERING = f"""<w:numbering {NSDECL}>
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>"""


def with_numbering(document) -> None:
    """Replace the template's numbering part with ours (ordered, bulleted, 一、)."""
    part = document.part.numbering_part
    part._element = parse_xml(NUMBERING)


def numbered(document, text: str, num_id: int, level: int = 0):
    p = document.add_paragraph(text, style="List Paragraph")
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {NSDECL}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def add_notes(document, kind: str, notes: dict[int, str]) -> None:
    """footnotes.xml or endnotes.xml with the separators Word writes and `notes`."""
    from xml.sax.saxutils import escape

    body = "".join(
        f'<w:{kind} w:id="{nid}"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        f'<w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:{kind}>'
        for nid, text in notes.items())
    xml = (f'<w:{kind}s {NSDECL}><w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
           f'</w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
           f'</w:r></w:p></w:{kind}>{body}</w:{kind}s>')
    ct = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"
    add_part(document, f"/word/{kind}s.xml", ct, getattr(RT, kind.upper() + "S"), xml)


def note_ref(kind: str, nid: int) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Reference w:id="{nid}"/></w:r>'


def add_comments(document, comments: dict[int, str]) -> None:
    from xml.sax.saxutils import escape

    body = "".join(f'<w:comment w:id="{cid}" w:author="审稿人"><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:comment>'
                   for cid, text in comments.items())
    add_part(document, "/word/comments.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
             RT.COMMENTS, f"<w:comments {NSDECL}>{body}</w:comments>")


def picture(document, data: bytes = PNG, descr: str = "示意图", name: str = "image1.png",
            content_type: str = "image/png", external: str | None = None) -> str:
    """XML of a run with an inline picture (embedded, or linked to `external`)."""
    if external:
        rid = document.part.relate_to(external, RT.IMAGE, is_external=True)
        blip = f'<a:blip r:link="{rid}"/>'
    else:
        part = Part(PackURI(f"/word/media/{name}"), content_type, data, document.part.package)
        rid = document.part.relate_to(part, RT.IMAGE)
        blip = f'<a:blip r:embed="{rid}"/>'
    return (f'<w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
            f'<wp:docPr id="1" name="Picture 1" descr="{descr}"/><a:graphic><a:graphicData '
            f'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
            f'<pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>{blip}'
            f'<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr/></pic:pic></a:graphicData>'
            f'</a:graphic></wp:inline></w:drawing></w:r>')


def text_box(paragraphs: list[str]) -> str:
    """A run anchoring a text box (mc:AlternateContent, as Word 2010+ writes it)."""
    inner = "".join(f"<w:p>{run(t)}</w:p>" for t in paragraphs)
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            f'<wp:docPr id="2" name="Text Box 2"/><a:graphic><a:graphicData '
            f'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
            f'<w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>'
            f'</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>'
            f'<w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
            f'</mc:AlternateContent></w:r>')


def field(instr: str, result: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{instr}'
            f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{run(result)}'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def save(document, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def rezip(path: Path, replace: dict[str, bytes], out: Path | None = None, compress=zipfile.ZIP_DEFLATED) -> Path:
    """A copy of the package with some members replaced or added."""
    out = out or path
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members.update(replace)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as target:
        for name, data in members.items():
            target.writestr(name, data)
    out.write_bytes(buffer.getvalue())
    return out


def paragraph_style(document, name: str):
    """A paragraph style of `name` (Word's 'Epigraph' of some templates, a WPS '题记'),
    which python-docx's default template lacks."""
    from docx.enum.style import WD_STYLE_TYPE

    return document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)

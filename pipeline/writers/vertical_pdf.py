"""The vertical print edition (竖排) as a PDF: the pages vertical_pages.py made,
as HTML WeasyPrint places exactly (styles/vertical-print.css), then two changes
to the PDF it writes (pikepdf):

- /ViewerPreferences /Direction /R2L: pages turn right to left;
- the ToUnicode tables map the glyphs of the vertical presentation forms (﹁﹂︱︙…)
  back to the plain marks (「」—…), so that text extraction and search give the text
  as written.

Each column is an absolutely placed box one cell wide whose lines are its cells (a
preserved newline after each): its line height is the cell plus the spread that
sets a full column flush at the foot, and the box is raised by half the spread so
that its first cell starts at the head. A sideways run or a half mark breaks the
column into boxes, each placed where its cells fall. The HTML keeps reading order: pages in
turn, on each its elements (h1, h2, p...) in order, their columns right to left, so
extraction and the tags WeasyPrint writes from the elements (PDF/UA) read in order.
A paragraph that runs over a page is one element on each page, as WeasyPrint tags a
horizontal paragraph split by a page break. Running heads and folios are page margin
boxes, out of the tags as in the horizontal edition."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from markupsafe import Markup, escape

from ..model import Article
from . import stylesheet
from .vertical_layout import Column, Geometry, Piece, VPage, geometry, vertical_forms
from .vertical_pages import paginate

STYLESHEET = "vertical-print.css"
DOT = 0.16  # em: an emphasis dot's size (vertical-print.css)


def layout(article: Article, page: str = "A5"):
    from .pdf import BODY_PT, MM, PAGE_SIZES

    geo = geometry(PAGE_SIZES[page], MM, BODY_PT)
    return geo, paginate(article, geo)


def page_css(geo: Geometry) -> str:
    """The page geometry: with the root's direction rtl, WeasyPrint's first page is a
    left one, the recto of a book bound on the right; its inner margin is the right."""
    inner, outer = f"{geo.inner:.3f}pt", f"{geo.outer:.3f}pt"
    # A justified column's last line box reaches half its spread below the text block:
    # the page area goes on one cell further, or WeasyPrint would carry it over.
    return (f"@page {{ size: {geo.width:.3f}pt {geo.height:.3f}pt; margin-top: {geo.top:.3f}pt; "
            f"margin-bottom: {geo.bottom - geo.size:.3f}pt; }}\n"
            f"@page :left {{ margin-left: {outer}; margin-right: {inner}; }}\n"
            f"@page :right {{ margin-left: {inner}; margin-right: {outer}; }}\n"
            f"html {{ font-size: {geo.size}pt; }}\n"
            f".vpage {{ height: {geo.block_height:.3f}pt; }}\n")


def _css_string(text: str) -> str:
    """A running head for string-set: a character per line (\\A, its space ending the escape)."""
    chars = [ch.translate(_QUOTES) for ch in text.replace(" ", "")]
    return '"' + "\\A ".join(c.replace("\\", "\\\\").replace('"', '\\"') for c in chars) + '"'


_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


def _open(wraps) -> str:
    out = []
    for w in wraps:
        if w[0] == "a":
            out.append(Markup('<a href="%s">') % w[1])
        elif w[0] == "runin":
            out.append('<strong class="runin">')
        else:
            out.append(f"<{w[0]}>")
    return "".join(out)


def _close(wraps) -> str:
    return "".join("</a>" if w[0] == "a" else "</strong>" if w[0] == "runin" else f"</{w[0]}>"
                   for w in reversed(wraps))


def _merged(cells) -> list[tuple]:
    """(cell, how many cells it stands for): a sideways run's words and spaces are
    made one cell."""
    out: list[tuple] = []
    for cell in cells:
        if cell.face == ("side",) and out and out[-1][0].face == ("side",) and out[-1][0].wraps == cell.wraps \
                and out[-1][0].note is None:
            last, count = out[-1]
            out[-1] = (replace(last, text=last.text + cell.text, width=last.width + cell.width, note=cell.note),
                       count + 1)
        else:
            out.append((cell, 1))
    return out


def em_offset(family: str) -> float:
    """Where a face's em box starts below the top of a 1 em line box, in em: WeasyPrint
    centres the face's ascent and descent on the line, and CJK faces draw on an em
    box 0.88 em above the baseline. Kai's is 0.1 em higher than Song's."""
    from .fonts import hb_font

    font, upem = hb_font(family, False)
    extents = font.get_font_extents("ltr")
    ascent, descent = extents.ascender / upem, -extents.descender / upem
    return (1 - ascent - descent) / 2 + ascent - 0.88


def column_html(column: Column, geo: Geometry, forms: dict, shift: float = 0.0, offset: float = 0.0) -> str:
    """The column as placed boxes, a cell per line. A run turned sideways is a box of
    its own between the upright stretches before and after it (a transformed box is
    painted after the box it is in, which would put its text out of reading order).
    `shift`: em of the column's size that its face's cells sit higher than Song's;
    `offset`: where its face's em box starts in a line (em_offset)."""
    size = geo.size * column.scale
    pitch = size * (1 + column.spacing)
    right = column.slot * geo.pitch + geo.size / 2 - size / 2
    y = column.indent * geo.size - (pitch - size) / 2 + shift * size  # the next line's top
    boxes: list[str] = []
    stretch: list = []
    dot = (pitch - size) / 2 + (offset + 0.5 - DOT / 2) * size  # from the line's top

    def upright() -> None:
        nonlocal y
        if not stretch:
            return
        parts, wraps = [], ()
        for number, cell in enumerate(stretch):
            if cell.wraps != wraps:
                parts.append(_close(wraps) + _open(cell.wraps))
                wraps = cell.wraps
            if number:
                parts.append("\n")
            text = escape("".join(forms.get(ch, ch) for ch in cell.text))
            parts.append(f'<span class="tcy">{text}</span>' if cell.face == ("tcy",) else str(text))
            if any(w[0] == "em" for w in cell.wraps) and _is_han(cell.text):
                # 着重号: a dot right of the character, centred on its em box (clreq)
                parts.append(f'<span class="dot" style="margin-top: {dot:.3f}pt"></span>')
            parts.append(_call(cell))
        parts.append(_close(wraps))
        boxes.append(f'<span class="col" style="right: {right:.3f}pt; top: {y:.3f}pt; font-size: {size:.3f}pt; '
                     f'line-height: {pitch:.4f}pt">{"".join(parts)}</span>')
        y += pitch * len(stretch)
        stretch.clear()

    for cell, count in _merged(column.cells):
        if cell.halt:
            # half a cell: a box of its own, the mark raised as the face's vhal raises it
            upright()
            text = escape(forms.get(cell.text, cell.text))
            boxes.append(f'<span class="col" style="right: {right:.3f}pt; top: {y + (pitch - size) / 2 - cell.face[1] * size:.3f}pt; '
                         f'font-size: {size:.3f}pt; line-height: {size:.4f}pt">{_open(cell.wraps)}{text}{_call(cell)}'
                         f'{_close(cell.wraps)}</span>')
            y += (0.5 + column.spacing) * size
            continue
        if cell.face != ("side",):
            stretch.append(cell)
            continue
        upright()
        # turned 90° clockwise, its start where a cell's em box starts and its em box
        # on the column's (moved right by the face's offset); the next cell follows
        # after its length and the spread of each cell it stands for
        text = escape(cell.text)
        boxes.append(f'<span class="side" style="right: {right - offset * size:.3f}pt; top: {y + (pitch - size) / 2 + offset * size:.3f}pt; '
                     f'font-size: {size:.3f}pt">{_open(cell.wraps)}<span class="rot" style="width: '
                     f'{cell.width * size:.3f}pt">{text}</span>{_call(cell)}{_close(cell.wraps)}</span>')
        y += (cell.width + count * column.spacing) * size
    upright()
    html = "".join(boxes)
    if column.folio:  # a contents entry's page number, at the foot of its column
        html += f'<span class="folio" style="right: {right:.3f}pt" data-href="{escape(column.folio)}"></span>'
    return html


def _is_han(text: str) -> bool:
    return len(text) == 1 and ("\u3400" <= text <= "\u9fff" or "\uf900" <= text <= "\ufaff")


def _call(cell) -> str:
    if cell.note is None:
        return ""
    n = cell.note.number
    return f'<a class="call" id="ref-{n}" href="#note-{n}">{n}</a>'


def insert_html(piece: Piece, article: Article) -> str:
    """A table, figure or code block, set horizontally on its page (the horizontal
    edition's markup; a note call links to the notes at the end)."""
    from ..model import Image
    from ..render import _data_uri, environment

    block = piece.block
    if isinstance(block, Image):
        src = _data_uri(block) if block.data else block.src
        caption = f"<figcaption>{escape(block.title)}</figcaption>" if block.title else ""
        return f'<figure class="insert"><img src="{escape(src)}" alt="{escape(block.alt)}"/>{caption}</figure>'
    template = environment().from_string('{% import "_blocks.j2" as m %}{{ m.block(b, article, "") }}')
    return f'<div class="insert">{template.render(b=block, article=article)}</div>'


def piece_html(piece: Piece, geo: Geometry, forms: dict, shifts: dict) -> str:
    attrs = ""
    classes = " ".join(c for c in (piece.cls, "cont" if piece.cont else "") if c)
    if classes:
        attrs += f' class="{classes}"'
    if piece.id:
        attrs += f' id="{escape(piece.id)}"'
    if piece.label and piece.tag.startswith("h") and not piece.cont:
        attrs += f' data-label="{escape(piece.label)}"'
    face = "kai" if piece.cls in ("quote", "epigraph") else "sans" if piece.tag[0] == "h" or piece.cls == "subheading" else "serif"
    shift, offset = shifts[face]
    columns = "".join(column_html(c, geo, forms, shift, offset) for c in piece.columns if c.cells)
    if piece.href:
        columns = f'<a href="{escape(piece.href)}">{columns}</a>'
    return f"<{piece.tag}{attrs}>{columns}</{piece.tag}>"


def render(article: Article, geo: Geometry, pages: list[VPage]) -> str:
    from .fonts import FAMILIES

    forms = vertical_forms(article.lang)
    families = FAMILIES[article.lang]
    serif = em_offset(families["serif"])
    shifts = {role: (serif - em_offset(families[role]), em_offset(families[role]))
              for role in ("serif", "sans", "kai")}
    out = [f'<!DOCTYPE html>\n<html lang="{article.lang}" dir="rtl">\n<head>\n<meta charset="utf-8"/>\n'
           f"<title>{escape(article.title)}</title>\n"]
    if article.byline:
        out.append(f'<meta name="author" content="{escape(article.byline)}"/>\n')
    out.append('<meta name="generator" content="zh-pipeline"/>\n</head>\n<body>\n')
    for page in pages:
        style = f' style="string-set: vhead {escape(_css_string(page.head))}"' if page.head else ""
        kind = f" {page.kind}" if page.kind != "body" else ""
        out.append(f'<div class="vpage{kind}"{style}>\n')
        if page.kind == "insert":
            out.append(insert_html(page.pieces[0], article))
        elif page.kind == "contents":
            out.append('<nav class="contents">')
            heads = [p for p in page.pieces if p.tag != "li"]
            items = [p for p in page.pieces if p.tag == "li"]
            out.extend(piece_html(p, geo, forms, shifts) for p in heads)
            if items:
                out.append("<ol>" + "".join(piece_html(p, geo, forms, shifts) for p in items) + "</ol>")
            out.append("</nav>\n")
        else:
            out.extend(piece_html(p, geo, forms, shifts) + "\n" for p in page.pieces)
        out.append("</div>\n")
    out.append("</body>\n</html>\n")
    return "".join(out)


def write_vertical_pdf(article: Article, base_dir: Path, page: str = "A5",
                       modified: datetime | None = None) -> tuple[bytes, list[str]]:
    """The vertical PDF's bytes, and WeasyPrint's warnings (tagged PDF/UA-1)."""
    from .pdf import PAGE_SIZES, Renderer

    geo, pages = layout(article, page)
    html = render(article, geo, pages)
    sheets = [stylesheet(STYLESHEET, article.lang), page_css(geo)]
    with Renderer(article.lang, [base_dir], PAGE_SIZES[page], False, sheets=sheets) as renderer:
        data = renderer.write(renderer.render(html), modified)
    return finish(data, vertical_forms(article.lang)), renderer.warnings


_BFCHAR = re.compile(rb"(<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]+)>")


def finish(data: bytes, forms: dict[str, str]) -> bytes:
    """Pages turn right to left; the vertical forms' glyphs read as the plain marks."""
    import io

    import pikepdf

    back = {f"{ord(v):04X}".encode(): f"{ord(k):04X}".encode() for k, v in forms.items()}

    def plain(match: re.Match) -> bytes:
        dest = match.group(2).upper()
        groups = [dest[i:i + 4] for i in range(0, len(dest), 4)]
        return match.group(1) + b"<" + b"".join(back.get(g, g) for g in groups) + b">"

    with pikepdf.open(io.BytesIO(data)) as pdf:
        preferences = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
        preferences.Direction = pikepdf.Name.R2L
        pdf.Root.ViewerPreferences = preferences
        seen = set()
        for page in pdf.pages:
            fonts = page.Resources.get("/Font") or {}
            for _, font in fonts.items():
                cmap = font.get("/ToUnicode")
                if cmap is None or cmap.objgen in seen:
                    continue
                seen.add(cmap.objgen)
                cmap.write(_mapped(cmap.read_bytes(), plain))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _mapped(cmap: bytes, plain) -> bytes:
    """The CMap with each bfchar destination mapped (a source code is left alone)."""
    out, pos = [], 0
    for block in re.finditer(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        out.append(cmap[pos:block.start(1)])
        out.append(_BFCHAR.sub(plain, block.group(1)))
        pos = block.end(1)
    out.append(cmap[pos:])
    return b"".join(out)

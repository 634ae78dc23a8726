"""The document body in reading order: paragraphs with what structure needs to know
about them, tables, pictures, text boxes (after the paragraph that anchors them),
footnotes and endnotes (numbered together in the order they are referred to).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

from lxml import etree

from ...errors import UserError
from ...model import Image, Inline, LineBreak, Paragraph, Table, Text, plain_text
from ...normalize.report import Decision
from .images import check_image, external_image
from .inline import R, Runs, V, build_inlines
from .numbering import Numbering
from .package import SAFE_PARSER
from .styles import NS, W, StyleInfo, Styles, w

W_VAL = w("val")

SPACES = " \t\u3000\u00a0"  # what Word users type for indents: full-width spaces, tabs


@dataclass
class Para:
    """A body paragraph and how it is set."""
    number: int                   # its place among the body's paragraphs, from 1 (--report)
    inlines: tuple[Inline, ...]
    role: str | None              # from its style: title, subtitle, headingN, quote, list, toc...
    centered: bool = False
    right: bool = False
    size: float | None = None     # the size most of its characters are set in (points)
    font: str | None = None       # the East Asian font most of its characters are set in
    bold: bool = False            # every character bold (a 公文 heading set in bold)
    listing: tuple | None = None  # (kind: bullet|ordered, list key, level, start)
    outline: int | None = None    # a direct w:outlineLvl (0-based)
    text: str = field(init=False)

    def __post_init__(self):
        self.text = plain_text(self.inlines)

    def paragraph(self) -> Paragraph:
        return Paragraph.from_inlines(self.inlines)


@dataclass
class Context:
    path: object
    stem: str
    styles: Styles
    numbering: Numbering
    rels: dict
    decisions: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)       # (kind, id) in the order first referred to
    images: dict = field(default_factory=dict)      # part name -> src
    current: int | None = None                      # the paragraph being read

    def decide(self, confidence: float, message: str, number: int | None = None) -> None:
        self.decisions.append(Decision(number if number is not None else self.current, confidence, message))

    def warn(self, message: str) -> None:
        where = f"{self.path}:{self.current}" if self.current else str(self.path)
        self.warnings.append(f"{where}: {message}")

    def note_number(self, kind: str, note_id: str | None) -> int | None:
        if note_id is None:
            return None
        key = (kind, note_id)
        if key not in self.notes:
            self.notes.append(key)
        return self.notes.index(key) + 1


class Body:
    """Walks a story (the body, a note, a text box) into Para and Table/Image items."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.runs = Runs(ctx)
        self.count = 0
        self.toc_paragraphs = 0

    def blocks(self, parent) -> list:
        items: list = []
        carry: list = []  # a paragraph whose mark was deleted joins the next one
        for child in parent:
            tag = child.tag
            if tag == w("p"):
                carry = self._paragraph(child, items, carry)
            elif tag == w("tbl"):
                table = self.table(child)
                if table is not None:
                    items.append(table)
            elif tag == w("sdt"):
                if _is_toc(child):
                    self.toc_paragraphs += len(child.findall(".//w:p", NS))
                    continue
                content = child.find("w:sdtContent", NS)
                if content is not None:
                    items.extend(self.blocks(content))
            elif tag in (w("customXml"), w("ins"), w("moveTo")):
                items.extend(self.blocks(child))
        return items

    def _paragraph(self, p, items: list, carry: list) -> list:
        self.count += 1
        self.ctx.current = self.count
        ppr = p.find(_clark("w:pPr"))
        style = self.ctx.styles.info(_attr(ppr, "w:pStyle"))
        in_toc_before = self.runs.in_toc
        content = self.runs.paragraph(p, style)
        segments = carry + content.segments
        if ppr is not None and ppr.find(_clark("w:rPr/w:del")) is not None and not self.runs.in_toc:
            return segments  # Word joins the two paragraphs as they are
        inlines = strip_inlines(build_inlines(segments))
        toc_field = in_toc_before or self.runs.in_toc  # the field's result: Word's contents
        if style.role in ("toc", "tocheading") or (toc_field and not plain_text(inlines).strip()):
            self.toc_paragraphs += 1
        else:
            items.append(self._para(ppr, style, inlines, content.stats))
        for picture in content.pictures:
            items.append(self.picture(*picture))
        for box in content.boxes:
            items.extend(self.blocks(box))
        return []

    def _para(self, ppr, style: StyleInfo, inlines, stats) -> Para:
        jc = _attr(ppr, "w:jc")
        centered = jc == "center" if jc else style.centered
        num_id = _attr(ppr, "w:numPr/w:numId") or style.num_id
        ilvl = int(_attr(ppr, "w:numPr/w:ilvl") or (style.num_level if not _attr(ppr, "w:numPr/w:numId") else 0))
        listing, level = None, self.ctx.numbering.level(num_id, ilvl)
        if level is not None and level.kind in ("bullet", "ordered"):
            label = self.ctx.numbering.label(num_id, ilvl)  # keeps the counters right
            listing = (level.kind, self.ctx.numbering.abstract_of.get(num_id, num_id), ilvl,
                       int(label.rstrip(".)．")) if label.rstrip(".)．").isdigit() else level.start)
        elif level is not None and level.kind == "label":
            label = self.ctx.numbering.label(num_id, ilvl)
            if label:  # "一、" numbered by Word: a reader reads it as part of the text
                inlines = (Text(label), *inlines)
        outline = _attr(ppr, "w:outlineLvl")
        return Para(self.count, tuple(inlines), style.role, centered, jc in ("right", "end"),
                    stats.size or style.size, stats.font or style.east_asia_font, stats.bold, listing,
                    int(outline) if outline and outline.isdigit() and int(outline) < 9 else None)

    def picture(self, element, descr, vml: bool) -> Image:
        rid = element.get(f"{{{R}}}id") if vml else element.get(f"{{{R}}}embed")
        link = None if vml else element.get(f"{{{R}}}link")
        rel = self.ctx.rels.get(rid) if rid else None
        if rel is None or rel.is_external:
            target = rel.target_ref if rel is not None else (self.ctx.rels[link].target_ref
                                                            if link in self.ctx.rels else link)
            raise external_image(self.ctx.path, target or "a file outside the document")
        part = rel.target_part
        name = str(part.partname).lstrip("/")
        data = part.blob
        ext = check_image(self.ctx.path, name, data)
        src = self.ctx.images.setdefault(name, f"docx/{self.ctx.stem}/{PurePosixPath(name).stem}.{ext}")
        if vml:
            alt = (descr.get("alt") if descr is not None else None) or \
                element.get("{urn:schemas-microsoft-com:office:office}title") or ""
        else:
            alt = (descr.get("descr") or descr.get("title") or "") if descr is not None else ""
        alt = " ".join(alt.split())
        if not alt:
            self.ctx.warn(f"picture {name} has no alt text (Word: right-click > View Alt Text); "
                          f"readers who cannot see it get nothing")
        return Image(src, alt, None, data)

    def table(self, tbl) -> Table | None:
        rows: list[list[tuple]] = []
        header = False
        for index, tr in enumerate(tbl.iterfind("w:tr", NS)):
            trpr = tr.find("w:trPr", NS)
            row: list[tuple] = [()] * int(_attr(trpr, "w:gridBefore") or 0)
            for tc in tr.iterfind("w:tc", NS):
                tcpr = tc.find("w:tcPr", NS)
                merge = tcpr.find("w:vMerge", NS) if tcpr is not None else None
                continued = merge is not None and merge.get(w("val"), "continue") == "continue"
                # A merged cell's text is given once, in its first grid cell.
                row.append(() if continued else self.cell(tc))
                row.extend([()] * (int(_attr(tcpr, "w:gridSpan") or 1) - 1))
            if index == 0 and trpr is not None and trpr.find("w:tblHeader", NS) is not None:
                header = True
            rows.append(row)
        if not any(cell for row in rows for cell in row):
            return None
        width = max(len(row) for row in rows)
        rows = [row + [()] * (width - len(row)) for row in rows]
        head = tuple(rows.pop(0)) if header else ()
        return Table(head, tuple(tuple(row) for row in rows), (None,) * width)

    def cell(self, tc) -> tuple[Inline, ...]:
        """A cell's paragraphs (nested tables' too) as one run of inlines, lines broken."""
        out: list[Inline] = []
        for item in self.blocks(tc):
            if isinstance(item, Para):
                parts = item.inlines
            elif isinstance(item, Table):
                parts = tuple(n for row in (item.header, *item.rows) for cell in row for n in (*cell, Text(" ")))
            else:
                self.ctx.warn(f"a picture inside a table cell is left out ({item.alt or item.src}); "
                              f"move it out of the table")
                continue
            if parts:
                if out:
                    out.append(LineBreak())
                out.extend(parts)
        return tuple(out)

    def notes(self, roots: dict) -> list[tuple[int, list]]:
        """(number, items) for every note referred to, in the order of reference."""
        out = []
        done = 0
        by_id: dict[str, dict] = {}
        while done < len(self.ctx.notes):  # a note may refer to another note
            kind, note_id = self.ctx.notes[done]
            done += 1
            if kind not in by_id:
                root = roots.get(kind)
                by_id[kind] = {} if root is None else {n.get(w("id")): n for n in root.iterfind(f"w:{kind}", NS)}
            note = by_id[kind].get(note_id)
            self.runs.fields = []
            out.append((done, self.blocks(note) if note is not None else []))
        return out


def strip_inlines(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Leading indent spaces and trailing spaces removed, however deep the first and
    last texts are nested."""
    def edge(nodes: tuple, first: bool) -> tuple:
        if not nodes:
            return nodes
        index = 0 if first else len(nodes) - 1
        node = nodes[index]
        if isinstance(node, Text):
            text = node.text.lstrip(SPACES) if first else node.text.rstrip(SPACES)
            new = (Text(text),) if text else ()
        elif hasattr(node, "children"):
            children = edge(node.children, first)
            new = (type(node)(*[getattr(node, f) for f in node.__dataclass_fields__ if f != "children"],
                              children),) if children else ()
        else:
            return nodes
        rest = nodes[:index] + new + nodes[index + 1:]
        return edge(rest, first) if not new and rest else rest
    return edge(edge(tuple(inlines), True), False)


def _attr(element, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(_clark(path))
    return found.get(W_VAL) if found is not None else None


@lru_cache(maxsize=64)
def _clark(path: str) -> str:
    """"w:numPr/w:numId" in Clark notation: lxml finds it without a namespace map."""
    return path.replace("w:", "{%s}" % W)


def _is_toc(sdt) -> bool:
    gallery = sdt.find("w:sdtPr/w:docPartObj/w:docPartGallery", NS)
    return gallery is not None and "contents" in (gallery.get(w("val")) or "").lower()


def parse_part(path, part) -> etree._Element:
    try:
        return etree.fromstring(part.blob, SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise UserError(path, f"part {part.partname} is not well-formed XML ({exc})") from None


__all__ = ["Body", "Context", "Para", "parse_part", "strip_inlines", "V"]

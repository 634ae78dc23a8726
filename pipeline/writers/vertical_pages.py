"""What goes on the vertical edition's pages, in reading order (vertical_layout.py
breaks and places the columns):

- a title page: the title's phrases as columns at the right, the subtitle, then the
  byline and date standing at the foot, as vertical title pages sign them;
- the contents when the article has headings: an entry a column, its folio at the foot;
- the body: a heading is a column of its own in Hei with a blank column before and
  after, kept with the two columns that follow it; paragraphs indented 2 em (clreq
  3.2.1); block quotations in Kai, 2 em down from the head (clreq 3.3), a blank column
  either side; epigraphs in Kai, 2 em in from the head and from the foot, paragraphs
  indented 2 em, the attribution ending at the epigraph's foot; list items 2 em down per level, the marker hanging above the text
  (1、 or ・); a hard line break ends its column (a verse's lines); tables, figures and
  code blocks set horizontally on a page of their own, after the page where they
  are referred to (as books float them);
- the notes at the end, under their heading, each hanging after its number; the
  calls stand small beside the character they follow, right of the column.
"""
from __future__ import annotations

import math

from ..model import Article, CodeBlock, Epigraph, Image, ListBlock, Paragraph, Quote, Table
from ..render import toc_entries
from .typeset import Atom
from .vertical_layout import (H2_SIZE, H3_SIZE, HEADING_INDENT, KEEP_WITH_HEADING, SUB_INDENT, SUB_SIZE,
                              TITLE_SIZE, Column, Flow, Geometry, Piece, VPage, cells_of, set_columns)

EPIGRAPH_INSET = 2.0  # em from the head and from the foot (clreq 3.3, as base.css .epigraph)
KAI_CLASSES = ("quote", "epigraph")
NOTES_TITLE = {"zh-Hant": "註釋", "zh-Hans": "注释"}
CONTENTS_TITLE = {"zh-Hant": "目錄", "zh-Hans": "目录"}


def paginate(article: Article, geo: Geometry) -> list[VPage]:
    flow = Flow(geo, article)
    _title_page(flow, article)
    if toc_entries(article):
        _contents_page(flow, toc_entries(article))
    flow.page("body")
    for section, depth in _sections(article.sections, 1):
        _section(flow, section, depth)
    if article.footnotes:
        _notes(flow, article)
    if flow.waiting:
        flow.page("body")
        flow.pages.pop()  # the inserts' pages are enough
    return flow.pages


def _sections(sections, depth: int):
    for section in sections:
        yield section, depth
        yield from _sections(section.sections, depth + 1)


def _title_page(flow: Flow, article: Article) -> None:
    """Long lines go on in the next column, as headings do."""
    geo, lang = flow.geo, article.lang
    flow.page("title")
    flow.slot = 2.0
    title = Piece("h1", "title", label=article.title)
    for part in article.title.split(" "):
        for column in set_columns(cells_of(part, lang), int((geo.chars - HEADING_INDENT) / TITLE_SIZE), 0.0,
                                  justify=False):
            column.indent, column.scale = HEADING_INDENT, TITLE_SIZE
            flow.place(title, column, 2.0, "title")
    for text, cls, scale, indent in ((article.subtitle, "subtitle", SUB_SIZE, SUB_INDENT),
                                     (article.byline, "byline", 1.0, None), (article.date, "date", 1.0, None)):
        if not text:
            continue
        flow.gap(1.0 if cls != "date" else 0.0)
        piece = Piece("p", cls)
        room = int((geo.chars - (indent or HEADING_INDENT)) / scale)
        for column in set_columns(cells_of(text, lang), room, 0.0, justify=False):
            length = sum(cell.width for cell in column.cells) * scale
            # the byline and date stand at the foot, two cells up
            column.indent = indent if indent is not None else max(HEADING_INDENT, geo.chars - length - 2.0)
            column.scale = scale
            flow.place(piece, column, 1.5, "title")


def _contents_page(flow: Flow, entries) -> None:
    """An entry a column (a long one goes on in the next), its folio, the heading's
    page number (vertical_pdf.py: target-counter), at the foot of its last."""
    lang = flow.article.lang
    flow.page("contents")
    flow.slot = 1.0
    flow.place(Piece("h2", "contents-title"), Column(cells_of(CONTENTS_TITLE[lang], lang),
                                                     indent=HEADING_INDENT, scale=H2_SIZE), 2.0, "contents")
    flow.gap()
    for depth, section in entries:
        label = section.heading or section.subheading
        if section.heading and section.subheading:
            label += "　" + section.subheading
        indent = HEADING_INDENT - 2 + depth
        entry = Piece("li", f"toc-{depth}", href=f"#{section.id}")
        columns = set_columns(cells_of(label, lang), int(flow.geo.chars - indent - 4), 0.0, justify=False)
        columns[-1].folio = f"#{section.id}"
        for column in columns:
            column.indent = indent
            flow.place(entry, column, 1.0, "contents")


def _section(flow: Flow, section, depth: int) -> None:
    geo = flow.geo
    tag = f"h{min(depth + 1, 6)}"
    heading = []
    if section.heading:
        heading.append((Piece(tag, "", section.id, section.heading), section.heading,
                        H2_SIZE if depth == 1 else H3_SIZE, HEADING_INDENT))
        if section.subheading:
            heading.append((Piece("p", "subheading"), section.subheading, SUB_SIZE, SUB_INDENT))
    elif section.subheading:
        heading.append((Piece(tag, "subheading-only", section.id, section.subheading), section.subheading,
                        H3_SIZE, HEADING_INDENT))
    if not heading:
        flow.place(Piece("span", "anchor", section.id), Column([]), 0.0)
    else:
        sets = [(piece, set_columns(cells_of(text, flow.article.lang), int((geo.chars - indent) / scale), 0.0, justify=False),
                 scale, indent) for piece, text, scale, indent in heading]
        width = sum(len(cols) * (1.0 if piece.tag == "p" else 2.0) for piece, cols, _, _ in sets)
        if not section.blocks and section.sections:  # a subsection's heading follows at once
            width += 4
        if flow.slot > 0 and flow.room() < width + 2 + KEEP_WITH_HEADING:
            flow.page("body")
        flow.gap()
        page = None
        for piece, cols, scale, indent in sets:
            for column in cols:
                column.scale, column.indent = scale, indent
                flow.place(piece, column, 1.0 if piece.tag == "p" else 2.0)
            page = page or flow.pages[-1]
        if section.heading:
            # the recto's head is the first heading set on it (print.css: string(section-title, first))
            flow.heading = section.heading
            if page.number % 2 == 1 and not page.headed:
                page.head, page.headed = section.heading, True
        flow.gap()
    for block in section.blocks:
        _block(flow, block, "body", 0.0)


def _block(flow: Flow, block, cls: str, inset: float) -> None:
    if isinstance(block, (Table, Image, CodeBlock)):
        flow.waiting.append(Piece("div", "insert", block=block))
    elif isinstance(block, Quote):
        flow.gap()
        for child in block.blocks:
            _block(flow, child, "quote", inset + 2.0)
        flow.gap()
    elif isinstance(block, Epigraph):
        flow.gap()
        for child in block.blocks:
            _paragraph(flow, child, "epigraph", inset + EPIGRAPH_INSET, None, 2.0, foot=EPIGRAPH_INSET)
        if block.attribution:
            _paragraph(flow, block.attribution, "epigraph", inset + EPIGRAPH_INSET, None, None,
                       foot=EPIGRAPH_INSET)
        flow.gap()
    elif isinstance(block, ListBlock):
        if inset == 0.0 or cls != "list":
            flow.gap()
        for number, item in enumerate(block.items, block.start):
            marker = [Atom(str(number), 1.0, face=("tcy",)), Atom("、", 1.0)] if block.ordered else [Atom("・", 1.0)]
            for k, child in enumerate(item):
                if isinstance(child, Paragraph):
                    _paragraph(flow, child, "list", inset + 2.0, marker if k == 0 else None, 2.0 if k else 0.0)
                else:
                    _block(flow, child, "list", inset + 2.0)
        if inset == 0.0 or cls != "list":
            flow.gap()
    elif isinstance(block, Paragraph):
        _paragraph(flow, block, cls, inset, None, 2.0)


def _paragraph(flow: Flow, paragraph: Paragraph, cls: str, inset: float, marker: list | None,
               indent: float | None, piece: Piece | None = None, foot: float = 0.0) -> None:
    """Its columns `inset` em down from the head and `foot` em up from the foot, the
    first `indent` em further (None: as far as ends a one-column text at the foot),
    or with the marker hanging above its text."""
    cells = cells_of(paragraph, flow.article.lang, "kai" if cls in KAI_CLASSES else "serif")
    measure = int(flow.geo.chars - inset - foot)
    if indent is None:  # flush at the foot, on a whole cell
        indent = max(0.0, float(math.floor(measure - sum(c.width for c in cells) + 1e-6)))
    if marker:
        cells, indent = marker + cells, -float(len(marker))
    piece = piece or Piece("p", cls)
    # a hard line break ends a column, as a paragraph's end does (a verse's line, an address)
    parts, start = [], 0
    for k, cell in enumerate(cells + [Atom("\n", 0.0, kind="break")]):
        if cell.kind == "break":
            parts.append(cells[start:k])
            start = k + 1
    for number, part in enumerate(parts):
        if not part and number:
            continue
        for column in set_columns(part, measure, indent if number == 0 else 0.0):
            column.indent += inset
            flow.place(piece, column)


def _notes(flow: Flow, article: Article) -> None:
    """The notes under their heading at the end, each number hanging (2 em) above its text."""
    if flow.slot > 0 and flow.room() < 5:
        flow.page("body")
    flow.gap()
    flow.place(Piece("h2", "notes-title", "notes", NOTES_TITLE[article.lang]),
               Column(cells_of(NOTES_TITLE[article.lang], article.lang), indent=HEADING_INDENT, scale=H2_SIZE), 2.0)
    flow.gap()
    for note in article.footnotes:
        piece = Piece("p", "note", f"note-{note.number}")
        for k, block in enumerate(note.blocks):
            if isinstance(block, Paragraph):
                marker = [Atom(str(note.number), 1.0, face=("tcy",)), Atom("　", 1.0)] if k == 0 else None
                _paragraph(flow, block, "note", 2.0, marker, 0.0 if k == 0 else 2.0, piece if k == 0 else None)
            else:
                _block(flow, block, "note", 2.0)

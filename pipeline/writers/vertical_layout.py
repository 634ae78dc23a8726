"""The vertical print edition's columns (竖排, clreq 2.1 and 3.1), laid out here because
WeasyPrint 70 has no writing-mode: this module breaks text into columns and places
them on pages (Flow); writers/vertical_pages.py says what goes where, and
writers/vertical_pdf.py makes the pages HTML and the PDF.

A column is a line of the horizontal line breaker (writers/typeset.py break_lines)
turned upright: its measure is the text block's height, the same prohibition rules
hold (no ，。」 at a column's head, no 「 at its foot, —— and …… kept whole), and each
character is one cell of 1 em. clreq rules applied:
- 3.1.6  every full column ends flush at the foot: the remainder is spread evenly
         between its cells;
- 3.2.1  a paragraph's first column starts 2 em down (the two-character indent);
- 3.2.2  where two marks meet, the first takes half a cell (the fonts' vhal), but
         never at a column's head or foot;
- 2.3    Han upright; numbers of one or two digits, and Latin runs no wider than a
         cell, side by side in one cell (縱中橫); longer Latin runs and numbers
         turned sideways (90° clockwise), as long as they are wide;
- 3.1.2  columns run right to left, pages turn right to left (vertical_pdf.py).
A page also carries its running head (the article's title on the right-hand, verso
pages, the section's heading on the left-hand, recto ones), which vertical_pdf.py
sets in the outer margin with the folio.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..model import Article, FootnoteRef, Paragraph
from .fonts import FAMILIES, advances, hb_font
from .typeset import FULL_PUNCT, Atom, _face, _segments, break_lines

PITCH = 1.75        # column pitch in em of the body: base.css's line-height, turned
H2_SIZE, H3_SIZE, SUB_SIZE, TITLE_SIZE = 1.3, 1.1, 1.05, 1.6  # as base.css sizes them
HEADING_INDENT = 3.0   # em from the head for headings and the contents' entries
SUB_INDENT = 5.0       # a subheading's
KEEP_WITH_HEADING = 2  # body columns that must follow a heading on its page
TCY_DIGITS = 2         # numbers this long stand side by side in one cell

# Vertical presentation forms (Unicode FE10–FE4F): WeasyPrint 70 applies no `vert`
# feature, so the marks are written in their vertical forms, and vertical_pdf.py maps
# their glyphs back to the plain marks in the PDF's ToUnicode tables (text extraction
# gives the plain text). The Traditional fonts centre ，、。 in both directions.
VERTICAL_FORMS = {"「": "﹁", "」": "﹂", "『": "﹃", "』": "﹄", "（": "︵", "）": "︶", "《": "︽",
                  "》": "︾", "〈": "︿", "〉": "﹀", "【": "︻", "】": "︼", "〔": "︹", "〕": "︺",
                  "〖": "︗", "〗": "︘", "—": "︱", "–": "︲", "…": "︙"}
SIMPLIFIED_FORMS = {"，": "︐", "、": "︑", "。": "︒", "：": "︓", "；": "︔", "！": "︕", "？": "︖"}
# Vertical text quotes with corner brackets (clreq 3.1.1): the Simplified edition too.
CORNER_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


def vertical_forms(lang: str) -> dict[str, str]:
    return VERTICAL_FORMS | (SIMPLIFIED_FORMS if lang == "zh-Hans" else {})


@dataclass(frozen=True)
class Geometry:
    """The text block of a vertical page, in pt: `chars` cells per column,
    `columns` columns of `size` pt at `pitch` pt."""
    width: float
    height: float
    top: float
    inner: float
    size: float
    chars: int
    columns: int

    @property
    def pitch(self) -> float:
        return PITCH * self.size

    @property
    def block_width(self) -> float:
        return (self.columns - 1) * self.pitch + self.size

    @property
    def block_height(self) -> float:
        return self.chars * self.size

    @property
    def outer(self) -> float:
        return self.width - self.inner - self.block_width

    @property
    def bottom(self) -> float:
        return self.height - self.top - self.block_height


def geometry(page, mm: float, size: float) -> Geometry:
    """The vertical text block on a PageSize (writers/pdf.py): a whole number of cells
    tall, a whole number of columns wide; what is left goes to the foot and the outer
    margin."""
    height, width = page.height_mm * mm, page.width_mm * mm
    chars = int((height - (page.top_mm + page.bottom_mm) * mm) // size)
    room = width - (page.inner_mm + page.min_outer_mm) * mm
    columns = int((room - size) // (PITCH * size)) + 1
    return Geometry(width, height, page.top_mm * mm, page.inner_mm * mm, size, chars, columns)


@dataclass
class Column:
    cells: list[Atom]
    spacing: float = 0.0   # em of `scale` between cells (a justified column)
    indent: float = 0.0    # em of the body from the head
    scale: float = 1.0     # size against the body
    slot: float = 0.0      # where its centre is, in columns from the right edge
    folio: str = ""        # a contents entry's page number, set at the foot


@dataclass
class Piece:
    """An element: a paragraph, a heading, a contents entry; on a page, the part of
    it that page holds (`source` the whole, `cont` when it began on an earlier page)."""
    tag: str               # p, h1, h2, h3, li, span, div (an insert)
    cls: str = ""
    id: str | None = None
    label: str | None = None   # a heading's bookmark label
    href: str | None = None    # a contents entry's link
    columns: list[Column] = field(default_factory=list)
    source: "Piece | None" = None
    cont: bool = False
    begun: bool = False
    block: object = None   # an insert's block, set horizontally on a page of its own


@dataclass
class VPage:
    number: int
    kind: str                  # title | contents | body | insert (a table, figure, code)
    pieces: list[Piece] = field(default_factory=list)
    head: str | None = None    # the running head
    headed: bool = False       # a heading of its own sets the head


def cells_of(paragraph: Paragraph | str, lang: str, base: str = "serif") -> list[Atom]:
    """The text as cells: a character each, 1 em; one or two digits together, or a
    Latin run no longer than 1 em, side by side in one cell; a longer Latin run or
    number turned sideways, as long as it is wide (its spaces go with it); the first
    of two marks half a cell. `base`: the block's face role (kai for quotations)."""
    if isinstance(paragraph, str):
        segments = [(paragraph, ())]
    elif paragraph.inlines:
        segments = list(_segments(paragraph.inlines))
    elif paragraph.runin and paragraph.text.startswith(paragraph.runin):
        segments = [(paragraph.runin, (("runin",),)), (paragraph.text[len(paragraph.runin):], ())]
    else:
        segments = [(paragraph.text, ())]
    cells: list[Atom] = []
    for text, wraps in segments:
        if isinstance(wraps, FootnoteRef):
            # the call stands beside the character before it, right of the column
            if cells:
                cells[-1].note = wraps
            else:
                cells.append(Atom("", 1.0, kind="char", note=wraps))
            continue
        if text == "\n":  # a hard line break: the next column begins (vertical_pages.py)
            cells.append(Atom("\n", 0.0, wraps, kind="break"))
            continue
        text = text.translate(CORNER_QUOTES)
        i = 0
        while i < len(text):
            latin = _LATIN.match(text, i)
            if latin:
                cells.append(_latin_cell(latin.group(), wraps, lang, base))
                i = latin.end()
            elif text[i].isspace():
                # a space beside a sideways run lies with it (its own width); elsewhere a blank cell
                following = _LATIN.match(text, i + 1)
                beside = (cells and cells[-1].face == ("side",)) or \
                    (following and _latin_cell(following.group(), wraps, lang, base).face == ("side",))
                width = _width(" ", wraps, lang, base) if beside else 1.0
                cells.append(Atom(" ", width, wraps, kind="space", face=("side",) if beside else ()))
                i += 1
            else:
                cells.append(Atom(text[i], 1.0, wraps))
                i += 1
    return _halve(cells, lang, base)


def _halve(cells: list[Atom], lang: str, base: str) -> list[Atom]:
    """clreq 3.2.2 in vertical text: where two marks meet, the first takes half a cell,
    as the fonts' vhal sets it (a Kai face without vhal keeps whole cells)."""
    families = FAMILIES[lang]
    for a, b in zip(cells, cells[1:]):
        if a.kind == b.kind == "char" and a.text in FULL_PUNCT and b.text in FULL_PUNCT:
            family, bold, _ = _face(a.wraps, families, base)
            raised = half_raise(a.text, family, bold, lang)
            if raised is not None:
                a.halt, a.width, a.face = True, 0.5, ("half", raised)
    return cells


@lru_cache(maxsize=None)
def half_raise(mark: str, family: str, bold: bool, lang: str) -> float | None:
    """How far (em) the face's vhal raises the mark's vertical form in its half cell
    (an opening bracket's blank upper half goes), or None if it has no half form."""
    import uharfbuzz as hb

    font, upem = hb_font(family, bold)
    offsets = []
    for features in ({"vert": True}, {"vert": True, "vhal": True}):
        buf = hb.Buffer()
        buf.add_str(mark)
        buf.direction, buf.script, buf.language = "ttb", "Hani", lang
        hb.shape(font, buf, features)
        offsets.append((buf.glyph_positions[0].y_advance, buf.glyph_positions[0].y_offset))
    (_, plain), (advance, half) = offsets
    return (half - plain) / upem if advance * 2 == -upem else None


_LATIN = re.compile(r"[!-~]+")  # printable ASCII, no space


def _latin_cell(word: str, wraps: tuple, lang: str, base: str) -> Atom:
    if word.isdigit() and len(word) <= TCY_DIGITS:
        return Atom(word, 1.0, wraps, face=("tcy",))  # half-width digits (hwid), 1 em
    width = _width(word, wraps, lang, base)
    if width <= 1.0:
        return Atom(word, 1.0, wraps, face=("tcy",) if len(word) > 1 else ())
    return Atom(word, round(width, 4), wraps, face=("side",))


def _width(text: str, wraps: tuple, lang: str, base: str) -> float:
    """Its advance in em, in the face the column sets it in (code at the body size)."""
    family, bold, _ = _face(wraps, FAMILIES[lang], base)
    return sum(a for _, a in advances(text, family, bold, lang))


def _whole_ends(line: list[Atom]) -> list[Atom]:
    """A column begins and ends on a whole cell: a half mark there is set whole."""
    line = list(line)
    for k in {0, len(line) - 1}:
        if line[k].halt:
            line[k] = replace(line[k], halt=False, width=1.0, face=())
    return line


def _break(cells: list[Atom], measure: int, indent: float) -> list[list[Atom]]:
    """break_lines, a column at a time: one whose half mark at its head or foot, set
    whole, would run past the foot is broken again half a cell shorter."""
    lines: list[list[Atom]] = []
    place = {id(cell): k for k, cell in enumerate(cells)}
    start = 0
    while start < len(cells):
        room = measure - (indent if not lines else 0.0)
        shorter = 0.0
        while True:
            line = break_lines(cells[start:], measure, measure - room + shorter)[0]
            whole = _whole_ends(line)
            if sum(a.width for a in whole) <= room + 1e-6 or shorter >= room - 1:
                break
            shorter += 0.5
        lines.append(whole)
        start = place[id(line[-1])] + 1
        while start < len(cells) and cells[start].kind == "space":
            start += 1
    return lines


def set_columns(cells: list[Atom], measure: int, indent: float, justify: bool = True) -> list[Column]:
    """The cells broken into columns of `measure` cells, the first `indent` down;
    every column but the last spread to the foot."""
    lines = _break(cells, measure, indent)
    columns = []
    for number, line in enumerate(lines):
        start = indent if number == 0 else 0.0
        spacing = 0.0
        if justify and number < len(lines) - 1 and len(line) > 1:
            spacing = max(0.0, (measure - start - sum(a.width for a in line)) / (len(line) - 1))
        columns.append(Column(line, round(spacing, 5), start))
    return columns


class Flow:
    """Places pieces column by column, right to left, page after page."""

    def __init__(self, geo: Geometry, article: Article):
        self.geo, self.article = geo, article
        self.pages: list[VPage] = []
        self.slot = 0.0
        self.heading: str | None = None
        self.waiting: list[Piece] = []   # inserts for the next page break

    def page(self, kind: str) -> VPage:
        """A new page; figures and tables waiting for one come first, a page each."""
        if kind == "body":
            waiting, self.waiting = self.waiting, []
            for piece in waiting:
                self.pages.append(VPage(len(self.pages) + 1, "insert", [piece], None))
        number = len(self.pages) + 1
        head = None
        if kind == "body":
            head = self.article.title if number % 2 == 0 else (self.heading or self.article.title)
        self.pages.append(VPage(number, kind, [], head))
        self.slot = 0.0
        return self.pages[-1]

    def room(self) -> float:
        return self.geo.columns - self.slot

    def place(self, piece: Piece, column: Column, width: float = 1.0, kind: str = "body") -> None:
        """One column, `width` columns wide, centred in them; a new page when full."""
        if self.slot + width > self.geo.columns + 1e-6:
            self.page(kind)
        page = self.pages[-1]
        if not page.pieces or page.pieces[-1].source is not piece:
            page.pieces.append(Piece(piece.tag, piece.cls, None if piece.begun else piece.id, piece.label,
                                     piece.href, [], piece, piece.begun))
            piece.begun = True
        column.slot = self.slot + (width - 1) / 2
        page.pieces[-1].columns.append(column)
        self.slot += width

    def gap(self, width: float = 1.0) -> None:
        if self.slot > 0:
            self.slot = min(self.slot + width, self.geo.columns)

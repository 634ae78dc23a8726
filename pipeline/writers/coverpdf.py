"""A book's cover for the printer: back, spine and front as one press spread.

The spine is as thick as the inner block: one leaf (two pages) per PAPER_MM of
paper. Its title and editor run top to bottom in upright characters, as Chinese
spines are set (clreq 2.3: vertical text keeps Han characters upright); WeasyPrint
70 has no writing-mode, so each character is a line of its own. A spine too narrow
for type at MIN_SPINE_PT is left blank, and the build says so. The front is the
generated cover (writers/cover.py, with the book's cover image when it has one),
bled on three sides; the back carries the blurb or the preface's first sentences.
Text is 100 % K (styles/press.css), marks and OutputIntent as for every press PDF."""
from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import UserError
from ..model import Book
from ..render import environment
from .cover import make_cover
from .press import BLEED_MM, MM

PAPER_MM = 0.1          # one leaf of 80 g/m² offset paper
MIN_SPINE_PT = 6.0      # smallest type set on a spine
MAX_SPINE_PT = 14.0
SPINE_FILL = 0.6        # the type's size against the spine's width
SPINE_MARGIN_MM = 15.0  # above and below the spine's text
BACK_CHARS = 160        # the preface's first sentences, up to this many characters


@dataclass(frozen=True)
class Spread:
    pages: int
    paper_mm: float
    width_mm: float    # one panel (the book's trimmed page)
    height_mm: float

    @property
    def leaves(self) -> int:
        return math.ceil(self.pages / 2)

    @property
    def spine_mm(self) -> float:
        return round(self.leaves * self.paper_mm, 3)

    @property
    def total_mm(self) -> float:
        return 2 * self.width_mm + self.spine_mm

    def spine_pt(self, characters: int) -> float | None:
        """The spine's type size, or None when the spine is too narrow for type."""
        if characters == 0:
            return None
        by_height = (self.height_mm - 2 * SPINE_MARGIN_MM) * MM / (characters * 1.1)
        size = min(self.spine_mm * MM * SPINE_FILL, MAX_SPINE_PT, by_height)
        return round(size, 2) if size >= MIN_SPINE_PT else None


def press_page_count(pdf: Path) -> int:
    """The pages of a book's press PDF (its inner block, without the cover)."""
    import pikepdf

    try:
        with pikepdf.open(pdf) as document:
            intents = document.Root.get("/OutputIntents") or []
            if not any(intent.get("/S") == "/GTS_PDFX" for intent in intents):
                raise UserError(pdf, "not a press PDF: build the book with --press (PRESS=1) first")
            return len(document.pages)
    except pikepdf.PdfError as exc:
        raise UserError(pdf, f"not a readable PDF: {exc}") from None


def back_text(book: Book) -> list[str]:
    """The blurb's paragraphs, or the preface's first sentences (whole sentences up
    to BACK_CHARS, or the first sentence cut with an ellipsis)."""
    if book.blurb:
        return [p.strip().replace("\n", "") for p in book.blurb.split("\n\n") if p.strip()]
    kept: list[str] = []
    room = BACK_CHARS
    for paragraph in (p.text for p in book.preface):
        if len(paragraph) <= room:
            kept.append(paragraph)
            room -= len(paragraph)
            continue
        cut = max(paragraph.rfind(mark, 0, room) for mark in "。！？")
        if cut > 0:
            kept.append(paragraph[:cut + 1])
        elif not kept:
            kept.append(paragraph[:room - 2] + "……")
        break
    return kept


def spine_lines(text: str) -> list[str]:
    """One upright character per line; a space becomes an empty line."""
    return [ch if not ch.isspace() else "" for ch in text.strip()]


def write_cover_pdf(book: Book, book_dir: Path, pages_from: Path, page: str, paper_mm: float,
                    modified: datetime, profile: Path | None = None) -> tuple[bytes, list[str], Spread, bool]:
    """The spread's PDF, WeasyPrint's warnings, the spread, and whether the spine
    carries its text."""
    from .pdf import PAGE_SIZES, Renderer

    if not paper_mm > 0 or paper_mm > 2:
        raise UserError(None, f"the paper's thickness per leaf must be above 0 and at most 2 mm, not {paper_mm}")
    size = PAGE_SIZES[page]
    spread = Spread(press_page_count(pages_from), paper_mm, size.width_mm, size.height_mm)
    title, editor = spine_lines(book.title), spine_lines(book.editor or "")
    spine_pt = spread.spine_pt(len(title) + len(editor) + (1 if editor else 0))
    image = (book_dir / book.cover_image) if book.cover_image else None
    front = "data:image/png;base64," + base64.b64encode(
        make_cover(book.title, book.subtitle, book.editor, book.lang, image)).decode("ascii")
    html = environment().get_template("cover-spread.print.html.j2").render(
        book=book, front=front, back=back_text(book), spine_title=title, spine_editor=editor,
        spine_pt=spine_pt)
    blank = "margin: 0; @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; }"
    geometry = (f"@page {{ size: {spread.total_mm}mm {spread.height_mm}mm; {blank} }}\n"
                f"@page :left {{ {blank} }}\n@page :right {{ {blank} }}\n"
                f".cover-spread, .cover-spread section {{ height: {spread.height_mm}mm; }}\n"
                f".cover-spread .back {{ width: {spread.width_mm}mm; }}\n"
                f".cover-spread .spine {{ left: {spread.width_mm}mm; width: {spread.spine_mm}mm; }}\n"
                f".cover-spread .front {{ left: {spread.width_mm + spread.spine_mm}mm; width: {spread.width_mm + BLEED_MM}mm;"
                f" height: {spread.height_mm + 2 * BLEED_MM}mm; top: -{BLEED_MM}mm; }}\n")
    if spine_pt:
        geometry += f".cover-spread .spine {{ font-size: {spine_pt}pt; }}\n"
    folds = (spread.width_mm * MM, (spread.width_mm + spread.spine_mm) * MM)
    with Renderer(book.lang, [book_dir], size, True, profile) as renderer:
        document = renderer.render(html, renderer.css(geometry))
        if len(document.pages) != 1:
            raise UserError(None, f"the cover's back text does not fit its panel ({len(document.pages)} pages)")
        data = renderer.write(document, modified, folds)
    return data, renderer.warnings, spread, spine_pt is not None

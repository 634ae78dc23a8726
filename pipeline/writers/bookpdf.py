"""A book's PDF, laid out one part at a time.

Laid out as one HTML document, a 1,000-page book kept WeasyPrint's whole cascade and
page state alive to the end (1.2 GiB) and its time per page grew with its length.
Here the front matter and each article are separate documents sharing one font set
and one set of stylesheets; their pages are joined in a single write, so fonts are
subset once, links and bookmarks resolve across parts and the tagged structure is
one tree. Each article opens on a recto: its page counter starts at the next odd
folio, with a blank verso inserted where needed. The contents' folios are given in
the HTML; the front matter is laid out again once they are known, and if that
changes its length the articles are laid out again. Where two cores are free a
long book's later articles are laid out by a second process meanwhile
(writers/bookhalves.py)."""
from __future__ import annotations

import base64
from pathlib import Path

from ..errors import EXIT_BUILD, UserError
from ..model import Book
from ..render import render_book_front, render_book_part
from .cover import make_cover

# Folios in the contents before they are known: four digits, as wide as any
# book's, so the first and the final contents break their lines alike.
PLACEHOLDER = "0000"
BLANK_HTML = "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"/><title>-</title></head><body></body></html>"


def _start_at(folio: int) -> str:
    return f"@page :first {{ counter-reset: page {folio}; }}"


def _blank_css(folio: int) -> str:
    return ("@page :first { counter-reset: page %d; @top-left { content: none; } "
            "@top-right { content: none; } @bottom-center { content: none; } }" % folio)


def next_recto(last: int) -> int:
    """The folio of the first recto after page `last`."""
    return last + 1 if last % 2 == 0 else last + 2


def _blank(book: Book, renderer, folio: int):
    """A blank verso, numbered `folio` but showing neither folio nor running head."""
    return renderer.render(BLANK_HTML.format(lang=book.lang), renderer.css(_blank_css(folio)))


def lay_out_book(book: Book, book_dir: Path, lines: list[dict], renderer, freeze, preface: dict,
                 progress=None, later=None):
    """The book as one WeasyPrint document of joined pages; `preface`: its lines;
    `progress`: told of each article laid out (pipeline/progress.py), or None;
    `later`: a bookhalves.LaterHalf laying out the articles from `later.first` on,
    whose folios follow this document's pages."""
    image = (book_dir / book.cover_image) if book.cover_image else None
    # A press book is the printer's inner block: its cover is printed apart
    # (writers/coverpdf.py), so the block begins with the title page.
    cover = None if renderer.press else "data:image/png;base64," + base64.b64encode(
        make_cover(book.title, book.subtitle, book.editor, book.lang, image)).decode("ascii")
    front = renderer.render(render_book_front(book, cover, lambda anchor: PLACEHOLDER, preface))
    numbers = range(1, later.first if later else len(book.articles) + 1)
    for _ in range(3):
        body, folios = lay_out_articles(book, lines, renderer, freeze, len(front.pages), progress, numbers, later)
        if later is not None:
            folios.update(later.folios(len(front.pages) + len(body)))
        final = renderer.render(render_book_front(book, cover, folios.__getitem__, preface))
        if len(final.pages) == len(front.pages):
            last = len(final.pages) + len(body)
            if later is not None and next_recto(last) > last + 1:  # the later half opens on a recto
                body = [*body, *_blank(book, renderer, last + 1).pages]
            return final.copy([*final.pages, *body])
        front = final  # the real folios changed the contents' length: lay out again
    raise UserError(None, "the book's contents do not settle on a length", exit_code=EXIT_BUILD)


def lay_out_articles(book: Book, lines: list[dict], renderer, freeze, front_pages: int, progress=None,
                     numbers: range | None = None, later=None) -> tuple[list, dict[str, int]]:
    """The pages of the articles `numbers` (from 1; default all) after
    `front_pages` pages, and the folio of every anchor in them; `later`: the
    other half, whose progress is passed on meanwhile (the pages told are those
    laid out so far in both halves)."""
    pages: list = []
    folios: dict[str, int] = {}
    last = front_pages
    numbers = range(1, len(book.articles) + 1) if numbers is None else numbers
    if progress is not None and numbers.start == 1:
        progress.laying_out(len(book.articles))
    for number in numbers:
        title = book.articles[number - 1].title
        if progress is not None:
            progress.setting(title, last + (later.pages_laid if later else 0))
        start = next_recto(last)
        if start > last + 1:
            pages.extend(_blank(book, renderer, last + 1).pages)
        part = renderer.render(render_book_part(book, number, lines[number - 1]),
                               renderer.css(_start_at(start)))
        for index, page in enumerate(part.pages):
            for anchor in page.anchors:
                folios.setdefault(anchor, start + index)
        pages.extend(part.pages)
        last = start + len(part.pages) - 1
        freeze()
        if progress is not None:
            progress.set(number, title, last + (later.pages_laid if later else 0))
        if later is not None:
            later.relay(last)
    return pages, folios

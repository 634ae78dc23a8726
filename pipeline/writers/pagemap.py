"""Where the print edition's pages begin, read off its PDF, for the EPUB's page-list.

Each body page's first characters are found, in order, in the article's text; the
page then begins in that paragraph at that character, or in that table cell. Pages
whose start cannot be found (a figure at the top) are left out: the page-list gives
only what is known."""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Article, Paragraph, Table, plain_text, walk_blocks, walk_sections

PROBE = 8  # characters that identify where a page begins
# Longer probes are tried first: eight characters can occur earlier too (a page that
# opens on the heading "Markdown 文稿" after a paragraph that names Markdown 文稿).
PROBES = (32, 16, PROBE)


def body_pages(pdf: Path) -> list[tuple[int, str]]:
    """(page number, text without running head and folio) for every page."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages = []
    for number, page in enumerate(reader.pages, 1):
        height = float(page.mediabox.height) / 0.75  # WeasyPrint draws in CSS px
        parts: list[str] = []

        def keep(text, cm, tm, font, size, parts=parts, height=height):
            if 0.1 * height < tm[5] < 0.93 * height:
                parts.append(text)

        page.extract_text(visitor_text=keep)
        pages.append((number, re.sub(r"\s+", "", "".join(parts))))
    return pages


def page_starts(articles: list[Article], pdf: Path, titles: bool = False) -> dict[int, list[tuple[int, int]]]:
    """id(paragraph) -> [(offset in its text, page number)] where print pages begin,
    id(table) -> [((row, column), page number)] (row 0 the header's, if it has one),
    for the articles in the order the PDF prints them. `titles`: each article opens
    with its title, subtitle and byline on a body page (a book's parts), not on a
    title page of its own."""
    items: list[tuple[object, str]] = []  # (paragraph, or (table, row, column), or None; text)
    for article in articles:
        if titles:
            items.extend((None, text) for text in (article.title, article.subtitle, article.byline) if text)
        for section in walk_sections(article.sections):
            for heading in (section.heading, section.subheading):
                if heading:
                    items.append((None, heading))
            for block in walk_blocks(section.blocks):
                if isinstance(block, Paragraph):
                    items.append((block, block.text))
                elif isinstance(block, Table):
                    rows = ((block.header,) if block.header else ()) + block.rows
                    items.extend(((block, r, c), plain_text(cell)) for r, row in enumerate(rows)
                                 for c, cell in enumerate(row))
    flat, owners = [], []
    for index, (_, text) in enumerate(items):
        for position, ch in enumerate(text):
            if not ch.isspace():
                flat.append(ch)
                owners.append((index, position))
    joined = "".join(flat)
    starts: dict[int, list[tuple[int, int]]] = {}
    cursor = 0
    for number, text in body_pages(pdf):
        if len(text) < PROBE:
            continue
        found = -1
        for length in PROBES:
            if len(text) >= length:
                found = joined.find(text[:length], cursor)
                if found >= 0:
                    break
        if found < 0:
            continue
        cursor = found + 1
        index, position = owners[found]
        paragraph = items[index][0]
        if paragraph is None:  # the page opens on a heading: mark the section's next paragraph
            following = next((p for p, _ in items[index + 1:] if p is not None), None)
            if following is None:
                continue
            paragraph, position = following, 0
        if isinstance(paragraph, tuple):  # a table cell: the page begins at its start
            table, row, column = paragraph
            starts.setdefault(id(table), []).append(((row, column), number))
            continue
        starts.setdefault(id(paragraph), []).append((position, number))
    return starts

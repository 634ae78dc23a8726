"""Where the print edition's pages begin, read off its PDF, for the EPUB's page-list.

Each body page's first characters are found, in order, in the article's text; the
page then begins in that paragraph at that character. Pages whose start cannot be
found (a figure or table at the top) are left out: the page-list gives only what
is known."""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Article, Paragraph, block_paragraphs, walk_sections

PROBE = 8  # characters that identify where a page begins


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
    for the articles in the order the PDF prints them. `titles`: each article opens
    with its title, subtitle and byline on a body page (a book's parts), not on a
    title page of its own."""
    items: list[tuple[Paragraph | None, str]] = []
    for article in articles:
        if titles:
            items.extend((None, text) for text in (article.title, article.subtitle, article.byline) if text)
        for section in walk_sections(article.sections):
            for heading in (section.heading, section.subheading):
                if heading:
                    items.append((None, heading))
            for block in block_paragraphs(section.blocks):
                items.append((block, block.text))
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
        probe = text[:PROBE]
        if len(probe) < PROBE:
            continue
        found = joined.find(probe, cursor)
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
        starts.setdefault(id(paragraph), []).append((position, number))
    return starts

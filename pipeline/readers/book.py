"""A book file (books/NAME.toml): articles from source/ in order, with the book's
own title, subtitle, editor, date, language, an optional preface, cover image and
back-cover text (blurb, for the press cover).

    [book]
    title = "..."
    editor = "..."
    articles = ["wuge-yinling", "guide"]   # names of source/NAME.txt or source/NAME.md
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from ..errors import UserError
from ..model import Book, Paragraph
from ..transforms import number_sections

BOOK_KEYS = ("title", "subtitle", "editor", "date", "lang", "preface", "cover_image", "blurb", "articles")


def article_source(name: str, source_dir: Path, path: Path) -> Path:
    for suffix in (".txt", ".md", ".docx"):
        candidate = source_dir / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    raise UserError(path, f"book.articles: no source/{name}.txt, source/{name}.md or source/{name}.docx")


def read_book(path, source_dir: Path, load_article) -> tuple[Book, list[Path]]:
    """The book, and the article sources it was made from. `load_article(source,
    variant)` gives an article's model: the caller reads and normalizes (or takes it
    from a cache), so this reader depends on no build code."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise UserError(path, f"cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(path, f"TOML syntax error: {exc}") from None
    if set(data) != {"book"} or not isinstance(data["book"], dict):
        raise UserError(path, "a book file holds one [book] table")
    book = data["book"]
    for key in book:
        if key not in BOOK_KEYS:
            raise UserError(path, f"unknown key 'book.{key}' (allowed: {', '.join(BOOK_KEYS)})")
    if not isinstance(book.get("title"), str) or not book["title"].strip():
        raise UserError(path, "book.title is missing")
    names = book.get("articles")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise UserError(path, "book.articles must list the article names, for example [\"wuge-yinling\"]")
    if len(set(names)) != len(names):
        raise UserError(path, "book.articles lists an article twice")
    lang = book.get("lang", "zh-Hans")
    if lang not in ("zh-Hans", "zh-Hant"):
        raise UserError(path, "book.lang must be zh-Hans or zh-Hant")
    sources = [article_source(name, source_dir, path) for name in names]
    articles = []
    for number, source in enumerate(sources, 1):
        articles.append(number_sections(load_article(source, lang), prefix=f"a{number}-"))
    cover = book.get("cover_image")
    if cover is not None:
        image = (path.parent / cover).resolve()
        if path.parent.resolve() not in image.parents or not image.is_file():
            raise UserError(path, f"book.cover_image '{cover}' must be an image file next to the book file")
    blurb = book.get("blurb")
    if blurb is not None and (not isinstance(blurb, str) or not blurb.strip()):
        raise UserError(path, "book.blurb must be the back cover's text")
    preface = tuple(Paragraph(p.strip().replace("\n", "")) for p in str(book.get("preface", "")).split("\n\n")
                    if p.strip())
    return Book(title=book["title"], subtitle=book.get("subtitle"), editor=book.get("editor"),
                date=str(book["date"]) if book.get("date") is not None else None, lang=lang,
                preface=preface, articles=tuple(articles),
                cover_image=cover, blurb=blurb.strip() if blurb else None), sources

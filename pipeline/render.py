"""Model -> HTML with Jinja2 (autoescape on). No I/O beyond loading templates and keeping
them compiled in the build's state folder."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .files import atomic_write  # the compiled-template cache writes like every output
from .model import Article, Section

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html", "xhtml", "xml", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals["kind"] = lambda node: type(node).__name__.lower()
    env.filters["title_lines"] = lambda title: title.split(" ")
    env.filters["data_uri"] = _data_uri
    env.filters["emphasis"] = emphasis_marks
    return env


def _data_uri(image) -> str:
    """A picture inside the source, for the print HTML (WeasyPrint reads data: URIs)."""
    import base64

    media = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif"}[image.src.rsplit(".", 1)[-1]]
    return f"data:{media};base64,{base64.b64encode(image.data).decode('ascii')}"


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum() or "\u00c0" <= ch <= "\u024f"


def emphasis_marks(text: str, dots: bool) -> Markup:
    """Emphasised text (clreq, 着重号 "emphasis dots"): Latin runs in a span that keeps italics;
    with `dots` (print, where WeasyPrint has no text-emphasis), every Han character in
    a span that draws its dot (print.css); punctuation, spaces and Latin get none."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if _is_latin(ch):
            j = i
            while j < len(text) and (_is_latin(text[j]) or text[j] in " .-'" and j + 1 < len(text)
                                     and _is_latin(text[j + 1])):
                j += 1
            out.append(Markup('<span class="latn">%s</span>') % text[i:j])
            i = j
            continue
        out.append(Markup('<span class="d">%s</span>') % ch if dots and _is_han(ch) else escape(ch))
        i += 1
    return Markup("").join(out)


class _TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept between runs: compiling them is 40 ms of every build,
    rendering an article 2 ms. Jinja checks each entry against the template's source
    and writes it atomically. New entries wait for keep_compiled_templates, so that a
    failed build leaves nothing behind; one that cannot be written is skipped."""

    def __init__(self, directory: str):
        super().__init__(directory)
        self.pending: list = []

    def dump_bytecode(self, bucket) -> None:
        self.pending.append(bucket)

    def flush(self) -> None:
        try:
            for bucket in self.pending:
                data = io.BytesIO()
                bucket.write_bytecode(data)
                atomic_write(Path(self._get_cache_filename(bucket)), data.getvalue())
        except OSError:
            pass
        self.pending.clear()


def cache_templates(folder: Path) -> None:
    """Take compiled templates from `folder` (the build's output cache)."""
    environment().bytecode_cache = _TemplateCache(str(folder))


def keep_compiled_templates() -> None:
    """Write what was compiled since, once the build has succeeded."""
    cache = environment().bytecode_cache
    if isinstance(cache, _TemplateCache):
        cache.flush()


def toc_entries(article: Article) -> list[tuple[int, Section]]:
    """(depth, section) for every section with a heading, depth from 1."""
    entries = []

    def visit(sections, depth):
        for section in sections:
            if section.heading or section.subheading:
                entries.append((depth, section))
            visit(section.sections, depth + 1)

    visit(article.sections, 1)
    return entries


def render_print(article: Article, lines: dict | None = None) -> str:
    """`lines`: id(paragraph) -> lines set by the print writer; others flow freely."""
    lines = lines or {}
    return environment().get_template("print.html.j2").render(
        article=article, toc=toc_entries(article), set_lines=lambda p: lines.get(id(p)))


def article_id(number: int) -> str:
    """The anchor of a book's article title, numbered from 1."""
    return f"a{number}-title"


def render_book_front(book, cover: str, page_of, lines: dict | None = None) -> str:
    """Cover, title page, preface and contents; `page_of(anchor)` gives the folio,
    `lines` the preface's lines set by the print writer."""
    lines = lines or {}
    return environment().get_template("book-front.print.html.j2").render(
        book=book, tocs=[toc_entries(a) for a in book.articles], cover=cover,
        article_ids=[article_id(n) for n in range(1, len(book.articles) + 1)], page_of=page_of,
        set_lines=lambda p: lines.get(id(p)))


def render_book_part(book, number: int, lines: dict) -> str:
    """The book's article `number` (from 1), opening with its title."""
    return environment().get_template("book-part.print.html.j2").render(
        book=book, article=book.articles[number - 1], article_id=article_id(number),
        set_lines=lambda p: lines.get(id(p)))


def render_epub_section(article: Article, section: Section, css_href: str, notes_href: str) -> str:
    return environment().get_template("epub-section.xhtml.j2").render(
        article=article, section=section, stylesheet=css_href, notes_href=notes_href)


def render_epub_page(template: str, article, css_href: str, **extra) -> str:
    """A page of the EPUB; `article` is an Article or anything with its front
    fields (title, subtitle, byline, date, lang)."""
    return environment().get_template(template).render(article=article, stylesheet=css_href, **extra)


__all__ = ["cache_templates", "keep_compiled_templates", "render_print", "render_book_front",
           "render_book_part", "article_id", "render_epub_section", "render_epub_page", "toc_entries"]

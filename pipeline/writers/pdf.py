"""Model -> PDF with WeasyPrint. Imported only when a PDF is written (start-up cost).

The page geometry lives here, in one place: the text block is an exact number of
body characters wide (clreq 3.1.6), and the same numbers drive our own line
breaking (typeset.py) and the @page rules handed to WeasyPrint."""
from __future__ import annotations

import gc
import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..model import Article, Book
from ..render import render_print
from . import STYLES, stylesheet
from . import press as press_output
from .press import PRESS_CSS
from .weasy import frozen_gc, import_weasyprint, stable_document_id
from .typeset import typeset
from .typeset_blocks import Target, article_targets, preface_targets, set_target

MM = 72 / 25.4
BODY_PT = 10.5  # 五号, the usual book body size (clreq 3.2.2)


@dataclass(frozen=True)
class PageSize:
    width_mm: float
    height_mm: float
    inner_mm: float      # binding side
    min_outer_mm: float
    top_mm: float
    bottom_mm: float

    @property
    def chars(self) -> int:
        """Body characters on a full line."""
        return int(((self.width_mm - self.inner_mm - self.min_outer_mm) * MM) // BODY_PT)

    @property
    def measure_pt(self) -> float:
        return self.chars * BODY_PT

    @property
    def outer_pt(self) -> float:
        return self.width_mm * MM - self.inner_mm * MM - self.measure_pt

    def css(self) -> str:
        inner = f"{self.inner_mm * MM:.3f}pt"
        outer = f"{self.outer_pt:.3f}pt"
        return (f"@page {{ size: {self.width_mm}mm {self.height_mm}mm; "
                f"margin-top: {self.top_mm}mm; margin-bottom: {self.bottom_mm}mm; }}\n"
                f"@page :right {{ margin-left: {inner}; margin-right: {outer}; }}\n"
                f"@page :left {{ margin-left: {outer}; margin-right: {inner}; }}\n"
                f"html {{ font-size: {BODY_PT}pt; }}\n")


PAGE_SIZES = {
    "A5": PageSize(148, 210, 16, 12, 18, 20),
    "A4": PageSize(210, 297, 25, 20, 25, 27),
    "B5": PageSize(176, 250, 20, 15, 22, 24),
    "16K": PageSize(185, 260, 20, 15, 22, 24),
}


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings: a missing glyph or an unreadable image is a
    build error for us, not a log line."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def typeset_targets(article: Article, page: PageSize) -> list[Target]:
    """Every block of running text the print writer sets itself, in order
    (writers/typeset_blocks.py says which, to what measure)."""
    return article_targets(article, page.chars, BODY_PT)


def typeset_article(article: Article, page: PageSize) -> list:
    """typeset() of every target in order; None where WeasyPrint sets the paragraph
    (what the articles' cache keeps)."""
    return [set_target(t, article.lang) for t in typeset_targets(article, page)]


def set_paragraphs(article: Article, page: PageSize, results: list | None = None) -> dict[int, object]:
    """Our own lines for the typeset targets, keyed by id() of what the template asks
    about (those typeset declines are left out: WeasyPrint sets them); `results`:
    typeset_article of this article, when the caller has it."""
    targets = typeset_targets(article, page)
    if results is None or len(results) != len(targets):
        results = typeset_article(article, page)
    return {id(t.key): lines for t, lines in zip(targets, results) if lines is not None}


def set_preface(book: Book, page: PageSize) -> dict[int, object]:
    """A book's preface, set like body paragraphs."""
    lines = {id(t.key): typeset(t.paragraph, book.lang, t.measure, t.size, t.indent, t.base)
             for t in preface_targets(book.preface, page.chars, BODY_PT)}
    return {key: value for key, value in lines.items() if value is not None}


def sandbox_fetcher(roots: list[Path]):
    """A URL fetcher that reads files under `roots` and data: URIs, and refuses
    everything else (the default would read any file:// path and any http URL)."""
    from urllib.parse import unquote, urlparse

    URLFetcher = import_weasyprint().urls.URLFetcher

    allowed = [root.resolve() for root in roots]

    class SandboxFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path == root or root in path.parents for root in allowed):
                    return super().fetch(url, headers)
            raise PermissionError(f"refused to fetch {url}: only files under the source's folder "
                                  f"and styles/ may be read")

    return SandboxFetcher(allowed_protocols=("file", "data"))


def missing_glyph(texts, lang: str) -> tuple[str, str] | None:
    """The first character no font of the edition has, and where it is, among
    (where, text) pairs such as model.texts_of gives."""
    from .fonts import FAMILIES, covers, locate_all

    faces = [(FAMILIES[lang][role], bold) for role, bold in
             (("kai", False), ("serif", False), ("serif", True), ("sans", False), ("sans", True),
              ("mono", False))]
    locate_all(faces)
    known: dict[str, bool] = {}
    for where, text in texts:
        for ch in text:
            if ch.isspace():
                continue
            if ch not in known:
                known[ch] = any(covers(family, bold, ord(ch)) for family, bold in faces)
            if not known[ch]:
                return ch, where
    return None


def write_pdf(article: Article, lines: dict, base_dir: Path, page: str = "A5", press: bool = False,
              modified: datetime | None = None, profile: Path | None = None) -> tuple[bytes, list[str]]:
    """The PDF's bytes, and the warnings WeasyPrint logged while making it.

    Default output is tagged PDF/UA-1; `press` adds 3 mm bleed and crop marks and
    writes PDF/X-4 instead (WeasyPrint writes one variant at a time). `lines`: what
    set_paragraphs gives; `modified`: the build's date (UTC); `profile`: the press
    output profile (default: press.DEFAULT_PROFILE)."""
    size = PAGE_SIZES[page]
    html = render_print(article, lines)
    with Renderer(article.lang, [base_dir], size, press, profile) as renderer:
        data = renderer.write(renderer.render(html), modified)
    return data, renderer.warnings


def write_book_pdf(book: Book, lines: list[dict], book_dir: Path, source_dir: Path, page: str = "A5",
                   press: bool = False, modified: datetime | None = None,
                   profile: Path | None = None, progress=None, jobs: int | None = None) -> tuple[bytes, list[str]]:
    """A book: cover, title page, preface, contents of articles and sections, then
    the articles with continuous folios and a running head per article. `lines`:
    set_paragraphs of each article; `progress`: see writers/bookpdf.py; `jobs`:
    processes it may use (default: the machine's cores); a long book is laid out
    in two halves at once where it may use two (writers/bookhalves.py)."""
    from .bookhalves import split_point
    from .bookpdf import lay_out_book
    from .pdfjoin import join_halves

    size = PAGE_SIZES[page]
    first = None if press else split_point(book, os.cpu_count() if jobs is None else jobs)
    if first is not None:
        first_half, second_half, shared, warnings = _write_in_halves(
            book, lines, book_dir, source_dir, size, first, press, modified, profile, progress)
        gc.collect()  # the laid-out pages go before the join needs its memory
        return join_halves(first_half, second_half, shared), warnings
    with Renderer(book.lang, [book_dir, source_dir], size, press, profile) as renderer, frozen_gc() as freeze:
        document = lay_out_book(book, book_dir, lines, renderer, freeze, set_preface(book, size), progress)
        return renderer.write(document, modified), renderer.warnings


def _write_in_halves(book: Book, lines: list[dict], book_dir: Path, source_dir: Path, size: PageSize,
                     first: int, press: bool, modified, profile, progress) -> tuple[bytes, bytes, set, list]:
    """The book's PDF in two halves, the articles from `first` on laid out and
    written by a second process (writers/bookhalves.py): (first half, second half,
    the faces whose first-half subset serves both, WeasyPrint's warnings)."""
    from .bookhalves import LaterHalf
    from .bookpdf import BLANK_HTML, lay_out_articles, lay_out_book
    from .weasy_halves import fonts_with, links_into

    with Renderer(book.lang, [book_dir, source_dir], size, press, profile) as renderer, frozen_gc() as freeze:
        later = LaterHalf(first, lambda relay: lay_out_articles(book, lines, renderer, freeze, 0, relay,
                                                                 range(first, len(book.articles) + 1)),
                          renderer, modified, BLANK_HTML.format(lang=book.lang), progress)
        try:
            document = lay_out_book(book, book_dir, lines, renderer, freeze, set_preface(book, size), progress,
                                    later)
            later.follow(len(document.pages))
            shared: set[str] = set()
            with links_into(later.anchors), fonts_with(later.glyphs, shared):
                data = renderer.write(document, modified)
            second, warnings = later.pdf()
        finally:
            later.close()
        return data, second, shared, [*renderer.warnings, *warnings]


def print_stylesheets(lang: str, size: PageSize, press: bool = False) -> list[str]:
    """The print edition's CSS: shared rules, print rules, then the page geometry;
    for the press, its colours (press.css) and bleed."""
    sheets = [stylesheet("base.css", lang), stylesheet("print.css", lang), size.css()]
    if press:
        sheets[-1] += PRESS_CSS
        sheets.append(stylesheet("press.css", lang))
    return sheets


SHEETS_KEPT = 32


class Renderer:
    """One WeasyPrint set-up (fonts, stylesheets, sandboxed fetcher) for one or many
    documents; WeasyPrint's warnings are collected while it is open.

    A process that builds again (the preview, a batch's worker) keeps its font
    configuration and the stylesheets it parsed without a warning: the fonts stay
    loaded, and a stylesheet is parsed again only when its text changes. (No
    stylesheet of the print edition has @font-face rules, which would add faces to
    the shared configuration.)"""

    _font_config = None
    _parsed: dict[str, object] = {}

    def __init__(self, lang: str, roots: list[Path], size: PageSize, press: bool,
                 profile: Path | None = None, sheets: list[str] | None = None):
        self.weasyprint = import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        self.press = press
        # The press output profile: WeasyPrint writes the OutputIntent from it.
        self.profile = press_output.load_profile(profile) if press else None
        self.color_profiles = press_output.color_profiles(self.profile) if press else {}
        if Renderer._font_config is None:
            Renderer._font_config = FontConfiguration()
        self.font_config = Renderer._font_config
        # `sheets`: another edition's own stylesheets (the vertical one, writers/vertical_pdf.py)
        self._sheets = sheets if sheets is not None else print_stylesheets(lang, size, press)
        self.stylesheets: list = []
        self.fetcher = sandbox_fetcher([*roots, STYLES])
        self.base_url = str(roots[-1]) + "/"
        self._handler = _Collect()
        self._laid_out = hashlib.sha256("".join(self._sheets).encode("utf-8"))  # seeds the PDF/X DocumentID
        if self.profile:
            self._laid_out.update(self.profile.data)

    def __enter__(self) -> "Renderer":
        logging.getLogger("weasyprint").addHandler(self._handler)
        self.stylesheets = [self.css(text) for text in self._sheets]  # their warnings count too
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger("weasyprint").removeHandler(self._handler)

    @property
    def warnings(self) -> list[str]:
        return self._handler.messages

    def css(self, text: str):
        parsed = Renderer._parsed.get(text)
        if parsed is None:
            before = len(self.warnings)
            parsed = self.weasyprint.CSS(string=text, font_config=self.font_config)
            if len(self.warnings) == before:  # a sheet that warned warns again next time
                if len(Renderer._parsed) >= SHEETS_KEPT:
                    Renderer._parsed.clear()
                Renderer._parsed[text] = parsed
        return parsed

    def render(self, html: str, *extra_css):
        """The laid-out document."""
        self._laid_out.update(html.encode("utf-8"))
        return self.weasyprint.HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            stylesheets=[*self.stylesheets, *extra_css], font_config=self.font_config,
            color_profiles=self.color_profiles)

    def write(self, document, modified: datetime | None = None, folds: tuple[float, ...] = ()) -> bytes:
        """The PDF. `modified`: the build's date, which PDF/X requires (WeasyPrint
        would write the clock's) where the document gives none; `folds`: fold marks
        of a press PDF (press.finish)."""
        if modified is not None:
            stamp = modified.strftime("%Y-%m-%dT%H:%M:%S+00:00")
            document.metadata.modified = document.metadata.modified or stamp
            document.metadata.created = document.metadata.created or stamp
        with stable_document_id(self._laid_out.digest()):
            if not self.press:
                return document.write_pdf(pdf_variant="pdf/ua-1")
            data = document.write_pdf(pdf_variant="pdf/x-4", pdf_tags=True)
        return press_output.finish(data, folds)

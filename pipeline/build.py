"""The edge: the only module that touches the disk, the clock and the environment."""
from __future__ import annotations

import gc
import hashlib
import os
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import transforms
from .cache import ArticleCache
from .errors import EXIT_BUILD, EXIT_USAGE, UserError
from .files import atomic_write
from .kept import Kept
from .model import Article, images_of, texts_of
from .normalize.report import LOW
from .readers import Reading, read, read_inputs
from .render import cache_templates, keep_compiled_templates

IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# Pixels, not bytes, are what decoding costs: a 60,000 x 60,000 PNG is 430 KB on disk
# and 10 GB in memory. 50 megapixels is a full A3 page at 300 dpi, five times over A4.
MAX_IMAGE_PIXELS = 50_000_000
STATE = Path(".build")  # the build's own state, beside (never inside) the output folder


@dataclass
class Built:
    path: Path
    reading: Reading


def source_date(source: Path) -> datetime:
    """SOURCE_DATE_EPOCH if set; else the source's last git commit; else its file time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        try:
            out = subprocess.run(["git", "log", "-1", "--format=%ct", "--", source.name],
                                 cwd=source.parent, capture_output=True, text=True, timeout=10)
            epoch = out.stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            epoch = None
    if epoch is None:
        epoch = str(int(source.stat().st_mtime))
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except ValueError:
        raise UserError(None, f"SOURCE_DATE_EPOCH is not a number: {epoch!r}") from None


def check_images(article: Article, base_dir: Path, source: Path) -> None:
    """Images must be real image files inside the source's folder."""
    root = base_dir.resolve()
    for block in images_of(article):
        if block.data is not None:  # inside the source: the reader checked it (readers/docx/images.py)
            continue
        if "://" in block.src or block.src.startswith(("/", "data:")):
            raise UserError(source, f"image '{block.src}' must be a relative path inside {base_dir}")
        path = (base_dir / block.src).resolve()
        if root not in path.parents:
            raise UserError(source, f"image '{block.src}' is outside {base_dir}")
        if not path.is_file():
            raise UserError(source, f"image '{block.src}' is missing")
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise UserError(source, f"image '{block.src}' is larger than {MAX_IMAGE_BYTES >> 20} MB")
        with path.open("rb") as handle:
            head = handle.read(16)
        if not head.startswith(IMAGE_MAGIC):
            raise UserError(source, f"image '{block.src}' is not a PNG, JPEG or GIF image")
        width, height = _image_size(path, block.src, source)
        if width * height > MAX_IMAGE_PIXELS:
            raise UserError(source, f"image '{block.src}' is {width} x {height} pixels, more than "
                                    f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels: scale it down")


def _image_size(path: Path, src: str, source: Path) -> tuple[int, int]:
    """Width and height from the image's header, without decoding its pixels (Pillow
    opens lazily; its own bomb check, far above our limit, is left to ours)."""
    from PIL import Image

    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, SyntaxError, ValueError):
        raise UserError(source, f"image '{src}' cannot be read as an image") from None
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def check_glyphs(texts, lang: str, source: Path) -> None:
    """A character the fonts lack fails the build (WeasyPrint would only log it)."""
    from .writers.pdf import missing_glyph

    missing = missing_glyph(texts, lang)
    if missing:
        ch, where = missing
        raise UserError(source, f"character '{ch}' (U+{ord(ch):04X}) in {where} is missing from the fonts",
                        exit_code=EXIT_BUILD)


LOADS = Kept(4)  # a few sources' trees: a preview's articles, a worker's last ones


def load(source: Path, manifest: Path | None = None, variant: str = "zh-Hans") -> tuple[Reading, Article]:
    """The source read, normalized and transformed. A warm process (the preview,
    a batch's worker) builds a source's PDF and then its EPUB: the second load
    reuses the first while the bytes are the same (the tree is immutable). The
    files are read once: the memo's key and the tree come from the same bytes."""
    inputs = read_inputs(Path(source), Path(manifest) if manifest else None)
    digest = hashlib.sha256(inputs.source)
    digest.update(b"\0" + (inputs.manifest_data or b""))
    key = str(Path(source).resolve()), str(manifest), variant, digest.digest()
    loaded = LOADS.get(key)
    if loaded is None:
        reading = read(source, manifest, inputs)
        article = transforms.apply(reading.article)
        convert = transforms.VARIANTS[variant]
        if convert and article.lang != variant:
            article = convert(article)
        loaded = reading, article
        LOADS.put(key, loaded)
    check_images(loaded[1], source.parent, source)  # every time: an image may have gone
    return loaded


@dataclass
class Product:
    """One source's output, not yet written: what the edge (build) or a cluster's
    client (pipeline/cluster.py) writes, and what the article cache keeps."""
    name: str          # the output's file name without the format: NAME[.zh-Hant][.vertical]
    data: bytes
    reading: Reading
    article: Article
    results: list | None  # the PDF's typeset paragraphs, for the article cache


def produce(source: Path, fmt: str, page: str = "A5", manifest: Path | None = None, press: bool = False,
            variant: str = "zh-Hans", embed_fonts: bool = False, pages_from: Path | None = None,
            profile: Path | None = None, writing: str = "horizontal", date: datetime | None = None) -> Product:
    """The build's work, reading its inputs but writing nothing. `date`: the source's
    date when the caller has it (a cluster task carries it), else source_date()."""
    source = Path(source)
    reading, article = load(source, manifest, variant)
    # The Simplified edition keeps the plain name; another edition says which it is.
    name = source.stem if variant == "zh-Hans" else f"{source.stem}.{variant}"
    if writing == "vertical":
        if fmt == "pdf" and press:
            raise UserError(None, "the vertical PDF is not made for the press yet (leave out --press)",
                            exit_code=EXIT_USAGE)
        name += ".vertical"
    results = None
    if fmt == "pdf" and writing == "vertical":
        from .writers.vertical_pdf import write_vertical_pdf

        check_glyphs(texts_of(article), article.lang, source)
        try:
            data, warnings = write_vertical_pdf(article, source.parent, page)
        except UserError as exc:
            raise UserError(source, exc.message, exit_code=exc.exit_code) from None
        if warnings:
            raise UserError(source, f"WeasyPrint: {warnings[0]}", exit_code=EXIT_BUILD)
    elif fmt == "pdf":
        from .writers.pdf import PAGE_SIZES, set_paragraphs, typeset_article, write_pdf

        check_glyphs(texts_of(article), article.lang, source)
        size = PAGE_SIZES[page]
        results = typeset_article(article, size)
        data, warnings = write_pdf(article, set_paragraphs(article, size, results), source.parent, page, press,
                                   (date or source_date(source)) if press else None, profile)
        if warnings:
            raise UserError(source, f"WeasyPrint: {warnings[0]}", exit_code=EXIT_BUILD)
    elif fmt == "epub":
        from .writers.epub import write_epub

        _need_pdf(pages_from)
        data = write_epub(article, source.parent, name, date or source_date(source), embed_fonts,
                          Path(pages_from) if pages_from else None, vertical=writing == "vertical")
    else:
        raise UserError(None, f"unknown format '{fmt}'")
    return Product(name, data, reading, article, results)


def build(source: Path, fmt: str, out_dir: Path, page: str = "A5",
          manifest: Path | None = None, press: bool = False, variant: str = "zh-Hans",
          embed_fonts: bool = False, pages_from: Path | None = None, state: Path = STATE,
          profile: Path | None = None, writing: str = "horizontal") -> Built:
    """`state`: the build's own folder (cache, compiled templates), never `out_dir`,
    which holds only what is published; `profile`: the press output profile."""
    source = Path(source)
    cache_templates(Path(state) / "templates")
    with _collector_paused():
        product = produce(source, fmt, page, manifest, press, variant, embed_fonts, pages_from, profile, writing)
    target = out_dir / f"{product.name}.{fmt}"
    atomic_write(target, product.data)
    if product.results is not None and manifest is None:  # what a book including this article would compute again
        cache = ArticleCache(Path(state) / "cache")
        cache.put(cache.entry(source, variant, page), product.article, product.results)
    keep_compiled_templates()
    return Built(target, product.reading)


@contextmanager
def _collector_paused():
    """No cycle collection while one article is built: what it makes lives until it
    ends (the tree, WeasyPrint's boxes and pages), and every collection rescans it
    for nothing; the collector runs again after, in a warm process as in a cold one."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _need_pdf(pages_from: Path | None) -> None:
    if pages_from is not None and not Path(pages_from).is_file():
        raise UserError(pages_from, "no such PDF to take the page numbers from")


def build_book(path: Path, fmt: str, out_dir: Path, page: str = "A5", press: bool = False,
               embed_fonts: bool = False, pages_from: Path | None = None, state: Path = STATE,
               profile: Path | None = None, paper_mm: float = 0.1, notes: list[str] | None = None,
               progress=None, jobs: int | None = None) -> Path:
    """dist/NAME.pdf or .epub for books/NAME.toml; its articles come from source/
    beside books/. `pages_from`: the book's PDF, for the EPUB's page-list, or the
    book's press PDF, whose page count gives a cover's spine (fmt "cover", written
    as NAME.cover.pdf; `paper_mm`: the paper's thickness per leaf; `notes` receives
    its summary line; `progress`: told of the PDF's articles as they are laid out,
    pipeline/progress.py; `jobs`: processes the PDF may use, default the machine's
    cores: a long book is laid out in two halves at once, writers/bookhalves.py)."""
    from .readers.book import read_book

    path = Path(path)
    source_dir = path.resolve().parent.parent / "source"
    cache_templates(Path(state) / "templates")
    if fmt == "pdf":
        data = _book_pdf(path, source_dir, Path(state), page, press, profile, progress, jobs)
    elif fmt == "cover":
        from .writers.coverpdf import write_cover_pdf

        pages_from = Path(pages_from) if pages_from else out_dir / f"{path.stem}.pdf"
        _need_pdf(pages_from)
        book, _ = read_book(path, source_dir, lambda source, variant: load(source, variant=variant)[1])
        check_glyphs(_front_texts(book), book.lang, path)
        data, warnings, spread, lettered = write_cover_pdf(book, path.parent, pages_from, page, paper_mm,
                                                           source_date(path), profile)
        if warnings:
            raise UserError(path, f"WeasyPrint: {warnings[0]}", exit_code=EXIT_BUILD)
        if notes is not None:
            notes.append(f"{path}: cover for {spread.pages} pages, {spread.leaves} leaves x {paper_mm} mm: "
                         f"spine {spread.spine_mm:g} mm, spread {spread.total_mm:g} x {spread.height_mm:g} mm"
                         + ("" if lettered else "; spine too narrow for its title, left blank"))
        fmt = "cover.pdf"
    else:
        from .writers.epub import write_book_epub

        _need_pdf(pages_from)
        book, _ = read_book(path, source_dir, lambda source, variant: load(source, variant=variant)[1])
        data = write_book_epub(book, path.parent, source_dir, path.stem, source_date(path), embed_fonts,
                               Path(pages_from) if pages_from else None)
    target = out_dir / f"{path.stem}.{fmt}"
    atomic_write(target, data)
    keep_compiled_templates()
    return target


def _front_texts(book) -> tuple:
    return (("the book's title", book.title), ("the book's subtitle", book.subtitle or ""),
            ("the book's editor", book.editor or ""), ("the book's blurb", book.blurb or ""),
            *(("the preface", p.text) for p in book.preface))


def _book_pdf(path: Path, source_dir: Path, state: Path, page: str, press: bool,
              profile: Path | None = None, progress=None, jobs: int | None = None) -> bytes:
    """The book's PDF, its articles' trees and lines taken from the cache where their
    own builds (or an earlier book) left them."""
    from .readers.book import read_book
    from .writers.pdf import PAGE_SIZES, set_paragraphs, typeset_article, write_book_pdf

    cache, size = ArticleCache(state / "cache"), PAGE_SIZES[page]
    kept: dict[Path, list] = {}   # source -> typeset results from the cache
    missed: dict[Path, Path] = {}  # source -> cache entry to fill

    def load_article(source: Path, variant: str) -> Article:
        entry = cache.entry(source, variant, page)
        hit = cache.get(entry)
        if hit is None:
            missed[source] = entry
            return load(source, variant=variant)[1]
        article, kept[source] = hit
        check_images(article, source.parent, source)
        return article

    book, sources = read_book(path, source_dir, load_article)
    check_glyphs(_front_texts(book), book.lang, path)
    for source, article in zip(sources, book.articles):
        check_glyphs(texts_of(article), article.lang, source)

    def lines_of(index: int) -> dict:
        source, article = sources[index], book.articles[index]
        results = kept[source] if source in kept else typeset_article(article, size)
        if source in missed:
            cache.put(missed[source], article, results)
        return set_paragraphs(article, size, results)

    # set when laid out: a book in halves sets each half's lines in its own process
    lines = LinesWhenNeeded(len(book.articles), lines_of)
    data, warnings = write_book_pdf(book, lines, path.parent, source_dir, page, press,
                                    source_date(path) if press else None, profile, progress, jobs)
    if warnings:
        raise UserError(path, f"WeasyPrint: {warnings[0]}", exit_code=EXIT_BUILD)
    return data


class LinesWhenNeeded:
    """The articles' lines (writers/pdf.set_paragraphs) as a list whose items are
    made when first read."""

    def __init__(self, count: int, make):
        self._items: dict[int, dict] = {}
        self._count, self._make = count, make

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> dict:
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index not in self._items:
            self._items[index] = self._make(index)
        return self._items[index]


def summary(source: Path, reading: Reading) -> str:
    low = sum(1 for d in reading.decisions if d.confidence < LOW)
    return (f"{source}: {reading.paragraphs} paragraphs, {reading.headings_placed} headings placed, "
            f"{len(reading.warnings)} warnings, {low} low-confidence decisions")


def report(source: Path, reading: Reading) -> list[str]:
    """The lines a build prints on stderr: the reader's warnings, then for raw and Word
    sources the summary line."""
    lines = [f"warning: {warning}" for warning in reading.warnings]
    if reading.kind in ("raw", "docx"):
        lines.append(summary(source, reading))
    return lines

"""Model -> EPUB 3 with ebooklib, working around its defects:
content documents are written verbatim (ebooklib's EpubHtml re-parses and drops
attributes), nav and NCX come from our templates, the package gets xml:lang and
dir, and the zip is deterministic (mimetype first and stored, fixed timestamps)."""
from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ebooklib import epub

from ..model import (Article, Book, FootnoteRef, PageBreak, Section, block_inlines, images_of,
                     walk_inlines, walk_sections)
from ..render import render_epub_page, render_epub_section
from . import stylesheet
from .vertical import STYLESHEET as VERTICAL_CSS, WRITING_MODE, upright_numbers

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}


def identifier(name: str) -> str:
    """Stable across builds: derived from the source's name, never random."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"zh-pipeline:{name}"))


class _FixedZip(zipfile.ZipFile):
    """Every entry with the same timestamp and permissions: same input, same bytes."""

    date_time = (1980, 1, 1, 0, 0, 0)

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            info = zipfile.ZipInfo(name, date_time=self.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED if compress_type is None else compress_type
            info.external_attr = 0o644 << 16
            name = info
        super().writestr(name, data, compress_type=compress_type, compresslevel=compresslevel)


class _Writer(epub.EpubWriter):
    def __init__(self, name, book, nav: str, ncx: str, lang: str, options):
        super().__init__(name, book, options)
        self._nav, self._ncx, self._lang = nav, ncx, lang

    def _get_nav(self, item):
        return self._nav.encode("utf-8")

    def _get_ncx(self):
        return self._ncx.encode("utf-8")

    def _write_opf_file(self, root):
        root.set(XML_LANG, self._lang)
        root.set("dir", "ltr")
        # Reading systems and Ace read schema.org accessibility properties.
        root.set("prefix", root.get("prefix", "") + " schema: http://schema.org/")
        super()._write_opf_file(root)

    def write(self):
        self.out = _FixedZip(self.file_name, "w", zipfile.ZIP_DEFLATED,
                             compresslevel=self.options["compresslevel"])
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


# Faces embedded with --embed-fonts: the body face and the bold Hei of headings
# and emphasis; other faces fall back to the reading system's fonts.
EMBEDDED = (("serif", False), ("sans", True))


OFL = Path(__file__).resolve().parent.parent / "licenses" / "OFL-1.1.txt"
# Name records kept in each subset: the usual ones, and the copyright notice (0),
# license description (13) and URL (14) that the OFL asks every copy to carry.
NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)


def font_items(lang: str, text: str) -> tuple[list, str]:
    """EPUB items of the embedded faces, subset to the characters used
    (fontTools, WOFF2), the fonts' license beside them (fonts/OFL.txt: their
    copyright notices and the SIL Open Font License), and the @font-face rules."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from .fonts import FAMILIES, locate

    used = text + "0123456789“”‘’「」『』（），。：；？！、—…·"
    items, rules, notices = [], [], []
    for role, bold in EMBEDDED:
        family = FAMILIES[lang][role]
        path, index = locate(family, bold)
        font = TTFont(path, fontNumber=index, recalcTimestamp=False)
        options = subset.Options()
        options.layout_features = ["*"]
        options.flavor = "woff2"
        options.name_IDs = list(NAME_IDS)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=used)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.flavor = "woff2"
        font.save(buffer)
        file_name = f"fonts/{family.replace(' ', '')}{'-Bold' if bold else ''}.woff2"
        items.append(epub.EpubItem(uid=f"font-{role}", file_name=file_name, media_type="font/woff2",
                                   content=buffer.getvalue()))
        weight = "bold" if bold else "normal"
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                     f'src: url("{file_name}") format("woff2"); }}')
        notice = f"{file_name.split('/')[-1]}: a subset of {font['name'].getDebugName(4)}. " \
                 f"{font['name'].getDebugName(0) or ''}"
        notices.append(notice.strip())
    license_text = ("The fonts in this folder are subsets, made by zh-pipeline, of fonts licensed under the "
                    "SIL Open Font License, Version 1.1, which follows.\n\n" + "\n".join(notices) + "\n\n"
                    + OFL.read_text("utf-8"))
    items.append(epub.EpubItem(uid="font-license", file_name="fonts/OFL.txt", media_type="text/plain",
                               content=license_text.encode("utf-8")))
    return items, "\n".join(rules) + "\n"


@dataclass
class Front:
    """What a title page, a cover and the package metadata say."""
    title: str
    subtitle: str | None
    byline: str | None
    date: str | None
    lang: str


class _Package:
    """One EPUB being assembled: items, spine, and the table of contents."""

    def __init__(self, front: Front, name: str, text: str, embed_fonts: bool, cover_png: bytes,
                 images: bool = False, alt_complete: bool = True, vertical: bool = False):
        self.front = front
        self.vertical = vertical
        self.book = epub.EpubBook()
        self.ident = identifier(name)
        self.book.set_identifier(self.ident)
        self.book.set_title(front.title)
        self.book.set_language(front.lang)
        if front.byline:
            self.book.add_author(front.byline)
        if front.date:
            self.book.add_metadata("DC", "date", front.date)
        if front.subtitle:
            self.book.add_metadata("DC", "description", front.subtitle)
        self.accessibility(images, alt_complete)
        if vertical:  # columns right to left, pages turned right to left (writers/vertical.py)
            self.book.set_direction("rtl")
            self.book.add_metadata(None, "meta", "", {"name": "primary-writing-mode", "content": WRITING_MODE})
        faces = ""
        if embed_fonts:
            items, faces = font_items(front.lang, text)
            for item in items:
                self.book.add_item(item)
        self.book.add_item(epub.EpubItem(
            uid="style", file_name="style.css", media_type="text/css",
            content=(faces + stylesheet("base.css", front.lang) + "\n"
                     + stylesheet("epub.css", front.lang)
                     + ("\n" + stylesheet(VERTICAL_CSS, front.lang) if vertical else "")).encode("utf-8")))
        cover = epub.EpubCover(uid="cover-image", file_name="images/cover.png")
        cover.content = cover_png
        self.book.add_item(cover)
        self.spine = [self.document("cover", "cover.xhtml",
                                    render_epub_page("epub-cover.xhtml.j2", front, "style.css")),
                      self.document("title", "title.xhtml",
                                    render_epub_page("epub-title.xhtml.j2", front, "style.css"))]
        self.nav: list[dict] = []
        self.pages: list[tuple[int, str]] = []  # (print page, href) for the page-list
        self.order = 0
        self.images: set[str] = set()

    def accessibility(self, images: bool, alt_complete: bool) -> None:
        """schema.org accessibility metadata, stated as it is: text with a table of
        contents and headings; images (the cover, figures) all carry text
        alternatives; no hazards."""
        def meta(prop: str, value: str) -> None:
            self.book.add_metadata(None, "meta", value, {"property": f"schema:{prop}"})

        meta("accessMode", "textual")
        meta("accessMode", "visual")  # the cover and figures
        meta("accessModeSufficient", "textual")
        for feature in ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"):
            meta("accessibilityFeature", feature)
        if alt_complete:
            meta("accessibilityFeature", "alternativeText")
        meta("accessibilityHazard", "none")
        meta("accessibilitySummary",
             "正文为可重排的文字，按阅读顺序排列，标题分层并附目录，可调整字号与字体；"
             "封面和插图均有文字说明；不含闪烁、声音或动作危险。"
             if alt_complete else
             "正文为可重排的文字，按阅读顺序排列，标题分层并附目录，可调整字号与字体；"
             "部分插图没有文字说明；不含闪烁、声音或动作危险。")

    def print_source(self, name: str) -> None:
        """The print edition the page-list follows (EPUB 3.3 pagination source)."""
        self.book.add_metadata("DC", "source", f"{self.front.title} (PDF: {name})", {"id": "print-source"})
        self.book.add_metadata(None, "meta", "pagination", {"property": "source-of", "refines": "#print-source"})
        self.book.add_metadata(None, "meta", "printPageNumbers", {"property": "schema:accessibilityFeature"})

    def document(self, uid: str, file_name: str, content: str) -> epub.EpubItem:
        if self.vertical:
            content = upright_numbers(content)
        item = epub.EpubItem(uid=uid, file_name=file_name, media_type="application/xhtml+xml",
                             content=content.encode("utf-8"))
        self.book.add_item(item)
        return item

    def node(self, label: str, href: str, children=None) -> dict:
        self.order += 1
        return {"label": label, "href": href, "children": children or [], "order": self.order}

    def add_article(self, article: Article, base_dir: Path, prefix: str = "") -> list[dict]:
        """The article's documents in the spine; its table-of-contents nodes."""
        files = {s.id: f"{s.id}.xhtml" for s in article.sections}
        notes = f"{prefix}notes.xhtml"
        refs = {}
        for top in article.sections:
            for section in walk_sections((top,)):
                for number in _footnote_numbers(section):
                    refs[number] = files[top.id]
        nodes = []
        for top in article.sections:
            for section in walk_sections((top,)):
                for inlines in block_inlines(section.blocks):  # paragraphs and table cells
                    for node in walk_inlines(inlines):  # a mark stands where its page begins
                        if isinstance(node, PageBreak):
                            self.pages.append((node.number, f"{files[top.id]}#page-{node.number}"))
        for index, top in enumerate(article.sections):
            self.spine.append(self.document(top.id, files[top.id],
                                            render_epub_section(article, top, "style.css", notes)))
            nodes.append(self._section_node(article, top, top, files, index == 0))
        if article.unplaced:
            self.spine.append(self.document(f"{prefix}unplaced", f"{prefix}unplaced.xhtml",
                                            render_epub_page("epub-unplaced.xhtml.j2", article, "style.css")))
        if article.footnotes:
            self.spine.append(self.document(f"{prefix}notes", notes,
                                            render_epub_page("epub-notes.xhtml.j2", article, "style.css",
                                                             refs=refs)))
        for block in images_of(article):
            if block.src not in self.images:
                self.images.add(block.src)
                self.book.add_item(epub.EpubItem(
                    uid=f"img-{len(self.images)}", file_name=block.src,
                    media_type=MEDIA_TYPES[Path(block.src).suffix.lower()],
                    content=block.data if block.data is not None else (base_dir / block.src).read_bytes()))
        return nodes

    def _section_node(self, article, section, top, files, first) -> dict:
        href = files[top.id] + ("" if section is top else f"#{section.id}")
        label = section.heading or section.subheading or ("导语" if first else article.title)
        node = self.node(label, href)
        node["children"] = [self._section_node(article, child, top, files, False)
                            for child in section.sections if child.heading or child.subheading]
        return node

    def write(self, body_href: str, modified: datetime) -> bytes:
        nav_item = epub.EpubNav(uid="nav", file_name="nav.xhtml")
        self.book.add_item(nav_item)
        self.book.add_item(epub.EpubNcx(uid="ncx"))
        self.book.spine = [self.spine[0], self.spine[1], nav_item] + self.spine[2:]
        nav = render_epub_page("epub-nav.xhtml.j2", self.front, "style.css", nav=self.nav, body_href=body_href,
                               pages=self.pages)
        ncx = render_epub_page("epub-toc.ncx.j2", self.front, "style.css", nav=self.nav,
                               identifier=self.ident, depth=_depth(self.nav))
        buffer = io.BytesIO()
        _Writer(buffer, self.book, nav, ncx, self.front.lang,
                {"mtime": modified.astimezone(timezone.utc).replace(tzinfo=None),
                 "epub2_guide": False}).write()
        return buffer.getvalue()


def write_epub(article: Article, base_dir: Path, name: str, modified: datetime,
               embed_fonts: bool = False, pages_from: Path | None = None, vertical: bool = False) -> bytes:
    """`pages_from`: the PDF of the same edition; its page numbers become the
    EPUB's page-list. `vertical`: the vertical edition (writers/vertical.py)."""
    from ..model import texts_of
    from ..transforms import mark_pages
    from .cover import make_cover

    if pages_from is not None:
        from .pagemap import page_starts

        article = mark_pages(article, page_starts([article], pages_from))

    front = Front(article.title, article.subtitle, article.byline, article.date, article.lang)
    text = "".join(t for _, t in texts_of(article))
    figures = list(images_of(article))
    package = _Package(front, name, text, embed_fonts,
                       make_cover(article.title, article.subtitle, article.byline, article.lang),
                       bool(figures), all(f.alt for f in figures), vertical)
    package.nav = package.add_article(article, base_dir)
    if package.pages:
        package.print_source(pages_from.name)
    return package.write(f"{article.sections[0].id}.xhtml", modified)


def write_book_epub(book: Book, book_dir: Path, source_dir: Path, name: str, modified: datetime,
                    embed_fonts: bool = False, pages_from: Path | None = None) -> bytes:
    """A book: cover, title page, preface, then each article with its title page;
    the navigation nests each article's sections under its title. `pages_from`: the
    book's PDF; its page numbers become the EPUB's page-list."""
    from dataclasses import replace

    from ..model import texts_of
    from ..transforms import mark_pages
    from .cover import make_cover

    if pages_from is not None:
        from .pagemap import page_starts

        starts = page_starts(list(book.articles), pages_from, titles=True)
        book = replace(book, articles=tuple(mark_pages(a, starts) for a in book.articles))

    front = Front(book.title, book.subtitle, book.editor, book.date, book.lang)
    text = book.title + "".join(t for a in book.articles for _, t in texts_of(a)) + \
        "".join(p.text for p in book.preface)
    image = (book_dir / book.cover_image) if book.cover_image else None
    figures = [f for a in book.articles for f in images_of(a)]
    package = _Package(front, name, text, embed_fonts,
                       make_cover(book.title, book.subtitle, book.editor, book.lang, image),
                       bool(figures), all(f.alt for f in figures))
    if book.preface:
        package.spine.append(package.document("preface", "preface.xhtml", render_epub_page(
            "epub-preface.xhtml.j2", front, "style.css", preface=book.preface)))
        package.nav.append(package.node("序", "preface.xhtml"))
    for number, article in enumerate(book.articles, 1):
        prefix = f"a{number}-"
        title_file = f"{prefix}title.xhtml"
        package.spine.append(package.document(f"{prefix}title", title_file, render_epub_page(
            "epub-title.xhtml.j2", article, "style.css", part=True)))
        entry = package.node(article.title, title_file)
        entry["children"] = package.add_article(article, source_dir, prefix)
        package.nav.append(entry)
    if package.pages:
        package.print_source(pages_from.name)
    return package.write("a1-title.xhtml", modified)


def _depth(nodes: list[dict]) -> int:
    return 1 + max((_depth(n["children"]) for n in nodes if n["children"]), default=0) if nodes else 1


def _footnote_numbers(section: Section):
    for inlines in block_inlines(section.blocks):
        for node in walk_inlines(inlines):
            if isinstance(node, FootnoteRef):
                yield node.number

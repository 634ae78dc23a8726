"""Model -> EPUB 3 with ebooklib, working around its defects:
content documents are written verbatim (ebooklib's EpubHtml re-parses and drops
attributes), nav and NCX come from our templates, the package gets xml:lang and
dir, and the zip is deterministic (mimetype first and stored, fixed timestamps)."""
from __future__ import annotations

import io
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from ebooklib import epub

from ..model import Article, Image, Section, walk_sections
from ..render import render_epub_page, render_epub_section
from . import stylesheet

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
        super()._write_opf_file(root)

    def write(self):
        self.out = _FixedZip(self.file_name, "w", zipfile.ZIP_DEFLATED,
                             compresslevel=self.options["compresslevel"])
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


def _nav_tree(article: Article, files: dict[str, str]) -> list[dict]:
    """Nested table-of-contents nodes: label, href, children, play order."""
    order = 0

    def node(section: Section, top: Section) -> dict | None:
        nonlocal order
        children = [n for n in (node(s, top) for s in section.sections) if n]
        if not (section.heading or section.subheading):
            return None if not children else {"label": article.title, "href": files[top.id],
                                              "children": children, "order": 0}
        order += 1
        label = section.heading or section.subheading
        href = files[top.id] + ("" if section is top else f"#{section.id}")
        return {"label": label, "href": href, "children": children, "order": order}

    nodes = []
    for top in article.sections:
        entry = node(top, top)
        if entry is None:
            order += 1
            entry = {"label": "导语" if top is article.sections[0] else article.title,
                     "href": files[top.id], "children": [], "order": order}
        nodes.append(entry)
    return nodes


# Faces embedded with --embed-fonts: the body face and the bold Hei of headings
# and emphasis; other faces fall back to the reading system's fonts.
EMBEDDED = (("serif", False), ("sans", True))


def font_items(article: Article) -> tuple[list, str]:
    """EPUB items of the embedded faces, subset to the characters the article uses
    (fontTools, WOFF2), and the @font-face rules that name them."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from ..model import texts_of
    from .fonts import FAMILIES, locate

    used = "".join(text for _, text in texts_of(article)) + "0123456789“”‘’「」『』（），。：；？！、—…·"
    items, rules = [], []
    for role, bold in EMBEDDED:
        family = FAMILIES[article.lang][role]
        path, index = locate(family, bold)
        font = TTFont(path, fontNumber=index, recalcTimestamp=False)
        options = subset.Options()
        options.layout_features = ["*"]
        options.flavor = "woff2"
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
    return items, "\n".join(rules) + "\n"


def write_epub(article: Article, base_dir: Path, name: str, modified: datetime,
               embed_fonts: bool = False) -> bytes:
    book = epub.EpubBook()
    ident = identifier(name)
    book.set_identifier(ident)
    book.set_title(article.title)
    book.set_language(article.lang)
    if article.byline:
        book.add_author(article.byline)
    if article.date:
        book.add_metadata("DC", "date", article.date)
    if article.subtitle:
        book.add_metadata("DC", "description", article.subtitle)

    faces = ""
    if embed_fonts:
        items, faces = font_items(article)
        for item in items:
            book.add_item(item)
    css = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                        content=(faces + stylesheet("base.css", article.lang) + "\n"
                                 + stylesheet("epub.css", article.lang)).encode("utf-8"))
    book.add_item(css)

    def document(uid: str, file_name: str, content: str) -> epub.EpubItem:
        item = epub.EpubItem(uid=uid, file_name=file_name, media_type="application/xhtml+xml",
                             content=content.encode("utf-8"))
        book.add_item(item)
        return item

    files = {s.id: f"{s.id}.xhtml" for s in article.sections}
    refs = {}
    for top in article.sections:
        for section in walk_sections((top,)):
            for number in _footnote_numbers(section):
                refs[number] = files[top.id]
    spine = [document("title", "title.xhtml", render_epub_page("epub-title.xhtml.j2", article, "style.css"))]
    for top in article.sections:
        spine.append(document(top.id, files[top.id],
                              render_epub_section(article, top, "style.css", "notes.xhtml")))
    if article.unplaced:
        spine.append(document("unplaced", "unplaced.xhtml",
                              render_epub_page("epub-unplaced.xhtml.j2", article, "style.css")))
    if article.footnotes:
        spine.append(document("notes", "notes.xhtml",
                              render_epub_page("epub-notes.xhtml.j2", article, "style.css", refs=refs)))
    for image in sorted({b.src for s in walk_sections(article.sections) for b in s.blocks
                         if isinstance(b, Image)}):
        book.add_item(epub.EpubItem(uid=f"img-{len(book.items)}", file_name=image,
                                    media_type=MEDIA_TYPES[Path(image).suffix.lower()],
                                    content=(base_dir / image).read_bytes()))

    nav_nodes = _nav_tree(article, files)
    nav_item = epub.EpubNav(uid="nav", file_name="nav.xhtml")
    book.add_item(nav_item)
    book.add_item(epub.EpubNcx(uid="ncx"))
    book.spine = [spine[0], nav_item] + spine[1:]
    body_href = files[article.sections[0].id]
    nav = render_epub_page("epub-nav.xhtml.j2", article, "style.css", nav=nav_nodes, body_href=body_href)
    ncx = render_epub_page("epub-toc.ncx.j2", article, "style.css", nav=nav_nodes, identifier=ident,
                           depth=_depth(nav_nodes))
    buffer = io.BytesIO()
    _Writer(buffer, book, nav, ncx, article.lang,
            {"mtime": modified.astimezone(timezone.utc).replace(tzinfo=None),
             "epub2_guide": False}).write()
    return buffer.getvalue()


def _depth(nodes: list[dict]) -> int:
    return 1 + max((_depth(n["children"]) for n in nodes if n["children"]), default=0) if nodes else 1


def _footnote_numbers(section: Section):
    from ..model import FootnoteRef, Paragraph, Quote, ListBlock

    def scan(inlines):
        for node in inlines:
            if isinstance(node, FootnoteRef):
                yield node.number
            yield from scan(getattr(node, "children", ()))

    def blocks(items):
        for block in items:
            if isinstance(block, Paragraph):
                yield from scan(block.inlines)
            elif isinstance(block, Quote):
                yield from blocks(block.blocks)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    yield from blocks(item)

    yield from blocks(section.blocks)

"""The document model: small frozen dataclasses shared by every stage.

Readers build an `Article`, transforms return new ones, writers only read it.
`to_json()` gives the stable tree printed by `python -m pipeline normalize --json`.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Union

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Emph:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Strong:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    href: str
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class FootnoteRef:
    """A reference to `Article.footnotes[number - 1]`."""
    number: int


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class PageBreak:
    """Where page `number` of the print edition begins (for an EPUB's page-list)."""
    number: int


Inline = Union[Text, Emph, Strong, Code, Link, FootnoteRef, LineBreak, PageBreak]


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The characters a reader sees, without markup (footnote marks left out)."""
    out = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, (Emph, Strong, Link)):
            out.append(plain_text(node.children))
    return "".join(out)


def walk_inlines(inlines):
    """Every inline node in reading order, those inside emphasis and links too."""
    for node in inlines:
        yield node
        if isinstance(node, (Emph, Strong, Link)):
            yield from walk_inlines(node.children)


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph. `text` is the whole paragraph, a run-in head included;
    `runin` repeats that head. `inlines` carries Markdown markup; empty means
    the paragraph is plain `text`."""
    text: str
    runin: str | None = None
    inlines: tuple[Inline, ...] = ()
    kind = "paragraph"

    @classmethod
    def from_inlines(cls, inlines: tuple[Inline, ...]) -> "Paragraph":
        if all(isinstance(n, Text) for n in inlines):
            return cls("".join(n.text for n in inlines))
        return cls(plain_text(inlines), None, tuple(inlines))


@dataclass(frozen=True)
class Quote:
    blocks: tuple["Block", ...]
    kind = "quote"


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple["Block", ...], ...]
    start: int = 1
    kind = "list"


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    aligns: tuple[str | None, ...] = ()
    kind = "table"


@dataclass(frozen=True)
class Image:
    """An image; `src` is a path relative to the source's folder, or, for a picture
    inside the source (a .docx), its name in the EPUB with its bytes in `data`."""
    src: str
    alt: str
    title: str | None = None
    data: bytes | None = None
    kind = "image"


@dataclass(frozen=True)
class CodeBlock:
    text: str
    kind = "code"


@dataclass(frozen=True)
class Epigraph:
    """An epigraph (题记): text set apart at the head of the article or of a section.
    `blocks` are its paragraphs; `attribution` ("—— 鲁迅《野草》"), when given, stands
    on a line of its own at the end. Paragraphs, so that every stage that reads or
    rewrites paragraphs (editions, page marks, line breaking) reaches them too."""
    blocks: tuple[Paragraph, ...]
    attribution: Paragraph | None = None
    kind = "epigraph"

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return self.blocks + ((self.attribution,) if self.attribution else ())


Block = Union[Paragraph, Quote, ListBlock, Table, Image, CodeBlock, Epigraph]


@dataclass(frozen=True)
class Footnote:
    number: int
    blocks: tuple[Block, ...]


# ---------------------------------------------------------------- structure


@dataclass(frozen=True)
class Section:
    """A unit of hierarchy: an optional heading pair, blocks, then subsections.
    A section without a heading is a lead or an untitled part."""
    heading: str | None
    subheading: str | None = None
    blocks: tuple[Block, ...] = ()
    sections: tuple["Section", ...] = ()
    id: str = ""


@dataclass(frozen=True)
class Article:
    title: str
    subtitle: str | None = None
    byline: str | None = None
    date: str | None = None
    lang: str = "zh-Hans"
    sections: tuple[Section, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    # Displaced heading lines that no manifest placed: kept, shown, warned about.
    unplaced: tuple[str, ...] = ()

    def replace(self, **changes) -> "Article":
        return replace(self, **changes)


@dataclass(frozen=True)
class Book:
    """Articles published together: a month of a column, a special issue, an anthology."""
    title: str
    articles: tuple[Article, ...]
    subtitle: str | None = None
    editor: str | None = None
    date: str | None = None
    lang: str = "zh-Hans"
    preface: tuple[Paragraph, ...] = ()
    cover_image: str | None = None  # a path relative to the book file's folder
    blurb: str | None = None        # the back cover's text (default: the preface's start)


def walk_sections(sections: tuple[Section, ...]):
    """Every section, depth first, in reading order."""
    for section in sections:
        yield section
        yield from walk_sections(section.sections)


def walk_blocks(blocks):
    """Every block, in reading order, the blocks inside quotes, epigraphs (their
    attribution last) and list items too."""
    for block in blocks:
        yield block
        if isinstance(block, Quote):
            yield from walk_blocks(block.blocks)
        elif isinstance(block, Epigraph):
            yield from block.paragraphs
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk_blocks(item)


def block_paragraphs(blocks):
    """Every paragraph among blocks, in reading order, inside quotes, epigraphs and lists too."""
    return (block for block in walk_blocks(blocks) if isinstance(block, Paragraph))


def block_inlines(blocks):
    """Every run of inline markup among blocks, in reading order: paragraphs (inside
    quotes and lists too) and table cells."""
    for block in walk_blocks(blocks):
        if isinstance(block, Paragraph):
            yield block.inlines
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                yield from row


def images_of(article: Article):
    """Every image of the article, in reading order, inside quotes and lists too."""
    for section in walk_sections(article.sections):
        yield from (block for block in walk_blocks(section.blocks) if isinstance(block, Image))


def paragraphs(article: Article):
    """Every top-level paragraph of every section, in reading order."""
    for section in walk_sections(article.sections):
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield block


def texts_of(article: Article):
    """(where, text) for every piece of text a reader sees, in reading order."""
    yield "the title", article.title
    for label, value in (("the subtitle", article.subtitle), ("the byline", article.byline)):
        if value:
            yield label, value

    def blocks(items, where):
        for number, block in enumerate(items, 1):
            here = f"{where}, block {number}"
            if isinstance(block, Paragraph):
                yield here, block.text
            elif isinstance(block, Quote):
                yield from blocks(block.blocks, here)
            elif isinstance(block, Epigraph):
                yield from blocks(block.paragraphs, here)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    yield from blocks(item, here)
            elif isinstance(block, Table):
                for row in (block.header, *block.rows):
                    for cell in row:
                        yield here, plain_text(cell)
            elif isinstance(block, Image):
                yield here, block.alt
            elif isinstance(block, CodeBlock):
                yield here, block.text

    for index, section in enumerate(walk_sections(article.sections), 1):
        where = f"section {index}" + (f" “{section.heading or section.subheading}”"
                                      if section.heading or section.subheading else "")
        for heading in (section.heading, section.subheading):
            if heading:
                yield where, heading
        yield from blocks(section.blocks, where)
    for note in article.footnotes:
        yield from blocks(note.blocks, f"footnote {note.number}")
    for line in article.unplaced:
        yield "the unplaced headings", line


# ---------------------------------------------------------------- JSON


def _inline_json(node: Inline) -> dict:
    name = type(node).__name__.lower()
    data: dict = {"kind": name}
    for f in fields(node):
        value = getattr(node, f.name)
        data[f.name] = [_inline_json(c) for c in value] if f.name == "children" else value
    return data


def _inlines_json(inlines: tuple[Inline, ...]) -> list:
    return [_inline_json(n) for n in inlines]


def block_json(block: Block) -> dict:
    if isinstance(block, Paragraph):
        data = {"kind": "paragraph", "text": block.text, "runin": block.runin}
        if block.inlines:
            data["inlines"] = _inlines_json(block.inlines)
        return data
    if isinstance(block, Quote):
        return {"kind": "quote", "blocks": [block_json(b) for b in block.blocks]}
    if isinstance(block, Epigraph):
        return {"kind": "epigraph", "blocks": [block_json(b) for b in block.blocks],
                "attribution": block_json(block.attribution) if block.attribution else None}
    if isinstance(block, ListBlock):
        return {"kind": "list", "ordered": block.ordered, "start": block.start,
                "items": [[block_json(b) for b in item] for item in block.items]}
    if isinstance(block, Table):
        return {"kind": "table", "aligns": list(block.aligns),
                "header": [_inlines_json(c) for c in block.header],
                "rows": [[_inlines_json(c) for c in row] for row in block.rows]}
    if isinstance(block, Image):
        data = {"kind": "image", "src": block.src, "alt": block.alt, "title": block.title}
        if block.data is not None:
            data["embedded"] = True  # inside the source, not a file beside it
        return data
    if isinstance(block, CodeBlock):
        return {"kind": "code", "text": block.text}
    raise TypeError(block)


def section_json(section: Section) -> dict:
    return {
        "heading": section.heading,
        "subheading": section.subheading,
        "blocks": [block_json(b) for b in section.blocks],
        "sections": [section_json(s) for s in section.sections],
    }


def to_json(article: Article) -> dict:
    data = {
        "title": article.title,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "date": article.date,
        "lang": article.lang,
        "sections": [section_json(s) for s in article.sections],
    }
    if article.footnotes:
        data["footnotes"] = [{"number": f.number, "blocks": [block_json(b) for b in f.blocks]}
                             for f in article.footnotes]
    if article.unplaced:
        data["unplaced"] = list(article.unplaced)
    return data


def pformat(article: Article) -> str:
    """A readable dump of the tree, one node a line (golden files, --debug)."""
    out = [f"title: {article.title}", f"subtitle: {article.subtitle}", f"byline: {article.byline}",
           f"date: {article.date}", f"lang: {article.lang}"]

    def blocks(items, indent):
        for block in items:
            data = block_json(block)
            if isinstance(block, Paragraph):
                head = f" [runin: {block.runin}]" if block.runin else ""
                out.append(f"{indent}paragraph{head}: {block.text}")
            else:
                out.append(f"{indent}{data['kind']}: {data}")

    def sections(items, indent):
        for section in items:
            out.append(f"{indent}section {section.id or ''}: {section.heading} / {section.subheading}")
            blocks(section.blocks, indent + "  ")
            sections(section.sections, indent + "  ")

    sections(article.sections, "")
    for line in article.unplaced:
        out.append(f"unplaced: {line}")
    return "\n".join(out) + "\n"

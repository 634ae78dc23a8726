"""Pure Article -> Article steps run after every reader, in this order."""
from __future__ import annotations

from dataclasses import replace

from .model import Article, Section


def number_sections(article: Article, prefix: str = "") -> Article:
    """Stable ids (sec-1, sec-2, ...) in reading order, independent of heading text;
    in a book each article's ids carry its prefix (a2-sec-1)."""
    counter = 0

    def number(sections: tuple[Section, ...]) -> tuple[Section, ...]:
        nonlocal counter
        out = []
        for section in sections:
            counter += 1
            ident = f"{prefix}sec-{counter}"
            out.append(replace(section, id=ident, sections=number(section.sections)))
        return tuple(out)

    return replace(article, sections=number(article.sections))


TRANSFORMS = (number_sections,)


def apply(article: Article) -> Article:
    for transform in TRANSFORMS:
        article = transform(article)
    return article


def map_text(value, convert):
    """The same model with every piece of reader-visible text passed through
    `convert` (addresses, image paths and identifiers are left alone)."""
    from dataclasses import fields, is_dataclass

    if isinstance(value, str):
        return convert(value)
    if isinstance(value, tuple):
        return tuple(map_text(v, convert) for v in value)
    if is_dataclass(value):
        changes = {}
        for f in fields(value):
            if f.name in ("href", "src", "id", "lang", "date", "kind"):
                continue
            current = getattr(value, f.name)
            if isinstance(current, (str, tuple)) or is_dataclass(current):
                changes[f.name] = map_text(current, convert)
        return replace(value, **changes)
    return value


# Taiwan sets quotation marks as corner brackets.
TAIWAN_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


def to_traditional(article: Article) -> Article:
    """The Traditional Chinese edition: OpenCC with Taiwan phrases (s2twp), corner
    bracket quotes, lang zh-Hant."""
    import opencc

    converter = opencc.OpenCC("s2twp")
    converted = map_text(article, lambda text: converter.convert(text).translate(TAIWAN_QUOTES))
    return replace(converted, lang="zh-Hant")


VARIANTS = {"zh-Hans": None, "zh-Hant": to_traditional}


def mark_pages(article: Article, starts: dict) -> Article:
    """Page breaks of the print edition inserted into the paragraphs where pages
    begin; `starts` maps id(paragraph) -> [(offset, page number)], id(table) ->
    [((row, column), page number)] (a mark at the start of that cell). Paragraphs with
    markup get their marks inside their inlines; with a run-in head, before them."""
    from .model import Epigraph, ListBlock, PageBreak, Paragraph, Quote, Table, Text

    def mark(block):
        if isinstance(block, Quote):
            return replace(block, blocks=tuple(mark(b) for b in block.blocks))
        if isinstance(block, Epigraph):
            return replace(block, blocks=tuple(mark(b) for b in block.blocks),
                           attribution=block.attribution and mark(block.attribution))
        if isinstance(block, ListBlock):
            return replace(block, items=tuple(tuple(mark(b) for b in item) for item in block.items))
        if isinstance(block, Table) and id(block) in starts:
            marks = dict(starts[id(block)])
            rows = [list(row) for row in ((block.header,) if block.header else ()) + block.rows]
            for (row, column), number in marks.items():
                rows[row][column] = (PageBreak(number),) + tuple(rows[row][column])
            rows = [tuple(row) for row in rows]
            if block.header:
                return replace(block, header=rows[0], rows=tuple(rows[1:]))
            return replace(block, rows=tuple(rows))
        if not isinstance(block, Paragraph) or id(block) not in starts:
            return block
        breaks = sorted(starts[id(block)])
        if block.inlines and not block.runin:
            return replace(block, inlines=_with_breaks(block.inlines, breaks))
        if block.inlines or block.runin:  # the template sets a run-in head from the text
            return replace(block, inlines=tuple(PageBreak(n) for _, n in breaks) + block.inlines)
        inlines, last = [], 0
        for offset, number in breaks:
            if offset > last:
                inlines.append(Text(block.text[last:offset]))
            inlines.append(PageBreak(number))
            last = offset
        inlines.append(Text(block.text[last:]))
        return replace(block, inlines=tuple(inlines))

    def section(sec):
        return replace(sec, blocks=tuple(mark(b) for b in sec.blocks),
                       sections=tuple(section(s) for s in sec.sections))

    return replace(article, sections=tuple(section(s) for s in article.sections))


def _with_breaks(inlines, breaks):
    """`inlines` with a PageBreak at each (offset in their plain text, page number):
    inside the Text where the page begins, inside emphasis or a link too; before a
    piece of code, which is not split."""
    from .model import Code, Emph, LineBreak, Link, PageBreak, Strong, Text

    pending = list(breaks)
    position = 0

    def walk(nodes):
        nonlocal position
        out = []
        for node in nodes:
            if isinstance(node, Text):
                last = 0
                while pending and pending[0][0] < position + len(node.text):
                    cut = max(pending[0][0] - position, last)
                    if cut > last:
                        out.append(Text(node.text[last:cut]))
                    out.append(PageBreak(pending.pop(0)[1]))
                    last = cut
                if last < len(node.text):
                    out.append(Text(node.text[last:]))
                position += len(node.text)
            elif isinstance(node, (Emph, Strong, Link)):
                out.append(replace(node, children=tuple(walk(node.children))))
            else:
                width = len(node.text) if isinstance(node, Code) else 1 if isinstance(node, LineBreak) else 0
                while width and pending and pending[0][0] < position + width:
                    out.append(PageBreak(pending.pop(0)[1]))
                out.append(node)
                position += width
        return out

    result = walk(inlines)
    return tuple(result) + tuple(PageBreak(n) for _, n in pending)  # past the end: none expected

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
    begin; `starts` maps id(paragraph) -> [(offset, page number)]. Paragraphs with
    markup keep their inlines; page marks go before them."""
    from .model import Epigraph, ListBlock, PageBreak, Paragraph, Quote, Text

    def mark(block):
        if isinstance(block, Quote):
            return replace(block, blocks=tuple(mark(b) for b in block.blocks))
        if isinstance(block, Epigraph):
            return replace(block, blocks=tuple(mark(b) for b in block.blocks),
                           attribution=block.attribution and mark(block.attribution))
        if isinstance(block, ListBlock):
            return replace(block, items=tuple(tuple(mark(b) for b in item) for item in block.items))
        if not isinstance(block, Paragraph) or id(block) not in starts:
            return block
        breaks = sorted(starts[id(block)])
        if block.inlines or block.runin:
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

"""Pure Article -> Article steps run after every reader, in this order."""
from __future__ import annotations

from dataclasses import replace

from .model import Article, Section


def number_sections(article: Article) -> Article:
    """Stable ids (sec-1, sec-2, ...) in reading order, independent of heading text."""
    counter = 0

    def number(sections: tuple[Section, ...]) -> tuple[Section, ...]:
        nonlocal counter
        out = []
        for section in sections:
            counter += 1
            ident = f"sec-{counter}"
            out.append(replace(section, id=ident, sections=number(section.sections)))
        return tuple(out)

    return replace(article, sections=number(article.sections))


TRANSFORMS = (number_sections,)


def apply(article: Article) -> Article:
    for transform in TRANSFORMS:
        article = transform(article)
    return article

"""Which blocks the print writer breaks into lines itself, to what measure, with
which indent and face: every paragraph of the body, of block quotes and list items
at any depth, footnotes, figure captions and a book's preface (clreq 3.1.6 asks the
same flush edges of each). The measures follow the print stylesheets' indents:

- body paragraphs: the text block, first line indented 2 em (clreq 3.2.1);
- block quotes: 2 em in from the left, set in Kai (楷体), paragraphs indented 2 em;
- list items: 2 em in per level, the marker hanging in that space, no first-line
  indent (a hanging indent); an item's later paragraphs indented 2 em;
- footnotes: the text block at the note size, the number hanging 1.5 em;
- captions: the text block, in Kai, no indent;
- epigraphs: a size smaller (EPIGRAPH_PT), in Kai, 2 em of that size in from each
  side, paragraphs indented 2 em; the attribution to the same measure, no indent,
  set flush at the end by print.css.

Tables: their column widths and cells, writers/typeset_tables.py."""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Article, Epigraph, Image, ListBlock, Paragraph, Quote, Table, walk_sections
from .typeset import typeset
from .typeset_tables import typeset_table

QUOTE_INDENT = 2.0    # em, print.css blockquote margin-left
LIST_INDENT = 2.0     # em per level, base.css ul/ol padding-left
NOTE_PT = 8.5         # print.css .footnote font-size
NOTE_HANG = 1.5       # em of the note size, print.css .footnote padding-left
EPIGRAPH_PT = 9.0     # 小五, a size below the body's 五号: print.css .epigraph font-size
EPIGRAPH_INDENT = 2.0  # em of the epigraph size on each side, base.css .epigraph margin


@dataclass(frozen=True)
class Target:
    key: object          # what the template asks set_lines() about (id() of it)
    paragraph: Paragraph | None   # None: a table
    measure: float       # em of `size`
    indent: float        # em
    base: str            # face role: serif or kai
    size: float          # pt


def article_targets(article: Article, chars: int, body_pt: float) -> list[Target]:
    """Every target of an article, in reading order (the body, then the footnotes)."""
    out: list[Target] = []
    for section in walk_sections(article.sections):
        _blocks(section.blocks, chars, out, "serif", body_pt)
    note_measure = chars * body_pt / NOTE_PT - NOTE_HANG
    for note in article.footnotes:
        if len(note.blocks) == 1 and isinstance(note.blocks[0], Paragraph):
            out.append(Target(note.blocks[0], note.blocks[0], note_measure, 0.0, "serif", NOTE_PT))
    return out


def preface_targets(paragraphs, chars: int, body_pt: float) -> list[Target]:
    return [Target(p, p, chars, 2.0, "serif", body_pt) for p in paragraphs]


def _blocks(blocks, measure: float, out: list, base: str, size: float) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(Target(block, block, measure, 2.0, base, size))
        elif isinstance(block, Quote):
            _blocks(block.blocks, measure - QUOTE_INDENT, out, "kai", size)
        elif isinstance(block, ListBlock):
            for item in block.items:
                for number, child in enumerate(item):
                    if isinstance(child, Paragraph):
                        # an item's later paragraphs are indented, or nothing would show them
                        indent = 2.0 if number and isinstance(item[number - 1], Paragraph) else 0.0
                        out.append(Target(child, child, measure - LIST_INDENT, indent, base, size))
                    else:
                        _blocks((child,), measure - LIST_INDENT, out, base, size)
        elif isinstance(block, Epigraph):
            inner = measure * size / EPIGRAPH_PT - 2 * EPIGRAPH_INDENT
            for paragraph in block.blocks:
                out.append(Target(paragraph, paragraph, inner, 2.0, "kai", EPIGRAPH_PT))
            if block.attribution:
                out.append(Target(block.attribution, block.attribution, inner, 0.0, "kai", EPIGRAPH_PT))
        elif isinstance(block, Table):
            out.append(Target(block, None, measure, 0.0, "serif", size))
        elif isinstance(block, Image) and block.title:
            out.append(Target(block, Paragraph(block.title), measure, 0.0, "kai", size))


def set_target(target: Target, lang: str):
    """The target's lines (a table: its SetTable), or None to leave it to WeasyPrint."""
    if isinstance(target.key, Table):
        return typeset_table(target.key, lang, target.measure, target.size)
    return typeset(target.paragraph, lang, target.measure, target.size, target.indent, target.base)

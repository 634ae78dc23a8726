"""Raw newspaper text -> Article: the normalizer, as a chain of small steps.

    lines -> front matter -> layout -> headings -> paragraphs -> clean-up
          -> the editor's breaks and joins -> sections -> run-ins
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..manifest import Manifest, squash
from ..model import Article, Paragraph, Section
from .edits import edit_paragraphs
from .front import Front, read_front
from .headings import Structure, find_headings
from .layout import Layout, measure
from .lines import Line, make_lines, split_lines
from .paragraphs import recover
from .report import Report
from .sections import Para, Span, by_headings, by_manifest
from .text import find_runins, remove_layout_spaces


@dataclass
class Result:
    article: Article
    report: Report
    paragraphs: int
    headings_placed: int
    # for the proof page: per section of the article, the first source line of each
    # of its paragraphs; and what was read off the text
    sources: tuple[tuple[int, ...], ...] = ()
    analysis: "Analysis | None" = field(default=None, repr=False)


@dataclass
class Analysis:
    """Everything read off a raw text before sections are decided."""
    front: Front
    layout: Layout
    structure: Structure
    paras: list[Para]
    lines: dict[int, Line]  # line number -> line


def analyse(text: str, known: set[str], report: Report) -> Analysis:
    lines = make_lines(split_lines(text))
    front = read_front(lines)
    body = lines[front.consumed:]
    if body:
        body[0].blank_before = True
    layout = measure(body)
    structure = find_headings(body, layout, known, report, front.title)

    # Paragraphs never run across a heading: recover them chunk by chunk.
    paras: list[Para] = []
    chunk: list = []
    for line in structure.text:
        if line.number in structure.inplace and chunk:
            paras.extend(_paras(chunk, layout, report))
            chunk = []
        chunk.append(line)
    if chunk:
        paras.extend(_paras(chunk, layout, report))
    return Analysis(front, layout, structure, paras, {l.number: l for l in lines})


def normalize(text: str, manifest: Manifest | None = None, name: str = "source") -> Result:
    report = Report()
    known = set()
    if manifest:
        for entry in manifest.sections:
            known.update(squash(t) for t in (entry.heading, entry.subheading) if t)
    analysis = analyse(text, known, report)
    front, structure, paras = analysis.front, analysis.structure, analysis.paras
    if manifest and (manifest.breaks or manifest.joins):
        edit_paragraphs(paras, manifest, structure.inplace, structure.text, report)

    unplaced: tuple[str, ...] = ()
    if manifest and manifest.sections:
        spans = by_manifest(paras, structure.inplace, structure.displaced, manifest, report)
    else:
        spans = by_headings(paras, structure.inplace)
        if structure.displaced:
            unplaced = tuple(line.text for line in structure.displaced)
            report.warn(f"{name}: {len(unplaced)} displaced heading lines kept unplaced at the end; "
                        f"place them with [[sections]] in the manifest (python -m pipeline suggest)")

    sections = tuple(_section(span) for span in spans)
    overrides = dict(manifest.article) if manifest else {}
    for key in ("title", "subtitle", "byline"):
        if key in overrides:
            report.add(None, 0.9, f"{key} set by the manifest", "manifest")
    article = Article(
        title=overrides.get("title", front.title),
        subtitle=overrides.get("subtitle", front.subtitle),
        byline=overrides.get("byline", front.byline),
        date=overrides.get("date"),
        lang=overrides.get("lang", "zh-Hans"),
        sections=sections,
        unplaced=unplaced,
    )
    placed = sum(1 for s in sections if s.heading or s.subheading)
    sources = tuple(tuple(p.line for p in span.paras) for span in spans)
    return Result(article, report, sum(len(s.paras) for s in spans), placed, sources, analysis)


def _paras(chunk, layout, report) -> list[Para]:
    return [Para(remove_layout_spaces(d.text), d.first_line) for d in recover(chunk, layout, report)]


def _section(span: Span) -> Section:
    texts = [p.text for p in span.paras]
    heads = find_runins(texts)
    blocks = tuple(Paragraph(text, head) for text, head in zip(texts, heads))
    return Section(span.heading, span.subheading, blocks)


__all__ = ["normalize", "analyse", "Result", "Analysis"]

"""The proof page: a raw source and the article recovered from it, side by side,
for an editor to check by looking rather than reading a report.

`proof_page(source, manifest)` returns one self-contained HTML page (inline CSS and
script, nothing fetched). Each row pairs source lines with what they became: the
front matter, a heading found in place, a displaced heading and where the manifest
placed it, a paragraph (its source lines joined, the reason it ends, layout spaces
removed, a run-in head). Every decision of the normalizer is shown at its line;
those below the report's threshold are highlighted with their confidence, a
break or join among them with the manifest line that reads it the other way. A
paragraph links to its source lines. Pure: it reads the source and the manifest,
writes nothing (the CLI and a preview server do that).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import UserError
from .manifest import Manifest, load_manifest, manifest_for, squash
from .normalize import normalize
from .normalize.edits import other_reading
from .normalize.lines import LAYOUT_SPACE, make_lines, split_lines
from .normalize.report import LOW, Decision
from .render import environment


@dataclass
class SourceLine:
    number: int
    text: str                    # as in the source, trailing whitespace removed
    pieces: list = field(default_factory=list)   # (text, is a layout space removed)
    flagged: bool = False        # a decision concerns this line
    low: bool = False            # ...one made with low confidence


@dataclass
class Output:
    """What a row's source lines became."""
    kind: str                    # front | heading | displaced | paragraph | lead
    text: str = ""
    runin: str | None = None
    label: str = ""              # heading level, section, where a displaced heading went
    note: str = ""
    target: int | None = None    # a source line this output points to (placed heading -> its paragraph)


@dataclass
class Row:
    kind: str
    first: int
    lines: list[SourceLine] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    # per decision: the manifest line that reads a low-confidence break or join the
    # other way (normalize/edits.py), or None
    mends: list[str | None] = field(default_factory=list)

    @property
    def low(self) -> bool:
        return any(d.confidence < LOW for d in self.decisions)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """The line's text with the layout spaces the normalizer removes marked."""
    out, last = [], 0
    for match in LAYOUT_SPACE.finditer(text):
        out.append((text[last:match.start()], False))
        out.append((match.group(), True))
        last = match.end()
    out.append((text[last:], False))
    return [piece for piece in out if piece[0]]


def _mend(decision: Decision, text: str, manifest: Manifest | None, result, headed: set[int]) -> str | None:
    """The manifest line that reads a low-confidence break or join the other way,
    offered only where normalizing again with it turns that boundary round (a
    section's anchor, say, may hold the break whatever [paragraphs] says)."""
    analysis = result.analysis
    found = other_reading(decision, analysis.paras, analysis.structure.text, headed)
    if found is None:
        return None
    key, anchor = found
    base = manifest or Manifest("the manifest", {}, ())
    edited = replace(base, **{key: (*getattr(base, key), anchor)})
    try:
        again = normalize(text, edited).paragraphs
    except UserError:
        return None
    if again - result.paragraphs != (1 if key == "breaks" else -1):
        return None
    return f"{key} = [{json.dumps(anchor, ensure_ascii=False)}]"


def _rows(text: str, result, manifest: Manifest | None = None) -> tuple[list[Row], list[Decision]]:
    analysis = result.analysis
    raw = {number: line.rstrip() for number, line in split_lines(text)}
    all_lines = make_lines(split_lines(text))
    front_lines = all_lines[:analysis.front.consumed]
    structure = analysis.structure
    article = result.article

    rows: list[Row] = []
    owner: dict[int, Row] = {}   # source line -> the row showing it

    def add_row(kind: str, numbers: list[int], outputs: list[Output]) -> Row:
        row = Row(kind, numbers[0], [SourceLine(n, raw[n], _pieces(raw[n])) for n in numbers], outputs)
        rows.append(row)
        for n in numbers:
            owner[n] = row
        return row

    # Front matter: title, subtitle, byline.
    if front_lines:
        outputs = [Output("front", article.title, label="title")]
        if article.subtitle:
            outputs.append(Output("front", article.subtitle, label="subtitle"))
        if article.byline:
            outputs.append(Output("front", article.byline, label="byline"))
        add_row("front", [l.number for l in front_lines], outputs)

    # Where each output paragraph and section comes from.
    first_of_section: dict[int, tuple[int, object]] = {}   # first line -> (section index, section)
    paragraphs: dict[int, list[tuple[int, object]]] = {}   # first line -> [(section index, block)]
    sections = list(article.sections)
    for index, (section, firsts) in enumerate(zip(sections, result.sources)):
        if firsts:
            first_of_section.setdefault(firsts[0], (index, section))
        for block, first in zip(section.blocks, firsts):
            paragraphs.setdefault(first, []).append((index, block))
    titled = any(s.heading or s.subheading for s in sections)

    # Headings in place, before the paragraph they open.
    inplace_lines: set[int] = set()
    for first, pairs in structure.inplace.items():
        for pair in pairs:
            numbers = [l.number for l in pair.lines]
            inplace_lines.update(numbers)
            outputs = []
            if pair.heading:
                outputs.append(Output("heading", pair.heading, label="heading", target=first))
            if pair.subheading:
                outputs.append(Output("heading", pair.subheading, label="subheading", target=first))
            add_row("heading", numbers, outputs).outputs[0].note = "found in place"

    # Displaced headings: where the manifest placed each line, or unplaced.
    placed_at: dict[str, int] = {}
    for index, section in enumerate(sections):
        firsts = result.sources[index] if index < len(result.sources) else ()
        for text_ in (section.heading, section.subheading):
            if text_ and firsts:
                placed_at.setdefault(squash(text_), firsts[0])
    for line in structure.displaced:
        target = placed_at.get(squash(line.text))
        if target is None:  # heading and subheading set together on one line
            target = next((t for key, t in placed_at.items() if key and key in squash(line.text)), None)
        note = (f"placed by the manifest before line {target}" if target
                else "unplaced: no manifest entry uses it (kept at the end of the article)")
        add_row("displaced", [line.number], [Output("displaced", line.text, label="displaced heading",
                                                    note=note, target=target)])

    # Paragraphs: the text lines from each paragraph's first line to the next one's.
    text_numbers = [l.number for l in structure.text]
    starts = sorted(paragraphs)
    for k, first in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else None
        numbers = [n for n in text_numbers if n >= first and (end is None or n < end)]
        if not numbers:
            continue
        # blank lines inside the paragraph (column breaks) are shown too
        numbers = list(range(numbers[0], numbers[-1] + 1))
        numbers = [n for n in numbers if n not in owner]
        outputs = []
        if first in first_of_section:
            index, section = first_of_section[first]
            if section.heading or section.subheading:
                how = "found in place" if any(
                    l.number in inplace_lines for p in structure.inplace.get(first, []) for l in p.lines) \
                    else "placed by the manifest"
                for text_, label in ((section.heading, "heading"), (section.subheading, "subheading")):
                    if text_:
                        outputs.append(Output("heading", text_, label=f"section {index + 1} {label}", note=how))
            elif index == 0 and titled:
                outputs.append(Output("lead", "", label="lead", note="the article's lead: an untitled first section"))
        for index, block in paragraphs[first]:
            outputs.append(Output("paragraph", block.text, block.runin, label=f"section {index + 1}"))
        add_row("paragraph", numbers, outputs)

    # Every decision at the row holding its line; those without a line, apart.
    headed = set(structure.inplace) | {firsts[0] for firsts in result.sources if firsts}
    general = []
    for decision in result.report.decisions:
        row = owner.get(decision.line) if decision.line else None
        if row is None and decision.line:
            row = min((r for r in rows if r.first <= decision.line), key=lambda r: decision.line - r.first,
                      default=None)
        if row is None:
            general.append(decision)
            continue
        row.decisions.append(decision)
        row.mends.append(_mend(decision, text, manifest, result, headed) if decision.confidence < LOW else None)
        for line in row.lines:
            if line.number == decision.line:
                line.flagged = True
                line.low = line.low or decision.confidence < LOW
    rows.sort(key=lambda r: r.first)
    return rows, general


def proof_page(source: Path, manifest: Path | None = None) -> str:
    """The proof page of a raw source (with its manifest, by default SOURCE.toml)."""
    from .readers import source_text

    source = Path(source)
    if source.suffix.lower() != ".txt":
        raise UserError(source, "a proof page is made for raw .txt sources")
    text = source_text(source)
    manifest_path = Path(manifest) if manifest else manifest_for(source)
    parsed = load_manifest(manifest_path) if manifest_path else None
    result = normalize(text, parsed, name=str(source))
    rows, general = _rows(text, result, parsed)
    low = sum(1 for d in result.report.decisions if d.confidence < LOW)
    return environment().get_template("proof.html.j2").render(
        name=source.name, manifest=manifest_path.name if manifest_path else None,
        sidecar=(manifest_path or source.with_suffix(".toml")).name,
        article=result.article, rows=rows, general=general, warnings=result.report.warnings,
        paragraphs=result.paragraphs, placed=result.headings_placed, low=low, threshold=LOW,
        runins=sum(1 for s in result.article.sections for b in s.blocks if getattr(b, "runin", None)))


__all__ = ["proof_page"]

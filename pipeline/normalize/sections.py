"""Sections from recovered paragraphs: by in-place headings, or by the manifest.

With [[sections]] in the manifest the editor decides: each entry starts where its
`starts_at` text begins (a paragraph is split there if need be), holds the text up
to the next anchor in reading order of the source, and sections are emitted in the
manifest's order. Displaced heading lines must each be used once; text before the first
anchor, when no entry holds it, is the untitled lead; a missing or ambiguous anchor,
or two entries at one place are errors.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import UserError
from ..manifest import Manifest, squash
from .headings import HeadingPair
from .lines import Line, join_lines
from .report import Report


@dataclass
class Para:
    text: str
    line: int  # first source line


@dataclass
class Span:
    heading: str | None
    subheading: str | None
    paras: list[Para]


def by_headings(paras: list[Para], inplace: dict[int, list[HeadingPair]]) -> list[Span]:
    spans: list[Span] = []
    current = Span(None, None, [])
    pending = dict(inplace)  # each heads one paragraph: a paragraph split on its line keeps it once
    for para in paras:
        pairs = pending.pop(para.line, None)
        if pairs:
            if current.paras or current.heading or current.subheading:
                spans.append(current)
            for pair in pairs[:-1]:
                spans.append(Span(pair.heading, pair.subheading, []))
            current = Span(pairs[-1].heading, pairs[-1].subheading, [])
        current.paras.append(para)
    if current.paras or current.heading or current.subheading or not spans:
        spans.append(current)
    return spans


def _squash_map(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and for each kept character its index in `text`."""
    kept, index = [], []
    for i, ch in enumerate(text):
        if not ch.isspace():
            kept.append(ch)
            index.append(i)
    return "".join(kept), index


def locate(paras: list[Para], anchor: str, manifest: Manifest, label: str) -> tuple[int, int]:
    """(paragraph, character offset) where the anchor begins; `label`: the manifest
    key it comes from, for errors. An anchor that runs across a paragraph break shows
    the break was wrong: those paragraphs are joined."""
    target = squash(anchor)
    flat, where = [], []  # squashed text of all paragraphs; (paragraph, offset) of each character
    for p, para in enumerate(paras):
        text, index = _squash_map(para.text)
        flat.append(text)
        where.extend((p, i) for i in index)
    joined = "".join(flat)
    hits, start = [], joined.find(target)
    while start != -1:
        hits.append(start)
        start = joined.find(target, start + 1)
    if not hits:
        raise UserError(manifest.path, f"{label} \"{anchor}\" is not found in the text")
    if len(hits) > 1:
        lines = ", ".join(str(paras[where[h][0]].line) for h in hits)
        raise UserError(manifest.path, f"{label} \"{anchor}\" is not unique "
                                       f"(paragraphs at lines {lines}); give a longer text")
    first, offset = where[hits[0]]
    last = where[hits[0] + len(target) - 1][0]
    if last > first:
        text = paras[first].text
        for para in paras[first + 1:last + 1]:
            text = join_lines(text, para.text)
        paras[first:last + 1] = [Para(text, paras[first].line)]
    return first, offset


def _anchored_headings_to_text(paras: list[Para], inplace: dict[int, list[HeadingPair]],
                               manifest: Manifest, report: Report) -> None:
    """An anchor that begins at a line read as an in-place heading shows that the line
    was text (a paragraph's first line after a column break, its indent lost): the
    line goes back to the start of the paragraph after it."""
    for entry in manifest.sections:
        target = squash(entry.starts_at)
        if target in "".join(squash(para.text) for para in paras):  # found as locate finds it
            continue
        for number, pairs in inplace.items():
            pair = pairs[-1] if pairs else None
            after = next((i for i, para in enumerate(paras) if para.line == number), None)
            if pair is None or len(pair.lines) != 1 or after is None:
                continue
            line = pair.lines[0]
            if not (squash(line.text) + squash(paras[after].text)).startswith(target):
                continue
            # The paragraph now begins at the line; headings set before it still head it.
            del inplace[number]
            if pairs[:-1]:
                inplace[line.number] = pairs[:-1]
            paras[after] = Para(join_lines(line.text, paras[after].text, line.trailing_space), line.number)
            report.add(line.number, 0.7, f"{entry.key}.starts_at begins at line {line.number}, which was read "
                                         f"as a heading: it is the first line of a paragraph", "manifest")
            break


def _heading_forms(entry) -> set[str]:
    """How an entry's heading may stand in the source, whitespace removed."""
    parts = [t for t in (entry.heading, entry.subheading) if t]
    return {squash(t) for t in parts} | ({squash("".join(parts))} if len(parts) == 2 else set())


def by_manifest(paras: list[Para], inplace: dict[int, list[HeadingPair]], displaced: list[Line],
                manifest: Manifest, report: Report) -> list[Span]:
    paras = list(paras)
    inplace = {number: list(pairs) for number, pairs in inplace.items()}
    _anchored_headings_to_text(paras, inplace, manifest, report)
    starts: dict[int, int] = {}  # entry index -> paragraph index
    for e, entry in enumerate(manifest.sections):
        p, offset = locate(paras, entry.starts_at, manifest, f"{entry.key}.starts_at")
        if offset > 0:
            para = paras[p]
            head, tail = para.text[:offset].rstrip(), para.text[offset:].lstrip()
            if squash(head) in _heading_forms(entry):
                # The entry's own heading, run into its first paragraph: it is the heading.
                paras[p] = Para(tail, para.line)
                report.add(para.line, 0.7, f"{entry.key}: heading taken out of the paragraph it ran into", "manifest")
            else:
                paras[p:p + 1] = [Para(head, para.line), Para(tail, para.line)]
                report.add(para.line, 0.7, f"paragraph split where {entry.key}.starts_at begins", "manifest")
                for other, q in starts.items():
                    if q > p:
                        starts[other] = q + 1
                p += 1
        elif p > 0 and squash(paras[p - 1].text) in _heading_forms(entry):
            # The entry's heading was read as a one-line paragraph of its own.
            report.add(paras[p - 1].line, 0.7, f"{entry.key}: a one-line paragraph is its heading", "manifest")
            del paras[p - 1]
            for other, q in starts.items():
                if q >= p:
                    starts[other] = q - 1
            p -= 1
        for other, q in starts.items():
            if q == p:
                raise UserError(manifest.path, f"{manifest.sections[other].key} and {entry.key} "
                                               f"start at the same paragraph (line {paras[p].line})")
        starts[e] = p

    # Editors list the headings: the text before the first anchor is the article's
    # lead, an untitled section first, as an explicit lead entry would make it.
    lead: list[Span] = []
    first = min(starts.values())
    if first > 0:
        lead_spans = by_headings(paras[:first], inplace)
        for span in lead_spans:
            if span.heading or span.subheading:
                report.add(span.paras[0].line if span.paras else None, 0.9,
                           "heading found in place before the first [[sections]] anchor", "heading")
        lead = lead_spans
        report.add(paras[0].line, 0.9, f"the text before the first [[sections]] anchor "
                                       f"(line {paras[first].line}) is the lead, untitled", "lead")

    # Heading lines in the source that the entries use, each once.
    available = {id(line): line for line in displaced}
    for pairs in inplace.values():
        for pair in pairs:
            for line in pair.lines:
                available[id(line)] = line
    used: dict[int, str] = {}
    _all_forms = {form for entry in manifest.sections for form in _heading_forms(entry)}

    def consume(text: str | None, key: str) -> None:
        if not text:
            return
        for ident, line in available.items():
            # a line may hold the heading, or heading and subheading set together
            if squash(line.text) == squash(text) or (squash(text) in squash(line.text)
                                                    and squash(line.text) in _all_forms):
                if ident in used and used[ident] != key:
                    raise UserError(manifest.path, f"{key} uses the heading \"{text}\" "
                                                   f"that {used[ident]} already uses")
                if ident not in used:
                    used[ident] = key
                    return
        report.add(None, 0.7, f"{key}: heading \"{text}\" is not in the source; used as given", "manifest")

    order = sorted(starts, key=starts.get)
    spans_by_entry: dict[int, list[Span]] = {}
    for rank, e in enumerate(order):
        entry = manifest.sections[e]
        begin = starts[e]
        end = starts[order[rank + 1]] if rank + 1 < len(order) else len(paras)
        heading, subheading = entry.heading, entry.subheading
        pairs = inplace.get(paras[begin].line, [])
        if pairs and not (heading or subheading):
            heading, subheading = pairs[-1].heading, pairs[-1].subheading
        consume(heading, f"{entry.key}.heading")
        consume(subheading, f"{entry.key}.subheading")
        # In-place headings inside the span open sections of their own after it.
        spans = by_headings(paras[begin:end], {k: v for k, v in inplace.items()
                                                if k != paras[begin].line})
        spans[0].heading, spans[0].subheading = heading, subheading
        for span in spans[1:]:
            consume(span.heading, f"{entry.key} (in place)")
            consume(span.subheading, f"{entry.key} (in place)")
        spans_by_entry[e] = spans

    for span in lead:
        consume(span.heading, "the lead (in place)")
        consume(span.subheading, "the lead (in place)")
    for ident, line in available.items():
        if ident not in used:
            raise UserError(manifest.path, f"the heading \"{line.text}\" (source line {line.number}) "
                                           f"is not used by any [[sections]] entry; its text would be lost")
    return lead + [span for e in range(len(manifest.sections)) for span in spans_by_entry[e]]

"""A draft manifest for a raw source's displaced headings, for the editor to confirm.

Where does each heading pair of a displaced block belong? Three kinds of evidence:
- the column structure: the text's first paragraph, a block set at another width
  and the paragraph after it must each open a section; a paragraph whose first line
  is not indented in a paper that indents is a likely section opening;
- content: words of the heading pair (character bigrams, weighted by how rare they
  are in the article) found in the text that would follow the heading;
- the order of the block: pairs are listed in reading order, a weak prior.
Each entry carries a confidence; nothing here is applied until the editor saves it.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .headings import HeadingPair, pair_up
from .report import Report
from . import analyse

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_DATELINE = re.compile(r"^(?:\d{1,2}月\s*\d{1,2}日|\d{4}年\d{1,2}月)")
ORDER_WEIGHT = 1.0  # how much the block's order counts against content


@dataclass
class Placement:
    pair: HeadingPair | None       # None: an untitled lead
    para: int                      # index of the section's first paragraph
    confidence: float
    alternatives: list[int]


def _bigrams(text: str) -> Counter:
    grams: Counter = Counter()
    for run in _HAN_RUN.findall(text):
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return grams


def _anchor(texts: list[str], index: int) -> str:
    """The shortest opening of paragraph `index` (8 characters or more) unique in the text."""
    flat = [re.sub(r"\s+", "", t) for t in texts]
    whole = "\n".join(flat)
    opening = flat[index]
    for n in range(8, len(opening) + 1):
        if whole.count(opening[:n]) == 1:
            return opening[:n]
    return opening


def place(paras, pairs: list[HeadingPair], layout, lines) -> list[Placement]:
    texts = [p.text for p in paras]
    n = len(paras)
    columns = [layout.column(lines[p.line]) for p in paras]

    # Column structure: openings that must or may start a section.
    required = {0}
    lead = None
    for i in range(1, n):
        if columns[i] != columns[i - 1]:
            required.add(i)
            if columns[i] != layout.body_column and lead is None:
                lead = i
    bonus = [0.0] * n
    for i, para in enumerate(paras):
        column = columns[i]
        indent = layout.indent_of(column)
        if i and indent and lines[para.line].width >= column - 1:
            bonus[i] += 0.3  # an unindented first line in a paper that indents
        if _DATELINE.match(para.text):
            bonus[i] += 0.2  # news sections often open on a date: "12月7日，大雪时节……"

    # Content: idf-weighted bigram overlap of each pair with the text after each opening.
    para_grams = [_bigrams(t) for t in texts]
    df: Counter = Counter()
    for grams in para_grams:
        df.update(set(grams))
    idf = {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}

    # The text a heading speaks of: about one section's worth of paragraphs.
    window_size = max(3, n // (len(pairs) + 1))

    def overlap(pair: HeadingPair, i: int) -> float:
        """Share of the pair's (idf-weighted) bigrams found in the text after opening i."""
        wanted = _bigrams(" ".join(t for t in (pair.heading, pair.subheading) if t))
        total = sum(idf.get(g, math.log(n + 1)) for g in wanted) or 1.0
        window: Counter = Counter()
        for k in range(i, min(n, i + window_size)):
            window.update(para_grams[k])
        return sum(idf.get(g, 0.0) for g in wanted if g in window) / total

    # A heading opens body text: not the lead, nor a paragraph inside a wide block.
    slots = [i for i in range(n) if i != lead and (columns[i] == layout.body_column or i in required)]
    score = {(h, i): overlap(pair, i) + bonus[i] + (0.5 if i in required else 0.0)
             - ORDER_WEIGHT * abs(h / max(1, len(pairs) - 1) - i / max(1, n - 1))
             for h, pair in enumerate(pairs) for i in slots}

    # Greedy: the surest (pair, opening) first; required openings are filled first.
    taken: set[int] = set()
    chosen: dict[int, int] = {}
    order = sorted(score, key=lambda k: -score[k])
    for must in (True, False):
        for h, i in order:
            if h in chosen or i in taken or (i in required) != must:
                continue
            chosen[h] = i
            taken.add(i)
    placements = []
    if lead is not None:
        placements.append(Placement(None, lead, 0.9, []))
    for h, pair in enumerate(pairs):
        i = chosen.get(h, 0)
        ranked = sorted(slots, key=lambda k: -score[(h, k)])
        others = {chosen[g] for g in chosen if g != h}
        runner = next((k for k in ranked if k != i and k not in others), i)
        margin = score[(h, i)] - score[(h, runner)]
        confidence = round(1 / (1 + math.exp(-6 * margin)), 2)
        placements.append(Placement(pair, i, confidence, ranked[:3]))
    return placements


def suggest(source: Path) -> str:
    from ..readers import source_text

    text = source_text(Path(source))
    analysis = analyse(text, set(), Report())
    displaced = analysis.structure.displaced
    paras = analysis.paras
    out = [f"# Draft manifest for {Path(source).name}, written by `python -m pipeline suggest`.",
           "# Check every placement, then save as the source's .toml next to it.",
           ""]
    if not displaced:
        out.append("# No displaced headings found: the text needs no [[sections]].")
        return "\n".join(out) + "\n"
    pairs = pair_up(displaced)
    placements = place(paras, pairs, analysis.layout, analysis.lines)
    texts = [p.text for p in paras]
    for placement in placements:
        para = paras[placement.para]
        out.append("[[sections]]")
        if placement.pair is None:
            out.append(f"# untitled lead: the block set at another width (line {para.line}),"
                       f" confidence {placement.confidence:.2f}")
        else:
            alternatives = ", ".join(f"line {paras[k].line}" for k in placement.alternatives
                                     if k != placement.para)
            out.append(f"# confidence {placement.confidence:.2f}; heading lines "
                       f"{', '.join(str(l.number) for l in placement.pair.lines)}; "
                       f"opening at line {para.line}; next best: {alternatives or 'none'}")
            if placement.pair.heading:
                out.append(f"heading = {json.dumps(placement.pair.heading, ensure_ascii=False)}")
            if placement.pair.subheading:
                out.append(f"subheading = {json.dumps(placement.pair.subheading, ensure_ascii=False)}")
        out.append(f"starts_at = {json.dumps(_anchor(texts, placement.para), ensure_ascii=False)}")
        out.append("")
    return "\n".join(out)

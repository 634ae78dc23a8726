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

from .headings import NUMBERED, HeadingPair, pair_up
from .lines import display_width
from .report import Report
from . import analyse

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_DATELINE = re.compile(r"^(?:\d{1,2}月\s*\d{1,2}日|\d{4}年\d{1,2}月)")
# Weights set once on the generated set (tests/newspaper.py), not per article.
ORDER_WEIGHT = 1.0     # how far from its place in the block's order a heading goes (greedy)
ORDER_MARGIN = 1.0     # how much better the order-keeping placement must score to be taken
INVERSION_COST = 0.5   # a heading placed out of the block's order
SHORT_COST = 0.4       # a section of a single short paragraph
SHORT_SECTION = 60     # characters: a paragraph this short rarely is a section alone
CONFIDENCE_SCALE = 6.0
FIRST_BONUS = 0.4     # the first heading opens the text unless content says there is a lead
BEFORE_WEIGHT = 0.5    # a heading's words in the paragraph before it speak against it
DISAGREE_CAP = 0.6     # content and order disagree on where a heading goes
PAIRED_CAP = 0.9       # a heading and subheading paired from the block's alternation


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
    # A wide block's opening salutation ("各位代表：") is too short to be set wide.
    while lead and display_width(texts[lead - 1]) < layout.body_column:
        required.discard(lead)
        lead -= 1
        required.add(lead)
    bonus = [0.0] * n
    for i, para in enumerate(paras):
        column = columns[i]
        indent = layout.indent_of(column)
        if i and indent and lines[para.line].width >= column - 1:
            bonus[i] += 0.3  # an unindented first line in a paper that indents
        if _DATELINE.match(para.text):
            bonus[i] += 0.2  # news sections often open on a date: "12月7日，大雪时节……"
        if i in required and i:
            bonus[i] += 0.5  # the text moves into a block at another width: a section opens
    if n:
        bonus[0] += FIRST_BONUS  # the text's first paragraph opens a section, titled or the lead

    # Content: idf-weighted bigram overlap of each pair with the text after each opening.
    para_grams = [_bigrams(t) for t in texts]
    df: Counter = Counter()
    for grams in para_grams:
        df.update(set(grams))
    idf = {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}
    window_size = max(3, n // (len(pairs) + 1))  # about one section's worth of paragraphs

    def found(wanted, total, k) -> float:
        return sum(idf.get(g, 0.0) for g in wanted if g in para_grams[k]) / total if 0 <= k < n else 0.0

    def overlap(pair: HeadingPair, i: int) -> float:
        """The pair's (idf-weighted) bigrams found in the paragraphs after opening i,
        the nearest counting most, less those found just before it: a heading's
        words open its section."""
        wanted = set(_bigrams(" ".join(t for t in (pair.heading, pair.subheading) if t)))
        total = sum(idf.get(g, math.log(n + 1)) for g in wanted) or 1.0
        after = sum(found(wanted, total, i + k) / (1 + k) for k in range(window_size))
        norm = sum(1 / (1 + k) for k in range(window_size))
        return after / norm * 2 - BEFORE_WEIGHT * found(wanted, total, i - 1)

    def window_overlap(pair: HeadingPair, i: int) -> float:
        """Share of the pair's bigrams found anywhere in the window after opening i:
        coarser, steadier where the block's order is only a prior."""
        wanted = _bigrams(" ".join(t for t in (pair.heading, pair.subheading) if t))
        total = sum(idf.get(g, math.log(n + 1)) for g in wanted) or 1.0
        window: Counter = Counter()
        for k in range(i, min(n, i + window_size)):
            window.update(para_grams[k])
        return sum(idf.get(g, 0.0) for g in wanted if g in window) / total

    # A heading opens body text: not the lead, nor a paragraph inside a wide block.
    slots = [i for i in range(n) if i != lead and (columns[i] == layout.body_column or i in required)]
    score = {(h, i): overlap(pair, i) + bonus[i] for h, pair in enumerate(pairs) for i in slots}
    # The block lists headings in about the order of the text: a weak prior on where each goes.
    spread = {(h, i): window_overlap(pairs[h], i) + bonus[i]
              - ORDER_WEIGHT * abs(h / max(1, len(pairs) - 1) - i / max(1, n - 1)) for h, i in score}
    short = [len(t) < SHORT_SECTION for t in texts]

    greedy = _greedy(pairs, slots, spread, required)
    ordered = _in_order(pairs, slots, score, short)
    numbered = all(NUMBERED.match(pair.heading or pair.subheading or "") for pair in pairs)

    def total(chosen: dict[int, int]) -> float:
        value = sum(score[(h, i)] for h, i in chosen.items())
        inversions = sum(1 for a in chosen for b in chosen if a < b and chosen[a] > chosen[b])
        singles = sum(1 for h, i in chosen.items() if short[i] and (i + 1) in chosen.values())
        return value - INVERSION_COST * inversions - SHORT_COST * singles

    # Headings come in the order of their sections (numbered ones always): the
    # order-keeping placement wins unless content clearly says otherwise.
    chosen = ordered if ordered is not None and (numbered or total(ordered) >= total(greedy) + ORDER_MARGIN) \
        else greedy
    placements = []
    if lead is not None:
        placements.append(Placement(None, lead, 0.9, []))
    for h, pair in enumerate(pairs):
        i = chosen.get(h, 0)
        ranked = sorted(slots, key=lambda k: -score[(h, k)])
        others = {chosen[g] for g in chosen if g != h}
        runner = next((k for k in ranked if k != i and k not in others), i)
        margin = score[(h, i)] - score[(h, runner)]
        if chosen is ordered:
            # what the order-keeping placement loses when this heading goes elsewhere
            other = _in_order(pairs, slots, score, short, forbid=(h, i), value_only=True)
            best = _in_order(pairs, slots, score, short, value_only=True)
            margin = best - other if other is not None else 1.0
        confidence = 1 / (1 + math.exp(-CONFIDENCE_SCALE * margin))
        if ordered is not None and greedy.get(h) != ordered.get(h):
            confidence = min(confidence, DISAGREE_CAP)  # content and order point to different places
        if pair.heading and pair.subheading:
            confidence = min(confidence, PAIRED_CAP)  # the pairing itself is a reading of the layout
        placements.append(Placement(pair, i, round(confidence, 2), ranked[:3]))
    return placements


def _greedy(pairs, slots, score, required) -> dict[int, int]:
    """The surest (pair, opening) first; required openings are filled first."""
    taken: set[int] = set()
    chosen: dict[int, int] = {}
    order = sorted(score, key=lambda k: -score[k])
    for must in (True, False):
        for h, i in order:
            if h in chosen or i in taken or (i in required) != must:
                continue
            chosen[h] = i
            taken.add(i)
    return chosen


def _in_order(pairs, slots, score, short, forbid: tuple[int, int] | None = None,
              value_only: bool = False):
    """The best placement keeping the block's order (dynamic programming over
    increasing openings); a section of one short paragraph costs SHORT_COST.
    `forbid` (heading, opening): the best placement that does not put it there."""
    count, m = len(pairs), len(slots)
    if count > m:
        return None
    NEG = float("-inf")
    best = [[NEG] * m for _ in range(count)]
    back = [[-1] * m for _ in range(count)]
    allowed = lambda h, j: forbid is None or forbid != (h, slots[j])
    for j in range(m):
        if allowed(0, j):
            best[0][j] = score[(0, slots[j])]
    for h in range(1, count):
        for j in range(h, m):
            if not allowed(h, j):
                continue
            for k in range(h - 1, j):
                if best[h - 1][k] == NEG:
                    continue
                value = best[h - 1][k] + score[(h, slots[j])]
                if slots[j] == slots[k] + 1 and short[slots[k]]:
                    value -= SHORT_COST
                if value > best[h][j]:
                    best[h][j], back[h][j] = value, k
    j = max(range(m), key=lambda k: best[count - 1][k])
    if best[count - 1][j] == NEG:
        return None
    if value_only:
        return best[count - 1][j]
    chosen = {}
    for h in range(count - 1, -1, -1):
        chosen[h] = slots[j]
        j = back[h][j]
    return chosen


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
    pairs = pair_up(displaced, displaced=True)
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

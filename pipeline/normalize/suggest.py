"""A draft manifest for a raw source's displaced headings, for the editor to confirm.

Where does each heading pair of a displaced block belong? Evidence:
- the column structure: the text's first paragraph, a block set at another width
  and the paragraph after it open sections; a paragraph whose first line is not
  indented in a paper that indents, or that opens on a date, likely opens one; no
  section opens on the address before the text ("各位代表："), on a connective
  ("此外，") or, rarely, on the word the paragraph before opens on ("Kubernetes");
- content: the share of a pair's words (character bigrams, weighted by how rare
  they are in the article) that each paragraph holds, against the other pairs:
  in the section's first paragraph and all through the section;
- the order of the block: headings come in the order of their sections (numbered
  ones always), so the placements are searched in that order (dynamic programming);
  sections are of about a size and rarely a single short paragraph;
- the closing: paragraphs after the last run-in item ("存量资源资产有效盘活。……")
  close the text inside the last section, which alone may run long.
Each entry carries a confidence, how much worse the best placement putting that
heading elsewhere scores, capped where that margin proves little (a heading none
of whose words the text holds, more headings than openings, a pairing read off
the block); nothing here is applied until the editor saves it.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .headings import NUMBERED, HeadingPair, _loose, pair_up
from .lines import display_width, ends_sentence
from .report import Report
from .text import find_runins
from . import analyse

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_DATELINE = re.compile(r"^(?:\d{1,2}月\s*\d{1,2}日|\d{4}年\s*\d{1,2}\s*月)")
# Connectives that tie a paragraph to the one before it: no section opens on them.
_CONTINUES = re.compile(r"^(?:此外|另外|同时|与此同时|而且|并且|但是|然而|因此|所以|于是|另一方面|其中|为此|对此)")
# Weights set once on the generated set (tests/newspaper.py), not per article.
INVERSION_COST = 0.5   # a heading placed out of the block's order
CONTENT_FLOOR = 0.15   # share of a heading's words one paragraph must hold for content to place it
CONTINUATION_COST = 1.0  # a section opening on a connective ("此外，")
SHORT_COST = 0.4       # a section of a single short paragraph
SHORT_SECTION = 60     # characters: a paragraph this short rarely is a section alone
CONFIDENCE_SCALE = 3.0
FIRST_BONUS = 0.4      # the text's first long paragraph opens a section
OPEN_WEIGHT = 0.3      # a heading's words in its section's first paragraph
BODY_WEIGHT = 1.0      # ...and in the rest of its section, against the other headings'
BEFORE_WEIGHT = 0.75     # a heading's words in the paragraph before its opening
SIZE_WEIGHT = 0.2      # a section far longer or shorter than the text's average
LEAD_COST = 0.3        # a paragraph left untitled before the first heading
DISAGREE_CAP = 0.6     # content and order disagree on where a heading goes
LONE_CAP = 0.6         # a lone line at an end of the text read as a displaced heading
ALIKE_COST = 0.3       # a section opening on the word the paragraph before opens on
ADDRESS_COST = 1.0     # a section opening on the address before the text ("各位代表：")
CLOSING_COST = 1.0     # a section opening in the closing, after the last run-in item
WORDLESS_CAP = 0.6     # a heading none of whose words the text holds, placed by the priors
CROWDED_CAP = 0.5      # more headings than openings: the paragraphs were misread
PAIRED_CAP = 0.9       # a heading and subheading paired from the block's alternation


@dataclass
class Placement:
    pair: HeadingPair | None       # None: an untitled lead
    para: int                      # index of the section's first paragraph
    confidence: float
    alternatives: list[int]


# A paragraph's first word: a Latin one ("Kubernetes") or three Han characters ("五年来").
_FIRST_WORD = re.compile(r"^(?:[A-Za-z][A-Za-z0-9-]+|[\u4e00-\u9fff]{3})")


def _opens_alike(before: str, text: str) -> bool:
    """Two paragraphs opening on the same word ("Kubernetes 实现了……" after
    "Kubernetes 在集群的节点上……"; "五年来，" after "五年来，") go on with one subject."""
    a, b = _FIRST_WORD.match(before), _FIRST_WORD.match(text)
    return bool(a and b and a.group(0) == b.group(0))


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
        if _CONTINUES.match(para.text):
            bonus[i] -= CONTINUATION_COST  # "此外，", "同时": the paragraph goes on from the one before
        if _DATELINE.match(para.text):
            bonus[i] += 0.2  # news sections often open on a date: "12月7日，大雪时节……"
        if i in required and i:
            bonus[i] += 0.5  # the text moves into a block at another width: a section opens
        if i and _opens_alike(texts[i - 1], para.text):
            bonus[i] -= ALIKE_COST  # the same subject goes on: rarely a new section
    # Paragraphs opening on a run-in head ("存量资源资产有效盘活。"), as many as the
    # headings or more, are the items the sections are made of; the paragraphs after
    # the last item ("各位代表！……", "五年来，……") close the text and go with the last
    # section, however much they repeat the headings' words. Fewer items are a list
    # inside one section (the sample's "做好主题教育活动。", "办好职工文体活动。"…).
    items = [i for i, head in enumerate(find_runins(texts)) if head and head.endswith("。")]
    closing = items[-1] + 1 if len(items) >= len(pairs) else n
    for i in range(closing, n):
        bonus[i] -= CLOSING_COST
    # The text's first paragraph of substance opens a section, titled or the lead;
    # short ones before it ("各位代表：" / "现在，我代表市人民政府向大会报告工作……") address
    # the reader before the text begins: no heading opens on them.
    start = next((i for i, t in enumerate(texts) if len(t) >= SHORT_SECTION), 0)
    if n:
        bonus[start] += FIRST_BONUS
    for i in range(start):
        bonus[i] -= ADDRESS_COST

    # Content: how much of each pair's (idf-weighted) bigrams each paragraph holds,
    # relative to the other pairs: a paragraph that speaks of every heading, or of
    # none, tells nothing about where one section ends.
    para_grams = [_bigrams(t) for t in texts]
    df: Counter = Counter()
    for grams in para_grams:
        df.update(set(grams))
    idf = {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}
    count = len(pairs)
    affinity = []
    for pair in pairs:
        wanted = set(_bigrams(" ".join(t for t in (pair.heading, pair.subheading) if t)))
        total = sum(idf.get(g, math.log(n + 1)) for g in wanted) or 1.0
        affinity.append([sum(idf.get(g, 0.0) for g in wanted if g in grams) / total for grams in para_grams])
    mean = [sum(a[k] for a in affinity) / count for k in range(n)]
    prefix = []  # running sums of the relative affinity, per pair
    for a in affinity:
        run = [0.0]
        for k in range(n):
            run.append(run[-1] + a[k] - mean[k])
        prefix.append(run)
    wide = [columns[k] != layout.body_column for k in range(n)]
    short = [len(t) < SHORT_SECTION for t in texts]
    # What leaving paragraphs untitled before the first heading costs: little for a
    # block at another width or an address ("各位代表：", short), more for body text.
    lead_run = [0.0]
    for k in range(n):
        lead_run.append(lead_run[-1] - (0.0 if wide[k] or short[k] else LEAD_COST + BODY_WEIGHT * mean[k]))
    # paragraphs a section holds, on average: the address and the closing are no section's own
    typical = max(1.0, sum(not wide[k] for k in range(start, closing)) / count)
    boundary = lead if lead is not None else n  # the block at another width is a section of its own

    def seg(h: int, i: int, j: int) -> float:
        """Heading h opening at paragraph i, its section running up to j."""
        if i < boundary < j:
            j = boundary
        value = OPEN_WEIGHT * affinity[h][i] + bonus[i] + BODY_WEIGHT * (prefix[h][j] - prefix[h][i])
        if i:
            value -= BEFORE_WEIGHT * affinity[h][i - 1]  # its words just before it: it opens later
        # Sections of a text are of a size; the last holds the closing too, so it is
        # never too long.
        size = (j - i) / typical if j < n else min(1.0, (j - i) / typical)
        value -= SIZE_WEIGHT * math.log(size) ** 2
        return value - (SHORT_COST if j == i + 1 and short[i] else 0.0)

    # A heading opens body text: not the lead, nor a paragraph inside a wide block.
    slots = [i for i in range(n) if i != lead and (columns[i] == layout.body_column or i in required)]

    def objective(chosen: dict[int, int]) -> float:
        opens = sorted(chosen.values())
        ends = {i: (opens[r + 1] if r + 1 < len(opens) else n) for r, i in enumerate(opens)}
        value = lead_run[opens[0]] if opens else 0.0
        value += sum(seg(h, i, ends[i]) for h, i in chosen.items())
        inversions = sum(1 for a in chosen for b in chosen if a < b and chosen[a] > chosen[b])
        return value - INVERSION_COST * inversions

    numbered = all(NUMBERED.match(pair.heading or pair.subheading or "") for pair in pairs)

    def solve(order: list[int]):
        """The best placement keeping the headings in this order, and its tables."""
        seg_in = lambda r, i, j: seg(order[r], i, j)
        forward, backward = _in_order(count, slots, seg_in, lead_run, n)
        path = _best_path(backward, slots, seg_in, lead_run)
        chosen = {order[r]: i for r, i in path.items()} if path else None
        return chosen, forward, backward, order

    # Headings come in the order of their sections (numbered ones always); unnumbered,
    # two neighbours may have been listed the other way round (the sample's editor
    # moved one section), at INVERSION_COST, taken only when content says so.
    # A heading whose words the text hardly holds ("如何帮助") is placed by order alone.
    identity = list(range(count))
    bearing = [max(a, default=0.0) >= CONTENT_FLOOR for a in affinity]
    orders = [identity] + ([] if numbered else [identity[:k] + [k + 1, k] + identity[k + 2:]
                                                 for k in range(count - 1) if bearing[k] and bearing[k + 1]])
    solutions = sorted((s for s in map(solve, orders) if s[0] is not None),
                       key=lambda s: -objective(s[0]))
    if not solutions:  # more headings than openings: each takes the next opening
        solutions = [({h: slots[min(h, len(slots) - 1)] if slots else 0 for h in identity}, None, None, identity)]
    chosen, forward, backward, order = solutions[0]
    use_order = order == identity
    rival = solutions[1][0] if len(solutions) > 1 else None
    gap = objective(chosen) - objective(rival) if rival else float("inf")
    rank = {h: r for r, h in enumerate(order)}
    placements = []
    if lead is not None:
        placements.append(Placement(None, lead, 0.9, []))
    NEG = float("-inf")
    for h, pair in enumerate(pairs):
        i = chosen.get(h, 0)
        # how much worse the best placement is that puts this heading elsewhere
        through = {k: forward[rank[h]][j] + backward[rank[h]][j] for j, k in enumerate(slots)} \
            if forward else {i: 0.0}
        best = through.get(i, 0.0)
        ranked = sorted(through, key=lambda k: -through[k])
        others = [through[k] for k in ranked if k != i and through[k] > NEG]
        margin = (best - others[0]) if others else 1.0
        if rival is not None and rival.get(h) != i:
            margin = min(margin, gap)  # the next best order puts it elsewhere
        confidence = 1 / (1 + math.exp(-CONFIDENCE_SCALE * margin))
        if not use_order:
            confidence = min(confidence, DISAGREE_CAP)  # content overrules the block's order
        if not bearing[h] and others and i != start:
            # No words of its in the text, and it could go elsewhere: only the priors
            # (sizes, short sections, openings) place it, and they are no proof.
            confidence = min(confidence, WORDLESS_CAP)
        if forward is None:
            confidence = min(confidence, CROWDED_CAP)  # two headings share an opening: one is wrong
        if pair.heading and pair.subheading:
            confidence = min(confidence, PAIRED_CAP)  # the pairing itself is a reading of the layout
        placements.append(Placement(pair, i, round(confidence, 2), ranked[:3]))
    return placements


def _in_order(count, slots, seg, lead_run, n):
    """Best placements keeping the block's order, by dynamic programming over
    increasing openings: forward[h][j] is the best value of the lead and headings
    before h when h opens at slots[j]; backward[h][j] that of h's section and all
    after it. Their sum is the best placement that puts h there."""
    NEG = float("-inf")
    m = len(slots)
    forward = [[NEG] * m for _ in range(count)]
    backward = [[NEG] * m for _ in range(count)]
    for j in range(m):
        forward[0][j] = lead_run[slots[j]]
    for h in range(1, count):
        for j in range(h, m):
            forward[h][j] = max((forward[h - 1][k] + seg(h - 1, slots[k], slots[j])
                                 for k in range(h - 1, j) if forward[h - 1][k] > NEG), default=NEG)
    for j in range(m):
        backward[count - 1][j] = seg(count - 1, slots[j], n)
    for h in range(count - 2, -1, -1):
        for j in range(m):
            backward[h][j] = max((seg(h, slots[j], slots[k]) + backward[h + 1][k]
                                  for k in range(j + 1, m) if backward[h + 1][k] > NEG), default=NEG)
    return forward, backward


def _best_path(backward, slots, seg, lead_run) -> dict[int, int] | None:
    """The order-keeping placement itself, read off the backward table."""
    NEG = float("-inf")
    chosen: dict[int, int] = {}
    j = max(range(len(slots)), key=lambda k: lead_run[slots[k]] + backward[0][k], default=None)
    if j is None or backward[0][j] == NEG:
        return None
    chosen[0] = slots[j]
    for h in range(1, len(backward)):
        j = max(range(j + 1, len(slots)), key=lambda k: seg(h - 1, slots[j], slots[k]) + backward[h][k])
        chosen[h] = slots[j]
    return chosen


def _lone_heading(analysis) -> tuple[list, list]:
    """One heading line alone at the end of the text (after a stop), or at its start
    (read in place as the first paragraph's heading): a block of one displaced
    heading, which the normalizer takes only when a manifest names it. A dateline
    ("1934年8月，在北平") is no heading."""
    structure, paras = analysis.structure, analysis.paras
    if len(structure.text) < 2 or len(paras) < 2:
        return [], paras
    last, before = structure.text[-1], structure.text[-2]
    if paras[-1].line == last.number and last.isolated and _loose(last, set()) and \
            ends_sentence(before.text) and not _DATELINE.match(last.text.replace(" ", "")):
        return [last], paras[:-1]
    heads = structure.inplace.get(paras[0].line, [])
    if len(structure.inplace) == 1 and len(heads) == 1 and len(heads[0].lines) == 1:
        return heads[0].lines, paras
    return [], paras


def suggest(source: Path) -> str:
    from ..readers import source_text

    text = source_text(Path(source))
    analysis = analyse(text, set(), Report())
    displaced, paras, lone = analysis.structure.displaced, analysis.paras, False
    if not displaced:
        displaced, paras = _lone_heading(analysis)
        lone = bool(displaced)
    out = [f"# Draft manifest for {Path(source).name}, written by `python -m pipeline suggest`.",
           "# Check every placement, then save as the source's .toml next to it.",
           ""]
    if not displaced:
        out.append("# No displaced headings found: the text needs no [[sections]].")
        return "\n".join(out) + "\n"
    pairs = pair_up(displaced, displaced=True)
    placements = place(paras, pairs, analysis.layout, analysis.lines)
    if lone:  # one line alone at an end of the text may be a heading, or not
        placements = [Placement(p.pair, p.para, min(p.confidence, LONE_CAP), p.alternatives)
                      if p.pair else p for p in placements]
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

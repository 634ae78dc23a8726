"""Text pasted into Word from a PDF: every printed line became a Word paragraph.

Such a run is recognised by what hard wrapping leaves behind: most of its
paragraphs stop mid-sentence and their lengths gather around one width. It is then
handed to the raw-text normalizer as the lines it really is (layout.measure finds
the column and the lost indent, paragraphs.recover decides every break, with its
confidence), and the Word paragraphs of each recovered paragraph are joined, their
markup kept, with the normalizer's join_lines between them.
"""
from __future__ import annotations

from collections import Counter

from ...model import Inline, Text
from ...normalize.layout import measure
from ...normalize.lines import Line, display_width, ends_sentence, ends_with_punct, join_lines
from ...normalize.paragraphs import recover
from ...normalize.report import Report
from .body import Para

MIN_RUN = 4           # fewer lines say nothing about a column
RUNNING_SHARE = 0.4   # share of lines stopping mid-sentence; typed paragraphs almost never do
DENSE_SHARE = 0.6     # share of lines within a few characters of the run's common width


def looks_wrapped(paras: list[Para]) -> bool:
    lines = [p for p in paras if p.text]
    if len(lines) < MIN_RUN:
        return False
    inner = lines[:-1]
    running = sum(1 for p in inner if not ends_with_punct(p.text) and not p.text.endswith(("”", "」")))
    if running < RUNNING_SHARE * len(inner):
        return False  # typed paragraphs: no need to measure them
    widths = Counter(display_width(p.text) for p in lines)
    densest = max(sum(n for w, n in widths.items() if c - 4 <= w <= c + 1) for c in widths)
    wide = max(widths)
    return running >= RUNNING_SHARE * len(inner) and densest >= DENSE_SHARE * len(lines) and wide >= 20


def join_pasted(paras: list[Para], decisions: list) -> list[Para]:
    """The run's paragraphs as the reader sees them; `decisions` gets the
    normalizer's, numbered by the Word paragraph they concern."""
    if not looks_wrapped(paras):
        return paras
    lines, owner = [], {}
    for index, para in enumerate(paras):
        if not para.text:
            if lines:
                lines[-1].blank_after = True
            continue
        lines.append(Line(para.number, para.text.strip(), 0, not lines or lines[-1].blank_after, False))
        owner[para.number] = para
    if lines:
        lines[-1].blank_after = True
    report = Report()
    drafts = recover(lines, measure(lines), report)
    decisions.extend(report.decisions)
    out = []
    for draft in drafts:
        members = [owner[line.number] for line in draft.lines]
        if len(members) > 1:
            report.add(members[0].number, 0.85, f"Word paragraphs {members[0].number}-{members[-1].number} "
                                                f"are lines of one paragraph: joined")
            decisions.append(report.decisions[-1])
        out.append(_joined(members))
    # Listed by --report: the whole run was taken for hard-wrapped lines.
    report.add(lines[0].number, 0.7, f"Word paragraphs {lines[0].number}-{lines[-1].number} look like lines "
                                     f"pasted from a PDF: {len(lines)} lines joined into {len(out)} paragraphs")
    decisions.append(report.decisions[-1])
    return out


def _joined(members: list[Para]) -> Para:
    if len(members) == 1:
        return members[0]
    inlines: list[Inline] = list(members[0].inlines)
    text = members[0].text
    for para in members[1:]:
        joined = join_lines(text, para.text)
        gap = joined[len(text):len(joined) - len(para.text)]
        if gap:
            inlines.append(Text(gap))
        inlines.extend(para.inlines)
        text = joined
    merged: list[Inline] = []
    for node in inlines:
        if merged and isinstance(node, Text) and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    first = members[0]
    return Para(first.number, tuple(merged), first.role, first.centered, first.right, first.size,
                first.font, all(m.bold for m in members), first.listing, first.outline)


__all__ = ["join_pasted", "looks_wrapped", "ends_sentence"]

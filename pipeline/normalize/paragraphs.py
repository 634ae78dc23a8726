"""Paragraph recovery: decide, between every two lines, whether a paragraph ends.

Signals, in the order they are trusted:
- a line well short of its column ends a paragraph (text flows to the column's
  end unless the paragraph stops); for a first line, "short" allows for the lost indent;
- a line that does not end a sentence goes on, even across a blank line (a column break);
- after a full line that ends a sentence, the next line starts a paragraph when it
  is narrower by the lost indent; otherwise a blank line decides, weighed by whether
  this paper indents at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .layout import Layout
from .lines import Line, ends_sentence, join_lines
from .report import Report

BREAK_AT = 1.5  # evidence needed to end a paragraph at a full line that ends a sentence


@dataclass
class Draft:
    """A recovered paragraph and the source lines it came from."""
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        text = ""
        for line in self.lines:
            text = join_lines(text, line.text)
        return text

    @property
    def first_line(self) -> int:
        return self.lines[0].number


def recover(lines: list[Line], layout: Layout, report: Report) -> list[Draft]:
    drafts: list[Draft] = []
    current = Draft()
    for index, line in enumerate(lines):
        if current.lines and _breaks(current, line, lines[index + 1:], layout, report):
            drafts.append(current)
            current = Draft()
        current.lines.append(line)
    if current.lines:
        drafts.append(current)
    return drafts


def _breaks(current: Draft, nxt: Line, after: list[Line], layout: Layout, report: Report) -> bool:
    prev = current.lines[-1]
    first = len(current.lines) == 1
    terminal = ends_sentence(prev.text)
    blank = prev.blank_after

    if layout.explicit_indent:
        return nxt.indent > 0 or (terminal and layout.is_short(prev, first))

    if layout.is_short(prev, first):
        if not terminal:
            report.add(prev.number, 0.6, "short line without end punctuation taken as a paragraph end")
        return True
    if not terminal:
        if blank:
            report.add(prev.number, 0.9, "blank line after an unfinished sentence: column break, joined")
        return False
    # prev is a full line that ends a sentence: does nxt open a paragraph?
    column = layout.column(nxt)
    if layout.column(prev) != column:
        return True  # the text moves into a block set at another width
    indent = layout.indent_of(column)
    if not indent:
        # This paper does not indent: only a blank line can mark the break.
        if blank:
            report.add(prev.number, 0.6, "unindented paper: blank line after a sentence end taken as a break")
        return blank
    if layout.looks_first(nxt) and ends_sentence(nxt.text) and (nxt.blank_after or not after):
        # Narrow, ends a sentence, and nothing follows it: a paragraph's last
        # line or a one-line paragraph. A last line is far likelier.
        report.add(nxt.number, 0.5, "short final line after a full sentence end: joined")
        return False
    # Weigh the evidence: how short the sentence-final line is, how close the next
    # line's shortfall is to the lost indent, and a blank line between them.
    tol = layout.tolerance(column)
    short_prev = min(max(column - prev.width, 0) / tol, 1.5)
    next_gap = column - nxt.width
    first_like = max(0.0, 1 - abs(next_gap - indent) / indent) if next_gap > 0 else 0.0
    score = short_prev + 1.5 * first_like + (0.8 if blank else 0)
    if abs(score - BREAK_AT) < 0.5:
        report.add(prev.number, 0.5 + abs(score - BREAK_AT),
                   f"sentence end at a nearly full line: {'break' if score >= BREAK_AT else 'joined'}")
    return score >= BREAK_AT

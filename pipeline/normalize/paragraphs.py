"""Paragraph recovery: decide, between every two lines, whether a paragraph ends.

Signals, in the order they are trusted:
- a line well short of its column ends a paragraph (text flows to the column's
  end unless the paragraph stops); for a first line, "short" allows for the lost indent;
- a line that does not end a sentence goes on, even across a blank line (a column break);
- after a full line that ends a sentence, the evidence is weighed (break_evidence):
  a blank line, the line's shortfall, the next line as narrow as a first line or
  full, each with a weight measured on this text (layout.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from math import exp, log

from .layout import Layout
from .headings import NUMBERED
from .lines import (CLOSERS, END_PUNCT, NO_LINE_START, Line, display_width, ends_sentence, ends_with_punct,
                    join_lines, leading_unit, leading_unit_width, space_may_hide, unit_width)
from .report import Report

UNFINISHED_MARGIN = 2   # display width of one Han character
_DATELINE = re.compile(r"^(?:\d{4}\s*年\s*\d{1,2}\s*月|[〇一二三四五六七八九十]{1,3}月[〇一二三四五六七八九十]{1,3}日。?$)")
_QUOTED_UTTERANCE = re.compile(r"[：:][“「][^“”「」。！？]{1,30}[”」]$")
NEVER_OPENS = set("，。、；：？！）》」』〉】”’%,.;:!?)")
SQUEEZED_FULL_WEIGHT = -0.7  # log-odds a full next line ending on a mark adds, where the indent is 1
SHORT_BY_OPENING = 3.0  # log-odds a line short by room for the next line's opening unit adds
# log-odds a first-line-narrow next line that had room for what opens the line after
# it adds (widths exact): a running line would have taken that
NEXT_COULD_TAKE = 4.0
# log-odds, beyond a full line's, that a line no first line could be as wide as adds
WIDER_THAN_FIRST = -1.0
NUMBERED_OPENING = 3.0  # log-odds a numbered opening ("（二）") after a stop adds for a break


@dataclass
class Draft:
    """A recovered paragraph and the source lines it came from."""
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        text = ""
        space = False
        for line in self.lines:
            text = join_lines(text, line.text, space)
            space = line.trailing_space
        return text

    @property
    def first_line(self) -> int:
        return self.lines[0].number


def recover(lines: list[Line], layout: Layout, report: Report) -> list[Draft]:
    drafts: list[Draft] = []
    current = Draft()
    for index, line in enumerate(lines):
        if current.lines and _breaks(current, line, lines[index + 1:], layout, report):
            if _cut_off_first_line(current, layout):
                # the paragraph ended a line earlier; its last line opens the next,
                # which runs on into this one
                first = current.lines.pop()
                report.retract(first.number)
                report.add(first.number, 0.7, "a line as narrow as a first line that ends without "
                                              "punctuation: it opens the next paragraph", "break")
                drafts.append(current)
                current = Draft([first])
            else:
                drafts.append(current)
                current = Draft()
        current.lines.append(line)
    if current.lines:
        drafts.append(current)
    return drafts


def _cut_off_first_line(current: Draft, layout: Layout) -> bool:
    """A draft that would end on a line without punctuation, after a line that closes
    a clause, a sentence or a quotation ("大声道：“读书”" / blank / "于是大家放开喉咙读一
    阵书，真是"; "…增资麒麟软件，" / "协和天津基地建设顺利推进，中资"): a paragraph
    rarely ends unpunctuated, so the paragraph broke before it, and the line, as
    narrow as a first line, opens the next one."""
    if len(current.lines) < 2:
        return False
    before, last = current.lines[-2], current.lines[-1]
    return (not ends_with_punct(last.text) and layout.first_gap(last)
            and before.text[-1:] in END_PUNCT + CLOSERS)


def _breaks(current: Draft, nxt: Line, after: list[Line], layout: Layout, report: Report) -> bool:
    prev = current.lines[-1]
    first = len(current.lines) == 1
    # A paragraph may also end on a colon that introduces a quotation or a list.
    # A quotation closed without a stop (“灯塔工厂”) ends a paragraph only when the
    # line is short; at a full line it is a term in a running sentence.
    # A quotation that a colon introduced and that closes at the line's end ("大声道：
    # “读书”") is a whole utterance: the sentence ends with it, stop or not.
    terminal = ends_sentence(prev.text) or prev.text.endswith(("：", ":")) or \
        bool(_QUOTED_UTTERANCE.search(current.text))
    blank = prev.blank_after

    if layout.unwrapped:
        report.add(prev.number, 0.95, "paragraph break: clean text, one paragraph a line", "break")
        return True
    if not after and _DATELINE.match(nxt.text) and (terminal or prev.text[-1:] in CLOSERS):
        # "1927年7月，北京清华园。", "九月十八日。" closing the text: when and where it was written
        report.add(prev.number, 0.9, "paragraph break: the text ends on a dateline", "break")
        return True
    if nxt.text[:1] in NEVER_OPENS:
        # "。”" after a blank: a stop or a closing mark never starts a paragraph
        # (a dash or an ellipsis may: "——更加注重……")
        report.add(prev.number, 0.9, "the next line opens with a mark that cannot start a line: joined", "join")
        return False
    if layout.explicit_indent:
        if nxt.indent > 0:
            report.add(prev.number, 0.95, "paragraph break: the next line is indented", "break")
            return True
        if terminal and layout.is_short(prev, first):
            report.add(prev.number, 0.9, "paragraph break: short line ending a sentence", "break")
            return True
        return False

    # A paragraph rarely ends without punctuation: such a line must be short by a
    # character more than one that ends a sentence.
    unit = leading_unit_width(nxt.text) + (0 if terminal else UNFINISHED_MARGIN)
    if layout.is_short(prev, first, unit):
        if not terminal:
            report.add(prev.number, 0.6, "short line without end punctuation taken as a paragraph end", "break")
        else:
            report.add(prev.number, 0.95, "paragraph break: short line ending a sentence"
                       + (", blank line after it" if blank else ""), "break")
        return True
    clause = _clause_end(prev, first, nxt, terminal, layout)
    if clause:
        report.add(prev.number, *clause, "break")
        return True
    if not terminal:
        if blank:
            report.add(prev.number, 0.9, "blank line after an unfinished sentence: column break, joined", "join")
        return False
    # prev is a full line that ends a sentence: does nxt open a paragraph?
    column = layout.column(nxt)
    if layout.column(prev) != column:
        report.add(prev.number, 0.9, "paragraph break: the text moves into a block set at another width",
                   "break")
        return True
    score = break_evidence(prev, first, nxt, after, layout)
    signals = ", ".join(filter(None, ("blank line" if blank else "no blank line",
                                      "next line as narrow as a first line" if layout.first_gap(nxt)
                                      else "")))
    confidence = min(0.99, 0.5 + abs(score) / 3)
    measured = ""
    if layout.band_break:
        # No lost indent tells here: the blank line says no more than how often such
        # lines end paragraphs in this text; the other evidence adds to that.
        rate = layout.band_break[blank]
        odds = log(rate / (1 - rate)) + score - layout.blank_weight[blank]
        sure = 1 / (1 + exp(-odds if score > 0 else odds))
        if sure < confidence:
            confidence = max(0.5, sure)
            measured = f"; {rate:.0%} of such lines here end a paragraph"
    if abs(score) < 1.0:
        report.add(prev.number, confidence,
                   f"sentence end at a nearly full line: {'break' if score > 0 else 'joined'} "
                   f"(evidence {score:+.1f}{measured})", "break" if score > 0 else "join")
    elif score > 0:
        report.add(prev.number, confidence,
                   f"paragraph break: sentence end at a full line, {signals} (evidence {score:+.1f}{measured})",
                   "break")
    elif blank:
        report.add(prev.number, confidence,
                   f"sentence end and a blank line, but the text runs on: column break, joined "
                   f"(evidence {score:+.1f}{measured})", "join")
    return score > 0


def _clause_end(prev: Line, first: bool, nxt: Line, terminal: bool,
                layout: Layout) -> tuple[float, str] | None:
    """Does a line that ends a clause ("，" "；") end its paragraph? (confidence, why),
    or None. A running line would have taken what opens the next line, so a line
    with room for it stopped there:
    - where the paper does not indent, when that room holds the next line's opening
      unit and a character more (with an indent, a first line is that narrow too);
    - where it indents and widths are exact (no Latin on the line: its width is
      exact only if the paper's face is known), when it had room for the unit and
      the next line is as narrow as a first line. Either signal alone is not enough."""
    column = layout.column(prev)
    if terminal or not prev.text.endswith(("，", "；")):
        return None
    indent = layout.indent_of(column)
    if not indent:
        room = column - prev.width - prev.slack
        if room >= max(layout.tolerance(column), leading_unit_width(nxt.text) + UNFINISHED_MARGIN):
            return 0.6, "short line without end punctuation taken as a paragraph end"
        return None
    if layout.column(nxt) != column or prev.slack:
        return None
    gap = column - (indent if first else 0) - prev.width
    if layout.first_gap(nxt) and _could_take(prev, [nxt], gap, layout):
        return 0.7, ("a clause ends a line that had room for the next line's opening, "
                     "and the next line is as narrow as a first line: paragraph break")
    return None


def _could_take(line: Line, after: list[Line], gap: int, layout: Layout) -> bool:
    """Had `line` room for the unit that opens the line after it, where display
    widths are exact: the paper sets no Latin proportionally, or neither the line
    nor that unit holds any; less a space the extraction may have dropped."""
    if not after:
        return False
    unit = leading_unit(after[0].text)
    if layout.proportional and (line.slack or unit_width(unit) != display_width(unit)):
        return False
    return 2 <= unit_width(unit) <= gap - space_may_hide(line, after[0])


def break_evidence(prev: Line, first: bool, nxt: Line, after: list[Line], layout: Layout) -> float:
    """Log-odds that a paragraph ends after `prev`, a nearly full line ending a sentence.

    Each signal adds what it says for a break (positive) or against (negative):
    the blank line, weighed by how often this text puts blank lines at paragraph
    breaks and at column breaks; how far `prev` falls short of the column (a full
    line continues, a paragraph's last line ends anywhere); and whether `nxt` is as
    narrow as a first line that lost its indent, full, or a short last line."""
    column = layout.column(nxt)
    indent = layout.indent_of(column)
    tol = layout.tolerance(column)
    score = layout.blank_weight[prev.blank_after]

    gap_prev = column - (indent if first else 0) - prev.width
    opening = leading_unit_width(nxt.text)
    if _could_take(prev, [nxt], gap_prev, layout):
        # short by room for what opens the next line, within the tolerance or
        # beyond it: a running line would have taken it
        score += SHORT_BY_OPENING
    elif gap_prev >= max(tol, opening):
        # short beyond the tolerance; a line short only by what opens the next line
        # (a word, a number, a character with the mark that may not start a line) was full
        score += 1.5
    elif gap_prev <= 0:
        score -= 0.5

    gap_next = column - nxt.width
    # nxt ends a paragraph too: a short last line or a one-line paragraph, whose
    # width says nothing of a lost indent. Where the paper indents, the line after
    # nxt being as narrow as a first line says so as well as a blank would: nxt,
    # ending a sentence, is then a paragraph's last line at least as often as a
    # one-line paragraph exactly as wide as an indented first line.
    ending = ends_sentence(nxt.text) and (nxt.blank_after or not after
                                          or bool(indent and layout.first_gap(after[0], column)))
    if NUMBERED.match(nxt.text):
        score += NUMBERED_OPENING  # "（二）", "三、" after a stop opens an item, a paragraph
    if ending and gap_next > indent + tol:
        score -= 0.5
    elif ending and layout.wider_than_first(nxt, column):
        # wider than a first line can be, even with its closing marks squeezed in:
        # no one-line paragraph, so the paragraph runs on into it
        score += layout.full_weight
    elif indent and not ending:
        # A first line is narrower by the indent, or by one character more when
        # line-start prohibition pushed one down; but a long word that did not fit
        # on it (it opens the line after) explains a narrow line just as well.
        unit = leading_unit_width(after[0].text) if after else 0
        explained = unit > gap_next
        narrow = layout.first_gap(nxt, column)
        if narrow and _could_take(nxt, after, gap_next, layout):
            # where widths are exact, a running line would have taken what opens
            # the line after it: nxt is a first line, shorter by its indent
            score += max(NEXT_COULD_TAKE, layout.band_weight)
        elif narrow and layout.pushed_down(nxt, after[0] if after else None, column):
            # as narrow as a running line whose last character went down with a mark
            score += layout.pushed_weight
        elif narrow:
            # a unit pushed down explains the gap only as one width among several
            score += layout.band_weight * (0.5 if explained else 1.0)
        elif indent >= 4 and indent < layout.room(nxt, column) < indent + unit and not explained:
            # a first line that could not take the next line's opening unit: a
            # running line would have had room for it
            score += layout.band_weight
        elif indent < 4 and gap_next == indent - 2 and nxt.text[-1:] in NO_LINE_START:
            # As wide as a first line that squeezed in the mark it ends with (clreq,
            # line-start prohibition): where the indent is one character that is a
            # full line's width, and a running line ends on a mark only as often as
            # a first line squeezes one in; weak evidence either way.
            score += SQUEEZED_FULL_WEIGHT
        elif gap_next - nxt.slack <= 1 or (explained and gap_next < indent):
            score += layout.full_weight   # a full line goes on with the paragraph
            if layout.wider_than_first(nxt, column):
                score += WIDER_THAN_FIRST
    return score

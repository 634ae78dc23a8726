"""Headings: in place between paragraphs, or displaced in a block at either end.

A heading line stands alone between blank lines, does not end with punctuation
and is clearly shorter (or wider) than a full line of its column. It is in place
when the text before it ends a sentence and the line after it opens a paragraph;
a run of such lines at the end (or start) of the body is a displaced block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..manifest import squash
from .layout import HEADING_SHARE, Layout
from .lines import NO_LINE_START, Line, ends_sentence, ends_with_punct, leading_unit_width
from .isolated import column_break_rate, heading_odds, pairs_of, reads_on
from .report import Report

_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十百\d]+[）)]")
# Numbered headings: "一、", "（二）", "第三章", "4." — the numbering says heading
# even when the line is as wide as a first line.
_NUMBERINGS = (r"[（(][一二三四五六七八九十百\d]+[）)]", r"[一二三四五六七八九十百]+、",
               r"第[一二三四五六七八九十百\d]+[章节部分篇回]", r"\d{1,2}[.．、]\D")
NUMBERED = re.compile("^(?:" + "|".join(_NUMBERINGS) + ")")
_FORMS = tuple(re.compile("^" + form) for form in _NUMBERINGS)  # each form on its own
MAX_HEADING_WIDTH = 80


def numbering_form(text: str) -> int | None:
    """Which form of numbering opens the line, if any."""
    return next((k for k, form in enumerate(_FORMS) if form.match(text)), None)


def _paragraph_numbering(lines: list[Line]) -> set[int]:
    """Forms of numbering that open paragraphs running on into their next line
    ("（一）大力发展人工智能，加快" / "培育……"): in this text that numbering says
    item, not heading."""
    return {numbering_form(l.text) for i, l in enumerate(lines)
            if not l.blank_after and (l.blank_before or (i and ends_sentence(lines[i - 1].text)))
            and numbering_form(l.text) is not None}


@dataclass
class HeadingPair:
    heading: str | None
    subheading: str | None
    lines: list[Line]


@dataclass
class Structure:
    text: list[Line]                                          # body lines that are text
    # first text line number of a section -> the heading pairs before it (several
    # pairs in a row head empty sections but the last)
    inplace: dict[int, list[HeadingPair]] = field(default_factory=dict)
    displaced: list[Line] = field(default_factory=list)


def _alternate(lines: list[Line]) -> bool:
    """Does a displaced block alternate heading and subheading? Only when its layout
    says so: two pairs at least, every heading line of one form (sharing an opening
    or an ending of two characters, as "强化政治引领", "强化思想引领"...) that the
    subheading lines do not share, or every second line opening with a dash."""
    if len(lines) % 2 or len(lines) < 4:
        return False
    heads, subs = [l.text for l in lines[0::2]], [l.text for l in lines[1::2]]
    if all(t.startswith(("——", "—", "--")) for t in subs):
        return True

    def shared(texts: list[str]) -> bool:
        return len({t[:2] for t in texts}) == 1 or len({t[-2:] for t in texts}) == 1

    return shared(heads) and not shared(subs)


def pair_up(lines: list[Line], displaced: bool = False) -> list[HeadingPair]:
    """Heading lines in order -> heading/subheading pairs.

    Numbered lines ("一、", "（二）") each head a section of their own, "（一）"
    style as a subheading. In place, an even run before one paragraph pairs up
    (heading, then its subheading) and an odd run stands as single headings; in a
    displaced block, lines pair up only when the block alternates (`_alternate`):
    two separate headings are never taken for one heading and its subheading."""
    def single(line: Line) -> HeadingPair:
        if _SUBHEADING.match(line.text):
            return HeadingPair(None, line.text, [line])
        return HeadingPair(line.text, None, [line])

    if len(lines) % 2 or any(NUMBERED.match(l.text) for l in lines) or (displaced and not _alternate(lines)):
        return [single(l) for l in lines]
    return [HeadingPair(lines[i].text, lines[i + 1].text, lines[i:i + 2])
            for i in range(0, len(lines), 2)]


_PAIRS = ("（）", "()", "“”", "‘’", "《》", "「」", "『』", "【】")


def runs_on(text: str) -> bool:
    """A line that cannot be a whole heading: it ends a sentence inside ("稳产优供基础
    持续巩固。建设") or leaves a bracket or quotation open or closes one it did not
    open ("在主从式架构（客户端-服务器"): its text runs on into the next line."""
    if any(mark in text[:-1] for mark in "。！？"):
        return True
    return any(text.count(a) != text.count(b) for a, b in _PAIRS)


def _loose(line: Line, known: set[str]) -> bool:
    """Could be a heading line (one that stands alone): not ending like a sentence
    or a clause, not running on, and not too long."""
    if squash(line.text) in known:
        return True
    return not ends_with_punct(line.text) and not runs_on(line.text) and line.width <= MAX_HEADING_WIDTH


def _strict(line: Line, layout: Layout) -> bool:
    """Clearly narrower (or wider) than a first line that lost its indent and then
    hit a column break: an isolated line of this width is a heading."""
    column = layout.column(line)
    tol = layout.tolerance(column)
    # A body line overflows its column only by a mark squeezed in at its end; Latin
    # on it may make it look narrower than it is set.
    overflows = line.width > column + 2 or (line.width > column and line.text[-1] not in NO_LINE_START)
    return line.width + line.slack < column - layout.indent_of(column) - tol or overflows


def _running_width(line: Line, layout: Layout) -> bool:
    """As wide as a full line of its column, give or take what line breaking leaves."""
    column = layout.column(line)
    return column - layout.tolerance(column) <= line.width + line.slack and line.width <= column + 2


def _run(flags: list[bool], start: int, step: int) -> int:
    """Length of the run of true flags from `start` going in direction `step`."""
    n, i = 0, start
    while 0 <= i < len(flags) and flags[i]:
        n, i = n + 1, i + step
    return n


def find_headings(lines: list[Line], layout: Layout, known: set[str], report: Report,
                  title: str = "") -> Structure:
    # A heading stands alone between blank lines; in clean text (one paragraph a
    # line) any line with text after it may be one.
    alone = [l.isolated or (layout.unwrapped and i + 1 < len(lines)) for i, l in enumerate(lines)]
    # ...but not when the next line opens with a mark that cannot start a line:
    # then the text runs on ("（IaaS" / "）云计算……").
    alone = [a and not (i + 1 < len(lines) and lines[i + 1].text[:1] in NO_LINE_START)
             for i, a in enumerate(alone)]
    loose = [a and _loose(l, known) for a, l in zip(alone, lines)]
    known_line = [squash(l.text) in known for l in lines]
    rate, pairs, squashed_title = column_break_rate(lines, layout), pairs_of(lines), squash(title)
    # A displaced block at the end or the start: every line in it may be as wide
    # as a first line, so it is found with the loose test.
    tail = _run(loose, len(lines) - 1, -1)
    head = _run(loose, 0, 1)
    # The block's inner edge may be text: the first line of the text's first
    # paragraph cut off by a column break. With a manifest, the block holds the
    # lines it names; without, a line the text reads on from is no heading.
    # A line as wide as a running line there is text cut off by column breaks too.
    while 0 < head < len(lines) and not known_line[head - 1] and (
            any(known_line) or reads_on(lines[head - 1], lines[head], pairs)
            or (_running_width(lines[head - 1], layout) and not NUMBERED.match(lines[head - 1].text))):
        head -= 1
    while 0 < tail < len(lines) and not known_line[len(lines) - tail] and any(known_line):
        tail -= 1
    at_end = tail >= 2 and tail < len(lines) or (tail == 1 and known_line[-1] and len(lines) > 1)
    # In place, a heading is narrower or wider than a first line; as wide as one,
    # the evidence is weighed (isolated.py). A line of the title line is a heading.
    items = _paragraph_numbering(lines)
    # The body's first line often heads the first section, unless the headings
    # stand displaced at the end or a manifest names them.
    opening = not at_end and not any(known_line)
    flags = []
    for i, (f, line, k) in enumerate(zip(loose, lines, known_line)):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        after = lines[i + 2] if i + 2 < len(lines) else None
        in_title = len(squash(line.text)) >= 4 and squash(line.text) in squashed_title
        numbered = numbering_form(line.text) not in items | {None}
        flags.append(f and (k or in_title or _strict(line, layout) or heading_odds(
            line, nxt, layout, rate, pairs, numbered, after, opening and i == 0) > 0))
    if at_end:
        for k in range(len(lines) - tail, len(lines)):
            flags[k] = True
    elif head < len(lines) and (head >= 3 or (head and all(known_line[:head]))):
        for k in range(head):
            flags[k] = True
    groups: list[tuple[int, int]] = []  # [start, end) runs of candidate lines
    i = 0
    while i < len(lines):
        if flags[i]:
            j = i
            while j < len(lines) and flags[j]:
                j += 1
            groups.append((i, j))
            i = j
        else:
            i += 1

    structure = Structure(text=[])
    heading_at: dict[int, tuple[int, int]] = {}
    for start, end in groups:
        run = lines[start:end]
        is_known = all(squash(l.text) in known for l in run)
        at_end = end == len(lines) and (end - start >= 2 or is_known) and start > 0
        at_start = start == 0 and (end - start >= 3 or is_known)
        if at_end or at_start:
            structure.displaced = run
            report.add(run[0].number, 0.9 if at_end else 0.8,
                       f"{len(run)} displaced heading lines at the {'end' if at_end else 'start'} of the text",
                       "displaced")
            for k in range(start, end):
                heading_at[k] = (start, end)
            continue
        if end >= len(lines):
            continue  # a short last line with nothing after it is the text's last paragraph
        # the text before ends a sentence, or a colon that introduces what follows
        before = lines[start - 1] if start else None
        before_ok = before is None or ends_sentence(before.text) or before.text.endswith(("：", ":")) or \
            layout.is_short(before, False, leading_unit_width(lines[start].text))
        nxt = lines[end]
        column = layout.column(nxt)
        # The line after a heading opens a paragraph: as narrow as a first line
        # (a squeezed mark may add one), or short, or alone.
        indent = layout.indent_of(column)
        # A run of lines well short of the column needs no such evidence: a first
        # line cut off by a column break is as wide as a first line, or short only by
        # a word that did not fit on it ("相比之下，使用 " / "Serverless 架构，…").
        last = run[-1]
        narrow = all(l.width + l.slack < HEADING_SHARE * layout.column(l) for l in run) and \
            not last.trailing_space and \
            last.width + last.slack + leading_unit_width(nxt.text) < column - indent - layout.tolerance(column)
        # Nor does a run wider than any running line of its column, even with a
        # squeezed mark and layout spaces ("（一）圆满完成上合天津峰会筹备和服务保障任务"
        # over a first line that squeezed in its comma, as wide as a full line).
        wide = all(l.width > layout.column(l) + layout.tolerance(layout.column(l)) for l in run)
        after_ok = is_known or indent == 0 or layout.looks_first(nxt) or nxt.isolated \
            or layout.is_short(nxt, first=True) or nxt.width <= column - indent + 2 or narrow or wide
        if before_ok and after_ok:
            for k in range(start, end):
                heading_at[k] = (start, end)
            if end - start > 2:
                report.add(run[0].number, 0.6, f"{end - start} heading lines in a row, paired in order", "heading")
        elif end - start == 1:
            report.add(run[0].number, 0.7, "isolated short line read as text, not a heading", "heading")

    pending: list[Line] = []
    for index, line in enumerate(lines):
        if index not in heading_at:
            if pending:
                structure.inplace[line.number] = pair_up(pending)
                pending = []
            structure.text.append(line)
        elif line not in structure.displaced:
            pending.append(line)
    return structure

"""The editor's paragraph breaks and joins ([paragraphs] in the manifest), applied to
the recovered paragraphs before sections are placed.

Where a text's widths allow two readings (a full line ending a sentence, then a
column break), the normalizer takes one and the proof page shows it with its
confidence. An editor who reads it the other way says so in the manifest, by the
text where the second paragraph begins:
- `breaks`: a paragraph begins at this text (the paragraph holding it is split);
- `joins`: the paragraph that begins with this text goes on from the one before.
Either, where the text already reads so, changes nothing. Nothing is dropped or
moved: the paragraphs' texts, read in order, are the same characters.
"""
from __future__ import annotations

from ..errors import UserError
from ..manifest import Manifest, squash
from .headings import HeadingPair
from .lines import Line, join_lines
from .report import Decision, Report
from .sections import Para, locate


def edit_paragraphs(paras: list[Para], manifest: Manifest, inplace: dict[int, list[HeadingPair]],
                    text: list[Line], report: Report) -> None:
    """Apply the manifest's breaks, then its joins, to `paras` in place. `text`: the
    body's text lines in order, to find the line a new paragraph opens on."""
    order = _nonblank(text)
    for index, anchor in enumerate(manifest.breaks, 1):
        label = f"paragraphs.breaks[{index}]"
        p, offset = locate(paras, anchor, manifest, label)
        para = paras[p]
        if offset == 0:
            report.add(para.line, 1.0, f"{label}: a paragraph already begins here", "manifest")
            continue
        opening, at_start = _line_at(para, offset, order)
        paras[p:p + 1] = [Para(para.text[:offset].rstrip(), para.line), Para(para.text[offset:].lstrip(), opening)]
        message = f"{label}: paragraph break set by the manifest"
        if at_start:
            _overrule(report, order, opening, message)
        else:  # inside a line: no decision of the normalizer's was about it
            report.add(opening, 1.0, message, "manifest")
    for index, anchor in enumerate(manifest.joins, 1):
        label = f"paragraphs.joins[{index}]"
        p, offset = locate(paras, anchor, manifest, label)
        para = paras[p]
        if offset > 0:
            report.add(_line_at(para, offset, order)[0], 1.0, f"{label}: already inside a paragraph", "manifest")
            continue
        if p == 0:
            raise UserError(manifest.path, f"{label} \"{anchor}\" begins the text: there is no paragraph before it "
                                           f"to join it to")
        if para.line in inplace:
            raise UserError(manifest.path, f"{label} \"{anchor}\" (line {para.line}) follows a heading: "
                                           f"a paragraph does not run across a heading")
        before = paras[p - 1]
        paras[p - 1:p + 1] = [Para(join_lines(before.text, para.text), before.line)]
        _overrule(report, order, para.line, f"{label}: joined to the paragraph before by the manifest")


def _nonblank(text: list[Line]) -> list[Line]:
    return [line for line in text if line.text.strip()]


def _from_first(para: Para, order: list[Line]) -> list[Line]:
    """The text lines from the paragraph's first one on (none if it is not among them)."""
    start = next((k for k, line in enumerate(order) if line.number == para.line), len(order))
    return order[start:]


def _line_at(para: Para, offset: int, order: list[Line]) -> tuple[int, bool]:
    """The source line on which character `offset` of the paragraph stands, and
    whether it opens that line."""
    target = len(squash(para.text[:offset]))
    count = 0
    for line in _from_first(para, order):
        width = len(squash(line.text))
        if count + width > target:
            return line.number, count == target
        count += width
    return para.line, False


def _overrule(report: Report, order: list[Line], opening: int, message: str) -> None:
    """The manifest's decision stands at the line before `opening`, where the
    normalizer reported its own break or join: that one is taken back."""
    before = next((line.number for line in reversed(order) if line.number < opening), opening)
    report.retract(before, kinds=("break", "join"))
    report.add(before, 1.0, message, "manifest")


def other_reading(decision: Decision, paras: list[Para], text: list[Line],
                  headed: set[int]) -> tuple[str, str] | None:
    """The [paragraphs] entry that reads a break or join the other way: ("breaks" or
    "joins", its anchor), for the proof page; None for other decisions, or a join
    that would run across a heading (`headed`: the first lines of sections)."""
    if decision.kind not in ("break", "join") or decision.line is None:
        return None
    order = _nonblank(text)
    after = next((line for line in order if line.number > decision.line), None)
    if after is None:
        return None
    holding = [k for k, para in enumerate(paras) if para.line <= after.number]
    if not holding:
        return None
    p = holding[-1]
    para = paras[p]  # the paragraph holding the line after the decision
    if decision.kind == "break":
        if para.line != after.number or para.line in headed or p == 0:
            return None
        offset, key = 0, "joins"
    else:
        offset = sum(len(squash(line.text)) for line in _from_first(para, order) if line.number < after.number)
        key = "breaks"
    flat = [squash(p.text) for p in paras]
    whole = "".join(flat)
    begin = sum(len(t) for t in flat[:p])
    at, end = begin + offset, begin + len(flat[p])
    # As short as is unique in the article, from six characters, and inside the
    # paragraph: an anchor running on into the next one would join them.
    size = 6
    while whole.find(whole[at:at + size]) != whole.rfind(whole[at:at + size]):
        if at + size >= end:
            return None
        size += 1
    if at + size > end:
        return None
    return key, whole[at:at + size]

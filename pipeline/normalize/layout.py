"""The page layout behind a raw extraction: column widths and the lost indent.

Newspapers set the body in one narrow column and some blocks (a lead, a box) at
another width. Every decision about a line compares it with the width of *its*
column, so the columns are measured first, per block.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from math import log
from statistics import median

from .lines import (NO_LINE_END, NO_LINE_START, Line, ends_sentence, ends_with_punct, leading_unit_width,
                    space_may_hide, squeezable_width)

HEADING_SHARE = 0.75  # an isolated line narrower than this share of its column may be a heading
WIDE_FACTOR = 1.4   # a line this much wider than the body column is set at another width


@dataclass
class Layout:
    body_column: int              # display width of a full body line
    columns: dict[int, int]       # line number -> width of a full line in its column
    deficit: dict[int, int]       # column width -> how much narrower a first line is (lost indent)
    explicit_indent: bool         # leading whitespace in the source marks paragraph starts
    # log-odds a blank line (True) or none (False) adds for a paragraph break,
    # measured on this text: blank lines at certain breaks versus at column breaks
    blank_weight: dict = None
    unwrapped: bool = False       # one paragraph a line: the text was never hard-wrapped
    band_weight: float = 2.0      # log-odds a next line as narrow as a first line adds
    # the same, where the line after it says a character was pushed down (pushed_down)
    pushed_weight: float = 1.0
    full_weight: float = -2.5     # log-odds a full next line adds
    # Latin set in a proportional face, wider than its display width (measured:
    # running lines holding Latin fall short of the column by about their slack)
    proportional: bool = False
    # where the paper does not indent: how often a line that ends a sentence at its
    # column's end ends its paragraph, with a blank line after it (True) or none
    # (False), measured on this text (band_break); None where it indents
    band_break: dict | None = None
    blank_rates: tuple | None = None  # how often a blank follows a certain break, a certain run-on

    def column(self, line: Line) -> int:
        return self.columns.get(line.number, self.body_column)

    def tolerance(self, column: int) -> int:
        """How far below the column a full line may end (compressed punctuation,
        a character pushed down by line-start prohibition, half-width digits)."""
        return max(4, round(column * 0.08))

    def indent_of(self, column: int) -> int:
        return self.deficit.get(column, 0)

    def is_short(self, line: Line, first: bool, next_unit: int = 2) -> bool:
        """Shorter than a line of this kind can be unless a paragraph ends on it.
        `next_unit` is the width of what starts the next line: a long Latin word
        that did not fit explains a short line."""
        column = self.column(line)
        expected = column - (self.indent_of(column) if first else 0)
        # Latin on the line may be set wider than its display width.
        return line.width + line.slack < expected - max(self.tolerance(column), next_unit)

    def room(self, line: Line, column: int) -> float:
        """How far the line falls short of the column, its Latin counted as wide as
        the paper sets it where that is proportional."""
        return column - line.width - (line.slack if self.proportional else 0.0)

    def first_gap(self, line: Line, column: int | None = None) -> bool:
        """Narrower than the column as a first line that lost its indent is: by the
        indent, or by up to a character more (line-start prohibition pushed one down),
        the layout spaces beside its digits counted or not (they may have taken no
        room); or, ending with a mark squeezed in at the line's end (clreq, prohibition
        rules for line start), by the indent less that mark. Only an indent of two
        characters or more keeps that apart from a full line ending in a mark."""
        column = self.column(line) if column is None else column
        indent = self.indent_of(column)
        if not indent:
            return False
        gap = self.room(line, column)
        if indent <= gap <= indent + 3 or indent <= gap + line.layout_spaces <= indent + 3:
            return True
        return indent >= 4 and line.text[-1:] in NO_LINE_START and indent - 2 <= gap < indent

    def wider_than_first(self, line: Line, column: int) -> bool:
        """Wider than a first line can be, where the indent is two characters or more:
        even with the marks it ends with squeezed in at its end, and the layout
        spaces the extraction put beside its digits taking no width."""
        indent = self.indent_of(column)
        return indent >= 4 and self.room(line, column) + line.layout_spaces < indent - squeezable_width(line.text)

    def pushed_down(self, line: Line, after: Line | None, column: int) -> bool:
        """Is `line` as short as a running line whose last character the prohibition
        rules carried down (clreq 3.1.7): the next line opens with a character and a
        mark that may not start a line, or with an opening mark that may not end one?
        Where the indent is one character, that is the same width as a first line."""
        if after is None or column - line.width > 2:
            return False
        return after.text[1:2] in NO_LINE_START or after.text[:1] in NO_LINE_END

    def looks_first(self, line: Line) -> bool:
        """Narrower than a full line by about the lost indent: a paragraph's first line."""
        if self.explicit_indent:
            return line.indent > 0
        column = self.column(line)
        indent = self.indent_of(column)
        if indent == 0:
            return False
        return column - indent - self.tolerance(column) <= line.width <= column - indent + 1 \
            or self.first_gap(line, column)


def _full_width(widths: list[int]) -> int:
    """The width most lines of a column reach: the densest window of 5 units."""
    counts = Counter(widths)
    best, best_count = max(widths), -1
    for candidate in sorted(counts):
        count = sum(n for w, n in counts.items() if candidate - 4 <= w <= candidate)
        if count > best_count or (count == best_count and candidate > best):
            best, best_count = candidate, count
    # The densest window's upper end can sit on a few wide outliers; take the
    # most common width inside it as the column.
    window = [w for w in widths if best - 4 <= w <= best]
    return Counter(window).most_common(1)[0][0] if window else best


def is_unwrapped(lines: list[Line]) -> bool:
    """Clean text with one paragraph a line: most lines end a sentence and their
    widths gather around no column. Hard-wrapped text ends a sentence on a line's
    end far less often, and most of its lines share one width."""
    text = [l for l in lines if ends_with_punct(l.text) or len(l.text) > 12]
    if len(text) < 2:
        return False
    ending = sum(1 for l in text if ends_sentence(l.text) or l.text.endswith(("：", "”", "」")))
    widths = Counter(l.width for l in text)
    densest = max(sum(n for w, n in widths.items() if c - 4 <= w <= c + 2) for c in widths)
    share = ending / len(text)
    # Long lines that stop mid-sentence and run on into the next line are what
    # hard wrapping leaves; clean text has almost none.
    running = sum(1 for l in text if not ends_with_punct(l.text) and not l.blank_after)
    if running > 0.2 * len(text):
        return False
    return share >= 0.8 or (share >= 0.6 and densest / len(text) < 0.5)


def measure(lines: list[Line]) -> Layout:
    if not lines:
        return Layout(0, {}, {}, False)
    if is_unwrapped(lines):
        return Layout(max(l.width for l in lines), {}, {}, False, {True: 0.0, False: 0.0},
                      unwrapped=True)
    # A line that does not end a sentence ran on to the column's end: those lines
    # tell the column width best (few of them in a short text still beat all lines).
    running = [l.width for l in lines if not ends_sentence(l.text) and not l.isolated]
    widths = running if len(running) >= 2 else [l.width for l in lines]
    mid = median(widths)
    body = _full_width([w for w in widths if w >= 0.7 * mid] or widths)
    if len(lines) < 8:
        # Too few lines to find the column's usual width: no line is wider than it.
        body = max(body, max(l.width for l in lines) - 2)
    columns: dict[int, int] = {}

    # Wide regions: runs of lines wider than the body column, with the short
    # lines between and right after them (the ends of their paragraphs).
    # A heading set across columns is wide too, but alone: it is no block of text.
    over = [l.width > body * WIDE_FACTOR for l in lines]
    wide = [w and not (l.isolated and not ends_with_punct(l.text)
                       and not (i and over[i - 1]) and not (i + 1 < len(lines) and over[i + 1]))
            for i, (w, l) in enumerate(zip(over, lines))]
    i = 0
    while i < len(lines):
        if not wide[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and (wide[j + 1] or (j + 2 < len(lines) and wide[j + 2]
                                                      and lines[j + 1].width > body)):
            j += 1
        if j + 1 < len(lines) and lines[j + 1].width > body + 4 and not ends_sentence(lines[j].text):
            j += 1
        region = lines[i:j + 1]
        column = _full_width([l.width for l in region if l.width > body * WIDE_FACTOR])
        for l in region:
            columns[l.number] = column
        i = j + 1

    explicit = _explicit_indent(lines)
    layout = Layout(body, columns, {}, explicit, {True: 2.0, False: -1.5})
    layout.proportional = _proportional(lines, layout)
    layout.deficit = _deficits(lines, layout)
    layout.blank_weight = _blank_weight(lines, layout)
    layout.band_break = _band_break(lines, layout)
    return layout


def _band_break(lines: list[Line], layout: Layout) -> dict | None:
    """How often a line that ends a sentence within the tolerance of its column's end
    ends a paragraph in this text, after a blank line and without one: how sure a
    decision there can be, where no lost indent tells.

    Those lines are paragraph ends and sentence ends that run on, in proportions
    unknown; blank lines follow the first as often as they follow certain breaks and
    the others as often as they follow full lines that run on (blank_rates). How
    many of those lines have a blank after them tells the proportion."""
    if layout.explicit_indent or any(layout.deficit.values()) or layout.blank_rates is None:
        return None  # an indent tells (paragraphs.py decides by it, never by this)
    at_break, at_run = layout.blank_rates
    band = blank = 0
    for line in lines:
        column = layout.column(line)
        if not line.isolated and ends_sentence(line.text) and \
                column - line.width - line.slack < layout.tolerance(column):
            band += 1
            blank += line.blank_after
    if at_break - at_run < 0.2 or band < 2:
        return None  # blank lines tell nothing here
    ends = min(max((blank - band * at_run) / (at_break - at_run), 0.5), band - 0.5)
    runs = band - ends
    return {True: ends * at_break / (ends * at_break + runs * at_run),
            False: ends * (1 - at_break) / (ends * (1 - at_break) + runs * (1 - at_run))}


def _rates(hits_a: int, n_a: int, hits_b: int, n_b: int) -> tuple[float, float]:
    """How often a signal comes with A and with B, smoothed."""
    return (hits_a + 1) / (n_a + 2), (hits_b + 0.5) / (n_b + 1.5)


def _ratio(hits_a: int, n_a: int, hits_b: int, n_b: int) -> tuple[float, float]:
    """Log likelihood ratios (signal present, signal absent) of A over B, smoothed
    and clamped: a short text must not make any one signal overwhelming."""
    return _log_ratios(*_rates(hits_a, n_a, hits_b, n_b))


def _log_ratios(p_a: float, p_b: float) -> tuple[float, float]:
    clamp = lambda x: max(-4.0, min(4.0, x))
    return clamp(log(p_a / p_b)), clamp(log((1 - p_a) / (1 - p_b)))


def _blank_weight(lines: list[Line], layout: Layout) -> dict:
    """How much a blank line, and a next line as narrow as a first line, say about
    a paragraph break in this text.

    After a line that ends a sentence well short of its column the paragraph
    certainly ends; after a full line that does not end a sentence it certainly
    goes on. How often each signal follows each kind gives its likelihood ratio."""
    blank = {"break": [0, 0], "on": [0, 0]}
    band = {"break": [0, 0], "on": [0, 0]}
    pushed = {"break": [0, 0], "on": [0, 0]}
    full = {"break": [0, 0], "on": [0, 0]}
    for i, (line, nxt) in enumerate(zip(lines, lines[1:])):
        column = layout.column(line)
        if layout.column(nxt) != column:
            continue
        tol = layout.tolerance(column)
        if ends_sentence(line.text) and line.width < column - 2 * tol:
            kind = "break"
        elif not ends_sentence(line.text) and line.width >= column - tol:
            kind = "on"
        else:
            continue
        blank[kind][0] += line.blank_after
        blank[kind][1] += 1
        if ends_sentence(nxt.text) or (nxt.isolated and not ends_sentence(nxt.text)):
            continue  # a one-line paragraph, a short last line or a heading
        gap, indent = column - nxt.width, layout.indent_of(column)
        after = lines[i + 2] if i + 2 < len(lines) else None
        narrow, carried = layout.first_gap(nxt, column), layout.pushed_down(nxt, after, column)
        band[kind][0] += narrow and not carried
        band[kind][1] += 1
        pushed[kind][0] += narrow and carried
        pushed[kind][1] += 1
        full[kind][0] += gap <= 1
        full[kind][1] += 1
    layout.blank_rates = _rates(*blank["break"], *blank["on"])
    b = _log_ratios(*layout.blank_rates)
    layout.band_weight = _ratio(*band["break"], *band["on"])[0]
    layout.pushed_weight = _ratio(*pushed["break"], *pushed["on"])[0]
    # Where the paper indents, a full line after a break is a column break or a
    # heading away: never weaker evidence than this floor, whatever a few samples say.
    layout.full_weight = min(_ratio(*full["break"], *full["on"])[0], -2.5)
    return {True: b[0], False: b[1]}


def _proportional(lines: list[Line], layout: Layout) -> bool:
    """Does the paper set Latin and figures proportionally, with a quarter em beside
    Han (clreq 3.2.2)? Then running lines (inside a sentence, text after them) that
    hold Latin fall short of the column by about the slack they carry; set at half
    an em, they reach it like the others."""
    plain, latin = [], []
    for line, nxt in zip(lines, lines[1:]):
        column = layout.column(line)
        if ends_with_punct(line.text) and not line.text.endswith(("，", "、")) or line.blank_after \
                or layout.column(nxt) != column or line.width < column - 2 * layout.tolerance(column) \
                or leading_unit_width(nxt.text) > 2:
            continue  # a word or number pushed down shortens a line whatever the face
        (latin if line.slack >= 1.0 else plain).append(column - line.width)
    if len(latin) < 5 or len(plain) < 5:
        return False
    return median(latin) - median(plain) >= 1


def _explicit_indent(lines: list[Line]) -> bool:
    indented = sum(1 for l in lines if l.indent > 0)
    return 0 < indented < 0.5 * len(lines)


def _deficits(lines: list[Line], layout: Layout) -> dict[int, int]:
    """Per column, the typical width lost by a paragraph's first line.

    Measured on the lines that follow a likely paragraph end (a line that ends a
    sentence short of the column, or before a blank line) and go on to the next
    line: they do not end a sentence, so they ran to the column's end."""
    samples: dict[int, list[Shortfall]] = {}
    sure: dict[int, list[Shortfall]] = {}  # after a line that ends a sentence well short of the column
    for prev, line, nxt in zip([None, *lines], lines, [*lines[1:], None]):
        column = layout.column(line)
        tol = layout.tolerance(column)
        certain = False
        if prev is None or (prev.isolated and not ends_with_punct(prev.text) and (
                prev.width + prev.slack < HEADING_SHARE * column or prev.width > column + 2)):
            pass  # the body's first line, or the line after a heading (narrow or wide:
            # an isolated line about as wide as the column is text a column break cut off)
        elif layout.column(prev) != column or not ends_sentence(prev.text):
            continue
        elif prev.width + prev.slack < column - tol - 2:
            certain = True
        elif not prev.blank_after:
            continue  # a full line ending a sentence, a blank after it: a paragraph end or a column break
        if line.width > column + tol or line.width < column * 0.5:
            continue
        if ends_sentence(line.text) or (line.isolated and not line.text.endswith(("，", "、"))):
            continue  # a one-line paragraph or a heading: its width is not a full line's
        shortfall = Shortfall.of(line, nxt, column, layout.proportional)
        samples.setdefault(column, []).append(shortfall)
        if certain:
            sure.setdefault(column, []).append(shortfall)
    # Running lines (after a line inside a sentence) fall short too, by a character
    # pushed down or a word that did not fit: where the paper does not indent, first
    # lines fall short as often as they do, and no more.
    short_running: dict[int, list[bool]] = {}
    for prev, line in zip(lines, lines[1:]):
        column = layout.column(line)
        if layout.column(prev) != column or ends_sentence(prev.text) or ends_sentence(line.text) \
                or line.isolated or line.width > column + layout.tolerance(column) or line is lines[-1]:
            continue
        short_running.setdefault(column, []).append(column - line.width >= layout.tolerance(column) / 2)
    result = {}
    for column, values in samples.items():
        # Column breaks put blanks after full lines too: where enough paragraph ends
        # are certain, they alone say what a first line loses.
        if len(sure.get(column, [])) >= 3:
            values = sure[column]
        # Full lines after a column-break blank say 0; first lines say the indent.
        lost = [v for v in values if v.gap >= layout.tolerance(column) / 2]
        running = short_running.get(column, [])
        share = max(0.3, (1 + sum(running) / len(running)) / 2) if len(running) >= 10 else 0.3
        if len(lost) >= max(2, share * len(values)):
            result[column] = _indent_fitting(lost)
        else:
            deficit = median([v.gap for v in values])
            # An indent is whole ems, an even display width.
            result[column] = int(round(deficit)) // 2 * 2 if deficit >= layout.tolerance(column) / 2 else 0
    return result


@dataclass(frozen=True)
class Shortfall:
    """How far a line that may be a first line falls short of its column, and the
    indents that would explain it: the indent and less than what opens the next
    line (it did not fit), or the indent less the marks squeezed in at its end."""
    gap: int
    low: int    # the smallest indent that explains the gap
    high: int   # the largest

    @classmethod
    def of(cls, line: Line, nxt: Line | None, column: int, proportional: bool) -> "Shortfall":
        gap = max(0, column - line.width)
        unit = leading_unit_width(nxt.text) if nxt else 2
        # Proportional Latin takes more room than its display width; a space
        # dropped at the break, and layout spaces beside digits that took no room,
        # leave a line looking shorter or wider than it was.
        slack = line.slack if proportional else 0.0
        hidden = nxt is not None and space_may_hide(line, nxt)
        spaces = line.layout_spaces
        return cls(gap, int(gap - slack) - max(2, unit) + 1 - hidden,
                   gap + spaces + squeezable_width(line.text))


def _indent_fitting(lost: list[Shortfall]) -> int:
    """The indent (whole ems: an even display width) that explains the most of
    these shortfalls; on a tie, the one that most of them meet exactly, then the
    one nearest their median."""
    mid = median([v.gap for v in lost])
    candidates = range(2, max(v.gap for v in lost) + 1, 2)
    return max(candidates, key=lambda d: (sum(v.low <= d <= v.high for v in lost),
                                          sum(v.gap == d for v in lost), -abs(d - mid)))

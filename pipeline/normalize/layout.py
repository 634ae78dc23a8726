"""The page layout behind a raw extraction: column widths and the lost indent.

Newspapers set the body in one narrow column and some blocks (a lead, a box) at
another width. Every decision about a line compares it with the width of *its*
column, so the columns are measured first, per block.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import median

from .lines import Line, ends_sentence

WIDE_FACTOR = 1.4   # a line this much wider than the body column is set at another width


@dataclass
class Layout:
    body_column: int              # display width of a full body line
    columns: dict[int, int]       # line number -> width of a full line in its column
    deficit: dict[int, int]       # column width -> how much narrower a first line is (lost indent)
    explicit_indent: bool         # leading whitespace in the source marks paragraph starts

    def column(self, line: Line) -> int:
        return self.columns.get(line.number, self.body_column)

    def tolerance(self, column: int) -> int:
        """How far below the column a full line may end (compressed punctuation,
        a character pushed down by line-start prohibition, half-width digits)."""
        return max(4, round(column * 0.08))

    def indent_of(self, column: int) -> int:
        return self.deficit.get(column, 0)

    def is_full(self, line: Line) -> bool:
        column = self.column(line)
        return line.width >= column - self.tolerance(column)

    def is_short(self, line: Line, first: bool) -> bool:
        """Shorter than a line of this kind can be unless a paragraph ends on it."""
        column = self.column(line)
        expected = column - (self.indent_of(column) if first else 0)
        return line.width < expected - self.tolerance(column)

    def looks_first(self, line: Line) -> bool:
        """Narrower than a full line by about the lost indent: a paragraph's first line."""
        if self.explicit_indent:
            return line.indent > 0
        column = self.column(line)
        indent = self.indent_of(column)
        if indent == 0:
            return False
        tol = self.tolerance(column)
        return column - indent - tol <= line.width <= column - max(2, indent // 2) and \
            line.width < column - tol // 2


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


def measure(lines: list[Line]) -> Layout:
    if not lines:
        return Layout(0, {}, {}, False)
    widths = [l.width for l in lines]
    mid = median(widths)
    body = _full_width([w for w in widths if w >= 0.7 * mid] or widths)
    columns: dict[int, int] = {}

    # Wide regions: runs of lines wider than the body column, with the short
    # lines between and right after them (the ends of their paragraphs).
    wide = [l.width > body * WIDE_FACTOR for l in lines]
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
    layout = Layout(body, columns, {}, explicit)
    layout.deficit = _deficits(lines, layout)
    return layout


def _explicit_indent(lines: list[Line]) -> bool:
    indented = sum(1 for l in lines if l.indent > 0)
    return 0 < indented < 0.5 * len(lines)


def _deficits(lines: list[Line], layout: Layout) -> dict[int, int]:
    """Per column, the typical width lost by a paragraph's first line.

    Measured on the lines that follow a certain paragraph end: a line that ends
    a sentence well short of the column."""
    samples: dict[int, list[int]] = {}
    for prev, line in zip(lines, lines[1:]):
        column = layout.column(line)
        if layout.column(prev) != column:
            continue
        tol = layout.tolerance(column)
        if ends_sentence(prev.text) and prev.width < column - 2 * tol:
            if line.width < column * 0.5:
                continue  # a one-line paragraph or a heading says nothing about indents
            samples.setdefault(column, []).append(max(0, column - line.width))
    result = {}
    for column, values in samples.items():
        deficit = median(values)
        result[column] = int(round(deficit)) if deficit >= layout.tolerance(column) / 2 else 0
    return result

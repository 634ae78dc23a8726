"""A typography checker for vertical PDFs (竖排), as tests/typography.py is for the
horizontal ones: it reads the characters and their positions (pdfplumber) and
measures what clreq asks of vertical text.

- a column's characters share one x (their centres, within X_TOLERANCE), upright or
  turned sideways (a Latin run or long number);
- columns run right to left, each top to bottom, and the page's text comes out in
  that order (the content stream's order is the reading order);
- every column of a paragraph but its last ends at the foot of the text block
  within EDGE_TOLERANCE; the head is where the highest column begins, the foot where
  the longest ends; a paragraph set in from the head may end all its full columns
  EPIGRAPH_INSET em above the foot instead (an epigraph, set in from both ends);
- a paragraph's first column starts 2 em below its block's head (the indent), the
  others at it; a list item's or note's first column begins with its marker (・, 1、,
  or a number and a space) hanging above the text's head; every column starts on a cell;
- no column starts with a mark that may not start a line, none ends with an opening
  mark; —— and …… are never split across columns; cells do not overlap, but where two
  marks meet the first may take half a cell (clreq 3.2.2);
- no vertical presentation form (U+FE10–FE4F) in the extracted text: the vertical
  marks read as the plain ones.

Columns are runs of characters at the body size, from `first_page` on (the title
page and the contents are set otherwise); which
column ends a paragraph is read from the next one: it starts indented, or lies more
than a column's pitch away (a heading, in Hei, stands between), or the text ends.
It knows nothing of the pipeline: it measures the PDF as a preflight would.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pdfplumber

NO_COLUMN_START = set("，。、；：？！）》」』〉】”’")
NO_COLUMN_END = set("（《「『〈【“‘")
MARKS = set("，。、；：？！（）《》「」『』〈〉【】〔〕“”‘’")
X_TOLERANCE = 0.5     # pt: a column's characters' centres from their median
EDGE_TOLERANCE = 0.5  # pt: a full column's last character from the foot
EPIGRAPH_INSET = 2.0  # em: an epigraph's columns stand in from the head and the foot
# Song and Kai, and Hei for run-in heads and strong text at the body size (headings
# are larger, running heads and folios smaller).
TEXT_FACES = ("Noto-Serif-CJK", "LXGW-WenKai", "Noto-Sans-CJK", "Noto-Sans-Mono-CJK")
# A character's place is its em box's, from its baseline: CJK faces draw on an
# ideographic em box 0.88 em above the baseline and 0.12 em below.
EM_ASCENT = 0.88


@dataclass
class VColumn:
    page: int
    x: float                   # centre
    tops: list[float]          # em-box tops of its cells
    text: str
    ends: list[float] = field(default_factory=list)  # and their feet
    sides: list[bool] = field(default_factory=list)  # turned sideways
    cells: list[str] = field(default_factory=list)   # their text
    spread: float = 0.0        # its characters' centres: greatest distance from the median
    first: bool = False        # begins a paragraph (indented)
    last: bool = False         # ends one


@dataclass
class VResult:
    columns: list[VColumn] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    head: float = 0.0
    foot: float = 0.0
    pitch: float = 0.0
    full: int = 0              # full columns measured at the foot
    indents: int = 0
    halves: int = 0            # marks set in half a cell, where two meet
    worst: float = 0.0         # pt, the farthest a full column ends from the foot
    page_text: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"{len(self.columns)} columns, {self.full} full within {self.worst:.2f} pt of the foot, "
                f"{self.indents} indents, {self.halves} half marks, {len(self.problems)} problems")


def _cells(page, size: float) -> list[dict]:
    """The page's cells at the body size in content-stream order: a character
    (its em box from its baseline), digits side by side in one cell (縱中橫), or a
    run turned sideways (its characters' boxes end to end down the column)."""
    cells: list[dict] = []
    for c in page.chars:
        if not c["text"].strip() or not any(f in c["fontname"] for f in TEXT_FACES):
            continue
        if c["upright"]:
            if abs(c["size"] - size) >= 0.2:
                continue
            top = page.height - c["matrix"][5] - EM_ASCENT * c["size"]
            char = dict(text=c["text"], x0=c["x0"], x1=c["x1"], top=top, end=top + size, side=False)
            if cells and not cells[-1]["side"] and abs(top - cells[-1]["top"]) < 0.5 \
                    and abs(c["x0"] - cells[-1]["x1"]) < 1.0:
                cells[-1].update(x1=c["x1"], text=cells[-1]["text"] + c["text"])
                continue
        else:  # sideways (turned clockwise): its em box is centred 0.38 em right of its baseline
            if abs(c["x1"] - c["x0"] - size) >= 0.2:
                continue
            centre = c["matrix"][4] + (EM_ASCENT - 0.5) * size
            char = dict(text=c["text"], x0=centre - size / 2, x1=centre + size / 2, top=c["top"], end=c["bottom"],
                        side=True)
            if cells and cells[-1]["side"] and abs(c["top"] - cells[-1]["end"]) < 0.25 * size \
                    and abs(char["x0"] - cells[-1]["x0"]) < 0.5:
                cells[-1].update(end=c["bottom"], text=cells[-1]["text"] + c["text"])
                continue
        cells.append(char)
    return cells


def _columns(page, number: int, size: float) -> tuple[list[VColumn], str]:
    """The page's body columns in content-stream order, and its text in that order."""
    cells = _cells(page, size)
    columns: list[VColumn] = []
    for cell in cells:
        centre = (cell["x0"] + cell["x1"]) / 2
        if columns and abs(columns[-1].x - centre) < size / 2 and cell["top"] > columns[-1].tops[-1]:
            column = columns[-1]
            column.tops.append(cell["top"])
            column.ends.append(cell["end"])
            column.sides.append(cell["side"])
            column.cells.append(cell["text"])
            column.text += cell["text"]
            column.spread = max(column.spread, abs(centre - column.x))
        else:
            columns.append(VColumn(number, centre, [cell["top"]], cell["text"], ends=[cell["end"]],
                                   sides=[cell["side"]], cells=[cell["text"]]))
    return columns, "".join(c["text"] for c in cells)


def _marker(column: VColumn, size: float) -> bool:
    """A list item's or note's first column: its bullet or number heads it (a number
    followed by 、 or by a blank cell)."""
    if re.match(r"(・|[0-9]{1,3}、)", column.text):
        return True
    number = column.cells[0]  # upright in one cell, then a blank cell
    return number.isdigit() and len(number) <= 2 and not column.sides[0] and len(column.tops) > 1 \
        and column.tops[1] - column.tops[0] > 1.5 * size


def check_vertical(path, size: float = 10.5, indent_em: float = 2.0, first_page: int = 1,
                   block: dict[int, tuple[float, float]] | None = None) -> VResult:
    """`block`: for odd and even pages (page % 2), the centres of the text block's
    first (rightmost) and last columns; by default the farthest right and left
    columns found on such pages."""
    result = VResult()
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if number < first_page:
                continue
            columns, text = _columns(page, number, size)
            result.page_text[number] = text
            for previous, column in zip(columns, columns[1:]):
                if column.x > previous.x - size:
                    result.problems.append(f"page {number}: column {column.text[:6]!r} is not left of "
                                           f"{previous.text[:6]!r} (reading order)")
            result.columns.extend(columns)
    if not result.columns:
        result.problems.append("no body columns")
        return result
    cols = result.columns
    result.head = min(c.tops[0] for c in cols)
    result.foot = max(c.ends[-1] for c in cols)
    pitches = [a.x - b.x for a, b in zip(cols, cols[1:]) if a.page == b.page]
    result.pitch = Counter(round(p, 1) for p in pitches).most_common(1)[0][0]
    # where a page's first column stands, and its last when the page is full, on
    # recto and verso pages (their inner margins are on other sides)
    right, left = {}, {}
    for parity in (0, 1):
        side = [c.x for c in cols if c.page % 2 == parity]
        if block and parity in block:
            right[parity], left[parity] = block[parity]
        elif side:
            right[parity], left[parity] = max(side), min(side)
    indent = indent_em * size
    paragraph_start, continuation = True, None  # the current paragraph's columns after the first start here
    paragraph_foot = None  # where the current paragraph's full columns end
    for k, column in enumerate(cols):
        where = f"page {column.page}, column {column.text[:8]!r}"
        if column.spread > X_TOLERANCE:
            result.problems.append(f"{where}: characters {column.spread:.2f} pt off the column's line")
        start = column.tops[0] - result.head
        if start % size > EDGE_TOLERANCE and size - start % size > EDGE_TOLERANCE:
            result.problems.append(f"{where}: starts {start:.2f} pt below the head, off the cells")
        for j, (end, top) in enumerate(zip(column.ends, column.tops[1:])):
            if top >= end - 0.05 or column.sides[j] and column.sides[j + 1]:
                continue
            # where two marks meet the first takes half a cell: its em box and a
            # neighbour's overlap by up to half (the mark's ink is in its kept half)
            if any(ch in MARKS for ch in column.cells[j:j + 2]) and end - top <= size / 2 + 0.05:
                result.halves += 1
                continue
            result.problems.append(f"{where}: characters overlap")
        if column.text[0] in NO_COLUMN_START:
            result.problems.append(f"{where}: starts with {column.text[0]}")
        if column.text[-1] in NO_COLUMN_END:
            result.problems.append(f"{where}: ends with {column.text[-1]}")
        if paragraph_start:
            column.first = not _marker(column, size)
            result.indents += column.first
            if column.first and start < EDGE_TOLERANCE:
                result.problems.append(f"{where}: a paragraph begins without its indent")
        nxt = cols[k + 1] if k + 1 < len(cols) else None
        if nxt is not None and column.text[-1] == nxt.text[0] and column.text[-1] in "—…":
            result.problems.append(f"{where}: {column.text[-1] * 2} split across columns")
        goes_on = False
        if nxt is not None and not _marker(nxt, size):
            following = nxt.tops[0] - result.head
            if nxt.page == column.page:
                along = column.x - nxt.x <= result.pitch * 1.5  # no heading or blank column between
            else:  # over the page: from its last place to the next page's first
                along = abs(column.x - left[column.page % 2]) <= 1 and abs(nxt.x - right[nxt.page % 2]) <= 1
            if continuation is not None:
                goes_on = along and abs(following - continuation) <= EDGE_TOLERANCE
            elif column.first:
                goes_on = along and abs(following - (start - indent)) <= EDGE_TOLERANCE
            else:  # after a hanging marker, the text's head is lower by the marker
                goes_on = along and 0 < following - start <= indent + EDGE_TOLERANCE
            if goes_on and continuation is None:
                continuation = following
        column.last = not goes_on
        paragraph_start = column.last
        if column.last:
            continuation, paragraph_foot = None, None
        else:
            result.full += 1
            if paragraph_foot is None:  # its first full column: at the foot, or an epigraph's
                inner = result.foot - EPIGRAPH_INSET * size
                set_in = continuation is not None and continuation > EDGE_TOLERANCE
                paragraph_foot = inner if set_in and abs(column.ends[-1] - inner) <= EDGE_TOLERANCE else result.foot
            off = abs(column.ends[-1] - paragraph_foot)
            result.worst = max(result.worst, off)
            if off > EDGE_TOLERANCE:
                result.problems.append(f"{where}: ends {off:.2f} pt from the foot")
    for number, text in result.page_text.items():
        forms = [ch for ch in text if "\ufe10" <= ch <= "\ufe4f"]
        if forms:
            result.problems.append(f"page {number}: vertical forms in the text: {''.join(forms[:5])}")
    return result

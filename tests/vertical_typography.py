"""A typography checker for vertical PDFs (竖排), as tests/typography.py is for the
horizontal ones: it reads the characters and their positions (pdfplumber) and
measures what clreq asks of vertical text.

- a column's characters share one x (their centres, within X_TOLERANCE);
- columns run right to left, each top to bottom, and the page's text comes out in
  that order (the content stream's order is the reading order);
- every column of a paragraph but its last ends at the foot of the text block
  within EDGE_TOLERANCE; the foot is where most columns end, the head where most
  begin;
- a paragraph's first column starts 2 em below the head (the indent), the others at it;
- no column starts with a mark that may not start a line, none ends with an opening
  mark; —— and …… are never split across columns;
- no vertical presentation form (U+FE10–FE4F) in the extracted text: the vertical
  marks read as the plain ones.

Columns are runs of characters at the body size, from `first_page` on (the title
page and the contents are set otherwise); which
column ends a paragraph is read from the next one: it starts indented, or lies more
than a column's pitch away (a heading, in Hei, stands between), or the text ends.
It knows nothing of the pipeline: it measures the PDF as a preflight would.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pdfplumber

NO_COLUMN_START = set("，。、；：？！）》」』〉】”’")
NO_COLUMN_END = set("（《「『〈【“‘")
X_TOLERANCE = 0.5     # pt: a column's characters' centres from their median
EDGE_TOLERANCE = 0.5  # pt: a full column's last character from the foot
# Song and Kai, and Hei for run-in heads and strong text at the body size (headings
# are larger, running heads and folios smaller).
TEXT_FACES = ("Noto-Serif-CJK", "LXGW-WenKai", "Noto-Sans-CJK")


@dataclass
class VColumn:
    page: int
    x: float                   # centre
    tops: list[float]
    text: str
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
    worst: float = 0.0         # pt, the farthest a full column ends from the foot
    page_text: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"{len(self.columns)} columns, {self.full} full within {self.worst:.2f} pt of the foot, "
                f"{self.indents} indents, {len(self.problems)} problems")


def _columns(page, number: int, size: float) -> tuple[list[VColumn], str]:
    """The page's body columns in content-stream order, and its text in that order."""
    chars = [c for c in page.chars if c["text"].strip() and abs(c["size"] - size) < 0.2
             and any(f in c["fontname"] for f in TEXT_FACES)]
    # A cell: one character, or digits side by side (縱中橫) at one height.
    cells: list[dict] = []
    for char in chars:
        if cells and abs(char["top"] - cells[-1]["top"]) < 0.5 and abs(char["x0"] - cells[-1]["x1"]) < 1.0:
            cells[-1] = dict(cells[-1], x1=char["x1"], text=cells[-1]["text"] + char["text"])
        else:
            cells.append(char)
    columns: list[VColumn] = []
    for char in cells:
        centre = (char["x0"] + char["x1"]) / 2
        if columns and abs(columns[-1].x - centre) < size / 2 and char["top"] > columns[-1].tops[-1]:
            column = columns[-1]
            column.tops.append(char["top"])
            column.text += char["text"]
            column.spread = max(column.spread, abs(centre - column.x))
        else:
            columns.append(VColumn(number, centre, [char["top"]], char["text"]))
    return columns, "".join(c["text"] for c in chars)


def check_vertical(path, size: float = 10.5, indent_em: float = 2.0, first_page: int = 1) -> VResult:
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
    result.head = Counter(round(c.tops[0], 1) for c in cols).most_common(1)[0][0]
    result.foot = Counter(round(c.tops[-1], 1) for c in cols).most_common(1)[0][0]
    pitches = [a.x - b.x for a, b in zip(cols, cols[1:]) if a.page == b.page]
    result.pitch = Counter(round(p, 1) for p in pitches).most_common(1)[0][0]
    indent = indent_em * size
    for k, column in enumerate(cols):
        where = f"page {column.page}, column {column.text[:8]!r}"
        if column.spread > X_TOLERANCE:
            result.problems.append(f"{where}: characters {column.spread:.2f} pt off the column's line")
        start = column.tops[0] - result.head
        column.first = abs(start - indent) <= EDGE_TOLERANCE
        if not column.first and abs(start) > EDGE_TOLERANCE:
            result.problems.append(f"{where}: starts {start:.2f} pt below the head")
        if any(b - a < size - 0.05 for a, b in zip(column.tops, column.tops[1:])):
            result.problems.append(f"{where}: characters overlap")
        if column.text[0] in NO_COLUMN_START:
            result.problems.append(f"{where}: starts with {column.text[0]}")
        if column.text[-1] in NO_COLUMN_END:
            result.problems.append(f"{where}: ends with {column.text[-1]}")
        nxt = cols[k + 1] if k + 1 < len(cols) else None
        if nxt is not None and column.text[-1] == nxt.text[0] and column.text[-1] in "—…":
            result.problems.append(f"{where}: {column.text[-1] * 2} split across columns")
        apart = nxt is not None and nxt.page == column.page and column.x - nxt.x > result.pitch * 1.5
        nxt_first = nxt is not None and abs(nxt.tops[0] - result.head - indent) <= EDGE_TOLERANCE
        column.last = nxt is None or apart or nxt_first
        result.indents += column.first
        if not column.last:
            result.full += 1
            off = abs(column.tops[-1] - result.foot)
            result.worst = max(result.worst, off)
            if off > EDGE_TOLERANCE:
                result.problems.append(f"{where}: ends {off:.2f} pt from the foot")
    for number, text in result.page_text.items():
        forms = [ch for ch in text if "\ufe10" <= ch <= "\ufe4f"]
        if forms:
            result.problems.append(f"page {number}: vertical forms in the text: {''.join(forms[:5])}")
    return result

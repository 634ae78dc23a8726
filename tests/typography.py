"""A typography checker for built PDFs: it reads the characters and their positions
(pdfplumber) and measures what clreq asks of body text.

- first lines of paragraphs start 2 em in from the text block's left edge;
- every line of a paragraph but the last ends within 0.5 pt of the right edge;
- no line starts with a mark that may not start a line, none ends with an opening mark;
- —— and …… are never split across lines.

Body lines are the lines set in the body face at the body size; headings, running
heads, footnotes and Hei-set block quotes are other faces or sizes. It knows nothing
of the pipeline: it measures the PDF as a printer's preflight would.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pdfplumber

NO_LINE_START = set("，。、；：？！）》」』〉】”’")
NO_LINE_END = set("（《「『〈【“‘")
EDGE_TOLERANCE = 0.5  # pt


@dataclass
class BodyLine:
    page: int
    top: float
    x0: float
    x1: float
    text: str
    first: bool = False
    last: bool = False


@dataclass
class Result:
    lines: list[BodyLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    checked_edges: int = 0
    checked_indents: int = 0
    worst_edge: float = 0.0

    def summary(self) -> str:
        return (f"{len(self.lines)} body lines, {self.checked_edges} full lines within "
                f"{self.worst_edge:.2f} pt of the edge, {self.checked_indents} first-line indents, "
                f"{len(self.problems)} problems")


def body_lines(pdf, body_size: float, body_font: str) -> list[BodyLine]:
    out = []
    for number, page in enumerate(pdf.pages, 1):
        rows: dict[float, list[dict]] = {}
        for char in page.chars:
            rows.setdefault(round(char["bottom"] / 2) * 2, []).append(char)
        for _, chars in sorted(rows.items()):
            body = [c for c in chars if body_font in c["fontname"] and abs(c["size"] - body_size) < 0.2]
            if not body:
                continue
            chars = [c for c in chars if c["size"] > body_size * 0.5 and c["text"].strip()]
            chars.sort(key=lambda c: c["x0"])
            if "....." in "".join(c["text"] for c in chars):
                continue  # a contents entry with its dotted leader
            out.append(BodyLine(number, min(c["top"] for c in body), chars[0]["x0"], chars[-1]["x1"],
                                "".join(c["text"] for c in chars)))
    return out


def check(path, body_size: float = 10.5, body_font: str = "Noto-Serif-CJK", block=None) -> Result:
    """`block`: the text block's (left, right) edges in pt on recto and verso pages,
    {1: (l, r), 0: (l, r)} by page number parity; inferred from the lines if not given."""
    result = Result()
    with pdfplumber.open(path) as pdf:
        lines = body_lines(pdf, body_size, body_font)
    result.lines = lines
    if not lines:
        result.problems.append("no body text found")
        return result
    em = body_size
    leading = Counter(round(b.top - a.top, 1) for a, b in zip(lines, lines[1:]) if a.page == b.page)
    step = leading.most_common(1)[0][0]

    # The text block's edges, on recto and on verso pages (their margins differ):
    # the left edge is where most lines start, the right where most lines end.
    sides: dict[int, list[BodyLine]] = {0: [], 1: []}
    for line in lines:
        sides[line.page % 2].append(line)
    def edge(values, pick):
        counts = Counter(round(v, 1) for v in values)
        repeated = [v for v, n in counts.items() if n >= 2] or list(counts)
        return pick(repeated)

    # Left: the leftmost start shared by several lines; right: the rightmost end
    # shared by several lines (centred title lines and first lines vary).
    if block is None:
        block = {side: (edge([l.x0 for l in side_lines], min), edge([l.x1 for l in side_lines], max))
                 for side, side_lines in sides.items() if side_lines}
    edges = {line.page: block[line.page % 2] for line in lines}
    for line in lines:
        line.first = abs(line.x0 - (edges[line.page][0] + 2 * em)) < 1.0

    def indent(line):
        return line.x0 - edges[line.page][0]

    for i, line in enumerate(lines):
        # A line goes on into the next only when the next is a plain continuation:
        # at the left edge, one line-height below (or at the top of the next page).
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None or abs(indent(nxt)) > 1.0:
            line.last = True
        elif nxt.page == line.page and abs(nxt.top - line.top - step) > 1.0:
            line.last = True  # something else (a heading, a figure) stands between

    for line in lines:
        where = f"page {line.page}, line “{line.text[:12]}…”"
        left, right = edges[line.page]
        if line.first:
            result.checked_indents += 1
        elif abs(line.x0 - left) > 1.0:
            continue  # a list item or another block set inside the measure
        if not line.last:
            off = abs(line.x1 - right)
            result.checked_edges += 1
            result.worst_edge = max(result.worst_edge, off)
            if off > EDGE_TOLERANCE:
                result.problems.append(f"{where}: ends {right - line.x1:+.2f} pt from the right edge")
        if line.text[0] in NO_LINE_START:
            result.problems.append(f"{where}: starts with {line.text[0]}")
        if line.text[-1] in NO_LINE_END:
            result.problems.append(f"{where}: ends with {line.text[-1]}")
        if line.text[0] in "—…" or (line.text[-1] in "—…" and line.text[-2:] not in ("——", "……")):
            result.problems.append(f"{where}: splits —— or ……")
    return result


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:]:
        outcome = check(name)
        print(f"{name}: {outcome.summary()}")
        for problem in outcome.problems:
            print("   ", problem)

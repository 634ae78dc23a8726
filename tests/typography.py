"""A typography checker for built PDFs: it reads the characters and their positions
(pdfplumber) and measures what clreq asks of every block of running text.

- first lines of paragraphs start 2 em in from their block's left edge (body text,
  and quotations, whose block is itself 2 em in); list items hang: their marker sits
  in the block's indent and every line of the item starts at the same place;
- every line of a paragraph, quotation, list item or footnote but the last ends
  within 0.5 pt of the right edge of the text block;
- no line starts with a mark that may not start a line, none ends with an opening mark;
- —— and …… are never split across lines;
- epigraphs (Kai at the epigraph size) are measured the same way inside their own
  block, 2 em of their size in from each side of the text block: paragraphs indented
  2 em, full lines ending at the block's right edge; a line of its own is either an
  indented paragraph or the attribution, ending flush at that edge;
- in ruled tables, every line of a cell but its last ends at its column's edge (a
  column narrower than RAGGED_CELL em may be ragged), and no cell is broken into
  one-character lines.

Lines are rows of characters in a text face (Song or Kai) at the body size, or at the
footnote size; which block a line belongs to is read from its face, its size and
where it starts (a list item's first line begins with a bullet, or a number and a
full stop, set apart from its text). It knows nothing of the pipeline: it measures the PDF as a printer's
preflight would.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pdfplumber

NO_LINE_START = set("，。、；：？！）》」』〉】”’")
NO_LINE_END = set("（《「『〈【“‘")
EDGE_TOLERANCE = 0.5  # pt
TEXT_FACES = ("Noto-Serif-CJK", "LXGW-WenKai")
KAI = "LXGW-WenKai"
MARKER = set("0123456789.•·◦▪")
BULLETS = set("•·◦▪")
KINDS = ("body", "quote", "list", "footnote", "caption", "epigraph", "table")
EPIGRAPH_INSET = 2.0  # em of the epigraph's size, each side of the text block
RAGGED_CELL = 4.0  # em: a column narrower than this may be set flush left


@dataclass
class BodyLine:
    page: int
    top: float
    x0: float
    x1: float
    text: str
    face: str = "song"     # song or kai
    kind: str = "body"
    marker: bool = False   # starts with a list or footnote marker (stripped from x0/text)
    offset: float = 0.0    # pt from the text block's left edge on its page
    first: bool = False
    last: bool = False


@dataclass
class Figures:
    lines: int = 0
    edges: int = 0
    indents: int = 0
    worst: float = 0.0


@dataclass
class Result:
    lines: list[BodyLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    kinds: dict[str, Figures] = field(default_factory=lambda: {k: Figures() for k in KINDS})

    @property
    def checked_edges(self) -> int:
        return self.kinds["body"].edges

    @property
    def checked_indents(self) -> int:
        return self.kinds["body"].indents

    @property
    def worst_edge(self) -> float:
        return max(f.worst for f in self.kinds.values())

    def summary(self) -> str:
        parts = [f"{k}: {f.lines} lines, {f.edges} full within {f.worst:.2f} pt, {f.indents} indents"
                 for k, f in self.kinds.items() if f.lines]
        return "; ".join(parts) + f"; {len(self.problems)} problems"


def _rows(page, size: float):
    """Rows of characters at about `size` (inline code is smaller, a note call much
    smaller) that hold text-face characters at exactly `size`."""
    rows: dict[float, list[dict]] = {}
    for char in page.chars:
        if size * 0.5 < char["size"] < size * 1.2 and char["text"].strip():
            rows.setdefault(round(char["bottom"] / 2) * 2, []).append(char)
    return [(y, chars) for y, chars in sorted(rows.items())
            if any(abs(c["size"] - size) < 0.2 and any(f in c["fontname"] for f in TEXT_FACES) for c in chars)]


def text_lines(pdf, size: float, em: float) -> list[BodyLine]:
    """Rows of text-face characters at `size`, markers recognised (a few digits,
    a dot or bullet, then a gap of half an em or more)."""
    out = []
    for number, page in enumerate(pdf.pages, 1):
        for _, chars in _rows(page, size):
            chars.sort(key=lambda c: c["x0"])
            if "....." in "".join(c["text"] for c in chars):
                continue  # a contents entry with its dotted leader
            marker = False
            for k in range(min(4, len(chars) - 1)):
                if chars[k]["text"] not in MARKER:
                    break
                head = "".join(c["text"] for c in chars[:k + 1])
                if (head in BULLETS or head[:-1].isdigit() and head[-1] == ".") and \
                        chars[k + 1]["x0"] - chars[k]["x1"] >= 0.1 * em:
                    chars, marker = chars[k + 1:], True
                    break
            kai = sum(KAI in c["fontname"] for c in chars) > len(chars) / 2
            out.append(BodyLine(number, min(c["top"] for c in chars), chars[0]["x0"], chars[-1]["x1"],
                                "".join(c["text"] for c in chars), "kai" if kai else "song", marker=marker))
    return out


def _continues(a: BodyLine, b: BodyLine, steps: dict, em: float) -> bool:
    """Whether line b goes on with line a's paragraph: one line height below it (or at
    the top of the next page), in the same face, no marker of its own, and starting
    where a paragraph's later lines start: 2 em left of a first line that is indented
    (body text, quotations, a list item's later paragraph), else where a starts (later
    lines, and the text after a hanging marker)."""
    if b.marker or a.face != b.face:
        return False
    if a.kind == "epigraph" and b.text.startswith("——"):
        return False  # the attribution: a line of its own
    if b.page == a.page:
        if abs(b.top - a.top - steps.get(a.face, 0)) > 1.0:
            return False
    elif b.page != a.page + 1 or b.top > steps.get("head", b.top) + 1.0:
        return False  # on the next page, only the line at the head of the text block
    indented = a.first and not a.marker and a.kind != "caption"
    return abs(b.offset - (a.offset - 2 * em if indented else a.offset)) <= 1.0


def _measure(result: Result, lines: list[BodyLine], block: dict, em: float, footnote: bool,
             kind: str | None = None, head: float | None = None) -> None:
    """`kind`: every line is of that kind (footnotes, epigraphs), else read from its
    face and where it starts; `head`: the top of the text block's first line, if
    known (an epigraph can take that place on every page that begins with body text)."""
    if not lines:
        return
    if footnote:
        kind = "footnote"
    # The line height of each face: the most common step between its lines.
    steps = {}
    for face in ("song", "kai"):
        leading = Counter(round(b.top - a.top, 1) for a, b in zip(lines, lines[1:])
                          if a.page == b.page and a.face == b.face == face)
        if leading:
            steps[face] = leading.most_common(1)[0][0]
    steps["head"] = min(line.top for line in lines) if head is None else head  # the text block's first line
    for line in lines:
        line.offset = line.x0 - block[line.page % 2][0]
    for i, line in enumerate(lines):
        offset = line.offset
        if kind:
            line.kind = kind
        elif line.face == "kai":
            line.kind = "caption" if offset < 1.0 else "quote"
        elif line.marker:
            line.kind = "list"
        previous = lines[i - 1] if i else None
        line.first = previous is None or not _continues(previous, line, steps, em)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        line.last = nxt is None or not _continues(line, nxt, steps, em)
        if previous is not None and not line.first and previous.kind in ("list", "caption"):
            line.kind = previous.kind  # a list item's or caption's later lines
        elif previous is not None and previous.kind == "list" and line.kind == "body" \
                and offset > 2 * em + 1.0:
            line.kind = "list"  # a list item's later paragraph, indented
    for line in lines:
        left, right = block[line.page % 2]
        figures = result.kinds[line.kind]
        figures.lines += 1
        where = f"page {line.page}, {line.kind} line “{line.text[:12]}…”"
        offset = line.x0 - left
        expected = 2 * em if line.kind in ("body", "epigraph") else 4 * em
        if line.first and line.last and line.kind == "epigraph":
            # an indented paragraph of one line, or the attribution flush at the end
            flush = abs(line.x1 - right) <= EDGE_TOLERANCE
            figures.indents += abs(offset - expected) <= 1.0
            figures.edges += flush
            if flush:
                figures.worst = max(figures.worst, abs(line.x1 - right))
            if abs(offset - expected) > 1.0 and not flush:
                result.problems.append(f"{where}: a line of its own neither indented 2 em nor flush at the end")
        elif line.first and line.last and line.kind in ("body", "caption"):
            # a line of its own: an indented paragraph, or centred (a byline, a divider)
            figures.indents += line.kind == "body" and abs(offset - expected) <= 1.0
        elif line.first and line.kind in ("body", "quote", "epigraph") and not line.marker:
            figures.indents += 1
            if abs(offset - expected) > 1.0:
                result.problems.append(f"{where}: first line starts {offset / em:.2f} em in, not "
                                       f"{expected / em:.0f}")
        elif line.first and line.marker:
            figures.indents += 1  # a hanging indent: the marker before the text
        if not line.last:
            off = abs(line.x1 - right)
            figures.edges += 1
            figures.worst = max(figures.worst, off)
            if off > EDGE_TOLERANCE:
                result.problems.append(f"{where}: ends {right - line.x1:+.2f} pt from the right edge")
        if line.text[0] in NO_LINE_START:
            result.problems.append(f"{where}: starts with {line.text[0]}")
        if line.text[-1] in NO_LINE_END:
            result.problems.append(f"{where}: ends with {line.text[-1]}")
        # a paragraph may open with —— (an epigraph's attribution); no other line may
        opens = line.first and line.text[:2] in ("——", "……")
        if line.text[0] in "—…" and not opens or (line.text[-1] in "—…" and line.text[-2:] not in ("——", "……")):
            result.problems.append(f"{where}: splits —— or ……")
    result.lines.extend(lines)


def check(path, body_size: float = 10.5, body_font: str = "Noto-Serif-CJK", block=None,
          note_size: float = 8.5, table_scale: float = 0.9, epigraph_size: float = 9.0) -> Result:
    """`block`: the text block's (left, right) edges in pt on recto and verso pages,
    {1: (l, r), 0: (l, r)} by page number parity; inferred from the lines if not given."""
    result = Result()
    with pdfplumber.open(path) as pdf:
        lines = text_lines(pdf, body_size, body_size)
        notes = text_lines(pdf, note_size, note_size)
        epigraphs = [l for l in text_lines(pdf, epigraph_size, epigraph_size) if l.face == "kai"]
    if not lines:
        result.problems.append("no body text found")
        return result
    if block is None:
        # The left edge is where most lines start, the right where most lines end.
        block = {}
        for side in (0, 1):
            side_lines = [l for l in lines if l.page % 2 == side] or lines
            starts = Counter(round(l.x0, 1) for l in side_lines)
            ends = Counter(round(l.x1, 1) for l in side_lines)
            block[side] = (min(v for v, n in starts.items() if n >= 2 or len(starts) == 1),
                           max(v for v, n in ends.items() if n >= 2 or len(ends) == 1))
    head = min(line.top for line in lines + epigraphs)
    _measure(result, lines, block, body_size, footnote=False, head=head)
    _measure(result, notes, block, note_size, footnote=True)
    inset = EPIGRAPH_INSET * epigraph_size
    _measure(result, epigraphs, {side: (left + inset, right - inset) for side, (left, right) in block.items()},
             epigraph_size, footnote=False, kind="epigraph", head=head)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            _tables(result, page, number, body_size * table_scale)
    return result


def _cells(page, size: float):
    """{(column, band): [lines]} of the characters at `size` inside ruled cells (rules
    on all four sides of the character), a line being (top, x0, x1, text); and each
    column's width, columns being keyed by their left rule."""
    vertical = [e for e in page.edges if e["orientation"] == "v"]
    horizontal = [e for e in page.edges if e["orientation"] == "h"]
    cells: dict[tuple[float, float], dict[float, list]] = {}
    widths: dict[float, float] = {}
    for char in page.chars:
        if abs(char["size"] - size) > 0.2 or not char["text"].strip():
            continue
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        across = [e["x0"] for e in vertical if e["top"] - 0.5 <= cy <= e["bottom"] + 0.5]
        down = [e["top"] for e in horizontal if e["x0"] - 0.5 <= cx <= e["x1"] + 0.5]
        left, right = [x for x in across if x < cx], [x for x in across if x > cx]
        above, below = [y for y in down if y < cy], [y for y in down if y > cy]
        if not (left and right and above and below):
            continue
        column = round(max(left), 1)
        widths[column] = min(right) - max(left)
        cells.setdefault((column, round(max(above), 1)), {}).setdefault(
            round(char["bottom"] / 2) * 2, []).append(char)
    out = {}
    for key, rows in cells.items():
        out[key] = []
        for _, chars in sorted(rows.items()):
            chars.sort(key=lambda c: c["x0"])
            out[key].append((chars[0]["top"], chars[0]["x0"], chars[-1]["x1"], "".join(c["text"] for c in chars)))
    return out, widths


def _tables(result: Result, page, number: int, size: float) -> None:
    """Table cells: every line of a cell but its last ends at its column's text edge
    (its right rule less the padding at its left), unless the column is narrower than
    RAGGED_CELL em; no cell is broken into one-character lines (项/目); the line-start
    and line-end rules."""
    cells, widths = _cells(page, size)
    if not cells:
        return
    figures = result.kinds["table"]
    # A column's text edge: its right rule less the padding found at its left.
    inset: dict[float, float] = {}
    for (column, _), lines in cells.items():
        inset[column] = min(inset.get(column, 1e9), *(x0 - column for _, x0, _, _ in lines))
    right = {column: column + widths[column] - inset[column] for column in inset}
    for (column, band), lines in sorted(cells.items()):
        narrow = widths[column] < (RAGGED_CELL + 1.2) * size  # with the cell's padding
        where = f"page {number}, table cell “{lines[0][3][:8]}…”"
        figures.lines += len(lines)
        if len(lines) > 1 and all(len(text) == 1 for _, _, _, text in lines):
            result.problems.append(f"{where}: broken into one-character lines")
        for i, (_, _, x1, text) in enumerate(lines):
            if text[0] in NO_LINE_START:
                result.problems.append(f"{where}: a line starts with {text[0]}")
            if text[-1] in NO_LINE_END:
                result.problems.append(f"{where}: a line ends with {text[-1]}")
            if i == len(lines) - 1 or narrow:
                continue
            off = abs(right[column] - x1)
            figures.edges += 1
            figures.worst = max(figures.worst, off)
            if off > EDGE_TOLERANCE:
                result.problems.append(f"{where}: a line ends {right[column] - x1:+.2f} pt from the column's edge")


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:]:
        outcome = check(name)
        print(f"{name}: {outcome.summary()}")
        for problem in outcome.problems:
            print("   ", problem)

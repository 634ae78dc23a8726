"""Tables for the print edition: column widths chosen here and every cell broken and
justified by the line breaker (typeset.py), because WeasyPrint's automatic layout
lets a CJK column shrink to one character and breaks a two-character cell (项/目).

- a column is never narrower than its longest unbreakable run (a Latin word, a
  number, a code span, a dash or ellipsis kept whole) nor than a cell of up to
  SHORT em, which is kept on one line (项目, 交付印刷);
- a table whose cells all fit on one line keeps their natural widths (centred by
  base.css); otherwise it takes the full measure and the room left after the
  minimums goes to the columns in proportion to what their longest cell would need;
- cells in a column narrower than RAGGED_BELOW em are set flush left, not spread
  (letter-spacing would open gaps wider than the characters); wider ones are
  justified like body text (clreq 3.1.6) with the same prohibition rules.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Paragraph, Table
from .typeset import SetParagraph, _can_break_before, atoms_of, break_lines, justify

SCALE = 0.9          # base.css table font-size, of the body size
PAD = 0.6            # em of the table size: a cell's left and right padding (base.css)
RULE_PT = 0.5        # the cells' borders (base.css)
SHORT = 4.0          # em: cells up to this width stay on one line
RAGGED_BELOW = 4.0   # em: narrower columns are set flush left


@dataclass
class SetTable:
    widths: list[float]                       # pt: each column's content width
    rows: list[list[SetParagraph | None]]     # header row (when there is one) first

    size: float = 0.0                         # pt: the table's font size

    def column(self, i: int) -> float:
        """pt: a <col>'s width in the fixed layout: content, padding and one rule."""
        return self.widths[i] + 2 * PAD * self.size + RULE_PT

    @property
    def width(self) -> float:
        """pt: the table's width, its columns and the outer rule."""
        return sum(self.column(i) for i in range(len(self.widths))) + RULE_PT


def _longest_run(atoms) -> float:
    """The widest stretch between two legal line breaks."""
    longest = run = 0.0
    for i, atom in enumerate(atoms):
        if i and _can_break_before(atoms, i):
            longest, run = max(longest, run), 0.0
        if atom.kind not in ("space",):
            run += atom.width
    return max(longest, run)


def typeset_table(table: Table, lang: str, measure_em: float, body_pt: float) -> SetTable | None:
    """The table's column widths and set cells, or None to leave it to WeasyPrint
    (a cell holding a line break, or minimums wider than the measure)."""
    size = body_pt * SCALE
    columns = max(len(table.header), *(len(r) for r in table.rows)) if table.rows else len(table.header)
    available = measure_em * body_pt / size - columns * 2 * PAD - (columns + 1) * RULE_PT / size
    grid = ([("heading", table.header)] if table.header else []) + [("serif", r) for r in table.rows]
    measured = []
    natural, minimum = [0.0] * columns, [0.0] * columns
    for base, row in grid:
        cells = []
        for c, cell in enumerate(row):
            atoms = atoms_of(Paragraph.from_inlines(cell), lang, size, base) if cell else []
            if atoms is None:
                return None
            width = sum(a.width for a in atoms)
            natural[c] = max(natural[c], width)
            minimum[c] = max(minimum[c], _longest_run(atoms), width if width <= SHORT else 0.0)
            cells.append(atoms)
        measured.append(cells)
    if sum(natural) <= available:
        widths = natural
    elif sum(minimum) > available:
        return None
    else:
        stretch = [n - m for n, m in zip(natural, minimum)]
        room = available - sum(minimum)
        widths = [m + room * s / sum(stretch) for m, s in zip(minimum, stretch)]
    rows = []
    for cells in measured:
        row = []
        for c, atoms in enumerate(cells):
            if not atoms:
                row.append(None)
                continue
            lines = justify(break_lines(atoms, widths[c] + 1e-6, 0.0), widths[c], 0.0, size, lang)
            if widths[c] < RAGGED_BELOW:
                for line in lines:
                    line.spacing = 0.0
            row.append(SetParagraph(lines))
        rows.append(row)
    return SetTable([w * size for w in widths], rows, size)

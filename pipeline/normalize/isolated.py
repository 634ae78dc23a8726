"""An isolated line as wide as a paragraph's first line: a heading, or a first line
that a column break cut off from the rest of its paragraph?

Both stand between blank lines and end without punctuation, so the evidence is
weighed (log-odds for a heading):
- how often this text puts column-break blanks after running lines (measured);
- numbered lines ("一、", "（二）") are usually headings;
- the next line narrower by the lost indent opens a paragraph (a continuation
  would be full);
- the text reads on across the blank: the two characters around it form a pair
  found elsewhere in the article ("绿色转" / "型" -> "转型"), which a heading and
  the paragraph after it rarely do;
- the next line ends a clause within a few characters ("（四）用心用情办好群众关心事" /
  "操心事。把改善民生……"): the end of a sentence a column break cut, where a
  section's first paragraph opens with a clause of its own.
A line found in the article's title line, or in the manifest, is a heading. The
body's first line is a heading far more often than a line elsewhere (most sectioned
articles open with their first heading).
"""
from __future__ import annotations

import re
from collections import Counter
from math import log

from .layout import Layout
from .lines import HAN, Line, ends_sentence, leading_unit_width

# Weights (log likelihood ratios) measured once on the generated set's isolated lines
# as wide as a first line (tests/newspaper.py, 11 layouts): general, not per article.
# A heading that wide is rare: about one in ten headings, against every first line
# a column break isolates.
BAND_PRIOR = 0.011     # odds of a heading, per unit of column-break rate
NUMBERED_WEIGHT = 2.6
NEXT_FIRST_WEIGHT = 3.5
NEXT_FULL_WEIGHT = -0.9
NEXT_FIRST_ENDING_WEIGHT = 3.0
READS_ON_WEIGHT = -3.0
NO_PAIR_WEIGHT = 0.35
# A clause mark within SHORT_CLAUSE characters of the next line's start: 4 of the
# corpus's 62 section openings, against 46 % of lines that go on with a paragraph
# (../shared/corpus, every line-break position): log(0.065 / 0.46).
SHORT_CLAUSE = 5
SHORT_CLAUSE_WEIGHT = -2.0
# At the body's start, isolated lines as wide as a first line were headings 16 times
# and text 12 (generated set, seeds 0-300, the 6 wrapped in-place layouts), where elsewhere
# the prior puts text about ten to one: log(12).
OPENING_WEIGHT = 2.5
_CLAUSE_MARK = re.compile(r"[，。、；：？！,;:?!]")
_HAN_CHAR = re.compile(f"[{HAN}]")


def column_break_rate(lines: list[Line], layout: Layout) -> float:
    """Share of full lines inside a sentence followed by a blank line: the chance
    that a column break falls after any given line of this text."""
    hits = total = 0
    for line in lines[:-1]:
        column = layout.column(line)
        if ends_sentence(line.text) or line.width + line.slack < column - layout.tolerance(column):
            continue
        total += 1
        hits += line.blank_after
    return (hits + 0.5) / (total + 5)


def pairs_of(lines: list[Line]) -> Counter:
    """Character pairs inside lines (never across a line break): the article's words."""
    pairs: Counter = Counter()
    for line in lines:
        text = line.text
        pairs.update(text[i:i + 2] for i in range(len(text) - 1))
    return pairs


def reads_on(line: Line, nxt: Line, pairs: Counter) -> bool | None:
    """Do the characters around the break form a pair the article uses elsewhere?
    None when they are not both Han (nothing to tell)."""
    a, b = line.text[-1:], nxt.text[:1]
    if not (_HAN_CHAR.match(a) and _HAN_CHAR.match(b)):
        return None
    return pairs[a + b] > 0


def opens_short_clause(text: str) -> bool:
    """Does the line end a clause within its first SHORT_CLAUSE characters?"""
    mark = _CLAUSE_MARK.search(text, 0, SHORT_CLAUSE + 1)
    return mark is not None


def heading_odds(line: Line, nxt: Line | None, layout: Layout, rate: float, pairs: Counter,
                 numbered: bool, after: Line | None = None, opening: bool = False) -> float:
    """Log-odds that an isolated line as wide as a first line is a heading;
    `after` is the line after `nxt`; `opening`: the line opens the body."""
    score = log(BAND_PRIOR / max(rate, 1e-3)) + (OPENING_WEIGHT if opening else 0.0)
    if numbered:
        score += NUMBERED_WEIGHT
    if nxt is None:
        return score
    column = layout.column(nxt)
    indent = layout.indent_of(column)
    # Where the paper indents, the next line tells a paragraph's opening, unless it
    # ends a sentence: a paragraph's last line may be that narrow too.
    if indent and not ends_sentence(nxt.text):
        first = layout.first_gap(nxt, column) or (
            layout.looks_first(nxt) and nxt.width + nxt.slack <= column - indent + 1)
        # ...but a word or number that did not fit on it (it opens the line after)
        # makes a running line that narrow too ("效益。正常年景下粮食产量达" / "到 900 亿斤")
        explained = after is not None and leading_unit_width(after.text) > column - nxt.width
        score += (0.0 if explained else NEXT_FIRST_WEIGHT) if first else NEXT_FULL_WEIGHT
    elif indent and not nxt.blank_after and layout.first_gap(nxt, column):
        # It ends a sentence and the text goes on without a blank: a first line
        # that ends on a stop, or else the short last line of a two-line paragraph
        # the next one follows without a blank line, which is rarer.
        score += NEXT_FIRST_ENDING_WEIGHT
    on = reads_on(line, nxt, pairs)
    if on is True:
        score += READS_ON_WEIGHT
    elif on is False:
        score += NO_PAIR_WEIGHT
    if opens_short_clause(nxt.text):
        score += SHORT_CLAUSE_WEIGHT
    return score

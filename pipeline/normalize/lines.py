"""Lines of raw text and what can be measured on them.

Widths are display widths by East Asian Width: a wide or full-width character is 2
(ambiguous ones too: in Chinese text “”…— are set full width), anything else 1, so
a column of 16 Han characters is 32 wide whatever the paper. Papers set Latin
letters and digits in a proportional face with a quarter em between them and Han
(clreq 3.2.2), so a line holding them may be wider than its display width says:
`slack` is how much.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

TERMINAL = "。！？!?…．"                    # marks that end a sentence
CLOSERS = "”’」』）)》〉】\"'"            # may follow a terminal mark
END_PUNCT = TERMINAL + "，、；：,;:—"       # a heading never ends with these
NO_LINE_START = set("，。、；：？！）》」』〉】”’…—%,.;:!?)")
OPENING_MARKS = "“‘（《「『〈【("                # never at a line's end: they travel with what follows
NO_LINE_END = set(OPENING_MARKS)
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATINISH = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")
# A space the layout put between a digit and a Han character ("12月 6日", "超 2000 场").
# Spaces between two Han characters ("工心向党 笃行奋进") or in Latin text are the author's.
LAYOUT_SPACE = re.compile(rf"(?<=[0-9])[ \t\u3000]+(?=[{HAN}])|(?<=[{HAN}])[ \t\u3000]+(?=[0-9])")


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def display_width(text: str) -> int:
    return sum(char_width(c) for c in text)


_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.,%+\-/_:·]*")
# How much wider than half an em a proportional face sets a character, in display
# units (a Han character is 2): capitals and m, w are wider, figures barely (most
# faces give them about half an em), lower case and marks not at all.
SLACK_WIDE = 0.35       # A-Z
SLACK_WIDEST = 0.7      # m, w, M, W
SLACK_FIGURE = 0.1      # 0-9
SLACK_PER_SPACE = 0.5   # the quarter em a paper may put between Han and Latin


_CHAR_SLACK = {**dict.fromkeys("ABCDEFGHJKLNOPQRSTUVXYZ", SLACK_WIDE), **dict.fromkeys("mwMW", SLACK_WIDEST),
               **dict.fromkeys("0123456789", SLACK_FIGURE)}


def latin_slack(text: str) -> float:
    """How much wider than its display width a paper may set this text."""
    slack = 0.0
    for match in _LATIN_RUN.finditer(text):
        slack += sum(_CHAR_SLACK.get(c, 0.0) for c in match.group())
        slack += SLACK_PER_SPACE * ((match.start() > 0) + (match.end() < len(text)))
    return slack


def ends_sentence(text: str) -> bool:
    """True when the text ends with 。！？…… (closing quotes or brackets may follow)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


def ends_with_punct(text: str) -> bool:
    stripped = text.rstrip()
    return bool(stripped) and (stripped[-1] in END_PUNCT or ends_sentence(stripped))


def is_latinish(ch: str) -> bool:
    return bool(_LATINISH.match(ch))


def join_lines(left: str, right: str, space: bool = False) -> str:
    """Join two hard-wrapped lines: Han with nothing between, Latin words with one
    space; `space` keeps a space the extraction left at the end of the line."""
    if not left or not right:
        return left + right
    if space:
        return left + " " + right
    a, b = left[-1], right[0]
    if is_latinish(a) and is_latinish(b) and not (a.isdigit() and b.isdigit()):
        return left + " " + right
    if a in ",.;:!?)" and is_latinish(b):
        return left + " " + right
    return left + right


_LEADING_UNIT = re.compile(rf"[{re.escape(OPENING_MARKS)}]*(?:[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.,%+\-/_:·]*|——|……|.)")
# Engines that do not break between a Han character and the number or word after it
# push both down: "突" / "破 180 亿元".
_HAN_THEN_LATIN = re.compile(rf"^[{HAN}][ \u3000]?(?=[A-Za-z0-9])")


def space_may_hide(line: "Line", nxt: "Line") -> bool:
    """May the extraction have dropped a space at the break between these lines?
    It keeps one only beside Han; where Latin meets the break, one took a unit of
    the line's room and is not in its text."""
    return line.text[-1:].isascii() or nxt.text[:1].isascii()


_SQUEEZABLE = "".join(sorted(NO_LINE_START - set("…—")))


def squeezable_width(text: str) -> int:
    """Display width of the marks that end the text and that a paper may squeeze
    onto a full line rather than start the next one with (clreq 3.1.7, 3.1.6);
    each is its own unit, so more than one can be ("。”"). Not a dash or an
    ellipsis: those are not compressed."""
    return display_width(text[len(text.rstrip(_SQUEEZABLE)):])


def leading_unit_width(text: str) -> int:
    """Width of the unit that opens the text (leading_unit)."""
    return unit_width(leading_unit(text))


def unit_width(unit: str) -> int:
    """Display width of a unit, its Latin counted as wide as a paper may set it."""
    return display_width(unit) + int(latin_slack(unit) + 0.99)


def leading_unit(text: str) -> str:
    """What may have moved to this line as a whole: a Latin word or number (with the
    Han character before it), a —— or ……, or a character with the mark that may not
    start a line after it; without spaces."""
    glued = _HAN_THEN_LATIN.match(text)
    start = glued.end() if glued else 0
    match = _LEADING_UNIT.match(text, start)
    end = match.end() if match else min(start + 1, len(text))  # opening marks travel with what follows
    while end < len(text) and (text[end] in NO_LINE_START or
                               (text[end] == " " and text[end + 1:end + 2] in NO_LINE_START)):
        end += 1  # marks that may not start a line travel with what precedes them
    return text[:end].replace(" ", "").replace("\u3000", "")


@dataclass
class Line:
    number: int          # 1-based line number in the source
    text: str            # without leading and trailing whitespace
    indent: int          # leading whitespace characters in the source
    blank_before: bool   # a blank line (or the start of the body) comes before it
    blank_after: bool    # a blank line (or the end of the body) comes after it
    trailing_space: bool = False  # the extraction kept a space at the line's end

    # Measured once: every decision about a line compares its width, many times over,
    # and its text does not change.
    @cached_property
    def width(self) -> int:
        return display_width(self.text)

    @cached_property
    def slack(self) -> float:
        return latin_slack(self.text)

    @cached_property
    def layout_spaces(self) -> int:
        """How many spaces the extraction put beside the line's digits: they may have
        taken no room on the page."""
        return sum(len(m.group()) for m in LAYOUT_SPACE.finditer(self.text))

    @property
    def isolated(self) -> bool:
        return self.blank_before and self.blank_after


def split_lines(text: str) -> list[tuple[int, str]]:
    """(line number, raw line) for every line of the source."""
    return list(enumerate(text.split("\n"), 1))


def make_lines(numbered: list[tuple[int, str]]) -> list[Line]:
    """Non-blank lines with their blank-line neighbourhood."""
    out: list[Line] = []
    blank = True
    for number, raw in numbered:
        stripped = raw.strip()
        if not stripped:
            if out:
                out[-1].blank_after = True
            blank = True
            continue
        indent = len(raw) - len(raw.lstrip())
        out.append(Line(number, stripped, indent, blank, False,
                        raw.rstrip("\r\n") != raw.rstrip()))
        blank = False
    if out:
        out[-1].blank_after = True
    return out

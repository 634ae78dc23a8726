"""Numbering definitions (word/numbering.xml), read with lxml: python-docx exposes
the part but not what a numbered paragraph's label is.

A paragraph's w:numPr names a w:num, which points to an abstract definition with a
format per level (decimal, bullet, chineseCounting, ...) and a label pattern
("%1、", "（%2）"). Decimal, letter and roman levels become ordered lists and
bullets unordered ones; Chinese counting and other formats are labels a reader
reads as text ("一、"), kept in the paragraph's text so that headings numbered by
Word are found like those typed by hand.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .styles import NS, w

LIST_FORMATS = {"decimal", "decimalZero", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman"}
_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str      # the label pattern, e.g. "%1." or "（%1）"
    start: int

    @property
    def kind(self) -> str:
        """'bullet', 'ordered' or 'label' (numbering kept as text)."""
        if self.fmt == "bullet":
            return "bullet"
        if self.fmt == "none":
            return "none"
        # "1." "a)" "iv．": what an HTML ordered list shows; "（1）" or "第1条" are labels.
        if self.fmt in LIST_FORMATS and re.fullmatch(r"%[1-9][.)．]?", self.text.strip()):
            return "ordered"
        return "label"


@dataclass
class Numbering:
    """Levels per w:num, and the running counters that give each paragraph its label."""
    levels: dict[str, dict[int, Level]] = field(default_factory=dict)
    abstract_of: dict[str, str] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def parse(cls, root) -> "Numbering":
        numbering = cls()
        if root is None:
            return numbering
        abstract: dict[str, dict[int, Level]] = {}
        for definition in root.iterfind("w:abstractNum", NS):
            levels = {}
            for lvl in definition.iterfind("w:lvl", NS):
                levels[int(lvl.get(w("ilvl"), "0"))] = _level(lvl)
            abstract[definition.get(w("abstractNumId"))] = levels
        for num in root.iterfind("w:num", NS):
            num_id = num.get(w("numId"))
            ref = num.find("w:abstractNumId", NS)
            abstract_id = ref.get(w("val")) if ref is not None else None
            levels = dict(abstract.get(abstract_id, {}))
            for override in num.iterfind("w:lvlOverride", NS):
                ilvl = int(override.get(w("ilvl"), "0"))
                lvl = override.find("w:lvl", NS)
                start = override.find("w:startOverride", NS)
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                elif start is not None and ilvl in levels:
                    base = levels[ilvl]
                    levels[ilvl] = Level(base.fmt, base.text, int(start.get(w("val"), "1")))
            numbering.levels[num_id] = levels
            numbering.abstract_of[num_id] = abstract_id or num_id
        return numbering

    def level(self, num_id: str | None, ilvl: int) -> Level | None:
        if not num_id or num_id == "0":
            return None  # numId 0 switches numbering off
        return self.levels.get(num_id, {}).get(ilvl)

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counters of this list and give the paragraph's label."""
        levels = self.levels.get(num_id, {})
        key = self.abstract_of.get(num_id, num_id)
        counts = self.counters.setdefault(key, [0] * 9)
        level = levels.get(ilvl)
        if level is None:
            return ""
        counts[ilvl] = (counts[ilvl] or level.start - 1) + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        label = level.text
        for n in range(ilvl + 1, 0, -1):
            value = counts[n - 1] or (levels[n - 1].start if n - 1 in levels else 1)
            fmt = levels[n - 1].fmt if n - 1 in levels else "decimal"
            label = label.replace(f"%{n}", format_number(value, fmt))
        return label


def _level(lvl) -> Level:
    fmt = lvl.find("w:numFmt", NS)
    text = lvl.find("w:lvlText", NS)
    start = lvl.find("w:start", NS)
    return Level(fmt.get(w("val"), "decimal") if fmt is not None else "decimal",
                 text.get(w("val"), "") if text is not None else "",
                 int(start.get(w("val"), "1")) if start is not None else 1)


def chinese_number(n: int) -> str:
    """一 … 九十九 as counted in headings (十一, 二十, 二十一)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, units = divmod(n, 10)
    if not tens:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_number(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)

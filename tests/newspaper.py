"""Turn clean articles into raw newspaper extractions, the way editors receive them.

An article is {"title", "subtitle", "byline", "sections": [{"heading", "subheading",
"paragraphs"}]} (the shape of ../shared/corpus/NNN.json). `extract()` wraps the body
at a column width, loses the first-line indents, puts blank lines at paragraph
breaks and at random column breaks, spaces between digits and Han, sets the lead
in a wide block, and puts the headings in place or displaces them to the end or
the start with a manifest. The normalizer must give the article back.
"""
from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed" / "wuge-yinling.txt"

NO_LINE_START = set("，。、；：？！）》」』〉】”’…—%")
NO_LINE_END = set("（《「『〈【“‘")
_UNIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/%+]*|——|……|\s|.", re.S)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


# How wide a proportional Latin face sets letters and digits, in half-em units (a
# Han character is 2): papers do not set them at exactly half a Han character.
_NARROW = {**dict.fromkeys("iljtfrI.,:;'!|", 0.6), **dict.fromkeys("mwMW", 1.7),
           **dict.fromkeys("ABCDEFGHJKLNOPQRSTUVXYZ", 1.35), **dict.fromkeys("0123456789", 1.1),
           " ": 0.6}


def set_width(unit: str, proportional: bool) -> float:
    """The width a paper gives a unit: East Asian Width, or proportional Latin."""
    if not proportional:
        return width(unit)
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else _NARROW.get(c, 1.0) for c in unit)


@dataclass(frozen=True)
class Style:
    """How one paper lays out and how its text was extracted."""
    column: int = 16            # Han characters per full line (0: never wrapped, clean text)
    indent: int = 2             # characters of first-line indent, lost in extraction
    para_blank: float = 0.8     # chance of a blank line at a paragraph break
    column_break: float = 0.08  # chance of a blank line after any body line
    digit_space: float = 0.3    # chance of a layout space at a digit/Han boundary
    headings: str = "inplace"   # inplace | end | start
    wide_lead: bool = False     # set an untitled first section in a block 3x as wide
    squeeze: float = 0.5        # chance to squeeze a line-start mark onto the line (else push a char down)
    # Latin letters and digits set in a proportional face, with a quarter em between
    # them and Han (clreq 3.2.2): a line holding them has fewer characters but is full.
    proportional: bool = False
    # chance that the engine does not break between a Han character and the number or
    # word after it: the character goes down with the number ("突" / "破 180 亿元")
    glue: float = 0.0
    numbered: bool = True       # False: the paper drops "一、", "（二）" from its headings
    lead_entry: bool = True     # False: the editor's manifest lists only the headings

    @property
    def label(self) -> str:
        if not self.column:
            return f"unwrapped headings-{self.headings}"
        parts = [f"col{self.column}", f"indent{self.indent}", f"headings-{self.headings}"]
        if self.wide_lead:
            parts.append("wide-lead")
        if self.proportional:
            parts.append("latin")
        if self.glue:
            parts.append("glue")
        if not self.numbered:
            parts.append("unnumbered")
        if not self.lead_entry:
            parts.append("no-lead-entry")
        if self.column_break >= 0.15:
            parts.append(f"breaks{round(self.column_break * 100)}")
        return " ".join(parts)


def load_corpus() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(CORPUS.glob("*.json"))]


HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"


def load_heldout() -> list[dict]:
    """Articles the normalizer was never developed on (fixtures/heldout/*.txt, see its
    README): "#title", "#subtitle", "#byline" lines, "## heading" and "### subheading"
    lines opening sections, one paragraph a line."""
    articles = []
    for path in sorted(HELDOUT.glob("*.txt")):
        article: dict = {"title": "", "subtitle": None, "byline": None, "sections": []}
        sections = article["sections"]
        for line in path.read_text("utf-8").splitlines():
            key, _, value = line.partition(" ")
            if key in ("#title", "#subtitle", "#byline"):
                article[key[1:]] = None if value == "None" else value
            elif key.startswith("#") and key not in ("##", "###"):
                continue  # #source and other notes
            elif key in ("##", "###"):
                field = "heading" if key == "##" else "subheading"
                if sections and not sections[-1]["paragraphs"] and not sections[-1][field]:
                    sections[-1][field] = value  # a heading and its subheading over one section
                else:
                    sections.append({"heading": None, "subheading": None, "paragraphs": [], field: value})
            elif line.strip():
                if not sections:
                    sections.append({"heading": None, "subheading": None, "paragraphs": []})
                sections[-1]["paragraphs"].append(line.strip())
        articles.append(article)
    return articles


def _units(text: str, rng: random.Random | None = None, glue: float = 0.0) -> list[str]:
    """Breakable units: a Han character or mark, a Latin word, or a space. A space
    next to a mark is glued to its neighbours (a paper never breaks there); with
    `glue`, a Han character sometimes goes with the Latin word or number after it."""
    raw = _UNIT.findall(text)
    if glue and rng is not None:
        merged: list[str] = []
        for unit in raw:
            if merged and unit[:1].isascii() and unit[:1].isalnum() and _HAN.match(merged[-1][-1:]) \
                    and len(merged[-1]) == 1 and rng.random() < glue:
                merged[-1] += unit
            else:
                merged.append(unit)
        raw = merged
    units: list[str] = []
    i = 0
    while i < len(raw):
        unit = raw[i]
        if unit.isspace() and units and i + 1 < len(raw):
            left, right = units[-1][-1:], raw[i + 1][:1]
            if not (left.isalnum() and right.isalnum()):
                units[-1] += unit + raw[i + 1]
                i += 2
                continue
        units.append(unit)
        i += 1
    return units


def _autospace(left: str, right: str) -> float:
    """The quarter em a paper puts between Han and Latin (0.5 half-em units)."""
    a, b = left[-1:], right[:1]
    latin = lambda c: c.isascii() and c.isalnum()
    return 0.5 if (latin(a) and _HAN.match(b)) or (_HAN.match(a) and latin(b)) else 0.0


def wrap(text: str, column: int, indent: int, rng: random.Random, squeeze: float,
         proportional: bool = False, glue: float = 0.0) -> list[str]:
    """Greedy line breaking at `column` Han widths, first line shortened by `indent`,
    with line-start and line-end prohibition as papers apply them."""
    if not column:
        return [text]
    lines: list[str] = []
    line: list[str] = []
    used, capacity = 0.0, 2 * (column - indent)
    units = _units(text, rng, glue)
    for position, unit in enumerate(units):
        w = set_width(unit, proportional)
        if proportional and line:
            w += _autospace(line[-1], unit)
        if used + w > capacity and line:
            carry: list[str] = []
            if unit[0] in NO_LINE_START:
                if rng.random() < squeeze:       # squeezed in: the line runs a little long
                    line.append(unit)
                    used += w
                    continue
                if len(line) > 1:                # the last character goes down with it
                    carry.append(line.pop())
            while len(line) > 1 and line[-1][-1] in NO_LINE_END:
                carry.insert(0, line.pop())
            # The extraction keeps a space the author put next to Han at the line
            # end (a space between Latin words is dropped; the joiner restores it).
            text = "".join(line).lstrip()
            if unit.isspace():
                text += unit  # the break falls on this space
            # what opens the next line: when the break falls on a space, the unit after it
            nxt = unit if not unit.isspace() else "".join(units[position + 1:position + 2])
            if text.endswith(" ") and (_HAN.search(text.rstrip()[-1:]) or _HAN.search(nxt[:1])):
                text = text.rstrip() + " "
            else:
                text = text.rstrip()
            lines.append(text)
            line = carry
            used, capacity = sum(set_width(u, proportional) for u in carry), 2 * column
        if unit.isspace() and not line:
            continue
        line.append(unit)
        used += w
    if line:
        lines.append("".join(line).strip())
    return [l for l in lines if l]


def _digit_spaces(line: str, rng: random.Random, chance: float) -> str:
    if chance <= 0:
        return line
    return re.sub(r"(?<=[0-9])(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=[0-9])",
                  lambda m: " " if rng.random() < chance else "", line)


_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")


def _unnumbered(heading: str | None) -> str | None:
    return _NUMBERING.sub("", heading) if heading else heading


def _anchor(paragraph: str, all_text: str) -> str:
    """The shortest opening of the paragraph (at least 8 characters) unique in the text."""
    squashed = re.sub(r"\s+", "", all_text)
    opening = re.sub(r"\s+", "", paragraph)
    for n in range(8, len(opening) + 1):
        if squashed.count(opening[:n]) == 1:
            return opening[:n]
    return opening


def extract(article: dict, style: Style, seed: int) -> tuple[str, str | None, dict]:
    """(raw text, manifest TOML or None, expected article) for one article and style."""
    rng = random.Random(seed)
    sections = [s for s in article["sections"] if s["paragraphs"]]
    out: list[str] = [article["title"]]
    if article.get("subtitle"):
        out.append(article["subtitle"])
    out.append("")
    if article.get("byline"):
        out += [article["byline"], ""]
    body: list[str] = []
    heading_lines: list[str] = []
    if not style.numbered:
        # Without "（一）" nothing says a lone line is a subheading: it is a heading.
        sections = [dict(s, heading=_unnumbered(s["heading"] or s["subheading"]),
                         subheading=_unnumbered(s["subheading"]) if s["heading"] else None)
                    for s in sections]
    for index, section in enumerate(sections):
        heads = [h for h in (section["heading"], section["subheading"]) if h]
        if style.headings == "inplace":
            for head in heads:
                if body and body[-1] != "":
                    body.append("")
                body += [head, ""]
        else:
            heading_lines += heads
        # the lead of a sectioned article, set across columns
        wide = style.wide_lead and index == 0 and not heads and len(sections) > 1
        for paragraph in section["paragraphs"]:
            if wide:
                for line in wrap(paragraph, style.column * 3, 0, rng, style.squeeze,
                                 style.proportional, style.glue):
                    body += [_digit_spaces(line, rng, style.digit_space), ""]
                continue
            for line in wrap(paragraph, style.column, style.indent, rng, style.squeeze,
                             style.proportional, style.glue):
                body.append(_digit_spaces(line, rng, style.digit_space))
                if rng.random() < style.column_break:
                    body.append("")
            if rng.random() < style.para_blank and body[-1] != "":
                body.append("")
    block = []
    for line in heading_lines:
        block += [line, ""]
    if style.headings == "start":
        body = block + body
    elif style.headings == "end":
        body = body + ([""] if body and body[-1] else []) + block
    raw = "\n".join(out + body).rstrip("\n") + "\n"

    manifest = None
    if style.headings != "inplace":
        all_text = "\n".join(p for s in sections for p in s["paragraphs"])
        entries = []
        for section in sections:
            if not style.lead_entry and not (section["heading"] or section["subheading"]):
                continue  # the editor lists the headings; the text before them is the lead
            entry = [f'starts_at = {json.dumps(_anchor(section["paragraphs"][0], all_text), ensure_ascii=False)}']
            for key in ("heading", "subheading"):
                if section[key]:
                    entry.append(f"{key} = {json.dumps(section[key], ensure_ascii=False)}")
            entries.append("[[sections]]\n" + "\n".join(entry))
        manifest = "\n\n".join(entries) + "\n"
    expected = {
        "title": article["title"], "subtitle": article.get("subtitle"), "byline": article.get("byline"),
        "sections": [{"heading": s["heading"], "subheading": s["subheading"], "paragraphs": s["paragraphs"]}
                     for s in sections],
    }
    return raw, manifest, expected


STYLES = [
    Style(column=16, indent=2, headings="inplace"),
    Style(column=14, indent=2, headings="end", para_blank=0.6),
    Style(column=20, indent=2, headings="end", wide_lead=True),
    Style(column=17, indent=1, headings="inplace", column_break=0.12),
    Style(column=18, indent=3, headings="start", para_blank=0.9),
    Style(column=15, indent=0, headings="inplace", para_blank=1.0, column_break=0.05),
    Style(column=19, indent=2, headings="end", digit_space=0.6, para_blank=0.3),
    Style(column=0, indent=0, headings="inplace", column_break=0, para_blank=0.5, digit_space=0),
    # The layouts of issue 13, each seen on real papers the normalizer had not met:
    # proportional Latin and digits, a Han character kept with the number after it,
    # headings without their numbering in narrow columns, column-break blanks right
    # after a paragraph's first line, manifests that list only the headings.
    Style(column=13, indent=2, headings="inplace", numbered=False, proportional=True, column_break=0.12),
    Style(column=15, indent=2, headings="end", lead_entry=False, proportional=True, glue=0.5),
    Style(column=14, indent=0, headings="inplace", numbered=False, proportional=True, para_blank=0.9,
          column_break=0.1, glue=0.3),
    Style(column=16, indent=2, headings="start", lead_entry=False, proportional=True, glue=0.3,
          wide_lead=True, numbered=False),
    Style(column=18, indent=3, headings="inplace", proportional=True, column_break=0.2, digit_space=0.5),
    Style(column=15, indent=2, headings="end", wide_lead=True, lead_entry=False, numbered=False,
          proportional=True, column_break=0.12, glue=0.5),
]


def ambiguous_page(folder: Path) -> Path | None:
    """Corpus article 13 in the col17 indent1 layout (seed 3013): a page whose breaks
    the normalizer reports as uncertain, written to folder/generated.txt; None where
    ../shared/corpus is absent."""
    if not CORPUS.exists():
        return None
    raw, _, _ = extract(load_corpus()[13], STYLES[3], 3013)
    path = folder / "generated.txt"
    path.write_text(raw, "utf-8")
    return path

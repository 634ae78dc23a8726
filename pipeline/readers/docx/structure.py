"""The structure a reader sees: from heading styles where the document has them,
else from direct formatting as Chinese offices set documents (GB/T 9704-2012, 公文):

- the title: centred, larger than the body (小标宋), among the first paragraphs;
  a subtitle (——…, （…）), a byline and a date line may follow it, centred;
- headings numbered 一、 / （一） / 1. / （1） (and 第一章 / 第一节), short, not ending
  in sentence punctuation, usually set apart (黑体, 楷体, bold). Their levels are the
  ranks of the numbering styles the document uses; the numbering stays in the text.
  A numbered sentence that runs on into its paragraph is a run-in head instead.

Every decision below certainty goes to the report with its confidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Epigraph, Image, ListBlock, Paragraph, Quote, Section, Strong, Table, Text
from ...normalize.lines import display_width, ends_with_punct
from .body import Para
from .pasted import join_pasted

# Numbering styles of Chinese documents, from the outermost.
_NUM = "[一二三四五六七八九十百零〇]+"
NUMBERED = (
    (0, re.compile(rf"^第{_NUM}[章编部分]")),
    (1, re.compile(rf"^第{_NUM}节")),
    (2, re.compile(rf"^{_NUM}[、．.]")),
    (3, re.compile(rf"^[（(]{_NUM}[）)]")),
    (4, re.compile(r"^[0-9０-９]{1,2}[.．、](?![0-9０-９])")),
    (5, re.compile(r"^[（(][0-9０-９]{1,2}[）)]")),
    (6, re.compile(r"^[①-⑳]")),
)
HEADING_WIDTH = 60        # display width: 30 Han characters
RUNIN_WIDTH = 50          # a run-in head's first sentence, numbering included
TITLE_FONTS = ("小标宋", "标宋", "xbs", "xiaobiaosong", "bzxbs")
HEADING_FONTS = ("黑体", "simhei", "heiti", "楷体", "kaiti", "楷", "stkaiti", "hei")
DATE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}$")
_CN_DIGITS = "〇一二三四五六七八九"


@dataclass
class Front:
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    date: str | None = None


@dataclass
class Heading:
    para: Para
    level: int


@dataclass
class Recovered:
    front: Front
    sections: tuple[Section, ...]
    headings: int = 0
    paragraphs: int = 0
    decisions: list = field(default_factory=list)


def numbering_rank(text: str) -> int | None:
    for rank, pattern in NUMBERED:
        if pattern.match(text):
            return rank
    return None


def iso_date(text: str) -> str | None:
    """2024年5月20日, 二〇二四年五月二十日 or 2024-05-20 -> 2024-05-20."""
    text = re.sub(r"\s+", "", text)
    match = re.fullmatch(r"((?:19|20)\d{2})[年\-./](\d{1,2})[月\-./](\d{1,2})日?", text)
    if not match:
        chinese = re.fullmatch(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日", text)
        if not chinese:
            return None
        year = "".join(str(_CN_DIGITS.index(c if c != "零" else "〇")) for c in chinese.group(1))
        month, day = (_cn_small(chinese.group(2)), _cn_small(chinese.group(3)))
        return f"{year}-{month:02d}-{day:02d}"
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _cn_small(text: str) -> int:
    if "十" not in text:
        return _CN_DIGITS.index(text)
    tens, _, units = text.partition("十")
    return (_CN_DIGITS.index(tens) if tens else 1) * 10 + (_CN_DIGITS.index(units) if units else 0)


class Structure:
    def __init__(self, items: list, decisions: list):
        self.items = items
        self.decisions = decisions
        paras = [i for i in items if isinstance(i, Para) and i.text]
        self.styled = any(p.role and p.role.startswith("heading") or p.outline is not None for p in paras)
        sizes: dict = {}
        fonts: dict = {}
        for p in paras:
            sizes[p.size] = sizes.get(p.size, 0) + len(p.text)
            fonts[p.font] = fonts.get(p.font, 0) + len(p.text)
        self.body_size = max(sizes, key=sizes.get) if sizes else None
        self.body_font = max(fonts, key=fonts.get) if fonts else None

    def decide(self, para: Para | None, confidence: float, message: str) -> None:
        from ...normalize.report import Decision

        self.decisions.append(Decision(para.number if para else None, confidence, message))

    def recover(self) -> Recovered:
        front = Front()
        items = self._front(front)
        headings = self._headings(items)
        items = self._join_pasted(items, headings)
        sections, count = self._sections(items, headings)
        paragraphs = sum(1 for i in items if isinstance(i, Para) and i.text and id(i) not in headings)
        return Recovered(front, sections, len(headings), paragraphs, self.decisions)

    # -------------------------------------------------------------- front matter

    def _larger(self, p: Para) -> bool:
        return bool(p.size and self.body_size and p.size >= self.body_size + 2)

    def _front(self, front: Front) -> list:
        items = list(self.items)
        texts = [i for i in items if isinstance(i, Para) and i.text]
        titled = [p for p in texts[:5] if p.role == "title"]
        if titled:
            front.title = _one_line(titled[0].text)
            items.remove(titled[0])
        elif self._title_lines(items, front) is None:
            return items
        subtitled = [p for p in texts[:6] if p.role == "subtitle" and p in items]
        if subtitled:
            front.subtitle = _one_line(subtitled[0].text)
            items.remove(subtitled[0])
        return self._byline(items, front)

    def _title_lines(self, items: list, front: Front) -> int | None:
        """A 公文 title: the first centred paragraphs set larger (or in 小标宋)."""
        start = next((n for n, i in enumerate(items) if isinstance(i, Para) and i.text), None)
        if start is None:
            return None
        lines = []
        for item in items[start:start + 6]:
            if not isinstance(item, Para) or not item.text:
                if lines:
                    break
                continue
            font = (item.font or "").lower()
            titled = item.centered and (self._larger(item) or any(f in font for f in TITLE_FONTS))
            if titled and not _ends_clause(item.text) and numbering_rank(item.text) is None:
                lines.append(item)
            elif lines:
                break
        if not lines:
            first = items[start]
            if isinstance(first, Para) and first.centered and display_width(first.text) <= HEADING_WIDTH \
                    and not ends_with_punct(first.text) and numbering_rank(first.text) is None:
                lines = [first]
                self.decide(first, 0.7, "a centred first line taken as the title (no Title style, "
                                        "not set larger)")
            else:
                return None
        front.title = "".join(_one_line(p.text) for p in lines)
        if len(lines) > 1:
            self.decide(lines[0], 0.85, f"the title set on {len(lines)} lines joined")
        for p in lines:
            items.remove(p)
        return start

    def _byline(self, items: list, front: Front) -> list:
        """Centred short lines right after the title: subtitle, byline, date."""
        while items and isinstance(items[0], Para) and not items[0].text:
            items.pop(0)
        while items and isinstance(items[0], Para) and items[0].centered and items[0].text \
                and display_width(items[0].text) <= HEADING_WIDTH and numbering_rank(items[0].text) is None:
            para = items[0]
            text = _one_line(para.text)
            if front.date is None and iso_date(text):
                front.date = iso_date(text)
            elif front.subtitle is None and front.byline is None and text.startswith(("——", "—", "（", "(", "－－")):
                front.subtitle = text
            elif front.byline is None and not ends_with_punct(text):
                front.byline = text
                self.decide(para, 0.75, "a centred line after the title taken as the byline")
            else:
                break
            items.pop(0)
        return items

    # -------------------------------------------------------------- headings

    def _headings(self, items: list) -> dict[int, Heading]:
        paras = [i for i in items if isinstance(i, Para) and i.text]
        if self.styled:
            found = {}
            for p in paras:
                level = p.outline + 1 if p.outline is not None else \
                    int(p.role[7:]) if p.role and p.role.startswith("heading") else None
                if level is not None:
                    found[id(p)] = Heading(p, level)
            return found
        candidates = []
        for index, p in enumerate(paras):
            if p.listing or p.role in ("quote", "epigraph", "caption"):
                continue
            rank = numbering_rank(p.text)
            if rank is None:
                continue
            short = display_width(p.text) <= HEADING_WIDTH and not ends_with_punct(p.text)
            set_apart = p.bold or self._heading_font(p) or self._larger(p)
            if short and not set_apart and index + 1 < len(paras) and _wrapped_line(p, paras[index + 1]):
                self.decide(p, 0.7, f"numbered line “{p.text[:12]}” runs on into a line as long: "
                                    f"a wrapped line, not a heading")
            elif short:
                candidates.append((p, rank, 0.95 if set_apart else 0.75))
            elif set_apart and display_width(p.text) <= HEADING_WIDTH and not p.text.rstrip().endswith("。"):
                candidates.append((p, rank, 0.7))
        ranks = sorted({rank for _, rank, _ in candidates})
        found = {}
        for p, rank, confidence in candidates:
            level = ranks.index(rank) + 1
            found[id(p)] = Heading(p, level)
            self.decide(p, confidence, f"numbered line “{p.text[:12]}” taken as a level-{level} heading")
        return found

    def _heading_font(self, p: Para) -> bool:
        font = (p.font or "").lower()
        return p.font != self.body_font and any(f in font for f in HEADING_FONTS)

    def _join_pasted(self, items: list, headings: dict) -> list:
        out, run = [], []

        def flush():
            out.extend(join_pasted(run, self.decisions) if run else [])
            run.clear()

        for item in items:
            plain = isinstance(item, Para) and id(item) not in headings and not item.listing \
                and item.role not in ("quote", "epigraph", "caption", "title", "subtitle")
            if plain:
                run.append(item)
            else:
                flush()
                out.append(item)
        flush()
        return out

    # -------------------------------------------------------------- sections

    def _sections(self, items: list, headings: dict) -> tuple[tuple[Section, ...], int]:
        root = [0, None, [], []]
        stack = [root]
        pending: list = []   # list, quote or epigraph paragraphs waiting to be grouped
        for item in items:
            heading = headings.get(id(item))
            if heading is not None or not _groups_with(item, pending):
                stack[-1][2].extend(_group(pending))
                pending = []
            if heading is not None:
                while stack[-1][0] >= heading.level:
                    stack.pop()
                frame = [heading.level, _one_line(item.text), [], []]
                stack[-1][3].append(frame)
                stack.append(frame)
            elif isinstance(item, Para):
                if not item.text:
                    continue
                if item.listing or item.role in GROUPED:
                    pending.append(item)
                else:
                    stack[-1][2].append(self._paragraph(item))
            elif isinstance(item, (Table, Image)):
                stack[-1][2].append(item)
        stack[-1][2].extend(_group(pending))

        def build(frame) -> Section:
            return Section(frame[1], None, tuple(frame[2]), tuple(build(c) for c in frame[3]))

        sections = [build(c) for c in root[3]]
        if root[2] or not sections:
            sections.insert(0, Section(None, None, tuple(root[2])))
        return tuple(sections), len(headings)

    def _paragraph(self, para: Para) -> Paragraph:
        """A paragraph; a numbered first sentence that runs on is its run-in head."""
        paragraph = para.paragraph()
        if numbering_rank(para.text) is None or self.styled:
            return paragraph
        match = re.match(r"^(.{2,}?[。：:！？])(?=\S)", para.text)
        if not match or display_width(match.group(1)) > RUNIN_WIDTH or len(para.text) - match.end() < 4:
            return paragraph
        head = match.group(1)
        self.decide(para, 0.8, f"numbered first sentence “{head[:12]}” set as a run-in head")
        if not paragraph.inlines:
            return Paragraph(paragraph.text, head)
        first = paragraph.inlines[0]
        if isinstance(first, Text) and first.text.startswith(head):
            rest = first.text[len(head):]
            inlines = (Strong((Text(head),)), *((Text(rest),) if rest else ()), *paragraph.inlines[1:])
            return Paragraph(paragraph.text, None, inlines)
        return paragraph


def _ends_clause(text: str) -> bool:
    """Ends as a sentence or clause does (a title may end with ？ or ！, not with 。，：)."""
    return text.rstrip().endswith(("。", "，", "；", "：", "、", ".", ",", ";", ":"))


def _wrapped_line(p: Para, nxt: Para) -> bool:
    """A line of hard-wrapped text: the next paragraph is about as long (pasted from a PDF)."""
    width, following = display_width(p.text), display_width(nxt.text)
    return width >= 24 and abs(following - width) <= 6 and not nxt.bold


def _groups_with(item, pending: list) -> bool:
    if not pending:
        return True
    if not isinstance(item, Para):
        return False
    if not item.text:
        return True
    first = pending[0]
    if first.role in GROUPED:
        return item.role == first.role and not item.listing
    return bool(item.listing)


GROUPED = ("quote", "epigraph")  # styles whose consecutive paragraphs make one block
ATTRIBUTION_DASHES = ("——", "—")


def _group(paras: list) -> list:
    """Quote paragraphs -> one Quote; epigraph paragraphs -> one Epigraph, a last one
    opening with a dash its attribution; list paragraphs -> lists nested by level."""
    if not paras:
        return []
    if paras[0].role == "quote" and not paras[0].listing:
        return [Quote(tuple(p.paragraph() for p in paras))]
    if paras[0].role == "epigraph" and not paras[0].listing:
        blocks = [p.paragraph() for p in paras]
        attribution = None
        if len(blocks) > 1 and blocks[-1].text.lstrip().startswith(ATTRIBUTION_DASHES):
            attribution = blocks.pop()
        return [Epigraph(tuple(blocks), attribution)]
    return _lists(paras, paras[0].listing[2])


def _lists(paras: list, level: int) -> list:
    """Consecutive list paragraphs of one list and level -> ListBlock; deeper levels
    nest inside the item before them."""
    blocks, items, kind, key = [], [], None, None
    start = 1
    for p in paras:
        p_kind, p_key, p_level, p_start = p.listing
        if p_level > level and items:
            items[-1].append(p)
            continue
        if items and (p_kind != kind or p_key != key):
            blocks.append(_list_block(kind, items, start, level))
            items = []
        if not items:
            kind, key, start = p_kind, p_key, p_start
        items.append([p])
    if items:
        blocks.append(_list_block(kind, items, start, level))
    return blocks


def _list_block(kind: str, items: list, start: int, level: int) -> ListBlock:
    built = []
    for item in items:
        head, nested = item[0], item[1:]
        built.append((head.paragraph(), *(_lists(nested, nested[0].listing[2]) if nested else [])))
    return ListBlock(kind == "ordered", tuple(built), start)


def _one_line(text: str) -> str:
    from ...normalize.lines import join_lines

    parts = [part.strip() for part in text.split("\n") if part.strip()]
    out = ""
    for part in parts:
        out = join_lines(out, part)
    return out

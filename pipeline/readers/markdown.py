"""Markdown with YAML front matter -> Article (markdown-it-py, CommonMark + tables + footnotes).

`##` headings open top-level sections, `###` and deeper nest inside them; a `#`
heading gives the title when the front matter has none. Raw HTML is refused: a
source cannot smuggle scripts, frames or file:// references into the outputs.

An epigraph (题记) is a fenced div as pandoc writes it, `::: epigraph` (or
`::: {.epigraph}`) ... `:::`, around its paragraphs; a last paragraph that starts
with a dash (—— 鲁迅《野草》) is its attribution.
"""
from __future__ import annotations

import re

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import UserError
from .cjk_emphasis import cjk_friendly_plugin
from ..model import (Article, Block, CodeBlock, Code, Emph, Footnote, FootnoteRef, Image,
                     Epigraph, Inline, LineBreak, Link, ListBlock, Paragraph, Quote, Section, Strong,
                     Table, Text, plain_text)

# Every key accepted is used: a key the outputs would not show is refused, not dropped.
FRONT_KEYS = {"title", "subtitle", "author", "date", "lang"}


def _parser() -> MarkdownIt:
    # html=True only so that raw HTML is recognised and refused, never passed on.
    # Emphasis next to CJK punctuation works as Chinese writers expect (cjk_emphasis).
    return (MarkdownIt("commonmark", {"html": True}).enable("table")
            .use(front_matter_plugin).use(footnote_plugin).use(cjk_friendly_plugin)
            .use(container_plugin, "epigraph", validate=_is_epigraph))


def _is_epigraph(params: str, *args) -> bool:
    """`::: epigraph` or pandoc's `::: {.epigraph}` (other fenced divs stay text)."""
    return params.strip() in ("epigraph", "{.epigraph}")


# The dash that opens an epigraph's attribution: —— (clreq's dash), or one —.
ATTRIBUTION_DASHES = ("——", "—")


def read_markdown(text: str, path, warnings: list | None = None) -> Article:
    tokens = _parser().parse(text)
    front: dict = {}
    if tokens and tokens[0].type == "front_matter":
        front = _front_matter(tokens[0], path)
        tokens = tokens[1:]
    reader = _Reader(tokens, path)
    blocks_by_level = reader.document()
    if warnings is not None:
        warnings.extend(reader.warnings)
    title = front.get("title") or reader.title
    if not title:
        raise UserError(path, "no title: give 'title' in the front matter or a '# ' heading")
    return Article(
        title=title,
        subtitle=front.get("subtitle"),
        byline=front.get("author"),
        date=str(front["date"]) if front.get("date") is not None else None,
        lang=front.get("lang", "zh-Hans"),
        sections=blocks_by_level,
        footnotes=tuple(reader.footnotes),
    )


def _front_matter(token: Token, path) -> dict:
    try:
        data = yaml.safe_load(token.content) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise UserError(path, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                        line=line + 2 if line is not None else None) from None
    if not isinstance(data, dict):
        raise UserError(path, "front matter must be a YAML mapping (title: ..., author: ...)", line=2)
    for key, value in data.items():
        if key not in FRONT_KEYS:
            raise UserError(path, f"unknown front matter key '{key}' (allowed: {', '.join(sorted(FRONT_KEYS))})")
        if not isinstance(value, (str, int, float)) and not hasattr(value, "isoformat"):
            raise UserError(path, f"front matter '{key}' must be a single value")
    if "lang" in data and data["lang"] not in ("zh-Hans", "zh-Hant"):
        raise UserError(path, "front matter 'lang' must be zh-Hans or zh-Hant")
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in data.items()}


class _Reader:
    """Walks markdown-it's flat token stream into nested blocks and sections."""

    def __init__(self, tokens: list[Token], path):
        self.tokens = tokens
        self.pos = 0
        self.path = path
        self.title: str | None = None
        self.footnotes: list[Footnote] = []
        self.warnings: list[str] = []

    def _line(self, token: Token) -> int | None:
        return token.map[0] + 1 if token.map else None

    def document(self) -> tuple[Section, ...]:
        # (level, heading, blocks, children) frames; level 1 is the article itself.
        root: list = [1, None, [], []]
        stack = [root]
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if token.type == "heading_open":
                level = int(token.tag[1])
                inline = self.tokens[self.pos + 1]
                text = plain_text(self.inlines(inline.children or [], self._line(token)))
                self.pos += 3
                if level == 1:
                    if self.title is None and not root[2] and not root[3]:
                        self.title = text
                        continue
                    level = 2
                while stack[-1][0] >= level:
                    stack.pop()
                frame = [level, text, [], []]
                stack[-1][3].append(frame)
                stack.append(frame)
            elif token.type == "footnote_block_open":
                self.footnote_block()
            else:
                stack[-1][2].append(self.block())
        def build(frame) -> Section:
            return Section(frame[1], None, tuple(frame[2]), tuple(build(c) for c in frame[3]))
        sections = [build(c) for c in root[3]]
        if root[2] or not sections:
            sections.insert(0, Section(None, None, tuple(root[2])))
        return tuple(sections)

    def blocks_until(self, close: str) -> tuple[Block, ...]:
        blocks = []
        while self.tokens[self.pos].type != close:
            blocks.append(self.block())
        self.pos += 1
        return tuple(blocks)

    def block(self) -> Block:
        token = self.tokens[self.pos]
        kind = token.type
        if kind in ("html_block",):
            raise UserError(self.path, "raw HTML is not allowed in Markdown sources", line=self._line(token))
        if kind == "paragraph_open":
            inline = self.tokens[self.pos + 1]
            self.pos += 2
            while self.tokens[self.pos].type != "paragraph_close":  # e.g. footnote_anchor
                self.pos += 1
            self.pos += 1
            children = inline.children or []
            if len(children) == 1 and children[0].type == "image":
                image = children[0]
                alt = plain_text(self.inlines(image.children or [])).strip()
                if not alt:
                    self.warnings.append(f"{self.path}:{self._line(token)}: image '{image.attrGet('src')}' "
                                         f"has no alt text; readers who cannot see it get nothing")
                return Image(image.attrGet("src") or "", alt, image.attrGet("title"))
            return Paragraph.from_inlines(self.inlines(children, self._line(token)))
        if kind == "blockquote_open":
            self.pos += 1
            return Quote(self.blocks_until("blockquote_close"))
        if kind == "container_epigraph_open":
            return self.epigraph(token)
        if kind in ("bullet_list_open", "ordered_list_open"):
            close = kind.replace("_open", "_close")
            start = int(token.attrGet("start") or 1)
            self.pos += 1
            items = []
            while self.tokens[self.pos].type != close:
                self.pos += 1  # list_item_open
                items.append(self.blocks_until("list_item_close"))
            self.pos += 1
            return ListBlock(kind.startswith("ordered"), tuple(items), start)
        if kind in ("fence", "code_block"):
            self.pos += 1
            return CodeBlock(token.content.rstrip("\n"))
        if kind == "table_open":
            return self.table()
        if kind == "hr":
            self.pos += 1
            return Paragraph("＊　＊　＊")
        raise UserError(self.path, f"unsupported Markdown element '{kind}'", line=self._line(token))

    def epigraph(self, token: Token) -> Epigraph:
        close = next(t for t in self.tokens[self.pos + 1:]
                     if t.type == "container_epigraph_close" and t.level == token.level)
        if not close.markup:  # markdown-it closes it at the end of the text
            raise UserError(self.path, "an epigraph (::: epigraph) is never closed: end it with a line ':::'",
                            line=self._line(token))
        self.pos += 1
        blocks = self.blocks_until("container_epigraph_close")
        if not blocks:
            raise UserError(self.path, "an epigraph (::: epigraph) holds no text", line=self._line(token))
        for block in blocks:
            if not isinstance(block, Paragraph):
                raise UserError(self.path, f"an epigraph (::: epigraph) holds only paragraphs, "
                                           f"not a {block.kind}", line=self._line(token))
        attribution = None
        if len(blocks) > 1 and blocks[-1].text.lstrip().startswith(ATTRIBUTION_DASHES):
            attribution, blocks = blocks[-1], blocks[:-1]
        return Epigraph(tuple(blocks), attribution)

    def table(self) -> Table:
        header: tuple = ()
        rows, aligns, row, in_head = [], [], [], False
        while True:
            token = self.tokens[self.pos]
            self.pos += 1
            if token.type == "table_close":
                break
            if token.type in ("th_open", "td_open"):
                if token.type == "th_open":
                    aligns.append((token.attrGet("style") or "").replace("text-align:", "") or None)
                row.append(self.inlines(self.tokens[self.pos].children or [], self._line(self.tokens[self.pos])))
                self.pos += 2
            elif token.type == "tr_close":
                if in_head:
                    header = tuple(row)
                else:
                    rows.append(tuple(row))
                row = []
            elif token.type in ("thead_open", "thead_close"):
                in_head = token.type == "thead_open"
        return Table(header, tuple(rows), tuple(aligns))

    def footnote_block(self) -> None:
        self.pos += 1
        while self.tokens[self.pos].type != "footnote_block_close":
            token = self.tokens[self.pos]
            number = token.meta["id"] + 1
            self.pos += 1
            blocks = []
            while self.tokens[self.pos].type != "footnote_close":
                if self.tokens[self.pos].type == "container_epigraph_open":
                    # a note's text is set at the foot of the page: an epigraph there would be lost
                    raise UserError(self.path, "an epigraph (::: epigraph) cannot stand in a footnote",
                                    line=self._line(self.tokens[self.pos]))
                blocks.append(self.block())
            self.pos += 1
            self.footnotes.append(Footnote(number, tuple(blocks)))
        self.pos += 1
        self.footnotes.sort(key=lambda f: f.number)

    def inlines(self, children: list[Token], line: int | None = None) -> tuple[Inline, ...]:
        out: list[Inline] = []
        stack: list[tuple[str, str | None, list[Inline]]] = []
        current = out
        for child in children:
            kind = child.type
            if kind == "text":
                current.append(Text(child.content))
            elif kind == "softbreak":
                # Markdown soft wraps: nothing between Han characters, a space in Latin text.
                current.append(Text(""))
                current.append(Text("\x00soft"))
            elif kind == "hardbreak":
                current.append(LineBreak())
            elif kind == "code_inline":
                current.append(Code(child.content))
            elif kind in ("em_open", "strong_open", "link_open"):
                stack.append((kind, child.attrGet("href"), current))
                current = []
            elif kind in ("em_close", "strong_close", "link_close"):
                opener, href, parent = stack.pop()
                children = tuple(_merge(current))
                if opener == "em_open":
                    parent.append(Emph(children))
                elif opener == "strong_open":
                    parent.append(Strong(children))
                elif _publishable(href or ""):
                    parent.append(Link(href or "", children))
                else:  # a path on the editor's disk: no PDF or EPUB can carry it
                    self.warnings.append(f"{self.path}:{line}: link '{href}' points to a local file, which the "
                                         f"PDF and EPUB cannot carry: kept as text")
                    parent.extend(children)
                current = parent
            elif kind == "footnote_ref":
                current.append(FootnoteRef(child.meta["id"] + 1))
            elif kind == "image":
                raise UserError(self.path, "an image must stand alone in its paragraph", line=line)
            elif kind == "html_inline":
                raise UserError(self.path, "raw HTML is not allowed in Markdown sources", line=line)
            else:
                raise UserError(self.path, f"unsupported Markdown inline '{kind}'", line=line)
        return tuple(_merge(out))


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _publishable(href: str) -> bool:
    """A web or mail address, or a place in the document itself; not a local path
    (`../../etc/passwd`, `notes.md`), which would be a link out of the EPUB's
    container and a dead one in the PDF."""
    return href.startswith("#") or bool(_SCHEME.match(href)) and not href.lower().startswith("file:")


def _merge(nodes: list[Inline]) -> list[Inline]:
    """Adjacent Text nodes merged; soft breaks resolved by the characters around them."""
    from ..normalize.lines import join_lines

    merged: list[Inline] = []
    soft = False
    for node in nodes:
        if isinstance(node, Text) and node.text == "\x00soft":
            soft = True
            continue
        if isinstance(node, Text) and not node.text:
            continue
        if merged and isinstance(merged[-1], Text) and isinstance(node, Text):
            left = merged[-1].text
            merged[-1] = Text(join_lines(left.rstrip(), node.text.lstrip()) if soft else left + node.text)
        elif soft and merged and isinstance(merged[-1], Text) and merged[-1].text[-1:].isascii() \
                and merged[-1].text[-1:].isalnum():
            merged[-1] = Text(merged[-1].text + " ")
            merged.append(node)
        else:
            merged.append(node)
        soft = False
    return merged

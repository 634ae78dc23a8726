"""A Word paragraph's runs -> the model's inlines, as the document reads with every
tracked change accepted.

Insertions and moves-to are kept, deletions and moves-from dropped; hidden text,
comment marks and field instructions are no text; a field's result is (a HYPERLINK
field's a link, a TOC field's nothing: Word's contents are not body text). Tabs
become spaces, non-breaking hyphens hyphens, symbols (w:sym) their Unicode
character; equations are kept as their text, in reading order. Bold gives Strong;
italic, underline and Word's emphasis marks (w:em, 着重号) give Emph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...errors import UserError
from ...model import Emph, FootnoteRef, Inline, LineBreak, Link, Strong, Text
from .styles import NS, east_asia_font, half_points, w

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V = "urn:schemas-microsoft-com:vml"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
O = "urn:schemas-microsoft-com:office:office"

DESCEND = {w(n) for n in ("ins", "moveTo", "smartTag", "customXml", "dir", "bdo", "sdtContent")}
SKIP = {w(n) for n in ("del", "moveFrom", "commentRangeStart", "commentRangeEnd", "bookmarkStart",
                       "bookmarkEnd", "proofErr", "permStart", "permEnd", "pPr", "rPr", "sdtPr",
                       "sdtEndPr", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
                       "moveToRangeEnd", "customXmlPr")}
LINK_SCHEMES = ("http://", "https://", "mailto:")
W_RPR, W_RSTYLE, W_VAL, W_B, W_I, W_U, W_EM, W_SZ, W_RFONTS, W_VANISH, W_SPECVANISH = (
    w(n) for n in ("rPr", "rStyle", "val", "b", "i", "u", "em", "sz", "rFonts", "vanish", "specVanish"))
# Tags compared for every child of every run, named once.
T_BR = w("br")
T_CR = w("cr")
T_DRAWING = w("drawing")
T_ENDNOTE_REFERENCE = w("endnoteReference")
T_FLD_CHAR = w("fldChar")
T_FLD_CHAR_TYPE = w("fldCharType")
T_FOOTNOTE_REFERENCE = w("footnoteReference")
T_ID = w("id")
T_INSTR_TEXT = w("instrText")
T_NO_BREAK_HYPHEN = w("noBreakHyphen")
T_OBJECT = w("object")
T_PICT = w("pict")
T_PTAB = w("ptab")
T_SYM = w("sym")
T_T = w("t")
T_TAB = w("tab")
T_TYPE = w("type")
_PRIVATE = re.compile("[\uf020-\uf0ff]")  # the Symbol fonts' code points

# Word's Symbol and Wingdings fonts put their glyphs at F020-F0FF.
SYMBOL = {0xB7: "•", 0xB4: "×", 0xB8: "÷", 0xB1: "±", 0xA3: "≤", 0xB3: "≥", 0xB9: "≠", 0xBB: "≈",
          0xAE: "→", 0xAC: "←", 0xAD: "↑", 0xAF: "↓", 0xB0: "°", 0xA5: "∞", 0xD6: "√", 0xE5: "∑",
          0xF2: "∫", 0xB6: "∂", 0x2D: "−", 0xBA: "≡", 0xC6: "∅", 0xCE: "∈", 0xD0: "∠", 0xA7: "♣",
          0xA8: "♦", 0xA9: "♥", 0xAA: "♠", 0xBC: "…"}
SYMBOL.update({0x41 + i: c for i, c in enumerate("ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ")})
SYMBOL.update({0x61 + i: c for i, c in enumerate("αβχδεφγηιϕκλμνοπθρστυϖωξψζ")})
WINGDINGS = {0xFC: "✓", 0xFB: "✗", 0xFD: "☒", 0xFE: "☑", 0xA8: "□", 0x6F: "□", 0x6C: "●", 0x6E: "■",
             0x75: "◆", 0xD8: "➢", 0xA7: "▪", 0x9F: "•", 0x77: "◆", 0x71: "❑", 0x76: "❖", 0xE8: "➔",
             0xF0: "⇨", 0x4A: "☺", 0x4C: "☹", 0xAB: "★", 0xB2: "✧"}


@dataclass
class Field:
    instr: str = ""
    result: bool = False  # past w:fldChar separate: the result is showing

    @property
    def kind(self) -> str:
        return (self.instr.split() or [""])[0].upper()

    @property
    def href(self) -> str | None:
        parts = self.instr.split('"')
        if self.kind == "HYPERLINK" and len(parts) >= 2 and parts[1].startswith(LINK_SCHEMES):
            return parts[1]
        return None


@dataclass
class Stats:
    """What the 公文 recogniser reads off a paragraph's visible characters."""
    chars: int = 0
    bold_chars: int = 0
    sizes: dict = field(default_factory=dict)  # points -> characters
    fonts: dict = field(default_factory=dict)  # East Asian font -> characters

    def add(self, text: str, size, font, bold: bool) -> None:
        n = len(text.strip())
        if not n:
            return
        self.chars += n
        self.bold_chars += n if bold else 0
        self.sizes[size] = self.sizes.get(size, 0) + n
        self.fonts[font] = self.fonts.get(font, 0) + n

    @property
    def size(self) -> float | None:
        return max(self.sizes, key=self.sizes.get) if self.sizes else None

    @property
    def font(self) -> str | None:
        return max(self.fonts, key=self.fonts.get) if self.fonts else None

    @property
    def bold(self) -> bool:
        return bool(self.chars) and self.bold_chars == self.chars


@dataclass
class Content:
    """One paragraph's reading: inlines, pictures and text boxes found in it."""
    segments: list = field(default_factory=list)   # (node, href, strong, emph)
    pictures: list = field(default_factory=list)   # (blip element, docPr element or None, vml)
    boxes: list = field(default_factory=list)      # w:txbxContent elements, in reading order
    stats: Stats = field(default_factory=Stats)


class Runs:
    """Walks paragraphs' runs; `fields` persists across paragraphs (a TOC field spans many)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.fields: list[Field] = []

    @property
    def hidden(self) -> bool:
        return any(not f.result or f.kind in ("TOC", "INDEX", "TA", "XE", "TC") for f in self.fields)

    @property
    def in_toc(self) -> bool:
        return any(f.kind == "TOC" for f in self.fields)

    def paragraph(self, p, pstyle) -> Content:
        content = Content()
        self._children(p, content, pstyle, None)
        return content

    def _children(self, parent, content, pstyle, href) -> None:
        for child in parent:
            tag = child.tag
            if tag == w("r"):
                self._run(child, content, pstyle, href)
            elif tag in DESCEND:
                self._children(child, content, pstyle, href)
            elif tag == w("hyperlink"):
                self._children(child, content, pstyle, self._hyperlink(child) or href)
            elif tag == w("fldSimple"):
                instr = Field(child.get(w("instr"), ""), True)
                if instr.kind not in ("TOC", "INDEX"):
                    self._children(child, content, pstyle, instr.href or href)
            elif tag == w("sdt"):
                self._children(child, content, pstyle, href)
            elif tag in (f"{{{M}}}oMath", f"{{{M}}}oMathPara"):
                text = "".join(t.text or "" for t in child.iter(f"{{{M}}}t"))
                if text and not self.hidden:
                    self.ctx.decide(0.7, "an equation kept as its text (linear form)")
                    self._emit(content, Text(text), href, False, False, pstyle.size, pstyle.east_asia_font,
                               pstyle.bold)
            elif tag == f"{{{MC}}}AlternateContent":
                self._children(_choice(child), content, pstyle, href)
            elif tag == w("ruby"):
                base = child.find("w:rubyBase", NS)
                if base is not None:
                    self._children(base, content, pstyle, href)

    def _hyperlink(self, element) -> str | None:
        rid = element.get(f"{{{R}}}id")
        if rid is None:
            return None  # an anchor inside the document: its text is kept, the link is not
        rel = self.ctx.rels.get(rid)
        target = rel.target_ref if rel is not None else ""
        return target if target.startswith(LINK_SCHEMES) else None

    def _run(self, r, content, pstyle, href) -> None:
        rpr = r.find(W_RPR)
        props = {child.tag: child for child in rpr} if rpr is not None else {}
        char = self.ctx.styles.info(props[W_RSTYLE].get(W_VAL)) if W_RSTYLE in props else None
        # Hidden text is not what a reader sees (its field marks still count).
        vanished = _on(props.get(W_VANISH)) or _on(props.get(W_SPECVANISH))
        strong = _on(props[W_B]) if W_B in props else bool(char and char.bold)
        italic = _on(props[W_I]) if W_I in props else bool(char and char.italic)
        underline, mark = props.get(W_U), props.get(W_EM)
        emph = italic or (underline is not None and underline.get(W_VAL) not in ("none", "0", "false")) \
            or (mark is not None and mark.get(W_VAL) not in ("none", None))
        size = half_points(rpr) if W_SZ in props else None
        size = size or (char.size if char and char.size != self.ctx.styles.default_size else None) or pstyle.size
        font = (east_asia_font(rpr) if W_RFONTS in props else None) or (char.east_asia_font if char else None) \
            or pstyle.east_asia_font
        bold = strong or (pstyle.bold and W_B not in props)

        for child in r:
            tag = child.tag
            if tag == T_FLD_CHAR:
                kind = child.get(T_FLD_CHAR_TYPE)
                if kind == "begin":
                    self.fields.append(Field())
                elif kind == "separate" and self.fields:
                    self.fields[-1].result = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if tag == T_INSTR_TEXT:
                if self.fields and not self.fields[-1].result:
                    self.fields[-1].instr += child.text or ""
                continue
            if self.hidden or vanished:
                continue
            # A HYPERLINK field's result is a link, like w:hyperlink.
            link = href or next((f.href for f in reversed(self.fields) if f.href), None)

            def emit(node, link=link):
                self._emit(content, node, link, strong, emph, size, font, bold)

            if tag == T_T:
                text = child.text or ""
                emit(Text(self._private_use(text, props) if _PRIVATE.search(text) else text))
            elif tag in (T_TAB, T_PTAB):
                emit(Text(" "))
            elif tag == T_BR:
                if child.get(T_TYPE) not in ("page", "column"):
                    emit(LineBreak())
            elif tag == T_CR:
                emit(LineBreak())
            elif tag == T_NO_BREAK_HYPHEN:
                emit(Text("-"))
            elif tag == T_SYM:
                emit(Text(self._symbol(child)))
            elif tag in (T_FOOTNOTE_REFERENCE, T_ENDNOTE_REFERENCE):
                kind = "footnote" if tag == T_FOOTNOTE_REFERENCE else "endnote"
                number = self.ctx.note_number(kind, child.get(T_ID))
                if number:
                    emit(FootnoteRef(number))
            elif tag in (T_DRAWING, T_PICT, T_OBJECT):
                self._drawing(child, content)
            elif tag == f"{{{MC}}}AlternateContent":
                for inner in _choice(child):
                    if inner.tag in (T_DRAWING, T_PICT, T_OBJECT):
                        self._drawing(inner, content)

    def _emit(self, content, node, href, strong, emph, size, font, bold) -> None:
        if node is None:
            return
        content.segments.append((node, href, strong, emph))
        if isinstance(node, Text):
            content.stats.add(node.text, size, font, bold)

    def _private_use(self, text: str, props: dict) -> str:
        """Symbol-font characters typed as text (F020-F0FF, as LibreOffice writes w:sym)."""
        fonts = props.get(W_RFONTS)
        font = (fonts.get(w("ascii")) or fonts.get(w("hAnsi")) or "") if fonts is not None else ""
        return _PRIVATE.sub(lambda m: self._symbol_char(font, ord(m.group())), text)

    def _symbol(self, sym) -> str:
        try:
            code = int(sym.get(w("char"), "0"), 16)
        except ValueError:
            code = 0
        return self._symbol_char(sym.get(w("font")) or "", code)

    def _symbol_char(self, font_name: str, code: int) -> str:
        font = font_name.lower()
        low = code - 0xF000 if code >= 0xF000 else code
        table = WINGDINGS if "wingding" in font else SYMBOL if "symbol" in font else {}
        if low in table:
            return table[low]
        if code and not 0xE000 <= code <= 0xF8FF:
            return chr(code)
        self.ctx.warn(f"symbol {code:04X} of the font {font_name} has no Unicode "
                      f"equivalent known here; set as □ (type the character itself in Word)")
        return "□"

    def _drawing(self, element, content) -> None:
        if element.tag == T_OBJECT:
            ole = next(element.iter(f"{{{O}}}OLEObject"), None)
            program = ole.get("ProgID", "") if ole is not None else ""
            if program.startswith(("Equation", "MathType")):
                raise UserError(self.ctx.path, f"paragraph {self.ctx.current} holds an equation made with the "
                                               f"old Equation Editor or MathType ({program}), which cannot be "
                                               f"read as text: convert it in Word (Equation > Convert) and save again")
            if program:
                raise UserError(self.ctx.path, f"paragraph {self.ctx.current} holds an embedded {program} object, "
                                               f"which cannot be read: paste its content as a table, text or "
                                               f"picture instead and save again")
        for data in element.iter(f"{{{A}}}graphicData"):
            uri = data.get("uri", "")
            if "chart" in uri or "diagram" in uri:
                self.ctx.warn(f"a {'chart' if 'chart' in uri else 'SmartArt diagram'} is left out (no text "
                              f"or picture of it is stored); paste it as a picture in Word if it is needed")
        doc_pr = next(element.iter(f"{{{WP}}}docPr"), None)
        for blip in element.iter(f"{{{A}}}blip"):
            content.pictures.append((blip, doc_pr, False))
        for data in element.iter(f"{{{V}}}imagedata"):
            content.pictures.append((data, next(element.iter(f"{{{V}}}shape"), None), True))
        content.boxes.extend(element.iter(w("txbxContent")))


def _choice(alternate):
    """mc:AlternateContent: the first Choice (what current Word shows), else the Fallback."""
    choice = alternate.find(f"{{{MC}}}Choice")
    return choice if choice is not None else (alternate.find(f"{{{MC}}}Fallback") or [])


def _on(element) -> bool:
    """A toggle property (w:b, w:i, w:vanish...): present and not switched off."""
    return element is not None and element.get(W_VAL, "true") not in ("0", "false", "off", "none")


def build_inlines(segments) -> tuple[Inline, ...]:
    """(node, href, strong, emph) segments -> nested Link / Strong / Emph, texts merged."""
    def group(items, key):
        out, current, value = [], [], object()
        for item in items:
            k = key(item)
            if current and k != value:
                out.append((value, current))
                current = []
            value = k
            current.append(item)
        if current:
            out.append((value, current))
        return out

    def level(items, depth) -> list[Inline]:
        if depth == 3:
            return _merge([item[0] for item in items])
        out: list[Inline] = []
        for value, part in group(items, lambda s: s[1 + depth]):
            children = tuple(level(part, depth + 1))
            if not value:
                out.extend(children)
            elif depth == 0:
                out.append(Link(value, children))
            elif depth == 1:
                out.append(Strong(children))
            else:
                out.append(Emph(children))
        return _merge(out)

    return tuple(level(segments, 0))


def _merge(nodes) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and not node.text:
            continue
        if out and isinstance(node, Text) and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return out

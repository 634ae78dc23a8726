"""What a paragraph style means, whatever the program that wrote it called it.

Word stores a built-in style's English name in w:name ("heading 1") whatever the
language of its interface, with an id that may be localized ("1", "a", "Heading1");
WPS writes Chinese names ("标题 1") and ids of its own. A style is recognised by its
name, its id, the styles it is based on, and an outline level (w:outlineLvl, what
Word's navigation pane shows), in that order. Run properties (size, fonts, bold,
alignment) are resolved through the same chains for the 公文 recogniser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text or "").lower()


# Normalized names and ids -> role. Headings carry their level.
_ROLES = {
    "title": "title", "标题": "title",
    "subtitle": "subtitle", "副标题": "subtitle",
    "quote": "quote", "intensequote": "quote", "引用": "quote", "明显引用": "quote",
    "blockquote": "quote", "blocktext": "quote", "块文本": "quote",
    "listparagraph": "list", "列出段落": "list", "列表段落": "list",
    "listbullet": "list", "listnumber": "list", "列表项目符号": "list", "列表编号": "list",
    "caption": "caption", "题注": "caption",
    # 引言 is left out: in Chinese templates it names an introduction as often as an epigraph.
    "epigraph": "epigraph", "题记": "epigraph", "題記": "epigraph",
    "tocheading": "tocheading", "toc标题": "tocheading", "目录标题": "tocheading",
}
for _n in range(1, 10):
    for _name in (f"heading{_n}", f"标题{_n}", f"标题 {_n}"):
        _ROLES[_key(_name)] = f"heading{_n}"
    _ROLES[_key(f"toc {_n}")] = "toc"
    _ROLES[_key(f"目录 {_n}")] = "toc"


@dataclass(frozen=True)
class StyleInfo:
    role: str | None         # title, subtitle, headingN, quote, list, caption, toc...
    outline: int | None      # 0-based outline level, where the style declares one
    size: float | None       # half points resolved to points
    east_asia_font: str | None
    bold: bool
    italic: bool
    centered: bool
    num_id: str | None       # numbering the style applies (List Number, WPS headings)
    num_level: int


class Styles:
    """The document's paragraph styles, resolved through w:basedOn."""

    def __init__(self, root):
        self._by_id: dict[str, object] = {}
        self._cache: dict[str, StyleInfo] = {}
        self.default_size: float | None = None
        self.default_font: str | None = None
        self.default_para: str | None = None
        if root is None:
            return
        for style in root.iterfind(f"{{{W}}}style"):
            style_id = style.get(w("styleId"))
            if style_id:
                self._by_id[style_id] = style
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true"):
                self.default_para = style_id
        rpr = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        if rpr is not None:
            self.default_size = half_points(rpr)
            self.default_font = east_asia_font(rpr)

    def info(self, style_id: str | None) -> StyleInfo:
        style_id = style_id or self.default_para or ""
        if style_id not in self._cache:
            self._cache[style_id] = self._resolve(style_id, set())
        return self._cache[style_id]

    def _resolve(self, style_id: str, seen: set) -> StyleInfo:
        style = self._by_id.get(style_id)
        if style is None or style_id in seen:
            return StyleInfo(_ROLES.get(_key(style_id)), None, self.default_size, self.default_font,
                             False, False, False, None, 0)
        seen.add(style_id)
        base_id = style.find("w:basedOn", NS)
        base = self._resolve(base_id.get(w("val")), seen) if base_id is not None else \
            StyleInfo(None, None, self.default_size, self.default_font, False, False, False, None, 0)
        name = style.find("w:name", NS)
        role = _ROLES.get(_key(name.get(w("val")) if name is not None else "")) \
            or _ROLES.get(_key(style_id))
        ppr, rpr = style.find("w:pPr", NS), style.find("w:rPr", NS)
        outline = base.outline
        num_id, num_level = base.num_id, base.num_level
        centered = base.centered
        if ppr is not None:
            level = ppr.find("w:outlineLvl", NS)
            if level is not None and level.get(w("val"), "").isdigit():
                outline = int(level.get(w("val")))
                outline = None if outline >= 9 else outline  # 9 is "body text"
            jc = ppr.find("w:jc", NS)
            if jc is not None:
                centered = jc.get(w("val")) == "center"
            num = ppr.find("w:numPr", NS)
            if num is not None:
                num_id = _val(num.find("w:numId", NS)) or num_id
                num_level = int(_val(num.find("w:ilvl", NS)) or 0)
        if role is None:
            role = base.role if base.role not in ("title", "subtitle", "toc", "tocheading") else None
            if role is None and outline is not None:
                role = f"heading{outline + 1}"
        size = half_points(rpr) if rpr is not None and half_points(rpr) else base.size
        font = (east_asia_font(rpr) if rpr is not None else None) or base.east_asia_font
        bold = on(rpr, "b") if rpr is not None and rpr.find("w:b", NS) is not None else base.bold
        italic = on(rpr, "i") if rpr is not None and rpr.find("w:i", NS) is not None else base.italic
        return StyleInfo(role, outline, size, font, bold, italic, centered, num_id, num_level)


def _val(element) -> str | None:
    return element.get(w("val")) if element is not None else None


def on(rpr, name: str) -> bool:
    """A toggle property (w:b, w:i...): present and not switched off."""
    element = rpr.find(f"w:{name}", NS) if rpr is not None else None
    return element is not None and element.get(w("val"), "true") not in ("0", "false", "off", "none")


def half_points(rpr) -> float | None:
    size = rpr.find("w:sz", NS) if rpr is not None else None
    try:
        return int(size.get(w("val"))) / 2 if size is not None else None
    except (TypeError, ValueError):
        return None


def east_asia_font(rpr) -> str | None:
    fonts = rpr.find("w:rFonts", NS) if rpr is not None else None
    if fonts is None:
        return None
    return fonts.get(w("eastAsia")) or fonts.get(w("ascii")) or fonts.get(w("hAnsi"))

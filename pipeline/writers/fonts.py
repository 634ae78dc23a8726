"""The fonts the print edition is set in, found through fontconfig and measured
with HarfBuzz (the shaper WeasyPrint itself uses, so widths agree to the unit)."""
from __future__ import annotations

from functools import lru_cache

from ..errors import EXIT_BUILD, UserError

# Family names per script variant; the CSS names the same families.
# Kai (楷体) sets quotations, epigraphs and captions, as Chinese books do; LXGW WenKai
# (Debian fonts-lxgw-wenkai, OFL) covers both scripts, and a character it lacks falls
# back to the Serif face (the stylesheets list it second; typeset.py measures it so).
FAMILIES = {
    "zh-Hans": {"serif": "Noto Serif CJK SC", "sans": "Noto Sans CJK SC", "mono": "Noto Sans Mono CJK SC",
                "kai": "LXGW WenKai"},
    "zh-Hant": {"serif": "Noto Serif CJK TC", "sans": "Noto Sans CJK TC", "mono": "Noto Sans Mono CJK TC",
                "kai": "LXGW WenKai"},
}
PACKAGES = {"LXGW WenKai": "fonts-lxgw-wenkai"}  # the Debian package of each face; others: fonts-noto-cjk


class _Fontconfig:
    """fontconfig's own match, in this process (ctypes): what `fc-match PATTERN` does
    (parse, substitute, match) without starting five programs that each load the
    font cache again: 25 ms of every PDF build's start, now one load of 7 ms."""

    def __init__(self):
        from ctypes import CDLL, POINTER, c_char_p, c_int, c_void_p
        from ctypes.util import find_library

        try:
            lib = CDLL("libfontconfig.so.1")  # Debian's name; WeasyPrint loads the same library
        except OSError:
            lib = CDLL(find_library("fontconfig") or "libfontconfig.so.1")  # elsewhere
        self.lib = lib
        lib.FcInitLoadConfigAndFonts.restype = c_void_p
        lib.FcNameParse.restype, lib.FcNameParse.argtypes = c_void_p, [c_char_p]
        lib.FcConfigSubstitute.argtypes = [c_void_p, c_void_p, c_int]
        lib.FcDefaultSubstitute.argtypes = [c_void_p]
        lib.FcFontMatch.restype, lib.FcFontMatch.argtypes = c_void_p, [c_void_p, c_void_p, POINTER(c_int)]
        lib.FcPatternGetString.argtypes = [c_void_p, c_char_p, c_int, POINTER(c_char_p)]
        lib.FcPatternGetInteger.argtypes = [c_void_p, c_char_p, c_int, POINTER(c_int)]
        lib.FcPatternDestroy.argtypes = [c_void_p]
        self.config = lib.FcInitLoadConfigAndFonts()
        if not self.config:
            raise OSError("fontconfig could not load its configuration")

    def match(self, pattern: str) -> tuple[str, str, int] | None:
        """(first family, file, index in the collection) of the best match."""
        from ctypes import byref, c_char_p, c_int

        lib, result = self.lib, c_int()
        asked = lib.FcNameParse(pattern.encode("utf-8"))
        if not asked:
            return None
        try:
            lib.FcConfigSubstitute(self.config, asked, 0)  # FcMatchPattern
            lib.FcDefaultSubstitute(asked)
            found = lib.FcFontMatch(self.config, asked, byref(result))
        finally:
            lib.FcPatternDestroy(asked)
        if not found:
            return None
        try:
            family, file, index = c_char_p(), c_char_p(), c_int()
            if (lib.FcPatternGetString(found, b"family", 0, byref(family))
                    or lib.FcPatternGetString(found, b"file", 0, byref(file))
                    or lib.FcPatternGetInteger(found, b"index", 0, byref(index))):
                return None  # FcResultMatch is 0
            return family.value.decode("utf-8"), file.value.decode("utf-8"), index.value
        finally:
            lib.FcPatternDestroy(found)


@lru_cache(maxsize=None)
def _fontconfig() -> _Fontconfig:
    try:
        return _Fontconfig()
    except OSError as exc:
        raise UserError(None, f"cannot ask fontconfig for fonts: {exc}", exit_code=EXIT_BUILD) from None


def _fc_match(family: str, bold: bool) -> tuple[str, str, int] | None:
    return _fontconfig().match(f"{family}:bold" if bold else family)


_located: dict[tuple[str, bool], tuple[str, int]] = {}


def locate_all(faces) -> None:
    """Ask fontconfig for several (family, bold) faces."""
    for family, bold in dict.fromkeys(faces):
        if (family, bold) in _located:
            continue
        found = _fc_match(family, bold)
        if found is None:
            raise UserError(None, f"cannot ask fontconfig for {family}", exit_code=EXIT_BUILD)
        name, path, index = found
        if name != family:
            raise UserError(None, f"font {family} is not installed (fontconfig offers {name}); "
                                  f"install the Debian package {PACKAGES.get(family, 'fonts-noto-cjk')}",
                            exit_code=EXIT_BUILD)
        _located[(family, bold)] = (path, index)


def locate(family: str, bold: bool) -> tuple[str, int]:
    """(file, index in the collection) fontconfig gives for a family."""
    if (family, bold) not in _located:
        locate_all([(family, bold)])
    return _located[(family, bold)]


@lru_cache(maxsize=None)
def hb_font(family: str, bold: bool):
    import uharfbuzz as hb

    path, index = locate(family, bold)
    face = hb.Face(hb.Blob.from_file_path(path), index)
    font = hb.Font(face)
    return font, face.upem


def covers(family: str, bold: bool, codepoint: int) -> bool:
    """Whether the face has a glyph for the character (HarfBuzz's cmap lookup: no
    need to parse a collection's whole cmap)."""
    font, _ = hb_font(family, bold)
    return font.get_nominal_glyph(codepoint) is not None


def _script(ch: str) -> str | None:
    """Latn, Hani, or None for a character that takes its neighbours' script."""
    if ch.isascii() and ch.isalpha() or "\u00c0" <= ch <= "\u024f":
        return "Latn"
    if ch.isascii():
        return None  # digits, spaces and ASCII punctuation are Common
    if "\u2000" <= ch <= "\u206f" or ch in "\u00b7" or "\u3000" <= ch <= "\u303f" \
            or "\uff00" <= ch <= "\uffef":
        return None  # dashes, quotes, CJK and full-width punctuation: Common too
    return "Hani"


def script_runs(text: str) -> list[tuple[int, str, str]]:
    """(start, script, run) as Pango itemizes: Common characters take the script
    of what precedes them (of what follows, at the start)."""
    scripts = [_script(c) for c in text]
    current = next((s for s in scripts if s), "Zyyy")  # all Common: no script's rules
    resolved = []
    for s in scripts:
        current = s or current
        resolved.append(current)
    # digits between Latin (or alone) stay Latin; digits right after Han read as Han's
    runs, start = [], 0
    for i in range(1, len(text) + 1):
        if i == len(text) or resolved[i] != resolved[start]:
            runs.append((start, resolved[start], text[start:i]))
            start = i
    return runs


def advances(text: str, family: str, bold: bool, lang: str, halt: bool = False) -> list[tuple[int, float]]:
    """(cluster start index, advance in em) for each cluster of `text`, shaped per
    script run as Pango (and so WeasyPrint) shapes it."""
    import uharfbuzz as hb

    font, upem = hb_font(family, bold)
    # Kerning off, as print.css sets it for the lines we break (font-kerning: none).
    features = {"kern": False}
    if halt:
        features["halt"] = True
    clusters: dict[int, float] = {}
    for start, script, run in script_runs(text):
        buf = hb.Buffer()
        buf.add_str(run)
        buf.direction = "ltr"
        buf.script = script
        buf.language = lang
        hb.shape(font, buf, features)
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
            key = start + info.cluster
            clusters[key] = clusters.get(key, 0.0) + pos.x_advance / upem
    return sorted(clusters.items())

"""CJK-friendly emphasis delimiters for markdown-it-py (no Python port exists on PyPI).

CommonMark's flanking rules leave the asterisks of `**注意：**这是` and `*强调，*后文`
printed: the closing run is preceded by punctuation and followed by a letter, so it
is not right-flanking. The CJK-friendly amendment (tats-u/markdown-cjk-friendly,
proposed as commonmark-spec#650; the markdown-it-cjk-friendly and remark-cjk-friendly
plugins implement it) treats CJK punctuation as a letter for these rules, and a CJK
character beside punctuation as if it were a space. Where no CJK character takes
part, the rules are CommonMark's own (tested against markdown-it's output).

`cjk_friendly_plugin` replaces the inline `emphasis` rule's tokenizer with one that
scans the delimiter run by the amended rules; the balancing (post-processing) of
markdown-it is unchanged.
"""
from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.common.utils import isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, StateInline

# Wide (W) characters that default to emoji presentation: not CJK for the amendment.
_BMP_EMOJI = {0x231A, 0x231B, 0x23E9, 0x23EA, 0x23EB, 0x23EC, 0x23F0, 0x23F3, 0x25FD, 0x25FE,
              0x2614, 0x2615, *range(0x2648, 0x2654), 0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB,
              0x26BD, 0x26BE, 0x26C4, 0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5,
              0x26FA, 0x26FD, 0x2705, 0x270A, 0x270B, 0x2728, 0x274C, 0x274E, 0x2753, 0x2754,
              0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27B0, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50,
              0x2B55}


def is_cjk(ch: str) -> bool:
    """East Asian Width W, F or H and not an emoji, or Hangul."""
    cp = ord(ch)
    if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F \
            or 0xA960 <= cp <= 0xA97F or 0xD7B0 <= cp <= 0xD7FF:
        return True  # Hangul syllables and jamo (Script=Hangul)
    if unicodedata.east_asian_width(ch) not in ("W", "F", "H"):
        return False
    return not (0x1F000 <= cp <= 0x1FAFF or cp in _BMP_EMOJI)


def is_punct(ch: str) -> bool:
    """CommonMark 0.31's Unicode punctuation: general category P or S."""
    return unicodedata.category(ch)[0] in "PS"


def _is_svs(ch: str) -> bool:
    """A non-emoji general-use variation selector (U+FE00–U+FE0E)."""
    return "\ufe00" <= ch <= "\ufe0e"


def _is_ivs(ch: str) -> bool:
    return "\U000e0100" <= ch <= "\U000e01ef"


def flanking(before: str, after: str) -> tuple[bool, bool]:
    """(left-flanking, right-flanking) of a delimiter run between the text `before`
    and `after` it (line start and end count as whitespace)."""
    last = before[-1] if before else " "
    # A variation selector belongs to the character it follows.
    base = before[-2] if _is_svs(last) and len(before) >= 2 else last
    nxt = after[0] if after else " "
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    next_noncjk_punct = is_punct(nxt) and not is_cjk(nxt)
    last_noncjk_punct = is_punct(base) and not is_cjk(base) and not _is_ivs(last)
    left = not next_space and (
        not next_noncjk_punct
        or last_space or last_noncjk_punct or is_cjk(base) or _is_ivs(last))
    right = not last_space and (
        not last_noncjk_punct
        or next_space or next_noncjk_punct or is_cjk(nxt))
    return left, right


def scan(src: str, start: int, end: int, can_split_word: bool) -> tuple[bool, bool, int]:
    """(can open, can close, length) of the delimiter run at src[start]."""
    marker = src[start]
    pos = start
    while pos < end and src[pos] == marker:
        pos += 1
    left, right = flanking(src[max(0, start - 2):start], src[pos:end])
    last = src[start - 1] if start > 0 else " "
    if _is_svs(last) and start >= 2:
        last = src[start - 2]
    nxt = src[pos] if pos < end else " "
    # `_` may not open or close inside a word (rules 2 and 6: "Unicode punctuation sequence").
    can_open = left and (can_split_word or not right or is_punct(last))
    can_close = right and (can_split_word or not left or is_punct(nxt))
    return can_open, can_close, pos - start


def tokenize(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis tokenizer with the amended delimiter scan."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    can_open, can_close, length = scan(state.src, start, state.posMax, marker == "*")
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=length,
                                          token=len(state.tokens) - 1, end=-1,
                                          open=can_open, close=can_close))
    state.pos += length
    return True


def cjk_friendly_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.at("emphasis", tokenize)

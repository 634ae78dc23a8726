"""The vertical edition (竖排) of the EPUB: what changes from the horizontal one.

Columns run top to bottom and right to left (styles/vertical.css: writing-mode
vertical-rl); the spine says page-progression-direction="rtl" and the package
declares primary-writing-mode, so reading systems turn pages the way vertical books
do. Han characters stand upright and the fonts' vertical punctuation forms apply by
themselves (the vert feature of vertical text); runs of Latin letters and longer
numbers lie sideways (text-orientation: mixed); numbers of one or two digits stand
upright side by side in the column (縱中橫, text-combine-upright), which needs them
marked: upright_numbers does that to the rendered documents.
"""
from __future__ import annotations

import re

STYLESHEET = "vertical.css"
WRITING_MODE = "vertical-rl"

_BODY = re.compile(r"<body\b")
_TEXT = re.compile(r">([^<]+)<")
# One or two digits standing alone: not part of a longer number, a decimal, a time
# or a Latin word.
_SHORT_NUMBER = re.compile(r"(?<![0-9A-Za-z.,:/%-])([0-9]{1,2})(?![0-9A-Za-z.,:/%])")


def upright_numbers(xhtml: str) -> str:
    """The document with every short number of its body's text in a span.tcy (the
    head, whose <title> may hold no markup, is left alone)."""
    start = _BODY.search(xhtml)
    if start is None:
        return xhtml
    head, body = xhtml[:start.start()], xhtml[start.start():]
    marked = _TEXT.sub(lambda m: ">" + _SHORT_NUMBER.sub(r'<span class="tcy">\1</span>', m.group(1)) + "<", body)
    return head + marked

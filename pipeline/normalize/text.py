"""Character-level clean-up of recovered paragraphs, and run-in heads."""
from __future__ import annotations

import re

from .lines import LAYOUT_SPACE

# A short opening sentence with no inner punctuation, then more text: "做好主题教育活动。四川各级……"
_RUNIN = re.compile(r"^([^，、；：,;:“”‘’「」『』（）()《》\s]{3,14}?[。！？])(?=\S{8,})")
_NOT_A_HEAD = "我你他她它这那"


def remove_layout_spaces(text: str) -> str:
    return LAYOUT_SPACE.sub("", text)


def runin_candidate(text: str) -> str | None:
    match = _RUNIN.match(text)
    if not match or match.group(1)[0] in _NOT_A_HEAD:
        return None
    return match.group(1)


def find_runins(texts: list[str]) -> list[str | None]:
    """Run-in heads come in series (parallel items of one section): a candidate
    counts only when the paragraph before or after it has one too."""
    candidates = [runin_candidate(t) for t in texts]
    result: list[str | None] = []
    for i, head in enumerate(candidates):
        near = (i > 0 and candidates[i - 1]) or (i + 1 < len(candidates) and candidates[i + 1])
        result.append(head if head and near else None)
    return result

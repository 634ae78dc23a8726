"""Character-level clean-up of recovered paragraphs, and run-in heads."""
from __future__ import annotations

import re

from .lines import HAN

# A space the layout put between a digit and a Han character ("12月 6日", "超 2000 场").
# Spaces between two Han characters ("工心向党 笃行奋进") or in Latin text are the author's.
_LAYOUT_SPACE = re.compile(rf"(?<=[0-9])[ \t\u3000]+(?=[{HAN}])|(?<=[{HAN}])[ \t\u3000]+(?=[0-9])")
# A short opening sentence with no inner punctuation, then more text: "做好主题教育活动。四川各级……"
_RUNIN = re.compile(r"^([^，、；：,;:“”‘’「」『』（）()《》\s]{3,14}?[。！？])(?=\S{8,})")
_NOT_A_HEAD = "我你他她它这那"


def remove_layout_spaces(text: str) -> str:
    return _LAYOUT_SPACE.sub("", text)


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

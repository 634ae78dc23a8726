"""Writers: model (and HTML) -> output bytes. Each owns its format's quirks."""
from __future__ import annotations

from pathlib import Path

STYLES = Path(__file__).resolve().parents[2] / "styles"

# The stylesheets name the Simplified Chinese faces; an edition in Traditional
# Chinese uses the same rules with the Traditional faces (and their centred
# punctuation).
_FACES = {"zh-Hant": [("CJK SC", "CJK TC"), ("Han Serif SC", "Han Serif TC"), ("Han Sans SC", "Han Sans TC"),
                      ("PingFang SC", "PingFang TC"), ("Songti SC", "Songti TC"),
                      ("Hiragino Sans GB", "Hiragino Sans CNS"), ("Microsoft YaHei", "Microsoft JhengHei"),
                      ("Noto Serif SC", "Noto Serif TC"), ("Noto Sans SC", "Noto Sans TC"),
                      ("STSong", "LiSong Pro"), ("SimSun", "PMingLiU"), ("Kaiti SC", "Kaiti TC"),
                      ("STKaiti", "BiauKai"), ("KaiTi", "DFKai-SB")]}


def stylesheet(name: str, lang: str) -> str:
    text = (STYLES / name).read_text("utf-8")
    for simplified, traditional in _FACES.get(lang, []):
        text = text.replace(simplified, traditional)
    return text

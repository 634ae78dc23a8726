"""Title, subtitle and byline at the head of a raw extraction."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Line, display_width, ends_with_punct

# The most common Chinese surnames: a short isolated line that starts with one
# and is two to four Han characters long is most likely an author's name.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝老郁")
_BYLINE_WORDS = re.compile(r"记者|通讯员|特约|本报|作者|撰文|文\s*[/／]|图\s*[/／]|编辑|报道")
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


@dataclass
class Front:
    title: str
    subtitle: str | None
    byline: str | None
    consumed: int  # how many leading non-blank lines were front matter


def looks_like_byline(line: Line) -> bool:
    text = line.text
    if not line.blank_after or ends_with_punct(text) or display_width(text) > 40:
        return False
    if _BYLINE_WORDS.search(text) or re.search(r"[\u4e00-\u9fff][ \u3000·][\u4e00-\u9fff]", text):
        return True
    return bool(_NAME.match(text)) and text[0] in SURNAMES


def read_front(lines: list[Line]) -> Front:
    if not lines:
        return Front("", None, None, 0)
    title = re.sub(r"[ \t\u3000]+", " ", lines[0].text)
    index = 1
    subtitle = None
    if index < len(lines) and re.match(r"^(——|—|--|－－)", lines[index].text):
        subtitle = lines[index].text
        index += 1
    byline = None
    if index < len(lines) and looks_like_byline(lines[index]) and index + 1 < len(lines):
        byline = lines[index].text
        index += 1
    return Front(title, subtitle, byline, index)

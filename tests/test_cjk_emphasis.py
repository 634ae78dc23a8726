"""CJK-friendly emphasis delimiters (pipeline/readers/cjk_emphasis.py): Chinese
emphasis next to punctuation is recognised, and wherever no CJK character takes
part the result is CommonMark's (markdown-it-py's own rules)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pipeline.model import Emph, Strong, Text
from pipeline.readers.cjk_emphasis import flanking, is_cjk
from pipeline.readers.markdown import _parser, read_markdown

STOCK = MarkdownIt("commonmark")


@pytest.mark.parametrize("source, html", [
    ("**注意：**这是一段话", "<strong>注意：</strong>这是一段话"),
    ("*强调，*后文", "<em>强调，</em>后文"),
    ("前文**“引号”**后文", "前文<strong>“引号”</strong>后文"),
    ("这是**「重点」**。", "这是<strong>「重点」</strong>。"),
    ("（**括号**）里", "（<strong>括号</strong>）里"),
    ("使用**`make`**命令", "使用<strong><code>make</code></strong>命令"),
    ("前文*强调*后文", "前文<em>强调</em>后文"),
    ("**注意：** 这是", "<strong>注意：</strong> 这是"),
    # `_` still may not open inside a word, Han or Latin (rules 2 and 6 unchanged)
    ("前文_强调_后文", "前文_强调_后文"),
    ("snake_case_name", "snake_case_name"),
    ("，_强调_。", "，<em>强调</em>。"),
])
def test_cjk_cases(source, html):
    assert _parser().renderInline(source) == html


@pytest.mark.parametrize("source", [
    'a**"foo"**b', "*foo*bar", "foo*bar*", "**foo.**bar", "*(*foo*)*", "_foo_bar", "foo-_(bar)_",
    "a * foo bar*", "*$*alpha.", "**Gomphocarpus (*Gomphocarpus physocarpus*, syn.\n*Asclepias physocarpa*)**",
    "*foo**bar**baz*", "__foo, __bar__, baz__", "пристаням_стремятся_", "*«*foo*»*",
])
def test_commonmark_cases_unchanged(source):
    assert _parser().renderInline(source) == STOCK.renderInline(source)


# Text with no CJK characters: letters, digits, spaces, ASCII and Latin-1 punctuation,
# delimiters of both kinds.
NON_CJK = st.text(alphabet=st.sampled_from(list("ab1 *_*_.,!?\"'()-«»¡é\n")), max_size=24)


@settings(max_examples=3000, deadline=None)
@given(NON_CJK)
def test_no_cjk_is_commonmark(text):
    assert _parser().renderInline(text) == STOCK.renderInline(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("中文，。：“”（）*_ a")), max_size=20))
def test_no_text_lost(text):
    """Whatever the delimiters do, every character that is not a delimiter is kept, in order."""
    rendered = _parser().renderInline(text)
    import html
    import re
    plain = html.unescape(re.sub(r"</?(em|strong)>", "", rendered))
    strip = lambda s: s.replace("*", "").replace("_", "").replace("\n", "")
    assert strip(plain) == strip(text)


def test_flanking_table():
    assert flanking("：", "这") == (True, True)      # CJK punctuation is a letter here
    assert flanking("a", ".") == (False, True)       # CommonMark: `a**.` only closes
    assert flanking("中", "“") == (True, True)       # a CJK character before opening punctuation
    assert flanking("", "") == (False, False)
    assert is_cjk("中") and is_cjk("，") and is_cjk("가") and not is_cjk("a") and not is_cjk("😀")


def test_reader_builds_emphasis(tmp_path):
    article = read_markdown("---\ntitle: 标题\n---\n\n**注意：**这是一段话，*强调，*后文。\n", tmp_path / "x.md")
    inlines = article.sections[0].blocks[0].inlines
    assert isinstance(inlines[0], Strong) and inlines[0].children == (Text("注意："),)
    assert any(isinstance(n, Emph) and n.children == (Text("强调，"),) for n in inlines)
    assert "*" not in article.sections[0].blocks[0].text

"""Epigraphs (题记, issue 16): read from Markdown (::: epigraph) and from Word (a
paragraph style Epigraph or 题记), set in print by our own line breaker in Kai and
embedded, marked up as doc-epigraph in the EPUB."""
from __future__ import annotations

import zipfile

import pytest
from conftest import run_cli
from docxgen import new, paragraph_style, save

from pipeline.check import pdf_fonts
from pipeline.errors import UserError
from pipeline.model import Epigraph, to_json
from pipeline.readers import read
from pipeline.readers.markdown import read_markdown

SOURCE = """---
title: 题记
---

::: epigraph
当我沉默着的时候，我觉得充实；*我将开口*，同时感到空虚。

—— 鲁迅《野草·题辞》
:::

正文第一段。

## 第一节

::: {.epigraph}
路漫漫其修远兮，
吾将上下而求索。
:::

第一节的正文。

::: note
不是题记的围栏照旧是文字。
:::
"""


def blocks_of(data, section):
    return data["sections"][section]["blocks"]


def test_markdown_fenced_div_at_the_head_of_the_article_and_of_a_section(tmp_path):
    data = to_json(read_markdown(SOURCE, tmp_path / "a.md"))
    head = blocks_of(data, 0)[0]
    assert head["kind"] == "epigraph"
    assert [b["text"] for b in head["blocks"]] == ["当我沉默着的时候，我觉得充实；我将开口，同时感到空虚。"]
    assert head["blocks"][0]["inlines"][1] == {"kind": "emph", "children": [{"kind": "text", "text": "我将开口"}]}
    assert head["attribution"]["text"] == "—— 鲁迅《野草·题辞》"
    assert blocks_of(data, 0)[1]["text"] == "正文第一段。"
    section = blocks_of(data, 1)
    assert data["sections"][1]["heading"] == "第一节"
    # pandoc's {.epigraph} spelling; a soft wrap joins Han text; no dash, no attribution
    assert section[0] == {"kind": "epigraph", "attribution": None,
                          "blocks": [{"kind": "paragraph", "text": "路漫漫其修远兮，吾将上下而求索。", "runin": None}]}
    # another fenced div is no epigraph: its text is kept as it was written
    assert [b["text"] for b in section[2:]] == ["::: note不是题记的围栏照旧是文字。:::"]


def test_a_dash_line_alone_is_the_text_not_an_attribution(tmp_path):
    article = read_markdown("---\ntitle: t\n---\n\n::: epigraph\n—— 只有一行\n:::\n", tmp_path / "a.md")
    epigraph = article.sections[0].blocks[0]
    assert isinstance(epigraph, Epigraph) and epigraph.attribution is None
    assert epigraph.blocks[0].text == "—— 只有一行"


@pytest.mark.parametrize("body, message, line", [
    ("::: epigraph\n:::\n", "holds no text", 5),
    ("::: epigraph\n- 一\n- 二\n:::\n", "holds only paragraphs, not a list", 5),
    ("::: epigraph\n> 引文\n:::\n", "holds only paragraphs, not a quote", 5),
    ("[^1]: 注\n\n    ::: epigraph\n    题记\n    :::\n\n正文[^1]。\n", "cannot stand in a footnote", 7),
    # not closed: markdown-it would run it to the end, taking the article's text into it
    ("::: epigraph\n题记一句。\n\n正文第一段。\n", "is never closed", 5),
    ("::: epigraph\n题记一句。\n\n## 第一节\n\n正文。\n", "is never closed", 5),
])
def test_bad_epigraphs_are_refused_with_their_line(tmp_path, body, message, line):
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: t\n---\n\n" + body, "utf-8")
    with pytest.raises(UserError) as caught:
        read_markdown(path.read_text("utf-8"), path)
    assert message in str(caught.value)
    result = run_cli("build", str(path), "--format", "pdf", "--out", str(tmp_path / "out"))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and f"bad.md:{line}: " in result.stderr and message in result.stderr


@pytest.mark.parametrize("style", ["Epigraph", "题记"])
def test_word_epigraph_style(tmp_path, style):
    document = new("题记的文档")
    paragraph_style(document, style)
    document.add_paragraph("第一部分", style="Heading 1")
    document.add_paragraph("千里之行，始于足下。", style=style)
    document.add_paragraph("合抱之木，生于毫末。", style=style)
    document.add_paragraph("——老子《道德经》", style=style)
    document.add_paragraph("正文的第一段，讲的是编辑工作的起点。")
    data = to_json(read(save(document, tmp_path / "e.docx")).article)
    section = next(s for s in data["sections"] if s["heading"] == "第一部分")
    epigraph, body = section["blocks"][:2]
    assert epigraph["kind"] == "epigraph"
    assert [b["text"] for b in epigraph["blocks"]] == ["千里之行，始于足下。", "合抱之木，生于毫末。"]
    assert epigraph["attribution"]["text"] == "——老子《道德经》"
    assert body == {"kind": "paragraph", "text": "正文的第一段，讲的是编辑工作的起点。", "runin": None}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("epigraph")
    source = folder / "epi.md"
    # long enough for several lines, so that full lines are justified and measured
    long = "过去的生命已经死亡。我对于这死亡有大欢喜，因为我借此知道它曾经存活。" * 3
    source.write_text(SOURCE.replace("同时感到空虚。", "同时感到空虚。" + long), "utf-8")
    out = folder / "out"
    for fmt in ("pdf", "epub"):
        result = run_cli("build", str(source), "--format", fmt, "--out", str(out))
        assert result.returncode == 0, result.stderr
    return out


def test_pdf_sets_epigraphs_in_kai_embedded_and_subset(built):
    import pdfplumber

    fonts = pdf_fonts(built / "epi.pdf")
    assert any("LXGW-WenKai" in f["name"] for f in fonts)
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts)
    with pdfplumber.open(built / "epi.pdf") as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    kai = "".join(c["text"] for c in chars if "LXGW-WenKai" in c["fontname"])
    assert "当我沉默着的时候" in kai and "鲁迅《野草·题辞》" in kai and "路漫漫其修远兮" in kai
    assert {round(c["size"], 1) for c in chars if "LXGW-WenKai" in c["fontname"]} == {9.0}


def test_epub_marks_up_an_epigraph(built):
    with zipfile.ZipFile(built / "epi.epub") as epub:
        text = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert text.count('<div class="epigraph" epub:type="epigraph" role="doc-epigraph">') == 2
    assert '<p class="attribution">—— 鲁迅《野草·题辞》</p>' in text


def test_vertical_pdf_sets_epigraphs_in_kai_inside_head_and_foot(tmp_path):
    """Vertical: the epigraph's columns stand 2 em below the head (its paragraphs'
    first 2 em further), none reaches past 2 em above the foot, its full columns end
    there (the checker), and the attribution ends at that place (on a whole cell)."""
    import pdfplumber
    from vertical_typography import check_vertical

    source = tmp_path / "epi.md"
    body = "正文的段落照常缩进两字，每列排满，标点不出现在列首，题记则在列首列尾各让出两字的位置。" * 3
    text = SOURCE.split("::: note")[0].replace("正文第一段。", body).replace("第一节的正文。", body)
    source.write_text(text.replace("同时感到空虚。", "同时感到空虚。" + body), "utf-8")
    result = run_cli("build", str(source), "--format", "pdf", "--variant", "zh-Hant", "--writing", "vertical",
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "epi.zh-Hant.vertical.pdf"
    checked = check_vertical(path, first_page=3)
    assert checked.problems == [], checked.problems
    size = 10.5
    epigraph = [c for c in checked.columns if c.text.startswith(("當我沉默", "路漫漫", "——魯迅"))]
    assert len(epigraph) >= 3, [c.text for c in checked.columns]
    assert any(not c.last for c in epigraph)  # a full column, measured at the epigraph's foot
    for column in epigraph:
        assert column.tops[0] - checked.head >= (2 if column.text.startswith("——") or not column.first else 4) \
            * size - 0.5, column.text
        assert checked.foot - column.ends[-1] >= 2 * size - 0.5, column.text
    attribution = next(c for c in epigraph if c.text.startswith("——"))
    assert checked.foot - attribution.ends[-1] < 3 * size, attribution.text
    with pdfplumber.open(path) as pdf:
        kai = "".join(c["text"] for page in pdf.pages for c in page.chars if "LXGW-WenKai" in c["fontname"])
    assert "當我沉默著的時候" in kai and "路漫漫其修遠兮" in kai

"""Misses of the normalizer on the generated set (tests/newspaper.py), each a named
draw of one corpus article in one layout, fixed in general (issue 13). Each test
asserts what the fix changed; it fails without it."""
from __future__ import annotations

import tomllib

import pytest

from newspaper import CORPUS, STYLES, extract, load_corpus
from pipeline.manifest import parse_manifest
from pipeline.model import paragraphs
from pipeline.normalize import normalize
from pipeline.normalize.layout import measure
from pipeline.normalize.lines import make_lines, split_lines

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not here")


def draw(article: int, layout: int, seed: int):
    raw, manifest, truth = extract(load_corpus()[article], STYLES[layout], seed)
    parsed = parse_manifest(tomllib.loads(manifest), "generated.toml") if manifest else None
    return normalize(raw, parsed).article, truth


def opening(article, heading: str) -> str:
    """The first paragraph of the section with this heading (or subheading)."""
    for section in article.sections:
        if heading in (section.heading, section.subheading):
            return section.blocks[0].text
    raise AssertionError(f"no section headed {heading!r}: "
                         f"{[(s.heading, s.subheading) for s in article.sections]}")


def test_a_first_line_ending_on_a_stop_after_a_heading():
    """ "持续夯实高质量发展基础" / blank / "京津冀协同发展深入拓展。" (a first line, its
    stop squeezed in at the end) / ...: the heading is as wide as a first line, and
    the line after it ends a sentence yet is as narrow as a first line."""
    article, _ = draw(1, 8, 8001)
    assert opening(article, "持续夯实高质量发展基础").startswith("京津冀协同发展深入拓展。")
    assert opening(article, "稳步实施乡村全面振兴").startswith("稳产优供基础持续巩固。")


def test_a_squeezed_mark_on_a_first_line_after_a_numbered_heading():
    """ "（四）有力有效推进城市治理" / blank / "市容市貌焕新提质。统筹治标治本、": the next
    line is a first line with "、" squeezed in, not a full line."""
    article, _ = draw(1, 12, 12001)
    assert opening(article, "（四）有力有效推进城市治理").startswith("市容市貌焕新提质。")


def test_a_heading_after_a_colon():
    """ "重点做好六个方面工作：" / blank / a wide heading: a colon introduces what follows."""
    article, _ = draw(3, 8, 8003)
    assert opening(article, "全力办好国家大事，纵深推进京津冀协同发展").startswith("推动雄安新区高标准高质量建设。")


def test_a_line_opening_with_a_closing_mark_goes_on():
    """ "……" / blank / "。”": a stop or a closing mark never opens a paragraph."""
    article, truth = draw(12, 8, 8012)
    texts = [p.text for p in paragraphs(article)]
    assert not any(t.startswith("。") for t in texts)
    assert any(t.endswith("千杯未醉嗬～～……。”") for t in texts)


def test_a_numbered_opening_after_a_stop_opens_a_paragraph():
    """A full line ending a sentence, a blank, then "（二）坚持不懈实施高水平改革开放。":
    the numbering opens an item, not a column break's continuation."""
    article, _ = draw(8, 3, 3008)
    assert any(p.text.startswith("（二）坚持不懈实施高水平改革开放。") for p in paragraphs(article))


def test_a_last_line_as_wide_as_a_first_line_is_no_opening():
    """ "在小园里找了一遍，也不见。" / "心里便有些亡失的预警。" / blank: the second line ends
    its paragraph, so its width (that of a first line) says nothing of an indent."""
    article, _ = draw(13, 8, 8013)
    assert any(p.text.endswith("也不见。心里便有些亡失的预警。") for p in paragraphs(article))


def test_a_first_line_that_could_not_take_the_next_word():
    """ "……都无从知道。" / "总而言之：我将不能常到百草园了。" (narrower than a first line
    by more than the indent) / "Ade，我的蟋蟀们！……": a running line would have had
    room for "Ade，"; a first line, shorter by its indent, had not."""
    article, _ = draw(12, 2, 2012)
    assert any(p.text.startswith("总而言之：我将不能常到百草园了。Ade，") for p in paragraphs(article))


def test_a_line_short_by_a_character_pushed_down_goes_on():
    """ "……提升生态环境治理能力水平。" / blank / "统筹推进治水、治气、治土、治" / blank /
    "废、治塑，……": the line is short only because "废、" went down together (a mark
    may not start a line), so it is a running line and the blank a column break."""
    article, _ = draw(6, 13, 13006)
    assert any("提升生态环境治理能力水平。统筹推进治水、治气、治土、治废、治塑" in p.text
               for p in paragraphs(article))


def test_a_first_line_cut_off_before_a_running_line_short_by_a_number():
    """ "提升农业综合生产能力和质量" / blank / "效益。正常年景下粮食产量达" / blank / "到 900
    亿斤以上。…": the line after the isolated one is as narrow as a first line only
    because "到 900" did not fit on it, which says nothing for a heading."""
    article, _ = draw(7, 9, 9007)
    assert any(p.text.startswith("提升农业综合生产能力和质量效益。") for p in paragraphs(article))
    assert "提升农业综合生产能力和质量" not in {s.heading for s in article.sections}


def test_an_unpunctuated_first_line_after_a_blank_opens_the_next_paragraph():
    """ "…大声道：“读书”" / blank / "于是大家放开喉咙读一阵书，真是" / "人声鼎沸。…": joined
    across the blank, the paragraph would end unpunctuated on "真是"; the line, as
    narrow as a first line, opens the next paragraph, which runs on."""
    article, _ = draw(12, 12, 12012)
    texts = [p.text for p in paragraphs(article)]
    assert any(t.endswith("大声道：“读书”") for t in texts)
    assert any(t.startswith("于是大家放开喉咙读一阵书，真是人声鼎沸。") for t in texts)


def test_a_closing_dateline_is_a_paragraph_of_its_own():
    """ "……妻已睡熟好久了。" / "1927年7 月，北京清华园。": the text ends on the date and
    place it was written, short of the column; it is not the paragraph's last line."""
    article, _ = draw(14, 2, 2014)
    assert list(paragraphs(article))[-1].text == "1927年7月，北京清华园。"


def test_the_lost_indent_is_not_measured_after_a_line_a_column_break_isolated():
    """A short text with column breaks on both sides of full lines ("系统的边缘，而数据中心
    是这些边缘的中" alone): those lines are text, not headings, so the lines after them
    say nothing of the indent a first line loses; with the indent known, the three
    sections open where they do."""
    article, _ = draw(25, 12, 12025)
    assert opening(article, "是什么").startswith("边缘计算是一种分布式系统方法，它将")
    assert opening(article, "解决的问题").startswith("在过去十年中，我们看到了越来越多的边缘设备")
    assert opening(article, "如何帮助").startswith("如上所述，要使边缘设备有用，这些边缘设备")


def test_full_width_lines_at_the_start_are_no_displaced_block():
    """ "是什么" / blank / "在主从式架构（客户端-服务器架构）" / blank / "中，构成应用程序的
    逻辑（或代码）会" / blank / ...: three loose lines open the text, but the last two are
    as wide as running lines, cut off by column breaks: "是什么" heads the first
    paragraph in place (a held-out draw, seed offset 500)."""
    article, _ = draw(22, 3, 3522)
    assert opening(article, "是什么").startswith("在主从式架构（客户端-服务器架构）中，构成应用程序")
    assert article.unplaced == ()


def test_a_closing_date_in_chinese_numerals_is_a_paragraph_of_its_own():
    """ "……文艺不能自成为新文艺。" / "六月四日。": the date an essay was written, however
    short, is no last line of the paragraph before it (held-out draw, seed offset 500)."""
    article, _ = draw(16, 1, 1516)
    assert list(paragraphs(article))[-1].text == "六月四日。"


def test_the_generator_keeps_a_space_before_han_when_the_line_breaks_on_it():
    """ "部署后，Serverless" / "应用程序会响应需求…": the break falls on the author's space
    between a Latin word and Han; the extraction keeps it at the line's end (as it does
    for a space after Han), so the text can give it back. The generator used to look
    at the space itself for what opened the next line and dropped it."""
    raw, _, _ = extract(load_corpus()[23], STYLES[2], 2023)
    assert "部署后，Serverless \n" in raw
    article, _ = draw(23, 2, 2023)
    assert any("部署后，Serverless 应用程序会响应需求" in p.text for p in paragraphs(article))


def test_figures_are_set_about_half_an_em():
    """ "从75.6%提升至 76.5%。" (a last line after a column-break blank) / "六是民生保障持续
    加强。…": figures in a proportional face are barely wider than half an em, so the
    line is short and ends its paragraph; counted as wide as capitals, it looked full."""
    article, _ = draw(0, 10, 10000)
    assert any(p.text.startswith("六是民生保障持续加强。") for p in paragraphs(article))


def test_a_short_heading_opens_the_body_whatever_the_line_after_it():
    """ "Serverless" (title) / blank / "是什么" / blank / "Serverless 是一种云原生开发模"
    (display width 29 in a column of 28: lower case is set narrower than half an em):
    a line well short of the column is no first line cut off by a column break, so it
    heads the text even when the line after it does not look like a first line."""
    article, _ = draw(23, 10, 10123)
    assert opening(article, "是什么").startswith("Serverless 是一种云原生开发模型")


def test_a_first_line_short_by_a_word_that_did_not_fit_is_no_heading():
    """ "如何帮助" / blank / "相比之下，使用 " / blank / "Serverless 架构，…": the second
    line is narrow only because "Serverless" went down: it is text, never a heading."""
    article, _ = draw(23, 8, 8323)
    assert any(p.text.startswith("相比之下，使用 Serverless 架构，应用程序") for p in paragraphs(article))
    assert not any("相比之下" in (s.heading or "") + (s.subheading or "") for s in article.sections)


def test_a_sentence_end_short_only_by_the_next_word_goes_on():
    """ "声明性地部署应用程序。" (short of the column) / "Kubernetes 生态系统中的软件产" with
    no indent to tell: the line is short only because "Kubernetes" did not fit on it,
    which says nothing for a paragraph's end."""
    article, _ = draw(19, 5, 5019)
    assert any("声明性地部署应用程序。Kubernetes 生态系统中的软件产品" in p.text for p in paragraphs(article))


def test_a_quotation_a_colon_introduced_ends_the_sentence():
    """ "瞪几眼，大声道：“读书”" (short) / blank / "于是大家放开喉咙读一阵书，": the
    quoted utterance closes the sentence without a stop of its own, so the short line
    ends the paragraph."""
    article, _ = draw(12, 1, 1012)
    texts = [p.text for p in paragraphs(article)]
    assert any(t.endswith("大声道：“读书”") for t in texts)
    assert any(t.startswith("于是大家放开喉咙读一阵书，真是人声鼎沸。") for t in texts)


def test_a_full_next_line_ending_on_a_squeezed_mark_may_be_a_first_line():
    """ "干事创业成为政府工作的鲜明导向。" / blank / "各位代表，过去一年，形势复杂多变，"
    (as wide as a full line): where the indent is one character, a first line that
    squeezed in the comma it ends with is as wide as a running line, so that width
    is weak evidence against a paragraph break, and the blank carries it."""
    article, _ = draw(0, 3, 3200)
    assert any(p.text.startswith("各位代表，过去一年，形势复杂多变，") for p in paragraphs(article))


def test_latin_set_proportionally_widens_a_line_that_looks_like_a_first_line():
    """ "稳产优供基础持续巩固。" / "建设47.8万亩高标准农田，" (display width 24 in a column
    of 26, as narrow as a first line that squeezed in its comma): where the paper sets
    figures proportionally with a quarter em beside Han (measured on its running
    lines), the line is full and the paragraph goes on."""
    article, _ = draw(1, 8, 8201)
    assert any(p.text.startswith("稳产优供基础持续巩固。建设47.8万亩高标准农田") for p in paragraphs(article))


def test_a_sentence_end_before_a_first_line_is_a_last_line_not_a_paragraph():
    """ "…高质量发展政策。" (full) / "继续实施高原特色产业电价补贴政策。" (as wide as an
    indented first line) / "积极扩大有效投资。…" (a first line): the middle line ends
    its paragraph, so its width says nothing of a lost indent; it is the last line."""
    article, _ = draw(5, 6, 6005)
    texts = [p.text for p in paragraphs(article)]
    assert any(t.endswith("发展政策。继续实施高原特色产业电价补贴政策。") for t in texts)
    assert "继续实施高原特色产业电价补贴政策。" not in texts


def test_a_first_line_one_character_short_that_no_prohibition_explains():
    """Indent of one character: "进基层惠民演出，办好第17 届省运会。" (full) / "打造良好生态
    环境。实施大气污染防" (short by one character) / "治提质增效行动，…": no mark after
    "治" could have carried it down (clreq 3.1.7), so the short line is a first line."""
    article, _ = draw(3, 3, 3903)
    assert any(p.text.startswith("打造良好生态环境。实施大气污染防治") for p in paragraphs(article))


def test_a_line_short_by_what_latin_widens_and_a_pushed_character_goes_on():
    """Latin set proportionally: "乡村宜居环境持续优化。" (a first line) / "新建提升310公里
    农村公" (display width 21 of 26, but "310" with its quarter ems sets wider) / "路，12
    个…": the line is full less "路，", which went down together; no first line."""
    article, _ = draw(1, 8, 8501)
    assert any(p.text.startswith("乡村宜居环境持续优化。新建提升310公里农村公路") for p in paragraphs(article))


def test_a_full_line_ending_a_sentence_is_no_one_line_paragraph():
    """Indent of three characters, blanks at column breaks: "…让政府工作的温度直达百姓心
    头。" / blank / "四是坚持严的基调，永葆清正廉洁本色。" (full, a blank after it): a
    line that wide is no first line, so it is no one-line paragraph; the text runs on."""
    article, _ = draw(5, 12, 12005)
    assert any("心头。四是坚持严的基调，永葆清正廉洁本色。加强政府系统" in p.text for p in paragraphs(article))


def test_a_sentence_end_short_by_room_for_the_next_opening_ends_its_paragraph():
    """Display widths exact (no proportional Latin), a column of 28: "态时，它不会花费
    任何费用。" (26) / "在标准的 基础设施即服": "在" would have fitted on the first line,
    so it was a paragraph's last, though it falls short by less than the tolerance."""
    article, _ = draw(23, 1, 1023)
    texts = [p.text for p in paragraphs(article)]
    assert any(t.endswith("它不会花费任何费用。") for t in texts)
    assert any(t.startswith("在标准的 基础设施即服务 (IaaS)") for t in texts)


def test_a_line_without_latin_is_measured_exactly_where_the_paper_sets_latin_proportionally():
    """Latin set proportionally, no indent: "要退下来的时候，赶忙问。" (24 of 28, no Latin on
    it) / "“不知道！”他似乎很不高兴，": "“不" would have fitted, so the line ended its
    paragraph although the paper's Latin makes other lines' widths approximate."""
    article, _ = draw(12, 10, 10012)
    texts = [p.text for p in paragraphs(article)]
    assert any(t.endswith("将要退下来的时候，赶忙问。") for t in texts)
    assert "“不知道！”他似乎很不高兴，脸上还有怒色了。" in texts


def test_an_odd_median_first_line_gap_is_an_even_indent():
    """A text with spaces around its terms (the Kubernetes article, indent of two
    characters): most first lines fall short by 5, the indent and a space's width
    that no Han character could fill. Measured as an indent of 5, "Kubernetes在 集群
    的 节点 上" (28 of 32) was no first line, and its paragraph was lost in the one
    before; an indent is whole ems, an even display width."""
    raw, _, _ = extract(load_corpus()[19], STYLES[0], 919)
    layout = measure(make_lines(split_lines(raw)))
    assert layout.indent_of(layout.body_column) == 4
    article, _ = draw(19, 0, 919)
    assert any(p.text.startswith("Kubernetes在 集群 的 节点 上调度 容器。") for p in paragraphs(article))


def test_a_first_line_that_had_room_for_the_next_opening():
    """Indent of three characters, no Latin: "…然而都不是美女蛇。" (full, no blank after it)
    / "冬天的百草园比较的无味；雪一下，" (32 of 36, a first line with its comma squeezed
    in) / blank / "可就两样了。": a running line would have taken "可"; so the line
    is a first line, though this paper puts blank lines at nine breaks in ten."""
    article, _ = draw(12, 4, 4912)
    texts = [p.text for p in paragraphs(article)]
    assert any(t.endswith("然而都不是美女蛇。") for t in texts)
    assert any(t.startswith("冬天的百草园比较的无味；雪一下，可就两样了。") for t in texts)


def test_a_first_line_may_squeeze_in_more_than_one_mark():
    """Indent of two characters, a column of 40: "我很愤怒，叫道：“一定是猫，一定是猫！”"
    is full, yet a first line: "！" and "”" were each squeezed in at its end (clreq
    3.1.7), so it can be a one-line paragraph before a blank."""
    article, _ = draw(13, 2, 2013)
    assert "我很愤怒，叫道：“一定是猫，一定是猫！”" in [p.text for p in paragraphs(article)]


def test_a_line_wider_than_any_first_line_after_a_blank_runs_on():
    """ "来看看，是不是有了黄鼠狼。" (full) / blank / "它负责，慈爱，勇敢，辛苦，" (26 of 26, an
    indent of two characters): no first line is that wide, even with its comma
    squeezed in, so the blank was a column break, though this paper puts blanks at
    most paragraph breaks."""
    article, _ = draw(18, 8, 8518)
    assert any("是不是有了黄鼠狼。它负责，慈爱，勇敢，辛苦，" in p.text for p in paragraphs(article))


@pytest.mark.parametrize("article, layout, seed", [(19, 1, 1519), (18, 4, 4018), (18, 12, 12018)])
def test_the_indent_is_the_one_that_explains_most_first_lines(article, layout, seed):
    """Few first lines to measure, and words that did not fit leaving some shorter
    than the indent says (the Kubernetes article: 5, 5, 6, 7 for an indent of 4; a
    paper indenting 3 characters: 6, 8, 8): each such line is short by the indent
    and less than what opens the next line, or by the indent less the marks it
    squeezed in; the indent is the even width most of them allow."""
    raw, _, _ = extract(load_corpus()[article], STYLES[layout], seed)
    measured = measure(make_lines(split_lines(raw)))
    assert measured.indent_of(measured.body_column) == 2 * STYLES[layout].indent


def test_a_first_line_without_punctuation_after_a_comma_opens_its_paragraph():
    """Indent of three characters: "公司有序展业，中国电子增资麒麟软件，" (full) / "协和天津
    基地建设顺利推进，中资" (30 of 36, as narrow as a first line) / "信创总部、…": the
    corpus paragraph ends on the comma. The narrow line is a first line, not the last
    line of a paragraph ending without punctuation; the report keeps one decision for
    it, the one that stands."""
    raw, manifest, _ = extract(load_corpus()[1], STYLES[4], 4901)
    result = normalize(raw, parse_manifest(tomllib.loads(manifest), "generated.toml"))
    texts = [p.text for p in paragraphs(result.article)]
    assert any(t.startswith("协和天津基地建设顺利推进，中资信创总部") for t in texts)
    assert not any(t.endswith("中资") for t in texts)
    line = raw.split("\n").index("协和天津基地建设顺利推进，中资") + 1
    assert [d.kind for d in result.report.decisions if d.line == line] == ["break"]


def test_layout_spaces_take_no_room_on_a_first_line():
    """ "…持续火爆。" (full) / blank / "刚刚过去的 2025 年很不平凡。习" (30 of 32): the two
    spaces beside the digits are the extraction's, not the page's; without them the
    line is 28, as narrow as a first line, and opens a paragraph."""
    article, _ = draw(2, 0, 2)
    assert any(p.text.startswith("刚刚过去的2025年很不平凡。") for p in paragraphs(article))


def test_a_clause_end_with_room_before_a_first_line_ends_its_paragraph():
    """No Latin on the lines, an indent of two characters: "展业，中国电子增资麒麟软件，"
    (28 of 30: "协" would have fitted) / "协和天津基地建设顺利推进，" (26, as narrow as
    a first line): the corpus paragraph ends on the comma, and both lines say so."""
    article, _ = draw(1, 9, 9001)
    texts = [p.text for p in paragraphs(article)]
    assert any(t.endswith("中国电子增资麒麟软件，") for t in texts)
    assert any(t.startswith("协和天津基地建设顺利推进，") for t in texts)

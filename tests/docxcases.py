"""The test documents: each a function writing a .docx into a folder and returning
(path, the texts a reader must find, the texts that must not be in the outputs)."""
from __future__ import annotations

import random
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from docxgen import (add_comments, add_notes, field, formatted, new, note_ref, numbered, picture, run,
                     save, text_box, with_numbering, xml_paragraph, rezip)
from newspaper import wrap

HEI, KAI, FANG, XBS = "黑体", "楷体_GB2312", "仿宋_GB2312", "方正小标宋简体"


def styled(folder: Path):
    """Word's built-in styles and markup: every construct of a styled document."""
    d = new("属性里的标题")
    d.add_paragraph("编辑手册", style="Title")
    d.add_paragraph("稿件从收到发", style="Subtitle")
    d.add_heading("第一部分 收稿", 1)
    p = d.add_paragraph("收稿时先看")
    p.add_run("来源").bold = True
    p.add_run("，再看")
    p.add_run("体例").italic = True
    p.add_run("和")
    p.add_run("格式").underline = True
    p.add_run("。")
    rid = d.part.relate_to("https://www.w3.org/TR/clreq/", RT.HYPERLINK, is_external=True)
    xml_paragraph(d, run("排版规则见") + f'<w:hyperlink r:id="{rid}">{run("中文排版需求")}</w:hyperlink>'
                  + run("，重点") + run("不可忽视", "<w:em w:val=\"dot\"/>") + run("。") + note_ref("footnote", 1))
    d.add_heading("登记", 2)
    d.add_paragraph("每份稿件都要登记。")
    d.add_heading("登记表", 3)
    d.add_paragraph("登记表一式两份。" )
    d.add_paragraph("好的编辑先是好的读者。", style="Quote")
    d.add_heading("第二部分 审稿", 1)
    with_numbering(d)
    numbered(d, "核对事实", 1)
    numbered(d, "核对引文", 1)
    numbered(d, "原文出处", 1, 1)
    numbered(d, "核对数字", 1)
    d.add_paragraph("要点如下：")
    numbered(d, "清楚", 2)
    numbered(d, "准确", 2)
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("环节", "责任人", "时限"), ("初审", "编辑", "三天"), ("复审", "主任", "")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 2).merge(table.cell(2, 2))  # vertical merge: 三天 once
    table.cell(0, 0)._tc.getparent().getparent()  # header row flag, as Word writes it
    from docx.oxml import parse_xml
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(
        '<w:tblHeader xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'))
    xml_paragraph(d, picture(d, descr="流程示意图"))
    xml_paragraph(d, run("尾注在此") + note_ref("endnote", 1) + run("。"))
    add_notes(d, "footnote", {1: "见 W3C 中文排版需求。"})
    add_notes(d, "endnote", {1: "尾注的内容。"})
    path = save(d, folder / "styled.docx")
    expect = ["编辑手册", "稿件从收到发", "第一部分 收稿", "收稿时先看来源，再看体例和格式。", "排版规则见中文排版需求，重点不可忽视。",
              "登记", "每份稿件都要登记。", "登记表", "登记表一式两份。", "好的编辑先是好的读者。", "核对事实", "核对引文", "原文出处",
              "核对数字", "要点如下：", "清楚", "准确", "环节", "责任人", "时限", "初审", "编辑", "三天", "复审", "主任",
              "尾注在此。", "见W3C中文排版需求。", "尾注的内容。"]
    return path, expect, []


def chinese_styles(folder: Path):
    """The styled document as Chinese Word and WPS name their styles: ids "1", "2",
    "a3", names 标题 1, 标题 2, 标题."""
    path, expect, absent = styled(folder)
    import zipfile

    with zipfile.ZipFile(path) as z:
        styles, document = z.read("word/styles.xml").decode(), z.read("word/document.xml").decode()
    renames = {"Heading1": ("1", "标题 1"), "Heading2": ("2", "标题 2"), "Heading3": ("3", "标题 3"),
               "Title": ("a3", "标题"), "Subtitle": ("a5", "副标题"), "Quote": ("a7", "引用")}
    for old, (new_id, name) in renames.items():
        styles = styles.replace(f'w:styleId="{old}"', f'w:styleId="{new_id}"')
        styles = styles.replace(f'w:basedOn w:val="{old}"', f'w:basedOn w:val="{new_id}"')
        styles = styles.replace(f'w:link w:val="{old}Char"', f'w:link w:val="{new_id}Char"')
        document = document.replace(f'w:pStyle w:val="{old}"', f'w:pStyle w:val="{new_id}"')
    for old, name in (("heading 1", "标题 1"), ("heading 2", "标题 2"), ("heading 3", "标题 3"),
                     ('"Title"', '"标题"'), ('"Subtitle"', '"副标题"'), ('"Quote"', '"引用"')):
        styles = styles.replace(f'w:name w:val="{old.strip(chr(34))}"', f'w:name w:val="{name.strip(chr(34))}"')
    out = folder / "chinese-styles.docx"
    rezip(path, {"word/styles.xml": styles.encode(), "word/document.xml": document.encode()}, out)
    return out, expect, absent


def gongwen(folder: Path):
    """A 公文 set by direct formatting only: no style says what is a heading."""
    d = new("", author="Administrator")
    formatted(d, "关于开展2024年度", 22, XBS, center=True)
    formatted(d, "编校质量检查的通知", 22, XBS, center=True)
    formatted(d, "——编辑部办公室", 16, KAI, center=True)
    formatted(d, "二〇二四年三月一日", 16, FANG, center=True)
    formatted(d, "各编辑室：", 16, FANG)
    formatted(d, "为提高编校质量，经研究，决定开展年度编校质量检查。现将有关事项通知如下。", 16, FANG)
    with_numbering(d)
    level_one = lambda text: _word_numbered(formatted(d, text, 16, HEI))  # 一、 二、 三、 from numbering.xml
    level_one("检查范围")
    formatted(d, "2023年出版的全部图书和期刊。", 16, FANG)
    level_one("检查内容")
    formatted(d, "（一）编校差错", 16, KAI)
    formatted(d, "1.差错率。按照国家标准计算差错率，差错率超过万分之一的为不合格。", 16, FANG)
    formatted(d, "2.体例统一", 16, FANG, bold=True)
    formatted(d, "（1）数字用法", 16, FANG)
    formatted(d, "数字用法执行GB/T 15835-2011。", 16, FANG)
    formatted(d, "（二）装帧质量", 16, KAI)
    formatted(d, "检查封面、版式和印制质量。", 16, FANG)
    level_one("工作要求")
    formatted(d, "各编辑室于3月20日前完成自查。", 16, FANG)
    formatted(d, "编辑部", 16, FANG, right=True)
    formatted(d, "2024年3月1日", 16, FANG, right=True)
    path = save(d, folder / "gongwen.docx")
    expect = ["关于开展2024年度编校质量检查的通知", "各编辑室：", "一、检查范围", "2023年出版的全部图书和期刊。",
              "二、检查内容", "（一）编校差错", "1.差错率。按照国家标准计算差错率，差错率超过万分之一的为不合格。",
              "2.体例统一", "（1）数字用法", "数字用法执行GB/T 15835-2011。", "（二）装帧质量", "检查封面、版式和印制质量。",
              "三、工作要求", "各编辑室于3月20日前完成自查。", "编辑部", "2024年3月1日"]
    return path, expect, []


def _word_numbered(paragraph):
    from docx.oxml import parse_xml

    paragraph._p.get_or_add_pPr().append(parse_xml(
        '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>'))
    return paragraph


PASTED = [
    "编辑工作的第一步是读稿。读稿不是校对，而是理解作者想说什么、说清楚了没有，"
    "哪些地方读者会读不懂，哪些地方需要补充材料。",
    "第二步是核对。稿件中的人名、地名、机构名称、时间和数字，都要逐一核对原始材料，"
    "不能凭记忆判断。引文要核对出处，转引的材料要注明转引。",
    "第三步是加工。加工要尊重作者的风格，改动要有理由，能不改的尽量不改。"
    "标题和导语是读者最先看到的部分，要反复推敲。",
    "最后一步是通读。通读时要把自己当作第一次看到这篇稿子的读者，从头到尾读一遍。",
]


def pasted(folder: Path):
    """Text pasted from a PDF: every printed line a Word paragraph, paragraph breaks
    only where a line falls short, no blank paragraphs."""
    d = new("从PDF粘贴的稿件")
    d.add_paragraph("编辑工作四步", style="Title")
    rng = random.Random(7)
    for text in PASTED:
        for line in wrap(text, 17, 0, rng, 0.0):
            d.add_paragraph(line)
    path = save(d, folder / "pasted.docx")
    return path, ["编辑工作四步", *PASTED], []


def word_features(folder: Path):
    """Tracked changes, fields, Word's TOC, a text box, comments, symbols, tabs,
    non-breaking hyphens, full-width indents, an equation, hidden text, a header."""
    d = new("修订与域")
    d.add_paragraph("修订与域", style="Title")
    toc = (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" '
           f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{run("目录第一行 ……… 1")}')
    xml_paragraph(d, toc)
    xml_paragraph(d, run("目录第二行 ……… 2") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    d.add_heading("修订", 1)
    xml_paragraph(d, run("稿件") + f'<w:ins w:id="1" w:author="甲">{run("已经")}</w:ins>'
                  + '<w:del w:id="2" w:author="甲"><w:r><w:delText>尚未</w:delText></w:r></w:del>' + run("通过终审。"))
    xml_paragraph(d, '<w:commentRangeStart w:id="0"/>' + run("这句话有批注。") + '<w:commentRangeEnd w:id="0"/>'
                  + '<w:r><w:commentReference w:id="0"/></w:r>')
    add_comments(d, {0: "批注里的话不是正文"})
    d.add_heading("域和符号", 1)
    xml_paragraph(d, run("本页页码") + field(" PAGE ", "7") + run("，见") +
                  field(' HYPERLINK "https://example.org/guide" ', "编辑指南") + run("。"))
    xml_paragraph(d, run("温度") + '<w:r><w:sym w:font="Symbol" w:char="F0B1"/></w:r>' + run("2度，") +
                  run("勾选") + '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>' + run("。"))
    xml_paragraph(d, run("\u3000\u3000全角空格缩进的段落，编号") + run("GB") + '<w:r><w:noBreakHyphen/></w:r>'
                  + run("9704") + '<w:r><w:tab/></w:r>' + run("之后。"))
    xml_paragraph(d, run("公式") + '<m:oMath><m:r><m:t>E=mc</m:t></m:r><m:sSup><m:e><m:r><m:t></m:t></m:r></m:e>'
                  '<m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath>' + run("保留为文字。"))
    xml_paragraph(d, run("可见的字") + run("隐藏的字", "<w:vanish/>") + run("。"))
    xml_paragraph(d, run("文本框之前。") + text_box(["文本框里的第一段。", "文本框里的第二段。"]))
    d.add_paragraph("文本框之后。")
    xml_paragraph(d, '<w:pPr><w:rPr><w:del w:id="5" w:author="甲"/></w:rPr></w:pPr>' + run("这一段的段落标记被删除，"))
    d.add_paragraph("所以和下一段连成一段。")
    d.sections[0].header.paragraphs[0].text = "页眉文字"
    d.sections[0].footer.paragraphs[0].text = "页脚文字"
    path = save(d, folder / "features.docx")
    expect = ["修订与域", "修订", "稿件已经通过终审。", "这句话有批注。", "域和符号", "本页页码7，见编辑指南。",
              "温度±2度，勾选✓。", "全角空格缩进的段落，编号GB-9704 之后。", "公式E=mc2保留为文字。", "可见的字。",
              "文本框之前。", "文本框里的第一段。", "文本框里的第二段。", "文本框之后。",
              "这一段的段落标记被删除，所以和下一段连成一段。"]
    absent = ["尚未", "批注里的话", "目录第一行", "目录第二行", "隐藏的字", "页眉文字", "页脚文字", "PAGE", "HYPERLINK"]
    return path, expect, absent


CASES = {"styled": styled, "chinese-styles": chinese_styles, "gongwen": gongwen, "pasted": pasted,
         "features": word_features}

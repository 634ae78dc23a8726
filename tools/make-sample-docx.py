"""Write source/workflow-notice.docx: a notice in 公文 style (GB/T 9704-2012) set by
direct formatting only, as Chinese offices set their Word files: no heading styles.
The title in 方正小标宋简体 22 pt, centred; headings numbered 一、 in 黑体, （一） in
楷体_GB2312; the body in 仿宋_GB2312 16 pt; a closing signature and date set right.
It carries a footnote and a table, as such notices do.

    .venv/bin/python tools/make-sample-docx.py [OUT]

The zip is written with fixed member times, so the same script gives the same bytes.
"""
from __future__ import annotations

import datetime
import io
import sys
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY_FONT, HEI, KAI, TITLE_FONT = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"

TITLE = ["关于进一步规范稿件编辑流程的通知"]
ADDRESSEE = "各编辑室、校对组、美术组："
OPENING = ("为提高出版物质量，落实“三审三校”", "制度，明确稿件从收稿到发布各环节的责任，"
           "经编辑部会议研究，现就进一步规范稿件编辑流程有关事项通知如下。")  # the footnote between
SECTIONS = [
    ("一、总体要求", None, [
        "各环节坚持“谁经手、谁负责”，每一份稿件都要做到来源清楚、流转有据、责任到人。"
        "稿件在各环节之间交接时，须在稿件登记表中记录交接时间和经手人，不得口头交接。",
        "编辑流程分为收稿登记、初审、复审、终审、排版校对、付印发布六个环节，"
        "前一环节未完成的，后一环节不得开始。",
    ]),
    ("二、审稿环节", [
        ("（一）初审", [
            "责任编辑收到稿件后三个工作日内完成初审，重点核对事实、数据、引文和人名地名，"
            "并在审稿单上写明处理意见。对需要作者修改的稿件，应一次性列明全部修改意见。",
        ]),
        ("（二）复审和终审", [
            "复审由编辑室主任负责，着重审查稿件的政治导向、结构和文字质量；终审由分管副总编辑负责，"
            "对稿件能否刊发作出决定。复审、终审意见均须签署姓名和日期。",
            "涉及重大选题的稿件，终审前须按规定报送备案，未经备案不得付排。",
        ]),
    ], []),
    ("三、校对环节", None, [
        "排版后的校样实行三个校次：一校、二校由校对组完成，三校由责任编辑通读。"
        "每个校次须使用不同颜色的笔迹，改动处须在校样边缘标注，便于核对。",
        "校对中发现的内容问题，校对人员只提出疑问，不得自行改动原稿，由责任编辑确认后处理。",
        "各环节时限见下表。",
    ]),
    ("四、工作要求", None, [
        "各部门要严格执行本通知要求，编辑部将每季度抽查稿件登记表和审稿单，"
        "抽查结果纳入年度考核。本通知自印发之日起施行。",
    ]),
]
TABLE = [("环节", "责任人", "时限"),
         ("初审", "责任编辑", "三个工作日"),
         ("复审", "编辑室主任", "两个工作日"),
         ("终审", "分管副总编辑", "两个工作日"),
         ("三校", "校对组、责任编辑", "五个工作日")]
NOTE = "“三审三校”指初审、复审、终审三级审稿和一校、二校、三校三个校次，是出版物质量管理的基本制度。"
SIGNATURE = ("编辑部", "2024年5月20日")


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(f"{{{W}}}eastAsia", font)
    if bold:
        run.bold = True
    return run


def _para(document, text: str, font: str = BODY_FONT, size: float = 16, align=None, bold=False, indent=True):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align
    _run(paragraph, text, font, size, bold)
    return paragraph


def _footnote_part(document) -> None:
    body = (f'<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/>'
            f'</w:r><w:r><w:t xml:space="preserve"> {NOTE}</w:t></w:r></w:p></w:footnote>')
    xml = (f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
           f'</w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
           f'<w:continuationSeparator/></w:r></w:p></w:footnote>{body}</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def build() -> bytes:
    document = docx.Document()
    core = document.core_properties
    core.title, core.author = "关于进一步规范稿件编辑流程的通知", "编辑部"
    core.created = core.modified = datetime.datetime(2024, 5, 20, 9, 0, 0)
    core.last_modified_by = "编辑部"
    for line in TITLE:
        _para(document, line, TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(document, ADDRESSEE, indent=False)
    opening = _para(document, OPENING[0])
    opening.add_run()._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{W}" w:id="1"/>'))
    _run(opening, OPENING[1], BODY_FONT, 16)
    for heading, subsections, paragraphs in SECTIONS:
        _para(document, heading, HEI, 16)
        for text in paragraphs:
            _para(document, text)
            if text == "各环节时限见下表。":
                _table(document)
        for subheading, texts in subsections or []:
            _para(document, subheading, KAI, 16)
            for text in texts:
                _para(document, text)
    for text in SIGNATURE:
        _para(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _footnote_part(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_times(buffer.getvalue())


def _table(document) -> None:
    table = document.add_table(rows=len(TABLE), cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = ""
            _run(cell.paragraphs[0], text, HEI if r == 0 else BODY_FONT, 14, bold=r == 0)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(parse_xml(f'<w:tblHeader xmlns:w="{W}"/>'))


def _fixed_times(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 5, 20, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "source" / "workflow-notice.docx"
    target.write_bytes(build())
    print(target)

"""Page marks for the EPUB's page-list (transforms.mark_pages): where a print page
begins inside a paragraph with markup, in a table, in an epigraph."""
from __future__ import annotations

from pipeline.model import (Article, Code, Emph, Epigraph, FootnoteRef, PageBreak, Paragraph, Section,
                            Table, Text, plain_text)
from pipeline.transforms import mark_pages


def test_a_page_begins_inside_a_paragraph_with_markup():
    inlines = (Text("从版面提取的"), Emph((Text("原始文本"),)), Text("后面"), FootnoteRef(1), Code("make"), Text("尾"))
    paragraph = Paragraph(plain_text(inlines), None, inlines)
    article = Article("t", sections=(Section(None, None, (paragraph,)),))
    marked = mark_pages(article, {id(paragraph): [(3, 4), (8, 5), (13, 6)]}).sections[0].blocks[0]
    assert marked.inlines == (Text("从版面"), PageBreak(4), Text("提取的"),
                              Emph((Text("原始"), PageBreak(5), Text("文本"))), Text("后面"), FootnoteRef(1),
                              PageBreak(6), Code("make"), Text("尾"))  # not inside the code
    assert plain_text(marked.inlines) == paragraph.text  # no text lost or moved


def test_a_page_begins_in_a_table_cell_and_in_an_epigraph():
    table = Table(((Text("命令"),), (Text("用途"),)), (((Code("make pdf"),), (Text("交付印刷"),)),))
    verse = Paragraph("路漫漫其修远兮")
    epigraph = Epigraph((verse,), Paragraph("—— 屈原"))
    article = Article("t", sections=(Section(None, None, (epigraph, table)),))
    marked = mark_pages(article, {id(table): [((1, 0), 7)], id(verse): [(3, 6)]}).sections[0].blocks
    assert marked[1].header == table.header
    assert marked[1].rows[0][0] == (PageBreak(7), Code("make pdf"))
    assert marked[0].blocks[0].inlines == (Text("路漫漫"), PageBreak(6), Text("其修远兮"))
    assert marked[0].attribution == epigraph.attribution

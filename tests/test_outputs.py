"""The real outputs, checked with the tools printers and publishers use:
EPUBCheck on every EPUB, pdffonts and pdftotext on every PDF, the PDF outline and
metadata, the EPUB container, and byte-for-byte reproducible builds."""
from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from conftest import SOURCE, outline_titles, run_cli, sources
from lxml import etree
from pypdf import PdfReader

from pipeline.check import check_epub, pdf_fonts

NAMES = [p.stem for p in sources()]
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.mark.parametrize("name", NAMES)
def test_epubcheck_clean(built, name):
    assert check_epub(built / f"{name}.epub") == []


@pytest.mark.parametrize("name", NAMES)
def test_pdf_fonts_embedded_and_subset(built, name):
    fonts = pdf_fonts(built / f"{name}.pdf")
    families = {re.sub(r"^[A-Z]{6}\+", "", f["name"]) for f in fonts}
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC-Bold"} <= families
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts)
    assert all("CJK-SC" in family or family.startswith("LXGW-WenKai") for family in families), families




def test_pdf_outline_and_metadata(built):
    reader = PdfReader(built / "wuge-yinling.pdf")
    titles = list(outline_titles(reader.outline))
    assert titles[0] == (0, "凝聚职工奋进力量 建功治蜀兴川再上新台阶")
    headings = [t for d, t in titles if d == 1]
    assert headings == ["强化政治引领", "强化思想引领", "强化精神引领", "强化文化引领", "强化创新引领"]
    info = reader.metadata
    assert info.title == "凝聚职工奋进力量 建功治蜀兴川再上新台阶"
    assert info.author == "蜀工宣 吕焰平"
    assert reader.trailer["/Root"].get("/Lang") == "zh-Hans"
    assert len(reader.pages) >= 8
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (420, 595)  # A5 in points

    guide = [t for _, t in outline_titles(PdfReader(built / "guide.pdf").outline)]
    assert "准备稿件" in guide and "原始文本" in guide and "常见问题" in guide


def test_pdf_text_reads_as_the_source(built):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(built / "wuge-yinling.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for phrase in ("前不久，成都市双流区总工会在大飞机示范产业园", "做好主题教育活动。", "阅读量超1亿人次。",
                   "点亮勇毅前行指路明灯", "目录"):
        assert phrase in flat
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff] [\u4e00-\u9fff]", text)


def test_epub_container_and_package(built):
    with zipfile.ZipFile(built / "wuge-yinling.epub") as epub:
        first = epub.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert epub.read("mimetype") == b"application/epub+zip"
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        names = epub.namelist()
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"
    assert opf.findtext(".//dc:language", namespaces=NS) == "zh-Hans"
    assert opf.findtext(".//dc:title", namespaces=NS) == "凝聚职工奋进力量 建功治蜀兴川再上新台阶"
    assert opf.findtext(".//dc:creator", namespaces=NS) == "蜀工宣 吕焰平"
    ident = opf.findtext(".//dc:identifier", namespaces=NS)
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", ident)
    toc = nav.xpath("//x:nav[@epub:type='toc']//x:a/text()", namespaces=NS)
    assert toc == ["导语", "强化政治引领", "强化思想引领", "强化精神引领", "强化文化引领", "强化创新引领"]
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert landmarks == ["cover", "titlepage", "toc", "bodymatter"]
    assert "EPUB/toc.ncx" in names and "EPUB/style.css" in names
    assert sum(1 for n in names if re.fullmatch(r"EPUB/sec-\d+\.xhtml", n)) == 6


def test_epub_identifier_is_stable_and_per_source(built, tmp_path):
    def ident(path):
        with zipfile.ZipFile(path) as epub:
            return etree.fromstring(epub.read("EPUB/content.opf")).findtext(".//dc:identifier", namespaces=NS)
    assert ident(built / "wuge-yinling.epub") != ident(built / "guide.epub")
    again = tmp_path / "again"
    assert run_cli("build", str(SOURCE / "guide.md"), "--format", "epub", "--out", str(again)).returncode == 0
    assert ident(again / "guide.epub") == ident(built / "guide.epub")


@pytest.mark.parametrize("fmt", ["epub", "pdf"])
def test_builds_are_reproducible(built, tmp_path, fmt):
    again = tmp_path / "again"
    pages = ["--pages-from", str(built / "wuge-yinling.pdf")] if fmt == "epub" else []
    result = run_cli("build", str(SOURCE / "wuge-yinling.txt"), "--format", fmt, *pages, "--out", str(again))
    assert result.returncode == 0, result.stderr
    assert (again / f"wuge-yinling.{fmt}").read_bytes() == (built / f"wuge-yinling.{fmt}").read_bytes()


def test_press_builds_are_reproducible(tmp_path):
    """PDF/X-4 carries an XMP DocumentID, which WeasyPrint draws at random."""
    outputs = []
    for run in ("first", "second"):
        result = run_cli("build", str(SOURCE / "guide.md"), "--format", "pdf", "--press", "--out", str(tmp_path / run))
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / run / "guide.pdf").read_bytes())
    assert outputs[0] == outputs[1]


def test_images_in_quotes_and_lists_are_packaged(tmp_path):
    (tmp_path / "p.png").write_bytes((SOURCE / "images" / "pipeline.png").read_bytes())
    source = tmp_path / "nested.md"
    source.write_text("---\ntitle: 图\n---\n\n正文。\n\n> ![引文里的图](p.png)\n\n- ![列表里的图](p.png)\n", "utf-8")
    result = run_cli("build", str(source), "--format", "epub", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert check_epub(tmp_path / "out" / "nested.epub") == []
    with zipfile.ZipFile(tmp_path / "out" / "nested.epub") as epub:
        assert "EPUB/p.png" in epub.namelist()


def test_markdown_features_reach_the_epub(built):
    with zipfile.ZipFile(built / "guide.epub") as epub:
        body = "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
        assert "EPUB/images/pipeline.png" in epub.namelist()
    for tag in ("<strong>", "<em>", "<ol>", "<ul>", "<blockquote>", "<table>", "<img src=\"images/pipeline.png\"",
                'epub:type="noteref"', 'epub:type="footnote"', '<a href="https://example.org/pipeline">'):
        assert tag in body, tag
    assert 'alt="流水线的四个阶段' in body


def test_summary_line_per_raw_article(tmp_path):
    result = run_cli("build", str(SOURCE / "wuge-yinling.txt"), "--format", "epub", "--out", str(tmp_path))
    assert result.returncode == 0
    assert result.stderr.strip().splitlines() == [
        f"{SOURCE / 'wuge-yinling.txt'}: 39 paragraphs, 5 headings placed, 0 warnings, "
        f"0 low-confidence decisions"]


@pytest.mark.parametrize("args", [["normalize", "source/wuge-yinling.txt", "--json"],
                                  ["build", "source/guide.md", "--format", "epub", "--out", "{tmp}"],
                                  ["suggest", "source/wuge-yinling.txt"]])
def test_commands_without_pdf_do_not_import_weasyprint(tmp_path, args):
    """Start-up matters: WeasyPrint's import is most of a PDF build's fixed cost."""
    import subprocess
    import sys

    code = ("import sys; from pipeline.cli import main; code = main(sys.argv[1:]); "
            "assert 'weasyprint' not in sys.modules, 'weasyprint was imported'; sys.exit(code)")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = subprocess.run([sys.executable, "-c", code, *argv], cwd=SOURCE.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

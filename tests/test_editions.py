"""Editions and options: Traditional Chinese, the press PDF, tagged PDF by default,
EPUB with embedded fonts, and a character the fonts lack."""
from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from conftest import SOURCE, run_cli
from pypdf import PdfReader

from pipeline.check import check_epub, pdf_fonts
from pipeline.errors import EXIT_BUILD


@pytest.fixture(scope="module")
def hant(tmp_path_factory):
    out = tmp_path_factory.mktemp("hant")
    for fmt in ("pdf", "epub"):
        result = run_cli("build", str(SOURCE / "wuge-yinling.txt"), "--format", fmt, "--variant", "zh-Hant",
                         "--out", str(out))
        assert result.returncode == 0, result.stderr
    return out


def test_traditional_edition(hant):
    pdf = PdfReader(hant / "wuge-yinling.zh-Hant.pdf")
    assert pdf.trailer["/Root"]["/Lang"] == "zh-Hant"
    assert pdf.metadata.title == "凝聚職工奮進力量 建功治蜀興川再上新臺階"
    text = subprocess.run(["pdftotext", str(hant / "wuge-yinling.zh-Hant.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "「工心向黨 篤行奮進」" in text  # Taiwan phrasing and corner-bracket quotes
    families = {re.sub(r"^[A-Z]{6}\+", "", f["name"]) for f in pdf_fonts(hant / "wuge-yinling.zh-Hant.pdf")}
    assert families and all("CJK-TC" in f for f in families), families
    with zipfile.ZipFile(hant / "wuge-yinling.zh-Hant.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
        css = epub.read("EPUB/style.css").decode()
    assert "<dc:language>zh-Hant</dc:language>" in opf and 'xml:lang="zh-Hant"' in opf
    assert "Noto Serif CJK TC" in css and "CJK SC" not in css
    assert check_epub(hant / "wuge-yinling.zh-Hant.epub") == []


def test_default_pdf_is_tagged(built):
    info = subprocess.run(["pdfinfo", str(built / "wuge-yinling.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    reader = PdfReader(built / "wuge-yinling.pdf")
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


def test_press_pdf_has_bleed_and_marks(tmp_path):
    result = run_cli("build", str(SOURCE / "guide.md"), "--format", "pdf", "--press", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    page = PdfReader(tmp_path / "guide.pdf").pages[0]
    trim = [float(v) for v in page.trimbox]
    bleed = [float(v) for v in page.bleedbox]
    three_mm = 3 * 72 / 25.4
    assert trim[2] - trim[0] == pytest.approx(419.53, abs=0.1)       # A5 trimmed
    assert bleed[2] - bleed[0] == pytest.approx(419.53 + 2 * three_mm, abs=0.1)
    info = subprocess.run(["pdfinfo", str(tmp_path / "guide.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"PDF version:\s+1\.6", info)
    assert b"PDF/X-4" in (tmp_path / "guide.pdf").read_bytes()  # the GTS_PDFX version key


def test_epub_with_embedded_fonts(tmp_path):
    result = run_cli("build", str(SOURCE / "guide.md"), "--format", "epub", "--embed-fonts", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "guide.epub") as epub:
        fonts = [n for n in epub.namelist() if n.endswith(".woff2")]
        css = epub.read("EPUB/style.css").decode()
        sizes = [epub.getinfo(n).file_size for n in fonts]
    assert len(fonts) == 2 and all(20_000 < size < 2_000_000 for size in sizes)
    assert css.count("@font-face") == 2
    assert check_epub(tmp_path / "guide.epub") == []


def test_missing_glyph_fails_with_the_character_and_place(tmp_path):
    source = tmp_path / "odd.md"
    source.write_text("---\ntitle: 标题\n---\n\n## 第一节\n\n这里有一个字符𒀀不在字体里。\n", "utf-8")
    result = run_cli("build", str(source), "--format", "pdf", "--out", str(tmp_path / "out"))
    assert result.returncode == EXIT_BUILD
    line = result.stderr.strip()
    assert "U+12000" in line and "𒀀" in line and "第一节" in line and "odd.md" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())

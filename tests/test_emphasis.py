"""Emphasis dots (着重号, clreq): the guide's emphasis in Han text carries a dot under
each Han character, drawn in the PDF (WeasyPrint has no text-emphasis) and asked of
the reading system in the EPUB's CSS; Latin words keep italics; text extraction
gives the plain text."""
from __future__ import annotations

import subprocess
import zipfile

import pdfplumber
import pytest

from pipeline.render import emphasis_marks

DOT = 0.16 * 10.5  # pt: print.css draws a 0.16 em disc at the body size


def dots_of(page) -> list[dict]:
    """Filled discs of the dot's size among the page's drawing operations."""
    return [r for r in page.rects if r.get("fill") and abs(r["width"] - DOT) < 0.05
            and abs(r["height"] - DOT) < 0.05]


def dotted_characters(path) -> list[tuple[str, float]]:
    """(character, horizontal offset of its dot from its centre) for every dot, the
    character being the one right above it."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for dot in dots_of(page):
                cx = (dot["x0"] + dot["x1"]) / 2
                above = [c for c in page.chars if c["x0"] < cx < c["x1"] and 0 < dot["top"] - c["bottom"] < 4]
                assert len(above) == 1, f"a dot at {cx:.1f}, {dot['top']:.1f} is under {above}"
                char = above[0]
                found.append((char["text"], cx - (char["x0"] + char["x1"]) / 2))
    return found


def test_dots_in_the_pdf(built):
    found = dotted_characters(built / "guide.pdf")
    # *一条命令* in a body paragraph (a line spread by letter-spacing), *强调* in a list item
    assert "".join(ch for ch, _ in found) == "一条命令强调"
    assert all(abs(offset) < 0.2 for _, offset in found), found  # centred after letter-spacing


def test_no_dots_in_the_text(built):
    text = subprocess.run(["pdftotext", str(built / "guide.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "再输入一条命令，就能得到" in text
    assert "强调（着重号）" in text
    assert not set("•·・﹅") & set(text.split("强调")[1][:5])


def test_dots_leave_the_line_pitch(built):
    """The dotted line of the three-line paragraph sits one line height (1.75 em) below
    the line before it and above the line after it, as undotted lines do."""
    with pdfplumber.open(built / "guide.pdf") as pdf:
        page = next(p for p in pdf.pages if dots_of(p) and "一条命令" in p.extract_text())
        tops = sorted({round(c["top"], 2) for c in page.chars if abs(c["size"] - 10.5) < 0.1})
        dotted = max(t for t in tops if t < dots_of(page)[0]["top"])
    i = tops.index(dotted)
    assert abs(dotted - tops[i - 1] - 1.75 * 10.5) < 0.05
    assert abs(tops[i + 1] - dotted - 1.75 * 10.5) < 0.05


def test_epub_css_asks_for_dots(built):
    with zipfile.ZipFile(built / "guide.epub") as epub:
        css = epub.read("EPUB/style.css").decode()
        section = next(epub.read(n).decode() for n in epub.namelist() if "一条命令" in epub.read(n).decode("utf-8", "replace"))
    for rule in ("text-emphasis: filled dot", "-webkit-text-emphasis: filled dot",
                 "text-emphasis-position: under right", "-webkit-text-emphasis-position: under right"):
        assert rule in css
    assert "@supports" in css  # reading systems without it keep Hei bold
    assert "<em>一条命令</em>" in section


@pytest.mark.parametrize("text, dots, html", [
    ("强调", True, '<span class="d">强</span><span class="d">调</span>'),
    ("强，调", True, '<span class="d">强</span>，<span class="d">调</span>'),
    ("用 Word 写", True, '<span class="d">用</span> <span class="latn">Word</span> <span class="d">写</span>'),
    ("New York", False, '<span class="latn">New York</span>'),
    ("强调<&>", False, "强调&lt;&amp;&gt;"),
])
def test_emphasis_marks(text, dots, html):
    assert str(emphasis_marks(text, dots)) == html

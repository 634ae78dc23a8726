"""The vertical edition (竖排): `--writing vertical` (make WRITING=vertical) builds
NAME.zh-Hant.vertical.epub, columns right to left. Checked: EPUBCheck and Ace clean,
the package's direction and writing mode, short numbers marked upright, corner
quotes; in headless Chromium at phone width the text runs in vertical columns from
right to left and nothing overflows the screen's height."""
from __future__ import annotations

import zipfile

import pytest
from conftest import SOURCE, run_cli
from lxml import etree

from pipeline.check import ace_available, check_ace, check_epub
from pipeline.writers.vertical import upright_numbers

X = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf"}
NAMES = ("wuge-yinling", "guide")


@pytest.fixture(scope="module")
def vertical(tmp_path_factory):
    out = tmp_path_factory.mktemp("vertical")
    for name in NAMES:
        source = next(SOURCE.glob(f"{name}.*[td]"))  # .txt or .md
        result = run_cli("build", str(source), "--format", "epub", "--variant", "zh-Hant",
                         "--writing", "vertical", "--out", str(out))
        assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("name", NAMES)
def test_epubcheck_clean(vertical, name):
    assert check_epub(vertical / f"{name}.zh-Hant.vertical.epub") == []


@pytest.mark.skipif(not ace_available(), reason="DAISY Ace is not installed (tools/bootstrap-ace.sh)")
@pytest.mark.parametrize("name", NAMES)
def test_ace_clean(vertical, name):
    assert check_ace(vertical / f"{name}.zh-Hant.vertical.epub") == []


def test_package_reads_right_to_left(vertical):
    with zipfile.ZipFile(vertical / "wuge-yinling.zh-Hant.vertical.epub") as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        css = epub.read("EPUB/style.css").decode()
        section = epub.read("EPUB/sec-2.xhtml").decode()
    assert opf.find("opf:spine", X).get("page-progression-direction") == "rtl"
    assert opf.xpath("//opf:meta[@name='primary-writing-mode']/@content", namespaces=X) == ["vertical-rl"]
    assert "writing-mode: vertical-rl" in css and "text-combine-upright: all" in css
    assert "Noto Serif CJK TC" in css
    assert "「" in section and "“" not in section  # corner quotes in the Traditional edition
    assert '<span class="tcy">' in section


def test_horizontal_edition_unchanged(built):
    with zipfile.ZipFile(built / "wuge-yinling.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
        css = epub.read("EPUB/style.css").decode()
    assert "page-progression-direction" not in opf and "vertical-rl" not in css


@pytest.mark.parametrize("text, marked", [
    ("<body><p>12月17日</p>", '<body><p><span class="tcy">12</span>月<span class="tcy">17</span>日</p>'),
    ("<body><p>2022年</p>", "<body><p>2022年</p>"),       # longer numbers lie sideways
    ("<body><p>3.5倍、10:30</p>", "<body><p>3.5倍、10:30</p>"),
    ('<title>第1章</title><body id="a1"><p>第1章</p>', '<title>第1章</title><body id="a1"><p>第<span class="tcy">1</span>章</p>'),
])
def test_upright_numbers(text, marked):
    assert upright_numbers(text) == marked


def test_columns_right_to_left_in_chromium(vertical, tmp_path, browser):
    with zipfile.ZipFile(vertical / "wuge-yinling.zh-Hant.vertical.epub") as epub:
        epub.extractall(tmp_path)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for document in sorted((tmp_path / "EPUB").glob("*.xhtml")):
        page.goto(document.as_uri())
        # vertical-rl: columns fill the screen's height and go on to the left
        assert page.evaluate("document.documentElement.scrollHeight - document.documentElement.clientHeight") <= 0, \
            document.name
    page.goto((tmp_path / "EPUB" / "sec-2.xhtml").as_uri())
    assert page.evaluate("getComputedStyle(document.documentElement).writingMode") == "vertical-rl"
    assert page.evaluate("getComputedStyle(document.querySelector('.tcy')).textCombineUpright") == "all"
    # reading order right to left: each paragraph's right edge left of the one before
    rights = page.evaluate("[...document.querySelectorAll('p')].map(p => p.getBoundingClientRect().right)")
    assert len(rights) > 3 and all(b < a for a, b in zip(rights, rights[1:])), rights
    page.close()

"""Golden files for the tree, the print HTML and the EPUB's XHTML (update with `make golden`)."""
from __future__ import annotations

import json
import zipfile

from conftest import SOURCE, run_cli

from pipeline.build import load
from pipeline.render import render_print


def test_markdown_tree(golden):
    result = run_cli("normalize", str(SOURCE / "guide.md"), "--json")
    assert result.returncode == 0, result.stderr
    tree = json.loads(result.stdout)
    assert tree["title"] == "排版流水线使用指南"
    golden("guide.json", result.stdout)


def test_sample_tree(golden):
    result = run_cli("normalize", str(SOURCE / "wuge-yinling.txt"), "--json")
    assert result.returncode == 0, result.stderr
    golden("wuge-yinling.json", result.stdout)


def test_print_html(golden):
    """The HTML handed to WeasyPrint, with the lines our typesetter broke and spread."""
    from pipeline.writers.pdf import PAGE_SIZES, set_paragraphs

    _, article = load(SOURCE / "guide.md")
    golden("guide.print.html", render_print(article, set_paragraphs(article, PAGE_SIZES["A5"])))


def test_epub_section_xhtml(golden, built):
    with zipfile.ZipFile(built / "guide.epub") as epub:
        golden("guide.sec-2.xhtml", epub.read("EPUB/sec-2.xhtml").decode("utf-8"))
        golden("guide.nav.xhtml", epub.read("EPUB/nav.xhtml").decode("utf-8"))

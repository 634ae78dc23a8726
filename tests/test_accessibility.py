"""Accessibility: DAISY Ace on every EPUB, truthful metadata, tagged PDF structure,
and text that copies out as the source reads."""
from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from conftest import ROOT, SOURCE, pdf_pages, run_cli, sources
from lxml import etree
from pypdf import PdfReader

from pipeline.check import ace_available, check_ace

NAMES = [p.stem for p in sources()]


@pytest.fixture(scope="module")
def every_epub(built, tmp_path_factory):
    """Every EPUB the build makes: articles in both editions and the book."""
    out = tmp_path_factory.mktemp("epubs")
    paths = [built / f"{n}.epub" for n in NAMES]
    result = run_cli("build", *map(str, sources()), "--format", "epub", "--variant", "zh-Hant", "--out", str(out))
    assert result.returncode == 0, result.stderr
    result = run_cli("build", str(ROOT / "books" / "anthology.toml"), "--format", "epub", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return paths + sorted(out.glob("*.epub"))


@pytest.mark.skipif(not ace_available(), reason="DAISY Ace is not installed (tools/bootstrap-ace.sh)")
def test_ace_reports_no_violations(every_epub):
    assert len(every_epub) == 2 * len(NAMES) + 1
    for path in every_epub:
        assert check_ace(path) == [], path.name


def test_accessibility_metadata(built):
    with zipfile.ZipFile(built / "guide.epub") as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        docs = {n: epub.read(n) for n in epub.namelist() if n.endswith(".xhtml")}
    props = {}
    for meta in opf.iter("{http://www.idpf.org/2007/opf}meta"):
        if (meta.get("property") or "").startswith("schema:"):
            props.setdefault(meta.get("property")[7:], []).append(meta.text)
    assert props["accessMode"] == ["textual", "visual"]
    assert props["accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "alternativeText"} <= set(props["accessibilityFeature"])
    assert props["accessibilityHazard"] == ["none"] and props["accessibilitySummary"][0]
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans" and opf.get("dir") == "ltr"
    for name, data in docs.items():
        root = etree.fromstring(data)
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans", name
        assert root.get("lang") == "zh-Hans" and root.get("dir") == "ltr", name
        for img in root.iter("{http://www.w3.org/1999/xhtml}img"):
            assert img.get("alt"), name


def page_list(epub_path, pdf_path) -> list[int]:
    """The EPUB's page-list, each marker checked against the printed page: the text
    after it is on that page of the PDF."""
    with zipfile.ZipFile(epub_path) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        opf = epub.read("EPUB/content.opf").decode()
        docs = {n: epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml")}
    X = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    links = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=X)
    assert "printPageNumbers" in opf and 'property="source-of"' in opf
    printed = pdf_pages(pdf_path)
    for link in links:
        file, anchor = link.get("href").split("#")
        body = docs[f"EPUB/{file}"]
        marker = body.index(f'id="{anchor}"')
        after = re.sub(r"<[^>]+>|\s", "", body[marker:].split(">", 1)[1])[:6]
        assert after in re.sub(r"\s", "", printed[int(link.text) - 1]), (link.text, after)
    return [int(a.text) for a in links]


@pytest.mark.parametrize("name", NAMES)
def test_page_list_follows_the_print_edition(built, name):
    pages = len(PdfReader(built / f"{name}.pdf").pages)
    # after the title and contents pages
    assert page_list(built / f"{name}.epub", built / f"{name}.pdf") == list(range(3, pages + 1))


def test_book_page_list_follows_the_book_pdf(site):
    """Every page of the book's articles is listed (not the front matter nor the blank
    verso), each where the printed page begins."""
    listed = page_list(site / "anthology.epub", site / "anthology.pdf")
    reader = PdfReader(site / "anthology.pdf")
    body = [n for n in range(5, len(reader.pages) + 1) if reader.pages[n - 1].extract_text().strip()]
    assert listed == body and len(body) >= 10


def test_image_without_alt_text_is_a_warning(tmp_path):
    (tmp_path / "pic.png").write_bytes((SOURCE / "images" / "pipeline.png").read_bytes())
    source = tmp_path / "page.md"
    source.write_text("---\ntitle: 标题\n---\n\n正文。\n\n![](pic.png)\n", "utf-8")
    result = run_cli("build", str(source), "--format", "epub", "--out", str(tmp_path / "out"))
    assert result.returncode == 0
    assert f"{source}:7: image 'pic.png' has no alt text" in result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "page.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
    assert "alternativeText" not in opf  # the metadata says what is true


def structure_kinds(node, seen):
    node = node.get_object()
    kind = node.get("/S")
    if kind:
        seen.add(str(kind))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        try:
            if hasattr(kid.get_object(), "get"):
                structure_kinds(kid, seen)
        except AttributeError:
            pass
    return seen


@pytest.mark.parametrize("name", NAMES)
def test_tagged_pdf(built, name):
    reader = PdfReader(built / f"{name}.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-Hans"
    assert root["/MarkInfo"]["/Marked"] and root["/ViewerPreferences"]["/DisplayDocTitle"]
    kinds = structure_kinds(root["/StructTreeRoot"], set())
    assert {"/H1", "/H2", "/P"} <= kinds
    if name == "guide":
        assert {"/L", "/LI", "/Table", "/TH", "/TD", "/Figure", "/BlockQuote"} <= kinds


@pytest.mark.xfail(strict=True, reason="WeasyPrint 70 tags page-margin boxes (running heads, folios) "
                                       "as /Span content, not as /Artifact")
def test_running_heads_are_artifacts(built):
    content = PdfReader(built / "wuge-yinling.pdf").pages[3].get_contents().get_data()
    assert b"/Artifact" in content


def test_copied_text_has_no_spaces_between_han(built):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(built / "wuge-yinling.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    raw = (SOURCE / "wuge-yinling.txt").read_text("utf-8")
    author_spaces = set(re.findall(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", raw))
    spaced = set(re.findall(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)) - author_spaces
    assert not spaced, sorted(spaced)[:10]

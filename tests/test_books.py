"""Books (books/NAME.toml) and the distribution files (index.html, OPDS, SHA256SUMS)."""
from __future__ import annotations

import hashlib
import re
import zipfile

from conftest import ROOT, copy_project, outline_titles, pdf_pages, run_cli, sources
from lxml import etree
from pypdf import PdfReader

from pipeline.check import check_epub, pdf_fonts
from pipeline.errors import EXIT_INPUT

X = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
     "a": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/terms/"}


def test_book_pdf_structure(site):
    reader = PdfReader(site / "anthology.pdf")
    entries = list(outline_titles(reader.outline))
    tops = [t for d, t in entries if d == 0]
    assert tops == ["工会宣传与编辑实务 2022年12月选编", "凝聚职工奋进力量 建功治蜀兴川再上新台阶", "排版流水线使用指南"]
    assert (1, "强化政治引领") in entries and (1, "准备稿件") in entries and (2, "原始文本") in entries
    text = "".join(page.extract_text() for page in reader.pages[:4])
    assert "目录" in text and "序" in text
    # continuous folios: the last article's pages are numbered after the first's
    first = reader.get_destination_page_number(reader.outline[2])
    second = reader.get_destination_page_number(reader.outline[4])
    assert second > first + 5
    assert reader.pages[0].images  # the cover


def check_folios(pdf, openers: tuple[str, ...]) -> list[tuple[str, int]]:
    """The articles are laid out apart (writers/bookpdf.py): the contents' folios must
    still be where each heading is printed, every article opens on a recto, a blank
    verso carries no folio or running head, each font is embedded once. Returns the
    contents' (title, folio) lines."""
    reader = PdfReader(pdf)
    pages = pdf_pages(pdf)
    assert len(pages) == len(reader.pages)
    contents = "".join(p for p in pages if "......" in p)
    listed = [(t, int(f)) for t, f in re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M)]
    for title, folio in listed:
        page = pages[folio - 1]
        assert title.split()[0] in page, (title, folio)
        assert re.search(rf"^\s*{folio}\s*$", page, re.M), (title, folio)  # the printed folio
    openings = [f for t, f in listed if t.startswith(openers)]
    assert openings and all(f % 2 == 1 for f in openings)
    blanks = [i for i, p in enumerate(pages) if i and not p.strip()]  # page 1 is the cover
    assert all((i + 1) % 2 == 0 for i in blanks)  # only versos are left blank
    names = [font["name"].split("+")[1] for font in pdf_fonts(pdf)]
    assert len(names) == len(set(names)), names
    return listed


def test_book_folios(site):
    listed = check_folios(site / "anthology.pdf", ("凝聚", "排版"))
    assert len(listed) >= 10 and len([f for t, f in listed if t.startswith(("凝聚", "排版"))]) == 2
    pages = pdf_pages(site / "anthology.pdf")
    assert [i for i, p in enumerate(pages) if i and not p.strip()]  # the guide needed a blank verso


def test_long_contents(tmp_path, monkeypatch):
    """Twelve articles: a contents of several pages, articles of odd and even length."""
    from pipeline.build import build_book

    project = copy_project(tmp_path)
    names = []
    for number in range(1, 13):
        text = (project / "source" / "guide.md").read_text("utf-8")
        text = text.replace("title: ", f"title: 第{number}篇 ", 1)
        (project / "source" / f"copy{number}.md").write_text(text + "\n补记。\n" * (number % 3), "utf-8")
        names.append(f"copy{number}")
    book = project / "books" / "long.toml"
    book.write_text(f'[book]\ntitle = "长目录"\narticles = {names!r}\n'.replace("'", '"'), "utf-8")
    pdf = build_book(book, "pdf", project / "dist")
    listed = check_folios(pdf, ("第",))
    assert len([t for t, _ in listed if t.startswith("第")]) == 12
    contents_pages = [i for i, p in enumerate(pdf_pages(pdf)) if "......" in p]
    assert len(contents_pages) >= 2


def test_book_epub_structure(site):
    assert check_epub(site / "anthology.epub") == []
    with zipfile.ZipFile(site / "anthology.epub") as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        opf = epub.read("EPUB/content.opf").decode()
    toc = nav.xpath("//x:nav[@epub:type='toc']/x:ol", namespaces=X)[0]
    parts = toc.xpath("./x:li/x:a/text()", namespaces=X)
    assert parts == ["序", "凝聚职工奋进力量 建功治蜀兴川再上新台阶", "排版流水线使用指南"]
    nested = toc.xpath("./x:li[2]/x:ol/x:li/x:a/text()", namespaces=X)
    assert nested[1:] == ["强化政治引领", "强化思想引领", "强化精神引领", "强化文化引领", "强化创新引领"]
    assert 'properties="cover-image"' in opf and "<dc:creator" in opf and "编辑部 编" in opf


def test_bad_book_files(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    (tmp_path / "source").mkdir()
    cases = {
        "nothing.toml": ('[book]\ntitle = "书"\narticles = ["nope"]\n', "no source/nope.txt"),
        "typo.toml": ('[book]\ntitle = "书"\narticels = []\n', "unknown key 'book.articels'"),
        "twice.toml": ('[book]\ntitle = "书"\narticles = ["a", "a"]\n', "twice"),
    }
    for name, (text, words) in cases.items():
        (books / name).write_text(text, "utf-8")
        result = run_cli("build", str(books / name), "--format", "epub", "--out", str(tmp_path / "out"))
        assert result.returncode == EXIT_INPUT and words in result.stderr and name in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_catalog_links_resolve(site):
    feed = etree.parse(str(site / "opds.xml")).getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for tag in ("id", "title", "updated"):
        assert feed.find(f"a:{tag}", X) is not None
    entries = feed.findall("a:entry", X)
    names = {p.stem for p in sources()} | {"anthology"}
    assert len(entries) == len(names)
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert entry.findtext(f"a:{tag}", namespaces=X)
        kinds = {link.get("type") for link in entry.findall("a:link", X)
                 if link.get("rel") == "http://opds-spec.org/acquisition"}
        assert kinds == {"application/epub+zip", "application/pdf"}
        for link in entry.findall("a:link", X):
            assert (site / link.get("href")).is_file(), link.get("href")

    import tinyhtml5

    page = tinyhtml5.parse((site / "index.html").read_text("utf-8"))
    hrefs = [a.get("href") for a in page.iter("{http://www.w3.org/1999/xhtml}a")]
    images = [img.get("src") for img in page.iter("{http://www.w3.org/1999/xhtml}img")]
    assert len(images) == len(names) and all((site / src).is_file() for src in images)
    assert all((site / href).is_file() for href in hrefs), hrefs
    assert "anthology.epub" in hrefs and "wuge-yinling.pdf" in hrefs


def test_sha256sums(site):
    lines = (site / "SHA256SUMS").read_text().splitlines()
    assert lines
    listed = set()
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((site / name).read_bytes()).hexdigest() == digest
        listed.add(name)
    assert {p.name for p in site.glob("*.epub")} | {p.name for p in site.glob("*.pdf")} <= listed


def test_book_reuses_its_articles_builds(tmp_path, monkeypatch):
    """The article builds leave their trees and lines in the state folder; the book takes
    them instead of normalizing and typesetting again, and its PDF is the same bytes
    as one computed from nothing. A changed source or a damaged entry is computed again."""
    import pipeline.build as build_module
    from pipeline.build import build, build_book

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = copy_project(tmp_path)
    book = project / "books" / "anthology.toml"
    fresh = build_book(book, "pdf", project / "fresh", state=project / "fresh-state").read_bytes()

    dist, state = project / "dist", project / ".build"
    for name in ("wuge-yinling.txt", "guide.md"):
        build(project / "source" / name, "pdf", dist, state=state)
    assert len(list((state / "cache").glob("*.pickle"))) == 2
    assert sorted(p.name for p in dist.iterdir()) == ["guide.pdf", "wuge-yinling.pdf"]
    loads = []
    original = build_module.load
    monkeypatch.setattr(build_module, "load", lambda *a, **k: loads.append(a[0].name) or original(*a, **k))
    assert build_book(book, "pdf", dist, state=state).read_bytes() == fresh
    assert loads == []

    guide = project / "source" / "guide.md"
    guide.write_text(guide.read_text("utf-8") + "\n补记一段。\n", "utf-8")
    next(state.glob("cache/wuge-yinling.*.pickle")).write_bytes(b"not a pickle")
    build_book(book, "pdf", dist, state=state)
    assert sorted(loads) == ["guide.md", "wuge-yinling.txt"]
    assert len(list((state / "cache").glob("*.pickle"))) == 2  # the stale entries replaced


def test_contents_that_change_length_are_laid_out_again(tmp_path, monkeypatch):
    """Folios wider than the placeholder's make the contents longer than first laid
    out: the articles move and are laid out again, and the book comes out as if the
    placeholder had been right."""
    import pipeline.writers.bookpdf as bookpdf
    from pipeline.build import build_book

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = copy_project(tmp_path)
    book = project / "books" / "anthology.toml"
    expected = build_book(book, "pdf", project / "normal").read_bytes()
    monkeypatch.setattr(bookpdf, "PLACEHOLDER", "0" * 60)  # every contents line wraps
    renders = []
    original = bookpdf.render_book_front
    monkeypatch.setattr(bookpdf, "render_book_front", lambda *a: renders.append(1) or original(*a))
    assert build_book(book, "pdf", project / "wide").read_bytes() == expected
    assert len(renders) == 3  # placeholder, real folios (shorter), real folios again


def test_a_book_shows_its_progress(tmp_path):
    """A book's PDF reports each article as it is laid out: in a log, one line per
    article with the pages so far (the last line's count is the PDF's); on a
    terminal, tqdm's bar instead, ending at 2/2 with the pages."""
    import re
    import sys

    from pypdf import PdfReader

    from conftest import run_in_pty

    book = str(ROOT / "books" / "anthology.toml")
    result = run_cli("build", book, "--format", "pdf", "--out", str(tmp_path / "log"), "--state", str(tmp_path / "s"))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert [line.split()[0] for line in lines] == ["[1/2]", "[2/2]"], result.stderr
    pages = [int(re.search(r" set, (\d+) pages \(", line).group(1)) for line in lines]
    assert 0 < pages[0] < pages[1] == len(PdfReader(tmp_path / "log" / "anthology.pdf").pages)
    assert "排版流水线使用指南 set" in lines[1]
    quiet = run_cli("build", book, "--format", "pdf", "--quiet", "--out", str(tmp_path / "q"),
                    "--state", str(tmp_path / "s"))
    assert quiet.returncode == 0 and quiet.stderr == ""
    code, text = run_in_pty([sys.executable, "-m", "pipeline", "build", book, "--format", "pdf",
                             "--out", str(tmp_path / "tty"), "--state", str(tmp_path / "s")])
    assert code == 0, text
    assert "2/2 [" in text and f"{pages[1]} pages, set" in text and "[1/2]" not in text, text

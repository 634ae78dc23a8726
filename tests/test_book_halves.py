"""A long book laid out by two processes (writers/bookhalves.py) and joined
(writers/pdfjoin.py) is the book one process makes: the same text on every page,
folios included, every page drawn alike, each face embedded once, the same
bookmarks and links to the same pages, the same tagged structure; reproducible;
and a failure in the later half fails the build."""
from __future__ import annotations

import subprocess
from collections import Counter

import pikepdf
import pytest
from conftest import copy_project, pdf_pages

import pipeline.writers.bookhalves as bookhalves
from pipeline.build import build_book
from pipeline.check import pdf_fonts


@pytest.fixture
def book(tmp_path, monkeypatch):
    """Six articles of different lengths, so that halves end on either side of a leaf."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = copy_project(tmp_path)
    guide = (project / "source" / "guide.md").read_text("utf-8")
    names = ["wuge-yinling"]
    for number in range(1, 6):
        text = guide.replace("title: ", f"title: 第{number}篇 ", 1)
        (project / "source" / f"copy{number}.md").write_text(text + "\n补记。\n" * (number * 7), "utf-8")
        names.append(f"copy{number}")
    path = project / "books" / "halves.toml"
    path.write_text(f'[book]\ntitle = "两半"\nblurb = "试排"\narticles = {names!r}\n'.replace("'", '"'), "utf-8")
    return path


def structure(pdf_path):
    """What a reader, a screen reader and a viewer get besides the text: the structure
    elements by kind and their marked contents, each link's target page, each
    bookmark's title and page, the fonts' names."""
    with pikepdf.open(pdf_path) as pdf:
        assert not pdf.check_pdf_syntax()
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        kinds, marked, elements = Counter(), 0, set()
        stack = [pdf.Root.StructTreeRoot.K[0]]
        while stack:
            element = stack.pop()
            if isinstance(element, int):
                marked += 1
                continue
            kinds[str(element.get("/S"))] += 1
            elements.add(element.objgen)
            if "/Pg" in element:
                assert element.Pg.objgen in pages
            kids = element.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert keys == sorted(set(keys))
        # the ParentTree points at the tree's own elements, not at copies of them
        # (WeasyPrint's also lists some outside it: as many in either book)
        mapped = [item for i in range(1, len(nums), 2)
                  for item in (nums[i] if isinstance(nums[i], pikepdf.Array) else [nums[i]])]
        outside = sum(1 for item in mapped if item.objgen not in elements)
        kinds["mapped outside the tree"] = outside
        names = pdf.Root.Names.Dests.Names
        dests = {str(names[i]): pages[names[i + 1][0].objgen] for i in range(0, len(names), 2)}
        links = []
        for index, page in enumerate(pdf.pages):
            assert int(page.obj.StructParents) in keys
            for annotation in page.obj.get("/Annots", []):
                assert int(annotation.StructParent) in keys
                links.append((index, dests[str(annotation.Dest)] if "/Dest" in annotation else
                              str(annotation.A.URI)))
        marks = []
        with pdf.open_outline() as outline:
            todo = [(0, item) for item in reversed(outline.root)]
            while todo:
                depth, item = todo.pop()
                marks.append((depth, item.title, pages[item.destination[0].objgen]))
                todo.extend((depth + 1, child) for child in reversed(item.children))
    fonts = sorted(font["name"] for font in pdf_fonts(pdf_path))
    assert len(fonts) == len(set(fonts))  # each face embedded once
    return kinds, marked, links, marks, fonts


def drawn(pdf_path, folder) -> list[bytes]:
    """Every page rasterised (pdftoppm, 30 dpi, grey): the glyphs each page shows."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf_path), str(folder / "p")], check=True)
    return [path.read_bytes() for path in sorted(folder.iterdir())]


def test_halves_make_the_book_one_process_makes(book, tmp_path, monkeypatch):
    one = build_book(book, "pdf", tmp_path / "one", jobs=1)
    expected_pages = pdf_pages(one)
    expected = structure(one)
    kinds, marked, links, marks, fonts = expected
    assert kinds["/Link"] == len(links) and marks and len(fonts) >= 2
    pictures = drawn(one, tmp_path / "drawn-one")
    openings = [page for depth, title, page in marks if depth == 0 and title.startswith(("第", "凝聚"))]
    assert len(openings) == 6
    verso_before = set()
    for first in (2, 3, 4, 5):
        monkeypatch.setattr(bookhalves, "split_point", lambda book, jobs, first=first: first)
        state = tmp_path / f"state{first}"
        halves = build_book(book, "pdf", tmp_path / f"halves{first}", state=state, jobs=2)
        # each half set its articles' lines and kept them for the next build
        assert len(list((state / "cache").glob("*.pickle"))) == 6
        assert pdf_pages(halves) == expected_pages, first  # folios and running heads too
        assert structure(halves) == expected, first
        assert drawn(halves, tmp_path / f"drawn{first}") == pictures, first
        # a blank verso before article `first` or none: where the first half ended
        verso_before.add(not expected_pages[openings[first - 1] - 1].strip())
    assert verso_before == {True, False}  # halves ending on a recto and on a verso
    again = build_book(book, "pdf", tmp_path / "again", jobs=2)
    assert again.read_bytes() == (tmp_path / "halves5" / again.name).read_bytes()


def test_the_progress_counts_both_halves(book, tmp_path, monkeypatch):
    """Told of every article once, from either process, with the pages laid out so
    far in both halves: never fewer than before, at the end the PDF's (less the
    cover, and a blank verso between the halves at most)."""
    from pypdf import PdfReader

    monkeypatch.setattr(bookhalves, "split_point", lambda book, jobs: 4)

    class Told:
        def __init__(self):
            self.passes, self.numbers, self.pages = 0, [], []

        def laying_out(self, articles):
            self.passes += 1
            assert articles == 6

        def setting(self, title, pages):
            self.pages.append(pages)

        def set(self, number, title, pages):
            self.numbers.append(number)
            self.pages.append(pages)

    told = Told()
    pdf = build_book(book, "pdf", tmp_path / "out", jobs=2, progress=told)
    assert told.passes == 1 and sorted(told.numbers) == [1, 2, 3, 4, 5, 6]
    assert told.pages == sorted(told.pages)
    assert len(PdfReader(pdf).pages) - 2 <= told.pages[-1] <= len(PdfReader(pdf).pages)


def test_a_failure_in_the_later_half_fails_the_book(book, tmp_path, monkeypatch):
    import pipeline.writers.bookpdf as bookpdf

    monkeypatch.setattr(bookhalves, "split_point", lambda book, jobs: 4)
    original = bookpdf.render_book_part

    def render_book_part(book, number, lines):
        if number == 5:  # in the forked process
            raise RuntimeError("boom in article 5")
        return original(book, number, lines)

    monkeypatch.setattr(bookpdf, "render_book_part", render_book_part)
    with pytest.raises(RuntimeError, match="boom in article 5"):
        build_book(book, "pdf", tmp_path / "out", jobs=2)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_user_error_in_the_later_half_is_its_one_line(book, tmp_path, monkeypatch):
    import pipeline.writers.bookpdf as bookpdf
    from pipeline.errors import EXIT_BUILD, UserError

    monkeypatch.setattr(bookhalves, "split_point", lambda book, jobs: 3)
    original = bookpdf.render_book_part

    def render_book_part(book, number, lines):
        if number == 6:  # in the forked process
            raise UserError("source/copy5.md", "cannot be set", 12, EXIT_BUILD)
        return original(book, number, lines)

    monkeypatch.setattr(bookpdf, "render_book_part", render_book_part)
    with pytest.raises(UserError) as raised:
        build_book(book, "pdf", tmp_path / "out", jobs=2)
    assert (raised.value.path, raised.value.message, raised.value.line, raised.value.exit_code) == \
        ("source/copy5.md", "cannot be set", 12, EXIT_BUILD)


def test_which_books_are_laid_out_in_halves(book):
    from pipeline.readers.book import read_book
    from pipeline.build import load

    parsed, _ = read_book(book, book.parent.parent / "source", lambda source, variant: load(source)[1])
    assert bookhalves.split_point(parsed, 2) is None  # too short to gain
    long = type(parsed)(**{**parsed.__dict__, "articles": parsed.articles * 8})
    first = bookhalves.split_point(long, 2)
    assert first is not None and 2 <= first <= len(long.articles)
    sizes = [sum(len(t) for _, t in bookhalves.texts_of(a)) for a in long.articles]
    assert 0.3 < sum(sizes[:first - 1]) / sum(sizes) < 0.55
    assert bookhalves.split_point(long, 1) is None  # one core: one process

"""The vertical PDF (竖排, issue 16): the sample set in columns right to left as
zh-Hant, measured by tests/vertical_typography.py (columns on one x, right to left,
full columns flush at the foot, indents, prohibitions, text in reading order), its
pages turning right to left, bookmarks and tags, running heads and folios in the
margins where vertical books have them; and the checker itself shown to catch
what it measures."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pdfplumber
import pytest
from conftest import SOURCE, clean_env, copy_project, run_cli

from pipeline.build import load
from pipeline.model import Paragraph, walk_blocks, walk_sections
from pipeline.writers.vertical_layout import CORNER_QUOTES
from pipeline.writers.vertical_pdf import layout, render
from vertical_typography import check_vertical

SAMPLE = SOURCE / "wuge-yinling.txt"
BLOCKS = Path(__file__).parent / "fixtures" / "blocks.md"
FIRST_BODY_PAGE = 3  # the title page, the contents, then the text


@pytest.fixture(scope="module")
def sample():
    return load(SAMPLE, SOURCE / "wuge-yinling.toml", "zh-Hant")[1]


@pytest.fixture(scope="module")
def vertical_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("vertical-pdf")
    result = run_cli("build", str(SAMPLE), "--format", "pdf", "--variant", "zh-Hant", "--writing", "vertical",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "wuge-yinling.zh-Hant.vertical.pdf"


def columns_at(article, page: str = "A5") -> dict[int, tuple[float, float]]:
    """The centres of the text block's first and last columns on odd and even pages:
    odd pages are left-hand ones (the recto of a book read right to left), bound on
    their right."""
    geo, _ = layout(article, page)
    out = {}
    for parity, inner_right in ((1, True), (0, False)):
        edge = geo.width - (geo.inner if inner_right else geo.outer)
        first = edge - geo.size / 2
        out[parity] = (first, first - (geo.columns - 1) * geo.pitch)
    return out


@pytest.fixture(scope="module")
def checked(vertical_pdf, sample):
    return check_vertical(vertical_pdf, first_page=FIRST_BODY_PAGE, block=columns_at(sample))


def body_text(article) -> str:
    """The article's paragraphs as the vertical edition sets them, without spaces."""
    texts = [b.text for s in walk_sections(article.sections) for b in walk_blocks(s.blocks)
             if isinstance(b, Paragraph)]
    return "".join(texts).translate(CORNER_QUOTES).replace(" ", "").replace("　", "")


def test_columns_measure_clean(checked, sample):
    assert checked.problems == [], checked.problems[:10]
    paragraphs = sum(1 for s in walk_sections(sample.sections) for b in walk_blocks(s.blocks)
                     if isinstance(b, Paragraph))
    assert checked.indents == paragraphs  # every paragraph's head indented 2 em
    assert checked.full > 80 and checked.worst <= 0.5
    print("vertical sample:", checked.summary())


def test_column_is_the_text_block_high(checked, sample):
    """Columns measure the text block's height in whole cells, at 1.75 em apart."""
    geo, _ = layout(sample)
    assert checked.foot - checked.head == pytest.approx(geo.chars * geo.size, abs=0.5)
    assert checked.pitch == pytest.approx(geo.pitch, abs=0.1)


def test_text_in_reading_order(checked, sample, vertical_pdf):
    """The body's text, read in the content stream's order page by page, is the
    article's text: columns right to left, each top to bottom, plain marks."""
    pages = [text for number, text in sorted(checked.page_text.items())]
    assert "".join(pages) == body_text(sample)
    if shutil.which("pdftotext"):  # the stream order as a reader's tool extracts it
        raw = subprocess.run(["pdftotext", "-raw", "-f", str(FIRST_BODY_PAGE), str(vertical_pdf), "-"],
                             capture_output=True, text=True, check=True).stdout
        assert body_text(sample)[:200] in "".join(raw.split())


def test_vertical_forms_drawn_plain_text_extracted(sample, vertical_pdf):
    geo, pages = layout(sample)
    html = render(sample, geo, pages)
    assert "﹁" in html and "﹂" in html and "︙" in html  # drawn as vertical forms
    with pdfplumber.open(vertical_pdf) as pdf:
        text = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "「" in text and "……" in text
    assert not any("\ufe10" <= ch <= "\ufe4f" for ch in text)


def test_pages_turn_right_to_left_with_bookmarks(sample, vertical_pdf):
    with pikepdf.open(vertical_pdf) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == "/R2L"
        assert str(pdf.Root.Lang) == "zh-Hant"
        with pdf.open_outline() as outline:
            root = list(outline.root)
            titles = [root[0].title] + [item.title for item in root[0].children]
            pages = {item.title: pikepdf.Page(item.destination[0]).index for item in root[0].children}
    headings = [s.heading for s in walk_sections(sample.sections) if s.heading]
    assert titles == [sample.title, *headings]
    with pdfplumber.open(vertical_pdf) as pdf:  # each bookmark opens the page its heading is on
        for heading, index in pages.items():
            big = "".join(c["text"] for c in pdf.pages[index].chars if c["size"] > 12)
            assert heading in big
        # the contents give the same pages: each entry's folio at its foot, right to left
        digits = sorted((c for c in pdf.pages[1].chars if 9 < c["size"] < 10), key=lambda c: c["x0"])
        folios: list[list] = []
        for c in digits:
            if folios and c["x0"] - folios[-1][-1]["x1"] < 1:
                folios[-1].append(c)
            else:
                folios.append([c])
    numbers = [int("".join(c["text"] for c in f)) for f in sorted(folios, key=lambda f: -f[0]["x0"])]
    assert numbers == [index + 1 for index in pages.values()]


def test_tagged_structure(vertical_pdf):
    def kinds(element, out):
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            out.append(str(element.S))
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                kinds(kid, out)
        return out

    with pikepdf.open(vertical_pdf) as pdf:
        assert pdf.Root.MarkInfo.Marked
        tags = kinds(pdf.Root.StructTreeRoot.K[0], [])
    assert tags.index("/H1") < tags.index("/L") < tags.index("/P", tags.index("/L") + 1)
    assert tags.count("/H2") == 6  # the contents' title and five headings
    assert tags.count("/P") >= 39


def test_running_heads_and_folios_in_the_outer_margins(sample, vertical_pdf):
    """A vertical book's folio stands at the foot's outer corner, its running head
    upright down the outer margin from the top: the recto (odd, left-hand) page's
    outer side is its left. The verso carries the title, the recto its section."""
    geo, _ = layout(sample)
    headings = {s.heading for s in walk_sections(sample.sections) if s.heading}
    with pdfplumber.open(vertical_pdf) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            small = [c for c in page.chars if c["upright"] and c["size"] < 9]
            if number == 1:
                assert not small  # the title page has neither
                continue
            folio = [c for c in small if c["top"] > geo.top + geo.block_height]
            assert "".join(c["text"] for c in folio) == str(number)
            outer = (lambda c: c["x1"] < geo.outer) if number % 2 else \
                (lambda c: c["x0"] > geo.width - geo.outer)
            assert all(outer(c) for c in small), number
            if number >= FIRST_BODY_PAGE:
                head = "".join(c["text"] for c in small if c not in folio)
                assert len({round(c["x0"]) for c in small if c not in folio}) == 1  # one column
                assert head == sample.title.replace(" ", "") if number % 2 == 0 else head in headings | {
                    sample.title.replace(" ", "")}


def test_checker_catches_what_it_measures(tmp_path):
    """Columns placed by hand: one starting with a comma, a full one ending short of
    the foot, one read before the column to its right."""
    from weasyprint import HTML

    def column(right, top, text, pitch=10.5):
        cells = "\n".join(text)
        return (f'<span style="position: absolute; right: {right}pt; top: {top}pt; width: 10.5pt; '
                f'white-space: pre; line-height: {pitch}pt; text-align: center">{cells}</span>')

    full = "永" * 20
    html = ('<html lang="zh-Hant"><body style="margin: 0; font: 10.5pt \'Noto Serif CJK TC\'">'
            '<div style="position: relative; height: 300pt">'
            + column(0, 21, full[:18]) + column(18.375, 0, "，" + full[:19])
            + column(36.75, 0, full[:12]) + column(55.125, 0, full)  # short, and the paragraph goes on
            + column(91.875, 0, full) + column(73.5, 0, full)  # the left one read first
            + "</div></body></html>")
    path = tmp_path / "bad.pdf"
    HTML(string=html).write_pdf(path)
    problems = "\n".join(check_vertical(path).problems)
    assert "starts with ，" in problems
    assert "from the foot" in problems  # the 12-character column ends short
    assert "reading order" in problems


def test_checker_measures_an_epigraph_against_its_own_foot(tmp_path):
    """Columns placed by hand: a paragraph to the foot, then an epigraph's, set in 2
    cells from the head and the foot and indented 2 more; of its full columns, the one
    ending a cell above its foot is the only one reported."""
    from weasyprint import HTML

    def column(right, top, text):
        cells = "\n".join(text)
        return (f'<span style="position: absolute; right: {right}pt; top: {top}pt; width: 10.5pt; '
                f'white-space: pre; line-height: 10.5pt; text-align: center">{cells}</span>')

    html = ('<html lang="zh-Hant"><body style="margin: 0; font: 10.5pt \'Noto Serif CJK TC\'">'
            '<div style="position: relative; height: 300pt">'
            + column(0, 21, "永" * 18) + column(18.375, 0, "永" * 20)  # the body: cells 2-20, 0-20
            + column(55.125, 42, "甲" * 14) + column(73.5, 21, "乙" * 16)  # the epigraph: to cell 18
            + column(91.875, 21, "丙" * 15) + column(110.25, 21, "丁" * 5)  # 丙 ends at cell 17
            + "</div></body></html>")
    path = tmp_path / "epigraph.pdf"
    HTML(string=html).write_pdf(path)
    result = check_vertical(path)
    feet = [p for p in result.problems if "from the foot" in p]
    assert len(feet) == 1 and "丙丙" in feet[0] and "10.50 pt" in feet[0], result.problems
    assert result.full == 4  # the body's first column and the epigraph's three


def test_press_refused_clearly(tmp_path):
    result = run_cli("build", str(SAMPLE), "--format", "pdf", "--writing", "vertical", "--press",
                     "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error:")
    assert not list(tmp_path.iterdir())


@pytest.fixture(scope="module")
def other_pdfs(tmp_path_factory) -> dict[str, Path]:
    """The guide (quotation, lists, notes, a figure, a table, emphasis, Latin runs),
    the Word notice (a table, a note) and the typography fixture (long quotations with
    numbers in Kai, nested lists, long notes), vertical and zh-Hant, in one run."""
    from PIL import Image

    out = tmp_path_factory.mktemp("vertical-others")
    shutil.copy(BLOCKS, out / "blocks.md")
    (out / "images").mkdir()
    Image.new("RGB", (600, 200), (220, 230, 240)).save(out / "images" / "sample.png")
    names = {"guide": SOURCE / "guide.md", "workflow-notice": SOURCE / "workflow-notice.docx",
             "blocks": out / "blocks.md"}
    result = run_cli("build", *map(str, names.values()), "--format", "pdf", "--variant", "zh-Hant",
                     "--writing", "vertical", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return {name: out / f"{name}.zh-Hant.vertical.pdf" for name in names}


@pytest.mark.parametrize("name", ["guide", "workflow-notice", "blocks"])
def test_every_block_kind_measures_clean(other_pdfs, name):
    source = other_pdfs[name].parent / "blocks.md" if name == "blocks" else next(SOURCE.glob(f"{name}.*[dx]"))
    article = load(source, None, "zh-Hant")[1]
    result = check_vertical(other_pdfs[name], first_page=FIRST_BODY_PAGE, block=columns_at(article))
    assert result.problems == [], result.problems[:10]
    assert result.full > 5 and result.indents >= 5
    print(name, "vertical:", result.summary())


def test_inserts_notes_and_emphasis(other_pdfs):
    """Tables and figures on pages of their own, set horizontally; the notes at the
    end under their heading, numbers hanging; emphasis dots drawn right of their
    characters; Latin runs sideways (clockwise) and read in place."""
    with pdfplumber.open(other_pdfs["guide"]) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
        table = next(i for i, text in enumerate(pages) if "make epub" in text)
        assert pdf.pages[table].chars[0]["upright"] and "make pdf" in pages[table]  # horizontal
        assert any(pdf.pages[i].images for i in range(len(pages)))
        last = pdf.pages[-1]
        assert "註釋" in "".join(c["text"] for c in last.chars if c["size"] > 12)
        dots = [r for page in pdf.pages for r in page.rects if abs(r["width"] - 0.16 * 10.5) < 0.1]
        assert len(dots) >= 4  # 一條命令
        page = pdf.pages[FIRST_BODY_PAGE - 1]
        for dot in dots[:4]:
            beside = [c for c in page.chars if c["upright"] and abs(c["size"] - 10.5) < 0.1
                      and c["x1"] <= dot["x0"] <= c["x1"] + 2 and c["top"] <= dot["top"] <= c["bottom"]]
            assert beside, dot
        sideways = [c for c in page.chars if not c["upright"]]
        assert sideways and all(c["matrix"][1] < 0 for c in sideways)  # turned clockwise
        assert "的PDF和" in "".join(c["text"] for c in page.chars).replace(" ", "")  # read in place


@pytest.mark.parametrize("page, variant", [("A4", "zh-Hant"), ("A5", "zh-Hans")])
def test_other_sizes_and_the_simplified_edition(tmp_path, page, variant):
    """A4, and the Simplified edition (its ，。、 in their top-right vertical forms)."""
    result = run_cli("build", str(SAMPLE), "--format", "pdf", "--variant", variant, "--page", page,
                     "--writing", "vertical", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    name = "wuge-yinling" + (".zh-Hant" if variant == "zh-Hant" else "") + ".vertical.pdf"
    article = load(SAMPLE, SOURCE / "wuge-yinling.toml", variant)[1]
    checked = check_vertical(tmp_path / name, first_page=FIRST_BODY_PAGE, block=columns_at(article, page))
    assert checked.problems == [], checked.problems[:10]
    geo, _ = layout(article, page)
    assert checked.foot - checked.head == pytest.approx(geo.chars * geo.size, abs=0.5)
    assert checked.indents == sum(1 for s in walk_sections(article.sections) for b in walk_blocks(s.blocks)
                                  if isinstance(b, Paragraph))
    print(page, variant, "vertical sample:", checked.summary())


def test_make_builds_the_vertical_pdf_beside_the_vertical_epub(tmp_path):
    """make WRITING=vertical: a vertical PDF and EPUB for every source (dry run), and
    the sample's vertical PDF made by its rule."""
    project = copy_project(tmp_path, with_make=True)

    def make(*args):
        return subprocess.run(["make", "VARIANT=zh-Hant", "WRITING=vertical", *args], cwd=project,
                              env=clean_env(), capture_output=True, text=True, timeout=600)

    planned = make("-n", "all")
    assert planned.returncode == 0, planned.stderr
    for source in ("source/wuge-yinling.txt", "source/guide.md", "source/workflow-notice.docx"):
        for fmt in ("pdf", "epub"):
            assert any(source in line and f"--format {fmt}" in line and "--writing vertical" in line
                       for line in planned.stdout.splitlines()), (source, fmt)
    built = make("dist/wuge-yinling.zh-Hant.vertical.pdf")
    assert built.returncode == 0, built.stderr
    assert (project / "dist" / "wuge-yinling.zh-Hant.vertical.pdf").read_bytes().startswith(b"%PDF")


def test_a_hard_line_break_ends_its_column(tmp_path):
    """A verse's lines (Markdown hard breaks) each begin a column of their own."""
    source = tmp_path / "poem.md"
    source.write_text("---\ntitle: 靜夜思\n---\n\n床前明月光，  \n疑是地上霜。  \n舉頭望明月，  \n低頭思故鄉。\n",
                      "utf-8")
    result = run_cli("build", str(source), "--format", "pdf", "--writing", "vertical", "--variant", "zh-Hant",
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    checked = check_vertical(tmp_path / "poem.zh-Hant.vertical.pdf", first_page=2)
    assert [c.text for c in checked.columns] == ["床前明月光，", "疑是地上霜。", "舉頭望明月，", "低頭思故鄉。"]
    starts = [round(c.tops[0] - checked.head, 1) for c in checked.columns]
    assert starts == [21.0, 0.0, 0.0, 0.0]  # the paragraph's indent, then each line at the head


def test_long_title_and_headings_go_on_in_the_next_column(tmp_path):
    """A title, subtitle, heading or contents entry longer than a column goes on in
    the next one: nothing runs past the foot, nothing is cut."""
    title = "一個非常非常長的標題用來檢查豎排標題頁是否會在欄底之前換到下一欄而不是溢出頁面之外"
    heading = "一個很長" * 12 + "的小標題"
    source = tmp_path / "long.md"
    source.write_text(f"---\ntitle: {title}\ndate: 2026-11-20\n---\n\n## {heading}\n\n正文。\n", "utf-8")
    result = run_cli("build", str(source), "--format", "pdf", "--writing", "vertical", "--variant", "zh-Hant",
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    article = load(source, None, "zh-Hant")[1]
    geo, _ = layout(article)
    with pdfplumber.open(tmp_path / "long.zh-Hant.vertical.pdf") as pdf:
        assert len(pdf.pages) == 3
        for page in pdf.pages:
            feet = [page.height - c["matrix"][5] + 0.12 * c["size"] for c in page.chars  # em boxes' feet
                    if c["upright"] and c["size"] > 9]
            assert max(feet) <= geo.top + geo.block_height + 0.5
        texts = ["".join(c["text"] for c in page.chars) for page in pdf.pages]
    heading = article.sections[-1].heading  # as the Traditional edition converts them
    assert article.title in texts[0] and "2026-11-20" in texts[0]
    assert heading in texts[1] and heading in texts[2]  # the contents' entry, and the heading

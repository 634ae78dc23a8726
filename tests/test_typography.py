"""clreq typography measured on the built PDFs (tests/typography.py is the checker)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, sources

from pipeline.check import pdf_fonts
from pipeline.writers.pdf import MM, PAGE_SIZES
from typography import check


def text_block(size: str) -> dict:
    """Where the text block should be: recto pages have the inner margin on the left."""
    page = PAGE_SIZES[size]
    inner = page.inner_mm * MM
    return {1: (inner, inner + page.measure_pt), 0: (page.outer_pt, page.outer_pt + page.measure_pt)}

SIZES = ["A5", "A4"]


VARIANTS = ["zh-Hans", "zh-Hant"]


@pytest.fixture(scope="module")
def pdfs(built, tmp_path_factory):
    """Every source in both editions at A5 and A4 (the Simplified A5 build is `built`)."""
    paths = {("A5", "zh-Hans", p.stem): built / f"{p.stem}.pdf" for p in sources()}
    for size in SIZES:
        for variant in VARIANTS:
            if (size, variant) == ("A5", "zh-Hans"):
                continue
            out = tmp_path_factory.mktemp(f"{size}-{variant}")
            result = run_cli("build", *map(str, sources()), "--format", "pdf", "--page", size,
                             "--variant", variant, "--out", str(out))
            assert result.returncode == 0, result.stderr
            suffix = "" if variant == "zh-Hans" else f".{variant}"
            paths.update({(size, variant, p.stem): out / f"{p.stem}{suffix}.pdf" for p in sources()})
    return paths


FIXTURE = Path(__file__).parent / "fixtures" / "blocks.md"
# Every kind of running text outside body paragraphs is in the fixture article.
BLOCK_KINDS = ("body", "quote", "list", "footnote", "caption", "epigraph", "table")


@pytest.fixture(scope="module")
def block_pdfs(tmp_path_factory):
    """The fixture article (block quotes, an epigraph, nested lists, long footnotes,
    a captioned figure, a table) in both editions at A5 and A4."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("blocks")
    shutil.copy(FIXTURE, folder / "blocks.md")
    (folder / "images").mkdir()
    Image.new("RGB", (600, 200), (220, 230, 240)).save(folder / "images" / "sample.png")
    paths = {}
    for size in SIZES:
        for variant in VARIANTS:
            out = folder / f"{size}-{variant}"
            result = run_cli("build", str(folder / "blocks.md"), "--format", "pdf", "--page", size,
                             "--variant", variant, "--out", str(out))
            assert result.returncode == 0, result.stderr
            suffix = "" if variant == "zh-Hans" else f".{variant}"
            paths[(size, variant)] = out / f"blocks{suffix}.pdf"
    return paths


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("size", SIZES)
def test_every_block_kind(block_pdfs, size, variant):
    path = block_pdfs[(size, variant)]
    result = check(path, block=text_block(size))
    assert result.problems == [], result.summary()
    for kind in BLOCK_KINDS:
        figures = result.kinds[kind]
        assert figures.lines >= 2 and figures.edges >= 1, (kind, result.summary())
        assert figures.worst <= 0.5, (kind, result.summary())
    assert result.kinds["quote"].indents >= 2 and result.kinds["list"].indents >= 5
    assert result.kinds["epigraph"].indents >= 2  # its two paragraphs
    families = {f["name"].split("+")[1] for f in pdf_fonts(path)}
    assert "LXGW-WenKai" in families  # quotations, epigraphs and captions in Kai, embedded and subset
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in pdf_fonts(path))


TEXT = "2022年12月，成都市双流区总工会在大飞机示范产业园开展活动，覆盖职工超184万人次。" * 4


def _set_by_weasyprint(tmp_path, css: str, block: str):
    """`block` between two body paragraphs, all laid out by WeasyPrint's own line
    breaking, and the checker's result."""
    from weasyprint import HTML

    html = (f'<html lang="zh-Hans"><style>@page{{size:A5;margin:20mm}} p{{font-family:"Noto Serif CJK SC";'
            f'font-size:10.5pt;text-indent:2em;margin:0}} {css}</style><p>{TEXT}</p>{block}<p>{TEXT}</p></html>')
    path = tmp_path / "weasyprint.pdf"
    HTML(string=html).write_pdf(path)
    return check(path)


def test_checker_catches_ragged_quotes(tmp_path):
    """A quotation set in Kai the ordinary way (WeasyPrint's line breaking) fails."""
    result = _set_by_weasyprint(tmp_path, 'blockquote{margin:0 0 0 2em;font-size:10.5pt;text-align:justify} '
                                          'blockquote p{font-family:"LXGW WenKai"}',
                                f"<blockquote><p>{TEXT}</p></blockquote>")
    assert any("quote line" in p and "from the right edge" in p for p in result.problems), result.summary()


@pytest.mark.parametrize("right", ["2em", "0"])
def test_checker_catches_epigraphs_set_otherwise(tmp_path, right):
    """An epigraph set by WeasyPrint's own line breaking fails: ragged lines, an
    attribution left where lines start; set to the full measure (not 2 em in from
    the right, `right` 0), its lines run past the epigraph's edge."""
    result = _set_by_weasyprint(tmp_path, f'div{{margin:0 {right} 0 2em;font-size:9pt}} div p{{font-size:9pt;'
                                          'font-family:"LXGW WenKai";text-align:justify} '
                                          '.a{text-indent:0;text-align:left}',
                                f'<div><p>{TEXT}</p><p class="a">—— 鲁迅《野草》</p></div>')
    assert result.kinds["epigraph"].lines >= 4, result.summary()
    problems = [p for p in result.problems if "epigraph line" in p]
    assert any("neither indented 2 em nor flush at the end" in p and "鲁迅" in p for p in problems), problems
    if right == "0":  # lines end about 2 em (18 pt) past the epigraph's right edge
        assert any(float(re.search(r"ends ([-+.0-9]+) pt", p).group(1)) < -12 for p in problems if "ends " in p)
    else:
        assert any("from the right edge" in p for p in problems), problems


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", [p.stem for p in sources()])
def test_clreq_typography(pdfs, size, variant, name):
    path = pdfs[(size, variant, name)]
    result = check(path, block=text_block(size))
    assert result.problems == [], result.summary()
    assert result.checked_edges >= 3 and result.checked_indents >= 5, result.summary()
    assert result.worst_edge <= 0.5
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in pdf_fonts(path))


def test_checker_catches_ragged_lines(tmp_path):
    """The checker fails a PDF set the ordinary way (WeasyPrint's own line breaking)."""
    from weasyprint import HTML

    # no spaces for WeasyPrint to stretch; digits make the lines' natural widths uneven
    text = "2022年12月，成都市双流区总工会在大飞机示范产业园开展活动，覆盖职工超184万人次。" * 8
    html = (f'<html lang="zh-Hans"><style>@page{{size:A5}} p{{font-family:"Noto Serif CJK SC";'
            f'font-size:10.5pt;text-indent:2em;margin:0;text-align:justify}}</style><p>{text}</p><p>{text}</p></html>')
    path = tmp_path / "ragged.pdf"
    HTML(string=html).write_pdf(path)
    result = check(path)
    assert any("from the right edge" in p for p in result.problems)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_books_preface_is_set_like_body_text(tmp_path, variant):
    """The book's preface (its own page after the title page) is broken by our line
    breaker: its first lines indented 2 em and every full line flush at the edge, as
    the whole book measures clean."""
    result = run_cli("build", str(ROOT / "books" / "anthology.toml"), "--format", "pdf", "--variant", variant,
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    path = next(tmp_path.glob("anthology*.pdf"))
    checked = check(path, block=text_block("A5"))
    assert checked.problems == [], checked.summary()
    preface = [line for line in checked.lines if line.kind == "body" and line.text.startswith(("本书收录", "本書收錄"))]
    assert len(preface) == 1, [line.text for line in checked.lines[:8]]
    page = [line for line in checked.lines if line.page == preface[0].page and line.kind == "body"]
    right = max(line.x1 for line in page)
    assert len(page) >= 4 and sum(abs(line.x1 - right) <= 0.5 for line in page) >= 2
    assert page[0].x0 - min(line.x0 for line in page) > 15  # the 2 em indent (21 pt at 10.5 pt)

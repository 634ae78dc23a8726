"""Press PDFs (PDF/X-4): the preflight, the plates a press would print, the book's
cover spread. Plates come from Ghostscript's tiffsep device (one 8-bit file per
process colour, 255 where the plate carries no ink)."""
from __future__ import annotations

import math
import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import EPOCH, ROOT, SOURCE, copy_project, run_cli
from PIL import Image

from pipeline.preflight import preflight
from pipeline.writers.press import BLEED_MM, DEFAULT_PROFILE, MM

pytestmark = pytest.mark.skipif(shutil.which("gs") is None or not DEFAULT_PROFILE.exists(),
                                reason="Ghostscript (tools/bootstrap-system.sh) is not installed")
PLATES = ("Cyan", "Magenta", "Yellow", "Black")
A5 = (148, 210)


@pytest.fixture(scope="module")
def press(tmp_path_factory) -> Path:
    """The sample article, the guide (it has an image) and the book as press PDFs,
    and the book's cover, as `PRESS=1 make` builds them."""
    out = tmp_path_factory.mktemp("press")
    state = ["--state", str(out / "state")]
    for source in (SOURCE / "wuge-yinling.txt", SOURCE / "guide.md", ROOT / "books" / "anthology.toml"):
        result = run_cli("build", str(source), "--format", "pdf", "--press", "--out", str(out), *state)
        assert result.returncode == 0, result.stderr
    result = run_cli("build", str(ROOT / "books" / "anthology.toml"), "--format", "cover",
                     "--pages-from", str(out / "anthology.pdf"), "--out", str(out), *state)
    assert result.returncode == 0, result.stderr
    (out / "cover.log").write_text(result.stderr, "utf-8")
    return out


def failures(pdf: Path) -> list[str]:
    return [f"{c.name}: {c.problems}" for c in preflight(pdf) if not c.ok]


@pytest.mark.parametrize("name", ["wuge-yinling", "guide", "anthology", "anthology.cover"])
def test_press_pdfs_pass_the_preflight(press, name):
    checks = preflight(press / f"{name}.pdf")
    assert len(checks) == 12
    assert failures(press / f"{name}.pdf") == []


def test_the_preflight_fails_what_it_checks(press, tmp_path):
    """Each broken copy fails its check: no OutputIntent, an RGB image, a page
    without TrimBox, an RGB profile, Trapped unset."""
    def broken(change) -> list[str]:
        path = tmp_path / "broken.pdf"
        with pikepdf.open(press / "guide.pdf") as pdf:
            change(pdf)
            pdf.save(path)
        return [c.name for c in preflight(path) if not c.ok]

    def rgb_image(pdf):
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" \
                    and isinstance(obj.get("/ColorSpace"), pikepdf.Array):  # the sRGB images
                obj.ColorSpace = pikepdf.Name.DeviceRGB

    def rgb_profile(pdf):
        intent = pdf.Root.OutputIntents[0]
        intent.DestOutputProfile = pikepdf.Stream(pdf, Path("/usr/share/color/icc/ghostscript/srgb.icc").read_bytes())

    assert broken(lambda pdf: delattr(pdf.Root, "OutputIntents")) == [
        "one OutputIntent (GTS_PDFX), in the catalog only", "output profile embedded, a CMYK printer profile"]
    assert broken(rgb_image) == ["no device RGB with a CMYK output intent, no transfer functions or PostScript"]
    assert broken(lambda pdf: delattr(pdf.pages[2].obj, "TrimBox")) == [
        "TrimBox on every page, within the BleedBox, within the MediaBox"]
    assert broken(rgb_profile) == ["output profile embedded, a CMYK printer profile"]
    assert broken(lambda pdf: delattr(pdf.docinfo, "Trapped")) == ["Trapped set to True or False, alike in Info and XMP"]


def test_output_intent_is_the_cmyk_profile(press):
    with pikepdf.open(press / "wuge-yinling.pdf") as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "Artifex CMYK SWOP Profile"
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[16:20] == b"CMYK" and len(profile) > 100_000
        assert "/StructTreeRoot" in pdf.Root  # still tagged after finishing


def test_press_profile_option(tmp_path):
    rgb = run_cli("build", str(SOURCE / "guide.md"), "--format", "pdf", "--press", "--press-profile",
                  "/usr/share/color/icc/ghostscript/srgb.icc", "--out", str(tmp_path))
    assert rgb.returncode == 3 and "not a CMYK output profile" in rgb.stderr
    assert rgb.stderr.count("\n") == 1 and not list(tmp_path.iterdir())
    missing = run_cli("build", str(SOURCE / "guide.md"), "--format", "pdf", "--press", "--press-profile",
                      str(tmp_path / "none.icc"), "--out", str(tmp_path))
    assert missing.returncode == 3 and "no such ICC profile" in missing.stderr
    other = run_cli("build", str(SOURCE / "guide.md"), "--format", "pdf", "--press", "--press-profile",
                    "/usr/share/color/icc/ghostscript/ps_cmyk.icc", "--out", str(tmp_path))
    assert other.returncode == 0, other.stderr
    with pikepdf.open(tmp_path / "guide.pdf") as pdf:
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "Artifex PS CMYK Profile"


def separate(pdf: Path, out: Path, trim: bool = True, dpi: int = 72) -> list[dict[str, Image.Image]]:
    """Every page's four plates (inside the TrimBox, or the whole MediaBox)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}",
                    *(["-dUseTrimBox"] if trim else []), f"-sOutputFile={out}/p%03d.tif", str(pdf)],
                   check=True, capture_output=True, timeout=300)
    pages = sorted(p for p in out.glob("p???.tif"))
    return [{plate: Image.open(page.with_name(f"{page.stem}({plate}).tif")) for plate in PLATES}
            for page in pages]


def ink(image: Image.Image, box=None) -> int:
    """Pixels carrying ink on a plate (within `box`: left, top, right, bottom)."""
    region = image.crop(box) if box else image
    return sum(count for value, count in enumerate(region.histogram()) if value < 255)


def paints_images(page) -> bool:
    """Whether the page draws an image (WeasyPrint's pages share one resource
    dictionary, so the page's resources list every image of the document)."""
    return any(str(op) == "Do" for _, op in pikepdf.parse_content_stream(page))


def text_pages(pdf: Path) -> list[int]:
    with pikepdf.open(pdf) as document:
        return [n for n, page in enumerate(document.pages) if not paints_images(page)]


@pytest.mark.parametrize("name", ["wuge-yinling", "anthology"])
def test_text_pages_are_on_the_black_plate_only(press, tmp_path, name):
    plates = separate(press / f"{name}.pdf", tmp_path)
    pages = text_pages(press / f"{name}.pdf")
    assert len(pages) >= 8
    inked = 0
    for number in pages:
        counts = {plate: ink(image) for plate, image in plates[number].items()}
        assert counts["Cyan"] == counts["Magenta"] == counts["Yellow"] == 0, (number, counts)
        inked += counts["Black"] > 0
    assert inked >= len(pages) - 3  # all but blank versos carry text


def test_marks_are_in_registration_colour_outside_the_bleed(press, tmp_path):
    dpi = 72
    (plates,) = separate(press / "wuge-yinling.pdf", tmp_path, trim=False, dpi=dpi)[:1]
    width, height = plates["Black"].size
    with pikepdf.open(press / "wuge-yinling.pdf") as pdf:
        media = [float(v) for v in pdf.pages[0].MediaBox]
        bleed = [float(v) for v in pdf.pages[0].BleedBox]
    scale = dpi / 72
    inner = (round((bleed[0] - media[0]) * scale) + 1, round((media[3] - bleed[3]) * scale) + 1,
             width - round((media[2] - bleed[2]) * scale) - 1, height - round((bleed[1] - media[1]) * scale) - 1)
    marks = {plate: ink(image) - ink(image, inner) for plate, image in plates.items()}
    assert marks["Black"] > 100 and len(set(marks.values())) == 1, marks  # the same marks on every plate
    title_page_text = {plate: ink(image, inner) for plate, image in plates.items()}
    assert title_page_text["Cyan"] == 0 and title_page_text["Black"] > 0


def test_default_pdf_loads_no_press_styles():
    from pipeline.writers.pdf import PAGE_SIZES, print_stylesheets

    screen = "".join(print_stylesheets("zh-Hans", PAGE_SIZES["A5"]))
    press = "".join(print_stylesheets("zh-Hans", PAGE_SIZES["A5"], press=True))
    assert "device-cmyk" not in screen and "bleed" not in screen
    assert "device-cmyk(0 0 0 1)" in press and "bleed: 3mm" in press


def test_press_book_block_has_no_cover_page(press):
    with pikepdf.open(press / "anthology.pdf") as pdf:
        assert not paints_images(pdf.pages[0])  # the cover is printed apart, in anthology.cover.pdf


def spread_mm(pdf: Path) -> tuple[float, float, list[float]]:
    with pikepdf.open(pdf) as document:
        (page,) = document.pages
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
    return (trim[2] - trim[0]) / MM, (trim[3] - trim[1]) / MM, [(t - b) / MM for t, b in zip(trim, bleed)]


def test_cover_spread_width_follows_pages_and_paper(press, tmp_path):
    with pikepdf.open(press / "anthology.pdf") as pdf:
        pages = len(pdf.pages)
    width, height, bleed = spread_mm(press / "anthology.cover.pdf")
    spine = math.ceil(pages / 2) * 0.1
    assert width == pytest.approx(2 * A5[0] + spine, abs=0.01) and height == pytest.approx(A5[1], abs=0.01)
    assert bleed == pytest.approx([BLEED_MM, BLEED_MM, -BLEED_MM, -BLEED_MM], abs=0.01)
    assert f"spine {spine:g} mm" in (press / "cover.log").read_text("utf-8")
    thick = run_cli("build", str(ROOT / "books" / "anthology.toml"), "--format", "cover", "--paper-mm", "0.5",
                    "--pages-from", str(press / "anthology.pdf"), "--out", str(tmp_path))
    assert thick.returncode == 0, thick.stderr
    width, _, _ = spread_mm(tmp_path / "anthology.cover.pdf")
    assert width == pytest.approx(2 * A5[0] + math.ceil(pages / 2) * 0.5, abs=0.01)


def spine_text(pdf: Path, spine_mm: float) -> str:
    """The text pdftotext finds in the spine's column, top to bottom."""
    x = round((A5[0] + 10) * 72 / 25.4 * 2)  # at 144 dpi, MediaBox origin 10 mm outside the trim
    width = round(spine_mm * 72 / 25.4 * 2)
    out = subprocess.run(["pdftotext", "-r", "144", "-x", str(x), "-y", "0", "-W", str(width), "-H", "4000",
                          str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def test_spine_carries_title_and_editor_top_to_bottom(press, tmp_path):
    thick = run_cli("build", str(ROOT / "books" / "anthology.toml"), "--format", "cover", "--paper-mm", "0.8",
                    "--pages-from", str(press / "anthology.pdf"), "--out", str(tmp_path))
    assert thick.returncode == 0 and "left blank" not in thick.stderr, thick.stderr
    width, _, _ = spread_mm(tmp_path / "anthology.cover.pdf")
    text = spine_text(tmp_path / "anthology.cover.pdf", width - 2 * A5[0])
    assert text == "工会宣传与编辑实务2022年12月选编编辑部编"
    # too narrow at 0.1 mm a leaf: said, and left blank
    assert "too narrow" in (press / "cover.log").read_text("utf-8")
    assert spine_text(press / "anthology.cover.pdf", 2) == ""


def test_cover_back_carries_the_blurb_and_needs_the_press_pdf(press, tmp_path):
    project = copy_project(tmp_path)
    book = project / "books" / "anthology.toml"
    book.write_text(book.read_text("utf-8").replace('lang = "zh-Hans"', 'lang = "zh-Hans"\nblurb = "封底的话。"'),
                    "utf-8")
    pdf = tmp_path / "dist" / "anthology.pdf"
    pdf.parent.mkdir()
    shutil.copy(press / "anthology.pdf", pdf)
    result = run_cli("build", str(book), "--format", "cover", "--out", str(pdf.parent), cwd=project)
    assert result.returncode == 0, result.stderr
    back = subprocess.run(["pdftotext", str(pdf.parent / "anthology.cover.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "封底的话。" in back and "本书收录两篇文章" not in back
    default = subprocess.run(["pdftotext", str(press / "anthology.cover.pdf"), "-"], capture_output=True,
                             text=True, check=True).stdout
    assert "本书收录两篇文章" in default  # without a blurb: the preface's first sentences
    screen = run_cli("build", str(book), "--format", "pdf", "--out", str(tmp_path / "screen"), cwd=project)
    assert screen.returncode == 0, screen.stderr
    refused = run_cli("build", str(book), "--format", "cover", "--pages-from", str(tmp_path / "screen" / "anthology.pdf"),
                      "--out", str(tmp_path / "screen"), cwd=project)
    assert refused.returncode == 3 and "not a press PDF" in refused.stderr
    assert not (tmp_path / "screen" / "anthology.cover.pdf").exists()


def test_make_press_books_writes_the_cover(tmp_path):
    project = copy_project(tmp_path, with_make=True)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    result = subprocess.run(["make", "PRESS=1", "PAPER_MM=0.2", "books"], cwd=project, capture_output=True,
                            text=True, timeout=900, env=dict(env, SOURCE_DATE_EPOCH=EPOCH))
    assert result.returncode == 0, result.stderr
    cover = project / "dist" / "anthology.cover.pdf"
    with pikepdf.open(project / "dist" / "anthology.pdf") as pdf:
        pages = len(pdf.pages)
    assert spread_mm(cover)[0] == pytest.approx(2 * A5[0] + math.ceil(pages / 2) * 0.2, abs=0.01)
    assert failures(cover) == []


def test_press_book_and_cover_are_reproducible(press, tmp_path):
    """Finishing (pikepdf, deterministic IDs) keeps two builds of the same inputs
    byte-identical: the book's block and its cover."""
    state = ["--state", str(tmp_path / "state")]
    book = str(ROOT / "books" / "anthology.toml")
    result = run_cli("build", book, "--format", "pdf", "--press", "--out", str(tmp_path), *state)
    assert result.returncode == 0, result.stderr
    result = run_cli("build", book, "--format", "cover", "--out", str(tmp_path), *state)
    assert result.returncode == 0, result.stderr
    for name in ("anthology.pdf", "anthology.cover.pdf"):
        assert (tmp_path / name).read_bytes() == (press / name).read_bytes(), name

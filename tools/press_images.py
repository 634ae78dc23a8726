"""Page images of the press output kept under docs/ (run from the project root):

    .venv/bin/python tools/press_images.py

docs/press-cover.png: the sample book's cover spread (pdftoppm), built at 0.8 mm of
paper per leaf so that its spine is wide enough for type (at the default 0.1 mm the
book's 0.9 mm spine is left blank). docs/press-plates.png: page 3 of the sample
article separated by Ghostscript's tiffsep inside the TrimBox, the cyan, magenta,
yellow and black plates left to right; ink shows dark. Prints each plate's inked
pixels."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
PLATES = ("Cyan", "Magenta", "Yellow", "Black")


def run(*args: str) -> None:
    subprocess.run(args, check=True, cwd=ROOT, env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        out, state = Path(work), ["--state", str(Path(work) / "state")]
        build = [sys.executable, "-m", "pipeline", "build"]
        run(*build, "source/wuge-yinling.txt", "--format", "pdf", "--press", "--out", work, "--quiet", *state)
        run(*build, "books/anthology.toml", "--format", "pdf", "--press", "--out", work, *state)
        run(*build, "books/anthology.toml", "--format", "cover", "--paper-mm", "0.8", "--out", work, *state)
        run("pdftoppm", "-r", "60", "-png", "-singlefile", str(out / "anthology.cover.pdf"),
            str(ROOT / "docs" / "press-cover"))
        run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", "-r72", "-dUseTrimBox",
            "-dFirstPage=3", "-dLastPage=3", f"-sOutputFile={out}/p3.tif", str(out / "wuge-yinling.pdf"))
        plates = [Image.open(out / f"p3({plate}).tif") for plate in PLATES]
        for plate, image in zip(PLATES, plates):
            print(f"{plate}: {sum(image.histogram()[:255])} inked pixels of {image.width * image.height}")
        gap = 12
        sheet = Image.new("L", (sum(p.width for p in plates) + gap * 5, plates[0].height + 2 * gap), 160)
        x = gap
        for image in plates:
            sheet.paste(image, (x, gap))
            x += image.width + gap
        sheet.save(ROOT / "docs" / "press-plates.png", optimize=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

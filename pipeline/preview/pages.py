"""The print pages as PNG images: poppler's pdftoppm, run as child processes the
server keeps track of, so that stopping it leaves none running and no file behind."""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import EXIT_BUILD, UserError

# 72 dpi: an A5 page is 420 x 595 px, enough to judge a page's layout at a glance;
# the PDF itself is a download away for the details.
DPI = 72
# pdftoppm spends four fifths of its time compressing its PNGs (0.98 s for the
# sample's 10 pages; 0.20 s for the same pages as raw PPM): it writes PPM, and
# Pillow compresses at zlib's fastest level (0.10 s, and smaller files too).
PNG_LEVEL = 1
PROCESSES = 2  # the pages split in two runs at once: most machines have two cores to spare


class Children:
    """The pdftoppm processes running now; `kill` ends them all (on stop)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self.stopped = False

    def start(self, command: list[str]) -> subprocess.Popen:
        with self._lock:
            if self.stopped:
                raise InterruptedError("stopping")
            try:
                child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE)
            except FileNotFoundError:
                raise UserError(None, "pdftoppm is not installed (Debian package poppler-utils)",
                                exit_code=EXIT_BUILD) from None
            self._running.add(child)
            return child

    def done(self, child: subprocess.Popen) -> None:
        with self._lock:
            self._running.discard(child)

    def kill(self) -> None:
        with self._lock:
            self.stopped = True
            for child in self._running:
                child.kill()
            for child in self._running:
                child.wait()
            self._running.clear()


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


class Rendering:
    """Pages of one PDF being rendered into a temporary folder of the server's own."""

    def __init__(self, children: Children, pdf: Path, count: int, work: Path):
        self.children = children
        work.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="pages-", dir=work))
        self.runs: list[subprocess.Popen] = []
        self.ranges: list[range] = []  # the pages each run draws
        try:
            step = -(-count // PROCESSES)
            for first in range(1, count + 1, step):
                last = min(count, first + step - 1)
                self.ranges.append(range(first, last + 1))
                self.runs.append(children.start(
                    ["pdftoppm", "-r", str(DPI), "-f", str(first), "-l", str(last), str(pdf),
                     str(self.folder / "p")]))
        except BaseException:
            self.close()
            raise

    def wait(self) -> list[bytes]:
        """The pages' PNG images, in order; the folder is removed. Each run's pages are
        compressed as soon as it ends, in threads (Pillow lets go of the interpreter
        while it compresses), while the other run is still drawing."""
        converting = []
        try:
            with ThreadPoolExecutor(PROCESSES) as pool:
                for run, pages in zip(self.runs, self.ranges):
                    _, err = run.communicate()
                    self.children.done(run)
                    if run.returncode != 0:
                        if self.children.stopped:
                            raise InterruptedError("stopping")
                        raise UserError(None, f"pdftoppm failed: {err.decode(errors='replace').strip()}",
                                        exit_code=EXIT_BUILD)
                    # only this run's files: the other's may be half written
                    converting += [(number, pool.submit(_png, ppm)) for number, ppm in self._pages()
                                   if number in pages]
                return [future.result() for _, future in sorted(converting)]
        finally:
            self.close()

    def _pages(self) -> list[tuple[int, Path]]:
        # pdftoppm pads page numbers to the width of the last: p-01.ppm ... p-12.ppm
        return [(int(p.stem.rsplit("-", 1)[1]), p) for p in self.folder.glob("p-*.ppm")]

    def close(self) -> None:
        for run in self.runs:
            if run.poll() is None:
                run.kill()
                run.wait()
            self.children.done(run)
        shutil.rmtree(self.folder, ignore_errors=True)


def _png(ppm: Path) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    with Image.open(ppm) as image:
        image.save(out, "PNG", compress_level=PNG_LEVEL)
    return out.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR comes first)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")

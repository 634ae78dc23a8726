"""Shared fixtures: the project root, golden files, and outputs built once per run."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source"
GOLDEN = Path(__file__).parent / "golden"
EPOCH = "1700000000"


# Debian's Chromium, driven by Playwright; the flags keep it off this machine's closed
# network (background services would try to connect at every start).
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the module's tests (skipped where it is not installed)."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output (review the diff!)")


@pytest.fixture(scope="session")
def golden(request):
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {path} was missing and has been written; review and commit it")
            return
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (f"output differs from {path}; if the change is intended, "
                                  f"run `make golden` and review the diff")

    return check


# What a caller's make passes down (`make -s test`: MAKEFLAGS=s) must not reach the
# makes and builds the tests run.
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS", "MAKE_TERMOUT",
                  "MAKE_TERMERR")


def clean_env(**extra: str) -> dict:
    """The tests' own environment for the builds and makes they run: the caller's make
    flags removed, a fixed source date."""
    environment = {k: v for k, v in os.environ.items() if k not in MAKE_VARIABLES}
    environment["SOURCE_DATE_EPOCH"] = EPOCH
    environment.update(extra)
    return environment


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = clean_env(**(env or {}))
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=600)


def run_in_pty(command: list[str], cwd: Path = ROOT, columns: int = 100, timeout: float = 600) -> tuple[int, str]:
    """Run `command` with its stdout and stderr on a terminal (a pty `columns`
    wide); its exit code and all it wrote there."""
    import fcntl
    import pty
    import struct
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    process = subprocess.Popen(command, cwd=cwd, env=clean_env(), stdout=child, stderr=child)
    os.close(child)
    out = b""
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        out += data
    os.close(main)
    return process.wait(timeout=timeout), out.decode("utf-8", "replace")


def sources() -> list[Path]:
    return sorted([*SOURCE.glob("*.txt"), *SOURCE.glob("*.md"), *SOURCE.glob("*.docx")])


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Every source built to PDF and EPUB once, with a fixed SOURCE_DATE_EPOCH."""
    out = tmp_path_factory.mktemp("dist")
    result = run_cli("build", *map(str, sources()), "--format", "pdf", "--out", str(out))
    assert result.returncode == 0, result.stderr
    for source in sources():  # as make does: the EPUB's page-list from the PDF
        result = run_cli("build", str(source), "--format", "epub", "--pages-from",
                         str(out / f"{source.stem}.pdf"), "--out", str(out))
        assert result.returncode == 0, result.stderr
    return out


def pdf_pages(pdf: Path) -> list[str]:
    """pdftotext -layout of every page, in order."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")[:-1]


def copy_project(dest: Path, with_make: bool = False) -> Path:
    """A copy of the project's sources and books in `dest`; `with_make`: the Makefile,
    code, styles, tools and venv linked in too, for running make there."""
    import shutil

    if with_make:
        for item in ("Makefile", "pipeline", "styles", "tools", "pyproject.toml", ".venv"):
            (dest / item).symlink_to(ROOT / item)
    for folder in ("source", "books"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


def outline_titles(outline, depth=0):
    """(depth, title) for every entry of a pypdf outline, in order."""
    for item in outline:
        if isinstance(item, list):
            yield from outline_titles(item, depth + 1)
        else:
            yield depth, item.title


@pytest.fixture(scope="session")
def site(built, tmp_path_factory) -> Path:
    """What `make all` publishes: the articles (from `built`), the sample book in both
    formats, and the catalog over them."""
    import shutil

    from pipeline.catalog import write_catalog

    out = tmp_path_factory.mktemp("site")
    for path in built.iterdir():
        if path.suffix in (".pdf", ".epub"):
            shutil.copy(path, out / path.name)
    for fmt in ("pdf", "epub"):  # as make does: the EPUB's page-list from the PDF
        pages = ["--pages-from", str(out / "anthology.pdf")] if fmt == "epub" else []
        result = run_cli("build", str(ROOT / "books" / "anthology.toml"), "--format", fmt, *pages,
                         "--out", str(out))
        assert result.returncode == 0, result.stderr
    write_catalog(out, {"anthology"})
    return out

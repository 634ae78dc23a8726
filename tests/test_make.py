"""The Makefile on a copy of the project: `make -j2 all` builds everything safely in
parallel, and a second run with nothing changed does nothing."""
from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

import pytest
from conftest import EPOCH, copy_project


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("project"), with_make=True)


def make(project, *args):
    # A make of our own: not the flags of a make that runs the tests (make -s test).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    return subprocess.run(["make", *args], cwd=project, env=env, capture_output=True, text=True, timeout=900)


def test_parallel_build_then_nothing_to_do(project):
    result = make(project, "-j2", "all")
    assert result.returncode == 0, result.stderr
    dist = project / "dist"
    names = [p.stem for p in (project / "source").glob("*.txt")] + [p.stem for p in (project / "source").glob("*.md")]
    for name in [*names, "anthology"]:
        assert (dist / f"{name}.pdf").read_bytes().startswith(b"%PDF")
        with zipfile.ZipFile(dist / f"{name}.epub") as epub:
            assert epub.testzip() is None
    assert (dist / "index.html").exists() and (dist / "opds.xml").exists() and (dist / "SHA256SUMS").exists()
    assert not list(dist.glob(".*.tmp"))
    again = make(project, "-j2", "all")
    assert again.returncode == 0 and "pipeline" not in again.stdout, again.stdout


def test_a_changed_manifest_rebuilds_its_article_only(project):
    manifest = project / "source" / "wuge-yinling.toml"
    manifest.write_text(manifest.read_text("utf-8") + "\n", "utf-8")
    result = make(project, "pdf")
    assert result.returncode == 0, result.stderr
    assert "wuge-yinling.txt --format pdf" in result.stdout and "guide.md" not in result.stdout


def test_a_book_named_like_an_article_is_refused(tmp_path):
    copy_project(tmp_path, with_make=True)
    shutil.copy(tmp_path / "books" / "anthology.toml", tmp_path / "books" / "guide.toml")
    for goal in ("pdf", "books"):
        result = make(tmp_path, goal)
        assert result.returncode == 2
        assert result.stderr.strip().splitlines()[0] == (
            "error: books/NAME.toml and source/NAME share a name, and both would be dist/NAME.pdf: guide; "
            "rename one")
        assert not (tmp_path / "dist" / "guide.pdf").exists()


def test_a_book_is_rebuilt_for_its_own_articles_only(project):
    """A source the book does not list leaves the book alone; one it lists, or its
    manifest, rebuilds it."""
    assert make(project, "all").returncode == 0
    extra = project / "source" / "extra.md"
    extra.write_text("---\ntitle: 不在书中的一篇\n---\n\n正文一段。\n", "utf-8")
    result = make(project, "all")
    assert result.returncode == 0, result.stderr
    assert "extra.md --format pdf" in result.stdout and "anthology" not in result.stdout.replace("catalog", "")
    manifest = project / "source" / "wuge-yinling.toml"
    manifest.write_text(manifest.read_text("utf-8") + "\n", "utf-8")
    result = make(project, "all")
    assert "books/anthology.toml --format pdf" in result.stdout
    assert "books/anthology.toml --format epub" in result.stdout

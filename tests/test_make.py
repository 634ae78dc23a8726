"""The Makefile on a copy of the project: `make -j2 all` builds everything safely in
parallel, and a second run with nothing changed does nothing."""
from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from conftest import clean_env, copy_project


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("project"), with_make=True)


def make(project, *args):
    env = clean_env()  # not the caller's make flags (make -s test, make -j2 test)
    return subprocess.run(["make", *args], cwd=project, env=env, capture_output=True, text=True, timeout=900)


def test_parallel_build_then_nothing_to_do(project):
    result = make(project, "-j2", "all")
    assert result.returncode == 0, result.stderr
    dist = project / "dist"
    names = [p.stem for suffix in ("txt", "md", "docx") for p in (project / "source").glob(f"*.{suffix}")]
    for name in [*names, "anthology"]:
        assert (dist / f"{name}.pdf").read_bytes().startswith(b"%PDF")
        with zipfile.ZipFile(dist / f"{name}.epub") as epub:
            assert epub.testzip() is None
    assert (dist / "index.html").exists() and (dist / "opds.xml").exists() and (dist / "SHA256SUMS").exists()
    published(dist)
    again = make(project, "-j2", "all")
    assert again.returncode == 0 and "pipeline" not in again.stdout, again.stdout


def published(dist):
    """dist/ is what gets published: only PDFs, EPUBs, covers, the catalog and its
    checksums; the build's own state (cache, stamps, templates) lives in .build/."""
    for path in dist.rglob("*"):
        name = path.relative_to(dist).as_posix()
        assert (path.is_dir() and name == "covers" or path.suffix in (".pdf", ".epub") and "/" not in name
                or name in ("index.html", "opds.xml", "SHA256SUMS")
                or name.startswith("covers/") and path.suffix in (".png", ".jpg")), f"dist/{name} is not for publishing"


def test_make_clean_removes_outputs_and_state(tmp_path):
    copy_project(tmp_path, with_make=True)
    (tmp_path / "dist").mkdir()
    (tmp_path / ".build" / "cache").mkdir(parents=True)
    result = make(tmp_path, "clean")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "dist").exists() and not (tmp_path / ".build").exists()


def test_a_changed_manifest_rebuilds_its_article_only(project):
    manifest = project / "source" / "wuge-yinling.toml"
    manifest.write_text(manifest.read_text("utf-8") + "\n", "utf-8")
    pdf = project / "dist" / "wuge-yinling.pdf"
    before = pdf.stat().st_mtime_ns
    dry = make(project, "-n", "pdf")  # the batch says what it would build, and builds nothing
    assert dry.returncode == 0 and "wuge-yinling.txt --format pdf" in dry.stdout, dry.stderr
    assert pdf.stat().st_mtime_ns == before
    result = make(project, "pdf")
    assert result.returncode == 0, result.stderr
    assert "wuge-yinling.txt --format pdf" in result.stdout and "guide.md" not in result.stdout


def test_a_word_source_is_rebuilt_for_its_manifest(project):
    """source/NAME.docx is built like the others; its [article] manifest is a dependency."""
    manifest = project / "source" / "workflow-notice.toml"
    manifest.write_text('[article]\ndate = "2024-05-21"\n', "utf-8")
    try:
        result = make(project, "pdf", "epub")
        assert result.returncode == 0, result.stderr
        assert "workflow-notice.docx --format pdf" in result.stdout
        assert "workflow-notice.docx --format epub" in result.stdout and "guide.md" not in result.stdout
        assert "workflow-notice.docx: 13 paragraphs, 6 headings placed" in result.stderr
    finally:
        manifest.unlink()


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

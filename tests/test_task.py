"""The build as a value (pipeline/task.py): a task run in its private folder gives the
bytes, lines and one-line errors the local build gives, naming the user's paths,
never its own."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EPOCH, SOURCE

from pipeline.build import build, report
from pipeline.errors import UserError
from pipeline.task import Result, prepare, run_task

BAD = {
    "manifest syntax": ("a.txt", "wuge-yinling.txt", '[[sections]]\nstarts_at = "前不久\n'),
    "anchor not found": ("a.txt", "wuge-yinling.txt", '[[sections]]\nstarts_at = "不存在的文字"\n'),
    "empty": ("empty.txt", b"", None),
    "unknown type": ("notes.doc", b"hello", None),
    "front matter": ("bad.md", "---\ntitle: [oops\n---\n正文。\n".encode(), None),
    "raw html": ("html.md", "---\ntitle: 标题\n---\n正文<script>alert(1)</script>\n".encode(), None),
    "missing image": ("missing.md", "---\ntitle: 标题\n---\n![图](nowhere.png)\n".encode(), None),
    "outside": ("escape.md", "---\ntitle: 标题\n---\n![图](../../etc/passwd)\n".encode(), None),
    "not an image": ("pic.md", "---\ntitle: 标题\n---\n![图](pic.png)\n".encode(), None),
    "missing glyph": ("glyph.md", "---\ntitle: 标题\n---\n正文\U000F0000。\n".encode(), None),
}


def local(source: Path, fmt: str, out: Path) -> tuple[bytes | None, list[str], str | None]:
    try:
        built = build(source, fmt, out, state=out / "state")
    except UserError as exc:
        return None, [], f"error: {exc}"
    return built.path.read_bytes(), report(source, built.reading), None


def remote(source: Path, fmt: str) -> tuple[bytes | None, list[str], str | None]:
    task = prepare(source, fmt=fmt)
    result = task if isinstance(task, Result) else run_task(task)
    return result.data, result.lines, result.error


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("relative", [False, True])
def test_a_task_fails_with_the_local_message(case, relative, tmp_path, monkeypatch):
    name, content, manifest = BAD[case]
    folder = tmp_path / "src"
    folder.mkdir()
    source = folder / name
    if isinstance(content, str):
        shutil.copy(SOURCE / content, source)
    else:
        source.write_bytes(content)
    if manifest:
        source.with_suffix(".toml").write_text(manifest, "utf-8")
    (folder / "pic.png").write_text("not an image")
    if relative:  # a source named from its own folder: "a.txt", whose folder is "."
        monkeypatch.chdir(folder)
        source = Path(name)
    fmt = "pdf" if case == "missing glyph" else "epub"  # fonts are checked for print only
    expected = local(source, fmt, tmp_path / "out")
    got = remote(source, fmt)
    assert expected[2] is not None and got == expected
    assert "zh-pipeline-task-" not in got[2]


def test_a_task_builds_the_local_bytes_and_lines(tmp_path):
    """A raw source with its manifest and a Markdown source with an image: the same
    EPUB bytes (their dates come with the task) and the same summary lines."""
    folder = tmp_path / "src"
    shutil.copytree(SOURCE, folder)
    for name in ("wuge-yinling.txt", "guide.md"):
        expected = local(folder / name, "epub", tmp_path / "out")
        assert expected[0] is not None, expected[2]
        assert remote(folder / name, "epub") == expected

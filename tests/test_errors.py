"""A user's mistake: one line on stderr naming the file, a documented exit code,
no traceback, and nothing written to the output folder."""
from __future__ import annotations

import shutil

import pytest
from conftest import SOURCE, run_cli

from pipeline.errors import EXIT_INPUT


def assert_user_error(result, out, *words):
    assert result.returncode == EXIT_INPUT, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())


@pytest.fixture
def raw(tmp_path):
    path = tmp_path / "src" / "article.txt"
    path.parent.mkdir()
    shutil.copy(SOURCE / "wuge-yinling.txt", path)
    return path


MANIFESTS = {
    "syntax": ('[[sections]]\nstarts_at = "前不久\n', ["TOML syntax error", ":2"]),
    "unknown key": ('[article]\ntitel = "x"\n', ["unknown key 'article.titel'"]),
    "unknown table": ('[sectoins]\n', ["unknown key 'sectoins'"]),
    "anchor not found": ('[[sections]]\nstarts_at = "不存在的文字"\n', ["sections[1].starts_at", "not found"]),
    "ambiguous": ('[[sections]]\nstarts_at = "四川省总工会"\n', ["sections[1].starts_at", "not unique"]),
    "same anchor": ('[[sections]]\nstarts_at = "前不久"\n[[sections]]\nstarts_at = "前不久，成都"\n',
                    ["sections[1] and sections[2]", "same paragraph"]),
    "heading dropped": ('[[sections]]\nstarts_at = "前不久"\nheading = "强化政治引领"\n', ["is not used", "would be lost"]),
}


@pytest.mark.parametrize("case", sorted(MANIFESTS))
def test_bad_manifest(raw, tmp_path, case):
    text, words = MANIFESTS[case]
    raw.with_suffix(".toml").write_text(text, "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(raw), "--format", "epub", "--out", str(out))
    assert_user_error(result, out, "article.toml", *words)


@pytest.mark.parametrize("name, content, words", [
    ("empty.txt", b"", ["empty"]),
    ("blank.txt", b" \n\t\n\n", ["empty"]),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), ["PNG"]),
    ("notes.doc", b"hello", ["unknown source type"]),
    ("bad.md", "---\ntitle: [oops\n---\n正文。\n".encode(), ["front matter", "YAML"]),
    ("described.md", "---\ntitle: 标题\ndescription: 一段不会印出的说明\n---\n正文。\n".encode(),
     ["unknown front matter key 'description'"]),
    ("html.md", "---\ntitle: 标题\n---\n正文<script>alert(1)</script>\n".encode(), ["raw HTML", ":4"]),
    ("iframe.md", "---\ntitle: 标题\n---\n<iframe src='http://x'></iframe>\n".encode(), ["raw HTML"]),
    ("missing.md", "---\ntitle: 标题\n---\n![图](nowhere.png)\n".encode(), ["nowhere.png", "missing"]),
    ("escape.md", "---\ntitle: 标题\n---\n![图](../../etc/passwd)\n".encode(), ["outside"]),
    ("quoted.md", "---\ntitle: 标题\n---\n正文。\n\n> ![图](../../etc/passwd)\n".encode(), ["outside"]),
    ("remote.md", "---\ntitle: 标题\n---\n![图](http://example.org/x.png)\n".encode(), ["relative path"]),
])
def test_bad_source(tmp_path, name, content, words):
    path = tmp_path / "src" / name
    path.parent.mkdir()
    path.write_bytes(content)
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--format", "pdf", "--out", str(out))
    assert_user_error(result, out, name, *words)


def test_missing_file(tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", str(tmp_path / "nope.txt"), "--format", "pdf", "--out", str(out))
    assert_user_error(result, out, "nope.txt", "cannot read")


def test_not_an_image(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "pic.png").write_text("not an image")
    (folder / "a.md").write_text("---\ntitle: 标题\n---\n![图](pic.png)\n", "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(folder / "a.md"), "--format", "epub", "--out", str(out))
    assert_user_error(result, out, "pic.png", "not a PNG")


def test_help_for_every_command():
    for command in ("build", "normalize", "suggest"):
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_bad_format_is_a_usage_error(tmp_path):
    result = run_cli("build", str(SOURCE / "guide.md"), "--format", "docx", "--out", str(tmp_path))
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_a_missing_font_is_named():
    from pipeline.errors import EXIT_BUILD, UserError
    from pipeline.writers.fonts import locate_all

    with pytest.raises(UserError) as caught:
        locate_all([("Noto Serif CJK SC", False), ("No Such Family CJK", True)])
    assert caught.value.exit_code == EXIT_BUILD
    assert "font No Such Family CJK is not installed" in str(caught.value)
    assert "fonts-noto-cjk" in str(caught.value)


def test_suggest_reads_sources_as_build_does(tmp_path):
    """The same limits as a build: an empty source is an error, not an empty draft."""
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n", "utf-8")
    result = run_cli("suggest", str(empty))
    assert result.returncode == 3 and "the source is empty" in result.stderr
    assert result.stdout == ""

"""A warm process (the preview, a batch's worker) keeps a source's load and its cover
between builds: what it keeps must follow every change of the bytes they come from."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SOURCE
from pipeline.build import load
from pipeline.errors import UserError
from pipeline.writers.cover import make_cover


def _copy_sample(folder: Path) -> Path:
    for name in ("wuge-yinling.txt", "wuge-yinling.toml"):
        shutil.copy(SOURCE / name, folder / name)
    return folder / "wuge-yinling.txt"


def _headings(article) -> list[str | None]:
    return [section.heading for section in article.sections]


def test_a_load_is_reused_while_the_bytes_are_the_same(tmp_path):
    source = _copy_sample(tmp_path)
    first = load(source)
    assert load(source)[1] is first[1]  # the same tree, not a new one


def test_a_changed_manifest_or_source_is_loaded_again(tmp_path):
    source = _copy_sample(tmp_path)
    manifest = source.with_suffix(".toml")
    assert load(source)[1].date == "2022-12-20"
    manifest.write_text(manifest.read_text("utf-8").replace('date = "2022-12-20"', 'date = "2022-12-21"'), "utf-8")
    assert load(source)[1].date == "2022-12-21"
    source.write_text(source.read_text("utf-8").replace("干部职工纷纷表示", "干部职工都表示", 1), "utf-8")
    text = "".join(p.text for s in load(source)[1].sections for p in s.blocks if hasattr(p, "text"))
    assert "干部职工都表示" in text and "干部职工纷纷表示" not in text


def _text(article) -> str:
    return "".join(p.text for s in article.sections for p in s.blocks if hasattr(p, "text"))


def test_a_source_saved_while_it_is_read_is_kept_under_the_bytes_it_was_read_from(tmp_path, monkeypatch):
    """An editor saves while the preview loads: the kept tree must be the one of the
    bytes its key was made from, or undoing the save would bring back the wrong tree."""
    import pipeline.build as build

    source = _copy_sample(tmp_path)
    before = source.read_text("utf-8")
    after = before.replace("干部职工纷纷表示", "干部职工都表示", 1)
    reader = build.read

    def saved_meanwhile(*args, **kwargs):
        source.write_text(after, "utf-8")  # the save lands between the key and the reading
        return reader(*args, **kwargs)

    monkeypatch.setattr(build, "read", saved_meanwhile)
    assert "干部职工纷纷表示" in _text(load(source)[1])  # the bytes the key was made from
    monkeypatch.setattr(build, "read", reader)
    assert "干部职工都表示" in _text(load(source)[1])
    source.write_text(before, "utf-8")  # undone: the first tree is the right one again
    assert "干部职工纷纷表示" in _text(load(source)[1])


def test_the_variant_is_part_of_what_is_kept(tmp_path):
    source = _copy_sample(tmp_path)
    assert load(source, variant="zh-Hans")[1].lang == "zh-Hans"
    assert load(source, variant="zh-Hant")[1].lang == "zh-Hant"


def test_an_image_removed_after_a_load_is_still_reported(tmp_path):
    (tmp_path / "images").mkdir()
    shutil.copy(SOURCE / "images" / next(p.name for p in (SOURCE / "images").iterdir() if p.suffix == ".png"),
                tmp_path / "images" / "figure.png")
    source = tmp_path / "note.md"
    source.write_text("---\ntitle: 图\n---\n\n正文。\n\n![图一](images/figure.png)\n", "utf-8")
    load(source)
    (tmp_path / "images" / "figure.png").unlink()
    with pytest.raises(UserError, match="image 'images/figure.png' is missing"):
        load(source)


def test_a_cover_follows_its_title_and_its_image(tmp_path):
    plain = make_cover("暖心驿站", None, None, "zh-Hans")
    assert make_cover("暖心驿站", None, None, "zh-Hans") == plain
    assert make_cover("暖心驿站二", None, None, "zh-Hans") != plain
    from PIL import Image

    picture = tmp_path / "cover.png"
    Image.new("RGB", (40, 60), (200, 30, 30)).save(picture)
    red = make_cover("暖心驿站", None, None, "zh-Hans", picture)
    Image.new("RGB", (40, 60), (30, 30, 200)).save(picture)
    assert make_cover("暖心驿站", None, None, "zh-Hans", picture) != red


def test_the_collector_runs_again_after_a_build(tmp_path):
    """An article is built with the cycle collector paused; it runs again after,
    whether the build succeeded or failed, so that a warm process does not grow."""
    import gc

    from pipeline.build import build

    source = _copy_sample(tmp_path)
    assert gc.isenabled()
    build(source, "epub", tmp_path / "out", state=tmp_path / "state")
    assert gc.isenabled()
    (tmp_path / "bad.md").write_text("---\ntitle: t\n---\n\n<div>raw</div>\n", "utf-8")
    with pytest.raises(UserError):
        build(tmp_path / "bad.md", "pdf", tmp_path / "out", state=tmp_path / "state")
    assert gc.isenabled()

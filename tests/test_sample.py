"""The sample article read as an editor reads it (source/wuge-yinling.txt + .toml)."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import SOURCE, run_cli

from newspaper import SEED


@pytest.fixture(scope="module")
def tree():
    result = run_cli("normalize", str(SOURCE / "wuge-yinling.txt"), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def paragraphs(tree):
    return [b["text"] for s in tree["sections"] for b in s["blocks"]]


def test_source_is_the_seed_byte_for_byte():
    if not SEED.exists():
        pytest.skip("../shared is not here")
    assert (SOURCE / "wuge-yinling.txt").read_bytes() == SEED.read_bytes()


def test_front_matter(tree):
    assert tree["title"] == "凝聚职工奋进力量 建功治蜀兴川再上新台阶"
    assert tree["subtitle"] == "——四川省总工会聚焦“五个引领”筑牢共同思想基础"
    assert tree["byline"] == "蜀工宣 吕焰平"
    assert tree["lang"] == "zh-Hans"


def test_sections_in_the_editors_order(tree):
    heads = [(s["heading"], s["subheading"], s["blocks"][0]["text"][:10]) for s in tree["sections"]]
    assert heads == [
        (None, None, "“宣讲报告主题鲜明、"),
        ("强化政治引领", "点亮勇毅前行指路明灯", "前不久，成都市双流区"),
        ("强化思想引领", "锻造履职尽责产业川军", "12月6日，历时8个"),
        ("强化精神引领", "增强获得感幸福感安全感", "党的二十大报告指出，"),
        ("强化文化引领", "丰富文体活动为奋斗者赋能", "随着歌曲、舞蹈、魔术"),
        ("强化创新引领", "讲好建功立业创新创造故事", "12月7日，大雪时节"),
    ]
    assert "unplaced" not in tree


def test_every_paragraph_whole(tree):
    texts = paragraphs(tree)
    assert len(texts) == 39
    assert [len(s["blocks"]) for s in tree["sections"]] == [3, 10, 6, 7, 6, 7]
    # a column break mid-sentence is joined
    assert "院长涂裕春围绕“高质量发展”“中国式现代化”等方面" in texts[3]
    # a paragraph that starts without a blank line before it
    assert texts[6].startswith("四川各级工会党员领导干部带头学习，")
    assert texts[5].endswith("感党恩、矢志不渝跟党走的政治责任。")
    # a quotation closes a paragraph one line short of the column
    assert any(t.endswith("是全社会的宝贵财富。”") for t in texts)
    assert all(not t.startswith(("学习，", "作用，", "大职工")) for t in texts)


def test_layout_spaces_removed_author_spaces_kept(tree):
    text = "".join(paragraphs(tree))
    for fixed in ("12月6日，", "超2000场", "超1000万人次", "活动26场", "命名3届", "表彰798名", "5000余家"):
        assert fixed in text
    for kept in ("工心向党 笃行奋进", "中国梦·劳动美 奋进新时代", "阅读经典好书 争当时代工匠",
                 "永远跟党走 奋进新征程", "关爱在身边 职工在行动"):
        assert kept in text


def test_runin_heads(tree):
    heads = [b["runin"] for s in tree["sections"] for b in s["blocks"] if b["runin"]]
    assert heads == ["做好主题教育活动。", "办好职工文体活动。", "打造职工教育阵地。"]
    block = next(b for s in tree["sections"] for b in s["blocks"] if b["runin"])
    assert block["text"].startswith(block["runin"])


def test_without_manifest_the_headings_are_kept_and_reported(tmp_path):
    raw = tmp_path / "article.txt"
    shutil.copy(SOURCE / "wuge-yinling.txt", raw)
    result = run_cli("normalize", str(raw), "--json")
    assert result.returncode == 0
    tree = json.loads(result.stdout)
    assert tree["unplaced"] == ["强化政治引领", "点亮勇毅前行指路明灯", "强化思想引领", "锻造履职尽责产业川军",
                                "强化精神引领", "增强获得感幸福感安全感", "强化文化引领", "丰富文体活动为奋斗者赋能",
                                "强化创新引领", "讲好建功立业创新创造故事"]
    assert len(tree["sections"]) == 1 and tree["sections"][0]["heading"] is None
    assert "10 displaced heading lines" in result.stderr and str(raw) in result.stderr


def test_suggest_matches_the_editorial_reading(tmp_path):
    raw = tmp_path / "article.txt"
    shutil.copy(SOURCE / "wuge-yinling.txt", raw)
    result = run_cli("suggest", str(raw))
    assert result.returncode == 0, result.stderr
    import tomllib

    draft = tomllib.loads(result.stdout)["sections"]
    manifest = tomllib.loads((SOURCE / "wuge-yinling.toml").read_text("utf-8"))["sections"]
    squash = lambda t: "".join(t.split())
    assert len(draft) == len(manifest)
    for got, want in zip(draft, manifest):
        assert got.get("heading") == want.get("heading")
        assert squash(want["starts_at"]).startswith(squash(got["starts_at"])[:6])
    assert "confidence" in result.stdout
    # the draft is a valid manifest for the source
    (tmp_path / "article.toml").write_text(result.stdout, "utf-8")
    check = run_cli("normalize", str(raw), "--summary")
    assert check.returncode == 0, check.stderr
    assert "5 headings placed" in check.stdout


def test_report_lists_low_confidence_decisions_with_lines(tmp_path):
    import re

    from newspaper import ambiguous_page

    source = ambiguous_page(tmp_path)
    if source is None:
        pytest.skip("../shared is not here")
    raw = source.read_text("utf-8")
    result = run_cli("normalize", str(source), "--report")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines, "a text with ambiguous breaks reports them"
    for line in lines:
        match = re.match(rf"{re.escape(str(source))}:(\d+): 0\.\d\d \S", line)
        assert match, line
        number = int(match.group(1))
        assert 1 <= number <= raw.count("\n")

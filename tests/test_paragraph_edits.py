"""The editor's paragraph breaks and joins ([paragraphs] in the manifest,
pipeline/normalize/edits.py): they overrule the normalizer's reading where the
text allows two, keep every character, and a wrong entry is one clear error."""
from __future__ import annotations

from collections import Counter

import pytest
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import UserError
from pipeline.manifest import parse_manifest
from pipeline.normalize import normalize

# A blank line after an unfinished sentence: the normalizer joins across it (a
# column break), at line 4.
JOINED = """标题

第一段的文字在这里写得很长很长很长很长，一
直写到这里还没有结束，还要接着写很长很长
的一段话，写到这一行的末尾也没有写完，往

下写完了这一段。

第二段的文字也在这里写得很长很长很长很长
很长很长，直到写完。
"""

# A short line ending a sentence, then a blank: the normalizer breaks after line 4.
BROKEN = """标题

第一段写得很长很长很长很长很长很长很长
很长。

第二段也写得很长很长很长很长很长很长很
长。
"""


def paragraphs(result) -> list[str]:
    return [b.text for s in result.article.sections for b in s.blocks]


def with_edits(**paragraphs_table):
    return parse_manifest({"paragraphs": paragraphs_table}, "article.toml")


def decisions_at(result, line: int) -> list:
    return [d for d in result.report.decisions if d.line == line]


def test_a_break_overrules_the_normalizers_join():
    first = "第一段的文字在这里写得很长很长很长很长，一直写到这里还没有结束，还要接着写很长很长的一段话，写到这一行的末尾也没有写完，往"
    assert paragraphs(normalize(JOINED))[0] == first + "下写完了这一段。"
    assert [d.kind for d in decisions_at(normalize(JOINED), 5)] == ["join"]
    result = normalize(JOINED, with_edits(breaks=["下写完了"]))
    assert paragraphs(result)[:2] == [first, "下写完了这一段。"]
    assert result.sources == ((3, 7, 9),)  # the new paragraph links to the line it opens on
    # one decision at the line: the manifest's, in place of the join it overrules
    assert [(d.kind, d.confidence) for d in decisions_at(result, 5)] == [("manifest", 1.0)]
    assert "paragraphs.breaks[1]" in decisions_at(result, 5)[0].message


def test_a_join_overrules_the_normalizers_break():
    assert len(paragraphs(normalize(BROKEN))) == 2
    result = normalize(BROKEN, with_edits(joins=["第二段也"]))
    assert paragraphs(result) == ["第一段写得很长很长很长很长很长很长很长很长。第二段也写得很长很长很长很长很长很长很长。"]
    assert result.sources == ((3,),)
    assert [d.kind for d in decisions_at(result, 4)] == ["manifest"]


def test_a_break_inside_a_line_is_reported_at_that_line():
    raw = BROKEN.replace("很长。\n\n第二段", "很长。甲乙丙丁。\n\n第二段")
    result = normalize(raw, with_edits(breaks=["甲乙丙丁"]))
    assert paragraphs(result)[:2] == ["第一段写得很长很长很长很长很长很长很长很长。", "甲乙丙丁。"]
    assert result.sources == ((3, 4, 6),)
    assert [d.kind for d in decisions_at(result, 4)] == ["break", "manifest"]  # the normalizer's break after it stays


def test_edits_the_text_already_reads_change_nothing():
    plain = normalize(BROKEN)
    result = normalize(BROKEN, with_edits(breaks=["第二段也"], joins=["很长很长很长很长很长很长很长很长。"]))
    assert paragraphs(result) == paragraphs(plain)
    assert sum(1 for d in result.report.decisions if d.kind == "manifest") == 2


def test_breaks_then_sections_anchor_on_the_new_paragraph():
    manifest = parse_manifest({"paragraphs": {"breaks": ["下写完了"]},
                               "sections": [{"starts_at": "第一段"}, {"starts_at": "下写完了", "heading": "甲"}]},
                              "article.toml")
    result = normalize(JOINED, manifest)
    assert [(s.heading, [b.text[:6] for b in s.blocks]) for s in result.article.sections] == [
        (None, ["第一段的文字"]), ("甲", ["下写完了这一", "第二段的文字"])]
    # the section opens on the paragraph the break made: it splits nothing itself
    messages = [d.message for d in result.report.decisions]
    assert "paragraphs.breaks[1]: paragraph break set by the manifest" in messages
    assert not any("paragraph split where" in m for m in messages)
    alone = normalize(JOINED, parse_manifest({"sections": manifest_sections(manifest)}, "article.toml"))
    assert any("paragraph split where sections[2].starts_at" in d.message for d in alone.report.decisions)


def manifest_sections(manifest):
    return [{k: v for k, v in (("starts_at", e.starts_at), ("heading", e.heading)) if v} for e in manifest.sections]


@pytest.mark.parametrize("table, raw, message", [
    ({"breaks": ["不在文中"]}, BROKEN, r'paragraphs.breaks\[1\] "不在文中" is not found in the text'),
    ({"breaks": ["很长"]}, BROKEN, r'paragraphs.breaks\[1\] "很长" is not unique'),
    ({"joins": ["第一段"]}, BROKEN, r"begins the text: there is no paragraph before it"),
    ({"joins": ["第二段也"]}, BROKEN.replace("第二段也", "小标题\n\n第二段也"), r"follows a heading"),
])
def test_wrong_entries_are_errors(table, raw, message):
    with pytest.raises(UserError, match=message) as caught:
        normalize(raw, with_edits(**table))
    assert caught.value.path is not None and str(caught.value.path) == "article.toml"


@pytest.mark.parametrize("data, message", [
    ({"paragraphs": {"split": ["甲"]}}, r"unknown key 'paragraphs.split' \(allowed: breaks, joins\)"),
    ({"paragraphs": {"breaks": "甲"}}, r"'paragraphs.breaks' must be a list of texts"),
    ({"paragraphs": {"joins": ["甲", " "]}}, r"'paragraphs.joins\[2\]' must be a text, not empty"),
    ({"paragraphs": ["甲"]}, r"'paragraphs' must be a table"),
])
def test_malformed_tables_are_errors(data, message):
    with pytest.raises(UserError, match=message):
        parse_manifest(data, "article.toml")


def test_cli_names_the_manifest_in_one_line(tmp_path):
    source = tmp_path / "article.txt"
    source.write_text(BROKEN, "utf-8")
    (tmp_path / "article.toml").write_text('[paragraphs]\nbreaks = ["不在文中"]\n', "utf-8")
    result = run_cli("normalize", str(source), "--json")
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f'error: {tmp_path / "article.toml"}: paragraphs.breaks[1] "不在文中" is not found in the text']


HAN = st.characters(min_codepoint=0x4e00, max_codepoint=0x4fff)
LINE = st.text(st.one_of(HAN, HAN, HAN, st.sampled_from(list("，。、"))), min_size=1, max_size=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(LINE, st.just("")), min_size=1, max_size=30), st.data())
def test_edits_keep_every_character_in_order(lines, data):
    raw = "标题\n\n" + "\n".join(lines) + "\n"
    plain = paragraphs(normalize(raw))
    text = "".join(plain)
    if len(text) < 4:
        return
    # anchors the editor might copy: a text unique in the article, where a paragraph
    # begins or anywhere inside one
    def unique_at(start: int) -> str | None:
        for end in range(start + 2, len(text) + 1):
            if text.find(text[start:end]) == text.rfind(text[start:end]):  # overlaps count too
                return text[start:end]
        return None

    anchors, taken = [], set()
    for start in data.draw(st.lists(st.integers(0, len(text) - 2), max_size=4)):
        anchor = unique_at(start)
        span = set(range(start, start + len(anchor))) if anchor else set()
        if anchor and not span & taken:  # an anchor across another's break would join it again
            anchors.append(anchor)
            taken |= span
    half = len(anchors) // 2
    try:
        result = normalize(raw, with_edits(breaks=anchors[:half], joins=anchors[half:]))
    except UserError as error:
        # only a join that would open the text, or run across a heading, is refused
        assert "begins the text" in str(error) or "follows a heading" in str(error)
        return
    got = paragraphs(result)
    assert "".join(got) == text  # the same characters in the same order
    assert Counter("".join(got)) == Counter(text)
    for anchor in anchors[:half]:
        assert any(p.startswith(anchor) for p in got)  # a paragraph begins at every break


def test_a_word_file_takes_no_paragraph_edits(tmp_path):
    import shutil

    from conftest import ROOT

    source = tmp_path / "notice.docx"
    shutil.copy(ROOT / "source" / "workflow-notice.docx", source)
    (tmp_path / "notice.toml").write_text('[paragraphs]\njoins = ["甲乙"]\n', "utf-8")
    result = run_cli("normalize", str(source), "--json")
    assert result.returncode == 3
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'notice.toml'}: [paragraphs] applies to raw .txt sources; a .docx takes [article] only"]


def test_the_proof_page_shows_the_manifests_decision_in_place_of_the_normalizers(tmp_path):
    from pipeline.proof import proof_page

    source = tmp_path / "article.txt"
    source.write_text(JOINED, "utf-8")
    manifest = tmp_path / "article.toml"
    manifest.write_text('[paragraphs]\nbreaks = ["下写完了"]\n', "utf-8")
    page = proof_page(source, manifest)
    at_line_5 = [item for item in page.split("<li ")[1:] if 'data-line="5"' in item]
    assert len(at_line_5) == 1 and "decision manifest" in at_line_5[0]
    assert "paragraphs.breaks[1]: paragraph break set by the manifest" in at_line_5[0]
    assert 'href="#L7"' in page  # the new paragraph links to its first line
    assert "article.toml under <code>[paragraphs]</code>" in page  # and says how to mend a break


def test_a_break_inside_the_first_line_after_a_heading_keeps_the_heading_once():
    raw = """标题

小标题

一二三四五六七八九十。甲乙丙丁戊己庚辛
壬癸子丑寅卯辰巳午未申酉戌亥。

第二段的文字也在这里写得很长很长很长很长
很长很长，直到写完。
"""
    plain = normalize(raw)
    assert [s.heading for s in plain.article.sections] == [None, "小标题"] or \
        [s.heading for s in plain.article.sections] == ["小标题"]
    result = normalize(raw, with_edits(breaks=["甲乙丙丁"]))
    assert [s.heading for s in result.article.sections] == [s.heading for s in plain.article.sections]
    last = result.article.sections[-1]
    assert [b.text[:4] for b in last.blocks] == ["一二三四", "甲乙丙丁", "第二段的"]


def _each_other_reading(raw: str):
    """(result, decision, a manifest reading it the other way) for every break and join."""
    from pipeline.normalize.edits import other_reading

    result = normalize(raw)
    analysis = result.analysis
    for decision in result.report.decisions:
        if decision.kind in ("break", "join"):
            headed = set(analysis.structure.inplace) | {firsts[0] for firsts in result.sources if firsts}
            found = other_reading(decision, analysis.paras, analysis.structure.text, headed)
            yield result, decision, found and parse_manifest({"paragraphs": {found[0]: [found[1]]}}, "article.toml")


@pytest.mark.parametrize("name", ["joined", "broken", "generated"])
def test_each_break_or_join_can_be_read_the_other_way(name, tmp_path):
    """The proof page's mend for a decision, pasted into the manifest, turns that one
    boundary round: one paragraph more for a join, one fewer for a break."""
    from newspaper import ambiguous_page

    if name == "generated":
        page = ambiguous_page(tmp_path)
        if page is None:
            pytest.skip("../shared is not here")
        raw = page.read_text("utf-8")
    else:
        raw = {"joined": JOINED, "broken": BROKEN}[name]
    tried = offered = 0
    for result, decision, manifest in _each_other_reading(raw):
        tried += 1
        if manifest is None:  # the paragraph's rest is too short to be told apart
            continue
        offered += 1
        mended = normalize(raw, manifest)
        assert result.paragraphs - mended.paragraphs == (1 if decision.kind == "break" else -1), decision
        assert [d.kind for d in mended.report.decisions if d.line == decision.line][-1] == "manifest"
    assert tried >= (20 if name == "generated" else 1) and offered >= 0.9 * tried


def test_the_proof_page_offers_the_other_reading_of_low_confidence_decisions(tmp_path):
    from newspaper import ambiguous_page

    from pipeline.proof import proof_page

    page = ambiguous_page(tmp_path)
    if page is None:
        pytest.skip("../shared is not here")
    html = proof_page(page)
    low = [d for _, d, m in _each_other_reading(page.read_text("utf-8")) if d.confidence < 0.8 and m]
    assert low and html.count('<code class="mend">') == len(low)

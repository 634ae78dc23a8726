"""Scoring what the normalizer and `suggest` give back from a generated extraction
(newspaper.py) against the article it came from: paragraphs, sections, each
decision between two lines, each suggested placement."""
from __future__ import annotations

import re
import tomllib


def paragraphs_of(tree: dict) -> list[str]:
    out = []

    def visit(sections):
        for section in sections:
            out.extend(b["text"] for b in section["blocks"] if b["kind"] == "paragraph")
            visit(section["sections"])

    visit(tree["sections"])
    return out


def paragraph_f1(expected: list[str], got: list[str]) -> tuple[float, int, int, int]:
    """(F1, matched, expected count, produced count) over paragraphs as exact texts."""
    pool: dict[str, int] = {}
    for text in expected:
        pool[text] = pool.get(text, 0) + 1
    matched = 0
    for text in got:
        if pool.get(text):
            pool[text] -= 1
            matched += 1
    if not expected or not got:
        return (1.0 if expected == got else 0.0), matched, len(expected), len(got)
    precision, recall = matched / len(got), matched / len(expected)
    f1 = 0.0 if not matched else 2 * precision * recall / (precision + recall)
    return f1, matched, len(expected), len(got)


def sections_placed(expected: dict, tree: dict) -> tuple[int, int]:
    """(right, total): an expected titled section is right when a section of the tree
    has its heading, subheading and first paragraph."""
    got = {(s["heading"], s["subheading"]): (s["blocks"][0]["text"] if s["blocks"] else None)
           for s in tree["sections"]}
    titled = [s for s in expected["sections"] if s["heading"] or s["subheading"]]
    right = sum(1 for s in titled if got.get((s["heading"], s["subheading"])) == s["paragraphs"][0])
    return right, len(titled)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def opening_lines(raw: str, truth: dict) -> set[int]:
    """Source line numbers where the expected paragraphs open (heading lines skipped):
    the truth a decision between two lines is scored against."""
    paragraphs = [p for s in truth["sections"] for p in s["paragraphs"]]
    stream, starts, offset = "".join(map(squash, paragraphs)), set(), 0
    for text in paragraphs:
        starts.add(offset)
        offset += len(squash(text))
    heads = {squash(h) for h in (truth["title"], truth.get("subtitle"), truth.get("byline")) if h}
    heads |= {squash(h) for s in truth["sections"] for h in (s["heading"], s["subheading"]) if h}
    rows, position, opens = raw.split("\n"), 0, set()
    for number, row in enumerate(rows, 1):
        text = squash(row)
        alone = (number == 1 or not rows[number - 2].strip()) and (number == len(rows) or not rows[number].strip())
        if not text or (text in heads and alone) or not stream.startswith(text, position):
            continue
        if position in starts:
            opens.add(number)
        position += len(text)
    return opens


def suggestions_scored(draft: str, expected: dict) -> list[tuple[float, bool]]:
    """(confidence, right) for every titled entry of a `suggest` draft: right when its
    heading and subheading are a section's and its anchor opens that section."""
    confidences = [float(c) for c in re.findall(r"^# (?:untitled lead.*, )?confidence (\d\.\d\d)", draft, re.M)]
    entries = tomllib.loads(draft).get("sections", [])
    want = {(s["heading"], s["subheading"]): squash(s["paragraphs"][0])
            for s in expected["sections"] if s["heading"] or s["subheading"]}
    out = []
    for entry, confidence in zip(entries, confidences):
        key = (entry.get("heading"), entry.get("subheading"))
        if key != (None, None):
            out.append((confidence, key in want and want[key].startswith(squash(entry["starts_at"]))))
    return out


def decisions_scored(raw: str, truth: dict, decisions) -> list[tuple[float, bool]]:
    """(confidence, right) for every paragraph break and join the normalizer reported:
    right when the expected article breaks, or runs on, after that line."""
    opens, rows = opening_lines(raw, truth), raw.split("\n")
    out = []
    for decision in decisions:
        if decision.kind not in ("break", "join") or decision.line is None:
            continue
        following = decision.line  # index of the line after it; blank lines skipped
        while following < len(rows) and not rows[following].strip():
            following += 1
        out.append((decision.confidence, ((following + 1) in opens) == (decision.kind == "break")))
    return out

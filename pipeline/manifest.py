"""The editorial manifest (source/NAME.toml) next to a raw source.

[article] may override title, subtitle, byline, date, lang; [paragraphs] may set
`breaks` and `joins`, each a list of texts where a paragraph begins, or where the
text goes on from the paragraph before (normalize/edits.py); [[sections]] list the
article's sections in reading order, each with `starts_at` (a short text where the
section's first paragraph begins, compared with whitespace ignored) and optional
`heading` and `subheading`.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError

ARTICLE_KEYS = ("title", "subtitle", "byline", "date", "lang")
SECTION_KEYS = ("starts_at", "heading", "subheading")
PARAGRAPH_KEYS = ("breaks", "joins")
LANGS = ("zh-Hans", "zh-Hant", "zh-CN", "zh-TW", "zh-HK", "zh")


@dataclass(frozen=True)
class SectionEntry:
    starts_at: str
    heading: str | None
    subheading: str | None
    key: str  # where it is in the manifest, for error messages: "sections[2]"


@dataclass(frozen=True)
class Manifest:
    path: str
    article: dict
    sections: tuple[SectionEntry, ...]
    breaks: tuple[str, ...] = ()   # [paragraphs] breaks: a paragraph begins at each text
    joins: tuple[str, ...] = ()    # [paragraphs] joins: each text goes on from the paragraph before


def squash(text: str) -> str:
    """Text with all whitespace removed: how anchors and headings are compared."""
    return re.sub(r"\s+", "", text)


def manifest_for(source: Path) -> Path | None:
    candidate = source.with_suffix(".toml")
    return candidate if candidate.is_file() else None


def manifest_bytes(path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UserError(path, f"cannot read manifest: {exc.strerror}") from None


def load_manifest(path, raw: bytes | None = None) -> Manifest:
    """`raw`: the file's bytes when the caller read them (manifest_bytes)."""
    path = Path(path)
    raw = manifest_bytes(path) if raw is None else raw
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UserError(path, "manifest is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise UserError(path, f"TOML syntax error: {message}",
                        line=int(match.group(1)) if match else None) from None
    return parse_manifest(data, path)


def parse_manifest(data: dict, path) -> Manifest:
    for key in data:
        if key not in ("article", "paragraphs", "sections"):
            raise UserError(path, f"unknown key '{key}' (expected [article], [paragraphs] or [[sections]])")
    article = data.get("article", {})
    if not isinstance(article, dict):
        raise UserError(path, "'article' must be a table: [article]")
    for key, value in article.items():
        if key not in ARTICLE_KEYS:
            raise UserError(path, f"unknown key 'article.{key}' (allowed: {', '.join(ARTICLE_KEYS)})")
        if not isinstance(value, str):
            raise UserError(path, f"'article.{key}' must be a string")
    if "lang" in article and article["lang"] not in LANGS:
        raise UserError(path, f"'article.lang' must be one of {', '.join(LANGS)}")
    sections = data.get("sections", [])
    if not isinstance(sections, list):
        raise UserError(path, "'sections' must be an array of tables: [[sections]]")
    entries = []
    for index, entry in enumerate(sections, 1):
        key = f"sections[{index}]"
        if not isinstance(entry, dict):
            raise UserError(path, f"'{key}' must be a table")
        for name, value in entry.items():
            if name not in SECTION_KEYS:
                raise UserError(path, f"unknown key '{key}.{name}' (allowed: {', '.join(SECTION_KEYS)})")
            if not isinstance(value, str):
                raise UserError(path, f"'{key}.{name}' must be a string")
        if not squash(entry.get("starts_at", "")):
            raise UserError(path, f"'{key}.starts_at' is missing or empty")
        entries.append(SectionEntry(entry["starts_at"], entry.get("heading") or None,
                                    entry.get("subheading") or None, key))
    breaks, joins = _paragraph_edits(data.get("paragraphs", {}), path)
    return Manifest(str(path), dict(article), tuple(entries), breaks, joins)


def _paragraph_edits(table, path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(table, dict):
        raise UserError(path, "'paragraphs' must be a table: [paragraphs]")
    for key in table:
        if key not in PARAGRAPH_KEYS:
            raise UserError(path, f"unknown key 'paragraphs.{key}' (allowed: {', '.join(PARAGRAPH_KEYS)})")
    edits = []
    for key in PARAGRAPH_KEYS:
        texts = table.get(key, [])
        if not isinstance(texts, list):
            raise UserError(path, f"'paragraphs.{key}' must be a list of texts: {key} = [\"...\"]")
        for index, text in enumerate(texts, 1):
            if not isinstance(text, str) or not squash(text):
                raise UserError(path, f"'paragraphs.{key}[{index}]' must be a text, not empty")
        edits.append(tuple(texts))
    breaks, joins = edits
    return breaks, joins

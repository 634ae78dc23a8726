"""Readers: one per input kind, chosen by file extension."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..manifest import load_manifest, manifest_for
from ..model import Article
from .decode import decode, read_limited


@dataclass
class Reading:
    """What a reader gives back: the article, and for raw text the normalizer's account."""
    article: Article
    kind: str
    paragraphs: int = 0
    headings_placed: int = 0
    decisions: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def read_raw(path: Path, text: str, manifest_path: Path | None) -> Reading:
    from ..normalize import normalize

    manifest_path = manifest_path or manifest_for(path)
    manifest = load_manifest(manifest_path) if manifest_path else None
    result = normalize(text, manifest, name=str(path))
    return Reading(result.article, "raw", result.paragraphs, result.headings_placed,
                   result.report.decisions, result.report.warnings)


def read_md(path: Path, text: str, manifest_path: Path | None) -> Reading:
    from .markdown import read_markdown

    if manifest_path:
        raise UserError(manifest_path, "a manifest applies to raw .txt sources only")
    warnings: list[str] = []
    article = read_markdown(text, path, warnings)
    return Reading(article, "markdown", warnings=warnings)


def read_word(path: Path, manifest_path: Path | None) -> Reading:
    from .docx import read_docx

    manifest_path = manifest_path or manifest_for(path)
    manifest = load_manifest(manifest_path) if manifest_path else None
    if manifest and manifest.sections:
        raise UserError(manifest_path, "[[sections]] apply to raw .txt sources; a .docx takes [article] only")
    try:
        article, decisions, warnings, paragraphs, headings = read_docx(path, manifest.article if manifest else None)
    except (KeyError, ValueError, AttributeError, TypeError, IndexError) as exc:
        # Markup this reader did not expect from any writer it was tried on: said in
        # one line (the file, the exception) rather than a traceback.
        raise UserError(path, f"could not be read as a Word document ({type(exc).__name__}: {exc}); "
                              f"save it again from Word as .docx, and report the file if that does not help") from None
    return Reading(article, "docx", paragraphs, headings, decisions, warnings)


READERS = {".txt": read_raw, ".md": read_md, ".markdown": read_md}
BINARY_READERS = {".docx": read_word}  # they read the file themselves, with their own limits
MAX_SOURCE_BYTES = 10 * 1024 * 1024  # a long feature is some 100 KB; a book's text is split into articles


def read(path, manifest_path=None) -> Reading:
    path = Path(path)
    if path.suffix.lower() in BINARY_READERS:
        return BINARY_READERS[path.suffix.lower()](path, Path(manifest_path) if manifest_path else None)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UserError(path, f"unknown source type '{path.suffix}' "
                              f"(expected {', '.join([*READERS, *BINARY_READERS])})")
    return reader(path, source_text(path), Path(manifest_path) if manifest_path else None)


def source_text(path: Path) -> str:
    """A source's text: at most MAX_SOURCE_BYTES, decoded whatever its encoding, not empty."""
    data = read_limited(path, MAX_SOURCE_BYTES,
                        f"a source may be at most {MAX_SOURCE_BYTES >> 20} MB (split it into articles)")
    text = decode(data, path)
    if not text.strip():
        raise UserError(path, "the source is empty")
    return text

"""Readers: one per input kind, chosen by file extension."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..manifest import load_manifest, manifest_bytes, manifest_for
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


@dataclass(frozen=True)
class Inputs:
    """A source's bytes and its manifest's, read once: what a memo of the load is
    keyed by (build.load) is then what the reader reads, even if the files change."""
    source: bytes
    manifest: Path | None            # the one given, else the sidecar NAME.toml of a raw or Word source
    manifest_data: bytes | None = None


MANIFEST_KINDS = (".txt", ".docx")  # the kinds a manifest applies to


def read_inputs(path: Path, manifest_path: Path | None = None) -> Inputs:
    """The source's bytes within its kind's limit, and the manifest in force with its bytes."""
    suffix = path.suffix.lower()
    if suffix in BINARY_READERS:
        from .docx.package import docx_bytes  # lxml and the Word reader only for a Word source

        data = docx_bytes(path)
    elif suffix in READERS:
        data = read_limited(path, MAX_SOURCE_BYTES,
                            f"a source may be at most {MAX_SOURCE_BYTES >> 20} MB (split it into articles)")
    else:
        raise UserError(path, f"unknown source type '{path.suffix}' "
                              f"(expected {', '.join([*READERS, *BINARY_READERS])})")
    if suffix not in MANIFEST_KINDS:
        return Inputs(data, manifest_path)  # read_md refuses a manifest given it
    manifest = manifest_path or manifest_for(path)
    return Inputs(data, manifest, manifest_bytes(manifest) if manifest else None)


def _manifest(inputs: Inputs):
    return load_manifest(inputs.manifest, inputs.manifest_data) if inputs.manifest else None


def read_raw(path: Path, inputs: Inputs) -> Reading:
    from ..normalize import normalize

    result = normalize(_text(path, inputs.source), _manifest(inputs), name=str(path))
    return Reading(result.article, "raw", result.paragraphs, result.headings_placed,
                   result.report.decisions, result.report.warnings)


def read_md(path: Path, inputs: Inputs) -> Reading:
    from .markdown import read_markdown

    text = _text(path, inputs.source)
    if inputs.manifest:
        raise UserError(inputs.manifest, "a manifest applies to raw .txt sources only")
    warnings: list[str] = []
    article = read_markdown(text, path, warnings)
    return Reading(article, "markdown", warnings=warnings)


def read_word(path: Path, inputs: Inputs) -> Reading:
    from .docx import read_docx

    manifest = _manifest(inputs)
    if manifest and (manifest.sections or manifest.breaks or manifest.joins):
        what = "[[sections]] apply" if manifest.sections else "[paragraphs] applies"
        raise UserError(inputs.manifest, f"{what} to raw .txt sources; a .docx takes [article] only")
    try:
        article, decisions, warnings, paragraphs, headings = read_docx(path, manifest.article if manifest else None,
                                                                       inputs.source)
    except (KeyError, ValueError, AttributeError, TypeError, IndexError) as exc:
        # Markup this reader did not expect from any writer it was tried on: said in
        # one line (the file, the exception) rather than a traceback.
        raise UserError(path, f"could not be read as a Word document ({type(exc).__name__}: {exc}); "
                              f"save it again from Word as .docx, and report the file if that does not help") from None
    return Reading(article, "docx", paragraphs, headings, decisions, warnings)


READERS = {".txt": read_raw, ".md": read_md, ".markdown": read_md}
BINARY_READERS = {".docx": read_word}
MAX_SOURCE_BYTES = 10 * 1024 * 1024  # a long feature is some 100 KB; a book's text is split into articles


def read(path, manifest_path=None, inputs: Inputs | None = None) -> Reading:
    """`inputs`: the files' bytes when the caller read them (read_inputs)."""
    path = Path(path)
    manifest_path = Path(manifest_path) if manifest_path else None
    inputs = inputs or read_inputs(path, manifest_path)
    return {**READERS, **BINARY_READERS}[path.suffix.lower()](path, inputs)


def source_text(path: Path) -> str:
    """A source's text: at most MAX_SOURCE_BYTES, decoded whatever its encoding, not empty."""
    return _text(path, read_limited(path, MAX_SOURCE_BYTES,
                                    f"a source may be at most {MAX_SOURCE_BYTES >> 20} MB (split it into articles)"))


def _text(path: Path, data: bytes) -> str:
    text = decode(data, path)
    if not text.strip():
        raise UserError(path, "the source is empty")
    return text

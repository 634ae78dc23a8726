"""One article's build as a value: a Task (its inputs' bytes) in, a Result (the
output's bytes and the lines to print) out, so that a machine without the user's
files, a Dask worker (pipeline/cluster.py), can do the work.

How a worker runs it: the task's files are laid out in a private temporary folder
as they lie beside the source (SOURCE.toml, the Markdown's images under their
relative paths), the usual build (build.produce) runs on them, and the folder is
removed. The readers and writers read from paths, and their checks live there:
source and image size limits, an image inside the source's folder, the Word
reader's own zip limits, WeasyPrint fetching only from that folder. Feeding them
bytes instead would mean a second way in for each, and checks kept twice; one
code path gives the same bytes (the outputs do not depend on the folder:
tests/test_reproducible.py) and the same messages: every private path in them is
replaced by the user's path it stands for.

make_task, on the client, reads the files, and takes the source's date there (the
worker has neither SOURCE_DATE_EPOCH nor the git history). Nothing here writes
outside its private folder: the client writes the Result (cluster.py)."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from .errors import EXIT_BUILD, EXIT_USAGE, UserError, os_error_line


@dataclass(frozen=True)
class File:
    """An input as the user named it, and its bytes (None: it could not be read, so
    the worker's build says so, as a local one would)."""
    path: str
    data: bytes | None


@dataclass(frozen=True)
class Task:
    source: File
    fmt: str
    page: str = "A5"
    variant: str = "zh-Hans"
    press: bool = False
    writing: str = "horizontal"
    embed_fonts: bool = False
    manifest: File | None = None      # --manifest, or SOURCE.toml beside the source
    explicit_manifest: bool = False   # given with --manifest (else found beside the source)
    images: dict[str, bytes] = field(default_factory=dict)  # relative path -> bytes
    pages_from: File | None = None    # EPUB: the PDF whose page numbers become the page-list
    profile: File | None = None       # press: the CMYK output profile
    date: datetime | None = None      # from SOURCE_DATE_EPOCH, git or the file time


@dataclass(frozen=True)
class Result:
    source: str
    filename: str | None = None   # NAME[.zh-Hant][.vertical].FORMAT, to be written in the out folder
    data: bytes | None = None
    lines: list[str] = field(default_factory=list)  # warnings and summary, for stderr unless --quiet
    error: str | None = None      # the one line, "error: FILE: problem"
    exit_code: int = 0


def _file(path: Path | None) -> File | None:
    if path is None:
        return None
    try:
        return File(str(path), Path(path).read_bytes())
    except OSError:
        return File(str(path), None)


def make_task(source: Path, fmt: str, page: str = "A5", manifest: Path | None = None, press: bool = False,
              variant: str = "zh-Hans", embed_fonts: bool = False, pages_from: Path | None = None,
              profile: Path | None = None, writing: str = "horizontal") -> Task:
    """The task for one source, read from the disk. A UserError for what stops the
    build before any work: a book, a Markdown image that is missing or unusable."""
    from .build import check_images, source_date
    from .manifest import manifest_for
    from .model import images_of
    from .readers import read

    source = Path(source)
    if source.suffix.lower() == ".toml":
        raise UserError(source, "a book is built without --scheduler (from its articles' cache)",
                        exit_code=EXIT_USAGE)
    if fmt == "cover":
        raise UserError(source, "--format cover is for books (books/NAME.toml)", exit_code=EXIT_USAGE)
    images = {}
    if source.suffix.lower() in (".md", ".markdown"):
        # Only Markdown names files beside it; its reader is quick, so the client
        # reads it to know which to send, and checks them as the build would.
        article = read(source, manifest).article
        check_images(article, source.parent, source)
        for block in images_of(article):
            if block.data is None:
                images[block.src] = (source.parent / block.src).read_bytes()
    default = manifest_for(source) if source.suffix.lower() in (".txt", ".docx") else None
    date = source_date(source) if press or fmt == "epub" else None
    found = _file(manifest or default)
    # A manifest beside the source that cannot be read is named to the build, which
    # then says so (as it would here), instead of building without it.
    explicit = manifest is not None or (found is not None and found.data is None)
    return Task(_file(source), fmt, page, variant, press, writing, embed_fonts, found, explicit, images,
                _file(pages_from), _file(profile), date)


def prepare(source: Path, **options) -> Task | Result:
    """make_task's Task, or the Result of a source that fails before any work."""
    try:
        return make_task(source, **options)
    except UserError as exc:
        return Result(str(Path(source)), error=f"error: {exc}", exit_code=exc.exit_code)
    except OSError as exc:
        return Result(str(Path(source)), error=f"error: {os_error_line(exc, source)}",
                      exit_code=EXIT_BUILD)


def run_task(task: Task) -> Result:
    """The build of `task` in a private folder: its output's bytes and lines, or its
    one-line error."""
    from .build import produce, report

    source = Path(task.source.path)
    with tempfile.TemporaryDirectory(prefix="zh-pipeline-task-") as tmp:
        names = _Names()
        private_source = source
        try:
            private_source, manifest, pages_from, profile = _lay_out(task, Path(tmp).resolve(), names)
            product = produce(private_source, task.fmt, task.page, manifest, task.press, task.variant,
                              task.embed_fonts, pages_from, profile, task.writing, task.date)
        except UserError as exc:
            return Result(str(source), error=names.back(f"error: {exc}"), exit_code=exc.exit_code)
        except OSError as exc:  # as pipeline/batch.py says it: the file, the system's reason
            return Result(str(source), error=names.back(f"error: {os_error_line(exc, private_source)}"),
                          exit_code=EXIT_BUILD)
        lines = [names.back(line) for line in report(source, product.reading)]
        return Result(str(source), f"{product.name}.{task.fmt}", product.data, lines)


def _lay_out(task: Task, root: Path, names: "_Names") -> tuple[Path, Path | None, Path | None, Path | None]:
    """The task's files written under `root` as they lie for the user: the source,
    a manifest, images; the paths to build from (source, --manifest, --pages-from,
    --press-profile)."""
    source = Path(task.source.path)
    here = root / "source"  # stands for the source's folder
    names.folder(here, source.parent)
    private_source = names.place(here / source.name, task.source)
    manifest = None
    if task.manifest is not None:
        if task.explicit_manifest:
            manifest = names.place(root / "manifest" / Path(task.manifest.path).name, task.manifest)
        else:  # beside the source, where the reader looks for it
            names.place(here / Path(task.manifest.path).name, task.manifest)
    for src, data in task.images.items():
        names.place(_inside(here, src), File(str(source.parent / src), data))
    pages_from = names.place(root / "pages" / Path(task.pages_from.path).name, task.pages_from) \
        if task.pages_from else None
    profile = names.place(root / "profile" / Path(task.profile.path).name, task.profile) \
        if task.profile else None
    return private_source, manifest, pages_from, profile


def _inside(folder: Path, src: str) -> Path:
    """Where a relative image path goes in the private folder (make_task checked it is
    inside the source's folder; a task from elsewhere is checked again)."""
    path = (folder / PurePosixPath(src)).resolve()
    if folder not in path.parents:
        raise UserError(None, f"image '{src}' is outside the source's folder")
    return path


class _Names:
    """Private paths and the user's paths they stand for: files are written where
    the build will look, and every message gets the user's names back."""

    def __init__(self):
        self.pairs: list[tuple[str, str]] = []

    def folder(self, private: Path, user: Path) -> None:
        # "guide.md" lies in "."; its private twin in ROOT/source: ROOT/source/x -> x
        self.pairs += [(f"{private}/", "" if str(user) == "." else f"{user}/"), (str(private), str(user))]

    def place(self, private: Path, file: File) -> Path:
        if file.data is not None:
            private.parent.mkdir(parents=True, exist_ok=True)
            private.write_bytes(file.data)
        self.pairs.append((str(private), file.path))
        return private

    def back(self, text: str) -> str:
        for private, user in sorted(self.pairs, key=lambda pair: -len(pair[0])):
            text = text.replace(private, user)
        return text

"""The warm process's work: one worker thread builds the targets that changed with
the pipeline's own build functions (WeasyPrint, fonts and compiled templates stay
loaded between builds) into the server's folder .build/preview/, then keeps what
the pages show in memory. Requests only read what it published; they never build."""
from __future__ import annotations

import hashlib
import io
import posixpath
import re
import sys
import threading
import time
import traceback
import zipfile
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from lxml import etree

from ..build import build, build_book, summary
from ..errors import UserError, os_error_line
from ..model import paragraphs, walk_sections
from .pages import Children, Rendering, page_count, png_size
from .targets import Project, Target

BOOK_DELAY = 2.0  # seconds without an article build before a book is rebuilt
PAGE_LIST_DELAY = 1.0  # seconds after an article build before the download's page-list
OPF = {"c": "urn:oasis:names:tc:opendocument:xmlns:container", "o": "http://www.idpf.org/2007/opf"}


def tag(data: bytes) -> str:
    """A short content hash: the page asks for a file again only when it changed."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Outputs:
    """What one successful build of a target gave, as the pages show it."""
    pdf: bytes
    epub: bytes
    pages: tuple[bytes, ...]           # PNG per print page
    entries: dict[str, bytes]          # the EPUB's files by zip name
    spine: tuple[str, ...]             # zip names of the reading order's documents
    proof: str | None = None           # the proof page of a raw source, when available

    @cached_property  # computed once, on the first request that shows them
    def tags(self) -> dict:
        return {"pages": [{"tag": tag(p), "size": png_size(p)} for p in self.pages],
                "spine": [{"href": s, "tag": document_tag(self.entries, s)} for s in self.spine],
                "pdf": tag(self.pdf), "epub": tag(self.epub)}


@dataclass(frozen=True)
class Status:
    """A target's state: its last build's one-line error, or its outputs."""
    version: int = 0
    building: bool = True
    error: str | None = None
    summary: str | None = None
    warnings: tuple[str, ...] = ()
    outputs: Outputs | None = None
    seconds: float | None = None       # how long the last build took
    finished: float | None = None      # when it ended (Unix time)

    def as_json(self, name: str) -> dict:
        out = self.outputs
        return {
            "name": name, "version": self.version, "building": self.building, "error": self.error,
            "summary": self.summary, "warnings": list(self.warnings), "seconds": self.seconds,
            "finished": self.finished,
            "pages": [], "spine": [], "pdf": None, "epub": None, **(out.tags if out else {}),
            "proof": out is not None and out.proof is not None,
        }


REFERENCE = re.compile(rb'(?:src|href)="([^"#:]+)')


def document_tag(entries: dict[str, bytes], name: str) -> str:
    """A document's hash with the files it refers to (its stylesheet, images): a
    new cover image or style reloads the document that shows it."""
    folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
    digest = hashlib.sha256(entries[name])
    for ref in sorted(set(REFERENCE.findall(entries[name]))):
        path = posixpath.normpath(folder + ref.decode("utf-8", "replace"))
        digest.update(entries.get(path, b""))
    return digest.hexdigest()[:16]


def epub_spine(entries: dict[str, bytes]) -> tuple[str, ...]:
    """The zip names of the spine's documents, in reading order (container -> OPF)."""
    container = etree.fromstring(entries["META-INF/container.xml"])
    opf_name = container.xpath("//c:rootfile/@full-path", namespaces=OPF)[0]
    opf = etree.fromstring(entries[opf_name])
    base = opf_name.rsplit("/", 1)[0] + "/" if "/" in opf_name else ""
    hrefs = {item.get("id"): item.get("href") for item in opf.xpath("//o:manifest/o:item", namespaces=OPF)}
    return tuple(base + hrefs[ref] for ref in opf.xpath("//o:spine/o:itemref/@idref", namespaces=OPF))


def shown(path: Path) -> Path:
    """`path` as make names it (source/NAME.txt, from the project's folder), so that
    the page shows the very line `make` prints; absolute when elsewhere."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def markdown_summary(path: Path, reading) -> str:
    """The raw sources' summary line counts the normalizer's work; a Markdown
    source's says what the editor wrote."""
    article = reading.article
    sections = [s for s in walk_sections(article.sections) if s.heading or s.subheading]
    count = sum(1 for _ in paragraphs(article))
    return f"{path}: {count} paragraphs, {len(sections)} headings, {len(reading.warnings)} warnings"


def _proof_page():
    """issue 13's proof page of a raw source, when that module is present."""
    try:
        from ..proof import proof_page
    except ImportError:
        return None
    return proof_page


@dataclass
class Board:
    """The targets' statuses, shared by the worker (writer) and the requests (readers).
    `changed` wakes the event streams; `generation` counts every publication."""
    statuses: dict[str, Status]
    generation: int = 0
    lock: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False

    def publish(self, name: str, status: Status) -> None:
        with self.lock:
            self.statuses[name] = status
            self.generation += 1
            self.lock.notify_all()

    def get(self, name: str) -> Status | None:
        with self.lock:
            return self.statuses.get(name)

    def wait(self, generation: int, timeout: float) -> int:
        with self.lock:
            self.lock.wait_for(lambda: self.generation != generation or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            self.lock.notify_all()


class Worker(threading.Thread):
    """Builds queued targets one at a time, articles before books."""

    def __init__(self, project: Project, board: Board, folder: Path, log=sys.stderr):
        super().__init__(name="preview-builder", daemon=True)
        self.project, self.board, self.folder, self.log = project, board, folder, log
        self.children = Children()
        self._queue: list[Target] = []
        self._unpaged: list[Target] = []  # built, their EPUB download still without a page-list
        self._wake = threading.Condition()
        self._halt = False
        self._times = ""  # the last build's steps, for the log
        self._article_built = 0.0  # time.monotonic() when an article's build last ended

    def want(self, targets) -> None:
        with self._wake:
            for target in targets:
                if target not in self._queue:
                    self._queue.append(target)
                if target in self._unpaged:
                    self._unpaged.remove(target)
            order = {t: i for i, t in enumerate(self.project.targets)}
            self._queue.sort(key=order.__getitem__)
            self._wake.notify()

    def stop(self) -> None:
        """Finish (or abandon, killing pdftoppm) the build in progress, build no more."""
        with self._wake:
            self._halt = True
            self._wake.notify()
        self.children.kill()

    def run(self) -> None:
        while True:
            with self._wake:
                step = self._next()
            if step is None:
                return
            step[0](step[1])
            if step[0] == self.build and step[1].kind != "book":
                self._article_built = time.monotonic()

    def _next(self):
        """What to do next (the lock held): the articles an editor waits for first,
        then the download's page-lists; a book once no article was built for
        BOOK_DELAY seconds, since a build cannot be interrupted and a book's takes
        several times an article's: a save in a run of saves is not kept waiting.
        A page-list waits PAGE_LIST_DELAY seconds after an article's build: the open
        page is loading that build's images and documents meanwhile, and the
        requests would wait on this thread's Python work for the interpreter."""
        while not self._halt:
            now, waits = time.monotonic(), []
            if self._queue:
                book_wait = self._article_built + BOOK_DELAY - now
                if self._queue[0].kind != "book" or book_wait <= 0:
                    return self.build, self._queue.pop(0)
                waits.append(book_wait)
            if self._unpaged:
                page_wait = self._article_built + PAGE_LIST_DELAY - now
                if page_wait <= 0:
                    return self.page_list, self._unpaged.pop(0)
                waits.append(page_wait)
            self._wake.wait(min(waits) if waits else None)
        return None

    def build(self, target: Target) -> None:
        old = self.board.get(target.name) or Status()
        self.board.publish(target.name, replace(old, building=True))
        start = time.perf_counter()
        try:
            status = self._build(target, old.version + 1)
        except InterruptedError:
            return  # stopping: the server is going away
        except UserError as exc:
            print(f"error: {exc}", file=self.log, flush=True)
            status = Status(old.version + 1, False, str(exc))
        except OSError as exc:
            line = os_error_line(exc, shown(target.path))
            print(f"error: {line}", file=self.log, flush=True)
            status = Status(old.version + 1, False, line)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the server; its trace goes to the log
            traceback.print_exc(file=self.log)
            line = f"{shown(target.path)}: internal error: {type(exc).__name__}: {exc}"
            status = Status(old.version + 1, False, line)
        if not self._halt:
            seconds = time.perf_counter() - start
            self.board.publish(target.name, replace(status, building=False, seconds=round(seconds, 3),
                                                    finished=time.time()))
            if status.error is None:
                with self._wake:
                    self._unpaged.append(target)
                    self._wake.notify()
            print(f"built {target.name} in {seconds:.2f} s ({self._times})" if status.error is None else
                  f"failed {target.name} in {seconds:.2f} s", file=self.log, flush=True)

    def page_list(self, target: Target) -> None:
        """The EPUB to download with its page-list from the PDF, as make builds it.
        Reading the PDF's text back takes longer than the rest of the EPUB, and the
        page-break marks it adds are invisible: the reading view keeps the EPUB
        built without them, and this one waits until nothing else is to be built."""
        status = self.board.get(target.name)
        if status is None or status.outputs is None or status.error is not None:
            return
        out, state, path = self.folder / "out", self.folder / "state", shown(target.path)
        pdf = out / f"{target.name}.pdf"
        try:
            if target.kind == "book":
                epub = build_book(path, "epub", out, pages_from=pdf, state=state)
            else:
                epub = build(path, "epub", out, pages_from=pdf, state=state).path
            data = epub.read_bytes()
        except (UserError, OSError) as exc:  # the next build reports it
            print(f"error: {exc}", file=self.log, flush=True)
            return
        except Exception:  # noqa: BLE001 - a bug must not stop the server
            traceback.print_exc(file=self.log)
            return
        with self._wake:
            if self._halt or target in self._queue:
                return  # a newer build of it is coming
        self.board.publish(target.name, replace(status, outputs=replace(status.outputs, epub=data)))

    def _proof(self, target: Target, path: Path) -> str | None:
        """The proof page, or none when it fails: the outputs are shown without it."""
        proof_page = _proof_page()
        if proof_page is None:
            return None
        try:
            return proof_page(path)  # its manifest found beside it, as the build finds it
        except UserError as exc:
            print(f"error: proof page: {exc}", file=self.log, flush=True)
        except Exception:  # noqa: BLE001 - a bug there must not hide the pages
            traceback.print_exc(file=self.log)
        return None

    def _build(self, target: Target, version: int) -> Status:
        out, state, path = self.folder / "out", self.folder / "state", shown(target.path)
        start = time.perf_counter()
        if target.kind == "book":
            # one process: the preview's server and watcher run in threads, and a
            # process forked from a threaded one may find a lock held forever
            pdf = build_book(path, "pdf", out, state=state, jobs=1)
            line, warnings = None, ()
        else:
            built = build(path, "pdf", out, state=state)
            pdf, reading = built.path, built.reading
            line = summary(path, reading) if reading.kind in ("raw", "docx") else markdown_summary(path, reading)
            warnings = tuple(reading.warnings)
        pdf_bytes = pdf.read_bytes()
        count = page_count(pdf_bytes)
        made_pdf = time.perf_counter()
        # The pages render in child processes while this thread builds the EPUB
        # (without its page-list: see page_list).
        rendering = Rendering(self.children, pdf, count, self.folder / "work")
        try:
            if target.kind == "book":
                epub = build_book(path, "epub", out, state=state)
            else:
                epub = build(path, "epub", out, state=state).path
            epub_bytes = epub.read_bytes()
            proof_html = self._proof(target, path) if target.kind == "raw" else None
        except BaseException:
            rendering.close()
            raise
        made_epub = time.perf_counter()
        pages = rendering.wait()
        self._times = (f"PDF {made_pdf - start:.2f} s, EPUB {made_epub - made_pdf:.2f} s, "
                       f"pages {time.perf_counter() - made_pdf:.2f} s")
        with zipfile.ZipFile(io.BytesIO(epub_bytes)) as archive:
            entries = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
        if target.kind == "book":
            line = f"{path}: {count} pages"
        outputs = Outputs(pdf_bytes, epub_bytes, tuple(pages), entries, epub_spine(entries), proof_html)
        return Status(version, False, None, line, warnings, outputs)

"""What the preview may build: the sources and books named on its command line,
each inside the project's source/ or books/, and which of them a changed file
touches. Nothing here builds or serves; it only decides."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import EXIT_USAGE, UserError
from ..render import TEMPLATES
from ..writers import STYLES

SOURCE_KINDS = {".txt": "raw", ".md": "markdown", ".docx": "docx"}  # what a source is, by its suffix


@dataclass(frozen=True)
class Target:
    name: str     # the URL's name: dist/NAME.pdf
    path: Path    # absolute, inside source/ or books/
    kind: str     # "raw", "markdown", "docx" or "book"


@dataclass(frozen=True)
class Project:
    root: Path
    targets: tuple[Target, ...]

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def books(self) -> Path:
        return self.root / "books"

    def find(self, name: str) -> Target | None:
        return next((t for t in self.targets if t.name == name), None)

    def watched(self) -> list[Path]:
        """Every folder whose files are a build's inputs."""
        return [p for p in (self.source, self.books, STYLES, TEMPLATES) if p.is_dir()]


def _inside(path: Path, folder: Path) -> bool:
    """`path` (symlinks followed) lies in `folder` (symlinks followed): a link in
    source/ pointing out of it is refused, as the build refuses such images."""
    try:
        path.resolve(strict=True).relative_to(folder.resolve())
    except (OSError, ValueError):
        return False
    return True


def project(paths: list[Path], root: Path | None = None) -> Project:
    """The targets for `paths`: source/NAME.txt|.md|.docx and books/NAME.toml of the
    project at `root` (default: the current folder). Anything else is refused."""
    root = (root or Path.cwd()).resolve()
    targets: list[Target] = []
    for given in paths:
        path = given if given.is_absolute() else root / given
        if path.suffix == ".toml":
            folder, kind = root / "books", "book"
        elif path.suffix in SOURCE_KINDS:
            folder, kind = root / "source", SOURCE_KINDS[path.suffix]
        else:
            raise UserError(given, "preview shows source/NAME.txt, source/NAME.md, source/NAME.docx and "
                                   "books/NAME.toml files", exit_code=EXIT_USAGE)
        if path.parent.resolve() != folder.resolve() or not path.is_file() or not _inside(path, folder):
            raise UserError(given, f"not a file in {folder.relative_to(root)}/ (symlinks out of it are refused)",
                            exit_code=EXIT_USAGE)
        target = Target(path.stem, folder.resolve() / path.name, kind)
        if target in targets:
            continue
        if any(t.name == target.name for t in targets):
            raise UserError(given, f"two previews would be named '{target.name}'; give one of them",
                            exit_code=EXIT_USAGE)
        targets.append(target)
    # Articles first: a book is built after the articles it lists.
    return Project(root, tuple(sorted(targets, key=lambda t: t.kind == "book")))


def book_articles(book: Path) -> set[str] | None:
    """The names a book lists; None when its file cannot be read (then the book
    depends on everything, and its build reports the problem)."""
    try:
        names = tomllib.loads(book.read_text("utf-8"))["book"]["articles"]
        return {n for n in names if isinstance(n, str)}
    except Exception:  # noqa: BLE001 - any unreadable book file
        return None


def _ignored(path: Path) -> bool:
    """Temporary and hidden files: atomic writes' .NAME.tmp, editors' swap files, the
    owner file Word keeps beside an open document (~$NAME.docx), LibreOffice's lock."""
    return path.name.startswith((".", "#", "~$")) or path.name.endswith(("~", ".tmp", ".swp"))


def touched(project: Project, changed: set[Path]) -> list[Target]:
    """The targets to build again after `changed` files changed, articles first."""
    hit: set[Target] = set()
    articles = [t for t in project.targets if t.kind != "book"]
    books = [t for t in project.targets if t.kind == "book"]
    for path in changed:
        if _ignored(path):
            continue
        parent = path.parent
        if parent == STYLES or parent == TEMPLATES or TEMPLATES in path.parents:
            if not path.name.startswith("preview"):  # the server's own pages are no build input
                hit.update(project.targets)
        elif parent == project.books:
            own = [b for b in books if b.path.stem == path.stem and path.suffix == ".toml"]
            hit.update(own or books)  # a cover image: every book
        elif project.source in path.parents or parent == project.source:
            own = [a for a in articles if parent == project.source and a.path.stem == path.stem
                   and (path.suffix in SOURCE_KINDS or path.suffix == ".toml")]
            # Any other file there (an image) may be used by any Markdown source, as make assumes.
            hit.update(own or [a for a in articles if a.kind == "markdown"])
    names = {t.name for t in hit if t.kind != "book"}
    for book in books:
        listed = book_articles(book.path)
        if names and (listed is None or listed & names):
            hit.add(book)
    return [t for t in project.targets if t in hit]

"""The distribution files next to the built PDFs and EPUBs (`make dist`):
dist/index.html, an OPDS 1.2 catalog dist/opds.xml for e-reader apps,
dist/covers/NAME.png, and dist/SHA256SUMS. Everything is read off the built files."""
from __future__ import annotations

import hashlib
import os
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from .files import atomic_write
from .render import environment
from .writers.epub import identifier

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


@dataclass
class Entry:
    name: str                   # file stem: NAME or NAME.zh-Hant
    title: str
    author: str | None
    description: str | None
    date: str | None
    language: str
    identifier: str
    cover: str                  # covers/NAME.png
    files: dict = field(default_factory=dict)   # "epub"/"pdf" -> file name
    kind: str = "article"


def catalog_entry(path: Path, dist: Path) -> Entry:
    """The catalog's entry for a built EPUB, read off its package; its cover image
    is copied out to dist/covers/ for the catalog page and feed."""
    with zipfile.ZipFile(path) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        cover = epub.read("EPUB/images/cover.png")
    text = lambda tag: opf.findtext(f".//dc:{tag}", namespaces=NS)
    cover_name = f"covers/{path.stem}.png"
    atomic_write(dist / cover_name, cover)
    files = {"epub": path.name}
    if (dist / f"{path.stem}.pdf").exists():
        files["pdf"] = f"{path.stem}.pdf"
    return Entry(path.stem, text("title"), text("creator"), text("description"), text("date"),
                 text("language"), text("identifier"), cover_name, files)


def catalog_time(paths: list[Path]) -> datetime:
    """SOURCE_DATE_EPOCH if set, else the newest built file's time: the same files
    give the same catalog."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch else max(int(p.stat().st_mtime) for p in paths)
    return datetime.fromtimestamp(stamp, tz=timezone.utc)


def write_catalog(dist: Path, books: set[str]) -> list[Path]:
    epubs = sorted(dist.glob("*.epub"))
    entries = [catalog_entry(path, dist) for path in epubs]
    for entry in entries:
        if entry.name.split(".")[0] in books:
            entry.kind = "book"
    built = sorted([*dist.glob("*.pdf"), *epubs])
    updated = catalog_time(built).strftime("%Y-%m-%dT%H:%M:%SZ")
    env = environment()
    index = env.get_template("catalog.html.j2").render(entries=entries, updated=updated)
    opds = env.get_template("opds.xml.j2").render(entries=entries, updated=updated,
                                                  feed_id=identifier("catalog"))
    atomic_write(dist / "index.html", index.encode("utf-8"))
    atomic_write(dist / "opds.xml", opds.encode("utf-8"))
    files = sorted([*built, *(dist / e.cover for e in entries)], key=lambda p: p.relative_to(dist).as_posix())
    sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(dist).as_posix()}\n"
                   for p in files)
    atomic_write(dist / "SHA256SUMS", sums.encode("utf-8"))
    return [dist / "index.html", dist / "opds.xml", dist / "SHA256SUMS"]


def main(argv: list[str]) -> int:
    dist = Path(argv[0] if argv else "dist")
    books = {p.stem for p in Path("books").glob("*.toml")}
    write_catalog(dist, books)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

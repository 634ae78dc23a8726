"""What an article's PDF build computed, kept for the books that include it.

A book's pages cannot be taken from its articles' PDFs (other folios, running heads
and openings), but the normalized tree and the print lines can: both are a pure
function of the source, its manifest, the edition, the page size, the fonts and
this code, and the key below covers all of them. Entries live in the build's state
folder (.build/cache/ under make, never in dist/), one
per article, edition and page size (a newer one replaces the older); a missing,
stale or unreadable entry is computed again, never trusted. The files are pickles
written by this program into its own state folder."""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path

from .files import atomic_write
from .manifest import manifest_for

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".j2"):
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _fonts_fingerprint(lang: str) -> bytes:
    from .writers.fonts import FAMILIES, locate
    from .writers.typeset import MEASURED_FACES

    parts = []
    for role, bold in MEASURED_FACES:
        path, index = locate(FAMILIES[lang][role], bold)
        stat = os.stat(path)
        parts.append(f"{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}")
    return "\n".join(parts).encode()


class ArticleCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def entry(self, source: Path, variant: str, page: str) -> Path:
        """Where this article's entry for this edition and page size is kept."""
        manifest = manifest_for(source) if source.suffix in (".txt", ".docx") else None
        digest = hashlib.sha256(_code_fingerprint())
        for part in (source.read_bytes(), manifest.read_bytes() if manifest else b"",
                     variant.encode(), page.encode(), _fonts_fingerprint(variant)):
            digest.update(hashlib.sha256(part).digest())
        return self.folder / f"{source.stem}.{variant}.{page}.{digest.hexdigest()[:32]}.pickle"

    @staticmethod
    def get(entry: Path):
        """(article, typeset results) an earlier build kept, or None."""
        try:
            return pickle.loads(entry.read_bytes())
        except Exception:  # absent, or written by another version: compute again
            return None

    def put(self, entry: Path, article, results: list) -> None:
        try:
            atomic_write(entry, pickle.dumps((article, results), protocol=pickle.HIGHEST_PROTOCOL))
            stem = entry.name.rsplit(".", 2)[0]  # NAME.variant.page
            for older in self.folder.glob(f"{stem}.*.pickle"):
                if older != entry:
                    older.unlink(missing_ok=True)
        except OSError:  # a cache that cannot be written only costs the book some time
            pass

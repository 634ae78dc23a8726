"""The files a book is built from, for make: its articles' sources and manifests and
its cover image (books/NAME.toml names them). Standard library only: make runs it
with the system Python, before the project's environment may exist. A book file
that cannot be read lists every source, so that nothing is missed; the build then
reports the problem itself."""
from __future__ import annotations

import sys
from pathlib import Path


def book_inputs(book: Path) -> list[Path]:
    source = book.resolve().parent.parent / "source"
    everything = sorted(p for p in source.iterdir() if p.suffix in (".txt", ".md", ".docx", ".toml"))
    try:
        import tomllib

        data = tomllib.loads(book.read_text("utf-8"))["book"]
        names = data["articles"]
        inputs = []
        for name in names:
            for suffix in (".txt", ".md", ".docx", ".toml"):
                if (source / f"{name}{suffix}").is_file():
                    inputs.append(source / f"{name}{suffix}")
        if isinstance(data.get("cover_image"), str) and (book.parent / data["cover_image"]).is_file():
            inputs.append(book.parent / data["cover_image"])
        return inputs
    except Exception:  # noqa: BLE001 - any unreadable book: depend on everything
        return everything


if __name__ == "__main__":
    root = Path.cwd()
    for path in book_inputs(Path(sys.argv[1])):
        try:
            print(path.resolve().relative_to(root), end=" ")
        except ValueError:
            print(path, end=" ")
    print()

"""A book's progress while it is laid out: on a terminal a bar (tqdm) of articles
set, with the pages laid out so far and the article being set; elsewhere (a CI
log, a pipe) one plain line per finished article. The writers only call it; what
is shown, and where, is decided here, at the edge."""
from __future__ import annotations

import sys
import time


class BookProgress:
    def __init__(self, book: str, stream=sys.stderr):
        self.book, self.stream, self.start = book, stream, time.monotonic()
        self.bar, self.total, self.attempt = None, 0, 0

    def laying_out(self, articles: int) -> None:
        """A pass over the articles begins (a second one when the real folios
        changed the contents' length)."""
        self.close()
        self.total, self.attempt = articles, self.attempt + 1
        if self.stream.isatty():
            from tqdm import tqdm

            label = self.book if self.attempt == 1 else f"{self.book} (pass {self.attempt})"
            self.bar = tqdm(total=articles, desc=label, file=self.stream, unit="article", dynamic_ncols=True)

    def setting(self, title: str, pages: int) -> None:
        """The article now laid out, after `pages` pages."""
        if self.bar is not None:
            self.bar.set_postfix_str(f"{pages} pages, setting {title}", refresh=True)

    def set(self, number: int, title: str, pages: int) -> None:
        """Article `number` (from 1) is laid out: the book has `pages` pages so far."""
        if self.bar is not None:
            self.bar.set_postfix_str(f"{pages} pages, set {title}", refresh=False)
            self.bar.update()
        else:
            again = "" if self.attempt == 1 else f" (pass {self.attempt})"
            print(f"[{number}/{self.total}] {self.book}{again}: {title} set, {pages} pages "
                  f"({time.monotonic() - self.start:.1f} s)", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

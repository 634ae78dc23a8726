"""Progress of long runs, decided here at the edge: on a terminal a bar (tqdm),
elsewhere (a CI log, a pipe) one plain line per finished piece. A batch's or a
cluster's sources (`Progress`), and a book's articles while it is laid out
(`BookProgress`: the pages so far and the article being set); the writers only
call it."""
from __future__ import annotations

import sys
import time


def terminal_bar(stream, total: int, **options):
    """tqdm's bar on `stream` when it is a terminal, else None."""
    if not stream.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, file=stream, dynamic_ncols=True, **options)


class Progress:
    """On a terminal, a bar (tqdm): sources done of all, the last one, elapsed and
    remaining; elsewhere (a CI log, a pipe) one plain line per finished source."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.stream, self.done, self.start = total, stream, 0, time.monotonic()
        self.bar = terminal_bar(stream, total, unit="article")

    def say(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream)

    def finished(self, source, ok: bool) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(f"{source}{'' if ok else ' failed'}", refresh=False)
            self.bar.update()
        else:
            print(f"[{self.done}/{self.total}] {source} {'built' if ok else 'failed'} "
                  f"({time.monotonic() - self.start:.1f} s)", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class BookProgress:
    """A book's articles as they are laid out, with the pages so far."""

    def __init__(self, book: str, stream=sys.stderr):
        self.book, self.stream, self.start = book, stream, time.monotonic()
        self.bar, self.total, self.attempt = None, 0, 0

    def laying_out(self, articles: int) -> None:
        """A pass over the articles begins (a second one when the real folios
        changed the contents' length)."""
        self.close()
        self.total, self.attempt = articles, self.attempt + 1
        label = self.book if self.attempt == 1 else f"{self.book} (pass {self.attempt})"
        self.bar = terminal_bar(self.stream, articles, desc=label, unit="article")

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

"""A long book laid out by two processes at once (docs/scaling.md, "A book on two
cores"): this process sets the front matter and the earlier articles, a forked one
the later articles; each writes its pages, and the halves are joined
(writers/pdfjoin.py).

The later half cannot know its folios until the earlier half is laid out, but its
text does not depend on them: every article opens on a recto, so the side of each
page is known from its own count. It lays out its articles numbered from 1, sends
back their anchors' folios and its length, and makes its margin boxes (folios,
running heads) only once it is told how many pages come before it
(writers/weasy_halves.py). The contents are set once all folios are known, as in
writers/bookpdf.py."""
from __future__ import annotations

import os
import traceback
from multiprocessing import get_context

from ..errors import EXIT_BUILD, UserError
from ..model import Book, texts_of
from .bookpdf import next_recto
from .weasy_halves import fonts_seen, margins_later

# A book this long (its articles' text, in characters: some 70 A5 pages) is laid
# out in halves where two cores are free (measured: a 75-page book of 8 articles,
# 2.5-3.2 s in halves against 3.3-3.7 s in one process).
HALVES_FROM = 40_000


def split_point(book: Book, jobs: int) -> int | None:
    """The number (from 1) of the first article the second process lays out, or
    None: one process. The halves are balanced by text, the first half holding a
    little less: it also sets the front matter and joins the halves."""
    sizes = [sum(len(text) for _, text in texts_of(article)) for article in book.articles]
    total = sum(sizes)
    if jobs < 2 or len(sizes) < 4 or total < HALVES_FROM:
        return None
    running = 0
    for number, size in enumerate(sizes, 1):
        running += size
        if running >= total * 0.40:
            return min(number + 1, len(sizes))
    return None


class LaterHalf:
    """The forked process that lays out and writes the book's later articles."""

    def __init__(self, first: int, lay_out, renderer, modified, holder_html: str, progress):
        """`first`: the number of its first article; `lay_out(progress)`: the later
        articles' pages and folios, numbered from 1; `holder_html`: a document of
        `renderer` to hold the pages for the write."""
        self.first, self.progress = first, progress
        self.pages_laid = 0  # by the later half so far
        self._folios: dict[str, int] | None = None
        context = get_context("fork")  # the warm WeasyPrint, fonts and trees of this process
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_later_half, daemon=True,
                                        args=(theirs, lay_out, renderer, modified, holder_html))
        self._process.start()
        theirs.close()

    def relay(self, pages_before: int) -> None:
        """Pass on what the later half has laid out, without waiting; `pages_before`:
        the pages the first half has laid out."""
        while self._folios is None and self._conn.poll():
            self._take(self._receive(), pages_before)

    def folios(self, last: int) -> dict[str, int]:
        """Its anchors' folios once the earlier half ends on page `last`."""
        while self._folios is None:
            self._take(self._receive(), last)
        offset = next_recto(last) - 1
        return {anchor: folio + offset for anchor, folio in self._folios.items()}

    @property
    def anchors(self) -> list[str]:
        """Its anchors, once folios() has returned."""
        return list(self._folios or ())

    def follow(self, last: int) -> None:
        """Its folios are to follow page `last`: it makes its margin boxes and writes."""
        self._conn.send(next_recto(last) - 1)

    def glyphs(self) -> dict:
        """The glyphs its PDF uses, by face (weasy_halves.glyphs_of), once it has drawn its pages."""
        return self._receive()[1]

    def pdf(self) -> tuple[bytes, list[str]]:
        """Its PDF and WeasyPrint's warnings."""
        message = self._receive()
        return message[1], message[2]

    def _take(self, message, pages_before: int) -> None:
        if message[0] == "set":
            _, number, title, self.pages_laid = message
            if self.progress is not None:
                self.progress.set(number, title, pages_before + self.pages_laid)
        elif message[0] == "laid":
            self._folios = message[1]

    def _receive(self):
        try:
            message = self._conn.recv()
        except EOFError:
            self._process.join()
            raise UserError(None, f"the process laying out the book's later half ended "
                                  f"(exit code {self._process.exitcode})", exit_code=EXIT_BUILD) from None
        if message[0] == "user-error":  # rebuilt here: UserError's arguments do not pickle
            _, path, text, line, exit_code = message
            raise UserError(path, text, line, exit_code)
        if message[0] == "error":
            raise RuntimeError(message[1])
        return message

    def close(self) -> None:
        """The process ended: it has sent its PDF, or it is stopped (this half failed)."""
        self._conn.close()
        self._process.join(0 if self._folios is None else 5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


class _Relay:
    """What the later half's lay_out_articles tells its progress: sent to this process."""

    def __init__(self, conn):
        self._conn = conn

    def laying_out(self, articles: int) -> None:
        pass

    def setting(self, title: str, pages: int) -> None:
        pass

    def set(self, number: int, title: str, pages: int) -> None:
        self._conn.send(("set", number, title, pages))


def _later_half(conn, lay_out, renderer, modified, holder_html: str) -> None:
    try:
        before = len(renderer.warnings)
        with margins_later() as later:
            pages, folios = lay_out(_Relay(conn))
        conn.send(("laid", folios))
        offset = conn.recv()
        later.make(offset)
        # any document of this renderer can hold the pages: its metadata is the
        # first half's in the joined PDF
        holder = renderer.render(holder_html)
        with fonts_seen(lambda glyphs: conn.send(("glyphs", glyphs))):
            data = renderer.write(holder.copy(pages), modified)
        conn.send(("pdf", data, renderer.warnings[before:]))
    except UserError as error:
        conn.send(("user-error", error.path, error.message, error.line, error.exit_code))
    except KeyboardInterrupt:
        pass
    except BaseException:  # noqa: BLE001 - reported in the first process, which raises it
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()
        os._exit(0)

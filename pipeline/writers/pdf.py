"""HTML -> PDF with WeasyPrint. Imported only when a PDF is written (start-up cost)."""
from __future__ import annotations

import logging
from pathlib import Path

from ..model import Article
from ..render import render_print

STYLES = Path(__file__).resolve().parents[2] / "styles"
PAGE_SIZES = ("A5", "A4", "B5", "16K")


def stylesheets(page: str) -> list[Path]:
    return [STYLES / "base.css", STYLES / "print.css", STYLES / f"page-{page}.css"]


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings: a missing glyph or an unreadable image is a
    build error for us, not a log line."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def write_pdf(article: Article, base_dir: Path, page: str = "A5") -> tuple[bytes, list[str]]:
    """The PDF's bytes, and the warnings WeasyPrint logged while making it."""
    from weasyprint import CSS, HTML

    html = render_print(article, [])
    css = [CSS(filename=str(path)) for path in stylesheets(page)]
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        document = HTML(string=html, base_url=str(base_dir) + "/").render(stylesheets=css)
        data = document.write_pdf()
    finally:
        logger.removeHandler(handler)
    return data, handler.messages

"""Word documents (.docx) -> Article, with python-docx for the package and lxml for
what python-docx does not expose (footnotes, endnotes, numbering definitions,
fields, tracked changes, text boxes).

    package (safety) -> python-docx -> styles, numbering -> body -> structure -> Article
"""
from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from ...errors import UserError
from ...model import Article, Footnote, Paragraph
from .body import Body, Context, Para, parse_part
from .numbering import Numbering
from .package import open_package
from .structure import Structure
from .styles import Styles

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# Names Word and office machines put in a document's author field: not a byline.
PLACEHOLDER_AUTHORS = {"", "administrator", "admin", "user", "用户", "微软用户", "microsoft office user",
                       "python-docx", "unknown", "author", "lenovo", "dell", "hp", "walkingdead"}


def read_docx(path: Path, overrides: dict | None = None, data: bytes | None = None):
    """(article, decisions, warnings, paragraphs, headings) of a .docx source;
    `data`: its bytes when the caller read them."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    package = open_package(path, data)
    try:
        document = docx.Document(io.BytesIO(package.data))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise UserError(path, f"is not a readable Word document ({exc}); save it again as .docx") from None
    part = document.part
    rels = dict(part.rels)
    styles = Styles(part._styles_part.element if _has(part, RT + "styles") else None)
    numbering_root = part.numbering_part.element if _has(part, RT + "numbering") else None
    ctx = Context(path, path.stem, styles, Numbering.parse(numbering_root), rels)
    body = Body(ctx)
    items = body.blocks(document.element.body)
    notes = {kind: parse_part(path, rel.target_part) for rel in rels.values()
             if not rel.is_external for kind in ("footnote", "endnote") if rel.reltype == RT + kind + "s"}
    note_items = body.notes(notes)
    _report_left_out(ctx, body, part, rels)

    recovered = Structure(items, ctx.decisions).recover()
    front = recovered.front
    core = document.core_properties
    overrides = overrides or {}
    author = (core.author or "").strip()
    if author.lower() in PLACEHOLDER_AUTHORS and author:
        ctx.decide(0.9, f"the document's author '{author}' is a computer's name, not a byline: left out", 0)
        author = ""
    title = overrides.get("title") or front.title or (core.title or "").strip()
    if not title:
        title = path.stem
        ctx.current = None
        ctx.warn(f"no title found (no Title paragraph, centred larger first line or title in File > "
                 f"Properties): the file name '{title}' is used; give one as title in [article] of "
                 f"{path.stem}.toml")
    date = overrides.get("date") or front.date or (core.created.date().isoformat() if core.created else None)
    footnotes = tuple(Footnote(number, tuple(_note_blocks(items_))) for number, items_ in note_items)
    article = Article(
        title=title,
        subtitle=overrides.get("subtitle", front.subtitle),
        byline=overrides.get("byline", front.byline or author or None),
        date=date,
        lang=overrides.get("lang", "zh-Hans"),
        sections=recovered.sections,
        footnotes=footnotes,
    )
    return article, ctx.decisions, ctx.warnings, recovered.paragraphs, recovered.headings


def _has(part, reltype: str) -> bool:
    return any(rel.reltype == reltype and not rel.is_external for rel in part.rels.values())


def _note_blocks(items: list) -> list:
    blocks = []
    for item in items:
        if isinstance(item, Para):
            if item.text:
                blocks.append(item.paragraph())
        else:
            blocks.append(item)
    return blocks or [Paragraph("")]


def _report_left_out(ctx: Context, body: Body, part, rels: dict) -> None:
    """What is in the file but not body text, said in the report (--report)."""
    ctx.current = None
    if body.toc_paragraphs:
        ctx.decide(0.6, f"Word's table of contents ({body.toc_paragraphs} paragraph"
                        f"{'s' if body.toc_paragraphs > 1 else ''}) left out: the outputs make their own")
    for rel in rels.values():
        if rel.is_external:
            continue
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("comments", "header", "footer"):
            root = parse_part(ctx.path, rel.target_part)
            text = "".join(t.text or "" for t in root.iter("{%s}t" % _W)).strip()
            if kind == "comments":
                count = len(root.findall("{%s}comment" % _W))
                if count:
                    ctx.decide(0.6, f"{count} comment{'s' if count > 1 else ''} left out (not body text)")
            elif text:
                ctx.decide(0.6, f"a {kind} left out (not body text): “{text[:20]}”")


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

__all__ = ["read_docx"]

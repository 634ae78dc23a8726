"""Two WeasyPrint hooks for a book laid out by two processes (writers/bookhalves.py),
kept at the edge like the fixes of writers/weasy.py.

- Folios made last. The second process lays out the later articles before it knows
  how many pages come before them. Their text does not depend on it (every article
  opens on a recto, so a page's side is known), only their margin boxes do: the
  folio and the running head. `margins_later` keeps each page's margin-box state
  instead of making them; `MarginsLater.make(offset)` makes them once the number
  of earlier pages is known, the page counter moved on by `offset`.
- Links into the other half. The first half's contents link to articles the second
  process lays out; WeasyPrint drops a link whose anchor its document lacks.
  `links_into(names)` keeps those links: they are named destinations, resolved
  once the halves are one PDF (writers/pdfjoin.py).
- One subset of each face. Each half would subset the faces it used (1.2 MB more
  in a 1,000-page book, and a face embedded twice). `fonts_seen(tell)` gives the
  later half's glyphs of each face to `tell` before its fonts are embedded;
  `fonts_with(glyphs)` adds them to the first half's before its own are, so that
  its subset of a face serves both halves' pages. The glyph ids are the face's
  own (writers/weasy.py, fix 12), the same in either half."""
from __future__ import annotations

import copy
from contextlib import contextmanager


class MarginsLater:
    """The pages whose margin boxes are still to be made, with what making them needs."""

    def __init__(self):
        self.pending: list[tuple] = []  # (layout context, page box, page number, page state)

    def add(self, context, page, state) -> None:
        if self.pending and self.pending[-1][0] is not context:
            _keep_for_margins(self.pending[-1][0])  # that document is laid out
        self.pending.append((context, page, context.current_page, state))

    def done(self) -> None:
        if self.pending:
            _keep_for_margins(self.pending[-1][0])

    def make(self, offset: int) -> None:
        from weasyprint import layout
        from weasyprint.layout.background import layout_backgrounds

        make_margin_boxes = layout.make_margin_boxes.original
        for context, page, number, state in self.pending:
            context.current_page = number
            state = copy.deepcopy(state)
            counters = state[1]
            counters["page"] = [value + offset for value in counters.get("page", [0])]
            page.children = (*page.children, *make_margin_boxes(context, page, state))
            layout_backgrounds(page, context.get_image_from_uri)
        self.pending.clear()


_deferring: list[MarginsLater] = []


def _keep_for_margins(context) -> None:
    """A laid-out document's context, less what only its layout used (its elements'
    styles, the tables, floats and page breaks it tracked): what making margin boxes
    reads is the pages' styles, the named strings and running elements, the counters
    (kept apart) and the fetcher: 85 MiB less at the peak of a 1,000-page book
    in halves (768 MiB, the processes' proportional sets summed)."""
    from weasyprint.layout.page import PageType

    styles = context.style_for._computed_styles
    for key in [key for key in styles if not isinstance(key[0], PageType)]:
        del styles[key]
    context.tables, context.dictionaries, context.broken_out_of_flow = {}, {}, {}
    context._excluded_shapes, context._excluded_shapes_root_boxes = {}, []
    context.footnotes, context.page_footnotes, context.reported_footnotes = [], {}, []
    context.page_maker = []


def _install() -> None:
    from weasyprint import layout
    from weasyprint.pdf import anchors

    if getattr(layout.make_margin_boxes, "original", None) is not None:
        return
    original = layout.make_margin_boxes

    def make_margin_boxes(context, page, state):
        if not _deferring:
            return original(context, page, state)
        _deferring[-1].add(context, page, state)
        return ()

    make_margin_boxes.original = original
    layout.make_margin_boxes = make_margin_boxes
    resolve = anchors.resolve_links

    def resolve_links(pages):
        # WeasyPrint 70's resolve_links, with the other half's anchors counted as present
        if not _foreign:
            yield from resolve(pages)
            return
        foreign = _foreign[-1]
        seen = [_Page(page, foreign) if index == 0 else page for index, page in enumerate(pages)]
        for page_links, page_anchors in resolve(seen):
            yield page_links, [a for a in page_anchors if a[0] not in foreign]

    resolve_links.original = resolve
    import weasyprint.pdf as wpdf

    wpdf.resolve_links = resolve_links
    embed = wpdf.build_fonts_dictionary

    def build_fonts_dictionary(pdf, document_fonts, compress, subset, options):
        if _font_hooks:
            _font_hooks[-1](document_fonts)
        return embed(pdf, document_fonts, compress, subset, options)

    wpdf.build_fonts_dictionary = build_fonts_dictionary


_foreign: list[frozenset] = []
_font_hooks: list = []


class _Page:
    """The first page as resolve_links sees it, the other half's anchors placed on
    it, so that links to them stay; the caller drops those anchors again."""

    def __init__(self, page, foreign: frozenset):
        self.links = page.links
        self.anchors = {**dict.fromkeys(foreign - page.anchors.keys(), (0, 0, 0, 0)), **page.anchors}


@contextmanager
def margins_later():
    """Within: documents laid out keep their margin boxes for MarginsLater.make."""
    _install()
    later = MarginsLater()
    _deferring.append(later)
    try:
        yield later
    finally:
        _deferring.remove(later)
        later.done()


@contextmanager
def links_into(names):
    """Within: written documents keep their links to `names`, anchors of the other half."""
    _install()
    _foreign.append(frozenset(names))
    try:
        yield
    finally:
        _foreign.pop()


def _shareable(document_fonts) -> set[str]:
    """The faces (WeasyPrint's font hashes) one subset can serve for both halves: not
    those subset otherwise (missing glyphs given made-up ids, a form's font embedded
    whole, bitmaps)."""
    odd = {font.hash for font in document_fonts.values() if font.missing or font.used_in_forms or font.bitmap}
    return {font.hash for font in document_fonts.values()} - odd


def glyphs_of(document_fonts) -> dict[str, tuple[dict, dict]]:
    """Face -> (glyph id -> text, glyph id -> width) of the glyphs a written document
    used, for the faces _shareable."""
    faces: dict[str, tuple[dict, dict]] = {face: ({}, {}) for face in _shareable(document_fonts)}
    for font in document_fonts.values():
        if font.hash in faces:
            faces[font.hash][0].update(font.to_unicode)
            faces[font.hash][1].update(font.widths)
    return faces


@contextmanager
def fonts_seen(tell):
    """Within: a document written gives glyphs_of its fonts to `tell` first."""
    _install()
    _font_hooks.append(lambda fonts: tell(glyphs_of(fonts)))
    try:
        yield
    finally:
        _font_hooks.pop()


@contextmanager
def fonts_with(glyphs, merged: set):
    """Within: a document written embeds each face it shares with `glyphs()` (what
    glyphs_of gave in the other half) with the other half's glyphs too; those faces
    are added to `merged`."""
    _install()

    def add(document_fonts) -> None:
        theirs = glyphs()
        ours = _shareable(document_fonts)
        for font in document_fonts.values():
            if font.hash in theirs and font.hash in ours:
                text, widths = theirs[font.hash]
                font.to_unicode = {**text, **font.to_unicode}
                font.widths = {**widths, **font.widths}
                merged.add(font.hash)

    _font_hooks.append(add)
    try:
        yield
    finally:
        _font_hooks.pop()

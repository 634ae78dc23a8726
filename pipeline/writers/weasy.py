"""Loading and running WeasyPrint: fixes kept at the edge, each measured
(the start-up ones, 1, 9 and 10, are in writers/weasy_startup.py).

2. Long documents. pydyf's PDF.page_references builds the tuple of every page's
   reference each time it is read, and WeasyPrint's tagging reads it once per
   structure element: quadratic, 40 of 56 s when writing 958 pages. The tuple is
   kept until a page is added.
3. Collections. Python's cycle collector rescans every live object on each full
   collection. A book keeps every laid-out page until the write, so its time per
   page grew with its length: `frozen_gc` moves finished parts out of the
   collector's sight. The modules' own objects are frozen after the import.
4. Press output. For PDF/X-4 WeasyPrint writes a random XMP DocumentID (uuid4),
   so two builds of the same inputs differed. `stable_document_id` makes it a
   name-based UUID of what was laid out: the same inputs, the same bytes.
5. Images. WeasyPrint names each raster image after the MD5 of its absolute URL,
   so the same article built in two checkouts gave two PDFs. `_content_image_ids`
   names it after its bytes (and orientation) instead: where the checkout is no
   longer shows in the PDF.
6. Warm processes (the preview, batches). HarfBuzz subsets each CJK face anew
   for every PDF: 0.24 s of a 1 s warm rebuild of the sample. `_kept_subsets`
   keeps the last subsets by face and glyph set, so a rebuild whose characters did
   not change (a moved heading, a new paragraph break) reuses them: the same input
   to HarfBuzz, the same bytes.
7. Face data. For every PDF WeasyPrint copies each face it used (a 20 MB CJK
   collection) out of HarfBuzz into Python: 60 ms of every build of the sample,
   and 60 MB of its peak memory. `_face_data_in_place` hands WeasyPrint a read-only
   view of the face's own data (HarfBuzz maps the font file) instead, keeping a
   reference to the face and its blob for the process's life, so that the view
   stays valid and the face's address is never another face's. Once subset, the
   font is bytes of its own again; a font embedded whole is copied then.
8. Font streams. pydyf compresses every stream at zlib level 9 for every PDF; the
   subset fonts are most of it (75 ms of a warm rebuild). `_kept_font_streams`
   keeps the compressed form of large streams by their content: the same bytes.
11. Fonts side by side. A cold build subsets and compresses three CJK faces one
   after the other (0.15 s of CPU for the sample); HarfBuzz and zlib let go of the
   interpreter, so `_fonts_side_by_side` runs one thread per face before
   WeasyPrint's own loop, which then finds the results kept (fixes 6 and 8).
   (Fix 11 is numbered after the start-up fixes 9 and 10.)
12. One subsetting pass. WeasyPrint subsets each face twice: once keeping the glyph
   ids, then the result again, keeping every id up to the last one used, to apply
   the hinting flag. The second pass keeps every glyph of the first and costs three
   times as much on a CJK face (45 of 60 ms). `_one_subsetting_pass` gives HarfBuzz
   the second pass's flag in the first: the same bytes (compared on every kind of
   build), a third of the time."""
from __future__ import annotations

import gc
import hashlib
import os
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from ..kept import Kept
from .weasy_startup import quick_import


def _keep_page_references() -> None:
    import pydyf

    if getattr(pydyf.PDF, "_page_references_kept", False):
        return

    def page_references(pdf) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]  # [number, 0, "R", ...]; pages are only ever appended
        kept = pdf.__dict__.get("_page_references")
        if kept is None or kept[0] != len(kids):
            kept = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            pdf.__dict__["_page_references"] = kept
        return kept[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._page_references_kept = True


def _content_image_ids() -> None:
    from weasyprint import images

    if getattr(images.RasterImage, "_content_ids", False):
        return
    original = images.RasterImage.__init__

    def init(self, pillow_image, image_id, image_data, filename=None, cache=None, orientation="none",
             *args, **kwargs):
        if image_data is not None:  # None only for a transposed image, whose id WeasyPrint keeps
            image_id = hashlib.md5(image_data + f"|{orientation}".encode(), usedforsecurity=False).hexdigest()
        original(self, pillow_image, image_id, image_data, filename, cache, orientation, *args, **kwargs)

    images.RasterImage.__init__ = init
    images.RasterImage._content_ids = True


def import_weasyprint():
    """The weasyprint module, imported quickly (fixes 1, 9 and 10) and with the
    other fixes above in place."""
    first = "weasyprint" not in sys.modules
    if first:
        with quick_import():
            import weasyprint
    import weasyprint
    _keep_page_references()
    _content_image_ids()
    _kept_subsets()
    _one_subsetting_pass()
    _face_data_in_place()
    _kept_font_streams()
    _fonts_side_by_side()
    if first:  # what the import made lives as long as the process: out of the collector's sight
        gc.freeze()
    return weasyprint


@contextmanager
def stable_document_id(seed: bytes):
    """WeasyPrint's PDF/X DocumentID derived from `seed` instead of drawn at random."""
    import uuid

    from weasyprint.pdf import metadata

    original = metadata.uuid4
    metadata.uuid4 = lambda: uuid.uuid5(uuid.NAMESPACE_URL, "zh-pipeline:" + hashlib.sha256(seed).hexdigest())
    try:
        yield
    finally:
        metadata.uuid4 = original


@contextmanager
def frozen_gc():
    """Yields a function that moves every object alive now out of the cycle
    collector's sight (call it after each finished part); gives them back at the end."""
    def freeze() -> None:
        gc.collect()
        gc.freeze()

    try:
        yield freeze
    finally:
        gc.unfreeze()


SUBSETS = Kept(12)  # faces x recent glyph sets: a few MB at most
subsets_made = 0  # by HarfBuzz, not found kept: fix 11 gives memory back only after those


def _kept_subsets() -> None:
    from weasyprint.pdf import fonts

    if getattr(fonts.Font, "_subsets_kept", False):
        return
    original = fonts.Font.subset

    def subset(self, to_unicode, hinting):
        if not isinstance(self.file_content, bytes):  # a view of the face (fix 7)
            if not to_unicode:  # embedded whole: bytes, as pydyf writes them
                self.file_content = bytes(self.file_content)
        # What HarfBuzz's result depends on: the face (description and index, the
        # file's size), the glyphs kept, hinting, and the glyphs marked missing.
        key = (self.hash, self.index, len(self.file_content), hashlib.sha256(
            repr((sorted(to_unicode), bool(hinting), sorted(self.missing))).encode()).digest())
        kept = SUBSETS.get(key) if to_unicode else None
        if kept is not None:
            self.file_content = kept
            return
        global subsets_made
        original(self, to_unicode, hinting)
        subsets_made += 1
        if to_unicode:
            SUBSETS.put(key, self.file_content)

    fonts.Font.subset = subset
    fonts.Font._subsets_kept = True


def _one_subsetting_pass() -> None:
    from weasyprint.logger import LOGGER
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi, harfbuzz

    hb = fonts.harfbuzz_subset
    if hb is None or getattr(fonts.Font, "_one_subsetting_pass", False):
        return

    def _harfbuzz_subset(self, to_unicode, hinting):
        # WeasyPrint 70's first pass, with the flags of its second.
        subset_input = ffi.gc(hb.hb_subset_input_create_or_fail(), hb.hb_subset_input_destroy)
        glyphs = hb.hb_subset_input_glyph_set(subset_input)
        kept = ffi.new(f"hb_codepoint_t[{len(to_unicode)}]", sorted(to_unicode))
        harfbuzz.hb_set_add_sorted_array(glyphs, kept, len(to_unicode))
        flags = hb.HB_SUBSET_FLAGS_RETAIN_GIDS | hb.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | \
            hb.HB_SUBSET_FLAGS_DESUBROUTINIZE
        if not hinting:
            flags |= hb.HB_SUBSET_FLAGS_NO_HINTING
        if self.missing:
            flags |= hb.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        hb.hb_subset_input_set_flags(subset_input, flags)
        dropped = hb.hb_subset_input_set(subset_input, hb.HB_SUBSET_SETS_DROP_TABLE_TAG)
        tags = tuple(harfbuzz.hb_tag_from_string(name, -1) for name in (
            b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG "))
        harfbuzz.hb_set_add_sorted_array(dropped, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
        face = ffi.gc(hb.hb_subset_or_fail(self.hb_face, subset_input), harfbuzz.hb_face_destroy)
        last = max(to_unicode)
        if face and harfbuzz.hb_face_get_glyph_count(face) > last + 1:
            # The layout closure kept glyphs after the last one used: WeasyPrint's
            # second pass, which drops them.
            every = tuple(range(last + 1))
            harfbuzz.hb_set_add_sorted_array(glyphs, ffi.new(f"hb_codepoint_t[{len(every)}]", every), len(every))
            hb.hb_subset_input_set_flags(subset_input, flags & ~hb.HB_SUBSET_FLAGS_RETAIN_GIDS)
            face = ffi.gc(hb.hb_subset_or_fail(face, subset_input), harfbuzz.hb_face_destroy)
        if face:
            content = fonts.get_hb_object_data(face)
            if content:
                self.file_content = content
                return
        LOGGER.warning('Unable to subset "%s" with HarfBuzz', self.family)

    _harfbuzz_subset.original = fonts.Font._harfbuzz_subset  # WeasyPrint's two passes, for the tests
    fonts.Font._harfbuzz_subset = _harfbuzz_subset
    fonts.Font._one_subsetting_pass = True


def _face_data_in_place() -> None:
    from weasyprint.pdf import fonts as pdf_fonts
    from weasyprint.text import fonts as text_fonts
    from weasyprint.text.ffi import ffi, harfbuzz

    if getattr(pdf_fonts, "_face_data_in_place", False):
        return
    original, original_face = text_fonts.get_hb_object_data, text_fonts.get_pango_font_hb_face
    # face address -> (our reference to the face, to its blob, the view of its data).
    # Never dropped: a view handed out must stay valid, and the faces are the few
    # the fonts in use have (WeasyPrint's kept font configuration holds them too).
    kept: dict[int, tuple] = {}

    def get_pango_font_hb_face(pango_font):
        face = original_face(pango_font)
        address = int(ffi.cast("uintptr_t", face))
        if address not in kept:
            blob = ffi.gc(harfbuzz.hb_face_reference_blob(face), harfbuzz.hb_blob_destroy)
            with ffi.new("unsigned int *") as length:
                data = harfbuzz.hb_blob_get_data(blob, length)
                view = None if data == ffi.NULL else ffi.buffer(data, int(length[0]))
            kept[address] = (ffi.gc(harfbuzz.hb_face_reference(face), harfbuzz.hb_face_destroy), blob, view)
        return face

    def get_hb_object_data(hb_object, ot_color=None, glyph=None):
        # A font's face: its view. Anything else (a subset's face, a colour glyph):
        # copied as WeasyPrint does.
        entry = kept.get(int(ffi.cast("uintptr_t", hb_object))) if ot_color is None else None
        return original(hb_object, ot_color, glyph) if entry is None else entry[2]

    pdf_fonts.get_pango_font_hb_face = get_pango_font_hb_face
    pdf_fonts.get_hb_object_data = get_hb_object_data  # what Font.__init__ calls
    pdf_fonts._face_data_in_place = True


STREAMS = Kept(16)
STREAM_KEPT_FROM = 64 * 1024  # bytes: fonts and large images; page contents change with every edit


def compressed(content: bytes) -> bytes:
    """`content` compressed as pydyf compresses it, kept by its hash (fix 8)."""
    key = hashlib.sha256(content).digest()
    data = STREAMS.get(key)
    if data is None:
        compressor = zlib.compressobj(level=9)  # as pydyf does
        data = compressor.compress(content) + compressor.flush()
        STREAMS.put(key, data)
    return data


def _kept_font_streams() -> None:
    import pydyf

    if getattr(pydyf.Stream, "_compressed_kept", False):
        return
    original = pydyf.Stream.data

    def data(self) -> bytes:
        content = self.stream[0] if len(self.stream) == 1 else None
        if not (self.compress and isinstance(content, bytes) and len(content) >= STREAM_KEPT_FROM):
            return original.fget(self)
        packed = compressed(content)
        extra = pydyf.Dictionary(self.extra.copy())
        extra["Filter"] = "/FlateDecode"
        extra["Length"] = len(packed)
        return b"\n".join((extra.data, b"stream", packed, b"endstream"))

    data.original = original
    pydyf.Stream.data = property(data)
    pydyf.Stream._compressed_kept = True


def _trim() -> None:
    """Give back what the subsetting threads freed: glibc keeps a thread's freed
    memory in that thread's own arena, where the rest of the build cannot reuse it
    (23 MB more at the peak of a 230-page book without this)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        pass


def _fonts_side_by_side() -> None:
    import weasyprint.pdf as wpdf

    if getattr(wpdf, "_fonts_side_by_side", False):
        return
    original = wpdf.build_fonts_dictionary

    def build_fonts_dictionary(pdf, document_fonts, compress, subset, options):
        # The subsets and their compression, as WeasyPrint's own loop would make
        # them (the same fonts, the same glyphs), but one thread per face: both are
        # C work that lets go of the interpreter. Its loop then finds them kept.
        faces: dict = {}
        for font in document_fonts.values():
            faces.setdefault(font.hash, []).append(font)
        jobs = []
        for same in faces.values():
            if subset and not same[0].bitmap and not same[0].used_in_forms and "fvar" not in same[0].tables:
                to_unicode = {}
                for font in same:
                    to_unicode = {**to_unicode, **font.to_unicode}
                jobs.append((same[0], to_unicode))

        def prepare(job) -> None:
            font, to_unicode = job
            font.subset(to_unicode, options["hinting"])
            font.subset = lambda *args: None  # done: WeasyPrint's clean() calls it again
            if compress and isinstance(font.file_content, bytes) and len(font.file_content) >= STREAM_KEPT_FROM:
                compressed(font.file_content)

        if len(jobs) > 1:
            made = subsets_made
            with ThreadPoolExecutor(min(len(jobs), os.cpu_count() or 1)) as pool:
                list(pool.map(prepare, jobs))
            if subsets_made > made:  # a warm rebuild that found its subsets kept freed nothing
                _trim()
        try:
            return original(pdf, document_fonts, compress, subset, options)
        finally:  # a document written again subsets again, as WeasyPrint would
            for font, _ in jobs:
                font.__dict__.pop("subset", None)

    wpdf.build_fonts_dictionary = build_fonts_dictionary
    wpdf._fonts_side_by_side = True

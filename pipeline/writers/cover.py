"""A cover generated from the title (and an optional image): PNG bytes, the same
for the EPUB's cover image, the PDF's first page and the catalog."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from ..kept import Kept
from .fonts import FAMILIES, locate

WIDTH, HEIGHT = 1200, 1800
PALETTE = [(32, 58, 96), (120, 32, 38), (30, 84, 70), (88, 52, 110), (150, 86, 20), (40, 40, 44)]


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if ch == " " and not line:
            continue
        if draw.textlength(line + ch, font=font) > width and line:
            lines.append(line)
            line = "" if ch == " " else ch
        else:
            line += ch
    if line:
        lines.append(line)
    return lines


COVERS = Kept(8)


def make_cover(title: str, subtitle: str | None, byline: str | None, lang: str,
               image: Path | None = None) -> bytes:
    """The cover's PNG. A warm process (the preview) makes the same cover for every
    EPUB of an article it rebuilds, 30 ms of drawing and compressing each time: it is
    kept by what it is drawn from (the texts and the image's bytes)."""
    try:
        picture = Path(image).read_bytes() if image is not None else None
    except OSError:
        return _draw_cover(title, subtitle, byline, lang, image)  # which fails there, as before
    key = (title, subtitle, byline, lang, hashlib.sha256(picture).digest() if picture is not None else None)
    data = COVERS.get(key)
    if data is None:
        data = _draw_cover(title, subtitle, byline, lang, io.BytesIO(picture) if picture is not None else None)
        COVERS.put(key, data)
    return data


def _draw_cover(title: str, subtitle: str | None, byline: str | None, lang: str, image) -> bytes:
    """`image`: the picture's file or its bytes (a file object), or None."""
    from PIL import Image, ImageDraw, ImageFont

    # A colour chosen by the title: stable across builds, varied across a shelf.
    colour = PALETTE[hashlib.sha256(title.encode("utf-8")).digest()[0] % len(PALETTE)]
    canvas = Image.new("RGB", (WIDTH, HEIGHT), colour)
    draw = ImageDraw.Draw(canvas)
    path, index = locate(FAMILIES[lang]["sans"], True)
    regular, regular_index = locate(FAMILIES[lang]["sans"], False)
    # The largest size (96 px down to 60) at which each phrase of the title fits a line.
    for size in range(96, 59, -4):
        title_font = ImageFont.truetype(path, size, index=index)
        if all(draw.textlength(part, font=title_font) <= WIDTH - 240 for part in title.split(" ")):
            break
    small = ImageFont.truetype(regular, 48, index=regular_index)
    top = 220
    if image is not None:
        picture = Image.open(image).convert("RGB")
        picture.thumbnail((WIDTH - 240, 700))
        canvas.paste(picture, ((WIDTH - picture.width) // 2, 160))
        top = 160 + picture.height + 100
    draw.rectangle((120, top - 40, 300, top - 28), fill=(245, 240, 230))
    y = top
    for part in title.split(" "):  # the title's phrase break starts a new line
        for line in _wrap(draw, part, title_font, WIDTH - 240):
            draw.text((120, y), line, font=title_font, fill=(255, 255, 255))
            y += int(title_font.size * 1.35)
    if subtitle:
        y += 30
        for line in _wrap(draw, subtitle, small, WIDTH - 240):
            draw.text((120, y), line, font=small, fill=(235, 230, 220))
            y += 70
    if byline:
        draw.text((120, HEIGHT - 200), byline, font=small, fill=(235, 230, 220))
    out = io.BytesIO()
    canvas.save(out, format="PNG", compress_level=6)
    return out.getvalue()

"""Pictures inside a .docx: checked, never fetched, carried in the model.

Only PNG, JPEG and GIF reach the outputs (what every reading system shows). EMF and
WMF (Word's vector clip art, and the preview of legacy equations and OLE objects),
TIFF, BMP and the rest are refused naming the picture and what to do; so are
pictures linked to a file or URL outside the document (never fetched) and oversized
ones. A picture's bytes travel in the model's Image block (`data`); its `src` is a
name for the EPUB's copy, unique per source (docx/NAME/image1.png).
"""
from __future__ import annotations

import io
from pathlib import PurePosixPath

from ...errors import UserError

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000   # 8,000 x 5,000: far past print resolution for an A4 page

FORMATS = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))
REFUSED = ((b"\xd7\xcd\xc6\x9a", "WMF"), (b"\x01\x00\x09\x00", "WMF"), (b"\x02\x00\x09\x00", "WMF"),
           (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"BM", "BMP"))


def image_format(data: bytes) -> str | None:
    for magic, ext in FORMATS:
        if data.startswith(magic):
            return ext
    return None


def refused_kind(data: bytes, name: str) -> str:
    if data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF":
        return "EMF"
    for magic, kind in REFUSED:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    return {"emf": "EMF", "wmf": "WMF", "svg": "SVG", "tif": "TIFF", "tiff": "TIFF", "wdp": "HD Photo",
            "emz": "compressed EMF", "wmz": "compressed WMF"}.get(suffix, "an unknown format")


def check_image(path, name: str, data: bytes) -> str:
    """The picture's extension (png, jpg, gif); a UserError for anything else."""
    if len(data) > MAX_IMAGE_BYTES:
        raise UserError(path, f"picture {name} is {len(data) / 1048576:.1f} MB (limit {MAX_IMAGE_BYTES >> 20} MB); "
                              f"compress it in Word (Picture Format > Compress Pictures) and save again")
    ext = image_format(data)
    if ext is None:
        kind = refused_kind(data, name)
        raise UserError(path, f"picture {name} is {kind}, which PDF and EPUB readers cannot show; "
                              f"replace it in Word with a PNG or JPEG (copy it, Paste Special > Picture (PNG))")
    pixels = _pixels(data)
    if pixels is None:
        raise UserError(path, f"picture {name} is a damaged {ext.upper()} file; insert it again in Word")
    if pixels > MAX_PIXELS:
        raise UserError(path, f"picture {name} has {pixels / 1e6:.0f} million pixels (limit {MAX_PIXELS // 1_000_000}"
                              f" million); resize it and insert it again")
    return ext


def _pixels(data: bytes) -> int | None:
    """Width x height from the header (Pillow reads no pixel data here)."""
    import warnings

    from PIL import Image as PILImage

    limit = PILImage.MAX_IMAGE_PIXELS
    try:
        # Only the header is read: Pillow's own bomb limit would hide the size we report.
        PILImage.MAX_IMAGE_PIXELS = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Exception:  # noqa: BLE001 - any undecodable header is a damaged picture
        return None
    finally:
        PILImage.MAX_IMAGE_PIXELS = limit
    return width * height


def external_image(path, target: str) -> UserError:
    return UserError(path, f"a picture is linked to {target} instead of inside the document "
                           f"(never fetched); insert the picture itself in Word (Insert > Pictures, "
                           f"not 'Link to File') and save again")

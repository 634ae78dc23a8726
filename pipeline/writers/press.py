"""Press output (PDF/X-4) beyond what WeasyPrint writes: the output profile, the
printer's marks in registration colour, and RGB images declared as sRGB.

WeasyPrint 70 writes the PDF/X-4 keys (XMP, Trapped, TrimBox, BleedBox) and, when the
document has a `device-cmyk` colour profile, the OutputIntent with that profile
(pdf/__init__.py); we hand it the profile and leave that to it. Three things it does
not do are finished here on the written file with pikepdf:

- its crop marks are drawn in RGB black (a rich black, not on every plate) and
  inside the 3 mm bleed; ours are in the registration colour (/Separation /All,
  on every plate) outside the BleedBox, on a MediaBox grown for them;
- its images are DeviceRGB whatever profile they carried, which PDF/X-4 allows only
  with an RGB output intent: they are declared sRGB (ICCBased, WeasyPrint's own
  sRGB2014 profile), which PDF/X-4 allows; the RIP converts them to the output
  condition. DefaultRGB is set too, so no RGB left in a content stream is
  device-dependent;
- the document information dictionary gets GTS_PDFXVersion, as the XMP has it.

The file is saved deterministically (same input, same bytes) and keeps its tags."""
from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError

# Ghostscript's CMYK profile (Debian: libgs-common, installed with ghostscript by
# tools/bootstrap-system.sh): "Artifex CMYK SWOP Profile", a coated web-offset
# condition. Debian ships no freely licensed FOGRA39 or GRACoL profile.
DEFAULT_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
MM = 72 / 25.4
BLEED_MM = 3.0
MARK_OFFSET_MM = BLEED_MM + 1.0   # crop marks start outside the bleed
MARK_LENGTH_MM = 5.0
SLUG_MM = MARK_OFFSET_MM + MARK_LENGTH_MM + 1.0  # MediaBox beyond the trim, each side
MARK_WIDTH_PT = 0.25
PRESS_CSS = "@page { bleed: 3mm; marks: none; }\n"  # our marks are drawn by finish()


@dataclass(frozen=True)
class OutputProfile:
    path: Path
    data: bytes
    name: str


def load_profile(path: Path | None) -> OutputProfile:
    """The output (CMYK printer) profile; a missing or non-CMYK file is the user's error."""
    from PIL import ImageCms

    path = Path(path) if path else DEFAULT_PROFILE
    try:
        data = path.read_bytes()
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except FileNotFoundError:
        hint = " (install ghostscript, or give --press-profile)" if path == DEFAULT_PROFILE else ""
        raise UserError(path, f"no such ICC profile{hint}") from None
    except (OSError, ImageCms.PyCMSError) as exc:
        raise UserError(path, f"not an ICC profile: {exc}") from None
    if profile.xcolor_space.strip() != "CMYK" or profile.device_class != "prtr":
        raise UserError(path, f"not a CMYK output profile (colour space {profile.xcolor_space.strip()}, "
                              f"class {profile.device_class})")
    return OutputProfile(path, data, profile.profile_description or path.stem)


def color_profiles(profile: OutputProfile) -> dict:
    """WeasyPrint's colour profiles: `device-cmyk` makes its OutputIntent."""
    from weasyprint.css import ColorProfile

    return {"device-cmyk": ColorProfile(io.BytesIO(profile.data), profile.path.name,
                                        "relative-colorimetric", (["c"], ["m"], ["y"], ["k"]))}


def _marks(trim: list[float], folds: tuple[float, ...]) -> bytes:
    """Crop marks at the trim's corners, fold marks at `folds` (x from the trim's
    left), a registration target at the middle of each side, in /Reg."""
    x0, y0, x1, y1 = trim
    near, far = MARK_OFFSET_MM * MM, (MARK_OFFSET_MM + MARK_LENGTH_MM) * MM
    ops = [f"/Reg CS 1 SCN {MARK_WIDTH_PT} w 0 J"]

    def line(ax, ay, bx, by):
        ops.append(f"{ax:.3f} {ay:.3f} m {bx:.3f} {by:.3f} l S")

    for x, sign_x in ((x0, -1), (x1, 1)):
        for y, sign_y in ((y0, -1), (y1, 1)):
            line(x + sign_x * near, y, x + sign_x * far, y)   # horizontal, level with the trim
            line(x, y + sign_y * near, x, y + sign_y * far)   # vertical
    for fold in folds:
        for y, sign_y in ((y0, -1), (y1, 1)):
            line(x0 + fold, y + sign_y * near, x0 + fold, y + sign_y * far)
    middle_x, middle_y = (x0 + x1) / 2, (y0 + y1) / 2
    radius, centre = 1.5 * MM, (MARK_OFFSET_MM + MARK_LENGTH_MM / 2) * MM
    # On a spread the fold marks take the middle: targets over each panel instead.
    across = [(x0 + folds[0]) / 2, (x0 + folds[-1] + x1) / 2] if folds else [middle_x]
    targets = [(x, y) for x in across for y in (y1 + centre, y0 - centre)]
    for cx, cy in (*targets, (x0 - centre, middle_y), (x1 + centre, middle_y)):
        k = radius * 0.5523  # a circle from four Bézier arcs
        ops.append(f"{cx + radius:.3f} {cy:.3f} m "
                   f"{cx + radius:.3f} {cy + k:.3f} {cx + k:.3f} {cy + radius:.3f} {cx:.3f} {cy + radius:.3f} c "
                   f"{cx - k:.3f} {cy + radius:.3f} {cx - radius:.3f} {cy + k:.3f} {cx - radius:.3f} {cy:.3f} c "
                   f"{cx - radius:.3f} {cy - k:.3f} {cx - k:.3f} {cy - radius:.3f} {cx:.3f} {cy - radius:.3f} c "
                   f"{cx + k:.3f} {cy - radius:.3f} {cx + radius:.3f} {cy - k:.3f} {cx + radius:.3f} {cy:.3f} c S")
        line(cx - 1.4 * radius, cy, cx + 1.4 * radius, cy)
        line(cx, cy - 1.4 * radius, cx, cy + 1.4 * radius)
    # Marks are not content: an artefact for the tagged structure.
    return ("q /Artifact BMC\n" + "\n".join(ops) + "\nEMC Q\n").encode("ascii")


def _flate(pdf, data: bytes, **keys):
    import pikepdf

    stream = pikepdf.Stream(pdf, zlib.compress(data, 9))
    stream.Filter = pikepdf.Name.FlateDecode
    for key, value in keys.items():
        stream[f"/{key}"] = value
    return stream


def finish(data: bytes, folds: tuple[float, ...] = ()) -> bytes:
    """The press PDF WeasyPrint wrote, with our marks, boxes, sRGB images and Info
    key. `folds`: x positions of fold marks (a cover's spine), from the trim's left."""
    import pikepdf
    from importlib.resources import files

    Name = pikepdf.Name
    pdf = pikepdf.open(io.BytesIO(data))
    srgb = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    srgb_space = pdf.make_indirect(pikepdf.Array([Name.ICCBased, _flate(pdf, srgb, N=3)]))
    registration = pdf.make_indirect(pikepdf.Array([
        Name.Separation, Name.All, Name.DeviceCMYK,
        pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)]))
    for page in pdf.pages:
        trim = [float(v) for v in page.TrimBox]
        bleed, slug = BLEED_MM * MM, SLUG_MM * MM
        page.BleedBox = pikepdf.Array([trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed])
        page.MediaBox = pikepdf.Array([trim[0] - slug, trim[1] - slug, trim[2] + slug, trim[3] + slug])
        spaces = page.Resources.get(Name.ColorSpace)
        if spaces is None:
            spaces = page.Resources.ColorSpace = pikepdf.Dictionary()
        spaces.Reg = registration
        spaces.DefaultRGB = srgb_space
        # WeasyPrint's content leaves its own transformation in force: wrap it.
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"), prepend=False)
        page.contents_add(_flate(pdf, _marks(trim, folds)), prepend=False)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get(Name.Subtype) == Name.Image \
                and obj.get(Name.ColorSpace) == Name.DeviceRGB:
            obj.ColorSpace = srgb_space
    pdf.docinfo[Name.GTS_PDFXVersion] = pikepdf.String("PDF/X-4")
    out = io.BytesIO()
    # Streams WeasyPrint left uncompressed (the XMP metadata) stay so.
    pdf.save(out, deterministic_id=True, compress_streams=False,
             object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()

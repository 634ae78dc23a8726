"""A PDF/X-4 preflight of the rules that can be checked without Acrobat (pikepdf).

    python -m pipeline.preflight FILE.pdf...    # one line per check, exit 1 on a failure

What it does not check (colour of each object against the plates, ink coverage,
the ICC profile beyond its header, overprint, image resolution, transparency
groups) is listed in the README's press section; tests/test_press.py separates
text pages into plates with Ghostscript for the colour of text."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

XMP_NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
          "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
          "xmpMM": "http://ns.adobe.com/xap/1.0/mm/", "pdf": "http://ns.adobe.com/pdf/1.3/",
          "pdfxid": "http://www.npes.org/pdfx/ns/id/"}
# Colour spaces PDF/X-4 allows with a CMYK output intent (DeviceRGB only where a
# DefaultRGB colour space maps it).
ALLOWED_SPACES = {"/DeviceGray", "/DeviceCMYK", "/ICCBased", "/Separation", "/DeviceN", "/Lab",
                  "/Indexed", "/Pattern", "/CalGray", "/CalRGB"}


@dataclass(frozen=True)
class Check:
    name: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _xmp(pdf) -> dict[str, str]:
    """The XMP's simple properties as prefix:name -> text (attributes and elements)."""
    from lxml import etree

    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return {}
    root = etree.fromstring(metadata.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
    names = {uri: prefix for prefix, uri in XMP_NS.items()}
    found: dict[str, str] = {}

    def key(tag: str) -> str | None:
        match = re.match(r"\{(.*)\}(.*)", tag)
        return f"{names[match.group(1)]}:{match.group(2)}" if match and match.group(1) in names else None

    for description in root.iter(f"{{{XMP_NS['rdf']}}}Description"):
        for attribute, value in description.attrib.items():
            if key(attribute):
                found[key(attribute)] = value
        for child in description:
            if key(child.tag):
                found[key(child.tag)] = "".join(child.itertext()).strip()
    return found


def _box(page, name: str):
    value = page.obj.get(name)
    return [float(v) for v in value] if value is not None else None


def _inside(inner, outer, slack: float = 0.01) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _fonts(resources, seen: set):
    """Every font dictionary reachable from `resources` (forms and patterns too)."""
    if resources is None or resources.objgen in seen and resources.objgen != (0, 0):
        return
    seen.add(resources.objgen)
    for font in (resources.get("/Font") or {}).values():
        yield font
        for descendant in font.get("/DescendantFonts") or []:
            yield descendant
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), seen)
    for pattern in (resources.get("/Pattern") or {}).values():
        yield from _fonts(pattern.get("/Resources"), seen)


def _space_name(space) -> str:
    import pikepdf

    return str(space[0]) if isinstance(space, pikepdf.Array) else str(space)


def is_press(path: Path) -> bool:
    """Whether the PDF claims PDF/X (an OutputIntent GTS_PDFX or the XMP's version)."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            intents = pdf.Root.get("/OutputIntents") or []
            return any(i.get("/S") == "/GTS_PDFX" for i in intents) or "pdfxid:GTS_PDFXVersion" in _xmp(pdf)
    except pikepdf.PdfError:
        return False


def preflight(path: Path) -> list[Check]:
    import pikepdf

    checks: list[Check] = []

    def check(name: str, problems) -> None:
        checks.append(Check(name, tuple(problems)))

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return [Check("not encrypted", ("the file is encrypted",))]
    with pdf:
        check("not encrypted", ["the file is encrypted"] if pdf.is_encrypted else [])
        check("PDF version 1.6 or lower (PDF/X-4 is based on PDF 1.6)",
              [] if tuple(map(int, pdf.pdf_version.split("."))) <= (1, 6) else [f"version {pdf.pdf_version}"])

        intents = [i for i in (pdf.Root.get("/OutputIntents") or []) if i.get("/S") == "/GTS_PDFX"]
        problems = [] if len(intents) == 1 else [f"{len(intents)} GTS_PDFX output intents"]
        for page_number, page in enumerate(pdf.pages, 1):
            if "/OutputIntents" in page.obj:
                problems.append(f"page {page_number} has its own output intents")
        check("one OutputIntent (GTS_PDFX), in the catalog only", problems)

        problems = []
        if intents:
            intent = intents[0]
            if not str(intent.get("/OutputConditionIdentifier", "")).strip():
                problems.append("no OutputConditionIdentifier")
            profile = intent.get("/DestOutputProfile")
            if profile is None:
                problems.append("no DestOutputProfile")
            else:
                header = profile.read_bytes()[:20]
                if header[16:20] != b"CMYK" or header[12:16] != b"prtr" or int(profile.get("/N", 0)) != 4:
                    problems.append(f"profile is {header[16:20]!r} {header[12:16]!r}, N={profile.get('/N')}")
        check("output profile embedded, a CMYK printer profile", problems if intents else ["no output intent"])

        xmp, info = _xmp(pdf), pdf.docinfo
        problems = []
        if xmp.get("pdfxid:GTS_PDFXVersion") != "PDF/X-4":
            problems.append(f"XMP pdfxid:GTS_PDFXVersion is {xmp.get('pdfxid:GTS_PDFXVersion')!r}")
        if "/GTS_PDFXVersion" in info and str(info.GTS_PDFXVersion) != "PDF/X-4":
            problems.append(f"Info GTS_PDFXVersion is {str(info.GTS_PDFXVersion)!r}")
        for key in ("xmpMM:DocumentID", "xmpMM:VersionID", "xmpMM:RenditionClass", "xmp:CreateDate",
                    "xmp:ModifyDate", "xmp:MetadataDate", "dc:title"):
            if not xmp.get(key):
                problems.append(f"XMP has no {key}")
        for key in ("/Title", "/CreationDate", "/ModDate"):
            if key not in info:
                problems.append(f"Info has no {key[1:]}")
        check("GTS_PDFXVersion PDF/X-4 in the XMP (and Info), identification and dates present", problems)

        trapped = str(info.get("/Trapped", ""))
        problems = [] if trapped in ("/True", "/False") else [f"Info Trapped is {trapped or 'missing'}"]
        if xmp.get("pdf:Trapped") and f"/{xmp['pdf:Trapped']}" != trapped:
            problems.append(f"XMP pdf:Trapped {xmp['pdf:Trapped']} differs from Info {trapped}")
        check("Trapped set to True or False, alike in Info and XMP", problems)

        problems = []
        for number, page in enumerate(pdf.pages, 1):
            media, trim, bleed = _box(page, "/MediaBox"), _box(page, "/TrimBox"), _box(page, "/BleedBox")
            crop = _box(page, "/CropBox") or media
            if trim is None:
                problems.append(f"page {number}: no TrimBox")
                continue
            bleed = bleed or crop
            if not (_inside(trim, bleed) and _inside(bleed, media) and _inside(trim, crop)):
                problems.append(f"page {number}: TrimBox {trim} BleedBox {bleed} MediaBox {media}")
        check("TrimBox on every page, within the BleedBox, within the MediaBox", problems)

        problems, seen = [], set()
        for page in pdf.pages:
            for font in _fonts(page.obj.get("/Resources"), seen):
                if font.get("/Subtype") in ("/Type0", "/Type3"):
                    continue  # a Type0's glyphs are its descendant's; Type3 glyphs are content
                descriptor = font.get("/FontDescriptor")
                if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"font {font.get('/BaseFont')} is not embedded")
        check("every font embedded", sorted(set(problems)))

        problems = []
        names = pdf.Root.get("/Names") or {}
        if "/JavaScript" in names:
            problems.append("document JavaScript")
        if "/AcroForm" in pdf.Root:
            problems.append("an interactive form")
        if "/AA" in pdf.Root:
            problems.append("document actions")
        for number, page in enumerate(pdf.pages, 1):
            for annot in page.obj.get("/Annots") or []:
                action = annot.get("/A") or {}
                if annot.get("/Subtype") == "/Widget":
                    problems.append(f"page {number}: a form field")
                if action.get("/S") == "/JavaScript" or "/AA" in annot:
                    problems.append(f"page {number}: a script action")
        check("no JavaScript, no forms, no actions beyond links", problems)

        problems = []
        for number, page in enumerate(pdf.pages, 1):
            trim = _box(page, "/TrimBox")
            for annot in page.obj.get("/Annots") or []:
                printed = int(annot.get("/F", 0)) & 4
                if annot.get("/Subtype") not in ("/Link", "/PrinterMark", "/TrapNet") and printed and trim:
                    rect = [float(v) for v in annot.Rect]
                    if rect[0] < trim[2] and rect[2] > trim[0] and rect[1] < trim[3] and rect[3] > trim[1]:
                        problems.append(f"page {number}: a printing {annot.get('/Subtype')} annotation in the trim")
        check("no printing annotation (other than links and printer's marks) inside the TrimBox", problems)

        problems = []
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                space = obj.get("/ColorSpace")
                if space is not None and _space_name(space) not in ALLOWED_SPACES:
                    problems.append(f"an image in {_space_name(space)}")
            elif isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/PS":
                problems.append("a PostScript XObject")
            elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/ExtGState":
                if "/TR" in obj or ("/TR2" in obj and obj.TR2 != "/Default"):
                    problems.append("a transfer function")
        for number, page in enumerate(pdf.pages, 1):
            spaces = (page.obj.get("/Resources") or {}).get("/ColorSpace") or {}
            if "/DefaultRGB" in spaces:
                continue
            ops = {str(op) for _, op in pikepdf.parse_content_stream(page)}
            if ops & {"rg", "RG"}:
                problems.append(f"page {number}: DeviceRGB colour without DefaultRGB")
        check("no device RGB with a CMYK output intent, no transfer functions or PostScript", sorted(set(problems)))

        problems = []
        for config in [(pdf.Root.get("/OCProperties") or {}).get("/D"),
                       *((pdf.Root.get("/OCProperties") or {}).get("/Configs") or [])]:
            if config is not None and "/Name" not in config:
                problems.append("an optional content configuration without a Name")
        if "/EmbeddedFiles" in names:
            problems.append("embedded files")
        check("no embedded files; optional content configurations named", problems)
    return checks


def main(paths: list[str]) -> int:
    failed = 0
    for name in paths:
        for check in preflight(Path(name)):
            print(f"{name}: {'ok  ' if check.ok else 'FAIL'} {check.name}"
                  + ("" if check.ok else ": " + "; ".join(check.problems[:5])))
            failed += not check.ok
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""What every process pays before its first page (writers/weasy_startup.py, fixes 9 and 10):
WeasyPrint's C declarations come from cffi's out-of-line module of them, written
the first time, and fontTools' subsetter and instancer load only when used. Each
check runs in a fresh interpreter, since these are about what an import does."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, clean_env

PROBE = """
import json, sys
from pathlib import Path
from pipeline.writers import weasy, weasy_startup
weasy_startup.DECLARED = Path(sys.argv[1])
weasy.import_weasyprint()
import weasyprint.text.ffi as f
from weasyprint.pdf import fonts
stand_ins = [name for name, module in sys.modules.items()
             if name.startswith("weasyprint") and isinstance(getattr(module, "ffi", None), weasy_startup._OneCdef)]
pango_version = f.pango.pango_version()  # the libraries answer through the FFI in use
subsetter = fonts.subset.Subsetter  # the lazy module loads on use
print(json.dumps({"parsed": "pycparser" in sys.modules, "stand_ins": stand_ins,
                  "instancer": "fontTools.varLib.instancer" in sys.modules,
                  "subset_loaded": subsetter.__module__, "pango": pango_version,
                  "files": sorted(p.name for p in Path(sys.argv[1]).iterdir())}))
"""


def probe(folder) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, str(folder)], cwd=ROOT, env=clean_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1, result.stdout  # nothing else on stdout (cffi's "generating")
    return json.loads(result.stdout)


def test_the_c_declarations_are_parsed_once_then_loaded(tmp_path):
    first = probe(tmp_path)
    assert first["parsed"] and len(first["files"]) == 1 and first["files"][0].endswith(".py")
    second = probe(tmp_path)
    assert not second["parsed"], "the out-of-line declarations were not used"
    for run in (first, second):
        assert run["stand_ins"] == [] and run["pango"] > 0
        assert not run["instancer"] and run["subset_loaded"] == "fontTools.subset"
    # A damaged file is parsed again as WeasyPrint does, and replaced.
    (tmp_path / first["files"][0]).write_text("this is not python(", "utf-8")
    damaged = probe(tmp_path)
    assert damaged["parsed"] and damaged["pango"] == first["pango"]
    assert not probe(tmp_path)["parsed"]


def test_a_font_embedded_whole_is_its_file():
    """Fonts are handed to WeasyPrint as views of HarfBuzz's data (writers/weasy.py,
    fix 7), which pydyf cannot write: a font embedded whole (no subsetting) must
    still be the font file's bytes, and a subset font a font of its own."""
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    from pipeline.writers.weasy import import_weasyprint

    weasyprint = import_weasyprint()
    html = weasyprint.HTML(string="<p style='font-family: DejaVu Sans Mono'>abc 123</p>")
    path = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"  # small; fontconfig's own default
    if not os.path.exists(path):
        pytest.skip("DejaVu Sans Mono (fonts-dejavu-core) is not installed")
    for whole in (True, False):
        pdf = pikepdf.open(io.BytesIO(html.render().write_pdf(full_fonts=whole)))
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).FontDescriptor
        data = descriptor.FontFile2.read_bytes()
        with open(path, "rb") as handle:
            assert (data == handle.read()) is whole
        assert TTFont(io.BytesIO(data))["cmap"]  # a font either way


EXIT = """
import sys
from pathlib import Path
from pipeline.writers.weasy import import_weasyprint
import_weasyprint()
from pipeline.build import build
build(Path("source/wuge-yinling.txt"), "pdf", Path(sys.argv[1]), state=Path(sys.argv[2]))
"""


def test_a_process_that_built_exits_cleanly(tmp_path):
    """With the out-of-line declarations (fix 9), cffi closes a library when its
    object goes; at exit that came before the last font objects, whose destructors
    call into it: a process that imported WeasyPrint first and built the sample
    crashed in its final collection (exit 139). The libraries stay loaded."""
    result = subprocess.run([sys.executable, "-c", EXIT, str(tmp_path / "out"), str(tmp_path / "state")],
                            cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert (tmp_path / "out" / "wuge-yinling.pdf").stat().st_size > 0


HINTS = r"""
import json
from pipeline.writers.weasy import import_weasyprint
weasyprint = import_weasyprint()
from weasyprint import html
parsed_at_import = bool(html.PH_STYLESHEET.matcher.lower_local_name_selectors)
page = '<html><body style="margin:0"><p align="right">右</p><input value="表单"></body></html>'

def right_of(document):
    box = next(b for b in document.pages[0]._page_box.descendants() if getattr(b, "text", None) == "右")
    return box.position_x

hinted = weasyprint.HTML(string=page).render(presentational_hints=True)
plain = weasyprint.HTML(string=page).render()
forms = weasyprint.HTML(string=page).render(forms=True)
print(json.dumps([parsed_at_import, right_of(hinted), right_of(plain), len(forms.pages)]))
"""


def test_hint_and_form_sheets_are_parsed_on_first_use():
    """Fix 13: WeasyPrint's presentational-hints sheet is not parsed at import, and a
    document that asks for hints (or forms) still gets them."""
    result = subprocess.run([sys.executable, "-c", HINTS], cwd=ROOT, env=clean_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    parsed_at_import, hinted, plain, pages = json.loads(result.stdout)
    assert not parsed_at_import
    assert hinted > plain + 100 and pages == 1  # align="right" honoured only with the hints

"""The same inputs give the same bytes wherever the checkout is, whoever builds it,
in whatever locale and time zone: the guide (which has an image) built in two
folders of different names and depths, from different working folders, with
different TZ, LANG, LC_ALL, HOME and USER."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, clean_env, run_cli

SETTINGS = ({"TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "USER": "editor"},
            {"TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8", "LC_ALL": "", "USER": "press", "HOME": "/nonexistent"})


def build_guide(folder, settings):
    shutil.copytree(ROOT / "source", folder / "source")
    out, state = folder / "dist", folder / ".build"
    source = folder / "source" / "guide.md"
    for fmt, extra in (("pdf", []), ("epub", ["--pages-from", str(out / "guide.pdf")])):
        result = run_cli("build", str(source), "--format", fmt, "--out", str(out), "--state", str(state),
                         "--quiet", *extra, cwd=folder, env=settings)
        assert result.returncode == 0, result.stderr
    return (out / "guide.pdf").read_bytes(), (out / "guide.epub").read_bytes()


def test_outputs_do_not_depend_on_the_folder_user_locale_or_time_zone(tmp_path):
    first = build_guide(tmp_path / "a", SETTINGS[0])
    second = build_guide(tmp_path / "somewhere" / "else entirely" / "checkout", SETTINGS[1])
    assert b"/Subtype /Image" in first[0]  # the case that used to differ: an image in the PDF
    assert first[0] == second[0], "the PDFs differ"
    assert first[1] == second[1], "the EPUBs differ"


WARM = """
import sys
from pathlib import Path
from pipeline.build import build
out, state = Path(sys.argv[1]), Path(sys.argv[2])
for number, name in enumerate(("wuge-yinling.txt", "guide.md", "wuge-yinling.txt")):
    build(Path("source") / name, "pdf", out / str(number), state=state)
"""


def test_a_warm_process_builds_the_bytes_a_cold_one_builds(tmp_path):
    """A process that builds again keeps its fonts, parsed stylesheets, HarfBuzz
    subsets, face data and compressed font streams (writers/weasy.py, fixes 6-8):
    its third build, after another article with
    other characters, is the cold build's PDF byte for byte."""
    env = clean_env()
    subprocess.run([sys.executable, "-c", WARM, str(tmp_path / "warm"), str(tmp_path / "state")], cwd=ROOT,
                   env=env, check=True, capture_output=True)
    cold = run_cli("build", "source/wuge-yinling.txt", "--format", "pdf", "--out", str(tmp_path / "cold"),
                   "--state", str(tmp_path / "cold-state"), "--quiet", cwd=ROOT)
    assert cold.returncode == 0, cold.stderr
    first = (tmp_path / "warm" / "0" / "wuge-yinling.pdf").read_bytes()
    third = (tmp_path / "warm" / "2" / "wuge-yinling.pdf").read_bytes()
    assert (tmp_path / "warm" / "1" / "guide.pdf").read_bytes() != first
    assert third == first == (tmp_path / "cold" / "wuge-yinling.pdf").read_bytes()


def test_kept_font_streams_are_the_bytes_pydyf_writes():
    """Fix 8 writes a large compressed stream itself, from its memo: the bytes must be
    the ones pydyf's own code gives, on a miss and on a hit (a newer pydyf that
    wrote streams differently would fail here, not in a printer's preflight)."""
    import random

    from pipeline.writers.weasy import STREAM_KEPT_FROM, import_weasyprint

    import_weasyprint()
    import pydyf

    own = pydyf.Stream.data.fget.original.fget
    content = random.Random(8).randbytes(STREAM_KEPT_FROM) * 2
    for extra in ({"Length1": len(content)}, {"Length1": len(content), "Subtype": "/OpenType"}):
        for _ in range(2):  # a miss, then a hit
            stream = pydyf.Stream([content], pydyf.Dictionary(extra), compress=True)
            assert stream.data == own(stream)
    small = pydyf.Stream([b"BT /F1 12 Tf ET"], compress=True)
    assert small.data == own(small)


TWO_PASSES = r"""
import sys
from pathlib import Path
from pipeline.writers.weasy import import_weasyprint
import_weasyprint()
from weasyprint.pdf import fonts
if sys.argv[3] == "two":
    fonts.Font._harfbuzz_subset = fonts.Font._harfbuzz_subset.original
from pipeline.build import build
build(Path(sys.argv[1]), "pdf", Path(sys.argv[2]), state=Path(sys.argv[2]) / "state")
"""


@pytest.mark.parametrize("source", ["source/wuge-yinling.txt", "source/guide.md"])
def test_one_subsetting_pass_gives_weasyprints_bytes(tmp_path, source):
    """Fix 12 subsets each face once where WeasyPrint subsets twice: the PDF must be
    the one WeasyPrint's own two passes give (the sample's bold Sans face keeps
    glyphs past its last one and takes the second pass too; Song, Kai and Mono not)."""
    env = clean_env()
    for passes in ("one", "two"):
        subprocess.run([sys.executable, "-c", TWO_PASSES, source, str(tmp_path / passes), passes], cwd=ROOT,
                       env=env, check=True, capture_output=True)
    name = Path(source).stem + ".pdf"
    assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()

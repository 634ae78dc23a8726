"""The same inputs give the same bytes wherever the checkout is, whoever builds it,
in whatever locale and time zone: the guide (which has an image) built in two
folders of different names and depths, from different working folders, with
different TZ, LANG, LC_ALL, HOME and USER."""
from __future__ import annotations

import shutil

from conftest import ROOT, run_cli

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

"""Terms and a command of its own: the project's license is declared where pip and
readers look, the wheel installs a zh-pipeline command, and EPUBs that embed subsets
of the OFL fonts carry the fonts' notices and the license."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT, clean_env, run_cli


def test_the_wheel_declares_the_license_and_installs_the_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path),
                             str(ROOT)], env=clean_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("zh_pipeline-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert "License-Expression: AGPL-3.0-or-later" in metadata
    assert "zh-pipeline = pipeline.cli:main" in entry_points
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert "pipeline/licenses/OFL-1.1.txt" in names  # the EPUB writer reads it at run time
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text()
    assert "## License" in (ROOT / "README.md").read_text()


def test_the_command_prints_its_version():
    command = shutil.which("zh-pipeline", path=str(Path(sys.executable).parent))
    assert command, "make's venv installs the project, and with it the zh-pipeline command"
    result = subprocess.run([command, "--version"], capture_output=True, text=True, env=clean_env())
    assert result.returncode == 0 and result.stdout.strip() == "zh-pipeline 0.1.0"
    same = run_cli("--version")
    assert same.stdout == result.stdout


def test_embedded_fonts_carry_their_notices_and_the_ofl(tmp_path):
    from fontTools.ttLib import TTFont

    result = run_cli("build", str(ROOT / "source" / "guide.md"), "--format", "epub", "--embed-fonts",
                     "--out", str(tmp_path), "--state", str(tmp_path / "state"), "--quiet")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "guide.epub") as epub:
        fonts = [n for n in epub.namelist() if n.endswith(".woff2")]
        notice = epub.read("EPUB/fonts/OFL.txt").decode()
        opf = epub.read("EPUB/content.opf").decode()
        assert 'href="fonts/OFL.txt"' in opf
        assert fonts
        for name in fonts:
            font = TTFont(epub.open(name))
            copyright_ = font["name"].getDebugName(0)
            assert copyright_ and "Adobe" in copyright_
            assert "Open Font License" in (font["name"].getDebugName(13) or "")
            assert f"{name.split('/')[-1]}: a subset of" in notice and copyright_ in notice
    assert "SIL OPEN FONT LICENSE" in notice and "Version 1.1" in notice

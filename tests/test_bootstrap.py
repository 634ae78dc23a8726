"""`make` bootstraps the Debian packages it needs, or names them and stops."""
from __future__ import annotations

import os
import subprocess

from conftest import ROOT

SCRIPT = ROOT / "tools" / "bootstrap-system.sh"


def fake_bin(tmp_path, uid: int, installed: bool):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    status = "install ok installed" if installed else "unknown ok not-installed"
    (bin_dir / "dpkg-query").write_text(f"#!/bin/sh\nprintf '%s' '{status}'\n")
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "apt-get").write_text("#!/bin/sh\necho apt-get \"$@\" >> \"$APT_LOG\"\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    return dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", APT_LOG=str(tmp_path / "apt.log"))


def test_not_root_names_the_packages(tmp_path):
    env = fake_bin(tmp_path, uid=1000, installed=False)
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "fonts-noto-cjk fonts-lxgw-wenkai libharfbuzz-subset0" in result.stderr
    assert not (tmp_path / "apt.log").exists()


def test_root_installs_what_is_missing(tmp_path):
    env = fake_bin(tmp_path, uid=0, installed=False)
    result = subprocess.run(["bash", str(SCRIPT), "--test"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "apt.log").read_text()
    assert "update" in log
    assert "install" in log and "fonts-noto-cjk" in log and "libharfbuzz-subset0" in log and "poppler-utils" in log


def test_nothing_to_do_when_installed(tmp_path):
    env = fake_bin(tmp_path, uid=1000, installed=True)
    result = subprocess.run(["bash", str(SCRIPT), "--test"], env=env, capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""

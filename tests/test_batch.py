"""Many sources in one run (pipeline/batch.py): warm workers give the bytes single
builds give, a failing source stops only itself, and each finished source gets one
plain line."""
from __future__ import annotations

import shutil

import pytest

from conftest import ROOT, run_cli
from pipeline.batch import default_jobs
from pipeline.errors import EXIT_INPUT


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "source"
    shutil.copytree(ROOT / "source", folder)
    (folder / "broken.md").write_text("---\ntitle: 坏\n---\n\n正文。\n\n![图](missing.png)\n", "utf-8")
    return folder


def test_a_failing_source_stops_only_itself(sources, tmp_path):
    names = ["guide.md", "broken.md", "wuge-yinling.txt"]
    out = tmp_path / "dist"
    result = run_cli("build", *(str(sources / n) for n in names), "--format", "pdf", "--out", str(out),
                     "--state", str(tmp_path / "state"), "--jobs", "2")
    assert result.returncode == EXIT_INPUT, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {sources / 'broken.md'}: image 'missing.png' is missing"]
    assert sorted(p.name for p in out.iterdir()) == ["guide.pdf", "wuge-yinling.pdf"]
    finished = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(finished) == 3 and sum("failed" in line for line in finished) == 1
    assert {line.split()[1] for line in finished} == {str(sources / n) for n in names}
    assert "Traceback" not in result.stderr


def test_warm_workers_build_the_bytes_single_builds_build(sources, tmp_path):
    names = ["guide.md", "wuge-yinling.txt", "workflow-notice.docx"]
    batch = run_cli("build", *(str(sources / n) for n in names), "--format", "pdf", "--out",
                    str(tmp_path / "batch"), "--state", str(tmp_path / "s1"), "--jobs", "2")
    assert batch.returncode == 0, batch.stderr
    for name in names:
        single = run_cli("build", str(sources / name), "--format", "pdf", "--out", str(tmp_path / "single"),
                         "--state", str(tmp_path / "s2"))
        assert single.returncode == 0, single.stderr
        pdf = name.rsplit(".", 1)[0] + ".pdf"
        assert (tmp_path / "batch" / pdf).read_bytes() == (tmp_path / "single" / pdf).read_bytes(), pdf


def test_jobs_must_be_positive(sources, tmp_path):
    result = run_cli("build", str(sources / "guide.md"), str(sources / "wuge-yinling.txt"), "--format", "pdf",
                     "--out", str(tmp_path / "dist"), "--jobs", "0")
    assert result.returncode == 2 and result.stderr.strip() == "error: pipeline: --jobs must be at least 1, not 0"
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("flags, jobs", [(" -j3 --jobserver-auth=fifo:/tmp/x", 3), ("s --jobs=5", 5), ("s", None)])
def test_the_job_count_follows_make(flags, jobs):
    import os

    assert default_jobs({"MAKEFLAGS": flags}) == (jobs or os.cpu_count())


def test_a_terminal_gets_a_progress_bar(tmp_path):
    """On a terminal (a pty of 100 columns) the run draws tqdm's bar, ending at 2/2
    with the last article named, instead of the plain lines."""
    import sys

    from conftest import run_in_pty

    code, text = run_in_pty([sys.executable, "-m", "pipeline", "build", "source/guide.md", "source/wuge-yinling.txt",
                             "--format", "epub", "--out", str(tmp_path / "dist"), "--state", str(tmp_path / "s"),
                             "--jobs", "2"])
    assert code == 0, text
    assert "100%|" in text and "2/2 [" in text and "article/s" in text, text
    assert "[1/2]" not in text  # the plain lines are for logs and pipes

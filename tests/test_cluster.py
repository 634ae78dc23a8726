"""build --scheduler (pipeline/cluster.py) on a LocalCluster of two worker processes
on 127.0.0.1: the bytes local builds give, a failing source that stops only itself,
the local batch's progress lines, and one line for a scheduler that is not there."""
from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, run_cli

from pipeline.errors import EXIT_BUILD, EXIT_INPUT, EXIT_USAGE

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    """The address of two worker processes, one thread each; the workers do not get
    the tests' SOURCE_DATE_EPOCH: the date travels with each task."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """Two corpus articles as raw newspaper text with their manifests (where ../shared
    is here), the sample with its manifest, and the guide with its image."""
    folder = tmp_path_factory.mktemp("cluster") / "source"
    shutil.copytree(ROOT / "source", folder)
    names = ["wuge-yinling.txt", "guide.md"]
    from newspaper import CORPUS, STYLES, extract, load_corpus

    if CORPUS.exists():
        for number in (3, 13):
            raw, manifest, _ = extract(load_corpus()[number], STYLES[1], number)
            (folder / f"c{number}.txt").write_text(raw, "utf-8")
            if manifest:
                (folder / f"c{number}.toml").write_text(manifest, "utf-8")
            names.append(f"c{number}.txt")
    return folder, names


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_the_cluster_builds_the_local_bytes(scheduler, sources, tmp_path, fmt):
    folder, names = sources
    paths = [str(folder / name) for name in names]
    local = run_cli("build", *paths, "--format", fmt, "--out", str(tmp_path / "local"),
                    "--state", str(tmp_path / "state"), "--jobs", "2")
    assert local.returncode == 0, local.stderr
    remote = run_cli("build", *paths, "--format", fmt, "--out", str(tmp_path / "remote"),
                     "--scheduler", scheduler)
    assert remote.returncode == 0, remote.stderr
    built = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert len(built) == len(names) and sorted(p.name for p in (tmp_path / "remote").iterdir()) == built
    for name in built:
        assert (tmp_path / "remote" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    # the same lines as the local batch: summaries (in another order) and one per source
    assert sorted(map(_without_time, remote.stderr.splitlines())) == sorted(map(_without_time, local.stderr.splitlines()))


def _without_time(line: str) -> str:
    """A progress line without its count and seconds: "SOURCE built"."""
    return " ".join(line.split()[1:3]) if line.startswith("[") else line


def test_a_failing_source_stops_only_itself(scheduler, sources, tmp_path):
    """One source fails before it is sent (its image is missing), one on a worker (a
    character the fonts lack); the others are built and written, the run says why
    for each and exits non-zero."""
    folder, names = sources
    (folder / "broken.md").write_text("---\ntitle: 坏\n---\n\n正文。\n\n![图](missing.png)\n", "utf-8")
    (folder / "glyph.md").write_text("---\ntitle: 字\n---\n\n正文\U000F0000。\n", "utf-8")
    good = [folder / "guide.md", folder / "wuge-yinling.txt"]
    out = tmp_path / "dist"
    result = run_cli("build", str(good[0]), str(folder / "broken.md"), str(folder / "glyph.md"), str(good[1]),
                     "--format", "pdf", "--out", str(out), "--scheduler", scheduler)
    assert result.returncode in (EXIT_INPUT, EXIT_BUILD), result.stderr
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("error:"))
    assert errors == [f"error: {folder / 'broken.md'}: image 'missing.png' is missing",
                      f"error: {folder / 'glyph.md'}: character '\U000F0000' (U+F0000) in section 1, block 1 is missing "
                      f"from the fonts"], result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["guide.pdf", "wuge-yinling.pdf"]
    finished = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(finished) == 4 and sum(line.split()[2] == "failed" for line in finished) == 2
    assert "Traceback" not in result.stderr


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "dist"
    result = run_cli("build", str(ROOT / "source" / "guide.md"), "--format", "pdf", "--out", str(out),
                     "--scheduler", f"tcp://127.0.0.1:{port}", env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert result.returncode == EXIT_BUILD
    assert result.stderr.startswith(f"error: pipeline: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: ")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert not out.exists()
    malformed = run_cli("build", str(ROOT / "source" / "guide.md"), "--format", "pdf", "--out", str(out),
                        "--scheduler", "127.0.0.1")
    assert malformed.returncode == EXIT_USAGE
    assert malformed.stderr == ("error: pipeline: --scheduler takes a scheduler's address, tcp://HOST:PORT, "
                                "not '127.0.0.1'\n")


def test_make_pdf_sends_its_batch_to_the_cluster(scheduler, tmp_path):
    """make pdf SCHEDULER=...: the out-of-date PDFs are built on the cluster, and a
    second run, nothing changed, asks it nothing."""
    import subprocess

    from conftest import clean_env, copy_project

    project = copy_project(tmp_path, with_make=True)

    def make():
        return subprocess.run(["make", "pdf", f"SCHEDULER={scheduler}"], cwd=project, env=clean_env(),
                              capture_output=True, text=True, timeout=600)

    first = make()
    assert first.returncode == 0, first.stderr
    sources = sorted(p for p in (project / "source").iterdir() if p.suffix in (".txt", ".md", ".docx"))
    assert f"--scheduler {scheduler}" in first.stdout
    assert f"[{len(sources)}/{len(sources)}]" in first.stderr
    for source in sources:
        assert (project / "dist" / f"{source.stem}.pdf").read_bytes().startswith(b"%PDF")
    again = make()
    assert again.returncode == 0 and "pipeline" not in again.stdout, again.stdout

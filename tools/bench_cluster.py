"""Scaling out, for `make bench` (item 9) and docs/scaling.md's measured run: N
generated articles to PDF on this machine's cores, three ways, in one run:

- one process per article, `make -j2 BATCH=0 pdf` (the old way);
- one run with two warm worker processes, `make -j2 pdf`;
- `build --scheduler` on a LocalCluster of two worker processes (one thread each)
  on 127.0.0.1, started beforehand: its first run pays the workers' imports and font
  loading as the batch does; later runs find them warm, as a long-lived cluster's
  workers are.

The ways take turns (ROUNDS times; the best of each is kept). Each figure is wall
seconds of the whole command; the peak memory is the largest resident set of any
one process of the run (a worker's, for the batch and the cluster).
`python tools/bench_cluster.py N [ROUNDS]` prints the figures for N articles."""
from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ENV, PY, make_project, pages  # noqa: E402  (tools/ is not a package)


def _worker_peak() -> int:
    """In a Dask worker: its peak resident memory so far, KiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, the largest peak resident set of any process of the run, MiB):
    the run's processes are looked at every 50 ms (the batch's workers come from a
    fork server that nobody waits for, so getrusage's children miss them)."""
    import psutil

    start = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    highest = 0
    while process.poll() is None:
        for child in [process, *process.children(recursive=True)]:
            try:
                status = Path(f"/proc/{child.pid}/status").read_text()
            except OSError:  # it has just ended
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    highest = max(highest, int(line.split()[1]))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return seconds, highest / 1024


def ways(tmp: Path, count: int, per_process: bool = True, rounds: int = 2) -> dict:
    """{way: (wall seconds, peak MiB of one process[, the client's])} for `count`
    articles, and their pages and the machine's load before and after. The ways
    take turns, `rounds` times (the best time of each is kept), so that a machine
    whose load changes meanwhile slows them all alike; the cluster's cold run comes
    first, on workers that have built nothing yet."""
    import os

    from distributed import Client, LocalCluster

    project = make_project(tmp / f"scale-out-{count}", count)
    sources = sorted(str(p.relative_to(project)) for p in (project / "source").glob("*.md"))
    figures: dict = {"load": [os.getloadavg()[0]]}

    def run(label: str, command: list[str], scheduler: str | None = None) -> None:
        shutil.rmtree(project / "dist", ignore_errors=True)
        shutil.rmtree(project / ".build", ignore_errors=True)
        seconds, mib = measured(command, project)
        if scheduler:  # measured() saw the client; the workers are the cluster's, asked here
            with Client(scheduler, set_as_default=False) as client:
                workers = client.run(_worker_peak)
            mib = (max(workers.values()) / 1024, mib)
        best = figures.get(label)
        figures[label] = (seconds, mib) if best is None or seconds < best[0] else best

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        command = [str(PY), "-m", "pipeline", "build", *sources, "--format", "pdf", "--out", "dist", "--quiet",
                   "--scheduler", address]
        run("cluster_cold", command, address)
        for _ in range(rounds):
            if per_process:
                run("per_process", ["make", "-j2", "pdf", "BATCH=0"])
            run("warm", ["make", "-j2", "pdf"])
            figures["pages"] = sum(pages(pdf) for pdf in (project / "dist").glob("*.pdf"))
            run("cluster_warm", command, address)
    figures["load"].append(os.getloadavg()[0])
    return figures


def report(figures: dict, count: int) -> list[str]:
    lines = [f"{count} articles, {figures['pages']} pages, PDF, 2 cores, best of each way's turns (load average "
             f"{figures['load'][0]:.1f} before, {figures['load'][1]:.1f} after):"]
    base = figures["warm"][0]
    if "per_process" in figures:
        seconds, mib = figures["per_process"]
        lines.append(f"  make -j2 BATCH=0 pdf (one process per article): {seconds:.1f} s, "
                     f"{count / seconds:.2f} articles/s, peak {mib:.0f} MiB; {seconds / base:.2f}x the warm batch")
    seconds, mib = figures["warm"]
    lines.append(f"  make -j2 pdf (two warm workers): {seconds:.1f} s, {count / seconds:.2f} articles/s, "
                 f"peak {mib:.0f} MiB")
    for label, what in (("cluster_cold", "workers cold"), ("cluster_warm", "workers warm")):
        seconds, (worker, client) = figures[label]
        lines.append(f"  --scheduler, LocalCluster of 2 ({what}): {seconds:.1f} s, {count / seconds:.2f} articles/s, "
                     f"{seconds / base:.2f}x the warm batch; peak {worker:.0f} MiB a worker, client {client:.0f} MiB")
    return lines


def item(tmp: Path, count: int = 24) -> None:
    """`make bench`'s item 9: the warm batch and the cluster on `count` articles."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("9. cluster: dask.distributed is not installed (the cluster extra): not measured")
        return
    lines = report(ways(tmp, count, per_process=False), count)
    print("9. cluster, " + "\n   ".join(line.strip() for line in lines))


if __name__ == "__main__":
    import tempfile

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        print("\n".join(report(ways(Path(name), count, rounds=rounds), count)))
    print(f"(the whole measurement: {time.perf_counter() - start:.0f} s)")

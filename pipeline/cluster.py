"""Builds on a Dask distributed cluster (build --scheduler tcp://HOST:PORT): each
source becomes a Task (pipeline/task.py) carrying its files' bytes, a worker runs
it and sends back the output's bytes, and this client writes them atomically into
the out folder, so the workers need no shared file system, only this package (the
same version) installed. Progress is reported as the local batch reports it
(pipeline/progress.py Progress).

A source that fails reports its one line and the others go on; the run then exits
with the first failure's code. A worker that dies takes its task with it: the
scheduler gives the task to another worker, up to its allowed-failures (Dask's
`distributed.scheduler.allowed-failures`, 3 by default), and a task that raised
something unforeseen is tried again RETRIES times (a worker running out of memory,
say). Only so many tasks are in flight at once (IN_FLIGHT per worker thread), so
that 100,000 sources are not all read into memory and sent to the scheduler first.

dask and distributed are imported here only: they take a second to import, which
a local build should not pay."""
from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

from .errors import EXIT_BUILD, EXIT_USAGE, UserError, os_error_line

# How long to try to reach the scheduler; Dask's own setting, where it is set, wins.
CONNECT_TIMEOUT = "10s"
TIMEOUT_SETTING = "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT"
# What the client can be pointed at: a scheduler's TCP (or TLS) address with its port.
ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+):\d{1,5}")
RETRIES = 2
IN_FLIGHT = 2
LARGE = 1 << 20  # bytes of a task's files beyond which it is scattered first


def task_size(task) -> int:
    files = [task.source, task.manifest, task.pages_from, task.profile]
    return sum(len(f.data or b"") for f in files if f is not None) + sum(map(len, task.images.values()))


def connect(address: str):
    """A client of the scheduler at `address`, or a UserError saying why not."""
    import logging

    if not ADDRESS.fullmatch(address):
        # Checked here: a client given a malformed address fails only as it is collected.
        raise UserError(None, f"--scheduler takes a scheduler's address, tcp://HOST:PORT, not {address!r}",
                        exit_code=EXIT_USAGE)
    try:
        from distributed import Client
    except ImportError:
        raise UserError(None, "--scheduler needs Dask: pip install 'zh-pipeline[cluster]'",
                        exit_code=EXIT_USAGE) from None
    # distributed logs each failed connection attempt on stderr: the one line below says it.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        return Client(address, timeout=os.environ.get(TIMEOUT_SETTING, CONNECT_TIMEOUT), set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(None, f"cannot reach the Dask scheduler at {address}: {reason}",
                        exit_code=EXIT_BUILD) from None


def build_on_cluster(args) -> int:
    """Build every source of `args` on the cluster at args.scheduler; the first
    failure's exit code if any failed."""
    client = connect(args.scheduler)
    try:
        return _build(client, args)
    finally:
        client.close()


def _build(client, args) -> int:
    from distributed import as_completed

    from .progress import Progress
    from .files import atomic_write
    from .task import Result, prepare, run_task

    progress = Progress(len(args.sources))
    failed = 0
    run = uuid.uuid4().hex[:8]  # keys unique on a cluster other clients share
    options = dict(fmt=args.format, page=args.page, manifest=args.manifest, press=args.press,
                   variant=args.variant, embed_fonts=args.embed_fonts, pages_from=args.pages_from,
                   profile=args.press_profile, writing=args.writing)

    def report(result: Result) -> None:
        nonlocal failed
        if result.data is not None:
            try:
                atomic_write(Path(args.out) / result.filename, result.data)
            except OSError as exc:
                result = Result(result.source, error=f"error: {os_error_line(exc, args.out)}",
                                exit_code=EXIT_BUILD)
        for line in [*([] if args.quiet else result.lines), *([result.error] if result.error else [])]:
            progress.say(line)
        failed = failed or result.exit_code
        progress.finished(result.source, result.error is None)

    sources = iter(enumerate(args.sources))
    running = as_completed(loop=client.loop)
    owner = {}

    def submit_next() -> None:
        """Send the next source that gets as far as a task (the others are reported)."""
        for number, source in sources:
            task = prepare(source, **options)
            if isinstance(task, Result):
                report(task)
                continue
            # A large task (a long source, big images) goes to a worker first and the
            # build refers to it: the scheduler is no store for megabytes (and Dask
            # warns on stderr of a large graph).
            data = client.scatter(task, hash=False) if task_size(task) > LARGE else task
            future = client.submit(run_task, data, key=f"zh-pipeline-{run}-{number}-{Path(source).name}",
                                   pure=False, retries=RETRIES)
            owner[future.key] = (str(Path(source)), data)
            running.add(future)
            return

    try:
        for _ in range(max(4, IN_FLIGHT * sum(client.nthreads().values()))):
            submit_next()
        for future in running:
            try:
                result = future.result()
            except Exception as exc:  # the worker died too often, or the task broke: this source's
                source = owner[future.key][0]
                reason = (str(exc).splitlines() or [""])[0]
                result = Result(source, error=f"error: {source}: the cluster could not build it "
                                              f"({type(exc).__name__}: {reason})", exit_code=EXIT_BUILD)
            del owner[future.key]  # and with it a scattered task
            future.release()
            report(result)
            submit_next()
        return failed
    finally:
        progress.close()

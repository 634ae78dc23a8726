"""Many sources in one run: warm worker processes, each importing WeasyPrint and
loading the fonts once (a warm build of the sample takes about half a cold one's
time), one line per finished source, and a failing source that stops only itself."""
from __future__ import annotations

import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from .errors import EXIT_BUILD, UserError
from .interrupt import install


def default_jobs(environ=os.environ) -> int:
    """make's -jN when make runs us (it passes it in MAKEFLAGS), else the cores."""
    match = re.search(r"(?:^|\s)(?:-j|--jobs=)(\d+)", environ.get("MAKEFLAGS", ""))
    return int(match.group(1)) if match else (os.cpu_count() or 1)


def _one(build_one, args, source):
    """In a worker: the stderr lines of one build, or its one-line error and exit code."""
    try:
        return build_one(args, source), None, 0
    except UserError as exc:
        return [], f"error: {exc}", exc.exit_code
    except OSError as exc:  # a full disk, a read-only folder: the environment's, and this source's
        return [], f"error: {exc.filename or source}: {exc.strerror or exc}", EXIT_BUILD


def build_all(args, build_one) -> int:
    """Build every source of `args`; the first failure's exit code if any failed."""
    jobs = min(args.jobs or default_jobs(), len(args.sources))
    failed = 0
    start = time.monotonic()

    def report(number: int, source, result) -> None:
        nonlocal failed
        lines, error, code = result
        for line in lines:
            print(line, file=sys.stderr)
        if error:
            print(error, file=sys.stderr)
            failed = failed or code
        # One plain line per finished source: what a log or a pipe can show.
        print(f"[{number}/{len(args.sources)}] {source} {'failed' if error else 'built'} "
              f"({time.monotonic() - start:.1f} s)", file=sys.stderr, flush=True)

    if jobs == 1:
        for number, source in enumerate(args.sources, 1):
            report(number, source, _one(build_one, args, source))
        return failed
    # forkserver: workers start from a clean interpreter, not a copy of this one's threads.
    # Each worker handles Ctrl-C as the command does: its unfinished output removed, quietly.
    with ProcessPoolExecutor(jobs, mp_context=get_context("forkserver"), initializer=install) as pool:
        futures = {pool.submit(_one, build_one, args, source): source for source in args.sources}
        for number, future in enumerate(as_completed(futures), 1):
            report(number, futures[future], future.result())
    return failed

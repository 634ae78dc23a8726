"""Many sources in one run: warm worker processes, each importing WeasyPrint and
loading the fonts once (a warm build of the sample takes about half a cold one's
time), one line per finished source, and a failing source that stops only itself."""
from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from .errors import EXIT_BUILD, UserError, os_error_line
from .interrupt import install
from .progress import Progress


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
        return [], f"error: {os_error_line(exc, source)}", EXIT_BUILD


def build_all(args, build_one) -> int:
    """Build every source of `args`; the first failure's exit code if any failed."""
    jobs = min(args.jobs or default_jobs(), len(args.sources))
    progress = Progress(len(args.sources))
    failed = 0

    def report(source, result) -> None:
        nonlocal failed
        lines, error, code = result
        for line in [*lines, *([error] if error else [])]:
            progress.say(line)
        failed = failed or code
        progress.finished(source, error is None)

    try:
        if jobs == 1:
            for source in args.sources:
                report(source, _one(build_one, args, source))
            return failed
        # forkserver: workers start from a clean interpreter, not a copy of this one's
        # threads; each handles Ctrl-C as the command does (unfinished output removed).
        with ProcessPoolExecutor(jobs, mp_context=get_context("forkserver"), initializer=install) as pool:
            futures = {pool.submit(_one, build_one, args, source): source for source in args.sources}
            for future in as_completed(futures):
                report(futures[future], future.result())
        return failed
    finally:
        progress.close()

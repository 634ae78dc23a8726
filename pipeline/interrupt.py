"""Interrupts (Ctrl-C, SIGTERM) end a build at any moment, cleanly.

Raising KeyboardInterrupt is not enough: Python raises it wherever the main thread
happens to be, and inside a callback from C (cffi) it is printed and ignored, or
start-up code catches it. So the handler raises nothing: it removes the temporary
files registered by pipeline.files, stops the child processes, says so on stderr
and ends the process with 128 + the signal (130, 143). Outputs are only ever
renamed into place, so the previous output stays. The one step that must not be
cut in two, registering a temporary file or renaming it into place, is a critical
section: a signal arriving there waits for its end."""
from __future__ import annotations

import os
import signal
import threading

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_temporaries: set[str] = set()
_critical: set[int] = set()  # threads inside a critical section
_deferred: list[int] = []


def install() -> None:
    for signum in SIGNALS:
        signal.signal(signum, _handler)


def register(path: str) -> None:
    _temporaries.add(path)


def release(path: str) -> None:
    _temporaries.discard(path)


class critical:
    """`with critical():` a signal arriving inside is handled on the way out."""

    def __enter__(self):
        _critical.add(threading.get_ident())
        return self

    def __exit__(self, *exc):
        _critical.discard(threading.get_ident())
        if _deferred and not _critical:
            _handler(_deferred[0], None)
        return False


def pending() -> bool:
    """Has a signal arrived that a critical section holds back? (Then do not commit.)"""
    return bool(_deferred)


def _handler(signum, frame) -> None:
    if _critical:
        _deferred.append(signum)
        return
    for path in list(_temporaries):
        try:
            os.unlink(path)
        except OSError:
            pass
    _stop_children()
    try:
        os.write(2, b"interrupted: unfinished outputs were discarded, earlier ones kept\n")
    except OSError:
        pass
    os._exit(128 + signum)


def _stop_children() -> None:
    """ldconfig, pdftoppm, git: whatever this process started and is still running."""
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/children") as handle:
                children = handle.read().split()
        except OSError:
            continue
        for child in children:
            try:
                os.kill(int(child), signal.SIGTERM)
            except (OSError, ValueError):
                pass

"""Watching the build's inputs (watchfiles): each batch of changed files becomes
the targets to build again, handed to the worker."""
from __future__ import annotations

import threading
from pathlib import Path

from .targets import Project, touched


class Watcher(threading.Thread):
    def __init__(self, project: Project, want):
        super().__init__(name="preview-watcher", daemon=True)
        self.project, self.want = project, want
        self.stopping = threading.Event()

    def run(self) -> None:
        from watchfiles import watch

        # step: a save is taken 30 ms after its last write (an editor's write, rename
        # and chmod come as one batch); debounce: a long burst is cut at 300 ms.
        changes = watch(*self.project.watched(), stop_event=self.stopping, debounce=300, step=30,
                        rust_timeout=500, raise_interrupt=False)
        for batch in changes:
            targets = touched(self.project, {Path(path) for _, path in batch})
            if targets:
                self.want(targets)

    def stop(self) -> None:
        self.stopping.set()

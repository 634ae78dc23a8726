"""A small bounded memo for warm processes (the preview, a batch's workers): what
they make again and again from the same bytes (a source's load, a cover, a face's
subset, a compressed font stream) is kept, the least recently used dropped first."""
from __future__ import annotations

import threading
from collections import OrderedDict


class Kept:
    """The last `size` values by key; safe to share between threads (fix 11's)."""

    def __init__(self, size: int):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

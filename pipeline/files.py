"""Writing files: the one way every output, cache entry and draft reaches the disk."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import interrupt


def atomic_write(target: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a partial file.
    An interrupt before the rename removes the temporary file and keeps the previous
    target (pipeline/interrupt.py)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with interrupt.critical():
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        interrupt.register(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        with interrupt.critical():
            if not interrupt.pending():  # interrupted meanwhile: the handler removes tmp on exit
                os.replace(tmp, target)
                interrupt.release(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        interrupt.release(tmp)
        raise

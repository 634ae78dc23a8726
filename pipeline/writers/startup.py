"""Importing WeasyPrint quickly.

WeasyPrint's ffi module tries up to six names for each of its seven native
libraries. For every name dlopen does not take, cffi asks ctypes.util.find_library,
which on Linux runs `ldconfig -p` and then gcc and ld in subprocesses: 22 lookups,
about 0.3 s of every PDF build spent before any work (measured: 0.74 s import
without this, 0.45 s with it). One `ldconfig -p` listing answers every lookup the
way find_library's own first method does; the compiler fallbacks only find
libraries the dynamic loader cannot load by that name anyway."""
from __future__ import annotations

import ctypes.util
import re
import subprocess
import sys
from contextlib import contextmanager


def _ldconfig_listing() -> str:
    try:
        return subprocess.run(["ldconfig", "-p"], capture_output=True, text=True,
                              timeout=10, env={"LC_ALL": "C", "LANG": "C"}).stdout
    except (OSError, subprocess.SubprocessError):
        try:  # not on PATH for a non-root user on some systems
            return subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True,
                                  timeout=10, env={"LC_ALL": "C", "LANG": "C"}).stdout
        except (OSError, subprocess.SubprocessError):
            return ""


@contextmanager
def _one_ldconfig_listing():
    original = ctypes.util.find_library
    listing: list[str] = []

    def find_library(name: str) -> str | None:
        if not listing:
            listing.append(_ldconfig_listing())
        match = re.search(r"\s(lib%s\.so[^\s]*)\s" % re.escape(name), listing[0])
        return match.group(1) if match else None

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint():
    """The weasyprint module, imported with the quick library lookup on Linux."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint
        return weasyprint
    with _one_ldconfig_listing():
        import weasyprint
    return weasyprint

"""Importing WeasyPrint quickly: the start-up fixes of writers/weasy.py, each measured.

1. Start-up. WeasyPrint's ffi module tries up to six names for each of its seven
   native libraries. For every name dlopen does not take, cffi asks
   ctypes.util.find_library, which on Linux runs `ldconfig -p` and then gcc and ld
   in subprocesses: 22 lookups, 0.3 s of every PDF build before any work (import
   0.74 s without the fix, 0.36 s with it). One `ldconfig -p` listing answers every
   lookup the way find_library's own first method does; the compiler fallbacks only
   find libraries the dynamic loader could not load by that name anyway.
9. C declarations. WeasyPrint declares its 450 lines of C to cffi in ABI mode,
   which imports pycparser and parses them in every process: about a third of the
   import. `_declared_once` answers that one cdef from cffi's out-of-line form of
   the same declarations (a Python module of pre-parsed types, written beside the
   venv's other files the first time and keyed by the declarations and cffi's
   version), which loads in a few milliseconds.
10. fontTools. WeasyPrint imports fontTools' subsetter and variable-font instancer
   for its fallbacks (no HarfBuzz subsetter; a variable font), which the print
   edition's static CJK faces never take: 0.06-0.12 s of every process.
   `_font_tools_on_first_use` imports them when first used instead.
13. Hint and form stylesheets. WeasyPrint parses its presentational-hints and forms
   stylesheets at import (9 ms), for options no build here uses:
   `_hint_sheets_on_first_use` parses them on first use instead."""
from __future__ import annotations

import ctypes.util
import hashlib
import os
import re
import subprocess
import sys
from contextlib import contextmanager, nullcontext, redirect_stdout
from pathlib import Path


def _ldconfig_listing() -> str:
    for command in ("ldconfig", "/sbin/ldconfig"):  # not on a normal user's PATH everywhere
        try:
            return subprocess.run([command, "-p"], capture_output=True, text=True, timeout=10,
                                  env={"LC_ALL": "C", "LANG": "C"}).stdout
        except (OSError, subprocess.SubprocessError):
            continue
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


DECLARED = Path(sys.prefix) / "share" / "zh-pipeline"  # the out-of-line declarations (fix 9)


class _OneCdef:
    """What weasyprint.text.ffi gets for cffi.FFI(): its one cdef call is answered
    by the out-of-line module of those declarations; everything else is the real
    FFI's (and, after the import, the real FFI replaces this everywhere)."""

    def __init__(self, real_ffi):
        self.real, self._real_ffi = None, real_ffi

    def cdef(self, source: str, **options):
        import cffi

        if self.real is not None or options:  # not the one plain cdef this is for
            raise RuntimeError("writers/weasy.py fix 9 expects WeasyPrint's one cdef call")
        key = hashlib.sha256(f"{cffi.__version__}\0{source}".encode()).hexdigest()[:16]
        module = DECLARED / f"weasyprint_ffi_{key}.py"
        self.real = _load_declared(module)
        if self.real is None:
            self.real = self._real_ffi()
            self.real.cdef(source)
            _write_declared(self._real_ffi, source, module)

    def dlopen(self, name, flags=0):
        """The real FFI's library, kept loaded for the process's life: an
        out-of-line FFI's library is closed (dlclose) when its object goes, and at
        exit that can come before the last objects whose destructors call into it
        (a crash in the final collection). A second handle from ctypes, which never
        closes its libraries, keeps the code mapped."""
        import ctypes

        library = self.real.dlopen(name, flags)
        for path in (name, ctypes.util.find_library(name)):
            try:
                _PINNED.append(ctypes.CDLL(path, mode=flags | os.RTLD_NOW))
                break
            except (OSError, TypeError):
                continue
        return library

    def __getattr__(self, name):
        if self.real is None:
            raise AttributeError(name)
        return getattr(self.real, name)


_PINNED: list = []  # ctypes handles of WeasyPrint's libraries (_OneCdef.dlopen)


def _load_declared(module: Path):
    import importlib.util

    if not module.is_file():
        return None
    spec = importlib.util.spec_from_file_location(module.stem, module)
    loaded = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(loaded)
    except Exception:  # noqa: BLE001 - a damaged file: parse the declarations as WeasyPrint does
        return None
    return loaded.ffi


def _write_declared(real_ffi, source: str, module: Path) -> None:
    """cffi's out-of-line ABI module of `source`, for the next process; where the
    venv is read-only, every process parses the declarations as before."""
    import tempfile

    tmp = None
    try:
        module.parent.mkdir(parents=True, exist_ok=True)
        builder = real_ffi()
        builder.cdef(source)
        builder.set_source(module.stem, None)  # None: ABI mode, pure Python, no compiler
        fd, tmp = tempfile.mkstemp(dir=module.parent, suffix=".tmp")
        os.close(fd)
        with open(os.devnull, "w") as quiet, redirect_stdout(quiet):  # cffi says "generating FILE"
            builder.emit_python_code(tmp)
        os.replace(tmp, module)
    except Exception:  # noqa: BLE001 - only a speed-up: without it the declarations are parsed each time
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def _declared_once():
    import cffi

    original = cffi.FFI
    made: list[_OneCdef] = []

    def ffi_for_weasyprint(*args, **kwargs):
        if args or kwargs or made:
            return original(*args, **kwargs)
        made.append(_OneCdef(original))
        return made[0]

    cffi.FFI = ffi_for_weasyprint
    try:
        yield
    finally:
        cffi.FFI = original
    if made and made[0].real is not None:  # every module that took the stand-in gets the real FFI
        for name, module in list(sys.modules.items()):
            if name.startswith("weasyprint") and getattr(module, "ffi", None) is made[0]:
                module.ffi = made[0].real


def _instantiate_variable_font(*args, **kwargs):
    from fontTools.varLib.instancer import instantiateVariableFont

    return instantiateVariableFont(*args, **kwargs)


@contextmanager
def _font_tools_on_first_use():
    """fontTools.subset becomes a lazy module (it loads on first attribute use, for
    WeasyPrint and the EPUB's font subsetting alike); the instancer, imported by
    name, is answered with a function that imports it when called. Only while
    WeasyPrint imports: whatever imports the instancer later gets the real one."""
    import importlib.util
    import types

    import fontTools

    if "fontTools.subset" not in sys.modules:
        spec = importlib.util.find_spec("fontTools.subset")
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules["fontTools.subset"] = module
        spec.loader.exec_module(module)
        fontTools.subset = module
    name, stand_in = "fontTools.varLib.instancer", None
    if name not in sys.modules:
        stand_in = types.ModuleType(name)
        stand_in.instantiateVariableFont = _instantiate_variable_font
        sys.modules[name] = stand_in
    try:
        yield
    finally:
        if stand_in is not None and sys.modules.get(name) is stand_in:
            del sys.modules[name]


@contextmanager
def _hint_sheets_on_first_use():
    """Two of WeasyPrint's user-agent stylesheets are parsed at its import and used
    only on request: presentational hints (`presentational_hints=True`) and forms
    (`forms=True`), which no build here asks for. While it imports, their texts
    parse to nothing; the first request for them parses them for real."""
    import importlib.util

    import tinycss2

    # found without importing WeasyPrint, which must import inside the other fixes
    sheets = Path(importlib.util.find_spec("weasyprint").origin).parent / "css"
    deferred = {(sheets / name).read_text("utf-8") for name in ("html5_ph.css", "html5_ua_form.css")}
    original = tinycss2.parse_stylesheet

    def parse_stylesheet(css, *args, **kwargs):
        return [] if not args and not kwargs and css in deferred else original(css, *args, **kwargs)

    tinycss2.parse_stylesheet = parse_stylesheet
    try:
        yield
    finally:
        tinycss2.parse_stylesheet = original
    import weasyprint
    from weasyprint import html

    def ph_stylesheets(self):
        if not getattr(html, "_hints_parsed", False):
            html.PH_STYLESHEET, html._hints_parsed = weasyprint.CSS(string=html.PH), True
        return [html.PH_STYLESHEET]

    def ua_stylesheets(self, forms=False):
        if forms and not getattr(html, "_forms_parsed", False):
            html.UA_FORM_STYLESHEET = weasyprint.CSS(string=html.UA_FORM, counter_style=html.UA_COUNTER_STYLE)
            html._forms_parsed = True
        return [html.UA_STYLESHEET, html.UA_FORM_STYLESHEET] if forms else [html.UA_STYLESHEET]

    weasyprint.HTML._ph_stylesheets = ph_stylesheets
    weasyprint.HTML._ua_stylesheets = ua_stylesheets


@contextmanager
def quick_import():
    """Around WeasyPrint's first import: fixes 1, 9, 10 and 13."""
    with _declared_once(), _font_tools_on_first_use(), _hint_sheets_on_first_use(), \
            (_one_ldconfig_listing() if sys.platform.startswith("linux") else nullcontext()):
        yield

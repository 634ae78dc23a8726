"""What a fresh process pays before its first page, item by item (docs/scaling.md):
`python tools/bench_startup.py [RUNS]`. Each run is a new interpreter; the figures
are medians over the runs.

- the interpreter itself (`python -c pass`);
- importing WeasyPrint as the pipeline does (pipeline/writers/weasy.py), and within
  it the time cffi spends parsing C declarations (FFI.cdef) and opening the native
  libraries (FFI.dlopen); `-X importtime` names the modules slowest to import;
- fontconfig's start (WeasyPrint's FontConfiguration);
- parsing the print stylesheets;
- the first font load: a line of Han text laid out and written the first time,
  less the same again in the same process;
- the sample's whole PDF build, first in the process against again (the rest of
  what a warm worker saves), and its peak resident memory."""
from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ENV, PY, ROOT, SAMPLE  # noqa: E402  (tools/ is not a package)

PROBE = r"""
import json, sys, time
start = time.perf_counter()
import cffi

spent = {"cdef": 0.0, "dlopen": 0.0}

def timed(name, original):
    def call(*args, **kwargs):
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - began
    return call

cffi.FFI.cdef = timed("cdef", cffi.FFI.cdef)
cffi.FFI.dlopen = timed("dlopen", cffi.FFI.dlopen)
marks = [time.perf_counter()]
from pipeline.writers.weasy import import_weasyprint
weasyprint = import_weasyprint()
marks.append(time.perf_counter())
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
marks.append(time.perf_counter())
from pipeline.writers.pdf import PAGE_SIZES, print_stylesheets
sheets = [weasyprint.CSS(string=text, font_config=fonts) for text in print_stylesheets("zh-Hans", PAGE_SIZES["A5"], False)]
marks.append(time.perf_counter())
html = '<html lang="zh-Hans"><body><h1>标题</h1><p>中文排版的第一行字，逗号、句号。</p></body></html>'
for _ in range(2):
    weasyprint.HTML(string=html).render(stylesheets=sheets, font_config=fonts).write_pdf()
    marks.append(time.perf_counter())
from pathlib import Path
from pipeline.build import build
for number in range(2):
    build(Path(sys.argv[1]), "pdf", Path(sys.argv[2]) / str(number), state=Path(sys.argv[2]) / "state")
    marks.append(time.perf_counter())
steps = [b - a for a, b in zip(marks, marks[1:])]
print(json.dumps({"before_probe": start, "import": steps[0], "cdef": spent["cdef"], "dlopen": spent["dlopen"],
                  "fontconfig": steps[1], "stylesheets": steps[2], "first_font": steps[3] - steps[4],
                  "tiny_page_warm": steps[4], "sample_first": steps[5], "sample_again": steps[6]}))
"""


def probe(tmp: Path) -> dict:
    began = time.time()
    out = subprocess.run([str(PY), "-c", PROBE, str(SAMPLE), str(tmp)], cwd=ROOT, env=ENV, check=True,
                         capture_output=True, text=True).stdout
    figures = json.loads(out.splitlines()[-1])
    return figures


def interpreter(runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([str(PY), "-c", "pass"], check=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def heaviest_imports(count: int = 8) -> list[tuple[str, float]]:
    """The modules whose own import (without the modules they import) takes longest,
    in one run of -X importtime."""
    err = subprocess.run([str(PY), "-X", "importtime", "-c",
                          "from pipeline.writers.weasy import import_weasyprint; import_weasyprint()"],
                         cwd=ROOT, env=ENV, check=True, capture_output=True, text=True).stderr
    own = []
    for line in err.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            self_us, _, name = (part.strip() for part in line[len("import time:"):].split("|"))
            own.append((name, int(self_us) / 1e6))
    return sorted(own, key=lambda item: -item[1])[:count]


def sample_peak_mib() -> float:
    from bench import peak

    with tempfile.TemporaryDirectory() as name:
        _, kib = peak([str(PY), "-m", "pipeline", "build", str(SAMPLE), "--format", "pdf", "--out", name,
                       "--state", f"{name}/state"])
    return kib / 1024


if __name__ == "__main__":
    import os

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    load = os.getloadavg()[0]
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as name:
            samples.append(probe(Path(name)))
    median = {key: statistics.median(s[key] for s in samples) for key in samples[0] if key != "before_probe"}
    print(f"start-up, medians of {runs} fresh processes (load average {load:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after):")
    print(f"  interpreter (python -c pass): {interpreter(runs):.3f} s")
    print(f"  import WeasyPrint as the pipeline does: {median['import']:.3f} s, of which cffi parsing C "
          f"declarations {median['cdef']:.3f} s and opening the libraries {median['dlopen']:.3f} s")
    print("  slowest modules' own import (-X importtime, self): "
          + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in heaviest_imports()))
    print(f"  fontconfig start (FontConfiguration): {median['fontconfig']:.3f} s")
    print(f"  print stylesheets parsed: {median['stylesheets']:.3f} s")
    print(f"  first font load (a line of Han text, first less second): {median['first_font']:.3f} s "
          f"(the line again: {median['tiny_page_warm']:.3f} s)")
    print(f"  the sample's PDF build, first in the process: {median['sample_first']:.3f} s; again: "
          f"{median['sample_again']:.3f} s")
    print(f"  peak resident memory of the sample's cold build (whole process): {sample_peak_mib():.0f} MiB")

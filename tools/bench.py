"""`make bench`: the pipeline measured against its peers in the same run.

1. the sample article to PDF: our pipeline against pandoc reading the same file
   (-f markdown+east_asian_line_breaks --pdf-engine=weasyprint), whole-process wall time;
2. our overhead: the pipeline against WeasyPrint alone rendering the pipeline's HTML;
3. the sample to EPUB;
4. scale: generated books of about 100 and 1,000 pages: wall time, pages per second,
   peak memory (of the larger process, and of its processes together: a long book is
   laid out in two halves at once), against the same book in one process (--jobs 1);
5. `make -j2` on many articles against a serial build;
6. a Word document of 100 A4 pages in 公文 style (`--docx` runs this one alone): the
   time to read it to the tree, against python-docx alone reading its paragraphs' text
   (and pandoc reading it to its own tree, where pandoc is installed).
7. the live preview: a warm rebuild of the sample's PDF in one process, and from
   saving its manifest to the open page in headless Chromium showing the change;
8. batches: `make -j2 pdf` on 24 articles, one process per article against warm workers.
9. a cluster: the same 24 articles through `build --scheduler` on a LocalCluster of
   two worker processes, against the warm batch of 8. (tools/bench_cluster.py).

Every figure is the median of a few runs; ratios compare runs made side by side.
"""
from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = ROOT / ".venv" / "bin" / "python"
SAMPLE = ROOT / "source" / "wuge-yinling.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
ENV = dict(os.environ, PATH=f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}", SOURCE_DATE_EPOCH="1700000000")


def wall(*commands: list[str], runs: int = 7, cwd: Path = ROOT) -> list[float]:
    """Median wall time of each command; runs interleave (A B C A B C ...) so that
    drift in the machine's speed falls on all of them alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(command, cwd=cwd, env=ENV, check=True, capture_output=True)
            times[index].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def peak(command: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """(wall seconds, peak resident memory in KiB) of one run: of its largest
    process. The run happens in a fresh helper process so that getrusage's maximum
    over children is this run's."""
    seconds, largest, _ = _measured(command, cwd, sample=False)
    return seconds, largest


def peak_and_sum(command: list[str], cwd: Path = ROOT) -> tuple[float, int, int]:
    """peak(), and the peak of the proportional set sizes of the run's processes
    summed (KiB), sampled every 250 ms (reading them costs the run a little time):
    what a run of several processes (a book in halves) holds, pages they share
    counted once."""
    return _measured(command, cwd, sample=True)


def _measured(command: list[str], cwd: Path, sample: bool) -> tuple[float, int, int]:
    helper = ("import resource, subprocess, sys, time\n"
              "def pss(pid):\n"
              "    try:\n"
              "        kids = open(f'/proc/{pid}/task/{pid}/children').read().split()\n"
              "        rows = open(f'/proc/{pid}/smaps_rollup').read().splitlines()\n"
              "    except OSError:\n"
              "        return 0\n"
              "    own = sum(int(r.split()[1]) for r in rows if r.startswith('Pss:'))\n"
              "    return own + sum(pss(int(k)) for k in kids)\n"
              "sample = sys.argv[1] == '1'\n"
              "start = time.perf_counter()\n"
              "run = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
              "most = 0\n"
              "while sample and run.poll() is None:\n"
              "    most = max(most, pss(run.pid))\n"
              "    time.sleep(0.25)\n"
              "assert run.wait() == 0, run.returncode\n"
              "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, most)\n")
    out = subprocess.run([sys.executable, "-c", helper, "1" if sample else "0", *command], cwd=cwd, env=ENV,
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def standalone_html(tmp: Path) -> Path:
    """The HTML the pipeline hands WeasyPrint, with its stylesheets inlined."""
    code = (
        "import sys; from pathlib import Path\n"
        "from pipeline.build import load\n"
        "from pipeline.render import render_print\n"
        "from pipeline.writers.pdf import PAGE_SIZES, print_stylesheets, set_paragraphs\n"
        "_, a = load(Path(sys.argv[1])); size = PAGE_SIZES['A5']\n"
        "css = ''.join(print_stylesheets(a.lang, size))\n"
        "html = render_print(a, set_paragraphs(a, size)).replace('</head>', '<style>' + css + '</style></head>')\n"
        "Path(sys.argv[2]).write_text(html, 'utf-8')\n")
    target = tmp / "page.html"
    subprocess.run([str(PY), "-c", code, str(SAMPLE), str(target)], cwd=ROOT, env=ENV, check=True)
    return target


def generated_articles(folder: Path, count: int) -> list[str]:
    """Markdown articles made from the corpus (or from the sample when it is absent)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [json.loads(p.read_text("utf-8")) for p in sorted(CORPUS.glob("*.json"))] if CORPUS.exists() else []
    if not texts:
        paragraphs = [l for l in SAMPLE.read_text("utf-8").split("\n\n") if len(l) > 40]
        texts = [{"title": "样稿", "sections": [{"heading": "正文", "subheading": None,
                                                "paragraphs": [p.replace("\n", "") for p in paragraphs]}]}]
    names = []
    for number in range(count):
        article = texts[number % len(texts)]
        lines = ["---", f"title: 第{number + 1}篇 {article['title']}", "---", ""]
        for section in article["sections"]:
            heading = section["heading"] or section["subheading"]
            if heading:
                lines += [f"## {heading}", ""]
            for paragraph in section["paragraphs"]:
                lines += [paragraph, ""]
        name = f"a{number:04d}"
        (folder / f"{name}.md").write_text("\n".join(lines), "utf-8")
        names.append(name)
    return names


def book_of(project: Path, names: list[str], label: str) -> Path:
    (project / "books").mkdir(exist_ok=True)
    book = project / "books" / f"{label}.toml"
    book.write_text(f'[book]\ntitle = "基准测试 {label}"\narticles = {json.dumps(names, ensure_ascii=False)}\n', "utf-8")
    return book


def scale(tmp: Path, target_pages: int, per_article: float) -> dict:
    project = tmp / f"scale-{target_pages}"
    count = max(1, round(target_pages / per_article))
    names = generated_articles(project / "source", count)
    book = book_of(project, names, f"book{target_pages}")
    # each run with a state of its own: neither finds the articles' trees and lines cached
    seconds, memory, together = peak_and_sum([str(PY), "-m", "pipeline", "build", str(book), "--format", "pdf",
                                              "--out", str(project / "dist"), "--state", str(project / "s1")])
    count_pages = pages(project / "dist" / f"book{target_pages}.pdf")
    one, _ = peak([str(PY), "-m", "pipeline", "build", str(book), "--format", "pdf", "--jobs", "1",
                   "--out", str(project / "one"), "--state", str(project / "s2")])
    return {"pages": count_pages, "seconds": seconds, "pages_per_second": count_pages / seconds,
            "peak_mib": memory / 1024, "together_mib": together / 1024, "one_process": one,
            "articles": count, "project": project, "book": book, "names": names}


def book_after_articles(small: dict) -> float:
    """The small book built again once its articles' own PDFs are built (the book then
    takes their trees and lines from .build/cache): wall seconds of the book alone."""
    project, dist = small["project"], small["project"] / "dist"
    sources = [str(project / "source" / f"{name}.md") for name in small["names"]]
    subprocess.run([str(PY), "-m", "pipeline", "build", *sources, "--format", "pdf", "--out", str(dist),
                    "--quiet"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    seconds, _ = peak([str(PY), "-m", "pipeline", "build", str(small["book"]), "--format", "pdf",
                       "--out", str(dist)])
    return seconds


def make_project(project: Path, count: int) -> Path:
    """A project of `count` generated articles that make can build: this checkout's
    Makefile, code, styles and venv linked in."""
    generated_articles(project / "source", count)
    for item in ("Makefile", "pipeline", "styles", "tools", "pyproject.toml", ".venv"):
        (project / item).symlink_to(ROOT / item)
    return project


def batch(tmp: Path, count: int = 24) -> tuple[float, float]:
    """`make -j2 pdf` on `count` generated articles: one process per article (BATCH=0,
    the old way) against one run with two warm workers (the default); wall seconds."""
    project = make_project(tmp / "batch", count)
    times = {}
    for way in ("BATCH=0", "BATCH=1", "BATCH=0", "BATCH=1"):  # interleaved, the better of two each
        shutil.rmtree(project / "dist", ignore_errors=True)
        shutil.rmtree(project / ".build", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(["make", "-j2", "pdf", way], cwd=project, env=ENV, check=True, capture_output=True)
        times[way] = min(times.get(way, 1e9), time.perf_counter() - start)
    return times["BATCH=0"], times["BATCH=1"]


def parallel(tmp: Path) -> tuple[float, float]:
    project = make_project(tmp / "many", 12)
    times = {}
    for jobs in ("-j1", "-j2"):
        shutil.rmtree(project / "dist", ignore_errors=True)
        shutil.rmtree(project / ".build", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(["make", jobs, "pdf", "epub"], cwd=project, env=ENV, check=True, capture_output=True)
        times[jobs] = time.perf_counter() - start
    return times["-j1"], times["-j2"]


def warm_pdf(tmp: Path) -> float:
    """The sample's PDF rebuilt in a process that has built it once (as the preview's
    server does): median of five builds."""
    code = ("import statistics, sys, time; from pathlib import Path; from pipeline.build import build\n"
            "args = (Path(sys.argv[1]), 'pdf', Path(sys.argv[2]))\n"
            "build(*args, state=Path(sys.argv[3]))\n"
            "times = []\n"
            "for _ in range(5):\n"
            "    start = time.perf_counter(); build(*args, state=Path(sys.argv[3])); times.append(time.perf_counter() - start)\n"
            "print(statistics.median(times))\n")
    out = subprocess.run([str(PY), "-c", code, str(SAMPLE), str(tmp / "warm"), str(tmp / "warm-state")], cwd=ROOT,
                         env=ENV, check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def save_to_page(tmp: Path, runs: int = 5) -> tuple[float, str]:
    """`python -m pipeline preview` on a copy of the sample, its page open in headless
    Chromium: from writing the manifest to the page showing the change, print pages
    and EPUB documents loaded. Median of `runs` saves a few seconds apart; and the
    server's own account of its last build."""
    from playwright.sync_api import sync_playwright

    project = tmp / "preview"
    for folder in ("source", "books"):
        shutil.copytree(ROOT / folder, project / folder)
    manifest = project / "source" / "wuge-yinling.toml"
    original = manifest.read_text("utf-8")
    log = project / "server.log"
    server = subprocess.Popen([str(PY), "-m", "pipeline", "preview", "source/wuge-yinling.txt", "--port", "0"],
                              cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
    try:
        url = server.stdout.readline().split()[1]
        shown = ("(title) => { const imgs = [...document.querySelectorAll('#pages img')];"
                 " const frames = [...document.querySelectorAll('#spine iframe')];"
                 " return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0)"
                 " && frames.length > 0 && frames.every(f => f.contentDocument && f.contentDocument.readyState"
                 " === 'complete') && frames.some(f => f.contentDocument.body"
                 " && f.contentDocument.body.textContent.includes(title)); }")
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "a/wuge-yinling/")
            page.wait_for_function(shown, arg="凝聚职工奋进力量", timeout=300_000)
            for run in range(runs):
                time.sleep(3)  # the editor reads; the server finishes the download's page-list
                title = f"预览第{run + 1}稿"
                start = time.perf_counter()
                manifest.write_text(original.replace("[article]\n", f'[article]\ntitle = "{title}"\n'), "utf-8")
                page.wait_for_function(shown, arg=title, timeout=300_000, polling=10)
                times.append(time.perf_counter() - start)
            browser.close()
    finally:
        server.send_signal(2)
        server.wait(timeout=120)
    built = [line for line in log.read_text("utf-8").splitlines() if line.startswith("built ")]
    return statistics.median(times), built[-1] if built else "no build line"


def ensure_pandoc() -> bool:
    if shutil.which("pandoc"):
        return True
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "pandoc"], capture_output=True)
    return shutil.which("pandoc") is not None


def hundred_page_docx(path: Path) -> int:
    """A 公文-style .docx of about 100 A4 pages (22 lines of 28 characters at 16 pt):
    numbered headings in 黑体 and 楷体, body paragraphs with bold runs, a footnote a
    page, a table every ten pages. Returns its characters."""
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Pt

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    sentence = "各编辑室要严格执行三审三校制度，稿件在各环节之间交接时须登记交接时间和经手人，"
    document = docx.Document()
    document.core_properties.title = "编辑流程手册"

    def para(text: str, font: str = "仿宋_GB2312", size: float = 16, bold_part: str = ""):
        p = document.add_paragraph()
        for piece, bold in ((bold_part, True), (text, False)):
            if piece:
                run = p.add_run(piece)
                run.font.size, run.bold = Pt(size), bold or None
                run._element.get_or_add_rPr().get_or_add_rFonts().set(f"{{{w}}}eastAsia", font)
        return p

    para("编辑流程手册", "方正小标宋简体", 22).alignment = 1
    chars, notes = 0, []
    for page in range(1, 101):
        if page % 10 == 1:
            para(f"{'一二三四五六七八九十'[page // 10]}、第{page // 10 + 1}部分", "黑体")
        para(f"（{'一二三四五六七八九十'[(page - 1) % 10]}）第{page}项要求", "楷体_GB2312")
        for n in range(7):
            p = para(sentence * 2 + "不得口头交接。", bold_part=f"{n + 1}.要点。" if n == 0 else "")
            chars += len(sentence) * 2 + 7
        p.add_run()._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{w}" w:id="{page}"/>'))
        notes.append(f'<w:footnote w:id="{page}"><w:p><w:r><w:t>第{page}页的注释。</w:t></w:r></w:p></w:footnote>')
        if page % 10 == 0:
            table = document.add_table(rows=4, cols=3)
            for r in range(4):
                for c in range(3):
                    table.cell(r, c).text = f"第{r}行第{c}列"
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    xml = f'<w:footnotes xmlns:w="{w}">{"".join(notes)}</w:footnotes>'.encode()
    document.part.relate_to(Part(PackURI("/word/footnotes.xml"), "application/vnd.openxmlformats-officedocument."
                                 "wordprocessingml.footnotes+xml", xml, document.part.package), RT.FOOTNOTES)
    document.save(str(path))
    return chars


def docx_reading(tmp: Path) -> None:
    """6.: reading a 100-page .docx to the tree, in this process (what a build spends
    on it), against python-docx alone."""
    sys.path.insert(0, str(ROOT))
    import docx

    from pipeline.model import to_json
    from pipeline.readers import read

    path = tmp / "hundred.docx"
    chars = hundred_page_docx(path)
    read(path)  # imports and caches warmed: the build's cost per document is what follows

    def median(function, runs: int = 7) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    ours = median(lambda: to_json(read(path).article))
    alone = median(lambda: [p.text for p in docx.Document(str(path)).paragraphs])
    tree = to_json(read(path).article)
    print(f"6. 100-page .docx ({chars:,} characters, {len(tree['sections'])} top sections, "
          f"{len(tree.get('footnotes', []))} footnotes) -> tree: {ours:.2f} s (target < 1 s); "
          f"python-docx alone reading the paragraphs' text: {alone:.2f} s; ratio {ours / alone:.2f}x")
    if shutil.which("pandoc"):
        theirs, = wall(["pandoc", "-f", "docx", "-t", "json", str(path), "-o", str(tmp / "pandoc.json")], runs=5)
        print(f"   pandoc reading it to its own tree (whole process): {theirs:.2f} s")


def main() -> int:
    if "--docx" in sys.argv:
        with tempfile.TemporaryDirectory() as name:
            docx_reading(Path(name))
        return 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        html = standalone_html(tmp)
        ours_cmd = [str(PY), "-m", "pipeline", "build", str(SAMPLE), "--format", "pdf", "--out", str(tmp)]
        alone_cmd = [str(ROOT / ".venv" / "bin" / "weasyprint"), "--pdf-variant", "pdf/ua-1", str(html),
                     str(tmp / "alone.pdf")]
        pandoc_cmd = ["pandoc", "-f", "markdown+east_asian_line_breaks", "--pdf-engine=weasyprint",
                      "--metadata", "title=sample", str(SAMPLE), "-o", str(tmp / "pandoc.pdf")]
        # WeasyPrint alone again, imported the way the pipeline imports it
        # (pipeline/writers/weasy.py): what remains is the pipeline's own work.
        quick_cmd = [str(PY), "-c", "import sys; from pipeline.writers.weasy import import_weasyprint; "
                     "import_weasyprint().HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], pdf_variant='pdf/ua-1')",
                     str(html), str(tmp / "quick.pdf")]
        have_pandoc = ensure_pandoc()
        if have_pandoc:
            ours, alone, quick, theirs = wall(ours_cmd, alone_cmd, quick_cmd, pandoc_cmd)
        else:
            ours, alone, quick = wall(ours_cmd, alone_cmd, quick_cmd)
        print(f"1. sample -> PDF, ours: {ours:.2f} s", end="")
        if have_pandoc:
            print(f"; pandoc + WeasyPrint: {theirs:.2f} s; ratio {ours / theirs:.2f}x (target <= 0.9x)")
        else:
            print("; pandoc is not installed and cannot be (not root): no comparison")
        ours_mib = peak(ours_cmd)[1] / 1024
        line = f"   peak memory of 1.: ours {ours_mib:.0f} MiB"
        if have_pandoc:  # pandoc's route: the largest of pandoc and the WeasyPrint it runs
            line += f", pandoc + WeasyPrint {peak(pandoc_cmd)[1] / 1024:.0f} MiB"
        print(line)
        print(f"2. WeasyPrint alone on our HTML: {alone:.2f} s; our overhead {100 * (ours / alone - 1):+.0f}% "
              f"(target <= +10%)")
        print(f"   the same, WeasyPrint imported as the pipeline imports it: {quick:.2f} s; "
              f"the pipeline's own work {100 * (ours / quick - 1):+.0f}%")
        if have_pandoc:
            print(f"   floor for 1.: WeasyPrint alone on our page is {quick / theirs:.2f}x pandoc's whole route")
        epub, = wall([str(PY), "-m", "pipeline", "build", str(SAMPLE), "--format", "epub", "--out", str(tmp)])
        print(f"3. sample -> EPUB: {epub:.2f} s (target < 0.5 s)")
        docx_reading(tmp)
        warm = warm_pdf(tmp)
        print(f"7. preview: warm rebuild of the sample's PDF {warm:.2f} s (target <= 0.6 s; "
              f"{warm / ours:.2f}x the cold build of 1.)")
        page_seconds, last = save_to_page(tmp)
        print(f"   save to updated page (print pages included), headless Chromium: {page_seconds:.2f} s "
              f"(target <= 1 s); server: {last}")
        if "--quick" in sys.argv:
            return 0
        small = scale(tmp, 100, 4.0)
        print(f"4. book of {small['pages']} pages ({small['articles']} articles): {small['seconds']:.1f} s, "
              f"{small['pages_per_second']:.1f} pages/s, peak {small['peak_mib']:.0f} MiB "
              f"(its processes together {small['together_mib']:.0f} MiB); in one process (--jobs 1) "
              f"{small['one_process']:.1f} s, {small['one_process'] / small['seconds']:.2f}x the time")
        reused = book_after_articles(small)
        print(f"   the same book after its articles' PDF builds (their trees and lines reused): "
              f"{reused:.1f} s, {100 * (1 - reused / small['seconds']):.0f}% less")
        large = scale(tmp, 1000, small["pages"] / small["articles"])
        ratio = large["seconds"] / (small["seconds"] * large["pages"] / small["pages"])
        print(f"   book of {large['pages']} pages ({large['articles']} articles): {large['seconds']:.1f} s, "
              f"{large['pages_per_second']:.1f} pages/s (target >= 40), peak {large['peak_mib']:.0f} MiB "
              f"(its processes together {large['together_mib']:.0f} MiB; target < 700 MiB); in one process "
              f"(--jobs 1) {large['one_process']:.1f} s, {large['pages'] / large['one_process']:.1f} pages/s; "
              f"time per page {ratio:.2f}x the small book's (target <= 1.1x), peak memory target < 1024 MiB")
        per_process, warm = batch(tmp)
        print(f"8. make -j2 pdf, 24 articles: one process per article {per_process:.1f} s, one run with warm "
              f"workers {warm:.1f} s; speed-up {per_process / warm:.2f}x (target >= 1.8x)")
        if have_pandoc:  # each of the two workers builds half: 2 x wall / 24 worker-seconds an article
            per_article = 2 * warm / 24
            print(f"   per article inside the batch: {per_article:.2f} worker-seconds; pandoc + WeasyPrint, one "
                  f"article (1.): {theirs:.2f} s; {per_article / theirs:.2f}x (target <= 0.5x)")
        from bench_cluster import item  # the cluster's figures, beside the batch's

        item(tmp)
        serial, two = parallel(tmp)
        print(f"5. make pdf epub, 12 articles: -j1 {serial:.1f} s, -j2 {two:.1f} s; speed-up {serial / two:.2f}x "
              f"(target close to 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

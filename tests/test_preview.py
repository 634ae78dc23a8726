"""`python -m pipeline preview`: a server on a copy of the project, opened in headless
Chromium. Saving a manifest or a Markdown file updates the open page by itself (the
test never reloads it); a broken manifest shows the build's one error line and the
pages come back when it is fixed; paths outside the outputs get 404; SIGINT leaves no
child process and no temporary file. No timing is asserted: waits are generous, the
speed is measured in `make bench`."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT, copy_project, run_cli

pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
              pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")]
WAIT = 90_000  # ms: a build on a busy two-core machine takes seconds; this is no speed test
SHOTS = ROOT / ".build" / "screenshots"
SOURCES = ["source/wuge-yinling.txt", "source/guide.md", "source/workflow-notice.docx", "books/anthology.toml"]


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


class Server:
    def __init__(self, project: Path):
        self.project = project
        self.process = subprocess.Popen([sys.executable, "-m", "pipeline", "preview", *SOURCES, "--port", "0"],
                                        cwd=project, env=clean_env(), stdout=subprocess.PIPE,
                                        stderr=open(project / "server.log", "w"), text=True)
        line = self.process.stdout.readline()  # printed once listening
        match = re.match(r"preview: (http://127\.0\.0\.1:(\d+)/)", line)
        assert match, (line, (project / "server.log").read_text())
        self.url, self.port = match.group(1), int(match.group(2))

    def get(self, path: str) -> tuple[int, bytes]:
        """A raw request: the path goes out exactly as written (a browser would
        normalize dots away)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{self.port}")
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("preview"))
    outside = project.parent / "outside.txt"
    outside.write_text("在外面的文件。\n", "utf-8")
    (project / "source" / "outside.txt").symlink_to(outside)  # a link out of source/
    return project


@pytest.fixture(scope="module")
def server(project):
    server = Server(project)
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait()


@pytest.fixture(autouse=True)
def server_log_of_the_test(request):
    """The lines the server logged during a test, printed after it: pytest shows them
    only for a test that failed, so a save the page never showed explains itself
    (seen once: no "built guide" after guide.md was saved)."""
    if "server" not in request.fixturenames:
        yield
        return
    log = request.getfixturevalue("project") / "server.log"
    start = log.stat().st_size if log.exists() else 0
    yield
    if log.exists():
        with open(log, "rb") as f:
            f.seek(start)
            print("server log during the test:\n" + f.read().decode("utf-8", "replace")[-6000:])


def frames_text(page) -> str:
    """The text of every EPUB document shown in the reading view."""
    return page.evaluate("[...document.querySelectorAll('#spine iframe')].map(f => f.contentDocument"
                         " && f.contentDocument.body ? f.contentDocument.body.textContent : '').join('\\n')")


def wait_text(page, text: str) -> None:
    """Until a document of the reading view shows `text` (the page updating itself)."""
    page.wait_for_function("text => [...document.querySelectorAll('#spine iframe')].some(f => f.contentDocument"
                           " && f.contentDocument.body && f.contentDocument.body.textContent.includes(text))",
                           arg=text, timeout=WAIT)


# (the EPUB document at the top of the reading column, how far down into it)
PLACE = """(() => {
    const column = document.querySelector('.reading'), top = column.scrollTop;
    const frame = [...document.querySelectorAll('#spine iframe')].find(f => f.offsetTop + f.offsetHeight > top);
    return [frame.dataset.href, top - frame.offsetTop];
})()"""


def wait_built(page, name: str) -> None:
    """The page shows its target built: print pages loaded, EPUB documents loaded."""
    page.wait_for_function("""() => {
        const imgs = [...document.querySelectorAll('#pages img')];
        const frames = [...document.querySelectorAll('#spine iframe')];
        return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) && frames.length > 0
            && frames.every(f => f.contentDocument && f.contentDocument.readyState === 'complete'
                                 && f.contentDocument.body && f.contentDocument.body.textContent.length > 0);
    }""", timeout=WAIT)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_start_page_lists_sources_and_books(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url)
    summary = page.locator('li[data-name="wuge-yinling"] .summary')
    summary.filter(has_text="39 paragraphs, 5 headings placed").wait_for(timeout=WAIT)
    page.locator('li[data-name="guide"] .summary').filter(has_text="paragraphs").wait_for(timeout=WAIT)
    page.locator('li[data-name="anthology"] .summary').filter(has_text="pages").wait_for(timeout=WAIT)
    page.locator('li[data-name="workflow-notice"] .summary').filter(has_text="paragraphs").wait_for(timeout=WAIT)
    assert page.locator('li[data-name="guide"] a.pdf').get_attribute("href").startswith("/a/guide/guide.pdf")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "preview-index.png"), full_page=True)
    page.close()


def test_manifest_change_updates_the_open_page(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + "a/wuge-yinling/")
    wait_built(page, "wuge-yinling")
    assert "预览改题" not in frames_text(page)
    before = page.eval_on_selector_all("#pages img", "els => els.map(e => e.dataset.tag)")
    page.evaluate("window.kept = 'not reloaded'; document.querySelector('.reading').scrollTop = 1500")
    place = page.evaluate(PLACE)
    assert place[0] and place[1] > 0  # scrolled into a document below the title page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "preview-article.png"))  # README's docs/preview.png
    # the editor overrides the article's title in the manifest
    edit(server.project / "source" / "wuge-yinling.toml", "[article]\n", '[article]\ntitle = "预览改题"\n')
    wait_text(page, "预览改题")
    wait_built(page, "wuge-yinling")
    assert page.evaluate("window.kept") == "not reloaded"
    after = page.eval_on_selector_all("#pages img", "els => els.map(e => e.dataset.tag)")
    assert after != before and len(after) == len(before)  # the print pages were replaced too
    # the reader's place: the same document at the top of the column, as far into it,
    # though the title page above it changed height
    now = page.evaluate(PLACE)
    assert now[0] == place[0] and abs(now[1] - place[1]) < 4, (place, now)
    page.close()


def test_markdown_change_updates_the_open_page(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + "a/guide/")
    wait_built(page, "guide")
    page.evaluate("window.kept = 'not reloaded'")
    edit(server.project / "source" / "guide.md", "## 准备稿件", "## 准备稿件和图片")
    wait_text(page, "准备稿件和图片")
    assert page.evaluate("window.kept") == "not reloaded"
    page.close()


def test_word_file_saved_again_updates_the_open_page(server, browser, tmp_path):
    """An editor checking a Word import saves the document again from Word: the open
    page shows the new text (Word's owner file ~$NAME.docx beside it is no input)."""
    from docx import Document

    source = server.project / "source" / "workflow-notice.docx"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + "a/workflow-notice/")
    wait_built(page, "workflow-notice")
    page.evaluate("window.kept = 'not reloaded'")
    (server.project / "source" / "~$rkflow-notice.docx").write_bytes(b"\x00" * 162)  # Word's owner file
    document = Document(str(source))
    paragraph = next(p for p in document.paragraphs if len(p.text) > 20)
    paragraph.runs[-1].text += "预览改稿"
    saved = tmp_path / "saved.docx"
    document.save(str(saved))
    os.replace(saved, source)
    wait_text(page, "预览改稿")
    assert page.evaluate("window.kept") == "not reloaded"
    page.close()


def test_a_word_file_and_its_manifest_are_its_inputs(project):
    """Saving a Word file or its sidecar manifest rebuilds it (and the books listing
    it); Word's owner file ~$NAME.docx and LibreOffice's lock rebuild nothing."""
    from pipeline.preview.targets import project as targets_of
    from pipeline.preview.targets import touched

    targets = targets_of([Path(s) for s in SOURCES], project)
    for name in ("workflow-notice.docx", "workflow-notice.toml"):
        assert "workflow-notice" in [t.name for t in touched(targets, {project / "source" / name})]
    for name in ("~$rkflow-notice.docx", ".~lock.workflow-notice.docx#"):
        assert touched(targets, {project / "source" / name}) == []


def test_broken_manifest_shows_the_build_error_then_recovers(server, browser, tmp_path):
    manifest = server.project / "source" / "wuge-yinling.toml"
    good = manifest.read_text("utf-8")
    broken = good.replace('date = "2022-12-20"', 'date = "2022-12-20"\nissue = 7')
    # the line the build prints for it, from the same folder as the server
    manifest.write_text(broken, "utf-8")
    expected = run_cli("build", "source/wuge-yinling.txt", "--format", "pdf", "--out", str(tmp_path),
                       cwd=server.project)
    assert expected.returncode == 3
    line = expected.stderr.strip()
    assert line.startswith("error: source/wuge-yinling.toml") and "\n" not in line

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    index = browser.new_page()
    page.goto(server.url + "a/wuge-yinling/")
    index.goto(server.url)
    page.locator("header .error").filter(has_text=line).wait_for(timeout=WAIT)
    assert page.locator("header .error").inner_text() == line
    index.locator('li[data-name="wuge-yinling"] .error').filter(has_text=line).wait_for(timeout=WAIT)
    assert page.eval_on_selector_all("#pages img", "els => els.length") == 0
    page.evaluate("window.kept = 'not reloaded'")
    manifest.write_text(good, "utf-8")
    wait_built(page, "wuge-yinling")
    assert page.locator("header .error").is_hidden()
    assert page.evaluate("window.kept") == "not reloaded"
    index.close()
    page.close()


def test_proof_page_for_raw_sources(server):
    pytest.importorskip("pipeline.proof")
    status, body = server.get("/a/wuge-yinling/proof")
    assert status == 200 and b"<html" in body.lower()
    assert server.get("/a/guide/proof")[0] == 404  # Markdown sources have none


@pytest.mark.parametrize("path", [
    "/../../etc/passwd", "/a/wuge-yinling/../../../../etc/passwd", "/a/wuge-yinling/epub/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd", "/a/wuge-yinling/epub/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/%252e%252e/%252e%252e/etc/passwd", "/a/wuge-yinling/epub/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/a/%2e%2e/%2e%2e/etc/passwd", "/_/..%2fserver.py", "/_/../../pipeline/preview/server.py",
    "/a/outside/", "/a/outside/outside.pdf", "/source/wuge-yinling.txt", "/a/wuge-yinling/wuge-yinling.toml",
    "/a/wuge-yinling/wuge-yinling.txt", "/a/", "/a/wuge-yinling/epub/", "/a/wuge-yinling/epub/EPUB/",
    "/_/", "/.build/preview/out/wuge-yinling.pdf", "/a/wuge-yinling/page-0.png", "/a/wuge-yinling/page-99.png",
])
def test_paths_outside_the_outputs_are_404(server, path):
    status, body = server.get(path)
    assert status == 404, (path, body[:200])
    assert b"root:" not in body and "在外面".encode() not in body


def test_only_project_files_are_previewed(project):
    result = run_cli("preview", "source/outside.txt", "--port", "0", cwd=project)  # the link out of source/
    assert result.returncode == 2 and result.stderr.startswith("error: source/outside.txt")
    assert len(result.stderr.strip().splitlines()) == 1
    result = run_cli("preview", str(ROOT / "pyproject.toml"), "--port", "0", cwd=project)
    assert result.returncode == 2 and result.stderr.startswith("error: ")


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def mentioning(folder: Path) -> list[int]:
    """Processes whose command line names `folder` (pdftoppm's do)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(folder).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_sigint_stops_cleanly(server, project):
    before = sorted(p.relative_to(project) for p in (project / "source").rglob("*"))
    # Stop it in the middle of a build, with pdftoppm running if that can be caught.
    edit(project / "source" / "guide.md", "## 准备稿件和图片", "## 准备稿件")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not children_of(server.process.pid):
        time.sleep(0.01)
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=120) == 0, (project / "server.log").read_text()
    time.sleep(0.2)
    assert mentioning(project) == []
    preview = project / ".build" / "preview"
    leftovers = [p for p in preview.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("pages-")]
    assert leftovers == []
    assert sorted(p.relative_to(project) for p in (project / "source").rglob("*")) == before  # nothing written there
    assert "Traceback" not in (project / "server.log").read_text()


def test_make_preview_serves_every_source_and_book(tmp_path):
    project = copy_project(tmp_path, with_make=True)
    (project / "source" / "extra.md").write_text("---\ntitle: 另一篇\n---\n\n正文。\n", "utf-8")
    result = subprocess.run(["make", "-n", "preview", "PORT=0"], cwd=project, env=clean_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    command = [line for line in result.stdout.splitlines() if "-m pipeline preview" in line]
    assert len(command) == 1
    for name in ("source/wuge-yinling.txt", "source/guide.md", "source/extra.md", "source/workflow-notice.docx",
                 "books/anthology.toml"):
        assert f" {name}" in command[0], command
    assert command[0].endswith("--port 0")

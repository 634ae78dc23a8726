"""The proof page (pipeline/proof.py): self-contained, every decision `normalize
--report` lists highlighted at its line in headless Chromium, usable at a phone's
width and a desktop's, paragraphs linked to their source lines; `make proof` writes
one page per raw source into proof/, not dist/. Screenshots go to .build/screenshots/."""
from __future__ import annotations

import os
import re
import subprocess

import pytest
from conftest import ROOT, SOURCE, copy_project, run_cli
from newspaper import ambiguous_page

from pipeline.proof import proof_page

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
PREVIEW = ROOT / ".build" / "screenshots"

# A column with a short line that does not end a sentence (a low-confidence break)
# and two displaced heading lines left unplaced.
SHORT_LINE = """标题

前不久，成都市双流区总工会在
大飞机示范产业园、川开电器、太极制
药等企业园区相继开展活动
劳动者围坐在一起学习。听完讲座围绕
“高质量发展”等方面作的阐释，大家纷
纷点头，表示豁然开朗、很受启发。

走进基层一线、走到职工的心里
面，成都市双流区总工会开展的分享
交流活动是全川工会系统的缩影。

强化政治引领

点亮勇毅前行指路明灯
"""


@pytest.fixture
def cases(tmp_path):
    short = tmp_path / "short.txt"
    short.write_text(SHORT_LINE, "utf-8")
    found = {"short": short, "sample": SOURCE / "wuge-yinling.txt"}
    page = ambiguous_page(tmp_path)
    if page is not None:
        found["generated"] = page
    return found


def report_lines(source):
    result = run_cli("normalize", str(source), "--report")
    assert result.returncode == 0, result.stderr
    out = []
    for line in result.stdout.splitlines():
        match = re.match(rf"{re.escape(str(source))}:(\d+)?:? (0\.\d\d) (.+)$", line)
        assert match, line
        out.append((match.group(1), match.group(2), match.group(3)))
    return out


def test_page_is_self_contained_and_counts_what_the_normalizer_found():
    page = proof_page(SOURCE / "wuge-yinling.txt")
    for outside in ("<link", " src=", "@import", "url(", "http://", "https://"):
        assert outside not in page, outside
    assert page.count('<p class="para">') == 39
    assert page.count('class="runin"') == 3 + 1  # three heads, and the legend
    assert "5 headings placed" in page
    # the manifest's placements are shown with where they go
    assert page.count("placed by the manifest before line") == 10


def test_text_is_escaped(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("标题\n\n正文<script>alert(1)</script>写在这里。\n", "utf-8")
    page = proof_page(source)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_cli_writes_the_page_and_refuses_markdown(tmp_path):
    out = tmp_path / "p.html"
    result = run_cli("proof", str(SOURCE / "wuge-yinling.txt"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8") == proof_page(SOURCE / "wuge-yinling.txt")
    bad = run_cli("proof", str(SOURCE / "guide.md"))
    assert bad.returncode == 3 and bad.stderr.startswith("error: ") and len(bad.stderr.splitlines()) == 1



HIGHLIGHT = """([line, message]) => {
    const items = [...document.querySelectorAll(line ? `li.decision.low[data-line="${line}"]`
                                                     : '.general .decision.low')];
    const item = items.find(el => el.querySelector('.msg').textContent === message);
    if (!item) return null;
    const box = item.getBoundingClientRect();
    const source = line ? document.getElementById('L' + line) : null;
    return {background: getComputedStyle(item).backgroundColor, width: box.width, height: box.height,
            sourceBackground: source ? getComputedStyle(source).backgroundColor : null,
            rowLow: line ? item.closest('.row').classList.contains('has-low') : true};
}"""


def test_every_reported_decision_is_highlighted(browser, cases, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    checked = 0
    for name, source in cases.items():
        html = tmp_path / f"{name}.html"
        html.write_text(proof_page(source), "utf-8")
        page.goto(html.as_uri())
        reported = report_lines(source)
        # no more low decisions highlighted than --report lists
        assert page.eval_on_selector_all("li.decision.low", "els => els.length") == len(reported), name
        for line, confidence, message in reported:
            found = page.evaluate(HIGHLIGHT, [line, message])
            assert found, (name, line, message)
            assert found["width"] > 0 and found["height"] > 0, (name, line)
            assert found["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), found
            assert found["rowLow"], (name, line)
            if line:
                assert found["sourceBackground"] not in ("rgba(0, 0, 0, 0)", "transparent"), found
            shown = page.evaluate("""([line, message]) => [...document.querySelectorAll('li.decision.low')]
                .filter(el => el.querySelector('.msg').textContent === message)
                .map(el => el.querySelector('.conf').textContent)""", [line, message])
            assert confidence in shown
            checked += 1
    assert checked >= 1  # the short-line case always has one
    page.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_fits_the_screen_and_links_paragraphs_to_their_lines(browser, cases, tmp_path, width):
    PREVIEW.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=dict(zip(("width", "height"), WIDTHS[width])))
    for name, source in cases.items():
        html = tmp_path / f"{name}.html"
        html.write_text(proof_page(source), "utf-8")
        page.goto(html.as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} overflows at {width} width"
        targets = page.eval_on_selector_all(".para .src-link", "els => els.map(e => e.hash.slice(1))")
        assert targets and all(page.evaluate("id => !!document.getElementById(id)", t) for t in targets)
        if name == "sample":
            page.screenshot(path=str(PREVIEW / f"proof-wuge-yinling-{width}.png"))
    # the filter leaves only the rows with low-confidence decisions
    page.goto((tmp_path / "short.html").as_uri())
    page.check("#only-low")
    visible = page.eval_on_selector_all(".row", "rows => rows.filter(r => r.offsetParent !== null).length")
    assert visible == page.eval_on_selector_all(".row.has-low", "rows => rows.length") >= 1
    page.close()


def test_make_proof_writes_one_page_per_raw_source(tmp_path):
    project = copy_project(tmp_path, with_make=True)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    result = subprocess.run(["make", "proof"], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    pages = sorted(p.name for p in (project / "proof").iterdir())
    assert pages == sorted(f"{p.stem}.html" for p in (project / "source").glob("*.txt"))
    assert not (project / "dist").exists()
    again = subprocess.run(["make", "proof"], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "pipeline" not in again.stdout

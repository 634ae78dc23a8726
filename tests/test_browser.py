"""The files where readers open them: headless Chromium (Debian's, driven by
Playwright) at a phone width (390 px) and a desktop width. Nothing overflows
sideways, every catalog link resolves, contents links land on their headings.
A few screenshots are kept under .build/screenshots/ for an editor to glance at (not in
dist/, which holds only what is published)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT
from lxml import etree

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
PREVIEW = ROOT / ".build" / "screenshots"
X = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}



@pytest.fixture(scope="module")
def unpacked(site):
    """The published site with each EPUB unpacked, as a reading system sees it."""
    for epub in site.glob("*.epub"):
        with zipfile.ZipFile(epub) as archive:
            archive.extractall(site / f"{epub.stem}.unpacked")
    PREVIEW.mkdir(parents=True, exist_ok=True)
    return site


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_epub_documents_fit_the_screen(browser, unpacked, width):
    page = browser.new_page(viewport=dict(zip(("width", "height"), WIDTHS[width])))
    documents = sorted(unpacked.glob("*.unpacked/EPUB/*.xhtml"))
    assert len(documents) > 20
    for document in documents:
        page.goto(document.as_uri())
        assert overflow(page) <= 0, f"{document.relative_to(unpacked)} overflows at {width} width"
    for name in ("wuge-yinling.unpacked/EPUB/sec-2.xhtml", "guide.unpacked/EPUB/sec-5.xhtml"):
        page.goto((unpacked / name).as_uri())
        page.screenshot(path=str(PREVIEW / f"{name.split('.')[0]}-{Path(name).stem}-{width}.png"))
    page.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_catalog_page(browser, unpacked, width):
    page = browser.new_page(viewport=dict(zip(("width", "height"), WIDTHS[width])))
    page.goto((unpacked / "index.html").as_uri())
    assert overflow(page) <= 0
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.currentSrc, e.naturalWidth])")
    assert links and all(Path(url.removeprefix("file://")).is_file() for url in links), links
    assert images and all(width > 0 for _, width in images), images  # every cover loaded
    page.screenshot(path=str(PREVIEW / f"index-{width}.png"), full_page=True)
    page.close()


def test_contents_links_land_on_their_headings(browser, unpacked):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for nav in sorted(unpacked.glob("*.unpacked/EPUB/nav.xhtml")):
        tree = etree.parse(str(nav))
        hrefs = tree.xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=X)
        labels = tree.xpath("//x:nav[@epub:type='toc']//x:a/text()", namespaces=X)
        for href, label in zip(hrefs, labels):
            target = nav.parent / href.split("#")[0]
            page.goto(target.as_uri() + ("#" + href.split("#")[1] if "#" in href else ""))
            # a link to a whole document lands on the section it holds (id = file name)
            # or, for a title or preface page, on its first heading
            found = page.evaluate("""(stem) => {
                const id = location.hash.slice(1) || stem;
                const el = document.getElementById(id) || document.querySelector('h1, h2, h3');
                if (!el) return null;
                const box = el.getBoundingClientRect();
                return {text: el.textContent, top: box.top, tag: el.tagName};
            }""", Path(href.split("#")[0]).stem)
            assert found, f"{nav.parent.parent.name}: {href} has no target"
            assert label in found["text"] or found["tag"].upper() == "SPAN", (href, label, found)
            # on screen: at the top, or lower when the document is too short to scroll it there
            assert -2 < found["top"] < 844, (href, found)
    page.close()

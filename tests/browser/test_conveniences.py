"""Small conveniences of the site: the source download button, "Cite this book", the print stylesheet.

* Every page's header has the theme's download menu, and its source entry links a file that
  exists in the built site (``_sources/…``: the ``.ipynb`` or ``.md`` the page is built from),
  over HTTP and from ``file://``.
* The landing page has a "Cite this book" BibTeX entry (title and author from ``_config.yml``, the
  version note computed at build time) in a code block with a copy button.
* Printed (print media emulated), a chapter has no sidebar, header or buttons, takes the full
  width, its tables do not scroll sideways, and an article page shows the English beside every
  Chinese sentence; a ``<details>`` is opened before printing (``print.js``).
* Screenshots for a reader to look at: the landing page (cite box, PDF link), the open download
  menu, and a chapter under print media.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from analysis import config

from .conftest import KNOWN_PAGE_ERRORS

pytestmark = pytest.mark.browser

SOURCE_LINK = ".dropdown-download-buttons a.btn-download-source-button"


def _source_suffix(page: str) -> set[str]:
    stem = config.PROJ_ROOT / page.removesuffix(".html")
    return {s for s in (".ipynb", ".md") if stem.with_suffix(s).exists()}


def _heading(path: Path) -> str:
    """The first ``# title`` of a notebook's or a Markdown file's text (the site may be older than the source)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")
    found = re.search(r"^# (.+)$", text, re.M)
    return found.group(1).strip() if found else ""


def test_every_page_offers_its_source(site, pages):
    """The download menu's source entry, in the static HTML of every toc page, resolves to the page's source."""
    bad = []
    for page in pages:
        text = (site / page).read_text(encoding="utf-8")
        found = re.search(r'<a href="([^"]+)"[^>]*\n?\s*class="btn btn-sm btn-download-source-button', text)
        if not found:
            bad.append(f"{page}: no source download link")
            continue
        target = (site / page).parent / unquote(found.group(1))
        if not target.is_file():
            bad.append(f"{page}: {found.group(1)} does not exist")
            continue
        if "/articles/" in page:  # generated pages (python -m analysis pages): no committed source
            continue
        if target.suffix not in _source_suffix(page):
            bad.append(f"{page}: {target.suffix} is not the source's type")
        elif _heading(target) != _heading((config.PROJ_ROOT / page).with_suffix(target.suffix)):
            bad.append(f"{page}: {found.group(1)} is not the page's source (another title)")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("via", ["http", "file"])
def test_download_menu_opens_and_links_the_source(open_page, base_url, site, via):
    url = urljoin(base_url, "book/intro.html") if via == "http" else (site / "book/intro.html").as_uri()
    visit = open_page(url)
    page = visit.page
    toggle = page.locator(".dropdown-download-buttons > button.dropdown-toggle")
    assert toggle.count() == 1 and toggle.is_visible()
    assert toggle.get_attribute("aria-label") == "Download this page"
    toggle.click()
    link = page.locator(SOURCE_LINK)
    link.wait_for(state="visible")
    assert link.inner_text().strip() == ".ipynb"
    href = link.evaluate("a => a.href")  # absolute
    if via == "http":
        response = page.request.get(href)
        assert response.ok and b'"nbformat"' in response.body()
    else:
        assert urlsplit(href).scheme == "file" and Path(unquote(urlsplit(href).path)).is_file(), href
    assert page.locator(".dropdown-download-buttons .btn-download-pdf-button").count() == 1  # the theme's print
    if via == "http":
        visit.assert_clean()
    else:  # file:// URLs are not "127.0.0.1": check the rest
        errors = [e for e in visit.page_errors if e not in KNOWN_PAGE_ERRORS]
        assert not visit.failed and not errors and not visit.dialogs, (visit.failed, errors, visit.dialogs)


def test_landing_page_cites_the_book(open_page, base_url):
    meta = yaml.safe_load((config.PROJ_ROOT / "_config.yml").read_text(encoding="utf-8"))
    visit = open_page(urljoin(base_url, "book/intro.html"))
    page = visit.page
    section = page.locator("section#cite-this-book")
    assert section.count() == 1 and section.locator("h2").inner_text().startswith("Cite this book")
    block = section.locator("div.highlight pre")
    entry = block.inner_text()
    assert entry.startswith("@misc{laiwang-wechat-book-")
    fields = {k: " ".join(v.split()) for k, v in re.findall(r"^\s+(\w+)\s+= \{\{(.*?)\}\},?$", entry, re.M | re.S)}
    assert max(len(line) for line in entry.splitlines()) <= 78  # no sideways scrolling
    assert fields["title"] == meta["title"] and fields["author"] == meta["author"]
    assert re.fullmatch(r"\d{4}", fields["year"])
    assert re.fullmatch(r"Version [0-9a-f]{7,} of \d{4}-\d\d-\d\d( \(with uncommitted changes\))?, built \d{4}-\d\d-\d\d",
                        fields["note"]) or fields["note"].startswith("Built "), fields["note"]
    assert "url" not in fields  # no public URL exists: none is invented
    assert section.locator("button.copybtn").count() == 1  # sphinx-copybutton
    pdf = page.locator("p.pdf-edition a")
    assert pdf.count() == 1 and pdf.get_attribute("href") == "../pdf/laiwang-book.pdf"
    visit.assert_clean()


def test_print_media_shows_the_text_only(open_page, base_url):
    visit = open_page(urljoin(base_url, "book/argue.html"))
    page = visit.page
    page.emulate_media(media="print")
    for selector in (".bd-sidebar-primary", ".bd-header", ".header-article", ".bd-sidebar-secondary",
                     ".prev-next-area", ".dropdown-download-buttons"):
        shown = page.locator(selector).evaluate_all("els => els.filter(e => e.getClientRects().length > 0).length")
        assert shown == 0, f"{selector} is shown in print"
    width = page.evaluate("() => [document.querySelector('article.bd-article').getBoundingClientRect().width,"
                          " document.documentElement.clientWidth]")
    assert width[0] > 0.9 * width[1], width
    overflowing = page.evaluate("""() => Array.from(document.querySelectorAll('.table-wrap, table'))
        .filter(e => e.scrollWidth > e.clientWidth + 2).map(e => e.className)""")
    assert not overflowing, f"tables that scroll sideways in print: {overflowing}"
    color = page.evaluate("""() => { const a = document.querySelector('article a.reference');
        return [getComputedStyle(a).color, getComputedStyle(a.closest('p, li, td') || document.body).color]; }""")
    assert color[0] == color[1], f"links keep their colour in print: {color}"


def test_print_shows_english_and_opens_details(open_page, base_url, pages):
    article = next(p for p in pages if re.search(r"articles/\d", p))
    visit = open_page(urljoin(base_url, article))
    page = visit.page
    page.emulate_media(media="print")
    counts = page.evaluate("""() => {
        const pairs = Array.from(document.querySelectorAll('.article-text.bilingual .pair:not(.untranslated)'));
        const shown = pairs.filter(p => { const en = p.querySelector('.en');
            return en && en.offsetHeight > 0 && getComputedStyle(en).visibility === 'visible'; });
        return [pairs.length, shown.length]; }""")
    assert counts[0] > 10 and counts[0] == counts[1], counts
    chapter = open_page(urljoin(base_url, "book/adoption.html")).page
    closed = chapter.evaluate("() => document.querySelectorAll('details:not([open])').length")
    assert closed > 0
    chapter.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert chapter.evaluate("() => document.querySelectorAll('details:not([open])').length") == 0
    chapter.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert chapter.evaluate("() => document.querySelectorAll('details:not([open])').length") == closed


def test_screenshots_of_the_conveniences(open_page, base_url, screenshot_dir):
    """PNGs to look at: the landing page's cite box and PDF link, the download menu, a chapter in print."""
    screenshot_dir.mkdir(parents=True, exist_ok=True)
    page = open_page(urljoin(base_url, "book/intro.html")).page
    page.locator("h2", has_text="The PDF edition").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "conveniences-landing-cite.png"))
    page.locator(".dropdown-download-buttons > button.dropdown-toggle").click()
    page.locator(SOURCE_LINK).wait_for(state="visible")
    page.screenshot(path=str(screenshot_dir / "conveniences-download-menu.png"), clip={
        "x": 700, "y": 0, "width": 580, "height": 300})
    chapter = open_page(urljoin(base_url, "book/adoption.html")).page
    chapter.emulate_media(media="print")
    chapter.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    chapter.screenshot(path=str(screenshot_dir / "conveniences-print-chapter.png"), full_page=False)
    shots = sorted(p.name for p in screenshot_dir.glob("conveniences-*.png"))
    assert len(shots) == 3, shots

"""The built site in a real browser: every toc page, the search, the links, and screenshots.

Checks, for the index and for every page in ``_toc.yml``:

* it loads with no console error, no uncaught exception, no failed request,
  no HTTP error and no dialog, and every request goes to 127.0.0.1 (the book
  makes no network request);
* its images are loaded (``naturalWidth > 0``) and have a non-empty ``alt``;
  every figure in ``_images/`` is shown by some page;
* Chinese is real text (``inner_text`` contains 来往), not an image.

Plus: the search page finds 来往, and every internal ``href``/``src`` of every
HTML file resolves, including its ``#fragment``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_index_redirects_and_shows_chinese(open_page, base_url):
    visit = open_page(base_url + "index.html")
    visit.page.wait_for_url(re.compile(r"book/intro\.html"), timeout=10_000)
    visit.page.wait_for_load_state("load")
    visit.assert_clean()
    text = visit.page.inner_text("body")
    assert "来往" in text and "微信" in text


_IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(i => { i.loading = 'eager';
    return i.complete ? null : new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); }); }));
  return imgs.filter(i => i.offsetParent !== null || i.closest('figure, .cell_output'))
             .map(i => ({src: i.currentSrc || i.src, alt: i.getAttribute('alt') || '', w: i.naturalWidth}));
}"""


def test_every_toc_page_loads_cleanly(open_page, base_url, pages, site):
    shown: set[str] = set()
    problems = []
    for rel in pages:
        visit = open_page(base_url + rel)
        try:
            visit.assert_clean()
        except AssertionError as err:
            problems.append(str(err))
        for img in visit.page.evaluate(_IMAGES_JS):
            path = unquote(urlsplit(img["src"]).path)
            shown.add(path.rsplit("/", 1)[-1])
            if img["w"] <= 0:
                problems.append(f"{rel}: image {img['src']} did not load")
            if not img["alt"].strip():
                problems.append(f"{rel}: image {img['src']} has no alt text")
        if rel.startswith("book/articles/") or rel in ("book/intro.html", "book/corpus.html"):
            text = visit.page.inner_text("main")
            if "来往" not in text:
                problems.append(f"{rel}: no 来往 in the page text")
        visit.page.context.close()
    figures = {p.name for p in (site / "_images").glob("*")} if (site / "_images").is_dir() else set()
    unseen = sorted(figures - shown)
    if unseen:
        problems.append(f"figures in _images/ shown on no toc page: {unseen}")
    assert not problems, "\n".join(problems)


def test_article_anchor_is_highlighted(open_page, base_url, pages):
    """A sentence link (links.source_href) lands on its sentence, which :target highlights."""
    article = next(p for p in pages if re.search(r"book/articles/\d", p))
    aid = Path(article).stem
    visit = open_page(f"{base_url}{article}#s-{aid}-1")
    visit.assert_clean()
    sent = visit.page.locator(f"#s-{aid}-1")
    assert sent.count() == 1 and CJK.search(sent.inner_text())
    assert sent.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 243, 176)"


def test_search_finds_laiwang(open_page, base_url):
    visit = open_page(base_url + "search.html?q=" + quote("来往"), wait=0)
    results = visit.page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=20_000)
    assert results.count() > 0
    hrefs = results.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert any("articles/" in h for h in hrefs), f"no article page among the results: {hrefs}"
    visit.assert_clean()


def test_screenshots(open_page, base_url, pages, screenshot_dir, site):
    """PNG screenshots (1280 px wide) of the index, a chapter (one with a figure if any), an article, the claims
    explorer and the figures page, in _build/screenshots/."""
    screenshot_dir.mkdir(parents=True, exist_ok=True)
    with_figure = [p for p in pages[1:] if "_images/" in (site / p).read_text(encoding="utf-8")]
    chapter = with_figure[0] if with_figure else pages[1]
    article = next((p for p in pages if re.search(r"book/articles/\d", p)), None)
    shots = {"index.png": "index.html", "chapter.png": chapter}
    if article:
        shots["article.png"] = article
    for name in ("claims", "figures"):
        if f"book/evidence/{name}.html" in pages:
            shots[f"{name}.png"] = f"book/evidence/{name}.html"
    for name, rel in shots.items():
        visit = open_page(base_url + rel, wait=500)
        if rel == chapter and with_figure:
            visit.page.locator("article img").first.scroll_into_view_if_needed()
        visit.page.screenshot(path=str(screenshot_dir / name))
        assert (screenshot_dir / name).stat().st_size > 10_000
        visit.page.context.close()


# ---------------------------------------------------------------------------
# the link check (no browser needed, but it needs the built site)
# ---------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag != "meta" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if tag in ("a", "link", "area") and a.get("href") is not None:
            self.links.append(a["href"])
        if tag in ("img", "script", "iframe", "source") and a.get("src"):
            self.links.append(a["src"])


def _parse(path: Path, cache: dict[Path, _Links]) -> _Links:
    if path not in cache:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = parser
    return cache[path]


def test_every_internal_link_resolves(site):
    cache: dict[Path, _Links] = {}
    broken = []
    # theme templates copied into _static/ are not pages
    files = sorted(f for f in site.rglob("*.html") if "_static" not in f.relative_to(site).parts)
    n_links = 0
    for html_file in files:
        for link in _parse(html_file, cache).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "data") or link.startswith("//"):
                continue
            if parts.scheme:
                broken.append(f"{html_file.relative_to(site)}: {parts.scheme}: link {link!r}")
                continue
            n_links += 1
            target = html_file if not parts.path else (html_file.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if site.resolve() not in (target.resolve(), *target.resolve().parents) or not target.exists():
                broken.append(f"{html_file.relative_to(site)}: {link} -> missing file")
                continue
            frag = unquote(parts.fragment)
            if frag and target.suffix == ".html" and frag not in _parse(target, cache).ids:
                broken.append(f"{html_file.relative_to(site)}: {link} -> no id {frag!r} in {target.name}")
    assert n_links > 100
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:50])


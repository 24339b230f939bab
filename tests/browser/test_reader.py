"""The site for a reader who does not read Chinese: structure, width, English next to Chinese, and no tofu.

* Every chapter (each top-level entry of every part of ``_toc.yml``) is one
  click from the landing page: a visible link in its sidebar.
* No page of the built site scrolls sideways at 1280 px: neither the page
  nor its content area (the article column and its margin, ``.bd-content``)
  is wider than the window, and nothing sticks out of the content area
  (wide tables scroll inside their own ``.table-wrap``).
* Every Chinese quote on a chapter or evidence page has its English next to
  it.  A *quote* is an element with ``lang="zh"`` holding a sentence (at
  least four Chinese characters, ending with sentence punctuation, and no
  such element inside it); it must be ``<span lang="zh" class="zh-quote">``
  followed, in the same parent, by an element of class ``en`` with text.
* No tofu: in a browser profile with no CJK font at all (a fonts.conf that
  lists only matplotlib's DejaVu fonts), the book's subset web font loads,
  every Chinese text node is drawn with it, and no Chinese character of the
  pages is drawn as the missing-glyph box; and the font maps every Chinese
  character that any page of the site shows.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from fontTools.ttLib import TTFont

from analysis.report import fonts

from .conftest import toc_parts

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site (the theme's templates under ``_static`` are not pages)."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


# ---------------------------------------------------------------------------
# structure
# ---------------------------------------------------------------------------
def test_every_chapter_is_one_click_from_the_landing_page(open_page, base_url):
    visit = open_page(base_url + "index.html")
    page = visit.page
    page.wait_for_url(re.compile(r"book/intro\.html"), timeout=10_000)
    page.wait_for_load_state("load")
    visit.assert_clean()
    shown = page.eval_on_selector_all(
        "a[href]", "as => as.filter(a => a.getClientRects().length && getComputedStyle(a).visibility !== 'hidden')"
                   ".map(a => a.href)")
    reachable = {unquote(urlsplit(h).path).lstrip("/") for h in shown}
    sidebar = page.inner_text("nav.bd-docs-nav")
    missing = []
    for caption, chapters in toc_parts().items():
        assert caption in sidebar, f"the sidebar has no part {caption!r}"
        missing += [c for c in chapters if c not in reachable]
    assert not missing, f"not one click from the landing page: {missing}"


# ---------------------------------------------------------------------------
# width
# ---------------------------------------------------------------------------
_WIDTH_JS = """() => {
  const doc = document.documentElement;
  const art = document.querySelector('.bd-content') || document.querySelector('main') || doc;
  const box = art.getBoundingClientRect();
  // what sticks out of the content area without being inside something that scrolls on its own
  const scrolls = e => { for (let p = e.parentElement; p && p !== art; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const out = Array.from(art.querySelectorAll('*')).filter(e => {
      const r = e.getBoundingClientRect(); return r.width && r.right > box.right + 1 && !scrolls(e); })
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ?
                          '.' + String(e.className).trim().split(/\\s+/).join('.') : ''));
  return {page: doc.scrollWidth, window: window.innerWidth, article: art.scrollWidth, column: art.clientWidth, out};
}"""


def test_no_page_scrolls_sideways(open_page, base_url, site):
    checked, problems = [], []
    for rel in site_pages(site):
        visit = open_page(base_url + rel, wait=100)
        visit.page.wait_for_load_state("load")  # index.html redirects to the landing page
        w = visit.page.evaluate(_WIDTH_JS)
        if w["page"] > w["window"] + 1:
            problems.append(f"{rel}: the page is {w['page']} px wide in a {w['window']} px window {w['out']}")
        elif w["article"] > w["column"] + 1:
            problems.append(f"{rel}: the content area overflows ({w['article']} > {w['column']} px) {w['out']}")
        checked.append(rel)
        visit.page.context.close()
    print(f"checked {len(checked)} pages for sideways scrolling at 1280 px")
    assert len(checked) >= 10
    assert not problems, "\n".join(problems)


def test_wide_tables_scroll_in_their_own_box(open_page, base_url):
    """The claims explorer's table is in a .table-wrap; its sentence column is wide, its first column sticky."""
    visit = open_page(base_url + "book/evidence/claims.html")
    page = visit.page
    visit.assert_clean()
    table = page.locator("table.claims-explorer")
    assert table.count() == 1
    assert table.evaluate("t => t.parentElement.classList.contains('table-wrap')")
    assert table.evaluate("t => getComputedStyle(t.parentElement).overflowX") == "auto"
    text_col = page.locator("table.claims-explorer tbody tr:first-child td.col-wide")
    assert text_col.evaluate("td => td.getBoundingClientRect().width") >= 20 * 16 * 0.9  # not 5 characters wide
    first = page.locator("table.claims-explorer tbody tr:first-child td:first-child")
    assert first.evaluate("td => getComputedStyle(td).position") == "sticky"
    assert "nan" not in page.inner_text("table.claims-explorer").lower().split()


def test_claims_explorer_filters(open_page, base_url):
    visit = open_page(base_url + "book/evidence/claims.html")
    page = visit.page
    visit.assert_clean()
    rows = page.locator("table.claims-explorer tbody tr")
    total = rows.count()
    assert total > 10

    def shown() -> int:
        return rows.evaluate_all("rs => rs.filter(r => r.style.display !== 'none').length")

    selects = {page.locator(".table-controls label.table-facet span").nth(i).inner_text(): i
               for i in range(page.locator(".table-controls label.table-facet").count())}
    assert set(selects) == {"type", "strategies", "article"}
    select = page.locator(".table-controls select")
    # one type: every row shown has it
    select.nth(selects["type"]).select_option("recommendation")
    n_type = shown()
    assert 0 < n_type < total
    assert set(rows.evaluate_all("rs => rs.filter(r => r.style.display !== 'none')"
                                 ".map(r => r.cells[2].textContent.trim())")) == {"recommendation"}
    assert page.locator(".table-count").inner_text() == f"{n_type} of {total} rows"
    # and one strategy (multi-valued cells): fewer or as many rows, each naming it
    options = select.nth(selects["strategies"]).locator("option").evaluate_all("os => os.map(o => o.value)")
    strategy = options[1]
    select.nth(selects["strategies"]).select_option(strategy)
    n_both = shown()
    assert n_both <= n_type
    assert all(strategy in t for t in rows.evaluate_all(
        "rs => rs.filter(r => r.style.display !== 'none').map(r => r.cells[3].textContent)"))
    # the text filter searches the English too
    select.nth(selects["type"]).select_option("")
    select.nth(selects["strategies"]).select_option("")
    page.fill("input.table-filter", "WeChat")
    assert 0 < shown() < total
    page.fill("input.table-filter", "")
    assert shown() == total
    # an article: its rows only; a row's first link lands on its sentence on the article page
    article = select.nth(selects["article"]).locator("option").nth(1).get_attribute("value")
    select.nth(selects["article"]).select_option(article)
    first = rows.filter(visible=True).first
    href = first.locator("td:first-child a").get_attribute("href")
    assert re.fullmatch(r"\.\./articles/\d{3}_[0-9a-f]+\.html#s-\d{3}_[0-9a-f]+-\d+", href), href
    with page.expect_navigation():
        first.locator("td:first-child a").click()
    anchor = href.split("#")[1]
    assert page.locator(f"[id='{anchor}']").evaluate("e => getComputedStyle(e).backgroundColor") == \
        "rgb(255, 243, 176)"


# ---------------------------------------------------------------------------
# English next to every Chinese quote
# ---------------------------------------------------------------------------
_QUOTES_JS = """() => {
  const SENTENCE = /[。！？!?…；;][”’」』）)"'\\s]*$/;
  const CJK = /[\\u3400-\\u9fff\\uf900-\\ufaff]/g;
  const root = document.querySelector('article') || document.body;
  const zh = Array.from(root.querySelectorAll('[lang="zh"], [lang|="zh"]'));
  const quotes = zh.filter(e => !e.querySelector('[lang|="zh"]'))
    .filter(e => { const t = e.textContent.trim(); return (t.match(CJK) || []).length >= 4 && SENTENCE.test(t); });
  const bad = [];
  for (const q of quotes) {
    const t = q.textContent.trim().slice(0, 40);
    if (!q.classList.contains('zh-quote')) { bad.push('not marked as a zh-quote: ' + t); continue; }
    let n = q.nextElementSibling;
    while (n && !n.classList.contains('en')) n = n.nextElementSibling;
    if (!n) bad.push('no English after: ' + t);
    else if (!n.textContent.trim()) bad.push('empty English after: ' + t);
  }
  return {n: quotes.length, bad};
}"""


def test_every_chinese_quote_has_its_english(open_page, base_url, pages):
    parts = toc_parts()
    story = next(iter(parts.values()))
    evidence = [p for p in pages if p.startswith("book/evidence/") or re.search(r"book/articles/\d", p)]
    problems, counts = [], {}
    for rel in story + evidence:
        visit = open_page(base_url + rel, wait=100)
        found = visit.page.evaluate(_QUOTES_JS)
        counts[rel] = found["n"]
        problems += [f"{rel}: {b}" for b in found["bad"]]
        visit.page.context.close()
    for rel in ("book/evidence/claims.html", "book/evidence/figures.html"):
        if rel in counts:
            assert counts[rel] > 10, f"{rel}: no Chinese sentence quote found ({counts[rel]})"
    assert not problems, f"{len(problems)} Chinese quotes without their English:\n" + "\n".join(problems[:40])


# ---------------------------------------------------------------------------
# no tofu
# ---------------------------------------------------------------------------
_GLYPHS_JS = """async (chars) => {
  const font = '32px "Noto Sans SC", sans-serif';
  await document.fonts.load('32px "Noto Sans SC"', chars.join(''));
  const c = document.createElement('canvas'); c.width = 44; c.height = 44;
  const ctx = c.getContext('2d', {willReadFrequently: true});
  const draw = ch => { ctx.clearRect(0, 0, 44, 44); ctx.font = font; ctx.textBaseline = 'top';
    ctx.fillText(ch, 4, 4); const d = ctx.getImageData(0, 0, 44, 44).data; let s = '';
    for (let i = 3; i < d.length; i += 4) s += d[i] > 127 ? '1' : '0'; return s; };
  const tofu = draw(String.fromCodePoint(0x10FFFD));
  return {tofu: chars.filter(ch => draw(ch) === tofu), width: ctx.measureText('来').width,
          tofuWidth: ctx.measureText(String.fromCodePoint(0x10FFFD)).width};
}"""

_FACES_JS = """() => Array.from(document.fonts)
  .filter(f => f.family.replace(/["']/g, '') === 'Noto Sans SC').map(f => f.status)"""


def _font_file(site: Path) -> Path:
    return site / "_static" / Path(fonts.FONT_FILE).relative_to("_static")


def test_the_profile_has_no_cjk_font(bare_fonts):
    _, font_dir = bare_fonts
    files = sorted(font_dir.glob("*.tt[fc]"))
    assert files
    for f in files:
        assert 0x6765 not in (TTFont(f, fontNumber=0).getBestCmap() or {}), f"{f.name} has 来"


def test_no_tofu_without_system_cjk_fonts(open_bare_page, base_url, pages, site):
    covered = fonts.font_characters(_font_file(site).read_bytes())
    missing = next(ch for ch in "龘齉靐龖麤鱻" if ch not in covered)  # a character the subset lacks
    article = next(p for p in pages if re.search(r"book/articles/\d", p))
    checked = 0
    for rel in ["book/intro.html", article, "book/evidence/claims.html", "book/evidence/figures.html"]:
        if rel not in pages:
            continue
        visit = open_bare_page(base_url + rel, wait=300)
        page = visit.page
        visit.assert_clean()
        page.evaluate("""document.fonts.load('16px "Noto Sans SC"', '来往')""")
        assert page.evaluate("""document.fonts.check('16px "Noto Sans SC"', '来往微信')""")
        assert page.evaluate(_FACES_JS) == ["loaded"], f"{rel}: the web font did not load"
        text = page.inner_text("body")
        chars = sorted(set(CJK.findall(text)))
        assert chars, f"{rel}: no Chinese on the page"
        glyphs = page.evaluate(_GLYPHS_JS, [*chars, missing])
        # the method sees tofu: the lacking character is drawn as the missing-glyph box...
        assert glyphs["tofu"] == [missing], f"{rel}: drawn as tofu: {glyphs['tofu'][:30]}"
        assert glyphs["width"] == pytest.approx(32, abs=0.5)  # a CJK glyph is one em wide
        # ...and every text node with Chinese in it is drawn with the web font only
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": ".zh-quote, [lang|='zh']"})["nodeIds"]
        for node in nodes[:150]:
            # the fonts that drew the node's own text nodes (Chinese, and the digits and Latin among it)
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            others = [f["familyName"] for f in used if not f["isCustomFont"]]
            if others:
                html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                pytest.fail(f"{rel}: Chinese text drawn with {others}, not the web font: {html[:100]}")
            checked += bool(used)
        page.context.close()
    assert checked > 20


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.skip = 0
        self.chars: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.chars.update(CJK.findall(data))


def test_the_font_covers_every_page(site):
    """Every Chinese character in the text of every page of the built site has a glyph in the web font."""
    font = _font_file(site)
    assert font.exists(), f"{font} is missing: run `python -m analysis pages` before the build"
    size = font.stat().st_size
    print(f"web font {font.name}: {size / 1024:.0f} KB")
    assert size < 1_000_000
    covered = fonts.font_characters(font.read_bytes())
    shown: dict[str, str] = {}
    for rel in site_pages(site):
        parser = _Text()
        parser.feed((site / rel).read_text(encoding="utf-8", errors="replace"))
        for ch in parser.chars - covered:
            shown.setdefault(ch, rel)
    assert not shown, f"{len(shown)} characters without a glyph, e.g. {sorted(shown.items())[:20]}"

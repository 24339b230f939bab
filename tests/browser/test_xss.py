"""A hostile article, and a hostile translation of it, are rendered as text: no script runs, no markup or
MyST escapes.

A small book is built in a temporary folder from a raw corpus made of one
real article plus a hostile one registered with :func:`analysis.corpus.add.add_article`,
and a translation of the hostile article whose title and English are hostile
too (the real article has none, so its page shows the untranslated note);
the real stages (``prepare``, ``claims``, ``pages``) write its pages and
``jb build -W`` renders them with the project's own configuration and CSS.
"""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest
import yaml

from analysis import catalog, config, lexicon, stages
from analysis.corpus.add import add_article

from .conftest import KNOWN_PAGE_ERRORS, jb_build, serve

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
HOSTILE = "\n".join([
    "---",
    "title: '<script>alert(3)</script>来往测试 {{ x }} $y$'",
    "name: '<img src=y onerror=alert(4)>'",
    "url: 'javascript:alert(5)'",
    "time: 2014-05-01 10:00",
    "---",
    f"来往的支持者写道{SCRIPT}，然后又写{IMG}，这些都只是文字。",
    "",
    "# 来往不是标题，这一行只是正文。",
    "{eval-rst} 来往的大括号也只是正文。",
    "```{code-cell} 来往的反引号也只是正文。",
    ":::{warning} 来往的冒号也只是正文。",
    "--- 来往的短横线也只是正文。",
    "<div onclick=alert(6)>来往的标签也只是正文。</div>",
    "",
    "<iframe src=javascript:alert(7)></iframe>微信的用户已经超过六亿。",
    "",
])


EN_TITLE = "<script>alert(8)</script> Laiwang test {{ y }}"
EN = "<img src=z onerror=alert(9)> English of sentence {n} {{{{ x }}}} $y$"


def hostile_translation(directory, aid: str, claims) -> None:
    """A translation file for article ``aid`` whose title and every sentence's English are hostile."""
    rows = claims[claims["article_id"] == aid]
    data = {"article_id": aid, "title_en": EN_TITLE, "translated_by": "<b>a translator</b>",
            "reviewed_by": "{{ reviewer }}",
            "sentences": [{"id": c, "sha": lexicon.sentence_sha(z), "zh": z, "en": EN.format(n=k)}
                          for k, (c, z) in enumerate(zip(rows["claim_id"], rows["sentence_clean"], strict=True))]}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{aid}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(config.RAW_DIR / "001_c2455d1e5c66a38c.txt", raw)
    src = root / "incoming.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    aid = add_article(src, raw)
    processed = root / "data" / "processed"
    stages.run(["prepare", "claims"], root=processed, raw_dir=raw, book_dir=root / "book")
    hostile_translation(root / "translations", aid, catalog.load("claims", processed))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "TRANSLATIONS_DIR", root / "translations")
        lexicon.clear_cache()
        stages.run(["pages"], root=processed, raw_dir=raw, book_dir=root / "book")
    lexicon.clear_cache()
    # the project's configuration and assets, with a toc of just the article pages
    jb_config = yaml.safe_load((config.PROJ_ROOT / "_config.yml").read_text(encoding="utf-8"))
    jb_config["execute"]["execute_notebooks"] = "off"
    (root / "_config.yml").write_text(yaml.safe_dump(jb_config, allow_unicode=True), encoding="utf-8")
    toc = {"format": "jb-book", "root": "book/articles/index",
           "chapters": [{"glob": "book/articles/[0-9]*"}, {"file": "book/appendix/add-article"},
                        {"file": "book/evidence/claims"}, {"file": "book/evidence/figures"}]}
    (root / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    # the pages stage wrote the web font into book/_static/fonts: keep it, copy the rest
    shutil.copytree(config.BOOK_DIR / "_static", root / "book" / "_static", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("fonts"))
    (root / "book" / "evidence").mkdir()
    for name, title in (("claims", "The claims explorer"), ("figures", "The figures")):  # the index links to them
        (root / "book" / "evidence" / f"{name}.md").write_text(f"# {title}\n", encoding="utf-8")
    (root / "book" / "appendix").mkdir()
    shutil.copy(config.BOOK_DIR / "appendix" / "add-article.md", root / "book" / "appendix")
    shutil.copy(config.BOOK_DIR / "references.bib", root / "book")
    html = jb_build(root, root / "out", strict=True)
    server, url = serve(html)
    yield url, aid, html
    server.shutdown()
    server.server_close()


def test_hostile_article_is_text(open_page, hostile_site):
    url, aid, html = hostile_site
    visit = open_page(f"{url}book/articles/{aid}.html", wait=1000)
    page = visit.page
    visit.assert_clean()  # includes: no dialog fired (alert 1-7)
    assert visit.dialogs == []
    text = page.inner_text("article.bd-article")
    for literal in (SCRIPT, IMG, "<img src=y onerror=alert(4)>",
                    "# 来往不是标题", "```{code-cell}", ":::{warning}", "--- 来往的短横线", "<div onclick=alert(6)>",
                    "<iframe src=javascript:alert(7)></iframe>", "{{ x }} $y$"):
        assert literal in text, f"{literal!r} is not shown as text"
    # nothing from the article became an element
    art = page.locator("article.bd-article")
    assert art.locator("iframe, img, [onclick], [onerror]").count() == 0
    # (the theme puts two thebe config scripts in the article; none may come from the text)
    assert art.locator("script").evaluate_all("ss => ss.filter(s => s.textContent.includes('alert')).length") == 0
    assert art.locator("h1").count() == 1
    # the exact titles are in the metadata table; the heading is the English title, with look-alikes for
    # < > & (themes unescape titles)
    meta = art.locator("table.article-meta").first.inner_text()
    assert "<script>alert(3)</script>来往测试" in meta and EN_TITLE in meta
    assert "＜script＞alert(8)＜/script＞ Laiwang test {{ y }}" in art.locator("h1").inner_text()
    # the English is text too, beside every sentence, and the credit
    for literal in (EN.format(n=0), EN.format(n=1), "Translated for this book by <b>a translator</b>; "
                    "reviewed by {{ reviewer }}."):
        assert literal in text, f"{literal!r} is not shown as text"
    assert art.locator(".pair .en").count() == art.locator(".pair .sent.zh-quote").count() >= 5
    assert page.locator('a[href^="javascript"]').count() == 0
    assert art.locator("pre, .admonition, hr").count() == 0
    # every sentence of the article has its anchor exactly once
    n = art.locator(f".article-text span.sent[id^='s-{aid}-']").count()
    assert n >= 5
    for k in range(n):
        assert page.locator(f"[id='s-{aid}-{k}']").count() == 1
    assert "<script>alert" not in (html / "book" / "articles" / f"{aid}.html").read_text(encoding="utf-8")


def test_hostile_index_and_nav(open_page, hostile_site):
    url, aid, _ = hostile_site
    visit = open_page(f"{url}book/articles/index.html")
    visit.assert_clean()
    page = visit.page
    assert "<script>alert(3)</script>来往测试" in page.inner_text("article.bd-article")
    assert page.locator("script:not([src])").evaluate_all(
        "ss => ss.filter(s => s.textContent.includes('alert(')).length") == 0
    with page.expect_navigation():
        page.locator(f'article.bd-article a[href="{aid}.html"]').click()
    page.wait_for_timeout(500)
    assert visit.dialogs == []
    assert [e for e in visit.page_errors if e not in KNOWN_PAGE_ERRORS] == []


def test_hostile_title_in_search(open_page, hostile_site):
    """Sphinx's search shows page titles with innerHTML: the hostile title must stay inert there too."""
    url, aid, _ = hostile_site
    visit = open_page(url + "search.html?q=" + quote("来往"), wait=0)
    results = visit.page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=20_000)
    visit.page.wait_for_timeout(1000)
    assert any(aid in h for h in results.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))"))
    visit.assert_clean()


def test_untranslated_article_says_so(open_page, hostile_site):
    url, _, _ = hostile_site
    visit = open_page(f"{url}book/articles/001_c2455d1e5c66a38c.html")
    visit.assert_clean()
    art = visit.page.locator("article.bd-article")
    assert "No English translation yet: the sentences are shown in Chinese only." in art.inner_text()
    assert art.locator(".en").count() == 0
    assert art.locator(".article-text span.sent[id^='s-001_c2455d1e5c66a38c-']").count() > 5

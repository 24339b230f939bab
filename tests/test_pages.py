"""Article pages: anchors exactly once, escaping, MyST safety, determinism, stale pages, English beside
the Chinese, the note on an untranslated article, the web font, and the table builder."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from markdown_it import MarkdownIt

from analysis import catalog, config, lexicon, stages
from analysis.corpus.documents import iter_documents
from analysis.extract.ids import claim_id, sentence_anchor
from analysis.report import escape, fonts, stage
from analysis.report.tables import html_table
from analysis.stage_api import Context

EVIL_LINES = [
    "# 来往不是标题，这是正文。",
    "{eval-rst} 来往的大括号。",
    "```{code-cell} 来往的代码块。",
    ":::{note} 来往的提示框。",
    "--- 来往的分隔线。",
    "<div>来往的标签。</div>",
    "来往说<script>alert(1)</script>和<img src=x onerror=alert(2)>都是文字。",
    "来往的替换{{ x }}和数学$x$与&amp;实体。",
]
EVIL = (
    "---\ntitle: '<b>来往</b> {{x}} $y$ [z](javascript:alert(3))'\nname: '<i>作者</i>'\n"
    "url: 'javascript:alert(4)'\ntime: 2014-01-02 10:00\n---\n" + "\n\n".join(EVIL_LINES) + "\n"
)
GOOD = "---\ntitle: 来往测试\nname: tester\nurl: https://example.com/a?b=1&c=2\n---\n来往是阿里巴巴的产品。微信有4亿用户。\n\n第二段说来往会失败。\n"


CLAIM_COLUMNS = catalog.artefact("claims").column_names


def fake_claims(processed: Path, raw: Path) -> pd.DataFrame:
    """A claims frame with every declared column, built from the prepared records (one sentence per clause)."""
    rows = []
    for doc in iter_documents(processed_dir=processed, raw_dir=raw):
        n = 0
        for a, b in doc.paragraphs():
            for m in re.finditer(r"[^。！？]+[。！？]?", doc.text[a:b]):
                s, e = a + m.start(), a + m.end()
                ra, rb = doc.raw_span(s, e)
                rows.append({"claim_id": claim_id(doc.article_id, n), "article_id": doc.article_id,
                             "sentence": doc.raw_text[ra:rb], "start": ra, "end": rb,
                             "type": ["fact", "other", "recommendation", "<evil>"][n % 4],
                             "themes": "", "entities": "", "sentence_clean": doc.text[s:e],
                             "clean_start": s, "clean_end": e, "heading": False, "polarity": "",
                             "cues": "", "criticism": ""})
                n += 1
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def build(out: Path, raw: Path, book: Path) -> str:
    """Run the ``pages`` stage through the runner; return its summary line."""
    (result,) = stages.run(["pages"], root=out, raw_dir=raw, book_dir=book)
    return result.summary


def render(claims: pd.DataFrame, out: Path, raw: Path, book: Path) -> dict[str, str]:
    """Call the stage function directly on a claims frame (no catalogue); nothing is written."""
    ctx = Context(processed_dir=out, raw_dir=raw, book_dir=book)
    return stage.pages({"claims": claims}, ctx)["article_pages"]


@pytest.fixture()
def project(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "000_good.txt").write_text(GOOD, encoding="utf-8")
    (raw / "001_evil.txt").write_text(EVIL, encoding="utf-8")
    out = tmp_path / "processed"
    stages.run(["prepare"], root=out, raw_dir=raw, book_dir=tmp_path / "book")
    claims = fake_claims(out, raw)
    catalog.save_all({"claims": claims}, out)
    return raw, out, tmp_path / "book", claims


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_data(self, data):
        self.text.append(data)


def test_every_anchor_exactly_once_and_escaped(project):
    raw, out, book, claims = project
    summary = build(out, raw, book)
    assert {p.name for p in (book / "articles").glob("*.md")} == {"000_good.md", "001_evil.md", "index.md"}
    assert summary.startswith(f"pages: 2 article pages, {len(claims)} sentence anchors (0 with current English), "
                              "web font ")
    md_it = MarkdownIt("commonmark")
    for aid in ("000_good", "001_evil"):
        text = (book / "articles" / f"{aid}.md").read_text(encoding="utf-8")
        # parse as CommonMark: the article body must be one single html_block token
        tokens = [t for t in md_it.parse(text) if t.type == "html_block" and "article-text\" lang" in t.content]
        assert len(tokens) == 1
        parser = _Collect()
        parser.feed(tokens[0].content)
        n = int((claims["article_id"] == aid).sum())
        expected = [sentence_anchor(aid, k) for k in range(n)]
        assert sorted(parser.ids) == sorted(expected)
        assert len(set(parser.ids)) == len(parser.ids)
        # no tag from the article survives: only our own markup
        assert set(parser.tags) <= {"div", "p", "span", "a"}
    evil = (book / "articles" / "001_evil.md").read_text(encoding="utf-8")
    assert "<script" not in evil and "<img" not in evil and "<b>" not in evil and "<i>" not in evil
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in evil
    assert "<td>javascript:alert(4)</td>" in evil  # an unsafe URL is shown as text
    assert 'href="javascript' not in evil
    assert "{{" not in evil.split("## Text")[1]
    # claim types are whitelisted in class names
    assert "claim-<evil>" not in evil and "claim-&lt;" not in evil


def test_myst_cannot_break_out(project):
    """Every line of article text sits inside an HTML block: no blank line in it, no Markdown parsed."""
    raw, out, book, _ = project
    build(out, raw, book)
    text = (book / "articles" / "001_evil.md").read_text(encoding="utf-8")
    body = text[text.index('<div class="article-text" lang="zh">') :]
    block = body[: body.index("</div>\n") + len("</div>")]
    assert all(line.strip() for line in block.splitlines())
    assert all(line.startswith(("<div", "<p>", "</div>")) for line in block.splitlines())
    tokens = MarkdownIt("commonmark").parse(text)
    assert not [t for t in tokens if t.type in ("fence", "hr", "code_block", "blockquote_open")]
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h2"]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0].startswith("001")
    # no <, > or & in a title (themes unescape titles): full-width look-alikes instead
    assert "\uff1cb\uff1e来往\uff1c\\/b\uff1e \\{\\{x\\}\\} \\$y\\$" in headings[0]
    assert not set("<>&") & set(headings[0])


def test_heading_escape_round_trips():
    md = MarkdownIt("commonmark")
    for s in ["<b>x</b>", "{{ y }}", "$a$ `b` *c* [d](e)", "# 来往 | :::"]:
        assert md.render("# " + escape.md_escape(s)) == f"<h1>{html.escape(s, quote=False)}</h1>\n"


def test_esc_is_one_line_and_brace_free():
    assert escape.esc('a<b>&"\'{x}') == "a&lt;b&gt;&amp;&quot;&#x27;&#123;x&#125;"
    assert escape.esc("one\n\ntwo\u2028three") == "one two three"
    assert escape.esc(None) == "" and escape.esc(float("nan")) == ""
    assert escape.link('a.html#s-1"x', "<b>") == '<a href="a.html#s-1&quot;x">&lt;b&gt;</a>'


def test_html_table_escapes_text_and_keeps_trusted_markup():
    from analysis.report.tables import html_table

    df = pd.DataFrame({"text": ["<script>x</script>", "{{ y }}\n\nz"], "href": ["a.html#s-1", ""],
                       "links": ['<a href="b.html">b</a>', ""], "n": [1.0, 2_500_000.0]})
    t = html_table(df, links={"text": "href"}, markup=["links"], zh=["text"], labels={"n": "count"},
                   caption="<cap>")
    assert "<script" not in t.markup and "&lt;script&gt;" in t.markup
    assert '<td lang="zh"><a href="a.html#s-1">&lt;script&gt;x&lt;/script&gt;</a></td>' in t.markup
    assert "&#123;&#123; y &#125;&#125; z" in t.markup and "\n\n" not in t.markup
    assert '<a href="b.html">b</a>' in t.markup and '<th class="num">count</th>' in t.markup
    assert '<td class="num">1</td>' in t.markup and '<td class="num">2,500,000</td>' in t.markup
    assert "<caption>&lt;cap&gt;</caption>" in t.markup and "href" not in t.markup.split("<tbody>")[0]
    assert repr(t) == "<table: 2 rows x 3 columns>"
    with pytest.raises(ValueError, match="'nope' \\(zh\\) not in the frame"):
        html_table(df, zh=["nope"])


def test_safe_url():
    assert escape.safe_url("https://www.huxiu.com/article/1") == "https://www.huxiu.com/article/1"
    for bad in ["javascript:alert(1)", "data:text/html,x", "//evil.com/x", "/relative", "http://", None, 3,
                "https://a b.com", "https://a.com/\nx"]:
        assert escape.safe_url(bad) is None


def test_index_lists_every_article_with_link(project):
    raw, out, book, _ = project
    build(out, raw, book)
    index = (book / "articles" / "index.md").read_text(encoding="utf-8")
    assert 'href="000_good.html"' in index and 'href="001_evil.html"' in index
    assert "来往测试" in index and "tester" in index
    assert "&lt;b&gt;来往&lt;/b&gt;" in index and "<b>" not in index
    good = (book / "articles" / "000_good.md").read_text(encoding="utf-8")
    assert 'href="https://example.com/a?b=1&amp;c=2"' in good
    # paragraph break kept: two paragraphs in the body
    body = good[good.index('<div class="article-text" lang="zh">') :].split("</div>")[0]
    assert body.count("<p>") == 2


def test_deterministic_and_stale_pages_removed(project):
    raw, out, book, claims = project
    build(out, raw, book)
    first = {p.name: p.read_bytes() for p in (book / "articles").glob("*.md")}
    (book / "articles" / "999_gone.md").write_text("# old\n", encoding="utf-8")
    mtimes = {p.name: p.stat().st_mtime_ns for p in (book / "articles").glob("0*.md")}
    build(out, raw, book)
    assert not (book / "articles" / "999_gone.md").exists()
    assert {p.name: p.read_bytes() for p in (book / "articles").glob("*.md")} == first
    # unchanged pages are not rewritten, so an incremental jb build stays incremental
    assert {p.name: p.stat().st_mtime_ns for p in (book / "articles").glob("0*.md")} == mtimes


def test_traditional_article_shows_raw_sentences(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "000_trad.txt").write_text("來往是阿里巴巴的產品。微信的用戶很多。\n", encoding="utf-8")
    out = tmp_path / "processed"
    stages.run(["prepare"], root=out, raw_dir=raw, book_dir=tmp_path / "book")
    catalog.save_all({"claims": fake_claims(out, raw)}, out)
    build(out, raw, tmp_path / "book")
    text = (tmp_path / "book" / "articles" / "000_trad.md").read_text(encoding="utf-8")
    assert "来往是阿里巴巴的产品。" in text  # clean Simplified, with anchors
    assert "<details" in text and "來往是阿里巴巴的產品。" in text  # exact raw Traditional
    assert text.count('id="s-000_trad-0"') == 1


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda c: c.assign(sentence=c["sentence"].where(c.index != 0, "篡改")), "is not raw_text"),
        (lambda c: c.drop(index=1), "are not 0.."),
        (lambda c: c[c["article_id"] != "000_good"], "no sentences for article 000_good"),
        (lambda c: c.drop(columns="type"), "missing column(s) type"),
    ],
)
def test_inconsistent_claims_fail_clearly(project, mutate, message):
    raw, out, book, claims = project
    with pytest.raises(ValueError) as err:
        render(mutate(claims), out, raw, book)
    assert message in str(err.value)
    assert not (book / "articles").exists()


def test_bad_claims_through_the_runner_write_nothing(project):
    raw, out, book, claims = project
    catalog.save_all({"claims": claims.assign(sentence=claims["sentence"].where(claims.index != 0, "篡改"))}, out)
    with pytest.raises(ValueError, match="is not raw_text"):
        build(out, raw, book)
    assert not (book / "articles").exists()


def test_missing_claims(project):
    raw, out, book, _ = project
    catalog.path("claims", out).unlink()
    with pytest.raises(catalog.MissingArtefact, match="run `python -m analysis claims`"):
        build(out, raw, book)


def test_real_corpus_pages(tmp_path):
    """The real claims (when the pipeline has run): one anchor per claims row."""
    from analysis import config

    if not catalog.exists("claims"):
        pytest.skip("the claims artefact is not built yet (run `python -m analysis all`)")
    claims = catalog.load("claims")
    ctx = Context(processed_dir=config.PROCESSED_DIR, raw_dir=config.RAW_DIR, book_dir=tmp_path)
    out = stage.pages({"claims": claims}, ctx)
    assert stage.pages_summary(out).startswith(
        f"pages: {claims['article_id'].nunique()} article pages, {len(claims):,} sentence anchors (")
    stage.write_pages(out["article_pages"], tmp_path)
    ids = []
    for p in sorted((tmp_path / "articles").glob("0*.md")):
        ids += re.findall(r'<span class="sent[\w -]*" id="([^"]+)"', p.read_text(encoding="utf-8"))
    assert sorted(ids) == sorted(sentence_anchor(a, int(c.rpartition(":")[2]))
                                 for a, c in zip(claims["article_id"], claims["claim_id"], strict=True))


# ---------------------------------------------------------------------------
# English beside the Chinese
# ---------------------------------------------------------------------------
EVIL_EN = "<script>alert('en')</script> {{ x }} $y$ [z](javascript:alert(1))"


@pytest.fixture()
def translated(project, tmp_path, monkeypatch):
    """The project, with a translation of 000_good: sentence 0 current (hostile English), 1 stale, 2 missing."""
    raw, out, book, claims = project
    tr_dir = tmp_path / "translations"
    tr_dir.mkdir()
    good = claims[claims["article_id"] == "000_good"].reset_index(drop=True)
    entries = [{"id": good.at[0, "claim_id"], "sha": lexicon.sentence_sha(good.at[0, "sentence_clean"]),
                "zh": good.at[0, "sentence_clean"], "en": EVIL_EN},
               {"id": good.at[1, "claim_id"], "sha": lexicon.sentence_sha("另一个句子。"), "zh": "另一个句子。",
                "en": "WeChat has 400 million users."}]
    data = {"article_id": "000_good", "title_en": "A <b>test</b> of Laiwang", "translated_by": "Ann <i>T</i>",
            "reviewed_by": "Rev", "sentences": entries}
    (tr_dir / "000_good.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(config, "TRANSLATIONS_DIR", tr_dir)
    lexicon.clear_cache()
    yield raw, out, book, claims
    lexicon.clear_cache()


def test_bilingual_page(translated, capsys):
    raw, out, book, claims = translated
    summary = build(out, raw, book)
    assert "(1 with current English)" in summary
    text = (book / "articles" / "000_good.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    heading = tokens[[t.type for t in tokens].index("heading_open") + 1].content
    # the English title is the heading (look-alikes for < >), the Chinese title stays in the metadata
    assert heading == "000 · A \uff1cb\uff1etest\uff1c\\/b\uff1e of Laiwang"
    assert '<span lang="zh">来往测试</span>' in text
    assert "Translated for this book by Ann &lt;i&gt;T&lt;/i&gt;; reviewed by Rev." in text
    body = next(t.content for t in tokens if t.type == "html_block" and "article-text bilingual" in t.content)
    parser = _Collect()
    parser.feed(body)
    n = int((claims["article_id"] == "000_good").sum())
    assert sorted(parser.ids) == sorted(sentence_anchor("000_good", k) for k in range(n))
    assert set(parser.tags) <= {"div", "span", "a"}
    pairs = re.findall(r'<div class="pair">(.*?)</div>', body)
    assert len(pairs) == n
    # each pair: the Chinese sentence (its anchor, lang, the agreed quote class), then its English
    for k, pair in enumerate(pairs):
        assert pair.startswith('<span class="sent zh-quote claim-') and f'id="s-000_good-{k}" lang="zh"' in pair
        assert '</span><span class="en' in pair
    assert "&lt;script&gt;alert(&#x27;en&#x27;)&lt;/script&gt; &#123;&#123; x &#125;&#125; $y$" in pairs[0]
    assert "<script" not in text and "<b>" not in text and "<i>" not in text
    assert "WeChat has 400 million users. <span class=\"stale-note\">(translation out of date)</span>" in pairs[1]
    assert '<span class="en missing" lang="en">(no English translation yet)</span>' in pairs[2]
    assert "1 sentence changed since it was translated: the English is marked" in text
    assert (f"{n - 2} sentences have no English yet." if n > 3 else "1 sentence has no English yet.") in text
    # one warning line, naming the untranslated article and the stale sentence
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert len(err) == 1
    assert "001_evil" in err[0] and "000_good:1" in err[0] and "000_good" not in err[0].split("(")[1]
    index = (book / "articles" / "index.md").read_text(encoding="utf-8")
    assert "A &lt;b&gt;test&lt;/b&gt; of Laiwang" in index and "none yet" in index


def test_untranslated_article_says_so(project, capsys):
    raw, out, book, _ = project
    build(out, raw, book)
    text = (book / "articles" / "001_evil.md").read_text(encoding="utf-8")
    assert '<p class="translation-note">No English translation yet: the sentences are shown in Chinese only.</p>' \
        in text
    assert 'class="en' not in text and "Translated for this book" not in text
    err = capsys.readouterr().err.splitlines()
    assert len([e for e in err if e.startswith("warning:")]) == 1
    assert "no English translation for 2 articles (000_good, 001_evil)" in err[0]


def test_web_font_covers_the_pages(project):
    raw, out, book, _ = project
    build(out, raw, book)
    font = book / fonts.FONT_FILE
    assert font.exists() and font.read_bytes()[:4] == b"wOF2"
    assert len(font.read_bytes()) < 1_000_000
    covered = fonts.font_characters(font.read_bytes())
    shown = set()
    for page in (book / "articles").glob("*.md"):
        shown |= {c for c in page.read_text(encoding="utf-8") if ord(c) > 0x2E80}
    assert shown and not shown - covered, sorted(shown - covered)[:20]
    assert {"来", "往", "微", "信", "，", "。"} <= covered and set("Laiwang 0123") <= covered
    mtime = font.stat().st_mtime_ns
    build(out, raw, book)
    assert font.stat().st_mtime_ns == mtime  # the same characters give the same bytes: not rewritten


def test_source_characters_reads_notebook_strings(tmp_path):
    nb = {"cells": [{"source": ["\u6765\u5f80"], "outputs": [{"data": {"text/html": "微信"}}]}]}
    (tmp_path / "a.ipynb").write_text(__import__("json").dumps(nb), encoding="utf-8")
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "x.md").write_text("钉钉", encoding="utf-8")
    chars = fonts.source_characters([tmp_path, tmp_path / "missing"])
    assert {"来", "往", "微", "信"} <= chars and "钉" not in chars


def test_html_table_wraps_scrolls_and_filters():
    df = pd.DataFrame({"id": ["a", "b"], "text": ["x", None], "n": [1.5, float("nan")],
                       "tags": [["one", "t|wo"], []], "flag": [True, False]})
    t = html_table(df, widths={"text": "wide"}, facets=["tags", "id"]).markup
    assert t.startswith('<div class="table-wrap">\n<table class="sortable-table table">') and t.endswith("</div>")
    assert '<th class="col-wide">text</th>' in t and '<th class="num">n</th>' in t and "<th>flag</th>" in t
    assert '<th data-facet="1">tags</th>' in t and '<th data-facet="1">id</th>' in t
    assert '<td data-values="one|t/wo">one; t|wo</td>' in t and '<td data-values=""></td>' in t
    assert '<td class="col-wide"></td><td class="num"></td>' in t  # missing values are empty cells
    assert "nan" not in t.lower() and "None" not in t
    assert html_table(df, wrap=False).markup.startswith("<table")
    with pytest.raises(ValueError, match="widths must be one of"):
        html_table(df, widths={"text": "huge"})
    with pytest.raises(ValueError, match="'nope' \\(facets\\) not in the frame"):
        html_table(df, facets=["nope"])


def test_zh_quote_escapes_and_marks():
    q = escape.zh_quote("来往<b>100人</b>", "Laiwang <b>", mark=(5, 9))
    assert q == ('<span lang="zh" class="zh-quote">来往&lt;b&gt;<mark>100人</mark>&lt;/b&gt;</span>'
                 '<span class="en" lang="en">Laiwang &lt;b&gt;</span>')
    assert escape.zh_quote("来往", "", "current").endswith('<span class="en missing" lang="en">'
                                                          "(no English translation yet)</span>")
    assert "(translation out of date)" in escape.zh_quote("来往", "Laiwang", "stale")

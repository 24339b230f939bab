"""Article pages: anchors exactly once, escaping, MyST safety, determinism, stale pages."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from analysis import catalog, stages
from analysis.corpus.documents import iter_documents
from analysis.extract.ids import claim_id, sentence_anchor
from analysis.report import escape, stage
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
    assert summary == f"pages: 2 article pages, {len(claims)} sentence anchors"
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
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h3", "h2"]
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
    assert '<a href="b.html">b</a>' in t.markup and "<th>count</th>" in t.markup
    assert "<td>1</td>" in t.markup and "<td>2,500,000</td>" in t.markup
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
    assert stage.pages_summary(out) == f"pages: {claims['article_id'].nunique()} article pages, {len(claims):,} sentence anchors"
    stage.write_pages(out["article_pages"], tmp_path)
    ids = []
    for p in sorted((tmp_path / "articles").glob("0*.md")):
        ids += re.findall(r'<span class="sent claim-\w+" id="([^"]+)"', p.read_text(encoding="utf-8"))
    assert sorted(ids) == sorted(sentence_anchor(a, int(c.rpartition(":")[2]))
                                 for a, c in zip(claims["article_id"], claims["claim_id"], strict=True))

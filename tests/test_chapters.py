"""The chapters for readers who do not read Chinese: date model, errata, wording notes, consistent counts, labels.

Invariants rather than known numbers: the tests hold whatever the corpus says.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import catalog, config, lexicon
from analysis.checks.conflicts import WORDED_DIFFERENTLY, find_conflicts
from analysis.compare.timeline import date_mentions
from analysis.lexicon import LexiconError
from analysis.report import adoption, argue, compare, facts, overview, quotes

CJK = re.compile(r"[\u4e00-\u9fff]")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _built(*names):
    if not all(catalog.exists(n, config.PROCESSED_DIR) for n in names):
        pytest.skip(f"{names} not built")
    return [catalog.load(n) for n in names]


# ---------------------------------------------------------------------------
# the lexicons: articles.yaml's date model and errata.yaml
# ---------------------------------------------------------------------------
def test_every_article_has_a_written_date_with_evidence():
    notes = lexicon.articles()
    for aid, note in notes.items():
        written = note["dates"]["written"]
        assert lexicon.ISO_DATE.match(written["date"]), aid
        assert written["evidence"], aid
        assert note["title_en"] and note["short_en"]


@pytest.mark.parametrize(("text", "match", "line"), [
    ("articles:\n  000_a:\n    dates:\n      printed: {date: '2013', evidence: x}\n", "unknown kind", 4),
    ("articles:\n  000_a:\n    dates:\n      written: {date: '2013-13', evidence: x}\n", "is not a date", 4),
    ("articles:\n  000_a:\n    dates:\n      written: {date: '2013'}\n", "needs its evidence", 4),
    ("articles:\n  000_a:\n    dates:\n      written: {date: '2013', evidence: x, qualifier: soon}\n",
     "qualifier", 4),
    ("articles:\n  000_a:\n    dates:\n      written: {date: '2013', evidence: x, claims: [nope]}\n",
     "not a sentence id", 4),
    ("articles:\n  000_a:\n    dates: [2013]\n", "should be a mapping", 3),
])
def test_bad_article_dates_name_the_line(tmp_path, text, match, line):
    bad = tmp_path / "articles.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=match) as err:
        lexicon.articles(bad)
    assert (err.value.path, err.value.line) == (bad, line)


@pytest.mark.parametrize(("text", "match"), [
    ("errata:\n  - {claim: 'a_1:1', as_written: x, corrected: '2015-05-26'}\n", "missing 'reason'"),
    ("errata:\n  - {claim: 'a_1', as_written: x, corrected: '2015', reason: r}\n", "not a sentence id"),
    ("errata:\n  - {claim: 'a_1:1', as_written: x, corrected: 'May 2015', reason: r}\n", "not a date"),
    ("errata:\n  - {claim: 'a_1:1', as_written: x, corrected: '2015', reason: r}\n"
     "  - {claim: 'a_1:1', as_written: x, corrected: '2016', reason: r}\n", "corrected twice"),
])
def test_bad_errata(tmp_path, text, match):
    bad = tmp_path / "errata.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=match):
        lexicon.errata(bad)


def test_every_erratum_matches_a_date_that_the_sentence_writes():
    (claims,) = _built("claims")
    texts = dict(zip(claims["claim_id"], claims["sentence_clean"], strict=True))
    for e in lexicon.errata():
        assert e["as_written"] in texts[e["claim"]], e


def test_errata_change_the_date_and_say_so():
    claims, corpus = _built("claims", "corpus")
    plain = date_mentions(claims, corpus, errata=())
    fixed = date_mentions(claims, corpus)
    assert (plain["erratum"] == "").all()
    for e in lexicon.errata():
        row = fixed[(fixed["claim_id"] == e["claim"]) & (fixed["date_text"] == e["as_written"])]
        assert len(row) == 1 and row["date"].iloc[0] == e["corrected"]
        assert e["reason"] in row["erratum"].iloc[0]
    # every other date is untouched
    assert (plain["date"] != fixed["date"]).sum() <= len(lexicon.errata()) + fixed["erratum"].ne("").sum()


# ---------------------------------------------------------------------------
# the conflicts: same value, different words
# ---------------------------------------------------------------------------
def _numbers(rows):
    cols = ["article_id", "quote", "start", "end", "value", "unit", "subject", "hedge"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


def test_a_threshold_worded_as_upper_and_lower_bounds_is_the_same_target():
    nums = _numbers([
        ("a_1", "不到100人", 0, 6, 100.0, "users", "Laiwang users", "不到"),
        ("b_1", "大于100人", 0, 6, 100.0, "friends", "Laiwang friends", "lower"),
        ("c_1", "100个", 0, 4, 100.0, "users", "Laiwang users", ""),
    ])
    nums["sentence"] = ["阿里员工拓展外部好友不到100人没有红包", "阿里员工外部好友必须大于100人", "每个阿里人必须有外部好友100个,否则没有红包"]
    nums["claim_id"] = ["a_1:0", "b_1:0", "c_1:0"]
    nums["s_start"], nums["s_end"] = nums["start"], nums["end"]
    out = find_conflicts(nums)
    kpi = out[out["quantity"] == "employee_kpi"]
    assert len(kpi) == 3 and kpi["agree"].all()
    assert kpi["note"].str.startswith(WORDED_DIFFERENTLY[0]).all()


def test_agreement_label_reads_the_note():
    row = {"note": f"{WORDED_DIFFERENTLY[1]}: exact vs a lower bound", "agree": True, "like_for_like": True}
    assert argue.agreement_label(row) == WORDED_DIFFERENTLY[1]
    assert argue.agreement_label({**row, "note": ""}) == "agree"
    assert argue.agreement_label({**row, "agree": False}) == "disagree"
    assert argue.agreement_label({**row, "like_for_like": False}) == "consistent (part of a whole)"


# ---------------------------------------------------------------------------
# one count, glued everywhere
# ---------------------------------------------------------------------------
def test_conclusions_and_adoption_count_the_modelled_strategies_alike():
    scen, comparison = _built("scenarios", "strategy_comparison")
    cov = facts.model_coverage(scen)
    assert facts.conclusions_facts(comparison, scen)["n_modelled"] == cov["n_modelled"]
    assert cov["n_modelled"] + cov["n_unmodelled"] == cov["n_scenarios"] == len(scen)
    assert cov["n_modelled"] == int((scen["model"] != "none").sum())


def test_corpus_range_spans_the_written_dates():
    (corpus,) = _built("corpus")
    out = facts.corpus_facts(corpus)
    dates = sorted(n["dates"]["written"]["date"] for n in lexicon.articles().values())
    assert out["written_first"].endswith(dates[0][:4]) or dates[0][:4] in out["written_first"]
    assert dates[-1][:4] in out["written_last"]


def test_answer_links_to_sentences_and_chapters():
    out = facts.answer_facts()
    for key in ("src_regs", "src_dau", "src_dingtalk"):
        assert re.fullmatch(r"\[\d{3}:\d+\]\(articles/[^)]+\.html#s-[^)]+\)", out[key].text), out[key].text
    assert out["push_verdict"] in {"mostly criticised", "mostly backed", "were split on"}
    assert not any(isinstance(v, float) for v in out.values())


# ---------------------------------------------------------------------------
# what a reader sees
# ---------------------------------------------------------------------------
def test_quote_html_is_escaped_chinese_then_english():
    html = quotes.quote_html("<b>来往</b>", "Laiwang & <i>co</i>")
    assert html.startswith('<span lang="zh" class="zh-quote">&lt;b&gt;')
    assert '</span> <span class="en">Laiwang &amp; &lt;i&gt;' in html
    assert "no English" in quotes.quote_html("来往", "")


def test_figure_readings_carry_the_hedge():
    assert quotes.figure_en(100, "users", 1, "不到100人").startswith("fewer than 100")
    assert quotes.figure_en(1e7, "registrations", 1, "超过1000万").startswith("more than 10 million")


def _cells(markup: str) -> list[str]:
    return re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", markup, flags=re.S)


def _assert_chinese_is_glossed(markup: str) -> None:
    """Every cell with Chinese in it has English next to it, and no cell shows a NaN or a snake_case id."""
    for cell in _cells(markup):
        text = re.sub(r"<[^>]+>", "", cell)
        assert text.strip().lower() not in {"nan", "none", "<na>"}, cell
        if CJK.search(text):  # a gloss span, or English words around a bracketed quote
            assert 'class="en"' in cell or 'class="gloss"' in cell or len(re.findall(r"[A-Za-z]{3,}", text)) >= 3, cell
        assert not SNAKE.search(text), cell


@pytest.mark.parametrize("render", [
    lambda: compare.timeline_html(catalog.load("timeline")),
    lambda: compare.figures_html(catalog.load("feature_cells"), catalog.load("features")),
    lambda: compare.verdicts_table(catalog.load("strategy_comparison"), sens=catalog.load("sensitivity")),
    lambda: compare.strategies_html(catalog.load("strategy_comparison")),
    lambda: argue.conflicts_table(catalog.load("fact_conflicts")),
    lambda: argue.topics_table(catalog.load("themes")),
    lambda: adoption.scenarios_table(catalog.load("scenarios")),
    lambda: adoption.parameters_table(catalog.load("scenarios"), catalog.load("numbers")),
    lambda: overview.articles_table(catalog.load("corpus")),
])
def test_tables_gloss_every_chinese_cell(render):
    _built("timeline", "feature_cells", "strategy_comparison", "fact_conflicts", "themes", "scenarios", "corpus")
    _assert_chinese_is_glossed(render().markup)


def test_feature_matrix_drops_empty_features_and_products():
    features, cells = _built("features", "feature_cells")
    html = compare.features_html(features, cells).markup
    header = re.search(r"<thead>(.*?)</thead>", html, flags=re.S).group(1)
    body_rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], flags=re.S)
    cue = [f["id"] for f in lexicon.features()["features"] if f["id"] in features]
    filled = features[cue].fillna("").astype(str) != ""
    assert len(body_rows) == int(filled.any(axis=0).sum())  # one row per feature that some product has
    assert len(re.findall(r"<th", header)) - 1 == int(filled.any(axis=1).sum())  # one column per product
    for row in body_rows:  # every feature row has a filled cell
        assert any(c.strip() for c in _cells(row)[1:])


def test_parameter_lines_read_as_words():
    line = adoption.parameter_lines('{"beta": 6.0, "t_push": 2.7324}',
                                    "beta: assumed (range 3-10); t_push: external: push in 2013-10 (SCMP)")
    assert "network effect β = 6" in line and "assumed, 3–10" in line
    assert "push start = October 2013" in line and "{" not in line


def test_verdict_words_name_model_and_robustness():
    assert quotes.strategy_name("employee_push") != "employee_push"
    assert compare.verdict_words("competition: fade", 0.88) == "fades (two-platform model; 88% of runs agree)"
    assert compare.verdict_words("none: not modelled") == "outside the models"
    assert compare.verdict_words("") == "not yet modelled"


def test_date_words():
    assert overview.format_date("2013-10-22") == "22 October 2013"
    assert overview.date_words({"date": "2018-07", "qualifier": "not before"}) == "July 2018 or later"
    assert overview.date_words({"date": "", "qualifier": "about"}) == "unknown"

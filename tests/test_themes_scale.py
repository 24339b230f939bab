"""The shortcuts that make the themes stage scale give the results of the plain computation.

Issue 13: per-distinct-sentence work in the stance coder and the candidates, early exits in the
cue matchers, a cheaper repeat test, and the capped refits of topic stability on large corpora.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import lexicon
from analysis.extract.exhaustive import exhaustive
from analysis.segment import content_tokens
from analysis.themes import stability, stance, stance_cues, stance_prep, targets
from analysis.themes.model import ThemeModel
from analysis.themes.stance import _bigrams
from analysis.themes.targets import claim_order

# three planted topics of four sentences each (as in test_themes.py)
TOKENS = [content_tokens(d) for d in (
    "阿里巴巴强推来往,员工必须拉好友", "员工好友红包来往推广", "马云内网强推来往员工红包", "阿里强推来往红包好友",
    "微信用户突破四亿,腾讯优势明显", "腾讯微信用户增长,微信垄断市场", "微信朋友圈腾讯用户习惯", "腾讯微信用户市场",
    "钉钉企业协同办公,钉钉服务中小企业", "企业办公钉钉协同工具", "中小企业使用钉钉办公", "钉钉企业办公协同",
)]


@pytest.fixture(scope="module")
def gold_claims() -> pd.DataFrame:
    rows = lexicon.claims_gold()
    return pd.DataFrame({"claim_id": [r["claim_id"] for r in rows], "article_id": [r["article_id"] for r in rows],
                         "sentence_clean": [r["sentence_clean"] for r in rows], "type": "", "heading": False})


def _doubled(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims twice: every article again under a new id, so every sentence occurs twice."""
    copy = claims.assign(article_id="zz_" + claims["article_id"],
                         claim_id=["zz_" + c for c in claims["claim_id"]])
    return pd.concat([claims, copy], ignore_index=True)


def _refit_sizes(monkeypatch, docs, **kw) -> list[int]:
    sizes: list[int] = []
    fit = ThemeModel.fit

    def spy(self, X, y=None):
        sizes.append((len(X), self.max_iter))
        return fit(self, X, y)

    ref = ThemeModel(n_topics=3, min_df=1, max_df=1.0).fit(docs)
    monkeypatch.setattr(ThemeModel, "fit", spy)
    table = stability.topic_stability(docs, n_runs=2, seed=1, reference=ref, **kw)
    assert len(table) == 3 * 2 * 3  # the same protocol: kinds x runs x topics
    return sizes


def test_stability_refits_are_capped_only_above_the_threshold(monkeypatch):
    docs = TOKENS * 5  # 60 documents
    below = _refit_sizes(monkeypatch, docs, large=60, sample=20)
    # drop 10%, all, drop 10%, every iteration: the protocol unchanged
    assert below == [(54, 1000), (54, 1000), (60, 1000), (60, 1000), (54, 1000), (54, 1000)]
    above = _refit_sizes(monkeypatch, docs, large=59, sample=20)
    assert above == [(20, stability.REFIT_MAX_ITER)] * 6


def test_stability_cap_is_deterministic_and_checked():
    docs = TOKENS * 5
    a = stability.topic_stability(docs, n_topics=3, n_runs=2, seed=1, large=30, sample=24)
    b = stability.topic_stability(docs, n_topics=3, n_runs=2, seed=1, large=30, sample=24)
    pd.testing.assert_frame_equal(a, b)
    assert a["cosine"].between(0, 1).all()
    with pytest.raises(ValueError, match="sample"):
        stability.topic_stability(docs, n_topics=3, n_runs=1, large=30, sample=2)


def test_book_corpus_is_far_below_the_stability_threshold(gold_claims):
    assert stability.LARGE_CORPUS >= 10 * len(gold_claims)
    assert stability.REFIT_SAMPLE > len(gold_claims)


def _naive_repeats(claims: pd.DataFrame, min_chars: int = 20, similarity: float = 0.8) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, g in claims.groupby("article_id", sort=True):
        g = g.assign(_pos=[claim_order(c) for c in g["claim_id"]]).sort_values("_pos")
        seen: list[tuple[str, set[str]]] = []
        for cid, text in zip(g["claim_id"], g["sentence_clean"].fillna(""), strict=True):
            grams = _bigrams(text)
            if len(text) >= min_chars:
                for first, other in seen:
                    if len(grams | other) and len(grams & other) / len(grams | other) >= similarity:
                        out[cid] = out.get(first, first)
                        break
                seen.append((cid, grams))
    return out


def test_repeats_equal_the_plain_pairwise_test(gold_claims):
    # near-repeats of every length: each sentence again with a few characters cut or added
    extra = []
    for i, (cid, text) in enumerate(zip(gold_claims["claim_id"], gold_claims["sentence_clean"], strict=True)):
        art, _, n = cid.rpartition(":")
        variant = text[: len(text) - i % 7] + "的" * (i % 3)
        extra.append({"claim_id": f"{art}:{int(n) + 10_000}", "article_id": art, "sentence_clean": variant})
    claims = pd.concat([gold_claims, pd.DataFrame(extra)], ignore_index=True)
    for sim in (0.5, 0.8, 0.95):
        got = stance.repeats(claims, similarity=sim)
        assert got == _naive_repeats(claims, similarity=sim)
    assert len(stance.repeats(claims)) > 0


def test_candidates_of_a_repeated_sentence_are_found_alike(gold_claims):
    cand = targets.candidates(_doubled(gold_claims))
    first = cand[~cand["article_id"].str.startswith("zz_")].reset_index(drop=True)
    second = cand[cand["article_id"].str.startswith("zz_")].reset_index(drop=True)
    assert len(first) > 0 and len(first) == len(second)
    strip = {"claim_id": lambda s: s.str.removeprefix("zz_"), "article_id": lambda s: s.str.removeprefix("zz_"),
             "source": lambda s: s.str.removeprefix("zz_")}
    pd.testing.assert_frame_equal(second.assign(**{k: f(second[k]) for k, f in strip.items()}), first)
    pd.testing.assert_frame_equal(targets.candidates(gold_claims), first)


def test_prepared_cues_equal_the_cues_of_each_sentence(gold_claims):
    prep = stance_prep.prepare(_doubled(gold_claims))
    for cid, text in prep["text"].items():
        assert prep["info"][cid] == stance_cues.sentence_cues(text)


def test_cue_spans_equal_the_exhaustive_scan(gold_claims):
    sentences = list(gold_claims["sentence_clean"])
    fast = [stance_cues.cue_spans(s) for s in sentences]
    with exhaustive():
        slow = [stance_cues.cue_spans(s) for s in sentences]
    assert fast == slow
    assert sum(bool(f["crit"]) for f in fast) > 0


def test_advice_hits_are_the_cue_hits_of_their_keys(gold_claims):
    from analysis.extract.cues import advice_hits, cue_hits

    found = 0
    for s in gold_claims["sentence_clean"]:
        hits, advice = cue_hits(s), advice_hits(s)
        assert advice == {k: hits[k] for k in ("recommendation", "recommendation_negative", "prediction")}
        found += any(advice.values())
    assert found > 10


def test_repeats_prefix_filter_at_every_threshold(gold_claims):
    """Exact copies, near copies and unrelated sentences, at thresholds whose t*n is an integer."""
    extra = []
    for i, (cid, text) in enumerate(zip(gold_claims["claim_id"], gold_claims["sentence_clean"], strict=True)):
        art, _, n = cid.rpartition(":")
        for k, variant in enumerate((text, text[i % 5:], text + "来往" * (i % 4), text[::-1])):
            extra.append({"claim_id": f"{art}:{int(n) + 10_000 * (k + 1)}", "article_id": art,
                          "sentence_clean": variant})
    claims = pd.concat([gold_claims, pd.DataFrame(extra)], ignore_index=True)
    for sim in (0.0, 0.1, 0.25, 0.5, 0.6, 0.75, 0.8, 0.9, 1.0):
        assert stance.repeats(claims, similarity=sim) == _naive_repeats(claims, similarity=sim), sim


def test_prepare_per_article_in_parallel_and_cached_equals_in_process(gold_claims, tmp_path):
    from analysis import config
    from analysis.cache import DocumentCache
    from analysis.stage_api import Context

    claims = _doubled(gold_claims)
    local = stance_prep.prepare(claims)
    store = DocumentCache(tmp_path / "cache")
    ctx = Context(processed_dir=tmp_path, raw_dir=config.RAW_DIR, book_dir=tmp_path, n_jobs=2,
                  cache=store.scoped(()))
    for _ in range(2):  # computed on two workers and stored, then read back from the cache
        par = stance_prep.prepare(claims, ctx=ctx)
        assert set(par) == set(local)
        for key in ("text", "type", "heading", "speaker", "info", "context", "repeats"):
            assert par[key] == local[key], key
        pd.testing.assert_frame_equal(par["candidates"], local["candidates"])
        pd.testing.assert_frame_equal(par["claims"], local["claims"])
    assert len(store.keys()) == claims["article_id"].nunique()


def test_stability_refits_on_workers_equal_in_process():
    docs = TOKENS * 5
    one = stability.topic_stability(docs, n_topics=3, n_runs=3, seed=1, large=30, sample=24)
    two = stability.topic_stability(docs, n_topics=3, n_runs=3, seed=1, large=30, sample=24, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    full = stability.topic_stability(docs, n_topics=3, n_runs=3, seed=1, n_jobs=2)  # uncapped protocol too
    pd.testing.assert_frame_equal(full, stability.topic_stability(docs, n_topics=3, n_runs=3, seed=1))


def test_stance_of_articles_outside_the_reference_cached_equals_computed(gold_claims, tmp_path, monkeypatch):
    from analysis import config
    from analysis.cache import DocumentCache
    from analysis.stage_api import Context
    from analysis.themes import stance_model

    claims = _doubled(gold_claims)  # the copies are outside the reference: coded by the tagger fit on all of it
    reference = lexicon.coding("reference")
    expected = stance_model.cross_fit(claims, reference)
    assert (expected["fold"] == "all").any()
    store = DocumentCache(tmp_path / "cache")
    ctx = Context(processed_dir=tmp_path, raw_dir=config.RAW_DIR, book_dir=tmp_path, n_jobs=1,
                  cache=store.scoped(()))
    prep = stance_prep.prepare(claims, ctx=ctx)
    before = set(store.keys())
    pd.testing.assert_frame_equal(stance_model.cross_fit(claims, reference, prep=prep, cache=store), expected)
    stored = set(store.keys()) - before
    assert len(stored) == claims.loc[claims["article_id"].str.startswith("zz_"), "article_id"].nunique()
    calls: list[list[str]] = []
    real = stance_model.fit_predict

    def spy(prep_, gold, train, test, **kw):
        calls.append(sorted(test))
        return real(prep_, gold, train, test, **kw)

    monkeypatch.setattr(stance_model, "fit_predict", spy)
    again = stance_model.cross_fit(claims, reference, prep=prep, cache=store)
    pd.testing.assert_frame_equal(again, expected)
    assert all(not any(a.startswith("zz_") for a in test) for test in calls)  # the copies came from the cache
    # another reference coding: another tagger, so the copies are coded afresh
    changed = {**reference, "sentences": reference["sentences"][1:]}
    calls.clear()
    stance_model.cross_fit(claims, changed, prep=prep, cache=store)
    assert any(any(a.startswith("zz_") for a in test) for test in calls)

"""Tests for analysis.themes: the ThemeModel estimator contract, stability, topics vs codebook, stance."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from analysis import lexicon
from analysis.segment import content_tokens, passthrough
from analysis.themes import codebook, stability, stance
from analysis.themes.model import ThemeModel, topic_tokens
from analysis.tokenizer import ChineseTokenizer

DOCS = [
    "阿里巴巴强推来往,员工必须拉好友",
    "员工好友红包来往推广",
    "马云内网强推来往员工红包",
    "微信用户突破四亿,腾讯优势明显",
    "腾讯微信用户增长,微信垄断市场",
    "微信朋友圈腾讯用户习惯",
    "钉钉企业协同办公,钉钉服务中小企业",
    "企业办公钉钉协同工具",
    "中小企业使用钉钉办公",
    "阿里投资陌陌和Snapchat",
    "阿里注资Tango,投资社交应用",
    "投资陌陌融资持股阿里",
]
TOKENS = [content_tokens(d) for d in DOCS]


def model(**kw):
    return ThemeModel(n_topics=3, min_df=1, max_df=1.0, **kw)


def test_fit_transform_shapes_and_names():
    m = model().fit(DOCS)
    W = m.transform(DOCS)
    assert W.shape == (len(DOCS), 3)
    assert (W >= 0).all()
    assert m.components_.shape == (3, len(m.terms_)) == (3, m.n_features_in_)
    assert list(m.get_feature_names_out()) == ["topic_0", "topic_1", "topic_2"]
    terms = m.top_terms(4)
    assert list(terms.columns) == ["topic", "rank", "term", "weight"]
    assert terms.groupby("topic").size().max() <= 4


def test_init_only_stores_params():
    m = ThemeModel(n_topics=-3)
    assert m.n_topics == -3  # no validation in __init__
    assert clone(m).get_params()["n_topics"] == -3
    with pytest.raises(ValueError, match="n_topics"):
        m.fit(DOCS)


def test_not_fitted():
    with pytest.raises(NotFittedError):
        model().transform(DOCS)


def test_too_many_topics():
    with pytest.raises(ValueError, match="exceeds the number of documents"):
        ThemeModel(n_topics=50).fit(DOCS)


def test_negative_matrix_rejected():
    with pytest.raises(ValueError, match="non-negative"):
        model().fit(-sp.random(12, 20, density=0.5, random_state=0, format="csr"))


def test_pickle_round_trip():
    m = model().fit(DOCS)
    m2 = pickle.loads(pickle.dumps(m))
    assert_allclose(m2.transform(DOCS), m.transform(DOCS))


def test_pipeline_after_chinese_tokenizer():
    pipe = Pipeline([("seg", ChineseTokenizer()), ("topics", model())]).fit(DOCS)
    assert pipe.transform(DOCS).shape == (len(DOCS), 3)
    pickle.loads(pickle.dumps(pipe))


def test_pipeline_after_tfidf_vectorizer():
    vec = TfidfVectorizer(tokenizer=content_tokens, token_pattern=None, lowercase=False)
    pipe = Pipeline([("tfidf", vec), ("topics", model())]).fit(DOCS)
    W = pipe.transform(DOCS)
    assert sp.issparse(pipe.named_steps["tfidf"].transform(DOCS))
    assert W.shape == (len(DOCS), 3)
    terms = pipe.named_steps["topics"].top_terms(3, feature_names=vec.get_feature_names_out())
    assert set(terms["term"]) <= set(vec.get_feature_names_out())


def test_token_input_equals_text_input():
    a = model().fit(DOCS)
    b = model().fit(TOKENS)
    assert list(a.terms_) == list(b.terms_)
    assert_allclose(a.components_, b.components_, atol=1e-8)


def test_invariant_to_document_order():
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(TOKENS))
    a = model().fit(TOKENS)
    b = model().fit([TOKENS[i] for i in perm])
    assert list(a.terms_) == list(b.terms_)
    match, cos = stability.match_topics(a.components_, b.components_)
    assert list(match) == [0, 1, 2]
    assert cos.min() > 0.999
    assert_allclose(a.transform(TOKENS), b.transform(TOKENS), atol=1e-4)


def test_deterministic():
    a = model().fit(TOKENS).top_terms(5)
    b = model().fit(TOKENS).top_terms(5)
    pd.testing.assert_frame_equal(a, b)


def test_topics_recover_planted_groups():
    m = ThemeModel(n_topics=4, min_df=1, max_df=1.0).fit(TOKENS)
    W = m.transform(TOKENS)
    groups = [set(np.argmax(W[i : i + 3], axis=1)) for i in range(0, 12, 3)]
    assert all(len(g) == 1 for g in groups)
    assert len(set.union(*groups)) == 4


def test_match_topics_hungarian():
    A = np.eye(3)
    B = A[[2, 0, 1]]
    match, cos = stability.match_topics(A, B)
    assert list(match) == [1, 2, 0]
    assert_allclose(cos, 1.0)
    with pytest.raises(ValueError, match="same terms"):
        stability.match_topics(np.eye(3), np.eye(4))


def test_stability_in_unit_interval_and_deterministic():
    docs = TOKENS * 3
    a = stability.topic_stability(docs, n_topics=4, n_runs=2, seed=1)
    b = stability.topic_stability(docs, n_topics=4, n_runs=2, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["kind"]) == {"drop", "seed", "drop+seed"}
    assert a["cosine"].between(0, 1).all()
    assert 0 <= stability.stability_score(a) <= 1
    assert stability.stability_score(a) > 0.8  # planted topics are easy to find again


def test_stability_rejects_bad_drop():
    with pytest.raises(ValueError, match="drop"):
        stability.topic_stability(TOKENS, drop=1.5)


def test_topic_codebook_cosines():
    claims = pd.DataFrame({"themes": ["a", "a", "b", ""]})
    W = np.array([[1.0, 0], [1, 0], [0, 1], [0, 0]])
    terms = pd.DataFrame({"topic": [0, 1], "rank": [0, 0], "term": ["x", "y"], "weight": [1.0, 1.0]})
    cb = codebook.topic_codebook(W, claims, terms, strategies=["a", "b"])
    got = cb.set_index(["topic", "strategy"])["cosine"]
    assert got[(0, "a")] == pytest.approx(1.0) and got[(0, "b")] == 0
    assert cb[cb.best_for_topic][["topic", "strategy"]].values.tolist() == [[0, "a"], [1, "b"]]


def test_strategy_stance_majority_and_absent():
    sent = pd.DataFrame({
        "claim_id": ["a:0", "a:1", "a:2", "b:0", "b:1"],
        "article_id": ["a", "a", "a", "b", "b"],
        "strategy_id": ["s", "s", "s", "s", "t"],
        "stance": ["supports", "supports", "criticises", "reports", "criticises"],
    })
    st = stance.strategy_stance(sent, ["a", "b"], strategies=["s", "t"]).set_index(["strategy", "article_id"])
    assert st.loc[("s", "a"), "stance"] == "supports"
    assert st.loc[("s", "a"), "evidence"] == "a:0;a:1"
    assert st.loc[("s", "b"), "stance"] == "reports"
    assert st.loc[("t", "a"), "stance"] == "absent"
    assert st.loc[("t", "b"), "stance"] == "criticises"
    assert not st["checked"].any() and (st["reference_stance"] == "").all()
    with pytest.raises(ValueError, match="lacks columns"):
        stance.strategy_stance(sent.drop(columns="stance"), ["a"])


def test_passthrough_vectorizer_matches_internal():
    vec = TfidfVectorizer(analyzer=passthrough, sublinear_tf=True)
    X = vec.fit_transform(TOKENS)
    m = model().fit(X)
    assert m.vectorizer_ is None
    assert m.transform(X).shape == (len(TOKENS), 3)


def test_stance_matrix_scores_in_codebook_order():
    ids = [s["id"] for s in lexicon.strategies()][:2]
    st = pd.DataFrame({"strategy": [ids[1], ids[0], ids[0]], "article_id": ["b", "b", "a"],
                       "stance": ["supports", "criticises", "absent"]})
    m = stance.stance_matrix(st)
    assert list(m.index) == ids and list(m.columns) == ["a", "b"]
    assert m.loc[ids[0], "b"] == -1 and m.loc[ids[1], "b"] == 1 and np.isnan(m.loc[ids[0], "a"])
    with pytest.raises(ValueError, match="unknown stances"):
        stance.stance_matrix(st.assign(stance="maybe"))


def test_topic_tokens_drop_single_characters():
    (toks,) = topic_tokens(["来往的用户不会增长"])
    assert toks and all(len(t) >= 2 for t in toks)

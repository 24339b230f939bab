"""Tests for the claim-type coder and its evaluation against the reference coding.

The rules follow the coding manual's decision order (known answers from its
tables); the cross-fitting never lets a sentence's own label reach the model
that types it; the ``claims`` table carries exactly the leave-one-article-out
predictions of the ``final`` coder; the evaluation and the coders' agreement
have the shape the catalogue declares.  The scores themselves are reported,
not asserted.
"""

from __future__ import annotations

import numpy as np
import numpy.testing as npt
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from analysis import catalog, config, lexicon
from analysis.checks import agreement, evaluation
from analysis.checks import stage as checks_stage
from analysis.extract import claims, classifier, rules
from analysis.stage_api import Context

needs_claims = pytest.mark.skipif(not catalog.exists("claims"), reason="run `python -m analysis claims` first")


# -- the manual's decision order -------------------------------------------------
@pytest.mark.parametrize(
    ("sentences", "headings", "expected"),
    [
        (["差异化定位"], [True], ["other"]),  # a heading (manual A, test 1)
        (["如:"], [False], ["other"]),  # a label that introduces a list
        (["来往应该定位在满足人们的需求上。"], None, ["recommendation"]),
        (["杀入垄断行业,除了有足够的实力支撑,差异化也同样重要。"], None, ["recommendation"]),  # importance of an action
        (["但是,前期都可以小范围尝试。"], None, ["recommendation"]),  # 可以…尝试
        (["大家别忘了新浪从博客到微博,也都是用明星效应推起来的。"], None, ["fact"]),  # a reminder (F3), a past event
        (["都是可以尝试的方向:", "# 查看附近的人,谁有绑定支付宝,有小标识。"], None,
         ["recommendation", "recommendation"]),  # a list item takes the intro's advice
        (["同时,推出限期注册的公众号。"], None, ["recommendation"]),  # a proposal step
        (["来往的病危报告从现在就可以书写了,如果不做手术,只会比易信更艰难。"], None, ["prediction"]),
        (["钉钉会成功吗?"], None, ["other"]),  # an open question
        (["阿里的来往似乎注定是失败者,这次马云会重现后来者居上吗?"], None, ["prediction"]),
        (["这种定位的愚蠢,源于阿里巴巴此前的成长阴影。"], None, ["causal"]),
        (["所以回到今天的来往,暂时没有上线LBS功能。"], None, ["fact"]),  # discourse 所以 (manual A)
        (["如果简单的把淘宝卖家粗暴的导向来往,信息的垃圾化可想而知。"], None, ["causal"]),  # hypothetical consequence
        (["2014年3月,阿里花了2.5亿美金投资了美国的社交软件Tango。"], None, ["fact"]),
        (["一个月前,丁磊反唇相讥道:“你们就希望易信不成功吗?"], None, ["fact"]),  # a question quoted in narration
        (["阿里有什么?"], None, ["other"]),
    ],
)
def test_decision_order_known_answers(sentences, headings, expected):
    assert [c.type for c in rules.code_article(sentences, headings)] == expected


def test_author_name_marks_an_anecdote():
    text = ["老汪觉得来往不好用。"]
    assert rules.code_article(text, author="老汪")[0].type == "other"
    assert rules.code_article(text)[0].type == "fact"


def test_asserted_part_drops_the_question_clause():
    assert rules.asserted_part("腾讯有QQ好友支撑,阿里有什么?") == "腾讯有QQ好友支撑"
    assert rules.asserted_part("钉钉会成功吗?") == ""
    assert rules.asserted_part("来往将失败。") == "来往将失败。"


def test_code_article_checks_its_input():
    with pytest.raises(ValueError, match="heading flags"):
        rules.code_article(["a。", "b。"], [True])
    with pytest.raises(ValueError, match="must be a str"):
        rules.code_article([None])


# -- cross-fitting holds the article out ---------------------------------------------
def _toy():
    texts = ["阿里应该推广。", "来往必须改变。", "用户突破4亿。", "融资了5亿。", "因为需求刚性。", "由于先发优势。"] * 4
    labels = ["recommendation", "recommendation", "fact", "fact", "causal", "causal"] * 4
    groups = [g for g in "abcd" for _ in range(6)]
    return texts, pd.Series(labels, dtype=object), pd.Series(groups)


def test_cross_fit_never_sees_the_held_out_labels():
    texts, labels, groups = _toy()
    base = classifier.cross_fit(texts, labels, groups, classifier.make_classifier)
    flipped = labels.copy()
    flipped[groups == "a"] = "other"  # poison article a's own labels
    again = classifier.cross_fit(texts, flipped, groups, classifier.make_classifier)
    a = (groups == "a").to_numpy()
    assert list(again["prediction"][a]) == list(base["prediction"][a])
    assert set(again["fold"][a]) == {"a"}


def test_cross_fit_uses_every_label_for_unlabelled_rows():
    texts, labels, groups = _toy()
    labels = labels.copy()
    labels[groups == "d"] = None
    out = classifier.cross_fit(texts, labels, groups, classifier.make_classifier)
    assert set(out["fold"][groups == "d"]) == {"all"}
    assert set(out["fold"][groups != "d"]) == {"a", "b", "c"}
    assert (out["prediction"] != "").all()


def test_cross_fit_predicts_in_chunks_alike(monkeypatch):
    texts, labels, groups = _toy()
    labels = labels.copy()
    labels[groups.isin(["c", "d"])] = None
    whole = classifier.cross_fit(texts, labels, groups, classifier.make_classifier)
    monkeypatch.setattr(classifier, "PREDICT_CHUNK", 5)  # 12 unlabelled rows: chunks of 5, 5 and 2
    pd.testing.assert_frame_equal(classifier.cross_fit(texts, labels, groups, classifier.make_classifier), whole)


def test_cross_fit_falls_back_when_a_fold_has_one_class():
    texts, labels, groups = _toy()
    labels = pd.Series(["fact"] * len(labels), dtype=object)
    fallback = pd.Series(["other"] * len(labels))
    out = classifier.cross_fit(texts, labels, groups, classifier.make_classifier, fallback=fallback)
    assert set(out["prediction"]) == {"other"}
    with pytest.raises(ValueError, match="fewer than two classes"):
        classifier.cross_fit(texts, labels, groups, classifier.make_classifier)


def test_cross_fit_checks_lengths():
    texts, labels, groups = _toy()
    with pytest.raises(ValueError, match="same length"):
        classifier.cross_fit(texts[:-1], labels, groups, classifier.make_classifier)


@pytest.fixture(scope="module")
def table():
    if not catalog.exists("claims"):
        pytest.skip("run `python -m analysis claims` first")
    return catalog.load("claims")


@pytest.fixture(scope="module")
def reference():
    return claims.load_reference()


@needs_claims
def test_loao_evaluation_holds_out_each_article(table, reference):
    """Relabel one article at random: its held-out predictions must not move."""
    base = evaluation.loao_claim_types(table, reference)
    held = sorted(base["article_id"].unique())[0]
    rng = np.random.default_rng(config.SEED)
    poisoned = reference.copy()
    mask = poisoned["article_id"] == held
    poisoned.loc[mask, "type"] = rng.choice(list(claims.TYPES), int(mask.sum()))
    again = evaluation.loao_claim_types(table, poisoned)
    rows = (base["article_id"] == held).to_numpy()
    for method in ("classifier", "final"):
        assert list(again.loc[rows, method]) == list(base.loc[rows, method]), method
    assert list(again.loc[rows, "label"]) != list(base.loc[rows, "label"])  # the labels did change


@needs_claims
def test_claims_types_are_the_cross_fitted_predictions(table, reference):
    corpus = catalog.load("corpus") if catalog.exists("corpus") else None
    authors = dict(zip(corpus["article_id"], corpus["author"].fillna(""), strict=True)) if corpus is not None else {}
    pred = evaluation.loao_claim_types(table, reference, authors)
    got = table.set_index("claim_id").loc[pred["claim_id"], "type"]
    assert list(got) == list(pred["final"])


@needs_claims
def test_reference_joins_by_id_and_text(table, reference):
    labels = claims.reference_labels(table, reference)
    assert labels.notna().sum() == len(reference)
    moved = table.copy()
    moved.loc[moved.index[0], "sentence_clean"] = "改过的句子。"
    assert claims.reference_labels(moved, reference).iloc[0] is None


# -- the evaluation table ------------------------------------------------------
@pytest.fixture(scope="module")
def stage_out():
    if not (catalog.exists("claims") and catalog.exists("numbers")):
        pytest.skip("run `python -m analysis numbers claims` first")
    ctx = Context(processed_dir=config.PROCESSED_DIR, raw_dir=config.RAW_DIR, book_dir=config.BOOK_DIR)
    inputs = {"claims": catalog.load("claims"), "numbers": catalog.load("numbers"),
              "corpus": catalog.load("corpus") if catalog.exists("corpus") else None}
    return checks_stage.evaluate(inputs, ctx)


def test_evaluation_has_every_task_split_and_method(stage_out):
    ev = stage_out["evaluation"]
    catalog.check_frame("evaluation", ev)
    assert set(ev["task"]) == {"claim_type", "figures", "figure_subject", "figure_unit", "figure_hedge"}
    ct = ev[ev["task"] == "claim_type"]
    assert set(ct["method"]) == set(evaluation.METHODS)
    articles = sorted({c.rpartition(":")[0] for c in claims.load_reference()["claim_id"]})
    assert set(ct["split"]) == set(articles) | {"all"}
    assert ev["value"].between(0, 1).all()
    pooled = ct[(ct["split"] == "all") & (ct["metric"] == "accuracy")]
    assert set(pooled["n"]) == {len(claims.load_reference())}
    assert ev.equals(ev.sort_values(["task", "method", "split", "metric", "label"], ignore_index=True))
    assert checks_stage.evaluate_summary(stage_out).startswith("evaluate: claim types macro-F1")


def test_coder_agreement_artefact(stage_out):
    ag = stage_out["coder_agreement"]
    catalog.check_frame("coder_agreement", ag)
    assert ag["scope"].iloc[0] == "all"
    articles = sorted({r["article_id"] for r in lexicon.coding("coder_a")["cells"]})
    assert set(ag["scope"]) == {"all", *articles}
    pooled = ag[ag["scope"] == "all"].set_index("field")
    assert pooled.loc["type", "n"] == len(lexicon.coding("coder_a")["sentences"])
    k = pooled.drop(index="figure_found")
    assert ((k["kappa_lo"] <= k["kappa"] + 1e-9) & (k["kappa"] <= k["kappa_hi"] + 1e-9)).all()


# -- figures against the reference ---------------------------------------------------
@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Taobao/Tmall users", {"Taobao", "Tmall"}),
        ("Taobao/Tmall", {"Taobao", "Tmall"}),
        ("Alibaba employees", {"Alibaba"}),
        ("QQ/WeChat LBS calls per day", {"QQ", "WeChat"}),
        ("Tencent Weibo users", {"Tencent Weibo"}),
        ("mobile resale licence candidates", set()),
        ("firms", set()),
        ("Laiwangers", set()),  # a name must end at a space, a slash or the end
    ],
)
def test_subject_entities(subject, expected):
    assert evaluation.subject_entities(subject) == frozenset(expected)


def test_match_figures_pairs_traditional_quotes_in_order():
    claims_df = pd.DataFrame({"claim_id": ["x:0", "x:1"], "article_id": ["x", "x"], "start": [0, 20],
                              "end": [20, 40]})
    numbers = pd.DataFrame({"article_id": ["x", "x", "x"], "quote": ["過億", "5亿", "3家"], "start": [2, 8, 25],
                            "end": [4, 10, 27], "value": [1e8, 5e8, 3], "unit": ["installs", "users", "firms"],
                            "subject": ["Taobao/Tmall installs", "Wangxin users", "firms"], "hedge": ["1", "0", "0"]})
    figures = pd.DataFrame({"claim_id": ["x:0", "x:0", "x:0"], "quote": ["过亿", "5亿", "7亿"],
                            "subject": ["Taobao/Tmall", "Wangxin", "WeChat"], "unit": ["installs", "users", "users"],
                            "hedged": ["1", "0", "0"]})
    pairs = evaluation.match_figures(numbers, claims_df, figures, coded=["x:0", "x:1"])
    assert list(pairs["quote"]) == ["过亿", "5亿", "7亿", ""]
    assert list(pairs["pred_quote"]) == ["过亿", "5亿", "", "3家"]
    scores = evaluation.figure_scores(pairs).set_index(["task", "split", "metric"])["value"]
    npt.assert_allclose(scores[("figures", "all", "precision")], 2 / 3, atol=1e-4)
    npt.assert_allclose(scores[("figures", "all", "recall")], 2 / 3, atol=1e-4)
    assert scores[("figure_subject", "all", "accuracy")] == 1.0


# -- kappa ---------------------------------------------------------------------------
def test_kappa_matches_sklearn_and_its_interval_brackets_it():
    rng = np.random.default_rng(0)
    a = rng.choice(list("xyz"), 300)
    b = np.where(rng.random(300) < 0.7, a, rng.choice(list("xyz"), 300))
    obs, k, lo, hi = agreement.kappa(a, b, n_boot=300)
    npt.assert_allclose(k, cohen_kappa_score(a, b), atol=1e-12)
    npt.assert_allclose(obs, np.mean(a == b))
    assert lo <= k <= hi
    assert agreement.kappa(["x"] * 4, ["x"] * 4)[1] == 1.0
    with pytest.raises(ValueError, match="same length"):
        agreement.kappa(["x"], ["x", "y"])


def test_cross_fit_on_workers_equals_in_process(monkeypatch):
    texts, labels, groups = _toy()
    labels = labels.copy()
    labels[groups.isin(["c", "d"])] = None
    here = classifier.cross_fit(texts, labels, groups, classifier.make_classifier)
    monkeypatch.setattr(classifier, "PREDICT_CHUNK", 2)  # 12 unlabelled rows: six chunks, on two workers
    there = classifier.cross_fit(texts, labels, groups, classifier.make_classifier, n_jobs=2)
    pd.testing.assert_frame_equal(there, here)


def test_cross_fit_caches_each_groups_predictions(tmp_path, monkeypatch):
    from analysis.cache import DocumentCache

    texts, labels, groups = _toy()
    labels = labels.copy()
    labels[groups.isin(["c", "d"])] = None
    plain = classifier.cross_fit(texts, labels, groups, classifier.make_classifier)
    store = DocumentCache(tmp_path / "c")
    first = classifier.cross_fit(texts, labels, groups, classifier.make_classifier, cache=store)
    pd.testing.assert_frame_equal(first, plain)
    n_groups = groups.nunique()
    assert len(store.keys()) == n_groups  # one entry per group (and fold)

    def no_fit(*args, **kwargs):
        raise AssertionError("a fold was fitted although all its predictions were cached")

    with monkeypatch.context() as m:
        m.setattr(classifier._LazyFit, "fitted", no_fit)
        again = classifier.cross_fit(texts, labels, groups, classifier.make_classifier, cache=store)
    pd.testing.assert_frame_equal(again, plain)
    # another label in one training fold: that fold's model is another, so its groups are predicted afresh
    changed = labels.copy()
    changed.iloc[0] = "causal"  # a row of group a
    expected = classifier.cross_fit(texts, changed, groups, classifier.make_classifier)
    pd.testing.assert_frame_equal(
        classifier.cross_fit(texts, changed, groups, classifier.make_classifier, cache=store), expected)
    assert len(store.keys()) > n_groups

"""Tests for the automatic stance coder: speakers, targets, scoped cues, the cell rule, cross-fitting, scores.

The cross-fitting tests check that the leave-one-article-out estimate really
holds the article out: the coding of an article does not change when its own
reference labels are scrambled, and does change when another article's are.
No test asserts a measured score (the agreement or the number of reversals):
those are reported in ``stance_evaluation``, not guaranteed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import catalog, lexicon
from analysis.themes import speaker, stance, stance_cues, stance_model, stance_prep, stance_scores, targets
from analysis.themes.stage import stance_tables

# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    """The coding units as a claims table (no claim types: the coder must work without them)."""
    rows = lexicon.claims_gold()
    return pd.DataFrame({"claim_id": [r["claim_id"] for r in rows], "article_id": [r["article_id"] for r in rows],
                         "sentence_clean": [r["sentence_clean"] for r in rows], "type": "", "heading": False})


@pytest.fixture(scope="module")
def prep(claims):
    return stance_prep.prepare(claims)


@pytest.fixture(scope="module")
def reference():
    return lexicon.coding("reference")


def _scramble(coding, article: str, seed: int = 0):
    """The coding with the sentence labels of ``article`` replaced by random ones."""
    rng = np.random.default_rng(seed)
    ids = [s["id"] for s in lexicon.strategies()]
    sentences = []
    for r in coding["sentences"]:
        if r["claim_id"].startswith(article):
            k = int(rng.integers(0, 3))
            picks = sorted(rng.choice(len(ids), size=k, replace=False)) if k else []
            r = {**r, "stances": ";".join(f"{ids[i]}:{rng.choice(lexicon.SENTENCE_STANCES)}" for i in picks)}
        sentences.append(r)
    return {**coding, "sentences": tuple(sentences)}


# -- speaker --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "expected"), [
    ("1个月后,阿里巴巴内部人士指出,来往团队正在大规模重组,从集团各个部门抽调人马。", "quoted:alibaba"),
    ("来往推出不久,马云称自己要退出微信,全面支持来往。", "quoted:jack_ma"),
    ("坊间更有传闻称阿里不断接洽,希望投资日本的社交应用line。", "quoted:other"),
    ("网友帮忙算了一笔账:阿里2万员工,每人100,就是200万。", "quoted:user"),
    ("就如陆兆禧所说,阿里在来往上的教训很明显。", "author"),
    ("原因就是大家普遍认为的阿里有强大的商业基因但缺乏社交基因。", "author"),
    ("陆兆禧向员工发出内部信,以10万奖金促来往推广。", "author"),
    ("个人觉得:QQ承载了太多的功能。", "author"),
    ("华兴资本包凡这样描述阿里巴巴。", "author"),
])
def test_speaker_of_one_sentence(sentence, expected):
    assert speaker.attribute([sentence]) == [expected]


def test_speaker_continuations():
    got = speaker.attribute(["黄江吉感慨:“腾讯对社交领域非常了解,这是它的DNA。", "这是微信成功关键。”",
                             "来往推出了新版本。"])
    assert got == ["quoted:huang_jiangji", "quoted:huang_jiangji", "author"]
    got = speaker.attribute(["陆兆禧向员工发出内部信,以奖金促来往推广:", "谁的好友最多,谁就胜出。", "一等奖1名;",
                             "二等奖3名;", "此外还有团队奖励。", "有奖金,当然也有惩罚。"])
    assert got == ["author"] + ["quoted:jonathan_lu"] * 4 + ["author"]
    got = speaker.attribute(["“阿里巴巴是最渴望流量的公司。”", "华兴资本包凡这样描述阿里巴巴。"])
    assert got == ["quoted:bao_fan", "author"]


# -- targets --------------------------------------------------------------------------------------


STRATS = [
    {"id": "lbs", "seeds": ["附近的人", "附近", "陌生人社交"], "generic": ["附近"]},
    {"id": "cross", "seeds": ["淘宝", "支付宝"], "generic": ["淘宝", "支付宝"]},
    {"id": "dna", "seeds": ["去电商化", "电商基因"], "reversed": ["电商基因"]},
]


def test_seed_hits_longest_first_without_overlap():
    hits = targets.seed_hits("LBS搜附近的人,附近群组", STRATS)
    assert [(h.strategy_id, h.seed, h.start, h.generic) for h in hits] == [
        ("lbs", "附近的人", 4, False), ("lbs", "附近", 9, True)]
    assert targets.seed_hits("电商基因不是劣势", STRATS)[0].reversed
    with pytest.raises(ValueError, match="str"):
        targets.seed_hits(None, STRATS)


@pytest.mark.parametrize(("sentence", "seed", "frame"), [
    ("湖畔花园孵化了很多项目,比如淘宝等。", "淘宝", "examples"),
    ("我打开淘宝、支付宝的App。", "淘宝", "enumeration"),
    ("和微信从附近的人起步不同,来往定位熟人社交。", "附近的人", "comparison"),
    ("卖家在淘宝上开店。", "淘宝", "place"),
    ("淘宝的卖家很多。", "淘宝", "modifier"),
])
def test_hit_frames(sentence, seed, frame):
    hit = next(h for h in targets.seed_hits(sentence, STRATS) if h.seed == seed)
    assert targets.hit_frame(sentence, hit)[frame]


def test_clauses_cover_the_sentence():
    s = "可惜的是,这种觉悟并没有带到来往上去;阿里其实在揠苗助长。"
    spans = targets.clauses(s)
    assert spans[0][0] == 0 and spans[-1][1] == len(s)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_candidates_carry_through_an_anaphor_and_a_quotation():
    cl = pd.DataFrame({"claim_id": ["a:0", "a:1", "a:2", "a:3", "a:4"], "article_id": "a",
                       "sentence_clean": ["来往应该加上附近的人。", "这是微信成功的关键。", "以上都很重要。", "天气很好。",
                                          "这很好。"]})
    cand = targets.candidates(cl, STRATS)
    assert list(zip(cand["claim_id"], cand["strategy_id"], cand["carried"], cand["source"], strict=True)) == [
        ("a:0", "lbs", False, "a:0"), ("a:1", "lbs", True, "a:0"), ("a:2", "lbs", True, "a:0")]
    assert bool(cand["strong_in_article"].all())
    cl2 = pd.DataFrame({"claim_id": ["b:0", "b:1"], "article_id": "b",
                        "sentence_clean": ["马云说:“员工都要去淘宝推广。", "谁不参与就走人。”"]})
    cand2 = targets.candidates(cl2, STRATS, speakers={"b:0": "quoted:jack_ma", "b:1": "quoted:jack_ma"})
    assert list(cand2["carried"]) == [False, True]
    with pytest.raises(ValueError, match="lacks columns"):
        targets.candidates(cl.drop(columns="article_id"), STRATS)


# -- scoped cues and the stance rules -------------------------------------------------------------


def _stance(sentence: str, seed: str, **kw) -> str:
    start = sentence.index(seed)
    feats = stance_cues.pair_features(sentence, [(start, start + len(seed))], stance_cues.sentence_cues(sentence), **kw)
    return stance_cues.rule_stance(feats)


@pytest.mark.parametrize(("sentence", "seed", "expected"), [
    # regret at the status quo supports the missing remedy (manual F2)
    ("很遗憾的是当我打开淘宝、支付宝的App时,并未发现有来往的身影。", "淘宝", "supports"),
    # 别忘了 is a reminder, not a prohibition (manual F3)
    ("大家别忘了新浪从博客到微博,也都是用明星效应推起来的。", "明星效应", "supports"),
    # a criticism cue aimed at another target is not near (manual F5)
    ("这次促销完全失败,公众号的思路值得尝试。", "公众号", "supports"),
    ("这次促销完全失败,公众号的思路值得尝试。", "促销", "criticises"),
    # 问题 as a question asked is no criticism (manual F5)
    ("终于不再有人问这么尖锐的问题,大家问的是钉钉为什么这么低调。", "钉钉", "reports"),
    # 不再 X, 而是 Y (manual B)
    ("不再盯着陌生人社交,而是另辟蹊径,挑选了企业协同方向。", "陌生人社交", "criticises"),
    ("不再盯着陌生人社交,而是另辟蹊径,挑选了企业协同方向。", "企业协同", "supports"),
    # a positive statement of an effect is support (manual F8)
    ("阿里人全员出动的能量不可小觑,来往已经冲上了榜首。", "全员出动", "supports"),
    # a praise word denied in its clause is criticism
    ("来往定位是完全的熟人社交,这样的定位使产品很难有什么突破。", "熟人社交", "criticises"),
    # the main clause of a contrast wins
    ("虽然增加了扎堆等特色功能,但是新用户是体验不到那一层的。", "特色功能", "criticises"),
    # a criticism in the modifier of a circumstance judges the place, not the topic
    ("在跨部门协作难上加难的大型互联网公司,来往首先被给予了制度保证。", "制度保证", "reports"),
    # a plain description reports
    ("2014年3月,阿里投资了美国的社交软件Tango。", "投资", "reports"),
])
def test_rule_stance_known_answers(sentence, seed, expected):
    assert _stance(sentence, seed) == expected


def test_quoted_mandate_and_headings_report():
    s = "马云发信称每个阿里人必须有外部来往用户100个。"
    assert _stance(s, "外部来往用户", quoted=True) == "reports"
    assert _stance("差异化定位", "差异化", heading=True) == "reports"
    assert _stance("移动产品居然不在移动端推?", "移动端", heading=True) == "supports"


def test_reversed_target_and_otherwise_swap_sides():
    s = "电商基因不是一种劣势,相反是一种无可取代的优势资源。"
    assert _stance(s, "电商基因") == "supports"
    assert _stance(s, "电商基因", reversed_target=True) == "criticises"
    s2 = "否则一时半会的热度很难维持产品长期的优质活跃。"
    feats = stance_cues.pair_features(s2, [], stance_cues.sentence_cues(s2))
    assert feats.get("otherwise") and stance_cues.rule_stance(feats) == "supports"


def test_figures_are_no_evaluation():
    spans = stance_cues.cue_spans("在2014年底有传言称,来往的日活不足50万,用户突破千万。")
    assert not spans["crit"] and not spans["praise"] and not spans["regret"]


def test_negators_inside_an_idiom_do_not_negate():
    s = "几款社交产品都以不温不火和失败告终。"
    spans = stance_cues.cue_spans(s)
    assert {s[a:b] for a, b in spans["crit"]} == {"不温不火", "失败"} and not spans["praise"]


def test_votes_are_the_weighted_cues():
    pos, neg = stance_cues.votes({"rec_near": 1.0, "crit_final": 1.0, "unknown": 1.0})
    assert pos == stance_cues.POSITIVE["rec_near"] and neg == stance_cues.NEGATIVE["crit_final"]
    assert stance_cues.rule_stance({}) == "reports"


# -- the cell rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(("stances", "expected"), [
    ([], "absent"),
    (["reports", "reports"], "reports"),
    (["reports", "supports"], "supports"),
    (["criticises", "reports"], "criticises"),
    (["supports", "criticises", "criticises"], "criticises"),
    (["supports"] * 10 + ["criticises"], "supports"),
    (["supports", "criticises"], "criticises"),  # a tie: the last word
    (["criticises", "reports", "supports", "reports"], "supports"),
])
def test_cell_rule(stances, expected):
    assert stance.cell_stance(stances) == expected


def test_cell_rule_rejects_unknown_stances():
    with pytest.raises(ValueError, match="unknown"):
        stance.cell_stance(["absent"])


def test_repeats_count_once():
    long = "该社交软件的所有推广和营销推广下没有产生任何推广效益,5亿以上的安装量就可以实现旺信服务化。"
    cl = pd.DataFrame({"claim_id": ["a:0", "a:1", "a:2", "a:3"], "article_id": "a",
                       "sentence_clean": [long, "正文:", "即便" + long, "正文:"]})
    assert stance.repeats(cl) == {"a:2": "a:0"}
    sent = pd.DataFrame({"claim_id": ["a:0", "a:2", "a:1"], "article_id": "a", "strategy_id": "s",
                         "stance": ["criticises", "criticises", "supports"]})
    cells = stance.strategy_stance(sent, ["a", "b"], strategies=["s", "t"], repeated={"a:2": "a:0"},
                                   reference=[{"article_id": "a", "strategy_id": "s", "stance": "criticises"}])
    got = cells.set_index(["strategy", "article_id"])
    assert got.loc[("s", "a"), "stance"] == "supports"  # 1 against 1 without the repeat: the last word
    assert got.loc[("s", "a"), "n_criticises"] == 1 and got.loc[("s", "a"), "evidence"] == "a:1"
    assert got.loc[("t", "a"), "stance"] == "absent" and got.loc[("s", "b"), "stance"] == "absent"
    assert bool(got.loc[("s", "a"), "checked"]) and not bool(got.loc[("s", "b"), "checked"])
    assert got.loc[("s", "a"), "reference_stance"] == "criticises" and got.loc[("s", "b"), "reference_stance"] == ""
    assert list(cells.columns) == stance.CELL_COLUMNS


# -- cross-fitting: the held-out article's labels never reach its predictions ---------------------


def test_reference_pairs_align_on_the_coding_units(claims, reference):
    gold = stance_model.reference_pairs(reference, claims)
    assert gold.attrs["coded"] == set(claims["claim_id"])
    moved = claims.assign(sentence_clean=claims["sentence_clean"].where(claims["claim_id"] != claims["claim_id"][0],
                                                                          "另一个句子"))
    assert claims["claim_id"][0] not in stance_model.reference_pairs(reference, moved).attrs["coded"]


def test_held_out_article_ignores_its_own_labels(claims, prep, reference):
    articles = sorted(claims["article_id"].unique())
    held = articles[2]
    gold = stance_model.reference_pairs(reference, claims)
    train = [a for a in articles if a != held]
    base = stance_model.fit_predict(prep, gold, train, [held])
    for seed in (0, 1):
        scrambled = stance_model.reference_pairs(_scramble(reference, held, seed), claims)
        pd.testing.assert_frame_equal(stance_model.fit_predict(prep, scrambled, train, [held]), base)
    other = stance_model.reference_pairs(_scramble(reference, articles[0]), claims)
    assert not stance_model.fit_predict(prep, other, train, [held])["p_topic"].equals(base["p_topic"])


def test_cross_fit_codes_each_article_without_its_labels(claims, prep, reference):
    articles = sorted(claims["article_id"].unique())
    coded = stance_model.cross_fit(claims, reference, prep=prep)
    assert set(coded["fold"]) == set(articles)
    assert (coded["fold"] == coded["article_id"]).all()
    held = articles[4]
    again = stance_model.cross_fit(claims, _scramble(reference, held), prep=prep)
    pd.testing.assert_frame_equal(again[again["article_id"] == held].reset_index(drop=True),
                                  coded[coded["article_id"] == held].reset_index(drop=True))


def test_an_article_outside_the_reference_uses_every_reference_article(claims, prep, reference):
    new = claims[claims["article_id"] == claims["article_id"].iloc[0]].copy()
    new["article_id"] = "999_new"
    new["claim_id"] = ["999_new:" + c.rsplit(":", 1)[1] for c in new["claim_id"]]
    both = pd.concat([claims, new], ignore_index=True)
    coded = stance_model.cross_fit(both, reference)
    assert set(coded.loc[coded["article_id"] == "999_new", "fold"]) == {"all"}


def test_cross_fit_is_deterministic_and_order_free(claims, reference):
    a = stance_model.cross_fit(claims, reference)
    b = stance_model.cross_fit(claims.sample(frac=1.0, random_state=3), reference)
    pd.testing.assert_frame_equal(a, b)


def test_tagger_falls_back_to_specific_seeds_without_labels(prep):
    empty = pd.DataFrame(columns=["claim_id", "article_id", "strategy_id", "stance", "speaker"])
    empty.attrs["coded"] = set()
    art = sorted(prep["claims"]["article_id"].unique())[0]
    out = stance_model.fit_predict(prep, empty, [], [art])
    cand = prep["candidates"]
    own = cand[(cand["article_id"] == art) & ~cand["carried"] & ~cand["comparison"]]
    specific = own[~own["generic_only"]]
    tagged = out[out["tagged"] & ~out["carried"]]
    assert set(zip(specific["claim_id"], specific["strategy_id"], strict=True)) == set(
        zip(tagged["claim_id"], tagged["strategy_id"], strict=True))


# -- scores and the stage's tables ----------------------------------------------------------------


def test_stance_scores_known_answers():
    cells = pd.DataFrame({"article_id": ["a"] * 4 + ["b"] * 2,
                          "stance": ["supports", "criticises", "absent", "reports", "absent", "supports"],
                          "reference_stance": ["criticises", "criticises", "absent", "absent", "absent", "absent"],
                          "checked": True})
    sent = pd.DataFrame({"claim_id": ["a:0", "a:1", "b:0"], "article_id": ["a", "a", "b"],
                         "strategy_id": ["s", "t", "s"], "stance": ["supports", "reports", "supports"]})
    ref = pd.DataFrame({"claim_id": ["a:0", "a:2"], "article_id": ["a", "a"], "strategy_id": ["s", "s"],
                        "stance": ["criticises", "reports"]})
    out = stance_scores.stance_scores(cells, sent, ref, {"a:0": "author", "a:1": "author", "b:0": "quoted:x"},
                                      {"a:0": "author", "a:1": "quoted:y", "b:0": "quoted:x"},
                                      given_topics=["criticises", "supports"])
    got = out.set_index(["field", "article_id", "metric"])
    assert got.loc[("cell", "a", "agreement"), "value"] == 0.5
    assert got.loc[("cell", "a", "reversals"), "value"] == 1
    assert got.loc[("cell_positioned", "a", "agreement"), "value"] == 0.5
    assert np.isnan(got.loc[("cell_positioned", "b", "agreement"), "value"])
    assert got.loc[("cell_positioned", "b", "agreement"), "n"] == 0
    assert got.loc[("tagging", "a", "precision"), "value"] == 0.5
    assert got.loc[("tagging", "a", "recall"), "value"] == 0.5
    assert got.loc[("sentence_stance", "a", "accuracy"), "value"] == 0.0
    assert got.loc[("sentence_stance_given_topics", "a", "accuracy"), "value"] == 0.5
    assert got.loc[("sentence_stance_given_topics", "b", "accuracy"), "n"] == 0
    assert got.loc[("speaker", "all", "accuracy"), "value"] == pytest.approx(0.6667)
    assert got.loc[("cell", "all", "agreement"), "value"] == 0.5
    assert list(out.columns) == stance_scores.SCORE_COLUMNS
    with pytest.raises(ValueError, match="length"):
        stance_scores.reversals(["supports"], [])


def test_stance_tables_match_the_catalogue(claims):
    out = stance_tables(claims)
    for name, frame in out.items():
        catalog.check_frame(name, frame)
    cells = out["strategy_stance"]
    n_art, n_strat = claims["article_id"].nunique(), len(lexicon.strategies())
    assert len(cells) == n_art * n_strat and cells["checked"].all()
    assert set(cells["stance"]) <= set(stance.STANCES)
    sent = out["sentence_stance"]
    assert set(sent["stance"]) <= set(lexicon.SENTENCE_STANCES)
    assert sent["p_topic"].between(0, 1).all()
    ev = out["stance_evaluation"]
    assert set(ev["article_id"]) == set(claims["article_id"]) | {"all"}
    share = ev[ev["metric"] != "reversals"]["value"].dropna()
    assert share.between(0, 1).all()


def test_stance_lexicon_errors_name_the_file(tmp_path):
    bad = tmp_path / "stance.yaml"
    bad.write_text("speaker: {}\ncues: {}\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match="stance.yaml"):
        lexicon.stance(bad)
    good = lexicon.STANCE_FILE.read_text(encoding="utf-8")
    bad.write_text(good.replace("  praise: [", "  praise: [[]], old_praise: [", 1), encoding="utf-8")
    with pytest.raises(lexicon.LexiconError):
        lexicon.stance(bad)

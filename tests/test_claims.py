"""Tests for the claims: sentence spans, cue typing, fact evidence, entities, themes, gold labels, classifier."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from analysis import _io, catalog, config, lexicon
from analysis.corpus.documents import iter_documents
from analysis.extract import claims, classifier, cues, evidence, sentences, tagging
from analysis.extract import stage as extract_stage
from analysis.extract.figures import extract_numbers
from analysis.extract.ids import split_claim_id
from analysis.stage_api import Context


@pytest.fixture(scope="module")
def docs():
    if not catalog.path("documents").is_dir():
        pytest.skip("run `python -m analysis prepare` first")
    return list(iter_documents())


@pytest.fixture(scope="module")
def table(docs):
    return claims.claims_frame(docs)


# -- sentence splitting ------------------------------------------------------
def test_sentence_is_exact_raw_substring(docs, table):
    raws = {d.article_id: d.raw_text for d in docs}
    for row in table.itertuples():
        assert raws[row.article_id][row.start : row.end] == row.sentence, row.claim_id


def test_claim_ids_number_sentences_in_order(table):
    for art, g in table.groupby("article_id"):
        ns = [split_claim_id(c)[1] for c in g["claim_id"]]
        assert ns == list(range(len(g)))
        assert (g["clean_start"].diff().dropna() > 0).all(), art


def test_traditional_article_keeps_raw_script(docs, table):
    trad = [d.article_id for d in docs if d.meta.get("script") == "Traditional"]
    assert trad, "the corpus has a Traditional article"
    rows = table[table["article_id"] == trad[0]]
    assert (rows["sentence"] != rows["sentence_clean"]).any()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("他说:“好。”然后走了。", ["他说:“好。”", "然后走了。"]),
        ("真的吗?!是的;没错", ["真的吗?!", "是的;", "没错"]),
        ("标题\n\n正文第一句。正文第二句!", ["标题", "正文第一句。", "正文第二句!"]),
        ("  空白。  ", ["空白。"]),
    ],
)
def test_split_sentences(text, expected):
    assert [text[a:b] for a, b in sentences.split_sentences(text)] == expected


def test_split_rejects_non_str():
    with pytest.raises(ValueError, match="must be a str"):
        sentences.split_sentences(None)


# -- cue typing ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("来往应该定位在满足人们的需求上。", "recommendation"),
        ("阿里必须加快脚步。", "recommendation"),
        ("不妨先小范围试一试。", "recommendation"),
        ("谁不参与,谁就不该呆在这公司里。", "recommendation"),
        ("来往只会比易信更艰难。", "prediction"),
        ("阿里的来往似乎注定是失败者。", "prediction"),
        ("淘宝用户将是重要的潜在用户团体。", "prediction"),
        ("这种定位的愚蠢,源于阿里巴巴此前的成长阴影。", "causal"),
        ("因为刚性需求就是那么的刚性。", "causal"),
        ("微信用户量已经突破4亿。", "fact"),
        ("陆兆禧向员工发出内部信。", "other"),  # no figure, no event cue from the lexicon
        ("阿里有什么?", "other"),
    ],
)
def test_classify(sentence, expected):
    assert cues.classify(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "这需要时间。",  # 需要
        "这是主要的原因之外的事。",  # 主要
        "这很重要。",  # 重要
        "只要下载就有奖品。",  # 只要
    ],
)
def test_false_cues_for_yao(sentence):
    assert "要" not in cues.cue_hits(sentence)["recommendation"]


@pytest.mark.parametrize("sentence", ["将军来了。", "将近一年过去了。", "阿里将淘江湖纳入我的淘宝。"])
def test_false_cues_for_jiang(sentence):
    assert cues.cue_hits(sentence)["prediction"] == []


@pytest.mark.parametrize("sentence", ["这是难得的机会。", "社会效应很好。", "在发布会上他说。"])
def test_false_cues_for_hui(sentence):
    assert cues.cue_hits(sentence)["prediction_weak"] == []


def test_true_hui_is_weak_cue():
    assert cues.cue_hits("用户会流失。")["prediction_weak"] == ["会"]


def test_negation_prohibit_keeps_type_and_flips_polarity():
    s = "阿里不应该强推来往。"
    assert cues.classify(s) == "recommendation"
    assert cues.polarity(s) == "negative"
    assert cues.polarity("阿里应该强推来往。") == "positive"


def test_negation_flip_removes_recommendation():
    s = "阿里不必强推来往。"
    assert cues.cue_hits(s)["recommendation"] == []
    assert cues.classify(s) != "recommendation"


def test_bare_yi_ge_is_not_a_figure():
    assert cues.cue_hits("这是一个道理。")["figure"] == []
    # figures now come from analysis.numbers, whose quote keeps the hedge (was "5亿" with the old regex)
    assert cues.cue_hits("用户超过5亿。")["figure"] == ["超过5亿"]


# -- fact evidence: figures, dates, past events ----------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("淘宝有5亿用户。", "fact"),  # figure, no reporting verb
        ("前两个装机量都过亿。", "fact"),  # hedged bare multiplier
        ("他加入公司才一年多。", "other"),  # a duration is not a figure
        ("2013年8月,阿里内部动员。", "fact"),  # calendar date
        ("一个月前他离开公司。", "fact"),  # dated by an offset
        ("今年4月,来往开始内测。", "fact"),  # 今年 with a month
        ("今年是移动互联网元年。", "other"),  # a bare 今年 dates nothing
        ("来往就这么内测了一年多。", "fact"),  # verb + perfective 了
        ("阿里也将手伸向了海外。", "fact"),  # 将 here is the disposal marker, not the future
        ("来往也曾经是其中一款。", "fact"),  # perfective adverb + verb
        ("阿里巴巴也已经决意发动淘宝的用户资源。", "fact"),
        ("天已经很晚。", "other"),  # 已经 with no verb in its clause
        ("太晚了。", "other"),  # 了 after a non-verb
        ("为了用户体验。", "other"),  # 为了 is a word, not V + 了
        ("我们需要了解用户。", "other"),  # 了解 likewise
        ("来往能不能圆了阿里的社交梦呢?", "other"),  # a question asserts nothing
        ("微信有4亿用户吗?", "other"),
        ("去了来往,又来钉钉,阿里的社交梦能实现吗", "other"),  # headline question without its mark
        ("在微信已经有几亿用户的时候,来往肯定走不下去。", "prediction"),  # higher type wins over fact evidence
        ("阿里应该在2014年底前推出新版。", "recommendation"),
    ],
)
def test_fact_evidence(sentence, expected):
    assert cues.classify(sentence) == expected


def test_fact_evidence_is_recorded_in_hits():
    hits = cues.cue_hits("4年前,阿里推出了旺信,用户超过5亿。")
    assert hits["date"] == ["4年前"]
    assert hits["past"] == ["推出了"]
    assert hits["figure"] == ["超过5亿"]
    assert hits["fact"] == ["推出"]
    assert hits["question"] == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("今年", []), ("今年年初", ["今年年初"]), ("2013年8月19日和9月23号", ["2013年8月19日", "9月23号"]),
     ("推出两年了", [])],
)
def test_concrete_dates(sentence, expected):
    assert evidence.concrete_dates(sentence) == expected


def test_past_events_markers_are_configurable():
    s = "微信已经突破4亿。"
    assert evidence.past_events(s) == ["已经…突破"]
    assert evidence.past_events(s, markers=[]) == []


def test_sentence_figures_match_document_figures(docs):
    """Running the extractor per sentence finds the figures it finds in the whole article."""
    for doc in docs:
        figs = extract_numbers(doc)
        for s in sentences.document_sentences(doc):
            inside = figs[(figs["start"] >= s.raw_start) & (figs["end"] <= s.raw_end)]
            assert len(evidence.sentence_figures(s.clean)) == len(inside), (s.article_id, s.n)


# -- entities and themes ---------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("WeChat and Weixin and 微信", ["wechat"]),
        ("来往对阵Laiwang", ["laiwang"]),
        ("钉钉即DingTalk", ["dingtalk"]),
        ("阿里和阿里巴巴都是Alibaba", ["alibaba"]),
        ("阿里旺旺不是阿里", ["alibaba", "wangwang"]),
        ("阿里旺旺", ["wangwang"]),
        ("腾讯微博", ["tencent_weibo"]),
        ("Tencent 的 QQ", ["qq", "tencent"]),
        ("易信、旺信、陌陌、米聊、飞聊", ["feiliao", "mitalk", "momo", "wangxin", "yixin"]),
        ("支付宝 淘宝 天猫 网易 新浪微博", ["alipay", "netease", "sina", "taobao", "tmall", "weibo"]),
        ("Snapchat, Tango, LINE", ["line", "snapchat", "tango"]),
        ("online shopping", []),
    ],
)
def test_find_entities(sentence, expected):
    assert tagging.find_entities(sentence) == expected


def test_entities_have_english_names_and_kinds():
    for ent in tagging.load_entities():
        assert ent["name"] and ent["kind"] in {"product", "company", "person"}


def test_find_themes_uses_seeds():
    assert "employee_push" in tagging.find_themes("马云在内网强推来往")
    assert "voip_mvno" in tagging.find_themes("阿里申请虚拟运营商牌照")
    assert tagging.find_themes("今天天气很好") == []


def test_codebook_keeps_contract_ids():
    ids = {s["id"] for s in tagging.load_strategies()}
    for required in ["employee_push", "prize_promotion", "cross_promotion", "lbs_nearby", "public_accounts_celebrity",
                     "ecommerce_networking", "c2b_relationships", "voip_mvno", "force_wangxin", "clone_wechat",
                     "acquaintance_positioning", "mobile_first_distribution", "enterprise_pivot", "invest_not_build"]:
        assert required in ids


def test_table_columns_and_sorted_lists(table):
    assert list(table.columns[:8]) == ["claim_id", "article_id", "sentence", "start", "end", "type", "themes",
                                       "entities"]
    assert set(table["type"]) <= set(cues.TYPES)
    for col in ("themes", "entities"):
        for v in table[col]:
            parts = v.split(";") if v else []
            assert parts == sorted(parts)


def test_claims_stage_is_deterministic_and_matches_the_frame(docs):
    ctx = Context(processed_dir=config.PROCESSED_DIR, raw_dir=config.RAW_DIR, book_dir=config.BOOK_DIR)
    first = extract_stage.claims({}, ctx)
    second = extract_stage.claims({}, ctx)
    text = _io.frame_to_csv_text(first["claims"])
    assert text == _io.frame_to_csv_text(second["claims"])
    expected = classifier.assign_types(claims.claims_frame(docs), claims.load_reference(), {})
    assert text == _io.frame_to_csv_text(expected)
    summary = extract_stage.claims_summary(first)
    assert summary.startswith("claims: ") and "recommendation" in summary


# -- gold labels and classifier ----------------------------------------------------
def test_gold_labels_are_valid_and_split():
    gold = claims.load_gold()
    assert set(gold["split"]) == {"tune", "heldout"}
    assert not gold.duplicated(["claim_id"]).any()


def test_gold_matches_current_claims(table):
    joined = claims.attach_gold(table, claims.load_gold())
    assert len(joined) == len(claims.load_gold())


def _gold_csv(tmp_path, rows):
    bad = tmp_path / "g.csv"
    pd.DataFrame(rows, columns=list(lexicon.CLAIMS_GOLD_COLUMNS)).to_csv(bad, index=False)
    return bad


def test_load_gold_rejects_unknown_type(tmp_path):
    bad = _gold_csv(tmp_path, [("a:0", "a", "x", "fact", "tune"), ("a:1", "a", "y", "opinion", "tune")])
    with pytest.raises(lexicon.LexiconError, match=r"g\.csv:3: unknown gold_type 'opinion'") as err:
        claims.load_gold(bad)
    assert err.value.line == 3


@pytest.mark.parametrize(("row", "problem"), [
    (("a:1", "a", "", "fact", "tune"), "missing field 'sentence_clean'"),
    (("a:1", "a", "y", "fact", "train"), "unknown split 'train'"),
    (("a:0", "a", "y", "fact", "tune"), "claim 'a:0' is labelled twice"),
])
def test_gold_rows_are_checked_with_their_line(tmp_path, row, problem):
    bad = _gold_csv(tmp_path, [("a:0", "a", "x", "fact", "tune"), row])
    with pytest.raises(lexicon.LexiconError, match=problem) as err:
        lexicon.claims_gold(bad)
    assert err.value.line == 3 and err.value.path == bad


def test_gold_header_must_have_the_columns(tmp_path):
    bad = tmp_path / "g.csv"
    bad.write_text("claim_id,article_id,sentence_clean,split\na:0,a,x,tune\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match="lacks the columns \\['gold_type'\\]") as err:
        lexicon.claims_gold(bad)
    assert err.value.line == 1


def test_classifier_learns_cues():
    X = ["阿里应该推广。", "来往必须改变。", "建议采用旺信。", "用户突破4亿。", "投资2亿美金。", "融资了5亿。",
         "天气很好。", "我们看看。", "这很有趣。"] * 2
    y = ["recommendation"] * 3 + ["fact"] * 3 + ["other"] * 3
    clf = classifier.make_classifier().fit(X, y * 2)
    assert clf.predict(["腾讯应该注意。"])[0] == "recommendation"
    names = clf.named_steps["features"].transformer_list[0][1].named_steps["count"].get_feature_names_out()
    assert "cue_recommendation" in names


# -- the cue and entity lexicons ----------------------------------------------------
def test_cue_lexicon_shape():
    lex = lexicon.cues()
    assert sorted(lex["priority"]) == sorted(cues.TYPES[:-1])
    assert lex["fact"]["past_markers"] and "已经" in lex["fact"]["past_markers"]
    assert lex["recommendation"]["negation"]["prohibit"]
    assert "需要" in lex["recommendation"]["false_cues"]["要"]


def _cues_file(tmp_path, edit):
    data = yaml.safe_load(config.CUES_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "cues.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _line_of(path, prefix):
    """1-based number of the first line of ``path`` that starts with ``prefix``."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.startswith(prefix))


def test_cues_require_past_markers(tmp_path):
    bad = _cues_file(tmp_path, lambda d: d["fact"].pop("past_markers"))
    with pytest.raises(lexicon.LexiconError, match="past_markers") as err:
        lexicon.cues(bad)
    assert err.value.line == _line_of(bad, "fact:")


def test_cue_that_is_not_a_word_names_its_line(tmp_path):
    bad = _cues_file(tmp_path, lambda d: d["causal"]["cues"].insert(2, ["因为", "所以"]))
    with pytest.raises(lexicon.LexiconError, match=r"causal\.cues: item 3") as err:
        lexicon.cues(bad)
    lines = bad.read_text(encoding="utf-8").splitlines()
    assert lines[err.value.line - 1].strip().startswith("- - 因为")


def test_priority_must_list_the_four_types(tmp_path):
    bad = _cues_file(tmp_path, lambda d: d.update(priority=["recommendation", "fact"]))
    with pytest.raises(lexicon.LexiconError, match="priority must list") as err:
        lexicon.cues(bad)
    assert err.value.line == _line_of(bad, "priority:")


def test_bad_yaml_names_its_line(tmp_path):
    bad = tmp_path / "cues.yaml"
    bad.write_text("priority: [recommendation, prediction]\nfact:\n  cues: [推出\n  bad: : x\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match="YAML does not parse") as err:
        lexicon.cues(bad)
    assert err.value.line in (3, 4)


@pytest.mark.parametrize(("entry", "problem"), [
    ("{id: wechat, name: WeChat, kind: app, aliases: [微信]}", "kind 'app' is not one of"),
    ("{id: wechat, name: WeChat, kind: product}", "missing key 'aliases'"),
    ("{id: wechat, name: WeChat, kind: product, aliases: []}", "no aliases"),
    ("{id: laiwang, name: Laiwang, kind: product, aliases: [来往]}", "duplicate entity id 'laiwang'"),
    ("{id: wechat, name: WeChat, kind: product, aliases: [微信], note: x}", "unknown key 'note'"),
    ("[wechat, 微信]", "expected a mapping"),
])
def test_wrong_shaped_entity_names_its_line(tmp_path, entry, problem):
    bad = tmp_path / "entities.yaml"
    bad.write_text("# products\nentities:\n  - {id: laiwang, name: Laiwang, kind: product, aliases: [来往]}\n"
                   f"  - {entry}\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=problem) as err:
        lexicon.entities(bad)
    assert err.value.line == 4 and err.value.path == bad


def test_cue_pattern_that_does_not_compile_names_its_line(tmp_path):
    bad = _cues_file(tmp_path, lambda d: d["recommendation"]["patterns"].insert(1, "可以(尝试"))
    with pytest.raises(lexicon.LexiconError, match=r"recommendation\.patterns: not a valid regular expression") as err:
        lexicon.cues(bad)
    assert bad.read_text(encoding="utf-8").splitlines()[err.value.line - 1].strip() == "- 可以(尝试"


def test_patterns_and_attribution_hits():
    hits = cues.cue_hits("陈航表示,前期都可以小范围尝试。")
    assert hits["recommendation"] == ["可以小范围尝试"]
    assert hits["attribution"] == ["表示"]

"""Domain terms come out whole: the term check, the carrier check, and the term miner behind the dictionary."""

from __future__ import annotations

import math
import random
from collections import Counter

import pandas as pd
import pytest

from analysis import catalog, lexicon
from analysis.checks.segmentation import (
    CARRIERS,
    SUMMARY_COLUMNS,
    TERM_CHECK_COLUMNS,
    carrier_check,
    is_whole,
    term_check,
    term_check_summary,
    term_occurrences,
    token_boundaries,
)
from analysis.extract.terms import CANDIDATE_COLUMNS, branching_entropy, mine_terms, runs, units

#: The goal: share of the dictionary's occurrences in the corpus that come out as one token.
GOAL = 0.98


def chars(text: str) -> list[str]:
    """A segmenter that splits every character: every term of 2+ characters is split."""
    return list(text)


def whole_text(text: str) -> list[str]:
    """A segmenter that returns the text as one token: no term inside a longer text is whole."""
    return [text]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return [str(s) for s in catalog.load("claims")["sentence_clean"]]


@pytest.fixture(scope="module")
def dictionary() -> dict[str, str]:
    return {e.word: e.category for e in lexicon.userdict()}


# -- the pieces, on known answers ---------------------------------------------------------------

@pytest.mark.parametrize(("bounds", "start", "end", "expected"), [
    ({0, 2, 4}, 0, 2, True),
    ({0, 2, 4}, 0, 4, False),  # a boundary inside
    ({0, 1, 4}, 0, 2, False),  # no boundary at the end
    ({0, 3, 4}, 1, 3, False),  # no boundary at the start
    ({0, 4}, 0, 4, True),
])
def test_is_whole(bounds, start, end, expected):
    assert is_whole(bounds, start, end) is expected


def test_token_boundaries():
    assert token_boundaries(["来往", "和", "微信"]) == {0, 2, 3, 5}
    assert token_boundaries([]) == {0}


def test_occurrences_inside_a_longer_term_do_not_count():
    terms = ["微博", "腾讯微博", "阿里", "阿里巴巴", "QQ", "手机QQ"]
    occ = term_occurrences("腾讯微博和微博,阿里巴巴的阿里,手机QQ", terms)
    assert occ == [("腾讯微博", 0, 4), ("微博", 5, 7), ("阿里巴巴", 8, 12), ("阿里", 13, 15), ("手机QQ", 16, 20)]


def test_overlapping_occurrences_are_all_found():
    assert term_occurrences("哈哈哈", ["哈哈"]) == [("哈哈", 0, 2), ("哈哈", 1, 3)]
    with pytest.raises(ValueError, match="non-empty"):
        term_occurrences("来往", [""])


def test_term_check_counts_whole_and_split():
    sentences = ["来往和微信", "微信的朋友圈", "没有术语"]
    terms = {"来往": "product", "微信": "product", "朋友圈": "product", "钉钉": "product"}
    seg = {"来往和微信": ["来往", "和", "微", "信"], "微信的朋友圈": ["微信", "的", "朋友圈"]}
    table = term_check(sentences, terms, segmenter=lambda s: seg.get(s, [s]))
    assert list(table.columns) == TERM_CHECK_COLUMNS
    rows = table.set_index("term")
    assert (rows.loc["来往", "occurrences"], rows.loc["来往", "whole"]) == (1, 1)
    assert (rows.loc["微信", "occurrences"], rows.loc["微信", "whole"], rows.loc["微信", "share"]) == (2, 1, 0.5)
    assert rows.loc["微信", "split_as"] == "微|信"
    assert rows.loc["钉钉", "occurrences"] == 0 and math.isnan(rows.loc["钉钉", "share"])
    summary = term_check_summary(table)
    assert list(summary.columns) == SUMMARY_COLUMNS
    total = summary.set_index("category").loc["all"]
    assert (total["terms"], total["terms_seen"], total["terms_always_whole"]) == (4, 3, 2)
    assert (total["occurrences"], total["whole"], total["share"]) == (4, 3, 0.75)


@pytest.mark.parametrize(("segmenter", "share"), [(chars, 0.0), (whole_text, 0.0)])
def test_term_check_bounds(sentences, dictionary, segmenter, share):
    summary = term_check_summary(term_check(sentences[:40], dictionary, segmenter=segmenter))
    assert summary.set_index("category").loc["all", "share"] == share


def test_term_check_rejects_a_lossy_segmenter():
    with pytest.raises(ValueError, match="concatenate back"):
        term_check(["来往 和微信"], ["来往"], segmenter=lambda s: s.split())


def test_carrier_check_validates_carriers():
    with pytest.raises(ValueError, match="exactly one"):
        carrier_check(["来往"], ["没有位置"])
    table = carrier_check({"来往": "product"}, ["{}好", "说{}"], segmenter=chars)
    assert table[["occurrences", "whole"]].iloc[0].tolist() == [2, 0]


# -- the real dictionary on the real corpus -----------------------------------------------------

def test_term_check_on_the_corpus(sentences, dictionary):
    table = term_check(sentences, dictionary)
    summary = term_check_summary(table, lexicon.USERDICT_CATEGORIES).set_index("category")
    split = table[table["whole"] < table["occurrences"]]
    shown = split[["term", "whole", "occurrences", "split_as"]].to_string(index=False)
    assert summary.loc["all", "share"] >= GOAL, f"terms split in the corpus:\n{shown}"
    for category, row in summary.iterrows():
        if row["occurrences"]:
            assert row["share"] >= GOAL, f"{category}: {row['share']:.2%} whole; split:\n{shown}"
    # the totals add up
    parts = summary.drop(index="all")
    assert parts["occurrences"].sum() == summary.loc["all", "occurrences"]
    assert parts["terms"].sum() == summary.loc["all", "terms"] == len(dictionary)


def test_carrier_check_every_term(dictionary):
    table = carrier_check(dictionary)
    assert (table["occurrences"] == len(CARRIERS)).all()
    split = table[table["whole"] < table["occurrences"]]
    share = table["whole"].sum() / table["occurrences"].sum()
    assert share >= GOAL, split[["term", "whole", "split_as"]].to_string(index=False)
    # in the first carrier (the test this check generalises), every term is one token
    first = carrier_check(dictionary, CARRIERS[:1])
    assert first["whole"].all(), first[first["whole"] == 0].to_string(index=False)


def test_every_category_has_terms(dictionary):
    assert set(dictionary.values()) == set(lexicon.USERDICT_CATEGORIES)


# -- the miner ----------------------------------------------------------------------------------

def test_units_and_runs():
    assert units("手机QQ和2012年") == ["手", "机", "QQ", "和", None, "年"]
    assert runs("云OS、来往 App!") == [("云", "OS"), ("来", "往"), ("App",)]
    assert runs("") == [] and runs("2013,,") == []


def test_branching_entropy_known_values():
    assert branching_entropy(Counter(), 0) == 0.0
    assert branching_entropy(Counter({"的": 4}), 0) == 0.0
    assert branching_entropy(Counter({"a": 1, "b": 1}), 0) == pytest.approx(math.log(2))
    # each boundary is its own neighbour: two boundaries and one unit -> three equally likely
    assert branching_entropy(Counter({"a": 1}), 2) == pytest.approx(math.log(3))


def test_mine_terms_on_a_small_corpus():
    sentences = ["他说来往好", "来往不行", "我用来往", "你看来往吧", "来自远方", "往前走"]
    table = mine_terms(sentences, min_pmi=0.0, min_entropy=0.5)
    assert list(table.columns) == CANDIDATE_COLUMNS
    row = table.set_index("term").loc["来往"]
    n_units = sum(len(s) for s in sentences)
    assert row["freq"] == 4
    assert row["pmi"] == pytest.approx(round(math.log(4 * n_units / (5 * 5)), 4))
    # left: 说, boundary, 用, 看 -> four distinct; right: 好, 不, boundary, 吧 -> four distinct
    assert row["h_left"] == pytest.approx(round(math.log(4), 4))
    assert row["h_right"] == pytest.approx(round(math.log(4), 4))
    assert "来自" not in set(table["term"])  # seen once


def test_mine_terms_real_corpus(sentences):
    table = mine_terms(sentences)
    terms = set(table["term"])
    assert {"来往", "微信", "钉钉", "商家圈", "电商基因", "企业粘性"} <= terms
    assert "阿里巴" not in terms and "里巴巴" not in terms  # fragments of 阿里巴巴: no freedom on one side
    assert (table["freq"] >= 2).all() and table["n"].between(2, 6).all()
    assert (table[["h_left", "h_right"]].min(axis=1) >= 0.5).all() and (table["pmi"] >= 1.0).all()
    scores = list(table["score"])
    assert scores == sorted(scores, reverse=True)


def test_mine_terms_is_deterministic_and_order_free(sentences):
    shuffled = list(sentences)
    random.Random(0).shuffle(shuffled)
    pd.testing.assert_frame_equal(mine_terms(sentences), mine_terms(shuffled))


@pytest.mark.parametrize("kwargs", [{"min_n": 1}, {"min_n": 4, "max_n": 3}, {"min_freq": 0}])
def test_mine_terms_validates(kwargs):
    with pytest.raises(ValueError):
        mine_terms(["来往"], **kwargs)

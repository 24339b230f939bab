"""Tests for analysis.conflicts on fixture figure tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import conflicts


def frame(rows):
    cols = conflicts.NUMBER_COLUMNS
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)


@pytest.mark.parametrize(
    ("subject", "key"),
    [
        ("WeChat users", "wechat"),
        ("微信用户", "wechat"),
        ("Weixin", "wechat"),
        ("Laiwang DAU", "laiwang"),
        ("来往 日活", "laiwang"),
        ("阿里旺旺", "wangwang"),
        ("Tencent Weibo", "tencent_weibo"),
        ("Alibaba employees", "alibaba employees"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_subject(subject, key):
    assert conflicts.normalise_subject(subject) == key


@pytest.mark.parametrize(
    ("hedge", "quote", "kind"),
    [
        ("", "4亿", "exact"),
        ("0", "4亿", "exact"),
        ("1", "突破4亿", "lower"),
        ("超过", "超过1000万", "lower"),
        ("1", "不足50万", "upper"),
        ("1", "近1000万元", "approx"),
        ("1", "几亿", "several"),
        ("1", "上千万", "several"),
    ],
)
def test_hedge_kind(hedge, quote, kind):
    assert conflicts.hedge_kind(hedge, quote) == kind


def test_interval_rules():
    assert conflicts.interval(100, "exact", 0.1) == pytest.approx((100 / 1.1, 110))
    assert conflicts.interval(100, "lower", 0.1)[1] == math.inf
    assert conflicts.interval(100, "upper", 0.1)[0] == 0
    with pytest.raises(ValueError, match="unknown hedge"):
        conflicts.interval(1, "maybe")
    with pytest.raises(ValueError, match="tolerance"):
        conflicts.interval(1, "exact", -1)


def test_agree_within_tolerance():
    df = frame([
        ("a", "4亿", 0, 2, 4.0e8, "users", "WeChat users", "0"),
        ("b", "4.2亿", 0, 4, 4.2e8, "users", "微信", "0"),
    ])
    out = conflicts.find_conflicts(df, tolerance=0.1)
    assert len(out) == 1
    row = out.iloc[0]
    assert row["agree"] and row["ratio"] == pytest.approx(1.05)
    assert (row["subject"], row["unit"], row["article_a"], row["article_b"]) == ("wechat", "users", "a", "b")
    assert (row["quote_a"], row["quote_b"]) == ("4亿", "4.2亿")


def test_disagree_reports_ratio():
    df = frame([
        ("a", "4亿", 0, 2, 4.0e8, "users", "WeChat users", "0"),
        ("b", "6亿", 0, 2, 6.0e8, "users", "微信 用户", "0"),
    ])
    row = conflicts.find_conflicts(df, tolerance=0.1).iloc[0]
    assert not row["agree"] and row["ratio"] == pytest.approx(1.5)
    # a looser tolerance makes them agree
    assert conflicts.find_conflicts(df, tolerance=0.3).iloc[0]["agree"]


def test_hedges_widen_agreement():
    df = frame([
        ("a", "突破4亿", 0, 4, 4.0e8, "users", "WeChat", "1"),
        ("b", "6亿", 0, 2, 6.0e8, "users", "WeChat", "0"),
        ("c", "不足50万", 0, 5, 5.0e5, "dau", "Laiwang", "不足"),
        ("d", "80万", 0, 3, 8.0e5, "dau", "来往", "0"),
    ])
    out = conflicts.find_conflicts(df).set_index(["subject", "article_a", "article_b"])
    assert out.loc[("wechat", "a", "b"), "agree"]  # "more than 4亿" allows 6亿
    assert not out.loc[("laiwang", "c", "d"), "agree"]  # "under 50万" excludes 80万
    assert out.loc[("laiwang", "c", "d"), "ratio"] == pytest.approx(1.6)


def test_single_article_and_other_units_not_compared():
    df = frame([
        ("a", "4亿", 0, 2, 4.0e8, "users", "WeChat", "0"),
        ("a", "5亿", 9, 11, 5.0e8, "users", "WeChat", "0"),
        ("b", "2.4亿", 0, 4, 2.4e8, "mau", "WeChat", "0"),
        ("c", "1亿", 0, 2, 1.0e8, "users", "", "0"),
    ])
    out = conflicts.find_conflicts(df)
    assert out.empty
    assert list(out.columns) == conflicts.CONFLICT_COLUMNS


def test_missing_columns():
    with pytest.raises(ValueError, match="lacks columns"):
        conflicts.find_conflicts(pd.DataFrame({"value": [1]}))


def test_build_writes_sorted_deterministic_csv(tmp_path):
    df = frame([
        ("b", "6亿", 0, 2, 6.0e8, "users", "微信", "0"),
        ("a", "4亿", 0, 2, 4.0e8, "users", "WeChat", "0"),
    ])
    df.to_csv(tmp_path / "numbers.csv", index=False)
    (p,), summary = conflicts.build(tmp_path)
    first = p.read_bytes()
    conflicts.build(tmp_path)
    assert p.read_bytes() == first
    assert "1 disagree" in summary
    out = pd.read_csv(p)
    assert out.loc[0, "article_a"] == "a"


def test_build_needs_numbers(tmp_path):
    with pytest.raises(FileNotFoundError, match="numbers.csv"):
        conflicts.build(tmp_path)

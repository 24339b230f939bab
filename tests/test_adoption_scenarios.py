"""Scenarios: parameter look-up by pattern, fallbacks, one row per strategy, sensitivity; stage helpers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.adoption import build_scenarios, fit_bass, lookup_number, sensitivity
from analysis.adoption.parameters import ARTICLE_FIGURES, NumberPattern
from analysis.adoption.scenarios import SCENARIO_COLUMNS, SENSITIVITY_COLUMNS
from analysis.adoption.wechat import (
    article_claims,
    fit_frame,
    forecast_frame,
    load_wechat_mau,
    quarter_end_years,
)

BASS = (0.034, 1.24, 653.0)

NUMBERS = pd.DataFrame(
    [
        ("aaa", "超过1000万", 10, 16, 12_000_000, "registrations", "Laiwang registered users", 1),
        ("aaa", "2万", 30, 32, 20_000, "employees", "Alibaba employees", 0),
        ("bbb", "不足50万", 5, 10, 500_000, "dau", "Laiwang daily active users", 1),
        ("bbb", "突破4亿", 40, 44, 400_000_000, "users", "WeChat users", 1),
        ("ccc", "1000万", 1, 5, 7_000_000, "registrations", "Laiwang registered users", 0),
    ],
    columns=["article_id", "quote", "start", "end", "value", "unit", "subject", "hedge"],
)
CLAIMS = pd.DataFrame(
    {
        "claim_id": ["aaa:10", "aaa:2", "bbb:0", "bbb:1"],
        "article_id": ["aaa", "aaa", "bbb", "bbb"],
        "themes": ["employee_push;prize_promotion", "employee_push", "", "voip_mvno"],
    }
)
CODEBOOK = [
    {"id": "voip_mvno", "name": "VOIP"},
    {"id": "employee_push", "name": "Employee push"},
    {"id": "mobile_first_distribution", "name": "Mobile first"},
    {"id": "prize_promotion", "name": "Prizes"},
    {"id": "brand_new_idea", "name": "Not in the spec table"},
]


def test_lookup_prefers_first_match_in_document_order_and_filters_unit():
    value, source, ok = lookup_number(NUMBERS, ARTICLE_FIGURES["registrations"])
    assert ok and value == 12_000_000
    assert source.startswith("aaa") and "超过1000万" in source
    value, _, ok = lookup_number(NUMBERS, NumberPattern("laiwang daily active", ("mau",), fallback=1.0))
    assert not ok and value == 1.0


def test_lookup_falls_back_when_numbers_are_missing():
    value, source, ok = lookup_number(None, ARTICLE_FIGURES["employees"])
    assert not ok and source.startswith("assumed") and np.isfinite(value)
    with pytest.raises(ValueError, match="lacks columns"):
        lookup_number(NUMBERS.drop(columns=["subject"]), ARTICLE_FIGURES["employees"])


@pytest.fixture(scope="module")
def scenarios():
    return build_scenarios(NUMBERS, CLAIMS, CODEBOOK, bass=BASS)


def test_one_row_per_strategy_sorted(scenarios):
    assert list(scenarios.columns) == SCENARIO_COLUMNS
    assert list(scenarios["strategy_id"]) == sorted(c["id"] for c in CODEBOOK)
    assert scenarios["strategy_id"].is_unique


def test_parameters_are_json_and_sources_name_the_article(scenarios):
    row = scenarios.set_index("strategy_id").loc["mobile_first_distribution"]
    params = json.loads(row["parameters"])
    assert params["seeds_m"] == pytest.approx(NUMBERS["value"].iloc[0] / 1e6)
    assert 'seeds_m: article aaa "超过1000万"' in row["param_sources"]
    assert "beta: assumed (range" in row["param_sources"]
    push = scenarios.set_index("strategy_id").loc["employee_push"]
    # friends per employee is absent from the fixture: flagged as a fallback, not silently typed in
    assert "friends_per_employee: assumed (fallback" in push["param_sources"]
    assert "employees: article aaa" in push["param_sources"]


def test_missing_numbers_flags_every_article_parameter():
    df = build_scenarios(None, None, CODEBOOK, bass=BASS)
    row = df.set_index("strategy_id").loc["mobile_first_distribution"]
    assert "seeds_m: assumed (fallback: numbers.csv missing)" in row["param_sources"]
    assert (df["evidence_claims"] == "").all()


def test_evidence_claims_follow_themes(scenarios):
    ev = scenarios.set_index("strategy_id")["evidence_claims"]
    assert ev["employee_push"] == "aaa:2;aaa:10"
    assert ev["prize_promotion"] == "aaa:10"
    assert ev["voip_mvno"] == "bbb:1"
    assert ev["mobile_first_distribution"] == ""


def test_unknown_and_unmodelled_strategies_are_reported_not_dropped(scenarios):
    s = scenarios.set_index("strategy_id")
    assert s.loc["brand_new_idea", "model"] == "none"
    assert s.loc["voip_mvno", "outcome"] == "not modelled"
    assert s.loc["prize_promotion", "model"] == "gbm"
    assert s.loc["prize_promotion", "outcome_value"] > 0  # the pulse brings the half-way date forward
    shares = s.loc[s["model"] == "competition", "outcome_value"]
    assert shares.between(0, 1).all()


def test_codebook_checks():
    with pytest.raises(ValueError, match="empty"):
        build_scenarios(NUMBERS, CLAIMS, [], bass=BASS)
    with pytest.raises(ValueError, match="unique"):
        build_scenarios(NUMBERS, CLAIMS, [{"id": "a"}, {"id": "a"}], bass=BASS)


def test_sensitivity_is_tidy_and_base_rows_agree_with_themselves():
    sens = sensitivity(NUMBERS, BASS, strategies=["mobile_first_distribution", "prize_promotion"])
    assert set(sens["level"]) == {"low", "base", "high"}
    assert sens[sens["level"] == "base"]["same_outcome"].all()
    assert list(sens.columns) == SENSITIVITY_COLUMNS
    counts = sens.groupby(["strategy_id", "parameter"]).size()
    assert (counts == 3).all()
    # article-sourced parameters are not perturbed, assumed ones are
    assert "seeds_m" not in set(sens["parameter"])
    assert {"beta", "revise", "promo", "duration"} <= set(sens["parameter"])
    with pytest.raises(ValueError):
        sensitivity(NUMBERS, BASS, strategies=["voip_mvno"])


def test_quarter_end_years_and_forecast_frame():
    t = quarter_end_years(["2011Q1", "2012Q1"], launch="2011-01-21")
    assert t[0] == pytest.approx(69 / 365.25)
    assert t[1] - t[0] == pytest.approx(366 / 365.25)
    tt = np.r_[0.0, quarter_end_years([f"2013Q{i}" for i in range(1, 5)])]
    fit = fit_bass(tt, [0.0, 190.0, 235.0, 270.0, 355.0], n_boot=40, seed=0)
    fc = forecast_frame(fit, "2014Q3", "2018Q4")
    assert list(fc.columns) == ["quarter", "p05", "p50", "p95"]
    assert len(fc) == 18 and fc["quarter"].iloc[-1] == "2018Q4"
    assert (fc["p05"] <= fc["p50"]).all() and (fc["p50"] <= fc["p95"]).all()
    ff = fit_frame(fit)
    assert (ff["lo"] <= ff["hi"]).all()


def test_article_claims_are_dated_from_the_sentence_and_never_fitted():
    numbers = pd.DataFrame([
        ("x", "突破6亿", 30, 34, 600_000_000, "registrations", "WeChat registered users", 1),
        ("y", "几亿", 3, 5, 100_000_000, "users", "WeChat users", 1),
    ], columns=["article_id", "quote", "start", "end", "value", "unit", "subject", "hedge"])
    claims = pd.DataFrame({"article_id": ["x"], "start": [0], "end": [40],
                           "sentence": ["微信在2011年1月21日推出,到2013年11月注册用户量突破6亿,这一年"]})
    corpus = pd.DataFrame({"article_id": ["x", "y"], "date": ["2021-11-07", "2015-01-01"]})
    out = article_claims(numbers, claims, corpus)
    assert list(out["quote"]) == ["突破6亿"]  # vague 几亿 is dropped
    assert out["date"].iloc[0] == "2013-11-15" and out["kind"].iloc[0] == "registrations"
    assert article_claims(None, None, None).empty


def test_wechat_mau_series_is_checked(tmp_path):
    mau = load_wechat_mau()
    assert list(mau.columns) == ["quarter", "t", "mau_millions", "source"]
    assert (mau["quarter"].iloc[0], mau["t"].iloc[0], mau["mau_millions"].iloc[0]) == ("launch", 0.0, 0.0)
    assert mau["t"].is_monotonic_increasing
    bad = tmp_path / "mau.csv"
    bad.write_text("quarter,mau_millions,source\n2013Q1,194.0,Tencent\n2013Q5,235.8,Tencent\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"mau.csv:3: quarter '2013Q5' is not YYYYQn"):
        load_wechat_mau(bad)
    bad.write_text("quarter,mau_millions,source\n2013Q1,,Tencent\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"mau.csv:2: mau_millions '' is not a number"):
        load_wechat_mau(bad)

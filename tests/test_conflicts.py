"""Tests for analysis.checks: hedges and intervals, quantities, external figures and conflict pairs."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import catalog, config, stages
from analysis.checks import conflicts, external, intervals, quantities
from analysis.checks.stage import conflicts as conflicts_stage
from analysis.lexicon import LexiconError

_DEFAULTS = {"str": "", "int": 0, "float": 0.0, "bool": False}


def stage_inputs(root: Path, **frames: pd.DataFrame) -> None:
    """Write input artefacts at their catalogue paths, the undeclared columns filled with defaults."""
    full = {}
    for name, df in frames.items():
        art = catalog.artefact(name)
        full[name] = pd.DataFrame({c: df[c] if c in df.columns else [_DEFAULTS[t]] * len(df)
                                   for c, t in art.columns})
    catalog.save_all(full, root)


def frame(rows):
    cols = conflicts.NUMBER_COLUMNS
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)


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
    assert intervals.hedge_kind(hedge, quote) == kind


def test_interval_rules():
    assert intervals.interval(100, "exact", 0.1) == pytest.approx((100 / 1.1, 110))
    assert intervals.interval(100, "lower", 0.1)[1] == math.inf
    assert intervals.interval(100, "upper", 0.1)[0] == 0
    with pytest.raises(ValueError, match="unknown hedge"):
        intervals.interval(1, "maybe")
    with pytest.raises(ValueError, match="tolerance"):
        intervals.interval(1, "exact", -1)


LEX = quantities.load_quantities()

# (article, quote, value, unit, heuristic subject, hedge, containing sentence)
KPI_USERS = ("a", "不到100人", 100, "users", "Laiwang users", "1", "马云表示拓展外部用户不到100人今年没红包。")
KPI_FRIENDS = ("b", "大于100人", 100, "friends", "Laiwang friends", "1",
               "阿里内部员工必须使用来往且外部(非阿里员工)好友数量必须大于100人,否则没有红包。")
KPI_FIVE_HUNDRED = ("c", "500个", 500, "users", "Laiwang users", "0", "每个阿里人年底前必须有外部来往用户500个用户,否则没有红包。")
TEAM = ("b", "超过百人", 100, "people", "Laiwang team size", "1", "来往团队正在重组,新老员工面临调岗,扩充至超过百人。")
WECHAT_4 = ("a", "4亿", 4.0e8, "users", "WeChat users", "0", "推出两年,微信有4亿用户。")
WECHAT_6 = ("b", "6亿", 6.0e8, "users", "WeChat users", "0", "推出三年,微信有6亿用户。")
WECHAT_OVER_4 = ("c", "突破4亿", 4.0e8, "users", "WeChat users", "1", "用户量已经突破4亿的微信。")
PRIZE = ("a", "近1000万元", 1.0e7, "CNY", "Laiwang prize budget", "1", "各种奖品累积预算金额近1000万元。")
SPEND = ("b", "上千万", 1.0e7, "CNY", "Alipay promotion spend", "1", "上千万的推广费用不愧是土豪的作风。")


def figures(*rows):
    """Figure rows with their sentence: each figure's quote is found in its sentence."""
    out = []
    for n, (art, quote, value, unit, subject, hedge, sentence) in enumerate(rows):
        pos = sentence.index(quote)
        out.append({"article_id": art, "quote": quote, "start": 100 * n + pos, "end": 100 * n + pos + len(quote),
                    "value": float(value), "unit": unit, "subject": subject, "hedge": hedge,
                    "claim_id": f"{art}:{n}", "sentence": sentence, "s_start": pos, "s_end": pos + len(quote)})
    return pd.DataFrame(out)


def write_external(tmp_path, *rows) -> Path:
    """Write rows (entity, metric, period, value, unit, source) as an ``external_metrics.csv``."""
    path = tmp_path / "external_metrics.csv"
    pd.DataFrame(rows, columns=list(external.EXTERNAL_COLUMNS)).to_csv(path, index=False)
    return path


def load_external(path: Path) -> pd.DataFrame:
    return external.external_figures(external.read_external_metrics(path))


def test_lexicon_loads_and_is_consistent():
    ids = [q.id for q in LEX.quantities]
    assert len(ids) == len(set(ids)) and "employee_kpi" in ids
    assert all(q.units for q in LEX.quantities)
    kpi = LEX.by_id()["employee_kpi"]
    assert {"users", "friends"} <= set(kpi.units)


def test_kpi_in_users_and_friends_is_one_quantity():
    df = quantities.assign_quantities(figures(KPI_USERS, KPI_FRIENDS), LEX)
    assert list(df["quantity"]) == ["employee_kpi", "employee_kpi"]
    out = conflicts.find_conflicts(figures(KPI_USERS, KPI_FRIENDS))
    assert len(out) == 1
    row = out.iloc[0]
    # "less than 100 means no bonus" and "must be more than 100" state the same threshold
    assert row["agree"] and row["like_for_like"]
    assert (row["unit_a"], row["unit_b"]) == ("users", "friends")
    assert (row["claim_a"], row["claim_b"]) == ("a:0", "b:1")


def test_team_size_is_not_the_kpi():
    # 100 people, and 员工 in the sentence, but about a team
    assert quantities.assign_quantities(figures(TEAM), LEX)["quantity"].iloc[0] == ""


def test_ambiguous_figure_lands_nowhere(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(
        "quantities:\n"
        "  - {id: x_users, units: [users], entities: [来往]}\n"
        "  - {id: y_users, units: [users], entities: [易信]}\n", encoding="utf-8")
    lex = quantities.load_quantities(path)
    both = ("a", "1000万", 1.0e7, "users", "", "0", "来往和易信都有1000万用户。")
    one = ("a", "1000万", 1.0e7, "users", "", "0", "来往有1000万用户。")
    assert quantities.matching_quantities(1.0e7, "users", "", both[-1], both[-1], lex) == ["x_users", "y_users"]
    assert list(quantities.assign_quantities(figures(both, one), lex)["quantity"]) == ["", "x_users"]


def test_range_and_unit_filter():
    # a KPI-like sentence, but 5000 is outside the plausible range, and "CNY" is not a count
    big = ("a", "5000个", 5000, "users", "", "0", "每个阿里人必须有外部来往用户5000个用户,否则没有红包。")
    cny = ("a", "100元", 100, "CNY", "", "0", "每个阿里员工外部好友每人100元红包。")
    assert list(quantities.assign_quantities(figures(big, cny), LEX)["quantity"]) == ["", ""]


def test_registered_users_are_not_users():
    reg = ("b", "突破6亿", 6.0e8, "registrations", "WeChat registered users", "1", "微信注册用户量突破6亿。")
    df = quantities.assign_quantities(figures(WECHAT_4, reg), LEX)
    assert list(df["quantity"]) == ["wechat_users", "wechat_registrations"]
    assert conflicts.find_conflicts(figures(WECHAT_4, reg)).empty


def test_agree_disagree_and_hedges():
    out = conflicts.find_conflicts(figures(WECHAT_4, WECHAT_6, WECHAT_OVER_4), tolerance=0.1)
    out = out.set_index(["article_a", "article_b"])
    assert not out.loc[("a", "b"), "agree"] and out.loc[("a", "b"), "ratio"] == pytest.approx(1.5)
    assert out.loc[("a", "c"), "agree"]  # 4亿 is "more than 4亿" within tolerance
    assert out.loc[("b", "c"), "agree"]  # "more than 4亿" allows 6亿
    assert (out["quantity"] == "wechat_users").all() and (out["n_articles"] == 3).all()
    # a looser tolerance makes 4亿 and 6亿 agree
    loose = conflicts.find_conflicts(figures(WECHAT_4, WECHAT_6), tolerance=0.3)
    assert loose.iloc[0]["agree"]


def test_upper_bound_excludes_larger_figure(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("quantities:\n  - {id: lw_dau, units: [dau], entities: [来往]}\n", encoding="utf-8")
    lex = quantities.load_quantities(path)
    under = ("a", "不足50万", 5.0e5, "dau", "", "不足", "来往的日活不足50万。")
    over = ("b", "80万", 8.0e5, "dau", "", "0", "来往的日活有80万。")
    row = conflicts.find_conflicts(figures(under, over), lexicon=lex).iloc[0]
    assert not row["agree"] and row["ratio"] == pytest.approx(1.6)
    assert (row["hedge_a"], row["hedge_b"]) == ("upper", "exact")


def test_external_figure_is_a_source(tmp_path):
    ext = load_external(write_external(
        tmp_path,
        ("Laiwang", "promotion budget", "2013-10", "200000000", "CNY", "Some newspaper"),
        ("WeChat", "launch", "2011-01-21", "", "date", "Tencent"),
    ))
    assert len(ext) == 1 and ext.iloc[0]["article_id"] == external.EXTERNAL_ID
    out = conflicts.find_conflicts(figures(PRIZE, SPEND), external=ext)
    like = out[out["like_for_like"]]
    assert list(like["quantity"]) == ["laiwang_promotion_spend"]
    row = like.iloc[0]
    assert (row["article_a"], row["article_b"]) == ("b", "external")
    assert not row["agree"] and row["ratio"] == pytest.approx(20)
    assert row["source_b"] == "Some newspaper" and row["claim_b"] == ""
    assert "200,000,000" in row["quote_b"]


def test_prize_pool_against_budget_is_flagged_not_like_for_like(tmp_path):
    ext = load_external(write_external(
        tmp_path, ("Laiwang", "promotion budget", "2013-10", "200000000", "CNY", "Some newspaper")))
    out = conflicts.find_conflicts(figures(PRIZE), external=ext)
    assert len(out) == 1
    row = out.iloc[0]
    assert not row["like_for_like"] and "not like with like" in row["note"]
    # a prize pool smaller than the whole budget is consistent with it
    assert row["agree"] and row["ratio"] == pytest.approx(20)
    assert (row["quote_a"], row["article_b"]) == ("近1000万元", "external")


def test_many_sources_compared_by_statement(monkeypatch):
    """Above MANY_SOURCES, copies of one statement are compared once; the note counts their sources."""
    def copy(row, art):
        return (art,) + row[1:]

    rows = ([copy(WECHAT_4, a) for a in "abcd"] + [copy(WECHAT_6, a) for a in "ef"] + [copy(WECHAT_OVER_4, "g")])
    every_pair = conflicts.find_conflicts(figures(*rows))
    assert len(every_pair) == 7 * 6 // 2  # seven sources, one figure each: every pair
    monkeypatch.setattr(conflicts, "MANY_SOURCES", 3)
    out = conflicts.find_conflicts(figures(*rows))
    # three statements: 4亿 exact (4 sources), 6亿 exact (2), more than 4亿 (1) -> three pairs
    assert len(out) == 3 and (out["n_articles"] == 7).all()
    four_six = out[(out["value_a"] == 4e8) & (out["value_b"] == 6e8) & (out["hedge_a"] == "exact")].iloc[0]
    assert (four_six["article_a"], four_six["article_b"]) == ("a", "e")  # each statement shown by its first source
    assert not four_six["agree"] and four_six["note"] == "stated by 4 and 2 sources"
    same = out[(out["hedge_a"] == "exact") & (out["hedge_b"] == "lower")].iloc[0]
    assert same["agree"] and same["note"].startswith("same figure, worded differently")
    assert same["note"].endswith("stated by 4 and 1 sources")
    # every verdict of the statement table is the verdict of the pairs it stands for
    for _, r in out.iterrows():
        match = every_pair[(every_pair["value_a"] == r["value_a"]) & (every_pair["hedge_a"] == r["hedge_a"])
                           & (every_pair["value_b"] == r["value_b"]) & (every_pair["hedge_b"] == r["hedge_b"])]
        assert set(match["agree"]) == {r["agree"]}


def test_statement_pair_with_one_shared_first_source(monkeypatch):
    """Two statements first stated by the same article are shown by another source of one of them."""
    monkeypatch.setattr(conflicts, "MANY_SOURCES", 1)
    rows = [WECHAT_4, ("a",) + WECHAT_6[1:], ("b",) + WECHAT_6[1:]]
    out = conflicts.find_conflicts(figures(*rows))
    assert len(out) == 1 and (out.iloc[0]["article_a"], out.iloc[0]["article_b"]) == ("a", "b")
    # one article alone, two statements: nothing to compare
    assert conflicts.find_conflicts(figures(WECHAT_4, ("a",) + WECHAT_6[1:])).empty


def test_single_source_not_compared():
    again = ("a", "4亿", 4.0e8, "users", "WeChat users", "0", "今天微信有4亿用户。")
    out = conflicts.find_conflicts(figures(WECHAT_4, again))
    assert out.empty
    assert list(out.columns) == conflicts.CONFLICT_COLUMNS


def test_attach_claims_finds_containing_sentence():
    claims = pd.DataFrame({
        "claim_id": ["a:0", "a:1"], "article_id": ["a", "a"], "start": [0, 10], "end": [10, 30],
        "sentence": ["第一句话没有数字。。", "真的很多……微信有4億用戶"],
        "sentence_clean": ["第一句话没有数字。。", "真的很多......微信有4亿用户"],
    })
    # cleaning made the sentence longer before the figure ("……" became "......")
    nums = pd.DataFrame([{"article_id": "a", "quote": "4億", "start": 19, "end": 21, "value": 4.0e8,
                          "unit": "users", "subject": "", "hedge": "0"}])
    out = quantities.attach_claims(nums, claims).iloc[0]
    assert out["claim_id"] == "a:1"
    assert out["sentence"][out["s_start"]:out["s_end"]] == "4亿"


@pytest.mark.parametrize(
    ("text", "match", "line"),
    [
        ("quantities:\n  - {id: x}\n", "units", 2),
        ("quantities:\n  - {id: x, units: [users]}\n  - {id: x, units: [users]}\n", "repeated", 3),
        ("window: 12\nquantities:\n  - id: x\n    units: [users]\n    range: [5, 1]\n", "range", 3),
        ("quantities:\n  - {id: x, units: [users], cues: [a], min_cues: 2}\n", "min_cues", 2),
        ("quantities:\n  - {id: x, units: [users], related: [{quantity: y, relation: part_of}]}\n", "related", 2),
        ("quantities:\n  - {id: x, units: [users], related: [{quantity: x, relation: equals}]}\n", "relation", 2),
        ("quantities:\n  - {id: x, units: users}\n", "list of non-empty strings", 2),
        ("quantities: []\n", "non-empty", 1),
        ("quantities:\n  - {id: x, units: [users]\n", "does not parse", 3),
    ],
)
def test_bad_lexicon_names_the_file_and_line(tmp_path, text, match, line):
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=match) as err:
        quantities.load_quantities(path)
    assert err.value.path == path and err.value.line == line
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_missing_columns():
    with pytest.raises(ValueError, match="lacks columns"):
        conflicts.find_conflicts(pd.DataFrame({"value": [1]}))


def _write_inputs(processed: Path, rows) -> None:
    df = figures(*rows)
    claims = pd.DataFrame({"claim_id": df["claim_id"], "article_id": df["article_id"],
                           "start": df["start"] - df["s_start"],
                           "end": df["start"] - df["s_start"] + df["sentence"].str.len(),
                           "sentence": df["sentence"], "sentence_clean": df["sentence"]})
    stage_inputs(processed, numbers=df[conflicts.NUMBER_COLUMNS], claims=claims)


def _run_conflicts(processed: Path) -> tuple[Path, str]:
    (res,) = stages.run(["conflicts"], root=processed)
    return catalog.path("fact_conflicts", processed), res.summary


def test_stage_writes_sorted_deterministic_csv(tmp_path, monkeypatch):
    processed = tmp_path / "processed"
    _write_inputs(processed, [WECHAT_6, KPI_FRIENDS, SPEND, WECHAT_4, KPI_USERS])
    monkeypatch.setattr(config, "EXTERNAL_METRICS_FILE", write_external(
        tmp_path, ("Laiwang", "promotion budget", "2013-10", "200000000", "CNY", "Some newspaper")))
    p, summary = _run_conflicts(processed)
    first = p.read_bytes()
    _run_conflicts(processed)
    assert p.read_bytes() == first
    # WeChat users (4亿 vs 6亿) and the promotion spend (上千万 vs the external 2亿) disagree
    assert "3 shared quantities" in summary and "2 disagree" in summary
    out = pd.read_csv(p, keep_default_na=False)
    assert list(out.columns) == conflicts.CONFLICT_COLUMNS
    assert list(out["quantity"]) == sorted(out["quantity"])
    # the same table whatever the order of the input rows
    _write_inputs(processed, [KPI_USERS, SPEND, WECHAT_4, KPI_FRIENDS, WECHAT_6])
    _run_conflicts(processed)
    shuffled = pd.read_csv(p, keep_default_na=False)
    cols = [c for c in out.columns if c not in {"claim_a", "claim_b"}]
    pd.testing.assert_frame_equal(out[cols], shuffled[cols])


def test_stage_needs_inputs(tmp_path):
    with pytest.raises(catalog.MissingArtefact, match="numbers"):
        stages.run(["conflicts"], root=tmp_path)
    stage_inputs(tmp_path, numbers=figures(WECHAT_4)[conflicts.NUMBER_COLUMNS])
    with pytest.raises(catalog.MissingArtefact, match="claims"):
        stages.run(["conflicts"], root=tmp_path)


def test_pure_stage_function_matches_find_conflicts():
    df = figures(WECHAT_4, WECHAT_6)
    claims = pd.DataFrame({"claim_id": df["claim_id"], "article_id": df["article_id"],
                           "start": df["start"] - df["s_start"],
                           "end": df["start"] - df["s_start"] + df["sentence"].str.len(),
                           "sentence": df["sentence"], "sentence_clean": df["sentence"]})
    out = conflicts_stage({"numbers": df[conflicts.NUMBER_COLUMNS], "claims": claims}, None)["fact_conflicts"]
    assert list(out["quantity"]) == ["wechat_users"] and not out["agree"].iloc[0]


def test_external_file_is_checked(tmp_path):
    path = tmp_path / "external_metrics.csv"
    path.write_text("entity,metric,period,value,unit,source\nLaiwang,budget,2013-10,lots,CNY,paper\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"external_metrics.csv:2: value 'lots' is not a number"):
        external.read_external_metrics(path)
    path.write_text("entity,metric,period,value,unit\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r":1: the header lacks the columns \['source'\]"):
        external.read_external_metrics(path)
    assert external.read_external_metrics(tmp_path / "absent.csv") is None


def test_window_rules_hold_next_to_external_figures(tmp_path):
    # enough KPI cues in the sentence, but the window around the figure is about a team
    team = ("c", "超过百人", 100, "people", "", "1", "员工外部好友很多,来往团队扩充至超过百人。")
    ext = load_external(write_external(
        tmp_path, ("Laiwang", "promotion budget", "2013-10", "200000000", "CNY", "Some newspaper")))
    assert conflicts.find_conflicts(figures(KPI_USERS, team)).empty
    assert conflicts.find_conflicts(figures(KPI_USERS, team), external=ext).empty

"""The explorables' grids (analysis.adoption.explore) and their HTML (analysis.report.explorables).

* The grids have the stated sizes and axes, are deterministic, and agree with direct model calls (and, at
  the model's default network effect, with the phase diagram itself).
* Mixed seeding spends exactly the budget, with the stated fraction in whole blocks, and reduces to the
  scattered and clustered seedings at its ends.
* The inline JSON cannot close its script element, round-trips, and the server-rendered readout is the
  grid's value at the starting position.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis.adoption import clustered_seeds, retained_seeds, scattered_seeds, threshold_cascade
from analysis.adoption._competition import CompetitionParams, simulate_shares
from analysis.adoption._graphs import block_model
from analysis.adoption.explore import (
    PUSH_BETAS,
    PUSH_CELLS,
    PUSH_SIZES,
    PUSH_TIMINGS,
    SEED_BUDGETS,
    SEED_CELLS,
    SEED_STYLES,
    SEED_THETAS,
    mixed_seeds,
    push_explorer,
    seeding_explorer,
)
from analysis.adoption.runs import push_grid
from analysis.adoption.wechat import quarter_end_years
from analysis.report import explorables
from analysis.report.escape import json_script

BASS = (0.0375, 0.9862, 816.5)


@pytest.fixture(scope="module")
def push() -> pd.DataFrame:
    return push_explorer(BASS)


@pytest.fixture(scope="module")
def seeding() -> pd.DataFrame:
    return seeding_explorer()


# ---------------------------------------------------------------------------
# the push grid
# ---------------------------------------------------------------------------
def test_push_grid_size_and_axes(push):
    assert PUSH_CELLS == 31 * 14 * 10 == len(push)
    assert list(push.columns) == ["beta", "size", "timing", "share", "long_run", "outcome"]
    assert sorted(push["size"].unique()) == list(PUSH_SIZES)
    assert sorted(push["timing"].unique()) == list(PUSH_TIMINGS) and PUSH_TIMINGS[0] == 0.25 and PUSH_TIMINGS[-1] == 3.5
    assert sorted(push["beta"].unique()) == list(PUSH_BETAS) == [float(b) for b in range(1, 11)]
    assert not push.duplicated(["beta", "size", "timing"]).any()
    assert set(push["outcome"]) <= {"win", "niche", "fade"}
    assert ((push["share"] >= 0) & (push["share"] <= 1)).all()


def test_push_grid_deterministic_and_rounded(push):
    again = push_explorer(BASS)
    pd.testing.assert_frame_equal(push, again)
    assert (push["share"] == push["share"].round(4)).all() and (push["long_run"] == push["long_run"].round(4)).all()


@pytest.mark.parametrize("beta, size, timing", [(6.0, 10.0, 2.75), (3.0, 100.0, 1.0), (10.0, 1.0, 0.25),
                                                (1.0, 1000.0, 3.5)])
def test_push_grid_matches_the_model(push, beta, size, timing):
    row = push[(push["beta"] == beta) & np.isclose(push["size"], size) & (push["timing"] == timing)]
    assert len(row) == 1
    res = simulate_shares([size], [timing], BASS, replace(CompetitionParams(), beta=beta))
    assert row["share"].iloc[0] == pytest.approx(round(float(res["share"][0]), 4), abs=1e-12)
    assert row["long_run"].iloc[0] == pytest.approx(round(float(res["long_run"][0]), 4), abs=1e-12)


def test_push_grid_at_the_default_beta_is_the_phase_diagram(push):
    phase = push_grid(BASS)
    mine = push[push["beta"] == CompetitionParams().beta].merge(phase, on=["size", "timing"], suffixes=("", "_pd"))
    assert len(mine) == len(PUSH_SIZES) * len(PUSH_TIMINGS)
    assert (mine["share"] == mine["share_pd"]).all()
    assert (mine["long_run"] == mine["long_run_pd"]).all()
    assert (mine["outcome"] == mine["outcome_pd"]).all()


def test_push_grid_refuses_bad_betas():
    with pytest.raises(ValueError, match="betas"):
        push_explorer(BASS, betas=[])
    with pytest.raises(ValueError, match="betas"):
        push_explorer(BASS, betas=[0.0, 2.0])


# ---------------------------------------------------------------------------
# mixed seeding
# ---------------------------------------------------------------------------
BLOCK = np.repeat(np.arange(20), 10)


@pytest.mark.parametrize("k", [0, 1, 25, 99, 200])
@pytest.mark.parametrize("f", [0.0, 0.1, 0.35, 0.5, 0.9, 1.0])
def test_mixed_seeds_budget_and_fraction(k, f):
    s = mixed_seeds(BLOCK, k, f, seed=3)
    assert s.size == k and np.unique(s).size == k and (np.diff(s) > 0).all()
    n_cl = int(np.floor(f * k + 0.5))
    part = clustered_seeds(BLOCK, n_cl, seed=3)
    assert np.isin(part, s).all()  # the clustered part is whole blocks (the last one partially)
    full_blocks = n_cl // 10
    counts = np.bincount(BLOCK[part], minlength=20)
    assert (counts == 10).sum() >= full_blocks


def test_mixed_seeds_reduce_to_scattered_and_clustered():
    assert np.array_equal(mixed_seeds(BLOCK, 37, 0.0, seed=5), scattered_seeds(BLOCK.size, 37, seed=5))
    assert np.array_equal(mixed_seeds(BLOCK, 37, 1.0, seed=5), clustered_seeds(BLOCK, 37, seed=5))
    assert not np.array_equal(mixed_seeds(BLOCK, 37, 0.5, seed=5), mixed_seeds(BLOCK, 37, 0.0, seed=5))


def test_mixed_seeds_refuses_bad_arguments():
    with pytest.raises(ValueError, match="fraction"):
        mixed_seeds(BLOCK, 10, 1.5)
    with pytest.raises(ValueError, match="n_seeds"):
        mixed_seeds(BLOCK, 201, 0.5)


# ---------------------------------------------------------------------------
# the seeding grid
# ---------------------------------------------------------------------------
def test_seeding_grid_size_and_axes(seeding):
    assert SEED_CELLS == 10 * 11 * 13 == len(seeding)
    assert list(seeding.columns) == ["budget", "style", "theta", "n_seeds", "n_clustered", "retained_share",
                                     "final_share"]
    assert sorted(seeding["budget"].unique()) == list(SEED_BUDGETS)
    assert sorted(seeding["style"].unique()) == list(SEED_STYLES) and SEED_STYLES[-1] == 1.0
    assert sorted(seeding["theta"].unique()) == list(SEED_THETAS)
    assert np.allclose(np.diff(SEED_THETAS), 0.025) and np.allclose(np.diff(SEED_STYLES), 0.1)
    assert (seeding["n_seeds"] == np.rint(seeding["budget"] * 10_000)).all()
    assert (seeding["n_clustered"] <= seeding["n_seeds"]).all()
    assert ((seeding["retained_share"] >= 0) & (seeding["retained_share"] <= 1)).all()


def test_seeding_grid_deterministic():
    kw = {"n_orgs": 30, "budgets": (0.02, 0.1), "styles": (0.0, 0.5, 1.0), "thetas": (0.3, 0.4), "seed": 11}
    pd.testing.assert_frame_equal(seeding_explorer(**kw), seeding_explorer(**kw))
    assert not seeding_explorer(**kw).equals(seeding_explorer(**{**kw, "seed": 12}))


@pytest.mark.parametrize("budget, style, theta", [(0.05, 0.0, 0.35), (0.05, 1.0, 0.35), (0.01, 0.5, 0.25),
                                                  (0.1, 0.3, 0.5)])
def test_seeding_grid_matches_the_model(seeding, budget, style, theta):
    from analysis import config

    seed = config.SEED
    adjacency, block = block_model(np.full(200, 50), k_in=8, k_out=4, seed=seed)
    z = np.random.default_rng(seed).standard_normal(adjacency.shape[0])
    th = np.clip(theta + 0.05 * z, 0.01, 1.0)
    k = int(round(budget * adjacency.shape[0]))
    s = mixed_seeds(block, k, style, seed=seed + 2)
    res = threshold_cascade(adjacency, s, th)
    kept = retained_seeds(adjacency, res, s, th)
    row = seeding[(seeding["budget"] == budget) & np.isclose(seeding["style"], style)
                  & np.isclose(seeding["theta"], theta)]
    assert len(row) == 1
    assert row["retained_share"].iloc[0] == round(kept.size / k, 4)
    assert row["final_share"].iloc[0] == round(res.share, 4)


def test_seeding_grid_refuses_bad_budgets():
    with pytest.raises(ValueError, match="budgets"):
        seeding_explorer(budgets=(0.0,))


# ---------------------------------------------------------------------------
# the HTML: escaping, data, labels, server-rendered readout
# ---------------------------------------------------------------------------
def test_json_script_cannot_close_its_element():
    nasty = {"label": "</script><script>alert(1)</script><!-- & \u2028\u2029 来往", "n": [1, 2.5]}
    text = json_script(nasty)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == nasty
    assert "来往" in text  # non-ASCII text is kept
    with pytest.raises(ValueError):
        json_script({"x": float("nan")})


def _data(markup: str, kind: str) -> dict:
    m = re.search(rf'<script type="application/json" id="explore-{kind}-data">(.*?)</script>', markup, re.S)
    assert m, "no data block"
    assert "</" not in m.group(1)
    return json.loads(m.group(1))


def _labelled_sliders(markup: str) -> None:
    ids = re.findall(r'<input type="range" id="([^"]+)"', markup)
    assert ids
    for i in ids:
        assert f'<label for="{i}">' in markup, i
    assert 'aria-live="polite"' in markup and "<noscript>" in markup
    assert f'href="#{explorables.ASSUMPTIONS_ANCHOR}"' in markup


def test_push_explorable(push):
    actual = [(10.0, 2.7324, "the push </script>"), (2.0, 2.7324, "the KPI")]
    ex = explorables.push_explorer(push, actual)
    _labelled_sliders(ex.markup)
    data = _data(ex.markup, "push")
    assert len(data["share"]) == len(data["long_run"]) == len(data["outcome"]) == PUSH_CELLS
    assert data["actual"][0]["label"] == "the push </script>"
    start = data["start"]
    assert data["size"]["values"][start["size"]] == 10.0 and data["timing"]["values"][start["timing"]] == 2.75
    assert data["beta"]["values"][start["beta"]] == 6.0
    cell = push[(push["beta"] == 6.0) & (push["size"] == 10.0) & (push["timing"] == 2.75)].iloc[0]
    assert f'<strong data-out="share">{100 * cell["share"]:.2f}%</strong>' in ex.markup
    assert f'<strong data-out="long_run">{100 * cell["long_run"]:.2f}%</strong>' in ex.markup
    i = (start["beta"] * len(PUSH_SIZES) + start["size"]) * len(PUSH_TIMINGS) + start["timing"]
    assert data["share"][i] == round(10_000 * cell["share"]) and data["outcome"][i] == cell["outcome"][0]
    assert ex.data_bytes < 60_000
    assert repr(ex) == f"<explorable push: {PUSH_CELLS} grid cells, {ex.data_bytes} bytes of data>"
    with pytest.raises(ValueError, match="full"):
        explorables.push_explorer(push.iloc[1:], actual)


def test_seeding_explorable(seeding):
    ex = explorables.seeding_explorer(seeding)
    _labelled_sliders(ex.markup)
    data = _data(ex.markup, "seeding")
    assert len(data["retained"]) == len(data["final"]) == SEED_CELLS
    assert data["n_people"] == 10_000
    cell = seeding[(seeding["budget"] == 0.05) & (seeding["style"] == 0.0) & (seeding["theta"] == 0.35)].iloc[0]
    assert f'<strong data-out="retained">{100 * cell["retained_share"]:.2f}%</strong>' in ex.markup
    assert ex.data_bytes < 25_000


def test_forecast_explorable_uses_the_fit_and_its_time_origin():
    fit = pd.DataFrame({"parameter": ["p", "q", "m"], "estimate": [0.0375, 0.9862, 816.5], "lo": 0.0, "hi": 1.0})
    forecast = pd.DataFrame({"quarter": ["2014Q3", "2018Q4"], "p05": [470.0, 600.0], "p50": [500.0, 800.0],
                             "p95": [520.0, 1300.0]})
    mau = pd.DataFrame({"quarter": ["2011Q1", "2013Q1"], "t": [0.0, 2.19], "mau_millions": [0.0, 194.0]})
    ex = explorables.forecast_explorer(fit, forecast, mau)
    _labelled_sliders(ex.markup)
    data = _data(ex.markup, "forecast")
    assert data["fit"] == {"p": 0.0375, "q": 0.9862, "m": 816.5}
    assert [b["t"] for b in data["band"]] == list(quarter_end_years(["2014Q3", "2018Q4"]))
    assert [o["quarter"] for o in data["observed"]] == ["2013Q1"]  # the launch point is not a fitted quarter
    for name, value in (("p", "0.0375"), ("q", "0.9862"), ("m", "816.5")):
        tag = re.search(rf'<input type="range" id="explore-forecast-{name}"[^>]*>', ex.markup).group(0)
        assert f'value="{value}"' in tag
        lo, hi, step = (float(re.search(rf'{a}="([^"]+)"', tag).group(1)) for a in ("min", "max", "step"))
        assert lo < float(value) < hi
        assert abs((float(value) - lo) / step - round((float(value) - lo) / step)) < 1e-6  # the fit is a step
    with pytest.raises(ValueError, match="lacks"):
        explorables.forecast_explorer(fit.iloc[:2], forecast, mau)

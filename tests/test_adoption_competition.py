"""Two-platform competition with network effects: shares, tipping, grid."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from analysis.adoption import CompetitionParams, classify_share, competition_grid, equilibria, simulate_shares

BASS = (0.03, 1.2, 650.0)


def test_shares_are_bounded_and_complementary():
    sizes = np.geomspace(0.1, 5000, 9)
    timings = np.linspace(0.1, 4.0, 7)
    g = competition_grid(sizes, timings, BASS, durations=[0.0, 0.5])
    for col in ("share0", "share", "long_run"):
        assert g[col].between(0, 1).all()
        incumbent = 1.0 - g[col]
        assert_allclose(g[col] + incumbent, 1.0)
    assert len(g) == sizes.size * timings.size * 2
    assert set(g["outcome"]) <= {"win", "niche", "fade"}


def test_bigger_push_never_hurts_and_earlier_push_never_hurts():
    sizes = np.geomspace(1, 1000, 15)
    timings = np.linspace(0.3, 3.5, 12)
    g = competition_grid(sizes, timings, BASS)
    wide = g.pivot(index="size", columns="timing", values="share")
    assert np.all(np.diff(wide.to_numpy(), axis=0) >= -1e-12)  # increasing in size
    assert np.all(np.diff(wide.to_numpy(), axis=1) <= 1e-12)  # decreasing in lateness


def test_symmetric_market_is_bistable_with_critical_mass_one_half():
    eq = equilibria(CompetitionParams(beta=6.0))
    assert list(eq["stable"]) == [True, False, True]
    assert_allclose(eq["share"].iloc[1], 0.5, atol=1e-6)
    assert_allclose(eq["share"].iloc[0] + eq["share"].iloc[2], 1.0, atol=1e-6)


def test_weak_network_effect_has_a_single_interior_equilibrium():
    eq = equilibria(CompetitionParams(beta=1.5))
    assert len(eq) == 1 and bool(eq["stable"].iloc[0])
    assert_allclose(eq["share"].iloc[0], 0.5, atol=1e-6)


def test_long_run_share_goes_to_the_side_of_the_critical_mass():
    params = CompetitionParams(beta=6.0, promo=0.0, duration=0.0, long_run=40.0)
    eq = equilibria(params)
    low, high = eq["share"].iloc[0], eq["share"].iloc[2]
    t0 = 3.0
    n0 = BASS[2] * (1 - np.exp(-(BASS[0] + BASS[1]) * t0)) / (1 + BASS[1] / BASS[0] * np.exp(-(BASS[0] + BASS[1]) * t0))
    below = simulate_shares(0.3 * n0, t0, BASS, params)   # initial share 0.23 < 1/2
    above = simulate_shares(2.0 * n0, t0, BASS, params)   # initial share 0.67 > 1/2
    assert_allclose(below["long_run"], low, atol=1e-3)
    assert_allclose(above["long_run"], high, atol=1e-3)


def test_niche_segment_creates_a_stable_minority_equilibrium():
    eq = equilibria(CompetitionParams(beta=6.0, niche_weight=0.2, niche_delta=8.0))
    stable_low = eq[eq["stable"]]["share"].iloc[0]
    assert 0.05 < stable_low < 0.5


def test_classify_share():
    assert list(classify_share([0.0, 0.1, 0.7])) == ["fade", "niche", "win"]


@pytest.mark.parametrize(
    "kw",
    [dict(seeds=-1.0, t_push=1.0), dict(seeds=1.0, t_push=0.0), dict(seeds=np.nan, t_push=1.0)],
)
def test_simulate_rejects_bad_input(kw):
    with pytest.raises(ValueError):
        simulate_shares(kw["seeds"], kw["t_push"], BASS)


def test_params_are_validated():
    with pytest.raises(ValueError):
        CompetitionParams(beta=0.0)
    with pytest.raises(ValueError):
        CompetitionParams(niche_weight=1.0)
    with pytest.raises(ValueError):
        simulate_shares(1.0, 1.0, (0.03, -1.0, 650.0))

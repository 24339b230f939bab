"""Bass and generalized Bass models: closed form, estimation, bootstrap, input checks."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.integrate import quad

from analysis.adoption import bass_cumulative, bass_rate, fit_bass, gbm_cumulative, pulse_effort

P, Q, M = 0.03, 0.4, 1000.0


def _closed_form(t, p, q, m):
    # written out independently of the package
    e = np.exp(-(p + q) * np.asarray(t, float))
    return m * (1 - e) / (1 + q / p * e)


def test_rate_integrates_to_cumulative():
    for t in (0.5, 3.0, 10.0):
        integral, _ = quad(lambda s: bass_rate([s], P, Q, M)[0], 0.0, t)
        assert_allclose(integral, bass_cumulative([t], P, Q, M)[0], rtol=1e-8)


def test_hazard_is_linear_in_adopted_share():
    t = np.linspace(0.0, 20.0, 50)
    F = bass_cumulative(t, P, Q, M) / M
    f = bass_rate(t, P, Q, M) / M
    assert_allclose(f / (1 - F), P + Q * F, rtol=1e-9)


def test_cumulative_starts_at_zero_and_saturates_at_m():
    N = bass_cumulative([0.0, 200.0], P, Q, M)
    assert N[0] == 0.0
    assert_allclose(N[1], M, rtol=1e-12)
    assert np.all(np.diff(bass_cumulative(np.linspace(0, 30, 300), P, Q, M)) > 0)


def test_fit_recovers_parameters_from_exact_data():
    t = np.r_[0.0, np.linspace(1.0, 8.0, 12)]
    y = _closed_form(t, P, Q, M)
    fit = fit_bass(t, y, n_boot=20, seed=1)
    assert_allclose([fit.p, fit.q, fit.m], [P, Q, M], rtol=1e-4)
    assert fit.rss < 1e-6


def test_fit_increments_form():
    t = np.arange(1.0, 15.0)
    cum = _closed_form(np.r_[0.0, t], P, Q, M)
    fit = fit_bass(t, np.diff(cum), kind="increments", n_boot=20, seed=1)
    assert_allclose([fit.p, fit.q, fit.m], [P, Q, M], rtol=1e-4)


def _noisy(sd, seed=7):
    rng = np.random.default_rng(seed)
    t = np.r_[0.0, np.linspace(1.0, 10.0, 20)]
    y = _closed_form(t, P, Q, M) + np.r_[0.0, rng.normal(0, sd, 20)]
    return t, np.maximum(y, 0)


def test_bootstrap_is_seeded_and_intervals_contain_the_estimate():
    t, y = _noisy(10.0)
    a = fit_bass(t, y, n_boot=100, seed=3)
    b = fit_bass(t, y, n_boot=100, seed=3)
    np.testing.assert_array_equal(a.draws, b.draws)
    assert a.draws.shape == (100, 3) and np.all(a.draws > 0)
    for name in ("p", "q", "m"):
        lo, hi = a.ci[name]
        assert lo <= getattr(a, name) <= hi


def test_bootstrap_intervals_have_roughly_nominal_coverage():
    reps, hits = 12, {"p": 0, "q": 0, "m": 0}
    for r in range(reps):
        fit = fit_bass(*_noisy(10.0, seed=100 + r), n_boot=100, seed=r, level=0.9)
        for name, true in (("p", P), ("q", Q), ("m", M)):
            hits[name] += fit.ci[name][0] < true < fit.ci[name][1]
    # 90% intervals: with 12 replications, fewer than 7 hits would be very unlikely if coverage were nominal
    assert all(h >= 7 for h in hits.values()), hits


def test_more_noise_gives_wider_intervals():
    narrow = fit_bass(*_noisy(2.0), n_boot=150, seed=3)
    wide = fit_bass(*_noisy(40.0), n_boot=150, seed=3)
    for name in ("p", "q", "m"):
        assert np.diff(wide.ci[name])[0] > np.diff(narrow.ci[name])[0], name


def test_band_is_ordered_and_parametric_bootstrap_runs():
    t = np.r_[0.0, np.linspace(1.0, 6.0, 8)]
    y = _closed_form(t, P, Q, M) * (1 + 0.02 * np.sin(np.arange(t.size)))
    fit = fit_bass(t, y, n_boot=60, seed=0, bootstrap="parametric")
    lo, mid, hi = fit.band(np.linspace(0, 12, 30))
    assert np.all(lo <= mid) and np.all(mid <= hi)
    assert fit.m >= y.max()


@pytest.mark.parametrize(
    "t, y, kw, msg",
    [
        ([], [], {}, "empty"),
        ([0, 1, 2, 3, 4], [0, 1, -2, 3, 4], {}, "non-negative"),
        ([0, 2, 1, 3, 4], [0, 1, 2, 3, 4], {}, "increasing"),
        ([0, 1, 2, 3, 4], [0, 1, np.nan, 3, 4], {}, "NaN"),
        ([0, 1, 2, 3], [0, 1, 2, 3, 4], {}, "lengths"),
        ([0, 1, 2, 3, 4], [0, 10, 20, 30, 40], {"m_max": 35.0}, "smaller than the observed"),
        ([0, 1, 2], [0, 1, 2], {}, "at least 4"),
        ([0, 1, 2, 3, 4], [0, 1, 2, 3, 4], {"kind": "rate"}, "kind"),
    ],
)
def test_fit_rejects_bad_input(t, y, kw, msg):
    with pytest.raises(ValueError, match=msg):
        fit_bass(t, y, n_boot=20, **kw)


def test_closed_forms_reject_bad_parameters():
    with pytest.raises(ValueError):
        bass_cumulative([1.0], -0.1, Q, M)
    with pytest.raises(ValueError):
        bass_rate([-1.0], P, Q, M)


# --- generalized Bass model -------------------------------------------------------------------------
def test_gbm_without_promotion_is_bass():
    t = np.linspace(0, 10, 41)
    assert_allclose(gbm_cumulative(t, P, Q, M, pulse_effort(t, 2.0, 1.0, 0.0)), bass_cumulative(t, P, Q, M))


@pytest.mark.parametrize("intensity", [0.5, 3.0, 20.0])
def test_promotion_compresses_time_but_not_market_potential(intensity):
    t = np.linspace(0, 60, 2401)
    start, dur = 1.0, 0.5
    base = bass_cumulative(t, P, Q, M)
    push = gbm_cumulative(t, P, Q, M, pulse_effort(t, start, dur, intensity))
    # never behind the baseline, identical before the pulse
    assert np.all(push >= base - 1e-9)
    assert_allclose(push[t <= start], base[t <= start])
    # same ceiling: the promotion does not raise m
    assert_allclose(push[-1], M, rtol=1e-9)
    assert_allclose(base[-1], M, rtol=1e-9)
    # after the pulse the curve is the baseline shifted earlier by exactly intensity * duration
    after = t >= start + dur
    shifted = bass_cumulative(t[after] + intensity * dur, P, Q, M)
    assert_allclose(push[after], shifted, rtol=1e-9)


def test_pulse_effort_checks():
    with pytest.raises(ValueError):
        pulse_effort([0.0, 1.0], -1.0, 1.0, 1.0)
    with pytest.raises(ValueError):
        pulse_effort([0.0, 1.0], 0.0, 1.0, -2.0)
    with pytest.raises(ValueError, match="non-decreasing"):
        gbm_cumulative([0.0, 1.0], P, Q, M, [1.0, 0.5])

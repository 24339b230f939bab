"""The informed forecast: a prior on m from the 2014 market context, and no later data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.adoption._bass import bass_cumulative, fit_bass
from analysis.adoption.prior import load_market_context, market_prior
from analysis.adoption.wechat import LAST_FITTED_QUARTER, fit_wechat, informed_fit, load_wechat_mau


def test_market_context_is_public_by_the_forecast_origin():
    df = load_market_context()
    assert (df["published"] <= "2014-07").all()


def test_a_row_published_later_is_refused(tmp_path):
    df = pd.read_csv(config.MARKET_CONTEXT_FILE, dtype=str)
    late = df.iloc[[0]].assign(period="2015-06", published="2015-07")
    path = tmp_path / "context.csv"
    pd.concat([df, late]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="published 2015-07, after the forecast origin"):
        load_market_context(path)


def test_prior_is_built_from_the_bounds():
    ctx = load_market_context()
    pr = market_prior(ctx, overseas_share=0.0, overseas_sd=0.0)
    assert pr.lower < pr.median < pr.upper
    np.testing.assert_allclose(pr.median, np.sqrt(pr.lower * pr.upper))
    lo, hi = pr.interval(0.9)
    np.testing.assert_allclose([lo, hi], [pr.lower, pr.upper], rtol=1e-9)
    more = market_prior(ctx, overseas_share=0.2)
    assert more.median == pytest.approx(1.2 * pr.median) and more.log_sd > pr.log_sd


def test_a_tight_prior_pulls_m_to_its_centre():
    t = np.array([0.0, 1, 2, 3, 4, 5])
    y = bass_cumulative(t, 0.02, 0.6, 1000.0)[:]
    y[1:] *= 1 + 0.01 * np.array([1, -1, 1, -1, 1])
    loose = fit_bass(t[:5], y[:5], n_boot=20, seed=0)
    tight = fit_bass(t[:5], y[:5], n_boot=20, seed=0, m_prior=(3000.0, 0.01))
    assert abs(np.log(tight.m / 3000.0)) < abs(np.log(loose.m / 3000.0))
    assert tight.m_prior == (3000.0, 0.01) and loose.m_prior is None


def test_bad_prior_is_refused():
    with pytest.raises(ValueError, match="m_prior"):
        fit_bass([0, 1, 2, 3, 4], [0, 1, 2, 3, 4], n_boot=20, m_prior=(-1.0, 0.2))


def test_the_fit_sees_no_mau_after_the_origin(tmp_path):
    mau = load_wechat_mau()
    assert mau["quarter"].iloc[-1] == LAST_FITTED_QUARTER
    df = pd.read_csv(config.WECHAT_MAU_FILE)
    later = pd.concat([df, pd.DataFrame([{"quarter": "2014Q3", "mau_millions": 468.0, "source": "later"}])])
    path = tmp_path / "mau.csv"
    later.to_csv(path, index=False)
    with pytest.raises(ValueError, match="2014Q3 is after 2014Q2"):
        fit_wechat(path, n_boot=20)


def test_informed_band_carries_the_prior_uncertainty():
    naive, informed = fit_wechat(n_boot=100), informed_fit(n_boot=100)
    t = np.array([7.9])
    lo, mid, hi = informed.band(t)
    assert lo[0] < mid[0] < hi[0]
    pr = market_prior()
    # the informed median lies between the data-only estimate and the prior's centre
    assert min(naive.m, pr.median) <= informed.m <= max(naive.m, pr.median)

"""Figures of the adoption chapter, drawn from the ``adopt`` stage's artefacts (call :func:`analysis.report.style.set_style` first).

Nothing is refitted here: the Bass curve is drawn from the ``p, q, m``
estimates of ``wechat_fit`` and the forecast band from ``wechat_forecast``;
:func:`plot_gbm` evaluates the closed-form (generalized) Bass model at those
estimates, which draws a formula rather than recomputing an artefact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.adoption._bass import bass_cumulative, gbm_cumulative, pulse_effort
from analysis.adoption.wechat import WECHAT_LAUNCH, article_claims

__all__ = [
    "bass_parameters",
    "claim_points",
    "actual_pushes",
    "plot_cascades",
    "plot_gbm",
    "plot_phase",
    "plot_tornado",
    "plot_wechat",
]


def _dates(t: np.ndarray) -> pd.DatetimeIndex:
    return pd.Timestamp(WECHAT_LAUNCH) + pd.to_timedelta(np.asarray(t) * 365.25, unit="D")


def _year(t: Any) -> Any:
    """Decimal calendar year of ``t`` years after WeChat's launch."""
    launch = pd.Timestamp(WECHAT_LAUNCH)
    return launch.year + (launch.day_of_year - 1) / 365.25 + np.asarray(t, dtype=float)


def bass_parameters(fit: pd.DataFrame) -> tuple[float, float, float]:
    """The point estimates ``(p, q, m)`` of the ``wechat_fit`` artefact.

    Parameters
    ----------
    fit : pandas.DataFrame
        ``parameter, estimate, lo, hi``.

    Returns
    -------
    tuple of float
        ``(p, q, m)``, m in millions.

    Raises
    ------
    ValueError
        If a parameter is missing.
    """
    est = dict(zip(fit["parameter"], fit["estimate"], strict=True))
    missing = [k for k in ("p", "q", "m") if k not in est]
    if missing:
        raise ValueError(f"wechat_fit lacks the parameter(s) {', '.join(missing)}")
    return float(est["p"]), float(est["q"]), float(est["m"])


def claim_points(numbers: pd.DataFrame | None, claims: pd.DataFrame | None,
                 corpus: pd.DataFrame | None) -> pd.DataFrame:
    """The articles' WeChat user figures, dated, to mark on the MAU figure (not fitted).

    Parameters
    ----------
    numbers, claims, corpus : pandas.DataFrame or None
        The catalogue artefacts.

    Returns
    -------
    pandas.DataFrame
        See :func:`analysis.adoption.wechat.article_claims`.
    """
    if corpus is not None:
        # the catalogue writes an unknown date as "" (article_claims expects a missing value)
        corpus = corpus.assign(date=corpus["date"].where(corpus["date"].astype(str) != "", None))
    return article_claims(numbers, claims, corpus)


def actual_pushes(facts: Mapping[str, Any]) -> list[tuple[float, float, str]]:
    """The pushes that happened, as ``(size in millions, years since launch, label)`` for :func:`plot_phase`.

    Parameters
    ----------
    facts : mapping
        :func:`analysis.report.facts.adoption_facts` output.

    Returns
    -------
    list of (float, float, str)
    """
    return [(facts["push_seeds_m"], facts["push_t"], f"the push: {facts['push_seeds_m']:g} million registrations (003)"),
            (facts["employee_seeds_m"], facts["push_t"],
             f"the KPI: employees × friends, {facts['employee_seeds_m']:g} million")]


def plot_wechat(mau: pd.DataFrame, fit: pd.DataFrame, forecast: pd.DataFrame,
                claims: pd.DataFrame | None = None) -> Any:
    """Observed MAU, the Bass curve, the out-of-sample forecast with its 90% band, and the articles' claims.

    Parameters
    ----------
    mau : pandas.DataFrame
        :func:`analysis.report.adoption.wechat_mau` output.
    fit : pandas.DataFrame
        The ``wechat_fit`` artefact (the curve is drawn at its point estimates).
    forecast : pandas.DataFrame
        The ``wechat_forecast`` artefact.
    claims : pandas.DataFrame, optional
        :func:`claim_points` output.

    Returns
    -------
    matplotlib.axes.Axes
    """
    fig, ax = plt.subplots(figsize=(9, 5))
    t = np.linspace(0.0, 8.0, 200)
    ax.plot(_dates(t), bass_cumulative(t, *bass_parameters(fit)), color="C0", label="Bass fit (point estimate)")
    q_end = pd.PeriodIndex(forecast["quarter"], freq="Q").end_time
    ax.fill_between(q_end, forecast["p05"], forecast["p95"], color="C1", alpha=0.18,
                    label="forecast: 90% bootstrap band")
    ax.errorbar(q_end, forecast["p50"], yerr=[forecast["p50"] - forecast["p05"], forecast["p95"] - forecast["p50"]],
                fmt="o", ms=3, color="C1", alpha=0.8, label="forecast 2014Q3–2018Q4 (median, 5–95%)")
    obs = mau[mau["t"] > 0]
    ax.plot(_dates(obs["t"]), obs["mau_millions"], "ks", label="MAU, Tencent reports (fitted)")
    if claims is not None and len(claims):
        for kind, marker in (("users", "x"), ("registrations", "^")):
            c = claims[claims["kind"] == kind]
            if len(c):
                ax.plot(pd.to_datetime(c["date"]), c["millions"], marker, color="C3", ms=9, ls="none",
                        label=f"article claim: {kind} (not fitted)")
    ax.set_ylabel("monthly active users (millions)")
    ax.set_title("WeChat's monthly active users: Bass fit and forecast")
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return ax


def plot_gbm(fit: pd.DataFrame, start: float, duration: float,
             intensities: Sequence[float] = (0.0, 1.0, 3.0, 6.0)) -> Any:
    """Generalized Bass curves at WeChat's estimates, with promotion pulses of several intensities.

    Parameters
    ----------
    fit : pandas.DataFrame
        The ``wechat_fit`` artefact.
    start, duration : float
        The promotion window, in years since launch.
    intensities : sequence of float
        Extra effort during the pulse (0: no promotion).

    Returns
    -------
    matplotlib.axes.Axes
    """
    p, q, m = bass_parameters(fit)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    t = np.linspace(0.0, 7.0, 400)
    for i, k in enumerate(intensities):
        n = gbm_cumulative(t, p, q, m, pulse_effort(t, start, duration, k)) if k else bass_cumulative(t, p, q, m)
        ax.plot(t, n, color=f"C{i}", label="no promotion" if k == 0 else f"promotion, effort ×{1 + k:g}")
    ax.axvspan(start, start + duration, color="grey", alpha=0.2, label="promotion window")
    ax.axhline(m, color="k", ls=":", lw=1, label="market potential m (unchanged)")
    ax.set_xlabel("years since launch")
    ax.set_ylabel("adopters (millions)")
    ax.set_title("Generalized Bass model: a promotion compresses time, not the market")
    ax.legend(fontsize=9, loc="lower right")
    fig.tight_layout()
    return ax


def plot_phase(grid: pd.DataFrame, actual: Sequence[tuple[float, float, str]], value: str = "long_run") -> Any:
    """Heatmap of Laiwang's share over push size × push start, with the actual pushes marked.

    Parameters
    ----------
    grid : pandas.DataFrame
        The ``push_grid`` artefact.
    actual : sequence of (float, float, str)
        ``(size, timing, label)`` of each push to mark (:func:`actual_pushes`).
    value : str, default "long_run"
        The share column to colour by.

    Returns
    -------
    matplotlib.axes.Axes
    """
    wide = grid.pivot(index="size", columns="timing", values=value).sort_index()
    fig, ax = plt.subplots(figsize=(8.5, 5.5))
    x = _year(wide.columns.to_numpy())
    mesh = ax.pcolormesh(x, wide.index.to_numpy(), wide.to_numpy(), cmap="RdYlBu_r", vmin=0, vmax=1,
                         shading="nearest")
    fig.colorbar(mesh, ax=ax, label="Laiwang's long-run share (black line: 50%)")
    ax.contour(x, wide.index.to_numpy(), wide.to_numpy(), levels=[0.5], colors="k", linewidths=1)
    for size, timing, label in actual:
        ax.plot([_year(timing)], [size], "w*", ms=16, mec="k")
        ax.annotate(label, (_year(timing), size), textcoords="offset points", xytext=(-12, 8),
                    ha="right", fontsize=9, color="k",
                    bbox={"boxstyle": "round", "fc": "white", "alpha": 0.8, "lw": 0})
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    years = np.arange(np.ceil(x.min()), np.floor(x.max()) + 1)
    ax.set_xticks(years, [f"{y:.0f}" for y in years])
    ax.set_ylabel("users brought in by the push (millions)")
    ax.set_xlabel("start of the push")
    ax.set_title("Does a push win? Laiwang's long-run share by push size and start")
    fig.tight_layout()
    return ax


def plot_cascades(df: pd.DataFrame) -> Any:
    """Retained share of seeded users, scattered vs clustered, for each graph family.

    Parameters
    ----------
    df : pandas.DataFrame
        The ``cascade_comparison`` artefact.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
    """
    graphs = sorted(df["graph"].unique())
    fig, axes = plt.subplots(1, len(graphs), figsize=(10, 4), sharey=True)
    for ax, g in zip(np.atleast_1d(axes), graphs, strict=True):
        d = df[df["graph"] == g]
        for i, how in enumerate(sorted(d["seeding"].unique())):
            s = d[d["seeding"] == how]
            ax.plot(100 * s["seed_share"], s["retained_share"], "o-", color=f"C{i}", label=f"{how}: retained")
            ax.plot(100 * s["seed_share"], s["final_share"], "--", color=f"C{i}", alpha=0.6,
                    label=f"{how}: final adopters")
        ax.set_xscale("log")
        ax.set_xlabel("seed budget (% of people)")
        ax.set_title(g)
    np.atleast_1d(axes)[0].set_ylabel("share")
    np.atleast_1d(axes)[0].legend(fontsize=8)
    fig.suptitle("Scattered vs clustered seeding: how many seeded users stay")
    fig.tight_layout()
    return axes


def plot_tornado(sens: pd.DataFrame, strategy_id: str, title: str | None = None,
                 labels: Mapping[str, str] | None = None, horizon_months: int | None = None) -> Any:
    """Tornado of one scenario's outcome value over its assumed parameters (low and high end of each range).

    Parameters
    ----------
    sens : pandas.DataFrame
        The ``sensitivity`` artefact.
    strategy_id : str
    title : str, optional
        The figure's title (default: the strategy id).
    labels : mapping of str to str, optional
        Parameter name -> words (default: the names).
    horizon_months : int, optional
        When the share is read, for the axis label (default: "outcome value").

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the strategy has no sensitivity rows.
    """
    d = sens[sens["strategy_id"] == strategy_id]
    if d.empty:
        raise ValueError(f"no sensitivity rows for {strategy_id!r}")
    labels = dict(labels or {})
    base = float(d.loc[d["level"] == "base", "outcome_value"].iloc[0])
    wide = d.pivot(index="parameter", columns="level", values="outcome_value")
    wide["span"] = (wide["high"] - wide["low"]).abs()
    wide = wide.sort_values(["span"], kind="stable")
    ranges = d.pivot(index="parameter", columns="level", values="value")
    fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(wide) + 1.8))
    y = np.arange(len(wide))
    ax.barh(y, 100 * (wide["low"] - base), left=100 * base, color="C0", label="low end of its range")
    ax.barh(y, 100 * (wide["high"] - base), left=100 * base, color="C3", alpha=0.7, label="high end of its range")
    ax.axvline(100 * base, color="k", lw=1)
    ax.set_yticks(y, [f"{labels.get(p, p)} ({ranges.loc[p, 'low']:g}–{ranges.loc[p, 'high']:g})"
                      for p in wide.index])
    ax.set_xlabel(f"Laiwang's share {horizon_months} months after the push (%)" if horizon_months
                  else "outcome value (%)")
    ax.set_title(title or f"Sensitivity: {strategy_id}")
    ax.legend(fontsize=9, loc="lower right")
    fig.tight_layout()
    return ax

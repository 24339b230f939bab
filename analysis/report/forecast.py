"""The informed and uninformed WeChat forecasts side by side, the prior on m, and its sensitivity.

Rendering only: everything is read from the ``adopt`` stage's artefacts
``wechat_forecast`` / ``wechat_fit`` (the book's forecast, fitted with the
2014 market-size prior of :mod:`analysis.adoption.prior`),
``wechat_forecast_uninformed`` / ``wechat_fit_uninformed`` (the MAU series
alone), ``market_prior`` and ``forecast_sensitivity``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.report.display import HTMLTable
from analysis.report.tables import html_table

__all__ = ["plot_forecasts", "prior_table", "sensitivity_table", "forecast_facts"]


def plot_forecasts(mau: pd.DataFrame, informed: pd.DataFrame, uninformed: pd.DataFrame) -> Any:
    """The two forecasts' medians and 90% bands, with the six fitted quarters.

    Parameters
    ----------
    mau : pandas.DataFrame
        The observed MAU (``quarter, t, mau_millions``; the launch row is skipped).
    informed, uninformed : pandas.DataFrame
        The ``wechat_forecast`` and ``wechat_forecast_uninformed`` artefacts.

    Returns
    -------
    matplotlib.axes.Axes
    """
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for df, color, name in ((uninformed, "C7", "MAU series alone"), (informed, "C0", "with the 2014 market prior")):
        x = pd.PeriodIndex(df["quarter"], freq="Q").end_time
        ax.fill_between(x, df["p05"], df["p95"], color=color, alpha=0.18, label=f"{name}: 90% band")
        ax.plot(x, df["p50"], color=color, lw=2, label=f"{name}: median")
    obs = mau[mau["quarter"] != "launch"]
    ax.plot(pd.PeriodIndex(obs["quarter"], freq="Q").end_time, obs["mau_millions"], "ks",
            label="MAU 2013Q1–2014Q2 (Tencent; fitted)")
    ax.set_ylabel("monthly active users (millions)")
    ax.set_title("WeChat MAU forecast from mid-2014: with and without the market-size prior")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return ax


def prior_table(prior: pd.DataFrame) -> HTMLTable:
    """The prior on ``m`` and the 2014 sources it is built from.

    Parameters
    ----------
    prior : pandas.DataFrame
        The ``market_prior`` artefact.

    Returns
    -------
    HTMLTable
    """
    return html_table(prior, labels={"quantity": "Quantity", "value": "Value",
                                     "source": "Source (published by July 2014) or rule"}, sortable=False)


def sensitivity_table(sens: pd.DataFrame) -> HTMLTable:
    """The 2018Q4 forecast under other centres and widths of the prior (and none).

    Parameters
    ----------
    sens : pandas.DataFrame
        The ``forecast_sensitivity`` artefact.

    Returns
    -------
    HTMLTable
    """
    df = sens.copy()
    df["prior"] = [
        "none (MAU series alone)" if c == 0 else f"centre × {c:g}, width × {w:g}"
        for c, w in zip(df["centre"], df["width"], strict=True)
    ]
    df["band"] = [f"{a:,.0f}–{b:,.0f}" for a, b in zip(df["p05"], df["p95"], strict=True)]
    shown = df[["prior", "prior_median", "prior_log_sd", "m", "p50", "band"]]
    return html_table(shown, labels={"prior": "Prior on m", "prior_median": "prior median (M)",
                                     "prior_log_sd": "prior log-sd", "m": "fitted m (M)",
                                     "p50": "2018Q4 median (M)", "band": "2018Q4 90% band (M)"},
                      formats={"prior_median": lambda v: "" if pd.isna(v) else f"{v:,.0f}",
                               "prior_log_sd": lambda v: "" if pd.isna(v) else f"{v:.2f}",
                               "m": ",.0f", "p50": ",.0f"}, sortable=False)


def forecast_facts(informed: pd.DataFrame, uninformed: pd.DataFrame, fit: pd.DataFrame,
                   fit_uninformed: pd.DataFrame, prior: pd.DataFrame, sens: pd.DataFrame) -> dict[str, Any]:
    """The numbers the forecast section's prose quotes (rounded for display).

    Parameters
    ----------
    informed, uninformed : pandas.DataFrame
        The two forecast artefacts.
    fit, fit_uninformed : pandas.DataFrame
        The two fit artefacts (``parameter, estimate, lo, hi``).
    prior : pandas.DataFrame
        The ``market_prior`` artefact.
    sens : pandas.DataFrame
        The ``forecast_sensitivity`` artefact.

    Returns
    -------
    dict
        Keys prefixed ``fc_`` (forecast), ``prior_`` and ``sens_``.
    """
    pv: Mapping[str, float] = dict(zip(prior["quantity"], prior["value"], strict=True))
    last_i, last_u = informed.iloc[-1], uninformed.iloc[-1]
    m_i = fit.set_index("parameter").loc["m"]
    m_u = fit_uninformed.set_index("parameter").loc["m"]
    inf = sens[sens["centre"] > 0]
    out: dict[str, Any] = {
        "fc_quarter": str(last_i["quarter"]),
        "fc_inf_p50": float(last_i["p50"]), "fc_inf_p05": float(last_i["p05"]), "fc_inf_p95": float(last_i["p95"]),
        "fc_uni_p50": float(last_u["p50"]), "fc_uni_p05": float(last_u["p05"]), "fc_uni_p95": float(last_u["p95"]),
        "fc_inf_m": float(m_i["estimate"]), "fc_inf_m_lo": float(m_i["lo"]), "fc_inf_m_hi": float(m_i["hi"]),
        "fc_uni_m": float(m_u["estimate"]), "fc_uni_m_lo": float(m_u["lo"]), "fc_uni_m_hi": float(m_u["hi"]),
        "prior_lower": float(pv["lower bound L: mobile internet users"]),
        "prior_upper": float(pv["upper bound U: mobile phone subscriptions"]),
        "prior_overseas_pct": round(100 * float(pv["assumed overseas share of MAU"]), 0),
        "prior_median": float(pv["prior median of m"]),
        "prior_p05": float(pv["prior 5% quantile of m"]), "prior_p95": float(pv["prior 95% quantile of m"]),
        "sens_p50_min": float(inf["p50"].min()), "sens_p50_max": float(inf["p50"].max()),
        "sens_n": int(len(inf)),
    }
    return {k: (round(v, 1) if isinstance(v, float) and not np.isnan(v) else v) for k, v in out.items()}

"""The adoption chapter's tables: WeChat's MAU, the forecast, the cascades and the scenarios.

Each function takes an artefact of the ``adopt`` stage (or the external MAU
series) and returns a table from :func:`analysis.report.tables.html_table`.
The figures are in :mod:`analysis.report.adoption_plots`, the numbers that
the prose quotes in :func:`analysis.report.facts.adoption_facts`.
"""

from __future__ import annotations

import pandas as pd

from analysis.adoption.wechat import load_wechat_mau
from analysis.report.display import HTMLTable
from analysis.report.tables import html_table

__all__ = ["wechat_mau", "mau_table", "forecast_table", "cascades_table", "scenarios_table", "parameters_table"]


def wechat_mau() -> pd.DataFrame:
    """WeChat's observed quarterly MAU (external data), with the launch point.

    Returns
    -------
    pandas.DataFrame
        ``quarter, t, mau_millions, source`` (see
        :func:`analysis.adoption.wechat.load_wechat_mau`).
    """
    return load_wechat_mau()


def mau_table(mau: pd.DataFrame) -> HTMLTable:
    """The MAU series that the Bass model is fitted to.

    Parameters
    ----------
    mau : pandas.DataFrame
        :func:`wechat_mau` output.

    Returns
    -------
    HTMLTable
        ``t`` rounded to 3 decimals.
    """
    return html_table(mau[["quarter", "t", "mau_millions", "source"]].round({"t": 3}),
                      labels={"t": "years since launch", "mau_millions": "MAU (millions)"})


def forecast_table(forecast: pd.DataFrame) -> HTMLTable:
    """The out-of-sample MAU forecast with its 90% band.

    Parameters
    ----------
    forecast : pandas.DataFrame
        The ``wechat_forecast`` artefact.

    Returns
    -------
    HTMLTable
    """
    return html_table(forecast, labels={"p05": "5% (millions)", "p50": "median (millions)",
                                        "p95": "95% (millions)"})


def cascades_table(cascades: pd.DataFrame) -> HTMLTable:
    """Threshold cascades: retained and final shares for each graph, seeding and budget.

    Parameters
    ----------
    cascades : pandas.DataFrame
        The ``cascade_comparison`` artefact.

    Returns
    -------
    HTMLTable
    """
    return html_table(cascades, labels={"seed_share": "seed budget (share)", "n_seeds": "seeds",
                                        "final_share": "final share", "retained_share": "retained share"})


def scenarios_table(scen: pd.DataFrame) -> HTMLTable:
    """One model run per strategy: its outcome and verdict.

    Parameters
    ----------
    scen : pandas.DataFrame
        The ``scenarios`` artefact.

    Returns
    -------
    HTMLTable
    """
    return html_table(scen[["strategy_id", "model", "outcome", "outcome_value", "long_run_share", "verdict"]],
                      labels={"strategy_id": "strategy", "outcome_value": "outcome value",
                              "long_run_share": "long-run share"})


def parameters_table(scen: pd.DataFrame) -> HTMLTable:
    """Each scenario's parameters and where each comes from (article, external or assumed).

    Parameters
    ----------
    scen : pandas.DataFrame
        The ``scenarios`` artefact.

    Returns
    -------
    HTMLTable
    """
    return html_table(scen[["strategy_id", "parameters", "param_sources"]],
                      labels={"strategy_id": "strategy", "param_sources": "sources"})

"""The ``adopt`` stage: WeChat's Bass fit and forecast, the push grid, cascades and the scenarios.

Outputs (catalogue names; see :mod:`analysis.catalog`):

``wechat_forecast``     ``quarter, p05, p50, p95`` -- MAU in millions, 90% bootstrap band
``wechat_fit``          ``parameter, estimate, lo, hi`` -- Bass parameters with 90% intervals
``push_grid``           push size x timing -> Laiwang's share (the phase diagram)
``push_explorer``       push size x timing x network effect -> share (the push explorable's grid)
``seeding_explorer``    seed budget x seeding style x threshold -> recruits retained (the seeding explorable's grid)
``cascade_comparison``  scattered vs clustered seeding on two graph families
``scenarios``           one row per strategy id
``sensitivity``         one-at-a-time sensitivity of every scenario

The stage reads no catalogue file itself (see :mod:`analysis.stages`); the strategy codebook comes from
:func:`analysis.lexicon.strategies`, the external figures from :mod:`analysis.checks.external` and
WeChat's MAU series from :func:`analysis.adoption.wechat.load_wechat_mau`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.adoption.explore import push_explorer, seeding_explorer
from analysis.adoption.parameters import scenario_specs
from analysis.adoption.runs import cascade_comparison, push_grid
from analysis.adoption.scenarios import build_scenarios, sensitivity
from analysis.adoption.wechat import (
    fit_frame,
    fit_wechat,
    forecast_frame,
    forecast_sensitivity,
    informed_fit,
    prior_frame,
)
from analysis.checks.external import read_external_metrics
from analysis.stage_api import Context

__all__ = ["adopt", "adopt_summary"]


def adopt(inputs: Mapping[str, Any], ctx: Context) -> dict[str, pd.DataFrame]:
    """Fit, forecast and simulate every model the adoption chapter shows.

    Parameters
    ----------
    inputs : mapping
        ``numbers`` and ``claims`` (optional: the article figures that set the
        scenarios' parameters, and the evidence sentences).
    ctx : analysis.stage_api.Context
        Unused.

    Returns
    -------
    dict
        The adoption artefacts (see the module docstring).
    """
    numbers, claims = inputs.get("numbers"), inputs.get("claims")
    external = read_external_metrics()
    codebook = list(lexicon.strategies())
    fit = informed_fit()
    naive = fit_wechat()
    bass = (fit.p, fit.q, fit.m)
    ids = [c["id"] for c in codebook]
    sens = sensitivity(numbers, bass, external=external, strategies=sorted(set(ids) & set(scenario_specs(None))))
    scen = build_scenarios(numbers, claims, codebook, bass=bass, external=external, sens=sens)
    return {
        "wechat_forecast": forecast_frame(fit),
        "wechat_fit": fit_frame(fit),
        "wechat_forecast_uninformed": forecast_frame(naive),
        "wechat_fit_uninformed": fit_frame(naive),
        "market_prior": prior_frame(),
        "forecast_sensitivity": forecast_sensitivity(),
        "push_grid": push_grid(bass),
        "push_explorer": push_explorer(bass),
        "seeding_explorer": seeding_explorer(),
        "cascade_comparison": cascade_comparison(),
        "scenarios": scen,
        "sensitivity": sens.round({"value": 6, "outcome_value": 4}),
    }


def adopt_summary(out: Mapping[str, Any]) -> str:
    """One line: quarters forecast and scenarios run.

    Parameters
    ----------
    out : mapping
        :func:`adopt` output.

    Returns
    -------
    str
    """
    return f"adopt: forecast {len(out['wechat_forecast'])} quarters, {len(out['scenarios'])} scenarios"

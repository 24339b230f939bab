"""The ``compare`` stage: the product matrix, the timeline, and the strategy and author comparisons.

Five tables (see :mod:`analysis.catalog`): ``features`` and ``feature_cells``
(:mod:`analysis.compare.products`), ``timeline``
(:mod:`analysis.compare.timeline`), ``strategy_comparison``
(:mod:`analysis.compare.strategies`) and ``authors``
(:mod:`analysis.compare.authors`).  The stage receives the catalogue frames
and reads only the lexicons (:mod:`analysis.lexicon`) and the external
figures (:mod:`analysis.checks.external`).  Inputs that do not exist yet (a
stage not run) give empty columns, never an error, so the chapters execute at
every stage of the project.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.checks.external import read_external_metrics
from analysis.compare.authors import author_comparison
from analysis.compare.products import feature_cells, feature_columns, feature_matrix
from analysis.compare.strategies import strategy_comparison
from analysis.compare.timeline import timeline
from analysis.stage_api import Context

__all__ = ["compare", "compare_summary"]


def compare(inputs: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Build the five comparison tables.

    Parameters
    ----------
    inputs : mapping
        ``corpus`` and ``claims`` (required); ``numbers``, ``strategy_stance``
        and ``scenarios`` fill their columns when they exist.
    ctx : analysis.stage_api.Context
        Unused.

    Returns
    -------
    dict
        ``features``, ``feature_cells``, ``timeline``, ``strategy_comparison`` and ``authors``
        (DataFrames), and ``_missing``: the names of the optional inputs that were absent.
    """
    corpus, claims = inputs["corpus"], inputs["claims"]
    numbers, stance, scenarios = inputs.get("numbers"), inputs.get("strategy_stance"), inputs.get("scenarios")
    external = read_external_metrics()
    strategies = list(lexicon.strategies())
    tl = timeline(claims, corpus, numbers, external)
    cells = feature_cells(claims, numbers, tl)
    missing = [n for n, df in (("numbers", numbers), ("strategy_stance", stance), ("scenarios", scenarios))
               if df is None]
    return {
        "features": feature_matrix(cells),
        "feature_cells": cells,
        "timeline": tl,
        "strategy_comparison": strategy_comparison(strategies, stance, scenarios, lexicon.outcomes(), claims,
                                                   external),
        "authors": author_comparison(corpus, claims, stance, {s["id"]: s["name"] for s in strategies}),
        "_missing": missing,
    }


def compare_summary(out: Mapping[str, Any]) -> str:
    """One line: products, filled cells, events, strategies, articles.

    Parameters
    ----------
    out : mapping
        :func:`compare` output.

    Returns
    -------
    str
    """
    matrix: pd.DataFrame = out["features"]
    filled = int((matrix[[f for f, _ in feature_columns(lexicon.features())]] != "").to_numpy().sum())
    missing = out.get("_missing") or []
    return (f"compare: {len(matrix)} products, {filled} filled feature cells, "
            f"{len(out['timeline'])} dated events, {len(out['strategy_comparison'])} strategies, "
            f"{len(out['authors'])} articles" + (f" (not yet available: {', '.join(missing)})" if missing else ""))

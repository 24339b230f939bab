"""The ``compare`` stage: the product matrix, the timeline, and the strategy and author comparisons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.checks.conflicts import EXTERNAL_FILE
from analysis.compare.tables import (
    _feature_columns,
    author_comparison,
    feature_cells,
    feature_matrix,
    load_features,
    load_outcomes,
    strategy_comparison,
    timeline,
)
from analysis.stage_api import Context

__all__ = ["compare", "compare_summary", "external_metrics"]


def external_metrics() -> pd.DataFrame | None:
    """The dated external figures of ``data/external/external_metrics.csv`` (``None`` if absent)."""
    if not EXTERNAL_FILE.exists():
        return None
    return pd.read_csv(EXTERNAL_FILE, keep_default_na=False, na_values=[""],
                       dtype={"date": "string", "period": "string"})


def compare(inputs: Mapping[str, Any], ctx: Context) -> dict[str, pd.DataFrame]:
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
        ``features``, ``feature_cells``, ``timeline``, ``strategy_comparison`` and ``authors``.
    """
    corpus, claims = inputs["corpus"], inputs["claims"]
    numbers, stance, scenarios = inputs.get("numbers"), inputs.get("strategy_stance"), inputs.get("scenarios")
    external = external_metrics()
    strategies = list(lexicon.strategies())
    tl = timeline(claims, corpus, numbers, external)
    cells = feature_cells(claims, numbers, tl)
    missing = [n for n, df in (("numbers", numbers), ("strategy_stance", stance), ("scenarios", scenarios))
               if df is None]
    return {
        "features": feature_matrix(cells),
        "feature_cells": cells,
        "timeline": tl,
        "strategy_comparison": strategy_comparison(strategies, stance, scenarios, load_outcomes(), claims, external),
        "authors": author_comparison(corpus, claims, stance, {s["id"]: s["name"] for s in strategies}),
        "_missing": missing,
    }


def compare_summary(out: Mapping[str, Any]) -> str:
    """One line: products, filled cells, events, strategies, articles."""
    matrix = out["features"]
    filled = int((matrix[[f for f, _ in _feature_columns(load_features())]] != "").to_numpy().sum())
    missing = out.get("_missing") or []
    return (f"compare: {len(matrix)} products, {filled} filled feature cells, "
            f"{len(out['timeline'])} dated events, {len(out['strategy_comparison'])} strategies, "
            f"{len(out['authors'])} articles" + (f" (not yet available: {', '.join(missing)})" if missing else ""))

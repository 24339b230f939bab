"""The ``conflicts`` and ``evaluate`` stages: checks on what the extractors found."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.checks.conflicts import EXTERNAL_FILE, TOLERANCE, find_conflicts, load_external
from analysis.checks.evaluation import evaluate as _evaluate
from analysis.stage_api import Context

__all__ = ["conflicts", "conflicts_summary", "evaluate", "evaluate_summary"]


def conflicts(inputs: Mapping[str, Any], ctx: Context) -> dict[str, pd.DataFrame]:
    """Pair the figures that two sources give for the same canonical quantity.

    Parameters
    ----------
    inputs : mapping
        ``numbers`` and ``claims``; ``corpus`` (optional) dates each article's figures.
    ctx : analysis.stage_api.Context
        Unused.

    Returns
    -------
    dict
        ``fact_conflicts``.  The external figures of ``data/external`` join in when present.
    """
    numbers = inputs["numbers"].copy()
    corpus = inputs.get("corpus")
    dates = dict(zip(corpus["article_id"], corpus["date"], strict=True)) if corpus is not None else {}
    numbers["date"] = [dates.get(a, "") for a in numbers["article_id"]]
    external = load_external(EXTERNAL_FILE) if EXTERNAL_FILE.exists() else None
    return {"fact_conflicts": find_conflicts(numbers, TOLERANCE, claims=inputs["claims"], external=external)}


def conflicts_summary(out: Mapping[str, Any]) -> str:
    """One line: shared quantities, pairs, disagreements."""
    table = out["fact_conflicts"]
    like = table[table["like_for_like"]] if len(table) else table
    n_dis = int((~like["agree"]).sum()) if len(like) else 0
    return (f"conflicts: {like['quantity'].nunique()} shared quantities, {len(like)} pairs, {n_dis} disagree "
            f"(+{len(table) - len(like)} related pairs)")


def evaluate(inputs: Mapping[str, Any], ctx: Context) -> dict[str, pd.DataFrame]:
    """Score the claim typing and the figures against the hand-made labels.

    Returns
    -------
    dict
        ``evaluation``.
    """
    return {"evaluation": _evaluate(inputs["claims"], inputs.get("numbers"))}


def evaluate_summary(out: Mapping[str, Any]) -> str:
    """One line: held-out accuracy of the claim types, precision and recall of the figures."""
    res = out["evaluation"]
    acc = res[(res["task"] == "claim_type") & (res["metric"] == "accuracy") & (res["method"] == "rules")]
    fig = res[(res["task"] == "figures") & res["metric"].isin(["precision", "recall"])].set_index("metric")["value"]
    parts = []
    if len(acc):
        parts.append(f"claim types {acc['value'].iloc[0]:.2f} held-out accuracy")
    if len(fig) == 2:
        parts.append(f"figures P {fig['precision']:.2f} / R {fig['recall']:.2f}")
    return "evaluate: " + ", ".join(parts or ["no labelled data"])

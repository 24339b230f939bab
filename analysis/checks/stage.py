"""The ``conflicts`` and ``evaluate`` stages: checks on what the extractors found.

Pure stage functions (see :mod:`analysis.stages`): they receive the catalogue
frames and read only the hand-made data, through :mod:`analysis.lexicon`, and
the external figures, through :mod:`analysis.checks.external`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.checks.conflicts import find_conflicts
from analysis.checks.evaluation import evaluate as _evaluate
from analysis.checks.external import external_figures, read_external_metrics
from analysis.checks.intervals import TOLERANCE
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
    metrics = read_external_metrics()
    external = external_figures(metrics) if metrics is not None else None
    return {"fact_conflicts": find_conflicts(numbers, TOLERANCE, claims=inputs["claims"], external=external)}


def conflicts_summary(out: Mapping[str, Any]) -> str:
    """One line: shared quantities, pairs, disagreements.

    Parameters
    ----------
    out : mapping
        :func:`conflicts` output.

    Returns
    -------
    str
    """
    table = out["fact_conflicts"]
    like = table[table["like_for_like"]] if len(table) else table
    n_dis = int((~like["agree"]).sum()) if len(like) else 0
    return (f"conflicts: {like['quantity'].nunique()} shared quantities, {len(like)} pairs, {n_dis} disagree "
            f"(+{len(table) - len(like)} related pairs)")


def evaluate(inputs: Mapping[str, Any], ctx: Context) -> dict[str, pd.DataFrame]:
    """Score the claim typing and the figures against the hand-made labels.

    Parameters
    ----------
    inputs : mapping
        ``claims``; ``numbers`` (optional) for the figures' scores.
    ctx : analysis.stage_api.Context
        Unused.

    Returns
    -------
    dict
        ``evaluation``.
    """
    claims_gold = pd.DataFrame(list(lexicon.claims_gold()))
    numbers_gold = pd.DataFrame(list(lexicon.numbers_gold()))
    return {"evaluation": _evaluate(inputs["claims"], inputs.get("numbers"), claims_gold, numbers_gold)}


def evaluate_summary(out: Mapping[str, Any]) -> str:
    """One line: held-out accuracy of the claim types, precision and recall of the figures.

    Parameters
    ----------
    out : mapping
        :func:`evaluate` output.

    Returns
    -------
    str
    """
    res = out["evaluation"]
    acc = res[(res["task"] == "claim_type") & (res["metric"] == "accuracy") & (res["method"] == "rules")]
    fig = res[(res["task"] == "figures") & res["metric"].isin(["precision", "recall"])].set_index("metric")["value"]
    parts = []
    if len(acc):
        parts.append(f"claim types {acc['value'].iloc[0]:.2f} held-out accuracy")
    if len(fig) == 2:
        parts.append(f"figures P {fig['precision']:.2f} / R {fig['recall']:.2f}")
    return "evaluate: " + ", ".join(parts or ["no labelled data"])

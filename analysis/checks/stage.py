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
from analysis.checks.evaluation import coder_agreement
from analysis.checks.evaluation import evaluate as _evaluate
from analysis.checks.external import external_figures, read_external_metrics
from analysis.checks.intervals import TOLERANCE
from analysis.checks.segmentation import term_check
from analysis.extract.claims import load_reference
from analysis.stage_api import Context

__all__ = ["conflicts", "conflicts_summary", "evaluate", "evaluate_summary"]


def conflicts(inputs: Mapping[str, Any], ctx: Context) -> dict[str, pd.DataFrame]:
    """Pair the figures that two sources give for the same canonical quantity.

    Parameters
    ----------
    inputs : mapping
        ``numbers`` and ``claims``; ``corpus`` (optional) dates each article's figures, unless
        ``articles.yaml`` says when the article was written (:func:`analysis.lexicon.articles`).
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
    # an article is dated by when it was written (articles.yaml), not by the date of a later repost
    written = {a: n["dates"]["written"]["date"] for a, n in lexicon.articles().items()
               if n.get("dates", {}).get("written", {}).get("date")}
    numbers["date"] = [written.get(a) or dates.get(a, "") for a in numbers["article_id"]]
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
    """Score the claim typing and the figures against the reference coding, and the coders' agreement.

    Parameters
    ----------
    inputs : mapping
        ``claims``; ``numbers`` (optional) for the figures' scores; ``corpus``
        (optional) for the authors' names that the claim rules use.
    ctx : analysis.stage_api.Context
        Unused.

    Returns
    -------
    dict
        ``evaluation`` (leave-one-article-out scores,
        :func:`analysis.checks.evaluation.evaluate`) and ``coder_agreement``
        (Cohen's kappa of the two independent codings before adjudication,
        :func:`analysis.checks.evaluation.coder_agreement`) and ``term_check`` (how often each term
        of the user dictionary comes out whole in the corpus's sentences,
        :func:`analysis.checks.segmentation.term_check`).
    """
    corpus = inputs.get("corpus")
    authors = dict(zip(corpus["article_id"], corpus["author"].fillna(""), strict=True)) if corpus is not None else {}
    figures = pd.DataFrame(list(lexicon.coding("reference")["figures"]),
                           columns=["claim_id", "quote", "subject", "unit", "hedged"])
    evaluation = _evaluate(inputs["claims"], inputs.get("numbers"), load_reference(), figures, authors)
    strategy_ids = [s["id"] for s in lexicon.strategies()]
    agreement = coder_agreement(lexicon.coding("coder_a"), lexicon.coding("coder_b"), strategy_ids)
    terms = {e.word: e.category for e in lexicon.userdict()}
    checked = term_check(inputs["claims"]["sentence_clean"].astype(str), terms)
    return {"evaluation": evaluation, "coder_agreement": agreement, "term_check": checked}


def evaluate_summary(out: Mapping[str, Any]) -> str:
    """One line: pooled held-out macro-F1 of the claim types, the figures' scores, the type kappa.

    Parameters
    ----------
    out : mapping
        :func:`evaluate` output.

    Returns
    -------
    str
    """
    res = out["evaluation"]
    pooled = res[(res["split"] == "all") & (res["label"] == "all")]

    def value(task: str, method: str, metric: str) -> float | None:
        hit = pooled[(pooled["task"] == task) & (pooled["method"] == method) & (pooled["metric"] == metric)]
        return float(hit["value"].iloc[0]) if len(hit) else None

    parts = []
    f1 = value("claim_type", "final", "macro_f1")
    if f1 is not None:
        parts.append(f"claim types macro-F1 {f1:.2f} (leave one article out)")
    prec, rec = value("figures", "rules", "precision"), value("figures", "rules", "recall")
    if prec is not None and rec is not None:
        subj = value("figure_subject", "rules", "accuracy")
        parts.append(f"figures P {prec:.2f} / R {rec:.2f}" + (f", subjects {subj:.2f}" if subj is not None else ""))
    agree = out.get("coder_agreement")
    if agree is not None and len(agree):
        k = agree[(agree["scope"] == "all") & (agree["field"] == "type")]["kappa"]
        if len(k):
            parts.append(f"coder kappa (type) {float(k.iloc[0]):.2f}")
    return "evaluate: " + ", ".join(parts or ["no labelled data"])

"""Honest evaluation of the extractors against hand-labelled samples.

The ``evaluate`` stage (:mod:`analysis.checks.stage`) writes the catalogue's ``evaluation`` table:

* **claim types** -- the rules (:func:`analysis.extract.claims.classify`) and the
  classifier (:func:`analysis.extract.claims.make_classifier`, trained on the
  ``tune`` split only) scored on the ``heldout`` split of
  ``data/lexicon/labels/claims_gold.csv``: accuracy, and precision / recall /
  F1 per type.  The split was fixed (by a hash of the claim id) before any
  cue was tuned; cues were tuned on ``tune`` only.
* **figures** -- :func:`analysis.extract.figures.score_numbers` of the
  extracted figures against ``data/lexicon/labels/numbers_gold.csv``.

Every row of the output is ``task, method, split, metric, label, value, n``.
The functions take the labels as frames (read by :func:`analysis.lexicon.claims_gold`
and :func:`analysis.lexicon.numbers_gold`); they open no file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, precision_recall_fscore_support

from analysis import catalog
from analysis.extract.claims import TYPES, attach_gold, make_classifier
from analysis.extract.figures import score_numbers

__all__ = ["EVAL_COLUMNS", "claim_type_scores", "figure_scores", "evaluate"]

EVAL_COLUMNS: list[str] = catalog.artefact("evaluation").column_names


def _score_rows(method: str, split: str, y_true: Sequence[str], y_pred: Sequence[str]) -> list[dict[str, Any]]:
    labels = list(TYPES)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    n = len(y_true)
    rows = [{"task": "claim_type", "method": method, "split": split, "metric": "accuracy", "label": "all",
             "value": round(float(accuracy_score(y_true, y_pred)), 4), "n": n}]
    for lab, pi, ri, fi, si in zip(labels, p, r, f, s, strict=True):
        for metric, val in (("precision", pi), ("recall", ri), ("f1", fi)):
            rows.append({"task": "claim_type", "method": method, "split": split, "metric": metric, "label": lab,
                         "value": round(float(val), 4), "n": int(si)})
    return rows


def claim_type_scores(claims: pd.DataFrame, gold: pd.DataFrame, *, split: str = "heldout") -> pd.DataFrame:
    """Score the rule types and the classifier on one split of the gold labels.

    Parameters
    ----------
    claims : pandas.DataFrame
        ``claims.csv`` (needs ``article_id, sentence_clean, type``).
    gold : pandas.DataFrame
        The labelled claim types: ``claim_id, article_id, sentence_clean, gold_type, split``
        (:func:`analysis.lexicon.claims_gold`).
    split : {"heldout", "tune"}
        The split to score; the classifier is always trained on ``tune``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVAL_COLUMNS`.

    Raises
    ------
    ValueError
        If ``split`` is unknown, or the labels match no claims.
    """
    if split not in ("heldout", "tune"):
        raise ValueError(f"split must be 'heldout' or 'tune', got {split!r}")
    joined = attach_gold(claims, gold)
    train = joined[joined["split"] == "tune"]
    test = joined[joined["split"] == split]
    if test.empty or train.empty:
        raise ValueError("the gold labels match no claims: rebuild claims.csv or relabel")
    rows = _score_rows("rules", split, test["gold_type"].tolist(), test["type"].tolist())
    clf = make_classifier().fit(train["sentence_clean"].tolist(), train["gold_type"].tolist())
    pred = clf.predict(test["sentence_clean"].tolist())
    rows += _score_rows("classifier", split, test["gold_type"].tolist(), list(pred))
    return pd.DataFrame(rows, columns=EVAL_COLUMNS)


def figure_scores(numbers: pd.DataFrame | None, gold: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall of the extracted figures against the hand-labelled sample.

    Parameters
    ----------
    numbers : pandas.DataFrame or None
        The ``numbers`` artefact; ``None`` gives an empty frame.
    gold : pandas.DataFrame
        The labelled figures (:func:`analysis.lexicon.numbers_gold`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVAL_COLUMNS`.
    """
    if numbers is None or gold.empty:
        return pd.DataFrame(columns=EVAL_COLUMNS)
    scores = score_numbers(numbers, gold)
    rows = []
    for key in sorted(scores):
        val = scores[key]
        if isinstance(val, (int, float, np.integer, np.floating)) and not isinstance(val, bool):
            rows.append({"task": "figures", "method": "analysis.extract.figures", "split": "all",
                         "metric": str(key), "label": "all", "value": round(float(val), 4), "n": len(gold)})
    return pd.DataFrame(rows, columns=EVAL_COLUMNS)


def evaluate(claims: pd.DataFrame, numbers: pd.DataFrame | None, claims_gold: pd.DataFrame,
             numbers_gold: pd.DataFrame) -> pd.DataFrame:
    """Run every evaluation.

    Parameters
    ----------
    claims : pandas.DataFrame
        The ``claims`` artefact.
    numbers : pandas.DataFrame or None
        The ``numbers`` artefact, if it exists.
    claims_gold : pandas.DataFrame
        The labelled claim types (see :func:`claim_type_scores`).
    numbers_gold : pandas.DataFrame
        The labelled figures (see :func:`figure_scores`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVAL_COLUMNS`, sorted.
    """
    parts = [claim_type_scores(claims, claims_gold, split="heldout"), figure_scores(numbers, numbers_gold)]
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    return out.sort_values(["task", "method", "split", "metric", "label"], ignore_index=True)

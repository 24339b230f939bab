"""Honest evaluation of the extractors against hand-labelled samples.

``python -m analysis.evaluate`` prints and writes ``data/processed/evaluation.csv``:

* **claim types** -- the rules (:func:`analysis.claims.classify`) and the
  classifier (:func:`analysis.claims.make_classifier`, trained on the
  ``tune`` split only) scored on the ``heldout`` split of
  ``data/lexicon/labels/claims_gold.csv``: accuracy, and precision / recall /
  F1 per type.  The split was fixed (by a hash of the claim id) before any
  cue was tuned; cues were tuned on ``tune`` only.
* **figures** -- ``analysis.numbers.score_numbers(numbers.csv, numbers_gold.csv)``,
  when that module and its output exist.

Every row of the output is ``task, method, split, metric, label, value, n``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, precision_recall_fscore_support

from . import _io, settings
from .claims import GOLD_FILE, TYPES, attach_gold, load_gold, make_classifier

__all__ = ["EVAL_COLUMNS", "claim_type_scores", "figure_scores", "evaluate", "main"]

EVAL_COLUMNS = ["task", "method", "split", "metric", "label", "value", "n"]
NUMBERS_GOLD = settings.LEXICON_DIR / "labels" / "numbers_gold.csv"


def _score_rows(method: str, split: str, y_true, y_pred) -> list[dict]:
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
        :func:`analysis.claims.load_gold` output.
    split : {"heldout", "tune"}
        The split to score; the classifier is always trained on ``tune``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVAL_COLUMNS`.
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


def figure_scores(processed_dir: Path = settings.PROCESSED_DIR, gold_path: Path = NUMBERS_GOLD) -> pd.DataFrame:
    """Precision/recall of the figures, through ``analysis.numbers.score_numbers``.

    Returns an empty frame when ``analysis.numbers``, ``numbers.csv`` or the
    gold file is not there yet.
    """
    pred_path = Path(processed_dir) / "numbers.csv"
    if not (pred_path.exists() and Path(gold_path).exists()):
        return pd.DataFrame(columns=EVAL_COLUMNS)
    try:
        numbers = importlib.import_module("analysis.numbers")
    except ImportError:
        return pd.DataFrame(columns=EVAL_COLUMNS)
    pred = pd.read_csv(pred_path, keep_default_na=False)
    gold = pd.read_csv(gold_path, keep_default_na=False)
    scores = numbers.score_numbers(pred, gold)
    rows = []
    for key in sorted(scores):
        val = scores[key]
        if isinstance(val, (int, float, np.integer, np.floating)) and not isinstance(val, bool):
            rows.append({"task": "figures", "method": "analysis.numbers", "split": "all", "metric": str(key),
                         "label": "all", "value": round(float(val), 4), "n": len(gold)})
    return pd.DataFrame(rows, columns=EVAL_COLUMNS)


def evaluate(processed_dir: Path = settings.PROCESSED_DIR, gold_path: Path = GOLD_FILE) -> pd.DataFrame:
    """Run every evaluation and write ``evaluation.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVAL_COLUMNS`, sorted.
    """
    processed_dir = Path(processed_dir)
    claims_path = processed_dir / "claims.csv"
    if not claims_path.exists():
        raise FileNotFoundError(f"{claims_path} is missing: run the claims stage first")
    claims = pd.read_csv(claims_path, keep_default_na=False)
    parts = [claim_type_scores(claims, load_gold(gold_path), split="heldout"), figure_scores(processed_dir)]
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    out = out.sort_values(["task", "method", "split", "metric", "label"], ignore_index=True)
    _io.atomic_write_csv(processed_dir / "evaluation.csv", out)
    return out


def build(processed_dir: Path = settings.PROCESSED_DIR) -> tuple[list[Path], str]:
    """Pipeline stage: write ``evaluation.csv``; returns the path and a one-line summary."""
    res = evaluate(processed_dir)
    acc = res[(res["task"] == "claim_type") & (res["metric"] == "accuracy") & (res["method"] == "rules")]
    fig = res[(res["task"] == "figures") & res["metric"].isin(["precision", "recall"])].set_index("metric")["value"]
    parts = []
    if len(acc):
        parts.append(f"claim types {acc['value'].iloc[0]:.2f} held-out accuracy")
    if len(fig) == 2:
        parts.append(f"figures P {fig['precision']:.2f} / R {fig['recall']:.2f}")
    return [Path(processed_dir) / "evaluation.csv"], "evaluate: " + ", ".join(parts or ["no labelled data"])


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation tables; return the exit code."""
    try:
        res = evaluate()
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    acc = res[res["metric"] == "accuracy"]
    for row in acc.itertuples():
        print(f"{row.task} {row.method} {row.split} accuracy = {row.value:.3f} (n={row.n})")
    pr = res[(res["task"] == "claim_type") & res["metric"].isin(["precision", "recall"])]
    print(pr.pivot_table(index=["method", "label"], columns="metric", values="value").round(3).to_string())
    fig = res[res["task"] == "figures"]
    if len(fig):
        print(fig[["metric", "value"]].to_string(index=False))
    else:
        print("figures: analysis.numbers or numbers.csv not available yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())

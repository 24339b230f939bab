r"""Scoring the figure extractor against the hand-labelled figures.

The gold set (``data/lexicon/labels/numbers_gold.csv``, read by
:func:`analysis.lexicon.numbers_gold`) lists, per article and in text order,
the quote, value, unit and hedge of every figure a reader would extract.
:func:`locate_quotes` gives each labelled quote its raw span, and
:func:`score_numbers` pairs predicted and gold figures whose spans overlap and
counts a pair correct when value and unit agree, giving

.. math::

    P = \frac{\text{correct}}{\text{predicted}}, \qquad
    R = \frac{\text{correct}}{\text{gold}}, \qquad
    F_1 = \frac{2PR}{P + R}.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import lexicon

__all__ = ["load_numbers_gold", "locate_quotes", "score_numbers"]


def load_numbers_gold(path: Path | None = None) -> pd.DataFrame:
    """The hand-labelled figures as a frame.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.NUMBERS_GOLD_FILE`.

    Returns
    -------
    pandas.DataFrame
        The columns of the file (``article_id, quote, value, unit, hedge,
        split``), ``value`` float and ``hedge`` int, in file order.

    Raises
    ------
    analysis.lexicon.LexiconError
        If a row is malformed (see :func:`analysis.lexicon.numbers_gold`).
    """
    rows = lexicon.numbers_gold(path)
    return pd.DataFrame(list(rows), columns=list(rows[0]) if rows else list(lexicon.NUMBERS_GOLD_COLUMNS))


def locate_quotes(gold: pd.DataFrame, docs: Iterable[Any]) -> pd.DataFrame:
    """Give hand-labelled quotes their raw ``start``/``end``.

    The rows of each article must be in text order: each quote is searched for
    in the raw text after the previous one, and only where the raw characters
    survived cleaning (so a copy in a dropped duplicate block is never used).

    Parameters
    ----------
    gold : pandas.DataFrame
        With ``article_id`` and ``quote`` (:func:`load_numbers_gold`).
    docs : iterable of analysis.corpus.document.Document
        The articles the quotes come from.

    Returns
    -------
    pandas.DataFrame
        A copy of ``gold`` with ``start`` and ``end`` (half-open, in the raw text).

    Raises
    ------
    ValueError
        If an article is not among ``docs`` or a quote cannot be found.
    """
    by_id = {d.article_id: d for d in docs}
    out = gold.copy()
    starts, ends = [], []
    cursor: dict[str, int] = {}
    for aid, quote in zip(out["article_id"], out["quote"], strict=True):
        if aid not in by_id:
            raise ValueError(f"gold article {aid!r} is not in the corpus")
        doc = by_id[aid]
        kept = set(doc.offsets)
        i = doc.raw_text.find(quote, cursor.get(aid, 0))
        while i >= 0 and not (i in kept and i + len(quote) - 1 in kept):
            i = doc.raw_text.find(quote, i + 1)
        if i < 0:
            raise ValueError(f"gold quote {quote!r} not found in the body of {aid} (rows out of order?)")
        starts.append(i)
        ends.append(i + len(quote))
        cursor[aid] = i + len(quote)
    out["start"], out["end"] = starts, ends
    return out


def score_numbers(pred: pd.DataFrame, gold: pd.DataFrame) -> dict[str, Any]:
    """Precision, recall and F1 of extracted figures against a gold set.

    Matching rule: a predicted row and a gold row *match* when they are in the
    same article and their raw spans overlap (``start``/``end``; without those
    columns, when one quote contains the other).  Rows are paired one-to-one,
    greedily in text order.  A match is *correct* when the values agree to a
    relative 1e-6 and the units are equal.  Precision = correct / predicted,
    recall = correct / gold.  The span-only scores and the hedge agreement on
    matched pairs are reported too.

    Parameters
    ----------
    pred, gold : pandas.DataFrame
        Both with ``article_id``, ``quote``, ``value``, ``unit`` (``hedge``
        optional), ideally ``start``/``end``.

    Returns
    -------
    dict
        ``precision``, ``recall``, ``f1``, ``span_precision``, ``span_recall``,
        ``hedge_agreement``, ``n_pred``, ``n_gold``, ``n_correct``, and
        ``errors`` (a list of ``(kind, article_id, quote)`` tuples).
    """
    for name, df in (("pred", pred), ("gold", gold)):
        if not isinstance(df, pd.DataFrame):
            raise ValueError(f"{name} must be a DataFrame, got {type(df).__name__}")
        miss = {"article_id", "quote", "value", "unit"} - set(df.columns)
        if miss:
            raise ValueError(f"{name} lacks columns {sorted(miss)}")
    use_spans = {"start", "end"} <= set(pred.columns) and {"start", "end"} <= set(gold.columns)

    def overlaps(p: pd.Series, g: pd.Series) -> bool:
        if use_spans:
            return int(p["start"]) < int(g["end"]) and int(g["start"]) < int(p["end"])
        return str(p["quote"]) in str(g["quote"]) or str(g["quote"]) in str(p["quote"])

    used: set[int] = set()
    pairs: list[tuple[pd.Series, pd.Series]] = []
    errors: list[tuple[str, str, str]] = []
    for _, g in gold.iterrows():
        cands = [
            i
            for i, p in pred.iterrows()
            if i not in used and p["article_id"] == g["article_id"] and overlaps(p, g)
        ]
        if not cands:
            errors.append(("missed", g["article_id"], g["quote"]))
            continue
        used.add(cands[0])
        pairs.append((pred.loc[cands[0]], g))
    errors += [("spurious", p["article_id"], p["quote"]) for i, p in pred.iterrows() if i not in used]
    n_correct = 0
    hedge_ok = 0
    for p, g in pairs:
        ok = math.isclose(float(p["value"]), float(g["value"]), rel_tol=1e-6) and str(p["unit"]) == str(
            g["unit"]
        )
        n_correct += ok
        if not ok:
            errors.append(
                (
                    "wrong",
                    g["article_id"],
                    f"{g['quote']}: {p['value']} {p['unit']} vs gold {g['value']} {g['unit']}",
                )
            )
        if "hedge" in p and "hedge" in g:
            hedge_ok += int(p["hedge"]) == int(g["hedge"])
    n_pred, n_gold = len(pred), len(gold)
    precision = n_correct / n_pred if n_pred else 0.0
    recall = n_correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "span_precision": len(pairs) / n_pred if n_pred else 0.0,
        "span_recall": len(pairs) / n_gold if n_gold else 0.0,
        "hedge_agreement": hedge_ok / len(pairs) if pairs else 0.0,
        "n_pred": n_pred,
        "n_gold": n_gold,
        "n_correct": n_correct,
        "errors": errors,
    }

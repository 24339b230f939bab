r"""The stance coder scored against the reference coding, article by article.

Every prediction scored here is held out: the coder's tagger is cross-fitted
(:func:`analysis.themes.stance_model.cross_fit`), so the sentences and cells
of a reference article were coded without its labels.  The hand-written
parts of the coder (seed and cue lexicons, the stance rules) were written
with the whole corpus in view and are not held out; the scores are an upper
bound for them.

:func:`stance_scores` returns long rows ``field, article_id, metric, value,
n``, one set per reference article and one over all of them
(``article_id == "all"``):

``cell`` / ``agreement``
    exact agreement of the article cells (supports, criticises, reports,
    absent) with the reference, over every cell (``n`` = cells);
``cell_positioned`` / ``agreement``
    the same over the cells where the reference takes a position (not
    ``absent``);
``cell_presence`` / ``agreement``
    whether absent/present agrees;
``cell`` / ``reversals``
    cells coded ``supports`` where the reference has ``criticises`` or the
    reverse (a count; ``n`` = cells);
``tagging`` / ``precision``, ``recall``, ``f1``
    of the (sentence, strategy) pairs, micro-averaged (``n`` = predicted
    pairs, reference pairs, and their sum);
``sentence_stance`` / ``accuracy``
    of the stance on the pairs that both the coder and the reference tag
    (``n`` = those pairs);
``sentence_stance_given_topics`` / ``accuracy``
    of the stance rules on every pair of the reference, as if the tagger had
    found exactly the reference's topics (the stance rules alone);
``speaker`` / ``accuracy``
    of the speaker label (``author`` or ``quoted:<party>``) over the coded
    sentences.

A metric with nothing to score (no positioned cell, no predicted pair) has
value NaN and ``n`` 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["SCORE_COLUMNS", "reversals", "stance_scores"]

#: Columns of :func:`stance_scores` (the ``stance_evaluation`` artefact).
SCORE_COLUMNS: list[str] = ["field", "article_id", "metric", "value", "n"]
_SIDES = {("supports", "criticises"), ("criticises", "supports")}


def reversals(predicted: Sequence[str], reference: Sequence[str]) -> int:
    """How many cells flip polarity: ``supports`` against ``criticises`` or the reverse.

    Parameters
    ----------
    predicted, reference : sequence of str
        Aligned cell stances.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If the sequences differ in length.
    """
    if len(predicted) != len(reference):
        raise ValueError("predicted and reference cells differ in length")
    return sum((p, r) in _SIDES for p, r in zip(predicted, reference, strict=True))


def _share(hits: int, n: int) -> float:
    return round(hits / n, 4) if n else float("nan")


def _rows(article: str, cells: pd.DataFrame, pred_pairs: Mapping[tuple[str, str], str],
          ref_pairs: Mapping[tuple[str, str], str], pred_speakers: Mapping[str, str],
          ref_speakers: Mapping[str, str], given: Mapping[tuple[str, str], str]) -> list[dict]:
    rows = []

    def add(field: str, metric: str, value: float, n: int) -> None:
        rows.append({"field": field, "article_id": article, "metric": metric, "value": value, "n": int(n)})

    agree = cells["stance"].to_numpy() == cells["reference_stance"].to_numpy()
    pos = cells["reference_stance"].to_numpy() != "absent"
    present = (cells["stance"].to_numpy() != "absent") == pos
    add("cell", "agreement", _share(int(agree.sum()), len(cells)), len(cells))
    add("cell_positioned", "agreement", _share(int(agree[pos].sum()), int(pos.sum())), int(pos.sum()))
    add("cell_presence", "agreement", _share(int(present.sum()), len(cells)), len(cells))
    add("cell", "reversals", float(reversals(list(cells["stance"]), list(cells["reference_stance"]))), len(cells))
    tp = len(set(pred_pairs) & set(ref_pairs))
    n_pred, n_ref = len(pred_pairs), len(ref_pairs)
    add("tagging", "precision", _share(tp, n_pred), n_pred)
    add("tagging", "recall", _share(tp, n_ref), n_ref)
    add("tagging", "f1", _share(2 * tp, n_pred + n_ref), n_pred + n_ref)
    both = sorted(set(pred_pairs) & set(ref_pairs))
    add("sentence_stance", "accuracy", _share(sum(pred_pairs[k] == ref_pairs[k] for k in both), len(both)), len(both))
    scored = sorted(set(given) & set(ref_pairs))
    add("sentence_stance_given_topics", "accuracy", _share(sum(given[k] == ref_pairs[k] for k in scored), len(scored)),
        len(scored))
    sents = sorted(set(ref_speakers) & set(pred_speakers))
    add("speaker", "accuracy", _share(sum(pred_speakers[c] == ref_speakers[c] for c in sents), len(sents)), len(sents))
    return rows


def stance_scores(cells: pd.DataFrame, sentences: pd.DataFrame, reference_pairs: pd.DataFrame,
                  speakers: Mapping[str, str], reference_speakers: Mapping[str, str],
                  given_topics: Sequence[str] | None = None) -> pd.DataFrame:
    """Score the coder's cells, pairs and speakers against the reference, per article and overall.

    Parameters
    ----------
    cells : pandas.DataFrame
        :func:`analysis.themes.stance.strategy_stance` output (``article_id, stance,
        reference_stance, checked``); only ``checked`` articles are scored.
    sentences : pandas.DataFrame
        :func:`analysis.themes.stance.sentence_table` output (the tagged pairs).
    reference_pairs : pandas.DataFrame
        :func:`analysis.themes.stance_model.reference_pairs` output.
    speakers : mapping
        Claim id -> the coder's speaker, for every sentence.
    reference_speakers : mapping
        Claim id -> the reference speaker, for the coded sentences.
    given_topics : sequence of str, optional
        The coder's stance on each row of ``reference_pairs``
        (:func:`analysis.themes.stance_model.stance_of_pairs`); without it the
        ``sentence_stance_given_topics`` rows are NaN.

    Returns
    -------
    pandas.DataFrame
        :data:`SCORE_COLUMNS`, the rows of the module notes: each checked article in id order,
        then ``all``.
    """
    scored = cells[cells["checked"].astype(bool)]
    articles = sorted(scored["article_id"].unique())
    coded = set(reference_speakers)
    pred = {(c, s): st for c, s, st in zip(sentences["claim_id"], sentences["strategy_id"], sentences["stance"],
                                           strict=True) if c in coded}
    ref = {(c, s): st for c, s, st in zip(reference_pairs["claim_id"], reference_pairs["strategy_id"],
                                          reference_pairs["stance"], strict=True)}
    given = dict(zip(zip(reference_pairs["claim_id"], reference_pairs["strategy_id"], strict=True),
                     given_topics, strict=True)) if given_topics is not None else {}
    art_of = dict(zip(reference_pairs["claim_id"], reference_pairs["article_id"], strict=True))
    art_of |= dict(zip(sentences["claim_id"], sentences["article_id"], strict=True))

    def article(cid: str) -> str:
        return art_of.get(cid, cid.rsplit(":", 1)[0])

    rows = []
    for a in articles:
        rows += _rows(a, scored[scored["article_id"] == a],
                      {k: v for k, v in pred.items() if article(k[0]) == a},
                      {k: v for k, v in ref.items() if article(k[0]) == a},
                      {c: v for c, v in speakers.items() if article(c) == a},
                      {c: v for c, v in reference_speakers.items() if article(c) == a},
                      {k: v for k, v in given.items() if article(k[0]) == a})
    if articles:
        rows += _rows("all", scored, pred, ref, speakers, reference_speakers, given)
    out = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    return out.astype({"value": float, "n": np.int64})

"""Stance: does each article support, criticise or merely report each strategy?

The sentence-level machine coding comes from the cross-fitted coder of
:mod:`analysis.themes.stance_model` (which strategies a sentence addresses,
and the author's stance on each).  This module turns it into the article
cells with the rule of the coding manual (``book/appendix/codebook.md``,
section E and clarification 1), :func:`cell_stance`:

1. no sentence of the article addresses the strategy: ``absent``;
2. every addressing sentence ``reports``: ``reports``;
3. only one of ``supports`` and ``criticises`` occurs: that side;
4. both occur: the side with more sentences (a repeated passage counts once);
5. a tie: the side whose last sentence comes later.

:func:`strategy_stance` writes the cells with their counts and evidence
sentences, next to the reference cell where an article has one;
:func:`sentence_table` writes the sentence-level coding behind them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import lexicon
from analysis.themes.targets import claim_order

__all__ = ["STANCES", "cell_stance", "repeats", "sentence_table", "strategy_stance", "stance_matrix",
           "SENTENCE_COLUMNS", "CELL_COLUMNS"]

STANCES: tuple[str, ...] = lexicon.CELL_STANCES
#: Columns of :func:`sentence_table` (the ``sentence_stance`` artefact).
SENTENCE_COLUMNS = ["claim_id", "article_id", "strategy_id", "stance", "speaker", "carried", "p_topic", "evidence",
                    "fold"]
#: Columns of :func:`strategy_stance` (the ``strategy_stance`` artefact).
CELL_COLUMNS = ["strategy", "article_id", "stance", "n_supports", "n_criticises", "n_reports", "evidence",
                "reference_stance", "checked"]


def cell_stance(stances: Sequence[str]) -> str:
    """The article's cell from its sentences' stances on one strategy (see the module notes).

    Parameters
    ----------
    stances : sequence of str
        ``supports``, ``criticises`` or ``reports``, one per addressing sentence in reading order,
        repeats already dropped.

    Returns
    -------
    str
        One of :data:`STANCES`.

    Raises
    ------
    ValueError
        On a stance that is not a sentence stance.
    """
    bad = sorted(set(stances) - set(lexicon.SENTENCE_STANCES))
    if bad:
        raise ValueError(f"unknown sentence stances {bad}")
    if not stances:
        return "absent"
    n_sup, n_crit = stances.count("supports"), stances.count("criticises")
    if n_sup == n_crit == 0:
        return "reports"
    if n_sup != n_crit:
        return "supports" if n_sup > n_crit else "criticises"
    last = [s for s in stances if s != "reports"][-1]
    return last


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def repeats(claims: pd.DataFrame, *, min_chars: int = 20, similarity: float = 0.8) -> dict[str, str]:
    """Sentences that repeat an earlier sentence of the same article (manual F9).

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``claim_id, article_id, sentence_clean``.
    min_chars : int
        Shorter sentences are never repeats (headings and list items recur by chance).
    similarity : float
        Jaccard similarity of the character bigrams at or above which two sentences are one passage.

    Returns
    -------
    dict
        Claim id of a repeat -> claim id of the sentence it repeats.
    """
    out: dict[str, str] = {}
    for _, g in claims.groupby("article_id", sort=True):
        g = g.assign(_pos=[claim_order(c) for c in g["claim_id"]]).sort_values("_pos")
        rows = [(cid, text) for cid, text in zip(g["claim_id"].tolist(), g["sentence_clean"].fillna("").tolist(),
                                                 strict=True) if len(text) >= min_chars]
        _article_repeats(rows, similarity, out)
    return out


def _article_repeats(rows: Sequence[tuple[str, str]], similarity: float, out: dict[str, str]) -> None:
    r""":func:`repeats` of one article's sentences (in reading order), written into ``out``.

    A sentence repeats the first earlier sentence whose bigram Jaccard similarity reaches the
    threshold :math:`t`.  Candidates come from a prefix filter (Bayardo et al. 2007): with the
    bigrams of each sentence ordered rarest first (by their count in the article), two sets with
    :math:`J \ge t` share a bigram among the first :math:`n - \lceil t n \rceil + 1` of each; the
    candidates are then verified exactly, in reading order, so the result is the one of comparing
    every pair.
    """
    grams = [_bigrams(text) for _, text in rows]
    if similarity <= 0:  # everything is similar enough: the first sentence is the one repeated
        for cid, _ in rows[1:]:
            out[cid] = rows[0][0]  # the first sentence is never itself a repeat
        return
    freq: dict[str, int] = {}
    for gs in grams:
        for gram in gs:
            freq[gram] = freq.get(gram, 0) + 1
    rank = {gram: r for r, (_, gram) in enumerate(sorted((c, g) for g, c in freq.items()))}  # one total order
    index: dict[str, list[int]] = {}  # prefix bigram -> earlier sentences whose prefix holds it
    for i, ((cid, _), gs) in enumerate(zip(rows, grams, strict=True)):
        n = len(gs)
        keep = n - math.ceil(similarity * n - 1e-9) + 1  # a longer prefix than needed is only slower
        prefix = sorted(gs, key=rank.__getitem__)[:keep]
        cands = sorted({j for gram in prefix for j in index.get(gram, ())})
        for j in cands:
            other = grams[j]
            k = len(gs & other)
            union = n + len(other) - k
            if union and k / union >= similarity:
                first = rows[j][0]
                out[cid] = out.get(first, first)
                break
        for gram in prefix:
            index.setdefault(gram, []).append(i)


def sentence_table(coded: pd.DataFrame) -> pd.DataFrame:
    """The sentence-level machine coding: one row per tagged (sentence, strategy) pair.

    Parameters
    ----------
    coded : pandas.DataFrame
        :func:`analysis.themes.stance_model.cross_fit` output.

    Returns
    -------
    pandas.DataFrame
        :data:`SENTENCE_COLUMNS`: ``speaker`` (``author`` or ``quoted:<party>``), ``carried``
        (the topic comes from the sentence before), ``p_topic`` (the tagger's probability),
        ``evidence`` (the scoped cues behind the stance) and ``fold`` (the held-out article; ``all``
        for an article outside the reference), sorted by article, sentence and strategy.
    """
    t = coded[coded["tagged"].astype(bool)].copy()
    if t.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SENTENCE_COLUMNS})
    t["_pos"] = [claim_order(c) for c in t["claim_id"]]
    t = t.sort_values(["article_id", "_pos", "strategy_id"], ignore_index=True)
    return t[SENTENCE_COLUMNS].astype({"carried": bool, "p_topic": float})


def strategy_stance(sentences: pd.DataFrame, articles: Sequence[str], *,
                    strategies: Sequence[str] | None = None, repeated: Mapping[str, str] | None = None,
                    reference: Sequence[Mapping[str, str]] | None = None) -> pd.DataFrame:
    """Every article's stance on every strategy, with counts, evidence and the reference cell.

    Parameters
    ----------
    sentences : pandas.DataFrame
        :func:`sentence_table` output (``claim_id, article_id, strategy_id, stance``).
    articles : sequence of str
        Every article id (an article with no tagged sentence still gets its absent cells).
    strategies : sequence of str, optional
        Strategy ids (default: the codebook's, in file order).
    repeated : mapping, optional
        :func:`repeats` output: those sentences are not counted.
    reference : sequence of dict, optional
        The reference cells (``article_id, strategy_id, stance``); an article with reference
        cells is ``checked``.

    Returns
    -------
    pandas.DataFrame
        :data:`CELL_COLUMNS`, sorted by strategy then article.  ``evidence`` lists the claim ids
        behind the stance (the winning side, or every sentence of a ``reports`` cell).

    Raises
    ------
    ValueError
        If ``sentences`` lacks a needed column.
    """
    need = {"claim_id", "article_id", "strategy_id", "stance"}
    missing = sorted(need - set(sentences.columns))
    if missing:
        raise ValueError(f"sentence table lacks columns {missing}")
    ids = list(strategies) if strategies is not None else [s["id"] for s in lexicon.strategies()]
    repeated = repeated or {}
    ref = {(r["article_id"], r["strategy_id"]): r["stance"] for r in (reference or [])}
    checked = {a for a, _ in ref}
    s = sentences[~sentences["claim_id"].isin(list(repeated))]
    s = s.assign(_pos=[claim_order(c) for c in s["claim_id"]]).sort_values(["article_id", "_pos"])
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for sid, art, cid, st in zip(s["strategy_id"], s["article_id"], s["claim_id"], s["stance"], strict=True):
        seq_ids = groups.setdefault((sid, art), ([], []))
        seq_ids[0].append(st)
        seq_ids[1].append(cid)
    rows = []
    for sid in ids:
        for art in sorted(set(articles)):
            seq, cids = groups.get((sid, art), ([], []))
            verdict = cell_stance(seq)
            if verdict in ("supports", "criticises"):
                evidence = [c for c, st in zip(cids, seq, strict=True) if st == verdict]
            else:
                evidence = cids
            rows.append({"strategy": sid, "article_id": art, "stance": verdict,
                         "n_supports": seq.count("supports"), "n_criticises": seq.count("criticises"),
                         "n_reports": seq.count("reports"), "evidence": ";".join(evidence),
                         "reference_stance": ref.get((art, sid), ""), "checked": art in checked})
    out = pd.DataFrame(rows, columns=CELL_COLUMNS)
    return out.sort_values(["strategy", "article_id"], ignore_index=True)


def stance_matrix(stance: pd.DataFrame) -> pd.DataFrame:
    """Strategy × article matrix of stance scores for a heatmap.

    ``supports`` = 1, ``reports`` = 0, ``criticises`` = -1, ``absent`` = NaN;
    rows in codebook order, columns sorted by article id.

    Parameters
    ----------
    stance : pandas.DataFrame
        :func:`strategy_stance` output.

    Returns
    -------
    pandas.DataFrame
        Strategies as rows, article ids as columns, float scores.

    Raises
    ------
    ValueError
        If a stance is not one of :data:`STANCES`.
    """
    score = {"supports": 1.0, "reports": 0.0, "criticises": -1.0, "absent": np.nan}
    bad = sorted(set(stance["stance"]) - set(score))
    if bad:
        raise ValueError(f"unknown stances {bad}")
    m = stance.assign(score=stance["stance"].map(score)).pivot(index="strategy", columns="article_id", values="score")
    order = [s["id"] for s in lexicon.strategies() if s["id"] in m.index]
    order += sorted(set(m.index) - set(order))
    return m.loc[order, sorted(m.columns)]

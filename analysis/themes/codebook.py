r"""Topics against the codebook: where the data-driven topics and the hand-made strategies agree.

The **codebook** (``data/lexicon/strategies.yaml``) tags each sentence of
``claims.csv`` with the ids of the strategies whose seed terms it contains
(the ``themes`` column, :func:`analysis.extract.claims.find_themes`).  For a
topic :math:`t` and a strategy :math:`s`, the agreement is the cosine of the
topic's sentence weights :math:`W_{\cdot t}` and the strategy's indicator
vector :math:`\mathbb{1}[s \in \text{themes}_d]` over the sentences
(:func:`topic_codebook`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis import lexicon
from analysis.themes.stability import cosine

__all__ = ["theme_sets", "topic_codebook"]


def theme_sets(claims: pd.DataFrame) -> list[set[str]]:
    """The strategy ids of each sentence.

    Parameters
    ----------
    claims : pandas.DataFrame
        With a ``themes`` column (``;``-joined strategy ids, empty or NaN for none).

    Returns
    -------
    list of set of str
        One set per row, in row order.
    """
    return [set(t.split(";")) if isinstance(t, str) and t else set() for t in claims["themes"]]


def topic_codebook(W: np.ndarray, claims: pd.DataFrame, terms: pd.DataFrame,
                   strategies: Sequence[str] | None = None) -> pd.DataFrame:
    """Topic × strategy agreement: cosine of topic weights and strategy indicators.

    Parameters
    ----------
    W : array_like(float, ndim=2)
        Sentence × topic weights, rows aligned with ``claims``.
    claims : pandas.DataFrame
        With a ``themes`` column (``;``-joined strategy ids).
    terms : pandas.DataFrame
        :meth:`ThemeModel.top_terms` output (for the topic labels).
    strategies : sequence of str, optional
        Strategy ids (default: the codebook's, in file order).

    Returns
    -------
    pandas.DataFrame
        ``topic, top_terms, strategy, n_sentences, cosine, best_for_topic,
        best_for_strategy``, sorted by topic then strategy.

    Raises
    ------
    ValueError
        If ``W`` does not have one row per claim.
    """
    W = np.asarray(W, float)
    if W.shape[0] != len(claims):
        raise ValueError(f"W has {W.shape[0]} rows for {len(claims)} claims")
    ids = list(strategies) if strategies is not None else [s["id"] for s in lexicon.strategies()]
    sets = theme_sets(claims)
    S = np.asarray([[s in ts for s in ids] for ts in sets], dtype=float)
    cos = cosine(W.T, S.T)
    labels = {t: " ".join(g.sort_values("rank")["term"].head(5)) for t, g in terms.groupby("topic")}
    best_t = cos.argmax(axis=1)
    best_s = cos.argmax(axis=0)
    rows = []
    for t in range(W.shape[1]):
        for j, s in enumerate(ids):
            rows.append({"topic": t, "top_terms": labels.get(t, ""), "strategy": s, "n_sentences": int(S[:, j].sum()),
                         "cosine": round(float(cos[t, j]), 4), "best_for_topic": bool(best_t[t] == j and cos[t, j] > 0),
                         "best_for_strategy": bool(best_s[j] == t and cos[t, j] > 0)})
    return pd.DataFrame(rows).sort_values(["topic", "strategy"], ignore_index=True)

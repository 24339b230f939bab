"""Stance: does each article support, criticise or merely report each strategy?

The stance of one sentence towards the strategies it touches (its ``themes``;
see :mod:`analysis.themes.codebook`) is (:func:`sentence_stance`):

1. a recommendation with positive polarity *supports* them;
2. a negated (prohibitive) recommendation, or a sentence with a criticism cue
   (失败, 愚蠢, 问题, 揠苗助长...), *criticises* them;
3. any other sentence *reports* them.

An article's stance on a strategy (:func:`strategy_stance`) is the majority
of its *supports* and *criticises* sentences on it (a tie, or neither, gives
*reports*); no sentence at all gives *absent*.  The evidence column lists the
claim ids behind the stance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis import lexicon
from analysis.themes.codebook import theme_sets

__all__ = ["STANCES", "sentence_stance", "strategy_stance", "stance_matrix"]

STANCES: tuple[str, ...] = ("supports", "criticises", "reports", "absent")


def sentence_stance(type_: str, polarity: str, criticism: str) -> str:
    """Stance of one sentence towards the strategies it touches (see module notes).

    Parameters
    ----------
    type_ : str
        The claim type.
    polarity : str
        ``positive``, ``negative`` or ``""`` (recommendations only).
    criticism : str
        The criticism cues found in the sentence (``""`` for none).

    Returns
    -------
    str
        ``supports``, ``criticises`` or ``reports``.
    """
    if type_ == "recommendation" and polarity == "positive":
        return "supports"
    if (type_ == "recommendation" and polarity == "negative") or (isinstance(criticism, str) and criticism):
        return "criticises"
    return "reports"


def strategy_stance(claims: pd.DataFrame, strategies: Sequence[str] | None = None) -> pd.DataFrame:
    """Stance of every article on every strategy, with the evidence claim ids.

    Parameters
    ----------
    claims : pandas.DataFrame
        ``claims.csv``: needs ``claim_id, article_id, type, polarity,
        criticism, themes``.
    strategies : sequence of str, optional
        Strategy ids (default: the codebook's, in file order).

    Returns
    -------
    pandas.DataFrame
        ``strategy, article_id, stance, n_supports, n_criticises, n_reports,
        evidence``, sorted by strategy then article.

    Raises
    ------
    ValueError
        If ``claims`` lacks one of the needed columns.
    """
    need = {"claim_id", "article_id", "type", "polarity", "criticism", "themes"}
    missing = sorted(need - set(claims.columns))
    if missing:
        raise ValueError(f"claims table lacks columns {missing}")
    ids = list(strategies) if strategies is not None else [s["id"] for s in lexicon.strategies()]
    cl = claims.fillna({"polarity": "", "criticism": "", "themes": ""})
    stance = [sentence_stance(t, p, c) for t, p, c in zip(cl["type"], cl["polarity"], cl["criticism"], strict=True)]
    sets = theme_sets(cl)
    rows = []
    for s in ids:
        for art in sorted(cl["article_id"].unique()):
            ev: dict[str, list[str]] = {k: [] for k in STANCES[:3]}
            for cid, a, st, ts in zip(cl["claim_id"], cl["article_id"], stance, sets, strict=True):
                if a == art and s in ts:
                    ev[st].append(cid)
            n_sup, n_crit, n_rep = len(ev["supports"]), len(ev["criticises"]), len(ev["reports"])
            if n_sup + n_crit + n_rep == 0:
                verdict, evidence = "absent", []
            elif n_sup > n_crit:
                verdict, evidence = "supports", ev["supports"]
            elif n_crit > n_sup:
                verdict, evidence = "criticises", ev["criticises"]
            else:
                verdict, evidence = "reports", ev["supports"] + ev["criticises"] + ev["reports"]
            key = lambda c: int(c.rsplit(":", 1)[1])  # noqa: E731
            rows.append({"strategy": s, "article_id": art, "stance": verdict, "n_supports": n_sup,
                         "n_criticises": n_crit, "n_reports": n_rep, "evidence": ";".join(sorted(evidence, key=key))})
    return pd.DataFrame(rows).sort_values(["strategy", "article_id"], ignore_index=True)


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

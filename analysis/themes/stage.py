"""The ``themes`` stage: the topic model, its stability, its agreement with the codebook, and stance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.stage_api import Context
from analysis.themes.codebook import topic_codebook
from analysis.themes.model import N_TOPICS, ThemeModel, topic_tokens
from analysis.themes.stability import stability_score, topic_stability
from analysis.themes.stance import STANCES, strategy_stance

__all__ = ["themes", "themes_summary"]


def themes(inputs: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Fit the topic model on the sentences and derive every theme table.

    Parameters
    ----------
    inputs : mapping
        ``claims``: the typed sentences.
    ctx : analysis.stage_api.Context
        Unused.

    Returns
    -------
    dict
        ``themes``, ``theme_stability``, ``topic_codebook`` and ``strategy_stance``.
    """
    claims: pd.DataFrame = inputs["claims"]
    docs = topic_tokens(claims["sentence_clean"])
    model = ThemeModel(n_topics=N_TOPICS).fit(docs)
    terms = model.top_terms(10)
    stab = topic_stability(docs, reference=model)
    return {
        "themes": terms,
        "theme_stability": stab,
        "topic_codebook": topic_codebook(model.transform(docs), claims, terms),
        "strategy_stance": strategy_stance(claims),
        "_n_topics": model.n_topics,
    }


def themes_summary(out: Mapping[str, Any]) -> str:
    """One line: topics, stability and the stance counts.

    Parameters
    ----------
    out : mapping
        :func:`themes` output.

    Returns
    -------
    str
    """
    counts = out["strategy_stance"]["stance"].value_counts()
    return (f"themes: {out['_n_topics']} topics, stability {stability_score(out['theme_stability']):.2f}; stance "
            + ", ".join(f"{int(counts.get(s, 0))} {s}" for s in STANCES))

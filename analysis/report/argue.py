"""The argue chapter's views: the stance and codebook heatmaps and the tables of topics, stability, evaluation and figures.

Every function takes catalogue frames (``strategy_stance``, ``themes``,
``theme_stability``, ``topic_codebook``, ``evaluation``, ``numbers``,
``fact_conflicts``, ``corpus``) and returns a figure's axes or a table from
:func:`analysis.report.tables.html_table`.  The numbers that the prose quotes
are in :func:`analysis.report.facts.argue_facts`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.report.display import HTMLTable
from analysis.report.tables import html_table
from analysis.themes.stance import stance_matrix

__all__ = [
    "codebook_matrix",
    "plot_stance",
    "plot_codebook",
    "topics_table",
    "stability_table",
    "evaluation_table",
    "numbers_table",
    "conflicts_table",
]


def _top_terms(themes: pd.DataFrame, n: int, sep: str) -> pd.Series:
    """The ``n`` heaviest terms of each topic, joined (index: topic)."""
    ranked = themes.sort_values(["topic", "rank"], kind="stable")
    return ranked.groupby("topic")["term"].apply(lambda t: sep.join(t.head(n)))


def codebook_matrix(codebook: pd.DataFrame, stance: pd.DataFrame) -> pd.DataFrame:
    """Strategy × topic cosines, rows in the order of the stance heatmap.

    Parameters
    ----------
    codebook : pandas.DataFrame
        The ``topic_codebook`` artefact.
    stance : pandas.DataFrame
        The ``strategy_stance`` artefact (for the row order).

    Returns
    -------
    pandas.DataFrame
        Index ``strategy``, one column per topic.
    """
    cb = codebook.pivot(index="strategy", columns="topic", values="cosine")
    return cb.loc[[s for s in stance_matrix(stance).index if s in cb.index]]


def plot_stance(stance: pd.DataFrame, corpus: pd.DataFrame) -> Any:
    """Heatmap of each article's stance on each strategy (+ supports, · reports, − criticises).

    Call :func:`analysis.report.style.set_style` first.

    Parameters
    ----------
    stance : pandas.DataFrame
        The ``strategy_stance`` artefact.
    corpus : pandas.DataFrame
        The ``corpus`` artefact (article titles, or the source of an untitled one).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    mat = stance_matrix(stance)
    names = {s["id"]: s["name"] for s in lexicon.strategies()}
    titles = dict(zip(corpus["article_id"], corpus["title"].where(corpus["title"] != "", corpus["source"]),
                      strict=True))
    _, ax = plt.subplots(figsize=(9, 9))
    sns.heatmap(mat, cmap="RdYlGn", center=0, vmin=-1, vmax=1, linewidths=0.5, cbar=False, ax=ax,
                annot=mat.replace({1.0: "+", 0.0: "·", -1.0: "−"}), fmt="", annot_kws={"fontsize": 14})
    ax.set_yticklabels([names[i] for i in mat.index], fontsize=9)
    ax.set_xticklabels([f"{a[:3]} {titles.get(a, '')[:10]}" for a in mat.columns], rotation=30, ha="right",
                       fontsize=9)
    ax.set(xlabel="", ylabel="", title="Stance on each strategy (+ supports, · reports, − criticises)")
    return ax


def plot_codebook(codebook: pd.DataFrame, stance: pd.DataFrame) -> Any:
    """Heatmap of the cosine between each strategy's sentences and each topic.

    Parameters
    ----------
    codebook : pandas.DataFrame
        The ``topic_codebook`` artefact.
    stance : pandas.DataFrame
        The ``strategy_stance`` artefact (for the row order).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    cb = codebook_matrix(codebook, stance)
    _, ax = plt.subplots(figsize=(8, 8))
    sns.heatmap(cb, cmap="Blues", vmin=0, vmax=max(0.5, float(cb.max().max())), annot=True, fmt=".2f",
                annot_kws={"fontsize": 7}, cbar=False, ax=ax)
    ax.set(xlabel="topic", ylabel="")
    return ax


def topics_table(themes: pd.DataFrame, n: int = 8) -> HTMLTable:
    """The heaviest terms of each topic.

    Parameters
    ----------
    themes : pandas.DataFrame
        The ``themes`` artefact.
    n : int, default 8
        Terms per topic.

    Returns
    -------
    HTMLTable
    """
    terms = _top_terms(themes, n, " · ").rename("top terms").reset_index()
    return html_table(terms, zh=["top terms"])


def stability_table(stability: pd.DataFrame, themes: pd.DataFrame) -> HTMLTable:
    """Mean matched cosine of each topic under each kind of perturbation, with its top terms.

    Parameters
    ----------
    stability : pandas.DataFrame
        The ``theme_stability`` artefact.
    themes : pandas.DataFrame
        The ``themes`` artefact.

    Returns
    -------
    HTMLTable
    """
    wide = stability.pivot_table(index="topic", columns="kind", values="cosine", aggfunc="mean").round(3)
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.join(_top_terms(themes, 4, " ").rename("top terms")).reset_index()
    return html_table(wide, zh=["top terms"])


def evaluation_table(evaluation: pd.DataFrame, task: str = "claim_type") -> HTMLTable:
    """Precision and recall of each method for each label of one task.

    Parameters
    ----------
    evaluation : pandas.DataFrame
        The ``evaluation`` artefact.
    task : str, default "claim_type"

    Returns
    -------
    HTMLTable
        One row per label, one column per (method, metric), rounded to 2 decimals.
    """
    ev = evaluation[(evaluation["task"] == task) & evaluation["metric"].isin(["precision", "recall"])]
    wide = ev.pivot_table(index="label", columns=["method", "metric"], values="value").round(2)
    wide.columns = [f"{method} {metric}" for method, metric in wide.columns]
    return html_table(wide.reset_index())


def numbers_table(numbers: pd.DataFrame) -> HTMLTable:
    """Every figure the articles quote, with its value in base units, unit, subject and hedge.

    Parameters
    ----------
    numbers : pandas.DataFrame
        The ``numbers`` artefact.

    Returns
    -------
    HTMLTable
    """
    return html_table(numbers[["article_id", "quote", "value", "unit", "subject", "hedge"]],
                      zh=["quote", "hedge"])


def conflicts_table(conflicts: pd.DataFrame) -> HTMLTable:
    """Pairs of figures for the same quantity, whether they agree, and the note on each.

    Parameters
    ----------
    conflicts : pandas.DataFrame
        The ``fact_conflicts`` artefact.

    Returns
    -------
    HTMLTable
    """
    cols = ["subject", "article_a", "quote_a", "article_b", "quote_b", "agree", "ratio", "like_for_like", "note"]
    return html_table(conflicts[cols], zh=["quote_a", "quote_b"])

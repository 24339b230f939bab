"""The argue chapter's views: the stance and codebook heatmaps and the tables of topics, stability, evaluation and figures.

Every function takes catalogue frames (``strategy_stance``, ``themes``,
``theme_stability``, ``topic_codebook``, ``evaluation``, ``numbers``,
``fact_conflicts``, ``corpus``) and returns a figure's axes or a table from
:func:`analysis.report.tables.html_table`.  The numbers that the prose quotes
are in :func:`analysis.report.facts.argue_facts`.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.checks.conflicts import WORDED_DIFFERENTLY
from analysis.report.display import HTMLTable
from analysis.report.escape import esc
from analysis.report.glossary import gloss, pinyin
from analysis.report.overview import date_words
from analysis.report.quotes import (
    article_label,
    figure_en,
    figure_html,
    has_cjk,
    quote_html,
    short_id,
    source_link,
    strategy_names,
    term_html,
)
from analysis.report.tables import html_table
from analysis.themes.stability import DROP_FRACTION
from analysis.themes.stance import stance_matrix

__all__ = [
    "codebook_matrix",
    "topic_labels",
    "agreement_label",
    "pooled_split",
    "plot_stance",
    "plot_codebook",
    "topics_table",
    "stability_table",
    "evaluation_table",
    "numbers_table",
    "conflicts_table",
]


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
    """Heatmap of each article's stance on each strategy (+ supports, · reports, − criticises), in English.

    Rows are the strategies' English names, columns the articles' short English
    labels (:func:`analysis.report.quotes.article_label`).  Call
    :func:`analysis.report.style.set_style` first.

    Parameters
    ----------
    stance : pandas.DataFrame
        The ``strategy_stance`` artefact.
    corpus : pandas.DataFrame
        The ``corpus`` artefact (the articles, in order).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    mat = stance_matrix(stance)
    mat = mat[[a for a in corpus["article_id"] if a in mat.columns]]
    names = strategy_names()
    _, ax = plt.subplots(figsize=(7.2, 0.46 * len(mat) + 1.6))
    sns.heatmap(mat, cmap="RdYlGn", center=0, vmin=-1, vmax=1, linewidths=0.5, cbar=False, ax=ax,
                annot=mat.replace({1.0: "+", 0.0: "·", -1.0: "−"}), fmt="", annot_kws={"fontsize": 14})
    ax.set_yticklabels([textwrap.fill(names.get(i, i), 34) for i in mat.index], fontsize=10.5, rotation=0)
    ax.set_xticklabels([textwrap.fill(article_label(a), 16) for a in mat.columns], rotation=0, fontsize=10)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set(xlabel="", ylabel="")
    return ax


def topic_labels(themes: pd.DataFrame, n: int = 3) -> dict[int, str]:
    """A short English label of each topic: its number and the glosses of its heaviest terms.

    Parameters
    ----------
    themes : pandas.DataFrame
        The ``themes`` artefact.
    n : int, default 3
        Terms per label.

    Returns
    -------
    dict of int to str
        ``{0: "T0 Laiwang / high-profile / team"}``; a term with no gloss is shown in pinyin.
    """
    out = {}
    ranked = themes.sort_values(["topic", "rank"], kind="stable")
    for topic, g in ranked.groupby("topic", sort=True):
        words = [_short_gloss(t) for t in g["term"].head(n)]
        out[int(topic)] = f"T{topic} " + " / ".join(words)
    return out


def _short_gloss(term: str) -> str:
    """The gloss of a term cut at its first parenthesis or comma (``Laiwang``), else its pinyin."""
    g = gloss(term)
    return re.split(r"\s*[(;,/]", g)[0].strip() if g else (pinyin(term) if has_cjk(term) else term)


def plot_codebook(codebook: pd.DataFrame, stance: pd.DataFrame, themes: pd.DataFrame | None = None) -> Any:
    """Heatmap of the cosine between each strategy's sentences and each topic, labelled in English.

    Parameters
    ----------
    codebook : pandas.DataFrame
        The ``topic_codebook`` artefact.
    stance : pandas.DataFrame
        The ``strategy_stance`` artefact (for the row order).
    themes : pandas.DataFrame, optional
        The ``themes`` artefact: the topics are labelled by their heaviest terms in English.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    cb = codebook_matrix(codebook, stance)
    labels = topic_labels(themes, 2) if themes is not None else {}
    names = strategy_names()
    _, ax = plt.subplots(figsize=(7.6, 0.46 * len(cb) + 1.8))
    sns.heatmap(cb, cmap="Blues", vmin=0, vmax=max(0.5, float(cb.max().max())), annot=True, fmt=".2f",
                annot_kws={"fontsize": 9}, cbar=False, ax=ax)
    ax.set_yticklabels([textwrap.fill(names.get(s, s), 34) for s in cb.index], fontsize=10.5, rotation=0)
    ax.set_xticklabels([textwrap.fill(labels.get(int(t), f"T{t}"), 11, break_long_words=False) for t in cb.columns], rotation=0,
                       fontsize=9.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set(xlabel="", ylabel="")
    return ax


def _terms_html(terms: Any) -> str:
    """Chinese terms, each followed by its English gloss (or pinyin), separated by middle dots."""
    return " · ".join(term_html(t, _short_gloss(t)) if has_cjk(t) else esc(t) for t in terms)


def topics_table(themes: pd.DataFrame, n: int = 8) -> HTMLTable:
    """The heaviest terms of each topic, each with its English gloss.

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
    ranked = themes.sort_values(["topic", "rank"], kind="stable")
    rows = [{"topic": f"T{t}", "terms": _terms_html(g["term"].head(n))} for t, g in ranked.groupby("topic", sort=True)]
    return html_table(pd.DataFrame(rows, columns=["topic", "terms"]), markup=["terms"],
                      labels={"topic": "Topic", "terms": "Heaviest terms (Chinese, then English)"})


#: The perturbations of the stability check, in words.
STABILITY_KINDS = {"drop": f"{100 * DROP_FRACTION:.0f}% dropped", "seed": "new start", "drop+seed": "both"}


def stability_table(stability: pd.DataFrame, themes: pd.DataFrame) -> HTMLTable:
    """Mean matched cosine of each topic under each kind of perturbation (sentences dropped, a new random
    start, both), with its top terms in English.

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
    wide = stability.pivot_table(index="topic", columns="kind", values="cosine", aggfunc="mean").round(2)
    kinds = [k for k in STABILITY_KINDS if k in wide.columns] + [k for k in wide.columns if k not in STABILITY_KINDS]
    ranked = themes.sort_values(["topic", "rank"], kind="stable")
    top = {int(t): _terms_html(g["term"].head(4)) for t, g in ranked.groupby("topic", sort=True)}
    shown = pd.DataFrame({"topic": [f"T{t}" for t in wide.index], "terms": [top.get(int(t), "") for t in wide.index],
                          **{k: wide[k].to_numpy() for k in kinds}})
    return html_table(shown, markup=["terms"], widths={"terms": "wide"},
                      labels={"topic": "Topic", "terms": "Heaviest terms", **STABILITY_KINDS})


#: Column headers of the evaluation table, in the order shown.
_METHODS = {"final": "final coder", "rules": "rules", "classifier": "classifier"}


def pooled_split(evaluation: pd.DataFrame) -> str:
    """The split of the ``evaluation`` table that pools every held-out prediction (``all``, else ``heldout``).

    Parameters
    ----------
    evaluation : pandas.DataFrame
        The ``evaluation`` artefact.

    Returns
    -------
    str
    """
    splits = set(evaluation["split"].astype(str))
    return "all" if "all" in splits else "heldout" if "heldout" in splits else sorted(splits)[0]


def evaluation_table(evaluation: pd.DataFrame, task: str = "claim_type") -> HTMLTable:
    """Precision and recall of each method for each sentence type of one task.

    Parameters
    ----------
    evaluation : pandas.DataFrame
        The ``evaluation`` artefact.
    task : str, default "claim_type"

    Returns
    -------
    HTMLTable
        One row per label (with its number of sentences), one column per method and metric
        (``rules P``: precision of the rules, ``R``: recall), on the pooled split
        (:func:`pooled_split`), rounded to 2 decimals.
    """
    ev = evaluation[(evaluation["task"] == task) & evaluation["metric"].isin(["precision", "recall"])
                    & (evaluation["split"] == pooled_split(evaluation))]
    wide = ev.pivot_table(index="label", columns=["method", "metric"], values="value").round(2)
    order = sorted(wide.columns, key=lambda c: (list(_METHODS).index(c[0]) if c[0] in _METHODS else 9, c))
    wide = wide[order]
    labels = {f"{m} {k}": f"{_METHODS.get(m, m)} {k[0].upper()}" for m, k in wide.columns}
    wide.columns = [f"{m} {k}" for m, k in wide.columns]
    n = ev.groupby("label")["n"].max()
    shown = wide.reset_index().assign(n=lambda d: d["label"].map(n))
    shown = shown[["label", "n", *wide.columns]]
    return html_table(shown, labels={"label": "Sentence type", "n": "Sentences", **labels})


def _figure_claims(numbers: pd.DataFrame, claims: pd.DataFrame | None) -> list[str]:
    """The sentence of each figure (``""`` when no claim contains it)."""
    if claims is None:
        return [""] * len(numbers)
    out = []
    for aid, a, b in zip(numbers["article_id"], numbers["start"], numbers["end"], strict=True):
        hit = claims[(claims["article_id"] == aid) & (claims["start"] <= a) & (claims["end"] >= b)]
        out.append(str(hit["claim_id"].iloc[0]) if len(hit) else "")
    return out


def numbers_table(numbers: pd.DataFrame, claims: pd.DataFrame | None = None) -> HTMLTable:
    """Every figure the articles quote: the Chinese as quoted, its English reading, what it counts, its source.

    Parameters
    ----------
    numbers : pandas.DataFrame
        The ``numbers`` artefact.
    claims : pandas.DataFrame, optional
        The ``claims`` artefact: each figure links to its sentence.

    Returns
    -------
    HTMLTable
    """
    shown = pd.DataFrame({
        "article": [short_id(a) for a in numbers["article_id"]],
        "figure": [figure_html(q, v, u, h) for q, v, u, h in zip(numbers["quote"], numbers["value"],
                                                                numbers["unit"], numbers["hedge"], strict=True)],
        "subject": numbers["subject"],
        "source": [source_link(c) if c else "" for c in _figure_claims(numbers, claims)],
    })
    return html_table(shown, markup=["figure", "source"],
                      labels={"article": "Article", "figure": "Figure (as quoted, then in English)",
                              "subject": "What it counts", "source": "Sentence"})


def agreement_label(row: Any) -> str:
    """How two figures of the conflicts table relate, in words.

    Parameters
    ----------
    row : mapping
        A row of the ``fact_conflicts`` artefact.

    Returns
    -------
    str
        ``"same target, worded differently"`` / ``"same figure, worded differently"`` (the
        note of :mod:`analysis.checks.conflicts`), ``"agree"`` or ``"disagree"``; for a pair that is
        not like for like, ``"consistent (part of a whole)"`` or ``"inconsistent"``.
    """
    note = str(row["note"] or "")
    agree = str(row["agree"]).lower() == "true"
    if str(row["like_for_like"]).lower() != "true":
        return "consistent (part of a whole)" if agree else "inconsistent"
    for label in WORDED_DIFFERENTLY:
        if agree and note.startswith(label):
            return label
    return "agree" if agree else "disagree"


def _side_html(row: Any, side: str) -> str:
    aid = str(row[f"article_{side}"])
    quote, value, unit = row[f"quote_{side}"], row[f"value_{side}"], row[f"unit_{side}"]
    date = str(row[f"date_{side}"] or "")
    if not row[f"claim_{side}"] or pd.isna(row[f"claim_{side}"]):
        return f"{esc(figure_en(value, unit))} <small>{esc(row[f'source_{side}'])}</small>"
    cid = str(row[f"claim_{side}"])
    written = lexicon.articles().get(aid, {}).get("dates", {}).get("written")
    when = f", written {date_words(written)}" if written else (f", {date}" if date else "")
    english = figure_en(value, unit, row[f"hedge_{side}"], str(quote))
    return quote_html(quote, english, f"<small>{source_link(cid)}{esc(when)}</small>")


_DATED_NOTE = re.compile(r"dated in different months \(([^)]*)\): the figure may have changed in between")


def _short_note(note: str, worded: bool) -> str:
    """The conflicts' note for a reader: the wording label is its own column; a date gap reads shorter."""
    text = note.split(": ", 1)[1] if worded and ": " in note else note
    return _DATED_NOTE.sub(r"written in different months (\1), so the figure may have changed", text)


def conflicts_table(conflicts: pd.DataFrame) -> HTMLTable:
    """Pairs of figures for the same quantity: each as quoted and in English, and how they relate.

    Parameters
    ----------
    conflicts : pandas.DataFrame
        The ``fact_conflicts`` artefact.

    Returns
    -------
    HTMLTable
    """
    note = conflicts["note"].fillna("").astype(str)
    worded = note.str.startswith(WORDED_DIFFERENTLY)
    shown = pd.DataFrame({
        "subject": conflicts["subject"],
        "a": [_side_html(r, "a") for _, r in conflicts.iterrows()],
        "b": [_side_html(r, "b") for _, r in conflicts.iterrows()],
        "relation": [agreement_label(r) for _, r in conflicts.assign(note=note).iterrows()],
        "ratio": [f"{float(r):.3g}" for r in conflicts["ratio"]],
        "note": [_short_note(n, w) for n, w in zip(note, worded, strict=True)],
    })
    return html_table(shown, markup=["a", "b"], widths={"subject": "medium", "a": "medium", "b": "medium",
                                                        "note": "medium"},
                      labels={"subject": "Quantity", "a": "One source", "b": "Another source",
                              "relation": "How they relate", "ratio": "Larger ÷ smaller", "note": "Note"})

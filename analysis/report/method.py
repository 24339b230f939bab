"""The method appendix's tables: how far the coders agree, and how well the pipeline's coders do.

Rendering only, from the ``evaluate`` and ``themes`` stages' artefacts:
``coder_agreement`` (the two independent human-style codings, before
adjudication), ``evaluation`` and ``stance_evaluation`` (the pipeline's
automatic coders scored leave-one-article-out against the adjudicated
reference) and ``term_check`` (the segmenter and the user dictionary).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.checks.segmentation import term_check_summary
from analysis.report.display import HTMLTable
from analysis.report.quotes import short_id
from analysis.report.tables import html_table

__all__ = ["FIELD_LABELS", "GOALS", "agreement_table", "scores", "scores_table", "term_table", "method_facts"]

#: Reader-facing names of the coding fields.
FIELD_LABELS: dict[str, str] = {
    "type": "claim type", "speaker": "speaker (author or quoted)", "speaker_party": "speaker (who exactly)",
    "strategy": "strategy addressed", "stance": "stance on the strategy", "cell": "article's stance (cell)",
    "figure_subject": "figure: subject", "figure_unit": "figure: unit", "figure_hedged": "figure: hedged",
    "figure_found": "figure found (F1)",
}

#: The goals the automatic coders are held to: (label, source artefact, selector, goal).
GOALS: tuple[tuple[str, str, dict[str, str], float], ...] = (
    ("Stance: cells agreeing with the reference", "stance", {"field": "cell", "metric": "agreement"}, 0.85),
    ("Stance: polarity reversals", "stance", {"field": "cell", "metric": "reversals"}, 0.0),
    ("Stance: cells where the reference takes a side", "stance",
     {"field": "cell_positioned", "metric": "agreement"}, float("nan")),
    ("Strategy tagging of sentences (F1)", "stance", {"field": "tagging", "metric": "f1"}, float("nan")),
    ("Claim types (macro-F1)", "evaluation", {"task": "claim_type", "method": "final", "metric": "macro_f1"}, 0.80),
    ("Figure subjects (share correct)", "evaluation", {"task": "figure_subject", "metric": "accuracy"}, 0.95),
    ("Figures found (precision)", "evaluation", {"task": "figures", "metric": "precision"}, 0.90),
    ("Figures found (recall)", "evaluation", {"task": "figures", "metric": "recall"}, 0.90),
)


def agreement_table(agreement: pd.DataFrame) -> HTMLTable:
    """Cohen's kappa per field, pooled and per article, before adjudication.

    Parameters
    ----------
    agreement : pandas.DataFrame
        The ``coder_agreement`` artefact (``scope, field, n, observed, kappa, kappa_lo, kappa_hi``).

    Returns
    -------
    HTMLTable
    """
    pooled = agreement[agreement["scope"] == "all"].copy()
    per = agreement[agreement["scope"] != "all"]
    rows = []
    for r in pooled.itertuples():
        row = {"Field": FIELD_LABELS.get(r.field, r.field), "Items": r.n, "Agreement": f"{r.observed:.0%}"}
        row["Kappa (95% interval)"] = ("" if pd.isna(r.kappa)
                                       else f"{r.kappa:.2f} ({r.kappa_lo:.2f}–{r.kappa_hi:.2f})")
        for a in per[per["field"] == r.field].itertuples():
            value = a.observed if pd.isna(a.kappa) else a.kappa
            row[f"κ {short_id(a.scope)}"] = "" if pd.isna(value) else f"{value:.2f}"
        rows.append(row)
    return html_table(pd.DataFrame(rows).fillna(""), sortable=False)


def _select(frame: pd.DataFrame, split_col: str, split: str, where: dict[str, str]) -> pd.DataFrame:
    mask = frame[split_col] == split
    for k, v in where.items():
        mask &= frame[k] == v
    if "label" in frame.columns:
        mask &= frame["label"] == "all"
    return frame[mask]


def scores(evaluation: pd.DataFrame, stance_eval: pd.DataFrame) -> pd.DataFrame:
    """Every goal with its pooled and per-article leave-one-article-out value.

    Parameters
    ----------
    evaluation : pandas.DataFrame
        The ``evaluation`` artefact.
    stance_eval : pandas.DataFrame
        The ``stance_evaluation`` artefact.

    Returns
    -------
    pandas.DataFrame
        ``measure, goal, all, <article ids...>, met`` (``met`` empty where no goal is set).
    """
    articles = sorted(set(stance_eval["article_id"]) - {"all"})
    rows = []
    for label, source, where, goal in GOALS:
        frame, col = (stance_eval, "article_id") if source == "stance" else (evaluation, "split")
        row: dict[str, Any] = {"measure": label, "goal": goal}
        for split in ["all", *articles]:
            sel = _select(frame, col, split, where)
            row[split] = float(sel["value"].iloc[0]) if len(sel) else float("nan")
        if pd.isna(goal):
            row["met"] = ""
        elif "reversal" in label:
            row["met"] = "yes" if row["all"] <= goal else "no"
        else:
            row["met"] = "yes" if row["all"] >= goal else "no"
        rows.append(row)
    return pd.DataFrame(rows)


def scores_table(table: pd.DataFrame) -> HTMLTable:
    """:func:`scores` as a table: goal, pooled value, per-article values, met or not.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`scores` output.

    Returns
    -------
    HTMLTable
    """
    articles = [c for c in table.columns if c not in ("measure", "goal", "all", "met")]

    def fmt(value: Any, measure: str) -> str:
        if pd.isna(value):
            return ""
        return f"{value:.0f}" if "reversal" in measure else f"{value:.2f}"

    shown = pd.DataFrame({
        "Measure": table["measure"],
        "Goal": [("0" if "reversal" in m else f"≥ {g:.2f}") if not pd.isna(g) else "(reported)"
                 for m, g in zip(table["measure"], table["goal"], strict=True)],
        "All articles": [fmt(v, m) for v, m in zip(table["all"], table["measure"], strict=True)],
        **{f"Held out: {short_id(a)}": [fmt(v, m) for v, m in zip(table[a], table["measure"], strict=True)]
           for a in articles},
        "Goal met": table["met"],
    })
    return html_table(shown, sortable=False)


def term_table(check: pd.DataFrame) -> HTMLTable:
    """Share of dictionary terms kept whole in the corpus's sentences, per category.

    Parameters
    ----------
    check : pandas.DataFrame
        The ``term_check`` artefact.

    Returns
    -------
    HTMLTable
    """
    s = term_check_summary(check)
    return html_table(s, labels={"category": "Category", "terms": "Terms", "terms_seen": "Terms in the corpus",
                                 "terms_always_whole": "Always whole", "occurrences": "Occurrences",
                                 "whole": "Kept whole", "share": "Share whole"},
                      formats={"share": lambda v: f"{v:.1%}"}, sortable=False)


def method_facts(agreement: pd.DataFrame, evaluation: pd.DataFrame, stance_eval: pd.DataFrame,
                 check: pd.DataFrame) -> dict[str, Any]:
    """The numbers the method appendix's prose quotes.

    Returns
    -------
    dict
        Kappa range, goals met and missed, the term-check share.
    """
    pooled = agreement[(agreement["scope"] == "all") & agreement["kappa"].notna()]
    table = scores(evaluation, stance_eval)
    with_goal = table[table["met"] != ""]
    summary = term_check_summary(check)
    total = summary[summary["category"] == "all"].iloc[0]
    return {
        "kappa_min": f"{pooled['kappa'].min():.2f}",
        "kappa_max": f"{pooled['kappa'].max():.2f}",
        "kappa_min_field": FIELD_LABELS.get(pooled.loc[pooled["kappa"].idxmin(), "field"], ""),
        "n_goals": int(len(with_goal)),
        "n_goals_met": int((with_goal["met"] == "yes").sum()),
        "goals_missed": ", ".join(m.lower() for m in with_goal.loc[with_goal["met"] == "no", "measure"]) or "none",
        "term_share": f"{float(total['share']):.1%}",
        "term_occurrences": int(total["occurrences"]),
    }

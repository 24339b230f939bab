"""The stance table: each article's stance on each strategy, with its evidence and its check.

Rendering only.  Each cell of the table is the automatic coder's stance (the
``strategy_stance`` artefact, cross-fitted: an article's cells come from a
model that never saw its reference labels).  The cell links to its first
evidence sentence on the article's page, lists every evidence sentence on
hover, and, where the two-coder reference disagrees, is marked ``≠`` with the
reference's value on hover and in the note under the table.  An article that
has no reference coding (one added later) is marked "machine-coded, not
checked".
"""

from __future__ import annotations

import pandas as pd

from analysis.extract.ids import source_href, split_claim_id
from analysis.report.display import HTMLTable
from analysis.report.escape import esc
from analysis.report.quotes import article_label, short_id, strategy_names
from analysis.report.tables import html_table

__all__ = ["SYMBOLS", "stance_cell", "stance_table", "disagreements", "stance_check_facts"]

#: How each stance is shown: symbol and word.
SYMBOLS: dict[str, tuple[str, str]] = {
    "supports": ("+", "supports"),
    "criticises": ("−", "criticises"),
    "reports": ("·", "reports"),
    "absent": ("", ""),
}


def _evidence(evidence: str) -> list[str]:
    return [c for c in str(evidence or "").split(";") if c]


def stance_cell(row: pd.Series, prefix: str = "") -> str:
    """The trusted HTML of one cell: symbol and word, evidence link, check mark.

    Parameters
    ----------
    row : pandas.Series
        One row of ``strategy_stance`` (``stance, evidence, reference_stance, checked``).
    prefix : str
        Prepended to the article-page links (``"../"`` from a page one folder deep).

    Returns
    -------
    str
    """
    stance = str(row["stance"])
    symbol, word = SYMBOLS.get(stance, ("?", stance))
    checked = bool(row.get("checked", False))
    ref = str(row.get("reference_stance", "") or "")
    ids = _evidence(row.get("evidence", ""))
    notes = []
    if ids:
        notes.append("evidence: " + ", ".join(f"{short_id(split_claim_id(c)[0])}:{split_claim_id(c)[1]}" for c in ids))
    if not checked:
        notes.append("machine-coded, not checked")
    elif ref != stance:
        notes.append(f"reference coding: {ref}")
    title = "; ".join(notes)
    body = f'<span class="stance-symbol">{esc(symbol)}</span> {esc(word)}' if word else ""
    if ids and body:
        body = f'<a href="{esc(source_href(ids[0], prefix=prefix))}">{body}</a>'
    mark = ""
    if not checked:
        mark = ' <span class="stance-unchecked" title="machine-coded, not checked">†</span>'
    elif ref != stance:
        mark = f' <span class="stance-disagree" title="reference coding: {esc(ref)}">≠ {esc(ref)}</span>'
    cls = f"stance stance-{esc(stance)}" + (" stance-differs" if checked and ref != stance else "")
    return f'<span class="{cls}" title="{esc(title)}">{body}{mark}</span>'


def stance_table(stance: pd.DataFrame, corpus: pd.DataFrame, *, prefix: str = "") -> HTMLTable:
    """Strategy × article table of the automatic coder's stances, checked against the reference.

    Parameters
    ----------
    stance : pandas.DataFrame
        The ``strategy_stance`` artefact.
    corpus : pandas.DataFrame
        The ``corpus`` artefact (the column order).
    prefix : str
        See :func:`stance_cell`.

    Returns
    -------
    HTMLTable
        One row per strategy (its English name), one column per article.
    """
    names = strategy_names()
    articles = [a for a in corpus["article_id"] if a in set(stance["article_id"])]
    order = [s for s in names if s in set(stance["strategy"])] + sorted(set(stance["strategy"]) - set(names))
    by_key = {(r["strategy"], r["article_id"]): r for _, r in stance.iterrows()}
    rows = []
    for sid in order:
        cells = {"Strategy": names.get(sid, sid)}
        for aid in articles:
            row = by_key.get((sid, aid))
            cells[aid] = stance_cell(row, prefix) if row is not None else ""
        rows.append(cells)
    df = pd.DataFrame(rows, columns=["Strategy", *articles])
    return html_table(df, markup=articles, labels={a: article_label(a) for a in articles}, sortable=False,
                      css_class="table stance-table")


def disagreements(stance: pd.DataFrame) -> pd.DataFrame:
    """The checked cells where the automatic coder and the reference differ.

    Parameters
    ----------
    stance : pandas.DataFrame
        The ``strategy_stance`` artefact.

    Returns
    -------
    pandas.DataFrame
        ``strategy, article, machine, reference, reversal`` with English names and article labels.
    """
    d = stance[stance["checked"].astype(bool) & (stance["stance"] != stance["reference_stance"])]
    names = strategy_names()
    polar = {"supports", "criticises"}
    return pd.DataFrame({
        "strategy": [names.get(s, s) for s in d["strategy"]],
        "article": [article_label(a) for a in d["article_id"]],
        "machine": d["stance"].tolist(),
        "reference": d["reference_stance"].tolist(),
        "reversal": [m in polar and r in polar and m != r for m, r in zip(d["stance"], d["reference_stance"],
                                                                          strict=True)],
    })


def stance_check_facts(stance: pd.DataFrame, stance_eval: pd.DataFrame) -> dict[str, object]:
    """The numbers the stance table's prose quotes: agreement with the reference, reversals, unchecked cells.

    Parameters
    ----------
    stance : pandas.DataFrame
        The ``strategy_stance`` artefact.
    stance_eval : pandas.DataFrame
        The ``stance_evaluation`` artefact.

    Returns
    -------
    dict
    """
    pooled = stance_eval[stance_eval["article_id"] == "all"].set_index(["field", "metric"])["value"]
    n = stance_eval[stance_eval["article_id"] == "all"].set_index(["field", "metric"])["n"]
    checked = stance[stance["checked"].astype(bool)]
    return {
        "stance_agree_pct": f"{100 * float(pooled[('cell', 'agreement')]):.0f}",
        "stance_cells": int(n[("cell", "agreement")]),
        "stance_positioned_pct": f"{100 * float(pooled[('cell_positioned', 'agreement')]):.0f}",
        "stance_positioned_n": int(n[("cell_positioned", "agreement")]),
        "stance_reversals": int(pooled[("cell", "reversals")]),
        "stance_n_differ": int((checked["stance"] != checked["reference_stance"]).sum()),
        "stance_n_unchecked": int((~stance["checked"].astype(bool)).sum()),
    }

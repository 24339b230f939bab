"""The comparison chapters' views: the products, timeline, strategy and author tables, the verdicts and the timeline figure.

Rendering only: every function takes frames of the ``compare`` stage (see
:mod:`analysis.catalog`) and returns a table (:func:`analysis.report.tables.html_table`),
Markdown or a figure.  Article text is escaped on the way out; links to a
source sentence are built from :func:`analysis.extract.ids.source_href`.
The numbers that the chapters' prose quotes are in :mod:`analysis.report.facts`.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.compare.products import DERIVED
from analysis.extract.ids import source_href, split_claim_id
from analysis.report.display import HTMLTable, Markdown
from analysis.report.escape import esc, link, md_escape, zh_span
from analysis.report.tables import html_table

__all__ = [
    "feature_columns",
    "features_html",
    "timeline_html",
    "strategies_html",
    "authors_html",
    "verdicts_markdown",
    "plot_timeline",
]

_CJK = re.compile(r"[\u3400-\u9fff]")


def feature_columns(lex: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """The feature columns of the product matrix, in display order.

    Parameters
    ----------
    lex : dict, optional
        :func:`analysis.lexicon.features` output (default: the project's).

    Returns
    -------
    list of (str, str)
        ``(feature id, display name)``: the cue features, then the derived
        ones (launch date, user figures).
    """
    lex = lex or lexicon.features()
    return [(f["id"], f["name"]) for f in lex["features"]] + list(DERIVED)


def _text(value: object) -> str:
    """A cell value as text: ``""`` for a missing one."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _short(article_id: str) -> str:
    return str(article_id).split("_")[0]


def _source_link(cid: str, prefix: str = "") -> str:
    """``003:16``, linking to sentence 16 of article 003."""
    aid, n = split_claim_id(cid)
    return link(source_href(cid, prefix=prefix), f"{_short(aid)}:{n}", title="source sentence")


def features_html(matrix: pd.DataFrame, cells: pd.DataFrame, *, prefix: str = "",
                  lex: dict[str, Any] | None = None) -> HTMLTable:
    """The feature matrix as a sortable table, each filled cell linking to its source sentences.

    Parameters
    ----------
    matrix : pandas.DataFrame
        The ``features`` artefact.
    cells : pandas.DataFrame
        The ``feature_cells`` artefact (the source of every filled cell).
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.
    lex : dict, optional
        The features lexicon (for the column names).

    Returns
    -------
    HTMLTable
    """
    cols = feature_columns(lex)
    sources = cells.groupby(["product_id", "feature_id"])["claim_id"].agg(
        lambda c: sorted(set(c), key=split_claim_id))
    shown = pd.DataFrame({"product": matrix["product"], "product_zh": matrix["product_zh"]})
    for fid, _ in cols:
        out = []
        for pid, value in zip(matrix["product_id"], matrix[fid], strict=True):
            value = _text(value)
            if not value:
                out.append("")
                continue
            links = " ".join(_source_link(c, prefix) for c in sources.get((pid, fid), []))
            out.append(f"{zh_span(value) if _CJK.search(value) else esc(value)} <small>[{links}]</small>")
        shown[fid] = out
    return html_table(shown, markup=[f for f, _ in cols], zh=["product_zh"],
                      labels={"product": "Product", "product_zh": "中文", **dict(cols)})


def timeline_html(tl: pd.DataFrame, *, prefix: str = "") -> HTMLTable:
    """The timeline as a sortable table, with the date as written, the sentence and its source link.

    Parameters
    ----------
    tl : pandas.DataFrame
        The ``timeline`` artefact.
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.

    Returns
    -------
    HTMLTable
        Relative dates (今年, 4年前) are marked with an asterisk.
    """
    relative = tl["relative"].astype(str).str.lower() == "true"
    shown = pd.DataFrame({
        "date": [_text(d) + (" *" if r else "") for d, r in zip(tl["date"], relative, strict=True)],
        "precision": tl["precision"],
        "event": tl["event"],
        "date_text": tl["date_text"],
        "sentence": tl["sentence"],
        "source": [_source_link(str(c), prefix) for c in tl["claim_id"]],
        "external": [f"{d}: {s}" if _text(s) else "" for d, s in zip(tl["external_date"], tl["external_source"],
                                                                      strict=True)],
    })
    return html_table(shown, markup=["source"], zh=["date_text", "sentence"],
                      labels={"date": "Date", "precision": "Precision", "event": "Event", "date_text": "As written",
                              "sentence": "Sentence", "source": "Source", "external": "External source"})


def _source_links(sources: str, prefix: str = "") -> str:
    """Links for ``outcome_sources`` (claim ids, or ``external:`` figures shown as text)."""
    parts = []
    for s in filter(None, _text(sources).split(";")):
        if s.startswith("external:"):
            parts.append("external data: " + esc(s.removeprefix("external:").replace("|", ", ")))
        else:
            parts.append(_source_link(s, prefix))
    return " ".join(parts)


def strategies_html(sc: pd.DataFrame, *, prefix: str = "") -> HTMLTable:
    """The strategy comparison as a sortable table: stances, model verdict, outcome and its sources.

    Parameters
    ----------
    sc : pandas.DataFrame
        The ``strategy_comparison`` artefact.
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.

    Returns
    -------
    HTMLTable
    """
    def or_note(values: pd.Series, note: str) -> list[str]:
        return [esc(v) if _text(v) else f"<em>{esc(note)}</em>" for v in values]

    shown = pd.DataFrame({
        "strategy": sc["strategy"], "supports": sc["supports"], "criticises": sc["criticises"],
        "reports": sc["reports"],
        "verdict": or_note(sc["model_verdict"], "not yet available"),
        "outcome": or_note(sc["actual_outcome"], "not known from the sources"),
        "sources": [_source_links(s, prefix) for s in sc["outcome_sources"]],
    })
    return html_table(shown, markup=["verdict", "outcome", "sources"],
                      labels={"strategy": "Strategy", "supports": "Supported by", "criticises": "Criticised by",
                              "reports": "Reported by", "verdict": "Model verdict", "outcome": "What happened",
                              "sources": "Sources"})


#: Columns of the author comparison that the products chapter shows.
AUTHOR_COLUMNS = ["article_id", "title", "author", "date", "reference_year", "n_claims", "n_recommendation",
                  "n_prediction", "n_causal", "n_fact", "share_criticising", "overall_stance", "top_themes"]


def authors_html(au: pd.DataFrame) -> HTMLTable:
    """The author comparison as a sortable table (titles escaped and tagged Chinese).

    Parameters
    ----------
    au : pandas.DataFrame
        The ``authors`` artefact.

    Returns
    -------
    HTMLTable
    """
    return html_table(au[AUTHOR_COLUMNS], zh=["title"])


def verdicts_markdown(sc: pd.DataFrame, *, prefix: str = "") -> Markdown:
    """One hedged bullet per strategy that some article argues or whose outcome is known.

    Every statement is generated from the strategy comparison: the articles
    for and against, the models' verdict (or that it is not yet available)
    and the known outcome with its sources.

    Parameters
    ----------
    sc : pandas.DataFrame
        The ``strategy_comparison`` artefact.
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.

    Returns
    -------
    Markdown
    """
    lines = []
    for _, r in sc.iterrows():
        sup, crit, out = _text(r["supports"]), _text(r["criticises"]), _text(r["actual_outcome"])
        if not (sup or crit or out):
            continue
        n_sup, n_crit = len([x for x in sup.split("; ") if x]), len([x for x in crit.split("; ") if x])
        arg = (f"argued for by {n_sup} article{'s' * (n_sup != 1)}" + (f" ({md_escape(sup)})" if sup else "")
               + f" and criticised by {n_crit}" + (f" ({md_escape(crit)})" if crit else ""))
        verdict = _text(r["model_verdict"])
        model = (f"model verdict, under its stated assumptions: {md_escape(verdict.rstrip('.'))}" if verdict
                 else "the model verdict is not yet available")
        links = []
        for s in filter(None, _text(r["outcome_sources"]).split(";")):
            if s.startswith("external:"):
                links.append("external data: " + md_escape(s.removeprefix("external:").replace("|", ", ")))
            else:
                aid, n = split_claim_id(s)
                links.append(f"[{_short(aid)}:{n}]({source_href(s, prefix=prefix)})")
        happened = (f" What happened, as far as the sources tell: {md_escape(out.rstrip('.'))}"
                    f" (sources: {', '.join(links)})." if out else " What happened is not known from the sources.")
        lines.append(f"- **{md_escape(r['strategy'])}**: {arg}; {model}.{happened}")
    return Markdown("\n".join(lines) if lines else "*No strategy comparison is available yet.*")


_QUAL_MONTH = {"early": 2, "first half": 4, "mid": 7, "second half": 10, "late": 11}


def _decimal_year(date: str, qualifier: str = "") -> float:
    parts = [int(p) for p in str(date).split("-")]
    y, m, d = (parts + [None, None])[:3]
    m = m or _QUAL_MONTH.get(str(qualifier), 7)
    return y + (m - 1) / 12 + ((d or 15) - 1) / 365


def plot_timeline(tl: pd.DataFrame, ax: Any = None) -> Any:
    """Dot chart of the dated events: one row per event, coloured by kind.

    Filled markers are absolute dates, hollow ones relative dates (今年,
    N年前); the marker shape gives the precision (circle = day, square =
    month, diamond = year).  Call :func:`analysis.report.style.set_style` first.

    Parameters
    ----------
    tl : pandas.DataFrame
        The ``timeline`` artefact (not empty).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the timeline is empty.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if tl.empty:
        raise ValueError("the timeline is empty: nothing to plot")
    tl = tl.assign(_x=[_decimal_year(d, q) for d, q in zip(tl["date"], tl["qualifier"], strict=True)])
    firsts = tl.groupby("event_id")["_x"].min()
    order = sorted(firsts.index, key=lambda e: (firsts[e], e))
    labels = []
    for e in order:
        text = re.sub(r"\s*\(.*?\)", "", str(tl.loc[tl["event_id"] == e, "event"].iloc[0]))
        labels.append(text if len(text) <= 58 else text[:55] + "…")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.3 * len(order) + 1.4))
    kinds = sorted(tl["kind"].unique())
    colors = {k: plt.get_cmap("tab10")(i % 10) for i, k in enumerate(kinds)}
    shapes = {"day": "o", "month": "s", "year": "D"}
    relative = tl["relative"].astype(str).str.lower() == "true"
    for (kind, prec, rel), sub in tl.assign(_rel=relative).groupby(["kind", "precision", "_rel"], sort=True):
        ax.scatter(sub["_x"], [order.index(e) for e in sub["event_id"]],
                   marker=shapes.get(prec, "o"), s=42, facecolors="none" if rel else colors[kind],
                   edgecolors=colors[kind], zorder=3)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("年份 year")
    ax.set_title("时间线 Timeline of the events the articles date")
    handles = [Line2D([], [], marker="o", linestyle="", color=colors[k], label=k) for k in kinds]
    handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none", color="grey",
                          label="relative date"))
    ax.legend(handles=handles, fontsize=7, loc="lower left")
    return ax

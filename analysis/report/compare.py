"""The comparison chapters' views: tables, figures and the facts their prose quotes.

Rendering only: every function takes the frames of the ``compare`` stage (see
:mod:`analysis.catalog`) and returns markup, a figure or a dict of numbers for
``glue``.  Article text is escaped on the way out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from analysis.compare.tables import _CJK, _feature_columns, _short, date_mentions, load_features
from analysis.extract.ids import source_href, split_claim_id


def _words(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def product_facts(t: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Numbers for the prose of the products chapter (glued, never typed)."""
    m, c, au = t["features"], t["feature_cells"], t["authors"]
    feats = [f for f, _ in _feature_columns(load_features())]
    filled = (m[feats].astype(str) != "").sum(axis=1)
    stance = au[au["overall_stance"].astype(str) != ""]
    return {
        "n_products": len(m),
        "n_products_described": int((filled > 0).sum()),
        "n_products_blank": int((filled == 0).sum()),
        "n_features": len(feats),
        "n_filled_cells": int(filled.sum()),
        "n_cell_sources": int(c["claim_id"].nunique()),
        "n_no_cells": int((c["status"] == "no").sum()),
        "n_proposed_cells": int((c["status"] == "proposed").sum()),
        "n_critical_articles": int((stance["overall_stance"] == "critical").sum()),
        "n_supportive_articles": int((stance["overall_stance"] == "supportive").sum()),
        "n_mixed_articles": int((stance["overall_stance"] == "mixed").sum()),
        "n_articles": len(au),
    }


def timeline_facts(t: dict[str, pd.DataFrame], claims: pd.DataFrame | None = None,
                   corpus: pd.DataFrame | None = None) -> dict[str, Any]:
    """Numbers for the prose of the timeline chapter."""
    tl = t["timeline"]
    rel = tl["relative"].astype(str).str.lower() == "true"
    ext = tl[tl["external_source"].astype(str) != ""]
    mentions = date_mentions(claims, corpus) if claims is not None else pd.DataFrame(columns=["claim_id", "start"])
    matched = set(zip(tl["claim_id"], tl["date_text"], strict=True))
    n_unmatched = sum((c, d) not in matched for c, d in zip(mentions["claim_id"], mentions["date_text"],
                                                          strict=True)) if len(mentions) else 0
    return {
        "n_events": len(tl),
        "n_event_types": int(tl["event_id"].nunique()),
        "n_dated_articles": int(tl["article_id"].nunique()),
        "n_relative": int(rel.sum()),
        "n_day": int((tl["precision"] == "day").sum()),
        "n_month": int((tl["precision"] == "month").sum()),
        "n_year": int((tl["precision"] == "year").sum()),
        "first_date": str(tl["date"].min()) if len(tl) else "",
        "last_date": str(tl["date"].max()) if len(tl) else "",
        "n_external": len(ext),
        "n_external_agree": int((ext["external_agrees"].astype(str).str.lower() == "true").sum()),
        "n_date_mentions": len(mentions),
        "n_unmatched_dates": int(n_unmatched),
    }


def conclusion_facts(t: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Numbers for the prose of the conclusions chapter."""
    sc, scen = t["strategy_comparison"], t["scenarios"]
    num = {k: pd.to_numeric(sc[k], errors="coerce").fillna(0) for k in ("n_supports", "n_criticises")}
    argued = (num["n_supports"] + num["n_criticises"]) > 0
    return {
        "n_strategies": len(sc),
        "n_argued": int(argued.sum()),
        "n_more_support": int((num["n_supports"] > num["n_criticises"]).sum()),
        "n_more_criticism": int((num["n_criticises"] > num["n_supports"]).sum()),
        "n_contested": int(((num["n_supports"] > 0) & (num["n_criticises"] > 0)).sum()),
        "n_with_outcome": int((sc["actual_outcome"].astype(str) != "").sum()),
        "n_with_verdict": int((sc["model_verdict"].astype(str) != "").sum()),
        "n_scenarios": len(scen),
        "n_models": int(scen["model"].nunique()) if len(scen) else 0,
        "scenarios_status": "available" if len(scen) else "not yet available",
    }


# ---------------------------------------------------------------------------
# rendering for the chapters
# ---------------------------------------------------------------------------
def _html_table(head: Sequence[str], body: Iterable[Sequence[str]], n_rows: int):
    from analysis.report.tables import HTMLTable

    out = ['<table class="sortable-table table">',
           "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in body]
    out.append("</tbody></table>")
    return HTMLTable("\n".join(out), n_rows, len(head))


def _link(cid: str, prefix: str = "") -> str:
    aid, n = split_claim_id(cid)
    href = html.escape(source_href(cid, prefix=prefix), quote=True)
    return f'<a href="{href}" title="source sentence">{html.escape(_short(aid))}:{n}</a>'


def _zh(text: str) -> str:
    return f'<span lang="zh">{html.escape(str(text))}</span>'


def features_html(matrix: pd.DataFrame, cells: pd.DataFrame, *, prefix: str = "", lex: dict[str, Any] | None = None):
    """The feature matrix as a sortable HTML table, each filled cell linking to its sources.

    Returns
    -------
    analysis.htmltable.HTMLTable
    """
    lex = lex or load_features()
    cols = _feature_columns(lex)
    body = []
    for _, r in matrix.iterrows():
        row = [html.escape(str(r["product"])), _zh(r["product_zh"])]
        for fid, _ in cols:
            value = "" if pd.isna(r[fid]) else str(r[fid])
            if not value:
                row.append("")
                continue
            cids = sorted(set(cells.loc[(cells["product_id"] == r["product_id"]) & (cells["feature_id"] == fid),
                                        "claim_id"]), key=split_claim_id)
            links = " ".join(_link(c, prefix) for c in cids)
            text = _zh(value) if _CJK.search(value) else html.escape(value)
            row.append(f"{text} <small>[{links}]</small>")
        body.append(row)
    return _html_table(["Product", "中文"] + [n for _, n in cols], body, len(matrix))


def timeline_html(tl: pd.DataFrame, *, prefix: str = ""):
    """The timeline as a sortable HTML table with source links and the Chinese sentence."""
    body = []
    for _, r in tl.iterrows():
        date = html.escape(str(r["date"])) + (" *" if str(r["relative"]) in ("True", "true") else "")
        ext = "" if pd.isna(r["external_source"]) or not str(r["external_source"]) else html.escape(
            f"{r['external_date']}: {r['external_source']}")
        body.append([date, html.escape(str(r["precision"])), html.escape(str(r["event"])),
                     _zh(r["date_text"]), _zh(r["sentence"]), _link(str(r["claim_id"]), prefix), ext])
    return _html_table(["Date", "Precision", "Event", "As written", "Sentence", "Source", "External source"],
                       body, len(tl))


def _source_links(sources: str, prefix: str = "") -> str:
    parts = []
    for s in filter(None, str(sources).split(";")):
        if s.startswith("external:"):
            parts.append("external data: " + html.escape(s.removeprefix("external:").replace("|", ", ")))
        else:
            parts.append(_link(s, prefix))
    return " ".join(parts)


def strategies_html(sc: pd.DataFrame, *, prefix: str = ""):
    """The strategy comparison as a sortable HTML table."""
    body = []
    for _, r in sc.iterrows():
        cell = {k: "" if pd.isna(r[k]) else html.escape(str(r[k])) for k in sc.columns}
        body.append([cell["strategy"], cell["supports"], cell["criticises"], cell["reports"],
                     cell["model_verdict"] or "<em>not yet available</em>",
                     cell["actual_outcome"] or "<em>not known from the sources</em>",
                     _source_links(cell["outcome_sources"], prefix)])
    return _html_table(["Strategy", "Supported by", "Criticised by", "Reported by", "Model verdict",
                        "What happened", "Sources"], body, len(sc))


def authors_html(au: pd.DataFrame):
    """The author comparison as a sortable HTML table (titles escaped)."""
    shown = ["article_id", "title", "author", "date", "reference_year", "n_claims", "n_recommendation",
             "n_prediction", "n_causal", "n_fact", "share_criticising", "overall_stance", "top_themes"]
    body = []
    for _, r in au.iterrows():
        body.append([_zh(r[c]) if c == "title" else html.escape("" if pd.isna(r[c]) else str(r[c])) for c in shown])
    return _html_table(shown, body, len(au))


def glossary_html(gl: pd.DataFrame):
    """The glossary as a sortable HTML table."""
    body = [[_zh(r["term"]), html.escape(r["pinyin"]), html.escape(r["english"]), html.escape(r["kind"]),
             html.escape(r["strategies"])] for _, r in gl.iterrows()]
    return _html_table(["Term", "Pinyin", "English", "Kind", "Seed of strategies"], body, len(gl))


class _Markdown:
    """Markdown text that Jupyter renders, with a stable plain-text repr."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", str(text))


def verdicts_markdown(sc: pd.DataFrame, *, prefix: str = "") -> _Markdown:
    """One hedged bullet per strategy that some article argues or has a known outcome.

    Every statement is generated from ``strategy_comparison.csv``: the
    articles for and against, the models' verdict (or that it is not yet
    available) and the known outcome with its sources.
    """
    lines = []
    for _, r in sc.iterrows():
        sup = "" if pd.isna(r["supports"]) else str(r["supports"])
        crit = "" if pd.isna(r["criticises"]) else str(r["criticises"])
        out = "" if pd.isna(r["actual_outcome"]) else str(r["actual_outcome"])
        if not (sup or crit or out):
            continue
        n_sup, n_crit = len([x for x in sup.split("; ") if x]), len([x for x in crit.split("; ") if x])
        arg = (f"argued for by {n_sup} article{'s' * (n_sup != 1)}"
               + (f" ({sup})" if sup else "") + f" and criticised by {n_crit}" + (f" ({crit})" if crit else ""))
        verdict = "" if pd.isna(r["model_verdict"]) else str(r["model_verdict"])
        model = (f"model verdict, under its stated assumptions: {_md_escape(verdict.rstrip('.'))}" if verdict
                 else "the model verdict is not yet available")
        links = []
        for s in filter(None, ("" if pd.isna(r["outcome_sources"]) else str(r["outcome_sources"])).split(";")):
            if s.startswith("external:"):
                links.append("external data: " + _md_escape(s.removeprefix("external:").replace("|", ", ")))
            else:
                aid, n = split_claim_id(s)
                links.append(f"[{_short(aid)}:{n}]({source_href(s, prefix=prefix)})")
        happened = (f" What happened, as far as the sources tell: {_md_escape(out.rstrip('.'))}"
                    f" (sources: {', '.join(links)})." if out else " What happened is not known from the sources.")
        lines.append(f"- **{_md_escape(r['strategy'])}**: {arg}; {model}.{happened}")
    return _Markdown("\n".join(lines) if lines else "*No strategy comparison is available yet.*")


_QUAL_MONTH = {"early": 2, "first half": 4, "mid": 7, "second half": 10, "late": 11}


def _decimal_year(date: str, qualifier: str = "") -> float:
    parts = [int(p) for p in str(date).split("-")]
    y, m, d = (parts + [None, None])[:3]
    m = m or _QUAL_MONTH.get(str(qualifier), 7)
    return y + (m - 1) / 12 + ((d or 15) - 1) / 365


def plot_timeline(tl: pd.DataFrame, ax=None):
    """Dot chart of the dated events: one row per event, coloured by kind.

    Filled markers are absolute dates, hollow ones relative dates (今年,
    N年前); the marker shape gives the precision (circle = day, square =
    month, diamond = year).  Call :func:`analysis.plotting.set_style` first.

    Returns
    -------
    matplotlib.axes.Axes
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


def as_image(fig):
    """Render a matplotlib figure to a PNG image output and close it.

    Chapters end a figure cell with this so the image is stored whatever the
    matplotlib backend (under ``MPLBACKEND=Agg`` nothing is shown otherwise),
    exactly once, with a stable plain-text repr.

    Returns
    -------
    IPython.display.Image
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return Image(data=buf.getvalue(), format="png")

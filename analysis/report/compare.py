"""The comparison chapters' views: the product matrix and figures, the timeline, the strategy, author and verdict tables.

Rendering only: every function takes frames of the ``compare`` stage (see
:mod:`analysis.catalog`) and returns a table (:func:`analysis.report.tables.html_table`)
or a figure.  Tables speak to a reader who does not read Chinese: strategies
by their English names, articles by their short English labels, every Chinese
quote followed by its English (:mod:`analysis.report.quotes`).  Article text
is escaped on the way out; links to a source sentence are built from
:func:`analysis.extract.ids.source_href`.  The numbers that the chapters'
prose quotes are in :mod:`analysis.report.facts`.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.compare.products import DERIVED
from analysis.extract.ids import article_page, split_claim_id
from analysis.report.display import HTMLTable
from analysis.report.escape import esc, link
from analysis.report.overview import date_words, format_date
from analysis.report.quotes import (
    article_label,
    figure_en,
    has_cjk,
    quote_html,
    sentence_html,
    short_id,
    source_link,
    strategy_names,
)
from analysis.report.tables import html_table

__all__ = [
    "feature_columns",
    "features_html",
    "figures_html",
    "passing_products",
    "timeline_html",
    "strategies_html",
    "authors_html",
    "articles_legend",
    "verdicts_table",
    "verdict_words",
    "decimal_year",
    "plot_timeline",
]

#: The cell statuses of the product matrix, in the order a cell lists them.
_STATUS_ORDER = {"yes": 0, "no": 1, "proposed": 2}


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


def _article_link(article_id: str, notes: dict[str, Any] | None = None) -> str:
    """``003``, linking to the article's page, with its English title as the tooltip."""
    return link(article_page(article_id), short_id(article_id), title=article_label(article_id, notes))


def _cue_features(matrix: pd.DataFrame, lex: dict[str, Any] | None) -> list[tuple[str, str]]:
    derived = {f for f, _ in DERIVED}
    return [(f, n) for f, n in feature_columns(lex) if f not in derived and f in matrix.columns]


def passing_products(matrix: pd.DataFrame, *, lex: dict[str, Any] | None = None) -> list[str]:
    """The products that the articles only name in passing (no feature, no launch date, no user figure).

    Parameters
    ----------
    matrix : pandas.DataFrame
        The ``features`` artefact.
    lex : dict, optional
        The features lexicon.

    Returns
    -------
    list of str
        English names, in the matrix's order.
    """
    cols = [f for f, _ in feature_columns(lex) if f in matrix.columns]
    filled = (matrix[cols].fillna("").astype(str) != "").any(axis=1)
    return list(matrix.loc[~filled, "product"])


def features_html(matrix: pd.DataFrame, cells: pd.DataFrame, *, prefix: str = "",
                  lex: dict[str, Any] | None = None) -> HTMLTable:
    """The feature × product matrix, compact: only the products and features that some article describes.

    One row per feature, one column per product (English name, then Chinese).
    A cell lists the statuses the articles give (*yes*, *no*, *proposed*), each
    with the sentences it comes from as small links.  Products with no
    feature, and features that no product has, are left out (see
    :func:`passing_products`); launch dates and user figures are in
    :func:`figures_html`.

    Parameters
    ----------
    matrix : pandas.DataFrame
        The ``features`` artefact.
    cells : pandas.DataFrame
        The ``feature_cells`` artefact (the source of every filled cell).
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.
    lex : dict, optional
        The features lexicon (for the feature names).

    Returns
    -------
    HTMLTable
    """
    cols = _cue_features(matrix, lex)
    filled = matrix[[f for f, _ in cols]].fillna("").astype(str) != ""
    cols = [(f, n) for f, n in cols if filled[f].any()]
    products = matrix[filled.any(axis=1)]
    by_cell = {k: g for k, g in cells.groupby(["product_id", "feature_id"], sort=True)}

    def cell(pid: str, fid: str) -> str:
        g = by_cell.get((pid, fid))
        if g is None:
            return ""
        parts = []
        for status, sg in sorted(g.groupby("status"), key=lambda t: _STATUS_ORDER.get(t[0], 9)):
            ids = sorted(set(sg["claim_id"]), key=split_claim_id)
            parts.append(f"{esc(status)} <small>{' '.join(source_link(c, prefix) for c in ids)}</small>")
        return "<br>".join(parts)

    shown = pd.DataFrame({"feature": [n for _, n in cols]})
    labels = {"feature": "Feature"}
    for pid, name, zh in zip(products["product_id"], products["product"], products["product_zh"], strict=True):
        shown[pid] = [cell(pid, f) for f, _ in cols]
        labels[pid] = f"{name} ({zh})" if has_cjk(zh) else name
    return html_table(shown, markup=list(products["product_id"]), labels=labels, sortable=False,
                      css_class="table feature-matrix")


def figures_html(cells: pd.DataFrame, matrix: pd.DataFrame, numbers: pd.DataFrame | None = None, *,
                 prefix: str = "") -> HTMLTable:
    """Launch dates and user figures of each product, each with the Chinese as quoted and its English.

    Parameters
    ----------
    cells : pandas.DataFrame
        The ``feature_cells`` artefact (rows of ``launch_date`` and ``user_figures``).
    matrix : pandas.DataFrame
        The ``features`` artefact (product names and order).
    numbers : pandas.DataFrame, optional
        The ``numbers`` artefact: a user figure is read with its hedge (超过1000万, "more than 10
        million"); without it, the figure's value is shown as the comparison tables state it.
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.

    Returns
    -------
    HTMLTable
        One row per product with a launch date or a user figure.
    """
    derived = cells[cells["feature_id"].isin([f for f, _ in DERIVED])].copy()
    hedged = {}
    if numbers is not None:
        for r in numbers.itertuples():
            hedged.setdefault((r.article_id, r.quote), figure_en(r.value, r.unit, r.hedge, r.quote))
    rows = []
    for pid, name in zip(matrix["product_id"], matrix["product"], strict=True):
        d = derived[derived["product_id"] == pid]
        if d.empty:
            continue
        cell = {}
        for fid, _ in DERIVED:
            items = []
            for _, r in d[d["feature_id"] == fid].sort_values("claim_id", key=lambda c: c.map(split_claim_id)).iterrows():
                value = _text(r["value"])
                if fid == "user_figures":
                    english = hedged.get((r["article_id"], r["cue"])) or re.sub(r"\s*\([^()]*\)\s*$", "", value)
                else:
                    english = format_date(value.split(" ")[0]) + (" (relative date)" if "relative" in value else "")
                tag = " <em>(proposed)</em>" if r["status"] == "proposed" else ""
                items.append(quote_html(r["cue"], english,
                                        f"{tag} <small>{source_link(str(r['claim_id']), prefix)}</small>"))
            cell[fid] = "".join(items)
        rows.append({"product": name, **cell})
    df = pd.DataFrame(rows, columns=["product", *[f for f, _ in DERIVED]])
    return html_table(df, markup=[f for f, _ in DERIVED], widths={f: "medium" for f, _ in DERIVED},
                      labels={"product": "Product", "launch_date": "Launch date (as written, then in English)",
                              "user_figures": "User figures (as quoted, then in English)"})


def _date_as_written(row: Any) -> str:
    """The date exactly as the article writes it, followed by what it resolves to, in English."""
    words = format_date(str(row["date"]))
    qualifier = _text(row["qualifier"])
    until = re.fullmatch(r"until day (\d+)", qualifier)
    if until and str(row["precision"]) == "day":
        day, month, year = words.split(" ")
        words = f"{day}–{until.group(1)} {month} {year}"
    elif qualifier:
        words = f"{qualifier} {words}"
    if str(row["relative"]).lower() == "true":
        words += " (relative to when the article was written)"
    erratum = _text(row.get("erratum"))
    if erratum:
        printed = format_date(erratum.split(",")[0].removeprefix("printed as "))
        return quote_html(row["date_text"], f"printed as {printed}",
                          '<small class="erratum">† corrected (see <a href="#timeline-errata">corrected dates</a>)'
                          '</small>')
    return quote_html(row["date_text"], words)


def timeline_html(tl: pd.DataFrame, *, prefix: str = "") -> HTMLTable:
    """The timeline as a table: date, event, the date as written, the sentence with its English, source.

    Parameters
    ----------
    tl : pandas.DataFrame
        The ``timeline`` artefact.
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.

    Returns
    -------
    HTMLTable
        Relative dates (今年, 4年前) are marked with an asterisk, corrected ones (``erratum``) with a
        dagger, the date as printed, and a link to the ``timeline-errata`` section that explains them.
    """
    relative = tl["relative"].astype(str).str.lower() == "true"
    errata = tl["erratum"].fillna("").astype(str) if "erratum" in tl else pd.Series("", index=tl.index)
    dates = [f"{esc(_text(d))}{' *' if r else ''}{' †' if e else ''}"
             for d, r, e in zip(tl["date"], relative, errata, strict=True)]
    events = []
    for ev, d, src, agrees in zip(tl["event"], tl["external_date"], tl["external_source"], tl["external_agrees"],
                                  strict=True):
        check = (f"<br><small>external: {esc(src)}, {esc(d)} ({'agrees' if str(agrees).lower() == 'true' else 'differs'})"
                 "</small>" if _text(src) else "")
        events.append(esc(ev) + check)
    shown = pd.DataFrame({
        "date": [f"<strong>{d}</strong>{_date_as_written(r)}" for d, (_, r) in zip(dates, tl.iterrows(), strict=True)],
        "event": events,
        "sentence": [sentence_html(str(c), s, mark=str(m), link=True, prefix=prefix)
                     for c, s, m in zip(tl["claim_id"], tl["sentence"], tl["date_text"], strict=True)],
    })
    return html_table(shown, markup=["date", "event", "sentence"], widths={"sentence": "wide"},
                      labels={"date": "Date (then as written)", "event": "Event",
                              "sentence": "Sentence (Chinese, then English)"})


def _source_links(sources: str, prefix: str = "") -> str:
    """Links for ``outcome_sources`` (claim ids, or ``external:`` figures shown as text)."""
    parts = []
    for s in filter(None, _text(sources).split(";")):
        if s.startswith("external:"):
            entity, metric, period = (s.removeprefix("external:").split("|") + ["", ""])[:3]
            parts.append(esc(f"{entity} {metric} ({format_date(period)}, external data)"))
        else:
            parts.append(source_link(s, prefix))
    return " ".join(parts)


def _articles(cell: object, notes: dict[str, Any]) -> str:
    """``"002; 003"`` (short ids) as links with the English titles as tooltips."""
    ids = {short_id(a): a for a in notes}
    return ", ".join(_article_link(ids.get(x, x), notes) for x in filter(None, _text(cell).split("; ")))


_MODEL_WORDS = {"competition": "two-platform model", "cascade": "cascade model", "gbm": "generalized Bass model"}
_OUTCOME_WORDS = {"fade": "fades", "niche": "holds a niche", "not modelled": "outside the models"}


def verdict_words(model_outcome: object, robustness: float | None = None) -> str:
    """A model verdict in a few words: ``"fades (two-platform model; 88% of runs agree)"``.

    Parameters
    ----------
    model_outcome : object
        ``strategy_comparison.model_outcome`` (``"competition: fade"``).
    robustness : float, optional
        The share of the sensitivity runs that keep the outcome.

    Returns
    -------
    str
        ``"outside the models"`` for a strategy no model covers, ``"not yet modelled"`` when empty.
    """
    text = _text(model_outcome)
    if not text:
        return "not yet modelled"
    model, _, outcome = text.partition(": ")
    words = _OUTCOME_WORDS.get(outcome, outcome)
    if model == "none" or model not in _MODEL_WORDS:
        return words
    extra = [_MODEL_WORDS[model]]
    if robustness is not None and not pd.isna(robustness):
        extra.append("robust to every assumption tried" if robustness >= 1 else
                     f"{100 * robustness:.0f}% of runs agree")
    return f"{words} ({'; '.join(extra)})"


def _verdict_html(model_outcome: object, robustness: float | None = None) -> str:
    """:func:`verdict_words` as HTML: the verdict, then the model and its robustness in small type."""
    text = verdict_words(model_outcome, robustness)
    head, _, rest = text.partition(" (")
    return esc(head) + (f"<br><small>{esc(rest.removesuffix(')'))}</small>" if rest else "")


def _robustness(sens: pd.DataFrame | None) -> dict[str, float]:
    if sens is None or sens.empty:
        return {}
    alt = sens[sens["level"] != "base"]
    return alt.groupby("strategy_id")["same_outcome"].mean().to_dict()


def strategies_html(sc: pd.DataFrame, *, sens: pd.DataFrame | None = None, prefix: str = "") -> HTMLTable:
    """The strategy comparison: English names, the articles for, against and reporting, verdict and outcome.

    Parameters
    ----------
    sc : pandas.DataFrame
        The ``strategy_comparison`` artefact.
    sens : pandas.DataFrame, optional
        The ``sensitivity`` artefact (how robust each verdict is).
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.

    Returns
    -------
    HTMLTable
    """
    notes, names, rob = lexicon.articles(), strategy_names(), _robustness(sens)
    shown = pd.DataFrame({
        "strategy": [names.get(s, s) for s in sc["strategy_id"]],
        "supports": [_articles(v, notes) for v in sc["supports"]],
        "criticises": [_articles(v, notes) for v in sc["criticises"]],
        "reports": [_articles(v, notes) for v in sc["reports"]],
        "verdict": [_verdict_html(m, rob.get(s)) for m, s in zip(sc["model_outcome"], sc["strategy_id"],
                                                                  strict=True)],
        "outcome": [(esc(o) + (f" <small>{_source_links(src, prefix)}</small>" if _text(src) else ""))
                    if _text(o) else "<em>not known from the sources</em>"
                    for o, src in zip(sc["actual_outcome"], sc["outcome_sources"], strict=True)],
    })
    return html_table(shown, markup=["supports", "criticises", "reports", "verdict", "outcome"],
                      widths={"strategy": "medium", "verdict": "medium", "outcome": "wide"},
                      labels={"strategy": "Strategy", "supports": "Supported by", "criticises": "Criticised by",
                              "reports": "Only reported by", "verdict": "Model verdict",
                              "outcome": "What happened (sources)"})


def authors_html(au: pd.DataFrame) -> HTMLTable:
    """The author comparison: each article's date, sentence types, stance balance and top themes.

    Parameters
    ----------
    au : pandas.DataFrame
        The ``authors`` artefact.

    Returns
    -------
    HTMLTable
        Articles by their short English labels, dates from the date model
        (:func:`analysis.lexicon.articles`), the share criticising as a percentage.
    """
    notes = lexicon.articles()
    written = [date_words(notes.get(a, {}).get("dates", {}).get("written")) or "unknown" for a in au["article_id"]]
    kinds = (("n_recommendation", "recommendation"), ("n_prediction", "prediction"), ("n_causal", "causal"),
             ("n_fact", "fact"))
    types = ["<br>".join(f"{int(r[c])} {w}{'s' if int(r[c]) != 1 and w != 'causal' else ''}"
                         for c, w in kinds if c in au) for _, r in au.iterrows()]
    shown = pd.DataFrame({
        "article": [article_label(a, notes) for a in au["article_id"]],
        "href": [article_page(a) for a in au["article_id"]],
        "written": written,
        "reference_year": au["reference_year"],
        "n_claims": au["n_claims"],
        "types": types,
        "share": [f"{100 * float(v):.0f}%" if _text(v) else "" for v in au["share_criticising"]],
        "stance": au["overall_stance"].fillna(""),
        "themes": au["top_themes"].fillna(""),
    })
    return html_table(shown, links={"article": "href"}, markup=["types"],
                      widths={"article": "medium", "themes": "wide"},
                      labels={"article": "Article", "written": "Written", "reference_year": "Reference year",
                              "n_claims": "Sentences", "types": "Of which", "share": "Criticising",
                              "stance": "Overall stance", "themes": "Top themes (sentences)"})


def articles_legend(article_ids: Any = None) -> HTMLTable:
    """The articles' numbers and short English titles, for tables that cite articles by number.

    Parameters
    ----------
    article_ids : iterable of str, optional
        Default: every article of :func:`analysis.lexicon.articles`.

    Returns
    -------
    HTMLTable
    """
    notes = lexicon.articles()
    ids = sorted(notes if article_ids is None else article_ids)
    df = pd.DataFrame({"article": [short_id(a) for a in ids], "href": [article_page(a) for a in ids],
                       "title": [notes.get(a, {}).get("title_en", "") for a in ids],
                       "written": [date_words(notes.get(a, {}).get("dates", {}).get("written")) or "unknown"
                                   for a in ids]})
    return html_table(df, links={"article": "href"}, sortable=False,
                      labels={"article": "Article", "title": "English title", "written": "Written"})


def verdicts_table(sc: pd.DataFrame, *, sens: pd.DataFrame | None = None, prefix: str = "") -> HTMLTable:
    """Every strategy in one compact line: articles for and against, model verdict, what happened.

    Strategies with a known outcome come first, then the most argued ones.

    Parameters
    ----------
    sc : pandas.DataFrame
        The ``strategy_comparison`` artefact.
    sens : pandas.DataFrame, optional
        The ``sensitivity`` artefact (how robust each verdict is).
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.

    Returns
    -------
    HTMLTable
    """
    notes, names, rob = lexicon.articles(), strategy_names(), _robustness(sens)
    known = sc["actual_outcome"].fillna("").astype(str) != ""
    order = sc.assign(_known=known, _n=sc["n_supports"] + sc["n_criticises"]).sort_values(
        ["_known", "_n", "strategy_id"], ascending=[False, False, True], kind="stable")
    shown = pd.DataFrame({
        "strategy": [names.get(s, s) for s in order["strategy_id"]],
        "for": [_articles(v, notes) or "—" for v in order["supports"]],
        "against": [_articles(v, notes) or "—" for v in order["criticises"]],
        "verdict": [_verdict_html(m, rob.get(s)) for m, s in zip(order["model_outcome"], order["strategy_id"],
                                                                  strict=True)],
        "happened": [(esc(o) + (f" <small>{_source_links(src, prefix)}</small>" if _text(src) else ""))
                     if _text(o) else "<em>not recorded</em>"
                     for o, src in zip(order["actual_outcome"], order["outcome_sources"], strict=True)],
    })
    return html_table(shown, markup=["for", "against", "verdict", "happened"],
                      widths={"strategy": "medium", "verdict": "medium", "happened": "wide"},
                      labels={"strategy": "Strategy", "for": "Articles for", "against": "Articles against",
                              "verdict": "Model verdict", "happened": "What happened"})


_QUAL_MONTH = {"early": 2, "first half": 4, "mid": 7, "second half": 10, "late": 11}


def decimal_year(date: str, qualifier: str = "") -> float:
    """A timeline date (with its qualifier: early, mid, late...) as a decimal year, for plotting and sorting."""
    parts = [int(p) for p in str(date).split("-")]
    y, m, d = (parts + [None, None])[:3]
    m = m or _QUAL_MONTH.get(str(qualifier), 7)
    return y + (m - 1) / 12 + ((d or 15) - 1) / 365


def plot_timeline(tl: pd.DataFrame, ax: Any = None) -> Any:
    """Dot chart of the dated events: one row per event, coloured by kind, labelled in English.

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
    tl = tl.assign(_x=[decimal_year(d, q) for d, q in zip(tl["date"], tl["qualifier"].fillna(""), strict=True)])
    firsts = tl.groupby("event_id")["_x"].min()
    order = sorted(firsts.index, key=lambda e: (firsts[e], e))
    labels = []
    for e in order:
        text = re.sub(r"\s*\(.*?\)", "", str(tl.loc[tl["event_id"] == e, "event"].iloc[0]))
        labels.append(text if len(text) <= 50 else text[:48] + "…")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.6, 0.3 * len(order) + 2.2))
    kinds = sorted(tl["kind"].unique())
    colors = {k: plt.get_cmap("tab10")(i % 10) for i, k in enumerate(kinds)}
    shapes = {"day": "o", "month": "s", "year": "D"}
    relative = tl["relative"].astype(str).str.lower() == "true"
    for (kind, prec, rel), sub in tl.assign(_rel=relative).groupby(["kind", "precision", "_rel"], sort=True):
        ax.scatter(sub["_x"], [order.index(e) for e in sub["event_id"]],
                   marker=shapes.get(prec, "o"), s=46, facecolors="none" if rel else colors[kind],
                   edgecolors=colors[kind], zorder=3)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels(labels, fontsize=10)
    ax.invert_yaxis()
    ax.set_xlabel("year")
    ax.set_title("The events the articles date")
    handles = [Line2D([], [], marker="o", linestyle="", color=colors[k], label=k) for k in kinds]
    handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none", color="grey",
                          label="relative date"))
    handles += [Line2D([], [], marker=m, linestyle="", color="grey", label=f"dated to the {p}")
                for p, m in shapes.items()]
    ax.legend(handles=handles, fontsize=9, loc="upper center", bbox_to_anchor=(0.35, -0.04 - 1.5 / len(order)),
              ncol=3, frameon=False)
    return ax

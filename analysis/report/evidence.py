"""The evidence pages: the claims explorer and the figures table, every Chinese sentence with its English.

``book/evidence/claims.ipynb`` shows :func:`claims_explorer`: every sentence of
the corpus, in Chinese with its reviewed English beneath, its claim type, the
strategies it touches (by their English names), its article, and a link to
the sentence on its article page; select boxes filter by article, type and
strategy (``book/_static/tables.js``), beside the text filter.

``book/evidence/figures.ipynb`` shows :func:`figures_table`: every figure the
articles quote (``numbers.csv``), with how it reads in English, its value,
unit, subject and hedge, and the sentence it comes from, in Chinese (the
figure highlighted) and in English, linked to its article page.

Rendering only: every table goes through :func:`analysis.report.tables.html_table`,
and every piece of text is escaped (:mod:`analysis.report.escape`).
"""

from __future__ import annotations

import bisect

import pandas as pd

from analysis import lexicon
from analysis.checks.intervals import hedge_kind
from analysis.extract.ids import article_page, source_href, split_claim_id
from analysis.report.display import HTMLTable
from analysis.report.escape import link, zh_quote
from analysis.report.quotes import article_label, figure_html
from analysis.report.tables import html_table
from analysis.report.translations import sentence_translations

__all__ = ["HEDGE_LABELS", "TYPE_LABELS", "sentence_link", "claims_explorer", "figure_sentences",
           "figures_table", "evidence_facts"]

#: What each claim type means, for the explorer's legend (keys are the ``type`` values of ``claims.csv``).
TYPE_LABELS = {
    "recommendation": "what Alibaba should (not) do",
    "prediction": "what will happen",
    "causal": "why something happened",
    "fact": "a checkable statement of fact",
    "other": "anything else (narrative, opinion, questions)",
}

#: How each hedge kind of :func:`analysis.checks.intervals.hedge_kind` reads.
HEDGE_LABELS = {
    "exact": "exact",
    "approx": "approximate",
    "several": "vague",
    "lower": "lower bound",
    "upper": "upper bound",
}


def sentence_link(claim_id: str, prefix: str = "../") -> str:
    """``000:12``, linking to sentence 12 on the page of article 000 (HTML).

    Parameters
    ----------
    claim_id : str
    prefix : str, default "../"
        From the page that shows the link to the book's folder (``../`` from ``book/evidence/``).

    Returns
    -------
    str
    """
    aid, n = split_claim_id(claim_id)
    return link(source_href(claim_id, prefix=prefix), f"{aid.split('_', 1)[0]}:{n}",
                title="the sentence on its article page", css_class="sentence-link")


def _strategy_names() -> dict[str, str]:
    return {s["id"]: s["name"] for s in lexicon.strategies()}


def claims_explorer(claims: pd.DataFrame, *, prefix: str = "../") -> HTMLTable:
    """Every sentence with its English, type, strategies and article, filterable by each.

    Parameters
    ----------
    claims : pandas.DataFrame
        The ``claims`` artefact.
    prefix : str, default "../"
        From the explorer's page to the book's folder.

    Returns
    -------
    HTMLTable
        Columns: sentence (a link to it), Chinese and English, type,
        strategies (English names), article (``000 · short title``, linking
        to its page); select boxes for type, strategies and article.
    """
    english = sentence_translations(claims)
    names = _strategy_names()
    clean = claims["sentence_clean"].fillna("").astype(str).where(claims["sentence_clean"].fillna("") != "",
                                                                  claims["sentence"].astype(str))
    shown = pd.DataFrame({
        "sentence": [sentence_link(c, prefix) for c in claims["claim_id"]],
        "Chinese, and its English": [zh_quote(zh, en, st) for zh, en, st in
                                     zip(clean, english["en"], english["status"], strict=True)],
        "type": claims["type"].astype(str).tolist(),
        "strategies": [[names.get(t, t) for t in str(v).split(";") if t] for v in claims["themes"].fillna("")],
        "article": [article_label(a) for a in claims["article_id"]],
        "_href": [article_page(a, prefix=prefix) for a in claims["article_id"]],
    })
    return html_table(shown, markup=["sentence", "Chinese, and its English"], links={"article": "_href"},
                      facets=["type", "strategies", "article"], css_class="claims-explorer",
                      widths={"Chinese, and its English": "wide", "strategies": "medium", "article": "medium"})


def figure_sentences(numbers: pd.DataFrame, claims: pd.DataFrame) -> pd.Series:
    """The claim id of the sentence that holds each figure (``""`` when none does).

    A figure belongs to the sentence of its article whose raw span
    ``[start, end)`` contains the figure's start.

    Parameters
    ----------
    numbers : pandas.DataFrame
        The ``numbers`` artefact (``article_id``, ``start``).
    claims : pandas.DataFrame
        The ``claims`` artefact (``claim_id``, ``article_id``, ``start``, ``end``).

    Returns
    -------
    pandas.Series
        Aligned with ``numbers``.
    """
    spans: dict[str, tuple[list[int], list[tuple[int, str]]]] = {}
    for aid, rows in claims.sort_values(["article_id", "start"]).groupby("article_id", sort=True):
        spans[aid] = (rows["start"].astype(int).tolist(),
                      list(zip(rows["end"].astype(int), rows["claim_id"], strict=True)))
    out = []
    for aid, start in zip(numbers["article_id"], numbers["start"].astype(int), strict=True):
        starts, ends = spans.get(aid, ([], []))
        k = bisect.bisect_right(starts, start) - 1
        out.append(ends[k][1] if k >= 0 and start < ends[k][0] else "")
    return pd.Series(out, index=numbers.index, dtype=object)


def _value(v: object) -> str:
    x = float(v)  # type: ignore[arg-type]
    return f"{x:,.0f}" if x.is_integer() else f"{x:,.4g}"


def figures_table(numbers: pd.DataFrame, claims: pd.DataFrame, *, prefix: str = "../") -> HTMLTable:
    """Every quoted figure: how it reads, value, unit, subject, hedge, and its sentence in both languages.

    Parameters
    ----------
    numbers : pandas.DataFrame
        The ``numbers`` artefact.
    claims : pandas.DataFrame
        The ``claims`` artefact (for the sentences and their English).
    prefix : str, default "../"
        From the figures page to the book's folder.

    Returns
    -------
    HTMLTable
        Columns: a link to the sentence (``000:12``), the figure (Chinese,
        and how it reads in English), the sentence (Chinese with the figure
        highlighted, and its English), value, unit, hedge, subject and
        article: what a reader needs first comes first, the rest may scroll.
    """
    english = sentence_translations(claims).set_index("claim_id")
    by_id = claims.set_index("claim_id")
    cids = figure_sentences(numbers, claims)
    sentence_cells, links = [], []
    for cid, start, end in zip(cids, numbers["start"].astype(int), numbers["end"].astype(int), strict=True):
        if not cid:
            sentence_cells.append("")
            links.append("")
            continue
        row = by_id.loc[cid]
        a = start - int(row["start"])
        sentence_cells.append(zh_quote(row["sentence"], english.at[cid, "en"], english.at[cid, "status"],
                                       mark=(a, a + end - start)))
        links.append(sentence_link(cid, prefix))
    shown = pd.DataFrame({
        "source": links,
        "figure": [figure_html(q, v, u, h) for q, v, u, h in
                   zip(numbers["quote"], numbers["value"], numbers["unit"], numbers["hedge"], strict=True)],
        "in the sentence": sentence_cells,
        "value": numbers["value"].astype(float),
        "unit": numbers["unit"].astype(str).tolist(),
        "hedge": [HEDGE_LABELS.get(hedge_kind(h, q), "exact") for h, q in
                  zip(numbers["hedge"], numbers["quote"], strict=True)],
        "subject": numbers["subject"].astype(str).tolist(),
        "article": [article_label(a) for a in numbers["article_id"]],
    })
    return html_table(shown, markup=["figure", "in the sentence", "source"], facets=["article", "unit", "hedge"],
                      formats={"value": _value},
                      css_class="figures-table",
                      widths={"figure": "narrow", "in the sentence": "wide", "subject": "narrow"})


def evidence_facts(claims: pd.DataFrame, numbers: pd.DataFrame) -> dict[str, str]:
    """The numbers that the evidence pages' prose glues.

    Parameters
    ----------
    claims, numbers : pandas.DataFrame
        The ``claims`` and ``numbers`` artefacts.

    Returns
    -------
    dict of str to str
        ``n_sentences``, ``n_articles``, ``n_translated`` (sentences with
        current English), ``n_figures``, ``n_figure_articles``.
    """
    english = sentence_translations(claims)
    return {
        "n_sentences": f"{len(claims):,}",
        "n_articles": f"{claims['article_id'].nunique():,}",
        "n_translated": f"{int((english['status'] == 'current').sum()):,}",
        "n_figures": f"{len(numbers):,}",
        "n_figure_articles": f"{numbers['article_id'].nunique():,}",
    }

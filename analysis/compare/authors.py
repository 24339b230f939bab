"""The author comparison: one row per article, with its date, claim types, stance balance and themes.

For each article of ``corpus.csv``: its date and the year its undated dates
are read against (:func:`analysis.extract.dates.article_reference`), the
number of its claims of each type, the number of strategies it supports,
criticises and reports (``strategy_stance``), and its most frequent themes.
Its *share criticising* is

.. math::

    c = \frac{n_\text{criticises}}{n_\text{supports} + n_\text{criticises}},

the share of the strategies it takes a side on that it criticises; its
overall stance is ``critical`` for :math:`c` above ``critical_above``,
``supportive`` below ``supportive_below``, else ``mixed`` (``""`` when it
takes no side).
"""

from __future__ import annotations

import pandas as pd

from analysis import catalog, lexicon
from analysis.compare.text import claims_text
from analysis.extract.dates import article_reference, find_dates

__all__ = ["AUTHOR_COLUMNS", "author_comparison"]

#: Columns of the author comparison.
AUTHOR_COLUMNS: list[str] = catalog.artefact("authors").column_names
#: The claim types counted per article, in column order.
CLAIM_TYPES: tuple[str, ...] = lexicon.CLAIM_TYPES


def author_comparison(corpus: pd.DataFrame, claims: pd.DataFrame, stance: pd.DataFrame | None = None,
                      strategy_names: dict[str, str] | None = None, *, n_themes: int = 3,
                      critical_above: float = 0.6, supportive_below: float = 0.4) -> pd.DataFrame:
    """One row per article: date, claim types, stance balance and top themes.

    ``share_criticising`` is the share of the strategies an article takes a
    side on (supports or criticises) that it criticises; ``overall_stance``
    is ``critical`` above ``critical_above``, ``supportive`` below
    ``supportive_below``, else ``mixed`` (``""`` when it takes no side).

    Parameters
    ----------
    corpus : pandas.DataFrame
        ``corpus.csv``: ``article_id, title, author, date``.
    claims : pandas.DataFrame
        ``claims.csv``: ``article_id, type, themes`` and the sentence text.
    stance : pandas.DataFrame, optional
        ``strategy_stance.csv``; without it the stance columns are empty.
    strategy_names : dict of str to str, optional
        Strategy id -> name, for the themes column.
    n_themes : int
        Themes listed per article.
    critical_above, supportive_below : float
        Thresholds on the share criticising.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AUTHOR_COLUMNS`, sorted by article id.

    Raises
    ------
    ValueError
        If not ``0 <= supportive_below <= critical_above <= 1``.
    """
    if not 0 <= supportive_below <= critical_above <= 1:
        raise ValueError("need 0 <= supportive_below <= critical_above <= 1")
    names = strategy_names or {}
    texts = claims_text(claims)
    rows = []
    for _, art in corpus.sort_values("article_id").iterrows():
        aid = art["article_id"]
        cl = claims[claims["article_id"] == aid]
        stated = [mm.year for t in texts[claims["article_id"] == aid] for mm in find_dates(str(t))
                  if mm.year is not None]
        date = "" if pd.isna(art.get("date")) else str(art.get("date") or "")
        ref = article_reference(date, stated)
        row = {"article_id": aid, "title": "" if pd.isna(art.get("title")) else str(art.get("title") or ""),
               "author": "" if pd.isna(art.get("author")) else str(art.get("author") or ""), "date": date,
               "reference_year": ref.year if ref.year is not None else pd.NA, "date_basis": ref.basis,
               "n_claims": len(cl)}
        for t in CLAIM_TYPES:
            row[f"n_{t}"] = int((cl["type"] == t).sum())
        if stance is not None:
            st = stance[stance["article_id"] == aid]
            for key in ("supports", "criticises", "reports"):
                row[f"n_{key}"] = int((st["stance"] == key).sum())
            sided = row["n_supports"] + row["n_criticises"]
            share = round(row["n_criticises"] / sided, 3) if sided else pd.NA
            row["share_criticising"] = share
            row["overall_stance"] = ("" if not sided else "critical" if share > critical_above
                                     else "supportive" if share < supportive_below else "mixed")
        else:
            for key in ("n_supports", "n_criticises", "n_reports", "share_criticising"):
                row[key] = pd.NA
            row["overall_stance"] = ""
        counts: dict[str, int] = {}
        for th in cl["themes"].fillna("").astype(str):
            for t in filter(None, th.split(";")):
                counts[t] = counts.get(t, 0) + 1
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n_themes]
        row["top_themes"] = "; ".join(f"{names.get(t, t)} ({n})" for t, n in top)
        rows.append(row)
    return pd.DataFrame(rows, columns=AUTHOR_COLUMNS)

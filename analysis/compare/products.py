r"""The product feature matrix: which product the articles say has (or lacks) which feature.

A cell *(product p, feature f)* is filled by a sentence :math:`s` of
``claims.csv`` when some clause :math:`c \subset s` contains a cue of
:math:`f` and a mention of :math:`p`, and :math:`p` is the mention nearest to
the cue in :math:`c` (:func:`attribute_features`).  Its status is ``no``
under a negation cue, ``proposed`` in a recommendation or prediction (or
under a proposal cue), else ``yes``; an "existing" cue before the cue
(现有的, 已经...) makes it ``yes`` whatever the claim type.  Two derived
columns come from the other tables: ``launch_date`` from the timeline's
launch events, ``user_figures`` from the user figures of ``numbers.csv``
whose subject names the product.

The long form (:func:`feature_cells`, the ``feature_cells`` artefact) keeps
one row per (product, feature, claim, clause) with the cue and the clause as
evidence; the wide form (:func:`feature_matrix`, ``features``) has one row
per product of the lexicon and one column per feature.  An empty cell means
*not stated in the corpus*, never *no*.  Products, features and cues come
from ``data/lexicon/features.yaml`` (:func:`analysis.lexicon.features`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis import catalog, lexicon
from analysis.compare.text import claims_text, format_figure, live_spans, split_clauses, term_spans
from analysis.extract.ids import split_claim_id

__all__ = [
    "STATUSES",
    "PROPOSAL_TYPES",
    "DERIVED",
    "FEATURE_CELL_COLUMNS",
    "find_products",
    "attribute_features",
    "feature_cells",
    "feature_columns",
    "feature_matrix",
]

#: Status of a feature mention, in display order.
STATUSES: tuple[str, ...] = ("yes", "no", "proposed")
#: Claim types whose feature mentions are proposals, not facts.
PROPOSAL_TYPES = frozenset({"recommendation", "prediction"})
#: Derived feature columns (not cue-based): ``(id, name)``.
DERIVED: tuple[tuple[str, str], ...] = (("launch_date", "Launch date"), ("user_figures", "User figures"))
#: Columns of the long-form matrix.
FEATURE_CELL_COLUMNS: list[str] = catalog.artefact("feature_cells").column_names


def find_products(text: str, products: Sequence[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """Product mentions in a text: ``(start, end, product_id)``, sorted by position.

    A mention inside a longer mention (旺旺 inside 阿里旺旺) or inside a
    ``not`` word (来往 inside 往来) does not count.

    Parameters
    ----------
    text : str
    products : sequence of dict
        The ``products`` of :func:`analysis.lexicon.features`.

    Returns
    -------
    list of (int, int, str)
    """
    hits: list[tuple[int, int, str]] = []
    for p in products:
        blocked = [s for w in p.get("not", []) for s in term_spans(text, w)]
        for alias in p["aliases"]:
            for a, b in term_spans(text, alias):
                if not any(x <= a and b <= y for x, y in blocked):
                    hits.append((a, b, p["id"]))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0]), h[2]))
    kept: list[tuple[int, int, str]] = []
    for h in hits:
        if not any(x <= h[0] and h[1] <= y for x, y, _ in kept):
            kept.append(h)
    return kept


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _status(clause: str, product_span: tuple[int, int], cue_span: tuple[int, int], claim_type: str,
            lex: dict[str, Any]) -> str:
    before_cue = clause[: max(cue_span[1], product_span[1])]
    if any(w in before_cue for w in lex["existing"]):
        return "yes"
    if any(w in before_cue for w in lex["negation"]):
        return "no"
    if claim_type in PROPOSAL_TYPES or any(w in clause for w in lex["proposal"]):
        return "proposed"
    return "yes"


def attribute_features(sentence: str, claim_type: str = "other", lex: dict[str, Any] | None = None
                       ) -> list[dict[str, Any]]:
    """Attribute the feature cues of one sentence to the products it names.

    Parameters
    ----------
    sentence : str
        Clean Simplified sentence.
    claim_type : str, default "other"
        The sentence's type in ``claims.csv``; recommendations and
        predictions give the status ``proposed``.
    lex : dict, optional
        :func:`analysis.lexicon.features` output (default: the project lexicon).

    Returns
    -------
    list of dict
        One dict per (product, feature, clause) with keys ``product_id,
        feature_id, status, cue, clause``, in sentence order.  A cue with no
        product in its clause gives nothing.
    """
    lex = lex or lexicon.features()
    out: list[dict[str, Any]] = []
    for a, b in split_clauses(sentence):
        clause = sentence[a:b]
        prods = find_products(clause, lex["products"])
        if not prods:
            continue
        for feat in lex["features"]:
            for ca, cb, cue in live_spans(clause, feat["cues"], feat["not"]):
                pa, pb, pid = min(prods, key=lambda p, s=(ca, cb): (_gap((p[0], p[1]), s), p[0] > s[0], p[0]))
                row = {"product_id": pid, "feature_id": feat["id"], "cue": cue, "clause": clause,
                       "status": _status(clause, (pa, pb), (ca, cb), claim_type, lex)}
                if not any(r["product_id"] == pid and r["feature_id"] == feat["id"] and r["clause"] == clause
                           for r in out):
                    out.append(row)
    return out


def _claim_for_span(claims: pd.DataFrame, article_id: str, start: int) -> str:
    sub = claims[(claims["article_id"] == article_id) & (claims["start"] <= start) & (claims["end"] > start)]
    return str(sub["claim_id"].iloc[0]) if len(sub) else ""


def _user_figure_rows(numbers: pd.DataFrame, claims: pd.DataFrame, lex: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    if numbers is None or numbers.empty:
        return rows
    names = sorted(((p["name"].split(" (")[0], p["id"]) for p in lex["products"]), key=lambda t: -len(t[0]))
    for _, n in numbers.iterrows():
        if str(n["unit"]) not in lex["user_units"] or float(n["value"]) < lex["min_user_figure"]:
            continue
        subject = str(n["subject"])
        pid = next((i for name, i in names if re.match(re.escape(name) + r"(?![A-Za-z])", subject, re.I)), "")
        if not pid:
            continue
        cid = _claim_for_span(claims, str(n["article_id"]), int(n["start"]))
        if not cid:
            continue
        ctype = str(claims.loc[claims["claim_id"] == cid, "type"].iloc[0])
        rows.append({"product_id": pid, "feature_id": "user_figures",
                     "status": "proposed" if ctype in PROPOSAL_TYPES else "yes",
                     "value": format_figure(float(n["value"]), str(n["unit"]), str(n["quote"])),
                     "claim_id": cid, "article_id": str(n["article_id"]), "cue": str(n["quote"]), "clause": subject})
    return rows


def feature_cells(claims: pd.DataFrame, numbers: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
                  lex: dict[str, Any] | None = None) -> pd.DataFrame:
    """Long-form feature matrix: one row per (product, feature, claim, clause).

    Parameters
    ----------
    claims : pandas.DataFrame
        ``claims.csv`` (``claim_id, article_id, sentence, start, end, type``
        and optionally ``sentence_clean``).
    numbers : pandas.DataFrame, optional
        ``numbers.csv``, for the ``user_figures`` column.
    events : pandas.DataFrame, optional
        :func:`timeline` output, for the ``launch_date`` column.
    lex : dict, optional
        :func:`analysis.lexicon.features` output.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FEATURE_CELL_COLUMNS`, sorted.

    Raises
    ------
    ValueError
        If ``claims`` lacks ``claim_id``, ``article_id`` or ``type``.
    """
    lex = lex or lexicon.features()
    for col in ("claim_id", "article_id", "type"):
        if col not in claims.columns:
            raise ValueError(f"claims lack the column {col!r}")
    rows: list[dict[str, Any]] = []
    for cid, aid, ctype, text in zip(claims["claim_id"], claims["article_id"], claims["type"], claims_text(claims),
                                     strict=True):
        for r in attribute_features(str(text), str(ctype), lex):
            rows.append({**r, "value": "", "claim_id": str(cid), "article_id": str(aid)})
    rows += _user_figure_rows(numbers, claims, lex)
    if events is not None and len(events):
        known = {p["id"] for p in lex["products"]}
        for _, e in events[(events["kind"] == "launch") & events["product_id"].isin(known)].iterrows():
            relative = str(e["relative"]).lower() == "true"
            rows.append({"product_id": e["product_id"], "feature_id": "launch_date", "status": "yes",
                         "value": str(e["date"]) + (" (relative date)" if relative else ""), "claim_id": e["claim_id"], "article_id": e["article_id"],
                         "cue": str(e["date_text"]), "clause": str(e["event"])})
    df = pd.DataFrame(rows, columns=FEATURE_CELL_COLUMNS).drop_duplicates()
    order = {p["id"]: i for i, p in enumerate(lex["products"])}
    df["_p"] = df["product_id"].map(order)
    df["_c"] = df["claim_id"].map(lambda c: split_claim_id(c))
    df = df.sort_values(["_p", "feature_id", "_c", "value", "clause"]).drop(columns=["_p", "_c"])
    return df.reset_index(drop=True)


def feature_columns(lex: dict[str, Any]) -> list[tuple[str, str]]:
    """The columns of the wide matrix after the product columns: the cue features, then the derived ones.

    Parameters
    ----------
    lex : dict
        :func:`analysis.lexicon.features` output.

    Returns
    -------
    list of (str, str)
        ``(feature id, name)`` in column order.
    """
    return [(f["id"], f["name"]) for f in lex["features"]] + list(DERIVED)


def feature_matrix(cells: pd.DataFrame, lex: dict[str, Any] | None = None) -> pd.DataFrame:
    """Wide feature matrix: one row per product of the lexicon, one column per feature.

    A cue feature's cell lists the distinct statuses in the order of
    :data:`STATUSES` (``"yes"``, ``"no; proposed"``...); ``launch_date`` and
    ``user_figures`` list their distinct values (a figure from a
    recommendation or prediction is tagged ``[proposed]``).  ``""`` = not
    stated.

    Parameters
    ----------
    cells : pandas.DataFrame
        :func:`feature_cells` output.
    lex : dict, optional
        :func:`analysis.lexicon.features` output (default: the project's).

    Returns
    -------
    pandas.DataFrame
        ``product_id, product, product_zh, n_sources`` and one column per
        feature id, rows in lexicon order.
    """
    lex = lex or lexicon.features()
    rows = []
    for p in lex["products"]:
        sub = cells[cells["product_id"] == p["id"]]
        row = {"product_id": p["id"], "product": p["name"], "product_zh": p["name_zh"],
               "n_sources": int(sub["claim_id"].nunique())}
        for fid, _ in feature_columns(lex):
            fs = sub[sub["feature_id"] == fid]
            if fid in dict(DERIVED):
                vals = {v + (" [proposed]" if s == "proposed" else "") for v, s in zip(fs["value"], fs["status"],
                                                                                        strict=True)}
                row[fid] = "; ".join(sorted(vals))
            else:
                row[fid] = "; ".join(s for s in STATUSES if s in set(fs["status"]))
        rows.append(row)
    return pd.DataFrame(rows, columns=["product_id", "product", "product_zh", "n_sources"]
                        + [f for f, _ in feature_columns(lex)])

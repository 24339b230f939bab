r"""Cross-source conflicts: do two sources give compatible figures for the same quantity?

Input is the figures table ``numbers.csv`` (``article_id, quote, start, end,
value, unit, subject, hedge``; values in base units), the sentences
``claims.csv`` and, optionally, the external figures of
``data/external/external_metrics.csv`` (:mod:`analysis.checks.external`),
compared as one more source.

Each figure is given its canonical quantity (:mod:`analysis.checks.quantities`)
and becomes an interval from its value and its hedge
(:mod:`analysis.checks.intervals`).  Two figures about the same quantity from
different sources **agree** when their intervals overlap,
:math:`\ell_a \le h_b` and :math:`\ell_b \le h_a`; the **ratio** is the larger
value over the smaller one.

A quantity may also name a *related* quantity that is not the same thing (a
prize pool is part of a promotion budget, ``relation: part_of``): those pairs
are reported with ``like_for_like = False`` and a ``note``, and "agree" then
means the part's interval starts no higher than the whole's ends,
:math:`\ell_a \le h_b`.  Figures dated in different months carry a note
that the figure may have changed in between.

Two sources that give the *same value* with different hedges agree, but they
do not say the same thing ("fewer than 100", "more than 100", "100 by the end
of November").  Such pairs are noted as **worded differently**, and as the
**same target, worded differently** when the sources state the value both as
an upper and as a lower bound: a threshold (a KPI), not a measurement.

**Many sources.**  Every pair of sources is compared while a quantity has at
most :data:`MANY_SOURCES` sources (the book's corpus has five articles and the
external figures).  Above that, the number of pairs would grow with the square
of the archive (a 5 MB archive of 245 articles gives 281,000 pairs), although
most of them compare copies of the same few statements.  A quantity stated by
more sources is compared by **statement**: the figures that give the same
value with the same hedge, dated in the same month, are one statement, shown
by its first source (by article id, then position) and compared once with
every other statement, so the table grows with the number of distinct
statements, not of sources.  Such a row's ``note`` says how many sources state
each side (``stated by 12 and 3 sources``); ``n_articles`` still counts every
source of the quantity.
"""

from __future__ import annotations

import itertools
from typing import Any

import pandas as pd

from analysis import catalog
from analysis.checks.intervals import TOLERANCE, hedge_kind, interval
from analysis.checks.quantities import (
    Quantity,
    QuantityLexicon,
    assign_quantities,
    attach_claims,
    load_quantities,
)

__all__ = ["NUMBER_COLUMNS", "CONFLICT_COLUMNS", "WORDED_DIFFERENTLY", "MANY_SOURCES", "find_conflicts"]

#: Columns of a figures table (``numbers.csv``).
NUMBER_COLUMNS: list[str] = catalog.artefact("numbers").column_names
#: Output columns.  ``quantity`` is the canonical quantity id (``a~b`` for a related pair), ``subject``
#: its label and ``unit`` its first unit; ``claim_a``/``claim_b`` are claim ids (empty for external
#: figures), ``source_a``/``source_b`` the containing sentence or the cited external source, and
#: ``n_articles`` the number of sources stating the quantity.
CONFLICT_COLUMNS: list[str] = catalog.artefact("fact_conflicts").column_names
#: The notes that open with these words mark agreeing figures that are worded differently.
WORDED_DIFFERENTLY: tuple[str, str] = ("same target, worded differently", "same figure, worded differently")
#: Above this many sources for one quantity, figures are compared by statement (module notes).
MANY_SOURCES: int = 20
_HEDGE_WORDS = {"exact": "exact", "approx": "approximate", "several": "vague", "lower": "a lower bound",
                "upper": "an upper bound"}


def _wording_note(a: Any, b: Any, threshold: bool) -> str:
    """The note of two agreeing figures of equal value whose hedges differ (else ``""``)."""
    if float(a.value) != float(b.value) or a.kind == b.kind:
        return ""
    label = WORDED_DIFFERENTLY[0] if threshold else WORDED_DIFFERENTLY[1]
    return f"{label}: {_HEDGE_WORDS.get(a.kind, a.kind)} vs {_HEDGE_WORDS.get(b.kind, b.kind)}"


def _statements(g: pd.DataFrame) -> list[list[Any]]:
    """Group a quantity's figures into statements (value, hedge, month); each a list of rows, one per source.

    The rows keep ``g``'s order (article id, then position), so a statement's first row is its first source.
    """
    key = zip(g["value"], g["kind"], g["date"].astype(str).str[:7], strict=True)
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for k, row in zip(key, g.itertuples(index=False), strict=True):
        groups.setdefault(k, []).append(row)
    return list(groups.values())


def _statement_pairs(left: list[list[Any]], right: list[list[Any]] | None) -> list[tuple[Any, Any, int, int]]:
    """One pair of rows from different sources per pair of statements, with each statement's sources.

    ``right=None`` pairs the statements of ``left`` among themselves.  A statement pair whose first
    sources coincide is shown by the next source of the other side (skipped if there is none).
    """
    pairs = (itertools.combinations(left, 2) if right is None
             else ((a, b) for a in left for b in right))
    out = []
    for sa, sb in pairs:
        a = sa[0]
        b = next((r for r in sb if r.article_id != a.article_id), None)
        if b is None:
            a = next((r for r in sa if r.article_id != sb[0].article_id), None)
            b = sb[0]
        if a is not None:
            out.append((a, b, len(sa), len(sb)))
    return out


def find_conflicts(numbers: pd.DataFrame, tolerance: float = TOLERANCE, *,
                   claims: pd.DataFrame | None = None, external: pd.DataFrame | None = None,
                   lexicon: QuantityLexicon | None = None) -> pd.DataFrame:
    """Compare every pair of figures that two sources state about the same canonical quantity.

    Parameters
    ----------
    numbers : pandas.DataFrame
        Columns :data:`NUMBER_COLUMNS`; optionally ``claim_id, sentence, s_start, s_end`` (or pass
        ``claims``), ``source`` and ``date``.
    tolerance : float, default 0.1
        Relative tolerance :math:`\\tau`.
    claims : pandas.DataFrame, optional
        ``claims.csv``: each figure is given its containing sentence (:func:`attach_claims`).
    external : pandas.DataFrame, optional
        External figures (:func:`analysis.checks.external.external_figures`), compared as one more source.
    lexicon : QuantityLexicon, optional
        Defaults to ``quantities.yaml``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONFLICT_COLUMNS`, one row per pair of figures from different sources about the
        same quantity (``like_for_like``), or about a quantity and a ``related`` one (not like for like,
        with the relation's ``note``; side ``a`` is then the part).  Repeats of one figure (same source,
        quantity, value, hedge) are compared once; above :data:`MANY_SOURCES` sources, so are the
        copies of one statement (module notes).  Sorted by quantity, sources, values, claim ids.

    Raises
    ------
    ValueError
        If ``numbers`` lacks one of :data:`NUMBER_COLUMNS`, or ``tolerance`` is negative.
    """
    missing = sorted(set(NUMBER_COLUMNS) - set(numbers.columns))
    if missing:
        raise ValueError(f"numbers table lacks columns {missing}")
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    lexicon = lexicon or load_quantities()
    df = attach_claims(numbers, claims) if claims is not None else numbers.copy()
    for col in ("claim_id", "source", "date"):
        if col not in df.columns:
            df[col] = ""
    if external is not None and len(external):
        df = pd.concat([df, external], ignore_index=True)
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    df = assign_quantities(df, lexicon)
    df["kind"] = [hedge_kind(h, q) for h, q in zip(df["hedge"], df["quote"], strict=True)]
    df["unit"] = df["unit"].astype(str).str.strip().str.lower()
    df = df[(df["quantity"] != "") & df["value"].notna()].fillna({"claim_id": "", "source": "", "date": ""})
    df = (df.sort_values(["quantity", "article_id", "start"], kind="stable")
          .drop_duplicates(["quantity", "article_id", "value", "kind"]))
    quantities = lexicon.by_id()
    groups = {q: g for q, g in df.groupby("quantity", sort=True)}
    rows: list[dict[str, Any]] = []

    def add(a: Any, b: Any, q: Quantity, other: Quantity | None, relation: str, note: str, n_src: int,
            threshold: bool = False) -> None:
        va, vb = float(a.value), float(b.value)
        lo_a, hi_a = interval(va, a.kind, tolerance)
        lo_b, hi_b = interval(vb, b.kind, tolerance)
        agree = lo_a <= hi_b if relation == "part_of" else (lo_a <= hi_b and lo_b <= hi_a)
        notes = [note] if note else []
        if agree and relation == "same":
            notes = [n for n in [_wording_note(a, b, threshold)] if n] + notes
        da, db = str(a.date)[:7], str(b.date)[:7]
        if da and db and da != db:
            notes.append(f"dated in different months ({da} vs {db}): the figure may have changed in between")
        rows.append({
            "quantity": q.id if other is None else f"{q.id}~{other.id}",
            "subject": q.label if other is None else f"{q.label} vs {other.label}",
            "unit": q.units[0],
            "article_a": a.article_id, "claim_a": a.claim_id, "quote_a": a.quote, "value_a": va,
            "hedge_a": a.kind, "unit_a": a.unit, "date_a": a.date, "source_a": a.source or a.sentence,
            "article_b": b.article_id, "claim_b": b.claim_id, "quote_b": b.quote, "value_b": vb,
            "hedge_b": b.kind, "unit_b": b.unit, "date_b": b.date, "source_b": b.source or b.sentence,
            "agree": bool(agree), "ratio": round(max(va, vb) / min(va, vb), 4) if min(va, vb) > 0 else float("inf"),
            "n_articles": int(n_src), "like_for_like": other is None, "note": "; ".join(notes),
        })

    def stated_by(na: int, nb: int) -> str:
        return f"stated by {na} and {nb} sources" if na > 1 or nb > 1 else ""

    for qid, g in groups.items():
        q = quantities[qid]
        n_src = g["article_id"].nunique()
        bounds = g.groupby("value")["kind"].agg(set)
        by_statement = n_src > MANY_SOURCES
        if by_statement:
            statements = _statements(g)
            for a, b, na, nb in _statement_pairs(statements, None):
                threshold = {"upper", "lower"} <= bounds.get(a.value, set())
                add(a, b, q, None, "same", stated_by(na, nb), n_src, threshold)
        else:
            for a, b in itertools.combinations(g.itertuples(index=False), 2):
                if a.article_id != b.article_id:
                    threshold = {"upper", "lower"} <= bounds.get(a.value, set())
                    add(a, b, q, None, "same", "", n_src, threshold)
        for target, relation, note in q.related:
            h = groups.get(target)
            if h is None:
                continue
            n_rel = pd.concat([g["article_id"], h["article_id"]]).nunique()
            if n_rel > MANY_SOURCES:
                for a, b, na, nb in _statement_pairs(_statements(g), _statements(h)):
                    add(a, b, q, quantities[target], relation, "; ".join(filter(None, [note, stated_by(na, nb)])),
                        n_rel)
                continue
            for a in g.itertuples(index=False):
                for b in h.itertuples(index=False):
                    if a.article_id != b.article_id:
                        add(a, b, q, quantities[target], relation, note, n_rel)
    out = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    return out.sort_values(["quantity", "article_a", "article_b", "value_a", "value_b", "claim_a", "claim_b"],
                           ignore_index=True)

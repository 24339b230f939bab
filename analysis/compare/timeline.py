r"""The timeline: dated events that the articles report, each cited to its sentence.

**Dates.**  Every date a sentence states is found and resolved by
:mod:`analysis.extract.dates` (``2013年8月19日``, ``9月23号到25号``,
``今年年初``, ``4年前``).  A date with no year takes it from the article's
date or, when that is missing or is a later repost date, from the years the
text states (:func:`analysis.extract.dates.article_reference`); relative
dates are flagged (:func:`date_mentions`).

**Events.**  A date's *window* is the clause that holds it plus the undated
clauses that follow.  An event rule of ``data/lexicon/events.yaml``
(:func:`analysis.lexicon.events`) matches a window when all of its ``all``
terms, one of its ``any`` terms and none of its ``none`` terms occur in it,
and one of its ``subject`` terms occurs in the window or the sentence.
Every matching rule gives a row, except that only the first rule of a
``group`` is kept per date.  A ``{figure}`` in the event's text is replaced
by the figure of ``numbers.csv`` nearest the date in the window.  A rule that
names an external row (``data/external/external_metrics.csv``) gets its date
and source, and whether it agrees with the text.  Dates that match no rule
are left out.

**Errata.**  A date that an article prints wrongly and that
``data/lexicon/errata.yaml`` corrects (:func:`analysis.lexicon.errata`, keyed
by the sentence and the date as written) takes the corrected date, and its
row says so in ``erratum`` (the date as printed and the reason); the date
as written stays in ``date_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis import catalog, lexicon
from analysis.compare.text import claims_text, format_figure, in_claim_order, split_clauses, term_spans
from analysis.extract.dates import article_reference, find_dates, resolve_date
from analysis.extract.ids import split_claim_id

__all__ = ["TIMELINE_COLUMNS", "DATE_COLUMNS", "date_mentions", "timeline"]

#: Columns of the timeline.
TIMELINE_COLUMNS: list[str] = catalog.artefact("timeline").column_names
#: Columns of :func:`date_mentions`.
DATE_COLUMNS: list[str] = ["article_id", "claim_id", "start", "end", "date_text", "date", "precision", "qualifier",
                           "relative", "year_basis", "erratum"]
_PRECISION = {4: "year", 7: "month", 10: "day"}


def _corrected(rec: dict[str, Any], fix: dict[str, Any] | None) -> dict[str, Any]:
    """A resolved date with its erratum applied (``erratum`` is ``""`` when there is none)."""
    if fix is None:
        return {**rec, "erratum": ""}
    date = fix["corrected"]
    note = f"printed as {rec['date']}, corrected to {date}: {fix['reason']}"
    return {**rec, "date": date, "precision": _PRECISION[len(date)], "erratum": note}


def date_mentions(claims: pd.DataFrame, corpus: pd.DataFrame | None = None,
                  errata: Sequence[dict[str, Any]] | None = None) -> pd.DataFrame:
    """Every resolvable date of every sentence, with its reference and year basis, errata applied.

    Parameters
    ----------
    claims : pandas.DataFrame
        ``claims.csv``.
    corpus : pandas.DataFrame, optional
        ``corpus.csv`` (``article_id, date``); without it every article is
        read against the latest year its text states.
    errata : sequence of dict, optional
        :func:`analysis.lexicon.errata` output (default: the project's).  A
        corrected date also becomes the year that the following year-less
        dates of its article are read against.

    Returns
    -------
    pandas.DataFrame
        ``article_id, claim_id, start, end, date_text``, the keys of
        :func:`resolve_date` and ``erratum``, in text order.
    """
    fixes = {(e["claim"], e["as_written"]): e for e in (lexicon.errata() if errata is None else errata)}
    dates = {} if corpus is None else dict(zip(corpus["article_id"], corpus["date"], strict=True))
    rows = []
    claims = in_claim_order(claims)
    texts = claims_text(claims)
    for aid in sorted(claims["article_id"].unique()):
        mask = claims["article_id"] == aid
        found = [(cid, str(t), find_dates(str(t))) for cid, t in zip(claims.loc[mask, "claim_id"], texts[mask],
                                                                    strict=True)]
        stated = [mm.year for _, _, ms in found for mm in ms if mm.year is not None]
        ref = article_reference(dates.get(aid), stated)
        last_year = None
        for cid, _text, ms in found:
            for mm in ms:
                rec = resolve_date(mm, ref, last_year)
                fix = fixes.get((cid, mm.text))
                if mm.year is not None:
                    last_year = int(fix["corrected"][:4]) if fix else mm.year
                if rec is None:
                    continue
                rows.append({"article_id": aid, "claim_id": cid, "start": mm.start, "end": mm.end,
                             "date_text": mm.text, **_corrected(rec, fix)})
    return pd.DataFrame(rows, columns=DATE_COLUMNS)


def _windows(text: str, mentions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each date span, the clause holding it plus the following undated clauses."""
    clauses = split_clauses(text)

    def clause_of(pos: int) -> int:
        for i, (a, b) in enumerate(clauses):
            if a <= pos < b:
                return i
        return len(clauses) - 1

    dated = {clause_of(a) for a, _ in mentions}
    out = []
    for a, _ in mentions:
        i = clause_of(a)
        j = i + 1
        while j < len(clauses) and j not in dated:
            j += 1
        out.append((clauses[i][0], clauses[j - 1][1]))
    return out


def _rule_matches(rule: dict[str, Any], window: str, sentence: str) -> bool:
    has = lambda t, s: bool(term_spans(s, t))  # noqa: E731
    if not all(has(t, window) for t in rule["all"]):
        return False
    if rule["any"] and not any(has(t, window) for t in rule["any"]):
        return False
    if any(has(t, window) for t in rule["none"]):
        return False
    if rule["subject"] and not (any(has(t, window) for t in rule["subject"])
                                or any(has(t, sentence) for t in rule["subject"])):
        return False
    return True


def _figure_in(numbers: pd.DataFrame | None, claim: pd.Series, text: str, window: tuple[int, int],
               at: int) -> str:
    if numbers is None or numbers.empty:
        return ""
    sub = numbers[(numbers["article_id"] == claim["article_id"]) & (numbers["start"] >= claim["start"])
                  & (numbers["end"] <= claim["end"])]
    aligned = len(str(claim["sentence"])) == len(text)
    cands = []
    for _, n in sub.iterrows():
        pos = int(n["start"]) - int(claim["start"]) if aligned else text.find(str(n["quote"]))
        if window[0] <= pos < window[1]:
            cands.append((pos < at, abs(pos - at), pos, n))
    if not cands:
        return ""
    n = min(cands, key=lambda c: c[:3])[3]
    return format_figure(float(n["value"]), str(n["unit"]), str(n["quote"]))


def _external_match(rule: dict[str, Any], date: str, external: pd.DataFrame | None) -> dict[str, Any]:
    empty = {"external_date": "", "external_source": "", "external_agrees": pd.NA}
    ext = rule.get("external") or {}
    if external is None or external.empty or not ext:
        return empty
    sub = external[(external["entity"] == ext.get("entity")) & (external["metric"] == ext.get("metric"))]
    if sub.empty:
        return empty
    row = sub.sort_values("period").iloc[0]
    period = str(row["period"])
    agrees = date.startswith(period) or period.startswith(date)
    return {"external_date": period, "external_source": str(row["source"]), "external_agrees": bool(agrees)}


def timeline(claims: pd.DataFrame, corpus: pd.DataFrame | None = None, numbers: pd.DataFrame | None = None,
             external: pd.DataFrame | None = None, rules: Sequence[dict[str, Any]] | None = None,
             errata: Sequence[dict[str, Any]] | None = None) -> pd.DataFrame:
    """Dated events reported by the articles.

    Each resolvable date (:func:`date_mentions`) is matched against the
    event rules (:func:`analysis.lexicon.events`) in its window; every matching rule
    gives a row, except that only the first rule of a ``group`` is kept.
    Dates that match no rule are left out (see :func:`date_mentions`).

    Parameters
    ----------
    claims, corpus, numbers : pandas.DataFrame
        ``claims.csv``, ``corpus.csv`` and (optional) ``numbers.csv``.
    external : pandas.DataFrame, optional
        ``data/external/external_metrics.csv``: rules naming an external row
        get its date and source, and whether it agrees with the text.
    rules : sequence of dict, optional
        :func:`analysis.lexicon.events` output (default: the project's).
    errata : sequence of dict, optional
        :func:`analysis.lexicon.errata` output (default: the project's).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIMELINE_COLUMNS`, sorted by date, event and claim.
    """
    rules = rules if rules is not None else lexicon.events()
    mentions = date_mentions(claims, corpus, errata)
    by_id = claims.set_index("claim_id", drop=False)
    texts = dict(zip(claims["claim_id"], claims_text(claims), strict=True))
    rows = []
    for cid, group in mentions.groupby("claim_id", sort=True):
        text = str(texts[cid])
        spans = list(zip(group["start"], group["end"], strict=True))
        for (_, m), win in zip(group.iterrows(), _windows(text, spans), strict=True):
            window = text[win[0]: win[1]]
            used_groups: set[str] = set()
            for rule in rules:
                if rule["group"] and rule["group"] in used_groups:
                    continue
                if not _rule_matches(rule, window, text):
                    continue
                if rule["group"]:
                    used_groups.add(rule["group"])
                event = rule["event"]
                if "{figure}" in event:
                    fig = _figure_in(numbers, by_id.loc[cid], text, win, int(m["start"]))
                    event = event.replace("{figure}", fig or "a reported figure")
                rows.append({**{k: m[k] for k in ("date", "precision", "qualifier", "relative", "year_basis",
                                                  "date_text", "article_id", "claim_id", "erratum")},
                             "event_id": rule["id"], "event": event, "kind": rule["kind"],
                             "product_id": rule["product"] or "", "sentence": text,
                             **_external_match(rule, m["date"], external)})
    df = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    if df.empty:
        return df
    df["_c"] = df["claim_id"].map(split_claim_id)
    df = df.sort_values(["date", "event_id", "_c"]).drop(columns="_c").drop_duplicates(
        subset=["date", "event_id", "claim_id"])
    return df.reset_index(drop=True)

"""Sentences and the lexicon terms in them: the text operations the comparison tables share.

* The sentences are the claims of ``claims.csv``, read in their clean
  Simplified form (``sentence_clean``; :func:`claims_text`) and in text order
  (:func:`in_claim_order`).
* A sentence splits into **clauses** at Chinese and Latin punctuation
  (:func:`split_clauses`); the feature matrix attributes a cue to a product
  of the same clause, and a timeline event is looked for in the clauses after
  its date.
* A lexicon **term** occurs where its text does: a CJK term as a substring, a
  Latin term only between non-letters, case-insensitively, so that ``LINE``
  is not found in ``online`` (:func:`term_spans`).  Of overlapping terms the
  longest wins, and an occurrence inside a ``not`` word (来往 inside 往来)
  does not count (:func:`live_spans`).
* A figure of ``numbers.csv`` is worded in English with its Chinese quote
  (:func:`format_figure`), for the feature cells and the timeline's events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from analysis.extract.ids import split_claim_id

__all__ = ["CJK", "claims_text", "in_claim_order", "split_clauses", "term_spans", "live_spans", "format_figure"]

#: A CJK ideograph (a term holding one is matched as a plain substring).
CJK = re.compile(r"[\u3400-\u9fff]")
_CLAUSE_SEP = re.compile(r"[,，;；:：、?？!！。]")
_UNIT_EN = {"users": "users", "registrations": "registered users", "dau": "daily active users",
            "mau": "monthly active users", "installs": "installs", "firms": "firms", "calls": "calls",
            "people": "people", "count": ""}


def claims_text(claims: pd.DataFrame) -> pd.Series:
    """The text of each claim: ``sentence_clean`` when the table has it, else ``sentence``.

    Parameters
    ----------
    claims : pandas.DataFrame
        ``claims.csv``.

    Returns
    -------
    pandas.Series
        Aligned with ``claims``.
    """
    return claims["sentence_clean"] if "sentence_clean" in claims.columns else claims["sentence"]


def in_claim_order(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims sorted by article and position in the article (their claim ids).

    Parameters
    ----------
    claims : pandas.DataFrame
        With a ``claim_id`` column (``<article_id>:<n>``).

    Returns
    -------
    pandas.DataFrame
        The same rows, in text order.
    """
    key = claims["claim_id"].map(split_claim_id)
    return claims.assign(_k=key).sort_values("_k").drop(columns="_k")


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Split a sentence into clause spans at Chinese and Latin punctuation.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of (int, int)
        Half-open, non-empty spans covering the text minus the separators.
    """
    spans, start = [], 0
    for m in _CLAUSE_SEP.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def term_spans(text: str, term: str) -> list[tuple[int, int]]:
    """Every occurrence of a lexicon term in a text.

    Parameters
    ----------
    text : str
    term : str
        A CJK term matches as a substring; any other only between non-letters, ignoring case.

    Returns
    -------
    list of (int, int)
        Half-open spans, in text order.
    """
    if CJK.search(term):
        return [(m.start(), m.end()) for m in re.finditer(re.escape(term), text)]
    pat = re.compile(r"(?<![A-Za-z])" + re.escape(term) + r"(?![A-Za-z])", re.I)
    return [(m.start(), m.end()) for m in pat.finditer(text)]


def live_spans(text: str, terms: Iterable[str], not_words: Iterable[str]) -> list[tuple[int, int, str]]:
    """Occurrences of ``terms``, longest first, not inside a ``not`` word or a longer term.

    Parameters
    ----------
    text : str
    terms : iterable of str
    not_words : iterable of str
        Words whose occurrences block the terms inside them.

    Returns
    -------
    list of (int, int, str)
        ``(start, end, term)``, sorted by position.
    """
    blocked = [s for w in not_words for s in term_spans(text, w)]
    found: list[tuple[int, int, str]] = []
    for term in sorted(set(terms), key=lambda t: (-len(t), t)):
        for a, b in term_spans(text, term):
            if any(x <= a and b <= y for x, y in blocked):
                continue
            if any(x <= a and b <= y for x, y, _ in found):
                continue
            found.append((a, b, term))
    return sorted(found)


def format_figure(value: float, unit: str, quote: str = "") -> str:
    """Render a figure of ``numbers.csv`` in English, with the Chinese quote.

    Parameters
    ----------
    value : float
        In base units (``numbers.csv``).
    unit : str
        The unit of ``numbers.csv`` (``users``, ``CNY``, ``percent``...).
    quote : str
        The quoted figure, appended in parentheses when given.

    Returns
    -------
    str

    Examples
    --------
    >>> format_figure(6e8, "registrations", "突破6亿")
    '600 million registered users (突破6亿)'
    >>> format_figure(2.5e8, "USD", "2.5亿美金")
    'US$250 million (2.5亿美金)'
    """
    v = float(value)
    if abs(v) >= 1e9:
        num = f"{v / 1e9:g} billion"
    elif abs(v) >= 1e6:
        num = f"{v / 1e6:g} million"
    else:
        num = f"{v:,.0f}" if v == int(v) else f"{v:g}"
    if unit == "USD":
        text = f"US${num}"
    elif unit == "CNY":
        text = f"CNY {num}"
    elif unit == "percent":
        text = f"{num}%"
    else:
        word = _UNIT_EN.get(unit, unit)
        text = f"{num} {word}".strip()
    return f"{text} ({quote})" if quote else text

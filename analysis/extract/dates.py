"""Dates in Chinese text: find them, and resolve them against an article's date.

:func:`find_dates` finds date mentions (2013年8月19日, 2014年12月, 9月23号到25号,
今年年初, 4年前...) with their precision; :func:`article_reference` and
:func:`resolve_date` turn a mention into a calendar date using the article's
publication date or, failing that, the years the text itself states.  Used by
claim typing (a concrete date is evidence of a reported fact) and by the
timeline (:mod:`analysis.compare`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["DateMention", "find_dates", "Reference", "article_reference", "resolve_date"]

_NUM_ZH = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_QUAL = {"初": "early", "年初": "early", "上旬": "early", "上半年": "first half", "中": "mid", "年中": "mid",
         "底": "late", "末": "late", "年底": "late", "年末": "late", "下旬": "late", "下半年": "second half"}
_DATE_RE = re.compile(
    r"(?P<this>今年)(?:(?P<tm>\d{1,2})月(?:(?P<td>\d{1,2})[日号])?|(?P<tq>年初|年中|年底|年末))?"
    r"|(?<!\d)(?P<ay>\d{1,2}|[一两二三四五六七八九十])年前"
    r"|(?<!\d)(?P<am>\d{1,2}|[一两二三四五六七八九十])个月前"
    r"|(?<!\d)(?P<y>(?:19|20)\d{2}|\d{2})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?(?P<mq>底|初|中|下旬|上旬)?"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2}|\d{2})年(?P<yq>上半年|下半年|年初|年中|年底|年末|初|中|底|末)?"
    r"(?![前后多来间内以])"
    r"|(?<![\d年.])(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号](?:(?:到|至|-|~)(?P<d3>\d{1,2})[日号]?)?"
    r"|(?<![\d年.])(?P<m3>\d{1,2})月(?P<mq3>底|初|中|下旬|上旬)?(?![\d份]?[日号])"
)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text (before the year is inferred).

    Attributes
    ----------
    start, end : int
        Span in the text.
    text : str
        The expression as written.
    year, month, day : int or None
        What the expression states (``year`` is None when it must be
        inferred).
    qualifier : str
        ``early``/``mid``/``late``/``first half``/``second half``, or
        ``until <day>`` for a range, else ``""``.
    relative : str
        ``""`` (absolute), ``"this_year"``, ``"years_ago"`` or
        ``"months_ago"``.
    offset : int
        N of "N years/months ago".
    """

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    qualifier: str = ""
    relative: str = ""
    offset: int = 0


def _int(s: str | None) -> int | None:
    if s is None:
        return None
    return _NUM_ZH[s] if s in _NUM_ZH else int(s)


def _year(s: str) -> int:
    y = int(s)
    return y if y >= 100 else (2000 + y if y < 50 else 1900 + y)


def find_dates(text: str) -> list[DateMention]:
    """Find the date expressions of a text, left to right, non-overlapping.

    Recognised: ``2013年8月19日``, ``2012年7月``, ``2014年底``, ``09年下半年``,
    ``9月13日``, ``9月23号到25号``, ``8月底``, ``今年年初``, ``今年4月3日``,
    ``4年前``, ``一个月前``.  Impossible months or days are skipped; a bare
    ``今年`` (this year, with nothing dated) is kept as a year mention.

    Parameters
    ----------
    text : str
        Clean Simplified text.

    Returns
    -------
    list of DateMention
        In text order.
    """
    out = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        kw: dict[str, Any] = {}
        if g["this"]:
            kw = {"month": _int(g["tm"]), "day": _int(g["td"]), "qualifier": _QUAL.get(g["tq"] or "", ""),
                  "relative": "this_year"}
        elif g["ay"]:
            kw = {"relative": "years_ago", "offset": _int(g["ay"])}
        elif g["am"]:
            kw = {"relative": "months_ago", "offset": _int(g["am"])}
        elif g["y"]:
            kw = {"year": _year(g["y"]), "month": _int(g["m"]), "day": _int(g["d"]),
                  "qualifier": _QUAL.get(g["mq"] or "", "")}
        elif g["y2"]:
            kw = {"year": _year(g["y2"]), "qualifier": _QUAL.get(g["yq"] or "", "")}
        elif g["m2"]:
            kw = {"month": _int(g["m2"]), "day": _int(g["d2"]),
                  "qualifier": f"until day {int(g['d3'])}" if g["d3"] else ""}
        else:
            kw = {"month": _int(g["m3"]), "qualifier": _QUAL.get(g["mq3"] or "", "")}
        month, day = kw.get("month"), kw.get("day")
        if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
            continue
        out.append(DateMention(m.start(), m.end(), m.group(0), **kw))
    return out


@dataclass(frozen=True)
class Reference:
    """The date an article's relative and year-less dates are read against.

    Attributes
    ----------
    year, month, day : int or None
    basis : str
        ``"article_date"`` (the publication date), ``"latest_year_in_text"``
        (no usable date: the latest year the article itself states) or
        ``"none"``.
    """

    year: int | None
    month: int | None = None
    day: int | None = None
    basis: str = "none"


def article_reference(date: str | None, text_years: Iterable[int], *, repost_gap: int = 1) -> Reference:
    """Choose the reference date of an article.

    The publication date is used unless it is missing, or it is more than
    ``repost_gap`` years after the latest year the text states (then it is a
    repost date, as for a 2015 article re-published in 2021); in both cases
    the latest stated year is used, with no month.

    Parameters
    ----------
    date : str or None
        ``YYYY-MM-DD`` (or ``YYYY-MM``/``YYYY``) from ``corpus.csv``.
    text_years : iterable of int
        Years stated explicitly in the article.
    repost_gap : int, default 1

    Returns
    -------
    Reference
    """
    years = sorted(set(int(y) for y in text_years))
    text = "" if date is None or pd.isna(date) else str(date).strip()
    parts = [int(p) for p in re.findall(r"\d+", text)][:3]
    if parts:
        y, m, d = (parts + [None, None])[:3]
        if not years or y <= years[-1] + repost_gap:
            return Reference(y, m, d, "article_date")
    if years:
        return Reference(years[-1], None, None, "latest_year_in_text")
    return Reference(None)


def _shift_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) - n
    return k // 12, k % 12 + 1


def resolve_date(mention: DateMention, ref: Reference, preceding_year: int | None = None) -> dict[str, Any] | None:
    """Turn a :class:`DateMention` into a dated record.

    Year inference for a date without a year: the article's date when it is
    the publication date (the year before if the month lies after the
    article's month), else the nearest year stated earlier in the article
    (``preceding_year``), else the reference year.

    Parameters
    ----------
    mention : DateMention
    ref : Reference
        The article's reference date (:func:`article_reference`).
    preceding_year : int, optional
        The nearest year stated earlier in the article.

    Returns
    -------
    dict or None
        ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), ``precision``
        (year/month/day), ``qualifier``, ``relative`` (bool) and
        ``year_basis`` (``text``, ``article_date``, ``preceding_year_in_text``,
        ``latest_year_in_text``); None when no year can be inferred.
    """
    y, m, d = mention.year, mention.month, mention.day
    basis = "text"
    if mention.relative:
        if ref.year is None:
            return None
        basis = ref.basis
        if mention.relative == "this_year":
            y = ref.year
        elif mention.relative == "years_ago":
            y, m, d = ref.year - mention.offset, None, None
        elif ref.month is not None:
            y, m = _shift_months(ref.year, ref.month, mention.offset)
        else:
            y = ref.year
    elif y is None:
        if ref.basis == "article_date" and ref.month is not None:
            y, basis = (ref.year - 1 if m > ref.month else ref.year), "article_date"
        elif preceding_year is not None:
            y, basis = preceding_year, "preceding_year_in_text"
        elif ref.year is not None:
            y, basis = ref.year, ref.basis
        else:
            return None
    if d is not None:
        date, precision = f"{y:04d}-{m:02d}-{d:02d}", "day"
    elif m is not None:
        date, precision = f"{y:04d}-{m:02d}", "month"
    else:
        date, precision = f"{y:04d}", "year"
    return {"date": date, "precision": precision, "qualifier": mention.qualifier,
            "relative": bool(mention.relative), "year_basis": basis}

"""Quantitative statements: every figure an article quotes, normalised.

A *figure* is a numeral expression in the clean Simplified body,

.. math::

    \\text{figure} = \\text{hedge}^? \\; \\text{NUM} \\; \\text{个}^? \\; \\text{MULT}^? \\;
    (\\text{currency} \\mid \\text{counter})^? \\; \\text{hedge}^?

where NUM is Arabic (``2.5``, ``2-10``) or Chinese (``一千``, ``几十``, parsed with
``cn2an``), MULT is one of 万亿/亿/千万/百万/十万/万/千/百 and the value is
:math:`\\text{NUM} \\times \\text{MULT}` in base units (``2.5亿美金`` is
250 000 000 USD, ``21%`` is 21 percent).  All word lists (units, counters,
multipliers, hedge cues, measure and entity cues, false friends) live in
``data/lexicon/numbers.yaml`` (:mod:`analysis.extract.amounts` values one amount).

Rules (what counts as a figure)
-------------------------------
* A figure needs a multiplier, a currency/percent, or a counter (人, 家, 名, 个...).
  A bare number (``360``, ``来往4.0``, ``1、``) counts only right after a
  distributive cue such as 每人 (``每人100``).
* Chinese numerals below ten with no multiplier (``一个``, ``两款``, ``三次``,
  ``一对一``, ``唯二``) are prose, not figures: the indefinite 一 and small
  counts written in characters are how Chinese says "a" or "a couple of".
  Arabic digits (``1名``, ``3名``) are deliberate and count.  The fractions
  in the lexicon (``一半``) are the one exception.
* ``几``/``数`` with no multiplier (``几个``, ``几款``) is too vague to be a figure;
  with one (``几十万``, ``数亿``, ``几百人``) it is, valued at the **lower bound**
  (几 = 1, so 几十万 = 100 000) with ``hedge = 1``.
* A range (``2-10元``) takes its lower bound, with ``hedge = 1``.
* Skipped: dates, times and durations (a time unit follows: 2013年, 9月23号,
  1个月, 千年), ordinals (a preceding 第: 第一, 第三屏), numbers glued to Latin
  letters (iPhone 5S, 4G, O2O, C2B), and the ``false_friends`` regexes (千万不要,
  双11, 4.0版本, 1号楼, prize tiers such as 一等奖).
* ``hedge = 1`` when a hedge cue precedes (近, 约, 超过, 过, 不足, 不到, 突破,
  大于, 上千万...) or follows (以上, 多, 余, 左右, 级), when the number is vague,
  or when the sentence carries a hearsay cue (据说, 传言...).

``unit`` comes from the currency or percent sign, else from the nearest measure
cue (用户 -> users, 注册用户 -> registrations, 日活 -> dau, 装机量 -> installs...),
first just after the number, then back within its clause, else from the counter
(人 -> people, 家 -> firms), else ``count``.  ``subject`` joins the nearest entity
(clause first, then products in the sentence) with the measure, in English.

The quote runs from the hedge prefix to the unit or hedge suffix and is taken
from the raw file through :meth:`analysis.corpus.document.Document.raw_span`, so
``raw_text[start:end] == quote`` and article 002 is quoted in Traditional
characters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.extract.amounts import NUMERAL_CORE, NumberLexicon, core_value, longest_first, number_lexicon

# score_numbers lives in analysis.extract.scoring; it stays importable from here
# because analysis/checks/evaluation.py still imports it from this module.
from analysis.extract.scoring import score_numbers  # noqa: F401  isort: skip

__all__ = ["COLUMNS", "extract_numbers", "figure_rows", "numbers_table", "combine_frames"]

#: Output columns of ``numbers.csv``, in order.
COLUMNS = ["article_id", "quote", "start", "end", "value", "unit", "subject", "hedge"]

_CLAUSE_BREAK = ",，;；:：。!?！？\n"
_SENTENCE_BREAK = "。!?！？;；\n"
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class _Hit:
    start: int
    end: int
    value: float
    unit: str | None
    counter_unit: str | None
    hedge: int


def _match_prefix(text: str, pos: int, words: Iterable[str]) -> str | None:
    """The first of ``words`` (longest first) that ``text`` has at ``pos``."""
    for w in words:
        if text.startswith(w, pos):
            return w
    return None


def _match_before(text: str, pos: int, words: Iterable[str]) -> str | None:
    """The first of ``words`` (longest first) that ends exactly at ``pos``."""
    for w in words:
        if pos >= len(w) and text[pos - len(w) : pos] == w:
            return w
    return None


def _false_friend_spans(text: str, lex: NumberLexicon) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for pat in lex.false_friends for m in pat.finditer(text)]
    return sorted(s for s in spans if s[1] > s[0])


def _candidate(text: str, m: re.Match[str], lex: NumberLexicon) -> _Hit | None:
    """Decide whether a numeric core is a figure, and measure its full span."""
    start, end = m.start(), m.end()
    prev = text[start - 1] if start else ""
    if prev and (prev == "第" or _LATIN.match(prev) or prev in "0123456789."):
        return None
    cn = m.group("cn")
    if cn is not None and cn in lex.fractions:
        value, unit = lex.fractions[cn]
        return _Hit(start, end, value, unit, None, 0)
    if cn is not None and cn.startswith("一半"):
        return None
    try:
        value, vague, has_mult, is_range = core_value(m, lex)
    except ValueError:
        return None
    digits = m.group("dig") is not None
    bare_mult = cn is not None and not vague and all(c in "十百千万亿" for c in cn)
    if cn is not None and not has_mult:
        return None  # small Chinese numerals (一个, 两款) and bare 几/数 are prose
    # tail: approximation, 个, time unit, currency, counter, hedge suffix
    pos = end
    hedge = int(vague or is_range or m.groupdict().get("ap1") is not None)
    if text.startswith(("多", "余"), pos) and not text.startswith(("多个", "多家"), pos):
        hedge, pos = 1, pos + 1
    after_ge = pos + 1 if text.startswith("个", pos) else pos
    if _match_prefix(text, after_ge, lex.time_units) and not _match_prefix(text, after_ge, lex.measures):
        return None  # a date or duration (but 几万日活 is a count of daily actives)
    if (
        _LATIN.match(text[pos : pos + 1] or " ")
        or text.startswith(".", pos)
        and text[pos + 1 : pos + 2].isdigit()
    ):
        return None
    unit = counter_unit = None
    cur = _match_prefix(text, pos, longest_first(lex.currencies))
    if cur:
        unit, pos = lex.currencies[cur], pos + len(cur)
    else:
        ctr = _match_prefix(text, pos, longest_first(lex.counters))
        if ctr:
            counter_unit, pos = lex.counters[ctr], pos + len(ctr)
    suffix = _match_prefix(text, pos, lex.hedge_after)
    if suffix and not (suffix in ("多", "余") and unit is None and counter_unit is None and not has_mult):
        hedge, pos = 1, pos + len(suffix)
    # prefix hedge
    qstart = start
    pre = _match_before(text, start, lex.hedge_before)
    if pre:
        blocked = lex.hedge_not_after.get(pre, "")
        before_pre = text[start - len(pre) - 1] if start > len(pre) else ""
        if (pre == "上" and not bare_mult) or (before_pre and before_pre in blocked):
            pre = None
    if pre:
        hedge, qstart = 1, start - len(pre)
    # is it a figure at all?
    has_unit = unit is not None or counter_unit is not None
    if bare_mult and not (pre or suffix or has_unit or _match_before(text, start, lex.bare_lead_cues)):
        return None
    if digits and not has_mult and not has_unit and not _match_before(text, start, lex.lead_cues):
        return None
    return _Hit(qstart, pos, value, unit, counter_unit, hedge)


def _bounds(text: str, pos: int, breaks: str) -> tuple[int, int]:
    """The span of the clause or sentence around ``pos``."""
    a = max(text.rfind(c, 0, pos) for c in breaks) + 1
    ends = [i for i in (text.find(c, pos) for c in breaks) if i >= 0]
    return a, min(ends) if ends else len(text)


def _occurrences(text: str, a: int, b: int, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of ``words`` in ``text[a:b]``, longest words winning overlaps."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for w in longest_first(words):
        i = text.find(w, a, b)
        while i >= 0 and i + len(w) <= b:
            if not any(s < i + len(w) and i < e for s, e in taken):
                found.append((i, i + len(w), w))
                taken.append((i, i + len(w)))
            i = text.find(w, i + 1, b)
    return sorted(found)


def _nearest_cue(text: str, a: int, b: int, pos: int, lex: NumberLexicon) -> str | None:
    """The measure cue in ``text[a:b]`` ending nearest before ``pos`` (longest on ties)."""
    before = [o for o in _occurrences(text, a, b, lex.measures) if o[1] <= pos]
    if not before:
        return None
    return max(before, key=lambda o: (o[1], o[1] - o[0]))[2]


def _measure(text: str, hit: _Hit, lex: NumberLexicon) -> dict[str, Any] | None:
    """The nearest measure cue: just after the number, else back within the clause."""
    c0, c1 = _bounds(text, hit.start, _CLAUSE_BREAK)
    after = _occurrences(text, hit.end, min(c1, hit.end + lex.window_after), lex.measures)
    if after:
        return lex.measures[after[0][2]]
    cue = _nearest_cue(text, c0, hit.start, hit.start, lex)
    return lex.measures[cue] if cue else None


def _sentence_measure(text: str, hit: _Hit, unit: str, lex: NumberLexicon) -> dict[str, Any] | None:
    """For the subject only: a cue earlier in the sentence that agrees with ``unit``."""
    s0, _ = _bounds(text, hit.start, _SENTENCE_BREAK)
    cue = _nearest_cue(text, s0, hit.start, hit.start, lex)
    if cue and lex.measures[cue].get("unit", unit) == unit:
        return lex.measures[cue]
    return None


def _entity(text: str, hit: _Hit, skip: set[str], lex: NumberLexicon) -> str | None:
    """The entity a figure is about.

    The nearest product in its clause, else the nearest company there, else the
    nearest product in its sentence, then in the two sentences before it (same
    paragraph), else the nearest company in that window.
    """
    names = lex.products | lex.companies

    def nearest(a: int, b: int, table: dict[str, str]) -> str | None:
        occ = [o for o in _occurrences(text, a, b, names) if o[2] in table and table[o[2]] not in skip]
        if not occ:
            return None
        best = min(occ, key=lambda o: (max(hit.start - o[1], o[0] - hit.end, 0), o[0]))
        return table[best[2]]

    c0, c1 = _bounds(text, hit.start, _CLAUSE_BREAK)
    s0, s1 = _bounds(text, hit.start, _SENTENCE_BREAK)
    p0 = text.rfind("\n\n", 0, hit.start) + 2 if "\n\n" in text[: hit.start] else 0
    window = s0
    for _ in range(2):
        if window <= p0:
            break
        window = max(p0, max(text.rfind(c, p0, window - 1) for c in _SENTENCE_BREAK) + 1)
    for a, b, table in (
        (c0, c1, lex.products),
        (c0, c1, lex.companies),
        (s0, s1, lex.products),
        (window, s1, lex.products),
        (window, s1, lex.companies),
    ):
        found = nearest(a, b, table)
        if found:
            return found
    return None


def _format_value(value: float) -> int | float:
    return (
        int(round(value)) if math.isclose(value, round(value), rel_tol=0, abs_tol=1e-9) else round(value, 6)
    )


def _check_document(doc: Any) -> None:
    for attr in ("text", "raw_text", "raw_span", "article_id"):
        if not hasattr(doc, attr):
            raise ValueError(
                f"extract_numbers expects a corpus Document, got {type(doc).__name__} (no .{attr})"
            )
    if not isinstance(doc.text, str):
        raise ValueError("doc.text must be a str")


def extract_numbers(doc: Any) -> pd.DataFrame:
    """Extract every figure of one article (a frame over :func:`figure_rows`).

    Parameters
    ----------
    doc : analysis.corpus.document.Document
        A cleaned article, or anything with its ``text``, ``raw_text``,
        ``raw_span`` and ``article_id``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, one row per figure, sorted by ``start``.
        ``start``/``end`` index ``doc.raw_text`` and ``quote`` is that slice.

    Raises
    ------
    ValueError
        If ``doc`` does not look like a :class:`~analysis.corpus.document.Document`.
    """
    df = pd.DataFrame(figure_rows(doc), columns=COLUMNS)
    return df.sort_values(["start", "end"], ignore_index=True)


def figure_rows(doc: Any) -> list[dict[str, Any]]:
    """The figures of one document as plain dicts, in match order.

    The frame-free core of :func:`extract_numbers`, cheap enough to call per sentence.

    Parameters
    ----------
    doc : analysis.corpus.document.Document
        As for :func:`extract_numbers`.

    Returns
    -------
    list of dict
        One dict per figure, with the :data:`COLUMNS` as keys.

    Raises
    ------
    ValueError
        If ``doc`` does not look like a :class:`~analysis.corpus.document.Document`.
    """
    _check_document(doc)
    lex = number_lexicon()
    text = doc.text
    blocked = _false_friend_spans(text, lex)
    rows = []
    for m in NUMERAL_CORE.finditer(text):
        hit = _candidate(text, m, lex)
        if hit is None or any(s < m.end() and m.start() < e for s, e in blocked):
            continue
        s0, s1 = _bounds(text, hit.start, _SENTENCE_BREAK)
        if any(cue in text[s0:s1] for cue in lex.hedge_sentence):
            hit.hedge = 1
        meas = _measure(text, hit, lex)
        unit = hit.unit or (meas or {}).get("unit") or hit.counter_unit or "count"
        meas = meas or _sentence_measure(text, hit, unit, lex)
        measure = (meas or {}).get("measure") or unit
        entity = _entity(text, hit, set((meas or {}).get("skip_entities", [])), lex)
        subject = f"{entity} {measure}" if entity else measure
        a, b = doc.raw_span(hit.start, hit.end)
        rows.append(
            {
                "article_id": doc.article_id,
                "quote": doc.raw_text[a:b],
                "start": a,
                "end": b,
                "value": _format_value(hit.value),
                "unit": unit,
                "subject": subject,
                "hedge": hit.hedge,
            }
        )
    return rows


def numbers_table(docs: Iterable[Any]) -> pd.DataFrame:
    """Extract the figures of several articles into one table.

    Parameters
    ----------
    docs : iterable of analysis.corpus.document.Document

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, sorted by ``article_id`` then ``start``.
    """
    return combine_frames([extract_numbers(d) for d in docs])


def combine_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-article figure tables into the sorted ``numbers.csv`` table.

    Parameters
    ----------
    frames : list of pandas.DataFrame
        :func:`extract_numbers` outputs.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, sorted by ``article_id``, ``start``, ``end``;
        ``value`` of object dtype (ints stay ints).
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    df = pd.concat(frames, ignore_index=True)
    df["value"] = df["value"].astype(object)
    return df.sort_values(["article_id", "start", "end"], ignore_index=True)[COLUMNS]

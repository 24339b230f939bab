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
(人 -> people, 家 -> firms), else ``count``.

``subject`` is ``"<entity> <measure>"`` in English (``Laiwang prize budget``,
``Taobao/Tmall installs``), or the measure alone when no entity fits.  The
entity is a canonical ``entities.yaml`` name, attributed by
:func:`_subject_entity` in the order of the coding manual (section D): the
measure's role (promotion money measures the promoted product; a share of
respondents names no entity), the possessor of the measure noun, the nearest
mention in the figure's clause (products or companies first depending on what
is counted; a mention after the figure counts double its distance), a
demonstrative product (这款…软件) or 前两个 'the first two', then the sentence
and the three sentences before it, and last the article's topic product
(:func:`topic_product`: the first product of the title, else the most named).
Coordinated mentions (淘宝、天猫) are measured together.  These rules were
written with the reference figures of all five articles in view.

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
from functools import lru_cache
from typing import Any

import pandas as pd

from analysis.extract.amounts import NUMERAL_CORE, NumberLexicon, core_value, longest_first, number_lexicon

__all__ = ["COLUMNS", "extract_numbers", "figure_rows", "numbers_table", "combine_frames", "topic_product"]

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


@lru_cache(maxsize=64)
def _longest(words: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`~analysis.extract.amounts.longest_first`, memoised (the word lists are few and fixed)."""
    return longest_first(words)


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
    cur = _match_prefix(text, pos, _longest(tuple(lex.currencies)))
    if cur:
        unit, pos = lex.currencies[cur], pos + len(cur)
    else:
        ctr = _match_prefix(text, pos, _longest(tuple(lex.counters)))
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
    # ``occupied[k]`` marks text[a + k] as inside a taken span: a span of length >= 1 overlaps the taken
    # spans iff it covers an occupied character (one C-level search, not a loop over every taken span)
    occupied = bytearray(max(b - a, 0))
    for w in _longest(tuple(words)):
        n = len(w)
        i = text.find(w, a, b)
        while i >= 0 and i + n <= b:
            free = occupied.find(1, i - a, i - a + n) < 0 if n else not any(s < i < e for s, e in taken)
            if free:
                found.append((i, i + n, w))
                taken.append((i, i + n))
                occupied[i - a : i - a + n] = b"\x01" * n
            i = text.find(w, i + 1, b)
    return sorted(found)


def _nearest_cue(text: str, a: int, b: int, pos: int, lex: NumberLexicon) -> tuple[int, int, str] | None:
    """The measure cue in ``text[a:b]`` ending nearest before ``pos`` (longest on ties)."""
    before = [o for o in _occurrences(text, a, b, lex.measures) if o[1] <= pos]
    if not before:
        return None
    return max(before, key=lambda o: (o[1], o[1] - o[0]))


def _measure(text: str, hit: _Hit, lex: NumberLexicon) -> tuple[int, int, str] | None:
    """The nearest measure cue (start, end, cue): just after the number, else back within the clause."""
    c0, c1 = _bounds(text, hit.start, _CLAUSE_BREAK)
    after = _occurrences(text, hit.end, min(c1, hit.end + lex.window_after), lex.measures)
    if after:
        return after[0]
    return _nearest_cue(text, c0, hit.start, hit.start, lex)


def _sentence_measure(text: str, hit: _Hit, unit: str, lex: NumberLexicon) -> tuple[int, int, str] | None:
    """For the subject only: a cue earlier in the sentence that agrees with ``unit``."""
    s0, _ = _bounds(text, hit.start, _SENTENCE_BREAK)
    cue = _nearest_cue(text, s0, hit.start, hit.start, lex)
    if cue and lex.measures[cue[2]].get("unit", unit) == unit:
        return cue
    return None


#: Units that count an app's people: a product has them, so products are tried before companies.
_USER_UNITS = frozenset({"users", "registrations", "dau", "mau", "installs", "friends"})
#: Units that count people: an organisation has them, so companies are tried before products.
_PEOPLE_UNITS = frozenset({"people", "employees"})
#: What may stand between two coordinated entities (淘宝、天猫, QQ和微信, 淘宝天猫).
_JOINER = re.compile(r"^[、和与及跟或\s]*$")
#: What may stand between a possessor and its measure noun (阿里系的用户, 来往团队, 淘宝、天猫用户).
_POSSESSIVE_GAP = re.compile(r"^[的之\s]{0,2}$")
#: A product named by a demonstrative (这款…软件 'this app'): the article's topic product.
_DEMONSTRATIVE = re.compile(r"(?:这款|此款|该款|该)[^,，。;；!?！？]{0,16}?(?:软件|产品|应用|APP|App|app)")
#: 前两个 'the first two' (of a list named just before).
_FIRST_N = re.compile(r"前(两|二|三|四|2|3|4)(?:个|款|家|者)")
_FIRST_N_VALUE = {"两": 2, "二": 2, "三": 3, "四": 4, "2": 2, "3": 3, "4": 4}
#: 之一 'one of' after the figure: the entity before it is a member of the set counted, not its owner.
_MEMBER = re.compile(r"^[^,，。;；!?！？]{0,30}?之一")
#: Verbs whose object is the product that money was spent to promote (奖品推广来往, 促来往推广).
_PROMOTE = ("推广", "强推", "促", "推")


def _entity_occurrences(text: str, a: int, b: int, lex: NumberLexicon) -> list[tuple[int, int, str, str]]:
    """Entity mentions in ``text[a:b]``: ``(start, end, English name, kind)``, in text order."""
    out = []
    for s, e, w in _occurrences(text, a, b, lex.products | lex.companies):
        kind = "product" if w in lex.products else "company"
        out.append((s, e, (lex.products if kind == "product" else lex.companies)[w], kind))
    return out


def _group(occ: list[tuple[int, int, str, str]], i: int, text: str) -> str:
    """The name of mention ``i``, joined with the mentions coordinated with it (``Taobao/Tmall``)."""
    lo = hi = i
    while lo > 0 and occ[lo - 1][3] == occ[i][3] and _JOINER.match(text[occ[lo - 1][1] : occ[lo][0]]):
        lo -= 1
    while hi + 1 < len(occ) and occ[hi + 1][3] == occ[i][3] and _JOINER.match(text[occ[hi][1] : occ[hi + 1][0]]):
        hi += 1
    names = list(dict.fromkeys(o[2] for o in occ[lo : hi + 1]))
    return "/".join(names)


def topic_product(doc: Any, lex: NumberLexicon | None = None) -> str | None:
    """The product an article is about: the first product its title names, else its most named product.

    Parameters
    ----------
    doc : analysis.corpus.document.Document
        With ``text`` and, optionally, ``meta["title"]``.
    lex : NumberLexicon, optional
        Default :func:`~analysis.extract.amounts.number_lexicon`.

    Returns
    -------
    str or None
        The English name, ``None`` when the article names no product.  Ties
        in the count go to the product named first.
    """
    lex = lex or number_lexicon()
    title = str((getattr(doc, "meta", None) or {}).get("title") or "")
    in_title = [o for o in _entity_occurrences(title, 0, len(title), lex) if o[3] == "product"]
    if in_title:
        return in_title[0][2]
    occ = [o for o in _entity_occurrences(doc.text, 0, len(doc.text), lex) if o[3] == "product"]
    if not occ:
        return None
    counts: dict[str, list[int]] = {}
    for o in occ:
        counts.setdefault(o[2], []).append(o[0])
    return min(counts, key=lambda name: (-len(counts[name]), counts[name][0]))


def _subject_entity(text: str, hit: _Hit, meas: dict[str, Any], cue: tuple[int, int, str] | None, unit: str,
                    lex: NumberLexicon, topic: str | None) -> str | None:
    """The entity (or ``/``-joined entities) that a figure measures, or ``None`` when no entity fits.

    The tests, in order (coding manual, section D):

    1. ``role: none`` of the measure, or 之一 after the figure (X 是 N 家…之一:
       X is one of the N) -> no entity;
    2. ``role: promoted`` (prizes, promotion spend): the product right after
       推广/促/推 in the sentence, else the article's topic product;
    3. the possessor of the measure noun (阿里系的用户, 来往团队, 淘宝、天猫用户);
    4. the nearest mention in the figure's clause, products first (companies
       first when the measure belongs to a company or counts people); a
       mention after the figure counts double its distance;
    5. a demonstrative product (这款…软件) -> the topic product; 前两个 -> the
       first two of the list named before it;
    6. the nearest mention in the sentence, then in the three sentences before
       it (same paragraph), in the same order of kinds; for a count of an
       app's users the article's topic product comes before any company.

    A chosen mention takes the mentions coordinated with it (淘宝、天猫 ->
    ``Taobao/Tmall``).  Entities of ``skip_entities`` never count.
    """
    skip = set(meas.get("skip_entities", []))
    c0, c1 = _bounds(text, hit.start, _CLAUSE_BREAK)
    s0, s1 = _bounds(text, hit.start, _SENTENCE_BREAK)
    p0 = text.rfind("\n\n", 0, hit.start) + 2 if "\n\n" in text[: hit.start] else 0
    window = s0
    for _ in range(3):
        if window <= p0:
            break
        window = max(p0, max(text.rfind(c, p0, window - 1) for c in _SENTENCE_BREAK) + 1)
    sentence = [o for o in _entity_occurrences(text, window, s1, lex) if o[2] not in skip]
    if meas.get("role") == "none":
        return None
    if _MEMBER.match(text[hit.end : c1]) and any(c0 <= o[0] and o[1] <= hit.start for o in sentence):
        return None
    if meas.get("role") == "promoted":
        for i, o in enumerate(sentence):
            if o[0] >= s0 and o[3] == "product" and (
                any(text[max(s0, o[0] - len(v)) : o[0]] == v for v in _PROMOTE) or text.startswith("推广", o[1])
            ):
                return _group(sentence, i, text)
        if topic:
            return topic
    if cue is not None:
        for i, o in enumerate(sentence):
            if o[1] <= cue[0] and _POSSESSIVE_GAP.match(text[o[1] : cue[0]]) and o[0] >= s0:
                return _group(sentence, i, text)
    company_first = meas.get("prefer") == "company" or unit in _PEOPLE_UNITS
    kinds = ("company", "product") if company_first else ("product", "company")

    def nearest(a: int, b: int, kind: str) -> str | None:
        cands = [(i, o) for i, o in enumerate(sentence) if o[3] == kind and a <= o[0] and o[1] <= b]
        if not cands:
            return None
        dist = [(hit.start - o[1]) if o[1] <= hit.start else 2 * (o[0] - hit.end) for _, o in cands]
        best = min(range(len(cands)), key=lambda j: (max(dist[j], 0), cands[j][1][0]))
        return _group(sentence, cands[best][0], text)

    for kind in kinds:
        found = nearest(c0, c1, kind)
        if found:
            return found
    clause = text[c0:c1]
    if topic and _DEMONSTRATIVE.search(clause):
        return topic
    m = _FIRST_N.search(clause)
    if m:
        listed = [i for i, o in enumerate(sentence) if s0 <= o[0] and o[1] <= c0]
        if listed:
            last = listed[-1]
            members = _group(sentence, last, text).split("/")
            return "/".join(members[: _FIRST_N_VALUE[m.group(1)]])
    scopes = [(s0, s1, kinds[0]), (window, s1, kinds[0])]
    if unit in _USER_UNITS and not company_first:
        scopes += [(0, 0, "topic")]
    scopes += [(s0, s1, kinds[1]), (window, s1, kinds[1]), (0, 0, "topic")]
    for a, b, kind in scopes:
        found = topic if kind == "topic" else nearest(a, b, kind)
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
    topic = topic_product(doc, lex)
    blocked = _false_friend_spans(text, lex)
    rows = []
    for m in NUMERAL_CORE.finditer(text):
        hit = _candidate(text, m, lex)
        if hit is None or any(s < m.end() and m.start() < e for s, e in blocked):
            continue
        s0, s1 = _bounds(text, hit.start, _SENTENCE_BREAK)
        if any(cue in text[s0:s1] for cue in lex.hedge_sentence):
            hit.hedge = 1
        cue = _measure(text, hit, lex)
        unit = hit.unit or (lex.measures[cue[2]] if cue else {}).get("unit") or hit.counter_unit or "count"
        cue = cue or _sentence_measure(text, hit, unit, lex)
        meas = lex.measures[cue[2]] if cue else {}
        measure = meas.get("measure") or unit
        entity = _subject_entity(text, hit, meas, cue, unit, lex, topic)
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

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
``data/lexicon/numbers.yaml``.

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
from the raw file through :meth:`analysis.corpus.Document.raw_span`, so
``raw_text[start:end] == quote`` and article 002 is quoted in Traditional
characters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis import config

__all__ = [
    "COLUMNS",
    "LEXICON_FILE",
    "GOLD_FILE",
    "parse_amount",
    "extract_numbers",
    "numbers_table",
    "locate_quotes",
    "score_numbers",
]

#: Output columns of ``numbers.csv``, in order.
COLUMNS = ["article_id", "quote", "start", "end", "value", "unit", "subject", "hedge"]
LEXICON_FILE: Path = config.NUMBERS_FILE
GOLD_FILE: Path = config.NUMBERS_GOLD_FILE

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUM = _CN_DIGITS + "十百千万亿"
_CLAUSE_BREAK = ",，;；:：。!?！？\n"
_SENTENCE_BREAK = "。!?！？;；\n"
#: The numeric core: Arabic (with an optional range, 个 and multiplier run) or a Chinese numeral run.
_CORE = re.compile(
    r"(?P<dig>\d+(?:\.\d+)?)(?:\s*[-~～—至到]\s*(?P<dig2>\d+(?:\.\d+)?))?"
    r"(?P<ap1>[多余])?(?P<ge>个(?=[十百千万亿]))?(?P<dmult>[十百千万亿]*)"
    r"|(?P<cn>[几数]?(?:[" + _CN_NUM + r"]+半?|半[十百千万亿]*))"
)
_LATIN = re.compile(r"[A-Za-z]")


# ---------------------------------------------------------------------------
# lexicon
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    """The parsed ``numbers.yaml`` (see the file's comments for each field)."""

    multipliers: dict[str, float]
    fractions: dict[str, tuple[float, str]]
    currencies: dict[str, str]
    counters: dict[str, str]
    time_units: tuple[str, ...]
    hedge_before: tuple[str, ...]
    hedge_after: tuple[str, ...]
    hedge_sentence: tuple[str, ...]
    hedge_not_after: dict[str, str]
    lead_cues: tuple[str, ...]
    bare_lead_cues: tuple[str, ...]
    false_friends: tuple[re.Pattern[str], ...]
    window_after: int
    measures: dict[str, dict[str, Any]]
    products: dict[str, str]
    companies: dict[str, str]


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read and validate ``numbers.yaml``.

    Raises
    ------
    ValueError
        If a section is missing or malformed.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    need = [
        "multipliers",
        "fractions",
        "currencies",
        "counters",
        "time_units",
        "hedges",
        "lead_cues",
        "bare_lead_cues",
        "false_friends",
        "window_after",
        "measures",
        "entities",
    ]
    missing = [k for k in need if k not in (data or {})]
    if missing:
        raise ValueError(f"{path}: missing sections {missing}")
    hedges = data["hedges"]
    return Lexicon(
        multipliers={str(k): float(v) for k, v in data["multipliers"].items()},
        fractions={str(k): (float(v[0]), str(v[1])) for k, v in data["fractions"].items()},
        currencies={str(k): str(v) for k, v in data["currencies"].items()},
        counters={str(k): str(v) for k, v in data["counters"].items()},
        time_units=_longest_first(data["time_units"]),
        hedge_before=_longest_first(hedges["before"]),
        hedge_after=_longest_first(hedges["after"]),
        hedge_sentence=tuple(hedges["sentence"]),
        hedge_not_after={str(k): "".join(v) for k, v in hedges.get("not_after", {}).items()},
        lead_cues=_longest_first(data["lead_cues"]),
        bare_lead_cues=_longest_first(data["bare_lead_cues"]),
        false_friends=tuple(re.compile(p) for p in data["false_friends"]),
        window_after=int(data["window_after"]),
        measures={str(k): dict(v) for k, v in data["measures"].items()},
        products={str(k): str(v) for k, v in data["entities"]["products"].items()},
        companies={str(k): str(v) for k, v in data["entities"]["companies"].items()},
    )


# ---------------------------------------------------------------------------
# normalisation of one amount
# ---------------------------------------------------------------------------
def _mult_value(run: str, lex: Lexicon) -> float:
    """Value of a run of multiplier characters (千万 = 10^7, 万亿 = 10^12, '' = 1)."""
    value = 1.0
    for ch in run:
        if ch not in lex.multipliers:
            raise ValueError(f"not a multiplier: {ch!r}")
        value *= lex.multipliers[ch]
    return value


def _cn_value(run: str, lex: Lexicon) -> tuple[float, bool, bool]:
    """Parse a Chinese numeral run.

    Returns
    -------
    (float, bool, bool)
        The value, whether it is vague (几/数, lower bound), and whether it
        carries a multiplier (十/百/千/万/亿).
    """
    import cn2an

    vague = run[0] in "几数"
    body = run[1:] if vague else run
    has_mult = any(ch in "十百千万亿" for ch in body)
    if body.startswith("半"):  # 半 = 0.5, 半亿 = 0.5 * 10^8
        return 0.5 * _mult_value(body[1:], lex), vague, has_mult
    half = body.endswith("半")  # 一亿半 = 1.5 * 10^8
    if half:
        body = body[:-1]
    if not body:
        return 1.0, True, False
    if vague:
        body = "一" + body if body[0] in "十百千万亿" else body
    if all(ch in "十百千万亿" for ch in body):
        value = _mult_value(body, lex)
    else:
        try:
            value = float(cn2an.cn2an(body, "smart"))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"cannot parse Chinese numeral {run!r}") from exc
    if half:
        last = next((lex.multipliers[c] for c in reversed(body) if c in "十百千万亿"), 1.0)
        value += 0.5 * last
    return value, vague, has_mult


def _strip_affixes(text: str, lex: Lexicon) -> str:
    for h in lex.hedge_before:
        if text.startswith(h) and len(text) > len(h):
            text = text[len(h) :]
            break
    for h in lex.hedge_after:
        if text.endswith(h) and len(text) > len(h):
            text = text[: -len(h)]
            break
    return text


def parse_amount(text: str) -> tuple[float, str | None]:
    """Normalise one amount string to a value in base units and its unit.

    Parameters
    ----------
    text : str
        One amount, such as ``"4亿"``, ``"2.5亿美金"``, ``"近1000万元"``,
        ``"21%"``, ``"一千万"``, ``"10个亿"`` or ``"30万家"``.  Hedge words
        around it are ignored (see :func:`extract_numbers` for the hedge flag);
        a range (``"2-10元"``) gives its lower bound.

    Returns
    -------
    (float, str or None)
        The value and the unit implied by the suffix (``"CNY"``, ``"USD"``,
        ``"percent"``, a counter's unit such as ``"people"``), or ``None``
        for a bare number.

    Raises
    ------
    ValueError
        If ``text`` is not a string or holds no parsable amount.

    Examples
    --------
    >>> parse_amount("2.5亿美金")
    (250000000.0, 'USD')
    >>> parse_amount("1000万")
    (10000000.0, None)
    """
    if not isinstance(text, str):
        raise ValueError(f"parse_amount expects a str, got {type(text).__name__}")
    lex = load_lexicon()
    s = _strip_affixes(text.strip().replace(",", ""), lex)
    if s in lex.fractions:
        return lex.fractions[s]
    m = _CORE.match(s)
    if not m:
        raise ValueError(f"no amount in {text!r}")
    value = _core_value(m, lex)[0]
    rest = s[m.end() :]
    if rest in lex.hedge_after:
        rest = ""
    unit = None
    if rest:
        if rest in lex.currencies:
            unit = lex.currencies[rest]
        elif rest in lex.counters:
            unit = lex.counters[rest]
        else:
            raise ValueError(f"unknown unit {rest!r} in {text!r}")
    return value, unit


def _core_value(m: re.Match[str], lex: Lexicon) -> tuple[float, bool, bool, bool]:
    """Value of a matched numeric core.

    Returns
    -------
    (value, vague, has_mult, is_range)
    """
    if m.group("dig") is not None:
        mult = _mult_value(m.group("dmult"), lex)
        value = float(m.group("dig")) * mult
        approx = m.group("ap1") is not None
        return value, approx, bool(m.group("dmult")), m.group("dig2") is not None
    value, vague, has_mult = _cn_value(m.group("cn"), lex)
    return value, vague, has_mult, False


# ---------------------------------------------------------------------------
# extraction
# ---------------------------------------------------------------------------
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


def _false_friend_spans(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for pat in lex.false_friends for m in pat.finditer(text)]
    return sorted(s for s in spans if s[1] > s[0])


def _candidate(text: str, m: re.Match[str], lex: Lexicon) -> _Hit | None:
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
        value, vague, has_mult, is_range = _core_value(m, lex)
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
    cur = _match_prefix(text, pos, _longest_first(lex.currencies))
    if cur:
        unit, pos = lex.currencies[cur], pos + len(cur)
    else:
        ctr = _match_prefix(text, pos, _longest_first(lex.counters))
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
    for w in _longest_first(words):
        i = text.find(w, a, b)
        while i >= 0 and i + len(w) <= b:
            if not any(s < i + len(w) and i < e for s, e in taken):
                found.append((i, i + len(w), w))
                taken.append((i, i + len(w)))
            i = text.find(w, i + 1, b)
    return sorted(found)


def _nearest_cue(text: str, a: int, b: int, pos: int, lex: Lexicon) -> str | None:
    """The measure cue in ``text[a:b]`` ending nearest before ``pos`` (longest on ties)."""
    before = [o for o in _occurrences(text, a, b, lex.measures) if o[1] <= pos]
    if not before:
        return None
    return max(before, key=lambda o: (o[1], o[1] - o[0]))[2]


def _measure(text: str, hit: _Hit, lex: Lexicon) -> dict[str, Any] | None:
    """The nearest measure cue: just after the number, else back within the clause."""
    c0, c1 = _bounds(text, hit.start, _CLAUSE_BREAK)
    after = _occurrences(text, hit.end, min(c1, hit.end + lex.window_after), lex.measures)
    if after:
        return lex.measures[after[0][2]]
    cue = _nearest_cue(text, c0, hit.start, hit.start, lex)
    return lex.measures[cue] if cue else None


def _sentence_measure(text: str, hit: _Hit, unit: str, lex: Lexicon) -> dict[str, Any] | None:
    """For the subject only: a cue earlier in the sentence that agrees with ``unit``."""
    s0, _ = _bounds(text, hit.start, _SENTENCE_BREAK)
    cue = _nearest_cue(text, s0, hit.start, hit.start, lex)
    if cue and lex.measures[cue].get("unit", unit) == unit:
        return lex.measures[cue]
    return None


def _entity(text: str, hit: _Hit, skip: set[str], lex: Lexicon) -> str | None:
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


def extract_numbers(doc: Any) -> pd.DataFrame:
    """Extract every figure of one article (a frame over :func:`figure_rows`).

    Parameters
    ----------
    doc : analysis.corpus.Document
        A cleaned article (``text``, ``raw_text``, ``raw_span``, ``article_id``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, one row per figure, sorted by ``start``.
        ``start``/``end`` index ``doc.raw_text`` and ``quote`` is that slice.

    Raises
    ------
    ValueError
        If ``doc`` does not look like a :class:`~analysis.corpus.Document`.
    """
    for attr in ("text", "raw_text", "raw_span", "article_id"):
        if not hasattr(doc, attr):
            raise ValueError(
                f"extract_numbers expects a corpus Document, got {type(doc).__name__} (no .{attr})"
            )
    df = pd.DataFrame(figure_rows(doc), columns=COLUMNS)
    return df.sort_values(["start", "end"], ignore_index=True)


def figure_rows(doc: Any) -> list[dict[str, Any]]:
    """The figures of one document as plain dicts (the :data:`COLUMNS` keys), in match order.

    The frame-free core of :func:`extract_numbers`, cheap enough to call per sentence.
    """
    for attr in ("text", "raw_text", "raw_span", "article_id"):
        if not hasattr(doc, attr):
            raise ValueError(
                f"extract_numbers expects a corpus Document, got {type(doc).__name__} (no .{attr})"
            )
    if not isinstance(doc.text, str):
        raise ValueError("doc.text must be a str")
    lex = load_lexicon()
    text = doc.text
    blocked = _false_friend_spans(text, lex)
    rows = []
    for m in _CORE.finditer(text):
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
    docs : iterable of analysis.corpus.Document

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, sorted by ``article_id`` then ``start``.
    """
    return combine_frames([extract_numbers(d) for d in docs])


def combine_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-article figure tables into the sorted ``numbers.csv`` table."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    df = pd.concat(frames, ignore_index=True)
    df["value"] = df["value"].astype(object)
    return df.sort_values(["article_id", "start", "end"], ignore_index=True)[COLUMNS]


# ---------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------
def locate_quotes(gold: pd.DataFrame, docs: Iterable[Any]) -> pd.DataFrame:
    """Give hand-labelled quotes their raw ``start``/``end``.

    The rows of each article must be in text order: each quote is searched for
    in the raw text after the previous one, and only where the raw characters
    survived cleaning (so a copy in a dropped duplicate block is never used).

    Raises
    ------
    ValueError
        If a quote cannot be found.
    """
    by_id = {d.article_id: d for d in docs}
    out = gold.copy()
    starts, ends = [], []
    cursor: dict[str, int] = {}
    for aid, quote in zip(out["article_id"], out["quote"], strict=True):
        if aid not in by_id:
            raise ValueError(f"gold article {aid!r} is not in the corpus")
        doc = by_id[aid]
        kept = set(doc.offsets)
        i = doc.raw_text.find(quote, cursor.get(aid, 0))
        while i >= 0 and not (i in kept and i + len(quote) - 1 in kept):
            i = doc.raw_text.find(quote, i + 1)
        if i < 0:
            raise ValueError(f"gold quote {quote!r} not found in the body of {aid} (rows out of order?)")
        starts.append(i)
        ends.append(i + len(quote))
        cursor[aid] = i + len(quote)
    out["start"], out["end"] = starts, ends
    return out


def score_numbers(pred: pd.DataFrame, gold: pd.DataFrame) -> dict:
    """Precision, recall and F1 of extracted figures against a gold set.

    Matching rule: a predicted row and a gold row *match* when they are in the
    same article and their raw spans overlap (``start``/``end``; without those
    columns, when one quote contains the other).  Rows are paired one-to-one,
    greedily in text order.  A match is *correct* when the values agree to a
    relative 1e-6 and the units are equal.  Precision = correct / predicted,
    recall = correct / gold.  The span-only scores and the hedge agreement on
    matched pairs are reported too.

    Parameters
    ----------
    pred, gold : pandas.DataFrame
        Both with ``article_id``, ``quote``, ``value``, ``unit`` (``hedge``
        optional), ideally ``start``/``end``.

    Returns
    -------
    dict
        ``precision``, ``recall``, ``f1``, ``span_precision``, ``span_recall``,
        ``hedge_agreement``, ``n_pred``, ``n_gold``, ``n_correct``, and
        ``errors`` (a list of ``(kind, article_id, quote)`` tuples).
    """
    for name, df in (("pred", pred), ("gold", gold)):
        if not isinstance(df, pd.DataFrame):
            raise ValueError(f"{name} must be a DataFrame, got {type(df).__name__}")
        miss = {"article_id", "quote", "value", "unit"} - set(df.columns)
        if miss:
            raise ValueError(f"{name} lacks columns {sorted(miss)}")
    use_spans = {"start", "end"} <= set(pred.columns) and {"start", "end"} <= set(gold.columns)

    def overlaps(p: pd.Series, g: pd.Series) -> bool:
        if use_spans:
            return int(p["start"]) < int(g["end"]) and int(g["start"]) < int(p["end"])
        return str(p["quote"]) in str(g["quote"]) or str(g["quote"]) in str(p["quote"])

    used: set[int] = set()
    pairs: list[tuple[pd.Series, pd.Series]] = []
    errors: list[tuple[str, str, str]] = []
    for _, g in gold.iterrows():
        cands = [
            i
            for i, p in pred.iterrows()
            if i not in used and p["article_id"] == g["article_id"] and overlaps(p, g)
        ]
        if not cands:
            errors.append(("missed", g["article_id"], g["quote"]))
            continue
        used.add(cands[0])
        pairs.append((pred.loc[cands[0]], g))
    errors += [("spurious", p["article_id"], p["quote"]) for i, p in pred.iterrows() if i not in used]
    n_correct = 0
    hedge_ok = 0
    for p, g in pairs:
        ok = math.isclose(float(p["value"]), float(g["value"]), rel_tol=1e-6) and str(p["unit"]) == str(
            g["unit"]
        )
        n_correct += ok
        if not ok:
            errors.append(
                (
                    "wrong",
                    g["article_id"],
                    f"{g['quote']}: {p['value']} {p['unit']} vs gold {g['value']} {g['unit']}",
                )
            )
        if "hedge" in p and "hedge" in g:
            hedge_ok += int(p["hedge"]) == int(g["hedge"])
    n_pred, n_gold = len(pred), len(gold)
    precision = n_correct / n_pred if n_pred else 0.0
    recall = n_correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "span_precision": len(pairs) / n_pred if n_pred else 0.0,
        "span_recall": len(pairs) / n_gold if n_gold else 0.0,
        "hedge_agreement": hedge_ok / len(pairs) if pairs else 0.0,
        "n_pred": n_pred,
        "n_gold": n_gold,
        "n_correct": n_correct,
        "errors": errors,
    }

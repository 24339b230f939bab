r"""Amounts: the value of one numeral expression, Arabic or Chinese, in base units.

An amount is a numeric core times a multiplier,

.. math::

    \text{value} = \text{NUM} \times \text{MULT}, \qquad
    \text{MULT} \in \{万亿, 千万, 百万, 十万, 亿, 万, 千, 百, 十\},

where a run of multipliers multiplies out (千万 = :math:`10^3 \times 10^4`).
NUM is Arabic (``2.5``, or a range ``2-10`` valued at its lower bound) or a
Chinese numeral run parsed with ``cn2an`` (``一千``, ``两``).  The vague
numerals 几/数 count as 1, the lower bound (几十万 = 100 000), and 半 as one
half (半亿 = :math:`5 \times 10^7`, 一亿半 = :math:`1.5 \times 10^8`).  A
currency or counter suffix gives the unit (``2.5亿美金`` is 250 000 000 USD,
``21%`` is 21 percent).  Every word list comes from ``data/lexicon/numbers.yaml``
(:func:`analysis.lexicon.numbers`), as a :class:`NumberLexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from analysis import lexicon

__all__ = ["NumberLexicon", "number_lexicon", "longest_first", "NUMERAL_CORE", "core_value", "parse_amount"]

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_MULT = "十百千万亿"
_CN_NUM = _CN_DIGITS + _CN_MULT
#: The numeric core of an amount: Arabic (with an optional range, 多/余, 个 and
#: multiplier run) or a Chinese numeral run (with 几/数 and 半).
NUMERAL_CORE = re.compile(
    r"(?P<dig>\d+(?:\.\d+)?)(?:\s*[-~～—至到]\s*(?P<dig2>\d+(?:\.\d+)?))?"
    r"(?P<ap1>[多余])?(?P<ge>个(?=[十百千万亿]))?(?P<dmult>[十百千万亿]*)"
    r"|(?P<cn>[几数]?(?:[" + _CN_NUM + r"]+半?|半[十百千万亿]*))"
)


@dataclass(frozen=True)
class NumberLexicon:
    """The number lexicon (``numbers.yaml``), ready for matching (see the file's comments for each field).

    Word lists that are matched as prefixes or suffixes are sorted longest first.
    """

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


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """Distinct words, longest first (ties in code-point order), for greedy matching.

    Parameters
    ----------
    words : iterable of str

    Returns
    -------
    tuple of str
    """
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


_BUILT: dict[str, tuple[Any, NumberLexicon]] = {}


def number_lexicon() -> NumberLexicon:
    """The project's number lexicon, built once per load of ``numbers.yaml``.

    Returns
    -------
    NumberLexicon

    Raises
    ------
    analysis.lexicon.LexiconError
        If ``numbers.yaml`` is malformed.
    """
    data = lexicon.numbers()
    built = _BUILT.get("numbers")
    if built is None or built[0] is not data:  # lexicon.clear_cache() reloads the file
        hedges, ents = data["hedges"], data["entities"]
        built = (data, NumberLexicon(
            multipliers=dict(data["multipliers"]),
            fractions=dict(data["fractions"]),
            currencies=dict(data["currencies"]),
            counters=dict(data["counters"]),
            time_units=longest_first(data["time_units"]),
            hedge_before=longest_first(hedges["before"]),
            hedge_after=longest_first(hedges["after"]),
            hedge_sentence=tuple(hedges["sentence"]),
            hedge_not_after={k: "".join(v) for k, v in hedges["not_after"].items()},
            lead_cues=longest_first(data["lead_cues"]),
            bare_lead_cues=longest_first(data["bare_lead_cues"]),
            false_friends=tuple(re.compile(p) for p in data["false_friends"]),
            window_after=data["window_after"],
            measures={k: dict(v) for k, v in data["measures"].items()},
            products=dict(ents["products"]),
            companies=dict(ents["companies"]),
        ))
        _BUILT["numbers"] = built
    return built[1]


def _mult_value(run: str, lex: NumberLexicon) -> float:
    """Value of a run of multiplier characters (千万 = 10^7, 万亿 = 10^12, '' = 1)."""
    value = 1.0
    for ch in run:
        if ch not in lex.multipliers:
            raise ValueError(f"not a multiplier: {ch!r}")
        value *= lex.multipliers[ch]
    return value


def _cn2an(body: str) -> float:
    import cn2an  # on first use: cn2an takes about 0.1 s to import

    return float(cn2an.cn2an(body, "smart"))


def _cn_value(run: str, lex: NumberLexicon) -> tuple[float, bool, bool]:
    """Parse a Chinese numeral run.

    Returns
    -------
    (float, bool, bool)
        The value, whether it is vague (几/数, lower bound), and whether it
        carries a multiplier (十/百/千/万/亿).
    """
    vague = run[0] in "几数"
    body = run[1:] if vague else run
    has_mult = any(ch in _CN_MULT for ch in body)
    if body.startswith("半"):  # 半 = 0.5, 半亿 = 0.5 * 10^8
        return 0.5 * _mult_value(body[1:], lex), vague, has_mult
    half = body.endswith("半")  # 一亿半 = 1.5 * 10^8
    if half:
        body = body[:-1]
    if not body:
        return 1.0, True, False
    if vague:
        body = "一" + body if body[0] in _CN_MULT else body
    if all(ch in _CN_MULT for ch in body):
        value = _mult_value(body, lex)
    else:
        try:
            value = _cn2an(body)
        except (ValueError, KeyError) as exc:
            raise ValueError(f"cannot parse Chinese numeral {run!r}") from exc
    if half:
        last = next((lex.multipliers[c] for c in reversed(body) if c in _CN_MULT), 1.0)
        value += 0.5 * last
    return value, vague, has_mult


def core_value(m: re.Match[str], lex: NumberLexicon) -> tuple[float, bool, bool, bool]:
    """The value of a numeric core matched by :data:`NUMERAL_CORE`.

    Parameters
    ----------
    m : re.Match
        A match of :data:`NUMERAL_CORE`.
    lex : NumberLexicon

    Returns
    -------
    (float, bool, bool, bool)
        The value, whether it is vague (几/数, or 多/余 after the digits),
        whether it carries a multiplier, and whether it is a range.

    Raises
    ------
    ValueError
        If a Chinese numeral run does not parse.
    """
    if m.group("dig") is not None:
        mult = _mult_value(m.group("dmult"), lex)
        value = float(m.group("dig")) * mult
        approx = m.group("ap1") is not None
        return value, approx, bool(m.group("dmult")), m.group("dig2") is not None
    value, vague, has_mult = _cn_value(m.group("cn"), lex)
    return value, vague, has_mult, False


def _strip_affixes(text: str, lex: NumberLexicon) -> str:
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
        around it are ignored (see :func:`analysis.extract.figures.extract_numbers`
        for the hedge flag); a range (``"2-10元"``) gives its lower bound.

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
    lex = number_lexicon()
    s = _strip_affixes(text.strip().replace(",", ""), lex)
    if s in lex.fractions:
        return lex.fractions[s]
    m = NUMERAL_CORE.match(s)
    if not m:
        raise ValueError(f"no amount in {text!r}")
    value = core_value(m, lex)[0]
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

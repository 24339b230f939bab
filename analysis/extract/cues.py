r"""Claim types: a sentence's type, from cue lexicons and fact evidence.

A sentence gets one **type** from the cue lexicons of ``data/lexicon/cues.yaml``
(:func:`analysis.lexicon.cues`), tried in priority order

.. math::

    \text{recommendation} \succ \text{prediction} \succ \text{causal} \succ \text{fact} \succ \text{other},

where a cue occurrence counts only when it is not inside one of its listed
false cues (要 in 需要, 将 in 将军, 会 in 社会) and, for the future marker 将,
when its clause has no disposal complement (将 X 纳入 Y is 把 X 纳入 Y).
A recommendation cue inside a prohibitive phrase (不应该, 不要, 别) keeps the
type but sets the polarity to ``"negative"``; inside a "need not" phrase
(不必, 没必要) the cue is switched off.

A sentence is a **fact** (when no higher type applies) on a reporting or
event verb of the lexicon (推出, 宣布, 透露...) or on the evidence that
:mod:`analysis.extract.evidence` finds: a figure, a concrete date, a past
event.  A question (final ``?``, or a final 吗/呢 in a headline) asserts
nothing, so it is never a fact, whatever evidence it carries
(这一回...能不能圆了阿里巴巴的社交梦呢?); the ``question`` key of
:func:`cue_hits` records it.  Higher types win: 肯定 in
在微信已经有几亿用户的时候,...肯定走不下去 keeps the sentence a prediction.

Each type may also list ``patterns``, regular expressions for cues that are
not a fixed word (可以…尝试, a final 重要); their matches join the type's hits.
``fact.attribution`` lists the verbs of saying (说, 表示, 称...), reported under
the ``attribution`` key.  :func:`type_from_hits` and :func:`classify` are the
cue priority alone; the claims table types a sentence by the coding manual's
full decision order, with headings, lists and questions
(:mod:`analysis.extract.rules`), and then by the cross-fitted coder
(:mod:`analysis.extract.classifier`).

The same lexicon lists the criticism and praise cues that
:mod:`analysis.themes` uses for the stance of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from analysis import lexicon
from analysis.extract.evidence import CLAUSE_END, concrete_dates, past_events, sentence_figures
from analysis.extract.exhaustive import active as _exhaustive
from analysis.extract.spans import inside, occurrences

__all__ = [
    "TYPES",
    "HIT_KEYS",
    "cue_hits",
    "advice_hits",
    "type_from_hits",
    "classify",
    "polarity_from_hits",
    "polarity",
    "criticism_cues",
    "praise_cues",
]

#: Sentence types, in priority order, then the fallback.
TYPES: tuple[str, ...] = lexicon.CLAIM_TYPES
#: The keys of :func:`cue_hits`, in order.
HIT_KEYS: tuple[str, ...] = ("recommendation", "recommendation_negative", "prediction", "prediction_weak",
                             "causal", "fact", "figure", "date", "past", "question", "attribution")

#: A question: a final question mark, or a final 吗/呢 (headlines drop the mark); closing quotes ignored.
_QUESTION = re.compile(r"(?:[?？]|[吗呢])[”’」』)）》】\"'\s]*$")


def _live(text: str, cue: str, false_words: Iterable[str]) -> list[tuple[int, int]]:
    """The occurrences of ``cue`` that are not inside one of its false cues."""
    if cue not in text and not _exhaustive():
        return []  # the common case: no occurrence, so no false cue to look for
    blocked = [s for w in false_words for s in occurrences(text, w)]
    return [s for s in occurrences(text, cue) if not inside(s, blocked)]


@lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _pattern_hits(sentence: str, patterns: tuple[str, ...]) -> list[str]:
    """The text of every match of the section's ``patterns`` (regular expressions)."""
    return [m.group(0) for rx in _compiled(tuple(patterns)) for m in rx.finditer(sentence)]


def _disposal(text: str, end: int, markers: Iterable[str]) -> bool:
    """Whether the clause after ``end`` holds a disposal complement (纳入, 并入...)."""
    m = CLAUSE_END.search(text, end)
    clause = text[end : m.start() if m else len(text)]
    return any(mk in clause for mk in markers)


def _check_str(sentence: Any) -> None:
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")


def cue_hits(sentence: str, cues: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """The live cues of each type, and the fact evidence, found in a sentence.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    cues : dict, optional
        Lexicons as :func:`analysis.lexicon.cues` returns them (default: the project's).

    Returns
    -------
    dict
        Keys :data:`HIT_KEYS`: ``recommendation``, ``recommendation_negative``,
        ``prediction``, ``prediction_weak`` (not used by :func:`classify`),
        ``causal``, ``fact``, ``figure``
        (:func:`~analysis.extract.evidence.sentence_figures`), ``date``
        (:func:`~analysis.extract.evidence.concrete_dates`), ``past``
        (:func:`~analysis.extract.evidence.past_events`), ``question`` (the
        final ``?``/吗/呢 of a question) and ``attribution`` (verbs of saying,
        ``fact.attribution``); values are sorted lists of the strings that
        matched (with repeats).  The matches of each type's ``patterns``
        (regular expressions) join that type's list.  Every call returns new
        lists; the result is memoised per sentence and lexicon object, since the
        claims stage asks for the same sentence up to three times.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    cues = cues or lexicon.cues()
    if _exhaustive():
        return _cue_hits(sentence, cues)
    global _MEMO_CUES
    if _MEMO_CUES is not cues:
        _MEMO.clear()
        _MEMO_CUES = cues
    hits = _MEMO.get(sentence)
    if hits is None:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        hits = _MEMO[sentence] = _cue_hits(sentence, cues)
    return {k: list(v) for k, v in hits.items()}


#: Memo of :func:`cue_hits` for one lexicon object (cleared when another is passed, or when full).
_MEMO: dict[str, dict[str, list[str]]] = {}
_MEMO_CUES: Any = None
_MEMO_MAX = 20_000


def advice_hits(sentence: str, cues: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """The ``recommendation``, ``recommendation_negative`` and ``prediction`` hits of :func:`cue_hits` alone.

    The same lists as :func:`cue_hits` gives under those keys, without the fact evidence (figures,
    dates, POS-tagged past events) that the stance coder does not read, and not memoised.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    cues : dict, optional
        Lexicons as :func:`analysis.lexicon.cues` returns them (default: the project's).

    Returns
    -------
    dict
        The three keys, each a sorted list of the strings that matched.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    cues = cues or lexicon.cues()
    out: dict[str, list[str]] = {k: [] for k in ("recommendation", "recommendation_negative", "prediction")}
    _advice(sentence, cues, out)
    for kind in ("recommendation", "prediction"):
        out[kind].extend(_pattern_hits(sentence, cues[kind].get("patterns", ())))
    return {k: sorted(v) for k, v in out.items()}


def _advice(sentence: str, cues: dict[str, Any], out: dict[str, list[str]]) -> None:
    """Add the recommendation and prediction cue hits (no patterns) to ``out``."""
    rec = cues["recommendation"]
    neg = rec.get("negation", {})
    prohibit = list(neg.get("prohibit", []))
    flip = list(neg.get("flip", []))
    flip_spans = [s for w in flip for s in occurrences(sentence, w)]
    pro_spans = [s for w in prohibit for s in _live(sentence, w, rec.get("false_cues", {}).get(w, []))]
    pro_spans = [s for s in pro_spans if not inside(s, flip_spans)]
    covered: list[tuple[int, int]] = []
    for cue in rec["cues"]:
        for s in _live(sentence, cue, rec.get("false_cues", {}).get(cue, [])):
            if inside(s, flip_spans) or inside(s, covered):
                continue
            covered.append(s)
            if inside(s, pro_spans):
                out["recommendation_negative"].append(cue)
            else:
                out["recommendation"].append(cue)
    for s in pro_spans:  # prohibitive phrases that contain no base cue (别, 不要)
        if not any(a >= s[0] and b <= s[1] for a, b in covered):
            out["recommendation_negative"].append(sentence[s[0] : s[1]])
    pred = cues["prediction"]
    markers = pred.get("disposal_markers", [])
    for cue in pred["cues"]:
        for s in _live(sentence, cue, pred.get("false_cues", {}).get(cue, [])):
            if cue.endswith("将") and _disposal(sentence, s[1], markers):
                continue
            out["prediction"].append(cue)


def _cue_hits(sentence: str, cues: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {k: [] for k in HIT_KEYS}
    _advice(sentence, cues, out)
    pred = cues["prediction"]
    for cue in pred.get("weak_cues", []):
        out["prediction_weak"].extend(cue for _ in _live(sentence, cue, pred.get("false_cues", {}).get(cue, [])))
    for kind in ("causal", "fact"):
        sec = cues[kind]
        for cue in sec["cues"]:
            out[kind].extend(cue for _ in _live(sentence, cue, sec.get("false_cues", {}).get(cue, [])))
    for kind in ("recommendation", "prediction", "causal", "fact"):
        out[kind].extend(_pattern_hits(sentence, cues[kind].get("patterns", ())))
    fact = cues["fact"]
    for cue in fact.get("attribution", ()):
        out["attribution"].extend(cue for _ in _live(sentence, cue, fact.get("false_cues", {}).get(cue, [])))
    out["figure"] = sentence_figures(sentence)
    out["date"] = concrete_dates(sentence)
    out["past"] = past_events(sentence, cues["fact"]["past_markers"])
    q = _QUESTION.search(sentence)
    out["question"] = [q.group(0)[0]] if q else []
    return {k: sorted(v) for k, v in out.items()}


def type_from_hits(hits: dict[str, list[str]], cues: dict[str, Any] | None = None) -> str:
    """The type that the hits of :func:`cue_hits` give a sentence.

    Parameters
    ----------
    hits : dict
        :func:`cue_hits` output.
    cues : dict, optional
        The lexicons, for their ``priority`` (default: the project's).

    Returns
    -------
    str
        One of :data:`TYPES`: the first type of the priority order with a
        live cue (for ``fact``: a cue or any evidence, unless the sentence is
        a question), else ``"other"``.
    """
    cues = cues or lexicon.cues()
    for kind in cues["priority"]:
        if kind == "recommendation" and (hits["recommendation"] or hits["recommendation_negative"]):
            return kind
        if kind == "fact":
            if not hits["question"] and (hits["fact"] or hits["figure"] or hits["date"] or hits["past"]):
                return kind
            continue
        if kind not in ("recommendation", "fact") and hits[kind]:
            return kind
    return "other"


def classify(sentence: str, cues: dict[str, Any] | None = None) -> str:
    """Type a sentence by the cue rules.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    cues : dict, optional
        The lexicons (default: the project's).

    Returns
    -------
    str
        One of :data:`TYPES`.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    cues = cues or lexicon.cues()
    return type_from_hits(cue_hits(sentence, cues), cues)


def polarity_from_hits(hits: dict[str, list[str]]) -> str:
    """The polarity of a recommendation, from the hits of :func:`cue_hits`.

    Parameters
    ----------
    hits : dict
        :func:`cue_hits` output.

    Returns
    -------
    str
        ``"positive"`` when a recommendation cue is live outside any
        prohibitive phrase, ``"negative"`` when every one sits in such a
        phrase (不应该, 不要, 别...), ``""`` when there is none.
    """
    if hits["recommendation"]:
        return "positive"
    return "negative" if hits["recommendation_negative"] else ""


def polarity(sentence: str, cues: dict[str, Any] | None = None) -> str:
    """The polarity of a sentence's recommendation (see :func:`polarity_from_hits`).

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    cues : dict, optional
        The lexicons (default: the project's).

    Returns
    -------
    str
        ``"positive"``, ``"negative"`` or ``""``.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    return polarity_from_hits(cue_hits(sentence, cues))


def _lexicon_hits(sentence: str, words: Iterable[str]) -> list[str]:
    return sorted({w for w in words if w in sentence})


def criticism_cues(sentence: str, cues: dict[str, Any] | None = None) -> list[str]:
    """The criticism cues (失败, 愚蠢, 问题...) that occur in a sentence.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    cues : dict, optional
        The lexicons (default: the project's).

    Returns
    -------
    list of str
        Distinct cues, sorted.
    """
    return _lexicon_hits(sentence, (cues or lexicon.cues())["criticism"])


def praise_cues(sentence: str, cues: dict[str, Any] | None = None) -> list[str]:
    """The praise cues (成功, 优势...) that occur in a sentence.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    cues : dict, optional
        The lexicons (default: the project's).

    Returns
    -------
    list of str
        Distinct cues, sorted.
    """
    return _lexicon_hits(sentence, (cues or lexicon.cues())["praise"])

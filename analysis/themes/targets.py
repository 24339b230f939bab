"""Which strategies a sentence addresses: seed hits, their syntactic frame, and carried topics.

The coding manual (``book/appendix/codebook.md``, section B) codes a strategy
only when it is the sentence's *topic*: a seed word in passing (inside a list
of examples, a place, a modifier) does not count.  This module finds the
*candidates* and describes each with features; the learned tagger of
:mod:`analysis.themes.stance_model` decides which candidates are topics.

* A **seed hit** is an occurrence of a seed term of ``strategies.yaml``
  (:func:`seed_hits`): longest seeds first, no two hits of one strategy
  overlapping.  Seeds listed under a strategy's ``generic`` key are common
  words (a product name, 企业, 需求...) and are marked ``generic``; seeds
  under ``reversed`` name what the strategy moves away from (电商基因 for
  distancing from e-commerce) and are marked ``reversed``.
* The **frame** of a hit (:func:`hit_frame`) records whether it sits in a list
  of examples (比如…, …等), an enumeration (…、…), a locative frame
  (在 … 上/中/里), a modifier (X 的 …), a comparison (和 X 不同), or inside
  quotation marks.
* **Topic continuity**: a generic seed is more likely the topic when the
  article names the same strategy with a specific seed elsewhere, above all
  nearby (``strong_in_article``, ``strong_nearby``).
* A sentence that has no candidate of its own and opens with an anaphor
  (这, 以上, 可是…; manual clarification 2), or continues the words of the
  quoted party of the sentence before, **carries** the candidates of the
  sentence right before it (its own or carried ones), marked ``carried``
  (:func:`candidates`).

The frames and the anaphora list are the ``topic`` section of
``data/lexicon/stance.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.extract.spans import inside
from analysis.extract.tagging import alias_pattern

__all__ = ["SeedHit", "claim_order", "clauses", "seed_hits", "hit_frame", "candidates", "CANDIDATE_COLUMNS"]

#: Clause boundaries: commas, semicolons, colons, stops, question and exclamation marks.
CLAUSE_BREAK = re.compile(r"[,，;；:：。!?！？]")
_QUOTES = {"“": "”", "「": "」", "『": "』"}
_LEAD = re.compile(r"^[\s#\d、.()（）\-—:：,，]+")

#: Columns of :func:`candidates`.
CANDIDATE_COLUMNS = ["claim_id", "article_id", "position", "strategy_id", "source", "seeds", "generic_only",
                     "reversed_only", "carried",
                     "n_hits", "max_len", "examples", "enumeration", "place", "modifier", "comparison", "quoted",
                     "first_clause", "n_strategies", "strong_in_article", "strong_nearby", "spans"]


@dataclass(frozen=True)
class SeedHit:
    """One occurrence of a strategy's seed term in a sentence.

    Attributes
    ----------
    strategy_id : str
    seed : str
    start, end : int
        Half-open character span in the sentence.
    generic : bool
        Whether the seed is one of the strategy's ``generic`` seeds.
    reversed : bool
        Whether the seed is one of the strategy's ``reversed`` seeds (it names what the strategy
        moves away from, so an evaluation of it is the opposite stance on the strategy).
    """

    strategy_id: str
    seed: str
    start: int
    end: int
    generic: bool
    reversed: bool = False


def claim_order(claim_id: str) -> int:
    """The sentence number of a claim id (``"000_x:12"`` -> 12)."""
    return int(str(claim_id).rsplit(":", 1)[1])


def clauses(sentence: str) -> list[tuple[int, int]]:
    """The clause spans of a sentence, split at commas, colons, semicolons and stops.

    Parameters
    ----------
    sentence : str

    Returns
    -------
    list of (int, int)
        Half-open spans covering the sentence (the break character ends its clause).
    """
    out, start = [], 0
    for m in CLAUSE_BREAK.finditer(sentence):
        if m.end() > start:
            out.append((start, m.end()))
        start = m.end()
    if start < len(sentence):
        out.append((start, len(sentence)))
    return out or [(0, len(sentence))]


def _strategy_patterns(strategies: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    out = []
    for s in strategies:
        generic = {str(g) for g in (s.get("generic") or [])}
        rev = {str(g) for g in (s.get("reversed") or [])}
        seeds = sorted({str(x) for x in s["seeds"]} | rev, key=lambda w: (-len(w), w))
        out.append((s["id"], [(w, alias_pattern(w), w in generic, w in rev) for w in seeds]))
    return out


_BUILT: list[Any] = [None, None]


def _patterns(strategies: Sequence[Mapping[str, Any]] | None) -> list:
    """The compiled seeds of ``strategies``, rebuilt when the codebook object changes."""
    strategies = lexicon.strategies() if strategies is None else tuple(strategies)
    if _BUILT[0] is not strategies:
        _BUILT[:] = [strategies, _strategy_patterns(strategies)]
    return _BUILT[1]


def seed_hits(sentence: str, strategies: Sequence[Mapping[str, Any]] | None = None) -> list[SeedHit]:
    """Every seed occurrence in a sentence, longest seeds first, no overlap within a strategy.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    strategies : sequence of dict, optional
        :func:`analysis.lexicon.strategies` entries (default: the project's); an entry may list
        ``generic`` seeds.

    Returns
    -------
    list of SeedHit
        Sorted by start, then strategy id.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
    hits = []
    for sid, pats in _patterns(strategies):
        taken: list[tuple[int, int]] = []
        for seed, pat, generic, rev in pats:
            for m in pat.finditer(sentence):
                span = (m.start(), m.end())
                if any(a < span[1] and span[0] < b for a, b in taken):
                    continue
                taken.append(span)
                hits.append(SeedHit(sid, seed, span[0], span[1], generic, rev))
    return sorted(hits, key=lambda h: (h.start, h.strategy_id, h.end))


def _quoted_spans(sentence: str) -> list[tuple[int, int]]:
    spans, i = [], 0
    while i < len(sentence):
        close = _QUOTES.get(sentence[i])
        if close:
            j = sentence.find(close, i + 1)
            if j > i:
                spans.append((i, j + 1))
                i = j + 1
                continue
        i += 1
    return spans


def hit_frame(sentence: str, hit: SeedHit, topic: Mapping[str, Sequence[str]] | None = None) -> dict[str, bool]:
    """The syntactic frame of one seed hit (see the module notes).

    Parameters
    ----------
    sentence : str
    hit : SeedHit
    topic : mapping, optional
        The ``topic`` section of :func:`analysis.lexicon.stance` (default: the project's).

    Returns
    -------
    dict
        ``examples``, ``enumeration``, ``place``, ``modifier``, ``comparison`` (和 X 不同, 与 X
        相比), ``quoted`` (bool each).
    """
    topic = topic if topic is not None else lexicon.stance()["topic"]
    clause = next((c for c in clauses(sentence) if c[0] <= hit.start < c[1]), (0, len(sentence)))
    before, after = sentence[clause[0] : hit.start], sentence[hit.end : clause[1]]
    examples = any(w in before for w in topic["examples"]) or any(after.lstrip("、").startswith(w) or
                                                                 (w in after and "、" in after and
                                                                  re.search(r"、[^,，。]{0,12}" + re.escape(w), after))
                                                                 for w in topic["enumeration_end"])
    enumeration = before.endswith("、") or after.startswith("、") or before.endswith("和") or after.startswith("和")
    place = (any(before.rfind(w) >= max(0, len(before) - 8) and w in before for w in topic["place_open"])
             and any(w in after[:6] for w in topic["place_close"]))
    modifier = after.startswith("的") and not re.match(r"的[,，。!?！？]", after)
    comparison = (any(w in before[-12:] for w in topic["compare_open"])
                  and any(w in after[:16] for w in topic["compare_close"]))
    quoted = inside((hit.start, hit.end), _quoted_spans(sentence))
    return {"examples": bool(examples), "enumeration": bool(enumeration), "place": bool(place),
            "modifier": bool(modifier), "comparison": bool(comparison), "quoted": bool(quoted)}


def _sentence_hits(sent: str, strategies: Sequence[Mapping[str, Any]] | None,
                   topic: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """The context-free part of a sentence's candidates: one dict per strategy with a seed hit."""
    first = clauses(sent)[0]
    by_strategy: dict[str, list[SeedHit]] = {}
    for h in seed_hits(sent, strategies):
        by_strategy.setdefault(h.strategy_id, []).append(h)
    out = []
    for sid, hs in by_strategy.items():
        frames = [hit_frame(sent, h, topic) for h in hs]
        out.append({
            "strategy_id": sid,
            "seeds": ";".join(sorted({h.seed for h in hs})),
            "generic_only": all(h.generic for h in hs), "reversed_only": all(h.reversed for h in hs),
            "carried": False,
            "n_hits": len(hs), "max_len": max(len(h.seed) for h in hs),
            **{k: all(f[k] for f in frames) for k in ("examples", "enumeration", "place", "modifier",
                                                      "comparison", "quoted")},
            "first_clause": any(first[0] <= h.start < first[1] for h in hs),
            "spans": ";".join(f"{h.start}-{h.end}" for h in hs),
        })
    return out


def _opens_with_anaphor(sentence: str, anaphora: Iterable[str]) -> bool:
    head = _LEAD.sub("", sentence)[:6]
    return any(head.startswith(w) or (w in head[:4] and len(w) >= 2) for w in anaphora)


def candidates(claims: pd.DataFrame, strategies: Sequence[Mapping[str, Any]] | None = None,
               stance_lexicon: Mapping[str, Any] | None = None,
               speakers: Mapping[str, str] | None = None,
               memo: dict[str, list[dict[str, Any]]] | None = None) -> pd.DataFrame:
    """Candidate (sentence, strategy) pairs with the features of their seed hits.

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``claim_id, article_id, sentence_clean``.
    strategies : sequence of dict, optional
        The codebook (default: the project's).
    stance_lexicon : mapping, optional
        :func:`analysis.lexicon.stance` output (default: the project's).
    speakers : mapping, optional
        Claim id -> speaker (:func:`analysis.themes.speaker.attribute`): a sentence that
        continues the previous sentence's quoted speaker carries its topics too.
    memo : dict, optional
        Distinct sentence -> its seed hits, kept by the caller across calls (for the same
        ``strategies`` and ``stance_lexicon``); by default a new one per call.

    Returns
    -------
    pandas.DataFrame
        :data:`CANDIDATE_COLUMNS`, one row per candidate, in article then sentence order:
        ``source`` (the claim whose seed hits it rests on: itself, or for a carried candidate
        the sentence it was carried from), ``seeds`` (``;``-joined), ``generic_only`` and
        ``reversed_only`` (every hit is a generic, a reversed seed), ``carried``
        (taken over from the previous sentence through an anaphor), ``n_hits``, ``max_len``
        (longest seed), the frames (true when *every* hit of the strategy is in that frame),
        ``first_clause`` (a hit in the first clause), ``n_strategies`` (candidates of the
        sentence), ``strong_in_article`` and ``strong_nearby`` (the article has a candidate of
        the strategy with a non-generic seed: anywhere, within three sentences) and ``spans``
        (``start-end`` of each hit).

    Raises
    ------
    ValueError
        If ``claims`` lacks a needed column.
    """
    need = {"claim_id", "article_id", "sentence_clean"}
    missing = sorted(need - set(claims.columns))
    if missing:
        raise ValueError(f"claims table lacks columns {missing}")
    lex = stance_lexicon if stance_lexicon is not None else lexicon.stance()
    rows: list[dict[str, Any]] = []
    order = claims.assign(_pos=[claim_order(c) for c in claims["claim_id"]]).sort_values(["article_id", "_pos"])
    per_text: dict[str, list[dict[str, Any]]] = memo if memo is not None else {}  # hits per distinct sentence
    for art, group in order.groupby("article_id", sort=True):
        previous: list[dict[str, Any]] = []
        prev_speaker = "author"
        for cid, pos, sent in zip(group["claim_id"], group["_pos"], group["sentence_clean"].fillna(""), strict=True):
            speaker = (speakers or {}).get(cid, "author")
            if sent not in per_text:
                per_text[sent] = _sentence_hits(sent, strategies, lex["topic"])
            own = [{"claim_id": cid, "article_id": art, "position": int(pos), **h, "source": cid}
                   for h in per_text[sent]]
            continues = speaker != "author" and speaker == prev_speaker
            if not own and previous and (continues or _opens_with_anaphor(sent, lex["topic"]["anaphora"])):
                own = [{**p, "claim_id": cid, "position": int(pos), "carried": True, "spans": "",
                        "first_clause": False} for p in previous]
            for r in own:
                r["n_strategies"] = len(own)
            rows.extend(own)
            previous = own
            prev_speaker = speaker
    strong: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        if not r["carried"] and not r["generic_only"]:
            strong.setdefault((r["article_id"], r["strategy_id"]), []).append(r["position"])
    for r in rows:
        where = strong.get((r["article_id"], r["strategy_id"]), [])
        r["strong_in_article"] = bool(where)
        r["strong_nearby"] = any(abs(p - r["position"]) <= 3 for p in where)
    out = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
    return out.sort_values(["article_id", "position", "strategy_id"], ignore_index=True)

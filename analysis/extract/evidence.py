"""Evidence that a sentence reports a fact, found by code rather than by word lists.

Three kinds, none of them a list of words fitted to the labelled sentences:

* ``figure`` -- a figure found by :func:`analysis.extract.figures.figure_rows`
  run on the sentence itself (so a figure means exactly what it means in
  ``numbers.csv``: no dates, durations, versions or the article 一个);
* ``date`` -- a concrete date found by :func:`analysis.extract.dates.find_dates`:
  a calendar year, a month or day, or an offset (4年前, 一个月前).  A bare 今年
  ("this year", with no month or season) does not count: it dates nothing and
  is as common in opinions (今年是移动互联网元年) as in reports;
* ``past`` -- a past event, read off jieba's part-of-speech tags
  (:func:`analysis.segment.get_tokenizer`): a verb followed by the perfective
  particle 了 (内测了, 伸向了; not 为了/除了/了解, which jieba keeps as words),
  or a perfective adverb (``fact.past_markers`` of ``cues.yaml``: 已经,
  曾经...) followed by a verb in the same clause (已经决意, 曾经服务).

:mod:`analysis.extract.cues` adds the fourth kind, the reporting and event
verbs of the lexicon (推出, 宣布, 透露...), and decides the type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from analysis import lexicon
from analysis.extract.dates import find_dates
from analysis.extract.figures import figure_rows
from analysis.segment import get_tokenizer

__all__ = ["CLAUSE_END", "sentence_figures", "concrete_dates", "past_events", "pos_tags"]

#: A clause boundary (a comma, colon or sentence terminator, half- or full-width).
CLAUSE_END = re.compile(r"[,，。!?;！？；:：]")


@dataclass(frozen=True)
class _TextDoc:
    """A bare text dressed as a :class:`~analysis.corpus.document.Document` for :func:`figure_rows`."""

    text: str
    article_id: str = ""

    @property
    def raw_text(self) -> str:
        return self.text

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return start, end


def _check_str(sentence: Any) -> None:
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")


def sentence_figures(sentence: str) -> list[str]:
    """The figures of a sentence, as :func:`analysis.extract.figures.extract_numbers` quotes them.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.

    Returns
    -------
    list of str
        Quotes in text order, hedges included (``超过5亿``).

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    rows = sorted(figure_rows(_TextDoc(sentence)), key=lambda r: (r["start"], r["end"]))
    return [r["quote"] for r in rows]


def concrete_dates(sentence: str) -> list[str]:
    """The concrete dates of a sentence (:func:`analysis.extract.dates.find_dates`).

    Every date mention counts except a bare 今年 (this year with no month
    or season), which dates nothing.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.

    Returns
    -------
    list of str
        The date expressions as written, in text order.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    return [m.text for m in find_dates(sentence)
            if not (m.relative == "this_year" and m.month is None and not m.qualifier)]


@lru_cache(maxsize=1)
def _pos_tokenizer() -> Any:
    import jieba.posseg  # on first use: importing it loads jieba's tagging model (about 0.2 s)

    return jieba.posseg.POSTokenizer(get_tokenizer())


@lru_cache(maxsize=4096)
def _tags(sentence: str) -> tuple[tuple[str, str], ...]:
    return tuple((p.word, p.flag) for p in _pos_tokenizer().lcut(sentence))


def pos_tags(sentence: str) -> tuple[tuple[str, str], ...]:
    """jieba's words and part-of-speech tags of a sentence (cached).

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.

    Returns
    -------
    tuple of (str, str)
        ``(word, flag)`` in text order (``v*`` verbs, ``n*`` nouns, ``ul`` 了...).

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    return _tags(sentence)


def past_events(sentence: str, markers: Iterable[str] | None = None) -> list[str]:
    """Past-event evidence from part-of-speech tags.

    Two patterns, on jieba's tags (``v*`` verb, ``ul`` the particle 了):

    * verb + perfective 了: ``内测了`` (了 after a non-verb, as in 太晚了,
      and the words 为了, 除了, 了解 do not count);
    * perfective adverb + verb later in the same clause: ``已经…提及``.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    markers : iterable of str, optional
        The perfective adverbs (default: ``fact.past_markers`` of ``cues.yaml``).

    Returns
    -------
    list of str
        One string per event: ``verb了`` or ``marker…verb``, in text order.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    markers = set(lexicon.cues()["fact"]["past_markers"] if markers is None else markers)
    if "了" not in sentence and not any(m in sentence for m in markers):
        return []  # nothing can match: skip the (slow) part-of-speech tagging
    toks = pos_tags(sentence)
    out = []
    for i, (word, flag) in enumerate(toks):
        if word == "了" and flag == "ul" and i and toks[i - 1][1].startswith("v"):
            out.append(toks[i - 1][0] + "了")
        elif word in markers:
            for nxt, nflag in toks[i + 1 :]:
                if CLAUSE_END.fullmatch(nxt):
                    break
                if nflag.startswith("v"):
                    out.append(f"{word}…{nxt}")
                    break
    return out

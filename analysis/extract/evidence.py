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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from analysis import lexicon
from analysis.extract.amounts import NUMERAL_CORE
from analysis.extract.dates import find_dates
from analysis.extract.exhaustive import active as _exhaustive
from analysis.extract.figures import figure_rows
from analysis.segment import get_tokenizer

__all__ = ["CLAUSE_END", "POS_BLOCK", "sentence_figures", "concrete_dates", "past_events", "pos_tags",
           "iter_pos_tags", "tagged_words"]

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
    if _exhaustive():
        return list(_figures(sentence))
    if not NUMERAL_CORE.search(sentence):
        return []  # figure_rows only ever looks at NUMERAL_CORE matches
    return list(_sentence_figures(sentence))


def _figures(sentence: str) -> tuple[str, ...]:
    rows = sorted(figure_rows(_TextDoc(sentence)), key=lambda r: (r["start"], r["end"]))
    return tuple(r["quote"] for r in rows)


_sentence_figures = lru_cache(maxsize=8192)(_figures)


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


#: ``jieba.posseg.re_han_internal``: jieba.posseg cuts a text into these blocks (and the runs between
#: them) and tags each block on its own, so the tags of a sentence are the concatenated tags of its
#: blocks (``tests/test_claims.py`` checks both the pattern and the identity).
POS_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")


@lru_cache(maxsize=16384)
def _block_tags(block: str) -> tuple[tuple[str, str], ...]:
    return tuple((p.word, p.flag) for p in _pos_tokenizer().lcut(block))


def _blocks(sentence: str) -> list[str]:
    return [b for b in POS_BLOCK.split(sentence) if b]


def _tags(sentence: str) -> tuple[tuple[str, str], ...]:
    return _whole_tags(sentence) if _exhaustive() else _block_joined_tags(sentence)


@lru_cache(maxsize=4096)
def _block_joined_tags(sentence: str) -> tuple[tuple[str, str], ...]:
    return tuple(t for b in _blocks(sentence) for t in _block_tags(b))


@lru_cache(maxsize=4096)
def _whole_tags(sentence: str) -> tuple[tuple[str, str], ...]:
    """The sentence tagged in one call, as before the block cache (the exhaustive reference)."""
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
        ``(word, flag)`` in text order (``v*`` verbs, ``n*`` nouns, ``ul`` 了...),
        exactly ``jieba.posseg`` with the project dictionary; the tags are
        cached per block of :data:`POS_BLOCK`.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    return _tags(sentence)


def iter_pos_tags(sentence: str) -> Iterator[tuple[str, str]]:
    """:func:`pos_tags`, tagged lazily block by block: a caller that stops early tags only a prefix.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.

    Yields
    ------
    (str, str)
        The items of :func:`pos_tags`, in order.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    if _exhaustive():
        yield from _whole_tags(sentence)
        return
    for b in _blocks(sentence):
        yield from _block_tags(b)


def tagged_words(sentence: str, words: Iterable[str]) -> set[str]:
    """Which of ``words`` are tokens of the sentence's :func:`pos_tags`, tagging only where one can be.

    A token lies within one block of :data:`POS_BLOCK`, so only the blocks
    that contain one of ``words`` as a substring are tagged; a sentence that
    contains none of them is not tagged at all.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    words : iterable of str

    Returns
    -------
    set of str
        ``{w for w, _ in pos_tags(sentence)} & set(words)``.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    if _exhaustive():
        return {w for w, _ in _whole_tags(sentence)} & set(words)
    wanted = {w for w in words if w and w in sentence}
    if not wanted:
        return set()
    return {w for b in _blocks(sentence) if any(x in b for x in wanted) for w, _ in _block_tags(b) if w in wanted}


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
    if _exhaustive():
        return _past_events_whole(_whole_tags(sentence), markers)
    # Tag only the blocks (POS_BLOCK) that hold a 了 or a marker, and, after a marker, the blocks up to
    # the verb or clause break that ends its scan.  The same events as scanning pos_tags(sentence):
    # a block's first token is preceded by a punctuation/space token (flag "x", never a verb).
    blocks = _blocks(sentence)
    out: list[str] = []
    for bi, block in enumerate(blocks):
        if "了" not in block and not any(m in block for m in markers):
            continue
        toks = _block_tags(block)
        for i, (word, flag) in enumerate(toks):
            if word == "了" and flag == "ul" and i and toks[i - 1][1].startswith("v"):
                out.append(toks[i - 1][0] + "了")
            elif word in markers:
                following = chain(toks[i + 1 :], (t for b in blocks[bi + 1 :] for t in _block_tags(b)))
                for nxt, nflag in following:
                    if CLAUSE_END.fullmatch(nxt):
                        break
                    if nflag.startswith("v"):
                        out.append(f"{word}…{nxt}")
                        break
    return out


def _past_events_whole(toks: tuple[tuple[str, str], ...], markers: set[str]) -> list[str]:
    """:func:`past_events` over the whole sentence's tags (the exhaustive reference)."""
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

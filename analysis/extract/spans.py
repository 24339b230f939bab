"""Literal occurrences of a word in a text, and whether a span lies inside others.

The cue and entity matchers work on plain substrings, not regular
expressions: :func:`occurrences` lists the non-overlapping occurrences of a
word, left to right (as ``str.find`` finds them), and :func:`inside` tells
whether a span lies within one of a set of spans -- the test that switches a
cue off when it sits inside one of its false cues (要 in 需要), or an alias
inside a longer name (阿里 in 阿里旺旺).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["occurrences", "inside"]


def occurrences(text: str, word: str) -> list[tuple[int, int]]:
    """The non-overlapping occurrences of ``word`` in ``text``, left to right.

    Parameters
    ----------
    text, word : str

    Returns
    -------
    list of (int, int)
        Half-open spans; empty for an empty ``word``.
    """
    # str.find, not re.finditer(re.escape(...)): the same matches, no regex per call
    out, n, i = [], len(word), text.find(word)
    if not n:
        return out
    while i >= 0:
        out.append((i, i + n))
        i = text.find(word, i + n)
    return out


def inside(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    """Whether ``span`` lies within one of ``others`` (bounds included).

    Parameters
    ----------
    span : (int, int)
    others : iterable of (int, int)

    Returns
    -------
    bool
    """
    return any(a <= span[0] and span[1] <= b for a, b in others)

r"""Does the segmenter keep the domain terms whole?  The term check and the carrier-sentence check.

An occurrence of a dictionary term :math:`t` at characters :math:`[s, e)` of a
sentence is **whole** when the segmentation of that sentence has a token
boundary at :math:`s` and at :math:`e` and none strictly between them, i.e.
the term is exactly one token.  The **term check** looks at every occurrence
of every term of the user dictionary in the corpus's own clean sentences:

.. math::

    \text{share} = \frac{\#\{\text{whole occurrences}\}}{\#\{\text{occurrences}\}},

per term, per category and overall (occurrence-weighted).  An occurrence that
lies strictly inside an occurrence of a *longer* dictionary term (微博 in
腾讯微博, 阿里 in 阿里巴巴, QQ in 手机QQ) is not counted: there the longer term
is the right token.  The **carrier-sentence check** does the same on every
term placed in a few fixed carrier sentences (``我觉得{}的问题在于定位``...),
so that terms the corpus never uses are tested too.

The functions take the sentences, the terms and (optionally) the segmenter;
they open no file.  The default segmenter is :func:`analysis.segment.lcut`
(whitespace kept, so the tokens concatenate back to the sentence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd

from analysis import segment

__all__ = [
    "CARRIERS",
    "TERM_CHECK_COLUMNS",
    "SUMMARY_COLUMNS",
    "term_occurrences",
    "token_boundaries",
    "is_whole",
    "term_check",
    "term_check_summary",
    "carrier_check",
]

#: Carrier sentences of the carrier check: ``{}`` is replaced by the term.  The contexts
#: vary what precedes and follows (a pronoun, a verb, a particle, a preposition, a noun).
CARRIERS: tuple[str, ...] = (
    "我觉得{}的问题在于定位",
    "他们把{}和微信放在一起比较",
    "用户在{}上花了很多时间",
    "除了{}以外还有别的选择",
    "{}，这是一个例子",
)

#: Columns of :func:`term_check`.
TERM_CHECK_COLUMNS: list[str] = ["category", "term", "occurrences", "whole", "share", "split_as"]
#: Columns of :func:`term_check_summary`.
SUMMARY_COLUMNS: list[str] = ["category", "terms", "terms_seen", "terms_always_whole", "occurrences", "whole",
                              "share"]

Segmenter = Callable[[str], Sequence[str]]


def _default_segmenter(text: str) -> list[str]:
    return segment.lcut(text)


def term_occurrences(sentence: str, terms: Iterable[str]) -> list[tuple[str, int, int]]:
    """Every occurrence of every term in a sentence, minus those inside a longer term's occurrence.

    Parameters
    ----------
    sentence : str
    terms : iterable of str
        The dictionary terms (non-empty strings).

    Returns
    -------
    list of (str, int, int)
        ``(term, start, end)`` character offsets, sorted by ``(start, -length, term)``.
        Overlapping occurrences of one term are all found (``str.find`` from each position).
        An occurrence strictly contained in an occurrence of another, longer term is dropped.
    """
    found: list[tuple[str, int, int]] = []
    for term in set(terms):
        if not term:
            raise ValueError("terms must be non-empty strings")
        start = sentence.find(term)
        while start >= 0:
            found.append((term, start, start + len(term)))
            start = sentence.find(term, start + 1)
    found.sort(key=lambda o: (o[1], -(o[2] - o[1]), o[0]))
    kept = []
    for term, s, e in found:
        inside = any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for _, s2, e2 in found)
        if not inside:
            kept.append((term, s, e))
    return kept


def token_boundaries(tokens: Sequence[str]) -> set[int]:
    """The character offsets where a token starts or ends (0 and the text length included).

    Parameters
    ----------
    tokens : sequence of str
        A segmentation whose tokens concatenate back to the text.

    Returns
    -------
    set of int
    """
    bounds = {0}
    pos = 0
    for tok in tokens:
        pos += len(tok)
        bounds.add(pos)
    return bounds


def is_whole(boundaries: set[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` is exactly one token: boundaries at both ends and none inside.

    Parameters
    ----------
    boundaries : set of int
        :func:`token_boundaries` of the segmentation.
    start, end : int
        Character offsets, ``start < end``.

    Returns
    -------
    bool
    """
    return start in boundaries and end in boundaries and not any(start < b < end for b in boundaries)


def _as_categories(terms: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    if isinstance(terms, Mapping):
        return {str(t): str(c) for t, c in terms.items()}
    return {str(t): "" for t in terms}


def _segment(sentence: str, segmenter: Segmenter) -> list[str]:
    tokens = list(segmenter(sentence))
    if "".join(tokens) != sentence:
        raise ValueError(f"the segmenter's tokens do not concatenate back to the sentence: {sentence!r}")
    return tokens


def _split_as(tokens: Sequence[str], start: int, end: int) -> str:
    """The tokens that cover ``[start, end)``, joined by ``|`` (what the segmenter made of the term)."""
    out, pos = [], 0
    for tok in tokens:
        if pos < end and pos + len(tok) > start:
            out.append(tok)
        pos += len(tok)
    return "|".join(out)


def term_check(
    sentences: Iterable[str],
    terms: Mapping[str, str] | Iterable[str],
    *,
    segmenter: Segmenter | None = None,
) -> pd.DataFrame:
    """Per dictionary term: how many of its occurrences in the sentences come out as one token.

    Parameters
    ----------
    sentences : iterable of str
        The clean sentences (``claims.sentence_clean``).
    terms : mapping of str to str, or iterable of str
        ``{term: category}`` (the user dictionary), or the terms alone (category ``""``).
    segmenter : callable, optional
        ``segmenter(text) -> tokens`` whose tokens concatenate back to the text; default
        :func:`analysis.segment.lcut` (jieba with the user dictionary, or ``$ANALYSIS_SEGMENTER``).

    Returns
    -------
    pandas.DataFrame
        :data:`TERM_CHECK_COLUMNS`, one row per term (terms that never occur included, with 0
        occurrences and a share of NaN), sorted by category then term.  ``share`` is rounded to
        4 decimals; ``split_as`` shows the first split occurrence (``微|信``), else ``""``.

    Raises
    ------
    ValueError
        If a term is empty or the segmenter's tokens do not concatenate back to a sentence.
    """
    cats = _as_categories(terms)
    seg = segmenter or _default_segmenter
    counts = {t: [0, 0, ""] for t in cats}
    for sentence in sentences:
        occ = term_occurrences(sentence, cats)
        if not occ:
            continue
        tokens = _segment(sentence, seg)
        bounds = token_boundaries(tokens)
        for term, s, e in occ:
            row = counts[term]
            row[0] += 1
            if is_whole(bounds, s, e):
                row[1] += 1
            elif not row[2]:
                row[2] = _split_as(tokens, s, e)
    rows = [{"category": cats[t], "term": t, "occurrences": n, "whole": w,
             "share": round(w / n, 4) if n else float("nan"), "split_as": how}
            for t, (n, w, how) in counts.items()]
    table = pd.DataFrame(rows, columns=TERM_CHECK_COLUMNS)
    return table.sort_values(["category", "term"], kind="mergesort").reset_index(drop=True)


def term_check_summary(check: pd.DataFrame, categories: Sequence[str] | None = None) -> pd.DataFrame:
    """Totals of a :func:`term_check` table per category, and over all (category ``"all"``).

    Parameters
    ----------
    check : pandas.DataFrame
        :func:`term_check` output.
    categories : sequence of str, optional
        Row order of the categories (default: sorted); ``"all"`` comes last.

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`: the number of terms, of terms that occur, of terms whose every
        occurrence is whole, the occurrences, the whole ones, and their share (4 decimals; NaN
        when there is no occurrence).
    """
    order = list(categories) if categories is not None else sorted(check["category"].unique())
    rows = []
    for cat in [*order, "all"]:
        part = check if cat == "all" else check[check["category"] == cat]
        seen = part[part["occurrences"] > 0]
        n, w = int(part["occurrences"].sum()), int(part["whole"].sum())
        rows.append({"category": cat, "terms": len(part), "terms_seen": len(seen),
                     "terms_always_whole": int((seen["whole"] == seen["occurrences"]).sum()),
                     "occurrences": n, "whole": w, "share": round(w / n, 4) if n else float("nan")})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def carrier_check(
    terms: Mapping[str, str] | Iterable[str],
    carriers: Sequence[str] = CARRIERS,
    *,
    segmenter: Segmenter | None = None,
) -> pd.DataFrame:
    """The term check on carrier sentences: each term placed in each carrier.

    Parameters
    ----------
    terms : mapping of str to str, or iterable of str
        As in :func:`term_check`.
    carriers : sequence of str
        Sentences with one ``{}`` where the term goes; default :data:`CARRIERS`.
    segmenter : callable, optional
        As in :func:`term_check`.

    Returns
    -------
    pandas.DataFrame
        :data:`TERM_CHECK_COLUMNS`; each term counts one occurrence per carrier (its own
        occurrence only: the term is checked where it was placed).

    Raises
    ------
    ValueError
        If a carrier does not hold exactly one ``{}``.
    """
    for c in carriers:
        if c.count("{}") != 1:
            raise ValueError(f"a carrier needs exactly one '{{}}', got {c!r}")
    cats = _as_categories(terms)
    seg = segmenter or _default_segmenter
    rows = []
    for term, cat in cats.items():
        whole, how = 0, ""
        for carrier in carriers:
            sentence = carrier.format(term)
            start = carrier.index("{}")
            tokens = _segment(sentence, seg)
            if is_whole(token_boundaries(tokens), start, start + len(term)):
                whole += 1
            elif not how:
                how = _split_as(tokens, start, start + len(term))
        rows.append({"category": cat, "term": term, "occurrences": len(carriers), "whole": whole,
                     "share": round(whole / len(carriers), 4) if carriers else float("nan"), "split_as": how})
    table = pd.DataFrame(rows, columns=TERM_CHECK_COLUMNS)
    return table.sort_values(["category", "term"], kind="mergesort").reset_index(drop=True)

r"""Term mining: candidate words for the user dictionary, by cohesion and freedom.

A sentence is cut into **units**: a Han character is one unit, and a run of
ASCII letters (and the digits inside it) is one unit (``QQ``, ``OS``,
``iPhone5S``); punctuation, spaces, bare numbers and other symbols are
breaks.  A candidate is an n-gram :math:`w = u_1 \dots u_n` of
:math:`2 \le n \le 6` adjacent units within one run, seen at least twice.
It is scored by two measures of new-word discovery (the "cohesion and
freedom" pair of Chinese term extraction):

**Cohesion** -- the smallest pointwise mutual information over the ways of
cutting :math:`w` in two,

.. math::

    \operatorname{PMI}(w) = \min_{1 \le k < n}
        \log \frac{p(w)}{p(u_1 \dots u_k)\, p(u_{k+1} \dots u_n)},
    \qquad p(x) = \frac{c(x)}{N},

with :math:`c(x)` the count of :math:`x` and :math:`N` the number of units.
A word's parts occur together far more often than chance; a chance
juxtaposition (``的微``) has a low PMI at its weakest cut.

**Freedom** -- the left and right branching entropies,

.. math::

    H_L(w) = -\sum_{a} \frac{c(aw)}{c(w)} \log \frac{c(aw)}{c(w)},

over the units :math:`a` seen just before :math:`w` (:math:`H_R` likewise
after it), where each sentence or run boundary counts as a distinct
neighbour.  A word is used in varied contexts; a fragment of a longer word
(``阿里旺`` always followed by ``旺``) has an entropy of zero on that side.

A candidate needs ``freq >= min_freq``, ``pmi >= min_pmi`` and
:math:`\min(H_L, H_R) \ge` ``min_entropy``; candidates are ranked by
``score = pmi + min(h_left, h_right)`` (both in nats), then by frequency and
the term, so the list is deterministic.  The functions are pure: they take
sentences and return a frame.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

__all__ = ["CANDIDATE_COLUMNS", "units", "runs", "ngram_counts", "branching_entropy", "mine_terms"]

#: Columns of :func:`mine_terms`.
CANDIDATE_COLUMNS: list[str] = ["term", "n", "freq", "pmi", "h_left", "h_right", "score"]

#: A unit: one Han character, or a run of ASCII letters and digits that holds a letter.
_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")


def units(text: str) -> list[str | None]:
    """Cut a text into units, with ``None`` for each break between them.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of (str or None)
        Han characters and ASCII words in text order; ``None`` wherever something else
        (punctuation, spaces, a bare number...) stood between two units or at an end.
    """
    out: list[str | None] = []
    pos = 0
    for m in _UNIT.finditer(text):
        if m.start() > pos:
            out.append(None)
        out.append(m.group())
        pos = m.end()
    if pos < len(text):
        out.append(None)
    return out


def runs(text: str) -> list[tuple[str, ...]]:
    """The maximal runs of adjacent units of a text (the stretches between breaks).

    Parameters
    ----------
    text : str

    Returns
    -------
    list of tuple of str
    """
    out: list[tuple[str, ...]] = []
    cur: list[str] = []
    for u in units(text):
        if u is None:
            if cur:
                out.append(tuple(cur))
            cur = []
        else:
            cur.append(u)
    if cur:
        out.append(tuple(cur))
    return out


def ngram_counts(all_runs: Iterable[tuple[str, ...]], max_n: int) -> Counter:
    """Counts of every n-gram of 1 to ``max_n`` units within the runs.

    Parameters
    ----------
    all_runs : iterable of tuple of str
        :func:`runs` of each sentence.
    max_n : int

    Returns
    -------
    collections.Counter
        ``{tuple of units: count}``.
    """
    counts: Counter = Counter()
    for run in all_runs:
        for i in range(len(run)):
            for n in range(1, min(max_n, len(run) - i) + 1):
                counts[run[i:i + n]] += 1
    return counts


def branching_entropy(neighbours: Counter, boundaries: int) -> float:
    """Entropy (nats) of a term's neighbours on one side; each boundary is a distinct neighbour.

    Parameters
    ----------
    neighbours : collections.Counter
        ``{unit: count}`` of the units seen on that side.
    boundaries : int
        How many occurrences had a run boundary on that side.

    Returns
    -------
    float
        0 for a term never seen.
    """
    total = sum(neighbours.values()) + boundaries
    if total == 0:
        return 0.0
    h = -sum(c / total * math.log(c / total) for c in neighbours.values())
    h += boundaries * (1 / total) * math.log(total)
    return h


def mine_terms(
    sentences: Iterable[str],
    *,
    min_n: int = 2,
    max_n: int = 6,
    min_freq: int = 2,
    min_pmi: float = 1.0,
    min_entropy: float = 0.5,
) -> pd.DataFrame:
    """Candidate terms of a corpus, scored by cohesion (PMI) and freedom (branching entropy).

    Parameters
    ----------
    sentences : iterable of str
        The clean sentences (``claims.sentence_clean``).
    min_n, max_n : int, default 2 and 6
        Length range of a candidate, in units (a Han character, or an ASCII word).
    min_freq : int, default 2
        Minimum number of occurrences.
    min_pmi : float, default 1.0
        Minimum cohesion (natural log): the parts co-occur at least e times more than chance.
    min_entropy : float, default 0.5
        Minimum of the left and right branching entropies (nats); 0.5 needs two or more
        different neighbours on each side.

    Returns
    -------
    pandas.DataFrame
        :data:`CANDIDATE_COLUMNS`: the term (units joined), its length in units, frequency,
        PMI, left and right entropies and score, all floats rounded to 4 decimals; sorted by
        score (descending), frequency (descending), then term.

    Raises
    ------
    ValueError
        If ``1 < min_n <= max_n`` or ``min_freq >= 1`` does not hold.
    """
    if not 1 < min_n <= max_n:
        raise ValueError(f"need 1 < min_n <= max_n, got min_n={min_n}, max_n={max_n}")
    if min_freq < 1:
        raise ValueError(f"min_freq must be at least 1, got {min_freq}")
    all_runs = [r for s in sentences for r in runs(s)]
    counts = ngram_counts(all_runs, max_n)
    total = sum(len(r) for r in all_runs)
    left: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    right: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    left_edge: Counter = Counter()
    right_edge: Counter = Counter()
    for run in all_runs:
        for i in range(len(run)):
            for n in range(min_n, min(max_n, len(run) - i) + 1):
                gram = run[i:i + n]
                if counts[gram] < min_freq:
                    continue
                if i > 0:
                    left[gram][run[i - 1]] += 1
                else:
                    left_edge[gram] += 1
                if i + n < len(run):
                    right[gram][run[i + n]] += 1
                else:
                    right_edge[gram] += 1
    rows = []
    for gram, c in counts.items():
        if not min_n <= len(gram) <= max_n or c < min_freq:
            continue
        pmi = min(math.log(c * total / (counts[gram[:k]] * counts[gram[k:]])) for k in range(1, len(gram)))
        if pmi < min_pmi:
            continue
        h_l = branching_entropy(left[gram], left_edge[gram])
        h_r = branching_entropy(right[gram], right_edge[gram])
        if min(h_l, h_r) < min_entropy:
            continue
        rows.append({"term": "".join(gram), "n": len(gram), "freq": c, "pmi": round(pmi, 4),
                     "h_left": round(h_l, 4), "h_right": round(h_r, 4),
                     "score": round(pmi + min(h_l, h_r), 4)})
    table = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
    table = table.sort_values(["score", "freq", "term"], ascending=[False, False, True], kind="mergesort")
    return table.reset_index(drop=True)

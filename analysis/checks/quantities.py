r"""Canonical quantities: which shared quantity, if any, a quoted figure is about.

The extractor's subjects and units are heuristic, so figures are not compared
by them.  Instead each figure is given at most one *canonical quantity* of
``data/lexicon/quantities.yaml`` (the employee KPI, the prize pool, WeChat
users...).  A quantity :math:`q` matches a figure with value :math:`v`,
unit :math:`u`, subject :math:`s`, containing sentence :math:`S` and window
:math:`w` (the ``window`` characters on either side of the figure, cut at its
clause) when

* :math:`u` is one of the units of :math:`q` and :math:`v` lies in its range;
* one of its entity names occurs in :math:`s` or :math:`w`;
* at least ``min_cues`` of its cue words occur in :math:`S` or :math:`s`;
* one of its ``near`` words occurs in :math:`w`, and none of its ``exclude`` words does.

A figure that matches no quantity, or two or more (ambiguous), is given none
and is not compared.  The sentence is found through the claims table
(:func:`attach_claims`): the figure's span in the raw article is mapped onto
the clean Simplified sentence, where the lexicon's cue words are written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.lexicon import QUANTITY_RELATIONS
from analysis.lexicon import quantities as _read_quantities

__all__ = [
    "RELATIONS",
    "Quantity",
    "QuantityLexicon",
    "load_quantities",
    "attach_claims",
    "matching_quantities",
    "assign_quantity",
    "assign_quantities",
]

#: Relations a quantity may have with a ``related`` one.
RELATIONS: tuple[str, ...] = QUANTITY_RELATIONS
_CLAUSE_BREAK = ",;:，；：。!?！？"


@dataclass(frozen=True)
class Quantity:
    """A canonical quantity of ``quantities.yaml`` (see the file's header for each field).

    Attributes
    ----------
    id, label : str
    units : tuple of str
        Accepted units, lower-cased.
    range : (float, float) or None
        Plausible values ``[lo, hi]``.
    entities, cues, near, exclude : tuple of str
        Lower-cased words (see the module docstring).
    min_cues : int
    related : tuple of (str, str, str)
        ``(quantity id, relation, note)`` for each related quantity.
    """

    id: str
    label: str
    units: tuple[str, ...]
    range: tuple[float, float] | None = None
    entities: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    min_cues: int = 1
    near: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    related: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class QuantityLexicon:
    """The parsed ``quantities.yaml``: the window half-width and the quantities, in file order."""

    window: int
    quantities: tuple[Quantity, ...]

    def by_id(self) -> dict[str, Quantity]:
        """Map quantity id to :class:`Quantity`.

        Returns
        -------
        dict of str to Quantity
        """
        return {q.id: q for q in self.quantities}


def load_quantities(path: Path | None = None) -> QuantityLexicon:
    """The canonical quantities of ``quantities.yaml`` (read by :func:`analysis.lexicon.quantities`).

    Parameters
    ----------
    path : pathlib.Path, optional
        The lexicon file (default :data:`analysis.config.QUANTITIES_FILE`, read at call time).

    Returns
    -------
    QuantityLexicon

    Raises
    ------
    analysis.lexicon.LexiconError
        If the file is malformed (see :func:`analysis.lexicon.quantities`), naming the line.
    """
    data = _read_quantities(Path(path or config.QUANTITIES_FILE))
    return QuantityLexicon(window=data["window"], quantities=tuple(Quantity(**q) for q in data["quantities"]))


def _clean_offsets(raw: str, clean: str, a: int, b: int) -> tuple[int, int]:
    """Map the span ``[a, b)`` of the raw sentence onto the clean sentence.

    Cleaning (NFKC, Traditional to Simplified, dropped pinyin) mostly keeps the length; where it does
    not, the alignment of :class:`difflib.SequenceMatcher` is followed.
    """
    if len(raw) == len(clean):
        return a, b
    ops = difflib.SequenceMatcher(None, raw, clean, autojunk=False).get_opcodes()

    def one(pos: int) -> int:
        for _tag, i1, i2, j1, j2 in ops:
            if i1 <= pos < i2 or (pos == i2 == len(raw)):
                return j1 + min(pos - i1, j2 - j1)
        return len(clean)

    return one(a), max(one(a), one(max(b - 1, a)) + 1)


def attach_claims(numbers: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Add each figure's containing sentence: ``claim_id``, ``sentence`` and its span ``s_start, s_end``.

    The sentence of a figure is the claim of the same article whose raw span ``[start, end)`` contains
    the figure's; ``sentence`` is its clean Simplified text (``sentence_clean``) and ``s_start, s_end``
    the figure's position in it.  A figure outside every claim gets empty values.

    Parameters
    ----------
    numbers : pandas.DataFrame
        Figures with ``article_id, start, end``.
    claims : pandas.DataFrame
        ``claims.csv``: ``claim_id, article_id, start, end, sentence, sentence_clean``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``numbers`` with the four new columns.

    Raises
    ------
    ValueError
        If ``claims`` lacks one of its needed columns.
    """
    need = {"claim_id", "article_id", "start", "end", "sentence", "sentence_clean"}
    missing = sorted(need - set(claims.columns))
    if missing:
        raise ValueError(f"claims table lacks columns {missing}")
    # per article, the claims in start order as plain arrays: a pandas filter per figure was the cost
    by_article = {}
    for a, g in claims.groupby("article_id", sort=True):
        g = g.sort_values("start")
        by_article[a] = (g["start"].to_numpy(dtype=np.int64), g["end"].to_numpy(dtype=np.int64),
                         list(g["claim_id"]), list(g["sentence"]), list(g["sentence_clean"]))
    cid, sent, s0, s1 = [], [], [], []
    for r in numbers.itertuples(index=False):
        g = by_article.get(r.article_id)
        fs, fe = int(r.start), int(r.end)
        idx = np.flatnonzero((g[0] <= fs) & (g[1] >= fe)) if g is not None else None
        if idx is None or idx.size == 0:
            cid.append("")
            sent.append("")
            s0.append(0)
            s1.append(0)
            continue
        c = int(idx[0])
        a, b = _clean_offsets(str(g[3][c]), str(g[4][c]), fs - int(g[0][c]), fe - int(g[0][c]))
        cid.append(str(g[2][c]))
        sent.append(str(g[4][c]))
        s0.append(a)
        s1.append(b)
    out = numbers.copy()
    out["claim_id"], out["sentence"], out["s_start"], out["s_end"] = cid, sent, s0, s1
    return out


def _window(sentence: str, a: int, b: int, width: int) -> str:
    """The ``width`` characters on either side of ``sentence[a:b]``, cut at the enclosing clause."""
    if not sentence:
        return ""
    lo = max((sentence.rfind(c, 0, a) for c in _CLAUSE_BREAK), default=-1) + 1
    his = [i for i in (sentence.find(c, b) for c in _CLAUSE_BREAK) if i >= 0]
    hi = min(his) if his else len(sentence)
    return sentence[max(lo, a - width):min(hi, b + width)]


def _has(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w in text]


def matching_quantities(value: float, unit: str, subject: str, sentence: str, window: str,
                        lexicon: QuantityLexicon) -> list[str]:
    """Ids of every quantity whose rules (units, range, entities, cues, near, exclude) a figure meets.

    Parameters
    ----------
    value : float
        The figure in base units.
    unit, subject : str
        As extracted (compared lower-cased).
    sentence, window : str
        The containing clean sentence and the window around the figure (see ``quantities.yaml``).
    lexicon : QuantityLexicon

    Returns
    -------
    list of str
        In file order; :func:`assign_quantity` keeps a figure only when exactly one matches.
    """
    unit, subject = str(unit).strip().lower(), str(subject).strip().lower()
    sentence, window = str(sentence).lower(), str(window).lower()
    out = []
    for q in lexicon.quantities:
        if unit not in q.units:
            continue
        if q.range is not None and not q.range[0] <= value <= q.range[1]:
            continue
        if q.entities and not _has(subject + " " + window, q.entities):
            continue
        if q.cues and len(set(_has(sentence + " " + subject, q.cues))) < q.min_cues:
            continue
        if q.near and not _has(window, q.near):
            continue
        if _has(window, q.exclude):
            continue
        out.append(q.id)
    return out


def assign_quantity(value: float, unit: str, subject: str, sentence: str, window: str,
                    lexicon: QuantityLexicon) -> str:
    """The one canonical quantity a figure is about.

    Parameters
    ----------
    value, unit, subject, sentence, window, lexicon
        As in :func:`matching_quantities`.

    Returns
    -------
    str
        The quantity id, or ``""`` when the value is not finite or no quantity or several match.
    """
    if value is None or not np.isfinite(value):
        return ""
    found = matching_quantities(value, unit, subject, sentence, window, lexicon)
    return found[0] if len(found) == 1 else ""


def assign_quantities(numbers: pd.DataFrame, lexicon: QuantityLexicon | None = None) -> pd.DataFrame:
    """Add a ``quantity`` column (``""`` for none) to a figures table.

    The sentence and window come from the ``sentence, s_start, s_end`` columns (see
    :func:`attach_claims`) or a ``window_text`` column; without them only the subject is used.

    Parameters
    ----------
    numbers : pandas.DataFrame
        Figures with ``value, unit, subject`` and optionally ``sentence, s_start, s_end, window_text``.
    lexicon : QuantityLexicon, optional
        Default: :func:`load_quantities`.

    Returns
    -------
    pandas.DataFrame
        A copy with ``sentence, s_start, s_end, window_text`` filled in and the ``quantity`` column.
    """
    lexicon = lexicon or load_quantities()
    df = numbers.copy()
    for col, default in (("sentence", ""), ("s_start", 0), ("s_end", 0)):
        if col not in df.columns:
            df[col] = default
    if "window_text" not in df.columns:
        df["window_text"] = ""
    df = df.fillna({"sentence": "", "s_start": 0, "s_end": 0, "window_text": ""})
    wins = [w if w else _window(str(s), int(a), int(b), lexicon.window)
            for s, a, b, w in zip(df["sentence"], df["s_start"], df["s_end"], df["window_text"], strict=True)]
    df["window_text"] = wins
    df["quantity"] = [
        assign_quantity(float(v) if pd.notna(v) else float("nan"), u, s, sent, w, lexicon)
        for v, u, s, sent, w in zip(df["value"], df["unit"], df["subject"], df["sentence"], wins, strict=True)
    ]
    return df

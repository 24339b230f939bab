r"""Agreement between two codings: Cohen's kappa per field, and figure matching.

For two coders who label the same :math:`n` items with categories, Cohen's

.. math::

    \kappa = \frac{p_o - p_e}{1 - p_e},

where :math:`p_o` is the observed share of agreement and :math:`p_e` the
agreement expected by chance from each coder's marginal shares.  It is
reported per field, before adjudication, with a 95% percentile interval from
a bootstrap over items (seeded), as content analysis does (Krippendorff 2004).

The fields of the coding manual (``book/appendix/codebook.md``):

* ``type`` -- the claim type of each sentence;
* ``speaker`` -- author or quoted (and ``speaker_party``, the full label);
* ``strategy`` -- whether a sentence addresses a strategy, over every
  (sentence, strategy) pair;
* ``stance`` -- the stance, over the pairs both coders marked as addressed;
* ``cell`` -- the stance of each (article, strategy) cell;
* ``figure_subject``, ``figure_unit``, ``figure_hedged`` -- over the figures
  both coders found (matched by their quote); finding the figures is scored
  as precision, recall and F1 of one coder against the other, since kappa
  needs a fixed set of items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import config

__all__ = ["AGREEMENT_COLUMNS", "kappa", "coding_frames", "field_pairs", "agreement_table"]

AGREEMENT_COLUMNS = ["field", "n", "observed", "kappa", "kappa_lo", "kappa_hi"]


def kappa(a: Sequence[str], b: Sequence[str], *, n_boot: int = 1000, seed: int = config.SEED
          ) -> tuple[float, float, float, float]:
    """Observed agreement and Cohen's kappa with a bootstrap 95% interval.

    Parameters
    ----------
    a, b : sequence of str
        The two coders' labels of the same items, in the same order.
    n_boot : int
        Bootstrap resamples over items.
    seed : int
        Seed of the resampling.

    Returns
    -------
    (observed, kappa, lo, hi) : tuple of float
        ``kappa`` is 1.0 when both coders used one and the same label throughout.

    Raises
    ------
    ValueError
        If the sequences differ in length or are empty.
    """
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if len(a) != len(b) or len(a) == 0:
        raise ValueError("kappa needs two non-empty label sequences of the same length")
    cats = sorted(set(a.tolist()) | set(b.tolist()), key=str)
    code = {c: i for i, c in enumerate(cats)}
    ia = np.fromiter((code[x] for x in a), dtype=np.int64, count=len(a))
    ib = np.fromiter((code[x] for x in b), dtype=np.int64, count=len(b))
    rng = np.random.default_rng(seed)
    boots = [_kappa_codes(ia[idx], ib[idx], len(cats)) for idx in (rng.integers(0, len(a), len(a)) for _ in range(n_boot))]
    lo, hi = np.quantile(boots, [0.025, 0.975]) if boots else (np.nan, np.nan)
    return float(np.mean(ia == ib)), _kappa_codes(ia, ib, len(cats)), float(lo), float(hi)


def _kappa_codes(ia: np.ndarray, ib: np.ndarray, k: int) -> float:
    """Cohen's kappa of two integer-coded label arrays (1.0 when both use one and the same label)."""
    n = len(ia)
    po = float(np.mean(ia == ib))
    pe = float(np.dot(np.bincount(ia, minlength=k), np.bincount(ib, minlength=k))) / (n * n)
    if pe >= 1.0:
        return 1.0 if po >= 1.0 else 0.0
    return (po - pe) / (1.0 - pe)


def coding_frames(coding: Mapping[str, Sequence[Mapping[str, str]]]) -> dict[str, pd.DataFrame]:
    """One coder's rows (:func:`analysis.lexicon.coding`) as frames, with ``stances`` exploded.

    Returns
    -------
    dict
        ``sentences``, ``pairs`` (``claim_id, strategy_id, stance``), ``figures`` and ``cells``.
    """
    sent = pd.DataFrame(list(coding["sentences"]))
    pairs = [{"claim_id": r["claim_id"], "strategy_id": p.partition(":")[0], "stance": p.partition(":")[2]}
             for r in coding["sentences"] for p in filter(None, (r.get("stances") or "").split(";"))]
    return {
        "sentences": sent,
        "pairs": pd.DataFrame(pairs, columns=["claim_id", "strategy_id", "stance"]),
        "figures": pd.DataFrame(list(coding["figures"])),
        "cells": pd.DataFrame(list(coding["cells"])),
    }


def _figure_keys(figures: pd.DataFrame) -> dict[tuple[str, str, int], object]:
    """Key each figure by (claim id, quote, occurrence), so a quote repeated in a sentence counts twice."""
    seen: dict[tuple[str, str], int] = {}
    out = {}
    for r in figures.itertuples():
        n = seen.get((r.claim_id, r.quote), 0)
        seen[(r.claim_id, r.quote)] = n + 1
        out[(r.claim_id, r.quote, n)] = r
    return out


def field_pairs(a: Mapping[str, pd.DataFrame], b: Mapping[str, pd.DataFrame], strategy_ids: Sequence[str]
                ) -> dict[str, tuple[list[str], list[str]]]:
    """The aligned label sequences of two codings, one entry per field.

    Parameters
    ----------
    a, b : mapping
        :func:`coding_frames` of the two coders.
    strategy_ids : sequence of str
        Every strategy of the codebook (the items of the ``strategy`` field).

    Returns
    -------
    dict
        ``{field: (labels_a, labels_b)}``, plus ``figures_found`` = (A's quotes keys, B's quote keys) for
        the detection scores.
    """
    sa, sb = a["sentences"].set_index("claim_id"), b["sentences"].set_index("claim_id")
    ids = [c for c in sa.index if c in sb.index]
    out: dict[str, tuple[list[str], list[str]]] = {
        "type": (sa.loc[ids, "type"].tolist(), sb.loc[ids, "type"].tolist()),
        "speaker": ([s.split(":")[0] for s in sa.loc[ids, "speaker"]], [s.split(":")[0] for s in sb.loc[ids, "speaker"]]),
        "speaker_party": (sa.loc[ids, "speaker"].tolist(), sb.loc[ids, "speaker"].tolist()),
    }
    pa = {(r.claim_id, r.strategy_id): r.stance for r in a["pairs"].itertuples()}
    pb = {(r.claim_id, r.strategy_id): r.stance for r in b["pairs"].itertuples()}
    grid = [(c, s) for c in ids for s in strategy_ids]
    out["strategy"] = (["yes" if k in pa else "no" for k in grid], ["yes" if k in pb else "no" for k in grid])
    both = [k for k in grid if k in pa and k in pb]
    out["stance"] = ([pa[k] for k in both], [pb[k] for k in both])
    ca = a["cells"].set_index(["article_id", "strategy_id"])["stance"]
    cb = b["cells"].set_index(["article_id", "strategy_id"])["stance"]
    keys = [k for k in ca.index if k in cb.index]
    out["cell"] = ([ca[k] for k in keys], [cb[k] for k in keys])
    fa, fb = _figure_keys(a["figures"]), _figure_keys(b["figures"])
    common = [k for k in fa if k in fb]
    for col in ("subject", "unit", "hedged"):
        out[f"figure_{col}"] = ([str(getattr(fa[k], col)) for k in common], [str(getattr(fb[k], col)) for k in common])
    out["figures_found"] = (["|".join(map(str, k)) for k in fa], ["|".join(map(str, k)) for k in fb])
    return out


def agreement_table(a: Mapping[str, pd.DataFrame], b: Mapping[str, pd.DataFrame], strategy_ids: Sequence[str],
                    *, n_boot: int = 1000) -> pd.DataFrame:
    """Agreement between two codings, per field: n, observed agreement, kappa and its 95% interval.

    Figure detection gets one row with ``observed`` = F1 of B against A (``kappa`` empty).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AGREEMENT_COLUMNS`.
    """
    pairs = field_pairs(a, b, strategy_ids)
    rows = []
    for field, (la, lb) in pairs.items():
        if field == "figures_found":
            sa, sb = set(la), set(lb)
            both = len(sa & sb)
            f1 = 2 * both / (len(sa) + len(sb)) if sa or sb else 1.0
            rows.append({"field": "figure_found", "n": len(sa | sb), "observed": round(f1, 4),
                         "kappa": np.nan, "kappa_lo": np.nan, "kappa_hi": np.nan})
            continue
        if not la:
            continue
        obs, k, lo, hi = kappa(la, lb, n_boot=n_boot)
        rows.append({"field": field, "n": len(la), "observed": round(obs, 4), "kappa": round(k, 4),
                     "kappa_lo": round(lo, 4), "kappa_hi": round(hi, 4)})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)

r"""Topic stability: does the topic model find the same topics on perturbed data?

The reference model (:class:`~analysis.themes.model.ThemeModel`) is refitted
``n_runs`` times under three perturbations: 10% of the sentences dropped
(deterministic initialisation), all sentences with another random
initialisation, and both.  Each refit's topics are expressed over the
reference vocabulary and matched one-to-one to the reference topics by the
Hungarian algorithm on the cosine similarity of their term vectors,

.. math::

    \cos(H_i, H'_j) = \frac{H_i \cdot H'_j}{\lVert H_i \rVert \, \lVert H'_j \rVert},

maximising the total similarity (:func:`match_topics`).  The stability score
is the mean matched cosine over all runs and topics, in :math:`[0, 1]`
(:func:`stability_score`).

**Large corpora.**  Above :data:`LARGE_CORPUS` sentences (far above the
book's corpus, a few hundred sentences, where nothing changes) each refit
uses a deterministic random sample of at most :data:`REFIT_SAMPLE` sentences
instead of 90% or all of them: ``drop`` and ``drop+seed`` runs draw that many
sentences, ``seed`` runs too (with the run's seed), and each refit stops after
at most :data:`REFIT_MAX_ITER` NMF iterations (instead of the reference's
1000; without a convergence warning).  The reference model stays the one
fitted on every sentence.  The 30 refits then cost the same at any corpus
size; the score measures the stability of the topics under subsampling as
well as under re-initialisation, so it is a lower bound of what the full
refits would give.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from analysis import config
from analysis.parallel import map_documents
from analysis.themes.model import N_TOPICS, ThemeModel

__all__ = ["N_RUNS", "DROP_FRACTION", "LARGE_CORPUS", "REFIT_SAMPLE", "REFIT_MAX_ITER", "cosine", "match_topics",
           "topic_stability", "stability_score"]

#: The stability protocol: runs per perturbation, and the share of sentences dropped.
N_RUNS = 10
DROP_FRACTION = 0.1
#: Above this many sentences, each refit uses a sample of :data:`REFIT_SAMPLE` sentences (module notes).
LARGE_CORPUS = 5_000
#: The sentences of each refit on a corpus larger than :data:`LARGE_CORPUS`.
REFIT_SAMPLE = 4_000
#: The NMF iterations of each refit on a corpus larger than :data:`LARGE_CORPUS` (at most).
REFIT_MAX_ITER = 300


def _project(components: np.ndarray, model_terms: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """Express a model's topics (``components`` over ``model_terms``) over another vocabulary (missing -> 0)."""
    index = {t: j for j, t in enumerate(model_terms)}
    out = np.zeros((components.shape[0], len(terms)))
    for i, t in enumerate(terms):
        j = index.get(t)
        if j is not None:
            out[:, i] = components[:, j]
    return out


def _refit(spec: tuple[list[list[str]], dict[str, Any], bool]) -> tuple[np.ndarray, np.ndarray]:
    """One perturbed refit (runs in a worker when mapped): its topics and its vocabulary.

    BLAS runs on one thread, in a worker as in this process, so that the result does not
    depend on where the refit runs.
    """
    sub, params, capped = spec
    model = ThemeModel(**params)
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        if capped:  # a capped refit may stop before NMF's tolerance: expected, not a problem
            warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(sub)
    return model.components_, model.terms_


def cosine(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``A`` with every row of ``B`` (a zero row gives 0).

    Parameters
    ----------
    A : array_like(float, ndim=2)
        Shape ``(m, V)``.
    B : array_like(float, ndim=2)
        Shape ``(n, V)``.

    Returns
    -------
    ndarray(float, ndim=2)
        Shape ``(m, n)``.
    """
    na = np.linalg.norm(A, axis=1, keepdims=True)
    nb = np.linalg.norm(B, axis=1, keepdims=True)
    na[na == 0] = 1.0
    nb[nb == 0] = 1.0
    return (A / na) @ (B / nb).T


def match_topics(reference: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match topics one-to-one by the Hungarian algorithm on cosine similarity.

    Parameters
    ----------
    reference, other : array_like(float, ndim=2)
        Topic-term matrices over the same terms, shape ``(k, V)``.

    Returns
    -------
    (ndarray of int, ndarray of float)
        For each reference topic, the index of its match in ``other`` and
        their cosine similarity (in ``[0, 1]`` for non-negative inputs).

    Raises
    ------
    ValueError
        If the inputs are not two matrices over the same terms.
    """
    reference, other = np.asarray(reference, float), np.asarray(other, float)
    if reference.ndim != 2 or other.ndim != 2 or reference.shape[1] != other.shape[1]:
        raise ValueError(f"need two (k, V) matrices over the same terms, got {reference.shape} and {other.shape}")
    sim = cosine(reference, other)
    rows, cols = linear_sum_assignment(-sim)
    match = np.full(reference.shape[0], -1)
    match[rows] = cols
    cos = np.zeros(reference.shape[0])
    cos[rows] = sim[rows, cols]
    return match, np.clip(cos, 0.0, 1.0)


def topic_stability(
    docs: Sequence[Sequence[str]],
    *,
    n_topics: int = N_TOPICS,
    n_runs: int = N_RUNS,
    drop: float = DROP_FRACTION,
    seed: int = config.SEED,
    reference: ThemeModel | None = None,
    large: int = LARGE_CORPUS,
    sample: int = REFIT_SAMPLE,
    n_jobs: int = 1,
    backend: str = "loky",
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Refit the topic model on perturbed data and match its topics to the reference.

    Three kinds of perturbation, ``n_runs`` runs each:

    * ``drop``: drop a random ``drop`` fraction of the sentences (deterministic init);
    * ``seed``: all sentences, random initialisation with another seed;
    * ``drop+seed``: both.

    Parameters
    ----------
    docs : sequence of token lists
    n_topics, n_runs : int
    drop : float
        Fraction of documents dropped, in ``(0, 1)``.
    seed : int
        Master seed; run ``i`` uses ``seed + i``.
    reference : ThemeModel, optional
        The fitted reference model (default: fitted here on all ``docs``).
    large, sample : int
        Above ``large`` documents, every refit uses a random sample of at most ``sample``
        documents, drawn with the run's seed, and at most :data:`REFIT_MAX_ITER` iterations
        (see the module notes); at or below it, the protocol above, unchanged.
    n_jobs, backend, scheduler
        The refits are independent: they are mapped over workers
        (:func:`analysis.parallel.map_documents`); the result is the same whatever these are.

    Returns
    -------
    pandas.DataFrame
        One row per run and reference topic: ``kind, run, seed, topic,
        matched_topic, cosine`` (cosine rounded to 6 places).

    Raises
    ------
    ValueError
        If ``drop`` is not in (0, 1), ``n_runs < 1`` or ``sample < n_topics``.
    """
    if not 0 < drop < 1:
        raise ValueError(f"drop must be in (0, 1), got {drop}")
    if n_runs < 1:
        raise ValueError(f"n_runs must be >= 1, got {n_runs}")
    docs = [list(d) for d in docs]
    ref = reference if reference is not None else ThemeModel(n_topics=n_topics).fit(docs)
    if sample < ref.n_topics:
        raise ValueError(f"sample must be >= n_topics ({ref.n_topics}), got {sample}")
    capped = len(docs) > large
    n_keep = len(docs) - int(round(drop * len(docs)))
    if capped:
        n_keep = min(n_keep, sample)
    specs, labels = [], []
    for kind in ("drop", "seed", "drop+seed"):
        for run in range(n_runs):
            s = seed + run
            rng = np.random.default_rng(s)
            sub = docs
            if "drop" in kind or capped:
                size = n_keep if "drop" in kind else min(len(docs), sample)
                keep = np.sort(rng.choice(len(docs), size=size, replace=False))
                sub = [docs[i] for i in keep]
            params = {"n_topics": ref.n_topics, "init": "random" if "seed" in kind else ref.init, "random_state": s,
                      "min_df": ref.min_df, "max_df": ref.max_df, "tol": ref.tol,
                      "max_iter": min(ref.max_iter, REFIT_MAX_ITER) if capped else ref.max_iter}
            specs.append((sub, params, capped))
            labels.append((kind, run, s))
    refits = map_documents(_refit, specs, n_jobs=n_jobs, backend=backend, scheduler=scheduler)
    rows = []
    for (kind, run, s), (components, terms) in zip(labels, refits, strict=True):
        match, cos = match_topics(ref.components_, _project(components, terms, ref.terms_))
        rows += [{"kind": kind, "run": run, "seed": s, "topic": t, "matched_topic": int(match[t]),
                  "cosine": round(float(cos[t]), 6)} for t in range(ref.n_topics)]
    return pd.DataFrame(rows, columns=["kind", "run", "seed", "topic", "matched_topic", "cosine"])


def stability_score(stability: pd.DataFrame) -> float:
    """Mean matched cosine over all runs and topics, in ``[0, 1]``.

    Parameters
    ----------
    stability : pandas.DataFrame
        :func:`topic_stability` output.

    Returns
    -------
    float
        Rounded to 4 places.

    Raises
    ------
    ValueError
        If the table is empty.
    """
    if stability.empty:
        raise ValueError("empty stability table")
    return round(float(stability["cosine"].mean()), 4)

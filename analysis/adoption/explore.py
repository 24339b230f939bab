r"""The explorables' grids: every outcome a reader can reach with the adoption chapter's sliders, precomputed.

The chapter's what-if widgets run no model in the browser (except the Bass curve, which has a closed form):
they look up the outcome of the slider position in a grid computed here, by the ``adopt`` stage, with fixed
seeds and rounded floats so that two runs write the same bytes.

*The push* (:func:`push_explorer`) runs the two-platform competition model (:mod:`._competition`) over

* push size: the 31 sizes of the phase diagram (:func:`analysis.adoption.runs.push_grid`), 1 to 1000 million,
  log-spaced by a factor :math:`10^{0.1} \approx 1.26`;
* push start: every quarter from 0.25 to 3.5 years after WeChat's launch (April 2011 to July 2014), 14 values
  (every other timing of the phase diagram, which steps by 0.125 years);
* network-effect strength :math:`\beta`: 1 to 10 in steps of 1, 10 values;

that is :data:`PUSH_CELLS` = 4340 cells.  At the model's default :math:`\beta` = 6 the cells are the phase
diagram's own (same model, same parameters, same integration).

*Seeding* (:func:`seeding_explorer`) runs the threshold cascade (:mod:`._cascade`) on one block model of
organisations (:func:`analysis.adoption.block_model`: :data:`SEED_ORGS` organisations of
:data:`SEED_ORG_SIZE` people, the mean degrees of :func:`analysis.adoption.runs.cascade_comparison`) over

* seed budget: 10 shares of the people from 0.5% to 10% (:data:`SEED_BUDGETS`, about a factor 1.4 apart);
* seeding style: the fraction of the seeds placed in whole organisations, 0 to 1 in steps of 0.1 (11 values),
  the rest scattered (:func:`mixed_seeds`);
* mean adoption threshold :math:`\theta`: 0.2 to 0.5 in steps of 0.025 (13 values); thresholds are
  heterogeneous, :math:`\theta_i = \mathrm{clip}(\theta + 0.05 z_i, 0.01, 1)` with the same draws :math:`z_i`
  for every :math:`\theta` (common random numbers: the curves move smoothly with the slider);

that is :data:`SEED_CELLS` = 1430 cascades.  The graph is four times smaller than the chapter's comparison
(10,000 rather than 40,000 people) so that the grid costs about two seconds.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from analysis import config
from analysis.adoption._cascade import clustered_seeds, retained_seeds, threshold_cascade
from analysis.adoption._competition import CompetitionParams, classify_share, simulate_shares
from analysis.adoption._graphs import block_model

__all__ = [
    "PUSH_BETAS",
    "PUSH_CELLS",
    "PUSH_SIZES",
    "PUSH_TIMINGS",
    "SEED_BUDGETS",
    "SEED_CELLS",
    "SEED_ORGS",
    "SEED_ORG_SIZE",
    "SEED_STYLES",
    "SEED_THETAS",
    "mixed_seeds",
    "push_explorer",
    "seeding_explorer",
]

#: Push sizes, millions of users: the phase diagram's 31 log-spaced sizes.
PUSH_SIZES: tuple[float, ...] = tuple(float(v) for v in np.round(np.geomspace(1.0, 1000.0, 31), 4))
#: Push starts, years since WeChat's launch: every quarter, April 2011 to July 2014.
PUSH_TIMINGS: tuple[float, ...] = tuple(float(v) for v in np.round(np.arange(1, 15) * 0.25, 4))
#: Network-effect strengths.
PUSH_BETAS: tuple[float, ...] = tuple(float(v) for v in range(1, 11))
#: Cells of the push grid.
PUSH_CELLS: int = len(PUSH_SIZES) * len(PUSH_TIMINGS) * len(PUSH_BETAS)

#: Seed budgets, as shares of the people.
SEED_BUDGETS: tuple[float, ...] = (0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1)
#: Seeding styles: the fraction of the seeds placed in whole organisations.
SEED_STYLES: tuple[float, ...] = tuple(float(v) for v in np.round(np.arange(11) * 0.1, 4))
#: Mean adoption thresholds.
SEED_THETAS: tuple[float, ...] = tuple(float(v) for v in np.round(0.2 + np.arange(13) * 0.025, 4))
#: Cells of the seeding grid.
SEED_CELLS: int = len(SEED_BUDGETS) * len(SEED_STYLES) * len(SEED_THETAS)
#: Organisations (blocks) of the seeding graph, and people in each.
SEED_ORGS: int = 200
SEED_ORG_SIZE: int = 50


def push_explorer(bass: tuple[float, float, float], params: CompetitionParams | None = None,
                  *, betas: ArrayLike = PUSH_BETAS) -> pd.DataFrame:
    """Laiwang's share 24 months after a push and in the long run, over push size x start x network effect.

    Parameters
    ----------
    bass : (p, q, m)
        WeChat's Bass parameters (m in millions of MAU), as for the phase diagram.
    params : CompetitionParams, optional
        The competition model's other parameters (default: its defaults); ``beta`` is replaced by each of
        ``betas``.
    betas : array_like(float, ndim=1)
        Network-effect strengths (default :data:`PUSH_BETAS`).

    Returns
    -------
    pandas.DataFrame
        ``beta, size, timing, share, long_run, outcome``: one row per cell, sorted by ``beta, size, timing``;
        ``share`` is read ``params.horizon`` years after the push (24 months by default), shares are rounded
        to 4 places and ``outcome`` is :func:`analysis.adoption.classify_share` of the rounded long-run share.

    Raises
    ------
    ValueError
        If ``betas`` is empty or holds a non-positive value.
    """
    params = params or CompetitionParams()
    betas = np.asarray(betas, dtype=float).ravel()
    if betas.size == 0 or np.any(~(betas > 0)):
        raise ValueError("betas must be a non-empty list of positive numbers")
    S, T = np.meshgrid(np.asarray(PUSH_SIZES), np.asarray(PUSH_TIMINGS), indexing="ij")
    frames = []
    for b in np.sort(betas):
        res = simulate_shares(S, T, bass, replace(params, beta=float(b)))
        frames.append(pd.DataFrame({"beta": float(b), "size": S.ravel(), "timing": T.ravel(),
                                    "share": np.round(res["share"].ravel(), 4),
                                    "long_run": np.round(res["long_run"].ravel(), 4)}))
    df = pd.concat(frames, ignore_index=True)
    df["outcome"] = classify_share(df["long_run"].to_numpy())
    return df.sort_values(["beta", "size", "timing"], kind="stable").reset_index(drop=True)


def mixed_seeds(block: ArrayLike, n_seeds: int, clustered: float, *, seed: int = 0) -> NDArray[np.int64]:
    """``n_seeds`` seeds, a fraction ``clustered`` of them in whole blocks and the rest scattered.

    The clustered part is :func:`analysis.adoption.clustered_seeds` of ``round(clustered * n_seeds)`` nodes
    (whole blocks in random order, the last one partially); the rest are drawn uniformly from the nodes
    outside it.  With ``clustered = 0`` the seeds are exactly :func:`analysis.adoption.scattered_seeds` (same
    seed), with ``clustered = 1`` exactly :func:`analysis.adoption.clustered_seeds`.

    Parameters
    ----------
    block : array_like(int, ndim=1)
        Block label of every node.
    n_seeds : int
        Seed budget, in ``[0, n]``.
    clustered : float
        Fraction of the budget placed in whole blocks, in ``[0, 1]``.
    seed : int
        Random seed (block order and scattered draws).

    Returns
    -------
    ndarray(int64, ndim=1)
        ``n_seeds`` distinct node ids, sorted.

    Raises
    ------
    ValueError
        If ``clustered`` is not in ``[0, 1]`` or ``n_seeds`` not in ``[0, n]``.
    """
    block = np.asarray(block)
    if not 0.0 <= clustered <= 1.0:
        raise ValueError("clustered must be a fraction in [0, 1]")
    if block.ndim != 1 or not 0 <= n_seeds <= block.size:
        raise ValueError("n_seeds must be between 0 and the number of nodes of a one-dimensional block array")
    n_clustered = int(np.floor(clustered * n_seeds + 0.5))
    part = clustered_seeds(block, n_clustered, seed=seed)
    free = np.ones(block.size, dtype=bool)
    free[part] = False
    pool = np.flatnonzero(free)
    rng = np.random.default_rng(seed)
    rest = pool[rng.choice(pool.size, size=n_seeds - n_clustered, replace=False)]
    return np.sort(np.concatenate((part, rest))).astype(np.int64)


def seeding_explorer(*, n_orgs: int = SEED_ORGS, org_size: int = SEED_ORG_SIZE,
                     budgets: ArrayLike = SEED_BUDGETS, styles: ArrayLike = SEED_STYLES,
                     thetas: ArrayLike = SEED_THETAS, spread: float = 0.05, seed: int = config.SEED) -> pd.DataFrame:
    r"""Share of seeded recruits retained, over seed budget x seeding style x mean threshold.

    Parameters
    ----------
    n_orgs, org_size : int
        The block model: organisations and people in each (mean degrees 8 inside, 4 outside).
    budgets : array_like(float, ndim=1)
        Seed budgets, shares of the people in ``(0, 1]``.
    styles : array_like(float, ndim=1)
        Fractions of the seeds placed in whole organisations (:func:`mixed_seeds`).
    thetas : array_like(float, ndim=1)
        Mean fractional thresholds.
    spread : float
        Standard deviation of the thresholds around their mean.
    seed : int
        Random seed of the graph, the thresholds' draws and the seeds.

    Returns
    -------
    pandas.DataFrame
        ``budget, style, theta, n_seeds, n_clustered, retained_share, final_share``, sorted by ``budget, style,
        theta``; ``retained_share`` is the share of the seeds that meet their own threshold at the end
        (:func:`analysis.adoption.retained_seeds`), ``final_share`` the share of all people active at the end,
        both rounded to 4 places.

    Raises
    ------
    ValueError
        If a grid is empty or a budget is not in ``(0, 1]``.
    """
    budgets, styles, thetas = (np.sort(np.asarray(a, dtype=float).ravel()) for a in (budgets, styles, thetas))
    if budgets.size == 0 or styles.size == 0 or thetas.size == 0:
        raise ValueError("budgets, styles and thetas must be non-empty")
    if np.any(~((budgets > 0) & (budgets <= 1))):
        raise ValueError("budgets must be shares in (0, 1]")
    adjacency, block = block_model(np.full(n_orgs, org_size), k_in=8, k_out=4, seed=seed)
    n = adjacency.shape[0]
    z = np.random.default_rng(seed).standard_normal(n)
    ths = [np.clip(th + spread * z, 0.01, 1.0) for th in thetas]
    rows = []
    for budget in budgets:
        k = int(round(budget * n))
        for style in styles:
            s = mixed_seeds(block, k, float(style), seed=seed + 2)
            n_cl = int(np.floor(style * k + 0.5))
            for th, theta in zip(ths, thetas, strict=True):
                res = threshold_cascade(adjacency, s, th)
                kept = retained_seeds(adjacency, res, s, th)
                rows.append({"budget": float(budget), "style": float(style), "theta": float(theta), "n_seeds": k,
                             "n_clustered": n_cl, "retained_share": round(kept.size / max(k, 1), 4),
                             "final_share": round(res.share, 4)})
    return pd.DataFrame(rows).sort_values(["budget", "style", "theta"], kind="stable").reset_index(drop=True)

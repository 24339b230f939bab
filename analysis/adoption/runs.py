"""The model runs behind the adoption chapter: the push phase diagram and the cascade comparison.

:func:`push_grid` runs the competition model (:mod:`._competition`) over a grid of push sizes and
timings; :func:`critical_push` reads the smallest winning push off it.  :func:`cascade_comparison` runs
the threshold cascade (:mod:`._cascade`) with scattered and clustered seeds of equal budget on the two
graph families of :mod:`._graphs`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis.adoption._cascade import clustered_seeds, retained_seeds, scattered_seeds, threshold_cascade
from analysis.adoption._competition import CompetitionParams, competition_grid
from analysis.adoption._graphs import block_model, watts_strogatz

__all__ = ["push_grid", "cascade_comparison", "critical_push"]


def push_grid(bass: tuple[float, float, float], params: CompetitionParams | None = None) -> pd.DataFrame:
    """The phase diagram: push size (1M-1000M users, log grid) x push start (2011-04 to 2014-07).

    Parameters
    ----------
    bass : (p, q, m)
        WeChat's Bass parameters (m in millions of MAU).
    params : CompetitionParams, optional
        The competition model's parameters (default: its defaults).

    Returns
    -------
    pandas.DataFrame
        :func:`analysis.adoption.competition_grid` output, shares rounded to 4 places.
    """
    sizes = np.round(np.geomspace(1.0, 1000.0, 31), 4)
    timings = np.round(np.linspace(0.25, 3.5, 27), 4)
    g = competition_grid(sizes, timings, bass, params)
    return g.round({"share0": 4, "share": 4, "long_run": 4})


def cascade_comparison(
    *, n: int = 40_000, block_size: int = 50, budgets: tuple[float, ...] = (0.005, 0.01, 0.02, 0.05, 0.1),
    theta: float = 0.35, seed: int = config.SEED,
) -> pd.DataFrame:
    """Scattered vs clustered seeds of equal budget on a small world and on a block model of organisations.

    Thresholds are heterogeneous, :math:`\\theta_i \\sim N(\\theta, 0.05^2)` clipped to [0.01, 1].  On the
    small world, "clustered" seeds are runs of consecutive ring nodes of ``block_size`` (local groups).

    Parameters
    ----------
    n : int
        Number of nodes (rounded down to whole blocks).
    block_size : int
        Nodes per organisation (block).
    budgets : tuple of float
        Seed budgets, as shares of the nodes.
    theta : float
        Mean threshold.
    seed : int
        Random seed.

    Returns
    -------
    pandas.DataFrame
        ``graph, seeding, seed_share, n_seeds, final_share, retained_share, rounds``, sorted.
    """
    rng = np.random.default_rng(seed)
    n_blocks = n // block_size
    sbm, block = block_model(np.full(n_blocks, block_size), k_in=8, k_out=4, seed=seed)
    ws = watts_strogatz(n_blocks * block_size, 12, 0.1, seed=seed + 1)
    nn = sbm.shape[0]
    th = np.clip(rng.normal(theta, 0.05, size=nn), 0.01, 1.0)
    rows = []
    for gname, A in (("block model (organisations)", sbm), ("small world", ws)):
        for share in budgets:
            k = int(round(share * nn))
            for how in ("clustered", "scattered"):
                s = clustered_seeds(block, k, seed=seed + 2) if how == "clustered" else scattered_seeds(
                    nn, k, seed=seed + 2)
                res = threshold_cascade(A, s, th)
                kept = retained_seeds(A, res, s, th)
                rows.append({"graph": gname, "seeding": how, "seed_share": share, "n_seeds": k,
                             "final_share": round(res.share, 4),
                             "retained_share": round(kept.size / max(k, 1), 4), "rounds": res.n_rounds})
    return pd.DataFrame(rows).sort_values(["graph", "seeding", "seed_share"], kind="stable").reset_index(drop=True)


def critical_push(grid: pd.DataFrame, timing: float, *, win: float = 0.5) -> float:
    """Smallest push size in ``grid`` that wins in the long run at the grid timing nearest to ``timing``.

    Parameters
    ----------
    grid : pandas.DataFrame
        :func:`push_grid` output.
    timing : float
        Years since WeChat's launch.
    win : float, default 0.5
        Long-run share that counts as a win.

    Returns
    -------
    float
        Millions of users; ``nan`` if no size on the grid wins.

    Raises
    ------
    ValueError
        If ``grid`` is empty.
    """
    if grid.empty:
        raise ValueError("grid is empty")
    times = np.sort(grid["timing"].unique())
    t = times[np.argmin(np.abs(times - timing))]
    d = grid[(grid["timing"] == t) & (grid["long_run"] >= win)]
    return float(d["size"].min()) if len(d) else float("nan")

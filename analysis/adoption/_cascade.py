r"""Threshold cascades on sparse graphs: scattered versus clustered seeding.

*Model* (Watts 2002; Centola & Macy 2007; Centola 2010).  Each node :math:`i` of an undirected graph is
inactive or active; active is absorbing.  In synchronous rounds, an inactive node with :math:`k_i > 0`
neighbours, :math:`a_i` of them active, activates when

.. math::

    a_i / k_i \ge \theta_i \quad (\text{fractional threshold, Watts}) \qquad\text{or}\qquad
    a_i \ge \theta_i \quad (\text{absolute threshold, complex contagion}).

Isolated nodes never activate.  The fractional rule is exactly that of NDlib's ``ThresholdModel`` (same
synchronous update, same float comparison), so final active sets can be compared element by element.

*Algorithm.*  The adjacency is a CSR matrix built from edge arrays.  Each node's threshold is first turned
into the number of active neighbours it still needs (exactly, under the same float comparison as NDlib).
After each round only the neighbours of the nodes that just activated (the *frontier*) are decremented and
re-checked.  Every edge is touched at most once per direction over the whole cascade, and a round costs
:math:`O(\text{volume of the frontier})` rather than :math:`O(n)`.

*Graphs.*  The cascades run on the CSR adjacency of :mod:`._graphs` (small worlds and block models of
organisations).

*Seeding.*  :func:`scattered_seeds` picks seeds uniformly across the graph (every employee recruits friends
all over the network); :func:`clustered_seeds` takes whole blocks (an organisation adopting at once, as on
DingTalk).  :func:`retained_seeds` asks which seeds end with enough active neighbours to keep using the
product: registrations versus actives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CascadeResult",
    "clustered_seeds",
    "retained_seeds",
    "scattered_seeds",
    "threshold_cascade",
]


def scattered_seeds(n: int, n_seeds: int, *, seed: int = 0) -> NDArray[np.int64]:
    """``n_seeds`` distinct nodes drawn uniformly from ``range(n)``, sorted.

    Parameters
    ----------
    n : int
        Number of nodes.
    n_seeds : int
        Seed budget, in ``[0, n]``.
    seed : int
        Random seed.

    Returns
    -------
    ndarray(int64, ndim=1)
        Sorted node ids.

    Raises
    ------
    ValueError
        If ``n_seeds`` is not in ``[0, n]``.
    """
    if not 0 <= n_seeds <= n:
        raise ValueError("n_seeds must be between 0 and n")
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=n_seeds, replace=False)).astype(np.int64)


def clustered_seeds(block: ArrayLike, n_seeds: int, *, seed: int = 0) -> NDArray[np.int64]:
    """Seed whole blocks, in random order, until ``n_seeds`` nodes are covered (last block partially).

    Parameters
    ----------
    block : array_like(int, ndim=1)
        Block label of every node.
    n_seeds : int
        Seed budget.
    seed : int
        Random seed for the order of the blocks.

    Returns
    -------
    ndarray(int64, ndim=1)
        Sorted node ids.

    Raises
    ------
    ValueError
        If ``block`` is empty or not 1-d, or ``n_seeds`` exceeds the number of nodes.
    """
    block = np.asarray(block)
    if block.ndim != 1 or block.size == 0:
        raise ValueError("block must be a non-empty one-dimensional array")
    if not 0 <= n_seeds <= block.size:
        raise ValueError("n_seeds must be between 0 and the number of nodes")
    rng = np.random.default_rng(seed)
    labels = np.unique(block)
    order = rng.permutation(labels)
    rank = np.empty(labels.max() + 1, dtype=np.int64)
    rank[order] = np.arange(order.size)
    nodes = np.argsort(rank[block], kind="stable")
    return np.sort(nodes[:n_seeds]).astype(np.int64)


@dataclass(frozen=True, eq=False)
class CascadeResult:
    """Outcome of :func:`threshold_cascade`.

    Attributes
    ----------
    active : ndarray(bool, ndim=1)
        Final state of every node.
    round : ndarray(int32, ndim=1)
        Round in which each node activated (0 for seeds, -1 if never).
    sizes : ndarray(int64, ndim=1)
        Number of active nodes after each round (``sizes[0]`` is the number of seeds).
    """

    active: NDArray[np.bool_]
    round: NDArray[np.int32]
    sizes: NDArray[np.int64]

    @property
    def n_active(self) -> int:
        """Number of active nodes at the end."""
        return int(self.sizes[-1])

    @property
    def share(self) -> float:
        """Share of the nodes active at the end."""
        return self.n_active / self.active.size

    @property
    def n_rounds(self) -> int:
        """Number of rounds in which some node activated."""
        return int(self.sizes.size - 1)


def _gather(adjacency: sp.csr_array | sp.csr_matrix, nodes: NDArray) -> NDArray:
    """Concatenated neighbour lists of ``nodes`` (vectorised CSR row gather)."""
    if nodes.size > 4096:
        return adjacency[nodes].indices  # scipy's C++ row gather wins on large frontiers
    indptr, indices = adjacency.indptr, adjacency.indices
    starts = indptr[nodes]
    lens = indptr[nodes + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return indices[:0]
    shift = starts - np.concatenate(([0], np.cumsum(lens)[:-1]))
    pos = np.arange(total, dtype=np.int64) + np.repeat(shift, lens)
    return indices[pos]


def _needed(theta: NDArray, deg: NDArray, absolute: bool) -> NDArray[np.int64]:
    """Smallest number of active neighbours that meets each node's threshold (huge if unreachable).

    For fractions this is the least integer ``c`` with ``c / deg >= theta`` *evaluated in floating point*,
    so ``count >= need`` is the very comparison NDlib makes.
    """
    big = np.iinfo(np.int64).max // 4
    if absolute:
        need = np.ceil(theta).astype(np.int64)
    else:
        safe = np.maximum(deg, 1)
        need = np.ceil(theta * deg).astype(np.int64)
        need = np.clip(need, 0, deg)
        # correct any rounding either way so that need is exact under float division
        up = (need < deg) & (need / safe < theta)
        need[up] += 1
        down = (need > 0) & ((need - 1) / safe >= theta)
        need[down] -= 1
        need[(need / safe) < theta] = big
    need[deg == 0] = big
    return need


def threshold_cascade(
    adjacency: sp.csr_array | sp.csr_matrix,
    seeds: ArrayLike,
    threshold: float | ArrayLike,
    *,
    absolute: bool = False,
    max_rounds: int | None = None,
) -> CascadeResult:
    r"""Run a synchronous threshold cascade to its fixed point with frontier updates.

    Parameters
    ----------
    adjacency : scipy.sparse CSR, shape (n, n)
        Symmetric adjacency without self-loops (see :func:`edges_to_csr`).
    seeds : array_like(int, ndim=1)
        Initially active nodes.
    threshold : float or array_like(float, ndim=1)
        :math:`\theta` for all nodes or per node: a fraction in ``[0, 1]`` or, with ``absolute=True``, a
        number of active neighbours.
    absolute : bool
        Use the complex-contagion rule :math:`a_i \ge \theta_i` instead of :math:`a_i / k_i \ge \theta_i`.
    max_rounds : int, optional
        Stop after this many rounds (default: run to the fixed point).

    Returns
    -------
    CascadeResult

    Raises
    ------
    ValueError
        If the adjacency is not a square CSR matrix, a seed is not a node, or the thresholds are
    malformed.
    """
    if not sp.issparse(adjacency) or adjacency.format != "csr":
        raise ValueError("adjacency must be a scipy.sparse CSR matrix")
    n = adjacency.shape[0]
    if adjacency.shape != (n, n):
        raise ValueError("adjacency must be square")
    indptr = adjacency.indptr
    seeds = np.asarray(seeds, dtype=np.int64).ravel()
    if seeds.size and (seeds.min() < 0 or seeds.max() >= n):
        raise ValueError(f"seeds must be node ids in [0, {n})")
    theta = np.asarray(threshold, dtype=np.float64)
    if theta.ndim == 0:
        theta = np.full(n, float(theta))
    if theta.shape != (n,):
        raise ValueError(f"threshold must be a scalar or have one value per node ({n})")
    if np.any(~np.isfinite(theta)) or np.any(theta < 0) or (not absolute and np.any(theta > 1)):
        raise ValueError("threshold must be finite, non-negative and, for fractions, at most 1")
    deg = np.diff(indptr).astype(np.int64)
    # rem[i]: active neighbours node i still needs; activated nodes get a value no round can bring to zero
    done = np.int32(2**30)
    rem = np.minimum(_needed(theta, deg, absolute), done).astype(np.int32)

    active = np.zeros(n, dtype=bool)
    rnd = np.full(n, -1, dtype=np.int32)
    one = np.ones(1, dtype=np.int32)  # same dtype as rem: np.subtract.at's fast path
    active[seeds] = True
    frontier = np.flatnonzero(active)
    rnd[frontier] = 0
    rem[frontier] = done
    sizes = [int(frontier.size)]
    r = 0
    # nodes whose threshold is met with no active neighbour activate in round 1 wherever they are
    free = np.flatnonzero(rem <= 0)
    while (frontier.size or (r == 0 and free.size)) and (max_rounds is None or r < max_rounds):
        nb = _gather(adjacency, frontier)
        np.subtract.at(rem, nb, one)
        hit = nb[rem[nb] <= 0]
        if r == 0 and free.size:
            hit = np.concatenate((hit, free))
        if hit.size > 1:
            hit.sort()
            keep = np.empty(hit.size, dtype=bool)
            keep[0] = True
            np.not_equal(hit[1:], hit[:-1], out=keep[1:])
            hit = hit[keep]
        frontier = hit
        r += 1
        if frontier.size == 0:
            break
        rem[frontier] = done
        active[frontier] = True
        rnd[frontier] = r
        sizes.append(sizes[-1] + int(frontier.size))
    return CascadeResult(active=active, round=rnd, sizes=np.asarray(sizes, dtype=np.int64))


def retained_seeds(
    adjacency: sp.csr_array | sp.csr_matrix,
    result: CascadeResult,
    seeds: ArrayLike,
    threshold: float | ArrayLike,
    *,
    absolute: bool = False,
) -> NDArray[np.int64]:
    """Seeds that, at the fixed point, meet their own threshold (and so would keep using the product).

    A registration forced by a campaign is not a user: a seed is *retained* only if enough of its own
    neighbours are active at the end of the cascade, by the same rule that activates other nodes.

    Parameters
    ----------
    adjacency : scipy.sparse CSR
    result : CascadeResult
    seeds : array_like(int, ndim=1)
    threshold : float or array_like(float, ndim=1)
        As in :func:`threshold_cascade` (scalar or one value per node).
    absolute : bool

    Returns
    -------
    ndarray(int64, ndim=1)
        Sorted ids of the retained seeds.

    Raises
    ------
    ValueError
        If a seed is not a node id.
    """
    n = adjacency.shape[0]
    seeds = np.asarray(seeds, dtype=np.int64).ravel()
    if seeds.size and (seeds.min() < 0 or seeds.max() >= n):
        raise ValueError(f"seeds must be node ids in [0, {n})")
    seeds = np.sort(seeds)
    if seeds.size > 1:
        seeds = seeds[np.concatenate(([True], seeds[1:] != seeds[:-1]))]
    theta = np.asarray(threshold, dtype=np.float64)
    theta = np.full(seeds.size, float(theta)) if theta.ndim == 0 else theta[seeds]
    a = np.asarray(adjacency[seeds] @ result.active.astype(np.int32)).ravel()
    deg = np.diff(adjacency.indptr)[seeds]
    if absolute:
        ok = (deg > 0) & (a >= theta)
    else:
        ok = (deg > 0) & (a / np.maximum(deg, 1) >= theta)
    return seeds[ok]

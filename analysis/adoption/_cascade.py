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

*Graphs.*  Builders return CSR adjacency from edge arrays.  Duplicate edges and self-loops are removed by
sorting 64-bit keys ``u * n + v`` once and dropping repeats (no hashing, no ``networkx``, no ``np.unique``).

* :func:`watts_strogatz` -- ring lattice where each node links to its ``k/2`` successors, the far end of
  each edge rewired uniformly at random with probability ``beta`` (small world);
* :func:`block_model` -- a planted-partition stochastic block model: blocks are organisations (companies);
  each node draws ``k_in/2`` ties inside its block and ``k_out/2`` ties to uniformly random nodes, so mean
  degrees are about ``k_in`` and ``k_out``.

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
    "block_model",
    "clustered_seeds",
    "edges_to_csr",
    "retained_seeds",
    "scattered_seeds",
    "threshold_cascade",
    "watts_strogatz",
]


def edges_to_csr(src: ArrayLike, dst: ArrayLike, n: int, *, symmetric: bool = True) -> sp.csr_array:
    """Build a CSR adjacency matrix from edge arrays, dropping self-loops and duplicate edges.

    Parameters
    ----------
    src, dst : array_like(int, ndim=1)
        Edge end points in ``[0, n)``, of equal length.
    n : int
        Number of nodes.
    symmetric : bool
        Also add the reverse of every edge (an undirected graph).

    Returns
    -------
    scipy.sparse.csr_array
        ``n x n`` adjacency with ``int8`` ones and sorted column indices in every row.

    Notes
    -----
    One ``int64`` key per directed edge, one in-place sort and one comparison with the shifted array; the row
    pointer is found by binary search of the row boundaries in the sorted keys, so no row array is built.
    """
    if int(n) <= 0:
        raise ValueError("n must be positive")
    src = np.asarray(src)
    dst = np.asarray(dst)
    if src.ndim != 1 or dst.ndim != 1 or src.shape != dst.shape:
        raise ValueError("src and dst must be one-dimensional arrays of the same length")
    if src.size and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
        raise ValueError(f"edge end points must lie in [0, {n})")
    n64 = np.int64(n)
    loop = src == dst
    if loop.any():
        src, dst = src[~loop], dst[~loop]
    m = src.size
    key = np.empty(2 * m if symmetric else m, dtype=np.int64)
    np.multiply(src, n64, out=key[:m], dtype=np.int64)
    key[:m] += dst
    if symmetric:
        np.multiply(dst, n64, out=key[m:], dtype=np.int64)
        key[m:] += src
    key.sort()
    if key.size:
        keep = np.empty(key.size, dtype=bool)
        keep[0] = True
        np.not_equal(key[1:], key[:-1], out=keep[1:])
        key = key[keep]
        del keep
    indptr = np.searchsorted(key, np.arange(n + 1, dtype=np.int64) * n64)
    idx_dtype = np.int32 if n < 2**31 and key.size < 2**31 else np.int64
    key %= n64
    indices = key.astype(idx_dtype)
    del key
    data = np.ones(indices.size, dtype=np.int8)
    return sp.csr_array((data, indices, indptr.astype(idx_dtype)), shape=(n, n))


def watts_strogatz(n: int, k: int, beta: float, *, seed: int = 0) -> sp.csr_array:
    """Watts--Strogatz small-world graph as CSR adjacency.

    Parameters
    ----------
    n : int
        Number of nodes (``> k``).
    k : int
        Even lattice degree: node ``i`` links to ``i+1, ..., i+k/2`` (mod ``n``).
    beta : float
        Probability of rewiring the far end of each lattice edge to a uniform random node, in ``[0, 1]``.
    seed : int
        Random seed.

    Returns
    -------
    scipy.sparse.csr_array
    """
    if k <= 0 or k % 2 or n <= k:
        raise ValueError("k must be a positive even number smaller than n")
    if not 0 <= beta <= 1:
        raise ValueError("beta must be in [0, 1]")
    rng = np.random.default_rng(seed)
    h = k // 2
    src = np.repeat(np.arange(n, dtype=np.int32), h)
    dst = src + np.tile(np.arange(1, h + 1, dtype=np.int32), n)
    dst[dst >= n] -= n
    rewire = rng.random(src.size) < beta
    dst[rewire] = rng.integers(0, n, size=int(rewire.sum()), dtype=np.int32)
    return edges_to_csr(src, dst, n)


def block_model(
    sizes: ArrayLike, k_in: float, k_out: float, *, seed: int = 0
) -> tuple[sp.csr_array, NDArray[np.int32]]:
    """Planted-partition stochastic block model (organisations as blocks) as CSR adjacency.

    Parameters
    ----------
    sizes : array_like(int, ndim=1)
        Block sizes (each ``>= 2``).
    k_in, k_out : float
        Mean within-block and between-block degree (non-negative; ``k_in/2`` and ``k_out/2`` are rounded
        to the nearest integer number of draws per node).
    seed : int
        Random seed.

    Returns
    -------
    adjacency : scipy.sparse.csr_array
    block : ndarray(int32, ndim=1)
        Block label of every node (blocks are contiguous ranges of node ids).
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    if sizes.ndim != 1 or sizes.size == 0 or np.any(sizes < 2):
        raise ValueError("sizes must be a non-empty list of block sizes >= 2")
    if k_in < 0 or k_out < 0:
        raise ValueError("k_in and k_out must be non-negative")
    rng = np.random.default_rng(seed)
    n = int(sizes.sum())
    block = np.repeat(np.arange(sizes.size, dtype=np.int32), sizes)
    start = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    h_in, h_out = int(round(k_in / 2)), int(round(k_out / 2))
    nodes = np.arange(n, dtype=np.int32)
    src_in = np.repeat(nodes, h_in)
    b = block[src_in]
    # a uniform other member of the same block: offset in [1, size) from the node, wrapped inside the block
    off = (rng.random(src_in.size) * (sizes[b] - 1)).astype(np.int64) + 1
    dst_in = (start[b] + (src_in - start[b] + off) % sizes[b]).astype(np.int32)
    src_out = np.repeat(nodes, h_out)
    dst_out = rng.integers(0, n, size=src_out.size, dtype=np.int32)
    A = edges_to_csr(np.concatenate((src_in, src_out)), np.concatenate((dst_in, dst_out)), n)
    return A, block


def scattered_seeds(n: int, n_seeds: int, *, seed: int = 0) -> NDArray[np.int64]:
    """``n_seeds`` distinct nodes drawn uniformly from ``range(n)``, sorted."""
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
        return int(self.sizes[-1])

    @property
    def share(self) -> float:
        return self.n_active / self.active.size

    @property
    def n_rounds(self) -> int:
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

r"""Sparse random graphs for the cascades: CSR adjacency from edge arrays, small worlds and block models.

Builders return a ``scipy.sparse.csr_array`` adjacency from edge arrays.  Duplicate edges and self-loops are
removed by sorting 64-bit keys ``u * n + v`` once and dropping repeats (no hashing, no ``networkx``, no
``np.unique``).

* :func:`watts_strogatz` -- ring lattice where each node links to its ``k/2`` successors, the far end of
  each edge rewired uniformly at random with probability ``beta`` (small world);
* :func:`block_model` -- a planted-partition stochastic block model: blocks are organisations (companies);
  each node draws ``k_in/2`` ties inside its block and ``k_out/2`` ties to uniformly random nodes, so mean
  degrees are about ``k_in`` and ``k_out``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

__all__ = ["block_model", "edges_to_csr", "watts_strogatz"]


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

    Raises
    ------
    ValueError
        If ``n <= 0``, the edge arrays are not 1-d of equal length, or an end point is outside ``[0, n)``.
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

    Raises
    ------
    ValueError
        If ``k`` is not a positive even number below ``n``, or ``beta`` is outside [0, 1].
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

    Raises
    ------
    ValueError
        If a block has fewer than 2 nodes, or a degree is negative.
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

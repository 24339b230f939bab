"""Threshold cascades and graph builders against a plain reference implementation."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from analysis.adoption import (
    block_model,
    clustered_seeds,
    edges_to_csr,
    retained_seeds,
    scattered_seeds,
    threshold_cascade,
    watts_strogatz,
)


def _reference(adj_lists, seeds, theta, absolute=False):
    """Synchronous threshold model, one node at a time (as NDlib's ThresholdModel does it)."""
    n = len(adj_lists)
    status = [0] * n
    for s in seeds:
        status[s] = 1
    while True:
        new = list(status)
        for u in range(n):
            if status[u]:
                continue
            nb = adj_lists[u]
            if not nb:
                continue
            k = sum(status[v] for v in nb)
            if (k >= theta[u]) if absolute else (float(k) / len(nb) >= theta[u]):
                new[u] = 1
        if new == status:
            return np.array(status, dtype=bool)
        status = new


def _random_graph(n, m, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, m), rng.integers(0, n, m)


def test_edges_to_csr_matches_scipy_dedup():
    src, dst = _random_graph(300, 2000, 0)
    A = edges_to_csr(src, dst, 300)
    ref = sp.coo_array((np.ones(2 * src.size), (np.r_[src, dst], np.r_[dst, src])), shape=(300, 300)).tocsr()
    ref.setdiag(0)
    ref.eliminate_zeros()
    ref.sort_indices()
    np.testing.assert_array_equal(A.indptr, ref.indptr)
    np.testing.assert_array_equal(A.indices, ref.indices)
    assert (A != A.T).nnz == 0
    assert A.diagonal().sum() == 0
    assert A.max() == 1


def test_watts_strogatz_lattice_and_rewiring():
    A = watts_strogatz(200, 6, 0.0)
    assert np.all(np.diff(A.indptr) == 6)
    B = watts_strogatz(200, 6, 0.3, seed=1)
    assert (B != B.T).nnz == 0
    assert B.nnz <= 200 * 6
    np.testing.assert_array_equal(watts_strogatz(200, 6, 0.3, seed=1).indices, B.indices)


def test_block_model_keeps_most_ties_inside_blocks():
    A, block = block_model([40] * 10, k_in=8, k_out=2, seed=3)
    coo = A.tocoo()
    inside = np.mean(block[coo.row] == block[coo.col])
    assert inside > 0.7
    assert np.all(np.diff(block) >= 0)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("absolute", [False, True])
def test_cascade_matches_reference(seed, absolute):
    n = 150
    src, dst = _random_graph(n, 400, seed)
    A = edges_to_csr(src, dst, n)
    rng = np.random.default_rng(100 + seed)
    theta = rng.integers(0, 4, n).astype(float) if absolute else np.clip(rng.normal(0.3, 0.2, n), 0, 1)
    seeds = scattered_seeds(n, 10, seed=seed)
    adj = [list(A.indices[A.indptr[i]:A.indptr[i + 1]]) for i in range(n)]
    res = threshold_cascade(A, seeds, theta, absolute=absolute)
    np.testing.assert_array_equal(res.active, _reference(adj, seeds, theta, absolute))
    assert res.n_active == res.active.sum()
    assert np.all(res.active[seeds]) and np.all(res.round[seeds] == 0)
    assert np.all((res.round >= 0) == res.active)
    assert np.all(np.diff(res.sizes) > 0)


def test_more_seeds_give_a_superset():
    A = watts_strogatz(2000, 8, 0.05, seed=2)
    few = scattered_seeds(2000, 20, seed=5)
    more = np.union1d(few, scattered_seeds(2000, 200, seed=6))
    a = threshold_cascade(A, few, 0.3).active
    b = threshold_cascade(A, more, 0.3).active
    assert np.all(b[a])


def test_clustered_seeds_fill_whole_blocks():
    block = np.repeat(np.arange(20), 10)
    s = clustered_seeds(block, 30, seed=1)
    assert s.size == 30 and np.all(np.diff(s) > 0)
    counts = np.bincount(block[s], minlength=20)
    assert sorted(counts[counts > 0]) == [10, 10, 10]


def test_clustered_beat_scattered_retention_on_organisations():
    A, block = block_model([50] * 200, k_in=10, k_out=3, seed=4)
    n = A.shape[0]
    k = 200
    res = {}
    for name, s in (("clustered", clustered_seeds(block, k, seed=1)), ("scattered", scattered_seeds(n, k, seed=1))):
        r = threshold_cascade(A, s, 0.4)
        kept = retained_seeds(A, r, s, 0.4)
        assert set(kept) <= set(s)
        res[name] = kept.size / k
    assert res["clustered"] > res["scattered"]


def test_max_rounds_and_input_checks():
    A = watts_strogatz(500, 4, 0.0)
    r = threshold_cascade(A, [0], 0.5, max_rounds=3)
    assert r.n_rounds <= 3
    with pytest.raises(ValueError):
        threshold_cascade(A, [600], 0.5)
    with pytest.raises(ValueError):
        threshold_cascade(A, [0], 1.5)
    with pytest.raises(ValueError):
        threshold_cascade(A.tocoo(), [0], 0.5)
    with pytest.raises(ValueError):
        edges_to_csr([0, 1], [1], 3)
    with pytest.raises(ValueError):
        edges_to_csr([0, 5], [1, 2], 3)
    with pytest.raises(ValueError):
        scattered_seeds(10, 11)

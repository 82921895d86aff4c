"""js_knn's one-pass distances of equal-size samples (``kth_distances_pair``) against cKDTree."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

import divergences as dv
from divergences import _compiled, knn


def _pass(pooled: np.ndarray, n: int, k: int, order: np.ndarray | None = None):
    """The one-pass kernel in a k-d tree's order (js_knn's), or in ``order``."""
    if order is None:
        order = cKDTree(pooled, leafsize=16).indices
    return _compiled.kth_distances_pair(pooled, n, k, order)


def _tree_distances(x: np.ndarray, y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """What js_knn asks cKDTree for: the pooled (2k + 1)-th and each sample's (k + 1)-th."""
    pooled = np.concatenate([x, y])
    r_pool = cKDTree(pooled).query(pooled, k=[2 * k + 1])[0][:, 0]
    r_x = cKDTree(x).query(x, k=[k + 1])[0][:, 0]
    r_y = cKDTree(y).query(y, k=[k + 1])[0][:, 0]
    return r_pool, np.concatenate([r_x, r_y])


@pytest.mark.parametrize(
    ("n", "d", "k"),
    [
        (2, 1, 1),  # the smallest pair: every point is everyone's neighbour
        (31, 1, 10),  # 62 points: one block, short
        (32, 2, 10),  # 64 points: exactly one block
        (33, 3, 4),  # 66 points: a block of 2 at the end
        (500, 7, 10),  # many blocks, the boxes prune
        (257, 8, 40),  # pooled order 81: the buffer is a heap (above 64)
        (300, 9, 64),  # the largest order js_knn asks of one query (129 pooled)
        (1100, 2, 10),  # 2200 points: three superblocks of 16 blocks, the last short
        (200, 16, 3),
    ],
)
def test_the_distances_are_ckdtrees(n, d, k):
    rng = np.random.default_rng(n + 1000 * d)
    x = rng.normal(0, 1, (n, d))
    y = rng.normal(0.5, 1.3, (n, d)) * rng.uniform(0.2, 5.0, d)
    r_pool, r_own = _pass(np.concatenate([x, y]), n, k)
    t_pool, t_own = _tree_distances(x, y, k)
    if d < 8:  # cKDTree sums the squares from the first coordinate, as the kernel does
        assert np.array_equal(r_pool, t_pool)
        assert np.array_equal(r_own, t_own)
    else:  # beyond, four interleaved partial sums: the last bits may differ (2 ulps measured)
        np.testing.assert_allclose(r_pool, t_pool, rtol=1e-15, atol=0)
        np.testing.assert_allclose(r_own, t_own, rtol=1e-15, atol=0)


@pytest.mark.parametrize("scale", [1e-160, 1e-3, 1e150])
def test_squares_that_underflow_or_are_huge_are_ckdtrees(scale):
    # squared distances of points 1e-160 apart are subnormal or 0: the same sums as cKDTree
    rng = np.random.default_rng(7)
    x, y = rng.normal(0, scale, (150, 3)), rng.normal(scale, scale, (150, 3))
    r_pool, r_own = _pass(np.concatenate([x, y]), 150, 5)
    t_pool, t_own = _tree_distances(x, y, 5)
    assert np.array_equal(r_pool, t_pool)
    assert np.array_equal(r_own, t_own)


def test_samples_of_unequal_sizes_and_an_odd_count_of_points():
    # the kernel takes any split (labels): 70 points of x and 71 of y, 141 in all, so the last
    # tile pairs the last query with itself
    rng = np.random.default_rng(13)
    x, y = rng.normal(0, 1, (70, 3)), rng.normal(0.3, 1.5, (71, 3))
    pooled = np.concatenate([x, y])
    r_pool, r_own = _pass(pooled, 70, 4)
    assert np.array_equal(r_pool, cKDTree(pooled).query(pooled, k=[9])[0][:, 0])
    assert np.array_equal(r_own[:70], cKDTree(x).query(x, k=[5])[0][:, 0])
    assert np.array_equal(r_own[70:], cKDTree(y).query(y, k=[5])[0][:, 0])


@pytest.mark.parametrize("where", ["next", "last"])
@pytest.mark.parametrize("n", [64, 1024, 1100])
def test_a_box_at_the_buffers_limit_is_still_searched(n, where):
    # x_0 = 0's nearest other x is 1.0, alone at the start of the next block (n = 64: blocks
    # of 64 points) or of the next superblock (n >= 1024: 16 blocks), or the last point of all
    # (the last block and superblock, short for n = 1100). The query's own block gives it
    # +-(1 + 2^-40) first, so both its buffers' limits are (1 + 2^-40)^2 when the box's gap,
    # exactly 1, is compared with them; its tile's other query, x_1 = -3, has its neighbours
    # -3.25 and -3.5 at hand and needs no far box. A pass that skipped boxes a hair early
    # (gap * (1 + 1e-9) >= limit), or built a box without some of its blocks, would return
    # 1 + 2^-40.
    e = 2.0**-40
    near = [0.0, -3.0, -(1 + e), 1 + e, -3.25, -3.5]
    x = np.concatenate([near, 100 + np.arange(n - 7.0), [1.0]])
    y = 5000 + np.arange(float(n))
    pooled = np.concatenate([x, y])[:, None]
    rest = [i for i in range(2 * n) if i != n - 1]
    # 1.0 first of the second half, or last of all
    order = np.array([*rest[:n], n - 1, *rest[n:]] if where == "next" else [*rest, n - 1])
    r_pool, r_own = _pass(pooled, n, 1, order)
    assert r_own[0] == 1.0
    assert r_pool[0] == 1 + e  # the pooled order 3: itself, 1.0, then 1 + 2^-40
    t_pool, t_own = _tree_distances(x[:, None], y[:, None], 1)
    assert np.array_equal(r_pool, t_pool)
    assert np.array_equal(r_own, t_own)


def test_repeated_points_give_zero_distances_where_ckdtree_does():
    rng = np.random.default_rng(8)
    x = rng.integers(0, 4, (120, 2)).astype(float)  # 16 values: every point repeated
    y = rng.integers(0, 5, (120, 2)).astype(float)
    r_pool, r_own = _pass(np.concatenate([x, y]), 120, 3)
    t_pool, t_own = _tree_distances(x, y, 3)
    assert np.count_nonzero(t_pool == 0.0) > 100  # the case is the one meant
    assert np.array_equal(r_pool, t_pool)
    assert np.array_equal(r_own, t_own)


def test_serial_and_parallel_kernels_agree(monkeypatch):
    numba = pytest.importorskip("numba")
    from divergences._kernels import threads

    rng = np.random.default_rng(9)
    pooled = np.concatenate([rng.normal(size=(700, 5)), rng.normal(0.3, 1.0, (700, 5))])
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "never")
    serial = _pass(pooled, 700, 10)
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "always")
    before = numba.get_num_threads()
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    try:
        parallel = _pass(pooled, 700, 10)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(serial[0], parallel[0])
    assert np.array_equal(serial[1], parallel[1])


def test_any_order_of_the_points_gives_the_same_distances():
    # the order only decides which blocks the boxes skip: the identity, reversed and random
    rng = np.random.default_rng(12)
    x, y = rng.normal(0, 1, (333, 4)), rng.normal(0.2, 2.0, (333, 4))
    pooled = np.concatenate([x, y])
    t_pool, t_own = _tree_distances(x, y, 7)
    for order in (np.arange(666), np.arange(666)[::-1].copy(), rng.permutation(666)):
        r_pool, r_own = _pass(pooled, 333, 7, order)
        assert np.array_equal(r_pool, t_pool)
        assert np.array_equal(r_own, t_own)


def _with_trees(monkeypatch, call):
    monkeypatch.setattr(knn, "_pair_brute", lambda n, d: False)
    try:
        return call()
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize(
    "options",
    [{}, {"k": 3}, {"ci": 0.95, "seed": 4}, {"bias_correction": "ensemble", "ci": 0.9, "seed": 5}],
)
@pytest.mark.parametrize("d", [2, 8])
def test_js_knn_of_equal_sizes_is_the_trees_estimate(monkeypatch, options, d):
    rng = np.random.default_rng(10 + d)
    x, y = rng.normal(0, 1, (400, d)), rng.normal(0.4, 1.2, (400, d))
    kernel = _compiled.kth_distances_pair
    calls = []
    monkeypatch.setattr(_compiled, "kth_distances_pair", lambda *a: calls.append(a) or kernel(*a))
    one_pass = dv.js_knn(x, y, **options)
    assert calls  # the route meant: every estimate (and jackknife replicate) in one pass
    trees = _with_trees(monkeypatch, lambda: dv.js_knn(x, y, **options))
    # the same distances (to the last bit below 8 coordinates), then the same arithmetic
    for a, b in [
        (one_pass.unclipped, trees.unclipped),
        (one_pass.standard_error, trees.standard_error),
    ]:
        if b is None:
            assert a is None
        elif d < 8:
            assert a == b
        else:
            assert a == pytest.approx(b, rel=1e-12, abs=1e-14)


def test_ties_on_the_one_pass_route_are_js_knns_errors_and_dequantization(monkeypatch):
    x = np.array([[0.0], [0.0], [1.0], [2.0], [3.0], [4.0]])
    y = np.array([[0.5], [1.5], [2.5], [3.5], [4.5], [5.5]])
    with pytest.raises(ValueError, match="neighbour distances of 0") as one_pass:
        dv.js_knn(x, y, k=1, ties="raise")
    with pytest.raises(ValueError, match="neighbour distances of 0") as trees:
        _with_trees(monkeypatch, lambda: dv.js_knn(x, y, k=1, ties="raise"))
    assert str(one_pass.value) == str(trees.value)
    assert "2 k-th neighbour distances of 0 in x (repeated values)" in str(one_pass.value)
    rng = np.random.default_rng(11)
    a, b = rng.poisson(3, (300, 2)), rng.poisson(4, (300, 2))
    got = dv.js_knn(a, b, seed=3)
    assert got.dequantized is not None
    assert got.unclipped == _with_trees(monkeypatch, lambda: dv.js_knn(a, b, seed=3)).unclipped


def test_the_route_follows_the_measured_crossover():
    for d in (1, 2, 4, 8, 16):
        assert knn._pair_brute(knn.PAIR_MAX_N, d)
        assert not knn._pair_brute(knn.PAIR_MAX_N + 1, d)

"""divergences.js_knn_batch: js_knn of many equal-size pairs, pair by pair, errors, threads."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import divergences as dv
from divergences import knn

from .test_threads import _run


def _loop(x, y, k=None, base=None):
    return np.array([float(dv.js_knn(a, b, k=k, base=base)) for a, b in zip(x, y, strict=True)])


@pytest.mark.parametrize(
    ("n", "d", "k", "base"),
    [
        (200, 2, None, None),  # the headline shape, default k = 10
        (50, 1, 3, 2),  # 1-D samples as (B, n, 1), in bits
        (11, 2, None, None),  # default k = 10 = n - 1
        (6, 3, None, 10),  # default k = n - 1 = 5 for fewer than 11 points
        (120, 3, 40, None),  # pooled order 80: the buffer is a heap (above 64)
        (200, 2, 100, None),  # k > 64: js_knn cuts y in chunks of their own order
        (150, 5, 149, None),  # the largest k
        (80, 8, 4, None),  # d >= 8: cKDTree sums squares in another order (last bit)
        (30, 20, 2, np.e),
    ],
)
def test_each_value_is_js_knn_of_its_pair(n, d, k, base):
    rng = np.random.default_rng(n * 100 + d)
    x = rng.normal(0, 1, (7, n, d))
    y = rng.normal(0.4, 1.3, (7, n, d)) * rng.uniform(0.5, 2.0, d)
    values = dv.js_knn_batch(x, y, k=k, base=base)
    assert values.dtype == np.float64
    assert values.shape == (7,)
    # the same distances summed in the same order, then js_knn's own arithmetic on rows: at
    # most the last bit of a squared distance differs, moved through logs and means of <= 2n
    # terms
    np.testing.assert_allclose(values, _loop(x, y, k, base), rtol=1e-12, atol=1e-13)


def test_below_8_dimensions_the_values_are_js_knns_bit_for_bit():
    # below 8 coordinates scipy's cKDTree sums the squares from the first coordinate, as the
    # kernel does, and the rest is js_knn's arithmetic in js_knn's order (Notes)
    rng = np.random.default_rng(3)
    for d in (1, 2, 3, 7):
        x, y = rng.normal(size=(5, 90, d)), rng.normal(0.2, 1.0, (5, 90, d))
        assert np.array_equal(dv.js_knn_batch(x, y, k=4), _loop(x, y, 4)), d


@settings(max_examples=60, deadline=None)
@given(
    n_pairs=st.integers(0, 4),
    n=st.integers(2, 40),
    d=st.integers(1, 4),
    k=st.one_of(st.none(), st.integers(1, 39)),
    scale=st.sampled_from([1e-200, 1e-3, 1.0, 1e3, 1e200]),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_shape_and_scale_matches_js_knn(n_pairs, n, d, k, scale, seed):
    if k is not None and k >= n:
        k = n - 1
    rng = np.random.default_rng(seed)
    x = rng.normal(0, scale, (n_pairs, n, d))
    y = rng.normal(0.5 * scale, 2 * scale, (n_pairs, n, d))
    values = dv.js_knn_batch(x, y, k=k)
    assert values.shape == (n_pairs,)
    np.testing.assert_allclose(values, _loop(x, y, k), rtol=1e-12, atol=1e-13)


def test_large_samples_take_js_knns_route(monkeypatch):
    from divergences import _compiled

    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(3, 60, 2)), rng.normal(0.3, 1.0, (3, 60, 2))
    brute = dv.js_knn_batch(x, y, k=5)
    sweep, one_pass = _compiled.kth_distances_batch, _compiled.kth_distances_pair
    calls = []
    monkeypatch.setattr(
        _compiled, "kth_distances_batch", lambda *a: calls.append("sweep") or sweep(*a)
    )
    monkeypatch.setattr(
        _compiled, "kth_distances_pair", lambda *a: calls.append("pass") or one_pass(*a)
    )
    monkeypatch.setattr(knn, "BRUTE_MAX_N", 59)  # every pair now above the crossover
    routed = dv.js_knn_batch(x, y, k=5)
    assert calls == ["pass"] * 3  # js_knn's route, pair by pair
    assert np.array_equal(routed, _loop(x, y, 5))  # js_knn's own code, pair by pair
    assert np.array_equal(brute, routed)


def test_the_batch_routes_by_the_measured_crossovers():
    limits = {1: knn.BRUTE_MAX_N, 2: 300, 3: 200, 4: knn.BRUTE_MAX_N_HIGH_D, 16: 128}
    for d, limit in limits.items():
        assert knn._batch_sweep(limit, d), d
        assert not knn._batch_sweep(limit + 1, d), d


def test_serial_and_parallel_kernels_agree(monkeypatch):
    numba = pytest.importorskip("numba")
    from divergences._kernels import threads

    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(40, 50, 3)), rng.normal(0.3, 1.0, (40, 50, 3))
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "never")
    serial = dv.js_knn_batch(x, y)
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "always")
    before = numba.get_num_threads()
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    try:
        parallel = dv.js_knn_batch(x, y)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(serial, parallel)


def test_an_empty_batch_gives_an_empty_array():
    values = dv.js_knn_batch(np.empty((0, 20, 2)), np.empty((0, 20, 2)))
    assert values.shape == (0,)
    assert values.dtype == np.float64


def test_a_2d_array_is_refused_not_guessed():
    x = np.zeros((200, 2))
    message = (
        r"x has shape \(200, 2\); js_knn_batch takes a batch of shape \(B, n, d\): B samples of "
        r"n points in d dimensions\. A 2-D array is ambiguous, so it is not guessed: for one "
        r"sample of 200 points in 2 dimensions call js_knn\(x, \.\.\.\); for a batch of 200 1-D "
        r"samples of 2 values pass x\[:, :, None\] \(shape \(200, 2, 1\)\)\."
    )
    with pytest.raises(ValueError, match=message):
        dv.js_knn_batch(x, np.zeros((200, 2, 1)))
    with pytest.raises(ValueError, match=r"^y has shape \(4, 9\); js_knn_batch takes a batch"):
        dv.js_knn_batch(np.zeros((4, 9, 1)), np.zeros((4, 9)))


@pytest.mark.parametrize("shape", [(5,), (2, 3, 4, 1), ()])
def test_other_ranks_are_refused(shape):
    message = (
        rf"x must be a batch of shape \(B, n, d\), B samples of n points in d dimensions; got "
        rf"{len(shape)} dimension\(s\) with shape {re.escape(str(shape))}\. For one sample call "
        rf"js_knn\."
    )
    with pytest.raises(ValueError, match=message):
        dv.js_knn_batch(np.zeros(shape), np.zeros((2, 3, 1)))


@pytest.mark.parametrize("shape", [(3, 0, 2), (3, 5, 0)])
def test_samples_without_points_or_coordinates_are_refused(shape):
    message = (
        rf"y has shape {re.escape(str(shape))}; each sample of the batch needs points "
        rf"\(n >= 2\) with at least one coordinate \(d >= 1\)\."
    )
    with pytest.raises(ValueError, match=message):
        dv.js_knn_batch(np.ones((3, 5, 2)), np.zeros(shape))


def test_non_finite_values_name_their_pairs():
    x = np.ones((8, 4, 2))
    x[1, 0, 0] = np.nan
    x[6, 2, 1] = np.inf
    x[6, 3, 1] = -np.inf
    message = (
        r"x contains 1 NaN entry and 2 infinite entries, in 2 of its 8 samples \(x\[1, 6\]\); the "
        r"kNN estimator needs finite points\. Drop those pairs from the batch, or estimate them "
        r"one by one with js_knn after removing the points\."
    )
    with pytest.raises(ValueError, match=message):
        dv.js_knn_batch(x, np.ones((8, 4, 2)))


def test_mismatched_batches_are_refused():
    with pytest.raises(
        ValueError,
        match=(
            r"x holds 3 samples and y holds 4; a batch pairs x\[i\] with y\[i\], so both need the "
            r"same first axis B\."
        ),
    ):
        dv.js_knn_batch(np.zeros((3, 5, 1)), np.zeros((4, 5, 1)))
    with pytest.raises(
        ValueError,
        match=(
            r"x's samples have 5 points and y's have 7; js_knn_batch needs equal sizes n in every "
            r"pair\. For samples of different sizes call js_knn pair by pair \(it pools the larger "
            r"sample in random blocks, drawn from seed=\)\."
        ),
    ):
        dv.js_knn_batch(np.zeros((3, 5, 1)), np.zeros((3, 7, 1)))
    with pytest.raises(
        ValueError,
        match=(
            r"x's points have 2 coordinate\(s\) and y's have 3; both samples of a pair must be "
            r"points of the same space\."
        ),
    ):
        dv.js_knn_batch(np.zeros((3, 5, 2)), np.zeros((3, 5, 3)))


def test_k_out_of_range_is_refused():
    x, y = np.zeros((2, 6, 1)), np.ones((2, 6, 1))
    with pytest.raises(TypeError, match=r"k must be a positive integer; got 2\.5 of type float\."):
        dv.js_knn_batch(x, y, k=2.5)
    with pytest.raises(TypeError, match=r"k must be a positive integer; got True of type bool\."):
        dv.js_knn_batch(x, y, k=True)
    with pytest.raises(
        ValueError, match=r"k must be a positive integer \(the k-th nearest neighbour\); got 0\."
    ):
        dv.js_knn_batch(x, y, k=0)
    with pytest.raises(
        ValueError,
        match=(
            r"k=6 must be below the samples' size n=6: the k-th neighbour of a point is among "
            r"the other points of its sample\. Use a smaller k or more points per sample\."
        ),
    ):
        dv.js_knn_batch(x, y, k=6)
    with pytest.raises(
        ValueError,
        match=(
            r"js_knn_batch needs at least 2 points per sample \(n=1\): a point's neighbour "
            r"distance is to another point of its own sample\."
        ),
    ):
        dv.js_knn_batch(np.zeros((2, 1, 1)), np.ones((2, 1, 1)))


def _js_knn_message(x, y, k):
    with pytest.raises(ValueError, match=r"k-th neighbour distances (of 0|are 0)") as info:
        dv.js_knn(x, y, k=k, ties="raise")
    return str(info.value)


@pytest.mark.parametrize("routed", [False, True])
def test_ties_give_js_knns_message_for_the_first_pair(routed, monkeypatch):
    if routed:
        monkeypatch.setattr(knn, "BRUTE_MAX_N", 1)
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(5, 6, 1)), rng.normal(size=(5, 6, 1))
    x[2, :, 0] = [0.0, 0.0, 1.0, 2.0, 3.0, 4.0]  # ties within x (js_knn's own test case)
    y[2, :, 0] = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]
    y[4, 1, 0] = y[4, 0, 0]  # and within y of a later pair
    expected = _js_knn_message(x[2], y[2], 1)
    assert "2 k-th neighbour distances of 0 in x (repeated values)" in expected
    with pytest.raises(ValueError, match=r"^pair 2 \(x\[2\], y\[2\]\)") as info:
        dv.js_knn_batch(x, y, k=1, ties="raise")
    more = "" if routed else "; 1 more pair(s) too"  # js_knn's route stops at the first pair
    assert str(info.value) == f"pair 2 (x[2], y[2]){more}: {expected}"
    # ties in y only: js_knn names y
    with pytest.raises(ValueError, match=r"^pair 1 \(x\[1\], y\[1\]\): ") as info:
        dv.js_knn_batch(x[3:], y[3:], k=1, ties="raise")
    assert str(info.value) == f"pair 1 (x[1], y[1]): {_js_knn_message(x[4], y[4], 1)}"
    assert "2 k-th neighbour distances of 0 in y" in str(info.value)


@pytest.mark.parametrize("routed", [False, True])
def test_pairs_on_a_grid_are_dequantized_as_js_knn_does_with_the_pair_s_seed(routed, monkeypatch):
    if routed:
        monkeypatch.setattr(knn, "BRUTE_MAX_N", 1)
    rng = np.random.default_rng(10)
    x, y = rng.normal(size=(4, 40, 2)), rng.normal(0.5, 1.0, size=(4, 40, 2))
    x[1], y[1] = rng.poisson(3, (40, 2)), rng.poisson(4, (40, 2))  # integer data: a grid
    x[3], y[3] = np.round(x[3], 1), np.round(y[3], 1)  # rounded to 0.1: a grid
    values = dv.js_knn_batch(x, y, k=3, seed=7, clip=False)
    seeds = np.random.SeedSequence(7).generate_state(4, np.uint64)
    for b in range(4):
        one = dv.js_knn(x[b], y[b], k=3, seed=int(seeds[b]))
        assert (one.dequantized is not None) == (b in (1, 3))
        assert values[b] == pytest.approx(one.unclipped, rel=1e-12, abs=1e-15)
    # continuous pairs are not touched: the same values with another seed or none
    again = dv.js_knn_batch(x, y, k=3, seed=8, clip=False)
    np.testing.assert_array_equal(again[[0, 2]], values[[0, 2]])
    assert again[1] != values[1]
    assert again[3] != values[3]
    np.testing.assert_array_equal(dv.js_knn_batch(x, y, k=3, seed=7, clip=False), values)
    # a Generator: its next integer is the root
    drawn = int(np.random.default_rng(5).integers(0, 2**63))
    np.testing.assert_array_equal(
        dv.js_knn_batch(x, y, k=3, seed=np.random.default_rng(5), clip=False),
        dv.js_knn_batch(x, y, k=3, seed=drawn, clip=False),
    )
    # a repeat off any grid is not treated: js_knn's message, which says why
    x[2, 1] = x[2, 0]
    with pytest.raises(ValueError, match=r"^pair 2 \(x\[2\], y\[2\]\): k=1: ") as info:
        dv.js_knn_batch(x, y, k=1, seed=7)
    with pytest.raises(ValueError, match=r"^k=1: 2 k-th neighbour distances of 0 in x") as alone:
        dv.js_knn(x[2], y[2], k=1)
    assert str(info.value) == f"pair 2 (x[2], y[2]): {alone.value}"
    assert str(info.value).endswith("as rounded or integer data are; these are not.)")


def test_js_knn_batch_ties_and_seed_errors():
    x = y = np.random.default_rng(0).normal(size=(2, 20, 1))
    with pytest.raises(ValueError, match=r"^ties must be 'dequantize' \(values on a grid"):
        dv.js_knn_batch(x, y, ties="jitter")
    with pytest.raises(TypeError, match=r"^seed must be a non-negative integer, a numpy Generator"):
        dv.js_knn_batch(x, y, seed=1.5)
    with pytest.raises(ValueError, match=r"^seed must be a non-negative integer; got -1\.$"):
        dv.js_knn_batch(x, y, seed=-1)
    x2, y2 = np.zeros((1, 8, 1)), np.zeros((1, 8, 1))
    x2[0, :, 0], y2[0, :, 0] = [0, 0, 1, 1, 2, 2, 3, 3], [1e-9, 1, 2, 3, 4, 5, 6, 7]
    with pytest.raises(ValueError, match=r"^pair 0 \(x\[0\], y\[0\]\): x and y lie on grids"):
        dv.js_knn_batch(x2, y2, k=1)


@pytest.mark.parametrize("routed", [False, True])
def test_distinct_points_too_close_for_their_range_get_js_knns_message(routed, monkeypatch):
    if routed:
        monkeypatch.setattr(knn, "BRUTE_MAX_N", 1)
    rng = np.random.default_rng(88)
    x, y = rng.normal(size=(2, 50, 1)), rng.normal(size=(2, 50, 1))
    x[1] *= 1e-170
    expected = _js_knn_message(x[1], y[1], 3)
    assert expected.startswith("some k-th neighbour distances are 0 although no point repeats")
    with pytest.raises(ValueError, match=re.escape(f"pair 1 (x[1], y[1]): {expected}")):
        dv.js_knn_batch(x, y, k=3)


RACE = """
import json, sys, threading
import numpy as np
import divergences as dv
assert "numba" not in sys.modules, "import divergences loaded numba"
rng = np.random.default_rng(0)
x, y = rng.normal(size=(30, 60, 2)), rng.normal(0.4, 1.2, (30, 60, 2))
n_threads = 8
barrier = threading.Barrier(n_threads)
results, errors = {}, []
def worker(i):
    try:
        barrier.wait()
        results[i] = dv.js_knn_batch(x, y).tolist()
    except BaseException as error:
        errors.append(repr(error))
threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"results": list(results.values()), "errors": errors}))
"""


@pytest.mark.parametrize("policy", ["auto", "always"])
def test_first_calls_from_many_threads_at_once(policy):
    # a fresh interpreter: the kernels are not loaded when the threads make their first call
    # together (as tests/test_threads.py races the other functions); "always" makes the threads
    # launch the parallel kernel, which only the main thread may do under the workqueue layer
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(30, 60, 2)), rng.normal(0.4, 1.2, (30, 60, 2))
    expected = _loop(x, y).tolist()
    report = _run(RACE, env={"DIVERGENCES_PARALLEL": policy})
    assert report["errors"] == []
    assert len(report["results"]) == 8
    for values in report["results"]:
        np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-13)


def test_clip_false_gives_the_realisations_and_true_clips_them_to_the_range():
    rng = np.random.default_rng(12)
    # equal laws (realisations below 0) and far-apart pairs (above log 2), in bits
    x = rng.normal(size=(6, 20, 2))
    y = np.concatenate([rng.normal(size=(3, 20, 2)), rng.normal(size=(3, 20, 2)) + 100.0])
    raw = dv.js_knn_batch(x, y, base=2, clip=False)
    expected = [dv.js_knn(a, b, base=2).unclipped for a, b in zip(x, y, strict=True)]
    np.testing.assert_allclose(raw, expected, rtol=1e-12, atol=1e-13)
    assert raw.min() < 0.0
    assert raw.max() > 1.0
    np.testing.assert_array_equal(dv.js_knn_batch(x, y, base=2), np.clip(raw, 0.0, 1.0))


def test_clip_must_be_a_bool():
    x = np.zeros((1, 5, 1)) + np.arange(5.0)[None, :, None]
    with pytest.raises(
        TypeError,
        match=r"clip must be True \(estimates clipped to \[0, log 2\]"
        r", as js_knn's value\) or False \(the unclipped realisations, to "
        r"average\); got 'yes' of type str\.",
    ):
        dv.js_knn_batch(x, x + 0.5, clip="yes")

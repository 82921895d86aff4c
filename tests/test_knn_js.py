"""divergences.js_knn and the kNN intervals: brute force, invariances, accuracy, errors."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import divergences as dv

from . import naive
from .test_knn import distinct_points


@given(points=distinct_points(max_n=30), k=st.integers(1, 2), seed=st.integers(0, 2**32 - 1))
def test_js_knn_matches_brute_force(points, k, seed):
    x, y = points
    n1 = max(len(x), len(y))
    # the estimator draws the larger sample's order from the seed only when the sizes differ
    order = np.random.default_rng(seed).permutation(n1) if len(x) != len(y) else None
    expected = naive.js_knn(x, y, k, order)
    estimate = dv.js_knn(x, y, k=k, seed=seed)
    assert estimate.unclipped == pytest.approx(expected, rel=1e-10, abs=1e-12)
    # the value is the realisation clipped to JSD's range [0, log 2]
    assert float(estimate) == min(max(estimate.unclipped, 0.0), math.log(2))


@given(points=distinct_points(max_n=30), power=st.integers(-30, 30))
def test_js_knn_is_invariant_under_a_common_power_of_two_scaling(points, power):
    x, y = points
    base = dv.js_knn(x, y, k=2, seed=1)
    scaled = dv.js_knn(x * 2.0**power, y * 2.0**power, k=2, seed=1)
    assert scaled == pytest.approx(base, rel=1e-12, abs=1e-12)


def test_js_knn_is_symmetric_for_equal_sizes():
    rng = np.random.default_rng(70)
    x, y = rng.normal(0, 1, (400, 3)), rng.normal(0.3, 1.1, (400, 3))
    assert dv.js_knn(x, y) == pytest.approx(dv.js_knn(y, x), rel=1e-12)


def test_js_knn_approaches_the_gaussian_truth_for_equal_and_unequal_sizes():
    rng = np.random.default_rng(71)
    truth = float(dv.reference.js_normal(0.0, 1.0, 0.5, 1.2))
    for n_y in (2000, 8000):
        values = [
            dv.js_knn(rng.normal(0, 1, 2000), rng.normal(0.5, 1.2, n_y), seed=s).unclipped
            for s in range(12)
        ]
        se = np.std(values, ddof=1) / math.sqrt(len(values))
        # bias allowance: twice the largest |bias| measured over 40 seeds for this pair at
        # n = 300-3000 and k = 10 (0.0026 nats); 4.42 standard errors of the mean besides
        assert abs(np.mean(values) - truth) <= 4.42 * se + 0.0052


def test_a_very_unequal_pair_is_cut_in_chunks_and_stays_fast():
    # 5 points against 20,000: the larger sample's order would be 20,000; chunks keep it <= 64
    rng = np.random.default_rng(79)
    x, y = rng.normal(size=5), rng.normal(size=20_000)
    value = dv.js_knn(x, y, k=2, seed=0)
    assert math.isfinite(value)
    assert abs(value) < math.log(2)


def test_js_knn_matched_balls_cancel_the_bias_of_unequal_sizes_in_8_d():
    # equal laws, 8-D, 300 against 3000 points: with one k for all three entropies the biases
    # do not cancel (+0.07 nats measured); with matched balls the mean is within noise of 0
    rng = np.random.default_rng(72)
    values = [
        dv.js_knn(rng.normal(size=(300, 8)), rng.normal(size=(3000, 8)), k=5, seed=s).unclipped
        for s in range(6)
    ]
    assert abs(np.mean(values)) < 0.02


def test_interval_is_reproducible_from_its_seed_and_brackets_the_estimate():
    rng = np.random.default_rng(73)
    x, y = rng.normal(0, 1, (500, 2)), rng.normal(0.5, 1, (700, 2))
    first = dv.js_knn(x, y, ci=0.9)
    again = dv.js_knn(x, y, ci=0.9, seed=first.seed)
    assert isinstance(first.seed, int)
    assert float(first) == float(again)
    assert first.interval == again.interval
    low, high = first.interval
    assert low < float(first) < high
    # a 0.9 interval is the estimate +- 1.645 standard errors
    assert high - low == pytest.approx(2 * 1.6448536 * first.standard_error, rel=1e-6)
    kl = dv.kl_knn(x, y, ci=0.95, seed=3)
    assert kl.interval[0] < float(kl) < kl.interval[1]
    assert kl.seed == 3


def test_no_interval_and_nothing_random_by_default_for_equal_sizes():
    rng = np.random.default_rng(74)
    x, y = rng.normal(size=(200, 2)), rng.normal(size=(200, 2))
    est = dv.js_knn(x, y)
    assert est.interval is None
    assert est.standard_error is None
    assert est.seed is None
    assert float(est) == float(dv.js_knn(x, y))
    assert est.k == 10
    assert (est.n_x, est.n_y, est.dimension) == (200, 200, 2)
    # fewer than 11 points in the smaller sample: k = n - 1
    assert dv.js_knn(x[:6], y[:9]).k == 5


def test_the_estimate_is_a_float_that_pickles_with_its_attributes():
    rng = np.random.default_rng(75)
    est = dv.kl_knn(rng.normal(size=300), rng.normal(0.5, 1, 300), k=3, ci=0.95, seed=0)
    assert isinstance(est, float)
    assert isinstance(est, dv.KnnEstimate)
    assert est.value == float(est)
    assert est - 0.0 == float(est)
    copy = pickle.loads(pickle.dumps(est))
    assert copy == est
    assert copy.interval == est.interval
    assert copy.k == 3
    assert str(est) == repr(float(est))
    assert f"{est:.3f}" == f"{float(est):.3f}"
    assert repr(est).startswith(f"KnnEstimate(kl={float(est):.6g} nats, 0.95 interval [")
    assert repr(est).endswith(", k=3, n_x=300, n_y=300, d=1)")
    bits = dv.js_knn(rng.normal(size=50), rng.normal(size=50), k=3, base=2)
    assert repr(bits).startswith("KnnEstimate(js=")
    assert " bits, k=3" in repr(bits)


def test_js_knn_ties_are_an_error_naming_where_they_are():
    x = np.array([0.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    y = np.array([0.5, 1.5, 2.5, 3.5, 4.5, 5.5])
    with pytest.raises(
        ValueError,
        match=(
            r"k=1: 2 k-th neighbour distances of 0 in x \(repeated values\)\. The kNN estimator "
            r"assumes continuous distributions, where ties have probability 0, and log\(0\) has "
            r"no finite value to return\. If the data are rounded, add uniform jitter of the "
            r"rounding width; if a value repeats m times, a larger k avoids the zero distances "
            r"\(at the cost of more bias\); if the data are discrete, use js_from_samples "
            r"\(histograms handle atoms\)\."
        ),
    ):
        dv.js_knn(x, y, k=1, ties="raise")
    # a value shared by the samples is a zero distance of the mixture (order 2k) only when it
    # occurs more than 2k times in the pool, so it comes with ties within a sample
    with pytest.raises(
        ValueError,
        match=(
            r"k=1: 3 k-th neighbour distances of 0 in the pooled mixture samples \(x and y share "
            r"values\) and 2 k-th neighbour distances of 0 in x \(repeated values\)"
        ),
    ):
        dv.js_knn(x, [0.0, 1.5, 2.5, 3.5, 4.5, 5.5], k=1, ties="raise")
    with pytest.raises(ValueError, match=r"k=1: 2 k-th neighbour distances of 0 in y"):
        dv.js_knn(y, x, k=1, ties="raise")
    # by default these values, on the grid of step 0.5, are dequantized
    est = dv.js_knn(x, y, k=1, seed=2)
    assert est.dequantized == (0.5,)
    assert float(dv.js_knn(x, y, k=1, seed=2)) == float(est)
    assert 0.0 <= est <= math.log(2)
    # and a tie among continuous values is still an error, saying why
    with pytest.raises(ValueError, match=r"these are not\.\)$"):
        dv.js_knn([0.0, 0.0, 0.31, 1.7, 2.9, 4.2], y, k=1)
    with pytest.raises(ValueError, match=r"ties must be 'dequantize' .* got None\."):
        dv.js_knn(x, y, ties=None)


def test_ci_needs_enough_points_left_by_the_jackknife():
    x, y = np.arange(12.0), np.arange(12.0) + 0.5
    with pytest.raises(
        ValueError,
        match=(
            r"ci needs the smaller sample to keep more than k=10 points when a tenth of it is "
            r"left out \(the interval is a delete-a-group jackknife over 10 groups\); it keeps "
            r"10\. Use a smaller k, more data, or ci=None\."
        ),
    ):
        dv.js_knn(x, y, k=10, ci=0.95, seed=0)
    assert dv.js_knn(x, y, k=3, ci=0.95, seed=0).interval is not None
    with pytest.raises(ValueError, match=r"ci must be a confidence level strictly between 0"):
        dv.js_knn(x, y, ci=95)
    with pytest.raises(
        ValueError,
        match=(
            r"k=12 must be below the smaller sample's size \(x has 12 points, y has 100\): the "
            r"k-th neighbour of a point is among the other points of its sample\. Use a smaller "
            r"k or more data\."
        ),
    ):
        dv.js_knn(x, np.linspace(0, 1, 100) + 0.25, k=12)
    with pytest.raises(
        ValueError,
        match=(
            r"js_knn needs at least 2 points in each sample \(x has 1, y has 12\): a point's "
            r"neighbour distance is to another point of its own sample\."
        ),
    ):
        dv.js_knn([0.5], x)
    # the default k fits what the jackknife keeps: 12 points keep 10, so k = 9
    assert dv.js_knn(x, y, ci=0.95, seed=0).k == 9
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer"):
        dv.js_knn(x, y, seed=1.5)  # checked although equal sizes and no ci use no randomness
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer"):
        dv.kl_knn(x, y, seed="abc")


def test_jackknife_that_meets_ties_everywhere_is_an_error():
    # the error path itself: every replicate of the jackknife returns NaN
    from divergences import knn

    rng = np.random.default_rng(76)
    a, b = rng.normal(size=(50, 1)), rng.normal(size=(50, 1))
    with pytest.raises(
        ValueError,
        match=(
            r"ci: 10 of the 10 jackknife replicates met a k-th neighbour distance of 0 \(values "
            r"repeated more than k times once a group is left out\), too few remain for a "
            r"standard error\. Use a larger k, jitter rounded data, or ci=None\."
        ),
    ):
        knn._jackknife_se(lambda p, q: math.nan, a, b, rng)


def test_the_ensemble_is_the_weighted_sum_of_its_orders_and_cancels_the_k_power_term():
    rng = np.random.default_rng(77)
    x, y = rng.normal(size=(300, 4)), rng.normal(0.3, 1.0, (400, 4))
    est = dv.js_knn(x, y, bias_correction="ensemble", seed=5)
    assert est.orders == (5, 10, 20, 40)
    assert est.bias_correction == "ensemble"
    w = np.array(est.weights)
    # sum 1, and a bias c k^(2/d) of any constant c cancels
    assert w.sum() == pytest.approx(1.0, rel=1e-12)
    assert w @ np.array(est.orders) ** (2 / 4) == pytest.approx(0.0, abs=1e-12)
    parts = [dv.js_knn(x, y, k=k, seed=5).unclipped for k in est.orders]
    assert est.unclipped == pytest.approx(float(w @ parts), rel=1e-12)
    assert "ensemble of k=5/10/20/40" in repr(est)
    # the weights do not depend on n; only the orders that fit do
    assert dv.js_knn(x[:30], y[:30], bias_correction="ensemble").orders == (5, 10, 20)


def test_ensemble_errors():
    rng = np.random.default_rng(78)
    with pytest.raises(
        ValueError,
        match=(
            r"bias_correction='ensemble' is for points of at most 16 coordinates \(these have "
            r"17\): its weights grow with d, and beyond that their variance swamped the estimate "
            r"where it was measured \(0\.3-1\.2 nats for two equal laws in 32-D and 50-D\)\. "
            r"Use bias_correction=None\."
        ),
    ):
        dv.js_knn(rng.normal(size=(50, 17)), rng.normal(size=(50, 17)), bias_correction="ensemble")
    with pytest.raises(
        ValueError, match=r"bias_correction must be None or False \(none\) or 'ensemble'"
    ):
        dv.js_knn(rng.normal(size=50), rng.normal(size=50), bias_correction=np.array(["ensemble"]))
    x, y = np.arange(10.0), np.arange(10.0) + 0.5
    with pytest.raises(
        ValueError,
        match=(
            r"bias_correction='ensemble' combines neighbour orders k, 2k, 4k and 8k, at least "
            r"the first two: k=5 needs more than 10 points in the smaller sample \(it has 10\); "
            r"use a smaller k or more data\."
        ),
    ):
        dv.js_knn(x, y, k=5, bias_correction="ensemble")
    # the default k leaves room for k and 2k (4 and 8 of 10 points); with ci, in what every
    # jackknife replicate keeps (2 and 4 of the 9 that 10 points keep; 5, 10, 20 of 41 of 46)
    assert dv.js_knn(x, y, bias_correction="ensemble").orders == (4, 8)
    assert dv.js_knn(x, y, bias_correction="ensemble", ci=0.9, seed=0).orders == (4, 8)
    x46, y46 = rng.normal(size=(46, 4)), rng.normal(size=(49, 4))
    assert dv.js_knn(x46, y46, bias_correction="ensemble", ci=0.9, seed=0).orders == (
        5,
        10,
        20,
        40,
    )
    with pytest.raises(
        ValueError,
        match=(
            r"k=3 needs more than 6 points in the smaller sample \(every jackknife replicate "
            r"keeps 6\); use a smaller k or more data\.$"
        ),
    ):
        dv.js_knn(x[:7], y[:7], k=3, bias_correction="ensemble", ci=0.9, seed=0)
    with pytest.raises(
        ValueError,
        match=(
            r"bias_correction must be None or False \(none\) or 'ensemble' \(a weighted "
            r"ensemble over neighbour orders k, 2k, 4k, 8k\); got 'miller-madow'\."
        ),
    ):
        dv.js_knn(x, y, bias_correction="miller-madow")


def test_distinct_points_too_close_for_their_range_are_not_called_repeated():
    rng = np.random.default_rng(88)
    message = (
        r"some k-th neighbour distances are 0 although no point repeats: the points span too "
        r"many orders of magnitude \(distances below about 1e-154 of the largest coordinate "
        r"have squares that underflow to 0\)\. Rescale the coordinates that differ in scale, "
        r"or remove the outlying points\."
    )
    with pytest.raises(ValueError, match=message):
        dv.kl_knn(rng.normal(size=50) * 1e-170, rng.normal(size=50))
    with pytest.raises(ValueError, match=message):
        dv.js_knn(rng.normal(size=50) * 1e-170, rng.normal(size=50), k=3)


def test_far_apart_samples_are_clipped_to_log_2_in_every_base():
    # two samples 100 sd apart: the estimator's realisation exceeds log 2 (by 4 nats for 20
    # points in 1-D, 34 in 8-D); the value is JSD's largest, log 2 nats or 1 bit
    rng = np.random.default_rng(81)
    for d in (1, 8):
        x, y = rng.normal(size=(20, d)), rng.normal(size=(20, d)) + 100.0
        est = dv.js_knn(x, y, ci=0.95, seed=3)
        assert est.unclipped > math.log(2) + 1.0
        assert float(est) == math.log(2)
        low, high = est.interval
        assert 0.0 <= low <= high == math.log(2)
        in_bits = dv.js_knn(x, y, base=2)
        assert float(in_bits) == 1.0
        assert in_bits.unclipped == pytest.approx(est.unclipped / math.log(2), rel=1e-12)

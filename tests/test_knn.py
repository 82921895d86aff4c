"""divergences.kl_knn against the brute-force oracle, the Gaussian closed form, and its errors."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import divergences as dv
from divergences import knn

from . import naive


@st.composite
def distinct_points(draw, max_n=40, max_d=3):
    d = draw(st.integers(1, max_d), label="d")
    n = draw(st.integers(4, max_n), label="n")
    m = draw(st.integers(3, max_n), label="m")
    seed = draw(st.integers(0, 2**32 - 1), label="seed")
    scale = draw(st.sampled_from([1e-3, 1.0, 1e3]), label="scale")
    rng = np.random.default_rng(seed)
    # continuous draws: distinct with probability 1
    return rng.normal(0, scale, (n, d)), rng.normal(0.5 * scale, 2 * scale, (m, d))


@given(points=distinct_points(), k=st.integers(1, 3))
def test_kl_knn_matches_brute_force(points, k):
    x, y = points
    estimate = dv.kl_knn(x, y, k=k)
    assert estimate.unclipped == pytest.approx(naive.kl_knn(x, y, k), rel=1e-10, abs=1e-12)
    # the value is the realisation clipped to KL's range [0, inf]
    assert float(estimate) == max(estimate.unclipped, 0.0)


@given(points=distinct_points(), power=st.integers(-20, 20), shift=st.floats(-10, 10))
def test_kl_knn_is_invariant_under_a_common_scaling_and_shift(points, power, shift):
    # KL is invariant under an invertible map applied to both laws; so is the estimator under a
    # common scaling (by a power of 2: exact in floating point) and, up to rounding, a shift
    x, y = points
    base = dv.kl_knn(x, y)
    assert dv.kl_knn(x * 2.0**power, y * 2.0**power) == pytest.approx(base, rel=1e-12, abs=1e-12)
    spread = max(np.ptp(x), np.ptp(y), 1e-300)
    moved = dv.kl_knn(x + shift * spread, y + shift * spread)
    assert moved == pytest.approx(base, rel=1e-6, abs=1e-6)


def test_one_dimensional_input_is_a_column():
    rng = np.random.default_rng(60)
    x, y = rng.normal(size=200), rng.normal(1, 1, 300)
    assert dv.kl_knn(x, y, k=2) == dv.kl_knn(x[:, None], y[:, None], k=2)


def test_kl_knn_approaches_the_gaussian_closed_forms():
    rng = np.random.default_rng(61)
    one_d = [dv.kl_knn(rng.normal(0, 1, 5000), rng.normal(0.5, 1.2, 5000), k=4) for _ in range(20)]
    truth = float(dv.reference.kl_normal(0, 1, 0.5, 1.2))
    se = np.std(one_d, ddof=1) / math.sqrt(20)
    # asymptotically unbiased: the mean within Z standard errors plus a bias allowance, twice
    # the finite-sample bias measured over 40 seeds (|bias| < 0.002 nats at n = 1e4, k = 4)
    assert abs(np.mean(one_d) - truth) <= 4.42 * se + 0.005
    cov = np.array([[1.0, 0.6, 0.0], [0.6, 1.0, 0.3], [0.0, 0.3, 1.0]])
    three_d = [
        dv.kl_knn(rng.multivariate_normal(np.zeros(3), cov, 4000), rng.normal(size=(4000, 3)), k=4)
        for _ in range(10)
    ]
    truth3 = dv.reference.kl_multivariate_normal(np.zeros(3), cov, np.zeros(3), np.eye(3))
    se3 = np.std(three_d, ddof=1) / math.sqrt(10)
    # in 3-D the bias is larger: -0.010 nats measured over 60 seeds; allowance twice that
    assert abs(np.mean(three_d) - truth3) <= 4.42 * se3 + 0.02


def test_kl_knn_of_equal_laws_is_clipped_at_0_and_keeps_the_realisation():
    rng = np.random.default_rng(62)
    estimates = [dv.kl_knn(rng.normal(size=300), rng.normal(size=300)) for _ in range(20)]
    raw = [e.unclipped for e in estimates]
    # the estimator goes negative by sampling error; the value never does
    assert min(raw) < 0.0 < max(raw)
    assert [float(e) for e in estimates] == [max(r, 0.0) for r in raw]


def test_an_interval_is_formed_around_the_realisation_and_clipped_to_the_range():
    rng = np.random.default_rng(64)
    for seed in range(20):
        est = dv.kl_knn(rng.normal(size=300), rng.normal(size=300), ci=0.9, seed=seed)
        half = 1.6448536269514722 * est.standard_error
        assert est.interval == pytest.approx(
            (max(est.unclipped - half, 0.0), max(est.unclipped + half, 0.0)), rel=1e-12, abs=0
        )
        if est.unclipped < 0.0:
            break
    else:
        pytest.fail("no negative realisation in 20 draws: the clipped case went untested")


def test_base_divides_by_log_base():
    rng = np.random.default_rng(63)
    x, y = rng.normal(size=100), rng.normal(1, 1, 100)
    assert dv.kl_knn(x, y, base=2) == pytest.approx(dv.kl_knn(x, y) / math.log(2), rel=1e-15)


def test_ties_are_an_error_and_a_larger_k_passes_them():
    x = np.array([0.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    y = np.array([0.5, 1.5, 2.5, 3.5])
    with pytest.raises(
        ValueError,
        match=(
            r"k=1: 2 of the 6 points of x have their k-th nearest other x at distance 0 "
            r"\(repeated values\)\. The kNN estimator assumes continuous distributions, where ties "
            r"have probability 0, and log\(0\) has no finite value to return\. If the data are "
            r"rounded, add uniform jitter of the rounding width; if a value repeats m times, k > m "
            r"avoids the zero distances \(at the cost of more bias\); if the data are "
            r"discrete, use kl_from_samples \(histograms handle atoms\)\."
        ),
    ):
        dv.kl_knn(x, y, ties="raise")
    assert math.isfinite(dv.kl_knn(x, y, k=2, ties="raise"))
    with pytest.raises(
        ValueError, match=r"k=1: 1 points of x have their k-th nearest y at distance 0"
    ):
        dv.kl_knn([0.0, 1.0, 2.0], [1.0, 5.0], ties="raise")


def test_ties_off_a_grid_are_an_error_that_says_why_they_were_not_dequantized():
    # a repeated value among continuous ones: no common grid of equal steps
    x = np.array([0.0, 0.0, 0.31, 1.7, 2.9, 4.2])
    y = np.array([0.5, 1.4, 2.6, 3.5])
    with pytest.raises(ValueError, match=r"^k=1: ") as info:
        dv.kl_knn(x, y)
    assert type(info.value) is ValueError  # not a private subclass in the user's traceback
    assert str(info.value).startswith(
        "k=1: 2 of the 6 points of x have their k-th nearest other x at distance 0 (repeated "
        "values)."
    )
    assert str(info.value).endswith(
        "(ties='dequantize' adds noise of one grid step only to values on a common grid of "
        "equal steps in every coordinate, as rounded or integer data are; these are not.)"
    )


def test_ties_on_a_grid_are_dequantized_reproducibly_and_say_so():
    # x and y on the grid of step 0.5 (0, 0.5, 1, ...): each value spread over its cell
    x = np.array([0.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    y = np.array([0.5, 1.5, 2.5, 3.5])
    first = dv.kl_knn(x, y, seed=4)
    assert first.dequantized == (0.5,)
    assert math.isfinite(first)
    assert float(dv.kl_knn(x, y, seed=4)) == float(first)
    # without a seed, the entropy drawn is reported and reproduces the value
    fresh = dv.kl_knn(x, y)
    assert float(dv.kl_knn(x, y, seed=fresh.seed)) == float(fresh)
    assert "k=1, dequantized (grid steps 0.5), n_x=6" in repr(first)
    # continuous data (no ties) are used as they are
    rng = np.random.default_rng(5)
    assert dv.kl_knn(rng.normal(size=50), rng.normal(size=50)).dequantized is None


def test_ties_must_be_dequantize_or_raise():
    with pytest.raises(
        ValueError,
        match=(
            r"ties must be 'dequantize' \(values on a grid of equal steps, such as rounded or "
            r"integer data, get uniform noise of one step in each coordinate when they tie\) or "
            r"'raise' \(ties are an error\); got 'jitter'\."
        ),
    ):
        dv.kl_knn([0.0, 1.0, 2.0], [0.5, 1.5], ties="jitter")


def _discrete_truths(p, q):
    m = (p + q) / 2
    kl = float(np.sum(p * np.log(p / q)))
    js = float(0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m)))
    return kl, js


def test_dequantized_integer_data_estimate_the_divergences_of_their_laws():
    # uniform noise over the grid's cells keeps the ratio of the two laws on each cell, so KL
    # and JSD of the dequantized laws are those of the discrete laws: computed here from the
    # probability mass functions (scipy), an independent route
    from scipy import stats

    support = np.arange(80)
    truths_1d = _discrete_truths(stats.poisson(3).pmf(support), stats.poisson(4).pmf(support))
    cells = np.arange(11)
    p2, q2 = stats.binom(10, 0.3).pmf(cells), stats.binom(10, 0.45).pmf(cells)
    truths_2d = _discrete_truths(np.outer(p2, p2).ravel(), np.outer(q2, q2).ravel())

    # bias allowances: twice the largest |bias| measured over 20 seeds at n = 20,000, in two
    # measurements (1-D: +0.0008 and +0.0001 KL, +0.0004 and -0.0000 JSD; 2-D: -0.015 and
    # -0.016 KL, the KL one from the cells' edges, +0.0006 and +0.0004 JSD)
    def spawned(seed):  # numpy's recommended independent streams, from the same seed
        gx, gy = np.random.default_rng(seed).spawn(2)
        return gx.binomial(10, 0.3, (20_000, 2)), gy.binomial(10, 0.45, (20_000, 2))

    cases = [
        (
            lambda seed: (lambda r: (r.poisson(3, 20_000), r.poisson(4, 20_000)))(
                np.random.default_rng(seed)
            ),
            truths_1d,
            (0.0017, 0.0008),
        ),
        (spawned, truths_2d, (0.032, 0.0012)),
    ]
    # each sample is drawn from default_rng(seed), or from its spawned children, and estimated
    # with seed=seed, as a user would: the noise must come from none of those streams (noise
    # made of the uniforms that drew the values gave 7.2 nats for 0.94, and 2.5 for 0.82)
    for draw, (kl_truth, js_truth), (kl_allow, js_allow) in cases:
        kls, jss = [], []
        for seed in range(6):
            x, y = draw(seed)
            kl, js = dv.kl_knn(x, y, k=4, seed=seed), dv.js_knn(x, y, seed=seed)
            assert kl.dequantized == js.dequantized == (1.0,) * x.reshape(len(x), -1).shape[1]
            kls.append(kl.unclipped)
            jss.append(js.unclipped)
        for values, truth, allow in ((kls, kl_truth, kl_allow), (jss, js_truth, js_allow)):
            se = np.std(values, ddof=1) / math.sqrt(len(values))
            assert abs(np.mean(values) - truth) <= 4.42 * se + allow


@pytest.mark.parametrize(
    ("x", "y", "k", "error", "message"),
    [
        (
            [0.0, 1.0],
            [0.5],
            2,
            ValueError,
            (
                r"k=2 needs at least k \+ 1 points in x and k in y \(x has 2, y has 1\); use a "
                r"smaller k or more data"
            ),
        ),
        (
            [0.0, 1.0, 2.0],
            [0.5],
            0,
            ValueError,
            r"k must be a positive integer \(the k-th nearest neighbour\); got 0",
        ),
        (
            [0.0, 1.0, 2.0],
            [0.5],
            1.0,
            TypeError,
            r"k must be a positive integer; got 1\.0 of type float",
        ),
        (
            [[0.0, 1.0], [1.0, 2.0]],
            [0.5, 0.7],
            1,
            ValueError,
            (
                r"x has 2 dimension\(s\) \(columns\) and y has 1; both samples must be "
                r"points of the "
                r"same space"
            ),
        ),
        (
            [0.0, np.nan, 2.0],
            [0.5],
            1,
            ValueError,
            (
                r"x contains 1 NaN entry; the kNN estimator needs finite points\. Remove "
                r"those rows "
                r"first"
            ),
        ),
        (
            [0.0, 1.0, 2.0],
            [0.5, np.inf],
            1,
            ValueError,
            r"y contains 1 infinite entry; the kNN estimator needs finite points",
        ),
        (
            [],
            [0.5],
            1,
            ValueError,
            r"x has shape \(0, 1\); the kNN estimator needs points with at least one coordinate",
        ),
        (
            np.zeros((2, 2, 2)),
            [0.5],
            1,
            ValueError,
            (
                r"x must be a sample of shape \(n,\) or \(n, d\), one point per row; got 3 "
                r"dimension\(s\) with shape \(2, 2, 2\)"
            ),
        ),
    ],
)
def test_invalid_input_message(x, y, k, error, message):
    with pytest.raises(error, match=message):
        dv.kl_knn(x, y, k=k)


@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1e150, 1e300])
def test_kl_knn_is_scale_invariant_to_the_ends_of_the_float_range(scale):
    # squared distances overflowed (NaN) near 1e300 and underflowed (false ties) near 1e-300;
    # scaling by a power of two is exact, so the estimate must equal the unscaled one
    rng = np.random.default_rng(61)
    x, y = rng.normal(0, 1, (300, 2)), rng.normal(0.4, 1.2, (400, 2))
    reference = dv.kl_knn(x, y, k=3)
    power = 2.0 ** round(np.log2(scale))
    assert dv.kl_knn(x * power, y * power, k=3) == pytest.approx(reference, rel=1e-12)
    assert np.isfinite(dv.kl_knn(x * scale, y * scale, k=3))


def test_dequantization_sees_grids_of_float32_far_offsets_and_constant_coordinates():
    rng = np.random.default_rng(31)
    # values rounded to 0.1 and stored as float32: a grid up to float32 rounding
    x = np.round(rng.normal(10, 1, 2000), 1).astype(np.float32)
    y = np.round(rng.normal(10.5, 1, 2000), 1).astype(np.float32)
    (step,) = dv.kl_knn(x, y, seed=1).dequantized
    assert step == pytest.approx(0.1, rel=1e-5)
    # counts far from 0: the noise is added after the origin is taken out, so it does not
    # round away at 1e14, and the estimate is that of the counts themselves, bit for bit
    a, b = rng.poisson(3, 2000), rng.poisson(4, 2000)
    a[0] = b[0] = 0  # the same origin, 0, with and without the offset
    far = dv.kl_knn(1e14 + a, 1e14 + b, seed=2)
    assert far.dequantized == (1.0,)
    assert float(far) == float(dv.kl_knn(a, b, seed=2))
    assert float(dv.js_knn(1e14 + a, 1e14 + b, seed=2)) == float(dv.js_knn(a, b, seed=2))
    # a coordinate constant in both samples lies on every grid
    two = dv.kl_knn(np.c_[a, np.zeros(2000)], np.c_[b, np.zeros(2000)], seed=3)
    assert two.dequantized == (1.0, 1.0)
    # discrete data are dequantized even where k exceeds every multiplicity (no zero distance)
    assert dv.kl_knn(a, b, k=600, seed=4).dequantized == (1.0,)
    # a Generator whose seed sequence cannot spawn children is fine
    legacy = np.random.Generator(np.random.RandomState(0)._bit_generator)
    assert math.isfinite(dv.kl_knn(a, b, seed=legacy))


def test_samples_on_two_grids_offset_by_a_sliver_are_refused():
    rng = np.random.default_rng(32)
    x, y = rng.poisson(3, 500).astype(float), rng.poisson(3, 500) + 1e-9
    with pytest.raises(
        ValueError,
        match=(
            r"^x and y lie on grids of step 1 offset from each other by 1e-09 in coordinate 0 "
            r"\(their common grid would be 1e\+09 times finer\): their discrete laws would share "
            r"no value\. If the offset is rounding, round both samples to one grid; if the values "
            r"are continuous, ties='raise' uses them as they are\.$"
        ),
    ):
        dv.kl_knn(x, y)
    # integers against half-integers are one grid of step 1/2: laws with no common value
    half = dv.js_knn(x, rng.poisson(3, 500) + 0.5, seed=1)
    assert half.dequantized == (0.5,)


def test_grids_beyond_the_float_range_are_not_grids():
    # a subnormal step against gaps of 1 (found by the adversarial suite: the multiples
    # overflowed), and values whose span holds more than 2^52 steps (every float there is a
    # multiple of 1; the shift to the origin overflowed): both are ties off any grid
    subnormal = (np.array([0.0, 0.0, 0.0, 5e-324]), np.array([1.0, 0.0, 0.0, 0.0]))
    huge = (np.array([-1.7e308, 1.7e308, 0.0, 0.0]), np.array([1.0, 1.0, 2.0, 3.0]))
    for x, y in (subnormal, huge):
        with pytest.raises(ValueError, match=r"these are not\.\)$"):
            dv.kl_knn(x, y)


# --- bias_correction="ensemble": js_knn's ensemble of orders k, 2k, 4k, 8k, on kl_knn


def test_kl_knn_ensemble_errors():
    rng = np.random.default_rng(90)
    x, y = rng.normal(size=(50, 2)), rng.normal(size=(50, 2))
    with pytest.raises(
        ValueError,
        match=(
            r"bias_correction must be None or False \(none\) or 'ensemble' \(a weighted "
            r"ensemble over neighbour orders k, 2k, 4k, 8k\); got 'miller-madow'\."
        ),
    ):
        dv.kl_knn(x, y, bias_correction="miller-madow")
    for value in (True, "Ensemble", np.array(["ensemble"])):
        with pytest.raises(
            ValueError, match=r"^bias_correction must be None or False \(none\) or 'ensemble'"
        ):
            dv.kl_knn(x, y, bias_correction=value)
    with pytest.raises(
        ValueError,
        match=(
            r"bias_correction='ensemble' is for points of at most 16 coordinates \(these have "
            r"17\): its weights grow with d, and beyond that their variance swamped the estimate "
            r"where it was measured \(0\.3-1\.2 nats for two equal laws in 32-D and 50-D\)\. "
            r"Use bias_correction=None\."
        ),
    ):
        dv.kl_knn(rng.normal(size=(50, 17)), rng.normal(size=(50, 17)), bias_correction="ensemble")
    # orders k and 2k at least: 2k = 10 must be a neighbour among the other 9 points of x
    with pytest.raises(
        ValueError,
        match=(
            r"bias_correction='ensemble' combines neighbour orders k, 2k, 4k and 8k, at least "
            r"the first two: k=5 needs more than 10 points in x and at least 10 in y \(they "
            r"have 10 and 20\); use a smaller k or more data\."
        ),
    ):
        dv.kl_knn(x[:10], y[:20], k=5, bias_correction="ensemble")
    # ... and 2k = 10 must be a neighbour among the points of y
    with pytest.raises(
        ValueError,
        match=r"k=5 needs more than 10 points in x and at least 10 in y \(they have 30 and 9\)",
    ):
        dv.kl_knn(x[:30], y[:9], k=5, bias_correction="ensemble")
    # the default k leaves room for k and 2k: 4 and 8 in 10 points, 1 and 2 in 3
    assert dv.kl_knn(x[:10], y[:20], bias_correction="ensemble").orders == (4, 8)
    assert dv.kl_knn(x[:30], y[:9], bias_correction="ensemble").orders == (4, 8)
    assert dv.kl_knn(x[:3], y[:3], bias_correction="ensemble").orders == (1, 2)
    # with ci the orders are those every jackknife replicate holds (k' < what it keeps of x,
    # k' <= what it keeps of y): 46 points keep 41, so 5, 10, 20 and 40 all fit
    x46, y46 = rng.normal(size=(46, 4)), rng.normal(size=(46, 4))
    est = dv.kl_knn(x46, y46, bias_correction="ensemble", ci=0.95, seed=0)
    assert est.orders == (5, 10, 20, 40)
    assert est.interval is not None
    # ... and of 42 against 60 (keeping 37 and 54): 40 does not, the default takes 5, 10, 20
    assert dv.kl_knn(
        rng.normal(size=42), rng.normal(size=60), bias_correction="ensemble", ci=0.9, seed=1
    ).orders == (5, 10, 20)
    # a k given whose 2k the replicates cannot hold is refused, with what they keep
    with pytest.raises(
        ValueError,
        match=(
            r"k=20 needs more than 40 points in x and at least 40 in y \(every jackknife "
            r"replicate keeps 37 and 54\); use a smaller k or more data\.$"
        ),
    ):
        dv.kl_knn(
            rng.normal(size=42), rng.normal(size=60), k=20, bias_correction="ensemble", ci=0.9
        )
    # plain kl_knn: the same exact rule (k = 40 of 46 points fits, 42 does not)
    assert dv.kl_knn(x46, y46, k=40, ci=0.95, seed=0).interval is not None
    with pytest.raises(ValueError, match=r"they keep 41 and 41\. Use a smaller k, more data"):
        dv.kl_knn(x46, y46, k=42, ci=0.95, seed=0)
    # with ci and the default k, only more data or no interval help: 3 points keep 2
    with pytest.raises(
        ValueError,
        match=r"k=1 needs more than 2 points in x and at least 2 in y \(every jackknife "
        r"replicate keeps 2 and 2\)",
    ):
        dv.kl_knn(x[:3], y[:3], bias_correction="ensemble", ci=0.9, seed=0)
    with pytest.raises(ValueError, match=r"they keep 1 and 1\. Use more data, or ci=None\.$"):
        dv.kl_knn(x[:2], y[:2], ci=0.9, seed=0)
    # as js_knn's: the orders are those of the whole samples, and the jackknife must hold them
    assert dv.kl_knn(
        rng.normal(size=42), rng.normal(size=60), k=4, bias_correction="ensemble", ci=0.9, seed=1
    ).orders == (4, 8, 16, 32)


@pytest.mark.parametrize("d", [1, 2, 4, 8, 16])
@pytest.mark.parametrize("orders", [(5, 10, 20, 40), (5, 10, 20), (1, 2)])
def test_ensemble_weights_sum_to_1_and_cancel_the_k_power_term(d, orders):
    w = np.array(knn._ensemble_weights(orders, d))
    assert w.sum() == pytest.approx(1.0, rel=1e-12)
    # a bias c k^(2/d) of any constant c cancels: the weights are orthogonal to k^(2/d)
    u = np.array(orders, dtype=float) ** (2 / d)
    assert w @ u == pytest.approx(0.0, abs=1e-12 * float(np.abs(w) @ u))
    assert knn._ensemble_weights(orders[:1], d) == (1.0,)


def test_a_one_order_ensemble_is_the_plain_estimate():
    rng = np.random.default_rng(91)
    x, y = rng.normal(size=(300, 3)), rng.normal(0.3, 1.2, (400, 3))
    xs, ys = knn.scaled_by_power_of_two(x, y)
    for k in (1, 4):
        weights = knn._ensemble_weights((k,), 3)
        assert knn._kl_value(xs, ys, (k,), weights) == dv.kl_knn(x, y, k=k).unclipped


@given(points=distinct_points(max_d=4), k=st.integers(1, 3))
def test_kl_knn_ensemble_is_the_weighted_sum_of_its_orders(points, k):
    x, y = points
    n, d = x.shape
    m = y.shape[0]
    if 2 * k > min(n - 1, m):
        with pytest.raises(
            ValueError, match=r"at least the first two: k=\d+ needs more than \d+ points in x"
        ):
            dv.kl_knn(x, y, k=k, bias_correction="ensemble")
        return
    est = dv.kl_knn(x, y, k=k, bias_correction="ensemble")
    # the orders that fit both samples (k' <= n - 1, k' <= m), the weights js_knn uses
    assert est.orders == tuple(k * 2**i for i in range(4) if k * 2**i <= min(n - 1, m))
    assert est.weights == knn._ensemble_weights(est.orders, d)
    assert est.bias_correction == "ensemble"
    assert est.k == k
    # each order's plain estimate carries its own log(m / (n - 1)), and the weights sum to 1
    parts = [dv.kl_knn(x, y, k=order).unclipped for order in est.orders]
    assert est.unclipped == pytest.approx(float(np.dot(est.weights, parts)), rel=1e-10, abs=1e-12)
    assert float(est) == max(est.unclipped, 0.0)


def test_kl_knn_ensemble_reports_like_js_knn_and_its_interval_is_the_jackknife_of_the_ensemble():
    rng = np.random.default_rng(92)
    x, y = rng.normal(size=(300, 4)), rng.normal(0.3, 1.0, (400, 4))
    est = dv.kl_knn(x, y, bias_correction="ensemble", ci=0.9, seed=5)
    js = dv.js_knn(x, y, bias_correction="ensemble", seed=5)
    assert (
        (est.k, est.orders, est.weights)
        == (5, js.orders, js.weights)
        == (
            5,
            (5, 10, 20, 40),
            js.weights,
        )
    )
    assert "ensemble of k=5/10/20/40" in repr(est)
    # the interval: delete-a-group jackknife of the weighted estimate, from the same groups
    xs, ys = knn.scaled_by_power_of_two(x, y)
    se = knn._jackknife_se(
        lambda a, b: knn._kl_value(a, b, est.orders, est.weights),
        xs,
        ys,
        np.random.default_rng(5),
    )
    assert est.standard_error == pytest.approx(se, rel=1e-12)
    half = 1.6448536269514722 * est.standard_error
    assert est.interval == pytest.approx(
        (max(est.unclipped - half, 0.0), est.unclipped + half), rel=1e-12
    )
    # without the option nothing changes: k = 1, one order of weight 1
    plain = dv.kl_knn(x, y)
    assert (plain.k, plain.orders, plain.weights, plain.bias_correction) == (1, (1,), (1.0,), None)


def test_kl_knn_ensemble_removes_the_8d_bias_against_the_closed_form():
    # the knn-coverage pair: P = N(0, I_8), Q = N(mu, Sigma), mu = 0.5/sqrt(8), Sigma_ij =
    # 1.44 * 0.3^|i - j|; n = m = 1000. Over its 200 replicates (benches/knn_coverage.py,
    # docs/accuracy-nd.md) kl_knn at k = 4 was +0.095 nats off the truth (0.4388), the ensemble
    # +0.0049 with a standard deviation of 0.067 over seeds: +0.0049 +- 0.0047 standard error.
    # Here 20 seeds of their own (about 1 s); the tolerances follow.
    d, n, seeds = 8, 1000, 20
    mean = np.full(d, 0.5 / math.sqrt(d))
    cov = 1.44 * 0.3 ** np.abs(np.subtract.outer(np.arange(d), np.arange(d)))
    chol = np.linalg.cholesky(cov)
    truth = dv.reference.kl_multivariate_normal(np.zeros(d), np.eye(d), mean, cov)
    plain, ensemble = [], []
    for s in range(seeds):
        rng = np.random.default_rng([93, s])
        x, y = rng.standard_normal((n, d)), rng.standard_normal((n, d)) @ chol.T + mean
        plain.append(dv.kl_knn(x, y, k=4).unclipped)
        ensemble.append(dv.kl_knn(x, y, bias_correction="ensemble").unclipped)
    plain, ensemble = np.array(plain), np.array(ensemble)
    se_plain = np.std(plain, ddof=1) / math.sqrt(seeds)
    se_ensemble = np.std(ensemble, ddof=1) / math.sqrt(seeds)
    gap = plain - ensemble
    se_gap = np.std(gap, ddof=1) / math.sqrt(seeds)
    # the plain estimate's bias is there to remove, at 4.42 standard errors (as above)
    assert np.mean(plain) - truth >= 4.42 * se_plain
    # the ensemble removes it: paired, the two differ by more than 4.42 standard errors ...
    assert np.mean(gap) >= 4.42 * se_gap
    # ... and the ensemble is centred on the truth within 4.42 standard errors plus twice the
    # residual bias it may have (at most +0.0049 + 1.96 x 0.0047 = 0.014 as measured: allowance
    # 0.028). The plain estimate fails this (0.086 off here, against 0.039 + 0.028)
    assert abs(np.mean(ensemble) - truth) <= 4.42 * se_ensemble + 0.028


def test_kl_knn_ensemble_treats_ties_as_the_plain_estimate_does():
    rng = np.random.default_rng(94)
    x, y = rng.poisson(3, (400, 2)), rng.poisson(4, (500, 2))
    # on a grid: the same dequantization (same seed, same noise) before every order
    est = dv.kl_knn(x, y, bias_correction="ensemble", seed=7)
    assert est.dequantized == (1.0, 1.0)
    parts = [dv.kl_knn(x, y, k=order, seed=7).unclipped for order in est.orders]
    assert est.unclipped == pytest.approx(float(np.dot(est.weights, parts)), rel=1e-10)
    # off a grid, ties raise at the smallest order with the message of that k alone
    tied, other = np.r_[np.zeros(6), rng.normal(size=24)], rng.normal(size=40)
    with pytest.raises(ValueError, match=r"^k=5: 6 of the 30 points of x have their k-th") as plain:
        dv.kl_knn(tied, other, k=5)
    with pytest.raises(ValueError, match=r"^k=5: 6 of the 30 points") as ensemble:
        dv.kl_knn(tied, other, bias_correction="ensemble")
    assert str(ensemble.value) == str(plain.value)


@pytest.mark.parametrize("d", [1, 2, 4, 8, 16])
def test_the_tree_s_leaf_size_and_threads_change_no_distance(d, monkeypatch):
    """The tuned tree (leaves of 8 d points, queries on two threads) gives scipy's distances."""
    from scipy.spatial import cKDTree

    monkeypatch.setattr(knn._compiled, "thread_count", lambda: 2)
    rng = np.random.default_rng(d)
    points = rng.standard_normal((knn.PARALLEL_MIN_QUERY_WORK // d + 100, d))
    ks = [2, 5, 21]
    expected = cKDTree(points).query(points, k=ks)[0]
    assert knn.leaf_size(d) != 16 or d <= 2
    np.testing.assert_array_equal(knn._kth_distances(points, ks, points), expected)
    np.testing.assert_array_equal(knn._kth_distance(points, 5, points), expected[:, 1])


def test_bias_correction_false_is_none_as_for_the_histogram_estimators():
    rng = np.random.default_rng(91)
    x, y = rng.normal(size=(80, 2)), rng.normal(2.0, 1.0, size=(80, 2))
    for estimator in (dv.kl_knn, dv.js_knn):
        plain = estimator(x, y, bias_correction=None)
        assert repr(estimator(x, y, bias_correction=False)) == repr(plain)
        assert repr(estimator(x, y, bias_correction="ensemble")) != repr(plain)


def test_a_small_knn_query_does_not_import_numba_unless_sizes_are_equal():
    """Below PARALLEL_MIN_QUERY_WORK the tree runs on one thread without asking numba's policy;
    js_knn of equal sizes takes the compiled one-pass kernel (its Notes: *Speed*)."""
    code = (
        "import sys, numpy as np, divergences as dv; "
        "x = np.random.default_rng(0).normal(size=(3000, 2)); "
        "dv.kl_knn(x, x + 1); dv.js_knn(x, x[:2999] + 1); print('numba' in sys.modules); "
        "dv.js_knn(x, x + 1); print('numba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]

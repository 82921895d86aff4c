"""Bootstrap intervals of js_from_samples / kl_from_samples: resampling counts, BCa, coverage."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import divergences as dv
from divergences import _kernels, bootstrap
from divergences import strategies as dst

from . import naive

LOG2 = math.log(2.0)
MM = "miller-madow"
#: The suite's significance for seeded distributional checks and the matching normal quantile.
SIGNIFICANCE = 1e-4
Z = 4.42


def corrected(counts_x, counts_y, divergence="js"):
    if divergence == "js":
        return naive.js(counts_x, counts_y) - naive.js_bias(counts_x, counts_y)
    return naive.kl(counts_x, counts_y) - naive.kl_bias(counts_x, counts_y)


def test_resampling_counts_is_resampling_the_samples():
    # the same bootstrap distribution by two routes: multinomial counts, and with-replacement
    # resamples of the raw values binned on the same edges
    rng = np.random.default_rng(40)
    x, y = rng.normal(0, 1, 300), rng.normal(0.3, 1.2, 200)
    edges = np.linspace(-5, 5, 11)
    h = dv.histogram_pair(x, y, bins=edges)
    by_counts = bootstrap.bootstrap_replicates(
        h.counts_x, h.counts_y, divergence="js", n_boot=2000, rng=np.random.default_rng(41)
    )
    by_samples = []
    for _ in range(2000):
        est = dv.js_from_samples(
            rng.choice(x, x.size), rng.choice(y, y.size), bins=edges, bias_correction=MM
        )
        by_samples.append(est.plugin - est.bias)
    assert stats.ks_2samp(by_counts, by_samples).pvalue > SIGNIFICANCE


@st.composite
def small_counts(draw, min_bins=2, max_bins=6, max_count=8):
    k = draw(st.integers(min_bins, max_bins), label="bins")
    cx = np.array(draw(st.lists(st.integers(0, max_count), min_size=k, max_size=k), label="x"))
    cy = np.array(draw(st.lists(st.integers(0, max_count), min_size=k, max_size=k), label="y"))
    # at least two values on each side, so that both samples have a jackknife
    cx[0] += 2
    cy[-1] += 2
    return cx, cy


@given(counts=small_counts())
def test_js_acceleration_matches_leave_one_out_oracle(counts):
    cx, cy = counts
    expected = naive.jackknife_acceleration(cx, cy, corrected)
    got = _kernels.bootstrap_acceleration(cx, cy, 0)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, rel=1e-7, abs=1e-12)


@given(counts=small_counts())
def test_kl_acceleration_matches_leave_one_out_oracle(counts):
    cx, cy = counts
    cy = cy + 2  # every bin of y holds two values, so that no leave-one-out KL is infinite
    expected = naive.jackknife_acceleration(cx, cy, lambda a, b: corrected(a, b, "kl"))
    got = _kernels.bootstrap_acceleration(cx, cy, 1)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, rel=1e-7, abs=1e-12)


def test_infinite_leave_one_out_kl_has_no_acceleration():
    # removing y's single value of bin 0, where x has values, makes the KL infinite
    assert math.isnan(_kernels.bootstrap_acceleration(np.array([3, 3]), np.array([1, 5]), 1))


def bin_masses(dist, edges):
    return np.diff(dist.cdf(edges)) / (dist.cdf(edges[-1]) - dist.cdf(edges[0]))


@pytest.mark.parametrize("method", ["bca", "percentile"])
@pytest.mark.parametrize("shift", [0.5, 0.0])
def test_interval_covers_the_binned_divergence(method, shift):
    # 200 seeded replicates of n = 1000 per sample, 20 bins: coverage of the binned truth at
    # least 95% minus Z binomial standard errors (at P = Q the interval is conservative)
    rng = np.random.default_rng(42)
    p, q = stats.norm(0, 1), stats.norm(shift, 1.2 if shift else 1.0)
    edges = np.linspace(-6, 7, 21)
    truth = float(dv.js_divergence(bin_masses(p, edges), bin_masses(q, edges)))
    replicates, hits = 200, 0
    for _ in range(replicates):
        x, y = p.rvs(1000, random_state=rng), q.rvs(1000, random_state=rng)
        est = dv.js_from_samples(x, y, bins=edges, ci=0.95, ci_method=method, n_boot=400, seed=rng)
        lo, hi = est.interval
        assert 0.0 <= lo <= hi <= LOG2
        hits += lo <= truth <= hi
    assert hits / replicates >= 0.95 - Z * math.sqrt(0.95 * 0.05 / replicates)


def test_same_seed_same_interval_and_none_reports_its_seed():
    rng = np.random.default_rng(43)
    x, y = rng.normal(0, 1, 800), rng.normal(0.4, 1, 600)
    first = dv.js_from_samples(x, y, bins=15, ci=0.9, seed=7)
    assert first.seed == 7
    assert dv.js_from_samples(x, y, bins=15, ci=0.9, seed=7).interval == first.interval
    fresh = dv.js_from_samples(x, y, bins=15, ci=0.9)
    assert isinstance(fresh.seed, int)
    assert dv.js_from_samples(x, y, bins=15, ci=0.9, seed=fresh.seed).interval == fresh.interval
    generator = dv.js_from_samples(x, y, bins=15, ci=0.9, seed=np.random.default_rng(7))
    assert generator.seed is None
    assert generator.interval == first.interval  # a Generator seeded 7 is the same stream
    assert dv.js_from_samples(x, y, bins=15, seed=7).seed is None  # no interval, no randomness


def test_interval_does_not_depend_on_the_bias_correction_option():
    rng = np.random.default_rng(44)
    x, y = rng.normal(0, 1, 500), rng.normal(0.3, 1, 500)
    plain = dv.kl_from_samples(x, y, bins=8, range=(-4, 4), ci=0.95, seed=1)
    corrected_ = dv.kl_from_samples(
        x, y, bins=8, range=(-4, 4), ci=0.95, seed=1, bias_correction=MM
    )
    assert plain.interval == corrected_.interval
    assert corrected_.value < plain.value


def test_percentile_interval_is_the_shifted_replicate_quantiles():
    rng = np.random.default_rng(45)
    x, y = rng.normal(0, 1, 700), rng.normal(0.5, 1, 900)
    h = dv.histogram_pair(x, y, bins=12)
    est = dv.js_from_histogram(h, ci=0.9, ci_method="percentile", n_boot=999, seed=3)
    replicates = bootstrap.bootstrap_replicates(
        h.counts_x, h.counts_y, divergence="js", n_boot=999, rng=np.random.default_rng(3)
    )
    shifted = np.sort(replicates - naive.js_bias(h.counts_x, h.counts_y))
    # levels 0.05 and 0.95 of 999 replicates fall on order statistics 49 and 949 exactly
    assert est.interval[0] == pytest.approx(max(shifted[49], 0.0), rel=1e-12)
    assert est.interval[1] == pytest.approx(shifted[949], rel=1e-12)


@given(pair=dst.sample_pairs(min_size=1, max_size=60), bins=st.integers(1, 12))
def test_interval_is_in_range_and_never_nan(pair, bins):
    x, y = pair
    for estimator in (dv.js_from_samples, dv.kl_from_samples):
        est = estimator(x, y, bins=bins, ci=0.95, n_boot=100, seed=0)
        lo, hi = est.interval
        assert 0.0 <= lo <= hi
        assert hi <= (LOG2 if estimator is dv.js_from_samples else math.inf)


def test_one_occupied_bin_gives_a_zero_width_interval():
    est = dv.js_from_samples([1.0, 1.0, 1.0], [1.0, 1.0], bins=3, ci=0.95, seed=0)
    assert est.interval == (0.0, 0.0)


def test_infinite_kl_gives_the_vacuous_interval():
    est = dv.kl_from_samples([0.0, 1.0, 2.0, 3.0], [0.0, 1.0], bins=2, ci=0.95, seed=0)
    assert est.interval == (0.0, math.inf)


def test_batch_intervals_equal_rows_from_one_generator():
    rng = np.random.default_rng(46)
    x, y = rng.normal(0, 1, (5, 300)), rng.normal(0.4, 1, (5, 200))
    batch = dv.js_from_samples(x, y, bins=10, range=(-5, 5), ci=0.95, n_boot=200, seed=9, axis=1)
    assert batch.interval.shape == (5, 2)
    shared = np.random.default_rng(9)
    for i in range(5):
        single = dv.js_from_samples(
            x[i], y[i], bins=10, range=(-5, 5), ci=0.95, n_boot=200, seed=shared
        )
        assert tuple(batch.interval[i]) == single.interval
    assert "interval array" in repr(batch)


@pytest.mark.parametrize("base", [2, 0.5])
def test_base_scales_the_interval_and_keeps_it_ordered(base):
    rng = np.random.default_rng(47)
    x, y = rng.normal(0, 1, 400), rng.normal(0.5, 1, 400)
    nats = dv.js_from_samples(x, y, bins=10, ci=0.95, seed=2)
    other = dv.js_from_samples(x, y, bins=10, ci=0.95, seed=2, base=base)
    expected = sorted(end / math.log(base) for end in nats.interval)
    assert other.interval == pytest.approx(tuple(expected), rel=1e-15)
    assert other.interval[0] <= other.interval[1]


def test_repr_shows_the_interval():
    est = dv.js_from_samples([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0], bins=4, ci=0.9, seed=0)
    assert repr(est).endswith(f"0.9 bca interval [{est.interval[0]:.6g}, {est.interval[1]:.6g}])")


def test_the_bootstrap_is_drawn_in_blocks_that_do_not_change_it(monkeypatch):
    rng = np.random.default_rng(48)
    x, y = rng.normal(0, 1, 500), rng.normal(0.2, 1, 500)
    whole = dv.js_from_samples(x, y, bins=20, ci=0.95, n_boot=300, seed=5)
    monkeypatch.setattr(bootstrap, "BLOCK_CELLS", 20 * 7)  # blocks of 7 replicates
    blocked = dv.js_from_samples(x, y, bins=20, ci=0.95, n_boot=300, seed=5)
    # numpy draws a multinomial block row by row, but x and y alternate by block: the streams
    # differ, the distribution does not
    assert blocked.interval != whole.interval
    assert abs(blocked.interval[1] - whole.interval[1]) < 0.2 * (
        whole.interval[1] - whole.interval[0]
    )


# ---------------------------------------------------------------------------------------------
# Errors: every message, asserted
# ---------------------------------------------------------------------------------------------


def test_a_bad_seed_is_an_error_even_without_an_interval():
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer"):
        dv.js_from_samples([0.0, 1.0], [1.0, 2.0], seed=1.5)
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer"):
        dv.js_test([0.0, 1.0], [1.0, 2.0], seed="7")
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer; got -1"):
        dv.kl_from_samples([0.0, 1.0], [1.0, 2.0], seed=-1)


def test_calls_that_draw_nothing_take_no_entropy_from_the_os(monkeypatch):
    # drawing fresh entropy costs ~25 us a call: only an interval or a permutation test pays it
    def no_entropy(*args, **kwargs):
        raise AssertionError("fresh entropy drawn by a call that uses no randomness")

    x, y = [0.0, 1.0, 2.0], [1.0, 2.0, 3.0]
    monkeypatch.setattr(np.random, "SeedSequence", no_entropy)
    assert dv.js_from_samples(x, y, bins=3).seed is None
    assert dv.kl_from_samples(x, y, bins=3, pseudocount=0.5).seed is None
    with pytest.warns(UserWarning, match="js_test: a bin expects fewer than 1 value"):
        assert dv.js_test(x, y, bins=3).seed is None  # (three values a side: sparse bins)
    # and the guard has teeth: an interval without a seed does draw
    with pytest.raises(AssertionError, match="fresh entropy drawn"):
        dv.js_from_samples(x, y, bins=3, ci=0.95, n_boot=100)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"ci": 95},
            ValueError,
            (
                r"ci must be a confidence level strictly between 0 and 1, e\.g\. 0\.95; "
                r"got 95 \(did "
                r"you mean 0\.95\?\)"
            ),
        ),
        ({"ci": 1.0}, ValueError, r"strictly between 0 and 1, e\.g\. 0\.95; got 1\.0\.$"),
        (
            {"ci": "0.95"},
            TypeError,
            (
                r"ci must be a confidence level such as 0\.95, or None for no interval; "
                r"got '0\.95' "
                r"of type str"
            ),
        ),
        ({"ci": True}, TypeError, r"got True of type bool"),
        (
            {"ci": 0.95, "ci_method": "bc"},
            ValueError,
            r"ci_method must be 'bca' or 'percentile'; got 'bc'",
        ),
        (
            {"ci": 0.95, "n_boot": 50},
            ValueError,
            (
                r"n_boot must be at least 100 \(fewer replicates make the interval's ends noise; "
                r"1000 or more is usual\); got 50"
            ),
        ),
        (
            {"ci": 0.95, "n_boot": 1000.0},
            TypeError,
            r"n_boot must be an integer; got 1000\.0 of type float",
        ),
        ({"ci": 0.95, "seed": -1}, ValueError, r"seed must be a non-negative integer; got -1"),
        (
            {"ci": 0.95, "seed": "a"},
            TypeError,
            (
                r"seed must be a non-negative integer, a numpy Generator, or None \(fresh entropy, "
                r"reported on the result\); got 'a' of type str"
            ),
        ),
    ],
)
def test_bad_interval_option_message(kwargs, error, message):
    with pytest.raises(error, match=message):
        dv.js_from_samples([0.0, 1.0], [1.0, 2.0], **kwargs)


@pytest.mark.parametrize(
    ("histogram", "error", "message"),
    [
        (
            [1, 2],
            TypeError,
            (
                r"histogram must be a HistogramPair \(from histogram_pair\) or a HistogramPairND "
                r"\(from histogram_pair_nd\); got list"
            ),
        ),
        (
            dv.HistogramPair(
                np.array([1.0, 2.0]), np.array([1, 2]), np.arange(3.0), 3, 3, 0, 0, "x"
            ),
            TypeError,
            r"histogram\.counts_x must hold integer counts; got dtype float64",
        ),
        (
            dv.HistogramPair(np.array([1, -2]), np.array([1, 2]), np.arange(3.0), 3, 3, 0, 0, "x"),
            ValueError,
            r"histogram\.counts_x has negative counts \(min -2\); counts must be >= 0",
        ),
        (
            dv.HistogramPair(
                np.array([1, 2]), np.array([1, 2, 0]), np.arange(3.0), 3, 3, 0, 0, "x"
            ),
            ValueError,
            (
                r"histogram\.counts_x has shape \(2,\) and counts_y \(3,\); both samples must be "
                r"counted on the same bins"
            ),
        ),
    ],
)
def test_bad_histogram_message(histogram, error, message):
    with pytest.raises(error, match=message):
        dv.js_from_histogram(histogram)

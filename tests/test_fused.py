"""The fused path of js_from_samples / kl_from_samples gives the general path's result, bit for bit.

The fused path takes the common call (two 1-D float64 samples, ``bins="auto"`` or an integer,
other options at their defaults) in one kernel call; everything else, and every input it
declines, goes through the general path. Here both paths run on the same input and every field
of the results is compared, and the edges and counts against numpy's own.
"""

from __future__ import annotations

import dataclasses
import math
import pickle
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import divergences as dv
from divergences import _bin_rules, _compiled, estimate

FUSED_LIMIT = dv.histogram.PARALLEL_MIN_SAMPLES


def _general(function, x, y, **kwargs):
    """The same call with the fused path switched off."""
    original = estimate.fused_estimate
    estimate.fused_estimate = lambda *args: None
    try:
        return function(x, y, **kwargs)
    finally:
        estimate.fused_estimate = original


def _fused(function, x, y, **kwargs):
    """The call through the fused path; fails if the fused path declined the input."""
    taken = []
    original = estimate.fused_estimate

    def spy(*args):
        result = original(*args)
        taken.append(result is not None)
        return result

    estimate.fused_estimate = spy
    try:
        result = function(x, y, **kwargs)
    finally:
        estimate.fused_estimate = original
    assert taken == [True], "the fused path declined the input"
    return result


def _same(a, b):
    """Every field of two SampleEstimates (and their histograms) identical, NaN equal to NaN."""
    assert type(a) is type(b)
    for field in dataclasses.fields(a):
        u, v = getattr(a, field.name), getattr(b, field.name)
        if field.name == "histogram":
            _same(u, v)
        elif isinstance(u, np.ndarray):
            assert u.dtype == v.dtype, field.name
            assert np.array_equal(u, v), field.name
        elif isinstance(u, float) and math.isnan(u):
            assert isinstance(v, float), field.name
            assert math.isnan(v), field.name
        else:
            assert type(u) is type(v), (field.name, u, v)
            assert u == v, (field.name, u, v)


def _samples(draw, size_max=600):
    """Two float64 samples of an awkward kind: ties, heavy tails, extreme scales, near-constant."""
    n_x = draw(st.integers(1, size_max))
    n_y = draw(st.integers(1, size_max))
    seed = draw(st.integers(0, 2**32 - 1))
    kind = draw(st.sampled_from(["normal", "cauchy", "ties", "scaled", "near-equal", "subnormal"]))
    rng = np.random.default_rng(seed)
    if kind == "normal":
        return rng.normal(size=n_x), rng.normal(0.4, 1.3, n_y)
    if kind == "cauchy":
        return rng.standard_cauchy(n_x), rng.standard_cauchy(n_y)
    if kind == "ties":
        return rng.integers(0, 4, n_x).astype(float), rng.integers(0, 6, n_y).astype(float)
    if kind == "scaled":
        scale = 10.0 ** draw(st.integers(-300, 300))
        return rng.normal(size=n_x) * scale, rng.normal(size=n_y) * scale + scale
    if kind == "near-equal":
        base = draw(st.floats(-1e6, 1e6))
        steps = rng.integers(0, 5, n_x + n_y)
        values = np.array([base] * (n_x + n_y))
        for _ in range(4):
            values = np.where(steps > 0, np.nextafter(values, np.inf), values)
            steps -= 1
        return values[:n_x], values[n_x:]
    return rng.integers(1, 50, n_x) * 5e-324, rng.integers(1, 50, n_y) * 5e-324


@st.composite
def sample_pairs(draw):
    return _samples(draw)


def _same_outcome(function, x, y, **kwargs):
    """The call and the general path give identical results, or the same error; the result."""
    try:
        general = _general(function, x, y, **kwargs)
    except ValueError as error:
        message = str(error)
    else:
        result = function(x, y, **kwargs)
        _same(result, general)
        return result
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        function(x, y, **kwargs)
    return None


@given(sample_pairs(), st.sampled_from(["auto", 1, 7, 64]))
def test_fused_js_equals_general_path_and_numpy(pair, bins):
    x, y = pair
    result = _same_outcome(dv.js_from_samples, x, y, bins=bins)
    if result is not None and result.histogram.rule in ("auto", f"bins={bins}"):
        pooled = np.concatenate((x, y))
        edges = np.histogram_bin_edges(pooled, bins)
        assert np.array_equal(result.edges, edges)
        assert np.array_equal(result.histogram.counts_x, np.histogram(x, edges)[0])
        assert np.array_equal(result.histogram.counts_y, np.histogram(y, edges)[0])


@given(sample_pairs(), st.sampled_from(["wkv", "auto", 3, 40]))
def test_fused_kl_equals_general_path(pair, bins):
    x, y = pair
    _same_outcome(dv.kl_from_samples, x, y, bins=bins)


def test_minibatch_calls_take_the_fused_path():
    rng = np.random.default_rng(3)
    for n in (64, 256, 4096, FUSED_LIMIT // 2 - 1):
        x, y = rng.normal(size=n), rng.normal(0.5, 1.0, n)
        _same(_fused(dv.js_from_samples, x, y), _general(dv.js_from_samples, x, y))
        _same(_fused(dv.kl_from_samples, x, y), _general(dv.kl_from_samples, x, y))  # "wkv"
        for function in (dv.js_from_samples, dv.kl_from_samples):
            _same(_fused(function, x, y, bins="auto"), _general(function, x, y, bins="auto"))
            _same(_fused(function, x, y, bins=32), _general(function, x, y, bins=32))


def test_unpickled_strided_and_read_only_samples_take_the_fused_path_without_a_compile():
    # an unpickled array's float64 dtype is equal to, not the same object as, np.float64's; a
    # strided view (a column of a table) or a read-only buffer would make numba compile another
    # specialisation of the kernel on first use (seconds): the fused path copies them instead
    rng = np.random.default_rng(4)
    table = rng.normal(size=(300, 3))
    x, y = table[:, 0], table[:, 1] + 0.5
    assert not x.flags.c_contiguous
    frozen = rng.normal(size=300)
    frozen.flags.writeable = False
    unpickled = pickle.loads(pickle.dumps(rng.normal(size=300)))
    assert unpickled.dtype is not np.dtype(np.float64)
    signatures = len(_compiled.estimate_pair.signatures)
    for a, b in ((x, y), (frozen, y), (unpickled, frozen), (x, unpickled)):
        for function in (dv.js_from_samples, dv.kl_from_samples):
            _same(_fused(function, a, b), _general(function, a, b))
    assert len(_compiled.estimate_pair.signatures) == signatures


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ([0.0, np.nan], [1.0, 2.0], "x contains 1 NaN"),
        ([0.0, 1.0], [np.inf, 2.0], "y contains"),
        ([], [1.0, 2.0], "x is empty"),
        ([], [], "x is empty"),
    ],
)
def test_inputs_the_fused_path_declines_still_get_the_general_errors(x, y, message):
    with pytest.raises(ValueError, match=message):
        dv.js_from_samples(np.array(x, dtype=float), np.array(y, dtype=float))


@pytest.mark.parametrize(
    ("x_shape", "y_shape", "name", "shape"),
    [
        ((2, 50), (100,), "x", r"\(2, 50\)"),
        ((50, 2), (100,), "x", r"\(50, 2\)"),
        ((100,), (100, 1, 1), "y", r"\(100, 1, 1\)"),
        ((100,), (1, 100, 1), "y", r"\(1, 100, 1\)"),
    ],
)
def test_arrays_that_are_not_one_sample_are_refused_whatever_their_size(
    x_shape, y_shape, name, shape
):
    # small enough for the fused path: it must refuse them as the general path does, never
    # read a (2, n) array or a 3-D column as one sample
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=x_shape), rng.normal(size=y_shape)
    message = rf"^{name} has shape {shape}, which is not one sample: a 2-D array is read as one"
    for function in (dv.js_from_samples, dv.kl_from_samples):
        with pytest.raises(ValueError, match=message):
            function(x, y)


def test_wkv_is_a_kl_rule_only_on_the_fused_path_too():
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=100), rng.normal(size=120)
    with pytest.raises(ValueError, match=r"^bins='wkv' is not a known rule; use one of 'auto'"):
        dv.js_from_samples(x, y, bins="wkv")
    assert dv.kl_from_samples(x, y, bins="wkv").histogram.rule == "wkv"


def test_the_rare_cases_fall_back_with_the_general_result():
    # all values equal (numpy's widened single bin); an outlier beyond the rule's cap
    # (equal-mass bins); more bins than the range can hold (an error)
    rng = np.random.default_rng(5)
    outlier = np.concatenate((rng.normal(size=300), [1e12]))
    _same_outcome(dv.js_from_samples, np.full(5, 2.0), np.full(3, 2.0))
    result = _same_outcome(dv.js_from_samples, outlier, rng.normal(size=200))
    # numpy >= 2.3's "auto" never exceeds 2 sqrt(n) bins, so the cap's fallback is older numpy's
    capped = not _bin_rules.NUMPY_AUTO_LIMITS_FD
    assert result.histogram.rule.startswith("auto -> quantile") == capped
    tiny_range = (np.array([1.0, np.nextafter(1.0, 2)]), np.array([1.0]))
    assert _same_outcome(dv.js_from_samples, *tiny_range, bins=64) is None
    with pytest.raises(ValueError, match="would have edges that coincide"):
        dv.js_from_samples(*tiny_range, bins=64)


@pytest.mark.parametrize("n_max", [60, 3000, 40_000])
def test_quartiles_by_selection_equal_numpy_percentile(n_max):
    # ties (the three-way partition), heavy tails, tiny scales, sorted and reversed data
    rng = np.random.default_rng(n_max)
    for trial in range(300 if n_max < 10_000 else 40):
        n_x, n_y = rng.integers(1, n_max, 2)
        x = rng.integers(-3, 4, n_x).astype(float) * rng.choice([1.0, 0.1, 1e-300])
        y = rng.standard_cauchy(n_y)
        if trial % 4 == 1:
            x, y = np.sort(x), np.sort(y)[::-1].copy()
        if trial % 4 == 2:
            x = rng.normal(size=n_x)
        if trial % 4 == 3:
            x, y = np.full(n_x, 2.0), np.full(n_y, 2.0)
        expected = tuple(np.percentile(np.concatenate((x, y)), [75, 25]))
        assert _compiled.pooled_quartiles(x, y) == expected


def test_quartiles_from_buckets_equal_numpy_percentile():
    # the bucket selection itself (the test above reaches it only where it does not decline):
    # taken at the first level, and at a later one where a far value or a heavy tail piles the
    # values into a few buckets; declined where all values are equal
    from divergences._kernels import fused

    rng = np.random.default_rng(7)
    cases = {
        "normal": (rng.normal(size=700), rng.normal(1.0, 2.0, 300)),
        "cauchy": (rng.standard_cauchy(900), rng.standard_cauchy(500)),
        "rounded": (np.round(rng.normal(size=400), 1), np.round(rng.normal(size=600), 1)),
        "far value": (np.append(rng.normal(size=999), 1e3), rng.normal(size=200)),
    }
    for name, (x, y) in cases.items():
        both = np.concatenate((x, y))
        expected = tuple(np.percentile(both, [75, 25]))
        ok, upper, lower = fused._bucket_quartiles(x, y, both.min(), both.max())
        assert ok, name
        assert (upper, lower) == expected, name
        assert fused.quartiles_in_range(x, y, both.min(), both.max()) == expected, name
    # bounds other than the pooled range give the same values: wider ones, and narrower ones
    # (values beyond them in the end buckets, the wanted ranks among them: the next level lies
    # between the least and greatest values of those buckets)
    x, y = cases["normal"]
    expected = tuple(np.percentile(np.concatenate((x, y)), [75, 25]))
    for lo, hi in ((-20.0, 20.0), (-100.0, 1e3), (-0.5, 0.5), (2.0, 3.0)):
        assert fused._bucket_quartiles(x, y, lo, hi) == (True, *expected)
        assert fused.quartiles_in_range(x, y, lo, hi) == expected
    same = np.full(300, 2.0)
    assert not fused._bucket_quartiles(same, same, 2.0, 2.0)[0]
    assert fused.quartiles_in_range(same, same, 2.0, 2.0) == (2.0, 2.0)


def _bits(values):
    return np.array(values, dtype=np.float64).view(np.int64).tolist()


def test_quartiles_on_tied_values_need_no_copy_and_equal_numpy_bit_for_bit():
    # a quartile whose buckets hold more than a quarter of the values, all one value (counts,
    # rounded or discrete data): a pass finds the least and greatest value of those buckets,
    # and equal ones are the order statistics (no copy, no further level; before, three
    # counting passes declined to the whole-copy quickselect: 1.6-1.7x slower than it)
    from divergences._kernels import fused

    rng = np.random.default_rng(71)
    n = 4000
    normal = rng.normal(size=n)
    cases = {
        "three integers": rng.integers(0, 3, n).astype(float),
        "poisson(2)": rng.poisson(2.0, n).astype(float),
        "two values": rng.choice([0.0, 1.0], n),
        "40% at one value": np.where(rng.random(n) < 0.4, 0.5, normal),
        "negative zeros": np.where(rng.random(n) < 0.5, -0.0, normal),
        "ties at infinity": np.where(rng.random(n) < 0.4, np.inf, normal),
        "ties at -infinity": np.where(rng.random(n) < 0.4, -np.inf, normal),
        "integers": rng.integers(-5, 5, n),
        "float32 ties": rng.integers(0, 4, n).astype(np.float32),
        "far pair": np.concatenate((normal[:-2], [-1e300, 1e300])),
    }
    for name, values in cases.items():
        x, y = values[: n // 3], values[n // 3 :]
        with np.errstate(invalid="ignore"):  # numpy's own lerp of two infinities
            expected = np.percentile(values.astype(np.float64), [75, 25])
        lo, hi = float(values.min()), float(values.max())
        if not math.isfinite(hi - lo):
            lo, hi = -1.0, 1.0  # the caller's bounds need not hold the values
        ok, upper, lower = fused._bucket_quartiles(x, y, lo, hi)
        assert ok, name
        assert _bits([upper, lower]) == _bits(expected), name
    # a quartile between two tied values, and a tied span beside an untied one
    x = np.concatenate((np.zeros(300), np.ones(300)))
    assert fused._bucket_quartiles(x[:250], x[250:], 0.0, 1.0) == (True, 1.0, 0.0)
    # spread over too many magnitudes for equal-width buckets: a level that does not halve the
    # spans declines at once (before, all three levels ran)
    spread = np.exp(rng.normal(0.0, 50.0, n))
    assert not fused._bucket_quartiles(spread, spread[:10], spread.min(), spread.max())[0]
    both = np.concatenate((spread, spread[:10]))
    assert fused.quartiles_in_range(spread, spread[:10], both.min(), both.max()) == tuple(
        np.percentile(both, [75, 25])
    )


def test_a_subnormal_rule_width_falls_back_instead_of_overflowing():
    # found by the adversarial suite on numpy 2.0: the pooled IQR of [5e-324] and [0, 0, 0, 0, 1]
    # is subnormal, so "fd" (and numpy < 2.3's "auto", min(fd, sturges)) asks for ~1e308 bins:
    # the count overflowed (a RuntimeWarning here, a negative array size in the fused kernel)
    from divergences._kernels import fused

    x, y = np.array([5e-324]), np.array([0.0, 0.0, 0.0, 0.0, 1.0])
    for function in (dv.js_from_samples, dv.kl_from_samples):
        result = function(x, y, bins="fd")
        assert result.histogram.rule.startswith("fd -> quantile")
        assert math.isfinite(result.value)
    n = 6.0
    count = fused._auto_count(
        0.0, 1.0, 5e-324, math.sqrt(n), math.log2(n) + 1.0, n ** (-1 / 3), fused.RULE_AUTO_MIN
    )
    assert count == math.inf


def test_a_bad_seed_is_refused_on_the_fused_path_too():
    # the seed is checked even when no interval uses it; the fused path declines calls with a
    # seed, and the general path refuses a bad one with the same words for arrays as for lists
    x, y = np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0, 0.5])
    for estimator in (dv.js_from_samples, dv.kl_from_samples):
        with pytest.raises(ValueError, match=r"^seed must be a non-negative integer; got -1\.$"):
            estimator(x, y, seed=-1)
        with pytest.raises(
            TypeError,
            match=r"^seed must be a non-negative integer, a numpy Generator, or None \(fresh "
            r"entropy, reported on the result\); got 1\.5 of type float\.$",
        ):
            estimator(x, y, seed=1.5)

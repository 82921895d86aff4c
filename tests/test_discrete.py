"""divergences.discrete against the mpmath oracle (tests/naive.py) and against scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy import special, stats
from scipy.spatial import distance

import divergences as dv
from divergences import strategies as dst

from . import naive

LOG2 = math.log(2.0)
#: Relative agreement with the 50-digit oracle on the same floats: each kernel term is accurate
#: to a few ulps and there are at most 16 terms, so 1e-13 leaves an order of magnitude of room.
RTOL = 1e-13
#: Absolute slack for sums of many terms of either sign, at the scale of one ulp of 1.
ATOL = 1e-15

PAIR_FUNCTIONS = [
    (dv.kl_divergence, naive.kl),
    (dv.js_divergence, naive.js),
    (dv.cross_entropy, naive.cross_entropy),
    (dv.tv_distance, naive.tv),
    (dv.hellinger_distance, naive.hellinger),
]


def assert_matches(
    observed: float, expected: float, rtol: float = RTOL, atol: float = ATOL
) -> None:
    if math.isinf(expected):
        assert observed == expected, f"observed {observed}, expected {expected}"
        return
    assert abs(observed - expected) <= rtol * abs(expected) + atol, (
        f"observed {observed!r}, expected {expected!r}, diff {observed - expected:.3g}"
    )


# ---------------------------------------------------------------------------------------------
# Against the oracle
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("function", "oracle"), PAIR_FUNCTIONS, ids=lambda f: f.__name__)
@given(pair=dst.pmf_pairs())
def test_pair_function_matches_oracle(function, oracle, pair):
    p, q = pair
    assert_matches(float(function(p, q)), oracle(p, q))


@given(p=dst.probability_vectors())
def test_entropy_matches_oracle(p):
    assert_matches(float(dv.entropy(p)), naive.entropy(p))


@given(pair=dst.near_equal_pmf_pairs())
def test_near_equal_keeps_relative_precision(pair):
    p, q = pair
    # relative precision even when the divergence is ~1e-30: no cancellation between outcomes
    assert_matches(float(dv.js_divergence(p, q)), naive.js(p, q), rtol=1e-12, atol=0.0)
    assert_matches(float(dv.kl_divergence(p, q)), naive.kl(p, q), rtol=1e-12, atol=0.0)


@given(x=st.floats(min_value=0.0, max_value=1.0, exclude_max=True))
@example(x=float(np.nextafter(0.5, 0)))
@example(x=1e-300)
@example(x=5e-324)
def test_kl_divergence_two_point_keeps_relative_precision(x):
    # [x, 1-x] and [1-x, x] sum to 1 exactly, so the oracle sees exactly what the kernel sees
    p, q = [x, 1.0 - x], [1.0 - x, x]
    assert_matches(float(dv.kl_divergence(p, q)), naive.kl(p, q), rtol=1e-12, atol=0.0)
    assert_matches(float(dv.js_divergence(p, q)), naive.js(p, q), rtol=1e-12, atol=0.0)


def test_js_terms_are_within_a_few_ulps_of_the_exact_value():
    # the JS term's g(t) by its series (|t| < 1/2) and by two logarithms beyond: every term
    # of [a, 1 - a] against [b, 1 - b] within 8 units of 2^-53 of the 50-digit value, at
    # every t, the branch's edge |t| = 1/2 and its neighbours included (measured: 6.1 units at
    # most, as with the atanh form the series replaced; rtol=1e-12 would allow 4,500)
    rng = np.random.default_rng(2026)
    pairs = [tuple(ab) for ab in rng.uniform(0.0, 1.0, (1500, 2))]
    pairs += [
        (a, a * (1.0 + d))
        for a, d in zip(rng.uniform(0.01, 0.5, 300), np.geomspace(1e-15, 0.5, 300), strict=True)
    ]
    for a in (0.25, 0.3, 0.6):  # p = 3q: t = 1/2 exactly, and its float neighbours
        for b in (a / 3.0, np.nextafter(a / 3.0, 0.0), np.nextafter(a / 3.0, 1.0)):
            pairs.append((a, b))
    worst = 0.0
    for a, b in pairs:
        p, q = [a, 1.0 - a], [b, 1.0 - b]
        exact = naive.js(p, q)
        if exact == 0.0:
            continue
        worst = max(worst, abs(float(dv.js_divergence(p, q)) - exact) / exact / 2.0**-53)
    assert worst <= 8.0, worst


# ---------------------------------------------------------------------------------------------
# Against scipy, where scipy is right
# ---------------------------------------------------------------------------------------------


@given(pair=dst.pmf_pairs("any"))
def test_divergences_match_scipy(pair):
    p, q = pair
    # scipy's jensenshannon is wrong on subnormals (gh-19436, tested on its own below)
    assume(not np.any((p > 0) & (p < 1e-300)) and not np.any((q > 0) & (q < 1e-300)))
    with np.errstate(all="ignore"):
        kl = float(np.sum(special.rel_entr(p, q)))
        js = float(distance.jensenshannon(p, q)) ** 2
    assert_matches(float(dv.kl_divergence(p, q)), kl, rtol=1e-12, atol=1e-14)
    assert_matches(float(dv.entropy(p)), float(stats.entropy(p)), rtol=1e-12, atol=1e-14)
    # scipy forms the mixture (p+q)/2 and loses up to ~1e-8 to cancellation near JSD = 0
    if not math.isnan(js):
        assert_matches(float(dv.js_divergence(p, q)), js, rtol=1e-9, atol=1e-8)


@pytest.mark.parametrize("axis", [0, 1, -1, -2])
def test_axis_and_broadcasting_follow_scipy_entropy(axis):
    rng = np.random.default_rng(1)
    p = rng.random((4, 5))
    q = rng.random((4, 5))
    p /= p.sum(axis=axis, keepdims=True)
    q /= q.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(
        dv.kl_divergence(p, q, axis=axis), stats.entropy(p, q, axis=axis), rtol=1e-12
    )
    np.testing.assert_allclose(dv.entropy(p, axis=axis), stats.entropy(p, axis=axis), rtol=1e-12)


def test_leading_axes_broadcast_like_numpy():
    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(6), size=(3, 1))  # (3, 1, 6)
    q = rng.dirichlet(np.ones(6), size=(2,))  # (2, 6) -> aligned as (1, 2, 6)
    out = dv.js_divergence(p, q)
    assert out.shape == (3, 2)
    for i in range(3):
        for j in range(2):
            assert_matches(float(out[i, j]), naive.js(p[i, 0], q[j]))


def test_single_vector_against_batch_broadcasts_without_copy_semantics_change():
    rng = np.random.default_rng(3)
    batch = rng.dirichlet(np.ones(8), size=100)
    single = rng.dirichlet(np.ones(8))
    out = dv.kl_divergence(single, batch)
    expected = [naive.kl(single, row) for row in batch]
    np.testing.assert_allclose(out, expected, rtol=1e-13)


def test_batch_with_zero_rows_gives_empty_result():
    out = dv.js_divergence(np.empty((0, 3)), np.empty((0, 3)))
    assert out.shape == (0,)


# ---------------------------------------------------------------------------------------------
# Golden cases and ranges
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "name"),
    [
        (dv.kl_divergence, "kl_divergence"),
        (dv.js_divergence, "js_divergence"),
        (dv.cross_entropy, "cross_entropy"),
        (dv.tv_distance, "tv_distance"),
        (dv.hellinger_distance, "hellinger_distance"),
        (lambda p, q: dv.entropy(p), "entropy"),
    ],
)
def test_batches_follow_the_thread_policy_with_the_same_values(monkeypatch, function, name):
    """Busy machine ("never"): the serial twin; "always": the parallel one, bit for bit equal."""
    from divergences._kernels import discrete, threads

    rng = np.random.default_rng(7)
    p = rng.dirichlet(np.ones(64), 400)  # 25,600 terms: above PARALLEL_MIN_ROW_WORK
    q = rng.dirichlet(np.ones(64), 400)
    q[3, 5] = 0.0  # an infinite KL row, and a row of equal vectors
    q[3] /= q[3].sum()
    q[4] = p[4]
    serial, parallel = discrete.ROW_TWINS[name]
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "never")
    monkeypatch.setitem(discrete.ROW_TWINS, name, (serial, None))  # must not be reached
    one_thread = function(p, q)
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "always")
    if threads.thread_count() < 2:
        pytest.skip("numba runs one thread here")
    monkeypatch.setitem(discrete.ROW_TWINS, name, (None, parallel))  # must be reached
    np.testing.assert_array_equal(function(p, q), one_thread)
    monkeypatch.setitem(discrete.ROW_TWINS, name, (serial, None))
    # a batch below the work threshold stays serial even under "always"
    np.testing.assert_array_equal(function(p[:2], q[:2]), one_thread[:2])
    # each row is one pair's value, whichever twin ran
    assert one_thread[17] == function(p[17], q[17])


def test_js_divergence_disjoint_is_log2_exactly():
    assert dv.js_divergence([1, 0], [0, 1]) == LOG2
    assert dv.js_divergence([1, 0], [0, 1], base=2) == 1.0
    assert dv.js_distance([1, 0], [0, 1], base=2) == 1.0


@given(p=dst.probability_vectors())
def test_kl_divergence_of_itself_is_zero(p):
    assert dv.kl_divergence(p, p) == 0.0
    assert dv.js_divergence(p, p) == 0.0
    assert dv.tv_distance(p, p) == 0.0
    assert dv.hellinger_distance(p, p) == 0.0


@given(pair=dst.pmf_pairs())
def test_results_lie_in_their_ranges(pair):
    p, q = pair
    js = float(dv.js_divergence(p, q))
    assert 0.0 <= js <= LOG2
    assert 0.0 <= float(dv.js_distance(p, q)) <= math.sqrt(LOG2)
    assert 0.0 <= float(dv.kl_divergence(p, q)) <= math.inf
    assert 0.0 <= float(dv.tv_distance(p, q)) <= 1.0
    assert 0.0 <= float(dv.hellinger_distance(p, q)) <= 1.0
    assert float(dv.cross_entropy(p, q)) >= float(dv.entropy(p)) - 1e-12


@given(pair=dst.disjoint_pmf_pairs())
def test_disjoint_supports_give_the_extremes(pair):
    p, q = pair
    assert_matches(float(dv.js_divergence(p, q)), LOG2)
    assert dv.kl_divergence(p, q) == math.inf
    assert dv.kl_divergence(q, p) == math.inf
    assert_matches(float(dv.tv_distance(p, q)), 1.0)


@given(pair=dst.nested_pmf_pairs())
def test_kl_divergence_is_infinite_exactly_off_support(pair):
    p, q = pair  # supp p strictly inside supp q
    assert math.isfinite(dv.kl_divergence(p, q))
    assert dv.kl_divergence(q, p) == math.inf


@pytest.mark.parametrize("base", [2, 10, math.e, 0.5, 3.7])
def test_base_divides_by_log_base(base):
    p, q = [0.2, 0.3, 0.5], [0.5, 0.25, 0.25]
    for function in (dv.kl_divergence, dv.js_divergence, dv.cross_entropy):
        assert_matches(float(function(p, q, base=base)), float(function(p, q)) / math.log(base))
    assert_matches(float(dv.entropy(p, base=base)), float(dv.entropy(p)) / math.log(base))


def test_cross_entropy_is_entropy_plus_kl():
    p, q = [0.2, 0.3, 0.5], [0.5, 0.25, 0.25]
    assert_matches(
        float(dv.cross_entropy(p, q)), float(dv.entropy(p)) + float(dv.kl_divergence(p, q))
    )


# ---------------------------------------------------------------------------------------------
# scipy defects that must not exist here
# ---------------------------------------------------------------------------------------------


def test_gh20083_float32_nearly_proportional_is_not_nan():
    # scipy.spatial.distance.jensenshannon returned NaN: sqrt of a slightly negative difference
    p = np.array([0.3, 0.2, 0.5], dtype=np.float32)
    q = (p * np.float32(1.0000001)).astype(np.float32)
    q = q / q.sum()
    js = dv.js_divergence(p, q, normalize=True)
    d = dv.js_distance(p, q, normalize=True)
    assert np.isfinite(js)
    assert js >= 0.0
    assert np.isfinite(d)
    assert d >= 0.0
    p64, q64 = p.astype(np.float64), q.astype(np.float64)
    assert_matches(float(js), naive.js(p64, q64), rtol=1e-12, atol=0.0)


def test_gh20779_mirrored_two_point_is_not_nan():
    x = float(np.nextafter(0.5, 0))
    p, q = [x, 1 - x], [1 - x, x]
    d = float(dv.js_distance(p, q))
    assert not math.isnan(d)
    assert_matches(float(dv.js_divergence(p, q)), naive.js(p, q), rtol=1e-12, atol=0.0)
    assert d > 0.0


def test_gh19436_subnormal_mixture_is_not_infinite():
    # scipy: M = (p+q)/2 underflows to 0 where q = 5e-324, making KL(q||M) infinite
    js = dv.js_divergence([0.0, 1.0], [5e-324, 1.0])
    assert math.isfinite(js)
    assert js <= 1e-300
    # the exactly normalised q = [5e-324, 1]/(1 + 5e-324) gives KL = log(1 + 5e-324) = 5e-324
    assert dv.kl_divergence([0.0, 1.0], [5e-324, 1.0]) == 5e-324


def test_gh12553_unnormalised_q_is_an_error_not_silently_renormalised():
    with pytest.raises(ValueError, match=r"q sums to 2 along axis -1, not 1 .*normalize=True"):
        dv.kl_divergence([0.5, 0.5], [1.0, 1.0])
    # asked for explicitly, normalisation is fine
    assert dv.kl_divergence([0.5, 0.5], [1.0, 1.0], normalize=True) == 0.0


@pytest.mark.parametrize("function", [dv.kl_divergence, dv.js_divergence, dv.tv_distance])
def test_empty_input_is_an_error_not_zero(function):
    with pytest.raises(ValueError, match=r"p is empty along axis -1; .* undefined, not 0"):
        function([], [])


# ---------------------------------------------------------------------------------------------
# Extreme magnitudes
# ---------------------------------------------------------------------------------------------


def test_subnormal_entries_are_exact_zeros_for_support():
    p = [5e-324, 1.0 - 5e-324]
    q = [0.0, 1.0]
    # p has (subnormal) mass where q has none: off-support, so infinite
    assert dv.kl_divergence(p, q) == math.inf
    assert_matches(float(dv.kl_divergence(q, p)), naive.kl(q, p))


def test_subnormal_q_against_normal_p_is_finite_and_right():
    p, q = [0.5, 0.5], [1e-310, 1.0 - 1e-310]
    assert_matches(float(dv.kl_divergence(p, q)), naive.kl(p, q))
    assert_matches(float(dv.cross_entropy(p, q)), naive.cross_entropy(p, q))


def test_huge_weights_normalize_without_overflow():
    p = [1e308, 1e308, 1e308]
    q = [1.0, 1.0, 2.0]
    expected = naive.kl([1, 1, 1], [0.25, 0.25, 0.5])
    assert_matches(float(dv.kl_divergence(p, q, normalize=True)), expected)
    assert dv.js_divergence(p, p, normalize=True) == 0.0


def test_tiny_weights_normalize():
    p = [1e-320, 3e-320]
    assert_matches(float(dv.entropy(p, normalize=True)), naive.entropy([1e-320, 3e-320]))


def test_integer_counts_with_normalize():
    assert_matches(
        float(dv.js_divergence([3, 1], [1, 3], normalize=True)),
        naive.js([0.75, 0.25], [0.25, 0.75]),
    )


def test_float32_within_float32_tolerance_is_accepted():
    p = np.full(1000, 1e-3, dtype=np.float32)  # sums to 1 only within float32 rounding
    assert abs(float(p.astype(np.float64).sum()) - 1.0) > 1e-9
    assert dv.entropy(p) == pytest.approx(math.log(1000), rel=1e-6)


# ---------------------------------------------------------------------------------------------
# Errors: every message, asserted
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "message"),
    [
        ([0.5, np.nan, 0.5], r"p contains 1 NaN entry; probabilities must be finite"),
        ([0.5, np.inf], r"p contains 1 infinite entry; probabilities must be finite"),
        ([1.1, -0.1], r"p has 1 negative entry \(min -0.1\); probabilities must be >= 0"),
        ([0.0, 0.0], r"p is all zeros; a probability vector needs positive mass"),
        ([0.3, 0.3], r"p sums to 0.59999999999999998 along axis -1, not 1 \(tolerance 1e-09\)"),
        (0.5, r"p is a scalar; a probability vector needs at least one dimension"),
        ([[0.5, 0.5], [0.2, 0.9]], r"p sums to 1.1000000000000001 at row \(1,\) along axis -1"),
        ([[0.5, 0.5], [0.0, 0.0]], r"p is all zeros \(row \(1,\), 1 in all\)"),
        # the facts are counted and located over every row, not only the first or the last:
        # (a row summing to 1 after one that does not: the worst row is the furthest from 1,
        # not the largest sum; of equally bad rows the first is named)
        ([[0.25, 0.25], [0.5, 0.5]], r"p sums to 0.5 at row \(0,\) along axis -1, not 1"),
        ([[0.5, 0.5], [0.25, 0.25], [0.75, 0.75]], r"p sums to 0.5 at row \(1,\) along axis"),
        ([[0.5, 0.5], [0.0, 0.0], [0.0, 0.0]], r"p is all zeros \(row \(1,\), 2 in all\)"),
        ([[0.0, 0.0], [0.5, 0.5], [0.0, 0.0]], r"p is all zeros \(row \(0,\), 2 in all\)"),
        ([[np.nan, 0.5], [np.nan, np.nan]], r"p contains 3 NaN entries; probabilities must"),
        ([[np.inf, 0.5], [-np.inf, np.inf]], r"p contains 3 infinite entries; probabilities must"),
        ([[1.5, -0.5], [1.25, -0.25]], r"p has 2 negative entries \(min -0.5\); probabilities"),
    ],
)
def test_invalid_probability_vector_message(p, message):
    with pytest.raises(ValueError, match=message):
        dv.kl_divergence(p, np.full(np.shape(p), 0.5))


def test_all_zero_is_an_error_even_with_normalize():
    with pytest.raises(ValueError, match=r"q is all zeros; .* even with normalize=True"):
        dv.js_divergence([1, 0], [0, 0], normalize=True)


@pytest.mark.parametrize(
    ("p", "error", "message"),
    [
        (["a", "b"], TypeError, r"p must be an array of real numbers; got dtype <U1"),
        ([1 + 0j, 0j], TypeError, r"p must be an array of real numbers; got dtype complex128"),
        ([True, False], TypeError, r"p must be an array of real numbers; got dtype bool"),
        ([[1.0], [0.5, 0.5]], ValueError, r"p could not be read as a numeric array"),
    ],
)
def test_non_numeric_input_message(p, error, message):
    with pytest.raises(error, match=message):
        dv.entropy(p)


@pytest.mark.parametrize(
    ("call", "name", "shape", "axis", "remedy"),
    [
        (lambda a: dv.kl_divergence(a, a, normalize=True), "p", r"\(3, 1\)", -1, -2),
        (lambda a: dv.js_divergence([0.2, 0.3, 0.5], a), "q", r"\(3, 1\)", -1, -2),
        (lambda a: dv.entropy(a / a.sum()), "p", r"\(3, 1\)", -1, -2),
        (
            lambda a: dv.hellinger_distance(a[None], a[None], normalize=True),
            "p",
            r"\(1, 3, 1\)",
            -1,
            -2,
        ),
        (lambda a: dv.entropy((a / a.sum()).T, axis=0), "p", r"\(1, 3\)", 0, -1),
        (lambda a: dv.virtual_criterion(a / 10.0, a / 10.0), "p_data", r"\(3, 1\)", -1, -2),
    ],
)
def test_a_column_is_not_a_batch_of_one_outcome_distributions(call, name, shape, axis, remedy):
    # a column of counts with normalize=True returned [0, 0, 0]: one "distribution" per row
    counts = np.array([[2.0], [3.0], [5.0]])
    message = (
        rf"{name} has shape {shape}, with one entry along axis {axis}: that reads as 3 "
        rf"distributions over a single outcome each \(divergence and entropy 0, whatever the "
        rf"values\)\. For one probability vector, pass {name}\.ravel\(\) or axis={remedy}\."
    )
    with pytest.raises(ValueError, match=message):
        call(counts)
    # the remedies the message names give the vector's values
    p = counts.ravel() / counts.sum()
    q = np.array([0.2, 0.3, 0.5])
    assert dv.kl_divergence(counts, counts[::-1], normalize=True, axis=-2)[0] == pytest.approx(
        dv.kl_divergence(p, p[::-1])
    )
    assert dv.entropy(p[None], axis=-1)[0] == dv.entropy(p)
    assert dv.js_divergence(counts.ravel() / 10.0, q) == dv.js_divergence(p, q)
    # one outcome without a batch stays valid (and 0): [1.0] against [1.0], a (1, 1) array
    assert dv.kl_divergence([1.0], [1.0]) == 0.0
    assert dv.entropy([[1.0]]).shape == (1,)


def test_one_outcome_rows_with_no_single_long_axis_name_the_axis_argument():
    with pytest.raises(
        ValueError, match=r"\(2, 3, 1\), with one entry along axis -1: that reads as 6 "
    ):
        dv.entropy(np.full((2, 3, 1), 1.0))
    with pytest.raises(
        ValueError, match=r"whatever the values\)\. Pass as axis the axis along which"
    ):
        dv.entropy(np.full((2, 3, 1), 1.0))


def test_gan_values_of_one_outcome_rows_are_not_refused():
    # V of one outcome is log d + log(1 - d): it depends on d, so a batch of such rows is valid
    d = np.array([[0.3], [0.6]])
    batch = dv.gan_value([[1.0], [1.0]], [[1.0], [1.0]], d)
    assert batch.tolist() == [float(dv.gan_value([1.0], [1.0], [v])) for v in (0.3, 0.6)]
    assert batch[0] == pytest.approx(math.log(0.3) + math.log(0.7), rel=1e-15)
    logits = dv.gan_value_from_logits([[1.0], [1.0]], [[1.0], [1.0]], [[0.0], [2.0]])
    assert logits[0] == pytest.approx(-2.0 * math.log(2.0), rel=1e-15)


def test_length_mismatch_message():
    with pytest.raises(ValueError, match=r"p has 2 entries along axis -1 but q has 3; both must"):
        dv.js_divergence([0.5, 0.5], [0.2, 0.3, 0.5])


def test_leading_shapes_that_do_not_broadcast_message():
    with pytest.raises(ValueError, match=r"leading shapes of p \(2,\) and q \(3,\) do not broadc"):
        dv.js_divergence(np.full((2, 2), 0.5), np.full((3, 2), 0.5))


@pytest.mark.parametrize(
    ("base", "error", "message"),
    [
        (1, ValueError, r"base must be a positive finite number other than 1 .* got 1\."),
        (0, ValueError, r"base must be a positive finite number other than 1 .* got 0\."),
        (-2, ValueError, r"got -2\."),
        (math.inf, ValueError, r"got inf\."),
        (math.nan, ValueError, r"got nan\."),
        (
            "2",
            TypeError,
            r"base must be a real number \(e.g. 2 for bits\) or None for nats; got '2'",
        ),
        (True, TypeError, r"got True of type bool"),
    ],
)
def test_bad_base_message(base, error, message):
    with pytest.raises(error, match=message):
        dv.kl_divergence([0.5, 0.5], [0.5, 0.5], base=base)


def test_js_distance_base_below_one_message():
    with pytest.raises(ValueError, match=r"base must be greater than 1 for a distance .* got 0.5"):
        dv.js_distance([0.5, 0.5], [0.5, 0.5], base=0.5)


@pytest.mark.parametrize(
    ("axis", "error", "message"),
    [
        (
            2,
            ValueError,
            r"axis 2 is out of range for p with 2 dimension\(s\); use an axis in \[-2, 1\]",
        ),
        (-3, ValueError, r"axis -3 is out of range"),
        (1.0, TypeError, r"axis must be an integer; got 1.0 of type float"),
    ],
)
def test_bad_axis_message(axis, error, message):
    with pytest.raises(error, match=message):
        dv.js_divergence(np.full((2, 2), 0.5), np.full((2, 2), 0.5), axis=axis)


def _kl_mpmath(p, q):
    import mpmath as mp

    with mp.workdps(700):  # enough for 1 - 1e-310 and its logarithm
        p = [mp.mpf(v) for v in p]
        q = [mp.mpf(v) for v in q]
        sp, sq = sum(p), sum(q)
        total = mp.mpf(0)
        for a, b in zip(p, q, strict=True):
            if a == 0:
                continue
            if b == 0:
                return mp.inf
            total += (a / sp) * mp.log((a / sp) / (b / sq))
        return total


@pytest.mark.parametrize(
    ("p", "q"),
    [
        ([1e300, 1e-300], [1e300, 0.0]),  # p's tiny entry divides to 0: KL was 0, is +inf
        ([1e300, 1e-10], [1e300, 1e-30]),  # q's entry divides to 0: KL was +inf, is finite
        ([1e300, 1e-300, 1.0], [1.0, 1e300, 1e-300]),
        ([3.0, 5e-324], [1e-300, 7.0]),
    ],
)
def test_normalize_keeps_the_support_of_the_raw_entries(p, q):
    import mpmath as mp

    expected = _kl_mpmath(p, q)
    observed = float(dv.kl_divergence(p, q, normalize=True))
    if expected == mp.inf:
        assert observed == np.inf
    else:
        assert abs(mp.mpf(observed) - expected) <= 1e-12 * abs(expected) + 2.0**-1070
    ce = float(dv.cross_entropy(p, q, normalize=True))
    assert np.isfinite(ce) == (expected != mp.inf)


@pytest.mark.parametrize("function", [dv.kl_divergence, dv.js_divergence, dv.entropy])
@pytest.mark.parametrize(
    ("axis", "error", "message"),
    [
        (1, ValueError, r"axis 1 is out of range for p with 1 dimension\(s\)"),
        (-2, ValueError, r"axis -2 is out of range for p with 1 dimension\(s\)"),
        (-1.0, TypeError, r"axis must be an integer; got -1.0 of type float"),
    ],
)
def test_bad_axis_of_plain_vectors(function, axis, error, message):
    # plain vectors, which take the one-call path with the default axis: another axis must
    # still be checked (the general path's errors), not taken as the last one
    args = (np.array([0.5, 0.5]),) * (1 if function is dv.entropy else 2)
    with pytest.raises(error, match=message):
        function(*args, axis=axis)


@pytest.mark.parametrize("function", [dv.kl_divergence, dv.js_divergence, dv.entropy])
def test_plain_vectors_of_another_mass_are_refused(function):
    # the one-call path hands vectors that fail its checks to the general path, which raises
    args = (np.array([0.5, 0.7]),) * (1 if function is dv.entropy else 2)
    with pytest.raises(ValueError, match=r"p sums to 1.2 along axis -1, not 1"):
        function(*args)


@pytest.mark.parametrize("function", [dv.kl_divergence, dv.js_divergence, dv.entropy])
def test_masked_plain_vector_is_refused(function):
    p = np.ma.masked_array([0.5, 0.5, 0.25], mask=[False, False, True])
    args = (p,) if function is dv.entropy else (p, np.array([0.25, 0.25, 0.5]))
    with pytest.raises(TypeError, match=r"p is a masked array with masked entries"):
        function(*args)

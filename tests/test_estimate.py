"""divergences.js_from_samples / kl_from_samples against the mpmath oracle and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial import distance

import divergences as dv
from divergences import strategies as dst

from . import naive

LOG2 = math.log(2.0)


@given(pair=dst.sample_pairs(min_size=1, max_size=150), bins=st.integers(1, 40))
def test_js_from_samples_matches_oracle_on_the_counts(pair, bins):
    x, y = pair
    est = dv.js_from_samples(x, y, bins=bins)
    counts_x, counts_y, _ = naive.histogram_pair(x, y, bins)
    expected = naive.js(counts_x, counts_y)
    assert abs(est.value - expected) <= 1e-13 * expected + 1e-15
    assert 0.0 <= est.value <= LOG2


@given(
    pair=dst.sample_pairs(min_size=1, max_size=150),
    bins=st.integers(1, 40),
    pseudocount=st.sampled_from([0.0, 0.5, 1.0, 1e-3]),
)
def test_kl_from_samples_matches_oracle_with_pseudocount(pair, bins, pseudocount):
    x, y = pair
    est = dv.kl_from_samples(x, y, bins=bins, pseudocount=pseudocount)
    counts_x, counts_y, _ = naive.histogram_pair(x, y, bins)
    smoothed_x = [(c + pseudocount) / (x.size + pseudocount * bins) for c in counts_x]
    smoothed_y = [(c + pseudocount) / (y.size + pseudocount * bins) for c in counts_y]
    expected = naive.kl(smoothed_x, smoothed_y)
    if math.isinf(expected):
        assert est.value == math.inf
    else:
        assert abs(est.value - expected) <= 1e-12 * expected + 1e-15
    stranded = counts_x[counts_y == 0].sum() / x.size
    assert est.off_support_mass == stranded
    assert (est.value == math.inf) == (pseudocount == 0 and stranded > 0)


def test_js_from_samples_matches_scipy():
    rng = np.random.default_rng(20)
    x, y = rng.normal(0, 1, 5000), rng.normal(0.5, 1.2, 3000)
    est = dv.js_from_samples(x, y, bins=50)
    # scipy normalises each count vector by its own sum, as the estimator must
    expected = distance.jensenshannon(est.histogram.counts_x, est.histogram.counts_y) ** 2
    assert est.value == pytest.approx(expected, rel=1e-9)


def test_js_is_unchanged_when_a_sample_is_repeated():
    # each sample is normalised by its own size: doubling x doubles its counts, not its weight
    rng = np.random.default_rng(21)
    x, y = rng.normal(0, 1, 300), rng.normal(1, 1, 1000)
    once = dv.js_from_samples(x, y, bins=20)
    twice = dv.js_from_samples(np.tile(x, 2), y, bins=20)
    assert once.value == twice.value
    assert twice.n_x == 600


def test_js_of_pooled_counts_would_be_wrong_for_unequal_sizes():
    # the bug this guards against: mixing raw counts weights the larger sample more
    x, y = [0.0] * 10, [1.0] * 1000
    assert dv.js_from_samples(x, y, bins=2).value == LOG2


def test_estimates_approach_the_gaussian_oracles():
    rng = np.random.default_rng(22)
    x, y = rng.normal(0, 1, 400_000), rng.normal(0.5, 1.2, 400_000)
    js = dv.js_from_samples(x, y, bins=200, range=(-6, 7)).value
    kl = dv.kl_from_samples(x, y, bins=200, range=(-6, 7), pseudocount=0.5).value
    assert js == pytest.approx(dv.reference.js_normal(0, 1, 0.5, 1.2), abs=2e-3)
    assert kl == pytest.approx(dv.reference.kl_normal(0, 1, 0.5, 1.2), abs=5e-3)


def test_identical_and_disjoint_samples_give_the_extremes():
    assert dv.js_from_samples([1.0, 2.0], [1.0, 2.0], bins=2).value == 0.0
    assert dv.kl_from_samples([1.0, 2.0], [2.0, 1.0], bins=2).value == 0.0
    assert dv.js_from_samples([0.0, 0.1], [5.0, 5.1], bins=4).value == LOG2
    assert dv.js_from_samples([3.0] * 4, [3.0] * 9).value == 0.0  # all equal: one bin


@pytest.mark.parametrize("base", [2, 10])
def test_base_divides_by_log_base(base):
    x, y = [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]
    nats = dv.js_from_samples(x, y, bins=2).value
    assert dv.js_from_samples(x, y, bins=2, base=base).value == nats / math.log(base)
    assert dv.js_from_samples(x, y, bins=2, base=base).units == ("bits" if base == 2 else "base 10")


@pytest.mark.parametrize("estimator", [dv.js_from_samples, dv.kl_from_samples])
def test_batch_values_equal_one_pair_at_a_time(estimator):
    rng = np.random.default_rng(23)
    x, y = rng.normal(0, 1, (30, 200)), rng.normal(0.3, 1, (30, 150))
    batch = estimator(x, y, bins=16, axis=1)
    assert batch.value.shape == (30,)
    for i in range(30):
        assert batch.value[i] == estimator(x[i], y[i], bins=16).value


def test_other_engineers_call_keeps_working():
    rng = np.random.default_rng(24)
    x, y = rng.normal(0, 1, 1000), rng.normal(0, 1, 1000)
    value = dv.js_from_samples(x, y, bins=32, range=(-4.0, 4.0)).value
    assert isinstance(value, float)
    assert float(dv.js_from_samples(x, y, bins=32, range=(-4.0, 4.0))) == value


def test_result_object_fields_and_repr():
    est = dv.kl_from_samples([0.0, 1.0, 2.0, 3.0], [0.0, 1.0], bins=2)
    assert (est.value, est.off_support_mass, est.pseudocount) == (math.inf, 0.5, 0.0)
    assert (est.n_x, est.n_y, est.divergence) == (4, 2, "kl")
    np.testing.assert_array_equal(est.edges, [0.0, 1.5, 3.0])
    assert repr(est) == (
        "SampleEstimate(kl=inf nats, 2 bins (bins=2), n_x=4, n_y=2, pseudocount=0, "
        "off_support_mass=0.5)"
    )
    js = dv.js_from_samples(np.zeros((3, 2)), np.ones((3, 2)), bins=2, axis=1)
    assert repr(js) == "SampleEstimate(js=array of 3 nats, 2 bins (bins=2), n_x=2, n_y=2)"


# ---------------------------------------------------------------------------------------------
# Errors: every message, asserted
# ---------------------------------------------------------------------------------------------


def test_float_of_a_batch_message():
    est = dv.js_from_samples(np.zeros((3, 2)), np.ones((3, 2)), bins=2, axis=1)
    with pytest.raises(TypeError, match=r"this estimate holds 3 values \(a batch\); use .value"):
        float(est)


@pytest.mark.parametrize(
    ("pseudocount", "error", "message"),
    [
        (-1.0, ValueError, r"pseudocount must be a finite number >= 0 .* got -1.0"),
        (math.nan, ValueError, r"got nan"),
        ("1", TypeError, r"pseudocount must be a real number >= 0 \(0 for none\); got '1'"),
        (True, TypeError, r"got True of type bool"),
    ],
)
def test_bad_pseudocount_message(pseudocount, error, message):
    with pytest.raises(error, match=message):
        dv.kl_from_samples([0.0, 1.0], [1.0, 2.0], pseudocount=pseudocount)


def test_sample_with_nothing_in_range_message():
    with pytest.raises(ValueError, match=r"y has no value inside the bins: all 2 were outside"):
        dv.js_from_samples([0.0, 1.0], [5.0, 6.0], bins=2, range=(0, 1))
    with pytest.raises(ValueError, match=r"x has no value inside the bins in pair 1 \(1 pairs"):
        dv.kl_from_samples(
            [[0.5, 0.5], [5.0, 6.0]], [[0.5, 0.2], [0.1, 0.2]], bins=2, range=(0, 1), axis=1
        )


def test_bad_base_message_is_the_discrete_one():
    with pytest.raises(ValueError, match=r"base must be a positive finite number other than 1"):
        dv.js_from_samples([0.0], [1.0], base=1)


def test_batch_rows_in_parallel_equal_serial_rows_exactly(monkeypatch):
    import numba

    from divergences import _kernels

    monkeypatch.setattr(_kernels.threads, "PARALLEL_POLICY", "always")  # even on a busy machine

    rng = np.random.default_rng(11)
    x = rng.normal(0.0, 1.0, (600, 300))
    y = rng.normal(0.3, 1.1, (600, 300))
    assert x.size >= _kernels.PARALLEL_MIN_ROW_WORK  # large enough for the parallel rows
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        serial = (
            dv.js_from_samples(x, y, bins=32, axis=1),
            dv.kl_from_samples(x, y, bins=32, axis=1),
        )
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        parallel = (
            dv.js_from_samples(x, y, bins=32, axis=1),
            dv.kl_from_samples(x, y, bins=32, axis=1),
        )
    finally:
        numba.set_num_threads(before)
    for a, b in zip(serial, parallel, strict=True):
        np.testing.assert_array_equal(a.value, b.value)
        np.testing.assert_array_equal(a.histogram.edges, b.histogram.edges)
    np.testing.assert_array_equal(serial[1].off_support_mass, parallel[1].off_support_mass)


def test_a_single_estimate_formats_and_compares_like_its_value():
    rng = np.random.default_rng(31)
    x, y = rng.normal(size=500), rng.normal(0.5, 1.0, 400)
    est = dv.js_from_samples(x, y)
    value = est.value
    assert f"{est:.4f}" == f"{value:.4f}"
    assert f"{est}" == repr(est)
    assert est == value
    assert not est != value  # noqa: SIM202 - the inequality operator itself is under test
    assert est < value + 1e-12
    assert est <= value <= est
    assert est > value - 1e-12
    assert est >= value
    other = dv.js_from_samples(x, y, bins=8)
    assert (est < other) == (value < other.value)
    assert sorted([other, est]) == sorted([est, other], key=float)
    assert est.__eq__("0.1") is NotImplemented
    assert round(est, 3) == round(value, 3)
    assert round(est) == round(value) == 0
    assert type(round(est)) is int


def test_the_repr_says_when_values_were_dropped():
    # n_x counts every value passed; without the dropped ones the repr hid that the estimate
    # came from fewer (the histogram's n_x == counts_x.sum() + dropped_x)
    x, y = [0.1, 0.2, np.nan, 0.7], [0.3, 0.9, 5.0]
    est = dv.js_from_samples(x, y, bins=2, range=(0.0, 1.0), nonfinite="omit")
    # counts [2, 1] and [1, 1] on the two bins
    value = distance.jensenshannon([2 / 3, 1 / 3], [0.5, 0.5]) ** 2
    assert repr(est) == (
        f"SampleEstimate(js={value:.6g} nats, 2 bins (bins=2), n_x=4, n_y=3, dropped_x=1, "
        "dropped_y=1)"
    )
    assert "dropped" not in repr(dv.js_from_samples(x[:2], y[:2], bins=2))


def test_numpy_reads_estimates_as_their_values():
    rng = np.random.default_rng(33)
    x, y = rng.normal(size=(4, 300)), rng.normal(0.4, 1.0, (4, 300))
    singles = [dv.js_from_samples(x[i], y[i], bins=16) for i in range(4)]
    values = [s.value for s in singles]
    # averaging over seeds, as research code does (np.mean of the objects raised a TypeError)
    assert np.mean(singles) == np.mean(values)
    assert np.std(singles) == np.std(values)
    assert np.asarray(singles[0]).shape == ()
    assert np.asarray(singles[0], dtype=np.float32) == np.float32(values[0])
    batch = dv.js_from_samples(x, y, bins=16, axis=1)
    np.testing.assert_array_equal(np.asarray(batch), batch.value)
    np.testing.assert_array_equal(np.asarray(batch), values)
    copied = np.array(batch, copy=True)
    copied[0] = -1.0
    assert batch.value[0] == values[0]  # a copy when asked for one
    with pytest.raises(ValueError, match=r"a single estimate's value is a float: an array of"):
        np.array(singles[0], copy=False)
    with pytest.raises(TypeError, match=r"this estimate holds 4 values \(a batch\)"):
        round(batch, 3)
    # numpy operands compute no more than Python numbers do: no arithmetic, comparisons as
    # documented (a batch refuses them from either side)
    single = singles[0]
    for operand in (1, np.float64(1.0), np.ones(4)):
        for operation in (lambda a: single + a, lambda a: a + single, lambda a: a - batch):
            with pytest.raises(TypeError):  # Python's own messages (they vary by operand)
                operation(operand)
    assert (np.float64(values[0] + 1e-9) > single) is True
    with pytest.raises(TypeError, match=r"this estimate holds 4 values \(a batch\)"):
        np.float64(0.031) < batch  # noqa: B015 - the comparison's error is under test


def test_a_batch_estimate_refuses_to_stand_for_one_number():
    rng = np.random.default_rng(32)
    est = dv.js_from_samples(rng.normal(size=(3, 50)), rng.normal(size=(3, 50)), bins=4, axis=1)
    for operation in (lambda: est < 0.1, lambda: est == 0.1, lambda: f"{est:.3f}"):
        with pytest.raises(TypeError, match=r"this estimate holds 3 values \(a batch\)"):
            operation()
    assert f"{est}" == repr(est)


def test_package_lists_only_public_names():
    assert dir(dv) == sorted([*dv.__all__, "__version__"])
    assert "Probability vectors" in dv.__doc__
    assert "js_from_samples" in dv.__doc__


@pytest.mark.parametrize(
    ("policy", "load", "expected"),
    [
        ("auto", 0.2, "all"),  # an idle core besides the caller's: parallel
        ("auto", 1.5, 1),  # busy: the serial kernels, never slower than one thread
        ("always", 9.0, "all"),
        ("never", 0.0, 1),
    ],
)
def test_parallel_policy_follows_the_load(monkeypatch, policy, load, expected):
    import numba

    from divergences import _kernels

    monkeypatch.setattr(_kernels.threads, "PARALLEL_POLICY", policy)
    monkeypatch.setattr(_kernels.threads.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(_kernels.threads.os, "cpu_count", lambda: 2)
    threads = numba.get_num_threads()
    if threads < 2:
        pytest.skip("numba runs one thread here")
    assert _kernels.threads.thread_count() == (threads if expected == "all" else expected)


def test_kl_default_is_finite_for_a_heavier_tailed_p_and_consistent():
    # KL(N(0, 1.5^2) || N(0, 1)) = 0.2195: equal-width bins say +inf at every size
    truth = float(dv.reference.kl_normal(0.0, 1.5, 0.0, 1.0))
    rng = np.random.default_rng(51)
    errors = []
    for n in (1_000, 100_000):
        values = []
        for _ in range(5):
            x, y = rng.normal(0, 1.5, n), rng.normal(0, 1, n)
            assert dv.kl_from_samples(x, y, bins="auto").value == np.inf
            est = dv.kl_from_samples(x, y)
            assert est.histogram.rule == "wkv"
            assert est.off_support_mass == 0.0
            values.append(est.value)
        assert np.isfinite(values).all()
        errors.append(abs(np.mean(values) - truth))
    # the error of the mean of 5 seeds is a downward bias in the tails that shrinks slowly
    # (12% and 10% of the truth here): it must shrink, and stay within 15%
    assert errors[1] < errors[0]
    assert errors[1] < 0.15 * truth


def test_kl_default_falls_back_to_auto_where_supports_can_differ():
    # discrete data: tied quantiles of y -> "auto", and the off-support value stays +inf
    est = dv.kl_from_samples(np.repeat([0, 1, 2, 5], 20), np.repeat([0, 1, 2], 30))
    assert est.histogram.rule == "wkv -> auto (tied quantiles of y: discrete data)"
    assert est.value == np.inf
    rng = np.random.default_rng(52)
    x, y = rng.normal(size=(2, 40)), rng.normal(size=(2, 40))
    batch = dv.kl_from_samples(x, y, axis=1)
    assert batch.histogram.rule == "wkv -> auto (a batch shares one number of bins)"
    ranged = dv.kl_from_samples(x[0], y[0], range=(-3, 3))
    assert ranged.histogram.rule == "wkv -> auto (range given)"
    with pytest.raises(ValueError, match=r"x contains 1 NaN entry"):
        dv.kl_from_samples([0.0, np.nan, 1.0], [0.5, 2.0])
    omitted = dv.kl_from_samples([0.0, np.nan, 1.0, 2.0], [0.5, 2.0, 1.0], nonfinite="omit")
    assert omitted.histogram.rule == "wkv"
    assert omitted.histogram.dropped_x == 1


@pytest.mark.parametrize("function", [dv.js_from_samples, dv.kl_from_samples])
@pytest.mark.parametrize("axis", [0, 1])
def test_an_empty_batch_gives_empty_values_and_counts(function, axis):
    shape_x, shape_y = ((0, 50), (0, 40)) if axis == 1 else ((50, 0), (40, 0))
    r = function(np.empty(shape_x), np.empty(shape_y), bins=10, range=(0.0, 1.0), axis=axis)
    assert np.shape(r.value) == (0,)
    assert r.histogram.counts_x.shape == (0, 10)
    assert r.histogram.counts_y.shape == (0, 10)


@pytest.mark.parametrize(
    "function",
    [
        dv.js_from_samples,
        dv.kl_from_samples,
        dv.js_from_histogram,
        dv.kl_from_histogram,
        dv.js_from_samples_nd,
        dv.kl_from_samples_nd,
    ],
)
def test_the_inference_parameters_fill_every_estimator_s_docstring(function):
    # filled at import by _estimation.documented: no placeholder left, every shared entry there
    doc = function.__doc__
    assert doc is not None
    assert "{inference}" not in doc
    for entry in ("bias_correction :", "ci :", "ci_method :", "n_boot :", "seed :"):
        assert entry in doc, (function.__name__, entry)

"""Single probability vectors take one fused kernel call, with the general path's result."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import divergences as dv
from divergences import _compiled, discrete
from divergences._checks.vectors import SUM_ATOL, sum_tolerance


def _general(function, *args):
    """The call with the fused path switched off (the inline float64 test and ``_vector``)."""
    saved, saved_type = discrete._vector, discrete._NDARRAY
    discrete._vector, discrete._NDARRAY = (lambda a: None), type(None)
    try:
        return function(*args)
    finally:
        discrete._vector, discrete._NDARRAY = saved, saved_type


def _outcome(function, *args):
    try:
        return "value", function(*args)
    except (ValueError, TypeError) as error:
        return type(error).__name__, str(error)


def _identical(a, b):
    assert a[0] == b[0], (a, b)
    if a[0] == "value":
        assert type(a[1]) is type(b[1])
        if isinstance(a[1], np.ndarray):  # an empty batch, e.g. a (0, 1) column
            assert a[1].shape == b[1].shape
            np.testing.assert_array_equal(a[1], b[1])
        else:
            assert a[1] == b[1] or (np.isnan(a[1]) and np.isnan(b[1])), (a, b)
    else:
        assert a[1] == b[1]


entries = st.one_of(
    st.floats(0, 1),
    st.floats(0, 1e-300),
    st.sampled_from([0.0, 5e-324, 1.0, 0.5, -0.0, -1e-3, np.nan, np.inf, 1e308]),
)


@st.composite
def vector_inputs(draw):
    """A vector as a user passes it: normalised or nearly, as a list or an array, any kind."""
    k = draw(st.integers(0, 12))
    values = draw(st.lists(entries, min_size=k, max_size=k))
    array = np.array(values, dtype=float)
    with np.errstate(over="ignore"):
        total = array.sum()
    if draw(st.booleans()) and total > 0 and np.isfinite(total):
        array = array / total
    form = draw(
        st.sampled_from(["array", "list", "float32", "int", "2d", "column", "strided", "swapped"])
    )
    if form == "list":
        return array.tolist()
    if form == "float32":
        with np.errstate(over="ignore"):  # 1e308 becomes inf: a float32 input can hold that
            return array.astype(np.float32)
    if form == "int":
        return (array > 0.5).astype(np.int64)
    if form == "2d":
        return array.reshape(1, -1)
    if form == "column":
        return array.reshape(-1, 1)
    if form == "strided":  # a non-contiguous float64 vector
        return np.repeat(array, 2)[::2]
    if form == "swapped":  # float64 in the other byte order
        return array.astype(array.dtype.newbyteorder())
    return array


@given(vector_inputs(), vector_inputs())
def test_pairs_equal_the_general_path(p, q):
    for function in (dv.kl_divergence, dv.js_divergence):
        _identical(_outcome(function, p, q), _outcome(_general, function, p, q))


@given(vector_inputs())
def test_entropy_equals_the_general_path(p):
    _identical(_outcome(dv.entropy, p), _outcome(_general, dv.entropy, p))


def test_plain_vectors_take_the_fused_path():
    calls = []
    kernels = _compiled
    saved_pair, saved_entropy = kernels.vector_pair, kernels.vector_entropy

    def pair(*args):
        calls.append(saved_pair(*args)[0])
        return saved_pair(*args)

    def entropy(*args):
        calls.append(saved_entropy(*args)[0])
        return saved_entropy(*args)

    kernels.vector_pair, kernels.vector_entropy = pair, entropy
    try:
        p, q = [0.2, 0.3, 0.5], np.array([0.1, 0.6, 0.3])
        assert dv.js_divergence(p, q) == _general(dv.js_divergence, p, q)
        assert dv.kl_divergence(p, q) == _general(dv.kl_divergence, p, q)
        assert dv.entropy(q) == _general(dv.entropy, q)
        assert dv.kl_divergence([1, 0], [0.5, 0.5]) == pytest.approx(np.log(2), rel=1e-15)
    finally:
        kernels.vector_pair, kernels.vector_entropy = saved_pair, saved_entropy
    assert calls == [kernels.OK] * 4


def test_invalid_vectors_get_the_general_errors():
    with pytest.raises(ValueError, match=r"sums to 0\.5"):
        dv.js_divergence([0.25, 0.25], [0.5, 0.5])
    with pytest.raises(ValueError, match="p contains 1 NaN"):
        dv.kl_divergence([np.nan, 1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match="q is all zeros"):
        dv.js_divergence([1.0, 0.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="p has 2 entries along axis -1 but q has 3"):
        dv.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])


def test_samples_passed_as_probability_vectors_are_pointed_to_the_sample_functions():
    # observations (positive, or with negative values) are not a probability vector: the error
    # says what to use instead of suggesting normalize=True only
    with pytest.raises(
        ValueError,
        match=r"^p sums to 16 along axis -1, not 1 \(tolerance 1e-09\); for counts or weights "
        r"pass normalize=True to divide by the sum, or fix the input\. If p holds observed values "
        r"\(a sample\) rather than probabilities or counts, estimate from the samples with "
        r"js_from_samples / kl_from_samples instead\.$",
    ):
        dv.kl_divergence([2.5, 3.1, 4.4, 6.0], [0.25] * 4)
    with pytest.raises(
        ValueError,
        match=r"^q has 2 negative entries \(min -1.2\); probabilities must be >= 0\. If q holds "
        r"observed values \(a sample\)",
    ):
        dv.js_divergence([0.5, 0.5, 0.0], [-1.2, 0.3, -0.4])


def test_the_inline_float64_tolerance_is_the_general_one_up_to_its_length():
    # the inline path passes SUM_ATOL for float64 vectors up to _ATOL_LENGTH entries: exactly
    # where sum_tolerance's rounding term (16 eps sqrt(k)) is not larger
    edge = discrete._ATOL_LENGTH
    for k in (1, 3, 100, 10**6, edge - 1, edge):
        assert sum_tolerance(np.dtype(np.float64), k) == SUM_ATOL
    assert sum_tolerance(np.dtype(np.float64), edge + 1) > SUM_ATOL


def test_strided_read_only_and_unpickled_vectors_compile_no_new_kernel():
    # the kernels are compiled for C-contiguous, writeable arrays: other vectors are copied
    # (or left to the general path), so no call compiles another specialisation (seconds)
    p = np.array([0.1, 0.2, 0.3, 0.4])
    strided = np.repeat(p, 2)[::2]
    frozen = p.copy()
    frozen.flags.writeable = False
    unpickled = pickle.loads(pickle.dumps(p))
    pairs_before = len(_compiled.vector_pair.signatures)
    entropy_before = len(_compiled.vector_entropy.signatures)
    for a in (strided, frozen, unpickled):
        for b in (p, strided, frozen, unpickled, p.tolist()):
            for function in (dv.kl_divergence, dv.js_divergence):
                _identical(_outcome(function, a, b), _outcome(_general, function, a, b))
                _identical(_outcome(function, b, a), _outcome(_general, function, b, a))
        _identical(_outcome(dv.entropy, a), _outcome(_general, dv.entropy, a))
    assert len(_compiled.vector_pair.signatures) == pairs_before
    assert len(_compiled.vector_entropy.signatures) == entropy_before


@pytest.mark.parametrize("k", [2**14, 2**14 + 1, 3 * 2**14 + 5, 2**16 + 3, 200_003])
def test_long_vectors_sum_in_chunks_the_same_on_every_path(monkeypatch, k):
    """Serial, on threads and on the general path: one value, bit for bit; and an accurate one."""
    import math

    from divergences._kernels import threads

    rng = np.random.default_rng(k)
    p = rng.dirichlet(np.full(k, 0.5))
    q = rng.dirichlet(np.full(k, 0.5))
    q[: k // 3] = p[: k // 3]  # near-equal entries (the series branch) among random ones
    q /= q.sum()
    functions = {
        "kl": lambda: dv.kl_divergence(p, q),
        "js": lambda: dv.js_divergence(p, q),
        "entropy": lambda: dv.entropy(p),
        "kl list": lambda: dv.kl_divergence(p, list(q)),  # through _fused_pair
    }
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "never")
    serial = {name: f() for name, f in functions.items()}
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "always")
    for name, f in functions.items():
        assert f() == serial[name], name
        assert _general(f) == serial[name], name
    # against an exactly rounded sum of the same terms (math.fsum of scipy's elementwise terms,
    # each within a few ulps): chunking changes the rounding of the sum, not its accuracy
    from scipy import special

    pn, qn = p / p.sum(), q / q.sum()
    kl = math.fsum(special.kl_div(pn, qn))
    m = (pn + qn) / 2
    js = math.fsum(0.5 * special.kl_div(pn, m) + 0.5 * special.kl_div(qn, m))
    entropy = math.fsum(special.entr(pn))
    assert serial["kl"] == pytest.approx(kl, rel=1e-12)
    assert serial["js"] == pytest.approx(js, rel=1e-12)
    assert serial["entropy"] == pytest.approx(entropy, rel=1e-13)


def test_long_vectors_take_the_parallel_kernel_where_the_policy_allows(monkeypatch):
    from divergences._kernels import threads

    p = np.full(2**16, 2.0**-16)
    q = np.random.default_rng(0).dirichlet(np.ones(2**16))
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "always")
    if threads.thread_count() < 2:
        pytest.skip("numba runs one thread here")
    calls = []
    for name in ("vector_pair_parallel", "vector_entropy_parallel"):
        kernel = getattr(_compiled, name)
        monkeypatch.setattr(
            _compiled, name, lambda *a, _k=kernel, _n=name: calls.append(_n) or _k(*a)
        )
    dv.kl_divergence(p, q)
    dv.js_divergence(p, list(q))
    dv.entropy(q)
    assert calls == ["vector_pair_parallel", "vector_pair_parallel", "vector_entropy_parallel"]
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "never")
    dv.kl_divergence(p, q)
    dv.entropy(p[:-1] * (2**16 / (2**16 - 1)))
    assert len(calls) == 3

"""Each public strategy produces what its name promises, and the promised variety occurs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from divergences import strategies as dst

#: Normalised float vectors sum to 1 within the rounding of a sum of <= 16 terms.
SUM_TOL = 16 * 2.0**-52
#: Searching for an example of a promised feature: no shrinking needed, existence is the point.
SEARCH = settings(database=None, max_examples=500, phases=[Phase.generate])


def is_pmf(p: np.ndarray) -> bool:
    return bool(p.ndim == 1 and p.size >= 1 and np.all(p >= 0) and abs(p.sum() - 1) <= SUM_TOL)


@given(p=dst.probability_vectors())
def test_probability_vectors_are_pmfs(p):
    assert p.dtype == np.float64
    assert is_pmf(p)
    assert 1 <= p.size <= 16


@given(p=dst.probability_vectors(zeros=False))
def test_probability_vectors_without_zeros_have_full_support(p):
    assert np.all(p > 0)


@given(p=dst.probability_vectors(subnormal=False))
def test_probability_vectors_without_subnormals(p):
    assert not np.any((p > 0) & (p < 1e-300))


@pytest.mark.parametrize(
    ("feature", "predicate"),
    [
        ("an explicit zero", lambda p: np.any(p == 0)),
        ("a subnormal entry", lambda p: np.any((p > 0) & (p < 2.3e-308))),
        ("a tiny entry", lambda p: np.any((p > 1e-13) & (p < 1e-6))),
        ("length 1", lambda p: p.size == 1),
        ("length 16", lambda p: p.size == 16),
    ],
)
def test_probability_vectors_produce(feature, predicate):
    assert is_pmf(find(dst.probability_vectors(), predicate, settings=SEARCH))


@given(pair=dst.equal_pmf_pairs())
def test_equal_pairs_are_equal_copies(pair):
    p, q = pair
    assert np.array_equal(p, q)
    assert p is not q


@given(pair=dst.near_equal_pmf_pairs())
def test_near_equal_pairs_share_support_and_differ_by_at_most_1e_6(pair):
    p, q = pair
    assert is_pmf(p)
    assert is_pmf(q)
    assert np.array_equal(p > 0, q > 0)
    assert np.all(np.abs(q - p) <= 2.1e-6 * p + 1e-300)


def test_near_equal_pairs_reach_relative_differences_of_1e_15():
    p, q = find(
        dst.near_equal_pmf_pairs(),
        lambda pair: 0 < np.max(np.abs(pair[1] - pair[0]) / pair[0]) < 1e-13,
        settings=SEARCH,
    )
    assert not np.array_equal(p, q)


@given(pair=dst.nested_pmf_pairs())
def test_nested_pairs_have_a_proper_subset_support(pair):
    p, q = pair
    assert is_pmf(p)
    assert is_pmf(q)
    assert np.all(q > 0)
    assert np.any(p == 0)
    assert np.any(p > 0)


@given(pair=dst.disjoint_pmf_pairs())
def test_disjoint_pairs_do_not_meet(pair):
    p, q = pair
    assert is_pmf(p)
    assert is_pmf(q)
    assert not np.any((p > 0) & (q > 0))


@given(pair=dst.pmf_pairs())
def test_pmf_pairs_have_equal_lengths(pair):
    p, q = pair
    assert p.size == q.size >= 2
    assert is_pmf(p)
    assert is_pmf(q)


@given(pair=dst.pmf_pairs(subnormal=False))
def test_pmf_pairs_without_subnormals(pair):
    for v in pair:
        assert not np.any((v > 0) & (v < 1e-300))


@pytest.mark.parametrize("kind", ["equal", "near_equal", "nested", "disjoint"])
def test_pmf_pairs_any_reaches_every_kind(kind):
    checks = {
        "equal": lambda pair: np.array_equal(*pair),
        "near_equal": lambda pair: (
            0 < np.max(np.abs(pair[0] - pair[1])) < 1e-6
            and np.array_equal(pair[0] > 0, pair[1] > 0)
        ),
        "nested": lambda pair: np.all(pair[1] > 0) and np.any(pair[0] == 0),
        "disjoint": lambda pair: not np.any((pair[0] > 0) & (pair[1] > 0)),
    }
    find(dst.pmf_pairs("any"), checks[kind], settings=SEARCH)


def test_pmf_pairs_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match=r"kind must be one of \('any', 'equal'"):
        find(dst.pmf_pairs("orthogonal"), lambda pair: True, settings=SEARCH)


@given(data=st.data(), size=st.integers(1, 10))
def test_discriminators_lie_in_the_unit_interval(data, size):
    d = data.draw(dst.discriminators(size))
    assert d.shape == (size,)
    assert np.all((d >= 0) & (d <= 1))
    d_open = data.draw(dst.discriminators(size, open_interval=True))
    assert np.all((d_open > 0) & (d_open < 1))


def test_discriminators_reach_the_endpoints():
    find(dst.discriminators(3), lambda d: np.any(d == 0) and np.any(d == 1), settings=SEARCH)


@given(pair=dst.sample_pairs())
def test_sample_pairs_are_finite_float_samples(pair):
    x, y = pair
    assert x.dtype == y.dtype == np.float64
    assert x.ndim == y.ndim == 1
    assert np.all(np.isfinite(x))
    assert np.all(np.isfinite(y))


@given(pair=dst.sample_pairs(equal_size=True))
def test_sample_pairs_of_equal_size(pair):
    assert pair[0].size == pair[1].size


@pytest.mark.parametrize(
    ("feature", "predicate"),
    [
        ("unequal sizes", lambda xy: xy[0].size != xy[1].size),
        ("an empty sample", lambda xy: xy[0].size == 0),
        ("ties", lambda xy: xy[0].size > np.unique(xy[0]).size),
        ("an outlier", lambda xy: xy[0].size > 0 and np.max(np.abs(xy[0])) > 1e3),
    ],
)
def test_sample_pairs_produce(feature, predicate):
    find(dst.sample_pairs(), predicate, settings=SEARCH)

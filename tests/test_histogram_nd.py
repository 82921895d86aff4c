"""divergences.histogram_pair_nd and the multivariate estimators, against np.histogramdd."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import divergences as dv

LOG2 = math.log(2.0)


@st.composite
def point_pairs(draw, max_n=60, max_d=3):
    d = draw(st.integers(1, max_d), label="d")
    n = draw(st.integers(1, max_n), label="n")
    m = draw(st.integers(1, max_n), label="m")
    seed = draw(st.integers(0, 2**32 - 1), label="seed")
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (n, d))
    y = rng.normal(0.5, 2, (m, d))
    if draw(st.booleans(), label="rounded"):  # values on edges and ties
        x, y = np.round(x, 1), np.round(y, 1)
    return x, y


def pooled_edges(x, y, bins):
    """numpy's edges of each coordinate of the pooled sample."""
    pooled = np.concatenate((x, y))
    return [np.histogram_bin_edges(pooled[:, j], bins=b) for j, b in enumerate(bins)]


@given(pair=point_pairs(), data=st.data())
def test_counts_match_numpy_histogramdd(pair, data):
    x, y = pair
    d = x.shape[1]
    bins = data.draw(st.lists(st.integers(1, 7), min_size=d, max_size=d), label="bins")
    h = dv.histogram_pair_nd(x, y, bins=bins)
    edges = pooled_edges(x, y, bins)
    for got, expected in zip(h.edges, edges, strict=True):
        np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(h.counts_x, np.histogramdd(x, bins=edges)[0])
    np.testing.assert_array_equal(h.counts_y, np.histogramdd(y, bins=edges)[0])
    assert h.shape == tuple(bins)
    assert (h.dropped_x, h.dropped_y) == (0, 0)


@given(pair=point_pairs(max_d=2), lo=st.floats(-2, 0), width=st.floats(0.5, 3))
def test_counts_with_a_range_match_numpy_and_count_the_dropped(pair, lo, width):
    x, y = pair
    d = x.shape[1]
    ranges = [(lo, lo + width)] * d
    h = dv.histogram_pair_nd(x, y, bins=4, range=ranges)
    expected = np.histogramdd(x, bins=[4] * d, range=ranges)[0]
    np.testing.assert_array_equal(h.counts_x, expected)
    inside = np.all((x >= lo) & (x <= lo + width), axis=1)
    assert h.dropped_x == np.count_nonzero(~inside)


def test_explicit_edges_per_dimension_and_mixed_specs():
    rng = np.random.default_rng(70)
    x, y = rng.uniform(0, 1, (500, 2)), rng.uniform(0, 1, (400, 2))
    edges = np.array([0.0, 0.1, 0.5, 1.0])
    h = dv.histogram_pair_nd(x, y, bins=[edges, 5], range=[None, (0, 1)])
    expected = np.histogramdd(x, bins=[edges, np.linspace(0, 1, 6)])[0]
    np.testing.assert_array_equal(h.counts_x, expected)
    assert h.rule == "bins=(edges, 5)"


def test_one_column_equals_the_one_dimensional_estimate():
    rng = np.random.default_rng(71)
    x, y = rng.normal(0, 1, 1000), rng.normal(0.3, 1, 800)
    nd = dv.js_from_samples_nd(x[:, None], y[:, None], bins=16)
    one = dv.js_from_samples(x, y, bins=16)
    np.testing.assert_array_equal(nd.histogram.counts_x, one.histogram.counts_x)
    assert nd.value == one.value
    kl_nd = dv.kl_from_samples_nd(x[:, None], y[:, None], bins=16, pseudocount=0.5)
    assert kl_nd.value == dv.kl_from_samples(x, y, bins=16, pseudocount=0.5).value


def parallel_lines(theta, n, rng):
    """WGAN Example 1: P_0 = (0, Z) and P_theta = (theta, Z), Z ~ U[0, 1]."""
    x = np.column_stack([np.zeros(n), rng.uniform(size=n)])
    y = np.column_stack([np.full(n, theta), rng.uniform(size=n)])
    return x, y


def test_parallel_lines_give_log2_and_inf_once_the_gap_exceeds_a_bin():
    rng = np.random.default_rng(72)
    grid = {"bins": (40, 8), "range": [(-1.0, 1.0), (0.0, 1.0)]}  # first axis: bins 0.05 wide
    for theta in (0.06, 0.1, 0.3, 0.9):
        x, y = parallel_lines(theta, 2000, rng)
        assert dv.js_from_samples_nd(x, y, **grid).value == LOG2
        kl = dv.kl_from_samples_nd(x, y, **grid)
        assert (kl.value, kl.off_support_mass) == (math.inf, 1.0)
        test = dv.js_test_from_histogram(dv.histogram_pair_nd(x, y, **grid))
        assert test.pvalue < 1e-100
    # within one bin the lines share cells: the estimate sees sampling noise only
    x, y = parallel_lines(0.02, 2000, rng)
    near = dv.js_from_samples_nd(x, y, bias_correction="miller-madow", **grid)
    assert near.plugin < 0.01
    assert near.plugin - near.bias < 3 * math.sqrt(2 * 7) / (4 * 2000)  # chi^2_7 / 4n scale


def test_parallel_lines_on_the_pooled_range_are_always_resolved():
    # the default range spans the gap itself: any theta > 0 separates the lines
    rng = np.random.default_rng(73)
    x, y = parallel_lines(1e-9, 300, rng)
    assert dv.js_from_samples_nd(x, y, bins=(2, 4)).value == LOG2


def test_multivariate_bias_correction_and_interval():
    rng = np.random.default_rng(74)
    x, y = rng.normal(size=(3000, 2)), rng.normal(size=(3000, 2))
    est = dv.js_from_samples_nd(x, y, bins=6, bias_correction="miller-madow", ci=0.95, seed=0)
    assert 0.0 <= est.interval[0] < est.plugin < est.interval[1]
    assert est.value < est.plugin
    assert "36 bins" in repr(est)
    assert isinstance(est.edges, tuple)


def test_nonfinite_points_raise_or_are_dropped():
    x = np.array([[0.0, 1.0], [np.nan, 0.5], [0.2, np.inf], [0.3, 0.3]])
    y = np.array([[0.1, 0.2], [0.4, 0.9]])
    with pytest.raises(ValueError, match=r"x contains 1 NaN entry and 1 infinite entry"):
        dv.histogram_pair_nd(x, y)
    with pytest.raises(ValueError, match=r"x contains 1 NaN entry and 1 infinite entry"):
        dv.histogram_pair_nd(x, y, range=[(0, 1), (0, 1)])
    h = dv.histogram_pair_nd(x, y, bins=2, nonfinite="omit")
    assert (h.counts_x.sum(), h.dropped_x) == (2, 2)


def test_repr_is_readable():
    h = dv.histogram_pair_nd([[0.0, 0.0], [1.0, 1.0]], [[0.5, 0.5]], bins=(2, 3))
    assert (
        repr(h)
        == "HistogramPairND(2x3 cells (bins=(2, 3)), n_x=2, n_y=1, dropped_x=0, dropped_y=0)"
    )


@pytest.mark.parametrize(
    ("x", "kwargs", "error", "message"),
    [
        (
            [0.0, 1.0],
            {},
            ValueError,
            (
                r"x must be a multivariate sample of shape \(n, d\), one point per row; got 1 "
                r"dimension\(s\) with shape \(2,\)\. For a 1-D sample use histogram_pair / "
                r"js_from_samples, or reshape it to \(n, 1\)"
            ),
        ),
        (
            np.zeros((0, 2)),
            {},
            ValueError,
            (
                r"x has shape \(0, 2\); a multivariate sample needs at least one point and one "
                r"dimension"
            ),
        ),
        (
            np.zeros((3, 1)),
            {},
            ValueError,
            (
                r"x has 1 dimension\(s\) \(columns\) and y has 2; both samples must be "
                r"points of the "
                r"same space"
            ),
        ),
        (
            np.zeros((3, 2)),
            {"bins": "auto"},
            TypeError,
            (
                r"bins='auto': the multivariate histogram takes an integer \(bins per "
                r"dimension\) or "
                r"a sequence of 2 integers or edge arrays, not a rule name"
            ),
        ),
        (
            np.zeros((3, 2)),
            {"bins": (3, 4, 5)},
            ValueError,
            (
                r"bins has 3 entries but the samples have 2 dimension\(s\); give one entry \(an "
                r"integer or edges\) per dimension"
            ),
        ),
        (
            np.zeros((3, 2)),
            {"bins": np.arange(4.0)},
            ValueError,
            (
                r"bins is a single array but the samples have 2 dimensions; pass a sequence of 2 "
                r"edge arrays"
            ),
        ),
        (
            np.zeros((3, 2)),
            {"bins": 2.5},
            TypeError,
            (
                r"bins must be an integer or a sequence of 2 integers or edge arrays; got 2\.5 of "
                r"type float"
            ),
        ),
        (
            np.zeros((3, 2)),
            {"bins": ("fd", 3)},
            TypeError,
            r"bins entry 'fd': each dimension takes an integer or an edge array, not a rule name",
        ),
        (
            np.zeros((3, 2)),
            {"range": [(0, 1)]},
            ValueError,
            (
                r"range has 1 entries but the samples have 2 dimension\(s\); give one \(lo, hi\) "
                r"pair \(or None\) per dimension"
            ),
        ),
        (
            np.zeros((3, 2)),
            {"range": 5},
            TypeError,
            r"range must be None or a sequence of 2 pairs \(lo, hi\), one per dimension; got 5",
        ),
        (
            np.zeros((3, 2)),
            {"bins": [np.arange(3.0), 2], "range": [(0, 1), None]},
            ValueError,
            r"range\[0\] cannot be combined with explicit edges for dimension 0",
        ),
        (
            np.zeros((3, 2)),
            {"bins": 10_000},
            ValueError,
            (
                r"bins per dimension \(10000, 10000\) make 100000000 cells, more than 67108864 "
                r"\(2\^26\); use fewer bins per dimension"
            ),
        ),
    ],
)
def test_invalid_input_message(x, kwargs, error, message):
    y = np.zeros((2, 2))
    with pytest.raises(error, match=message):
        dv.histogram_pair_nd(x, y, **kwargs)


@pytest.mark.parametrize(
    ("function", "knn"), [(dv.js_from_samples_nd, "js_knn"), (dv.kl_from_samples_nd, "kl_knn")]
)
def test_the_default_grid_is_refused_where_its_cells_outnumber_the_points(function, knn):
    # 10 bins per axis in 6-D: 10^6 cells for 1,000 points gave 0.68 nats for one law
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(500, 6)), rng.normal(size=(500, 6))
    message = (
        rf"x has 6 dimensions: the default grid of 10 bins per dimension has 10\*\*6 cells for "
        rf"1000 points, and with more cells than points the plug-in climbs towards log 2 "
        rf"whatever the distributions\. Use {knn} \(nearest neighbours\), or pass bins= to "
        rf"choose the grid\."
    )
    with pytest.raises(ValueError, match=message):
        function(x, y)
    # bins given: the grid asked for; 4-D with more points than 10^4 cells: the default
    assert function(x, y, bins=2).histogram.n_bins == 2**6
    big = rng.normal(size=(6000, 4))
    assert function(big, big[::-1], bins=None).histogram.n_bins == 10**4
    # up to 3 dimensions the default stays, whatever the sizes
    assert function(x[:50, :3], y[:50, :3]).histogram.n_bins == 10**3

"""divergences.histogram_pair against numpy (tests/naive.py) and a by-definition count."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import divergences as dv
from divergences import _bin_rules, _kernels
from divergences import histogram as hist_module
from divergences import strategies as dst

from . import naive

RULES = ["auto", "fd", "scott", "sturges", "sqrt", "rice"]
LAYOUTS = ["contiguous", "strided", "big-endian"]


def as_dtype(a: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "int64":
        return np.round(np.clip(a, -1e6, 1e6)).astype(np.int64)
    return a.astype(dtype)


def laid_out(a: np.ndarray, layout: str) -> np.ndarray:
    if layout == "strided":
        out = np.empty(2 * a.size + 1, a.dtype)
        out[1::2] = a
        return out[1::2]
    if layout == "big-endian":
        return a.astype(a.dtype.newbyteorder(">"))
    return a


@st.composite
def typed_sample_pairs(draw, min_size=1, max_size=120):
    x, y = draw(dst.sample_pairs(min_size=min_size, max_size=max_size), label="pair")
    dtype_x = draw(st.sampled_from(["float64", "float32", "int64"]), label="dtype x")
    same = draw(st.booleans(), label="same dtype")
    dtype_y = dtype_x if same else draw(st.sampled_from(["float64", "float32"]), label="dtype y")
    layout_x = draw(st.sampled_from(LAYOUTS), label="layout x")
    layout_y = draw(st.sampled_from(LAYOUTS), label="layout y")
    return laid_out(as_dtype(x, dtype_x), layout_x), laid_out(as_dtype(y, dtype_y), layout_y)


def assert_same_histogram(h, x, y, bins, range_=None):
    counts_x, counts_y, edges = naive.histogram_pair(x, y, bins, range_)
    assert h.edges.dtype == edges.dtype
    np.testing.assert_array_equal(h.edges, edges)
    np.testing.assert_array_equal(h.counts_x, counts_x)
    np.testing.assert_array_equal(h.counts_y, counts_y)
    np.testing.assert_array_equal(h.counts_x, naive.counts_by_definition(x, edges))
    np.testing.assert_array_equal(h.counts_y, naive.counts_by_definition(y, edges))
    assert h.dropped_x == x.size - counts_x.sum()
    assert h.dropped_y == y.size - counts_y.sum()


# ---------------------------------------------------------------------------------------------
# Exactly numpy's bins
# ---------------------------------------------------------------------------------------------


@given(pair=typed_sample_pairs(), bins=st.integers(1, 70))
def test_histogram_pair_matches_numpy(pair, bins):
    x, y = pair
    assert_same_histogram(dv.histogram_pair(x, y, bins=bins), x, y, bins)


@given(
    pair=typed_sample_pairs(),
    bins=st.integers(1, 40),
    ends=st.tuples(st.floats(-20, 20), st.floats(0, 30)),
)
def test_histogram_pair_with_range_matches_numpy(pair, bins, ends):
    x, y = pair
    range_ = (ends[0], ends[0] + ends[1])
    try:
        edges = naive.histogram_pair(x, y, bins, range_)[2]
        collapsed = not (edges[1:] > edges[:-1]).all()  # numpy 2.0 returns such edges
    except ValueError:  # numpy >= 2.1: "Too many bins for data range" (float32 edges collapse)
        collapsed = True
    if collapsed:
        with pytest.raises(ValueError, match=r"would have edges that coincide in floating point"):
            dv.histogram_pair(x, y, bins=bins, range=range_)
        return
    h = dv.histogram_pair(x, y, bins=bins, range=range_)
    assert_same_histogram(h, x, y, bins, range_)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(
    ("lo", "hi", "bins"),
    [(0.0, 1.0, 10), (-3.7, 5.1, 1024), (1e3, 1e3 + 1e-2, 7), (-1e-30, 1e-30, 3), (0.1, 0.7, 3)],
)
def test_values_on_and_next_to_every_edge_land_as_in_numpy(dtype, lo, hi, bins):
    edges = np.histogram_bin_edges(np.empty(0, dtype), bins=bins, range=(lo, hi))
    values = np.concatenate(
        [edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf)]
    ).astype(dtype)
    h = dv.histogram_pair(values, values[::-1].copy(), bins=bins, range=(lo, hi))
    assert_same_histogram(h, values, values[::-1].copy(), bins, (lo, hi))
    assert h.dropped_x == 2  # one ulp below lo, one above hi


def test_maximum_lands_in_the_closed_last_bin():
    h = dv.histogram_pair([0.0, 1.0, 1.0], [0.5], bins=4)
    np.testing.assert_array_equal(h.counts_x, [1, 0, 0, 2])


@given(x=st.lists(st.floats(-5, 5), min_size=1, max_size=50), bins=st.integers(1, 20))
def test_explicit_non_uniform_edges_match_numpy(x, bins):
    x = np.array(x)
    edges = np.unique(np.concatenate(([-5.0, 5.0], np.linspace(-5, 5, bins + 1) ** 3 / 25)))
    h = dv.histogram_pair(x, x[::-1].copy(), bins=edges)
    np.testing.assert_array_equal(h.counts_x, np.histogram(x, bins=edges)[0])
    np.testing.assert_array_equal(h.edges, edges)
    assert h.rule == "explicit edges"


@given(
    spacing=st.sampled_from(["normal", "cauchy", "repeated", "tiny", "huge"]),
    bins=st.integers(1, 60),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_guide_table_places_every_value_as_a_binary_search_would(spacing, bins, seed):
    # enough values per bin that _bin_search takes its guide table, on edges of every kind:
    # quantile-like, heavy-tailed, with repeated edges (empty bins), spans of a few subnormals
    # and of nearly the whole float range; values on, next to, between and outside the edges
    rng = np.random.default_rng(seed)
    raw = rng.standard_cauchy(bins + 1) if spacing == "cauchy" else rng.normal(size=bins + 1)
    if spacing == "repeated":
        raw[: bins // 2 + 1] = raw[0]
    scale = {"tiny": 1e-320, "huge": 1e307}.get(spacing, 1.0)
    edges = np.sort(raw) * scale
    assume(edges[-1] > edges[0])
    n = _kernels.binning.GUIDE_CELLS_PER_BIN * bins * _kernels.binning.GUIDE_VALUES_PER_CELL
    on = rng.choice(edges, n // 4)
    a = np.concatenate(
        (
            on,
            np.nextafter(on, np.inf),
            np.nextafter(on, -np.inf),
            rng.uniform(edges[0], edges[-1], n // 4) if spacing != "huge" else on / 3,
            [np.nan, np.inf, -np.inf, edges[0] - abs(edges[0]) - 1.0, 2 * edges[-1] + 1.0],
        )
    )
    rng.shuffle(a)
    counts = _kernels.histogram_pair(a, edges)
    finite = a[np.isfinite(a)]
    nb = bins
    np.testing.assert_array_equal(counts[1 : nb + 1], np.histogram(finite, edges)[0])
    assert counts[0] == np.count_nonzero(finite < edges[0])
    assert counts[nb + 1] == np.count_nonzero(finite > edges[-1])
    assert (counts[nb + 2], counts[nb + 3]) == (1, 2)


@given(
    n=st.integers(1, 30_000),
    bins=st.integers(1, 200),
    kind=st.sampled_from(["normal", "cauchy", "ties", "outlier", "equal"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_wkv_quantiles_are_numpy_quantiles(n, bins, kind, seed):
    # small samples are sorted, larger ones go through the bucket selection, and samples
    # piled into a few buckets (a far outlier, heavy tails) fall back to the sort
    rng = np.random.default_rng(seed)
    y = {
        "normal": lambda: rng.normal(size=n),
        "cauchy": lambda: rng.standard_cauchy(n),
        "ties": lambda: rng.integers(0, 5, n).astype(float),
        "outlier": lambda: np.append(rng.normal(size=n - 1), 1e300),
        "equal": lambda: np.full(n, -3.5),
    }[kind]()
    expected = np.quantile(y, np.linspace(0.0, 1.0, bins + 1))
    np.testing.assert_array_equal(_kernels.wkv_quantiles(y, bins), expected)


def test_all_equal_data_get_numpy_s_half_unit_range():
    h = dv.histogram_pair(np.full(5, 3.0), np.full(2, 3.0), bins=4)
    np.testing.assert_array_equal(h.edges, [2.5, 2.75, 3.0, 3.25, 3.5])
    np.testing.assert_array_equal(h.counts_x, [0, 0, 5, 0])
    for rule in [*RULES, "quantile"]:
        h = dv.histogram_pair(np.full(5, 3.0), np.full(2, 3.0), bins=rule)
        np.testing.assert_array_equal(h.edges, [2.5, 3.5])
        np.testing.assert_array_equal(h.counts_y, [2])


# ---------------------------------------------------------------------------------------------
# Rules on the pooled sample
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES)
@given(pair=typed_sample_pairs(min_size=2))
def test_rules_match_numpy_on_the_concatenation_unless_capped(rule, pair):
    x, y = pair
    h = dv.histogram_pair(x, y, bins=rule)
    n = x.size + y.size
    assert h.n_bins <= _bin_rules.rule_cap(n)
    if np.ptp(np.concatenate([np.asarray(x, float), np.asarray(y, float)])) == 0:
        # all values equal: one bin around them. numpy's own rule can ask for ~1e15 bins
        # there (scott: the std of equal values rounds to ~1e-16), which it cannot allocate
        assert h.n_bins == 1
        assert_same_histogram(h, x, y, 1)
    elif h.rule == rule:
        assert_same_histogram(h, x, y, rule)
    else:  # a documented fallback; numpy would have given more bins, or zero width
        assert h.rule.startswith(f"{rule} -> ")


@pytest.mark.parametrize("rule", RULES)
def test_rules_match_numpy_with_a_range(rule):
    rng = np.random.default_rng(5)
    x, y = rng.normal(0, 1, 3000), rng.normal(0.5, 1.2, 2000)
    h = dv.histogram_pair(x, y, bins=rule, range=(-1.0, 2.5))
    assert h.rule == rule
    assert_same_histogram(h, x, y, rule, (-1.0, 2.5))


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("dtype", [np.int64, np.uint8])
def test_rules_on_integers_follow_the_installed_numpy_s_width_floor(rule, dtype):
    # many integers over a short span: most rules ask for a width below 1, which numpy >= 2.1
    # raises to 1 and numpy 2.0 keeps (the library follows the installed numpy; CI runs both)
    rng = np.random.default_rng(21)
    x = rng.poisson(6, 3000).astype(dtype)
    y = rng.poisson(5, 1000).astype(dtype)
    for range_ in (None, (2, 10)):
        h = dv.histogram_pair(x, y, bins=rule, range=range_)
        expected = np.histogram_bin_edges(np.concatenate([x, y]), rule, range_)
        np.testing.assert_array_equal(h.edges, expected)


def test_fd_with_one_outlier_does_not_explode():
    rng = np.random.default_rng(6)
    x = rng.normal(0, 1, 10_000)
    x[0] = 1e12
    y = rng.normal(0, 1, 10_000)
    iqr = np.subtract(*np.percentile(np.concatenate((x, y)), [75, 25]))
    numpy_bins = (x.max() - y.min()) / (2 * iqr * (20_000 ** (-1 / 3)))
    assert numpy_bins > 1e13  # what np.histogram(bins="fd") would allocate, in int64s
    h = dv.histogram_pair(x, y, bins="fd")
    assert h.n_bins <= _bin_rules.rule_cap(20_000)
    assert h.rule.startswith("fd -> quantile (outliers: fd asked for")
    # equal-mass bins keep the bulk resolved: no bin holds most of the data
    assert h.counts_y.max() < 0.1 * y.size


def _ordinary_samples():
    """Small samples on which numpy's fd is harmless: 2000-2200 of them, ten seeds per kind."""
    for seed in range(10):
        rng = np.random.default_rng([59, seed])
        for n in (10, 20, 50, 100, 300):
            yield f"N(0, 1), n = {n}", rng.normal(size=n), rng.normal(size=n)
            yield f"t(3), n = {n}", rng.standard_t(3, n), rng.standard_t(3, n)
            yield f"lognormal, n = {n}", rng.lognormal(size=n), rng.lognormal(size=n)
        duplicated = np.round(rng.normal(size=200), 1)  # a few dozen repeated values
        yield "rounded to 0.1", duplicated, np.round(rng.normal(size=150), 1)
        # a small IQR and a few moderate outliers: 500 values of sd 0.1 and 5 at +-10
        tight = np.concatenate((rng.normal(0, 0.1, 500), [-10.0, -9.0, 8.0, 9.5, 10.0]))
        yield "small IQR, 5 outliers at +-10", tight, rng.normal(0, 0.1, 300)


def test_the_fd_cap_leaves_ordinary_small_samples_alone():
    # the former cap, max(16, ceil(2 sqrt(n))), switched 11% of t(3) pairs of 20 + 20 values to
    # equal-mass bins, 71% at 300 + 300, and every "small IQR" case here (numpy asks 638 bins,
    # the cap was 57)
    for what, x, y in _ordinary_samples():
        h = dv.histogram_pair(x, y, bins="fd")
        assert h.rule == "fd", what
        assert_same_histogram(h, x, y, "fd")


def test_the_fd_cap_still_fires_on_a_pathological_width():
    # 1000 values within 1e-9 of 0 and one at 1e6: numpy's fd asks for ~4e15 bins
    rng = np.random.default_rng(60)
    x = np.concatenate((rng.normal(0, 1e-9, 1000), [1e6]))
    y = rng.normal(0, 1e-9, 1000)
    h = dv.histogram_pair(x, y, bins="fd")
    assert h.rule.startswith("fd -> quantile (outliers: fd asked for ")
    assert h.rule.endswith(f"bins, cap {_bin_rules.rule_cap(2001)})")
    assert _bin_rules.rule_cap(2001) == 20_010
    assert h.n_bins == math.ceil(2 * 2001 ** (1 / 3))  # equal-mass bins: the bulk stays resolved
    # a batch holding that pair takes twice the square-root rule, as before the cap changed
    batch = dv.histogram_pair(
        np.stack([x, x]), np.stack([y, np.append(y, 0.0)[:-1]]), bins="fd", axis=1
    )
    assert batch.n_bins == math.ceil(2 * math.sqrt(2001))


def test_fd_with_zero_iqr_falls_back_to_sturges():
    x = np.array([0.0] * 30 + [1.0, 2.0, 3.0])
    h = dv.histogram_pair(x, x, bins="fd")
    assert h.rule == "fd -> sturges (the fd width is 0)"
    np.testing.assert_array_equal(
        h.edges, np.histogram_bin_edges(np.concatenate((x, x)), "sturges")
    )


@pytest.mark.parametrize(
    ("limits_fd", "n_edges"),
    # np.histogram_bin_edges([0, 0, 0, 0, 1], "auto"): the fd width is 0; numpy 2.2.6 falls back
    # to sturges (4 bins), numpy 2.3+ takes max(0, sqrt / 2) (5 bins). Observed with both.
    [(False, 5), (True, 6)],
)
def test_auto_follows_the_installed_numpy_s_definition(monkeypatch, limits_fd, n_edges):
    monkeypatch.setattr(_bin_rules, "NUMPY_AUTO_LIMITS_FD", limits_fd)
    h = dv.histogram_pair(np.zeros(2), np.array([0.0, 0.0, 1.0]), bins="auto")
    np.testing.assert_array_equal(h.edges, np.linspace(0.0, 1.0, n_edges))
    installed = tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 3)
    if limits_fd == installed:
        np.testing.assert_array_equal(h.edges, np.histogram_bin_edges([0, 0, 0, 0, 1.0], "auto"))


def test_quantile_rule_gives_equal_mass_bins():
    rng = np.random.default_rng(7)
    x, y = rng.standard_cauchy(4000), rng.standard_cauchy(4000)
    h = dv.histogram_pair(x, y, bins="quantile")
    k = math.ceil(2 * 8000 ** (1 / 3))
    assert h.n_bins == k
    pooled = h.counts_x + h.counts_y
    assert pooled.max() - pooled.min() <= 2
    np.testing.assert_array_equal(
        h.edges[1:-1], np.quantile(np.concatenate((x, y)), np.arange(1, k) / k)
    )


@given(
    values=st.lists(
        st.one_of(st.sampled_from([0.0, -0.0, 1.5, -2.0]), st.floats(-1e300, 1e300)),
        min_size=1,
        max_size=60,
    ),
    split=st.integers(0, 60),
    data=st.data(),
)
def test_order_statistic_kernel_matches_sorting(values, split, data):
    values = np.array(values)
    x, y = values[: split % values.size + 1], values[split % values.size + 1 :]
    rank = data.draw(st.integers(0, values.size - 1), label="rank")
    expected = np.sort(values)[rank]
    assert _bin_rules.pooled_order_statistic(x, y, -np.inf, np.inf, rank) == expected


@given(
    values=st.lists(
        st.one_of(st.sampled_from([0.0, -0.0, 1.5, -2.0, np.nan]), st.floats(-1e300, 1e300)),
        min_size=1,
        max_size=300,
    ),
    split=st.integers(0, 300),
    window=st.sampled_from([(-np.inf, np.inf), (-2.0, 1.5), (0.0, 0.0), (-1e300, 0.0)]),
    n_buckets=st.integers(1, 70),
    data=st.data(),
)
def test_bucket_selection_matches_sorting_or_declines(values, split, window, n_buckets, data):
    values = np.array(values)
    x, y = values[: split % values.size + 1], values[split % values.size + 1 :]
    lo, hi = window
    inside = np.sort(values[(lo <= values) & (values <= hi)])
    assume(inside.size > 0)
    ranks = np.array(
        sorted(data.draw(st.lists(st.integers(0, inside.size - 1), min_size=1), label="ranks"))
    )
    lo, hi = (inside[0], inside[-1]) if np.isinf(window).any() else window
    keep = data.draw(st.sampled_from([0, 5, values.size]), label="keep")
    ok, found = _kernels.histogram_pair_select(x, y, lo, hi, ranks, n_buckets, keep)
    if ok:
        np.testing.assert_array_equal(found, inside[ranks])
    else:  # declined: a zero or overflowing width, or more than `keep` values to copy
        with np.errstate(divide="ignore", over="ignore"):
            width_ok = hi > lo and 0.0 < np.float64(n_buckets) / (hi - lo) < np.inf
        assert keep < values.size or not width_ok


def test_bucket_selection_copies_only_the_wanted_buckets():
    # one million spread values and four ranks: accepted with at most SELECT_KEEP copied
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=600_000), rng.normal(1.0, 2.0, 400_000)
    pooled = np.sort(np.concatenate((x, y)))
    ranks = np.array([249_999, 250_000, 749_999, 750_000])
    ok, found = _kernels.histogram_pair_select(
        x, y, pooled[0], pooled[-1], ranks, _bin_rules.SELECT_BUCKETS, 1000
    )
    assert ok
    np.testing.assert_array_equal(found, pooled[ranks])


@pytest.mark.parametrize("keep", [0, _bin_rules.SELECT_KEEP])  # radix selection, bucket selection
@pytest.mark.parametrize("rule", ["auto", "fd"])
@given(pair=typed_sample_pairs(min_size=2))
def test_quartiles_without_a_pooled_copy_are_numpy_s(keep, rule, pair):
    # above QUARTILE_COPY_LIMIT pooled values the quartiles come from a selection without a
    # copy: the bins are still numpy's on the concatenation
    x, y = pair
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_bin_rules, "QUARTILE_COPY_LIMIT", 0)
        patch.setattr(_bin_rules, "SELECT_KEEP", keep)
        h = dv.histogram_pair(x, y, bins=rule)
    if h.rule == rule:
        assert_same_histogram(h, x, y, rule)
    else:  # a documented fallback, as with the pooled copy
        assert h.rule.startswith(f"{rule} -> ")


# ---------------------------------------------------------------------------------------------
# Kernels: parallel == serial, every dtype
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32", "uint16"])
def test_parallel_kernels_equal_serial(dtype):
    rng = np.random.default_rng(8)
    x = rng.normal(0, 50, 10_001) if dtype != "uint16" else rng.integers(0, 999, 10_001)
    x = x.astype(dtype)
    y = x[::-3].copy()
    edges = np.linspace(float(min(x.min(), y.min())), float(max(x.max(), y.max())), 33)
    for a in (x, y):
        serial = _kernels.histogram_pair(a, edges)
        for chunks in (1, 3, 8):
            np.testing.assert_array_equal(
                serial, _kernels.histogram_pair_parallel(a, edges, chunks)
            )
            parallel_range = _kernels.histogram_pair_range_parallel(a, chunks)
            assert parallel_range == _kernels.histogram_pair_range(a)
        np.testing.assert_array_equal(serial[1:-3], np.histogram(a, edges)[0])


RANGE_DTYPES = ["float64", "float32", "int8", "int64", "uint8", "uint64"]
# (-nan: a NaN with its sign bit set, which float64's keyed min/max finds as the minimum)
SPECIALS = [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0]


def assert_range_is_numpy_s(a: np.ndarray) -> None:
    """The range kernels give nanmin, nanmax (as float64), the NaN count and "has a number"."""
    values = np.asarray(a)
    lo, hi, n_nan, found = _kernels.histogram_pair_range(a)
    nan = np.isnan(values) if values.dtype.kind == "f" else np.zeros(values.size, bool)
    assert n_nan == nan.sum()
    assert found == (not nan.all())
    if found:
        # == cannot see the sign of a zero: [0.0, -0.0] may give -0.0 where numpy gives 0.0
        # (either is a valid minimum, and the bins are the same)
        assert lo == float(np.nanmin(values))
        assert hi == float(np.nanmax(values))
    for chunks in (1, 3):
        assert _kernels.histogram_pair_range_parallel(a, chunks) == (lo, hi, n_nan, found)


@given(
    dtype=st.sampled_from(RANGE_DTYPES),
    layout=st.sampled_from(["contiguous", "strided"]),
    size=st.integers(0, 600),
    seed=st.integers(0, 2**32 - 1),
    specials=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(SPECIALS)), max_size=4
    ),
)
def test_range_kernel_is_numpy_nanmin_nanmax_and_counts_nan(dtype, layout, size, seed, specials):
    # contiguous arrays take a vectorised min/max (whose main loop starts at 32 float64 values
    # and 256 int8 ones) that returns NaN if any value is NaN, then the scalar pass: NaN,
    # infinities and zeros planted anywhere, and integers over the dtype's whole range (so an
    # unsigned dtype has values on both sides of its top bit), must give numpy's answer
    rng = np.random.default_rng(seed)
    if dtype.startswith("float"):
        values = (rng.standard_normal(size) * 10.0 ** rng.integers(-30, 30)).astype(dtype)
        for where, special in specials:
            if size:
                values[int(where * size)] = special
    else:
        info = np.iinfo(dtype)
        values = rng.integers(info.min, info.max, size, dtype=dtype, endpoint=True)
    assert_range_is_numpy_s(laid_out(values, layout))


@pytest.mark.parametrize("dtype", RANGE_DTYPES)
@pytest.mark.parametrize("size", [1, 2, 7, 8, 9, 31, 32, 33, 64, 65, 255, 256, 257, 1000])
def test_range_kernel_at_every_simd_boundary(dtype, size):
    # every size around the vector loops' widths, with the extremes and a NaN at the first, a
    # middle and the last position; unsigned values straddle the top bit, where a signed
    # compare would take 2**(bits-1) for a negative number
    rng = np.random.default_rng(size)
    if dtype.startswith("float"):
        base = rng.standard_normal(size).astype(dtype)
        places = sorted({0, size // 2, size - 1})
        for where in places:
            values = base.copy()
            values[where] = np.nan
            assert_range_is_numpy_s(values)
            values[where] = -np.nan
            assert_range_is_numpy_s(values)
            values[where] = -np.inf
            assert_range_is_numpy_s(values)
        assert_range_is_numpy_s(base)
        return
    info = np.iinfo(dtype)
    half = (int(info.max) + int(info.min) + 1) // 2  # the top bit of an unsigned dtype
    low = rng.integers(info.min, half, size, dtype=dtype, endpoint=False)
    high = rng.integers(half, info.max, size, dtype=dtype, endpoint=True)
    for where in sorted({0, size // 2, size - 1}):
        values = low.copy()
        values[where] = high[where]
        assert_range_is_numpy_s(values)
        values = high.copy()
        values[where] = low[where]
        assert_range_is_numpy_s(values)


def test_large_input_takes_the_parallel_path_and_agrees(monkeypatch):
    rng = np.random.default_rng(9)
    x, y = rng.normal(0, 1, 5000), rng.normal(0.5, 1.2, 7000)
    serial = dv.histogram_pair(x, y, bins=64)
    monkeypatch.setattr(hist_module, "PARALLEL_MIN_SAMPLES", 100)
    monkeypatch.setattr(hist_module, "_threads", lambda: 2)
    parallel = dv.histogram_pair(x, y, bins=64)
    np.testing.assert_array_equal(serial.counts_x, parallel.counts_x)
    np.testing.assert_array_equal(serial.counts_y, parallel.counts_y)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_batch_kernel_edges_are_numpy_linspace(dtype):
    rng = np.random.default_rng(10)
    lo = (rng.normal(0, 1e3, 50)).astype(dtype)
    hi = lo + np.abs(rng.normal(0, 10, 50)).astype(dtype) + np.array(1, dtype)
    edges = np.empty((50, 17), dtype)
    _kernels.histogram_pair_batch(np.zeros((50, 1)), np.zeros((50, 1)), lo, hi, edges)
    for i in range(50):
        np.testing.assert_array_equal(edges[i], np.linspace(lo[i], hi[i], 17))


# ---------------------------------------------------------------------------------------------
# Batches
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("range_", [None, (-6.0, 6.0)])
def test_batch_kernels_follow_the_thread_policy(monkeypatch, range_):
    """Busy machine ("never"): the serial twins, the same counts; "always": the parallel ones."""
    from divergences._kernels import binning, threads

    rng = np.random.default_rng(12)
    x, y = rng.normal(size=(300, 200)), rng.normal(0.5, 1.0, (300, 200))
    twins = ("_batch_rows_parallel", "_batch_rows_shared_parallel")
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "never")
    for name in twins:  # must not be reached
        monkeypatch.setattr(binning, name, None)
    serial = dv.js_from_samples(x, y, bins=32, range=range_, axis=1).value
    monkeypatch.undo()
    monkeypatch.setattr(threads, "PARALLEL_POLICY", "always")
    if threads.thread_count() < 2:
        pytest.skip("numba runs one thread here")
    parallel = dv.js_from_samples(x, y, bins=32, range=range_, axis=1).value
    np.testing.assert_array_equal(parallel, serial)
    for name in twins:
        monkeypatch.setattr(binning, name, None)
    with pytest.raises(TypeError, match="'NoneType' object is not callable"):
        dv.js_from_samples(x, y, bins=32, range=range_, axis=1)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@pytest.mark.parametrize("bins", [1, 32, "sturges", "auto"])
def test_batch_equals_one_pair_at_a_time(dtype, bins):
    rng = np.random.default_rng(11)
    x = as_dtype(rng.normal(0, 3, (20, 150)), dtype)
    y = as_dtype(rng.normal(1, 4, (20, 90)), dtype)
    x[3] = x[3, 0]  # an all-equal row pair
    y[3] = x[3, 0]
    h = dv.histogram_pair(x, y, bins=bins, axis=1)
    n_bins = h.n_bins
    for i in range(20):
        one = dv.histogram_pair(x[i], y[i], bins=n_bins)
        np.testing.assert_array_equal(h.edges[i], one.edges)
        np.testing.assert_array_equal(h.counts_x[i], one.counts_x)
        np.testing.assert_array_equal(h.counts_y[i], one.counts_y)
    if isinstance(bins, str):
        counts = [dv.histogram_pair(x[i], y[i], bins=bins).n_bins for i in range(20)]
        assert n_bins == max(counts)


def test_batch_with_range_and_with_edges_shares_them():
    rng = np.random.default_rng(12)
    x, y = rng.normal(0, 1, (5, 100)), rng.normal(0, 1, (5, 80))
    h = dv.histogram_pair(x, y, bins=8, range=(-1, 1), axis=1)
    np.testing.assert_array_equal(h.edges[4], np.linspace(-1, 1, 9))
    np.testing.assert_array_equal(h.counts_x[2], np.histogram(x[2], 8, (-1, 1))[0])
    np.testing.assert_array_equal(h.dropped_y, 80 - h.counts_y.sum(axis=1))
    edges = np.array([-2.0, -0.5, 0.0, 3.0])
    h = dv.histogram_pair(x, y, bins=edges, axis=-1)
    np.testing.assert_array_equal(h.counts_y[1], np.histogram(y[1], edges)[0])


# ---------------------------------------------------------------------------------------------
# Ranges, dropped values, non-finite values
# ---------------------------------------------------------------------------------------------


def test_values_outside_range_are_dropped_and_counted():
    h = dv.histogram_pair([-1.0, 0.0, 0.5, 1.0, 2.0], [0.25, 7.0], bins=2, range=(0, 1))
    np.testing.assert_array_equal(h.counts_x, [1, 2])
    assert (h.dropped_x, h.dropped_y) == (2, 1)


def test_nonfinite_omit_drops_and_counts_them():
    x = np.array([0.0, np.nan, 1.0, np.inf, 2.0])
    y = np.array([-np.inf, 1.0])
    h = dv.histogram_pair(x, y, bins=2, nonfinite="omit")
    np.testing.assert_array_equal(h.edges, [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(h.counts_x, [1, 2])
    assert (h.dropped_x, h.dropped_y) == (2, 1)
    h = dv.histogram_pair(x, y, bins="sturges", nonfinite="omit")
    assert h.n_bins == np.histogram_bin_edges([0.0, 1.0, 2.0, 1.0], "sturges").size - 1


def test_repr_is_readable():
    h = dv.histogram_pair([0.0, 1.0], [1.0], bins=2)
    assert repr(h) == "HistogramPair(2 bins (bins=2), n_x=2, n_y=1, dropped_x=0, dropped_y=0)"


# ---------------------------------------------------------------------------------------------
# Errors: every message, asserted
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"x": []}, ValueError, r"x is empty; a divergence needs at least one sample value"),
        (
            {"y": np.empty((2, 0)), "x": np.ones((2, 3)), "axis": 1},
            ValueError,
            r"y is empty \(each row is empty\)",
        ),
        (
            {"x": np.ones((2, 2, 2))},
            ValueError,
            r"x has shape \(2, 2, 2\), which is not one sample",
        ),
        (
            {"x": np.ones((2, 2, 2)), "y": np.ones((2, 2)), "axis": 1},
            ValueError,
            r"axis=1 asks for a batch of pairs: x must be 2-D, one sample per row \(axis=1\) or "
            r"per column \(axis=0\); got shape \(2, 2, 2\)",
        ),
        (
            {"x": np.ones((2, 3)), "y": np.ones(3), "axis": 0},
            ValueError,
            r"axis=0 asks for a batch of pairs: y must be 2-D",
        ),
        (
            {"x": np.ones((2, 3)), "y": np.ones((2, 3)), "axis": 2},
            ValueError,
            r"axis 2 is out of range for the 2-D batch x; use axis=1 \(or -1\)",
        ),
        (
            {"axis": 1.0},
            TypeError,
            r"axis must be None \(x and y are one sample each\) or an integer .* got 1.0 of type "
            r"float",
        ),
        ({"x": ["a"]}, TypeError, r"x must be an array of real numbers; got dtype <U1"),
        (
            {"x": np.ones((2, 3))},
            ValueError,
            r"x has shape \(2, 3\), which is not one sample: a 2-D array is read as one sample "
            r"only when it is a column \(n, 1\) or a row \(1, n\). For one sample of all its "
            r"values pass x.ravel\(\); for multivariate points \(one per row\) use "
            r"js_from_samples_nd / kl_from_samples_nd \(histograms, up to 3 dimensions\) or "
            r"kl_knn; for a batch of independent pairs pass axis=1",
        ),
        (
            {"x": np.ones((2, 3)), "y": np.ones((3, 3)), "axis": 1},
            ValueError,
            r"x holds 2 samples \(rows\) and y holds 3",
        ),
        (
            {"x": [0.0, np.nan, np.nan]},
            ValueError,
            r"x contains 2 NaN entries; samples must be finite.* nonfinite='omit'",
        ),
        ({"y": [np.inf, 1.0]}, ValueError, r"y contains 1 infinite entry; samples must be finite"),
        (
            {"y": [np.nan, np.inf], "range": (0, 1)},
            ValueError,
            r"y contains 1 NaN entry and 1 infinite entry",
        ),
        ({"y": [np.nan], "bins": [0.0, 1.0]}, ValueError, r"y contains 1 NaN entry"),
        (
            {"bins": "doane"},
            ValueError,
            r"bins='doane' is not a known rule; use one of 'auto', 'fd'",
        ),
        (
            {"bins": 2.5},
            TypeError,
            r"bins must be an integer, a rule name or an array of edges; got 2.5",
        ),
        ({"bins": True}, TypeError, r"got True of type bool"),
        ({"bins": 0}, ValueError, r"bins must be a positive number of bins; got 0"),
        (
            {"bins": [1.0]},
            ValueError,
            r"bins as an array must be 1-D edges with at least 2 entries",
        ),
        ({"bins": [0.0, np.inf]}, ValueError, r"bins has 1 non-finite entry; edges must be finite"),
        (
            {"bins": [0.0, 2.0, 1.0]},
            ValueError,
            r"bins must increase strictly; edge 2 \(1.0\) is not above edge 1",
        ),
        (
            {"bins": [0.0, 1.0], "range": (0, 1)},
            ValueError,
            r"range cannot be combined with explicit bin edges",
        ),
        ({"range": (1, 0)}, ValueError, r"range must satisfy lo <= hi; got \(1, 0\)"),
        ({"range": (0, np.inf)}, ValueError, r"range must be finite; got \(0, inf\)"),
        (
            {"range": 5},
            TypeError,
            r"range must be None or a pair \(lo, hi\) of real numbers; got 5",
        ),
        ({"nonfinite": "drop"}, ValueError, r"nonfinite must be 'raise' or 'omit'; got 'drop'"),
        (
            {"bins": 10**6, "range": (1.0, 1.0 + 1e-12)},
            ValueError,
            r"1000000 bins over the range \[1.0, 1.000000000001\] would have edges that coincide",
        ),
        (
            {"x": np.ones((2, 3)), "y": np.ones((2, 3)), "bins": "quantile", "axis": 1},
            ValueError,
            r"bins='quantile' is not available for a batch",
        ),
        (
            {"x": [np.nan], "y": [np.inf], "nonfinite": "omit"},
            ValueError,
            r"x and y have no finite value between them",
        ),
    ],
)
def test_invalid_input_message(kwargs, error, message):
    args = {"x": [0.0, 1.0], "y": [0.5, 2.0]}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        dv.histogram_pair(args.pop("x"), args.pop("y"), **args)


def test_too_many_bins_in_a_batch_message():
    x = np.full((2, 3), 1.0)
    x[1] = [1.0, 1.0 + 2e-16, 1.0 + 4e-16]
    with pytest.raises(ValueError, match=r"1000 bins over the range \[1.0, 1.0000000000000004\]"):
        dv.histogram_pair(x, x, bins=1000, axis=1)


def test_coinciding_edges_are_an_error_where_numpy_does_not_raise(monkeypatch):
    # numpy 2.0 returns edges that coincide instead of raising "Too many bins for data range"
    # (2.1 raises); the check must not depend on which numpy is installed
    def numpy_2_0_edges(a, bins, range):
        return np.linspace(range[0], range[1], bins + 1)

    monkeypatch.setattr(hist_module.np, "histogram_bin_edges", numpy_2_0_edges)
    with pytest.raises(ValueError, match=r"1000000 bins over the range \[1.0, 1.000000000001\]"):
        dv.histogram_pair(np.ones(3), np.ones(3), bins=10**6, range=(1.0, 1.0 + 1e-12))


@pytest.mark.parametrize("rule", ["auto", "fd", "sturges", "sqrt", "scott", "rice"])
@pytest.mark.parametrize("x", [[2e-323], [2e-323, 5e-324]])
def test_rules_on_a_subnormal_range_give_numpys_bins(rule, x):
    # widths underflow to 0 (a zero width falls back to sturges, and when sturges' is 0 too
    # numpy's single bin is taken), with no divide-by-zero warning (pytest makes it an error)
    x, y = np.array(x), np.array([1.5e-323])
    h = dv.histogram_pair(x, y, bins=rule)
    if h.rule == rule:
        assert np.array_equal(h.edges, np.histogram_bin_edges(np.concatenate((x, y)), rule))
    else:
        assert h.rule == f"{rule} -> sturges (the {rule} width is 0)"
        assert np.array_equal(h.edges, np.histogram_bin_edges(np.concatenate((x, y)), "sturges"))


# ---------------------------------------------------------------------------------------------
# Shapes: one sample unless the call asks for a batch
# ---------------------------------------------------------------------------------------------


@given(
    st.integers(1, 40),
    st.integers(1, 40),
    st.sampled_from(["1d", "column", "row"]),
    st.sampled_from(["1d", "column", "row"]),
)
def test_a_column_or_a_row_is_one_sample(n_x, n_y, shape_x, shape_y):
    rng = np.random.default_rng(n_x * 100 + n_y)
    x, y = rng.normal(size=n_x), rng.normal(0.5, 1.0, n_y)
    shaped = {"1d": lambda a: a, "column": lambda a: a[:, None], "row": lambda a: a[None, :]}
    for function in (dv.histogram_pair, dv.js_from_samples, dv.kl_from_samples):
        a = function(shaped[shape_x](x), shaped[shape_y](y), bins=8)
        b = function(x, y, bins=8)
        assert repr(a) == repr(b)
        assert np.array_equal(a.edges, b.edges)


@given(st.integers(2, 6), st.integers(2, 30), st.sampled_from([0, 1, -1, -2]))
def test_a_batch_along_either_axis_is_one_pair_per_sample(n_pairs, n, axis):
    rng = np.random.default_rng(n_pairs * 1000 + n)
    x, y = rng.normal(size=(n_pairs, n)), rng.normal(0.3, 1.0, (n_pairs, n + 3))
    along = (lambda a: a) if axis % 2 == 1 else (lambda a: a.T)
    h = dv.histogram_pair(along(x), along(y), bins=5, axis=axis)
    estimate = dv.js_from_samples(along(x), along(y), bins=5, axis=axis)
    assert h.counts_x.shape == (n_pairs, 5)
    for i in range(n_pairs):
        one = dv.histogram_pair(x[i], y[i], bins=5)
        assert np.array_equal(h.counts_x[i], one.counts_x)
        assert np.array_equal(h.counts_y[i], one.counts_y)
        assert estimate.value[i] == dv.js_from_samples(x[i], y[i], bins=5).value


@given(st.integers(2, 50), st.integers(2, 8))
def test_a_matrix_is_never_silently_several_estimates(n, d):
    x = np.zeros((n, d))
    for function in (dv.histogram_pair, dv.js_from_samples, dv.kl_from_samples, dv.js_test):
        with pytest.raises(ValueError, match=r"which is not one sample.*x\.ravel\(\).*axis=1"):
            function(x, np.zeros(n))
        with pytest.raises(ValueError, match=r"y has shape .* which is not one sample"):
            function(np.zeros(n), x)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: dv.js_from_samples(np.arange(9, dtype=np.longdouble), [1.0, 2.0]),
            TypeError,
            r"^x has dtype float128 \(extended precision\), which the compiled kernels cannot "
            r"read; convert it with x.astype\(np.float64\), which rounds each value to double "
            r"precision.$",
        ),
        (
            lambda: dv.histogram_pair([0.0, 1.0], np.array([0, 2**63], dtype=np.uint64)),
            ValueError,
            r"^y holds integers up to 9223372036854775808, beyond 2\*\*53, where float64 \(in "
            r"which bin edges are computed and values compared\) cannot tell neighbours apart",
        ),
        (
            lambda: dv.js_from_samples([-1.7e308, 0.0], [1.7e308, 1.0]),
            ValueError,
            r"^the range \[-1.7e\+308, 1.7e\+308\] is wider than the largest float "
            r"\(1.7e\+308 - -1.7e\+308 overflows\), so no bin width can be computed; rescale",
        ),
        (
            lambda: dv.kl_from_samples([-1.7e308, 0.0, 3.0], [1.7e308, 1.0]),
            ValueError,
            r"^the range \[-1.7e\+308, 1.7e\+308\] is wider than the largest float",
        ),
        (
            lambda: dv.histogram_pair([0.0], [1.0], bins=[-1.7e308, 0.0, 1.7e308]),
            ValueError,
            r"^the range \[-1.7e\+308, 1.7e\+308\] is wider than the largest float",
        ),
        (
            lambda: dv.js_from_samples([0.0, 1.0], [2.0], bins=10**12),
            ValueError,
            r"^bins=1000000000000 would need 1.49e\+04 GiB for its edges and counts; at most "
            r"268435456 bins are allowed. Use fewer bins.$",
        ),
    ],
)
def test_inputs_the_kernels_cannot_take_get_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_batch_of_zero_pairs_gives_empty_results():
    empty = np.empty((0, 5))
    for function in (dv.js_from_samples, dv.kl_from_samples):
        assert function(empty, empty, bins=4, axis=1).value.shape == (0,)
    assert dv.histogram_pair(empty, empty, bins=4, axis=1).counts_x.shape == (0, 4)

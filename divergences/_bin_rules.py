r"""The bin rules on the pooled sample, from statistics read without pooling the samples.

numpy's rules ("auto", "fd", "scott", "sturges", "sqrt", "rice") and equal-mass "quantile"
edges. Each rule needs a few statistics of the pooled sample (x and y together): its size, range,
standard deviation or quartiles. They are read in passes of their own with O(bins) memory, on
numpy arrays and chunk by chunk on dask arrays, and the edges equal ``np.histogram_bin_edges`` on
the concatenation. See ``docs/conventions.md`` for the rules, the cap and the fallbacks.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _compiled
from ._checks.samples import raise_too_many_bins

__all__ = ["MAX_RULE_BINS", "rule_cap", "rule_count", "rule_edges", "uniform_edges"]


#: No rule gives more bins than this (8 MiB of edges), whatever ``n``.
MAX_RULE_BINS = 1 << 20


#: A rule gives at most ``max(MIN_RULE_CAP, RULE_BINS_PER_VALUE * n)`` bins for ``n`` pooled
#: values. A width asking for more than ten bins per value leaves at least 90% of the bins empty
#: however the values fall: the range is set by a few values far from the bulk. Ordinary samples
#: never get near it (measured: ``fd`` on pooled Gaussian, Student-t(3) and lognormal samples of
#: 20 to 20,000 values asks for at most 4.4 bins per value, t(3) at 40 values; a Cauchy sample's
#: range outgrows it). Small samples get MIN_RULE_CAP (8 KiB of edges): their ptp / IQR varies
#: most.
MIN_RULE_CAP = 1024
RULE_BINS_PER_VALUE = 10


#: A batch keeps one count for all its pairs: when a rule's count exceeds the cap for some pair,
#: the batch takes ``max(BATCH_FALLBACK_MIN, ceil(2 sqrt(n)))`` bins (twice the square-root rule).
BATCH_FALLBACK_MIN = 16


#: The quantile rule sorts at most this many pooled values (8 MiB); above it, an evenly strided
#: subsample of each sample stands in for it.
QUANTILE_SAMPLE_LIMIT = 1 << 20


#: Up to this many pooled values (64 MiB as float64) the "fd" and "auto" rules take the
#: quartiles from a pooled copy; above it from the copy-free radix selection.
QUARTILE_COPY_LIMIT = 1 << 23


_NUMPY_VERSION = tuple(int(part) for part in np.__version__.split(".")[:2])
#: numpy 2.3 changed its "auto" rule from ``min(fd, sturges)`` (sturges when the fd width is 0)
#: to ``min(max(fd, sqrt / 2), sturges)``; "auto" here is the installed numpy's, so the edges
#: equal ``np.histogram_bin_edges`` on the concatenation with either.
NUMPY_AUTO_LIMITS_FD = _NUMPY_VERSION >= (2, 3)
#: numpy 2.1 made a rule's width at least 1 for integer data (before, integer data got the
#: rule's fractional width like floats); followed as installed, as above.
NUMPY_INTEGER_WIDTH_FLOOR = _NUMPY_VERSION >= (2, 1)


def typed_scalar(value: float, dtype: np.dtype[Any]) -> Any:
    """``value`` as the numpy scalar numpy's ``a.min()`` would return for the pooled sample."""
    return dtype.type(value)


def uniform_edges(n_bins: int, first: Any, last: Any, dtype: np.dtype[Any]) -> np.ndarray:
    """The edges numpy gives for ``n_bins`` bins between ``first`` and ``last`` (±0.5 if equal)."""
    try:
        edges: np.ndarray = np.histogram_bin_edges(
            np.empty(0, dtype), bins=n_bins, range=(first, last)
        )
    except ValueError:  # numpy's "Too many bins for data range" (numpy >= 2.1)
        raise_too_many_bins(n_bins, float(first), float(last))
    if not (edges[1:] > edges[:-1]).all():  # numpy 2.0 returns the coinciding edges
        raise_too_many_bins(n_bins, float(first), float(last))
    return edges


def rule_cap(n: int) -> int:
    """The most bins a rule may choose for ``n`` pooled values (``docs/conventions.md``)."""
    return min(MAX_RULE_BINS, max(MIN_RULE_CAP, RULE_BINS_PER_VALUE * n))


def batch_fallback_count(n: int) -> int:
    """The bins a batch gets from a rule whose count exceeds the cap for ``n`` pooled values."""
    return min(rule_cap(n), max(BATCH_FALLBACK_MIN, math.ceil(2.0 * math.sqrt(n))))


def is_dask(a: Any) -> bool:
    """Whether ``a`` is a dask array, told by its type's module: dask is not imported here."""
    return type(a).__module__.split(".")[0] == "dask"


# The passes of the bin rules go through these three, which run the kernel on a numpy array and
# chunk by chunk (summed in a tree reduction) on a dask array.


def _moments(a: Any, lo: float, hi: float, shift: float) -> np.ndarray:
    if is_dask(a):
        from . import dask_arrays

        return dask_arrays.moments(a, lo, hi, shift)
    return _compiled.histogram_pair_moments(a, lo, hi, shift)


def _radix_count(
    a: Any, lo: float, hi: float, shift: int, prefix: np.uint64, counts: np.ndarray
) -> None:
    if is_dask(a):
        from . import dask_arrays

        counts += dask_arrays.radix_count(a, lo, hi, shift, prefix, counts.size)
    else:
        _compiled.histogram_pair_radix_count(a, lo, hi, shift, prefix, counts)


def _strided(a: Any, stride: int) -> np.ndarray:
    if is_dask(a):
        from . import dask_arrays

        return dask_arrays.strided(a, stride)
    out: np.ndarray = a[::stride]
    return out


def _pooled_moments(
    x: np.ndarray, y: np.ndarray, lo: float, hi: float
) -> tuple[int, float, float, float]:
    """Count, min, max and population standard deviation of the pooled values in [lo, hi].

    Two passes (the mean, then squared deviations from it) as numpy's std does.
    """
    first = [_moments(a, lo, hi, 0.0) for a in (x, y)]
    n = first[0][0] + first[1][0]
    if n == 0:
        return 0, math.nan, math.nan, math.nan
    # sums of values near the float limit overflow: the standard deviation is then inf (only
    # "scott" reads it, and an infinite width falls back to "sturges"), never a warning
    with np.errstate(over="ignore", invalid="ignore"):
        mean = (first[0][3] + first[1][3]) / n
        m2 = sum(_moments(a, lo, hi, mean)[4] for a in (x, y))
        std = math.sqrt(m2 / n) if m2 == m2 else math.inf
    data_lo = min(first[0][1], first[1][1])
    data_hi = max(first[0][2], first[1][2])
    return int(n), float(data_lo), float(data_hi), std


def pooled_order_statistic(x: np.ndarray, y: np.ndarray, lo: float, hi: float, rank: int) -> Any:
    """The ``rank``-th smallest (from 0) of the pooled values of x and y in [lo, hi].

    Radix selection on the order-preserving 64-bit keys of the values, 16 bits per pass: exact
    (ties included) in four reads of both arrays and 2^16 counters, however the values are
    spread; nothing is concatenated or sorted.
    """
    counts = np.zeros(1 << 16, np.int64)
    prefix = np.uint64(0)
    remaining = rank
    for shift in (48, 32, 16, 0):
        counts[:] = 0
        _radix_count(x, lo, hi, shift, prefix, counts)
        _radix_count(y, lo, hi, shift, prefix, counts)
        cumulative = np.cumsum(counts)
        digit = int(np.searchsorted(cumulative, remaining, side="right"))
        remaining -= int(cumulative[digit - 1]) if digit else 0
        prefix = np.uint64((int(prefix) << 16) | digit)
    return _compiled.histogram_pair_key_value(prefix)


#: Buckets and the most values copied out by the bucket selection of the pooled quartiles.
SELECT_BUCKETS = 1 << 16
SELECT_KEEP = 1 << 20


def _pooled_order_statistics(
    x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: list[int]
) -> list[Any]:
    """The ascending ``ranks`` of the pooled values in [lo, hi]: bucket selection, else radix.

    The bucket selection reads each array twice for all ranks together; the radix selection
    four times per rank, but with no copy whatever the spread (dask arrays always take it).
    """
    if not (is_dask(x) or is_dask(y)):
        ok, values = _compiled.histogram_pair_select(
            x, y, lo, hi, np.array(ranks, np.int64), SELECT_BUCKETS, SELECT_KEEP
        )
        if ok:
            return [float(v) for v in values]
    return [pooled_order_statistic(x, y, lo, hi, rank) for rank in ranks]


def _pooled_percentiles(
    x: np.ndarray,
    y: np.ndarray,
    lo: float,
    hi: float,
    n: int,
    qs: tuple[float, ...],
    dtype: np.dtype[Any],
) -> list[Any]:
    """``np.percentile(pooled, q)`` (linear method) for each q, of the pooled values in [lo, hi].

    The two order statistics around each percentile come from one selection; numpy's
    interpolation is then reproduced by asking numpy for the same percentile of a tiny array
    holding those two values in the positions that give the same fractional index, so dtype
    and rounding are numpy's.
    """
    wanted = []
    for q in qs:
        below = math.floor((n - 1) * q / 100.0)
        wanted += [below, min(below + 1, n - 1)]
    order = sorted(set(wanted))
    found = dict(zip(order, _pooled_order_statistics(x, y, lo, hi, order), strict=True))
    out = []
    for q in qs:
        h = (n - 1) * q / 100.0
        below = math.floor(h)
        a, b = found[below], found[min(below + 1, n - 1)]
        # the smallest m with (m - 1) q / 100 having the same fractional part as h
        frac = h - below
        for m in range(1, 6):
            hm = (m - 1) * q / 100.0
            if hm - math.floor(hm) == frac:
                break
        k = math.floor((m - 1) * q / 100.0)
        tiny = np.array([a] * (k + 1) + [b] * (m - k - 1), dtype=dtype)
        out.append(np.percentile(tiny, q))
    return out


def _rule_width(
    rule: str,
    x: np.ndarray,
    y: np.ndarray,
    lo: float,
    hi: float,
    dtype: np.dtype[Any],
    trimmed: bool,
) -> tuple[Any, int, Any]:
    """The bin width of numpy's ``rule`` on the pooled values in [lo, hi]; also ``n`` and ptp."""
    if trimmed:
        n, data_lo, data_hi, std = _pooled_moments(x, y, lo, hi)
    else:
        n, data_lo, data_hi = x.size + y.size, lo, hi
        std = math.nan
        if rule == "scott":
            n, data_lo, data_hi, std = _pooled_moments(x, y, lo, hi)
    if n == 0:
        return 0, 0, 0
    if dtype.kind in "iu":
        ptp: Any = int(data_hi) - int(data_lo)
    else:
        ptp = typed_scalar(data_hi, dtype) - typed_scalar(data_lo, dtype)
    # numpy's expressions, with numpy scalars of numpy's dtypes, so the rounding is numpy's
    sqrt_width = ptp / np.sqrt(n)
    sturges_width = ptp / (np.log2(n) + 1.0)
    if rule == "sqrt":
        return sqrt_width, n, ptp
    if rule == "sturges":
        return sturges_width, n, ptp
    if rule == "rice":
        return ptp / (2.0 * n ** (1.0 / 3)), n, ptp
    if rule == "scott":
        std_typed = typed_scalar(std, dtype) if dtype.kind == "f" else np.float64(std)
        return (24.0 * np.pi**0.5 / n) ** (1.0 / 3.0) * std_typed, n, ptp
    q_dtype = dtype if dtype.kind == "f" else np.dtype(np.float64)
    if _copy_quartiles(x, y, trimmed):
        upper, lower = _compiled.pooled_quartiles(x, y)
        iqr = np.subtract(np.float64(upper), np.float64(lower))
    else:
        iqr = np.subtract(*_pooled_percentiles(x, y, lo, hi, n, (75.0, 25.0), q_dtype))
    with np.errstate(over="ignore"):  # an inter-quartile range near the float limit: inf
        fd_width = 2.0 * iqr * n ** (-1.0 / 3.0)
    if rule == "fd":
        return fd_width, n, ptp
    if NUMPY_AUTO_LIMITS_FD:
        return min(max(fd_width, sqrt_width / 2), sturges_width), n, ptp  # "auto"
    return (min(fd_width, sturges_width) if fd_width else sturges_width), n, ptp


def _copy_quartiles(x: Any, y: Any, trimmed: bool) -> bool:
    """Whether the quartiles come from bucket counts and a quickselect rather than radix passes.

    For float64 samples held in memory, every value binned, up to QUARTILE_COPY_LIMIT pooled
    values: two or three passes and a quickselect on a few buckets' values, or a pooled copy
    and a branch-free quickselect (a few ns a value), against 16 passes of the
    radix selection (measured 0.7-0.8x numpy's own percentile at 2^18-2^21 pooled values).
    Above the limit the radix selection keeps the memory at O(1).
    """
    return (
        not trimmed
        and isinstance(x, np.ndarray)
        and isinstance(y, np.ndarray)
        and x.dtype == np.float64
        and y.dtype == np.float64
        and x.size + y.size <= QUARTILE_COPY_LIMIT
    )


def _unsigned_subtract(a: Any, b: Any) -> Any:
    """``a - b`` as numpy's histogram computes it: in the operands' type, unsigned for ints."""
    dtype = np.result_type(a, b)
    if dtype.kind == "i":
        unsigned = np.dtype(f"u{dtype.itemsize}")
        return np.subtract(
            np.asarray(a, dtype), np.asarray(b, dtype), casting="unsafe", dtype=unsigned
        )
    return np.subtract(a, b, dtype=dtype)


def rule_count(
    rule: str,
    x: np.ndarray,
    y: np.ndarray,
    lo: float,
    hi: float,
    first: Any,
    last: Any,
    dtype: np.dtype[Any],
    trimmed: bool,
) -> tuple[int, str]:
    """Number of equal-width bins for ``rule``, capped; the label says if a fallback applied.

    A label starting with ``"quantile"`` means the count exceeded the cap: the caller switches to
    equal-mass bins (a batch takes the returned ``batch_fallback_count``).
    """
    width, n, ptp = _rule_width(rule, x, y, lo, hi, dtype, trimmed)
    if n == 0 or ptp == 0:
        return 1, rule  # nothing to resolve: numpy's single bin
    label = rule
    if not (width > 0 and math.isfinite(width)):
        what = "0" if width == 0 else "not finite"
        width, _, _ = _rule_width("sturges", x, y, lo, hi, dtype, trimmed)
        label = f"{rule} -> sturges (the {rule} width is {what})"
        if not width > 0:  # a range of a few subnormals: every width underflows; numpy's 1 bin
            return 1, rule
    if NUMPY_INTEGER_WIDTH_FLOOR and dtype.kind in "iu" and width < 1:
        width = 1
    delta = _unsigned_subtract(last, first)
    with np.errstate(over="ignore"):  # a subnormal width (a subnormal IQR): inf, over the cap
        count = float(np.ceil(delta / width))
    cap = rule_cap(n)
    if count > cap:
        label = f"{rule} -> quantile (outliers: {rule} asked for {count:.0f} bins, cap {cap})"
        return batch_fallback_count(n), label
    return int(count), label


def balanced_size(n_x: float, n_y: float) -> float:
    r"""The pooled size of the equal-size design with this design's small-sample JSD test error.

    :math:`4 (a+b)^3 a b / (3a^4 + 4a^3 b + 2a^2 b^2 + 4a b^3 + 3b^4)` for sizes ``a``, ``b``:
    ``a + b`` for equal sizes, :math:`4a/3` as ``b`` grows (derivation: Notes of
    :func:`divergences.js_test`). 0 when a sample is empty.
    """
    if n_x == n_y:
        return float(n_x + n_y)
    if n_x <= 0 or n_y <= 0:
        return 0.0
    # in proportions u + v = 1, so nothing overflows
    u, v = n_x / (n_x + n_y), n_y / (n_x + n_y)
    spread = 3 * u**4 + 4 * u**3 * v + 2 * u**2 * v**2 + 4 * u * v**3 + 3 * v**4
    return 4.0 * (n_x + n_y) * u * v / spread


def _quantile_edges(x: np.ndarray, y: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Edges at the pooled quantiles ``i / k``, ``k = ceil(2 m^(1/3))``; ends at lo and hi.

    ``m`` is the pooled size for equal sizes and ``balanced_size`` of the two sizes otherwise
    (fewer bins when one sample is much smaller: the smaller sample's count in a bin is what the
    chi-square calibration of the JSD test needs large); where only one sample has values in
    [lo, hi], their number (the equal-mass bins of that sample). Equal-mass edges need not be exact
    quantiles: above QUANTILE_SAMPLE_LIMIT pooled values an evenly strided subsample of each
    sample stands in for it, so memory stays bounded. Tied quantiles merge into one edge.
    """
    stride = max(1, math.ceil((x.size + y.size) / QUANTILE_SAMPLE_LIMIT))
    xs = _strided(x, stride).astype(np.float64)
    ys = _strided(y, stride).astype(np.float64)
    xs = xs[(xs >= lo) & (xs <= hi)]
    ys = ys[(ys >= lo) & (ys <= hi)]
    pooled = np.concatenate((xs, ys))
    n = pooled.size * stride  # the pooled values in range (estimated when subsampled)
    m = balanced_size(xs.size, ys.size) * stride if xs.size and ys.size else n
    k = min(rule_cap(n), math.ceil(2.0 * m ** (1.0 / 3.0)))
    inner = np.quantile(pooled, np.arange(1, k) / k) if k > 1 else np.empty(0)
    return np.unique(np.concatenate(([lo], inner, [hi])))


def rule_edges(
    rule: str,
    x: np.ndarray,
    y: np.ndarray,
    lo: float,
    hi: float,
    first: Any,
    last: Any,
    dtype: np.dtype[Any],
    trimmed: bool,
) -> tuple[np.ndarray, str]:
    """Edges chosen by ``rule`` on the pooled sample, and the label of what was done."""
    if rule != "quantile":
        count, label = rule_count(rule, x, y, lo, hi, first, last, dtype, trimmed)
        if not label.startswith(f"{rule} -> quantile"):
            return uniform_edges(count, first, last, dtype), label
    else:
        label = "quantile"
    edges = _quantile_edges(x, y, lo, hi)
    if edges.size < 2:  # all values equal: numpy's single bin around them
        return uniform_edges(1, first, last, dtype), label
    return edges, label

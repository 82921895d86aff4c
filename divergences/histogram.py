r"""Shared-edge histograms of two samples, and the rules that choose their bins.

Both samples are binned on the *same* edges, chosen from the pooled sample (x and y together)
without ever concatenating the two arrays: one pass over both finds the range, one fused pass
bins both, and the bin rules read the few statistics they need (size, range, standard deviation,
quartiles) in passes of their own with O(bins) memory.

Bin assignment is exactly numpy's: bin ``i`` holds ``edges[i] <= v < edges[i+1]``, the last bin
is closed, values outside the range are excluded. See ``docs/conventions.md`` for the rules, the
bin cap and the fallbacks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np

from . import _compiled, _extended
from ._checks.samples import (
    as_samples,
    check_batch_rule,
    check_bins,
    check_compute,
    check_edges_without_range,
    check_nonfinite_policy,
    check_range,
    check_range_width,
    check_sample_pair,
    raise_lazy_needs_dask,
    raise_lazy_needs_fixed_edges,
    raise_no_finite_values,
    raise_nonfinite,
    raise_too_many_bins,
)
from ._layout import pair_layout

__all__ = ["MAX_RULE_BINS", "PARALLEL_MIN_SAMPLES", "HistogramPair", "histogram_pair"]

#: No rule ever asks for more bins than ``max(MIN_RULE_CAP, ceil(2 sqrt(n)))`` nor than this, for
#: ``n`` pooled values: twice the square-root rule, the finest of the classical rules.
MAX_RULE_BINS = 1 << 20
MIN_RULE_CAP = 16
#: The quantile rule sorts at most this many pooled values (8 MiB); above it, an evenly strided
#: subsample of each sample stands in for it.
QUANTILE_SAMPLE_LIMIT = 1 << 20
#: Up to this many pooled values (64 MiB as float64) the "fd" and "auto" rules take the
#: quartiles from a pooled copy; above it from the copy-free radix selection.
QUARTILE_COPY_LIMIT = 1 << 23
#: Below this many values (x and y together) the serial kernels are used: the parallel ones cost
#: more than they save there, and their timing is erratic (measured, see benches/).
PARALLEL_MIN_SAMPLES = 1 << 18
#: Chunks per thread in the parallel kernels. numba hands each thread a contiguous block of them
#: (static scheduling), so this does not rebalance work away from a thread slowed by other load;
#: asking numba for dynamic scheduling did not help either (docs/benchmarks.md, busy machine).
CHUNKS_PER_THREAD = 4
#: numpy 2.3 changed its "auto" rule from ``min(fd, sturges)`` (sturges when the fd width is 0)
#: to ``min(max(fd, sqrt / 2), sturges)``; "auto" here is the installed numpy's, so the edges
#: equal ``np.histogram_bin_edges`` on the concatenation with either.
NUMPY_AUTO_LIMITS_FD = tuple(int(part) for part in np.__version__.split(".")[:2]) >= (2, 3)


@dataclass(frozen=True, repr=False)
class HistogramPair:
    """Counts of two samples on shared bin edges.

    For a batch (``axis`` given) every field gains a leading axis of length ``n_pairs``.

    Attributes
    ----------
    counts_x, counts_y : ndarray of int64, shape ``(n_bins,)`` or ``(n_pairs, n_bins)``
        Number of values of each sample in each bin.
    edges : ndarray, shape ``(n_bins + 1,)`` or ``(n_pairs, n_bins + 1)``
        Bin edges: float64, or float32 when both samples are float32 (as numpy computes them).
    n_x, n_y : int
        Sample sizes (values per row for a batch), including dropped values.
    dropped_x, dropped_y : int or ndarray of int64
        Values left out of the bins: outside ``range`` (or the explicit edges), or non-finite
        under ``nonfinite="omit"``. ``n_x == counts_x.sum(-1) + dropped_x``.
    rule : str
        How the bins were chosen, e.g. ``"bins=1024"``, ``"auto"``, or
        ``"fd -> quantile (outliers: fd asked for 10000000 bins, cap 64)"``.
    """

    counts_x: np.ndarray
    counts_y: np.ndarray
    edges: np.ndarray
    n_x: int
    n_y: int
    dropped_x: Any
    dropped_y: Any
    rule: str

    @property
    def n_bins(self) -> int:
        """Number of bins."""
        return int(self.counts_x.shape[-1])

    @property
    def batch(self) -> bool:
        """Whether this holds one histogram pair per row of a batch."""
        return self.counts_x.ndim == 2

    def __repr__(self) -> str:
        shape = f"{self.counts_x.shape[0]} pairs, " if self.batch else ""
        return (
            f"HistogramPair({shape}{self.n_bins} bins ({self.rule}), n_x={self.n_x}, "
            f"n_y={self.n_y}, dropped_x={self.dropped_x}, dropped_y={self.dropped_y})"
        )


@overload
def histogram_pair(
    x: Any,
    y: Any,
    *,
    bins: Any = ...,
    range: Any = ...,
    nonfinite: str = ...,
    axis: Any = ...,
    compute: Literal[True] = ...,
) -> HistogramPair: ...


@overload
def histogram_pair(
    x: Any,
    y: Any,
    *,
    bins: Any = ...,
    range: Any = ...,
    nonfinite: str = ...,
    axis: Any = ...,
    compute: bool,
) -> Any: ...


def histogram_pair(
    x: Any,
    y: Any,
    *,
    bins: Any = "auto",
    range: Any = None,
    nonfinite: str = "raise",
    axis: Any = None,
    compute: bool = True,
) -> Any:
    r"""Histograms of two samples on shared edges chosen from the pooled sample.

    Parameters
    ----------
    x, y : array_like or dask array
        Two samples (sizes may differ): 1-D, or a column ``(n, 1)`` / row ``(1, n)`` read as its
        ``n`` values. With ``axis``, two 2-D batches pairing sample ``i`` of x with sample
        ``i`` of y. float64, float32 and integer data are read in place (no copy); other real
        dtypes are converted. 1-D ``dask.array`` samples are binned chunk by chunk (Notes).
    bins : int, str or array_like, default "auto"
        Number of equal-width bins; or explicit, strictly increasing edges (uniform or not);
        or a rule evaluated on the pooled sample: ``"auto"``, ``"fd"``, ``"scott"``,
        ``"sturges"``, ``"sqrt"``, ``"rice"`` (numpy's formulas; ``"auto"`` as the installed
        numpy defines it, which changed in numpy 2.3) or ``"quantile"`` (equal-mass bins:
        ``ceil(2 n^(1/3))`` bins with edges at the pooled quantiles).
    range : (float, float), optional
        Outer edges. Default: the pooled minimum and maximum (widened by 0.5 on each side when
        all values are equal, as numpy does). Values outside are excluded and counted in
        ``dropped_x``/``dropped_y``; the rules then see only the values inside, as numpy's do.
    nonfinite : {"raise", "omit"}, default "raise"
        NaN or infinite values are an error, or (``"omit"``) are left out and counted as dropped.
    axis : int, optional
        None (default): x and y are one sample each; a 2-D array with more than one row and
        more than one column is an error (it may be multivariate: :func:`histogram_pair_nd`),
        never several histograms. An integer asks for a batch: x and y are 2-D, the samples lie
        along ``axis`` (1: one sample per row, 0: one per column), the pairs along the other.
    compute : bool, default True
        Dask input only: False returns a ``dask.delayed`` object that computes to the
        HistogramPair, so several histograms can share one ``dask.compute``. It needs edges
        fixed without reading the data (explicit edges, or an integer ``bins`` with ``range``).

    Returns
    -------
    HistogramPair
        ``counts_x``, ``counts_y``, ``edges``, sample sizes, dropped counts and the rule used
        (a ``dask.delayed`` object computing to it for ``compute=False``).

    Notes
    -----
    *Exactness.* Counts equal ``np.histogram(x, bins=edges)``: bin ``i`` is
    ``[edges[i], edges[i+1])`` and the last bin is closed. Uniform edges are numpy's own
    (``np.linspace`` of the range, in float32 when both samples are float32, as numpy does for
    float32 data). The kernel guesses a value's bin as ``int((v - lo) * nb / (hi - lo))`` and
    places by binary search on the actual edges every value whose guess lies within rounding
    distance of an edge, so a value equal to an edge, or one ulp away, lands where numpy puts
    it. Integers are compared as float64 (exact below 2**53).

    *Rules* are numpy's formulas applied to the pooled sample: its size ``n``, range, standard
    deviation and interquartile range, found without concatenating x and y (quartiles by an
    exact radix selection, so ``"fd"`` and ``"auto"`` give numpy's bins). They can never
    explode: if a rule asks for more than ``max(16, ceil(2 sqrt(n)))`` bins (an outlier far from
    the bulk, the case where ``np.histogram(bins="fd")`` allocates gigabytes), the spread is
    dominated by outliers and the equal-mass ``"quantile"`` rule is used instead; if a rule's
    width is zero while the data are not all equal (``"fd"`` when more than half the values
    tie), ``"sturges"`` is used. ``rule`` on the result says which. All-equal data give one
    bin (numpy's behaviour).

    *Batches* (``axis`` given). Each pair gets its own range (its pooled min and max) unless
    ``range`` is given; the number of bins is shared: an integer, or the largest count the
    rule gives any pair.

    *Dask arrays* (1-D; dask is imported only when one is passed). Every pass over the data
    runs the same kernel on each chunk and adds the per-chunk results in a tree reduction, on
    the active dask scheduler (a ``dask.distributed`` client if there is one): counts, edges
    and rules equal the in-memory ones (``"scott"``'s standard deviation up to rounding). The
    histogram is computed and returned, as for numpy input. Each pass reads the chunks again:
    one pass with ``range`` or edges, two with an integer ``bins`` and no range, 18 for
    ``"auto"`` or ``"fd"`` (the exact quartiles take 16). See ``docs/scale.md``.

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> h = dv.histogram_pair([0.0, 1.0, 2.0, 3.0], [2.0, 3.0, 4.0], bins=4)
    >>> h.edges
    array([0., 1., 2., 3., 4.])
    >>> h.counts_x, h.counts_y
    (array([1, 1, 1, 1]), array([0, 0, 1, 2]))
    >>> dv.histogram_pair([0.5, 1.5, 9.0], [1.0], bins=2, range=(0, 2)).dropped_x
    1
    """
    lazy = not check_compute(compute)
    x, y = pair_layout(x, y, axis)
    kind, spec = check_bins(bins)
    range_ = check_range(range)
    policy = check_nonfinite_policy(nonfinite)
    if kind == "edges":
        check_edges_without_range(range_)
    if _is_dask(x) or _is_dask(y):
        return _dask_histogram(x, y, kind, spec, range_, policy, lazy, bins)
    if lazy:
        raise_lazy_needs_dask()
    xs = as_samples(x, "x")
    ys = as_samples(y, "y")
    check_sample_pair(xs, ys)
    if xs.ndim == 2:
        return _batch_histogram(xs, ys, kind, spec, range_, policy)
    return _single_histogram(xs, ys, kind, spec, range_, policy)


def _dask_histogram(
    x: Any,
    y: Any,
    kind: str,
    spec: Any,
    range_: tuple[float, float] | None,
    policy: str,
    lazy: bool,
    bins: Any,
) -> Any:
    """The histogram of two 1-D samples, either a dask array (:mod:`divergences.dask_arrays`).

    Computed, or with ``lazy`` a ``dask.delayed`` object computing to it (edges fixed without
    reading the data only). Every pass of the rules runs chunk by chunk.
    """
    from . import dask_arrays

    xs, ys = dask_arrays.samples(x, y)
    if lazy and not (kind == "edges" or (kind == "count" and range_ is not None)):
        raise_lazy_needs_fixed_edges(bins, range_ is not None)
    edges, rule = choose_edges(xs, ys, kind, spec, range_, policy)
    ext_x, ext_y = dask_arrays.extended_counts(xs, ys, edges)
    if lazy:
        return dask_arrays.delayed(finish_histogram)(ext_x, ext_y, edges, rule, policy)
    counts_x, counts_y = dask_arrays.compute(ext_x, ext_y)
    return finish_histogram(counts_x, counts_y, edges, rule, policy)


# ---------------------------------------------------------------------------------------------
# One pair
# ---------------------------------------------------------------------------------------------


def _edge_dtype(x: np.ndarray, y: np.ndarray) -> np.dtype[Any]:
    """The dtype numpy would give the pooled sample (its edges are float of that)."""
    return np.result_type(x.dtype, y.dtype)


def _typed(value: float, dtype: np.dtype[Any]) -> Any:
    """``value`` as the numpy scalar numpy's ``a.min()`` would return for the pooled sample."""
    return dtype.type(value)


def _threads() -> int:
    return int(_compiled.thread_count())


def _parallel_chunks(size: int) -> int:
    """Chunks for the parallel kernels, or 0 to run the serial ones."""
    threads = _threads()
    if size < PARALLEL_MIN_SAMPLES or threads < 2:
        return 0
    return threads * CHUNKS_PER_THREAD


def _pooled_range(x: Any, y: Any, policy: str) -> tuple[float, float, bool]:
    """Pooled min and max of the finite values, and whether every value was finite.

    Non-finite values are an error under the "raise" policy. One of the samples may be empty.
    """
    if _is_dask(x) or _is_dask(y):
        from . import dask_arrays

        return dask_arrays.pooled_range(x, y, policy)
    chunks = _parallel_chunks(x.size + y.size)
    if chunks:
        range_x = _compiled.histogram_pair_range_parallel(x, chunks)
        range_y = _compiled.histogram_pair_range_parallel(y, chunks)
    else:
        range_x = _compiled.histogram_pair_range(x)
        range_y = _compiled.histogram_pair_range(y)
    # an empty sample (a streaming chunk of one side only) has no range to merge
    found = [r for r in (range_x, range_y) if r[3]]
    if found and range_x[2] + range_y[2] == 0:
        lo, hi = min(r[0] for r in found), max(r[1] for r in found)
        if math.isfinite(lo) and math.isfinite(hi):
            return lo, hi, True
    stats = np.stack(
        [_compiled.histogram_pair_finite_range(x), _compiled.histogram_pair_finite_range(y)]
    )
    if policy == "raise":
        for row, name in enumerate(("x", "y")):
            if stats[row, 3] or stats[row, 4]:
                raise_nonfinite(name, int(stats[row, 3]), int(stats[row, 4]))
    if stats[0, 2] + stats[1, 2] == 0:
        raise_no_finite_values()
    return float(min(stats[:, 0])), float(max(stats[:, 1])), False


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


def _single_histogram(
    x: np.ndarray,
    y: np.ndarray,
    kind: str,
    spec: Any,
    range_: tuple[float, float] | None,
    policy: str,
) -> HistogramPair:
    edges, rule = choose_edges(x, y, kind, spec, range_, policy)
    edges64 = np.ascontiguousarray(edges, dtype=np.float64)
    return finish_histogram(
        extended_counts(x, edges64), extended_counts(y, edges64), edges, rule, policy
    )


def choose_edges(
    x: Any,
    y: Any,
    kind: str,
    spec: Any,
    range_: tuple[float, float] | None,
    policy: str,
) -> tuple[np.ndarray, str]:
    """Edges of one pair from validated ``bins`` and ``range``, and the label of the rule used.

    Reads the data only when the edges depend on it (no ``range``, or a rule). ``x`` and ``y``
    are 1-D numpy arrays (one may be empty: the first chunk of a stream) or dask arrays, whose
    passes run chunk by chunk (:mod:`divergences.dask_arrays`).
    """
    dtype = _edge_dtype(x, y)
    if kind == "edges":
        return spec, "explicit edges"
    if range_ is None:
        lo, hi, finite = _pooled_range(x, y, policy)
        first, last = _typed(lo, dtype), _typed(hi, dtype)
    else:
        (lo, hi), finite = range_, False
        first, last = lo, hi
    check_range_width(lo, hi)
    if kind == "count":
        return uniform_edges(spec, first, last, dtype), f"bins={spec}"
    # the rules see only the values that are binned: in range and finite (numpy's too)
    return _rule_edges(spec, x, y, lo, hi, first, last, dtype, not finite)


def extended_counts(a: np.ndarray, edges64: np.ndarray) -> np.ndarray:
    """Extended counts of one 1-D sample on float64 edges (``_compiled.histogram_pair`` layout).

    ``[below, bin 0 .. bin nb-1, above, NaN, inf]``; the parallel kernel for large arrays.
    """
    chunks = _parallel_chunks(a.size)
    if chunks:
        return _compiled.histogram_pair_parallel(a, edges64, chunks)
    return _compiled.histogram_pair(a, edges64)


def finish_histogram(
    ext_x: np.ndarray, ext_y: np.ndarray, edges: np.ndarray, rule: str, policy: str
) -> HistogramPair:
    """The HistogramPair of two extended count vectors; NaN/inf are an error under "raise".

    Sample sizes are the sums of the extended counts (every value lands in one slot).
    """
    if policy == "raise":
        # with a given range (or edges) the range pass is skipped: the binning pass counts them
        for ext, name in ((ext_x, "x"), (ext_y, "y")):
            n_nan, n_inf = _extended.nonfinite(ext)
            if n_nan or n_inf:
                raise_nonfinite(name, n_nan, n_inf)
    counts_x = _extended.bins(ext_x).copy()
    counts_y = _extended.bins(ext_y).copy()
    n_x, n_y = int(ext_x.sum()), int(ext_y.sum())
    return HistogramPair(
        counts_x=counts_x,
        counts_y=counts_y,
        edges=edges,
        n_x=n_x,
        n_y=n_y,
        dropped_x=int(n_x - counts_x.sum()),
        dropped_y=int(n_y - counts_y.sum()),
        rule=rule,
    )


# ---------------------------------------------------------------------------------------------
# Bin rules on the pooled sample
# ---------------------------------------------------------------------------------------------


def rule_cap(n: int) -> int:
    """The most bins a rule may choose for ``n`` pooled values."""
    return min(MAX_RULE_BINS, max(MIN_RULE_CAP, math.ceil(2.0 * math.sqrt(n))))


def _is_dask(a: Any) -> bool:
    """Whether ``a`` is a dask array, told by its type's module: dask is not imported here."""
    return type(a).__module__.split(".")[0] == "dask"


# The passes of the bin rules go through these three, which run the kernel on a numpy array and
# chunk by chunk (summed in a tree reduction) on a dask array.


def _moments(a: Any, lo: float, hi: float, shift: float) -> np.ndarray:
    if _is_dask(a):
        from . import dask_arrays

        return dask_arrays.moments(a, lo, hi, shift)
    return _compiled.histogram_pair_moments(a, lo, hi, shift)


def _radix_count(
    a: Any, lo: float, hi: float, shift: int, prefix: np.uint64, counts: np.ndarray
) -> None:
    if _is_dask(a):
        from . import dask_arrays

        counts += dask_arrays.radix_count(a, lo, hi, shift, prefix, counts.size)
    else:
        _compiled.histogram_pair_radix_count(a, lo, hi, shift, prefix, counts)


def _strided(a: Any, stride: int) -> np.ndarray:
    if _is_dask(a):
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


def _pooled_order_statistic(x: np.ndarray, y: np.ndarray, lo: float, hi: float, rank: int) -> Any:
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


def _pooled_percentile(
    x: np.ndarray, y: np.ndarray, lo: float, hi: float, n: int, q: float, dtype: np.dtype[Any]
) -> Any:
    """``np.percentile(pooled, q)`` (linear method) of the pooled values in [lo, hi], exactly.

    The two order statistics come from the radix-select kernel; numpy's interpolation is then
    reproduced by asking numpy for the same percentile of a tiny array holding those two values
    in the positions that give the same fractional index, so dtype and rounding are numpy's.
    """
    h = (n - 1) * q / 100.0
    below = math.floor(h)
    a = _pooled_order_statistic(x, y, lo, hi, below)
    b = a if below + 1 >= n else _pooled_order_statistic(x, y, lo, hi, below + 1)
    # the smallest m with (m - 1) q / 100 having the same fractional part as h
    frac = h - below
    for m in range(1, 6):
        hm = (m - 1) * q / 100.0
        if hm - math.floor(hm) == frac:
            break
    k = math.floor((m - 1) * q / 100.0)
    tiny = np.array([a] * (k + 1) + [b] * (m - k - 1), dtype=dtype)
    return np.percentile(tiny, q)


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
        ptp = _typed(data_hi, dtype) - _typed(data_lo, dtype)
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
        std_typed = _typed(std, dtype) if dtype.kind == "f" else np.float64(std)
        return (24.0 * np.pi**0.5 / n) ** (1.0 / 3.0) * std_typed, n, ptp
    q_dtype = dtype if dtype.kind == "f" else np.dtype(np.float64)
    if _copy_quartiles(x, y, trimmed):
        upper, lower = _compiled.pooled_quartiles(x, y)
        iqr = np.subtract(np.float64(upper), np.float64(lower))
    else:
        iqr = np.subtract(
            _pooled_percentile(x, y, lo, hi, n, 75.0, q_dtype),
            _pooled_percentile(x, y, lo, hi, n, 25.0, q_dtype),
        )
    with np.errstate(over="ignore"):  # an inter-quartile range near the float limit: inf
        fd_width = 2.0 * iqr * n ** (-1.0 / 3.0)
    if rule == "fd":
        return fd_width, n, ptp
    if NUMPY_AUTO_LIMITS_FD:
        return min(max(fd_width, sqrt_width / 2), sturges_width), n, ptp  # "auto"
    return (min(fd_width, sturges_width) if fd_width else sturges_width), n, ptp


def _copy_quartiles(x: Any, y: Any, trimmed: bool) -> bool:
    """Whether the quartiles come from a pooled copy and a quickselect rather than radix passes.

    For float64 samples held in memory, every value binned, up to QUARTILE_COPY_LIMIT pooled
    values: one copy and a branch-free quickselect (a few ns a value) against 16 passes of the
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


def _rule_count(
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
    equal-mass bins (or, for a batch, keeps the cap).
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
    if dtype.kind in "iu" and width < 1:
        width = 1
    delta = _unsigned_subtract(last, first)
    count = float(np.ceil(delta / width))
    cap = rule_cap(n)
    if count > cap:
        return cap, f"{rule} -> quantile (outliers: {rule} asked for {count:.0f} bins, cap {cap})"
    return int(count), label


def _quantile_edges(x: np.ndarray, y: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Edges at the pooled quantiles ``i / k``, ``k = ceil(2 n^(1/3))``; ends at lo and hi.

    Equal-mass edges need not be exact quantiles: above QUANTILE_SAMPLE_LIMIT pooled values an
    evenly strided subsample of each sample stands in for it, so memory stays bounded. Tied
    quantiles merge into one edge.
    """
    stride = max(1, math.ceil((x.size + y.size) / QUANTILE_SAMPLE_LIMIT))
    pooled = np.concatenate((_strided(x, stride), _strided(y, stride))).astype(np.float64)
    pooled = pooled[(pooled >= lo) & (pooled <= hi)]
    n = pooled.size * stride  # the pooled values in range (estimated when subsampled)
    k = min(rule_cap(n), math.ceil(2.0 * n ** (1.0 / 3.0)))
    inner = np.quantile(pooled, np.arange(1, k) / k) if k > 1 else np.empty(0)
    return np.unique(np.concatenate(([lo], inner, [hi])))


def _rule_edges(
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
        count, label = _rule_count(rule, x, y, lo, hi, first, last, dtype, trimmed)
        if not label.startswith(f"{rule} -> quantile"):
            return uniform_edges(count, first, last, dtype), label
    else:
        label = "quantile"
    edges = _quantile_edges(x, y, lo, hi)
    if edges.size < 2:  # all values equal: numpy's single bin around them
        return uniform_edges(1, first, last, dtype), label
    return edges, label


# ---------------------------------------------------------------------------------------------
# Batches: one row per pair
# ---------------------------------------------------------------------------------------------


def _batch_histogram(
    x: np.ndarray,
    y: np.ndarray,
    kind: str,
    spec: Any,
    range_: tuple[float, float] | None,
    policy: str,
) -> HistogramPair:
    dtype = _edge_dtype(x, y)
    edge_dtype = np.dtype(np.float32) if dtype == np.float32 else np.dtype(np.float64)
    n_pairs = x.shape[0]
    shared: np.ndarray | None = None
    if kind == "edges":
        shared, rule = spec, "explicit edges"
    elif range_ is not None and kind == "count":
        shared, rule = uniform_edges(spec, range_[0], range_[1], dtype), f"bins={spec}"
    else:
        if range_ is None:
            lo, hi = _batch_ranges(x, y, policy)
            with np.errstate(over="ignore"):
                too_wide = np.flatnonzero(~np.isfinite(hi - lo))
            if too_wide.size:
                check_range_width(float(lo[too_wide[0]]), float(hi[too_wide[0]]))
        else:
            lo = np.full(n_pairs, range_[0])
            hi = np.full(n_pairs, range_[1])
        if kind == "count":
            n_bins, rule = spec, f"bins={spec}"
        else:
            check_batch_rule(spec)
            n_bins, rule = _batch_rule_count(spec, x, y, lo, hi, dtype, range_)
        if range_ is not None:
            shared = uniform_edges(n_bins, range_[0], range_[1], dtype)
    if shared is not None:
        edges64 = np.ascontiguousarray(shared, dtype=np.float64)
        ext_x, ext_y, counts_x, counts_y = _compiled.histogram_pair_batch_shared(x, y, edges64)
        edges = np.broadcast_to(shared, (n_pairs, shared.size))
    else:
        lo_t = lo.astype(edge_dtype)
        hi_t = hi.astype(edge_dtype)
        equal = lo_t == hi_t
        # numpy widens an empty range by 0.5 on each side, in the data's float type
        lo_t[equal] -= edge_dtype.type(0.5)
        hi_t[equal] += edge_dtype.type(0.5)
        edges = np.empty((n_pairs, n_bins + 1), edge_dtype)
        ext_x, ext_y, counts_x, counts_y = _compiled.histogram_pair_batch(x, y, lo_t, hi_t, edges)
        collapsed = np.flatnonzero((edges[:, 1:] <= edges[:, :-1]).any(axis=1))
        if collapsed.size:
            i = int(collapsed[0])
            raise_too_many_bins(n_bins, float(lo_t[i]), float(hi_t[i]))
    n_bins = edges.shape[1] - 1
    if policy == "raise":
        for ext, name in ((ext_x, "x"), (ext_y, "y")):
            n_nan, n_inf = _extended.nonfinite(ext)
            if n_nan or n_inf:
                raise_nonfinite(name, n_nan, n_inf)
    return HistogramPair(
        counts_x=counts_x,
        counts_y=counts_y,
        edges=edges,
        n_x=x.shape[1],
        n_y=y.shape[1],
        dropped_x=x.shape[1] - counts_x.sum(axis=1),
        dropped_y=y.shape[1] - counts_y.sum(axis=1),
        rule=rule,
    )


def _batch_ranges(x: np.ndarray, y: np.ndarray, policy: str) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's pooled min and max over finite values (float64 arrays)."""
    stats = _compiled.histogram_pair_batch_range(x, y)
    lo, hi = stats[:, 0].copy(), stats[:, 1].copy()
    bad = np.flatnonzero(
        (stats[:, 2] > 0) | ~np.isfinite(lo) | ~np.isfinite(hi) | (stats[:, 3] == 0)
    )
    for i in bad:
        lo[i], hi[i], _ = _pooled_range(x[i], y[i], policy)
    return lo, hi


def _batch_rule_count(
    rule: str,
    x: np.ndarray,
    y: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    dtype: np.dtype[Any],
    range_: tuple[float, float] | None,
) -> tuple[int, str]:
    """The largest count ``rule`` gives any pair (capped)."""
    best = 1
    for i in range(x.shape[0]):
        first, last = range_ if range_ is not None else (_typed(lo[i], dtype), _typed(hi[i], dtype))
        count, _ = _rule_count(
            rule, x[i], y[i], float(lo[i]), float(hi[i]), first, last, dtype, range_ is not None
        )
        best = max(best, count)
    return best, f"{rule} (largest over pairs)"

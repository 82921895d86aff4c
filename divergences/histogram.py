r"""Shared-edge histograms of two samples.

Both samples are binned on the *same* edges, chosen from the pooled sample (x and y together)
without ever concatenating the two arrays: one pass over both finds the range, one fused pass
bins both, and the bin rules (``divergences._bin_rules``) read the few statistics they need
(size, range, standard deviation, quartiles) in passes of their own with O(bins) memory.

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
from ._bin_rules import (
    MAX_RULE_BINS,
    is_dask,
    rule_count,
    rule_edges,
    typed_scalar,
    uniform_edges,
)
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

#: Below this many values (x and y together) the serial kernels are used: the parallel ones cost
#: more than they save there, and their timing is erratic (measured, see benches/).
PARALLEL_MIN_SAMPLES = 1 << 18
#: Chunks per thread in the parallel kernels. numba hands each thread a contiguous block of them
#: (static scheduling), so this does not rebalance work away from a thread slowed by other load;
#: asking numba for dynamic scheduling did not help either (docs/benchmarks.md, busy machine).
CHUNKS_PER_THREAD = 4


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
        ``"fd -> quantile (outliers: fd asked for 10000000 bins, cap 1024)"``.
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
        :math:`\lceil 2 m^{1/3} \rceil` bins with edges at the pooled quantiles, m the pooled
        size for equal sizes and fewer for unequal ones: ``docs/conventions.md``).
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
    it. On explicit edges of any spacing, a table of the bins of 4 equal cells per bin brackets
    each value's bin, and the bracket is checked against the actual edges before a short binary
    search inside it (a full search where the check fails), with the same result. Integers are
    compared as float64 (exact below 2**53).

    *Rules* are numpy's formulas applied to the pooled sample: its size ``n``, range, standard
    deviation and interquartile range, found without concatenating large samples (quartiles by
    an exact selection, so ``"fd"`` and ``"auto"`` give numpy's bins). They can never explode: if a
    rule asks for more than :math:`\min(2^{20}, \max(1024, 10 n))` bins (an outlier far from the
    bulk, the case where ``np.histogram(bins="fd")`` allocates gigabytes), the spread is dominated
    by outliers and the equal-mass ``"quantile"`` rule is used instead; if a rule's width is zero
    while the data are not all equal (``"fd"`` when the pooled quartiles coincide), or not finite
    (``"scott"`` on values near the float limit, whose squares overflow), ``"sturges"`` is used.
    ``rule`` on the result says which, e.g. ``"fd -> sturges (the fd width is 0)"`` or
    ``"scott -> sturges (the scott width is not finite)"``. All-equal data give one bin (numpy's
    behaviour).

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
    if is_dask(x) or is_dask(y):
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
    if is_dask(x) or is_dask(y):
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
        first, last = typed_scalar(lo, dtype), typed_scalar(hi, dtype)
    else:
        (lo, hi), finite = range_, False
        first, last = lo, hi
    check_range_width(lo, hi)
    if kind == "count":
        return uniform_edges(spec, first, last, dtype), f"bins={spec}"
    # the rules see only the values that are binned: in range and finite (numpy's too)
    return rule_edges(spec, x, y, lo, hi, first, last, dtype, not finite)


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
        first, last = (
            range_
            if range_ is not None
            else (typed_scalar(lo[i], dtype), typed_scalar(hi[i], dtype))
        )
        count, _ = rule_count(
            rule, x[i], y[i], float(lo[i]), float(hi[i]), first, last, dtype, range_ is not None
        )
        best = max(best, count)
    return best, f"{rule} (largest over pairs)"

"""Fused kernels for the common calls: one compiled pass per estimate, validation included.

Private. Each kernel reads its input once, checks what the general path would check on the data
(finiteness, sums, signs) and either returns the result with status ``OK`` or status
``GENERAL``: the caller then takes the general path, which raises the clear error (or handles
the rare case: all values equal, a rule's fallback, numpy's "too many bins") exactly as
before. Nothing here changes a value: bins, counts and divergences are those of the general
path, bit for bit (tests/test_fused.py compares them).

The data-dependent bin rule ``"auto"`` needs the pooled quartiles: here they come from counted
buckets and a quickselect on the few buckets that hold them (from 128 pooled values), or a
quickselect on a pooled copy (O(n) either way, a few nanoseconds per value). The general path's
radix selection reads both samples 16 times but needs no copy, and stays the choice for large
samples.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .._extended import EXTRA_SLOTS
from .binning import _bin_into, _bin_plan, _uniform_edges
from .counts import _js_row, _kl_row
from .order_statistics import histogram_pair_select
from .primitives import SUM_CHUNK, _js_term, _kl_term, _xlogx
from .ranges import _range_of, float64_key, float64_of_key
from .twins import serial_and_parallel

#: Status of a fused kernel: the result is complete.
OK = 0
#: Status of a fused kernel: take the general path (an error to report, or a rare case).
GENERAL = 1

#: Rules the fused estimate kernel evaluates itself.
RULE_COUNT = 0  # an integer number of bins
RULE_AUTO_LIMITED = 1  # numpy >= 2.3: min(max(fd, sqrt / 2), sturges)
RULE_AUTO_MIN = 2  # numpy < 2.3: min(fd, sturges), sturges when the fd width is 0
RULE_WKV = 3  # kl_from_samples' default: n_bins equal-y-count bins, ends widened to cover x

#: Divergences of the fused estimate kernel.
DIVERGENCE_JS = 0
DIVERGENCE_KL = 1


@njit(cache=True)
def _select(buf: np.ndarray, lo: int, hi: int, k: int) -> float:
    """The ``k``-th smallest of ``buf[lo:hi + 1]``, by quickselect with branch-free partitions.

    Reorders ``buf[lo:hi + 1]`` so that everything before position ``k`` is ``<=`` the result
    and everything after it ``>=``. Each round splits by a median-of-three pivot into ``<``,
    ``==`` and ``>`` parts with two Lomuto passes whose swaps are unconditional (a comparison
    advances the boundary instead of a branch): on random data a branchy partition mispredicts
    every other comparison and ran at 12-13 ns per value, this one at a few. The ``==`` part
    makes heavy ties linear rather than quadratic.
    """
    while hi - lo >= 16:
        mid = (lo + hi) >> 1
        a = buf[lo]
        b = buf[mid]
        c = buf[hi]
        if a < b:  # noqa: SIM108 - the median of three, one comparison chain per branch
            pivot = b if b < c else (c if a < c else a)
        else:
            pivot = a if a < c else (c if b < c else b)
        below = lo  # buf[lo:below] < pivot
        for j in range(lo, hi + 1):
            v = buf[j]
            buf[j] = buf[below]
            buf[below] = v
            below += v < pivot
        if k < below:
            hi = below - 1
            continue
        equal = below  # buf[below:equal] == pivot
        for j in range(below, hi + 1):
            v = buf[j]
            buf[j] = buf[equal]
            buf[equal] = v
            equal += v <= pivot
        if k < equal:
            found: float = pivot
            return found
        lo = equal
    for i in range(lo + 1, hi + 1):  # insertion sort of the last few
        v = buf[i]
        j = i - 1
        while j >= lo and buf[j] > v:
            buf[j + 1] = buf[j]
            j -= 1
        buf[j + 1] = v
    value: float = buf[k]
    return value


@njit(cache=True)
def _percentile(buf: np.ndarray, count: int, offset: int, q: float, n: int) -> tuple[bool, float]:
    """The percentile ``100 q`` of n values (linear method), from ``count`` of them in ``buf``.

    ``buf[:count]`` holds the values of ranks ``offset`` to ``offset + count - 1`` in any order
    (every value after them is at least as large); False if an order statistic needed lies
    outside. numpy's arithmetic is reproduced operation for operation: the virtual index
    ``(n - 1) q`` (numpy's "linear" method) and ``_lerp``'s two-sided form.
    """
    virtual = (n - 1) * q
    below = math.floor(virtual)
    gamma = virtual - below
    rank = min(max(int(below), 0), n - 1)
    upper_rank = rank if rank + 1 > n - 1 else rank + 1
    k = rank - offset
    if k < 0 or upper_rank - offset >= count:
        return False, np.nan
    a = _select(buf, 0, count - 1, k)
    b = a
    if upper_rank != rank:
        b = buf[k + 1]
        for i in range(k + 2, count):
            b = min(b, buf[i])
    diff = b - a
    if gamma >= 0.5:
        return True, b - diff * (1.0 - gamma)
    return True, a + diff * gamma


#: From this many pooled values, the quartiles are selected from counted buckets first.
BUCKET_QUARTILES_MIN = 128


#: Bucket passes of :func:`_bucket_quartiles` before it declines.
BUCKET_LEVELS = 3


@njit(cache=True)
def _bucket(v: float, lo: float, scale: float, last: int) -> int:
    """The bucket of a number ``v``, clamped at both ends (infinities included).

    Non-decreasing in ``v``: all the selection needs to be exact.
    """
    return int(min(max((v - lo) * scale, 0.0), last))


@njit(cache=True)
def _count_into_buckets(
    a: np.ndarray, lo: float, scale: float, last: int, counts: np.ndarray
) -> int:
    """Add the values of ``a`` to their buckets' counts; how many were not NaN."""
    counted = 0
    for i in range(a.size):
        v = a[i]
        if v == v:
            counts[_bucket(v, lo, scale, last)] += 1
            counted += 1
    return counted


@njit(cache=True)
def _gather_two_spans(
    a: np.ndarray,
    lo: float,
    scale: float,
    last: int,
    spans: tuple[int, int, int, int],
    upper: np.ndarray,
    n_upper: int,
    lower: np.ndarray,
    n_lower: int,
) -> tuple[int, int]:
    """Append the values of two spans of buckets to ``upper`` and ``lower``.

    ``spans`` is ``(first, last)`` of the upper span, then of the lower. Branch-free: each value
    is written, and its slot kept only if it belongs, so each buffer needs one slot more than
    it keeps.
    """
    u0, u1, l0, l1 = spans
    for i in range(a.size):
        v = a[i]
        b = _bucket(v, lo, scale, last)
        upper[n_upper] = v
        n_upper += (u0 <= b) & (b <= u1)
        lower[n_lower] = v
        n_lower += (l0 <= b) & (b <= l1)
    return n_upper, n_lower


@njit(cache=True)
def _span_keys(
    a: np.ndarray,
    lo: float,
    scale: float,
    last: int,
    spans: tuple[int, int, int, int],
    keys: np.ndarray,
) -> None:
    """Fold into ``keys`` the min and max keys of the values in the two spans of buckets.

    ``keys`` is ``[min, max]`` of the upper span's :func:`float64_key`, then of the lower's;
    branch-free, as :func:`_gather_two_spans`.
    """
    u0, u1, l0, l1 = spans
    min_u, max_u, min_l, max_l = keys[0], keys[1], keys[2], keys[3]
    for i in range(a.size):
        v = np.float64(a[i])
        b = _bucket(v, lo, scale, last)
        key = float64_key(v)
        in_upper = (u0 <= b) & (b <= u1)
        in_lower = (l0 <= b) & (b <= l1)
        min_u = min(min_u, key if in_upper else _KEY_MAX)
        max_u = max(max_u, key if in_upper else _KEY_MIN)
        min_l = min(min_l, key if in_lower else _KEY_MAX)
        max_l = max(max_l, key if in_lower else _KEY_MIN)
    keys[0], keys[1], keys[2], keys[3] = min_u, max_u, min_l, max_l


_KEY_MAX = np.iinfo(np.int64).max
_KEY_MIN = np.iinfo(np.int64).min


@njit(cache=True)
def _buckets_of_ranks(start: np.ndarray, rank: int, next_rank: int) -> tuple[int, int]:
    """The first and last bucket holding ranks ``rank`` to ``next_rank`` (``start``: cumulative)."""
    first = 0
    while start[first + 1] <= rank:
        first += 1
    last = first
    while start[last + 1] <= next_rank:
        last += 1
    return first, last


@njit(cache=True)
def _bucket_quartiles(
    x: np.ndarray, y: np.ndarray, lo: float, hi: float
) -> tuple[bool, float, float]:
    """The pooled quartiles from ``n / 8`` equal-width buckets over [lo, hi], or False.

    A pass counts the buckets (values beyond [lo, hi] in the end buckets); their cumulative
    counts name the buckets that hold the four order statistics the two percentiles need. Then
    a pass copies those buckets' values (branch-free) and a quickselect on the copies finds the
    order statistics. No pass has a value-dependent branch: on an Intel Xeon the whole-copy
    quickselect's partitions ran at about 2 ns a value and visited each value about nine times.

    Where the two spans of buckets hold more than a quarter of the values (a heavy tail piling
    the values into a few buckets), the buckets are laid again over the span between them.
    Where they still do, or where that would not narrow the buckets (ties at the ends) or one
    bucket holds all but 64 values or fewer (a few far values), a pass finds the least and
    greatest value of each span
    (order-preserving keys: -0 below +0). A span of one value (ties: counts, rounded or
    discrete data) needs no copy: its order statistics are that value. Otherwise (far values)
    the buckets are laid again between the least value of the lower span and the greatest of
    the upper, up to ``BUCKET_LEVELS`` counts. Where the levels run out, the spans are copied
    if they hold at most n values (a quickselect on them costs less than on the whole copy; on
    ties, its three-way partition ends at once). False, and the caller selects on the whole
    copy, where they hold more, the range gives no finite bucket width or a value is NaN.
    """
    n = x.size + y.size
    n_buckets = max(n >> 3, 1)
    last = n_buckets - 1
    budget = (n >> 2) + 64
    r75 = min(max(math.floor((n - 1) * 0.75), 0), n - 1)
    r25 = min(max(math.floor((n - 1) * 0.25), 0), n - 1)
    counts = np.empty(n_buckets, np.int64)
    start = np.empty(n_buckets + 1, np.int64)
    keys = np.empty(4, np.int64)
    previous = 0  # the spans' size at the previous level
    for level in range(BUCKET_LEVELS):
        if not hi > lo:  # (numba raises on a float division by zero, as Python does)
            return False, np.nan, np.nan
        scale = n_buckets / (hi - lo)
        if not (0.0 < scale < np.inf):
            return False, np.nan, np.nan
        counts[:] = 0
        counted = _count_into_buckets(x, lo, scale, last, counts)
        counted += _count_into_buckets(y, lo, scale, last, counts)
        if counted != n:
            return False, np.nan, np.nan
        start[0] = 0
        for b in range(n_buckets):
            start[b + 1] = start[b] + counts[b]
        u0, u1 = _buckets_of_ranks(start, r75, min(r75 + 1, n - 1))
        l0, l1 = _buckets_of_ranks(start, r25, min(r25 + 1, n - 1))
        size_upper = start[u1 + 1] - start[u0]
        size_lower = start[l1 + 1] - start[l0]
        total = size_upper + size_lower
        tied_upper = tied_lower = False
        narrows = l0 > 0 or u1 < last  # the spans leave out an end bucket
        few_far = l0 == u1 and counts[l0] >= n - 64  # one bucket holds all but a few values
        if total > budget and level == 0 and narrows and not few_far:
            # the next level spans the wanted buckets: what a heavy tail needs
            previous = total
            lo, hi = lo + l0 / scale, lo + (u1 + 1) / scale
            continue
        if total > budget and 2 * total > previous and level == BUCKET_LEVELS - 1:
            # no progress at the last level: copy the spans if that costs less than the whole
            if total > n:
                return False, np.nan, np.nan
        elif total > budget:
            # too many values in the spans after a level: ties, or far values that keep the
            # data in a few buckets. A pass finds the least and greatest value of each span.
            keys[0], keys[1], keys[2], keys[3] = _KEY_MAX, _KEY_MIN, _KEY_MAX, _KEY_MIN
            spans = (u0, u1, l0, l1)
            _span_keys(x, lo, scale, last, spans, keys)
            _span_keys(y, lo, scale, last, spans, keys)
            tied_upper = keys[0] == keys[1]
            tied_lower = keys[2] == keys[3]
            rest = (0 if tied_upper else size_upper) + (0 if tied_lower else size_lower)
            # the next level between those values (any bounds keep the result exact)
            next_lo, next_hi = float64_of_key(keys[2]), float64_of_key(keys[1])
            more = level < BUCKET_LEVELS - 1 and 0.0 < next_hi - next_lo < np.inf
            if rest > budget and more:
                previous = rest
                lo, hi = next_lo, next_hi
                continue
            if rest > n:  # a copy of more than the whole
                return False, np.nan, np.nan
        # a tied span is left out of the copy (an empty span: first > last) and stands for
        # its order statistics by two copies of its value
        spans = (
            1 if tied_upper else u0,
            0 if tied_upper else u1,
            1 if tied_lower else l0,
            0 if tied_lower else l1,
        )
        count_upper = 2 if tied_upper else size_upper
        count_lower = 2 if tied_lower else size_lower
        upper = np.empty(count_upper + 1)
        lower = np.empty(count_lower + 1)
        k_upper, k_lower = _gather_two_spans(x, lo, scale, last, spans, upper, 0, lower, 0)
        _gather_two_spans(y, lo, scale, last, spans, upper, k_upper, lower, k_lower)
        offset_upper, offset_lower = start[u0], start[l0]
        if tied_upper:
            upper[0] = upper[1] = float64_of_key(keys[0])
            offset_upper = r75
        if tied_lower:
            lower[0] = lower[1] = float64_of_key(keys[2])
            offset_lower = r25
        _, q75 = _percentile(upper, count_upper, offset_upper, 0.75, n)
        _, q25 = _percentile(lower, count_lower, offset_lower, 0.25, n)
        return True, q75, q25
    return False, np.nan, np.nan


@njit(cache=True)
def quartiles_in_range(x: np.ndarray, y: np.ndarray, lo: float, hi: float) -> tuple[float, float]:
    """``np.percentile(np.concatenate((x, y)), [75, 25])``, exactly, in O(n).

    ``lo`` and ``hi`` bound the buckets of :func:`_bucket_quartiles` (the pooled minimum and
    maximum where known; any finite ``lo < hi`` gives the same result). Below
    ``BUCKET_QUARTILES_MIN`` values, or where the buckets decline, a pooled copy (a vectorised
    memory copy) and the branch-free quickselect: 2-5 ns per pooled value where numpy's
    percentile of the concatenation takes 20-30. The copy costs 8 bytes a value, which is why
    the fused path stops at ``PARALLEL_MIN_SAMPLES`` pooled values.
    """
    n = x.size + y.size
    if n >= BUCKET_QUARTILES_MIN:
        ok, upper, lower = _bucket_quartiles(x, y, lo, hi)
        if ok:
            return upper, lower
    buf = np.empty(n)
    buf[: x.size] = x
    buf[x.size :] = y
    _, upper = _percentile(buf, n, 0, 0.75, n)
    # the quickselect left the values of ranks <= r75 first: the 25th percentile's order
    # statistics are among them unless n is tiny
    r75 = min(max(math.floor((n - 1) * 0.75), 0), n - 1)
    r25 = min(max(math.floor((n - 1) * 0.25), 0), n - 1)
    _, lower = _percentile(buf, r75 + 1 if r25 + 1 <= r75 else n, 0, 0.25, n)
    return upper, lower


@njit(cache=True)
def pooled_quartiles(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``np.percentile(np.concatenate((x, y)), [75, 25])`` of finite samples, exactly, in O(n)."""
    lo_x, hi_x, _, _ = _range_of(x)
    lo_y, hi_y, _, _ = _range_of(y)
    return quartiles_in_range(x, y, min(lo_x, lo_y), max(hi_x, hi_y))


@njit(cache=True)
def _auto_count(
    first: float,
    last: float,
    iqr: float,
    sqrt_n: float,
    log2_n_plus_1: float,
    cbrt_inv_n: float,
    rule: int,
) -> float:
    """The ``"auto"`` bin count of numpy for the pooled sample, or NaN where the rule's width is 0.

    The widths are numpy's expressions, operand for operand: ``ptp / sqrt(n)``,
    ``ptp / (log2(n) + 1)``, ``2 iqr n^(-1/3)``; the constants are computed by the caller with
    numpy's own functions so that every rounding is numpy's.
    """
    ptp = last - first
    sqrt_width = ptp / sqrt_n
    sturges_width = ptp / log2_n_plus_1
    fd_width = 2.0 * iqr * cbrt_inv_n
    if rule == RULE_AUTO_LIMITED:
        # Python's max(a, b) and min(a, b) keep a unless b is strictly beyond it
        corrected = sqrt_width / 2 if sqrt_width / 2 > fd_width else fd_width
        width = sturges_width if sturges_width < corrected else corrected
    else:
        width = (
            (sturges_width if sturges_width < fd_width else fd_width) if fd_width else sturges_width
        )
    if not (width > 0.0 and width < np.inf):
        return np.nan
    ratio = (last - first) / width
    if not ratio < 2.0**53:  # a subnormal width: the count overflows (the caller's cap decides)
        return np.inf
    return math.ceil(ratio)


#: Below this many values, :func:`order_statistics` sorts a copy: the buckets do not pay.
SELECT_MIN_VALUES = 2048
#: Values per bucket of :func:`order_statistics`.
SELECT_VALUES_PER_BUCKET = 8


@njit(cache=True)
def order_statistics(y: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """``np.sort(y)[ranks]`` for finite ``y`` and ascending ``ranks``, without sorting ``y``.

    The bucket selection of the pooled quartiles (``histogram_pair_select``, y alone, over
    its range, ``n / SELECT_VALUES_PER_BUCKET`` buckets): for the ``2 sqrt(n)`` ranks of the
    WKV partition this is O(n) where a sort is O(n log n), at 10**6 values 5-10x less time than
    numpy's sort on this kind of machine. Where the buckets needed hold more than half the
    values (a sample piled into a few buckets by a far outlier), and for small samples, it
    sorts a copy instead. Exact: every result is one of y's values.
    """
    n = y.size
    if n >= SELECT_MIN_VALUES:
        ok, out = histogram_pair_select(
            y, y[:0], y.min(), y.max(), ranks, n // SELECT_VALUES_PER_BUCKET, n // 2
        )
        if ok:
            return out
    ordered = np.sort(y)
    out = np.empty(ranks.size)
    for j in range(ranks.size):
        out[j] = ordered[ranks[j]]
    return out


@njit(cache=True)
def wkv_quantiles(y: np.ndarray, n_bins: int) -> np.ndarray:
    """``np.quantile(y, np.linspace(0, 1, n_bins + 1))`` of finite ``y``, exactly.

    numpy's linear method operation for operation: the virtual index ``(n - 1) q`` and
    ``_lerp``'s two-sided form, on the two order statistics around each level, which
    :func:`order_statistics` selects without sorting the sample.
    """
    n = y.size
    levels = np.empty(n_bins + 1)
    _uniform_edges(0.0, 1.0, levels)
    ranks = np.empty(2 * (n_bins + 1), np.int64)
    gammas = np.empty(n_bins + 1)
    for i in range(n_bins + 1):
        virtual = (n - 1) * levels[i]
        below = math.floor(virtual)
        gammas[i] = virtual - below
        rank = min(max(int(below), 0), n - 1)
        ranks[2 * i] = rank
        ranks[2 * i + 1] = rank if rank + 1 > n - 1 else rank + 1
    values = order_statistics(y, ranks)
    edges = np.empty(n_bins + 1)
    for i in range(n_bins + 1):
        a = values[2 * i]
        b = values[2 * i + 1]
        diff = b - a
        gamma = gammas[i]
        edges[i] = b - diff * (1.0 - gamma) if gamma >= 0.5 else a + diff * gamma
    return edges


@njit(cache=True)
def _wkv_edges(x_lo: float, x_hi: float, y: np.ndarray, n_bins: int) -> tuple[int, np.ndarray]:
    """The quantile edges of y with the ends widened to x's range.

    ``GENERAL`` where the quantiles tie (discrete data: the general path falls back to "auto")
    or the range is not a finite positive width.
    """
    edges = wkv_quantiles(y, n_bins)
    if n_bins > 1:
        for i in range(n_bins):
            if not edges[i] < edges[i + 1]:
                return GENERAL, edges
    edges[0] = min(edges[0], x_lo)
    edges[n_bins] = max(edges[n_bins], x_hi)
    if not (0.0 < edges[n_bins] - edges[0] < np.inf):
        return GENERAL, edges
    return OK, edges


@njit(cache=True)
def _estimate_status(
    x: np.ndarray,
    y: np.ndarray,
    rule: int,
    n_bins: int,
    sqrt_n: float,
    log2_n_plus_1: float,
    cbrt_inv_n: float,
    cap: int,
) -> tuple[int, np.ndarray]:
    """Status and uniform edges of one pair of finite 1-D samples, binned over their range."""
    empty = np.empty(0)
    if x.size == 0 or y.size == 0:
        return GENERAL, empty
    lo_x, hi_x, nan_x, _ = _range_of(x)
    lo_y, hi_y, nan_y, _ = _range_of(y)
    lo = min(lo_x, lo_y)
    hi = max(hi_x, hi_y)
    # NaN or inf anywhere (an error), or all values equal (numpy's widened single bin)
    if nan_x + nan_y or not (-np.inf < lo < hi < np.inf):
        return GENERAL, empty
    if rule == RULE_WKV:
        return _wkv_edges(lo_x, hi_x, y, n_bins)
    if rule != RULE_COUNT:
        upper, lower = quartiles_in_range(x, y, lo, hi)
        iqr = upper - lower
        count = _auto_count(lo, hi, iqr, sqrt_n, log2_n_plus_1, cbrt_inv_n, rule)
        if not count <= cap:  # the rule's fallbacks (outliers, a zero width)
            return GENERAL, empty
        n_bins = int(count)
    edges = np.empty(n_bins + 1)
    _uniform_edges(lo, hi, edges)
    for i in range(n_bins):
        if not edges[i] < edges[i + 1]:  # numpy's "too many bins for the data range"
            return GENERAL, empty
    return OK, edges


@njit(cache=True)
def estimate_pair(
    x: np.ndarray,
    y: np.ndarray,
    rule: int,
    n_bins: int,
    sqrt_n: float,
    log2_n_plus_1: float,
    cbrt_inv_n: float,
    cap: int,
    divergence: int,
    pseudocount: float,
) -> tuple[int, float, float, np.ndarray, np.ndarray]:
    """Edges, extended counts and plug-in divergence of two 1-D float64 samples, in one call.

    Returns ``(status, value, off_support_mass, edges, extended_counts)``; the counts have one
    row per sample in the layout of ``_kernels.histogram_pair``. ``off_support_mass`` is NaN
    for JS.
    """
    status, edges = _estimate_status(x, y, rule, n_bins, sqrt_n, log2_n_plus_1, cbrt_inv_n, cap)
    if status != OK:
        return status, np.nan, np.nan, edges, np.empty((0, 0), np.int64)
    nb = edges.size - 1
    norm, tol, uniform = _bin_plan(edges)
    counts = np.zeros((2, nb + EXTRA_SLOTS), np.int64)
    # uniform edges by the guess-and-check pass, others (WKV's) by binary search: the general
    # path's binning, so the counts are its own
    _bin_into(x, counts[0], edges[0], norm, tol, edges, uniform)
    _bin_into(y, counts[1], edges[0], norm, tol, edges, uniform)
    cx = counts[0, 1 : nb + 1]
    cy = counts[1, 1 : nb + 1]
    if divergence == DIVERGENCE_JS:
        return OK, _js_row(cx, cy), np.nan, edges, counts
    value, off_support = _kl_row(cx, cy, pseudocount)
    return OK, value, off_support, edges, counts


# --------------------------------------------------------------------------------------------
# Single probability vectors: validation and divergence in one pass
# --------------------------------------------------------------------------------------------

#: What a fused vector kernel computes.
VECTOR_KL = 0
VECTOR_JS = 1


@njit(cache=True)
def _vector_sum(p: np.ndarray) -> tuple[float, bool]:
    """Sum of ``p`` and whether every entry is finite and non-negative (and the sum positive)."""
    total = 0.0
    valid = True
    for i in range(p.size):
        v = p[i]
        if not (0.0 <= v < np.inf):
            valid = False
        total += v
    return total, valid and total > 0.0


def _vector_pair_body(
    p: np.ndarray, q: np.ndarray, kind: int, tol_p: float, tol_q: float
) -> tuple[int, float]:
    """A divergence of two probability vectors, or ``GENERAL`` if either fails validation.

    The checks are the general path's: finite, non-negative, not all zero, sum within
    ``tol_p`` (``tol_q``) of 1; each vector is divided by its exact sum (removing round-off),
    as the general kernels do. Beyond ``SUM_CHUNK`` entries the terms are summed chunk by
    chunk (``prange``: on threads in the parallel twin), with the general kernels' order.
    """
    if p.size != q.size or p.size == 0:
        return GENERAL, np.nan
    p_sum, p_valid = _vector_sum(p)
    q_sum, q_valid = _vector_sum(q)
    if not (p_valid and q_valid and abs(p_sum - 1.0) <= tol_p and abs(q_sum - 1.0) <= tol_q):
        return GENERAL, np.nan
    if kind != VECTOR_KL and kind != VECTOR_JS:
        return GENERAL, np.nan
    n = p.size
    if n <= SUM_CHUNK:  # one chunk: no partial sums to allocate (the small calls' path)
        total = 0.0
        if kind == VECTOR_KL:
            for i in range(n):
                total += _kl_term(p[i] / p_sum, q[i] / q_sum)
        else:
            for i in range(n):
                total += _js_term(p[i] / p_sum, q[i] / q_sum)
    else:
        n_chunks = (n + SUM_CHUNK - 1) // SUM_CHUNK
        parts = np.empty(n_chunks)
        for c in prange(n_chunks):
            start = c * SUM_CHUNK
            stop = min(start + SUM_CHUNK, n)
            part = 0.0
            if kind == VECTOR_KL:
                for i in range(start, stop):
                    part += _kl_term(p[i] / p_sum, q[i] / q_sum)
            else:
                for i in range(start, stop):
                    part += _js_term(p[i] / p_sum, q[i] / q_sum)
            parts[c] = part
        total = 0.0
        for c in range(n_chunks):
            total += parts[c]
    if kind == VECTOR_JS:
        return OK, min(total, math.log(2.0))
    return OK, total


vector_pair, vector_pair_parallel = serial_and_parallel(_vector_pair_body)


def _vector_entropy_body(p: np.ndarray, tol: float) -> tuple[int, float]:
    """Shannon entropy of one probability vector, or ``GENERAL`` if it fails validation."""
    if p.size == 0:
        return GENERAL, np.nan
    p_sum, valid = _vector_sum(p)
    if not (valid and abs(p_sum - 1.0) <= tol):
        return GENERAL, np.nan
    n = p.size
    if n <= SUM_CHUNK:
        total = 0.0
        for i in range(n):
            total -= _xlogx(p[i] / p_sum)
        return OK, total
    n_chunks = (n + SUM_CHUNK - 1) // SUM_CHUNK
    parts = np.empty(n_chunks)
    for c in prange(n_chunks):
        start = c * SUM_CHUNK
        stop = min(start + SUM_CHUNK, n)
        part = 0.0
        for i in range(start, stop):
            part -= _xlogx(p[i] / p_sum)
        parts[c] = part
    total = 0.0
    for c in range(n_chunks):
        total += parts[c]
    return OK, total


vector_entropy, vector_entropy_parallel = serial_and_parallel(_vector_entropy_body)

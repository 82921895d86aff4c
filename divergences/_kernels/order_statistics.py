"""Statistics of the pooled sample for the bin rules: moments and exact radix selection."""

from __future__ import annotations

import numpy as np
from numba import njit

# --------------------------------------------------------------------------------------------
# Statistics of the pooled sample for the bin rules, without concatenating x and y.
# --------------------------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def histogram_pair_moments(a: np.ndarray, lo: float, hi: float, shift: float) -> np.ndarray:
    """Count, min, max, sum of ``v - shift``, sum of ``(v - shift)^2`` over values in [lo, hi]."""
    out = np.array([0.0, np.inf, -np.inf, 0.0, 0.0])
    for i in range(a.size):
        v = float(a[i])
        if lo <= v <= hi:
            d = v - shift
            out[0] += 1.0
            out[1] = min(out[1], v)
            out[2] = max(out[2], v)
            out[3] += d
            out[4] += d * d
    return out


#: Radix-select digit: 16 bits, so four passes fix a float64 key.
_RADIX_BITS = 16
_RADIX_BLOCK = 4096


@njit(cache=True, nogil=True)
def histogram_pair_radix_count(
    a: np.ndarray, lo: float, hi: float, shift: int, prefix: np.uint64, counts: np.ndarray
) -> None:
    """Radix-selection pass: histogram of one 16-bit digit of the keys, added to ``counts``.

    Counts digit ``shift`` of the keys of the values of ``a`` in [lo, hi] whose higher bits
    equal ``prefix``. The key of a float64 is its bit pattern made order-preserving as an
    unsigned integer (flip all bits of negatives, the sign bit of the rest). Values are copied
    blockwise into a float64 buffer whose uint64 view gives the bits.
    """
    buffer = np.empty(_RADIX_BLOCK)
    keys = buffer.view(np.uint64)
    mask = np.uint64(0xFFFF)
    sign = np.uint64(1) << np.uint64(63)
    upper = np.uint64(shift + _RADIX_BITS)
    low = np.uint64(shift)
    for start in range(0, a.size, _RADIX_BLOCK):
        stop = min(start + _RADIX_BLOCK, a.size)
        for i in range(start, stop):
            buffer[i - start] = float(a[i])
        for i in range(stop - start):
            v = buffer[i]
            if not lo <= v <= hi:
                continue
            bits = keys[i]
            key = ~bits if bits & sign else bits | sign
            if upper < 64 and (key >> upper) != prefix:
                continue
            counts[(key >> low) & mask] += 1


@njit(cache=True)
def histogram_pair_key_value(key: np.uint64) -> float:
    """The float64 whose order-preserving key is ``key`` (inverse of the radix key)."""
    sign = np.uint64(1) << np.uint64(63)
    buffer = np.empty(1)
    buffer.view(np.uint64)[0] = key ^ sign if key & sign else ~key
    value: float = buffer[0]
    return value


# --------------------------------------------------------------------------------------------
# Bucket selection of a few order statistics of the pooled sample: two passes, not sixteen.
# --------------------------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def _bucket_of(v: float, lo: float, scale: float, last: int) -> int:
    return min(int((v - lo) * scale), last)


@njit(cache=True, nogil=True)
def _count_buckets(a: np.ndarray, lo: float, hi: float, scale: float, counts: np.ndarray) -> None:
    last = counts.size - 1
    for i in range(a.size):
        v = float(a[i])
        if lo <= v <= hi:
            counts[_bucket_of(v, lo, scale, last)] += 1


@njit(cache=True, nogil=True)
def _gather_buckets(
    a: np.ndarray, lo: float, hi: float, scale: float, fill: np.ndarray, kept: np.ndarray
) -> None:
    last = fill.size - 1
    for i in range(a.size):
        v = float(a[i])
        if lo <= v <= hi:
            b = _bucket_of(v, lo, scale, last)
            if fill[b] >= 0:
                kept[fill[b]] = v
                fill[b] += 1


@njit(cache=True, nogil=True)
def histogram_pair_select(
    x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: np.ndarray, n_buckets: int, keep: int
) -> tuple[bool, np.ndarray]:
    """The ``ranks``-th smallest (from 0, ascending) of the pooled values of x and y in [lo, hi].

    As float64, like the radix selection, in two reads of each array: the values are counted in
    ``n_buckets`` equal-width buckets over [lo, hi] (the bucket is monotone in the value, so
    the cumulative counts name the bucket of each rank), then the values of the wanted buckets
    only are copied out and sorted. False (and nothing selected) where that would copy more
    than ``keep`` values (a sample piled into a few buckets by far outliers) or the range gives
    no finite bucket width: the caller then takes the radix selection, which needs no copy.
    """
    out = np.empty(ranks.size)
    scale = n_buckets / (hi - lo) if hi > lo else 0.0
    if not (0.0 < scale < np.inf):
        return False, out
    counts = np.zeros(n_buckets, np.int64)
    _count_buckets(x, lo, hi, scale, counts)
    _count_buckets(y, lo, hi, scale, counts)
    start = np.zeros(n_buckets + 1, np.int64)
    for b in range(n_buckets):
        start[b + 1] = start[b] + counts[b]
    fill = np.full(n_buckets, -1, np.int64)
    bucket_of = np.empty(ranks.size, np.int64)
    kept_size = 0
    b = 0
    for j in range(ranks.size):
        if not 0 <= ranks[j] < start[n_buckets]:
            return False, out
        while start[b + 1] <= ranks[j]:
            b += 1
        bucket_of[j] = b
        if fill[b] < 0:
            fill[b] = kept_size
            kept_size += counts[b]
    if kept_size > keep:
        return False, out
    offset = fill.copy()
    kept = np.empty(kept_size)
    _gather_buckets(x, lo, hi, scale, fill, kept)
    _gather_buckets(y, lo, hi, scale, fill, kept)
    for j in range(ranks.size):
        b = bucket_of[j]
        if j == 0 or bucket_of[j - 1] != b:
            kept[offset[b] : offset[b] + counts[b]].sort()
        out[j] = kept[offset[b] + ranks[j] - start[b]]
    return True, out

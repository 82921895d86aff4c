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

"""The read floor: one plain pass over both arrays (a numba sum), serial and in parallel.

A binning pass reads every value once, so it cannot beat this; the ratio to it says how much
the binning itself costs on top of the memory traffic.

Two floors: ``read_both`` lets LLVM reorder the additions (fastmath), so the sum vectorises and
runs at memory speed — the strict floor the benches report against; ``ordered=True`` adds
in source order, one dependent addition per value, which is what a plain numba sum loop costs
(the "~0.6 ns per sample" floor the sample-estimator issue quotes).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}


@njit(cache=True, fastmath=FASTMATH)
def _sum(a: np.ndarray) -> float:
    total = 0.0
    for i in range(a.size):
        total += a[i]
    return total


@njit(cache=True, fastmath=FASTMATH, parallel=True)
def _sum_chunks(a: np.ndarray, n_chunks: int) -> float:
    partial = np.zeros(n_chunks)
    for c in prange(n_chunks):
        partial[c] = _sum(a[c * a.size // n_chunks : (c + 1) * a.size // n_chunks])
    return float(partial.sum())


@njit(cache=True)
def _sum_ordered(a: np.ndarray) -> float:
    total = 0.0
    for i in range(a.size):
        total += a[i]
    return total


@njit(cache=True, parallel=True)
def _sum_ordered_chunks(a: np.ndarray, n_chunks: int) -> float:
    partial = np.zeros(n_chunks)
    for c in prange(n_chunks):
        partial[c] = _sum_ordered(a[c * a.size // n_chunks : (c + 1) * a.size // n_chunks])
    return float(partial.sum())


def read_both(x: np.ndarray, y: np.ndarray, n_chunks: int = 0, *, ordered: bool = False) -> float:
    """Sum of x and y: serially, or in ``n_chunks`` parallel chunks of each.

    ``ordered=True`` adds in source order (no reassociation, so no vectorised sum).
    """
    serial, chunked = (_sum_ordered, _sum_ordered_chunks) if ordered else (_sum, _sum_chunks)
    if n_chunks:
        return chunked(x, n_chunks) + chunked(y, n_chunks)
    return float(serial(x) + serial(y))

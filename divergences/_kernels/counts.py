"""Divergences of count vectors (plug-in JSD and KL per row), and the thread policy."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .primitives import LOG2, _js_term, _kl_term
from .threads import _rows_in_parallel
from .twins import serial_and_parallel

# --------------------------------------------------------------------------------------------
# Divergences from counts (divergences.estimate). counts: (n_pairs, nb), any integer layout.
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def _js_row(cx: np.ndarray, cy: np.ndarray) -> float:
    """Plug-in JSD of one pair of count vectors, each divided by its own total."""
    nb = cx.size
    n_x = 0.0
    n_y = 0.0
    for j in range(nb):
        n_x += cx[j]
        n_y += cy[j]
    total = 0.0
    # a bin holding one sample only contributes (its share)/2 * log 2: summed as counts, so
    # that disjoint samples give log 2 exactly rather than a sum of rounded terms
    alone_x = 0.0
    alone_y = 0.0
    for j in range(nb):
        if cy[j] == 0:
            alone_x += cx[j]
        elif cx[j] == 0:
            alone_y += cy[j]
        else:
            total += _js_term(cx[j] / n_x, cy[j] / n_y)
    total += 0.5 * LOG2 * (alone_x / n_x + alone_y / n_y)
    return min(total, LOG2)


def _js_rows_body(counts_x: np.ndarray, counts_y: np.ndarray) -> np.ndarray:
    out = np.empty(counts_x.shape[0])
    for i in prange(counts_x.shape[0]):  # each pair writes only its own entry
        out[i] = _js_row(counts_x[i], counts_y[i])
    return out


_js_rows, _js_rows_parallel = serial_and_parallel(_js_rows_body)


def js_of_counts(counts_x: np.ndarray, counts_y: np.ndarray) -> np.ndarray:
    """Plug-in JSD of each row pair of counts ``(n_pairs, nb)``, rows in parallel when large."""
    if _rows_in_parallel(counts_x.shape[0], counts_x.size):
        return _js_rows_parallel(counts_x, counts_y)
    return _js_rows(counts_x, counts_y)


@njit(cache=True)
def _kl_row(cx: np.ndarray, cy: np.ndarray, pseudocount: float) -> tuple[float, float]:
    """Plug-in KL of one pair with ``pseudocount`` in every bin, and the off-support mass.

    ``p_j = (c_j + a) / (n + a nb)``; the off-support mass is the share of x's (raw) count in
    bins where y has none.
    """
    nb = cx.size
    n_x = 0.0
    n_y = 0.0
    stranded = 0.0
    for j in range(nb):
        n_x += cx[j]
        n_y += cy[j]
        if cy[j] == 0:
            stranded += cx[j]
    s_x = n_x + pseudocount * nb
    s_y = n_y + pseudocount * nb
    total = 0.0  # generalised terms, as in kl_divergence: 0 iff the histograms are equal
    for j in range(nb):
        total += _kl_term((cx[j] + pseudocount) / s_x, (cy[j] + pseudocount) / s_y)
    return total, stranded / n_x


def _kl_rows_body(
    counts_x: np.ndarray, counts_y: np.ndarray, pseudocount: float
) -> tuple[np.ndarray, np.ndarray]:
    out = np.empty(counts_x.shape[0])
    off_support = np.empty(counts_x.shape[0])
    for i in prange(counts_x.shape[0]):  # each pair writes only its own entries
        out[i], off_support[i] = _kl_row(counts_x[i], counts_y[i], pseudocount)
    return out, off_support


_kl_rows, _kl_rows_parallel = serial_and_parallel(_kl_rows_body)


def kl_of_counts(
    counts_x: np.ndarray, counts_y: np.ndarray, pseudocount: float
) -> tuple[np.ndarray, np.ndarray]:
    """Plug-in KL of each row pair (pseudocount in every bin) and x's off-support mass."""
    if _rows_in_parallel(counts_x.shape[0], counts_x.size):
        return _kl_rows_parallel(counts_x, counts_y, pseudocount)
    return _kl_rows(counts_x, counts_y, pseudocount)

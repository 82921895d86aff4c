"""Multivariate shared-edge histograms (product grids), as ``np.histogramdd``."""

from __future__ import annotations

import numpy as np
from numba import njit

from .binning import _exact_slot

# --------------------------------------------------------------------------------------------
# Multivariate shared-edge histograms (divergences.histogram_nd). A sample is (n, d); dimension
# j has the edges ``edges[offsets[j]:offsets[j + 1]]``; cells are numbered in C order.
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def histogram_pair_nd(a: np.ndarray, edges: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Counts of the rows of ``a`` in the cells of a product of 1-D bins, and what was left out.

    Returns ``n_cells + 3`` counts: the cells (C order), then rows outside the edges in some
    dimension (finite), rows with a NaN, rows with an infinity (NaN first: a row with both is
    counted as NaN). Each coordinate is placed as np.histogram places it (``_exact_slot``), so
    the cells equal np.histogramdd's.
    """
    n, d = a.shape
    sizes = np.empty(d, np.int64)
    for j in range(d):
        sizes[j] = offsets[j + 1] - offsets[j] - 1
    n_cells = 1
    for j in range(d):
        n_cells *= sizes[j]
    counts = np.zeros(n_cells + 3, np.int64)
    for i in range(n):
        flat = 0
        outside = False
        nan = False
        inf = False
        for j in range(d):
            row_edges = edges[offsets[j] : offsets[j + 1]]
            nb = sizes[j]
            slot = _exact_slot(float(a[i, j]), row_edges)
            if slot == nb + 2:
                nan = True
            elif slot == nb + 3:
                inf = True
            elif slot == 0 or slot == nb + 1:
                outside = True
            else:
                flat = flat * nb + (slot - 1)
        if nan:
            counts[n_cells + 1] += 1
        elif inf:
            counts[n_cells + 2] += 1
        elif outside:
            counts[n_cells] += 1
        else:
            counts[flat] += 1
    return counts

"""The extended-counts layout, named once.

A sample binned on ``nb`` bins gives ``nb + EXTRA_SLOTS`` counts along the last axis:
``[below, bin 0, ..., bin nb-1, above, NaN, inf]``: finite values below the first edge, the
bins (as ``np.histogram``: bin ``i`` is ``[edges[i], edges[i+1])``, the last one closed),
finite values above the last edge, NaN values, infinities. Every value lands in exactly one
slot, so the counts sum to the sample size. Plain Python (no numba): the kernels, the
streaming accumulator, dask reductions and saved accumulator files all use this layout.
"""

from __future__ import annotations

import numpy as np

#: Slots around the ``nb`` bins: below, above, NaN, inf.
EXTRA_SLOTS = 4


def width(n_bins: int) -> int:
    """Length of an extended count vector for ``n_bins`` bins."""
    return n_bins + EXTRA_SLOTS


def n_bins_of(ext: np.ndarray) -> int:
    """The number of bins of an extended count vector (or of each row of a batch)."""
    return int(ext.shape[-1]) - EXTRA_SLOTS


def bins(ext: np.ndarray) -> np.ndarray:
    """The bins' counts (a view), along the last axis."""
    return ext[..., 1 : n_bins_of(ext) + 1]


def nonfinite(ext: np.ndarray) -> tuple[int, int]:
    """NaN and infinite counts (summed over the rows of a batch)."""
    nb = n_bins_of(ext)
    return int(ext[..., nb + 2].sum()), int(ext[..., nb + 3].sum())

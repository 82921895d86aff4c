r"""Shared-edge histograms of two multivariate samples: a product of 1-D bins.

The 1-D functions read a 2-D array as a *batch* of 1-D samples ``(n_pairs, n)``; the functions
here read it as *one* sample of ``n`` points in ``d`` dimensions, ``(n, d)``. They are separate
functions so that the two meanings can never be confused: :func:`histogram_pair_nd`,
:func:`divergences.js_from_samples_nd`, :func:`divergences.kl_from_samples_nd`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _compiled
from ._bin_rules import uniform_edges
from ._checks.multivariate import (
    MAX_CELLS,
    as_samples_nd,
    check_bins_nd,
    check_range_nd,
    check_sample_pair_nd,
    raise_edges_with_range_nd,
    raise_too_many_cells,
)
from ._checks.samples import check_nonfinite_policy, raise_no_finite_values, raise_nonfinite

__all__ = ["HistogramPairND", "histogram_pair_nd"]


@dataclass(frozen=True, repr=False)
class HistogramPairND:
    r"""Counts of two multivariate samples on a shared grid of cells.

    Attributes
    ----------
    counts_x, counts_y : ndarray of int64, shape :math:`(b_1, \dots, b_d)`
        Number of points of each sample in each cell, cell :math:`(i_1, \dots, i_d)` being the
        product of bin :math:`i_j` of dimension ``j``, as in ``np.histogramdd``.
    edges : tuple of d ndarrays
        The bin edges of each dimension (float64).
    n_x, n_y : int
        Numbers of points, including dropped ones.
    dropped_x, dropped_y : int
        Points left out: outside the edges in some dimension, or non-finite under
        ``nonfinite="omit"``.
    rule : str
        How the bins were chosen, e.g. ``"bins=(10, 10)"``.
    """

    counts_x: np.ndarray
    counts_y: np.ndarray
    edges: tuple[np.ndarray, ...]
    n_x: int
    n_y: int
    dropped_x: int
    dropped_y: int
    rule: str

    @property
    def n_bins(self) -> int:
        """Number of cells (the product of the bins per dimension)."""
        return int(self.counts_x.size)

    @property
    def shape(self) -> tuple[int, ...]:
        """Bins per dimension."""
        return tuple(int(s) for s in self.counts_x.shape)

    @property
    def batch(self) -> bool:
        """Always False: a multivariate histogram holds one pair."""
        return False

    def __repr__(self) -> str:
        return (
            f"HistogramPairND({'x'.join(map(str, self.shape))} cells ({self.rule}), "
            f"n_x={self.n_x}, n_y={self.n_y}, dropped_x={self.dropped_x}, "
            f"dropped_y={self.dropped_y})"
        )


def histogram_pair_nd(
    x: Any, y: Any, *, bins: Any = 10, range: Any = None, nonfinite: str = "raise"
) -> HistogramPairND:
    r"""Histograms of two multivariate samples on a shared grid of cells.

    Parameters
    ----------
    x, y : array_like, shape ``(n_x, d)`` and ``(n_y, d)``
        Two samples of points in the same ``d``-dimensional space, one point per row. (A 2-D
        array given to :func:`divergences.histogram_pair` is a batch of 1-D samples instead.)
    bins : int or sequence, default 10
        Equal-width bins per dimension: one integer for every dimension, or a sequence of ``d``
        entries, each an integer or explicit strictly increasing edges (as ``np.histogramdd``).
    range : sequence of (float, float) or None, optional
        Outer edges of each dimension (``None`` entries allowed); default: the pooled minimum
        and maximum of that coordinate (widened by 0.5 on each side when all values are
        equal, as numpy does). Points outside in any dimension are counted as dropped.
    nonfinite : {"raise", "omit"}, default "raise"
        Points with a NaN or infinite coordinate are an error, or are left out and counted as
        dropped.

    Returns
    -------
    HistogramPairND
        Counts of shape :math:`(b_1, \dots, b_d)`, edges per dimension, sizes and dropped counts.

    Notes
    -----
    Cells are half-open :math:`[e_i, e_{i+1})` in every dimension with the last bin closed, exactly
    as ``np.histogramdd``. The number of cells is the product of the bins per dimension, so it
    grows exponentially with ``d`` while the sample does not: with ``n`` points, a grid of more
    than about ``n`` cells leaves most of them with zero or one point and the plug-in JSD of
    two samples of the same law climbs towards :math:`\log 2` (see ``estimate.fine-bins-saturate``).
    Keep :math:`n / \text{cells}` large, or use :func:`divergences.kl_knn`.

    *Resolution.* A histogram cannot tell apart points that share a cell: two distributions
    whose supports are closer than one bin width may share cells and look alike, however
    different they are. Supports that fall in disjoint cells give exactly :math:`JSD = \log 2` and
    :math:`KL = \infty`, however close they are. Both are properties of the binned distributions,
    which are what the estimators estimate.

    Examples
    --------
    The parallel lines of WGAN Example 1: :math:`P_0 = (0, Z)`, :math:`P_\theta = (\theta, Z)`,
    :math:`Z \sim U[0, 1]`.

    >>> import numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> z0, z1 = rng.uniform(size=500), rng.uniform(size=500)
    >>> x = np.column_stack([np.zeros(500), z0])
    >>> y = np.column_stack([np.full(500, 0.3), z1])
    >>> h = dv.histogram_pair_nd(x, y, bins=(4, 5), range=[(-1, 1), (0, 1)])
    >>> h.shape, h.counts_x.sum(axis=1), h.counts_y.sum(axis=1)
    ((4, 5), array([  0,   0, 500,   0]), array([  0,   0, 500,   0]))
    """
    xs = as_samples_nd(x, "x")
    ys = as_samples_nd(y, "y")
    d = check_sample_pair_nd(xs, ys)
    specs = check_bins_nd(bins, d)
    ranges = check_range_nd(range, d)
    policy = check_nonfinite_policy(nonfinite)
    if policy == "raise":
        for a, name in ((xs, "x"), (ys, "y")):
            if not np.isfinite(a).all():
                raise_nonfinite(name, int(np.isnan(a).sum()), int(np.isinf(a).sum()))
    edges = []
    labels = []
    for j, ((kind, spec), range_j) in enumerate(zip(specs, ranges, strict=True)):
        if kind == "edges":
            if range_j is not None:
                raise_edges_with_range_nd(j)
            edges.append(np.asarray(spec, dtype=np.float64))
            labels.append("edges")
            continue
        if range_j is None:
            lo, hi = _pooled_range_nd(xs[:, j], ys[:, j])
        else:
            lo, hi = range_j
        edges.append(uniform_edges(spec, lo, hi, np.dtype(np.float64)))
        labels.append(str(spec))
    shape = tuple(e.size - 1 for e in edges)
    if math.prod(shape) > MAX_CELLS:
        raise_too_many_cells(shape)
    flat = np.ascontiguousarray(np.concatenate(edges))
    offsets = np.cumsum([0] + [e.size for e in edges]).astype(np.int64)
    ext_x = _compiled.histogram_pair_nd(xs, flat, offsets)
    ext_y = _compiled.histogram_pair_nd(ys, flat, offsets)
    n_cells = math.prod(shape)
    counts_x = ext_x[:n_cells].reshape(shape)
    counts_y = ext_y[:n_cells].reshape(shape)
    return HistogramPairND(
        counts_x=counts_x,
        counts_y=counts_y,
        edges=tuple(edges),
        n_x=int(xs.shape[0]),
        n_y=int(ys.shape[0]),
        dropped_x=int(xs.shape[0] - counts_x.sum()),
        dropped_y=int(ys.shape[0] - counts_y.sum()),
        rule=f"bins=({', '.join(labels)})",
    )


def _pooled_range_nd(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Pooled min and max of one coordinate over its finite values."""
    lo, hi = np.inf, -np.inf
    for a in (x, y):
        finite = np.isfinite(a)
        if not finite.all():
            a = a[finite]
        if a.size:
            lo, hi = min(lo, float(a.min())), max(hi, float(a.max()))
    if lo > hi:
        raise_no_finite_values()
    return lo, hi

r"""Dask arrays in the sample estimators: the numba kernels per chunk, counts summed in a tree.

:func:`divergences.histogram_pair`, :func:`divergences.js_from_samples`,
:func:`divergences.kl_from_samples` and :func:`divergences.js_test` accept 1-D ``dask.array``
samples (one of the two may be a numpy array). Nothing here is public API beyond that: this
module holds the per-chunk tasks and the reductions they feed, and is imported only when a dask
array is passed, so dask is an optional dependency (``pip install -e ".[dask]"`` from a clone).

Every pass over the data of the in-memory path becomes one map-reduce over the chunks:

* *range* (when ``range`` is not given): each chunk's min and max (and NaN, inf counts) by the
  range kernel, reduced by min, max and sums;
* *bin rules* (``bins="auto"``, ``"fd"``, ...): the moments and the radix-selection passes that
  find the pooled quartiles, each chunk counted by its kernel and the counts summed; the
  ``"quantile"`` rule computes the evenly strided subsample it reads;
* *binning*: each chunk's extended counts (below, bins, above, NaN, inf) by the binning kernel,
  summed.

A reduction is a ``map_blocks`` of the kernel (one row of counts per chunk) followed by dask's
``sum``/``min``/``max`` with ``split_every=SPLIT_EVERY``: a tree of partial sums, so no task
holds more than ``SPLIT_EVERY`` rows and the graph scales to millions of chunks. Counts are
int64 and exact, so the histogram equals the in-memory one bit for bit. Each pass is one
``dask.compute`` on whatever scheduler is active (a ``dask.distributed`` client if one exists,
else dask's threads; the kernels release the GIL). The edges are chosen between passes by the
same code as in memory.

Examples
--------
>>> import numpy as np, divergences as dv
>>> import pytest; da = pytest.importorskip("dask.array")
>>> rng = np.random.default_rng(0)
>>> x, y = rng.normal(0, 1, 10_000), rng.normal(0.5, 1, 8_000)
>>> hx, hy = da.from_array(x, chunks=3_000), da.from_array(y, chunks=2_500)
>>> h = dv.histogram_pair(hx, hy, bins=32)
>>> np.array_equal(h.counts_x, dv.histogram_pair(x, y, bins=32).counts_x)
True
>>> dv.js_from_samples(hx, hy).value == dv.js_from_samples(x, y).value
True

With edges fixed up front, ``compute=False`` gives a ``dask.delayed`` object, so many histograms
share one ``dask.compute``:

>>> import dask
>>> lazy = dv.histogram_pair(hx, hy, bins=16, range=(-4, 4), compute=False)
>>> (h,) = dask.compute(lazy)
>>> h.n_x, h.n_y, h.dropped_x + h.dropped_y
(10000, 8000, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _compiled, _extended
from ._checks.samples import (
    as_samples,
    check_dask_sample,
    check_sample_pair,
    raise_no_finite_values,
    raise_nonfinite,
)

__all__: list[str] = []

#: Fan-in of the reduction trees: each combining task adds at most this many rows of counts.
SPLIT_EVERY = 8
#: Columns of a chunk's range row: finite min, finite max, finite, NaN and inf counts.
_RANGE_WIDTH = 5


def samples(x: Any, y: Any) -> tuple[Any, Any]:
    """X and y as dask samples of a kernel-ready dtype (a numpy partner becomes one chunk)."""
    xs, ys = _as_dask_sample(x, "x"), _as_dask_sample(y, "y")
    check_sample_pair(xs, ys)
    return xs, ys


def extended_counts(xs: Any, ys: Any, edges: np.ndarray) -> tuple[Any, Any]:
    """Lazy extended counts of both samples on ``edges``: per chunk, then a tree reduction."""
    import dask

    # one graph node holding the edges, which every chunk's task reads (not a copy per task)
    edges64 = dask.delayed(np.ascontiguousarray(edges, dtype=np.float64), pure=True)
    width = _extended.width(edges.size - 1)
    ext_x = _reduce_sum(_per_chunk(_chunk_counts, xs, width, np.int64, edges64))
    ext_y = _reduce_sum(_per_chunk(_chunk_counts, ys, width, np.int64, edges64))
    return ext_x, ext_y


def compute(*lazy: Any) -> tuple[Any, ...]:
    """``dask.compute`` on the active scheduler."""
    import dask

    return tuple(dask.compute(*lazy))


def delayed(function: Any) -> Any:
    """``dask.delayed(function, pure=True)``: a lazy call of a library function."""
    import dask

    return dask.delayed(function, pure=True)


def _as_dask_sample(a: Any, name: str) -> Any:
    """A dask sample of a kernel-ready dtype; a numpy partner becomes a one-chunk dask array."""
    import dask.array as da

    if type(a).__module__.split(".")[0] != "dask":
        arr = as_samples(a, name)
        return da.from_array(arr, chunks=arr.shape)
    check_dask_sample(a, name)
    if a.dtype == np.float16:  # as as_samples: numba has no float16 arithmetic
        a = a.astype(np.float32)
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    return a


def _per_chunk(function: Any, a: Any, width: int, dtype: Any, *args: Any) -> Any:
    """``function(chunk, *args)`` on every chunk, each giving one row: shape (n_chunks, width)."""
    import dask.array as da

    n_chunks = len(a.chunks[0])
    return da.map_blocks(
        function,
        a,
        *args,
        chunks=((1,) * n_chunks, (width,)),
        new_axis=1,
        meta=np.empty((0, 0), dtype),
    )


def _reduce_sum(rows: Any) -> Any:
    return rows.sum(axis=0, split_every=SPLIT_EVERY)


# ---------------------------------------------------------------------------------------------
# Tasks on one chunk (a numpy array): module-level functions, so workers import them by name
# ---------------------------------------------------------------------------------------------


def _chunk_counts(chunk: np.ndarray, edges64: np.ndarray) -> np.ndarray:
    counts: np.ndarray = _compiled.histogram_pair(chunk, edges64)
    return counts[None, :]


def _chunk_range(chunk: np.ndarray) -> np.ndarray:
    """``[finite min, finite max, n finite, n NaN, n inf]`` (min inf and max -inf if none)."""
    lo, hi, n_nan, found = _compiled.histogram_pair_range(chunk)
    if found and n_nan == 0 and np.isfinite(lo) and np.isfinite(hi):
        return np.array([[lo, hi, chunk.size, 0.0, 0.0]])
    stats: np.ndarray = _compiled.histogram_pair_finite_range(chunk)
    return stats[None, :]


def _chunk_moments(chunk: np.ndarray, lo: float, hi: float, shift: float) -> np.ndarray:
    moments: np.ndarray = _compiled.histogram_pair_moments(chunk, lo, hi, shift)
    return moments[None, :]


def _chunk_radix_count(
    chunk: np.ndarray, lo: float, hi: float, shift: int, prefix: np.uint64, size: int
) -> np.ndarray:
    counts = np.zeros((1, size), np.int64)
    _compiled.histogram_pair_radix_count(chunk, lo, hi, shift, prefix, counts[0])
    return counts


# ---------------------------------------------------------------------------------------------
# The passes of divergences.histogram on dask arrays (called from there)
# ---------------------------------------------------------------------------------------------


def pooled_range(x: Any, y: Any, policy: str) -> tuple[float, float, bool]:
    """As ``histogram._pooled_range``: pooled finite min and max, and whether all were finite."""
    import dask

    parts = []
    for a in (x, y):
        rows = _per_chunk(_chunk_range, a, _RANGE_WIDTH, np.float64)
        parts += [
            rows[:, 0].min(split_every=SPLIT_EVERY),
            rows[:, 1].max(split_every=SPLIT_EVERY),
            _reduce_sum(rows[:, 2:]),
        ]
    lo_x, hi_x, stats_x, lo_y, hi_y, stats_y = dask.compute(*parts)
    if policy == "raise":
        for stats, name in ((stats_x, "x"), (stats_y, "y")):
            if stats[1] or stats[2]:
                raise_nonfinite(name, int(stats[1]), int(stats[2]))
    if stats_x[0] + stats_y[0] == 0:
        raise_no_finite_values()
    finite = not (stats_x[1:].any() or stats_y[1:].any())
    return float(min(lo_x, lo_y)), float(max(hi_x, hi_y)), finite


def moments(a: Any, lo: float, hi: float, shift: float) -> np.ndarray:
    """As ``_compiled.histogram_pair_moments`` over all chunks of ``a``.

    Count, min, max, sum of ``v - shift``, sum of its square. The sums add per-chunk sums, so
    they may differ from the in-memory pass in the last bits (the ``"scott"`` rule's standard
    deviation); counts, min and max are exact.
    """
    import dask

    rows = _per_chunk(_chunk_moments, a, 5, np.float64, lo, hi, shift)
    count, low, high, sums = dask.compute(
        _reduce_sum(rows[:, 0]),
        rows[:, 1].min(split_every=SPLIT_EVERY),
        rows[:, 2].max(split_every=SPLIT_EVERY),
        _reduce_sum(rows[:, 3:]),
    )
    return np.array([count, low, high, sums[0], sums[1]])


def radix_count(a: Any, lo: float, hi: float, shift: int, prefix: np.uint64, size: int) -> Any:
    """As ``_compiled.histogram_pair_radix_count`` over all chunks of ``a`` (counts returned)."""
    rows = _per_chunk(_chunk_radix_count, a, size, np.int64, lo, hi, shift, prefix, size)
    return _reduce_sum(rows).compute()


def strided(a: Any, stride: int) -> np.ndarray:
    """``a[::stride]`` computed (the quantile rule's subsample, at most 2^20 values)."""
    out: np.ndarray = np.asarray(a[::stride].compute())
    return out

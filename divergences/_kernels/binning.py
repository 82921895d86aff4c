"""Binning on shared edges exactly as ``np.histogram``, one sample or a batch of rows."""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit, prange

from .._extended import EXTRA_SLOTS
from .ranges import _merge_range, _range_of
from .threads import _rows_in_parallel
from .twins import serial_and_parallel


@njit(cache=True)
def _exact_slot(v: float, edges: np.ndarray) -> int:
    """Extended slot of ``v`` by binary search: the exact np.histogram bin, or an outside slot."""
    nb = edges.size - 1
    if v != v:
        return nb + 2
    if v == np.inf or v == -np.inf:
        return nb + 3
    if v < edges[0]:
        return 0
    if v > edges[nb]:
        return nb + 1
    lo = 0
    hi = nb
    while hi - lo > 1:  # invariant: edges[lo] <= v, and v < edges[hi] or hi == nb
        mid = (lo + hi) >> 1
        if edges[mid] <= v:
            lo = mid
        else:
            hi = mid
    return lo + 1


@njit(cache=True)
def _bin_uniform(
    a: np.ndarray, counts: np.ndarray, lo: float, norm: float, tol: float, edges: np.ndarray
) -> None:
    """Add the extended slots of ``a`` to ``counts`` (bins nearly uniform, see the wrapper).

    The guess ``f = (v - lo) * norm`` is within ``tol`` bins of the exact position (the wrapper
    bounds the rounding of the guess and of the edges). A value whose guess is further than
    ``tol`` from every integer lands in bin ``int(f)`` for certain; the rest (values within
    rounding of an edge, outside the range, NaN, inf) are placed by binary search on the
    actual edges, so the counts equal np.histogram's exactly.
    """
    nb = edges.size - 1
    first = edges[0]
    last = edges[nb]
    for i in range(a.size):
        v = float(a[i])
        d = v - lo
        f = d * norm
        k0 = int(f - tol)
        k1 = int(f + tol)
        # d >= 0 rather than f >= 0: d * norm may underflow to -0.0 for v just below lo; and
        # 0 <= k0: int() of inf or of a huge f is negative
        if d >= 0.0 and k0 >= 0 and k0 == k1 and k1 < nb:
            counts[k1 + 1] += 1
            continue
        # The rare cases, written out in the loop rather than as a call to _exact_slot: the
        # call made the whole loop 1.5x slower (1.59 against 1.06 ns/sample, 2e7 normals,
        # 1024 bins, measured interleaved in one process).
        if v != v:
            counts[nb + 2] += 1
        elif v == np.inf or v == -np.inf:
            counts[nb + 3] += 1
        elif v < first:
            counts[0] += 1
        elif v > last:
            counts[nb + 1] += 1
        else:
            below = 0
            above = nb
            while above - below > 1:  # invariant: edges[below] <= v < edges[above] or above == nb
                mid = (below + above) >> 1
                if edges[mid] <= v:
                    below = mid
                else:
                    above = mid
            counts[below + 1] += 1


#: Cells per bin of the guide table of :func:`_bin_search` (most cells then hold no edge, and
#: a value's bin is read off without a search) ...
GUIDE_CELLS_PER_BIN = 16
#: ... but at least this many values per cell (building the table costs about a value's
#: placement per cell) and at most this many cells (256 KiB of int32, within L2).
GUIDE_VALUES_PER_CELL = 4
GUIDE_MAX_CELLS = 1 << 16
#: A bracket wider than this many bins is searched by bisection, a narrower one by a walk.
GUIDE_WALK_BINS = 8


@njit(cache=True)
def _bin_search(a: np.ndarray, counts: np.ndarray, edges: np.ndarray) -> None:
    """Add the extended slots of ``a`` to ``counts`` on edges of any spacing, exactly.

    A binary search over all edges costs a dozen unpredictable branches per value. For larger
    samples a *guide table* first cuts the range into equal cells (``GUIDE_CELLS_PER_BIN`` per
    bin, within the limits above) and records the bin of each cell boundary; a value's cell
    (one multiplication) then brackets its bin between two table entries, and the bracket is
    *verified* against the actual edges before a walk (or, for a wide bracket, a bisection)
    inside it: in most cells the bracket is one bin and nothing is searched. A value the
    guess does not bracket (rounding at a cell boundary, values outside the range, NaN, inf)
    is placed by the full search, so the counts are np.histogram's whatever the guess.
    """
    nb = edges.size - 1
    lo = edges[0]
    hi = edges[nb]
    span = hi - lo
    cells = min(GUIDE_CELLS_PER_BIN * nb, a.size // GUIDE_VALUES_PER_CELL, GUIDE_MAX_CELLS)
    scale = cells / span if span > 0.0 else 0.0
    if cells < nb or not (0.0 < span < np.inf and 0.0 < scale < np.inf):
        for i in range(a.size):
            counts[_exact_slot(float(a[i]), edges)] += 1
        return
    step = span / cells
    # the edges with the last one at +inf: a walk up from a verified bracket stops inside it
    # (v < edges[above] there, or above is the end and v, at most hi, stays in the closed last
    # bin)
    stops = edges.copy()
    stops[nb] = np.inf
    guide = np.empty(cells + 1, np.int32)
    k = 0
    for c in range(cells + 1):  # the bin of each cell boundary (past the last edge: the last bin)
        g = lo + c * step
        while k < nb - 1 and edges[k + 1] <= g:
            k += 1
        guide[c] = k
    for i in range(a.size):
        v = float(a[i])
        if not (lo <= v <= hi):  # outside, NaN, inf
            counts[_exact_slot(v, edges)] += 1
            continue
        c = min(int((v - lo) * scale), cells - 1)
        below = int(guide[c])
        above = int(guide[c + 1]) + 1
        # verify the bracket: edges[below] <= v, and v < edges[above] unless above is the end
        if not (edges[below] <= v and (above >= nb or v < edges[above])):
            counts[_exact_slot(v, edges)] += 1
            continue
        above = min(above, nb)
        # invariant: edges[below] <= v < stops[above]
        while above - below > GUIDE_WALK_BINS:
            mid = (below + above) >> 1
            if edges[mid] <= v:
                below = mid
            else:
                above = mid
        while stops[below + 1] <= v:
            below += 1
        counts[below + 1] += 1


@njit(cache=True)
def _bin_into(
    a: np.ndarray,
    counts: np.ndarray,
    lo: float,
    norm: float,
    tol: float,
    edges: np.ndarray,
    uniform: bool,
) -> None:
    if uniform:
        _bin_uniform(a, counts, lo, norm, tol, edges)
    else:
        _bin_search(a, counts, edges)


@njit(cache=True)
def _bin_plan(edges: np.ndarray) -> tuple[float, float, bool]:
    """``(norm, tol, uniform)`` for binning on float64 ``edges`` with _bin_uniform.

    ``norm = nb / (hi - lo)`` makes the guess a multiplication. ``tol`` bounds, in bins, how far
    the guess can be from the exact position: the measured distance of the edges from the ideal
    grid ``lo + i (hi - lo) / nb`` (numpy's linspace is a few ulps off it; user edges may be
    anything), plus the rounding of the guess and of that measurement. Beyond a quarter of a bin
    the edges are not uniform enough and every value is placed by binary search.
    """
    nb = edges.size - 1
    lo = edges[0]
    hi = edges[nb]
    width = (hi - lo) / nb
    if not (0.0 < width < np.inf):
        # coinciding edges (a range of a few subnormals over many bins) or an overflowing
        # range: no guess to make; binary search places values, and the caller reports them
        return 0.0, 0.0, False
    deviation = 0.0
    for i in range(nb + 1):
        deviation = max(deviation, abs(edges[i] - (lo + i * width)))
    eps = 2.0**-52
    tol = deviation / width + 8.0 * eps * ((abs(lo) + abs(hi)) / width + nb) + 1e-300
    uniform = tol < 0.25 and width > 0.0 and width < np.inf
    return nb / (hi - lo), tol, uniform


@njit(cache=True, nogil=True)
def histogram_pair(a: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Extended counts of one sample on float64 ``edges``, in one pass."""
    norm, tol, uniform = _bin_plan(edges)
    counts = np.zeros(edges.size - 1 + EXTRA_SLOTS, np.int64)
    _bin_into(a, counts, edges[0], norm, tol, edges, uniform)
    return counts


@njit(cache=True, parallel=True)
def _bin_chunks(
    a: np.ndarray,
    edges: np.ndarray,
    norm: float,
    tol: float,
    uniform: bool,
    n_chunks: int,
) -> np.ndarray:
    width = edges.size - 1 + EXTRA_SLOTS
    # one private histogram per chunk, reduced serially: no two threads write the same counts
    partial = np.zeros((n_chunks, width), np.int64)
    for c in prange(n_chunks):
        chunk = a[c * a.size // n_chunks : (c + 1) * a.size // n_chunks]
        _bin_into(chunk, partial[c], edges[0], norm, tol, edges, uniform)
    counts = np.zeros(width, np.int64)
    for c in range(n_chunks):
        counts += partial[c]
    return counts


@njit(cache=True)
def histogram_pair_parallel(a: np.ndarray, edges: np.ndarray, n_chunks: int) -> np.ndarray:
    """As histogram_pair, the array cut into ``n_chunks`` binned in parallel."""
    norm, tol, uniform = _bin_plan(edges)
    return _bin_chunks(a, edges, norm, tol, uniform, n_chunks)


@njit(cache=True)
def _uniform_edges(lo: Any, hi: Any, out: np.ndarray) -> None:
    """``np.linspace(lo, hi, out.size)`` operation for operation, in the dtype of ``out``.

    ``lo`` and ``hi`` are scalars of that dtype. Without fastmath: a fused multiply-add would
    round differently from numpy.
    """
    nb = out.size - 1
    typed = out.dtype.type  # every operand in out's dtype: float32 * int64 would be float64
    delta = hi - lo
    div = typed(nb)
    step = delta / div
    if step == 0:  # numpy's special case for subnormal steps (gh-5437)
        for i in range(nb):
            out[i] = typed(i) / div * delta + lo
    else:
        for i in range(nb):
            out[i] = typed(i) * step + lo
    out[nb] = hi


def _batch_range_rows_body(x: np.ndarray, y: np.ndarray, out: np.ndarray) -> None:
    for i in prange(x.shape[0]):  # each pair writes only its own row
        lo, hi, n_nan, found = _merge_range(_range_of(x[i]), _range_of(y[i]))
        out[i, 0] = lo
        out[i, 1] = hi
        out[i, 2] = n_nan
        out[i, 3] = found


_batch_range_rows, _batch_range_rows_parallel = serial_and_parallel(_batch_range_rows_body)


def histogram_pair_batch_range(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per pair (row): pooled min, max (NaN ignored), NaN count, and 1 if it has a number."""
    out = np.empty((x.shape[0], 4))
    if _rows_in_parallel(x.shape[0], x.size + y.size):
        _batch_range_rows_parallel(x, y, out)
    else:
        _batch_range_rows(x, y, out)
    return out


@njit(cache=True)
def _batch_outputs(n_pairs: int, nb: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Extended counts of x and y (zeroed), and the contiguous bin counts copied out of them.

    The batch kernels copy each row's bins while the row is in cache, instead of numpy copying
    the ``[:, 1 : nb + 1]`` columns afterwards (0.2 ms of a 5 ms batch of 1000 x 32 bins).
    """
    ext_x = np.zeros((n_pairs, nb + EXTRA_SLOTS), np.int64)
    ext_y = np.zeros((n_pairs, nb + EXTRA_SLOTS), np.int64)
    return ext_x, ext_y, np.empty((n_pairs, nb), np.int64), np.empty((n_pairs, nb), np.int64)


def _batch_rows_body(
    x: np.ndarray,
    y: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    edges: np.ndarray,
    ext_x: np.ndarray,
    ext_y: np.ndarray,
    counts_x: np.ndarray,
    counts_y: np.ndarray,
) -> None:
    nb = edges.shape[1] - 1
    for i in prange(x.shape[0]):  # each pair writes only its own rows
        _uniform_edges(lo[i], hi[i], edges[i])
        row = edges[i].astype(np.float64)
        norm, tol, uniform = _bin_plan(row)
        _bin_into(x[i], ext_x[i], row[0], norm, tol, row, uniform)
        _bin_into(y[i], ext_y[i], row[0], norm, tol, row, uniform)
        counts_x[i] = ext_x[i, 1 : nb + 1]
        counts_y[i] = ext_y[i, 1 : nb + 1]


_batch_rows, _batch_rows_parallel = serial_and_parallel(_batch_rows_body)


def histogram_pair_batch(
    x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray, edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Extended counts of every pair (row) of x and y on its own uniform edges, and bin counts.

    ``lo[i]``, ``hi[i]`` (in the dtype of ``edges``) give pair i's outer edges; ``edges`` of
    shape ``(n_pairs, nb + 1)`` is filled here as numpy's linspace would fill it. Pairs are
    independent, each writing only its own rows: they run in parallel when the thread policy
    allows (``threads._rows_in_parallel``; a busy machine gets the serial twin).
    """
    n_pairs, n_edges = edges.shape
    outputs = _batch_outputs(n_pairs, n_edges - 1)
    if _rows_in_parallel(n_pairs, x.size + y.size):
        _batch_rows_parallel(x, y, lo, hi, edges, *outputs)
    else:
        _batch_rows(x, y, lo, hi, edges, *outputs)
    return outputs


def _batch_rows_shared_body(
    x: np.ndarray,
    y: np.ndarray,
    edges: np.ndarray,
    ext_x: np.ndarray,
    ext_y: np.ndarray,
    counts_x: np.ndarray,
    counts_y: np.ndarray,
) -> None:
    nb = edges.size - 1
    norm, tol, uniform = _bin_plan(edges)
    for i in prange(x.shape[0]):  # each pair writes only its own rows
        _bin_into(x[i], ext_x[i], edges[0], norm, tol, edges, uniform)
        _bin_into(y[i], ext_y[i], edges[0], norm, tol, edges, uniform)
        counts_x[i] = ext_x[i, 1 : nb + 1]
        counts_y[i] = ext_y[i, 1 : nb + 1]


_batch_rows_shared, _batch_rows_shared_parallel = serial_and_parallel(_batch_rows_shared_body)


def histogram_pair_batch_shared(
    x: np.ndarray, y: np.ndarray, edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Extended counts of every pair (row) of x and y on the same float64 ``edges``, bin counts.

    In parallel when the thread policy allows, as :func:`histogram_pair_batch`.
    """
    outputs = _batch_outputs(x.shape[0], edges.size - 1)
    if _rows_in_parallel(x.shape[0], x.size + y.size):
        _batch_rows_shared_parallel(x, y, edges, *outputs)
    else:
        _batch_rows_shared(x, y, edges, *outputs)
    return outputs

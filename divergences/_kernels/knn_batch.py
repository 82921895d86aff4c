"""Brute-force k-th neighbour distances for :func:`divergences.js_knn_batch`. Private.

Many small samples: a sweep over each pair's points sorted on one coordinate, with bounded
buffers of the smallest squared distances, costs less than building and querying a tree per
sample (measured in js_knn_batch's Notes). Reached, like every kernel, through the lazy,
thread-safe namespace :mod:`divergences._compiled`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .threads import PARALLEL_MIN_ROW_WORK, thread_count
from .twins import serial_and_parallel

#: Up to this order a neighbour buffer is kept sorted (insertion shifts at most this many
#: entries, cheap and predictable); above it, as a max-heap (log-time insertion).
SORTED_MAX = 64


@njit(cache=True, inline="always")
def _offer(buf: np.ndarray, size: int, filled: int, value: float) -> float:
    """Put ``value`` (below the buffer's largest entry) into ``buf``; return the new largest.

    ``buf[:size]`` holds the ``size`` smallest squared distances seen so far, ``filled`` of them
    offered before this one (``inf`` until the buffer is full): sorted ascending when
    ``size <= SORTED_MAX``, else a max-heap. Its largest entry is the size-th smallest, the
    k-th neighbour distance squared once every point has been offered.
    """
    if size <= SORTED_MAX:
        i = min(filled, size - 1)
        while i > 0 and buf[i - 1] > value:
            buf[i] = buf[i - 1]
            i -= 1
        buf[i] = value
        return float(buf[size - 1])
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and buf[child + 1] > buf[child]:
            child += 1
        if buf[child] <= value:
            break
        buf[i] = buf[child]
        i = child
    buf[i] = value
    return float(buf[0])


def _kth_distances_body(
    pooled: np.ndarray,
    n: int,
    q_pool: int,
    q_x: int,
    chunk_bounds: np.ndarray,
    chunk_orders: np.ndarray,
    out_pool: np.ndarray,
    out_x: np.ndarray,
    out_y: np.ndarray,
) -> None:
    """Per pair b: k-th neighbour distances in x + y pooled, in x, and in each chunk of y.

    ``pooled[b]`` is x's n points then y's n points. ``out_pool[b, i]``: distance from point i
    to its q_pool-th nearest other pooled point; ``out_x[b, i]``: x_i's q_x-th nearest other x;
    ``out_y[b, i]``: y_i's nearest of order ``chunk_orders[c]`` among the other points of its
    chunk c, ``y[chunk_bounds[c]:chunk_bounds[c + 1]]``.

    The points are sorted by their first coordinate and each one scans outwards, alternately
    up and down, offering every point to its pooled buffer and (same sample, same chunk) to
    its own; a direction stops where the first coordinate alone puts every further point at
    least as far as both buffers' largest entries (a squared distance, a sum of non-negative
    squares, is at least its first square, also in floating point). The squares are summed
    coordinate by coordinate from the first, as scipy's cKDTree does for fewer than 8
    coordinates (beyond, it sums four interleaved partial sums, so the last bit may differ).
    """
    m = 2 * n
    d = pooled.shape[2]
    q_own_max = max(q_x, int(chunk_orders.max()))
    # label 0: x; label 1 + c: chunk c of y (a point's own sample)
    labels = np.zeros(m, np.int64)
    for c in range(chunk_orders.size):
        labels[n + chunk_bounds[c] : n + chunk_bounds[c + 1]] = 1 + c
    for b in prange(pooled.shape[0]):  # each pair writes only its own rows
        order = np.argsort(pooled[b, :, 0])
        points = pooled[b][order]
        sorted_labels = labels[order]
        pool = np.empty(q_pool)
        own = np.empty(q_own_max)
        for p in range(m):
            label = sorted_labels[p]
            q_own = q_x if label == 0 else chunk_orders[label - 1]
            pool[:] = np.inf
            own[:q_own] = np.inf
            top_pool, top_own, filled_pool, filled_own = np.inf, np.inf, 0, 0
            up = p + 1
            down = p - 1
            while up < m or down >= 0:
                for j in (up, down):
                    if j < 0 or j >= m:
                        continue
                    first = points[j, 0] - points[p, 0]
                    s = first * first
                    if s >= top_pool and s >= top_own:
                        if j == up:  # no point further up (or down) can enter either buffer
                            up = m
                        else:
                            down = -1
                        continue
                    for c in range(1, d):
                        diff = points[j, c] - points[p, c]
                        s += diff * diff
                    if s < top_pool:
                        top_pool = _offer(pool, q_pool, filled_pool, s)
                        filled_pool += 1
                    if s < top_own and sorted_labels[j] == label:
                        top_own = _offer(own, q_own, filled_own, s)
                        filled_own += 1
                    if j == up:
                        up += 1
                    else:
                        down -= 1
            i = order[p]
            out_pool[b, i] = math.sqrt(top_pool)
            if i < n:
                out_x[b, i] = math.sqrt(top_own)
            else:
                out_y[b, i - n] = math.sqrt(top_own)


_kth_distances, _kth_distances_parallel = serial_and_parallel(_kth_distances_body)


def kth_distances_batch(
    pooled: np.ndarray, n: int, k: int, chunk_bounds: np.ndarray, chunk_orders: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distances js_knn takes from cKDTree, for a batch of equal-size pairs.

    ``pooled``: float64 ``(B, 2n, d)``, C-contiguous, x's points then y's. Returns
    ``(r_pool, r_x, r_y)`` of shapes ``(B, 2n)``, ``(B, n)``, ``(B, n)``: orders 2k, k, and
    ``chunk_orders`` within y's chunks. Runs on several threads under the library's policy
    (:func:`divergences._kernels.threads.thread_count`).
    """
    n_pairs = pooled.shape[0]
    out_pool = np.empty((n_pairs, 2 * n))
    out_x = np.empty((n_pairs, n))
    out_y = np.empty((n_pairs, n))
    args = (pooled, n, 2 * k, k, chunk_bounds, chunk_orders, out_pool, out_x, out_y)
    if n_pairs >= 2 and n_pairs * n * n >= PARALLEL_MIN_ROW_WORK and thread_count() >= 2:
        _kth_distances_parallel(*args)
    else:
        _kth_distances(*args)
    return out_pool, out_x, out_y

"""Brute-force k-th neighbour distances for :func:`divergences.js_knn_batch` and js_knn. Private.

Many small samples: a sweep over each pair's points sorted on one coordinate, with bounded
buffers of the smallest squared distances, costs less than building and querying a tree per
sample (measured in js_knn_batch's Notes). One pair of equal sizes: one pass over blocks and
superblocks of the pooled points in a k-d tree's order, skipping those whose bounding box is
too far, gives the pooled and both own-sample distances at once, faster than cKDTree's three
queries in every case measured up to 100,000 points per sample (``divergences.knn._pair_brute``).
Reached, like every kernel, through the lazy, thread-safe namespace
:mod:`divergences._compiled`.
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


#: Points per block of the one-pair kernel. Measured on an Intel Xeon (2 x 10,000 points in
#: 8-D, k = 10): blocks of 64 and 128 took 0.38 s on one thread, 256 0.42 s.
PAIR_BLOCK = 64
#: Blocks per superblock: a superblock's box skips all its blocks at once, so that a query
#: checks about N / 1024 boxes where the data let a k-d tree prune (a curve in 8-D: the
#: blocks' boxes alone cost 2.5x the trees' time at 60,000 points per sample)
PAIR_SUPER = 16
#: Groups of query tiles the one-pair kernel shares out over threads (each allocates its
#: buffers once)
PAIR_GROUPS = 256


@njit(cache=True, inline="always")
def _box_gap(points_t: np.ndarray, q: int, low: np.ndarray, high: np.ndarray, box: int) -> float:
    """Squared distance from point q to box ``low[box]``-``high[box]``, summed from coordinate 0.

    At most the squared distance to any point in the box, also in floating point: each
    coordinate's gap is at most the point's difference (rounding is monotone), and the squares
    are summed in the same order as the point's.
    """
    gap = 0.0
    for j in range(points_t.shape[0]):
        c = points_t[j, q]
        g = max(low[box, j] - c, 0.0, c - high[box, j])
        gap += g * g
    return gap


@njit(cache=True, inline="always")
def _squares_one(points_t: np.ndarray, start: int, w: int, q: int, acc: np.ndarray) -> None:
    """``acc[p]``: squared distance from point q to point start + p, summed from coordinate 0."""
    d = points_t.shape[0]
    row = points_t[0, start : start + w]
    c = points_t[0, q]
    for p in range(w):
        e = row[p] - c
        acc[p] = e * e
    for j in range(1, d):
        row = points_t[j, start : start + w]
        c = points_t[j, q]
        for p in range(w):
            e = row[p] - c
            acc[p] += e * e


@njit(cache=True, inline="always")
def _squares_two(
    points_t: np.ndarray, start: int, w: int, a: int, b: int, acc_a: np.ndarray, acc_b: np.ndarray
) -> None:
    """:func:`_squares_one` for two queries at once: each coordinate row is read once."""
    d = points_t.shape[0]
    row = points_t[0, start : start + w]
    ca = points_t[0, a]
    cb = points_t[0, b]
    for p in range(w):
        v = row[p]
        ea = v - ca
        eb = v - cb
        acc_a[p] = ea * ea
        acc_b[p] = eb * eb
    for j in range(1, d):
        row = points_t[j, start : start + w]
        ca = points_t[j, a]
        cb = points_t[j, b]
        for p in range(w):
            v = row[p]
            ea = v - ca
            eb = v - cb
            acc_a[p] += ea * ea
            acc_b[p] += eb * eb


@njit(cache=True, inline="always")
def _enter(
    acc: np.ndarray,
    w: int,
    limit: float,
    labels: np.ndarray,
    start: int,
    label: int,
    pool: np.ndarray,
    own: np.ndarray,
    top_pool: float,
    filled_pool: int,
    top_own: float,
    filled_own: int,
) -> tuple[float, int, float, int]:
    """Offer a block's squared distances below ``limit`` to one query's two buffers.

    ``top_pool``, ``filled_pool``: the pool buffer's largest entry and count offered so far;
    ``top_own``, ``filled_own``: the own buffer's (``labels[start + p] == label``: the same
    sample); returned updated. ``limit`` bounds both largest entries for the whole block
    (they only fall), so a count (vectorised) tells first whether any entry enters; once the
    buffers fill, most blocks offer nothing.
    """
    count = 0
    for p in range(w):
        count += acc[p] < limit
    if count:
        for p in range(w):
            s = acc[p]
            if s < limit:
                if s < top_pool:
                    top_pool = _offer(pool, pool.size, filled_pool, s)
                    filled_pool += 1
                if s < top_own and labels[start + p] == label:
                    top_own = _offer(own, own.size, filled_own, s)
                    filled_own += 1
    return top_pool, filled_pool, top_own, filled_own


def _pair_distances_body(
    points_t: np.ndarray,
    labels: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    super_low: np.ndarray,
    super_high: np.ndarray,
    q_pool: int,
    q_own: int,
    out_pool: np.ndarray,
    out_own: np.ndarray,
) -> None:
    """One pair's k-th neighbour distances in the pool and in each point's own sample.

    ``points_t``: the pooled points as a ``(d, N)`` array of coordinate rows, in an order that
    keeps near points near (a k-d tree's), cut into blocks of PAIR_BLOCK points whose bounding
    boxes are ``low[b]``, ``high[b]``, and superblocks of PAIR_SUPER blocks with boxes
    ``super_low[s]``, ``super_high[s]``; ``labels[i]``: point i's sample (0 or 1).
    ``out_pool[i]``: distance from point i to its q_pool-th nearest of the N points;
    ``out_own[i]``: to its q_own-th nearest of its own sample. A point is its own first, at
    distance 0, as in a cKDTree query of the points themselves.

    Queries go two at a time (consecutive points, so near each other; for an odd N the last is
    paired with itself). Each visits the superblocks from its own onwards (cyclically), and
    within its own superblock the blocks from its own onwards, so that its buffers fill with
    near points first; it skips a superblock or block whose box lies at least as far as both
    its buffers' largest entries (:func:`_box_gap`: no point inside can enter), and a block
    both queries need is read once for both. Every squared distance is summed over the
    coordinates from the first, as cKDTree does below 8 coordinates (beyond, it sums four
    interleaved partial sums: the last bits may differ); the buffers are :func:`_offer`'s.
    Each tile writes only its own two entries of the outputs.
    """
    n_points = points_t.shape[1]
    blocks = low.shape[0]
    supers = super_low.shape[0]
    tiles = (n_points + 1) // 2
    groups = min(tiles, PAIR_GROUPS)
    for group in prange(groups):
        # buffers allocated once per group of tiles
        pool_a = np.empty(q_pool)
        pool_b = np.empty(q_pool)
        own_a = np.empty(q_own)
        own_b = np.empty(q_own)
        acc_a = np.empty(PAIR_BLOCK)
        acc_b = np.empty(PAIR_BLOCK)
        for tile in range(group * tiles // groups, (group + 1) * tiles // groups):
            a = 2 * tile
            b = min(a + 1, n_points - 1)
            pool_a[:] = np.inf
            pool_b[:] = np.inf
            own_a[:] = np.inf
            own_b[:] = np.inf
            top_pool_a, filled_pool_a, top_own_a, filled_own_a = np.inf, 0, np.inf, 0
            top_pool_b, filled_pool_b, top_own_b, filled_own_b = np.inf, 0, np.inf, 0
            first_block = a // PAIR_BLOCK
            first_super = first_block // PAIR_SUPER
            for super_step in range(supers):
                sup = first_super + super_step
                if sup >= supers:
                    sup -= supers
                if _box_gap(points_t, a, super_low, super_high, sup) >= max(
                    top_pool_a, top_own_a
                ) and _box_gap(points_t, b, super_low, super_high, sup) >= max(
                    top_pool_b, top_own_b
                ):
                    continue
                base = sup * PAIR_SUPER
                count = min(PAIR_SUPER, blocks - base)
                offset = first_block - base if sup == first_super else 0
                for step in range(count):
                    block = base + (offset + step) % count
                    limit_a = max(top_pool_a, top_own_a)
                    limit_b = max(top_pool_b, top_own_b)
                    need_a = _box_gap(points_t, a, low, high, block) < limit_a
                    need_b = _box_gap(points_t, b, low, high, block) < limit_b
                    start = block * PAIR_BLOCK
                    w = min(PAIR_BLOCK, n_points - start)
                    if need_a and need_b:
                        _squares_two(points_t, start, w, a, b, acc_a, acc_b)
                    elif need_a:
                        _squares_one(points_t, start, w, a, acc_a)
                    elif need_b:
                        _squares_one(points_t, start, w, b, acc_b)
                    if need_a:
                        top_pool_a, filled_pool_a, top_own_a, filled_own_a = _enter(
                            acc_a, w, limit_a, labels, start, labels[a], pool_a, own_a,
                            top_pool_a, filled_pool_a, top_own_a, filled_own_a,
                        )  # fmt: skip
                    if need_b:
                        top_pool_b, filled_pool_b, top_own_b, filled_own_b = _enter(
                            acc_b, w, limit_b, labels, start, labels[b], pool_b, own_b,
                            top_pool_b, filled_pool_b, top_own_b, filled_own_b,
                        )  # fmt: skip
            out_pool[a] = math.sqrt(top_pool_a)
            out_own[a] = math.sqrt(top_own_a)
            out_pool[b] = math.sqrt(top_pool_b)
            out_own[b] = math.sqrt(top_own_b)


_pair_distances, _pair_distances_parallel = serial_and_parallel(_pair_distances_body)


def kth_distances_pair(
    pooled: np.ndarray, n: int, k: int, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """js_knn's distances for one pair, by brute force over pruned blocks.

    ``pooled``: float64 ``(N, d)``, x's n points then y's (js_knn: N = 2n); ``order``: a
    permutation of the N points that keeps near points near (the caller's k-d tree's leaves),
    so that blocks are compact and their boxes prune. Returns ``(r_pool, r_own)``, each of
    shape ``(N,)``: for point i, the distance to its (2k + 1)-th nearest of the N points and to
    its (k + 1)-th nearest of its own sample, itself counted first (cKDTree's
    ``query(points, k + 1)`` of each sample). Any permutation gives the same distances; only
    the time depends on it. Runs on several threads under the library's policy
    (:func:`divergences._kernels.threads.thread_count`).
    """
    n_points = pooled.shape[0]
    points_t = np.ascontiguousarray(pooled[order].T)
    labels = (order >= n).astype(np.int8)
    starts = np.arange(0, n_points, PAIR_BLOCK)
    low = np.minimum.reduceat(points_t, starts, axis=1).T
    high = np.maximum.reduceat(points_t, starts, axis=1).T
    firsts = np.arange(0, low.shape[0], PAIR_SUPER)
    super_low = np.ascontiguousarray(np.minimum.reduceat(low, firsts, axis=0))
    super_high = np.ascontiguousarray(np.maximum.reduceat(high, firsts, axis=0))
    boxes = (np.ascontiguousarray(low), np.ascontiguousarray(high), super_low, super_high)
    sorted_pool = np.empty(n_points)
    sorted_own = np.empty(n_points)
    args = (points_t, labels, *boxes, 2 * k + 1, k + 1, sorted_pool, sorted_own)
    if n_points * n_points >= 4 * PARALLEL_MIN_ROW_WORK and thread_count() >= 2:
        _pair_distances_parallel(*args)
    else:
        _pair_distances(*args)
    r_pool = np.empty(n_points)
    r_own = np.empty(n_points)
    r_pool[order] = sorted_pool
    r_own[order] = sorted_own
    return r_pool, r_own

"""Kernels behind :mod:`divergences.discrete`: validation facts and row divergences."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numba import njit, prange

from .primitives import LOG2, SUM_CHUNK, _js_term, _kl_term, _xlogx
from .threads import _rows_in_parallel
from .twins import serial_and_parallel

# --------------------------------------------------------------------------------------------
# Validation support: one pass computing what the error messages need.
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def pmf_row_stats(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-row sum and max of a 2-D array, and the facts the error messages quote.

    ``facts`` holds: NaN count, inf count, negative count, most negative value, all-zero row
    count, first all-zero row, row whose sum is furthest from 1, that sum.
    """
    n, k = a.shape
    sums = np.zeros(n)
    maxima = np.zeros(n)
    n_nan = 0
    n_inf = 0
    n_negative = 0
    minimum = 0.0
    n_zero_rows = 0
    first_zero_row = -1
    worst_row = 0
    worst_gap = -1.0
    for i in range(n):
        total = 0.0
        largest = 0.0
        for j in range(k):
            v = a[i, j]
            if v != v:
                n_nan += 1
            elif v == np.inf or v == -np.inf:
                n_inf += 1
            elif v < 0.0:
                n_negative += 1
                minimum = min(minimum, v)
            else:
                total += v
                largest = max(largest, v)
        sums[i] = total
        maxima[i] = largest
        if largest == 0.0:
            n_zero_rows += 1
            if first_zero_row < 0:
                first_zero_row = i
        gap = abs(total - 1.0)
        if gap > worst_gap:
            worst_gap = gap
            worst_row = i
    facts = np.array(
        [
            n_nan,
            n_inf,
            n_negative,
            minimum,
            n_zero_rows,
            first_zero_row,
            worst_row,
            sums[worst_row] if n > 0 else 1.0,
        ]
    )
    return sums, maxima, facts


# --------------------------------------------------------------------------------------------
# Row kernels behind divergences.discrete. p: (n_p, k), q: (n_q, k) with n_p, n_q equal or 1
# (leading-axis broadcasting); p_sum, q_sum: the row sums each row is divided by.
# --------------------------------------------------------------------------------------------


def _kl_divergence_rows(
    p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray
) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    # row i of p, or row 0 broadcast (a conditional index inside prange fails to type)
    p_step = 1 if p.shape[0] > 1 else 0
    q_step = 1 if q.shape[0] > 1 else 0
    for i in prange(n):
        ip = i * p_step
        iq = i * q_step
        sp = p_sum[ip]
        sq = q_sum[iq]
        # Sum of the generalised terms p log(p/q) - p + q >= 0. It differs from the textbook sum
        # by sum(q - p), which is 0 for normalised vectors; for floats normalised only up to
        # round-off, the textbook sum can be negative (or 0 for P != Q) at the 1e-17 level, the
        # generalised one is 0 iff p = q and keeps full relative precision.
        total = 0.0
        for c0 in range(0, k, SUM_CHUNK):  # one chunk up to SUM_CHUNK entries: the plain sum
            part = 0.0
            for j in range(c0, min(c0 + SUM_CHUNK, k)):
                part += _normalized_kl_term(p[ip, j], q[iq, j], sp, sq)
            total += part
        out[i] = total
    return out


@njit(cache=True)
def _normalized_kl_term(pr: float, qr: float, sp: float, sq: float) -> float:
    """The KL term of ``pr/sp`` against ``qr/sq``, with the support of the raw entries.

    Dividing by a sum can underflow an entry to 0 (``normalize=True`` on weights of very
    different sizes), which would move the support: +inf is exactly where ``pr > 0 = qr``,
    and a ``q`` entry lost to underflow gives its finite term from logs instead of +inf.
    """
    if pr > 0.0 and qr == 0.0:
        return np.inf
    pn = pr / sp
    qn = qr / sq
    if qn == 0.0 and qr > 0.0:
        if pn == 0.0:
            return 0.0  # both below the smallest subnormal: a term of that size or less
        log_ratio = (math.log(pr) - math.log(qr)) + (math.log(sq) - math.log(sp))
        return pn * log_ratio - pn
    return _kl_term(pn, qn)


def _js_divergence_rows(
    p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray
) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    # row i of p, or row 0 broadcast (a conditional index inside prange fails to type)
    p_step = 1 if p.shape[0] > 1 else 0
    q_step = 1 if q.shape[0] > 1 else 0
    for i in prange(n):
        ip = i * p_step
        iq = i * q_step
        sp = p_sum[ip]
        sq = q_sum[iq]
        total = 0.0
        for c0 in range(0, k, SUM_CHUNK):
            part = 0.0
            for j in range(c0, min(c0 + SUM_CHUNK, k)):
                part += _js_term(p[ip, j] / sp, q[iq, j] / sq)
            total += part
        out[i] = min(total, LOG2)
    return out


def _cross_entropy_rows(
    p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray
) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    # row i of p, or row 0 broadcast (a conditional index inside prange fails to type)
    p_step = 1 if p.shape[0] > 1 else 0
    q_step = 1 if q.shape[0] > 1 else 0
    for i in prange(n):
        ip = i * p_step
        iq = i * q_step
        sp = p_sum[ip]
        sq = q_sum[iq]
        total = 0.0
        for j in range(k):
            pr = p[ip, j]
            if pr == 0.0:
                continue
            qr = q[iq, j]
            if qr == 0.0:  # off the support of the raw entries, not of rounded quotients
                total = np.inf
                break
            pj = pr / sp
            qj = qr / sq
            log_q = math.log(qj) if qj > 0.0 else math.log(qr) - math.log(sq)
            total -= pj * log_q
        out[i] = total
    return out


def _tv_distance_rows(
    p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray
) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    # row i of p, or row 0 broadcast (a conditional index inside prange fails to type)
    p_step = 1 if p.shape[0] > 1 else 0
    q_step = 1 if q.shape[0] > 1 else 0
    for i in prange(n):
        ip = i * p_step
        iq = i * q_step
        sp = p_sum[ip]
        sq = q_sum[iq]
        total = 0.0
        for j in range(k):
            total += abs(p[ip, j] / sp - q[iq, j] / sq)
        out[i] = min(0.5 * total, 1.0)
    return out


def _hellinger_distance_rows(
    p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray
) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    # row i of p, or row 0 broadcast (a conditional index inside prange fails to type)
    p_step = 1 if p.shape[0] > 1 else 0
    q_step = 1 if q.shape[0] > 1 else 0
    for i in prange(n):
        ip = i * p_step
        iq = i * q_step
        sp = p_sum[ip]
        sq = q_sum[iq]
        total = 0.0
        for j in range(k):
            d = math.sqrt(p[ip, j] / sp) - math.sqrt(q[iq, j] / sq)
            total += d * d
        out[i] = math.sqrt(min(0.5 * total, 1.0))
    return out


def _entropy_rows(p: np.ndarray, p_sum: np.ndarray) -> np.ndarray:
    n, k = p.shape
    out = np.empty(n)
    for i in prange(n):
        sp = p_sum[i]
        if k <= SUM_CHUNK:  # the plain sum (its sign of zero kept: -0.0 for [1.0])
            total = 0.0
            for j in range(k):
                total -= _xlogx(p[i, j] / sp)
        else:
            total = 0.0
            for c0 in range(0, k, SUM_CHUNK):
                part = 0.0
                for j in range(c0, min(c0 + SUM_CHUNK, k)):
                    part -= _xlogx(p[i, j] / sp)
                total += part
        out[i] = total
    return out


# --------------------------------------------------------------------------------------------
# The row kernels' entry points: each body compiled serially and in parallel over rows (one
# body, so the twins give the same values bit for bit: a row is summed the same way by either),
# the parallel twin taken where the thread policy allows (threads._rows_in_parallel): batches
# of PARALLEL_MIN_ROW_WORK terms and more, on a machine with an idle core.
# --------------------------------------------------------------------------------------------

_ROW_BODIES: list[tuple[str, Callable[..., np.ndarray]]] = [
    ("kl_divergence", _kl_divergence_rows),
    ("js_divergence", _js_divergence_rows),
    ("cross_entropy", _cross_entropy_rows),
    ("tv_distance", _tv_distance_rows),
    ("hellinger_distance", _hellinger_distance_rows),
    ("entropy", _entropy_rows),
]
#: name -> (serial, parallel) twins of each row body; the entry points look them up per call.
ROW_TWINS = {name: serial_and_parallel(body) for name, body in _ROW_BODIES}


def _twin(name: str, n_rows: int, work: int) -> Callable[..., np.ndarray]:
    serial, parallel = ROW_TWINS[name]
    return parallel if _rows_in_parallel(n_rows, work) else serial


def _pair_entry(name: str) -> Callable[..., np.ndarray]:
    """The entry point of a pair body: ``(p, q, p_sum, q_sum) -> values``, twin per call."""

    def rows(p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray) -> np.ndarray:
        n = max(p.shape[0], q.shape[0])
        return _twin(name, n, n * p.shape[1])(p, q, p_sum, q_sum)

    rows.__name__ = rows.__qualname__ = name
    return rows


kl_divergence = _pair_entry("kl_divergence")
js_divergence = _pair_entry("js_divergence")
cross_entropy = _pair_entry("cross_entropy")
tv_distance = _pair_entry("tv_distance")
hellinger_distance = _pair_entry("hellinger_distance")


def entropy(p: np.ndarray, p_sum: np.ndarray) -> np.ndarray:
    return _twin("entropy", p.shape[0], p.size)(p, p_sum)

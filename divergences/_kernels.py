"""All numba-compiled code of ``divergences``.

Private. Kernels never validate: the public wrappers check, convert and document, then call
in here with float64 arrays. Every kernel is named after the public function it serves.

Numerical conventions carried by the scalar primitives below (and nowhere else):

* ``0 * log 0 = 0``;
* a KL term with ``p > 0 = q`` is ``+inf`` (no epsilon);
* every per-element term of KL and JSD is non-negative by construction, so sums cannot go
  negative through cancellation between elements.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

LOG2 = math.log(2.0)


# --------------------------------------------------------------------------------------------
# Scalar primitives. Scalars only: a helper taking an array argument pays reference counting on
# every call inside a hot loop.
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def _xlogx(x: float) -> float:
    """``x log x`` with ``0 log 0 = 0``."""
    if x == 0.0:
        return 0.0
    return x * math.log(x)


@njit(cache=True)
def _kl_term(p: float, q: float) -> float:
    """Generalised KL term ``p log(p/q) - p + q >= 0`` (its sum is KL when both sum to 1).

    Written as ``p * phi(u)`` with ``u = (q - p)/p`` and ``phi(u) = u - log1p(u) >= 0`` so that
    near-equal ``p, q`` keep full relative precision instead of cancelling.
    """
    if p == 0.0:
        return q
    if q == 0.0:
        return np.inf
    u = (q - p) / p
    if abs(u) < 0.1:
        # phi(u) = u^2/(2+u) - 2 (atanh(w) - w), w = u/(2+u), |w| < 0.053: seven terms of the
        # atanh series reach double precision.
        w = u / (2.0 + u)
        w2 = w * w
        series = 1.0 / 3.0 + w2 * (
            1.0 / 5.0
            + w2
            * (1.0 / 7.0 + w2 * (1.0 / 9.0 + w2 * (1.0 / 11.0 + w2 * (1.0 / 13.0 + w2 / 15.0))))
        )
        return p * (u * u / (2.0 + u) - 2.0 * w * w2 * series)
    if -0.5 < u < np.inf:
        return p * (u - math.log1p(u))
    # q << p (u rounds towards -1) or q >> p (u overflows when p is subnormal): use the ratio,
    # or the difference of logs when even the ratio overflows.
    r = p / q
    log_ratio = math.log(r) if r < np.inf else math.log(p) - math.log(q)
    return p * log_ratio - p + q


@njit(cache=True)
def _js_term(p: float, q: float) -> float:
    """``p/2 log(2p/(p+q)) + q/2 log(2q/(p+q)) >= 0``; summed, the Jensen-Shannon divergence.

    With ``s = p + q`` and ``t = (p - q)/s`` the term is ``s/4 * g(t)`` where
    ``g(t) = (1+t) log(1+t) + (1-t) log(1-t) = 2 t atanh(t) + log1p(-t^2)``, in ``[0, 2 log 2]``.
    The atanh form keeps relative precision for near-equal ``p, q`` (scipy gh-20083, gh-20779);
    forming ``2p/s`` directly keeps it near ``|t| = 1``; and ``s`` never underflows where the
    mixture ``(p + q)/2`` would (scipy gh-19436).
    """
    s = p + q
    if s == 0.0:
        return 0.0
    t = (p - q) / s
    if abs(t) < 0.5:
        g = 2.0 * t * math.atanh(t) + math.log1p(-t * t)
    else:
        g = _xlogx(2.0 * p / s) + _xlogx(2.0 * q / s)
    if g < 0.0:
        # one ulp below zero at |t| ~ 1e-8; the exact value is t^2 > 0
        g = t * t
    return 0.25 * s * g


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


@njit(cache=True)
def kl_divergence(p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    for i in range(n):
        ip = i if p.shape[0] > 1 else 0
        iq = i if q.shape[0] > 1 else 0
        sp = p_sum[ip]
        sq = q_sum[iq]
        # Sum of the generalised terms p log(p/q) - p + q >= 0. It differs from the textbook sum
        # by sum(q - p), which is 0 for normalised vectors; for floats normalised only up to
        # round-off, the textbook sum can be negative (or 0 for P != Q) at the 1e-17 level, the
        # generalised one is 0 iff p = q and keeps full relative precision.
        total = 0.0
        for j in range(k):
            total += _kl_term(p[ip, j] / sp, q[iq, j] / sq)
        out[i] = total
    return out


@njit(cache=True)
def js_divergence(p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    for i in range(n):
        ip = i if p.shape[0] > 1 else 0
        iq = i if q.shape[0] > 1 else 0
        sp = p_sum[ip]
        sq = q_sum[iq]
        total = 0.0
        for j in range(k):
            total += _js_term(p[ip, j] / sp, q[iq, j] / sq)
        out[i] = min(total, LOG2)
    return out


@njit(cache=True)
def cross_entropy(p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    for i in range(n):
        ip = i if p.shape[0] > 1 else 0
        iq = i if q.shape[0] > 1 else 0
        sp = p_sum[ip]
        sq = q_sum[iq]
        total = 0.0
        for j in range(k):
            pj = p[ip, j] / sp
            if pj == 0.0:
                continue
            qj = q[iq, j] / sq
            if qj == 0.0:
                total = np.inf
                break
            total -= pj * math.log(qj)
        out[i] = total
    return out


@njit(cache=True)
def tv_distance(p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    for i in range(n):
        ip = i if p.shape[0] > 1 else 0
        iq = i if q.shape[0] > 1 else 0
        sp = p_sum[ip]
        sq = q_sum[iq]
        total = 0.0
        for j in range(k):
            total += abs(p[ip, j] / sp - q[iq, j] / sq)
        out[i] = min(0.5 * total, 1.0)
    return out


@njit(cache=True)
def hellinger_distance(
    p: np.ndarray, q: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray
) -> np.ndarray:
    n = max(p.shape[0], q.shape[0])
    k = p.shape[1]
    out = np.empty(n)
    for i in range(n):
        ip = i if p.shape[0] > 1 else 0
        iq = i if q.shape[0] > 1 else 0
        sp = p_sum[ip]
        sq = q_sum[iq]
        total = 0.0
        for j in range(k):
            d = math.sqrt(p[ip, j] / sp) - math.sqrt(q[iq, j] / sq)
            total += d * d
        out[i] = math.sqrt(min(0.5 * total, 1.0))
    return out


@njit(cache=True)
def entropy(p: np.ndarray, p_sum: np.ndarray) -> np.ndarray:
    n, k = p.shape
    out = np.empty(n)
    for i in range(n):
        sp = p_sum[i]
        total = 0.0
        for j in range(k):
            total -= _xlogx(p[i, j] / sp)
        out[i] = total
    return out


# --------------------------------------------------------------------------------------------
# GAN theory (divergences.gan)
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def optimal_discriminator(p_data: np.ndarray, p_g: np.ndarray) -> np.ndarray:
    """Elementwise ``p_data / (p_data + p_g)``, 1/2 where both vanish, even if the sum overflows."""
    out = np.empty(p_data.size)
    a = p_data.ravel()
    b = p_g.ravel()
    for i in range(a.size):
        x = a[i]
        y = b[i]
        s = x + y
        if s == 0.0:
            out[i] = 0.5
        elif s < np.inf:
            out[i] = x / s
        elif x >= y:  # the sum overflowed: divide by the larger density first
            out[i] = 1.0 / (1.0 + y / x)
        else:
            r = x / y
            out[i] = r / (1.0 + r)
    return out


@njit(cache=True)
def gan_value(
    p_data: np.ndarray, p_g: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray, d: np.ndarray
) -> np.ndarray:
    """``sum p_data log d + sum p_g log(1 - d)`` per row; a term with zero mass is 0."""
    n, k = d.shape
    out = np.empty(n)
    for i in range(n):
        ip = i if p_data.shape[0] > 1 else 0
        iq = i if p_g.shape[0] > 1 else 0
        total = 0.0
        for j in range(k):
            a = p_data[ip, j] / p_sum[ip]
            b = p_g[iq, j] / q_sum[iq]
            dj = d[i, j]
            if a > 0.0:
                total += a * math.log(dj) if dj > 0.0 else -np.inf
            if b > 0.0:
                total += b * math.log1p(-dj) if dj < 1.0 else -np.inf
        out[i] = total
    return out


@njit(cache=True)
def _log_sigmoid(x: float) -> float:
    """``log(sigmoid(x)) = -log(1 + exp(-x))`` without overflow."""
    if x >= 0.0:
        return -math.log1p(math.exp(-x))
    return x - math.log1p(math.exp(x))


@njit(cache=True)
def gan_value_from_logits(
    p_data: np.ndarray, p_g: np.ndarray, p_sum: np.ndarray, q_sum: np.ndarray, logit: np.ndarray
) -> np.ndarray:
    """As gan_value with ``log D = log sigmoid(l)`` and ``log(1 - D) = log sigmoid(-l)``."""
    n, k = logit.shape
    out = np.empty(n)
    for i in range(n):
        ip = i if p_data.shape[0] > 1 else 0
        iq = i if p_g.shape[0] > 1 else 0
        total = 0.0
        for j in range(k):
            a = p_data[ip, j] / p_sum[ip]
            b = p_g[iq, j] / q_sum[iq]
            lj = logit[i, j]
            if a > 0.0:
                total += a * _log_sigmoid(lj)
            if b > 0.0:
                total += b * _log_sigmoid(-lj)
        out[i] = total
    return out

"""Scalar primitives of every divergence: ``x log x``, the KL and JS terms."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

LOG2 = math.log(2.0)

#: A sum of more terms than this (one probability vector's) is formed chunk by chunk: the terms
#: of each run of SUM_CHUNK consecutive entries summed in order, then the chunks' sums in order.
#: The value is then the same whether the chunks run one after another or on several threads,
#: and up to SUM_CHUNK entries it is the plain sum in order.
SUM_CHUNK = 1 << 12


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

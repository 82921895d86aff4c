"""Independent routes: the quantities the claim checks compare the library against.

Nothing here calls ``divergences``' kernels: these are scipy's entropies, plain numpy sums and
50-digit mpmath, so that agreement between a route and the library is evidence, not a tautology.
"""

from __future__ import annotations

import math
from typing import Any

import mpmath as mp
import numpy as np
from scipy import special, stats

LOG2 = math.log(2.0)
LOG4 = math.log(4.0)


def entropy_scipy(p: Any) -> float:
    """Shannon entropy in nats by ``scipy.stats.entropy``."""
    return float(stats.entropy(np.asarray(p, dtype=float)))


def js_through_entropies(p: Any, q: Any) -> float:
    """JSD as ``H(M) - H(P)/2 - H(Q)/2`` with scipy's entropy (dit's route)."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return entropy_scipy(0.5 * p + 0.5 * q) - 0.5 * entropy_scipy(p) - 0.5 * entropy_scipy(q)


def kl_rel_entr(p: Any, q: Any) -> float:
    """KL as ``sum(scipy.special.rel_entr(p, q))``."""
    return float(np.sum(special.rel_entr(np.asarray(p, float), np.asarray(q, float))))


def tv(p: Any, q: Any) -> float:
    """Total variation ``sum |p - q| / 2`` with numpy."""
    return 0.5 * float(np.sum(np.abs(np.asarray(p, float) - np.asarray(q, float))))


def off_support(p: Any, q: Any) -> bool:
    """Whether P puts mass where Q has none (support inclusion, by sets)."""
    return bool(np.any((np.asarray(p) > 0) & (np.asarray(q) == 0)))


def overlap(p: Any, q: Any) -> float:
    """Shared mass ``sum min(p, q) = 1 - TV``, summed directly (no cancellation near 0)."""
    return float(np.sum(np.minimum(np.asarray(p, float), np.asarray(q, float))))


def disjoint(p: Any, q: Any) -> bool:
    """Whether the supports of P and Q do not intersect."""
    return not bool(np.any((np.asarray(p) > 0) & (np.asarray(q) > 0)))


def optimal_logits(p_data: Any, p_g: Any) -> np.ndarray:
    """Logits of D* = p_data / (p_data + p_g): ``log p_data - log p_g`` (+-inf off-support).

    Where both vanish the logit is 0 (D* = 1/2; it carries no weight in V).
    """
    a, b = np.asarray(p_data, float), np.asarray(p_g, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        logit = np.log(a) - np.log(b)
    return np.where((a == 0) & (b == 0), 0.0, logit)


def value_mp(p_data: Any, p_g: Any, d: Any, dps: int = 30) -> float:
    """V(G, D) = sum a log d + sum b log(1 - d) for arbitrary non-negative a, b, in mpmath."""
    with mp.workdps(dps):
        total = mp.mpf(0)
        for a, b, x in zip(p_data, p_g, d, strict=True):
            a, b, x = mp.mpf(float(a)), mp.mpf(float(b)), mp.mpf(x)
            if a > 0:
                total += a * mp.log(x)
            if b > 0:
                total += b * mp.log(1 - x)
        return float(total)


def criterion_free_mp(p_data: Any, p_g: Any, dps: int = 30) -> mp.mpf:
    """C as a function of unnormalised masses: sum a log(a/(a+b)) + b log(b/(a+b)), mpmath."""
    with mp.workdps(dps):
        total = mp.mpf(0)
        for a, b in zip(p_data, p_g, strict=True):
            a, b = mp.mpf(a), mp.mpf(b)
            if a > 0:
                total += a * mp.log(a / (a + b))
            if b > 0:
                total += b * mp.log(b / (a + b))
        return total


def xlogy_objective(a: float, b: float, y: float) -> float:
    """``a log y + b log(1 - y)`` with ``0 log 0 = 0`` (scipy.special.xlogy)."""
    return float(special.xlogy(a, y) + special.xlog1py(b, -y))

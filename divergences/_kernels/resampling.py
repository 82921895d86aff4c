"""First-order bias of the plug-in estimates and the jackknife of the bootstrap."""

from __future__ import annotations

import numpy as np
from numba import njit

from .primitives import _js_term, _kl_term

# --------------------------------------------------------------------------------------------
# First-order (Miller-Madow-type) bias of the plug-in estimates, and the jackknife of the
# bias-corrected estimates (divergences.estimate, divergences.bootstrap). Counts are read as
# floats; every statistic is a sum over bins of a term of (c_x, c_y; n_x, n_y), which is what
# makes the leave-one-out values cheap (see bootstrap_acceleration).
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def _js_bias_term(cx: float, cy: float, n_x: float, n_y: float) -> float:
    """Bin term of the first-order bias of the plug-in JSD at the estimated probabilities.

    ``[q (1 - p)/n_x + p (1 - q)/n_y] / (4 (p + q))`` with ``p = cx/n_x``, ``q = cy/n_y``; the
    x part is left out where ``cx = 0`` and the y part where ``cy = 0`` (an empty bin has no
    sampling noise to correct: Miller-Madow counts occupied bins only).
    """
    p = cx / n_x
    q = cy / n_y
    s = p + q
    if s == 0.0:
        return 0.0
    t = 0.0
    if cx > 0.0:
        t += q * (1.0 - p) / n_x
    if cy > 0.0:
        t += p * (1.0 - q) / n_y
    return t / (4.0 * s)


@njit(cache=True)
def _kl_bias_term(cx: float, cy: float, n_x: float, n_y: float) -> float:
    """Bin term of the first-order bias of the plug-in KL.

    ``(1 - p)/(2 n_x) + p (1 - q)/(2 n_y q)``; 0 where ``cx = 0``; ``+inf`` where
    ``cx > 0 = cy`` (the plug-in KL is infinite there).
    """
    if cx == 0.0:
        return 0.0
    if cy == 0.0:
        return np.inf
    p = cx / n_x
    q = cy / n_y
    return (1.0 - p) / (2.0 * n_x) + p * (1.0 - q) / (2.0 * n_y * q)


@njit(cache=True)
def _corrected_term(kind: int, cx: float, cy: float, n_x: float, n_y: float) -> float:
    """Bin term of the bias-corrected statistic: JSD (kind 0) or KL (kind 1)."""
    if kind == 0:
        return _js_term(cx / n_x, cy / n_y) - _js_bias_term(cx, cy, n_x, n_y)
    if cx > 0.0 and cy == 0.0:
        return np.inf
    return _kl_term(cx / n_x, cy / n_y) - _kl_bias_term(cx, cy, n_x, n_y)


@njit(cache=True)
def first_order_bias(counts_x: np.ndarray, counts_y: np.ndarray, kind: int) -> np.ndarray:
    """First-order bias of the plug-in JSD (kind 0) or KL (kind 1) of each row pair.

    Evaluated at the estimated probabilities; ``+inf`` for KL where the plug-in KL is.
    """
    n_pairs, nb = counts_x.shape
    out = np.empty(n_pairs)
    for i in range(n_pairs):
        n_x = 0.0
        n_y = 0.0
        for j in range(nb):
            n_x += counts_x[i, j]
            n_y += counts_y[i, j]
        total = 0.0
        for j in range(nb):
            cx = float(counts_x[i, j])
            cy = float(counts_y[i, j])
            if kind == 0:
                total += _js_bias_term(cx, cy, n_x, n_y)
            else:
                total += _kl_bias_term(cx, cy, n_x, n_y)
        out[i] = total
    return out


@njit(cache=True)
def _jackknife_side(
    kind: int, c: np.ndarray, other: np.ndarray, n: float, n_other: float, is_x: bool
) -> tuple[float, float]:
    """Sums of ``U^3`` and ``U^2`` (weighted by counts, scaled by n^3 and n^2) for one sample.

    Leaving one value of bin i out changes bin i's count by one and every probability's
    denominator to n - 1. The statistic is a sum of bin terms, so every leave-one-out value is
    ``A + d_i`` with ``A`` the sum of all terms at n - 1 (the same for every i) and
    ``d_i = term(c_i - 1) - term(c_i)``; the jackknife deviations need only the ``d_i`` (O(bins),
    and no cancellation against ``A``).
    """
    m = n - 1.0
    nb = c.size
    d = np.zeros(nb)
    mean = 0.0
    for i in range(nb):
        if c[i] > 0:
            if is_x:
                d[i] = _corrected_term(kind, c[i] - 1.0, other[i], m, n_other) - _corrected_term(
                    kind, float(c[i]), other[i], m, n_other
                )
            else:
                d[i] = _corrected_term(kind, other[i], c[i] - 1.0, n_other, m) - _corrected_term(
                    kind, other[i], float(c[i]), n_other, m
                )
            mean += c[i] * d[i]
    mean /= n
    # deviations within rounding of the d_i are noise (one occupied bin gives mean == d up to
    # an ulp): they are taken as 0, not as a spread
    noise = 8.0 * 2.0**-52 * np.abs(d).max()
    if not noise < np.inf:  # an infinite (or NaN) leave-one-out value: no jackknife
        return np.nan, np.nan
    cubes = 0.0
    squares = 0.0
    for i in range(nb):
        if c[i] > 0 and abs(mean - d[i]) > noise:
            u = m * (mean - d[i])
            cubes += c[i] * u * u * u
            squares += c[i] * u * u
    return cubes / (n * n * n), squares / (n * n)


@njit(cache=True)
def bootstrap_acceleration(counts_x: np.ndarray, counts_y: np.ndarray, kind: int) -> float:
    """BCa acceleration of the bias-corrected JSD (kind 0) or KL (kind 1), jackknife on counts.

    Two-sample form (Efron & Tibshirani 1993, eq. 14.15, as scipy.stats.bootstrap):
    ``a = sum U^3 / (6 (sum U^2)^(3/2))`` with each sample's jackknife deviations
    ``U_i = (n - 1)(mean - theta_(i))`` scaled by its own size. A sample of one value has no
    jackknife and contributes nothing. NaN when undefined (the caller takes 0).
    """
    cx = counts_x.astype(np.float64)
    cy = counts_y.astype(np.float64)
    n_x = cx.sum()
    n_y = cy.sum()
    cubes = 0.0
    squares = 0.0
    if n_x >= 2.0:
        c3, c2 = _jackknife_side(kind, cx, cy, n_x, n_y, True)
        cubes += c3
        squares += c2
    if n_y >= 2.0:
        c3, c2 = _jackknife_side(kind, cy, cx, n_y, n_x, False)
        cubes += c3
        squares += c2
    if not squares > 0.0:
        return np.nan
    acceleration: float = cubes / (6.0 * squares**1.5)
    return acceleration

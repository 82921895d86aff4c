"""Kernels behind :mod:`divergences.gan`: D*, V(G, D) and its form from logits."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

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

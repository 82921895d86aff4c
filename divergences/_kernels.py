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
import os
from typing import Any

import numba
import numpy as np
from llvmlite import binding as llvm_binding
from llvmlite import ir
from numba import njit, prange, types
from numba.core.extending import intrinsic, overload

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


# --------------------------------------------------------------------------------------------
# The GAN trainer (divergences.trainer.compiled). A multilayer perceptron is a flat parameter
# vector laid out layer by layer (weight row-major, then bias), its widths ``sizes`` and an
# activation code (0 leaky ReLU with slope 0.2, 1 ReLU, 2 tanh). The forward pass writes every
# layer's output, as a C-contiguous (batch, width) block, into one flat buffer: block 0 is the
# input, block l the output of layer l. The backward pass needs only those, because each
# activation's derivative is a function of its output (leaky ReLU and ReLU: its sign; tanh:
# 1 - y^2). The matrix products go to BLAS through np.dot; the kernels fuse what surrounds them
# (bias, activation, its derivative), which numpy would run as a dozen separate passes.
# --------------------------------------------------------------------------------------------

LEAKY_RELU_SLOPE = 0.2


@njit(cache=True)
def mlp_forward(
    flat: np.ndarray, sizes: np.ndarray, activation: int, x: np.ndarray, acts: np.ndarray
) -> None:
    n = x.shape[0]
    n_layers = sizes.size - 1
    h = acts[: n * sizes[0]].reshape((n, sizes[0]))
    h[:, :] = x
    p = 0  # offset of the layer's weight in flat
    a = n * sizes[0]  # offset of the layer's output block in acts
    for layer in range(n_layers):
        n_in = sizes[layer]
        n_out = sizes[layer + 1]
        weight = flat[p : p + n_in * n_out].reshape((n_in, n_out))
        bias = flat[p + n_in * n_out : p + n_in * n_out + n_out]
        out = acts[a : a + n * n_out].reshape((n, n_out))
        np.dot(h, weight, out)
        hidden = layer < n_layers - 1
        for i in range(n):
            for j in range(n_out):
                v = out[i, j] + bias[j]
                if hidden:
                    if activation == 0:
                        if v <= 0.0:
                            v *= LEAKY_RELU_SLOPE
                    elif activation == 1:
                        v = max(v, 0.0)
                    else:
                        v = math.tanh(v)
                out[i, j] = v
        p += n_in * n_out + n_out
        a += n * n_out
        h = out


@njit(cache=True)
def mlp_backward(
    flat: np.ndarray,
    sizes: np.ndarray,
    activation: int,
    acts: np.ndarray,
    grad_out: np.ndarray,
    grads: np.ndarray,
    parameter_gradients: bool,
) -> np.ndarray:
    """Fills ``grads`` (if asked) and returns the gradient with respect to the input."""
    n_layers = sizes.size - 1
    width = 0
    for layer in range(sizes.size):
        width += sizes[layer]
    n = acts.size // width
    g = grad_out.copy()
    # offsets one past the last layer's parameters and output block
    p = flat.size
    a = acts.size
    for layer in range(n_layers - 1, -1, -1):
        n_in = sizes[layer]
        n_out = sizes[layer + 1]
        a -= n * n_out
        p -= n_in * n_out + n_out
        if layer < n_layers - 1:
            # gradient with respect to the pre-activation, from the activation's output
            out = acts[a : a + n * n_out].reshape((n, n_out))
            for i in range(n):
                for j in range(n_out):
                    y = out[i, j]
                    if activation == 0:
                        if y <= 0.0:
                            g[i, j] *= LEAKY_RELU_SLOPE
                    elif activation == 1:
                        if y <= 0.0:
                            g[i, j] = 0.0
                    else:
                        g[i, j] *= 1.0 - y * y
        weight = flat[p : p + n_in * n_out].reshape((n_in, n_out))
        if parameter_gradients:
            h = acts[a - n * n_in : a].reshape((n, n_in))
            grad_weight = grads[p : p + n_in * n_out].reshape((n_in, n_out))
            np.dot(h.T, g, grad_weight)
            grad_bias = grads[p + n_in * n_out : p + n_in * n_out + n_out]
            for j in range(n_out):
                grad_bias[j] = 0.0
            for i in range(n):
                for j in range(n_out):
                    grad_bias[j] += g[i, j]
        g = np.dot(g, weight.T)
    return g


@njit(cache=True)
def adam_step(
    params: np.ndarray,
    grads: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    beta1: float,
    beta2: float,
    step_size: float,
    eps_hat: float,
) -> None:
    for q in range(params.size):
        gq = grads[q]
        m[q] = beta1 * m[q] + (1.0 - beta1) * gq
        v[q] = beta2 * v[q] + (1.0 - beta2) * (gq * gq)
        params[q] -= step_size * (m[q] / (math.sqrt(v[q]) + eps_hat))


@njit(cache=True)
def _softplus(x: float) -> float:
    """``log(1 + e^x)`` without overflow or loss of precision for either sign."""
    if x > 0.0:
        return x + math.log1p(math.exp(-x))
    return math.log1p(math.exp(x))


@njit(cache=True)
def _forward_cache(
    flat: np.ndarray, sizes: np.ndarray, activation: int, x: np.ndarray
) -> np.ndarray:
    width = 0
    for layer in range(sizes.size):
        width += sizes[layer]
    acts = np.empty(x.shape[0] * width)
    mlp_forward(flat, sizes, activation, x, acts)
    return acts


@njit(cache=True)
def _output(acts: np.ndarray, n: int, n_out: int) -> np.ndarray:
    return acts[acts.size - n * n_out :].reshape((n, n_out))


@njit(cache=True)
def discriminator_gradient(
    g_flat: np.ndarray,
    g_sizes: np.ndarray,
    d_flat: np.ndarray,
    d_sizes: np.ndarray,
    g_activation: int,
    d_activation: int,
    x_real: np.ndarray,
    z: np.ndarray,
    noise_real: np.ndarray,
    noise_fake: np.ndarray,
    d_grads: np.ndarray,
) -> float:
    """The discriminator step's loss and gradient (into ``d_grads``), all passes fused.

    ``noise_real``/``noise_fake`` are the instance noise, or empty arrays for none.
    """
    m_real = x_real.shape[0]
    m_fake = z.shape[0]
    dim = x_real.shape[1]
    x_fake = _output(_forward_cache(g_flat, g_sizes, g_activation, z), m_fake, dim)
    x = np.empty((m_real + m_fake, dim))
    noisy = noise_real.size > 0
    for i in range(m_real):
        for c in range(dim):
            x[i, c] = x_real[i, c] + noise_real[i, c] if noisy else x_real[i, c]
    for i in range(m_fake):
        for c in range(dim):
            x[m_real + i, c] = x_fake[i, c] + noise_fake[i, c] if noisy else x_fake[i, c]
    acts = _forward_cache(d_flat, d_sizes, d_activation, x)
    logit = _output(acts, m_real + m_fake, 1)
    grad_logit = np.empty((m_real + m_fake, 1))
    loss_real = 0.0
    loss_fake = 0.0
    for i in range(m_real):
        # -log D = softplus(-l); d/dl = -sigma(-l) = -exp(-softplus(l))
        loss_real += _softplus(-logit[i, 0])
        grad_logit[i, 0] = -math.exp(-_softplus(logit[i, 0])) / m_real
    for i in range(m_real, m_real + m_fake):
        # -log(1 - D) = softplus(l); d/dl = sigma(l) = exp(-softplus(-l))
        loss_fake += _softplus(logit[i, 0])
        grad_logit[i, 0] = math.exp(-_softplus(-logit[i, 0])) / m_fake
    mlp_backward(d_flat, d_sizes, d_activation, acts, grad_logit, d_grads, True)
    total: float = loss_real / m_real + loss_fake / m_fake
    return total


@njit(cache=True)
def generator_gradient(
    g_flat: np.ndarray,
    g_sizes: np.ndarray,
    d_flat: np.ndarray,
    d_sizes: np.ndarray,
    g_activation: int,
    d_activation: int,
    z: np.ndarray,
    noise_fake: np.ndarray,
    saturating: bool,
    g_grads: np.ndarray,
) -> float:
    """The generator step's loss and gradient (into ``g_grads``), through D into x, then G."""
    m = z.shape[0]
    dim = g_sizes[g_sizes.size - 1]
    g_acts = _forward_cache(g_flat, g_sizes, g_activation, z)
    x_fake = _output(g_acts, m, dim)
    x_seen = x_fake + noise_fake if noise_fake.size > 0 else x_fake.copy()
    d_acts = _forward_cache(d_flat, d_sizes, d_activation, x_seen)
    logit = _output(d_acts, m, 1)
    grad_logit = np.empty((m, 1))
    loss = 0.0
    for i in range(m):
        if saturating:
            # log(1 - D) = -softplus(l); d/dl = -sigma(l) = -exp(-softplus(-l))
            loss -= _softplus(logit[i, 0])
            grad_logit[i, 0] = -math.exp(-_softplus(-logit[i, 0])) / m
        else:
            # -log D = softplus(-l); d/dl = -sigma(-l) = -exp(-softplus(l))
            loss += _softplus(-logit[i, 0])
            grad_logit[i, 0] = -math.exp(-_softplus(logit[i, 0])) / m
    grad_x = mlp_backward(d_flat, d_sizes, d_activation, d_acts, grad_logit, np.empty(0), False)
    mlp_backward(g_flat, g_sizes, g_activation, g_acts, grad_x, g_grads, True)
    mean: float = loss / m
    return mean


# Samples: shared-edge histograms of two samples (divergences.histogram, divergences.estimate).
#
# Counts are "extended": index 0 holds finite values below the first edge, 1..nb the bins,
# nb + 1 finite values above the last edge, nb + 2 NaN, nb + 3 infinities. The bins follow
# np.histogram: bin i is [edges[i], edges[i+1]), the last one closed.
#
# These kernels take the caller's arrays as they are (float64, float32 or integer, any stride):
# numba compiles one version per dtype and layout, so nothing is copied or converted up front.
# --------------------------------------------------------------------------------------------

#: Extra slots of an extended count vector around the ``nb`` bins.
EXTRA_SLOTS = 4
# The one-array kernels (range, finite range, binning, moments, radix count) release the GIL
# (nogil=True): dask's threaded scheduler and a streaming caller's threads run them on chunks
# side by side.

#: fastmath flags that keep inf and NaN semantics (no nnan, no ninf): for reductions only.
SAFE_FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}


@njit(cache=True)
def _first_non_nan(a: np.ndarray) -> int:
    for i in range(a.size):
        v = a[i]
        if v == v:
            return i
    return a.size


@njit(cache=True)
def _range_chunk(a: np.ndarray, start: int) -> tuple[Any, Any, int]:
    """Min, max (NaN ignored) and NaN count of ``a[start:]``; ``a[start]`` must not be NaN.

    Four independent min/max pairs: a single pair is a chain of dependent selects that runs
    at half the speed of memory.
    """
    lo0 = lo1 = lo2 = lo3 = a[start]
    hi0 = hi1 = hi2 = hi3 = a[start]
    n_nan = 0
    n = a.size
    m = start + (n - start) // 4 * 4
    for i in range(start, m, 4):
        v0 = a[i]
        v1 = a[i + 1]
        v2 = a[i + 2]
        v3 = a[i + 3]
        lo0 = v0 if v0 < lo0 else lo0
        hi0 = v0 if v0 > hi0 else hi0
        lo1 = v1 if v1 < lo1 else lo1
        hi1 = v1 if v1 > hi1 else hi1
        lo2 = v2 if v2 < lo2 else lo2
        hi2 = v2 if v2 > hi2 else hi2
        lo3 = v3 if v3 < lo3 else lo3
        hi3 = v3 if v3 > hi3 else hi3
        n_nan += (v0 != v0) + (v1 != v1) + (v2 != v2) + (v3 != v3)
    for i in range(m, n):
        v = a[i]
        lo0 = v if v < lo0 else lo0
        hi0 = v if v > hi0 else hi0
        n_nan += v != v
    lo = min(min(lo0, lo1), min(lo2, lo3))
    hi = max(max(hi0, hi1), max(hi2, hi3))
    return lo, hi, n_nan


def _extremum(llvm_float: str, predicate: str) -> Any:
    """A jitted ``min`` or ``max`` of two scalars of one numeric type, for vectorisable reductions.

    Floats go to LLVM's ``llvm.minimum``/``llvm.maximum``: NaN if either operand is NaN, and
    -0 below +0, so the operation is exactly associative and commutative and LLVM may reorder
    a reduction of it into SIMD lanes. numba's ``min`` and a compare-and-select (which ignores
    NaN on one side only) are neither, and stay scalar. Integers: a compare and select.
    """

    @intrinsic
    def extremum(typingctx: Any, a: Any, b: Any) -> Any:
        if a != b or not isinstance(a, (types.Float, types.Integer)):
            return None

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            x, y = args
            if isinstance(signature.args[0], types.Float):
                fnty = ir.FunctionType(x.type, [x.type, x.type])
                fn = builder.module.declare_intrinsic(llvm_float, [x.type], fnty)
                return builder.call(fn, [x, y])
            compare = builder.icmp_signed if signature.args[0].signed else builder.icmp_unsigned
            return builder.select(compare(predicate, x, y), x, y)

        return a(a, b), codegen

    return extremum


_lower = _extremum("llvm.minimum", "<")
_upper = _extremum("llvm.maximum", ">")

#: x86 code generation for llvm.minimum/maximum: LLVM 14 and 15 (numba 0.59-0.61) abort with
#: "Cannot select"; LLVM 20 (numba 0.62) and later compile it. Older LLVMs take the scalar pass.
VECTOR_MINMAX = llvm_binding.llvm_version_info >= (20,)


@njit(cache=True, fastmath={"reassoc"})
def _bounds(a: np.ndarray) -> tuple[Any, Any]:
    """Min and max of a non-empty contiguous ``a`` in its dtype; NaN if ``a`` holds a NaN.

    LLVM vectorises the two reductions: 0.27-0.31 against 0.60 ns per float64 value for the
    scalar four-accumulator loop of _range_chunk (2e7 normals, AVX-512 machine, interleaved).
    ``reassoc`` only licenses reordering them, which is exact for llvm.minimum/maximum (LLVM 22
    vectorises the loop without it too). No NaN count here: NaN is rare, and when the result
    is NaN the scalar pass, which also gives the NaN-free range, counts it (a count in this
    loop still vectorised but cost 0.35 against 0.31 ns).
    """
    lo = a[0]
    hi = a[0]
    for i in range(a.size):
        v = a[i]
        lo = _lower(lo, v)
        hi = _upper(hi, v)
    return lo, hi


def _contiguous_bounds(a: np.ndarray) -> tuple[float, float, bool]:
    """``(min, max, True)`` of a non-empty contiguous ``a`` without NaN; ``(_, _, False)`` else."""
    raise NotImplementedError("jitted only")


@overload(_contiguous_bounds)
def _contiguous_bounds_impl(a: Any) -> Any:
    if a.layout != "C" or not VECTOR_MINMAX:
        # chosen at compile time: strided data would make the vectorised loop gather (5 ns
        # per value)

        def none(a: Any) -> tuple[float, float, bool]:
            return 0.0, 0.0, False

        return none

    def bounds(a: Any) -> tuple[float, float, bool]:
        lo, hi = _bounds(a)
        return float(lo), float(hi), lo == lo and hi == hi

    return bounds


@njit(cache=True)
def _range_of(a: np.ndarray) -> tuple[float, float, int, bool]:
    """Min and max of ``a`` as float64 (NaN ignored), its NaN count, and whether it has a number."""
    if a.size == 0:
        return 0.0, 0.0, 0, False
    lo, hi, done = _contiguous_bounds(a)
    if done:
        return lo, hi, 0, True
    # strided, or NaN somewhere: the scalar pass, which skips NaN and counts it
    start = _first_non_nan(a)
    if start == a.size:
        return 0.0, 0.0, a.size, False
    lo, hi, n_nan = _range_chunk(a, start)
    return float(lo), float(hi), n_nan + start, True


@njit(cache=True)
def _merge_range(
    a: tuple[float, float, int, bool], b: tuple[float, float, int, bool]
) -> tuple[float, float, int, bool]:
    if not a[3]:
        return b[0], b[1], a[2] + b[2], b[3]
    if not b[3]:
        return a[0], a[1], a[2] + b[2], a[3]
    return min(a[0], b[0]), max(a[1], b[1]), a[2] + b[2], True


@njit(cache=True, nogil=True)
def histogram_pair_range(a: np.ndarray) -> tuple[float, float, int, bool]:
    """Min and max of one sample (NaN ignored, infinities included), NaN count, any number.

    One array per call (not x and y together): numba compiles a kernel once per combination of
    argument types, and a two-array kernel would compile for every pair of dtypes and layouts.
    """
    return _range_of(a)


@njit(cache=True, parallel=True)
def _range_chunks(a: np.ndarray, n_chunks: int) -> tuple[float, float, int, bool]:
    lo = np.zeros(n_chunks)
    hi = np.zeros(n_chunks)
    n_nan = np.zeros(n_chunks, np.int64)
    found = np.zeros(n_chunks, np.bool_)
    for c in prange(n_chunks):
        # a contiguous slice keeps the array's layout, so the chunk loop stays fast
        r = _range_of(a[c * a.size // n_chunks : (c + 1) * a.size // n_chunks])
        lo[c], hi[c], n_nan[c], found[c] = r
    out = (0.0, 0.0, 0, False)
    for c in range(n_chunks):
        out = _merge_range(out, (lo[c], hi[c], n_nan[c], found[c]))
    return out


@njit(cache=True)
def histogram_pair_range_parallel(a: np.ndarray, n_chunks: int) -> tuple[float, float, int, bool]:
    return _range_chunks(a, n_chunks)


@njit(cache=True)
def _finite_range_of(a: np.ndarray, out: np.ndarray) -> None:
    lo = np.inf
    hi = -np.inf
    n_finite = 0
    n_nan = 0
    n_inf = 0
    for i in range(a.size):
        v = float(a[i])
        if v != v:
            n_nan += 1
        elif v == np.inf or v == -np.inf:
            n_inf += 1
        else:
            n_finite += 1
            lo = min(lo, v)
            hi = max(hi, v)
    out[0] = lo
    out[1] = hi
    out[2] = n_finite
    out[3] = n_nan
    out[4] = n_inf


@njit(cache=True, nogil=True)
def histogram_pair_finite_range(a: np.ndarray) -> np.ndarray:
    """Min and max over the finite values of one sample, and its finite, NaN and inf counts.

    Used where non-finite values are to be omitted, and for the numbers an error quotes.
    """
    out = np.empty(5)
    _finite_range_of(a, out)
    return out


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


@njit(cache=True)
def _bin_search(a: np.ndarray, counts: np.ndarray, edges: np.ndarray) -> None:
    for i in range(a.size):
        counts[_exact_slot(float(a[i]), edges)] += 1


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


@njit(cache=True)
def _batch_range_rows(x: np.ndarray, y: np.ndarray, out: np.ndarray) -> None:
    for i in range(x.shape[0]):
        lo, hi, n_nan, found = _merge_range(_range_of(x[i]), _range_of(y[i]))
        out[i, 0] = lo
        out[i, 1] = hi
        out[i, 2] = n_nan
        out[i, 3] = found


@njit(cache=True, parallel=True)
def _batch_range_rows_parallel(x: np.ndarray, y: np.ndarray, out: np.ndarray) -> None:
    for i in prange(x.shape[0]):  # each pair writes only its own row
        lo, hi, n_nan, found = _merge_range(_range_of(x[i]), _range_of(y[i]))
        out[i, 0] = lo
        out[i, 1] = hi
        out[i, 2] = n_nan
        out[i, 3] = found


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


@njit(cache=True, parallel=True)
def histogram_pair_batch(
    x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray, edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Extended counts of every pair (row) of x and y on its own uniform edges, and bin counts.

    ``lo[i]``, ``hi[i]`` (in the dtype of ``edges``) give pair i's outer edges; ``edges`` of
    shape ``(n_pairs, nb + 1)`` is filled here as numpy's linspace would fill it. Pairs are
    independent, so they run in parallel, each writing only its own rows.
    """
    n_pairs, n_edges = edges.shape
    nb = n_edges - 1
    ext_x, ext_y, counts_x, counts_y = _batch_outputs(n_pairs, nb)
    for i in prange(n_pairs):
        _uniform_edges(lo[i], hi[i], edges[i])
        row = edges[i].astype(np.float64)
        norm, tol, uniform = _bin_plan(row)
        _bin_into(x[i], ext_x[i], row[0], norm, tol, row, uniform)
        _bin_into(y[i], ext_y[i], row[0], norm, tol, row, uniform)
        counts_x[i] = ext_x[i, 1 : nb + 1]
        counts_y[i] = ext_y[i, 1 : nb + 1]
    return ext_x, ext_y, counts_x, counts_y


@njit(cache=True, parallel=True)
def histogram_pair_batch_shared(
    x: np.ndarray, y: np.ndarray, edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Extended counts of every pair (row) of x and y on the same float64 ``edges``, bin counts."""
    n_pairs = x.shape[0]
    nb = edges.size - 1
    norm, tol, uniform = _bin_plan(edges)
    ext_x, ext_y, counts_x, counts_y = _batch_outputs(n_pairs, nb)
    for i in prange(n_pairs):
        _bin_into(x[i], ext_x[i], edges[0], norm, tol, edges, uniform)
        _bin_into(y[i], ext_y[i], edges[0], norm, tol, edges, uniform)
        counts_x[i] = ext_x[i, 1 : nb + 1]
        counts_y[i] = ext_y[i, 1 : nb + 1]
    return ext_x, ext_y, counts_x, counts_y


# --------------------------------------------------------------------------------------------
# Statistics of the pooled sample for the bin rules, without concatenating x and y.
# --------------------------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def histogram_pair_moments(a: np.ndarray, lo: float, hi: float, shift: float) -> np.ndarray:
    """Count, min, max, sum of ``v - shift``, sum of ``(v - shift)^2`` over values in [lo, hi]."""
    out = np.array([0.0, np.inf, -np.inf, 0.0, 0.0])
    for i in range(a.size):
        v = float(a[i])
        if lo <= v <= hi:
            d = v - shift
            out[0] += 1.0
            out[1] = min(out[1], v)
            out[2] = max(out[2], v)
            out[3] += d
            out[4] += d * d
    return out


#: Radix-select digit: 16 bits, so four passes fix a float64 key.
_RADIX_BITS = 16
_RADIX_BLOCK = 4096


@njit(cache=True, nogil=True)
def histogram_pair_radix_count(
    a: np.ndarray, lo: float, hi: float, shift: int, prefix: np.uint64, counts: np.ndarray
) -> None:
    """Radix-selection pass: histogram of one 16-bit digit of the keys, added to ``counts``.

    Counts digit ``shift`` of the keys of the values of ``a`` in [lo, hi] whose higher bits
    equal ``prefix``. The key of a float64 is its bit pattern made order-preserving as an
    unsigned integer (flip all bits of negatives, the sign bit of the rest). Values are copied
    blockwise into a float64 buffer whose uint64 view gives the bits.
    """
    buffer = np.empty(_RADIX_BLOCK)
    keys = buffer.view(np.uint64)
    mask = np.uint64(0xFFFF)
    sign = np.uint64(1) << np.uint64(63)
    upper = np.uint64(shift + _RADIX_BITS)
    low = np.uint64(shift)
    for start in range(0, a.size, _RADIX_BLOCK):
        stop = min(start + _RADIX_BLOCK, a.size)
        for i in range(start, stop):
            buffer[i - start] = float(a[i])
        for i in range(stop - start):
            v = buffer[i]
            if not lo <= v <= hi:
                continue
            bits = keys[i]
            key = ~bits if bits & sign else bits | sign
            if upper < 64 and (key >> upper) != prefix:
                continue
            counts[(key >> low) & mask] += 1


@njit(cache=True)
def histogram_pair_key_value(key: np.uint64) -> float:
    """The float64 whose order-preserving key is ``key`` (inverse of the radix key)."""
    sign = np.uint64(1) << np.uint64(63)
    buffer = np.empty(1)
    buffer.view(np.uint64)[0] = key ^ sign if key & sign else ~key
    value: float = buffer[0]
    return value


# --------------------------------------------------------------------------------------------
# Divergences from counts (divergences.estimate). counts: (n_pairs, nb), any integer layout.
# --------------------------------------------------------------------------------------------


#: Below this much work (pairs x values, or pairs x bins) row kernels run serially: a parallel
#: launch costs ~10-20 us, and a single pair has nothing to share out. Measured on 1000 pairs x
#: 32 bins (32,000 terms): the counts -> JSD pass went from 0.85 ms to ~0.45 ms on 2 threads.
PARALLEL_MIN_ROW_WORK = 1 << 14


def _rows_in_parallel(n_rows: int, work: int) -> bool:
    return n_rows >= 2 and work >= PARALLEL_MIN_ROW_WORK and thread_count() >= 2


@njit(cache=True)
def _js_row(cx: np.ndarray, cy: np.ndarray) -> float:
    """Plug-in JSD of one pair of count vectors, each divided by its own total."""
    nb = cx.size
    n_x = 0.0
    n_y = 0.0
    for j in range(nb):
        n_x += cx[j]
        n_y += cy[j]
    total = 0.0
    # a bin holding one sample only contributes (its share)/2 * log 2: summed as counts, so
    # that disjoint samples give log 2 exactly rather than a sum of rounded terms
    alone_x = 0.0
    alone_y = 0.0
    for j in range(nb):
        if cy[j] == 0:
            alone_x += cx[j]
        elif cx[j] == 0:
            alone_y += cy[j]
        else:
            total += _js_term(cx[j] / n_x, cy[j] / n_y)
    total += 0.5 * LOG2 * (alone_x / n_x + alone_y / n_y)
    return min(total, LOG2)


@njit(cache=True)
def _js_rows(counts_x: np.ndarray, counts_y: np.ndarray) -> np.ndarray:
    out = np.empty(counts_x.shape[0])
    for i in range(counts_x.shape[0]):
        out[i] = _js_row(counts_x[i], counts_y[i])
    return out


@njit(cache=True, parallel=True)
def _js_rows_parallel(counts_x: np.ndarray, counts_y: np.ndarray) -> np.ndarray:
    out = np.empty(counts_x.shape[0])
    for i in prange(counts_x.shape[0]):  # each pair writes only its own entry
        out[i] = _js_row(counts_x[i], counts_y[i])
    return out


def js_from_samples(counts_x: np.ndarray, counts_y: np.ndarray) -> np.ndarray:
    """Plug-in JSD of each row pair of counts ``(n_pairs, nb)``, rows in parallel when large."""
    if _rows_in_parallel(counts_x.shape[0], counts_x.size):
        return _js_rows_parallel(counts_x, counts_y)
    return _js_rows(counts_x, counts_y)


@njit(cache=True)
def _kl_row(cx: np.ndarray, cy: np.ndarray, pseudocount: float) -> tuple[float, float]:
    """Plug-in KL of one pair with ``pseudocount`` in every bin, and the off-support mass.

    ``p_j = (c_j + a) / (n + a nb)``; the off-support mass is the share of x's (raw) count in
    bins where y has none.
    """
    nb = cx.size
    n_x = 0.0
    n_y = 0.0
    stranded = 0.0
    for j in range(nb):
        n_x += cx[j]
        n_y += cy[j]
        if cy[j] == 0:
            stranded += cx[j]
    s_x = n_x + pseudocount * nb
    s_y = n_y + pseudocount * nb
    total = 0.0  # generalised terms, as in kl_divergence: 0 iff the histograms are equal
    for j in range(nb):
        total += _kl_term((cx[j] + pseudocount) / s_x, (cy[j] + pseudocount) / s_y)
    return total, stranded / n_x


@njit(cache=True)
def _kl_rows(
    counts_x: np.ndarray, counts_y: np.ndarray, pseudocount: float
) -> tuple[np.ndarray, np.ndarray]:
    out = np.empty(counts_x.shape[0])
    off_support = np.empty(counts_x.shape[0])
    for i in range(counts_x.shape[0]):
        out[i], off_support[i] = _kl_row(counts_x[i], counts_y[i], pseudocount)
    return out, off_support


@njit(cache=True, parallel=True)
def _kl_rows_parallel(
    counts_x: np.ndarray, counts_y: np.ndarray, pseudocount: float
) -> tuple[np.ndarray, np.ndarray]:
    out = np.empty(counts_x.shape[0])
    off_support = np.empty(counts_x.shape[0])
    for i in prange(counts_x.shape[0]):  # each pair writes only its own entries
        out[i], off_support[i] = _kl_row(counts_x[i], counts_y[i], pseudocount)
    return out, off_support


def kl_from_samples(
    counts_x: np.ndarray, counts_y: np.ndarray, pseudocount: float
) -> tuple[np.ndarray, np.ndarray]:
    """Plug-in KL of each row pair (pseudocount in every bin) and x's off-support mass."""
    if _rows_in_parallel(counts_x.shape[0], counts_x.size):
        return _kl_rows_parallel(counts_x, counts_y, pseudocount)
    return _kl_rows(counts_x, counts_y, pseudocount)


#: When the parallel kernels may run: "auto" (when the machine has an idle core besides the
#: caller's), "always" or "never"; from the environment variable DIVERGENCES_PARALLEL.
PARALLEL_POLICY = os.environ.get("DIVERGENCES_PARALLEL", "auto")


def thread_count() -> int:
    """Threads the parallel kernels may use now: numba's thread count, or 1 on a busy machine.

    numba's parallel loops hand each thread a fixed share of the work, so one thread slowed by
    another process holds up the whole call: on a 2-core machine with a competing process the
    parallel binning ran at a quarter of the serial speed (docs/benchmarks.md). Under the
    "auto" policy the parallel kernels are used only while the 1-minute load average leaves at
    least one core idle besides the caller's, so a busy machine gets the serial kernels and is
    never slower than one thread. Asked from Python: called inside a jitted function it would
    make that function uncacheable.
    """
    threads = int(numba.get_num_threads())
    if threads < 2 or PARALLEL_POLICY == "always":
        return threads
    if PARALLEL_POLICY == "never":
        return 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform: trust numba's count
        return threads
    idle = (os.cpu_count() or 1) - busy
    return threads if idle >= 1.0 else 1


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


# --------------------------------------------------------------------------------------------
# Multivariate shared-edge histograms (divergences.histogram_nd). A sample is (n, d); dimension
# j has the edges ``edges[offsets[j]:offsets[j + 1]]``; cells are numbered in C order.
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def histogram_pair_nd(a: np.ndarray, edges: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Counts of the rows of ``a`` in the cells of a product of 1-D bins, and what was left out.

    Returns ``n_cells + 3`` counts: the cells (C order), then rows outside the edges in some
    dimension (finite), rows with a NaN, rows with an infinity (NaN first: a row with both is
    counted as NaN). Each coordinate is placed as np.histogram places it (``_exact_slot``), so
    the cells equal np.histogramdd's.
    """
    n, d = a.shape
    sizes = np.empty(d, np.int64)
    for j in range(d):
        sizes[j] = offsets[j + 1] - offsets[j] - 1
    n_cells = 1
    for j in range(d):
        n_cells *= sizes[j]
    counts = np.zeros(n_cells + 3, np.int64)
    for i in range(n):
        flat = 0
        outside = False
        nan = False
        inf = False
        for j in range(d):
            row_edges = edges[offsets[j] : offsets[j + 1]]
            nb = sizes[j]
            slot = _exact_slot(float(a[i, j]), row_edges)
            if slot == nb + 2:
                nan = True
            elif slot == nb + 3:
                inf = True
            elif slot == 0 or slot == nb + 1:
                outside = True
            else:
                flat = flat * nb + (slot - 1)
        if nan:
            counts[n_cells + 1] += 1
        elif inf:
            counts[n_cells + 2] += 1
        elif outside:
            counts[n_cells] += 1
        else:
            counts[flat] += 1
    return counts

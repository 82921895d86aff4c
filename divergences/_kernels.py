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
        total = 0.0
        # the generalised terms sum to KL + sum(q - p); sum(q - p) is 0 up to the round-off of
        # normalisation, and subtracting it keeps the result equal to sum p log(p/q) exactly
        excess = 0.0
        for j in range(k):
            a = p[ip, j] / sp
            b = q[iq, j] / sq
            total += _kl_term(a, b)
            excess += b - a
        out[i] = max(total - excess, 0.0)
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

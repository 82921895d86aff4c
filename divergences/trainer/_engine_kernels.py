"""The trainer's compiled engine: MLP passes, Adam, and the GAN gradients, in numba."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# numba freezes this global when it compiles; its on-disk cache is keyed on this file alone, so a
# changed slope needs a cleared cache. The gradient tests compare this engine with the numpy
# passes of layers.py, which would catch a stale one.
from .layers import LEAKY_RELU_SLOPE

# --------------------------------------------------------------------------------------------
# The GAN trainer (divergences.trainer.compiled). A multilayer perceptron is a flat parameter
# vector laid out layer by layer (weight row-major, then bias), its widths ``sizes`` and an
# activation code (0 leaky ReLU, 1 ReLU, 2 tanh). The forward pass writes every
# layer's output, as a C-contiguous (batch, width) block, into one flat buffer: block 0 is the
# input, block l the output of layer l. The backward pass needs only those, because each
# activation's derivative is a function of its output (leaky ReLU and ReLU: its sign; tanh:
# 1 - y^2). The matrix products go to BLAS through np.dot; the kernels fuse what surrounds them
# (bias, activation, its derivative), which numpy would run as a dozen separate passes.
# --------------------------------------------------------------------------------------------


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
    r""":math:`\log(1 + e^x)` without overflow or loss of precision for either sign."""
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
def discriminator_loss_into_grads(
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
    """The discriminator step's loss, returned, and its gradient, written into ``d_grads``.

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
def generator_loss_into_grads(
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
    """The generator step's loss, returned, and its gradient, written into ``g_grads``.

    The gradient runs from the logits back through D into x, then through G.
    """
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

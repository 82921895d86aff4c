r"""The gradients of one discriminator step and one generator step of Algorithm 1.

Both take the two networks and the minibatches and return the loss (nats) and its gradient in
the parameters of the network that the step updates, from logits
(:mod:`~divergences.trainer.losses`). ``engine="numpy"`` runs the readable passes of
:mod:`~divergences.trainer.mlp`; ``engine="numba"`` one fused kernel per step
(:mod:`~divergences.trainer.compiled`), equal up to rounding.

With packing (Lin et al. 2018, PacGAN) the discriminator judges ``packing`` samples at once:
its input is ``packing`` samples of the same kind concatenated, ``(m, packing * dim)``, made of
``m * packing`` samples in consecutive groups. The generator's gradient at a packed input splits
back into the samples it was made of (the concatenation's transpose), then runs through the
generator. The packed steps compose the same layer passes (numpy, or the compiled ones with
``engine="numba"``); ``packing=1`` is the unpacked step.

``precision="float32"`` runs the passes (every matrix product, activation and their
derivatives) in single precision around the float64 parameters: the weights are rounded to
float32 for the step, the losses and their derivatives in the logits are computed in float64
from the float32 logits, and the gradient comes back as float64 for the optimiser, whose state
stays float64 (mixed precision). The matrix products, which take most of a step at the PacGAN
presets' widths, run about twice as fast in single precision (BLAS's sgemm against dgemm); the
price is a gradient accurate to about :math:`10^{-6}` relative instead of :math:`10^{-15}`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._checks.scalars import check_choice
from . import compiled, losses, mlp
from .config import PRECISIONS
from .mlp import Mlp

Passes = tuple[
    Callable[[Mlp, np.ndarray], tuple[np.ndarray, Any]],
    Callable[[Mlp, Any, np.ndarray], tuple[Mlp, np.ndarray]],
    Callable[[Mlp, Any, np.ndarray], np.ndarray],
]

_DTYPES: dict[str, type[np.floating[Any]]] = {"float64": np.float64, "float32": np.float32}


def _dtype(precision: str) -> type[np.floating[Any]]:
    """The dtype of the passes at ``precision``, checked."""
    return _DTYPES[check_choice(precision, "precision", PRECISIONS)]


#: The layer passes of each engine, (forward, backward, backward_input), with one contract.
PASSES: dict[str, Passes] = {
    "numpy": (mlp.forward_unchecked, mlp.backward, mlp.backward_input),
    "numba": (compiled.forward_unchecked, compiled.backward, compiled.backward_input),
}


def pack(samples: np.ndarray, packing: int) -> np.ndarray:
    """``(m * packing, dim)`` samples as ``m`` packs of consecutive ones, ``(m, packing * dim)``.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.gradients import pack
    >>> pack(np.arange(8.0).reshape(4, 2), 2).tolist()
    [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]
    """
    n, dim = samples.shape
    if n % packing:
        raise ValueError(
            f"{n} samples do not make packs of {packing}: pass a multiple of packing = "
            f"{packing} samples (m packs take m * packing)."
        )
    return np.ascontiguousarray(samples).reshape(n // packing, packing * dim)


def _as_dtype(net: Mlp, dtype: type[np.floating[Any]]) -> Mlp:
    """``net`` with its parameters in ``dtype`` (itself when they already are)."""
    return net if net.flat.dtype == dtype else net._with_flat(net.flat.astype(dtype))


def discriminator_gradient(
    generator: Mlp,
    discriminator: Mlp,
    x_real: np.ndarray,
    z: np.ndarray,
    *,
    noise_real: np.ndarray | None = None,
    noise_fake: np.ndarray | None = None,
    engine: str = "numpy",
    packing: int = 1,
    precision: str = "float64",
) -> tuple[float, Mlp]:
    r"""Loss :math:`L_D = -\hat V(G, D)` of a discriminator step and its gradient in D's parameters.

    Parameters
    ----------
    generator, discriminator : Mlp
        The two networks; only the discriminator is differentiated.
    x_real : ndarray, shape (m * packing, dim)
        Data minibatch.
    z : ndarray, shape (m' * packing, noise_dim)
        Noise minibatch; the generator samples are ``G(z)``.
    noise_real, noise_fake : ndarray, shape (m * packing, dim) and (m' * packing, dim), optional
        Instance noise added to the data and to the generator samples.
    engine : {"numpy", "numba"}, default "numpy"
        The readable numpy passes, or one fused compiled kernel (without packing; packed steps
        compose the compiled layer passes).
    packing : int, default 1
        Samples per discriminator input (PacGAN); the discriminator's input width is
        ``packing * dim``.
    precision : {"float64", "float32"}, default "float64"
        Precision of the passes (see the module's notes); the gradient is float64 either way.

    Returns
    -------
    loss : float
        :math:`L_D` in nats.
    grads : Mlp
        :math:`\partial L_D / \partial \theta_D`.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.gradients import discriminator_gradient
    >>> from divergences.trainer.mlp import init_mlp
    >>> rng = np.random.default_rng(0)
    >>> g, d = init_mlp((1, 4, 1), rng=rng), init_mlp((1, 4, 1), rng=rng)
    >>> x, z = rng.normal(size=(8, 1)), rng.normal(size=(8, 1))
    >>> a = discriminator_gradient(g, d, x, z)
    >>> b = discriminator_gradient(g, d, x, z, engine="numba")
    >>> bool(abs(a[0] - b[0]) < 1e-12 and np.allclose(a[1].flat, b[1].flat, rtol=1e-10))
    True
    """
    if engine == "numba" and packing == 1 and precision == "float64":
        return compiled.discriminator_gradient(
            generator, discriminator, x_real, z, noise_real, noise_fake
        )
    forward, backward, _ = PASSES[engine]
    dtype = _dtype(precision)
    generator, discriminator = _as_dtype(generator, dtype), _as_dtype(discriminator, dtype)
    m = x_real.shape[0] // packing
    # the generator's cache is not kept: this step does not change the generator
    x_fake, _ = forward(generator, z.astype(dtype, copy=False))
    if noise_real is not None and noise_fake is not None:
        x_real, x_fake = x_real + noise_real, x_fake + noise_fake
    # one pass over both halves: the discriminator has no batch statistics, so this equals two
    # separate passes and halves the number of matrix products
    packs = np.concatenate([pack(x_real, packing), pack(x_fake, packing)])
    logit, cache = forward(discriminator, packs.astype(dtype, copy=False))
    logit = logit.astype(np.float64, copy=False)
    loss, grad_real, grad_fake = losses.discriminator_loss(logit[:m], logit[m:])
    grad_logit = np.concatenate([grad_real, grad_fake]).astype(dtype, copy=False)
    grads, _ = backward(discriminator, cache, grad_logit)
    return loss, _as_dtype(grads, np.float64)


def generator_gradient(
    generator: Mlp,
    discriminator: Mlp,
    z: np.ndarray,
    *,
    saturating: bool,
    noise_fake: np.ndarray | None = None,
    engine: str = "numpy",
    packing: int = 1,
    precision: str = "float64",
) -> tuple[float, Mlp]:
    """Loss of a generator step and its gradient in the generator's parameters only.

    The gradient flows from the logits back through the discriminator at its current parameters
    into the generator's output (:func:`~divergences.trainer.mlp.backward_input`, which computes
    no discriminator gradient at all), then through the generator.

    Parameters
    ----------
    generator, discriminator : Mlp
        The two networks; only the generator is differentiated.
    z : ndarray, shape (m * packing, noise_dim)
        Noise minibatch.
    saturating : bool
        Saturating loss (minimise log(1 - D(G(z)))) or non-saturating (maximise log D(G(z))).
    noise_fake : ndarray, shape (m * packing, dim), optional
        Instance noise added to the generator samples before the discriminator sees them.
    engine : {"numpy", "numba"}, default "numpy"
        The readable numpy passes, or one fused compiled kernel (without packing).
    packing : int, default 1
        Samples per discriminator input (PacGAN).
    precision : {"float64", "float32"}, default "float64"
        Precision of the passes (see the module's notes); the gradient is float64 either way.

    Returns
    -------
    loss : float
        The generator loss in nats (:func:`~divergences.trainer.losses.generator_loss`).
    grads : Mlp
        Its gradient in the generator's parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.gradients import generator_gradient
    >>> from divergences.trainer.mlp import init_mlp
    >>> rng = np.random.default_rng(0)
    >>> g, d = init_mlp((1, 4, 1), rng=rng), init_mlp((1, 4, 1), rng=rng)
    >>> z = rng.normal(size=(8, 1))
    >>> a = generator_gradient(g, d, z, saturating=False)
    >>> b = generator_gradient(g, d, z, saturating=False, engine="numba")
    >>> bool(abs(a[0] - b[0]) < 1e-12 and np.allclose(a[1].flat, b[1].flat, rtol=1e-10))
    True
    """
    if engine == "numba" and packing == 1 and precision == "float64":
        return compiled.generator_gradient(
            generator, discriminator, z, saturating=saturating, noise_fake=noise_fake
        )
    forward, backward, backward_input = PASSES[engine]
    dtype = _dtype(precision)
    generator, discriminator = _as_dtype(generator, dtype), _as_dtype(discriminator, dtype)
    x_fake, generator_cache = forward(generator, z.astype(dtype, copy=False))
    x_seen = x_fake if noise_fake is None else (x_fake + noise_fake).astype(dtype, copy=False)
    logit, discriminator_cache = forward(discriminator, pack(x_seen, packing))
    loss, grad_logit = losses.generator_loss(
        logit.astype(np.float64, copy=False), saturating=saturating
    )
    # instance noise is additive, so d(x + eps)/dx = 1 and the gradient passes through unchanged;
    # a packed input is a concatenation, so its gradient splits back into the samples
    grad_packs = backward_input(
        discriminator, discriminator_cache, grad_logit.astype(dtype, copy=False)
    )
    grads, _ = backward(generator, generator_cache, grad_packs.reshape(x_fake.shape))
    return loss, _as_dtype(grads, np.float64)

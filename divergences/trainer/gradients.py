r"""The gradients of one discriminator step and one generator step of Algorithm 1.

Both take the two networks and the minibatches and return the loss (nats) and its gradient in
the parameters of the network that the step updates, from logits
(:mod:`~divergences.trainer.losses`). ``engine="numpy"`` runs the readable passes of
:mod:`~divergences.trainer.mlp`; ``engine="numba"`` one fused kernel per step
(:mod:`~divergences.trainer.compiled`), equal up to rounding.
"""

from __future__ import annotations

import numpy as np

from . import compiled, losses, mlp
from .mlp import Mlp


def discriminator_gradient(
    generator: Mlp,
    discriminator: Mlp,
    x_real: np.ndarray,
    z: np.ndarray,
    *,
    noise_real: np.ndarray | None = None,
    noise_fake: np.ndarray | None = None,
    engine: str = "numpy",
) -> tuple[float, Mlp]:
    r"""Loss :math:`L_D = -\hat V(G, D)` of a discriminator step and its gradient in D's parameters.

    Parameters
    ----------
    generator, discriminator : Mlp
        The two networks; only the discriminator is differentiated.
    x_real : ndarray, shape (m, dim)
        Data minibatch.
    z : ndarray, shape (m', noise_dim)
        Noise minibatch; the generator samples are ``G(z)``.
    noise_real, noise_fake : ndarray, shape (m, dim) and (m', dim), optional
        Instance noise added to the data and to the generator samples.
    engine : {"numpy", "numba"}, default "numpy"
        The readable numpy passes, or one fused compiled kernel.

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
    if engine == "numba":
        return compiled.discriminator_gradient(
            generator, discriminator, x_real, z, noise_real, noise_fake
        )
    m = x_real.shape[0]
    # the generator's cache is not kept: this step does not change the generator
    x_fake, _ = mlp.forward_unchecked(generator, z)
    if noise_real is not None and noise_fake is not None:
        x_real, x_fake = x_real + noise_real, x_fake + noise_fake
    # one pass over both halves: the discriminator has no batch statistics, so this equals two
    # separate passes and halves the number of matrix products
    logit, cache = mlp.forward_unchecked(discriminator, np.concatenate([x_real, x_fake]))
    loss, grad_real, grad_fake = losses.discriminator_loss(logit[:m], logit[m:])
    grads, _ = mlp.backward(discriminator, cache, np.concatenate([grad_real, grad_fake]))
    return loss, grads


def generator_gradient(
    generator: Mlp,
    discriminator: Mlp,
    z: np.ndarray,
    *,
    saturating: bool,
    noise_fake: np.ndarray | None = None,
    engine: str = "numpy",
) -> tuple[float, Mlp]:
    """Loss of a generator step and its gradient in the generator's parameters only.

    The gradient flows from the logits back through the discriminator at its current parameters
    into the generator's output (:func:`~divergences.trainer.mlp.backward_input`, which computes
    no discriminator gradient at all), then through the generator.

    Parameters
    ----------
    generator, discriminator : Mlp
        The two networks; only the generator is differentiated.
    z : ndarray, shape (m, noise_dim)
        Noise minibatch.
    saturating : bool
        Saturating loss (minimise log(1 - D(G(z)))) or non-saturating (maximise log D(G(z))).
    noise_fake : ndarray, shape (m, dim), optional
        Instance noise added to the generator samples before the discriminator sees them.
    engine : {"numpy", "numba"}, default "numpy"
        The readable numpy passes, or one fused compiled kernel.

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
    if engine == "numba":
        return compiled.generator_gradient(
            generator, discriminator, z, saturating=saturating, noise_fake=noise_fake
        )
    x_fake, generator_cache = mlp.forward_unchecked(generator, z)
    x_seen = x_fake if noise_fake is None else x_fake + noise_fake
    logit, discriminator_cache = mlp.forward_unchecked(discriminator, x_seen)
    loss, grad_logit = losses.generator_loss(logit, saturating=saturating)
    # instance noise is additive, so d(x + eps)/dx = 1 and the gradient passes through unchanged
    grad_x = mlp.backward_input(discriminator, discriminator_cache, grad_logit)
    grads, _ = mlp.backward(generator, generator_cache, grad_x)
    return loss, grads

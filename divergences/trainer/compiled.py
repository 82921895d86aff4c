r"""The MLP passes of :mod:`divergences.trainer.mlp`, compiled with numba for training speed.

Same contract as :func:`divergences.trainer.mlp.forward`,
:func:`~divergences.trainer.mlp.backward` and :func:`~divergences.trainer.mlp.backward_input`, on
the same :class:`~divergences.trainer.mlp.Mlp` parameters, and the same numbers up to rounding
(the test suite checks the two against each other and both against finite differences). The numpy
version is the readable reference, one formula per layer; this one leaves the matrix products to
BLAS and fuses everything around them (bias, activation, its derivative) into one kernel per pass,
so a training step costs a handful of kernel calls instead of about a hundred numpy calls.

The cache is one flat array holding every layer's output as a ``(batch, width)`` block, allocated
afresh by each forward pass: a second forward pass cannot overwrite what a pending backward pass
needs. The backward pass recovers each activation's derivative from its output (leaky ReLU and
ReLU from the sign, tanh as :math:`1 - y^2`), so no pre-activation is kept.

>>> import numpy as np
>>> from divergences.trainer import compiled, mlp
>>> net = mlp.init_mlp((1, 8, 1), rng=np.random.default_rng(0))
>>> x = np.linspace(-1, 1, 5)[:, None]
>>> bool(np.allclose(compiled.forward(net, x)[0], mlp.forward(net, x)[0], rtol=1e-14))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _compiled
from ._checks import check_mlp_input
from .mlp import Mlp

__all__ = [
    "ACTIVATION_CODES",
    "backward",
    "backward_input",
    "discriminator_gradient",
    "forward",
    "generator_gradient",
]

_NO_NOISE = np.empty((0, 0))

#: The activation codes of the kernels.
ACTIVATION_CODES = {"leaky_relu": 0, "relu": 1, "tanh": 2}


def forward(params: Mlp, x: Any) -> tuple[np.ndarray, np.ndarray]:
    """Forward pass; see :func:`divergences.trainer.mlp.forward`.

    Parameters
    ----------
    params : Mlp
        The network.
    x : array_like, shape (batch, sizes[0])
        Input batch.

    Returns
    -------
    out : ndarray, shape (batch, sizes[-1])
        Output of the last layer (a view into the cache).
    cache : ndarray, shape (batch * sum(sizes),)
        Every layer's output, for :func:`backward`.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer import compiled
    >>> from divergences.trainer.mlp import Mlp
    >>> compiled.forward(Mlp((1, 1), "tanh", np.array([2.0, 1.0])), [[3.0]])[0].tolist()
    [[7.0]]
    """
    return forward_unchecked(params, check_mlp_input(x, params.sizes[0]))


def forward_unchecked(params: Mlp, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`forward` on a ``(batch, sizes[0])`` array the caller has checked.

    The pass runs in the dtype of ``params.flat``, which ``x`` must share: float64, or float32
    for :mod:`~divergences.trainer.gradients`' single-precision passes.
    """
    n, n_out = x.shape[0], params.sizes[-1]
    acts = np.empty(n * sum(params.sizes), dtype=params.flat.dtype)
    _compiled.mlp_forward(params.flat, params.layout, ACTIVATION_CODES[params.activation], x, acts)
    return acts[acts.size - n * n_out :].reshape(n, n_out), acts


def backward(params: Mlp, cache: np.ndarray, grad_out: np.ndarray) -> tuple[Mlp, np.ndarray]:
    """Backward pass; see :func:`divergences.trainer.mlp.backward`.

    Parameters
    ----------
    params : Mlp
        The network, with the parameters the forward pass used.
    cache : ndarray
        The cache :func:`forward` returned.
    grad_out : ndarray, shape (batch, sizes[-1])
        Gradient of the loss with respect to the output.

    Returns
    -------
    grads : Mlp
        Gradient with respect to every parameter.
    grad_x : ndarray, shape (batch, sizes[0])
        Gradient with respect to the input.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer import compiled
    >>> from divergences.trainer.mlp import Mlp
    >>> net = Mlp((1, 1), "tanh", np.array([2.0, 1.0]))
    >>> grads, grad_x = compiled.backward(net, compiled.forward(net, [[3.0]])[1], np.ones((1, 1)))
    >>> grads.flat.tolist(), grad_x.tolist()
    ([3.0, 1.0], [[2.0]])
    """
    grads = params.zeros_like()
    grad_x = _compiled.mlp_backward(
        params.flat,
        params.layout,
        ACTIVATION_CODES[params.activation],
        cache,
        np.ascontiguousarray(grad_out, dtype=params.flat.dtype),
        grads.flat,
        True,
    )
    return grads, grad_x


def backward_input(params: Mlp, cache: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    """Gradient with respect to the input only; see :func:`divergences.trainer.mlp.backward_input`.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer import compiled
    >>> from divergences.trainer.mlp import Mlp
    >>> net = Mlp((1, 1), "tanh", np.array([2.0, 1.0]))
    >>> compiled.backward_input(net, compiled.forward(net, [[3.0]])[1], np.ones((1, 1))).tolist()
    [[2.0]]
    """
    grad_x: np.ndarray = _compiled.mlp_backward(
        params.flat,
        params.layout,
        ACTIVATION_CODES[params.activation],
        cache,
        np.ascontiguousarray(grad_out, dtype=params.flat.dtype),
        np.empty(0, dtype=params.flat.dtype),
        False,
    )
    return grad_x


def discriminator_gradient(
    generator: Mlp,
    discriminator: Mlp,
    x_real: np.ndarray,
    z: np.ndarray,
    noise_real: np.ndarray | None = None,
    noise_fake: np.ndarray | None = None,
) -> tuple[float, Mlp]:
    """The discriminator step's loss and gradient in one kernel call.

    See :func:`divergences.trainer.gradients.discriminator_gradient`, whose numpy engine is the
    reference this fused version is tested against.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer import compiled
    >>> from divergences.trainer.mlp import init_mlp
    >>> rng = np.random.default_rng(0)
    >>> g, d = init_mlp((1, 4, 1), rng=rng), init_mlp((1, 4, 1), rng=rng)
    >>> loss, grads = compiled.discriminator_gradient(g, d, np.ones((3, 1)), np.zeros((3, 1)))
    >>> grads.flat.shape == d.flat.shape
    True
    """
    grads = discriminator.zeros_like()
    loss = _compiled.discriminator_loss_into_grads(
        generator.flat,
        generator.layout,
        discriminator.flat,
        discriminator.layout,
        ACTIVATION_CODES[generator.activation],
        ACTIVATION_CODES[discriminator.activation],
        x_real,
        z,
        _NO_NOISE if noise_real is None else noise_real,
        _NO_NOISE if noise_fake is None else noise_fake,
        grads.flat,
    )
    return float(loss), grads


def generator_gradient(
    generator: Mlp,
    discriminator: Mlp,
    z: np.ndarray,
    *,
    saturating: bool,
    noise_fake: np.ndarray | None = None,
) -> tuple[float, Mlp]:
    """The generator step's loss and gradient in one kernel call.

    See :func:`divergences.trainer.gradients.generator_gradient`, whose numpy engine is the
    reference this fused version is tested against.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer import compiled
    >>> from divergences.trainer.mlp import init_mlp
    >>> rng = np.random.default_rng(0)
    >>> g, d = init_mlp((1, 4, 1), rng=rng), init_mlp((1, 4, 1), rng=rng)
    >>> loss, grads = compiled.generator_gradient(g, d, np.zeros((3, 1)), saturating=False)
    >>> grads.flat.shape == g.flat.shape
    True
    """
    grads = generator.zeros_like()
    loss = _compiled.generator_loss_into_grads(
        generator.flat,
        generator.layout,
        discriminator.flat,
        discriminator.layout,
        ACTIVATION_CODES[generator.activation],
        ACTIVATION_CODES[discriminator.activation],
        z,
        _NO_NOISE if noise_fake is None else noise_fake,
        saturating,
        grads.flat,
    )
    return float(loss), grads

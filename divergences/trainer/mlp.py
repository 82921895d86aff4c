r"""Multilayer perceptrons with hand-written backpropagation.

An :class:`Mlp` is a stack of affine layers with an activation between them and none after the
last (the generator outputs a sample, the discriminator a logit). Its parameters live in one flat
float64 vector, with each layer's weight and bias as views into it, so an optimiser updates all of
them in a few vectorised operations and a gradient has the same layout as the parameters.

:func:`forward` returns ``(out, cache)`` and :func:`backward` consumes that cache: nothing is
stored on the parameters, so any number of forward passes may be pending at once (see
:mod:`divergences.trainer.layers`).

>>> import numpy as np
>>> from divergences.trainer import mlp
>>> net = mlp.init_mlp((1, 8, 1), rng=np.random.default_rng(0))
>>> out, cache = mlp.forward(net, np.zeros((4, 1)))
>>> grads, grad_x = mlp.backward(net, cache, np.ones((4, 1)))
>>> out.shape, grads.flat.shape, grad_x.shape
((4, 1), (25,), (4, 1))
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import layers
from ._checks import check_activation, check_flat_parameters, check_layer_sizes, check_mlp_input

__all__ = [
    "ACTIVATIONS",
    "Mlp",
    "backward",
    "backward_input",
    "forward",
    "init_mlp",
    "parameter_count",
]

_Forward = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
_Backward = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: Activation name -> (forward, backward) pair from :mod:`divergences.trainer.layers`.
ACTIVATIONS: dict[str, tuple[_Forward, _Backward]] = {
    "leaky_relu": (layers.leaky_relu_forward, layers.leaky_relu_backward),
    "relu": (layers.relu_forward, layers.relu_backward),
    "tanh": (layers.tanh_forward, layers.tanh_backward),
}

#: What :func:`forward` returns for :func:`backward`: per layer, the affine layer's cache and the
#: activation's cache (None after the last layer).
Cache = tuple[tuple[np.ndarray, np.ndarray | None], ...]


@dataclass(frozen=True, eq=False)
class Mlp:
    """Parameters (or gradients) of a multilayer perceptron, stored in one flat vector.

    Parameters
    ----------
    sizes : tuple of int
        Layer widths ``(n_in, hidden..., n_out)``; ``(n_in, n_out)`` is a single affine map.
    activation : str
        Name of the activation between layers, a key of :data:`ACTIVATIONS`.
    flat : ndarray
        All parameters, float64, layer by layer: weight (row-major) then bias. (The
        single-precision steps of :mod:`~divergences.trainer.gradients` make float32 copies for
        their passes, which never leave that module.)

    Attributes
    ----------
    weights : list of ndarray
        ``weights[i]`` has shape ``(sizes[i], sizes[i + 1])``; a view into ``flat``.
    biases : list of ndarray
        ``biases[i]`` has shape ``(sizes[i + 1],)``; a view into ``flat``.
    layout : ndarray of int64
        ``sizes`` as an array, for the compiled kernels.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.mlp import Mlp
    >>> net = Mlp((2, 1), "tanh", np.arange(3.0))
    >>> net.weights[0].tolist(), net.biases[0].tolist()
    ([[0.0], [1.0]], [2.0])
    """

    sizes: tuple[int, ...]
    activation: str
    flat: np.ndarray
    weights: list[np.ndarray] = field(init=False, repr=False)
    biases: list[np.ndarray] = field(init=False, repr=False)
    layout: np.ndarray = field(init=False, repr=False)

    def __repr__(self) -> str:
        return (
            f"Mlp(sizes={self.sizes}, activation={self.activation!r}, {self.flat.size} parameters)"
        )

    def __post_init__(self) -> None:
        check_layer_sizes(self.sizes)
        check_activation(self.activation, tuple(ACTIVATIONS))
        check_flat_parameters(self.flat, parameter_count(self.sizes), self.sizes)
        self._set_views()

    def _set_views(self) -> None:
        weights, biases, offset = [], [], 0
        for n_in, n_out in itertools.pairwise(self.sizes):
            weights.append(self.flat[offset : offset + n_in * n_out].reshape(n_in, n_out))
            offset += n_in * n_out
            biases.append(self.flat[offset : offset + n_out])
            offset += n_out
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "biases", biases)
        object.__setattr__(self, "layout", np.asarray(self.sizes, dtype=np.int64))

    def _with_flat(self, flat: np.ndarray) -> Mlp:
        """The same architecture around ``flat``, trusted to fit (no validation: hot loop)."""
        new = object.__new__(Mlp)
        object.__setattr__(new, "sizes", self.sizes)
        object.__setattr__(new, "activation", self.activation)
        object.__setattr__(new, "flat", flat)
        new._set_views()
        return new

    def zeros_like(self) -> Mlp:
        """An :class:`Mlp` of the same architecture with every parameter 0 (for gradients)."""
        return self._with_flat(np.zeros_like(self.flat))

    def copy(self) -> Mlp:
        """An independent copy of the parameters."""
        return self._with_flat(self.flat.copy())

    # copy.deepcopy and pickle would copy the views apart from the flat vector; rebuild them
    def __deepcopy__(self, memo: dict[int, Any]) -> Mlp:
        return self.copy()

    def __reduce__(self) -> tuple[type[Mlp], tuple[tuple[int, ...], str, np.ndarray]]:
        return (Mlp, (self.sizes, self.activation, self.flat))


def parameter_count(sizes: Sequence[int]) -> int:
    """Number of parameters of an MLP with layer widths ``sizes``: ``sum(n_in * n_out + n_out)``.

    Examples
    --------
    >>> from divergences.trainer.mlp import parameter_count
    >>> parameter_count((1, 8, 1))
    25
    """
    return sum(a * b + b for a, b in itertools.pairwise(sizes))


def init_mlp(
    sizes: Sequence[int], *, activation: str = "leaky_relu", rng: np.random.Generator
) -> Mlp:
    r"""A randomly initialised MLP: every weight and bias of a layer ~ U(-1/√n_in, 1/√n_in).

    This is PyTorch's default initialisation of ``nn.Linear``, so the benchmark against PyTorch
    compares like with like.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``(n_in, hidden..., n_out)``, each >= 1, at least two of them.
    activation : {"leaky_relu", "relu", "tanh"}, default "leaky_relu"
        Activation between layers.
    rng : numpy.random.Generator
        Source of randomness (``np.random.default_rng(seed)``).

    Returns
    -------
    Mlp

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.mlp import init_mlp
    >>> net = init_mlp((1, 16, 16, 1), rng=np.random.default_rng(0))
    >>> [w.shape for w in net.weights]
    [(1, 16), (16, 16), (16, 1)]
    """
    sizes = check_layer_sizes(sizes)
    check_activation(activation, tuple(ACTIVATIONS))
    chunks = []
    for n_in, n_out in itertools.pairwise(sizes):
        bound = 1.0 / math.sqrt(n_in)
        chunks.append(rng.uniform(-bound, bound, size=n_in * n_out + n_out))
    return Mlp(sizes, activation, np.concatenate(chunks))


def forward(params: Mlp, x: Any) -> tuple[np.ndarray, Cache]:
    r"""Forward pass :math:`h_{i+1} = \phi(h_i W_i + b_i)`, no :math:`\phi` after the last layer.

    Parameters
    ----------
    params : Mlp
        The network.
    x : array_like, shape (batch, sizes[0])
        Input batch of row vectors.

    Returns
    -------
    out : ndarray, shape (batch, sizes[-1])
        Output of the last affine layer (a sample for a generator, a logit for a discriminator).
    cache : tuple
        Everything :func:`backward` needs; never stored on ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.mlp import Mlp, forward
    >>> forward(Mlp((1, 1), "tanh", np.array([2.0, 1.0])), [[3.0]])[0].tolist()
    [[7.0]]
    """
    return forward_unchecked(params, check_mlp_input(x, params.sizes[0]))


def forward_unchecked(params: Mlp, x: np.ndarray) -> tuple[np.ndarray, Cache]:
    """:func:`forward` on a ``(batch, sizes[0])`` array the caller has checked.

    The pass runs in the dtype of ``params.flat`` (float64; float32 in the single-precision
    steps of :mod:`~divergences.trainer.gradients`), which ``x`` shares.
    """
    activation_forward = ACTIVATIONS[params.activation][0]
    cache = []
    h = x
    last = len(params.weights) - 1
    for i, (w, b) in enumerate(zip(params.weights, params.biases, strict=True)):
        h, linear_cache = layers.linear_forward(w, b, h)
        activation_cache = None
        if i < last:
            h, activation_cache = activation_forward(h)
        cache.append((linear_cache, activation_cache))
    return h, tuple(cache)


def backward(params: Mlp, cache: Cache, grad_out: np.ndarray) -> tuple[Mlp, np.ndarray]:
    r"""Backward pass: gradients of a scalar loss with respect to every parameter and the input.

    Parameters
    ----------
    params : Mlp
        The network, with the parameters the forward pass used.
    cache : tuple
        The cache :func:`forward` returned.
    grad_out : ndarray, shape (batch, sizes[-1])
        Gradient of the loss with respect to the network's output.

    Returns
    -------
    grads : Mlp
        Gradient with respect to every parameter, in the layout of ``params``.
    grad_x : ndarray, shape (batch, sizes[0])
        Gradient with respect to the input.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.mlp import Mlp, backward, forward
    >>> net = Mlp((1, 1), "tanh", np.array([2.0, 1.0]))
    >>> out, cache = forward(net, [[3.0]])
    >>> grads, grad_x = backward(net, cache, np.ones((1, 1)))
    >>> grads.flat.tolist(), grad_x.tolist()
    ([3.0, 1.0], [[2.0]])
    """
    grads = params.zeros_like()
    activation_backward = ACTIVATIONS[params.activation][1]
    g = grad_out
    for i in range(len(params.weights) - 1, -1, -1):
        linear_cache, activation_cache = cache[i]
        if activation_cache is not None:
            g = activation_backward(activation_cache, g)
        grad_weight, grad_bias, g = layers.linear_backward(params.weights[i], linear_cache, g)
        grads.weights[i][...] = grad_weight
        grads.biases[i][...] = grad_bias
    return grads, g


def backward_input(params: Mlp, cache: Cache, grad_out: np.ndarray) -> np.ndarray:
    r"""Gradient with respect to the input only, :math:`\partial x`, skipping the parameters.

    The generator step of Algorithm 1 backpropagates through the discriminator into its input
    and no further: the discriminator's own parameter gradients would be discarded, so they are
    not computed.

    Parameters
    ----------
    params : Mlp
        The network, with the parameters the forward pass used.
    cache : tuple
        The cache :func:`forward` returned.
    grad_out : ndarray, shape (batch, sizes[-1])
        Gradient of the loss with respect to the network's output.

    Returns
    -------
    ndarray, shape (batch, sizes[0])
        Gradient with respect to the input, equal to the second result of :func:`backward`.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.mlp import Mlp, backward_input, forward
    >>> net = Mlp((1, 1), "tanh", np.array([2.0, 1.0]))
    >>> backward_input(net, forward(net, [[3.0]])[1], np.ones((1, 1))).tolist()
    [[2.0]]
    """
    activation_backward = ACTIVATIONS[params.activation][1]
    g = grad_out
    for i in range(len(params.weights) - 1, -1, -1):
        activation_cache = cache[i][1]
        if activation_cache is not None:
            g = activation_backward(activation_cache, g)
        # the input gradient of y = xW + b is g W^T (see layers.linear_backward)
        g = g @ params.weights[i].T
    return g

r"""The layers of the trainer's multilayer perceptrons, each forward formula beside its gradient.

Every layer is a pair of functions in the manner of micrograd and Nielsen's ``network.py``:
``*_forward(..., x) -> (out, cache)`` returns what its backward pass needs instead of storing it
anywhere, and ``*_backward(..., cache, grad_out)`` turns the gradient of a scalar loss with
respect to ``out`` into gradients with respect to the layer's parameters and its input ``x``.
Because the cache is returned, a second forward pass through the same layer cannot overwrite
the activations a pending backward pass still needs (the classic numpy-GAN bug, where the
generator step's forward pass through the discriminator clobbers the discriminator step's).

Arrays are batches of row vectors: ``x`` has shape ``(batch, features)``. The functions do not
validate their input; :func:`divergences.trainer.mlp.forward` does.

>>> import numpy as np
>>> from divergences.trainer import layers
>>> out, cache = layers.leaky_relu_forward(np.array([[-1.0, 2.0]]))
>>> out.tolist(), layers.leaky_relu_backward(cache, np.ones((1, 2))).tolist()
([[-0.2, 2.0]], [[0.2, 1.0]])
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "LEAKY_RELU_SLOPE",
    "leaky_relu_backward",
    "leaky_relu_forward",
    "linear_backward",
    "linear_forward",
    "relu_backward",
    "relu_forward",
    "tanh_backward",
    "tanh_forward",
]

#: Slope of the leaky ReLU for negative inputs (the value of the DCGAN paper, Radford et al. 2016).
LEAKY_RELU_SLOPE = 0.2


def linear_forward(
    weight: np.ndarray, bias: np.ndarray, x: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""Affine layer :math:`y = x W + b`.

    Parameters
    ----------
    weight : ndarray, shape (n_in, n_out)
        Weight matrix :math:`W`.
    bias : ndarray, shape (n_out,)
        Bias :math:`b`, added to every row.
    x : ndarray, shape (batch, n_in)
        Input batch.

    Returns
    -------
    out : ndarray, shape (batch, n_out)
        :math:`x W + b`.
    cache : ndarray
        The input ``x``, which the gradient with respect to :math:`W` needs.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.layers import linear_forward
    >>> linear_forward(np.array([[2.0]]), np.array([1.0]), np.array([[3.0]]))[0].tolist()
    [[7.0]]
    """
    return x @ weight + bias, x


def linear_backward(
    weight: np.ndarray, cache: np.ndarray, grad_out: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of the affine layer :math:`y = x W + b` from :math:`g = \partial L / \partial y`.

    :math:`\partial W = x^T g`, :math:`\partial b = \sum_i g_i` (over the batch) and
    :math:`\partial x = g W^T`.

    Parameters
    ----------
    weight : ndarray, shape (n_in, n_out)
        The weight matrix the forward pass used.
    cache : ndarray, shape (batch, n_in)
        The cache :func:`linear_forward` returned (its input).
    grad_out : ndarray, shape (batch, n_out)
        Gradient of the loss with respect to the layer's output.

    Returns
    -------
    grad_weight : ndarray, shape (n_in, n_out)
    grad_bias : ndarray, shape (n_out,)
    grad_x : ndarray, shape (batch, n_in)

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.layers import linear_backward
    >>> gw, gb, gx = linear_backward(np.array([[2.0]]), np.array([[3.0]]), np.array([[1.0]]))
    >>> gw.tolist(), gb.tolist(), gx.tolist()
    ([[3.0]], [1.0], [[2.0]])
    """
    x = cache
    return x.T @ grad_out, grad_out.sum(axis=0), grad_out @ weight.T


def leaky_relu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Leaky ReLU :math:`y = x` for :math:`x > 0`, :math:`y = a x` otherwise (:math:`a` = 0.2).

    Parameters
    ----------
    x : ndarray
        Pre-activations.

    Returns
    -------
    out : ndarray
        Activations, same shape as ``x``.
    cache : ndarray
        The local slope :math:`dy/dx` (1 or :math:`a`) at every entry.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.layers import leaky_relu_forward
    >>> leaky_relu_forward(np.array([-5.0, 5.0]))[0].tolist()
    [-1.0, 5.0]
    """
    # in x's dtype: np.where of two Python floats is float64, which would lift a float32 pass
    slope = np.where(x > 0.0, 1.0, LEAKY_RELU_SLOPE).astype(x.dtype, copy=False)
    return x * slope, slope


def leaky_relu_backward(cache: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    r"""Gradient of the leaky ReLU: :math:`\partial x = g \cdot dy/dx`.

    Parameters
    ----------
    cache : ndarray
        The cache :func:`leaky_relu_forward` returned (the local slopes).
    grad_out : ndarray
        Gradient of the loss with respect to the activations.

    Returns
    -------
    ndarray
        Gradient with respect to the pre-activations.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.layers import leaky_relu_backward
    >>> leaky_relu_backward(np.array([1.0, 0.2]), np.array([3.0, 3.0])).tolist()
    [3.0, 0.6000000000000001]
    """
    grad_x: np.ndarray = grad_out * cache
    return grad_x


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""ReLU :math:`y = \max(x, 0)`.

    Parameters
    ----------
    x : ndarray
        Pre-activations.

    Returns
    -------
    out : ndarray
        Activations, same shape as ``x``.
    cache : ndarray
        The local slope :math:`dy/dx` (1 where :math:`x > 0`, else 0).

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.layers import relu_forward
    >>> relu_forward(np.array([-5.0, 5.0]))[0].tolist()
    [0.0, 5.0]
    """
    slope = (x > 0.0).astype(x.dtype)
    return np.maximum(x, 0.0), slope


def relu_backward(cache: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    r"""Gradient of the ReLU: :math:`\partial x = g \cdot [x > 0]`.

    Parameters
    ----------
    cache : ndarray
        The cache :func:`relu_forward` returned (the local slopes).
    grad_out : ndarray
        Gradient of the loss with respect to the activations.

    Returns
    -------
    ndarray
        Gradient with respect to the pre-activations.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.layers import relu_backward
    >>> relu_backward(np.array([0.0, 1.0]), np.array([3.0, 3.0])).tolist()
    [0.0, 3.0]
    """
    grad_x: np.ndarray = grad_out * cache
    return grad_x


def tanh_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Hyperbolic tangent :math:`y = \tanh x`.

    Parameters
    ----------
    x : ndarray
        Pre-activations.

    Returns
    -------
    out : ndarray
        Activations in ``(-1, 1)``, same shape as ``x``.
    cache : ndarray
        The output :math:`y`, from which :math:`dy/dx = 1 - y^2`.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.layers import tanh_forward
    >>> tanh_forward(np.array([0.0]))[0].tolist()
    [0.0]
    """
    y = np.tanh(x)
    return y, y


def tanh_backward(cache: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    r"""Gradient of the hyperbolic tangent: :math:`\partial x = g (1 - y^2)`.

    Parameters
    ----------
    cache : ndarray
        The cache :func:`tanh_forward` returned (its output :math:`y`).
    grad_out : ndarray
        Gradient of the loss with respect to the activations.

    Returns
    -------
    ndarray
        Gradient with respect to the pre-activations.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.layers import tanh_backward
    >>> tanh_backward(np.array([0.5]), np.array([2.0])).tolist()
    [1.5]
    """
    y = cache
    grad_x: np.ndarray = grad_out * (1.0 - y * y)
    return grad_x

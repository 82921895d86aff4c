r"""The GAN losses of Goodfellow et al. (2014) and their gradients, from discriminator logits.

The discriminator outputs a logit :math:`l` and :math:`D = \sigma(l)`. Every log-probability is
a softplus of the logit, :math:`\log \sigma(l) = -\operatorname{softplus}(-l)` and
:math:`\log(1 - \sigma(l)) = -\operatorname{softplus}(l)` with
:math:`\operatorname{softplus}(l) = \log(1 + e^l)` evaluated as ``np.logaddexp(0, l)``: exact for
any finite logit, never :math:`\log(D + \epsilon)`. Gradients are formed the same way,
:math:`\sigma(l) = \exp(-\operatorname{softplus}(-l))`, so a saturated discriminator gives a tiny
but *correct* gradient instead of a rounded zero (the point of gan.saturating-gradient).

Each function returns the loss (a mean over the batch, in nats) and its gradient with respect to
the logits, ready for :func:`divergences.trainer.mlp.backward`.

>>> import numpy as np
>>> from divergences.trainer import losses
>>> loss, grad = losses.generator_loss(np.array([[-30.0]]), saturating=True)
>>> f"{float(grad[0, 0]):.6e}"  # -sigma(-30): tiny, not 0
'-9.357623e-14'

References
----------
Goodfellow, I. et al. (2014). Generative Adversarial Nets, Eq. 1 and Section 3. arXiv:1406.2661
"""

from __future__ import annotations

import numpy as np

__all__ = ["discriminator_loss", "generator_loss", "sigmoid", "softplus"]


def softplus(logit: np.ndarray) -> np.ndarray:
    r""":math:`\operatorname{softplus}(l) = \log(1 + e^l)`, without overflow, elementwise.

    Parameters
    ----------
    logit : ndarray
        Logits, any shape.

    Returns
    -------
    ndarray
        Values in nats, :math:`\ge 0`.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.losses import softplus
    >>> softplus(np.array([0.0, 1000.0])).tolist()
    [0.6931471805599453, 1000.0]
    """
    out: np.ndarray = np.logaddexp(0.0, logit)
    return out


def sigmoid(logit: np.ndarray) -> np.ndarray:
    r""":math:`\sigma(l) = 1 / (1 + e^{-l}) = \exp(-\operatorname{softplus}(-l))`, elementwise.

    Keeps full relative precision for very negative logits, where :math:`\tfrac12 (1 + \tanh(l/2))`
    rounds to 0.

    Parameters
    ----------
    logit : ndarray
        Logits, any shape.

    Returns
    -------
    ndarray
        Probabilities in ``[0, 1]``.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.losses import sigmoid
    >>> sigmoid(np.array([0.0, -40.0])).tolist()
    [0.5, 4.248354255291589e-18]
    """
    out: np.ndarray = np.exp(-np.logaddexp(0.0, -logit))
    return out


def discriminator_loss(
    logit_real: np.ndarray, logit_fake: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Discriminator loss :math:`L_D = -\hat V(G, D)` and its gradients with respect to the logits.

    :math:`L_D = -\frac1m \sum \log D(x_i) - \frac1{m'} \sum \log(1 - D(G(z_i)))`, the minibatch
    estimate of the value function with its sign flipped, so descending :math:`L_D` ascends
    :math:`V` as Algorithm 1 prescribes.

    Parameters
    ----------
    logit_real : ndarray, shape (m, 1)
        Discriminator logits on data samples.
    logit_fake : ndarray, shape (m', 1)
        Discriminator logits on generator samples.

    Returns
    -------
    loss : float
        :math:`L_D` in nats, :math:`\ge 0`; :math:`\log 4` when the discriminator outputs 1/2
        everywhere.
    grad_real : ndarray, shape (m, 1)
        :math:`\partial L_D / \partial l = -(1 - \sigma(l))/m` on the data logits.
    grad_fake : ndarray, shape (m', 1)
        :math:`\partial L_D / \partial l = \sigma(l)/m'` on the generator logits.

    Examples
    --------
    >>> import math, numpy as np
    >>> from divergences.trainer.losses import discriminator_loss
    >>> loss, g_real, g_fake = discriminator_loss(np.zeros((2, 1)), np.zeros((2, 1)))
    >>> loss == math.log(4), g_real.ravel().tolist(), g_fake.ravel().tolist()
    (True, [-0.25, -0.25], [0.25, 0.25])
    """
    m_real, m_fake = logit_real.shape[0], logit_fake.shape[0]
    # -log D = softplus(-l); d/dl = -sigma(-l) = -exp(-softplus(l))
    loss_real = softplus(-logit_real)
    grad_real = -np.exp(-softplus(logit_real)) / m_real
    # -log(1 - D) = softplus(l); d/dl = sigma(l) = exp(-softplus(-l))
    loss_fake = softplus(logit_fake)
    grad_fake = np.exp(-softplus(-logit_fake)) / m_fake
    loss = float(loss_real.sum() / m_real + loss_fake.sum() / m_fake)
    return loss, grad_real, grad_fake


def generator_loss(logit_fake: np.ndarray, *, saturating: bool) -> tuple[float, np.ndarray]:
    r"""Generator loss, saturating or non-saturating, and its gradient with respect to the logits.

    * saturating (the minimax game, Eq. 1): minimise
      :math:`\frac1m \sum \log(1 - D(G(z_i))) = -\frac1m \sum \operatorname{softplus}(l_i)`,
      gradient :math:`-\sigma(l)/m`, which vanishes as :math:`D(G(z)) \to 0`;
    * non-saturating (Section 3): minimise
      :math:`-\frac1m \sum \log D(G(z_i)) = \frac1m \sum \operatorname{softplus}(-l_i)`,
      gradient :math:`-(1 - \sigma(l))/m \to -1/m` as :math:`D(G(z)) \to 0`.

    Both have the same fixed points (Goodfellow et al. 2014, Section 3).

    Parameters
    ----------
    logit_fake : ndarray, shape (m, 1)
        Discriminator logits on generator samples.
    saturating : bool
        Use the saturating loss (True) or the non-saturating one (False).

    Returns
    -------
    loss : float
        The loss in nats: in ``[-inf, 0]`` for the saturating loss, ``[0, inf)`` otherwise.
    grad : ndarray, shape (m, 1)
        Gradient of the loss with respect to ``logit_fake``.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.losses import generator_loss
    >>> generator_loss(np.zeros((2, 1)), saturating=False)[1].ravel().tolist()
    [-0.25, -0.25]
    """
    m = logit_fake.shape[0]
    if saturating:
        # log(1 - D) = -softplus(l); d/dl = -sigma(l) = -exp(-softplus(-l))
        loss = -float(softplus(logit_fake).sum()) / m
        grad = -np.exp(-softplus(-logit_fake)) / m
    else:
        # -log D = softplus(-l); d/dl = -sigma(-l) = -exp(-softplus(l))
        loss = float(softplus(-logit_fake).sum()) / m
        grad = -np.exp(-softplus(logit_fake)) / m
    return loss, grad

r"""Optimisers acting in place on a flat parameter vector: Adam and SGD (with momentum).

Both take the flat vector of an :class:`~divergences.trainer.mlp.Mlp` and a gradient of the same
layout, and update the parameters in place. Each owns its state (moments, step count) for one
parameter vector.

>>> import numpy as np
>>> from divergences.trainer.optim import Adam
>>> theta = np.array([1.0, -1.0])
>>> Adam(lr=0.1).step(theta, np.array([3.0, -0.001]))
>>> theta.round(5).tolist()  # the first step moves each coordinate by lr, whatever |gradient|
[0.9, -0.9]
"""

from __future__ import annotations

import math

import numpy as np

from . import _compiled
from ._checks import check_optimizer_parameters

__all__ = ["Adam", "Optimizer", "Sgd"]


class Optimizer:
    """Base of the optimisers: ``step(params, grads)`` updates ``params`` in place.

    Examples
    --------
    >>> from divergences.trainer.optim import Adam, Optimizer, Sgd
    >>> isinstance(Adam(), Optimizer) and isinstance(Sgd(), Optimizer)
    True
    """

    #: number of steps taken so far
    t: int = 0

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        """Update ``params`` in place from ``grads`` (both float64 vectors of one length)."""
        raise NotImplementedError


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015, Algorithm 1) with the bias correction of its moment estimates.

    .. math::

        m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \quad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2, \\
        \theta_t = \theta_{t-1} - \alpha \, \frac{m_t / (1 - \beta_1^t)}
            {\sqrt{v_t / (1 - \beta_2^t)} + \epsilon}.

    Parameters
    ----------
    lr : float, default 1e-3
        Step size :math:`\alpha` (parameter units per step).
    beta1, beta2 : float, default 0.9, 0.999
        Decay rates of the moment estimates, in ``[0, 1)``. GANs often use ``beta1 = 0.5``
        (Radford et al. 2016).
    eps : float, default 1e-8
        :math:`\epsilon`, added to the bias-corrected root mean square, > 0.

    Notes
    -----
    The update is evaluated as :math:`\theta \leftarrow \theta - \alpha_t m_t / (\sqrt{v_t} +
    \hat\epsilon)` with :math:`\alpha_t = \alpha \sqrt{1 - \beta_2^t} / (1 - \beta_1^t)` and
    :math:`\hat\epsilon = \epsilon \sqrt{1 - \beta_2^t}`, which is the formula above rearranged
    (Kingma & Ba, end of Section 2) and saves two passes over the vector.

    Adam divides by the gradient's running root mean square, so it is invariant to the gradient's
    scale until the gradient nears :math:`\epsilon`: a vanishing (saturating) generator gradient
    slows SGD down far more than it slows Adam.

    References
    ----------
    Kingma, D. P. & Ba, J. (2015). Adam: A Method for Stochastic Optimization. arXiv:1412.6980

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.optim import Adam
    >>> theta, adam = np.zeros(1), Adam(lr=0.5)
    >>> for _ in range(3):
    ...     adam.step(theta, np.array([2.0]))
    >>> theta.round(6).tolist(), adam.t
    ([-1.5], 3)
    """

    def __init__(
        self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        check_optimizer_parameters(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        self.lr, self.beta1, self.beta2, self.eps = float(lr), float(beta1), float(beta2), eps
        self.t = 0
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        """Take one Adam step: update ``params`` in place from ``grads``."""
        if self.m is None or self.v is None:
            self.m = np.zeros_like(params)
            self.v = np.zeros_like(params)
        self.t += 1
        correction2 = math.sqrt(1.0 - self.beta2**self.t)
        step_size = self.lr * correction2 / (1.0 - self.beta1**self.t)
        # one fused pass over the vector (a numpy version takes nine)
        _compiled.adam_step(
            params, grads, self.m, self.v, self.beta1, self.beta2, step_size, self.eps * correction2
        )


class Sgd(Optimizer):
    r"""Stochastic gradient descent, with optional heavy-ball momentum.

    .. math:: b_t = \mu b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \alpha b_t

    (PyTorch's convention; :math:`\mu = 0` is plain SGD. Goodfellow et al. 2014 trained with
    momentum.)

    Parameters
    ----------
    lr : float, default 1e-2
        Step size :math:`\alpha` (parameter units per unit of gradient).
    momentum : float, default 0.0
        :math:`\mu`, in ``[0, 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.optim import Sgd
    >>> theta = np.array([1.0])
    >>> Sgd(lr=0.1).step(theta, np.array([2.0]))
    >>> theta.tolist()
    [0.8]
    """

    def __init__(self, lr: float = 1e-2, momentum: float = 0.0) -> None:
        check_optimizer_parameters(lr=lr, momentum=momentum)
        self.lr, self.momentum = float(lr), float(momentum)
        self.t = 0
        self.buffer: np.ndarray | None = None

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        """Take one SGD step: update ``params`` in place from ``grads``."""
        self.t += 1
        if self.momentum == 0.0:
            params -= self.lr * grads
            return
        if self.buffer is None:
            self.buffer = grads.copy()
        else:
            self.buffer *= self.momentum
            self.buffer += grads
        params -= self.lr * self.buffer

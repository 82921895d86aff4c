r"""The theory of Goodfellow et al. (2014) as functions on a common grid or common bins.

The GAN value function is
:math:`V(G, D) = E_{x \sim p_{data}}[\log D(x)] + E_{x \sim p_g}[\log(1 - D(x))]`; for a fixed
generator it is maximised by :math:`D^*(x) = p_{data}(x) / (p_{data}(x) + p_g(x))` (Prop. 1) and
the maximum is the virtual training criterion
:math:`C(G) = -\log 4 + 2\,JSD(p_{data} \| p_g)` (Thm. 1).

References
----------
Goodfellow, I. et al. (2014). Generative Adversarial Nets. NeurIPS. arXiv:1406.2661
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _compiled
from ._checks.vectors import as_densities, as_discriminator, as_pmf_pair
from .discrete import shaped

__all__ = ["gan_value", "gan_value_from_logits", "optimal_discriminator", "virtual_criterion"]

LOG4 = math.log(4.0)


def optimal_discriminator(p_data: Any, p_g: Any) -> Any:
    r"""Optimal discriminator :math:`D^*(x) = p_{data}(x) / (p_{data}(x) + p_g(x))`, elementwise.

    Parameters
    ----------
    p_data, p_g : array_like
        Densities (or probability masses) of the data and of the generator at the same points;
        non-negative and finite, broadcast against each other. They need not sum to 1.

    Returns
    -------
    float or ndarray
        :math:`D^*` in ``[0, 1]``, of the broadcast shape.

    Notes
    -----
    Where both densities vanish :math:`D^*` is undefined (it never enters :math:`V`); this
    function returns 1/2 there, the value that makes a discriminator indifferent. When
    :math:`p_{data} + p_g` overflows, the ratio is formed by dividing by the larger density first.

    References
    ----------
    Goodfellow et al. (2014), Proposition 1. arXiv:1406.2661

    Examples
    --------
    >>> import divergences as dv
    >>> dv.optimal_discriminator([3.0, 0.0, 0.0], [1.0, 0.5, 0.0]).tolist()
    [0.75, 0.0, 0.5]
    """
    a = as_densities(p_data, "p_data")
    b = as_densities(p_g, "p_g")
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"p_data has shape {a.shape} and p_g has shape {b.shape}, which do not broadcast; "
            f"evaluate both densities at the same points."
        ) from None
    # copies laid out for the kernel (broadcast views are not for writing or for numba)
    a = np.array(np.broadcast_to(a, shape), dtype=np.float64, order="C")
    b = np.array(np.broadcast_to(b, shape), dtype=np.float64, order="C")
    out = _compiled.optimal_discriminator(a, b)
    return shaped(out, a.shape)


def gan_value(p_data: Any, p_g: Any, d: Any, *, axis: int = -1, normalize: bool = False) -> Any:
    r"""GAN value :math:`V(G, D) = \sum_i p_{data,i} \log d_i + \sum_i p_{g,i} \log(1 - d_i)`.

    Parameters
    ----------
    p_data, p_g : array_like
        Probability vectors of the data and the generator on common bins, along ``axis``.
    d : array_like
        Discriminator output in ``[0, 1]`` on the same bins (broadcast against them).
    axis : int, default -1
        Axis along which the bins lie.
    normalize : bool, default False
        Divide :math:`p_{data}` and :math:`p_g` by their sums first.

    Returns
    -------
    float or ndarray
        V in nats, in ``[-inf, 0]``: ``-inf`` where ``d`` is 0 on data mass or 1 on generator
        mass. Bins without mass contribute 0 whatever ``d`` is there.

    Notes
    -----
    :math:`\log(1 - d)` is evaluated as ``log1p(-d)``. For a discriminator that is saturated near 0
    or 1, pass its logits to :func:`gan_value_from_logits`, which loses nothing to rounding.

    Examples
    --------
    >>> import math, divergences as dv
    >>> p = [0.2, 0.3, 0.5]
    >>> dv.gan_value(p, p, [0.5, 0.5, 0.5]) == -math.log(4)
    np.True_
    """
    p_rows, q_rows, p_sums, q_sums, lead = as_pmf_pair(
        p_data, p_g, axis=axis, normalize=normalize, names=("p_data", "p_g"), one_outcome_rows=True
    )
    ndim = max(np.ndim(p_data), np.ndim(p_g))
    rows = as_discriminator(
        d, "d", ndim=ndim, axis=axis, shape=(*lead, p_rows.shape[1]), logit=False
    )
    return shaped(_compiled.gan_value(p_rows, q_rows, p_sums, q_sums, rows), lead)


def gan_value_from_logits(
    p_data: Any, p_g: Any, logit: Any, *, axis: int = -1, normalize: bool = False
) -> Any:
    r"""GAN value :math:`V(G, D)` of the discriminator :math:`D = \sigma(l)` given its logits.

    Parameters
    ----------
    p_data, p_g : array_like
        Probability vectors of the data and the generator on common bins, along ``axis``.
    logit : array_like
        Discriminator logits ``l`` on the same bins; ``+inf``/``-inf`` stand for
        :math:`D = 1`/``0``.
    axis : int, default -1
        Axis along which the bins lie.
    normalize : bool, default False
        Divide :math:`p_{data}` and :math:`p_g` by their sums first.

    Returns
    -------
    float or ndarray
        V in nats, in ``[-inf, 0]``.

    Notes
    -----
    Uses :math:`\log D = -\log(1 + e^{-l})` and :math:`\log(1 - D) = -\log(1 + e^{l})` evaluated
    without overflow: never :math:`\log(D + \epsilon)`.

    Examples
    --------
    >>> import math, divergences as dv
    >>> p = [0.2, 0.3, 0.5]
    >>> dv.gan_value_from_logits(p, p, [0.0, 0.0, 0.0]) == -math.log(4)
    np.True_
    """
    p_rows, q_rows, p_sums, q_sums, lead = as_pmf_pair(
        p_data, p_g, axis=axis, normalize=normalize, names=("p_data", "p_g"), one_outcome_rows=True
    )
    ndim = max(np.ndim(p_data), np.ndim(p_g))
    rows = as_discriminator(
        logit, "logit", ndim=ndim, axis=axis, shape=(*lead, p_rows.shape[1]), logit=True
    )
    return shaped(_compiled.gan_value_from_logits(p_rows, q_rows, p_sums, q_sums, rows), lead)


def virtual_criterion(p_data: Any, p_g: Any, *, axis: int = -1, normalize: bool = False) -> Any:
    r"""Virtual training criterion :math:`C(G) = \max_D V(G, D) = -\log 4 + 2\,JSD(p_{data}\|p_g)`.

    Parameters
    ----------
    p_data, p_g : array_like
        Probability vectors of the data and the generator on common bins, along ``axis``.
    axis : int, default -1
        Axis along which the bins lie.
    normalize : bool, default False
        Divide both by their sums first.

    Returns
    -------
    float or ndarray
        C(G) in nats, in :math:`[-\log 4, 0]`: :math:`-\log 4` iff :math:`p_g = p_{data}`, 0 iff the
        supports are disjoint.

    Notes
    -----
    Computed through the Jensen-Shannon kernel rather than by evaluating ``V`` at :math:`D^*`, so
    the result keeps full precision near the optimum; ``proofs/`` checks the two routes agree.

    References
    ----------
    Goodfellow et al. (2014), Theorem 1, Eq. 4-6. arXiv:1406.2661

    Examples
    --------
    >>> import math, divergences as dv
    >>> dv.virtual_criterion([0.1, 0.9], [0.1, 0.9]) == -math.log(4)
    np.True_
    >>> float(dv.virtual_criterion([1, 0], [0, 1]))
    0.0
    """
    p_rows, q_rows, p_sums, q_sums, lead = as_pmf_pair(
        p_data, p_g, axis=axis, normalize=normalize, names=("p_data", "p_g")
    )
    jsd = _compiled.js_divergence(p_rows, q_rows, p_sums, q_sums)
    return shaped(np.clip(2.0 * jsd - LOG4, -LOG4, 0.0), lead)

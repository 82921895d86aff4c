r"""The f-divergences of f-GAN, on probability vectors, with their generators and conjugates.

An f-divergence is :math:`D_f(P \| Q) = \sum_i q_i f(p_i / q_i)` for a convex *generator*
:math:`f` with :math:`f(1) = 0` (Csiszár 1967; Ali & Silvey 1966). Nowozin, Cseke & Tomioka
(2016, f-GAN) train GANs on its variational form

.. math:: D_f(P \| Q) = \sup_T \; E_P[T] - E_Q[f^*(T)],
          \qquad f^*(t) = \sup_u \; u t - f(u),

whose supremum is attained at the critic :math:`T^*(x) = f'(p(x)/q(x))` (Nguyen, Wainwright &
Jordan 2010). :data:`F_DIVERGENCES` holds the generator, its convex conjugate (with the domain
where the conjugate is finite) and the optimal critic of each divergence of f-GAN's Table 1;
:func:`f_divergence` evaluates the divergence itself by a closed form written for floating point
(no ratio :math:`p/q` is formed, so subnormal and huge ratios keep their precision).

Two of them are the theory of this library in another dress: the Jensen-Shannon generator of
f-GAN gives :math:`D_f = 2\,JSD` (twice the divergence of :func:`divergences.js_divergence`), and
the GAN generator gives :math:`D_f = 2\,JSD - \log 4 = C(G)`, whose optimal critic is
:math:`T^* = \log D^*`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from ._checks.scalars import check_choice
from ._checks.vectors import as_pmf_pair
from .discrete import js_divergence, kl_divergence, shaped

__all__ = ["F_DIVERGENCES", "FDivergence", "f_divergence"]

_Elementwise = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class FDivergence:
    r"""One f-divergence: its generator, the generator's convex conjugate and the optimal critic.

    Attributes
    ----------
    name, label : str
        The key in :data:`F_DIVERGENCES` and a readable name.
    closed_form : str
        :math:`D_f(P \| Q)` written out (TeX).
    generator : callable
        :math:`f(u)` for ratios :math:`u = p/q > 0` (elementwise, numpy).
    conjugate : callable
        :math:`f^*(t)` on its domain (elementwise, numpy).
    domain : tuple of float
        The interval of :math:`t` where :math:`f^*(t)` is finite (open ends are excluded, except
        for total variation, whose domain is the closed interval :math:`[-1/2, 1/2]`).
    critic : callable
        :math:`f'(u)`: the optimal critic as a function of the ratio :math:`u = p/q`.
    """

    name: str
    label: str
    closed_form: str
    generator: _Elementwise
    conjugate: _Elementwise
    domain: tuple[float, float]
    critic: _Elementwise


def _xlogx(u: np.ndarray) -> np.ndarray:
    return np.where(u > 0, u * np.log(np.where(u > 0, u, 1.0)), 0.0)


_TABLE = (
    FDivergence(
        "kl",
        "Kullback-Leibler",
        r"\sum_i p_i \log \frac{p_i}{q_i}",
        _xlogx,
        lambda t: np.exp(t - 1.0),
        (-math.inf, math.inf),
        lambda u: 1.0 + np.log(u),
    ),
    FDivergence(
        "reverse-kl",
        "reverse Kullback-Leibler",
        r"\sum_i q_i \log \frac{q_i}{p_i}",
        lambda u: -np.log(u),
        lambda t: -1.0 - np.log(-t),
        (-math.inf, 0.0),
        lambda u: -1.0 / u,
    ),
    FDivergence(
        "pearson",
        "Pearson chi-square",
        r"\sum_i \frac{(p_i - q_i)^2}{q_i}",
        lambda u: (u - 1.0) ** 2,
        lambda t: 0.25 * t**2 + t,
        (-math.inf, math.inf),
        lambda u: 2.0 * (u - 1.0),
    ),
    FDivergence(
        "neyman",
        "Neyman chi-square",
        r"\sum_i \frac{(p_i - q_i)^2}{p_i}",
        lambda u: (1.0 - u) ** 2 / u,
        lambda t: 2.0 - 2.0 * np.sqrt(1.0 - t),
        (-math.inf, 1.0),
        lambda u: 1.0 - 1.0 / u**2,
    ),
    FDivergence(
        "squared-hellinger",
        "squared Hellinger",
        r"\sum_i (\sqrt{p_i} - \sqrt{q_i})^2",
        lambda u: (np.sqrt(u) - 1.0) ** 2,
        lambda t: t / (1.0 - t),
        (-math.inf, 1.0),
        lambda u: 1.0 - 1.0 / np.sqrt(u),
    ),
    FDivergence(
        "js",
        "Jensen-Shannon (f-GAN's generator: twice the JSD)",
        r"\sum_i p_i \log \frac{2 p_i}{p_i + q_i} + q_i \log \frac{2 q_i}{p_i + q_i} = 2\,JSD",
        lambda u: _xlogx(u) - (u + 1.0) * np.log((u + 1.0) / 2.0),
        lambda t: -np.log(2.0 - np.exp(t)),
        (-math.inf, math.log(2.0)),
        lambda u: np.log(2.0 * u / (1.0 + u)),
    ),
    FDivergence(
        "gan",
        "GAN",
        r"\sum_i p_i \log \frac{p_i}{p_i + q_i} + q_i \log \frac{q_i}{p_i + q_i} "
        r"= 2\,JSD - \log 4",
        lambda u: _xlogx(u) - (u + 1.0) * np.log(u + 1.0),
        lambda t: -np.log1p(-np.exp(t)),
        (-math.inf, 0.0),
        lambda u: np.log(u / (1.0 + u)),
    ),
    FDivergence(
        "tv",
        "total variation",
        r"\frac12 \sum_i \lvert p_i - q_i \rvert",
        lambda u: 0.5 * np.abs(u - 1.0),
        lambda t: t,
        (-0.5, 0.5),
        lambda u: 0.5 * np.sign(u - 1.0),
    ),
)

#: The divergences of f-GAN's Table 1 (Nowozin, Cseke & Tomioka 2016), by name.
F_DIVERGENCES: MappingProxyType[str, FDivergence] = MappingProxyType({f.name: f for f in _TABLE})


def f_divergence(
    p: Any, q: Any, kind: str = "kl", *, axis: int = -1, normalize: bool = False
) -> Any:
    r"""The f-divergence :math:`D_f(P \| Q) = \sum_i q_i f(p_i / q_i)` of two probability vectors.

    Parameters
    ----------
    p, q : array_like
        Probability vectors along ``axis``; leading axes broadcast against each other.
    kind : str, default "kl"
        One of :data:`F_DIVERGENCES`: ``"kl"``, ``"reverse-kl"``, ``"pearson"``, ``"neyman"``,
        ``"squared-hellinger"``, ``"js"`` (f-GAN's generator, which gives *twice* the JSD of
        :func:`divergences.js_divergence`), ``"gan"`` (:math:`2\,JSD - \log 4`, the virtual
        criterion :math:`C(G)` of :func:`divergences.virtual_criterion` with
        :math:`P = p_{data}`, :math:`Q = p_g`) or ``"tv"``.
    axis : int, default -1
        Axis along which the vectors lie.
    normalize : bool, default False
        Divide each vector by its sum first.

    Returns
    -------
    float or ndarray
        The divergence (nats for the logarithmic ones); a scalar for a single pair.

    Notes
    -----
    Where some :math:`q_i = 0 < p_i` the term is :math:`p_i \lim_{u \to \infty} f(u)/u`:
    ``+inf`` for KL and Pearson, :math:`p_i` for Neyman and squared Hellinger,
    :math:`p_i \log 2` for Jensen-Shannon, 0 for GAN and reverse KL, :math:`p_i/2` for total
    variation; where :math:`p_i = 0 < q_i` it is :math:`q_i f(0)`. Each divergence is evaluated by
    its closed form, arranged so that no ratio of the two vectors is formed and no term cancels
    another: KL and Jensen-Shannon by :func:`divergences.kl_divergence` and
    :func:`divergences.js_divergence`; GAN as :math:`-\sum_i p_i \log(1 + q_i/p_i) + q_i \log(1 +
    p_i/q_i)` with the smaller ratio inside each logarithm (full relative precision also near
    disjoint supports, where :math:`2\,JSD - \log 4` would cancel); the chi-squares as
    :math:`(p_i - q_i) \cdot (p_i - q_i)/q_i`; squared Hellinger as
    :math:`((p_i - q_i)/(\sqrt{p_i} + \sqrt{q_i}))^2`.

    References
    ----------
    Nowozin, S., Cseke, B. and Tomioka, R. (2016). f-GAN: Training generative neural samplers
    using variational divergence minimization. NeurIPS, Table 1 and Table 2.

    Examples
    --------
    >>> import divergences as dv
    >>> p, q = [0.5, 0.5, 0.0], [0.25, 0.25, 0.5]
    >>> float(dv.f_divergence(p, q, "tv"))
    0.5
    >>> js = float(dv.js_divergence(p, q))
    >>> bool(abs(float(dv.f_divergence(p, q, "js")) - 2 * js) < 1e-15)
    True
    >>> float(dv.f_divergence(p, q, "pearson"))  # 2 (1/4)^2 / (1/4) + (1/2)^2 / (1/2)
    1.0
    """
    kind = check_choice(kind, "kind", tuple(F_DIVERGENCES))
    if kind == "kl":
        return kl_divergence(p, q, axis=axis, normalize=normalize)
    if kind == "reverse-kl":
        return kl_divergence(q, p, axis=axis, normalize=normalize)
    if kind == "js":
        return 2.0 * js_divergence(p, q, axis=axis, normalize=normalize)
    p_rows, q_rows, p_sums, q_sums, shape = as_pmf_pair(p, q, axis=axis, normalize=normalize)
    a, b = np.broadcast_arrays(p_rows / p_sums[:, None], q_rows / q_sums[:, None])
    with np.errstate(all="ignore"):
        terms = _TERMS[kind](a, b)
    return shaped(terms.sum(axis=1), shape)


def _gan_terms(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    # p log(p / (p + q)) = -p log(1 + q/p): log1p of the smaller ratio, or a difference of
    # logarithms of at least log 2 when the ratio exceeds 1 (no cancellation either way)
    def half(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        small = b <= a
        safe_a = np.where(a > 0, a, 1.0)
        inside = np.where(small, np.log1p(b / safe_a), np.log(a + b) - np.log(safe_a))
        return np.where(a > 0, -a * inside, 0.0)

    out: np.ndarray = half(p, q) + half(q, p)
    return out


def _chi_terms(num_side: np.ndarray, den_side: np.ndarray) -> np.ndarray:
    d = num_side - den_side
    out = d * (d / np.where(den_side > 0, den_side, 1.0))
    return np.where(den_side > 0, out, np.where(num_side > 0, np.inf, 0.0))


def _hellinger_terms(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    s = np.sqrt(p) + np.sqrt(q)
    return np.where(s > 0, ((p - q) / np.where(s > 0, s, 1.0)) ** 2, 0.0)


_TERMS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "pearson": _chi_terms,
    "neyman": lambda p, q: _chi_terms(q, p),
    "squared-hellinger": _hellinger_terms,
    "gan": _gan_terms,
    "tv": lambda p, q: 0.5 * np.abs(p - q),
}

r"""Distribution pairs in d dimensions whose KL and JSD are known exactly or to many digits.

The ground truth of the ``accuracy-nd`` case. Every pair is P (the sample ``x``) against Q
(the sample ``y``); KL is :math:`KL(P \| Q)`. Densities are exact and evaluated in log space
(mixtures by ``logsumexp``), so far tails and well-separated modes never underflow to 0.

The pairs (parameters chosen here and stated once; ``d`` is the dimension):

* ``gauss``: :math:`P = N(0, I_d)`, :math:`Q = N(\mu, \Sigma)` with :math:`\mu_i = 0.5/\sqrt d`
  (so :math:`\lVert\mu\rVert = 0.5`) and :math:`\Sigma_{ij} = 1.2^2 \cdot 0.3^{|i-j|}`. In 1-D
  this is N(0, 1) against N(0.5, 1.2²), the pair of the 1-D ``accuracy`` case. KL: closed form
  (:func:`divergences.reference.kl_multivariate_normal`). JSD: quadrature (``scipy.integrate``)
  for d = 1, 2; Monte Carlo on the exact densities beyond.
* ``ring``: P = the 8-mode ring of :meth:`divergences.trainer.data.GaussianMixture.ring`
  (radius 2, σ = 0.02) *collapsed* to its first 6 modes (weights 1/6), Q = the full ring
  (weights 1/8): a generator that dropped two modes, against the data. The modes are 76 σ
  apart, so up to terms below :math:`e^{-700}` the density ratio is :math:`a = 6/8` on P's
  support: :math:`KL = -\log a` and :math:`JSD = J(a)` below, exactly.
* ``grid``: P = the 25-mode grid of :meth:`GaussianMixture.grid` (spacing 2, σ = 0.05),
  Q = the same grid *blurred* to σ = 0.1. The modes are 20 σ_Q apart, so each mode pair is a
  pair of concentric isotropic Gaussians: :math:`KL = 2\log(σ_Q/σ_P) + σ_P^2/σ_Q^2 - 1` and JSD
  by 1-D quadrature over the radius (the radius of a 2-D isotropic Gaussian is Rayleigh).
* ``student``: P = multivariate Student t with ν = 3, Q = with ν = 1 (Cauchy), both centred
  with identity shape: heavy tails on both sides. d = 1: KL and JSD by quadrature; beyond,
  both by Monte Carlo.
* ``uniform``: P = U[0, 1]^d, Q = U[0, 1.2]^d: sharp support edges. With :math:`a = 1.2^{-d}`
  the Q-mass of P's support, :math:`p = 1` on the unit cube and :math:`q = a` on the larger
  one, so :math:`KL(P\|Q) = d \log 1.2` (and :math:`KL(Q\|P) = \infty`, Q has mass where
  P has none), and

  .. math:: J(a) = \tfrac12\log\frac{2}{1+a} + \tfrac12\Big[a\log\frac{2a}{1+a}
            + (1-a)\log 2\Big] = \log 2 + \tfrac12\big[a\log a - (1+a)\log(1+a)\big]

  (the first half is the P-integral over the unit cube, the second the Q-integral over the
  unit cube plus the Q-mass :math:`1-a` outside it, where :math:`p = 0`).

Monte Carlo truths use :math:`JSD = \tfrac12 E_P[\log\frac{2p}{p+q}] + \tfrac12
E_Q[\log\frac{2q}{p+q}]` and :math:`KL = E_P[\log p - \log q]`, with ``logaddexp`` for
:math:`\log(p+q)`; their standard error is the sample standard deviation over :math:`\sqrt N`
(the two halves are independent, so their variances add with weights 1/4).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import integrate, special
from scipy.linalg import cholesky, solve_triangular

from divergences.reference import kl_multivariate_normal
from divergences.trainer.data import GaussianMixture

LOG2 = math.log(2.0)
Sampler = Callable[[np.random.Generator, int], np.ndarray]
LogPdf = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Pair:
    """Two distributions on R^d: samplers giving ``(n, d)`` arrays and exact log-densities."""

    key: str
    label: str
    d: int
    sample_p: Sampler
    sample_q: Sampler
    logpdf_p: LogPdf
    logpdf_q: LogPdf


@dataclass(frozen=True)
class Truth:
    """KL(P||Q) and JSD(P, Q) in nats, each with its standard error (0 when exact) and route."""

    kl: float
    kl_se: float
    kl_route: str
    js: float
    js_se: float
    js_route: str


def js_nested(a: float) -> float:
    """JSD when p/q is 1/a on P's support and Q puts mass 1 - a elsewhere (0 < a <= 1)."""
    return LOG2 + 0.5 * (a * math.log(a) - (1.0 + a) * math.log1p(a))


# ---------------------------------------------------------------------------------------------
# The pairs
# ---------------------------------------------------------------------------------------------


def _normal_logpdf(mean: np.ndarray, chol: np.ndarray) -> LogPdf:
    d = mean.size
    const = -float(np.log(np.diag(chol)).sum()) - 0.5 * d * math.log(2.0 * math.pi)

    def logpdf(x: np.ndarray) -> np.ndarray:
        z = solve_triangular(chol, (np.asarray(x, dtype=float) - mean).T, lower=True)
        return np.asarray(const - 0.5 * np.einsum("ij,ij->j", z, z))

    return logpdf


def gauss_parameters(d: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of Q in the ``gauss`` pair (P is N(0, I))."""
    mean = np.full(d, 0.5 / math.sqrt(d))
    lags = np.abs(np.subtract.outer(np.arange(d), np.arange(d)))
    return mean, 1.2**2 * 0.3**lags


def gauss(d: int) -> Pair:
    """N(0, I_d) against N(mu, Sigma) (module docstring)."""
    mean, cov = gauss_parameters(d)
    chol = cholesky(cov, lower=True)
    zero, eye = np.zeros(d), np.eye(d)
    return Pair(
        "gauss",
        "Gaussians",
        d,
        lambda rng, n: rng.standard_normal((n, d)),
        lambda rng, n: rng.standard_normal((n, d)) @ chol.T + mean,
        _normal_logpdf(zero, eye),
        _normal_logpdf(mean, chol),
    )


def _mixture(mixture: GaussianMixture) -> tuple[Sampler, LogPdf]:
    centers, weights, std = mixture.centers, mixture.weights, mixture.std
    d = centers.shape[1]
    const = np.log(weights) - d * math.log(std) - 0.5 * d * math.log(2.0 * math.pi)

    def logpdf(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        sq = ((x[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        return np.asarray(special.logsumexp(const - 0.5 * sq / std**2, axis=1))

    return mixture.sample, logpdf


RING_KEPT = 6


def ring() -> Pair:
    """The 8-mode ring collapsed to 6 modes (P) against the full ring (Q)."""
    full = GaussianMixture.ring()
    collapsed = GaussianMixture(full.centers[:RING_KEPT], full.std)
    sample_p, logpdf_p = _mixture(collapsed)
    sample_q, logpdf_q = _mixture(full)
    return Pair("ring", "8-mode ring, 6 kept", 2, sample_p, sample_q, logpdf_p, logpdf_q)


GRID_BLURRED_STD = 0.1


def grid() -> Pair:
    """The 25-mode grid (P, σ = 0.05) against the same grid blurred to σ = 0.1 (Q)."""
    sharp = GaussianMixture.grid()
    blurred = GaussianMixture(sharp.centers, GRID_BLURRED_STD)
    sample_p, logpdf_p = _mixture(sharp)
    sample_q, logpdf_q = _mixture(blurred)
    return Pair("grid", "25-mode grid, blurred", 2, sample_p, sample_q, logpdf_p, logpdf_q)


STUDENT_DF = (3.0, 1.0)


def _student(d: int, df: float) -> tuple[Sampler, LogPdf]:
    const = (
        special.gammaln(0.5 * (df + d))
        - special.gammaln(0.5 * df)
        - 0.5 * d * math.log(df * math.pi)
    )

    def sample(rng: np.random.Generator, n: int) -> np.ndarray:
        z = rng.standard_normal((n, d))
        w = rng.chisquare(df, (n, 1))
        return np.asarray(z / np.sqrt(w / df))

    def logpdf(x: np.ndarray) -> np.ndarray:
        sq = (np.asarray(x, dtype=float) ** 2).sum(axis=1)
        return np.asarray(const - 0.5 * (df + d) * np.log1p(sq / df))

    return sample, logpdf


def student(d: int) -> Pair:
    """Multivariate t, ν = 3 (P) against ν = 1 (Q), identity shape."""
    sample_p, logpdf_p = _student(d, STUDENT_DF[0])
    sample_q, logpdf_q = _student(d, STUDENT_DF[1])
    return Pair("student", "Student t3 vs t1", d, sample_p, sample_q, logpdf_p, logpdf_q)


UNIFORM_WIDTH = 1.2


def _uniform(d: int, width: float) -> tuple[Sampler, LogPdf]:
    def sample(rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(0.0, width, (n, d))

    def logpdf(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        inside = np.all((x >= 0.0) & (x <= width), axis=1)
        return np.where(inside, -d * math.log(width), -np.inf)

    return sample, logpdf


def uniform(d: int) -> Pair:
    """U[0, 1]^d (P) against U[0, 1.2]^d (Q)."""
    sample_p, logpdf_p = _uniform(d, 1.0)
    sample_q, logpdf_q = _uniform(d, UNIFORM_WIDTH)
    return Pair("uniform", "U[0,1]^d vs U[0,1.2]^d", d, sample_p, sample_q, logpdf_p, logpdf_q)


MAKERS: dict[str, Callable[[int], Pair]] = {
    "gauss": gauss,
    "ring": lambda d: ring(),
    "grid": lambda d: grid(),
    "student": student,
    "uniform": uniform,
}


def pair(key: str, d: int) -> Pair:
    """The pair ``key`` in dimension ``d`` (ring and grid are 2-D whatever ``d``)."""
    return MAKERS[key](d)


# ---------------------------------------------------------------------------------------------
# Routes to the truth
# ---------------------------------------------------------------------------------------------


def _js_terms(log_a: np.ndarray, log_b: np.ndarray) -> np.ndarray:
    """log(2a / (a + b)) at points drawn from a, from log-densities; log 2 where b = 0."""
    return np.asarray(LOG2 + log_a - np.logaddexp(log_a, log_b))


def js_monte_carlo(p: Pair, n: int, seed: int, chunk: int = 250_000) -> tuple[float, float]:
    """JSD and its standard error from ``n`` exact draws of each side (chunked)."""
    rng = np.random.default_rng(seed)
    halves = []
    for sample, log_own, log_other in (
        (p.sample_p, p.logpdf_p, p.logpdf_q),
        (p.sample_q, p.logpdf_q, p.logpdf_p),
    ):
        total = total_sq = 0.0
        done = 0
        while done < n:
            m = min(chunk, n - done)
            x = sample(rng, m)
            t = _js_terms(log_own(x), log_other(x))
            total += float(t.sum())
            total_sq += float((t * t).sum())
            done += m
        mean = total / n
        var = max(total_sq / n - mean * mean, 0.0) * n / (n - 1)
        halves.append((mean, var))
    value = 0.5 * (halves[0][0] + halves[1][0])
    se = 0.5 * math.sqrt((halves[0][1] + halves[1][1]) / n)
    return value, se


def kl_monte_carlo(p: Pair, n: int, seed: int, chunk: int = 250_000) -> tuple[float, float]:
    """KL(P||Q) and its standard error from ``n`` exact draws of P (chunked)."""
    rng = np.random.default_rng(seed)
    total = total_sq = 0.0
    done = 0
    while done < n:
        m = min(chunk, n - done)
        x = p.sample_p(rng, m)
        t = p.logpdf_p(x) - p.logpdf_q(x)
        total += float(t.sum())
        total_sq += float((t * t).sum())
        done += m
    mean = total / n
    var = max(total_sq / n - mean * mean, 0.0) * n / (n - 1)
    return mean, math.sqrt(var / n)


def _on_line(logpdf: LogPdf) -> Callable[[float], float]:
    return lambda t: float(logpdf(np.array([[t]]))[0])


def js_quadrature_1d(p: Pair) -> float:
    """JSD of a 1-D pair by adaptive quadrature over the real line (split at 0)."""
    lp, lq = _on_line(p.logpdf_p), _on_line(p.logpdf_q)

    def integrand(t: float) -> float:
        a, b = lp(t), lq(t)
        m = float(np.logaddexp(a, b))
        out = 0.0
        if a > -math.inf:
            out += math.exp(a) * (LOG2 + a - m)
        if b > -math.inf:
            out += math.exp(b) * (LOG2 + b - m)
        return 0.5 * out

    return sum(
        integrate.quad(integrand, lo, hi, epsabs=1e-13, epsrel=1e-11, limit=400)[0]
        for lo, hi in ((-math.inf, 0.0), (0.0, math.inf))
    )


def kl_quadrature_1d(p: Pair) -> float:
    """KL(P||Q) of a 1-D pair by adaptive quadrature (split at 0)."""
    lp, lq = _on_line(p.logpdf_p), _on_line(p.logpdf_q)

    def integrand(t: float) -> float:
        a = lp(t)
        return math.exp(a) * (a - lq(t)) if a > -math.inf else 0.0

    return sum(
        integrate.quad(integrand, lo, hi, epsabs=1e-13, epsrel=1e-11, limit=400)[0]
        for lo, hi in ((-math.inf, 0.0), (0.0, math.inf))
    )


def js_quadrature_2d(p: Pair, half_width: float = 12.0, panels: int = 48, nodes: int = 16) -> float:
    """JSD of a 2-D pair by a product Gauss-Legendre rule (``panels`` x ``nodes`` per axis).

    The square ``[-half_width, half_width]^2`` holds all but ~1e-30 of both masses here; the
    composite rule integrates the smooth integrand to ~1e-12 (halving the panels changes the
    result by less than that).
    """
    x, w = np.polynomial.legendre.leggauss(nodes)
    edges = np.linspace(-half_width, half_width, panels + 1)
    half = 0.5 * (edges[1] - edges[0])
    t = (0.5 * (edges[:-1] + edges[1:])[:, None] + half * x[None, :]).ravel()
    wt = np.tile(half * w, panels)
    u, v = np.meshgrid(t, t, indexing="ij")
    pts = np.column_stack([u.ravel(), v.ravel()])
    a, b = p.logpdf_p(pts), p.logpdf_q(pts)
    m = np.logaddexp(a, b)
    f = 0.5 * (np.exp(a) * (LOG2 + a - m) + np.exp(b) * (LOG2 + b - m))
    return float(wt @ f.reshape(t.size, t.size) @ wt)


def js_concentric_2d(std_p: float, std_q: float) -> float:
    """JSD of N(0, σ_P² I_2) and N(0, σ_Q² I_2), by quadrature over the radius."""

    def log_density(r: float, s: float) -> float:
        return -0.5 * r * r / (s * s) - 2.0 * math.log(s) - math.log(2.0 * math.pi)

    def integrand(r: float) -> float:
        a, b = log_density(r, std_p), log_density(r, std_q)
        m = float(np.logaddexp(a, b))
        ring_area = 2.0 * math.pi * r
        return 0.5 * ring_area * (math.exp(a) * (LOG2 + a - m) + math.exp(b) * (LOG2 + b - m))

    top = 40.0 * max(std_p, std_q)
    return float(integrate.quad(integrand, 0.0, top, epsabs=1e-14, epsrel=1e-12, limit=400)[0])


@functools.cache
def truth(key: str, d: int, mc_n: int, seed: int = 20_240_601) -> Truth:
    """The truth of pair ``key`` in ``d`` dimensions; Monte Carlo (``mc_n`` per side) if needed."""
    p = pair(key, d)
    if key == "gauss":
        mean, cov = gauss_parameters(d)
        kl = float(kl_multivariate_normal(np.zeros(d), np.eye(d), mean, cov))
        if d == 1:
            return Truth(kl, 0.0, "closed form", js_quadrature_1d(p), 0.0, "quadrature")
        if d == 2:
            return Truth(kl, 0.0, "closed form", js_quadrature_2d(p), 0.0, "quadrature")
        js, se = js_monte_carlo(p, mc_n, seed)
        return Truth(kl, 0.0, "closed form", js, se, f"MC {mc_n:.0e}/side")
    if key == "ring":
        a = RING_KEPT / GaussianMixture.ring().n_modes
        return Truth(-math.log(a), 0.0, "closed form", js_nested(a), 0.0, "closed form")
    if key == "grid":
        s_p, s_q = GaussianMixture.grid().std, GRID_BLURRED_STD
        kl = 2.0 * math.log(s_q / s_p) + (s_p / s_q) ** 2 - 1.0
        return Truth(kl, 0.0, "closed form", js_concentric_2d(s_p, s_q), 0.0, "quadrature")
    if key == "student":
        if d == 1:
            return Truth(
                kl_quadrature_1d(p), 0.0, "quadrature", js_quadrature_1d(p), 0.0, "quadrature"
            )
        kl, kl_se = kl_monte_carlo(p, mc_n, seed)
        js, js_se = js_monte_carlo(p, mc_n, seed + 1)
        route = f"MC {mc_n:.0e}/side"
        return Truth(kl, kl_se, route, js, js_se, route)
    if key == "uniform":
        a = UNIFORM_WIDTH ** (-d)
        return Truth(
            d * math.log(UNIFORM_WIDTH), 0.0, "closed form", js_nested(a), 0.0, "closed form"
        )
    raise KeyError(key)

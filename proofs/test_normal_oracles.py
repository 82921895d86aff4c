"""Claim that the reference oracles compute the integrals that define KL, JSD and W1.

The estimator claims measure the sample estimators against :mod:`divergences.reference`; this
claim measures the oracles themselves, against a plain quadrature of the defining integrals (the
oracles integrate rearranged, cancellation-free integrands or use closed forms).
Cover & Thomas (2006), Elements of Information Theory, 2nd ed., §8.5; Vallender (1973),
Theory Probab. Appl. 18(4), 784-786.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable

import numpy as np
from hypothesis import example, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from divergences import reference
from divergences.claims import claim, expect, forall

from .tolerances import ORACLE_ATOL, ORACLE_RTOL

SOURCE = "Cover & Thomas (2006); Vallender (1973)"
#: The oracles this claim checks, by name (the falsifiers replace one of them).
ORACLES: dict[str, Callable[..., float]] = {
    "kl_normal": reference.kl_normal,
    "js_normal": reference.js_normal,
    "wasserstein1_normal": reference.wasserstein1_normal,
    "kl_continuous": lambda m1, s1, m2, s2: reference.kl_continuous(
        stats.norm(m1, s1), stats.norm(m2, s2)
    ),
    "js_continuous": lambda m1, s1, m2, s2: reference.js_continuous(
        stats.norm(m1, s1), stats.norm(m2, s2)
    ),
    "kl_multivariate_normal": reference.kl_multivariate_normal,  # of (mean, cov) pairs, in 2-D
}
#: The oracles that take parameters as arrays and broadcast them.
CLOSED_AND_VECTORISED = ("kl_normal", "js_normal", "wasserstein1_normal")
#: The oracles of two 1-D normals (m1, s1, m2, s2).
ONE_DIMENSIONAL = (
    "kl_normal",
    "js_normal",
    "wasserstein1_normal",
    "kl_continuous",
    "js_continuous",
)


def _kl_mvn_trace_swapped(mean_p, cov_p, mean_q, cov_q):
    """KL(N_P || N_Q) with tr(S_P^-1 S_Q) in place of tr(S_Q^-1 S_P)."""
    diff = np.asarray(mean_q, float) - np.asarray(mean_p, float)
    k = diff.size
    return 0.5 * (
        float(np.trace(np.linalg.solve(cov_p, cov_q)))
        + float(diff @ np.linalg.solve(cov_q, diff))
        - k
        + float(np.linalg.slogdet(cov_q)[1] - np.linalg.slogdet(cov_p)[1])
    )


def _js_normal_over_mu1_only(m1, s1, m2, s2):
    """js_normal evaluated entry by entry of mu1, the other parameters at their first entry."""
    first = [float(np.ravel(v)[0]) for v in (s1, m2, s2)]
    values = [float(reference.js_normal(m, *first)) for m in np.ravel(m1)]
    return values[0] if np.ndim(m1) == 0 else np.array(values)


MEANS = st.floats(-5.0, 5.0)
SIGMAS = st.floats(0.2, 5.0)


def _quad(f, m1, s1, m2, s2, *extra):
    """``f`` integrated over the line, piece by piece between each mean and +-8 sigma around it.

    Requested to 1e-11 relative, a hundred times finer than the check's tolerance; where QUADPACK
    warns that round-off stops it short of that, its estimate stands and the tolerance judges it.
    """
    inner = sorted({m + k * s for m, s in ((m1, s1), (m2, s2)) for k in (-8, 0, 8)} | set(extra))
    ends = [-math.inf, *inner, math.inf]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        return math.fsum(
            integrate.quad(f, a, b, epsabs=1e-14, epsrel=1e-11, limit=200)[0]
            for a, b in itertools.pairwise(ends)
        )


def _log_pdf(x, m, s):
    return -0.5 * ((x - m) / s) ** 2 - math.log(s) - 0.5 * math.log(2.0 * math.pi)


def _cdf(x, m, s):
    return 0.5 * math.erfc(-(x - m) / (s * math.sqrt(2.0)))


def kl_by_quadrature(m1, s1, m2, s2):
    r""":math:`\int p \log(p/q)`, the plain integrand (no rearrangement)."""

    def f(x):
        log_p = _log_pdf(x, m1, s1)
        return math.exp(log_p) * (log_p - _log_pdf(x, m2, s2))

    return _quad(f, m1, s1, m2, s2)


def js_by_quadrature(m1, s1, m2, s2):
    r""":math:`\tfrac12 \int p \log\frac{2p}{p+q} + q \log\frac{2q}{p+q}`, plainly."""

    def f(x):
        a, b = math.exp(_log_pdf(x, m1, s1)), math.exp(_log_pdf(x, m2, s2))
        return 0.5 * sum(c * math.log(2.0 * c / (a + b)) for c in (a, b) if c > 0.0)

    return _quad(f, m1, s1, m2, s2)


def w1_by_quadrature(m1, s1, m2, s2):
    r""":math:`\int |F_P - F_Q|` (W1 on the line), split where the cdfs cross."""
    crossing = () if s1 == s2 else ((m2 * s1 - m1 * s2) / (s1 - s2),)
    return _quad(lambda x: abs(_cdf(x, m1, s1) - _cdf(x, m2, s2)), m1, s1, m2, s2, *crossing)


BY_QUADRATURE = {
    "kl_normal": kl_by_quadrature,
    "js_normal": js_by_quadrature,
    "wasserstein1_normal": w1_by_quadrature,
    "kl_continuous": kl_by_quadrature,
    "js_continuous": js_by_quadrature,
}


def _rotation(angle):
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s], [s, c]])


def _symmetric(a):
    """``a`` made exactly symmetric (a rotated covariance is so only up to round-off)."""
    return 0.5 * (a + a.T)


def _replaced(name, oracle):
    return ORACLES | {name: oracle}


@claim(
    "info.normal-oracles",
    statement=(
        r"For normal distributions the reference oracles are the integrals that define the "
        r"divergences: $KL(P \| Q) = \int p \log(p/q)$, $JSD = \tfrac12 \int p \log\frac{2p}{p+q} "
        r"+ \tfrac12 \int q \log\frac{2q}{p+q}$ and, on the line, $W_1 = \int |F_P - F_Q|$; KL "
        r"adds over independent coordinates and is unchanged by a rotation of both."
    ),
    source=SOURCE,
    locator="C&T §8.5 (relative entropy of densities); Vallender, W1 as the L1 distance of cdfs",
    check=(
        r"For Hypothesis-drawn normals (means in $[-5, 5]$, standard deviations in $[0.2, 5]$) "
        "the closed forms `kl_normal` and `wasserstein1_normal`, the quadrature `js_normal` and "
        "the generic quadratures `kl_continuous` and `js_continuous` (on scipy's frozen normals) "
        "must agree to $10^{-9}$ relative with scipy's quadrature of the defining integral written "
        "plainly from the densities and cdfs (the oracles integrate rearranged, cancellation-free "
        "integrands); `kl_multivariate_normal` of two rotated diagonal Gaussians in 2-D must "
        "equal the sum of the two coordinates' KLs by the same quadrature. 25 examples per run: "
        "each costs two dozen quadratures. And, as documented, `kl_normal`, `js_normal` and "
        "`wasserstein1_normal` of scalars must return a float, and with any one parameter "
        "alone a pair of values a float64 array of shape (2,) whose entries are exactly the "
        "scalar calls'."
    ),
    subject=ORACLES,
    figure="normal_oracles.png",
    falsifiers=[
        (
            r"$W_1$ between normals is $|\mu_1 - \mu_2| + |\sigma_1 - \sigma_2|$ (the triangle "
            "inequality's bound, reached only when the two differences do not cancel)",
            _replaced("wasserstein1_normal", lambda m1, s1, m2, s2: abs(m1 - m2) + abs(s1 - s2)),
        ),
        (
            r"KL between normals is symmetric ($KL(P \| Q)$ computed as $KL(Q \| P)$)",
            _replaced("kl_normal", lambda m1, s1, m2, s2: reference.kl_normal(m2, s2, m1, s1)),
        ),
        (
            r"JSD between normals without its halves, $KL(P \| M) + KL(Q \| M)$",
            _replaced(
                "js_normal", lambda m1, s1, m2, s2: 2.0 * reference.js_normal(m1, s1, m2, s2)
            ),
        ),
        (
            r"the KL of densities with its arguments swapped, $\int q \log(q/p)$",
            _replaced(
                "kl_continuous",
                lambda m1, s1, m2, s2: reference.kl_continuous(
                    stats.norm(m2, s2), stats.norm(m1, s1)
                ),
            ),
        ),
        (
            "the JSD of densities in bits (logarithms to base 2)",
            _replaced(
                "js_continuous",
                lambda m1, s1, m2, s2: (
                    reference.js_continuous(stats.norm(m1, s1), stats.norm(m2, s2)) / math.log(2.0)
                ),
            ),
        ),
        (
            "the Gaussian oracles returning 0-d arrays for scalar parameters",
            ORACLES
            | {
                name: (lambda f: lambda *p: np.asarray(f(*p)))(ORACLES[name])
                for name in CLOSED_AND_VECTORISED
            },
        ),
        (
            r"`js_normal` looping over $\mu_1$'s entries only, the other parameters taken at "
            "their first entry",
            _replaced("js_normal", _js_normal_over_mu1_only),
        ),
        (
            r"the Gaussian KL's trace term as $\operatorname{tr}(\Sigma_P^{-1} \Sigma_Q)$ (the "
            "covariances the wrong way round)",
            _replaced("kl_multivariate_normal", _kl_mvn_trace_swapped),
        ),
    ],
)
def test_normal_oracles(oracles):
    # the Gaussian oracles' documented return: a float for scalar parameters, and an array of
    # the broadcast shape when any one parameter alone is an array (here a pair of values), each
    # entry the oracle's value at that entry's parameters
    params = (0.0, 1.0, 1.0, 2.0)
    for name in CLOSED_AND_VECTORISED:
        oracle = oracles[name]
        scalar = oracle(*params)
        expect(
            isinstance(scalar, float),
            "a Gaussian oracle of scalars returns a float",
            observed=type(scalar).__name__,
            expected="float (numpy.float64)",
            repro=f"type({name}{params})",
        )
        for position in range(4):
            pair = [params[position], params[position] * 1.5 + 0.25]
            args = [v if i != position else np.array(pair) for i, v in enumerate(params)]
            value = np.asarray(oracle(*args))
            entries = [float(oracle(*args[:position], v, *args[position + 1 :])) for v in pair]
            expect(
                value.shape == (2,)
                and value.dtype == np.float64
                and np.array_equal(value, entries),
                "a Gaussian oracle broadcasts over each parameter alone",
                observed=value.tolist(),
                expected=entries,
                repro=f"{name}({args})",
            )

    @forall(m1=MEANS, s1=SIGMAS, m2=MEANS, s2=SIGMAS, angle=st.floats(0.0, math.pi))
    @example(m1=0.0, s1=1.0, m2=1.0, s2=2.0, angle=0.5)
    # a sigma ratio of 1e-4: the narrow density lies between breakpoints placed by the wide one
    # unless the oracles place their own at multiples of the narrow sigma (not rotated: the
    # rotated covariances of condition number 1e8 cost kl_multivariate_normal 3e-9 relative)
    @example(m1=3.0, s1=1e-4, m2=0.0, s2=1.0, angle=0.0)
    @settings(max_examples=25)
    def prop(m1, s1, m2, s2, angle):
        repro = f"({m1}, {s1}, {m2}, {s2})"
        for name in ONE_DIMENSIONAL:
            oracle = oracles[name]
            with warnings.catch_warnings():
                # kl_continuous and js_continuous warn that round-off limits quad for nearly
                # equal normals (N(6e-8, 1) against N(0, 1)); their values are judged here
                warnings.simplefilter("ignore", integrate.IntegrationWarning)
                value = float(oracle(m1, s1, m2, s2))
            exact = BY_QUADRATURE[name](m1, s1, m2, s2)
            expect(
                abs(value - exact) <= ORACLE_RTOL * abs(exact) + ORACLE_ATOL,
                f"{name} against the quadrature of its definition",
                observed=value,
                expected=exact,
                repro=f"{name}{repro}",
            )
        # P = N(m1, s1) x N(m2, s1) and Q = N(m2, s2) x N(m1, s1), both rotated by `angle`
        # (the determinants differ unless s1 = s2)
        rotation = _rotation(angle)
        mean_p, mean_q = rotation @ [m1, m2], rotation @ [m2, m1]
        cov_p, cov_q = (
            _symmetric(rotation @ np.diag(v) @ rotation.T)
            for v in ([s1 * s1, s1 * s1], [s2 * s2, s1 * s1])
        )
        value = float(oracles["kl_multivariate_normal"](mean_p, cov_p, mean_q, cov_q))
        exact = kl_by_quadrature(m1, s1, m2, s2) + kl_by_quadrature(m2, s1, m1, s1)
        expect(
            abs(value - exact) <= ORACLE_RTOL * abs(exact) + ORACLE_ATOL,
            "kl_multivariate_normal against the sum of the coordinates' KLs",
            observed=value,
            expected=exact,
            repro=f"kl_multivariate_normal{repro}, angle={angle}",
        )

    prop()

"""Claims about sampling by pushing noise through a map (seeds 002, 003).

The probability integral transform and the reparameterisation trick of Kingma & Welling (2014).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
from scipy import special, stats

import divergences as dv
from divergences.claims import claim, expect, tally

from .sources import seed
from .tolerances import SIGNIFICANCE, Z_SCORE

#: Targets of the inverse-cdf check: symmetric, skewed, heavy-tailed, bounded.
TARGETS = {
    "N(0,1)": stats.norm(0.0, 1.0),
    "Exp(1)": stats.expon(),
    "t(3)": stats.t(3),
    "Beta(2,5)": stats.beta(2.0, 5.0),
}
BINS = 20


def _equal_mass_edges(target, x, y):
    """K bins of probability 1/K each under the target, outer edges at the pooled extremes."""
    inner = target.ppf(np.arange(1, BINS) / BINS)
    lo = min(float(x.min()), float(y.min()), float(inner[0]) - 1.0)
    hi = max(float(x.max()), float(y.max()), float(inner[-1]) + 1.0)
    return np.concatenate([[lo], inner, [hi]])


@claim(
    "transform.inverse-cdf",
    statement=r"$U \sim U(0,1)$ implies $F^{-1}(U) \sim F$.",
    source="probability integral transform (seed 002)",
    locator=seed("002", "e.g. Casella & Berger Thm 2.1.10"),
    check=(
        "Seeded uniforms are pushed through the stated map for four targets (normal, "
        "exponential, $t_3$, beta); a Kolmogorov–Smirnov test against the target must not reject "
        "at $10^{-4}$."
    ),
    subject=lambda target, u: target.ppf(u),
    figure="inverse_cdf.png",
    falsifiers=[(r"$F(U) \sim F$", lambda target, u: target.cdf(u))],
)
def test_inverse_cdf(push: Callable):
    rng = np.random.default_rng(2002)
    for name, target in TARGETS.items():
        tally()
        x = push(target, rng.uniform(size=5000))
        pvalue = stats.kstest(x, target.cdf).pvalue
        expect(
            pvalue > SIGNIFICANCE,
            f"KS test rejects the pushed sample for {name}",
            observed=pvalue,
            expected=f"> {SIGNIFICANCE}",
        )


@claim(
    "transform.inverse-cdf.normal",
    statement=r"$U \sim U(0,1)$ implies $\Phi^{-1}(U) \sim N(0,1)$.",
    source="probability integral transform (seed 002)",
    locator=seed("002", "e.g. Casella & Berger Thm 2.1.10"),
    check=(
        "20000 seeded uniforms are pushed through the stated $\\Phi^{-1}$; a "
        "Kolmogorov–Smirnov test against scipy's normal cdf must not reject at $10^{-4}$."
    ),
    subject=special.ndtri,
    figure="inverse_cdf.png",
    falsifiers=[
        (
            r"$\Phi^{-1}(u) = \sqrt2 \operatorname{erf}^{-1}(u)$ (the $2u - 1$ of "
            r"$\Phi^{-1}(u) = \sqrt2 \operatorname{erf}^{-1}(2u - 1)$ dropped)",
            lambda u: math.sqrt(2.0) * special.erfinv(u),
        ),
        (
            r"$\Phi^{-1}(u) = \operatorname{erf}^{-1}(2u - 1)$ (the $\sqrt2$ dropped)",
            lambda u: special.erfinv(2.0 * u - 1.0),
        ),
    ],
)
def test_inverse_cdf_normal(quantile: Callable[[np.ndarray], np.ndarray]) -> None:
    u = np.random.default_rng(2003).uniform(size=20000)
    tally()
    pvalue = stats.kstest(quantile(u), stats.norm.cdf).pvalue
    expect(
        pvalue > SIGNIFICANCE,
        "KS test rejects Phi^-1(U) against N(0, 1)",
        observed=pvalue,
        expected=f"> {SIGNIFICANCE}",
    )


#: Replicates and sample sizes of the histogram JSD between F^-1(U) and a sample of F.
PUSHED_REPLICATES, PUSHED_SIZES = 200, (1000, 10000)


@functools.cache
def pushed_jsds(n: int) -> np.ndarray:
    """Plug-in JSDs between Phi^-1(U) and an independent N(0, 1) sample, n each, K equal-mass bins.

    Drawn once for the claim and its falsifiers (read-only).
    """
    rng = np.random.default_rng((2002, n))
    target = TARGETS["N(0,1)"]
    values = []
    for _ in range(PUSHED_REPLICATES):
        x = target.ppf(rng.uniform(size=n))
        y = target.rvs(size=n, random_state=rng)
        values.append(float(dv.js_from_samples(x, y, bins=_equal_mass_edges(target, x, y)).value))
    out = np.array(values)
    out.flags.writeable = False
    return out


@claim(
    "transform.inverse-cdf.histogram-jsd",
    statement=(
        r"The histogram JSD between $n$ draws of $F^{-1}(U)$ and $n$ draws of $F$, on $K$ bins, "
        r"shrinks like $(K-1)/(4n)$."
    ),
    source="probability integral transform (seed 002)",
    locator=seed("002", "e.g. Casella & Berger Thm 2.1.10; Miller (1955) for the rate"),
    check=(
        r"Over 200 seeded replicates of $\Phi^{-1}(U)$ against an independent sample drawn by "
        "scipy ($K = 20$ equal-mass bins), the mean of the plug-in JSD divided by the stated "
        "rate must be $1$ within $Z$ standard errors plus the $O(K/n)$ second-order term, at "
        "$n = 1000$ and $n = 10000$."
    ),
    subject=lambda k, n: (k - 1) / (4 * n),
    figure="inverse_cdf_jsd.png",
    falsifiers=[
        (
            r"it shrinks like $(K-1)/(2n)$, the bias of KL against a known law",
            lambda k, n: (k - 1) / (2 * n),
        ),
        (
            r"it shrinks like $(K-1)/(8n)$ (the pooled size $2n$ taken for $n$)",
            lambda k, n: (k - 1) / (8 * n),
        ),
    ],
)
def test_inverse_cdf_histogram_jsd(rate: Callable[[int, int], float]) -> None:
    for n in PUSHED_SIZES:
        tally(PUSHED_REPLICATES)
        ratios = pushed_jsds(n) / rate(BINS, n)
        mean = float(np.mean(ratios))
        se = float(np.std(ratios, ddof=1)) / math.sqrt(len(ratios))
        # 4n JSD = chi^2_{K-1} (1 + O(K/n)): the next term of the expansion is of relative size
        # K/n, bounded here by 2K/n
        allowance = Z_SCORE * se + 2.0 * BINS / n
        expect(
            abs(mean - 1.0) <= allowance,
            f"mean JSD / stated rate at n = {n}",
            observed=mean,
            expected=f"1 +- {allowance:.3g}",
        )


@claim(
    "transform.reparameterization",
    statement=(
        r"$c = m + \exp(\sigma) \odot e$ with $e \sim N(0, I)$ gives $c \sim N(m, "
        r"\operatorname{diag}(\exp(2\sigma)))$."
    ),
    source="Kingma & Welling (2014), arXiv:1312.6114 (seed 003)",
    locator="§2.4, the reparameterisation trick",
    check=(
        r"20000 seeded draws in 3 dimensions with $\sigma = (-1, 0.5, 1.2)$: each coordinate "
        "against the stated normal by a Kolmogorov–Smirnov test at $10^{-4}$, and the sample "
        r"correlations against the stated law's within $Z/\sqrt{n}$."
    ),
    subject=lambda m, sigma: (m, np.diag(np.exp(2.0 * sigma))),
    figure="reparameterization.png",
    falsifiers=[
        (
            r"the variance is $\exp(\sigma)$ (standard deviation $\exp(\sigma/2)$)",
            lambda m, sigma: (m, np.diag(np.exp(sigma))),
        ),
        (
            r"the covariance is $\exp(\sigma) \exp(\sigma)^\top$ (what one scalar $e$ "
            "broadcast over the coordinates gives)",
            lambda m, sigma: (m, np.outer(np.exp(sigma), np.exp(sigma))),
        ),
    ],
)
def test_reparameterization(law: Callable):
    rng = np.random.default_rng(1312)
    m = np.array([0.5, -2.0, 3.0])
    sigma = np.array([-1.0, 0.5, 1.2])
    n = 20000
    c = m + np.exp(sigma) * rng.standard_normal(size=(n, 3))
    mean, cov = law(m, sigma)
    sd = np.sqrt(np.diag(cov))
    for i in range(3):
        tally()
        pvalue = stats.kstest(c[:, i], stats.norm(mean[i], sd[i]).cdf).pvalue
        expect(
            pvalue > SIGNIFICANCE,
            f"coordinate {i} against N(m, sd^2)",
            observed=pvalue,
            expected=f"> {SIGNIFICANCE}",
            repro=f"m={m.tolist()}, sigma={sigma.tolist()}",
        )
    # the sample correlations (sd 1/sqrt(n) each where the stated one is 0) against the stated
    corr = np.corrcoef(c, rowvar=False)
    stated = cov / np.outer(sd, sd)
    upper = np.triu_indices(3, 1)
    off = float(np.max(np.abs(corr[upper] - stated[upper])))
    expect(
        off <= Z_SCORE / math.sqrt(n),
        "the correlations against the stated law's",
        observed=corr[upper].tolist(),
        expected=f"{stated[upper].tolist()} within {Z_SCORE / math.sqrt(n):.3g}",
    )

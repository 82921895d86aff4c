"""Claims that maximum likelihood minimises the forward KL (Deep Learning §5.5).

Goodfellow, Bengio & Courville (2016), Deep Learning, §5.5, and WGAN §1: maximum likelihood is
minimisation of the forward KL to the empirical distribution.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example
from hypothesis import strategies as st
from scipy import optimize, stats

import divergences as dv
from divergences.claims import claim, expect, forall, tally

from . import routes
from .tolerances import ARGMAX_ATOL, ROUTE_ATOL, ROUTE_RTOL

K = 6  # outcomes 0..K-1


def _binomial(theta):
    return stats.binom.pmf(np.arange(K), K - 1, theta)


@st.composite
def data_and_models(draw):
    """Discrete data (integers in 0..K-1) and a full-support binomial model theta."""
    data = np.array(draw(st.lists(st.integers(0, K - 1), min_size=1, max_size=60), label="data"))
    theta = draw(st.floats(0.05, 0.95), label="theta")
    return data, theta


def _forward(p_hat, model):
    return float(dv.kl_divergence(p_hat, model))


def _reverse(p_hat, model):
    return float(dv.kl_divergence(model, p_hat))


@claim(
    "info.mle-is-forward-kl",
    statement=(
        r"For discrete data the average negative log-likelihood equals $H(\hat P) + KL(\hat P "
        r"\| P_\theta)$ exactly, so the MLE minimises $KL(\hat P \| P_\theta)$."
    ),
    source="Goodfellow, Bengio & Courville (2016); Arjovsky et al. (2017)",
    locator="Deep Learning §5.5 Eq. 5.59-5.60; WGAN §1",
    check=(
        "The average NLL is computed directly from the data array and compared with the entropy "
        r"(scipy) plus the stated divergence (library); the argmin over $\theta$ of the NLL of a "
        "binomial family (bounded Brent) must be the argmin of the stated divergence."
    ),
    subject=_forward,
    figure="mle_forward_kl.png",
    falsifiers=[(r"MLE minimises the reverse divergence $KL(P_\theta \| \hat P)$", _reverse)],
)
def test_mle_is_forward_kl(divergence):
    @forall(case=data_and_models())
    @example(case=(np.array([0, 1, 1, 2, 5]), 0.3))
    def identity(case):
        data, theta = case
        model = _binomial(theta)
        p_hat = np.bincount(data, minlength=K) / data.size
        nll = -float(np.mean(np.log(model[data])))
        other = routes.entropy_scipy(p_hat) + divergence(p_hat, model)
        expect(
            abs(nll - other) <= ROUTE_RTOL * nll + ROUTE_ATOL,
            "average NLL against H(P_hat) + divergence",
            observed=nll,
            expected=other,
            repro=f"data={data.tolist()}, theta={theta}",
        )

    identity()

    rng = np.random.default_rng(20140610)
    for _ in range(5):
        tally()
        data = rng.binomial(K - 1, rng.uniform(0.2, 0.8), size=rng.integers(5, 40))
        data[0] = 0  # some outcome counts stay 0, so the two divergences' minimisers differ
        p_hat = np.bincount(data, minlength=K) / data.size
        by_nll = optimize.minimize_scalar(
            lambda t, data=data: -float(np.mean(np.log(_binomial(t)[data]))),
            bounds=(1e-6, 1 - 1e-6),
            method="bounded",
            options={"xatol": 1e-10},
        ).x
        by_divergence = optimize.minimize_scalar(
            lambda t, p_hat=p_hat: min(divergence(p_hat, _binomial(t)), 1e300),
            bounds=(1e-6, 1 - 1e-6),
            method="bounded",
            options={"xatol": 1e-10},
        ).x
        expect(
            abs(by_nll - by_divergence) <= ARGMAX_ATOL,
            "argmin of the NLL against the argmin of the divergence",
            observed=by_divergence,
            expected=by_nll,
            repro=f"data={data.tolist()}",
        )


@claim(
    "info.mle-moment-matching",
    statement=(
        r"For a Gaussian family the cross-entropy minimiser (the MLE) is moment matching: the "
        r"sample mean and the biased sample standard deviation $\sqrt{\tfrac1n \sum (x_i - "
        r"\bar x)^2}$."
    ),
    source="Goodfellow, Bengio & Courville (2016)",
    locator="Deep Learning §5.5 (Eq. 5.59-5.60), §5.4.2 (bias of the Gaussian variance MLE)",
    check=(
        "A Gaussian is fitted to 500 seeded draws of $N(1.5, 2^2)$ by numerically minimising the "
        "average NLL (BFGS on the mean and the log standard deviation, scipy's log-density); the "
        "stated moments, computed from the sample, must match the fit."
    ),
    subject=lambda x: (float(np.mean(x)), float(np.std(x))),
    figure="mle_moment_matching.png",
    falsifiers=[
        (
            r"the fitted scale is the unbiased sample standard deviation "
            r"$\sqrt{\tfrac{1}{n-1} \sum (x_i - \bar x)^2}$",
            lambda x: (float(np.mean(x)), float(np.std(x, ddof=1))),
        )
    ],
)
def test_mle_moment_matching(moments):
    tally()
    x = np.random.default_rng(20140610).normal(1.5, 2.0, size=500)
    fit = optimize.minimize(
        lambda t: -float(np.mean(stats.norm.logpdf(x, t[0], math.exp(t[1])))),
        x0=[0.0, 0.0],
        method="BFGS",
        options={"gtol": 1e-10},
    )
    mean, sd = fit.x[0], math.exp(fit.x[1])
    stated_mean, stated_sd = moments(x)
    expect(
        abs(mean - stated_mean) <= ARGMAX_ATOL and abs(sd - stated_sd) <= ARGMAX_ATOL,
        "the Gaussian cross-entropy minimiser against the stated moments",
        observed=(mean, sd),
        expected=(stated_mean, stated_sd),
    )

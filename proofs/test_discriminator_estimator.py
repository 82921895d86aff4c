r"""Claim on the discriminator estimator of JSD: Goodfellow et al. (2014), Theorem 1, read as one.

For every discriminator D, :math:`\log 2 + \tfrac12 E_P[\log D] + \tfrac12 E_Q[\log(1-D)]`
is at most JSD(P, Q), with equality at :math:`D^* = p/(p+q)`. ``dv.js_discriminator`` estimates
it from samples; the claim is about that estimator, at sample sizes that differ.
"""

from __future__ import annotations

import copy
import math

import numpy as np
from hypothesis import example
from hypothesis import strategies as st

import divergences as dv
from divergences.claims import claim, expect, forall

from .tolerances import INEQUALITY_SLACK, ROUTE_RTOL

SOURCE = "Goodfellow et al. (2014)"
LOG2 = math.log(2.0)


@st.composite
def count_pairs(draw):
    """Integer counts of two samples on the support {0, ..., K-1}, totals that differ.

    A sample holding each support point exactly its count of times has sample means equal to
    the expectations under p = counts / total: the estimator's average *is* the bound.
    """
    size = draw(st.integers(2, 8), label="size")
    cx = np.array(draw(st.lists(st.integers(1, 30), min_size=size, max_size=size), label="cx"))
    cy = np.array(draw(st.lists(st.integers(1, 30), min_size=size, max_size=size), label="cy"))
    factor = draw(st.integers(2, 5), label="factor")  # y's total is a multiple of x's scale
    return cx, cy * factor


class PosteriorOracle:
    r"""A fitted classifier that knows p and q: it answers with the prior of its training data.

    ``predict_proba`` gives :math:`P(\text{x} \mid z) = \pi p / (\pi p + (1 - \pi) q)` with
    :math:`\pi` the share of x among the labels it was fitted on, as a classifier fitted on
    unweighted data estimates.
    """

    def __init__(self, p: np.ndarray, q: np.ndarray) -> None:
        self.p, self.q = p, q

    def fit(self, points, labels):
        """Remember the share of x among the labels."""
        self.prior = float(np.mean(labels))
        return self

    def predict_proba(self, points):
        """Columns P(y | z), P(x | z) at the training prior."""
        idx = np.asarray(points, dtype=int).ravel()
        a, b = self.prior * self.p[idx], (1.0 - self.prior) * self.q[idx]
        return np.column_stack([b / (a + b), a / (a + b)])


def _dropped_halves(x, y, **kwargs):
    """The bound without its two halves: log 2 + E_P[log D] + E_Q[log(1 - D)]."""
    return 2.0 * float(dv.js_discriminator(x, y, **kwargs)) - LOG2


def _pooled_mean(x, y, classifier, **kwargs):
    """The terms of both samples averaged together: weights n_x/(n_x+n_y), not 1/2 each."""
    if not callable(classifier) or hasattr(classifier, "fit"):
        fitted = copy.deepcopy(classifier).fit(
            np.concatenate([x, y]).reshape(-1, 1),
            np.concatenate([np.ones(len(x)), np.zeros(len(y))]),
        )
        prior = len(x) / (len(x) + len(y))

        def classifier(z):
            post = fitted.predict_proba(z)[:, 1]
            odds = post / (1.0 - post) * (1.0 - prior) / prior
            return odds / (1.0 + odds)

    d_x = np.asarray(classifier(x.reshape(-1, 1)), float)
    d_y = np.asarray(classifier(y.reshape(-1, 1)), float)
    terms = np.concatenate([LOG2 + np.log(d_x), LOG2 + np.log1p(-d_y)])
    return float(np.mean(terms))


def _posterior_as_discriminator(x, y, classifier, **kwargs):
    """A fitted classifier's posterior used as D, its training prior left in."""
    if hasattr(classifier, "fit"):
        fitted = copy.deepcopy(classifier).fit(
            np.concatenate([x, y]).reshape(-1, 1),
            np.concatenate([np.ones(len(x)), np.zeros(len(y))]),
        )
        return dv.js_discriminator(x, y, classifier=lambda z: fitted.predict_proba(z)[:, 1])
    return dv.js_discriminator(x, y, classifier=classifier, **kwargs)


@claim(
    "estimate.discriminator-bound",
    statement=(
        r"From samples of P and Q of any sizes, the discriminator estimate "
        r"$\log 2 + \tfrac12 \overline{\log D}_x + \tfrac12 \overline{\log(1 - D)}_y$ is exact "
        r"in expectation at $D = D^* = p/(p+q)$ (also when $D^*$ comes from a classifier fitted "
        r"with the samples' unequal class sizes) and is below JSD(P, Q) for every other $D$."
    ),
    source=SOURCE,
    locator="Proposition 1 and Theorem 1, read as an estimator of JSD",
    check=(
        r"Hypothesis draws integer counts on a support of 2 to 8 points for x and y, with y's "
        r"total a multiple (2 to 5) of x's scale, and builds samples holding each point exactly "
        r"its count of times, so that sample means are expectations under $p$ and $q$ (the "
        r"counts over their totals). JSD comes from `dv.js_divergence` (the sum of "
        r"$\tfrac12 p \log\frac{2p}{p+q} + \tfrac12 q \log\frac{2q}{p+q}$, no discriminator). "
        r"The estimator must give it to $10^{-12}$ relative with $D^*$ as a fixed callable, and "
        r"with a classifier that answers $\pi p/(\pi p + (1-\pi) q)$, $\pi$ the share of x in "
        r"the data it is fitted on (2-fold cross-fitting); with Hypothesis-drawn $D$ in "
        r"$[0.01, 0.99]$ per point it must not exceed JSD beyond round-off."
    ),
    subject=dv.js_discriminator,
    figure="discriminator_bound.png",
    falsifiers=[
        (
            r"the halves dropped: $\log 2 + \overline{\log D}_x + \overline{\log(1-D)}_y$",
            _dropped_halves,
        ),
        (
            r"the terms of x and y averaged together (weights $n_x/(n_x+n_y)$, not $\tfrac12$)",
            _pooled_mean,
        ),
        (
            r"a fitted classifier's posterior taken as $D$ (its training prior "
            r"$n_x/(n_x+n_y)$ not corrected to $\tfrac12$)",
            _posterior_as_discriminator,
        ),
    ],
)
def test_discriminator_bound(estimator):
    @forall(
        counts=count_pairs(),
        table=st.lists(st.floats(0.01, 0.99), min_size=8, max_size=8),
    )
    @example(counts=(np.array([1, 3]), np.array([6, 2])), table=[0.5] * 8)
    def prop(counts, table):
        cx, cy = counts
        p, q = cx / cx.sum(), cy / cy.sum()
        support = np.arange(float(cx.size))
        x, y = np.repeat(support, cx), np.repeat(support, cy)
        truth = float(dv.js_divergence(p, q))
        repro = f"counts x={cx.tolist()}, y={cy.tolist()}"

        def d_star(z):
            idx = np.asarray(z, dtype=int).ravel()
            return p[idx] / (p[idx] + q[idx])

        at_star = float(estimator(x, y, classifier=d_star))
        expect(
            abs(at_star - truth) <= ROUTE_RTOL * max(truth, 1e-300) + 1e-15,
            "the estimate with D* as a fixed callable",
            observed=at_star,
            expected=truth,
            repro=repro,
        )
        fitted = float(estimator(x, y, classifier=PosteriorOracle(p, q), folds=2, seed=0))
        expect(
            abs(fitted - truth) <= ROUTE_RTOL * max(truth, 1e-300) + 1e-15,
            "the estimate with a fitted classifier whose posterior is D* at its training prior",
            observed=fitted,
            expected=truth,
            repro=repro,
        )
        weaker = np.array(table[: cx.size])
        value = float(estimator(x, y, classifier=lambda z: weaker[np.asarray(z, int).ravel()]))
        expect(
            value <= truth + INEQUALITY_SLACK,
            "a discriminator other than D* beats JSD",
            observed=value,
            expected=f"<= {truth}",
            repro=f"{repro}, D={weaker.tolist()}",
        )

    prop()

"""Miller-Madow-type bias correction of js_from_samples / kl_from_samples.

The formulas are checked against exact expectations (every multinomial outcome enumerated), and
the kernels against the formulas written out in 50-digit arithmetic (tests/naive.py).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

import divergences as dv
from divergences import strategies as dst

from . import naive

LOG2 = math.log(2.0)
MM = "miller-madow"


def exact_means(p, q, n, m, divergence):
    """Exact E[plug-in] and E[bias estimate], by numpy (not the kernels).

    Both are sums over bins of a term of that bin's two counts, so their expectations need only
    the binomial marginals: count a ~ Bin(n, p_i) and b ~ Bin(m, q_i), independent. For KL the
    outcomes with a > 0 = b (plug-in +inf) are left out; the caller keeps their probability
    negligible and reads it from the third value returned (the probability kept).
    """
    a = np.arange(n + 1.0)[:, None]
    b = np.arange(m + 1.0)[None, :]
    ph, qh = a / n, b / m
    plugin_mean = bias_mean = 0.0
    kept = 1.0
    for pi, qi in zip(p, q, strict=True):
        weight = stats.binom.pmf(a, n, pi) * stats.binom.pmf(b, m, qi)
        if divergence == "js":
            s = ph + qh
            value = 0.5 * (
                special.xlogy(ph, 2 * ph) + special.xlogy(qh, 2 * qh) - special.xlogy(s, s)
            )
            with np.errstate(invalid="ignore", divide="ignore"):
                part = np.where(a > 0, qh * (1 - ph) / n, 0) + np.where(b > 0, ph * (1 - qh) / m, 0)
                bias = np.where(s > 0, part / (4 * s), 0)
        else:
            off = (a > 0) & (b == 0)
            kept -= float(weight[off].sum())
            weight = np.where(off, 0.0, weight)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(a > 0, ph * np.log(ph / qh), 0)
                bias = np.where(a > 0, (1 - ph) / (2 * n) + ph * (1 - qh) / (2 * m * qh), 0)
            value, bias = np.where(off, 0.0, value), np.where(off, 0.0, bias)
        plugin_mean += float(np.sum(weight * value))
        bias_mean += float(np.sum(weight * bias))
    return plugin_mean, bias_mean, kept


def js_bias_formula(p, q, n, m):
    return float(np.sum((q * (1 - p) / n + p * (1 - q) / m) / (4 * (p + q))))


def kl_bias_formula(p, q, n, m):
    return (np.count_nonzero(p) - 1) / (2 * n) + (np.sum(p / q) - 1) / (2 * m)


@pytest.mark.parametrize(
    ("p", "q", "sizes"),
    [
        ([0.2, 0.3, 0.5], [0.4, 0.35, 0.25], [(40, 40), (80, 80), (160, 160)]),
        ([0.2, 0.3, 0.5], [0.4, 0.35, 0.25], [(40, 120), (80, 240), (160, 480)]),
        ([0.2, 0.3, 0.5], [0.2, 0.3, 0.5], [(40, 40), (80, 80), (160, 160)]),
        ([0.1, 0.3, 0.6], [0.1, 0.3, 0.6], [(40, 120), (80, 240), (160, 480)]),
        (
            [0.05, 0.1, 0.15, 0.3, 0.4],
            [0.1, 0.1, 0.2, 0.2, 0.4],
            [(80, 80), (160, 160), (320, 320)],
        ),
    ],
)
def test_js_bias_formula_is_the_exact_bias_to_second_order(p, q, sizes):
    p, q = np.array(p), np.array(q)
    truth = float(dv.js_divergence(p, q))
    residuals, corrected_errors, plugin_errors = [], [], []
    for n, m in sizes:
        plugin_mean, bias_mean, _ = exact_means(p, q, n, m, "js")
        formula = js_bias_formula(p, q, n, m)
        if np.array_equal(p, q):  # (K - 1)(1/n_x + 1/n_y)/8: (K - 1)/(4n) for equal sizes
            assert formula == pytest.approx((len(p) - 1) * (1 / n + 1 / m) / 8, rel=1e-12)
        residuals.append(plugin_mean - truth - formula)
        plugin_errors.append(plugin_mean - truth)
        corrected_errors.append(plugin_mean - bias_mean - truth)
    # the neglected terms are O(1/n^2): doubling both sizes divides them by about 4
    for a, b in itertools.pairwise(residuals):
        assert 3.0 <= a / b <= 5.0
    assert all(e > 0 for e in plugin_errors)  # the plug-in is biased upwards
    # the plugged-in correction leaves an O(1/n^2) error, against O(1/n) for the plug-in
    assert abs(corrected_errors[-1]) <= 0.05 * plugin_errors[-1]


@pytest.mark.parametrize(
    ("p", "q"),
    [([0.2, 0.3, 0.5], [0.3, 0.35, 0.35]), ([0.3, 0.3, 0.4], [0.3, 0.3, 0.4])],
)
def test_kl_bias_formula_is_the_exact_bias_to_second_order(p, q):
    # y large enough that an empty y-bin (plug-in +inf) has probability < 1e-12
    p, q = np.array(p), np.array(q)
    truth = float(dv.kl_divergence(p, q))
    residuals, corrected_errors, plugin_errors = [], [], []
    for n, m in ((40, 200), (80, 400)):
        plugin_mean, bias_mean, mass = exact_means(p, q, n, m, "kl")
        assert mass > 1 - 1e-12
        residuals.append(plugin_mean - truth - kl_bias_formula(p, q, n, m))
        plugin_errors.append(plugin_mean - truth)
        corrected_errors.append(plugin_mean - bias_mean - truth)
    assert 3.0 <= residuals[0] / residuals[1] <= 5.0
    assert plugin_errors[1] > 0
    assert abs(corrected_errors[1]) <= 0.1 * plugin_errors[1]


@given(pair=dst.sample_pairs(min_size=1, max_size=150), bins=st.integers(1, 30))
def test_js_bias_matches_oracle(pair, bins):
    x, y = pair
    est = dv.js_from_samples(x, y, bins=bins, bias_correction=MM)
    expected = naive.js_bias(est.histogram.counts_x, est.histogram.counts_y)
    assert est.bias == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert est.plugin == dv.js_from_samples(x, y, bins=bins).value
    assert est.value == min(max(est.plugin - est.bias, 0.0), LOG2)


@given(pair=dst.sample_pairs(min_size=1, max_size=150), bins=st.integers(1, 30))
def test_kl_bias_matches_oracle(pair, bins):
    x, y = pair
    est = dv.kl_from_samples(x, y, bins=bins, bias_correction=MM)
    expected = naive.kl_bias(est.histogram.counts_x, est.histogram.counts_y)
    if math.isinf(expected):
        assert est.bias == math.inf
        assert est.value == math.inf == est.plugin
    else:
        assert est.bias == pytest.approx(expected, rel=1e-12, abs=1e-300)
        assert est.value == max(est.plugin - est.bias, 0.0)


def test_identical_samples_correct_below_zero_and_are_clipped():
    x = np.arange(100.0)
    est = dv.js_from_samples(x, x, bins=10, bias_correction=MM)
    # 10 bins of 10 values each side: bias (K - 1)(1/n + 1/n)/8 with p = q exactly
    assert est.plugin == 0.0
    assert est.bias == pytest.approx(9 * (2 / 100) / 8, rel=1e-12)
    assert est.value == 0.0
    assert est.plugin - est.bias < 0.0


def test_disjoint_samples_have_no_correction():
    # every occupied bin holds one sample only: Miller-Madow counts no noise there
    est = dv.js_from_samples([0.0, 0.1, 0.2], [5.0, 5.1], bins=10, bias_correction=MM)
    assert (est.plugin, est.bias, est.value) == (LOG2, 0.0, LOG2)


def test_kl_correction_keeps_an_infinite_estimate_infinite():
    est = dv.kl_from_samples([0.0, 1.0, 2.0, 3.0], [0.0, 1.0], bins=2, bias_correction=MM)
    assert (est.value, est.bias, est.off_support_mass) == (math.inf, math.inf, 0.5)


def test_without_correction_the_parts_are_the_plugin():
    est = dv.js_from_samples([0.0, 1.0, 2.0], [1.0, 2.0, 2.5], bins=3)
    assert est.plugin == est.value
    assert est.bias is None
    assert est.bias_correction is None


@pytest.mark.parametrize("estimator", [dv.js_from_samples, dv.kl_from_samples])
def test_batch_correction_equals_one_pair_at_a_time(estimator):
    rng = np.random.default_rng(30)
    x, y = rng.normal(0, 1, (20, 300)), rng.normal(0.2, 1, (20, 500))
    batch = estimator(x, y, bins=8, range=(-6, 6), bias_correction=MM, axis=1)
    for i in range(20):
        single = estimator(x[i], y[i], bins=8, range=(-6, 6), bias_correction=MM)
        assert (batch.value[i], batch.bias[i], batch.plugin[i]) == (
            single.value,
            single.bias,
            single.plugin,
        )


def test_base_scales_the_parts():
    rng = np.random.default_rng(31)
    x, y = rng.normal(0, 1, 500), rng.normal(0.5, 1, 400)
    nats = dv.js_from_samples(x, y, bins=12, bias_correction=MM)
    bits = dv.js_from_samples(x, y, bins=12, bias_correction=MM, base=2)
    assert bits.bias == nats.bias / LOG2
    assert bits.value == nats.value / LOG2
    assert "miller-madow (bias" in repr(bits)


def test_the_correction_removes_the_bias_for_equal_laws():
    # 400 replicates, P = Q, K = 8 equiprobable bins: the plug-in's mean is (K-1)/(4n), the
    # corrected one's 0, each within 4.42 standard errors (the suite's Z for 1e-4)
    rng = np.random.default_rng(32)
    n, k = 500, 8
    edges = np.concatenate([[-40.0], stats.norm.ppf(np.arange(1, k) / k), [40.0]])
    plugin, corrected = [], []
    for _ in range(400):
        est = dv.js_from_samples(
            rng.normal(size=n), rng.normal(size=n), bins=edges, bias_correction=MM
        )
        plugin.append(est.plugin)
        corrected.append(est.plugin - est.bias)
    se = np.std(corrected, ddof=1) / math.sqrt(400)
    allowance = 4.42 * se + 2 * k * k / n**2  # Monte Carlo error and the O(K^2/n^2) term
    assert abs(np.mean(plugin) - (k - 1) / (4 * n)) <= allowance
    assert abs(np.mean(corrected)) <= allowance
    assert np.mean(plugin) > allowance  # the same check rejects "the plug-in is unbiased"


# ---------------------------------------------------------------------------------------------
# Errors: every message, asserted
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, "mm", "Miller-Madow", 1])
def test_bad_bias_correction_message(value):
    with pytest.raises(
        ValueError, match=r"bias_correction must be False \(none\) or 'miller-madow'"
    ):
        dv.js_from_samples([0.0, 1.0], [1.0, 2.0], bias_correction=value)


@pytest.mark.parametrize(
    ("kwargs", "asked"),
    [({"bias_correction": MM}, "bias_correction"), ({"ci": 0.95}, "ci")],
)
def test_pseudocount_with_inference_message(kwargs, asked):
    with pytest.raises(
        ValueError, match=rf"{asked} applies to the plug-in KL \(pseudocount=0\), not to a smoothed"
    ):
        dv.kl_from_samples([0.0, 1.0], [1.0, 2.0], pseudocount=0.5, **kwargs)

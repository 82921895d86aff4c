"""divergences.gan against the mpmath oracle and the identities of Goodfellow et al. (2014)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import divergences as dv
from divergences import strategies as dst

from . import naive
from .test_discrete import assert_matches

LOG4 = math.log(4.0)


@given(
    a=st.floats(min_value=0.0, max_value=1e308),
    b=st.floats(min_value=0.0, max_value=1e308),
)
def test_optimal_discriminator_matches_oracle(a, b):
    d = float(dv.optimal_discriminator(a, b))
    # one rounding for the sum, one for the quotient (three on the overflow path)
    assert_matches(d, naive.optimal_discriminator(a, b), rtol=5e-16, atol=0.0)
    assert 0.0 <= d <= 1.0


def test_optimal_discriminator_is_half_where_both_vanish():
    out = dv.optimal_discriminator([0.0, 0.0, 2.0], [0.0, 1.0, 0.0])
    assert out.tolist() == [0.5, 0.0, 1.0]


def test_optimal_discriminator_huge_densities_do_not_overflow():
    assert dv.optimal_discriminator(1e308, 1e308) == 0.5
    assert_matches(float(dv.optimal_discriminator(1.5e308, 0.5e308)), 0.75)
    assert_matches(float(dv.optimal_discriminator(0.5e308, 1.5e308)), 0.25)


def test_optimal_discriminator_broadcasts_and_keeps_shape():
    out = dv.optimal_discriminator(np.ones((2, 1)), np.array([1.0, 3.0]))
    assert out.shape == (2, 2)
    np.testing.assert_array_equal(out, [[0.5, 0.25], [0.5, 0.25]])


@given(pair=dst.pmf_pairs(), data=st.data())
def test_gan_value_matches_oracle(pair, data):
    p, q = pair
    d = data.draw(dst.discriminators(p.size), label="d")
    assert_matches(float(dv.gan_value(p, q, d)), naive.gan_value(p, q, d), atol=1e-14)


@given(pair=dst.pmf_pairs(), data=st.data())
def test_gan_value_from_logits_matches_oracle(pair, data):
    p, q = pair
    logit = np.array(
        data.draw(st.lists(st.floats(-800, 800), min_size=p.size, max_size=p.size), label="l")
    )
    assert_matches(
        float(dv.gan_value_from_logits(p, q, logit)),
        naive.gan_value_from_logits(p, q, logit),
        atol=1e-14,
    )


def test_gan_value_from_logits_keeps_precision_where_d_saturates():
    # d = sigmoid(40) rounds to 1 - 4e-18 -> 1.0 in float, so log(1 - d) is -inf from d, but the
    # logit still knows log(1 - D) = -40 - log1p(e^-40)
    p_data, p_g = [0.5, 0.5], [0.5, 0.5]
    logit = [40.0, 0.0]
    v = float(dv.gan_value_from_logits(p_data, p_g, logit))
    assert_matches(v, naive.gan_value_from_logits(p_data, p_g, logit))
    assert dv.gan_value(p_data, p_g, 1 / (1 + np.exp(-np.array(logit)))) == -math.inf


@pytest.mark.parametrize("p", [[1.0], [0.25, 0.25, 0.5], [0.2, 0.3, 0.5], [0.125] * 8])
def test_gan_value_of_half_is_minus_log4_exactly(p):
    assert dv.gan_value(p, p, np.full(len(p), 0.5)) == -LOG4


@given(p=dst.probability_vectors())
def test_gan_value_of_half_is_minus_log4(p):
    # exact only when the normalised entries sum to exactly 1 in floats; otherwise the sequential
    # sum of 2k terms rounds by up to half an ulp of log 4 per addition: 2k * 2^-53 relative
    rtol = 2 * p.size * 2.0**-53
    assert_matches(float(dv.gan_value(p, p, np.full(p.size, 0.5))), -LOG4, rtol=rtol, atol=0.0)


def test_gan_value_infinite_where_d_contradicts_mass():
    assert dv.gan_value([0.5, 0.5], [0.5, 0.5], [0.0, 0.5]) == -math.inf
    assert dv.gan_value([0.5, 0.5], [0.5, 0.5], [1.0, 0.5]) == -math.inf
    # without mass, an extreme d costs nothing (0 log 0 = 0)
    assert dv.gan_value([1.0, 0.0], [1.0, 0.0], [0.5, 0.0]) == -LOG4


def test_gan_value_broadcasts_d_across_a_batch():
    rng = np.random.default_rng(4)
    p = rng.dirichlet(np.ones(5), size=3)
    q = rng.dirichlet(np.ones(5), size=3)
    d = rng.uniform(0.1, 0.9, size=5)
    out = dv.gan_value(p, q, d)
    assert out.shape == (3,)
    for i in range(3):
        assert_matches(float(out[i]), naive.gan_value(p[i], q[i], d))


def test_gan_value_axis_zero():
    rng = np.random.default_rng(5)
    p = rng.dirichlet(np.ones(4), size=3).T  # (4, 3): vectors along axis 0
    q = rng.dirichlet(np.ones(4), size=3).T
    d = rng.uniform(0.1, 0.9, size=(4, 3))
    out = dv.gan_value(p, q, d, axis=0)
    for i in range(3):
        assert_matches(float(out[i]), naive.gan_value(p[:, i], q[:, i], d[:, i]))


@given(pair=dst.pmf_pairs())
def test_virtual_criterion_in_range_and_matches_value_at_optimum(pair):
    p, q = pair
    c = float(dv.virtual_criterion(p, q))
    assert -LOG4 <= c <= 0.0
    assert_matches(c, naive.value_at_optimal_discriminator(p, q), atol=1e-14)


def test_virtual_criterion_extremes_exactly():
    assert dv.virtual_criterion([0.25, 0.75], [0.25, 0.75]) == -LOG4
    assert dv.virtual_criterion([1, 0], [0, 1]) == 0.0


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p_data", "p_g", "message"),
    [
        (
            [-1.0, 1.0],
            [1.0, 1.0],
            r"p_data has 1 negative entry \(min -1\); densities must be >= 0",
        ),
        ([1.0, 1.0], [np.nan, 1.0], r"p_g contains 1 NaN entry; densities must be finite"),
        ([1.0, np.inf], [1.0, 1.0], r"p_data contains 1 infinite entry"),
        (
            [1.0, 1.0],
            [1.0, 1.0, 1.0],
            r"p_data has shape \(2,\) and p_g has shape \(3,\), which do",
        ),
    ],
)
def test_optimal_discriminator_messages(p_data, p_g, message):
    with pytest.raises(ValueError, match=message):
        dv.optimal_discriminator(p_data, p_g)


@pytest.mark.parametrize(
    ("d", "message"),
    [
        ([0.5, 1.5], r"d has 1 out-of-range entry \(min 0.5, max 1.5\); .* gan_value_from_logits"),
        (
            [0.5, np.nan],
            r"d contains 1 NaN entry; a discriminator must give a value at every point",
        ),
        ([0.5, 0.5, 0.5], r"d has shape \(3,\), which does not broadcast to p_data and p_g"),
        (np.full((2, 2, 2), 0.5), r"d has 3 dimensions but p_data and p_g have 1"),
    ],
)
def test_gan_value_messages(d, message):
    with pytest.raises(ValueError, match=message):
        dv.gan_value([0.5, 0.5], [0.5, 0.5], d)


def test_gan_value_names_its_arguments():
    with pytest.raises(ValueError, match=r"p_g sums to 0.5 along axis -1, not 1"):
        dv.gan_value([0.5, 0.5], [0.25, 0.25], [0.5, 0.5])
    with pytest.raises(ValueError, match=r"p_data has 2 entries along axis -1 but p_g has 3"):
        dv.virtual_criterion([0.5, 0.5], [0.2, 0.3, 0.5])


def test_gan_value_from_logits_accepts_infinite_logits():
    assert dv.gan_value_from_logits([1.0, 0.0], [0.0, 1.0], [np.inf, -np.inf]) == 0.0
    assert dv.gan_value_from_logits([1.0, 0.0], [0.0, 1.0], [-np.inf, np.inf]) == -math.inf
    with pytest.raises(ValueError, match=r"logit contains 1 NaN entry"):
        dv.gan_value_from_logits([1.0, 0.0], [0.0, 1.0], [np.nan, 0.0])

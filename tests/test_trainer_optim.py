"""The optimisers against the textbook update written out step by step."""

from __future__ import annotations

import numpy as np
import pytest

from divergences.trainer.optim import Adam, Sgd


def adam_textbook(theta, grads, lr, beta1, beta2, eps):
    """Kingma & Ba (2015), Algorithm 1, verbatim: bias-corrected moments, then the step."""
    theta = theta.copy()
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta


@pytest.mark.parametrize(("beta1", "beta2", "eps"), [(0.9, 0.999, 1e-8), (0.5, 0.99, 1e-3)])
def test_adam_matches_textbook_with_bias_correction(beta1, beta2, eps):
    rng = np.random.default_rng(0)
    theta0 = rng.normal(size=7)
    grads = [rng.normal(scale=10.0 ** rng.integers(-4, 2), size=7) for _ in range(25)]
    theta = theta0.copy()
    adam = Adam(lr=0.01, beta1=beta1, beta2=beta2, eps=eps)
    for g in grads:
        adam.step(theta, g)
    np.testing.assert_allclose(
        theta, adam_textbook(theta0, grads, 0.01, beta1, beta2, eps), rtol=1e-13, atol=1e-15
    )
    assert adam.t == 25


def test_adam_first_step_is_lr_times_sign_thanks_to_bias_correction():
    # without the correction the first step would be lr (1 - beta1) / sqrt(1 - beta2) = 3.2 lr
    theta = np.zeros(3)
    Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-12).step(theta, np.array([5.0, -1e-3, 2.0]))
    np.testing.assert_allclose(theta, [-0.1, 0.1, -0.1], rtol=1e-8)


def test_sgd_plain_and_momentum():
    theta = np.array([1.0, 2.0])
    Sgd(lr=0.5).step(theta, np.array([1.0, -2.0]))
    np.testing.assert_array_equal(theta, [0.5, 3.0])
    # heavy ball, PyTorch convention: b_1 = g_1, b_t = mu b_{t-1} + g_t, theta -= lr b_t
    theta = np.zeros(1)
    sgd = Sgd(lr=0.1, momentum=0.9)
    for g in (1.0, 1.0, 1.0):
        sgd.step(theta, np.array([g]))
    assert theta[0] == pytest.approx(-0.1 * (1.0 + 1.9 + 2.71), rel=1e-14)
    assert sgd.t == 3


def test_adam_is_scale_invariant_where_sgd_is_not():
    # why a vanishing (saturating) gradient stalls SGD but barely slows Adam
    for scale in (1.0, 1e-6):
        theta_adam, theta_sgd = np.zeros(1), np.zeros(1)
        adam, sgd = Adam(lr=0.1), Sgd(lr=0.1)
        for _ in range(10):
            adam.step(theta_adam, np.array([scale]))
            sgd.step(theta_sgd, np.array([scale]))
        assert theta_adam[0] == pytest.approx(-1.0, rel=1e-2)
        assert theta_sgd[0] == pytest.approx(-scale, rel=1e-12)

"""Data and noise distributions of the trainer, against closed forms and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from divergences.trainer import data


def test_ring_has_eight_distinct_modes_at_angles_2_pi_i_over_8():
    ring = data.GaussianMixture.ring()
    angles = np.mod(np.arctan2(ring.centers[:, 1], ring.centers[:, 0]), 2 * np.pi)
    np.testing.assert_allclose(angles, 2 * np.pi * np.arange(8) / 8, atol=1e-12)
    np.testing.assert_allclose(np.hypot(ring.centers[:, 0], ring.centers[:, 1]), 2.0, rtol=1e-15)
    gaps = np.linalg.norm(ring.centers[:, None] - ring.centers[None], axis=-1)
    np.fill_diagonal(gaps, np.inf)
    # adjacent modes are a chord 2 r sin(pi/8) apart: all 8 are distinct
    assert gaps.min() == pytest.approx(2 * 2.0 * math.sin(math.pi / 8), rel=1e-12)
    # the bug the constructor avoids: linspace(0, 2 pi, 8) repeats its first angle
    wrong = np.linspace(0, 2 * np.pi, 8)
    assert len({(round(math.cos(a), 9), round(math.sin(a), 9)) for a in wrong}) == 7


def test_grid_has_twenty_five_distinct_modes():
    grid = data.GaussianMixture.grid()
    assert grid.n_modes == 25
    assert len({tuple(c) for c in grid.centers.tolist()}) == 25
    assert sorted(set(grid.centers.ravel().tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]


@pytest.mark.parametrize(
    "mixture", [data.GaussianMixture.ring(), data.GaussianMixture.grid()], ids=["ring", "grid"]
)
def test_mixture_samples_land_near_every_mode_with_equal_frequency(mixture):
    x = mixture.sample(np.random.default_rng(0), 40_000)
    nearest = np.argmin(np.linalg.norm(x[:, None] - mixture.centers[None], axis=-1), axis=1)
    counts = np.bincount(nearest, minlength=mixture.n_modes)
    expected = 40_000 / mixture.n_modes
    # multinomial counts: sd = sqrt(n p (1 - p)) < sqrt(expected); 5 sd is a 1-in-3e6 event
    assert np.abs(counts - expected).max() < 5 * math.sqrt(expected)
    spread = x - mixture.centers[nearest]
    assert spread.std() == pytest.approx(mixture.std, rel=0.02)


def test_two_modes_density_integrates_to_one_and_matches_cdf():
    mixture = data.GaussianMixture.two_modes(separation=6.0, std=0.5)
    lo, hi = mixture.window
    assert (lo, hi) == (-5.5, 5.5)
    total, _ = integrate.quad(lambda t: float(mixture.pdf(np.array(t))), lo, hi, points=[-3, 3])
    assert total == pytest.approx(1.0, abs=1e-6)
    x = np.array([-3.0, 0.0, 1.0])
    expected = 0.5 * stats.norm.cdf(x, -3, 0.5) + 0.5 * stats.norm.cdf(x, 3, 0.5)
    np.testing.assert_allclose(mixture.cdf(x), expected, rtol=1e-13)


def test_weighted_mixture_samples_follow_the_weights():
    mixture = data.GaussianMixture([[-10.0], [10.0]], 1.0, weights=[0.25, 0.75])
    x = mixture.sample(np.random.default_rng(1), 20_000)
    share = float(np.mean(x[:, 0] > 0))
    assert share == pytest.approx(0.75, abs=5 * math.sqrt(0.75 * 0.25 / 20_000))


def test_gaussian_matches_scipy():
    g = data.Gaussian(1.5, 2.0)
    x = np.linspace(-5, 8, 7)
    np.testing.assert_allclose(g.pdf(x), stats.norm.pdf(x, 1.5, 2.0), rtol=1e-14)
    np.testing.assert_allclose(g.cdf(x), stats.norm.cdf(x, 1.5, 2.0), rtol=1e-14)
    s = g.sample(np.random.default_rng(2), 50_000)
    assert s.shape == (50_000, 1)
    assert s.mean() == pytest.approx(1.5, abs=5 * 2.0 / math.sqrt(50_000))


def test_scipy_distribution_is_reproducible_and_has_its_density():
    gamma = data.ScipyDistribution(stats.gamma(2.0))
    a = gamma.sample(np.random.default_rng(3), 10)
    b = gamma.sample(np.random.default_rng(3), 10)
    np.testing.assert_array_equal(a, b)
    lo, hi = gamma.window
    assert stats.gamma(2.0).cdf(lo) == pytest.approx(1e-6, rel=1e-6)
    assert stats.gamma(2.0).sf(hi) == pytest.approx(1e-6, rel=1e-6)
    np.testing.assert_allclose(gamma.pdf(np.array([1.0])), stats.gamma(2.0).pdf([1.0]))


def test_noise_distributions():
    rng = np.random.default_rng(4)
    u = data.UniformNoise(3, low=-1.0, high=2.0).sample(rng, 30_000)
    assert u.shape == (30_000, 3)
    assert u.min() >= -1.0
    assert u.max() < 2.0
    assert u.mean() == pytest.approx(0.5, abs=0.02)
    g = data.GaussianNoise(2).sample(rng, 30_000)
    assert g.shape == (30_000, 2)
    np.testing.assert_allclose(np.cov(g.T), np.eye(2), atol=0.03)


def test_distributions_satisfy_the_protocols():
    for d in (data.Gaussian(), data.GaussianMixture.two_modes(), data.GaussianNoise()):
        assert isinstance(d, data.Distribution)
    assert isinstance(data.Gaussian(), data.UnivariateDistribution)
    assert not isinstance(data.GaussianNoise(), data.UnivariateDistribution)

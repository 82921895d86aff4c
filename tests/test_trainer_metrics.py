"""The trainer's measurements: histogram JSD, histogram density, D against D*, mode metrics."""

from __future__ import annotations

import math

import numpy as np
import pytest

import divergences as dv
from divergences.trainer import data, metrics

LOG2 = math.log(2.0)


def test_histogram_jsd_of_disjoint_samples_is_log2_and_of_equal_samples_is_0():
    x = np.linspace(0.0, 0.4, 50)
    assert metrics.histogram_jsd(x, x + 0.5, bins=10, range=(0.0, 1.0)) == LOG2
    assert metrics.histogram_jsd(x, x.copy(), bins=10, range=(0.0, 1.0)) == 0.0


def test_histogram_jsd_matches_a_direct_computation_with_shared_edges():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=700), rng.normal(0.3, 1.2, size=300)  # unequal sizes
    edges = np.linspace(-4.0, 4.0, 17)
    px = np.histogram(np.clip(x, -4, 4), edges)[0] / x.size
    py = np.histogram(np.clip(y, -4, 4), edges)[0] / y.size
    m = (px + py) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_x = np.nansum(np.where(px > 0, px * np.log(px / m), 0.0))
        kl_y = np.nansum(np.where(py > 0, py * np.log(py / m), 0.0))
    expected = 0.5 * kl_x + 0.5 * kl_y
    assert metrics.histogram_jsd(x, y, bins=16, range=(-4.0, 4.0)) == pytest.approx(
        expected, rel=1e-12
    )


def test_histogram_jsd_moves_far_samples_into_the_end_bins():
    # a generator far beyond the window still counts as unlike the data
    x = np.random.default_rng(1).normal(size=1000)
    assert metrics.histogram_jsd(x, x + 100.0, bins=20, range=(-5.0, 5.0)) > 0.69


def test_histogram_jsd_sampling_bias_is_about_k_minus_1_over_4n():
    # estimate.bias-order.chi-square: 4n JSD ~ chi2(K-1) for two samples of one law; over 200
    # replicates the mean of 4n JSD is K-1 = 9 with standard error sqrt(2 * 9 / 200) = 0.3;
    # allow 5 of them
    rng = np.random.default_rng(2)
    n, k = 5000, 10
    values = [
        4
        * n
        * metrics.histogram_jsd(rng.uniform(size=n), rng.uniform(size=n), bins=k, range=(0.0, 1.0))
        for _ in range(200)
    ]
    assert np.mean(values) == pytest.approx(k - 1, abs=5 * 0.3)


def test_histogram_density_integrates_to_one():
    x = np.random.default_rng(3).normal(size=2000)
    density = metrics.histogram_density(x, bins=25, range=(-2.0, 2.0))  # tails clipped in
    assert float(density.sum() * 4.0 / 25) == pytest.approx(1.0, rel=1e-12)


def test_discriminator_error_weights_by_the_mixture():
    mean, worst = metrics.discriminator_error([0.5, 0.9, 0.0], [0.5, 0.5, 1.0], [1.0, 1.0, 0.001])
    assert mean == pytest.approx((0.4 + 0.001) / 2.001, rel=1e-14)
    assert worst == pytest.approx(0.4)  # the third point carries < 1 % of the peak weight


def test_discriminator_error_of_the_optimum_is_zero():
    p_data, p_g = np.array([0.2, 0.5, 0.3]), np.array([0.4, 0.4, 0.2])
    d_star = dv.optimal_discriminator(p_data, p_g)
    assert metrics.discriminator_error(d_star, d_star, p_data + p_g) == (0.0, 0.0)


# ---------------------------------------------------------------------------------------------
# Mode metrics on constructed samples
# ---------------------------------------------------------------------------------------------

RING = data.GaussianMixture.ring()


def test_mode_metrics_of_a_balanced_generator():
    samples = np.repeat(RING.centers, 10, axis=0) + 0.01  # within 3 sigma = 0.06 of each mode
    m = metrics.mode_metrics(samples, RING.centers, RING.std)
    assert m.modes_captured == 8
    assert m.high_quality_share == 1.0
    assert m.reverse_kl == 0.0
    assert m.counts.tolist() == [10] * 8


def test_mode_metrics_of_a_collapsed_generator():
    samples = np.tile(RING.centers[3], (50, 1))
    m = metrics.mode_metrics(samples, RING.centers, RING.std)
    assert m.modes_captured == 1
    assert m.high_quality_share == 1.0
    assert m.reverse_kl == pytest.approx(math.log(8), rel=1e-15)


def test_mode_metrics_low_quality_samples_count_for_nothing():
    # 4 good samples on 2 modes, 6 far from every mode (the origin is 2 = 100 sigma away)
    samples = np.vstack([RING.centers[[0, 0, 1, 1]], np.zeros((6, 2))])
    m = metrics.mode_metrics(samples, RING.centers, RING.std)
    assert m.modes_captured == 2
    assert m.high_quality_share == pytest.approx(0.4)
    assert m.reverse_kl == pytest.approx(math.log(4), rel=1e-15)  # uniform on 2 of 8 modes


def test_mode_metrics_radius_is_three_sigma_euclidean():
    centre = RING.centers[0]
    inside = centre + 0.06 * np.array([0.6, 0.8])  # exactly 3 sigma away
    outside = centre + 0.0601 * np.array([0.6, 0.8])
    assert metrics.mode_metrics(inside[None], RING.centers, RING.std).high_quality_share == 1.0
    assert metrics.mode_metrics(outside[None], RING.centers, RING.std).high_quality_share == 0.0


def test_mode_metrics_reverse_kl_is_undefined_without_high_quality_samples():
    m = metrics.mode_metrics(np.zeros((5, 2)), RING.centers, RING.std)
    assert m.high_quality_share == 0.0
    assert m.modes_captured == 0
    assert math.isnan(m.reverse_kl)  # undefined, never 0 (which would claim a perfect fit)
    assert math.isnan(m.as_dict()["mode_reverse_kl"])


def test_mode_metrics_min_count_and_weights():
    samples = np.vstack([np.tile(RING.centers[0], (30, 1)), RING.centers[1:2]])
    assert metrics.mode_metrics(samples, RING.centers, RING.std).modes_captured == 2
    assert metrics.mode_metrics(samples, RING.centers, RING.std, min_count=2).modes_captured == 1
    two = data.GaussianMixture([[-3.0], [3.0]], 0.5, weights=[0.25, 0.75])
    m = metrics.mode_metrics([-3.0, 3.0, 3.0, 3.0], two.centers, two.std, two.weights)
    assert m.reverse_kl == pytest.approx(0.0, abs=1e-15)


def test_mode_metrics_of_true_samples_reach_the_gaussian_coverage():
    # a perfect generator: the share within 3 sigma in 2-D is 1 - exp(-9/2) = 0.9889
    x = RING.sample(np.random.default_rng(4), 40_000)
    m = metrics.mode_metrics(x, RING.centers, RING.std)
    p = 1 - math.exp(-4.5)
    assert m.high_quality_share == pytest.approx(p, abs=5 * math.sqrt(p * (1 - p) / 40_000))
    assert m.modes_captured == 8
    assert m.reverse_kl < 0.001

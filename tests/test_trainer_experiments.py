"""The seeded experiments behind the trainer's claims, at the seeds their docstrings document.

Each experiment is deterministic per seed, so these tests pin the documented outcome; the
thresholds themselves are derived in divergences.trainer.experiments and checked here against
independent computations. The runs are shared with the proof checks (proofs.trainer_runs): a
pytest session runs each experiment once.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import divergences as dv
from divergences.trainer import experiments as ex
from divergences.trainer import transform
from proofs.trainer_runs import experiment

LOG2 = math.log(2.0)


def test_plug_in_bias_and_jsd_bound_are_the_stated_formulas():
    assert ex.plug_in_jsd_bias(bins=50, n=10_000) == 49 / 40_000
    expected = (
        49 / 40_000 + 4 * math.sqrt(98) / 40_000 + float(dv.reference.js_normal(0, 1, 0.2, 1.2))
    )
    assert ex.jsd_bound(bins=50, n=10_000) == pytest.approx(expected, rel=1e-15)


def test_reference_misfit_quantile_error_matches_the_gaussian_wasserstein_distance():
    # with epsilon -> 0 the mean of |0.2 + 0.2 Phi^-1(u)| is W1(N(0,1), N(0.2, 1.2^2))
    # = E|0.2 + 0.2 Z| = 0.2 (2 phi(1) + 2 Phi(1) - 1)
    w1 = 0.2 * (2 * stats.norm.pdf(1.0) + 2 * stats.norm.cdf(1.0) - 1)
    assert transform.reference_map_error(1e-9) == pytest.approx(w1, rel=1e-6)


def test_algorithm_1_gaussian_seed_0_meets_its_thresholds():
    r = experiment("algorithm_1_gaussian", 0)
    assert r.holds, r
    assert r.jsd <= r.jsd_bound
    assert r.d_deviation <= r.d_band
    # Theorem 1: V(G, D) <= C(G) for any D (up to sampling noise, here with room to spare)
    assert r.value <= r.criterion
    # and the run started far from the data: the bound is not met at step 0
    assert r.history["jsd"][0] > 10 * r.jsd_bound


def test_discriminator_alone_approaches_the_optimum():
    r = experiment("discriminator_alone", 0)
    assert r.holds, r
    assert r.d_error < 0.05 * r.d_error_indifferent
    assert r.d_error_histogram < 0.05 * r.d_error_indifferent
    assert r.value_gap_indifferent == pytest.approx(2 * dv.reference.js_normal(0, 1, 1.5, 0.5))


def test_saturating_loss_stalls_where_non_saturating_escapes():
    r = experiment("saturating_stall", 0)
    assert r.holds, r
    assert r.saturating.jsd >= LOG2 - 0.01
    assert r.saturating.d_generator < 1e-3  # the factor on the saturating gradient
    assert abs(r.saturating.mean_end - r.saturating.mean_start) < 1.0  # of 8 to go
    assert abs(r.non_saturating.mean_end - ex.DATA_MEAN) < 0.25 * 8
    # the stall is the falsifier of gan.algorithm-1: the same check rejects it
    assert not r.saturating.holds
    assert r.non_saturating.holds


def test_learned_map_is_increasing_and_close_to_the_inverse_normal_cdf():
    r = experiment("learned_inverse_cdf", 0)
    assert r.holds, r
    assert r.increasing  # seed 0, as documented
    assert r.mean_error <= r.mean_error_bound
    assert r.mean_error_bound == pytest.approx(0.222873889, rel=1e-6)


def test_histogram_js_is_flat_in_the_generator_parameters():
    r = experiment("histogram_js_flatness", 0)
    assert r.holds, r
    assert r.zero_share_shift == 1.0
    assert r.zero_share_parameters == 1.0
    assert r.zero_share_kl == 1.0
    assert r.finite_kl > 100
    assert r.distinct_values > 10


def test_flatness_with_a_smoothed_estimator_is_not_flat():
    from divergences.trainer.transform import histogram_js_flatness

    def smoothed(x, y):  # JSD of kernel-smoothed densities on a grid: differentiable
        grid = np.linspace(-8.0, 8.0, 201)
        kde = [np.exp(-0.5 * ((grid[:, None] - s[None, :]) / 0.3) ** 2).sum(axis=1) for s in (x, y)]
        return float(dv.js_divergence(kde[0], kde[1], normalize=True))

    r = histogram_js_flatness(0, n=200, bins=20, estimator=smoothed)
    assert r.zero_share_shift < 0.1
    assert r.zero_share_parameters < 0.1
    assert not r.holds


def test_flatness_estimator_must_be_callable():
    from divergences.trainer.transform import histogram_js_flatness

    with pytest.raises(TypeError, match=r"estimator must be a callable estimator\(data, "):
        histogram_js_flatness(0, n=50, estimator="histogram")


def test_non_saturating_gan_on_two_modes_tends_to_keep_one():
    r = experiment("mode_seeking_two_modes")
    assert r.holds, r
    assert r.single_mode_runs >= 3
    for captured, rkl, counts in zip(r.modes_captured, r.reverse_kl, r.counts, strict=True):
        if captured == 1:
            assert rkl == pytest.approx(LOG2, rel=1e-12)
            assert min(counts) < 100
    # a collapsed generator fits worse in JSD than the 3/4 log(4/3) of a perfect one-mode fit
    one_mode = [j for j, m in zip(r.jsd, r.modes_captured, strict=True) if m == 1]
    assert min(one_mode) > 0.75 * math.log(4 / 3) - 0.01
    assert np.isfinite(r.high_quality_share).all()


def test_mode_seeking_check_rejects_a_generator_that_covers_both_modes():
    # the falsifier "the trained generator covers both modes": a leaky-ReLU generator trained at
    # the discriminator's rate makes the jump between the modes, and the same check fails
    r = experiment(
        "mode_seeking_two_modes",
        n_steps=4000,
        generator_activation="leaky_relu",
        generator_lr=1e-3,
    )
    assert not r.holds, r
    assert r.modes_captured.count(2) >= 2


def test_the_results_carry_the_arrays_their_numbers_come_from():
    alone = experiment("discriminator_alone", 0)
    assert alone.grid.shape == alone.d.shape == alone.p_data.shape == alone.p_g.shape == (801,)
    assert np.all((alone.d > 0) & (alone.d < 1))
    np.testing.assert_allclose(alone.p_g, stats.norm.pdf(alone.grid, 1.5, 0.5), rtol=1e-15)
    weight = 0.5 * (alone.p_data + alone.p_g)
    d_star = alone.p_data / (alone.p_data + alone.p_g)
    recomputed = float(np.sum(weight * np.abs(alone.d - d_star)) / np.sum(weight))
    assert recomputed == pytest.approx(alone.d_error, rel=1e-9)

    learned = experiment("learned_inverse_cdf", 0)
    assert learned.levels.shape == learned.values.shape == (961,)
    error = np.abs(learned.values - stats.norm.ppf(learned.levels))
    assert float(error.mean()) == pytest.approx(learned.mean_error, rel=1e-12)
    for array in (alone.grid, alone.d, alone.p_data, alone.p_g, learned.levels, learned.values):
        with pytest.raises(ValueError, match="read-only"):  # results are cached and shared
            array[0] = 0.0


def test_flatness_with_the_histogram_as_an_explicit_estimator_is_the_default():
    from divergences.trainer import metrics
    from divergences.trainer.transform import histogram_js_flatness

    def histogram(x, y):
        return metrics.histogram_jsd(x, y, bins=20, range=(-8.0, 8.0))

    default = histogram_js_flatness(0, n=200, bins=20)
    explicit = histogram_js_flatness(0, n=200, bins=20, estimator=histogram)
    assert explicit == default

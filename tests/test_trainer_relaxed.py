"""The seed's histogram method relaxed (divergences.trainer.transform, claim
transform.relaxed-histogram): the soft histogram's hand-written gradient against finite
differences, the hard histogram's zero gradient, the quadrature route, errors, reproducibility.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy import integrate, special, stats

from divergences.trainer import mlp
from divergences.trainer.mlp import Mlp
from divergences.trainer.transform import (
    RELAXED_SIZES,
    ROUTE_BINS,
    ROUTE_SIZE,
    HardHistogramLoss,
    SoftHistogramLoss,
    learn_map_relaxed_histogram,
    pushforward_jsd,
)
from proofs.tolerances import FD_STEP, Z_SCORE
from proofs.trainer_runs import experiment

LOG2 = math.log(2.0)

#: Central differences with h = 1e-5 of a loss of order 0.1 evaluated to ~1e-16: truncation
#: h^2 |f'''| / 6 and round-off eps |f| / h are both ~1e-11, against gradients of order 1e-2:
#: a relative error (to the largest component) of 1e-7 leaves two orders of room (measured:
#: ~5e-10 in the outputs, ~2e-10 in the parameters).
GRADIENT_RTOL = 1e-7


def _central_differences(f, x, h):
    """Central differences of a scalar function f at x along every coordinate."""
    out = np.empty(x.size)
    for j in range(x.size):
        step = np.zeros(x.size)
        step[j] = h
        out[j] = (f(x + step) - f(x - step)) / (2.0 * h)
    return out


def _net_and_batch(seed, n=128):
    rng = np.random.default_rng(seed)
    net = mlp.init_mlp(RELAXED_SIZES, activation="tanh", rng=rng)
    return net, 2.0 * rng.uniform(size=(n, 1)) - 1.0


def _parameter_loss(net, z, loss):
    def at(flat):
        return loss(mlp.forward(Mlp(net.sizes, net.activation, flat), z)[0])[0]

    return at


# --- the soft histogram's gradient -------------------------------------------------------------


@pytest.mark.parametrize("bandwidth", [0.5, 1.0, 3.0])
def test_soft_gradient_in_the_outputs_matches_central_differences(bandwidth):
    rng = np.random.default_rng(19)
    # values inside the bins, in the open end bins, and 60 bandwidths beyond the range
    y = np.concatenate([rng.normal(0.3, 0.7, 60), [-5.0, 4.5, 16.0]])
    loss = SoftHistogramLoss(bins=40, range=(-4.0, 4.0), bandwidth=bandwidth)
    _, grad = loss(y)
    numeric = _central_differences(lambda v: loss(v)[0], y, FD_STEP)
    assert np.abs(numeric - grad).max() <= GRADIENT_RTOL * np.abs(grad).max()


def test_soft_gradient_in_the_parameters_matches_central_differences():
    # the chain rule through the soft histogram and then through mlp.backward
    net, z = _net_and_batch(3)
    loss = SoftHistogramLoss()
    out, cache = mlp.forward(net, z)
    _, grad_out = loss(out)
    grads = mlp.backward(net, cache, grad_out[:, None])[0].flat
    numeric = _central_differences(_parameter_loss(net, z, loss), net.flat.copy(), FD_STEP)
    assert np.abs(numeric - grads).max() <= GRADIENT_RTOL * np.abs(grads).max()


def test_soft_gradient_conserves_mass_a_common_shift_moves_the_loss_by_the_gradient_sum():
    # d/dt JSD(y + t) = sum_i dJSD/dy_i: a second check of the gradient, in one direction
    y = np.random.default_rng(4).normal(size=200)
    loss = SoftHistogramLoss(bins=25, range=(-3.0, 3.0))
    _, grad = loss(y)
    numeric = (loss(y + FD_STEP)[0] - loss(y - FD_STEP)[0]) / (2.0 * FD_STEP)
    assert abs(numeric - grad.sum()) <= GRADIENT_RTOL * np.abs(grad).sum()


# --- the soft histogram and its target ---------------------------------------------------------


def _bin_probabilities(law, edges):
    """Bin probabilities with open end bins by scipy: cdf differences below the median, sf
    differences above it (1 - cdf would lose the small upper bins' digits)."""
    inner = edges[1:-1]
    by_cdf = np.diff(np.concatenate([[0.0], law.cdf(inner), [1.0]]))
    by_sf = -np.diff(np.concatenate([[1.0], law.sf(inner), [0.0]]))
    centres = np.concatenate([[-np.inf], 0.5 * (inner[1:] + inner[:-1]), [np.inf]])
    return np.where(centres < law.median(), by_cdf, by_sf)


def test_target_is_the_normal_blurred_by_the_kernel_binned_with_open_end_bins():
    loss = SoftHistogramLoss(bins=20, range=(-3.0, 5.0), bandwidth=2.0)
    s = 2.0 * 8.0 / 20
    assert loss.scale == s
    expected = _bin_probabilities(stats.norm(0.0, math.sqrt(1.0 + s * s)), loss.edges)
    np.testing.assert_allclose(loss.target, expected, rtol=1e-12, atol=0.0)
    hard = HardHistogramLoss(bins=20, range=(-3.0, 5.0))
    np.testing.assert_allclose(
        hard.target, _bin_probabilities(stats.norm(), hard.edges), rtol=1e-12, atol=0.0
    )


def test_soft_histogram_of_a_normal_sample_has_the_target_as_its_mean():
    # why the target is N(0, 1 + s^2): it is the expected soft histogram of N(0, 1) draws.
    # Each draw puts a mass in [0, 1] in bin k with mean q_k, so the bin's mean over n draws
    # has standard deviation at most sqrt(q_k (1 - q_k) / n).
    n = 100_000
    loss = SoftHistogramLoss()
    p = loss.histogram(np.random.default_rng(5).standard_normal(n))
    q = loss.target
    assert np.all(np.abs(p - q) <= Z_SCORE * np.sqrt(q * (1.0 - q) / n))


def test_soft_histogram_sums_to_one_and_tends_to_the_hard_one_as_the_bandwidth_vanishes():
    rng = np.random.default_rng(6)
    y = rng.normal(0.0, 2.0, 500)
    edges = np.linspace(-4.0, 4.0, 41)
    # keep every value at least 1e-6 from an edge: with s = 2e-9 a value leaks Phi(-500) = 0
    y = y[np.abs(y[:, None] - edges[None, :]).min(axis=1) > 1e-6]
    sharp = SoftHistogramLoss(bandwidth=1e-8).histogram(y)
    hard = HardHistogramLoss().histogram(y)
    np.testing.assert_allclose(sharp, hard, rtol=0.0, atol=1e-15)
    assert math.isclose(SoftHistogramLoss().histogram(y).sum(), 1.0, rel_tol=1e-14)
    # the hard histogram is metrics.histogram_jsd's: values beyond range in the end bins
    clipped = np.histogram(np.clip(y, -4.0, 4.0), bins=edges)[0] / y.size
    np.testing.assert_array_equal(hard, clipped)


def test_soft_loss_stays_finite_for_outputs_far_from_every_bin():
    # masses like Phi(-130) are formed in logs: no 0, no log 0, no nan, and no epsilon
    y = np.random.default_rng(8).normal(30.0, 1.0, 50)
    jsd, grad = SoftHistogramLoss()(y)
    assert 0.0 < jsd < LOG2
    assert np.isfinite(grad).all()


# --- the hard histogram: zero gradient almost everywhere ---------------------------------------


def test_hard_gradient_is_zero_and_finite_differences_vanish_for_almost_every_parameter():
    net, z = _net_and_batch(11, n=256)
    loss = HardHistogramLoss()
    out, cache = mlp.forward(net, z)
    _, grad_out = loss(out)
    assert np.all(grad_out == 0.0)
    assert np.all(mlp.backward(net, cache, grad_out[:, None])[0].flat == 0.0)
    h = 1e-9
    at = _parameter_loss(net, z, loss)
    inner = loss.edges[1:-1]
    zero, changed = [], []
    for j in range(net.flat.size):
        plus, minus = net.flat.copy(), net.flat.copy()
        plus[j] += h
        minus[j] -= h
        zero.append(at(plus) == at(minus))
        bins = [
            np.searchsorted(inner, mlp.forward(Mlp(net.sizes, net.activation, v), z)[0], "right")
            for v in (plus, minus)
        ]
        changed.append(bool(np.any(bins[0] != bins[1])))
    zero_arr, changed_arr = np.array(zero), np.array(changed)
    # the loss depends on the parameters only through the bin of each output
    assert not np.any(~zero_arr & ~changed_arr)
    # a difference is nonzero only if one of the 256 outputs lies within ~h of one of the 39
    # edges: a chance of order 1e-5 per parameter here, so at most 1% of 321 is generous
    assert zero_arr.mean() >= 0.99


def test_hard_loss_is_flat_along_almost_every_random_direction():
    net, z = _net_and_batch(12, n=256)
    at = _parameter_loss(net, z, HardHistogramLoss())
    rng = np.random.default_rng(13)
    h = 1e-9
    flat = []
    for _ in range(200):
        d = rng.standard_normal(net.flat.size)
        d /= np.linalg.norm(d)
        flat.append(at(net.flat + h * d) == at(net.flat - h * d))
    assert np.mean(flat) >= 0.99


def test_hard_training_never_moves_the_map_and_soft_training_does():
    hard = learn_map_relaxed_histogram(0, binning="hard", n_steps=100)
    assert hard.displacement == 0.0
    soft = learn_map_relaxed_histogram(0, n_steps=100)
    np.testing.assert_array_equal(soft.initial_values, hard.initial_values)  # same start
    assert soft.displacement > 0.5  # the initial map spans less than 0.1 data units


# --- the independent routes --------------------------------------------------------------------


def test_pushforward_jsd_of_a_nonlinear_map_matches_quadrature_of_the_densities():
    # G = 1.5 tanh(2z) with z = 2u - 1: its inverse is explicit, z = atanh(y / 1.5) / 2, so the
    # pushforward density is du/dy = 1 / (6 (1 - (y / 1.5)^2)) on G([-1, 1]); scipy's adaptive
    # quadrature in y of the JSD's integrand is a route without G' or Gauss-Legendre
    net = Mlp((1, 1, 1), "tanh", np.array([2.0, 0.0, 1.5, 0.0]))
    lo, hi = 1.5 * math.tanh(-2.0), 1.5 * math.tanh(2.0)

    def density(y):
        return 1.0 / (6.0 * (1.0 - (y / 1.5) ** 2))

    def integrand(y):
        p = density(y) if lo < y < hi else 0.0
        q = stats.norm.pdf(y)
        m = 0.5 * (p + q)
        return 0.5 * (special.xlogy(p, p / m) + special.xlogy(q, q / m))

    by_densities = integrate.quad(integrand, -20.0, 20.0, points=[lo, hi], limit=400)[0]
    assert pushforward_jsd(net) == pytest.approx(by_densities, rel=1e-8)


def test_learned_map_sample_route_stays_below_quadrature_plus_the_plug_in_allowance():
    # binning only lowers a JSD (data processing); the plug-in adds (K - 1)/(4n) on average,
    # with standard deviation sqrt(2 (K - 1))/(4n)
    r = experiment("learn_map_relaxed_histogram", 0, binning="soft")
    sd = math.sqrt(2.0 * (ROUTE_BINS - 1)) / (4.0 * ROUTE_SIZE)
    assert r.jsd_samples_bias == (ROUTE_BINS - 1) / (4.0 * ROUTE_SIZE)
    assert r.jsd_samples <= r.jsd + r.jsd_samples_bias + Z_SCORE * sd
    # and the quadrature does not depend on its nodes (the integrand is analytic in u)
    assert pushforward_jsd(r.generator, nodes=100) == pytest.approx(r.jsd, rel=1e-10)


# --- reproducibility ---------------------------------------------------------------------------


def test_a_seed_fixes_the_run_and_another_seed_changes_it():
    a = learn_map_relaxed_histogram(5, n_steps=60)
    b = learn_map_relaxed_histogram(5, n_steps=60)
    c = learn_map_relaxed_histogram(6, n_steps=60)
    np.testing.assert_array_equal(a.generator.flat, b.generator.flat)
    np.testing.assert_array_equal(a.losses, b.losses)
    np.testing.assert_equal(
        (a.jsd, a.jsd_samples, a.increasing_share), (b.jsd, b.jsd_samples, b.increasing_share)
    )
    assert not np.array_equal(a.values, c.values)
    assert a.jsd_samples != c.jsd_samples


# --- errors ------------------------------------------------------------------------------------

_BAD_LOSS_ARGUMENTS = [
    ({"bins": 1}, ValueError, "bins must be at least 2: the end bins are open"),
    ({"bins": 2.5}, TypeError, "bins must be an integer >= 2, the number of bins K; got 2.5"),
    ({"bins": True}, TypeError, "bins must be an integer >= 2, the number of bins K; got True"),
    ({"range": (1.0, 1.0)}, ValueError, "range must be finite with lo < hi; got (1.0, 1.0)"),
    ({"range": (0.0, math.inf)}, ValueError, "range must be finite with lo < hi"),
    ({"range": None}, TypeError, "range must be a pair (lo, hi) of finite numbers; got None"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), _BAD_LOSS_ARGUMENTS)
@pytest.mark.parametrize("loss", [SoftHistogramLoss, HardHistogramLoss])
def test_bad_bins_and_range_are_refused_by_both_losses(loss, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        loss(**kwargs)


@pytest.mark.parametrize("bandwidth", [0.0, -1.0, math.nan, math.inf])
def test_bandwidth_must_be_positive_and_finite(bandwidth):
    message = (
        f"bandwidth must be finite and > 0 (the kernel's standard deviation in bin widths; 1.0 "
        f"is one bin); got {bandwidth!r}. Bandwidth 0 is the hard histogram, whose gradient is "
        f"zero almost everywhere: use HardHistogramLoss for it."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        SoftHistogramLoss(bandwidth=bandwidth)


def test_bandwidth_must_be_a_number():
    with pytest.raises(
        TypeError,
        match=re.escape(
            "bandwidth must be a real number > 0, the kernel's standard deviation in bin widths; "
            "got '1' of type str."
        ),
    ):
        SoftHistogramLoss(bandwidth="1")


@pytest.mark.parametrize("loss", [SoftHistogramLoss(), HardHistogramLoss()])
def test_losses_refuse_bad_samples(loss):
    with pytest.raises(ValueError, match=re.escape("y must be finite; got")):
        loss(np.array([0.0, math.nan]))
    with pytest.raises(
        ValueError, match=re.escape("y must have shape (n, 1) with n >= 1 to match 1-D data")
    ):
        loss(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=re.escape("got shape (0,)")):
        loss.histogram(np.array([]))


def test_soft_loss_refuses_outputs_beyond_float64_range_of_the_bins():
    with pytest.raises(
        ValueError,
        match=re.escape("y lies so far from the bins (up to 1e+200) that the soft mass of a bin"),
    ):
        SoftHistogramLoss()(np.array([1e200]))


@pytest.mark.parametrize("loss", [SoftHistogramLoss, HardHistogramLoss])
def test_a_range_too_wide_for_float64_is_refused(loss):
    with pytest.raises(
        ValueError,
        match=re.escape(
            "range (-1e+300 to 1e+300 for the interior edges) is too wide for float64: a bin's "
            "normal mass underflows even in logs. Keep range within a few hundred standard "
            "deviations of 0, e.g. (-4.0, 4.0)."
        ),
    ):
        loss(bins=4, range=(-2e300, 2e300))


def test_pushforward_jsd_refuses_what_it_cannot_integrate():
    bump = Mlp((1, 2, 1), "tanh", np.array([2.0, 2.0, 1.0, -1.0, 1.0, -1.0, 0.0]))
    with pytest.raises(
        ValueError,
        match=re.escape("generator is not strictly monotone on [0, 1]: its derivative changes"),
    ):
        pushforward_jsd(bump)
    with pytest.raises(
        TypeError,
        match=re.escape(
            "generator must be a Mlp; got list. Build one with init_mlp((1, 16, 16, 1), rng=...)."
        ),
    ):
        pushforward_jsd([1.0])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "generator must map one noise value to one data value (sizes (1, ..., 1)); got "
            "sizes (2, 1)."
        ),
    ):
        pushforward_jsd(Mlp((2, 1), "tanh", np.zeros(3)))
    with pytest.raises(ValueError, match=re.escape("nodes must be an integer >= 1; got 0.")):
        pushforward_jsd(Mlp((1, 1), "tanh", np.array([1.0, 0.0])), nodes=0)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"binning": "smooth"}, ValueError, "binning must be one of 'soft', 'hard'; got 'smooth'."),
        (
            {"target": "normal"},
            ValueError,
            "target must be one of 'exact', 'sample'; got 'normal'.",
        ),
        (
            {"binning": "hard", "target": "sample"},
            ValueError,
            "target='sample' applies to binning='soft' only: the hard histogram's target is the "
            "exact N(0, 1) bins. Drop target, or use binning='soft'.",
        ),
        (
            {"binning": "hard", "bandwidth": 1.0},
            ValueError,
            "bandwidth applies to binning='soft' only: the hard histogram has no kernel; got "
            "bandwidth=1.0 with binning='hard'. Drop bandwidth, or use binning='soft'.",
        ),
        ({"bandwidth": 0.0}, ValueError, "bandwidth must be finite and > 0"),
        ({"bins": 1}, ValueError, "bins must be at least 2"),
        ({"batch_size": 0}, ValueError, "batch_size must be an integer >= 1; got 0."),
        ({"n_steps": 0}, ValueError, "n_steps must be an integer >= 1; got 0."),
        ({"lr": 0.0}, ValueError, "lr must be > 0; got 0.0."),
        ({"seed": -1}, ValueError, "seed must be a non-negative integer; got -1."),
        ({"seed": 1.5}, TypeError, "seed must be a non-negative integer (the run records it"),
    ],
)
def test_learn_map_refuses_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        learn_map_relaxed_histogram(**{"n_steps": 5, **kwargs})


def test_a_sample_target_is_the_soft_histogram_of_that_sample():
    sample = np.random.default_rng(5).standard_normal(300)
    loss = SoftHistogramLoss(bins=20, range=(-3.0, 3.0), bandwidth=1.0, target_sample=sample)
    np.testing.assert_allclose(loss.target, loss.histogram(sample), rtol=1e-13)
    exact = SoftHistogramLoss(bins=20, range=(-3.0, 3.0), bandwidth=1.0)
    assert not np.allclose(loss.target, exact.target, rtol=1e-3)

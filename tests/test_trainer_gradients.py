"""Gradients of every layer, of the MLPs and of the GAN losses against central finite differences.

Float64 throughout. A central difference with step h has truncation error O(h^2 f''') and
rounding error O(eps |f| / h); h = 1e-6 puts both near 1e-10 relative for these smooth, O(1)
functions, so a relative error below RTOL = 1e-6 leaves four orders of magnitude of room and
still catches any wrong factor or sign. Kinks (ReLU at 0) are kept away from every evaluation
point by construction: each test asserts that no pre-activation lies within KINK_MARGIN of 0.
"""

from __future__ import annotations

import copy
import math
import pickle
from collections.abc import Callable

import numpy as np
import pytest

from divergences.trainer import compiled, gradients, layers, losses, mlp

RTOL = 1e-6
H = 1e-6
KINK_MARGIN = 1e-4


def numerical_gradient(f: Callable[[], float], x: np.ndarray) -> np.ndarray:
    """Central differences of f() with respect to every entry of x (perturbed in place)."""
    grad = np.empty_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + H
        plus = f()
        flat[i] = old - H
        minus = f()
        flat[i] = old
        out[i] = (plus - minus) / (2.0 * H)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """||a - n|| / max(||a||, ||n||): scale-free, defined when one side is a zero vector."""
    scale = max(float(np.linalg.norm(analytic)), float(np.linalg.norm(numeric)))
    assert scale > 0.0, "both gradients vanish: the check would prove nothing"
    return float(np.linalg.norm(analytic - numeric)) / scale


def assert_gradient(analytic: np.ndarray, f: Callable[[], float], x: np.ndarray) -> None:
    numeric = numerical_gradient(f, x)
    err = relative_error(analytic, numeric)
    assert err < RTOL, f"relative error {err:.3g} >= {RTOL}; analytic {analytic}, numeric {numeric}"


def away_from_kinks(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    x = rng.normal(size=shape)
    x[np.abs(x) < KINK_MARGIN] = 0.5
    return x


# ---------------------------------------------------------------------------------------------
# Layers: loss L = sum(out * r) for a fixed random r, so dL/dout = r
# ---------------------------------------------------------------------------------------------


def test_linear_layer_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    w, b, x = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(5, 3))
    r = rng.normal(size=(5, 4))

    def loss() -> float:
        return float(np.sum(layers.linear_forward(w, b, x)[0] * r))

    _, cache = layers.linear_forward(w, b, x)
    grad_w, grad_b, grad_x = layers.linear_backward(w, cache, r)
    assert_gradient(grad_w, loss, w)
    assert_gradient(grad_b, loss, b)
    assert_gradient(grad_x, loss, x)


@pytest.mark.parametrize(
    ("forward", "backward"),
    [
        (layers.leaky_relu_forward, layers.leaky_relu_backward),
        (layers.relu_forward, layers.relu_backward),
        (layers.tanh_forward, layers.tanh_backward),
    ],
    ids=["leaky_relu", "relu", "tanh"],
)
def test_activation_gradient_matches_finite_differences(forward, backward):
    rng = np.random.default_rng(1)
    x = away_from_kinks(rng, (6, 4))
    r = rng.normal(size=(6, 4))

    def loss() -> float:
        return float(np.sum(forward(x)[0] * r))

    assert_gradient(backward(forward(x)[1], r), loss, x)


def test_activations_values():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(layers.leaky_relu_forward(x)[0], [-0.4, -0.1, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(layers.relu_forward(x)[0], [0.0, 0.0, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(layers.tanh_forward(x)[0], np.tanh(x))


# ---------------------------------------------------------------------------------------------
# Whole MLPs, both engines
# ---------------------------------------------------------------------------------------------

ENGINES = {
    "numpy": (mlp.forward, mlp.backward, mlp.backward_input),
    "numba": (compiled.forward, compiled.backward, compiled.backward_input),
}


def pre_activations(net: mlp.Mlp, x: np.ndarray) -> list[np.ndarray]:
    out, pre = x, []
    for i, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        z = out @ w + b
        pre.append(z)
        out = mlp.ACTIVATIONS[net.activation][0](z)[0] if i < len(net.weights) - 1 else z
    return pre


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("activation", ["leaky_relu", "relu", "tanh"])
@pytest.mark.parametrize("sizes", [(1, 1), (1, 8, 1), (2, 6, 5, 3)], ids=str)
def test_mlp_gradients_match_finite_differences(engine, activation, sizes):
    forward, backward, backward_input = ENGINES[engine]
    rng = np.random.default_rng(2)
    net = mlp.init_mlp(sizes, activation=activation, rng=rng)
    x = rng.normal(size=(7, sizes[0]))
    for z in pre_activations(net, x)[:-1]:
        assert np.abs(z).min() > KINK_MARGIN, "a pre-activation sits on a kink; pick another seed"
    r = rng.normal(size=(7, sizes[-1]))

    def loss() -> float:
        return float(np.sum(forward(net, x)[0] * r))

    _out, cache = forward(net, x)
    grads, grad_x = backward(net, cache, r)
    assert_gradient(grads.flat, loss, net.flat)
    assert_gradient(grad_x, loss, x)
    np.testing.assert_array_equal(backward_input(net, cache, r), grad_x)


@pytest.mark.parametrize("activation", ["leaky_relu", "relu", "tanh"])
def test_compiled_passes_agree_with_numpy_reference(activation):
    rng = np.random.default_rng(3)
    net = mlp.init_mlp((2, 16, 16, 3), activation=activation, rng=rng)
    x, r = rng.normal(size=(64, 2)), rng.normal(size=(64, 3))
    out_numpy, cache_numpy = mlp.forward(net, x)
    out_numba, cache_numba = compiled.forward(net, x)
    np.testing.assert_allclose(out_numba, out_numpy, rtol=1e-12, atol=1e-14)
    grads_numpy, gx_numpy = mlp.backward(net, cache_numpy, r)
    grads_numba, gx_numba = compiled.backward(net, cache_numba, r)
    np.testing.assert_allclose(grads_numba.flat, grads_numpy.flat, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(gx_numba, gx_numpy, rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("engine", ENGINES)
def test_second_forward_pass_does_not_corrupt_first_backward(engine):
    # the classic numpy-GAN bug: a layer keeps its activations on self, so the generator step's
    # forward pass through D overwrites what the pending D backward pass needs
    forward, backward, _ = ENGINES[engine]
    rng = np.random.default_rng(4)
    net = mlp.init_mlp((1, 8, 8, 1), rng=rng)
    x1, x2 = rng.normal(size=(16, 1)), rng.normal(3.0, 2.0, size=(16, 1))
    r = rng.normal(size=(16, 1))
    expected = backward(net, forward(net, x1)[1], r)
    _, cache1 = forward(net, x1)
    forward(net, x2)  # a second pass, pending backward of the first
    grads, grad_x = backward(net, cache1, r)
    np.testing.assert_array_equal(grads.flat, expected[0].flat)
    np.testing.assert_array_equal(grad_x, expected[1])
    # and the two passes do differ, so the check above could have failed
    assert not np.array_equal(backward(net, forward(net, x2)[1], r)[0].flat, grads.flat)


def test_mlp_parameter_views_share_the_flat_vector():
    net = mlp.init_mlp((2, 3, 1), rng=np.random.default_rng(5))
    net.weights[0][1, 2] = 42.0
    net.biases[1][0] = -7.0
    assert net.flat[1 * 3 + 2] == 42.0
    assert net.flat[-1] == -7.0
    assert mlp.parameter_count((2, 3, 1)) == net.flat.size == 2 * 3 + 3 + 3 * 1 + 1


@pytest.mark.parametrize(
    "duplicate", [copy.deepcopy, lambda net: pickle.loads(pickle.dumps(net)), mlp.Mlp.copy]
)
def test_copies_of_an_mlp_keep_their_views_on_their_own_flat_vector(duplicate):
    net = mlp.init_mlp((2, 3, 1), rng=np.random.default_rng(5))
    twin = duplicate(net)
    twin.flat[:] = 0.0
    assert not twin.weights[0].any()
    assert not twin.biases[1].any()
    assert net.flat.any()
    assert net.weights[0].any()


def test_init_mlp_uses_pytorch_default_bounds():
    net = mlp.init_mlp((4, 100, 1), rng=np.random.default_rng(6))
    assert np.abs(net.weights[0]).max() <= 0.5  # 1/sqrt(4)
    assert np.abs(net.weights[1]).max() <= 0.1  # 1/sqrt(100)
    assert np.abs(net.weights[0]).max() > 0.45  # and fills the range


# ---------------------------------------------------------------------------------------------
# Losses, from logits
# ---------------------------------------------------------------------------------------------


def test_discriminator_loss_gradient_matches_finite_differences():
    rng = np.random.default_rng(7)
    real, fake = rng.normal(0, 3, size=(5, 1)), rng.normal(0, 3, size=(4, 1))
    _, grad_real, grad_fake = losses.discriminator_loss(real, fake)
    assert_gradient(grad_real, lambda: losses.discriminator_loss(real, fake)[0], real)
    assert_gradient(grad_fake, lambda: losses.discriminator_loss(real, fake)[0], fake)


@pytest.mark.parametrize("saturating", [True, False], ids=["saturating", "non-saturating"])
def test_generator_loss_gradient_matches_finite_differences(saturating):
    logit = np.random.default_rng(8).normal(0, 3, size=(6, 1))
    _, grad = losses.generator_loss(logit, saturating=saturating)
    assert_gradient(grad, lambda: losses.generator_loss(logit, saturating=saturating)[0], logit)


def test_losses_match_their_definitions_on_moderate_logits():
    logit = np.array([[-3.0], [0.0], [2.5]])
    d = 1.0 / (1.0 + np.exp(-logit))
    loss_d, _, _ = losses.discriminator_loss(logit, logit)
    assert loss_d == pytest.approx(-np.mean(np.log(d)) - np.mean(np.log(1 - d)), rel=1e-14)
    sat, _ = losses.generator_loss(logit, saturating=True)
    non, _ = losses.generator_loss(logit, saturating=False)
    assert sat == pytest.approx(np.mean(np.log(1 - d)), rel=1e-14)
    assert non == pytest.approx(-np.mean(np.log(d)), rel=1e-14)


def test_saturating_gradient_vanishes_and_non_saturating_does_not():
    # gan.saturating-gradient: d/dl log(1 - sigma(l)) = -sigma(l) -> 0 as D(G(z)) -> 0, while
    # d/dl [-log sigma(l)] = -(1 - sigma(l)) -> -1; both exact from the logits, no rounding to 0
    logit = np.array([[-40.0]])
    _, sat = losses.generator_loss(logit, saturating=True)
    _, non = losses.generator_loss(logit, saturating=False)
    assert sat[0, 0] == pytest.approx(-math.exp(-40.0) / (1.0 + math.exp(-40.0)), rel=1e-14)
    assert sat[0, 0] < 0.0
    assert non[0, 0] == pytest.approx(-1.0, rel=1e-15)


def test_losses_stay_finite_for_extreme_logits():
    logit = np.array([[-1000.0], [1000.0]])
    loss_d, grad_real, grad_fake = losses.discriminator_loss(logit, logit)
    # softplus(-l) on the real half is (1000, 0), softplus(l) on the fake half (0, 1000)
    assert loss_d == pytest.approx(500.0 + 500.0, rel=1e-15)
    np.testing.assert_array_equal(grad_real[:, 0], [-0.5, 0.0])
    np.testing.assert_array_equal(grad_fake[:, 0], [0.0, 0.5])
    assert losses.generator_loss(logit, saturating=False)[0] == pytest.approx(500.0, rel=1e-15)
    assert losses.generator_loss(logit, saturating=True)[0] == pytest.approx(-500.0, rel=1e-15)
    np.testing.assert_array_equal(losses.sigmoid(np.array([-800.0, 800.0])), [0.0, 1.0])


# ---------------------------------------------------------------------------------------------
# The full step gradients of Algorithm 1, both engines
# ---------------------------------------------------------------------------------------------


def gan_pair(activation="tanh", seed=9, discriminator_activation=None):
    rng = np.random.default_rng(seed)
    generator = mlp.init_mlp((2, 6, 1), activation=activation, rng=rng)
    discriminator = mlp.init_mlp(
        (1, 7, 5, 1), activation=discriminator_activation or activation, rng=rng
    )
    return generator, discriminator, rng


@pytest.mark.parametrize("engine", ["numpy", "numba"])
@pytest.mark.parametrize("instance_noise", [False, True], ids=["clean", "noisy"])
def test_discriminator_step_gradient_matches_finite_differences(engine, instance_noise):
    generator, discriminator, rng = gan_pair()
    x_real, z = rng.normal(2.0, 1.0, size=(9, 1)), rng.normal(size=(8, 2))
    noise = {}
    if instance_noise:
        noise = {"noise_real": rng.normal(size=(9, 1)), "noise_fake": rng.normal(size=(8, 1))}

    def loss() -> float:
        return gradients.discriminator_gradient(
            generator, discriminator, x_real, z, engine=engine, **noise
        )[0]

    _, grads = gradients.discriminator_gradient(
        generator, discriminator, x_real, z, engine=engine, **noise
    )
    assert_gradient(grads.flat, loss, discriminator.flat)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
@pytest.mark.parametrize("saturating", [True, False], ids=["saturating", "non-saturating"])
@pytest.mark.parametrize("instance_noise", [False, True], ids=["clean", "noisy"])
def test_generator_step_gradient_matches_finite_differences(engine, saturating, instance_noise):
    generator, discriminator, rng = gan_pair()
    z = rng.normal(size=(8, 2))
    noise = {"noise_fake": rng.normal(size=(8, 1))} if instance_noise else {}

    def loss() -> float:
        return gradients.generator_gradient(
            generator, discriminator, z, saturating=saturating, engine=engine, **noise
        )[0]

    before = discriminator.flat.copy()
    _, grads = gradients.generator_gradient(
        generator, discriminator, z, saturating=saturating, engine=engine, **noise
    )
    assert_gradient(grads.flat, loss, generator.flat)
    np.testing.assert_array_equal(discriminator.flat, before)


@pytest.mark.parametrize(
    ("activation", "discriminator_activation"),
    [("leaky_relu", "leaky_relu"), ("relu", "relu"), ("tanh", "tanh"), ("tanh", "leaky_relu")],
)
def test_fused_step_gradients_agree_with_numpy_reference(activation, discriminator_activation):
    generator, discriminator, rng = gan_pair(activation, 10, discriminator_activation)
    x_real, z = rng.normal(2.0, 1.0, size=(32, 1)), rng.normal(size=(32, 2))
    noise_real, noise_fake = rng.normal(size=(32, 1)), rng.normal(size=(32, 1))
    for kwargs in ({}, {"noise_real": noise_real, "noise_fake": noise_fake}):
        a = gradients.discriminator_gradient(generator, discriminator, x_real, z, **kwargs)
        b = gradients.discriminator_gradient(
            generator, discriminator, x_real, z, engine="numba", **kwargs
        )
        assert a[0] == pytest.approx(b[0], rel=1e-13)
        np.testing.assert_allclose(b[1].flat, a[1].flat, rtol=1e-10, atol=1e-14)
    for saturating in (True, False):
        a = gradients.generator_gradient(generator, discriminator, z, saturating=saturating)
        b = gradients.generator_gradient(
            generator, discriminator, z, saturating=saturating, engine="numba"
        )
        assert a[0] == pytest.approx(b[0], rel=1e-13)
        np.testing.assert_allclose(b[1].flat, a[1].flat, rtol=1e-10, atol=1e-14)


# ---------------------------------------------------------------------------------------------
# Packing (PacGAN): the discriminator judges packs of samples
# ---------------------------------------------------------------------------------------------


def packed_pair(packing: int, seed: int = 11):
    """A generator of 2-D samples and a discriminator of packs of ``packing`` of them."""
    rng = np.random.default_rng(seed)
    generator = mlp.init_mlp((3, 6, 2), activation="tanh", rng=rng)
    discriminator = mlp.init_mlp((2 * packing, 7, 5, 1), activation="tanh", rng=rng)
    return generator, discriminator, rng


def packed_step_inputs(packing: int, m: int, seed: int, instance_noise: bool):
    """A packed pair, m packs of data and of noise, and (optionally) instance noise for both."""
    generator, discriminator, rng = packed_pair(packing, seed)
    x_real, z = rng.normal(size=(m * packing, 2)), rng.normal(size=(m * packing, 3))
    noise = {}
    if instance_noise:
        noise = {
            "noise_real": rng.normal(size=(m * packing, 2)),
            "noise_fake": rng.normal(size=(m * packing, 2)),
        }
    fake_noise = {"noise_fake": noise["noise_fake"]} if instance_noise else {}
    return generator, discriminator, x_real, z, noise, fake_noise


@pytest.mark.parametrize("engine", ["numpy", "numba"])
@pytest.mark.parametrize("packing", [2, 3])
@pytest.mark.parametrize("instance_noise", [False, True], ids=["clean", "noisy"])
def test_packed_step_gradients_match_finite_differences(engine, packing, instance_noise):
    generator, discriminator, x_real, z, noise, fake_noise = packed_step_inputs(
        packing, m=4, seed=11, instance_noise=instance_noise
    )
    options = {"engine": engine, "packing": packing}

    def d_loss() -> float:
        return gradients.discriminator_gradient(
            generator, discriminator, x_real, z, **options, **noise
        )[0]

    _, d_grads = gradients.discriminator_gradient(
        generator, discriminator, x_real, z, **options, **noise
    )
    assert_gradient(d_grads.flat, d_loss, discriminator.flat)
    for saturating in (True, False):

        def g_loss(saturating: bool = saturating) -> float:
            return gradients.generator_gradient(
                generator, discriminator, z, saturating=saturating, **options, **fake_noise
            )[0]

        _, g_grads = gradients.generator_gradient(
            generator, discriminator, z, saturating=saturating, **options, **fake_noise
        )
        assert_gradient(g_grads.flat, g_loss, generator.flat)


def test_packed_losses_judge_consecutive_samples_together():
    """The packed losses, recomputed pack by pack with the discriminator on each concatenation."""
    packing, m = 3, 5
    generator, discriminator, rng = packed_pair(packing, seed=12)
    x_real, z = rng.normal(size=(m * packing, 2)), rng.normal(size=(m * packing, 3))
    x_fake = mlp.forward(generator, z)[0]

    def logit(samples: np.ndarray) -> float:
        return float(mlp.forward(discriminator, np.concatenate(list(samples))[None, :])[0][0, 0])

    real = [logit(x_real[i * packing : (i + 1) * packing]) for i in range(m)]
    fake = [logit(x_fake[i * packing : (i + 1) * packing]) for i in range(m)]
    # L_D = mean log(1 + e^-l) over real packs + mean log(1 + e^l) over generated packs
    expected_d = np.mean(np.log1p(np.exp(-np.array(real)))) + np.mean(np.log1p(np.exp(fake)))
    # non-saturating generator loss: -mean log D = mean log(1 + e^-l) over generated packs
    expected_g = np.mean(np.log1p(np.exp(-np.array(fake))))
    for engine in ("numpy", "numba"):
        d_loss = gradients.discriminator_gradient(
            generator, discriminator, x_real, z, engine=engine, packing=packing
        )[0]
        g_loss = gradients.generator_gradient(
            generator, discriminator, z, saturating=False, engine=engine, packing=packing
        )[0]
        assert d_loss == pytest.approx(expected_d, rel=1e-12)
        assert g_loss == pytest.approx(expected_g, rel=1e-12)


def test_samples_that_do_not_make_whole_packs_are_refused():
    with pytest.raises(
        ValueError,
        match=r"7 samples do not make packs of 2: pass a multiple of packing = 2 samples "
        r"\(m packs take m \* packing\)\.",
    ):
        gradients.pack(np.zeros((7, 2)), 2)


# ---------------------------------------------------------------------------------------------
# Single-precision passes (precision="float32"): the float64 gradients, checked above against
# central differences, are the reference. A float32 pass rounds each product and sum to 24 bits
# (eps32 = 6e-8); over these few narrow layers the rounding errors add up to about 1e-6 of the
# gradient's norm, so F32_RTOL = 1e-5 leaves tenfold room. The second bound checks the option
# does what it says: passes that stayed in float64 would agree to about 1e-15.
# ---------------------------------------------------------------------------------------------

F32_RTOL = 1e-5
F32_AT_LEAST = 1e-10


@pytest.mark.parametrize("engine", ["numpy", "numba"])
@pytest.mark.parametrize("packing", [1, 3])
@pytest.mark.parametrize("instance_noise", [False, True], ids=["clean", "noisy"])
def test_single_precision_steps_agree_with_double_precision(engine, packing, instance_noise):
    generator, discriminator, x_real, z, noise, fake_noise = packed_step_inputs(
        packing, m=16, seed=5, instance_noise=instance_noise
    )
    results = {}
    for precision in ("float64", "float32"):
        options = {"engine": engine, "packing": packing, "precision": precision}
        d = gradients.discriminator_gradient(
            generator, discriminator, x_real, z, **options, **noise
        )
        g = gradients.generator_gradient(
            generator, discriminator, z, saturating=False, **options, **fake_noise
        )
        results[precision] = (d, g)
    for (loss64, grads64), (loss32, grads32) in zip(*results.values(), strict=True):
        assert grads32.flat.dtype == np.float64  # the optimiser's state stays float64
        err = relative_error(grads32.flat, grads64.flat)
        assert F32_AT_LEAST < err < F32_RTOL, err
        assert loss32 == pytest.approx(loss64, rel=F32_RTOL)
        assert loss32 != loss64


@pytest.mark.parametrize("engine", ["numpy", "numba"])
@pytest.mark.parametrize("activation", ["leaky_relu", "relu", "tanh"])
def test_single_precision_passes_stay_in_single_precision(engine, activation):
    """Every array of a float32 pass is float32: rounding only the weights would pass the
    agreement bounds above, not this."""
    forward, backward, backward_input = gradients.PASSES[engine]
    net = mlp.init_mlp((3, 6, 5, 2), activation=activation, rng=np.random.default_rng(8))
    single = gradients._as_dtype(net, np.float32)
    x = np.random.default_rng(9).normal(size=(7, 3)).astype(np.float32)
    out, cache = forward(single, x)
    # the numpy cache is per layer (affine input, activation slope); the compiled one flat
    arrays = (
        [a for layer in cache for a in layer if a is not None] if engine == "numpy" else [cache]
    )
    grad_out = np.ones((7, 2), dtype=np.float32)
    grads, grad_x = backward(single, cache, grad_out)
    arrays += [out, grads.flat, grad_x, backward_input(single, cache, grad_out)]
    assert [a.dtype for a in arrays] == [np.float32] * len(arrays)


def test_single_precision_leaves_the_parameters_in_double_precision():
    generator, discriminator, rng = packed_pair(1, seed=6)
    before = generator.flat.copy(), discriminator.flat.copy()
    x_real, z = rng.normal(size=(8, 2)), rng.normal(size=(8, 3))
    gradients.discriminator_gradient(generator, discriminator, x_real, z, precision="float32")
    gradients.generator_gradient(generator, discriminator, z, saturating=True, precision="float32")
    assert generator.flat.dtype == discriminator.flat.dtype == np.float64
    assert np.array_equal(generator.flat, before[0])
    assert np.array_equal(discriminator.flat, before[1])

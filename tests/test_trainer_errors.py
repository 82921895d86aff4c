"""Every error message of the trainer, asserted through the public function that raises it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from divergences.trainer import algorithm, compiled, data, gradients, metrics, mlp, optim
from divergences.trainer.config import TrainConfig
from divergences.trainer.history import History
from divergences.trainer.progress import ProgressBar
from divergences.trainer.state import init_gan

RNG = np.random.default_rng(0)
NET = mlp.init_mlp((1, 4, 1), rng=np.random.default_rng(0))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        # counts
        (
            lambda: TrainConfig(n_steps=1.5),
            TypeError,
            r"n_steps must be an integer >= 1; got 1.5 of type float",
        ),
        (lambda: TrainConfig(k=0), ValueError, r"k must be an integer >= 1; got 0\."),
        (lambda: TrainConfig(batch_size=True), TypeError, r"batch_size must be an integer >= 1"),
        (lambda: TrainConfig(packing=0), ValueError, r"packing must be an integer >= 1; got 0\."),
        (
            lambda: TrainConfig(unrolled_steps=-1),
            ValueError,
            r"unrolled_steps must be at least 0 \(0 turns unrolling off\); got -1\.",
        ),
        (lambda: TrainConfig(unrolled_steps=0.5), TypeError, r"unrolled_steps must be an integer"),
        (
            lambda: TrainConfig(packing=4, eval_size=3),
            ValueError,
            r"eval_size must be at least packing = 4 \(the discriminator judges packs of that "
            r"many samples\); got eval_size = 3\.",
        ),
        (
            lambda: TrainConfig(instance_noise_anneal_steps=-3),
            ValueError,
            r"instance_noise_anneal_steps must be an integer >= 1; got -3",
        ),
        (lambda: data.Gaussian().sample(RNG, 0), ValueError, r"n must be an integer >= 1; got 0"),
        (lambda: ProgressBar(0), ValueError, r"total must be an integer >= 1; got 0"),
        # reals
        (
            lambda: data.Gaussian(mean="a"),
            TypeError,
            r"mean must be a real number; got 'a' of type str",
        ),
        (lambda: data.Gaussian(mean=float("nan")), ValueError, r"mean must be finite; got nan"),
        (lambda: data.Gaussian(std=0.0), ValueError, r"std must be > 0; got 0.0"),
        (lambda: data.GaussianMixture.ring(radius=-1.0), ValueError, r"radius must be > 0"),
        (lambda: TrainConfig(generator_lr=0.0), ValueError, r"generator_lr must be > 0; got 0.0"),
        (
            lambda: TrainConfig(instance_noise=-1.0),
            ValueError,
            r"instance_noise must be >= 0; got -1.0",
        ),
        (
            lambda: metrics.mode_metrics([0.0], [0.0], 1.0, n_std=-1.0),
            ValueError,
            r"n_std must be >= 0; got -1.0",
        ),
        # choices
        (
            lambda: TrainConfig(loss="wgan"),
            ValueError,
            r"loss must be one of 'non-saturating', 'saturating'; got 'wgan'",
        ),
        (
            lambda: TrainConfig(engine="torch"),
            ValueError,
            r"engine must be one of 'numba', 'numpy'; got 'torch'",
        ),
        (
            lambda: TrainConfig(precision="float16"),
            ValueError,
            r"precision must be one of 'float64', 'float32'; got 'float16'",
        ),
        (
            lambda: gradients.generator_gradient(
                mlp.init_mlp((1, 1), rng=RNG),
                mlp.init_mlp((1, 1), rng=RNG),
                np.zeros((2, 1)),
                saturating=False,
                precision="half",
            ),
            ValueError,
            r"precision must be one of 'float64', 'float32'; got 'half'",
        ),
        (
            lambda: TrainConfig(generator_optimizer="rmsprop"),
            ValueError,
            r"generator_optimizer must be one of 'adam', 'sgd'; got 'rmsprop'",
        ),
        (
            lambda: TrainConfig(discriminator_activation="sigmoid"),
            ValueError,
            r"discriminator_activation must be one of 'leaky_relu', 'relu', 'tanh'; got 'sigmoid'",
        ),
        (
            lambda: mlp.init_mlp((1, 1), activation="elu", rng=RNG),
            ValueError,
            r"activation must be one of 'leaky_relu', 'relu', 'tanh'; got 'elu'",
        ),
        (
            lambda: TrainConfig(seed=-1),
            ValueError,
            r"seed must be a non-negative integer; got -1\.",
        ),
        (
            lambda: TrainConfig(seed="0"),
            TypeError,
            r"seed must be a non-negative integer \(the run records it, so that it can be "
            r"reproduced\); got '0' of type str\.",
        ),
        # networks
        (
            lambda: mlp.init_mlp(3, rng=RNG),
            TypeError,
            r"sizes must be a sequence of layer widths such as \(1, 16, 16, 1\); got 3",
        ),
        (
            lambda: mlp.init_mlp((4,), rng=RNG),
            ValueError,
            r"sizes must hold at least an input and an output width, e.g. \(1, 1\); got \(4,\)",
        ),
        (
            lambda: mlp.init_mlp((1, 0, 1), rng=RNG),
            ValueError,
            r"every layer width in sizes must be an integer >= 1; got \(1, 0, 1\)",
        ),
        (
            lambda: TrainConfig(generator_hidden=(16, 2.5)),
            ValueError,
            r"every layer width in sizes must be an integer >= 1",
        ),
        (
            lambda: mlp.Mlp((1, 1), "tanh", np.zeros(3)),
            ValueError,
            r"flat must be a float64 numpy vector of 2 parameters for sizes \(1, 1\); got dtype "
            r"float64 and shape \(3,\)",
        ),
        (
            lambda: mlp.Mlp((1, 1), "tanh", [0.0, 0.0]),
            ValueError,
            r"flat must be a float64 numpy vector of 2 parameters .*; got list",
        ),
        (
            lambda: mlp.forward(NET, np.zeros(5)),
            ValueError,
            r"x must have shape \(batch, 1\) for a network with 1 input\(s\); got shape \(5,\)\. "
            r"Reshape a 1-D batch with x.reshape\(-1, 1\)",
        ),
        (
            lambda: compiled.forward(NET, np.zeros((2, 3))),
            ValueError,
            r"x must have shape \(batch, 1\) .*; got shape \(2, 3\)",
        ),
        (
            lambda: mlp.forward(NET, [[np.inf]]),
            ValueError,
            r"x contains NaN or infinite entries; a network input must be finite",
        ),
        (lambda: mlp.forward(NET, [["a"]]), TypeError, r"x must be an array of real numbers"),
        # optimisers
        (lambda: optim.Adam(lr=-1.0), ValueError, r"lr must be > 0; got -1.0"),
        (lambda: optim.Adam(beta1=1.0), ValueError, r"beta1 must be in \[0, 1\); got 1.0"),
        (lambda: optim.Adam(beta2=-0.1), ValueError, r"beta2 must be in \[0, 1\); got -0.1"),
        (lambda: optim.Adam(eps=0.0), ValueError, r"eps must be > 0; got 0.0"),
        (lambda: optim.Sgd(momentum=1.5), ValueError, r"momentum must be in \[0, 1\); got 1.5"),
        (lambda: TrainConfig(beta1=2.0), ValueError, r"beta1 must be in \[0, 1\); got 2.0"),
        # data
        (
            lambda: data.GaussianMixture(np.zeros((0, 2)), 1.0),
            ValueError,
            r"centers must have shape \(n_modes, dim\) with at least one mode; got shape \(0, 2\)",
        ),
        (
            lambda: data.GaussianMixture([[0.0], [np.nan]], 1.0),
            ValueError,
            r"centers must be finite",
        ),
        (
            lambda: data.GaussianMixture([[0.0], [1.0]], 1.0, weights=[0.5, 0.6]),
            ValueError,
            r"weights must be 2 positive numbers summing to 1, one per centre; got \[0.5, 0.6\]",
        ),
        (
            lambda: data.GaussianMixture([[0.0], [1.0]], 1.0, weights=[1.0, 0.0]),
            ValueError,
            r"weights must be 2 positive numbers summing to 1",
        ),
        (
            lambda: data.UniformNoise(low=1.0, high=0.0),
            ValueError,
            r"low must be below high for uniform noise; got low=1, high=0",
        ),
        (lambda: data.GaussianNoise(dim=0), ValueError, r"dim must be an integer >= 1; got 0"),
        (
            lambda: data.GaussianMixture.ring().window,
            ValueError,
            r"window is defined here for 1-D data only; this distribution is 2-D\. Use the mode "
            r"metrics",
        ),
        (
            lambda: data.GaussianMixture.grid().pdf(np.zeros(2)),
            ValueError,
            r"pdf is defined here for 1-D data only",
        ),
        (
            lambda: data.GaussianMixture.grid().cdf(np.zeros(2)),
            ValueError,
            r"cdf is defined here for 1-D data only",
        ),
        (
            lambda: data.ScipyDistribution(stats.norm),
            TypeError,
            r"dist must be a frozen scipy.stats continuous distribution",
        ),
        # measurements
        (
            lambda: metrics.mode_metrics(np.zeros(5), np.zeros((3, 2)), 1.0),
            ValueError,
            r"samples must have shape \(n, 2\) with n >= 1 to match 2-D data; got shape \(5,\)",
        ),
        (
            lambda: metrics.mode_metrics(np.zeros((0, 1)), [0.0], 1.0),
            ValueError,
            r"samples must have shape \(n, 1\) with n >= 1",
        ),
        (
            lambda: metrics.mode_metrics([0.0], [0.0], 1.0, min_count=0),
            ValueError,
            r"min_count must be an integer >= 1; got 0",
        ),
        (
            lambda: metrics.histogram_jsd(np.zeros((3, 2)), np.zeros(3), bins=5, range=(0, 1)),
            ValueError,
            r"data_samples must have shape \(n, 1\)",
        ),
        (
            lambda: metrics.histogram_jsd(np.zeros(3), [np.nan], bins=5, range=(0, 1)),
            ValueError,
            r"generator_samples must be finite",
        ),
        (
            lambda: metrics.histogram_jsd(np.zeros(3), np.zeros(3), bins=0, range=(0, 1)),
            ValueError,
            r"bins must be an integer >= 1; got 0",
        ),
        (
            lambda: metrics.histogram_density(np.zeros(3), bins=5, range=3),
            TypeError,
            r"range must be a pair \(lo, hi\) of finite numbers; got 3",
        ),
        (
            lambda: metrics.bin_edges(5, (1.0, 0.0)),
            ValueError,
            r"range must be finite with lo < hi; got \(1.0, 0.0\)",
        ),
        # training
        (
            lambda: TrainConfig(n_steps=10, snapshot_steps=(0, 11)),
            ValueError,
            r"snapshot_steps must lie in \[0, n_steps\] = \[0, 10\]; got \[11\] outside that range",
        ),
        (
            lambda: TrainConfig(snapshot_steps=5),
            TypeError,
            r"snapshot_steps must be a sequence of integer step numbers; got 5",
        ),
        (
            lambda: algorithm.train(data.Gaussian(), data.GaussianNoise(), {"n_steps": 5}),
            TypeError,
            r"config must be a TrainConfig; got dict\. Build one with TrainConfig\(",
        ),
    ],
)
def test_error_message(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_train_refuses_a_state_built_for_other_data():
    config = TrainConfig(n_steps=1)
    state = init_gan(data.Gaussian(), data.GaussianNoise(), config)
    with pytest.raises(
        ValueError,
        match=(
            r"the generator has sizes \(1, 16, 16, 1\) but must map 2-D noise to 2-D data; build "
            r"the state with init_gan for this data and noise"
        ),
    ):
        algorithm.train(data.GaussianMixture.ring(), data.GaussianNoise(2), config, state=state)
    state.generator = mlp.init_mlp((2, 2), rng=RNG)
    with pytest.raises(
        ValueError,
        match=(r"the discriminator has sizes \(1, 32, 32, 1\) but must map 2-D data to one logit"),
    ):
        algorithm.train(data.GaussianMixture.ring(), data.GaussianNoise(2), config, state=state)


def test_train_refuses_an_unpacked_discriminator_for_a_packed_config():
    ring, noise = data.GaussianMixture.ring(), data.GaussianNoise(2)
    state = init_gan(ring, noise, TrainConfig(n_steps=1))
    with pytest.raises(
        ValueError,
        match=(
            r"the discriminator has sizes \(2, 32, 32, 1\) but must map packs of 3 2-D samples "
            r"to one logit; build the state with init_gan for this data, noise and config\."
        ),
    ):
        algorithm.train(ring, noise, TrainConfig(n_steps=1, packing=3), state=state)


def test_evaluate_refuses_a_state_built_for_another_packing():
    from divergences.trainer.evaluation import evaluate

    ring, noise = data.GaussianMixture.ring(), data.GaussianNoise(2)
    state = init_gan(ring, noise, TrainConfig(packing=2))
    with pytest.raises(
        ValueError,
        match=r"the discriminator has sizes \(4, 32, 32, 1\) but must map 2-D data to one logit",
    ):
        evaluate(state, ring, noise, TrainConfig())


def test_history_messages():
    h = History()
    with pytest.raises(
        KeyError,
        match=r"the history has no series 'jsd'; recorded series: "
        r"none yet",
    ):
        h["jsd"]
    h.record(step=0, jsd=0.1)
    with pytest.raises(KeyError, match=r"recorded series: 'step', 'jsd'"):
        h.last("value")
    with pytest.raises(
        ValueError,
        match=(
            r"a history record must give every series once so they stay aligned; missing "
            r"\['jsd'\], new \['value'\]"
        ),
    ):
        h.record(step=1, value=0.2)

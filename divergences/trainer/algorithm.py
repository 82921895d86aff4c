r"""Algorithm 1 of Goodfellow et al. (2014): minibatch stochastic gradient training of a GAN.

For each training iteration:

1. for ``k`` steps: draw a fresh minibatch of ``m`` noise samples and a fresh minibatch of ``m``
   data samples, and update the discriminator by ascending
   :math:`\frac1m \sum_i [\log D(x_i) + \log(1 - D(G(z_i)))]`;
2. draw a fresh minibatch of ``m`` noise samples and update the generator by descending
   :math:`\frac1m \sum_i \log(1 - D(G(z_i)))` (saturating, the minimax game) or ascending
   :math:`\frac1m \sum_i \log D(G(z_i))` (non-saturating, Section 3). The gradient runs through
   the discriminator *at its current parameters* into its input and then through the generator;
   only the generator's parameters change.

With instance noise (Sønderby et al. 2016; Arjovsky & Bottou 2017, Section 3) the discriminator
sees ``x + ε`` with :math:`\epsilon \sim N(0, \sigma_t^2)` on both data and generator samples, in
both steps; :math:`\sigma_t` decays linearly to 0 over ``instance_noise_anneal_steps`` iterations
(or stays constant when that is 0).

Everything random comes from one ``numpy.random.Generator`` seeded by ``config.seed``, drawn in a
fixed order, so a run is a deterministic function of its seed. Measurements use fixed evaluation
samples from a second generator, so evaluating more or less often does not change training.

>>> from divergences.trainer import algorithm, data
>>> config = algorithm.TrainConfig(n_steps=200, eval_every=100, seed=0)
>>> result = algorithm.train(data.Gaussian(4.0, 1.0), data.GaussianNoise(), config)
>>> result.history["step"].tolist()
[0.0, 100.0, 200.0]

References
----------
Goodfellow, I. et al. (2014). Generative Adversarial Nets, Algorithm 1. arXiv:1406.2661
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._checks.scalars import (
    check_choice,
    check_non_negative_real,
    check_positive_int,
    check_positive_real,
    check_seed,
    check_type,
)
from . import compiled, losses, metrics, mlp
from ._checks import check_layer_sizes, check_network_dims, check_steps_within
from .data import Distribution, GaussianMixture, UnivariateDistribution
from .history import History, Snapshot
from .mlp import ACTIVATIONS, Mlp, init_mlp
from .optim import Adam, Optimizer, Sgd
from .progress import ProgressBar

__all__ = [
    "ENGINES",
    "GENERATOR_LOSSES",
    "OPTIMIZERS",
    "GanState",
    "TrainConfig",
    "TrainResult",
    "discriminator_gradient",
    "discriminator_step",
    "evaluate",
    "generator_gradient",
    "generator_step",
    "init_gan",
    "instance_noise_std",
    "train",
    "train_iteration",
]

GENERATOR_LOSSES = ("non-saturating", "saturating")
#: Implementations of the MLP passes: the numpy reference and the numba-compiled version.
ENGINES = ("numba", "numpy")
OPTIMIZERS = ("adam", "sgd")
LOG4 = math.log(4.0)


_Forward = Callable[[Mlp, np.ndarray], tuple[np.ndarray, Any]]
_FORWARD: dict[str, _Forward] = {
    "numba": compiled.forward_unchecked,
    "numpy": mlp.forward_unchecked,
}


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters of a training run (validated on construction).

    Parameters
    ----------
    n_steps : int, default 2000
        Training iterations (each: ``k`` discriminator steps, then one generator step).
    k : int, default 1
        Discriminator steps per iteration (Algorithm 1's k; Goodfellow et al. used 1).
    batch_size : int, default 128
        Minibatch size m, for data and noise alike.
    loss : {"non-saturating", "saturating"}, default "non-saturating"
        Generator loss.
    generator_hidden, discriminator_hidden : tuple of int, default (16, 16), (32, 32)
        Hidden layer widths; ``()`` makes the network one affine map.
    generator_activation, discriminator_activation : {"leaky_relu", "relu", "tanh"}
        Activation of the hidden layers of each network, default "leaky_relu". A tanh generator
        learns smooth maps (a Gaussian from Gaussian noise) faster; tanh costs about ten times
        more per unit than the leaky ReLU.
    generator_optimizer, discriminator_optimizer : {"adam", "sgd"}, default "adam"
        Optimiser of each network.
    generator_lr, discriminator_lr : float, default 1e-3
        Learning rates.
    beta1, beta2 : float, default 0.5, 0.999
        Adam's decay rates (beta1 = 0.5 as in Radford et al. 2016).
    momentum : float, default 0.0
        SGD momentum.
    instance_noise : float, default 0.0
        Initial standard deviation σ₀ of the instance noise, in data units (0: none).
    instance_noise_anneal_steps : int, default 0
        Iterations over which σ decays linearly from σ₀ to 0; 0 keeps σ₀ throughout.
    freeze_generator : bool, default False
        Skip the generator step: the discriminator trains alone against a fixed generator.
    seed : int, default 0
        Seed of all training randomness (initialisation, minibatches, instance noise).
    eval_every : int, default 100
        Evaluate every this many iterations (and at 0 and at the end).
    eval_size : int, default 10000
        Size of the fixed data and generator samples the measurements use.
    bins : int, default 50
        Histogram bins for the JSD and the generator's density (1-D data).
    snapshot_steps : tuple of int, default ()
        Iterations at which to keep a snapshot for the figures (the last one is always kept).
    engine : {"numba", "numpy"}, default "numba"
        Implementation of the network passes: the compiled kernels
        (:mod:`~divergences.trainer.compiled`) or the numpy reference
        (:mod:`~divergences.trainer.mlp`). They agree up to rounding.

    Examples
    --------
    >>> from divergences.trainer.algorithm import TrainConfig
    >>> TrainConfig(k=5, loss="saturating").k
    5
    """

    n_steps: int = 2000
    k: int = 1
    batch_size: int = 128
    loss: str = "non-saturating"
    generator_hidden: tuple[int, ...] = (16, 16)
    discriminator_hidden: tuple[int, ...] = (32, 32)
    generator_activation: str = "leaky_relu"
    discriminator_activation: str = "leaky_relu"
    generator_optimizer: str = "adam"
    discriminator_optimizer: str = "adam"
    generator_lr: float = 1e-3
    discriminator_lr: float = 1e-3
    beta1: float = 0.5
    beta2: float = 0.999
    momentum: float = 0.0
    instance_noise: float = 0.0
    instance_noise_anneal_steps: int = 0
    freeze_generator: bool = False
    seed: int = 0
    eval_every: int = 100
    eval_size: int = 10_000
    bins: int = 50
    snapshot_steps: tuple[int, ...] = field(default=())
    engine: str = "numba"

    def __post_init__(self) -> None:
        for name in ("n_steps", "k", "batch_size", "eval_every", "eval_size", "bins"):
            check_positive_int(getattr(self, name), name)
        check_choice(self.loss, "loss", GENERATOR_LOSSES)
        check_choice(self.engine, "engine", ENGINES)
        for name in ("generator_optimizer", "discriminator_optimizer"):
            check_choice(getattr(self, name), name, OPTIMIZERS)
        for name in ("generator_lr", "discriminator_lr"):
            check_positive_real(getattr(self, name), name)
        check_non_negative_real(self.instance_noise, "instance_noise")
        if self.instance_noise_anneal_steps != 0:
            check_positive_int(self.instance_noise_anneal_steps, "instance_noise_anneal_steps")
        check_layer_sizes((1, *self.generator_hidden, 1))
        check_layer_sizes((1, *self.discriminator_hidden, 1))
        check_steps_within(self.snapshot_steps, self.n_steps, "snapshot_steps")
        # validates beta1, beta2 and momentum with the optimisers' own messages
        _make_optimizer(self, "generator")
        _make_optimizer(self, "discriminator")
        for name in ("generator_activation", "discriminator_activation"):
            check_choice(getattr(self, name), name, tuple(ACTIVATIONS))
        check_seed(self.seed)


def _make_optimizer(config: TrainConfig, network: str) -> Optimizer:
    lr = getattr(config, f"{network}_lr")
    if getattr(config, f"{network}_optimizer") == "sgd":
        return Sgd(lr=lr, momentum=config.momentum)
    return Adam(lr=lr, beta1=config.beta1, beta2=config.beta2)


@dataclass
class GanState:
    """Everything that changes during training.

    Attributes
    ----------
    generator, discriminator : Mlp
        The two networks; the discriminator outputs a logit.
    generator_optimizer, discriminator_optimizer : Optimizer
        Their optimisers (with their moment estimates and step counts).
    rng : numpy.random.Generator
        The one source of training randomness.
    step : int
        Iterations completed.

    Examples
    --------
    >>> from divergences.trainer import algorithm, data
    >>> state = algorithm.init_gan(data.Gaussian(), data.GaussianNoise(), algorithm.TrainConfig())
    >>> state.step, state.generator_optimizer.t
    (0, 0)
    """

    generator: Mlp
    discriminator: Mlp
    generator_optimizer: Optimizer
    discriminator_optimizer: Optimizer
    rng: np.random.Generator
    step: int = 0


@dataclass
class TrainResult:
    """The outcome of :func:`train`: the final state and the history of measurements.

    Examples
    --------
    >>> from divergences.trainer import algorithm, data
    >>> config = algorithm.TrainConfig(n_steps=10, eval_every=10, eval_size=500)
    >>> result = algorithm.train(data.Gaussian(), data.GaussianNoise(), config)
    >>> result.state.step, result.history["step"].tolist()
    (10, [0.0, 10.0])
    """

    state: GanState
    history: History


def init_gan(data: Distribution, noise: Distribution, config: TrainConfig) -> GanState:
    """A freshly initialised generator and discriminator for ``data`` and ``noise``.

    The generator maps ``noise.dim`` to ``data.dim`` dimensions through
    ``config.generator_hidden``; the discriminator maps ``data.dim`` to one logit. Both are
    initialised from ``np.random.default_rng(config.seed)``, generator first, and that generator
    then drives the training.

    Examples
    --------
    >>> from divergences.trainer import algorithm, data
    >>> state = algorithm.init_gan(data.GaussianMixture.ring(), data.GaussianNoise(2),
    ...                            algorithm.TrainConfig())
    >>> state.generator.sizes, state.discriminator.sizes
    ((2, 16, 16, 2), (2, 32, 32, 1))
    """
    rng = np.random.default_rng(config.seed)
    generator = init_mlp(
        (noise.dim, *config.generator_hidden, data.dim),
        activation=config.generator_activation,
        rng=rng,
    )
    discriminator = init_mlp(
        (data.dim, *config.discriminator_hidden, 1),
        activation=config.discriminator_activation,
        rng=rng,
    )
    return GanState(
        generator=generator,
        discriminator=discriminator,
        generator_optimizer=_make_optimizer(config, "generator"),
        discriminator_optimizer=_make_optimizer(config, "discriminator"),
        rng=rng,
    )


def instance_noise_std(config: TrainConfig, step: int) -> float:
    r"""Instance-noise standard deviation :math:`\sigma_t` at iteration ``step`` (data units).

    :math:`\sigma_t = \sigma_0 \max(0, 1 - t / T)` with :math:`T` =
    ``instance_noise_anneal_steps``, or :math:`\sigma_0` throughout when :math:`T = 0`.

    Examples
    --------
    >>> from divergences.trainer.algorithm import TrainConfig, instance_noise_std
    >>> config = TrainConfig(instance_noise=1.0, instance_noise_anneal_steps=100)
    >>> [instance_noise_std(config, t) for t in (0, 50, 100, 200)]
    [1.0, 0.5, 0.0, 0.0]
    """
    if config.instance_noise_anneal_steps == 0:
        return config.instance_noise
    return config.instance_noise * max(0.0, 1.0 - step / config.instance_noise_anneal_steps)


def discriminator_gradient(
    generator: Mlp,
    discriminator: Mlp,
    x_real: np.ndarray,
    z: np.ndarray,
    *,
    noise_real: np.ndarray | None = None,
    noise_fake: np.ndarray | None = None,
    engine: str = "numpy",
) -> tuple[float, Mlp]:
    r"""Loss :math:`L_D = -\hat V(G, D)` of a discriminator step and its gradient in D's parameters.

    Parameters
    ----------
    generator, discriminator : Mlp
        The two networks; only the discriminator is differentiated.
    x_real : ndarray, shape (m, dim)
        Data minibatch.
    z : ndarray, shape (m', noise_dim)
        Noise minibatch; the generator samples are ``G(z)``.
    noise_real, noise_fake : ndarray, shape (m, dim) and (m', dim), optional
        Instance noise added to the data and to the generator samples.
    engine : {"numpy", "numba"}, default "numpy"
        The readable numpy passes, or one fused compiled kernel.

    Returns
    -------
    loss : float
        :math:`L_D` in nats.
    grads : Mlp
        :math:`\partial L_D / \partial \theta_D`.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.algorithm import discriminator_gradient
    >>> from divergences.trainer.mlp import init_mlp
    >>> rng = np.random.default_rng(0)
    >>> g, d = init_mlp((1, 4, 1), rng=rng), init_mlp((1, 4, 1), rng=rng)
    >>> x, z = rng.normal(size=(8, 1)), rng.normal(size=(8, 1))
    >>> a = discriminator_gradient(g, d, x, z)
    >>> b = discriminator_gradient(g, d, x, z, engine="numba")
    >>> bool(abs(a[0] - b[0]) < 1e-12 and np.allclose(a[1].flat, b[1].flat, rtol=1e-10))
    True
    """
    if engine == "numba":
        return compiled.discriminator_gradient(
            generator, discriminator, x_real, z, noise_real, noise_fake
        )
    m = x_real.shape[0]
    # the generator's cache is not kept: this step does not change the generator
    x_fake, _ = mlp.forward_unchecked(generator, z)
    if noise_real is not None and noise_fake is not None:
        x_real, x_fake = x_real + noise_real, x_fake + noise_fake
    # one pass over both halves: the discriminator has no batch statistics, so this equals two
    # separate passes and halves the number of matrix products
    logit, cache = mlp.forward_unchecked(discriminator, np.concatenate([x_real, x_fake]))
    loss, grad_real, grad_fake = losses.discriminator_loss(logit[:m], logit[m:])
    grads, _ = mlp.backward(discriminator, cache, np.concatenate([grad_real, grad_fake]))
    return loss, grads


def generator_gradient(
    generator: Mlp,
    discriminator: Mlp,
    z: np.ndarray,
    *,
    saturating: bool,
    noise_fake: np.ndarray | None = None,
    engine: str = "numpy",
) -> tuple[float, Mlp]:
    """Loss of a generator step and its gradient in the generator's parameters only.

    The gradient flows from the logits back through the discriminator at its current parameters
    into the generator's output (:func:`~divergences.trainer.mlp.backward_input`, which computes
    no discriminator gradient at all), then through the generator.

    Parameters
    ----------
    generator, discriminator : Mlp
        The two networks; only the generator is differentiated.
    z : ndarray, shape (m, noise_dim)
        Noise minibatch.
    saturating : bool
        Saturating loss (minimise log(1 - D(G(z)))) or non-saturating (maximise log D(G(z))).
    noise_fake : ndarray, shape (m, dim), optional
        Instance noise added to the generator samples before the discriminator sees them.
    engine : {"numpy", "numba"}, default "numpy"
        The readable numpy passes, or one fused compiled kernel.

    Returns
    -------
    loss : float
        The generator loss in nats (:func:`~divergences.trainer.losses.generator_loss`).
    grads : Mlp
        Its gradient in the generator's parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer.algorithm import generator_gradient
    >>> from divergences.trainer.mlp import init_mlp
    >>> rng = np.random.default_rng(0)
    >>> g, d = init_mlp((1, 4, 1), rng=rng), init_mlp((1, 4, 1), rng=rng)
    >>> z = rng.normal(size=(8, 1))
    >>> a = generator_gradient(g, d, z, saturating=False)
    >>> b = generator_gradient(g, d, z, saturating=False, engine="numba")
    >>> bool(abs(a[0] - b[0]) < 1e-12 and np.allclose(a[1].flat, b[1].flat, rtol=1e-10))
    True
    """
    if engine == "numba":
        return compiled.generator_gradient(
            generator, discriminator, z, saturating=saturating, noise_fake=noise_fake
        )
    x_fake, generator_cache = mlp.forward_unchecked(generator, z)
    x_seen = x_fake if noise_fake is None else x_fake + noise_fake
    logit, discriminator_cache = mlp.forward_unchecked(discriminator, x_seen)
    loss, grad_logit = losses.generator_loss(logit, saturating=saturating)
    # instance noise is additive, so d(x + eps)/dx = 1 and the gradient passes through unchanged
    grad_x = mlp.backward_input(discriminator, discriminator_cache, grad_logit)
    grads, _ = mlp.backward(generator, generator_cache, grad_x)
    return loss, grads


def discriminator_step(
    state: GanState, data: Distribution, noise: Distribution, config: TrainConfig
) -> float:
    r"""One discriminator update on a fresh minibatch of data and of noise; returns :math:`L_D`.

    Draws, in this order: ``m`` data samples, ``m`` noise samples, then (with instance noise)
    the noise added to the data and to the generator samples.

    Returns
    -------
    float
        The discriminator loss :math:`L_D = -\hat V(G, D)` on this minibatch before the update,
        in nats.

    Examples
    --------
    >>> from divergences.trainer import algorithm, data
    >>> config = algorithm.TrainConfig()
    >>> gaussian, noise = data.Gaussian(), data.GaussianNoise()
    >>> state = algorithm.init_gan(gaussian, noise, config)
    >>> loss = algorithm.discriminator_step(state, gaussian, noise, config)
    >>> state.discriminator_optimizer.t, state.generator_optimizer.t
    (1, 0)
    """
    m = config.batch_size
    rng = state.rng
    x_real = data.sample(rng, m)
    z = noise.sample(rng, m)
    sigma = instance_noise_std(config, state.step)
    noise_real = noise_fake = None
    if sigma > 0.0:
        noise_real = sigma * rng.standard_normal(x_real.shape)
        noise_fake = sigma * rng.standard_normal(x_real.shape)
    loss, grads = discriminator_gradient(
        state.generator,
        state.discriminator,
        x_real,
        z,
        noise_real=noise_real,
        noise_fake=noise_fake,
        engine=config.engine,
    )
    state.discriminator_optimizer.step(state.discriminator.flat, grads.flat)
    return loss


def generator_step(
    state: GanState, data: Distribution, noise: Distribution, config: TrainConfig
) -> float:
    """One generator update on a fresh minibatch of noise; returns the generator loss.

    Draws ``m`` noise samples, then (with instance noise) the noise added to the generator
    samples; ``data`` gives only their dimension. Only the generator's parameters change.

    Returns
    -------
    float
        The generator loss on this minibatch before the update, in nats.

    Examples
    --------
    >>> from divergences.trainer import algorithm, data
    >>> config = algorithm.TrainConfig()
    >>> gaussian, noise = data.Gaussian(), data.GaussianNoise()
    >>> state = algorithm.init_gan(gaussian, noise, config)
    >>> loss = algorithm.generator_step(state, gaussian, noise, config)
    >>> state.discriminator_optimizer.t, state.generator_optimizer.t
    (0, 1)
    """
    m = config.batch_size
    rng = state.rng
    z = noise.sample(rng, m)
    sigma = instance_noise_std(config, state.step)
    noise_fake = sigma * rng.standard_normal((m, data.dim)) if sigma > 0.0 else None
    loss, grads = generator_gradient(
        state.generator,
        state.discriminator,
        z,
        saturating=config.loss == "saturating",
        noise_fake=noise_fake,
        engine=config.engine,
    )
    state.generator_optimizer.step(state.generator.flat, grads.flat)
    return loss


def train_iteration(
    state: GanState, data: Distribution, noise: Distribution, config: TrainConfig
) -> tuple[float, float]:
    """One iteration of Algorithm 1: ``k`` discriminator steps, then one generator step.

    Returns
    -------
    d_loss : float
        Mean discriminator loss over the ``k`` steps, in nats.
    g_loss : float
        Generator loss (``nan`` with ``freeze_generator``), in nats.

    Examples
    --------
    >>> from divergences.trainer import algorithm, data
    >>> config = algorithm.TrainConfig(k=3)
    >>> gaussian, noise = data.Gaussian(), data.GaussianNoise()
    >>> state = algorithm.init_gan(gaussian, noise, config)
    >>> d_loss, g_loss = algorithm.train_iteration(state, gaussian, noise, config)
    >>> state.step, state.discriminator_optimizer.t, state.generator_optimizer.t
    (1, 3, 1)
    """
    d_loss = 0.0
    for _ in range(config.k):
        d_loss += discriminator_step(state, data, noise, config)
    g_loss = math.nan if config.freeze_generator else generator_step(state, data, noise, config)
    state.step += 1
    return d_loss / config.k, g_loss


class _Evaluator:
    """Fixed evaluation samples and the measurements made on them."""

    def __init__(self, data: Distribution, noise: Distribution, config: TrainConfig) -> None:
        rng = np.random.default_rng([config.seed, 1])
        self.data, self.config = data, config
        self.x_data = data.sample(rng, config.eval_size)
        self.z = noise.sample(rng, config.eval_size)
        self.mixture = data if isinstance(data, GaussianMixture) else None
        self.univariate = (
            data if data.dim == 1 and isinstance(data, UnivariateDistribution) else None
        )
        if self.univariate is not None:
            self.window = self.univariate.window
            self.edges = metrics.bin_edges(config.bins, self.window)
            self.centers = 0.5 * (self.edges[:-1] + self.edges[1:])
            width = self.edges[1] - self.edges[0]
            # bin-averaged data density, comparable bin by bin with the generator's histogram
            self.p_data = np.diff(self.univariate.cdf(self.edges)) / width

    def measure(self, state: GanState, snapshot: bool) -> tuple[dict[str, float], Snapshot | None]:
        forward = _FORWARD[self.config.engine]
        x_gen, _ = forward(state.generator, self.z)
        logit_data, _ = forward(state.discriminator, self.x_data)
        logit_gen, _ = forward(state.discriminator, x_gen)
        # V(G, D) = E log D(x) + E log(1 - D(G(z))), from logits
        value = -float(np.mean(losses.softplus(-logit_data)) + np.mean(losses.softplus(logit_gen)))
        values = {
            "value": value,
            "d_data": float(np.mean(losses.sigmoid(logit_data))),
            "d_generator": float(np.mean(losses.sigmoid(logit_gen))),
        }
        arrays: dict[str, np.ndarray] = {}
        if self.univariate is not None:
            values.update(self._one_dimensional(state, x_gen, arrays))
        if self.mixture is not None:
            mixture = self.mixture
            modes = metrics.mode_metrics(x_gen, mixture.centers, mixture.std, mixture.weights)
            values.update(modes.as_dict())
        if not snapshot:
            return values, None
        if self.univariate is None:
            arrays["samples"] = x_gen[:2000].copy()
        return values, Snapshot(state.step, arrays)

    def _one_dimensional(
        self, state: GanState, x_gen: np.ndarray, arrays: dict[str, np.ndarray]
    ) -> dict[str, float]:
        from ..gan import optimal_discriminator

        jsd = metrics.histogram_jsd(self.x_data, x_gen, bins=self.config.bins, range=self.window)
        p_g = metrics.histogram_density(x_gen, bins=self.config.bins, range=self.window)
        d_star = np.asarray(optimal_discriminator(self.p_data, p_g))
        forward = _FORWARD[self.config.engine]
        d = losses.sigmoid(forward(state.discriminator, self.centers[:, None])[0][:, 0])
        mean_error, max_error = metrics.discriminator_error(d, d_star, 0.5 * (self.p_data + p_g))
        arrays.update(centers=self.centers, p_data=self.p_data, p_g=p_g, d=d, d_star=d_star)
        return {
            "jsd": jsd,
            "criterion": 2.0 * jsd - LOG4,
            "d_error": mean_error,
            "d_error_max": max_error,
        }


def evaluate(
    state: GanState, data: Distribution, noise: Distribution, config: TrainConfig
) -> dict[str, float]:
    """The measurements :func:`train` records, for the current state (see :func:`train`).

    Examples
    --------
    >>> from divergences.trainer import algorithm, data
    >>> config = algorithm.TrainConfig()
    >>> gaussian, noise = data.Gaussian(), data.GaussianNoise()
    >>> values = algorithm.evaluate(algorithm.init_gan(gaussian, noise, config), gaussian,
    ...                             noise, config)
    >>> sorted(values)
    ['criterion', 'd_data', 'd_error', 'd_error_max', 'd_generator', 'jsd', 'value']
    """
    return _Evaluator(data, noise, config).measure(state, snapshot=False)[0]


def train(
    data: Distribution,
    noise: Distribution,
    config: TrainConfig,
    *,
    state: GanState | None = None,
    progress: bool = False,
) -> TrainResult:
    r"""Train a GAN with Algorithm 1 and record the measurements that tie it to the theory.

    Parameters
    ----------
    data : Distribution
        The data distribution (see :mod:`divergences.trainer.data`).
    noise : Distribution
        The generator's noise distribution.
    config : TrainConfig
        Hyperparameters.
    state : GanState, optional
        Start from this state (e.g. a generator placed far from the data) instead of
        :func:`init_gan`; it is updated in place.
    progress : bool, default False
        Draw a progress bar on stderr.

    Returns
    -------
    TrainResult
        The final state and the :class:`~divergences.trainer.history.History`.

    Notes
    -----
    Recorded at iteration 0, every ``eval_every`` iterations and at the end, on fixed samples of
    ``eval_size`` data points and generator points:

    * ``step``; ``d_loss``, ``g_loss``: mean training losses since the previous evaluation (nats);
      ``noise_std``: the instance noise σ in force;
    * ``value``: :math:`\hat V(G, D) = \overline{\log D(x)} + \overline{\log(1 - D(G(z)))}` (nats);
      ``d_data``, ``d_generator``: mean :math:`D` on the data and on generator samples;
    * 1-D data: ``jsd``, the histogram JSD(p_data, p_g) with ``bins`` bins over the data's
      window (:func:`~divergences.trainer.metrics.histogram_jsd`); ``criterion``
      :math:`= -\log 4 + 2\,JSD`, which bounds :math:`\hat V` from above up to sampling noise
      (Theorem 1); ``d_error``, ``d_error_max``: :math:`|D - D^*|` on the bin centres, with
      :math:`D^*` from the bin-averaged data density and the generator's histogram density,
      weighted by :math:`(p_{data} + p_g)/2` (mean) or over bins carrying at least 1 % of its
      peak (max);
    * mixtures: ``modes_captured``, ``high_quality_share``, ``mode_reverse_kl``
      (:func:`~divergences.trainer.metrics.mode_metrics`; NaN when undefined).

    Examples
    --------
    >>> from divergences.trainer import algorithm, data
    >>> config = algorithm.TrainConfig(n_steps=300, eval_every=100, eval_size=2000, seed=1)
    >>> history = algorithm.train(data.Gaussian(4.0, 1.0), data.GaussianNoise(), config).history
    >>> history["step"].tolist()
    [0.0, 100.0, 200.0, 300.0]
    >>> bool(history["jsd"][-1] < history["jsd"][0])  # the generator moves towards the data
    True
    """
    check_type(config, TrainConfig, "config", "TrainConfig(n_steps=2000, ...)")
    state = init_gan(data, noise, config) if state is None else state
    check_network_dims(state.generator.sizes, state.discriminator.sizes, noise.dim, data.dim)
    evaluator = _Evaluator(data, noise, config)
    history = History()
    snapshot_steps = set(config.snapshot_steps) | {config.n_steps}
    first, last = state.step, state.step + config.n_steps
    d_losses: list[float] = []
    g_losses: list[float] = []

    def record() -> None:
        done = state.step - first
        values, snapshot = evaluator.measure(state, snapshot=done in snapshot_steps)
        history.record(
            step=state.step,
            d_loss=float(np.mean(d_losses)) if d_losses else math.nan,
            g_loss=float(np.mean(g_losses)) if g_losses else math.nan,
            noise_std=instance_noise_std(config, state.step),
            **values,
        )
        if snapshot is not None:
            history.snapshots.append(snapshot)
        d_losses.clear()
        g_losses.clear()

    bar = ProgressBar(config.n_steps, label="train") if progress else None
    record()
    while state.step < last:
        d_loss, g_loss = train_iteration(state, data, noise, config)
        d_losses.append(d_loss)
        g_losses.append(g_loss)
        if (state.step - first) % config.eval_every == 0 or state.step == last:
            record()
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    return TrainResult(state, history)

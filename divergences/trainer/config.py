"""The hyperparameters of a training run, validated on construction, and what derives from them.

:class:`TrainConfig` holds every setting of Algorithm 1 (steps, minibatch size, networks,
optimisers, instance noise, seed, evaluation); :func:`make_optimizer` builds a network's optimiser
from it and :func:`instance_noise_std` gives the instance noise in force at an iteration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._checks.scalars import (
    check_choice,
    check_count,
    check_non_negative_real,
    check_positive_int,
    check_positive_real,
    check_seed,
)
from ._checks import check_layer_sizes, check_steps_within
from .mlp import ACTIVATIONS
from .optim import Adam, Optimizer, Sgd

GENERATOR_LOSSES = ("non-saturating", "saturating")


#: Implementations of the MLP passes: the numpy reference and the numba-compiled version.
ENGINES = ("numba", "numpy")

#: Precisions of a training step's passes (:mod:`~divergences.trainer.gradients`).
PRECISIONS = ("float64", "float32")


OPTIMIZERS = ("adam", "sgd")


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
        Minibatch size m, for data and noise alike (with packing: m packs of ``packing``
        samples each, so ``m * packing`` samples of each kind per step).
    packing : int, default 1
        Samples the discriminator judges at once (PacGAN, Lin et al. 2018): its input is
        ``packing`` samples of one kind concatenated. 1 is the plain GAN.
    unrolled_steps : int, default 0
        Before each generator step, this many discriminator steps on a copy of the
        discriminator (and of its optimiser), on fresh minibatches; the generator steps against
        the copy, which is then dropped (Metz et al. 2017, in its first-order form: the
        gradient does not run back through the unrolled steps). 0 is the plain GAN.
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
    precision : {"float64", "float32"}, default "float64"
        Precision of the network passes of a training step. "float32" runs them in single
        precision around float64 parameters and optimiser state (mixed precision, as GANs are
        usually trained; :mod:`~divergences.trainer.gradients`): about twice as fast at the
        PacGAN presets' widths, with gradients accurate to about 1e-6 relative. The
        measurements always run in float64.

    Examples
    --------
    >>> from divergences.trainer.config import TrainConfig
    >>> TrainConfig(k=5, loss="saturating").k
    5
    """

    n_steps: int = 2000
    k: int = 1
    batch_size: int = 128
    packing: int = 1
    unrolled_steps: int = 0
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
    precision: str = "float64"

    def __post_init__(self) -> None:
        for name in ("n_steps", "k", "batch_size", "packing", "eval_every", "eval_size", "bins"):
            check_positive_int(getattr(self, name), name)
        check_count(self.unrolled_steps, "unrolled_steps", 0, " (0 turns unrolling off)")
        if self.eval_size < self.packing:
            raise ValueError(
                f"eval_size must be at least packing = {self.packing} (the discriminator judges "
                f"packs of that many samples); got eval_size = {self.eval_size}."
            )
        check_choice(self.loss, "loss", GENERATOR_LOSSES)
        check_choice(self.engine, "engine", ENGINES)
        check_choice(self.precision, "precision", PRECISIONS)
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
        make_optimizer(self, "generator")
        make_optimizer(self, "discriminator")
        for name in ("generator_activation", "discriminator_activation"):
            check_choice(getattr(self, name), name, tuple(ACTIVATIONS))
        check_seed(self.seed)


def make_optimizer(config: TrainConfig, network: str) -> Optimizer:
    """The optimiser of ``network`` ("generator" or "discriminator") that ``config`` describes."""
    lr = getattr(config, f"{network}_lr")
    if getattr(config, f"{network}_optimizer") == "sgd":
        return Sgd(lr=lr, momentum=config.momentum)
    return Adam(lr=lr, beta1=config.beta1, beta2=config.beta2)


def instance_noise_std(config: TrainConfig, step: int) -> float:
    r"""Instance-noise standard deviation :math:`\sigma_t` at iteration ``step`` (data units).

    :math:`\sigma_t = \sigma_0 \max(0, 1 - t / T)` with :math:`T` =
    ``instance_noise_anneal_steps``, or :math:`\sigma_0` throughout when :math:`T = 0`.

    Examples
    --------
    >>> from divergences.trainer.config import TrainConfig, instance_noise_std
    >>> config = TrainConfig(instance_noise=1.0, instance_noise_anneal_steps=100)
    >>> [instance_noise_std(config, t) for t in (0, 50, 100, 200)]
    [1.0, 0.5, 0.0, 0.0]
    """
    if config.instance_noise_anneal_steps == 0:
        return config.instance_noise
    return config.instance_noise * max(0.0, 1.0 - step / config.instance_noise_anneal_steps)

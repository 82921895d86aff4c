"""The state of a training run: the two networks, their optimisers and the one random generator.

:func:`init_gan` builds it from a :class:`~divergences.trainer.config.TrainConfig`; the steps of
:mod:`~divergences.trainer.algorithm` update it in place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import TrainConfig, make_optimizer
from .data import Distribution
from .mlp import Mlp, init_mlp
from .optim import Optimizer


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
    >>> from divergences.trainer import TrainConfig, data, init_gan
    >>> state = init_gan(data.Gaussian(), data.GaussianNoise(), TrainConfig())
    >>> state.step, state.generator_optimizer.t
    (0, 0)
    """

    generator: Mlp
    discriminator: Mlp
    generator_optimizer: Optimizer
    discriminator_optimizer: Optimizer
    rng: np.random.Generator
    step: int = 0


def init_gan(data: Distribution, noise: Distribution, config: TrainConfig) -> GanState:
    """A freshly initialised generator and discriminator for ``data`` and ``noise``.

    The generator maps ``noise.dim`` to ``data.dim`` dimensions through
    ``config.generator_hidden``; the discriminator maps ``config.packing * data.dim`` (one
    pack of samples) to one logit. Both are
    initialised from ``np.random.default_rng(config.seed)``, generator first, and that generator
    then drives the training.

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, data, init_gan
    >>> state = init_gan(data.GaussianMixture.ring(), data.GaussianNoise(2),
    ...                            TrainConfig())
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
        (config.packing * data.dim, *config.discriminator_hidden, 1),
        activation=config.discriminator_activation,
        rng=rng,
    )
    return GanState(
        generator=generator,
        discriminator=discriminator,
        generator_optimizer=make_optimizer(config, "generator"),
        discriminator_optimizer=make_optimizer(config, "discriminator"),
        rng=rng,
    )

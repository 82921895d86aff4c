"""The named experiments of the command line, ``python -m divergences.trainer --experiment NAME``.

Each preset is a data distribution, a noise distribution and a training configuration; the 1-D
ones train :data:`~divergences.trainer.experiments.GAUSSIAN_CONFIG`, the 2-D ring and grid wider
networks for longer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .config import TrainConfig
from .data import Distribution, Gaussian, GaussianMixture, GaussianNoise, UniformNoise
from .experiments import DATA_MEAN, GAUSSIAN_CONFIG

__all__ = ["PRESETS", "Preset"]


@dataclass(frozen=True)
class Preset:
    """A named experiment of the command line: data, noise and training configuration.

    Examples
    --------
    >>> from divergences.trainer.presets import PRESETS
    >>> PRESETS["ring"].config.n_steps, PRESETS["ring"].data.n_modes
    (20000, 8)
    """

    description: str
    data: Distribution
    noise: Distribution
    config: TrainConfig


def _two_dimensional(n_steps: int) -> TrainConfig:
    return TrainConfig(
        n_steps=n_steps,
        generator_hidden=(64, 64),
        discriminator_hidden=(64, 64),
        generator_lr=2e-4,
        eval_every=500,
        eval_size=2500,
        snapshot_steps=(0, n_steps // 10, n_steps // 2),
    )


#: The experiments of ``python -m divergences.trainer --experiment NAME``. The 2-D mode metrics
#: use 2,500 generator samples, the size of the ring and grid benchmarks.
PRESETS: dict[str, Preset] = {
    "gaussian": Preset(
        "1-D N(4, 1) from N(0, 1) noise, non-saturating loss (gan.algorithm-1)",
        Gaussian(DATA_MEAN, 1.0),
        GaussianNoise(),
        replace(GAUSSIAN_CONFIG, snapshot_steps=(0, 250, 1000)),
    ),
    "uniform": Preset(
        "1-D N(0, 1) from U(-1, 1) noise: the generator learns the inverse normal cdf",
        Gaussian(0.0, 1.0),
        UniformNoise(low=-1.0, high=1.0),
        replace(GAUSSIAN_CONFIG, snapshot_steps=(0, 250, 1000)),
    ),
    "two-modes": Preset(
        "1-D equal modes at -3 and 3 with std 0.5, tanh generator (gan.mode-seeking)",
        GaussianMixture.two_modes(separation=6.0, std=0.5),
        GaussianNoise(),
        replace(GAUSSIAN_CONFIG, snapshot_steps=(0, 250, 1000)),
    ),
    "ring": Preset(
        "2-D ring of 8 modes (radius 2, std 0.02) from 2-D N(0, I) noise",
        GaussianMixture.ring(),
        GaussianNoise(2),
        _two_dimensional(20_000),
    ),
    "grid": Preset(
        "2-D grid of 5 x 5 modes (spacing 2, std 0.05) from 2-D N(0, I) noise",
        GaussianMixture.grid(),
        GaussianNoise(2),
        _two_dimensional(20_000),
    ),
}

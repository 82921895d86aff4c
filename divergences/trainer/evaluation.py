r"""The measurements a training run records, on fixed evaluation samples.

The evaluation samples come from a generator seeded by ``[config.seed, 1]``, separate from the
training randomness, so evaluating more or less often does not change training. See
:func:`~divergences.trainer.algorithm.train` for the list of measurements.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import losses, metrics
from .config import TrainConfig
from .data import Distribution, GaussianMixture, UnivariateDistribution
from .gradients import PASSES, pack
from .history import Snapshot
from .mlp import Mlp
from .state import GanState

LOG4 = math.log(4.0)


Forward = Callable[[Mlp, np.ndarray], tuple[np.ndarray, Any]]


#: Each engine's forward pass: the first of its layer passes (gradients.PASSES).
FORWARD: dict[str, Forward] = {engine: passes[0] for engine, passes in PASSES.items()}


class Evaluator:
    """Fixed evaluation samples for a run, and the measurements made on them.

    Built once per run: the samples, the histogram edges and the bin-averaged data density are
    computed here, so each measurement only runs the networks and the histograms.
    """

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
        """The measurements of ``state``, and its snapshot for the figures if ``snapshot``."""
        forward = FORWARD[self.config.engine]
        x_gen, _ = forward(state.generator, self.z)
        # with packing, D judges the evaluation samples in consecutive packs (a remainder of
        # fewer than `packing` samples is left out of V and D's means, not of the other metrics)
        p = self.config.packing
        used = self.config.eval_size - self.config.eval_size % p
        logit_data, _ = forward(state.discriminator, pack(self.x_data[:used], p))
        logit_gen, _ = forward(state.discriminator, pack(x_gen[:used], p))
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
            values["knn_jsd"] = _knn_jsd(x_gen, self.x_data)
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
        if self.config.packing == 1:
            forward = FORWARD[self.config.engine]
            d = losses.sigmoid(forward(state.discriminator, self.centers[:, None])[0][:, 0])
            weight = 0.5 * (self.p_data + p_g)
            mean_error, max_error = metrics.discriminator_error(d, d_star, weight)
        else:
            # a packed D judges tuples of samples: D(x) of one point, compared with D*(x), is
            # not defined
            d = np.full_like(d_star, math.nan)
            mean_error = max_error = math.nan
        arrays.update(centers=self.centers, p_data=self.p_data, p_g=p_g, d=d, d_star=d_star)
        return {
            "jsd": jsd,
            "criterion": 2.0 * jsd - LOG4,
            "d_error": mean_error,
            "d_error_max": max_error,
        }


def _knn_jsd(x_gen: np.ndarray, x_data: np.ndarray) -> float:
    """:func:`divergences.js_knn` of generator and data samples; NaN where it is undefined.

    The kNN estimator needs continuous samples: a generator that maps many noise values to one
    point (dead units) or that diverged to non-finite values makes it refuse, and the
    measurement is then undefined (NaN), never a number made up for it.
    """
    from ..knn import js_knn

    try:
        return float(js_knn(x_gen, x_data))
    except ValueError:
        return math.nan


def evaluate(
    state: GanState, data: Distribution, noise: Distribution, config: TrainConfig
) -> dict[str, float]:
    """The measurements :func:`~divergences.trainer.algorithm.train` records, for ``state``.

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, data, evaluation, init_gan
    >>> config = TrainConfig()
    >>> gaussian, noise = data.Gaussian(), data.GaussianNoise()
    >>> state = init_gan(gaussian, noise, config)
    >>> values = evaluation.evaluate(state, gaussian, noise, config)
    >>> sorted(values)
    ['criterion', 'd_data', 'd_error', 'd_error_max', 'd_generator', 'jsd', 'value']
    """
    from ._checks import check_network_dims

    check_network_dims(
        state.generator.sizes, state.discriminator.sizes, noise.dim, data.dim, config.packing
    )
    return Evaluator(data, noise, config).measure(state, snapshot=False)[0]

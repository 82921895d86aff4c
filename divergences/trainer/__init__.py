r"""A small GAN trainer that confirms the theory of Goodfellow et al. (2014) empirically.

Tiny multilayer perceptrons with hand-written backpropagation (no deep-learning framework),
Algorithm 1 with the saturating and non-saturating generator losses, and the measurements that
tie a run back to the theory: the histogram JSD between data and generator, the discriminator
against the optimal :math:`D^*`, the value :math:`V(G, D)` against :math:`-\log 4 + 2\,JSD`,
and the mode metrics of mixtures.

Modules, each named for what it holds:

* :mod:`~divergences.trainer.layers`, :mod:`~divergences.trainer.mlp` — the readable numpy
  passes, ``forward(params, x) -> (out, cache)`` and ``backward(params, cache, grad_out)``;
  :mod:`~divergences.trainer.compiled` — the same passes fused in numba kernels;
* :mod:`~divergences.trainer.losses` — the GAN losses and their gradients, from logits;
* :mod:`~divergences.trainer.optim` — Adam (bias-corrected) and SGD;
* :mod:`~divergences.trainer.data` — Gaussians, mixtures (two modes, ring, grid), any frozen
  ``scipy.stats`` distribution, Gaussian and uniform noise;
* :mod:`~divergences.trainer.config` — :class:`TrainConfig`, the hyperparameters of a run;
* :mod:`~divergences.trainer.state` — :class:`GanState` (networks, optimisers, random generator);
* :mod:`~divergences.trainer.gradients` — the gradients of a discriminator and a generator step;
* :mod:`~divergences.trainer.algorithm` — Algorithm 1 and :func:`train`;
* :mod:`~divergences.trainer.evaluation` — the measurements a run records, on fixed samples;
* :mod:`~divergences.trainer.metrics`, :mod:`~divergences.trainer.history` — measurements;
* :mod:`~divergences.trainer.experiments` — seeded experiments with derived thresholds;
* :mod:`~divergences.trainer.transform` — the seed's transform U(0, 1) → N(0, 1) learned by G;
* :mod:`~divergences.trainer.presets` — the named experiments of the command line;
* :mod:`~divergences.trainer.plots`, :mod:`~divergences.trainer.progress` — figures, progress.

``python -m divergences.trainer --experiment gaussian --out runs/`` runs an experiment from the
command line.

>>> from divergences import trainer
>>> config = trainer.TrainConfig(n_steps=100, eval_every=100, eval_size=1000)
>>> result = trainer.train(trainer.Gaussian(4.0, 1.0), trainer.GaussianNoise(), config)
>>> result.history["step"].tolist()
[0.0, 100.0]
"""

from .algorithm import TrainResult, train
from .config import TrainConfig
from .data import (
    Gaussian,
    GaussianMixture,
    GaussianNoise,
    ScipyDistribution,
    UniformNoise,
)
from .history import History
from .metrics import histogram_jsd, mode_metrics
from .state import GanState, init_gan

__all__ = [
    "GanState",
    "Gaussian",
    "GaussianMixture",
    "GaussianNoise",
    "History",
    "ScipyDistribution",
    "TrainConfig",
    "TrainResult",
    "UniformNoise",
    "histogram_jsd",
    "init_gan",
    "mode_metrics",
    "train",
]

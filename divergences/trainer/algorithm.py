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

With instance noise (Sønderby et al. 2016; Arjovsky & Bottou 2017, Section 3) the discriminator sees
:math:`x + \epsilon` with :math:`\epsilon \sim N(0, \sigma_t^2)` on both data and generator
samples, in both steps; :math:`\sigma_t` decays linearly to 0 over ``instance_noise_anneal_steps``
iterations (or stays constant when that is 0).

With packing (Lin et al. 2018, PacGAN) the discriminator judges ``packing`` samples of one kind
at once, concatenated: each step draws ``m * packing`` samples of each kind and forms ``m`` packs
(:mod:`~divergences.trainer.gradients`). Packing penalises a generator that puts too much mass
on a few modes: a pack of its samples is more often recognisably generated. With unrolled
steps (Metz et al. 2017) the generator steps against a copy of the discriminator that has taken
``unrolled_steps`` more steps (:func:`unrolled_discriminator`).

Everything random comes from one ``numpy.random.Generator`` seeded by ``config.seed``, drawn in a
fixed order, so a run is a deterministic function of its seed. Measurements use fixed evaluation
samples from a second generator, so evaluating more or less often does not change training.

>>> from divergences.trainer import TrainConfig, algorithm, data, init_gan
>>> config = TrainConfig(n_steps=200, eval_every=100, seed=0)
>>> result = algorithm.train(data.Gaussian(4.0, 1.0), data.GaussianNoise(), config)
>>> result.history["step"].tolist()
[0.0, 100.0, 200.0]

References
----------
Goodfellow, I. et al. (2014). Generative Adversarial Nets, Algorithm 1. arXiv:1406.2661
Metz, L., Poole, B., Pfau, D. & Sohl-Dickstein, J. (2017). Unrolled generative adversarial
networks. ICLR 2017. arXiv:1611.02163
Lin, Z., Khetan, A., Fanti, G. & Oh, S. (2018). PacGAN: The power of two samples in generative
adversarial networks. NeurIPS 2018. arXiv:1712.04086
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass, replace

import numpy as np

from .._checks.scalars import check_positive_int, check_type
from ._checks import check_network_dims
from .config import TrainConfig, instance_noise_std
from .data import Distribution
from .evaluation import Evaluator
from .gradients import discriminator_gradient, generator_gradient
from .history import History
from .mlp import Mlp
from .progress import ProgressBar
from .state import GanState, init_gan

__all__ = [
    "TrainResult",
    "discriminator_step",
    "generator_step",
    "train",
    "train_iteration",
    "unrolled_discriminator",
]


@dataclass
class TrainResult:
    """The outcome of :func:`train`: the final state, the history of measurements, the timings.

    Attributes
    ----------
    state : GanState
        The final state.
    history : History
        The measurements at every evaluation.
    first_step_seconds : float
        Wall time of the first iteration, which includes compiling the numba engine's kernels
        when numba's cache is cold.
    train_seconds : float
        Wall time of the other iterations (training only, no evaluation).
    eval_seconds : float
        Wall time of the evaluations.

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, algorithm, data, init_gan
    >>> config = TrainConfig(n_steps=10, eval_every=10, eval_size=500)
    >>> result = algorithm.train(data.Gaussian(), data.GaussianNoise(), config)
    >>> result.state.step, result.history["step"].tolist()
    (10, [0.0, 10.0])
    """

    state: GanState
    history: History
    first_step_seconds: float = 0.0
    train_seconds: float = 0.0
    eval_seconds: float = 0.0

    @property
    def steps_per_second(self) -> float:
        """Training iterations per second after the first (no compilation, no evaluation)."""
        steps = self.state.step - self.history["step"][0] - 1
        return steps / self.train_seconds if steps > 0 and self.train_seconds > 0 else math.nan

    def __repr__(self) -> str:
        return (
            f"TrainResult(step={self.state.step}, generator={self.state.generator!r}, "
            f"discriminator={self.state.discriminator!r}, history={self.history!r})"
        )


def discriminator_step(
    state: GanState, data: Distribution, noise: Distribution, config: TrainConfig
) -> float:
    r"""One discriminator update on a fresh minibatch of data and of noise; returns :math:`L_D`.

    Draws, in this order: ``m`` data samples, ``m`` noise samples, then (with instance noise)
    the noise added to the data and to the generator samples; with packing, ``m * packing`` of
    each (``m`` packs).

    Returns
    -------
    float
        The discriminator loss :math:`L_D = -\hat V(G, D)` on this minibatch before the update,
        in nats.

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, algorithm, data, init_gan
    >>> config = TrainConfig()
    >>> gaussian, noise = data.Gaussian(), data.GaussianNoise()
    >>> state = init_gan(gaussian, noise, config)
    >>> loss = algorithm.discriminator_step(state, gaussian, noise, config)
    >>> state.discriminator_optimizer.t, state.generator_optimizer.t
    (1, 0)
    """
    m = config.batch_size * config.packing
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
        packing=config.packing,
        precision=config.precision,
    )
    state.discriminator_optimizer.step(state.discriminator.flat, grads.flat)
    return loss


def generator_step(
    state: GanState, data: Distribution, noise: Distribution, config: TrainConfig
) -> float:
    """One generator update on a fresh minibatch of noise; returns the generator loss.

    Draws ``m`` noise samples (``m * packing`` with packing), then (with instance noise) the
    noise added to the generator samples; ``data`` gives only their dimension. Only the
    generator's parameters change. With ``unrolled_steps``, the generator steps against
    :func:`unrolled_discriminator` (whose minibatches are drawn first).

    Returns
    -------
    float
        The generator loss on this minibatch before the update, in nats.

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, algorithm, data, init_gan
    >>> config = TrainConfig()
    >>> gaussian, noise = data.Gaussian(), data.GaussianNoise()
    >>> state = init_gan(gaussian, noise, config)
    >>> loss = algorithm.generator_step(state, gaussian, noise, config)
    >>> state.discriminator_optimizer.t, state.generator_optimizer.t
    (0, 1)
    """
    discriminator = state.discriminator
    if config.unrolled_steps:
        discriminator = unrolled_discriminator(state, data, noise, config)
    m = config.batch_size * config.packing
    rng = state.rng
    z = noise.sample(rng, m)
    sigma = instance_noise_std(config, state.step)
    noise_fake = sigma * rng.standard_normal((m, data.dim)) if sigma > 0.0 else None
    loss, grads = generator_gradient(
        state.generator,
        discriminator,
        z,
        saturating=config.loss == "saturating",
        noise_fake=noise_fake,
        engine=config.engine,
        packing=config.packing,
        precision=config.precision,
    )
    state.generator_optimizer.step(state.generator.flat, grads.flat)
    return loss


def unrolled_discriminator(
    state: GanState, data: Distribution, noise: Distribution, config: TrainConfig
) -> Mlp:
    """A copy of the discriminator after ``config.unrolled_steps`` steps; the state is kept.

    The copy and a copy of the discriminator's optimiser take the steps of
    :func:`discriminator_step` on fresh minibatches from the state's random generator; the
    state's own discriminator and optimiser do not change. This is the unrolled discriminator of
    Metz et al. (2017) in its first-order form: the generator steps against the discriminator as
    it would answer after ``unrolled_steps`` more updates, and its gradient does not run back
    through those updates (the term of their Eq. 12 that needs second derivatives of the
    discriminator's loss is left out).

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, algorithm, data, init_gan
    >>> config = TrainConfig(unrolled_steps=3)
    >>> gaussian, noise = data.Gaussian(), data.GaussianNoise()
    >>> state = init_gan(gaussian, noise, config)
    >>> ahead = algorithm.unrolled_discriminator(state, gaussian, noise, config)
    >>> bool((ahead.flat != state.discriminator.flat).any()), state.discriminator_optimizer.t
    (True, 0)
    """
    ahead = replace(
        state,
        discriminator=state.discriminator.copy(),
        discriminator_optimizer=copy.deepcopy(state.discriminator_optimizer),
    )
    for _ in range(config.unrolled_steps):
        discriminator_step(ahead, data, noise, config)
    return ahead.discriminator


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
    >>> from divergences.trainer import TrainConfig, algorithm, data, init_gan
    >>> config = TrainConfig(k=3)
    >>> gaussian, noise = data.Gaussian(), data.GaussianNoise()
    >>> state = init_gan(gaussian, noise, config)
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


def train(
    data: Distribution,
    noise: Distribution,
    config: TrainConfig,
    *,
    state: GanState | None = None,
    progress: bool = False,
    blas_threads: int | None = 1,
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
        :func:`~divergences.trainer.state.init_gan`; it is updated in place.
    progress : bool, default False
        Draw a progress bar on stderr.
    blas_threads : int or None, default 1
        Threads of the BLAS libraries during the run (see Notes); None leaves them as they are.

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
      peak (max); NaN with packing, whose D judges tuples of samples, not points;
    * mixtures: ``modes_captured``, ``high_quality_share``, ``mode_reverse_kl``
      (:func:`~divergences.trainer.metrics.mode_metrics`; NaN when undefined), and
      ``knn_jsd``, :func:`divergences.js_knn` of the generator and data samples in nats (NaN
      when the generator's samples repeat a point or are not finite).

    Threads: by default the run's matrix products use one BLAS thread (``threadpoolctl``; the
    previous limits are restored on return; the limit is process-wide, so BLAS calls of other
    threads of the process are limited during the run too). The trainer's matrices are small
    (a minibatch by a few hundred units): on an idle 2-core machine a second thread made the
    PacGAN presets half again as fast (372 against 249 steps/s), but two runs side by side, or
    any other load on the second core, made each run seven to eight times slower (33 against
    255 steps/s; the trainer page of the documentation has the measurements). One thread is
    never much slower than the best and never collapses; ``blas_threads=None`` (or 2) is the
    choice for a run that has an idle machine to itself. To use more cores, run seeds in
    parallel processes (:mod:`~divergences.trainer.reproduce` does).

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, algorithm, data, init_gan
    >>> config = TrainConfig(n_steps=300, eval_every=100, eval_size=2000, seed=1)
    >>> history = algorithm.train(data.Gaussian(4.0, 1.0), data.GaussianNoise(), config).history
    >>> history["step"].tolist()
    [0.0, 100.0, 200.0, 300.0]
    >>> bool(history["jsd"][-1] < history["jsd"][0])  # the generator moves towards the data
    True
    """
    check_type(config, TrainConfig, "config", "TrainConfig(n_steps=2000, ...)")
    if blas_threads is not None:
        check_positive_int(blas_threads, "blas_threads")
    state = init_gan(data, noise, config) if state is None else state
    check_network_dims(
        state.generator.sizes, state.discriminator.sizes, noise.dim, data.dim, config.packing
    )
    # scipy's BLAS (the one the compiled engine's np.dot calls, as numba's ensure_blas loads
    # it; the measurements load scipy too) loaded now: a library loaded after the limits are set
    # would keep its own threads
    import scipy.linalg.cython_blas  # noqa: F401
    from threadpoolctl import threadpool_limits

    if blas_threads is None:
        return _train_loop(state, data, noise, config, progress)
    # the products of the trainer's small matrices on few BLAS threads: see Notes
    with threadpool_limits(limits=blas_threads, user_api="blas"):
        return _train_loop(state, data, noise, config, progress)


def _train_loop(
    state: GanState,
    data: Distribution,
    noise: Distribution,
    config: TrainConfig,
    progress: bool,
) -> TrainResult:
    """The loop of :func:`train`, with its history, timings and progress bar."""
    evaluator = Evaluator(data, noise, config)
    snapshot_steps = set(config.snapshot_steps) | {config.n_steps}
    history = History()
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
    clock = time.perf_counter
    seconds = {"first": 0.0, "train": 0.0, "eval": 0.0}
    start = clock()
    record()
    seconds["eval"] += clock() - start
    while state.step < last:
        start = clock()
        d_loss, g_loss = train_iteration(state, data, noise, config)
        seconds["first" if state.step == first + 1 else "train"] += clock() - start
        d_losses.append(d_loss)
        g_losses.append(g_loss)
        if (state.step - first) % config.eval_every == 0 or state.step == last:
            start = clock()
            record()
            seconds["eval"] += clock() - start
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    return TrainResult(state, history, seconds["first"], seconds["train"], seconds["eval"])

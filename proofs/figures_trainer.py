"""Figures of the claims that need the numpy trainer, drawn from the checks' own seeded runs.

Each figure reads its runs through :func:`proofs.trainer_runs.experiment` with the function, seed
and arguments the claim's check (and its falsifier) use: after ``python -m proofs`` has run the
claim, the runs are already computed in the process and the figure only draws them. Drawn on its
own (``--claim`` of another claim, or the docs build), a figure pays for the runs once.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from divergences.plotting import in_style, save

from ._drawing import finish, pyplot
from .trainer_runs import experiment

LOG2 = math.log(2.0)


@in_style
def algorithm_1(path: Path) -> None:
    """Histogram JSD over the steps of the check's run, and its final D against D*."""
    from .test_goodfellow2014 import _non_saturating_run, _saturating_far_start_run

    plt = pyplot()
    run, stalled = _non_saturating_run(), _saturating_far_start_run()
    alone = experiment("discriminator_alone", 0)
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.8))
    h = run.history
    left.semilogy(h["step"], h["jsd"], "o-", ms=3, color="tab:blue", label="JSD, the check's run")
    far = experiment("saturating_stall", 0)  # the falsifier's run and its control
    for result, colour, name in (
        (stalled, "tab:red", "saturating (the falsifier)"),
        (far.non_saturating, "tab:green", "non-saturating"),
    ):
        left.semilogy(
            result.history["step"],
            result.history["jsd"],
            "s-",
            ms=3,
            color=colour,
            label=f"JSD, {name}, SGD, k = 5, started 8 sd away",
        )
    left.axhline(
        run.jsd_bound,
        color="black",
        ls="--",
        lw=1,
        label=f"the check's bound, {run.jsd_bound:.4f} nats",
    )
    left.axhline(LOG2, color="grey", ls=":", lw=0.8)
    left.xaxis.get_major_locator().set_params(integer=True)
    left.set(
        xlabel="training iteration (k D-steps, then one G step)",
        ylabel="histogram JSD(p_data, p_g), nats",
        title="JSD falls below the bound",
    )
    snap = h.snapshots[-1].arrays
    x = snap["centers"]
    right.fill_between(x, snap["p_data"], color="lightgrey", label="p_data = N(4, 1)")
    right.step(x, snap["p_g"], where="mid", color="tab:blue", label="p_g, 10,000 samples")
    right.plot(x, snap["d_star"], color="black", ls="--", label="D*(x) of that p_g")
    right.plot(x, snap["d"], color="tab:orange", lw=2, label="trained D(x)")
    right.axhline(0.5, color="grey", ls=":", lw=0.8)
    right.set(
        xlabel="x",
        ylabel="density / probability",
        title=f"After {int(h['step'][-1])} iterations: D near 1/2",
    )
    fig.suptitle(
        f"Algorithm 1 on N(4, 1): E|D - 1/2| on the data = {run.d_deviation:.3f} "
        f"(band {run.d_band:.3f}); D trained alone, E|D - D*| = {alone.d_error:.4f} "
        f"(D = 1/2: {alone.d_error_indifferent:.3f})",
        fontsize="small",
    )
    finish(fig, path)


@in_style
def mode_seeking_runs(path: Path) -> None:
    """Samples on each mode per seeded run: the check's tanh runs and the falsifier's."""
    from .test_huszar2015 import _jumping_generator_runs, _tanh_generator_runs

    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.8), sharey=True)
    width = 0.38
    for ax, result, name in zip(
        axes,
        (_tanh_generator_runs(), _jumping_generator_runs()),
        (
            "tanh G, 3000 iterations\n(the check)",
            "leaky-ReLU G, rate 1e-3, 4000 iterations\n(the falsifier)",
        ),
        strict=True,
    ):
        seeds = np.arange(len(result.seeds))
        counts = np.array(result.counts)
        for j, (colour, centre) in enumerate((("tab:blue", -3), ("tab:orange", 3))):
            bars = ax.bar(
                seeds + (j - 0.5) * width,
                counts[:, j],
                width,
                color=colour,
                label=f"samples within 3 sd of the mode at {centre:+d}",
            )
            ax.bar_label(bars, fontsize=5.5, padding=1)
        ax.axhline(100, color="black", ls="--", lw=1, label="captured: at least 100 (1%)")
        ax.set_xticks(
            seeds,
            [
                f"seed {s}\n{m} mode{'s' * (m != 1)}"
                for s, m in zip(result.seeds, result.modes_captured, strict=True)
            ],
        )
        ax.set(
            ylim=(0, 11_500),
            xlabel="seeded run",
            title=f"{name}: one mode in {result.single_mode_runs} of {len(result.seeds)} runs",
        )
    axes[0].set_ylabel("generator samples, of 10,000")
    axes[0].yaxis.get_major_locator().set_params(integer=True)
    axes[1].legend_ = None
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    save(fig, path)
    plt.close(fig)


@functools.cache
def _learned_map_replica() -> tuple[np.ndarray, np.ndarray]:
    """Levels u and the map G(u) of ``learned_inverse_cdf(0)``'s generator, trained again.

    :class:`~divergences.trainer.transform.LearnedMapResult` keeps the map's errors, not the
    map, so this repeats the experiment's training (same data, noise, configuration and seed:
    the trainer is deterministic) and evaluates the generator on the experiment's grid.
    """
    from divergences.trainer import compiled
    from divergences.trainer.algorithm import train
    from divergences.trainer.data import Gaussian, UniformNoise
    from divergences.trainer.experiments import GAUSSIAN_CONFIG

    config = replace(GAUSSIAN_CONFIG, seed=0, n_steps=5000, eval_every=500)
    result = train(Gaussian(0.0, 1.0), UniformNoise(low=-1.0, high=1.0), config)
    u = np.linspace(0.02, 0.98, 961)
    return u, compiled.forward(result.state.generator, (2.0 * u - 1.0)[:, None])[0][:, 0]


@in_style
def learned_map(path: Path) -> None:
    """The learned map against Phi^-1, and the histogram JSD's steps along a generator shift."""
    from .test_seed_notes import FLAT_N, _histogram_js, _smoothed_js

    plt = pyplot()
    checked = experiment("learned_inverse_cdf", 0)
    u, g = _learned_map_replica()
    error = float(np.mean(np.abs(g - stats.norm.ppf(u))))
    if not math.isclose(error, checked.mean_error, rel_tol=1e-9):
        raise RuntimeError(
            f"the replica of learned_inverse_cdf(0) gives mean error {error}, the check's run "
            f"{checked.mean_error}: the figure would not show the checked map"
        )
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.8))
    left.plot(u, stats.norm.ppf(u), color="black", lw=3, alpha=0.4, label="Phi^-1(u)")
    left.plot(u, g, color="tab:blue", lw=1.5, label="learned G, the check's run (seed 0)")
    left.plot(
        u,
        0.2 + 1.2 * stats.norm.ppf(u),
        color="tab:red",
        ls=":",
        label="reference misfit 0.2 + 1.2 Phi^-1(u)",
    )
    left.set(
        xlabel="level u of the uniform noise",
        ylabel="G(u), data units",
        title=(
            f"mean |G - Phi^-1| = {checked.mean_error:.3f}\n"
            f"(bound {checked.mean_error_bound:.3f}; increasing: {checked.increasing})"
        ),
    )
    # the check's first part: the same estimator and samples, over a window of 2e-3 in the shift
    rng = np.random.default_rng(2002)
    x = rng.standard_normal(FLAT_N)
    samples = np.tanh(1.3 * rng.uniform(-1.0, 1.0, FLAT_N)) * 2.0
    shifts = 0.5 + np.linspace(0.0, 2e-3, 801)
    hist = np.array([_histogram_js(x, samples + t) for t in shifts])
    smooth_shifts = shifts[::40]
    smooth = np.array([_smoothed_js(x, samples + t) for t in smooth_shifts])
    right.step(
        (shifts - 0.5) * 1e3,
        (hist - hist[0]) * 1e3,
        where="post",
        color="tab:blue",
        label="histogram JSD (50 bins): steps, slope 0",
    )
    right.plot(
        (smooth_shifts - 0.5) * 1e3,
        (smooth - smooth[0]) * 1e3,
        "o-",
        ms=3,
        color="tab:red",
        label="kernel-smoothed JSD (the falsifier): a slope",
    )
    right.set(
        xlabel="shift t - 0.5 of the generator's samples (1e-3 data units)",
        ylabel="JSD(t) - JSD(0.5), 1e-3 nats",
        title="Histogram JSD is flat between jumps",
    )
    finish(fig, path)


@in_style
def relaxed_histogram(path: Path) -> None:
    """The map learned by the soft-histogram JSD against Phi^-1, and its pushforward's density."""
    from divergences.trainer import compiled

    plt = pyplot()
    soft = experiment("learn_map_relaxed_histogram", 0, binning="soft")  # the check's runs
    hard = experiment("learn_map_relaxed_histogram", 0, binning="hard")
    gan_u, gan_g = _learned_map_replica()  # transform.learned-map's GAN, cached by its figure
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.8))
    u = soft.levels
    inner = u[1:-1]
    left.plot(inner, stats.norm.ppf(inner), color="black", lw=3, alpha=0.4, label="Phi^-1(u)")
    left.plot(u, soft.values, color="tab:blue", lw=1.5, label="soft-histogram JSD (seed 0)")
    left.plot(gan_u, gan_g, color="tab:green", ls="--", lw=1.2, label="GAN (transform.learned-map)")
    left.plot(
        u, hard.values, color="tab:red", ls=":", lw=1.5, label="hard histogram: the initial map"
    )
    left.set(
        ylim=(-3.5, 3.5),
        xlabel="level u of the uniform noise",
        ylabel="G(u), data units",
        title=(
            f"Learned maps; increasing grid steps {soft.increasing_share:.0%}\n"
            f"(hard histogram: {hard.increasing_share:.0%}, moved {hard.displacement:g})"
        ),
    )
    # the pushforward of U(0, 1): G at 200,000 evenly spaced levels (midpoint quadrature of U)
    levels = (np.arange(200_000) + 0.5) / 200_000
    pushed = compiled.forward(soft.generator, (2.0 * levels - 1.0)[:, None])[0][:, 0]
    edges = np.linspace(-4.0, 4.0, 81)
    right.hist(
        pushed, bins=edges, density=True, color="tab:blue", alpha=0.5, label="density of G(U)"
    )
    x = np.linspace(-4.0, 4.0, 400)
    right.plot(x, stats.norm.pdf(x), color="black", lw=1.5, label="N(0, 1) density")
    right.set(
        xlabel="y, data units",
        ylabel="density",
        title=(
            f"JSD(G#U, N(0,1)) = {soft.jsd:.4f} nats by quadrature\n"
            f"(bound {soft.jsd_bound:.4f}; hard histogram: from samples {hard.jsd_samples:.2f})"
        ),
    )
    finish(fig, path)


FIGURES: dict[str, Callable[[Path], Any]] = {
    "algorithm_1.png": algorithm_1,
    "mode_seeking_runs.png": mode_seeking_runs,
    "learned_map.png": learned_map,
    "relaxed_histogram.png": relaxed_histogram,
}

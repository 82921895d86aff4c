r"""Published toy-GAN tables, reproduced: ``python -m divergences.trainer reproduce pacgan-table1``.

Table 1 of Lin, Khetan, Fanti & Oh (2018, PacGAN) reports, over 10 trials each, the modes
captured, the share of high-quality samples and the reverse KL of the mode histogram for a plain
GAN and for PacGAN2-4 on two mixtures of Gaussians. :func:`reproduce` trains the same rows with
this trainer, ``seeds`` runs per row in parallel processes, keeps each finished run on disk (an
interrupted reproduction resumes where it stopped) and writes the table, mean ± standard error,
beside the published numbers, with a figure of samples per method.

What is matched, from the paper and its released code (``synthetic_data_experiments`` of
github.com/fjxmlzn/PacGAN, files ``2DRing_GAN&PacGAN/config.py``, ``2DGrid_GAN&PacGAN/config.py``
and ``pacgan_task.py``; the metrics in ``PacGAN/pacgan/extensions.py``):

* data: the ring, 8 modes on the unit circle with standard deviation 0.01; the grid, 25 modes at
  :math:`\{-4, -2, 0, 2, 4\}^2` with standard deviation 0.05; equal weights; 2-D standard normal
  noise;
* the losses (non-saturating generator loss from logits), Adam with :math:`\beta_1 = 0.8`,
  minibatches of 100 packs, packing m = 1 to 4 by concatenating m samples at the
  discriminator's input, a discriminator of three 200-unit hidden layers;
* the metrics on 2,500 generator samples: a sample is of high quality within 3 standard
  deviations of its nearest mode, a mode is captured with at least one high-quality sample, the
  reverse KL is :math:`KL(q \| u)` of the high-quality samples' mode histogram :math:`q` against
  the uniform mode distribution (:func:`~divergences.trainer.metrics.mode_metrics`). The
  released code writes the first two and the entropy :math:`H(q)` of that histogram ("entropy of
  coverage"), from which :math:`KL(q \| u) = \log K - H(q)` for K modes; the reverse KL itself
  is the paper's. A run with no high-quality sample has no reverse KL and is left out of that
  column's mean (``table.json`` gives each column's number of runs).

What is not matched, and why. The released code updates the discriminator and the generator
simultaneously on one minibatch (``ali_algorithm``), initialises weights from :math:`N(0,
0.02^2)` and gives the generator no biases but at its output; this trainer runs Algorithm 1 (a
discriminator step, then a generator step, each on fresh minibatches) with PyTorch's default
initialisation and biases everywhere. The paper trains for 400 epochs of 100,000 samples
(400,000 iterations) at learning rate :math:`10^{-4}` a generator of four 400-unit ReLU layers
with batch normalisation against a discriminator of three 200-unit maxout layers of 5 pieces. At
this trainer's speed on two cores that is days for the 80 runs of the table. The presets train
for :data:`PACGAN_STEPS` iterations at learning rate :math:`2 \cdot 10^{-4}` (20 times fewer
iterations: with :math:`10^{-4}` the discriminator of this trainer stayed at chance, V = -log 4,
for the first 5,000 on the ring) a generator of three 128-unit ReLU layers without batch
normalisation against leaky-ReLU layers instead of maxout (the trainer has neither), in float32
like the paper (mixed precision: ``TrainConfig.precision``). The reproduction reports what that
gives, beside the published numbers.

Budget or simplification? ``benches/pacgan_reference.py`` trains the released configuration
itself (batch normalisation, maxout, its initialisation and updates; in PyTorch) and prints the
same metrics along the way: at 20,000 iterations it is no closer to the published numbers than
these presets (on the grid, 42-50 % high-quality samples for the plain GAN and 3 % for PacGAN4,
against the published 94.8 % and 93.6 % and the presets' 61 % and 3 %; the documentation's
trainer page has the runs). The published table is the table of 400,000 iterations.

References
----------
Lin, Z., Khetan, A., Fanti, G. & Oh, S. (2018). PacGAN: The power of two samples in generative
adversarial networks. NeurIPS 2018, Table 1. arXiv:1712.04086
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import signal
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .config import TrainConfig
from .data import GaussianMixture, GaussianNoise

__all__ = [
    "PACGAN_DATA",
    "PACGAN_STEPS",
    "PACGAN_TABLE1",
    "TABLES",
    "Published",
    "ReproducedTable",
    "RunConflict",
    "pacgan_config",
    "reproduce",
]

#: The two mixtures of the PacGAN code: ring (radius 1, std 0.01) and grid (spacing 2, std 0.05).
PACGAN_DATA: dict[str, GaussianMixture] = {
    "ring": GaussianMixture.ring(n_modes=8, radius=1.0, std=0.01),
    "grid": GaussianMixture.grid(side=5, spacing=2.0, std=0.05),
}

#: Training iterations of the presets (the paper: 400,000).
PACGAN_STEPS = 20_000


@dataclass(frozen=True)
class Published:
    """One row of a published table: mean and standard error of each metric over its trials."""

    modes: tuple[float, float]
    high_quality_share: tuple[float, float]
    reverse_kl: tuple[float, float]


#: Table 1 of Lin et al. (2018), 10 trials per row, standard errors; shares as fractions.
PACGAN_TABLE1: dict[tuple[str, str], Published] = {
    ("ring", "GAN"): Published((6.3, 0.5), (0.982, 0.002), (0.45, 0.09)),
    ("ring", "PacGAN2"): Published((7.9, 0.1), (0.956, 0.020), (0.07, 0.03)),
    ("ring", "PacGAN3"): Published((7.8, 0.1), (0.977, 0.003), (0.10, 0.02)),
    ("ring", "PacGAN4"): Published((7.8, 0.1), (0.959, 0.014), (0.07, 0.02)),
    ("grid", "GAN"): Published((17.3, 0.8), (0.948, 0.007), (0.70, 0.07)),
    ("grid", "PacGAN2"): Published((23.8, 0.7), (0.913, 0.008), (0.13, 0.04)),
    ("grid", "PacGAN3"): Published((24.6, 0.4), (0.942, 0.004), (0.06, 0.02)),
    ("grid", "PacGAN4"): Published((24.8, 0.2), (0.936, 0.006), (0.04, 0.01)),
}

#: The methods of the table and their packing.
PACGAN_ROWS: dict[str, int] = {"GAN": 1, "PacGAN2": 2, "PacGAN3": 3, "PacGAN4": 4}

#: The reproducible tables, by the name the command line takes.
TABLES = {"pacgan-table1": "Lin et al. (2018, PacGAN), Table 1: ring and grid, GAN and PacGAN2-4"}

METRICS = ("modes_captured", "high_quality_share", "mode_reverse_kl")


def pacgan_config(packing: int, seed: int = 0, n_steps: int = PACGAN_STEPS) -> TrainConfig:
    """The training configuration of a PacGAN Table 1 row (see the module's notes).

    Examples
    --------
    >>> from divergences.trainer.reproduce import pacgan_config
    >>> config = pacgan_config(packing=4)
    >>> config.packing, config.batch_size, config.discriminator_hidden, config.beta1
    (4, 100, (200, 200, 200), 0.8)
    >>> config.precision  # the paper's Theano trained in float32 too
    'float32'
    """
    return TrainConfig(
        n_steps=n_steps,
        batch_size=100,
        packing=packing,
        loss="non-saturating",
        generator_hidden=(128, 128, 128),
        discriminator_hidden=(200, 200, 200),
        generator_activation="relu",
        discriminator_activation="leaky_relu",
        generator_lr=2e-4,
        discriminator_lr=2e-4,
        beta1=0.8,
        seed=seed,
        eval_every=n_steps,
        eval_size=2500,
        snapshot_steps=(),
        precision="float32",
    )


@dataclass(frozen=True)
class _Run:
    """One training run of a reproduction: dataset, method, seed, where its result goes."""

    dataset: str
    method: str
    seed: int
    n_steps: int
    path: Path

    @property
    def config(self) -> TrainConfig:
        return pacgan_config(PACGAN_ROWS[self.method], self.seed, self.n_steps)


def _train_run(run: _Run) -> dict[str, Any]:
    """Train one run and write its result (metrics, configuration, timings, samples)."""
    from .algorithm import train
    from .evaluation import FORWARD, Evaluator

    data, noise, config = PACGAN_DATA[run.dataset], GaussianNoise(2), run.config
    start = time.perf_counter()
    result = train(data, noise, config)
    seconds = time.perf_counter() - start
    # the 2,500 generator samples the final metrics were measured on (the run's snapshot keeps
    # fewer, for figures)
    samples = FORWARD[config.engine](result.state.generator, Evaluator(data, noise, config).z)[0]
    final = result.history.summary()
    record = {
        "dataset": run.dataset,
        "method": run.method,
        "seed": run.seed,
        "config": asdict(config),
        "metrics": {name: final[name] for name in METRICS},
        "seconds": round(seconds, 3),
        "steps_per_second": round(result.steps_per_second, 1),
    }
    # as it will read back: tuples become lists
    stored: dict[str, Any] = json.loads(json.dumps(record))
    # written whole or not at all: an interrupted run leaves nothing that looks finished
    for suffix, write in (
        (".npy", lambda f: np.save(f, samples)),
        (".json", lambda f: f.write(json.dumps(record, indent=2).encode())),
    ):
        final_path = run.path.with_suffix(suffix)
        # a temporary name of its own: two reproductions writing to one directory never
        # interleave their bytes in one file
        handle, partial = tempfile.mkstemp(dir=final_path.parent, prefix=final_path.name + ".")
        with os.fdopen(handle, "wb") as f:
            write(f)
        os.replace(partial, final_path)
    return stored


class RunConflict(ValueError):
    """A stored run that this reproduction cannot use (another configuration, or unreadable)."""


def _load_run(run: _Run) -> dict[str, Any] | None:
    """The stored result of ``run``, or None; an error if it was trained with another config."""
    path = run.path.with_suffix(".json")
    if not path.exists() or not run.path.with_suffix(".npy").exists():
        return None
    try:
        record: dict[str, Any] = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RunConflict(
            f"{path} is not a readable run result ({error}); delete it (and "
            f"{run.path.with_suffix('.npy').name}) to train this run again."
        ) from None
    expected = json.loads(json.dumps(asdict(run.config)))
    if record.get("config") != expected:
        raise RunConflict(
            f"{path} holds a run with another configuration (e.g. another number of steps); "
            f"choose another output directory or delete {run.path.parent} to start afresh."
        )
    return record


@dataclass
class ReproducedTable:
    """The runs of a reproduction, summarised per (dataset, method).

    Attributes
    ----------
    records : list of dict
        One per run: dataset, method, seed, configuration, final metrics, wall time.
    directory : Path
        Where the runs, the table and the figure are.
    seconds : float
        Wall time of this call (runs loaded from disk cost nothing).
    """

    records: list[dict[str, Any]]
    directory: Path
    seconds: float

    def summary(self) -> dict[tuple[str, str], dict[str, tuple[float, float, int]]]:
        """Mean, standard error and number of runs of each metric, per (dataset, method).

        The standard error is the sample standard deviation over the runs divided by the square
        root of their number (the paper's "standard error"); NaN with one run. A run whose reverse
        KL is undefined (no high-quality sample) is left out of that metric's mean.
        """
        out: dict[tuple[str, str], dict[str, tuple[float, float, int]]] = {}
        keys = sorted({(r["dataset"], r["method"]) for r in self.records}, key=_row_order)
        for key in keys:
            rows = [r for r in self.records if (r["dataset"], r["method"]) == key]
            out[key] = {}
            for name in METRICS:
                values = np.array(
                    [r["metrics"][name] for r in rows if r["metrics"][name] is not None]
                )
                n = values.size
                mean = float(values.mean()) if n else math.nan
                se = float(values.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
                out[key][name] = (mean, se, n)
        return out

    def markdown(self) -> str:
        """The table beside the published one, in Markdown."""
        lines = [
            "| data | method | runs | modes | published | high quality (%) | published | "
            "reverse KL | published |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for (dataset, method), metrics in self.summary().items():
            published = PACGAN_TABLE1[(dataset, method)]
            modes, hq, kl = (metrics[name] for name in METRICS)
            lines.append(
                f"| {dataset} | {method} | {modes[2]} | {_pm(modes, 1)} | "
                f"{_pm(published.modes, 1)} | {_pm(hq, 1, 100)} | "
                f"{_pm(published.high_quality_share, 1, 100)} | {_pm(kl, 3)} | "
                f"{_pm(published.reverse_kl, 2)} |"
            )
        return "\n".join(lines) + "\n"


def _pm(value: tuple[float, ...], digits: int, scale: float = 1.0) -> str:
    mean, se = value[0] * scale, value[1] * scale
    if math.isnan(mean):
        return "undefined"
    return f"{mean:.{digits}f}" if math.isnan(se) else f"{mean:.{digits}f} ± {se:.{digits}f}"


def _row_order(key: tuple[str, str]) -> tuple[int, int]:
    return list(PACGAN_DATA).index(key[0]), list(PACGAN_ROWS).index(key[1])


def _runs(directory: Path, seeds: int, n_steps: int) -> list[_Run]:
    """Every run, seed by seed: an interrupted reproduction has as many seeds in every row."""
    return [
        _Run(dataset, method, seed, n_steps, directory / "runs" / f"{dataset}-{method}-seed{seed}")
        for seed in range(seeds)
        for dataset in PACGAN_DATA
        for method in PACGAN_ROWS
    ]


def reproduce(
    name: str = "pacgan-table1",
    *,
    out: str | os.PathLike[str] = "runs",
    seeds: int = 10,
    n_steps: int = PACGAN_STEPS,
    jobs: int | None = None,
    progress: bool = True,
    figure: bool = True,
) -> ReproducedTable:
    """Reproduce a published table (see the module's notes); resumes from ``out``.

    Parameters
    ----------
    name : {"pacgan-table1"}
        The table.
    out : path, default "runs"
        Parent directory; the reproduction lives in ``out/<name>/``: ``runs/`` (one JSON result
        and one ``.npy`` of 2,500 generator samples per run), ``table.md``, ``table.json`` and
        ``samples.png``/``.svg``. Runs already there are loaded, not trained again.
    seeds : int, default 10
        Runs per row (seeds 0 .. seeds - 1), as in the paper.
    n_steps : int, default :data:`PACGAN_STEPS`
        Training iterations per run.
    jobs : int, optional
        Parallel worker processes; default the number of CPUs. Each run uses one thread.
    progress : bool, default True
        A progress bar over the runs on stderr.
    figure : bool, default True
        Draw the figure of samples per method (seed 0 of each row).

    Returns
    -------
    ReproducedTable

    Examples
    --------
    >>> import tempfile
    >>> from divergences.trainer.reproduce import reproduce
    >>> table = reproduce(out=tempfile.mkdtemp(), seeds=1, n_steps=2, jobs=1, progress=False,
    ...                   figure=False)
    >>> len(table.records), sorted(table.summary())[0]
    (8, ('grid', 'GAN'))
    """
    from .._checks.scalars import check_choice, check_positive_int
    from .progress import ProgressBar

    check_choice(name, "name", tuple(TABLES))
    n_seeds = check_positive_int(seeds, "seeds")
    steps = check_positive_int(n_steps, "n_steps")
    workers = check_positive_int(os.cpu_count() or 1 if jobs is None else jobs, "jobs")
    directory = Path(out) / name
    try:
        (directory / "runs").mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise RunConflict(
            f"{directory / 'runs'} cannot be a directory (a file is in the way); choose another "
            f"output directory."
        ) from None
    start = time.perf_counter()
    runs = _runs(directory, n_seeds, steps)
    records: dict[_Run, dict[str, Any]] = {}
    for run in runs:
        record = _load_run(run)
        if record is not None:
            records[run] = record
    todo = [run for run in runs if run not in records]
    if todo:
        bar = ProgressBar(len(todo), label=name, unit="runs") if progress else None
        for run, record in _execute(todo, workers):
            records[run] = record
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()
    table = ReproducedTable([records[run] for run in runs], directory, time.perf_counter() - start)
    (directory / "table.md").write_text(table.markdown())
    # NaN (one run: no standard error; no run with a defined value) is null in JSON
    summary = {
        f"{d}/{m}": {
            name: [None if isinstance(x, float) and math.isnan(x) else x for x in values]
            for name, values in metrics.items()
        }
        for (d, m), metrics in table.summary().items()
    }
    (directory / "table.json").write_text(json.dumps(summary, indent=2, allow_nan=False) + "\n")
    if figure:
        from . import plots

        samples = {
            (r.dataset, r.method): np.load(r.path.with_suffix(".npy")) for r in runs if r.seed == 0
        }
        plots.save_figure(
            plots.plot_reproduction(samples, {k: v.centers for k, v in PACGAN_DATA.items()}),
            directory / "samples.png",
        )
    return table


def _ignore_interrupts() -> None:
    """Worker initialiser: Ctrl-C is the parent's to handle (it stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _train_numbered(numbered: tuple[int, _Run]) -> tuple[int, dict[str, Any]]:
    index, run = numbered
    return index, _train_run(run)


def _execute(runs: list[_Run], workers: int) -> Iterable[tuple[_Run, dict[str, Any]]]:
    """Train ``runs``, in this process with one worker, else in ``workers`` spawned processes."""
    if workers == 1:
        for run in runs:
            yield run, _train_run(run)
        return
    # spawned, not forked: a fresh interpreter per worker, whatever threads this process runs.
    # The workers ignore Ctrl-C (a terminal sends it to the whole process group): the parent
    # gets it, and leaving the block on an error, an interruption or an abandoned iteration
    # terminates the workers, dropping the runs in progress (their files are written whole or
    # not at all) and the queued ones.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_ignore_interrupts) as pool:
        for index, record in pool.imap_unordered(_train_numbered, list(enumerate(runs))):
            yield runs[index], record

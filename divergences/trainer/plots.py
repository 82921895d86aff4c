r"""Figures of a training run, drawn with matplotlib's object API (no pyplot, no global state).

matplotlib is imported inside each function, so ``import divergences.trainer`` does not pay for
it, and the figures are :class:`matplotlib.figure.Figure` objects that render with any backend,
``Agg`` included.

* :func:`plot_panels` — Goodfellow et al. (2014) Figure 1 at several steps: the data density,
  the generator's histogram density, the discriminator D and the optimal :math:`D^*`;
* :func:`plot_curves` — histogram JSD, :math:`\hat V(G, D)` against
  :math:`-\log 4 + 2\,JSD`, the distance of D from :math:`D^*`, the losses;
* :func:`plot_samples` — generator samples over the modes of a 2-D mixture.

>>> from divergences.trainer import TrainConfig, algorithm, data, plots
>>> config = TrainConfig(n_steps=20, eval_every=10, eval_size=500, snapshot_steps=(0,))
>>> history = algorithm.train(data.Gaussian(4.0, 1.0), data.GaussianNoise(), config).history
>>> figure = plots.plot_panels(history)
>>> len(figure.axes)  # two panels, each with a twin axis for D
4
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from ..plotting import in_style, save
from ._checks import check_snapshots
from .history import History

__all__ = ["plot_curves", "plot_panels", "plot_reproduction", "plot_samples", "save_figure"]

LOG4 = math.log(4.0)


def _figure(n_panels: int, columns: int, panel_height: float) -> tuple[Any, list[Any]]:
    """A figure about 7 inches wide (page width) with ``n_panels`` panels in rows of ``columns``."""
    from matplotlib.figure import Figure

    columns = min(columns, n_panels)
    rows = -(-n_panels // columns)
    figure = Figure(figsize=(7.0, panel_height * rows + 0.6), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax in grid[n_panels:]:
        ax.remove()
    return figure, list(grid[:n_panels])


def _legend_below(figure: Any, axes: list[Any]) -> None:
    """One legend for the figure, below the panels (never over the data)."""
    handles: dict[str, Any] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, handle)
    if handles:
        figure.legend(
            list(handles.values()),
            list(handles),
            loc="outside lower center",
            ncols=min(4, len(handles)),
        )


def save_figure(figure: Any, path: str | os.PathLike[str]) -> None:
    """Write ``figure`` to ``path`` and a vector copy beside it (:func:`divergences.plotting.save`).

    Examples
    --------
    >>> import os, tempfile
    >>> from matplotlib.figure import Figure
    >>> from divergences.trainer.plots import save_figure
    >>> path = os.path.join(tempfile.mkdtemp(), "empty.png")
    >>> save_figure(Figure(figsize=(1, 1)), path)
    >>> os.path.getsize(path) > 0
    True
    """
    save(figure, path)


@in_style
def plot_panels(history: History, *, max_panels: int = 4) -> Any:
    r"""Goodfellow et al. (2014) Figure 1 from the snapshots of a 1-D run.

    Each panel shows, on the bin centres of the run's evaluation window: the data density
    (black dots), the generator's histogram density (green), the discriminator
    :math:`D(x)` (blue, dashed) and the optimal discriminator :math:`D^* = p_{data} /
    (p_{data} + p_g)` (red, dotted) computed from the two densities. Densities use the left axis
    (per data unit), discriminators the right one (probability).

    Parameters
    ----------
    history : History
        A 1-D run's history with snapshots (``TrainConfig.snapshot_steps``).
    max_panels : int, default 4
        At most this many snapshots, evenly spread, the first and last included.

    Returns
    -------
    matplotlib.figure.Figure

    References
    ----------
    Goodfellow et al. (2014), Figure 1. arXiv:1406.2661

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, algorithm, data, plots
    >>> config = TrainConfig(n_steps=10, eval_every=10, eval_size=500)
    >>> history = algorithm.train(data.Gaussian(), data.GaussianNoise(), config).history
    >>> plots.plot_panels(history).axes[0].get_title()
    'step 10'
    """
    snapshots = check_snapshots(history.snapshots, "centers", "plot_panels")
    if len(snapshots) > max_panels:
        picks = np.unique(np.linspace(0, len(snapshots) - 1, max_panels).round().astype(int))
        snapshots = [snapshots[i] for i in picks]
    figure, axes = _figure(len(snapshots), 2, 2.4)
    twins = []
    for i, (ax, snapshot) in enumerate(zip(axes, snapshots, strict=True)):
        a = snapshot.arrays
        ax.plot(a["centers"], a["p_data"], "k.", markersize=3, label="$p_{data}$")
        ax.plot(a["centers"], a["p_g"], "g-", label="$p_g$ (histogram)")
        ax.set_xlabel("x (data units)")
        ax.set_title(f"step {snapshot.step}")
        twin = ax.twinx()
        twin.grid(False)
        twin.plot(a["centers"], a["d"], "b--", label="D(x)")
        twin.plot(a["centers"], a["d_star"], "r:", label="$D^*(x)$")
        twin.set_ylim(-0.02, 1.02)
        twins.append(twin)
        if i % 2 == 0:
            ax.set_ylabel("density (per data unit)")
        if i % 2 == 1 or ax is axes[-1]:
            twin.set_ylabel("D(x) (probability)")
    _legend_below(figure, [*axes, *twins])
    return figure


@in_style
def plot_curves(history: History) -> Any:
    r"""Training curves: JSD, the value against the criterion, D against D*, the losses.

    Every series has its own colour across the panels, so one legend below them serves all.

    Panels (those whose series the history holds): the histogram JSD (log scale, nats);
    :math:`\hat V(G, D)` against :math:`-\log 4 + 2\,JSD` and :math:`-\log 4` (Theorem 1:
    :math:`V \le C(G)`, with equality at :math:`D^*`); the mixture-weighted
    :math:`|D - D^*|` and :math:`E_{p_{data}} D`; the mean losses; for mixtures the modes
    captured and the share of high-quality samples.

    Parameters
    ----------
    history : History
        Any run's history.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, algorithm, data, plots
    >>> config = TrainConfig(n_steps=10, eval_every=5, eval_size=500)
    >>> history = algorithm.train(data.Gaussian(), data.GaussianNoise(), config).history
    >>> [ax.get_title() for ax in plots.plot_curves(history).axes]
    ['histogram JSD (nats)', 'value (nats)', 'discriminator', 'mean training losses (nats)']
    """
    step = history["step"]
    panels = []
    if "jsd" in history:
        panels.append("jsd")
    panels += ["value", "discriminator", "losses"]
    if "modes_captured" in history:
        panels.append("modes")
    figure, axes = _figure(len(panels), 2, 2.2)
    twins = []
    for ax, panel in zip(axes, panels, strict=True):
        ax.set_xlabel("step")
        if panel == "jsd":
            ax.semilogy(step, np.maximum(history["jsd"], 1e-6), color="C2")
            ax.set_title("histogram JSD (nats)")
            ax.set_ylabel("nats")
        elif panel == "value":
            ax.plot(step, history["value"], color="C0", label=r"$\hat V(G, D)$")
            if "criterion" in history:
                ax.plot(step, history["criterion"], "--", color="C1", label=r"$-\log 4 + 2\,JSD$")
            ax.axhline(-LOG4, color="k", linewidth=0.8, linestyle=":", label=r"$-\log 4$")
            ax.set_title("value (nats)")
            ax.set_ylabel("nats")
        elif panel == "discriminator":
            ax.plot(step, history["d_data"], color="C2", label=r"$E_{data} D$")
            ax.plot(step, history["d_generator"], color="C3", label=r"$E_{z} D(G(z))$")
            if "d_error" in history:
                ax.plot(step, history["d_error"], color="C4", label=r"$|D - D^*|$ (weighted)")
            ax.axhline(0.5, color="0.5", linewidth=0.8, linestyle=":")
            ax.set_ylim(-0.02, 1.02)
            ax.set_title("discriminator")
            ax.set_ylabel("probability")
        elif panel == "losses":
            ax.plot(step, history["d_loss"], color="C5", label="D loss")
            ax.plot(step, history["g_loss"], "--", color="C6", label="G loss")
            ax.set_title("mean training losses (nats)")
            ax.set_ylabel("nats")
        else:
            from matplotlib.ticker import MaxNLocator

            ax.plot(step, history["modes_captured"], color="C0", label="modes captured")
            ax.set_ylabel("modes captured (count)")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            twin = ax.twinx()
            twin.grid(False)
            twin.plot(
                step, history["high_quality_share"], "--", color="C1", label="high-quality share"
            )
            twin.set_ylim(-0.02, 1.02)
            twin.set_ylabel("high-quality share")
            twins.append(twin)
            ax.set_title("mode metrics")
    _legend_below(figure, [*axes, *twins])
    return figure


@in_style
def plot_samples(history: History, centers: Any, *, max_panels: int = 4) -> Any:
    """Generator samples of a 2-D run over the mixture's mode centres, at several snapshots.

    Parameters
    ----------
    history : History
        A 2-D run's history with snapshots.
    centers : array_like, shape (n_modes, 2)
        Mode centres of the data mixture (red crosses).
    max_panels : int, default 4
        At most this many snapshots, evenly spread, the first and last included.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from divergences.trainer import TrainConfig, algorithm, data, plots
    >>> ring = data.GaussianMixture.ring()
    >>> config = TrainConfig(n_steps=10, eval_every=10, eval_size=500)
    >>> history = algorithm.train(ring, data.GaussianNoise(2), config).history
    >>> plots.plot_samples(history, ring.centers).axes[0].get_title()
    'step 10'
    """
    snapshots = check_snapshots(history.snapshots, "samples", "plot_samples")
    if len(snapshots) > max_panels:
        picks = np.unique(np.linspace(0, len(snapshots) - 1, max_panels).round().astype(int))
        snapshots = [snapshots[i] for i in picks]
    c = np.asarray(centers, dtype=np.float64)
    span = float(np.abs(c).max()) * 1.5 + 0.5
    figure, axes = _figure(len(snapshots), 2, 3.0)
    for ax, snapshot in zip(axes, snapshots, strict=True):
        s = snapshot.arrays["samples"]
        ax.scatter(s[:, 0], s[:, 1], s=2, alpha=0.4, color="tab:green", label="G(z)")
        ax.scatter(c[:, 0], c[:, 1], s=30, marker="x", color="tab:red", label="modes")
        ax.set_xlim(-span, span)
        ax.set_ylim(-span, span)
        ax.set_aspect("equal")
        ax.set(title=f"step {snapshot.step}", xlabel="$x_1$ (data units)", ylabel="$x_2$")
    _legend_below(figure, axes)
    return figure


@in_style
def plot_reproduction(samples: dict[tuple[str, str], np.ndarray], centers: dict[str, Any]) -> Any:
    """Generator samples of each (dataset, method) of a reproduced table, one panel each.

    Parameters
    ----------
    samples : dict
        ``(dataset, method) -> (n, 2)`` generator samples; datasets in rows, methods in
        columns, in the dict's order.
    centers : dict
        ``dataset -> (n_modes, 2)`` mode centres (red crosses).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.trainer import plots
    >>> s = {("ring", "GAN"): np.zeros((5, 2)), ("ring", "PacGAN2"): np.ones((5, 2))}
    >>> plots.plot_reproduction(s, {"ring": np.eye(2)}).axes[1].get_title()
    'ring, PacGAN2'
    """
    from matplotlib.figure import Figure

    datasets = list(dict.fromkeys(d for d, _ in samples))
    methods = list(dict.fromkeys(m for _, m in samples))
    figure = Figure(
        figsize=(1.75 * len(methods) + 0.4, 1.9 * len(datasets) + 0.6), layout="constrained"
    )
    grid = figure.subplots(len(datasets), len(methods), squeeze=False)
    for i, dataset in enumerate(datasets):
        c = np.asarray(centers[dataset], dtype=np.float64)
        span = float(np.abs(c).max()) * 1.3 + 0.3
        for j, method in enumerate(methods):
            ax = grid[i, j]
            x = samples.get((dataset, method))
            if x is not None:
                ax.scatter(x[:, 0], x[:, 1], s=1, alpha=0.3, color="tab:green", label="G(z)")
            ax.scatter(c[:, 0], c[:, 1], s=12, marker="x", color="tab:red", label="modes")
            ax.set_xlim(-span, span)
            ax.set_ylim(-span, span)
            ax.set_aspect("equal")
            ax.set_title(f"{dataset}, {method}", fontsize="small")
            ax.set_xlabel("$x_1$ (data units)" if i == len(datasets) - 1 else "")
            ax.set_ylabel("$x_2$ (data units)" if j == 0 else "")
    _legend_below(figure, list(grid.ravel()))
    return figure

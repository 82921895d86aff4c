"""Figures of a benchmark run (PNG at 200 dpi and SVG, in the project's style).

Speed against n and bins, ratio to the read floor, accuracy and interval coverage against n,
and the multivariate accuracy (RMSE against n, a panel per pair and dimension).
Each figure is drawn only if the case it needs ran.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from divergences.plotting import in_style, save

from .core import Result


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path) -> None:
    save(fig, path)
    _pyplot().close(fig)


@in_style
def speed_vs_n(result: Result, path: Path) -> None:
    """ns/sample against samples per array, every method and the read floors."""
    plt = _pyplot()
    s = result.series
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, values in s["ns_per_sample"].items():
        style = ":" if label.startswith("floor") else "-"
        ax.loglog(s["n"], values, style, marker="o", ms=3, label=label)
    ax.set(
        xlabel="samples per array (x and y each)",
        ylabel="ns per sample (lower is better)",
        title="js_from_samples, 1024 bins: time per sample against size",
    )
    fig.legend(loc="outside lower center", ncols=2)
    _save(fig, path)


@in_style
def ratio_to_floor(result: Result, path: Path) -> None:
    """Each method's time over the fastest plain read of both arrays on no more threads."""
    plt = _pyplot()
    s = result.series
    floors = {k: v for k, v in s["ns_per_sample"].items() if k.startswith("floor")}
    floor_1 = next(v for k, v in floors.items() if "1 thread" in k)
    floor_all = next(v for k, v in floors.items() if "1 thread" not in k)
    # A method on several threads is held to the faster read at each size: below about 1e6
    # samples the threaded read is slower than the serial one (thread start-up), and dividing
    # by it would flatter the threaded rows.
    floor_best = [min(a, b) for a, b in zip(floor_1, floor_all, strict=True)]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, values in s["ns_per_sample"].items():
        if label.startswith("floor"):
            continue
        reference = floor_best if label.startswith("ours") and "1 thread" not in label else floor_1
        ax.semilogx(
            s["n"],
            [a / b for a, b in zip(values, reference, strict=True)],
            marker="o",
            ms=3,
            label=label,
        )
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set(
        xlabel="samples per array",
        ylabel="time / fastest plain read (same or fewer threads)",
        title="Distance to the memory floor",
    )
    ax.set_yscale("log")
    fig.legend(loc="outside lower center", ncols=2)
    _save(fig, path)


@in_style
def speed_vs_bins(result: Result, path: Path) -> None:
    """ns/sample against the number of bins."""
    plt = _pyplot()
    s = result.series
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, values in s["ns_per_sample"].items():
        ax.semilogx(s["bins"], values, marker="o", ms=3, label=label, base=2)
    ax.set(xlabel="bins", ylabel="ns per sample", title="Time per sample against bin count")
    fig.legend(loc="outside lower center", ncols=2)
    _save(fig, path)


@in_style
def accuracy(result: Result, path: Path) -> None:
    """RMSE and |bias| against n for the plug-in and the Miller-Madow corrected estimates."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.6))
    for label, curve in result.series.items():
        style = "--" if "miller" in label else "-"
        axes[0].loglog(curve["n"], curve["rmse"], style, marker="o", ms=3, label=label)
        axes[1].loglog(
            curve["n"], [abs(b) for b in curve["bias"]], style, marker="o", ms=3, label=label
        )
    axes[0].set(xlabel="samples per array", ylabel="RMSE (nats)", title="Error against the truth")
    axes[1].set(xlabel="samples per array", ylabel="|bias| (nats)", title="Bias")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3)
    _save(fig, path)


@in_style
def coverage(result: Result, path: Path) -> None:
    """Coverage of the 95% intervals against n, one panel per method, with binomial error bars.

    Each point is the share of seeded replicates whose interval covered the binned truth, with
    +- 1 binomial standard error; the band is the 93-97% target. Series are offset slightly along
    n so that their error bars stay apart.
    """
    plt = _pyplot()
    methods = ("bca", "percentile")
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.4), sharey=True)
    scenarios = sorted({label.rsplit(" ", 1)[0] for label in result.series})
    low = 1.0
    for ax, method in zip(axes, methods, strict=True):
        ax.axhspan(0.93, 0.97, color="0.85", label="target 93-97%")
        for i, scenario in enumerate(scenarios):
            curve = result.series.get(f"{scenario} {method}")
            if curve is None:
                continue
            shift = 1.0 + 0.03 * (i - (len(scenarios) - 1) / 2)
            ses = curve.get("binned_se", [0.0] * len(curve["n"]))
            ax.errorbar(
                [n * shift for n in curve["n"]],
                curve["binned"],
                yerr=ses,
                marker="o",
                ms=3,
                label=scenario,
            )
            low = min(low, *(c - s for c, s in zip(curve["binned"], ses, strict=True)))
        ax.set_xscale("log")
        sizes = sorted({n for curve in result.series.values() for n in curve["n"]})
        ax.set_xticks(sizes, [f"{n:,}" for n in sizes])
        ax.minorticks_off()
        ax.set(xlabel="samples per array", title=f"{method} intervals")
    axes[0].set_ylabel("coverage of the binned truth")
    axes[0].set_ylim(max(0.0, min(low, 0.93) - 0.02), 1.01)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3)
    _save(fig, path)


def _accuracy_nd(result: Result, path: Path, divergence: str) -> None:
    """RMSE against n per estimator, one panel per (pair, d), for KL or JSD.

    A point where some replicate gave inf or NaN is left out: its RMSE over the finite
    replicates would flatter the estimator (the table gives the share).
    """
    plt = _pyplot()
    panels = result.series[divergence]
    names = sorted({name for curves in panels.values() for name in curves})
    colours = {name: f"C{i % 10}" for i, name in enumerate(names)}
    markers = "osD^v<>ph*"
    ncols = min(5, len(panels))
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(2.4 * ncols + 0.6, 2.1 * nrows + 1.2), squeeze=False
    )
    for ax, (panel, curves) in zip(axes.flat, panels.items(), strict=False):
        for name, curve in curves.items():
            points = [
                (n, r)
                for n, r, bad in zip(curve["n"], curve["rmse"], curve["nonfinite"], strict=True)
                if r == r and bad == 0.0
            ]
            if not points:
                continue
            i = names.index(name)
            ax.loglog(
                *zip(*points, strict=True),
                "-",
                color=colours[name],
                marker=markers[i % len(markers)],
                ms=3,
                label=name,
            )
        ax.set_title(panel, fontsize="small")
        ax.tick_params(labelsize="x-small")
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("RMSE (nats)")
    for ax in axes[-1, :]:
        ax.set_xlabel("samples per side")
    handles = {}
    for ax in axes.flat:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, handle)
    fig.suptitle(
        f"{'KL(P||Q)' if divergence == 'kl' else 'JSD'}: RMSE against the truth "
        "(points with any inf/NaN replicate left out)"
    )
    fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=4)
    _save(fig, path)


@in_style
def accuracy_nd_kl(result: Result, path: Path) -> None:
    """accuracy-nd, KL estimators: RMSE against n, a panel per pair and dimension."""
    _accuracy_nd(result, path, "kl")


@in_style
def accuracy_nd_js(result: Result, path: Path) -> None:
    """accuracy-nd, JSD estimators: RMSE against n, a panel per pair and dimension."""
    _accuracy_nd(result, path, "js")


FIGURES = {
    "speed-sizes": [("speed_vs_n.png", speed_vs_n), ("ratio_to_floor.png", ratio_to_floor)],
    "speed-bins": [("speed_vs_bins.png", speed_vs_bins)],
    "accuracy": [("accuracy.png", accuracy)],
    "ci-coverage": [("coverage.png", coverage)],
    "accuracy-nd": [
        ("accuracy_nd_kl.png", accuracy_nd_kl),
        ("accuracy_nd_js.png", accuracy_nd_js),
    ],
}


def draw(results: list[Result], directory: Path) -> list[Path]:
    """Draw every figure whose case ran; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        for name, function in FIGURES.get(result.name, []):
            function(result, directory / name)
            written.append(directory / name)
    return written

"""PNG figures of a benchmark run.

Speed against n and bins, ratio to the read floor, accuracy and interval coverage against n.
Each figure is drawn only if the case it needs ran.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .core import Result


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    _pyplot().close(fig)


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
    ax.legend(frameon=False, fontsize=8)
    _save(fig, path)


def ratio_to_floor(result: Result, path: Path) -> None:
    """Each method's time over one plain read of both arrays at the same thread count."""
    plt = _pyplot()
    s = result.series
    floors = {k: v for k, v in s["ns_per_sample"].items() if k.startswith("floor")}
    floor_1 = next(v for k, v in floors.items() if "1 thread" in k)
    fig, ax = plt.subplots(figsize=(9, 4.2))
    for label, values in s["ns_per_sample"].items():
        if label.startswith("floor"):
            continue
        if label.startswith("ours") and "1 thread" not in label:
            reference = next(v for k, v in floors.items() if "1 thread" not in k)
        else:
            reference = floor_1
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
        ylabel="time / plain read at the same thread count",
        title="Distance to the memory floor",
    )
    ax.set_yscale("log")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _save(fig, path)


def speed_vs_bins(result: Result, path: Path) -> None:
    """ns/sample against the number of bins."""
    plt = _pyplot()
    s = result.series
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, values in s["ns_per_sample"].items():
        ax.semilogx(s["bins"], values, marker="o", ms=3, label=label, base=2)
    ax.set(xlabel="bins", ylabel="ns per sample", title="Time per sample against bin count")
    ax.legend(frameon=False, fontsize=8)
    _save(fig, path)


def accuracy(result: Result, path: Path) -> None:
    """RMSE and |bias| against n for the plug-in and the Miller-Madow corrected estimates."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    for label, curve in result.series.items():
        style = "--" if "miller" in label else "-"
        axes[0].loglog(curve["n"], curve["rmse"], style, marker="o", ms=3, label=label)
        axes[1].loglog(
            curve["n"], [abs(b) for b in curve["bias"]], style, marker="o", ms=3, label=label
        )
    axes[0].set(xlabel="samples per array", ylabel="RMSE (nats)", title="Error against the truth")
    axes[1].set(xlabel="samples per array", ylabel="|bias| (nats)", title="Bias")
    axes[0].legend(frameon=False, fontsize=7)
    _save(fig, path)


def coverage(result: Result, path: Path) -> None:
    """Coverage of the 95% intervals against n, with the 93-97% target band."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.axhspan(0.93, 0.97, color="lightgreen", alpha=0.4, label="target 93-97%")
    for label, curve in result.series.items():
        ax.semilogx(curve["n"], curve["binned"], marker="o", ms=3, label=label)
    ax.set(
        xlabel="samples per array",
        ylabel="coverage of the binned truth",
        ylim=(0.5, 1.01),
        title="95% bootstrap intervals: coverage against n",
    )
    ax.legend(frameon=False, fontsize=7, loc="lower right")
    _save(fig, path)


FIGURES = {
    "speed-sizes": [("speed_vs_n.png", speed_vs_n), ("ratio_to_floor.png", ratio_to_floor)],
    "speed-bins": [("speed_vs_bins.png", speed_vs_bins)],
    "accuracy": [("accuracy.png", accuracy)],
    "ci-coverage": [("coverage.png", coverage)],
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

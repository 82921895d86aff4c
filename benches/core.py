"""What every benchmark case shares: sizes, timing, results, the registry and the baselines.

Timing rules (the machine is shared and noisy): every time is the median of ``repeats`` calls
after a warm-up call, with the minimum and maximum kept so a noisy run can be recognised; every
ratio is taken between rows measured in the same run, never against a number from elsewhere.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Config:
    """Sizes of one run (``FULL`` or ``QUICK``)."""

    n: int  # samples per array in the headline cases
    sizes: tuple[int, ...]  # the size sweep, samples per array
    bins: tuple[int, ...]  # the bin-count sweep
    bins_n: int  # samples per array in the bin-count sweep
    batch_pairs: int
    batch_n: int
    memory_n: int  # samples per array in the memory case
    repeats: int
    discrete_sizes: tuple[int, ...]
    accuracy_sizes: tuple[int, ...]
    accuracy_replicates: int
    coverage_replicates: int  # seeded replicates per row of ci-coverage
    coverage_sizes: tuple[int, ...]
    n_boot: int
    test_replicates: int  # seeded replicates per chi2 row of test-calibration
    permutation_replicates: int
    test_sizes: tuple[int, ...]
    trainer_steps: int
    trainer_rounds: int
    minibatch_sizes: tuple[int, ...]  # samples per side in the default-argument sweep
    accuracy_nd_sizes: tuple[int, ...]  # samples per side in accuracy-nd
    accuracy_nd_replicates: tuple[int, ...]  # seeded replicates at each of those sizes
    accuracy_nd_dims: tuple[int, ...]  # dimensions run in accuracy-nd
    accuracy_nd_truth_mc: int  # draws per side of the Monte Carlo truths
    accuracy_nd_kernel_max_n: int  # largest n per side given to the O(n^2) kernel estimators
    accuracy_nd_mlp_max_n: int  # largest n per side given to js_discriminator's MLP (0: none)
    knn_large_n: int  # points per sample in knn-large (8-D)


FULL = Config(
    n=20_000_000,
    sizes=(1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000),
    bins=(16, 64, 256, 1024, 4096),
    bins_n=10_000_000,
    batch_pairs=1000,
    batch_n=1000,
    memory_n=100_000_000,
    repeats=9,
    discrete_sizes=(3, 100, 10_000, 1_000_000),
    accuracy_sizes=(100, 1_000, 10_000, 100_000, 1_000_000),
    accuracy_replicates=200,
    coverage_replicates=1000,
    coverage_sizes=(1_000, 10_000, 100_000),
    n_boot=1000,
    test_replicates=4000,
    permutation_replicates=1000,
    test_sizes=(1_000, 10_000),
    trainer_steps=500,
    trainer_rounds=9,
    minibatch_sizes=(64, 256, 1024, 4096, 16_384, 131_072, 1_048_576, 20_000_000),
    accuracy_nd_sizes=(100, 1_000, 10_000, 100_000),
    accuracy_nd_replicates=(30, 20, 10, 4),
    accuracy_nd_dims=(1, 2, 4, 8, 16),
    accuracy_nd_truth_mc=2_000_000,
    accuracy_nd_kernel_max_n=1_000,
    accuracy_nd_mlp_max_n=1_000,
    knn_large_n=10_000,
)
QUICK = Config(
    n=500_000,
    sizes=(1_000, 10_000, 100_000),
    bins=(16, 1024),
    bins_n=100_000,
    batch_pairs=100,
    batch_n=1000,
    memory_n=2_000_000,
    repeats=3,
    discrete_sizes=(3, 100, 10_000),
    accuracy_sizes=(100, 1_000),
    accuracy_replicates=10,
    coverage_replicates=40,
    coverage_sizes=(1_000,),
    n_boot=200,
    test_replicates=200,
    permutation_replicates=50,
    test_sizes=(1_000,),
    trainer_steps=50,
    trainer_rounds=2,
    minibatch_sizes=(64, 256, 4096, 65_536),
    accuracy_nd_sizes=(100, 1_000),
    accuracy_nd_replicates=(4, 3),
    accuracy_nd_dims=(1, 2),
    accuracy_nd_truth_mc=200_000,
    accuracy_nd_kernel_max_n=100,
    accuracy_nd_mlp_max_n=0,
    knn_large_n=2_000,
)


@dataclass(frozen=True)
class Timing:
    """Median, minimum and maximum of repeated wall times, seconds."""

    median: float
    low: float
    high: float

    @property
    def spread(self) -> float:
        """(max - min) / median: above NOISY the machine was busy during the measurement."""
        return (self.high - self.low) / self.median if self.median > 0 else 0.0


#: A row whose max - min exceeds this fraction of its median marks the run as noisy.
NOISY = 0.25


@dataclass
class Row:
    """One timed line: what, how long, over how many samples."""

    label: str
    timing: Timing
    samples: int


@dataclass
class Result:
    """What a case measured: timed rows, free-text notes, and series for the figures."""

    name: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    series: dict[str, Any] = field(default_factory=dict)

    def add(self, label: str, timing: Timing, samples: int) -> Timing:
        """Append a timed row; return the timing for ratios."""
        self.rows.append(Row(label, timing, samples))
        return timing

    @property
    def noisy(self) -> list[str]:
        """Labels of the rows whose spread says the machine was noisy."""
        return [r.label for r in self.rows if r.timing.spread > NOISY]

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "name": self.name,
            "rows": [
                {
                    "label": r.label,
                    "seconds": r.timing.median,
                    "min": r.timing.low,
                    "max": r.timing.high,
                    "samples": r.samples,
                    "ns_per_sample": r.timing.median / r.samples * 1e9 if r.samples else None,
                }
                for r in self.rows
            ],
            "notes": self.notes,
            "series": self.series,
        }


Case = Callable[[Config], Result]
CASES: dict[str, Case] = {}


def case(name: str) -> Callable[[Case], Case]:
    """Register a benchmark case under ``name`` (run order is registration order)."""

    def register(function: Case) -> Case:
        CASES[name] = function
        return function

    return register


def median_time(function: Callable[[], Any], repeats: int) -> Timing:
    """Wall time of ``repeats`` calls after one warm-up call (JIT or cache load, page-in)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return Timing(statistics.median(times), min(times), max(times))


def interleaved(functions: dict[str, Callable[[], Any]], repeats: int) -> dict[str, Timing]:
    """Times of several functions measured in interleaved rounds, so load hits them alike."""
    for f in functions.values():
        f()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, f in functions.items():
            start = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - start)
    return {name: Timing(statistics.median(t), min(t), max(t)) for name, t in times.items()}


def samples(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Samples x ~ N(0, 1) and y ~ N(0.5, 1.2^2), ``n`` each, made in place."""
    rng = np.random.default_rng(seed)
    x = np.empty(n)
    y = np.empty(n)
    rng.standard_normal(out=x)
    rng.standard_normal(out=y)
    y *= 1.2
    y += 0.5
    return x, y


# ---------------------------------------------------------------------------------------------
# Baselines: what a user would write without this library
# ---------------------------------------------------------------------------------------------


def _shared_range(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    return float(min(x.min(), y.min())), float(max(x.max(), y.max()))


def baseline_a(x: np.ndarray, y: np.ndarray, bins: int) -> float:
    """A: shared range, two ``np.histogram`` calls, ``jensenshannon(p, q) ** 2`` (scipy)."""
    from scipy.spatial.distance import jensenshannon

    lo, hi = _shared_range(x, y)
    p = np.histogram(x, bins, (lo, hi))[0]
    q = np.histogram(y, bins, (lo, hi))[0]
    return float(jensenshannon(p, q) ** 2)


def baseline_a_kl(x: np.ndarray, y: np.ndarray, bins: int) -> float:
    """A for KL: shared range, two ``np.histogram`` calls, ``scipy.stats.entropy(p, q)``."""
    from scipy.stats import entropy

    lo, hi = _shared_range(x, y)
    p = np.histogram(x, bins, (lo, hi))[0]
    q = np.histogram(y, bins, (lo, hi))[0]
    return float(entropy(p, q))


def fast_histogram() -> Any:
    """``fast_histogram.histogram1d``, or None when fast-histogram is not installed."""
    try:
        from fast_histogram import histogram1d
    except ImportError:
        return None
    return histogram1d


def baseline_b(x: np.ndarray, y: np.ndarray, bins: int) -> float:
    """B: baseline A with ``fast_histogram.histogram1d`` doing the binning."""
    from scipy.spatial.distance import jensenshannon

    histogram1d = fast_histogram()
    lo, hi = _shared_range(x, y)
    # histogram1d's range is half-open: widen the top by one ulp so the maximum is counted
    hi = float(np.nextafter(hi, np.inf))
    return float(jensenshannon(histogram1d(x, bins, (lo, hi)), histogram1d(y, bins, (lo, hi))) ** 2)


def boost_histogram() -> Any:
    """The ``boost_histogram`` module, or None when it is not installed."""
    try:
        import boost_histogram
    except ImportError:
        return None
    return boost_histogram


def baseline_c(x: np.ndarray, y: np.ndarray, bins: int) -> float:
    """C: baseline A with ``boost_histogram`` (regular axis, threaded fill) doing the binning."""
    from scipy.spatial.distance import jensenshannon

    bh = boost_histogram()
    lo, hi = _shared_range(x, y)
    hi = float(np.nextafter(hi, np.inf))
    counts = []
    for a in (x, y):
        h = bh.Histogram(bh.axis.Regular(bins, lo, hi))
        h.fill(a, threads=os.cpu_count())
        counts.append(h.view())
    return float(jensenshannon(counts[0], counts[1]) ** 2)


OPTIONAL = {
    "B": ("fast-histogram", fast_histogram, baseline_b),
    "C": ("boost-histogram", boost_histogram, baseline_c),
}


def available_baselines() -> tuple[dict[str, Callable[..., float]], list[str]]:
    """The baselines that can run here, and a line for each skipped one."""
    runnable: dict[str, Callable[..., float]] = {"A": baseline_a}
    skipped = []
    for key, (package, probe, baseline) in OPTIONAL.items():
        if probe() is None:
            skipped.append(f"{key} skipped: {package} is not installed (pip install {package})")
        else:
            runnable[key] = baseline
    return runnable, skipped


BASELINE_NAMES = {
    "A": "A: np.histogram x2 + scipy",
    "B": "B: fast_histogram x2 + scipy",
    "C": "C: boost_histogram x2 + scipy",
}


# ---------------------------------------------------------------------------------------------
# The machine and the run
# ---------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """CPU, core count, load, versions and numba's threads: the context of every number."""
    import numba
    import scipy

    import divergences

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": [round(v, 2) for v in load],
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "numba": numba.__version__,
        "divergences": divergences.__version__,
        "numba_threads": numba.config.NUMBA_NUM_THREADS,
    }


def progress(
    step: int,
    total: int,
    name: str,
    *,
    done: bool = False,
    elapsed: float | None = None,
    stream: Any = None,
) -> None:
    """Progress on stderr: a bar redrawn in place on a terminal, a line per case in a log.

    Called with ``step`` cases finished, before the case ``name`` runs, and again with
    ``done=True`` and the case's wall time in seconds (``elapsed``) after it; a log gets a
    line for each call.
    """
    stream = stream or sys.stderr
    if not stream.isatty():
        if not done:
            stream.write(f"[{step + 1}/{total}] {name} ...\n")
        elif elapsed is not None:
            stream.write(f"[{step}/{total}] {name} done in {elapsed:.1f} s\n")
        stream.flush()
        return
    width = 24
    filled = round(width * step / total) if total else width
    stream.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {step}/{total} {name:<28}")
    if step == total:
        stream.write("\n")
    stream.flush()

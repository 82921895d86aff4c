"""``python -m benches.run``: speed and memory of the sample estimators against the baselines.

Each case is a function registered under a name; it returns rows of (label, seconds per call,
samples per call) plus notes. Times are medians over repeats, ratios are taken within one run
(the machine is shared, absolute numbers drift). ns/sample divides by n_x + n_y.

Baselines, x ~ N(0, 1), y ~ N(0.5, 1.2^2), 1024 bins, automatic range:

A  min/max of both, two ``np.histogram`` calls on the shared range, then
   ``scipy.spatial.distance.jensenshannon(p, q) ** 2``;
B  the same pipeline on ``fast_histogram.histogram1d`` (optional: skipped when not installed).

The statistics cases (``ci-coverage``, ``test-calibration``, ``bootstrap-time``) live in
``benches/coverage.py``: interval coverage, test size and power over seeded replicates, and the
bootstrap's wall time. Their notes carry the measurements; ``--quick`` runs fewer replicates.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np

import divergences as dv
from divergences import _kernels
from divergences import histogram as hist_module

from . import coverage, floor


@dataclass
class Config:
    """Sizes of one run."""

    n: int  # samples per array in the large case
    batch_pairs: int
    batch_n: int
    memory_n: int  # samples per array in the memory case
    repeats: int
    coverage_replicates: int  # seeded replicates per row of ci-coverage
    coverage_sizes: tuple[int, ...]
    n_boot: int
    test_replicates: int  # seeded replicates per chi2 row of test-calibration
    permutation_replicates: int
    test_sizes: tuple[int, ...]


FULL = Config(
    n=20_000_000,
    batch_pairs=1000,
    batch_n=1000,
    memory_n=100_000_000,
    repeats=5,
    coverage_replicates=1000,
    coverage_sizes=(1_000, 10_000, 100_000),
    n_boot=1000,
    test_replicates=4000,
    permutation_replicates=1000,
    test_sizes=(1_000, 10_000),
)
QUICK = Config(
    n=500_000,
    batch_pairs=100,
    batch_n=1000,
    memory_n=2_000_000,
    repeats=3,
    coverage_replicates=100,
    coverage_sizes=(1_000, 10_000),
    n_boot=200,
    test_replicates=300,
    permutation_replicates=100,
    test_sizes=(1_000,),
)


@dataclass
class Result:
    """What a case measured: rows (label, seconds, samples) and free-text notes."""

    name: str
    rows: list[tuple[str, float, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


CASES: dict[str, Callable[[Config], Result]] = {}


def case(name: str) -> Callable[[Callable[[Config], Result]], Callable[[Config], Result]]:
    """Register a benchmark case under ``name``."""

    def register(function: Callable[[Config], Result]) -> Callable[[Config], Result]:
        CASES[name] = function
        return function

    return register


def median_time(function: Callable[[], Any], repeats: int) -> float:
    """Median wall time of ``repeats`` calls after one warm-up call."""
    function()  # warm: JIT compile or load from cache, page in the inputs
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def baseline_a(x: np.ndarray, y: np.ndarray, bins: int) -> float:
    """Baseline A: shared range, two np.histogram calls, scipy's jensenshannon squared."""
    from scipy.spatial.distance import jensenshannon

    lo, hi = min(x.min(), y.min()), max(x.max(), y.max())
    p = np.histogram(x, bins, (lo, hi))[0]
    q = np.histogram(y, bins, (lo, hi))[0]
    return float(jensenshannon(p, q) ** 2)


def fast_histogram() -> Any:
    """``fast_histogram.histogram1d``, or None when fast-histogram is not installed."""
    try:
        from fast_histogram import histogram1d
    except ImportError:
        return None
    return histogram1d


def baseline_b(x: np.ndarray, y: np.ndarray, bins: int) -> float:
    """Baseline B: baseline A with fast_histogram.histogram1d doing the binning."""
    from scipy.spatial.distance import jensenshannon

    histogram1d = fast_histogram()
    lo, hi = min(x.min(), y.min()), max(x.max(), y.max())
    p = histogram1d(x, bins, (lo, hi))
    q = histogram1d(y, bins, (lo, hi))
    return float(jensenshannon(p, q) ** 2)


@case("js-1024")
def js_large(config: Config) -> Result:
    """The whole estimate, ours against baselines A and B (all threads)."""
    x, y = samples(config.n)
    out = Result("js-1024")
    total = 2 * config.n
    t = median_time(lambda: dv.js_from_samples(x, y, bins=1024), config.repeats)
    out.rows.append(("ours: js_from_samples(bins=1024)", t, total))
    t = median_time(lambda: baseline_a(x, y, 1024), config.repeats)
    out.rows.append(("A: np.histogram x2 + scipy", t, total))
    if fast_histogram() is None:
        out.notes.append("B skipped: fast-histogram is not installed (pip install fast-histogram)")
    else:
        t = median_time(lambda: baseline_b(x, y, 1024), config.repeats)
        out.rows.append(("B: fast_histogram x2 + scipy", t, total))
    ours = dv.js_from_samples(x, y, bins=1024).value
    out.notes.append(f"|ours - A| = {abs(ours - baseline_a(x, y, 1024)):.2e} nats")
    return out


@case("binning-pass")
def binning_pass(config: Config) -> Result:
    """The binning pass alone against one plain read of both arrays, at 1 and all threads."""
    x, y = samples(config.n)
    out = Result("binning-pass")
    total = 2 * config.n
    edges = np.linspace(min(x.min(), y.min()), max(x.max(), y.max()), 1025)
    threads = numba.config.NUMBA_NUM_THREADS
    for n_threads in sorted({1, threads}):
        numba.set_num_threads(n_threads)
        chunks = n_threads * hist_module.CHUNKS_PER_THREAD if n_threads > 1 else 0
        if chunks:

            def binning(chunks: int = chunks) -> None:
                _kernels.histogram_pair_parallel(x, edges, chunks)
                _kernels.histogram_pair_parallel(y, edges, chunks)

            def range_pass(chunks: int = chunks) -> None:
                _kernels.histogram_pair_range_parallel(x, chunks)
                _kernels.histogram_pair_range_parallel(y, chunks)
        else:

            def binning() -> None:
                _kernels.histogram_pair(x, edges)
                _kernels.histogram_pair(y, edges)

            def range_pass() -> None:
                _kernels.histogram_pair_range(x)
                _kernels.histogram_pair_range(y)

        t = median_time(lambda c=chunks: floor.read_both(x, y, c), config.repeats)
        out.rows.append((f"floor: plain read, {n_threads} thread(s)", t, total))
        t = median_time(binning, config.repeats)
        out.rows.append((f"binning pass, {n_threads} thread(s)", t, total))
        t = median_time(range_pass, config.repeats)
        out.rows.append((f"range pass, {n_threads} thread(s)", t, total))
    numba.set_num_threads(threads)
    return out


@case("batch")
def batch(config: Config) -> Result:
    """Many small pairs in one call against a Python loop of baseline A."""
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1, (config.batch_pairs, config.batch_n))
    y = rng.normal(0.5, 1.2, (config.batch_pairs, config.batch_n))
    out = Result("batch")
    total = x.size + y.size
    t = median_time(lambda: dv.js_from_samples(x, y, bins=32), config.repeats)
    out.rows.append((f"ours: one call, {config.batch_pairs} pairs x 32 bins", t, total))
    t = median_time(lambda: [baseline_a(a, b, 32) for a, b in zip(x, y)], config.repeats)  # noqa: B905
    out.rows.append(("A in a Python loop", t, total))
    return out


_MEMORY_SCRIPT = """
import resource, sys, numpy as np, divergences as dv
n = int(sys.argv[1])
x = np.empty(n); y = np.empty(n)
rng = np.random.default_rng(0); rng.standard_normal(out=x); rng.standard_normal(out=y)
dv.js_from_samples(x[:1000], y[:1000], bins=1024)  # compile or load the kernels first
dv.js_from_samples(x[:400_000], y[:400_000], bins=1024)  # and the parallel ones
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
dv.js_from_samples(x, y, bins=1024)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before, after)
"""


@case("memory")
def memory(config: Config) -> Result:
    """Peak resident memory added by one estimate on large inputs, in a fresh process."""
    out = Result("memory")
    command = [sys.executable, "-c", _MEMORY_SCRIPT, str(config.memory_n)]
    before, after = map(int, subprocess.check_output(command, text=True).split())
    inputs = 2 * config.memory_n * 8 / 2**20
    out.notes.append(
        f"{2 * config.memory_n:.0e} float64 samples ({inputs:.0f} MiB of inputs): peak RSS grew by "
        f"{(after - before) / 1024:.1f} MiB during js_from_samples(bins=1024) "
        f"(ru_maxrss before/after the call, inputs and kernels already resident)"
    )
    return out


_LATENCY_SCRIPT = """
import time, numpy as np
x = np.random.default_rng(0).normal(size=10_000); y = x[::-1] + 0.5
start = time.perf_counter()
import divergences as dv
dv.js_from_samples(x, y, bins=64, range=(-4.0, 4.0)).value
first = time.perf_counter() - start
start = time.perf_counter()
dv.js_from_samples(x, y, bins=64, range=(-4.0, 4.0)).value
print(first, time.perf_counter() - start)
"""


@case("cold-start")
def cold_start(config: Config) -> Result:
    """``import divergences`` + first js_from_samples in a fresh process, numba cache warm."""
    out = Result("cold-start")
    command = [sys.executable, "-c", _LATENCY_SCRIPT]
    subprocess.check_output(command)  # warm the on-disk numba cache
    runs = [
        tuple(map(float, subprocess.check_output(command, text=True).split())) for _ in range(5)
    ]
    first = statistics.median(r[0] for r in runs)
    second = statistics.median(r[1] for r in runs)
    out.notes.append(
        f"import + first call: {first * 1e3:.0f} ms; second call: {second * 1e6:.0f} us "
        f"(medians of 5 fresh processes, 2 x 10^4 samples)"
    )
    return out


def _measured(name: str, measured: tuple[list[tuple[str, float, int]], list[str]]) -> Result:
    """A Result from a case module's (rows, notes)."""
    rows, notes = measured
    return Result(name, rows=list(rows), notes=list(notes))


@case("ci-coverage")
def ci_coverage(config: Config) -> Result:
    """Coverage of the 95% bootstrap intervals (binned and continuous truth, P = Q)."""
    return _measured(
        "ci-coverage",
        coverage.interval_coverage(
            config.coverage_replicates, config.coverage_sizes, config.n_boot
        ),
    )


@case("test-calibration")
def two_sample_calibration(config: Config) -> Result:
    """Size of js_test at the 5% level under P = Q, and power under a 0.1 sigma shift."""
    return _measured(
        "test-calibration",
        coverage.two_sample_calibration(
            config.test_replicates, config.test_sizes, config.permutation_replicates, 999
        ),
    )


@case("bootstrap-time")
def bootstrap_time(config: Config) -> Result:
    """A 1000-replicate interval on 1e5 + 1e5 samples, against resampling the samples."""
    return _measured("bootstrap-time", coverage.bootstrap_time(config.repeats))


def table(results: list[Result]) -> str:
    """Fixed-width table; ratio is each row's time over the first row of its case."""
    lines = [f"{'case':<14} {'what':<44} {'ms':>9} {'ns/sample':>10} {'ratio':>8}"]
    lines.append("-" * len(lines[0]))
    for result in results:
        reference = result.rows[0] if result.rows else None
        for label, seconds, n in result.rows:
            assert reference is not None
            ns = seconds / n * 1e9
            ratio = seconds / reference[1]
            lines.append(
                f"{result.name:<14} {label:<44} {seconds * 1e3:9.2f} {ns:10.3f} {ratio:8.2f}"
            )
        for note in result.notes:
            lines.append(f"{result.name:<14} {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, run the selected cases, print (and save) the table."""
    parser = argparse.ArgumentParser(prog="python -m benches.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--filter", default="*", help="run the cases matching this glob")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    names = [name for name in CASES if fnmatch.fnmatch(name, args.filter)]
    print(
        f"divergences benches ({'quick' if args.quick else 'full'}): numba threads "
        f"{numba.config.NUMBA_NUM_THREADS}, cpus {os.cpu_count()}; ratio = time / first row"
    )
    results = []
    for name in names:
        results.append(CASES[name](config))
        print(table(results[-1:]).split("\n", 2)[-1], flush=True)
    print()
    print(table(results))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump([r.__dict__ for r in results], handle, indent=1)


if __name__ == "__main__":
    main()

"""Speed and memory of the sample estimators against what users would otherwise write.

Baselines (x ~ N(0, 1), y ~ N(0.5, 1.2^2), automatic range):

A  min/max of both, two ``np.histogram`` calls on the shared range, ``jensenshannon(p, q)**2``;
B  the same on ``fast_histogram.histogram1d`` (optional);
C  the same on ``boost_histogram`` with a threaded fill (optional).

"ours, 1 thread" runs with ``numba.set_num_threads(1)``; "ours, all threads" with numba's
configured thread count (the library's default).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numba
import numpy as np

import divergences as dv
from divergences import _kernels
from divergences import histogram as hist_module

from . import floor
from .core import (
    BASELINE_NAMES,
    Config,
    Result,
    available_baselines,
    baseline_a,
    baseline_a_kl,
    case,
    interleaved,
    samples,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # benches/ is importable here


@contextmanager
def threads(n: int) -> Iterator[None]:
    """Run the block with numba limited to ``n`` threads, parallel kernels even on a busy machine.

    The library's default ("auto") policy takes the serial kernels while the machine is busy;
    a row labelled with a thread count measures that many threads.
    """
    before = numba.get_num_threads()
    policy = _kernels.threads.PARALLEL_POLICY
    numba.set_num_threads(n)
    _kernels.threads.PARALLEL_POLICY = "always"
    try:
        yield
    finally:
        numba.set_num_threads(before)
        _kernels.threads.PARALLEL_POLICY = policy


ALL = numba.config.NUMBA_NUM_THREADS


def _ours(estimator: Callable[..., Any], x: np.ndarray, y: np.ndarray, bins: int, n: int):
    axis = 1 if x.ndim == 2 else None  # a 2-D input here is a batch of pairs, one per row

    def run() -> None:
        with threads(n):
            estimator(x, y, bins=bins, axis=axis)

    return run


@case("js-1024")
def js_headline(config: Config) -> Result:
    """The whole JS estimate at the headline size, ours (1 and all threads) against A, B, C."""
    x, y = samples(config.n)
    out = Result("js-1024")
    total = 2 * config.n
    runs: dict[str, Callable[[], Any]] = {
        "ours, 1 thread": _ours(dv.js_from_samples, x, y, 1024, 1),
        f"ours, {ALL} threads": _ours(dv.js_from_samples, x, y, 1024, ALL),
    }
    baselines, skipped = available_baselines()
    for key, baseline in baselines.items():
        runs[BASELINE_NAMES[key]] = lambda b=baseline: b(x, y, 1024)
    timings = interleaved(runs, config.repeats)
    for label, timing in timings.items():
        out.add(label, timing, total)
    out.notes += skipped
    ours = dv.js_from_samples(x, y, bins=1024).value
    out.notes.append(f"|ours - A| = {abs(ours - baseline_a(x, y, 1024)):.2e} nats")
    best = min(timings["ours, 1 thread"].median, timings[f"ours, {ALL} threads"].median)
    for key in baselines:
        ratio = timings[BASELINE_NAMES[key]].median / best
        out.notes.append(f"speed-up over {key} (ours at its best thread count): {ratio:.2f}x")
    out.series["ratios"] = {key: timings[BASELINE_NAMES[key]].median / best for key in baselines}
    return out


@case("kl-1024")
def kl_headline(config: Config) -> Result:
    """The whole KL estimate, ours against np.histogram x2 + scipy.stats.entropy."""
    x, y = samples(config.n)
    out = Result("kl-1024")
    total = 2 * config.n
    timings = interleaved(
        {
            "ours, 1 thread": _ours(dv.kl_from_samples, x, y, 1024, 1),
            f"ours, {ALL} threads": _ours(dv.kl_from_samples, x, y, 1024, ALL),
            "A: np.histogram x2 + scipy.stats.entropy": lambda: baseline_a_kl(x, y, 1024),
        },
        config.repeats,
    )
    for label, timing in timings.items():
        out.add(label, timing, total)
    estimate = dv.kl_from_samples(x, y, bins=1024)
    out.notes.append(
        f"KL = {estimate.value:.4g} nats; x's mass in bins without y: "
        f"{estimate.off_support_mass:.2e}"
    )
    return out


def _fit_exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(time) against log(n)."""
    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


@case("speed-sizes")
def speed_sizes(config: Config) -> Result:
    """ns/sample against n (samples per array) for every method; fitted exponent a (t ~ n^a)."""
    out = Result("speed-sizes")
    baselines, skipped = available_baselines()
    methods: dict[str, list[float]] = {}
    floors: dict[str, list[float]] = {"floor, 1 thread": [], f"floor, {ALL} threads": []}
    for n in config.sizes:
        x, y = samples(n)
        repeats = config.repeats if n >= 1_000_000 else max(config.repeats, 15)
        runs: dict[str, Callable[[], Any]] = {
            "ours, 1 thread": _ours(dv.js_from_samples, x, y, 1024, 1),
            f"ours, {ALL} threads": _ours(dv.js_from_samples, x, y, 1024, ALL),
            "floor, 1 thread": lambda x=x, y=y: floor.read_both(x, y, 0),
            f"floor, {ALL} threads": lambda x=x, y=y: floor.read_both(
                x, y, ALL * hist_module.CHUNKS_PER_THREAD
            ),
        }
        for key, baseline in baselines.items():
            runs[BASELINE_NAMES[key]] = lambda b=baseline, x=x, y=y: b(x, y, 1024)
        for label, timing in interleaved(runs, repeats).items():
            target = floors if label.startswith("floor") else methods
            target.setdefault(label, []).append(timing.median)
            if not label.startswith("floor"):
                out.add(f"{label}, n = {n:.0e}", timing, 2 * n)
    for label, seconds in methods.items():
        a = _fit_exponent(list(config.sizes), seconds)
        large = [(n, s) for n, s in zip(config.sizes, seconds, strict=True) if n >= 100_000]
        tail = (
            f"; n >= 1e5: a = {_fit_exponent(*map(list, zip(*large, strict=True))):.2f}"
            if len(large) >= 2
            else ""
        )
        out.notes.append(f"{label}: time ~ n^a, a = {a:.2f} over the sweep{tail}")
    out.notes += skipped
    out.series = {
        "n": list(config.sizes),
        "ns_per_sample": {
            label: [s / (2 * n) * 1e9 for s, n in zip(secs, config.sizes, strict=True)]
            for label, secs in {**methods, **floors}.items()
        },
    }
    return out


@case("speed-bins")
def speed_bins(config: Config) -> Result:
    """ns/sample against the number of bins at a fixed size, ours (1 thread) against A and B."""
    out = Result("speed-bins")
    x, y = samples(config.bins_n)
    baselines, skipped = available_baselines()
    curves: dict[str, list[float]] = {}
    for bins in config.bins:
        runs: dict[str, Callable[[], Any]] = {
            "ours, 1 thread": _ours(dv.js_from_samples, x, y, bins, 1),
            f"ours, {ALL} threads": _ours(dv.js_from_samples, x, y, bins, ALL),
        }
        for key, baseline in baselines.items():
            runs[BASELINE_NAMES[key]] = lambda b=baseline, k=bins: b(x, y, k)
        for label, timing in interleaved(runs, config.repeats).items():
            curves.setdefault(label, []).append(timing.median / (2 * config.bins_n) * 1e9)
            out.add(f"{label}, {bins} bins", timing, 2 * config.bins_n)
    out.notes += skipped
    out.series = {"bins": list(config.bins), "ns_per_sample": curves}
    return out


@case("binning-pass")
def binning_pass(config: Config) -> Result:
    """The binning pass alone and the range pass, against a plain read of both arrays."""
    x, y = samples(config.n)
    out = Result("binning-pass")
    total = 2 * config.n
    edges = np.linspace(min(x.min(), y.min()), max(x.max(), y.max()), 1025)
    for n_threads in sorted({1, ALL}):
        chunks = n_threads * hist_module.CHUNKS_PER_THREAD if n_threads > 1 else 0

        def binning(c: int = chunks) -> None:
            if c:
                _kernels.histogram_pair_parallel(x, edges, c)
                _kernels.histogram_pair_parallel(y, edges, c)
            else:
                _kernels.histogram_pair(x, edges)
                _kernels.histogram_pair(y, edges)

        def range_pass(c: int = chunks) -> None:
            if c:
                _kernels.histogram_pair_range_parallel(x, c)
                _kernels.histogram_pair_range_parallel(y, c)
            else:
                _kernels.histogram_pair_range(x)
                _kernels.histogram_pair_range(y)

        with threads(n_threads):
            timings = interleaved(
                {
                    f"floor: plain read, {n_threads} thread(s)": lambda c=chunks: floor.read_both(
                        x, y, c
                    ),
                    f"plain sum loop in source order, {n_threads} thread(s)": (
                        lambda c=chunks: floor.read_both(x, y, c, ordered=True)
                    ),
                    f"binning pass, {n_threads} thread(s)": binning,
                    f"range pass, {n_threads} thread(s)": range_pass,
                },
                config.repeats,
            )
        for label, timing in timings.items():
            out.add(label, timing, total)
        read = timings[f"floor: plain read, {n_threads} thread(s)"].median
        ratio = timings[f"binning pass, {n_threads} thread(s)"].median / read
        out.notes.append(f"binning pass / read floor at {n_threads} thread(s): {ratio:.2f}x")
        ordered = timings[f"plain sum loop in source order, {n_threads} thread(s)"].median
        out.notes.append(
            f"binning pass / plain sum loop in source order at {n_threads} thread(s): "
            f"{timings[f'binning pass, {n_threads} thread(s)'].median / ordered:.2f}x"
        )
    return out


@case("batch")
def batch(config: Config) -> Result:
    """Many small pairs in one call against a Python loop of baseline A."""
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1, (config.batch_pairs, config.batch_n))
    y = rng.normal(0.5, 1.2, (config.batch_pairs, config.batch_n))
    out = Result("batch")
    total = x.size + y.size
    timings = interleaved(
        {
            f"ours: one call, {config.batch_pairs} pairs x 32 bins, 1 thread": _ours(
                dv.js_from_samples, x, y, 32, 1
            ),
            f"ours: one call, {ALL} threads": _ours(dv.js_from_samples, x, y, 32, ALL),
            "A in a Python loop": lambda: [baseline_a(a, b, 32) for a, b in zip(x, y, strict=True)],
        },
        config.repeats,
    )
    for label, timing in timings.items():
        out.add(label, timing, total)
    loop = timings["A in a Python loop"].median
    best = min(t.median for label, t in timings.items() if label.startswith("ours"))
    out.notes.append(f"speed-up over the Python loop: {loop / best:.1f}x")
    return out


_MEMORY_SCRIPT = """
import sys, numpy as np
from benches.rss import peak_mib, reset_peak
which, n = sys.argv[1], int(sys.argv[2])
x = np.empty(n); y = np.empty(n)
rng = np.random.default_rng(0); rng.standard_normal(out=x); rng.standard_normal(out=y)
if which == "ours":
    import divergences as dv
    dv.js_from_samples(x[:1000], y[:1000], bins=1024)  # compile or load the kernels first
    dv.js_from_samples(x[:400_000], y[:400_000], bins=1024)  # and the parallel ones
    run = lambda: dv.js_from_samples(x, y, bins=1024)
else:
    from benches.core import baseline_a
    baseline_a(x[:1000], y[:1000], 1024)
    run = lambda: baseline_a(x, y, 1024)
before = reset_peak()
run()
print(before, peak_mib())
"""


@case("memory")
def memory(config: Config) -> Result:
    """Peak resident memory added by one estimate on large inputs, ours and A, fresh processes."""
    out = Result("memory")
    inputs = 2 * config.memory_n * 8 / 2**20
    grown = {}
    for which in ("ours", "A"):
        command = [sys.executable, "-c", _MEMORY_SCRIPT, which, str(config.memory_n)]
        output = subprocess.check_output(command, text=True, cwd=ROOT)
        before, after = map(float, output.split())
        grown[which] = after - before
    out.notes.append(
        f"{2 * config.memory_n:.0e} float64 samples ({inputs:.0f} MiB of inputs): peak RSS beyond "
        f"the inputs grew by {grown['ours']:.1f} MiB for js_from_samples(bins=1024), "
        f"{grown['A']:.1f} MiB for baseline A (peak RSS of the call over RSS before it, fresh "
        "processes)"
    )
    out.series = {"grown_mib": grown, "inputs_mib": inputs}
    return out


_LATENCY_SCRIPT = """
import time, numpy as np
x = np.random.default_rng(0).normal(size=10_000); y = x[::-1] + 0.5
start = time.perf_counter()
import divergences as dv
imported = time.perf_counter() - start
dv.js_from_samples(x, y, bins=64).value
first = time.perf_counter() - start
start = time.perf_counter()
dv.js_from_samples(x, y, bins=64).value
print(imported, first, time.perf_counter() - start)
"""


def _latency(env: dict[str, str]) -> tuple[float, float, float]:
    output = subprocess.check_output([sys.executable, "-c", _LATENCY_SCRIPT], text=True, env=env)
    imported, first, second = map(float, output.split())
    return imported, first, second


@case("cold-start")
def cold_start(config: Config) -> Result:
    """Import time and first-call latency in fresh processes, with an empty and a warm cache."""
    out = Result("cold-start")
    # (a cold run compiles for ~15-20 s: --quick, a smoke test, makes one of each)
    runs = 5 if config.repeats >= 5 else 1
    with tempfile.TemporaryDirectory() as cache:
        cold = []
        for i in range(runs):
            env = dict(os.environ, NUMBA_CACHE_DIR=os.path.join(cache, f"empty{i}"))
            cold.append(_latency(env))
        # the first cold run filled its cache with what the same call needs: warm from there
        warm_env = dict(os.environ, NUMBA_CACHE_DIR=os.path.join(cache, "empty0"))
        warm = [_latency(warm_env) for _ in range(runs)]

    def med(values: list[tuple[float, float, float]], i: int) -> float:
        return statistics.median(v[i] for v in values)

    out.notes.append(f"import divergences: {med(warm, 0) * 1e3:.0f} ms (median of {runs})")
    out.notes.append(
        f"import + first js_from_samples, empty numba cache (compiles): {med(cold, 1):.2f} s"
    )
    out.notes.append(
        f"import + first js_from_samples, warm numba cache: {med(warm, 1) * 1e3:.0f} ms; "
        f"second call: {med(warm, 2) * 1e6:.0f} us (2 x 10^4 samples)"
    )
    out.series = {
        "import_s": med(warm, 0),
        "first_cold_s": med(cold, 1),
        "first_warm_s": med(warm, 1),
        "second_s": med(warm, 2),
    }
    return out

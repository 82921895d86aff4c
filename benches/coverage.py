"""Benchmark cases for the statistics of the sample estimators (issue 7).

* ``ci-coverage``: how often the 95% bootstrap interval of ``js_from_samples`` /
  ``kl_from_samples`` covers the truth, over seeded replicates of the reference Gaussian pair
  ``x ~ N(0, 1)``, ``y ~ N(0.5, 1.2^2)`` and of ``P = Q = N(0, 1)``, at n = 1e3, 1e4, 1e5 per
  sample. The interval is for the *binned* divergence (bin probabilities from the cdfs); its
  coverage of the *continuous* divergence (``reference.js_normal``, ``reference.kl_normal``) is
  reported too and also pays the binning bias, which no interval includes.
* ``test-calibration``: size of ``js_test`` at the 5% level under ``P = Q`` (chi-square with
  the default equal-mass bins, chi-square with ``bins="auto"``, permutation) and power under a
  0.1 sigma shift; and the chi-square size on a grid of unequal sizes (n_x from 200 to 5000,
  n_y = 1 to 20 n_x) for a Gaussian, a heavy-tailed and a discrete law.
* ``bootstrap-time``: wall time of a 1000-replicate interval on 1e5 + 1e5 samples, against the
  same bootstrap done by resampling the raw samples.

Each function returns rows ``(label, seconds, samples)`` and note lines; ``benches/run.py``
registers them as cases. Every replicate is seeded.
"""

from __future__ import annotations

import math
import statistics
import time
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

import divergences as dv

#: The fixed range of the uniform bins (mass of either law outside: below 1e-7).
RANGE = (-6.0, 7.0)
LEVEL = 0.95


def bin_masses(dist: stats.rv_continuous, edges: np.ndarray) -> np.ndarray:
    """Exact bin probabilities conditional on the range (the estimator drops values outside).

    cdf differences below the median, sf differences above it, so the upper tail does not round
    to 1 - 1.
    """
    lower = np.diff(dist.cdf(edges))
    upper = -np.diff(dist.sf(edges))
    masses = np.where(edges[1:] <= dist.median(), lower, upper)
    return np.asarray(masses / masses.sum())


@dataclass
class Scenario:
    """A pair of laws, the divergence estimated, the bins and the continuous truth."""

    name: str
    divergence: str
    p: stats.rv_continuous
    q: stats.rv_continuous
    continuous: float
    bins: str  # "uniform": ceil(2 n^(1/3)) equal widths on RANGE; "quantile": the library's rule


JS_TRUE = float(dv.reference.js_normal(0, 1, 0.5, 1.2))
KL_TRUE = float(dv.reference.kl_normal(0, 1, 0.5, 1.2))
N01, N_REF = stats.norm(0, 1), stats.norm(0.5, 1.2)
SCENARIOS = [
    Scenario("gauss", "js", N01, N_REF, JS_TRUE, "uniform"),
    Scenario("P = Q", "js", N01, N01, 0.0, "uniform"),
    Scenario("gauss", "kl", N01, N_REF, KL_TRUE, "uniform"),
    Scenario("gauss", "kl", N01, N_REF, KL_TRUE, "quantile"),
    Scenario("P = Q", "kl", N01, N01, 0.0, "quantile"),
]


def _edges(n: int) -> np.ndarray:
    """``ceil(2 n^(1/3))`` equal-width bins on RANGE (as estimate.consistency)."""
    return np.linspace(*RANGE, math.ceil(2 * n ** (1 / 3)) + 1)


def _binomial_se(share: float, trials: int) -> float:
    return math.sqrt(max(share * (1 - share), 1e-12) / trials)


def interval_coverage(
    replicates: int, sizes: tuple[int, ...], n_boot: int
) -> tuple[list[tuple[str, float, int]], list[str], dict[str, dict[str, list[float]]]]:
    """Coverage of the 95% intervals (BCa and percentile) of the binned and continuous truths.

    Returns timed rows, the notes (the coverage table) and the coverage by n per scenario and
    method, for the figures.
    """
    notes = [
        f"95% intervals, {replicates} seeded replicates per row, n_boot={n_boot}; bins "
        f"'uniform' = ceil(2 n^(1/3)) equal widths on {RANGE}, 'quantile' = the library's "
        f"equal-mass rule; coverage +- binomial standard error",
        f"{'div':<4} {'case':<6} {'bins':<9} {'n':>7} {'K':>4} {'method':<10} "
        f"{'binned truth':>14} {'continuous':>14} {'mean width':>11} {'vacuous':>8}",
    ]
    rows: list[tuple[str, float, int]] = []
    series: dict[str, dict[str, list[float]]] = {}
    for index, scenario in enumerate(SCENARIOS):
        exact = dv.js_divergence if scenario.divergence == "js" else dv.kl_divergence
        estimate = dv.js_from_histogram if scenario.divergence == "js" else dv.kl_from_histogram
        for n in sizes:
            rng = np.random.default_rng([7, index, n])
            hits = {m: [0, 0] for m in ("bca", "percentile")}
            widths: dict[str, list[float]] = {"bca": [], "percentile": []}
            vacuous = 0
            start = time.perf_counter()
            for _ in range(replicates):
                x = scenario.p.rvs(n, random_state=rng)
                y = scenario.q.rvs(n, random_state=rng)
                bins = _edges(n) if scenario.bins == "uniform" else "quantile"
                h = dv.histogram_pair(x, y, bins=bins)
                # the binned truth on this replicate's edges (the interval is conditional on them)
                edges = np.asarray(h.edges, dtype=float)
                binned = float(exact(bin_masses(scenario.p, edges), bin_masses(scenario.q, edges)))
                for method in hits:
                    est = estimate(h, ci=LEVEL, ci_method=method, n_boot=n_boot, seed=rng)
                    lo, hi = est.interval
                    hits[method][0] += lo <= binned <= hi
                    hits[method][1] += lo <= scenario.continuous <= hi
                    widths[method].append(hi - lo)
                    vacuous += math.isinf(hi)
            elapsed = time.perf_counter() - start
            for method, (on_binned, on_continuous) in hits.items():
                cb, cc = on_binned / replicates, on_continuous / replicates
                finite = [w for w in widths[method] if math.isfinite(w)]
                width = statistics.fmean(finite) if finite else math.inf
                curve = series.setdefault(
                    f"{scenario.divergence} {scenario.name} {scenario.bins} {method}",
                    {"n": [], "binned": [], "binned_se": [], "continuous": []},
                )
                curve["n"].append(n)
                curve["binned"].append(cb)
                curve["binned_se"].append(_binomial_se(cb, replicates))
                curve["continuous"].append(cc)
                notes.append(
                    f"{scenario.divergence:<4} {scenario.name:<6} {scenario.bins:<9} {n:>7} "
                    f"{h.n_bins:>4} {method:<10} {cb:>7.3f}+-{_binomial_se(cb, replicates):.3f} "
                    f"{cc:>7.3f}+-{_binomial_se(cc, replicates):.3f} {width:>11.2e} "
                    f"{vacuous / (2 * replicates):>8.3f}"
                )
            rows.append(
                (
                    f"{scenario.divergence} {scenario.name} {scenario.bins} n={n}: a replicate",
                    elapsed / replicates,
                    2 * n,
                )
            )
    notes.append(
        f"continuous truths: JSD {JS_TRUE:.6f}, KL {KL_TRUE:.6f} nats (0 for P = Q); 'vacuous' "
        f"= share of intervals with an infinite upper end (KL: replicates with a bin of x and "
        f"none of y); K = bins of the last replicate"
    )
    return rows, notes, series


def two_sample_calibration(
    replicates: int, sizes: tuple[int, ...], permutation_replicates: int, n_permutations: int
) -> tuple[list[tuple[str, float, int]], list[str]]:
    """Size of js_test at alpha = 0.05 under P = Q, and power under a 0.1 sigma shift."""
    notes = [
        "js_test rejections at alpha = 0.05 (+- binomial standard error); size under "
        "x, y ~ N(0, 1), power under y ~ N(0.1, 1)",
        f"{'n':>7} {'variant':<30} {'size':>14} {'power (0.1 sd)':>16}",
    ]
    rows: list[tuple[str, float, int]] = []
    variants = [
        ("chi2, bins='quantile' (default)", {"bins": "quantile"}, replicates),
        ("chi2, bins='auto'", {"bins": "auto"}, replicates),
        (
            f"permutation ({n_permutations}), quantile",
            {"method": "permutation", "n_permutations": n_permutations},
            permutation_replicates,
        ),
    ]
    for n in sizes:
        for label, options, count in variants:
            shares = []
            start = time.perf_counter()
            # (js_test warns where a bin is too sparse for the chi-square: counted, not shown)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for shift in (0.0, 0.1):
                    rng = np.random.default_rng([11, n, int(shift * 10), len(label)])
                    rejected = 0
                    for _ in range(count):
                        x, y = rng.normal(0, 1, n), rng.normal(shift, 1, n)
                        seed = {"seed": rng} if "method" in options else {}
                        rejected += dv.js_test(x, y, **options, **seed).pvalue <= 0.05
                    shares.append(rejected / count)
            elapsed = time.perf_counter() - start
            size, power = shares
            notes.append(
                f"{n:>7} {label:<30} {size:>7.4f}+-{_binomial_se(size, count):.4f} "
                f"{power:>9.4f}+-{_binomial_se(power, count):.4f}{_warned(caught, 2 * count)}"
            )
            rows.append((f"js_test {label} n={n}", elapsed / (2 * count), 2 * n))
    return rows, notes


def _warned(caught: list[warnings.WarningMessage], calls: int) -> str:
    """`` (warned on x% of calls)`` for js_test's sparse-bin warnings; "" without one."""
    count = sum(str(w.message).startswith("js_test: a bin expects") for w in caught)
    return f" (warned on {count / calls:.1%} of calls)" if count else ""


#: The laws of the unequal-size grid: continuous (Gaussian and heavy-tailed; the equal-mass
#: bins make the chi-square test rank-based, so any continuous law gives the same size) and
#: discrete (ties: the equal-mass edges collapse on the atoms).
SIZE_LAWS = {
    "N(0,1)": lambda rng, n: rng.normal(0.0, 1.0, n),
    "t(3)": lambda rng, n: rng.standard_t(3, n),
    "Poisson(3)": lambda rng, n: rng.poisson(3.0, n).astype(np.float64),
}


def unequal_size_calibration(
    replicates: int, smaller: tuple[int, ...], ratios: tuple[int, ...], laws: tuple[str, ...]
) -> tuple[list[tuple[str, float, int]], list[str]]:
    """Size of js_test (chi2, default bins) at alpha = 0.05 under P = Q for unequal sizes.

    x has ``n`` values, y ``ratio * n``, both from the same law; one seeded stream per cell.
    """
    notes = [
        f"js_test size at alpha = 0.05 under P = Q, unequal sizes (chi2, default bins), "
        f"{replicates} seeded replicates per cell (+- {_binomial_se(0.05, replicates):.4f} "
        f"at 0.05); K = mean bins with a value",
        f"{'law':<11} {'n_x':>6} " + " ".join(f"{f'n_y = {r} n_x':>19}" for r in ratios),
    ]
    rows: list[tuple[str, float, int]] = []
    for law in laws:
        draw = SIZE_LAWS[law]
        for n in smaller:
            cells = []
            start = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:  # as above
                warnings.simplefilter("always")
                for ratio in ratios:
                    rng = np.random.default_rng([13, n, ratio, len(law)])
                    rejected, bins = 0, 0
                    for _ in range(replicates):
                        test = dv.js_test(draw(rng, n), draw(rng, ratio * n))
                        rejected += test.pvalue <= 0.05
                        bins += test.df + 1
                    cells.append(f"{rejected / replicates:.4f} (K {bins / replicates:4.1f})")
            elapsed = time.perf_counter() - start
            notes.append(
                f"{law:<11} {n:>6} "
                + " ".join(f"{cell:>19}" for cell in cells)
                + _warned(caught, replicates * len(ratios))
            )
            samples = sum(n * (1 + r) for r in ratios)
            rows.append((f"js_test {law} n_x={n}, all ratios", elapsed / replicates, samples))
    return rows, notes


def bootstrap_time(
    repeats: int, n: int = 100_000, n_boot: int = 1000
) -> tuple[list[tuple[str, float, int]], list[str]]:
    """Wall time of a 1000-replicate BCa interval on n + n samples, and the raw-sample way."""
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 1, n), rng.normal(0.5, 1.2, n)
    edges = _edges(n)
    rows = []

    def timed(function: object, count: int) -> float:
        assert callable(function)
        function()
        times = []
        for _ in range(count):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    t = timed(lambda: dv.js_from_samples(x, y, bins=edges), repeats)
    rows.append(("js_from_samples, no interval", t, 2 * n))
    for method in ("bca", "percentile"):
        t = timed(
            lambda m=method: dv.js_from_samples(
                x, y, bins=edges, ci=LEVEL, ci_method=m, n_boot=n_boot, seed=0
            ),
            repeats,
        )
        rows.append((f"+ {n_boot}-replicate {method} interval", t, 2 * n))
    # the same bootstrap by resampling the samples: measured on 20 replicates, scaled up
    sample_rng = np.random.default_rng(4)

    def raw_bootstrap(count: int = 20) -> None:
        for _ in range(count):
            dv.js_from_samples(
                x[sample_rng.integers(0, n, n)],
                y[sample_rng.integers(0, n, n)],
                bins=edges,
                bias_correction="miller-madow",
            )

    t = timed(raw_bootstrap, 1) * n_boot / 20
    rows.append((f"raw-sample bootstrap, {n_boot} (from 20)", t, 2 * n))
    notes = [f"{n} + {n} samples, {edges.size - 1} bins; times are medians of {repeats} calls"]
    return rows, notes

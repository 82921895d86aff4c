r"""Accuracy of divergence estimators on multivariate samples: bias, sd, RMSE and time vs n, d.

The pairs and their truths are in :mod:`benches.truths_nd` (Gaussians with different means
and covariances in d = 1 ... 16, the 8-mode ring collapsed to 6 modes, the 25-mode grid
blurred, Student t3 against Cauchy, U[0,1]^d against U[0,1.2]^d). Every cell (pair, d, n per
side) draws the same seeded samples for every estimator (replicate r of a cell uses
``default_rng([SEED, pair, d, n, r])``), and reports the bias, the standard deviation and the
RMSE over the replicates against the truth, the share of non-finite estimates (left out of the
statistics), the coverage of the truth by the estimator's interval where it returns one, and
the median wall time of one call.

Each estimator is called as its package documents it, with default arguments unless stated:

* ours, ``kl_knn``: ``divergences.kl_knn(x, y, k=4)`` (Wang-Kulkarni-Verdú; k = 4 rather
  than the default 1: its docstring measures the lower variance at k = 4).
* ours, ``kl hist``: ``float(divergences.kl_from_samples(x[:, 0], y[:, 0]))`` in 1-D (bins
  "wkv"), ``float(divergences.kl_from_samples_nd(x, y))`` for d = 2, 3 (10 bins per axis);
  d > 3 is skipped (10^d cells).
* ours, ``js hist``: ``float(divergences.js_from_samples(x[:, 0], y[:, 0]))`` in 1-D (bins
  "auto"), ``float(divergences.js_from_samples_nd(x, y))`` for d = 2, 3; d > 3 skipped.
* ``divergence`` (PyPI ``divergence``), kNN KL: ``divergence.knn_kl_divergence(x, y)``
  (same estimator, its default k = 5, Euclidean).
* ``divergence``, KDE JSD: ``divergence.jensen_shannon_divergence_from_samples(x[:, 0],
  y[:, 0])`` (statsmodels ``KDEUnivariate`` fits, then numerical integration): 1-D only.
* ``infomeasure``, KL: ``infomeasure.kld(x, y, approach="metric", k=4, noise_level=0)``
  (Kozachenko-Leonenko cross-entropy minus entropy, max-norm balls). ``noise_level=0``
  because the default adds N(0, 1e-10) noise from an unseeded generator (its ``seed`` is not
  accepted on this path) and the samples here have no ties.
* ``infomeasure``, JSD: ``infomeasure.jsd(x, y, approach="kernel", kernel="gaussian",
  bandwidth=n ** (-1 / (d + 4)), workers=1)``; the bandwidth is required, and this is
  Scott's factor (scipy's ``gaussian_kde`` scales it by the data covariance, as infomeasure
  passes it on as ``bw_method``).
* scipy ``gaussian_kde`` plug-in, what a user writes with scipy (Scott's rule, resubstitution):
  ``kp, kq = gaussian_kde(x.T), gaussian_kde(y.T)``; KL = ``mean(kp.logpdf(x.T) -
  kq.logpdf(x.T))``; JSD = ½ mean over x of ``log 2 + lp - logaddexp(lp, lq)`` plus the same
  over y.

Skipped cells, each with a note: the histograms beyond d = 3; the kernel estimators (scipy,
infomeasure) beyond n = 10^3 in the full run and 10^2 in the quick one (n² kernel
evaluations: 5-25 s per call at n = 10^4 on the benchmark machine); kNN beyond n = 10^4 for
d >= 8 (the k-d tree degrades towards brute force: about 1 s per call at n = 10^4, d = 8,
5 s at d = 16, and roughly n² beyond). Peers that are not installed are skipped with a line
saying so.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import divergences as dv

from . import truths_nd
from .core import Config, Result, case

SEED = 20_240_602
PAIR_DIMS = {
    "gauss": (1, 2, 4, 8, 16),
    "ring": (2,),
    "grid": (2,),
    "student": (1, 2, 4),
    "uniform": (1, 2, 4, 8, 16),
}
HIST_MAX_D = 3
KNN_HIGH_D = 8
KNN_HIGH_D_MAX_N = 10_000

Call = Callable[[np.ndarray, np.ndarray], tuple[float, Any]]


@dataclass(frozen=True)
class Estimator:
    """An estimator of one divergence: a call returning (value, interval or None), a skip rule."""

    name: str
    divergence: str  # "kl" or "js"
    call: Call
    skip: Callable[[int, int, Config], str | None]  # (d, n, config) -> reason to skip


def _interval(result: Any) -> Any:
    interval = getattr(result, "interval", None)
    return None if interval is None else (float(interval[0]), float(interval[1]))


def _knn_skip(d: int, n: int, config: Config) -> str | None:
    if d >= KNN_HIGH_D and n > KNN_HIGH_D_MAX_N:
        return f"kNN in d >= {KNN_HIGH_D} beyond n = {KNN_HIGH_D_MAX_N:.0e} (k-d tree ~ n^2)"
    return None


def _hist_skip(d: int, n: int, config: Config) -> str | None:
    return f"histogram in d > {HIST_MAX_D} (10^d cells)" if d > HIST_MAX_D else None


def _kernel_skip(d: int, n: int, config: Config) -> str | None:
    top = config.accuracy_nd_kernel_max_n
    return f"kernel sums beyond n = {top:.0e} (n^2 cost)" if n > top else None


def _one_d_only(d: int, n: int, config: Config) -> str | None:
    return "1-D only" if d != 1 else None


def _kl_hist(x: np.ndarray, y: np.ndarray) -> tuple[float, Any]:
    r = dv.kl_from_samples(x[:, 0], y[:, 0]) if x.shape[1] == 1 else dv.kl_from_samples_nd(x, y)
    return float(r), None


def _js_hist(x: np.ndarray, y: np.ndarray) -> tuple[float, Any]:
    r = dv.js_from_samples(x[:, 0], y[:, 0]) if x.shape[1] == 1 else dv.js_from_samples_nd(x, y)
    return float(r), None


def _scipy_kde_kl(x: np.ndarray, y: np.ndarray) -> tuple[float, Any]:
    from scipy.stats import gaussian_kde

    kp, kq = gaussian_kde(x.T), gaussian_kde(y.T)
    return float(np.mean(kp.logpdf(x.T) - kq.logpdf(x.T))), None


def _scipy_kde_js(x: np.ndarray, y: np.ndarray) -> tuple[float, Any]:
    from scipy.stats import gaussian_kde

    kp, kq = gaussian_kde(x.T), gaussian_kde(y.T)
    lp_x, lq_x = kp.logpdf(x.T), kq.logpdf(x.T)
    lp_y, lq_y = kp.logpdf(y.T), kq.logpdf(y.T)
    half_p = np.mean(math.log(2.0) + lp_x - np.logaddexp(lp_x, lq_x))
    half_q = np.mean(math.log(2.0) + lq_y - np.logaddexp(lp_y, lq_y))
    return float(0.5 * (half_p + half_q)), None


def estimators() -> tuple[list[Estimator], list[str]]:
    """The estimators that can run here, and a line for each peer that is not installed."""
    found = [
        Estimator("ours kl_knn k=4", "kl", lambda x, y: (dv.kl_knn(x, y, k=4), None), _knn_skip),
        Estimator("ours kl hist", "kl", _kl_hist, _hist_skip),
        Estimator("ours js hist", "js", _js_hist, _hist_skip),
    ]
    missing = []
    try:
        import divergence
    except ImportError:
        missing.append("divergence skipped: not installed (pip install divergence)")
    else:
        found.append(
            Estimator(
                "divergence knn k=5",
                "kl",
                lambda x, y: (float(divergence.knn_kl_divergence(x, y)), None),
                _knn_skip,
            )
        )
        found.append(
            Estimator(
                "divergence KDE",
                "js",
                lambda x, y: (
                    float(divergence.jensen_shannon_divergence_from_samples(x[:, 0], y[:, 0])),
                    None,
                ),
                _one_d_only,
            )
        )
    try:
        import infomeasure
    except ImportError:
        missing.append("infomeasure skipped: not installed (pip install infomeasure)")
    else:
        found.append(
            Estimator(
                "infomeasure metric k=4",
                "kl",
                lambda x, y: (
                    float(infomeasure.kld(x, y, approach="metric", k=4, noise_level=0)),
                    None,
                ),
                _knn_skip,
            )
        )
        found.append(
            Estimator(
                "infomeasure kernel",
                "js",
                lambda x, y: (
                    float(
                        infomeasure.jsd(
                            x,
                            y,
                            approach="kernel",
                            kernel="gaussian",
                            bandwidth=len(x) ** (-1.0 / (x.shape[1] + 4)),
                            workers=1,
                        )
                    ),
                    None,
                ),
                _kernel_skip,
            )
        )
    found.append(Estimator("scipy gaussian_kde", "kl", _scipy_kde_kl, _kernel_skip))
    found.append(Estimator("scipy gaussian_kde", "js", _scipy_kde_js, _kernel_skip))
    return found, missing


@dataclass
class Cell:
    """What one estimator gave over the replicates of one (pair, d, n)."""

    values: list[float]
    covered: list[bool]
    seconds: list[float]

    def summary(self, truth: float) -> dict[str, float]:
        """Bias, sd, RMSE (finite values), non-finite share, coverage and median ms."""
        a = np.asarray(self.values, dtype=float)
        finite = a[np.isfinite(a)]
        bias = float(finite.mean() - truth) if finite.size else math.nan
        sd = float(finite.std(ddof=1)) if finite.size > 1 else math.nan
        return {
            "bias": bias,
            "sd": sd,
            "rmse": math.sqrt(bias**2 + sd**2) if finite.size > 1 else math.nan,
            "nonfinite": 1.0 - finite.size / a.size,
            "coverage": float(np.mean(self.covered)) if self.covered else math.nan,
            "ms": statistics.median(self.seconds) * 1e3,
        }


def _cells(config: Config) -> list[tuple[str, int]]:
    return [
        (key, d) for key, dims in PAIR_DIMS.items() for d in dims if d in config.accuracy_nd_dims
    ]


HEADER = (
    f"{'pair':<22} {'d':>2} {'n':>6} {'div':<3} {'estimator':<23} {'truth':>8} {'bias':>9} "
    f"{'sd':>8} {'rmse':>8} {'cover':>5} {'nonfin':>6} {'ms/call':>8}"
)


@case("accuracy-nd")
def accuracy_nd(config: Config) -> Result:
    """Multivariate estimators (ours, divergence, infomeasure, scipy KDE) against exact truths."""
    out = Result("accuracy-nd")
    found, missing = estimators()
    out.notes.extend(missing)
    truths: dict[str, dict[str, Any]] = {}
    for key, d in _cells(config):
        t = truths_nd.truth(key, d, config.accuracy_nd_truth_mc)
        truths[f"{key} d={d}"] = t.__dict__
        out.notes.append(
            f"truth {truths_nd.pair(key, d).label} d={d}: KL = {t.kl:.6f} +- {t.kl_se:.1e} "
            f"({t.kl_route}), JSD = {t.js:.6f} +- {t.js_se:.1e} ({t.js_route})"
        )
    reps = dict(zip(config.accuracy_nd_sizes, config.accuracy_nd_replicates, strict=True))
    out.notes.append(
        "replicates per n: "
        + ", ".join(f"{n:.0e}: {r}" for n, r in reps.items())
        + "; nonfin = share of inf/nan estimates (left out of bias/sd/rmse)"
    )
    out.notes.append(HEADER)
    series: dict[str, Any] = {"kl": {}, "js": {}, "truths": truths}
    skipped: dict[str, set[str]] = {}
    best: list[str] = []
    for index, (key, d) in enumerate(_cells(config)):
        p = truths_nd.pair(key, d)
        t = truths_nd.truth(key, d, config.accuracy_nd_truth_mc)
        panel = f"{p.label}, d={d}"
        for n in config.accuracy_nd_sizes:
            active = []
            for e in found:
                reason = e.skip(d, n, config)
                if reason is None:
                    active.append(e)
                else:
                    skipped.setdefault(f"{e.name} ({e.divergence}): {reason}", set()).add(
                        f"{key} d={d} n={n:.0e}"
                    )
            cells = {(e.name, e.divergence): Cell([], [], []) for e in active}
            for r in range(reps[n]):
                rng = np.random.default_rng([SEED, index, d, n, r])
                x, y = p.sample_p(rng, n), p.sample_q(rng, n)
                for e in active:
                    truth = t.kl if e.divergence == "kl" else t.js
                    start = time.perf_counter()
                    value, interval = e.call(x, y)
                    cell = cells[(e.name, e.divergence)]
                    cell.seconds.append(time.perf_counter() - start)
                    cell.values.append(value)
                    if interval is not None:
                        cell.covered.append(interval[0] <= truth <= interval[1])
            for div in ("kl", "js"):
                truth = t.kl if div == "kl" else t.js
                ranked = []
                for e in active:
                    if e.divergence != div:
                        continue
                    s = cells[(e.name, div)].summary(truth)
                    out.notes.append(
                        f"{p.label:<22} {d:>2} {n:>6.0e} {div.upper():<3} {e.name:<23} "
                        f"{truth:>8.4f} {s['bias']:>9.2e} {s['sd']:>8.1e} {s['rmse']:>8.1e} "
                        f"{s['coverage']:>5.2f} {s['nonfinite']:>6.2f} {s['ms']:>8.2f}"
                    )
                    curve = (
                        series[div]
                        .setdefault(panel, {})
                        .setdefault(
                            e.name,
                            {
                                "n": [],
                                "bias": [],
                                "sd": [],
                                "rmse": [],
                                "ms": [],
                                "coverage": [],
                                "nonfinite": [],
                            },
                        )
                    )
                    curve["n"].append(n)
                    for field in ("bias", "sd", "rmse", "ms", "coverage", "nonfinite"):
                        curve[field].append(s[field])
                    if s["nonfinite"] == 0.0 and math.isfinite(s["rmse"]):
                        ranked.append((s["rmse"], e.name))
                if ranked:
                    ranked.sort()
                    runner = f"; next {ranked[1][1]} {ranked[1][0]:.1e}" if len(ranked) > 1 else ""
                    best.append(
                        f"best {div.upper()} {p.label} d={d} n={n:.0e}: {ranked[0][1]} "
                        f"(rmse {ranked[0][0]:.1e}{runner})"
                    )
    out.notes.extend(best)
    for what, where in skipped.items():
        out.notes.append(f"skipped {what}: {len(where)} cell(s)")
    out.series = series
    return out


def markdown(series: dict[str, Any]) -> str:
    """The RMSE tables of a run's ``series`` as Markdown (``python -m benches.accuracy_nd JSON``).

    A row per (pair, d, n), a column per estimator, the best estimator without inf/NaN last
    (``inf 30%``: share of non-finite estimates; ``skip``: not run in that cell).
    """
    blocks = []
    for div in ("kl", "js"):
        panels = series[div]
        names = list(dict.fromkeys(name for curves in panels.values() for name in curves))
        lines = [
            f"| {'KL(P‖Q)' if div == 'kl' else 'JSD'} | n | " + " | ".join(names) + " | best |",
            "|---|---|" + "---|" * (len(names) + 1),
        ]
        for panel, curves in panels.items():
            sizes = sorted({n for curve in curves.values() for n in curve["n"]})
            for n in sizes:
                cells, ranked = [], []
                for name in names:
                    curve = curves.get(name)
                    if curve is None or n not in curve["n"]:
                        cells.append("skip")
                        continue
                    i = curve["n"].index(n)
                    rmse, bad = curve["rmse"][i], curve["nonfinite"][i]
                    if bad > 0:
                        cells.append(f"inf {bad:.0%}")
                    else:
                        cells.append(f"{rmse:.1e}")
                        ranked.append((rmse, name))
                winner = min(ranked)[1] if ranked else "-"
                lines.append(f"| {panel} | {n:.0e} | " + " | ".join(cells) + f" | {winner} |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


if __name__ == "__main__":
    import json
    import sys

    with open(sys.argv[1], encoding="utf-8") as handle:
        results = json.load(handle)["results"]
    for entry in results:
        if entry["name"] == "accuracy-nd":
            print(markdown(entry["series"]))

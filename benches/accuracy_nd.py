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

* ours, ``kl_knn``: ``divergences.kl_knn(x, y, k=4, ci=0.95, seed=s)`` (Wang-Kulkarni-Verdú;
  k = 4 rather than the default 1: its docstring measures the lower variance at k = 4).
* ours, ``js_knn``: ``divergences.js_knn(x, y, ci=0.95, seed=s)`` (entropy route with matched
  balls, default k = 10).
* ours, the bias-reduced kNN estimators from d = 4: ``divergences.kl_knn(x, y,
  bias_correction="ensemble", ci=0.95, seed=s)`` and the same for ``js_knn`` (orders 5, 10, 20,
  40 with weights that cancel the leading k^(2/d) bias term; Moon, Sricharan, Greenewald &
  Hero 2018).
* ours, ``js_discriminator``: ``divergences.js_discriminator(x, y, classifier=c, folds=5,
  ci=0.95, seed=s)`` with c = "quadratic", and c = "mlp" on the ring and grid pairs only (a
  cross-fitted lower bound on JSD; its interval is for the bound, so its coverage of JSD is
  below nominal wherever the classifier misses p/(p + q)).
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

``s`` is an integer derived from the cell and the replicate (:func:`replicate_seed`). A cell's
index, which seeds its samples, is its place among all cells whatever dimensions run, so
``python -m benches.accuracy_nd run --dims ...`` draws the samples of the full run.

Skipped cells, each with a note: the histograms beyond d = 3; the MLP discriminator except on
the ring and grid up to ``Config.accuracy_nd_mlp_max_n`` (10^3 in the full run, none in the
quick one: seconds per call); the kernel estimators (scipy, infomeasure) beyond n = 10^3 in the
full run and 10^2 in the quick one (n² kernel evaluations: 5-25 s per call at n = 10^4 on the
benchmark machine); kNN beyond n = 10^4 for d >= 8 (the k-d tree degrades towards brute force:
about 1 s per call at n = 10^4, d = 8, 5 s at d = 16, and roughly n² beyond), and the
quadratic discriminator there too; the kNN intervals (ten more estimates) in d >= 8 beyond
n = 10^3. Peers that are not installed are skipped with a line saying so.
"""

from __future__ import annotations

import dataclasses
import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import divergences as dv

from . import truths_nd
from .core import FULL, Config, Result, case

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
#: in d >= KNN_HIGH_D the kNN jackknife intervals (ten more estimates) stop beyond this n
KNN_HIGH_D_CI_MAX_N = 1_000
#: the bias-reduced (ensemble) kNN estimators run from this dimension on, as they advise
ENSEMBLE_MIN_D = 4
#: confidence level of the intervals whose coverage of the truth is recorded
LEVEL = 0.95
#: the pairs given to js_discriminator's MLP (multimodal: no quadratic logit fits them)
MLP_PAIRS = ("ring", "grid")

#: (x, y, seed) -> (value, interval or None); ``seed`` is an int derived from the replicate
Call = Callable[[np.ndarray, np.ndarray, int], tuple[float, Any]]


@dataclass(frozen=True)
class Estimator:
    """An estimator of one divergence: a call returning (value, interval or None), a skip rule."""

    name: str
    divergence: str  # "kl" or "js"
    call: Call
    skip: Callable[[str, int, int, Config], str | None]  # (pair, d, n, config) -> reason to skip


def _interval(result: Any) -> Any:
    interval = getattr(result, "interval", None)
    return None if interval is None else (float(interval[0]), float(interval[1]))


def _knn_skip(key: str, d: int, n: int, config: Config) -> str | None:
    if d >= KNN_HIGH_D and n > KNN_HIGH_D_MAX_N:
        return f"kNN in d >= {KNN_HIGH_D} beyond n = {KNN_HIGH_D_MAX_N:.0e} (k-d tree ~ n^2)"
    return None


def _quadratic_skip(key: str, d: int, n: int, config: Config) -> str | None:
    if d >= KNN_HIGH_D and n > KNN_HIGH_D_MAX_N:
        return f"quadratic logit in d >= {KNN_HIGH_D} beyond n = {KNN_HIGH_D_MAX_N:.0e}"
    return None


def _mlp_skip(key: str, d: int, n: int, config: Config) -> str | None:
    if key not in MLP_PAIRS:
        return "MLP on the multimodal pairs only (L-BFGS, seconds per call)"
    top = config.accuracy_nd_mlp_max_n
    return f"MLP beyond n = {top:.0e} (L-BFGS, ~20 s per call at n = 4e3)" if n > top else None


def _hist_skip(key: str, d: int, n: int, config: Config) -> str | None:
    return f"histogram in d > {HIST_MAX_D} (10^d cells)" if d > HIST_MAX_D else None


def _kernel_skip(key: str, d: int, n: int, config: Config) -> str | None:
    top = config.accuracy_nd_kernel_max_n
    return f"kernel sums beyond n = {top:.0e} (n^2 cost)" if n > top else None


def _one_d_only(key: str, d: int, n: int, config: Config) -> str | None:
    return "1-D only" if d != 1 else None


def knn_interval(d: int, n: int) -> bool:
    """Whether the kNN estimators compute their jackknife interval in this cell."""
    return d < KNN_HIGH_D or n <= KNN_HIGH_D_CI_MAX_N


def _kl_knn(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, Any]:
    ci = LEVEL if knn_interval(x.shape[1], len(x)) else None
    r = dv.kl_knn(x, y, k=4, ci=ci, seed=seed)
    return float(r), _interval(r)


def _js_knn(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, Any]:
    ci = LEVEL if knn_interval(x.shape[1], len(x)) else None
    r = dv.js_knn(x, y, ci=ci, seed=seed)
    return float(r), _interval(r)


def _ensemble(function: Callable[..., Any]) -> Call:
    """``function(x, y, bias_correction="ensemble")``: orders 5, 10, 20, 40 weighted."""

    def call(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, Any]:
        ci = LEVEL if knn_interval(x.shape[1], len(x)) else None
        r = function(x, y, bias_correction="ensemble", ci=ci, seed=seed)
        return float(r), _interval(r)

    return call


def _ensemble_skip(key: str, d: int, n: int, config: Config) -> str | None:
    if d < ENSEMBLE_MIN_D:
        return f"the ensemble is for d >= {ENSEMBLE_MIN_D} (its docstring)"
    return _knn_skip(key, d, n, config)


def _js_discriminator(classifier: str) -> Call:
    def call(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, Any]:
        r = dv.js_discriminator(x, y, classifier=classifier, folds=5, ci=LEVEL, seed=seed)
        return float(r), _interval(r)

    return call


def _kl_hist(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, Any]:
    r = dv.kl_from_samples(x[:, 0], y[:, 0]) if x.shape[1] == 1 else dv.kl_from_samples_nd(x, y)
    return float(r), None


def _js_hist(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, Any]:
    r = dv.js_from_samples(x[:, 0], y[:, 0]) if x.shape[1] == 1 else dv.js_from_samples_nd(x, y)
    return float(r), None


def _scipy_kde_kl(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, Any]:
    from scipy.stats import gaussian_kde

    kp, kq = gaussian_kde(x.T), gaussian_kde(y.T)
    return float(np.mean(kp.logpdf(x.T) - kq.logpdf(x.T))), None


def _scipy_kde_js(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, Any]:
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
        Estimator("ours kl_knn k=4", "kl", _kl_knn, _knn_skip),
        Estimator("ours kl hist", "kl", _kl_hist, _hist_skip),
        Estimator("ours js hist", "js", _js_hist, _hist_skip),
        Estimator("ours js_knn k=10", "js", _js_knn, _knn_skip),
        Estimator("ours kl_knn ensemble", "kl", _ensemble(dv.kl_knn), _ensemble_skip),
        Estimator("ours js_knn ensemble", "js", _ensemble(dv.js_knn), _ensemble_skip),
        Estimator(
            "ours js_discriminator quad", "js", _js_discriminator("quadratic"), _quadratic_skip
        ),
        Estimator("ours js_discriminator mlp", "js", _js_discriminator("mlp"), _mlp_skip),
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
                lambda x, y, seed: (float(divergence.knn_kl_divergence(x, y)), None),
                _knn_skip,
            )
        )
        found.append(
            Estimator(
                "divergence KDE",
                "js",
                lambda x, y, seed: (
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
                lambda x, y, seed: (
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
                lambda x, y, seed: (
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


ALL_CELLS = [(key, d) for key, dims in PAIR_DIMS.items() for d in dims]


def _cells(config: Config) -> list[tuple[int, str, int]]:
    """(index, pair, d) of the cells this configuration runs.

    The index, which seeds the samples, is the cell's place among all cells: a run of some
    dimensions draws the same samples as the full run.
    """
    return [
        (index, key, d) for index, (key, d) in enumerate(ALL_CELLS) if d in config.accuracy_nd_dims
    ]


def replicate_seed(index: int, d: int, n: int, r: int) -> int:
    """The seed given to the randomised estimators (folds, jackknife groups) in a replicate."""
    return int(np.random.SeedSequence([SEED, index, d, n, r, 1]).generate_state(1)[0])


def is_ours(name: str) -> bool:
    """Whether an estimator (by its name in the tables) is this library's."""
    return name.startswith("ours")


HEADER = (
    f"{'pair':<22} {'d':>2} {'n':>6} {'div':<3} {'estimator':<26} {'truth':>8} {'bias':>9} "
    f"{'sd':>8} {'rmse':>8} {'cover':>5} {'nonfin':>6} {'ms/call':>8}"
)


@case("accuracy-nd")
def accuracy_nd(config: Config) -> Result:
    """Multivariate estimators (ours, divergence, infomeasure, scipy KDE) against exact truths."""
    out = Result("accuracy-nd")
    found, missing = estimators()
    out.notes.extend(missing)
    truths: dict[str, dict[str, Any]] = {}
    for _, key, d in _cells(config):
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
    out.notes.append(
        f"intervals at level {LEVEL}: kl_knn and js_knn (jackknife, ten more estimates each; "
        f"not computed in d >= {KNN_HIGH_D} beyond n = {KNN_HIGH_D_CI_MAX_N:.0e}) and "
        "js_discriminator (for the bound of its fitted D, so below nominal for JSD); "
        "ms/call includes the interval"
    )
    out.notes.append(HEADER)
    series: dict[str, Any] = {"kl": {}, "js": {}, "truths": truths}
    skipped: dict[str, set[str]] = {}
    best: list[str] = []
    for index, key, d in _cells(config):
        p = truths_nd.pair(key, d)
        t = truths_nd.truth(key, d, config.accuracy_nd_truth_mc)
        panel = f"{p.label}, d={d}"
        for n in config.accuracy_nd_sizes:
            active = []
            for e in found:
                reason = e.skip(key, d, n, config)
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
                seed = replicate_seed(index, d, n, r)
                for e in active:
                    truth = t.kl if e.divergence == "kl" else t.js
                    start = time.perf_counter()
                    value, interval = e.call(x, y, seed)
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
                        f"{p.label:<22} {d:>2} {n:>6.0e} {div.upper():<3} {e.name:<26} "
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
                    ours = [item for item in ranked if is_ours(item[1])]
                    peers = [item for item in ranked if not is_ours(item[1])]
                    against = (
                        f"; best ours / best peer = {ours[0][0] / peers[0][0]:.2f}"
                        if ours and peers
                        else ""
                    )
                    best.append(
                        f"best {div.upper()} {p.label} d={d} n={n:.0e}: {ranked[0][1]} "
                        f"(rmse {ranked[0][0]:.1e}{runner}){against}"
                    )
    out.notes.extend(best)
    for what, where in skipped.items():
        out.notes.append(f"skipped {what}: {len(where)} cell(s)")
    out.series = series
    return out


MEDIUM = dataclasses.replace(
    FULL, accuracy_nd_sizes=(100, 1_000, 10_000), accuracy_nd_replicates=(10, 5, 3)
)


def merge(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """One ``series`` from the accuracy-nd series of several runs (disjoint cells).

    Panels are put in the order of the full run, whichever run they came from.
    """
    merged: dict[str, Any] = {"kl": {}, "js": {}, "truths": {}}
    for entry in entries:
        for div in ("kl", "js", "truths"):
            merged[div].update(entry[div])
    order = {f"{truths_nd.pair(key, d).label}, d={d}": i for i, (key, d) in enumerate(ALL_CELLS)}
    for div in ("kl", "js"):
        merged[div] = dict(sorted(merged[div].items(), key=lambda item: order[item[0]]))
    return merged


def _row_cells(curves: dict[str, Any], names: list[str], n: int, field: str) -> list[Any]:
    """Per estimator: (value, non-finite share) at n, or None where it did not run."""
    cells: list[Any] = []
    for name in names:
        curve = curves.get(name)
        if curve is None or n not in curve["n"]:
            cells.append(None)
            continue
        i = curve["n"].index(n)
        cells.append((curve[field][i], curve["nonfinite"][i]))
    return cells


def markdown(series: dict[str, Any]) -> str:
    """The RMSE and coverage tables of a run's ``series`` as Markdown.

    RMSE: a row per (pair, d, n), a column per estimator, the best estimator without inf/NaN,
    and the ratio of the best of ours to the best peer (below 1: ours is better; ``inf 30%``:
    share of non-finite estimates; ``skip``: not run in that cell). Coverage: the share of
    replicates whose 95% interval held the truth, for the estimators that return one (``-``:
    no interval in that cell).
    """
    blocks = []
    for div in ("kl", "js"):
        panels = series[div]
        title = "KL(P‖Q)" if div == "kl" else "JSD"
        names = list(dict.fromkeys(name for curves in panels.values() for name in curves))
        names.sort(key=lambda name: not is_ours(name))  # ours first, each in run order
        lines = [
            f"| {title} | n | " + " | ".join(names) + " | best | ours / peer |",
            "|---|---|" + "---|" * (len(names) + 2),
        ]
        for panel, curves in panels.items():
            sizes = sorted({n for curve in curves.values() for n in curve["n"]})
            for n in sizes:
                cells, ranked = [], []
                for name, cell in zip(names, _row_cells(curves, names, n, "rmse"), strict=True):
                    if cell is None:
                        cells.append("skip")
                    elif cell[1] > 0:
                        cells.append(f"inf {cell[1]:.0%}")
                    else:
                        cells.append(f"{cell[0]:.1e}")
                        ranked.append((cell[0], name))
                winner = min(ranked)[1] if ranked else "-"
                ours = [r for r, name in ranked if is_ours(name)]
                peers = [r for r, name in ranked if not is_ours(name)]
                ratio = f"{min(ours) / min(peers):.2f}" if ours and peers else "-"
                lines.append(
                    f"| {panel} | {n:.0e} | " + " | ".join(cells) + f" | {winner} | {ratio} |"
                )
        blocks.append("\n".join(lines))
        with_ci = [
            name
            for name in names
            if any(
                c == c
                for curves in panels.values()
                for c in curves.get(name, {}).get("coverage", [])
            )
        ]
        if not with_ci:
            continue
        lines = [
            f"| {title}: coverage | n | " + " | ".join(with_ci) + " |",
            "|---|---|" + "---|" * len(with_ci),
        ]
        for panel, curves in panels.items():
            sizes = sorted({n for curve in curves.values() for n in curve["n"]})
            for n in sizes:
                row = []
                for cell in _row_cells(curves, with_ci, n, "coverage"):
                    row.append("-" if cell is None or cell[0] != cell[0] else f"{cell[0]:.2f}")
                lines.append(f"| {panel} | {n:.0e} | " + " | ".join(row) + " |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def main(argv: list[str] | None = None) -> int:
    """``run``: the medium configuration on some dimensions, to JSON; ``tables``: Markdown.

    ``python -m benches.accuracy_nd run --dims 1,2 --json a.json`` runs the n = 1e2, 1e3, 1e4
    configuration (10, 5, 3 replicates) of the docs page on those dimensions, with the samples
    of the full run; ``python -m benches.accuracy_nd tables a.json b.json [--figures DIR]``
    merges runs (or reads one ``benches.run --json`` file) and prints the tables.
    """
    import argparse
    import json
    from pathlib import Path

    from .core import machine

    parser = argparse.ArgumentParser(prog="python -m benches.accuracy_nd", description=main.__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="the medium configuration on some dimensions")
    run.add_argument("--dims", required=True, help="comma-separated dimensions, e.g. 1,2")
    run.add_argument("--json", type=Path, required=True)
    tables = commands.add_parser("tables", help="Markdown tables of one or more runs")
    tables.add_argument("files", type=Path, nargs="+")
    tables.add_argument("--figures", type=Path, help="also draw the figures into this directory")
    args = parser.parse_args(argv)
    if args.command == "run":
        dims = tuple(int(d) for d in args.dims.split(","))
        info = machine()
        start = time.perf_counter()
        result = accuracy_nd(dataclasses.replace(MEDIUM, accuracy_nd_dims=dims))
        seconds = time.perf_counter() - start
        for note in result.notes:
            print(note)
        info["wall_seconds"] = seconds
        info["load_average_end"] = list(os.getloadavg())
        print(f"wall time {seconds:.0f} s, load average at the end {os.getloadavg()}")
        args.json.write_text(
            json.dumps({"machine": info, "quick": False, "results": [result.as_json()]}, indent=1)
        )
        return 0
    entries = []
    for path in args.files:
        for entry in json.loads(path.read_text(encoding="utf-8"))["results"]:
            if entry["name"] == "accuracy-nd":
                entries.append(entry["series"])
    series = merge(entries)
    print(markdown(series))
    if args.figures:
        from .figures import draw

        for written in draw([Result("accuracy-nd", series=series)], args.figures):
            print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())

"""Figures of the claims on the sample estimators' own paths (proofs/test_estimator_paths.py).

``estimator_paths_batch.png`` (estimate.batch-rows): every pair of a batch next to its own
route and the one-range falsifier.

``estimator_paths_binned.png`` (estimate.bin-rules, estimate.plugin-js, estimate.plugin-kl)
and ``estimator_paths_knn.png`` (estimate.knn-kl-unequal-sizes, estimate.knn-js,
estimate.knn-standard-error, estimate.discriminator-fits) and ``knn_result_fields.png``
(estimate.knn-result-fields): the library's answer next to the
check's own route, with one falsifier each. Cheap to draw (a few seconds).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.ticker import MaxNLocator
from scipy import stats
from scipy.spatial import cKDTree
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr

import divergences as dv
from divergences.plotting import in_style
from divergences.reference import js_normal, kl_multivariate_normal

from ._drawing import finish, pyplot

#: As in proofs/test_estimator_paths.py (not imported: a test module registers its claims).
NUMPY_RULES = ("auto", "fd", "scott", "sturges", "sqrt", "rice")
COV_2D = np.array([[1.0, 0.6], [0.6, 1.0]])


def auto_as_sturges_bins(both: np.ndarray, rule: str) -> int:
    """The falsifier of estimate.bin-rules: numpy's bins with "auto" read as "sturges"."""
    return np.histogram_bin_edges(both, "sturges" if rule == "auto" else rule).size - 1


def pooled_mixture_js(x: np.ndarray, y: np.ndarray, bins: int) -> float:
    """The falsifier of estimate.plugin-js: the mixture from the pooled counts."""
    edges = np.histogram_bin_edges(np.concatenate([x, y]), bins)
    cx, cy = np.histogram(x, edges)[0], np.histogram(y, edges)[0]
    p, q, m = cx / cx.sum(), cy / cy.sum(), (cx + cy) / (cx.sum() + cy.sum())
    return float(0.5 * np.sum(rel_entr(p, m)) + 0.5 * np.sum(rel_entr(q, m)))


def flipped_knn_kl(x: np.ndarray, y: np.ndarray, k: int) -> float:
    """The falsifier of estimate.knn-kl-unequal-sizes: log((n - 1)/m) for log(m/(n - 1))."""
    rho = cKDTree(x).query(x, k=[k + 1])[0][:, 0]
    nu = cKDTree(y).query(x, k=[k])[0][:, 0]
    return x.shape[1] * float(np.mean(np.log(nu / rho))) + math.log((len(x) - 1) / len(y))


@in_style
def estimator_paths_binned(path: Path) -> None:
    """Bins per rule (library against numpy), and the plug-in JSD against scipy's route."""
    plt = pyplot()
    rng = np.random.default_rng(1818)
    x, y = rng.normal(0.0, 1.0, 300), rng.normal(0.5, 1.2, 5000)
    both = np.concatenate([x, y])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    at = np.arange(len(NUMPY_RULES))
    numpy_bins = [np.histogram_bin_edges(both, r).size - 1 for r in NUMPY_RULES]
    library_bins = [dv.js_from_samples(x, y, bins=r).histogram.edges.size - 1 for r in NUMPY_RULES]
    wrong = [auto_as_sturges_bins(both, r) for r in NUMPY_RULES]
    left.bar(at, numpy_bins, color="lightgrey", label="np.histogram_bin_edges (pooled)")
    left.plot(at, library_bins, "o", color="tab:blue", label="library")
    left.plot(at, wrong, "x", color="tab:red", label="falsifier: auto as sturges")
    left.set_xticks(at, NUMPY_RULES)
    left.set(ylabel="bins", title="estimate.bin-rules: n_x = 300, n_y = 5000")
    ks = np.arange(4, 81, 4)
    library = [float(dv.js_from_samples(x, y, bins=int(k)).value) for k in ks]
    route = []
    for k in ks:
        edges = np.histogram_bin_edges(both, int(k))
        cx, cy = np.histogram(x, edges)[0], np.histogram(y, edges)[0]
        route.append(float(jensenshannon(cx / cx.sum(), cy / cy.sum()) ** 2))
    falsified = [pooled_mixture_js(x, y, int(k)) for k in ks]
    right.plot(ks, library, color="tab:blue", label="js_from_samples (fused path)")
    right.plot(ks, route, "o", color="black", ms=3, label="scipy jensenshannon² of np.histogram")
    right.plot(ks, falsified, "--", color="tab:red", label="falsifier: pooled-count mixture")
    right.axhline(float(js_normal(0.0, 1.0, 0.5, 1.2)), color="grey", ls=":", label="JSD (laws)")
    right.set(xlabel="bins K", ylabel="nats", title="estimate.plugin-js")
    finish(fig, path)


def _means(
    draw: Callable[[np.random.Generator], float], seeds: int, rng: np.random.Generator
) -> np.ndarray:
    return np.array([draw(rng) for _ in range(seeds)])


@in_style
def estimator_paths_knn(path: Path) -> None:
    """KNN KL with n != m, kNN JSD by case, and the quadratic discriminator against D*."""
    plt = pyplot()
    rng = np.random.default_rng(2009)
    fig, (a, b, c) = plt.subplots(1, 3, figsize=(14, 4))

    def pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        return (
            rng.multivariate_normal([0.0, 0.0], COV_2D, 200),
            rng.normal(size=(2000, 2)) + np.array([0.5, 0.0]),
        )

    samples = [pair(rng) for _ in range(60)]
    truth = float(kl_multivariate_normal([0.0, 0.0], COV_2D, [0.5, 0.0], np.eye(2)))
    library = [dv.kl_knn(x, y, k=4, seed=0).unclipped for x, y in samples]
    flipped = [flipped_knn_kl(x, y, 4) for x, y in samples]
    a.hist(library, bins=15, color="tab:blue", alpha=0.7, label="kl_knn, 60 seeds")
    a.hist(flipped, bins=15, color="tab:red", alpha=0.5, label="falsifier: log((n-1)/m)")
    a.axvline(truth, color="black", label="closed form")
    a.set(
        xlabel="estimate (nats)",
        ylabel="seeds (count)",
        title="estimate.knn-kl-unequal-sizes: n = 200, m = 2000, 2-D",
    )
    a.yaxis.set_major_locator(MaxNLocator(integer=True))

    js_truth = float(js_normal(0.0, 1.0, 1.0, 2.0))
    cases = [("300+300", 300, 300), ("150+1200", 150, 1200), ("1200+150", 1200, 150)]
    for i, (_label, n, m) in enumerate(cases):
        values = _means(
            lambda rng, n=n, m=m: (
                dv.js_knn(rng.normal(0.0, 1.0, n), rng.normal(1.0, 2.0, m), seed=0).unclipped
            ),
            20,
            rng,
        )
        se = values.std(ddof=1) / math.sqrt(values.size)
        b.errorbar(i, values.mean(), yerr=4.42 * se, fmt="o", color="tab:blue", capsize=4)
    b.axhline(js_truth, color="black", label="js_normal")
    b.set_xticks(range(len(cases)), [c[0] for c in cases])
    b.set(ylabel="mean of 20 seeds ± Z se", title="estimate.knn-js")

    x, y = rng.normal(0.0, 1.0, 500), rng.normal(0.0, 2.0, 1500)
    est = dv.js_discriminator(x, y, classifier="quadratic", folds=2, seed=0, ci=None)
    z = np.linspace(-5.0, 5.0, 300)
    p, q = stats.norm.pdf(z, 0.0, 1.0), stats.norm.pdf(z, 0.0, 2.0)
    c.plot(z, p / (p + q), color="black", label="D* = p/(p+q)")
    c.plot(z, est.discriminator(z), "--", color="tab:blue", label="fitted (quadratic, 2 folds)")
    c.set(xlabel="z", ylabel="D(z)", title="estimate.discriminator-fits: Q = N(0, 2²)")
    finish(fig, path)


#: As FIELD_CASES in proofs/test_estimator_paths.py: (estimator, n_x, n_y, d, options, order).
FIELD_CASES = (
    ("js_knn", 50, 120, 1, {}, 10),
    ("js_knn", 120, 50, 2, {"k": 3}, 3),
    ("js_knn", 8, 30, 1, {}, 7),
    ("js_knn", 60, 60, 3, {"bias_correction": "ensemble"}, 5),
    ("kl_knn", 80, 200, 2, {"k": 2}, 2),
    ("kl_knn", 200, 80, 1, {}, 1),
)


@in_style
def knn_result_fields(path: Path) -> None:
    """n_x, n_y, k and dimension of kNN results against the inputs, with the falsifiers' values."""
    plt = pyplot()
    rng = np.random.default_rng(2026)
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.8))
    labels = []
    for i, (name, n, m, d, options, order) in enumerate(FIELD_CASES):
        shape_x, shape_y = ((n,), (m,)) if d == 1 else ((n, d), (m, d))
        x, y = rng.normal(0.0, 1.0, shape_x), rng.normal(0.5, 1.0, shape_y)
        r = (dv.js_knn if name == "js_knn" else dv.kl_knn)(x, y, seed=0, **options)
        case = f"{'JS' if name == 'js_knn' else 'KL'} {n}+{m}, d={d}"
        labels.append(case + (", ens." if options.get("bias_correction") else ""))
        wrong = {
            "n_x": min(n, m),  # the (smaller, larger) pair's sizes
            "n_y": max(n, m),
            "k": options.get("k", np.nan),  # the order as given: None (not drawn) for the default
            "dimension": x.shape[-1],  # the last axis of the input: a 1-D sample's length
        }
        for ax, field, passed in zip(
            axes, ("n_x", "n_y", "k", "dimension"), (n, m, order, d), strict=True
        ):
            first = i == 0 and field == "n_x"
            ax.plot(i, passed, "kx", ms=9, label="passed / documented" if first else None)
            ax.plot(
                i,
                getattr(r, field),
                "o",
                color="tab:blue",
                mfc="none",
                ms=11,
                label="the result's field" if first else None,
            )
            ax.plot(
                i,
                wrong[field],
                "s",
                color="tab:red",
                ms=4,
                label="a falsifier's value" if first else None,
            )
    for ax, field in zip(axes, ("n_x", "n_y", "k", "dimension"), strict=True):
        ax.set_xticks(range(len(FIELD_CASES)), labels, fontsize=7, rotation=40, ha="right")
        ax.set(
            xlabel="case (estimator, n_x + n_y, d)",
            ylabel=f"{field} (count)",
            title=f"estimate.knn-result-fields: {field}",
        )
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if field == "dimension":
            ax.set_yscale("log")
    finish(fig, path, ncols=3)


def _pair_jsd(a: np.ndarray, b: np.ndarray, edges: np.ndarray) -> float:
    cx, cy = np.histogram(a, edges)[0], np.histogram(b, edges)[0]
    return float(jensenshannon(cx / cx.sum(), cy / cy.sum()) ** 2)


@in_style
def estimator_paths_batch(path: Path) -> None:
    """estimate.batch-rows: each pair of a batch against its own numpy + scipy route."""
    plt = pyplot()
    rng = np.random.default_rng(2018)  # the claim's first batch: 8 pairs, rows of 300 and 200
    loc = np.arange(8.0)[:, None]
    scale = 1.0 + 0.5 * np.arange(8.0)[:, None]
    x = loc + scale * rng.normal(0.0, 1.0, (8, 300))
    y = loc + 0.3 + scale * rng.standard_t(3.0, (8, 200))
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    pairs = np.arange(8)
    for ax, bins in zip(axes, (16, "auto"), strict=True):
        own = [
            np.histogram_bin_edges(np.concatenate([a, b]), bins).size - 1
            for a, b in zip(x, y, strict=True)
        ]
        count = bins if isinstance(bins, int) else max(own)
        library = dv.js_from_samples(x, y, bins=bins, axis=1).value
        route = [
            _pair_jsd(a, b, np.histogram_bin_edges(np.concatenate([a, b]), count))
            for a, b in zip(x, y, strict=True)
        ]
        whole = np.histogram_bin_edges(np.concatenate([x.ravel(), y.ravel()]), count)
        falsified = [_pair_jsd(a, b, whole) for a, b in zip(x, y, strict=True)]
        labels = (
            (
                "numpy + scipy, pair alone",
                "js_from_samples(x, y, axis=1)",
                "falsifier: one range for the batch",
            )
            if ax is axes[0]  # one legend for both panels
            else (None, None, None)
        )
        ax.plot(pairs, route, "s", mfc="none", ms=9, color="black", label=labels[0])
        ax.plot(pairs, library, "o", color="tab:blue", label=labels[1])
        ax.plot(pairs, falsified, "x", color="tab:red", label=labels[2])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(
            xlabel="pair (row of x and y)",
            ylabel="JSD (nats)",
            title=f"bins={bins!r}: {count} bins",
        )
    finish(fig, path, ncols=3)


FIGURES: dict[str, Callable[[Path], None]] = {
    "estimator_paths_batch.png": estimator_paths_batch,
    "estimator_paths_binned.png": estimator_paths_binned,
    "estimator_paths_knn.png": estimator_paths_knn,
    "knn_result_fields.png": knn_result_fields,
}

"""Figures of the claims in proofs/test_estimator_paths_2.py.

``estimator_paths_batch_kl.png`` (estimate.batch-rows-kl), ``knn_ties_dequantize.png``
(estimate.knn-ties-dequantize), ``knn_kl_ensemble.png`` (estimate.knn-kl-ensemble) and
``result_fields.png`` (estimate.result-fields): on the check's own seeded data, the library's
answer (dots) next to the check's own route (squares) and falsifiers (crosses) rejected by it.
Cheap to draw (one to three seconds each).

The small helpers below are copies of the test module's (a test module registers its claims:
not imported here).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator
from scipy import stats
from scipy.spatial import cKDTree

import divergences as dv
from divergences.plotting import in_style

from ._drawing import falsifier_cross as _cross
from ._drawing import finish, pyplot
from ._drawing import library_dot as _dot
from ._drawing import route_square as _square
from .tolerances import Z_SCORE

# --------------------------------------------------------------------------------------------
# estimate.batch-rows-kl
# --------------------------------------------------------------------------------------------


def _first_batch(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The first batch of batch_cases (proofs/test_estimator_paths.py): 8 pairs, 300 + 200."""
    loc = np.arange(8.0)[:, None]
    scale = 1.0 + 0.5 * np.arange(8.0)[:, None]
    x = loc + scale * rng.normal(0.0, 1.0, (8, 300))
    y = loc + 0.3 + scale * rng.standard_t(3.0, (8, 200))
    return x, y


def _batch_count(x: np.ndarray, y: np.ndarray, bins: Any, range_: Any) -> int:
    """As kl_batch_count: the integer, or the largest count numpy's rule gives any pair."""
    if isinstance(bins, int):
        return bins
    return max(
        np.histogram_bin_edges(np.concatenate([a, b]), bins, range_).size - 1
        for a, b in zip(x, y, strict=True)
    )


def _pair_counts(
    a: np.ndarray, b: np.ndarray, count: int, range_: Any
) -> tuple[np.ndarray, np.ndarray]:
    """As pair_counts: np.histogram's counts of one pair on its own edges (or the range)."""
    edges = np.histogram_bin_edges(np.concatenate([a, b]), count, range_)
    return np.histogram(a, edges)[0], np.histogram(b, edges)[0]


@in_style
def estimator_paths_batch_kl(path: Path) -> None:
    """estimate.batch-rows-kl: each pair's KL, off-support mass and dropped values, by route."""
    plt = pyplot()
    rng = np.random.default_rng(2005)  # the check's first batch: 8 pairs, rows of 300 and 200
    x, y = _first_batch(rng)
    pairs = np.arange(len(x))
    fig, (a, b, c) = plt.subplots(1, 3, figsize=(15, 4.2))

    # the KL: "fd" with pseudocount 0.5 (finite for every pair)
    count = _batch_count(x, y, "fd", None)
    counts = [_pair_counts(p, q, count, None) for p, q in zip(x, y, strict=True)]
    both = np.concatenate([x.ravel(), y.ravel()])
    span = (float(both.min()), float(both.max()))
    _square(
        a,
        pairs,
        [stats.entropy(cx + 0.5, cy + 0.5) for cx, cy in counts],
        "own route: the pair alone, np.histogram + scipy",
    )
    _dot(
        a,
        pairs,
        dv.kl_from_samples(x, y, bins="fd", pseudocount=0.5, axis=1).value,
        "library (axis=1)",
    )
    _cross(
        a,
        pairs,
        [
            stats.entropy(*(h + 0.5 for h in _pair_counts(p, q, count, span)))
            for p, q in zip(x, y, strict=True)
        ],
        "falsifier: one range for the whole batch",
    )
    _cross(
        a,
        pairs,
        [stats.entropy(cy + 0.5, cx + 0.5) for cx, cy in counts],
        "falsifier: arguments swapped (KL(Q||P))",
        color="tab:orange",
    )
    a.set(
        xlabel="pair (row of x and y)",
        ylabel="KL (nats)",
        title=f'KL per pair: bins="fd" ({count} bins), pseudocount 0.5',
    )

    # the off-support mass: the default bins ("wkv", read as "auto"), no pseudocount
    count = _batch_count(x, y, "auto", None)
    counts = [_pair_counts(p, q, count, None) for p, q in zip(x, y, strict=True)]
    r = dv.kl_from_samples(x, y, axis=1)
    _square(b, pairs, [cx[cy == 0].sum() / cx.sum() for cx, cy in counts], None)
    _dot(b, pairs, r.off_support_mass, None)
    _cross(
        b,
        pairs,
        [cy[cx == 0].sum() / cy.sum() for cx, cy in counts],
        "falsifier: y's values in bins where x has none",
        color="tab:purple",
    )
    b.set(
        xlabel="pair (row of x and y)",
        ylabel="off_support_mass (fraction of x's values)",
        title=f"x's mass where y has none: default bins ({count} bins)",
    )

    # the values dropped outside a range: 12 bins in (-1, 6)
    range_ = (-1.0, 6.0)
    counts = [_pair_counts(p, q, 12, range_) for p, q in zip(x, y, strict=True)]
    h = dv.kl_from_samples(x, y, bins=12, range=range_, axis=1).histogram
    _square(c, pairs, [p.size - cx.sum() for p, (cx, _) in zip(x, counts, strict=True)], None)
    _square(c, pairs, [q.size - cy.sum() for q, (_, cy) in zip(y, counts, strict=True)], None)
    _dot(c, pairs, h.dropped_x, "library: dropped_x")
    _dot(c, pairs, h.dropped_y, "library: dropped_y", color="tab:green")
    _cross(c, pairs, np.zeros(len(pairs)), "falsifier: clipped into the end bins (0 dropped)")
    c.yaxis.set_major_locator(MaxNLocator(integer=True))
    c.set(
        xlabel="pair (row of x and y)",
        ylabel="values outside the range (count)",
        title=f"dropped_x, dropped_y: 12 bins in {range_}",
    )
    for ax in (a, b, c):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(
        "estimate.batch-rows-kl: kl_from_samples(x, y, axis=1) against numpy + scipy, pair by pair"
    )
    finish(fig, path, ncols=4)


# --------------------------------------------------------------------------------------------
# estimate.knn-ties-dequantize
# --------------------------------------------------------------------------------------------

#: As in proofs/test_estimator_paths_2.py: the 1-D grid (step 1/4 at 2^45), P on even indices
#: with a hole at 8, Q on 0-7, 10, 11; the 2-D steps; replicates, their size, the batch's pairs;
#: the measured finite-sample bias allowed on top of Z standard errors.
TIES_STEP = 0.25
TIES_ORIGIN = 2.0**45
TIES_P = ((0, 2, 4, 6, 10), (0.1, 0.3, 0.3, 0.2, 0.1))
TIES_Q = ((0, 1, 2, 3, 4, 5, 6, 7, 10, 11), (0.05, 0.1, 0.2, 0.1, 0.15, 0.1, 0.1, 0.1, 0.05, 0.05))
TIES_2D_STEPS = (1.0, 0.5)
TIES_SIZE = 1000
TIES_REPLICATES = 100
TIES_BATCH_PAIRS = 30
TIES_BIAS = {"js": 0.025, "kl": 0.075}


def _pmf_on(indices: tuple[int, ...], weights: tuple[float, ...], size: int) -> np.ndarray:
    out = np.zeros(size)
    out[list(indices)] = weights
    return out


def _discrete_js_kl(p: np.ndarray, q: np.ndarray) -> tuple[float, float]:
    """As discrete_js_kl: JSD and KL(P || Q) of two pmfs summed by hand (0 log 0 = 0)."""

    def kl(a: np.ndarray, b: np.ndarray) -> float:
        s = a > 0
        return float(np.sum(a[s] * np.log(a[s] / b[s])))

    m = (p + q) / 2
    return 0.5 * kl(p, m) + 0.5 * kl(q, m), kl(p, q)


def _ties_cases() -> list[tuple[str, Callable[[np.random.Generator], Any], float, float]]:
    """As ties_cases: (label, draw(rng) -> (x, y), JSD, KL) of the two discrete pairs."""

    def draw_1d(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        x = TIES_ORIGIN + TIES_STEP * rng.choice(TIES_P[0], TIES_SIZE, p=TIES_P[1])
        y = TIES_ORIGIN + TIES_STEP * rng.choice(TIES_Q[0], TIES_SIZE, p=TIES_Q[1])
        return x, y

    def draw_2d(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        def sample(lam: float, prob: float) -> np.ndarray:
            return np.column_stack(
                [rng.poisson(lam, TIES_SIZE), TIES_2D_STEPS[1] * rng.binomial(4, prob, TIES_SIZE)]
            ).astype(float)

        return sample(3.0, 0.3), sample(4.0, 0.6)

    k = np.arange(40)
    p2 = np.outer(stats.poisson.pmf(k, 3.0), stats.binom.pmf(np.arange(5), 4, 0.3)).ravel()
    q2 = np.outer(stats.poisson.pmf(k, 4.0), stats.binom.pmf(np.arange(5), 4, 0.6)).ravel()
    p1, q1 = _pmf_on(*TIES_P, 12), _pmf_on(*TIES_Q, 12)
    return [
        ("1-D: step 1/4 at 2^45, holes in the grid", draw_1d, *_discrete_js_kl(p1, q1)),
        ("2-D: Poisson x Binomial, steps 1 and 1/2", draw_2d, *_discrete_js_kl(p2, q2)),
    ]


def _grid_step(values: np.ndarray) -> float:
    return float(np.diff(np.unique(values)).min())


def _own_dequantized(name: str, x: np.ndarray, y: np.ndarray, seed: int, width: float) -> float:
    """As own_dequantized: noise ``width`` pooled grid steps wide, then the kNN estimate.

    The origin is taken out before the uniform noise is added to both samples; the values are
    then continuous (ties="raise").
    """
    xs, ys = x.reshape(len(x), -1), y.reshape(len(y), -1)
    steps = np.array([_grid_step(np.concatenate([xs[:, j], ys[:, j]])) for j in range(xs.shape[1])])
    shift = np.minimum(xs.min(axis=0), ys.min(axis=0))
    rng = np.random.default_rng([seed, 77])
    xs = xs - shift + (rng.random(xs.shape) - 0.5) * width * steps
    ys = ys - shift + (rng.random(ys.shape) - 0.5) * width * steps
    return float((dv.kl_knn if name == "kl" else dv.js_knn)(xs, ys, ties="raise").unclipped)


def _mean_and_se(values: np.ndarray) -> tuple[float, float]:
    return float(values.mean()), float(values.std(ddof=1)) / math.sqrt(values.size)


@in_style
def knn_ties_dequantize(path: Path) -> None:
    """estimate.knn-ties-dequantize: kNN estimates on a grid against the discrete laws' values."""
    plt = pyplot()
    rng = np.random.default_rng(2016)  # the check's replicates, drawn in its order
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4), gridspec_kw={"width_ratios": [0.8, 1.0, 1.0]})
    grid = np.arange(12)
    p1, q1 = _pmf_on(*TIES_P, 12), _pmf_on(*TIES_Q, 12)
    axes[0].bar(grid - 0.2, p1, width=0.4, color="tab:cyan", label="P (x's law)")
    axes[0].bar(grid + 0.2, q1, width=0.4, color="tab:olive", label="Q (y's law)")
    axes[0].xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set(
        xlabel="grid index i (value 2^45 + i/4)",
        ylabel="probability",
        title="The 1-D pair: every value tied, 1000 a side",
    )
    first = True
    for ax, (label, draw, js, kl) in zip(axes[1:], _ties_cases(), strict=True):
        # the check's 100 replicates drawn (the 2-D pairs follow them in the stream); the first
        # 30 estimated (the check's count for js_knn_batch), to draw in a second or two
        pairs = [draw(rng) for _ in range(TIES_REPLICATES)][:TIES_BATCH_PAIRS]
        lib_js = [dv.js_knn(x, y, seed=i) for i, (x, y) in enumerate(pairs)]
        lib_kl = [dv.kl_knn(x, y, seed=i) for i, (x, y) in enumerate(pairs)]
        xb = np.stack([x.reshape(len(x), -1) for x, _ in pairs])
        yb = np.stack([y.reshape(len(y), -1) for _, y in pairs])
        library = {
            "js_knn": np.array([float(r.unclipped) for r in lib_js]),
            "js_knn_batch": np.asarray(dv.js_knn_batch(xb, yb, seed=0, clip=False), dtype=float),
            "kl_knn": np.array([float(r.unclipped) for r in lib_kl]),
        }
        own, wide = {}, {}
        for kind in ("js", "kl"):
            own[kind] = np.mean(
                [_own_dequantized(kind, x, y, i, 1.0) for i, (x, y) in enumerate(pairs)]
            )
            wide[kind] = np.mean(
                [_own_dequantized(kind, x, y, i, 2.0) for i, (x, y) in enumerate(pairs)]
            )
        names = ("js_knn", "js_knn_batch", "kl_knn")
        for i, name in enumerate(names):
            kind = name[:2]
            truth = js if kind == "js" else kl
            mean, se = _mean_and_se(library[name])
            tol = Z_SCORE * se + TIES_BIAS[kind]
            ax.fill_between(
                [i - 0.3, i + 0.3],
                truth - tol,
                truth + tol,
                color="lightgrey",
                label="accepted: truth ± (Z se + measured bias)" if first else None,
            )
            ax.hlines(
                truth,
                i - 0.3,
                i + 0.3,
                color="black",
                label="truth: JSD / KL of the discrete laws, summed by hand" if first else None,
            )
            ax.errorbar(
                i,
                mean,
                yerr=Z_SCORE * se,
                fmt="o",
                color="tab:blue",
                capsize=4,
                label="library, ties='dequantize' (default): mean ± Z se" if first else None,
            )
            _square(
                ax,
                i + 0.15,
                own[kind],
                "own route: noise of one pooled step, then ties='raise'" if first else None,
            )
            _cross(
                ax,
                i - 0.15,
                wide[kind],
                "falsifier: noise two grid steps wide" if first else None,
            )
            first = False
        steps = {tuple(r.dequantized or ()) for r in lib_js + lib_kl}
        ax.set_xticks(range(len(names)), names)
        ax.set(
            ylabel=f"mean of {TIES_BATCH_PAIRS} replicates (nats)",
            title=f"{label}\nthe results' dequantized = {', '.join(map(str, sorted(steps)))}",
        )
    fig.suptitle(
        "estimate.knn-ties-dequantize: kNN estimates on tied (gridded) samples, "
        f"1000 + 1000 points, the first {TIES_BATCH_PAIRS} of the check's replicates"
    )
    finish(fig, path, ncols=3)


# --------------------------------------------------------------------------------------------
# estimate.knn-kl-ensemble
# --------------------------------------------------------------------------------------------

#: As ENSEMBLE_CASES in proofs/test_estimator_paths_2.py: (tick label, d, n, m, k).
ENSEMBLE_CASES = (
    ("2-D\n41 + 40", 2, 41, 40, None),
    ("8-D\n1000 + 1000", 8, 1000, 1000, None),
    ("3-D\n200 + 15, k=2", 3, 200, 15, 2),
    ("1-D\n8 + 100", 1, 8, 100, None),
    ("4-D\n30 + 200, k=3", 4, 30, 200, 3),
)


def _least_norm_weights(orders: tuple[int, ...], d: int, power: float = 2.0) -> np.ndarray:
    """As least_norm_weights: sum 1 and sum w_l k_l^(power/d) = 0, least norm: pinv(A) [1, 0]."""
    a = np.vstack([np.ones(len(orders)), np.asarray(orders, dtype=float) ** (power / d)])
    weights: np.ndarray = np.linalg.pinv(a) @ np.array([1.0, 0.0])
    return weights


def _wkv(xs: np.ndarray, ys: np.ndarray, k: int) -> float:
    """Wang-Kulkarni-Verdú at order k from scipy's k-d trees (x_i its own first neighbour)."""
    rho = cKDTree(xs).query(xs, k=[k + 1])[0][:, 0]
    nu = cKDTree(ys).query(xs, k=[k])[0][:, 0]
    n, d = xs.shape
    return float(np.sum(d * np.log(nu / rho) / n)) + math.log(len(ys) / (n - 1))


def _documented_orders(
    n: int, m: int, k: int | None, step: int = 2, strict_m: bool = False, k5: bool = False
) -> tuple[int, ...]:
    """k, 2k, 4k, 8k kept while k_l < n and k_l <= m; the slips as flags (k_l < m, k always 5)."""
    kk = (5 if k5 else max(1, min(5, (n - 1) // 2, m // 2))) if k is None else k
    return tuple(
        o for o in (kk * step**i for i in range(4)) if o < n and (o < m if strict_m else o <= m)
    )


@in_style
def knn_kl_ensemble(path: Path) -> None:
    """estimate.knn-kl-ensemble: the ensemble's value, weights and orders against own routes."""
    plt = pyplot()
    rng = np.random.default_rng(2013)  # the check's five pairs, drawn in its order
    fig, (a, b, c) = plt.subplots(1, 3, figsize=(15, 4.4))
    at = np.arange(len(ENSEMBLE_CASES))
    every_order: set[int] = set()
    shown = 1  # the weights panel: the 8-D case, the one the ensemble is meant for
    for i, (_, d, n, m, k) in enumerate(ENSEMBLE_CASES):
        x = rng.normal(size=(n, d))
        y = 0.3 + 1.2 * rng.normal(size=(m, d))
        r = dv.kl_knn(x, y, k=k, bias_correction="ensemble")
        orders = _documented_orders(n, m, k)
        every_order |= set(orders) | set(_documented_orders(n, m, k, k5=True))
        per_order = [_wkv(x, y, o) for o in orders]
        w = _least_norm_weights(orders, d)
        w_flat = np.full(len(orders), 1.0 / len(orders))
        w_first = _least_norm_weights(orders, d, power=1.0)
        first = i == 0
        _square(
            a,
            i,
            float(np.dot(w, per_order)),
            "own route: pinv weights x WKV from scipy k-d trees" if first else None,
        )
        _dot(a, i, float(r.unclipped), "library" if first else None)
        _cross(
            a, i, float(np.dot(w_flat, per_order)), "falsifier: equal weights" if first else None
        )
        _cross(
            a,
            i,
            float(np.dot(w_first, per_order)),
            "falsifier: weights cancelling k^(1/d)" if first else None,
            color="tab:orange",
        )
        a.plot(
            [i] * len(orders),
            per_order,
            "_",
            ms=14,
            color="grey",
            label="WKV at each order alone (scipy)" if first else None,
        )
        if i == shown:
            ks = np.array(orders)
            _square(b, ks, w, None)
            _dot(b, ks, np.asarray(r.weights), None)
            _cross(b, ks, w_flat, None)
            _cross(b, ks, w_first, None, color="tab:orange")
            b.axhline(0.0, color="grey", lw=0.8)
            b.set_xscale("log", base=2)
            b.set_xticks(ks, [str(o) for o in orders])
            b.set(
                xlabel="order k_l (neighbours)",
                ylabel="weight w_l",
                title=f"weights, {d}-D, n = {n}, m = {m}: sum w = 1, sum w k^(2/d) = 0",
            )
        _square(c, [i] * len(orders), orders, None)
        _dot(c, [i] * len(r.orders), r.orders, None)
        for offset, wrong, colour, text in (
            (0.22, _documented_orders(n, m, k, strict_m=True), "tab:purple", "k_l < m"),
            (0.38, _documented_orders(n, m, k, k5=True), "tab:green", "default k always 5"),
        ):
            c.plot(
                [i + offset] * len(wrong),
                wrong,
                "x",
                ms=8,
                mew=1.8,
                color=colour,
                label=f"falsifier: {text} (drawn to the right)" if first else None,
            )
    a.set_xticks(at, [case[0] for case in ENSEMBLE_CASES])
    a.set(ylabel="KL estimate, unclipped (nats)", title="the ensemble's value per case")
    c.set_yscale("log", base=2)
    c.set_yticks(sorted(every_order), [str(o) for o in sorted(every_order)])
    c.minorticks_off()
    c.set_xticks(at, [case[0] for case in ENSEMBLE_CASES])
    c.set(
        ylabel="orders combined, k_l (neighbours)",
        title="orders k, 2k, 4k, 8k with k_l < n, k_l <= m",
    )
    fig.suptitle(
        'estimate.knn-kl-ensemble: kl_knn(bias_correction="ensemble") against scipy k-d trees '
        "and pinv's least-norm weights"
    )
    finish(fig, path, ncols=4)


# --------------------------------------------------------------------------------------------
# estimate.result-fields
# --------------------------------------------------------------------------------------------

#: As FIELD_ROUTES in proofs/test_estimator_paths_2.py: (tick label, route, bins, range,
#: pseudocount); and the kNN estimates' level.
FIELD_ROUTES = (
    ("kl, fused", "kl_from_samples", 20, None, 0.0),
    ("kl, range", "kl_from_samples", 20, (-4.0, 2.5), 0.0),
    ("kl, +0.5", "kl_from_samples", 20, None, 0.5),
    ("kl, histogram", "kl_from_histogram", 20, None, 0.0),
    ("js", "js_from_samples", 20, None, 0.0),
    ("js, range", "js_from_samples", 16, (-4.0, 2.5), 0.0),
)
FIELD_LEVEL = 0.9


def _binned(x: np.ndarray, y: np.ndarray, route: str, bins: int, range_: Any, alpha: float) -> Any:
    if route == "kl_from_histogram":
        return dv.kl_from_histogram(dv.histogram_pair(x, y, bins=bins, range=range_))
    if route == "kl_from_samples":
        return dv.kl_from_samples(x, y, bins=bins, range=range_, pseudocount=alpha)
    return dv.js_from_samples(x, y, bins=bins, range=range_)


@in_style
def result_fields(path: Path) -> None:
    """estimate.result-fields: off-support mass, dropped values and kNN intervals, by route."""
    plt = pyplot()
    rng = np.random.default_rng(1951)  # the check's x and y
    x, y = rng.normal(0.0, 1.5, 2000), rng.normal(0.5, 1.0, 500)
    fig, (a, b, c) = plt.subplots(
        1, 3, figsize=(16, 4.6), gridspec_kw={"width_ratios": [1.7, 1.0, 0.8]}
    )
    ticks, dropped_at, dropped_ticks = [], 0, []
    for i, (label, route, bins, range_, alpha) in enumerate(FIELD_ROUTES):
        r = _binned(x, y, route, bins, range_, alpha)
        cx, cy = _pair_counts(x, y, bins, range_)
        ticks.append(f"{route}\n{label}\ndivergence={r.divergence!r}")
        first = i == 0
        if r.off_support_mass is None:
            a.text(i, 0.035, "None", ha="center", va="center", color="tab:blue")
        else:
            _square(
                a,
                i,
                cx[cy == 0].sum() / cx.sum(),
                "own route: numpy's counts, scipy's norm.ppf" if first else None,
            )
            _dot(a, i, r.off_support_mass, "library" if first else None)
            _cross(
                a,
                i,
                int(cx[cy == 0].sum()),
                "falsifier: the mass as a count of x's values" if first else None,
            )
        if range_ is not None:
            h = r.histogram
            for side, got, lost in (
                ("x", h.dropped_x, x.size - cx.sum()),
                ("y", h.dropped_y, y.size - cy.sum()),
            ):
                _square(b, dropped_at, lost, None)
                _dot(b, dropped_at, got, None)
                _cross(
                    b,
                    dropped_at,
                    0,
                    "falsifier: clipped into the end bins, 0 dropped" if dropped_at == 0 else None,
                    color="tab:purple",
                )
                dropped_ticks.append(f"{route}\n{r.divergence}: dropped_{side}")
                dropped_at += 1
    a.set_yscale("log")
    a.set_xlim(-0.5, len(FIELD_ROUTES) - 0.5)
    a.set_xticks(range(len(FIELD_ROUTES)), ticks, fontsize=7)
    a.set(
        ylabel="off_support_mass (fraction of x's values; log)",
        title="x's mass in bins y leaves empty (None for JS)",
    )
    b.set_xticks(range(dropped_at), dropped_ticks, fontsize=7)
    b.yaxis.set_major_locator(MaxNLocator(integer=True))
    b.set(ylabel="values outside (-4, 2.5) (count)", title="dropped_x, dropped_y: the range cuts")

    z = float(stats.norm.ppf((1.0 + FIELD_LEVEL) / 2.0))
    z_one = float(stats.norm.ppf(FIELD_LEVEL))
    knn_ticks = []
    for i, (estimator, upper) in enumerate(((dv.kl_knn, math.inf), (dv.js_knn, math.log(2.0)))):
        r = estimator(x, y, ci=FIELD_LEVEL, seed=0)
        # both set when a ci is asked for
        assert r.standard_error is not None
        assert r.interval is not None
        value, se = float(r.unclipped), float(r.standard_error)
        own = [min(max(value + s * z * se, 0.0), upper) for s in (-1, 1)]
        one_sided = [min(max(value + s * z_one * se, 0.0), upper) for s in (-1, 1)]
        first = i == 0
        # in standard errors from the unclipped value: the ends sit at -z and +z
        _square(c, [i, i], [(e - value) / se for e in own], None)
        _dot(c, [i, i], [(e - value) / se for e in r.interval], None)
        _cross(
            c,
            [i, i],
            [(e - value) / se for e in one_sided],
            f"falsifier: one-sided z_{FIELD_LEVEL:g} = {z_one:.3f}" if first else None,
            color="tab:orange",
        )
        lo, hi = r.interval
        knn_ticks.append(
            f"{estimator.__name__}, ci={r.ci_level:g}\ndivergence={r.divergence!r}\n"
            f"[{lo:.3f}, {hi:.3f}] nats"
        )
    for s in (-1, 1):
        c.axhline(s * z, color="grey", ls=":", lw=0.8)
    c.set_xticks([0, 1], knn_ticks, fontsize=7)
    c.set_xlim(-0.6, 1.6)
    c.set(
        ylabel="(interval end - unclipped) / standard_error",
        title=f"kNN interval: ± z_{(1 + FIELD_LEVEL) / 2:g} se (z = {z:.3f})",
    )
    fig.suptitle(
        "estimate.result-fields: the results' fields against numpy's counts and scipy's z, "
        "x: 2000 from N(0, 1.5²), y: 500 from N(0.5, 1)"
    )
    finish(fig, path, ncols=4)


FIGURES: dict[str, Callable[[Path], None]] = {
    "estimator_paths_batch_kl.png": estimator_paths_batch_kl,
    "knn_ties_dequantize.png": knn_ties_dequantize,
    "knn_kl_ensemble.png": knn_kl_ensemble,
    "result_fields.png": result_fields,
}

"""Figures of the claims in proofs/test_estimator_paths_2.py.

``estimator_paths_batch_kl.png`` (estimate.batch-rows-kl), ``knn_ties_dequantize.png``
(estimate.knn-ties-dequantize), ``knn_kl_ensemble.png`` (estimate.knn-kl-ensemble) and
``divergence_named.png``, ``off_support_mass.png``, ``dropped_reported.png``,
``no_interval_options.png``, ``histogram_counts_reported.png``, ``knn_interval.png``,
``rule_reported.png``, ``interval_reported.png``, ``interval_options_reported.png``,
``kl_default_errors.png`` and ``empty_batch.png`` (the
claims of the same names): on the check's own seeded data, the library's
answer (dots) next to the check's own route (squares) and falsifiers (crosses) rejected by it.
Cheap to draw (one to three seconds each).

The small helpers below are copies of the test module's (a test module registers its claims:
not imported here).
"""

from __future__ import annotations

import math
import textwrap
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
from .fields_routes import (
    FIELD_LEVEL,
    FIELD_ROUTES,
    counts_verdicts,
    default_error_verdicts,
    default_error_with,
    empty_verdicts,
    empty_with,
    field_samples,
    fields_with,
    interval_options_verdicts,
    interval_report_verdicts,
    interval_with,
    library_default_error,
    library_empty,
    library_fields,
    library_interval,
    library_rule,
    named_verdicts,
    options_verdicts,
    pair_counts,
    rule_verdicts,
    rule_with,
)
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
# estimate.divergence-named, -off-support-mass, -dropped-reported, -no-interval-options,
# -histogram-counts-reported, estimate.knn-interval
# --------------------------------------------------------------------------------------------

Rows = list[tuple[str, bool, Any, Any]]


def _verdict_grid(
    path: Path,
    claim_id: str,
    title: str,
    rows_of: Callable[[Any], Rows],
    columns: tuple[tuple[str, Any], ...],
    subtitle: str = "x: 2000 from N(0, 1.5²), y: 500 from N(0.5, 1)",
) -> None:
    """Per case of the check, whether the library and each falsifier satisfy it.

    ``columns`` are (name, subject), the library's first; ``rows_of(subject)`` the check's
    verdicts (case, holds, observed, expected).
    """
    plt = pyplot()
    results = [rows_of(subject) for _, subject in columns]
    cases = [row[0] for row in results[0]]
    fig, ax = plt.subplots(figsize=(4.5 + 2.2 * len(columns), 1.6 + 0.55 * len(cases)))
    colors = ("tab:red", "tab:orange", "tab:purple", "tab:brown", "tab:pink")
    for j, rows in enumerate(results):
        for i, (_, holds, _, _) in enumerate(rows):
            if j == 0:
                _dot(ax, j, i, None, color="tab:blue" if holds else "black")
            elif not holds:
                _cross(ax, j, i, None, color=colors[(j - 1) % len(colors)])
            else:
                ax.plot(j, i, "o", mfc="none", ms=8, color="0.6")
    _dot(ax, [], [], "library: satisfies the claim (black: violates)")
    _cross(ax, [], [], "falsifier: rejected by the case", color="tab:red")
    ax.plot([], [], "o", mfc="none", ms=8, color="0.6", label="falsifier: passes the case")
    ax.set_xticks(
        range(len(columns)),
        ["library"] + [textwrap.fill(f"falsifier: {name}", 26) for name, _ in columns[1:]],
        fontsize=7,
    )
    ax.set_yticks(range(len(cases)), [textwrap.fill(c, 48) for c in cases], fontsize=7)
    ax.invert_yaxis()
    ax.set(
        xlim=(-0.5, len(columns) - 0.5),
        title=title,
        xlabel="implementation (the library, then each falsifier)",
        ylabel="case of the check",
    )
    fig.suptitle(f"{claim_id}: {subtitle}")
    finish(fig, path, ncols=3)


def _field_grid(
    path: Path,
    claim_id: str,
    title: str,
    verdicts: Callable[[np.ndarray, np.ndarray, dict[str, Any]], Rows],
    wrong: tuple[tuple[str, Callable[..., dict[str, Any]]], ...],
) -> None:
    """_verdict_grid of a field claim: its verdicts on the fields of the check's x and y."""
    x, y = field_samples()
    _verdict_grid(
        path,
        claim_id,
        title,
        lambda fields: verdicts(x, y, fields(x, y)),
        (("library", library_fields), *wrong),
    )


@in_style
def divergence_named(path: Path) -> None:
    """estimate.divergence-named: each estimate's divergence against the one asked for."""
    _field_grid(
        path,
        "estimate.divergence-named",
        "the divergence each result names",
        lambda x, y, out: named_verdicts(out),
        (
            ("kl and js swapped", fields_with(swapped=True)),
            ("JS named jsd", fields_with(js_as_jsd=True)),
        ),
    )


@in_style
def no_interval_options(path: Path) -> None:
    """estimate.no-interval-options: ci_method and n_boot None without an interval."""
    _field_grid(
        path,
        "estimate.no-interval-options",
        "ci_method and n_boot without an interval",
        lambda x, y, out: options_verdicts(out),
        (
            ("the interval's defaults", fields_with(default_options=True)),
            ("n_boot left at 1000", fields_with(default_boot=True)),
        ),
    )


@in_style
def histogram_counts_reported(path: Path) -> None:
    """estimate.histogram-counts-reported: the counts against numpy's on the reported edges."""
    _field_grid(
        path,
        "estimate.histogram-counts-reported",
        "counts_x, counts_y against np.histogram on the reported edges",
        counts_verdicts,
        (
            ("the pooled counts in both", fields_with(pooled_counts=True)),
            ("the last bin half-open", fields_with(last_bin_open=True)),
        ),
    )


@in_style
def off_support_mass(path: Path) -> None:
    """estimate.off-support-mass: x's binned mass where y has none, by route."""
    plt = pyplot()
    x, y = field_samples()
    fig, ax = plt.subplots(figsize=(11, 4.6))
    wrong = (
        ("the mass as a count of x's values", fields_with(mass_as_count=True), "tab:red"),
        ("the mass reported for JS too", fields_with(mass_for_js=True), "tab:orange"),
        ("clipped into the end bins", fields_with(clipped=True), "tab:purple"),
    )
    got = library_fields(x, y)["binned"]
    outs = {what: fields(x, y) for what, fields, _ in wrong}
    labelled: set[str] = set()
    for i, (route, f) in enumerate(zip(FIELD_ROUTES, got, strict=True)):
        first = i == 0
        if f["mass"] is None:
            ax.text(i, 0.02, "None", ha="center", va="center", color="tab:blue")
        else:
            cx, cy = pair_counts(x, y, route[2], route[3])
            _square(
                ax, i, cx[cy == 0].sum() / cx.sum(), "own route: numpy's counts" if first else None
            )
            _dot(ax, i, f["mass"], "library" if first else None)
        for k, (what, _, color) in enumerate(wrong):
            mass = outs[what]["binned"][i]["mass"]
            if mass is not None and mass != f["mass"]:
                label = None if what in labelled else f"falsifier: {what}"
                labelled.add(what)
                _cross(ax, i + 0.1 * (k + 1), mass, label, color=color)
    ax.set_yscale("log")
    ticks = [f"{r[0]}\n{_where_short(r)}" for r in FIELD_ROUTES]
    ax.set_xticks(range(len(FIELD_ROUTES)), ticks, fontsize=7)
    ax.set(
        ylabel="off_support_mass (a fraction; the count falsifier's in values; log)",
        title="x's mass in bins y leaves empty (None for JS)",
    )
    fig.suptitle("estimate.off-support-mass: x: 2000 from N(0, 1.5²), y: 500 from N(0.5, 1)")
    finish(fig, path, ncols=3)


def _where_short(route: tuple[Any, ...]) -> str:
    _, _, bins, range_, alpha = route
    return (
        f"bins={bins}" + (f", range {range_}" if range_ else "") + (f", +{alpha}" if alpha else "")
    )


@in_style
def dropped_reported(path: Path) -> None:
    """estimate.dropped-reported: dropped_x, dropped_y against numpy's counts in the range."""
    plt = pyplot()
    x, y = field_samples()
    fig, ax = plt.subplots(figsize=(9, 4.6))
    wrong = (
        ("clipped into the end bins, 0 dropped", fields_with(clipped=True), "tab:purple"),
        ("both samples' dropped values for each", fields_with(dropped_pooled=True), "tab:red"),
    )
    ticks, at = [], 0
    got = library_fields(x, y)["binned"]
    outs = {what: fields(x, y) for what, fields, _ in wrong}
    for i, (route, f) in enumerate(zip(FIELD_ROUTES, got, strict=True)):
        if route[3] is None:
            continue
        cx, cy = pair_counts(x, y, route[2], route[3])
        for side, lost in ((0, x.size - cx.sum()), (1, y.size - cy.sum())):
            first = at == 0
            _square(ax, at, lost, "own route: numpy's counts" if first else None)
            _dot(ax, at, f["dropped"][side], "library" if first else None)
            for k, (what, _, color) in enumerate(wrong):
                value = outs[what]["binned"][i]["dropped"][side]
                _cross(
                    ax,
                    at + 0.12 * (k + 1),
                    value,
                    f"falsifier: {what}" if first else None,
                    color=color,
                )
            ticks.append(f"{route[0]}\ndropped_{'xy'[side]}")
            at += 1
    ax.set_xticks(range(at), ticks, fontsize=7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(ylabel="values outside (-4, 2.5) (count)", title="dropped_x, dropped_y: the range cuts")
    fig.suptitle("estimate.dropped-reported: x: 2000 from N(0, 1.5²), y: 500 from N(0.5, 1)")
    finish(fig, path, ncols=2)


@in_style
def knn_interval(path: Path) -> None:
    """estimate.knn-interval: the kNN intervals' ends in standard errors from the value."""
    plt = pyplot()
    x, y = field_samples()
    fig, ax = plt.subplots(figsize=(8, 4.8))
    z = float(stats.norm.ppf((1.0 + FIELD_LEVEL) / 2.0))
    wrong = (
        (f"one-sided z_{FIELD_LEVEL:g}", fields_with(one_sided=True), "tab:orange"),
        ("95 % whatever was asked", fields_with(fixed_level=True), "tab:red"),
    )
    got = library_fields(x, y)["knn"]
    outs = {what: fields(x, y) for what, fields, _ in wrong}
    ticks = []
    for i, (name, f) in enumerate(zip(("kl_knn", "js_knn"), got, strict=True)):
        upper = math.inf if name == "kl_knn" else math.log(2.0)
        value, se = float(f["value"]), float(f["se"])
        own = [min(max(value + s * z * se, 0.0), upper) for s in (-1, 1)]
        first = i == 0
        _square(
            ax, [i, i], [(e - value) / se for e in own], "own route: scipy's z" if first else None
        )
        _dot(ax, [i, i], [(e - value) / se for e in f["interval"]], "library" if first else None)
        for k, (what, _, color) in enumerate(wrong):
            ends = outs[what]["knn"][i]["interval"]
            _cross(
                ax,
                [i + 0.1 * (k + 1)] * 2,
                [(e - value) / se for e in ends],
                f"falsifier: {what}" if first else None,
                color=color,
            )
        lo, hi = f["interval"]
        ticks.append(f"{name}, ci={f['level']:g}\n[{lo:.3f}, {hi:.3f}] nats")
    for s in (-1, 1):
        ax.axhline(s * z, color="grey", ls=":", lw=0.8)
    ax.set_xticks([0, 1], ticks, fontsize=8)
    ax.set_xlim(-0.6, 1.6)
    ax.set(
        ylabel="(interval end - unclipped) / standard_error",
        title=f"kNN interval: ± z_{(1 + FIELD_LEVEL) / 2:g} se (z = {z:.3f})",
    )
    fig.suptitle("estimate.knn-interval: x: 2000 from N(0, 1.5²), y: 500 from N(0.5, 1)")
    finish(fig, path, ncols=2)


@in_style
def rule_reported(path: Path) -> None:
    """estimate.rule-reported: each call's reported rule against the construction's."""
    _verdict_grid(
        path,
        "estimate.rule-reported",
        "the rule each histogram reports",
        rule_verdicts,
        (
            ("library", library_rule),
            ("the fallback left out", rule_with(no_fallback=True)),
            ("the count alone", rule_with(bare_count=True)),
            ("auto as the rule it took", rule_with(auto_resolved=True)),
            ("edges first: explicit edges", rule_with(edges_first=True)),
            ("explicit edges as bins=K", rule_with(edges_counted=True)),
            ("the default as auto", rule_with(default_auto=True)),
            ("reason: a zero width", rule_with(zero_reason=True)),
        ),
        "x: 500 from N(0, 1), y: 300 from N(0.3, 1), and variants",
    )


@in_style
def interval_reported(path: Path) -> None:
    """estimate.interval-reported: each binned interval, ordered and in the divergence's range."""
    _verdict_grid(
        path,
        "estimate.interval-reported",
        "an interval, lower end first, in the divergence's range",
        interval_report_verdicts,
        (
            ("library", library_interval),
            ("no interval, default bins", interval_with(fused_ignores_ci=True)),
            ("no interval from a histogram", interval_with(histogram_ignores_ci=True)),
            ("ends upper first", interval_with(ends_swapped=True)),
        ),
        "x: 500 from N(0, 1), y: 400 from N(0.2, 1.3²), a batch of 3 rows",
    )


@in_style
def interval_options_reported(path: Path) -> None:
    """estimate.interval-options-reported: each call's level, method and replicates."""
    _verdict_grid(
        path,
        "estimate.interval-options-reported",
        "the level, method and replicates the call asked for",
        interval_options_verdicts,
        (
            ("library", library_interval),
            ("method always bca", interval_with(method_default=True)),
            ("1000 replicates always", interval_with(boot_default=True)),
            ("level as 1 - ci", interval_with(level_as_alpha=True)),
            ("unasked options as None", interval_with(unasked_none=True)),
        ),
        "x: 500 from N(0, 1), y: 400 from N(0.2, 1.3²), a batch of 3 rows",
    )


@in_style
def empty_batch(path: Path) -> None:
    """estimate.empty-batch: each batch estimator on a batch of no pairs."""
    _verdict_grid(
        path,
        "estimate.empty-batch",
        "a float array of shape (0,) from a batch of no pairs",
        empty_verdicts,
        (
            ("library", library_empty),
            ("pair by pair, np.stack", empty_with(stacked=True)),
            ("rows pooled into one pair", empty_with(pooled=True)),
        ),
        "batches of 0 pairs",
    )


@in_style
def kl_default_errors(path: Path) -> None:
    """estimate.kl-default-errors: each bad input's error, default bins against bins="auto"."""
    _verdict_grid(
        path,
        "estimate.kl-default-errors",
        'the error of kl_from_samples(x, y) equals that with bins="auto"',
        default_error_verdicts,
        (
            ("library", library_default_error),
            ("partition before the checks", default_error_with(partition_first=True)),
            ("non-finite values dropped", default_error_with(omit_forced=True)),
            ("converted to 1-D float64 first", default_error_with(converted=True)),
            ("y's quantiles, not widened", default_error_with(unwidened=True)),
        ),
        "one kind of bad input per row",
    )


FIGURES: dict[str, Callable[[Path], None]] = {
    "estimator_paths_batch_kl.png": estimator_paths_batch_kl,
    "knn_ties_dequantize.png": knn_ties_dequantize,
    "knn_kl_ensemble.png": knn_kl_ensemble,
    "divergence_named.png": divergence_named,
    "off_support_mass.png": off_support_mass,
    "dropped_reported.png": dropped_reported,
    "no_interval_options.png": no_interval_options,
    "histogram_counts_reported.png": histogram_counts_reported,
    "knn_interval.png": knn_interval,
    "rule_reported.png": rule_reported,
    "interval_reported.png": interval_reported,
    "interval_options_reported.png": interval_options_reported,
    "kl_default_errors.png": kl_default_errors,
    "empty_batch.png": empty_batch,
}

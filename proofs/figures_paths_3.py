"""Figures of the claims in proofs/test_estimator_paths_3.py.

``quantile_bins.png`` (estimate.quantile-bins), ``rule_cap.png`` (estimate.rule-cap-quantile,
estimate.rule-cap-batch), ``wkv_ties_fallback.png`` (estimate.wkv-ties-fallback),
``knn_scale_invariance.png`` (estimate.knn-scale-invariance, estimate.knn-base),
``knn_js_batch_range.png`` (estimate.knn-js-batch-range, estimate.knn-js-batch-seeds),
``discriminator_standard_error.png`` (estimate.discriminator-standard-error),
``miller_madow_kl.png`` (estimate.bias-order.miller-madow-kl), ``bootstrap_seeded.png``
(estimate.bootstrap-seeded), ``discriminator_returned.png``
(estimate.discriminator-returned), ``order_statistics_radix.png``
(estimate.order-statistics-radix), ``discriminator_mlp.png``
(estimate.discriminator-mlp), ``discriminator_result_fields.png``
(estimate.discriminator-result-fields) and ``knn_dequantize.png``
(estimate.knn-dequantize-seeded, estimate.knn-dequantize-reported),
``knn_grid_detection.png`` (estimate.knn-grid-detection), ``knn_ties_raise.png``
(estimate.knn-ties-raise), ``zero_width_sturges.png`` (estimate.zero-width-sturges),
``kl_default_reported.png`` (estimate.kl-default-reported), ``knn_js_matched_balls.png``
(estimate.knn-js-matched-balls), ``knn_jackknife.png`` (estimate.knn-jackknife),
``discriminator_fixed_se.png`` (estimate.discriminator-fixed-se) and
``knn_seed_reported.png``, ``knn_interval_reported.png``, ``knn_ensemble_reported.png`` and
``knn_base_reported.png`` (estimate.knn-seed-reported, -interval-reported, -ensemble-reported,
-base-reported), ``discriminator_penalised_fit.png``
(estimate.discriminator-penalised-fit):
on the checks' own seeded data and routes (``proofs/paths_3_routes.py``), the library's
answer (dots) next to the check's route (squares) and falsifiers (crosses) rejected by it.
About a second each.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator

import divergences as dv
from divergences.plotting import in_style

from ._drawing import falsifier_cross as _cross
from ._drawing import finish, pyplot
from ._drawing import library_dot as _dot
from ._drawing import route_square as _square
from .paths_3_routes import (
    BOOT_LEVEL,
    BOOT_N,
    BOOT_SEEDS,
    DEQ_ESTIMATORS,
    DEQ_SEEDS,
    DISC_REPLICATES,
    DISC_SIZES,
    FIELDS_FOLDS,
    FIXED_SE_CASES,
    INTEGER_SEED,
    JACKKNIFE_CASES,
    KNN_BASES,
    MATCHED_CASES,
    MLP_D_ERROR,
    MLP_SEEDS,
    MM_P,
    MM_REPLICATES,
    MM_SIZES,
    PENALISED_CASES,
    PENALTY,
    REFUSED,
    REPORTED_CASES,
    SCALE_K,
    SCALES,
    TIES_REFUSED,
    CountingClassifier,
    auto_edges,
    batch_edges_with,
    batch_seeds_as,
    boot_fresh_entropy,
    boot_samples,
    clip_batches,
    counts_allowed,
    d_error,
    deq_samples,
    disc_returned_as,
    disc_samples,
    documented_cap,
    documented_fallback,
    each_own_exponent,
    equal_mass_edges,
    fallback_for_the_batch,
    fd_count,
    fields_samples,
    fixed_se_samples,
    folds_default,
    grid_batch,
    grid_cases,
    half_sqrt_width_edges,
    in_range,
    knn_base_samples,
    knn_fields,
    knn_fields_with,
    knn_scale_samples,
    label_never_applied,
    library_boot,
    library_dequantized_estimate,
    library_disc_fields,
    library_disc_returned,
    library_disc_se,
    library_fd_edges,
    library_fixed_se,
    library_grid,
    library_kl_partition,
    library_knn_se,
    library_matched,
    library_mlp,
    library_mm_kl,
    library_order_statistics,
    library_penalised,
    library_reported,
    library_reported_steps,
    library_ties_raise,
    matched_samples,
    mlp_grid,
    mlp_p,
    mlp_q,
    mlp_replaced_by,
    mlp_samples,
    mlp_sizes_as_priors,
    mm_histograms,
    mm_truth,
    noise_fresh_entropy,
    noise_seed_ignored,
    numpy_fd_edges,
    numpy_sturges_edges,
    object_unnamed,
    occupied_x,
    order_ranks,
    order_statistic_cases,
    outlier_batches,
    outlier_cases,
    own_batch_seeded,
    own_default_kl_edges,
    own_disc_se,
    own_fixed_se,
    own_grid,
    own_knn,
    own_knn_se,
    own_matched,
    own_penalised,
    own_reported,
    penalised_samples,
    plugin_kl_minus,
    pooled_in_range,
    quantile_cases,
    range_ignored,
    ranks_from_one,
    ratio_sum,
    raw_bit_order,
    reported_always_wkv,
    reported_with,
    roots_of,
    second_order_size,
    seed_forms,
    shifted_d,
    sizes_swapped,
    sorted_ranks,
    steps_cases,
    steps_of_first,
    steps_of_x,
    sturges_count_always_edges,
    sturges_of_x_edges,
    ties_cases,
    ties_checked,
    ties_collapsed,
    ties_raise_cases,
    wkv_count_pooled,
    wkv_kl_own,
    wkv_partition,
    wkv_quantiles,
    wkv_reported_cases,
    wkv_without_tie_test,
    x_counted_only,
    zero_width_cases,
)
from .tolerances import Z_SCORE


@in_style
def quantile_bins(path: Path) -> None:
    """estimate.quantile-bins: the bin count from the sizes, and the edges on one case."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, 4.4))
    rng = np.random.default_rng(1954)
    n_x = 200
    ratios = np.array([1, 2, 4, 8, 12, 20])
    own, pooled_k, library = [], [], []
    for r in ratios:
        x, y = rng.normal(0, 1, n_x), rng.normal(0.3, 1.2, n_x * r)
        own.append(min(counts_allowed(second_order_size(x.size, y.size))))
        pooled_k.append(min(counts_allowed(float(x.size + y.size))))
        library.append(dv.histogram_pair(x, y, bins="quantile").edges.size - 1)
    _square(a, ratios, own, "own route: K = ceil(2 m^(1/3)), m = 1 / (2 (A - B))")
    _dot(a, ratios, library, 'library: histogram_pair(x, y, bins="quantile")')
    _cross(a, ratios, pooled_k, "falsifier: K from the pooled size n_x + n_y")
    a.yaxis.set_major_locator(MaxNLocator(integer=True))
    a.set_xticks(ratios, [str(r) for r in ratios])
    a.set(
        xlabel="n_y / n_x (n_x = 200)",
        ylabel="equal-mass bins K (count)",
        title="the bin count follows the smaller sample",
    )
    label, x, y, range_ = next(  # 3000 + 600 within a range
        case for case in quantile_cases(np.random.default_rng(1954)) if case[3] == (-1.0, 1.5)
    )
    xs, ys = in_range(x, range_), in_range(y, range_)
    k = min(counts_allowed(second_order_size(xs.size, ys.size)))
    got = dv.histogram_pair(x, y, bins="quantile", range=range_).edges
    expected = equal_mass_edges(x, y, range_, k)
    wrong = equal_mass_edges(x, y, range_, k, ignore_range=True)
    index = np.arange(expected.size)
    _square(b, index, expected, None)
    _dot(b, np.arange(got.size), got, None)
    _cross(b, np.arange(wrong.size), wrong, "falsifier: quantiles of the values outside too")
    b.xaxis.set_major_locator(MaxNLocator(integer=True))
    b.set(
        xlabel="edge index",
        ylabel="edge (value of the samples)",
        title=f"edges, {label} ({k} bins)",
    )
    fig.suptitle(
        "estimate.quantile-bins: equal-mass edges against np.quantile of the pooled sample"
    )
    finish(fig, path, ncols=2)


@in_style
def rule_cap(path: Path) -> None:
    """estimate.rule-cap-quantile and estimate.rule-cap-batch: counts past the cap, and after."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, 4.4))
    cases = outlier_cases(np.random.default_rng(1024))
    at = np.arange(len(cases))
    asked = [fd_count(np.concatenate([x, y])) for _, x, y in cases]
    caps = [documented_cap(x.size + y.size) for _, x, y in cases]
    library = [dv.js_from_samples(x, y, bins="fd").histogram.edges.size - 1 for _, x, y in cases]
    own = [min(counts_allowed(second_order_size(x.size, y.size))) for _, x, y in cases]
    _cross(a, at, asked, "what fd asks for (numpy's width formula)", color="grey")
    a.plot(at, caps, "_", ms=30, mew=2, color="black", label="the documented cap")
    _square(a, at, own, "own route: the equal-mass count K")
    _dot(a, at, library, 'library: js_from_samples(x, y, bins="fd")')
    _cross(a, at, caps, "falsifier: the count clipped to the cap")
    a.set_yscale("log")
    a.set_xticks(at, [f"case {i + 1}" for i in at])
    a.set(ylabel="bins (count)", title="one pair: fd over its cap -> equal-mass bins")
    batches = outlier_batches(np.random.default_rng(16))
    for j, (_, x, y) in enumerate(batches):
        counts = [fd_count(np.concatenate([p, q])) for p, q in zip(x, y, strict=True)]
        shown = [
            c if c <= documented_cap(p.size + q.size) else documented_fallback(p.size + q.size)
            for c, p, q in zip(counts, x, y, strict=True)
        ]
        first = j == 0
        b.plot(
            [j + 0.1 * i - 0.25 for i in range(len(x))],
            shown,
            ".",
            color="grey",
            label="each pair's count (pair 2: max(16, ceil(2 sqrt n)))" if first else None,
        )
        got = dv.js_from_samples(x, y, bins="fd", axis=1).histogram.edges.shape[1] - 1
        _square(b, j, batch_edges_with(documented_fallback)(x, y).shape[1] - 1, None)
        _dot(b, j, got, None)
        _cross(
            b,
            j,
            batch_edges_with(lambda n: math.ceil(2.0 * math.sqrt(n)))(x, y).shape[1] - 1,
            "falsifier: no floor of 16" if first else None,
            color="tab:orange",
        )
        _cross(
            b,
            j,
            fallback_for_the_batch(x, y).shape[1] - 1,
            "falsifier: the overflowing pair's count for all" if first else None,
            color="tab:purple",
        )
    b.set_xticks(range(len(batches)), ["300 + 200", "30 + 20", "2000 + 2000", "t(2), 300 + 200"])
    b.yaxis.set_major_locator(MaxNLocator(integer=True))
    b.set(
        xlabel="batch of 6 pairs (sizes per pair)",
        ylabel="the batch's shared bins (count)",
        title="a batch: the largest count over pairs",
    )
    fig.suptitle("estimate.rule-cap-quantile, estimate.rule-cap-batch: a far outlier and the cap")
    finish(fig, path, ncols=3)


def first_end(i: int, end: float, x: np.ndarray) -> bool:
    """Whether this is the first panel's first end line (the one the legend names)."""
    return i == 0 and end == x.min()


@in_style
def wkv_ties_fallback(path: Path) -> None:
    """estimate.wkv-ties-fallback: y's quantiles, their ties, and the default KL's bins."""
    plt = pyplot()
    cases = ties_cases(np.random.default_rng(2005))
    fig, axes = plt.subplots(1, len(cases), figsize=(3.6 * len(cases), 4.4))
    named = False
    for i, (ax, (label, x, y)) in enumerate(zip(axes, cases, strict=True)):
        q = wkv_quantiles(y)
        for end in (x.min(), x.max()):
            ax.axhline(
                end,
                color="tab:orange",
                lw=0.8,
                ls=":",
                label="x's least and greatest" if first_end(i, end, x) else None,
            )
        tied = np.flatnonzero(np.diff(q) <= 0)
        first = i == 0
        ax.plot(
            np.arange(q.size), q, ".", color="grey", label="y's quantiles i/K" if first else None
        )
        ax.plot(
            tied + 1,
            q[tied + 1],
            "o",
            mfc="none",
            color="tab:purple",
            label="a quantile tied with the one before" if first else None,
        )
        got = dv.kl_from_samples(x, y).histogram
        if got.rule == "wkv":
            ends = [0, got.edges.size - 1]
            label_ends = "library: outer edges (wkv)" if not named else None
            _dot(ax, ends, [got.edges[0], got.edges[-1]], label_ends)
            named = True
        own = own_default_kl_edges()(x, y)
        merged = own_default_kl_edges(merge_ties=True)(x, y)
        ax.text(
            0.03,
            0.97,
            f"bins: library {got.edges.size - 1} ({got.rule.split(' (')[0]})\n"
            f"own route {own.size - 1}, falsifier (ties merged) {merged.size - 1}",
            transform=ax.transAxes,
            va="top",
            fontsize=8,
        )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(xlabel="quantile index i", ylabel="value")
        ax.set_title(label, fontsize=8)
    fig.suptitle(
        "estimate.wkv-ties-fallback: tied quantiles of y switch kl_from_samples' default to auto"
    )
    finish(fig, path, ncols=2)


@in_style
def knn_scale_invariance(path: Path) -> None:
    """estimate.knn-scale-invariance: the kNN KL over the float range, and its falsifiers."""
    plt = pyplot()
    x, y = knn_scale_samples(np.random.default_rng(2009))
    truth = wkv_kl_own(x, y, SCALE_K)
    exponents = np.log2(np.array(SCALES))
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(14, 4.4))
    library = [float(dv.kl_knn(c * x, c * y, k=SCALE_K).value) for c in SCALES]
    raw = [wkv_kl_own(c * x, c * y, SCALE_K) for c in SCALES]
    own_exp = [each_own_exponent(x, y, c)[0] for c in SCALES]
    ax.axhline(truth, color="black", lw=0.8, label="own route at c = 1 (scipy k-d tree)")
    _dot(ax, exponents, library, "library: kl_knn(c x, c y, k=3)")
    finite = np.isfinite(raw)
    _cross(ax, exponents[finite], np.array(raw)[finite], "falsifier: raw coordinates (finite)")
    top = max(float(np.max(own_exp)), truth) + 0.02
    ax.plot(
        exponents[~finite],
        np.full(int((~finite).sum()), top),
        "^",
        color="tab:red",
        label="falsifier: raw coordinates, not finite (drawn at the top)",
    )
    _cross(ax, exponents, own_exp, "falsifier: each sample its own power of two", "tab:orange")
    ax.set(
        xlabel="log2 of the factor c",
        ylabel="KL estimate (nats)",
        title="kNN KL of c x, c y: x 300 of N(0, I), y 400 of N(0.5, 1.44 I)",
    )
    xb, yb = knn_base_samples(np.random.default_rng(1948))
    at = np.arange(len(KNN_BASES))
    for j, name in enumerate(("kl_knn", "js_knn")):
        nats = knn_fields(name, xb, yb, None)
        scales = np.abs(np.log(np.array(KNN_BASES)))
        shift = 0.15 * (2 * j - 1)
        bx.axhline(nats[2], color="grey", lw=0.8, ls=(":", "--")[j])
        got = [knn_fields(name, xb, yb, b)[2] for b in KNN_BASES]
        wrong = [knn_fields_with(se_in_nats=True)(name, xb, yb, b)[2] for b in KNN_BASES]
        _dot(
            bx,
            at + shift,
            np.array(got) * scales,
            f"library: {name} standard error x |ln b|",
            color=("tab:blue", "tab:green")[j],
        )
        _cross(
            bx,
            at + shift,
            np.array(wrong) * scales,
            "falsifier: standard error left in nats" if j == 0 else None,
        )
    bx.set_xticks(at, [f"b = {b:g}" for b in KNN_BASES])
    bx.set(
        ylabel="standard error x |ln b| (nats)",
        title="base b: the fields in nats / ln b (lines: nats; dotted kl, dashed js)",
    )
    fig.suptitle(
        "estimate.knn-scale-invariance, estimate.knn-base: the estimate does not move with the "
        "data's scale, and changes base as a logarithm does"
    )
    finish(fig, path, ncols=3)


@in_style
def knn_js_batch_range(path: Path) -> None:
    """estimate.knn-js-batch-range and -seeds: the clip pair by pair, the pairs' seeds."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(14, 4.4))
    x, y = clip_batches(np.random.default_rng(1989))
    pairs = np.arange(len(x))
    raw = np.asarray(dv.js_knn_batch(x, y, clip=False))
    a.plot(pairs, raw, "o", mfc="none", color="grey", label="unclipped (clip=False)")
    _square(a, pairs, [float(dv.js_knn(p, q).value) for p, q in zip(x, y, strict=True)], None)
    _dot(a, pairs, np.asarray(dv.js_knn_batch(x, y)), "library: js_knn_batch (default clip)")
    _cross(a, pairs, np.maximum(raw, 0.0), "falsifier: clipped at 0 only")
    for level in (0.0, math.log(2.0)):
        a.axhline(level, color="black", lw=0.8, ls=":")
    a.xaxis.set_major_locator(MaxNLocator(integer=True))
    a.set(
        xlabel="pair (0-9: P = Q; 10-19: Q shifted by 60)",
        ylabel="JSD estimate (nats)",
        title="squares: js_knn of each pair alone; dotted: 0 and log 2",
    )
    xg, yg = grid_batch(np.random.default_rng(19))
    at = np.arange(len(xg))
    _square(b, at, own_batch_seeded(xg, yg, INTEGER_SEED), "own route: js_knn, SeedSequence seeds")
    _dot(b, at, np.asarray(dv.js_knn_batch(xg, yg, seed=INTEGER_SEED, clip=False)), None)
    _cross(
        b,
        at,
        batch_seeds_as(lambda s, i: roots_of(s) + i)(xg, yg, INTEGER_SEED),
        "falsifier: pair b seeded with s + b",
        color="tab:orange",
    )
    b.xaxis.set_major_locator(MaxNLocator(integer=True))
    b.set(
        xlabel="pair (values on a grid of step 1/2)",
        ylabel="JSD estimate, unclipped (nats)",
        title=f"seed={INTEGER_SEED}: each pair dequantized with its own seed",
    )
    fig.suptitle("estimate.knn-js-batch-range, estimate.knn-js-batch-seeds: a batch is its pairs")
    finish(fig, path, ncols=3)


@in_style
def discriminator_standard_error(path: Path) -> None:
    """estimate.discriminator-standard-error: reported standard error over the values' spread."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, 4.4))
    slack = Z_SCORE / math.sqrt(2 * (DISC_REPLICATES - 1))
    routes: list[tuple[str, Callable[..., tuple[float, float]]]] = [
        ("library", library_disc_se),
        ("without the 1/2", own_disc_se(half=False)),
        ("x and y pooled", own_disc_se(pooled=True)),
        ("left in nats", own_disc_se(nats=True)),
    ]
    for j, base in enumerate((None, 2.0)):
        rng = np.random.default_rng(2014)
        samples = [
            (rng.normal(0.0, 1.0, DISC_SIZES[0]), rng.normal(1.0, 1.0, DISC_SIZES[1]))
            for _ in range(DISC_REPLICATES)
        ]
        for i, (name, route) in enumerate(routes):
            results = np.array([route(x, y, base) for x, y in samples])
            ratio = float(results[:, 1].mean()) / float(results[:, 0].std(ddof=1))
            at = i + 0.2 * (j - 0.5)
            if name == "library":
                _dot(b, at, ratio, f"library, base {base or 'e'}", ("tab:blue", "tab:cyan")[j])
            else:
                _cross(
                    b,
                    at,
                    ratio,
                    f"falsifiers, base {base or 'e'}" if i == 1 else None,
                    ("tab:red", "tab:orange")[j],
                )
            if name == "library" and base is None:
                a.hist(results[:, 0], bins=40, color="tab:blue", alpha=0.6, label="values")
                mean, se = float(results[:, 0].mean()), float(results[:, 1].mean())
                for end in (mean - se, mean + se):
                    a.axvline(end, color="black", ls="--", lw=1.0)
    b.axhspan(1 - slack, 1 / (1 - slack), color="tab:green", alpha=0.2, label="accepted band")
    b.set_xticks(range(len(routes)), [name for name, _ in routes])
    b.set(
        ylabel="mean reported SE / SD of the values",
        title="dots: library; crosses: falsifiers (left: nats, right: base 2)",
    )
    a.set(
        xlabel="JSD bound of D* (nats)",
        ylabel="replicates (count)",
        title=f"{DISC_REPLICATES} replicates; dashed: mean +- mean reported SE",
    )
    a.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(
        "estimate.discriminator-standard-error: js_discriminator with the fixed D*, "
        "x 300 of N(0, 1), y 600 of N(1, 1)"
    )
    finish(fig, path, ncols=3)


@in_style
def miller_madow_kl(path: Path) -> None:
    """estimate.bias-order.miller-madow-kl: mean error of each correction, against the band."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10, 4.4))
    truth = mm_truth()
    routes: list[tuple[str, Callable[[dv.HistogramPair], float]]] = [
        ("library (miller-madow)", library_mm_kl),
        ("plug-in", plugin_kl_minus(lambda h: 0.0)),
        ("(K_P-1)/(2n_x) only", plugin_kl_minus(lambda h: (occupied_x(h) - 1) / (2 * h.n_x))),
        (
            "P = Q form",
            plugin_kl_minus(lambda h: (occupied_x(h) - 1) * (1 / h.n_x + 1 / h.n_y) / 2),
        ),
        ("y-side term only", plugin_kl_minus(lambda h: (ratio_sum(h) - 1) / (2 * h.n_y))),
    ]
    for j, (n_x, n_y) in enumerate(MM_SIZES):
        shift = 0.15 * (2 * j - 1)
        histograms = mm_histograms(n_x, n_y)
        for i, (_, route) in enumerate(routes):
            values = np.array([route(h) for h in histograms])
            se = float(values.std(ddof=1)) / math.sqrt(values.size)
            allowance = Z_SCORE * se + 2.0 * MM_P.size**2 / min(n_x, n_y) ** 2
            plot = _dot if i == 0 else _cross
            color = ("tab:blue", "tab:green")[j] if i == 0 else ("tab:red", "tab:orange")[j]
            label = f"n_x = {n_x}, n_y = {n_y}" + ("" if i == 0 else ": falsifiers")
            plot(ax, i + shift, values.mean() - truth, label if i in (0, 1) else None, color)
            ax.errorbar(i + shift, 0.0, yerr=allowance, color="grey", capsize=3, lw=1)
    ax.axhline(0.0, color="black", lw=0.8)
    ax.set_xticks(range(len(routes)), [name for name, _ in routes])
    ax.set(
        ylabel="mean estimate - KL (nats)",
        title=f"{MM_REPLICATES} replicates per size; grey bars: the allowance Z se + 2K^2/n^2",
    )
    fig.suptitle(
        "estimate.bias-order.miller-madow-kl: the corrected KL is unbiased to second order"
    )
    finish(fig, path, ncols=2)


@in_style
def bootstrap_seeded(path: Path) -> None:
    """estimate.bootstrap-seeded: each seed's interval twice, and the falsifiers' second calls."""
    plt = pyplot()
    x, y = boot_samples(np.random.default_rng(1979))
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.4))
    for ax, name in zip(axes, ("js", "kl"), strict=True):
        for seed in BOOT_SEEDS:
            first = seed == BOOT_SEEDS[0] and name == "js"
            a = library_boot(x, y, name, seed)[0]
            b = library_boot(x, y, name, seed)[0]
            ax.plot(
                [seed - 0.15] * 2,
                a,
                "-",
                color="tab:blue",
                lw=3,
                label="library, first call" if first else None,
            )
            ax.plot(
                [seed] * 2,
                b,
                "-",
                color="tab:cyan",
                lw=3,
                label="library, second call" if first else None,
            )
            fresh = boot_fresh_entropy(x, y, name, seed)[0]
            ax.plot(
                [seed + 0.15] * 2,
                fresh,
                "-",
                color="tab:red",
                lw=1.5,
                label="falsifier: fresh entropy" if first else None,
            )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(
            xlabel="seed",
            ylabel=f"{BOOT_LEVEL:.0%} bootstrap interval of the {name.upper()} (nats)",
            title=f"{name}_from_samples(x, y, bins='quantile', ci=0.9, n_boot={BOOT_N}, seed=s)",
        )
    fig.suptitle("estimate.bootstrap-seeded: the same seed gives the same interval")
    finish(fig, path, ncols=3)


@in_style
def discriminator_returned(path: Path) -> None:
    """estimate.discriminator-returned: the returned D against the D given, and the bounds."""
    plt = pyplot()
    x, y = disc_samples(np.random.default_rng(2014))
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, 4.4))
    z = np.linspace(-3.0, 4.0, 29)
    shifts = (0.0, 0.7, -1.5)
    for i, shift in enumerate(shifts):
        value, returned = library_disc_returned(x, y, shift)
        color = ("tab:blue", "tab:green", "tab:purple")[i]
        a.plot(z, shifted_d(shift)(z), color=color, lw=1, label=f"D given, s = {shift}")
        _dot(a, z, returned(z), None, color=color)
        wrong = disc_returned_as(lambda d: 1.0 - d)(x, y, shift)[1]
        dx, dy = np.asarray(returned(x)), np.asarray(returned(y))
        own = 0.5 * float(np.mean(np.log(2 * dx))) + 0.5 * float(np.mean(np.log(2 * (1 - dy))))
        wx, wy = np.asarray(wrong(x)), np.asarray(wrong(y))
        bad = 0.5 * float(np.mean(np.log(2 * wx))) + 0.5 * float(np.mean(np.log(2 * (1 - wy))))
        _square(b, i, own, "bound of the returned D (numpy)" if i == 0 else None)
        _dot(b, i, value, "library: reported bound" if i == 0 else None)
        _cross(b, i, bad, "falsifier: returned 1 - D" if i == 0 else None)
    a.set(xlabel="z", ylabel="D(z) (probability of x)", title="dots: the returned discriminator")
    b.set_xticks(range(len(shifts)), [f"s = {s}" for s in shifts])
    b.set(ylabel="bound (nats)", title="D = sigma(1/2 + s - z); s = 0 is D*")
    fig.suptitle(
        "estimate.discriminator-returned: the returned D is the one the bound was computed with"
    )
    finish(fig, path, ncols=3)


@in_style
def order_statistics_radix(path: Path) -> None:
    """estimate.order-statistics-radix: the selected values, and how many ranks each answers."""
    plt = pyplot()
    cases = order_statistic_cases()
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, 4.8))

    def shown(v: Any) -> np.ndarray:  # signed log scale over the whole float range
        v = np.asarray(v, dtype=np.float64)
        return np.sign(v) * np.log10(1.0 + np.abs(v))

    name, x, y, lo, hi = cases[0]
    ordered = np.sort(pooled_in_range(x, y, lo, hi))
    ranks = order_ranks(ordered.size)
    a.plot(
        np.arange(ordered.size),
        shown(ordered),
        color="0.6",
        lw=1,
        label="np.sort of the pooled values",
    )
    _square(a, ranks, shown(sorted_ranks(x, y, lo, hi, ranks)), "route: np.sort at the ranks")
    _dot(a, ranks, shown(library_order_statistics(x, y, lo, hi, ranks)), "library: radix selection")
    _cross(a, ranks, shown(raw_bit_order(x, y, lo, hi, ranks)), "falsifier: raw IEEE bits as keys")
    a.set(
        xlabel="rank r (from 0)",
        ylabel="sign(v) log10(1 + |v|) of the r-th smallest v",
        title=f"case: {name}",
    )
    wrong = (
        ("x", "ranks counted from 1", ranks_from_one),
        ("1", "range ignored", range_ignored),
        ("2", "ties counted once", ties_collapsed),
        ("3", "y never counted", x_counted_only),
    )
    for i, (_, cx, cy, clo, chi) in enumerate(cases):
        ranks = order_ranks(pooled_in_range(cx, cy, clo, chi).size)
        truth = sorted_ranks(cx, cy, clo, chi, ranks)

        def agree(values: list, truth: list = truth) -> int:
            return sum(u == v for u, v in zip(values, truth, strict=True))

        b.scatter(
            i, len(ranks), marker="_", s=400, color="black", label="ranks asked" if i == 0 else None
        )
        _dot(b, i, agree(library_order_statistics(cx, cy, clo, chi, ranks)), None)
        _cross(b, i - 0.2, agree(raw_bit_order(cx, cy, clo, chi, ranks)), None)
        for j, (marker, label, falsifier) in enumerate(wrong):
            b.scatter(
                i + 0.1 * (j + 1),
                agree(falsifier(cx, cy, clo, chi, ranks)),
                marker=marker if marker != "x" else "+",
                color="tab:red",
                s=50,
                label=f"falsifier: {label}" if i == 0 else None,
                zorder=3,
            )
    b.set_xticks(range(len(cases)), [textwrap.fill(c[0], 14) for c in cases], fontsize=7)
    b.yaxis.set_major_locator(MaxNLocator(integer=True))
    b.set(ylabel="ranks answered exactly (count)", title="every case: ranks answered exactly")
    fig.suptitle("estimate.order-statistics-radix: the radix selection is np.sort at each rank")
    finish(fig, path, ncols=4)


@in_style
def discriminator_mlp(path: Path) -> None:
    """estimate.discriminator-mlp: the fitted D against D*, and the error per seed."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, 4.6))
    z, _, d_star = mlp_grid()
    x, y = mlp_samples(0)
    a.fill_between(
        z, 0, mlp_p(z) / mlp_p(z).max(), color="tab:blue", alpha=0.12, label="p (scaled)"
    )
    a.fill_between(
        z, 0, mlp_q(z) / mlp_p(z).max(), color="tab:orange", alpha=0.12, label="q (scaled)"
    )
    a.plot(z, d_star, color="black", lw=2, label="D* = p/(p + q), exact densities")
    a.plot(z, library_mlp(x, y, 0)(z), color="tab:blue", lw=1.5, label="library: MLP's D (seed 0)")
    a.plot(
        z,
        mlp_replaced_by("quadratic")(x, y, 0)(z),
        color="tab:red",
        ls="--",
        lw=1,
        label="falsifier: quadratic logit",
    )
    a.plot(
        z,
        mlp_sizes_as_priors(x, y, 0)(z),
        color="tab:red",
        ls=":",
        lw=1.2,
        label="falsifier: sizes as priors",
    )
    a.set(xlabel="z", ylabel="D(z) (probability of P)", title="P: three modes; Q: N(0, 2^2)")
    fits = (
        ("library: MLP", library_mlp, "o"),
        ("falsifier: quadratic logit", mlp_replaced_by("quadratic"), "x"),
        ("falsifier: affine logit", mlp_replaced_by("logistic"), "+"),
        ("falsifier: sizes as priors", mlp_sizes_as_priors, "1"),
    )
    for label, fit, marker in fits:
        errors = [d_error(fit(*mlp_samples(seed), seed)) for seed in MLP_SEEDS]
        color = "tab:blue" if marker == "o" else "tab:red"
        b.scatter(MLP_SEEDS, errors, marker=marker, color=color, s=40, label=label, zorder=3)
        b.hlines(np.median(errors), -0.4, len(MLP_SEEDS) - 0.6, color=color, lw=0.8, ls="-.")
    b.axhline(MLP_D_ERROR, color="black", lw=1, label=f"check: median <= {MLP_D_ERROR}")
    b.xaxis.set_major_locator(MaxNLocator(integer=True))
    b.set(
        xlabel="seed",
        ylabel="mean |D - D*|, weighted by (p + q)/2",
        title="per seed (dash-dot: medians)",
    )
    fig.suptitle("estimate.discriminator-mlp: the MLP recovers a D* no quadratic logit reaches")
    finish(fig, path, ncols=4)


@in_style
def discriminator_result_fields(path: Path) -> None:
    """estimate.discriminator-result-fields: each fit the user's classifier saw, and the fields."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, 4.6))
    x, y = fields_samples()
    log: list[tuple[int, int, int]] = []
    reported = library_disc_fields(x, y, CountingClassifier(log))
    fits = np.arange(1, len(log) + 1)
    a.bar(
        fits - 0.18,
        [ones for ones, _, _ in log],
        width=0.36,
        color="tab:blue",
        label="points labelled 1 (x)",
    )
    a.bar(
        fits + 0.18,
        [zeros for _, zeros, _ in log],
        width=0.36,
        color="tab:orange",
        label="points labelled 0 (y)",
    )
    a.axhline(x.shape[0], color="tab:blue", ls=":", lw=1, label=f"n_x = {x.shape[0]} passed")
    a.axhline(y.shape[0], color="tab:orange", ls=":", lw=1, label=f"n_y = {y.shape[0]} passed")
    a.xaxis.set_major_locator(MaxNLocator(integer=True))
    a.yaxis.set_major_locator(MaxNLocator(integer=True))
    a.set(
        xlabel="fit (one per fold)",
        ylabel="points given to fit (count)",
        title=f"what the user's classifier saw ({FIELDS_FOLDS} folds asked)",
    )
    names = ("folds", "n_x", "n_y", "dimension")
    route = {
        "folds": len(log),
        "n_x": sum(o for o, _, _ in log) / (len(log) - 1),
        "n_y": sum(z for _, z, _ in log) / (len(log) - 1),
        "dimension": log[0][2],
    }
    at = np.arange(len(names))
    ratio = [reported[k] / route[k] for k in names]
    _square(b, at, [1.0] * len(names), "route: from the fits (= 1)")
    _dot(b, at, ratio, "library: reported / route")
    swapped = sizes_swapped(x, y, CountingClassifier([]))
    _cross(b, at, [swapped[k] / route[k] for k in names], "falsifier: sizes swapped")
    default = folds_default(x, y, CountingClassifier([]))
    b.scatter(
        at + 0.08,
        [default[k] / route[k] for k in names],
        marker="+",
        s=80,
        color="tab:red",
        label="falsifier: default folds reported",
        zorder=3,
    )
    unnamed = object_unnamed(x, y, CountingClassifier([]))["classifier"]
    b.set_xticks(at, names)
    b.set(
        ylabel="reported field / route",
        title=f"classifier reported: '{reported['classifier']}' (falsifier: '{unnamed}')",
    )
    fig.suptitle("estimate.discriminator-result-fields: the result says what it was computed with")
    finish(fig, path, ncols=4)


@in_style
def knn_dequantize(path: Path) -> None:
    """estimate.knn-dequantize-seeded and -reported: calls with one seed, and the steps."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, 4.6), gridspec_kw={"width_ratios": (3, 2)})
    x, y = deq_samples()
    first, other = DEQ_SEEDS
    labels = []
    for i, (name, (form, make)) in enumerate(
        (n, f) for n in DEQ_ESTIMATORS for f in seed_forms().items()
    ):
        labels.append(f"{name}\nseed {first} as {form}")
        once = library_dequantized_estimate(name, x, y, make(first))
        again = library_dequantized_estimate(name, x, y, make(first))
        changed = library_dequantized_estimate(name, x, y, make(other))
        _square(a, i - 0.2, once, "first call" if i == 0 else None)
        _dot(a, i - 0.2, again, "library: second call, same seed" if i == 0 else None)
        a.scatter(
            i + 0.2,
            changed,
            marker="D",
            color="tab:green",
            s=30,
            zorder=3,
            label=f"library: seed {other}" if i == 0 else None,
        )
        fresh = [noise_fresh_entropy(name, x, y, make(first)) for _ in range(2)]
        _cross(
            a,
            [i - 0.05, i + 0.05],
            fresh,
            "falsifier: fresh entropy, two calls" if i == 0 else None,
        )
        fixed = [noise_seed_ignored(name, x, y, make(seed)) for seed in DEQ_SEEDS]
        a.scatter(
            [i + 0.3] * len(fixed),
            fixed,
            marker="+",
            color="tab:red",
            s=60,
            zorder=3,
            label=f"falsifier: fixed stream, seeds {first} and {other} (one value)"
            if i == 0
            else None,
        )
    a.set_xticks(range(len(labels)), labels, fontsize=8)
    a.set(
        ylabel="estimate (nats)", title="400 + 400 points on the grid of steps (1, 1/4), repeated"
    )
    cases = steps_cases()
    grid_x, grid_y, route = cases[0][1], cases[0][2], cases[0][3]
    coordinates = np.arange(len(route))
    _square(b, coordinates, route, "route: smallest gap of the pooled values")
    _dot(b, coordinates, library_reported_steps("kl_knn", grid_x, grid_y), "library: dequantized")
    _cross(b, coordinates, steps_of_x("kl_knn", grid_x, grid_y), "falsifier: x's own steps")
    b.scatter(
        coordinates + 0.08,
        steps_of_first("kl_knn", grid_x, grid_y),
        marker="+",
        color="tab:red",
        s=60,
        zorder=3,
        label="falsifier: first coordinate's step",
    )
    nothing = [
        library_reported_steps("kl_knn", cx, cy) for _, cx, cy, route in cases if route is None
    ]
    b.set_xticks(coordinates, [f"coordinate {j}" for j in coordinates])
    b.set(
        ylabel="grid step",
        ylim=(0, 1.15),
        title=f"kl_knn's steps; continuous, distinct: {nothing[0]}, {nothing[1]}",
    )
    fig.suptitle("estimate.knn-dequantize-seeded and -reported: seeded noise, reported steps")
    finish(fig, path, ncols=4)


@in_style
def knn_grid_detection(path: Path) -> None:
    """estimate.knn-grid-detection: each case's verdict, and why the tolerance must widen."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(14, 5.2), gridspec_kw={"width_ratios": (3, 2)})
    cases = grid_cases()

    def verdict(answer: Any, step: Any) -> int:
        if answer == REFUSED:
            return 0
        if step != REFUSED and abs(float(answer) - step) <= 1e-4 * step:
            return 2
        return 1

    wrong = (
        ("fixed tolerance 1e-6", own_grid(fixed_tolerance=True), "x"),
        ("no span bound", own_grid(span_bound=False), "+"),
        ("first gap as the step", own_grid(first_gap=True), "1"),
        ("gaps not tested", own_grid(untested=True), "2"),
        ("span as last + first", own_grid(span_sum=True), "3"),
    )
    for i, (_, x, y, step) in enumerate(cases):
        first = i == 0
        _square(a, i, verdict(step, step), "construction" if first else None)
        _dot(a, i, verdict(library_grid(x, y), step), "library: kl_knn" if first else None)
        for j, (label, detect, marker) in enumerate(wrong):
            a.scatter(
                i + 0.1 * (j + 1),
                verdict(detect(x, y), step),
                marker=marker,
                s=60,
                color="tab:red",
                zorder=3,
                label=f"falsifier: {label}" if first else None,
            )
    a.set_yticks(
        [0, 1, 2], ["refused (ties error)", "dequantized, another step", "dequantized, its step"]
    )
    a.set_xticks(
        range(len(cases)), [textwrap.fill(c[0].split(" (")[0], 16) for c in cases], fontsize=7
    )
    a.set(ylim=(-0.5, 2.5), title="verdict per case (each repeats values)")
    _, x, y, step = cases[1]
    values = np.unique(np.concatenate([x, y]))
    gaps = np.diff(values)
    off = np.abs(gaps / gaps.min() - np.rint(gaps / gaps.min()))
    b.hist(
        np.log10(np.maximum(off, 1e-12)), bins=40, color="0.6", label="gaps between distinct values"
    )
    widened = min(1e-3, max(1e-6, 2.0**-20 * float(np.max(np.abs(values))) / float(gaps.min())))
    b.axvline(np.log10(1e-6), color="tab:red", ls="--", label="fixed tolerance 1e-6 (falsifier)")
    b.axvline(
        np.log10(widened), color="tab:blue", label="the library's, widened with the values' size"
    )
    b.yaxis.set_major_locator(MaxNLocator(integer=True))
    b.set(
        xlabel="log10 distance of gap / smallest gap from a whole number (1e-12 floor)",
        ylabel="gaps (count)",
        title="one decimal near 100, rounded to float32",
    )
    fig.suptitle("estimate.knn-grid-detection: dequantized exactly where x and y share a grid")
    finish(fig, path, ncols=4)


@in_style
def knn_ties_raise(path: Path) -> None:
    """estimate.knn-ties-raise: each case's answer with ties='raise', and the falsifiers'."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(14, 5.2))
    cases = ties_raise_cases()

    def verdict(answer: Any, route: Any) -> int:
        if isinstance(answer, str):
            return 0
        if isinstance(route, str):
            return 1
        found, expected = np.asarray(answer, dtype=float), np.asarray(route, dtype=float)
        if found.shape == expected.shape and bool(np.all(np.abs(found - expected) <= 1e-12)):
            return 2
        return 1

    wrong = (
        ("zeros looked for across the samples only", ties_checked(("cross",)), "x"),
        ("zeros looked for within the samples only", ties_checked(("own",)), "+"),
        ("every repeated point refused", ties_checked(("values", "own", "cross")), "1"),
    )
    for i, (name, _, x, y, refused) in enumerate(cases):
        first = i == 0
        route = TIES_REFUSED if refused else own_knn(name, x, y)
        _square(
            ax, i, verdict(route, route), "the construction (scipy k-d tree)" if first else None
        )
        _dot(
            ax,
            i,
            verdict(library_ties_raise(name, x, y), route),
            "library, ties='raise'" if first else None,
        )
        for j, (label, estimate, marker) in enumerate(wrong):
            ax.scatter(
                i + 0.1 * (j + 1),
                verdict(estimate(name, x, y), route),
                marker=marker,
                s=60,
                color="tab:red",
                zorder=3,
                label=f"falsifier: {label}" if first else None,
            )
    ax.set_yticks(
        [0, 1, 2],
        [
            "refused (ValueError)",
            "a number from log 0 (+-inf)\nor the wrong refusal",
            "the estimate",
        ],
    )
    labels = [textwrap.fill(f"{name}: {case.split(':')[0]}", 18) for name, case, *_ in cases]
    ax.set_xticks(range(len(cases)), labels, fontsize=7)
    ax.set(ylim=(-0.5, 2.5), title="copies of one point planted in continuous 2-D samples of 300")
    fig.suptitle("estimate.knn-ties-raise: refused exactly where a used distance is 0")
    finish(fig, path, ncols=3)


#: The routes of estimate.zero-width-sturges the figure shows (the others give the same edges).
ROUTES_SHOWN = ("js_from_samples", "batch of 3 pairs")


@in_style
def zero_width_sturges(path: Path) -> None:
    """estimate.zero-width-sturges: the counts of a zero fd width, library against numpy."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(12, 4.6))
    cases = [c for c in zero_width_cases(np.random.default_rng(1926)) if c[4] in ROUTES_SHOWN]
    at = np.arange(len(cases))

    def counts(edges_of: Callable[..., np.ndarray]) -> list[float]:
        out = []
        for _, x, y, r, route in cases:
            try:
                out.append(float(edges_of(x, y, r, route).shape[-1] - 1))
            except ValueError:  # numpy refuses more bins than a subnormal range holds
                out.append(math.nan)
        return out

    _cross(ax, at, counts(numpy_fd_edges), "falsifier: numpy's fd (one bin)")
    half = counts(half_sqrt_width_edges)
    _cross(ax, at, half, "falsifier: half the sqrt width", color="tab:orange")
    _cross(ax, at, counts(sturges_of_x_edges), "falsifier: sturges of x alone", color="tab:purple")
    _cross(
        ax,
        at,
        counts(sturges_count_always_edges),
        "falsifier: sturges' count where its width underflows",
        color="tab:brown",
    )
    _square(ax, at, counts(numpy_sturges_edges), "own route: numpy's sturges, pooled")
    _dot(ax, at, counts(library_fd_edges), 'library: bins="fd"')
    labels = [
        textwrap.fill(f"{label.split(',')[-1 if label.startswith('float') else 0]}", 18)
        + ("\nrange" if r is not None else "")
        for label, _, _, r, _ in cases
    ]
    ax.set_xticks(at, labels, fontsize=7)
    ax.set_yscale("log")
    ticks = [1, 2, 5, 10, 20, 50, 100]
    ax.set_yticks(ticks, [str(t) for t in ticks])
    ax.set(
        ylabel="bins (count)",
        title="a pooled interquartile range of 0: sturges, not one bin (one bin where sturges' "
        "width underflows)",
    )
    fig.suptitle("estimate.zero-width-sturges: the fd rule's zero width falls back to sturges")
    finish(fig, path, ncols=3)


@in_style
def kl_default_reported(path: Path) -> None:
    """estimate.kl-default-reported: the rule kl_from_samples reports, against the edges used."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(2, 1, figsize=(13, 7.2), sharex=True)
    cases = wkv_reported_cases(np.random.default_rng(1913))
    at = np.arange(len(cases))

    def said_wkv(partition_of: Callable[..., tuple[str, Any]]) -> list[int]:
        return [int(partition_of(x, y, o, r)[0] == "wkv") for _, x, y, o, r in cases]

    def bins(partition_of: Callable[..., tuple[str, Any]]) -> list[int]:
        return [np.asarray(partition_of(x, y, o, r)[1]).shape[-1] - 1 for _, x, y, o, r in cases]

    _cross(a, at, said_wkv(reported_always_wkv), "falsifier: the rule left at wkv")
    _cross(
        a,
        at,
        said_wkv(label_never_applied),
        "falsifier: the label never applied",
        color="tab:purple",
    )
    _square(a, at, [int(r == "wkv") for *_, r in cases], "own route: the regime of the case")
    _dot(a, at, said_wkv(library_kl_partition), "library: histogram.rule")
    a.set_yticks([0, 1], ["wkv -> auto (reason)", "wkv"])
    a.set(ylim=(-0.5, 1.5), title="the rule reported")
    own = [
        (wkv_partition(x, y) if r == "wkv" else auto_edges(x, y, o)).shape[-1] - 1
        for _, x, y, o, r in cases
    ]
    _cross(b, at, bins(wkv_without_tie_test), "falsifier: ties of y not tested", color="tab:orange")
    _cross(b, at, bins(wkv_count_pooled), "falsifier: k from n_x + n_y", color="tab:brown")
    _square(b, at, own, None)
    _dot(b, at, bins(library_kl_partition), None)
    b.set_yscale("log")
    ticks = [1, 2, 5, 10, 20, 50]
    b.set_yticks(ticks, [str(t) for t in ticks])
    b.set(ylabel="bins (count)", title="the edges used: WKV quantiles or numpy's auto")
    b.set_xticks(at, [textwrap.fill(label, 14) for label, *_ in cases], fontsize=7)
    fig.suptitle("estimate.kl-default-reported: kl_from_samples says which partition it used")
    finish(fig, path, ncols=3)


@in_style
def knn_js_matched_balls(path: Path) -> None:
    """estimate.knn-js-matched-balls: js_knn and wrong estimators against the Notes' estimator."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(12, 4.8))
    rng = np.random.default_rng(2005)
    route = own_matched()
    floor = 1e-17  # differences of exactly 0 drawn here
    wrong = (
        ("first block only", own_matched(blocks=False), "tab:red"),
        ("seed unused", own_matched(permuted=False), "tab:orange"),
        ("balls not matched", own_matched(matched=False), "tab:purple"),
        ("digamma(n_x + n_y)", own_matched(mixture_size="pooled"), "tab:brown"),
    )
    labels = []
    for i, (label, n, m, d, seed, ensemble, k, pairs) in enumerate(MATCHED_CASES):
        x, y = matched_samples(rng, n, m, d, pairs)
        expected = np.asarray(route(x, y, seed, ensemble, k))
        first = i == 0
        for name, estimate, color in wrong:
            gap = np.abs(np.asarray(estimate(x, y, seed, ensemble, k)) - expected).max()
            _cross(ax, i, max(gap, floor), f"falsifier: {name}" if first else None, color=color)
        gap = np.abs(np.asarray(library_matched(x, y, seed, ensemble, k)) - expected).max()
        _dot(ax, i, max(gap, floor), "library: js_knn, js_knn_batch (unclipped)" if first else None)
        labels.append(textwrap.fill(label, 14))
    ax.axhline(1e-12, color="black", lw=1, ls="--", label="tolerance, 1e-12 nats")
    ax.set_yscale("log")
    ax.set_xticks(range(len(labels)), labels, fontsize=7)
    ax.set(
        ylabel="largest |estimate - the Notes'| (nats)",
        title="js_knn to rounding; each slip off by 1e-3 nats or more where it changes anything "
        "(0 drawn at 1e-17)",
    )
    fig.suptitle(
        "estimate.knn-js-matched-balls: js_knn and js_knn_batch are the estimator of the Notes"
    )
    finish(fig, path, ncols=3)


def _ratio_figure(
    path: Path,
    rows: list[tuple[str, tuple[Any, ...]]],
    subjects: tuple[Callable[..., float], Callable[..., float], str, str],
    wrong: tuple[tuple[str, Callable[..., float], str], ...],
    titles: tuple[str, str],
) -> None:
    """Each case's value over the route's: the library (dot), the route (1), falsifiers (x).

    ``rows`` are (tick label, arguments); ``subjects`` the library, the route and their labels.
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(11, 4.6))
    library, route, library_label, route_label = subjects
    for i, (_, args) in enumerate(rows):
        expected = route(*args)
        first = i == 0
        for what, estimate, color in wrong:
            label = f"falsifier: {what}" if first else None
            _cross(ax, i, estimate(*args) / expected, label, color=color)
        _square(ax, i, 1.0, route_label if first else None)
        _dot(ax, i, library(*args) / expected, library_label if first else None)
    ax.set_xticks(range(len(rows)), [label for label, _ in rows], fontsize=8)
    ax.set(ylabel="standard error / the route's", title=titles[1])
    fig.suptitle(titles[0])
    finish(fig, path, ncols=3)


@in_style
def knn_jackknife(path: Path) -> None:
    """estimate.knn-jackknife: the reported standard errors against the jackknife and slips."""
    rng = np.random.default_rng(1999)
    rows = []
    for label, name, n, m, d, seed in JACKKNIFE_CASES:
        x, y = matched_samples(rng, n, m, d)
        rows.append((textwrap.fill(label, 16), (name, x, y, seed)))
    _ratio_figure(
        path,
        rows,
        (
            library_knn_se,
            own_knn_se(),
            "library: standard_error (ci=0.95)",
            "own route: the jackknife of the Notes",
        ),
        (
            ("groups in input order", own_knn_se(shuffled=False), "tab:red"),
            ("groups of x only", own_knn_se(both=False), "tab:orange"),
            ("the replicates' sd", own_knn_se(spread="sd"), "tab:purple"),
        ),
        (
            "estimate.knn-jackknife: the kNN intervals' standard error",
            "the delete-a-group jackknife, G = 10, seeded groups of both samples",
        ),
    )


@in_style
def discriminator_fixed_se(path: Path) -> None:
    """estimate.discriminator-fixed-se: a fixed D's standard error against the two means'."""
    rng = np.random.default_rng(2014)
    rows = []
    for n, m, base in FIXED_SE_CASES:
        x, y = fixed_se_samples(rng, n, m)
        if min(n, m) > 1:  # one point: an infinite standard error, no ratio to draw
            rows.append((f"{n} + {m}, base {base or 'e'}", (x, y, base)))
    _ratio_figure(
        path,
        rows,
        (library_fixed_se, own_fixed_se(), "library", "own route: two independent means"),
        (
            ("population variances", own_fixed_se(ddof=0), "tab:red"),
            ("pooled terms", own_fixed_se(pooled=True), "tab:orange"),
            ("halves dropped", own_fixed_se(half=1.0), "tab:purple"),
        ),
        (
            "estimate.discriminator-fixed-se: a fixed D's standard error",
            "D = D* of N(0, 1) against N(1, 1.5^2) (40 + 1, infinite, not drawn)",
        ),
    )


def _reported_figure(
    path: Path,
    claim_id: str,
    fields: tuple[str, ...],
    wrong: tuple[tuple[str, Any, str], ...],
    title: str,
) -> None:
    """A claim on reported options: each call's ``fields`` against the call, and the slips."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8.0 + 1.2 * len(fields), 5.2))
    rng = np.random.default_rng(2013)

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, tuple | list) and isinstance(b, tuple | list):
            return len(a) == len(b) and all(abs(u - v) <= 1e-12 for u, v in zip(a, b, strict=True))
        if b == "a number":
            return a is not None
        return a == b

    labels, absent = [], False
    for i, (label, name, n, m, d, options) in enumerate(REPORTED_CASES):
        x, y = matched_samples(rng, n, m, d)
        expected = own_reported(name, x, y, options)
        got = library_reported(name, x, y, options)
        for j, field in enumerate(fields):
            if field not in expected:
                ax.plot(j, i, "s", ms=14, color="0.9")
                absent = True
                continue
            ok = same(got[field], expected[field])
            _dot(ax, j, i, None, color="tab:blue" if ok else "black")
            for k, (_, report, color) in enumerate(wrong):
                if not same(report(name, x, y, options)[field], expected[field]):
                    _cross(ax, j + 0.12 * (k + 1), i, None, color=color)
        labels.append(label)
    for what, _, color in wrong:
        _cross(ax, [], [], f"falsifier: {what} (where it errs)", color=color)
    _dot(ax, [], [], "library: as the call asked (documented defaults)")
    if absent:
        ax.plot([], [], "s", ms=10, color="0.9", label="not a field of this estimate")
    ax.set_xticks(range(len(fields)), fields)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set(xlim=(-0.5, len(fields) - 0.2), title="the field(s) an estimate reports about its run")
    fig.suptitle(f"{claim_id}: {title}")
    finish(fig, path, ncols=1)


@in_style
def knn_seed_reported(path: Path) -> None:
    """estimate.knn-seed-reported: the seed given where something was random, else None."""
    _reported_figure(
        path,
        "estimate.knn-seed-reported",
        ("seed",),
        (
            ("seed echoed", reported_with(seed_echoed=True), "tab:red"),
            ("seed only with an interval", reported_with(seed_with_interval=True), "tab:orange"),
        ),
        "the seed where something was random, None where nothing was",
    )


@in_style
def knn_interval_reported(path: Path) -> None:
    """estimate.knn-interval-reported: the level asked for, a standard error only with it."""
    _reported_figure(
        path,
        "estimate.knn-interval-reported",
        ("ci_level", "standard_error"),
        (
            ("interval defaults", reported_with(interval_defaults=True), "tab:brown"),
            ("level as alpha", reported_with(level_as_alpha=True), "tab:red"),
        ),
        "the interval's level, and a standard error exactly with one",
    )


@in_style
def knn_ensemble_reported(path: Path) -> None:
    """estimate.knn-ensemble-reported: the documented orders and least-norm weights."""
    _reported_figure(
        path,
        "estimate.knn-ensemble-reported",
        ("bias_correction", "orders", "weights"),
        (
            ("first order only", reported_with(first_order=True), "tab:orange"),
            ("equal weights", reported_with(equal_weights=True), "tab:red"),
        ),
        "the orders and weights of the value",
    )


@in_style
def knn_base_reported(path: Path) -> None:
    """estimate.knn-base-reported: the base asked for, None for nats."""
    _reported_figure(
        path,
        "estimate.knn-base-reported",
        ("base",),
        (
            ("base dropped", reported_with(base_dropped=True), "tab:purple"),
            ("nats as e", reported_with(base_as_e=True), "tab:red"),
        ),
        "the logarithm base asked for, None for nats",
    )


@in_style
def discriminator_penalised_fit(path: Path) -> None:
    """estimate.discriminator-penalised-fit: the returned logit against Newton's fits."""
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(12.5, 4.8), width_ratios=(1, 1.3))
    rng = np.random.default_rng(2016)
    route = own_penalised()
    wrong = (
        ("intercept penalised", own_penalised(intercept_penalised=True), "tab:red"),
        ("half the penalty", own_penalised(penalty=PENALTY / 2), "tab:orange"),
        ("standardised by x and y whole", own_penalised(standardise_on="all"), "tab:purple"),
    )
    labels = []
    for i, (label, kind, n, m, d, folds, seed) in enumerate(PENALISED_CASES):
        x, y, grid = penalised_samples(rng, n, m, d)
        points = np.concatenate([grid, x, y])
        expected = np.asarray(route(kind, x, y, folds, seed)(points))
        scale = float(np.max(np.abs(expected)))
        first = i == 0
        for what, fit, color in wrong:
            gap = float(np.max(np.abs(fit(kind, x, y, folds, seed)(points) - expected)))
            _cross(b, i, gap / scale, f"falsifier: {what}" if first else None, color=color)
        got = np.asarray(library_penalised(kind, x, y, folds, seed)(points))
        gap = float(np.max(np.abs(got - expected)))
        _dot(
            b,
            i,
            max(gap / scale, 1e-17),
            "library: js_discriminator(...).discriminator" if first else None,
        )
        labels.append(textwrap.fill(label, 14))
        if d == 1:  # the 1-D case along z: each logit's distance from Newton's
            z = np.linspace(-4.0, 4.0, 161)[:, None]
            own = np.asarray(route(kind, x, y, folds, seed)(z))
            for _, fit, color in wrong:
                a.plot(z[:, 0], np.abs(fit(kind, x, y, folds, seed)(z) - own), color=color, lw=1.5)
            lib = np.abs(np.asarray(library_penalised(kind, x, y, folds, seed)(z)) - own)
            a.plot(z[:, 0], np.maximum(lib, 1e-17), color="tab:blue", lw=1.5)
            a.set_yscale("log")
            a.set(
                xlabel="z (the point D is read at)",
                ylabel="|logit - Newton's logit|",
                title=textwrap.fill(f"{label}: along z (library blue)", 44),
            )
    b.axhline(1e-6, color="black", lw=1, ls="--", label="tolerance, 1e-6 of the largest logit")
    b.set_yscale("log")
    b.set_xticks(range(len(labels)), labels, fontsize=7)
    b.set(ylabel="largest |logit - Newton's| / largest |logit|", title="every case")
    fig.suptitle(
        "estimate.discriminator-penalised-fit: the fitted D minimises the documented penalised loss"
    )
    finish(fig, path, ncols=3)


FIGURES: dict[str, Callable[[Path], None]] = {
    "quantile_bins.png": quantile_bins,
    "rule_cap.png": rule_cap,
    "wkv_ties_fallback.png": wkv_ties_fallback,
    "knn_scale_invariance.png": knn_scale_invariance,
    "knn_js_batch_range.png": knn_js_batch_range,
    "discriminator_standard_error.png": discriminator_standard_error,
    "miller_madow_kl.png": miller_madow_kl,
    "bootstrap_seeded.png": bootstrap_seeded,
    "discriminator_returned.png": discriminator_returned,
    "order_statistics_radix.png": order_statistics_radix,
    "discriminator_mlp.png": discriminator_mlp,
    "discriminator_result_fields.png": discriminator_result_fields,
    "knn_dequantize.png": knn_dequantize,
    "knn_grid_detection.png": knn_grid_detection,
    "knn_ties_raise.png": knn_ties_raise,
    "zero_width_sturges.png": zero_width_sturges,
    "kl_default_reported.png": kl_default_reported,
    "knn_js_matched_balls.png": knn_js_matched_balls,
    "knn_jackknife.png": knn_jackknife,
    "discriminator_fixed_se.png": discriminator_fixed_se,
    "knn_seed_reported.png": knn_seed_reported,
    "knn_interval_reported.png": knn_interval_reported,
    "knn_ensemble_reported.png": knn_ensemble_reported,
    "knn_base_reported.png": knn_base_reported,
    "discriminator_penalised_fit.png": discriminator_penalised_fit,
}

r"""Claims on estimator paths no other claim read: equal-mass bins, the cap, scale, seeds.

The sampled mutation run of the estimators scope (docs/mutation.md) left these paths without a
claim: the equal-mass rule ``bins="quantile"`` (its bin count from the sizes, its pooled
quantiles); what the bin rules do when they ask for more bins than the cap (one pair: the
equal-mass rule; a batch: a count from its size); the default KL bins on tied data; the kNN
estimators' rescaling by a power of two that keeps their distances finite over the whole float
range; ``js_knn_batch``'s clip and its pairs' seeds; the discriminator estimate's standard
error. Each claim reaches its answer by a route of its own (``proofs/paths_3_routes.py``:
numpy's quantiles and percentiles, the chi-square test's second-order coefficients, scipy's
k-d tree on data at scale one, ``js_knn`` pair by pair with seeds from ``SeedSequence``, the
spread of seeded replicates) and ships plausible wrong implementations as falsifiers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

import divergences as dv
from divergences.claims import claim, expect, tally

from .paths_3_routes import (
    BOOT_N,
    BOOT_SEEDS,
    DEQ_ESTIMATORS,
    DEQ_SEEDS,
    DISC_REPLICATES,
    DISC_SIZES,
    FIELDS_FOLDS,
    FIXED_SE_CASES,
    GENERATOR_SEED,
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
    TIES_K,
    TIES_REFUSED,
    WKV_REASONS,
    CountingClassifier,
    auto_edges,
    batch_clipped_below_only,
    batch_clipped_in_nats,
    batch_common_exponent,
    batch_edges_with,
    batch_seeds_as,
    boot_default_count,
    boot_fresh_entropy,
    boot_samples,
    boot_shared_generator,
    bucket_overflows,
    capped_uniform_edges,
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
    library_batch_default,
    library_batch_edges,
    library_batch_seeded,
    library_boot,
    library_default_kl_edges,
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
    library_quantile_edges,
    library_reported,
    library_reported_steps,
    library_rule_edges,
    library_scaled,
    library_ties_raise,
    matched_samples,
    mixed_grid_batch,
    mlp_replaced_by,
    mlp_samples,
    mlp_sizes_as_priors,
    mm_histograms,
    mm_truth,
    noise_fresh_entropy,
    noise_seed_ignored,
    noise_seeded_once,
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
    own_quantile_edges,
    own_reported,
    penalised_samples,
    plugin_kl_minus,
    pooled_in_range,
    pooled_quartile_gap,
    quantile_cases,
    quantile_stride,
    range_ignored,
    ranks_from_one,
    ratio_sum,
    raw_bit_order,
    raw_tree_scaled,
    reported_always_wkv,
    reported_as_numpy,
    reported_with,
    require,
    roots_drawn_per_pair,
    roots_of,
    second_order_size,
    seed_forms,
    sizes_swapped,
    sorted_ranks,
    steps_cases,
    steps_empty_when_none,
    steps_of_first,
    steps_of_x,
    sturges_count_always_edges,
    sturges_edges,
    sturges_of_x_edges,
    ties_cases,
    ties_checked,
    ties_collapsed,
    ties_raise_cases,
    trimmed_rule_edges,
    wkv_count_pooled,
    wkv_kl_own,
    wkv_partition,
    wkv_range_ignored,
    wkv_reported_cases,
    wkv_without_tie_test,
    x_counted_only,
    zero_width_cases,
)
from .tolerances import Z_SCORE


def expect_edges(got: np.ndarray, candidates: list[np.ndarray], message: str, repro: str) -> None:
    """Assert that the edges equal one of the candidates element for element (shape included)."""
    expect(
        any(got.shape == e.shape and bool(np.array_equal(got, e)) for e in candidates),
        message,
        observed=f"shape {got.shape}: {got.ravel()[:3]}...",
        expected=" or ".join(f"shape {e.shape}: {e.ravel()[:3]}..." for e in candidates),
        repro=repro,
    )


@claim(
    "estimate.quantile-bins",
    statement=(
        'With `bins="quantile"` the binned estimators\' edges are the ends of the range (the '
        "pooled minimum and maximum, or the `range` given) and, between them, the pooled "
        r"in-range values' quantiles at $i/K$ (numpy's default interpolation), tied quantiles "
        "merged (every value equal, without a range: numpy's single bin around it), "
        r"with $K = \lceil 2 m^{1/3} \rceil$, $m$ the pooled size of the equal-size "
        "design with the same second-order chi-square error: the pooled size for equal sizes, "
        "fewer for unequal ones, the other sample's size where one has no value in the range "
        "(a pair `histogram_pair` bins and the estimators refuse) (above $2^{20}$ pooled "
        "values, the quantiles and m of an evenly strided subsample of each sample)."
    ),
    source="numpy.quantile; Cochran (1954); Williams (1976)",
    locator=(
        "histogram_pair's docstring (bins='quantile'), js_test's Notes (second order, and "
        "unequal sizes)"
    ),
    check=(
        "Seeded normal samples of 200 + 200, 200 + 4000 and 4000 + 200 values, lognormal "
        "1500 + 700, Poisson(3) 500 + 800 (tied quantiles), normal 100 + 150 (2 m^(1/3) = "
        "12.11, K = 13), 1 + 150 and 150 + 1, 40 + 60 values all 2.75 (numpy's "
        "`np.histogram_bin_edges(values, 1)`, [2.25, 3.25]), and normal 3000 + 600 with the range "
        r"(-1, 1.5): $m = 1/(2(A - B))$ from the coefficients "
        r"$A = (8u^4 + 8v^4 - (u - v)^4)/(8 n u v)$, $B = (u - v)^2/(2 n u v)$ of the "
        r"statistic's mean ($u, v$ the in-range sizes over their sum $n$), "
        r"$K = \lceil 2 m^{1/3} \rceil$, and the edges from `np.quantile` of the concatenated "
        "in-range values and `np.unique` (with no value in the range, 50 + 50 values and the "
        "range (100, 200): $m = 0$, $K = 0$, the range's ends alone; with x's 50 shifted out "
        "of the range (0.5, 1.5), m the number of y's 600 inside it); the library's edges "
        '(`histogram_pair(x, y, bins="quantile", range=...)`, the binned estimators\' '
        "histogram) must equal them element for "
        "element; above $2^{20}$ pooled values (700,001 + 500,003) the quantiles and m of "
        r"every s-th value of each sample, $s = \lceil n / 2^{20} \rceil$, m times s."
    ),
    subject=library_quantile_edges,
    figure="quantile_bins.png",
    falsifiers=[
        (
            r"$K$ from the pooled size $n_x + n_y$ whatever the sizes",
            own_quantile_edges(pooled_size=True),
        ),
        (
            "the quantiles and the size of the values outside the range too (the range only "
            "sets the ends)",
            own_quantile_edges(ignore_range=True),
        ),
        (
            "each sample's quantile function averaged, not the pooled sample's",
            own_quantile_edges(per_sample=True),
        ),
        (
            "one sample with no value in the range: the balanced size of 0 and n, 0 (no "
            "quantile between the range's ends)",
            own_quantile_edges(balanced_when_alone=True),
        ),
        (
            "every value equal: the ends and quantiles merged into one edge at the value",
            own_quantile_edges(single_edge=True),
        ),
    ],
)
def test_quantile_bins(edges_of: Callable[[np.ndarray, np.ndarray, Any], np.ndarray]):
    rng = np.random.default_rng(1954)
    for label, x, y, range_ in quantile_cases(rng):
        tally()
        stride = quantile_stride(x, y)
        xs, ys = in_range(x[::stride], range_), in_range(y[::stride], range_)
        allowed = counts_allowed(second_order_size(xs.size, ys.size) * stride)
        expected = [equal_mass_edges(x, y, range_, k, stride=stride) for k in sorted(allowed)]
        got = np.asarray(edges_of(x, y, range_))
        expect_edges(got, expected, f"equal-mass edges, {label}", f"{label}, range={range_}")


@claim(
    "estimate.rule-cap-quantile",
    statement=(
        "When a bin rule asks for more bins than the documented cap, "
        r"$\min(2^{20}, \max(1024, 10 n))$ for $n$ pooled values (a far outlier), the binned "
        'estimators take the equal-mass edges of `bins="quantile"` over the pooled range '
        "instead of the rule's equal-width bins."
    ),
    source="numpy.histogram_bin_edges (the fd width); numpy.quantile",
    locator="histogram_pair's Notes (Rules: they can never explode)",
    check=(
        "Seeded normal samples of 500 + 500, 300 + 2000 and 2500 + 400 values with one or two "
        r"values at $10^7$ to $10^{12}$: the count `fd` asks for, from numpy's width "
        "formula with `np.percentile`'s quartiles, must exceed the cap (else the check stops "
        "with an error: its case is void), and the library's edges "
        "(`js_from_samples(x, y, bins='fd')`) must equal, "
        "element for element, the equal-mass edges computed as in `estimate.quantile-bins` "
        "(the balanced size, `np.quantile` of the pooled values, the pooled minimum and maximum)."
    ),
    subject=library_rule_edges,
    figure="rule_cap.png",
    falsifiers=[
        (
            "the rule's count clipped to the cap: equal-width bins over the pooled span",
            capped_uniform_edges,
        ),
        ("numpy's `sturges` edges for an oversized count", sturges_edges),
        (
            "the rule's bins over the central 99% of the pooled values, the outliers left out",
            trimmed_rule_edges,
        ),
    ],
)
def test_rule_cap_quantile(edges_of: Callable[[np.ndarray, np.ndarray, str], np.ndarray]):
    rng = np.random.default_rng(1024)
    for label, x, y in outlier_cases(rng):
        both = np.concatenate([x, y])
        tally()
        asked = fd_count(both)
        require(asked > documented_cap(both.size), f"{label}: fd asks for {asked} bins")
        allowed = counts_allowed(second_order_size(x.size, y.size))
        expected = [equal_mass_edges(x, y, None, k) for k in sorted(allowed)]
        got = np.asarray(edges_of(x, y, "fd"))
        expect_edges(got, expected, "edges of 'fd' over its cap", label)


@claim(
    "estimate.rule-cap-batch",
    statement=(
        "In a batch (`axis` given), a pair whose rule asks for more bins than the cap "
        r"$\min(2^{20}, \max(1024, 10 n))$ counts $\max(16, \lceil 2 \sqrt{n} \rceil)$ bins "
        "($n$ its pooled size), and the batch shares the largest count any pair gives, each "
        "pair binned with equal widths over its own pooled span."
    ),
    source="numpy.histogram_bin_edges (the fd width)",
    locator="histogram_pair's Notes (Rules, Batches)",
    check=(
        "Three seeded batches of 6 pairs of normal rows (300 + 200, 30 + 20 and 2000 + 2000 "
        r"values), pair 2 with one value of x at $10^9$, $-10^8$ or $10^{12}$, and one of "
        "Student t(2) rows (300 + 200, pair 2 with a value at $10^9$; there the other pairs "
        "ask for more bins than pair 2's fallback, else the check stops with an error): each "
        "pair's "
        "`fd` count from numpy's width formula with `np.percentile`'s quartiles, replaced by "
        r"$\max(16, \lceil 2 \sqrt{n} \rceil)$ where it exceeds the cap, the largest over the "
        "pairs, and each pair's edges from `np.histogram_bin_edges` of its concatenated values "
        "with that count: the library's edges (`js_from_samples(x, y, bins='fd', axis=1)`) "
        "must equal them element for element (pair 2 must exceed the cap, else the check stops "
        "with an error)."
    ),
    subject=library_batch_edges,
    figure="rule_cap.png",
    falsifiers=[
        (
            "the oversized count clipped to the cap",
            batch_edges_with(documented_cap),
        ),
        (
            r"numpy's `sqrt` count $\lceil \sqrt{n} \rceil$ for the oversized pair",
            batch_edges_with(lambda n: math.ceil(math.sqrt(n))),
        ),
        (
            "the overflowing pair's count for the whole batch, the other pairs' counts ignored",
            fallback_for_the_batch,
        ),
        (
            r"$\lceil 2 \sqrt{n} \rceil$ without the floor of 16 bins",
            batch_edges_with(lambda n: math.ceil(2.0 * math.sqrt(n))),
        ),
    ],
)
def test_rule_cap_batch(edges_of: Callable[[np.ndarray, np.ndarray], np.ndarray]):
    rng = np.random.default_rng(16)
    expected_of = batch_edges_with(documented_fallback)
    for label, x, y in outlier_batches(rng):
        tally()
        asked = fd_count(np.concatenate([x[2], y[2]]))
        require(asked > documented_cap(x.shape[1] + y.shape[1]), f"{label}: {asked} bins")
        if label.startswith("6 pairs of Student"):
            others = [fd_count(np.concatenate([a, b])) for a, b in zip(x, y, strict=True)]
            fallback = documented_fallback(x.shape[1] + y.shape[1])
            require(max(others[:2] + others[3:]) > fallback, f"{label}: {others}")
        expected = expected_of(x, y)
        got = np.asarray(edges_of(x, y))
        expect_edges(got, [expected], "the batch's edges", label)


@claim(
    "estimate.wkv-ties-fallback",
    statement=(
        "The default bins of `kl_from_samples` are numpy's `auto` bins of the pooled sample "
        r"whenever two of y's quantiles at $i / \lceil \sqrt{m} \rceil$ coincide (discrete "
        "or rounded data, where the Wang-Kulkarni-Verdú partition has empty bins), and that "
        "partition, widened to cover x, otherwise."
    ),
    source="Wang, Kulkarni & Verdú (2005); numpy.quantile; numpy.histogram_bin_edges",
    locator="kl_from_samples' docstring (bins: the default)",
    check=(
        "Seeded Poisson(3) and Poisson(3.5) samples (500 + 800: y's quantiles tie from the "
        "first edge on), N(0, 1.5²) against N(0, 1) rounded to 0.1 (3000 + 5000: ties in the "
        "middle, the first quantile is y's least value alone), the same unrounded "
        "(3000 + 2000, no ties), N(0, 0.5²) against N(0, 1) (x inside y's range) and "
        "N(1.5, 1) against N(0, 1) (beyond it on the right only; 600 + 900): y's quantiles "
        "from `np.quantile`, a tie anywhere among them, "
        "and then `np.histogram_bin_edges(np.concatenate([x, y]), 'auto')`, or the quantiles "
        "with their ends widened to x's range: the library's edges, from arrays (the fused "
        "path) and from Python lists (the general path), must equal them element for element."
    ),
    subject=library_default_kl_edges,
    figure="wkv_ties_fallback.png",
    falsifiers=[
        (
            "the tied quantiles merged (np.unique) and the partition kept",
            own_default_kl_edges(merge_ties=True),
        ),
        (
            "ties looked for against the first edge only",
            own_default_kl_edges(first_edge_only=True),
        ),
        (
            "the outer edges set to x's range, not widened to it",
            own_default_kl_edges(replace_ends=True),
        ),
    ],
)
def test_wkv_ties_fallback(edges_of: Callable[[np.ndarray, np.ndarray], np.ndarray]):
    rng = np.random.default_rng(2005)
    expected_of = own_default_kl_edges()
    for label, x, y in ties_cases(rng):
        expected = expected_of(x, y)
        # arrays take the fused path; Python lists the general one (its own WKV partition)
        for form, (fx, fy) in (("arrays", (x, y)), ("lists", (x.tolist(), y.tolist()))):
            tally()
            got = np.asarray(edges_of(fx, fy))
            expect_edges(got, [expected], f"the default KL edges ({form})", label)


@claim(
    "estimate.knn-scale-invariance",
    statement=(
        "The kNN estimators (`kl_knn`, `js_knn`, `js_knn_batch`) give the same estimate when "
        "every coordinate of both samples is multiplied by one factor c, for any c that keeps "
        "the coordinates normal floats: their distances neither overflow nor underflow."
    ),
    source="Wang, Kulkarni & Verdú (2009); IEEE 754 binary64",
    locator=(
        "IEEE T-IT 55(5) eq. (5): the estimate depends on ratios of distances; knn's "
        "scaled_by_power_of_two"
    ),
    check=(
        r"Seeded $x$: 300 points of $N(0, I_2)$, $y$: 400 of $N(0.5, 1.2^2 I_2)$; factors "
        r"$2^{-1000}, 2^{-600}, 2^{-300}, 1, 2^{300}, 2^{600}, 2^{1000}$, $3 \cdot 10^{-250}$ "
        r"and $7 \cdot 10^{250}$. `kl_knn(c x, c y, k=3)` must equal the estimate computed at "
        r"$c = 1$ with scipy's k-d tree, $\frac{d}{n}\sum_i \log\frac{\nu_3(i)}{\rho_3(i)} + "
        r"\log\frac{m}{n - 1}$, within $10^{-12}$; `js_knn(c x, c y, seed=7)` and "
        "`js_knn_batch` of two pairs of rows, both scaled and the first alone, must equal "
        "their values at $c = 1$ (which `estimate.knn-js` checks against the truth) within "
        "$10^{-12}$."
    ),
    subject=library_scaled,
    figure="knn_scale_invariance.png",
    falsifiers=[
        (
            "the k-d tree on the raw coordinates: squared distances overflow above about "
            r"$10^{154}$ and underflow below $10^{-154}$",
            raw_tree_scaled,
        ),
        (
            "each sample rescaled by the power of two of its own largest coordinate",
            each_own_exponent,
        ),
        (
            "a batch rescaled by one power of two, its largest coordinate's, not each pair's",
            batch_common_exponent,
        ),
    ],
)
def test_knn_scale_invariance(estimate: Callable[..., tuple[float, float, np.ndarray]]):
    x, y = knn_scale_samples(np.random.default_rng(2009))
    kl_truth = wkv_kl_own(x, y, SCALE_K)
    _, js_one, batch_one, _ = library_scaled(x, y, 1.0)
    for c in SCALES:
        tally()
        kl, js, batch, mixed = estimate(x, y, c)
        where = f"c = {c:.3g}"
        expect(
            abs(kl - kl_truth) <= 1e-12,
            "kl_knn of the scaled samples",
            observed=kl,
            expected=f"{kl_truth} +- 1e-12",
            repro=where,
        )
        expect(
            abs(js - js_one) <= 1e-12,
            "js_knn of the scaled samples",
            observed=js,
            expected=f"{js_one} +- 1e-12",
            repro=where,
        )
        expect(
            batch.shape == batch_one.shape and bool(np.all(np.abs(batch - batch_one) <= 1e-12)),
            "js_knn_batch of the scaled samples",
            observed=batch,
            expected=f"{batch_one} +- 1e-12",
            repro=where,
        )
        expect(
            mixed.shape == batch_one.shape and bool(np.all(np.abs(mixed - batch_one) <= 1e-12)),
            "js_knn_batch with only the first pair scaled",
            observed=mixed,
            expected=f"{batch_one} +- 1e-12",
            repro=where,
        )


@claim(
    "estimate.knn-js-batch-range",
    statement=(
        "By default `js_knn_batch` returns, pair by pair, the value `js_knn` returns for that "
        r"pair alone: within $[0, \log 2]$ (one bit in base 2), where sampling error puts "
        "the estimator's realisation below 0 for equal laws and above the bound for disjoint "
        "ones."
    ),
    source="Lin (1991): 0 <= JSD <= log 2",
    locator="IEEE T-IT 37(1) Theorem 1 (bound); js_knn_batch's docstring (clip)",
    check=(
        "Seeded batch of 20 pairs of 200 + 200 points in 2-D, ten with $P = Q = N(0, I_2)$ "
        "and ten with $Q$ shifted by 60 in each coordinate (disjoint in practice), a "
        "batch of one of the disjoint pairs and one of no pair, in nats and in base 2: each "
        "value of "
        "`js_knn_batch(x, y, base=...)` must equal "
        "`js_knn(x[b], y[b], base=...)` within $10^{-12}$, and the batch's unclipped value "
        r"(`clip=False`) clipped to $[0, \log 2 / \log b]$ likewise; the check also asks that some "
        "pair's unclipped value (`clip=False`) lies below 0 and some above the bound (else it "
        "stops with an error: its case is void)."
    ),
    subject=library_batch_default,
    figure="knn_js_batch_range.png",
    falsifiers=[
        ("the values clipped at 0 only", batch_clipped_below_only),
        (r"clipped to $[0, \log 2]$ in nats whatever the base", batch_clipped_in_nats),
    ],
)
def test_knn_js_batch_range(estimate: Callable[..., np.ndarray]):
    x, y = clip_batches(np.random.default_rng(1989))
    # the 20 pairs, and a batch of one of them (a disjoint pair)
    batches = (("20 pairs", x, y), ("one pair", x[10:11], y[10:11]), ("no pair", x[:0], y[:0]))
    for label, bx, by in batches:
        for base in (None, 2.0):
            tally()
            bound = math.log(2.0) / (math.log(base) if base else 1.0)
            raw = np.asarray(dv.js_knn_batch(bx, by, base=base, clip=False))
            if label == "20 pairs":
                require(
                    bool((raw < 0).any() and (raw > bound).any()),
                    f"unclipped values from {raw.min():.4g} to {raw.max():.4g}, bound {bound:.4g}",
                )
            single = np.array(
                [float(dv.js_knn(a, b, base=base).value) for a, b in zip(bx, by, strict=True)]
            )
            got = np.asarray(estimate(bx, by, base))
            expect(
                got.shape == single.shape and bool(np.all(np.abs(got - single) <= 1e-12)),
                "js_knn_batch against js_knn pair by pair",
                observed=got,
                expected=single,
                repro=f"{label}, base={base}",
            )
            # the bound from the base, not from the library: log 2 / log b (one bit in base 2)
            clipped = np.minimum(np.maximum(raw, 0.0), bound)
            expect(
                got.shape == clipped.shape and bool(np.all(np.abs(got - clipped) <= 1e-12)),
                "each value its unclipped realisation clipped to [0, log 2 / log b]",
                observed=got,
                expected=clipped,
                repro=f"{label}, base={base}",
            )


@claim(
    "estimate.knn-js-batch-seeds",
    statement=(
        "`js_knn_batch(x, y, seed=s)` on pairs that repeat values on a grid gives pair b "
        r"the value of `js_knn(x[b], y[b], seed=s_b)`, $s_b$ the b-th of "
        "`SeedSequence(root).generate_state(B, uint64)`, root the integer s or one integer "
        r"drawn from s in $[0, 2^{63})$ when s is a Generator: a batch reproduces its pairs."
    ),
    source="numpy.random.SeedSequence (NEP 19); js_knn_batch's docstring (seed)",
    locator="js_knn_batch: each value is js_knn(x[b], y[b], seed=s_b)",
    check=(
        "A seeded batch of 6 pairs of 150 + 150 values on the grid of step 1/2 (every pair "
        "repeats values, so each is dequantized with noise from its seed), and one of 12 "
        "pairs of 8 + 8 points in 2-D, in turn continuous with a coordinate's value repeated "
        "(no grid: left as they are) and on a grid (its second "
        r"coordinate near $10^{13}$, where the origin must move before the noise): with the "
        "integer "
        "seed 11 and with `default_rng(5)`, the seeds from `np.random.SeedSequence(root)` "
        "(the root drawn from a fresh `default_rng(5)` for the Generator), and each pair's "
        "`js_knn(x[b], y[b], seed=s_b).unclipped`; the batch's unclipped values must equal "
        r"them within $10^{-12}$."
    ),
    subject=library_batch_seeded,
    figure="knn_js_batch_range.png",
    falsifiers=[
        (
            "pair b seeded with s + b (an integer seed; a Generator's root + b)",
            batch_seeds_as(lambda s, b: roots_of(s) + b),
        ),
        ("every pair seeded with the root itself", batch_seeds_as(lambda s, b: roots_of(s))),
        (
            "a Generator's root drawn afresh for each pair (pair b's seed from the b-th draw)",
            roots_drawn_per_pair,
        ),
    ],
)
def test_knn_js_batch_seeds(estimate: Callable[..., np.ndarray]):
    batches = (
        ("6 pairs on a grid", *grid_batch(np.random.default_rng(19))),
        ("12 pairs, continuous and on a grid", *mixed_grid_batch(np.random.default_rng(20))),
    )
    for (label, seed), (name, x, y) in itertools.product(
        (
            ("seed=11", INTEGER_SEED),
            ("seed=default_rng(5)", np.random.default_rng(GENERATOR_SEED)),
        ),
        batches,
    ):
        if not isinstance(seed, int):
            seed = np.random.default_rng(GENERATOR_SEED)  # a fresh copy for each batch
        label = f"{name}, {label}"
        tally()
        expected = own_batch_seeded(x, y, INTEGER_SEED if isinstance(seed, int) else "generator")
        got = np.asarray(estimate(x, y, seed))
        expect(
            got.shape == expected.shape and bool(np.all(np.abs(got - expected) <= 1e-12)),
            "each pair's value against js_knn with the documented seed",
            observed=got,
            expected=expected,
            repro=label,
        )


@claim(
    "estimate.discriminator-standard-error",
    statement=(
        "For a fixed discriminator, the `standard_error` of `js_discriminator` (in the base "
        "asked for) is the standard deviation of its value over independent samples."
    ),
    source="Goodfellow et al. (2014); the variance of a mean of independent terms",
    locator="js_discriminator's Notes (Interval)",
    check=(
        f"{DISC_REPLICATES} seeded replicates of x: {DISC_SIZES[0]} from N(0, 1), y: "
        f"{DISC_SIZES[1]} from N(1, 1), D the fixed $D^* = \\sigma(1/2 - z)$, in nats and in "
        "base 2: the mean reported standard error over the standard deviation of the values "
        r"must lie within $[1 - s, 1/(1 - s)]$, $s = Z / \sqrt{2(R - 1)}$ (the relative "
        r"standard error of a standard deviation from $R$ replicates, $Z = 4.42$)."
    ),
    subject=library_disc_se,
    figure="discriminator_standard_error.png",
    falsifiers=[
        (r"the standard error without the $\frac12$", own_disc_se(half=False)),
        (
            r"the terms of x and y pooled: $\sqrt{s^2/(n_x + n_y)}$, as if one sample",
            own_disc_se(pooled=True),
        ),
        ("the standard error left in nats when a base is asked for", own_disc_se(nats=True)),
    ],
)
def test_discriminator_standard_error(estimate: Callable[..., tuple[float, float]]):
    slack = Z_SCORE / math.sqrt(2 * (DISC_REPLICATES - 1))
    low, high = 1.0 - slack, 1.0 / (1.0 - slack)
    for base in (None, 2.0):
        rng = np.random.default_rng(2014)
        tally(DISC_REPLICATES)
        results = np.array(
            [
                estimate(
                    rng.normal(0.0, 1.0, DISC_SIZES[0]), rng.normal(1.0, 1.0, DISC_SIZES[1]), base
                )
                for _ in range(DISC_REPLICATES)
            ]
        )
        ratio = float(results[:, 1].mean()) / float(results[:, 0].std(ddof=1))
        expect(
            low <= ratio <= high,
            "reported standard error over the values' spread",
            observed=ratio,
            expected=f"in [{low:.3f}, {high:.3f}]",
            repro=f"base={base}",
        )


@claim(
    "estimate.knn-base",
    statement=(
        "In logarithm base b, `kl_knn` and `js_knn` return their estimate, unclipped value "
        r"and interval in nats divided by $\ln b$ and their standard error divided by "
        r"$|\ln b|$, for any base $b > 0$, $b \ne 1$ (below 1 the values change sign and the "
        "interval's ends swap)."
    ),
    source="change of logarithm base: log_b v = ln v / ln b",
    locator="kl_knn / js_knn docstrings (base)",
    check=(
        r"Seeded x: 500 points of $N(0, I_2)$, y: 400 of $N(0.5, 1.2^2 I_2)$, `ci=0.95`, "
        "`seed=3`: for bases 2, 10 and 0.5, every field of the estimate in base b times "
        r"$\ln b$ (the standard error times $|\ln b|$) must equal the same field in nats "
        "within 4 ulps (the interval's ends, compared as a sorted pair, within 4 ulps of "
        r"$|\text{unclipped}| + |\text{end} - \text{unclipped}|$: they are a difference)."
    ),
    subject=knn_fields,
    figure="knn_scale_invariance.png",
    falsifiers=[
        ("the standard error left in nats", knn_fields_with(se_in_nats=True)),
        (r"the standard error multiplied by $\ln b$, not divided", knn_fields_with(se_times=True)),
        ("the interval left in nats", knn_fields_with(interval_in_nats=True)),
    ],
)
def test_knn_base(fields_of: Callable[..., tuple[float, ...]]):
    x, y = knn_base_samples(np.random.default_rng(1948))
    for name in ("kl_knn", "js_knn"):
        nats = knn_fields(name, x, y, None)
        for base in KNN_BASES:
            tally()
            scale = np.array([1.0, 1.0, -1.0 if base < 1 else 1.0, 1.0, 1.0]) * math.log(base)
            got = np.array(fields_of(name, x, y, base)) * scale
            got[3:] = np.sort(got[3:])
            expected = np.array(nats)
            # an interval's end is unclipped -+ z se, so its rounding scales with both terms
            # (the lower end cancels digits); the other fields are one product or quotient away
            size = np.abs(expected)
            size[3:] = np.abs(nats[1]) + np.abs(expected[3:] - nats[1])
            close = np.abs(got - expected) <= 4 * np.finfo(float).eps * size
            expect(
                bool(close.all()),
                "value, unclipped value, standard error and interval times ln b",
                observed=got,
                expected=expected,
                repro=f"{name}, base={base}",
            )


@claim(
    "estimate.bias-order.miller-madow-kl",
    statement=(
        "Subtracting the two-sample first-order bias with the estimated probabilities plugged "
        r"in, $(K_P - 1)/(2 n_x) + (\sum_i \hat p_i / \hat q_i - 1)/(2 n_y)$ ($K_P$ the bins "
        r"x occupies), leaves the plug-in $KL(\hat P \| \hat Q)$ unbiased to "
        r'$O(K^2/n^2)$: `bias_correction="miller-madow"` of the KL estimators.'
    ),
    source="Miller (1955); Paninski (2003); second-order expansion of p log(p/q)",
    locator="kl_from_samples' Notes (Sampling bias)",
    check=(
        f"{MM_REPLICATES} seeded replicates of draws from two fixed laws on 10 bins "
        r"($KL = 0.7105$, $\sum_i p_i/q_i = 18.7$, so the y-side term is not the $P = Q$ one) "
        "at $n_x = 500$, $n_y = 2000$ and at $n_x = 2000$, $n_y = 500$: the mean of "
        "`kl_from_histogram(h, bias_correction='miller-madow')`'s `plugin - bias` "
        "(unclipped) must equal the exact KL within $Z$ standard errors plus $2K^2/n^2$, "
        r"$n$ the smaller size."
    ),
    subject=library_mm_kl,
    figure="miller_madow_kl.png",
    falsifiers=[
        ("no correction: the plug-in", plugin_kl_minus(lambda h: 0.0)),
        (
            r"Miller's one-sample term $(K_P - 1)/(2 n_x)$ only (Q taken as known)",
            plugin_kl_minus(lambda h: (occupied_x(h) - 1) / (2 * h.n_x)),
        ),
        (
            r"the $P = Q$ form $(K - 1)(1/n_x + 1/n_y)/2$",
            plugin_kl_minus(lambda h: (occupied_x(h) - 1) * (1 / h.n_x + 1 / h.n_y) / 2),
        ),
        (
            r"the y-side term $(\sum_i \hat p_i/\hat q_i - 1)/(2 n_y)$ only",
            plugin_kl_minus(lambda h: (ratio_sum(h) - 1) / (2 * h.n_y)),
        ),
    ],
)
def test_miller_madow_kl(corrected: Callable[[dv.HistogramPair], float]):
    truth = mm_truth()
    for n_x, n_y in MM_SIZES:
        tally(MM_REPLICATES)
        values = np.array([corrected(h) for h in mm_histograms(n_x, n_y)])
        se = float(values.std(ddof=1)) / math.sqrt(values.size)
        allowance = Z_SCORE * se + 2.0 * MM_P.size**2 / min(n_x, n_y) ** 2
        expect(
            abs(values.mean() - truth) <= allowance,
            "mean of the corrected KL",
            observed=float(values.mean()),
            expected=f"{truth} +- {allowance:.3g}",
            repro=f"n_x = {n_x}, n_y = {n_y}",
        )


@claim(
    "estimate.bootstrap-seeded",
    statement=(
        "With `ci` and a `seed`, a binned estimate's bootstrap interval is a function of the "
        "data, the options and the seed: repeated calls give the same interval to the last "
        "bit, and the result reports the seed and the replicate count it used."
    ),
    source="numpy.random.default_rng (seeded streams); js_from_samples' docstring (seed, n_boot)",
    locator="js_from_samples / kl_from_samples: seed, n_boot, ci",
    check=(
        r"Seeded x: 400 values of $N(0, 1)$, y: 300 of $N(0.5, 1)$, equal-mass bins, `ci=0.9`, "
        f"`n_boot={BOOT_N}`; `js_from_samples` and `kl_from_samples` with "
        f"seeds {BOOT_SEEDS[0]} to {BOOT_SEEDS[-1]}, each called twice in turn with the other "
        "seeds between: both calls' intervals must be equal, the reported seed the one given "
        "and the reported `n_boot` the one asked for; the six seeds' intervals must not all "
        "coincide (else the seed reaches nothing)."
    ),
    subject=library_boot,
    figure="bootstrap_seeded.png",
    falsifiers=[
        ("the seed ignored: replicates from fresh entropy", boot_fresh_entropy),
        ("one generator seeded at the first call and reused by the next", boot_shared_generator),
        ("the replicate count reported as the default 1000", boot_default_count),
    ],
)
def test_bootstrap_seeded(estimate: Callable[..., tuple[Any, ...]]):
    x, y = boot_samples(np.random.default_rng(1979))
    for name in ("js", "kl"):
        tally(2 * len(BOOT_SEEDS))
        first = [estimate(x, y, name, seed) for seed in BOOT_SEEDS]
        second = [estimate(x, y, name, seed) for seed in BOOT_SEEDS]
        for seed, a, b in zip(BOOT_SEEDS, first, second, strict=True):
            expect(
                a[0] == b[0] and a[1] == b[1] == BOOT_N and a[2] == b[2] == seed,
                "the same interval, n_boot and seed from the same seed",
                observed=(a, b),
                expected=f"equal intervals, n_boot {BOOT_N}, seed {seed}",
                repro=f"{name}, seed={seed}",
            )
        require(len({a[0] for a in first}) > 1, f"{name}: every seed gave the same interval")


@claim(
    "estimate.discriminator-returned",
    statement=(
        "`js_discriminator`'s `discriminator` is the D its bound was computed with: for a "
        r"fixed discriminator, $\frac12 \overline{\log 2D(x_i)} + "
        r"\frac12 \overline{\log 2(1 - D(y_j))}$ evaluated with the returned D on the same "
        "samples is the reported bound."
    ),
    source="Goodfellow et al. (2014), Theorem 1 (the bound of a discriminator)",
    locator="js_discriminator's docstring (Returns: discriminator)",
    check=(
        r"Seeded x: 500 values of $N(0, 1)$, y: 700 of $N(1, 1)$; the fixed "
        r"$D = \sigma(1/2 + s - z)$ for $s = 0$ ($D^*$), $0.7$ and $-1.5$: the bound computed "
        "with numpy from the returned discriminator's outputs on x and y must equal the "
        r"reported value within $10^{-12}$."
    ),
    subject=library_disc_returned,
    figure="discriminator_returned.png",
    falsifiers=[
        (
            "the returned discriminator answers the probability of y, 1 - D",
            disc_returned_as(lambda d: 1.0 - d),
        ),
        (
            "the returned discriminator answers the logit, not the probability",
            disc_returned_as(lambda d: np.log(d) - np.log1p(-d)),
        ),
    ],
)
def test_discriminator_returned(estimate: Callable[..., tuple[float, Any]]):
    x, y = disc_samples(np.random.default_rng(2014))
    for shift in (0.0, 0.7, -1.5):
        tally()
        value, returned = estimate(x, y, shift)
        with np.errstate(divide="ignore", invalid="ignore"):
            dx, dy = np.asarray(returned(x)), np.asarray(returned(y))
            bound = 0.5 * float(np.mean(np.log(2.0 * dx))) + 0.5 * float(
                np.mean(np.log(2.0 * (1.0 - dy)))
            )
        expect(
            abs(bound - value) <= 1e-12,
            "the bound of the returned discriminator",
            observed=bound,
            expected=value,
            repro=f"shift {shift}",
        )


@claim(
    "estimate.order-statistics-radix",
    statement=(
        "The copy-free selection behind the `fd` and `auto` rules' quartiles (radix passes "
        "on the values' order-preserving 64-bit keys, taken for dask arrays and where the "
        "bucket selection overflows) returns the r-th smallest (from 0) of the pooled values "
        "of x and y in [lo, hi], exactly: ties, zeros of both signs (equal, as in numpy's "
        "order), subnormals and values near the float limit included."
    ),
    source="divergences._bin_rules.pooled_order_statistic (the rules' quartiles; numpy's order)",
    locator="_bin_rules.pooled_order_statistic and _pooled_order_statistics (docstrings)",
    check=(
        "Seeded cases: normals with $\\pm 0$, $\\pm 5 \\times 10^{-324}$, "
        "$\\pm 1.7 \\times 10^{308}$, infinities and ties; a range that cuts both samples; "
        "all-negative Cauchy values; float32 data; $2^{21}$ values mostly tied at 0; and, with "
        "dask installed, the second case as dask arrays in chunks of 97 (the rules' selection, "
        "chunk by chunk). Where the bucket selection gives up (checked) the rules' selection "
        "is called, elsewhere the radix passes directly. At both ends, the "
        "quartiles' neighbours and the middle, the selected values must equal "
        "`np.sort` of the pooled in-range values (compared in float64) at those ranks, exactly."
    ),
    subject=library_order_statistics,
    figure="order_statistics_radix.png",
    falsifiers=[
        ("keys from the raw IEEE bits, negatives not flipped", raw_bit_order),
        ("ranks counted from 1: the r-th smallest is sorted[r - 1]", ranks_from_one),
        ("the range ignored: ranks among all pooled values", range_ignored),
        ("ties counted once: the r-th smallest distinct value", ties_collapsed),
        ("one sample's values counted: y's never added to the counts", x_counted_only),
    ],
)
def test_order_statistics_radix(select: Callable[..., list]):
    overflowed = 0
    for name, x, y, lo, hi in order_statistic_cases():
        ranks = order_ranks(pooled_in_range(x, y, lo, hi).size)
        overflowed += bucket_overflows(x, y, lo, hi, ranks)
        tally()
        got, truth = select(x, y, lo, hi, ranks), sorted_ranks(x, y, lo, hi, ranks)
        expect(
            got == truth,
            f"order statistics, {name}",
            observed=got,
            expected=truth,
            repro=f"ranks {ranks}, range [{lo:g}, {hi:g}]",
        )
    cases = len(order_statistic_cases())
    require(0 < overflowed < cases, f"{overflowed} of {cases} cases overflow the buckets")


@claim(
    "estimate.discriminator-mlp",
    statement=(
        '`js_discriminator(classifier="mlp")` recovers $D^* = p/(p + q)$ where the log '
        "density ratio is not quadratic, which the quadratic and affine logits cannot: for P "
        "with three modes against one wide Gaussian Q, its D is close to $D^*$ wherever P or "
        "Q has mass."
    ),
    source="Goodfellow et al. (2014), Proposition 1 (D* = p_data / (p_data + p_g))",
    locator="js_discriminator's docstring (classifier: 'mlp', for multimodal data)",
    check=(
        r"P: equal parts of $N(c, 0.4^2)$ at $c = -3, 0, 3$; Q: $N(0, 2^2)$; 600 and 300 "
        "seeded values, 2 folds, seeds 0-6. The mean absolute error of the returned D "
        r"against $D^*$ from the exact densities, weighted by $(p + q)/2$ on 241 points of "
        r"$[-6, 6]$: its median over the seeds must be at most 0.09 (measured on these seeds: "
        "0.031-0.106 per seed, median 0.043, and median 0.058 on seven others; the "
        "quadratic logit 0.22-0.23, the affine 0.25, the sample sizes as priors 0.12-0.14)."
    ),
    subject=library_mlp,
    figure="discriminator_mlp.png",
    falsifiers=[
        ("the quadratic logit fitted in place of the MLP", mlp_replaced_by("quadratic")),
        ("the hidden layers dropped: an affine logit", mlp_replaced_by("logistic")),
        (
            "the plain logistic loss: D with the sample sizes as priors, logit + log(n_x/n_y)",
            mlp_sizes_as_priors,
        ),
    ],
)
def test_discriminator_mlp(fit: Callable[..., Callable[[np.ndarray], Any]]):
    errors = [d_error(fit(*mlp_samples(seed), seed)) for seed in MLP_SEEDS]
    tally()
    median = float(np.median(errors))
    expect(
        median <= MLP_D_ERROR,
        "the MLP's D against D*, median weighted error over the seeds",
        observed=median,
        expected=f"<= {MLP_D_ERROR}",
        repro=f"errors per seed {np.round(errors, 3).tolist()}",
    )


@claim(
    "estimate.discriminator-result-fields",
    statement=(
        "A `js_discriminator` result reports what it was computed with: `classifier` (the "
        "name asked, a user's object by its class name), `folds` (the number of fitted "
        "classifiers, 0 for a fixed discriminator) and the sizes `n_x`, `n_y` and "
        "`dimension` of the samples."
    ),
    source="divergences.results.DiscriminatorEstimate (Attributes)",
    locator="DiscriminatorEstimate's docstring: classifier, folds, n_x, n_y, dimension",
    check=(
        "Seeded 2-D samples of 300 and 200 points, 3 folds. With `quadratic`, the fields "
        "against the arguments; with a user's classifier that records each fit (its copies "
        "share the record), against what it saw: folds = the fits made, $n_x$ and $n_y$ = "
        "the points labelled 1 and 0 over all fits divided by folds - 1 (each point is "
        "trained on in all folds but its own), dimension = the columns it was given, "
        "classifier = its class name; with a fixed D (a function), 'callable' and 0 folds."
    ),
    subject=library_disc_fields,
    figure="discriminator_result_fields.png",
    falsifiers=[
        ("the sizes swapped: n_x reports y's size", sizes_swapped),
        ("the default folds reported, not the ones used", folds_default),
        ("a user's object reported as 'object', not by its class", object_unnamed),
    ],
)
def test_discriminator_result_fields(fields_of: Callable[..., dict[str, Any]]):
    x, y = fields_samples()
    (n, d), m = x.shape, y.shape[0]
    tally()
    asked = fields_of(x, y, "quadratic")
    expected = {"classifier": "quadratic", "folds": FIELDS_FOLDS, "n_x": n, "n_y": m}
    expect(
        asked == expected | {"dimension": d},
        "fields of the quadratic classifier against the arguments",
        observed=asked,
        expected=expected | {"dimension": d},
    )
    tally()
    log: list[tuple[int, int, int]] = []
    seen = fields_of(x, y, CountingClassifier(log))
    require(len(log) > 1, "the user's classifier was fitted more than once")
    fits = len(log)
    route = {
        "classifier": CountingClassifier.__name__,
        "folds": fits,
        "n_x": sum(ones for ones, _, _ in log) / (fits - 1),
        "n_y": sum(zeros for _, zeros, _ in log) / (fits - 1),
        "dimension": log[0][2],
    }
    expect(
        seen == route,
        "fields of a user's classifier against what it was given",
        observed=seen,
        expected=route,
        repro=f"fits (ones, zeros, columns): {log}",
    )
    tally()
    fixed = fields_of(x, y, lambda z: np.full(len(z), 0.5))
    expected = {"classifier": "callable", "folds": 0, "n_x": n, "n_y": m, "dimension": d}
    expect(fixed == expected, "fields of a fixed discriminator", observed=fixed, expected=expected)


@claim(
    "estimate.knn-dequantize-seeded",
    statement=(
        "On samples that repeat values on a grid, the noise `kl_knn` and `js_knn` spread them "
        "with is a function of their `seed`: the same int, or a Generator in the same state, "
        "gives the same estimate on every call whatever other generators draw in between, "
        "and another seed another estimate."
    ),
    source="divergences.knn (ties='dequantize', seed: int, Generator or None)",
    locator="kl_knn's and js_knn's docstrings (seed; Notes: Ties)",
    check=(
        "Two seeded samples of 400 points on the grid of steps (1, 1/4) with repeated "
        "values (equal sizes: the noise is the only randomness). For each estimator and the "
        "seed passed as the int 7 and as `default_rng(7)`: two calls, with draws from other "
        "generators between them, must give the same value exactly; the seed 8 (in the same "
        "form) must give another value."
    ),
    subject=library_dequantized_estimate,
    figure="knn_dequantize.png",
    falsifiers=[
        ("the noise from fresh entropy, the seed unused for it", noise_fresh_entropy),
        ("one noise generator for every call, seeded once", noise_seeded_once),
        ("a fixed noise stream, whatever the seed", noise_seed_ignored),
    ],
)
def test_knn_dequantize_seeded(estimate: Callable[..., float]):
    x, y = deq_samples()
    require(dv.kl_knn(x, y, seed=1).dequantized is not None, "the samples are dequantized")
    first, other = DEQ_SEEDS
    for name in DEQ_ESTIMATORS:
        for form, make in seed_forms().items():
            tally()
            once = estimate(name, x, y, make(first))
            np.random.default_rng(first).random(1000)  # other generators draw in between
            np.random.default_rng().random(1000)
            again = estimate(name, x, y, make(first))
            expect(
                once == again,
                f"{name}, seed as {form}: the same seed, the same estimate",
                observed=again,
                expected=once,
            )
            changed = estimate(name, x, y, make(other))
            expect(
                changed != once,
                f"{name}, seed as {form}: another seed, another estimate",
                observed=changed,
                expected=f"!= {once}",
            )


@claim(
    "estimate.knn-dequantize-reported",
    statement=(
        "A kNN estimate reports in `dequantized` the grid step of each coordinate over which "
        "it spread repeated values, and None when it used the values as they are."
    ),
    source="divergences.KnnEstimate (dequantized)",
    locator="KnnEstimate's docstring: dequantized",
    check=(
        "`kl_knn` and `js_knn` (seed 11) on 400 + 400 points on the grid of steps (1, 1/4) "
        "with repeated values (x's second coordinate on the coarser step 1/2): the "
        "smallest gap between the distinct pooled values of each "
        "coordinate, exactly (a third coordinate constant in both: the median of the others' "
        "steps); on continuous normal samples and on distinct values of a grid "
        "(nothing to dequantize): None."
    ),
    subject=library_reported_steps,
    figure="knn_dequantize.png",
    falsifiers=[
        ("an empty tuple, not None, when nothing was dequantized", steps_empty_when_none),
        ("the steps of x's own values, not of the grid x and y share", steps_of_x),
        ("the first coordinate's step for every coordinate", steps_of_first),
    ],
)
def test_knn_dequantize_reported(reported: Callable[..., Any]):
    for name in DEQ_ESTIMATORS:
        for case, x, y, route in steps_cases():
            tally()
            steps = reported(name, x, y)
            same = steps is None if route is None else steps == route
            expect(same, f"{name}, {case}: the steps reported", observed=steps, expected=route)


@claim(
    "estimate.knn-grid-detection",
    statement=(
        "The kNN estimators dequantize repeated values exactly when x and y lie on one grid: "
        "every gap between distinct values a whole multiple of the smallest, up to the "
        "values' rounding (float32 included), across fewer than $2^{52}$ steps; repeats off "
        "any grid raise the ties error instead."
    ),
    source="divergences.knn (ties='dequantize': grid_steps)",
    locator="kl_knn's docstring (ties; Notes: Ties)",
    check=(
        "Seven seeded 1-D pairs that repeat values, each built on a known grid or on none: "
        "two decimals near 1000 (3000 steps); one decimal near 100 rounded to float32 (grids: "
        "the step `kl_knn` reports must be the construction's within two ulps of the values' "
        "size, in their precision); continuous "
        r"values resampled with repeats; the values 0, 1 and $2^{53}$ or $2^{52}$ (fewer than "
        r"$2^{52}$ steps are needed); a subnormal gap beside "
        "unit gaps (no grid: `kl_knn` must raise its ValueError); steps of 1/64 near "
        r"$4 \cdot 10^{13}$ (3000 steps across the values, $2.6 \cdot 10^{15}$ from the origin)."
    ),
    subject=library_grid,
    figure="knn_grid_detection.png",
    falsifiers=[
        (
            "a fixed tolerance of 1e-6 steps, not widened with the values' size",
            own_grid(fixed_tolerance=True),
        ),
        ("no bound on the number of steps the values span", own_grid(span_bound=False)),
        ("the step taken from the first gap, not the smallest", own_grid(first_gap=True)),
        (
            "every repeat dequantized with the smallest gap as its step, the gaps not tested",
            own_grid(untested=True),
        ),
        (
            "the span as the sum of the extreme values, not their difference",
            own_grid(span_sum=True),
        ),
    ],
)
def test_knn_grid_detection(detect: Callable[[np.ndarray, np.ndarray], Any]):
    for case, x, y, expected in grid_cases():
        tally()
        got = detect(x, y)
        if expected == REFUSED:
            expect(got == REFUSED, f"{case}: no grid", observed=got, expected=REFUSED)
            continue
        size = float(np.max(np.abs(np.concatenate([x, y]))))
        single = case.endswith("float32")
        ulp = float(np.spacing(np.float32(size))) if single else float(np.spacing(size))
        expect(
            isinstance(got, float) and abs(got - expected) <= 2.0 * ulp,
            f"{case}: the grid's step",
            observed=got,
            expected=f"{expected} within {2.0 * ulp:.3g}",
        )


@claim(
    "estimate.knn-ties-raise",
    statement=(
        'With `ties="raise"`, `kl_knn`, `js_knn` and `js_knn_batch` refuse the samples '
        "exactly when a neighbour distance they use is 0, wherever it lies (within x, within "
        "y, from x to y), and otherwise return their estimate: never a number computed from "
        "log 0."
    ),
    source="divergences.knn (ties='raise'; Raises: ValueError on a zero distance)",
    locator="kl_knn's and js_knn's docstrings (ties; Raises)",
    check=(
        "Continuous 2-D samples of 300 points with copies of one point planted: for `kl_knn` "
        "(k = 1) 2 copies in x, 1 in x and 1 in y (refused), 2 in y (distances it never uses: "
        "an estimate); for `js_knn` (k = 3) 4 copies in x, 4 in y (refused), 3 in each (6 in the "
        "mixture, no 3rd or 7th distance 0: an estimate); for `js_knn_batch` (k = 3) batches of "
        "three pairs whose middle pair is each of those three, and two of them again at 1,001 "
        "points per sample (there the batch takes js_knn's route pair by pair). Refused: the "
        "ValueError; else the unclipped estimates must equal scipy's k-d tree route within "
        r"$10^{-12}$."
    ),
    subject=library_ties_raise,
    figure="knn_ties_raise.png",
    falsifiers=[
        (
            "zero distances looked for across the samples only (x to y for KL, the mixture for JS)",
            ties_checked(("cross",)),
        ),
        ("zero distances looked for within the samples only", ties_checked(("own",))),
        (
            "every repeated point refused, the distances unread",
            ties_checked(("values", "own", "cross")),
        ),
    ],
)
def test_knn_ties_raise(estimate: Callable[[str, np.ndarray, np.ndarray], Any]):
    for name, case, x, y, refused in ties_raise_cases():
        tally()
        got = estimate(name, x, y)
        where = f"{name} (k = {TIES_K[name]}), {case}"
        if refused:
            refusal = isinstance(got, str) and got == TIES_REFUSED
            expect(refusal, f"{where}: refused", observed=got, expected=TIES_REFUSED)
            continue
        route = np.asarray(own_knn(name, x, y))
        found = np.asarray(got, dtype=float) if not isinstance(got, str) else None
        expect(
            found is not None
            and found.shape == route.shape
            and bool(np.all(np.isfinite(found)))
            and bool(np.all(np.abs(found - route) <= 1e-12)),
            f"{where}: the estimate",
            observed=got,
            expected=route,
        )


@claim(
    "estimate.zero-width-sturges",
    statement=(
        "When the `fd` rule's width is zero, because the pooled quartiles coincide while the "
        "values spread (an interquartile range of 0), the binned "
        "estimators take numpy's `sturges` edges of the pooled sample instead of the single "
        "bin numpy's `fd` gives."
    ),
    source="numpy.histogram_bin_edges (the fd and sturges widths)",
    locator="histogram_pair's Notes (Rules: a zero width falls back to sturges)",
    check=(
        "Seeded samples with a spike and a normal slab (300 + 100 against 200 + 150 values, "
        "60 + 20 against 900 + 300, 1500 + 500 against a slab of 40 alone), integers (400 "
        "threes and 100 Poisson(6) values against 300 and 200 Poisson(5)), zeros with a few "
        "subnormals (sturges' width underflows too: numpy's one bin), each without and "
        "with a range that keeps the spike, through `js_from_samples`, `kl_from_samples` and "
        "`histogram_pair` with `bins='fd'`, and a batch of three pairs of such rows (`axis=1`): "
        "the pooled interquartile range inside the range (`np.percentile`) must be 0 (else the "
        "check stops with an error: its case is void), and the library's edges must equal "
        "`np.histogram_bin_edges(np.concatenate([x, y]), 'sturges', range)` (for each pair "
        "of the batch) element for element."
    ),
    subject=library_fd_edges,
    figure="zero_width_sturges.png",
    falsifiers=[
        ("numpy's own `fd` edges: one bin for a zero width", numpy_fd_edges),
        (
            "a zero fd width replaced by half the sqrt rule's width (numpy 2.3's `auto`)",
            half_sqrt_width_edges,
        ),
        ("the sturges count from x's values alone, over the pooled span", sturges_of_x_edges),
        (
            r"the sturges count $\lceil \log_2 n + 1 \rceil$ over the span even where its width "
            "underflows",
            sturges_count_always_edges,
        ),
    ],
)
def test_zero_width_sturges(edges_of: Callable[[Any, Any, Any, str], np.ndarray]):
    rng = np.random.default_rng(1926)
    for label, x, y, range_, route in zero_width_cases(rng):
        pairs = [(x, y)] if np.ndim(x) == 1 else list(zip(x, y, strict=True))
        for a, b in pairs:
            require(pooled_quartile_gap(a, b, range_) == 0.0, f"{label}: IQR 0")
            both = np.concatenate([a, b])
            require(np.ptp(in_range(both, range_)) > 0, f"{label}: values that spread")
        tally()
        expected = numpy_sturges_edges(x, y, range_, route)
        got = np.asarray(edges_of(x, y, range_, route))
        expect_edges(
            got,
            [expected],
            f"edges of 'fd' with a zero width ({route})",
            f"{label}, range={range_}",
        )


@claim(
    "estimate.kl-default-reported",
    statement=(
        "`kl_from_samples` with its default bins says which partition it used: its "
        "histogram's `rule` reads `wkv` where the edges are the Wang-Kulkarni-Verdú partition "
        "(y's quantiles at $i/k$, $k = \\lceil \\sqrt{n_y} \\rceil$, the ends widened to x), "
        "and `wkv -> auto (reason)` where they are numpy's `auto` bins, the reason naming "
        "what made it fall back: a range, a batch, tied quantiles of y, all values equal, a "
        "dask array."
    ),
    source="Wang, Kulkarni & Verdú (2005); numpy.quantile; numpy.histogram_bin_edges",
    locator="kl_from_samples' docstring (bins); docs/conventions.md (the default bins)",
    check=(
        "Twelve seeded calls (thirteen with dask) that leave the fused kernel, each in a regime "
        "known by "
        "construction: N(0, 1.5²) against N(0, 1) (400 and 300 values) as lists, with a base, "
        "with NaN left out (`nonfinite='omit'`, also leaving x or y one value), x or y of one "
        "value (WKV, rule `wkv`: the edges must equal `np.quantile(y, linspace(0, 1, k + 1))` "
        "with the ends widened to x's minimum and maximum); with a range, as a batch of three "
        "pairs, with Poisson(3) or three equal values for y, one value everywhere, x a dask "
        "array (with dask installed): the rule must read `wkv -> auto (` with the regime's "
        "reason and the edges equal numpy's `auto` edges of the pooled sample (a batch: each "
        "pair's, with the largest count)."
    ),
    subject=library_kl_partition,
    figure="kl_default_reported.png",
    falsifiers=[
        ("the rule left at `wkv` whatever bins were used", reported_always_wkv),
        (
            "a fallback labelled `auto`, numpy's rule, without saying it fell back",
            reported_as_numpy,
        ),
        ("the WKV partition whatever y's quantiles: tied ones not tested", wkv_without_tie_test),
        ("the WKV partition of the values even where a range is given", wkv_range_ignored),
        (r"the WKV partition with $k$ from the pooled size $n_x + n_y$", wkv_count_pooled),
        (
            "the histogram's own rule for the bins it was handed: the label never applied",
            label_never_applied,
        ),
    ],
)
def test_kl_default_reported(partition_of: Callable[[Any, Any, dict, str], tuple[str, Any]]):
    rng = np.random.default_rng(1913)
    for label, x, y, options, regime in wkv_reported_cases(rng):
        tally()
        rule, edges = partition_of(x, y, options, regime)
        edges = np.asarray(edges)
        if regime == "wkv":
            expect(
                rule == "wkv",
                "the rule reported where the edges are the WKV partition",
                observed=rule,
                expected="wkv",
                repro=label,
            )
            expect_edges(edges, [wkv_partition(x, y)], "the WKV edges", label)
        else:
            reason = f"wkv -> auto ({WKV_REASONS[regime]}"
            expect(
                rule.startswith(reason),
                "the rule reported on a fallback",
                observed=rule,
                expected=reason + "...)",
                repro=label,
            )
            expect_edges(edges, [auto_edges(x, y, options)], "the fallback's auto edges", label)


@claim(
    "estimate.knn-js-matched-balls",
    statement=(
        "`js_knn` (and `js_knn_batch`, pair by pair) returns, to rounding, the estimator of "
        "its Notes: "
        r"$\hat H_{2k}(M) - \tfrac12 \hat H_k(P_{small}) - \tfrac12 \hat H_{k'}(P_{large})$ "
        "with Kozachenko-Leonenko entropies, the larger sample in the order of the seed's "
        r"`permutation` cut cyclically into blocks of $n_0$ points pooled with the smaller "
        r"sample into mixture samples, $k' = k n_1 / n_0$ in the fewest chunks of order at "
        "most 64; with the ensemble, orders k, 2k, 4k, 8k and the weights of least norm "
        r"with sum 1 that cancel $k^{2/d}$."
    ),
    source="Kozachenko & Leonenko (1987); Sricharan, Wei & Hero (2013); js_knn's Notes",
    locator="js_knn's docstring: Notes (matched balls, unequal sizes, ensemble)",
    check=(
        "Nine seeded pairs of N(0, I) against N(0.5, 1.2² I): 150 + 700 points in 2-D (five "
        "blocks, the last wrapping round), 900 + 100 in 3-D (y the smaller; k' = 90 in two "
        "chunks), 300 + 300, 200 + 450 in 4-D with a Generator as the seed, 260 + 900 in "
        "8-D and 9 + 40 in 2-D with the ensemble, 6 + 6 in 1-D, 2 + 30 (k = 1), 300 + 2000 "
        "with k = 3; and `js_knn_batch` on four pairs of 5 + 5 and of 11 + 11 (its default "
        "k = min(10, n - 1)), three of 200 + 200 with k = 70 (chunks) and two of 1001 + 1001 "
        "(js_knn's route pair by pair): the unclipped estimates must equal the Notes' estimator "
        "evaluated with "
        "scipy's k-d tree on the raw coordinates, the permutation from "
        "`numpy.random.default_rng(seed)` and the ensemble weights from `numpy.linalg.lstsq`, "
        "within 1e-12 nats."
    ),
    subject=library_matched,
    figure="knn_js_matched_balls.png",
    falsifiers=[
        ("the first block of the larger sample only, the rest unused", own_matched(blocks=False)),
        ("the larger sample in its given order: the seed unused", own_matched(permuted=False)),
        ("order k in every sample: the balls not matched", own_matched(matched=False)),
        (
            r"the mixture's digamma at the pooled size $n_x + n_y$, not at its $2 n_0$ points",
            own_matched(mixture_size="pooled"),
        ),
    ],
)
def test_knn_js_matched_balls(estimate_of: Callable[..., Any]):
    rng = np.random.default_rng(2005)
    route = own_matched()
    for label, n, m, d, seed, ensemble, k, pairs in MATCHED_CASES:
        x, y = matched_samples(rng, n, m, d, pairs)
        tally()
        got = np.asarray(estimate_of(x, y, seed, ensemble, k))
        expected = np.asarray(route(x, y, seed, ensemble, k))
        expect(
            got.shape == expected.shape and bool(np.all(np.abs(got - expected) <= 1e-12)),
            "js_knn and js_knn_batch against the Notes' estimator",
            observed=got,
            expected=expected,
            repro=f"{label}, seed {seed}",
        )


@claim(
    "estimate.knn-jackknife",
    statement=(
        "With `ci`, the standard error of `kl_knn` and `js_knn` is the delete-a-group "
        "jackknife of their Notes: each sample's points fall at random into G = 10 groups, "
        "replicate g leaves out group g of both samples, and the standard error is "
        r"$\sqrt{\tfrac{G-1}{G} \sum_g (\hat J_{(g)} - \bar J)^2}$ over the replicates."
    ),
    source="Quenouille (1956); Efron & Tibshirani (1993) §11.5; kl_knn's and js_knn's Notes",
    locator="kl_knn's docstring, Notes (Interval); js_knn's Notes (Interval)",
    check=(
        "Five seeded pairs of N(0, I) against N(0.5, 1.2² I), sizes not multiples of 10: "
        "`kl_knn` on 300 + 500 points in 2-D and 43 + 27 in 1-D, `js_knn` on 150 + 700 "
        "(the larger sample permuted before the groups are drawn), 233 + 233 in 3-D and "
        "12 + 40 (the default k = 9, what every replicate keeps of 12 points less one): the "
        "`standard_error` of `ci=0.95` must equal, within a relative 1e-10, the jackknife "
        "computed with scipy's k-d tree and the groups `permutation(n) % 10` drawn from "
        "`numpy.random.default_rng(seed)` in the order js_knn's Notes give."
    ),
    subject=library_knn_se,
    figure="knn_jackknife.png",
    falsifiers=[
        ("the groups in the points' input order, not drawn at random", own_knn_se(shuffled=False)),
        ("groups of x only, y whole in every replicate", own_knn_se(both=False)),
        (
            "the replicates' sample standard deviation as the standard error",
            own_knn_se(spread="sd"),
        ),
    ],
)
def test_knn_jackknife(se_of: Callable[[str, np.ndarray, np.ndarray, int], float]):
    rng = np.random.default_rng(1999)
    route = own_knn_se()
    for label, name, n, m, d, seed in JACKKNIFE_CASES:
        x, y = matched_samples(rng, n, m, d)
        tally()
        got, expected = se_of(name, x, y, seed), route(name, x, y, seed)
        expect(
            abs(got - expected) <= 1e-10 * expected,
            "the standard error against the jackknife of the Notes",
            observed=got,
            expected=expected,
            repro=f"{label}, seed {seed}",
        )


@claim(
    "estimate.discriminator-fixed-se",
    statement=(
        "With a fixed discriminator D (a callable), `js_discriminator`'s standard error is "
        r"that of the bound $\log 2 + \tfrac12 \bar a + \tfrac12 \bar b$ as two independent "
        r"means: $\tfrac12 \sqrt{s_a^2 / n_x + s_b^2 / n_y}$, $s^2$ the unbiased sample "
        r"variances of $a_i = \log D(x_i)$ and $b_j = \log(1 - D(y_j))$, in the base asked for "
        "(infinite for a sample of one point)."
    ),
    source="Goodfellow et al. (2014), Theorem 1 (the bound); js_discriminator's Notes",
    locator="js_discriminator's docstring (ci: the standard error of the two means)",
    check=(
        "D the optimal discriminator of N(0, 1) against N(1, 1.5²) (scipy's log densities), "
        "seeded samples of 300 + 600, 2 + 5, 40 + 3 (base 2), 1000 + 1000 (base 10) and 40 + 1 "
        "(infinite: no variance from one point): the "
        "`standard_error` of `js_discriminator(x, y, classifier=D, ci=0.95)` must equal the "
        "route's, with D evaluated by the route and `np.var(ddof=1)`, within a relative 1e-9."
    ),
    subject=library_fixed_se,
    figure="discriminator_fixed_se.png",
    falsifiers=[
        ("population variances (ddof = 0)", own_fixed_se(ddof=0)),
        ("the pooled terms' variance over n_x + n_y", own_fixed_se(pooled=True)),
        (r"the halves dropped: $\sqrt{s_a^2/n_x + s_b^2/n_y}$", own_fixed_se(half=1.0)),
    ],
)
def test_discriminator_fixed_se(se_of: Callable[[np.ndarray, np.ndarray, Any], float]):
    rng = np.random.default_rng(2014)
    route = own_fixed_se()
    for n, m, base in FIXED_SE_CASES:
        x, y = fixed_se_samples(rng, n, m)
        tally()
        got, expected = se_of(x, y, base), route(x, y, base)
        expect(
            got == expected if math.isinf(expected) else abs(got - expected) <= 1e-9 * expected,
            "the standard error of a fixed D's bound",
            observed=got,
            expected=expected,
            repro=f"{n} + {m}, base {base}",
        )


REPORTED_SOURCE = "divergences.results: KnnEstimate and DiscriminatorEstimate (Attributes)"
#: The seven calls the four claims on reported options read (REPORTED_CASES).
REPORTED_CALLS = (
    "Seven seeded calls: `js_knn` on 200 + 200 points (seed 7, nothing random), 200 + 500 in "
    "base 2 (seed 7), the ensemble in 3-D in base 10; `kl_knn` without an interval (seed 3), "
    "and with the ensemble, `ci=0.9` and base 2 in 4-D; `js_discriminator` with `ci=0.9` in "
    "base 2 and without an interval"
)


def _reported(
    report_of: Callable[[str, np.ndarray, np.ndarray, dict], dict],
    knn_only: bool = False,
) -> Any:
    """Each case's label, estimator, the report and what the call asked for (own_reported)."""
    rng = np.random.default_rng(2013)
    for label, name, n, m, d, options in REPORTED_CASES:
        x, y = matched_samples(rng, n, m, d)
        if knn_only and name == "js_discriminator":
            continue
        tally()
        yield label, name, report_of(name, x, y, options), own_reported(name, x, y, options)


@claim(
    "estimate.knn-seed-reported",
    statement=(
        "A kNN or discriminator estimate reports as its `seed` the one given where something "
        "was drawn at random (an interval's resampling, `js_knn`'s blocks at unequal sizes, "
        "the discriminator's folds) and None where nothing was (`js_knn` at equal sizes and "
        "`kl_knn`, each without an interval)."
    ),
    source=REPORTED_SOURCE,
    locator="KnnEstimate's and DiscriminatorEstimate's seed; kl_knn's, js_knn's seed",
    check=REPORTED_CALLS + ": each `seed` must be the one given, or None where nothing was random.",
    subject=library_reported,
    figure="knn_seed_reported.png",
    falsifiers=[
        (
            "the seed echoed as given, even where nothing was random",
            reported_with(seed_echoed=True),
        ),
        (
            "the seed reported only with an interval (js_knn's blocks and the folds forgotten)",
            reported_with(seed_with_interval=True),
        ),
    ],
)
def test_knn_seed_reported(report_of: Callable[[str, np.ndarray, np.ndarray, dict], dict]):
    for label, _, got, expected in _reported(report_of):
        expect(
            got["seed"] == expected["seed"],
            "the seed reported",
            observed=got["seed"],
            expected=expected["seed"],
            repro=label,
        )


@claim(
    "estimate.knn-interval-reported",
    statement=(
        "A kNN or discriminator estimate reports as its `ci_level` the level of the interval "
        "it was asked for (None without one), and a standard error exactly when it has an "
        "interval."
    ),
    source=REPORTED_SOURCE,
    locator="KnnEstimate's and DiscriminatorEstimate's ci_level and standard_error",
    check=REPORTED_CALLS
    + ": each `ci_level` must equal the `ci` asked for (None, 0.9), and the standard error "
    "must be a number exactly when it is not None.",
    subject=library_reported,
    figure="knn_interval_reported.png",
    falsifiers=[
        (
            "the interval's default level, 0.95, and a standard error reported without one",
            reported_with(interval_defaults=True),
        ),
        ("the level reported as the test's alpha, 1 - level", reported_with(level_as_alpha=True)),
    ],
)
def test_knn_interval_reported(report_of: Callable[[str, np.ndarray, np.ndarray, dict], dict]):
    for label, _, got, expected in _reported(report_of):
        expect(
            got["ci_level"] == expected["ci_level"]
            and (got["standard_error"] is None) == (expected["standard_error"] is None),
            "the level reported, and a standard error exactly with an interval",
            observed=(got["ci_level"], got["standard_error"]),
            expected=(expected["ci_level"], expected["standard_error"]),
            repro=label,
        )


@claim(
    "estimate.knn-ensemble-reported",
    statement=(
        "A kNN estimate reports the `bias_correction`, neighbour `orders` and ensemble "
        "`weights` of its value: the documented defaults (k = 10 for `js_knn`, 1 for `kl_knn`; "
        "5, 10, 20, 40 for the ensemble) with the least-norm weights of "
        r"$\sum w = 1$, $\sum w k^{2/d} = 0$."
    ),
    source=REPORTED_SOURCE,
    locator="KnnEstimate's bias_correction, orders and weights; kl_knn's and js_knn's Notes",
    check=REPORTED_CALLS
    + " (the five kNN calls): the bias correction and orders must be the documented ones and "
    "the weights `numpy.linalg.lstsq`'s least-norm solution, within 1e-12.",
    subject=library_reported,
    figure="knn_ensemble_reported.png",
    falsifiers=[
        ("the first order alone reported for an ensemble", reported_with(first_order=True)),
        ("equal weights reported for the ensemble", reported_with(equal_weights=True)),
    ],
)
def test_knn_ensemble_reported(report_of: Callable[[str, np.ndarray, np.ndarray, dict], dict]):
    for label, _, got, expected in _reported(report_of, knn_only=True):
        same_weights = len(got["weights"]) == len(expected["weights"]) and all(
            abs(a - b) <= 1e-12 for a, b in zip(got["weights"], expected["weights"], strict=True)
        )
        expect(
            got["bias_correction"] == expected["bias_correction"]
            and tuple(got["orders"]) == tuple(expected["orders"])
            and same_weights,
            "the bias correction, orders and weights reported",
            observed=(got["bias_correction"], got["orders"], got["weights"]),
            expected=(expected["bias_correction"], expected["orders"], expected["weights"]),
            repro=label,
        )


@claim(
    "estimate.knn-base-reported",
    statement=(
        "A kNN or discriminator estimate reports as its `base` the logarithm base it was asked "
        "for, and None for nats."
    ),
    source=REPORTED_SOURCE,
    locator="KnnEstimate's and DiscriminatorEstimate's base",
    check=REPORTED_CALLS + ": each `base` must be the one given (2, 10) or None.",
    subject=library_reported,
    figure="knn_base_reported.png",
    falsifiers=[
        ("the base not reported: None (nats) whatever was asked", reported_with(base_dropped=True)),
        ("nats reported as the number e, not None", reported_with(base_as_e=True)),
    ],
)
def test_knn_base_reported(report_of: Callable[[str, np.ndarray, np.ndarray, dict], dict]):
    for label, _, got, expected in _reported(report_of):
        expect(
            got["base"] == expected["base"],
            "the base reported",
            observed=got["base"],
            expected=expected["base"],
            repro=label,
        )


@claim(
    "estimate.discriminator-penalised-fit",
    statement=(
        "`js_discriminator`'s `logistic` and `quadratic` classifiers are, fold by fold, the "
        "minimisers of the class-balanced logistic loss plus $10^{-3}$ times the squared "
        "coefficients (intercept not penalised) on the training folds' standardised "
        "coordinates, and the returned discriminator's logit is their average."
    ),
    source="divergences.js_discriminator (Notes: losses from logits; the fits)",
    locator="js_discriminator's docstring, Notes (*The fits.*)",
    check=(
        "Five seeded cases (logistic and quadratic, 1-3-D, 250-600 points a sample, 2-5 "
        "folds): the folds drawn from the seed as the Notes say, each fold's penalised "
        "problem solved by Newton's method with the exact Hessian (not the library's "
        "L-BFGS-B), the logits averaged; the returned discriminator's logit at 200 points of "
        "$N(0, 4 I)$ and at the samples must equal it within $10^{-6}$ of its largest "
        "magnitude (measured: $10^{-9}$-$10^{-7}$)."
    ),
    subject=library_penalised,
    figure="discriminator_penalised_fit.png",
    falsifiers=[
        ("the intercept penalised too", own_penalised(intercept_penalised=True)),
        (
            r"the other convention, $\tfrac12 \lambda \lVert w \rVert^2$: half the penalty",
            own_penalised(penalty=PENALTY / 2),
        ),
        (
            "coordinates standardised by x and y whole, not by the training folds",
            own_penalised(standardise_on="all"),
        ),
    ],
)
def test_discriminator_penalised_fit(fit: Callable[..., Callable[[np.ndarray], np.ndarray]]):
    rng = np.random.default_rng(2016)
    for label, kind, n, m, d, folds, seed in PENALISED_CASES:
        x, y, grid = penalised_samples(rng, n, m, d)
        tally()
        points = np.concatenate([grid, x, y])
        got = np.asarray(fit(kind, x, y, folds, seed)(points))
        route = np.asarray(own_penalised()(kind, x, y, folds, seed)(points))
        scale = float(np.max(np.abs(route)))
        error = float(np.max(np.abs(got - route)))
        expect(
            error <= 1e-6 * scale,
            "the returned logit against the penalised fits by Newton's method",
            observed=f"largest difference {error:.3g}",
            expected=f"within {1e-6 * scale:.3g}",
            repro=label,
        )

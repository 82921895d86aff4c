r"""Claims on the sample estimators' own code paths: bin rules, defaults, kNN sizes, fits.

Issue 18: the other estimator claims pass explicit bins, equal kNN sample sizes and fixed
discriminators, so the bin rules, the fused path of the default options, the WKV default
partition, ``kl_from_histogram``, ``kl_knn``'s :math:`\log\frac{m}{n-1}` term with
:math:`n \ne m`, ``js_knn`` / ``js_knn_batch`` and the discriminator's fits ran in no proof.
Each claim here reaches its answer by a route of its own (numpy's bin edges and histograms,
scipy's divergences, closed forms of Gaussians) and ships plausible wrong implementations as
falsifiers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special, stats
from scipy.spatial import cKDTree
from scipy.spatial.distance import jensenshannon

import divergences as dv
from divergences.claims import claim, expect, tally
from divergences.reference import js_normal, kl_multivariate_normal, kl_normal

from .tolerances import Z_SCORE

EPS = float(np.finfo(np.float64).eps)

#: numpy's bin rules that the library's rule names promise to reproduce.
NUMPY_RULES = ("auto", "fd", "scott", "sturges", "sqrt", "rice")

#: Above this many pooled values the binned estimators leave the fused path for the general one
#: (``divergences.histogram.PARALLEL_MIN_SAMPLES``); the checks draw samples on both sides.
LARGE = 150_000


def pooled(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """X and y as one sample, the data numpy's rules see."""
    return np.concatenate([x, y])


def spike_and_slab(rng: np.random.Generator, n: int) -> np.ndarray:
    """90% of the values from N(0, 0.01^2), 10% from N(0, 10^2)."""
    return np.where(rng.random(n) < 0.9, rng.normal(0.0, 0.01, n), rng.normal(0.0, 10.0, n))


def rule_samples(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray, Any]]:
    """(label, x, y, range) of the bin-rule check: sizes that differ, three shapes of data."""
    cases = []
    for n, m in ((50, 80), (300, 1000), (2000, 2000), (5000, 400)):
        cases += [
            ("normal", rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.2, m), (-1.5, 2.0)),
            ("lognormal", rng.lognormal(0.0, 1.0, n), rng.lognormal(0.3, 0.8, m), (0.2, 4.0)),
            ("poisson", rng.poisson(20, n), rng.poisson(25, m), (10, 30)),
            # a narrow spike in a wide slab: the fd width is below half the sqrt rule's, where
            # numpy's "auto" takes max(fd, sqrt / 2)
            ("spike and slab", spike_and_slab(rng, n), spike_and_slab(rng, m), (-0.5, 0.5)),
        ]
    for n, m in ((60, 90), (1500, 700)):  # numpy computes a float32 sample's widths in float32
        x32, y32 = rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.2, m)
        cases.append(("normal, float32", x32.astype(np.float32), y32.astype(np.float32), (-1, 2)))
    cases.append(("an outlier where fd asks for the cap exactly", *outlier_at_cap(rng), (-1, 2)))
    # integers from their type's least to its largest value: the span max - min overflows the
    # signed type, and numpy's histogram takes it in the unsigned type of the same width
    for dtype, n, m, bounds in (
        (np.int8, 300, 200, (-100, 100)),
        (np.int16, 1000, 700, (-20_000, 20_000)),
        (np.int32, 60, 90, (-(2**30), 2**30)),
    ):
        x_int, y_int = full_range(rng, dtype, n, m)
        cases.append((f"{np.dtype(dtype).name} over its whole range", x_int, y_int, bounds))
    return [
        (f"{label}, n_x = {x.size}, n_y = {y.size}", x, y, r)
        for label, x, y, bounds in cases
        for r in (None, bounds)
    ]


def outlier_at_cap(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """500 + 300 normal values with one of y moved out until numpy's `fd` asks for the cap.

    The cap for n = 800 pooled values is max(1024, 10 n) = 8000 bins; the outlier's place
    leaves the quartiles, and so numpy's width, unchanged: it is set half a width below the
    8000th bin's end.
    """
    x, y = rng.normal(0.0, 1.0, 500), rng.normal(0.3, 1.0, 300)
    y[0] = 1e6  # far out: the quartiles are those with the outlier wherever it lies out there
    both = np.concatenate([x, y])
    width = float(np.diff(np.histogram_bin_edges(both, "fd")[:2])[0])
    y[0] = float(both.min()) + width * 7999.5
    count = np.histogram_bin_edges(np.concatenate([x, y]), "fd").size - 1
    if count != 8000:
        raise AssertionError(f"the outlier case asks for {count} fd bins, not the cap 8000")
    return x, y


def full_range(
    rng: np.random.Generator, dtype: Any, n: int, m: int
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform integers of ``dtype``, x holding the type's least value and y its largest."""
    info = np.iinfo(dtype)
    x = rng.integers(info.min, info.max, n, endpoint=True).astype(dtype)
    y = rng.integers(info.min, info.max, m, endpoint=True).astype(dtype)
    x[0], y[0] = info.min, info.max
    return x, y


def library_rule_edges(x: np.ndarray, y: np.ndarray, rule: str, range_: Any) -> np.ndarray:
    """The edges the library's estimate used for the rule name (its histogram's edges)."""
    return np.asarray(dv.js_from_samples(x, y, bins=rule, range=range_).histogram.edges)


def auto_as_sturges(x: np.ndarray, y: np.ndarray, rule: str, range_: Any) -> np.ndarray:
    """Numpy's edges, "auto" read as "sturges" (numpy's rule for small samples)."""
    return np.histogram_bin_edges(pooled(x, y), "sturges" if rule == "auto" else rule, range_)


def rule_on_x_alone(x: np.ndarray, y: np.ndarray, rule: str, range_: Any) -> np.ndarray:
    """The rule's bin count from x's statistics alone, over the pooled span."""
    both = pooled(x, y)
    span = range_ if range_ is not None else (both.min(), both.max())
    count = np.histogram_bin_edges(x, rule, span).size - 1
    return np.histogram_bin_edges(both, count, span)


def range_not_trimming(x: np.ndarray, y: np.ndarray, rule: str, range_: Any) -> np.ndarray:
    """With a range, the rule's width from every value (numpy uses those inside the range)."""
    both = pooled(x, y)
    if range_ is None:
        return np.histogram_bin_edges(both, rule)
    width = float(np.diff(np.histogram_bin_edges(both, rule)[:2])[0])
    count = max(1, math.ceil((range_[1] - range_[0]) / width))
    return np.histogram_bin_edges(both, count, range_)


def as_float64(x: np.ndarray, y: np.ndarray, rule: str, range_: Any) -> np.ndarray:
    """Numpy's edges of the pooled values converted to float64 first (float32 data included)."""
    return np.histogram_bin_edges(pooled(x, y).astype(np.float64), rule, range_)


def span_in_signed_type(x: np.ndarray, y: np.ndarray, rule: str, range_: Any) -> np.ndarray:
    """Numpy's edges, but the span ``max - min`` of integers taken in their signed type.

    Where it overflows the type it wraps to a negative number, and the count comes out as one
    bin; elsewhere the subtraction is exact and the edges are numpy's.
    """
    both = pooled(x, y)
    edges = np.histogram_bin_edges(both, rule, range_)
    if range_ is not None or both.dtype.kind != "i":
        return edges
    with np.errstate(over="ignore"):
        span = np.subtract(both.max(), both.min(), dtype=both.dtype)
    if int(span) == int(both.max()) - int(both.min()):
        return edges  # no wrap: the subtraction in the signed type is exact
    count = max(1, math.ceil(float(span) / float(edges[1] - edges[0])))
    return np.histogram_bin_edges(both, count)


@claim(
    "estimate.bin-rules",
    statement=(
        "The binned estimators' bin rules (`auto`, `fd`, `scott`, `sturges`, `sqrt`, `rice`), "
        "with or without a `range`, give the edges `numpy.histogram_bin_edges` gives with the "
        "same rule on the pooled sample (x and y concatenated), whenever the rule asks for "
        r"at most $\min(2^{20}, \max(1024, 10 n))$ bins for $n$ pooled values (above that "
        "cap, documented, the library takes equal-mass bins)."
    ),
    source="numpy.histogram_bin_edges; docs/conventions.md (bin rules on the pooled sample)",
    locator="numpy reference: numpy.histogram_bin_edges, bins as a string",
    check=(
        "Seeded Gaussian, lognormal, Poisson (integer) and spike-and-slab samples of sizes 50 "
        "to 5000 that differ between x and y, Gaussian float32 pairs (60 + 90, 1500 + 700), "
        "and 500 + 300 Gaussian values with one moved out until numpy's `fd` asks for the cap "
        "exactly (8000 bins), int8, int16 and int32 samples from their type's least to its "
        "largest value (the span overflows the signed type); each rule, no range and a range "
        "that cuts off values: the "
        "edges of `js_from_samples(x, y, bins=rule, range=...)` (the fused path for `auto` on "
        "float samples without a range, the pooled statistics of `_bin_rules` otherwise) must "
        "equal `np.histogram_bin_edges(np.concatenate([x, y]), rule, range)` element for "
        "element, as the library promises."
    ),
    subject=library_rule_edges,
    figure="estimator_paths_binned.png",
    falsifiers=[
        (r"`auto` read as numpy's `sturges` rule", auto_as_sturges),
        (
            "the rule's statistics (size, spread, quartiles) from x alone, over the pooled span",
            rule_on_x_alone,
        ),
        (
            "with a range, the rule's width from every value, not only those inside the range",
            range_not_trimming,
        ),
        ("float32 samples binned in float64 (numpy's rule on the values as float64)", as_float64),
        (
            "the span of integers (max - min) taken in their own signed type, where it wraps",
            span_in_signed_type,
        ),
    ],
)
def test_bin_rules(edges_of: Callable[[np.ndarray, np.ndarray, str, Any], np.ndarray]):
    rng = np.random.default_rng(1818)
    for label, x, y, range_ in rule_samples(rng):
        both = pooled(x, y)
        inside = both if range_ is None else both[(both >= range_[0]) & (both <= range_[1])]
        cap = max(1024, 10 * inside.size)  # the documented cap: quantile bins above it
        for rule in NUMPY_RULES:
            expected = np.histogram_bin_edges(both, rule, range_)
            if expected.size - 1 > cap:
                continue
            tally()
            got = np.asarray(edges_of(x, y, rule, range_))
            where = "within a range" if range_ is not None else "on the whole sample"
            expect(
                got.shape == expected.shape and bool(np.array_equal(got, expected)),
                f"edges of {rule!r} {where}",
                observed=f"{got.size - 1} bins, {got[:3]}...",
                expected=f"{expected.size - 1} bins, {expected[:3]}...",
                repro=f"{label}, range={range_}",
            )


def normalised_counts(x: np.ndarray, y: np.ndarray, edges: np.ndarray):
    """np.histogram's counts of x and y on the edges, each over its own total."""
    cx, cy = np.histogram(x, edges)[0], np.histogram(y, edges)[0]
    return cx / cx.sum(), cy / cy.sum()


def sum_tolerance(*terms: np.ndarray) -> float:
    """Round-off of two float64 routes to a sum: 8 ulps per term of the absolute sum, + 1e-15.

    Each term is a product and a log (a few ulps each), the sums add one ulp of the running
    total per term; two routes, each bounded by 4 K eps sum |term|.
    """
    size = max(t.size for t in terms)
    return 8.0 * size * EPS * float(sum(np.sum(np.abs(t)) for t in terms)) + 1e-15


def js_cases(rng: np.random.Generator):
    """(label, x, y): sizes that differ, both sides of the fused path's size limit."""
    return [
        (f"n_x = {n}, n_y = {m}", rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.2, m))
        for n, m in ((1000, 300), (300, 5000), (20_000, 20_000), (LARGE, 120_000))
    ]


#: (bins, base, route) of the JS check: the default bins, integer counts and a rule name; the
#: library's value from the samples or from `histogram_pair`'s counts.
JS_OPTIONS = (
    ("auto", None, "samples"),
    (12, None, "samples"),
    (40, None, "samples"),
    ("fd", 2.0, "samples"),
    (40, 10.0, "samples"),
    (25, None, "histogram"),
    ("sturges", 2.0, "histogram"),
    ("auto", None, "columns"),
    ("auto", 2.0, "samples with NaN omitted"),
)


def library_js(x: np.ndarray, y: np.ndarray, bins: Any, base: float | None, route: str) -> float:
    """The library's plug-in JSD: from the samples (1-D, or columns), or from the counts."""
    if route == "columns":
        return float(dv.js_from_samples(x[:, None], y[:, None], bins=bins).value)
    if route == "histogram":
        return float(dv.js_from_histogram(dv.histogram_pair(x, y, bins=bins), base=base).value)
    if route == "samples with NaN omitted":  # NaN in both samples, nonfinite="omit"
        x, y = np.append(x, [np.nan] * 2), np.insert(y, 3, np.nan)
        return float(dv.js_from_samples(x, y, bins=bins, base=base, nonfinite="omit").value)
    if base is None:
        return float(dv.js_from_samples(x, y, bins=bins).value)  # the defaults: fused path
    return float(dv.js_from_samples(x, y, bins=bins, base=base).value)


def pooled_mixture_js(x, y, bins, base, route) -> float:
    """The mixture from the pooled counts (c_x + c_y)/(n_x + n_y): weighted by the sizes."""
    edges = np.histogram_bin_edges(pooled(x, y), bins)
    cx, cy = np.histogram(x, edges)[0], np.histogram(y, edges)[0]
    p, q, m = cx / cx.sum(), cy / cy.sum(), (cx + cy) / (cx.sum() + cy.sum())
    value = 0.5 * np.sum(special.rel_entr(p, m)) + 0.5 * np.sum(special.rel_entr(q, m))
    return float(value) / (math.log(base) if base else 1.0)


def halves_dropped_js(x, y, bins, base, route) -> float:
    """KL(P_hat || M_hat) + KL(Q_hat || M_hat), without the halves."""
    p, q = normalised_counts(x, y, np.histogram_bin_edges(pooled(x, y), bins))
    return 2.0 * float(jensenshannon(p, q, base=base) ** 2)


def x_edges_js(x, y, bins, base, route) -> float:
    """The edges from x alone (y's values beyond them dropped)."""
    p, q = normalised_counts(x, y, np.histogram_bin_edges(x, bins))
    return float(jensenshannon(p, q, base=base) ** 2)


def nats_always_js(x, y, bins, base, route) -> float:
    """The base ignored: nats whatever was asked."""
    return library_js(x, y, bins, None, route)


@claim(
    "estimate.plugin-js",
    statement=(
        "`js_from_samples` and `js_from_histogram` return the Jensen-Shannon divergence of the "
        r"two normalised histograms $c^x / n_x$, $c^y / n_y$ on the bins asked for (an integer, "
        "a rule name, the default `auto`), in the logarithm base asked for, whatever the sample "
        "sizes."
    ),
    source="Lin (1991); numpy.histogram; scipy.spatial.distance.jensenshannon",
    locator="IEEE T-IT 37(1) eq. 4.1 on the binned distributions",
    check=(
        "Seeded Gaussian samples of sizes that differ (300 to 150,000, on both sides of the "
        "fused path's limit of $2^{18}$ pooled values): the bins from "
        "`np.histogram_bin_edges` on the pooled sample, the counts from `np.histogram`, and "
        "the divergence as scipy's `jensenshannon(p, q, base)**2`; the library's value with "
        "the default options (the fused kernel; 1-D and as columns), with a base, with NaN "
        'left out by `nonfinite="omit"`, and from `histogram_pair`\'s counts must match it '
        "within 8 ulps per term of the absolute sums."
    ),
    subject=library_js,
    figure="estimator_paths_binned.png",
    falsifiers=[
        (
            r"the mixture from the pooled counts $(c^x + c^y)/(n_x + n_y)$, weighted by the "
            "sample sizes",
            pooled_mixture_js,
        ),
        (r"the halves dropped: $KL(\hat P \| \hat M) + KL(\hat Q \| \hat M)$", halves_dropped_js),
        ("the edges from x alone, y's values beyond them dropped", x_edges_js),
        ("the base ignored (nats whatever is asked)", nats_always_js),
    ],
)
def test_plugin_js(estimate: Callable[..., float]):
    rng = np.random.default_rng(1991)
    for label, x, y in js_cases(rng):
        for bins, base, route in JS_OPTIONS:
            if x.size > 20_000 and route == "histogram":
                continue
            tally()
            p, q = normalised_counts(x, y, np.histogram_bin_edges(pooled(x, y), bins))
            truth = float(jensenshannon(p, q, base=base) ** 2)
            mix = (p + q) / 2
            tol = sum_tolerance(special.rel_entr(p, mix), special.rel_entr(q, mix))
            got = estimate(x, y, bins, base, route)
            expect(
                abs(got - truth) <= tol,
                f"JSD from the {route}, bins={bins!r}, base={base}",
                observed=got,
                expected=f"{truth} +- {tol:.2g}",
                repro=label,
            )


def wkv_partition(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """ceil(sqrt(m)) bins of equal y-count (np.quantile), the outer edges widened to cover x."""
    k = math.ceil(math.sqrt(y.size))
    edges = np.quantile(y, np.linspace(0.0, 1.0, k + 1))
    edges[0], edges[-1] = min(edges[0], x.min()), max(edges[-1], x.max())
    return edges


def kl_cases(rng: np.random.Generator):
    """(label, x, y): P wider than Q (x beyond y's range), sizes that differ, small and large."""
    return [
        (f"n_x = {n}, n_y = {m}", rng.normal(0.0, 1.5, n), rng.normal(0.3, 1.0, m))
        for n, m in ((400, 900), (3000, 1000), (LARGE, LARGE))
    ]


#: (bins, base, pseudocount, route) of the KL check; bins None: the default.
KL_OPTIONS = (
    (None, None, 0.0, "samples"),
    (None, 2.0, 0.0, "samples"),
    (30, None, 0.0, "samples"),
    ("scott", None, 0.5, "samples"),
    (None, None, 0.5, "samples"),
    (20, None, 1.0, "histogram"),
    ("wkv", 10.0, 0.0, "histogram"),
    (None, None, 0.0, "samples with NaN omitted"),
)


def library_kl(x, y, bins, base, pseudocount, route) -> float:
    """The library's plug-in KL(P || Q); bins None: `kl_from_samples`' default ("wkv")."""
    if route == "histogram":
        edges = wkv_partition(x, y) if bins == "wkv" else bins
        h = dv.histogram_pair(x, y, bins=edges)
        return float(dv.kl_from_histogram(h, pseudocount=pseudocount, base=base).value)
    options: dict[str, Any] = {}
    if bins is not None:
        options["bins"] = bins
    if base is not None:
        options["base"] = base
    if pseudocount:
        options["pseudocount"] = pseudocount
    if route == "samples with NaN omitted":  # NaN in both samples, nonfinite="omit"
        x, y = np.append(x, [np.nan] * 3), np.insert(y, 1, np.nan)
        options["nonfinite"] = "omit"
    return float(dv.kl_from_samples(x, y, **options).value)


def independent_kl(x, y, bins, base, pseudocount, *, swap=False, widen=True, x_quantiles=False):
    """Scipy's KL of the smoothed normalised counts on numpy's edges (or the WKV partition)."""
    if bins in (None, "wkv"):
        edges = wkv_partition(y, x) if x_quantiles else wkv_partition(x, y)
        if not widen:
            edges = np.quantile(y, np.linspace(0.0, 1.0, math.ceil(math.sqrt(y.size)) + 1))
    else:
        edges = np.histogram_bin_edges(pooled(x, y), bins)
    cx, cy = np.histogram(x, edges)[0] + pseudocount, np.histogram(y, edges)[0] + pseudocount
    if swap:
        cx, cy = cy, cx
    return float(stats.entropy(cx, cy, base=base))  # normalises: (c + a)/(n + a K)


def swapped_kl(x, y, bins, base, pseudocount, route) -> float:
    """KL(Q || P): the samples' roles swapped."""
    return independent_kl(x, y, bins, base, pseudocount, swap=True)


def x_quantile_kl(x, y, bins, base, pseudocount, route) -> float:
    """The default partition at x's quantiles, ceil(sqrt(n_x)) bins, widened to cover y."""
    return independent_kl(x, y, bins, base, pseudocount, x_quantiles=True)


def unwidened_kl(x, y, bins, base, pseudocount, route) -> float:
    """The default partition not widened to x's range: x's values beyond y's dropped."""
    return independent_kl(x, y, bins, base, pseudocount, widen=False)


def smoothed_x_only_kl(x, y, bins, base, pseudocount, route) -> float:
    """The pseudocount added to y's counts only (to keep Q positive), not to x's."""
    edges = (
        wkv_partition(x, y) if bins in (None, "wkv") else np.histogram_bin_edges(pooled(x, y), bins)
    )
    cx, cy = np.histogram(x, edges)[0], np.histogram(y, edges)[0] + pseudocount
    return float(stats.entropy(cx, cy, base=base))


def default_bins_unsmoothed_kl(x, y, bins, base, pseudocount, route) -> float:
    """The pseudocount left out on the default bins (taken as the unsmoothed default path)."""
    return independent_kl(x, y, bins, base, 0.0 if bins is None else pseudocount)


@claim(
    "estimate.plugin-kl",
    statement=(
        "`kl_from_samples` and `kl_from_histogram` return $KL(\\hat P \\| \\hat Q)$ of the "
        r"smoothed histograms $(c^x + a)/(n_x + aK)$, $(c^y + a)/(n_y + aK)$ on the bins asked "
        r"for; the default bins are the Wang-Kulkarni-Verdú partition, $\lceil \sqrt{n_y} "
        r"\rceil$ bins of equal $y$-count whose outer edges are widened to cover $x$."
    ),
    source="Wang, Kulkarni & Verdú (2005)",
    locator="IEEE T-IT 51(9) §III (partition by the y-sample's empirical quantiles)",
    check=(
        r"Seeded $x \sim N(0, 1.5^2)$, $y \sim N(0.3, 1)$ (x reaches beyond y's range), sizes "
        "that differ (400 to 150,000, both sides of the fused path's limit): the partition from "
        "`np.quantile` of y, or numpy's edges for an integer or a rule; counts from "
        "`np.histogram`, plus the pseudocount; the divergence from `scipy.stats.entropy`, which "
        "normalises the counts itself. The library's value (default options, a base, a "
        "pseudocount with a rule and with the default bins, NaN left out with "
        '`nonfinite="omit"`, from `histogram_pair`\'s counts) must match within 8 ulps per '
        "term."
    ),
    subject=library_kl,
    figure="estimator_paths_binned.png",
    falsifiers=[
        (r"the samples' roles swapped: $KL(\hat Q \| \hat P)$", swapped_kl),
        (
            r"the default partition at x's quantiles, $\lceil \sqrt{n_x} \rceil$ bins",
            x_quantile_kl,
        ),
        ("the default partition not widened: x's values beyond y's range dropped", unwidened_kl),
        ("the pseudocount added to y's counts only", smoothed_x_only_kl),
        ("the pseudocount left out with the default bins", default_bins_unsmoothed_kl),
    ],
)
def test_plugin_kl(estimate: Callable[..., float]):
    rng = np.random.default_rng(2005)
    for label, x, y in kl_cases(rng):
        for bins, base, alpha, route in KL_OPTIONS:
            tally()
            truth = independent_kl(x, y, bins, base, alpha)
            edges = (
                wkv_partition(x, y)
                if bins in (None, "wkv")
                else np.histogram_bin_edges(pooled(x, y), bins)
            )
            cx, cy = np.histogram(x, edges)[0] + alpha, np.histogram(y, edges)[0] + alpha
            tol = sum_tolerance(special.rel_entr(cx / cx.sum(), cy / cy.sum()))
            got = estimate(x, y, bins, base, alpha, route)
            same = got == truth if math.isinf(truth) else abs(got - truth) <= tol
            expect(
                same,
                f"KL from the {route}, bins={bins!r}, base={base}, pseudocount={alpha}",
                observed=got,
                expected=f"{truth} +- {tol:.2g}",
                repro=label,
            )


#: The kNN KL check's cases: (label, n, m, closed-form KL, sampler, bias allowance). The
#: allowance is the estimator's finite-sample bias at these sizes with k = 4, measured over 400
#: seeds (2-D, n = 200, m = 2000: +0.022 +- 0.004; 1-D, n = 2000, m = 200: -0.007 +- 0.002),
#: twice the measured bias plus two of its standard errors, rounded up. With n != m the term
#: log(m/(n-1)) is +-2.30 nats, so an error in it is two orders of magnitude above the allowance.
COV_2D = np.array([[1.0, 0.6], [0.6, 1.0]])
KNN_KL_CASES = (
    (
        "2-D, n = 200, m = 2000",
        200,
        2000,
        float(kl_multivariate_normal([0.0, 0.0], COV_2D, [0.5, 0.0], np.eye(2))),
        lambda rng, n, m: (
            rng.multivariate_normal([0.0, 0.0], COV_2D, n),
            rng.normal(size=(m, 2)) + np.array([0.5, 0.0]),
        ),
        0.06,
    ),
    (
        "1-D, n = 2000, m = 200",
        2000,
        200,
        float(kl_normal(0.0, 1.0, 0.5, 1.2)),
        lambda rng, n, m: (rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.2, m)),
        0.025,
    ),
)
KNN_REPLICATES = 100


def knn_kl_own(
    x: np.ndarray,
    y: np.ndarray,
    k: int,
    *,
    log_term: Callable[[int, int], float],
    d_factor: bool = True,
) -> float:
    """A k-d tree kNN KL: d/n sum log(nu_k / rho_k) + log_term(n, m), rho_k among the others."""
    xs, ys = x.reshape(len(x), -1), y.reshape(len(y), -1)
    rho = cKDTree(xs).query(xs, k=[k + 1])[0][:, 0]  # x_i itself is the first neighbour
    nu = cKDTree(ys).query(xs, k=[k])[0][:, 0]
    d = xs.shape[1] if d_factor else 1
    return d * float(np.mean(np.log(nu / rho))) + log_term(len(xs), len(ys))


@claim(
    "estimate.knn-kl-unequal-sizes",
    statement=(
        r"`kl_knn`'s estimate $\frac{d}{n} \sum_i \log\frac{\nu_k(i)}{\rho_k(i)} + "
        r"\log\frac{m}{n - 1}$ is close to $KL(P \| Q)$ when the sample sizes $n$ and $m$ "
        "differ by a factor of ten either way, in one and two dimensions."
    ),
    source="Wang, Kulkarni & Verdú (2009)",
    locator="IEEE T-IT 55(5) eq. (5) and Thms 1-2",
    check=(
        r"100 seeded replicates, $k = 4$, of a correlated 2-D Gaussian against a shifted "
        r"standard one with $n = 200$, $m = 2000$ (`kl_multivariate_normal`: 0.348), and of "
        r"$N(0, 1)$ against $N(0.5, 1.2^2)$ with $n = 2000$, $m = 200$ (`kl_normal`: 0.116): "
        r"the mean of the unclipped estimates within $Z$ standard errors (from the replicates' "
        "spread) plus the estimator's finite-sample bias at those sizes (measured over 400 "
        "seeds; twice it plus two of its standard errors) of the closed form. A plain "
        r"$\log\frac{m}{n}$ differs by $1/n$, below this resolution: not a falsifier here."
    ),
    subject=lambda x, y, k: dv.kl_knn(x, y, k=k, seed=0).unclipped,
    figure="estimator_paths_knn.png",
    falsifiers=[
        (
            r"the size term's sign flipped: $\log\frac{n - 1}{m}$",
            lambda x, y, k: knn_kl_own(x, y, k, log_term=lambda n, m: math.log((n - 1) / m)),
        ),
        (
            r"the size term dropped (right for $n - 1 = m$ only)",
            lambda x, y, k: knn_kl_own(x, y, k, log_term=lambda n, m: 0.0),
        ),
        (
            r"the factor $d$ dropped: $\frac1n \sum_i \log\frac{\nu_k(i)}{\rho_k(i)}$",
            lambda x, y, k: knn_kl_own(
                x, y, k, log_term=lambda n, m: math.log(m / (n - 1)), d_factor=False
            ),
        ),
        (
            r"the samples' roles swapped (an estimate of $KL(Q \| P)$)",
            lambda x, y, k: knn_kl_own(y, x, k, log_term=lambda n, m: math.log(m / (n - 1))),
        ),
    ],
)
def test_knn_kl_unequal_sizes(estimator: Callable[[np.ndarray, np.ndarray, int], float]):
    rng = np.random.default_rng(2009)
    for label, n, m, truth, draw, bias in KNN_KL_CASES:
        tally(KNN_REPLICATES)
        values = np.array([estimator(*draw(rng, n, m), 4) for _ in range(KNN_REPLICATES)])
        se = float(values.std(ddof=1)) / math.sqrt(KNN_REPLICATES)
        tol = Z_SCORE * se + bias
        expect(
            abs(float(values.mean()) - truth) <= tol,
            f"mean kNN KL, {label}",
            observed=float(values.mean()),
            expected=f"{truth} +- {tol:.3g}",
            repro=label,
        )


#: The kNN JSD check: N(0, 1) against N(1, 2^2), whose JSD is js_normal's.
JS_PAIR = ((0.0, 1.0), (1.0, 2.0))
JS_PAIR_TRUE = float(js_normal(*JS_PAIR[0], *JS_PAIR[1]))
#: The estimators' finite-sample bias on that pair (default k = 10, ensemble k = 5), measured
#: over 400 seeds: -0.0000 (300 + 300), -0.0050 (150 + 1200 and 1200 + 150), -0.0025 (the
#: ensemble, 300 + 300), -0.0035 (batch, 200 + 200), each +- 0.001: twice the largest plus two
#: standard errors, rounded up.
JS_BIAS = 0.015
JS_REPLICATES = 30


@dataclass(frozen=True)
class KnnJS:
    """A kNN JSD estimator: one pair (sizes may differ), and a batch of equal-size pairs."""

    single: Callable[[np.ndarray, np.ndarray, int, bool], float]
    batch: Callable[[np.ndarray, np.ndarray], np.ndarray]


def kl_entropy(points: np.ndarray, k: int) -> float:
    """Kozachenko-Leonenko entropy at order k, from a k-d tree (V_d included)."""
    n, d = points.shape
    r = cKDTree(points).query(points, k=[k + 1])[0][:, 0]
    log_ball = d / 2 * math.log(math.pi) - float(special.gammaln(d / 2 + 1))
    return float(special.digamma(n) - special.digamma(k)) + log_ball + d * float(np.mean(np.log(r)))


def whole_pool_js(half: float) -> KnnJS:
    """H(x and y pooled whole) - half H(x) - half H(y), order 10 (the pool's 2k = 20)."""

    def single(x, y, seed, ensemble):
        xs, ys = x.reshape(len(x), -1), y.reshape(len(y), -1)
        h_m = kl_entropy(np.concatenate([xs, ys]), 20)
        return h_m - half * kl_entropy(xs, 10) - half * kl_entropy(ys, 10)

    return KnnJS(
        single=single,
        batch=lambda xb, yb: np.array(
            [single(a, b, 0, False) for a, b in zip(xb, yb, strict=True)]
        ),
    )


def library_knn_js() -> KnnJS:
    """`js_knn` (its default k, or the ensemble) and `js_knn_batch`, unclipped."""
    return KnnJS(
        single=lambda x, y, seed, ensemble: (
            dv.js_knn(x, y, seed=seed, bias_correction="ensemble" if ensemble else None).unclipped
        ),
        batch=lambda xb, yb: dv.js_knn_batch(xb, yb, clip=False),
    )


#: (label, n_x, n_y, ensemble) of the single-pair cases.
KNN_JS_CASES = (
    ("n_x = n_y = 300", 300, 300, False),
    ("n_x = 150, n_y = 1200", 150, 1200, False),
    ("n_x = 1200, n_y = 150", 1200, 150, False),
    ("n_x = n_y = 300, ensemble", 300, 300, True),
)


@claim(
    "estimate.knn-js",
    statement=(
        "`js_knn` (its default order, or the ensemble bias correction) and `js_knn_batch` "
        r"estimate $JSD(P, Q)$ from samples of equal or different sizes, up to a "
        "finite-sample bias of a few thousandths of a nat at a few hundred points."
    ),
    source="Kozachenko & Leonenko (1987); Kraskov, Stögbauer & Grassberger (2004)",
    locator=r"Phys. Rev. E 69 eq. 20, in $JSD = H(M) - \tfrac12 H(P) - \tfrac12 H(Q)$",
    check=(
        r"$x \sim N(0, 1)$, $y \sim N(1, 2^2)$, JSD from `js_normal` (0.128): 30 seeded "
        "replicates each of 300 + 300, 150 + 1200 and 1200 + 150 points (`js_knn`), of 300 + "
        "300 with the ensemble, and batches of 30 pairs of 200 + 200 and 8 of 1001 + 1001 "
        "(`js_knn_batch`, its 1-D sweep at both sizes): the "
        r"mean of the unclipped estimates within $Z$ standard errors (the replicates' spread) "
        "plus 0.015 nats (the measured finite-sample bias, twice it and two standard errors)."
    ),
    subject=library_knn_js(),
    figure="estimator_paths_knn.png",
    falsifiers=[
        (
            "the mixture's sample taken as x and y pooled whole: a mixture weighted by the "
            "sample sizes",
            whole_pool_js(0.5),
        ),
        (r"the halves dropped: $H(M) - H(P) - H(Q)$", whole_pool_js(1.0)),
    ],
)
def test_knn_js(estimator: KnnJS):
    rng = np.random.default_rng(1987)
    (mu_p, s_p), (mu_q, s_q) = JS_PAIR

    def within(values: np.ndarray, label: str) -> None:
        se = float(values.std(ddof=1)) / math.sqrt(values.size)
        tol = Z_SCORE * se + JS_BIAS
        expect(
            abs(float(values.mean()) - JS_PAIR_TRUE) <= tol,
            f"mean kNN JSD, {label}",
            observed=float(values.mean()),
            expected=f"{JS_PAIR_TRUE} +- {tol:.3g}",
            repro=label,
        )

    for label, n, m, ensemble in KNN_JS_CASES:
        tally(JS_REPLICATES)
        values = [
            estimator.single(rng.normal(mu_p, s_p, n), rng.normal(mu_q, s_q, m), seed, ensemble)
            for seed in range(JS_REPLICATES)
        ]
        within(np.array(values), label)
    for size, pairs in ((200, JS_REPLICATES), (1001, 8)):  # the batch's 1-D sweep, both
        tally(pairs)
        xb = rng.normal(mu_p, s_p, (pairs, size, 1))
        yb = rng.normal(mu_q, s_q, (pairs, size, 1))
        values = np.asarray(estimator.batch(xb, yb), dtype=float)
        within(values, f"js_knn_batch, {size} + {size}")


#: The discriminator check's cases: (classifier, Q's mean and sd, where D* lies). P = N(0, 1).
DISCRIMINATOR_CASES = (
    ("logistic", 1.0, 1.0),  # equal variances: log(p/q) is affine
    ("quadratic", 0.0, 2.0),  # equal means: log(p/q) is quadratic, its affine part zero
)
#: The cross-fitted estimate's bias at n_x = 500, n_y = 1500, 2 folds, measured over 150 seeds:
#: -0.0002 +- 0.0009 (logistic), -0.0017 +- 0.0007 (quadratic): twice the larger plus two
#: standard errors, rounded up. The fitted parameters' noise lowers the estimate by O(p/n).
DISCRIMINATOR_BIAS = 0.006
DISCRIMINATOR_REPLICATES = 12


def own_discriminator(quadratic: bool, balanced: bool, half: float):
    """A cross-fitted (2 folds) logistic discriminator JSD, fitted with scipy's L-BFGS."""
    from scipy.optimize import minimize

    def estimate(x, y, kind, seed):
        rng = np.random.default_rng(seed)
        fold_x, fold_y = rng.permutation(x.size) % 2, rng.permutation(y.size) % 2

        def feats(z):
            return np.column_stack(
                [z, z * z, np.ones_like(z)] if quadratic else [z, np.ones_like(z)]
            )

        t_x, t_y = np.empty(x.size), np.empty(y.size)
        for f in range(2):
            fx, fy = feats(x[fold_x != f]), feats(y[fold_y != f])

            def loss(theta, fx=fx, fy=fy):
                a, b = np.logaddexp(0.0, -fx @ theta), np.logaddexp(0.0, fy @ theta)
                if balanced:
                    return 0.5 * a.mean() + 0.5 * b.mean()
                return (a.sum() + b.sum()) / (a.size + b.size)

            theta = minimize(loss, np.zeros(fx.shape[1]), method="L-BFGS-B").x
            t_x[fold_x == f], t_y[fold_y == f] = (
                feats(x[fold_x == f]) @ theta,
                feats(y[fold_y == f]) @ theta,
            )
        a = math.log(2.0) - np.logaddexp(0.0, -t_x)
        b = math.log(2.0) - np.logaddexp(0.0, t_y)
        return half * float(a.mean()) + half * float(b.mean())

    return estimate


@claim(
    "estimate.discriminator-fits",
    statement=(
        "`js_discriminator`'s fitted classifiers (`logistic`, an affine logit; `quadratic`, the "
        r"default) recover $D^* = p/(p+q)$ when it lies in their family: the cross-fitted "
        r"estimate from samples of unequal sizes is $JSD(P, Q)$ up to the fitting noise's "
        r"$O(1/n)$ bias."
    ),
    source="Goodfellow et al. (2014)",
    locator="Proposition 1 ($D^*$) and Theorem 1, read as an estimator of JSD",
    check=(
        r"$P = N(0, 1)$ against $Q = N(1, 1)$ (`logistic`: $\log(p/q)$ affine) and against "
        r"$Q = N(0, 2^2)$ (`quadratic`: $\log(p/q)$ quadratic, no affine part), $n_x = 500$, "
        r"$n_y = 1500$, 2 folds, 12 seeds: the mean estimate within $Z$ standard errors (the "
        "seeds' spread) plus 0.006 nats (the measured fitting bias, twice it and two standard "
        "errors) of `js_normal`."
    ),
    subject=lambda x, y, kind, seed: float(
        dv.js_discriminator(x, y, classifier=kind, folds=2, seed=seed, ci=None)
    ),
    figure="estimator_paths_knn.png",
    falsifiers=[
        (
            "an affine logit for every pair (the quadratic features left out)",
            own_discriminator(quadratic=False, balanced=True, half=0.5),
        ),
        (
            "the plain logistic loss on the pooled points, not class-balanced: a posterior at "
            r"the prior $n_x/(n_x + n_y)$ taken as $D$",
            own_discriminator(quadratic=True, balanced=False, half=0.5),
        ),
        (
            r"the halves dropped: $\log 2 + \overline{\log D}_x + \overline{\log(1 - D)}_y$",
            own_discriminator(quadratic=True, balanced=True, half=1.0),
        ),
    ],
)
def test_discriminator_fits(estimator: Callable[[np.ndarray, np.ndarray, str, int], float]):
    rng = np.random.default_rng(2014)
    for kind, mu_q, s_q in DISCRIMINATOR_CASES:
        tally(DISCRIMINATOR_REPLICATES)
        truth = float(js_normal(0.0, 1.0, mu_q, s_q))
        values = np.array(
            [
                estimator(rng.normal(0.0, 1.0, 500), rng.normal(mu_q, s_q, 1500), kind, seed)
                for seed in range(DISCRIMINATOR_REPLICATES)
            ]
        )
        se = float(values.std(ddof=1)) / math.sqrt(values.size)
        tol = Z_SCORE * se + DISCRIMINATOR_BIAS
        expect(
            abs(float(values.mean()) - truth) <= tol,
            f"mean discriminator JSD, {kind}",
            observed=float(values.mean()),
            expected=f"{truth} +- {tol:.3g}",
            repro=f"Q = N({mu_q}, {s_q}^2)",
        )


#: The fields check's calls: (estimator, n_x, n_y, d, options, the order the docs promise).
#: js_knn's default order is 10, or min(n_x, n_y) - 1 below 11 points; the ensemble's is 5.
FIELD_CASES = (
    ("js_knn", 50, 120, 1, {}, 10),
    ("js_knn", 120, 50, 2, {"k": 3}, 3),
    ("js_knn", 8, 30, 1, {}, 7),
    ("js_knn", 60, 60, 3, {"bias_correction": "ensemble"}, 5),
    ("kl_knn", 80, 200, 2, {"k": 2}, 2),
    ("kl_knn", 200, 80, 1, {}, 1),
)


def library_knn_result(name: str, x: np.ndarray, y: np.ndarray, options: dict[str, Any]) -> Any:
    """The library's kNN estimate, with its fields."""
    estimator = dv.js_knn if name == "js_knn" else dv.kl_knn
    return estimator(x, y, seed=0, **options)


@dataclass(frozen=True)
class Fields:
    """The fields a wrong implementation would report."""

    n_x: int
    n_y: int
    k: Any
    dimension: int


def sizes_as_small_large(name, x, y, options) -> Fields:
    """The sizes of the (smaller, larger) pair the estimator works on, not of (x, y)."""
    r = library_knn_result(name, x, y, options)
    return Fields(min(r.n_x, r.n_y), max(r.n_x, r.n_y), r.k, r.dimension)


def k_as_given(name, x, y, options) -> Fields:
    """The order as the caller gave it (None for the default), not the one used."""
    r = library_knn_result(name, x, y, options)
    return Fields(r.n_x, r.n_y, options.get("k"), r.dimension)


def dimension_of_raw_shape(name, x, y, options) -> Fields:
    """The dimension read from the input's last axis as given (a 1-D sample's length)."""
    r = library_knn_result(name, x, y, options)
    return Fields(r.n_x, r.n_y, r.k, np.shape(x)[-1])


@claim(
    "estimate.knn-result-fields",
    statement=(
        "A `kl_knn` or `js_knn` result reports the sizes $n_x$, $n_y$ of x and y as passed, the "
        "neighbour order it used (the documented default when none is given) and the dimension "
        "$d$ of the points."
    ),
    source="divergences.KnnEstimate (its documented attributes)",
    locator="docstrings of js_knn (k: default 10, or min(n_x, n_y) - 1; the ensemble's 5) and "
    "kl_knn (k: default 1)",
    check=(
        "Seeded Gaussian samples, x smaller or larger than y, 1-D (shape $(n,)$), 2-D and 3-D, "
        "default and explicit orders, the ensemble: `n_x`, `n_y`, `k` and `dimension` against "
        "the arrays' own lengths, the dimension they were drawn in and the orders the "
        "docstrings promise."
    ),
    figure="knn_result_fields.png",
    subject=library_knn_result,
    falsifiers=[
        ("the sizes of the (smaller, larger) pair the estimator works on", sizes_as_small_large),
        ("the order as the caller gave it (None for the default)", k_as_given),
        (
            "the dimension read from the input's last axis (a 1-D sample's length)",
            dimension_of_raw_shape,
        ),
    ],
)
def test_knn_result_fields(estimate: Callable[..., Any]):
    rng = np.random.default_rng(2026)
    for name, n, m, d, options, order in FIELD_CASES:
        tally()
        shape_x, shape_y = ((n,), (m,)) if d == 1 else ((n, d), (m, d))
        x, y = rng.normal(0.0, 1.0, shape_x), rng.normal(0.5, 1.0, shape_y)
        r = estimate(name, x, y, options)
        repro = f"{name}(x of {shape_x}, y of {shape_y}, {options})"
        expect(
            (r.n_x, r.n_y) == (n, m),
            f"{name}: sizes",
            observed=(r.n_x, r.n_y),
            expected=(n, m),
            repro=repro,
        )
        expect(r.k == order, f"{name}: order", observed=r.k, expected=order, repro=repro)
        expect(
            r.dimension == d, f"{name}: dimension", observed=r.dimension, expected=d, repro=repro
        )


#: The standard-error check: (estimator, n_x, n_y, d, the sampler's Q shift), R replicates each.
SE_CASES = (("kl_knn", 200, 2000, 2), ("js_knn", 300, 300, 1))
SE_REPLICATES = 40


def library_knn_with_ci(name: str, x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, float]:
    """The unclipped estimate and the standard error the estimator reports with ci=0.95."""
    estimator = dv.js_knn if name == "js_knn" else dv.kl_knn
    r = estimator(x, y, ci=0.95, seed=seed)
    return float(r.unclipped), float(r.standard_error)


def jackknife_without_factor(name, x, y, seed) -> tuple[float, float]:
    """The jackknife's sqrt(sum of squared deviations / G): the (G - 1) factor left out."""
    value, se = library_knn_with_ci(name, x, y, seed)
    return value, se / math.sqrt(9.0)  # G = 10 groups: sqrt((G-1)/G S) -> sqrt(S/G)


@claim(
    "estimate.knn-standard-error",
    statement=(
        "With `ci`, the standard error `kl_knn` and `js_knn` report (a delete-a-group "
        "jackknife) is the estimator's standard deviation over independent samples, to within "
        "the sampling error of that standard deviation."
    ),
    source="Efron & Tibshirani (1993), ch. 11 (the jackknife estimate of standard error)",
    locator=r"eq. 11.5: $\sqrt{\frac{G-1}{G} \sum_g (\hat\theta_{(g)} - \bar\theta)^2}$",
    check=(
        "40 seeded replicates each of `kl_knn` (2-D, $n = 200$, $m = 2000$, the Gaussians of "
        "`estimate.knn-kl-unequal-sizes`) and of `js_knn` (1-D, 300 + 300): the mean reported "
        "standard error over the spread of the 40 estimates must lie in "
        r"$[1 - Z/\sqrt{2(R-1)}, 1/(1 - Z/\sqrt{2(R-1)})]$, $R = 40$: $Z$ relative standard "
        "errors of a sample standard deviation (the jackknife is documented as conservative, "
        "covering 93-100% at 95%, so the interval is not tightened above)."
    ),
    subject=library_knn_with_ci,
    figure="estimator_paths_knn.png",
    falsifiers=[
        (
            r"the jackknife without its $G - 1$: $\sqrt{\frac1G \sum_g (\hat\theta_{(g)} - "
            r"\bar\theta)^2}$",
            jackknife_without_factor,
        ),
    ],
)
def test_knn_standard_error(estimate: Callable[..., tuple[float, float]]):
    rng = np.random.default_rng(1993)
    slack = Z_SCORE / math.sqrt(2 * (SE_REPLICATES - 1))
    low, high = 1.0 - slack, 1.0 / (1.0 - slack)
    for name, n, m, d in SE_CASES:
        tally(SE_REPLICATES)
        results = []
        for seed in range(SE_REPLICATES):
            if d == 1:
                x, y = rng.normal(0.0, 1.0, n), rng.normal(1.0, 2.0, m)
            else:
                x = rng.multivariate_normal([0.0, 0.0], COV_2D, n)
                y = rng.normal(size=(m, 2)) + np.array([0.5, 0.0])
            results.append(estimate(name, x, y, seed))
        values, errors = np.array(results).T
        ratio = float(errors.mean()) / float(values.std(ddof=1))
        expect(
            low <= ratio <= high,
            f"{name}: reported standard error over the estimates' spread",
            observed=ratio,
            expected=f"in [{low:.3f}, {high:.3f}]",
            repro=f"{name}, n_x = {n}, n_y = {m}, d = {d}",
        )


# --------------------------------------------------------------------------------------------
# estimate.batch-rows: a batch (axis=) is its pairs estimated alone, on a shared bin count
# --------------------------------------------------------------------------------------------


def batch_cases(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(label, x, y): 8 pairs a batch, x rows of 300 values and y rows of 200.

    The pairs' locations, scales and tails differ, so do their ranges and their rules' counts.
    """
    loc = np.arange(8.0)[:, None]
    scale = 1.0 + 0.5 * np.arange(8.0)[:, None]
    x = loc + scale * rng.normal(0.0, 1.0, (8, 300))
    y = loc + 0.3 + scale * rng.standard_t(3.0, (8, 200))
    narrow = rng.normal(0.0, 1e-3, (8, 300))
    return [
        ("shifted and scaled rows", x, y),
        ("one row 1000 times narrower", x, np.vstack([y[:7], narrow[:1, :200]])),
    ]


def pair_js(x: np.ndarray, y: np.ndarray, edges: np.ndarray) -> float:
    """Scipy's JSD of the two samples' np.histogram counts, each over its own total."""
    p, q = normalised_counts(x, y, edges)
    return float(jensenshannon(p, q) ** 2)


def shared_count(x: np.ndarray, y: np.ndarray, bins: Any) -> int:
    """The batch's bin count: the integer, or the largest count numpy's rule gives any pair."""
    if isinstance(bins, int):
        return bins
    return max(
        np.histogram_bin_edges(pooled(a, b), bins).size - 1 for a, b in zip(x, y, strict=True)
    )


def library_batch_js(x: np.ndarray, y: np.ndarray, bins: Any, axis: int) -> np.ndarray:
    """The library's batch: rows of x and y paired (axis=1), or the columns of their transposes."""
    if axis == 0:
        return np.asarray(dv.js_from_samples(x.T, y.T, bins=bins, axis=0).value)
    return np.asarray(dv.js_from_samples(x, y, bins=bins, axis=1).value)


def batch_range_js(x, y, bins, axis) -> np.ndarray:
    """One range for the whole batch (its pooled min and max), not one per pair."""
    edges = np.histogram_bin_edges(np.concatenate([x.ravel(), y.ravel()]), shared_count(x, y, bins))
    return np.array([pair_js(a, b, edges) for a, b in zip(x, y, strict=True)])


def own_rule_count_js(x, y, bins, axis) -> np.ndarray:
    """Each pair on its own rule's count, not the largest over the pairs."""
    return np.array(
        [
            pair_js(a, b, np.histogram_bin_edges(pooled(a, b), bins))
            for a, b in zip(x, y, strict=True)
        ]
    )


def first_pair_edges_js(x, y, bins, axis) -> np.ndarray:
    """The first pair's edges for every pair (edges computed once)."""
    edges = np.histogram_bin_edges(pooled(x[0], y[0]), shared_count(x, y, bins))
    return np.array([pair_js(a, b, edges) for a, b in zip(x, y, strict=True)])


@claim(
    "estimate.batch-rows",
    statement=(
        "With `axis`, `js_from_samples` estimates each pair of a batch as the plug-in JSD of that "
        "pair alone, on edges spanning that pair's pooled range, with one bin count for the "
        "batch: the integer asked for, or the largest count the rule gives any pair."
    ),
    source="numpy.histogram_bin_edges; scipy.spatial.distance.jensenshannon",
    locator="the batch semantics of histogram_pair's `axis` (its docstring, Batches)",
    check=(
        "Two seeded batches of 8 pairs (x rows of 300 values, y rows of 200; locations 0-7, "
        "scales 1-4.5, y Student-t, in one batch a pair whose y is 1000 times narrower): per "
        "pair, the count (an integer, or the largest of numpy's `auto` and `fd` counts over the "
        "pairs), `np.histogram_bin_edges` of the pair pooled with that count, `np.histogram` and "
        "scipy's `jensenshannon(p, q)**2`; the library's batch, rows paired (`axis=1`) and "
        "columns of the transposes (`axis=0`), must match every pair within 8 ulps per term."
    ),
    subject=library_batch_js,
    figure="estimator_paths_batch.png",
    falsifiers=[
        (
            "one range for the whole batch (its pooled min and max), not one per pair",
            batch_range_js,
        ),
        ("each pair on its own rule's count, not the largest over the pairs", own_rule_count_js),
        ("the first pair's edges for every pair (edges computed once)", first_pair_edges_js),
    ],
)
def test_batch_rows(estimate: Callable[..., np.ndarray]):
    rng = np.random.default_rng(2018)
    for label, x, y in batch_cases(rng):
        for bins in (16, "auto", "fd"):
            count = shared_count(x, y, bins)
            for axis in (1, 0):
                tally()
                got = estimate(x, y, bins, axis)
                for i, (a, b) in enumerate(zip(x, y, strict=True)):
                    edges = np.histogram_bin_edges(pooled(a, b), count)
                    p, q = normalised_counts(a, b, edges)
                    truth = float(jensenshannon(p, q) ** 2)
                    mix = (p + q) / 2
                    tol = sum_tolerance(special.rel_entr(p, mix), special.rel_entr(q, mix))
                    expect(
                        got.shape == (x.shape[0],) and abs(float(got[i]) - truth) <= tol,
                        f"pair {i} of one value per pair, bins={bins!r} ({count} bins), "
                        f"axis={axis}",
                        observed=float(got[i]),
                        expected=f"{truth} +- {tol:.2g}",
                        repro=label,
                    )

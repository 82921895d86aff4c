"""Claims on the sample estimators' own code paths: bin rules, defaults, kNN sizes, fits.

Issue 18: the other estimator claims pass explicit bins, equal kNN sample sizes and fixed
discriminators, so the bin rules, the fused path of the default options, the WKV default
partition, ``kl_from_histogram``, ``kl_knn``'s :math:`\\log\\frac{m}{n-1}` term with
:math:`n \\ne m`, ``js_knn`` / ``js_knn_batch`` and the discriminator's fits ran in no proof.
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
    """x and y as one sample, the data numpy's rules see."""
    return np.concatenate([x, y])


def rule_samples(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray, Any]]:
    """(label, x, y, range) of the bin-rule check: sizes that differ, three shapes of data."""
    cases = []
    for n, m in ((50, 80), (300, 1000), (2000, 2000), (5000, 400)):
        cases += [
            ("normal", rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.2, m), (-1.5, 2.0)),
            ("lognormal", rng.lognormal(0.0, 1.0, n), rng.lognormal(0.3, 0.8, m), (0.2, 4.0)),
            ("poisson", rng.poisson(20, n), rng.poisson(25, m), (10, 30)),
        ]
    return [
        (f"{label}, n_x = {x.size}, n_y = {y.size}", x, y, r)
        for label, x, y, bounds in cases
        for r in (None, bounds)
    ]


def library_rule_edges(x: np.ndarray, y: np.ndarray, rule: str, range_: Any) -> np.ndarray:
    """The edges the library's estimate used for the rule name (its histogram's edges)."""
    return np.asarray(dv.js_from_samples(x, y, bins=rule, range=range_).histogram.edges)


def auto_as_sturges(x: np.ndarray, y: np.ndarray, rule: str, range_: Any) -> np.ndarray:
    """numpy's edges, "auto" read as "sturges" (numpy's rule for small samples)."""
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


@claim(
    "estimate.bin-rules",
    statement=(
        "The binned estimators' bin rules (`auto`, `fd`, `scott`, `sturges`, `sqrt`, `rice`), "
        "with or without a `range`, give the edges `numpy.histogram_bin_edges` gives with the "
        "same rule on the pooled sample (x and y concatenated)."
    ),
    source="numpy.histogram_bin_edges; docs/conventions.md (bin rules on the pooled sample)",
    locator="numpy reference: numpy.histogram_bin_edges, bins as a string",
    check=(
        "Seeded Gaussian, lognormal and Poisson (integer) samples of sizes 50 to 5000 that "
        "differ between x and y, each rule, no range and a range that cuts off values: the "
        "edges of `js_from_samples(x, y, bins=rule, range=...)` (the fused path for `auto` on "
        "float samples without a range, the pooled statistics of `_bin_rules` otherwise) must "
        "equal `np.histogram_bin_edges(np.concatenate([x, y]), rule, range)` element for "
        "element, as the library promises."
    ),
    subject=library_rule_edges,
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
    ],
)
def test_bin_rules(edges_of: Callable[[np.ndarray, np.ndarray, str, Any], np.ndarray]):
    rng = np.random.default_rng(1818)
    for label, x, y, range_ in rule_samples(rng):
        for rule in NUMPY_RULES:
            tally()
            expected = np.histogram_bin_edges(pooled(x, y), rule, range_)
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
)


def library_js(x: np.ndarray, y: np.ndarray, bins: Any, base: float | None, route: str) -> float:
    """The library's plug-in JSD: from the samples, or from the histogram pair's counts."""
    if route == "histogram":
        return float(dv.js_from_histogram(dv.histogram_pair(x, y, bins=bins), base=base).value)
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
        "the default options (the fused kernel), with a base, and from `histogram_pair`'s "
        "counts must match it within 8 ulps per term of the absolute sums."
    ),
    subject=library_js,
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
    (20, None, 1.0, "histogram"),
    ("wkv", 10.0, 0.0, "histogram"),
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
    return float(dv.kl_from_samples(x, y, **options).value)


def independent_kl(x, y, bins, base, pseudocount, *, swap=False, widen=True, x_quantiles=False):
    """scipy's KL of the smoothed normalised counts on numpy's edges (or the WKV partition)."""
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
        "pseudocount, from `histogram_pair`'s counts) must match within 8 ulps per term."
    ),
    subject=library_kl,
    falsifiers=[
        (r"the samples' roles swapped: $KL(\hat Q \| \hat P)$", swapped_kl),
        (
            r"the default partition at x's quantiles, $\lceil \sqrt{n_x} \rceil$ bins",
            x_quantile_kl,
        ),
        ("the default partition not widened: x's values beyond y's range dropped", unwidened_kl),
        ("the pseudocount added to y's counts only", smoothed_x_only_kl),
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

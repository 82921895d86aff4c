"""Routes of the claims on what a result reports (proofs/test_estimator_paths_2.py).

estimate.divergence-named, estimate.off-support-mass, estimate.dropped-reported,
estimate.no-interval-options, estimate.histogram-counts-reported and estimate.knn-interval:
the library's fields, the same fields with one plausible slip each (the falsifiers), and for
each claim its verdict per case, which the check asserts and the figure draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

import divergences as dv
from divergences.claims import expect, tally

#: Machine epsilon of float64.
EPS = float(np.finfo(np.float64).eps)


def pair_counts(a: np.ndarray, b: np.ndarray, count: int, range_: Any):
    """np.histogram's counts of one pair on its own edges (its pooled span, or the range)."""
    edges = np.histogram_bin_edges(np.concatenate([a, b]), count, range_)
    return np.histogram(a, edges)[0], np.histogram(b, edges)[0]


#: (route, divergence, bins, range, pseudocount) of the binned estimates the field claims read:
#: the fused path (1-D, options at their defaults), a range (values dropped), a pseudocount (the
#: general path), from a histogram, the JSD, and a batch of two pairs (rows).
FIELD_ROUTES = (
    ("kl_from_samples", "kl", 20, None, 0.0),
    ("kl_from_samples", "kl", 20, (-4.0, 2.5), 0.0),
    ("kl_from_samples", "kl", 20, None, 0.5),
    ("kl_from_histogram", "kl", 20, None, 0.0),
    ("js_from_samples", "js", 20, None, 0.0),
    ("js_from_samples", "js", 16, (-4.0, 2.5), 0.0),
)
FIELD_LEVEL = 0.9
SWAPPED = {"kl": "js", "js": "kl"}
#: The samples of every field claim: x's tails reach bins y leaves empty.
FIELD_SEED = 1951


def field_samples() -> tuple[np.ndarray, np.ndarray]:
    """x: 2000 values from N(0, 1.5^2), y: 500 from N(0.5, 1) (seed FIELD_SEED)."""
    rng = np.random.default_rng(FIELD_SEED)
    return rng.normal(0.0, 1.5, 2000), rng.normal(0.5, 1.0, 500)


def library_fields(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """The fields of the binned estimates of FIELD_ROUTES and of kl_knn / js_knn with a ci."""
    binned = []
    for route, _, bins, range_, alpha in FIELD_ROUTES:
        if route == "kl_from_histogram":
            r = dv.kl_from_histogram(dv.histogram_pair(x, y, bins=bins, range=range_))
        elif route == "kl_from_samples":
            options = {"pseudocount": alpha} if alpha else {}
            r = dv.kl_from_samples(x, y, bins=bins, range=range_, **options)
        else:
            r = dv.js_from_samples(x, y, bins=bins, range=range_)
        h = r.histogram
        binned.append(
            {
                "label": r.divergence,
                "mass": r.off_support_mass,
                "dropped": (h.dropped_x, h.dropped_y),
                "options": (r.ci_method, r.n_boot),
                "counts": (h.counts_x, h.counts_y),
                "edges": np.asarray(h.edges),
            }
        )
    knn = []
    for estimator in (dv.kl_knn, dv.js_knn):
        r = estimator(x, y, ci=FIELD_LEVEL, seed=0)
        knn.append(
            {
                "label": r.divergence,
                "level": r.ci_level,
                "value": r.unclipped,
                "se": r.standard_error,
                "interval": tuple(r.interval or ()),
            }
        )
    return {"binned": binned, "knn": knn}


def fields_with(
    *,
    mass_as_count: bool = False,
    swapped: bool = False,
    kl_everywhere: bool = False,
    one_sided: bool = False,
    fixed_level: bool = False,
    clipped: bool = False,
    dropped_pooled: bool = False,
    mass_for_js: bool = False,
    default_options: bool = False,
    default_boot: bool = False,
    pooled_counts: bool = False,
    last_bin_open: bool = False,
) -> Callable[[np.ndarray, np.ndarray], dict[str, Any]]:
    """The library's fields with one plausible slip made in them."""

    def fields(x, y):
        out = library_fields(x, y)
        for (_, _, bins, range_, _), f in zip(FIELD_ROUTES, out["binned"], strict=True):
            if default_options:  # the interval's default options, whether or not one was asked
                f["options"] = ("bca", 1000)
            if default_boot:  # the method cleared without an interval, the replicates not
                f["options"] = (None, 1000)
            if clipped and range_ is not None:  # values outside the range in the end bins
                f["dropped"] = (0, 0)
                if f["mass"] is not None:
                    cx, cy = pair_counts(np.clip(x, *range_), np.clip(y, *range_), bins, range_)
                    f["mass"] = cx[cy == 0].sum() / cx.sum()
            if dropped_pooled:  # both samples' values outside, reported for each
                f["dropped"] = (sum(f["dropped"]),) * 2
            if mass_as_count and f["mass"] is not None:
                cx, cy = pair_counts(x, y, bins, range_)
                f["mass"] = int(cx[cy == 0].sum())
            if mass_for_js and f["mass"] is None:  # the fraction whatever the divergence
                cx, cy = pair_counts(x, y, bins, range_)
                f["mass"] = cx[cy == 0].sum() / cx.sum()
            if pooled_counts:  # the pooled sample's counts in both fields
                f["counts"] = (f["counts"][0] + f["counts"][1],) * 2
            if last_bin_open:  # [a, b) for every bin: a value at the last edge not counted
                f["counts"] = tuple(
                    np.histogram(v[v < f["edges"][-1]], f["edges"])[0] for v in (x, y)
                )
            if swapped:
                f["label"] = SWAPPED[f["label"]]
            if kl_everywhere:
                f["label"] = "kl"
        for f in out["knn"]:
            if one_sided or fixed_level:  # z of the level itself, or of 95 % whatever is asked
                z = float(stats.norm.ppf(f["level"] if one_sided else 0.975))
                f["interval"] = (max(f["value"] - z * f["se"], 0.0), f["value"] + z * f["se"])
            if swapped:
                f["label"] = SWAPPED[f["label"]]
            if kl_everywhere:
                f["label"] = "kl"
        return out

    return fields


def _where(route: tuple[Any, ...]) -> str:
    name, _, bins, range_, alpha = route
    return f"{name}, bins={bins}, range={range_}, pseudocount={alpha}"


def named_verdicts(out: dict[str, Any]) -> list[tuple[str, bool, Any, Any]]:
    """(case, holds, observed, expected): each estimate's divergence against the one asked."""
    rows = [
        (_where(r), f["label"] == r[1], f["label"], r[1])
        for r, f in zip(FIELD_ROUTES, out["binned"], strict=True)
    ]
    for name, f in zip(("kl_knn", "js_knn"), out["knn"], strict=True):
        rows.append((f"{name}, ci={FIELD_LEVEL}", f["label"] == name[:2], f["label"], name[:2]))
    return rows


def mass_verdicts(x, y, out: dict[str, Any]) -> list[tuple[str, bool, Any, Any]]:
    """KL: x's binned mass where y has none, from numpy's counts; JS: None."""
    rows = []
    for r, f in zip(FIELD_ROUTES, out["binned"], strict=True):
        if r[1] == "kl":
            cx, cy = pair_counts(x, y, r[2], r[3])
            truth = float(cx[cy == 0].sum() / cx.sum())
            mass = f["mass"]
            holds = mass is not None and abs(float(mass) - truth) <= 2 * EPS * truth
            rows.append((_where(r), holds, mass, truth))
        else:
            rows.append((_where(r), f["mass"] is None, f["mass"], None))
    return rows


def dropped_verdicts(x, y, out: dict[str, Any]) -> list[tuple[str, bool, Any, Any]]:
    """Within a range: the values of x and of y outside it, counted by numpy."""
    rows = []
    for r, f in zip(FIELD_ROUTES, out["binned"], strict=True):
        if r[3] is not None:
            cx, cy = pair_counts(x, y, r[2], r[3])
            lost = (x.size - int(cx.sum()), y.size - int(cy.sum()))
            got = tuple(int(v) for v in f["dropped"])
            rows.append((_where(r), got == lost, got, lost))
    return rows


def options_verdicts(out: dict[str, Any]) -> list[tuple[str, bool, Any, Any]]:
    """Without an interval: ci_method and n_boot None."""
    return [
        (_where(r), f["options"] == (None, None), f["options"], (None, None))
        for r, f in zip(FIELD_ROUTES, out["binned"], strict=True)
    ]


def counts_verdicts(x, y, out: dict[str, Any]) -> list[tuple[str, bool, Any, Any]]:
    """The reported histogram: numpy's counts of x and of y on the reported edges."""
    rows = []
    for r, f in zip(FIELD_ROUTES, out["binned"], strict=True):
        edges = f["edges"]
        expected = (np.histogram(x, edges)[0], np.histogram(y, edges)[0])
        got = f["counts"]
        holds = all(
            g is not None and np.shape(g) == e.shape and bool(np.array_equal(g, e))
            for g, e in zip(got, expected, strict=True)
        )
        rows.append((_where(r), holds, got, expected))
    return rows


def interval_verdicts(out: dict[str, Any]) -> list[tuple[str, bool, Any, Any]]:
    """The kNN interval with ci: unclipped -+ z_{(1 + level)/2} SEs, clipped to the range."""
    z = float(stats.norm.ppf((1.0 + FIELD_LEVEL) / 2.0))
    rows = []
    for name, f in zip(("kl_knn", "js_knn"), out["knn"], strict=True):
        upper = math.inf if name == "kl_knn" else math.log(2.0)
        value, se = f["value"], f["se"]
        ends = (min(max(value - z * se, 0.0), upper), min(max(value + z * se, 0.0), upper))
        interval = f["interval"]
        holds = (
            f["level"] == FIELD_LEVEL
            and len(interval) == 2
            and all(abs(a - b) <= 4 * EPS * abs(b) for a, b in zip(interval, ends, strict=True))
        )
        rows.append((f"{name}, ci={FIELD_LEVEL}", holds, (f["level"], interval), ends))
    return rows


def expect_rows(rows: list[tuple[str, bool, Any, Any]], what: str) -> None:
    """One expectation per row of a field claim's verdicts."""
    for case, holds, observed, expected in rows:
        tally()
        expect(holds, f"{what}, {case}", observed=observed, expected=expected)


# --------------------------------------------------------------------------------------------
# estimate.rule-reported: the histogram's rule says how the bins were chosen
# --------------------------------------------------------------------------------------------


def rule_cases() -> list[tuple[str, Callable[[], Any], str]]:
    """(case, the call that returns a HistogramPair, the rule it must report).

    Built so that the rule that applies is known: default bins (the fused path), an integer,
    a rule within a range, explicit edges, equal-mass bins, a zero fd width (a spike holding
    more than half of the pooled values) and an fd count over the cap (one far outlier).
    """
    rng = np.random.default_rng(1851)
    x, y = rng.normal(0.0, 1.0, 500), rng.normal(0.3, 1.0, 300)
    spike = np.concatenate([np.zeros(600), rng.normal(0.0, 1.0, 100)])
    far = y.copy()
    far[0] = 1e9
    both = np.concatenate([x, far])
    upper, lower = np.percentile(both, [75, 25])
    asked = math.ceil(np.ptp(both) / (2.0 * (upper - lower) * both.size ** (-1.0 / 3.0)))
    cap = max(1024, 10 * both.size)
    return [
        ("js_from_samples(x, y)", lambda: dv.js_from_samples(x, y).histogram, "auto"),
        (
            "kl_from_samples(x, y, bins='auto')",
            lambda: dv.kl_from_samples(x, y, bins="auto").histogram,
            "auto",
        ),
        (
            "js_from_samples(x, y, bins=20)",
            lambda: dv.js_from_samples(x, y, bins=20).histogram,
            "bins=20",
        ),
        (
            "js_from_samples(x, y, bins='fd', range=(-2, 2))",
            lambda: dv.js_from_samples(x, y, bins="fd", range=(-2, 2)).histogram,
            "fd",
        ),
        (
            "histogram_pair(x, y, bins=7 edges)",
            lambda: dv.histogram_pair(x, y, bins=np.linspace(-3.0, 3.0, 7)),
            "explicit edges",
        ),
        (
            "js_from_samples(x, y, bins='quantile')",
            lambda: dv.js_from_samples(x, y, bins="quantile").histogram,
            "quantile",
        ),
        (
            "js_from_samples(600 zeros + 100 normal, y, bins='fd'): a zero fd width",
            lambda: dv.js_from_samples(spike, y, bins="fd").histogram,
            "fd -> sturges (the fd width is 0)",
        ),
        (
            "js_from_samples(x, y with one value at 1e9, bins='fd'): over the cap",
            lambda: dv.js_from_samples(x, far, bins="fd").histogram,
            f"fd -> quantile (outliers: fd asked for {asked} bins, cap {cap})",
        ),
    ]


def library_rule(call: Callable[[], Any]) -> str:
    """The rule the histogram of the call reports."""
    return str(call().rule)


def rule_with(
    *, no_fallback: bool = False, bare_count: bool = False
) -> Callable[[Callable[[], Any]], str]:
    """The reported rule with one plausible slip.

    ``no_fallback``: the rule asked for, the fallback that replaced it left out;
    ``bare_count``: an integer count reported as its number alone.
    """

    def rule(call: Callable[[], Any]) -> str:
        label = str(call().rule)
        if no_fallback:
            label = label.split(" -> ")[0]
        if bare_count and label.startswith("bins="):
            label = label.removeprefix("bins=")
        return label

    return rule


def rule_verdicts(rule_of: Callable[[Callable[[], Any]], str]) -> list[tuple[str, bool, Any, Any]]:
    """Each case's reported rule against the one the construction gives."""
    return [
        (case, (got := rule_of(call)) == expected, got, expected)
        for case, call, expected in rule_cases()
    ]

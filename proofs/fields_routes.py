"""Routes of the claims on what a result reports (proofs/test_estimator_paths_2.py).

estimate.divergence-named, estimate.off-support-mass, estimate.dropped-reported,
estimate.no-interval-options, estimate.histogram-counts-reported, estimate.knn-interval,
estimate.rule-reported, estimate.interval-reported, estimate.interval-options-reported,
estimate.empty-batch and estimate.kl-default-errors: the library's fields (or values, or
errors), the same with one plausible slip each (the falsifiers), and for each claim its
verdict per case, which the check asserts and the figure draws.
"""

from __future__ import annotations

import math
import warnings
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
    disc = dv.js_discriminator(x, y, classifier="logistic", folds=2, ci=None, seed=0)
    return {"binned": binned, "knn": knn, "discriminator": {"label": disc.divergence}}


def fields_with(
    *,
    mass_as_count: bool = False,
    swapped: bool = False,
    js_as_jsd: bool = False,
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
            if js_as_jsd and f["label"] == "js":
                f["label"] = "jsd"
        if swapped:
            out["discriminator"]["label"] = "kl"
        if js_as_jsd and out["discriminator"]["label"] == "js":
            out["discriminator"]["label"] = "jsd"
        for f in out["knn"]:
            if one_sided or fixed_level:  # z of the level itself, or of 95 % whatever is asked
                z = float(stats.norm.ppf(f["level"] if one_sided else 0.975))
                f["interval"] = (max(f["value"] - z * f["se"], 0.0), f["value"] + z * f["se"])
            if swapped:
                f["label"] = SWAPPED[f["label"]]
            if js_as_jsd and f["label"] == "js":
                f["label"] = "jsd"
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
    label = out["discriminator"]["label"]
    rows.append(("js_discriminator, logistic, 2 folds", label == "js", label, "js"))
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
        holds = len(interval) == 2 and all(
            abs(a - b) <= 4 * EPS * abs(b) for a, b in zip(interval, ends, strict=True)
        )
        rows.append((f"{name}, ci={FIELD_LEVEL}", holds, interval, ends))
    return rows


def expect_rows(rows: list[tuple[str, bool, Any, Any]], what: str) -> None:
    """One expectation per row of a field claim's verdicts."""
    for case, holds, observed, expected in rows:
        tally()
        expect(holds, f"{what}, {case}", observed=observed, expected=expected)


# --------------------------------------------------------------------------------------------
# estimate.rule-reported: the histogram's rule says how the bins were chosen
# --------------------------------------------------------------------------------------------


def rule_cases() -> list[tuple[str, str, np.ndarray, np.ndarray, dict[str, Any], str]]:
    """(case, function, x, y, options, the rule its histogram must report).

    Built so that the rule that applies is known: default bins (the fused path), an integer,
    a rule within a range, explicit edges, equal-mass bins, a zero fd width (a spike holding
    more than half of the pooled values), an fd count over the cap (one far outlier) and an
    infinite scott width (values near 1e307, whose squares overflow).
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
    edges = np.linspace(-3.0, 3.0, 7)
    huge = np.concatenate([x, y]) * 1e307
    with np.errstate(over="ignore"):  # the case is about a standard deviation that overflows
        squares = float(np.sum((huge - huge.mean()) ** 2))
    if math.isfinite(squares):
        raise RuntimeError("the scott case's squares do not overflow: change its scale")
    return [
        ("js_from_samples(x, y)", "js_from_samples", x, y, {}, "auto"),
        ("kl_from_samples(x, y, bins='auto')", "kl_from_samples", x, y, {"bins": "auto"}, "auto"),
        ("kl_from_samples(x, y)", "kl_from_samples", x, y, {}, "wkv"),
        ("js_from_samples(x, y, bins=20)", "js_from_samples", x, y, {"bins": 20}, "bins=20"),
        (
            "js_from_samples(x, y, bins='fd', range=(-2, 2))",
            "js_from_samples",
            x,
            y,
            {"bins": "fd", "range": (-2, 2)},
            "fd",
        ),
        (
            "histogram_pair(x, y, 7 edges)",
            "histogram_pair",
            x,
            y,
            {"bins": edges},
            "explicit edges",
        ),
        (
            "js_from_samples(x, y, bins='quantile')",
            "js_from_samples",
            x,
            y,
            {"bins": "quantile"},
            "quantile",
        ),
        (
            "js_from_samples(600 zeros + 100 normal, y, bins='fd'): a zero fd width",
            "js_from_samples",
            spike,
            y,
            {"bins": "fd"},
            "fd -> sturges (the fd width is 0)",
        ),
        (
            "js_from_samples(x, y with one value at 1e9, bins='fd'): over the cap",
            "js_from_samples",
            x,
            far,
            {"bins": "fd"},
            f"fd -> quantile (outliers: fd asked for {asked} bins, cap {cap})",
        ),
        (
            "js_from_samples(x, y, both times 1e307, bins='scott'): the squares overflow",
            "js_from_samples",
            x * 1e307,
            y * 1e307,
            {"bins": "scott"},
            "scott -> sturges (the scott width is not finite)",
        ),
    ]


def _histogram(name: str, x: np.ndarray, y: np.ndarray, options: dict[str, Any]) -> Any:
    if name == "histogram_pair":
        return dv.histogram_pair(x, y, **options)
    return getattr(dv, name)(x, y, **options).histogram


def library_rule(name: str, x: np.ndarray, y: np.ndarray, options: dict[str, Any]) -> str:
    """The rule the histogram of the call reports."""
    return str(_histogram(name, x, y, options).rule)


def rule_with(
    *,
    no_fallback: bool = False,
    bare_count: bool = False,
    auto_resolved: bool = False,
    edges_first: bool = False,
    edges_counted: bool = False,
    default_auto: bool = False,
    zero_reason: bool = False,
) -> Callable[[str, np.ndarray, np.ndarray, dict[str, Any]], str]:
    """The reported rule with one plausible slip.

    ``no_fallback``: the rule asked for, the fallback that replaced it left out;
    ``bare_count``: an integer count as its number alone; ``auto_resolved``: `auto` as the
    rule numpy's auto took on the pooled sample (fd or sturges); ``edges_first``: a rule the
    library turns into edges before counting (within a range, equal-mass) reported as
    explicit edges; ``edges_counted``: explicit edges reported as their count, bins=K;
    ``default_auto``: the default bins reported as `auto` whichever estimator;
    ``zero_reason``: every width fallback's reason given as a zero width.
    """

    def rule(name: str, x: np.ndarray, y: np.ndarray, options: dict[str, Any]) -> str:
        h = _histogram(name, x, y, options)
        label = str(h.rule)
        if no_fallback:
            label = label.split(" -> ")[0]
        if bare_count and label.startswith("bins="):
            label = label.removeprefix("bins=")
        if auto_resolved and label == "auto":
            both = np.concatenate([x, y])
            took = np.histogram_bin_edges(both, "auto").size
            label = "fd" if took == np.histogram_bin_edges(both, "fd").size else "sturges"
        if edges_first and (label == "quantile" or options.get("range") is not None):
            label = "explicit edges"
        if default_auto and "bins" not in options:
            label = "auto"
        if edges_counted and label == "explicit edges":
            label = f"bins={np.asarray(h.edges).size - 1}"
        if zero_reason and " width is " in label:
            label = label.split(" width is ")[0] + " width is 0)"
        return label

    return rule


def rule_verdicts(
    rule_of: Callable[[str, np.ndarray, np.ndarray, dict[str, Any]], str],
) -> list[tuple[str, bool, Any, Any]]:
    """Each case's reported rule against the one the construction gives."""
    rows = []
    for case, name, x, y, options, expected in rule_cases():
        got = rule_of(name, x, y, options)
        rows.append((case, got == expected, got, expected))
    return rows


# --------------------------------------------------------------------------------------------
# estimate.interval-reported and estimate.interval-options-reported: a binned estimate with ci
# reports its interval, and the options it was asked for
# --------------------------------------------------------------------------------------------

#: (case, estimator, options) of the interval claim: each path to a binned interval.
INTERVAL_CASES = (
    ("js_from_samples, default bins", "js_from_samples", {"ci": 0.9, "seed": 1}),
    # no seed: fresh entropy; every other option at the fused path's defaults
    ("js_from_samples, default bins, no seed", "js_from_samples", {"ci": 0.9}),
    (
        "kl_from_samples, 8 bins, percentile",
        "kl_from_samples",
        {"bins": 8, "ci": 0.8, "ci_method": "percentile", "n_boot": 300, "seed": 2},
    ),
    ("kl_from_histogram, 8 bins", "kl_from_histogram", {"ci": 0.95, "seed": 3}),
    (
        "js_from_histogram, 20 bins, percentile",
        "js_from_histogram",
        {"ci": 0.9, "ci_method": "percentile", "n_boot": 500, "seed": 4},
    ),
    ("js_from_samples, a batch of 3 rows", "js_batch", {"ci": 0.9, "n_boot": 400, "seed": 5}),
)


def interval_samples() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x: 500 of N(0, 1), y: 400 of N(0.2, 1.3^2); a batch of 3 rows, 200 + 150 values."""
    rng = np.random.default_rng(1987)
    x, y = rng.normal(0.0, 1.0, 500), rng.normal(0.2, 1.3, 400)
    return x, y, rng.normal(0.0, 1.0, (3, 200)), rng.normal(0.2, 1.0, (3, 150))


def library_interval(name: str, options: dict[str, Any]) -> dict[str, Any]:
    """The interval and interval options an estimate reports."""
    x, y, xs, ys = interval_samples()
    if name == "js_batch":
        r = dv.js_from_samples(xs, ys, axis=1, **options)
    elif name.endswith("_histogram"):
        bins = 8 if name.startswith("kl") else 20
        r = getattr(dv, name)(dv.histogram_pair(x, y, bins=bins), **options)
    else:
        r = getattr(dv, name)(x, y, **options)
    interval = None if r.interval is None else np.asarray(r.interval, dtype=float)
    return {
        "interval": interval,
        "level": r.ci_level,
        "method": r.ci_method,
        "n_boot": r.n_boot,
        "divergence": r.divergence,
    }


def interval_with(
    *,
    fused_ignores_ci: bool = False,
    histogram_ignores_ci: bool = False,
    ends_swapped: bool = False,
    method_default: bool = False,
    boot_default: bool = False,
    level_as_alpha: bool = False,
    unasked_none: bool = False,
) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    """The report with one plausible slip.

    ``fused_ignores_ci``: the default-bins path of the estimators from samples computes no
    interval; ``histogram_ignores_ci``: nor do the estimators from a histogram;
    ``ends_swapped``: the upper end first;
    ``method_default``, ``boot_default``: the method, or the replicate count,
    reported as its default whatever was asked; ``level_as_alpha``: the level reported as the
    tail probability 1 - ci; ``unasked_none``: a method or replicate count the call left out
    reported as None.
    """

    def report(name: str, options: dict[str, Any]) -> dict[str, Any]:
        out = library_interval(name, options)
        if fused_ignores_ci and name.endswith("_samples") and "bins" not in options:
            out["interval"] = None
        if histogram_ignores_ci and name.endswith("_histogram"):
            out["interval"] = None
        if ends_swapped and out["interval"] is not None:  # (hi, lo)
            out["interval"] = out["interval"][..., ::-1]
        if method_default:
            out["method"] = "bca"
        if boot_default:
            out["n_boot"] = 1000
        if level_as_alpha and out["level"] is not None:
            out["level"] = 1.0 - out["level"]
        if unasked_none:
            out["method"] = out["method"] if "ci_method" in options else None
            out["n_boot"] = out["n_boot"] if "n_boot" in options else None
        return out

    return report


def interval_report_verdicts(
    report_of: Callable[[str, dict[str, Any]], dict[str, Any]],
) -> list[tuple[str, bool, Any, Any]]:
    """Each case: an interval (per row of a batch), lower end first, in the divergence's range."""
    rows = []
    for case, name, options in INTERVAL_CASES:
        out = report_of(name, options)
        upper = math.log(2.0) if out["divergence"] == "js" else math.inf
        interval = out["interval"]
        shaped = interval is not None and interval.shape[-1] == 2
        holds = (
            shaped
            and not bool(np.any(np.isnan(interval)))
            and bool(np.all(interval[..., 0] <= interval[..., 1]))
            and bool(np.all(interval >= 0.0))
            and bool(np.all(interval <= upper))
        )
        rows.append((case, holds, interval, f"[lo, hi] in [0, {upper:.4g}]"))
    return rows


def interval_options_verdicts(
    report_of: Callable[[str, dict[str, Any]], dict[str, Any]],
) -> list[tuple[str, bool, Any, Any]]:
    """Each case: the level, method and replicates reported, against those the call asked for."""
    rows = []
    for case, name, options in INTERVAL_CASES:
        out = report_of(name, options)
        expected = (
            options["ci"],
            options.get("ci_method", "bca"),
            options.get("n_boot", 1000),
        )
        got = (out["level"], out["method"], out["n_boot"])
        rows.append((case, got == expected, got, expected))
    return rows


# --------------------------------------------------------------------------------------------
# estimate.empty-batch: a batch of no pairs gives no estimates, and no error
# --------------------------------------------------------------------------------------------

#: (case, estimator): every estimator that takes a batch.
EMPTY_CASES = (
    ("js_from_samples(axis=1), 10 + 8 columns", "js_from_samples"),
    ("kl_from_samples(axis=1), 10 + 8 columns", "kl_from_samples"),
    ("js_from_histogram of an empty batch", "js_from_histogram"),
    ("kl_from_histogram of an empty batch", "kl_from_histogram"),
    ("js_knn_batch, (0, 10, 2) against (0, 10, 2)", "js_knn_batch"),
)


def library_empty(name: str) -> Any:
    """The values of the estimator on a batch of 0 pairs, or the error it raised."""
    xs, ys = np.zeros((0, 10)), np.zeros((0, 8))
    try:
        if name == "js_knn_batch":
            return np.asarray(dv.js_knn_batch(np.zeros((0, 10, 2)), np.zeros((0, 10, 2))))
        if name.endswith("_histogram"):
            h = dv.histogram_pair(xs, ys, bins=5, axis=1)
            return np.asarray(getattr(dv, name)(h).value)
        return np.asarray(getattr(dv, name)(xs, ys, bins=5, axis=1).value)
    except (ValueError, TypeError, IndexError) as error:
        return f"{type(error).__name__}: {error}"


def empty_with(*, stacked: bool = False, pooled: bool = False) -> Callable[[str], Any]:
    """A batch estimator written another way.

    ``stacked``: pair by pair, the values joined with ``np.stack`` (which needs at least one);
    ``pooled``: the rows pooled into one pair of samples, one estimate.
    """

    def values(name: str) -> Any:
        xs, ys = np.zeros((0, 10)), np.zeros((0, 8))
        if name == "js_knn_batch":
            xs, ys = np.zeros((0, 10, 2)), np.zeros((0, 10, 2))
        single = {
            "js_from_samples": lambda a, b: dv.js_from_samples(a, b, bins=5).value,
            "kl_from_samples": lambda a, b: dv.kl_from_samples(a, b, bins=5).value,
            "js_from_histogram": lambda a, b: dv.js_from_samples(a, b, bins=5).value,
            "kl_from_histogram": lambda a, b: dv.kl_from_samples(a, b, bins=5).value,
            "js_knn_batch": lambda a, b: float(dv.js_knn(a, b)),
        }[name]
        try:
            if stacked:
                return np.stack([np.float64(single(a, b)) for a, b in zip(xs, ys, strict=True)])
            if pooled:
                d = xs.shape[2:]
                return np.atleast_1d(np.float64(single(xs.reshape(-1, *d), ys.reshape(-1, *d))))
        except (ValueError, TypeError, IndexError) as error:
            return f"{type(error).__name__}: {error}"
        return library_empty(name)

    return values


def empty_verdicts(values_of: Callable[[str], Any]) -> list[tuple[str, bool, Any, Any]]:
    """Each case: a float array of shape (0,)."""
    rows = []
    for case, name in EMPTY_CASES:
        got = values_of(name)
        holds = isinstance(got, np.ndarray) and got.shape == (0,) and got.dtype.kind == "f"
        rows.append((case, holds, got, "float array of shape (0,)"))
    return rows


# --------------------------------------------------------------------------------------------
# estimate.kl-default-errors: the default partition never changes the error of a bad input
# --------------------------------------------------------------------------------------------


def bad_input_cases() -> list[tuple[str, Any, Any, dict[str, Any]]]:
    """(case, x, y, options): inputs every binned estimator refuses, one kind each."""
    rng = np.random.default_rng(2005)
    x, y = rng.normal(0.0, 1.0, 50), rng.normal(0.3, 1.0, 40)
    return [
        ("complex x", x + 0j, y, {}),
        ("strings for y", x, np.array(["a"] * 40), {}),
        ("objects for x", np.array([1.0, None, 2.0], dtype=object), y, {}),
        ("extended precision x", x.astype(np.longdouble), y, {}),
        ("x of shape (50, 2)", np.c_[x, x], y, {}),
        ("a ragged list for x", [1.0, [2.0, 3.0]], y, {}),
        ("empty x", x[:0], y, {}),
        ("empty y", x, y[:0], {}),
        ("a NaN in x", np.r_[x, np.nan], y, {}),
        ("an inf in y", x, np.r_[y, np.inf], {}),
        ("y all NaN, nonfinite='omit'", x, np.full(5, np.nan), {"nonfinite": "omit"}),
        (
            "x up to 1.7e308, y down to -1.7e308 (the span overflows)",
            np.r_[x, 1.7e308],
            np.r_[y, -1.7e308],
            {},
        ),
    ]


def error_of(call: Callable[[], Any]) -> str:
    """``"Type: message"`` of the error the call raises, or ``"no error"`` (warnings silenced)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            call()
    except Exception as error:  # which error, whatever it is, is the point
        return f"{type(error).__name__}: {error}"
    return "no error"


def library_default_error(x: Any, y: Any, options: dict[str, Any]) -> str:
    """The error of ``kl_from_samples`` with its default bins (the WKV partition)."""
    return error_of(lambda: dv.kl_from_samples(x, y, **options))


def default_error_with(
    *,
    partition_first: bool = False,
    omit_forced: bool = False,
    converted: bool = False,
    unwidened: bool = False,
) -> Callable[[Any, Any, dict[str, Any]], str]:
    """The default bins written with one plausible slip.

    ``partition_first``: y's quantiles (``np.quantile`` of ``np.asarray(y, float)``), widened to
    x's least and largest values, computed before anything is checked and handed to the
    estimator as explicit edges; ``omit_forced``: non-finite values dropped from 1-D float
    samples before the default path, whatever ``nonfinite`` says; ``converted``: the samples
    converted to 1-D float64 first (``np.ravel(np.asarray(x, float))``: complex parts dropped,
    None read as NaN, extended precision rounded, columns laid end to end); ``unwidened``: y's
    quantiles alone handed over as edges, not widened to x (x's values beyond them dropped).
    """

    def quantiles(ya: np.ndarray) -> np.ndarray:
        return np.quantile(ya, np.linspace(0.0, 1.0, math.ceil(math.sqrt(ya.size)) + 1))

    def error(x: Any, y: Any, options: dict[str, Any]) -> str:
        if partition_first:

            def call() -> Any:
                xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
                edges = quantiles(ya)
                edges[0], edges[-1] = min(edges[0], np.min(xa)), max(edges[-1], np.max(xa))
                return dv.kl_from_samples(x, y, bins=edges, **options)

            return error_of(call)
        if unwidened:
            return error_of(
                lambda: dv.kl_from_samples(x, y, bins=quantiles(np.asarray(y)), **options)
            )
        if converted:
            return error_of(
                lambda: dv.kl_from_samples(
                    np.ravel(np.asarray(x, dtype=float)),
                    np.ravel(np.asarray(y, dtype=float)),
                    **options,
                )
            )
        one_d = isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and x.ndim == y.ndim == 1
        if omit_forced and one_d and x.dtype.kind == "f" and y.dtype.kind == "f":
            x, y = x[np.isfinite(x)], y[np.isfinite(y)]
        return library_default_error(x, y, options)

    return error


def default_error_verdicts(
    error_of_default: Callable[[Any, Any, dict[str, Any]], str],
) -> list[tuple[str, bool, Any, Any]]:
    """Each case: the default bins' error equals the error with ``bins="auto"``."""
    rows = []
    for case, x, y, options in bad_input_cases():
        expected = error_of(lambda x=x, y=y, o=options: dv.kl_from_samples(x, y, bins="auto", **o))
        got = error_of_default(x, y, options)
        holds = expected != "no error" and got == expected
        rows.append((case, holds, got, expected))
    return rows

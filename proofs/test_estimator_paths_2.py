r"""More claims on the sample estimators' own code paths: KL batches, kNN ties, the KL ensemble.

The sampled mutation run of the estimators scope (docs/mutation.md, "Not killed in the sample
with the new claims") left these paths without a claim that reads them: ``kl_from_samples``
with ``axis`` (a batch of pairs; its ``off_support_mass``, its pseudocount), the
dequantization of values on a grid by ``kl_knn`` and ``js_knn`` (``ties="dequantize"``), and
``kl_knn``'s ensemble (``orders``, ``weights``). Each claim reaches its answer by a route of
its own (numpy's histograms and scipy's entropy, the exact divergences of the discrete laws,
k-d tree distances from scipy and the weights' least-norm solution from a pseudo-inverse) and
ships plausible wrong implementations as falsifiers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special, stats
from scipy.spatial import cKDTree

import divergences as dv
from divergences.claims import claim, expect, tally
from divergences.reference import kl_multivariate_normal

from .test_estimator_paths import EPS, batch_cases, pooled, sum_tolerance
from .tolerances import Z_SCORE

# --------------------------------------------------------------------------------------------
# estimate.batch-rows-kl: kl_from_samples on a batch is each pair's plug-in KL alone
# --------------------------------------------------------------------------------------------


def kl_batch_count(x: np.ndarray, y: np.ndarray, bins: Any, range_: Any) -> int:
    """The batch's bin count: the integer, or the largest count numpy's rule gives any pair."""
    if isinstance(bins, int):
        return bins
    return max(
        np.histogram_bin_edges(pooled(a, b), bins, range_).size - 1
        for a, b in zip(x, y, strict=True)
    )


def pair_counts(a: np.ndarray, b: np.ndarray, count: int, range_: Any):
    """np.histogram's counts of one pair on its own edges (its pooled span, or the range)."""
    edges = np.histogram_bin_edges(pooled(a, b), count, range_)
    return np.histogram(a, edges)[0], np.histogram(b, edges)[0]


def scipy_kl(cx: np.ndarray, cy: np.ndarray, alpha: float) -> float:
    """Scipy's KL of the smoothed counts: (c + a) / (n + a k) on each side."""
    return float(stats.entropy(cx + alpha, cy + alpha))


def smoothed(counts: tuple[np.ndarray, np.ndarray], alpha: float):
    """The pair's two smoothed frequency vectors, (c + a) / (n + a k)."""
    return tuple((c + alpha) / (c + alpha).sum() for c in counts)


def library_batch_kl(x, y, bins, axis, range_, alpha):
    """The library's batch: rows paired (axis=1) or the columns of the transposes (axis=0).

    Returns the values, the off-support masses and the values dropped by a range (x and y).
    """
    xs, ys = (x.T, y.T) if axis == 0 else (x, y)
    options: dict[str, Any] = {"axis": axis, "range": range_}
    if bins is not None:  # None: the default bins ("wkv", which a batch reads as "auto")
        options["bins"] = bins
    if alpha:
        options["pseudocount"] = alpha
    r = dv.kl_from_samples(xs, ys, **options)
    h = r.histogram
    return (
        np.asarray(r.value),
        np.asarray(r.off_support_mass),
        np.asarray(h.dropped_x),
        np.asarray(h.dropped_y),
    )


def own_batch_kl(
    *,
    batch_range: bool = False,
    swap: bool = False,
    smooth_x_only: bool = False,
    mass_of_y: bool = False,
    clip_to_range: bool = False,
) -> Callable[..., tuple[np.ndarray, ...]]:
    """A numpy batch KL with one plausible slip (the flag given), for the falsifiers."""

    def estimate(x, y, bins, axis, range_, alpha):
        count = kl_batch_count(x, y, "auto" if bins is None else bins, range_)
        span = range_
        if batch_range and range_ is None:  # the batch's pooled min and max for every pair
            both = np.concatenate([x.ravel(), y.ravel()])
            span = (float(both.min()), float(both.max()))
        rows = []
        for a, b in zip(x, y, strict=True):
            if clip_to_range and range_ is not None:  # out-of-range values in the end bins
                a, b = np.clip(a, *range_), np.clip(b, *range_)
            cx, cy = pair_counts(a, b, count, span)
            if swap:
                cx, cy = cy, cx
            if smooth_x_only:
                value = float(stats.entropy(cx + alpha, cy))
            else:
                value = scipy_kl(cx, cy, alpha)
            mass = cy[cx == 0].sum() / cy.sum() if mass_of_y else cx[cy == 0].sum() / cx.sum()
            rows.append((value, mass, a.size - cx.sum(), b.size - cy.sum()))
        return tuple(np.array(column) for column in zip(*rows, strict=True))

    return estimate


#: (bins, range, pseudocount) of the KL batch check: the default bins ("wkv", read as "auto"
#: for a batch), an integer, "fd"; with a range that cuts off values; with Jeffreys' smoothing.
KL_BATCH_OPTIONS = (
    (None, None, 0.0),
    (16, None, 0.0),
    ("fd", None, 0.5),
    (12, (-1.0, 6.0), 0.0),
    (None, (0.0, 8.0), 0.5),
)


@claim(
    "estimate.batch-rows-kl",
    statement=(
        "With `axis`, `kl_from_samples` estimates each pair of a batch as the plug-in "
        r"$KL(\hat P \| \hat Q)$ of that pair alone, the pseudocount added to both sides' "
        "counts, on edges spanning that pair's pooled range (or the `range` given) with one "
        "bin count for the batch (the integer asked for, or the largest count the rule gives "
        "any pair; the default `wkv` reads as `auto`); its `off_support_mass` is, per pair, "
        "the fraction of x's binned values in bins where y has none, and the histogram's "
        "`dropped_x`, `dropped_y` count each pair's values outside the range."
    ),
    source="numpy.histogram_bin_edges, numpy.histogram; scipy.stats.entropy",
    locator=(
        "kl_from_samples' docstring (bins, pseudocount, axis), histogram_pair's Batches, "
        "SampleEstimate.off_support_mass"
    ),
    check=(
        "The two seeded batches of `estimate.batch-rows` (8 pairs, x rows of 300 values, y "
        "rows of 200), options: the default bins, 16 bins, `fd` with pseudocount 0.5, 12 bins "
        "in the range (-1, 6), the default bins in (0, 8) with pseudocount 0.5; rows paired "
        "(`axis=1`) and columns of the transposes (`axis=0`). Per pair: numpy's edges and "
        "counts, `scipy.stats.entropy(cx + a, cy + a)` (infinite where y has an empty bin and "
        "a = 0: both must be), the off-support fraction and the dropped values counted with "
        "numpy; within 8 ulps per term of the sum (the fraction within 2 ulps), dropped values "
        "exactly."
    ),
    subject=library_batch_kl,
    figure="estimator_paths_batch.png",
    falsifiers=[
        (
            "one range for the whole batch (its pooled min and max), not one per pair",
            own_batch_kl(batch_range=True),
        ),
        (r"the arguments swapped: $KL(\hat Q \| \hat P)$ per pair", own_batch_kl(swap=True)),
        ("the pseudocount added to x's counts only", own_batch_kl(smooth_x_only=True)),
        (
            "the off-support mass read the other way: y's values in bins where x has none",
            own_batch_kl(mass_of_y=True),
        ),
        (
            "values outside the range clipped into the end bins, not dropped",
            own_batch_kl(clip_to_range=True),
        ),
    ],
)
def test_batch_rows_kl(estimate: Callable[..., tuple[np.ndarray, ...]]):
    rng = np.random.default_rng(2005)
    for label, x, y in batch_cases(rng):
        pairs = x.shape[0]
        for bins, range_, alpha in KL_BATCH_OPTIONS:
            count = kl_batch_count(x, y, "auto" if bins is None else bins, range_)
            counts = [pair_counts(a, b, count, range_) for a, b in zip(x, y, strict=True)]
            truth = np.array([scipy_kl(cx, cy, alpha) for cx, cy in counts])
            tol = np.array([sum_tolerance(special.rel_entr(*smoothed(c, alpha))) for c in counts])
            mass = np.array([cx[cy == 0].sum() / cx.sum() for cx, cy in counts])
            lost = np.array(
                [
                    (a.size - cx.sum(), b.size - cy.sum())
                    for (cx, cy), a, b in zip(counts, x, y, strict=True)
                ]
            )
            for axis in (1, 0):
                tally()
                values, masses, dropped_x, dropped_y = estimate(x, y, bins, axis, range_, alpha)
                where = (
                    f"{label}: bins={bins!r} ({count} bins), range={range_}, "
                    f"pseudocount={alpha}, axis={axis}"
                )
                got = values if values.shape == (pairs,) else np.full(pairs, math.nan)
                finite = np.isfinite(truth)
                close = np.where(
                    finite, np.abs(got - np.where(finite, truth, 0.0)) <= tol, got == truth
                )
                bad = int(np.argmin(close))
                expect(
                    bool(close.all()),
                    f"KL of each pair alone, one value per pair; {where}",
                    observed=f"pair {bad}: {got[bad]}",
                    expected=f"{truth[bad]} +- {tol[bad]:.2g}",
                    repro=f"{pairs} pairs",
                )
                got_mass = masses if masses.shape == (pairs,) else np.full(pairs, math.nan)
                bad = int(np.argmax(np.abs(got_mass - mass)))
                expect(
                    bool(np.all(np.abs(got_mass - mass) <= 2 * EPS * mass)),
                    f"off-support mass of each pair; {where}",
                    observed=f"pair {bad}: {got_mass[bad]}",
                    expected=float(mass[bad]),
                    repro=f"{pairs} pairs",
                )
                if range_ is not None:  # without one nothing is dropped, whatever the code
                    got_lost = np.column_stack([dropped_x, dropped_y])
                    expect(
                        got_lost.shape == lost.shape and bool(np.array_equal(got_lost, lost)),
                        f"values of each pair outside the range (dropped_x, dropped_y); {where}",
                        observed=got_lost.tolist(),
                        expected=lost.tolist(),
                        repro=f"{pairs} pairs",
                    )

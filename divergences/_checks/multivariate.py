"""Checks of ``(n, d)`` samples: the n-D histogram's bins and ranges, the kNN estimator's ``k``.

Serves ``divergences.histogram_nd`` and ``divergences.knn``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .samples import check_bins, check_range, kernel_dtype, nonfinite_phrase
from .scalars import as_real_array


def as_samples_nd(a: Any, name: str) -> np.ndarray:
    """A multivariate sample of shape ``(n, d)``: one row per point, one column per dimension."""
    arr = as_real_array(a, name)
    if arr.ndim != 2:
        hint = (
            " For a 1-D sample use histogram_pair / js_from_samples, or reshape it to (n, 1)."
            if arr.ndim == 1
            else ""
        )
        raise ValueError(
            f"{name} must be a multivariate sample of shape (n, d), one point per row; got "
            f"{arr.ndim} dimension(s) with shape {arr.shape}.{hint}"
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{name} has shape {arr.shape}; a multivariate sample needs at least one point and "
            f"one dimension."
        )
    return kernel_dtype(arr, name)


def check_sample_pair_nd(x: np.ndarray, y: np.ndarray) -> int:
    """Check that x and y live in the same space; return its dimension."""
    if x.shape[1] != y.shape[1]:
        raise ValueError(
            f"x has {x.shape[1]} dimension(s) (columns) and y has {y.shape[1]}; both samples "
            f"must be points of the same space."
        )
    return int(x.shape[1])


def check_bins_nd(bins: Any, d: int) -> list[tuple[str, Any]]:
    """Per dimension ("count", int) or ("edges", array): from an int or a sequence of d entries."""
    if isinstance(bins, str):
        raise TypeError(
            f"bins={bins!r}: the multivariate histogram takes an integer (bins per dimension) or "
            f"a sequence of {d} integers or edge arrays, not a rule name."
        )
    if isinstance(bins, numbers.Integral):
        return [check_bins(bins)] * d
    if isinstance(bins, np.ndarray) and bins.ndim == 1 and bins.dtype.kind in "fiu" and d > 1:
        raise ValueError(
            f"bins is a single array but the samples have {d} dimensions; pass a sequence of "
            f"{d} edge arrays (or integers), one per dimension."
        )
    try:
        entries = list(bins)
    except TypeError:
        raise TypeError(
            f"bins must be an integer or a sequence of {d} integers or edge arrays; got "
            f"{bins!r} of type {type(bins).__name__}."
        ) from None
    if len(entries) != d:
        raise ValueError(
            f"bins has {len(entries)} entries but the samples have {d} dimension(s); give one "
            f"entry (an integer or edges) per dimension."
        )
    out = []
    for entry in entries:
        if isinstance(entry, str):
            raise TypeError(
                f"bins entry {entry!r}: each dimension takes an integer or an edge array, not a "
                f"rule name."
            )
        out.append(check_bins(entry))
    return out


def check_range_nd(value: Any, d: int) -> list[tuple[float, float] | None]:
    """None, or a sequence of d entries each None or (lo, hi)."""
    if value is None:
        return [None] * d
    try:
        entries = list(value)
    except TypeError:
        raise TypeError(
            f"range must be None or a sequence of {d} pairs (lo, hi), one per dimension; got "
            f"{value!r}."
        ) from None
    if len(entries) != d:
        raise ValueError(
            f"range has {len(entries)} entries but the samples have {d} dimension(s); give one "
            f"(lo, hi) pair (or None) per dimension."
        )
    return [check_range(entry) for entry in entries]


def raise_edges_with_range_nd(dimension: int) -> None:
    """Explicit edges fix a dimension's range."""
    raise ValueError(
        f"range[{dimension}] cannot be combined with explicit edges for dimension {dimension} "
        f"(the edges already fix its range); pass one or the other."
    )


def raise_too_many_cells(shape: tuple[int, ...]) -> None:
    """The product of the bins per dimension is too large to count."""
    raise ValueError(
        f"bins per dimension {shape} make {math.prod(shape)} cells, more than "
        f"{MAX_CELLS} (2^26); use fewer bins per dimension."
    )


#: Most cells a multivariate histogram may have: two int64 count arrays of 2^26 cells are 1 GiB.
MAX_CELLS = 1 << 26


def as_knn_sample(a: Any, name: str) -> np.ndarray:
    """A sample for the kNN estimator: ``(n,)`` (1-D) or ``(n, d)``, finite, as float64 (n, d)."""
    arr = as_real_array(a, name)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a sample of shape (n,) or (n, d), one point per row; got "
            f"{arr.ndim} dimension(s) with shape {arr.shape}."
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{name} has shape {arr.shape}; the kNN estimator needs points with at least one "
            f"coordinate."
        )
    out = np.asarray(arr, dtype=np.float64)
    n_nan = int(np.isnan(out).sum())
    n_inf = int(np.isinf(out).sum())
    if n_nan or n_inf:
        raise ValueError(
            f"{name} contains {nonfinite_phrase(n_nan, n_inf)}; the kNN estimator needs finite "
            f"points. Remove those rows first."
        )
    return out


def check_knn_k(k: Any, n_x: int, n_y: int) -> int:
    """``1 <= k <= n_x - 1`` (neighbours of x_i among the other x) and ``k <= n_y``."""
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise TypeError(f"k must be a positive integer; got {k!r} of type {type(k).__name__}.")
    value = int(k)
    if value < 1:
        raise ValueError(f"k must be a positive integer (the k-th nearest neighbour); got {value}.")
    if value > n_x - 1 or value > n_y:
        raise ValueError(
            f"k={value} needs at least k + 1 points in x and k in y (x has {n_x}, y has {n_y}); "
            f"use a smaller k or more data."
        )
    return value


class KnnTies(ValueError):
    """Zero neighbour distances from repeated values.

    A ValueError; kl_knn and js_knn catch it to dequantize values on a grid.
    """


KNN_TIES = ("dequantize", "raise")


def check_knn_ties(value: Any) -> str:
    """``ties=`` of kl_knn and js_knn."""
    if not isinstance(value, str) or value not in KNN_TIES:
        raise ValueError(
            f"ties must be 'dequantize' (values on a grid of equal steps, such as rounded or "
            f"integer data, get uniform noise of one step in each coordinate when they tie) or "
            f"'raise' (ties are an error); got {value!r}."
        )
    return value


def not_dequantized(error: ValueError) -> str:
    """The ties message of data that ties='dequantize' could not treat: not on a common grid."""
    return (
        f"{error} (ties='dequantize' adds noise of one grid step only to values on a common grid "
        f"of equal steps in every coordinate, as rounded or integer data are; these are not.)"
    )


def raise_knn_ties(n_x_ties: int, n_y_ties: int, k: int, n_x: int) -> None:
    """Zero distances: the k-th neighbour of some x coincides with it (duplicates, ties)."""
    parts = []
    if n_x_ties:
        parts.append(
            f"{n_x_ties} of the {n_x} points of x have their k-th nearest other x at distance 0"
        )
    if n_y_ties:
        parts.append(f"{n_y_ties} points of x have their k-th nearest y at distance 0")
    raise KnnTies(
        f"k={k}: {' and '.join(parts)} (repeated values). The kNN estimator assumes continuous "
        f"distributions, where ties have probability 0, and log(0) has no finite value to "
        f"return. If the data are rounded, add uniform jitter of the rounding width; if a value "
        f"repeats m times, k > m avoids the zero distances (at the cost of more bias); if the "
        f"data are discrete, use kl_from_samples (histograms handle atoms)."
    )


def raise_knn_ties_js(n_pooled: int, n_small: int, n_large: int, k: int, smaller: str) -> None:
    """Zero distances in js_knn: repeated values in a sample or shared by the two samples."""
    larger = "y" if smaller == "x" else "x"
    parts = [
        f"{count} k-th neighbour distances of 0 {where}"
        for count, where in (
            (n_pooled, "in the pooled mixture samples (x and y share values)"),
            (n_small, f"in {smaller}"),
            (n_large, f"in {larger}"),
        )
        if count
    ]
    raise KnnTies(
        f"k={k}: {' and '.join(parts)} (repeated values). The kNN estimator assumes continuous "
        f"distributions, where ties have probability 0, and log(0) has no finite value to "
        f"return. If the data are rounded, add uniform jitter of the rounding width; if a value "
        f"repeats m times, a larger k avoids the zero distances (at the cost of more bias); if "
        f"the data are discrete, use js_from_samples (histograms handle atoms)."
    )


def jackknife_kept(n: int, groups: int) -> int:
    """Points of a sample of n that every replicate of a delete-a-group jackknife keeps."""
    return n - -(-n // groups)


def check_js_knn_k(k: Any, n_x: int, n_y: int) -> int:
    """js_knn's order: 1 <= k < min(n_x, n_y) (neighbours within the smaller sample)."""
    if min(n_x, n_y) < 2:
        raise ValueError(
            f"js_knn needs at least 2 points in each sample (x has {n_x}, y has {n_y}): a point's "
            f"neighbour distance is to another point of its own sample."
        )
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise TypeError(f"k must be a positive integer; got {k!r} of type {type(k).__name__}.")
    value = int(k)
    if value < 1:
        raise ValueError(f"k must be a positive integer (the k-th nearest neighbour); got {value}.")
    if value >= min(n_x, n_y):
        raise ValueError(
            f"k={value} must be below the smaller sample's size (x has {n_x} points, y has "
            f"{n_y}): the k-th neighbour of a point is among the other points of its sample. "
            f"Use a smaller k or more data."
        )
    return value


def check_jackknife_size(n_smaller: int, k: int, groups: int) -> None:
    """The interval's jackknife leaves a group out: the smaller sample must keep k + 1 points."""
    kept = jackknife_kept(n_smaller, groups)
    if kept < k + 1:
        raise ValueError(
            f"ci needs the smaller sample to keep more than k={k} points when a tenth of it is "
            f"left out (the interval is a delete-a-group jackknife over {groups} groups); it "
            f"keeps {kept}. Use a smaller k, more data, or ci=None."
        )


def check_kl_jackknife_size(kept_x: int, kept_y: int, k: int, groups: int, k_given: bool) -> None:
    """kl_knn's jackknife: every replicate must keep more than k points of x and k of y."""
    if kept_x < k + 1 or kept_y < k:
        advice = "Use a smaller k, more data" if k_given else "Use more data"
        raise ValueError(
            f"ci needs every replicate of the interval's jackknife (over {groups} groups, each "
            f"leaving out a tenth of x and of y) to keep more than k={k} points of x and at least "
            f"{k} of y; they keep {kept_x} and {kept_y}. {advice}, or ci=None."
        )


def raise_jackknife_ties(failed: int, groups: int) -> None:
    """Too many jackknife replicates met a zero k-th neighbour distance to give an interval."""
    raise ValueError(
        f"ci: {failed} of the {groups} jackknife replicates met a k-th neighbour distance of 0 "
        f"(values repeated more than k times once a group is left out), too few remain for a "
        f"standard error. Use a larger k, jitter rounded data, or ci=None."
    )


#: The largest dimension the ensemble was measured in (its weights grow with d)
ENSEMBLE_MAX_D = 16


def check_knn_bias_correction(value: Any, d: int) -> str | None:
    """None (also for False, as the histogram estimators take it), or "ensemble" (d <= 16).

    "ensemble" is for points of at most ENSEMBLE_MAX_D coordinates.
    """
    if value is None or value is False:
        return None
    if not (isinstance(value, str) and value == "ensemble"):
        raise ValueError(
            f"bias_correction must be None or False (none) or 'ensemble' (a weighted ensemble "
            f"over neighbour orders k, 2k, 4k, 8k); got {value!r}."
        )
    if d > ENSEMBLE_MAX_D:
        raise ValueError(
            f"bias_correction='ensemble' is for points of at most {ENSEMBLE_MAX_D} coordinates "
            f"(these have {d}): its weights grow with d, and beyond that their variance "
            f"swamped the estimate where it was measured (0.3-1.2 nats for two equal laws in "
            f"32-D and 50-D). Use bias_correction=None."
        )
    return "ensemble"


def ensemble_orders(k: int, n_smaller: int, need: str = "") -> tuple[int, ...]:
    """Orders k, 2k, 4k, 8k below ``n_smaller`` (k' < n_smaller); at least two.

    ``need`` says what the first two orders need of the samples, for the error; by default
    more than 2k points in the smaller sample (js_knn's rule).
    """
    orders = tuple(k * 2**i for i in range(4) if k * 2**i <= n_smaller - 1)
    if len(orders) < 2:
        need = need or f"more than {2 * k} points in the smaller sample (it has {n_smaller})"
        raise ValueError(
            f"bias_correction='ensemble' combines neighbour orders k, 2k, 4k and 8k, at least "
            f"the first two: k={k} needs {need}; use a smaller k or more data."
        )
    return orders


def raise_knn_underflow() -> None:
    """Zero neighbour distances between distinct points: their squares underflowed."""
    raise ValueError(
        "some k-th neighbour distances are 0 although no point repeats: the points span too "
        "many orders of magnitude (distances below about 1e-154 of the largest coordinate "
        "have squares that underflow to 0). Rescale the coordinates that differ in scale, or "
        "remove the outlying points."
    )


def as_knn_batch(a: Any, name: str) -> np.ndarray:
    """A batch for js_knn_batch: float64 ``(B, n, d)``, finite, C-contiguous."""
    arr = as_real_array(a, name)
    if arr.ndim == 2:
        raise ValueError(
            f"{name} has shape {arr.shape}; js_knn_batch takes a batch of shape (B, n, d): B "
            f"samples of n points in d dimensions. A 2-D array is ambiguous, so it is not "
            f"guessed: for one sample of {arr.shape[0]} points in {arr.shape[1]} dimensions "
            f"call js_knn({name}, ...); for a batch of {arr.shape[0]} 1-D samples of "
            f"{arr.shape[1]} values pass {name}[:, :, None] (shape ({arr.shape[0]}, "
            f"{arr.shape[1]}, 1))."
        )
    if arr.ndim != 3:
        raise ValueError(
            f"{name} must be a batch of shape (B, n, d), B samples of n points in d dimensions; "
            f"got {arr.ndim} dimension(s) with shape {arr.shape}. For one sample call js_knn."
        )
    if arr.shape[1] == 0 or arr.shape[2] == 0:
        raise ValueError(
            f"{name} has shape {arr.shape}; each sample of the batch needs points (n >= 2) "
            f"with at least one coordinate (d >= 1)."
        )
    out = np.ascontiguousarray(arr, dtype=np.float64)
    bad = ~np.isfinite(out)
    if bad.any():
        n_nan = int(np.isnan(out).sum())
        pairs = np.flatnonzero(bad.any(axis=(1, 2)))
        listed = ", ".join(str(int(i)) for i in pairs[:5]) + (" ..." if pairs.size > 5 else "")
        raise ValueError(
            f"{name} contains {nonfinite_phrase(n_nan, int(bad.sum()) - n_nan)}, in "
            f"{pairs.size} of its {out.shape[0]} samples ({name}[{listed}]); the kNN estimator "
            f"needs finite points. Drop those pairs from the batch, or estimate them one by one "
            f"with js_knn after removing the points."
        )
    return out


def check_knn_batch_pair(x: np.ndarray, y: np.ndarray) -> None:
    """Check x and y of js_knn_batch: as many pairs, equal sizes, one space."""
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x holds {x.shape[0]} samples and y holds {y.shape[0]}; a batch pairs x[i] with "
            f"y[i], so both need the same first axis B."
        )
    if x.shape[1] != y.shape[1]:
        raise ValueError(
            f"x's samples have {x.shape[1]} points and y's have {y.shape[1]}; js_knn_batch "
            f"needs equal sizes n in every pair. For samples of different sizes call js_knn "
            f"pair by pair (it pools the larger sample in random blocks, drawn from seed=)."
        )
    if x.shape[2] != y.shape[2]:
        raise ValueError(
            f"x's points have {x.shape[2]} coordinate(s) and y's have {y.shape[2]}; both "
            f"samples of a pair must be points of the same space."
        )


def check_js_knn_batch_k(k: Any, n: int) -> int:
    """js_knn_batch's order: 1 <= k < n, the points per sample."""
    if n < 2:
        raise ValueError(
            f"js_knn_batch needs at least 2 points per sample (n={n}): a point's neighbour "
            f"distance is to another point of its own sample."
        )
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise TypeError(f"k must be a positive integer; got {k!r} of type {type(k).__name__}.")
    value = int(k)
    if value < 1:
        raise ValueError(f"k must be a positive integer (the k-th nearest neighbour); got {value}.")
    if value >= n:
        raise ValueError(
            f"k={value} must be below the samples' size n={n}: the k-th neighbour of a point is "
            f"among the other points of its sample. Use a smaller k or more points per sample."
        )
    return value


def check_knn_clip(value: Any) -> bool:
    """``clip=`` of js_knn_batch: a bool."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(
            f"clip must be True (estimates clipped to [0, log 2], as js_knn's value) or False "
            f"(the unclipped realisations, to average); got {value!r} of type "
            f"{type(value).__name__}."
        )
    return bool(value)

"""Checks of one-dimensional samples and of the binning options.

Serves ``divergences.histogram``, ``divergences.estimate`` and ``divergences.dask_arrays``. The
kernels never validate: what reaches them has passed through here (values that only a pass over
the data can judge are reported by the kernels as a status and turned into these messages).
"""

from __future__ import annotations

import math
import numbers
from typing import Any, NoReturn

import numpy as np

from .scalars import as_real_array, count_of

#: Names of the bin rules ``bins=`` accepts.
BIN_RULES = ("auto", "fd", "scott", "sturges", "sqrt", "rice", "quantile")


#: Policies for NaN and infinite sample values.
NONFINITE_POLICIES = ("raise", "omit")


#: The most bins an integer ``bins`` may ask for (2 GiB of float64 edges), refused before any
#: allocation.
MAX_BINS = 1 << 28


#: Integers beyond this magnitude are not all exactly representable as float64, which the
#: edges and the kernels compare them as.
MAX_EXACT_INTEGER = 1 << 53


def as_samples(a: Any, name: str) -> np.ndarray:
    """A 1-D sample or a 2-D batch of samples (one per row), native byte order, no other copy.

    Dtypes as :func:`kernel_dtype`; any other real array is returned as it is, strided or not.
    """
    arr = as_real_array(a, name)
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be a 1-D sample or a 2-D batch of shape (n_pairs, n); got "
            f"{arr.ndim} dimension(s) with shape {arr.shape}."
        )
    arr = kernel_dtype(arr, name)
    if arr.shape[-1] == 0:
        where = " (each row is empty)" if arr.ndim == 2 else ""
        raise ValueError(
            f"{name} is empty{where}; a divergence needs at least one sample value on each "
            f"side (the divergence of nothing is undefined, not 0)."
        )
    return arr


def kernel_dtype(arr: np.ndarray, name: str) -> np.ndarray:
    """A sample's array in a dtype and byte order the kernels read, or a clear error.

    float16 becomes float32 (numba has no float16 arithmetic); big-endian data is byte-swapped
    (numba reads native order only); extended precision and 64-bit integers beyond 2**53 are
    refused with what to do.
    """
    if arr.dtype.kind == "f" and arr.dtype.itemsize == 2:  # float16, either byte order
        arr = arr.astype(np.float32)
    if arr.dtype.kind == "f" and arr.dtype.itemsize > 8:
        raise TypeError(
            f"{name} has dtype {arr.dtype} (extended precision), which the compiled kernels "
            f"cannot read; convert it with {name}.astype(np.float64), which rounds each value "
            f"to double precision."
        )
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if arr.dtype.kind in "iu" and arr.size and arr.dtype.itemsize == 8:
        biggest = max(abs(int(arr.min())), abs(int(arr.max())))
        if biggest > MAX_EXACT_INTEGER:
            raise ValueError(
                f"{name} holds integers up to {biggest}, beyond 2**53, where float64 (in which "
                f"bin edges are computed and values compared) cannot tell neighbours apart; "
                f"convert with {name}.astype(np.float64) if that rounding is acceptable, or "
                f"shift the values nearer 0."
            )
    return arr


def check_sample_pair(x: np.ndarray, y: np.ndarray) -> None:
    """Check that x and y are both single samples, or batches with as many pairs."""
    if x.ndim != y.ndim:
        raise ValueError(
            f"x has {x.ndim} dimension(s) and y has {y.ndim}; pass two 1-D samples, or two 2-D "
            f"batches of shape (n_pairs, n) with one pair per row."
        )
    if x.ndim == 2 and x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x holds {x.shape[0]} samples (rows) and y holds {y.shape[0]}; a batch pairs row i "
            f"of x with row i of y, so both need the same number of rows."
        )


def check_range(value: Any) -> tuple[float, float] | None:
    """``None`` or a finite ``(lo, hi)`` with ``lo <= hi``, as Python floats."""
    if value is None:
        return None
    try:
        lo, hi = value
        lo_f, hi_f = float(lo), float(hi)
    except (TypeError, ValueError):
        raise TypeError(
            f"range must be None or a pair (lo, hi) of real numbers; got {value!r}."
        ) from None
    if not (math.isfinite(lo_f) and math.isfinite(hi_f)):
        raise ValueError(f"range must be finite; got ({lo_f:g}, {hi_f:g}).")
    if lo_f > hi_f:
        raise ValueError(
            f"range must satisfy lo <= hi; got ({lo_f:g}, {hi_f:g}). Swap the two ends."
        )
    return lo_f, hi_f


def check_bins(bins: Any) -> tuple[str, Any]:
    """Classify ``bins``: ("count", int), ("rule", name) or ("edges", float array)."""
    if isinstance(bins, str):
        if bins not in BIN_RULES:
            raise ValueError(
                f"bins={bins!r} is not a known rule; use one of {', '.join(map(repr, BIN_RULES))}, "
                f"an integer number of bins, or an array of edges."
            )
        return "rule", bins
    if isinstance(bins, bool) or (
        isinstance(bins, numbers.Real) and not isinstance(bins, numbers.Integral)
    ):
        raise TypeError(
            f"bins must be an integer, a rule name or an array of edges; got {bins!r} of type "
            f"{type(bins).__name__}."
        )
    if isinstance(bins, numbers.Integral):
        if int(bins) < 1:
            raise ValueError(f"bins must be a positive number of bins; got {int(bins)}.")
        if int(bins) > MAX_BINS:
            raise ValueError(
                f"bins={int(bins)} would need {16 * int(bins) / 2**30:.3g} GiB for its edges and "
                f"counts; at most {MAX_BINS} bins are allowed. Use fewer bins."
            )
        return "count", int(bins)
    edges = as_real_array(bins, "bins")
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError(
            f"bins as an array must be 1-D edges with at least 2 entries (one bin); got shape "
            f"{edges.shape}."
        )
    edges = np.asarray(edges, dtype=np.float64) if edges.dtype.kind != "f" else edges
    if edges.dtype == np.float16 or not edges.dtype.isnative:
        edges = edges.astype(np.float64)
    n_bad = int(np.count_nonzero(~np.isfinite(edges)))
    if n_bad:
        raise ValueError(f"bins has {count_of(n_bad, 'non-finite')}; edges must be finite.")
    check_range_width(float(edges[0]), float(edges[-1]))
    steps = np.diff(edges.astype(np.float64))
    if not (steps > 0).all():
        first = int(np.argmax(~(steps > 0)))
        raise ValueError(
            f"bins must increase strictly; edge {first + 1} ({float(edges[first + 1])!r}) is not "
            f"above edge {first} ({float(edges[first])!r}). Sort the edges and drop duplicates."
        )
    return "edges", edges


def check_edges_without_range(range_: tuple[float, float] | None) -> None:
    """Explicit edges fix the range: a ``range`` beside them is a contradiction."""
    if range_ is not None:
        raise ValueError(
            "range cannot be combined with explicit bin edges (the edges already fix the "
            "range); pass one or the other."
        )


def check_nonfinite_policy(value: Any) -> str:
    """``"raise"`` (default) or ``"omit"``."""
    if value not in NONFINITE_POLICIES:
        raise ValueError(f"nonfinite must be 'raise' or 'omit'; got {value!r}.")
    return str(value)


def nonfinite_phrase(n_nan: int, n_inf: int) -> str:
    """``"2 NaN entries and 1 infinite entry"``, leaving out a count of 0."""
    return " and ".join(
        part
        for part, n in (
            (count_of(n_nan, "NaN"), n_nan),
            (count_of(n_inf, "infinite"), n_inf),
        )
        if n
    )


def raise_nonfinite(name: str, n_nan: int, n_inf: int) -> None:
    """The error for NaN or infinite sample values under the default policy."""
    found = nonfinite_phrase(n_nan, n_inf)
    raise ValueError(
        f"{name} contains {found}; samples must be finite. Remove them, or pass "
        f"nonfinite='omit' to drop them from the histogram (they are then reported as dropped)."
    )


def raise_no_finite_values() -> None:
    """Every value of both samples is NaN or infinite: there is no range to bin."""
    raise ValueError(
        "x and y have no finite value between them, so no bin range can be chosen; check the data."
    )


def check_range_width(lo: float, hi: float) -> None:
    """The width of the binned range must be a finite float (``hi - lo`` may overflow)."""
    with np.errstate(over="ignore"):
        width = np.float64(hi) - np.float64(lo)
    if not np.isfinite(width):
        raise ValueError(
            f"the range [{lo!r}, {hi!r}] is wider than the largest float ({hi!r} - {lo!r} "
            f"overflows), so no bin width can be computed; rescale the samples (e.g. divide "
            f"both by 2) or pass a narrower range=."
        )


def raise_too_many_bins(n_bins: int, lo: float, hi: float) -> None:
    """Uniform edges over a tiny range collapse in floating point."""
    raise ValueError(
        f"{n_bins} bins over the range [{lo!r}, {hi!r}] would have edges that coincide in "
        f"floating point; use fewer bins or a wider range."
    )


def check_binned(name: str, binned: Any, dropped: Any, batch: bool) -> None:
    """Each sample (each row of a batch) must have at least one value inside the bins."""
    empty = np.flatnonzero(np.atleast_1d(binned) == 0)
    if empty.size:
        where = f" in pair {int(empty[0])} ({empty.size} pairs in all)" if batch else ""
        n_dropped = int(np.atleast_1d(dropped)[empty[0]])
        raise ValueError(
            f"{name} has no value inside the bins{where}: all {n_dropped} were outside the range "
            f"or not finite. Widen range (or the edges), or check the data."
        )


def check_batch_rule(rule: str) -> None:
    """The quantile rule gives each pair non-uniform edges of its own: not a batch layout."""
    if rule == "quantile":
        raise ValueError(
            "bins='quantile' is not available for a batch (each pair would get non-uniform "
            "edges of its own); pass an integer number of bins, or loop over the pairs."
        )


def check_pseudocount(value: Any) -> float:
    """A finite pseudocount >= 0 (0 means no smoothing)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"pseudocount must be a real number >= 0 (0 for none); got {value!r} of type "
            f"{type(value).__name__}."
        )
    out = float(value)
    if not (math.isfinite(out) and out >= 0.0):
        raise ValueError(
            f"pseudocount must be a finite number >= 0 (0 for none, 0.5 or 1 for the usual "
            f"smoothing); got {value!r}."
        )
    return out


def scalar_of_batch(n_pairs: int) -> None:
    """float() of a batch estimate: there is no single number to give."""
    raise TypeError(
        f"this estimate holds {n_pairs} values (a batch); use .value for the array, or index it."
    )


def check_compute(value: Any) -> bool:
    """``compute=`` of histogram_pair: a bool."""
    if not isinstance(value, bool):
        raise TypeError(
            f"compute must be True (return the histogram) or False (return a dask Delayed that "
            f"computes to it); got {value!r} of type {type(value).__name__}."
        )
    return value


def raise_lazy_needs_dask() -> NoReturn:
    """compute=False on numpy input: there is nothing lazy to return."""
    raise ValueError(
        "compute=False returns a lazy (dask) histogram and applies to dask arrays only; x and y "
        "are in memory, so their histogram is computed at once. Drop compute=False, or pass "
        "dask arrays."
    )


def raise_lazy_needs_fixed_edges(bins: Any, has_range: bool) -> NoReturn:
    """A lazy histogram needs edges known before any data is read."""
    why = f"bins={bins!r} without range" if not has_range else f"bins={bins!r}"
    raise ValueError(
        f"compute=False needs edges fixed without reading the data, and {why} chooses them "
        f"from passes over the data, which must run first. Pass explicit edges as bins, or an "
        f"integer bins with range=(lo, hi); or keep compute=True."
    )


def check_dask_sample(a: Any, name: str) -> None:
    """A dask array read as one 1-D sample: real dtype, known size, not empty (nothing computed)."""
    if a.ndim != 1:
        raise ValueError(
            f"{name} is a {a.ndim}-D dask array; dask input is read as one 1-D sample (batches "
            f"of pairs are numpy-only). Pass one pair at a time, e.g. {name}[i] for row i, or "
            f"{name}.ravel() for a single sample."
        )
    if a.dtype.kind not in "fiu":
        raise TypeError(
            f"{name} must be an array of real numbers; got dtype {a.dtype}. Convert it with "
            f"{name}.astype(float) if the values are numeric."
        )
    if math.isnan(a.shape[0]):
        raise ValueError(
            f"{name} is a dask array of unknown size (NaN in {name}.chunks); call "
            f"{name}.compute_chunk_sizes() first."
        )
    if a.shape[0] == 0:
        raise ValueError(
            f"{name} is empty; a divergence needs at least one sample value on each side (the "
            f"divergence of nothing is undefined, not 0)."
        )

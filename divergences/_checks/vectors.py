"""Checks of probability vectors, densities, discriminator outputs and distribution parameters.

Serves ``divergences.discrete``, ``divergences.gan`` and ``divergences.reference``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _compiled
from .scalars import as_real_array, count_of, finite_array

#: Probability vectors must sum to 1 within ``max(SUM_ATOL, SUM_EPS_FACTOR * eps * sqrt(k))``
#: where eps is the machine epsilon of the input's dtype and k the vector length: rounding in a
#: sum of k terms grows like sqrt(k) ulps, and float32 inputs carry float32 rounding.
SUM_ATOL = 1e-9


SUM_EPS_FACTOR = 16.0


def sum_tolerance(dtype: np.dtype[Any], k: int) -> float:
    """Tolerance on ``|sum - 1|`` for a probability vector of length k stored as ``dtype``."""
    eps = _EPS.get(dtype.itemsize, 0.0) if dtype.kind == "f" else 0.0
    return max(SUM_ATOL, SUM_EPS_FACTOR * eps * math.sqrt(k))


_EPS = {2: float(np.finfo(np.float16).eps), 4: float(np.finfo(np.float32).eps), 8: 2.0**-52}


def _normalize_axis(axis: Any, ndim: int, name: str) -> int:
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer; got {axis!r} of type {type(axis).__name__}.")
    value = int(axis)
    if not -ndim <= value < ndim:
        raise ValueError(
            f"axis {axis} is out of range for {name} with {ndim} dimension(s); use an axis in "
            f"[{-ndim}, {ndim - 1}]."
        )
    return value % ndim


def _rows(
    arr: np.ndarray, axis: int, name: str, one_outcome_rows: bool = False
) -> tuple[np.ndarray, tuple[int, ...]]:
    """Move ``axis`` last and flatten the leading axes: (rows, k) float64 and the leading shape.

    Several rows of one outcome each are refused unless ``one_outcome_rows`` (a divergence or
    entropy of such rows is 0 whatever the values; a GAN value of them is not).
    """
    if arr.ndim == 0:
        raise ValueError(
            f"{name} is a scalar; a probability vector needs at least one dimension, e.g. "
            f"[0.2, 0.8]."
        )
    ax = _normalize_axis(axis, arr.ndim, name)
    moved = arr if ax == arr.ndim - 1 else np.moveaxis(arr, ax, -1)
    k = moved.shape[-1]
    if k == 0:
        raise ValueError(
            f"{name} is empty along axis {axis}; a probability vector needs at least one entry "
            f"(a divergence of nothing is undefined, not 0)."
        )
    lead = moved.shape[:-1]
    n_rows = math.prod(lead)
    if k == 1 and n_rows > 1 and not one_outcome_rows:
        # a column (n, 1) read along its last axis is n "distributions" of one outcome each,
        # whose divergences and entropies are 0 whatever the values: never what is meant
        long_axes = [i - arr.ndim for i, size in enumerate(arr.shape) if size > 1]
        remedy = (
            f"For one probability vector, pass {name}.ravel() or axis={long_axes[0]}."
            if len(long_axes) == 1
            else "Pass as axis the axis along which the outcomes lie."
        )
        raise ValueError(
            f"{name} has shape {arr.shape}, with one entry along axis {axis}: that reads as "
            f"{n_rows} distributions over a single outcome each (divergence and entropy 0, "
            f"whatever the values). {remedy}"
        )
    rows = np.ascontiguousarray(moved, dtype=np.float64).reshape(-1, k)
    return rows, lead


#: Appended where a probability vector's error may come from passing observations instead.
def check_value_facts(name: str, facts: np.ndarray, what: str) -> None:
    n_nan, n_inf, n_negative = int(facts[0]), int(facts[1]), int(facts[2])
    if n_nan:
        raise ValueError(
            f"{name} contains {count_of(n_nan, 'NaN')}; {what} must be finite numbers. Remove or "
            f"impute the missing values first."
        )
    if n_inf:
        raise ValueError(
            f"{name} contains {count_of(n_inf, 'infinite')}; {what} must be finite numbers."
        )
    if n_negative:
        hint = _SAMPLES_HINT.format(name=name) if what == "probabilities" else ""
        raise ValueError(
            f"{name} has {count_of(n_negative, 'negative')} (min {facts[3]:g}); {what} must be "
            f">= 0.{hint}"
        )


_SAMPLES_HINT = (
    " If {name} holds observed values (a sample) rather than probabilities or counts, estimate "
    "from the samples with js_from_samples / kl_from_samples instead."
)


def _row_label(flat_index: Any, lead: tuple[int, ...]) -> str:
    if not lead:
        return ""
    return str(tuple(int(i) for i in np.unravel_index(int(flat_index), lead)))


@dataclass(frozen=True)
class Pmf:
    """A validated batch of probability vectors: (rows, k) float64 and the divisor of each row."""

    rows: np.ndarray
    sums: np.ndarray
    lead: tuple[int, ...]


def as_pmf(
    p: Any, name: str, *, axis: Any = -1, normalize: bool = False, one_outcome_rows: bool = False
) -> Pmf:
    """Validate probability vectors along ``axis``.

    Rows within tolerance of 1 are divided by their exact sum, which only removes round-off;
    rows further off are an error unless ``normalize`` is true.
    """
    arr = as_real_array(p, name)
    rows, lead = _rows(arr, axis, name, one_outcome_rows)
    sums, maxima, facts = _compiled.pmf_row_stats(rows)
    check_value_facts(name, facts, "probabilities")
    if rows.shape[0] == 0:
        return Pmf(rows, sums, lead)
    n_zero_rows = int(facts[4])
    if n_zero_rows:
        where = f" (row {_row_label(facts[5], lead)}, {n_zero_rows} in all)" if lead else ""
        raise ValueError(
            f"{name} is all zeros{where}; a probability vector needs positive mass, even with "
            f"normalize=True."
        )
    if normalize:
        overflow = ~np.isfinite(sums)
        if overflow.any():
            # the sum of huge but finite entries overflowed: rescale those rows by their maximum
            rows = rows.copy()
            rows[overflow] /= maxima[overflow, None]
            sums = sums.copy()
            sums[overflow] = rows[overflow].sum(axis=1)
        return Pmf(rows, sums, lead)
    tol = sum_tolerance(arr.dtype, rows.shape[1])
    worst_sum = float(facts[7])
    if not abs(worst_sum - 1.0) <= tol:
        where = f" at row {_row_label(facts[6], lead)}" if lead else ""
        raise ValueError(
            f"{name} sums to {worst_sum:.17g}{where} along axis {axis}, not 1 (tolerance "
            f"{tol:.3g}); for counts or weights pass normalize=True to divide by the sum, or fix "
            f"the input.{_SAMPLES_HINT.format(name=name)}"
        )
    return Pmf(rows, sums, lead)


def check_same_support(p: Pmf, q: Pmf, p_name: str, q_name: str, axis: Any) -> tuple[int, ...]:
    """Check that two batches of vectors describe the same outcomes; return the output shape."""
    kp, kq = p.rows.shape[1], q.rows.shape[1]
    if kp != kq:
        raise ValueError(
            f"{p_name} has {kp} entries along axis {axis} but {q_name} has {kq}; both must give "
            f"the probabilities of the same outcomes."
        )
    try:
        return tuple(np.broadcast_shapes(p.lead, q.lead))
    except ValueError:
        raise ValueError(
            f"the leading shapes of {p_name} {p.lead} and {q_name} {q.lead} do not broadcast; "
            f"they must follow numpy broadcasting like scipy.stats.entropy."
        ) from None


def broadcast_rows(a: Pmf, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Rows and sums of ``a`` laid out for the kernels' ``row i or row 0`` broadcasting."""
    n = math.prod(shape)
    if n == 0:  # an empty batch: no rows, whatever broadcasts against it
        return a.rows[:0], a.sums[:0]
    if a.rows.shape[0] in (1, n):
        return a.rows, a.sums
    k = a.rows.shape[1]
    rows = np.broadcast_to(a.rows.reshape(*a.lead, k), (*shape, k)).reshape(n, k)
    sums = np.broadcast_to(a.sums.reshape(a.lead), shape).reshape(n)
    return np.ascontiguousarray(rows), np.ascontiguousarray(sums)


def _prepend_ones(a: Any, name: str, ndim: int) -> np.ndarray:
    """View ``a`` with leading length-1 axes up to ``ndim`` (numpy broadcasting alignment)."""
    arr = as_real_array(a, name)
    if arr.ndim == 0:
        raise ValueError(
            f"{name} is a scalar; a probability vector needs at least one dimension, e.g. "
            f"[0.2, 0.8]."
        )
    return arr.reshape((1,) * (ndim - arr.ndim) + arr.shape)


def as_pmf_pair(
    p: Any,
    q: Any,
    *,
    axis: Any,
    normalize: bool,
    names: tuple[str, str] = ("p", "q"),
    one_outcome_rows: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[int, ...]]:
    """Validate two batches of probability vectors; return kernel-ready rows, sums and shape.

    The arrays broadcast as numpy aligns them (trailing axes first), then ``axis`` picks the
    outcome axis of the broadcast layout, as in ``scipy.stats.entropy``.
    """
    p_name, q_name = names
    p_arr, q_arr = as_real_array(p, p_name), as_real_array(q, q_name)
    ndim = max(p_arr.ndim, q_arr.ndim)
    pp = as_pmf(
        _prepend_ones(p_arr, p_name, ndim),
        p_name,
        axis=axis,
        normalize=normalize,
        one_outcome_rows=one_outcome_rows,
    )
    qq = as_pmf(
        _prepend_ones(q_arr, q_name, ndim),
        q_name,
        axis=axis,
        normalize=normalize,
        one_outcome_rows=one_outcome_rows,
    )
    shape = check_same_support(pp, qq, p_name, q_name, axis)
    p_rows, p_sums = broadcast_rows(pp, shape)
    q_rows, q_sums = broadcast_rows(qq, shape)
    return p_rows, q_rows, p_sums, q_sums, shape


def as_densities(a: Any, name: str) -> np.ndarray:
    """Non-negative finite values (densities or masses, not necessarily summing to 1)."""
    arr = as_real_array(a, name)
    flat = np.ascontiguousarray(arr, dtype=np.float64).reshape(1, -1)
    check_value_facts(name, _compiled.pmf_row_stats(flat)[2], "densities")
    return flat.reshape(arr.shape)


def as_discriminator(
    d: Any, name: str, *, ndim: int, axis: int, shape: tuple[int, ...], logit: bool
) -> np.ndarray:
    """Discriminator outputs in [0, 1] (or logits) laid out as kernel rows of ``shape + (k,)``.

    ``d`` is aligned with the ``ndim``-dimensional layout of p_data and p_g, then ``axis`` is
    moved last as for them.
    """
    arr = np.asarray(as_real_array(d, name), dtype=np.float64)
    n_nan = int(np.isnan(arr).sum())
    if n_nan:
        raise ValueError(
            f"{name} contains {count_of(n_nan, 'NaN')}; a discriminator must give a value at "
            f"every point."
        )
    if not logit:
        bad = (arr < 0.0) | (arr > 1.0)
        if bad.any():
            raise ValueError(
                f"{name} has {count_of(int(bad.sum()), 'out-of-range')} (min {arr.min():g}, max "
                f"{arr.max():g}); a discriminator outputs probabilities in [0, 1]. Pass logits "
                f"to gan_value_from_logits instead."
            )
    target = shape[:-1]
    if arr.ndim > ndim:
        raise ValueError(
            f"{name} has {arr.ndim} dimensions but p_data and p_g have {ndim}; give one value "
            f"per bin."
        )
    aligned = np.moveaxis(arr.reshape((1,) * (ndim - arr.ndim) + arr.shape), axis, -1)
    try:
        laid = np.broadcast_to(aligned, (*target, shape[-1]))
    except ValueError:
        raise ValueError(
            f"{name} has shape {arr.shape}, which does not broadcast to p_data and p_g (outcome "
            f"axis {axis}, {shape[-1]} bins, leading shape {target}); give one value per bin."
        ) from None
    return np.ascontiguousarray(laid).reshape(-1, shape[-1])


def as_normal_parameters(
    mu1: Any, sigma1: Any, mu2: Any, sigma2: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Means (finite) and standard deviations (finite, > 0) of two normal distributions."""
    out = []
    for value, name in ((mu1, "mu1"), (sigma1, "sigma1"), (mu2, "mu2"), (sigma2, "sigma2")):
        arr = finite_array(value, name)
        if name.startswith("sigma") and (arr <= 0.0).any():
            raise ValueError(
                f"{name} must be a standard deviation > 0; got {value!r}. (A variance? pass its "
                f"square root.)"
            )
        out.append(arr)
    try:
        np.broadcast_shapes(*(a.shape for a in out))
    except ValueError:
        raise ValueError(
            f"mu1, sigma1, mu2, sigma2 have shapes {[a.shape for a in out]}, which do not "
            f"broadcast together."
        ) from None
    return out[0], out[1], out[2], out[3]


def check_mvn_parameters(
    mean1: Any, cov1: Any, mean2: Any, cov2: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two (mean, covariance) pairs of one dimension, covariances symmetric positive definite."""
    m1, m2 = finite_array(mean1, "mean1"), finite_array(mean2, "mean2")
    c1, c2 = finite_array(cov1, "cov1"), finite_array(cov2, "cov2")
    for m, name in ((m1, "mean1"), (m2, "mean2")):
        if m.ndim != 1 or m.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D vector; got shape {m.shape}.")
    if m1.shape != m2.shape:
        raise ValueError(
            f"mean1 has {m1.shape[0]} dimensions but mean2 has {m2.shape[0]}; both normals "
            f"must live in the same space."
        )
    k = m1.shape[0]
    for c, name in ((c1, "cov1"), (c2, "cov2")):
        if c.shape != (k, k):
            raise ValueError(
                f"{name} must have shape ({k}, {k}) to match the means; got {c.shape}."
            )
        if not np.allclose(c, c.T, rtol=1e-12, atol=0.0):
            raise ValueError(
                f"{name} is not symmetric; a covariance matrix must equal its transpose."
            )
        try:
            np.linalg.cholesky(c)
        except np.linalg.LinAlgError:
            raise ValueError(
                f"{name} is not positive definite (its Cholesky factorisation failed); a "
                f"degenerate normal has no density and KL is undefined. Add a small ridge if "
                f"that is what you mean."
            ) from None
    return m1, c1, m2, c2


def check_frozen_continuous(dist: Any, name: str) -> None:
    """A frozen ``scipy.stats`` continuous distribution (``scipy.stats.norm(0, 1)``)."""
    from scipy import stats

    if not isinstance(getattr(dist, "dist", None), stats.rv_continuous):
        raise TypeError(
            f"{name} must be a frozen scipy.stats continuous distribution such as "
            f"scipy.stats.norm(0, 1); got {type(dist).__name__}."
        )

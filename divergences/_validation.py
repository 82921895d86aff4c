"""Input checks and conversions. Every error message of the library lives in this module.

A message names the argument, says what is wrong (with the numbers that show it) and what to do.
The kernels in ``_kernels`` never validate; everything reaching them has passed through here.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

from . import _compiled

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


def check_base(base: Any) -> float:
    """Return ``log(base)``, the divisor turning nats into units of ``base`` (1.0 for None)."""
    if base is None:
        return 1.0
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise TypeError(
            f"base must be a real number (e.g. 2 for bits) or None for nats; got {base!r} "
            f"of type {type(base).__name__}."
        )
    value = float(base)
    if not (math.isfinite(value) and value > 0.0 and value != 1.0):
        raise ValueError(
            f"base must be a positive finite number other than 1 (e.g. 2 for bits, or None for "
            f"nats); got {base!r}."
        )
    return math.log(value)


def check_distance_base(base: Any) -> float:
    """As check_base, for a distance (a square root): bases below 1 would make it imaginary."""
    log_base = check_base(base)
    if log_base < 0.0:
        raise ValueError(
            f"base must be greater than 1 for a distance (a base below 1 makes the divergence "
            f"negative and its square root undefined); got {base!r}."
        )
    return log_base


def as_real_array(a: Any, name: str) -> np.ndarray:
    """``np.asarray`` that refuses what is not an array of real numbers."""
    if isinstance(a, np.ma.MaskedArray) and np.ma.is_masked(a):
        # np.asarray would drop the mask and use the masked values: a silently wrong result
        raise TypeError(
            f"{name} is a masked array with masked entries, which would be read with their "
            f"masked values; pass {name}.compressed() to drop them (samples), or fill them "
            f"explicitly with {name}.filled(value)."
        )
    try:
        arr = np.asarray(a)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise ValueError(
            f"{name} could not be read as a numeric array ({exc}); pass a rectangular array of "
            f"real numbers."
        ) from None
    if arr.dtype.kind not in "fiu":
        raise TypeError(
            f"{name} must be an array of real numbers; got dtype {arr.dtype}. Convert it with "
            f"np.asarray({name}, dtype=float) if the values are numeric."
        )
    return arr


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


def _rows(arr: np.ndarray, axis: int, name: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """Move ``axis`` last and flatten the leading axes: (rows, k) float64 and the leading shape."""
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
    rows = np.ascontiguousarray(moved, dtype=np.float64).reshape(-1, k)
    return rows, lead


def _entries(n: int, adjective: str) -> str:
    return f"{n} {adjective} entr{'y' if n == 1 else 'ies'}"


def _check_values(name: str, facts: np.ndarray, what: str) -> None:
    n_nan, n_inf, n_negative = int(facts[0]), int(facts[1]), int(facts[2])
    if n_nan:
        raise ValueError(
            f"{name} contains {_entries(n_nan, 'NaN')}; {what} must be finite numbers. Remove or "
            f"impute the missing values first."
        )
    if n_inf:
        raise ValueError(
            f"{name} contains {_entries(n_inf, 'infinite')}; {what} must be finite numbers."
        )
    if n_negative:
        hint = _SAMPLES_HINT.format(name=name) if what == "probabilities" else ""
        raise ValueError(
            f"{name} has {_entries(n_negative, 'negative')} (min {facts[3]:g}); {what} must be "
            f">= 0.{hint}"
        )


#: Appended where a probability vector's error may come from passing observations instead.
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


def as_pmf(p: Any, name: str, *, axis: Any = -1, normalize: bool = False) -> Pmf:
    """Validate probability vectors along ``axis``.

    Rows within tolerance of 1 are divided by their exact sum, which only removes round-off;
    rows further off are an error unless ``normalize`` is true.
    """
    arr = as_real_array(p, name)
    rows, lead = _rows(arr, axis, name)
    sums, maxima, facts = _compiled.pmf_row_stats(rows)
    _check_values(name, facts, "probabilities")
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
    p: Any, q: Any, *, axis: Any, normalize: bool, names: tuple[str, str] = ("p", "q")
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[int, ...]]:
    """Validate two batches of probability vectors; return kernel-ready rows, sums and shape.

    The arrays broadcast as numpy aligns them (trailing axes first), then ``axis`` picks the
    outcome axis of the broadcast layout, as in ``scipy.stats.entropy``.
    """
    p_name, q_name = names
    p_arr, q_arr = as_real_array(p, p_name), as_real_array(q, q_name)
    ndim = max(p_arr.ndim, q_arr.ndim)
    pp = as_pmf(_prepend_ones(p_arr, p_name, ndim), p_name, axis=axis, normalize=normalize)
    qq = as_pmf(_prepend_ones(q_arr, q_name, ndim), q_name, axis=axis, normalize=normalize)
    shape = check_same_support(pp, qq, p_name, q_name, axis)
    p_rows, p_sums = broadcast_rows(pp, shape)
    q_rows, q_sums = broadcast_rows(qq, shape)
    return p_rows, q_rows, p_sums, q_sums, shape


def as_densities(a: Any, name: str) -> np.ndarray:
    """Non-negative finite values (densities or masses, not necessarily summing to 1)."""
    arr = as_real_array(a, name)
    flat = np.ascontiguousarray(arr, dtype=np.float64).reshape(1, -1)
    _check_values(name, _compiled.pmf_row_stats(flat)[2], "densities")
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
            f"{name} contains {_entries(n_nan, 'NaN')}; a discriminator must give a value at "
            f"every point."
        )
    if not logit:
        bad = (arr < 0.0) | (arr > 1.0)
        if bad.any():
            raise ValueError(
                f"{name} has {_entries(int(bad.sum()), 'out-of-range')} (min {arr.min():g}, max "
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


def _finite_array(a: Any, name: str) -> np.ndarray:
    arr = np.asarray(as_real_array(a, name), dtype=np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; got {a!r}.")
    return arr


def as_normal_parameters(
    mu1: Any, sigma1: Any, mu2: Any, sigma2: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Means (finite) and standard deviations (finite, > 0) of two normal distributions."""
    out = []
    for value, name in ((mu1, "mu1"), (sigma1, "sigma1"), (mu2, "mu2"), (sigma2, "sigma2")):
        arr = _finite_array(value, name)
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
    m1, m2 = _finite_array(mean1, "mean1"), _finite_array(mean2, "mean2")
    c1, c2 = _finite_array(cov1, "cov1"), _finite_array(cov2, "cov2")
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


# ---------------------------------------------------------------------------------------------
# The GAN trainer (divergences.trainer)
# ---------------------------------------------------------------------------------------------


def check_positive_int(value: Any, name: str) -> int:
    """An integer >= 1 (a count: steps, batch size, bins, layer width ...)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer >= 1; got {value!r} of type {type(value).__name__}."
        )
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value}.")
    return int(value)


def check_real(value: Any, name: str) -> float:
    """A finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number; got {value!r} of type {type(value).__name__}."
        )
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}.")
    return float(value)


def check_positive_real(value: Any, name: str) -> float:
    """A finite real number > 0 (a standard deviation, a scale, a learning rate)."""
    x = check_real(value, name)
    if not x > 0.0:
        raise ValueError(f"{name} must be > 0; got {value!r}.")
    return x


def check_non_negative_real(value: Any, name: str) -> float:
    """A finite real number >= 0."""
    x = check_real(value, name)
    if x < 0.0:
        raise ValueError(f"{name} must be >= 0; got {value!r}.")
    return x


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """One of a fixed set of names."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}.")
    return str(value)


def check_layer_sizes(sizes: Any) -> tuple[int, ...]:
    """Layer widths of an MLP: a sequence of at least two integers >= 1."""
    try:
        widths = tuple(sizes)
    except TypeError:
        raise TypeError(
            f"sizes must be a sequence of layer widths such as (1, 16, 16, 1); got {sizes!r}."
        ) from None
    if len(widths) < 2:
        raise ValueError(
            f"sizes must hold at least an input and an output width, e.g. (1, 1); got {widths!r}."
        )
    for width in widths:
        if isinstance(width, bool) or not isinstance(width, numbers.Integral) or width < 1:
            raise ValueError(f"every layer width in sizes must be an integer >= 1; got {widths!r}.")
    return tuple(int(w) for w in widths)


def check_activation(name: Any, choices: tuple[str, ...]) -> str:
    """An activation name known to the trainer."""
    return check_choice(name, "activation", choices)


def check_flat_parameters(flat: Any, expected: int, sizes: tuple[int, ...]) -> None:
    """The flat parameter vector of an MLP: float64, shape ``(expected,)``."""
    if not isinstance(flat, np.ndarray) or flat.shape != (expected,) or flat.dtype != np.float64:
        got = (
            f"dtype {flat.dtype} and shape {flat.shape}"
            if isinstance(flat, np.ndarray)
            else f"{type(flat).__name__}"
        )
        raise ValueError(
            f"flat must be a float64 numpy vector of {expected} parameters for sizes {sizes}; "
            f"got {got}."
        )


def check_mlp_input(x: Any, n_in: int) -> np.ndarray:
    """A batch of row vectors for an MLP with ``n_in`` inputs: finite, shape ``(batch, n_in)``."""
    arr = np.asarray(as_real_array(x, "x"), dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != n_in:
        raise ValueError(
            f"x must have shape (batch, {n_in}) for a network with {n_in} input(s); got shape "
            f"{arr.shape}. Reshape a 1-D batch with x.reshape(-1, 1)."
        )
    if not np.isfinite(arr).all():
        raise ValueError("x contains NaN or infinite entries; a network input must be finite.")
    return arr


def check_optimizer_parameters(
    *, lr: Any, beta1: Any = 0.0, beta2: Any = 0.0, eps: Any = 1.0, momentum: Any = 0.0
) -> None:
    """Hyperparameters of Adam and SGD: lr > 0, betas and momentum in [0, 1), eps > 0."""
    check_positive_real(lr, "lr")
    check_positive_real(eps, "eps")
    for value, name in ((beta1, "beta1"), (beta2, "beta2"), (momentum, "momentum")):
        if not 0.0 <= check_real(value, name) < 1.0:
            raise ValueError(f"{name} must be in [0, 1); got {value!r}.")


def check_mixture(centers: Any, weights: Any) -> tuple[np.ndarray, np.ndarray]:
    """Mode centres ``(n_modes, dim)`` (a 1-D array is 1-D data) and weights summing to 1."""
    c = _finite_array(centers, "centers")
    if c.ndim == 1:
        c = c[:, None]
    if c.ndim != 2 or c.shape[0] == 0 or c.shape[1] == 0:
        raise ValueError(
            f"centers must have shape (n_modes, dim) with at least one mode; got shape "
            f"{np.shape(centers)}."
        )
    if weights is None:
        return c, np.full(c.shape[0], 1.0 / c.shape[0])
    w = _finite_array(weights, "weights")
    if w.shape != (c.shape[0],) or (w <= 0.0).any() or abs(w.sum() - 1.0) > 1e-9:
        raise ValueError(
            f"weights must be {c.shape[0]} positive numbers summing to 1, one per centre; got "
            f"{weights!r}."
        )
    return c, w / w.sum()


def check_noise_bounds(low: Any, high: Any) -> tuple[float, float]:
    """Bounds of uniform noise, ``low < high``."""
    a, b = check_real(low, "low"), check_real(high, "high")
    if not a < b:
        raise ValueError(f"low must be below high for uniform noise; got low={a:g}, high={b:g}.")
    return a, b


def check_one_dimensional(dim: int, what: str) -> None:
    """Refuse a 1-D-only quantity (density, window, histogram JSD) on multivariate data."""
    if dim != 1:
        raise ValueError(
            f"{what} is defined here for 1-D data only; this distribution is {dim}-D. Use the "
            f"mode metrics (divergences.trainer.metrics.mode_metrics) for 2-D mixtures."
        )


def check_samples_dim(samples: Any, dim: int, name: str) -> np.ndarray:
    """Finite samples of shape ``(n, dim)`` with n >= 1 (a 1-D array is n scalar samples)."""
    arr = _finite_array(samples, name)
    if arr.ndim == 1 and dim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] != dim or arr.shape[0] == 0:
        raise ValueError(
            f"{name} must have shape (n, {dim}) with n >= 1 to match {dim}-D data; got shape "
            f"{np.shape(samples)}."
        )
    return arr


def check_network_dims(
    generator_sizes: tuple[int, ...],
    discriminator_sizes: tuple[int, ...],
    noise_dim: int,
    data_dim: int,
) -> None:
    """The generator maps noise to data space and the discriminator maps data to one logit."""
    if generator_sizes[0] != noise_dim or generator_sizes[-1] != data_dim:
        raise ValueError(
            f"the generator has sizes {generator_sizes} but must map {noise_dim}-D noise to "
            f"{data_dim}-D data; build the state with init_gan for this data and noise."
        )
    if discriminator_sizes[0] != data_dim or discriminator_sizes[-1] != 1:
        raise ValueError(
            f"the discriminator has sizes {discriminator_sizes} but must map {data_dim}-D data "
            f"to one logit; build the state with init_gan for this data and noise."
        )


def check_steps_within(steps: Any, n_steps: int, name: str) -> tuple[int, ...]:
    """Step numbers in ``[0, n_steps]`` (sorted, without repeats)."""
    try:
        values = sorted({int(s) for s in steps})
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a sequence of integer step numbers; got {steps!r}."
        ) from None
    bad = [s for s in values if not 0 <= s <= n_steps]
    if bad:
        raise ValueError(
            f"{name} must lie in [0, n_steps] = [0, {n_steps}]; got {bad} outside that range."
        )
    return tuple(values)


def check_window(window: Any) -> tuple[float, float]:
    """A finite evaluation range ``(lo, hi)`` with ``lo < hi``."""
    try:
        lo, hi = (float(v) for v in window)
    except (TypeError, ValueError):
        raise TypeError(
            f"range must be a pair (lo, hi) of finite numbers; got {window!r}."
        ) from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"range must be finite with lo < hi; got {window!r}.")
    return lo, hi


def check_history_key(records: dict[str, list[float]], key: Any) -> None:
    """A series the history holds."""
    if key not in records:
        known = ", ".join(map(repr, records)) or "none yet"
        raise KeyError(f"the history has no series {key!r}; recorded series: {known}.")


def check_history_record(records: dict[str, list[float]], values: dict[str, Any]) -> None:
    """One evaluation adds one value to every series, so the series stay aligned with the steps."""
    if records and set(values) != set(records):
        missing = sorted(set(records) - set(values))
        extra = sorted(set(values) - set(records))
        raise ValueError(
            f"a history record must give every series once so they stay aligned; missing "
            f"{missing}, new {extra}."
        )


def check_seed(seed: Any) -> int:
    """A seed for ``np.random.default_rng``: an integer >= 0."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0 (for np.random.default_rng); got {seed!r}.")
    return int(seed)


def check_type(value: Any, expected: type, name: str, example: str) -> None:
    """An instance of ``expected`` (a class of the library, built as ``example`` shows)."""
    if not isinstance(value, expected):
        raise TypeError(
            f"{name} must be a {expected.__name__}; got {type(value).__name__}. Build one with "
            f"{example}."
        )


# --------------------------------------------------------------------------------------------
# Samples (divergences.histogram, divergences.estimate)
# --------------------------------------------------------------------------------------------

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
        raise ValueError(f"bins has {_entries(n_bad, 'non-finite')}; edges must be finite.")
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


def _nonfinite_found(n_nan: int, n_inf: int) -> str:
    """``"2 NaN entries and 1 infinite entry"``, leaving out a count of 0."""
    return " and ".join(
        part
        for part, n in ((_entries(n_nan, "NaN"), n_nan), (_entries(n_inf, "infinite"), n_inf))
        if n
    )


def raise_nonfinite(name: str, n_nan: int, n_inf: int) -> None:
    """The error for NaN or infinite sample values under the default policy."""
    found = _nonfinite_found(n_nan, n_inf)
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


def check_snapshots(snapshots: list[Any], key: str, what: str) -> list[Any]:
    """Snapshots holding the array ``key`` (1-D runs hold 'centers', 2-D runs 'samples')."""
    if not snapshots:
        raise ValueError(
            f"{what} needs snapshots and this history has none; train with "
            f"TrainConfig(snapshot_steps=...) (the last step is always kept by train)."
        )
    kinds = {"centers": "1-D", "samples": "2-D"}
    missing = [s.step for s in snapshots if key not in s.arrays]
    if missing:
        other = "plot_samples" if key == "centers" else "plot_panels"
        raise ValueError(
            f"{what} draws {kinds.get(key, key)} runs, but the snapshots at steps {missing} hold "
            f"no {key!r}; use {other} for this run."
        )
    return list(snapshots)


# --------------------------------------------------------------------------------------------
# Bias correction, bootstrap intervals, two-sample tests (divergences.estimate, .bootstrap,
# .two_sample)
# --------------------------------------------------------------------------------------------

#: Names ``bias_correction=`` accepts (besides False/None for none).
BIAS_CORRECTIONS = ("miller-madow",)
#: Bootstrap interval methods.
CI_METHODS = ("bca", "percentile")
#: Two-sample test calibrations.
TEST_METHODS = ("chi2", "permutation")
#: Fewest bootstrap replicates accepted: below ~100 the 2.5% and 97.5% order statistics are the
#: extremes of the sample and the interval is noise (Efron & Tibshirani 1993 §14 ask >= 1000).
MIN_BOOT = 100


def check_bias_correction(value: Any) -> str | None:
    """None for no correction, else the name of the correction."""
    if value is None or value is False:
        return None
    if isinstance(value, str) and value in BIAS_CORRECTIONS:
        return value
    raise ValueError(
        f"bias_correction must be False (none) or 'miller-madow' (first-order correction); "
        f"got {value!r}."
    )


def check_ci(value: Any) -> float | None:
    """None (no interval) or a confidence level strictly between 0 and 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"ci must be a confidence level such as 0.95, or None for no interval; got {value!r} "
            f"of type {type(value).__name__}."
        )
    level = float(value)
    if not 0.0 < level < 1.0:
        hint = f" (did you mean {level / 100:g}?)" if 1.0 < level < 100.0 else ""
        raise ValueError(
            f"ci must be a confidence level strictly between 0 and 1, e.g. 0.95; got "
            f"{value!r}{hint}."
        )
    return level


def check_ci_method(value: Any) -> str:
    """``"bca"`` or ``"percentile"``."""
    if value not in CI_METHODS:
        raise ValueError(f"ci_method must be 'bca' or 'percentile'; got {value!r}.")
    return str(value)


def _positive_count(value: Any, name: str, minimum: int, why: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r} of type {type(value).__name__}.")
    if int(value) < minimum:
        raise ValueError(f"{name} must be at least {minimum}{why}; got {int(value)}.")
    return int(value)


def check_n_boot(value: Any) -> int:
    """Number of bootstrap replicates: an integer >= MIN_BOOT."""
    return _positive_count(
        value,
        "n_boot",
        MIN_BOOT,
        " (fewer replicates make the interval's ends noise; 1000 or more is usual)",
    )


def check_n_permutations(value: Any) -> int:
    """Number of random permutations: an integer >= 1 (the p-value is at least 1/(B + 1))."""
    return _positive_count(value, "n_permutations", 1, "")


def check_rng(value: Any) -> tuple[np.random.Generator, int | None]:
    """A generator and the integer seed that reproduces it (None when a Generator was given).

    None draws fresh entropy from the operating system and reports it, so every result can be
    reproduced by passing its ``seed`` back.
    """
    check_seed_argument(value)
    if isinstance(value, np.random.Generator):
        return value, None
    if value is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)
        return np.random.default_rng(entropy), entropy
    return np.random.default_rng(int(value)), int(value)


def check_seed_argument(value: Any) -> None:
    """Check a ``seed`` argument without drawing from it (for calls that may not use it).

    Drawing fresh entropy costs ~25 us (measured), a quarter of an estimate on 10^3 + 10^3
    samples, so calls that draw nothing only check the value.
    """
    if value is None or isinstance(value, np.random.Generator):
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"seed must be a non-negative integer, a numpy Generator, or None (fresh entropy, "
            f"reported on the result); got {value!r} of type {type(value).__name__}."
        )
    if int(value) < 0:
        raise ValueError(f"seed must be a non-negative integer; got {int(value)}.")


def check_test_method(value: Any) -> str:
    """``"chi2"`` or ``"permutation"``."""
    if value not in TEST_METHODS:
        raise ValueError(
            f"method must be 'chi2' (asymptotic) or 'permutation' (exact); got {value!r}."
        )
    return str(value)


def check_smoothing_alone(
    pseudocount: float, bias_correction: str | None, ci: float | None
) -> None:
    """A pseudocount is a different estimator: the plug-in's bias and bootstrap do not apply."""
    if pseudocount > 0.0 and (bias_correction is not None or ci is not None):
        asked = "bias_correction" if bias_correction is not None else "ci"
        raise ValueError(
            f"{asked} applies to the plug-in KL (pseudocount=0), not to a smoothed one "
            f"(pseudocount={pseudocount:g}): smoothing adds a bias of its own that neither the "
            f"first-order correction nor the interval accounts for. Drop one of the two."
        )


def raise_not_a_histogram(value: Any) -> None:
    """The *_from_histogram functions take a HistogramPair or HistogramPairND."""
    raise TypeError(
        f"histogram must be a HistogramPair (from histogram_pair) or a HistogramPairND (from "
        f"histogram_pair_nd); got {type(value).__name__}."
    )


def check_histogram_counts(counts_x: Any, counts_y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Counts of a histogram pair: non-negative integers of one shape."""
    cx, cy = np.asarray(counts_x), np.asarray(counts_y)
    for name, c in (("counts_x", cx), ("counts_y", cy)):
        if c.dtype.kind not in "iu":
            raise TypeError(
                f"histogram.{name} must hold integer counts; got dtype {c.dtype}. Build the "
                f"histogram with histogram_pair, or cast exact counts with .astype(np.int64)."
            )
        if c.size and int(c.min()) < 0:
            raise ValueError(
                f"histogram.{name} has negative counts (min {int(c.min())}); counts must be >= 0."
            )
    if cx.shape != cy.shape or cx.ndim == 0:
        raise ValueError(
            f"histogram.counts_x has shape {cx.shape} and counts_y {cy.shape}; both samples "
            f"must be counted on the same bins."
        )
    return cx, cy


# --------------------------------------------------------------------------------------------
# Multivariate samples (divergences.histogram_nd) and the kNN estimator (divergences.knn)
# --------------------------------------------------------------------------------------------


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
            f"{name} contains {_nonfinite_found(n_nan, n_inf)}; the kNN estimator needs finite "
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


def raise_knn_ties(n_x_ties: int, n_y_ties: int, k: int, n_x: int) -> None:
    """Zero distances: the k-th neighbour of some x coincides with it (duplicates, ties)."""
    parts = []
    if n_x_ties:
        parts.append(
            f"{n_x_ties} of the {n_x} points of x have their k-th nearest other x at distance 0"
        )
    if n_y_ties:
        parts.append(f"{n_y_ties} points of x have their k-th nearest y at distance 0")
    raise ValueError(
        f"k={k}: {' and '.join(parts)} (repeated values). The kNN estimator assumes continuous "
        f"distributions, where ties have probability 0, and log(0) has no finite value to "
        f"return. If the data are rounded, add uniform jitter of the rounding width; if a value "
        f"repeats m times, k > m avoids the zero distances (at the cost of more bias); if the "
        f"data are discrete, use kl_from_samples (histograms handle atoms)."
    )


# --------------------------------------------------------------------------------------------
# Scale: dask arrays (divergences.dask_arrays) and the streaming accumulator
# (divergences.streaming)
# --------------------------------------------------------------------------------------------


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


def as_chunk(a: Any, name: str) -> np.ndarray:
    """A chunk of a 1-D sample for the streaming accumulator: may be empty; None is empty.

    Native byte order and float16 as float32 (as as_samples); no other copy.
    """
    if a is None:
        return np.empty(0)
    arr = as_real_array(a, name)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D chunk of a sample; got {arr.ndim} dimension(s) with shape "
            f"{arr.shape}. Pass chunks of one sample (use .ravel() if that is what you mean)."
        )
    return kernel_dtype(arr, name)


def raise_no_edges_yet() -> NoReturn:
    """An accumulator whose edges come from its first chunk has not seen one."""
    raise ValueError(
        "this accumulator has no edges yet: they are fixed from the first chunk of data and no "
        "value has been added. Call update() with data first, or construct it with "
        "range=(lo, hi) and an integer bins, or explicit edges."
    )


def raise_merge_edges(edges: np.ndarray, other: np.ndarray) -> NoReturn:
    """Counts on different bins cannot be added."""

    def describe(e: np.ndarray) -> str:
        return f"{e.size - 1} bins on [{float(e[0])!r}, {float(e[-1])!r}]"

    same = (
        " (the same count and range, but different edges)"
        if describe(edges) == describe(other)
        else ""
    )
    raise ValueError(
        f"cannot merge accumulators on different edges: {describe(edges)} and "
        f"{describe(other)}{same}. Counts only add on the same bins: give every accumulator "
        f"the same explicit edges (e.g. the edges of the first) or the same integer bins and "
        f"range=(lo, hi), rather than edges fixed from each one's first chunk."
    )


def raise_merge_policy(policy: str, other: str) -> NoReturn:
    """Accumulators must treat NaN/inf alike to be merged."""
    raise ValueError(
        f"cannot merge an accumulator with nonfinite={policy!r} and one with "
        f"nonfinite={other!r}: their counts would follow two policies. Use one policy for "
        f"every part of a stream."
    )


#: The ``format`` entry of a saved accumulator, and the file versions this version reads.
ACCUMULATOR_FORMAT = "divergences.HistogramAccumulator"
ACCUMULATOR_VERSIONS = (1,)


def raise_not_an_accumulator_file(path: Any, why: str) -> NoReturn:
    """The file is not one that HistogramAccumulator.save wrote (or it is damaged)."""
    raise ValueError(
        f"{str(path)!r} is not a saved HistogramAccumulator ({why}). Load files written by "
        f"HistogramAccumulator.save; a damaged file cannot be repaired, use an earlier save."
    )


def raise_accumulator_version(path: Any, version: int) -> NoReturn:
    """A file from a newer format version."""
    known = ", ".join(map(str, ACCUMULATOR_VERSIONS))
    raise ValueError(
        f"{str(path)!r} holds a HistogramAccumulator in file format {version}; this version of "
        f"divergences reads format {known}. Upgrade divergences to load it."
    )

"""Checks of the trainer's arguments: network sizes, optimiser settings, data, windows, histories.

Each message names the argument, says what is wrong and what to do; the scalar checks shared with
the rest of the library live in ``divergences._checks.scalars``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .._checks.scalars import (
    as_real_array,
    check_choice,
    check_positive_real,
    check_real,
    finite_array,
)


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
    c = finite_array(centers, "centers")
    if c.ndim == 1:
        c = c[:, None]
    if c.ndim != 2 or c.shape[0] == 0 or c.shape[1] == 0:
        raise ValueError(
            f"centers must have shape (n_modes, dim) with at least one mode; got shape "
            f"{np.shape(centers)}."
        )
    if weights is None:
        return c, np.full(c.shape[0], 1.0 / c.shape[0])
    w = finite_array(weights, "weights")
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
    arr = finite_array(samples, name)
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
    packing: int = 1,
) -> None:
    """The generator maps noise to data space and the discriminator maps a pack to one logit."""
    if generator_sizes[0] != noise_dim or generator_sizes[-1] != data_dim:
        raise ValueError(
            f"the generator has sizes {generator_sizes} but must map {noise_dim}-D noise to "
            f"{data_dim}-D data; build the state with init_gan for this data and noise."
        )
    if discriminator_sizes[0] != packing * data_dim or discriminator_sizes[-1] != 1:
        what = f"{data_dim}-D data" if packing == 1 else f"packs of {packing} {data_dim}-D samples"
        raise ValueError(
            f"the discriminator has sizes {discriminator_sizes} but must map {what} "
            f"to one logit; build the state with init_gan for this data, noise and config."
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

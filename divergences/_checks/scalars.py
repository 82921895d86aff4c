"""Checks of single values that every part of the library uses: numbers, counts, choices, seeds.

Each message names the argument, says what is wrong (with the value that shows it) and what to do.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, overload

import numpy as np


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


def count_of(n: int, adjective: str) -> str:
    return f"{n} {adjective} entr{'y' if n == 1 else 'ies'}"


def finite_array(a: Any, name: str) -> np.ndarray:
    arr = np.asarray(as_real_array(a, name), dtype=np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; got {a!r}.")
    return arr


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


@overload
def check_seed(seed: Any) -> int: ...
@overload
def check_seed(seed: Any, *, generator_ok: bool) -> int | None: ...


def check_seed(seed: Any, *, generator_ok: bool = False) -> int | None:
    """A seed: an integer >= 0, returned as an int; with ``generator_ok`` also a Generator or None.

    One rule for every seed of the library: a non-integer is a TypeError, a negative integer a
    ValueError. The statistics accept a Generator or None (fresh entropy, reported on the result);
    the trainer records its seed with the run, so it takes an integer only.
    """
    if generator_ok and (seed is None or isinstance(seed, np.random.Generator)):
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        also = (
            ", a numpy Generator, or None (fresh entropy, reported on the result)"
            if generator_ok
            else " (the run records it, so that it can be reproduced)"
        )
        raise TypeError(
            f"seed must be a non-negative integer{also}; got {seed!r} of type "
            f"{type(seed).__name__}."
        )
    if int(seed) < 0:
        raise ValueError(f"seed must be a non-negative integer; got {int(seed)}.")
    return int(seed)


def check_type(value: Any, expected: type, name: str, example: str) -> None:
    """An instance of ``expected`` (a class of the library, built as ``example`` shows)."""
    if not isinstance(value, expected):
        raise TypeError(
            f"{name} must be a {expected.__name__}; got {type(value).__name__}. Build one with "
            f"{example}."
        )


def check_count(value: Any, name: str, minimum: int, why: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r} of type {type(value).__name__}.")
    if int(value) < minimum:
        raise ValueError(f"{name} must be at least {minimum}{why}; got {int(value)}.")
    return int(value)

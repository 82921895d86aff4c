"""Input checks of the discriminator estimator (js_discriminator)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

CLASSIFIERS = ("mlp", "logistic", "quadratic")


def check_classifier(value: Any) -> str:
    """A built-in name, a scikit-learn-like object (fit, predict_proba), or a fixed D callable."""
    if isinstance(value, str):
        if value in CLASSIFIERS:
            return value
        raise ValueError(
            f"classifier must be one of {', '.join(repr(c) for c in CLASSIFIERS)}, an object "
            f"with fit(X, labels) and predict_proba(X), or a callable D(points) -> "
            f"probabilities; got {value!r}."
        )
    if hasattr(value, "fit") and hasattr(value, "predict_proba"):
        return "object"
    if callable(value):
        return "callable"
    raise TypeError(
        f"classifier must be one of {', '.join(repr(c) for c in CLASSIFIERS)}, an object with "
        f"fit(X, labels) and predict_proba(X) (scikit-learn's interface), or a callable "
        f"D(points) -> probabilities; got {type(value).__name__}."
    )


def check_folds(value: Any, n_x: int, n_y: int) -> int:
    """At least 2 folds, and at most as many as the smaller sample has points."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"folds must be an integer; got {value!r} of type {type(value).__name__}.")
    folds = int(value)
    if folds < 2:
        raise ValueError(
            f"folds must be at least 2 (the discriminator is evaluated on points it was not "
            f"fitted on); got {folds}."
        )
    if folds > min(n_x, n_y):
        raise ValueError(
            f"folds={folds} needs at least {folds} points in each sample (x has {n_x}, y has "
            f"{n_y}); use fewer folds or more data."
        )
    return folds


def check_probabilities_output(values: Any, n: int, name: str) -> np.ndarray:
    """A discriminator's output on n points: n probabilities in [0, 1]."""
    arr = np.asarray(values, dtype=np.float64) if not isinstance(values, str) else None
    if arr is None or arr.shape not in ((n,), (n, 1)):
        shape = "a string" if arr is None else f"shape {arr.shape}"
        raise ValueError(
            f"the discriminator's output on {name} must be {n} probabilities, one per point "
            f"(shape ({n},)); got {shape}."
        )
    arr = arr.reshape(n)
    bad = ~((arr >= 0.0) & (arr <= 1.0))
    if bad.any():
        raise ValueError(
            f"the discriminator's output on {name} must be probabilities in [0, 1]; "
            f"{int(bad.sum())} of {n} values are not (e.g. {float(arr[bad][0])!r}). A logit t "
            f"gives the probability 1 / (1 + exp(-t)) (scipy.special.expit)."
        )
    return arr


def check_predict_proba_shape(values: Any, n: int) -> np.ndarray:
    """A user classifier's predict_proba on n points: shape (n, 2), columns P(y), P(x)."""
    arr = np.asarray(values)
    if arr.shape != (n, 2):
        raise ValueError(
            f"the classifier's predict_proba must return shape ({n}, 2) for {n} points: the "
            f"probability of label 0 (y) and of label 1 (x); got shape {arr.shape}."
        )
    return arr


def raise_points_dimension(got: int, expected: int) -> None:
    """Points of the wrong dimension for a fitted discriminator."""
    raise ValueError(
        f"points have {got} coordinate(s); the discriminator was fitted on points of "
        f"{expected}. Pass an array of shape (n, {expected})."
    )

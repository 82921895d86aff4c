"""Checks of the statistical options: bias corrections, bootstrap intervals, tests, seeds.

Serves ``divergences.estimate``, ``divergences.bootstrap`` and ``divergences.two_sample``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .scalars import check_count, check_seed

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


def check_n_boot(value: Any) -> int:
    """Number of bootstrap replicates: an integer >= MIN_BOOT."""
    return check_count(
        value,
        "n_boot",
        MIN_BOOT,
        " (fewer replicates make the interval's ends noise; 1000 or more is usual)",
    )


def check_n_permutations(value: Any) -> int:
    """Number of random permutations: an integer >= 1 (the p-value is at least 1/(B + 1))."""
    return check_count(value, "n_permutations", 1, "")


def check_rng(value: Any) -> tuple[np.random.Generator, int | None]:
    """A generator and the integer seed that reproduces it (None when a Generator was given).

    None draws fresh entropy from the operating system and reports it, so every result can be
    reproduced by passing its ``seed`` back.
    """
    check_seed(value, generator_ok=True)
    if isinstance(value, np.random.Generator):
        return value, None
    if value is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)
        return np.random.default_rng(entropy), entropy
    return np.random.default_rng(int(value)), int(value)


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

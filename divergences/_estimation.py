"""What the sample estimators share: option checks, the estimate from counts, the fused path.

The fused path handles the common call (two 1-D float64 samples, "auto", "wkv" or an integer
number of bins, every other argument at its default) in one kernel call. It gives the general
path's result bit for bit, or declines (returns None) and the general path runs, raising its
errors.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from . import _compiled
from ._bin_rules import NUMPY_AUTO_LIMITS_FD, rule_cap
from ._checks.inference import (
    check_bias_correction,
    check_ci,
    check_ci_method,
    check_histogram_counts,
    check_n_boot,
    check_rng,
    raise_not_a_histogram,
)
from ._checks.samples import check_binned
from ._checks.scalars import check_base, check_seed
from ._layout import KERNEL_FLAGS
from .bootstrap import bias_values, bootstrap_intervals, corrected_values
from .histogram import PARALLEL_MIN_SAMPLES, HistogramPair
from .histogram_nd import HistogramPairND
from .results import SampleEstimate

LOG2 = math.log(2.0)
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Options:
    """Validated options shared by the estimators."""

    log_base: float
    base: float | None
    bias_correction: str | None
    ci: float | None
    ci_method: str
    n_boot: int
    rng: np.random.Generator | None
    seed: int | None


def check_options(
    base: Any, bias_correction: Any, ci: Any, ci_method: Any, n_boot: Any, seed: Any
) -> Options:
    log_base = check_base(base)
    correction = check_bias_correction(bias_correction)
    level = check_ci(ci)
    method = check_ci_method(ci_method)
    boots = check_n_boot(n_boot)
    if level is None:
        check_seed(seed, generator_ok=True)  # checked even when unused: a bad seed is a bug
        return Options(log_base, base, correction, level, method, boots, None, None)
    generator, used_seed = check_rng(seed)
    return Options(log_base, base, correction, level, method, boots, generator, used_seed)


def histogram_counts(h: Any) -> tuple[np.ndarray, np.ndarray]:
    """Counts of a histogram as ``(rows, bins)`` after checking them (and that each is binned)."""
    if not isinstance(h, HistogramPair | HistogramPairND):
        raise_not_a_histogram(h)
    cx, cy = check_histogram_counts(h.counts_x, h.counts_y)
    rows = cx.shape[0] if h.batch else 1
    # (a batch of no pairs has no -1 to infer: its bins are the last axis)
    counts_x = cx.reshape(rows, -1) if rows else cx.reshape(0, cx.shape[-1])
    counts_y = cy.reshape(rows, -1) if rows else cy.reshape(0, cy.shape[-1])
    check_binned("x", counts_x.sum(axis=1), h.dropped_x, h.batch)
    check_binned("y", counts_y.sum(axis=1), h.dropped_y, h.batch)
    return counts_x, counts_y


def shaped(values: np.ndarray, h: Any) -> Any:
    return values if h.batch else float(values[0])


def estimate_from_histogram(
    h: HistogramPair | HistogramPairND,
    divergence: str,
    options: Options,
    pseudocount: float = 0.0,
) -> SampleEstimate:
    """The estimate, its bias correction and interval from a histogram pair (nats inside)."""
    counts_x, counts_y = histogram_counts(h)
    off_support = None
    if divergence == "js":
        plugin = _compiled.js_of_counts(counts_x, counts_y)
        upper = LOG2
    else:
        plugin, off_support = _compiled.kl_of_counts(counts_x, counts_y, pseudocount)
        upper = math.inf
    value, bias = plugin, None
    if options.bias_correction is not None:
        bias = bias_values(counts_x, counts_y, divergence)
        value = np.clip(corrected_values(plugin, bias), 0.0, upper)
    interval: Any = None
    if options.ci is not None:
        interval = bootstrap_intervals(
            counts_x,
            counts_y,
            divergence=divergence,
            level=options.ci,
            method=options.ci_method,
            n_boot=options.n_boot,
            rng=options.rng,
        )
        # a base below 1 flips the sign of every value, and so the order of the ends
        interval = np.sort(interval / options.log_base, axis=1)
        if not h.batch:
            interval = (float(interval[0, 0]), float(interval[0, 1]))
    scale = options.log_base
    return SampleEstimate(
        value=shaped(value / scale, h),
        divergence=divergence,
        histogram=h,
        base=options.base,
        pseudocount=pseudocount,
        off_support_mass=None if off_support is None else shaped(off_support, h),
        plugin=shaped(plugin / scale, h),
        bias_correction=options.bias_correction,
        bias=None if bias is None else shaped(bias / scale, h),
        interval=interval,
        ci_level=options.ci,
        ci_method=None if options.ci is None else options.ci_method,
        n_boot=None if options.ci is None else options.n_boot,
        seed=options.seed,
    )


_FLOAT64 = np.dtype(np.float64)


@functools.lru_cache(maxsize=1024)
def _rule_constants(n: int) -> tuple[float, float, float, int]:
    """``sqrt(n)``, ``log2(n) + 1`` and ``n^(-1/3)`` as numpy's bin rules compute them; the cap."""
    return float(np.sqrt(n)), float(np.log2(n) + 1.0), n ** (-1.0 / 3.0), rule_cap(n)


def fused_estimate(
    x: Any,
    y: Any,
    bins: Any,
    divergence: str,
    range_: Any,
    base: Any,
    nonfinite: Any,
    bias_correction: Any,
    ci: Any,
    ci_method: Any,
    n_boot: Any,
    seed: Any,
) -> Any:
    """The estimate from one fused kernel call, or None where the general path must run.

    The fused path handles two 1-D float64 samples (or columns/rows) with every other option
    at its default. Written as one function, without helpers: each Python frame costs about
    half a microsecond on a cold call, a tenth of a minibatch estimate.
    """
    if not (
        type(x) is _NDARRAY
        and type(y) is _NDARRAY
        and x.dtype == _FLOAT64
        and y.dtype == _FLOAT64
        # every option the fused path does not handle at its default
        and range_ is None
        and base is None
        and type(nonfinite) is str
        and nonfinite == "raise"
        and bias_correction is False
        and ci is None
        and type(ci_method) is str
        and ci_method == "bca"
        and type(n_boot) is int
        and n_boot == 1000
        and seed is None
    ):
        return None
    if x.ndim != 1:
        if x.ndim != 2 or 1 not in x.shape:
            return None
        x = x.reshape(-1)  # a column (n, 1) or a row (1, n): one sample
    if y.ndim != 1:
        if y.ndim != 2 or 1 not in y.shape:
            return None
        y = y.reshape(-1)
    if x.flags.num & KERNEL_FLAGS != KERNEL_FLAGS:  # strided or read-only: a copy
        x = x.copy()
    if y.flags.num & KERNEL_FLAGS != KERNEL_FLAGS:
        y = y.copy()
    n_x = x.size
    n_y = y.size
    n = n_x + n_y
    if n_x == 0 or n_y == 0 or n >= PARALLEL_MIN_SAMPLES:  # the parallel kernels take over
        return None
    kernels = _compiled
    if type(bins) is str:
        if bins == "auto":
            rule = kernels.RULE_AUTO_LIMITED if NUMPY_AUTO_LIMITS_FD else kernels.RULE_AUTO_MIN
            n_bins, label = 0, "auto"
        elif bins == "wkv" and divergence == "kl":
            rule, n_bins, label = kernels.RULE_WKV, math.ceil(math.sqrt(n_y)), "wkv"
        else:
            return None
    elif type(bins) is int and 1 <= bins <= n:
        rule, n_bins, label = kernels.RULE_COUNT, bins, f"bins={bins}"
    else:
        return None
    sqrt_n, log2_n_plus_1, cbrt_inv_n, cap = _rule_constants(n)
    status, value, off_support, edges, counts = kernels.estimate_pair(
        x,
        y,
        rule,
        n_bins,
        sqrt_n,
        log2_n_plus_1,
        cbrt_inv_n,
        cap,
        kernels.DIVERGENCE_JS if divergence == "js" else kernels.DIVERGENCE_KL,
        0.0,
    )
    if status != kernels.OK:
        return None
    # the frozen dataclasses without their __init__, which sets every field through
    # object.__setattr__ (2-4 us); fields left out keep their class-level defaults, and
    # tests/test_fused.py checks every field against the general path's
    stop = edges.size  # the bins of the extended counts (_extended.bins): slots 1 .. nb
    histogram = _NEW(HistogramPair)
    histogram.__dict__.update(
        counts_x=counts[0, 1:stop],
        counts_y=counts[1, 1:stop],
        edges=edges,
        n_x=n_x,
        n_y=n_y,
        dropped_x=0,
        dropped_y=0,
        rule=label,
    )
    estimate = _NEW(SampleEstimate)
    estimate.__dict__.update(
        value=value,
        divergence=divergence,
        histogram=histogram,
        off_support_mass=None if divergence == "js" else off_support,
        plugin=value,
    )
    return estimate


_NDARRAY = np.ndarray
_NEW = object.__new__


_INFERENCE_PARAMETERS = """\
bias_correction : {False, "miller-madow"}, default False
        Subtract the first-order sampling bias estimated from the counts (Notes); ``value`` is
        then the corrected estimate clipped to the divergence's range, ``plugin`` and ``bias``
        give the parts.
    ci : float, optional
        Confidence level (e.g. 0.95) of a bootstrap interval for the binned divergence,
        returned as ``interval``. None (default): no interval.
    ci_method : {"bca", "percentile"}, default "bca"
        Bias-corrected and accelerated, or plain percentile, interval (Notes).
    n_boot : int, default 1000
        Bootstrap replicates (at least 100).
    seed : int, numpy.random.Generator or None
        Randomness of the bootstrap. None draws fresh entropy and reports it as ``seed`` on the
        result, so every interval can be reproduced."""


def documented(function: F) -> F:
    """Fill the ``{inference}`` placeholder of a docstring with the shared parameter entries."""
    assert function.__doc__ is not None
    function.__doc__ = function.__doc__.replace("{inference}", _INFERENCE_PARAMETERS)
    return function

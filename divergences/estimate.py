r"""Plug-in estimates of KL and Jensen-Shannon divergences from raw samples or their counts.

Both samples are binned on shared edges (:func:`divergences.histogram_pair`, or
:func:`divergences.histogram_pair_nd` for multivariate samples); each histogram is divided by its
own number of binned values, and the divergence of the two probability vectors is computed with
the conventions of :mod:`divergences.discrete`. Optionally the first-order sampling bias is
subtracted and a bootstrap confidence interval is attached; both are functions of the counts,
so ``js_from_histogram`` / ``kl_from_histogram`` give them without the samples.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from . import _compiled, _extended
from ._checks.inference import (
    check_bias_correction,
    check_ci,
    check_ci_method,
    check_histogram_counts,
    check_n_boot,
    check_rng,
    check_smoothing_alone,
    raise_not_a_histogram,
)
from ._checks.samples import check_binned, check_pseudocount, scalar_of_batch
from ._checks.scalars import check_base, check_seed
from ._layout import pair_layout
from .bootstrap import bias_values, bootstrap_intervals, corrected_values
from .histogram import (
    NUMPY_AUTO_LIMITS_FD,
    PARALLEL_MIN_SAMPLES,
    HistogramPair,
    histogram_pair,
    rule_cap,
)
from .histogram_nd import HistogramPairND, histogram_pair_nd

__all__ = [
    "SampleEstimate",
    "js_from_histogram",
    "js_from_samples",
    "js_from_samples_nd",
    "kl_from_histogram",
    "kl_from_samples",
    "kl_from_samples_nd",
]

LOG2 = math.log(2.0)
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@dataclass(frozen=True, repr=False)
class SampleEstimate:
    """A divergence estimated from two samples, with the histogram it came from.

    Attributes
    ----------
    value : float or ndarray
        The estimate in the units of ``base`` (nats by default): a float for two samples, an
        array of shape ``(n_pairs,)`` for a batch. With a bias correction, the corrected
        estimate clipped to the divergence's range.
    divergence : str
        ``"js"`` or ``"kl"``.
    histogram : HistogramPair or HistogramPairND
        Shared edges and counts the estimate was computed from.
    base : float or None
        Logarithm base of ``value``; None for nats.
    pseudocount : float
        Added to every bin of both histograms before a KL estimate (0 for none; always 0 for
        JS).
    off_support_mass : float, ndarray or None
        KL only: the fraction of x's binned values lying in bins where y has none. KL is
        ``+inf`` when it is positive and ``pseudocount`` is 0.
    plugin : float or ndarray
        The plug-in estimate before any bias correction (equal to ``value`` without one).
    bias_correction : str or None
        ``"miller-madow"`` or None.
    bias : float, ndarray or None
        The estimated first-order bias subtracted from ``plugin`` (None without a correction):
        ``value = clip(plugin - bias)``. ``plugin - bias`` is the unclipped corrected estimate,
        the one to average over replicates.
    interval : tuple of float, ndarray or None
        ``(lower, upper)`` bootstrap confidence interval for the *binned* divergence, in the
        units of ``value``; an array of shape ``(n_pairs, 2)`` for a batch; None if not asked.
    ci_level : float or None
        Confidence level of ``interval``, e.g. 0.95.
    ci_method : str or None
        ``"bca"`` or ``"percentile"``.
    n_boot : int or None
        Bootstrap replicates behind ``interval``.
    seed : int or None
        The seed that reproduces ``interval`` (the entropy drawn when ``seed=None`` was
        passed); None when a Generator was passed or no interval was asked for.

    Notes
    -----
    A single estimate stands for its value where that is unambiguous: ``float(estimate)``,
    ``f"{estimate:.3f}"``, and comparisons with numbers or other estimates (``estimate < 0.1``)
    use ``value``; for a batch they raise and ``value`` must be used. The object is frozen;
    later versions add fields without changing these.
    """

    value: Any
    divergence: str
    histogram: HistogramPair | HistogramPairND
    base: float | None = None
    pseudocount: float = 0.0
    off_support_mass: Any = None
    plugin: Any = None
    bias_correction: str | None = None
    bias: Any = None
    interval: Any = None
    ci_level: float | None = None
    ci_method: str | None = None
    n_boot: int | None = None
    seed: int | None = None

    @property
    def edges(self) -> Any:
        """The shared bin edges (``histogram.edges``; a tuple per dimension for HistogramPairND)."""
        return self.histogram.edges

    @property
    def n_x(self) -> int:
        """Size of the x sample (per row for a batch)."""
        return self.histogram.n_x

    @property
    def n_y(self) -> int:
        """Size of the y sample (per row for a batch)."""
        return self.histogram.n_y

    @property
    def units(self) -> str:
        """``"nats"``, ``"bits"``, or ``"base b"``."""
        if self.base is None:
            return "nats"
        return "bits" if self.base == 2 else f"base {self.base:g}"

    def __float__(self) -> float:
        if np.ndim(self.value):
            scalar_of_batch(len(self.value))
        return float(self.value)

    # A single estimate behaves like its value where that is unambiguous: formatting and
    # comparisons with numbers (or other estimates). A batch raises the message of float().

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(self)
        return format(float(self), spec)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, numbers.Real | SampleEstimate):
            return float(self) == float(other)
        return NotImplemented

    def __lt__(self, other: object) -> bool:
        if isinstance(other, numbers.Real | SampleEstimate):
            return float(self) < float(other)
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if isinstance(other, numbers.Real | SampleEstimate):
            return float(self) <= float(other)
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if isinstance(other, numbers.Real | SampleEstimate):
            return float(self) > float(other)
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if isinstance(other, numbers.Real | SampleEstimate):
            return float(self) >= float(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a float, so not hashable like one

    def __repr__(self) -> str:
        batch = np.ndim(self.value) > 0
        shown = f"array of {len(self.value)}" if batch else f"{float(self.value):.6g}"
        extra = ""
        if self.divergence == "kl":
            mass = self.off_support_mass
            mass_text = f"{float(mass):.3g}" if np.ndim(mass) == 0 else "array"
            extra = f", pseudocount={self.pseudocount:g}, off_support_mass={mass_text}"
        if self.bias_correction is not None:
            bias = "array" if batch else f"{float(self.bias):.3g}"
            extra += f", {self.bias_correction} (bias {bias})"
        if self.interval is not None:
            ends = "array" if batch else "[{:.6g}, {:.6g}]".format(*self.interval)
            extra += f", {self.ci_level:g} {self.ci_method} interval {ends}"
        h = self.histogram
        return (
            f"SampleEstimate({self.divergence}={shown} {self.units}, {h.n_bins} bins "
            f"({h.rule}), n_x={h.n_x}, n_y={h.n_y}{extra})"
        )


@dataclass(frozen=True)
class _Options:
    """Validated options shared by the estimators."""

    log_base: float
    base: float | None
    bias_correction: str | None
    ci: float | None
    ci_method: str
    n_boot: int
    rng: np.random.Generator | None
    seed: int | None


def _options(
    base: Any, bias_correction: Any, ci: Any, ci_method: Any, n_boot: Any, seed: Any
) -> _Options:
    log_base = check_base(base)
    correction = check_bias_correction(bias_correction)
    level = check_ci(ci)
    method = check_ci_method(ci_method)
    boots = check_n_boot(n_boot)
    if level is None:
        check_seed(seed, generator_ok=True)  # checked even when unused: a bad seed is a bug
        return _Options(log_base, base, correction, level, method, boots, None, None)
    generator, used_seed = check_rng(seed)
    return _Options(log_base, base, correction, level, method, boots, generator, used_seed)


def _counts(h: Any) -> tuple[np.ndarray, np.ndarray]:
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


def _shaped(values: np.ndarray, h: Any) -> Any:
    return values if h.batch else float(values[0])


def _estimate(
    h: HistogramPair | HistogramPairND,
    divergence: str,
    options: _Options,
    pseudocount: float = 0.0,
) -> SampleEstimate:
    """The estimate, its bias correction and interval from a histogram pair (nats inside)."""
    counts_x, counts_y = _counts(h)
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
        value=_shaped(value / scale, h),
        divergence=divergence,
        histogram=h,
        base=options.base,
        pseudocount=pseudocount,
        off_support_mass=None if off_support is None else _shaped(off_support, h),
        plugin=_shaped(plugin / scale, h),
        bias_correction=options.bias_correction,
        bias=None if bias is None else _shaped(bias / scale, h),
        interval=interval,
        ci_level=options.ci,
        ci_method=None if options.ci is None else options.ci_method,
        n_boot=None if options.ci is None else options.n_boot,
        seed=options.seed,
    )


# ---------------------------------------------------------------------------------------------
# The fused path: the common call (two 1-D float64 samples, "auto" or an integer number of bins,
# every other argument at its default) in one kernel call. It gives the general path's result
# bit for bit, or declines (returns None) and the general path runs, raising its errors.
# ---------------------------------------------------------------------------------------------

_FLOAT64 = np.dtype(np.float64)


@functools.lru_cache(maxsize=1024)
def _rule_constants(n: int) -> tuple[float, float, float, int]:
    """``sqrt(n)``, ``log2(n) + 1`` and ``n^(-1/3)`` as numpy's bin rules compute them; the cap."""
    return float(np.sqrt(n)), float(np.log2(n) + 1.0), n ** (-1.0 / 3.0), rule_cap(n)


def _assembled(cls: type[T], **fields: Any) -> T:
    """An instance of the frozen dataclass ``cls`` from ``fields``, without running ``__init__``.

    The frozen ``__init__`` sets every field through ``object.__setattr__`` (2-4 us for these
    classes, a third of a minibatch estimate). Fields left out keep their class-level
    defaults; tests/test_fused.py checks that every field equals the general path's.
    """
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


def _defaults(
    range_: Any,
    base: Any,
    nonfinite: Any,
    bias_correction: Any,
    ci: Any,
    ci_method: Any,
    n_boot: Any,
    seed: Any,
) -> bool:
    """Whether every option the fused path does not handle is at its default."""
    return (
        range_ is None
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
    )


def _fused_estimate(x: Any, y: Any, bins: Any, divergence: str, pseudocount: float) -> Any:
    """The estimate from one fused kernel call, or None where the general path must run."""
    if not (type(x) is np.ndarray and type(y) is np.ndarray):
        return None
    if x.dtype != _FLOAT64 or y.dtype != _FLOAT64:
        return None
    if x.ndim != 1:
        if x.ndim != 2 or 1 not in x.shape:
            return None
        x = x.reshape(-1)  # a column (n, 1) or a row (1, n): one sample
    if y.ndim != 1:
        if y.ndim != 2 or 1 not in y.shape:
            return None
        y = y.reshape(-1)
    n = x.size + y.size
    if (
        x.size == 0 or y.size == 0 or n >= PARALLEL_MIN_SAMPLES
    ):  # the general path's parallel kernels take over
        return None
    kernels = _compiled
    if type(bins) is str:
        if bins == "wkv" and divergence == "kl":
            rule, n_bins = kernels.RULE_WKV, math.ceil(math.sqrt(y.size))
        elif bins == "auto":
            rule = kernels.RULE_AUTO_LIMITED if NUMPY_AUTO_LIMITS_FD else kernels.RULE_AUTO_MIN
            n_bins = 0
        else:
            return None
    elif type(bins) is int and 1 <= bins <= n:
        rule, n_bins = kernels.RULE_COUNT, bins
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
        pseudocount,
    )
    if status != kernels.OK:
        return None
    histogram = _assembled(
        HistogramPair,
        counts_x=_extended.bins(counts[0]),
        counts_y=_extended.bins(counts[1]),
        edges=edges,
        n_x=x.size,
        n_y=y.size,
        dropped_x=0,
        dropped_y=0,
        rule={kernels.RULE_COUNT: f"bins={n_bins}", kernels.RULE_WKV: "wkv"}.get(rule, "auto"),
    )
    return _assembled(
        SampleEstimate,
        value=value,
        divergence=divergence,
        histogram=histogram,
        off_support_mass=None if divergence == "js" else off_support,
        plugin=value,
    )


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


def _documented(function: F) -> F:
    """Fill the ``{inference}`` placeholder of a docstring with the shared parameter entries."""
    assert function.__doc__ is not None
    function.__doc__ = function.__doc__.replace("{inference}", _INFERENCE_PARAMETERS)
    return function


@_documented
def js_from_samples(
    x: Any,
    y: Any,
    *,
    bins: Any = "auto",
    range: Any = None,
    base: float | None = None,
    nonfinite: str = "raise",
    axis: Any = None,
    bias_correction: Any = False,
    ci: float | None = None,
    ci_method: str = "bca",
    n_boot: int = 1000,
    seed: Any = None,
) -> SampleEstimate:
    r"""Plug-in Jensen-Shannon divergence of the distributions behind two samples.

    .. math:: \widehat{JSD} = \sum_i \tfrac12 \hat p_i \log\frac{2\hat p_i}{\hat p_i + \hat q_i}
              + \tfrac12 \hat q_i \log\frac{2\hat q_i}{\hat p_i + \hat q_i},
              \qquad \hat p_i = \frac{c^x_i}{n_x},\ \hat q_i = \frac{c^y_i}{n_y}

    with ``c^x, c^y`` the counts of x and y on ``K`` shared bins and ``n_x``, ``n_y`` the
    numbers of binned values.

    Parameters
    ----------
    x, y : array_like
        Two samples (sizes may differ): 1-D, or a column ``(n, 1)`` / row ``(1, n)``. With
        ``axis``, two 2-D batches estimated in one kernel call, pair by pair. (For
        multivariate samples of shape ``(n, d)`` use :func:`js_from_samples_nd`.)
    bins, range, nonfinite, axis
        As :func:`divergences.histogram_pair`: an int, edges or a rule name; the outer edges;
        the NaN/inf policy; None for one pair of samples, or the axis the samples lie along in
        a batch.
    base : float, optional
        Logarithm base of the result; None (default) gives nats.
    {inference}

    Returns
    -------
    SampleEstimate
        ``.value`` in ``[0, log 2]`` nats (a float, or an array for a batch), never NaN; the
        histogram, edges and sample sizes it came from; ``plugin``, ``bias`` and ``interval``
        when asked for.

    Notes
    -----
    *Unequal sizes.* Each histogram is divided by its own number of binned values before the
    two are mixed, so the mixture is ``M = (P + Q)/2`` whatever ``n_x`` and ``n_y`` are
    (pooling the raw counts would weight the larger sample more).

    *What is estimated.* The divergence of the *binned* distributions ``p_i = P(bin i)``,
    ``q_i = Q(bin i)``. It differs from the divergence of the continuous laws by a binning bias
    that shrinks as the bins narrow; nothing here estimates or corrects it.

    *Sampling bias* (``bias_correction="miller-madow"``). The plug-in is biased upwards. A
    second-order expansion of each bin's term around ``(p_i, q_i)``, with the multinomial
    variances ``p_i (1 - p_i)/n_x`` and ``q_i (1 - q_i)/n_y`` and independent samples, gives

    .. math:: E[\widehat{JSD}] - JSD \approx \sum_i
              \frac{q_i (1 - p_i)/n_x + p_i (1 - q_i)/n_y}{4 (p_i + q_i)}

    (the second derivatives of the bin term are ``q/(2p(p+q))``, ``p/(2q(p+q))`` and
    ``-1/(2(p+q))``). For ``P = Q`` on ``K`` bins of positive probability this is
    ``(K - 1)(1/n_x + 1/n_y)/8``, i.e. ``(K - 1)/(4 n)`` for ``n_x = n_y = n``. The same term
    follows from ``JSD = H(M) - H(P)/2 - H(Q)/2`` and the entropies' first-order biases (Miller
    1955; Paninski 2003, §3). The correction subtracts it with the estimated probabilities
    ``\hat p_i, \hat q_i`` plugged in and, as Miller-Madow counts occupied bins only, drops a
    sample's part in bins where that sample has no value (so a bin holding one sample only
    contributes nothing). The corrected value ``plugin - bias`` can be negative when the
    divergence is near 0; ``value`` is clipped to ``[0, log 2]``, which biases it upwards
    there (average ``plugin - bias`` across replicates instead).

    What the correction does not fix: the binning bias above; and bins with small expected
    counts (``n p_i`` of order 1 or less), where the expansion fails and the correction falls
    short (Paninski 2003, §4): with bins much finer than the sample, most occupied bins hold
    one value of one sample, contribute no correction, and the plug-in stays near ``log 2``
    for two samples of one law.

    *Confidence interval* (``ci=``). Resampling a sample with replacement and binning it on
    the same edges gives ``Multinomial(n, c/n)`` counts, so the bootstrap draws counts (exact
    for a statistic of the counts, and ``O(K)`` per replicate); both samples are resampled,
    independently. The edges are held fixed: the interval is conditional on them and does not
    include the randomness of a data-driven bin rule. The interval is built on the
    bias-corrected estimate, whether or not ``bias_correction`` is asked for: in the bootstrap
    world the binned truth is the observed plug-in, so the corrected replicates scatter around
    the plug-in; shifted by the observed correction they scatter around the corrected
    estimate, and their quantiles (``"percentile"``) or BCa-adjusted quantiles (``"bca"``,
    Efron 1987, with the jackknife acceleration computed from the counts: leaving out one
    value of bin ``i`` changes only ``c_i``) give the interval, clipped to ``[0, log 2]``.
    (The plain percentile interval of the plug-in replicates sits about twice the bias too
    high; see ``benches/coverage.py`` for measured coverages.)

    The interval covers the *binned* divergence, not the continuous one: the binning bias is
    not in it. When ``P = Q`` (binned divergence 0, the edge of the parameter space) the
    bootstrap is not consistent (Andrews 2000) and the interval is conservative (its lower
    end is 0 far more often than 2.5% of the time); to test ``P = Q`` use
    :func:`divergences.js_test`.

    References: G. A. Miller (1955), Note on the bias of information estimates, in
    *Information Theory in Psychology* (H. Quastler, ed.), 95-100. L. Paninski (2003),
    Estimation of entropy and mutual information, *Neural Computation* 15(6), 1191-1253,
    doi:10.1162/089976603321780272. B. Efron (1987), Better bootstrap confidence intervals,
    *JASA* 82(397), 171-185, doi:10.1080/01621459.1987.10478410. B. Efron & R. Tibshirani
    (1993), *An Introduction to the Bootstrap*, ch. 14. D. W. K. Andrews (2000), Inconsistency
    of the bootstrap when a parameter is on the boundary of the parameter space,
    *Econometrica* 68(2), 399-405, doi:10.1111/1468-0262.00114.

    Examples
    --------
    >>> import math, numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(0, 1, 100_000), rng.normal(0.5, 1.2, 80_000)
    >>> est = dv.js_from_samples(x, y, bins=64)
    >>> round(est.value, 3), round(float(dv.reference.js_normal(0, 1, 0.5, 1.2)), 3)
    (0.033, 0.032)
    >>> dv.js_from_samples([0, 0, 1], [5, 6], bins=2).value == math.log(2)
    True

    Bias correction and a 95% interval, for two samples of one law:

    >>> x, y = rng.normal(size=2000), rng.normal(size=2000)
    >>> est = dv.js_from_samples(x, y, bins=20, bias_correction="miller-madow", ci=0.95, seed=1)
    >>> round(est.plugin, 4), round(est.bias, 4), round(est.plugin - est.bias, 4)
    (0.0029, 0.0024, 0.0005)
    >>> [round(end, 4) for end in est.interval], est.ci_method
    ([0.0, 0.0035], 'bca')
    """
    if axis is None and _defaults(
        range, base, nonfinite, bias_correction, ci, ci_method, n_boot, seed
    ):
        fused = _fused_estimate(x, y, bins, "js", 0.0)
        if fused is not None:
            return fused  # type: ignore[no-any-return]
    options = _options(base, bias_correction, ci, ci_method, n_boot, seed)
    h = histogram_pair(x, y, bins=bins, range=range, nonfinite=nonfinite, axis=axis)
    return _estimate(h, "js", options)


@_documented
def js_from_histogram(
    histogram: HistogramPair | HistogramPairND,
    *,
    base: float | None = None,
    bias_correction: Any = False,
    ci: float | None = None,
    ci_method: str = "bca",
    n_boot: int = 1000,
    seed: Any = None,
) -> SampleEstimate:
    r"""Plug-in Jensen-Shannon divergence from the counts of a histogram pair.

    :func:`js_from_samples` without the samples: everything it computes (value, bias
    correction, bootstrap interval) is a function of the counts, so a histogram built
    elsewhere (by :func:`divergences.histogram_pair`, :func:`divergences.histogram_pair_nd`,
    or counts accumulated chunk by chunk) gives the same result.

    Parameters
    ----------
    histogram : HistogramPair or HistogramPairND
        Counts of x and y on shared bins (integers >= 0).
    base : float, optional
        Logarithm base of the result; None (default) gives nats.
    {inference}

    Returns
    -------
    SampleEstimate
        As :func:`js_from_samples`.

    Notes
    -----
    Formulas, conventions and references: :func:`js_from_samples`.

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(0, 1, 5000), rng.normal(0.5, 1.2, 5000)
    >>> h = dv.histogram_pair(x, y, bins=30)
    >>> dv.js_from_histogram(h).value == dv.js_from_samples(x, y, bins=30).value
    True
    """
    options = _options(base, bias_correction, ci, ci_method, n_boot, seed)
    return _estimate(histogram, "js", options)


@_documented
def kl_from_samples(
    x: Any,
    y: Any,
    *,
    bins: Any = "wkv",
    range: Any = None,
    pseudocount: float = 0.0,
    base: float | None = None,
    nonfinite: str = "raise",
    axis: Any = None,
    bias_correction: Any = False,
    ci: float | None = None,
    ci_method: str = "bca",
    n_boot: int = 1000,
    seed: Any = None,
) -> SampleEstimate:
    r"""Plug-in Kullback-Leibler divergence KL(P‖Q) of the distributions behind two samples.

    .. math:: \widehat{KL} = \sum_i \hat p_i \log\frac{\hat p_i}{\hat q_i},\qquad
              \hat p_i = \frac{c^x_i + a}{n_x + a k},\ \hat q_i = \frac{c^y_i + a}{n_y + a k}

    with ``c^x, c^y`` the counts of x and y on ``k`` shared bins, ``n_x``, ``n_y`` the numbers
    of binned values and ``a`` the pseudocount.

    Parameters
    ----------
    x, y : array_like
        Samples from P and from Q: 1-D, a column ``(n, 1)`` or a row ``(1, n)``; with
        ``axis``, two 2-D batches.
    bins : int, str or array_like, default "wkv"
        As :func:`divergences.histogram_pair`, or ``"wkv"`` (the default): the data-dependent
        partition of Wang, Kulkarni & Verdú (2005), ``ceil(sqrt(n_y))`` bins of equal y-count
        (edges at the quantiles of y) with the outer edges widened to cover x. Every bin then
        holds y values, so the estimate is finite, and it is consistent for continuous P and Q
        (Notes). Where y has tied quantiles (discrete data), for batches and for dask arrays,
        ``"wkv"`` takes the ``"auto"`` rule instead and the result's ``histogram.rule`` says so.
    range, nonfinite, axis
        As :func:`divergences.histogram_pair`; with ``range``, ``"wkv"`` takes ``"auto"``.
    pseudocount : float, default 0
        Added to every bin of *both* histograms (additive smoothing; 0.5 is Jeffreys', 1
        Laplace's). 0 keeps the plug-in estimate, which is ``+inf`` as soon as one bin holds
        x values and no y value. Not combinable with ``bias_correction`` or ``ci``, which
        concern the plug-in.
    base : float, optional
        Logarithm base of the result; None (default) gives nats.
    {inference}

    Returns
    -------
    SampleEstimate
        ``.value`` in ``[0, inf]``; ``.off_support_mass`` the fraction of x's binned values in
        bins where y has none (computed from the raw counts, before any pseudocount).

    Notes
    -----
    No epsilon is added behind your back: an infinite estimate says that the samples do not
    support a finite KL at this resolution, and ``off_support_mass`` says how much mass is
    involved. Fewer bins, or a pseudocount, give a finite (and biased) estimate.

    *The default bins.* Equal-width bins (``"auto"``, the default of :func:`js_from_samples`)
    put the tails of the heavier-tailed sample in bins the other sample never reaches: for
    x ~ N(0, 1.5²) against y ~ N(0, 1) the plug-in is ``+inf`` at every sample size although
    KL is 0.22. The Wang-Kulkarni-Verdú partition (equal y-count bins) gives every bin y mass;
    with ``sqrt(n_y)`` bins of ``sqrt(n_y)`` values each, both growing, the estimate is
    consistent (Wang, Kulkarni & Verdú 2005, Thm 1). Its bias is downward and shrinks slowly
    in the tails: on that pair, mean of 10 seeds, 0.172 at n = 1,000 per side, 0.188 at
    20,000, 0.199 at 200,000 (``n^(1/3)`` bins gave 0.115, 0.148, 0.167). ``+inf`` stays reachable
    where supports can be seen to differ: discrete data (tied quantiles fall back to
    ``"auto"``), explicit edges, an integer number of bins. JSD is always finite, so
    :func:`js_from_samples` keeps numpy's ``"auto"``.

    Q. Wang, S. R. Kulkarni & S. Verdú (2005), Divergence estimation of continuous
    distributions based on data-dependent partitions, *IEEE Trans. Inf. Theory* 51(9),
    3064-3074, doi:10.1109/TIT.2005.853314.

    *Sampling bias* (``bias_correction="miller-madow"``). The second-order expansion of
    ``p log(p/q)`` (second derivatives ``1/p``, ``p/q^2``, ``-1/q``) with independent
    multinomial samples gives

    .. math:: E[\widehat{KL}] - KL \approx \frac{K_P - 1}{2 n_x}
              + \frac{\sum_i p_i/q_i - 1}{2 n_y}

    with ``K_P`` the number of bins where ``p_i > 0``: ``(K - 1)/(2n)`` against a known Q
    (``n_y -> inf``; Miller 1955), ``(K - 1)(1/n_x + 1/n_y)/2`` when ``P = Q``. The estimate
    plugs in ``\hat p, \hat q`` and counts the bins occupied by x. An infinite plug-in stays
    infinite. ``value`` is clipped at 0. Limits and references: :func:`js_from_samples`.

    *Confidence interval* (``ci=``). As :func:`js_from_samples`. When the plug-in KL is
    infinite the data bound nothing and the interval is ``(0, inf)``. A replicate whose y
    counts miss a bin its x counts occupy is infinite, so a bin holding one or two y values
    and some x values makes the upper end infinite: with equal-width bins over Gaussian tails
    that happens in most intervals, with equal-mass bins (``bins="quantile"``) almost never
    (``benches/coverage.py``).

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(0, 1, 200_000), rng.normal(0.5, 1.2, 200_000)
    >>> est = dv.kl_from_samples(x, y, bins=40, range=(-5, 5))
    >>> round(est.value, 3), round(float(dv.reference.kl_normal(0, 1, 0.5, 1.2)), 3)
    (0.116, 0.116)
    >>> est = dv.kl_from_samples([0, 1, 2, 3], [0, 1], bins=2)
    >>> est.value, est.off_support_mass
    (inf, 0.5)
    >>> round(dv.kl_from_samples([0, 1, 2, 3], [0, 1], bins=2, pseudocount=1).value, 4)
    0.1438

    The default bins on a heavier-tailed P:

    >>> x, y = rng.normal(0, 1.5, 20_000), rng.normal(0, 1, 20_000)
    >>> est = dv.kl_from_samples(x, y)
    >>> est.histogram.rule, round(est.value, 2)
    ('wkv', 0.17)
    >>> round(float(dv.reference.kl_normal(0, 1.5, 0, 1)), 2)
    0.22
    >>> dv.kl_from_samples(x, y, bins="auto").value
    inf
    """
    if type(pseudocount) is float and pseudocount == 0.0:  # noqa: SIM102
        if axis is None and _defaults(
            range, base, nonfinite, bias_correction, ci, ci_method, n_boot, seed
        ):
            fused = _fused_estimate(x, y, bins, "kl", 0.0)
            if fused is not None:
                return fused  # type: ignore[no-any-return]
    label = None
    if type(bins) is str and bins == "wkv":
        bins, label = _wkv_bins(x, y, range, nonfinite, axis)
    alpha = check_pseudocount(pseudocount)
    options = _options(base, bias_correction, ci, ci_method, n_boot, seed)
    check_smoothing_alone(alpha, options.bias_correction, options.ci)
    h = histogram_pair(x, y, bins=bins, range=range, nonfinite=nonfinite, axis=axis)
    if label is not None:
        h = dataclasses.replace(h, rule=label)
    return _estimate(h, "kl", options, alpha)


def _wkv_bins(x: Any, y: Any, range_: Any, nonfinite: Any, axis: Any) -> tuple[Any, str | None]:
    """Edges of the Wang-Kulkarni-Verdú partition and its label, or ``"auto"`` and a label.

    ``("auto", None)`` where the general path must report an error first (non-finite values
    under "raise", bad input): the error is the same whatever the bins.
    """
    fallback = "wkv -> auto"
    if axis is not None:
        return "auto", f"{fallback} (a batch shares one number of bins)"
    if range_ is not None:
        return "auto", f"{fallback} (range given)"
    xs, ys = pair_layout(x, y, None)
    if not (isinstance(xs, np.ndarray | list) and isinstance(ys, np.ndarray | list)):
        return "auto", f"{fallback} (dask or other input)"
    try:
        xa, ya = np.asarray(xs), np.asarray(ys)
    except (TypeError, ValueError):
        return "auto", None
    if xa.dtype.kind not in "fiu" or ya.dtype.kind not in "fiu":
        return "auto", None  # the general path names the argument and the dtype
    if xa.dtype.itemsize > 8 or ya.dtype.itemsize > 8:
        return "auto", None  # extended precision: refused there too
    xa, ya = xa.astype(np.float64), ya.astype(np.float64)
    if xa.ndim != 1 or ya.ndim != 1 or xa.size == 0 or ya.size == 0:
        return "auto", None
    finite_x, finite_y = np.isfinite(xa), np.isfinite(ya)
    if not (finite_x.all() and finite_y.all()):
        if not (type(nonfinite) is str and nonfinite == "omit"):
            return "auto", None
        xa, ya = xa[finite_x], ya[finite_y]
        if xa.size == 0 or ya.size == 0:
            return "auto", None
    k = math.ceil(math.sqrt(ya.size))
    edges = np.quantile(ya, np.linspace(0.0, 1.0, k + 1))
    if k > 1 and not (edges[1:] > edges[:-1]).all():
        return "auto", f"{fallback} (tied quantiles of y: discrete data)"
    edges[0] = min(edges[0], xa.min())
    edges[-1] = max(edges[-1], xa.max())
    with np.errstate(over="ignore"):
        if not np.isfinite(edges[-1] - edges[0]):
            return "auto", None  # the general path says the range is too wide
    if not edges[-1] > edges[0]:
        return "auto", f"{fallback} (all values equal)"
    return edges, "wkv"


@_documented
def kl_from_histogram(
    histogram: HistogramPair | HistogramPairND,
    *,
    pseudocount: float = 0.0,
    base: float | None = None,
    bias_correction: Any = False,
    ci: float | None = None,
    ci_method: str = "bca",
    n_boot: int = 1000,
    seed: Any = None,
) -> SampleEstimate:
    r"""Plug-in KL(P‖Q) from the counts of a histogram pair (x from P, y from Q).

    :func:`kl_from_samples` without the samples (see :func:`js_from_histogram`).

    Parameters
    ----------
    histogram : HistogramPair or HistogramPairND
        Counts of x and y on shared bins (integers >= 0).
    pseudocount : float, default 0
        As :func:`kl_from_samples`.
    base : float, optional
        Logarithm base of the result; None (default) gives nats.
    {inference}

    Returns
    -------
    SampleEstimate
        As :func:`kl_from_samples`.

    Notes
    -----
    Formulas, conventions and references: :func:`kl_from_samples`.

    Examples
    --------
    >>> import divergences as dv
    >>> h = dv.histogram_pair([0, 1, 2, 3], [0, 1], bins=2)
    >>> dv.kl_from_histogram(h).value, dv.kl_from_histogram(h, pseudocount=1).value > 0
    (inf, True)
    """
    alpha = check_pseudocount(pseudocount)
    options = _options(base, bias_correction, ci, ci_method, n_boot, seed)
    check_smoothing_alone(alpha, options.bias_correction, options.ci)
    return _estimate(histogram, "kl", options, alpha)


@_documented
def js_from_samples_nd(
    x: Any,
    y: Any,
    *,
    bins: Any = 10,
    range: Any = None,
    base: float | None = None,
    nonfinite: str = "raise",
    bias_correction: Any = False,
    ci: float | None = None,
    ci_method: str = "bca",
    n_boot: int = 1000,
    seed: Any = None,
) -> SampleEstimate:
    r"""Plug-in Jensen-Shannon divergence of two multivariate samples, binned on a shared grid.

    The estimate of :func:`js_from_samples` on the cells of
    :func:`divergences.histogram_pair_nd`.

    Parameters
    ----------
    x, y : array_like, shape ``(n_x, d)`` and ``(n_y, d)``
        Two samples of points of the same ``d``-dimensional space, one point per row.
    bins, range, nonfinite
        As :func:`divergences.histogram_pair_nd`: bins per dimension (an int, or one int or
        edge array per dimension), outer edges per dimension, the NaN/inf policy.
    base : float, optional
        Logarithm base of the result; None (default) gives nats.
    {inference}

    Returns
    -------
    SampleEstimate
        As :func:`js_from_samples`; ``histogram`` is a :class:`divergences.HistogramPairND`.

    Notes
    -----
    The number of cells is the product of the bins per dimension: keep it well below the
    sample sizes, or the plug-in climbs towards ``log 2`` whatever the distributions are.
    Supports that fall in disjoint cells give exactly ``log 2`` however close they are, and
    supports closer than a bin width may share cells and look alike (the resolution limit).
    Formulas and the bias correction and interval: :func:`js_from_samples`.

    Examples
    --------
    The parallel lines of WGAN Example 1 (Arjovsky et al. 2017, arXiv:1701.07875):
    ``P_0 = (0, Z)`` and ``P_theta = (theta, Z)``, ``Z ~ U[0, 1]``. Once ``theta`` moves the
    second line into other cells, the estimate is ``log 2`` exactly, whatever ``theta``:

    >>> import math, numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> def lines(theta, n=1000):
    ...     x = np.column_stack([np.zeros(n), rng.uniform(size=n)])
    ...     y = np.column_stack([np.full(n, theta), rng.uniform(size=n)])
    ...     return x, y
    >>> grid = dict(bins=(20, 10), range=[(-1, 1), (0, 1)])  # cells 0.1 wide in the first axis
    >>> [dv.js_from_samples_nd(*lines(t), **grid).value == math.log(2) for t in (0.15, 0.5, 0.9)]
    [True, True, True]
    >>> round(dv.js_from_samples_nd(*lines(0.05), **grid).value, 3)  # within one bin: unseen
    0.003
    """
    options = _options(base, bias_correction, ci, ci_method, n_boot, seed)
    h = histogram_pair_nd(x, y, bins=bins, range=range, nonfinite=nonfinite)
    return _estimate(h, "js", options)


@_documented
def kl_from_samples_nd(
    x: Any,
    y: Any,
    *,
    bins: Any = 10,
    range: Any = None,
    pseudocount: float = 0.0,
    base: float | None = None,
    nonfinite: str = "raise",
    bias_correction: Any = False,
    ci: float | None = None,
    ci_method: str = "bca",
    n_boot: int = 1000,
    seed: Any = None,
) -> SampleEstimate:
    r"""Plug-in KL(P‖Q) of two multivariate samples (x from P, y from Q) on a shared grid.

    The estimate of :func:`kl_from_samples` on the cells of
    :func:`divergences.histogram_pair_nd`.

    Parameters
    ----------
    x, y : array_like, shape ``(n_x, d)`` and ``(n_y, d)``
        Samples from P and from Q, one point per row.
    bins, range, nonfinite
        As :func:`divergences.histogram_pair_nd`.
    pseudocount : float, default 0
        As :func:`kl_from_samples`.
    base : float, optional
        Logarithm base of the result; None (default) gives nats.
    {inference}

    Returns
    -------
    SampleEstimate
        As :func:`kl_from_samples`; ``histogram`` is a :class:`divergences.HistogramPairND`.

    Notes
    -----
    ``+inf`` as soon as a cell holds points of x and none of y, which in several dimensions
    happens easily; :func:`divergences.kl_knn` needs no cells. See
    :func:`js_from_samples_nd` for the resolution limit.

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> x = np.column_stack([np.zeros(100), np.linspace(0, 1, 100)])
    >>> dv.kl_from_samples_nd(x, x + [0.5, 0.0], bins=(4, 4)).value
    inf
    """
    alpha = check_pseudocount(pseudocount)
    options = _options(base, bias_correction, ci, ci_method, n_boot, seed)
    check_smoothing_alone(alpha, options.bias_correction, options.ci)
    h = histogram_pair_nd(x, y, bins=bins, range=range, nonfinite=nonfinite)
    return _estimate(h, "kl", options, alpha)

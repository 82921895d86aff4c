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
import math
from typing import Any

import numpy as np

from . import _compiled
from ._checks.inference import check_smoothing_alone
from ._checks.samples import check_pseudocount
from ._estimation import (
    check_options,
    documented,
    estimate_from_histogram,
    fused_estimate,
)
from ._layout import pair_layout
from .histogram import (
    HistogramPair,
    histogram_pair,
)
from .histogram_nd import HistogramPairND
from .results import SampleEstimate

__all__ = [
    "js_from_histogram",
    "js_from_samples",
    "kl_from_histogram",
    "kl_from_samples",
]


@documented
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
              + \tfrac12 \hat q_i \log\frac{2\hat q_i}{\hat p_i + \hat q_i}

    with :math:`\hat p_i = c^x_i / n_x` and :math:`\hat q_i = c^y_i / n_y`, where
    :math:`c^x, c^y` are the counts of x and y on :math:`K` shared bins and :math:`n_x, n_y` the
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
        ``.value`` in :math:`[0, \log 2]` nats (a float, or an array for a batch), never NaN; the
        histogram, edges and sample sizes it came from; ``plugin``, ``bias`` and ``interval``
        when asked for.

    Notes
    -----
    *Unequal sizes.* Each histogram is divided by its own number of binned values before the
    two are mixed, so the mixture is :math:`M = (P + Q)/2` whatever :math:`n_x` and :math:`n_y` are
    (pooling the raw counts would weight the larger sample more).

    *What is estimated.* The divergence of the *binned* distributions
    :math:`p_i = P(\text{bin } i)`, :math:`q_i = Q(\text{bin } i)`. It differs from the divergence
    of the continuous laws by a binning bias that shrinks as the bins narrow; nothing here estimates
    or corrects it.

    *Sampling bias* (``bias_correction="miller-madow"``). The plug-in is biased upwards. A
    second-order expansion of each bin's term around :math:`(p_i, q_i)`, with the multinomial
    variances :math:`p_i (1 - p_i)/n_x` and :math:`q_i (1 - q_i)/n_y` and independent samples, gives

    .. math:: E[\widehat{JSD}] - JSD \approx \sum_i
              \frac{q_i (1 - p_i)/n_x + p_i (1 - q_i)/n_y}{4 (p_i + q_i)}

    (the second derivatives of the bin term are :math:`q/(2p(p+q))`, :math:`p/(2q(p+q))` and
    :math:`-1/(2(p+q))`). For :math:`P = Q` on :math:`K` bins of positive probability this is
    :math:`(K - 1)(1/n_x + 1/n_y)/8`, i.e. :math:`(K - 1)/(4n)` for :math:`n_x = n_y = n`. The same
    term follows from :math:`JSD = H(M) - H(P)/2 - H(Q)/2` and the entropies' first-order biases
    (Miller 1955; Paninski 2003, §3). The correction subtracts it with the estimated probabilities
    :math:`\hat p_i, \hat q_i` plugged in and, as Miller-Madow counts occupied bins only, drops a
    sample's part in bins where that sample has no value (so a bin holding one sample only
    contributes nothing). The corrected value :math:`\text{plugin} - \text{bias}` can be negative
    when the divergence is near 0; ``value`` is clipped to :math:`[0, \log 2]`, which biases it
    upwards there (average :math:`\text{plugin} - \text{bias}` across replicates instead).

    What the correction does not fix: the binning bias above; and bins with small expected
    counts (:math:`n p_i` of order 1 or less), where the expansion fails and the correction falls
    short (Paninski 2003, §4): with bins much finer than the sample, most occupied bins hold
    one value of one sample, contribute no correction, and the plug-in stays near :math:`\log 2`
    for two samples of one law.

    *Confidence interval* (``ci=``). Resampling a sample with replacement and binning it on the same
    edges gives :math:`\text{Multinomial}(n, c/n)` counts, so the bootstrap draws counts (exact for
    a statistic of the counts, and ``O(K)`` per replicate); both samples are resampled,
    independently. The edges are held fixed: the interval is conditional on them and does not
    include the randomness of a data-driven bin rule. The interval is built on the bias-corrected
    estimate, whether or not ``bias_correction`` is asked for: in the bootstrap world the binned
    truth is the observed plug-in, so the corrected replicates scatter around the plug-in; shifted
    by the observed correction they scatter around the corrected estimate, and their quantiles
    (``"percentile"``) or BCa-adjusted quantiles (``"bca"``, Efron 1987, with the jackknife
    acceleration computed from the counts: leaving out one value of bin ``i`` changes only
    :math:`c_i`) give the interval, clipped to :math:`[0, \log 2]`. (The plain percentile interval
    of the plug-in replicates sits about twice the bias too high; see ``benches/coverage.py`` for
    measured coverages.)

    The interval covers the *binned* divergence, not the continuous one: the binning bias is
    not in it. When :math:`P = Q` (binned divergence 0, the edge of the parameter space) the
    bootstrap is not consistent (Andrews 2000) and the interval is conservative (its lower
    end is 0 far more often than 2.5% of the time); to test :math:`P = Q` use
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
    if axis is None:
        fused = fused_estimate(
            x, y, bins, "js", range, base, nonfinite, bias_correction, ci, ci_method, n_boot, seed
        )
        if fused is not None:
            return fused  # type: ignore[no-any-return]
    options = check_options(base, bias_correction, ci, ci_method, n_boot, seed)
    h = histogram_pair(x, y, bins=bins, range=range, nonfinite=nonfinite, axis=axis)
    return estimate_from_histogram(h, "js", options)


@documented
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
        Counts of x and y on shared bins (non-negative integers).
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
    options = check_options(base, bias_correction, ci, ci_method, n_boot, seed)
    return estimate_from_histogram(histogram, "js", options)


@documented
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

    with :math:`c^x, c^y` the counts of x and y on ``k`` shared bins, :math:`n_x`, :math:`n_y` the
    numbers of binned values and ``a`` the pseudocount.

    Parameters
    ----------
    x, y : array_like
        Samples from P and from Q: 1-D, a column ``(n, 1)`` or a row ``(1, n)``; with
        ``axis``, two 2-D batches.
    bins : int, str or array_like, default "wkv"
        As :func:`divergences.histogram_pair`, or ``"wkv"`` (the default): the data-dependent
        partition of Wang, Kulkarni & Verdú (2005), :math:`\lceil \sqrt{n_y} \rceil` bins of equal
        y-count (edges at the quantiles of y) with the outer edges widened to cover x. Every bin
        then holds y values, so the estimate is finite, and it is consistent for continuous P and Q
        (Notes). Where y has tied quantiles (discrete data), for batches and for dask arrays,
        ``"wkv"`` takes the ``"auto"`` rule instead and the result's ``histogram.rule`` says so.
        An input the estimators refuse gets the error it gets with ``bins="auto"``.
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

    *The default bins.* Equal-width bins (``"auto"``, the default of :func:`js_from_samples`) put
    the tails of the heavier-tailed sample in bins the other sample never reaches: for
    :math:`x \sim N(0, 1.5^2)` against :math:`y \sim N(0, 1)` the plug-in is ``+inf`` at every
    sample size although KL is 0.22. The Wang-Kulkarni-Verdú partition (equal y-count bins) gives
    every bin y mass; with :math:`\sqrt{n_y}` bins of :math:`\sqrt{n_y}` values each, both growing,
    the estimate is consistent (Wang, Kulkarni & Verdú 2005, Thm 1). Its bias is downward and
    shrinks slowly in the tails: on that pair, mean of 10 seeds, 0.172 at n = 1,000 per side, 0.188
    at 20,000, 0.199 at 200,000 (:math:`n^{1/3}` bins gave 0.115, 0.148, 0.167). ``+inf`` stays
    reachable where supports can be seen to differ: discrete data (tied quantiles fall back to
    ``"auto"``), explicit edges, an integer number of bins. JSD is always finite, so
    :func:`js_from_samples` keeps numpy's ``"auto"``.

    Q. Wang, S. R. Kulkarni & S. Verdú (2005), Divergence estimation of continuous
    distributions based on data-dependent partitions, *IEEE Trans. Inf. Theory* 51(9),
    3064-3074, doi:10.1109/TIT.2005.853314.

    *Sampling bias* (``bias_correction="miller-madow"``). The second-order expansion of
    :math:`p \log(p/q)` (second derivatives :math:`1/p`, :math:`p/q^2`, :math:`-1/q`) with
    independent multinomial samples gives

    .. math:: E[\widehat{KL}] - KL \approx \frac{K_P - 1}{2 n_x}
              + \frac{\sum_i p_i/q_i - 1}{2 n_y}

    with :math:`K_P` the number of bins where :math:`p_i > 0`: :math:`(K - 1)/(2n)` against a known
    Q (:math:`n_y \to \infty`; Miller 1955), :math:`(K - 1)(1/n_x + 1/n_y)/2` when :math:`P = Q`.
    The estimate plugs in :math:`\hat p, \hat q` and counts the bins occupied by x. An infinite
    plug-in stays infinite. ``value`` is clipped at 0. Limits and references:
    :func:`js_from_samples`.

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
        if axis is None:
            fused = fused_estimate(
                x,
                y,
                bins,
                "kl",
                range,
                base,
                nonfinite,
                bias_correction,
                ci,
                ci_method,
                n_boot,
                seed,
            )
            if fused is not None:
                return fused  # type: ignore[no-any-return]
    label = None
    if type(bins) is str and bins == "wkv":
        bins, label = _wkv_bins(x, y, range, nonfinite, axis)
    alpha = check_pseudocount(pseudocount)
    options = check_options(base, bias_correction, ci, ci_method, n_boot, seed)
    check_smoothing_alone(alpha, options.bias_correction, options.ci)
    h = histogram_pair(x, y, bins=bins, range=range, nonfinite=nonfinite, axis=axis)
    if label is not None:
        h = dataclasses.replace(h, rule=label)
    return estimate_from_histogram(h, "kl", options, alpha)


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
    # np.quantile(ya, np.linspace(0, 1, k + 1)), bit for bit, by a bucket selection of the 2 k
    # order statistics (np.quantile partitions around all of them: as long as a sort)
    edges = _compiled.wkv_quantiles(ya, k)
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


@documented
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
        Counts of x and y on shared bins (non-negative integers).
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
    options = check_options(base, bias_correction, ci, ci_method, n_boot, seed)
    check_smoothing_alone(alpha, options.bias_correction, options.ci)
    return estimate_from_histogram(histogram, "kl", options, alpha)

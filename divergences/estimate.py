r"""Plug-in estimates of KL and Jensen-Shannon divergences from raw samples.

Both samples are binned on shared edges (:func:`divergences.histogram_pair`); each histogram is
divided by its own number of binned values, and the divergence of the two probability vectors is
computed with the conventions of :mod:`divergences.discrete`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _kernels
from ._validation import check_base, check_binned, check_pseudocount, scalar_of_batch
from .histogram import HistogramPair, histogram_pair

__all__ = ["SampleEstimate", "js_from_samples", "kl_from_samples"]


@dataclass(frozen=True, repr=False)
class SampleEstimate:
    """A divergence estimated from two samples, with the histogram it came from.

    Attributes
    ----------
    value : float or ndarray
        The estimate in the units of ``base`` (nats by default): a float for two 1-D samples,
        an array of shape ``(n_pairs,)`` for a batch.
    divergence : str
        ``"js"`` or ``"kl"``.
    histogram : HistogramPair
        Shared edges and counts the estimate was computed from.
    base : float or None
        Logarithm base of ``value``; None for nats.
    pseudocount : float
        Added to every bin of both histograms before a KL estimate (0 for none; always 0 for
        JS).
    off_support_mass : float, ndarray or None
        KL only: the fraction of x's binned values lying in bins where y has none. KL is
        ``+inf`` when it is positive and ``pseudocount`` is 0.

    Notes
    -----
    ``float(estimate)`` gives ``value`` for a single pair. The object is frozen; later versions
    add fields (bias correction, confidence intervals) without changing these.
    """

    value: Any
    divergence: str
    histogram: HistogramPair
    base: float | None = None
    pseudocount: float = 0.0
    off_support_mass: Any = None

    @property
    def edges(self) -> np.ndarray:
        """The shared bin edges (``histogram.edges``)."""
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

    def __repr__(self) -> str:
        batch = np.ndim(self.value) > 0
        shown = f"array of {len(self.value)}" if batch else f"{float(self.value):.6g}"
        extra = ""
        if self.divergence == "kl":
            mass = self.off_support_mass
            mass_text = f"{float(mass):.3g}" if np.ndim(mass) == 0 else "array"
            extra = f", pseudocount={self.pseudocount:g}, off_support_mass={mass_text}"
        h = self.histogram
        return (
            f"SampleEstimate({self.divergence}={shown} {self.units}, {h.n_bins} bins "
            f"({h.rule}), n_x={h.n_x}, n_y={h.n_y}{extra})"
        )


def _prepared(
    x: Any, y: Any, bins: Any, range_: Any, base: Any, nonfinite: str
) -> tuple[HistogramPair, np.ndarray, np.ndarray, float]:
    log_base = check_base(base)
    h = histogram_pair(x, y, bins=bins, range=range_, nonfinite=nonfinite)
    counts_x = h.counts_x.reshape(-1, h.n_bins)
    counts_y = h.counts_y.reshape(-1, h.n_bins)
    check_binned("x", counts_x.sum(axis=1), h.dropped_x, h.batch)
    check_binned("y", counts_y.sum(axis=1), h.dropped_y, h.batch)
    return h, counts_x, counts_y, log_base


def _shaped(values: np.ndarray, h: HistogramPair) -> Any:
    return values if h.batch else float(values[0])


def js_from_samples(
    x: Any,
    y: Any,
    *,
    bins: Any = "auto",
    range: Any = None,
    base: float | None = None,
    nonfinite: str = "raise",
) -> SampleEstimate:
    r"""Plug-in Jensen-Shannon divergence of the distributions behind two samples.

    .. math:: \widehat{JSD} = \sum_i \tfrac12 \hat p_i \log\frac{2\hat p_i}{\hat p_i + \hat q_i}
              + \tfrac12 \hat q_i \log\frac{2\hat q_i}{\hat p_i + \hat q_i},
              \qquad \hat p_i = \frac{c^x_i}{\sum_j c^x_j},\ \hat q_i = \frac{c^y_i}{\sum_j c^y_j}

    with ``c^x, c^y`` the counts of x and y on shared edges.

    Parameters
    ----------
    x, y : array_like
        Two 1-D samples (sizes may differ), or two 2-D batches ``(n_pairs, n)`` estimated in
        one kernel call, row ``i`` of x against row ``i`` of y.
    bins, range, nonfinite
        As :func:`divergences.histogram_pair`: an int, edges or a rule name; the outer edges;
        the NaN/inf policy.
    base : float, optional
        Logarithm base of the result; None (default) gives nats.

    Returns
    -------
    SampleEstimate
        ``.value`` in ``[0, log 2]`` nats (a float, or an array for a batch), never NaN; the
        histogram, edges and sample sizes it came from.

    Notes
    -----
    Each histogram is divided by its own number of binned values before the two are mixed, so
    the mixture is ``M = (P + Q)/2`` whatever ``n_x`` and ``n_y`` are (pooling the raw counts
    would weight the larger sample more). The plug-in estimate is biased (upwards, by roughly
    ``(bins - 1)/(4 n)`` nats for equal sizes ``n`` and equal distributions); choose bins
    accordingly.

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
    """
    h, counts_x, counts_y, log_base = _prepared(x, y, bins, range, base, nonfinite)
    values = _kernels.js_from_samples(counts_x, counts_y) / log_base
    return SampleEstimate(value=_shaped(values, h), divergence="js", histogram=h, base=base)


def kl_from_samples(
    x: Any,
    y: Any,
    *,
    bins: Any = "auto",
    range: Any = None,
    pseudocount: float = 0.0,
    base: float | None = None,
    nonfinite: str = "raise",
) -> SampleEstimate:
    r"""Plug-in Kullback-Leibler divergence KL(P‖Q) of the distributions behind two samples.

    .. math:: \widehat{KL} = \sum_i \hat p_i \log\frac{\hat p_i}{\hat q_i},\qquad
              \hat p_i = \frac{c^x_i + a}{n_x + a k},\ \hat q_i = \frac{c^y_i + a}{n_y + a k}

    with ``c^x, c^y`` the counts of x and y on ``k`` shared bins, ``n_x``, ``n_y`` the numbers
    of binned values and ``a`` the pseudocount.

    Parameters
    ----------
    x, y : array_like
        Samples from P and from Q: two 1-D samples, or two 2-D batches ``(n_pairs, n)``.
    bins, range, nonfinite
        As :func:`divergences.histogram_pair`.
    pseudocount : float, default 0
        Added to every bin of *both* histograms (additive smoothing; 0.5 is Jeffreys', 1
        Laplace's). 0 keeps the plug-in estimate, which is ``+inf`` as soon as one bin holds
        x values and no y value.
    base : float, optional
        Logarithm base of the result; None (default) gives nats.

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
    """
    alpha = check_pseudocount(pseudocount)
    h, counts_x, counts_y, log_base = _prepared(x, y, bins, range, base, nonfinite)
    values, off_support = _kernels.kl_from_samples(counts_x, counts_y, alpha)
    return SampleEstimate(
        value=_shaped(values / log_base, h),
        divergence="kl",
        histogram=h,
        base=base,
        pseudocount=alpha,
        off_support_mass=_shaped(off_support, h),
    )

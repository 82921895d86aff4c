"""The result of an estimate from samples: the value with everything that produced it.

:class:`SampleEstimate` is what :func:`divergences.js_from_samples`,
:func:`divergences.kl_from_samples`, their ``_nd`` and ``_histogram`` forms return: the value
(a float, or an array for a batch), the histogram pair it came from, and the optional bias
correction and bootstrap interval.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Self

import numpy as np

from ._checks.samples import scalar_of_batch
from .histogram import HistogramPair
from .histogram_nd import HistogramPairND


@dataclass(frozen=True, repr=False)
class SampleEstimate:
    r"""A divergence estimated from two samples, with the histogram it came from.

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
        :math:`\text{value} = \operatorname{clip}(\text{plugin} - \text{bias})`.
        :math:`\text{plugin} - \text{bias}` is the unclipped corrected estimate, the one to average
        over replicates.
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
    ``round(estimate, 3)``, ``f"{estimate:.3f}"``, and comparisons with numbers or other
    estimates (``estimate < 0.1``) use ``value``; for a batch they raise and ``value`` must be
    used. numpy reads an estimate, single or batch, as its ``value``: ``np.asarray(estimate)``,
    and ``np.mean(estimates)`` over a list of single estimates of one shape. Arithmetic is not
    defined (``estimate.value + 1``, or ``float(estimate) + 1``). The object is frozen;
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

    def __round__(self, ndigits: int | None = None) -> Any:
        return round(float(self), ndigits)

    # numpy's operators and ufuncs hand back to Python (NotImplemented), so that an estimate
    # with a numpy scalar or array computes no more than with a Python number: est + 1 and
    # est + np.float64(1) both raise, np.float64(0.1) < est compares as 0.1 < est does
    __array_ufunc__ = None

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        # numpy reads an estimate as its value, one or a batch: np.asarray(estimate), and
        # np.mean / np.std over a list of estimates (averaging over seeds) see the numbers
        if copy is False and np.ndim(self.value) == 0:
            raise ValueError("a single estimate's value is a float: an array of it is a copy")
        if copy:
            return np.array(self.value, dtype=dtype, copy=True)
        return np.asarray(self.value, dtype=dtype)

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
        dropped = ""
        if not batch and (h.dropped_x or h.dropped_y):  # nonfinite="omit", or a range
            dropped = f", dropped_x={h.dropped_x}, dropped_y={h.dropped_y}"
        return (
            f"SampleEstimate({self.divergence}={shown} {self.units}, {h.n_bins} bins "
            f"({h.rule}), n_x={h.n_x}, n_y={h.n_y}{dropped}{extra})"
        )


class _FloatEstimate(float):
    """A float with the attributes of the estimate it is; the shared part of the subclasses."""

    standard_error: float | None
    ci_level: float | None
    interval: tuple[float, float] | None
    base: float | None
    seed: int | None

    def __new__(
        cls,
        value: float,
        *,
        standard_error: float | None,
        ci_level: float | None,
        base: float | None,
        seed: int | None,
        bounds: tuple[float, float] | None = None,
        **attributes: Any,
    ) -> Self:
        """The estimate ``value`` with its attributes (built by the estimators).

        With ``bounds`` (the divergence's range in the units of ``value``: the range in nats
        divided by ``log(base)``, its ends in either order, since a base below 1 flips the
        signs), the float is ``value`` clipped to it and ``unclipped`` keeps ``value``; the
        interval is formed around ``value`` and its ends clipped to the range (the truth lies
        in it, so clipping never uncovers it). The standard error is a size: its absolute
        value is kept (a base below 1 makes the converted one negative).
        """
        raw = float(value)
        if bounds is not None:
            bounds = (min(bounds), max(bounds))
        shown = raw if bounds is None else min(max(raw, bounds[0]), bounds[1])
        self = super().__new__(cls, shown)
        from scipy.special import ndtri

        if bounds is not None:
            self.__dict__["unclipped"] = raw
        if standard_error is not None:
            standard_error = abs(standard_error)
        self.standard_error = standard_error
        self.ci_level = ci_level
        self.interval = None
        if ci_level is not None and standard_error is not None:
            # -z_{(1-level)/2}: exact for a level near 1, where 0.5 + level/2 rounds to 1
            half = -float(ndtri((1.0 - ci_level) / 2.0)) * standard_error
            low, high = raw - half, raw + half
            if bounds is not None:
                low = min(max(low, bounds[0]), bounds[1])
                high = min(max(high, bounds[0]), bounds[1])
            self.interval = (low, high)
        self.base = base
        self.seed = seed
        self.__dict__.update(attributes)
        return self

    @property
    def value(self) -> float:
        """The estimate as a plain float."""
        return float(self)

    @property
    def units(self) -> str:
        """``"nats"``, ``"bits"``, or ``"base b"``."""
        base = self.base
        return "nats" if base is None else ("bits" if base == 2 else f"base {base:g}")

    def _interval_text(self) -> str:
        if self.interval is None or self.ci_level is None:
            return ""
        low, high = self.interval
        return f", {self.ci_level:g} interval [{low:.6g}, {high:.6g}]"

    def __reduce__(self) -> Any:  # pickles (processes, dask) with its attributes
        return (_rebuild_estimate, (type(self), float(self), dict(self.__dict__)))

    def __str__(self) -> str:  # print() and f"{x}" show the number, as for a float
        return float.__repr__(self)


def _rebuild_estimate(cls: type, value: float, attributes: dict[str, Any]) -> Any:
    out: Any = float.__new__(cls, value)
    out.__dict__.update(attributes)
    return out


class KnnEstimate(_FloatEstimate):
    r"""A divergence estimated from nearest-neighbour distances: a float with its interval.

    Returned by :func:`divergences.kl_knn` and :func:`divergences.js_knn`. It *is* the
    estimate as a ``float`` (arithmetic, comparisons, ``numpy`` and ``json`` treat it as one);
    the attributes say how it was obtained.

    Attributes
    ----------
    value : float
        The estimate in the units of ``base`` (nats by default); the same as ``float(self)``.
        Clipped to the divergence's range: :math:`[0, \infty]` for KL, :math:`[0, \log 2]` for
        JSD (in the units of ``base``), as every JSD the library returns.
    unclipped : float
        The estimate before clipping: by sampling error it may fall below 0 (or, for JSD, above
        :math:`\log 2`). Average this one over replicates (a bias or an RMSE study): averages
        of clipped values are biased upwards near 0.
    divergence : str
        ``"kl"`` or ``"js"``.
    interval : tuple of float or None
        ``(lower, upper)``: the confidence interval
        :math:`\text{unclipped} \pm z_{(1+\text{level})/2}\,\text{standard\_error}`, its
        ends clipped to the divergence's range; None without ``ci``. Where the whole interval
        lies outside the range it collapses to an end, e.g. ``(0.0, 0.0)``: that says the
        realisation is more than z standard errors below 0 (read ``unclipped`` and
        ``standard_error``), not that the divergence is known to be 0.
    ci_level : float or None
        Its confidence level.
    standard_error : float or None
        The estimated standard deviation of the estimate (Notes of the estimator); None
        without ``ci``.
    k : int
        The neighbour order.
    n_x, n_y : int
        The sample sizes.
    dimension : int
        The dimension ``d`` of the points.
    base : float or None
        Logarithm base; None for nats.
    bias_correction : str or None
        ``"ensemble"`` when the value is a weighted ensemble over neighbour orders
        (:func:`divergences.js_knn`); None otherwise.
    orders, weights : tuple
        The neighbour orders combined and their weights (``(k,)`` and ``(1.0,)`` without an
        ensemble).
    dequantized : tuple of float or None
        The grid step of each coordinate when repeated values on a common grid were spread
        uniformly over their cells before the estimate (``ties="dequantize"``, the default:
        the estimators' Notes); None when the values were used as they are.
    seed : int or None
        The seed that reproduces a randomised estimate (:func:`divergences.js_knn` with unequal
        sizes draws which points form each mixture sample; the interval draws its groups);
        None when nothing was random or a Generator was passed.
    """

    divergence: str
    unclipped: float
    k: int
    n_x: int
    n_y: int
    dimension: int
    bias_correction: str | None
    orders: tuple[int, ...]
    weights: tuple[float, ...]
    dequantized: tuple[float, ...] | None

    def __repr__(self) -> str:
        ensemble = ""
        if getattr(self, "bias_correction", None):
            ensemble = f", ensemble of k={'/'.join(str(o) for o in self.orders)}"
        steps = getattr(self, "dequantized", None)
        if steps:
            ensemble += f", dequantized (grid steps {', '.join(f'{h:g}' for h in steps)})"
        return (
            f"KnnEstimate({self.divergence}={float(self):.6g} {self.units}"
            f"{self._interval_text()}, k={self.k}{ensemble}, n_x={self.n_x}, n_y={self.n_y}, "
            f"d={self.dimension})"
        )


class DiscriminatorEstimate(_FloatEstimate):
    r"""The cross-fitted discriminator bound on JSD(P, Q): a float with its interval and D.

    Returned by :func:`divergences.js_discriminator`; a ``float`` like :class:`KnnEstimate`.

    Attributes
    ----------
    value : float
        The bound, in the units of ``base`` (nats by default); at most :math:`\log 2`.
    divergence : str
        ``"js"``.
    interval : tuple of float or None
        ``(lower, upper)`` for the bound of the fitted discriminators, the upper end at most
        :math:`\log 2`; None without ``ci``.
    unclipped : float
        The bound before the clip at :math:`\log 2`: the same as ``value`` but for the
        rounding of the means (every term is at most :math:`\log 2`, and a mean of them
        can round one unit in the last place above it).
    ci_level, standard_error, base, seed
        As :class:`KnnEstimate`.
    discriminator : callable
        ``discriminator(points)``: the fitted D, the probability that each point came from P
        with equal priors (the folds' logits averaged).
    classifier : str
        ``"mlp"``, ``"logistic"``, ``"quadratic"``, ``"callable"``, or the class name of a
        user's classifier.
    folds : int
        Cross-fitting folds (0 for a fixed discriminator).
    n_x, n_y, dimension : int
        The sample sizes and the dimension of the points.
    """

    divergence: str
    unclipped: float
    discriminator: Any
    classifier: str
    folds: int
    n_x: int
    n_y: int
    dimension: int

    def __repr__(self) -> str:
        return (
            f"DiscriminatorEstimate(js>={float(self):.6g} {self.units}{self._interval_text()}, "
            f"classifier={self.classifier}, folds={self.folds}, n_x={self.n_x}, "
            f"n_y={self.n_y}, d={self.dimension})"
        )

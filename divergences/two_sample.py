r"""A two-sample test of P = Q built on the plug-in Jensen-Shannon divergence.

Asymptotic chi-square calibration, and an exact permutation test drawn on the counts.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

import numpy as np

from . import _compiled
from ._checks.inference import (
    check_n_permutations,
    check_rng,
    check_test_method,
    raise_not_a_histogram,
)
from ._checks.scalars import check_seed
from ._estimation import histogram_counts
from .histogram import HistogramPair, histogram_pair
from .histogram_nd import HistogramPairND

__all__ = ["TwoSampleTest", "js_test", "js_test_from_histogram"]

#: A permuted statistic counts as "at least as extreme" when it is within this relative distance
#: of the observed one: the same counts in another bin order sum in another order, and must tie.
TIE_RTOL = 1e-12
#: Permutations drawn per block (bounds the memory of the count matrices to 32 MiB).
BLOCK_CELLS = 1 << 22
#: The chi-square p-value's second-order correction applies when every occupied bin expects at
#: least this many values of the smaller sample under P = Q (Cochran's 1954 floor for the
#: chi-square approximation); below it the expansion fails (use the permutation test).
MIN_EXPECTED_COUNT = 1.0


@dataclass(frozen=True, repr=False)
class TwoSampleTest:
    r"""Result of :func:`js_test`.

    Attributes
    ----------
    statistic : float or ndarray
        The plug-in JSD of the two samples, in nats (per pair for a batch).
    chi2_statistic : float or ndarray
        :math:`\frac{8 n_x n_y}{n_x + n_y} \cdot \text{statistic}`, approximately chi-square with
        ``df`` degrees of freedom under :math:`P = Q` (:math:`4n \cdot \text{statistic}` for equal
        sizes ``n``).
    df : int or ndarray
        Degrees of freedom: the number of bins holding at least one value of either sample,
        minus 1.
    pvalue : float or ndarray
        Probability, under :math:`P = Q`, of a statistic at least as large as the observed one.
    method : str
        ``"chi2"`` or ``"permutation"``.
    n_permutations : int or None
        Random permutations drawn (permutation method only).
    seed : int or None
        The seed that reproduces a permutation p-value (the entropy drawn for ``seed=None``);
        None for the chi2 method or when a Generator was passed.
    histogram : HistogramPair or HistogramPairND
        The counts the test was computed from.
    correction : float or ndarray
        The divisor :math:`c` of ``chi2_statistic`` before it is referred to
        :math:`\chi^2_{df}`: its second-order mean over ``df`` under :math:`P = Q` (Notes of
        :func:`js_test`); 1 where that expansion does not hold and for the permutation method.

    Notes
    -----
    Like scipy.stats' results, the object unpacks as ``statistic, pvalue = js_test(x, y)``
    (``result[0]``, ``result[1]``).
    """

    statistic: Any
    chi2_statistic: Any
    df: Any
    pvalue: Any
    method: str
    n_permutations: int | None
    seed: int | None
    histogram: HistogramPair | HistogramPairND
    correction: Any = 1.0

    # Unpacks as ``statistic, pvalue = js_test(x, y)``, like scipy.stats' test results.

    def __iter__(self) -> Iterator[Any]:
        return iter((self.statistic, self.pvalue))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> Any:
        return (self.statistic, self.pvalue)[index]

    def __repr__(self) -> str:
        if np.ndim(self.pvalue):
            return (
                f"TwoSampleTest({self.method}, {len(self.pvalue)} pairs, "
                f"{self.histogram.n_bins} bins)"
            )
        extra = f", {self.n_permutations} permutations" if self.n_permutations else ""
        return (
            f"TwoSampleTest({self.method}: jsd={self.statistic:.6g} nats, "
            f"chi2={self.chi2_statistic:.6g}, df={self.df}, pvalue={self.pvalue:.4g}{extra})"
        )


def js_test(
    x: Any,
    y: Any,
    *,
    bins: Any = "quantile",
    range: Any = None,
    nonfinite: str = "raise",
    axis: Any = None,
    method: str = "chi2",
    n_permutations: int = 9999,
    seed: Any = None,
) -> TwoSampleTest:
    r"""Two-sample test of :math:`P = Q` on the plug-in Jensen-Shannon divergence of the samples.

    The statistic is the plug-in JSD (nats) of the two histograms on shared bins; large values
    are evidence against :math:`P = Q`.

    Parameters
    ----------
    x, y : array_like
        Two samples (sizes may differ): 1-D, a column ``(n, 1)`` or a row ``(1, n)``; with
        ``axis``, two 2-D batches tested pair by pair.
        For multivariate samples, pass :func:`divergences.histogram_pair_nd` to
        :func:`js_test_from_histogram`.
    bins : int, str or array_like, default "quantile"
        As :func:`divergences.histogram_pair`. The default, equal-mass bins at the quantiles of
        the pooled sample (fewer of them when one sample is much smaller), keeps every bin's
        expected count large, which the chi-square calibration needs (Notes). A batch needs an
        integer or edges (its pairs share a number of bins, which the quantile rule cannot give).
    range, nonfinite, axis
        As :func:`divergences.histogram_pair`.
    method : {"chi2", "permutation"}, default "chi2"
        Asymptotic chi-square calibration, or an exact permutation test.
    n_permutations : int, default 9999
        Random permutations for ``method="permutation"``.
    seed : int, numpy.random.Generator or None
        Randomness of the permutations; None draws fresh entropy and reports it on the result.

    Returns
    -------
    TwoSampleTest
        ``statistic``, ``chi2_statistic``, ``df``, ``pvalue``, ``method`` and the histogram.

    Notes
    -----
    *Chi-square calibration.* Under :math:`P = Q = p` write :math:`\hat p = p + e`,
    :math:`\hat q = p + d`. At :math:`p = q` the bin term's gradient vanishes and its second
    derivatives are :math:`1/(4p)`, :math:`1/(4p)` and :math:`-1/(4p)`, so
    :math:`\widehat{JSD} \approx \sum_i (e_i - d_i)^2 / (8 p_i)`. The difference :math:`e - d` has
    covariance :math:`(1/n_x + 1/n_y)(\operatorname{diag} p - p p^T)`, which makes
    :math:`\sum_i (e_i - d_i)^2 / p_i / (1/n_x + 1/n_y)` Pearson's chi-square with :math:`K - 1`
    degrees of freedom. Hence

    .. math:: \frac{8\, n_x n_y}{n_x + n_y}\, \widehat{JSD} = 4\, n_h\, \widehat{JSD}
              \;\xrightarrow{d}\; \chi^2_{K-1},
              \qquad n_h = \frac{2 n_x n_y}{n_x + n_y}

    (:math:`n_h` the harmonic mean of the sizes; :math:`4 n \widehat{JSD}` for
    :math:`n_x = n_y = n`, where it equals the likelihood-ratio G statistic of the 2 x K table).
    :math:`K` counts the bins holding at least one value of either sample (an empty bin carries no
    information), so ``df = K - 1``; with ``df = 0`` (every value in one bin) the p-value is 1. The
    approximation needs every bin's expected count to be large: a bin holding one pooled value adds
    :math:`2 \log 2` to the statistic for one degree of freedom, so equal-width bins over sparse
    tails make the test reject too often (measured size 7-9% at the 5% level with ``bins="auto"`` on
    Gaussian samples, ``benches/coverage.py``). Equal-mass bins (the default; Mann & Wald 1942)
    avoid it; otherwise use the permutation test.

    *Second order, and unequal sizes.* Given the pooled counts :math:`c_i`
    (:math:`\pi_i = c_i / n`, :math:`n = n_x + n_y`) the x counts are hypergeometric under
    :math:`P = Q`, and :math:`\hat q - \pi = -(n_x / n_y)(\hat p - \pi)`. Carrying the
    expansion of the bin term to fourth order, with the hypergeometric moments,

    .. math:: E[T] = df \frac{n}{n-1} + A S_2 - B S_3 + O(n^{-2}),

    .. math:: S_2 = \sum_i \frac{(1-\pi_i)^2}{\pi_i},\qquad
              S_3 = \sum_i \frac{(1-\pi_i)(1-2\pi_i)}{\pi_i},

    .. math:: A = \frac{8u^4 + 8v^4 - (u-v)^4}{8 n u v},\qquad
              B = \frac{(u-v)^2}{2 n u v},

    with :math:`u = n_x / n`, :math:`v = n_y / n`, for :math:`T` = ``chi2_statistic`` over the
    occupied bins. The p-value refers
    :math:`T / c` to :math:`\chi^2_{df}` with :math:`c = E[T] / df` (``correction`` on the
    result): a mean correction of the reference distribution in the manner of Williams (1976) for
    the G test, the statistic unchanged. It is applied when every occupied bin expects at least one
    value of the smaller sample (:math:`\min(u, v)\, c_i \ge 1`, Cochran 1954); below that the
    expansion fails, :math:`c = 1`, and the permutation test is the remedy: the test then warns
    (a ``UserWarning``; 3 + 3 normal samples under :math:`P = Q` gave a size of 0.20 at the 5%
    level). With :math:`K`
    equal-mass bins (:math:`\pi_i = 1/K`), :math:`c - 1 \approx K (A - B) = K / (2m)` with

    .. math:: m = \frac{1}{2(A - B)}
              = \frac{4 (a+b)^3 a b}{3a^4 + 4a^3 b + 2a^2 b^2 + 4a b^3 + 3b^4}

    (:math:`a = n_x`, :math:`b = n_y`),
    the pooled size of the equal-size design with the same second-order error: :math:`m = n` for
    equal sizes and :math:`m \to 4 \min(a, b) / 3` as the ratio grows. The equal-mass rule
    takes :math:`K = \lceil 2 m^{1/3} \rceil` (for equal sizes the pooled-size rule, unchanged).
    Counting bins from the pooled size instead gives 33 bins for 200 + 4000 values, 6 values of
    the small sample per bin, :math:`c \approx 1.07` and a measured size of 0.104 at the 5% level;
    with both changes the size is within 0.04-0.06 from 200 values on the smaller side up to a 20:1
    ratio (4000 replicates per cell; ``docs/statistics.md``).

    *Discrete data.* Equal-mass edges at tied quantiles merge, so each bin holds whole atoms
    (often one), with unequal :math:`\pi_i`; the labels are still exchangeable under
    :math:`P = Q`, and :math:`c` uses the actual :math:`\pi_i`. The measured size for
    Poisson(3) samples is within 0.04-0.06 on the same grid. Atoms carrying less than
    :math:`1/\min(u, v)` pooled values (rare values of a long tail, merged into a wider bin only
    at the ends) switch the correction off, and the size is then the plain chi-square's.

    *Permutation test.* Under :math:`P = Q` the pooled sample's labels are exchangeable. The
    statistic depends on the samples through the counts only, and permuting labels draws the x
    counts from the multivariate hypergeometric distribution of :math:`n_x` values among the pooled
    counts, so the permutations are drawn on the counts, exactly. The p-value is
    :math:`(1 + \#\{\text{permuted} \ge \text{observed}\}) / (B + 1)`, valid at any sample size and
    number of bins (Phipson & Smyth 2010). The bins may be chosen from the pooled sample (any rule
    here does): they are the same for every permutation of the labels.

    References: H. B. Mann & A. Wald (1942), On the choice of the number of class intervals in
    the application of the chi square test, *Ann. Math. Statist.* 13(3), 306-317,
    doi:10.1214/aoms/1177731569. W. G. Cochran (1954), Some methods for strengthening the common
    chi-square tests, *Biometrics* 10(4), 417-451, doi:10.2307/3001616. D. A. Williams (1976),
    Improved likelihood ratio tests for complete contingency tables, *Biometrika* 63(1), 33-37,
    doi:10.1093/biomet/63.1.33. B. Phipson & G. K. Smyth (2010), Permutation p-values should
    never be zero, *Stat. Appl. Genet. Mol. Biol.* 9(1), doi:10.2202/1544-6115.1585.

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(0, 1, 5000), rng.normal(0.1, 1, 5000)
    >>> test = dv.js_test(x, y)
    >>> test.df, round(test.chi2_statistic, 1), round(test.pvalue, 4)
    (43, 77.4, 0.0011)
    >>> same = dv.js_test(x, rng.normal(0, 1, 3000), method="permutation", seed=0)
    >>> round(same.pvalue, 3)
    0.432
    """
    m = check_test_method(method)
    permutations = check_n_permutations(n_permutations)
    h = histogram_pair(x, y, bins=bins, range=range, nonfinite=nonfinite, axis=axis)
    return _test(h, m, permutations, seed)


def js_test_from_histogram(
    histogram: HistogramPair | HistogramPairND,
    *,
    method: str = "chi2",
    n_permutations: int = 9999,
    seed: Any = None,
) -> TwoSampleTest:
    r"""The test of :func:`js_test` from the counts of a histogram pair.

    Parameters
    ----------
    histogram : HistogramPair or HistogramPairND
        Counts of x and y on shared bins (non-negative integers), e.g. from
        :func:`divergences.histogram_pair_nd` for multivariate samples.
    method, n_permutations, seed
        As :func:`js_test`.

    Returns
    -------
    TwoSampleTest
        As :func:`js_test`.

    Notes
    -----
    The calibration and its conditions: :func:`js_test`. The permutation test stays exact
    when the bins were chosen from the pooled sample, and only then: bins chosen from one
    sample alone would change under a permutation of the labels.

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(size=(2000, 2)), rng.normal(size=(2000, 2))
    >>> test = dv.js_test_from_histogram(dv.histogram_pair_nd(x, y, bins=4))
    >>> test.df, test.pvalue > 0.05
    (14, True)
    """
    m = check_test_method(method)
    permutations = check_n_permutations(n_permutations)
    return _test(histogram, m, permutations, seed)


def _test(h: Any, method: str, n_permutations: int, seed: Any) -> TwoSampleTest:
    if not isinstance(h, HistogramPair | HistogramPairND):
        raise_not_a_histogram(h)
    rng, used_seed = None, None
    if method == "permutation":
        rng, used_seed = check_rng(seed)
    else:
        check_seed(seed, generator_ok=True)  # checked even when unused: a bad seed is a bug
    counts_x, counts_y = histogram_counts(h)
    statistic = _compiled.js_of_counts(counts_x, counts_y)
    n_x = counts_x.sum(axis=1).astype(np.float64)
    n_y = counts_y.sum(axis=1).astype(np.float64)
    chi2 = 8.0 * n_x * n_y / (n_x + n_y) * statistic
    df = np.count_nonzero(counts_x + counts_y, axis=1) - 1
    correction = np.ones_like(chi2)
    if method == "chi2":
        from scipy import stats

        correction = mean_correction(counts_x, counts_y)
        _warn_where_sparse(counts_x, counts_y)
        pvalue = np.where(df > 0, stats.chi2.sf(chi2 / correction, np.maximum(df, 1)), 1.0)
    else:
        assert rng is not None
        pvalue = np.array(
            [
                _permutation_pvalue(
                    counts_x[i], counts_y[i], float(statistic[i]), n_permutations, rng
                )
                for i in range(counts_x.shape[0])
            ]
        )

    def shaped(values: np.ndarray) -> Any:
        return values if h.batch else values[0].item()

    return TwoSampleTest(
        statistic=shaped(statistic),
        chi2_statistic=shaped(chi2),
        df=shaped(df),
        pvalue=shaped(pvalue),
        method=method,
        n_permutations=n_permutations if method == "permutation" else None,
        seed=used_seed,
        histogram=h,
        correction=shaped(correction),
    )


def mean_correction(counts_x: np.ndarray, counts_y: np.ndarray) -> np.ndarray:
    r"""Per pair, :math:`E[T] / df` to second order under :math:`P = Q` given the pooled counts.

    ``T`` is the chi-square statistic :math:`4 n_h \widehat{JSD}` (derivation: Notes of
    :func:`js_test`). 1 where the expansion does not hold: a bin whose expected count of the
    smaller sample is below MIN_EXPECTED_COUNT, ``df = 0``, or an empty sample.
    """
    df, expected = _sparsest_bin(counts_x, counts_y)
    out = np.ones(df.shape[0])
    valid = (df > 0) & (expected >= MIN_EXPECTED_COUNT)  # (False where a sample is empty)
    if not valid.any():
        return out
    pooled = (counts_x + counts_y).astype(np.float64)
    n_x = counts_x.sum(axis=1).astype(np.float64)
    n_y = counts_y.sum(axis=1).astype(np.float64)
    n = n_x + n_y
    occupied = pooled > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        u, v = n_x / n, n_y / n
        share = np.where(occupied, pooled / n[:, None], 1.0)  # unoccupied bins add 0 below
        s2 = ((1.0 - share) ** 2 / share).sum(axis=1)
        s3 = ((1.0 - share) * (1.0 - 2.0 * share) / share).sum(axis=1)
        a = (8 * u**4 + 8 * v**4 - (u - v) ** 4) / (8.0 * n * u * v)
        b = (u - v) ** 2 / (2.0 * n * u * v)
        mean = df * n / (n - 1.0) + a * s2 - b * s3
        out[valid] = (mean / df)[valid]
    return out


def _sparsest_bin(counts_x: np.ndarray, counts_y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, ``df`` and the count of the smaller sample its sparsest occupied bin expects.

    Under P = Q a bin holding c pooled values expects ``min(n_x, n_y) / n * c`` of the smaller
    sample; the chi-square's conditions (Cochran 1954) ask it to be at least
    ``MIN_EXPECTED_COUNT``. NaN where both samples are empty, 0 where one is.
    """
    pooled = (counts_x + counts_y).astype(np.float64)
    n_x = counts_x.sum(axis=1).astype(np.float64)
    n_y = counts_y.sum(axis=1).astype(np.float64)
    occupied = pooled > 0
    df = occupied.sum(axis=1) - 1
    smallest = np.where(occupied, pooled, np.inf).min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.minimum(n_x, n_y) / (n_x + n_y) * smallest
    return df, expected


def _warn_where_sparse(counts_x: np.ndarray, counts_y: np.ndarray) -> None:
    """A UserWarning where a chi-square p-value rests on a bin that expects < 1 value.

    There the approximation fails and the mean correction is off: 3 + 3 normal samples under
    P = Q were rejected at the 5% level in 20% of 2,000 draws (``tests/test_two_sample.py``).
    """
    df, expected = _sparsest_bin(counts_x, counts_y)
    sparse = (df > 0) & (expected < MIN_EXPECTED_COUNT)
    if not sparse.any():
        return
    where = "" if sparse.size == 1 else f" in {int(sparse.sum())} of the {sparse.size} pairs"
    warnings.warn(
        f"js_test: a bin expects fewer than {MIN_EXPECTED_COUNT:g} value of the smaller sample"
        f"{where} (as few as {float(expected[sparse].min()):.3g}), where the chi-square "
        "approximation of the p-value does not hold; pass method='permutation' for an exact "
        "p-value, or fewer bins.",
        UserWarning,
        stacklevel=_outside_the_package(),
    )


def _outside_the_package() -> int:
    """The ``stacklevel`` of a warning raised here that points at the caller's line.

    The first frame outside the ``divergences`` package, counted from the caller of this
    function: ``js_test`` and ``js_test_from_histogram`` are called from user code, but
    ``HistogramAccumulator.js_test`` and the dask path call them on the user's behalf.
    """
    frame: FrameType | None = sys._getframe(1)  # the function that warns: stacklevel 1
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] == "divergences":
        frame = frame.f_back
        level += 1
    return level


def _permutation_pvalue(
    counts_x: np.ndarray,
    counts_y: np.ndarray,
    observed: float,
    n_permutations: int,
    rng: np.random.Generator,
) -> float:
    """Monte Carlo permutation p-value of the plug-in JSD, permutations drawn on the counts."""
    pooled = counts_x + counts_y
    occupied = pooled > 0
    pooled = np.ascontiguousarray(pooled[occupied], dtype=np.int64)
    n_x = int(counts_x.sum())
    threshold = observed * (1.0 - TIE_RTOL)
    block = max(1, min(n_permutations, BLOCK_CELLS // max(1, pooled.size)))
    extreme = 0
    for start in range(0, n_permutations, block):
        size = min(block, n_permutations - start)
        px = rng.multivariate_hypergeometric(pooled, n_x, size=size, method="marginals")
        values = _compiled.js_of_counts(px, pooled - px)
        extreme += int(np.count_nonzero(values >= threshold))
    return (1.0 + extreme) / (n_permutations + 1.0)

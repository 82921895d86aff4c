r"""k-nearest-neighbour estimates of KL(P‖Q) and JSD(P, Q) from samples, in any dimension."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _compiled
from ._checks.inference import check_ci, check_rng
from ._checks.multivariate import (
    KnnTies,
    as_knn_batch,
    as_knn_sample,
    check_jackknife_size,
    check_js_knn_batch_k,
    check_js_knn_k,
    check_kl_jackknife_size,
    check_knn_batch_pair,
    check_knn_bias_correction,
    check_knn_clip,
    check_knn_k,
    check_knn_ties,
    check_sample_pair_nd,
    ensemble_orders,
    jackknife_kept,
    not_dequantized,
    raise_jackknife_ties,
    raise_knn_ties,
    raise_knn_ties_js,
    raise_knn_underflow,
)
from ._checks.scalars import check_base, check_seed
from .results import KnnEstimate

__all__ = ["js_knn", "js_knn_batch", "kl_knn"]

#: js_knn's neighbour order when k is not given (or n - 1 for a smaller sample of n <= 10 points)
DEFAULT_JS_K = 10
#: js_knn's smallest neighbour order with bias_correction="ensemble" (orders k, 2k, 4k, 8k)
ENSEMBLE_K = 5
#: The largest neighbour order js_knn queries in the larger sample (more: it is cut in chunks)
MAX_ORDER = 64
#: Groups of the delete-a-group jackknife behind the intervals
JACKKNIFE_GROUPS = 10
#: js_knn_batch's sweep (brute force, pairs in parallel) runs up to this many points per
#: sample (1-D: measured faster than js_knn's route up to 20,000), and in more dimensions up to
#: BRUTE_MAX_N_BY_D; above, each pair takes js_knn's own route. Measured: _batch_sweep.
BRUTE_MAX_N = 20_000
BRUTE_MAX_N_BY_D = {2: 300, 3: 200}
#: ... and from 4 dimensions on
BRUTE_MAX_N_HIGH_D = 128
#: Equal sizes up to this many points per sample: js_knn takes every distance from one pass
#: over pruned blocks of the pooled points (``_compiled.kth_distances_pair``); above, and for
#: unequal sizes, from cKDTree. Measured: ``_pair_brute``.
PAIR_MAX_N = 100_000
#: Below this many queries times coordinates a cKDTree query runs on one thread without asking
#: the thread policy (which imports numba: 0.2 s once). Above it a query on one thread takes
#: 30-140 ms (AMD EPYC: 32,768 queries in 2-D, 8,192 in 8-D, order 11), which two threads
#: nearly halved; below it they gained little (2,048 queries in 4-D: 6.1 against 6.0 ms).
PARALLEL_MIN_QUERY_WORK = 1 << 16


def kl_knn(
    x: Any,
    y: Any,
    *,
    k: int | None = None,
    bias_correction: str | None = None,
    base: float | None = None,
    ci: float | None = None,
    seed: Any = None,
    ties: str = "dequantize",
) -> KnnEstimate:
    r"""Wang-Kulkarni-Verdú k-nearest-neighbour estimate of KL(P‖Q) (x from P, y from Q).

    .. math:: \widehat{KL} = \frac{d}{n} \sum_{i=1}^{n} \log\frac{\nu_k(i)}{\rho_k(i)}
              + \log\frac{m}{n - 1}

    with :math:`\rho_k(i)` the Euclidean distance from :math:`x_i` to its k-th nearest neighbour
    among the other :math:`n - 1` points of x, :math:`\nu_k(i)` the distance to its k-th nearest
    neighbour among the ``m`` points of y, and ``d`` the dimension.

    Parameters
    ----------
    x, y : array_like, shape ``(n,)`` or ``(n, d)``
        Samples from P and Q: 1-D, or one point per row (``n`` and ``m`` may differ; ``d``
        must agree). Here a 2-D array is *one* multivariate sample, not a batch. Finite values
        only.
    k : int, optional
        Which neighbour: :math:`1 \le k < n` and :math:`k \le m`. None (default) takes 1, or
        5 with ``bias_correction="ensemble"`` (as :func:`js_knn`), less where the samples (with
        ``ci``, what every jackknife replicate keeps of them) leave no room for k and 2k.
    bias_correction : {None, False, "ensemble"}, default None
        ``"ensemble"``: a weighted combination of the estimates at orders k, 2k, 4k and 8k
        (those the samples can hold: :math:`k_l < n` and :math:`k_l \le m`) whose weights
        cancel the leading finite-sample bias, :func:`js_knn`'s ensemble (Notes). For d of
        about 4 and more; at most 16.
    base : float, optional
        Logarithm base of the result; None (default) gives nats.
    ci : float or None, default None
        Confidence level of an interval on the result, e.g. 0.95 (Notes); None for none.
    seed : int, numpy.random.Generator or None
        Randomness of the interval's groups (with ``ci``) and of a dequantization
        (``ties``); None draws fresh entropy and reports it as ``seed`` on the result.
    ties : {"dequantize", "raise"}, default "dequantize"
        What to do with repeated values. ``"dequantize"``: if x and y lie on one grid of
        equal steps in every coordinate (integers, counts, rounded values) and repeat a value,
        spread each value uniformly over its grid cell before the estimate (Notes: *Ties*);
        zero distances among other values raise. ``"raise"``: use the values as they are and
        raise on a zero distance.

    Returns
    -------
    KnnEstimate
        A float, the estimate clipped at 0, with ``interval`` and ``standard_error`` when
        ``ci`` is given. The estimator itself can go negative when the divergence is small (a
        realisation, not the divergence of two given distributions): that value is
        ``unclipped``, the one to average over replicates (clipped values bias averages
        upwards).

    Raises
    ------
    ValueError
        When some :math:`\rho_k(i)` or :math:`\nu_k(i)` is 0 (repeated values), with what to do.

    Notes
    -----
    The estimator compares k-NN density estimates :math:`k / ((n-1) V_d \rho_k^d)` and
    :math:`k / (m V_d \nu_k^d)` at the points of x: the volume :math:`V_d` of the unit ball and the
    digamma terms of each density estimate cancel in the ratio, leaving the formula above. For
    densities satisfying the paper's regularity conditions it is asymptotically unbiased and
    mean-square consistent as :math:`n, m \to \infty` with k fixed (Wang, Kulkarni & Verdú 2009,
    Theorems 1-2). Neighbours come from ``scipy.spatial.cKDTree``.

    *Finite-sample bias.* The estimator is unbiased only in the limit. At finite n its bias comes
    from the density varying within the neighbour balls: it grows with ``d`` (balls must be larger
    to hold k points), with :math:`k/n`, and where a density changes fast or vanishes (edges of a
    bounded support; regions where x lies in the far tail of y, so that :math:`\nu_k` is large and
    its ball is far from uniform). Its spread is of order :math:`1/\sqrt{n}`: each log-volume of a
    k-th neighbour ball carries a variance :math:`\psi'(k)` (:math:`\pi^2/6` at :math:`k = 1`, 0.28
    at :math:`k = 4`) on top of that of :math:`\log p/q`, so a larger k lowers the variance and
    raises the bias. Measured for :math:`x \sim N(0, 1)`, :math:`y \sim N(0.5, 1.2^2)` (KL =
    0.1164): a standard deviation over seeds of about :math:`2/\sqrt{n}` nats at :math:`k = 1` and
    :math:`1.2/\sqrt{n}` at :math:`k = 4`, and a mean within about 0.007 nats of the truth at
    :math:`n = 10^3` and 0.002 at :math:`10^4` (:math:`k = 4`); for a 3-D Gaussian pair with KL =
    0.299, :math:`n = m = 4000`, :math:`k = 4`, a bias of about -0.010 nats (``tests/test_knn.py``).

    *Ensemble* (``bias_correction="ensemble"``). For smooth densities the bias of each k-NN
    density estimate, and with it of the two log-distance sums, grows like :math:`(k/n)^{2/d}`
    and :math:`(k/m)^{2/d}` (the densities' curvature across the balls; edges of a bounded
    support add a :math:`(k/n)^{1/d}` term the ensemble leaves): at fixed n and m both
    are proportional to :math:`k^{2/d}`, which in high d shrinks slowly with n. As
    :func:`js_knn`'s ensemble (the same orders, weights and rules), following the weighted
    ensembles of Sricharan, Wei & Hero (2013) for entropy and Moon, Sricharan, Greenewald &
    Hero (2018) for divergences, the estimates at orders :math:`k_l = k, 2k, 4k, 8k` (k = 5
    unless given) are combined with the weights of least norm satisfying
    :math:`\sum_l w_l = 1` and :math:`\sum_l w_l k_l^{2/d} = 0`, which cancel that term
    whatever its constant; each order keeps its own :math:`\log(m/(n-1))`, which the weights'
    sum leaves unchanged. Orders beyond the samples (:math:`k_l \ge n` or :math:`k_l > m`;
    with ``ci``, beyond what every jackknife replicate keeps of them, so that the estimate and
    its replicates combine the same orders) are dropped, at least k and 2k must fit, and beyond
    d = 16 the option is refused (the weights' norm, and with it the variance, grows with d).
    ``orders`` and ``weights`` on the result say what was combined. The
    neighbours of all orders come from one query of each tree, whose cost is that of the
    largest order. On the Gaussian pair of ``benches.truths_nd`` with n = m = 1000 (200
    replicates): at d = 8 the mean error was +0.095 nats at k = 4 and +0.005 with the ensemble
    (truth 0.4388), at d = 4 +0.027 and +0.014 (truth 0.2395), at d = 16 +0.298 and -0.099
    (truth 0.8448; there the jackknife's standard error, 0.18 on average, overstates the
    estimates' spread, about 0.11: the interval is wide and covers conservatively).

    *Interval.* See :func:`js_knn`: a delete-a-group jackknife standard error (10 groups), and
    the estimate :math:`\pm z` standard errors; with the ensemble, the jackknife of the weighted
    estimate. It describes the estimator's spread around its expectation; where the
    finite-sample bias is not small against it (high ``d``, tails), it undercovers the
    divergence. Over 200 replicates of the Gaussian pair above (``python -m benches.run
    --filter knn-coverage``), the 95 % interval at k = 4 covered 0.94-0.985 up to d = 4 and
    0.605 at d = 8 (a bias of 1.7 standard errors); with ``bias_correction="ensemble"``, 0.955
    at d = 4 and 0.970 at d = 8, at 2.4-4.3 times the cost; at d = 16 (``python -m
    benches.knn_coverage --cells 16:1000``) 0.075 at k = 4 and 0.955 with the ensemble. With an
    interval in d >= 8, use the ensemble.

    *Ties.* With continuous distributions no two points coincide; repeated values (rounded or
    discrete data) make a distance 0 and its logarithm infinite. Peers return NaN, 0 or a
    large finite number there. Taking the "k-th distinct" neighbour, as some implementations
    do, changes the estimator into one whose bias is not analysed. The standard remedy is
    *dequantization*, as for discrete data in density estimation: when x and y lie on one grid
    of equal steps :math:`h_j` in every coordinate (every gap between distinct values of a
    coordinate a whole multiple of the smallest, up to 1e-6 of a step, or float32 rounding) and
    repeat a value, each point gets independent uniform noise on :math:`[-h_j/2, h_j/2)` in
    coordinate j, after the smallest value is taken as origin (the estimates are
    shift-invariant, and noise of one step at 1e14 would round away), from a stream seeded by
    ``seed`` mixed with a tag of its own (so a sample drawn with ``default_rng(seed)`` or its
    ``spawn`` children gets independent noise). Both laws then have densities constant on the
    same cells, in the ratio of the cells' probabilities, so **KL and JSD of the dequantized
    laws are those of the discrete laws**, and the estimate is consistent for them: Poisson(3)
    against Poisson(4) (KL 0.1370, JSD 0.0346) gave mean estimates within 0.001 and 0.0004
    nats over 20 seeds at n = 20,000 (``tests/test_knn.py``); for two 2-D binomial laws on
    11 x 11 cells KL was 0.016 low (of 0.94: the density jumps at the cells' faces bias kNN
    balls, as at any sharp edge). This happens whether or not the repeats make a distance 0 at
    the chosen k (kNN on the raw lattice is not consistent for either law). ``dequantized`` on
    the result gives the steps. A coordinate constant in both samples lies on every grid (the
    noise there changes neither divergence). Samples that repeat values on two grids offset
    by less than a sixteenth of a step (integers against integers + 1e-9) are refused: read
    as one grid, their laws would share no value. Values that tie but lie on no common grid
    (a repeated value among continuous ones) raise, saying how many points are affected: a k
    above the largest multiplicity avoids zero distances (with more bias); for discrete data
    :func:`divergences.kl_from_samples` handles atoms directly. ``ties="raise"`` uses the
    values as they are and raises on every zero distance.

    References: Q. Wang, S. R. Kulkarni & S. Verdú (2009), Divergence estimation for
    multidimensional densities via k-nearest-neighbor distances, *IEEE Trans. Inf. Theory*
    55(5), 2392-2405, doi:10.1109/TIT.2009.2016060, eq. (5).
    K. Sricharan, D. Wei & A. O. Hero (2013), Ensemble estimators for multivariate entropy
    estimation, *IEEE Trans. Inf. Theory* 59(7), 4374-4388, doi:10.1109/TIT.2013.2251456.
    K. R. Moon, K. Sricharan, K. Greenewald & A. O. Hero (2018), Ensemble estimation of
    information divergence, *Entropy* 20(8), 560, doi:10.3390/e20080560.

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(0, 1, 20_000), rng.normal(0.5, 1.2, 20_000)
    >>> round(dv.kl_knn(x, y, k=4), 3), round(float(dv.reference.kl_normal(0, 1, 0.5, 1.2)), 3)
    (0.111, 0.116)
    >>> cov = np.array([[1.0, 0.5], [0.5, 1.0]])
    >>> x2 = rng.multivariate_normal([0, 0], cov, 20_000)
    >>> y2 = rng.multivariate_normal([0, 0], np.eye(2), 20_000)
    >>> truth = dv.reference.kl_multivariate_normal([0, 0], cov, [0, 0], np.eye(2))
    >>> round(dv.kl_knn(x2, y2, k=4), 3), round(float(truth), 3)
    (0.139, 0.144)
    """
    log_base = check_base(base)
    level = check_ci(ci)
    xs, ys = sample_pair(x, y)
    n, d = xs.shape
    m = ys.shape[0]
    correction = check_knn_bias_correction(bias_correction, d)
    # an order k' fits when k' <= n - 1 and k' <= m, in the samples and, with ci, in what every
    # jackknife replicate keeps of them
    if level is None:
        kept_x, kept_y, held = n, m, "they have"
    else:
        kept_x = jackknife_kept(n, JACKKNIFE_GROUPS)
        kept_y = jackknife_kept(m, JACKKNIFE_GROUPS)
        held = "every jackknife replicate keeps"
    fit = min(kept_x - 1, kept_y)
    if k is None:
        # 1; with the ensemble ENSEMBLE_K, or less where fewer points leave room for k and 2k
        kk = check_knn_k(max(1, min(ENSEMBLE_K, fit // 2)) if correction else 1, n, m)
    else:
        kk = check_knn_k(k, n, m)
    if correction:
        need = (
            f"more than {2 * kk} points in x and at least {2 * kk} in y ({held} {kept_x} and "
            f"{kept_y})"
        )
        orders = ensemble_orders(kk, fit + 1, need)
    else:
        orders = (kk,)
    if level is not None:
        check_kl_jackknife_size(kept_x, kept_y, orders[-1], JACKKNIFE_GROUPS, k is not None)
    weights = _ensemble_weights(orders, d)
    check_seed(seed, generator_ok=True)
    ties = check_knn_ties(ties)
    rng, used_seed = check_rng(seed) if level is not None else (None, None)

    def scaled(
        a: np.ndarray, b: np.ndarray, _: np.random.Generator | None
    ) -> tuple[np.ndarray, np.ndarray, float]:
        a, b = scaled_by_power_of_two(a, b)
        return a, b, _kl_value(a, b, orders, weights, raise_ties=True)

    (xs, ys, value), steps, rng, used_seed = _ties_treated(
        scaled, xs, ys, ties, (rng, used_seed), seed
    )
    se = None
    if rng is not None and level is not None:
        se = _jackknife_se(lambda a, b: _kl_value(a, b, orders, weights), xs, ys, rng)
    return KnnEstimate(
        value / log_base,
        divergence="kl",
        standard_error=None if se is None else se / log_base,
        ci_level=level,
        bounds=(0.0, math.inf / log_base),
        k=kk,
        n_x=n,
        n_y=m,
        dimension=d,
        base=base,
        seed=used_seed,
        bias_correction=correction,
        orders=orders,
        weights=weights,
        dequantized=steps,
    )


def _kl_value(
    xs: np.ndarray,
    ys: np.ndarray,
    orders: tuple[int, ...],
    weights: tuple[float, ...],
    *,
    raise_ties: bool = False,
) -> float:
    """The Wang-Kulkarni-Verdú estimate in nats, weighted over ``orders``.

    Each order's estimate carries its own log(m / (n - 1)) term; the neighbours of every order
    come from one query of each tree. NaN on a zero distance unless ``raise_ties`` (counted,
    and reported, at the smallest order: distances grow with the order).
    """
    n, d = xs.shape
    m = ys.shape[0]
    # the (k+1)-th neighbour of x_i in x, itself being the first (distance 0)
    rho = _kth_distances(xs, [order + 1 for order in orders], xs)
    nu = _kth_distances(ys, list(orders), xs)
    n_rho, n_nu = int(np.count_nonzero(rho[:, 0] == 0.0)), int(np.count_nonzero(nu[:, 0] == 0.0))
    if n_rho or n_nu:
        if raise_ties:
            if _all_distinct(xs, ys):
                raise_knn_underflow()
            raise_knn_ties(n_rho, n_nu, orders[0], n)
        return math.nan
    value = 0.0
    for j, w in enumerate(weights):
        total = float(np.sum(np.log(nu[:, j])) - np.sum(np.log(rho[:, j])))
        value += w * float(d * total / n + math.log(m / (n - 1)))
    return value


def js_knn(
    x: Any,
    y: Any,
    *,
    k: int | None = None,
    bias_correction: str | None = None,
    base: float | None = None,
    ci: float | None = None,
    seed: Any = None,
    ties: str = "dequantize",
) -> KnnEstimate:
    r"""Nearest-neighbour estimate of the Jensen-Shannon divergence of samples, in any dimension.

    The entropy route with matched neighbour balls:

    .. math:: \widehat{JSD} = \hat H_{2k}(M) - \tfrac12 \hat H_{k}(P) - \tfrac12 \hat H_{k'}(Q)

    where :math:`\hat H_k` is the Kozachenko-Leonenko entropy estimate from the distances to the
    k-th nearest neighbour, :math:`\hat H_{2k}(M)` is computed on a sample of the mixture
    :math:`M = (P + Q)/2` (x pooled with as many points of y, below), and the neighbour orders
    are chosen so that every ball holds the same expected probability mass, :math:`k/n`.

    Parameters
    ----------
    x, y : array_like, shape ``(n,)`` or ``(n, d)``
        Samples from P and Q: 1-D, or one point per row (sizes may differ; ``d`` must agree).
        A 2-D array is *one* multivariate sample, not a batch. Finite values only.
    k : int, optional
        Neighbour order in the smaller sample: :math:`1 \le k < \min(n_x, n_y)`. None
        (default) takes 10, or :math:`\min(n_x, n_y) - 1` for fewer than 11 points (Notes).
    bias_correction : {None, False, "ensemble"}, default None
        ``"ensemble"``: a weighted combination of the estimates at orders k, 2k, 4k and 8k
        (those below the smaller sample's size, or with ``ci`` what every jackknife replicate
        keeps of it; k = 5 unless given, less where that leaves no room for k and 2k) whose
        weights cancel the leading finite-sample bias (Notes). For d of about 4 and more.
    base : float, optional
        Logarithm base of the result; None (default) gives nats.
    ci : float or None, default None
        Confidence level of an interval on the result, e.g. 0.95 (Notes); None for none. It
        costs ten more estimates.
    seed : int, numpy.random.Generator or None
        Used when the sizes differ (which points of the larger sample join each mixture
        sample), for the interval's groups and for a dequantization (``ties``). None draws
        fresh entropy and reports it as ``seed`` on the result; with equal sizes, no ``ci``
        and no ties nothing is random.
    ties : {"dequantize", "raise"}, default "dequantize"
        Repeated values on one grid of equal steps are spread over their grid cells, other
        zero distances raise; ``"raise"`` uses the values as they are (:func:`kl_knn`, Notes:
        *Ties*).

    Returns
    -------
    KnnEstimate
        A float (the estimate clipped to :math:`[0, \log 2]`, the range of every JSD the
        library returns) with ``unclipped`` (the estimator's realisation, which sampling error
        can put outside that range: the one to average over replicates), ``interval`` (clipped
        to the range), ``standard_error``, ``k``, ``n_x``, ``n_y``, ``dimension`` and ``seed``.

    Raises
    ------
    ValueError
        When some k-th neighbour distance is 0 (repeated values), with what to do.

    Notes
    -----
    *Why the entropy route.* The Jensen-Shannon divergence is
    :math:`H(M) - \tfrac12 H(P) - \tfrac12 H(Q)`. The Kozachenko-Leonenko estimate
    :math:`\hat H_k = \psi(N) - \psi(k) + \log V_d + \tfrac{d}{N} \sum_i \log \rho_k(i)`
    (:math:`\rho_k(i)` the distance from point i to its k-th nearest other point of the N,
    :math:`V_d` the volume of the unit ball) is *linear* in the log-distances, and asymptotically
    unbiased at fixed k (Kozachenko & Leonenko 1987; Kraskov, Stögbauer & Grassberger 2004, eq.
    20), so the combination is too; :math:`V_d` cancels. Plugging k-NN density ratios into
    :math:`\log(2p/(p + q))` instead puts the noise of the ratio, of variance about
    :math:`2\psi'(k)`, inside a concave function: a bias of -0.05 nats at k = 5 and -0.013 at
    k = 20 for two equal laws, measured in any dimension and at any n.

    *Matched balls.* At finite n the entropy estimates are biased by the density varying across
    each neighbour ball; the bias grows with the ball's probability mass, about
    :math:`k/N`. The mixture sample has :math:`2 n_0` points (:math:`n_0 = \min(n_x, n_y)`)
    and uses order 2k; the smaller sample uses k; the larger, of size :math:`n_1`, uses
    :math:`k' = \operatorname{round}(k n_1 / n_0)`. All balls then hold a mass of about
    :math:`k / n_0`, and for :math:`P \approx Q` the biases of the three estimates cancel to
    first order. Measured with k = 5 for 8-D Gaussians, :math:`n_x = 300`, :math:`n_y = 3000`,
    P = Q: a bias of -0.001 nats matched and +0.071 with k everywhere. A query's cost grows with
    its order, so when :math:`k'` exceeds 64 the larger sample is cut into the fewest equal
    chunks whose orders :math:`k \cdot \text{size} / n_0` stay within 64 (the same ball mass),
    and its entropy is their size-weighted mean: 3 points against 30,000 then take about a
    second instead of 80.

    *Unequal sizes, exactly.* A sample of M needs as many points of P as of Q. The larger
    sample is permuted at random (``seed``) and cut cyclically into
    :math:`B = \lceil n_1 / n_0 \rceil` blocks of :math:`n_0` points (the last wraps round);
    each block pooled with the whole smaller sample is a sample of M (a subset of an i.i.d.
    sample chosen independently of its values is i.i.d.), and :math:`\hat H_{2k}(M)` is the
    mean of the B block estimates. Every point of the larger sample is used.

    *Choice of k.* Over Gaussian pairs in d = 1, 4 and 8 with 300 to 3000 points per sample
    (equal laws, and a shift of 0.5 with scale 1.2; 40 seeds), k = 10 had the smallest RMSE in
    most cells among k = 3, 5, 10, 20: a larger k lowers the variance (each log-distance carries
    :math:`\psi'(k)`) and raises the bias of the entropy estimates, which the matched balls
    cancel only where P and Q are close. Where the divergence is large in high d, k = 3-5 does
    slightly better (8-D, shift 0.5, n = 3000: RMSE 0.015 at k = 5 against 0.017 at k = 10).

    *Ensemble* (``bias_correction="ensemble"``). For smooth densities the bias of the
    Kozachenko-Leonenko estimates at order k grows like :math:`(k/n)^{2/d}` (the density's
    curvature across the ball), and in high d that decays slowly: in 8-D with a divergence of
    0.21 nats the bias at n = 3000 is -0.010 at k = 5 and -0.018 at k = 40. Following the
    weighted ensembles of Sricharan, Wei & Hero (2013), the estimates at orders
    :math:`k_l = k, 2k, 4k, 8k` are combined with the weights of least norm satisfying
    :math:`\sum_l w_l = 1` and :math:`\sum_l w_l k_l^{2/d} = 0`, which cancel that term
    whatever its constant (the weights depend on d only, not on n). Measured over 12 seeds with
    shift 0.5 and scale 1.2: in 8-D at n = 3000 a bias of +0.0015 against -0.0136 at k = 10
    (RMSE 0.008 against 0.016), in 16-D at n = 2000 +0.004 against -0.042 (RMSE 0.035
    against 0.043); in 4-D it removed nothing measurable. The weights' norm grows with d
    (0.65 at d = 1, 1.41 at d = 4, 5.2 at d = 16, 16 at d = 50), and with it the variance: in
    32-D and 50-D the ensemble of two equal laws returned 0.3-1.2 nats, so it is refused
    beyond d = 16, the largest dimension measured.

    *Interval.* With ``ci``, a delete-a-group jackknife: each sample is split at random
    (``seed``) into 10 groups (point i of a sample of n joins group ``permutation(n)[i] % 10``,
    drawn from the seed's generator for the smaller sample, then the larger, after the
    larger's own permutation above; :func:`kl_knn`: x, then y), the estimate is recomputed
    ten times leaving out one group of each, and ``standard_error`` is
    :math:`\sqrt{\tfrac{G-1}{G} \sum_g (\hat J_{(g)} - \bar J)^2}` with G = 10; the interval
    is the estimate :math:`\pm z` standard errors. The per-point terms of the estimate are
    positively correlated (neighbouring points share neighbours), so the naive standard error
    from their sample variance was too small: it covered 75-90% at the 95% level, the
    jackknife 93-100% (40 seeds per cell, the pairs above). The interval is for the
    estimator's expectation; where the finite-sample bias is not small against the standard
    error (large divergences in high d) it undercovers the divergence: 8-D, shift 0.5,
    300 against 3000 points, 0.47 at k = 10. Over 200 replicates of the Gaussian pair of
    ``benches.truths_nd`` with n = 1000 per side (``python -m benches.run --filter
    knn-coverage``): 0.94-0.98 up to d = 4, 0.59 at d = 8, and 0.965 at d = 8 with
    ``bias_correction="ensemble"``, which removes the bias the interval does not see: with an
    interval in d >= 8, use the ensemble.

    *Ties.* As :func:`kl_knn`: values on one grid of equal steps are dequantized (the JSD
    of the dequantized laws is that of the discrete laws), other zero distances raise.

    *Speed.* With equal sizes up to 100,000 points per sample, at every order up to 64 (k, or
    each order of the ensemble), every distance comes from one compiled pass over the pooled
    points: in a k-d tree's order, cut into blocks of 64 and superblocks of 1,024 whose
    bounding boxes let the pass skip what lies too far from both of two queries, each point's
    buffers of the nearest pooled and own-sample distances fill at once. It gives cKDTree's
    distances (to the last bit below 8 coordinates, where cKDTree
    sums the squares in the same order; beyond, it sums four interleaved partial sums, and the
    last bits may differ) faster than cKDTree's three queries in every case measured (one
    thread each, ``_pair_brute`` in ``divergences/knn.py``): 1.5-2.0x on Gaussian samples in
    1-4 dimensions from 300 to 100,000 points, 2.1-2.8x in 5-8, 3.3-4.8x in 16 (3,000 and
    10,000 points), 1.6-2.1x on points along a curve in 2-D and 8-D (where trees prune best),
    and shares the queries over the threads the library's policy allows. On 10,000 + 10,000
    points in 8-D (``python -m benches.run --filter knn-large``, an Intel Xeon, 2 cores):
    0.19-0.22 s on 2 threads over four runs, 0.38-0.41 s on 1, against 0.57-0.65 s on cKDTree
    with 2 threads and 1.57-1.69 s on scipy's default tree on 1. The pass is compiled (numba):
    the first call in a process loads it (about 0.3 s once). Unequal sizes, larger samples
    and orders above 64 take cKDTree.

    *Large and chunked data.* A neighbour is a property of the whole sample, so there is no
    chunk-by-chunk form like :class:`divergences.HistogramAccumulator`: a ``dask.array`` is
    computed into memory (``numpy.asarray``), and the cost is that of the pass above or of
    ``scipy.spatial.cKDTree`` (about :math:`n \log n` to build and query in low d, approaching
    :math:`n^2` in high d). For very large samples, a random subsample of each side estimates
    the same divergence with the spread of the subsample's size.

    References: L. F. Kozachenko & N. N. Leonenko (1987), Sample estimate of the entropy of a
    random vector, *Problems Inform. Transmission* 23(2), 95-101. K. Sricharan, D. Wei &
    A. O. Hero (2013), Ensemble estimators for multivariate entropy estimation, *IEEE Trans. Inf.
    Theory* 59(7), 4374-4388, doi:10.1109/TIT.2013.2251456. A. Kraskov, H. Stögbauer &
    P. Grassberger (2004), Estimating mutual information, *Phys. Rev. E* 69, 066138,
    doi:10.1103/PhysRevE.69.066138.

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(0, 1, (4000, 2)), rng.normal(0.5, 1.2, (4000, 2))
    >>> est = dv.js_knn(x, y, ci=0.95, seed=1)  # the truth: 0.0630 (Monte Carlo on the densities)
    >>> round(est, 3), [round(end, 3) for end in est.interval]
    (0.062, [0.051, 0.074])
    """
    log_base = check_base(base)
    level = check_ci(ci)
    xs, ys = sample_pair(x, y)
    n, d = xs.shape
    m = ys.shape[0]
    n0 = min(n, m)
    correction = check_knn_bias_correction(bias_correction, d)
    check_seed(seed, generator_ok=True)
    # the orders fit the smaller sample and, with ci, what every jackknife replicate keeps of it
    kept = n0 if level is None else jackknife_kept(n0, JACKKNIFE_GROUPS)
    room = kept - 1
    if k is None:
        # DEFAULT_JS_K; with the ensemble ENSEMBLE_K, or less where room is left for k and 2k
        first = min(ENSEMBLE_K, room // 2) if correction else min(DEFAULT_JS_K, room)
        kk = check_js_knn_k(max(1, first), n, m)
    else:
        kk = check_js_knn_k(k, n, m)
    if correction:
        held = "it has" if level is None else "every jackknife replicate keeps"
        need = f"more than {2 * kk} points in the smaller sample ({held} {kept})"
        orders = ensemble_orders(kk, kept, need)
    else:
        orders = (kk,)
    if level is not None:
        check_jackknife_size(n0, orders[-1], JACKKNIFE_GROUPS)
    weights = _ensemble_weights(orders, d)
    ties = check_knn_ties(ties)
    randomised = n != m or level is not None
    rng, used_seed = check_rng(seed) if randomised else (None, None)
    smaller = "x" if n <= m else "y"

    def pooled(
        xs: np.ndarray, ys: np.ndarray, rng: np.random.Generator | None
    ) -> tuple[np.ndarray, np.ndarray, float]:
        xs, ys = scaled_by_power_of_two(xs, ys)
        small, large = (xs, ys) if n <= m else (ys, xs)
        if rng is not None and n != m:
            # which points of the larger sample join each mixture sample: a random order, cut
            # cyclically into blocks (Notes)
            large = large[rng.permutation(large.shape[0])]
        value = sum(
            w * _js_value(small, large, order, raise_ties=True, smaller=smaller)
            for w, order in zip(weights, orders, strict=True)
        )
        return small, large, value

    (small, large, value), steps, rng, used_seed = _ties_treated(
        pooled, xs, ys, ties, (rng, used_seed), seed
    )
    se = None
    if rng is not None and level is not None:

        def estimate(a: np.ndarray, b: np.ndarray) -> float:
            return sum(w * _js_value(a, b, order) for w, order in zip(weights, orders, strict=True))

        se = _jackknife_se(estimate, small, large, rng)
    return KnnEstimate(
        value / log_base,
        divergence="js",
        standard_error=None if se is None else se / log_base,
        ci_level=level,
        bounds=(0.0, math.log(2.0) / log_base),
        k=kk,
        n_x=n,
        n_y=m,
        dimension=d,
        base=base,
        seed=used_seed,
        bias_correction=correction,
        orders=orders,
        weights=weights,
        dequantized=steps,
    )


def js_knn_batch(
    x: Any,
    y: Any,
    *,
    k: int | None = None,
    base: float | None = None,
    clip: bool = True,
    ties: str = "dequantize",
    seed: Any = None,
) -> np.ndarray:
    r""":func:`js_knn` of many equal-size pairs in one call: ``x[b]`` against ``y[b]``.

    Each value is ``float(js_knn(x[b], y[b], k=k, base=base, ties=ties, seed=s_b))`` up to
    rounding (the entropy route with matched balls, default k = 10), computed without a tree
    per sample; ``s_b`` is the pair's own seed (``ties``), used only by pairs on a grid.

    Parameters
    ----------
    x, y : array_like, shape ``(B, n, d)``
        B pairs of samples, ``n`` points in ``d`` dimensions each; every sample of both arrays
        has the same ``n`` (at least 2) and ``d``. Finite values only. A 2-D array is refused,
        not guessed: ``(n, d)`` is one sample (call :func:`js_knn`), and a batch of 1-D samples
        ``(B, n)`` is passed as ``x[:, :, None]``.
    k : int, optional
        Neighbour order: :math:`1 \le k < n`. None (default) takes 10, or ``n - 1`` for samples
        of fewer than 11 points, as :func:`js_knn`.
    base : float, optional
        Logarithm base of the results; None (default) gives nats.
    clip : bool, default True
        Clip each estimate to :math:`[0, \log 2]` (in the units of ``base``), as
        :func:`js_knn`'s value. False returns the estimator's realisations (``js_knn``'s
        ``unclipped``), which sampling error can put outside that range: the ones to average
        over the batch.
    ties : {"dequantize", "raise"}, default "dequantize"
        As :func:`js_knn`, pair by pair: a pair whose points lie on one common grid of equal
        steps (rounded or integer data) and repeat a value gets uniform noise of one grid step
        in each coordinate (js_knn's Notes); "raise" takes the values as they are. Pairs of
        continuous values are not touched (finding that they repeat no value is one sort of
        the batch).
    seed : int, numpy.random.Generator or None, optional
        The seed of the dequantization noise. Pair b draws its noise as ``js_knn(x[b], y[b],
        seed=s_b)`` does, with ``s_b = int(numpy.random.SeedSequence(root).generate_state(B,
        numpy.uint64)[b])`` and ``root`` the integer ``seed`` (from a Generator, one integer
        it draws; None: fresh entropy, so pass a seed to reproduce a batch of grid data).
        Each pair's noise is thus its own, whatever the other pairs hold.

    Returns
    -------
    numpy.ndarray
        float64, shape ``(B,)``: the estimates. An empty batch (B = 0) gives an empty array.

    Raises
    ------
    ValueError
        When some pair still has a k-th neighbour distance of 0 (repeated values off a common
        grid, or any with ``ties="raise"``): js_knn's message for the first such pair, prefixed
        with its index; for unequal sizes (use js_knn pair by pair), a 2-D array, non-finite
        values, k out of range, a ``ties`` that is neither "dequantize" nor "raise", or a
        negative ``seed``.
    TypeError
        When ``seed`` is not an integer, a Generator or None.

    Notes
    -----
    *The estimate* is :func:`js_knn`'s (see its Notes): :math:`\hat H_{2k}(M) - \tfrac12 \hat
    H_k(P) - \tfrac12 \hat H_k(Q)` with Kozachenko-Leonenko entropies (Kozachenko & Leonenko
    1987; Kraskov, Stögbauer & Grassberger 2004, eq. 20) on x pooled with y, on x and on y,
    each pair scaled by the power of two of its largest coordinate. With equal sizes and no
    interval js_knn draws nothing at random (the mixture sample is x and y whole) unless it
    dequantizes, so the batch matches it without a seed on continuous data, and pair by pair
    with the pairs' seeds on grid data. Unequal sizes would need js_knn's random blocks pair
    by pair, and are refused.

    *Neighbours by brute force.* For small samples building a ``cKDTree`` per sample costs
    more than the search. Here the 2n points of a pair are sorted by their first coordinate and
    each scans outwards, keeping its 2k (pooled) and k (own sample) smallest squared distances
    in bounded buffers, until the first coordinate alone rules out every further point. The
    squared distances are summed as cKDTree sums them, so the k-th distances, and with them the
    estimates, agree with :func:`js_knn`'s to the last bit or nearly (``tests/test_knn_batch.py``
    compares them pair by pair). The pairs are shared out over numba's threads when the machine
    has an idle core (the library's thread policy: a busy machine runs them on one thread, never
    slower). Above 20,000 points per sample in 1-D, 300 in 2-D, 200 in 3-D and 128 in more,
    each pair goes through js_knn's own route, for orders up to 64 its one-pass kernel, which
    is faster there (js_knn's Notes: *Speed*; the measured crossovers are in ``_batch_sweep`` in
    ``divergences/knn.py``). Before that kernel, against js_knn's trees, the sweep took 0.90 of
    their time at n = 1000 and 1.06 at 2000 in 2-D (AMD EPYC).

    *Measured* on an AMD EPYC with 2 cores, both busy with another job (medians of interleaved
    repeats; an idle machine is faster): 1000 pairs of 200 + 200 points in 2-D, k = 10, took
    0.89 s in one call on one thread and 1.55 s in a Python loop of js_knn, the same values to
    the last bit (``python -m benches.run --filter knn-batch``). Two threads took 0.94 s there:
    on a busy machine the policy keeps one.

    References: as :func:`js_knn`: Kozachenko & Leonenko (1987), *Problems Inform.
    Transmission* 23(2), 95-101; Kraskov, Stögbauer & Grassberger (2004), *Phys. Rev. E* 69,
    066138, doi:10.1103/PhysRevE.69.066138.

    Examples
    --------
    >>> import numpy as np, divergences as dv
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(0, 1, (3, 300, 2)), rng.normal(0.5, 1.2, (3, 300, 2))
    >>> values = dv.js_knn_batch(x, y)
    >>> values.shape, bool(np.allclose(values, [dv.js_knn(a, b) for a, b in zip(x, y)]))
    ((3,), True)
    >>> dv.js_knn_batch(x[:, :, :1], y[:, :, :1], k=5, base=2).round(3)  # 1-D samples, in bits
    array([0.087, 0.062, 0.061])
    """
    log_base = check_base(base)
    xs = as_knn_batch(x, "x")
    ys = as_knn_batch(y, "y")
    check_knn_batch_pair(xs, ys)
    clip = check_knn_clip(clip)
    ties = check_knn_ties(ties)
    check_seed(seed, generator_ok=True)
    n_pairs, n = xs.shape[:2]
    kk = check_js_knn_batch_k(max(1, min(DEFAULT_JS_K, n - 1)) if k is None else k, n)
    if n_pairs == 0:
        return np.empty(0)
    untreated = None
    if ties == "dequantize":
        xs, ys, untreated = _dequantized_pairs(xs, ys, seed)
    values = _js_values_batch(xs, ys, kk, untreated) / log_base
    # (a base below 1 flips the signs, and the range's ends with them)
    low, high = sorted((0.0, math.log(2.0) / log_base))
    return np.clip(values, low, high) if clip else values


def _dequantized_pairs(
    xs: np.ndarray, ys: np.ndarray, seed: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The batch with the pairs on a common grid that repeat a value dequantized as js_knn does.

    Only pairs that repeat a value in some coordinate can be (:func:`grid_steps`), and one sort
    of the pooled batch finds them. Returns the samples (copies if any pair changed) and which
    pairs were left as they were (their ties message then says why).
    """
    n_pairs = xs.shape[0]
    untreated = np.ones(n_pairs, dtype=bool)
    ordered = np.sort(np.concatenate([xs, ys], axis=1), axis=1)
    repeating = np.flatnonzero((np.diff(ordered, axis=1) == 0.0).any(axis=(1, 2)))
    seeds = None
    for b in (int(i) for i in repeating):
        try:
            grid = grid_steps(xs[b], ys[b])
        except ValueError as error:
            raise ValueError(f"pair {b} (x[{b}], y[{b}]): {error}") from None
        if grid is None or not grid[1]:
            continue
        if seeds is None:
            seeds = pair_seeds(seed, n_pairs)
            xs, ys = xs.copy(), ys.copy()
        # js_knn(x[b], y[b], seed=seeds[b])'s treatment (_ties_treated), step for step
        pair_seed = int(seeds[b])
        rng = np.random.default_rng(pair_seed)
        origin = np.minimum(xs[b].min(axis=0), ys[b].min(axis=0))
        xs[b], ys[b] = dequantized(
            xs[b] - origin, ys[b] - origin, grid[0], _noise_generator(rng, pair_seed)
        )
        untreated[b] = False
    return xs, ys, untreated


def pair_seeds(seed: Any, n_pairs: int) -> np.ndarray:
    """js_knn_batch's seed of each pair: ``SeedSequence(root).generate_state(n_pairs, uint64)``.

    ``root`` is the integer seed, one integer drawn from a Generator, or fresh entropy for None.
    """
    rng, root = check_rng(seed)
    if root is None:
        root = int(rng.integers(0, 2**63))
    state: np.ndarray = np.random.SeedSequence(root).generate_state(n_pairs, np.uint64)
    return state


def _ties_message(error: ValueError, b: int, untreated: np.ndarray | None) -> str:
    """The message of pair b's zero distances: js_knn's, as its ``ties`` would word it."""
    if untreated is not None and untreated[b] and isinstance(error, KnnTies):
        return not_dequantized(error)
    return str(error)


def _js_values_batch(
    xs: np.ndarray, ys: np.ndarray, kk: int, untreated: np.ndarray | None = None
) -> np.ndarray:
    """_js_value of every pair in nats, unclipped.

    Neighbours from the batch's sweep, or (above ``_batch_sweep``'s sizes) js_knn's own route
    pair by pair.
    ``untreated``: the pairs ties="dequantize" left as they were (None: ties="raise").
    """
    n_pairs, n = xs.shape[:2]
    # each pair scaled by the power of two of its largest coordinate, exactly as js_knn scales
    largest = np.maximum(np.abs(xs).max(axis=(1, 2)), np.abs(ys).max(axis=(1, 2)))
    exponent = np.frexp(largest)[1][:, None, None]
    xs, ys = np.ldexp(xs, -exponent), np.ldexp(ys, -exponent)
    if not _batch_sweep(n, xs.shape[2]):
        values = np.empty(n_pairs)
        for b in range(n_pairs):
            try:
                values[b] = _js_value(xs[b], ys[b], kk, raise_ties=True)
            except ValueError as error:
                message = _ties_message(error, b, untreated)
                raise ValueError(f"pair {b} (x[{b}], y[{b}]): {message}") from None
        return values
    return _js_values_brute(xs, ys, kk, untreated)


def _batch_sweep(n: int, d: int) -> bool:
    """Whether js_knn_batch's pairs of n points in d dimensions take the batch's sweep.

    Above, each pair takes js_knn's route (for equal sizes up to PAIR_MAX_N and orders up to
    64, the one-pass kernel). Measured on an Intel Xeon, one thread each (the sweep's time per
    pair over the route's, Gaussian pairs): in 1-D 0.29-0.39 from 50 to 1000 points, 0.57 at
    3,000 and 0.41 at 20,000 (the sorted sweep costs about n k there: it never turns
    quadratic); in 2-D 0.99 at 200, 1.11 at 300, 1.39 at 500; in 3-D 0.94 at 100, 1.17 at
    200; in 4-D 0.99 at 100, 1.13 at 150; in 8-D 1.02 at 70, 1.30 at 100; in 16-D 0.97 at 50,
    1.23 at 100. From 2-D the limits sit a little above the one-thread crossovers (up to
    1.2-1.4 there): the sweep shares the pairs over the threads, the route each pair's queries.
    """
    if d == 1:
        return n <= BRUTE_MAX_N
    return n <= min(BRUTE_MAX_N, BRUTE_MAX_N_BY_D.get(d, BRUTE_MAX_N_HIGH_D))


def _js_values_brute(
    xs: np.ndarray, ys: np.ndarray, k: int, untreated: np.ndarray | None = None
) -> np.ndarray:
    """_js_value of every pair of equal sizes in nats, neighbours from the brute-force kernel.

    Every operation after the distances is _js_value's, in its order, on rows.
    """
    from scipy.special import digamma

    n_pairs, n, d = xs.shape
    chunks = _large_chunks(k, n, n)
    bounds = np.array([start for start, _, _ in chunks] + [n], dtype=np.int64)
    orders = np.array([order for _, _, order in chunks], dtype=np.int64)
    pooled = np.concatenate([xs, ys], axis=1)
    r_pool, r_x, r_y = _compiled.kth_distances_batch(pooled, n, k, bounds, orders)
    zeros = [np.count_nonzero(r == 0.0, axis=1) for r in (r_pool, r_x, r_y)]
    tied = np.flatnonzero(zeros[0] + zeros[1] + zeros[2])
    if tied.size:
        b = int(tied[0])
        try:
            if _all_distinct(xs[b], ys[b]):
                raise_knn_underflow()
            raise_knn_ties_js(int(zeros[0][b]), int(zeros[1][b]), int(zeros[2][b]), k, "x")
        except ValueError as error:
            others = f"; {tied.size - 1} more pair(s) too" if tied.size > 1 else ""
            message = _ties_message(error, b, untreated)
            raise ValueError(f"pair {b} (x[{b}], y[{b}]){others}: {message}") from None
    log_y = np.log(r_y)
    h_mixture = float(digamma(2 * n) - digamma(2 * k)) + d * np.mean(np.log(r_pool), axis=1)
    h_small = float(digamma(n) - digamma(k)) + d * np.mean(np.log(r_x), axis=1)
    h_large = np.zeros(n_pairs)
    for start, stop, order in chunks:
        size = stop - start
        entropy = float(digamma(size) - digamma(order)) + d * np.mean(log_y[:, start:stop], axis=1)
        h_large += entropy * size / n
    values: np.ndarray = h_mixture - 0.5 * h_small - 0.5 * h_large
    return values


def _ensemble_weights(orders: tuple[int, ...], d: int) -> tuple[float, ...]:
    """Least-norm weights with sum 1 that cancel a bias term proportional to k^(2/d).

    One order: weight 1. The term's scale (n^(-2/d)) drops out of the constraint, so the
    weights depend on the orders' ratios and d only.
    """
    if len(orders) == 1:
        return (1.0,)
    u = np.asarray(orders, dtype=float) ** (2.0 / d)
    u = u / u[0]
    a = np.vstack([np.ones_like(u), u])
    w = a.T @ np.linalg.solve(a @ a.T, np.array([1.0, 0.0]))
    return tuple(float(v) for v in w)


def _js_value(
    small: np.ndarray,
    large: np.ndarray,
    k: int,
    *,
    raise_ties: bool = False,
    smaller: str = "x",
) -> float:
    """The matched-ball entropy-route estimate in nats; ``large`` already in random order.

    NaN on a zero distance unless ``raise_ties``.
    """
    from scipy.special import digamma

    n0, d = small.shape
    n1 = large.shape[0]
    chunks = _large_chunks(k, n0, n1)
    pools, r_small, r_chunks = _js_distances(small, large, k, chunks)
    mixture = 0.0
    zeros = 0
    with np.errstate(divide="ignore"):
        for r in pools:
            zeros += int(np.count_nonzero(r == 0.0))
            mixture += float(np.mean(np.log(r)))
        zeros_small = int(np.count_nonzero(r_small == 0.0))
        h_large, zeros_large = 0.0, 0
        for (start, stop, order), r_chunk in zip(chunks, r_chunks, strict=True):
            size = stop - start
            zeros_large += int(np.count_nonzero(r_chunk == 0.0))
            entropy = float(digamma(size) - digamma(order)) + d * float(np.mean(np.log(r_chunk)))
            h_large += entropy * size / n1
    if zeros or zeros_small or zeros_large:
        if raise_ties:
            if _all_distinct(small, large):
                raise_knn_underflow()
            raise_knn_ties_js(zeros, zeros_small, zeros_large, k, smaller)
        return math.nan
    h_mixture = float(digamma(2 * n0) - digamma(2 * k)) + d * mixture / len(pools)
    h_small = float(digamma(n0) - digamma(k)) + d * float(np.mean(np.log(r_small)))
    return float(h_mixture - 0.5 * h_small - 0.5 * h_large)


def _js_distances(
    small: np.ndarray, large: np.ndarray, k: int, chunks: list[tuple[int, int, int]]
) -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray]]:
    """The neighbour distances of _js_value, itself counted as each point's first neighbour.

    Per mixture sample (the smaller sample pooled with a block of n_0 points of the larger),
    the (2k + 1)-th in the pool; the smaller sample's (k + 1)-th; per chunk of the larger
    (``chunks``, from _large_chunks), the (order + 1)-th in the chunk. Equal sizes (one block,
    one chunk of order k) take all three from one pass over the pooled points where that is
    faster (``_pair_brute``), else each comes from a cKDTree query: the same distances (to the
    last bit below 8 coordinates; beyond, cKDTree sums the squares in another order).
    """
    n0, d = small.shape
    n1 = large.shape[0]
    if n0 == n1 and chunks == [(0, n1, k)] and _pair_brute(n0, d):
        from scipy.spatial import cKDTree

        pooled = np.concatenate([small, large])
        # the points in the order of a k-d tree's leaves: near points share the pass's blocks
        order = cKDTree(pooled, leafsize=16).indices
        r_pool, r_own = _compiled.kth_distances_pair(pooled, n0, k, order)
        return [r_pool], r_own[:n0], [r_own[n0:]]
    pools = []
    for b in range(-(-n1 // n0)):
        pooled = np.concatenate([small, large[(b * n0 + np.arange(n0)) % n1]])
        pools.append(_kth_distance(pooled, 2 * k + 1, pooled))
    r_small = _kth_distance(small, k + 1, small)
    # the larger sample at order k n_1 / n_0 (the same ball mass), in as few chunks as keep
    # that order at most MAX_ORDER: the query's cost grows with the order
    r_chunks = [
        _kth_distance(large[start:stop], order + 1, large[start:stop])
        for start, stop, order in chunks
    ]
    return pools, r_small, r_chunks


def _pair_brute(n: int, d: int) -> bool:
    """Whether js_knn's distances for two samples of n points in d dimensions come in one pass.

    ``_compiled.kth_distances_pair`` computes the pooled and both own-sample distances in one
    scan of blocks of the pooled points, skipping superblocks and blocks whose bounding box lies
    beyond both buffers. Its box checks grow like n^2 / 1024, the trees' work like n log n in
    low (intrinsic) dimension, so beyond some n the trees must win; up to PAIR_MAX_N they did
    not in any case measured. Measured on an Intel Xeon (default k = 10, one thread each,
    medians of 3-11 interleaved repeats; the trees' time over the pass's): Gaussian pairs,
    1.5-2.0x in 1-3 dimensions from 300 to 100,000 points per sample, 1.7x in 4-D and 2.4x in
    6-D at 100,000, 2.6-2.8x in 8-D at 10,000, 2.1x in 5-D at 60,000, 3.3x and 4.8x in 16-D
    at 3,000 and 10,000; points on a curve (intrinsic
    dimension 1, where trees prune best) 1.6-1.7x in 2-D and 8-D at 100,000, 2.1x in 8-D at
    60,000; a plane in 6-D 1.7x at 60,000. ``d`` is not used: no dimension measured needed
    another limit.
    """
    return n <= PAIR_MAX_N


def _large_chunks(k: int, n0: int, n1: int) -> list[tuple[int, int, int]]:
    """``(start, stop, order)`` of the chunks of the larger sample and their neighbour orders.

    As few chunks as keep the order of the same ball mass, ``k * size / n0``, at most
    MAX_ORDER (``np.array_split``'s sizes); one chunk of order k when the sizes are equal and
    k <= MAX_ORDER.
    """
    parts = np.array_split(np.arange(n1), -(-round(k * n1 / n0) // MAX_ORDER))
    return [
        (int(part[0]), int(part[-1]) + 1, min(part.size - 1, max(1, round(k * part.size / n0))))
        for part in parts
    ]


def _jackknife_se(
    estimate: Callable[[np.ndarray, np.ndarray], float],
    a: np.ndarray,
    b: np.ndarray,
    rng: np.random.Generator,
    groups: int = 0,
) -> float:
    """Delete-a-group jackknife standard error of ``estimate(a, b)``.

    Each sample is split at random into ``groups`` groups of (nearly) equal size; replicate g
    leaves out group g of both. A replicate that meets a zero distance (a tie left as the k-th
    neighbour once points are removed) is left out of the variance.
    """
    g = groups or JACKKNIFE_GROUPS
    label_a = rng.permutation(a.shape[0]) % g
    label_b = rng.permutation(b.shape[0]) % g
    replicates = np.array([estimate(a[label_a != i], b[label_b != i]) for i in range(g)])
    replicates = replicates[np.isfinite(replicates)]
    if replicates.size < 2:
        raise_jackknife_ties(g - replicates.size, g)
    used = replicates.size
    # (g - 1)/g times the sum over g replicates, that sum estimated from the ones left
    return math.sqrt((g - 1) / used * float(np.sum((replicates - replicates.mean()) ** 2)))


def sample_pair(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Two samples of points of one dimension, as float64 ``(n, d)`` arrays."""
    xs = as_knn_sample(x, "x")
    ys = as_knn_sample(y, "y")
    if xs.shape[1] != ys.shape[1]:
        check_sample_pair_nd(xs, ys)
    return xs, ys


def _ties_treated(
    compute: Callable[[np.ndarray, np.ndarray, np.random.Generator | None], Any],
    xs: np.ndarray,
    ys: np.ndarray,
    ties: str,
    rng_and_seed: tuple[np.random.Generator | None, int | None],
    seed: Any,
) -> tuple[Any, tuple[float, ...] | None, np.random.Generator | None, int | None]:
    """``compute(xs, ys, rng)`` after the treatment ``ties`` says for values on a grid.

    With ``"dequantize"``, samples on one common grid (:func:`grid_steps`) that repeat a value
    are spread over their cells first, whether or not the repeats make a distance 0 at this k
    (the raw lattice is not a sample of a density either way). Returns the result, the grid
    steps (None without a dequantization), and the random generator with the seed to report
    (drawn here if the estimate had none and dequantizes). Zero distances leave as a
    ValueError that says why they were not dequantized.
    """
    rng, used_seed = rng_and_seed
    grid = grid_steps(xs, ys) if ties == "dequantize" else None
    steps = None
    if grid is not None and grid[1]:
        steps = grid[0]
        if rng is None:
            rng, used_seed = check_rng(seed)
        # the origin first: the estimates are invariant under a shift, and noise of one step
        # added at 1e14 would round away
        origin = np.minimum(xs.min(axis=0), ys.min(axis=0))
        xs, ys = dequantized(xs - origin, ys - origin, steps, _noise_generator(rng, used_seed))
    try:
        return compute(xs, ys, rng), steps, rng, used_seed
    except KnnTies as error:
        if ties == "raise" or steps is not None:
            raise ValueError(str(error)) from None
        raise ValueError(not_dequantized(error)) from None


#: Mixed into the seed of the dequantization noise, so that its stream is none of those a user
#: derives from the same seed: default_rng(seed), nor its children default_rng(seed).spawn(k)
#: (noise made of the uniforms that drew the values gave a KL of 2.5-7.2 nats for 0.8-0.94)
NOISE_TAG = 0x64657175


def _noise_generator(rng: np.random.Generator, used_seed: int | None) -> np.random.Generator:
    """The generator of the dequantization noise, from the estimate's seed (see NOISE_TAG)."""
    if used_seed is not None:
        return np.random.default_rng([used_seed, NOISE_TAG])
    # a Generator was passed: its next draws are independent of what it drew before
    return np.random.default_rng([*(int(v) for v in rng.integers(0, 2**32, size=4)), NOISE_TAG])


#: Largest departure, in steps, of a gap between distinct values from a whole number of grid
#: steps for the values to count as lying on a grid; widened where the values' size makes
#: float32 rounding larger (up to GRID_TOLERANCE_MAX), never further: continuous values pass
#: with a probability of about (2 x tolerance) per gap.
GRID_TOLERANCE = 1e-6
GRID_TOLERANCE_MAX = 1e-3
#: x and y count as one grid only if its step is at least this share of each sample's own step
#: (integers against half-integers are one grid of step 1/2; integers against integers + 1e-9
#: are two grids, refused rather than read as laws without a common value)
GRID_OFFSET_SHARE = 1.0 / 16.0


def _gap_step(values: np.ndarray) -> tuple[float | None, bool]:
    """Step of the grid the sorted distinct ``values`` lie on (None: not one).

    The second value says whether there is no gap at all (a single value).
    """
    if values.size < 2:
        return None, True
    gaps = np.diff(values)  # (a gap between huge values of both signs overflows to inf)
    h = float(gaps.min())
    # a step of a subnormal against gaps of 1 makes multiples beyond the float range (inf, and
    # inf - inf): not a grid anyone rounded to, and every comparison with nan is False
    with np.errstate(over="ignore", invalid="ignore"):
        tolerance = min(
            GRID_TOLERANCE_MAX, max(GRID_TOLERANCE, 2.0**-20 * float(np.max(np.abs(values))) / h)
        )
        multiples = gaps / h
        on_grid = bool(np.all(np.abs(multiples - np.rint(multiples)) <= tolerance))
        # noise of one step must be representable across the span from the origin (beyond
        # 2^52 steps every float is a multiple of the step, and no grid is meant)
        span = float(values[-1]) - float(values[0])
    on_grid = on_grid and math.isfinite(h) and math.isfinite(span) and span / h < 2.0**52
    return (h if on_grid else None), False


def grid_steps(xs: np.ndarray, ys: np.ndarray) -> tuple[tuple[float, ...], bool] | None:
    """The step of each coordinate if x and y lie on one common grid, else None.

    The second value says whether they repeat a value in some coordinate. A coordinate is on a
    grid of step h when every gap between its distinct values (x and y pooled) is a whole
    multiple of the smallest gap h (``GRID_TOLERANCE``): integers, counts and values rounded to
    a number of decimals are; continuous values almost never are. A coordinate constant in both
    samples lies on every grid: it takes the median step of the others (1 if there are none),
    and the noise added there changes neither KL nor JSD (both laws get the same independent
    factor). Raises ValueError when x and y repeat values on two grids offset by less than
    ``GRID_OFFSET_SHARE`` of a step.
    """
    n = xs.shape[0] + ys.shape[0]
    steps: list[float | None] = []
    offsets = []
    repeats = False
    for j in range(xs.shape[1]):
        values = np.unique(np.concatenate([xs[:, j], ys[:, j]]))
        h, constant = _gap_step(values)
        if h is None and not constant:
            return None
        repeats = repeats or values.size < n
        if h is not None:
            own = [_gap_step(np.unique(s[:, j]))[0] for s in (xs, ys)]
            finest = min((step for step in own if step is not None), default=h)
            if h < GRID_OFFSET_SHARE * finest:
                offsets.append((j, finest, h))
        steps.append(h)
    if repeats and offsets:
        j, finest, h = offsets[0]
        raise ValueError(
            f"x and y lie on grids of step {finest:g} offset from each other by {h:g} in "
            f"coordinate {j} (their common grid would be {finest / h:.3g} times finer): their "
            f"discrete laws would share no value. If the offset is rounding, round both samples "
            f"to one grid; if the values are continuous, ties='raise' uses them as they are."
        )
    known = [h for h in steps if h is not None]
    fill = float(np.median(known)) if known else 1.0
    return tuple(fill if h is None else h for h in steps), repeats


def dequantized(
    xs: np.ndarray, ys: np.ndarray, steps: tuple[float, ...], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The samples plus uniform noise of one grid step per coordinate, centred on each value.

    On a common grid each value stands for its cell; spreading it uniformly over the cell
    makes both laws piecewise constant on the same cells, whose densities have the ratios of the
    cells' probabilities: KL and JSD of the dequantized laws equal those of the discrete ones.
    """
    h = np.asarray(steps)
    return (
        xs + (rng.random(xs.shape) - 0.5) * h,
        ys + (rng.random(ys.shape) - 0.5) * h,
    )


def scaled_by_power_of_two(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both samples scaled by the power of two of their largest coordinate, exactly.

    The estimates are invariant under scaling all points by c (every sum of log-distances moves
    by a multiple of log c that cancels): scaling by a power of two makes squared distances
    neither overflow (NaN from inf - inf) nor underflow (false ties) in the tree.
    """
    exponent = common_exponent(xs, ys)
    if exponent:
        return np.ldexp(xs, -exponent), np.ldexp(ys, -exponent)
    return xs, ys


def common_exponent(xs: np.ndarray, ys: np.ndarray) -> int:
    """The power of two of the largest coordinate of both samples (0 if all are 0).

    Scaled by ``2**-exponent`` (exactly), every coordinate lies in ``[-1, 1]``.
    """
    largest = max(float(np.max(np.abs(xs))), float(np.max(np.abs(ys))))
    return math.frexp(largest)[1] if largest > 0.0 else 0


def _all_distinct(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether no point occurs twice in the two samples together."""
    pooled = np.concatenate([a, b])
    return bool(np.unique(pooled, axis=0).shape[0] == pooled.shape[0])


def _kth_distance(points: np.ndarray, k: int, queries: np.ndarray) -> np.ndarray:
    """Distance from each query to its k-th nearest point (a query in ``points`` is its own 1st)."""
    distances: np.ndarray = _kth_distances(points, [k], queries)[:, 0]
    return distances


def _kth_distances(points: np.ndarray, ks: list[int], queries: np.ndarray) -> np.ndarray:
    """:func:`_kth_distance` at each order of ``ks``, one query: shape ``(queries, len(ks))``.

    The tree's leaves hold :func:`leaf_size` points, and the queries are shared out over the
    threads the policy allows now (``_compiled.thread_count``: one on a busy machine). Neither
    changes a distance: each is summed over the coordinates of one pair of points, the same
    way whatever the tree's shape or the thread that asks.
    """
    from scipy.spatial import cKDTree

    tree = cKDTree(points, leafsize=leaf_size(points.shape[1]))
    work = queries.shape[0] * queries.shape[1]
    workers = _compiled.thread_count() if work >= PARALLEL_MIN_QUERY_WORK else 1
    distances: np.ndarray = tree.query(queries, k=ks, workers=workers)[0]
    return distances


def leaf_size(d: int) -> int:
    """Points per leaf of the k-d tree in d dimensions: 8 d, within [16, 128].

    scipy's default (16) is the fastest in 1-2 dimensions; in more, a query visits many leaves
    and larger ones are cheaper to scan than to reach. Measured on an AMD EPYC (1,000 and
    20,000 standard normal points queried against themselves at orders 5 and 21, one thread),
    against leaves of 16: d = 4, leaves of 32, 1.0-1.08x faster; d = 8, 64: 1.2-1.4x; d = 16,
    128: 1.3-1.9x (the larger n, the larger the gain). The distances are the same for every size.
    """
    return min(128, max(16, 8 * d))

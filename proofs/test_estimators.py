"""Claims about the plug-in histogram estimators: consistency, bias order, bin saturation.

Sources: Wang, Kulkarni & Verdú (2005/2009) on consistency with data-dependent partitions;
Miller (1955) and Paninski (2003) on the sampling bias of plug-in information estimates; seed 001
on the discriminator that overfits (its finite-sample face: JSD saturating at log 2).
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

import divergences as dv
from divergences.claims import claim, expect, tally
from divergences.reference import js_normal, kl_multivariate_normal, kl_normal

from .sources import seed
from .tolerances import SIGNIFICANCE, Z_SCORE

LOG2 = math.log(2.0)
P, Q = stats.norm(0.0, 1.0), stats.norm(0.5, 1.2)
JS_TRUE = float(js_normal(0.0, 1.0, 0.5, 1.2))
KL_TRUE = float(kl_normal(0.0, 1.0, 0.5, 1.2))
#: Fixed range of the uniform bins: the mass of P and Q outside it is below 1e-7.
RANGE = (-6.0, 7.0)
SIZES = (1_000, 10_000, 100_000, 1_000_000)


def bin_masses(dist, edges: np.ndarray) -> np.ndarray:
    """Exact bin probabilities, renormalised to the range.

    cdf differences below the median, sf differences above it, so the upper tail does not round
    to 1 - 1.
    """
    lower = np.diff(dist.cdf(edges))
    upper = -np.diff(dist.sf(edges))
    masses = np.where(edges[1:] <= dist.median(), lower, upper)
    return masses / masses.sum()


def js_envelope(n: int, edges: np.ndarray) -> tuple[float, float, float]:
    """Binned truth, first-order bias and delta-method sd of the plug-in JSD on fixed edges.

    Two samples of size n.
    With p_hat = p + e, q_hat = q + d (multinomial), the second-order expansion of the separable
    JSD gives E[JSD_hat] - JSD(p, q) ~ (1/4n) sum [q(1-p) + p(1-q)]/(p+q), which is (K-1)/(4n)
    for p = q; bins with expected counts << 1 contribute less than this, so it bounds the bias.
    The first-order term gives Var = Var_p(g)/n + Var_q(h)/n with g, h = (1/2) log(2p/(p+q)),
    (1/2) log(2q/(p+q)).
    """
    p, q = bin_masses(P, edges), bin_masses(Q, edges)
    s = p + q
    binned = float(dv.js_divergence(p, q))
    bias = float(np.sum((q * (1 - p) + p * (1 - q)) / s)) / (4 * n)
    g, h = 0.5 * np.log(2 * p / s), 0.5 * np.log(2 * q / s)
    var = (np.sum(g * g * p) - np.sum(g * p) ** 2 + np.sum(h * h * q) - np.sum(h * q) ** 2) / n
    return binned, bias, math.sqrt(var)


def derived_tolerance(n: int, edges: np.ndarray) -> float:
    """|binned truth - truth| + bias bound + Z standard deviations: where every seed must land."""
    binned, bias, sd = js_envelope(n, edges)
    return abs(binned - JS_TRUE) + bias + Z_SCORE * sd


def js_bins(n: int) -> int:
    """The JSD check's bin count: ceil(2 n^(1/3)), growing slower than n."""
    return math.ceil(2 * n ** (1 / 3))


def plugin_js(x: np.ndarray, y: np.ndarray, edges: np.ndarray) -> float:
    """The library's plug-in JSD of two samples on fixed edges."""
    return float(dv.js_from_samples(x, y, bins=edges).value)


def halves_dropped_js(x: np.ndarray, y: np.ndarray, edges: np.ndarray) -> float:
    """KL(P_hat || M_hat) + KL(Q_hat || M_hat): the plug-in JSD without its halves."""
    p, q = np.histogram(x, edges)[0], np.histogram(y, edges)[0]
    p, q = p / p.sum(), q / q.sum()  # values beyond the edges dropped, as the library does
    m = (p + q) / 2
    return float(dv.kl_divergence(p, m) + dv.kl_divergence(q, m))


@dataclass(frozen=True)
class PluginJS:
    """A histogram plug-in JSD: how many uniform bins on RANGE for n, and the estimate on them."""

    bins: Callable[[int], int]
    estimate: Callable[[np.ndarray, np.ndarray, np.ndarray], float]


@claim(
    "estimate.consistency",
    statement=(
        r"The histogram plug-in JS estimate converges to the true value as $n \to \infty$ with "
        "bins growing slower than $n$ (checked against the quadrature JSD)."
    ),
    source="Wang, Kulkarni & Verdú (2005)",
    locator="IEEE T-IT 51(9) Thm 1 (consistency of partition-based estimates)",
    check=(
        r"$x \sim N(0, 1)$, $y \sim N(0.5, 1.2^2)$, $n = 10^3, \dots, 10^6$, the estimator's "
        r"number of uniform bins on $[-6, 7]$ ($\lceil 2 n^{1/3} \rceil$ for the library's). "
        "From the exact bin probabilities: a tolerance of $|\\text{binned truth} - "
        r"\text{truth}|$ + the first-order bias + $Z$ delta-method standard deviations of the "
        "quadrature truth, which must shrink with $n$ to below 3% of the truth at $n = 10^6$ "
        "(it cannot if the bins grow as fast as $n$), and every seed's estimate must lie within "
        "it (40 seeds, 10 at $10^6$)."
    ),
    subject=PluginJS(bins=js_bins, estimate=plugin_js),
    figure="consistency.png",
    falsifiers=[
        (
            r"bins of about 5 values each (the chi-square table's rule of thumb), $K = n/5$: "
            r"bins growing as fast as $n$",
            PluginJS(bins=lambda n: n // 5, estimate=plugin_js),
        ),
        (
            r"the halves dropped: $KL(\hat P \| \hat M) + KL(\hat Q \| \hat M)$",
            PluginJS(bins=js_bins, estimate=halves_dropped_js),
        ),
    ],
)
def test_consistency(estimator: PluginJS):
    rng = np.random.default_rng(2005)
    edges = {n: np.linspace(*RANGE, estimator.bins(n) + 1) for n in SIZES}
    tolerances = [derived_tolerance(n, edges[n]) for n in SIZES]
    expect(
        all(b < a for a, b in itertools.pairwise(tolerances)) and tolerances[-1] <= 0.03 * JS_TRUE,
        "the JSD tolerance does not shrink",
        observed=tolerances,
        expected="decreasing, < 3% of the truth at n = 1e6",
    )
    for n, tol in zip(SIZES, tolerances, strict=True):
        for _ in range(40 if n < 1_000_000 else 10):
            tally()
            x, y = rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.2, n)
            js = estimator.estimate(x, y, edges[n])
            expect(
                abs(js - JS_TRUE) <= tol,
                f"plug-in JSD at n = {n}",
                observed=js,
                expected=f"{JS_TRUE} +- {tol:.3g}",
                repro=f"n={n}, K={len(edges[n]) - 1}",
            )


def wkv_edges(x: np.ndarray, y: np.ndarray, k: int) -> np.ndarray:
    """Wang-Kulkarni-Verdú partition: k bins of equal y-count, outer edges widened to cover x."""
    edges = np.quantile(y, np.linspace(0.0, 1.0, k + 1))
    edges[0], edges[-1] = min(edges[0], x.min()), max(edges[-1], x.max())
    return edges


def wkv_partition(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The check's partition: ceil(n^(1/3)) bins of equal y-count."""
    return wkv_edges(x, y, math.ceil(len(y) ** (1 / 3)))


def five_per_bin(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Equal-width bins on the pooled range, about 5 values of each sample per bin."""
    pooled = np.concatenate([x, y])
    return np.linspace(pooled.min(), pooled.max(), len(y) // 5 + 1)


@claim(
    "estimate.consistency.wkv-kl",
    statement=(
        r"The histogram plug-in KL estimate on $K \to \infty$ bins of equal $y$-count, $K/n \to "
        r"0$, is finite and converges to $KL(P \| Q)$ as $n \to \infty$ (checked against the "
        "closed-form Gaussian KL)."
    ),
    source="Wang, Kulkarni & Verdú (2005)",
    locator="IEEE T-IT 51(9) Thm 1 (data-dependent partitions)",
    check=(
        r"$x \sim N(0, 1)$, $y \sim N(0.5, 1.2^2)$, $n = 10^3, \dots, 10^6$, the partition under "
        r"test (for the statement: $\lceil n^{1/3} \rceil$ bins of equal $y$-count, the outer "
        r"edges widened to cover $x$), `kl_from_samples` on it: every estimate finite, and the "
        "RMSE over seeds (30, 10 at $10^6$) at most $0.6$ times its value a decade earlier and "
        "below 1% of the closed form `kl_normal` at $n = 10^6$."
    ),
    subject=wkv_partition,
    figure="consistency.png",
    falsifiers=[
        (
            r"equal-width bins of about 5 values each on the pooled range, $K = n/5$ (the "
            r"chi-square table's rule of thumb): bins where $x$ has values and $y$ none",
            five_per_bin,
        ),
        (
            r"bins of 5 $y$ values each, $K = n/5$: equal $y$-count, but growing as fast as $n$",
            lambda x, y: wkv_edges(x, y, len(y) // 5),
        ),
    ],
)
def test_consistency_wkv_kl(partition: Callable[[np.ndarray, np.ndarray], np.ndarray]):
    rng = np.random.default_rng(2006)
    rmse = []
    for n in SIZES:
        errors = []
        for _ in range(30 if n < 1_000_000 else 10):
            tally()
            x, y = rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.2, n)
            kl = float(dv.kl_from_samples(x, y, bins=partition(x, y)).value)
            expect(
                math.isfinite(kl),
                f"infinite plug-in KL at n = {n}",
                observed=kl,
                expected="finite (no bin with x values and no y value)",
            )
            errors.append(kl - KL_TRUE)
        rmse.append(math.sqrt(float(np.mean(np.square(errors)))))
        if len(rmse) > 1:  # decade by decade, so that an error that stays put fails early
            ratio = rmse[-1] / rmse[-2]
            expect(
                math.isfinite(ratio) and ratio <= 0.6,
                f"the KL error does not shrink from n = {n // 10} to {n}",
                observed={"rmse": rmse[-2:], "ratio": ratio},
                expected="ratio <= 0.6",
            )
    expect(
        rmse[-1] <= 0.01 * KL_TRUE,
        "the KL error at n = 1e6",
        observed=rmse[-1],
        expected=f"<= 1% of the truth, {0.01 * KL_TRUE:.3g}",
    )


#: kNN cases of estimate.consistency.knn-kl: (dimension, closed-form KL, sampler of (x, y)).
COV_2D = np.array([[1.0, 0.6], [0.6, 1.0]])
KNN_CASES = [
    (1, KL_TRUE, lambda rng, n: (rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.2, n))),
    (
        2,
        float(kl_multivariate_normal([0.0, 0.0], COV_2D, [0.5, 0.0], np.eye(2))),
        lambda rng, n: (
            rng.multivariate_normal([0.0, 0.0], COV_2D, n),
            rng.normal(size=(n, 2)) + np.array([0.5, 0.0]),
        ),
    ),
]
KNN_SIZES = (1_000, 10_000, 100_000)


def knn_kl_self_matched(x: np.ndarray, y: np.ndarray, k: int) -> float:
    """WKV's kNN KL with rho_k(i) searched among all of x, x_i itself included (at distance 0)."""
    from scipy.spatial import cKDTree

    xs, ys = x.reshape(len(x), -1), y.reshape(len(y), -1)
    rho = cKDTree(xs).query(xs, k=k)[0][:, -1]  # the first "neighbour" is x_i itself
    nu = cKDTree(ys).query(xs, k=k)[0][:, -1]
    return xs.shape[1] * float(np.mean(np.log(nu / rho))) + math.log(len(ys) / (len(xs) - 1))


@claim(
    "estimate.consistency.knn-kl",
    statement=(
        r"The $k$-nearest-neighbour KL estimate $\frac{d}{n} \sum_i \log\frac{\nu_k(i)}"
        r"{\rho_k(i)} + \log\frac{m}{n - 1}$ converges to $KL(P \| Q)$ as $n \to \infty$ for "
        r"fixed $k$, in any dimension $d$ (checked in 1-D and 2-D against closed forms)."
    ),
    source="Wang, Kulkarni & Verdú (2009)",
    locator="IEEE T-IT 55(5) Thms 1-2 (kNN)",
    check=(
        r"The estimator under test with $k = 4$ (`kl_knn` for the statement) on $x \sim N(0, "
        r"1)$, $y \sim N(0.5, 1.2^2)$ against `kl_normal`, and on a correlated 2-D Gaussian "
        r"against `kl_multivariate_normal`, $n = m = 10^3, 10^4, 10^5$: the RMSE over seeds (12, "
        "6 at $10^5$) falling to at most $0.6^2$ of its value over the two decades and below 10% "
        "of the closed form at $n = 10^5$."
    ),
    subject=lambda x, y, k: dv.kl_knn(x, y, k=k).unclipped,
    figure="consistency.png",
    falsifiers=[
        (
            r"$\rho_k(i)$ searched among all of $x$, $x_i$ itself included (the first neighbour a "
            r"k-d tree returns for $x_i$ is $x_i$, at distance 0)",
            knn_kl_self_matched,
        )
    ],
)
def test_consistency_knn_kl(estimator: Callable[[np.ndarray, np.ndarray, int], float]):
    rng = np.random.default_rng(2009)
    for dim, truth, draw in KNN_CASES:
        rmse = []
        for n in KNN_SIZES:
            errors = []
            for _ in range(12 if n < 100_000 else 6):
                tally()
                x, y = draw(rng, n)
                errors.append(estimator(x, y, 4) - truth)
            rmse.append(math.sqrt(float(np.mean(np.square(errors)))))
        # over two decades, so that the few seeds at 1e5 do not decide alone
        expect(
            rmse[-1] / rmse[0] <= 0.6**2 and rmse[-1] <= 0.1 * truth,
            f"the {dim}-D kNN KL error does not shrink",
            observed={"rmse": rmse, "ratio over two decades": rmse[-1] / rmse[0]},
            expected="ratio <= 0.36 (0.1 at the parametric rate), rmse < 10% of the truth at 1e5",
        )


#: The null experiment of the bias-order claims: P = Q = N(0, 1) on K bins of probability 1/K,
#: REPLICATES seeded pairs of samples at each (n_x, n_y) of NULL_SIZES.
K_NULL, REPLICATES = 10, 2000
NULL_SIZES = ((2000, 2000), (2000, 500))


@functools.cache
def null_histograms(n_x: int, n_y: int) -> tuple[dv.HistogramPair, ...]:
    """The null experiment's histogram pairs at one (n_x, n_y), drawn once for all its claims."""
    rng = np.random.default_rng((1955, n_x, n_y))
    edges = np.concatenate([[-50.0], P.ppf(np.arange(1, K_NULL) / K_NULL), [50.0]])
    return tuple(
        dv.histogram_pair(rng.normal(size=n_x), rng.normal(size=n_y), bins=edges)
        for _ in range(REPLICATES)
    )


@functools.cache
def null_statistics(n_x: int, n_y: int) -> tuple[np.ndarray, np.ndarray]:
    """Per replicate: the plug-in JSD (`js_from_histogram`) and KL(P_hat || Q) for the known Q.

    Computed once for all the claims that read them (read-only arrays).
    """
    pairs = null_histograms(n_x, n_y)
    js = np.array([float(dv.js_from_histogram(h).value) for h in pairs])
    kl = null_kl(np.array([h.counts_x for h in pairs]))
    js.flags.writeable = False
    return js, kl


def null_kl(counts: np.ndarray) -> np.ndarray:
    """KL(P_hat || Q) of each row of counts (a sample each) against the known Q = 1/K, read-only."""
    n = counts.sum(axis=1, keepdims=True)
    kl = np.asarray(dv.kl_divergence(counts / n, np.full(K_NULL, 1.0 / K_NULL)), dtype=float)
    kl.flags.writeable = False
    return kl


def mean_allowance(values: np.ndarray, n_x: int, n_y: int) -> float:
    """Z standard errors of the mean + the next order: relative O(K/n) of the first-order bias."""
    se = float(values.std(ddof=1)) / math.sqrt(len(values))
    return Z_SCORE * se + 2.0 * K_NULL * K_NULL / min(n_x, n_y) ** 2


@claim(
    "estimate.bias-order",
    statement=(
        r"The sampling bias of the two-sample plug-in JSD on $K$ bins is upward, about "
        r"$(K-1)(1/n_x + 1/n_y)/8$ ($(K-1)/(4n)$ for equal sizes)."
    ),
    source="Miller (1955); Paninski (2003)",
    locator="Miller, Note on the bias of information estimates; Paninski, Neural Comp. 15 §3",
    check=(
        "$P = Q = N(0, 1)$, $K = 10$ bins of probability $1/10$ each, 2000 seeded replicates at "
        "$n_x = n_y = 2000$ and at $n_x = 2000$, $n_y = 500$: the mean of the JSD "
        "(`js_from_histogram`; the truth is 0) must match the statement within $Z$ standard "
        "errors plus the $O(K/n)$ second-order term."
    ),
    subject=lambda k, n_x, n_y: (k - 1) * (1 / n_x + 1 / n_y) / 8,
    figure="bias_order.png",
    falsifiers=[
        (
            r"for unequal sizes the JSD bias is $(K-1)/(4\bar n)$ with $\bar n = (n_x + n_y)/2$",
            lambda k, n_x, n_y: (k - 1) / (2 * (n_x + n_y)),
        ),
        (r"the JSD's bias is KL's, $(K-1)/(2 n_x)$", lambda k, n_x, n_y: (k - 1) / (2 * n_x)),
    ],
)
def test_bias_order(js_bias: Callable[[int, int, int], float]):
    for n_x, n_y in NULL_SIZES:
        tally(REPLICATES)
        js, _ = null_statistics(n_x, n_y)
        predicted = js_bias(K_NULL, n_x, n_y)
        allowance = mean_allowance(js, n_x, n_y)
        size = f"n_x = {n_x}, n_y = {n_y}"
        expect(
            abs(js.mean() - predicted) <= allowance,
            f"mean of JSD ({size})",
            observed=float(js.mean()),
            expected=f"{predicted} +- {allowance:.3g}",
            repro=size,
        )


@claim(
    "estimate.bias-order.kl-known-q",
    statement=(
        r"The sampling bias of the plug-in $KL(\hat P \| Q)$ of a sample of $n$ against a known "
        r"$Q$ on $K$ bins is upward, about $(K-1)/(2n)$."
    ),
    source="Miller (1955); Paninski (2003)",
    locator="Miller, Note on the bias of information estimates; Paninski, Neural Comp. 15 §3",
    check=(
        "The null experiment of `estimate.bias-order` ($P = Q = N(0, 1)$, $K = 10$ bins of "
        "probability $1/10$, 2000 seeded replicates; the samples of $n = 2000$ and of "
        "$n = 500$): the mean KL of the empirical pmf against the exact bin probabilities (the "
        "truth is 0) must match the statement within $Z$ standard errors plus the $O(K/n)$ "
        "second-order term."
    ),
    subject=lambda k, n: (k - 1) / (2 * n),
    figure="kl_bias.png",
    falsifiers=[
        (
            r"the KL bias is $(K-1)/n$ (the $\tfrac12$ of Miller's term dropped)",
            lambda k, n: (k - 1) / n,
        ),
        (
            r"the KL bias is $K/(2n)$ (every bin counted, the constraint $\sum_i \hat p_i = 1$ "
            "not subtracted)",
            lambda k, n: k / (2 * n),
        ),
        (r"the KL bias is the JSD's, $(K-1)/(4n)$", lambda k, n: (k - 1) / (4 * n)),
    ],
)
def test_bias_order_kl_known_q(kl_bias: Callable[[int, int], float]) -> None:
    n_x, n_y = NULL_SIZES[1]  # the unequal sizes: a sample of 2000 and one of 500
    tally(2 * REPLICATES)
    for n, kl in (
        (n_x, null_statistics(n_x, n_y)[1]),
        (n_y, null_kl(np.array([h.counts_y for h in null_histograms(n_x, n_y)]))),
    ):
        predicted = kl_bias(K_NULL, n)
        allowance = mean_allowance(kl, n, n)
        expect(
            abs(kl.mean() - predicted) <= allowance,
            f"mean of KL against the known Q (n = {n})",
            observed=float(kl.mean()),
            expected=f"{predicted} +- {allowance:.3g}",
            repro=f"n = {n}",
        )


@dataclass(frozen=True)
class ChiSquareReference:
    """What is referred to a chi-square when P = Q on K bins, and with how many degrees of freedom.

    ``js(n_x, n_y)``: the factor on the two-sample JSD; ``kl(n)``: the factor on the KL of a
    sample of n against the known Q; ``df(K)``: the degrees of freedom.
    """

    js: Callable[[int, int], float]
    kl: Callable[[int], float]
    df: Callable[[int], int]


@claim(
    "estimate.bias-order.chi-square",
    statement=(
        r"When $P = Q$ on $K$ bins, $2n\,KL$ (a sample of $n$ against the known $Q$) and "
        r"$\frac{8 n_x n_y}{n_x + n_y} JSD$ (two samples; $4n\,JSD$ for equal sizes) are "
        r"approximately $\chi^2_{K-1}$."
    ),
    source="Miller (1955); Paninski (2003)",
    locator="Miller, Note on the bias of information estimates; Paninski, Neural Comp. 15 §3",
    check=(
        "The null experiment of `estimate.bias-order` ($K = 10$ bins of probability $1/10$, 2000 "
        "seeded replicates at $n_x = n_y = 2000$ and at $n_x = 2000$, $n_y = 500$): the plug-in "
        "JSD and KL scaled by the stated factors must pass a Kolmogorov–Smirnov test against "
        r"scipy's $\chi^2$ with the stated degrees of freedom at $10^{-4}$."
    ),
    subject=ChiSquareReference(
        js=lambda n_x, n_y: 8 * n_x * n_y / (n_x + n_y), kl=lambda n: 2 * n, df=lambda k: k - 1
    ),
    figure="chi_square_reference.png",
    falsifiers=[
        (
            r"the degrees of freedom are $K$, one per bin (the constraint $\sum_i \hat p_i = 1$ "
            "not subtracted)",
            ChiSquareReference(
                js=lambda n_x, n_y: 8 * n_x * n_y / (n_x + n_y), kl=lambda n: 2 * n, df=lambda k: k
            ),
        ),
        (
            r"the JSD's factor is $4 \bar n$ with the pooled $\bar n = (n_x + n_y)/2$",
            ChiSquareReference(
                js=lambda n_x, n_y: 2 * (n_x + n_y), kl=lambda n: 2 * n, df=lambda k: k - 1
            ),
        ),
    ],
)
def test_bias_order_chi_square(reference: ChiSquareReference):
    df = reference.df(K_NULL)
    for n_x, n_y in NULL_SIZES:
        tally(REPLICATES)
        js, kl = null_statistics(n_x, n_y)
        size = f"n_x = {n_x}, n_y = {n_y}"
        for name, scaled in (
            (f"scaled JSD ({size})", js * reference.js(n_x, n_y)),
            (f"2n KL (n = {n_x})", kl * reference.kl(n_x)),
        ):
            pvalue = stats.kstest(scaled, stats.chi2(df).cdf).pvalue
            expect(
                pvalue > SIGNIFICANCE,
                f"{name} against the chi-square",
                observed=pvalue,
                expected=f"> {SIGNIFICANCE} (chi^2 with {df} degrees of freedom)",
            )


def miller_madow_js(h: dv.HistogramPair) -> float:
    """The library's Miller-Madow corrected JSD, unclipped: plug-in minus the estimated bias."""
    estimate = dv.js_from_histogram(h, bias_correction="miller-madow")
    return float(estimate.plugin - estimate.bias)


def occupied_bins(h: dv.HistogramPair) -> int:
    return int(np.count_nonzero(h.counts_x + h.counts_y))


@claim(
    "estimate.bias-order.miller-madow",
    statement=(
        "Subtracting the first-order bias with the estimated bin probabilities plugged in "
        r"(Miller–Madow; $(K-1)(1/n_x + 1/n_y)/8$ at $P = Q$ on $K$ occupied bins) leaves the "
        r"two-sample plug-in JSD unbiased to $O(K^2/n^2)$: `bias_correction=\"miller-madow\"`."
    ),
    source="Miller (1955); Paninski (2003)",
    locator="Miller, Note on the bias of information estimates; Paninski, Neural Comp. 15 §3",
    check=(
        "The null experiment of `estimate.bias-order` (the truth is $0$; 2000 seeded replicates "
        "at $n_x = n_y = 2000$ and at $n_x = 2000$, $n_y = 500$): the mean of the corrected JSD "
        r"($\text{plugin} - \text{bias}$, unclipped) must be $0$ within $Z$ standard errors plus "
        "the $O(K/n)$ second-order term of `estimate.bias-order`."
    ),
    subject=miller_madow_js,
    figure="bias_order.png",
    falsifiers=[
        (
            r"the JSD corrected by $(K-1)/(4 \bar n)$ with the pooled $\bar n = (n_x + n_y)/2$",
            lambda h: (
                float(dv.js_from_histogram(h).value)
                - (occupied_bins(h) - 1) / (2 * (h.n_x + h.n_y))
            ),
        ),
        (
            r"the JSD corrected by KL's Miller–Madow term $(K-1)/(2 n_x)$",
            lambda h: float(dv.js_from_histogram(h).value) - (occupied_bins(h) - 1) / (2 * h.n_x),
        ),
    ],
)
def test_bias_order_miller_madow(corrected: Callable[[dv.HistogramPair], float]):
    for n_x, n_y in NULL_SIZES:
        tally(REPLICATES)
        values = np.array([corrected(h) for h in null_histograms(n_x, n_y)])
        size = f"n_x = {n_x}, n_y = {n_y}"
        allowance = mean_allowance(values, n_x, n_y)
        expect(
            abs(values.mean()) <= allowance,
            f"mean of the corrected JSD ({size})",
            observed=float(values.mean()),
            expected=f"0 +- {allowance:.3g}",
        )


def chi_square_pvalue(factor: Callable[[int, int], float], df: Callable[[int], int]):
    """A js_test p-value: the plug-in JSD times ``factor(n_x, n_y)`` against chi^2_df(K)."""

    def pvalue(h: dv.HistogramPair) -> float:
        statistic = factor(h.n_x, h.n_y) * float(dv.js_from_histogram(h).value)
        return float(stats.chi2.sf(statistic, df(occupied_bins(h))))

    return pvalue


@claim(
    "estimate.bias-order.js-test",
    statement=(
        r"`js_test`'s chi-square p-values are uniform when $P = Q$, for equal and unequal sample "
        "sizes: the test is calibrated."
    ),
    source="Miller (1955); Paninski (2003)",
    locator="Miller, Note on the bias of information estimates; Paninski, Neural Comp. 15 §3",
    check=(
        "The null experiment of `estimate.bias-order` (2000 seeded replicates at $n_x = n_y = "
        "2000$ and at $n_x = 2000$, $n_y = 500$, $K = 10$ bins of probability $1/10$): the "
        "p-values of `js_test_from_histogram` must pass a Kolmogorov–Smirnov test against "
        r"$U(0, 1)$ at $10^{-4}$."
    ),
    subject=lambda h: float(dv.js_test_from_histogram(h).pvalue),
    figure="chi_square_reference.png",
    falsifiers=[
        (
            r"the statistic $2 (n_x + n_y) JSD$: the pooled size in place of the harmonic mean",
            chi_square_pvalue(lambda n_x, n_y: 2 * (n_x + n_y), lambda k: k - 1),
        ),
        (
            r"$K$ degrees of freedom for $K$ occupied bins",
            chi_square_pvalue(lambda n_x, n_y: 8 * n_x * n_y / (n_x + n_y), lambda k: k),
        ),
    ],
)
def test_bias_order_js_test(pvalue_of: Callable[[dv.HistogramPair], float]):
    for n_x, n_y in NULL_SIZES:
        tally(REPLICATES)
        pvalues = [pvalue_of(h) for h in null_histograms(n_x, n_y)]
        pvalue = stats.kstest(pvalues, "uniform").pvalue
        expect(
            pvalue > SIGNIFICANCE,
            f"js_test p-values under P = Q (n_x = {n_x}, n_y = {n_y}) against U(0, 1)",
            observed=pvalue,
            expected=f"> {SIGNIFICANCE}",
        )


def add_half_js(h: dv.HistogramPair) -> float:
    """The JSD of add-1/2 (Krichevsky-Trofimov) smoothed pmfs, as code avoiding log 0 does."""
    p, q = h.counts_x + 0.5, h.counts_y + 0.5
    return float(dv.js_divergence(p / p.sum(), q / q.sum()))


def all_bins_miller_madow(h: dv.HistogramPair) -> float:
    """The JSD less (K - 1)(1/n_x + 1/n_y)/8 with K every bin of the histogram, clipped."""
    bias = (h.n_bins - 1) * (1 / h.n_x + 1 / h.n_y) / 8
    return min(max(float(dv.js_from_histogram(h).value) - bias, 0.0), LOG2)


def sparse_chi2_pvalue(h: dv.HistogramPair) -> float:
    """js_test's chi-square p-value on bins known to be sparse, its warning about them expected."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pvalue = float(dv.js_test_from_histogram(h).pvalue)
    assert [str(w.message)[:41] for w in caught] == ["js_test: a bin expects fewer than 1 value"]
    return pvalue


def all_bins_chi2_pvalue(h: dv.HistogramPair) -> float:
    """The chi-square p-value of 4 n_h JSD with every bin of the histogram a degree of freedom."""
    statistic = 8 * h.n_x * h.n_y / (h.n_x + h.n_y) * float(dv.js_from_histogram(h).value)
    return float(stats.chi2.sf(statistic, h.n_bins - 1))


def strict_permutation_pvalue(h: dv.HistogramPair, rng: np.random.Generator) -> float:
    """A permutation p-value counting the permuted JSDs strictly above the observed one.

    The JSD of counts is summed exactly (math.fsum) from the same bin terms, so that equal
    statistics compare equal: the ties the library counts as extreme, this counts as not.
    """
    pooled = (h.counts_x + h.counts_y)[(h.counts_x + h.counts_y) > 0]

    def jsd(counts_x: np.ndarray) -> float:
        p, q = counts_x / h.n_x, (pooled - counts_x) / h.n_y
        m = (p + q) / 2
        return math.fsum(0.5 * special.rel_entr(p, m) + 0.5 * special.rel_entr(q, m))

    observed = jsd(h.counts_x[(h.counts_x + h.counts_y) > 0])
    drawn = rng.multivariate_hypergeometric(pooled, h.n_x, size=199)
    return (1 + sum(jsd(counts) > observed for counts in drawn)) / 200


#: The fine-bins checks: 20 seeded pairs of samples of 200 from N(0, 1), histogram pairs on
#: their pooled range at 10 ... 1e6 bins; coincidences s = x-y pairs sharing a bin.
FINE_N, FINE_SEEDS = 200, 20
FINE_BINS = (10, 100, 1_000, 10_000, 100_000, 1_000_000)


@functools.cache
def _fine_samples() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    rng = np.random.default_rng(1)
    return tuple((rng.normal(size=FINE_N), rng.normal(size=FINE_N)) for _ in range(FINE_SEEDS))


def _finest_histograms() -> Iterator[tuple[dv.HistogramPair, int]]:
    """Each seed's histogram pair at 1e6 bins and its coincidences (built on demand: 16 MB)."""
    for x, y in _fine_samples():
        h = dv.histogram_pair(x, y, bins=FINE_BINS[-1])
        yield h, int(np.sum(np.minimum(h.counts_x, h.counts_y)))


@claim(
    "estimate.fine-bins-saturate",
    statement=(
        r"With bins $\gg n$, the plug-in JSD of two samples from the same law approaches $\log"
        r" 2$: the finite-sample face of 'D overfits and JS sits at log 2'."
    ),
    source="seed 001 (Hung-yi Lee's lecture notes)",
    locator=seed("001", "the discussion of JS staying at log 2"),
    check=(
        "Two samples of 200 from $N(0, 1)$, bins from 10 to $10^6$ on their pooled range, 20 "
        "seeds: the mean plug-in JSD must grow with the bin count, and at $10^6$ bins every seed "
        r"must be within $s \log 2 / n$ of $\log 2$, where $s$ counts the $x$–$y$ pairs sharing a "
        r"bin: the exact cost of the coincidences, whose expectation $n^2 h / (2\sqrt{\pi})$ is "
        "below $0.1$ here."
    ),
    subject=lambda h: float(dv.js_from_histogram(h).value),
    figure="fine_bins_saturate.png",
    falsifiers=[
        (
            r"a plug-in JSD of add-$\frac12$ smoothed pmfs (to avoid $\log 0$): the JSD of equal "
            "laws then falls towards 0 as bins are refined",
            add_half_js,
        ),
    ],
)
def test_fine_bins_saturate(plugin: Callable[[dv.HistogramPair], float]):
    means = []
    for bins in FINE_BINS:
        values = []
        for x, y in _fine_samples():
            tally()
            h = dv.histogram_pair(x, y, bins=bins)
            values.append(plugin(h))
            if bins == FINE_BINS[-1]:
                shared = int(np.sum(np.minimum(h.counts_x, h.counts_y)))
                expect(
                    values[-1] >= LOG2 - shared * LOG2 / FINE_N - 1e-12,
                    "JSD at 1e6 bins below log 2 by more than its coincidences",
                    observed=values[-1],
                    expected=f">= log 2 - {shared} log 2 / {FINE_N}",
                )
        means.append(float(np.mean(values)))
    expect(
        all(b >= a for a, b in itertools.pairwise(means)),
        "the mean JSD against the bin count",
        observed=means,
        expected="growing towards log 2 as bins are refined",
    )


@claim(
    "estimate.fine-bins-saturate.miller-madow",
    statement=(
        r"The saturation at $\log 2$ with bins $\gg n$ is no first-order sampling bias: the "
        "Miller–Madow correction leaves it."
    ),
    source="seed 001 (Hung-yi Lee's lecture notes); Miller (1955)",
    locator=seed("001", "the discussion of JS staying at log 2"),
    check=(
        "The samples of `estimate.fine-bins-saturate` at $10^6$ bins: every seed's Miller–Madow "
        r"corrected JSD must stay within $s (\log 2 + 1/4) / n$ of $\log 2$ ($s$ the "
        r"coincidences; a bin's correction is at most $1/(4n)$, and $0$ in a bin holding one "
        "sample)."
    ),
    subject=lambda h: float(dv.js_from_histogram(h, bias_correction="miller-madow").value),
    figure="fine_bins_saturate.png",
    falsifiers=[
        (
            r"Miller–Madow with $K$ every bin of the histogram, not the occupied ones",
            all_bins_miller_madow,
        ),
    ],
)
def test_fine_bins_saturate_miller_madow(corrected: Callable[[dv.HistogramPair], float]):
    for h, shared in _finest_histograms():
        tally()
        value = corrected(h)
        expect(
            value >= LOG2 - shared * (LOG2 + 0.25) / FINE_N - 1e-12,
            "corrected JSD at 1e6 bins below log 2 by more than its coincidences",
            observed=value,
            expected=f">= log 2 - {shared} (log 2 + 1/4) / {FINE_N}",
        )


@claim(
    "estimate.fine-bins-saturate.chi-square",
    statement=(
        r"With bins $\gg n$ the chi-square reference of the JSD test mistakes the saturation "
        r"for evidence of $P \ne Q$: with singleton bins its approximation fails."
    ),
    source="seed 001 (Hung-yi Lee's lecture notes); Miller (1955)",
    locator=seed("001", "the discussion of JS staying at log 2"),
    check=(
        "The samples of `estimate.fine-bins-saturate` at $10^6$ bins, two samples of one law: "
        r"every seed's chi-square p-value must be below $10^{-4}$."
    ),
    subject=lambda h: sparse_chi2_pvalue(h),
    figure="fine_bins_saturate.png",
    falsifiers=[
        (
            "the chi-square test with a degree of freedom per bin of the histogram, not per "
            "occupied bin",
            all_bins_chi2_pvalue,
        ),
    ],
)
def test_fine_bins_saturate_chi_square(chi2_pvalue: Callable[[dv.HistogramPair], float]):
    for h, _ in _finest_histograms():
        tally()
        pvalue = chi2_pvalue(h)
        expect(
            pvalue < SIGNIFICANCE,
            "the chi-square test holds up at 1e6 bins",
            observed=pvalue,
            expected=f"< {SIGNIFICANCE} (sparse bins break the approximation)",
        )


@claim(
    "estimate.fine-bins-saturate.permutation",
    statement=(
        r"With bins $\gg n$ the exact permutation test of the JSD keeps its size: the "
        r"saturation is no evidence of $P \ne Q$."
    ),
    source="seed 001 (Hung-yi Lee's lecture notes)",
    locator=seed("001", "the discussion of JS staying at log 2"),
    check=(
        "The samples of `estimate.fine-bins-saturate` at $10^6$ bins, two samples of one law: "
        "the permutation test (199 permutations) must reject at the 5% level no more often "
        r"than a $\text{Binomial}(20, 0.05)$ count allows at $10^{-4}$."
    ),
    subject=lambda h, rng: float(
        dv.js_test_from_histogram(h, method="permutation", n_permutations=199, seed=rng).pvalue
    ),
    figure="fine_bins_saturate.png",
    falsifiers=[
        (
            "a permutation p-value counting only the permuted statistics strictly above the "
            "observed one (ties, the rule with sparse bins, counted against the null)",
            strict_permutation_pvalue,
        ),
    ],
)
def test_fine_bins_saturate_permutation(
    permutation_pvalue: Callable[[dv.HistogramPair, np.random.Generator], float],
):
    rng = np.random.default_rng([1, 2])
    rejections = 0
    for h, _ in _finest_histograms():
        tally()
        rejections += permutation_pvalue(h, rng) <= 0.05
    # a test of exact size <= 0.05 rejects at most this often in 20 seeds, but with 1e-4
    bound = int(stats.binom(FINE_SEEDS, 0.05).isf(SIGNIFICANCE))
    expect(
        rejections <= bound,
        "permutation rejections of P = Q at 1e6 bins",
        observed=rejections,
        expected=f"<= {bound} of {FINE_SEEDS}",
    )

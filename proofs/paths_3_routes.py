r"""Routes and wrong implementations of the claims in ``proofs/test_estimator_paths_3.py``.

Shared by those checks and by their figures (``proofs/figures_paths_3.py``): numpy's quantiles
and percentiles for the equal-mass bins and the rules' cap, the chi-square test's second-order
coefficients for the equal-mass bin count, scipy's k-d tree for the kNN estimate at scale one,
the fixed optimal discriminator of two unit-variance normals; and, beside each route, the
plausible wrong implementations the claims ship as falsifiers.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

import divergences as dv


def require(condition: bool, case: str) -> None:
    """Stop a check whose case does not exercise what it is about (an error, not a verdict)."""
    if not condition:
        raise RuntimeError(f"the check's case is void ({case}): change its data or seed")


# --------------------------------------------------------------------------------------------
# estimate.quantile-bins: equal-mass edges at the pooled quantiles, K from the balanced size
# --------------------------------------------------------------------------------------------


def second_order_size(n_x: int, n_y: int) -> float:
    r"""The pooled size m of the equal-size design with the same second-order test error.

    From the coefficients of the chi-square statistic's mean under P = Q (js_test's Notes):
    :math:`A = (8u^4 + 8v^4 - (u - v)^4) / (8 n u v)`, :math:`B = (u - v)^2 / (2 n u v)`, and
    equal-mass bins give :math:`c - 1 \approx K (A - B) = K / (2m)`, so :math:`m = 1 / (2(A - B))`.
    """
    n = n_x + n_y
    if n_x == 0 or n_y == 0:
        return float(n)  # one sample alone in the range (or none): its size (0: no quantile)
    u, v = n_x / n, n_y / n
    a = (8 * u**4 + 8 * v**4 - (u - v) ** 4) / (8 * n * u * v)
    b = (u - v) ** 2 / (2 * n * u * v)
    return 1.0 / (2.0 * (a - b))


def in_range(a: np.ndarray, range_: Any) -> np.ndarray:
    """The values of a inside the closed range (all of them without a range)."""
    if range_ is None:
        return a
    return a[(a >= range_[0]) & (a <= range_[1])]


def counts_allowed(m: float) -> set[int]:
    r""":math:`\lceil 2 m^{1/3} \rceil`; both candidates where it is within rounding of one."""
    k = 2.0 * m ** (1.0 / 3.0)
    near = round(k)
    if k == 0.0:
        return {0}
    if abs(k - near) <= 1e-9 * k:
        return {near, near + 1}
    return {math.ceil(k)}


def equal_mass_edges(
    x: np.ndarray,
    y: np.ndarray,
    range_: Any,
    count: int,
    *,
    ignore_range: bool = False,
    per_sample: bool = False,
    stride: int = 1,
    single_edge: bool = False,
) -> np.ndarray:
    """The ends of the range and numpy's quantiles i/count of the pooled values between them.

    With ``stride``, the quantiles of every stride-th value of each sample (the ends still
    the whole samples'). Where every pooled value is one value v (no range), numpy's single
    bin around it, ``np.histogram_bin_edges(values, 1)`` = [v - 0.5, v + 0.5]; with
    ``single_edge`` (a falsifier's slip) the one merged edge v.
    """
    xs, ys = (x, y) if ignore_range else (in_range(x, range_), in_range(y, range_))
    both = np.concatenate([xs, ys]).astype(np.float64)
    lo, hi = (float(both.min()), float(both.max())) if range_ is None else range_
    if stride > 1:
        xs, ys = in_range(x[::stride], range_), in_range(y[::stride], range_)
        both = np.concatenate([xs, ys]).astype(np.float64)
    if both.size == 0:
        count = 0
    levels = np.arange(1, count) / count
    if levels.size == 0:
        return np.unique(np.array([lo, hi], dtype=np.float64))
    if per_sample:  # each sample's quantile function, averaged (over those with values)
        inner = np.mean([np.quantile(a, levels) for a in (xs, ys) if a.size], axis=0)
    else:
        inner = np.quantile(both, levels)
    edges = np.unique(np.concatenate(([lo], inner, [hi])))
    if edges.size < 2 and not single_edge:  # one value throughout: numpy's single bin
        return np.histogram_bin_edges(both, 1)
    return edges


def quantile_cases(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray, Any]]:
    """(label, x, y, range): equal and unequal sizes up to 20:1 either way, ties, a range."""
    cases = [
        ("normal, 200 + 200", rng.normal(0.0, 1.0, 200), rng.normal(0.3, 1.0, 200), None),
        ("normal, 200 + 4000", rng.normal(0.0, 1.0, 200), rng.normal(0.3, 1.2, 4000), None),
        ("normal, 4000 + 200", rng.normal(0.0, 1.0, 4000), rng.normal(0.3, 1.2, 200), None),
        ("lognormal, 1500 + 700", rng.lognormal(0.0, 1.0, 1500), rng.lognormal(0.2, 1, 700), None),
        ("Poisson(3) ties, 500 + 800", rng.poisson(3, 500), rng.poisson(3, 800), None),
        # sizes where 2 m^(1/3) = 12.11, K = 13 (each coefficient of the balanced size
        # matters), and a sample of one value either way
        ("normal, 100 + 150", rng.normal(0.0, 1.0, 100), rng.normal(0.3, 1.0, 150), None),
        ("normal, 1 + 150", rng.normal(0.0, 1.0, 1), rng.normal(0.3, 1.0, 150), None),
        ("normal, 150 + 1", rng.normal(0.0, 1.0, 150), rng.normal(0.3, 1.0, 1), None),
        # every value equal: no quantile separates them
        ("one value throughout, 40 + 60", np.full(40, 2.75), np.full(60, 2.75), None),
    ]
    cases.append(
        ("normal, 3000 + 600, range (-1, 1.5)", *(rng.normal(0, 1, n) for n in (3000, 600)), None)
    )
    label, x, y, _ = cases[-1]
    cases[-1] = (label, x, y, (-1.0, 1.5))
    # no value in the range: K = 0, the range's ends alone
    cases.append(("normal, 50 + 50, range (100, 200)", x[:50], y[:50], (100.0, 200.0)))
    # no value of x in the range: the quantiles of y's values there
    cases.append(
        ("normal, 50 + 600, range (0.5, 1.5), x shifted out", x[:50] - 10.0, y, (0.5, 1.5))
    )
    # above QUANTILE_LIMIT pooled values: every stride-th value of each sample
    big = ("normal, 700,001 + 500,003", rng.normal(0, 1, 700_001), rng.normal(0.3, 1, 500_003))
    cases.append((*big, None))
    return cases


#: Pooled values above which the equal-mass edges come from an evenly strided subsample of
#: each sample, every ceil(n / QUANTILE_LIMIT)-th value (docs/conventions.md, Bins).
QUANTILE_LIMIT = 1 << 20


def quantile_stride(x: np.ndarray, y: np.ndarray) -> int:
    """The subsample's stride: 1 up to QUANTILE_LIMIT pooled values."""
    return max(1, math.ceil((x.size + y.size) / QUANTILE_LIMIT))


def library_quantile_edges(x: np.ndarray, y: np.ndarray, range_: Any) -> np.ndarray:
    """The edges of the library's histogram pair with ``bins="quantile"`` (the estimators' bins)."""
    return np.asarray(dv.histogram_pair(x, y, bins="quantile", range=range_).edges)


def own_quantile_edges(**slip: bool) -> Callable[[np.ndarray, np.ndarray, Any], np.ndarray]:
    """Equal-mass edges written with one plausible slip (the keyword given), for falsifiers."""

    def edges(x: np.ndarray, y: np.ndarray, range_: Any) -> np.ndarray:
        stride = quantile_stride(x, y)  # as the library: a strided subsample above the limit
        xs, ys = in_range(x[::stride], range_), in_range(y[::stride], range_)
        if slip.get("ignore_range"):  # every value counts, the range only sets the ends
            xs, ys = x[::stride], y[::stride]
        if slip.get("pooled_size"):
            m = float(xs.size + ys.size)
        elif slip.get("balanced_when_alone") and xs.size * ys.size == 0:
            m = 0.0  # the balanced-size formula read at a size of 0
        else:
            m = second_order_size(xs.size, ys.size)
        count = min(counts_allowed(m * stride))
        return equal_mass_edges(
            x,
            y,
            range_,
            count,
            ignore_range=slip.get("ignore_range", False),
            per_sample=slip.get("per_sample", False),
            stride=stride,
            single_edge=slip.get("single_edge", False),
        )

    return edges


# --------------------------------------------------------------------------------------------
# estimate.rule-cap-quantile: a rule over its cap falls back to the equal-mass edges
# --------------------------------------------------------------------------------------------


def fd_count(a: np.ndarray) -> int:
    """The bin count numpy's ``fd`` rule asks for on the pooled values, from its width formula.

    Width :math:`2 IQR n^{-1/3}` with ``np.percentile``'s quartiles: computed rather than
    asked from numpy, which would allocate the billions of edges. (``auto`` takes
    ``max(fd, sqrt / 2)`` since numpy 2.3, which a far outlier does not blow up.)
    """
    q75, q25 = np.percentile(a, [75, 25])
    width = 2.0 * (q75 - q25) * a.size ** (-1.0 / 3.0)
    return math.ceil((float(a.max()) - float(a.min())) / width)


def documented_cap(n: int) -> int:
    r"""The documented cap: :math:`\min(2^{20}, \max(1024, 10 n))` bins for n pooled values."""
    return min(2**20, max(1024, 10 * n))


def outlier_cases(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(label, x, y): normal samples of unequal sizes, one far value in x or in y."""
    return [
        (
            "one value at 1e9 in x, 500 + 500",
            np.append(rng.normal(0, 1, 499), 1e9),
            rng.normal(0.4, 1, 500),
        ),
        (
            "one value at -1e7 in y, 300 + 2000",
            rng.normal(0, 1, 300),
            np.append(rng.normal(0.2, 1.3, 1999), -1e7),
        ),
        (
            "two values at ±1e12 in x, 2500 + 400",
            np.concatenate([rng.normal(0, 2, 2498), [-1e12, 1e12]]),
            rng.normal(1, 1, 400),
        ),
    ]


def library_rule_edges(x: np.ndarray, y: np.ndarray, rule: str) -> np.ndarray:
    """The edges of the library's estimate with the rule's name as ``bins``."""
    return np.asarray(dv.js_from_samples(x, y, bins=rule).histogram.edges)


def capped_uniform_edges(x: np.ndarray, y: np.ndarray, rule: str) -> np.ndarray:
    """The rule's count clipped to the cap: that many equal-width bins over the pooled span."""
    both = np.concatenate([x, y])
    count = min(fd_count(both), documented_cap(both.size))
    return np.histogram_bin_edges(both, count)


def sturges_edges(x: np.ndarray, y: np.ndarray, rule: str) -> np.ndarray:
    """Numpy's ``sturges`` edges, the fallback of a zero width, taken for an oversized count."""
    return np.histogram_bin_edges(np.concatenate([x, y]), "sturges")


def trimmed_rule_edges(x: np.ndarray, y: np.ndarray, rule: str) -> np.ndarray:
    """The rule's equal-width edges over the 0.5th-99.5th percentile, the outliers dropped."""
    both = np.concatenate([x, y])
    lo, hi = np.percentile(both, [0.5, 99.5])
    return np.histogram_bin_edges(both, rule, (lo, hi))


# --------------------------------------------------------------------------------------------
# estimate.rule-cap-batch: a batch's pair over the cap counts max(16, ceil(2 sqrt(n))) bins
# --------------------------------------------------------------------------------------------


def pair_count(a: np.ndarray, b: np.ndarray, *, fallback: Callable[[int], int]) -> int:
    """One pair's ``fd`` count from numpy's width; over the cap, ``fallback`` of its size."""
    both = np.concatenate([a, b])
    asked = fd_count(both)
    return asked if asked <= documented_cap(both.size) else fallback(both.size)


def documented_fallback(n: int) -> int:
    r""":math:`\max(16, \lceil 2 \sqrt{n} \rceil)` bins (never above the cap)."""
    return min(documented_cap(n), max(16, math.ceil(2.0 * math.sqrt(n))))


def batch_edges_with(
    fallback: Callable[[int], int],
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Each pair's equal-width edges over its pooled span, the batch's count the largest."""

    def edges(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        count = max(pair_count(a, b, fallback=fallback) for a, b in zip(x, y, strict=True))
        return np.array(
            [
                np.histogram_bin_edges(np.concatenate([a, b]), count)
                for a, b in zip(x, y, strict=True)
            ]
        )

    return edges


def outlier_batches(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(label, x, y): 6 pairs of normal rows, one pair with a far value in x."""
    batches = []
    for n, m, far in ((300, 200, 1e9), (30, 20, -1e8), (2000, 2000, 1e12)):
        x = rng.normal(0.0, 1.0, (6, n)) + np.arange(6.0)[:, None]
        y = rng.normal(0.3, 1.2, (6, m)) + np.arange(6.0)[:, None]
        x[2, 0] = far
        batches.append((f"6 pairs of {n} + {m}, one value at {far:g} in pair 2", x, y))
    # heavy tails: other pairs ask for more bins than the overflowing pair's fallback
    x, y = rng.standard_t(2.0, (6, 300)), rng.standard_t(2.0, (6, 200))
    x[2, 0] = 1e9
    batches.append(("6 pairs of Student t(2), 300 + 200, one value at 1e+09 in pair 2", x, y))
    return batches


def fallback_for_the_batch(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """When a pair overflows the cap, every pair binned with that pair's fallback count."""
    counts = [pair_count(a, b, fallback=lambda n: -n) for a, b in zip(x, y, strict=True)]
    over = [(a.size + b.size) for c, a, b in zip(counts, x, y, strict=True) if c < 0]
    if not over:
        return batch_edges_with(documented_fallback)(x, y)
    count = documented_fallback(over[0])
    return np.array(
        [np.histogram_bin_edges(np.concatenate([a, b]), count) for a, b in zip(x, y, strict=True)]
    )


def library_batch_edges(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The edges of the library's batch estimate with ``bins="fd"`` (rows paired)."""
    return np.asarray(dv.js_from_samples(x, y, bins="fd", axis=1).histogram.edges)


# --------------------------------------------------------------------------------------------
# estimate.wkv-ties-fallback: tied y-quantiles switch the default KL bins to numpy's "auto"
# --------------------------------------------------------------------------------------------


def wkv_quantiles(y: np.ndarray) -> np.ndarray:
    r"""The quantiles of y at :math:`i / \lceil \sqrt{m} \rceil`: the WKV partition's edges."""
    k = math.ceil(math.sqrt(y.size))
    return np.quantile(y.astype(np.float64), np.linspace(0.0, 1.0, k + 1))


def own_default_kl_edges(
    *, merge_ties: bool = False, first_edge_only: bool = False, replace_ends: bool = False
):
    """The default KL edges: the WKV partition widened to x, numpy's ``auto`` on ties.

    Wrong with ``replace_ends``: the outer edges set to x's range, not widened to it.
    """

    def edges(x: Any, y: Any) -> np.ndarray:
        x, y = np.asarray(x), np.asarray(y)
        q = wkv_quantiles(y)
        tied = (q[1:] <= q[0]).any() if first_edge_only else (np.diff(q) <= 0).any()
        if tied and not merge_ties:
            return np.histogram_bin_edges(np.concatenate([x, y]), "auto")
        q = np.unique(q)
        if replace_ends:
            q[0], q[-1] = x.min(), x.max()
        else:
            q[0], q[-1] = min(q[0], x.min()), max(q[-1], x.max())
        return q

    return edges


def library_default_kl_edges(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The edges of ``kl_from_samples(x, y)`` with its default bins."""
    return np.asarray(dv.kl_from_samples(x, y).histogram.edges, dtype=np.float64)


def ties_cases(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(label, x, y): Poisson counts, y rounded to 0.1 (ties away from the first edge), normal."""
    return [
        ("Poisson(3) 500 against Poisson(3.5) 800", rng.poisson(3, 500), rng.poisson(3.5, 800)),
        (
            "N(0, 1.5^2) 3000 against N(0, 1) 5000 rounded to 0.1",
            rng.normal(0, 1.5, 3000),
            np.round(rng.normal(0, 1, 5000), 1),
        ),
        ("N(0, 1.5^2) 3000 against N(0, 1) 2000", rng.normal(0, 1.5, 3000), rng.normal(0, 1, 2000)),
        # x inside y's range (the ends stay y's), and x beyond it on the right only
        ("N(0, 0.5^2) 600 against N(0, 1) 900", rng.normal(0, 0.5, 600), rng.normal(0, 1, 900)),
        ("N(1.5, 1) 600 against N(0, 1) 900", rng.normal(1.5, 1.0, 600), rng.normal(0, 1, 900)),
    ]


# --------------------------------------------------------------------------------------------
# estimate.knn-scale-invariance: the kNN estimates over the whole float range
# --------------------------------------------------------------------------------------------

#: The scales of the check: powers of two across the float range, and two that round.
SCALES = (*(2.0**e for e in (-1000, -600, -300, 0, 300, 600, 1000)), 3e-250, 7e250)
#: The kNN order of the KL check (the library's default order depends on the sizes).
SCALE_K = 3


def knn_scale_samples(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """X: 300 points of N(0, I_2); y: 400 of N(0.5, 1.2^2 I_2)."""
    return rng.normal(0.0, 1.0, (300, 2)), rng.normal(0.5, 1.2, (400, 2))


def wkv_kl_own(x: np.ndarray, y: np.ndarray, k: int) -> float:
    r"""The WKV estimate by scipy's k-d tree.

    :math:`\frac{d}{n}\sum_i\log\frac{\nu_k(i)}{\rho_k(i)} + \log\frac{m}{n-1}`.
    """
    rho = cKDTree(x).query(x, k=[k + 1])[0][:, 0]
    nu = cKDTree(y).query(x, k=[k])[0][:, 0]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return x.shape[1] * float(np.mean(np.log(nu / rho))) + math.log(len(y) / (len(x) - 1))


def library_scaled(x: np.ndarray, y: np.ndarray, c: float) -> tuple[Any, ...]:
    """``kl_knn`` (k = 3), ``js_knn`` and ``js_knn_batch`` (seeded) of c x and c y.

    Last, ``js_knn_batch`` of the same two pairs with only the first one scaled.
    """
    cx, cy = c * x, c * y
    return (
        float(dv.kl_knn(cx, cy, k=SCALE_K).value),
        float(dv.js_knn(cx, cy, seed=7).value),
        np.asarray(dv.js_knn_batch(np.stack([cx[:200], cx[100:]]), np.stack([cy[:200], cy[200:]]))),
        np.asarray(dv.js_knn_batch(np.stack([cx[:200], x[100:]]), np.stack([cy[:200], y[200:]]))),
    )


def raw_tree_scaled(x: np.ndarray, y: np.ndarray, c: float) -> tuple[Any, ...]:
    """The KL by the k-d tree of the raw coordinates c x, c y (not rescaled); JS as the library."""
    _, js, batch, mixed = library_scaled(x, y, c)
    return wkv_kl_own(c * x, c * y, SCALE_K), js, batch, mixed


def each_own_exponent(x: np.ndarray, y: np.ndarray, c: float) -> tuple[Any, ...]:
    """Each sample rescaled by the power of two of its own largest coordinate, not a common one.

    The batch with one pair scaled is the library's.
    """

    def own(a: np.ndarray) -> np.ndarray:
        return np.ldexp(a, -math.frexp(float(np.max(np.abs(a))))[1])

    cx, cy = own(c * x), own(c * y)
    return (
        wkv_kl_own(cx, cy, SCALE_K),
        float(dv.js_knn(cx, cy, seed=7).value),
        np.asarray(dv.js_knn_batch(np.stack([cx[:200], cx[100:]]), np.stack([cy[:200], cy[200:]]))),
        library_scaled(x, y, c)[3],
    )


def batch_common_exponent(x: np.ndarray, y: np.ndarray, c: float) -> tuple[Any, ...]:
    """The batch with one pair scaled, rescaled by one power of two for the whole batch.

    The batch's largest coordinate sets the power (not each pair's own), the neighbours then
    found on those coordinates (the Notes' estimator, scipy's k-d tree); the rest is the
    library's.
    """
    kl, js, batch, _ = library_scaled(x, y, c)
    xs, ys = np.stack([c * x[:200], x[100:]]), np.stack([c * y[:200], y[200:]])
    largest = max(float(np.max(np.abs(xs))), float(np.max(np.abs(ys))))
    exponent = math.frexp(largest)[1]
    with np.errstate(all="ignore"):  # distances that underflow: log 0
        mixed = own_matched()(np.ldexp(xs, -exponent), np.ldexp(ys, -exponent), None, False, None)
    return kl, js, batch, np.asarray(mixed)


# --------------------------------------------------------------------------------------------
# estimate.knn-js-batch-range: js_knn_batch's values lie in [0, log 2], each pair's js_knn
# --------------------------------------------------------------------------------------------


def clip_batches(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """20 pairs of 200 + 200 points in 2-D: 10 with P = Q, 10 with Q shifted by 60 (disjoint)."""
    x = rng.normal(0.0, 1.0, (20, 200, 2))
    y = rng.normal(0.0, 1.0, (20, 200, 2))
    y[10:] += 60.0
    return x, y


def library_batch_default(x: np.ndarray, y: np.ndarray, base: float | None) -> np.ndarray:
    """``js_knn_batch`` with its default clip, in the base given."""
    return np.asarray(dv.js_knn_batch(x, y, base=base))


def batch_clipped_below_only(x: np.ndarray, y: np.ndarray, base: float | None) -> np.ndarray:
    """The unclipped values clipped at 0 only (the KL estimators' convention)."""
    return np.maximum(np.asarray(dv.js_knn_batch(x, y, base=base, clip=False)), 0.0)


def batch_clipped_in_nats(x: np.ndarray, y: np.ndarray, base: float | None) -> np.ndarray:
    """The values clipped to [0, log 2] in nats whatever the base asked for."""
    return np.clip(np.asarray(dv.js_knn_batch(x, y, base=base, clip=False)), 0.0, math.log(2.0))


# --------------------------------------------------------------------------------------------
# estimate.knn-js-batch-seeds: each pair of a batch on a grid dequantized with its own seed
# --------------------------------------------------------------------------------------------

#: The pairs of the seeds check and the seeds it passes: an integer, and a Generator's seed.
SEED_PAIRS = 6
INTEGER_SEED = 11
GENERATOR_SEED = 5


def grid_batch(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """6 pairs of 150 + 150 values on the grid of step 1/2 (1-D, shape (6, 150, 1)), repeats."""
    x = rng.integers(0, 20, (SEED_PAIRS, 150)) * 0.5
    y = rng.integers(2, 24, (SEED_PAIRS, 150)) * 0.5
    return x[:, :, None], y[:, :, None]


def mixed_grid_batch(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """12 pairs of 8 + 8 points in 2-D (more pairs than points), continuous and grid in turn.

    The even pairs repeat one coordinate's value at distinct points (repeats off any grid,
    left as they are); the odd pairs lie on the grid of step 1/2 with repeats, their second
    coordinate near 10^13 (where noise added before the origin is moved would round to the
    ulp, 2^-9).
    """
    x = rng.normal(0.0, 1.0, (12, 8, 2))
    y = rng.normal(0.3, 1.0, (12, 8, 2))
    x[::2, 1, 0] = x[::2, 0, 0]  # a repeated coordinate, distinct points: repeats off any grid
    for b in range(1, 12, 2):
        x[b] = rng.integers(0, 4, (8, 2)) * 0.5
        y[b] = rng.integers(1, 5, (8, 2)) * 0.5
        x[b, :, 1] += 1e13
        y[b, :, 1] += 1e13
    return x, y


def library_batch_seeded(x: np.ndarray, y: np.ndarray, seed: Any) -> np.ndarray:
    """``js_knn_batch`` of the batch with the seed given, unclipped."""
    return np.asarray(dv.js_knn_batch(x, y, seed=seed, clip=False))


def batch_seeds_as(pair_seed: Callable[[Any, int], int]) -> Callable[..., np.ndarray]:
    """The batch as js_knn pair by pair, pair b seeded by ``pair_seed(seed, b)``."""

    def estimate(x: np.ndarray, y: np.ndarray, seed: Any) -> np.ndarray:
        return np.array(
            [float(dv.js_knn(x[b], y[b], seed=pair_seed(seed, b)).unclipped) for b in range(len(x))]
        )

    return estimate


def roots_of(seed: Any) -> int:
    """The documented root: the integer, or one integer drawn from a fresh copy of the Generator."""
    if isinstance(seed, int):
        return seed
    return int(np.random.default_rng(GENERATOR_SEED).integers(0, 2**63))


def own_batch_seeded(x: np.ndarray, y: np.ndarray, seed: Any) -> np.ndarray:
    """The documented seeds: pair b seeded by SeedSequence(root).generate_state(B, uint64)[b]."""
    states = np.random.SeedSequence(roots_of(seed)).generate_state(len(x), np.uint64)
    return batch_seeds_as(lambda _, b: int(states[b]))(x, y, seed)


def roots_drawn_per_pair(x: np.ndarray, y: np.ndarray, seed: Any) -> np.ndarray:
    """For a Generator, pair b's SeedSequence rooted at the b-th integer drawn from it."""
    if isinstance(seed, int):
        return own_batch_seeded(x, y, seed)
    roots = np.random.default_rng(GENERATOR_SEED).integers(0, 2**63, len(x))
    return batch_seeds_as(
        lambda _, b: int(np.random.SeedSequence(int(roots[b])).generate_state(len(x), np.uint64)[b])
    )(x, y, seed)


# --------------------------------------------------------------------------------------------
# estimate.discriminator-standard-error: a fixed D's standard error is the value's spread
# --------------------------------------------------------------------------------------------

#: Replicates of the standard-error check, and its sizes (x from N(0, 1), y from N(1, 1)).
DISC_REPLICATES = 2000
DISC_SIZES = (300, 600)


def optimal_d(points: Any) -> np.ndarray:
    r""":math:`D^* = \sigma(\log p - \log q) = \sigma(1/2 - z)` for N(0, 1) against N(1, 1)."""
    z = np.asarray(points, dtype=float).reshape(len(points), -1)[:, 0]
    return 1.0 / (1.0 + np.exp(z - 0.5))


def library_disc_se(x: np.ndarray, y: np.ndarray, base: float | None) -> tuple[float, float]:
    """``js_discriminator`` with the fixed D*: its value and standard error."""
    r = dv.js_discriminator(x, y, classifier=optimal_d, base=base)
    return float(r), float(r.standard_error)


def own_disc_se(*, half: bool = True, pooled: bool = False, nats: bool = False):
    """The bound of D* and a standard error with one plausible slip (the keyword given)."""

    def estimate(x: np.ndarray, y: np.ndarray, base: float | None) -> tuple[float, float]:
        tx = math.log(2.0) + np.log(optimal_d(x))
        ty = math.log(2.0) + np.log1p(-optimal_d(y))
        scale = 1.0 if nats or base is None else math.log(base)
        value = 0.5 * (tx.mean() + ty.mean()) / (1.0 if base is None else math.log(base))
        if pooled:
            both = np.concatenate([tx, ty])
            se = math.sqrt(both.var(ddof=1) / both.size)
        else:
            se = math.sqrt(tx.var(ddof=1) / tx.size + ty.var(ddof=1) / ty.size)
        return value, (0.5 if half else 1.0) * se / scale

    return estimate


# estimate.knn-base -------------------------------------------------------------------------

#: The bases of the kNN base check (None: nats), its level and its estimators' seed.
KNN_BASES = (2.0, 10.0, 0.5)
KNN_BASE_SEED = 3


def knn_base_samples(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """X: 500 points of N(0, I_2); y: 400 of N(0.5, 1.2^2 I_2)."""
    return rng.normal(0.0, 1.0, (500, 2)), rng.normal(0.5, 1.2, (400, 2))


def knn_fields(name: str, x: np.ndarray, y: np.ndarray, base: float | None) -> tuple[float, ...]:
    """Value, unclipped value, standard error and interval ends of kl_knn / js_knn with ci=0.95."""
    estimator = dv.kl_knn if name == "kl_knn" else dv.js_knn
    r = estimator(x, y, ci=0.95, seed=KNN_BASE_SEED, base=base)
    low, high = r.interval
    return float(r), float(r.unclipped), float(r.standard_error), float(low), float(high)


def knn_fields_with(
    *, se_in_nats: bool = False, se_times: bool = False, interval_in_nats: bool = False
):
    """The library's fields in base b with one plausible slip in the conversion."""

    def fields(name: str, x: np.ndarray, y: np.ndarray, base: float | None) -> tuple[float, ...]:
        value, unclipped, se, low, high = knn_fields(name, x, y, base)
        nats = knn_fields(name, x, y, None)
        scale = math.log(base) if base is not None else 1.0
        if se_in_nats:
            se = nats[2]
        if se_times:
            se = nats[2] * scale
        if interval_in_nats:
            low, high = nats[3], nats[4]
        return value, unclipped, se, low, high

    return fields


# estimate.bias-order.miller-madow-kl -------------------------------------------------------

#: Two laws on K = 10 bins with sum p/q = 18.7 (the y-side term matters), replicates, sizes.
MM_P = np.array([0.02, 0.03, 0.05, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.3])
MM_Q = np.array([0.2, 0.2, 0.1, 0.1, 0.09, 0.08, 0.08, 0.06, 0.06, 0.03])
MM_REPLICATES = 6000
MM_SIZES = ((500, 2000), (2000, 500))


def mm_truth() -> float:
    """KL(P || Q) of the two laws, summed directly (every mass positive)."""
    return float(np.sum(MM_P * np.log(MM_P / MM_Q)))


@functools.cache
def mm_histograms(n_x: int, n_y: int) -> tuple[dv.HistogramPair, ...]:
    """Seeded histogram pairs of n_x draws of P and n_y of Q on the bins of 0..9."""
    rng = np.random.default_rng((1955, 2, n_x, n_y))
    edges = np.arange(MM_P.size + 1) - 0.5
    return tuple(
        dv.histogram_pair(
            rng.choice(MM_P.size, n_x, p=MM_P).astype(float),
            rng.choice(MM_Q.size, n_y, p=MM_Q).astype(float),
            bins=edges,
        )
        for _ in range(MM_REPLICATES)
    )


def library_mm_kl(h: dv.HistogramPair) -> float:
    """``kl_from_histogram(h, bias_correction="miller-madow")``: plug-in minus bias, unclipped."""
    r = dv.kl_from_histogram(h, bias_correction="miller-madow")
    return float(r.plugin) - float(r.bias)


def plugin_kl_minus(bias: Callable[[dv.HistogramPair], float]) -> Callable[..., float]:
    """The plug-in KL of the histogram less a wrong first-order bias."""

    def corrected(h: dv.HistogramPair) -> float:
        return float(dv.kl_from_histogram(h).value) - bias(h)

    return corrected


def occupied_x(h: dv.HistogramPair) -> int:
    """Bins where x has a value."""
    return int(np.count_nonzero(h.counts_x))


def ratio_sum(h: dv.HistogramPair) -> float:
    """Sum over the bins of p_hat / q_hat (x's bins; q_hat > 0 there in this experiment)."""
    p, q = h.counts_x / h.n_x, h.counts_y / h.n_y
    return float(np.sum(p[p > 0] / q[p > 0]))


# estimate.bootstrap-seeded ------------------------------------------------------------------

#: The bootstrap check's seeds, replicates and level.
BOOT_SEEDS = tuple(range(6))
BOOT_N = 299
BOOT_LEVEL = 0.9
_SHARED_GENERATOR: list[np.random.Generator] = []


def boot_samples(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """X: 400 values of N(0, 1); y: 300 of N(0.5, 1)."""
    return rng.normal(0.0, 1.0, 400), rng.normal(0.5, 1.0, 300)


def library_boot(x: np.ndarray, y: np.ndarray, name: str, seed: int) -> tuple[Any, ...]:
    """The interval, n_boot and seed of a binned estimate with a bootstrap ci and this seed."""
    estimator = {"js": dv.js_from_samples, "kl": dv.kl_from_samples}[name]
    r = estimator(x, y, bins="quantile", ci=BOOT_LEVEL, n_boot=BOOT_N, seed=seed)
    return tuple(r.interval), r.n_boot, r.seed


def boot_fresh_entropy(x: np.ndarray, y: np.ndarray, name: str, seed: int) -> tuple[Any, ...]:
    """The seed ignored: the replicates drawn from fresh entropy, the seed still reported."""
    interval, n_boot, _ = library_boot(x, y, name, None)  # type: ignore[arg-type]
    return interval, n_boot, seed


def boot_shared_generator(x: np.ndarray, y: np.ndarray, name: str, seed: int) -> tuple[Any, ...]:
    """One generator seeded at the first call and reused by the next ones (module state)."""
    if not _SHARED_GENERATOR:
        _SHARED_GENERATOR.append(np.random.default_rng(seed))
    interval, n_boot, _ = library_boot(x, y, name, _SHARED_GENERATOR[0])  # type: ignore[arg-type]
    return interval, n_boot, seed


def boot_default_count(x: np.ndarray, y: np.ndarray, name: str, seed: int) -> tuple[Any, ...]:
    """The replicate count reported as the default, not the one asked for."""
    interval, _, used = library_boot(x, y, name, seed)
    return interval, 1000, used


# estimate.discriminator-returned ------------------------------------------------------------


def disc_samples(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """X: 500 values of N(0, 1); y: 700 of N(1, 1)."""
    return rng.normal(0.0, 1.0, 500), rng.normal(1.0, 1.0, 700)


def shifted_d(shift: float) -> Callable[[Any], np.ndarray]:
    """A fixed discriminator sigma(1/2 + shift - z): D* at shift 0, a weaker one otherwise."""

    def d(points: Any) -> np.ndarray:
        z = np.asarray(points, dtype=float).reshape(len(points), -1)[:, 0]
        return 1.0 / (1.0 + np.exp(z - 0.5 - shift))

    return d


def library_disc_returned(x: np.ndarray, y: np.ndarray, shift: float) -> tuple[float, Any]:
    """The bound of js_discriminator with a fixed D, and the discriminator it returns."""
    r = dv.js_discriminator(x, y, classifier=shifted_d(shift))
    return float(r), r.discriminator


def disc_returned_as(transform: Callable[[np.ndarray], np.ndarray]):
    """The library's bound with its returned discriminator's output transformed (a slip)."""

    def estimate(x: np.ndarray, y: np.ndarray, shift: float) -> tuple[float, Any]:
        value, returned = library_disc_returned(x, y, shift)
        return value, lambda z: transform(np.asarray(returned(z)))

    return estimate


# --------------------------------------------------------------------------------------------
# estimate.order-statistics-radix: the copy-free selection of the fd and auto rules' quartiles
# --------------------------------------------------------------------------------------------

#: Pooled values of the bucket-overflow case: more than the bucket selection keeps
#: (``_bin_rules.SELECT_KEEP``) tie at one value, so the rules fall back to the radix passes.
OVERFLOW_SIZE = 1 << 20


def order_statistic_cases() -> list[tuple[str, np.ndarray, np.ndarray, float, float]]:
    """The cases ``(name, x, y, lo, hi)`` of the selection's claim.

    Signs, signed zeros, subnormals, values near the float limit, ties, a range that cuts both
    samples, float32 data and a bucket overflow.
    """
    rng = np.random.default_rng(1764)
    tiny = np.array([0.0, -0.0, 5e-324, -5e-324, 7 * 5e-324, 2.2e-308, -2.2e-308])
    huge = np.array([1.7e308, -1.7e308, 1e300, -1e300, np.inf, -np.inf])
    x = np.concatenate([rng.normal(0.0, 1e3, 300), tiny, huge[:3]])
    y = np.concatenate(
        [rng.normal(0.0, 1.0, 200), np.repeat([-2.5, 0.0, 3.0], [40, 30, 50]), huge[3:]]
    )
    overflow_x = np.zeros(OVERFLOW_SIZE)
    overflow_x[:1000] = rng.normal(0.0, 1.0, 1000)
    overflow_y = np.zeros(OVERFLOW_SIZE + 5)
    overflow_y[:7] = [1.0, 2.0, 3.0, -1.0, -2.0, -3.0, 0.5]
    negative = -np.abs(rng.standard_cauchy(400))
    # float32: its own extremes (near its limit, its subnormals) instead of float64's
    extremes32 = [3.4e38, -3.4e38, 1.4e-45, -1.4e-45, 0.0, -0.0]
    x32 = np.concatenate([x[np.abs(x) < 1e30], extremes32[:3]]).astype(np.float32)
    y32 = np.concatenate([y[np.abs(y) < 1e30], extremes32[3:]]).astype(np.float32)
    return [
        ("signs, zeros, subnormals, huge", x, y, -1.7e308, 1.7e308),
        ("a range that cuts both samples", x, y, -1.0, 2.5),
        ("all negative, heavy-tailed", negative, negative[::-3] * 0.5, -np.inf, np.inf),
        ("float32 data", x32, y32, -3.4e38, 3.4e38),
        ("ties overflow the buckets", overflow_x, overflow_y, -10.0, 10.0),
        *dask_order_case(x, y),
    ]


def as_dask(*arrays: np.ndarray, chunks: int) -> tuple[Any, ...] | None:
    """The arrays as dask arrays in chunks of ``chunks`` values; None without dask (optional)."""
    try:
        import dask.array as da
    except ImportError:
        return None
    return tuple(da.from_array(a, chunks=chunks) for a in arrays)


def dask_order_case(x: np.ndarray, y: np.ndarray) -> list[tuple[str, Any, Any, float, float]]:
    """The samples as dask arrays in chunks of 97, a range that cuts both (none without dask)."""
    lazy = as_dask(x, y, chunks=97)
    return [] if lazy is None else [("dask arrays, a range", *lazy, -1.0, 2.5)]


def _is_dask(a: Any) -> bool:
    return type(a).__module__.split(".")[0] == "dask"


def pooled_in_range(x: Any, y: Any, lo: float, hi: float) -> np.ndarray:
    """The pooled values in [lo, hi], compared in float64 (as the library's kernels do)."""
    v = np.concatenate([np.asarray(x), np.asarray(y)]).astype(np.float64)
    return v[(v >= lo) & (v <= hi)]


def order_ranks(n: int) -> list[int]:
    """Ranks to ask: both ends, the quartiles' neighbourhoods and the middle."""
    picks = {0, 1, n // 4, n // 4 + 1, n // 2, (3 * n) // 4, (3 * n) // 4 + 1, n - 2, n - 1}
    return sorted(r for r in picks if 0 <= r < n)


def sorted_ranks(x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: list[int]) -> list:
    """The route: ``np.sort`` of the pooled in-range values, read at the ranks."""
    ordered = np.sort(pooled_in_range(x, y, lo, hi))
    return [float(ordered[r]) for r in ranks]


def bucket_overflows(x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: list[int]) -> bool:
    """Whether the bucket selection gives up on this case (so the radix passes answer)."""
    from divergences import _bin_rules, _compiled

    if _is_dask(x):  # no bucket selection on dask arrays: the radix passes, chunk by chunk
        return False
    ok, _ = _compiled.histogram_pair_select(
        x, y, lo, hi, np.array(ranks, np.int64), _bin_rules.SELECT_BUCKETS, _bin_rules.SELECT_KEEP
    )
    return not ok


def library_order_statistics(
    x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: list[int]
) -> list:
    """The library: the rules' selection where the buckets give up, else the radix passes.

    Where the buckets give up, the rules' selection falls back to the radix passes.
    """
    from divergences import _bin_rules

    if _is_dask(x) or bucket_overflows(x, y, lo, hi, ranks):
        return [float(v) for v in _bin_rules._pooled_order_statistics(x, y, lo, hi, ranks)]
    return [float(_bin_rules.pooled_order_statistic(x, y, lo, hi, r)) for r in ranks]


def raw_bit_order(x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: list[int]) -> list:
    """Wrong: keys are the raw IEEE bits, negatives not flipped.

    The negatives then sort after the positives, the most negative last.
    """
    v = pooled_in_range(x, y, lo, hi)
    ordered = v[np.argsort(v.view(np.uint64), kind="stable")]
    return [float(ordered[r]) for r in ranks]


def ranks_from_one(x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: list[int]) -> list:
    """Wrong: the r-th smallest counted from 1 (``sorted[r - 1]``)."""
    ordered = np.sort(pooled_in_range(x, y, lo, hi))
    return [float(ordered[r - 1]) for r in ranks]


def range_ignored(x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: list[int]) -> list:
    """Wrong: ranks among all pooled values, the range not applied."""
    ordered = np.sort(np.concatenate([np.asarray(x), np.asarray(y)]).astype(np.float64))
    return [float(ordered[r]) for r in ranks]


def ties_collapsed(x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: list[int]) -> list:
    """Wrong: the r-th smallest distinct value (ties counted once)."""
    distinct = np.unique(pooled_in_range(x, y, lo, hi))
    return [float(distinct[min(r, distinct.size - 1)]) for r in ranks]


def x_counted_only(x: np.ndarray, y: np.ndarray, lo: float, hi: float, ranks: list[int]) -> list:
    """Wrong: a pass that counts x's values only (y's digits never added)."""
    ordered = np.sort(pooled_in_range(x, x[:0], lo, hi))
    return [float(ordered[min(r, ordered.size - 1)]) for r in ranks]


# --------------------------------------------------------------------------------------------
# estimate.discriminator-mlp: the MLP classifier fits a D* no quadratic logit reaches
# --------------------------------------------------------------------------------------------

#: P: equal parts of N(c, 0.4^2) at c = -3, 0, 3; Q: N(0, 2^2). log(p/q) has three bumps.
MLP_CENTERS = (-3.0, 0.0, 3.0)
MLP_SD, MLP_Q_SD = 0.4, 2.0
MLP_SIZES = (600, 300)
MLP_FOLDS = 2
MLP_SEEDS = tuple(range(7))
#: Largest median (over MLP_SEEDS) of the mean absolute error of D against D*, weighted by
#: (p + q)/2 on a grid: measured 0.031-0.106 per seed (median 0.043; 0.058 on seven other
#: seeds) for the MLP, 0.22-0.23 for the quadratic logit, 0.25 for the affine one, 0.12-0.14
#: with the sample sizes as priors.
MLP_D_ERROR = 0.09


def mlp_p(z: np.ndarray) -> np.ndarray:
    """The density of P."""
    from scipy import stats

    return np.mean([stats.norm.pdf(z, c, MLP_SD) for c in MLP_CENTERS], axis=0)


def mlp_q(z: np.ndarray) -> np.ndarray:
    """The density of Q."""
    from scipy import stats

    return stats.norm.pdf(z, 0.0, MLP_Q_SD)


def mlp_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grid z on [-6, 6], weights (p + q)/2 normalised on it, and D* = p/(p + q) there."""
    z = np.linspace(-6.0, 6.0, 241)
    p, q = mlp_p(z), mlp_q(z)
    weights = (p + q) / np.sum(p + q)
    return z, weights, p / (p + q)


def mlp_samples(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded samples of P and Q of the sizes MLP_SIZES."""
    rng = np.random.default_rng(1000 + seed)
    n, m = MLP_SIZES
    x = rng.choice(MLP_CENTERS, n) + MLP_SD * rng.standard_normal(n)
    return x, MLP_Q_SD * rng.standard_normal(m)


def d_error(d: Callable[[np.ndarray], Any]) -> float:
    """Mean absolute error of a discriminator against D*, weighted by the mixture on the grid."""
    z, weights, d_star = mlp_grid()
    return float(np.sum(weights * np.abs(np.asarray(d(z), dtype=float) - d_star)))


def library_mlp(x: np.ndarray, y: np.ndarray, seed: int) -> Callable[[np.ndarray], Any]:
    """The library: the MLP discriminator js_discriminator fits (cross-fitted, folds averaged)."""
    fitted = dv.js_discriminator(x, y, classifier="mlp", folds=MLP_FOLDS, seed=seed)
    return fitted.discriminator


def mlp_replaced_by(kind: str) -> Callable[..., Callable[[np.ndarray], Any]]:
    """Wrong: another of the library's classifiers fitted in place of the MLP."""

    def fit(x: np.ndarray, y: np.ndarray, seed: int) -> Callable[[np.ndarray], Any]:
        return dv.js_discriminator(x, y, classifier=kind, folds=MLP_FOLDS, seed=seed).discriminator

    return fit


def mlp_sizes_as_priors(x: np.ndarray, y: np.ndarray, seed: int) -> Callable[[np.ndarray], Any]:
    """Wrong: the plain logistic loss, whose D is the posterior with the sizes as priors.

    That is the balanced fit's logit plus log(n_x / n_y).
    """
    d = library_mlp(x, y, seed)
    shift = math.log(x.size / y.size)

    def prior_weighted(z: np.ndarray) -> np.ndarray:
        t = np.asarray(d.logit(z), dtype=float) + shift
        return 1.0 / (1.0 + np.exp(-t))

    return prior_weighted


# --------------------------------------------------------------------------------------------
# estimate.discriminator-result-fields: what a js_discriminator result says it was computed with
# --------------------------------------------------------------------------------------------

FIELDS_SIZES = (300, 200)
FIELDS_FOLDS = 3


class CountingClassifier:
    """A user's classifier (scikit-learn's interface) that records every fit it is asked for.

    ``log`` is shared by the copies js_discriminator makes (one per fold): each fit appends the
    number of points labelled 1 and 0 and their dimension. Its D is a logistic function of the
    difference of the class means, a valid (not optimal) discriminator.
    """

    def __init__(self, log: list[tuple[int, int, int]]) -> None:
        self.log = log
        self.direction: np.ndarray | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> CountingClassifier:
        return CountingClassifier(self.log)  # the copies share the log

    def fit(self, points: np.ndarray, labels: np.ndarray) -> CountingClassifier:
        """Record the fit, and take the direction between the class means."""
        ones = labels == 1
        self.log.append((int(ones.sum()), int((~ones).sum()), int(points.shape[1])))
        self.direction = points[ones].mean(axis=0) - points[~ones].mean(axis=0)
        return self

    def predict_proba(self, points: np.ndarray) -> np.ndarray:
        """Columns: the probability of label 0, of label 1."""
        if self.direction is None:
            raise RuntimeError("predict_proba before fit")
        p = 1.0 / (1.0 + np.exp(-(points @ self.direction)))
        return np.column_stack([1.0 - p, p])


def fields_samples() -> tuple[np.ndarray, np.ndarray]:
    """Seeded 2-D samples of two shifted normals, of the sizes FIELDS_SIZES."""
    rng = np.random.default_rng(2718)
    n, m = FIELDS_SIZES
    return rng.normal(0.0, 1.0, (n, 2)), rng.normal(0.5, 1.0, (m, 2))


def disc_fields(estimate: Any) -> dict[str, Any]:
    """The fields a js_discriminator result reports about how it was computed."""
    names = ("classifier", "folds", "n_x", "n_y", "dimension")
    return {name: getattr(estimate, name) for name in names}


def library_disc_fields(x: np.ndarray, y: np.ndarray, classifier: Any) -> dict[str, Any]:
    """The library: js_discriminator's reported fields (FIELDS_FOLDS folds, seeded)."""
    return disc_fields(dv.js_discriminator(x, y, classifier=classifier, folds=FIELDS_FOLDS, seed=3))


def disc_fields_with(change: Callable[[dict[str, Any], Any], None]) -> Callable[..., dict]:
    """Wrong: the library's fields with one assembled wrongly (``change`` edits them)."""

    def fields(x: np.ndarray, y: np.ndarray, classifier: Any) -> dict[str, Any]:
        found = library_disc_fields(x, y, classifier)
        change(found, classifier)
        return found

    return fields


def _swap_sizes(found: dict[str, Any], classifier: Any) -> None:
    found["n_x"], found["n_y"] = found["n_y"], found["n_x"]


def _default_folds(found: dict[str, Any], classifier: Any) -> None:
    found["folds"] = 5


def _object_unnamed(found: dict[str, Any], classifier: Any) -> None:
    if not isinstance(classifier, str) and not callable(classifier):
        found["classifier"] = "object"


sizes_swapped = disc_fields_with(_swap_sizes)
folds_default = disc_fields_with(_default_folds)
object_unnamed = disc_fields_with(_object_unnamed)


# --------------------------------------------------------------------------------------------
# estimate.knn-dequantize-seeded and estimate.knn-dequantize-reported: the noise of the
# dequantization, and the grid steps a kNN estimate reports
# --------------------------------------------------------------------------------------------

DEQ_SEEDS = (7, 8)
DEQ_ESTIMATORS = ("kl_knn", "js_knn")


def deq_samples() -> tuple[np.ndarray, np.ndarray]:
    """Two samples of 400 points on the grid of steps (1, 1/4), with repeated values.

    x's second coordinate lies on the coarser grid of step 1/2, y's on that of step 1/4.
    """
    rng = np.random.default_rng(1309)
    x = rng.integers(0, 6, (400, 2)).astype(float)
    y = rng.integers(0, 8, (400, 2)).astype(float)
    x[:, 1] *= 0.5
    y[:, 1] *= 0.25
    return x, y


def seed_forms() -> dict[str, Callable[[int], Any]]:
    """How a seed is passed: as an int, or as a new Generator made from it."""
    return {"int": lambda s: s, "Generator": np.random.default_rng}


def _estimator(name: str) -> Callable[..., Any]:
    return dv.js_knn if name == "js_knn" else dv.kl_knn


def library_dequantized_estimate(name: str, x: np.ndarray, y: np.ndarray, seed: Any) -> float:
    """The library: the default treatment of ties (dequantize) with this seed."""
    return float(_estimator(name)(x, y, seed=seed))


def grid_step_route(values: np.ndarray) -> float:
    """The smallest gap between distinct values (exact on the binary grids of these checks)."""
    return float(np.diff(np.unique(values)).min())


def noise_from(make: Callable[[Any], np.random.Generator]) -> Callable[..., float]:
    """Wrong: the same dequantization with noise from another generator, ``make(seed)``.

    Values shifted to the grid's origin, one uniform step of noise per coordinate, then the
    library with ``ties="raise"`` on the spread values.
    """

    def estimate(name: str, x: np.ndarray, y: np.ndarray, seed: Any) -> float:
        steps = np.array([grid_step_route(np.concatenate([x[:, j], y[:, j]])) for j in (0, 1)])
        origin = np.minimum(x.min(axis=0), y.min(axis=0))
        rng = make(seed)
        xs = x - origin + (rng.random(x.shape) - 0.5) * steps
        ys = y - origin + (rng.random(y.shape) - 0.5) * steps
        return float(_estimator(name)(xs, ys, ties="raise", seed=seed))

    return estimate


_SHARED_NOISE: list[np.random.Generator] = []


def _shared_generator(seed: Any) -> np.random.Generator:
    """One generator for every call, seeded once at its first use."""
    if not _SHARED_NOISE:
        _SHARED_NOISE.append(np.random.default_rng(0x64657175))
    return _SHARED_NOISE[0]


noise_fresh_entropy = noise_from(lambda seed: np.random.default_rng())
noise_seeded_once = noise_from(_shared_generator)
noise_seed_ignored = noise_from(lambda seed: np.random.default_rng(0x64657175))


def library_reported_steps(name: str, x: np.ndarray, y: np.ndarray) -> Any:
    """The library: the grid steps the estimate reports (``dequantized``)."""
    return _estimator(name)(x, y, seed=11).dequantized


def steps_empty_when_none(name: str, x: np.ndarray, y: np.ndarray) -> Any:
    """Wrong: an empty tuple, not None, when nothing was dequantized."""
    steps = library_reported_steps(name, x, y)
    return () if steps is None else steps


def steps_of_x(name: str, x: np.ndarray, y: np.ndarray) -> Any:
    """Wrong: the steps of x's own values, not of the grid x and y share."""
    steps = library_reported_steps(name, x, y)
    if steps is None:
        return None
    own = [np.unique(x[:, j]) for j in range(x.shape[1])]
    # a coordinate constant in x has no step of its own: the reported one is kept there
    return tuple(
        float(np.diff(v).min()) if v.size > 1 else step for v, step in zip(own, steps, strict=True)
    )


def steps_of_first(name: str, x: np.ndarray, y: np.ndarray) -> Any:
    """Wrong: the first coordinate's step reported for every coordinate."""
    steps = library_reported_steps(name, x, y)
    return None if steps is None else (steps[0],) * len(steps)


def steps_cases() -> list[tuple[str, np.ndarray, np.ndarray, Any]]:
    """The cases ``(case, x, y, route)`` of the reported steps.

    Tied grid values (their steps), continuous values and distinct values on a grid (None:
    nothing to dequantize).
    """
    x, y = deq_samples()
    rng = np.random.default_rng(1310)
    continuous = rng.normal(0.0, 1.0, (300, 2)), rng.normal(0.5, 1.0, (300, 2))
    distinct = (
        rng.permutation(1000)[:300].reshape(150, 2).astype(float),
        rng.permutation(1000)[300:600].reshape(150, 2).astype(float) + 0.5,
    )
    pooled = np.concatenate([x, y])
    route = tuple(grid_step_route(pooled[:, j]) for j in (0, 1))
    # a third coordinate constant in both samples lies on every grid: it takes the median step
    # of the others
    constant = (
        np.column_stack([x, np.full(len(x), 7.0)]),
        np.column_stack([y, np.full(len(y), 7.0)]),
    )
    return [
        ("grid values that repeat", x, y, route),
        ("the same with a constant third coordinate", *constant, (*route, float(np.median(route)))),
        ("continuous values", *continuous, None),
        ("distinct values on a grid", *distinct, None),
    ]


# --------------------------------------------------------------------------------------------
# estimate.knn-grid-detection: which samples the kNN estimators read as lying on a grid
# --------------------------------------------------------------------------------------------

#: What the check reads when the estimator refuses the samples (zero distances off any grid).
REFUSED = "ValueError (ties off a grid)"


def grid_cases() -> list[tuple[str, np.ndarray, np.ndarray, Any]]:
    """The cases ``(case, x, y, expected)`` of the grid test.

    1-D samples with repeated values and, by construction, the step of their common grid, or
    REFUSED where they lie on none.
    """
    rng = np.random.default_rng(1948)
    two_decimals = np.round(rng.normal(1000, 5, 2000), 2), np.round(rng.normal(1001, 5, 2000), 2)
    as_float32 = tuple(
        np.round(rng.normal(100, 3, 2000), 1).astype(np.float32).astype(np.float64)
        for _ in range(2)
    )
    base = rng.normal(0, 1, 500)
    resampled = base[rng.integers(0, 500, 500)], rng.normal(0.3, 1, 500)
    wide = rng.choice([0.0, 1.0, 2.0**53], 300), rng.choice([0.0, 1.0, 2.0**53], 300)
    limit = rng.choice([0.0, 1.0, 2.0**52], 300), rng.choice([0.0, 1.0, 2.0**52], 300)
    subnormal = rng.choice([0.0, 5e-324, 1.0], 300), rng.choice([0.0, 5e-324, 1.0], 300)
    # far from the origin: 2^51.2 steps from 0 to the values, a few thousand across them
    far = tuple(4e13 + rng.integers(0, 3000, 1000) / 64.0 for _ in range(2))
    return [
        ("two decimals, values near 1000 (3000 steps)", *two_decimals, 0.01),
        ("one decimal near 100, rounded to float32", *as_float32, 0.1),
        ("continuous values resampled (repeats off any grid)", *resampled, REFUSED),
        ("the values 0, 1 and 2^53: a grid of 2^53 steps", *wide, REFUSED),
        ("the values 0, 1 and 2^52: exactly 2^52 steps", *limit, REFUSED),
        ("a subnormal gap beside unit gaps", *subnormal, REFUSED),
        ("steps of 1/64 near 4e13: 3000 steps across, 2.6e15 from the origin", *far, 1 / 64),
    ]


def library_grid(x: np.ndarray, y: np.ndarray) -> Any:
    """The library: the step kl_knn dequantized with (1-D), or REFUSED on its ties error."""
    try:
        steps = dv.kl_knn(x, y, seed=1).dequantized
    except ValueError as error:
        if "repeated values" not in str(error):  # a refusal for another reason is no verdict
            raise
        return REFUSED
    return None if steps is None else steps[0]


def own_grid(
    *,
    fixed_tolerance: bool = False,
    span_bound: bool = True,
    first_gap: bool = False,
    untested: bool = False,
    span_sum: bool = False,
) -> Callable[[np.ndarray, np.ndarray], Any]:
    """Wrong grid tests (each case here repeats values, so a grid is dequantized).

    ``fixed_tolerance``: gaps within 1e-6 of a multiple, not widened with the values' size;
    ``span_bound=False``: no bound on the steps the values span; ``first_gap``: the step is
    the first gap, not the smallest; ``untested``: every repeat dequantized with the smallest
    gap as its step, the gaps not tested; ``span_sum``: the span taken as the sum of the
    extreme values, not their difference (a sign slip).
    """

    def detect(x: np.ndarray, y: np.ndarray) -> Any:
        values = np.unique(np.concatenate([x, y]))
        gaps = np.diff(values)
        h = float(gaps[0] if first_gap else gaps.min())
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            size = float(np.max(np.abs(values)))
            tolerance = 1e-6 if fixed_tolerance else min(1e-3, max(1e-6, 2.0**-20 * size / h))
            multiples = gaps / h
            on = bool(np.all(np.abs(multiples - np.rint(multiples)) <= tolerance))
            ends = values[-1] + values[0] if span_sum else values[-1] - values[0]
            span = float(ends) / h
        if untested or (on and math.isfinite(span) and (span < 2.0**52 or not span_bound)):
            return h
        return REFUSED

    return detect


# --------------------------------------------------------------------------------------------
# estimate.knn-ties-raise: with ties="raise", a zero neighbour distance is refused wherever it is
# --------------------------------------------------------------------------------------------

#: Orders of the check: kl_knn's default k = 1, and js_knn at k = 3 (zero at 4 copies in one
#: sample, 7 in the mixture).
TIES_K = {"kl_knn": 1, "js_knn": 3, "js_knn_batch": 3}
#: What the check reads when ties="raise" refuses the samples.
TIES_REFUSED = "ValueError (zero distances)"


def ties_raise_cases() -> list[tuple[str, str, np.ndarray, np.ndarray, bool]]:
    """The cases ``(estimator, case, x, y, refused)`` of the ties check.

    Continuous 2-D samples of 300 points (1,001 in two batches, above the sizes of
    ``js_knn_batch``'s sweep, where it takes js_knn's route pair by pair) with copies of one
    point planted, and
    whether some neighbour distance the estimator uses is then 0.
    """
    rng = np.random.default_rng(1987)

    def planted(copies_x: int, copies_y: int, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
        x, y = rng.normal(0, 1, (n, 2)), rng.normal(0.4, 1, (n, 2))
        point = np.array([0.25, -0.5])
        x[:copies_x], y[:copies_y] = point, point
        return x, y

    def batch(pair: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        others = [planted(0, 0, len(pair[0])) for _ in range(2)]
        xs = np.stack([others[0][0], pair[0], others[1][0]])
        return xs, np.stack([others[0][1], pair[1], others[1][1]])

    return [
        ("kl_knn", "x repeats a point (2 copies): its own distance 0", *planted(2, 0), True),
        ("kl_knn", "a point of x also in y: its distance to y 0", *planted(1, 1), True),
        (
            "kl_knn",
            "y repeats a point (2 copies): distances kl_knn never uses",
            *planted(0, 2),
            False,
        ),
        ("js_knn", "x repeats a point (4 copies)", *planted(4, 0), True),
        ("js_knn", "y repeats a point (4 copies)", *planted(0, 4), True),
        ("js_knn", "3 copies in each: 6 in the mixture, no k-th distance 0", *planted(3, 3), False),
        # batches of three pairs: the middle pair as above, the others continuous
        ("js_knn_batch", "pair 1 repeats a point of x (4 copies)", *batch(planted(4, 0)), True),
        ("js_knn_batch", "pair 1 repeats a point of y (4 copies)", *batch(planted(0, 4)), True),
        ("js_knn_batch", "pair 1 with 3 copies in each", *batch(planted(3, 3)), False),
        (
            "js_knn_batch",
            "1,001 points per sample (js_knn's route): pair 1 repeats a point of x (4 copies)",
            *batch(planted(4, 0, 1001)),
            True,
        ),
        (
            "js_knn_batch",
            "1,001 points per sample (js_knn's route): pair 1 with 3 copies in each",
            *batch(planted(3, 3, 1001)),
            False,
        ),
    ]


def library_ties_raise(name: str, x: np.ndarray, y: np.ndarray) -> Any:
    """The library with ties="raise" at the orders TIES_K: its estimate, or TIES_REFUSED."""
    if name == "js_knn_batch":
        try:
            return np.asarray(dv.js_knn_batch(x, y, k=TIES_K[name], ties="raise", clip=False))
        except ValueError:
            return TIES_REFUSED
    estimator = dv.js_knn if name == "js_knn" else dv.kl_knn
    try:
        return float(estimator(x, y, k=TIES_K[name], ties="raise").unclipped)
    except ValueError:
        return TIES_REFUSED


def own_knn(
    name: str, x: np.ndarray, y: np.ndarray, checked: tuple[str, ...] = ("own", "cross")
) -> Any:
    """kl_knn's and js_knn's estimates by scipy's k-d tree, refusing zero distances in ``checked``.

    "own": x's for KL, x's and y's for JS; "cross": x to y for KL, the mixture for JS;
    "values": any repeated point, the distances unread.
    """
    from scipy.special import digamma

    if name == "js_knn_batch":  # pair by pair: refused if one pair is
        values = [own_knn("js_knn", a, b, checked) for a, b in zip(x, y, strict=True)]
        return TIES_REFUSED if TIES_REFUSED in values else np.array(values)
    k = TIES_K[name]
    n, d = x.shape
    if "values" in checked:
        pooled = np.concatenate([x, y])
        if np.unique(pooled, axis=0).shape[0] < pooled.shape[0]:
            return TIES_REFUSED
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "kl_knn":
            rho = cKDTree(x).query(x, k=[k + 1])[0][:, 0]
            nu = cKDTree(y).query(x, k=[k])[0][:, 0]
            if ("own" in checked and (rho == 0).any()) or ("cross" in checked and (nu == 0).any()):
                return TIES_REFUSED
            return d * float(np.mean(np.log(nu / rho))) + math.log(len(y) / (n - 1))
        pooled = np.concatenate([x, y])
        r_pool = cKDTree(pooled).query(pooled, k=[2 * k + 1])[0][:, 0]
        r_x = cKDTree(x).query(x, k=[k + 1])[0][:, 0]
        r_y = cKDTree(y).query(y, k=[k + 1])[0][:, 0]
        own_zero = (r_x == 0).any() or (r_y == 0).any()
        if ("own" in checked and own_zero) or ("cross" in checked and (r_pool == 0).any()):
            return TIES_REFUSED
        h_m = float(digamma(2 * n) - digamma(2 * k)) + d * float(np.mean(np.log(r_pool)))
        h_x = float(digamma(n) - digamma(k)) + d * float(np.mean(np.log(r_x)))
        h_y = float(digamma(n) - digamma(k)) + d * float(np.mean(np.log(r_y)))
        return h_m - 0.5 * h_x - 0.5 * h_y


def ties_checked(checked: tuple[str, ...]) -> Callable[[str, np.ndarray, np.ndarray], Any]:
    """Wrong: the tie test made on ``checked`` only (see own_knn)."""

    def estimate(name: str, x: np.ndarray, y: np.ndarray) -> Any:
        return own_knn(name, x, y, checked)

    return estimate


# --------------------------------------------------------------------------------------------
# estimate.zero-width-sturges: a zero fd width (the pooled IQR is 0) -> numpy's sturges edges
# --------------------------------------------------------------------------------------------

#: How each case of the check asks for the edges: the two estimators, the histogram, a batch.
ZERO_WIDTH_ROUTES = ("js_from_samples", "kl_from_samples", "histogram_pair", "batch of 3 pairs")


def spike_with_slab(rng: np.random.Generator, at: float, spike: int, slab: int) -> np.ndarray:
    """``spike`` values at ``at`` and ``slab`` normal ones around it, shuffled."""
    values = np.concatenate([np.full(spike, at), rng.normal(at, 1.0, slab)])
    rng.shuffle(values)
    return values


def zero_width_cases(rng: np.random.Generator) -> list[tuple[str, Any, Any, Any, str]]:
    """(label, x, y, range, route): a pooled interquartile range of 0, the values spread.

    More than half of the pooled values sit at one value, the rest around it. Sizes that
    differ (and a spike held by one sample only), integers, a slab of subnormals (where the
    sturges width underflows as well, and numpy gives one bin), a range that keeps the spike,
    and a batch of three such pairs of rows.
    """
    cases: list[tuple[str, Any, Any, Any, str]] = []
    shapes = ((300, 100, 200, 150), (60, 20, 900, 300), (1500, 500, 0, 40))
    for route in ZERO_WIDTH_ROUTES[:3]:
        for sx, nx, sy, ny in shapes:
            x = spike_with_slab(rng, 0.0, sx, nx)
            y = spike_with_slab(rng, 0.0, sy, ny) + (0.5 if sy == 0 else 0.0)
            label = f"float, {sx} + {nx} against {sy} + {ny}"
            cases.append((label, x, y, None, route))
            cases.append((label, x, y, (-1.5, 2.0), route))
        xi = np.concatenate([np.full(400, 3), rng.poisson(6, 100)]).astype(np.int64)
        yi = np.concatenate([np.full(300, 3), rng.poisson(5, 200)]).astype(np.int64)
        integers = "integers, 400 threes + Poisson(6) against 300 + Poisson(5)"
        cases.append((integers, xi, yi, None, route))
        cases.append(("the same integers", xi, yi, (2, 10), route))
        # a slab of a few subnormals: sturges' width underflows to 0 too, numpy's single bin
        xs = np.concatenate([np.zeros(300), [5e-324, 1e-323, 1.5e-323]])
        ys = np.concatenate([np.zeros(200), [5e-324, 2e-323]])
        subnormal = "300 zeros + 3 subnormals against 200 + 2: sturges' width underflows"
        cases.append((subnormal, xs, ys, None, route))
        cases.append(("the same subnormals", xs, ys, (0.0, 1e-323), route))
    xb = np.stack([spike_with_slab(rng, 1.0, 280, 120) for _ in range(3)])
    yb = np.stack([spike_with_slab(rng, 1.0, 200, 200) for _ in range(3)])
    rows = "3 pairs of rows, 280 + 120 against 200 + 200"
    cases.append((rows, xb, yb, None, ZERO_WIDTH_ROUTES[3]))
    return cases


def pooled_quartile_gap(x: np.ndarray, y: np.ndarray, range_: Any) -> float:
    """The pooled interquartile range of the values inside the range, by ``np.percentile``."""
    both = in_range(np.concatenate([x, y]).astype(np.float64), range_)
    upper, lower = np.percentile(both, [75, 25])
    return float(upper - lower)


def library_fd_edges(x: Any, y: Any, range_: Any, route: str) -> np.ndarray:
    """The edges the library used for ``bins="fd"`` along the route (one row per pair)."""
    if route == "js_from_samples":
        edges = dv.js_from_samples(x, y, bins="fd", range=range_).histogram.edges
    elif route == "kl_from_samples":
        edges = dv.kl_from_samples(x, y, bins="fd", range=range_).histogram.edges
    elif route == "histogram_pair":
        edges = dv.histogram_pair(x, y, bins="fd", range=range_).edges
    else:
        edges = dv.histogram_pair(x, y, bins="fd", range=range_, axis=1).edges
    return np.atleast_2d(np.asarray(edges))


def per_pair(edges_of: Callable[[np.ndarray, np.ndarray, Any], np.ndarray]) -> Callable[..., Any]:
    """A route for one pair applied to each pair of rows: one row of edges per pair.

    As in the library's batches, the pairs share the largest count any pair gives, each over
    its own pooled span.
    """

    def route(x: Any, y: Any, range_: Any, route: str) -> np.ndarray:
        if np.ndim(x) == 1:
            return np.atleast_2d(edges_of(np.asarray(x), np.asarray(y), range_))
        rows = [edges_of(a, b, range_) for a, b in zip(x, y, strict=True)]
        count = max(e.size for e in rows) - 1
        return np.stack([np.linspace(e[0], e[-1], count + 1) for e in rows])

    return route


def _numpy_edges(rule: str) -> Callable[[np.ndarray, np.ndarray, Any], np.ndarray]:
    def edges(x: np.ndarray, y: np.ndarray, range_: Any) -> np.ndarray:
        return np.histogram_bin_edges(np.concatenate([x, y]), rule, range_)

    return edges


#: The check's route: numpy's ``sturges`` edges of the pooled sample (inside the range).
numpy_sturges_edges = per_pair(_numpy_edges("sturges"))
#: numpy's ``auto`` edges of each pair of a batch (a route of estimate.kl-default-reported).
numpy_auto_rows = per_pair(_numpy_edges("auto"))
#: Falsifier: numpy's own ``fd`` edges, a single bin when the width is 0.
numpy_fd_edges = per_pair(_numpy_edges("fd"))


def _half_sqrt_width(x: np.ndarray, y: np.ndarray, range_: Any) -> np.ndarray:
    both = np.concatenate([x, y])
    count = math.ceil(2.0 * math.sqrt(in_range(both, range_).size))
    try:
        return np.histogram_bin_edges(both, count, range_)
    except ValueError:  # more bins than a range of a few subnormals holds: numpy's one bin
        return np.histogram_bin_edges(both, 1, range_)


#: Falsifier: a zero fd width replaced by half the sqrt rule's width, ceil(2 sqrt(n)) bins, as
#: numpy >= 2.3's ``auto`` does (written out: before 2.3 ``auto`` is ``sturges`` here).
half_sqrt_width_edges = per_pair(_half_sqrt_width)


def _sturges_of_x(x: np.ndarray, y: np.ndarray, range_: Any) -> np.ndarray:
    both = np.concatenate([x, y])
    span = range_ if range_ is not None else (both.min(), both.max())
    count = np.histogram_bin_edges(in_range(x, range_), "sturges", span).size - 1
    return np.histogram_bin_edges(both, count, span)


#: Falsifier: the sturges count from x's values alone, over the pooled span.
sturges_of_x_edges = per_pair(_sturges_of_x)


def _sturges_count_always(x: np.ndarray, y: np.ndarray, range_: Any) -> np.ndarray:
    both = in_range(np.concatenate([x, y]), range_)
    span = range_ if range_ is not None else (both.min(), both.max())
    count = math.ceil(math.log2(both.size) + 1.0)
    return np.linspace(float(span[0]), float(span[1]), count + 1)


#: Falsifier: the sturges count ceil(log2 n + 1) over the pooled span whether or not its width
#: underflows (a span of a few subnormals gets that many bins, most of them empty or equal).
sturges_count_always_edges = per_pair(_sturges_count_always)


# --------------------------------------------------------------------------------------------
# estimate.kl-default-reported: kl_from_samples' default bins say which partition they are
# --------------------------------------------------------------------------------------------

#: The reasons of a fallback, as the rule field words them (histogram_pair's Notes).
WKV_REASONS = {
    "range": "range given",
    "batch": "a batch shares one number of bins",
    "tied": "tied quantiles of y",
    "equal": "all values equal",
    "other": "dask or other input",
}


def wkv_reported_cases(rng: np.random.Generator) -> list[tuple[str, Any, Any, dict, str]]:
    """(label, x, y, options, regime): the regime ("wkv" or a key of WKV_REASONS) by design.

    Every call leaves the fused kernel (lists, a base, NaN left out, a range, a batch, dask),
    where the partition is chosen in Python.
    """
    x, y = rng.normal(0.0, 1.5, 400), rng.normal(0.0, 1.0, 300)
    xn = x.copy()
    xn[[3, 50]] = np.nan
    yn = y.copy()
    yn[7] = np.nan
    return [
        ("continuous, lists", x.tolist(), y.tolist(), {}, "wkv"),
        ("continuous, base 2", x, y, {"base": 2.0}, "wkv"),
        ("NaN in x and y left out", xn, yn, {"nonfinite": "omit"}, "wkv"),
        ("x: NaN and one value left", [np.nan, 0.3], y, {"nonfinite": "omit"}, "wkv"),
        ("y: NaN and one value left", x, [0.2, np.nan], {"nonfinite": "omit"}, "wkv"),
        ("x of one value", [0.3], y.tolist(), {}, "wkv"),
        ("y of one value", x.tolist(), [0.2], {}, "wkv"),
        ("a range", x, y, {"range": (-2.0, 2.0), "base": 2.0}, "range"),
        ("a batch of 3 pairs", x.reshape(4, 100)[:3], y.reshape(3, 100), {"axis": 1}, "batch"),
        ("Poisson(3) y: discrete", x.tolist(), rng.poisson(3, 300).tolist(), {}, "tied"),
        ("y = three ones", x.tolist(), [1.0, 1.0, 1.0], {}, "tied"),
        ("x and y one value", [2.0, 2.0], [2.0], {}, "equal"),
        *dask_case(x, y),
    ]


def dask_case(x: np.ndarray, y: np.ndarray) -> list[tuple[str, Any, Any, dict, str]]:
    """X as a dask array in chunks of 100 (none without dask, an optional dependency)."""
    lazy = as_dask(x, chunks=100)
    return [] if lazy is None else [("x a dask array", lazy[0], y, {}, "other")]


def library_kl_partition(x: Any, y: Any, options: dict, regime: str) -> tuple[str, np.ndarray]:
    """The rule ``kl_from_samples`` reports with its default bins, and the edges it used."""
    h = dv.kl_from_samples(x, y, **options).histogram
    return h.rule, np.asarray(h.edges)


def wkv_partition(x: Any, y: Any, pooled_k: bool = False) -> np.ndarray:
    """The WKV partition by numpy: y's quantiles at i/k, k = ceil(sqrt(n_y)), ends widened to x.

    ``pooled_k``: k = ceil(sqrt(n_x + n_y)) instead (a falsifier's slip). NaN left out.
    """
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    xa, ya = xa[np.isfinite(xa)], ya[np.isfinite(ya)]
    k = math.ceil(math.sqrt(ya.size + (xa.size if pooled_k else 0)))
    edges = np.quantile(ya, np.linspace(0.0, 1.0, k + 1))
    edges[0], edges[-1] = min(edges[0], xa.min()), max(edges[-1], xa.max())
    return edges


def auto_edges(x: Any, y: Any, options: dict) -> np.ndarray:
    """The pooled sample's ``auto`` edges by numpy (a batch: each pair's, the largest count)."""
    range_ = options.get("range")
    if options.get("axis") is not None:
        return numpy_auto_rows(np.asarray(x), np.asarray(y), range_, "batch")
    both = np.concatenate([np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float)])
    return np.histogram_bin_edges(both[np.isfinite(both)], "auto", range_)


def reported_always_wkv(x: Any, y: Any, options: dict, regime: str) -> tuple[str, np.ndarray]:
    """Falsifier: the label left at ``wkv`` whatever bins were used."""
    return "wkv", library_kl_partition(x, y, options, regime)[1]


def reported_as_numpy(x: Any, y: Any, options: dict, regime: str) -> tuple[str, np.ndarray]:
    """Falsifier: a fallback labelled ``auto``, as numpy's rule, without saying it fell back."""
    rule, edges = library_kl_partition(x, y, options, regime)
    return ("auto" if rule != "wkv" else rule), edges


def _wkv_considered(x: Any, options: dict) -> bool:
    """Whether the partition is chosen from the values: no range, no batch, no dask array."""
    return options.get("range") is None and options.get("axis") is None and not _is_dask(x)


def _y_quantiles_tied(y: Any) -> bool:
    """Whether two of y's quantiles at i / ceil(sqrt(n_y)) coincide (numpy's quantile)."""
    ya = np.asarray(y, dtype=float)
    ya = ya[np.isfinite(ya)]
    k = math.ceil(math.sqrt(ya.size))
    return k > 1 and not bool(np.all(np.diff(np.quantile(ya, np.linspace(0.0, 1.0, k + 1))) > 0))


def wkv_without_tie_test(x: Any, y: Any, options: dict, regime: str) -> tuple[str, np.ndarray]:
    """Falsifier: the WKV partition whatever y's quantiles (tied ones give empty bins)."""
    if _wkv_considered(x, options):
        edges = wkv_partition(x, y)
        if edges[-1] > edges[0]:  # all values equal: the fallback still
            return "wkv", edges
    return library_kl_partition(x, y, options, regime)


def wkv_range_ignored(x: Any, y: Any, options: dict, regime: str) -> tuple[str, np.ndarray]:
    """Falsifier: the WKV partition of the values even where a range is given."""
    if options.get("range") is not None and not _y_quantiles_tied(y):
        return "wkv", wkv_partition(x, y)
    return library_kl_partition(x, y, options, regime)


def wkv_count_pooled(x: Any, y: Any, options: dict, regime: str) -> tuple[str, np.ndarray]:
    """Falsifier: the WKV partition with k from the pooled size, ceil(sqrt(n_x + n_y))."""
    rule, edges = library_kl_partition(x, y, options, regime)
    if rule != "wkv":  # a fallback: the same numpy edges
        return rule, edges
    return "wkv", wkv_partition(x, y, pooled_k=True)


def label_never_applied(x: Any, y: Any, options: dict, regime: str) -> tuple[str, np.ndarray]:
    """Falsifier: the histogram's own rule for the bins it was handed, the label not applied.

    ``explicit edges`` for the WKV partition, ``auto`` for a fallback.
    """
    rule, edges = library_kl_partition(x, y, options, regime)
    return ("explicit edges" if rule == "wkv" else "auto"), edges


# --------------------------------------------------------------------------------------------
# estimate.knn-js-matched-balls: js_knn is its documented estimator, evaluated exactly
# --------------------------------------------------------------------------------------------

#: (label, n_x, n_y, d, seed, ensemble, k, pairs): unequal sizes either way (blocks that wrap
#: round, a larger sample cut in chunks), an integer and a Generator seed, the ensemble, tiny
#: samples; and batches of ``pairs`` pairs for js_knn_batch (its sweep up to 300 points per
#: sample in 2-D, js_knn's route above; k = 70 cuts each pair's second sample in chunks).
MATCHED_CASES = (
    ("150 + 700 in 2-D", 150, 700, 2, 11, False, None, None),
    ("900 + 100 in 3-D: chunks", 900, 100, 3, 12, False, None, None),
    ("300 + 300 in 2-D", 300, 300, 2, 13, False, None, None),
    ("200 + 450 in 4-D, a Generator seed", 200, 450, 4, "generator", False, None, None),
    ("260 + 900 in 8-D, ensemble", 260, 900, 8, 14, True, None, None),
    ("9 + 40 in 2-D, ensemble", 9, 40, 2, 15, True, None, None),
    ("6 + 6 in 1-D", 6, 6, 1, 16, False, None, None),
    ("2 + 30 in 2-D", 2, 30, 2, 17, False, None, None),
    ("300 + 2000 in 2-D, k = 3", 300, 2000, 2, 18, False, 3, None),
    ("batch: 4 pairs of 5 + 5", 5, 5, 2, None, False, None, 4),
    ("batch: 4 pairs of 11 + 11", 11, 11, 3, None, False, None, 4),
    ("batch: 3 pairs of 200 + 200, k = 70", 200, 200, 2, None, False, 70, 3),
    ("batch: 2 pairs of 1001 + 1001", 1001, 1001, 2, None, False, None, 2),
)


def matched_samples(rng: np.random.Generator, n: int, m: int, d: int, pairs: int | None = None):
    """X ~ N(0, I), y ~ N(0.5, 1.2^2 I) in d dimensions (a batch of ``pairs`` pairs)."""
    lead = () if pairs is None else (pairs,)
    return rng.normal(0.0, 1.0, (*lead, n, d)), rng.normal(0.5, 1.2, (*lead, m, d))


def _seed_of(seed: Any) -> Any:
    """A fresh seed argument: the integer, or a new Generator of a fixed state."""
    return np.random.default_rng(2024) if seed == "generator" else seed


def library_matched(x: np.ndarray, y: np.ndarray, seed: Any, ensemble: bool, k: Any) -> Any:
    """``js_knn``'s unclipped estimate (default order, k, or the ensemble's).

    For a batch, ``js_knn_batch(clip=False)``'s values.
    """
    if x.ndim == 3:
        return np.asarray(dv.js_knn_batch(x, y, k=k, clip=False))
    correction = "ensemble" if ensemble else None
    return float(dv.js_knn(x, y, k=k, seed=_seed_of(seed), bias_correction=correction).unclipped)


def _kth(points: np.ndarray, order: int) -> np.ndarray:
    """Distance of each point to its order-th nearest other point (scipy's k-d tree)."""
    return cKDTree(points).query(points, k=[order + 1])[0][:, 0]


def _entropy(points: np.ndarray, order: int) -> float:
    """The Kozachenko-Leonenko entropy up to log V_d (which cancels in the JSD)."""
    from scipy.special import digamma

    n, d = points.shape
    return float(digamma(n) - digamma(order)) + d * float(np.mean(np.log(_kth(points, order))))


def matched_one(
    small: np.ndarray,
    large: np.ndarray,
    k: int,
    blocks: bool = True,
    matched: bool = True,
    mixture_size: str = "2 n0",
) -> float:
    """The matched-ball estimate of js_knn's Notes at order k, ``large`` in its given order."""
    from scipy.special import digamma

    n0, d = small.shape
    n1 = large.shape[0]
    count = -(-n1 // n0) if blocks else 1
    logs = []
    for b in range(count):
        pooled = np.concatenate([small, large[(b * n0 + np.arange(n0)) % n1]])
        logs.append(float(np.mean(np.log(_kth(pooled, 2 * k if matched else k)))))
    size = 2 * n0 if mixture_size == "2 n0" else n0 + n1
    order_m = 2 * k if matched else k
    h_m = float(digamma(size) - digamma(order_m)) + d * float(np.mean(logs))
    h_s = _entropy(small, k)
    if not matched:
        h_l = _entropy(large, k)
    else:
        pieces = -(-round(k * n1 / n0) // 64)
        h_l = 0.0
        for part in np.array_split(large, pieces):
            order = min(part.shape[0] - 1, max(1, round(k * part.shape[0] / n0)))
            h_l += _entropy(part, order) * part.shape[0] / n1
    return h_m - 0.5 * h_s - 0.5 * h_l


def own_matched(
    *,
    blocks: bool = True,
    permuted: bool = True,
    matched: bool = True,
    mixture_size: str = "2 n0",
) -> Callable[[np.ndarray, np.ndarray, Any, bool, Any], Any]:
    """js_knn's Notes, evaluated with scipy's k-d tree (every option True: the estimator).

    The larger sample in the order ``Generator(seed).permutation``, cut cyclically into blocks
    of n0 points, each pooled with the smaller sample into a mixture sample (order 2k); the
    smaller sample at order k; the larger at k n1 / n0 in the fewest equal chunks that keep
    that order at most 64. The ensemble: orders k, 2k, 4k, 8k below n0, weights of least norm
    (``np.linalg.lstsq``) with sum 1 cancelling k^(2/d). The options make it wrong: the first
    block only; no permutation; order k everywhere; the mixture's digamma(n_x + n_y).
    """

    def one(small: np.ndarray, large: np.ndarray, k: int) -> float:
        return matched_one(small, large, k, blocks, matched, mixture_size)

    def estimate(x: np.ndarray, y: np.ndarray, seed: Any, ensemble: bool, k: Any) -> Any:
        if x.ndim == 3:
            return np.array([estimate(a, b, seed, ensemble, k) for a, b in zip(x, y, strict=True)])
        n, d = x.shape
        m = y.shape[0]
        small, large = (x, y) if n <= m else (y, x)
        n0 = small.shape[0]
        if n != m and permuted:
            rng = np.random.default_rng(_seed_of(seed))
            large = large[rng.permutation(large.shape[0])]
        if not ensemble:
            return one(small, large, k if k is not None else max(1, min(10, n0 - 1)))
        k = k if k is not None else max(1, min(5, (n0 - 1) // 2))
        orders = [k * 2**i for i in range(4) if k * 2**i <= n0 - 1]
        u = (np.array(orders, dtype=float) / orders[0]) ** (2.0 / d)
        weights = np.linalg.lstsq(np.vstack([np.ones_like(u), u]), [1.0, 0.0], rcond=None)[0]
        return float(sum(w * one(small, large, o) for w, o in zip(weights, orders, strict=True)))

    return estimate


# --------------------------------------------------------------------------------------------
# estimate.knn-jackknife: the kNN intervals' standard error, a delete-a-group jackknife
# --------------------------------------------------------------------------------------------

#: (label, estimator, n_x, n_y, d, seed): unequal groups (sizes not multiples of 10), the larger
#: sample of js_knn permuted before its groups are drawn, a sample small enough that the default
#: k follows what every replicate keeps (12 points: k = 9).
JACKKNIFE_CASES = (
    ("kl_knn, 300 + 500 in 2-D", "kl_knn", 300, 500, 2, 31),
    ("kl_knn, 43 + 27 in 1-D", "kl_knn", 43, 27, 1, 32),
    ("js_knn, 150 + 700 in 2-D", "js_knn", 150, 700, 2, 33),
    ("js_knn, 233 + 233 in 3-D", "js_knn", 233, 233, 3, 34),
    ("js_knn, 12 + 40 in 2-D", "js_knn", 12, 40, 2, 35),
)


def library_knn_se(name: str, x: np.ndarray, y: np.ndarray, seed: int) -> float:
    """The standard error ``kl_knn`` or ``js_knn`` reports with ``ci=0.95`` (nats)."""
    estimator = dv.kl_knn if name == "kl_knn" else dv.js_knn
    return float(estimator(x, y, ci=0.95, seed=seed).standard_error)


def own_knn_se(
    *, shuffled: bool = True, both: bool = True, spread: str = "jackknife"
) -> Callable[[str, np.ndarray, np.ndarray, int], float]:
    r"""The delete-a-group jackknife of the Notes, with scipy's k-d tree (defaults: the claim).

    ``Generator(seed)``: for js_knn with unequal sizes it first permutes the larger sample (the
    estimate's own draw); then labels each sample's points by ``permutation(n) % 10``;
    replicate g leaves out group g of both; the standard error is
    :math:`\sqrt{\tfrac{G-1}{G} \sum_g (\hat J_{(g)} - \bar J)^2}`. Orders: kl_knn's k = 1,
    js_knn's min(10, kept - 1) with ``kept`` what every replicate keeps of the smaller sample.
    The options make it wrong: groups in input order; groups of x only; the replicates'
    sample standard deviation.
    """
    groups = 10

    def se(name: str, x: np.ndarray, y: np.ndarray, seed: int) -> float:
        rng = np.random.default_rng(seed)
        if name == "kl_knn":
            a, b = x, y

            def estimate(p: np.ndarray, q: np.ndarray) -> float:
                return wkv_kl_own(p, q, 1)
        else:
            n, m = x.shape[0], y.shape[0]
            a, b = (x, y) if n <= m else (y, x)
            if n != m:
                b = b[rng.permutation(b.shape[0])]
            kept = a.shape[0] - -(-a.shape[0] // groups)
            order = max(1, min(10, kept - 1))

            def estimate(p: np.ndarray, q: np.ndarray) -> float:
                return matched_one(p, q, order)

        if shuffled:
            label_a = rng.permutation(a.shape[0]) % groups
            label_b = rng.permutation(b.shape[0]) % groups
        else:
            label_a, label_b = np.arange(a.shape[0]) % groups, np.arange(b.shape[0]) % groups
        replicates = np.array(
            [estimate(a[label_a != g], b[label_b != g] if both else b) for g in range(groups)]
        )
        if spread == "sd":
            return float(np.std(replicates, ddof=1))
        deviations = replicates - replicates.mean()
        return math.sqrt((groups - 1) / groups * float(np.sum(deviations**2)))

    return se


# --------------------------------------------------------------------------------------------
# estimate.discriminator-fixed-se: a fixed D's standard error, from its terms' sample variances
# --------------------------------------------------------------------------------------------

#: (n_x, n_y, base) of the check: x ~ N(0, 1), y ~ N(1, 1.5^2); two points in x at the smallest,
#: and a y of one point (an infinite standard error: no variance from one point).
FIXED_SE_CASES = ((300, 600, None), (2, 5, None), (40, 3, 2.0), (1000, 1000, 10.0), (40, 1, None))


def fixed_d(z: np.ndarray) -> np.ndarray:
    """D*(z) of N(0, 1) against N(1, 1.5^2): p / (p + q) from scipy's log densities."""
    from scipy.special import expit
    from scipy.stats import norm

    v = np.asarray(z, dtype=float)[:, 0]
    return expit(norm.logpdf(v, 0.0, 1.0) - norm.logpdf(v, 1.0, 1.5))


def fixed_se_samples(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """X ~ N(0, 1) and y ~ N(1, 1.5^2) as columns."""
    return rng.normal(0.0, 1.0, (n, 1)), rng.normal(1.0, 1.5, (m, 1))


def library_fixed_se(x: np.ndarray, y: np.ndarray, base: Any) -> float:
    """``js_discriminator``'s standard error with the fixed D (its 95% interval asked for)."""
    return float(dv.js_discriminator(x, y, classifier=fixed_d, base=base, ci=0.95).standard_error)


def own_fixed_se(
    *, ddof: int = 1, pooled: bool = False, half: float = 0.5
) -> Callable[[np.ndarray, np.ndarray, Any], float]:
    r"""The standard error of :math:`\tfrac12 \bar a + \tfrac12 \bar b`, two independent means.

    :math:`a_i = \log 2 + \log D(x_i)`, :math:`b_j = \log 2 + \log(1 - D(y_j))`, with D
    evaluated here; ``half`` times :math:`\sqrt{s_a^2/n + s_b^2/m}`, in the base asked for.
    Wrong variants: population variances (``ddof=0``), the pooled terms' variance over
    n + m, the halves dropped.
    """

    def se(x: np.ndarray, y: np.ndarray, base: Any) -> float:
        if ddof == 1 and min(x.shape[0], y.shape[0]) < 2:
            return math.inf  # no unbiased variance from one point
        a = math.log(2.0) + np.log(fixed_d(x))
        b = math.log(2.0) + np.log1p(-fixed_d(y))
        if pooled:
            value = (
                half
                * 2.0
                * math.sqrt(np.var(np.concatenate([a, b]), ddof=ddof) / (a.size + b.size))
            )
        else:
            value = half * math.sqrt(np.var(a, ddof=ddof) / a.size + np.var(b, ddof=ddof) / b.size)
        return value / (math.log(base) if base else 1.0)

    return se


# --------------------------------------------------------------------------------------------
# estimate.knn-{seed,interval,ensemble,base}-reported: kNN and discriminator estimates say what
# they ran with
# --------------------------------------------------------------------------------------------

#: (label, estimator, n_x, n_y, d, options): equal sizes without an interval (nothing random),
#: unequal sizes, the ensemble, an interval, bases.
REPORTED_CASES = (
    ("js_knn, 200 + 200, seed 7", "js_knn", 200, 200, 2, {"seed": 7}),
    ("js_knn, 200 + 500, base 2", "js_knn", 200, 500, 2, {"seed": 7, "base": 2.0}),
    (
        "js_knn, ensemble, 3-D, base 10",
        "js_knn",
        300,
        300,
        3,
        {"bias_correction": "ensemble", "base": 10.0},
    ),
    ("kl_knn, seed 3, no interval", "kl_knn", 300, 200, 2, {"seed": 3}),
    (
        "kl_knn, ensemble, ci 0.9, base 2",
        "kl_knn",
        400,
        300,
        4,
        {"seed": 3, "ci": 0.9, "base": 2.0, "bias_correction": "ensemble"},
    ),
    (
        "js_discriminator, ci 0.9, base 2",
        "js_discriminator",
        300,
        300,
        1,
        {"seed": 4, "ci": 0.9, "base": 2.0, "classifier": "logistic"},
    ),
    ("js_discriminator, no interval", "js_discriminator", 200, 300, 1, {"seed": 5, "ci": None}),
)


def library_reported(name: str, x: np.ndarray, y: np.ndarray, options: dict) -> dict[str, Any]:
    """The fields an estimate reports about how it ran."""
    r = getattr(dv, name)(x, y, **options)
    out = {"base": r.base, "seed": r.seed, "ci_level": r.ci_level}
    out["standard_error"] = r.standard_error
    if name != "js_discriminator":
        out.update(bias_correction=r.bias_correction, orders=r.orders, weights=r.weights)
    return out


def own_reported(name: str, x: np.ndarray, y: np.ndarray, options: dict) -> dict[str, Any]:
    """What the call asked for, and the documented orders and least-norm weights."""
    n, d = x.shape
    m = y.shape[0]
    ci = options.get("ci", 0.95 if name == "js_discriminator" else None)
    randomised = ci is not None or name == "js_discriminator" or (name == "js_knn" and n != m)
    out = {
        "base": options.get("base"),
        "seed": options.get("seed") if randomised else None,
        "ci_level": ci,
    }
    out["standard_error"] = None if ci is None else "a number"
    if name == "js_discriminator":
        return out
    ensemble = options.get("bias_correction") == "ensemble"
    default = (10,) if name == "js_knn" else (1,)
    orders = (5, 10, 20, 40) if ensemble else default
    weights: tuple[float, ...] = (1.0,)
    if len(orders) > 1:
        u = (np.array(orders, dtype=float) / orders[0]) ** (2.0 / d)
        solved = np.linalg.lstsq(np.vstack([np.ones_like(u), u]), [1.0, 0.0], rcond=None)[0]
        weights = tuple(float(w) for w in solved)
    out.update(bias_correction="ensemble" if ensemble else None, orders=orders, weights=weights)
    return out


def reported_with(
    *,
    seed_echoed: bool = False,
    seed_with_interval: bool = False,
    first_order: bool = False,
    equal_weights: bool = False,
    base_dropped: bool = False,
    base_as_e: bool = False,
    interval_defaults: bool = False,
    level_as_alpha: bool = False,
) -> Callable[[str, np.ndarray, np.ndarray, dict], dict[str, Any]]:
    """The library's report with one plausible slip."""

    def report(name: str, x: np.ndarray, y: np.ndarray, options: dict) -> dict[str, Any]:
        out = library_reported(name, x, y, options)
        if interval_defaults and out["ci_level"] is None:  # the default level, and its SE
            out["ci_level"], out["standard_error"] = 0.95, 0.0
        if level_as_alpha and out["ci_level"] is not None:  # 1 - level, the test's alpha
            out["ci_level"] = 1.0 - out["ci_level"]
        if seed_echoed:  # the seed as given, even where nothing was random
            out["seed"] = options.get("seed")
        if seed_with_interval:  # the seed only where there is an interval
            out["seed"] = options.get("seed") if out["ci_level"] is not None else None
        if first_order and "orders" in out:
            out["orders"], out["weights"] = out["orders"][:1], (1.0,)
        if equal_weights and "weights" in out:  # the ensemble averaged, not bias-corrected
            out["weights"] = tuple(1.0 / len(out["orders"]) for _ in out["orders"])
        if base_dropped:
            out["base"] = None
        if base_as_e and out["base"] is None:  # nats reported as the number e
            out["base"] = math.e
        return out

    return report


# --------------------------------------------------------------------------------------------
# estimate.discriminator-penalised-fit: the logistic and quadratic fits are the documented
# minimisers
# --------------------------------------------------------------------------------------------

#: (label, classifier, n_x, n_y, d, folds, seed): the cases of the check.
PENALISED_CASES = (
    ("logistic, 2-D, 400 + 600, 3 folds", "logistic", 400, 600, 2, 3, 11),
    ("quadratic, 2-D, 400 + 600, 3 folds", "quadratic", 400, 600, 2, 3, 11),
    ("quadratic, 1-D, 300 + 200, 5 folds", "quadratic", 300, 200, 1, 5, 3),
    ("logistic, 3-D, 250 + 500, 2 folds", "logistic", 250, 500, 3, 2, 8),
    ("quadratic, 3-D, 500 + 350, 4 folds", "quadratic", 500, 350, 3, 4, 5),
)
#: The penalty per squared coefficient that js_discriminator's Notes state.
PENALTY = 1e-3


def penalised_samples(
    rng: np.random.Generator, n: int, m: int, d: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X from N(0, I), y from a shifted and stretched normal, and 200 grid points to read D on."""
    shift = np.linspace(0.8, -0.3, d)
    scale = np.linspace(1.0, 1.5, d)
    x, y = rng.normal(0.0, 1.0, (n, d)), rng.normal(shift, scale, (m, d))
    return x, y, rng.normal(0.0, 2.0, (200, d))


def library_penalised(kind: str, x: np.ndarray, y: np.ndarray, folds: int, seed: int) -> Any:
    """The returned discriminator's logit function of js_discriminator."""
    result = dv.js_discriminator(x, y, classifier=kind, folds=folds, seed=seed, ci=None)
    return result.discriminator.logit


def newton_logit(
    train_x: np.ndarray,
    train_y: np.ndarray,
    quadratic: bool,
    *,
    penalty: float = PENALTY,
    intercept_penalised: bool = False,
    standardise_on: tuple[np.ndarray, np.ndarray] | None = None,
) -> Callable[[np.ndarray], np.ndarray]:
    """The minimiser of the Notes' penalised balanced loss, by Newton's method (exact Hessian).

    The loss is ½ mean softplus(-t) over x plus ½ mean softplus(t) over y, plus ``penalty``
    times the squared coefficients (and the intercept's when ``intercept_penalised``); the
    features are standardised by the mean and sd of ``standardise_on`` (default: the training
    points), with their pairwise products for a quadratic logit.
    """
    from scipy.special import expit

    basis = np.concatenate(standardise_on or (train_x, train_y))
    mean, sd = basis.mean(axis=0), basis.std(axis=0)

    def design(z: np.ndarray) -> np.ndarray:
        u = (z - mean) / sd
        if quadratic:
            i, j = np.triu_indices(u.shape[1])
            u = np.concatenate([u, u[:, i] * u[:, j]], axis=1)
        return np.column_stack([u, np.ones(len(u))])

    a = np.concatenate([design(train_x), design(train_y)])
    sign = np.concatenate([np.ones(len(train_x)), -np.ones(len(train_y))])
    weight = np.concatenate(
        [np.full(len(train_x), 0.5 / len(train_x)), np.full(len(train_y), 0.5 / len(train_y))]
    )
    lam = np.full(a.shape[1], penalty)
    if not intercept_penalised:
        lam[-1] = 0.0
    theta = np.zeros(a.shape[1])
    for _ in range(100):  # the loss is convex and smooth: a handful of steps reach rounding
        t = a @ theta
        gradient = a.T @ (-weight * sign * expit(-sign * t)) + 2.0 * lam * theta
        curvature = weight * expit(t) * expit(-t)
        hessian = (a * curvature[:, None]).T @ a + np.diag(2.0 * lam)
        step = np.linalg.solve(hessian, gradient)
        theta = theta - step
        if float(np.max(np.abs(step))) <= 1e-13 * max(1.0, float(np.max(np.abs(theta)))):
            break
    else:
        raise RuntimeError("Newton's method did not converge in 100 steps: the route is void")
    return lambda z: design(z) @ theta


def own_penalised(
    **slip: Any,
) -> Callable[[str, np.ndarray, np.ndarray, int, int], Callable[[np.ndarray], np.ndarray]]:
    """The Notes' fits by Newton's method, folds from the seed, logits averaged.

    ``slip`` passes one plausible slip to :func:`newton_logit` (``standardise_on="all"``: x
    and y whole, not the training folds).
    """

    def fit(
        kind: str, x: np.ndarray, y: np.ndarray, folds: int, seed: int
    ) -> Callable[[np.ndarray], np.ndarray]:
        rng = np.random.default_rng(seed)
        fold_x, fold_y = rng.permutation(len(x)) % folds, rng.permutation(len(y)) % folds
        options = dict(slip)
        if options.get("standardise_on") == "all":
            options["standardise_on"] = (x, y)
        logits = [
            newton_logit(x[fold_x != f], y[fold_y != f], kind == "quadratic", **options)
            for f in range(folds)
        ]
        return lambda z: np.mean([logit(z) for logit in logits], axis=0)

    return fit

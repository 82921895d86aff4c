"""Slow, obviously-correct oracles: the textbook formulas in 50-digit mpmath arithmetic.

Each oracle takes the float vectors exactly as the library sees them after normalisation (every
entry divided by the float sum of its row, accumulated left to right as the kernels do), so a
comparison measures the library's arithmetic and nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import mpmath as mp

mp.mp.dps = 50
LOG2 = mp.log(2)


def float_sum(values: Sequence[float]) -> float:
    total = 0.0
    for v in values:
        total += float(v)
    return total


def normalized(values: Sequence[float]) -> list[float]:
    """The float vector the kernels work on: each entry divided by the sequential float sum."""
    s = float_sum(values)
    return [float(v) / s for v in values]


def _mp(values: Sequence[float]) -> list[mp.mpf]:
    return [mp.mpf(float(v)) for v in values]


def kl(p: Sequence[float], q: Sequence[float]) -> float:
    """KL as sum p log(p/q) - p + q: the textbook sum for normalised vectors, and for vectors
    normalised only up to float round-off the value that is 0 iff p = q (docs/conventions.md)."""
    total = mp.mpf(0)
    for a, b in zip(_mp(normalized(p)), _mp(normalized(q)), strict=True):
        if a == 0:
            total += b
            continue
        if b == 0:
            return math.inf
        total += a * mp.log(a / b) - a + b
    return float(total)


def js(p: Sequence[float], q: Sequence[float]) -> float:
    total = mp.mpf(0)
    for a, b in zip(_mp(normalized(p)), _mp(normalized(q)), strict=True):
        m = (a + b) / 2
        if a > 0:
            total += a * mp.log(a / m) / 2
        if b > 0:
            total += b * mp.log(b / m) / 2
    return float(total)


def entropy(p: Sequence[float]) -> float:
    return float(-sum((a * mp.log(a) for a in _mp(normalized(p)) if a > 0), mp.mpf(0)))


def cross_entropy(p: Sequence[float], q: Sequence[float]) -> float:
    total = mp.mpf(0)
    for a, b in zip(_mp(normalized(p)), _mp(normalized(q)), strict=True):
        if a == 0:
            continue
        if b == 0:
            return math.inf
        total -= a * mp.log(b)
    return float(total)


def tv(p: Sequence[float], q: Sequence[float]) -> float:
    pairs = zip(_mp(normalized(p)), _mp(normalized(q)), strict=True)
    return float(sum((abs(a - b) for a, b in pairs), mp.mpf(0)) / 2)


def hellinger(p: Sequence[float], q: Sequence[float]) -> float:
    pairs = zip(_mp(normalized(p)), _mp(normalized(q)), strict=True)
    return float(mp.sqrt(sum(((mp.sqrt(a) - mp.sqrt(b)) ** 2 for a, b in pairs), mp.mpf(0)) / 2))


def optimal_discriminator(p_data: float, p_g: float) -> float:
    a, b = mp.mpf(p_data), mp.mpf(p_g)
    return 0.5 if a + b == 0 else float(a / (a + b))


def gan_value(p_data: Sequence[float], p_g: Sequence[float], d: Sequence[float]) -> float:
    total = mp.mpf(0)
    for a, b, x in zip(_mp(normalized(p_data)), _mp(normalized(p_g)), _mp(d), strict=True):
        if a > 0:
            if x == 0:
                return -math.inf
            total += a * mp.log(x)
        if b > 0:
            if x == 1:
                return -math.inf
            total += b * mp.log(1 - x)
    return float(total)


def value_at_optimal_discriminator(p_data: Sequence[float], p_g: Sequence[float]) -> float:
    """V(G, D*) with D* = a/(a+b) formed in 50 digits (a float D* can round to 1)."""
    total = mp.mpf(0)
    for a, b in zip(_mp(normalized(p_data)), _mp(normalized(p_g)), strict=True):
        if a > 0:
            total += a * mp.log(a / (a + b))
        if b > 0:
            total += b * mp.log(b / (a + b))
    return float(total)


def gan_value_from_logits(
    p_data: Sequence[float], p_g: Sequence[float], logit: Sequence[float]
) -> float:
    total = mp.mpf(0)
    for a, b, z in zip(_mp(normalized(p_data)), _mp(normalized(p_g)), _mp(logit), strict=True):
        if a > 0:
            total -= a * mp.log1p(mp.exp(-z))
        if b > 0:
            total -= b * mp.log1p(mp.exp(z))
    return float(total)


def js_normal(mu1: float, s1: float, mu2: float, s2: float, dps: int = 30) -> float:
    """JSD of two normals by mpmath quadrature at ``dps`` digits (tanh-sinh, split at the means)."""
    with mp.workdps(dps):
        m1, v1, m2, v2 = (mp.mpf(x) for x in (mu1, s1, mu2, s2))

        def pdf(x: mp.mpf, m: mp.mpf, s: mp.mpf) -> mp.mpf:
            return mp.exp(-((x - m) ** 2) / (2 * s * s)) / (s * mp.sqrt(2 * mp.pi))

        def f(x: mp.mpf) -> mp.mpf:
            a, b = pdf(x, m1, v1), pdf(x, m2, v2)
            out = mp.mpf(0)
            if a > 0:
                out += a * mp.log(2 * a / (a + b)) / 2
            if b > 0:
                out += b * mp.log(2 * b / (a + b)) / 2
            return out

        pts = sorted({m1 - 12 * v1, m1, m1 + 12 * v1, m2 - 12 * v2, m2, m2 + 12 * v2})
        return float(mp.quad(f, [-mp.inf, *pts, mp.inf]))


# ---------------------------------------------------------------------------------------------
# Samples: what a user writes today, with numpy doing the binning.
# ---------------------------------------------------------------------------------------------


def histogram_pair(x, y, bins, range=None):
    """numpy's shared-edge histograms: edges of the concatenated sample, then np.histogram.

    Returns (counts_x, counts_y, edges). Each sample is histogrammed with the uniform-bin call
    numpy makes for the pooled sample (same range arguments, so the same linspace), which is
    np.histogram's fast path with its own bin-index correction.
    """
    import numpy as np

    pooled = np.concatenate((x, y))
    edges = np.histogram_bin_edges(pooled, bins=bins, range=range)
    nb = edges.size - 1
    outer = range if range is not None else (edges[0], edges[-1])
    counts = [
        np.histogram(np.asarray(a).astype(pooled.dtype), bins=nb, range=outer)[0] for a in (x, y)
    ]
    return counts[0], counts[1], edges


def counts_by_definition(values, edges):
    """Counts of ``edges[i] <= v < edges[i+1]`` (last bin closed), one value at a time."""
    import numpy as np

    counts = np.zeros(len(edges) - 1, dtype=np.int64)
    last = len(edges) - 2
    for v in values:
        v = float(v)
        if not edges[0] <= v <= edges[-1]:
            continue
        i = int(np.searchsorted(edges, v, side="right")) - 1
        counts[min(i, last)] += 1
    return counts


# ---------------------------------------------------------------------------------------------
# Bias terms, jackknife and permutations, written from their definitions.
# ---------------------------------------------------------------------------------------------


def js_bias(counts_x, counts_y) -> float:
    """sum [1{cx>0} q(1-p)/n_x + 1{cy>0} p(1-q)/n_y] / (4(p+q)), in 50 digits."""
    n_x, n_y = mp.mpf(int(sum(counts_x))), mp.mpf(int(sum(counts_y)))
    total = mp.mpf(0)
    for a, b in zip(counts_x, counts_y, strict=True):
        p, q = mp.mpf(int(a)) / n_x, mp.mpf(int(b)) / n_y
        if p + q == 0:
            continue
        part = (q * (1 - p) / n_x if a > 0 else 0) + (p * (1 - q) / n_y if b > 0 else 0)
        total += part / (4 * (p + q))
    return float(total)


def kl_bias(counts_x, counts_y) -> float:
    """(K_x - 1)/(2 n_x) + (sum_{cx>0} p/q - 1)/(2 n_y), in 50 digits; inf off-support."""
    n_x, n_y = mp.mpf(int(sum(counts_x))), mp.mpf(int(sum(counts_y)))
    occupied = 0
    ratio = mp.mpf(0)
    for a, b in zip(counts_x, counts_y, strict=True):
        if a == 0:
            continue
        if b == 0:
            return math.inf
        occupied += 1
        ratio += (mp.mpf(int(a)) / n_x) / (mp.mpf(int(b)) / n_y)
    return float((occupied - 1) / (2 * n_x) + (ratio - 1) / (2 * n_y))


def jackknife_acceleration(counts_x, counts_y, statistic) -> float:
    """Two-sample jackknife acceleration, leaving out every single value in turn.

    statistic(counts_x, counts_y) -> float; one leave-one-out evaluation per value (not per
    bin), as the textbook formula reads.
    """
    import numpy as np

    numerator = denominator = 0.0
    for side in (0, 1):
        counts = [np.array(counts_x), np.array(counts_y)]
        n = int(counts[side].sum())
        values = []
        for i, c in enumerate(counts[side]):
            for _ in range(int(c)):
                left = [a.copy() for a in counts]
                left[side][i] -= 1
                values.append(statistic(*left))
        # deviations in exact rational arithmetic: equal values give exactly 0, not an ulp
        exact = [Fraction(v) for v in values]
        mean = sum(exact, Fraction(0)) / n
        u = [(n - 1) * (mean - v) for v in exact]
        numerator += float(sum((d**3 for d in u), Fraction(0)) / n**3)
        denominator += float(sum((d**2 for d in u), Fraction(0)) / n**2)
    return math.nan if denominator == 0 else numerator / (6 * denominator**1.5)


def exact_permutation_pvalue(x, y, statistic) -> float:
    """P(statistic >= observed) over every assignment of the pooled values to x and y."""
    import itertools

    import numpy as np

    pooled = np.concatenate((x, y))
    observed = statistic(x, y)
    extreme = total = 0
    for chosen in itertools.combinations(range(pooled.size), len(x)):
        mask = np.zeros(pooled.size, bool)
        mask[list(chosen)] = True
        total += 1
        extreme += statistic(pooled[mask], pooled[~mask]) >= observed - 1e-12
    return extreme / total


def kl_knn(x, y, k: int) -> float:
    """Wang-Kulkarni-Verdú estimate from all pairwise distances (no tree)."""
    import numpy as np

    x = np.asarray(x, float).reshape(len(x), -1)
    y = np.asarray(y, float).reshape(len(y), -1)
    n, d = x.shape
    m = y.shape[0]
    dxx = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(dxx, np.inf)
    dxy = np.sqrt(((x[:, None, :] - y[None, :, :]) ** 2).sum(-1))
    rho = np.sort(dxx, axis=1)[:, k - 1]
    nu = np.sort(dxy, axis=1)[:, k - 1]
    return float(d / n * np.sum(np.log(nu / rho)) + np.log(m / (n - 1)))


def js_knn(x, y, k: int, order=None) -> float:
    """Matched-ball entropy-route kNN JSD from all pairwise distances (no tree).

    ``order`` is the permutation of the larger sample that forms the mixture blocks (identity
    for equal sizes).
    """
    import math

    import numpy as np
    from scipy.special import digamma

    def kth(points, kk):
        dist = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(-1))
        np.fill_diagonal(dist, np.inf)
        return np.sort(dist, axis=1)[:, kk - 1]

    def entropy_without_volume(points, kk):
        n_points, dim = points.shape
        return digamma(n_points) - digamma(kk) + dim * np.mean(np.log(kth(points, kk)))

    x = np.asarray(x, float).reshape(len(x), -1)
    y = np.asarray(y, float).reshape(len(y), -1)
    small, large = (x, y) if len(x) <= len(y) else (y, x)
    n0, n1 = len(small), len(large)
    if order is not None:
        large = large[order]
    blocks = math.ceil(n1 / n0)
    mixture = np.mean(
        [
            entropy_without_volume(
                np.concatenate([small, large[(b * n0 + np.arange(n0)) % n1]]), 2 * k
            )
            for b in range(blocks)
        ]
    )
    chunks = np.array_split(large, -(-round(k * n1 / n0) // 64))
    large_entropy = sum(
        entropy_without_volume(c, min(len(c) - 1, max(1, round(k * len(c) / n0)))) * len(c) / n1
        for c in chunks
    )
    return float(mixture - 0.5 * entropy_without_volume(small, k) - 0.5 * large_entropy)

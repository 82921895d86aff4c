"""Claims from Cover & Thomas (2006), Elements of Information Theory, 2nd ed.: properties of KL."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
from hypothesis import Phase, example, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from scipy import special

import divergences as dv
from divergences import strategies as dst
from divergences.claims import claim, expect, forall, tally

from . import routes
from .tolerances import INEQUALITY_SLACK, RESOLUTION_TV, ROUTE_ATOL, ROUTE_RTOL

SOURCE = "Cover & Thomas (2006)"


@st.composite
def pairs_with_permutations(draw):
    """Any pmf pair, or a vector and a permutation of it (different vectors, equal multisets)."""
    if draw(st.booleans(), label="permuted"):
        p = draw(dst.probability_vectors(min_size=2), label="p")
        return p, np.array(draw(st.permutations(p), label="permuted p"))
    return draw(dst.pmf_pairs(), label="pair")


def _sorted_kl(p, q):
    return dv.kl_divergence(np.sort(p), np.sort(q))


def _guarded_kl(p, q, eps=1e-10):
    """KL with the division guarded by an epsilon: sum over p > 0 of p log(p / (q + eps))."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    on = p > 0
    return float(np.sum(p[on] * np.log(p[on] / (q[on] + eps))))


@claim(
    "info.kl-nonnegative",
    statement=r"$KL(P \| Q) \ge 0$, with equality iff $P = Q$ (Gibbs' inequality).",
    source=SOURCE,
    locator="Thm 2.6.3",
    check=(
        "For Hypothesis-drawn pairs (with zeros, subnormals, near-equal and permuted vectors) "
        r"the library's KL is compared with the lower bound $1 - Q(\operatorname{supp} P)$ "
        r"obtained from $\log x \le x - 1$ (an independent route to non-negativity); $KL(P \| P)$ "
        "must be exactly $0$, and KL must be positive whenever $TV(P, Q)$ exceeds the numerical "
        r"resolution. Gibbs' inequality in its other form, $H(P) \le H(P, Q)$: KL must equal "
        r"$H(P, Q) - H(P)$ with the cross-entropy and the entropy from their own kernels "
        "(`dv.cross_entropy`, `dv.entropy`) to $10^{-12}$ relative, and be infinite exactly where "
        "the cross-entropy is."
    ),
    subject=dv.kl_divergence,
    figure="kl_nonnegative.png",
    falsifiers=[
        (
            (
                r"$KL(P \| Q) = 0$ for some $P \ne Q$ (here: KL computed between sorted "
                "histograms, which vanishes for permuted bins)"
            ),
            _sorted_kl,
        ),
        (
            r"a KL whose division is guarded by an epsilon, "
            r"$\sum_{p_i > 0} p_i \log\frac{p_i}{q_i + 10^{-10}}$",
            _guarded_kl,
        ),
    ],
)
def test_kl_nonnegative(kl):
    @forall(pair=pairs_with_permutations())
    @example(pair=(np.array([0.2, 0.8]), np.array([0.8, 0.2])))
    @example(pair=(np.array([0.3, 0.7]), np.array([0.3, 0.7])))
    def prop(pair):
        p, q = pair
        d = float(kl(p, q))
        repro = f"dv.kl_divergence({p.tolist()}, {q.tolist()})"
        lower = 1.0 - float(q[p > 0].sum())  # KL >= sum_{p>0} p (1 - q/p) by log x <= x - 1
        expect(
            d >= lower - INEQUALITY_SLACK,
            "KL below the bound from log x <= x - 1",
            observed=d,
            expected=f">= {lower}",
            repro=repro,
        )
        expect(d >= 0.0, "negative KL", observed=d, expected=">= 0", repro=repro)
        expect(
            float(kl(p, p.copy())) == 0.0,
            "KL(P||P) is not 0",
            observed=float(kl(p, p.copy())),
            expected=0.0,
            repro=repro,
        )
        if routes.tv(p, q) > RESOLUTION_TV:
            expect(
                d > 0.0,
                "KL(P||Q) = 0 although P != Q",
                observed=d,
                expected=f"> 0 (TV = {routes.tv(p, q):.3g})",
                repro=repro,
            )
        cross, h = float(dv.cross_entropy(p, q)), float(dv.entropy(p))
        if math.isinf(cross) or math.isinf(d):
            expect(
                math.isinf(cross) and math.isinf(d),
                "KL and the cross-entropy infinite apart",
                observed={"KL": d, "H(P,Q)": cross},
                expected="both infinite",
                repro=repro,
            )
        else:
            expect(
                abs(h + d - cross) <= ROUTE_RTOL * max(1.0, cross) + ROUTE_ATOL,
                "KL is not H(P, Q) - H(P)",
                observed=d,
                expected=cross - h,
                repro=repro,
            )

    prop()


def _smoothed_kl(p, q, eps=1e-10):
    p, q = np.asarray(p, float), np.asarray(q, float)
    return float(np.sum(np.where(p > 0, p * np.log((p + eps) / (q + eps)), 0.0)))


@claim(
    "info.kl-infinite-off-support",
    statement=(
        r"$KL(P \| Q) = +\infty$ iff $\operatorname{supp} P \not\subseteq \operatorname{supp} "
        r"Q$; no epsilon leaks a finite value."
    ),
    source=SOURCE,
    locator="§2.3, definition (convention p log(p/0) = inf)",
    check=(
        "For Hypothesis-drawn pairs including nested and disjoint supports and subnormal "
        "entries, KL is infinite exactly when some $p_i > 0 = q_i$, decided independently by set "
        "inclusion of the supports; both directions of the iff are exercised."
    ),
    subject=dv.kl_divergence,
    figure="kl_infinite.png",
    falsifiers=[
        (r"an epsilon-smoothed KL: $\sum p \log\frac{p + 10^{-10}}{q + 10^{-10}}$", _smoothed_kl)
    ],
)
def test_kl_infinite_off_support(kl):
    @forall(pair=dst.pmf_pairs())
    @example(pair=(np.array([0.5, 0.5]), np.array([1.0, 0.0])))
    @example(pair=(np.array([5e-324, 1.0 - 5e-324]), np.array([0.0, 1.0])))
    def prop(pair):
        p, q = pair
        d = float(kl(p, q))
        off = routes.off_support(p, q)
        expect(
            math.isinf(d) == off,
            "KL infinite/finite against the support inclusion",
            observed=d,
            expected="inf" if off else "finite",
            repro=f"dv.kl_divergence({p.tolist()}, {q.tolist()})",
        )

    prop()


def _symmetrised_kl(p, q):
    return 0.5 * (dv.kl_divergence(p, q) + dv.kl_divergence(q, p))


@st.composite
def full_support_pairs(draw):
    """Two independent probability vectors of one length with no zero entry (KL finite)."""
    size = draw(st.integers(2, 8), label="size")
    return tuple(draw(dst.probability_vectors(size, size, zeros=False), label=n) for n in "PQ")


PINNED_ASYMMETRIC = (np.array([0.5, 0.5]), np.array([0.9, 0.1]))


def _kl_with_floor(p: np.ndarray, q: np.ndarray) -> float:
    """KL with the usual guard against log(0): Q's entries floored at 1e-12."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    return float(np.sum(special.rel_entr(p, np.maximum(q, 1e-12))))


@claim(
    "info.kl-asymmetric",
    statement=r"There exist $P, Q$ with $KL(P \| Q) \ne KL(Q \| P)$.",
    source=SOURCE,
    locator="§2.3 (KL is not symmetric)",
    check=(
        "Hypothesis searches for an asymmetric pair of full-support vectors; one found is "
        "pinned: $P = (1/2, 1/2)$, $Q = (0.9, 0.1)$."
    ),
    subject=dv.kl_divergence,
    figure="kl_asymmetric.png",
    falsifiers=[
        (
            r"KL is symmetric (here: the symmetrised KL, $(KL(P \| Q) + KL(Q \| P))/2$)",
            _symmetrised_kl,
        )
    ],
)
def test_kl_asymmetric(kl):
    def gap(p, q):
        return float(kl(p, q)) - float(kl(q, p))

    p, q = PINNED_ASYMMETRIC
    tally()
    expect(
        abs(gap(p, q)) > 0.1,
        "the pinned pair is symmetric",
        observed=gap(p, q),
        expected="|gap| > 0.1",
        repro=f"dv.kl_divergence({p.tolist()}, {q.tolist()})",
    )
    try:
        found = find(
            full_support_pairs(),
            lambda pair: abs(gap(*pair)) > 1e-3,
            # existence is the claim: no need to shrink the witness
            settings=settings(database=None, max_examples=100, phases=[Phase.generate]),
        )
        tally()
    except NoSuchExample:
        found = None
    expect(
        found is not None,
        "Hypothesis found no asymmetric pair",
        observed=None,
        expected="a pair with |KL(P||Q) - KL(Q||P)| > 1e-3",
    )


@claim(
    "info.kl-asymmetric.unbounded",
    statement=r"The gap $KL(P \| Q) - KL(Q \| P)$ is unbounded.",
    source=SOURCE,
    locator="§2.3 (KL is not symmetric)",
    check=(
        r"For $P = (1/2, 1/2)$ and $Q_t = (1 - t, t)$ with $t = e^{-2M - 3}$ the gap must "
        r"exceed $M$ for $M = 1, 10, 100$, since $KL(P \| Q_t) \sim \frac{1}{2} \log "
        r"\frac{1}{4t}$ while $KL(Q_t \| P) \le \log 2$."
    ),
    subject=dv.kl_divergence,
    figure="kl_asymmetric.png",
    falsifiers=[
        (
            r"KL is symmetric (here: the symmetrised KL, $(KL(P \| Q) + KL(Q \| P))/2$)",
            _symmetrised_kl,
        ),
        (
            r"a KL with $Q$ floored at $10^{-12}$ against $\log 0$ (its gap stays below "
            r"$\frac12 \log(1 / (4 \cdot 10^{-12})) \approx 13$)",
            _kl_with_floor,
        ),
    ],
)
def test_kl_asymmetric_unbounded(kl: Callable[[np.ndarray, np.ndarray], float]) -> None:
    for m in (1.0, 10.0, 100.0):
        t = math.exp(-2.0 * m - 3.0)
        tally()
        p, q = np.array([0.5, 0.5]), np.array([1.0 - t, t])
        g = float(kl(p, q)) - float(kl(q, p))
        expect(
            g > m,
            "the gap stays bounded",
            observed=g,
            expected=f"> {m}",
            repro=f"dv.kl_divergence([0.5, 0.5], [1 - {t!r}, {t!r}])",
        )


@st.composite
def markov_kernels(draw, rows):
    """A row-stochastic matrix (rows x m), or a deterministic merge of bins when m < rows."""
    m = draw(st.integers(1, rows), label="outputs")
    if draw(st.booleans(), label="deterministic merge"):
        target = draw(st.lists(st.integers(0, m - 1), min_size=rows, max_size=rows), label="map")
        return np.eye(m)[target]
    return np.stack([draw(dst.probability_vectors(m, m), label="row") for _ in range(rows)])


@st.composite
def pairs_and_kernels(draw):
    p, q = draw(dst.pmf_pairs(subnormal=False), label="pair")
    return p, q, draw(markov_kernels(p.size), label="kernel")


def _processed_divergences():
    """Each divergence the data-processing check applies to, by name."""
    yield "KL", dv.kl_divergence
    yield "JSD", dv.js_divergence
    yield "TV", dv.tv_distance
    yield "Hellinger", dv.hellinger_distance
    for kind in dv.F_DIVERGENCES:
        yield f"D_f {kind}", functools.partial(dv.f_divergence, kind=kind)


@claim(
    "info.data-processing",
    statement=(
        "Merging bins (any Markov kernel) never increases KL or JSD, nor any other "
        "f-divergence (Csiszár 1967): those of f-GAN's Table 1, total variation and Hellinger."
    ),
    source=SOURCE,
    locator="Thm 2.8.1 (data-processing inequality)",
    check=(
        "For Hypothesis-drawn pairs and Markov kernels $K$ (random stochastic matrices and "
        r"deterministic bin merges), $D(PK, QK) \le D(P, Q)$ for $D$ = KL and JSD, for every "
        "divergence of `dv.F_DIVERGENCES` by `dv.f_divergence` and for the total variation and "
        "Hellinger distances (relative to $\\max(1, D(P, Q))$: the chi-squares grow like the "
        "largest ratio); the images $PK$ and $QK$ are formed by matrix products, independently of "
        "the divergence code, and passed as the unnormalised weights $3 PK$ and $QK/4$ with "
        "`normalize=True`."
    ),
    subject=lambda before, after: after <= before + INEQUALITY_SLACK,
    figure="data_processing.png",
    falsifiers=[
        (
            r"refining never increases the divergence ($D(P, Q) \le D(PK, QK)$)",
            lambda before, after: before <= after + INEQUALITY_SLACK,
        ),
    ],
)
def test_data_processing(holds):
    @forall(case=pairs_and_kernels())
    @example(case=(np.array([0.5, 0.5]), np.array([0.9, 0.1]), np.array([[1.0], [1.0]])))
    def prop(case):
        p, q, k = case
        pk, qk = p @ k, q @ k
        for name, divergence in _processed_divergences():
            before = float(divergence(p, q))
            after = float(divergence(3.0 * pk, 0.25 * qk, normalize=True))  # scale-free
            scale = max(1.0, before) if math.isfinite(before) else 1.0
            expect(
                holds(before / scale, after / scale),
                f"{name} against the processed pair",
                observed={"D(P,Q)": before, "D(PK,QK)": after},
                expected="D(PK, QK) <= D(P, Q)",
                repro=f"P={p.tolist()}, Q={q.tolist()}, K={k.tolist()}",
            )

    prop()

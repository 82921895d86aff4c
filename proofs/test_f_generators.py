r"""The f-divergences of the library against Csiszár's definition with f-GAN's generators.

Csiszár (1967) defines :math:`D_f(P \| Q) = \sum_i q_i f(p_i / q_i)` for a convex generator
:math:`f` with :math:`f(1) = 0`; Nowozin, Cseke & Tomioka (2016, f-GAN) tabulate the generators
of the divergences they train on (Table 1). ``info.f-variational-bound`` uses `dv.f_divergence`
as its reference on pairs of full support; these claims check `dv.f_divergence` itself against
the definition (zeros on either side, weights, stacks along either axis), and the generators
tabulated in `dv.F_DIVERGENCES` against Table 1's closed forms.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np
from hypothesis import example
from hypothesis import strategies as st

import divergences as dv
from divergences import strategies as dst
from divergences.claims import claim, expect, forall

from .tolerances import ROUTE_ATOL, ROUTE_RTOL, same_entries
from .tolerances import attempt as _attempt

SOURCE = "Nowozin, Cseke & Tomioka (2016)"
KINDS = tuple(dv.F_DIVERGENCES)
SCALES = (1.0, 1e-3, 7.5, 1e3)


def _mp_xlogx(u: mp.mpf) -> mp.mpf:
    return u * mp.log(u)


#: f-GAN's Table 1 generators, written out for ratios u > 0 (mpmath).
GENERATORS: dict[str, Callable[[mp.mpf], mp.mpf]] = {
    "kl": _mp_xlogx,
    "reverse-kl": lambda u: -mp.log(u),
    "pearson": lambda u: (u - 1) ** 2,
    "neyman": lambda u: (1 - u) ** 2 / u,
    "squared-hellinger": lambda u: (mp.sqrt(u) - 1) ** 2,
    "js": lambda u: _mp_xlogx(u) - (u + 1) * mp.log((u + 1) / 2),
    "gan": lambda u: _mp_xlogx(u) - (u + 1) * mp.log(u + 1),
    "tv": lambda u: abs(u - 1) / 2,
}


def _limit(values: list[mp.mpf]) -> float:
    """The limit of a sequence evaluated at three points ever further out: +-inf if it grows."""
    first, second, third = values
    if abs(third - second) > 1 and abs(third) > abs(second) > abs(first):
        return math.inf if third > 0 else -math.inf
    return float(third)


@functools.cache
def limits(kind: str) -> tuple[float, float]:
    """``(f(0), f'(inf))``: lim f(u) as u -> 0+ and lim f(u)/u as u -> inf, in 700 digits.

    They give the terms of the bins off one support: q f(0) where p = 0, p f'(inf) where q = 0.
    """
    f = GENERATORS[kind]
    with mp.workdps(700):
        at_zero = [f(mp.mpf(10) ** -e) for e in (100, 200, 400)]
        at_inf = [f(mp.mpf(10) ** e) / mp.mpf(10) ** e for e in (100, 200, 400)]
        return _limit(at_zero), _limit(at_inf)


def _term(kind: str, a: float, b: float) -> mp.mpf:
    """One bin's term of Csiszár's sum, with enough digits for its ratio."""
    if a == 0.0 and b == 0.0:
        return mp.mpf(0)
    f_zero, f_inf = limits(kind)
    if b == 0.0:
        return a * mp.mpf(f_inf)
    if a == 0.0:
        return b * mp.mpf(f_zero)
    ratio = a / b if math.isfinite(a / b) and a / b > 0 else 1e300
    near_one = abs(ratio - 1.0)
    extra = abs(math.log10(ratio)) + (-math.log10(near_one) if near_one > 0 else 20.0)
    with mp.workdps(40 + int(extra)):
        u = mp.mpf(a) / mp.mpf(b)
        return mp.mpf(b) * GENERATORS[kind](u)


def csiszar_sum(kind: str, p_row: np.ndarray, q_row: np.ndarray) -> float:
    """D_f of one pair of weights, each divided by its math.fsum, term by term in mpmath."""
    p_sum, q_sum = math.fsum(p_row.tolist()), math.fsum(q_row.tolist())
    with mp.workdps(40):
        total = mp.mpf(0)
        for a, b in zip(p_row.tolist(), q_row.tolist(), strict=True):
            a_n = float(mp.mpf(a) / mp.mpf(p_sum)) if a > 0 else 0.0
            b_n = float(mp.mpf(b) / mp.mpf(q_sum)) if b > 0 else 0.0
            if (a > 0 and a_n == 0.0) or (b > 0 and b_n == 0.0):
                raise ValueError("a weight underflows when divided by its sum")
            total += _term(kind, a_n, b_n)
        return float(total)


@st.composite
def near_disjoint_pairs(draw: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Disjoint supports, then a tiny mass eps in [1e-15, 1e-6] of each put on the other's."""
    p, q = draw(dst.disjoint_pmf_pairs(k, k), label="disjoint pair")
    eps = draw(st.floats(1e-15, 1e-6), label="eps")
    return (p + eps * q) / (1 + eps), (q + eps * p) / (1 + eps)


@st.composite
def pair_stacks(draw: Any) -> tuple[np.ndarray, np.ndarray, int, float]:
    """(p, q, axis, scale): stacks of pairs of every kind along ``axis``, times ``scale``.

    Layouts: one pair; n pairs; one p against n rows of q. With axis 0 the vectors are columns
    (p of shape (k, 1) against (k, n)).
    """
    layout = draw(st.sampled_from(["single", "stacks", "one-many"]), label="layout")
    n, k = draw(st.integers(2, 3), label="rows"), draw(st.integers(2, 8), label="bins")
    axis = -1 if layout == "single" else draw(st.sampled_from([-1, 0]), label="axis")
    scale = draw(st.sampled_from(SCALES), label="scale")
    rows = 1 if layout == "single" else n
    pair = st.one_of(dst.pmf_pairs(min_size=k, max_size=k, subnormal=False), near_disjoint_pairs(k))
    pairs = [draw(pair, label="pair") for _ in range(rows)]
    p = np.array([a for a, _ in pairs]) * scale
    q = np.array([b for _, b in pairs]) * scale
    if layout == "single":
        p, q = p[0], q[0]
    elif layout == "one-many":
        p = p[:1] if axis == 0 else p[0]
    if axis == 0:
        p, q = p.T, q.T
    return p, q, axis, scale


def _rows(a: np.ndarray, axis: int, lead: tuple[int, ...]) -> list[np.ndarray]:
    moved = np.moveaxis(a, axis, -1) if a.ndim > 1 else a
    return list(np.broadcast_to(moved, (*lead, moved.shape[-1])).reshape(-1, moved.shape[-1]))


#: Absolute slack per kind. The GAN divergence is evaluated to full relative precision (its
#: docstring says so: no term cancels another, also near disjoint supports, where it is tiny), so
#: it gets none. The others are tiny only for near-equal pairs, where one ulp of the inputs'
#: normalisation (the route divides by math.fsum, the library by its own sum) moves p - q itself.
ATOL = {kind: 0.0 if kind == "gan" else ROUTE_ATOL for kind in KINDS}


def _same(observed: Any, expected: np.ndarray, atol: float) -> bool:
    """The same shape and, entry by entry, the same value to 1e-12 relative (inf == inf)."""
    return same_entries(observed, expected, ROUTE_RTOL, atol)


# --- the library's f_divergence is Csiszár's sum ------------------------------------------------


def _js_without_factor(
    p: Any, q: Any, kind: str = "kl", *, axis: int = -1, normalize: bool = False
) -> Any:
    if kind == "js":
        return dv.js_divergence(p, q, axis=axis, normalize=normalize)
    return dv.f_divergence(p, q, kind, axis=axis, normalize=normalize)


def _kl_swapped(
    p: Any, q: Any, kind: str = "kl", *, axis: int = -1, normalize: bool = False
) -> Any:
    if kind == "kl":
        return dv.kl_divergence(q, p, axis=axis, normalize=normalize)
    return dv.f_divergence(p, q, kind, axis=axis, normalize=normalize)


def _sum_over_support_of_q(
    p: Any, q: Any, kind: str = "kl", *, axis: int = -1, normalize: bool = False
) -> Any:
    """Sum over q_i > 0 of q_i f(p_i/q_i) with the table's generator; nothing where q_i = 0."""
    p = np.moveaxis(np.asarray(p, dtype=float), axis, -1)
    q = np.moveaxis(np.asarray(q, dtype=float), axis, -1)
    if normalize:
        p, q = p / p.sum(axis=-1, keepdims=True), q / q.sum(axis=-1, keepdims=True)
    p, q = np.broadcast_arrays(p, q)
    with np.errstate(all="ignore"):
        u = np.where(q > 0, p / np.where(q > 0, q, 1.0), 1.0)
        terms = np.where(q > 0, q * dv.F_DIVERGENCES[kind].generator(u), 0.0)
    return terms.sum(axis=-1)


def _axis_not_passed_on(
    p: Any, q: Any, kind: str = "kl", *, axis: int = -1, normalize: bool = False
) -> Any:
    return dv.f_divergence(p, q, kind, normalize=normalize)


@claim(
    "info.f-divergence-csiszar",
    statement=(
        r"For each divergence of f-GAN's Table 1, `dv.f_divergence(P, Q, kind)` is Csiszár's "
        r"$D_f(P \| Q) = \sum_{q_i > 0} q_i f(p_i/q_i) + f'(\infty) \sum_{q_i = 0} p_i$ with the "
        r"table's generator $f$ ($q_i f(0)$ where $p_i = 0$, $f'(\infty) = \lim_{u \to \infty} "
        r"f(u)/u$), for distributions given as weights (`normalize=True`; without it weights "
        r"of another total mass are rejected) and for stacks of pairs along either axis."
    ),
    source=SOURCE,
    locator="Table 1 (the generators); Csiszár (1967), the definition of $D_f$",
    check=(
        r"For Hypothesis-drawn stacks (one pair; $n$ pairs; one $P$ against $n$ rows of $Q$; "
        r"along axis $-1$ or $0$) of pairs of every kind, near-disjoint ones included (a mass "
        r"$10^{-15}$ to $10^{-6}$ across disjoint supports), scaled by $10^{-3}$ to $10^3$, each "
        r"pair's sum is taken term by term from Table 1's generators written in mpmath (with the "
        r"digits each ratio needs), $f(0)$ and $f'(\infty)$ as limits evaluated at $10^{\mp 100}$"
        r" to $10^{\mp 400}$ in 700 digits, and compared with every kind to $10^{-12}$ relative "
        r"($10^{-13}$ absolute, none for the GAN divergence: near disjoint supports it is tiny "
        r"and must keep its relative precision); the "
        r"weights without `normalize=True` must raise `ValueError`."
    ),
    subject=dv.f_divergence,
    figure="f_generator_sums.png",
    falsifiers=[
        (
            r"f-GAN's Jensen–Shannon divergence is the JSD (the factor 2 its generator gives "
            r"dropped)",
            _js_without_factor,
        ),
        (r"KL's $f(u) = u \log u$ applied as $\sum_i q_i \log(q_i/p_i)$", _kl_swapped),
        (
            r"the sum taken over the support of $Q$ only (no $p_i f'(\infty)$ where $q_i = 0$), "
            r"with the weights used as given",
            _sum_over_support_of_q,
        ),
        (r"the vectors taken along the last axis whatever `axis` says", _axis_not_passed_on),
    ],
)
def test_f_divergence_csiszar(divergence: Callable[..., Any]) -> None:
    @forall(case=pair_stacks())
    @example(
        case=(
            np.array([[0.5, 0.5, 0.0], [0.7, 0.0, 0.3]]),
            np.array([[0.0, 0.5, 0.5]] * 2),
            -1,
            1.0,
        )
    )
    @example(  # two pairs of full support, as the columns of (3, 2) arrays (axis 0)
        case=(
            np.array([[0.5, 0.2], [0.3, 0.3], [0.2, 0.5]]),
            np.array([[0.25, 0.4], [0.25, 0.4], [0.5, 0.2]]),
            0,
            1.0,
        )
    )
    def prop(case: tuple[np.ndarray, np.ndarray, int, float]) -> None:
        p, q, axis, scale = case
        lead = np.broadcast_shapes(
            np.moveaxis(p, axis, -1).shape[:-1], np.moveaxis(q, axis, -1).shape[:-1]
        )
        rows = list(zip(_rows(p, axis, lead), _rows(q, axis, lead), strict=True))
        repro = f"p={p.tolist()}, q={q.tolist()}, axis={axis}"
        normalize = scale != 1.0
        for kind in KINDS:
            expected = np.array([csiszar_sum(kind, a, b) for a, b in rows]).reshape(lead)
            got, error = _attempt(
                functools.partial(divergence, p, q, kind, axis=axis, normalize=normalize)
            )
            expect(
                error is None and _same(got, expected, ATOL[kind]),
                "D_f against Csiszár's sum with Table 1's generator",
                observed={kind: error or np.asarray(got).tolist()},
                expected=expected.tolist(),
                repro=f"{repro}, kind={kind!r}, normalize={normalize}",
            )
            if normalize:
                got, error = _attempt(functools.partial(divergence, p, q, kind, axis=axis))
                expect(
                    error is not None,
                    "weights of another mass are rejected unless normalize=True",
                    observed={kind: np.asarray(got).tolist()},
                    expected="ValueError",
                    repro=f"{repro}, kind={kind!r}",
                )

    prop()


# --- the tabulated generators are Table 1's ------------------------------------------------------


def _closed_form_term(kind: str, a: mp.mpf, b: mp.mpf) -> mp.mpf:
    """One bin of Table 1's closed form of D_f(P || Q), for b = q_i > 0 and a = p_i >= 0."""
    if kind == "kl":
        return a * mp.log(a / b) if a > 0 else mp.mpf(0)
    if kind == "reverse-kl":
        return b * mp.log(b / a) if a > 0 else mp.inf
    if kind == "pearson":
        return (a - b) ** 2 / b
    if kind == "neyman":
        return (a - b) ** 2 / a if a > 0 else mp.inf
    if kind == "squared-hellinger":
        return (mp.sqrt(a) - mp.sqrt(b)) ** 2
    if kind in ("js", "gan"):
        m = (a + b) / 2 if kind == "js" else a + b
        return (a * mp.log(a / m) if a > 0 else mp.mpf(0)) + b * mp.log(b / m)
    return abs(a - b) / 2  # tv


def _with_generator(kind: str, generator: Callable[[Any], Any]) -> dict[str, Any]:
    table = dict(dv.F_DIVERGENCES)
    table[kind] = dataclasses.replace(table[kind], generator=generator)
    return table


@claim(
    "info.f-generators-table",
    statement=(
        r"The generators tabulated in `dv.F_DIVERGENCES` are those of f-GAN's Table 1: with "
        r"each, $\sum_i q_i f(p_i / q_i)$ over a $Q$ of full support equals the divergence's "
        r"closed form (Table 1's $D_f$ column), $0 \log 0 = 0$ included where $p_i = 0$."
    ),
    source=SOURCE,
    locator="Table 1",
    check=(
        r"For Hypothesis-drawn $Q$ of full support and $P$ with zeros, each generator is "
        r"evaluated (numpy, as tabulated) at the ratios $p_i/q_i$ and $\sum_i q_i f(p_i/q_i)$ "
        r"summed with `math.fsum`; the closed form, written bin by bin (e.g. "
        r"$\sum_i p_i \log \frac{2 p_i}{p_i + q_i} + q_i \log \frac{2 q_i}{p_i + q_i}$ for "
        r"Jensen–Shannon), is summed in 40-digit mpmath; they must agree to $10^{-9}$ relative "
        r"($10^{-12}$ absolute)."
    ),
    subject=dv.F_DIVERGENCES,
    figure="f_generator_sums.png",
    falsifiers=[
        (
            r"KL's generator written as `u * np.log(u)` (NaN at $u = 0$, where $0 \log 0 = 0$)",
            _with_generator("kl", lambda u: u * np.log(u)),
        ),
        (
            r"f-GAN's Jensen–Shannon generator without the halving: "
            r"$u \log u - (u + 1) \log(u + 1)$",
            _with_generator("js", lambda u: u * np.log(u) - (u + 1.0) * np.log(u + 1.0)),
        ),
        (
            r"KL's generator $-\log u$ (that of $\sum_i q_i \log(q_i/p_i)$, the arguments "
            r"swapped)",
            _with_generator("kl", lambda u: -np.log(u)),
        ),
    ],
)
def test_f_generators_table(table: Any) -> None:
    @forall(
        pair=st.integers(2, 10).flatmap(
            lambda k: st.tuples(
                dst.probability_vectors(k, k, subnormal=False),
                dst.probability_vectors(k, k, zeros=False),
            )
        )
    )
    @example(pair=(np.array([0.0, 0.4, 0.6]), np.array([0.3, 0.3, 0.4])))
    def prop(pair: tuple[np.ndarray, np.ndarray]) -> None:
        p, q = pair
        repro = f"p={p.tolist()}, q={q.tolist()}"
        for kind in KINDS:
            with np.errstate(all="ignore"):
                terms = q * np.asarray(table[kind].generator(p / q), dtype=float)
            got = math.fsum(terms.tolist()) if not np.isnan(terms).any() else math.nan
            with mp.workdps(40):
                exact = float(
                    mp.fsum(
                        _closed_form_term(kind, mp.mpf(a), mp.mpf(b))
                        for a, b in zip(p.tolist(), q.tolist(), strict=True)
                    )
                )
            close = got == exact or abs(got - exact) <= 1e-9 * abs(exact) + 1e-12
            expect(
                close,
                "the generator's sum against Table 1's closed form",
                observed={kind: got},
                expected=exact,
                repro=f"{repro}, kind={kind!r}",
            )

    prop()

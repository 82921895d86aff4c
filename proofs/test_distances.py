r"""The library's divergences, distances and entropies of probability vectors, by definition.

Seven claims make the functions on probability vectors subjects of their own: KL, JSD, the
JS distance, total variation, the Hellinger distance, cross-entropy and entropy, each against
its defining sum in 40-digit mpmath, for stacks of pairs along either axis, weights
(``normalize=True``, also weights whose entries underflow when divided by their sum or whose
sums overflow), lists and integer vectors and, where the function has one, a logarithm base.
The stacks are those of ``info.f-divergence-csiszar`` (``proofs/test_f_generators.py``); the
explicit cases are :data:`EXPLICIT`.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np
from hypothesis import example
from hypothesis import strategies as st
from scipy import special

import divergences as dv
from divergences.claims import claim, expect, forall

from .test_f_generators import _rows, pair_stacks
from .tolerances import ROUTE_ATOL, ROUTE_RTOL, same_entries
from .tolerances import attempt as _attempt

SOURCE = "Cover & Thomas (2006); Nowozin, Cseke & Tomioka (2016)"
#: Bases drawn for the functions that take one (None: nats).
BASES = (None, 2.0, 10.0, 1.5)


def _normalised(row: np.ndarray) -> list[mp.mpf]:
    """The row divided by its sum, each entry rounded to a float (as the library's).

    Where the quotient falls below the normal range the exact quotient is kept: the library
    keeps the support (and the logarithm) of the raw weights where a quotient underflows.

    The sum is taken in mpmath, so that weights whose float sum overflows are divided as well.
    """
    total = mp.fsum(mp.mpf(v) for v in row.tolist())
    out = []
    for v in row.tolist():
        exact = mp.mpf(v) / total
        rounded = float(exact)
        out.append(mp.mpf(rounded) if abs(rounded) >= sys.float_info.min else exact)
    return out


def _tv(p: list[mp.mpf], q: list[mp.mpf]) -> mp.mpf:
    return mp.fsum(abs(a - b) for a, b in zip(p, q, strict=True)) / 2


def _hellinger(p: list[mp.mpf], q: list[mp.mpf]) -> mp.mpf:
    return mp.sqrt(mp.fsum((mp.sqrt(a) - mp.sqrt(b)) ** 2 for a, b in zip(p, q, strict=True)) / 2)


def _cross_entropy(p: list[mp.mpf], q: list[mp.mpf]) -> mp.mpf:
    if any(a > 0 and b == 0 for a, b in zip(p, q, strict=True)):
        return mp.inf
    return -mp.fsum(a * mp.log(b) for a, b in zip(p, q, strict=True) if a > 0)


def _entropy(p: list[mp.mpf], _q: list[mp.mpf]) -> mp.mpf:
    return -mp.fsum(a * mp.log(a) for a in p if a > 0)


def _kl(p: list[mp.mpf], q: list[mp.mpf]) -> mp.mpf:
    if any(a > 0 and b == 0 for a, b in zip(p, q, strict=True)):
        return mp.inf
    return mp.fsum(a * mp.log(a / b) for a, b in zip(p, q, strict=True) if a > 0)


def _js(p: list[mp.mpf], q: list[mp.mpf]) -> mp.mpf:
    terms = []
    for a, b in zip(p, q, strict=True):
        m = (a + b) / 2
        terms += [a * mp.log(a / m) / 2 if a > 0 else 0, b * mp.log(b / m) / 2 if b > 0 else 0]
    return mp.fsum(terms)


def _js_root(p: list[mp.mpf], q: list[mp.mpf]) -> mp.mpf:
    return mp.sqrt(_js(p, q))


#: Explicit cases every check of this file runs, besides the drawn stacks: (p, q, axis, scale),
#: a scale other than 1 meaning weights (normalize=True); p and q may be lists or integer arrays.
EXPLICIT: list[tuple[Any, Any, int, float]] = [
    # plain vectors as Python lists (the fast path of kl/js/entropy converts them)
    ([0.2, 0.3, 0.5], [0.5, 0.25, 0.25], -1, 1.0),
    # an integer one-hot vector is a probability vector
    (np.array([0, 1, 0]), np.array([0.25, 0.5, 0.25]), -1, 1.0),
    # two rows of P against one Q (the kernels' row-0 broadcasting of Q)
    (np.array([[0.2, 0.3, 0.5], [0.6, 0.4, 0.0]]), np.array([0.5, 0.25, 0.25]), -1, 1.0),
    # weights: Q's second entry underflows to 0 when divided by its sum, where P has all its mass
    (np.array([0.0, 5.0]), np.array([1e300, 1e-100]), -1, 2.0),
    # weights: P's second entry underflows, on an outcome Q gives no mass (KL, H(P, Q) = inf)
    (np.array([1e200, 1e-200]), np.array([1.0, 0.0]), -1, 2.0),
    # weights: both second entries underflow
    (np.array([1e200, 1e-200]), np.array([1e200, 1e-210]), -1, 2.0),
    # disjoint weights whose quotients, summed left to right, exceed 2 by an ulp
    (
        np.array(
            [0.8135340641796355, 0.6028489052411163, 0.6551210639913803, 0.9136907627073889]
            + [0.0] * 4
        ),
        np.array(
            [0.0] * 4
            + [0.06527041641129139, 0.8349882039584006, 0.3818147799662388, 0.3255456161007044]
        ),
        -1,
        2.0,
    ),
    # weights whose float sums overflow (the library rescales them by their maximum)
    (np.array([1.5e308, 1.5e308, 1e308]), np.array([1e308, 1.7e308, 1.2e308]), -1, 2.0),
]


def _check(
    function: Callable[..., Any],
    definition: Callable[[list[mp.mpf], list[mp.mpf]], mp.mpf],
    label: str,
    *,
    pairwise: bool = True,
    takes_base: bool = False,
    scalar: bool = False,
    at_most: float | None = None,
    per_base: Callable[[mp.mpf], mp.mpf] = lambda log_base: log_base,
) -> None:
    """``function`` on drawn stacks and :data:`EXPLICIT` against ``definition``, in mpmath.

    The definition's value is divided by ``per_base(log b)`` for a base b (``log b`` itself,
    but ``sqrt(log b)`` for a root of a divergence).
    With weights (``normalize=True``) the same call without it must raise ``ValueError``;
    with ``scalar`` a single pair must give a numpy scalar, not a 0-d array.
    """

    def prop(case: tuple[Any, Any, int, float], base: float | None) -> None:
        p_in, q_in, axis, scale = case
        p, q = np.asarray(p_in, dtype=float), np.asarray(q_in, dtype=float)
        normalize = scale != 1.0
        p_lead = np.moveaxis(p, axis, -1).shape[:-1]
        lead = (
            np.broadcast_shapes(p_lead, np.moveaxis(q, axis, -1).shape[:-1]) if pairwise else p_lead
        )
        rows_p = _rows(p, axis, lead)
        rows_q = _rows(q, axis, lead) if pairwise else rows_p
        with mp.workdps(40):
            divisor = per_base(mp.log(base)) if takes_base and base is not None else mp.mpf(1)
            expected = np.array(
                [
                    float(definition(_normalised(a), _normalised(b)) / divisor)
                    for a, b in zip(rows_p, rows_q, strict=True)
                ]
            ).reshape(lead)
        args = (p_in, q_in) if pairwise else (p_in,)
        options: dict[str, Any] = {"axis": axis}
        if takes_base:
            options["base"] = base
        repro = (
            f"p={p.tolist()} ({type(p_in).__name__}), q={q.tolist()}, axis={axis}, "
            f"normalize={normalize}, base={base}"
        )
        got, error = _attempt(functools.partial(function, *args, normalize=normalize, **options))
        expect(
            error is None and same_entries(got, expected, ROUTE_RTOL, ROUTE_ATOL),
            label,
            observed=error or np.asarray(got).tolist(),
            expected=expected.tolist(),
            repro=repro,
        )
        if at_most is not None:
            expect(
                error is None
                and bool(np.all((np.asarray(got) >= 0) & (np.asarray(got) <= at_most))),
                f"every value lies in [0, {at_most:g}]",
                observed=error or np.asarray(got).tolist(),
                expected=f"[0, {at_most:g}]",
                repro=repro,
            )
        if scalar and not lead:
            expect(
                isinstance(got, np.floating),
                "a single pair gives a numpy scalar, not a 0-d array",
                observed=type(got).__name__,
                expected="numpy.float64",
                repro=repro,
            )
        if normalize:
            got, error = _attempt(functools.partial(function, *args, **options))
            expect(
                error is not None,
                "weights of another mass are rejected unless normalize=True",
                observed=np.asarray(got).tolist() if error is None else error,
                expected="ValueError",
                repro=repro,
            )

    # a zero on either side, two pairs along the last axis, in bits
    prop = example(
        case=(
            np.array([[0.5, 0.5, 0.0], [0.7, 0.0, 0.3]]),
            np.array([[0.0, 0.5, 0.5]] * 2),
            -1,
            1.0,
        ),
        base=2.0,
    )(prop)
    # two pairs of full support as the columns of (3, 2) arrays (axis 0), weights
    prop = example(
        case=(
            np.array([[5.0, 2.0], [3.0, 3.0], [2.0, 5.0]]),
            np.array([[2.5, 4.0], [2.5, 4.0], [5.0, 2.0]]),
            0,
            10.0,
        ),
        base=None,
    )(prop)
    # one plain pair in bits (a base other than nats leaves the one-call path)
    prop = example(
        case=(np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.25, 0.25]), -1, 1.0), base=2.0
    )(prop)
    for case in EXPLICIT:
        prop = example(case=case, base=None)(prop)
    forall(case=pair_stacks(), base=st.sampled_from(BASES))(prop)()


# --- falsifiers: definitions someone could write instead -----------------------------------------


def _as_rows(p: Any, axis: int, normalize: bool) -> np.ndarray:
    a = np.moveaxis(np.asarray(p, dtype=float), axis, -1)
    return a / a.sum(axis=-1, keepdims=True) if normalize else a


def _l1_distance(p: Any, q: Any, *, axis: int = -1, normalize: bool = False) -> Any:
    """Sum |p - q| without the half: the L1 distance, in [0, 2]."""
    a, b = np.broadcast_arrays(_as_rows(p, axis, normalize), _as_rows(q, axis, normalize))
    return np.abs(a - b).sum(axis=-1)


def _largest_gap(p: Any, q: Any, *, axis: int = -1, normalize: bool = False) -> Any:
    """max_i |p_i - q_i|: the sup over outcomes read as the sup over events."""
    a, b = np.broadcast_arrays(_as_rows(p, axis, normalize), _as_rows(q, axis, normalize))
    return np.abs(a - b).max(axis=-1)


def _hellinger_unhalved(p: Any, q: Any, *, axis: int = -1, normalize: bool = False) -> Any:
    """f-GAN's squared Hellinger sum (no half) under the root: in [0, sqrt 2]."""
    return math.sqrt(2.0) * dv.hellinger_distance(p, q, axis=axis, normalize=normalize)


def _hellinger_squared(p: Any, q: Any, *, axis: int = -1, normalize: bool = False) -> Any:
    """The squared distance returned for the distance."""
    return dv.hellinger_distance(p, q, axis=axis, normalize=normalize) ** 2


def _cross_entropy_swapped(p: Any, q: Any, **options: Any) -> Any:
    """-sum q log p: the arguments in the other order."""
    return dv.cross_entropy(q, p, **options)


def _cross_entropy_in_nats(p: Any, q: Any, *, base: Any = None, **options: Any) -> Any:
    """The base ignored: always nats."""
    return dv.cross_entropy(p, q, **options)


def _cross_entropy_on_q_support(
    p: Any, q: Any, *, base: Any = None, axis: int = -1, normalize: bool = False
) -> Any:
    """-sum over q_i > 0 of p_i log q_i: finite where P has mass off Q's support."""
    a, b = np.broadcast_arrays(_as_rows(p, axis, normalize), _as_rows(q, axis, normalize))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(b > 0, -a * np.log(np.where(b > 0, b, 1.0)), 0.0)
    return terms.sum(axis=-1) / (math.log(base) if base is not None else 1.0)


def _cross_entropy_from_log_weights(
    p: Any, q: Any, *, base: Any = None, axis: int = -1, normalize: bool = False
) -> Any:
    """-sum p_i (log w_i - log sum w): log q_i from Q's log-weights minus the log of their sum."""
    a = _as_rows(p, axis, normalize)
    w = np.moveaxis(np.asarray(q, dtype=float), axis, -1)
    a, w = np.broadcast_arrays(a, w)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_q = np.log(w) - np.log(w.sum(axis=-1, keepdims=True))
        terms = np.where(a > 0, -a * log_q, 0.0)
    return terms.sum(axis=-1) / (math.log(base) if base is not None else 1.0)


#: Weights of Q near the top of the float range, their sums below the largest double
#: (normalize=True): log q_i of the quotient keeps its relative precision, where
#: log w_i - log(sum w), each about 707, cancels to 1e-13.
HUGE_WEIGHTS = [
    (np.array([1.0, 2.0, 1.0]), np.array([3e307, 9e307, 5e307])),
    (np.array([3.0, 1.0]), np.array([1.2e308, 4.1e307])),
]
#: H(P, Q) of those pairs to the 40-digit value: each log q_i is within an ulp or two of
#: log(w_i / sum w), no term cancels another (all are >= 0), so a few ulps; 1e-14 leaves room.
HUGE_RTOL = 1e-14


def _entropy_in_nats(p: Any, *, base: Any = None, **options: Any) -> Any:
    """The base ignored: always nats."""
    return dv.entropy(p, **options)


def _entropy_of_weights(
    p: Any, *, base: Any = None, axis: int = -1, normalize: bool = False
) -> Any:
    """-sum w log w of the weights as given, normalize=True ignored."""
    w = np.moveaxis(np.asarray(p, dtype=float), axis, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(w > 0, -w * np.log(np.where(w > 0, w, 1.0)), 0.0)
    return terms.sum(axis=-1) / (math.log(base) if base is not None else 1.0)


def _entropy_last_axis(p: Any, *, axis: int = -1, **options: Any) -> Any:
    """The vectors taken along the last axis whatever ``axis`` says."""
    return dv.entropy(p, **options)


def _normalising(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` dividing every vector by its sum whatever ``normalize`` says (scipy's way)."""

    def silently(*args: Any, normalize: bool = False, **options: Any) -> Any:
        return function(*args, normalize=True, **options)

    return silently


def _tv_zero_d(p: Any, q: Any, **options: Any) -> Any:
    """The kernel's output reshaped to the leading shape, a 0-d array for a single pair."""
    return np.asarray(dv.tv_distance(p, q, **options))


def _kl_in_nats(p: Any, q: Any, *, base: Any = None, **options: Any) -> Any:
    """The base ignored: always nats."""
    return dv.kl_divergence(p, q, **options)


def _kl_swapped(p: Any, q: Any, **options: Any) -> Any:
    """KL(Q || P): the arguments in the other order."""
    return dv.kl_divergence(q, p, **options)


def _kl_textbook(
    p: Any, q: Any, *, base: Any = None, axis: int = -1, normalize: bool = False
) -> Any:
    """Sum of p log(p/q) term by term (scipy.special.rel_entr, as scipy.stats.entropy sums)."""
    a, b = np.broadcast_arrays(_as_rows(p, axis, normalize), _as_rows(q, axis, normalize))
    total = special.rel_entr(a, b).sum(axis=-1)
    return total / (math.log(base) if base is not None else 1.0)


def _js_in_nats(p: Any, q: Any, *, base: Any = None, **options: Any) -> Any:
    """The base ignored: always nats."""
    return dv.js_divergence(p, q, **options)


def _js_unhalved(p: Any, q: Any, **options: Any) -> Any:
    """KL(P || M) + KL(Q || M), the halves dropped: in [0, 2 log 2]."""
    return 2.0 * dv.js_divergence(p, q, **options)


def _js_distance_in_nats(p: Any, q: Any, *, base: Any = None, **options: Any) -> Any:
    """The base ignored: the root of the divergence in nats."""
    return dv.js_distance(p, q, **options)


def _js_distance_unrooted(p: Any, q: Any, **options: Any) -> Any:
    """The divergence returned for the distance (the root not taken)."""
    return dv.js_divergence(p, q, **options)


FIGURE = "discrete_definitions.png"
DIVERGENCE_FIGURE = "divergence_definitions.png"


@claim(
    "info.tv-distance",
    statement=(
        r"`dv.tv_distance(P, Q)` is the total variation distance "
        r"$\tfrac12 \sum_i |p_i - q_i| = \sup_A |P(A) - Q(A)|$, in $[0, 1]$, of each pair of a "
        r"stack along either axis, for probability vectors and (with `normalize=True`, without "
        r"which they are rejected) weights."
    ),
    source=SOURCE,
    locator="C&T §11.6 (the L1 distance and TV, Lemma 11.6.1); f-GAN Table 1 (TV, f(u) = |u-1|/2)",
    check=(
        r"For Hypothesis-drawn stacks (one pair; $n$ pairs; one $P$ against $n$ rows of $Q$; "
        r"along axis $-1$ or $0$; near-disjoint pairs included; weights scaled by $10^{-3}$ to "
        r"$10^3$ with `normalize=True`) and the explicit cases of `EXPLICIT` (lists, an integer "
        r"one-hot vector, two rows of $P$ against one $Q$, weights with an entry that underflows "
        r"when divided by its sum and weights whose float sum overflows), each row pair divided "
        r"by its sum and $\tfrac12 \sum_i |p_i - q_i|$ summed in 40-digit mpmath (a quotient "
        r"below the normal range kept exact); the library must agree entry by entry to "
        r"$10^{-12}$ relative ($10^{-13}$ absolute) with the stack's shape, lie in $[0, 1]$ "
        r"(also where disjoint weights' quotients sum to an ulp over 2), give a numpy scalar "
        r"for a single pair, and reject weights without `normalize=True` (`ValueError`)."
    ),
    subject=dv.tv_distance,
    figure=FIGURE,
    falsifiers=[
        (r"the L1 distance $\sum_i |p_i - q_i|$ (the half dropped)", _l1_distance),
        (r"$\max_i |p_i - q_i|$, the supremum over single outcomes", _largest_gap),
        (r"a 0-d array returned for a single pair", _tv_zero_d),
    ],
)
def test_tv_distance(tv: Callable[..., Any]) -> None:
    _check(tv, _tv, "TV against half the L1 sum", scalar=True, at_most=1.0)


@claim(
    "info.hellinger-distance",
    statement=(
        r"`dv.hellinger_distance(P, Q)` is $\sqrt{\tfrac12 \sum_i (\sqrt{p_i} - \sqrt{q_i})^2}$, "
        r"in $[0, 1]$ (1 for disjoint supports), of each pair of a stack along either axis, for "
        r"probability vectors and (with `normalize=True`, without which they are rejected) "
        r"weights."
    ),
    source=SOURCE,
    locator=(
        r"f-GAN Table 1 (squared Hellinger, $\sum_i (\sqrt{p_i} - \sqrt{q_i})^2$, here halved so "
        r"that the distance is at most 1)"
    ),
    check=(
        r"The stacks and explicit cases of `info.tv-distance`; each row pair divided by its sum "
        r"and $\sqrt{\tfrac12 \sum_i (\sqrt{p_i} - \sqrt{q_i})^2}$ in 40-digit mpmath; entry "
        r"by entry to $10^{-12}$ relative ($10^{-13}$ absolute); weights without "
        r"`normalize=True` must raise `ValueError`."
    ),
    subject=dv.hellinger_distance,
    figure=FIGURE,
    falsifiers=[
        (
            r"the root of f-GAN's squared Hellinger sum without the half, in $[0, \sqrt 2]$",
            _hellinger_unhalved,
        ),
        (r"the squared distance returned for the distance", _hellinger_squared),
        (
            r"every vector divided by its sum whatever `normalize` says",
            _normalising(dv.hellinger_distance),
        ),
    ],
)
def test_hellinger_distance(hellinger: Callable[..., Any]) -> None:
    _check(hellinger, _hellinger, "Hellinger against its defining sum")


@claim(
    "info.cross-entropy",
    statement=(
        r"`dv.cross_entropy(P, Q, base=b)` is $H(P, Q) = -\sum_{p_i > 0} p_i \log_b q_i$, "
        r"$+\infty$ where $P$ has mass on an outcome with $q_i = 0$, of each pair of a stack "
        r"along either axis, for probability vectors and (with `normalize=True`, without which "
        r"they are rejected) weights, whose support is that of the weights."
    ),
    source=SOURCE,
    locator="C&T §5.4 (the code length of a wrong code, H(p) + D(p||q)) and §2.1 (the base)",
    check=(
        r"The stacks and explicit cases of `info.tv-distance` with a base drawn from None (nats), "
        r"2, 10 and 1.5 (2 for one plain pair); each row pair divided by its sum and "
        r"$-\sum_{p_i > 0} p_i \log q_i$ in 40-digit mpmath ($+\infty$ for mass off $Q$'s "
        r"support; a $q_i$ that underflows when divided by its sum kept exact, so its term is "
        r"finite), divided by $\log b$; entry by entry to $10^{-12}$ relative ($10^{-13}$ "
        r"absolute), $+\infty$ exactly; weights without `normalize=True` must raise "
        r"`ValueError`. And two pairs with weights of $Q$ near $10^{308}$ against the 40-digit "
        r"sum to $10^{-14}$ relative."
    ),
    subject=dv.cross_entropy,
    figure=FIGURE,
    falsifiers=[
        (r"$-\sum_i q_i \log p_i$ (the arguments swapped)", _cross_entropy_swapped),
        (r"the base ignored (always nats)", _cross_entropy_in_nats),
        (
            r"the sum over $q_i > 0$ only, finite where $P$ has mass off $Q$'s support",
            _cross_entropy_on_q_support,
        ),
        (
            r"$\log q_i$ as $\log w_i - \log \sum_j w_j$ from $Q$'s weights",
            _cross_entropy_from_log_weights,
        ),
    ],
)
def test_cross_entropy(cross_entropy: Callable[..., Any]) -> None:
    _check(cross_entropy, _cross_entropy, "H(P, Q) against its defining sum", takes_base=True)
    for p, q in HUGE_WEIGHTS:
        with mp.workdps(40):
            exact = float(_cross_entropy(_normalised(p), _normalised(q)))
        got, error = _attempt(functools.partial(cross_entropy, p, q, normalize=True))
        expect(
            error is None and abs(float(got) - exact) <= HUGE_RTOL * exact,
            "weights near the top of the float range keep relative precision",
            observed=error or float(got),
            expected=exact,
            repro=f"p={p.tolist()}, q={q.tolist()}, normalize=True",
        )


@claim(
    "info.entropy",
    statement=(
        r"`dv.entropy(P, base=b)` is the Shannon entropy $H(P) = -\sum_{p_i > 0} p_i \log_b p_i$ "
        r"of each vector of a stack along either axis, for probability vectors and (with "
        r"`normalize=True`, without which they are rejected) weights."
    ),
    source=SOURCE,
    locator="C&T §2.1 (entropy, 0 log 0 = 0, the base of the logarithm)",
    check=(
        r"The $P$ of the stacks and explicit cases of `info.tv-distance` with a base drawn from "
        r"None, 2, 10 and 1.5; each row divided by its sum and $-\sum_{p_i > 0} p_i \log p_i$ "
        r"in 40-digit mpmath, divided by $\log b$; entry by entry to $10^{-12}$ relative "
        r"($10^{-13}$ absolute); weights without `normalize=True` must raise `ValueError`."
    ),
    subject=dv.entropy,
    figure=FIGURE,
    falsifiers=[
        (r"the base ignored (always nats)", _entropy_in_nats),
        (
            r"$-\sum_i w_i \log w_i$ of the weights as given (`normalize` ignored)",
            _entropy_of_weights,
        ),
        (r"the vectors taken along the last axis whatever `axis` says", _entropy_last_axis),
    ],
)
def test_entropy(entropy: Callable[..., Any]) -> None:
    _check(entropy, _entropy, "H(P) against its defining sum", pairwise=False, takes_base=True)


#: The near-equal pairs of ``info.kl-divergence``: P uniform on four outcomes, Q with d moved
#: from its second outcome to its first, d a multiple of 2^-40, so that every entry, both sums
#: (exactly 1) and the relative differences u = (q_i - p_i)/p_i = +-4d are exact; |u| just
#: under 0.1 (the atanh series' last terms), just over it and up to 0.45 (log1p), and 1e-5.
NEAR_U = (0.0999, 0.099, 0.095, 0.09, 0.05, 1e-5, 0.1001, 0.12, 0.2, 0.3, 0.45)
#: And u = 4d of P = (1/4, 3/4) against (1/4 + d, 3/4 - d), just under and over 0.1.
NEAR_U_SKEWED = (-0.0999, 0.101034, 0.104138, 0.113448)
#: The library's KL of those pairs to the exact value: each term is evaluated from an exact u
#: with a handful of roundings; the worst cancellation, u - log1p(u) at |u| = 0.1 (about 0.05
#: of u), multiplies log1p's ulp by 20, about 2e-15 of the term. 1e-14 leaves a factor 5; the
#: textbook sum of p log(p/q) loses 1e-11 of the KL of the pair at u = 1e-5.
NEAR_RTOL = 1e-14


def _near_pairs() -> list[tuple[np.ndarray, np.ndarray]]:
    pairs = []
    for u in NEAR_U:
        d = round(u / 4 * 2.0**40) * 2.0**-40
        pairs.append((np.full(4, 0.25), np.array([0.25 + d, 0.25 - d, 0.25, 0.25])))
    # P = (1/4, 3/4): the term at u = 4d carries most of the KL (u = -4d/3 at the other)
    for u in NEAR_U_SKEWED:
        d = round(u / 4 * 2.0**40) * 2.0**-40
        pairs.append((np.array([0.25, 0.75]), np.array([0.25 + d, 0.75 - d])))
    # u = -0.6 between entries far below 1: the term is p log(p/q) - p + q from the ratio
    pairs.append((np.array([1e-100, 1.0]), np.array([4e-101, 1.0])))
    return pairs


@claim(
    "info.kl-divergence",
    statement=(
        r"`dv.kl_divergence(P, Q, base=b)` is $\sum_{p_i > 0} p_i \log_b (p_i / q_i)$, "
        r"$+\infty$ where $P$ has mass on an outcome with $q_i = 0$, of each pair of a stack "
        r"along either axis, for probability vectors (arrays, lists, integer vectors) and (with "
        r"`normalize=True`, without which they are rejected) weights, whose support is that of "
        r"the weights; near-equal pairs keep their relative precision."
    ),
    source=SOURCE,
    locator="C&T §2.3 (relative entropy, 0 log 0/q = 0, p log p/0 = inf) and §2.1 (the base)",
    check=(
        r"The stacks and explicit cases of `info.tv-distance` with a base drawn from None, 2, "
        r"10 and 1.5 (2 for one plain pair); each row pair divided by its sum and "
        r"$\sum_{p_i > 0} p_i \log(p_i / q_i)$ in 40-digit mpmath ($+\infty$ for mass off "
        r"$Q$'s support; a quotient that underflows kept exact), divided by $\log b$; entry by "
        r"entry to $10^{-12}$ relative ($10^{-13}$ absolute), $+\infty$ exactly; weights without "
        r"`normalize=True` must raise `ValueError`. And 16 near-equal pairs whose entries, sums "
        r"and relative differences $u = (q_i - p_i)/p_i$ are exact ($|u|$ from $10^{-5}$ to "
        r"0.45, just under and over 0.1, and $u = -0.6$ between entries of $10^{-100}$) against "
        r"the sum in 250-digit mpmath to $10^{-14}$ relative, no absolute slack."
    ),
    figure=DIVERGENCE_FIGURE,
    subject=dv.kl_divergence,
    falsifiers=[
        (r"the base ignored (always nats)", _kl_in_nats),
        (r"$KL(Q \| P)$ (the arguments swapped)", _kl_swapped),
        (
            r"every vector divided by its sum whatever `normalize` says",
            _normalising(dv.kl_divergence),
        ),
        (
            r"$\sum_i p_i \log(p_i/q_i)$ summed term by term (`scipy.special.rel_entr`), which "
            r"cancels for near-equal pairs",
            _kl_textbook,
        ),
    ],
)
def test_kl_divergence(kl: Callable[..., Any]) -> None:
    _check(kl, _kl, "KL against its defining sum", takes_base=True)
    for p, q in _near_pairs():
        with mp.workdps(250):  # 1 + 1e-100 and its logarithm, exactly enough
            exact = _kl(*(_exactly_normalised(v) for v in (p, q)))
        got, error = _attempt(functools.partial(kl, p, q))
        expect(
            error is None and abs(float(got) - float(exact)) <= NEAR_RTOL * float(exact),
            "near-equal pairs keep their relative precision",
            observed=error or float(got),
            expected=float(exact),
            repro=f"p={p.tolist()}, q={q.tolist()}",
        )


def _exactly_normalised(row: np.ndarray) -> list[mp.mpf]:
    total = mp.fsum(mp.mpf(v) for v in row.tolist())
    return [mp.mpf(v) / total for v in row.tolist()]


@claim(
    "info.js-divergence",
    statement=(
        r"`dv.js_divergence(P, Q, base=b)` is $\tfrac12 \sum_i p_i \log_b \frac{2 p_i}{p_i + "
        r"q_i} + \tfrac12 \sum_i q_i \log_b \frac{2 q_i}{p_i + q_i}$ ($0 \log 0 = 0$) of each "
        r"pair of a stack along either axis, for probability vectors (arrays, lists, integer "
        r"vectors) and (with `normalize=True`, without which they are rejected) weights."
    ),
    source="Lin (1991); Cover & Thomas (2006)",
    locator="Lin (1991), the definition of the JS divergence with equal weights; C&T §2.1 (base)",
    check=(
        r"The stacks and explicit cases of `info.tv-distance` with a base drawn from None, 2, "
        r"10 and 1.5 (2 for one plain pair); each row pair divided by its sum and the defining "
        r"sum in 40-digit mpmath, divided by $\log b$; entry by entry to $10^{-12}$ relative "
        r"($10^{-13}$ absolute); weights without `normalize=True` must raise `ValueError`."
    ),
    figure=DIVERGENCE_FIGURE,
    subject=dv.js_divergence,
    falsifiers=[
        (r"the base ignored (always nats)", _js_in_nats),
        (r"$KL(P \| M) + KL(Q \| M)$, the halves dropped", _js_unhalved),
        (
            r"every vector divided by its sum whatever `normalize` says",
            _normalising(dv.js_divergence),
        ),
    ],
)
def test_js_divergence(js: Callable[..., Any]) -> None:
    _check(js, _js, "JSD against its defining sum", takes_base=True)


@claim(
    "info.js-distance",
    statement=(
        r"`dv.js_distance(P, Q, base=b)` is $\sqrt{JSD(P, Q) / \log b}$ of each pair of a stack "
        r"along either axis, for probability vectors and (with `normalize=True`, without which "
        r"they are rejected) weights."
    ),
    source="Endres & Schindelin (2003); Lin (1991)",
    locator=r"Endres & Schindelin (2003), Theorem 1 ($\sqrt{D_{PQ}}$ with $D_{PQ} = 2\,JSD$)",
    check=(
        r"As `info.js-divergence`, the root of the defining sum divided by $\sqrt{\log b}$, to "
        r"$10^{-12}$ relative ($10^{-13}$ absolute)."
    ),
    figure=DIVERGENCE_FIGURE,
    subject=dv.js_distance,
    falsifiers=[
        (r"the base ignored (the root of the divergence in nats)", _js_distance_in_nats),
        (r"the divergence returned for the distance (no root)", _js_distance_unrooted),
        (
            r"every vector divided by its sum whatever `normalize` says",
            _normalising(dv.js_distance),
        ),
    ],
)
def test_js_distance(distance: Callable[..., Any]) -> None:
    _check(
        distance,
        _js_root,
        "JS distance against the root of its defining sum",
        takes_base=True,
        per_base=mp.sqrt,
    )

r"""The library's distances and entropies of probability vectors against their definitions.

`dv.kl_divergence` and `dv.js_divergence` are the subjects of the ``info.*`` claims on KL and
JSD; these four claims make the other functions on probability vectors subjects of their own:
total variation, the Hellinger distance, cross-entropy and entropy, each against its defining
sum in 40-digit mpmath, for stacks of pairs along either axis, weights (``normalize=True``) and,
where the function has one, a logarithm base. The stacks are those of
``info.f-divergence-csiszar`` (``proofs/test_f_generators.py``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np
from hypothesis import example
from hypothesis import strategies as st

import divergences as dv
from divergences.claims import claim, expect, forall

from .test_f_generators import _rows, pair_stacks
from .tolerances import ROUTE_ATOL, ROUTE_RTOL, same_entries
from .tolerances import attempt as _attempt

SOURCE = "Cover & Thomas (2006); Nowozin, Cseke & Tomioka (2016)"
#: Bases drawn for the functions that take one (None: nats).
BASES = (None, 2.0, 10.0, 1.5)


def _normalised(row: np.ndarray) -> list[mp.mpf]:
    """The row divided by its math.fsum, each entry rounded to a float (as the library's)."""
    total = math.fsum(row.tolist())
    return [mp.mpf(float(mp.mpf(v) / mp.mpf(total))) for v in row.tolist()]


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


def _check(
    function: Callable[..., Any],
    definition: Callable[[list[mp.mpf], list[mp.mpf]], mp.mpf],
    label: str,
    *,
    pairwise: bool = True,
    takes_base: bool = False,
) -> None:
    """``function`` on drawn stacks against ``definition`` of each row pair, in mpmath."""

    @forall(case=pair_stacks(), base=st.sampled_from(BASES))
    @example(  # a zero on either side, two pairs along the last axis
        case=(
            np.array([[0.5, 0.5, 0.0], [0.7, 0.0, 0.3]]),
            np.array([[0.0, 0.5, 0.5]] * 2),
            -1,
            1.0,
        ),
        base=2.0,
    )
    @example(  # two pairs of full support as the columns of (3, 2) arrays (axis 0), weights
        case=(
            np.array([[5.0, 2.0], [3.0, 3.0], [2.0, 5.0]]),
            np.array([[2.5, 4.0], [2.5, 4.0], [5.0, 2.0]]),
            0,
            10.0,
        ),
        base=None,
    )
    def prop(case: tuple[np.ndarray, np.ndarray, int, float], base: float | None) -> None:
        p, q, axis, scale = case
        normalize = scale != 1.0
        p_lead = np.moveaxis(p, axis, -1).shape[:-1]
        lead = (
            np.broadcast_shapes(p_lead, np.moveaxis(q, axis, -1).shape[:-1]) if pairwise else p_lead
        )
        rows_p = _rows(p, axis, lead)
        rows_q = _rows(q, axis, lead) if pairwise else rows_p
        with mp.workdps(40):
            divisor = mp.log(base) if takes_base and base is not None else mp.mpf(1)
            expected = np.array(
                [
                    float(definition(_normalised(a), _normalised(b)) / divisor)
                    for a, b in zip(rows_p, rows_q, strict=True)
                ]
            ).reshape(lead)
        args = (p, q) if pairwise else (p,)
        options: dict[str, Any] = {"axis": axis, "normalize": normalize}
        if takes_base:
            options["base"] = base
        got, error = _attempt(functools.partial(function, *args, **options))
        expect(
            error is None and same_entries(got, expected, ROUTE_RTOL, ROUTE_ATOL),
            label,
            observed=error or np.asarray(got).tolist(),
            expected=expected.tolist(),
            repro=f"p={p.tolist()}, q={q.tolist()}, axis={axis}, normalize={normalize}, "
            f"base={base}",
        )

    prop()


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


def _cross_entropy_on_q_support(p: Any, q: Any, *, base: Any = None, **options: Any) -> Any:
    """-sum over q_i > 0 of p_i log q_i: finite where P has mass off Q's support."""
    axis, normalize = options["axis"], options["normalize"]
    a, b = np.broadcast_arrays(_as_rows(p, axis, normalize), _as_rows(q, axis, normalize))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(b > 0, -a * np.log(np.where(b > 0, b, 1.0)), 0.0)
    return terms.sum(axis=-1) / (math.log(base) if base is not None else 1.0)


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


FIGURE = "discrete_definitions.png"


@claim(
    "info.tv-distance",
    statement=(
        r"`dv.tv_distance(P, Q)` is the total variation distance "
        r"$\tfrac12 \sum_i |p_i - q_i| = \sup_A |P(A) - Q(A)|$, in $[0, 1]$, of each pair of a "
        r"stack along either axis, for probability vectors and (with `normalize=True`) weights."
    ),
    source=SOURCE,
    locator="C&T §11.6 (the L1 distance and TV, Lemma 11.6.1); f-GAN Table 1 (TV, f(u) = |u-1|/2)",
    check=(
        r"For Hypothesis-drawn stacks (one pair; $n$ pairs; one $P$ against $n$ rows of $Q$; "
        r"along axis $-1$ or $0$; near-disjoint pairs included; weights scaled by $10^{-3}$ to "
        r"$10^3$ with `normalize=True`), each row pair divided by its `math.fsum` and "
        r"$\tfrac12 \sum_i |p_i - q_i|$ summed in 40-digit mpmath; the library must agree entry "
        r"by entry to $10^{-12}$ relative ($10^{-13}$ absolute) with the stack's shape."
    ),
    subject=dv.tv_distance,
    figure=FIGURE,
    falsifiers=[
        (r"the L1 distance $\sum_i |p_i - q_i|$ (the half dropped)", _l1_distance),
        (r"$\max_i |p_i - q_i|$, the supremum over single outcomes", _largest_gap),
    ],
)
def test_tv_distance(tv: Callable[..., Any]) -> None:
    _check(tv, _tv, "TV against half the L1 sum")


@claim(
    "info.hellinger-distance",
    statement=(
        r"`dv.hellinger_distance(P, Q)` is $\sqrt{\tfrac12 \sum_i (\sqrt{p_i} - \sqrt{q_i})^2}$, "
        r"in $[0, 1]$ (1 for disjoint supports), of each pair of a stack along either axis, for "
        r"probability vectors and (with `normalize=True`) weights."
    ),
    source=SOURCE,
    locator=(
        r"f-GAN Table 1 (squared Hellinger, $\sum_i (\sqrt{p_i} - \sqrt{q_i})^2$, here halved so "
        r"that the distance is at most 1)"
    ),
    check=(
        r"The stacks of `info.tv-distance`; each row pair divided by its `math.fsum` and "
        r"$\sqrt{\tfrac12 \sum_i (\sqrt{p_i} - \sqrt{q_i})^2}$ in 40-digit mpmath; entry by "
        r"entry to $10^{-12}$ relative ($10^{-13}$ absolute)."
    ),
    subject=dv.hellinger_distance,
    figure=FIGURE,
    falsifiers=[
        (
            r"the root of f-GAN's squared Hellinger sum without the half, in $[0, \sqrt 2]$",
            _hellinger_unhalved,
        ),
        (r"the squared distance returned for the distance", _hellinger_squared),
    ],
)
def test_hellinger_distance(hellinger: Callable[..., Any]) -> None:
    _check(hellinger, _hellinger, "Hellinger against its defining sum")


@claim(
    "info.cross-entropy",
    statement=(
        r"`dv.cross_entropy(P, Q, base=b)` is $H(P, Q) = -\sum_{p_i > 0} p_i \log_b q_i$, "
        r"$+\infty$ where $P$ has mass on an outcome with $q_i = 0$, of each pair of a stack "
        r"along either axis, for probability vectors and (with `normalize=True`) weights."
    ),
    source=SOURCE,
    locator="C&T §5.4 (the code length of a wrong code, H(p) + D(p||q)) and §2.1 (the base)",
    check=(
        r"The stacks of `info.tv-distance` with a base drawn from None (nats), 2, 10 and 1.5; "
        r"each row pair divided by its `math.fsum` and $-\sum_{p_i > 0} p_i \log q_i$ in "
        r"40-digit mpmath ($+\infty$ for mass off $Q$'s support), divided by $\log b$; entry by "
        r"entry to $10^{-12}$ relative ($10^{-13}$ absolute), $+\infty$ exactly."
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
    ],
)
def test_cross_entropy(cross_entropy: Callable[..., Any]) -> None:
    _check(cross_entropy, _cross_entropy, "H(P, Q) against its defining sum", takes_base=True)


@claim(
    "info.entropy",
    statement=(
        r"`dv.entropy(P, base=b)` is the Shannon entropy $H(P) = -\sum_{p_i > 0} p_i \log_b p_i$ "
        r"of each vector of a stack along either axis, for probability vectors and (with "
        r"`normalize=True`) weights."
    ),
    source=SOURCE,
    locator="C&T §2.1 (entropy, 0 log 0 = 0, the base of the logarithm)",
    check=(
        r"The $P$ of the stacks of `info.tv-distance` with a base drawn from None, 2, 10 and "
        r"1.5; each row divided by its `math.fsum` and $-\sum_{p_i > 0} p_i \log p_i$ in "
        r"40-digit mpmath, divided by $\log b$; entry by entry to $10^{-12}$ relative "
        r"($10^{-13}$ absolute)."
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

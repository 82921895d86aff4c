"""The library's own GAN functions on weights and on stacks of distributions.

Goodfellow et al. (2014), Generative Adversarial Nets, arXiv:1406.2661: the value function of
eq. (1), its maximum over discriminators (Proposition 1, Theorem 1). The claims of
``test_goodfellow2014.py`` are about the mathematics; these are about `dv.gan_value`,
`dv.gan_value_from_logits`, `dv.virtual_criterion` and `dv.optimal_discriminator` themselves,
on what those claims never pass them: weights that are not normalised, and stacks of
distributions whose leading axes broadcast (one row against many, row i against row i).
"""

from __future__ import annotations

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

SOURCE = "Goodfellow et al. (2014)"
LOG4 = math.log(4.0)

#: How the leading axes of (p_data, p_g) are laid out: one pair, a stack of pairs row by row, one
#: p_data against a stack of p_g (as a vector or as a single row) and a stack against one p_g.
LAYOUTS = ("single", "stacks", "one-many", "row-many", "many-one")

#: Scales of the weights: 1 is a probability vector, the others weights of another total mass.
SCALES = (1.0, 1e-3, 7.5, 1e3)


def _layout_shapes(layout: str, n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Leading shapes of p_data and p_g for ``layout`` with ``n`` rows."""
    return {
        "single": ((), ()),
        "stacks": ((n,), (n,)),
        "one-many": ((), (n,)),
        "row-many": ((1,), (n,)),
        "many-one": ((n,), ()),
    }[layout]


@st.composite
def weighted_stacks(draw: Any, *, discriminator: str) -> tuple[Any, ...]:
    """(p_data, p_g, x, scale): weights of a layout and D (or logits) per bin, full or shared.

    Each row of the weights is a probability vector times ``scale``. ``x`` has the broadcast
    shape of the two (one value per bin of every pair) or is one vector shared by every pair.
    """
    layout = draw(st.sampled_from(LAYOUTS), label="layout")
    n = draw(st.integers(2, 3), label="rows")
    k = draw(st.integers(2, 6), label="bins")
    lead_p, lead_q = _layout_shapes(layout, n)
    scale = draw(st.sampled_from(SCALES), label="scale")

    def stack(lead: tuple[int, ...], label: str) -> np.ndarray:
        rows = [
            draw(dst.probability_vectors(k, k, subnormal=False), label=f"{label} row")
            for _ in range(math.prod(lead))
        ]
        out: np.ndarray = np.array(rows).reshape(*lead, k) * scale
        return out

    p, q = stack(lead_p, "p_data"), stack(lead_q, "p_g")
    lead = np.broadcast_shapes(lead_p, lead_q)
    shared = draw(st.booleans(), label="one discriminator for every pair")
    rows = 1 if shared else math.prod(lead)
    if discriminator == "d":
        values = [draw(dst.discriminators(k), label="d") for _ in range(rows)]
    else:
        logit = st.one_of(
            st.sampled_from([-math.inf, -40.0, -1.0, 0.0, 0.5, 1.0, 40.0, math.inf]),
            st.floats(-50.0, 50.0),
        )
        values = [
            np.array(draw(st.lists(logit, min_size=k, max_size=k), label="logit"))
            for _ in range(rows)
        ]
    x = values[0] if shared else np.array(values).reshape(*lead, k)
    return p, q, x, scale


def _rows(a: np.ndarray, lead: tuple[int, ...]) -> list[np.ndarray]:
    """The rows of ``a`` broadcast to the leading shape ``lead``, flattened in C order."""
    full = np.broadcast_to(a, (*lead, a.shape[-1]))
    return list(full.reshape(-1, a.shape[-1]))


def _log_d(x: float) -> mp.mpf:
    return mp.log(mp.mpf(x)) if x > 0.0 else mp.mpf("-inf")


def _log_one_minus_d(x: float) -> mp.mpf:
    return mp.log(1 - mp.mpf(x)) if x < 1.0 else mp.mpf("-inf")


def _log_sigmoid(x: float) -> mp.mpf:
    if math.isinf(x):
        return mp.mpf(0) if x > 0 else mp.mpf("-inf")
    return -mp.log(1 + mp.exp(-mp.mpf(x)))


def _value_route(p_row: np.ndarray, q_row: np.ndarray, x_row: np.ndarray, form: str) -> float:
    """V of one pair: sum a log D + sum b log(1 - D) over the normalised weights, in mpmath.

    Each row is divided by its own sum (math.fsum); bins without mass contribute nothing.
    """
    p_sum, q_sum = math.fsum(p_row.tolist()), math.fsum(q_row.tolist())
    with mp.workdps(30):
        total = mp.mpf(0)
        for a, b, x in zip(p_row.tolist(), q_row.tolist(), x_row.tolist(), strict=True):
            log_d = _log_d(x) if form == "d" else _log_sigmoid(x)
            log_rest = _log_one_minus_d(x) if form == "d" else _log_sigmoid(-x)
            if a > 0.0:
                total += mp.mpf(a) / mp.mpf(p_sum) * log_d
            if b > 0.0:
                total += mp.mpf(b) / mp.mpf(q_sum) * log_rest
        return float(total)


def _same(observed: Any, expected: np.ndarray) -> bool:
    """The same shape and, entry by entry, the same value to the route tolerance (inf == inf)."""
    return same_entries(observed, expected, ROUTE_RTOL, ROUTE_ATOL)


# --- V(G, D) of eq. (1) --------------------------------------------------------------------------


def _numpy_value(
    *,
    normalise: bool = True,
    first_row: bool = False,
    plus: bool = False,
    sign: float = 1.0,
    sigmoid_first: bool = False,
) -> dict[str, Callable[..., Any]]:
    """V written with numpy over the last axis, with one of the errors someone could make.

    ``normalise=False``: the weights used as given; ``first_row``: the first row of p_data paired
    with every pair; ``plus``: log(1 + D) for log(1 - D); ``sign=-1``: the discriminator's
    cross-entropy loss; ``sigmoid_first``: D = sigmoid(l) formed before its logarithms.
    """

    def terms(p: Any, q: Any, log_d: Any, log_rest: Any, normalize: bool) -> Any:
        p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
        if first_row and p.ndim > 1:
            p = p[:1]
        if normalise and normalize:
            p = p / p.sum(axis=-1, keepdims=True)
            q = q / q.sum(axis=-1, keepdims=True)
        total = np.where(p > 0, p * log_d, 0.0) + np.where(q > 0, q * log_rest, 0.0)
        return sign * total.sum(axis=-1)

    def from_d(p: Any, q: Any, d: Any, *, normalize: bool = False) -> Any:
        d = np.asarray(d, dtype=float)
        with np.errstate(all="ignore"):
            rest = np.log1p(d) if plus else np.log1p(-d)
            return terms(p, q, np.log(d), rest, normalize)

    def from_logits(p: Any, q: Any, logit: Any, *, normalize: bool = False) -> Any:
        logit = np.asarray(logit, dtype=float)
        with np.errstate(all="ignore"):
            d = 1.0 / (1.0 + np.exp(-logit))
            if sigmoid_first or plus:
                rest = np.log1p(d) if plus else np.log1p(-d)
                return terms(p, q, np.log(d), rest, normalize)
            return terms(p, q, -np.logaddexp(0.0, -logit), -np.logaddexp(0.0, logit), normalize)

    return {"d": from_d, "logit": from_logits}


def _check_value(value: dict[str, Callable[..., Any]], form: str, case: tuple[Any, ...]) -> None:
    p, q, x, scale = case
    lead = np.broadcast_shapes(p.shape[:-1], q.shape[:-1])
    expected = np.array(
        [
            _value_route(a, b, c, form)
            for a, b, c in zip(_rows(p, lead), _rows(q, lead), _rows(x, lead), strict=True)
        ]
    ).reshape(lead)
    repro = f"p_data={p.tolist()}, p_g={q.tolist()}, {'d' if form == 'd' else 'logit'}={x.tolist()}"
    got, error = _attempt(lambda: value[form](p, q, x, normalize=True))
    expect(
        error is None and _same(got, expected),
        f"V from {'D' if form == 'd' else 'logits'} against the sum over the normalised weights",
        observed=error or np.asarray(got).tolist(),
        expected=expected.tolist(),
        repro=f"{repro}, normalize=True",
    )
    if scale != 1.0:
        got, error = _attempt(lambda: value[form](p, q, x))
        expect(
            error is not None,
            "weights of another mass are rejected unless normalize=True",
            observed=np.asarray(got).tolist(),
            expected="ValueError",
            repro=repro,
        )


@claim(
    "gan.value-function",
    statement=(
        r"`dv.gan_value` is the value function of eq. (1), $V(G, D) = E_{x \sim p_{data}}"
        r"[\log D(x)] + E_{x \sim p_g}[\log(1 - D(x))]$, for distributions given as weights "
        r"(`normalize=True`, each divided by its sum; without it, weights of another total mass "
        r"are rejected, not given a value) and for stacks of distributions whose leading axes "
        r"broadcast (row $i$ of $p_{data}$ with row $i$ of $p_g$, a single row with every row), "
        r"for $D$ in $[0, 1]$ only; `dv.gan_value_from_logits` is the same $V$ at "
        r"$D = \sigma(l)$, for logits $l$ in $[-\infty, \infty]$."
    ),
    source=SOURCE,
    locator="eq. (1)",
    check=(
        r"For Hypothesis-drawn stacks in five layouts (one pair; $n$ pairs; one $p_{data}$, as a "
        r"vector or a single row, against $n$ rows of $p_g$; $n$ rows against one $p_g$) of "
        r"weights scaled by $10^{-3}$ to $10^3$, with zeros, and a discriminator per pair or one "
        r"for all (endpoints 0 and 1; logits up to $\pm 50$ and $\pm\infty$), each pair's $V$ is "
        r"summed in a Python loop over its weights divided by their `math.fsum`, in 30-digit "
        r"mpmath ($\log \sigma(l) = -\log(1 + e^{-l})$), and compared with both functions to "
        r"$10^{-12}$; the weights without `normalize=True`, and a $D$ outside $[0, 1]$, must "
        r"raise `ValueError`."
    ),
    subject={"d": dv.gan_value, "logit": dv.gan_value_from_logits},
    figure="value_function.png",
    falsifiers=[
        (
            r"the expectations taken against the weights as given (no division by their sum)",
            _numpy_value(normalise=False),
        ),
        (
            r"the first row of $p_{data}$ paired with every row of $p_g$ (a broadcasting bug)",
            _numpy_value(first_row=True),
        ),
        (r"$\log(1 + D)$ for $\log(1 - D)$", _numpy_value(plus=True)),
        (r"$-V$, the discriminator's binary cross-entropy loss, for $V$", _numpy_value(sign=-1.0)),
        (
            r"$D = \sigma(l)$ formed first and then $\log D + \log(1 - D)$ taken (a saturated "
            r"logit rounds $D$ to 0 or 1)",
            _numpy_value(sigmoid_first=True),
        ),
    ],
)
def test_value_function(value: dict[str, Callable[..., Any]]) -> None:
    @forall(case=weighted_stacks(discriminator="d"))
    @example(
        case=(
            np.array([[0.6, 0.4, 0.0], [0.0, 0.5, 0.5]]) * 7.5,
            np.array([[0.2, 0.2, 0.6], [0.5, 0.5, 0.0]]) * 7.5,
            np.array([[0.5, 0.25, 0.75], [0.1, 0.9, 0.3]]),
            7.5,
        )
    )
    def with_d(case: tuple[Any, ...]) -> None:
        _check_value(value, "d", case)
        p, q, x, _ = case
        outside = np.where(np.arange(x.shape[-1]) == 0, 1.5, x)
        got, error = _attempt(lambda: value["d"](p, q, outside, normalize=True))
        expect(
            error is not None,
            "a D outside [0, 1] is rejected",
            observed=np.asarray(got).tolist(),
            expected="ValueError",
            repro=f"p_data={p.tolist()}, p_g={q.tolist()}, d={outside.tolist()}, normalize=True",
        )

    @forall(case=weighted_stacks(discriminator="logit"))
    @example(
        case=(
            np.array([0.6, 0.4, 0.0]),
            np.array([[0.2, 0.2, 0.6], [0.5, 0.5, 0.0]]),
            np.array([[40.0, -40.0, 0.0], [1.0, 0.5, -math.inf]]),
            1.0,
        )
    )
    def with_logits(case: tuple[Any, ...]) -> None:
        _check_value(value, "logit", case)

    with_d()
    with_logits()


# --- C(G) = max_D V(G, D) ------------------------------------------------------------------------


@st.composite
def weighted_pair_stacks(draw: Any) -> tuple[Any, ...]:
    """(p_data, p_g, scale) in a layout of LAYOUTS, each pair drawn by `dst.pmf_pairs`.

    The pairs are of every kind (independent, equal, near-equal, nested, disjoint), so that
    C(G) takes values across [-log 4, 0], both ends included.
    """
    layout = draw(st.sampled_from(LAYOUTS), label="layout")
    n = draw(st.integers(2, 3), label="rows")
    k = draw(st.integers(2, 6), label="bins")
    lead_p, lead_q = _layout_shapes(layout, n)
    scale = draw(st.sampled_from(SCALES), label="scale")
    pairs = [
        draw(dst.pmf_pairs(min_size=k, max_size=k, subnormal=False), label="pair")
        for _ in range(max(math.prod(lead_p), math.prod(lead_q)))
    ]
    p = np.array([a for a, _ in pairs[: math.prod(lead_p)]]).reshape(*lead_p, k) * scale
    q = np.array([b for _, b in pairs[: math.prod(lead_q)]]).reshape(*lead_q, k) * scale
    return p, q, scale


def _criterion_route(p_row: np.ndarray, q_row: np.ndarray) -> float:
    """V(G, D*) of one pair, D* = a/(a + b), over its normalised weights, in 30-digit mpmath."""
    p_sum, q_sum = math.fsum(p_row.tolist()), math.fsum(q_row.tolist())
    with mp.workdps(30):
        total = mp.mpf(0)
        for a, b in zip(p_row.tolist(), q_row.tolist(), strict=True):
            a, b = mp.mpf(a) / mp.mpf(p_sum), mp.mpf(b) / mp.mpf(q_sum)
            d_star = a / (a + b) if a + b > 0 else mp.mpf(0.5)
            if a > 0:
                total += a * mp.log(d_star)
            if b > 0:
                total += b * mp.log(1 - d_star)
        return float(total)


def _criterion_from_jsd(
    *, bits: bool = False, halves: bool = False, first_row: bool = False, raw: bool = False
) -> Callable[..., Any]:
    """C(G) = -log 4 + 2 JSD, with one of the errors someone could make.

    ``bits``: the JSD in bits; ``halves``: -log 4 + JSD; ``first_row``: the first row of
    p_data paired with every pair; ``raw``: the JSD's sums taken over the weights as given.
    """

    def criterion(p_data: Any, p_g: Any, *, normalize: bool = False) -> Any:
        p, q = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
        if first_row and p.ndim > 1:
            p = p[0]
        if raw:
            with np.errstate(all="ignore"):
                m = 0.5 * (p + q)
                terms = np.where(p > 0, p * np.log(p / m), 0.0) + np.where(
                    q > 0, q * np.log(q / m), 0.0
                )
            jsd = 0.5 * terms.sum(axis=-1)
        else:
            jsd = dv.js_divergence(p, q, normalize=normalize)
        if bits:
            jsd = jsd / math.log(2.0)
        return -LOG4 + (1.0 if halves else 2.0) * jsd

    return criterion


@claim(
    "gan.criterion-of-stacks",
    statement=(
        r"`dv.virtual_criterion` is $C(G) = \max_D V(G, D) = V(G, D^*)$, "
        r"$D^* = p_{data}/(p_{data} + p_g)$, for distributions given as weights "
        r"(`normalize=True`; without it weights of another total mass are rejected) and for "
        r"stacks whose leading axes broadcast, each pair its own $C(G)$, in "
        r"$[-\log 4, 0]$."
    ),
    source=SOURCE,
    locator="Proposition 1 and Theorem 1",
    check=(
        r"For Hypothesis-drawn stacks in the five layouts of `gan.value-function`, of pairs of "
        r"every kind (equal, near-equal, nested, disjoint, independent) scaled by $10^{-3}$ to "
        r"$10^3$, each pair's $V(G, D^*)$ is summed in a Python loop over its weights divided by "
        r"their `math.fsum`, with $D^*$ formed there, in 30-digit mpmath, and compared with "
        r"`virtual_criterion(..., normalize=True)` to $10^{-12}$; every value must lie in "
        r"$[-\log 4, 0]$, and the weights without `normalize=True` must raise `ValueError`."
    ),
    subject=dv.virtual_criterion,
    figure="value_function.png",
    falsifiers=[
        (
            r"$C(G) = -\log 4 + JSD$ (the factor 2 of Theorem 1 dropped)",
            _criterion_from_jsd(halves=True),
        ),
        (r"$C(G) = -\log 4 + 2\,JSD$ with the JSD in bits", _criterion_from_jsd(bits=True)),
        (
            r"the first row of $p_{data}$ paired with every row of $p_g$ (a broadcasting bug)",
            _criterion_from_jsd(first_row=True),
        ),
        (
            r"the JSD's sums taken over the weights as given (no division by their sum)",
            _criterion_from_jsd(raw=True),
        ),
    ],
)
def test_criterion_of_stacks(criterion: Callable[..., Any]) -> None:
    @forall(case=weighted_pair_stacks())
    @example(case=(np.array([[1.0, 0.0], [0.5, 0.5]]), np.array([[0.0, 1.0], [0.5, 0.5]]), 1.0))
    def prop(case: tuple[Any, ...]) -> None:
        p, q, scale = case
        lead = np.broadcast_shapes(p.shape[:-1], q.shape[:-1])
        expected = np.array(
            [_criterion_route(a, b) for a, b in zip(_rows(p, lead), _rows(q, lead), strict=True)]
        ).reshape(lead)
        repro = f"p_data={p.tolist()}, p_g={q.tolist()}"
        got, error = _attempt(lambda: criterion(p, q, normalize=True))
        expect(
            error is None and _same(got, expected),
            "C(G) against V(G, D*) summed pair by pair",
            observed=error or np.asarray(got).tolist(),
            expected=expected.tolist(),
            repro=f"{repro}, normalize=True",
        )
        values = np.asarray(got if error is None else np.nan, dtype=float)
        expect(
            bool(np.all((values >= -LOG4) & (values <= 0.0))),
            "C(G) lies in [-log 4, 0]",
            observed=values.tolist(),
            expected=f"in [{-LOG4}, 0]",
            repro=f"{repro}, normalize=True",
        )
        if scale != 1.0:
            got, error = _attempt(lambda: criterion(p, q))
            expect(
                error is not None,
                "weights of another mass are rejected unless normalize=True",
                observed=np.asarray(got).tolist(),
                expected="ValueError",
                repro=repro,
            )

    prop()


# --- D* on densities whose shapes broadcast -------------------------------------------------------


@st.composite
def broadcast_densities(draw: Any) -> tuple[np.ndarray, np.ndarray]:
    """(p_data, p_g): non-negative densities of two different shapes that broadcast.

    (k,) against (m, k) and the reverse, a column (m, 1) against a row (k,), a scalar against a
    vector; one point where both vanish is planted in each.
    """
    m, k = draw(st.integers(2, 4), label="m"), draw(st.integers(2, 5), label="k")
    shapes = draw(
        st.sampled_from([((k,), (m, k)), ((m, k), (k,)), ((m, 1), (k,)), ((), (k,)), ((k,), ())]),
        label="shapes",
    )
    density = st.one_of(st.just(0.0), st.floats(1e-6, 1e6))

    def array(shape: tuple[int, ...], label: str) -> np.ndarray:
        values = draw(
            st.lists(density, min_size=math.prod(shape), max_size=math.prod(shape)), label=label
        )
        return np.array(values, dtype=float).reshape(shape)

    p, q = array(shapes[0], "p_data"), array(shapes[1], "p_g")
    p.flat[0], q.flat[0] = 0.0, 0.0  # both vanish at the first point
    return p, q


def _rule_strict_shapes(p_data: Any, p_g: Any) -> Any:
    """D* for densities of one shape only: different shapes are refused."""
    p, q = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p_data has shape {p.shape} and p_g {q.shape}; they must be equal")
    return dv.optimal_discriminator(p, q)


def _rule_flattened(p_data: Any, p_g: Any) -> Any:
    """D* of the broadcast densities, returned as the kernel's flat vector."""
    p, q = np.broadcast_arrays(np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float))
    return np.asarray(dv.optimal_discriminator(p, q)).ravel()


def _rule_as_written(p_data: Any, p_g: Any) -> Any:
    """p_data / (p_data + p_g) with numpy: NaN where both vanish."""
    p, q = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    with np.errstate(all="ignore"):
        return p / (p + q)


@claim(
    "gan.optimal-discriminator-broadcast",
    statement=(
        r"`dv.optimal_discriminator` evaluates $D^*(x) = p_{data}(x)/(p_{data}(x) + p_g(x))$ "
        r"($\frac12$ where both densities vanish) on densities of any two shapes that broadcast: "
        r"its result has the broadcast shape, and each entry is $D^*$ of the two densities "
        r"broadcast to it."
    ),
    source=SOURCE,
    locator="Proposition 1",
    check=(
        r"For Hypothesis-drawn non-negative densities (0 or in $[10^{-6}, 10^6]$, a point where "
        r"both vanish planted) of shapes $(k,)$ against $(m, k)$ and the reverse, $(m, 1)$ "
        r"against $(k,)$ and a scalar against a vector, the function must accept them, return "
        r"the shape `np.broadcast_shapes` gives, and at each index the quotient of the two "
        r"densities taken there in a Python loop (to $10^{-12}$)."
    ),
    subject=dv.optimal_discriminator,
    figure="optimal_discriminator_broadcast.png",
    falsifiers=[
        (r"densities of different shapes are refused (no broadcasting)", _rule_strict_shapes),
        (r"the result returned flat, as the kernel computes it", _rule_flattened),
        (
            r"$p_{data}/(p_{data} + p_g)$ evaluated as written (NaN where both densities vanish)",
            _rule_as_written,
        ),
    ],
)
def test_optimal_discriminator_broadcast(rule: Callable[[Any, Any], Any]) -> None:
    @forall(pair=broadcast_densities())
    def prop(pair: tuple[np.ndarray, np.ndarray]) -> None:
        p, q = pair
        shape = np.broadcast_shapes(p.shape, q.shape)
        repro = f"p_data={p.tolist()}, p_g={q.tolist()}"
        got, error = _attempt(lambda: rule(p, q))
        expect(
            error is None,
            "densities of shapes that broadcast are accepted",
            observed=error,
            expected="a result",
            repro=repro,
        )
        if error is not None:
            return
        got = np.asarray(got, dtype=float)
        expect(
            got.shape == shape,
            "the result has the broadcast shape",
            observed=got.shape,
            expected=shape,
            repro=repro,
        )
        pb, qb = np.broadcast_to(p, shape), np.broadcast_to(q, shape)
        flat = got.ravel()
        wrong = []
        for i, index in enumerate(np.ndindex(*shape)):
            a, b = float(pb[index]), float(qb[index])
            want = a / (a + b) if a + b > 0.0 else 0.5
            value = float(flat[i]) if i < flat.size else math.nan
            if not abs(value - want) <= ROUTE_RTOL * want + ROUTE_ATOL:
                wrong.append((index, value, want))
        expect(
            not wrong,
            "each entry is D* of the densities broadcast to it",
            observed=wrong[:3],
            expected="no entry off",
            repro=repro,
        )

    prop()

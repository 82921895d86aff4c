"""Claims on the f-divergences of f-GAN (Nowozin, Cseke & Tomioka 2016).

Nowozin, Cseke & Tomioka (2016), f-GAN: Training generative neural samplers using variational
divergence minimization, NeurIPS (arXiv:1606.00709): the variational form of an f-divergence,
the generators and conjugates of its Table 1 and 2, and the GAN objective as one of them.
"""

from __future__ import annotations

import dataclasses
import math

import mpmath as mp
import numpy as np
from hypothesis import example
from hypothesis import strategies as st

import divergences as dv
from divergences.claims import claim, expect, forall

from .tolerances import INEQUALITY_SLACK, ROUTE_ATOL, ROUTE_RTOL

SOURCE = "Nowozin, Cseke & Tomioka (2016)"
LOG4 = math.log(4.0)

#: Ratios p/q stay within [1e-3, 1e3]: the variational form subtracts E_Q[f*(T)] from E_P[T],
#: sums that grow like the ratio (the chi-squares) and would cancel to nothing beyond that.
MASS = st.floats(1e-3, 1.0)


@st.composite
def full_support_pairs(draw):
    """Two probability vectors of 2 to 10 entries, every entry in [1e-3, 1] before normalising."""
    size = draw(st.integers(2, 10), label="size")
    p = np.array(draw(st.lists(MASS, min_size=size, max_size=size), label="p"))
    q = np.array(draw(st.lists(MASS, min_size=size, max_size=size), label="q"))
    return p / p.sum(), q / q.sum()


def _into_domain(t: np.ndarray, domain: tuple[float, float]) -> np.ndarray:
    """Move critic values inside the conjugate's domain (open ends by a relative 1e-9)."""
    low, high = domain
    if low == -0.5:  # total variation: a closed interval
        return np.clip(t, low, high)
    if math.isfinite(high):
        t = np.minimum(t, high - 1e-9 * max(1.0, abs(high)) - 1e-9)
    return t


# --- the variational representation ------------------------------------------------------------


def _swapped_critic(table):
    """The optimal critic written as f'(q/p): the ratio the wrong way round."""
    return {
        name: dataclasses.replace(f, critic=lambda u, c=f.critic: c(1.0 / u))
        for name, f in table.items()
    }


def _kl_conjugate_without_shift(table):
    """KL's conjugate written as exp(t), the conjugate of u log u - u, not of u log u."""
    out = dict(table)
    out["kl"] = dataclasses.replace(table["kl"], conjugate=np.exp)
    return out


def _tv_critic_unbounded(table):
    """Total variation with the critic left unbounded: dom f* taken as the real line."""
    out = dict(table)
    out["tv"] = dataclasses.replace(table["tv"], domain=(-math.inf, math.inf))
    return out


#: The ratios a numerical conjugate maximises over: 25 points log-spaced over [1e-3, 1e3] (1 is
#: not among them).
CONJUGATE_GRID = np.logspace(-3.0, 3.0, 25)


def _grid_conjugates(table):
    """Every conjugate computed numerically: max of t u - f(u) over a grid of ratios u.

    A supremum over fewer points is smaller wherever the maximiser is not a grid point, so the
    objective at the optimal critic comes out above D_f.
    """

    def conjugate(f):
        def grid_max(t):
            t = np.asarray(t, dtype=float)
            with np.errstate(all="ignore"):
                values = t[..., None] * CONJUGATE_GRID - f.generator(CONJUGATE_GRID)
            return values.max(axis=-1)

        return grid_max

    return {name: dataclasses.replace(f, conjugate=conjugate(f)) for name, f in table.items()}


@claim(
    "info.f-variational-bound",
    statement=(
        r"For each f-divergence of f-GAN's Table 1 (KL, reverse KL, Pearson and Neyman "
        r"$\chi^2$, squared Hellinger, Jensen–Shannon, GAN, total variation), "
        r"$E_P[T] - E_Q[f^*(T)] \le D_f(P \| Q)$ for every critic $T$ with values in "
        r"$\operatorname{dom} f^*$, with equality at $T^* = f'(p/q)$."
    ),
    source=SOURCE,
    locator="§2 (variational divergence estimation), Tables 1 and 2",
    check=(
        r"For Hypothesis-drawn pairs of full support (ratios within $[10^{-3}, 10^3]$) and every "
        r"divergence, $D_f$ comes from `dv.f_divergence`, which evaluates each closed form "
        r"directly (no generator, conjugate or critic); the variational objective is evaluated "
        r"with the stated conjugate at the stated critic, where it must equal $D_f$ (finite on a "
        r"full support) to "
        r"$10^{-9}$ relative, and at Hypothesis-perturbed critics moved into "
        r"$\operatorname{dom} f^*$, where it must not exceed $D_f$ beyond round-off."
    ),
    subject=dv.F_DIVERGENCES,
    figure="f_variational_bound.png",
    falsifiers=[
        (
            r"the optimal critic is $f'(q/p)$ (the ratio the wrong way round)",
            _swapped_critic(dv.F_DIVERGENCES),
        ),
        (
            r"KL's conjugate is $e^t$ (that of $u \log u - u$; the table's is $e^{t-1}$)",
            _kl_conjugate_without_shift(dv.F_DIVERGENCES),
        ),
        (
            r"the conjugate computed numerically, $f^*(t) = \max_u\, t u - f(u)$ over a grid of "
            r"25 ratios $u$ log-spaced on $[10^{-3}, 10^3]$",
            _grid_conjugates(dv.F_DIVERGENCES),
        ),
        (
            r"total variation's critic needs no bound: $\operatorname{dom} f^* = \mathbb{R}$ "
            r"(the table's is $[-\tfrac12, \tfrac12]$, f-GAN's $\tfrac12\tanh$ output)",
            _tv_critic_unbounded(dv.F_DIVERGENCES),
        ),
    ],
)
def test_f_variational_bound(table):
    @forall(
        pair=full_support_pairs(),
        shifts=st.lists(st.floats(-1.0, 1.0), min_size=10, max_size=10),
        scale=st.sampled_from([1e-3, 0.1, 1.0]),
    )
    @example(pair=(np.array([0.5, 0.5]), np.array([0.9, 0.1])), shifts=[0.0] * 10, scale=1.0)
    @example(
        pair=(np.array([0.5, 0.5]), np.array([0.9, 0.1])), shifts=[-1.0, 1.0] + [0.0] * 8, scale=1.0
    )
    def prop(pair, shifts, scale):
        p, q = pair
        u = p / q
        repro = f"p={p.tolist()}, q={q.tolist()}"
        for name, f in table.items():
            exact = float(dv.f_divergence(p, q, name))
            t_star = f.critic(u)
            with np.errstate(all="ignore"):
                at_star = float(np.sum(p * t_star) - np.sum(q * f.conjugate(t_star)))
            expect(
                # finite on a full support; an infinite D_f would make the comparison vacuous
                math.isfinite(exact) and abs(at_star - exact) <= 1e-9 * max(1.0, abs(exact)),
                f"{name}: the variational objective at the stated critic",
                observed=at_star,
                expected=exact,
                repro=repro,
            )
            t = _into_domain(t_star + scale * np.array(shifts[: u.size]), f.domain)
            with np.errstate(all="ignore"):
                gains, costs = p * t, q * f.conjugate(t)
            value = float(np.sum(gains) - np.sum(costs))
            slack = INEQUALITY_SLACK * (1.0 + float(np.sum(np.abs(gains) + np.abs(costs))))
            expect(
                value <= exact + slack,
                f"{name}: a perturbed critic beats D_f",
                observed=value,
                expected=f"<= {exact}",
                repro=f"{repro}, T={t.tolist()}",
            )

    prop()


# --- the two generators behind JSD ------------------------------------------------------------


def _generator_sum_mp(p: np.ndarray, q: np.ndarray, generator) -> float:
    """sum_i q_i f(p_i / q_i) in 30-digit arithmetic, from the generator as f-GAN writes it."""
    with mp.workdps(30):
        total = mp.mpf(0)
        for a, b in zip(p.tolist(), q.tolist(), strict=True):
            total += mp.mpf(b) * generator(mp.mpf(a) / mp.mpf(b))
        return float(total)


def _js_generator(u):
    return u * mp.log(u) - (u + 1) * mp.log((u + 1) / 2)


def _gan_generator(u):
    return u * mp.log(u) - (u + 1) * mp.log(u + 1)


def _check_generator_sum(generator, stated, pair):
    p, q = pair
    direct = _generator_sum_mp(p, q, generator)
    value = stated(float(dv.js_divergence(p, q)))
    expect(
        abs(direct - value) <= ROUTE_RTOL * abs(direct) + ROUTE_ATOL,
        "the generator's sum against the stated multiple of JSD",
        observed=value,
        expected=direct,
        repro=f"p={p.tolist()}, q={q.tolist()}",
    )


@claim(
    "info.f-js-generator-factor",
    statement=(
        r"With f-GAN's Jensen–Shannon generator $f(u) = u \log u - (u + 1) \log \frac{u + 1}{2}$, "
        r"$D_f(P \| Q) = 2\,JSD(P, Q)$."
    ),
    source=SOURCE,
    locator="Table 1, the Jensen-Shannon row",
    check=(
        r"For Hypothesis-drawn pairs of full support, $\sum_i q_i f(p_i/q_i)$ is summed from the "
        r"generator in 30-digit mpmath and compared with the stated multiple of the library's "
        r"JSD kernel."
    ),
    subject=lambda jsd: 2.0 * jsd,
    figure="f_gan_generators.png",
    falsifiers=[
        (
            r"$D_f(P \| Q) = JSD(P, Q)$ (the $\frac12$ of the JSD's definition carried over)",
            lambda jsd: jsd,
        )
    ],
)
def test_f_js_generator_factor(stated):
    @forall(pair=full_support_pairs())
    def prop(pair):
        _check_generator_sum(_js_generator, stated, pair)

    prop()


@claim(
    "gan.f-gan-divergence",
    statement=(
        r"With the GAN generator $f(u) = u \log u - (u + 1) \log(u + 1)$, "
        r"$D_f(p_{data} \| p_g) = 2\,JSD(p_{data}, p_g) - \log 4$, the virtual criterion $C(G)$."
    ),
    source=SOURCE,
    locator="Table 1, the GAN row; Goodfellow et al. (2014), Theorem 1",
    check=(
        r"For Hypothesis-drawn pairs of full support, $\sum_i q_i f(p_i/q_i)$ is summed from the "
        r"generator in 30-digit mpmath and compared with the stated expression of the library's "
        r"JSD kernel."
    ),
    subject=lambda jsd: 2.0 * jsd - LOG4,
    figure="f_gan_generators.png",
    falsifiers=[
        (r"$D_f(p_{data} \| p_g) = 2\,JSD$ (the $-\log 4$ dropped)", lambda jsd: 2.0 * jsd),
    ],
)
def test_f_gan_divergence(stated):
    @forall(pair=full_support_pairs())
    def prop(pair):
        _check_generator_sum(_gan_generator, stated, pair)

    prop()


# --- the GAN critic -----------------------------------------------------------------------------


def _gan_objective_mp(p: np.ndarray, q: np.ndarray, t: np.ndarray) -> float:
    """E_P[T] - E_Q[f*(T)] for the GAN conjugate f*(t) = -log(1 - e^t), in 30 digits.

    Outside dom f* = (-inf, 0) the conjugate is +inf, so a critic with a value >= 0 where
    q > 0 has objective -inf (not the complex logarithm of a negative number).
    """
    with mp.workdps(30):
        total = mp.mpf(0)
        for a, b, c in zip(p.tolist(), q.tolist(), t.tolist(), strict=True):
            if b == 0.0:
                total += mp.mpf(a) * c  # no mass of Q here: f*(T) does not enter
                continue
            if c >= 0.0:
                return -math.inf
            total += mp.mpf(a) * c + mp.mpf(b) * mp.log(1 - mp.exp(mp.mpf(c)))
        return float(total)


def _gan_divergence_mp(p: np.ndarray, q: np.ndarray) -> float:
    """sum_i p_i log(p_i / (p_i + q_i)) + q_i log(q_i / (p_i + q_i)), in 30 digits."""
    with mp.workdps(30):
        total = mp.mpf(0)
        for a, b in zip(p.tolist(), q.tolist(), strict=True):
            a, b = mp.mpf(a), mp.mpf(b)
            total += a * mp.log(a / (a + b)) + b * mp.log(b / (a + b))
        return float(total)


@claim(
    "gan.f-gan-critic",
    statement=(
        r"The optimal critic of the GAN f-divergence is $T^* = \log D^*$, with "
        r"$D^* = p_{data} / (p_{data} + p_g)$ the optimal discriminator."
    ),
    source=SOURCE,
    locator="§2.4 and Table 2, the GAN row",
    check=(
        r"For Hypothesis-drawn pairs of full support, $D^*$ comes from "
        r"`dv.optimal_discriminator`; the stated critic must lie in $\operatorname{dom} f^* = "
        r"(-\infty, 0)$, its objective $E_P[T] + E_Q[\log(1 - e^T)]$ (30-digit mpmath) must "
        r"equal $\sum_i p_i \log \frac{p_i}{p_i + q_i} + q_i \log \frac{q_i}{p_i + q_i}$ (30 "
        r"digits) to $10^{-12}$. That no other critic scores higher is the GAN row of "
        r"`info.f-variational-bound`, so attaining $D_f$ makes the stated critic optimal."
    ),
    subject=np.log,
    figure="gan_critic.png",
    falsifiers=[
        (r"$T^* = D^*$ (the discriminator, not its logarithm)", lambda d: d),
        (r"$T^* = \log(1 - D^*)$ (the generator's side of the value)", lambda d: np.log1p(-d)),
    ],
)
def test_f_gan_critic(critic):
    @forall(pair=full_support_pairs())
    def prop(pair):
        p, q = pair
        d_star = np.asarray(dv.optimal_discriminator(p, q))
        t = critic(d_star)
        repro = f"p_data={p.tolist()}, p_g={q.tolist()}"
        expect(
            bool(np.all(t < 0.0)),
            "the critic lies in the conjugate's domain (-inf, 0)",
            observed=t.tolist(),
            expected="all < 0",
            repro=repro,
        )
        best = _gan_divergence_mp(p, q)
        at_t = _gan_objective_mp(p, q, t)
        expect(
            abs(at_t - best) <= ROUTE_RTOL * abs(best) + ROUTE_ATOL,
            "the objective at the stated critic against D_f",
            observed=at_t,
            expected=best,
            repro=repro,
        )

    prop()

"""Figures of the claims on the reference oracles at the edges (proofs/test_oracle_range.py).

Each shows what its claim says, from the oracles and the independent routes the checks use.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import integrate, stats

from divergences import reference
from divergences.plotting import in_style

from ._drawing import finish, pyplot

LOG2 = math.log(2.0)


def _quiet(oracle: Callable[..., float], *args: float) -> float:
    """``oracle(*args)`` with overflow and quadrature warnings silenced (nan if it raises)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return float(oracle(*args))
    except (ArithmeticError, ValueError):
        return math.nan


def _fast_logpdf(dist: Any, loc: float, scale: float, standard: Callable[[float], float]) -> Any:
    """The frozen ``dist`` with a ``logpdf`` of a finite Python float that skips scipy's overhead.

    The quadrature oracles call ``logpdf`` one float at a time, about 600,000 times for
    ``local_fisher.png``, and scipy's argument handling costs some 50 us a call (the figure took
    19 s, nearly all of it there). The fast path evaluates scipy's own expression,
    ``standard((x - loc) / scale) - log(scale)`` with ``standard`` the distribution's ``_logpdf``
    written out in the same operations on the same doubles, so it returns scipy's value bit for
    bit; anything else (arrays, infinities, nan) goes to scipy. It is checked against scipy on a
    grid (the support's ends and their neighbours included) before use, and scipy's own
    frozen distribution is returned unchanged if a single value differs.
    """
    scipy_logpdf = dist.logpdf
    log_scale = float(np.log(np.array([scale]))[0])  # as scipy takes it, through numpy's log

    def logpdf(x: Any) -> Any:
        if type(x) is float and math.isfinite(x):
            return standard((x - loc) / scale) - log_scale
        return scipy_logpdf(x)

    ends = [loc, loc + scale]
    grid = [float(v) for v in loc + scale * np.linspace(-40.0, 40.0, 161)]
    grid += [float(np.nextafter(e, t)) for e in ends for t in (-math.inf, math.inf)] + ends
    grid += [float(v) for v in np.geomspace(1e-300, 1e300, 21)]
    with np.errstate(all="ignore"):  # scipy squares the largest x to inf: -inf, as here
        differs = any(logpdf(x) != float(scipy_logpdf(x)) for x in grid + [-v for v in grid])
    if differs:
        return dist  # not scipy's value bit for bit: draw with scipy's own logpdf
    dist.logpdf = logpdf
    return dist


_NORM_LOG_C = -float(stats.norm.logpdf(0.0))  # scipy's log(sqrt(2 pi)), exactly


def _normal(loc: float, scale: float) -> Any:
    """``stats.norm(loc, scale)``, its float ``logpdf`` scipy's ``-y**2 / 2 - log(sqrt(2 pi))``."""
    return _fast_logpdf(stats.norm(loc, scale), loc, scale, lambda y: -(y * y) / 2.0 - _NORM_LOG_C)


def _uniform(loc: float, scale: float) -> Any:
    """``stats.uniform(loc, scale)``, its float ``logpdf`` scipy's: log 1 on [0, 1], else -inf."""
    return _fast_logpdf(
        stats.uniform(loc, scale), loc, scale, lambda y: 0.0 if 0.0 <= y <= 1.0 else -math.inf
    )


@in_style
def affine_invariance(path: Path) -> None:
    """The oracles at (a mu + b, |a| sigma) against log2 |a|, flat over the whole float range."""
    from .test_oracle_range import _kl_normal_as_written

    plt = pyplot()
    moderate = (0.7, 1.0, -1.3, 1.8)
    ks = np.arange(-1015, 1020, 35)
    curves: dict[str, list[float]] = {"kl": [], "js": [], "w1": [], "written": []}
    for k in ks:
        a = math.ldexp(1.0, int(k))
        mapped = (a * moderate[0], a * moderate[1], a * moderate[2], a * moderate[3])
        curves["kl"].append(_quiet(reference.kl_normal, *mapped))
        curves["js"].append(_quiet(reference.js_normal, *mapped))
        curves["w1"].append(_quiet(reference.wasserstein1_normal, *mapped) / a)
        curves["written"].append(_quiet(_kl_normal_as_written, *mapped))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(ks, curves["kl"], color="tab:blue", lw=2, label="KL (kl_normal)")
    ax.plot(ks, curves["js"], color="tab:green", lw=2, label="JSD (js_normal)")
    ax.plot(ks, curves["w1"], color="black", lw=2, label="W1 / |a| (wasserstein1_normal)")
    ax.plot(
        ks,
        curves["written"],
        "x",
        color="tab:red",
        ms=5,
        label="KL as written (missing: nan or inf)",
    )
    ax.set(
        xlabel="k, the scale a = 2^k of x -> a x + b",
        ylabel="nats / units of x",
        title="N(0.7, 1) vs N(-1.3, 1.8²) mapped by x -> 2^k x",
    )
    finish(fig, path)


@in_style
def gaussian_kl_float_range(path: Path) -> None:
    """Relative error against 60 digits, along sigma2 = sigma1 (1 + eps), for three formulas."""
    from .test_oracle_range import (
        _kl_normal_as_written,
        _kl_normal_log_difference,
        kl_normal_in_60_digits,
    )

    plt = pyplot()
    gaps = np.logspace(-15, math.log10(0.5), 60)
    sigma = 3.0
    formulas = (
        ("kl_normal", reference.kl_normal, "tab:blue", "-"),
        ("as written", _kl_normal_as_written, "tab:red", ":"),
        ("log s2 - log s1 + (r² - 1)/2", _kl_normal_log_difference, "tab:orange", "--"),
    )
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, formula, colour, style in formulas:
        errors = []
        for g in gaps:
            params = (0.0, sigma, 0.0, sigma * (1.0 + g))
            exact = kl_normal_in_60_digits(*params)
            errors.append(max(abs(_quiet(formula, *params) - exact) / exact, 1e-17))
        ax.loglog(gaps, errors, color=colour, ls=style, lw=2, label=label)
    ax.axhline(1e-13, color="grey", lw=0.8, ls=":", label="the check's tolerance, 1e-13")
    ax.set(
        xlabel="relative gap eps (sigma2 = sigma1 (1 + eps))",
        ylabel="|relative error| vs 60 digits (floor 1e-17)",
        title="The Gaussian KL of near-equal normals",
    )
    finish(fig, path)


@in_style
def bounded_support_oracles(path: Path) -> None:
    """KL and JSD of U(A) inside U(B) against |A| / |B|: closed forms and the quadratures."""
    from .test_oracle_range import _nested_js

    plt = pyplot()
    ratios = np.logspace(-3, 0, 200)
    marks = np.logspace(-3, 0, 10)
    b = _uniform(0.0, 1.0)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.semilogx(ratios, -np.log(ratios), color="tab:blue", lw=2, label="log(1/a)")
    ax.semilogx(
        ratios, [_nested_js(r) for r in ratios], color="tab:green", lw=2, label="nested JSD"
    )
    kl = [_quiet(reference.kl_continuous, _uniform(0.0, float(r)), b) for r in marks]
    js = [_quiet(reference.js_continuous, _uniform(0.0, float(r)), b) for r in marks]
    ax.semilogx(marks, kl, "o", mfc="none", color="tab:blue", label="kl_continuous")
    ax.semilogx(marks, js, "s", mfc="none", color="tab:green", label="js_continuous")
    ax.axhline(LOG2, color="grey", lw=0.8, ls=":", label="log 2 (disjoint supports)")
    ax.set(
        xlabel="a = |A| / |B| (U(A) inside U(B) = U(0, 1))",
        ylabel="nats",
        title="Divergences of uniforms: KL(U(B) || U(A)) = inf for a < 1",
    )
    finish(fig, path)


@in_style
def local_fisher(path: Path) -> None:
    """JSD / (F/8) and KL / (F/2) for P = N(0, (1 + h)^2), Q = N(0, 1), against h."""
    plt = pyplot()
    hs = np.logspace(-9, -1, 17)
    fisher = 2.0 * hs * hs
    q = _normal(0.0, 1.0)
    js = [_quiet(reference.js_normal, 0.0, 1.0 + h, 0.0, 1.0) for h in hs]
    js_c = [_quiet(reference.js_continuous, _normal(0.0, 1.0 + h), q) for h in hs]
    kl = [_quiet(reference.kl_normal, 0.0, 1.0 + h, 0.0, 1.0) for h in hs]
    kl_c = [_quiet(reference.kl_continuous, _normal(0.0, 1.0 + h), q) for h in hs[::2]]

    def plain(h: float) -> float:
        p = stats.norm(0.0, 1.0 + h)

        def f(x: float) -> float:
            a, c = float(p.pdf(x)), float(q.pdf(x))
            return 0.5 * sum(v * math.log(2.0 * v / (a + c)) for v in (a, c) if v > 0.0)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            return float(integrate.quad(f, -40.0, 40.0, points=[0.0], limit=200)[0])

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.semilogx(hs, np.array(js) / (fisher / 8), color="tab:green", lw=2, label="js_normal / (F/8)")
    ax.semilogx(
        hs, np.array(js_c) / (fisher / 8), "o", mfc="none", color="tab:green", label="js_continuous"
    )
    ax.semilogx(hs, np.array(kl) / (fisher / 2), color="tab:blue", lw=2, label="kl_normal / (F/2)")
    ax.semilogx(
        hs[::2],
        np.array(kl_c) / (fisher[::2] / 2),
        "s",
        mfc="none",
        color="tab:blue",
        label="kl_continuous",
    )
    ax.semilogx(
        hs,
        [plain(h) / (f / 8) for h, f in zip(hs, fisher, strict=True)],
        "x",
        color="tab:red",
        label="JSD integrand written plainly / (F/8)",
    )
    ax.set(
        ylim=(0.0, 2.0),
        xlabel="relative step h (P = N(0, (1 + h)²), Q = N(0, 1))",
        ylabel="divergence / its Fisher form",
        title="KL = F/2 and JSD = F/8 to leading order (F = 2h²)",
    )
    finish(fig, path)


FIGURES: dict[str, Callable[[Path], None]] = {
    "affine_invariance.png": affine_invariance,
    "gaussian_kl_float_range.png": gaussian_kl_float_range,
    "bounded_support_oracles.png": bounded_support_oracles,
    "local_fisher.png": local_fisher,
}

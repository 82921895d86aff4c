"""Figures of the proof report, computed with the same helpers the checks use."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

import divergences as dv
from divergences.plotting import in_style, save
from divergences.reference import js_normal

from . import routes

LOG2 = math.log(2.0)
LOG4 = math.log(4.0)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


@in_style
def optimal_discriminator(path: Path) -> None:
    """D*(x) = p_data/(p_data + p_g) for two Gaussians, with the densities it is made of."""
    plt = _pyplot()
    x = np.linspace(-4.0, 5.0, 600)
    p_data, p_g = stats.norm.pdf(x, 0.0, 1.0), stats.norm.pdf(x, 1.5, 0.8)
    d_star = dv.optimal_discriminator(p_data, p_g)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(x, p_data, color="black", label="p_data = N(0, 1)")
    ax.plot(x, p_g, color="tab:green", label="p_g = N(1.5, 0.8²)")
    ax.plot(x, d_star, color="tab:blue", ls="--", label="D*(x) = p_data/(p_data + p_g)")
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set(xlabel="x", ylabel="density / probability", title="Optimal discriminator (Prop. 1)")
    fig.legend(loc="outside lower center", ncols=2)
    save(fig, path)
    plt.close(fig)


@in_style
def virtual_criterion(path: Path) -> None:
    """V(G, D*) against -log 4 + 2 JSD along p_g = N(mu, 1), two independent routes."""
    plt = _pyplot()
    edges = np.linspace(-12.0, 12.0, 961)
    centres = 0.5 * (edges[1:] + edges[:-1])
    p = stats.norm.pdf(centres)
    p /= p.sum()
    mus = np.linspace(-5.0, 5.0, 81)
    at_optimum, by_entropies = [], []
    for mu in mus:
        q = stats.norm.pdf(centres, mu, 1.0)
        q /= q.sum()
        at_optimum.append(float(dv.gan_value_from_logits(p, q, routes.optimal_logits(p, q))))
        by_entropies.append(-LOG4 + 2.0 * routes.js_through_entropies(p, q))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(mus, at_optimum, color="tab:blue", lw=3, alpha=0.5, label="V(G, D*) (gan_value)")
    ax.plot(mus, by_entropies, color="black", ls="--", label="-log 4 + 2 JSD (scipy entropies)")
    ax.axhline(-LOG4, color="tab:red", lw=0.8, ls=":", label="-log 4")
    ax.axhline(0.0, color="grey", lw=0.8, ls=":")
    ax.set(
        xlabel="generator mean mu (p_data = N(0,1), p_g = N(mu,1))",
        ylabel="nats",
        title="C(G) = max_D V(G, D) = -log 4 + 2 JSD (Thm 1)",
    )
    fig.legend(loc="outside lower center", ncols=2)
    save(fig, path)
    plt.close(fig)


@in_style
def convergence(path: Path) -> None:
    """C(p_t) + log 4 along mirror descent in function space, for several steps."""
    from .test_goodfellow2014 import _mirror_descent

    plt = _pyplot()
    rng = np.random.default_rng(2)
    p_data = rng.dirichlet(np.ones(12))
    near = p_data * (1.0 + 0.05 * rng.uniform(-1.0, 1.0, size=12))
    near /= near.sum()
    fig, ax = plt.subplots(figsize=(7, 4))
    for step, colour in (
        (0.25, "tab:blue"),
        (1.0, "tab:green"),
        (2.0, "black"),
        (3.5, "tab:orange"),
        (4.5, "tab:red"),
    ):
        path_ = _mirror_descent(p_data, near, step, 60)
        gap = [
            max(float(dv.virtual_criterion(p_data, p, normalize=True)) + LOG4, 1e-17) for p in path_
        ]
        ax.semilogy(
            gap,
            color=colour,
            label=f"step {step} (contraction |1 - step/2| = {abs(1 - step / 2):.2g})",
        )
    ax.set(
        xlabel="iteration t",
        ylabel="C(p_t) + log 4  (floored at 1e-17)",
        title="Function-space descent with D = D* (Prop. 2): converges iff step < 4",
    )
    fig.legend(loc="outside lower center", ncols=2)
    save(fig, path)
    plt.close(fig)


@in_style
def instance_noise(path: Path) -> None:
    """JSD between two point masses against their gap, without and with instance noise."""
    plt = _pyplot()
    gaps = np.linspace(0.0, 6.0, 61)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(
        gaps,
        [0.0 if g == 0 else LOG2 for g in gaps],
        color="black",
        lw=2,
        label="no noise: log 2 for every gap > 0",
    )
    tau = 1e-6
    one_side = [float(js_normal(0.0, 1.0, g, tau)) for g in gaps]
    ax.plot(
        gaps,
        one_side,
        color="tab:red",
        ls="--",
        lw=2,
        label="noise N(0, 1) on one side only: still log 2",
    )
    for sigma, colour in ((0.5, "tab:blue"), (1.0, "tab:green"), (2.0, "tab:purple")):
        s = math.hypot(sigma, tau)
        ax.plot(
            gaps,
            [float(js_normal(0.0, s, g, s)) for g in gaps],
            color=colour,
            label=f"noise N(0, {sigma}²) on both",
        )
    ax.axhline(LOG2, color="grey", lw=0.8, ls=":")
    ax.set(
        xlabel="gap between the point masses",
        ylabel="JSD (nats)",
        title="Disjoint supports: JSD flat at log 2 until both sides are noised",
    )
    fig.legend(loc="outside lower center", ncols=2)
    save(fig, path)
    plt.close(fig)


@in_style
def mode_seeking(path: Path) -> None:
    """The best single Gaussian under forward KL, reverse KL and JSD for a two-mode mixture."""
    from .test_huszar2015 import MODERATE, X, fit, mixture

    plt = _pyplot()
    h = X[1] - X[0]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.fill_between(
        X,
        mixture(MODERATE) / h,
        color="lightgrey",
        label=f"p_data = (N(-{MODERATE:g},1) + N({MODERATE:g},1))/2",
    )
    for objective, colour, style in (
        ("forward KL", "tab:blue", "-"),
        ("JSD", "tab:green", "--"),
        ("reverse KL", "tab:red", "-"),
        ("non-saturating", "tab:orange", "--"),
    ):
        m, s = fit(objective, MODERATE)
        ax.plot(
            X,
            stats.norm.pdf(X, m, s),
            color=colour,
            ls=style,
            lw=2,
            label=f"argmin {objective}: N({m:.2f}, {s:.2f}²)",
        )
    ax.set(
        xlim=(-8, 8),
        xlabel="x",
        ylabel="density",
        title="Mass-covering, mode-seeking, and JSD in between",
    )
    fig.legend(loc="outside lower center", ncols=2)
    save(fig, path)
    plt.close(fig)


FIGURES: dict[str, Callable[[Path], None]] = {
    "optimal_discriminator.png": optimal_discriminator,
    "virtual_criterion.png": virtual_criterion,
    "convergence.png": convergence,
    "instance_noise.png": instance_noise,
    "mode_seeking.png": mode_seeking,
}


def make_all(directory: Path) -> dict[str, str]:
    """Write every figure into ``directory``; return figure name -> relative file name."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, draw in FIGURES.items():
        draw(directory / name)
    return {name: name for name in FIGURES}

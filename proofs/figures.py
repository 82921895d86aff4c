"""Figures of the proof report, computed with the same helpers the checks use."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from scipy import stats

import divergences as dv
from divergences.plotting import in_style
from divergences.reference import js_normal

from . import routes
from ._drawing import finish, pyplot
from ._workers import ordered_map
from .figures_more import FIGURES as MORE_FIGURES
from .figures_oracles import FIGURES as ORACLE_FIGURES
from .figures_paths import FIGURES as PATHS_FIGURES
from .figures_paths_2 import FIGURES as PATHS_2_FIGURES
from .figures_paths_3 import FIGURES as PATHS_3_FIGURES
from .figures_trainer import FIGURES as TRAINER_FIGURES
from .figures_value import FIGURES as VALUE_FIGURES

LOG2 = math.log(2.0)
LOG4 = math.log(4.0)


@in_style
def optimal_discriminator(path: Path) -> None:
    """D*(x) = p_data/(p_data + p_g) for two Gaussians, with the densities it is made of."""
    plt = pyplot()
    x = np.linspace(-4.0, 5.0, 600)
    p_data, p_g = stats.norm.pdf(x, 0.0, 1.0), stats.norm.pdf(x, 1.5, 0.8)
    d_star = dv.optimal_discriminator(p_data, p_g)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(x, p_data, color="black", label="p_data = N(0, 1)")
    ax.plot(x, p_g, color="tab:green", label="p_g = N(1.5, 0.8²)")
    ax.plot(x, d_star, color="tab:blue", ls="--", label="D*(x) = p_data/(p_data + p_g)")
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set(xlabel="x", ylabel="density / probability", title="Optimal discriminator (Prop. 1)")
    finish(fig, path)


@in_style
def virtual_criterion(path: Path) -> None:
    """V(G, D*) against -log 4 + 2 JSD along p_g = N(mu, 1), two independent routes."""
    plt = pyplot()
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
    finish(fig, path)


@in_style
def convergence(path: Path) -> None:
    """C(p_t) + log 4 along mirror descent in function space, for several steps."""
    from .test_goodfellow2014 import _mirror_descent

    plt = pyplot()
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
    finish(fig, path)


@in_style
def instance_noise(path: Path) -> None:
    """JSD between two point masses against their gap, without and with instance noise."""
    plt = pyplot()
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
    finish(fig, path)


@in_style
def instance_noise_gradient(path: Path) -> None:
    """The gradient of JSD in the gap after N(0, 1) noise: as the masses sharpen, and its decay."""
    plt = pyplot()

    def gradient(gap: float, tau: float, both: bool, h: float = 1e-3) -> float:
        s = math.hypot(1.0, tau)
        other = s if both else tau
        return float(js_normal(0.0, s, gap + h, other) - js_normal(0.0, s, gap - h, other)) / (
            2.0 * h
        )

    taus = np.logspace(-6.0, -1.0, 11)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 4))
    left.plot(
        taus, [gradient(1.0, t, True) for t in taus], "o-", color="tab:green", label="noise on both"
    )
    left.plot(
        taus,
        [gradient(1.0, t, False) for t in taus],
        "s--",
        color="tab:red",
        label="noise on one side only",
    )
    left.set_xscale("log")
    left.set(
        xlabel="tau, the width of the point masses",
        ylabel="dJSD/dgap at gap = sigma = 1",
        title="The gradient as the masses sharpen",
    )
    gaps = np.linspace(0.5, 10.0, 20)
    values = np.array([gradient(g, 1e-6, True) for g in gaps])
    right.plot(gaps, values, "o", color="tab:green")
    right.plot(
        gaps,
        values[-1] * np.exp(-(gaps**2 - gaps[-1] ** 2) / 8.0),
        color="black",
        ls=":",
        label="exp(-gap² / 8 sigma²), through the last point",
    )
    right.set_yscale("log")
    right.set(
        xlabel="gap (sigma = 1, tau = 1e-6)",
        ylabel="dJSD/dgap",
        title="Its decay in the gap",
    )
    finish(fig, path)


@in_style
def mode_seeking(path: Path) -> None:
    """The best single Gaussian under forward KL, reverse KL and JSD for a two-mode mixture."""
    from .test_huszar2015 import MODERATE, X, fit, mixture

    plt = pyplot()
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
    finish(fig, path)


@in_style
def w1_parallel_lines(path: Path) -> None:
    """JSD and W1 of WGAN's parallel lines against the shift theta."""
    from .test_arjovsky_bottou2017 import _parallel_lines

    plt = pyplot()
    thetas = np.linspace(-3.0, 3.0, 61)
    js, w1 = [], []
    for theta in thetas:
        p0, p_theta, cells = _parallel_lines(float(theta))
        js.append(float(dv.js_divergence(p0, p_theta)))
        w1.append(float(stats.wasserstein_distance_nd(cells, cells, p0, p_theta)))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(thetas, w1, color="tab:blue", lw=2, label="W1 (scipy, linear program)")
    # JSD jumps at theta = 0: draw the two sides apart and the value at 0 as a point
    away = np.where(thetas == 0.0, np.nan, np.array(js))
    ax.plot(thetas, away, color="black", ls="--", lw=2, label="JSD (js_divergence)")
    ax.plot([0.0], [js[int(np.argmin(np.abs(thetas)))]], "o", color="black", ms=5)
    ax.axhline(LOG2, color="grey", lw=0.8, ls=":")
    ax.set(
        xlabel="shift theta of the second line (units of x)",
        ylabel="nats (JSD) / units of x (W1)",
        title="Parallel lines: W1 = |theta| is informative, JSD is log 2 for every theta != 0",
    )
    finish(fig, path)


@in_style
def f_variational_bound(path: Path) -> None:
    """E_P[T] - E_Q[f*(T)] - D_f along a line of critics through T* = f'(p/q), every f."""
    plt = pyplot()
    rng = np.random.default_rng(1606)
    p, q = rng.dirichlet(np.ones(8)), rng.dirichlet(np.ones(8))
    direction = rng.standard_normal(8)
    steps = np.linspace(-1.0, 1.0, 401)
    colours = plt.get_cmap("tab10").colors
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for i, (name, f) in enumerate(dv.F_DIVERGENCES.items()):
        exact = float(dv.f_divergence(p, q, name))
        t_star = f.critic(p / q)
        gaps = []
        for s in steps:
            t = t_star + s * direction
            low, high = f.domain
            if low == -0.5:  # total variation: T* sits on the closed domain's edge; clip
                t = np.clip(t, low, high)
            inside = bool(np.all(t <= high) if low == -0.5 else np.all(t < high))
            gap = float(np.sum(p * t) - np.sum(q * f.conjugate(t))) - exact if inside else np.nan
            gaps.append(gap)
        ax.plot(steps, gaps, color=colours[i], ls=("-", "--")[i % 2], lw=1.6, label=f.name)
    ax.axvline(0.0, color="grey", lw=0.8, ls=":")
    ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_ylim(-1e2, 1e-3)
    ax.set(
        xlabel="step s: T = T* + s v, v random (outside dom f*: not drawn; tv: clipped)",
        ylabel="E_P[T] - E_Q[f*(T)] - D_f",
        title="The variational bound, attained at T* = f'(p/q) (0 at s = 0)",
    )
    finish(fig, path, ncols=4)


@in_style
def f_gan_generators(path: Path) -> None:
    """D_f of f-GAN's JS and GAN generators against JSD along a Gaussian shift."""
    plt = pyplot()
    edges = np.linspace(-12.0, 12.0, 961)
    centres = 0.5 * (edges[1:] + edges[:-1])
    p = stats.norm.pdf(centres)
    p /= p.sum()
    mus = np.linspace(-6.0, 6.0, 81)
    js, d_js, d_gan = [], [], []
    for mu in mus:
        q = stats.norm.pdf(centres, mu, 1.0)
        q /= q.sum()
        js.append(routes.js_through_entropies(p, q))
        d_js.append(float(dv.f_divergence(p, q, "js")))
        d_gan.append(float(dv.f_divergence(p, q, "gan")))
    js_arr = np.array(js)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(mus, js_arr, color="black", lw=2, label="JSD (scipy entropies)")
    ax.plot(mus, d_js, color="tab:blue", lw=3, alpha=0.5, label="D_f, f-GAN's JS generator")
    ax.plot(mus, 2 * js_arr, color="tab:blue", ls="--", label="2 JSD")
    ax.plot(mus, d_gan, color="tab:red", lw=3, alpha=0.5, label="D_f, GAN generator")
    ax.plot(mus, 2 * js_arr - LOG4, color="tab:red", ls="--", label="2 JSD - log 4 = C(G)")
    ax.axhline(0.0, color="grey", lw=0.8, ls=":")
    ax.set(
        xlabel="mean mu of Q = N(mu, 1) (P = N(0, 1), on a grid)",
        ylabel="nats",
        title="f-GAN's generators: twice the JSD, and the GAN's C(G)",
    )
    finish(fig, path)


FIGURES: dict[str, Callable[[Path], None]] = {
    "optimal_discriminator.png": optimal_discriminator,
    "virtual_criterion.png": virtual_criterion,
    "convergence.png": convergence,
    "instance_noise.png": instance_noise,
    "instance_noise_gradient.png": instance_noise_gradient,
    "mode_seeking.png": mode_seeking,
    "w1_parallel_lines.png": w1_parallel_lines,
    "f_variational_bound.png": f_variational_bound,
    "f_gan_generators.png": f_gan_generators,
    **MORE_FIGURES,
    **TRAINER_FIGURES,
    **VALUE_FIGURES,
    **ORACLE_FIGURES,
    **PATHS_FIGURES,
    **PATHS_2_FIGURES,
    **PATHS_3_FIGURES,
}


def draw_figure(name: str, directory: str) -> str:
    """Write the figure ``name`` into ``directory``; return the name (a worker's task)."""
    FIGURES[name](Path(directory) / name)
    return name


def make_all(
    directory: Path, names: Iterable[str] | None = None, *, jobs: int | None = None
) -> dict[str, str]:
    """Write the figures ``names`` (default: every one) into ``directory``.

    The figures are independent: with ``jobs`` (default: one per usable CPU) above 1 they are
    drawn in that many spawned worker processes. Returns figure name -> relative file name,
    for the figures written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    wanted = None if names is None else set(names)
    chosen = [name for name in FIGURES if wanted is None or name in wanted]
    list(ordered_map(draw_figure, chosen, jobs, str(directory)))
    return {name: name for name in chosen}

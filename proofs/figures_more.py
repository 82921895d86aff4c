"""More figures of the proof report: one per claim, each cheap (well under a second) to draw.

Each shows what its claim says, from the library and the independent routes the checks use.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import special, stats

import divergences as dv
from divergences.plotting import in_style, save

from . import routes
from ._drawing import finish, pyplot

LOG2 = math.log(2.0)
LOG4 = math.log(4.0)


def _random_pairs(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` pairs of probability vectors of ``k`` entries, concentrations from 0.1 to 10."""
    rng = np.random.default_rng(seed)
    alpha = 10.0 ** rng.uniform(-1.0, 1.0, size=(n, 1))
    return rng.dirichlet(np.ones(k), size=n) ** (1 / alpha), rng.dirichlet(np.ones(k), size=n)


def _normalised(a: np.ndarray) -> np.ndarray:
    return a / a.sum(axis=-1, keepdims=True)


@in_style
def pinsker(path: Path) -> None:
    """TV against sqrt(KL/2), and JSD between TV^2/2 and TV log 2, for random pairs."""
    plt = pyplot()
    p, q = _random_pairs(3000, 4, 1)
    p = _normalised(p)
    tv = dv.tv_distance(p, q)
    kl = dv.kl_divergence(p, q)
    js = dv.js_divergence(p, q)
    grid = np.linspace(0.0, 1.0, 101)
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.6))
    left.scatter(tv, np.sqrt(kl / 2.0), s=3, color="tab:blue", alpha=0.4, label="random pairs")
    left.plot(grid, grid, color="black", label="TV (the bound is above it)")
    left.set(xlabel="TV(P, Q)", ylabel="sqrt(KL(P || Q) / 2)", ylim=(0, 2), title="Pinsker")
    right.scatter(tv, js, s=3, color="tab:blue", alpha=0.4)
    right.plot(grid, grid**2 / 2, color="tab:red", label="TV² / 2 (below JSD)")
    right.plot(grid, grid * LOG2, color="tab:green", label="TV log 2 (above JSD)")
    right.set(xlabel="TV(P, Q)", ylabel="JSD(P, Q), nats", title="JSD between two TV bounds")
    finish(fig, path)


@in_style
def kl_asymmetric(path: Path) -> None:
    """KL(P || Q_t) and KL(Q_t || P) for P = (1/2, 1/2), Q_t = (1 - t, t), as t -> 0."""
    plt = pyplot()
    t = np.logspace(-14, np.log10(0.5), 200)
    p = np.array([0.5, 0.5])
    q = np.column_stack([1.0 - t, t])
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(t, dv.kl_divergence(p, q), color="tab:blue", lw=2, label="KL(P || Q_t)")
    ax.plot(t, dv.kl_divergence(q, p), color="tab:red", lw=2, label="KL(Q_t || P)")
    ax.plot(t, 0.5 * np.log(1 / (4 * t)), color="black", ls=":", label="(1/2) log(1/4t)")
    ax.axhline(LOG2, color="grey", lw=0.8, ls="--", label="log 2")
    ax.set_xscale("log")
    ax.set(
        xlabel="t, the mass Q_t puts on the second outcome",
        ylabel="nats",
        title="KL is not symmetric, and the gap is unbounded",
    )
    finish(fig, path)


@in_style
def data_processing(path: Path) -> None:
    """D(PK, QK) against D(P, Q) for random pairs and random Markov kernels K."""
    plt = pyplot()
    rng = np.random.default_rng(2)
    p, q = _random_pairs(1500, 6, 2)
    p = _normalised(p)
    kernels = rng.dirichlet(np.ones(3) * 0.5, size=(1500, 6))  # rows: P(output | input)
    pk = np.einsum("ni,nij->nj", p, kernels)
    qk = np.einsum("ni,nij->nj", q, kernels)
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.6))
    for ax, name, f in zip(axes, ("KL", "JSD"), (dv.kl_divergence, dv.js_divergence), strict=True):
        before, after = f(p, q), f(pk, qk)
        top = float(np.quantile(before, 0.99))
        ax.scatter(before, after, s=3, alpha=0.4, color="tab:blue")
        ax.plot([0, top], [0, top], color="black", lw=1)
        ax.set(
            xlim=(0, top),
            ylim=(0, top),
            xlabel=f"{name}(P, Q), nats",
            ylabel=f"{name}(PK, QK), nats",
            title=f"{name}: every point on or below the diagonal",
        )
    axes[0].plot([], [], "o", color="tab:blue", label="a pair and a kernel K (6 -> 3 outcomes)")
    axes[0].plot([], [], color="black", label="no change")
    finish(fig, path)


@in_style
def js_bounded(path: Path) -> None:
    """JSD of U[0, 1] against U[s, s + 1] on a grid: 0 iff s = 0, log 2 iff disjoint."""
    plt = pyplot()
    cells = np.arange(-1.0, 3.0, 1 / 256) + 1 / 512
    p = ((cells > 0) & (cells < 1)).astype(float)
    shifts = np.linspace(-1.5, 1.5, 241)
    values = []
    for s in shifts:
        q = ((cells > s) & (cells < s + 1)).astype(float)
        values.append(float(dv.js_divergence(p, q, normalize=True)))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(shifts, values, color="tab:blue", lw=2, label="JSD(U[0, 1], U[s, s + 1])")
    ax.axhline(LOG2, color="grey", lw=0.8, ls="--", label="log 2: reached once |s| >= 1")
    ax.axvspan(-1.5, -1.0, color="lightgrey", alpha=0.5, label="disjoint supports")
    ax.axvspan(1.0, 1.5, color="lightgrey", alpha=0.5)
    ax.set(xlabel="shift s", ylabel="JSD, nats", title="0 <= JSD <= log 2, with both ends exact")
    finish(fig, path)


@in_style
def js_two_routes(path: Path) -> None:
    """The two sides of the identity for random pairs: their difference in units of 1e-16."""
    plt = pyplot()
    p, q = _random_pairs(500, 8, 3)
    p = _normalised(p)
    m = 0.5 * (p + q)
    left = 0.5 * dv.kl_divergence(p, m) + 0.5 * dv.kl_divergence(q, m)
    right = np.array([routes.js_through_entropies(a, b) for a, b in zip(p, q, strict=True)])
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(7, 3.6))
    a1.scatter(right, left, s=3, alpha=0.4, color="tab:blue", label="random pairs")
    a1.plot([0, LOG2], [0, LOG2], color="black", lw=1, label="equality")
    a1.set(
        xlabel="H(M) - H(P)/2 - H(Q)/2 (scipy), nats",
        ylabel="KL(P||M)/2 + KL(Q||M)/2, nats",
        title="The two routes",
    )
    a2.hist((left - right) / 1e-16, bins=40, color="tab:blue")
    a2.set(
        xlabel="difference of the routes (units of 1e-16 nats)",
        ylabel="number of pairs",
        title="They differ by round-off",
    )
    a2.yaxis.get_major_locator().set_params(integer=True)
    finish(fig, path)


@in_style
def kl_nonnegative(path: Path) -> None:
    """KL(Bernoulli(0.3) || Bernoulli(q)) against q: >= 0, and 0 only at q = 0.3."""
    plt = pyplot()
    q = np.linspace(0.0, 1.0, 1001)
    p = np.array([0.3, 0.7])
    values = dv.kl_divergence(p, np.column_stack([q, 1.0 - q]))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(q, values, color="tab:blue", lw=2, label="KL(Bern(0.3) || Bern(q)) (+inf at 0, 1)")
    ax.plot([0.3], [0.0], "o", color="tab:red", label="the only zero: q = 0.3")
    ax.axhline(0.0, color="grey", lw=0.8, ls=":")
    ax.set(ylim=(-0.1, 2.5), xlabel="q", ylabel="KL, nats", title="Gibbs' inequality")
    finish(fig, path)


@in_style
def kl_infinite(path: Path) -> None:
    """KL(P || Q_e) as Q_e loses its mass on an outcome of P, against an epsilon-smoothed KL."""
    plt = pyplot()
    eps = np.logspace(-300, -1, 300)
    p = np.array([0.5, 0.5])
    q = np.column_stack([1.0 - eps, eps])
    smoothed = np.array([float(dv.kl_divergence(p + 1e-10, b + 1e-10, normalize=True)) for b in q])
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(eps, dv.kl_divergence(p, q), color="tab:blue", lw=2, label="KL(P || Q_e), exact")
    ax.plot(eps, smoothed, color="tab:red", ls="--", lw=2, label="with 1e-10 added to every mass")
    ax.set_xscale("log")
    ax.set(
        xlabel="e, the mass Q_e keeps on the second outcome (at e = 0 the exact KL is +inf)",
        ylabel="nats",
        title="KL grows without bound as the support is lost; an epsilon caps it",
    )
    finish(fig, path)


@in_style
def max_lemma(path: Path) -> None:
    """The function y -> a log y + b log(1 - y) and its maximiser a / (a + b)."""
    plt = pyplot()
    y = np.linspace(1e-4, 1 - 1e-4, 999)
    fig, ax = plt.subplots(figsize=(7, 4))
    for (a, b), colour in zip(
        ((1.0, 1.0), (2.0, 1.0), (1.0, 3.0), (0.2, 0.05)),
        plt.get_cmap("tab10").colors,
        strict=False,
    ):
        ax.plot(
            y, special.xlogy(a, y) + special.xlog1py(b, -y), color=colour, label=f"a={a:g}, b={b:g}"
        )
        top = a / (a + b)
        ax.plot([top], [a * math.log(top) + b * math.log1p(-top)], "o", color=colour)
    ax.set(
        ylim=(-6, 0.5),
        xlabel="y",
        ylabel="a log y + b log(1 - y)",
        title="The maximum is at y = a / (a + b) (dots)",
    )
    finish(fig, path)


@in_style
def saturating_gradient(path: Path) -> None:
    """d/dl of log(1 - sigmoid(l)) and of -log sigmoid(l), the generator's two losses."""
    plt = pyplot()
    logit = np.linspace(-10.0, 10.0, 401)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(
        logit, -special.expit(logit), color="tab:red", lw=2, label="saturating: d/dl log(1 - D)"
    )
    ax.plot(
        logit, -special.expit(-logit), color="tab:blue", lw=2, label="non-saturating: d/dl [-log D]"
    )
    ax.axvspan(-10, -4, color="lightgrey", alpha=0.5, label="D(G(z)) < 0.02: early training")
    ax.set(
        xlabel="discriminator logit l on a generated sample (D = sigmoid(l))",
        ylabel="gradient with respect to l",
        title="The saturating loss vanishes where the generator is bad",
    )
    finish(fig, path)


def _grid_normal(mu: float, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    centres = np.linspace(-8.0, 10.0, 721)
    mass = stats.norm.pdf(centres, mu, sigma)
    return centres, mass / mass.sum()


@in_style
def stale_discriminator(path: Path) -> None:
    """C(G_s) and V(G_s, D*_t) along a step of G from p_t towards p_data."""
    plt = pyplot()
    _, p_data = _grid_normal(0.0, 1.0)
    _, p_t = _grid_normal(3.0, 1.0)
    steps = np.linspace(0.0, 1.0, 51)
    logits = routes.optimal_logits(p_data, p_t)
    new, old = [], []
    for s in steps:
        p_s = (1 - s) * p_t + s * p_data
        new.append(float(dv.virtual_criterion(p_data, p_s)))
        old.append(float(dv.gan_value_from_logits(p_data, p_s, logits)))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(steps, new, color="black", lw=2, label="C(G_s) = max_D V(G_s, D)")
    ax.plot(steps, old, color="tab:red", ls="--", lw=2, label="V(G_s, D*_t): the old D")
    ax.fill_between(steps, old, new, color="tab:red", alpha=0.15, label="the gap")
    ax.set(
        xlabel="step s: p_s = (1 - s) p_t + s p_data (p_t = N(3, 1), p_data = N(0, 1))",
        ylabel="nats",
        title="A stale discriminator only lower-bounds the new criterion",
    )
    finish(fig, path)


@in_style
def global_minimum(path: Path) -> None:
    """C(G) along p_g = N(mu, sigma^2) against p_data = N(0, 1): minimum -log 4 at p_data."""
    plt = pyplot()
    _, p_data = _grid_normal(0.0, 1.0)
    mus = np.linspace(-6.0, 6.0, 121)
    fig, ax = plt.subplots(figsize=(7, 4))
    for sigma, colour in zip((0.5, 1.0, 2.0), ("tab:green", "tab:blue", "tab:purple"), strict=True):
        values = [float(dv.virtual_criterion(p_data, _grid_normal(m, sigma)[1])) for m in mus]
        ax.plot(mus, values, color=colour, lw=2, label=f"p_g = N(mu, {sigma:g}²)")
    ax.axhline(
        -LOG4, color="tab:red", lw=0.8, ls="--", label="-log 4, reached only at p_g = p_data"
    )
    ax.axhline(0.0, color="grey", lw=0.8, ls=":", label="0: disjoint supports")
    ax.set(xlabel="mu", ylabel="C(G), nats", title="C(G) >= -log 4, with equality iff p_g = p_data")
    finish(fig, path)


@in_style
def equilibrium_discriminator(path: Path) -> None:
    """D*(x) for p_data = N(0, 1) and p_g = N(mu, 1) as mu -> 0: flat at 1/2 when p_g = p_data."""
    plt = pyplot()
    x = np.linspace(-4.0, 4.0, 401)
    p_data = stats.norm.pdf(x)
    fig, ax = plt.subplots(figsize=(7, 4))
    for mu, colour in zip((2.0, 1.0, 0.5), ("tab:purple", "tab:green", "tab:orange"), strict=True):
        d_star = dv.optimal_discriminator(p_data, stats.norm.pdf(x, mu, 1.0))
        ax.plot(x, d_star, color=colour, lw=1.5, label=f"p_g = N({mu:g}, 1)")
    ax.plot(
        x,
        dv.optimal_discriminator(p_data, p_data),
        color="tab:blue",
        lw=3,
        label="p_g = p_data = N(0, 1): D* = 1/2 everywhere",
    )
    ax.set(
        xlabel="x",
        ylabel="D*(x) = p_data/(p_data + p_g)",
        ylim=(0.0, 1.0),
        title="At the global minimum the optimal discriminator is 1/2",
    )
    finish(fig, path)


@in_style
def envelope_gradient(path: Path) -> None:
    """dC/dp_g(x_i) by central differences against log(1 - D*(x_i)) on a grid."""
    plt = pyplot()
    centres, p_data = _grid_normal(0.0, 1.0)
    _, p_g = _grid_normal(1.5, 0.7)
    keep = slice(200, 560, 6)
    h = 1e-5  # relative to each mass

    def criterion(free: np.ndarray) -> float:
        # C as a function of the free (unnormalised) masses, as the claim differentiates it
        total = p_data + free
        return float(
            np.sum(special.xlogy(p_data, p_data / total))
            + np.sum(special.xlogy(free, free / total))
        )

    numeric = []
    for i in range(len(centres))[keep]:
        up, down = p_g.copy(), p_g.copy()
        step = h * p_g[i]
        up[i] += step
        down[i] -= step
        numeric.append((criterion(up) - criterion(down)) / (2 * step))
    stated = np.log1p(-np.asarray(dv.optimal_discriminator(p_data, p_g))[keep])
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(centres[keep], stated, color="black", lw=2, label="log(1 - D*(x))")
    ax.plot(
        centres[keep], numeric, "o", ms=3, color="tab:blue", label="dC/dp_g(x), central differences"
    )
    ax.set(
        xlabel="x",
        ylabel="nats per unit of mass",
        title="The gradient of C(G) in p_g: the D* terms cancel",
    )
    finish(fig, path)


@in_style
def inverse_cdf(path: Path) -> None:
    """Histograms of F^-1(U) against the target densities."""
    plt = pyplot()
    rng = np.random.default_rng(4)
    u = rng.uniform(size=20000)
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.6))
    for ax, law, name in zip(
        axes, (stats.norm(), stats.expon()), ("N(0, 1)", "Exp(1)"), strict=True
    ):
        x = law.ppf(u)
        ax.hist(x, bins=60, density=True, color="lightsteelblue", label="F^-1(U), 20,000 draws")
        grid = np.linspace(*law.ppf([0.001, 0.999]), 300)
        ax.plot(grid, law.pdf(grid), color="black", lw=2, label="target density")
        ax.set(xlabel="x", ylabel="density", title=f"F^-1(U) for {name}")
    axes[1].legend_ = None
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    save(fig, path)
    plt.close(fig)


@in_style
def inverse_cdf_jsd(path: Path) -> None:
    """Mean histogram JSD between Phi^-1(U) and a sample of N(0, 1) against n, with (K-1)/(4n)."""
    plt = pyplot()
    rng = np.random.default_rng(2002)
    k = 20
    edges = stats.norm.ppf(np.linspace(0.0, 1.0, k + 1))
    edges[0], edges[-1] = -12.0, 12.0  # the outer bins hold all the mass beyond: < 1e-32
    sizes = np.array([100, 300, 1000, 3000, 10000])
    means, errors = [], []
    for n in sizes:
        values = np.array(
            [
                float(
                    dv.js_from_samples(
                        stats.norm.ppf(rng.uniform(size=n)), rng.standard_normal(n), bins=edges
                    ).value
                )
                for _ in range(100)
            ]
        )
        means.append(values.mean())
        errors.append(values.std(ddof=1) / math.sqrt(len(values)))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.errorbar(sizes, means, yerr=errors, fmt="o", color="tab:blue", label="mean of 100 ± 1 s.e.")
    ax.plot(sizes, (k - 1) / (4 * sizes), color="black", label="(K - 1)/(4n), K = 20")
    ax.plot(
        sizes, (k - 1) / (2 * sizes), color="grey", ls=":", label="(K - 1)/(2n): KL's, for scale"
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(
        xlabel="n draws of each (20 equal-mass bins)",
        ylabel="histogram JSD, nats",
        title="JSD between F^-1(U) and a sample of F shrinks like (K - 1)/(4n)",
    )
    finish(fig, path)


@in_style
def reparameterization(path: Path) -> None:
    """Draws of m + exp(sigma) e, coordinate by coordinate, against N(m, exp(2 sigma))."""
    plt = pyplot()
    rng = np.random.default_rng(5)
    m, sigma = np.array([0.0, 1.0, -2.0]), np.array([-1.0, 0.5, 1.2])
    c = m + np.exp(sigma) * rng.standard_normal((20000, 3))
    fig, axes = plt.subplots(1, 3, figsize=(7, 3.2))
    for j, ax in enumerate(axes):
        ax.hist(c[:, j], bins=60, density=True, color="lightsteelblue", label="m + exp(sigma) e")
        law = stats.norm(m[j], math.exp(sigma[j]))
        grid = np.linspace(*law.ppf([0.001, 0.999]), 300)
        ax.plot(grid, law.pdf(grid), color="black", lw=2, label="N(m, exp(2 sigma))")
        ax.set(xlabel=f"c_{j + 1}", title=f"m={m[j]:g}, sigma={sigma[j]:g}")
    axes[0].set_ylabel("density")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    save(fig, path)
    plt.close(fig)


@in_style
def mle_forward_kl(path: Path) -> None:
    """Average NLL of binomial data against H(P_hat) + KL(P_hat || P_theta), over theta."""
    plt = pyplot()
    rng = np.random.default_rng(6)
    data = rng.binomial(8, 0.3, size=500)
    support = np.arange(9)
    p_hat = np.bincount(data, minlength=9) / data.size
    thetas = np.linspace(0.02, 0.98, 193)
    nll = [-float(np.mean(stats.binom.logpmf(data, 8, t))) for t in thetas]
    route = [
        float(dv.entropy(p_hat)) + float(dv.kl_divergence(p_hat, stats.binom.pmf(support, 8, t)))
        for t in thetas
    ]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(thetas, nll, color="tab:blue", lw=4, alpha=0.5, label="average NLL of 500 draws")
    ax.plot(thetas, route, color="black", ls="--", label="H(P_hat) + KL(P_hat || P_theta)")
    ax.axvline(data.mean() / 8, color="tab:red", lw=0.8, ls=":", label="MLE: sample mean / 8")
    ax.set(
        ylim=(1, 8),
        xlabel="theta of Binomial(8, theta)",
        ylabel="nats per observation",
        title="The MLE minimises the forward KL",
    )
    finish(fig, path)


@in_style
def js_distance_metric(path: Path) -> None:
    """The triangle inequality on the pinned triple (1, 0), (1/2, 1/2), (0, 1)."""
    plt = pyplot()
    p, q, r = np.array([1.0, 0.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0])
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for row, f in enumerate((dv.js_distance, dv.js_divergence)):
        direct = float(f(p, r))
        legs = float(f(p, q)), float(f(q, r))
        ax.barh(
            row + 0.2, direct, height=0.35, color="tab:red", label="d(P, R)" if row == 0 else None
        )
        ax.barh(
            row - 0.2, legs[0], height=0.35, color="tab:blue", label="d(P, Q)" if row == 0 else None
        )
        ax.barh(
            row - 0.2,
            legs[1],
            left=legs[0],
            height=0.35,
            color="tab:cyan",
            label="d(Q, R)" if row == 0 else None,
        )
    ax.set_yticks([0, 1], ["sqrt(JSD): d(P,R) <= d(P,Q) + d(Q,R)", "JSD: the inequality fails"])
    ax.set(xlabel="nats (JSD) or sqrt(nats)", title="P = (1, 0), Q = (1/2, 1/2), R = (0, 1)")
    finish(fig, path, ncols=3)


@in_style
def fine_bins_saturate(path: Path) -> None:
    """Plug-in JSD of two samples of 200 from N(0, 1) against the number of bins."""
    plt = pyplot()
    rng = np.random.default_rng(7)
    bins = np.array([10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000])
    runs = np.array(
        [
            [float(dv.js_from_samples(x, y, bins=int(b)).value) for b in bins]
            for x, y in (rng.standard_normal((2, 200)) for _ in range(20))
        ]
    )
    fig, ax = plt.subplots(figsize=(7, 4))
    for run in runs:
        ax.plot(bins, run, color="tab:blue", alpha=0.25, lw=1)
    ax.plot(bins, runs.mean(axis=0), "o-", color="tab:blue", lw=2, label="mean of 20 seeds")
    ax.axhline(LOG2, color="tab:red", lw=0.8, ls="--", label="log 2")
    ax.set_xscale("log")
    ax.set(
        xlabel="number of bins (n = 200 per sample, same law)",
        ylabel="plug-in JSD, nats",
        title="More bins than samples: the plug-in JSD climbs to log 2",
    )
    finish(fig, path)


@in_style
def bias_order(path: Path) -> None:
    """Mean plug-in JSD of two samples of one law against n, with (K - 1)/(4n); Miller-Madow's."""
    plt = pyplot()
    rng = np.random.default_rng(8)
    edges = stats.norm.ppf(np.linspace(0.0, 1.0, 11))
    edges[0], edges[-1] = -12.0, 12.0  # the outer bins hold all the mass beyond: < 1e-32
    sizes = np.array([50, 100, 200, 500, 1000, 2000, 5000])
    means, errors, corrected, corrected_errors = [], [], [], []
    for n in sizes:
        estimates = [
            dv.js_from_samples(
                rng.standard_normal(n),
                rng.standard_normal(n),
                bins=edges,
                bias_correction="miller-madow",
            )
            for _ in range(400)
        ]
        plugin = np.array([float(e.plugin) for e in estimates])
        less_bias = plugin - np.array([float(e.bias) for e in estimates])
        means.append(plugin.mean())
        errors.append(plugin.std() / math.sqrt(len(plugin)))
        corrected.append(less_bias.mean())
        corrected_errors.append(less_bias.std() / math.sqrt(len(less_bias)))
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 4))
    left.errorbar(
        sizes, means, yerr=errors, fmt="o", color="tab:blue", label="plug-in: mean of 400 ± 1 s.e."
    )
    left.plot(sizes, 9 / (4 * sizes), color="black", label="(K - 1)/(4n), K = 10")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set(
        xlabel="n per sample (P = Q = N(0, 1), 10 equal-mass bins)",
        ylabel="mean plug-in JSD, nats (the truth is 0)",
        title="The sampling bias of the plug-in JSD",
    )
    right.errorbar(
        sizes,
        np.array(corrected) * sizes,
        yerr=np.array(corrected_errors) * sizes,
        fmt="s",
        color="tab:green",
        label="Miller–Madow (plugin - bias): mean ± 1 s.e.",
    )
    right.plot(
        sizes, np.full(len(sizes), 9 / 4), color="black", ls=":", label="the plug-in's: (K - 1)/4"
    )
    right.axhline(0.0, color="tab:red", lw=0.8, ls="--", label="0 (the truth)")
    right.set_xscale("log")
    right.set(
        xlabel="n per sample",
        ylabel="n × mean corrected JSD, nats",
        title="The corrected JSD: unbiased to O(1/n²)",
    )
    finish(fig, path)


@in_style
def kl_bias(path: Path) -> None:
    """Mean plug-in KL of a sample of n against the known Q (K equal-mass bins), with (K-1)/(2n)."""
    plt = pyplot()
    rng = np.random.default_rng(9)
    k = 10
    q = np.full(k, 1.0 / k)
    sizes = np.array([50, 100, 200, 500, 1000, 2000, 5000])
    means, errors = [], []
    for n in sizes:
        # the counts of n draws of N(0, 1) in 10 bins of probability 1/10 each: multinomial
        counts = rng.multinomial(n, q, size=1000)
        kl = np.asarray(dv.kl_divergence(counts / n, q), dtype=float)
        means.append(kl.mean())
        errors.append(kl.std(ddof=1) / math.sqrt(len(kl)))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.errorbar(sizes, means, yerr=errors, fmt="o", color="tab:blue", label="mean of 1000 ± 1 s.e.")
    ax.plot(sizes, (k - 1) / (2 * sizes), color="black", label="(K - 1)/(2n), K = 10")
    ax.plot(
        sizes,
        (k - 1) / (4 * sizes),
        color="grey",
        ls=":",
        label="(K - 1)/(4n): the JSD's, for scale",
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(
        xlabel="n, the size of the sample (Q known: 10 bins of probability 1/10)",
        ylabel="mean plug-in KL(P_hat || Q), nats (the truth is 0)",
        title="The sampling bias of the plug-in KL against a known Q",
    )
    finish(fig, path)


@in_style
def chi_square_reference(path: Path) -> None:
    """4 n_h JSD and 2n KL of samples of one law against chi^2_9; js_test's p-values."""
    plt = pyplot()
    rng = np.random.default_rng(9)
    k = 10
    edges = stats.norm.ppf(np.linspace(0.0, 1.0, k + 1))
    edges[0], edges[-1] = -12.0, 12.0  # the outer bins hold all the mass beyond: < 1e-32
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 4))
    grid = np.linspace(0.0, 30.0, 301)
    left.plot(grid, stats.chi2(k - 1).cdf(grid), color="black", lw=3, alpha=0.4, label="χ²₉")
    for (n_x, n_y), colour in zip(
        ((1000, 1000), (1000, 250)), ("tab:blue", "tab:orange"), strict=True
    ):
        pairs = [
            dv.histogram_pair(rng.standard_normal(n_x), rng.standard_normal(n_y), bins=edges)
            for _ in range(400)
        ]
        scaled = np.sort(
            [8 * n_x * n_y / (n_x + n_y) * float(dv.js_from_histogram(h).value) for h in pairs]
        )
        ecdf = np.arange(1, len(scaled) + 1) / len(scaled)
        left.step(
            scaled,
            ecdf,
            where="post",
            color=colour,
            label=f"8 n_x n_y/(n_x + n_y) JSD, {n_x} + {n_y}",
        )
        pvalues = np.sort([float(dv.js_test_from_histogram(h).pvalue) for h in pairs])
        right.step(pvalues, ecdf, where="post", color=colour)
        if n_y == n_x:
            kl = np.sort(
                [
                    2 * n_x * float(dv.kl_divergence(h.counts_x / n_x, np.full(k, 1 / k)))
                    for h in pairs
                ]
            )
            left.step(
                kl,
                ecdf,
                where="post",
                color="tab:green",
                ls="--",
                label=f"2n KL against Q, n = {n_x}",
            )
    right.plot([0, 1], [0, 1], color="black", lw=3, alpha=0.4)
    left.set(
        xlim=(0, 30),
        xlabel="statistic (P = Q = N(0, 1), K = 10 equal-mass bins)",
        ylabel="fraction of 400 seeds at or below",
        title="Scaled plug-in estimates against χ² (K - 1 = 9 d.f.)",
    )
    right.set(
        xlabel="js_test p-value (chi-square)",
        ylabel="fraction of 400 seeds at or below",
        title="js_test's p-values against U(0, 1)",
    )
    finish(fig, path)


@in_style
def gan_critic(path: Path) -> None:
    """The GAN f-divergence's optimal critic log D*(x) for two Gaussians."""
    plt = pyplot()
    x = np.linspace(-4.0, 5.0, 600)
    p_data, p_g = stats.norm.pdf(x, 0.0, 1.0), stats.norm.pdf(x, 1.5, 0.8)
    d_star = np.asarray(dv.optimal_discriminator(p_data, p_g))
    f = dv.F_DIVERGENCES["gan"]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(x, np.log(d_star), color="tab:blue", lw=3, alpha=0.5, label="log D*(x)")
    ax.plot(
        x, f.critic(p_data / p_g), color="black", ls="--", label="f'(p_data/p_g), GAN generator"
    )
    ax.plot(x, d_star, color="tab:red", ls=":", label="D*(x) (not the critic)")
    ax.set(ylim=(-6, 1.2), xlabel="x", ylabel="critic value T(x)", title="The GAN critic is log D*")
    finish(fig, path)


@in_style
def js_zero_iff_equal(path: Path) -> None:
    """JSD of near-equal pairs against the perturbation: the kernel and the entropy difference."""
    from .test_lin1991 import _js_by_entropy_difference

    plt = pyplot()
    p = np.array([0.1, 0.2, 0.3, 0.4])
    eps = np.logspace(-15, -1, 57)
    kernel, textbook = [], []
    for e in eps:
        q = p * (1.0 + e * np.array([1.0, -1.0, 1.0, -1.0]))
        q /= q.sum()
        kernel.append(float(dv.js_divergence(p, q)))
        textbook.append(_js_by_entropy_difference(p, q))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.loglog(eps, kernel, color="tab:blue", lw=2, label="js_divergence: positive for every P != Q")
    shown = np.where(np.array(textbook) > 0, textbook, np.nan)
    ax.loglog(eps, shown, "o", ms=3, color="tab:red", label="H(M) - H(P)/2 - H(Q)/2 (0: not drawn)")
    ax.set(
        xlabel="relative perturbation e of Q = P (1 ± e)",
        ylabel="JSD(P, Q), nats",
        title="JSD = 0 only at P = Q, if it is computed without cancellation",
    )
    finish(fig, path)


@in_style
def js_symmetric(path: Path) -> None:
    """JSD(P, Q) against JSD(Q, P), and the one-sided KL(P || M) that is not symmetric."""
    plt = pyplot()
    p, q = _random_pairs(800, 5, 9)
    p = _normalised(p)
    m = 0.5 * (p + q)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.scatter(dv.js_divergence(p, q), dv.js_divergence(q, p), s=4, color="tab:blue", label="JSD")
    ax.scatter(
        dv.kl_divergence(p, m),
        dv.kl_divergence(q, m),
        s=4,
        color="tab:red",
        alpha=0.5,
        label="KL(P || M) against KL(Q || M)",
    )
    ax.plot([0, LOG2], [0, LOG2], color="black", lw=1, label="symmetric: the diagonal")
    ax.set(
        xlabel="D(P, Q), nats",
        ylabel="D(Q, P), nats",
        title="JSD is symmetric; each half of it is not",
    )
    finish(fig, path, ncols=3)


@in_style
def value_unbounded(path: Path) -> None:
    """V(G, D) for discriminators vanishing on data mass, against C(G) = max_D V."""
    plt = pyplot()
    p = np.array([0.25, 0.75])
    ms = np.logspace(0, 2.2, 45)  # beyond M ~ 177, e^(-4M - 1) underflows: D = 0, V = -inf
    values = [float(dv.gan_value(p, p, np.array([math.exp(-m / 0.25 - 1.0), 0.5]))) for m in ms]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(
        ms,
        -np.array(values),
        color="tab:blue",
        lw=2,
        label="-V(G, D_M), D_M = e^(-4M - 1) on 1/4 of the data",
    )
    ax.plot(ms, ms, color="black", ls=":", label="M")
    ax.axhline(LOG4, color="tab:red", ls="--", label="-C(G) = log 4 (p_g = p_data)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(
        xlabel="M (from M ~ 177 on, D_M underflows to 0 and V = -inf)",
        ylabel="-V, nats",
        title="V itself is unbounded below; only max_D V is bounded",
    )
    finish(fig, path)


@in_style
def discriminator_bound(path: Path) -> None:
    """The bound of D_t = sigma(t log(p/q)) against t: at most JSD, reached at t = 1 (D*)."""
    from scipy import integrate

    plt = pyplot()
    p, q = stats.norm(0.0, 1.0), stats.norm(0.5, 1.2)
    truth = float(dv.reference.js_normal(0.0, 1.0, 0.5, 1.2))

    def log_ratio(z: np.ndarray) -> np.ndarray:
        return np.asarray(p.logpdf(z) - q.logpdf(z))

    grid = np.linspace(-14.0, 14.0, 20_001)  # Simpson's rule: the tails beyond carry < 1e-30
    ell, p_grid, q_grid = log_ratio(grid), p.pdf(grid), q.pdf(grid)

    def bound(t: float) -> float:
        integrand = -0.5 * p_grid * np.logaddexp(0.0, -t * ell) - 0.5 * q_grid * np.logaddexp(
            0.0, t * ell
        )
        return LOG2 + float(integrate.simpson(integrand, x=grid))

    ts = np.linspace(0.0, 2.5, 51)
    rng = np.random.default_rng(7)
    x, y = p.rvs(2000, random_state=rng), q.rvs(6000, random_state=rng)
    marks = np.array([0.25, 0.5, 1.0, 1.5, 2.0])
    estimates = [
        float(dv.js_discriminator(x, y, classifier=lambda z, t=t: special.expit(t * log_ratio(z))))
        for t in marks
    ]
    fitted = dv.js_discriminator(x, y, classifier="quadratic", seed=0)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(ts, [bound(t) for t in ts], color="tab:blue", lw=2, label="bound of D_t (quadrature)")
    ax.plot(
        marks, estimates, "o", color="tab:orange", label="js_discriminator, fixed D_t, 2000 + 6000"
    )
    ax.errorbar(
        [1.0],
        [float(fitted)],
        yerr=[[float(fitted) - fitted.interval[0]], [fitted.interval[1] - float(fitted)]],
        fmt="s",
        color="tab:green",
        capsize=4,
        label="cross-fitted quadratic logit, 95% interval",
    )
    ax.axhline(truth, color="tab:red", lw=0.8, ls="--", label=f"JSD = {truth:.4f} nats")
    ax.set(
        xlabel="t, in D_t = sigma(t log(p/q)); t = 1 is D*",
        ylabel="bound, nats",
        title="log 2 + E_P[log D]/2 + E_Q[log(1 - D)]/2 <= JSD, equal at D*",
    )
    finish(fig, path)


@in_style
def consistency(path: Path) -> None:
    """RMSE against n of the three consistency claims' estimators, and the JSD check's tolerance."""
    from .test_estimators import (
        JS_TRUE,
        KL_TRUE,
        KNN_CASES,
        KNN_SIZES,
        RANGE,
        derived_tolerance,
        wkv_edges,
    )

    plt = pyplot()
    rng = np.random.default_rng(2005)

    def rmse(draws: list[float], truth: float) -> float:
        return math.sqrt(float(np.mean(np.square(np.array(draws) - truth))))

    # the check's estimators and bins, with fewer seeds and (kNN) smaller n than the check
    sizes = np.array([1_000, 10_000, 100_000, 1_000_000])
    seeds = (20, 20, 10, 3)
    js, kl, tolerance = [], [], []
    for n, runs in zip(sizes, seeds, strict=True):
        edges = np.linspace(*RANGE, math.ceil(2 * n ** (1 / 3)) + 1)
        tolerance.append(derived_tolerance(int(n), edges))
        js_draws, kl_draws = [], []
        for _ in range(runs):
            x, y = rng.normal(0.0, 1.0, n), rng.normal(0.5, 1.2, n)
            js_draws.append(float(dv.js_from_samples(x, y, bins=edges).value))
            wkv = wkv_edges(x, y, math.ceil(n ** (1 / 3)))
            kl_draws.append(float(dv.kl_from_samples(x, y, bins=wkv).value))
        js.append(rmse(js_draws, JS_TRUE))
        kl.append(rmse(kl_draws, KL_TRUE))
    knn_sizes = np.array(KNN_SIZES)
    knn = {
        dim: [
            rmse([float(dv.kl_knn(*draw(rng, int(n)), k=4)) for _ in range(runs)], truth)
            for n, runs in zip(knn_sizes, (12, 12, 3), strict=True)
        ]
        for dim, truth, draw in KNN_CASES
    }
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.loglog(sizes, js, "o-", color="tab:blue", label=f"JSD, uniform bins (truth {JS_TRUE:.4f})")
    ax.loglog(
        sizes,
        tolerance,
        color="tab:blue",
        ls="--",
        label="JSD: the check's tolerance (every seed within it)",
    )
    ax.loglog(sizes, kl, "s-", color="tab:red", label=f"KL, equal-count bins (truth {KL_TRUE:.4f})")
    for (dim, truth, _), colour in zip(KNN_CASES, ("tab:green", "tab:purple"), strict=True):
        ax.loglog(
            knn_sizes,
            knn[dim],
            "^-",
            color=colour,
            label=f"KL, kl_knn k = 4, {dim}-D (truth {truth:.4f})",
        )
    ax.loglog(sizes, 0.5 / np.sqrt(sizes), color="grey", ls=":", label="slope n^(-1/2)")
    ax.set(
        xlabel="n, samples per side (x ~ N(0, 1), y ~ N(0.5, 1.2²); 2-D: correlated pair)",
        ylabel="RMSE against the closed form, nats",
        title="Plug-in and kNN estimates converge to the truth as n grows",
    )
    finish(fig, path)


@in_style
def discriminator_off_support(path: Path) -> None:
    """V against the value D takes where neither law has mass: flat, unless V is smoothed."""
    plt = pyplot()
    p_data = np.array([0.4, 0.35, 0.25, 0.0, 0.0, 0.0])
    p_g = np.array([0.0, 0.2, 0.3, 0.5, 0.0, 0.0])
    d = np.array([0.9, 0.6, 0.45, 0.1, 0.5, 0.5])
    off = (p_data == 0) & (p_g == 0)
    ts = np.linspace(0.0, 1.0, 101)

    def smoothed(dd: np.ndarray, eps: float = 1e-10) -> float:
        a = (p_data + eps) / (1.0 + eps * p_data.size)
        b = (p_g + eps) / (1.0 + eps * p_g.size)
        return float(dv.gan_value(a, b, dd))

    ref, ref_smoothed = float(dv.gan_value(p_data, p_g, d)), smoothed(d)
    exact = [float(dv.gan_value(p_data, p_g, np.where(off, t, d))) - ref for t in ts]
    hidden = [smoothed(np.where(off, t, d)) - ref_smoothed for t in ts]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    bins = np.arange(p_data.size)
    left.bar(bins - 0.2, p_data, width=0.4, color="tab:blue", label="p_data")
    left.bar(bins + 0.2, p_g, width=0.4, color="tab:orange", label="p_g")
    left.axvspan(3.5, 5.5, color="grey", alpha=0.2, label="off both supports")
    left.set(xlabel="bin", ylabel="probability", title="two pmfs; D is free on bins 4-5")
    left.set_xticks(bins)
    right.plot(ts, np.array(exact) * 1e10, color="tab:blue", lw=2, label="V (library): flat")
    right.plot(
        ts,
        np.array(hidden) * 1e10,
        color="tab:red",
        lw=1.5,
        ls="--",
        label="V of pmfs smoothed by eps = 1e-10 (falsifier)",
    )
    right.set(
        xlabel="value of D on bins 4-5",
        ylabel="V - V(D as drawn), 1e-10 nats",
        title="V does not depend on D off the supports",
    )
    finish(fig, path)


@in_style
def saturating_gradient_in_d(path: Path) -> None:
    """d/dD log(1 - D) by finite differences against -1/(1 - D) and the falsifier -D."""
    plt = pyplot()
    ds = np.logspace(-12, math.log10(0.5), 60)
    h = 1e-6 * np.minimum(ds, 1 - ds)
    fd = (np.log1p(-(ds + h)) - np.log1p(-(ds - h))) / (2 * h)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(ds, -1.0 / (1.0 - ds), color="tab:blue", lw=2, label="-1/(1 - D), stated")
    ax.plot(ds[::4], fd[::4], "o", color="black", ms=4, label="central differences of log1p(-D)")
    ax.plot(ds, -ds, color="tab:red", ls="--", label="-D (falsifier: vanishes with D)")
    ax.set_xscale("log")
    ax.set(
        xlabel="D(G(z))",
        ylabel="d/dD log(1 - D)",
        title="In D the saturating loss keeps slope -1 as D -> 0",
    )
    finish(fig, path)


@in_style
def same_fixed_points(path: Path) -> None:
    """The generator gradients at D*: constant over the bins (stationary) only when p_g = p_data."""
    plt = pyplot()
    rng = np.random.default_rng(3)
    p_data = rng.dirichlet(np.ones(8))
    candidates = {
        "p_g = p_data": p_data.copy(),
        "p_g independent": rng.dirichlet(np.ones(8)),
        "p_g ∝ p_data² (falsifier's fixed point)": p_data**2 / np.sum(p_data**2),
    }
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True)
    colours = ("tab:blue", "tab:green", "tab:red")
    for (label, p_g), colour in zip(candidates.items(), colours, strict=True):
        d_star = np.asarray(dv.optimal_discriminator(p_data, p_g))
        axes[0].plot(np.log1p(-d_star), "o-", color=colour, label=label)
        axes[1].plot(-np.log(d_star), "o-", color=colour)
    axes[0].set(xlabel="bin", ylabel="gradient in p_g, nats", title="saturating: log(1 - D*)")
    axes[1].set(xlabel="bin", ylabel="gradient in p_g, nats", title="non-saturating: -log D*")
    for ax in axes:
        ax.set_xticks(range(8))
    fig.suptitle("stationary on the simplex = flat across the bins: only p_g = p_data, both losses")
    finish(fig, path, ncols=3)


@in_style
def mle_moment_matching(path: Path) -> None:
    """The average NLL of N(m, s^2) on the check's sample against s: minimum at the biased sd."""
    plt = pyplot()
    x = np.random.default_rng(20140610).normal(1.5, 2.0, size=500)
    mean, biased, unbiased = float(np.mean(x)), float(np.std(x)), float(np.std(x, ddof=1))
    sds = np.linspace(0.97 * biased, 1.03 * biased, 301)
    nll = [-float(np.mean(stats.norm.logpdf(x, mean, s))) for s in sds]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(sds, nll, color="tab:blue", lw=2, label="average NLL at the sample mean")
    ax.axvline(biased, color="black", lw=1.2, label=f"biased sd (ddof = 0) = {biased:.4f}")
    ax.axvline(
        unbiased,
        color="tab:red",
        lw=1.2,
        ls="--",
        label=f"unbiased sd (ddof = 1, falsifier) = {unbiased:.4f}",
    )
    ax.set(
        xlabel="standard deviation s of the fitted N(mean, s²)",
        ylabel="average NLL, nats",
        title="500 draws of N(1.5, 2²): the NLL is least at the biased sd",
    )
    finish(fig, path)


@in_style
def mirror_averaging(path: Path) -> None:
    """One mirror step of size 1 against the average, and the additive step, on a grid."""
    from .test_goodfellow2014 import _euclidean_step, _mirror_step

    plt = pyplot()
    centres, p_data = _grid_normal(0.0, 1.0)
    _, p_t = _grid_normal(2.0, 0.6)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(centres, p_data, color="black", lw=1, ls="--", label="p_data")
    ax.plot(centres, p_t, color="tab:gray", lw=1, ls=":", label="p_t")
    ax.plot(centres, 0.5 * (p_data + p_t), color="black", lw=3, label="(p_data + p_t) / 2")
    ax.plot(
        centres, _mirror_step(p_data, p_t), color="tab:green", lw=1.2, label="mirror step, size 1"
    )
    ax.plot(
        centres,
        _euclidean_step(p_data, p_t),
        color="tab:red",
        lw=1.2,
        label="falsifier: additive step, renormalised",
    )
    ax.set(
        xlabel="x",
        ylabel="probability mass per grid point",
        title="Mirror descent on C with step 1 is averaging (Prop. 2)",
    )
    finish(fig, path)


@in_style
def criterion_convex(path: Path) -> None:
    """C along a segment between two generators, with its chord, and the JS-distance falsifier."""
    from .test_goodfellow2014 import _criterion_from_js_distance

    plt = pyplot()
    p_data = np.array([0.5, 0.3, 0.2, 0.0])
    p = np.array([0.0, 0.1, 0.2, 0.7])
    q = np.array([0.6, 0.3, 0.1, 0.0])
    lam = np.linspace(0.0, 1.0, 101)
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.4))
    for ax, (name, c) in zip(
        axes,
        (
            ("C = -log 4 + 2 JSD", lambda r: float(dv.virtual_criterion(p_data, r))),
            ("falsifier: -log 4 + 2 JSD^(1/2)", lambda r: _criterion_from_js_distance(p_data, r)),
        ),
        strict=True,
    ):
        values = [c(t * p + (1.0 - t) * q) for t in lam]
        chord = lam * c(p) + (1.0 - lam) * c(q)
        first = ax is axes[0]
        ax.plot(lam, values, color="black", lw=2, label="along the segment" if first else None)
        ax.plot(lam, chord, color="tab:blue", ls="--", label="chord" if first else None)
        ax.set(xlabel="lambda (p_g = lambda p + (1 - lambda) q)", ylabel="nats", title=name)
    finish(fig, path)


@in_style
def normal_oracles(path: Path) -> None:
    """The oracles against the quadrature of their definitions, along N(mu, 1.5) from N(0, 1)."""
    from divergences import reference

    from .test_normal_oracles import js_by_quadrature, kl_by_quadrature, w1_by_quadrature

    plt = pyplot()
    mus = np.linspace(-4.0, 4.0, 41)
    oracles = (
        ("KL (kl_normal)", reference.kl_normal, kl_by_quadrature, "tab:blue"),
        ("JSD (js_normal)", reference.js_normal, js_by_quadrature, "tab:green"),
        ("W1 (wasserstein1_normal)", reference.wasserstein1_normal, w1_by_quadrature, "black"),
    )
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, oracle, by_quadrature, colour in oracles:
        ax.plot(mus, [float(oracle(0.0, 1.0, m, 1.5)) for m in mus], color=colour, label=label)
        ax.plot(
            mus[::4],
            [by_quadrature(0.0, 1.0, m, 1.5) for m in mus[::4]],
            "o",
            color=colour,
            mfc="none",
        )
    ax.set(
        xlabel="mu (Q = N(mu, 1.5²), P = N(0, 1))",
        ylabel="nats / units of x",
        title="Oracles (lines) and the quadrature of their definitions (circles)",
    )
    finish(fig, path)


FIGURES: dict[str, Callable[[Path], None]] = {
    "pinsker.png": pinsker,
    "mirror_averaging.png": mirror_averaging,
    "criterion_convex.png": criterion_convex,
    "kl_asymmetric.png": kl_asymmetric,
    "data_processing.png": data_processing,
    "js_bounded.png": js_bounded,
    "js_two_routes.png": js_two_routes,
    "kl_nonnegative.png": kl_nonnegative,
    "kl_infinite.png": kl_infinite,
    "max_lemma.png": max_lemma,
    "saturating_gradient.png": saturating_gradient,
    "stale_discriminator.png": stale_discriminator,
    "global_minimum.png": global_minimum,
    "equilibrium_discriminator.png": equilibrium_discriminator,
    "envelope_gradient.png": envelope_gradient,
    "inverse_cdf.png": inverse_cdf,
    "inverse_cdf_jsd.png": inverse_cdf_jsd,
    "reparameterization.png": reparameterization,
    "mle_forward_kl.png": mle_forward_kl,
    "js_distance_metric.png": js_distance_metric,
    "fine_bins_saturate.png": fine_bins_saturate,
    "bias_order.png": bias_order,
    "chi_square_reference.png": chi_square_reference,
    "kl_bias.png": kl_bias,
    "gan_critic.png": gan_critic,
    "js_zero_iff_equal.png": js_zero_iff_equal,
    "js_symmetric.png": js_symmetric,
    "value_unbounded.png": value_unbounded,
    "discriminator_bound.png": discriminator_bound,
    "consistency.png": consistency,
    "normal_oracles.png": normal_oracles,
}

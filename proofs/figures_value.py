"""Figures of the claims on the library's own GAN functions and f-divergences.

``value_function.png`` (gan.value-function, gan.criterion-of-stacks),
``optimal_discriminator_broadcast.png`` (gan.optimal-discriminator-broadcast) and
``f_generator_sums.png`` (info.f-divergence-csiszar, info.f-generators-table) and
``discrete_definitions.png`` (info.tv-distance, info.hellinger-distance, info.cross-entropy,
info.entropy) and ``divergence_definitions.png`` (info.kl-divergence, info.js-divergence,
info.js-distance). Each is cheap to
draw and shows the library's result next to a route of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

import divergences as dv
from divergences.plotting import in_style

from ._drawing import finish, pyplot

LOG4 = math.log(4.0)


def _value_by_hand(p_row: np.ndarray, q_row: np.ndarray, d_row: np.ndarray) -> float:
    """V of one pair: the weights divided by their math.fsum, the terms summed with math.fsum."""
    p_sum, q_sum = math.fsum(p_row.tolist()), math.fsum(q_row.tolist())
    terms = [a / p_sum * math.log(d) for a, d in zip(p_row, d_row, strict=True) if a > 0]
    terms += [b / q_sum * math.log1p(-d) for b, d in zip(q_row, d_row, strict=True) if b > 0]
    return math.fsum(terms)


@in_style
def value_function(path: Path) -> None:
    """V(G, D) along D = sigmoid(lambda logit D*) for one p_data against a stack of three p_g."""
    plt = pyplot()
    p_data = np.array([4.0, 3.0, 2.0, 1.0, 0.5, 0.5])  # weights, not normalised
    p_g = np.array(
        [
            [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
            [0.2, 0.5, 1.0, 2.0, 3.0, 4.0],
            [3.8, 3.1, 2.0, 1.1, 0.4, 0.6],
        ]
    )
    logit_star = np.log(p_data / p_data.sum()) - np.log(p_g / p_g.sum(axis=1, keepdims=True))
    lambdas = np.linspace(0.0, 2.5, 101)
    values = np.array(
        [dv.gan_value_from_logits(p_data, p_g, lam * logit_star, normalize=True) for lam in lambdas]
    )
    criterion = dv.virtual_criterion(p_data, p_g, normalize=True)
    marks = lambdas[::10]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    colours = ["tab:blue", "tab:green", "tab:orange"]
    for row, colour in enumerate(colours):
        ax.plot(lambdas, values[:, row], color=colour, label=f"V, row {row} of p_g (library)")
        by_hand = [
            _value_by_hand(p_data, p_g[row], 1.0 / (1.0 + np.exp(-lam * logit_star[row])))
            for lam in marks
        ]
        ax.plot(marks, by_hand, "o", color=colour, mfc="none", label=f"row {row}: fsum by hand")
        ax.axhline(criterion[row], color=colour, ls="--", lw=0.8, label=f"C(G), row {row}")
    ax.axhline(-LOG4, color="black", ls=":", lw=0.8, label="-log 4")
    ax.axvline(1.0, color="grey", lw=0.6)
    ax.set(
        xlabel="lambda, with D = sigmoid(lambda * logit D*) (lambda = 1 is D*)",
        ylabel="V(G, D), nats",
        title="One p_data (weights) against three p_g: V per row, maximal at D*",
    )
    finish(fig, path, ncols=3)


@in_style
def optimal_discriminator_broadcast(path: Path) -> None:
    """D* of one p_data of shape (k,) against p_g of shape (m, k): an (m, k) image."""
    plt = pyplot()
    x = np.arange(8)
    p_data = np.array([0.0, 1.0, 3.0, 5.0, 3.0, 1.0, 0.5, 0.0])
    p_g = np.array([np.roll(p_data, shift) for shift in (0, 1, 2, 3)])
    d_star = dv.optimal_discriminator(p_data, p_g)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.8))
    left.plot(x, p_data, color="black", lw=2.5, label="p_data, shape (8,)")
    for row in range(p_g.shape[0]):
        left.plot(x, p_g[row], ls="--", label=f"p_g row {row} (shifted by {row})")
    left.set(xlabel="bin x", ylabel="density", title="one p_data, a stack of four p_g")
    image = right.imshow(d_star, cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto")
    right.set(
        xlabel="bin x",
        ylabel="row of p_g",
        yticks=range(p_g.shape[0]),
        title="D* = p_data / (p_data + p_g), shape (4, 8)",
    )
    fig.colorbar(image, ax=right, label="D*(x) (1/2 where both vanish)")
    finish(fig, path, ncols=3)


def _generator_sum(kind: str, p: np.ndarray, q: np.ndarray) -> float:
    """Sum over q_i > 0 of q_i f(p_i / q_i), with the generator as tabulated."""
    f = dv.F_DIVERGENCES[kind].generator
    inside = q > 0
    with np.errstate(all="ignore"):
        return math.fsum((q[inside] * f(p[inside] / q[inside])).tolist())


def _slope_at_infinity(kind: str) -> float:
    """f(u)/u at u = 1e12 and 1e24: +inf if it still grows, else the value at 1e24."""
    f = dv.F_DIVERGENCES[kind].generator
    with np.errstate(all="ignore"):
        near, far = (float(f(np.array(u))) / u for u in (1e12, 1e24))
    return math.inf if far - near > 1.0 else far


@in_style
def f_generator_sums(path: Path) -> None:
    """Every kind: f_divergence against the tabulated generator's sum, P or Q with a zero."""
    plt = pyplot()
    kinds = list(dv.F_DIVERGENCES)
    x = np.arange(len(kinds))
    full_q = (np.array([0.0, 0.3, 0.5, 0.2]), np.array([0.25, 0.25, 0.25, 0.25]))
    zero_q = (np.array([0.1, 0.3, 0.4, 0.2]), np.array([0.0, 0.3, 0.3, 0.4]))
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.2), sharey=True)
    titles = ("p_1 = 0 (the term q_1 f(0))", "q_1 = 0 (the term p_1 f'(inf))")
    for ax, (p, q), title in zip(axes, (full_q, zero_q), titles, strict=True):
        library = np.array([float(dv.f_divergence(p, q, kind)) for kind in kinds])
        over_q = np.array([_generator_sum(kind, p, q) for kind in kinds])
        mass_off = float(p[q == 0].sum())
        off = [mass_off * _slope_at_infinity(kind) if mass_off > 0 else 0.0 for kind in kinds]
        csiszar = over_q + np.array(off)
        shown = np.where(np.isfinite(library), library, np.nan)
        first = ax is axes[0]  # one legend entry for what both panels show
        ax.bar(x, shown, color="lightsteelblue", label="f_divergence (library)" if first else None)
        ax.plot(
            x,
            csiszar,
            "kx",
            ms=8,
            label="sum of q f(p/q) + p f'(inf), tabulated generators" if first else None,
        )
        if (q == 0).any():
            ax.plot(x, over_q, "o", color="tab:red", mfc="none", label="the sum over q > 0 only")
        for i in np.flatnonzero(~np.isfinite(library)):
            ax.annotate("inf", (x[i], 0.05), ha="center", color="tab:blue")
        ax.axhline(0.0, color="grey", lw=0.6)
        ax.set_xticks(x, kinds, rotation=45, ha="right")
        ax.set(xlabel="divergence of f-GAN's Table 1", title=title)
    axes[0].set(ylabel="D_f(P || Q), nats for the logarithmic ones")
    finish(fig, path, ncols=3)


def _by_hand(kind: str, p: np.ndarray, q: np.ndarray) -> float:
    """The defining sum of ``kind`` (math.fsum over the outcomes; bits for the logarithmic ones)."""
    pairs = list(zip(p.tolist(), q.tolist(), strict=True))
    if kind == "tv":
        return math.fsum(abs(a - b) for a, b in pairs) / 2
    if kind == "hellinger":
        return math.sqrt(math.fsum((math.sqrt(a) - math.sqrt(b)) ** 2 for a, b in pairs) / 2)
    if kind == "cross-entropy":
        if any(a > 0 and b == 0 for a, b in pairs):
            return math.inf
        return -math.fsum(a * math.log2(b) for a, b in pairs if a > 0)
    if kind == "kl":
        if any(a > 0 and b == 0 for a, b in pairs):
            return math.inf
        return math.fsum(a * math.log2(a / b) for a, b in pairs if a > 0)
    if kind in ("js", "js-distance"):
        half = [a / 2 * math.log2(2 * a / (a + b)) for a, b in pairs if a > 0]
        half += [b / 2 * math.log2(2 * b / (a + b)) for a, b in pairs if b > 0]
        return math.fsum(half) if kind == "js" else math.sqrt(math.fsum(half))
    return -math.fsum(a * math.log2(a) for a, _ in pairs if a > 0)


Panel = tuple[str, str, Callable[[np.ndarray], object]]


def _along_a_path(
    path: Path, panels: list[Panel], wrong: dict[str, tuple[str, Callable[[np.ndarray], object]]]
) -> None:
    """Each panel: the library along P_t, its defining sum at marks, one falsifier dashed."""
    plt = pyplot()
    ts = np.linspace(0.0, 1.0, 41)
    marks = ts[::4]
    paths = [(1.0 - t) * P0 + t * P1 for t in ts]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.25 * len(panels), 3.8))
    for ax, (kind, ylabel, library) in zip(axes, panels, strict=True):
        first = ax is axes[0]
        values = np.array([float(library(p)) for p in paths])  # type: ignore[arg-type]
        ax.plot(ts, values, color="tab:blue", label="library" if first else None)
        hand = [_by_hand(kind, (1.0 - t) * P0 + t * P1, Q) for t in marks]
        ax.plot(marks, hand, "kx", ms=7, label="defining sum, math.fsum" if first else None)
        name, falsifier = wrong[kind]
        shown = np.array([float(falsifier(p)) for p in paths])  # type: ignore[arg-type]
        finite = np.isfinite(shown)
        ax.plot(
            ts[finite],
            shown[finite],
            ls="--",
            color="tab:red",
            lw=1.0,
            label="a falsifier (named in each panel; +inf not drawn)" if first else None,
        )
        ax.set(
            xlabel="t, with P_t = (1 - t) P_0 + t P_1", ylabel=ylabel, title=f"falsifier: {name}"
        )
    finish(fig, path, ncols=3)


#: The path of P (both ends with an empty outcome) and the fixed Q of the definition figures.
P0 = np.array([0.6, 0.3, 0.1, 0.0])
P1 = np.array([0.0, 0.1, 0.3, 0.6])
Q = np.array([0.4, 0.3, 0.2, 0.1])


@in_style
def discrete_definitions(path: Path) -> None:
    """TV, Hellinger, cross-entropy and entropy along a path of P, library against the sums."""
    _along_a_path(
        path,
        [
            ("tv", "TV(P_t, Q) (unitless)", lambda p: dv.tv_distance(p, Q)),
            ("hellinger", "Hellinger(P_t, Q) (unitless)", lambda p: dv.hellinger_distance(p, Q)),
            ("cross-entropy", "H(P_t, Q), bits", lambda p: dv.cross_entropy(p, Q, base=2)),
            ("entropy", "H(P_t), bits", lambda p: dv.entropy(p, base=2)),
        ],
        {
            "tv": ("sum |p - q| (no half)", lambda p: 2 * dv.tv_distance(p, Q)),
            "hellinger": ("the squared distance", lambda p: dv.hellinger_distance(p, Q) ** 2),
            "cross-entropy": ("-sum q log2 p (swapped)", lambda p: dv.cross_entropy(Q, p, base=2)),
            "entropy": ("in nats (base ignored)", lambda p: dv.entropy(p)),
        },
    )


@in_style
def divergence_definitions(path: Path) -> None:
    """KL, JSD and the JS distance along the same path of P, library against the sums."""
    _along_a_path(
        path,
        [
            ("kl", "KL(P_t || Q), bits", lambda p: dv.kl_divergence(p, Q, base=2)),
            ("js", "JSD(P_t, Q), bits", lambda p: dv.js_divergence(p, Q, base=2)),
            (
                "js-distance",
                "JS distance (base 2, unitless)",
                lambda p: dv.js_distance(p, Q, base=2),
            ),
        ],
        {
            "kl": ("KL(Q || P_t) (swapped)", lambda p: dv.kl_divergence(Q, p, base=2)),
            "js": (
                "KL(P||M) + KL(Q||M) (halves dropped)",
                lambda p: 2 * dv.js_divergence(p, Q, base=2),
            ),
            "js-distance": ("no root taken", lambda p: dv.js_divergence(p, Q, base=2)),
        },
    )


FIGURES: dict[str, Callable[[Path], None]] = {
    "value_function.png": value_function,
    "optimal_discriminator_broadcast.png": optimal_discriminator_broadcast,
    "f_generator_sums.png": f_generator_sums,
    "discrete_definitions.png": discrete_definitions,
    "divergence_definitions.png": divergence_definitions,
}

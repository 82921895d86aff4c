"""Figures of the claims in proofs/test_estimator_paths_2.py.

``estimator_paths_batch_kl.png`` (estimate.batch-rows-kl): on the check's own seeded batch, the
library's answer (dots) next to the check's own route (squares) and falsifiers (crosses)
rejected by it. Cheap to draw (about a second).

The small helpers below are copies of the test module's (a test module registers its claims:
not imported here).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator
from scipy import stats

import divergences as dv
from divergences.plotting import in_style

from ._drawing import finish, pyplot

# --------------------------------------------------------------------------------------------
# estimate.batch-rows-kl
# --------------------------------------------------------------------------------------------


def _first_batch(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The first batch of batch_cases (proofs/test_estimator_paths.py): 8 pairs, 300 + 200."""
    loc = np.arange(8.0)[:, None]
    scale = 1.0 + 0.5 * np.arange(8.0)[:, None]
    x = loc + scale * rng.normal(0.0, 1.0, (8, 300))
    y = loc + 0.3 + scale * rng.standard_t(3.0, (8, 200))
    return x, y


def _batch_count(x: np.ndarray, y: np.ndarray, bins: Any, range_: Any) -> int:
    """As kl_batch_count: the integer, or the largest count numpy's rule gives any pair."""
    if isinstance(bins, int):
        return bins
    return max(
        np.histogram_bin_edges(np.concatenate([a, b]), bins, range_).size - 1
        for a, b in zip(x, y, strict=True)
    )


def _pair_counts(
    a: np.ndarray, b: np.ndarray, count: int, range_: Any
) -> tuple[np.ndarray, np.ndarray]:
    """As pair_counts: np.histogram's counts of one pair on its own edges (or the range)."""
    edges = np.histogram_bin_edges(np.concatenate([a, b]), count, range_)
    return np.histogram(a, edges)[0], np.histogram(b, edges)[0]


def _square(ax: Any, at: Any, values: Any, label: str | None) -> None:
    ax.plot(at, values, "s", mfc="none", ms=9, color="black", label=label)


def _dot(ax: Any, at: Any, values: Any, label: str | None, color: str = "tab:blue") -> None:
    ax.plot(at, values, "o", color=color, label=label)


def _cross(ax: Any, at: Any, values: Any, label: str | None, color: str = "tab:red") -> None:
    ax.plot(at, values, "x", ms=8, mew=1.8, color=color, label=label)


@in_style
def estimator_paths_batch_kl(path: Path) -> None:
    """estimate.batch-rows-kl: each pair's KL, off-support mass and dropped values, by route."""
    plt = pyplot()
    rng = np.random.default_rng(2005)  # the check's first batch: 8 pairs, rows of 300 and 200
    x, y = _first_batch(rng)
    pairs = np.arange(len(x))
    fig, (a, b, c) = plt.subplots(1, 3, figsize=(15, 4.2))

    # the KL: "fd" with pseudocount 0.5 (finite for every pair)
    count = _batch_count(x, y, "fd", None)
    counts = [_pair_counts(p, q, count, None) for p, q in zip(x, y, strict=True)]
    both = np.concatenate([x.ravel(), y.ravel()])
    span = (float(both.min()), float(both.max()))
    _square(
        a,
        pairs,
        [stats.entropy(cx + 0.5, cy + 0.5) for cx, cy in counts],
        "own route: the pair alone, np.histogram + scipy",
    )
    _dot(
        a,
        pairs,
        dv.kl_from_samples(x, y, bins="fd", pseudocount=0.5, axis=1).value,
        "library (axis=1)",
    )
    _cross(
        a,
        pairs,
        [
            stats.entropy(*(h + 0.5 for h in _pair_counts(p, q, count, span)))
            for p, q in zip(x, y, strict=True)
        ],
        "falsifier: one range for the whole batch",
    )
    _cross(
        a,
        pairs,
        [stats.entropy(cy + 0.5, cx + 0.5) for cx, cy in counts],
        "falsifier: arguments swapped (KL(Q||P))",
        color="tab:orange",
    )
    a.set(
        xlabel="pair (row of x and y)",
        ylabel="KL (nats)",
        title=f'KL per pair: bins="fd" ({count} bins), pseudocount 0.5',
    )

    # the off-support mass: the default bins ("wkv", read as "auto"), no pseudocount
    count = _batch_count(x, y, "auto", None)
    counts = [_pair_counts(p, q, count, None) for p, q in zip(x, y, strict=True)]
    r = dv.kl_from_samples(x, y, axis=1)
    _square(b, pairs, [cx[cy == 0].sum() / cx.sum() for cx, cy in counts], None)
    _dot(b, pairs, r.off_support_mass, None)
    _cross(
        b,
        pairs,
        [cy[cx == 0].sum() / cy.sum() for cx, cy in counts],
        "falsifier: y's values in bins where x has none",
        color="tab:purple",
    )
    b.set(
        xlabel="pair (row of x and y)",
        ylabel="off_support_mass (fraction of x's values)",
        title=f"x's mass where y has none: default bins ({count} bins)",
    )

    # the values dropped outside a range: 12 bins in (-1, 6)
    range_ = (-1.0, 6.0)
    counts = [_pair_counts(p, q, 12, range_) for p, q in zip(x, y, strict=True)]
    h = dv.kl_from_samples(x, y, bins=12, range=range_, axis=1).histogram
    _square(c, pairs, [p.size - cx.sum() for p, (cx, _) in zip(x, counts, strict=True)], None)
    _square(c, pairs, [q.size - cy.sum() for q, (_, cy) in zip(y, counts, strict=True)], None)
    _dot(c, pairs, h.dropped_x, "library: dropped_x")
    _dot(c, pairs, h.dropped_y, "library: dropped_y", color="tab:green")
    _cross(c, pairs, np.zeros(len(pairs)), "falsifier: clipped into the end bins (0 dropped)")
    c.yaxis.set_major_locator(MaxNLocator(integer=True))
    c.set(
        xlabel="pair (row of x and y)",
        ylabel="values outside the range (count)",
        title=f"dropped_x, dropped_y: 12 bins in {range_}",
    )
    for ax in (a, b, c):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(
        "estimate.batch-rows-kl: kl_from_samples(x, y, axis=1) against numpy + scipy, pair by pair"
    )
    finish(fig, path, ncols=4)


FIGURES: dict[str, Callable[[Path], None]] = {
    "estimator_paths_batch_kl.png": estimator_paths_batch_kl,
}

"""Divergences between probability vectors, ours against scipy, single vectors and batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import divergences as dv

from .core import Config, Result, case, interleaved


def _pmf(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    p = rng.random(shape)
    return p / p.sum(axis=-1, keepdims=True)


@case("discrete")
def discrete(config: Config) -> Result:
    """KL, JSD and entropy on single vectors of k outcomes and on a batch of 1000 x 100."""
    from scipy import special, stats
    from scipy.spatial.distance import jensenshannon

    out = Result("discrete")
    rng = np.random.default_rng(2)
    cases: list[tuple[str, np.ndarray, np.ndarray]] = [
        (f"k = {k}", _pmf(rng, (k,)), _pmf(rng, (k,))) for k in config.discrete_sizes
    ]
    cases.append(("batch 1000 x 100", _pmf(rng, (1000, 100)), _pmf(rng, (1000, 100))))
    ratios = []
    for name, p, q in cases:
        runs: dict[str, Callable[[], Any]] = {
            f"ours kl_divergence, {name}": lambda p=p, q=q: dv.kl_divergence(p, q),
            f"scipy.stats.entropy(p, q), {name}": lambda p=p, q=q: stats.entropy(p, q, axis=-1),
            f"scipy rel_entr(p, q).sum(), {name}": lambda p=p, q=q: special.rel_entr(p, q).sum(-1),
            f"ours js_divergence, {name}": lambda p=p, q=q: dv.js_divergence(p, q),
            f"scipy jensenshannon**2, {name}": lambda p=p, q=q: jensenshannon(p, q, axis=-1) ** 2,
            f"ours entropy, {name}": lambda p=p: dv.entropy(p),
            f"scipy.stats.entropy(p), {name}": lambda p=p: stats.entropy(p, axis=-1),
        }
        # single small vectors: many repeats (their medians need them, and they are cheap)
        small = 200 if p.size <= 1_000 else 20 if p.size < 100_000 else 5
        timings = interleaved(runs, max(config.repeats, small))
        for label, timing in timings.items():
            out.add(label, timing, p.size)

        def ratio(ours: str, theirs: str, t: dict[str, Any] = timings, n: str = name) -> float:
            return float(t[f"{theirs}, {n}"].median / t[f"{ours}, {n}"].median)

        row = (
            name,
            ratio("ours kl_divergence", "scipy.stats.entropy(p, q)"),
            ratio("ours js_divergence", "scipy jensenshannon**2"),
            ratio("ours entropy", "scipy.stats.entropy(p)"),
        )
        ratios.append(row)
        out.notes.append(
            f"{name}: speed-up over scipy — KL {row[1]:.1f}x (entropy(p, q)), JSD {row[2]:.1f}x, "
            f"entropy {row[3]:.1f}x"
        )
    out.series = {"speedups": ratios}
    return out

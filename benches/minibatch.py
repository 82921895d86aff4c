"""Where research code calls the library: minibatch-sized samples with the default arguments.

Each row times ``js_from_samples(x, y)`` (and ``kl_from_samples``) exactly as a training loop
calls it — default ``bins="auto"``, nothing else — against the numpy + scipy pipeline a user
would write for the same rule: ``np.histogram_bin_edges`` on the pooled sample, two
``np.histogram`` calls, ``jensenshannon(p, q) ** 2``; for KL, whose default bins are the
Wang-Kulkarni-Verdú partition, ``np.quantile`` of y, two ``np.histogram`` calls and
``scipy.stats.entropy(p, q)``.
Both give the same bins (tests/test_fused.py); medians of interleaved repeats, same run.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

import divergences as dv

from .core import Config, Result, case, interleaved, samples


def pipeline_js(x: np.ndarray, y: np.ndarray) -> float:
    """What a user writes for the JSD with numpy's default rule."""
    from scipy.spatial.distance import jensenshannon

    edges = np.histogram_bin_edges(np.concatenate((x, y)), "auto")
    p = np.histogram(x, edges)[0]
    q = np.histogram(y, edges)[0]
    return float(jensenshannon(p, q) ** 2)


def pipeline_kl(x: np.ndarray, y: np.ndarray) -> float:
    """What a user writes for KL on the default partition (equal y-count bins, WKV)."""
    from scipy.stats import entropy

    k = math.ceil(math.sqrt(y.size))
    edges = np.quantile(y, np.linspace(0.0, 1.0, k + 1))
    edges[0], edges[-1] = min(edges[0], x.min()), max(edges[-1], x.max())
    return float(entropy(np.histogram(x, edges)[0], np.histogram(y, edges)[0]))


def _repeats(config: Config, n: int) -> int:
    """More repeats for the cheap small calls (their medians need them), fewer for huge ones."""
    if n <= 16_384:
        return max(config.repeats, 200)
    if n <= 1_000_000:
        return max(config.repeats, 15)
    return config.repeats


@case("minibatch")
def minibatch(config: Config) -> Result:
    """js/kl_from_samples with default arguments, n per side, against the numpy + scipy pipeline."""
    out = Result("minibatch")
    sweep = []
    for n in config.minibatch_sizes:
        x, y = samples(n, seed=n)
        # the same bins, so the same value up to the pipeline's sqrt and square
        assert np.isclose(dv.js_from_samples(x, y).value, pipeline_js(x, y), rtol=1e-9)
        runs: dict[str, Callable[[], Any]] = {
            f"ours js_from_samples(x, y), n = {n:,}": lambda x=x, y=y: dv.js_from_samples(x, y),
            f"pipeline JS, n = {n:,}": lambda x=x, y=y: pipeline_js(x, y),
            f"ours kl_from_samples(x, y), n = {n:,}": lambda x=x, y=y: dv.kl_from_samples(x, y),
            f"pipeline KL, n = {n:,}": lambda x=x, y=y: pipeline_kl(x, y),
        }
        timings = interleaved(runs, _repeats(config, n))
        for label, timing in timings.items():
            out.add(label, timing, 2 * n)
        js = [
            timings[f"{w}, n = {n:,}"].median for w in ("ours js_from_samples(x, y)", "pipeline JS")
        ]
        kl = [
            timings[f"{w}, n = {n:,}"].median for w in ("ours kl_from_samples(x, y)", "pipeline KL")
        ]
        sweep.append((n, js[0], js[1], kl[0], kl[1]))
        out.notes.append(
            f"n = {n:,} per side: JS {js[0] * 1e6:,.1f} us, {js[1] / js[0]:.1f}x the pipeline; "
            f"KL {kl[0] * 1e6:,.1f} us, {kl[1] / kl[0]:.1f}x"
        )
    out.series = {"sweep": sweep}
    return out

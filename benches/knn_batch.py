"""``knn-batch`` and ``knn-large``: the kNN estimators' speed on many small pairs and one large.

``knn-batch``: issue 17's target is a batch of 1000 pairs of 200 + 200 points in 2-D in under a
second. The loop is what a user writes without the batch function; both give the same numbers
(checked here on every run, besides tests/test_knn_batch.py).

``knn-large``: ``js_knn`` and ``kl_knn`` on 10,000 + 10,000 points in 8-D (issue 17's target:
JSD under 0.2 s), against the same estimators on scipy's default k-d tree (leaves of 16 points,
queries on one thread), which is what they ran on before the tree was tuned and what a user's
own cKDTree code gets; ``js_knn`` also against its own tuned trees, the route it takes for
unequal sizes or beyond the one-pass kernel's sizes. The values agree (checked on every run:
the same for kl_knn; for js_knn to the last bits of the distances, which cKDTree sums in
another order from 8 coordinates on).
"""

from __future__ import annotations

import contextlib
from unittest import mock

import numpy as np

import divergences as dv
from divergences import knn

from .core import Config, Result, case, interleaved

#: Points per sample and dimension of the headline batch
N_POINTS = 200
DIMENSION = 2


@case("knn-batch")
def knn_batch(config: Config) -> Result:
    """js_knn_batch of many 200-point 2-D pairs against a Python loop of js_knn."""
    # imported here: importing speed at the top would register its cases before minibatch's
    from .speed import ALL, threads

    rng = np.random.default_rng(17)
    shape = (config.batch_pairs, N_POINTS, DIMENSION)
    x, y = rng.normal(0, 1, shape), rng.normal(0.5, 1.2, shape)
    out = Result("knn-batch")

    def ours(n_threads: int):
        def run() -> np.ndarray:
            with threads(n_threads):
                return dv.js_knn_batch(x, y)

        return run

    def loop() -> np.ndarray:
        return np.array([float(dv.js_knn(a, b)) for a, b in zip(x, y, strict=True)])

    label = f"ours: one call, {config.batch_pairs} pairs x {N_POINTS} points x {DIMENSION}-D"
    runs = {f"{label}, 1 thread": ours(1), f"ours: one call, {ALL} threads": ours(ALL)}
    runs["js_knn in a Python loop"] = loop
    timings = interleaved(runs, config.repeats)
    for name, timing in timings.items():
        out.add(name, timing, 2 * x.size // DIMENSION)
    worst = float(np.max(np.abs(ours(1)() - loop())))
    one, loop_time = timings[f"{label}, 1 thread"].median, timings["js_knn in a Python loop"].median
    out.notes.append(
        f"speed-up over the Python loop: {loop_time / one:.1f}x on 1 thread, "
        f"{loop_time / timings[f'ours: one call, {ALL} threads'].median:.1f}x on {ALL}; "
        f"largest difference from the loop's values {worst:.1e} nats"
    )
    return out


#: Dimension of knn-large
LARGE_DIMENSION = 8


@case("knn-large")
def knn_large(config: Config) -> Result:
    """js_knn and kl_knn on two large 8-D samples against scipy's default tree (and our trees)."""
    from .speed import ALL, threads

    rng = np.random.default_rng(8)
    shape = (config.knn_large_n, LARGE_DIMENSION)
    x, y = rng.normal(0, 1, shape), rng.normal(0.5, 1.2, shape)
    out = Result("knn-large")
    leaves = knn.leaf_size(LARGE_DIMENSION)

    def run(estimator, n_threads: int, leaf: int | None = None, one_pass: bool = True):
        def call() -> float:
            with contextlib.ExitStack() as stack:
                stack.enter_context(threads(n_threads))
                if leaf is not None:
                    stack.enter_context(mock.patch.object(knn, "leaf_size", return_value=leaf))
                if not one_pass:
                    stack.enter_context(mock.patch.object(knn, "_pair_brute", return_value=False))
                return float(estimator(x, y))

        return call

    default = "scipy's default tree (leaves of 16, 1 thread)"
    runs = {
        f"js_knn: {default}": run(dv.js_knn, 1, leaf=16, one_pass=False),
        f"js_knn: our trees (leaves of {leaves}, {ALL} threads)": run(dv.js_knn, ALL, None, False),
        "js_knn: ours, one pass (1 thread)": run(dv.js_knn, 1),
        f"js_knn: ours, one pass ({ALL} threads)": run(dv.js_knn, ALL),
        f"kl_knn: {default}": run(dv.kl_knn, 1, leaf=16),
        f"kl_knn: ours (leaves of {leaves}, {ALL} threads)": run(dv.kl_knn, ALL),
    }
    values = {label: call() for label, call in runs.items()}
    timings = interleaved(runs, config.repeats)
    for label, timing in timings.items():
        out.add(label, timing, 2 * config.knn_large_n)
    median = {label: timing.median for label, timing in timings.items()}
    size = f"{config.knn_large_n} + {config.knn_large_n} points in {LARGE_DIMENSION}-D"
    labels = list(runs)
    js = [values[label] for label in labels[:4]]
    # cKDTree sums the squares of 8 or more coordinates in another order: the last bits differ
    spread = max(abs(v - js[0]) for v in js) / abs(js[0])
    out.notes.append(
        f"js_knn, {size}: {median[labels[3]]:.3f} s on {ALL} threads "
        f"({median[labels[2]]:.3f} s on 1), {median[labels[0]] / median[labels[3]]:.2f}x the "
        f"default tree and {median[labels[1]] / median[labels[3]]:.2f}x our trees; the four "
        f"values agree to {spread:.1e} (relative)"
    )
    out.notes.append(
        f"kl_knn, {size}: {median[labels[5]]:.3f} s, "
        f"{median[labels[4]] / median[labels[5]]:.2f}x the default tree; "
        f"same value: {values[labels[4]] == values[labels[5]]}"
    )
    return out

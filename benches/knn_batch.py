"""``knn-batch`` and ``knn-large``: the kNN estimators' speed on many small pairs and one large.

``knn-batch``: issue 17's target is a batch of 1000 pairs of 200 + 200 points in 2-D in under a
second. The loop is what a user writes without the batch function; both give the same numbers
(checked here on every run, besides tests/test_knn_batch.py).

``knn-large``: ``js_knn`` and ``kl_knn`` on 10,000 + 10,000 points in 8-D (issue 17's target:
JSD under 0.2 s), against the same estimators on scipy's default k-d tree (leaves of 16 points,
queries on one thread), which is what they ran on before the tree was tuned and what a user's
own cKDTree code gets; the values are the same (checked on every run).
"""

from __future__ import annotations

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
    """js_knn and kl_knn on two large 8-D samples: tuned tree against scipy's default tree."""
    from .speed import ALL, threads

    rng = np.random.default_rng(8)
    shape = (config.knn_large_n, LARGE_DIMENSION)
    x, y = rng.normal(0, 1, shape), rng.normal(0.5, 1.2, shape)
    out = Result("knn-large")
    runs, values = {}, {}
    for name, estimator in (("js_knn", dv.js_knn), ("kl_knn", dv.kl_knn)):

        def tuned(estimator=estimator) -> float:
            with threads(ALL):
                return float(estimator(x, y))

        def default_tree(estimator=estimator) -> float:
            with threads(1), mock.patch.object(knn, "leaf_size", return_value=16):
                return float(estimator(x, y))

        runs[f"{name}: scipy's default tree (leaves of 16, 1 thread)"] = default_tree
        runs[f"{name}: ours (leaves of {knn.leaf_size(LARGE_DIMENSION)}, {ALL} threads)"] = tuned
        values[name] = (tuned(), default_tree())
    timings = interleaved(runs, config.repeats)
    for label, timing in timings.items():
        out.add(label, timing, 2 * config.knn_large_n)
    labels = list(timings)
    for i, name in enumerate(values):
        base, ours = timings[labels[2 * i]].median, timings[labels[2 * i + 1]].median
        same = values[name][0] == values[name][1]
        out.notes.append(
            f"{name}, {config.knn_large_n} + {config.knn_large_n} points in {LARGE_DIMENSION}-D: "
            f"{ours:.3f} s, {base / ours:.2f}x the default tree; same value: {same}"
        )
    return out

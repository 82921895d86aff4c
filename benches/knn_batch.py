"""``knn-batch``: many small kNN JSD estimates in one call against a Python loop of js_knn.

Issue 17's target: a batch of 1000 pairs of 200 + 200 points in 2-D in under a second. The
loop is what a user writes without the batch function; both give the same numbers (checked
here on every run, besides tests/test_knn_batch.py).
"""

from __future__ import annotations

import numpy as np

import divergences as dv

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

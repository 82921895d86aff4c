"""The twins built by one body (serial and parallel) each load from numba's on-disk cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CODE = """
import numpy as np
from divergences import _kernels
cx = np.ones((3, 4), np.int64); cy = np.ones((3, 4), np.int64)
_kernels.counts._js_rows(cx, cy)
_kernels.counts._js_rows_parallel(cx, cy)
twins = (_kernels.counts._js_rows, _kernels.counts._js_rows_parallel)
hits = [sum(f.stats.cache_hits.values()) for f in twins]
misses = [sum(f.stats.cache_misses.values()) for f in twins]
print(*hits, *misses)
print(*(f.py_func.__qualname__ for f in twins))
"""


def _run() -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    return out.stdout.split("\n")


def test_serial_and_parallel_twins_hit_their_own_cache_in_a_fresh_process():
    _run()  # compile (or load) both once, so the cache holds them
    counts, names = _run()[:2]
    assert names.split() == ["_js_rows_body", "_js_rows_body_parallel"]
    # each dispatcher found its own entry: a hit per variant, no miss (no recompilation)
    assert [int(v) for v in counts.split()] == [1, 1, 0, 0], counts

"""Independent tasks of the proof checker (audits, figures) in spawned worker processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity on Linux), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def ordered_map(
    function: Callable[..., Any], items: list[Any], jobs: int | None, *args: Any
) -> Iterator[Any]:
    """``function(item, *args)`` for each item, in order, in ``jobs`` worker processes.

    ``jobs`` None means one per usable CPU; with one worker (or one item) everything runs in
    this process. Workers are spawned (not forked: numba's threads and caches stay out of
    them), so ``function`` must be a top-level function of an importable module. Leaving the
    iteration early cancels the tasks not yet started.
    """
    workers = worker_count(len(items), jobs)
    if workers <= 1:
        yield from (function(item, *args) for item in items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield from pool.map(function, items, *([arg] * len(items) for arg in args))
    finally:
        pool.shutdown(cancel_futures=True)


def worker_count(n_items: int, jobs: int | None) -> int:
    """How many processes :func:`ordered_map` uses for ``n_items`` tasks and ``jobs``."""
    return max(1, min(jobs or usable_cpus(), n_items))

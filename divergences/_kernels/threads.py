"""When the parallel kernels run: the thread policy. Plain Python, asked before a kernel call."""

from __future__ import annotations

import os
import threading

import numba

#: When the parallel kernels may run: "auto" (when the machine has an idle core besides the
#: caller's), "always" or "never"; from the environment variable DIVERGENCES_PARALLEL.
PARALLEL_POLICY = os.environ.get("DIVERGENCES_PARALLEL", "auto")


def thread_count() -> int:
    """Threads the parallel kernels may use now: numba's thread count, or 1 on a busy machine.

    numba's parallel loops hand each thread a fixed share of the work, so one thread slowed by
    another process holds up the whole call: on a 2-core machine with a competing process the
    parallel binning ran at a quarter of the serial speed (docs/benchmarks.md). Under the
    "auto" policy the parallel kernels are used only while the 1-minute load average leaves at
    least one core idle besides the caller's, so a busy machine gets the serial kernels and is
    never slower than one thread. Under numba's workqueue threading layer, which is not
    thread-safe, only the main thread runs parallel kernels (even with "always"). Asked from
    Python: called inside a jitted function it would
    make that function uncacheable.
    """
    threads = int(numba.get_num_threads())
    if threads >= 2 and _workqueue_elsewhere():
        return 1
    if threads < 2 or PARALLEL_POLICY == "always":
        return threads
    if PARALLEL_POLICY == "never":
        return 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform: trust numba's count
        return threads
    idle = (os.cpu_count() or 1) - busy
    return threads if idle >= 1.0 else 1


#: Below this much work (pairs x values, or pairs x bins) row kernels run serially: a parallel
#: launch costs ~10-20 us, and a single pair has nothing to share out. Measured on 1000 pairs x
#: 32 bins (32,000 terms): the counts -> JSD pass went from 0.85 ms to ~0.45 ms on 2 threads.
PARALLEL_MIN_ROW_WORK = 1 << 14


def _rows_in_parallel(n_rows: int, work: int) -> bool:
    return n_rows >= 2 and work >= PARALLEL_MIN_ROW_WORK and thread_count() >= 2


def _workqueue_elsewhere() -> bool:
    """Whether this is a non-main thread under (possibly) numba's workqueue threading layer.

    The workqueue layer is not thread-safe: two threads launching parallel kernels at once
    abort the process. Parallel kernels then run from the main thread only; other threads
    (a streaming worker, dask's threaded scheduler) take the serial ones. The layer is known
    once a parallel kernel has run; before that, "default" may still resolve to workqueue.
    """
    if threading.current_thread() is threading.main_thread():
        return False
    requested = str(getattr(numba.config, "THREADING_LAYER", "default"))
    if requested == "workqueue":
        return True
    try:
        layer = numba.np.ufunc.parallel.threading_layer()  # type: ignore[no-untyped-call]
        return bool(layer == "workqueue")
    except ValueError:  # no parallel kernel has run yet: the layer is not chosen
        return requested == "default"

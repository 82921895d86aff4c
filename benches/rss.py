"""Peak resident memory of this process, measured so that a parent's memory does not leak in.

``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is the wrong tool in a child process: Linux
carries the peak of the forked copy of the parent over ``exec``, so a child started from a
runner that holds 2 GB of arrays reports a 2 GB peak before it allocates anything, and any
growth below that reads as 0. ``/proc/self/status`` ``VmHWM`` belongs to the current address
space only, and writing ``5`` to ``/proc/self/clear_refs`` resets it to the current resident
size (Linux >= 4.0), so the peak of one call can be measured on its own. Elsewhere both fall
back to ``ru_maxrss``.
"""

from __future__ import annotations

import resource
import sys


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _maxrss_kib() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS reports bytes


def peak_mib() -> float:
    """Peak resident memory of this address space (since the last :func:`reset_peak`), MiB."""
    kib = _status_kib("VmHWM")
    return (kib if kib is not None else _maxrss_kib()) / 1024


def reset_peak() -> float:
    """Reset the peak to the current resident size where the OS allows it; return that, MiB.

    Where it cannot be reset, returns the peak so far, so ``peak_mib() - reset_peak()``
    misses growth that stays below an earlier peak (it is then a lower bound).
    """
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return peak_mib()
    kib = _status_kib("VmRSS")
    return (kib if kib is not None else _maxrss_kib()) / 1024

"""The fused kernels' module (:mod:`divergences._kernels_fused`), loaded on first use.

numba costs 0.3 s to import, so no kernel module is imported with the package. The getter is
safe from any thread: the first callers wait on one lock while the module compiles or loads
from numba's cache; later calls read a global.
"""

from __future__ import annotations

import threading
from typing import Any

_MODULE: Any = None
_LOCK = threading.Lock()


def fused_kernels() -> Any:
    """The fused kernels' module, compiled (or loaded from numba's cache) on first use."""
    global _MODULE
    if _MODULE is None:
        with _LOCK:
            if _MODULE is None:
                from . import _kernels_fused

                _MODULE = _kernels_fused
    return _MODULE

"""One body, two compiled variants: a loop over independent rows, serial and in parallel."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, TypeVar, cast

from numba import njit

F = TypeVar("F", bound=Callable[..., Any])


def serial_and_parallel(function: F) -> tuple[F, F]:
    """``function`` compiled twice: serially, and with its ``prange`` loop spread over threads.

    The body is written once with ``numba.prange`` over rows that write only their own outputs;
    without ``parallel=True`` numba runs ``prange`` as ``range``. The parallel variant compiles
    a copy of the function renamed ``<name>_parallel``: numba's on-disk cache names its files
    after the function's qualified name and first line, so two dispatchers of one function
    object would share (and overwrite) one cache index. With distinct names each variant loads
    from its own cache file in a fresh process (tests/test_kernels_cache.py).
    """
    serial = njit(cache=True)(function)
    twin = types.FunctionType(
        function.__code__,
        function.__globals__,
        f"{function.__name__}_parallel",
        function.__defaults__,
        function.__closure__,
    )
    twin.__qualname__ = f"{function.__qualname__}_parallel"
    twin.__doc__ = function.__doc__
    twin.__module__ = function.__module__
    parallel = njit(cache=True, parallel=True)(twin)
    return cast(F, serial), cast(F, parallel)

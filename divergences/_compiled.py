"""The numba-compiled code of the library, loaded on first use, safely from any thread.

``import divergences`` must stay fast (numba alone takes 0.3 s to import), so the kernel modules
(:mod:`divergences._kernels`, :mod:`divergences._kernels_fused`) are imported the first time a
public function reads an attribute here. The first readers wait on one lock while the kernels
load (from numba's on-disk cache, or compile); afterwards every kernel is a plain global of
this module, so a lookup costs what any module attribute costs.

This replaces ``importlib.util.LazyLoader``, which is not thread-safe on Python 3.11/3.12:
several threads making their first call at once saw a half-initialised module
(``AttributeError``), e.g. dask's threaded scheduler on its first task. tests/test_threads.py
races 16 threads, the threaded scheduler and a multi-threaded LocalCluster on a fresh process.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the type checker reads the kernels' signatures; nothing is imported at run time
    from ._kernels import *  # noqa: F403
    from ._kernels_fused import *  # noqa: F403

#: The modules whose public and private kernels this namespace exposes, in load order.
KERNEL_MODULES = ("divergences._kernels", "divergences._kernels_fused")

_LOCK = threading.Lock()
_LOADED = False


def load() -> None:
    """Import the kernel modules (once) and expose their names here."""
    global _LOADED
    with _LOCK:
        if _LOADED:
            return
        names: dict[str, Any] = {}
        for module_name in KERNEL_MODULES:
            module = importlib.import_module(module_name)
            names.update((k, v) for k, v in vars(module).items() if not k.startswith("__"))
        # every kernel becomes a global before _LOADED says so; a reader that arrives in
        # between finds the name, or waits on the lock
        globals().update({k: v for k, v in names.items() if k not in _OWN})
        _LOADED = True


def __getattr__(name: str) -> Any:
    """Load the kernels on the first read of a name this module does not hold yet."""
    if name.startswith("__"):  # import machinery, doctest and inspect probe dunders
        raise AttributeError(name)
    load()
    try:
        return globals()[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no kernel {name!r}") from None


_OWN = frozenset(globals()) | {"_OWN"}

"""A module namespace that imports its numba kernels on first use, safely from any thread.

``import divergences`` must stay fast (numba alone takes 0.3 s to import), so kernel modules are
imported the first time a function reads a name from a lazy namespace (:mod:`divergences._compiled`
for the library, :mod:`divergences.trainer._compiled` for the trainer). The first readers wait
on one lock while the kernels load (from numba's on-disk cache, or compile); afterwards every
kernel is a plain global of the namespace module, so a lookup costs what any module attribute
costs.

This replaces ``importlib.util.LazyLoader``, which is not thread-safe on Python 3.11/3.12:
several threads making their first call at once saw a half-initialised module
(``AttributeError``), e.g. dask's threaded scheduler on its first task. tests/test_threads.py
races 16 threads, the threaded scheduler and a multi-threaded LocalCluster in a fresh process.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any


def lazy_namespace(
    namespace: dict[str, Any], modules: tuple[str, ...]
) -> tuple[Callable[[], None], Callable[[str], Any]]:
    """``(load, __getattr__)`` for the module whose globals are ``namespace``.

    ``load()`` imports ``modules`` once and copies their names (not the dunders, not the
    module's own names) into ``namespace``; ``__getattr__`` (PEP 562) calls it on the first
    read of a name the module does not hold yet.
    """
    lock = threading.Lock()
    own = frozenset(namespace) | {"load", "__getattr__"}
    state = {"loaded": False}

    def load() -> None:
        with lock:
            if state["loaded"]:
                return
            names: dict[str, Any] = {}
            for module_name in modules:
                module = importlib.import_module(module_name)
                names.update((k, v) for k, v in vars(module).items() if not k.startswith("__"))
            # every kernel becomes a global before "loaded" says so; a reader arriving in
            # between finds the name, or waits on the lock
            namespace.update({k: v for k, v in names.items() if k not in own})
            state["loaded"] = True

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):  # import machinery, doctest and inspect probe dunders
            raise AttributeError(name)
        load()
        try:
            return namespace[name]
        except KeyError:
            raise AttributeError(
                f"module {namespace['__name__']!r} has no kernel {name!r}"
            ) from None

    return load, __getattr__

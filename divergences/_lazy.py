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

import hashlib
import importlib
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

#: The digest of the kernels' sources their in-tree numba cache was built from, in that cache.
STAMP = "divergences-kernel-sources.sha256"


def refresh_cache(sources: Iterable[Path]) -> bool:
    """Delete numba's in-tree cache of these kernel sources if any of them changed since.

    numba keys a cached kernel by its own file's time stamp only, so a kernel that inlines a
    function from another file keeps the old code after that file is edited (numba issue
    #1833; its documentation lists the limitation). In a clone or an editable install that is a
    silently wrong kernel after a ``git pull``. So the digest of all the sources is kept
    beside numba's cache files (``__pycache__`` of each source's directory), and where it
    differs the cache files of those sources are deleted before the kernels load: they then
    compile once. A read-only install (nothing is edited in place; numba caches elsewhere)
    is left alone. Safe against a concurrent load: numba treats a vanished cache file as a
    miss. True if the cache was cleared.
    """
    paths = sorted(sources)
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    token = digest.hexdigest()
    cache_dirs = sorted({path.parent / "__pycache__" for path in paths})
    try:
        if all((d / STAMP).read_text(encoding="ascii") == token for d in cache_dirs):
            return False
    except OSError:
        pass  # no stamp yet: a fresh checkout, or a cache from before the stamp
    cleared = False
    for cache_dir in cache_dirs:
        stems = {path.stem for path in paths if path.parent / "__pycache__" == cache_dir}
        try:
            cache_dir.mkdir(exist_ok=True)
            for entry in cache_dir.iterdir():
                if entry.suffix in (".nbi", ".nbc") and entry.name.split(".")[0] in stems:
                    entry.unlink(missing_ok=True)
                    cleared = True
            partial = cache_dir / f"{STAMP}.{os.getpid()}.{threading.get_ident()}"
            partial.write_text(token, encoding="ascii")
            os.replace(partial, cache_dir / STAMP)
        except OSError:
            continue  # not writable: numba cannot write its cache here either
    return cleared


def lazy_namespace(
    namespace: dict[str, Any], modules: tuple[str, ...], sources: tuple[Path, ...] = ()
) -> tuple[Callable[[], None], Callable[[str], Any]]:
    """``(load, __getattr__)`` for the module whose globals are ``namespace``.

    ``load()`` imports ``modules`` once and copies their names (not the dunders, not the
    module's own names) into ``namespace``; ``__getattr__`` (PEP 562) calls it on the first
    read of a name the module does not hold yet. ``sources`` are the files the kernels are
    compiled from: their cache is refreshed first (:func:`refresh_cache`).
    """
    lock = threading.Lock()
    own = frozenset(namespace) | {"load", "__getattr__"}
    state = {"loaded": False}

    def load() -> None:
        with lock:
            if state["loaded"]:
                return
            if sources:
                refresh_cache(sources)
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

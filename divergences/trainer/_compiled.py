"""The trainer's numba engine (:mod:`divergences.trainer._engine_kernels`), loaded on first use.

``import divergences.trainer`` does not import numba; the first call of the numba engine
does, safely from any thread (:mod:`divergences._lazy`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .._lazy import lazy_namespace

if TYPE_CHECKING:  # the type checker reads the kernels' signatures; nothing is imported at run time
    from ._engine_kernels import *  # noqa: F403

KERNEL_MODULES = ("divergences.trainer._engine_kernels",)
#: What the engine is compiled from: its kernels and the constants they read from layers.py.
KERNEL_SOURCES = (Path(__file__).parent / "_engine_kernels.py", Path(__file__).parent / "layers.py")

load, __getattr__ = lazy_namespace(globals(), KERNEL_MODULES, KERNEL_SOURCES)

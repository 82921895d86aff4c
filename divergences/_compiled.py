"""The library's numba kernels (:mod:`divergences._kernels`), loaded on first use.

Every module reads kernels as ``_compiled.<name>``; nothing imports
:mod:`divergences._kernels` directly, so ``import divergences`` does not import numba.
Thread-safe: see :mod:`divergences._lazy`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ._lazy import lazy_namespace

if TYPE_CHECKING:  # the type checker reads the kernels' signatures; nothing is imported at run time
    from ._kernels import *  # noqa: F403

KERNEL_MODULES = ("divergences._kernels",)
#: What the kernels are compiled from: the package and the layout constants it imports.
KERNEL_SOURCES = (
    *sorted((Path(__file__).parent / "_kernels").glob("*.py")),
    Path(__file__).parent / "_extended.py",
)

load, __getattr__ = lazy_namespace(globals(), KERNEL_MODULES, KERNEL_SOURCES)

"""The trainer's seeded experiments, each run once per process.

The experiments of :mod:`divergences.trainer.experiments` and :mod:`divergences.trainer.transform`
are deterministic in their arguments
and take seconds each. The proof checks and ``tests/test_trainer_experiments.py`` read the same
runs, so one pytest session pays for each run once: call :func:`experiment` with the function's
name and its arguments (hashable ones) instead of calling the function.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def experiment(name: str, *args: Any, **kwargs: Any) -> Any:
    """The experiment function ``name`` called with these arguments, computed once per process."""
    from divergences.trainer import experiments, transform

    for module in (experiments, transform):
        if name in module.__all__:
            return getattr(module, name)(*args, **kwargs)
    raise KeyError(f"no trainer experiment named {name!r}")

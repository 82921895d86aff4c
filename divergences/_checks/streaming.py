"""Checks of the streaming accumulator: its chunks, merges and saved files.

Serves ``divergences.streaming``.
"""

from __future__ import annotations

from typing import Any, NoReturn

import numpy as np

from .samples import kernel_dtype
from .scalars import as_real_array


def as_chunk(a: Any, name: str) -> np.ndarray:
    """A chunk of a 1-D sample for the streaming accumulator: may be empty; None is empty.

    Native byte order and float16 as float32 (as as_samples); no other copy.
    """
    if a is None:
        return np.empty(0)
    arr = as_real_array(a, name)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D chunk of a sample; got {arr.ndim} dimension(s) with shape "
            f"{arr.shape}. Pass chunks of one sample (use .ravel() if that is what you mean)."
        )
    return kernel_dtype(arr, name)


def raise_no_edges_yet() -> NoReturn:
    """An accumulator whose edges come from its first chunk has not seen one."""
    raise ValueError(
        "this accumulator has no edges yet: they are fixed from the first chunk of data and no "
        "value has been added. Call update() with data first, or construct it with "
        "range=(lo, hi) and an integer bins, or explicit edges."
    )


def raise_merge_edges(edges: np.ndarray, other: np.ndarray) -> NoReturn:
    """Counts on different bins cannot be added."""

    def describe(e: np.ndarray) -> str:
        return f"{e.size - 1} bins on [{float(e[0])!r}, {float(e[-1])!r}]"

    same = (
        " (the same count and range, but different edges)"
        if describe(edges) == describe(other)
        else ""
    )
    raise ValueError(
        f"cannot merge accumulators on different edges: {describe(edges)} and "
        f"{describe(other)}{same}. Counts only add on the same bins: give every accumulator "
        f"the same explicit edges (e.g. the edges of the first) or the same integer bins and "
        f"range=(lo, hi), rather than edges fixed from each one's first chunk."
    )


def raise_merge_policy(policy: str, other: str) -> NoReturn:
    """Accumulators must treat NaN/inf alike to be merged."""
    raise ValueError(
        f"cannot merge an accumulator with nonfinite={policy!r} and one with "
        f"nonfinite={other!r}: their counts would follow two policies. Use one policy for "
        f"every part of a stream."
    )


#: The ``format`` entry of a saved accumulator, and the file versions this version reads.
ACCUMULATOR_FORMAT = "divergences.HistogramAccumulator"


ACCUMULATOR_VERSIONS = (1,)


def raise_not_an_accumulator_file(path: Any, why: str) -> NoReturn:
    """The file is not one that HistogramAccumulator.save wrote (or it is damaged)."""
    raise ValueError(
        f"{str(path)!r} is not a saved HistogramAccumulator ({why}). Load files written by "
        f"HistogramAccumulator.save; a damaged file cannot be repaired, use an earlier save."
    )


def raise_accumulator_version(path: Any, version: int) -> NoReturn:
    """A file from a newer format version."""
    known = ", ".join(map(str, ACCUMULATOR_VERSIONS))
    raise ValueError(
        f"{str(path)!r} holds a HistogramAccumulator in file format {version}; this version of "
        f"divergences reads format {known}. Upgrade divergences to load it."
    )

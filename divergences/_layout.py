"""How the sample functions read the shape of their input: one sample, or a batch only when asked.

Rule (``docs/conventions.md``, "Samples and batches"): with ``axis=None`` (the default) x and y
are each *one* sample: a 1-D array, or a 2-D array with an axis of length 1, i.e. a column
``(n, 1)`` such as a generator's output, or a row ``(1, n)``, read as its ``n`` values. A 2-D
array with more than one row and column is refused with an error naming the right tool, never
turned silently into several estimates. ``axis=k`` asks for a batch: x and y are 2-D, the
samples lie along axis ``k`` and the other axis indexes the pairs (scipy.stats' meaning of
``axis``).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

#: The array flags the compiled kernels are specialised for (numpy's NPY_ARRAY_C_CONTIGUOUS,
#: NPY_ARRAY_ALIGNED and NPY_ARRAY_WRITEABLE): an array without one of them, e.g. a strided
#: view or a read-only buffer, would make numba compile another specialisation (seconds) on
#: first use, so the fast paths copy it first or leave it to the general path.
KERNEL_FLAGS = 0x1 | 0x100 | 0x400


def pair_layout(x: Any, y: Any, axis: Any) -> tuple[Any, Any]:
    """The histogram code's layout of x and y: two 1-D samples, or two ``(n_pairs, n)`` batches.

    Dask arrays pass through (they are binned as 1-D samples, :mod:`divergences.dask_arrays`);
    anything numpy cannot read passes through to the validation that says what is wrong.
    """
    if axis is None:
        return _one_sample(x, "x"), _one_sample(y, "y")
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(
            f"axis must be None (x and y are one sample each) or an integer (x and y are 2-D "
            f"batches with the samples along that axis); got {axis!r} of type "
            f"{type(axis).__name__}."
        )
    return _batch(x, "x", int(axis)), _batch(y, "y", int(axis))


def _array(a: Any) -> Any:
    if isinstance(a, np.ndarray) or type(a).__module__.split(".")[0] == "dask":
        return a
    try:
        return np.asarray(a)
    except (TypeError, ValueError):  # ragged: as_samples reports it
        return a


def _one_sample(a: Any, name: str) -> Any:
    arr = _array(a)
    ndim = getattr(arr, "ndim", None)
    if ndim is None or ndim < 2 or not isinstance(arr, np.ndarray):
        return arr
    if ndim == 2 and 1 in arr.shape:
        return arr.reshape(-1)  # a column (n, 1) or a row (1, n): its n values
    raise ValueError(
        f"{name} has shape {arr.shape}, which is not one sample: a 2-D array is read as one "
        f"sample only when it is a column (n, 1) or a row (1, n). For one sample of all its "
        f"values pass {name}.ravel(); for multivariate points (one per row) use "
        f"js_from_samples_nd / kl_from_samples_nd (histograms, up to 3 dimensions) or kl_knn; "
        f"for a batch of independent pairs pass axis=1 (samples along rows) or axis=0 (along "
        f"columns)."
    )


def _batch(a: Any, name: str, axis: int) -> Any:
    arr = _array(a)
    if not isinstance(arr, np.ndarray):
        if type(arr).__module__.split(".")[0] == "dask":
            raise ValueError(
                f"axis={axis} asks for a batch of pairs, but {name} is a dask array, which is "
                f"binned as one 1-D sample; pass axis=None, or compute the batch into memory."
            )
        return arr
    if arr.ndim != 2:
        raise ValueError(
            f"axis={axis} asks for a batch of pairs: {name} must be 2-D, one sample per row "
            f"(axis=1) or per column (axis=0); got shape {arr.shape}. For one pair of samples "
            f"leave axis=None."
        )
    if not -2 <= axis < 2:
        raise ValueError(
            f"axis {axis} is out of range for the 2-D batch {name}; use axis=1 (or -1) for "
            f"samples along rows, axis=0 (or -2) for samples along columns."
        )
    return arr if axis % 2 == 1 else arr.T

r"""Divergences between probability vectors.

Every function takes probability vectors along ``axis`` (leading axes broadcast, as in
``scipy.stats.entropy``), works in nats unless ``base`` is given, and follows the conventions of
``docs/conventions.md``: :math:`0 \log 0 = 0`, KL is ``+inf`` off-support, the Jensen-Shannon
divergence lies in :math:`[0, \log 2]` by construction, and bad input raises an error that says what
is wrong.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _compiled
from ._checks.scalars import check_base, check_distance_base
from ._checks.vectors import SUM_ATOL, SUM_EPS_FACTOR, as_pmf, as_pmf_pair, sum_tolerance
from ._layout import KERNEL_FLAGS

__all__ = [
    "cross_entropy",
    "entropy",
    "hellinger_distance",
    "js_distance",
    "js_divergence",
    "kl_divergence",
    "tv_distance",
]

_PairKernel = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def shaped(values: np.ndarray, shape: tuple[int, ...]) -> Any:
    """A float64 scalar for a single vector, else an array of the broadcast leading shape."""
    out = values.reshape(shape)
    return out[()] if out.ndim == 0 else out


def _vector(a: Any) -> tuple[np.ndarray, float] | None:
    """``a`` as a 1-D float64 array and its sum tolerance, or None if it is not a plain vector.

    Float64 arrays, the common case, are checked first and cost a few attribute reads.
    """
    if type(a) is _NDARRAY:
        if a.ndim != 1:
            return None
        dtype = a.dtype
        if dtype == _FLOAT64:
            if a.flags.num & KERNEL_FLAGS != KERNEL_FLAGS:  # strided or read-only: a copy
                a = a.copy()
            n = a.size
            return a, SUM_ATOL if n <= _ATOL_LENGTH else sum_tolerance(_FLOAT64, n)
    elif type(a) is list:
        try:
            a = np.asarray(a)
        except (TypeError, ValueError):  # ragged: the general path says so
            return None
        if a.ndim != 1:
            return None
        dtype = a.dtype
    else:
        return None
    if dtype != _FLOAT64:
        if dtype.kind not in "iu":
            return None
        a = a.astype(np.float64)  # as the general path converts them
    return a, _sum_tolerance(dtype, a.size)


_NDARRAY = np.ndarray
_FLOAT64 = np.dtype(np.float64)
#: The general path's tolerance on a vector's sum, by the dtype it had and its length.
_sum_tolerance = functools.lru_cache(maxsize=256)(sum_tolerance)
#: From this many entries one vector's terms are summed on the policy's threads, in chunks of
#: ``SUM_CHUNK`` (the same value as on one thread): a parallel launch costs 10-20 us, 2^13
#: terms of JSD about 0.18 ms on one thread (0.11 ms on two, measured).
PARALLEL_MIN_ENTRIES = 1 << 13
#: Up to this length a float64 vector's sum tolerance is ``SUM_ATOL``: the rounding term of
#: :func:`sum_tolerance` (16 eps sqrt(k)) is smaller (tests/test_fused_vectors.py checks the edge).
_ATOL_LENGTH = int((SUM_ATOL / (SUM_EPS_FACTOR * float(np.finfo(np.float64).eps))) ** 2)


def _fused_pair(p: Any, q: Any, kind: str) -> Any:
    """A divergence (``"kl"`` or ``"js"``) of two plain probability vectors in one call, or None.

    None (the general path runs, and raises its errors) for anything but two 1-D vectors of
    real numbers, or for vectors that fail validation. The value is the general path's, bit
    for bit.
    """
    p_vec = _vector(p)
    q_vec = _vector(q)
    if p_vec is None or q_vec is None:
        return None
    kernels = _compiled
    code = kernels.VECTOR_JS if kind == "js" else kernels.VECTOR_KL
    kernel = kernels.vector_pair
    if p_vec[0].size >= PARALLEL_MIN_ENTRIES and kernels.thread_count() >= 2:
        kernel = kernels.vector_pair_parallel
    status, value = kernel(p_vec[0], q_vec[0], code, p_vec[1], q_vec[1])
    return _FLOAT64.type(value) if status == kernels.OK else None


def _pairwise(kernel: _PairKernel, p: Any, q: Any, axis: Any, normalize: bool) -> Any:
    p_rows, q_rows, p_sums, q_sums, shape = as_pmf_pair(p, q, axis=axis, normalize=normalize)
    return shaped(kernel(p_rows, q_rows, p_sums, q_sums), shape)


def kl_divergence(
    p: Any, q: Any, *, base: float | None = None, axis: int = -1, normalize: bool = False
) -> Any:
    r"""Kullback-Leibler divergence :math:`D_{KL}(P \| Q) = \sum_i p_i \log(p_i / q_i)`.

    Parameters
    ----------
    p, q : array_like
        Probability vectors along ``axis``; leading axes broadcast against each other. Each must
        sum to 1 (within the tolerance of ``docs/conventions.md``) unless ``normalize`` is true.
    base : float, optional
        Logarithm base of the result; None (default) gives nats, 2 gives bits.
    axis : int, default -1
        Axis along which the vectors lie.
    normalize : bool, default False
        Divide each vector by its sum first (for counts or unnormalised weights).

    Returns
    -------
    float or ndarray
        KL in nats (or units of ``base``), in ``[0, inf]``; a scalar for a single pair.

    Notes
    -----
    :math:`0 \log(0/q) = 0`. Where some :math:`p_i > 0 = q_i` the divergence is ``+inf``: no epsilon
    is added behind your back (pass counts through ``kl_from_samples(..., pseudocount=...)`` if you
    want smoothing). Each term is evaluated as :math:`p_i \log(p_i/q_i) - p_i + q_i`, which is
    non-negative; the added :math:`\sum_i (q_i - p_i)` is 0 for normalised vectors. So KL is 0
    exactly when :math:`p = q` (never through cancellation for :math:`p \ne q`) and near-equal
    vectors keep their relative precision.

    References
    ----------
    Cover, T. M. and Thomas, J. A. (2006). Elements of Information Theory, 2nd ed., §2.3.

    Examples
    --------
    >>> import divergences as dv
    >>> round(float(dv.kl_divergence([0.5, 0.5], [0.9, 0.1])), 6)
    0.510826
    >>> dv.kl_divergence([0.5, 0.5], [1.0, 0.0])
    np.float64(inf)
    >>> p, q = [0.2, 0.8], [0.6, 0.4]
    >>> bool(abs(dv.cross_entropy(p, q) - (dv.entropy(p) + dv.kl_divergence(p, q))) < 1e-15)
    True
    """
    if base is None and type(axis) is int and axis == -1 and normalize is False:
        # two float64 vectors, the common call, inline (a Python frame costs ~0.5 us cold)
        if (
            type(p) is _NDARRAY
            and type(q) is _NDARRAY
            and p.dtype == _FLOAT64
            and q.dtype == _FLOAT64
            and p.ndim == 1
            and q.ndim == 1
            and p.size <= _ATOL_LENGTH
            and p.flags.num & KERNEL_FLAGS == KERNEL_FLAGS
            and q.flags.num & KERNEL_FLAGS == KERNEL_FLAGS
        ):
            kernels = _compiled
            kernel = kernels.vector_pair
            if p.size >= PARALLEL_MIN_ENTRIES and kernels.thread_count() >= 2:
                kernel = kernels.vector_pair_parallel
            status, value = kernel(p, q, kernels.VECTOR_KL, SUM_ATOL, SUM_ATOL)
            if status == kernels.OK:
                return _FLOAT64.type(value)
        else:
            fused = _fused_pair(p, q, "kl")
            if fused is not None:
                return fused
    log_base = check_base(base)
    return _pairwise(_compiled.kl_divergence, p, q, axis, normalize) / log_base


def js_divergence(
    p: Any, q: Any, *, base: float | None = None, axis: int = -1, normalize: bool = False
) -> Any:
    r"""Jensen-Shannon divergence :math:`\tfrac12 KL(P\|M) + \tfrac12 KL(Q\|M)`, :math:`M=(P+Q)/2`.

    Parameters
    ----------
    p, q : array_like
        Probability vectors along ``axis``; leading axes broadcast.
    base : float, optional
        Logarithm base; None (default) gives nats.
    axis : int, default -1
        Axis along which the vectors lie.
    normalize : bool, default False
        Divide each vector by its sum first.

    Returns
    -------
    float or ndarray
        JSD in :math:`[0, \log 2]` nats (``[0, 1]`` bits); never NaN, always finite.

    Notes
    -----
    Evaluated per outcome as :math:`\frac{s}{4} g(t)` with :math:`s = p_i + q_i`,
    :math:`t = (p_i - q_i)/s` and :math:`g(t) = (1+t) \log(1+t) + (1-t) \log(1-t)`, that is
    :math:`g(t) = 2 t \operatorname{artanh}(t) + \log(1 - t^2)`, a non-negative term; the total is
    clipped to :math:`\log 2`. This avoids the failure modes of
    ``scipy.spatial.distance.jensenshannon``: NaN for nearly equal vectors (scipy gh-20083,
    gh-20779) and ``inf`` when the mixture of subnormal entries underflows (gh-19436).

    References
    ----------
    Lin, J. (1991). Divergence measures based on the Shannon entropy. IEEE Trans. Inf. Theory
    37(1), 145-151. doi:10.1109/18.61115

    Examples
    --------
    >>> import math, divergences as dv
    >>> dv.js_divergence([1, 0], [0, 1]) == math.log(2)
    np.True_
    >>> float(dv.js_divergence([0.5, 0.5], [0.5, 0.5]))
    0.0
    """
    if base is None and type(axis) is int and axis == -1 and normalize is False:
        # two float64 vectors, the common call, inline (a Python frame costs ~0.5 us cold)
        if (
            type(p) is _NDARRAY
            and type(q) is _NDARRAY
            and p.dtype == _FLOAT64
            and q.dtype == _FLOAT64
            and p.ndim == 1
            and q.ndim == 1
            and p.size <= _ATOL_LENGTH
            and p.flags.num & KERNEL_FLAGS == KERNEL_FLAGS
            and q.flags.num & KERNEL_FLAGS == KERNEL_FLAGS
        ):
            kernels = _compiled
            kernel = kernels.vector_pair
            if p.size >= PARALLEL_MIN_ENTRIES and kernels.thread_count() >= 2:
                kernel = kernels.vector_pair_parallel
            status, value = kernel(p, q, kernels.VECTOR_JS, SUM_ATOL, SUM_ATOL)
            if status == kernels.OK:
                return _FLOAT64.type(value)
        else:
            fused = _fused_pair(p, q, "js")
            if fused is not None:
                return fused
    log_base = check_base(base)
    return _pairwise(_compiled.js_divergence, p, q, axis, normalize) / log_base


def js_distance(
    p: Any, q: Any, *, base: float | None = None, axis: int = -1, normalize: bool = False
) -> Any:
    r"""Jensen-Shannon distance, the square root of :func:`js_divergence` (a metric).

    Parameters
    ----------
    p, q : array_like
        Probability vectors along ``axis``; leading axes broadcast.
    base : float, optional
        Logarithm base of the divergence under the root; must exceed 1. None gives nats.
    axis : int, default -1
        Axis along which the vectors lie.
    normalize : bool, default False
        Divide each vector by its sum first.

    Returns
    -------
    float or ndarray
        :math:`\sqrt{JSD}` in :math:`[0, \sqrt{\log 2}]` (``[0, 1]`` for base 2).

    Notes
    -----
    The divergence is clipped to :math:`[0, \log 2]` before the square root, so the result is never
    NaN. This is the quantity ``scipy.spatial.distance.jensenshannon`` returns.

    References
    ----------
    Endres, D. M. and Schindelin, J. E. (2003). A new metric for probability distributions. IEEE
    Trans. Inf. Theory 49(7), 1858-1860. doi:10.1109/TIT.2003.813506

    Examples
    --------
    >>> import divergences as dv
    >>> float(dv.js_distance([1, 0], [0, 1], base=2))
    1.0
    """
    log_base = check_distance_base(base)
    return np.sqrt(_pairwise(_compiled.js_divergence, p, q, axis, normalize) / log_base)


def cross_entropy(
    p: Any, q: Any, *, base: float | None = None, axis: int = -1, normalize: bool = False
) -> Any:
    r"""Cross-entropy :math:`H(P, Q) = -\sum_i p_i \log q_i = H(P) + D_{KL}(P\|Q)`.

    Parameters
    ----------
    p, q : array_like
        Probability vectors along ``axis``; leading axes broadcast.
    base : float, optional
        Logarithm base; None (default) gives nats.
    axis : int, default -1
        Axis along which the vectors lie.
    normalize : bool, default False
        Divide each vector by its sum first.

    Returns
    -------
    float or ndarray
        In ``[H(P), inf]``; ``+inf`` where some :math:`p_i > 0 = q_i`.

    Examples
    --------
    >>> import divergences as dv
    >>> float(dv.cross_entropy([0.5, 0.5], [0.5, 0.5], base=2))
    1.0
    """
    log_base = check_base(base)
    return _pairwise(_compiled.cross_entropy, p, q, axis, normalize) / log_base


def tv_distance(p: Any, q: Any, *, axis: int = -1, normalize: bool = False) -> Any:
    r"""Total variation distance :math:`\tfrac12 \sum_i |p_i - q_i|`, in ``[0, 1]``.

    Parameters
    ----------
    p, q : array_like
        Probability vectors along ``axis``; leading axes broadcast.
    axis : int, default -1
        Axis along which the vectors lie.
    normalize : bool, default False
        Divide each vector by its sum first.

    Returns
    -------
    float or ndarray
        Total variation distance (unitless), in ``[0, 1]``.

    Examples
    --------
    >>> import divergences as dv
    >>> float(dv.tv_distance([0.5, 0.5, 0.0], [0.0, 0.5, 0.5]))
    0.5
    """
    return _pairwise(_compiled.tv_distance, p, q, axis, normalize)


def hellinger_distance(p: Any, q: Any, *, axis: int = -1, normalize: bool = False) -> Any:
    r"""Hellinger distance :math:`\sqrt{\tfrac12 \sum_i (\sqrt{p_i} - \sqrt{q_i})^2}`, in [0, 1].

    Parameters
    ----------
    p, q : array_like
        Probability vectors along ``axis``; leading axes broadcast.
    axis : int, default -1
        Axis along which the vectors lie.
    normalize : bool, default False
        Divide each vector by its sum first.

    Returns
    -------
    float or ndarray
        Hellinger distance (unitless), 1 exactly for disjoint supports.

    Examples
    --------
    >>> import divergences as dv
    >>> float(dv.hellinger_distance([1, 0], [0, 1]))
    1.0
    """
    return _pairwise(_compiled.hellinger_distance, p, q, axis, normalize)


def entropy(p: Any, *, base: float | None = None, axis: int = -1, normalize: bool = False) -> Any:
    r"""Shannon entropy :math:`H(P) = -\sum_i p_i \log p_i`, with :math:`0 \log 0 = 0`.

    Parameters
    ----------
    p : array_like
        Probability vectors along ``axis``.
    base : float, optional
        Logarithm base; None (default) gives nats.
    axis : int, default -1
        Axis along which the vectors lie.
    normalize : bool, default False
        Divide each vector by its sum first.

    Returns
    -------
    float or ndarray
        Entropy in :math:`[0, \log k]` nats for vectors of length ``k``.

    Examples
    --------
    >>> import divergences as dv
    >>> float(dv.entropy([0.25, 0.25, 0.25, 0.25], base=2))
    2.0
    """
    if base is None and type(axis) is int and axis == -1 and normalize is False:
        vector = (
            (p, SUM_ATOL)
            if type(p) is _NDARRAY
            and p.dtype == _FLOAT64
            and p.ndim == 1
            and p.size <= _ATOL_LENGTH
            and p.flags.num & KERNEL_FLAGS == KERNEL_FLAGS
            else _vector(p)
        )
        if vector is not None:
            kernels = _compiled
            kernel = kernels.vector_entropy
            if vector[0].size >= PARALLEL_MIN_ENTRIES and kernels.thread_count() >= 2:
                kernel = kernels.vector_entropy_parallel
            status, value = kernel(vector[0], vector[1])
            if status == kernels.OK:
                return _FLOAT64.type(value)
    log_base = check_base(base)
    pmf = as_pmf(p, "p", axis=axis, normalize=normalize)
    return shaped(_compiled.entropy(pmf.rows, pmf.sums), pmf.lead) / log_base

"""Ranges of samples: min, max and NaN counts, serial and in parallel chunks."""

from __future__ import annotations

from typing import Any

import numpy as np
from llvmlite import binding as llvm_binding
from llvmlite import ir
from numba import njit, prange, types
from numba.core.extending import intrinsic, overload

# Samples: shared-edge histograms of two samples (divergences.histogram, divergences.estimate).
#
# Counts are "extended": index 0 holds finite values below the first edge, 1..nb the bins,
# nb + 1 finite values above the last edge, nb + 2 NaN, nb + 3 infinities. The bins follow
# np.histogram: bin i is [edges[i], edges[i+1]), the last one closed.
#
# These kernels take the caller's arrays as they are (float64, float32 or integer, any stride):
# numba compiles one version per dtype and layout, so nothing is copied or converted up front.
# --------------------------------------------------------------------------------------------

# The one-array kernels (range, finite range, binning, moments, radix count) release the GIL
# (nogil=True): dask's threaded scheduler and a streaming caller's threads run them on chunks
# side by side.


@njit(cache=True)
def _first_non_nan(a: np.ndarray) -> int:
    for i in range(a.size):
        v = a[i]
        if v == v:
            return i
    return a.size


@njit(cache=True)
def _range_chunk(a: np.ndarray, start: int) -> tuple[Any, Any, int]:
    """Min, max (NaN ignored) and NaN count of ``a[start:]``; ``a[start]`` must not be NaN.

    Four independent min/max pairs: a single pair is a chain of dependent selects that runs
    at half the speed of memory.
    """
    lo0 = lo1 = lo2 = lo3 = a[start]
    hi0 = hi1 = hi2 = hi3 = a[start]
    n_nan = 0
    n = a.size
    m = start + (n - start) // 4 * 4
    for i in range(start, m, 4):
        v0 = a[i]
        v1 = a[i + 1]
        v2 = a[i + 2]
        v3 = a[i + 3]
        lo0 = v0 if v0 < lo0 else lo0
        hi0 = v0 if v0 > hi0 else hi0
        lo1 = v1 if v1 < lo1 else lo1
        hi1 = v1 if v1 > hi1 else hi1
        lo2 = v2 if v2 < lo2 else lo2
        hi2 = v2 if v2 > hi2 else hi2
        lo3 = v3 if v3 < lo3 else lo3
        hi3 = v3 if v3 > hi3 else hi3
        n_nan += (v0 != v0) + (v1 != v1) + (v2 != v2) + (v3 != v3)
    for i in range(m, n):
        v = a[i]
        lo0 = v if v < lo0 else lo0
        hi0 = v if v > hi0 else hi0
        n_nan += v != v
    lo = min(min(lo0, lo1), min(lo2, lo3))
    hi = max(max(hi0, hi1), max(hi2, hi3))
    return lo, hi, n_nan


def _extremum(llvm_float: str, predicate: str) -> Any:
    """A jitted ``min`` or ``max`` of two scalars of one numeric type, for vectorisable reductions.

    Floats go to LLVM's ``llvm.minimum``/``llvm.maximum``: NaN if either operand is NaN, and
    -0 below +0, so the operation is exactly associative and commutative and LLVM may reorder
    a reduction of it into SIMD lanes. numba's ``min`` and a compare-and-select (which ignores
    NaN on one side only) are neither, and stay scalar. Integers: a compare and select.
    """

    @intrinsic
    def extremum(typingctx: Any, a: Any, b: Any) -> Any:
        if a != b or not isinstance(a, (types.Float, types.Integer)):
            return None

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            x, y = args
            if isinstance(signature.args[0], types.Float):
                fnty = ir.FunctionType(x.type, [x.type, x.type])
                fn = builder.module.declare_intrinsic(llvm_float, [x.type], fnty)
                return builder.call(fn, [x, y])
            compare = builder.icmp_signed if signature.args[0].signed else builder.icmp_unsigned
            return builder.select(compare(predicate, x, y), x, y)

        return a(a, b), codegen

    return extremum


_lower = _extremum("llvm.minimum", "<")
_upper = _extremum("llvm.maximum", ">")

#: x86 code generation for llvm.minimum/maximum: LLVM 14 and 15 (numba 0.59-0.61) abort with
#: "Cannot select"; LLVM 20 (numba 0.62) and later compile it. Older LLVMs take the scalar pass.
VECTOR_MINMAX = llvm_binding.llvm_version_info >= (20,)


@njit(cache=True, fastmath={"reassoc"})
def _bounds(a: np.ndarray) -> tuple[Any, Any]:
    """Min and max of a non-empty contiguous ``a`` in its dtype; NaN if ``a`` holds a NaN.

    LLVM vectorises the two reductions: 0.27-0.31 against 0.60 ns per float64 value for the
    scalar four-accumulator loop of _range_chunk (2e7 normals, AVX-512 machine, interleaved).
    ``reassoc`` only licenses reordering them, which is exact for llvm.minimum/maximum (LLVM 22
    vectorises the loop without it too). No NaN count here: NaN is rare, and when the result
    is NaN the scalar pass, which also gives the NaN-free range, counts it (a count in this
    loop still vectorised but cost 0.35 against 0.31 ns).
    """
    lo = a[0]
    hi = a[0]
    for i in range(a.size):
        v = a[i]
        lo = _lower(lo, v)
        hi = _upper(hi, v)
    return lo, hi


def _float64_of_bits_typing(typingctx: Any, bits: Any) -> Any:
    """The float64 whose bit pattern is the int64 ``bits`` (a register move)."""
    if bits != types.int64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


_float64_of_bits: Any = intrinsic(_float64_of_bits_typing)


def _bits_of_float64_typing(typingctx: Any, value: Any) -> Any:
    """The int64 with the bit pattern of the float64 ``value`` (a register move)."""
    if value != types.float64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


_bits_of_float64: Any = intrinsic(_bits_of_float64_typing)


#: The bits below the sign of an int64: XOR-ed into a negative float64's bits, they make the
#: order of the int64s that of the floats.
_MAGNITUDE_BITS = np.int64(0x7FFFFFFFFFFFFFFF)


@njit(cache=True)
def float64_key(v: float) -> int:
    """The order-preserving int64 key of a float64 (-0 below +0; equal keys: equal bits)."""
    b = _bits_of_float64(v)
    key: int = b ^ ((b >> 63) & _MAGNITUDE_BITS)
    return key


@njit(cache=True)
def float64_of_key(key: int) -> float:
    """The float64 whose key (:func:`float64_key`) is ``key``."""
    value: float = _float64_of_bits(key ^ ((key >> 63) & _MAGNITUDE_BITS))
    return value


@njit(cache=True)
def _float64_bounds(a: np.ndarray) -> tuple[float, float]:
    """Min and max of a non-empty contiguous float64 ``a``; NaN if ``a`` holds a NaN.

    Through order-preserving keys: a float64's bits as an int64, with the magnitude bits of a
    negative one flipped, order as the floats do (-0 below +0, infinities at the ends, NaN
    beyond them on the side of its sign bit, so a NaN is the min or the max). Integer min and
    max are single vector instructions; ``llvm.minimum`` on floats lowers to five (a blend for
    the zeros' signs, a NaN compare and blend around ``vminpd``): on an Intel Xeon with
    AVX-512 (numba's target emeraldrapids) 0.71 against 1.17 ns per value, 2e7 normals.
    Needs no LLVM float min/max, so every numba the package supports vectorises it.
    """
    bits = a.view(np.int64)
    first = bits[0] ^ ((bits[0] >> 63) & _MAGNITUDE_BITS)
    lo = first
    hi = first
    for i in range(bits.size):
        b = bits[i]
        key = b ^ ((b >> 63) & _MAGNITUDE_BITS)
        lo = min(lo, key)
        hi = max(hi, key)
    # the same XOR turns a key back into its float's bits
    lo_float = _float64_of_bits(lo ^ ((lo >> 63) & _MAGNITUDE_BITS))
    hi_float = _float64_of_bits(hi ^ ((hi >> 63) & _MAGNITUDE_BITS))
    return lo_float, hi_float


def _contiguous_bounds(a: np.ndarray) -> tuple[float, float, bool]:
    """``(min, max, True)`` of a non-empty contiguous ``a`` without NaN; ``(_, _, False)`` else."""
    raise NotImplementedError("jitted only")


@overload(_contiguous_bounds)
def _contiguous_bounds_impl(a: Any) -> Any:
    if a.layout == "C" and a.dtype == types.float64:

        def keyed(a: Any) -> tuple[float, float, bool]:
            lo, hi = _float64_bounds(a)
            return lo, hi, lo == lo and hi == hi

        return keyed

    if a.layout != "C" or not VECTOR_MINMAX:
        # chosen at compile time: strided data would make the vectorised loop gather (5 ns
        # per value)

        def none(a: Any) -> tuple[float, float, bool]:
            return 0.0, 0.0, False

        return none

    def bounds(a: Any) -> tuple[float, float, bool]:
        lo, hi = _bounds(a)
        return float(lo), float(hi), lo == lo and hi == hi

    return bounds


@njit(cache=True)
def _range_of(a: np.ndarray) -> tuple[float, float, int, bool]:
    """Min and max of ``a`` as float64 (NaN ignored), its NaN count, and whether it has a number."""
    if a.size == 0:
        return 0.0, 0.0, 0, False
    lo, hi, done = _contiguous_bounds(a)
    if done:
        return lo, hi, 0, True
    # strided, or NaN somewhere: the scalar pass, which skips NaN and counts it
    start = _first_non_nan(a)
    if start == a.size:
        return 0.0, 0.0, a.size, False
    lo, hi, n_nan = _range_chunk(a, start)
    return float(lo), float(hi), n_nan + start, True


@njit(cache=True)
def _merge_range(
    a: tuple[float, float, int, bool], b: tuple[float, float, int, bool]
) -> tuple[float, float, int, bool]:
    if not a[3]:
        return b[0], b[1], a[2] + b[2], b[3]
    if not b[3]:
        return a[0], a[1], a[2] + b[2], a[3]
    return min(a[0], b[0]), max(a[1], b[1]), a[2] + b[2], True


@njit(cache=True, nogil=True)
def histogram_pair_range(a: np.ndarray) -> tuple[float, float, int, bool]:
    """Min and max of one sample (NaN ignored, infinities included), NaN count, any number.

    One array per call (not x and y together): numba compiles a kernel once per combination of
    argument types, and a two-array kernel would compile for every pair of dtypes and layouts.
    """
    return _range_of(a)


@njit(cache=True, parallel=True)
def _range_chunks(a: np.ndarray, n_chunks: int) -> tuple[float, float, int, bool]:
    lo = np.zeros(n_chunks)
    hi = np.zeros(n_chunks)
    n_nan = np.zeros(n_chunks, np.int64)
    found = np.zeros(n_chunks, np.bool_)
    for c in prange(n_chunks):
        # a contiguous slice keeps the array's layout, so the chunk loop stays fast
        r = _range_of(a[c * a.size // n_chunks : (c + 1) * a.size // n_chunks])
        lo[c], hi[c], n_nan[c], found[c] = r
    out = (0.0, 0.0, 0, False)
    for c in range(n_chunks):
        out = _merge_range(out, (lo[c], hi[c], n_nan[c], found[c]))
    return out


@njit(cache=True)
def histogram_pair_range_parallel(a: np.ndarray, n_chunks: int) -> tuple[float, float, int, bool]:
    return _range_chunks(a, n_chunks)


@njit(cache=True)
def _finite_range_of(a: np.ndarray, out: np.ndarray) -> None:
    lo = np.inf
    hi = -np.inf
    n_finite = 0
    n_nan = 0
    n_inf = 0
    for i in range(a.size):
        v = float(a[i])
        if v != v:
            n_nan += 1
        elif v == np.inf or v == -np.inf:
            n_inf += 1
        else:
            n_finite += 1
            lo = min(lo, v)
            hi = max(hi, v)
    out[0] = lo
    out[1] = hi
    out[2] = n_finite
    out[3] = n_nan
    out[4] = n_inf


@njit(cache=True, nogil=True)
def histogram_pair_finite_range(a: np.ndarray) -> np.ndarray:
    """Min and max over the finite values of one sample, and its finite, NaN and inf counts.

    Used where non-finite values are to be omitted, and for the numbers an error quotes.
    """
    out = np.empty(5)
    _finite_range_of(a, out)
    return out

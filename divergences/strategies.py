"""Hypothesis strategies for property-testing code that handles probability distributions.

Each strategy is named for the mathematical object it produces and builds it valid by
construction (no filtering). The library's own test suite and ``proofs/`` use them, and the suite
checks that each one produces what its name promises.

>>> from hypothesis import given
>>> import divergences as dv
>>> from divergences import strategies as dst
>>> @given(dst.probability_vectors())
... def test_entropy_non_negative(p):
...     assert dv.entropy(p) >= 0

Requires ``hypothesis`` (``pip install -e ".[test]"`` from a clone).
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without the test extra
    raise ImportError(
        "divergences.strategies needs hypothesis; install it with `pip install "
        "'divergences[test]'` or `pip install hypothesis`."
    ) from exc

__all__ = [
    "PAIR_KINDS",
    "discriminators",
    "disjoint_pmf_pairs",
    "equal_pmf_pairs",
    "near_equal_pmf_pairs",
    "nested_pmf_pairs",
    "pmf_pairs",
    "probability_vectors",
    "sample_pairs",
    "weights",
]

#: Magnitudes a weight may take before normalisation: tiny and ordinary; optionally exact zeros
#: and subnormals.
_TINY = st.floats(min_value=1e-12, max_value=1e-6)
_ORDINARY = st.floats(min_value=1e-3, max_value=1.0)
_SUBNORMAL = st.floats(min_value=5e-324, max_value=1e-300)

PAIR_KINDS = ("any", "equal", "near_equal", "nested", "disjoint")


def _normalize(w: np.ndarray) -> np.ndarray:
    out: np.ndarray = w / w.sum()
    return out


@st.composite
def weights(draw: Any, size: int, *, zeros: bool = True, subnormal: bool = True) -> np.ndarray:
    """Non-negative float64 weights of length ``size`` with at least one positive entry.

    Entries mix tiny (``[1e-12, 1e-6]``) and ordinary (``[1e-3, 1]``) magnitudes, plus exact
    zeros if ``zeros`` and subnormals if ``subnormal`` (and ``zeros``); one entry, chosen at
    random, is forced into ``[1e-3, 1]`` so the vector has mass.
    """
    options = [_TINY, _ORDINARY]
    if zeros:
        options.append(st.just(0.0))
        if subnormal:
            options.append(_SUBNORMAL)
    element = st.one_of(*options)
    w = np.array(draw(st.lists(element, min_size=size, max_size=size), label="weights"))
    anchor = draw(st.integers(0, size - 1), label="anchor")
    w[anchor] = draw(st.floats(min_value=1e-3, max_value=1.0), label="anchor weight")
    return w


@st.composite
def probability_vectors(
    draw: Any, min_size: int = 1, max_size: int = 16, *, zeros: bool = True, subnormal: bool = True
) -> np.ndarray:
    """A float64 probability vector (sums to 1 within rounding) with explicit zeros.

    Parameters
    ----------
    min_size, max_size : int
        Bounds on the length.
    zeros : bool
        Whether entries may be exactly 0.
    subnormal : bool
        Whether entries may be subnormal (only with ``zeros``).
    """
    size = draw(st.integers(min_size, max_size), label="size")
    return _normalize(draw(weights(size, zeros=zeros, subnormal=subnormal), label="p weights"))


@st.composite
def equal_pmf_pairs(
    draw: Any, min_size: int = 1, max_size: int = 16, *, subnormal: bool = True
) -> tuple[Any, Any]:
    """``(p, p)``: the same probability vector twice (a copy, not the same object)."""
    p = draw(probability_vectors(min_size, max_size, subnormal=subnormal), label="p")
    return p, p.copy()


@st.composite
def near_equal_pmf_pairs(draw: Any, min_size: int = 2, max_size: int = 16) -> tuple[Any, Any]:
    r"""``(p, q)`` on one support, :math:`q_i \propto p_i (1 + e_i)` with :math:`|e_i| \le 10^{-6}`.

    Perturbations go down to 1e-15 relative, where cancellation breaks naive formulas.
    """
    p = draw(probability_vectors(min_size, max_size, zeros=False), label="p")
    scale = draw(st.sampled_from([1e-15, 1e-12, 1e-9, 1e-6]), label="perturbation scale")
    e = np.array(draw(st.lists(st.floats(-1.0, 1.0), min_size=p.size, max_size=p.size), label="e"))
    q = _normalize(p * (1.0 + scale * e))
    return p, q


@st.composite
def nested_pmf_pairs(draw: Any, min_size: int = 2, max_size: int = 16) -> tuple[Any, Any]:
    """``(p, q)`` with ``supp p`` a proper subset of ``supp q``: KL(p||q) finite, KL(q||p) inf."""
    size = draw(st.integers(min_size, max_size), label="size")
    q = _normalize(draw(weights(size, zeros=False), label="q weights"))
    keep = np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size), label="keep"))
    kept = draw(st.integers(0, size - 1), label="kept index")
    dropped = (kept + draw(st.integers(1, size - 1), label="offset to dropped")) % size
    keep[kept], keep[dropped] = True, False
    p = _normalize(np.where(keep, draw(weights(size, zeros=False), label="p weights"), 0.0))
    return p, q


@st.composite
def disjoint_pmf_pairs(draw: Any, min_size: int = 2, max_size: int = 16) -> tuple[Any, Any]:
    """``(p, q)`` whose supports do not intersect (JSD = log 2, KL = inf both ways)."""
    size = draw(st.integers(min_size, max_size), label="size")
    side = np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size), label="side"))
    first = draw(st.integers(0, size - 1), label="index in p")
    second = (first + draw(st.integers(1, size - 1), label="offset to q")) % size
    side[first], side[second] = True, False
    w = draw(weights(size, zeros=False), label="weights")
    p = _normalize(np.where(side, w, 0.0))
    q = _normalize(np.where(side, 0.0, w))
    return p, q


@st.composite
def pmf_pairs(
    draw: Any, kind: str = "any", min_size: int = 2, max_size: int = 16, *, subnormal: bool = True
) -> tuple[Any, Any]:
    """A pair of probability vectors of equal length; ``kind`` is one of :data:`PAIR_KINDS`.

    ``"any"`` draws independent vectors (with explicit zeros, and subnormals if ``subnormal``)
    or one of the other kinds; of those only ``"equal"`` can hold subnormals (if ``subnormal``).
    """
    if kind not in PAIR_KINDS:
        raise ValueError(f"kind must be one of {PAIR_KINDS}; got {kind!r}.")
    if kind == "any":
        kind = draw(st.sampled_from(PAIR_KINDS), label="kind")
        if kind == "any":
            size = draw(st.integers(min_size, max_size), label="size")
            p = _normalize(draw(weights(size, subnormal=subnormal), label="p weights"))
            return p, _normalize(draw(weights(size, subnormal=subnormal), label="q weights"))
    if kind == "equal":
        return draw(equal_pmf_pairs(min_size, max_size, subnormal=subnormal), label=kind)  # type: ignore[no-any-return]
    builders = {
        "near_equal": near_equal_pmf_pairs,
        "nested": nested_pmf_pairs,
        "disjoint": disjoint_pmf_pairs,
    }
    return draw(builders[kind](min_size, max_size), label=kind)  # type: ignore[no-any-return]


@st.composite
def discriminators(draw: Any, size: int, *, open_interval: bool = False) -> np.ndarray:
    """Discriminator outputs ``d`` in ``[0, 1]`` (``(0, 1)`` if ``open_interval``), ``size`` long.

    Includes the endpoints 0 and 1 and values within 1e-12 of them unless ``open_interval``.
    """
    inner = st.floats(min_value=1e-12, max_value=1.0 - 1e-12)
    element = inner if open_interval else st.one_of(st.sampled_from([0.0, 1.0, 0.5]), inner)
    return np.array(draw(st.lists(element, min_size=size, max_size=size), label="d"))


@st.composite
def sample_pairs(
    draw: Any, min_size: int = 0, max_size: int = 200, *, equal_size: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Two 1-D float64 samples, of unequal sizes unless ``equal_size``, with ties and outliers.

    Values mix a few repeated points (ties), ordinary reals and rare large outliers.
    """
    n_x = draw(st.integers(min_size, max_size), label="n_x")
    n_y = n_x if equal_size else draw(st.integers(min_size, max_size), label="n_y")
    pool = draw(
        st.lists(st.floats(-10.0, 10.0), min_size=1, max_size=5, unique=True), label="tie pool"
    )
    value = st.one_of(st.sampled_from(pool), st.floats(-10.0, 10.0), st.floats(-1e6, 1e6))
    x = np.array(draw(st.lists(value, min_size=n_x, max_size=n_x), label="x"), dtype=float)
    y = np.array(draw(st.lists(value, min_size=n_y, max_size=n_y), label="y"), dtype=float)
    return x, y

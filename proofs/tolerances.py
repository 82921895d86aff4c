"""Every tolerance the claim checks use, each with the reason for its value.

A tolerance here is derived from a stated bound (rounding, truncation, sampling error), never
tuned until a check passes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

#: Two float64 routes to the same sum of at most ~64 terms of magnitude <= 1 (e.g. KL through
#: the library kernel and through scipy's rel_entr): each term carries a few ulps, so 1e-12
#: relative plus 1e-13 absolute leaves two orders of magnitude of room.
ROUTE_RTOL = 1e-12
ROUTE_ATOL = 1e-13

#: A reference oracle (closed form, or quadrature to 1e-13 relative) against a quadrature of the
#: plain defining integral requested to 1e-13 relative: 1e-9 relative leaves four orders of
#: magnitude for error estimates that are optimistic; 1e-12 absolute for divergences near 0, where
#: the closed forms' few ulps of order-1 terms are all that is left.
ORACLE_RTOL = 1e-9
ORACLE_ATOL = 1e-12

#: Inequalities between computed quantities (KL >= 0, Pinsker, triangle inequality, data
#: processing) are allowed to fail by round-off only: a few ulps of values of order 1.
INEQUALITY_SLACK = 1e-12

#: Distinguishing P from Q numerically: vectors whose total variation is below this are treated
#: as equal by the "iff" checks (normalisation round-off alone moves entries by ~1e-16, and the
#: divergences of such pairs are ~TV^2, far below any meaningful threshold). Likewise supports
#: sharing less mass than this are not told apart from disjoint ones (JSD is then within
#: log 2 times the shared mass of log 2).
RESOLUTION_TV = 1e-6

#: Central finite differences with step h on functions evaluated to ~1e-15: truncation error
#: O(h^2 f''') and round-off O(eps/h); h = 1e-5 balances them at ~1e-10, so 1e-7 relative
#: (plus the same absolute, for derivatives near 0) is a safe bound.
FD_STEP = 1e-5
FD_RTOL = 1e-7
FD_ATOL = 1e-7

#: A numerical maximiser (L-BFGS-B on logits, or bounded Brent) converges to ~1e-10 in the
#: objective; a closed-form optimum must score at least as high up to this slack.
OPTIMISER_SLACK = 1e-9

#: A numerical argmax agrees with a closed-form argmax to ~sqrt(objective tolerance) because the
#: objective is flat to second order at the optimum: 1e-5 for Brent's default xtol.
ARGMAX_ATOL = 1e-5

#: Seeded distributional tests (Kolmogorov-Smirnov) reject at this level: with the seeds fixed
#: the outcome is deterministic, and a true claim would fail for a fresh seed with probability
#: 1e-4 per test.
SIGNIFICANCE = 1e-4

#: Monte Carlo means compared with their expectation: |mean - expected| <= Z * standard error,
#: Z = 4.4 being the two-sided normal quantile at SIGNIFICANCE.
Z_SCORE = 4.42


def same_entries(observed: Any, expected: np.ndarray, rtol: float, atol: float) -> bool:
    """The same shape and, entry by entry, the same value to ``rtol`` and ``atol`` (inf == inf)."""
    got = np.asarray(observed, dtype=float)
    if got.shape != expected.shape:
        return False
    finite = np.isfinite(expected)
    if not np.array_equal(np.isfinite(got), finite):
        return False
    if not np.array_equal(got[~finite], expected[~finite]):
        return False
    diff = np.abs(got[finite] - expected[finite])
    return bool(np.all(diff <= rtol * np.abs(expected[finite]) + atol))


def attempt(fn: Callable[[], Any]) -> tuple[Any, str | None]:
    """``fn()`` and None, or None and the ValueError it raised (the library's input checks)."""
    try:
        return fn(), None
    except ValueError as exc:
        return None, f"ValueError: {exc}"

r"""Claims that the reference oracles hold where their ground truth is hardest to compute.

``info.normal-oracles`` checks the oracles against quadrature for moderate normals. These claims
take them to the edges: scales across the whole float range (an affine map leaves KL and JSD
unchanged and multiplies W1 by :math:`|a|`), parameters from subnormal to 1e308 and near-equal
normals (the Gaussian KL in 60-digit arithmetic), and densities that vanish (uniform
distributions, whose divergences have closed forms).
Cover & Thomas (2006), Elements of Information Theory, 2nd ed.; Csiszár (1967), Studia Sci.
Math. Hungar. 2, 299-318; Lin (1991), IEEE Trans. Inf. Theory 37(1), 145-151.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
from hypothesis import example, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from divergences import reference
from divergences.claims import claim, expect, forall

from .tolerances import ORACLE_ATOL, ORACLE_RTOL

LOG2 = math.log(2.0)
LARGEST_EXPONENT = 1024  # frexp exponent of the largest float: x = f 2^e, f in [0.5, 1)
SMALLEST_NORMAL_EXPONENT = -1021  # frexp exponent of 2^-1022, the smallest normal float

#: Evaluating one of the Gaussian KL's double-precision parts takes a few ulps of each; the
#: closed form in 60 digits is exact to far below that: 1e-13 relative leaves a factor of ~200.
#: (A value below 1e-300 is judged absolutely: 1e-300 is far below any divergence that matters.)
FULL_PRECISION_RTOL = 1e-13
FULL_PRECISION_ATOL = 1e-300


def _guarded(oracle: Callable[..., Any], *args: Any) -> float:
    """``oracle(*args)`` as a float; a floating-point exception or warning gives nan.

    The oracles are called with numpy raising on overflow, invalid operations and division by
    zero (as a caller with ``np.seterr(all="raise")`` would): an intermediate overflow the oracle
    does not mean to produce is caught rather than hidden behind an answer that looks right.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                return float(oracle(*args))
    except (ArithmeticError, RuntimeWarning, ValueError):
        return math.nan


def _close(value: float, expected: float, rtol: float, atol: float) -> bool:
    if math.isinf(expected):
        return value == expected
    return abs(value - expected) <= rtol * abs(expected) + atol


# --- info.affine-invariance ---------------------------------------------------------------


def _scale_bounds(values: tuple[float, ...]) -> tuple[int, int]:
    """Powers of two k for which 2^k x is a normal, finite float for every nonzero x given."""
    exponents = [math.frexp(v)[1] for v in values if v != 0.0]
    return SMALLEST_NORMAL_EXPONENT - min(exponents), LARGEST_EXPONENT - max(exponents)


def _kl_normal_as_written(m1, s1, m2, s2):
    """The textbook Gaussian KL as written: log(s2/s1) + (s1^2 + (m1-m2)^2)/2s2^2 - 1/2."""
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2.0 * s2**2) - 0.5


def _w1_normal_as_written(m1, s1, m2, s2):
    """W1 as the folded normal's mean as written: s sqrt(2/pi) e^(-d^2/2s^2) + d(1 - 2Phi(-d/s))."""
    d, s = m2 - m1, abs(s2 - s1)
    if s == 0.0:
        return abs(d)
    return s * math.sqrt(2.0 / math.pi) * math.exp(-(d**2) / (2.0 * s**2)) + d * (
        1.0 - 2.0 * stats.norm.cdf(-d / s)
    )


def _js_normal_on_fixed_range(m1, s1, m2, s2):
    """JSD of two normals integrated over x in [-40, 40], the range of standardised data."""

    def f(x):
        a, b = stats.norm.pdf(x, m1, s1), stats.norm.pdf(x, m2, s2)
        return 0.5 * sum(c * math.log(2.0 * c / (a + b)) for c in (a, b) if c > 0.0)

    inside = [v for v in (m1, m2) if -40.0 < v < 40.0]
    return integrate.quad(f, -40.0, 40.0, points=inside or None, limit=200)[0]


def _js_continuous_merging_absolutely(p, q):
    """js_continuous with breakpoints closer than 1e-14 merged in absolute, not relative, terms."""

    def f(x):
        log_p, log_q = float(p.logpdf(x)), float(q.logpdf(x))
        return reference._js_integrand(log_p, log_q, log_p - log_q)

    ordered = sorted(set(reference._breakpoints(p, q)))
    points = ordered[:1]
    for x in ordered[1:]:
        if x - points[-1] > 1e-14:
            points.append(x)
        elif x == ordered[-1]:
            points[-1] = x  # the range keeps its outer end
    return min(max(reference._integrate(f, points), 0.0), LOG2)


AFFINE_ORACLES: dict[str, Callable[..., Any]] = {
    "kl_normal": reference.kl_normal,
    "js_normal": reference.js_normal,
    "wasserstein1_normal": reference.wasserstein1_normal,
    "js_continuous": reference.js_continuous,  # of two frozen normals, at one tiny scale
}
#: How each divergence changes under x -> a x + b: f-divergences not at all, W1 by |a|.
SCALES_BY = {"kl_normal": False, "js_normal": False, "wasserstein1_normal": True}


@claim(
    "info.affine-invariance",
    statement=(
        r"An $f$-divergence is invariant under an invertible map of the sample space, so for "
        r"$x \mapsto a x + b$ ($a \ne 0$) $KL(N(a\mu_1 + b, a^2\sigma_1^2) \| N(a\mu_2 + b, "
        r"a^2\sigma_2^2)) = KL(N(\mu_1, \sigma_1^2) \| N(\mu_2, \sigma_2^2))$, the same for JSD, "
        r"while $W_1$ is multiplied by $|a|$; the Gaussian oracles keep this over the whole float "
        r"range of $a$."
    ),
    source="Csiszár (1967); Cover & Thomas (2006)",
    locator=(
        "Csiszár, invariance of f-divergences under sufficient (here invertible) maps; C&T "
        "§8.6 (translation and scaling of densities); W1 by its definition as an infimum of "
        "E|X - Y|"
    ),
    check=(
        r"For Hypothesis-drawn moderate normals (means in $[-5, 5]$, standard deviations in "
        r"$[0.2, 5]$), a shift $c \in [-5, 5]$ and a scale $a = \pm 2^k$ with $k$ anywhere from "
        r"the smallest normal float to the largest (clipped so that every mapped parameter is a "
        r"normal finite float, so the map is exact), `kl_normal`, `js_normal` and "
        r"`wasserstein1_normal` at $(a(\mu_1 + c), |a|\sigma_1, a(\mu_2 + c), |a|\sigma_2)$ must "
        r"equal their values at $(\mu_1 + c, \sigma_1, \mu_2 + c, \sigma_2)$ (times $|a|$ for "
        r"$W_1$; $+\infty$ where the mapped mean gap, a lower bound of $W_1$, exceeds the largest "
        r"float) to $10^{-9}$ relative, called with numpy raising on overflow and invalid "
        r"operations; the moderate values are checked against quadrature by "
        r"`info.normal-oracles`. 25 examples per run. Once, `js_continuous` of scipy's frozen "
        r"normals $(0.7, 1)$ and $(-1.3, 1.8)$ must be unchanged, to the same tolerance, when "
        r"all four parameters are scaled by $2^{-60}$ (breakpoints $10^{-18}$ apart)."
    ),
    subject=AFFINE_ORACLES,
    figure="affine_invariance.png",
    falsifiers=[
        (
            r"the Gaussian KL evaluated as written, $\log\frac{\sigma_2}{\sigma_1} + "
            r"\frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2} - \frac12$ (its squares overflow "
            r"or underflow at large or small scales)",
            AFFINE_ORACLES | {"kl_normal": _kl_normal_as_written},
        ),
        (
            r"$W_1$ as the folded normal's mean written out, "
            r"$|s|\sqrt{2/\pi}\,e^{-d^2/2s^2} + d(1 - 2\Phi(-d/|s|))$ ($d^2$ and $s^2$ overflow "
            r"or underflow)",
            AFFINE_ORACLES | {"wasserstein1_normal": _w1_normal_as_written},
        ),
        (
            r"the JSD of two normals integrated over $x \in [-40, 40]$, the range of "
            r"standardised data",
            AFFINE_ORACLES | {"js_normal": _js_normal_on_fixed_range},
        ),
        (
            "the generic JSD quadrature with its breakpoints merged when closer than 1e-14 in "
            "absolute terms (at a scale of 1e-18 all of them merge)",
            AFFINE_ORACLES | {"js_continuous": _js_continuous_merging_absolutely},
        ),
    ],
)
def test_affine_invariance(oracles):
    # the generic quadrature on scipy's frozen normals, once, at the scale 2^-60 (~1e-18),
    # where its breakpoints are ~1e-18 apart
    m1, s1, m2, s2 = 0.7, 1.0, -1.3, 1.8
    a = math.ldexp(1.0, -60)
    oracle = oracles["js_continuous"]
    expected = _guarded(oracle, stats.norm(m1, s1), stats.norm(m2, s2))
    value = _guarded(oracle, stats.norm(a * m1, a * s1), stats.norm(a * m2, a * s2))
    expect(
        _close(value, expected, ORACLE_RTOL, ORACLE_ATOL),
        "js_continuous under x -> a x + b",
        observed=value,
        expected=expected,
        repro=f"js_continuous(N({a * m1!r}, {a * s1!r}), N({a * m2!r}, {a * s2!r}))",
    )

    @forall(
        m1=st.floats(-5.0, 5.0),
        s1=st.floats(0.2, 5.0),
        m2=st.floats(-5.0, 5.0),
        s2=st.floats(0.2, 5.0),
        shift=st.floats(-5.0, 5.0),
        k=st.integers(-1100, 1100),
        negative=st.booleans(),
    )
    # the means a(mu + c) of opposite signs near the largest float: their difference overflows
    @example(m1=4.0, s1=1.0, m2=-4.5, s2=1.5, shift=0.0, k=1100, negative=False)
    @example(m1=-3.0, s1=2.0, m2=3.0, s2=2.0, shift=0.0, k=1100, negative=True)
    @example(m1=0.5, s1=0.3, m2=-0.25, s2=0.6, shift=0.0, k=-1100, negative=False)
    # every value below 1 in magnitude: the largest scale is 2^1023 (2^1024 overflowed)
    @example(m1=0.0, s1=0.5, m2=0.0, s2=0.5, shift=0.0, k=1100, negative=False)
    @settings(max_examples=25)
    def prop(m1, s1, m2, s2, shift, k, negative):
        moderate = (m1 + shift, s1, m2 + shift, s2)
        lowest, highest = _scale_bounds(moderate)
        # and a = 2^k itself a finite float: k <= 1023 (with every value below 1 in magnitude,
        # highest alone would allow 2^1024)
        k = min(max(k, lowest), highest, LARGEST_EXPONENT - 1)
        a = -math.ldexp(1.0, k) if negative else math.ldexp(1.0, k)
        mapped = (a * moderate[0], abs(a) * s1, a * moderate[2], abs(a) * s2)
        for name in SCALES_BY:
            oracle = oracles[name]
            expected = _guarded(oracle, *moderate) * (abs(a) if SCALES_BY[name] else 1.0)
            if name == "wasserstein1_normal" and not math.isfinite(mapped[2] - mapped[0]):
                # W1 >= |mu2 - mu1|, beyond the largest float: |a| W1 is +inf in floats
                expected = math.inf
            value = _guarded(oracle, *mapped)
            expect(
                _close(
                    value, expected, ORACLE_RTOL, ORACLE_ATOL * (abs(a) if SCALES_BY[name] else 1.0)
                ),
                f"{name} under x -> a x + b",
                observed=value,
                expected=expected,
                repro=f"{name}{mapped} against {name}{moderate}, a = {a!r}",
            )

    prop()


# --- info.gaussian-kl-float-range ---------------------------------------------------------


def kl_normal_in_60_digits(m1: float, s1: float, m2: float, s2: float) -> float:
    r"""The Gaussian KL of the given doubles, evaluated in 60-digit arithmetic, then rounded."""
    with mpmath.workdps(60):
        m1_, s1_, m2_, s2_ = (mpmath.mpf(v) for v in (m1, s1, m2, s2))
        value = mpmath.log(s2_ / s1_) + (s1_**2 + (m1_ - m2_) ** 2) / (2 * s2_**2) - 0.5
        return float(value) if value < mpmath.mpf(np.finfo(float).max) else math.inf


def _kl_normal_log_difference(m1, s1, m2, s2):
    """The Gaussian KL from log s2 - log s1 and (r^2 - 1)/2 (cancels for near-equal sigmas)."""
    with np.errstate(over="ignore", under="ignore"):
        r = np.float64(s1) / np.float64(s2)
        d = (np.float64(m1) - np.float64(m2)) / np.float64(s2)
        return float(np.log(s2) - np.log(s1) + 0.5 * (r * r - 1.0) + 0.5 * d * d)


#: Any positive float, subnormal to the largest.
POSITIVE = st.floats(min_value=5e-324, max_value=1.7976931348623157e308)
#: Any finite float.
FINITE = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def normal_pairs_over_the_float_range(draw):
    """Parameters anywhere in the float range, or a near-equal pair (relative gaps 1e-15..0.5)."""
    kind = draw(st.sampled_from(["any", "near sigma", "near both"]), label="kind")
    m1, s1 = draw(FINITE, label="mu1"), draw(POSITIVE, label="sigma1")
    if kind == "any":
        return m1, s1, draw(FINITE, label="mu2"), draw(POSITIVE, label="sigma2")
    sign = draw(st.sampled_from([-1.0, 1.0]), label="sign")
    gap = sign * 10.0 ** draw(st.floats(-15.0, math.log10(0.5)), label="log10 gap")
    s2 = s1 * (1.0 + gap)
    if not 0.0 < s2 < math.inf:
        s2 = s1
    if kind == "near sigma":
        return m1, s1, m1, s2
    shift = 10.0 ** draw(st.floats(-15.0, 0.0), label="log10 mean gap")
    m2 = m1 + shift * s1
    return m1, s1, (m2 if math.isfinite(m2) else m1), s2


@claim(
    "info.gaussian-kl-float-range",
    statement=(
        r"$KL(N(\mu_1, \sigma_1^2) \| N(\mu_2, \sigma_2^2)) = \log\frac{\sigma_2}{\sigma_1} + "
        r"\frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2} - \frac12$ holds for every pair of "
        r"normals with float parameters, and `kl_normal` returns it to full relative precision: "
        r"for near-equal normals (where it is $\tfrac12$ the Fisher form "
        r"$\delta\mu^2/\sigma^2 + 2\delta\sigma^2/\sigma^2$ to leading order), for subnormal "
        r"standard deviations and for ratios and mean gaps beyond the float range."
    ),
    source="Cover & Thomas (2006); Kullback (1959)",
    locator=(
        "C&T ch. 8 (relative entropy of densities, here of two normals by direct integration); "
        "Kullback, Information Theory and Statistics, ch. 2 §6 (Fisher's information as the "
        "local form of KL)"
    ),
    check=(
        "For Hypothesis-drawn parameters anywhere in the float range (subnormal to 1e308), and "
        "near-equal pairs whose standard deviations and means differ by 1e-15 to 1/2 in "
        "relative terms, `kl_normal` (called with numpy raising on every floating-point "
        "exception, underflow included) must equal the closed form evaluated in 60-digit "
        "arithmetic from the same doubles, to 1e-13 relative ($+\\infty$ where it exceeds the "
        "largest float), and a scalar call must return a float."
    ),
    subject=reference.kl_normal,
    figure="gaussian_kl_float_range.png",
    falsifiers=[
        (
            r"the Gaussian KL evaluated as written, $\log\frac{\sigma_2}{\sigma_1} + "
            r"\frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2} - \frac12$",
            _kl_normal_as_written,
        ),
        (
            r"the Gaussian KL as $\log\sigma_2 - \log\sigma_1 + \tfrac12(r^2 - 1) + \tfrac12 d^2$ "
            r"(a difference of near-equal numbers when $\sigma_1 \approx \sigma_2$)",
            _kl_normal_log_difference,
        ),
        (
            "kl_normal returning a 0-d array for scalar parameters",
            lambda *p: np.asarray(reference.kl_normal(*p)),
        ),
    ],
)
def test_gaussian_kl_float_range(kl_normal):
    @forall(params=normal_pairs_over_the_float_range())
    @example(params=(0.0, 1e-300, 0.0, 1e300))  # the sigma ratio underflows
    @example(params=(0.0, 1e300, 0.0, 1e-300))  # and overflows
    @example(params=(1e308, 1e308, -1e308, 1.5e308))  # the mean gap overflows, the KL does not
    @example(params=(5e-324, 1e-320, 0.0, 1e-320))  # a subnormal mean and sigmas
    @example(params=(1.0, 1.0, 1.0, 1.0 + 2.0**-40))  # near-equal sigmas
    @example(params=(1e300, 7.0, 1e300, 7.0 * (1.0 - 3e-3)))  # near, in the series of _phi
    # sigma ratio 2.02: log r from the ratio; log s1 - log s2, a difference of two logarithms
    # near 614 (each rounded to 6e-14), is 1.3e-13 of the KL off here
    @example(params=(0.0, 6.512549103879921e266, 0.0, 3.228565158330573e266))
    @settings(max_examples=60)
    def prop(params):
        expected = kl_normal_in_60_digits(*params)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                with np.errstate(all="raise"):
                    got = kl_normal(*params)
            value = float(got)
        except (ArithmeticError, RuntimeWarning, ValueError):
            got, value = None, math.nan
        expect(
            _close(value, expected, FULL_PRECISION_RTOL, FULL_PRECISION_ATOL),
            "kl_normal against the closed form in 60 digits",
            observed=value,
            expected=expected,
            repro=f"kl_normal{params}",
        )
        expect(
            got is None or isinstance(got, float),
            "a scalar call returns a float",
            observed=type(got).__name__,
            expected="float (numpy.float64)",
            repro=f"type(kl_normal{params})",
        )

    prop()


# --- info.bounded-support-oracles ----------------------------------------------------------


def _nested_js(a: float) -> float:
    r"""JSD(U(A), U(B)) for A inside B with |A| / |B| = a: log 2 + (a log a - (1+a) log(1+a))/2."""
    return LOG2 + 0.5 * (a * math.log(a) - (1.0 + a) * math.log1p(a))


def _kl_epsilon_guarded(p, q, eps=1e-10):
    r"""KL of densities with the ratio guarded, :math:`\int p \log(p / (q + \epsilon))`."""
    lo, hi = (float(v) for v in p.support())

    def f(x):
        pdf = float(p.pdf(x))
        return pdf * math.log(pdf / (float(q.pdf(x)) + eps)) if pdf > 0.0 else 0.0

    return integrate.quad(f, lo, hi, limit=200)[0]


def _js_vanishing_as_equal(p, q):
    """JSD of densities whose integrand takes two log-densities of -inf ... or one as equal."""

    def f(x):
        a, b = float(p.pdf(x)), float(q.pdf(x))
        if a == 0.0 or b == 0.0:
            return 0.0  # 'no overlap here': treated like p == q
        m = 0.5 * (a + b)
        return 0.5 * (a * math.log(a / m) + b * math.log(b / m))

    points = sorted({float(v) for d in (p, q) for v in d.support()})
    return sum(integrate.quad(f, lo, hi, limit=200)[0] for lo, hi in itertools.pairwise(points))


BOUNDED_ORACLES = {
    "kl_continuous": reference.kl_continuous,
    "js_continuous": reference.js_continuous,
}


@claim(
    "info.bounded-support-oracles",
    statement=(
        r"For uniform distributions $U(A) \subset U(B)$ on intervals with $|A| = a |B|$, "
        r"$KL(U(A) \| U(B)) = \log(1/a)$, $KL(U(B) \| U(A)) = +\infty$ when $a < 1$ and "
        r"$JSD = \log 2 + \tfrac12[a \log a - (1 + a)\log(1 + a)]$; for disjoint supports "
        r"$JSD = \log 2$: the quadrature oracles get these where a density vanishes."
    ),
    source="Cover & Thomas (2006); Lin (1991)",
    locator=(
        "C&T §8.5 (relative entropy of densities, p log(p/0) = inf); Lin, Thm 1 (JSD <= log 2, "
        "with equality for disjoint supports)"
    ),
    check=(
        r"For Hypothesis-drawn intervals with dyadic ends (B of width $w = 2^j$, "
        r"$|j| \le 10$, centred on an integer in $[-100, 100]$, A inside it of width $a w$, "
        r"$a = n / 1024$, and C of width $w$ at most $10 w$ to the right of B), `kl_continuous` "
        r"and `js_continuous` of scipy's frozen uniforms must give the closed forms above to "
        r"$10^{-9}$ relative plus $10^{-12}$ ($+\infty$ exactly for the reverse "
        r"KL, $\log 2$ for B and C); the closed form of the nested JSD is the sum of "
        r"$p \log(2p/(p+q))$ over the two constant pieces. 25 examples per run."
    ),
    subject=BOUNDED_ORACLES,
    figure="bounded_support_oracles.png",
    falsifiers=[
        (
            r"KL of densities with the ratio guarded by an epsilon, "
            r"$\int p \log\frac{p}{q + 10^{-10}}$ (finite where $q$ vanishes)",
            BOUNDED_ORACLES | {"kl_continuous": _kl_epsilon_guarded},
        ),
        (
            "a JSD integrand that contributes nothing where either density vanishes, as if "
            "the two were equal there",
            BOUNDED_ORACLES | {"js_continuous": _js_vanishing_as_equal},
        ),
    ],
)
def test_bounded_support_oracles(oracles):
    # dyadic ends (integers over powers of two), so that every end and width the frozen
    # uniforms hold is exact and the closed forms are those of the intervals drawn
    @forall(
        centre=st.integers(-100, 100),
        log2_width=st.integers(-10, 10),
        inner_1024ths=st.integers(1, 1024),
        position_1024ths=st.integers(0, 1024),
        gap_8ths=st.integers(0, 80),
    )
    @example(centre=0, log2_width=0, inner_1024ths=1024, position_1024ths=512, gap_8ths=0)
    @settings(max_examples=25)
    def prop(centre, log2_width, inner_1024ths, position_1024ths, gap_8ths):
        width = math.ldexp(1.0, log2_width)
        b_lo = centre - 0.5 * width
        b = stats.uniform(b_lo, width)
        ratio = inner_1024ths / 1024.0
        inner = ratio * width
        a_lo = b_lo + (width - inner) * (position_1024ths / 1024.0)
        a = stats.uniform(a_lo, inner)
        c = stats.uniform(b_lo + width + width * (gap_8ths / 8.0), width)
        repro = f"uniform({a_lo}, {inner}), uniform({b_lo}, {width})"
        value = _guarded(oracles["kl_continuous"], a, b)
        expected = -math.log(ratio)
        expect(
            _close(value, expected, ORACLE_RTOL, ORACLE_ATOL),
            "KL(U(A) || U(B)) = log(|B| / |A|)",
            observed=value,
            expected=expected,
            repro=f"kl_continuous({repro})",
        )
        if ratio < 1.0:
            value = _guarded(oracles["kl_continuous"], b, a)
            expect(
                value == math.inf,
                "KL(U(B) || U(A)) = +inf",
                observed=value,
                expected=math.inf,
                repro=f"kl_continuous({repro}) reversed",
            )
        expected = _nested_js(ratio)
        for first, second in ((a, b), (b, a)):
            value = _guarded(oracles["js_continuous"], first, second)
            expect(
                _close(value, expected, ORACLE_RTOL, ORACLE_ATOL),
                "JSD of nested uniforms",
                observed=value,
                expected=expected,
                repro=f"js_continuous({repro})",
            )
        value = _guarded(oracles["js_continuous"], b, c)
        expect(
            _close(value, LOG2, ORACLE_RTOL, ORACLE_ATOL),
            "JSD of disjoint uniforms = log 2",
            observed=value,
            expected=LOG2,
            repro=f"js_continuous(uniform({b_lo}, {width}), uniform({c.support()[0]}, {width}))",
        )

    prop()


# --- info.local-fisher ------------------------------------------------------------------------

#: kl_continuous integrates psi(Delta) of Delta = log p - log q, a difference of two log-densities
#: each rounded to about an ulp of its magnitude (at most ~40 within the 1e-15 quantiles, for the
#: sigmas drawn here): Delta carries <= 1e-14 absolute, and psi ~ Delta^2/2 a relative error of
#: 2e-14 / |Delta|; the mass-weighted |Delta| is of order sqrt(2 KL), so 2e-14 / sqrt(KL) relative
#: bounds what the log-densities' round-off leaves, on top of the quadrature's 1e-9 relative.
LOG_DENSITY_ROUNDOFF = 2e-14
#: JSD = F/8 (1 + r): r is the cubic term of the expansion over the quadratic one, O(h) for a
#: relative step h (about h for a step in sigma, h^2 for one in the mean alone: measured
#: |r| <= 1.01 h for the steps drawn here); 4 h leaves a factor of 4.
FISHER_REMAINDER_FACTOR = 4.0


def _js_plain_integrand(p, q):
    """JSD of densities integrated plainly, 1/2 [p log(2p/(p+q)) + q log(2q/(p+q))]."""
    lo, hi = p.ppf(1e-15), p.isf(1e-15)

    def f(x):
        a, b = float(p.pdf(x)), float(q.pdf(x))
        return 0.5 * sum(c * math.log(2.0 * c / (a + b)) for c in (a, b) if c > 0.0)

    mid = float(p.mean())
    return integrate.quad(f, lo, mid, limit=200)[0] + integrate.quad(f, mid, hi, limit=200)[0]


LOCAL_ORACLES: dict[str, Callable[..., Any]] = {
    "kl_continuous": reference.kl_continuous,
    "js_continuous": reference.js_continuous,
    "js_normal": reference.js_normal,
}


@claim(
    "info.local-fisher",
    statement=(
        r"For near-equal distributions KL and JSD are quadratic forms in the perturbation, "
        r"$KL(P_{\theta + h} \| P_\theta) = \tfrac12 h^\top I(\theta) h + O(|h|^3)$ and "
        r"$JSD = \tfrac18 h^\top I(\theta) h + O(|h|^3)$, with the Fisher form "
        r"$\delta\mu^2/\sigma^2 + 2\delta\sigma^2/\sigma^2$ for normals; the quadrature oracles "
        r"keep their precision there."
    ),
    source="Kullback (1959); Lin (1991)",
    locator=(
        "Kullback, Information Theory and Statistics, ch. 2 §6 (the Fisher information as the "
        "local form of KL); JSD as the f-divergence of f(t) = (t log t - (1+t) log((1+t)/2))/2 "
        "with f''(1) = 1/4 (Csiszár's local expansion D_f = f''(1)/2 chi^2 + ...)"
    ),
    check=(
        r"For Hypothesis-drawn $P = N(\mu + \delta\mu, \sigma^2(1 + \epsilon)^2)$ and "
        r"$Q = N(\mu, \sigma^2)$ (relative steps $|\epsilon|, |\delta\mu/\sigma|$ of $10^{-4}$ to "
        r"$10^{-3}$ for KL, and $1.4 \cdot 10^{-8}$ in $\sigma$ as an explicit example, of "
        r"$10^{-8}$ to $10^{-5}$ for JSD; $\mu \in [-100, 100]$, "
        r"$\sigma$ from $10^{-3}$ to $10^3$), `kl_continuous` on scipy's frozen normals must "
        r"equal the Gaussian KL evaluated in 60-digit arithmetic to $10^{-9} + 2 \cdot "
        r"10^{-14} / \sqrt{KL}$ relative (the second term the round-off of the log-density "
        r"ratio, about $10^{-6}$ at the smallest steps), and `js_continuous` and "
        r"`js_normal` must equal $\tfrac18$ of the Fisher form to $4h$ relative, $h$ the larger "
        r"relative step. 6 examples per run: each costs three adaptive quadratures."
    ),
    subject=LOCAL_ORACLES,
    figure="local_fisher.png",
    falsifiers=[
        (
            r"the JSD of densities integrated plainly, "
            r"$\tfrac12 \int p \log\frac{2p}{p+q} + q \log\frac{2q}{p+q}$ (its two terms cancel "
            r"to round-off for near-equal densities)",
            LOCAL_ORACLES | {"js_continuous": _js_plain_integrand},
        ),
        (
            r"the JSD of normals without its halves, $KL(P \| M) + KL(Q \| M)$ "
            r"($\tfrac14$ of the Fisher form)",
            LOCAL_ORACLES | {"js_normal": lambda *p: 2.0 * reference.js_normal(*p)},
        ),
        (
            r"the KL integrand $p\,\psi(\Delta)$, $\psi(\Delta) = \Delta + e^{-\Delta} - 1$, with "
            r"its series near 0 truncated after $\Delta^2/2$",
            LOCAL_ORACLES | {"kl_continuous": lambda p, q: _kl_with_quadratic_psi(p, q)},
        ),
        (
            r"the KL of densities over P's $10^{-15}$ quantiles with $P - Q$ of that range "
            r"added back as two cdf differences, $F(b) - F(a)$ near 1, to the integral (which "
            r"then keeps only multiples of an ulp of 1)",
            LOCAL_ORACLES | {"kl_continuous": lambda p, q: _kl_range_only(p, q, from_cdfs=True)},
        ),
        (
            r"the KL of densities over P's $10^{-15}$ quantiles with the masses added back "
            r"exactly but P's tails beyond them left out (they carry "
            r"$\int p \log(p/q)$, first order in the perturbation)",
            LOCAL_ORACLES | {"kl_continuous": lambda p, q: _kl_range_only(p, q, from_cdfs=False)},
        ),
    ],
)
def test_local_fisher(oracles):
    @forall(
        mu=st.floats(-100.0, 100.0),
        log10_sigma=st.floats(-3.0, 3.0),
        log10_step=st.floats(-4.0, -3.0),
        log10_js_step=st.floats(-8.0, -5.0),
        signs=st.sampled_from([(1, 0), (-1, 0), (1, 1), (-1, -1), (0, 1), (1, -1)]),
    )
    @example(mu=0.0, log10_sigma=0.0, log10_step=-3.2, log10_js_step=-7.0, signs=(1, 0))
    # N(0, 1 + 1.4e-8) against N(0, 1): KL 2e-16, below the cdfs' round-off of a mass near 1
    @example(mu=0.0, log10_sigma=0.0, log10_step=-7.85, log10_js_step=-6.0, signs=(1, 0))
    @settings(max_examples=6)
    def prop(mu, log10_sigma, log10_step, log10_js_step, signs):
        sigma = 10.0**log10_sigma
        for step, names in (
            (10.0**log10_step, ("kl_continuous",)),
            (
                10.0**log10_js_step,
                ("js_continuous", "js_normal"),
            ),
        ):
            m1, s1 = mu + signs[1] * step * sigma, sigma * (1.0 + signs[0] * step)
            fisher = ((m1 - mu) / sigma) ** 2 + 2.0 * ((s1 - sigma) / sigma) ** 2
            h = max(abs(m1 - mu), abs(s1 - sigma)) / sigma
            for name in names:
                oracle = oracles[name]
                if name == "js_normal":
                    value = _guarded(oracle, m1, s1, mu, sigma)
                else:
                    value = _guarded(oracle, stats.norm(m1, s1), stats.norm(mu, sigma))
                repro = f"{name}(N({m1!r}, {s1!r}), N({mu!r}, {sigma!r}))"
                if name == "kl_continuous":
                    expected = kl_normal_in_60_digits(m1, s1, mu, sigma)
                    rtol = ORACLE_RTOL + LOG_DENSITY_ROUNDOFF / math.sqrt(expected)
                    ok = _close(value, expected, rtol, 0.0)
                    message = "kl_continuous of near-equal normals against KL in 60 digits"
                else:
                    expected = fisher / 8.0
                    ok = _close(value, expected, FISHER_REMAINDER_FACTOR * h, 0.0)
                    message = f"{name} of near-equal normals against 1/8 of the Fisher form"
                expect(ok, message, observed=value, expected=expected, repro=repro)

    prop()


def _kl_with_quadratic_psi(p, q):
    """kl_continuous's route with psi(D) = D^2/2 for |D| < 1e-3 (the series cut after one term)."""

    def f(x):
        log_p, log_q = float(p.logpdf(x)), float(q.logpdf(x))
        delta = log_p - log_q
        psi = 0.5 * delta * delta if abs(delta) < 1e-3 else delta + math.expm1(-delta)
        return math.exp(log_p) * psi

    lo, hi = float(p.ppf(1e-15)), float(p.isf(1e-15))
    mid = float(p.mean())
    integral = math.fsum(
        integrate.quad(f, a, b, epsabs=0.0, epsrel=1e-13, limit=200)[0]
        for a, b in ((lo, mid), (mid, hi))
    )
    return max(integral + float(p.cdf(hi) - p.cdf(lo)) - float(q.cdf(hi) - q.cdf(lo)), 0.0)


def _kl_range_only(p, q, from_cdfs):
    """kl_continuous's quadrature over P's 1e-15 quantiles plus P - Q there, nothing beyond.

    The masses come from cdf differences (each near 1, rounded to its ulp) or from the tails.
    """

    def f(x):
        log_p, log_q = float(p.logpdf(x)), float(q.logpdf(x))
        return reference._kl_integrand(log_p, log_p - log_q)

    points = reference._breakpoints(p)
    lo, hi = min(points), max(points)
    integral = reference._integrate(f, points)
    if from_cdfs:  # the integral added to a mass near 1 keeps only its ulps
        return max(integral + float(p.cdf(hi) - p.cdf(lo)) - float(q.cdf(hi) - q.cdf(lo)), 0.0)
    masses = float(q.cdf(lo) + q.sf(hi)) - float(p.cdf(lo) + p.sf(hi))
    return max(integral + masses, 0.0)

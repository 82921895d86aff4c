"""divergences.reference: closed forms against quadrature, quadrature against 30-digit mpmath."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

from divergences import reference

from . import naive

LOG2 = math.log(2.0)

JS_NORMAL_CASES = [
    (0.0, 1.0, 0.0, 1.0),
    (0.0, 1.0, 1.0, 1.0),
    (0.0, 1.0, 0.5, 1.2),
    (0.0, 1.0, 0.0, 3.0),
    (-2.0, 0.3, 5.0, 2.0),
    (0.0, 1.0, 1e-6, 1.0),  # JSD ~ 3e-14: relative precision near 0
    (0.0, 1.0, 0.0, 1.0 + 1e-7),
    (0.0, 1.0, 12.0, 1.0),  # nearly disjoint: JSD within 1e-18 of log 2
    (1e3, 1e-3, 1e3 + 1e-3, 2e-3),  # far from the origin, tiny scales
]


@pytest.mark.parametrize("case", JS_NORMAL_CASES, ids=str)
def test_js_normal_has_ten_correct_significant_digits(case):
    expected = naive.js_normal(*case)
    observed = float(reference.js_normal(*case))
    if expected == 0.0:
        assert observed == 0.0
    else:
        assert abs(observed - expected) <= 1e-10 * expected, (observed, expected)


def test_js_normal_disjoint_limit_and_symmetry():
    assert float(reference.js_normal(0.0, 1.0, 1e4, 1.0)) == LOG2
    a = float(reference.js_normal(0.0, 1.0, 0.7, 2.0))
    b = float(reference.js_normal(0.7, 2.0, 0.0, 1.0))
    assert abs(a - b) <= 1e-13 * a


def test_js_normal_broadcasts():
    out = reference.js_normal(0.0, 1.0, np.array([0.0, 1.0, 2.0]), 1.0)
    assert out.shape == (3,)
    assert out[0] == 0.0
    assert out[0] < out[1] < out[2] < LOG2


@pytest.mark.parametrize(
    "case",
    [(0.0, 1.0, 1.0, 1.0), (0.0, 1.0, 0.5, 1.2), (3.0, 0.2, -1.0, 4.0), (0.0, 2.0, 0.0, 1.0)],
    ids=str,
)
def test_kl_normal_closed_form_matches_mpmath_quadrature(case):
    m1, s1, m2, s2 = case
    with mp.workdps(30):

        def f(x):
            lp = -((x - m1) ** 2) / (2 * s1**2) - mp.log(s1)
            lq = -((x - m2) ** 2) / (2 * s2**2) - mp.log(s2)
            return mp.exp(lp) / mp.sqrt(2 * mp.pi) * (lp - lq)

        expected = float(mp.quad(f, [-mp.inf, m1 - 10 * s1, m1, m1 + 10 * s1, mp.inf]))
    assert abs(float(reference.kl_normal(*case)) - expected) <= 1e-14 * max(expected, 1e-300)


def test_kl_normal_near_equal_keeps_relative_precision():
    # KL(N(0,1) || N(0, 1+e)) = e^2 + O(e^3); the textbook formula cancels to 0 at e = 1e-9
    s2_float = 1.0 + 1e-9
    with mp.workdps(40):
        s2 = mp.mpf(s2_float)
        expected = float(mp.log(s2) + 1 / (2 * s2**2) - mp.mpf(1) / 2)
    observed = float(reference.kl_normal(0.0, 1.0, 0.0, s2_float))
    assert abs(observed - expected) <= 1e-12 * expected


@pytest.mark.parametrize(
    ("p", "q"),
    [
        (stats.norm(0, 1), stats.norm(1, 1)),
        (stats.norm(0, 1), stats.norm(0.5, 2.0)),
        (stats.norm(2, 0.5), stats.norm(-1, 1.5)),
    ],
)
def test_kl_continuous_matches_closed_form(p, q):
    expected = float(reference.kl_normal(p.mean(), p.std(), q.mean(), q.std()))
    assert abs(reference.kl_continuous(p, q) - expected) <= 1e-10 * expected


def test_kl_continuous_exponential_closed_form():
    # KL(Exp(a) || Exp(b)) = log(a/b) + b/a - 1 (rates a, b)
    a, b = 2.0, 0.5
    expected = math.log(a / b) + b / a - 1
    observed = reference.kl_continuous(stats.expon(scale=1 / a), stats.expon(scale=1 / b))
    assert abs(observed - expected) <= 1e-10 * expected


def test_kl_continuous_off_support_is_infinite():
    assert reference.kl_continuous(stats.norm(0, 1), stats.uniform(0, 1)) == math.inf
    assert math.isfinite(reference.kl_continuous(stats.uniform(0, 1), stats.norm(0, 1)))


def test_js_continuous_matches_js_normal():
    for case in [(0.0, 1.0, 1.0, 1.0), (0.0, 1.0, 0.5, 3.0)]:
        m1, s1, m2, s2 = case
        observed = reference.js_continuous(stats.norm(m1, s1), stats.norm(m2, s2))
        expected = float(reference.js_normal(*case))
        assert abs(observed - expected) <= 1e-10 * expected


def test_js_continuous_disjoint_uniforms_is_log2():
    assert abs(reference.js_continuous(stats.uniform(0, 1), stats.uniform(2, 1)) - LOG2) < 1e-14


def test_js_continuous_overlapping_uniforms_closed_form():
    # U(0,1) vs U(0.5,1.5): half of each mass is shared, JSD = (1/2) log 2
    observed = reference.js_continuous(stats.uniform(0, 1), stats.uniform(0.5, 1))
    assert abs(observed - 0.5 * LOG2) < 1e-12


def test_kl_multivariate_normal_reduces_to_univariate_sum():
    mean1, mean2 = np.array([0.0, 1.0, -2.0]), np.array([0.5, 0.0, -1.0])
    sd1, sd2 = np.array([1.0, 0.5, 2.0]), np.array([1.5, 0.5, 1.0])
    expected = float(np.sum(reference.kl_normal(mean1, sd1, mean2, sd2)))
    observed = reference.kl_multivariate_normal(mean1, np.diag(sd1**2), mean2, np.diag(sd2**2))
    assert abs(observed - expected) <= 1e-13 * expected


def test_kl_multivariate_normal_is_invariant_under_rotation():
    rng = np.random.default_rng(6)
    a = rng.normal(size=(3, 3))
    c1 = a @ a.T + np.eye(3)
    c2 = np.diag([1.0, 2.0, 3.0])
    m1, m2 = rng.normal(size=3), rng.normal(size=3)
    rot, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    before = reference.kl_multivariate_normal(m1, c1, m2, c2)
    after = reference.kl_multivariate_normal(rot @ m1, rot @ c1 @ rot.T, rot @ m2, rot @ c2 @ rot.T)
    assert abs(before - after) <= 1e-12 * before


@pytest.mark.parametrize("case", [(0.0, 1.0, 3.0, 1.0), (0.0, 1.0, 0.5, 2.0), (1.0, 3.0, 1.0, 1.0)])
def test_wasserstein1_normal_matches_quantile_integral(case):
    m1, s1, m2, s2 = case
    expected, _ = integrate.quad(
        lambda u: abs(stats.norm.ppf(u, m1, s1) - stats.norm.ppf(u, m2, s2)), 0, 1, limit=200
    )
    assert abs(float(reference.wasserstein1_normal(*case)) - expected) < 1e-8


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.0, 0.0, 0.0, 1.0), r"sigma1 must be a standard deviation > 0; got 0.0"),
        ((0.0, 1.0, 0.0, -1.0), r"sigma2 must be a standard deviation > 0; got -1.0"),
        ((np.nan, 1.0, 0.0, 1.0), r"mu1 must be finite; got nan"),
        ((0.0, 1.0, np.inf, 1.0), r"mu2 must be finite; got inf"),
        (
            ([0, 1], 1.0, [0, 1, 2], 1.0),
            r"mu1, sigma1, mu2, sigma2 have shapes .* do not broadcast",
        ),
    ],
)
@pytest.mark.parametrize("function", [reference.kl_normal, reference.js_normal])
def test_normal_parameter_messages(function, args, message):
    with pytest.raises(ValueError, match=message):
        function(*args)


def test_multivariate_normal_messages():
    eye = np.eye(2)
    with pytest.raises(ValueError, match=r"cov2 is not positive definite .* Add a small ridge"):
        reference.kl_multivariate_normal([0, 0], eye, [0, 0], np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"cov1 is not symmetric"):
        reference.kl_multivariate_normal([0, 0], [[1, 0.5], [0, 1]], [0, 0], eye)
    with pytest.raises(ValueError, match=r"cov1 must have shape \(2, 2\) to match the means"):
        reference.kl_multivariate_normal([0, 0], np.eye(3), [0, 0], eye)
    with pytest.raises(ValueError, match=r"mean1 has 2 dimensions but mean2 has 3"):
        reference.kl_multivariate_normal([0, 0], eye, [0, 0, 0], np.eye(3))
    with pytest.raises(ValueError, match=r"mean1 must be a non-empty 1-D vector; got shape \(\)"):
        reference.kl_multivariate_normal(0.0, eye, [0, 0], eye)


@pytest.mark.parametrize("oracle", [reference.kl_continuous, reference.js_continuous])
def test_continuous_requires_frozen_scipy_distributions(oracle):
    # each argument is named in its own message (both oracles, both arguments)
    with pytest.raises(TypeError, match=r"^q must be a frozen scipy.stats continuous .* got rv_"):
        oracle(stats.norm(0, 1), stats.poisson(3))
    with pytest.raises(TypeError, match=r"^p must be a frozen scipy.stats continuous .* got str"):
        oracle("norm", stats.norm(0, 1))


def _kl_normal_mpmath(m1: float, s1: float, m2: float, s2: float) -> mp.mpf:
    """The closed form in 80-digit arithmetic, from the exact float inputs, in two parts."""
    with mp.workdps(80):
        m1, s1, m2, s2 = (mp.mpf(v) for v in (m1, s1, m2, s2))
        r = s1 / s2
        return ((r * r - 1) / 2 - mp.log(r)) + ((m1 - m2) / s2) ** 2 / 2


@given(
    st.floats(-1e308, 1e308),
    st.integers(-300, 300),
    st.floats(1.0, 10.0),
    st.floats(-1e308, 1e308),
    st.integers(-300, 300),
    st.floats(1.0, 10.0),
)
def test_kl_normal_keeps_relative_precision_over_the_float_range(m1, e1, f1, m2, e2, f2):
    # sigma ratios from 1e-600 to 1e600 and means anywhere: the value, or inf exactly where
    # the divergence exceeds the largest float
    s1, s2 = f1 * 10.0**e1, f2 * 10.0**e2
    expected = _kl_normal_mpmath(m1, s1, m2, s2)
    observed = float(reference.kl_normal(m1, s1, m2, s2))
    if expected > mp.mpf(np.finfo(float).max):
        assert observed == np.inf
    else:
        # 64 ulps relative; a subnormal result carries at most its spacing of 2^-1074
        assert abs(mp.mpf(observed) - expected) <= 64 * (2.0**-52 * expected + 2.0**-1074)


@pytest.mark.parametrize(
    "case",
    [
        (0.0, 1e-8, 0.0, 1.0),  # log(1 + v) with v rounding to -1: was inf, is 17.9
        (0.0, 1e-300, 0.0, 1e300),  # the ratio underflows
        (0.0, 1e300, 0.0, 1e-300),  # ... overflows: the divergence too (inf)
        (1e308, 1e308, -1e308, 1e308),  # s1 - s2 and m1 - m2 at the end of the range: was NaN
        (0.0, 5e-324, 0.0, 1e-323),  # subnormal sigmas
        (0.0, 1.0, 0.0, 1.0 + 2.0**-52),  # near-equal
    ],
)
def test_kl_normal_at_the_extremes(case):
    expected = _kl_normal_mpmath(*case)
    observed = float(reference.kl_normal(*case))
    if expected > mp.mpf(np.finfo(float).max):
        assert observed == np.inf
    else:
        # 64 ulps relative; a subnormal result carries at most its spacing of 2^-1074
        assert abs(mp.mpf(observed) - expected) <= 64 * (2.0**-52 * expected + 2.0**-1074)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # scale invariance: each extreme case equals a moderate one with the same shape
        ((1e308, 1e308, -1e308, 1e308), (1.0, 1.0, -1.0, 1.0)),
        ((0.0, 5e-324, 0.0, 1e-323), (0.0, 1.0, 0.0, 2.0)),
        ((3e-310, 1e-310, 0.0, 2e-310), (3.0, 1.0, 0.0, 2.0)),
        ((0.0, 1e300, 1e300, 1e300), (0.0, 1.0, 1.0, 1.0)),
    ],
)
def test_js_normal_over_the_float_range_by_scale_invariance(case, expected):
    # JSD(N(m1, s1), N(m2, s2)) depends on (m1 - m2)/s2 and s1/s2 only; these cases were NaN,
    # 0.0 or a ZeroDivisionError
    observed = float(reference.js_normal(*case))
    assert observed == pytest.approx(float(reference.js_normal(*expected)), rel=1e-10)


def test_js_normal_is_log_2_beyond_the_float_range():
    assert float(reference.js_normal(0.0, 1e-300, 0.0, 1e300)) == pytest.approx(math.log(2))
    assert float(reference.js_normal(-1e308, 1.0, 1e308, 1.0)) == math.log(2)


@pytest.mark.parametrize(
    "case",
    [
        (1e300, 5e-324, 0.0, 5e-324),  # a gap of 2^2070 subnormal sigmas
        (1.0, 1e-310, 0.0, 1e-310),
        (-1e308, 1e-300, 1e308, 1e-300),  # the gap itself overflows
        (1e-320, 5e-324, 0.0, 1e-323),  # subnormal everything, 1000 sigmas apart
    ],
)
def test_js_normal_of_tiny_sigmas_far_apart_is_log_2_not_an_overflow(case):
    # the gap was scaled by the sigmas' power of two before the far-apart test, and
    # math.ldexp raised OverflowError for a gap beyond 2^1024 of the sigma
    assert float(reference.js_normal(*case)) == math.log(2)


def test_js_normal_with_an_overflowing_gap_and_huge_sigmas_is_still_integrated():
    # m1 - m2 overflows, but the sigmas are of the same size: the same shape as N(-10, 2) and
    # N(10, 3), by the invariance under x -> x / 10^307
    observed = float(reference.js_normal(-1e308, 2e307, 1e308, 3e307))
    assert observed == pytest.approx(float(reference.js_normal(-10.0, 2.0, 10.0, 3.0)), rel=1e-10)
    assert observed < math.log(2)


# quad reports round-off on this piecewise-constant density (a pre-existing limit of the oracle's
# two-pass tolerance, stated in its docstring for smooth densities only); the value is right to 1e-9
@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_kl_continuous_counts_q_where_p_has_a_gap_in_its_support():
    # p = 1/4, 0, 3/4 on the unit bins of [0, 3], q uniform on [0, 3]: the rearranged integrand
    # p psi = p log(p/q) - p + q tends to q on the gap, whose mass the cdfs' P - Q add back
    weights, edges = np.array([1.0, 0.0, 3.0]), np.array([0.0, 1.0, 2.0, 3.0])
    p = stats.rv_histogram((weights, edges), density=False)()
    truth = 0.25 * math.log(0.75) + 0.75 * math.log(2.25)
    assert reference.kl_continuous(p, stats.uniform(0, 3)) == pytest.approx(truth, rel=1e-9)


@pytest.mark.parametrize(
    "case",
    [
        (-1e308, 1.0, 1e308, 1.0),  # the mean gap overflows, the sigmas are equal
        (-1e308, 1.0, 1e308, 2.0),  # the mean gap overflows, the sigmas differ
        (0.0, 1.0, 1e200, 1.0 + 2.0**-40),  # d / s is finite but its square overflows
    ],
)
def test_wasserstein1_normal_is_inf_or_finite_without_warning(case):
    # pytest turns warnings into errors: before the fix d = m2 - m1 was formed outside the
    # errstate, so an overflowing mean gap warned (though inf, W1 >= |d|, was the right value)
    m1, _, m2, _ = case
    truth = abs(m2 - m1) if math.isfinite(m2 - m1) else math.inf
    value = float(reference.wasserstein1_normal(*case))
    assert value == pytest.approx(truth, rel=1e-12, abs=0.0)


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("s1", [1.0 + 1.4e-8, 1.0 - 1.4e-8, 1.0 + 3e-7])
def test_kl_continuous_keeps_relative_precision_for_near_equal_normals(s1):
    # KL(N(0, s1) || N(0, 1)) = s1^2/2 - 1/2 - log s1 ~ (s1 - 1)^2, 2e-16 at the first: the
    # integral used to be added to P(range) - Q(range) from cdf differences near 1, which kept
    # only multiples of an ulp of 1 (13 % off), and P's tails beyond its 1e-15 quantiles, which
    # carry a KL of first order in s1 - 1, were left out (1e-5 off)
    with mp.workdps(60):
        s = mp.mpf(s1)
        truth = float(s * s / 2 - mp.mpf(0.5) - mp.log(s))
    value = reference.kl_continuous(stats.norm(0.0, s1), stats.norm(0.0, 1.0))
    assert value == pytest.approx(truth, rel=2e-14 / math.sqrt(truth), abs=0.0)


@pytest.mark.parametrize(
    "case",
    [
        (0.0, 1.0, 0.0, 1e-17),  # s1 > 2^53 s2: log1p(-1) was a math domain error
        (0.0, 1.0, 1.0, 1e-300),
        (0.0, 1.0, 0.0, 1e-310),
        (1.0, 1e-17, 0.0, 1.0),  # the narrow law away from 0: its mass was missed, log(2)/2
        (1.0, 1e-300, 0.0, 1.0),
    ],
)
def test_js_normal_of_a_very_narrow_law_against_a_wide_one_is_log_2_either_way(case):
    # the narrow density is 1e17 or more times the wide one on its own mass, and the wide one's
    # mass within reach of the narrow is 1e-17 or less: JSD is log 2 to 1e-13
    m1, s1, m2, s2 = case
    forward = float(reference.js_normal(m1, s1, m2, s2))
    assert forward == pytest.approx(math.log(2), rel=1e-13)
    assert float(reference.js_normal(m2, s2, m1, s1)) == forward


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # 40-digit mpmath, each expectation integrated in its own law's standard variable
        ((1.0, 1e-8, 0.0, 1.0), 0.69314697690460843),
        ((1.0, 1e-5, 0.0, 1.0), 0.69303907268785163),
        ((1.0, 1e-3, 0.0, 1.0), 0.68745796630460092),
    ],
)
def test_js_normal_of_narrow_laws_off_the_origin(case, expected):
    # the narrow law now sits at 0 after the shift; before, at 1, it lost 5e-11 relative at
    # sigma 1e-8 (and everything at 1e-17)
    assert float(reference.js_normal(*case)) == pytest.approx(expected, rel=1e-11)


@pytest.mark.parametrize("loc", [0.5, 56.99951171875, 1000.0, -77.25])
def test_narrow_nested_uniforms_away_from_zero_keep_full_precision(loc):
    # a Hypothesis draw found 1e-9 relative at loc 57: the support's end was merged into a
    # tail quantile 5.7e-13 below it, and the quadrature crossed the jump
    from scipy.stats import uniform

    w, aw = 2.0**-10, 0.0005693435668945312
    a = aw / w
    js = math.log(2.0) + 0.5 * (a * math.log(a) - (1.0 + a) * math.log(1.0 + a))
    got_js = reference.js_continuous(uniform(loc, aw), uniform(loc, w))
    got_kl = reference.kl_continuous(uniform(loc, aw), uniform(loc, w))
    assert abs(got_js - js) <= 1e-13 * js
    assert abs(got_kl - math.log(1.0 / a)) <= 1e-13 * math.log(1.0 / a)

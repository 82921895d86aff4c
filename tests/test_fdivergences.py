"""dv.f_divergence: the conventions off-support, precision, batches and errors."""

from __future__ import annotations

import math
import re

import mpmath as mp
import numpy as np
import pytest

import divergences as dv

KINDS = tuple(dv.F_DIVERGENCES)


def _closed_form_mp(kind: str, p, q, dps: int = 50) -> float:
    """The closed forms of the table in high precision from the float inputs, entry by entry."""
    with mp.workdps(dps):
        total = mp.mpf(0)
        for a, b in zip(np.ravel(p).tolist(), np.ravel(q).tolist(), strict=True):
            a, b = mp.mpf(a), mp.mpf(b)
            if a == 0 and b == 0:
                continue
            if kind == "pearson":
                total += (a - b) ** 2 / b if b > 0 else mp.inf
            elif kind == "neyman":
                total += (a - b) ** 2 / a if a > 0 else mp.inf
            elif kind == "squared-hellinger":
                total += (mp.sqrt(a) - mp.sqrt(b)) ** 2
            elif kind == "gan":
                total += (a * mp.log(a / (a + b)) if a > 0 else 0) + (
                    b * mp.log(b / (a + b)) if b > 0 else 0
                )
            elif kind == "tv":
                total += abs(a - b) / 2
        return float(total)


def test_disjoint_supports_follow_the_limits_of_the_generators():
    p, q = [1.0, 0.0], [0.0, 1.0]
    expected = {
        "kl": math.inf,
        "reverse-kl": math.inf,
        "pearson": math.inf,
        "neyman": math.inf,
        "squared-hellinger": 2.0,
        "js": 2 * math.log(2.0),
        "gan": 0.0,
        "tv": 1.0,
    }
    assert set(expected) == set(KINDS)
    for kind, value in expected.items():
        assert float(dv.f_divergence(p, q, kind)) == value, kind


def test_one_sided_zeros():
    # q_i = 0 < p_i: p_i times the generator's slope at infinity; p_i = 0 < q_i: q_i f(0)
    p, q = [0.5, 0.5, 0.0], [0.5, 0.0, 0.5]
    assert dv.f_divergence(p, q, "pearson") == math.inf
    assert dv.f_divergence(p, q, "neyman") == math.inf
    assert dv.f_divergence(p, q, "tv") == pytest.approx(0.5)
    assert float(dv.f_divergence(p, q, "squared-hellinger")) == pytest.approx(1.0, rel=1e-15)
    gan = float(dv.f_divergence(p, q, "gan"))
    assert gan == pytest.approx(_closed_form_mp("gan", p, q), rel=1e-15)


@pytest.mark.parametrize("kind", KINDS)
def test_equal_vectors_give_exactly_zero(kind):
    p = np.array([0.2, 0.3, 0.5, 0.0])
    value = float(dv.f_divergence(p, p.copy(), kind))
    assert value == (-math.log(4.0) if kind == "gan" else 0.0)


@pytest.mark.parametrize("kind", ["pearson", "neyman", "squared-hellinger", "gan", "tv"])
@pytest.mark.parametrize("eps", [1e-4, 1e-9, 1e-13])
def test_near_equal_vectors_keep_relative_precision(kind, eps):
    q = np.array([0.25, 0.25, 0.5])
    p = np.array([0.25 + eps, 0.25 - eps, 0.5])
    value = float(dv.f_divergence(p, q, kind))
    assert value == pytest.approx(_closed_form_mp(kind, p, q), rel=1e-12)


@pytest.mark.parametrize("kind", ["pearson", "neyman", "squared-hellinger", "gan", "tv"])
def test_subnormal_and_near_disjoint_entries(kind):
    # GAN near disjoint supports: 2 JSD - log 4 would cancel to a few digits; the direct form
    # keeps them all
    p = np.array([1.0 - 1e-13, 1e-13, 5e-324])
    q = np.array([1e-13, 1.0 - 1e-13 - 1e-300, 1e-300])
    value = float(dv.f_divergence(p, q, kind))
    assert value == pytest.approx(_closed_form_mp(kind, p, q), rel=1e-12)


def test_batches_along_axis_like_the_other_vector_functions():
    rng = np.random.default_rng(3)
    p, q = rng.dirichlet(np.ones(5), size=4), rng.dirichlet(np.ones(5), size=4)
    for kind in KINDS:
        batch = dv.f_divergence(p, q, kind)
        assert batch.shape == (4,)
        singles = [float(dv.f_divergence(a, b, kind)) for a, b in zip(p, q, strict=True)]
        np.testing.assert_allclose(batch, singles, rtol=1e-15)
        np.testing.assert_allclose(dv.f_divergence(p.T, q.T, kind, axis=0), batch, rtol=1e-15)


def test_each_kind_equals_its_generator_sum():
    # an independent route for every closed form: sum_i q_i f(p_i/q_i) from the table's generator
    rng = np.random.default_rng(7)
    p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
    for kind, f in dv.F_DIVERGENCES.items():
        direct = float(np.sum(q * f.generator(p / q)))
        assert float(dv.f_divergence(p, q, kind)) == pytest.approx(direct, rel=1e-12), kind


def test_normalize_divides_by_the_sums():
    assert float(dv.f_divergence([2, 2], [1, 3], "tv", normalize=True)) == pytest.approx(0.25)


def test_unknown_kind_names_the_choices():
    message = (
        "kind must be one of 'kl', 'reverse-kl', 'pearson', 'neyman', 'squared-hellinger', "
        "'js', 'gan', 'tv'; got 'chi2'."
    )
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        dv.f_divergence([0.5, 0.5], [0.5, 0.5], "chi2")


@pytest.mark.parametrize("kind", ["kl", "pearson"])
def test_bad_vectors_get_the_library_messages(kind):
    with pytest.raises(ValueError, match=r"p has 1 negative entry \(min -0.1\)"):
        dv.f_divergence([-0.1, 1.1], [0.5, 0.5], kind)
    with pytest.raises(ValueError, match=r"q sums to 2"):
        dv.f_divergence([0.5, 0.5], [1.0, 1.0], kind)

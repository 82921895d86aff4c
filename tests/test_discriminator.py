"""divergences.js_discriminator: exact with D*, a lower bound otherwise, priors, errors."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

import divergences as dv

SUPPORT = np.arange(4.0)
P = np.array([1, 2, 3, 4]) / 10
Q = np.array([5, 1, 1, 3]) / 10


def _exact_sample(probabilities, total):
    """Support points repeated in exact proportion: a sample whose mean is the expectation."""
    return np.repeat(SUPPORT, np.rint(probabilities * total).astype(int))


def _d_star(points):
    idx = np.asarray(points, dtype=int).ravel()
    return P[idx] / (P[idx] + Q[idx])


def test_the_optimal_discriminator_gives_the_jsd_exactly_whatever_the_sizes():
    x, y = _exact_sample(P, 10), _exact_sample(Q, 1000)
    est = dv.js_discriminator(x, y, classifier=_d_star, seed=0)
    assert float(est) == pytest.approx(float(dv.js_divergence(P, Q)), rel=1e-12)
    assert est.folds == 0
    assert est.classifier == "callable"


def test_any_other_discriminator_is_below_the_jsd():
    x, y = _exact_sample(P, 10), _exact_sample(Q, 10)
    truth = float(dv.js_divergence(P, Q))
    rng = np.random.default_rng(80)
    for _ in range(20):
        table = rng.uniform(0.01, 0.99, 4)
        value = dv.js_discriminator(x, y, classifier=lambda z, t=table: t[z.astype(int).ravel()])
        assert value < truth


class _PosteriorOracle:
    """A 'classifier' that knows P and Q and answers with its training prior, as fitted ones do."""

    def fit(self, points, labels):
        self.prior = float(np.mean(labels))
        return self

    def predict_proba(self, points):
        idx = np.asarray(points, dtype=int).ravel()
        a, b = self.prior * P[idx], (1 - self.prior) * Q[idx]
        return np.column_stack([b / (a + b), a / (a + b)])


def test_a_user_classifier_is_corrected_from_its_training_prior_to_equal_priors():
    # 100 against 1000 points: uncorrected, the posterior's prior 1/11 would bias every term
    x, y = _exact_sample(P, 100), _exact_sample(Q, 1000)
    oracle = _PosteriorOracle()
    est = dv.js_discriminator(x, y, classifier=oracle, folds=4, seed=1)
    fixed = dv.js_discriminator(x, y, classifier=_d_star)
    assert float(est) == pytest.approx(float(fixed), rel=1e-12)
    assert est.classifier == "_PosteriorOracle"
    assert not hasattr(oracle, "prior")  # each fold fits a copy; the user's object is untouched


@pytest.mark.parametrize("classifier", ["quadratic", "logistic"])
def test_cross_fitted_bound_on_two_gaussians(classifier):
    rng = np.random.default_rng(81)
    x, y = rng.normal(0, 1, 3000), rng.normal(0.5, 1.2, 4000)
    truth = float(dv.reference.js_normal(0.0, 1.0, 0.5, 1.2))
    est = dv.js_discriminator(x, y, classifier=classifier, seed=2)
    low, high = est.interval
    # a lower bound up to sampling noise: never above the truth by more than 4 standard errors
    assert float(est) <= truth + 4 * est.standard_error
    if classifier == "quadratic":  # D* is in the family: the bound is close to the truth
        assert low <= truth <= high + 0.003
    else:  # an affine logit cannot express the variance ratio: a strictly weaker bound
        assert high < truth


def test_the_mlp_separates_a_ring_from_its_centre():
    rng = np.random.default_rng(82)
    angle = rng.uniform(0, 2 * np.pi, 400)
    ring = np.column_stack([np.cos(angle), np.sin(angle)]) + rng.normal(0, 0.05, (400, 2))
    centre = rng.normal(0, 0.2, (400, 2))
    mlp = dv.js_discriminator(ring, centre, classifier="mlp", folds=2, seed=3)
    affine = dv.js_discriminator(ring, centre, classifier="logistic", folds=2, seed=3)
    # nearly disjoint supports: the MLP's bound approaches log 2, an affine logit cannot
    assert float(mlp) > 0.6
    assert float(affine) < 0.1
    d = mlp.discriminator(np.array([[1.0, 0.0], [0.0, 0.0]]))
    assert d[0] > 0.9 > 0.1 > d[1]


def test_result_is_a_float_that_pickles_and_says_what_it_is():
    rng = np.random.default_rng(83)
    x, y = rng.normal(size=(200, 2)), rng.normal(0.3, 1, (300, 2))
    est = dv.js_discriminator(x, y, seed=4, base=2)
    assert isinstance(est, float)
    assert est <= 1.0  # log 2 in bits
    copy = pickle.loads(pickle.dumps(est))
    assert copy == est
    np.testing.assert_array_equal(copy.discriminator(x[:5]), est.discriminator(x[:5]))
    assert repr(est).startswith(f"DiscriminatorEstimate(js>={float(est):.6g} bits, 0.95 interval")
    assert repr(est).endswith("classifier=quadratic, folds=5, n_x=200, n_y=300, d=2)")
    assert repr(est.discriminator) == "FittedDiscriminator(5 fold(s), d=2)"
    again = dv.js_discriminator(x, y, seed=4, base=2)
    assert float(again) == float(est)
    assert dv.js_discriminator(x, y, ci=None, seed=4).interval is None


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"classifier": "svm"},
            ValueError,
            r"classifier must be one of 'mlp', 'logistic', 'quadratic', an object with "
            r"fit\(X, labels\) and predict_proba\(X\), or a callable D\(points\) -> "
            r"probabilities; got 'svm'\.",
        ),
        (
            {"classifier": 3},
            TypeError,
            r"classifier must be one of 'mlp', 'logistic', 'quadratic', an object with "
            r"fit\(X, labels\) and predict_proba\(X\) \(scikit-learn's interface\), or a "
            r"callable D\(points\) -> probabilities; got int\.",
        ),
        (
            {"folds": 1},
            ValueError,
            r"folds must be at least 2 \(the discriminator is evaluated on points it was not "
            r"fitted on\); got 1\.",
        ),
        ({"folds": 2.0}, TypeError, r"folds must be an integer; got 2\.0 of type float\."),
        (
            {"folds": 9},
            ValueError,
            r"folds=9 needs at least 9 points in each sample \(x has 8, y has 10\); use fewer "
            r"folds or more data\.",
        ),
        (
            {"classifier": lambda z: np.full(len(z), 0.5)[:-1]},
            ValueError,
            r"the discriminator's output on x must be 8 probabilities, one per point "
            r"\(shape \(8,\)\); got shape \(7,\)\.",
        ),
        (
            {"classifier": lambda z: z.ravel() * 0 + 1.5},
            ValueError,
            r"the discriminator's output on x must be probabilities in \[0, 1\]; 8 of 8 values "
            r"are not \(e\.g\. 1\.5\)\. A logit t gives the probability 1 / \(1 \+ exp\(-t\)\) "
            r"\(scipy\.special\.expit\)\.",
        ),
    ],
)
def test_invalid_input_message(kwargs, error, message):
    rng = np.random.default_rng(84)
    with pytest.raises(error, match=message):
        dv.js_discriminator(rng.normal(size=8), rng.normal(size=10), seed=0, **kwargs)


def test_a_discriminator_certain_and_wrong_gives_minus_infinity():
    # D = 0 on a point of x: log D = -inf; the bound is -inf, not a silently finite number
    x, y = _exact_sample(P, 10), _exact_sample(Q, 10)
    est = dv.js_discriminator(x, y, classifier=lambda z: (z.ravel() > 0).astype(float))
    assert float(est) == -math.inf


@pytest.mark.parametrize("scale", [1e-300, 1e-170, 1e155, 1e300])
def test_the_library_classifiers_are_scale_invariant_to_the_ends_of_the_float_range(scale):
    # the mean and variance of the features overflowed near 1e155 (a bound of 0 +- 0) and
    # underflowed near 1e-170; the points are now scaled by a power of two first
    rng = np.random.default_rng(85)
    x, y = rng.normal(size=(400, 2)), rng.normal(0.5, 1.2, (400, 2))
    base = dv.js_discriminator(x, y, classifier="logistic", seed=0)
    power = 2.0 ** round(np.log2(scale))
    scaled = dv.js_discriminator(x * power, y * power, classifier="logistic", seed=0)
    assert float(scaled) == pytest.approx(float(base), rel=1e-9)
    rough = dv.js_discriminator(x * scale, y * scale, classifier="quadratic", seed=0)
    assert 0.02 < float(rough) < 0.15


class _OneColumn:
    def fit(self, points, labels):
        return self

    def predict_proba(self, points):
        return np.full((len(points), 1), 0.5)


def test_predict_proba_must_have_two_columns_and_points_their_dimension():
    rng = np.random.default_rng(86)
    x, y = rng.normal(size=(20, 2)), rng.normal(size=(20, 2))
    with pytest.raises(
        ValueError,
        match=(
            r"the classifier's predict_proba must return shape \(10, 2\) for 10 points: the "
            r"probability of label 0 \(y\) and of label 1 \(x\); got shape \(10, 1\)\."
        ),
    ):
        dv.js_discriminator(x, y, classifier=_OneColumn(), folds=2, seed=0)
    est = dv.js_discriminator(x, y, seed=0)
    with pytest.raises(
        ValueError,
        match=(
            r"points have 3 coordinate\(s\); the discriminator was fitted on points of 2\. "
            r"Pass an array of shape \(n, 2\)\."
        ),
    ):
        est.discriminator(np.zeros((4, 3)))


def test_a_fixed_discriminator_uses_no_randomness_and_reports_no_seed():
    x, y = _exact_sample(P, 10), _exact_sample(Q, 10)
    assert dv.js_discriminator(x, y, classifier=_d_star).seed is None
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer"):
        dv.js_discriminator(x, y, classifier=_d_star, seed=1.5)


def test_an_interval_near_level_1_stays_finite():
    rng = np.random.default_rng(87)
    est = dv.js_discriminator(rng.normal(size=200), rng.normal(1, 1, 200), ci=1 - 1e-16, seed=0)
    assert all(math.isfinite(end) for end in est.interval)


@pytest.mark.parametrize("base", [None, 2.0])
def test_the_interval_never_reaches_above_log_2(base):
    # six well-separated points a side: the bound is near log 2 and its standard error large,
    # so bound + z SE passes log 2 (0.6945 nats before the clip); the bound itself cannot
    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 1, (6, 1)), rng.normal(3, 1, (6, 1))
    est = dv.js_discriminator(x, y, classifier="logistic", folds=2, seed=0, ci=0.95, base=base)
    top = math.log(2) / (1.0 if base is None else math.log(base))
    low, high = est.interval
    assert est.unclipped == float(est) <= top
    assert est.unclipped + 1.959 * est.standard_error > top  # the clip is what keeps it below
    assert high == top
    assert low == pytest.approx(est.unclipped - 1.959964 * est.standard_error, rel=1e-6)


def test_a_base_below_1_flips_the_signs_and_the_range_not_the_value():
    # log(0.5) = -log(2): every estimate in base 1/2 is minus the one in bits, its interval
    # mirrored, its standard error the same size; before, the clip at a range whose ends had
    # swapped pinned js_discriminator and js_knn at -1 and kl_knn at 0
    rng = np.random.default_rng(1)
    x, y = rng.normal(0, 1, (300, 1)), rng.normal(1, 1, (300, 1))
    estimators = {
        "js_discriminator": lambda base: dv.js_discriminator(
            x, y, classifier="logistic", seed=0, ci=0.9, base=base
        ),
        "js_knn": lambda base: dv.js_knn(x, y, seed=0, ci=0.9, base=base),
        "kl_knn": lambda base: dv.kl_knn(x, y, seed=0, ci=0.9, base=base),
    }
    for name, estimate in estimators.items():
        bits, flipped = estimate(2.0), estimate(0.5)
        assert float(bits) > 0.0, name
        assert float(flipped) == -float(bits), name
        assert flipped.unclipped == -bits.unclipped, name
        assert flipped.standard_error == bits.standard_error > 0.0, name
        assert flipped.interval == (-bits.interval[1], -bits.interval[0]), name
    batch = dv.js_knn_batch(x[None], y[None], base=0.5)
    assert batch[0] == -dv.js_knn_batch(x[None], y[None], base=2.0)[0] < 0.0

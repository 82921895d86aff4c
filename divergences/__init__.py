"""KL and Jensen-Shannon divergences from probability vectors and samples, and GAN theory.

The theory of generative adversarial networks comes as functions and as executable checks.

>>> import divergences as dv
>>> float(dv.js_divergence([1, 0], [0, 1], base=2))
1.0
"""

from __future__ import annotations

from . import reference
from .discrete import (
    cross_entropy,
    entropy,
    hellinger_distance,
    js_distance,
    js_divergence,
    kl_divergence,
    tv_distance,
)
from .estimate import (
    SampleEstimate,
    js_from_histogram,
    js_from_samples,
    js_from_samples_nd,
    kl_from_histogram,
    kl_from_samples,
    kl_from_samples_nd,
)
from .gan import (
    gan_value,
    gan_value_from_logits,
    optimal_discriminator,
    virtual_criterion,
)
from .histogram import HistogramPair, histogram_pair
from .histogram_nd import HistogramPairND, histogram_pair_nd
from .knn import kl_knn
from .streaming import HistogramAccumulator
from .two_sample import TwoSampleTest, js_test, js_test_from_histogram

__version__ = "0.1.0"

__all__ = [
    "HistogramAccumulator",
    "HistogramPair",
    "HistogramPairND",
    "SampleEstimate",
    "TwoSampleTest",
    "cross_entropy",
    "entropy",
    "gan_value",
    "gan_value_from_logits",
    "hellinger_distance",
    "histogram_pair",
    "histogram_pair_nd",
    "js_distance",
    "js_divergence",
    "js_from_histogram",
    "js_from_samples",
    "js_from_samples_nd",
    "js_test",
    "js_test_from_histogram",
    "kl_divergence",
    "kl_from_histogram",
    "kl_from_samples",
    "kl_from_samples_nd",
    "kl_knn",
    "optimal_discriminator",
    "reference",
    "tv_distance",
    "virtual_criterion",
]

"""KL and Jensen-Shannon divergences from probability vectors and samples, and GAN theory.

Natural logarithms unless ``base`` is given; KL is ``+inf`` off-support (no hidden epsilon);
the Jensen-Shannon divergence lies in ``[0, log 2]`` by construction and is never NaN; bad input
raises an error that names the argument and says what to do.

Probability vectors (along ``axis``, leading axes broadcast as in ``scipy.stats.entropy``)
    kl_divergence, js_divergence, js_distance, entropy, cross_entropy, tv_distance,
    hellinger_distance; f_divergence (the f-divergences of f-GAN, with generators, conjugates
    and optimal critics in F_DIVERGENCES)

Samples (1-D, or a column ``(n, 1)`` such as a generator's output; batches with ``axis=``)
    js_from_samples, kl_from_samples -> SampleEstimate (value, histogram, bias correction,
    bootstrap interval); histogram_pair -> HistogramPair (shared edges, numpy-identical
    counts); js_from_histogram, kl_from_histogram (from counts); js_test -> TwoSampleTest
    (statistic, pvalue); HistogramAccumulator (chunk by chunk, exact); dask arrays accepted.

Multivariate samples ``(n, d)``
    histogram_pair_nd, js_from_samples_nd, kl_from_samples_nd (product grids, small d);
    kl_knn, js_knn (nearest neighbours, any d) -> KnnEstimate (a float with an interval);
    js_knn_batch (js_knn of many equal-size pairs (B, n, d) in one call);
    js_discriminator (the GAN bound with a cross-fitted classifier) -> DiscriminatorEstimate

GAN theory (Goodfellow et al. 2014)
    optimal_discriminator (D* = p_data / (p_data + p_g)), gan_value (V(G, D)),
    gan_value_from_logits, virtual_criterion (C(G) = -log 4 + 2 JSD)

Modules: ``divergences.reference`` (closed forms: KL and JSD of normals and more),
``divergences.strategies`` (Hypothesis strategies for probability vectors),
``divergences.trainer`` (a small numpy/numba GAN trainer). ``python -m proofs`` checks every
claim of the theory as a property test. Documentation: ``docs/`` in the repository.

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
from .discriminator import js_discriminator
from .estimate import js_from_histogram, js_from_samples, kl_from_histogram, kl_from_samples
from .estimate_nd import js_from_samples_nd, kl_from_samples_nd
from .fdivergences import F_DIVERGENCES, FDivergence, f_divergence
from .gan import (
    gan_value,
    gan_value_from_logits,
    optimal_discriminator,
    virtual_criterion,
)
from .histogram import HistogramPair, histogram_pair
from .histogram_nd import HistogramPairND, histogram_pair_nd
from .knn import js_knn, js_knn_batch, kl_knn
from .results import DiscriminatorEstimate, KnnEstimate, SampleEstimate
from .streaming import HistogramAccumulator
from .two_sample import TwoSampleTest, js_test, js_test_from_histogram

__version__ = "0.1.0"

__all__ = [
    "F_DIVERGENCES",
    "DiscriminatorEstimate",
    "FDivergence",
    "HistogramAccumulator",
    "HistogramPair",
    "HistogramPairND",
    "KnnEstimate",
    "SampleEstimate",
    "TwoSampleTest",
    "cross_entropy",
    "entropy",
    "f_divergence",
    "gan_value",
    "gan_value_from_logits",
    "hellinger_distance",
    "histogram_pair",
    "histogram_pair_nd",
    "js_discriminator",
    "js_distance",
    "js_divergence",
    "js_from_histogram",
    "js_from_samples",
    "js_from_samples_nd",
    "js_knn",
    "js_knn_batch",
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


def __dir__() -> list[str]:
    """The public names only (``dir(divergences)``, tab completion)."""
    return sorted([*__all__, "__version__"])

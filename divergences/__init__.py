"""KL and Jensen-Shannon divergences from probability vectors and samples, and GAN theory.

The theory of generative adversarial networks comes as functions and as executable checks.

>>> import divergences as dv
>>> float(dv.js_divergence([1, 0], [0, 1], base=2))
1.0
"""

from __future__ import annotations

import importlib.util
import sys


def _lazy_kernels() -> None:
    """Register ``divergences._kernels`` so numba (0.3 s to import) loads on first use only."""
    name = f"{__name__}._kernels"
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    assert spec is not None
    assert spec.loader is not None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    # bound on the package so `from . import _kernels` finds it without asking the import system,
    # which would touch the module's __spec__ and so load it at once
    globals()["_kernels"] = module


_lazy_kernels()

from . import reference  # noqa: E402
from .discrete import (  # noqa: E402
    cross_entropy,
    entropy,
    hellinger_distance,
    js_distance,
    js_divergence,
    kl_divergence,
    tv_distance,
)
from .estimate import (  # noqa: E402
    SampleEstimate,
    js_from_histogram,
    js_from_samples,
    js_from_samples_nd,
    kl_from_histogram,
    kl_from_samples,
    kl_from_samples_nd,
)
from .gan import (  # noqa: E402
    gan_value,
    gan_value_from_logits,
    optimal_discriminator,
    virtual_criterion,
)
from .histogram import HistogramPair, histogram_pair  # noqa: E402
from .histogram_nd import HistogramPairND, histogram_pair_nd  # noqa: E402
from .knn import kl_knn  # noqa: E402
from .streaming import HistogramAccumulator  # noqa: E402
from .two_sample import TwoSampleTest, js_test, js_test_from_histogram  # noqa: E402

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

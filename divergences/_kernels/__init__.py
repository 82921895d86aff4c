"""All numba-compiled code of the library, by topic. Private.

Kernels never validate: the public wrappers check, convert and document, then call in here. The
modules, from the bottom up:

* ``primitives``: the scalar terms every divergence sums (``x log x``, the KL and JS terms);
* ``discrete``: probability vectors (validation facts in one pass, row divergences);
* ``gan``: D*, V(G, D) and its form from logits;
* ``ranges``, ``binning``, ``order_statistics``: one sample's range, its exact np.histogram
  counts on shared edges (one pair or a batch of rows), the pooled moments and quartiles;
* ``counts``: divergences of count vectors; ``resampling``: bias terms and the jackknife;
* ``nd``: product-grid histograms; ``fused``: the common calls in one pass each;
* ``knn_batch``: k-th neighbour distances by brute force: many small samples, or one pair of
  equal sizes over pruned blocks;
* ``threads``: when the parallel kernels run (plain Python).

The extended-counts layout ``[below, bins..., above, NaN, inf]`` is named in
:mod:`divergences._extended`.

Numerical conventions carried by the scalar primitives (and nowhere else): ``0 * log 0 = 0``;
a KL term with ``p > 0 = q`` is ``+inf`` (no epsilon); every per-element term of KL and JSD is
non-negative by construction, so sums cannot go negative through cancellation between elements.

Importing this package imports numba (0.3 s): the library reaches it only through the lazy,
thread-safe namespace :mod:`divergences._compiled`.
"""

from __future__ import annotations

from .._extended import EXTRA_SLOTS
from .binning import (
    histogram_pair,
    histogram_pair_batch,
    histogram_pair_batch_range,
    histogram_pair_batch_shared,
    histogram_pair_parallel,
)
from .counts import js_of_counts, kl_of_counts
from .discrete import (
    cross_entropy,
    entropy,
    hellinger_distance,
    js_divergence,
    kl_divergence,
    pmf_row_stats,
    tv_distance,
)
from .fused import (
    DIVERGENCE_JS,
    DIVERGENCE_KL,
    GENERAL,
    OK,
    RULE_AUTO_LIMITED,
    RULE_AUTO_MIN,
    RULE_COUNT,
    RULE_WKV,
    VECTOR_JS,
    VECTOR_KL,
    estimate_pair,
    pooled_quartiles,
    vector_entropy,
    vector_entropy_parallel,
    vector_pair,
    vector_pair_parallel,
    wkv_quantiles,
)
from .gan import gan_value, gan_value_from_logits, optimal_discriminator
from .knn_batch import kth_distances_batch, kth_distances_pair
from .nd import histogram_pair_nd
from .order_statistics import (
    histogram_pair_key_value,
    histogram_pair_moments,
    histogram_pair_radix_count,
    histogram_pair_select,
)
from .primitives import LOG2
from .ranges import (
    VECTOR_MINMAX,
    histogram_pair_finite_range,
    histogram_pair_range,
    histogram_pair_range_parallel,
)
from .resampling import bootstrap_acceleration, first_order_bias
from .threads import PARALLEL_MIN_ROW_WORK, PARALLEL_POLICY, thread_count

__all__ = [
    "DIVERGENCE_JS",
    "DIVERGENCE_KL",
    "EXTRA_SLOTS",
    "GENERAL",
    "LOG2",
    "OK",
    "PARALLEL_MIN_ROW_WORK",
    "PARALLEL_POLICY",
    "RULE_AUTO_LIMITED",
    "RULE_AUTO_MIN",
    "RULE_COUNT",
    "RULE_WKV",
    "VECTOR_JS",
    "VECTOR_KL",
    "VECTOR_MINMAX",
    "bootstrap_acceleration",
    "cross_entropy",
    "entropy",
    "estimate_pair",
    "first_order_bias",
    "gan_value",
    "gan_value_from_logits",
    "hellinger_distance",
    "histogram_pair",
    "histogram_pair_batch",
    "histogram_pair_batch_range",
    "histogram_pair_batch_shared",
    "histogram_pair_finite_range",
    "histogram_pair_key_value",
    "histogram_pair_moments",
    "histogram_pair_nd",
    "histogram_pair_parallel",
    "histogram_pair_radix_count",
    "histogram_pair_range",
    "histogram_pair_range_parallel",
    "histogram_pair_select",
    "js_divergence",
    "js_of_counts",
    "kl_divergence",
    "kl_of_counts",
    "kth_distances_batch",
    "kth_distances_pair",
    "optimal_discriminator",
    "pmf_row_stats",
    "pooled_quartiles",
    "thread_count",
    "tv_distance",
    "vector_entropy",
    "vector_entropy_parallel",
    "vector_pair",
    "vector_pair_parallel",
    "wkv_quantiles",
]

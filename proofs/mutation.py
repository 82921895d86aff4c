"""``python -m proofs.mutation``: mutation testing of the library's mathematics against ``proofs/``.

The teeth of the proof checker, measured: mutmut 3 changes the library's mathematics one small
edit at a time (an operator, a constant, a comparison) and runs, for each mutant, the ``proofs/``
tests that reach the mutated function; a mutant is *killed* when one of them fails. The score is
printed at the end. docs/mutation.md has the scope, the run time and every survivor with its
equivalence argument.

The configuration is ``[tool.mutmut]`` in pyproject.toml: which files are mutated
(``only_mutate``), that only ``proofs/`` is run (``pytest_add_cli_args_test_selection``) and the
pytest options of the run. This module adds what mutmut cannot be told:

* the numba kernels run as plain Python (``NUMBA_DISABLE_JIT=1``): a compiled kernel cannot call
  mutmut's trampolines, and with the JIT disabled ``njit`` returns the function itself;
* mutmut does not mutate decorated functions, so the run works on a staged copy of the sources
  (``mutation-run/``, git-ignored) in which the ``@njit(...)`` lines of the mutated modules are
  commented out: under ``NUMBA_DISABLE_JIT=1`` the two are the same program;
* Hypothesis runs derandomised and without shrinking (the ``mutation`` profile of conftest.py),
  so a mutant is killed or survives the same way in every run, as soon as an example fails.

Run it from the repository root after ``pip install -e ".[dev,mutation]"``. It uses one core.
``--scope discrete`` mutates the probability-vector divergences and their kernels instead
(:data:`DISCRETE_FILES`); ``--scope estimators`` mutates the sample estimators' Python-level
code (:data:`ESTIMATOR_FILES`) with the JIT on, the kernels compiled, so that the estimators'
proofs at n = 10^5 run as in CI; ``--sample N --seed S`` runs a seeded random sample of the
scope's mutants and reports the score with its binomial 95 % interval.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import importlib.util
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
import time
import tokenize
import tomllib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The staged copy mutmut works in (it writes its mutants to ``mutation-run/mutants/``).
STAGE = "mutation-run"
#: What the staged copy holds: the package, the proofs and what pytest reads.
STAGED = ("divergences", "proofs", "conftest.py", "pyproject.toml")
_NJIT_LINE = re.compile(r"^(\s*)@njit\b.*$", re.MULTILINE)
#: The files the ``discrete`` scope mutates: the probability-vector divergences, their row
#: kernels and the scalar terms every divergence sums. Nearly every proof reaches them, so they
#: have a scope, and a staged copy, of their own (docs/mutation.md).
DISCRETE_FILES = (
    "divergences/discrete.py",
    "divergences/_kernels/discrete.py",
    "divergences/_kernels/primitives.py",
)
#: The claims the ``discrete`` scope leaves out: each takes 9 to 43 s as plain Python (128 of
#: the 163 s of a plain-Python proofs run, measured), none is about the probability-vector
#: divergences, and each surviving mutant would cost all of them. A mutant only they would
#: kill counts as surviving: the scope's score is a lower bound (docs/mutation.md).
DISCRETE_DESELECT = (
    "proofs/test_goodfellow2014.py::test_discriminator_alone",
    "proofs/test_seed_notes.py::test_histogram_flat",
    "proofs/test_huszar2015.py::test_mode_seeking",
    "proofs/test_oracle_range.py::test_local_fisher",
    "proofs/test_oracle_range.py::test_bounded_support_oracles",
    "proofs/test_transforms.py::test_inverse_cdf_histogram_jsd",
)
#: The files the ``estimators`` scope mutates: the Python-level code of the sample estimators
#: (the binned estimators' options, WKV bins, fused path and estimate from the counts; the bin
#: rules; the kNN estimators; the discriminator estimator), none of which is a numba kernel. The
#: kernels they call stay compiled (the JIT is on in this scope): their proofs sample at
#: n = 10^5, which plain-Python kernels cannot afford. ``estimate_nd.py`` is left out: its two
#: functions only check, bin with ``histogram_pair_nd`` and call ``estimate_from_histogram``, and
#: no proof calls them (docs/mutation.md).
ESTIMATOR_FILES = (
    "divergences/estimate.py",
    "divergences/_estimation.py",
    "divergences/_bin_rules.py",
    "divergences/knn.py",
    "divergences/discriminator.py",
)
#: The decorators the ``estimators`` scope lifts off the functions it mutates (mutmut does not
#: mutate decorated functions): ``@documented`` only fills a docstring's placeholder, so
#: ``name = documented(name)`` at the module's end is the same program (:func:`lift_decorators`).
LIFTED_DECORATORS = ("documented",)
#: The claims the ``estimators`` scope leaves out: the three slowest of a ``pytest proofs`` run
#: with the JIT on (56, 24 and 10 s of its 179 s, measured), oracle claims that call no
#: estimator. Each would be run twice (mutmut's clean run and its trace) and never against a
#: mutant. The four trainer claims stay deselected as in ``[tool.mutmut]`` (18-19 s each).
ESTIMATORS_DESELECT = (
    "proofs/test_oracle_range.py::test_local_fisher",
    "proofs/test_normal_oracles.py::test_normal_oracles",
    "proofs/test_oracle_range.py::test_bounded_support_oracles",
)
#: The options of ``pytest_add_cli_args`` the ``estimators`` scope drops: the estimators' proofs
#: are what it is for (the default scope leaves them out because plain Python cannot afford them).
ESTIMATORS_DROP = (
    "--ignore=proofs/test_estimators.py",
    "--ignore=proofs/test_estimator_paths.py",
    "--ignore=proofs/test_estimator_paths_2.py",
    "--ignore=proofs/test_estimator_paths_3.py",
)
#: The staged copy of each scope (``default``: ``only_mutate`` of ``[tool.mutmut]``).
STAGE_OF: Mapping[str, str] = {
    "default": STAGE,
    "discrete": "mutation-run-discrete",
    "estimators": "mutation-run-estimators",
}
#: The files each scope other than the default mutates.
FILES_OF: Mapping[str, tuple[str, ...]] = {
    "discrete": DISCRETE_FILES,
    "estimators": ESTIMATOR_FILES,
}
#: The claims each scope other than the default leaves out.
DESELECT_OF: Mapping[str, tuple[str, ...]] = {
    "discrete": DISCRETE_DESELECT,
    "estimators": ESTIMATORS_DESELECT,
}
#: The scopes whose numba kernels run as plain Python (``NUMBA_DISABLE_JIT=1``, ``@njit`` lines
#: of the mutated modules commented out); in the others the kernels are compiled.
PLAIN_PYTHON_SCOPES = ("default", "discrete")
#: The file in a staged copy that records a sampled run: its seed, population and mutants.
SAMPLE_FILE = "sample.json"
_ONLY_MUTATE = re.compile(r"^only_mutate = \[\n(?:.*\n)*?\]$", re.MULTILINE)
_PYTEST_ARGS = re.compile(r"^pytest_add_cli_args = \[\n", re.MULTILINE)

#: mutmut's exit codes, by the status this report gives them (mutmut.stats.status_by_exit_code).
STATUS_BY_EXIT_CODE: Mapping[int | None, str] = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    -24: "timeout",
    24: "timeout",
    152: "timeout",
    255: "timeout",
    -11: "crashed",
    -9: "crashed",
    None: "not checked",
}

#: Surviving mutants that cannot change any observable result, each with its argument (one line).
#: docs/mutation.md lists them with the rest of the survivors.
EQUIVALENT: Mapping[str, str] = {
    "divergences._kernels.gan.x__log_sigmoid__mutmut_1": (
        "x > 0 instead of x >= 0 differs at x == 0 only, where both branches give -log1p(1)"
    ),
    "divergences._kernels.gan.x_optimal_discriminator__mutmut_17": (
        "x > y instead of x >= y differs at x == y only, where 1 / (1 + 1) and r / (1 + r) "
        "with r = 1 are both exactly 0.5"
    ),
    "divergences.gan.x_gan_value__mutmut_30": (
        "logit=None instead of False: as_discriminator tests `if not logit`, and None is falsy"
    ),
    **{
        f"divergences.gan.x_optimal_discriminator__mutmut_{n}": (
            "dtype None (or omitted) instead of float64: as_densities already returned a float64 "
            "array, and np.array of its broadcast view keeps that dtype"
        )
        for n in (23, 26, 36, 39)
    },
    **{
        f"divergences.gan.x_optimal_discriminator__mutmut_{n}": (
            "order None (or omitted, i.e. 'K') instead of 'C': the copy may be laid out in "
            "Fortran order, but the kernel reads a.ravel() and b.ravel(), which run in C order "
            "whatever the layout (numpy and numba alike), and reshapes out in C order"
        )
        for n in (24, 27, 37, 40)
    },
    **{
        f"divergences.gan.x_optimal_discriminator__mutmut_{n}": (
            "order='c' instead of 'C': numpy reads the order letter case-insensitively"
        )
        for n in (33, 46)
    },
    **{
        f"divergences.gan.x_virtual_criterion__mutmut_{n}": (
            "the JSD kernel returns min(sum of terms 0.25 s g with s, g >= 0, LOG2), in "
            "[0, LOG2]; so 2 jsd - LOG4 lies in [-LOG4, 2 LOG2 - LOG4] = [-LOG4, 0] (doubling is "
            "exact and 2 * log(2.0) == log(4.0) in binary64), and neither bound of np.clip binds"
        )
        for n in (31, 32, 40)
    },
    "divergences.fdivergences.x__xlogx__mutmut_7": (
        "u >= 0 instead of u > 0 differs at u == 0 only, where u * log(1.0) is 0 as well"
    ),
    "divergences.fdivergences.x__xlogx__mutmut_19": (
        "the placeholder 2.0 instead of 1.0 is used only where u <= 0, which the outer np.where "
        "replaces by 0"
    ),
    "divergences.fdivergences.x__gan_terms__mutmut_10": (
        "safe_a is 0 instead of 1 only where a == 0, and there the final np.where returns 0"
    ),
    "divergences.fdivergences.x__gan_terms__mutmut_12": (
        "the placeholder 2.0 instead of 1.0 is used only where a <= 0, which the final "
        "np.where replaces by 0"
    ),
    "divergences.fdivergences.x__gan_terms__mutmut_32": (
        "a >= 0 instead of a > 0 adds -0.0 * (a finite log) where a == 0: -0.0, which leaves "
        "the sum unchanged"
    ),
    "divergences.fdivergences.x__chi_terms__mutmut_12": (
        "dividing by den_side == 0 instead of 1 changes only entries the outer np.where "
        "replaces (den_side > 0 is false there)"
    ),
    "divergences.fdivergences.x__chi_terms__mutmut_14": (
        "the placeholder denominator 2.0 is used only where den_side <= 0, which the outer "
        "np.where replaces"
    ),
    "divergences.fdivergences.x__hellinger_terms__mutmut_11": (
        "s >= 0 instead of s > 0 differs only at s == 0, i.e. p == q == 0, where the other "
        "branch gives ((0 - 0) / 1) ** 2 = 0 as well"
    ),
    "divergences.fdivergences.x__hellinger_terms__mutmut_22": (
        "0 / 0 = nan instead of 0 / 1 where s == 0, an entry the outer np.where replaces by 0"
    ),
    "divergences.fdivergences.x__hellinger_terms__mutmut_24": (
        "the placeholder 2.0 is used only where s == 0, which the outer np.where replaces by 0"
    ),
    # reference.py: placeholders, numpy flags that no valid input raises, a view, dead branches
    **{
        f"divergences.reference.x__phi__mutmut_{n}": (
            "dtype None (or omitted) instead of float: _phi's only caller, kl_normal, passes "
            "np.where(near, u * (2.0 + u), 0.0) of float64 operands (as_normal_parameters "
            "returns float64 arrays), a float64 array that np.asarray returns as it is"
        )
        for n in (3, 5)
    },
    **{
        f"divergences.reference.x__phi__mutmut_{n}": (
            "a placeholder (1.0 for 0.0, or v where small, through np.where(None, ...), which "
            "takes its second branch everywhere) enters only entries of the other branch, which "
            "the final np.where(small, series, direct) discards; every value it gives there is "
            "finite (|v| < 1e-2 or 1 - log1p(0), log1p(1)), so no numpy flag is raised either"
        )
        for n in (17, 35, 41, 43, 49)
    },
    "divergences.reference.x__phi__mutmut_32": (
        "range(2, 12) adds the term (-v)^9 / 11, below 1e-19 in magnitude for |v| < 1e-2, to a "
        "partial sum in (0.49, 0.51) whose half-ulp is 2.8e-17: the sum rounds to the same double"
    ),
    **{
        f"divergences.reference.x_{function}__mutmut_{n}": (
            "(out.ndim == 0) or True: out[()] of an array with ndim >= 1 is a view of it with "
            "the same shape, dtype and values"
        )
        for function, n in (("js_normal", 51), ("wasserstein1_normal", 76))
    },
    **{
        f"divergences.reference.x_kl_normal__mutmut_{n}": (
            "the test of out.ndim changed: for 0-d parameters out = spread + (0.5 * d) * d is "
            "already a numpy float64 (arithmetic on 0-d arrays returns scalars), whose [()] is "
            "itself, and for ndim >= 1 out[()] is a view with the same shape, dtype and values"
        )
        for n in (118, 119, 120, 121)
    },
    **{
        f"divergences.reference.x_kl_normal__mutmut_{n}": (
            "errstate's divide or invalid option changed or dropped: for finite means and "
            "finite positive sigmas (what as_normal_parameters admits) no operation of "
            "kl_normal divides by zero (every divisor is a sigma, every log's argument a sigma, "
            "a ratio replaced by 1.0 where not >= tiny, or 1 + v with v >= -0.75) nor is "
            "invalid (the only infinities are overflows to +inf, or -inf of a mean gap that is "
            "squared, added to or multiplied by non-negative numbers), so the flags never fire"
        )
        for n in (12, 13, 16, 17)
    },
    "divergences.reference.x_kl_normal__mutmut_39": (
        "None for the placeholder: _phi's float conversion makes it nan at entries where near is "
        "false; nan passes _phi's comparison and log1p without a numpy flag, and "
        "np.where(near, spread_near, spread_far) discards those entries"
    ),
    "divergences.reference.x_kl_normal__mutmut_46": (
        "the placeholder 1.0 gives _phi(1.0) = 1 - log 2, finite, at entries where near is "
        "false, which np.where(near, spread_near, spread_far) discards"
    ),
    "divergences.reference.x_kl_normal__mutmut_68": (
        "log(2.0) is taken only where representable is false, entries that the same line's "
        "outer np.where sets to 0.0 and the next line to log s1 - log s2"
    ),
    "divergences.reference.x_kl_normal__mutmut_69": (
        "the placeholder 1.0 where representable is false is replaced on the next line by "
        "np.log(s1) - np.log(s2) at exactly those entries"
    ),
    **{
        f"divergences.reference.x__js_normal_scalar__mutmut_{n}": (
            "m2 is set to 0.0 two lines above f, so x + m2 == x - m2 and m1 + m2 == m1 - m2 for "
            "every x and m1 (adding or subtracting 0.0 is exact)"
        )
        for n in (75, 83)
    },
    **{
        f"divergences.reference.x_js_continuous__mutmut_{n}": (
            "delta reaches _js_integrand only through abs(delta) < 1.0 (the branch whose g is "
            "read from log_p and log_q otherwise), after _js_integrand returned 0 where both "
            "log-densities are -inf; where one of them is infinite, the branch's +-inf and "
            "log_p - log_q (+-inf, or nan for two +inf) all fail that test, so every variant of "
            "the test or of the sign picks the same g"
        )
        for n in (19, 21, 23, 25, 26, 27, 28)
    },
    **{
        f"divergences.reference.x_wasserstein1_normal__mutmut_{n}": (
            "errstate's divide option changed or dropped: the only division is by "
            "np.where(s > 0, s, 1.0), which is never 0, so the flag never fires"
        )
        for n in (11, 14)
    },
    **{
        f"divergences.reference.x_wasserstein1_normal__mutmut_{n}": (
            "a different ratio (d, d / 0, d / 2 or 1) only where s == 0; folded there is "
            "replaced by |d| by out = np.where(s > 0, folded, np.abs(d)), and the overflow, "
            "division and invalid flags the placeholder may raise are all ignored"
        )
        for n in (34, 43, 45, 46)
    },
}


#: The discrete scope's surviving mutants that cannot change any observable result (``--scope
#: discrete``), kept apart from :data:`EQUIVALENT` so that each scope's run checks its own list.
EQUIVALENT_DISCRETE: Mapping[str, str] = {
    "divergences._kernels.discrete.x_pmf_row_stats__mutmut_13": (
        "minimum starts at 1.0 instead of 0.0: it is only lowered by negative entries, to the "
        "same value either way, and read (facts[3]) only in the message about negative entries"
    ),
    "divergences._kernels.discrete.x_pmf_row_stats__mutmut_18": (
        "first_zero_row starts at -2 instead of -1: both are < 0, so the first all-zero row "
        "replaces either, and with no all-zero row facts[5] is read by nothing"
    ),
    **{
        f"divergences._kernels.discrete.x_pmf_row_stats__mutmut_{n}": (
            "worst_row starts at None or 1 instead of 0: row 0 replaces it, since its gap "
            "abs(total - 1.0) >= 0 > worst_gap = -1 (total sums finite non-negative entries, so "
            "it is never NaN), and with no rows facts[6] is read by nothing (as_pmf returns first)"
        )
        for n in (19, 20)
    },
    "divergences._kernels.discrete.x_pmf_row_stats__mutmut_82": (
        "facts[7] is 2.0 instead of 1.0 only when there are no rows, and as_pmf returns before "
        "it reads the worst sum; the other caller reads facts[0] to facts[3] only"
    ),
    "divergences._kernels.discrete.x_pmf_row_stats__mutmut_23": (
        "worst_gap starts at -2.0 instead of -1.0: row 0's gap abs(total - 1.0) >= 0 exceeds "
        "both (total is never NaN), so every later comparison is the same"
    ),
    "divergences._kernels.discrete.x__normalized_kl_term__mutmut_13": (
        "qr >= 0 instead of qr > 0 differs at qr == 0 only, where pr == 0 (pr > 0 returned inf "
        "above), so pn == 0 and the new branch returns 0.0, which is _kl_term(0, 0) = q = 0.0"
    ),
    **{
        name: (
            "sends a pair of plain vectors to the general path instead of vector_pair: for the "
            "pairs vector_pair accepts (finite, non-negative, sums within the tolerance of 1, "
            "the same left-to-right sums) the general kernels add the same _kl_term(p_i / s_p, "
            "q_i / s_q) or _js_term terms in the same order, take the same min with log 2 for "
            "JSD and divide by check_base(None) = 1.0 (_normalized_kl_term's underflow branches "
            "need an entry divided by its sum to underflow, which a sum within 1e-15 of 1 cannot "
            "cause); any other pair takes the general path in both programs"
        )
        for name in (
            *(
                f"divergences.discrete.x_{f}__mutmut_{n}"
                for f in ("kl_divergence", "js_divergence")
                for n in (13, 14, 15)
            ),
            *(f"divergences.discrete.x__fused_pair__mutmut_{n}" for n in (2, 3, 45)),
        )
    },
    **{
        f"divergences.discrete.x_{f}__mutmut_{n}": (
            "lets normalize=True (or another non-False value) take the fast path: it returns "
            "only for vectors that are finite, non-negative and sum to 1 within the tolerance, "
            "which the general path with normalize=True divides by the same sums, adding the "
            "same terms; every other pair takes the general path in both programs"
        )
        for f in ("kl_divergence", "js_divergence")
        for n in (11, 12)
    },
    **{
        f"divergences.discrete.x_js_divergence__mutmut_{n}": (
            "_fused_pair only compares kind with 'kl': None, 'XXjsXX' or 'JS' select the JS "
            "kernel as 'js' does"
        )
        for n in (16, 20, 21)
    },
    **{
        f"divergences.discrete.x_entropy__mutmut_{n}": (
            "sends a plain vector to the general path instead of vector_entropy: both compute "
            "-sum(_xlogx(p_i / s)) with s the same left-to-right sum of the entries and divide by "
            "check_base(None) = 1.0, and an input that fails the fast path's validation takes "
            "the general path in both programs"
        )
        for n in (13, 14)
    },
    **{
        f"divergences.discrete.x_entropy__mutmut_{n}": (
            "lets normalize=True (or another non-False value) take the fast path: it returns "
            "only for a finite non-negative vector summing to 1 within the tolerance, which the "
            "general path with normalize=True divides by the same sum, giving the same "
            "-sum(_xlogx(p_i / s)); every other vector takes the general path in both programs"
        )
        for n in (11, 12)
    },
    **{
        f"divergences.discrete.x_{f}__mutmut_6": (
            "type(None) is int is always false, so every call takes the general path, which "
            "gives what the fast path gives (the arguments of mutants 13 and 14 above)"
        )
        for f in ("kl_divergence", "js_divergence", "entropy")
    },
    **{
        f"divergences.discrete.x__vector__mutmut_{n}": (
            "sends a vector to the general path instead of the fast one (every ndarray for 1, "
            "every list for 3, an object array of None, ndim 0, for 6, integer vectors for 13: "
            "'i' and 'u' are not in 'IU'), which gives the same value (mutants 13 and 14 of "
            "kl_divergence above); no other input changes path"
        )
        for n in (1, 3, 6, 13)
    },
    "divergences.discrete.x__vector__mutmut_12": (
        "dtype.kind is one character, and 'XXiuXX' holds the same kinds as 'iu' besides 'X', "
        "which no numpy dtype has"
    ),
    "divergences.discrete.x__vector__mutmut_15": (
        "a.astype(None) converts to numpy's default dtype, float64, as astype(np.float64) does"
    ),
    "divergences.discrete.x__fused_pair__mutmut_9": (
        "pairs of equal length now return None (the general path, same value, as for "
        "mutants 2 and 3); pairs of unequal length reach vector_pair, whose first test "
        "p.size != q.size returns GENERAL, so they take the general path as before"
    ),
    **{
        f"divergences.discrete.x__fused_pair__mutmut_{n}": (
            "kind None for the vector kernel: vector_pair compares it with VECTOR_KL and "
            "VECTOR_JS, matches neither and returns GENERAL (also compiled: numba gives "
            "(GENERAL, nan) for None, tried), so the general path computes the same value"
        )
        for n in (26, 35)
    },
    "divergences.discrete.x_shaped__mutmut_4": (
        "(out.ndim == 0) or True: out[()] of an array with ndim >= 1 is a view of it with the "
        "same shape, dtype and values"
    ),
    "divergences._kernels.primitives.x__kl_term__mutmut_9": (
        "abs(u) <= 0.1 differs only where u is the double nearest +-0.1, where the series "
        "replaces u - log1p(u): over 45,386 random p with that u both are within 5.5e-16 "
        "relative of the 50-digit term (series 3.9e-16, the original 5.5e-16), rounding the "
        "original commits itself, so no tolerance it meets separates them"
    ),
    "divergences._kernels.primitives.x__kl_term__mutmut_61": (
        "-0.5 <= u differs only at u == -0.5, where u - log1p(u) replaces p log(p/q) - p + q: "
        "over 200,000 random p with q = p/2 both are within 5.2e-16 relative of the 50-digit "
        "term (log1p 2.3e-16, the original 5.2e-16), rounding the original commits itself"
    ),
    **{
        f"divergences._kernels.primitives.x__kl_term__mutmut_{n}": (
            f"changes the atanh series only in its coefficient of w^10 (46) or w^12 (43, 48), with "
            f"|w| < 0.0527: the term "
            f"moves by at most {bound} of itself over |u| < 0.1 (exact arithmetic, 50 digits, "
            f"401 points), below half an ulp (5.6e-17); the bit-exact float evaluations agreed "
            f"at the points tried"
        )
        for n, bound in ((43, "3.3e-18"), (46, "4.9e-17"), (48, "1.0e-19"))
    },
}
#: The estimators scope's surviving mutants that cannot change any observable result.
EQUIVALENT_ESTIMATORS: Mapping[str, str] = {
    "divergences._bin_rules.x_uniform_edges__mutmut_12": (
        "np.empty(1, dtype) instead of np.empty(0, dtype) as the data of np.histogram_bin_edges "
        "with an integer bins and a range: numpy takes the outer edges from the range, never "
        "from the data, and reads the data only for its dtype (np.result_type of a 1-d array, "
        "whatever its size), so the edges are the same"
    ),
    "divergences._estimation.x_check_options__mutmut_21": (
        "ci_method None instead of the checked method in the Options returned when ci is None: "
        "Options.ci_method is read only under `if options.ci is not None` and for the result's "
        "ci_method, which is None whenever ci is None"
    ),
    "divergences._estimation.x_estimate_from_histogram__mutmut_21": (
        "upper = None instead of math.inf for KL: upper is only np.clip's upper bound, and "
        "np.clip(v, 0.0, None) returns the same float64 values as np.clip(v, 0.0, inf), nan and "
        "inf included"
    ),
    **{
        f"divergences._estimation.x_fused_estimate__mutmut_{n}": (
            f"{change}: the fused path then declines calls it took (returns None) and the "
            "general path computes them; the fused path is an accelerator whose every result "
            "field equals the general path's (tests/test_fused.py, Hypothesis over samples "
            "and bins 1, 7, 64, 'auto', 'wkv'), so declining changes no result, only the time"
        )
        for n, change in (
            (16, "`type(None) is _NDARRAY` for x's test: every call declined"),
            (18, "`type(None) is _NDARRAY` for y's test: every call declined"),
            (24, "`type(None) is str` for nonfinite's test: every call declined"),
            (32, "`type(None) is str` for ci_method's test: every call declined"),
            (
                40,
                "`n_boot == 1001`: calls at the default 1000 declined, and calls with 1001 and "
                "no interval taken, where n_boot is never read (n_boot None on both paths)",
            ),
            (37, "`type(None) is int` for n_boot's test: every call declined"),
            (109, "`2 <= bins`: bins=1 declined"),
            (25, "`type(nonfinite) is not str`: every call declined"),
            (33, "`type(ci_method) is not str`: every call declined"),
            (110, "`1 < bins`: bins=1 declined"),
            (111, "`bins < n`: bins equal to the pooled size declined"),
        )
    },
    **{
        f"divergences.estimate.x_{function}__mutmut_{n}": (
            f"None passed to fused_estimate for {argument}: the fused path then declines "
            "every call (it takes only ndarrays, a str nonfinite, bins as an int or a str, "
            "bias_correction False, a str ci_method and an int n_boot), and the general path, "
            "given the caller's value, computes the call as before"
        )
        for function, numbers in (
            ("js_from_samples", (11, 12, 13, 17, 18, 20, 21)),
            ("kl_from_samples", (17, 18, 19, 23, 24, 26, 27)),
        )
        for n, argument in zip(
            numbers,
            ("x", "y", "bins", "nonfinite", "bias_correction", "ci_method", "n_boot"),
            strict=True,
        )
    },
    "divergences._bin_rules.x__pooled_percentiles__mutmut_26": (
        "zip(order, ..., strict=None) for strict=True: _pooled_order_statistics returns one "
        "value per rank of `order`, so the two have the same length and strict never raises"
    ),
    "divergences._bin_rules.x__pooled_percentiles__mutmut_66": (
        "range(1, 7) for range(1, 6) in the search for the smallest m whose (m - 1) q / 100 "
        "has h's fractional part: the one caller asks for q = 75 and 25, whose fractional "
        "parts 0, .25, .5, .75 (exact in binary) are all met by m <= 4, so the loop breaks "
        "before m = 5 either way"
    ),
    "divergences._bin_rules.x__quantile_edges__mutmut_17": (
        "ys.astype(None) for ys.astype(np.float64): numpy reads a dtype of None as float64"
    ),
    "divergences._bin_rules.x__quantile_edges__mutmut_69": (
        "k >= 1 for k > 1: k = min(rule_cap(n), ceil(2 m^(1/3))) with rule_cap >= 1024 is 0 for "
        "m = 0 and at least 2 for m >= 1, and m (the balanced size, or the pooled size when a "
        "sample is empty) is 0 or at least 1 (balanced_size of sizes >= 1 is at least 4/3), "
        "so k = 1 never occurs"
    ),
    "divergences.discriminator.x__fit_mlp__mutmut_44": (
        "zip(net.weights, grads.weights, strict=None) for strict=True: both lists come from "
        "the same network's layers, so they have the same length and strict never raises"
    ),
    "divergences.estimate.x__wkv_bins__mutmut_121": (
        "edges[-1] - edges[1] for edges[-1] - edges[0] in the overflow test: where the span "
        "overflows and this difference does not, the WKV edges go on to histogram_pair, whose "
        "range check refuses the same span with the same ValueError as the auto fallback "
        "reaches (checked with a y holding -1.5e308 and 1.5e308)"
    ),
    "divergences._bin_rules.x_balanced_size__mutmut_4": (
        "`n_x <= 0 and n_y <= 0` for `or`: with one sample empty the formula that follows "
        "returns 4 (a + b) u v / spread = 0.0 (u or v is 0, spread 3), the value the early "
        "return gives"
    ),
    "divergences.knn.x_common_exponent__mutmut_13": (
        "`(largest > 0.0) or True`: for largest = 0.0, math.frexp(0.0)[1] is 0, the value of "
        "the else branch (the coordinates are finite, so largest is never NaN)"
    ),
    "divergences.knn.x_leaf_size__mutmut_5": (
        "min(129, ...) for min(128, ...): the k-d trees' leaf size changes their structure and "
        "time, not the neighbours a query returns or the distances it computes"
    ),
    "divergences.knn.x__js_values_brute__mutmut_13": (
        "the bounds array without dtype=np.int64: numpy (>= 2.0, the floor of pyproject) makes "
        "an array of Python ints int64 on every platform, the kernel's type"
    ),
    "divergences.estimate.x_kl_from_samples__mutmut_16": (
        "fused = None: kl_from_samples never takes the fused path and the general path computes "
        "every call; the fused path's result equals the general path's field for field "
        "(tests/test_fused.py), so only the time changes"
    ),
    **{
        f"divergences.knn.x_js_knn__mutmut_{n}": (
            f"zip(weights, orders, strict={flag}) instead of strict=True: weights and orders "
            "come from one list of orders and have the same length always (the ensemble's "
            "weights solve one equation per order), so strict never raises and the sum is the "
            "same"
        )
        for n, flag in ((156, "None"), (159, "False (the default)"), (188, "None"), (192, "False"))
    },
    **{
        name: (
            f"{change}: log_base is ln(base), finite and non-zero (check_base refuses 1, 0, "
            "negative and non-finite bases), so an infinity divided by it and multiplied by it "
            "have the same sign and are the same infinity"
        )
        for name, change in (
            (
                "divergences.discriminator.x_js_discriminator__mutmut_190",
                "the lower bound -inf * log_base instead of -inf / log_base",
            ),
            (
                "divergences.knn.x_kl_knn__mutmut_208",
                "the upper bound inf * log_base instead of inf / log_base",
            ),
        )
    },
    "divergences._bin_rules.x__rule_width__mutmut_101": (
        "np.dtype(None) instead of np.dtype(np.float64): numpy reads None as float64"
    ),
    "divergences._bin_rules.x__rule_width__mutmut_27": (
        "width 1 instead of 0 returned with n = 0 (no value in the range): rule_count, its only "
        "caller, returns one bin whenever n is 0 before it reads the width"
    ),
    "divergences._bin_rules.x_pooled_order_statistic__mutmut_3": (
        "float64 counters instead of int64: each counts at most the pooled size, far below "
        "2^53, so every count, cumulative sum and comparison with the rank is exact either way"
    ),
    "divergences._estimation.x_estimate_from_histogram__mutmut_64": (
        "np.sort without axis=1: the intervals are a (rows, 2) array (bootstrap_intervals), so "
        "the default last axis is axis 1"
    ),
    "divergences.knn.x__kth_distances__mutmut_14": (
        "the policy's thread count at every size instead of 1 below the threshold: each "
        "distance is computed for one pair of points the same way by whichever thread asks "
        "(as for __mutmut_10)"
    ),
    "divergences.knn.x_leaf_size__mutmut_11": (
        "leaves of max(16, 8 / d) = 16 points instead of 8 d: the leaf size changes only the "
        "tree's shape, and every distance is summed over the coordinates of one pair of points "
        "whatever the shape (leaf_size's docstring; tests/test_knn.py compares the distances "
        "with scipy's default leaves in d = 1..16)"
    ),
    "divergences._bin_rules.x_pooled_order_statistic__mutmut_8": (
        "2^17 counters instead of 2^16: a 16-bit digit fills only the first 2^16, the others "
        "stay 0, so the cumulative counts past them equal the total and the digit found for a "
        "rank below the total is the same"
    ),
    "divergences.estimate.x__wkv_bins__mutmut_43": (
        "ya.astype(None) instead of ya.astype(np.float64): numpy reads None as float64"
    ),
    "divergences.knn.x__kth_distances__mutmut_16": (
        "2 workers instead of 1 below the parallel threshold: each distance is computed for "
        "one pair of points the same way by whichever thread asks (as for __mutmut_10)"
    ),
    "divergences.estimate.x__wkv_bins__mutmut_30": (
        "`ya.dtype.kind not in 'XXfiuXX'` instead of `not in 'fiu'`: a dtype's kind is one "
        "character and none is 'X', so membership in the two strings is the same for every dtype"
    ),
    "divergences.knn.x_common_exponent__mutmut_16": (
        "`largest >= 0.0` instead of `> 0.0`: the two differ only at 0.0, where "
        "math.frexp(0.0)[1] is 0, the value of the else branch"
    ),
    "divergences._bin_rules.x__pooled_order_statistics__mutmut_21": (
        "np.array(ranks, None) instead of np.array(ranks, np.int64): the ranks are Python "
        "ints, whose default dtype is int64 on every 64-bit platform since numpy 2.0 (the "
        "oldest numpy the library supports; numba, which the library needs, runs on no other), "
        "so the array and the kernel's signature are the same"
    ),
    "divergences.knn.x__dequantized_pairs__mutmut_76": (
        "_noise_generator(None, pair_seed) instead of (rng, pair_seed): the generator is read "
        "only when the seed is None, and pair_seed is an int here (drawn by pair_seeds), so "
        "the noise comes from default_rng([pair_seed, NOISE_TAG]) either way"
    ),
    "divergences.knn.x__kth_distances__mutmut_10": (
        "work = queries.shape[1] ** 2 instead of the number of queries times d: work only "
        "chooses how many threads scipy's cKDTree.query uses, and each distance is computed "
        "for one pair of points the same way by whichever thread asks (the docstring; the "
        "distances equal scipy's with workers=1 in tests/test_knn.py)"
    ),
}
#: The estimators scope's mutants that change only which invalid input is refused, or the
#: wording of an error, and that :func:`on_error_path` cannot see (a condition inside an
#: expression, a message built on a line of its own): not the mathematics (no value for valid
#: input changes). They are run against the module's ``tests/`` files, which assert its error
#: messages, as the argument-name mutants of :func:`outside_mathematics` and the mutants on an
#: error path are.
_LISTED_INPUT_CHECKS: Mapping[str, str] = {
    f"divergences.{name}": why
    for name, why in (
        (
            "_estimation.x_fused_estimate__mutmut_34",
            "ci_method != 'bca' in the fused path's test: a call without ci but with an "
            "invalid ci_method ('zz', 'BCA') is taken by the fused path and computed, where the "
            "general path refuses it (check_ci_method); valid calls give the same fields on "
            "both paths",
        ),
        (
            "knn.x__js_value__mutmut_37",
            "zeros -= count for the mixture's zero distances: never negative counts, so the total "
            "is nonzero exactly when the sum is; it decides the refusal alike and only the ties "
            "message's count changes (negative)",
        ),
        (
            "discriminator.xǁ_FixedLogitǁ__call____mutmut_8",
            "'POINTS' for 'points': the name a fixed discriminator's invalid output is reported "
            "under (check_probabilities_output's message)",
        ),
        (
            "_estimation.x_fused_estimate__mutmut_47",
            "2-D x with 2 in its shape taken as one sample (the general path refuses it)",
        ),
        (
            "_estimation.x_fused_estimate__mutmut_57",
            "3-D y with a 1 in its shape taken as one sample (the general path refuses it)",
        ),
        *(
            (
                f"estimate.x_{function}__mutmut_{n}",
                "None passed to the fused path for the seed: an invalid seed (-1, 1.5) "
                "accepted on a call without an interval, which the general path refuses",
            )
            for function, n in (("js_from_samples", 22), ("kl_from_samples", 28))
        ),
        (
            "_estimation.x_fused_estimate__mutmut_59",
            "a 2-D y with no 1 in its shape taken as one sample (the general path refuses it)",
        ),
        (
            "_estimation.x_fused_estimate__mutmut_98",
            "bins='wkv' accepted by js_from_samples (the general path refuses it)",
        ),
        (
            "knn.x_js_knn__mutmut_83",
            "the too-few-points error's text: 2 / kk for 2 * kk in `need` (kk >= 1, so it "
            "cannot raise; words_only leaves a division to this list)",
        ),
    )
}
#: The fused path's acceptance test, mutated so that it takes an invalid call.
_FUSED_INPUT_CHECKS: Mapping[str, str] = {
    f"divergences._estimation.x_fused_estimate__mutmut_{n}": (
        f"{change}: the fused path takes that invalid call and computes it, where the "
        "general path refuses it; valid calls give the same fields on both paths"
    )
    for n, change in (
        (26, "nonfinite != 'raise' in the fused path's test: an invalid nonfinite ('RAISE')"),
        (27, "nonfinite == 'XXraiseXX': that invalid nonfinite"),
        (28, "nonfinite == 'RAISE': that invalid nonfinite"),
        (30, "bias_correction is True: bias_correction=True, neither False nor a name"),
        (35, "ci_method == 'XXbcaXX': that invalid ci_method without ci"),
        (36, "ci_method == 'BCA': that invalid ci_method without ci"),
        (38, "type(n_boot) is not int: n_boot=1000.0, not an integer"),
        (39, "n_boot != 1000: an invalid n_boot without ci (0, -5)"),
        (41, "seed is not None: an invalid seed without ci (-1)"),
        (85, "bins == 'XXautoXX': that invalid rule name (and 'auto' declined)"),
        (86, "bins == 'AUTO': that invalid rule name (numpy's are lower case)"),
        (96, "bins == 'XXwkvXX': that invalid rule name (and 'wkv' declined)"),
        (97, "bins == 'WKV': that invalid rule name (and 'wkv' declined)"),
    )
}
INPUT_CHECKS_ESTIMATORS: Mapping[str, str] = {**_LISTED_INPUT_CHECKS, **_FUSED_INPUT_CHECKS}

INPUT_CHECKS_OF: Mapping[str, Mapping[str, str]] = {
    "default": {},
    "discrete": {},
    "estimators": INPUT_CHECKS_ESTIMATORS,
}
EQUIVALENT_OF: Mapping[str, Mapping[str, str]] = {
    "default": EQUIVALENT,
    "discrete": EQUIVALENT_DISCRETE,
    "estimators": EQUIVALENT_ESTIMATORS,
}


#: The ``tests/`` files that own each mutated module's argument checks and error messages: the
#: mutants outside the mathematics (:func:`outside_mathematics`) are run against it.
TESTS_OF: Mapping[str, tuple[str, ...]] = {
    "divergences.gan": ("tests/test_gan.py",),
    "divergences._kernels.gan": ("tests/test_gan.py",),
    "divergences.fdivergences": ("tests/test_fdivergences.py",),
    "divergences.reference": ("tests/test_reference.py",),
    "divergences.discrete": ("tests/test_discrete.py",),
    "divergences._kernels.discrete": ("tests/test_discrete.py",),
    "divergences._kernels.primitives": ("tests/test_discrete.py",),
    "divergences.estimate": ("tests/test_estimate.py", "tests/test_fused.py"),
    "divergences._estimation": ("tests/test_estimate.py", "tests/test_fused.py"),
    "divergences._bin_rules": ("tests/test_histogram.py",),
    "divergences.knn": ("tests/test_knn.py", "tests/test_knn_js.py", "tests/test_knn_batch.py"),
    "divergences.discriminator": ("tests/test_discriminator.py",),
}
#: Modules whose numba kernels run as plain Python in the staged copy: numpy scalars warn there
#: on the overflows the compiled kernels pass over silently, so their tests ignore RuntimeWarning.
_PLAIN_PYTHON_KERNELS = (
    "divergences._kernels.gan",
    "divergences._kernels.discrete",
    "divergences._kernels.primitives",
)
_SKIPPED_TOKENS = (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER)


def _tokens(line: str) -> list[tuple[int, str]]:
    """The tokens of a source fragment (unbalanced brackets allowed), without layout."""
    found: list[tuple[int, str]] = []
    try:
        for token in tokenize.generate_tokens(iter([line + "\n"]).__next__):
            if token.type not in _SKIPPED_TOKENS and token.string.strip():
                found.append((token.type, token.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # a fragment of a longer statement: the tokens read so far are what counts
    return found


def _string_value(token: tuple[int, str]) -> str | None:
    """The text of a plain or f-string literal token, or None for any other token."""
    if token[0] != tokenize.STRING:
        return None
    match = re.fullmatch(r"([rRfFbBuU]{0,2})(['\"]{1,3})(.*)\2", token[1], re.DOTALL)
    return match.group(3) if match else None


def outside_mathematics(before: str, after: str) -> bool:
    """Whether a mutant changes only what an argument is called in a check or an error message.

    ``before`` and ``after`` are the line(s) the mutant changes (:func:`changed_line`). Such a
    mutant changes no value the library returns for valid input: every string literal it
    replaces (by another string or by ``None``) either names a variable of the same line, the
    way ``as_densities(p_data, "p_data")`` names its argument for the error message, or is an
    error message's text (an f-string, or a string with spaces); or it drops a ``names=(...)``
    keyword of such names. A default such as ``kind="kl"``, a numpy option such as
    ``order="C"`` or ``errstate(all="ignore")``, and any operator, number or name are
    mathematics or plumbing, and stay in the score.
    """
    old, new = _tokens(before), _tokens(after)
    names = {text for kind, text in old if kind == tokenize.NAME}

    def is_label(token: tuple[int, str]) -> bool:
        text = _string_value(token)
        if text is None:
            return False
        return text in names or " " in text or token[1][:1] in "fF"

    if new == [(tokenize.NAME, "None")] and old:
        # a whole message replaced by None (its lines are joined by " / " in ``before``)
        return all(is_label(t) or t == (tokenize.OP, "/") for t in old)
    if len(old) == len(new):
        changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
        return bool(changed) and all(
            is_label(a) and (b[0] == tokenize.STRING or b == (tokenize.NAME, "None"))
            for a, b in changed
        )
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(new))
    dropped = old[start : start + len(old) - len(new)]
    rest_equal = old[start + len(dropped) :] == new[start:] and old[:start] == new[:start]
    if not rest_equal or not dropped or dropped[0] != (tokenize.NAME, "names"):
        return False
    return all(t[0] == tokenize.OP or is_label(t) for t in dropped[1:])


#: Calls that only refuse input: a statement calling one (its value unused) raises or returns
#: nothing, so it decides which invalid input is refused and with which words, never a value
#: (the library's checks and error raisers are named so, in ``divergences._checks``).
ERROR_CALL_PREFIXES = ("raise_", "check_")


def _called_name(statement: ast.stmt) -> str:
    """The name of the function an expression statement calls, or ``""``."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        called = statement.value.func
        if isinstance(called, ast.Name):
            return called.id
        if isinstance(called, ast.Attribute):
            return called.attr
    return ""


def _raises(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Raise) or _called_name(statement).startswith("raise_")


def _error_block(block: list[ast.stmt]) -> bool:
    """Whether a block can only end in an exception: it ends in a raise and returns nowhere."""
    leaves = (ast.Return, ast.Break, ast.Continue)
    return (
        bool(block)
        and _raises(block[-1])
        and not any(isinstance(node, leaves) for s in block for node in ast.walk(s))
    )


def error_path_lines(source: str) -> set[int]:
    """The lines of one function's source that run only on the way to an error.

    They are: a ``raise``; a statement that calls a ``raise_*`` or ``check_*`` function and
    drops its value; and every statement of a block (an ``if`` or ``else`` branch, an
    ``except`` handler; a ``try`` body only if every handler raises again) that ends in a
    raise and returns nowhere. A change there changes which
    error is raised, its words, or what is checked on the way to it; no value returned for
    valid input. The test of an ``if`` that guards a refusal is not among them: flipped, it
    can refuse valid input, and such a mutant stays in the mathematics.
    """
    function = ast.parse(source).body[0]
    marked: set[int] = set()

    def mark(node: ast.AST) -> None:
        start, end = getattr(node, "lineno", 0), getattr(node, "end_lineno", None) or 0
        marked.update(range(start, end + 1))

    def visit(block: list[ast.stmt], inside: bool, own: bool = True) -> None:
        # own=False for a try's body whose handlers may turn its raise into a value
        refusing = inside or (own and _error_block(block))
        for statement in block:
            if (
                refusing
                or _raises(statement)
                or _called_name(statement).startswith(ERROR_CALL_PREFIXES)
            ):
                mark(statement)
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(statement, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    # a try's body refuses only if every handler refuses again
                    caught = isinstance(statement, ast.Try) and field == "body"
                    handlers = getattr(statement, "handlers", ())
                    visit(
                        inner,
                        refusing,
                        own=not caught or all(_error_block(h.body) for h in handlers),
                    )
            for handler in getattr(statement, "handlers", ()):
                visit(handler.body, refusing)

    if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        visit(function.body, False)
    return marked


#: Helpers the mutated modules call only on the way to an error (tests/test_proofs_mutation.py
#: checks every call site with :func:`error_path_lines`): which of two errors zero distances
#: raise, and the ties error's text in a batch. All their mutants are input checks.
ERROR_ONLY_HELPERS = ("divergences.knn._all_distinct", "divergences.knn._ties_message")


def _original_and_mutant(mutants: Path, name: str) -> tuple[list[str], list[str]]:
    """The lines of a mutant's original function and of the mutant, from mutmut's module.

    Both are named ``f`` (mutmut names them apart), so that only the change differs.
    """
    module, function = name.rsplit(".", 1)
    path = mutants / (module.replace(".", "/") + ".py")
    spans = json.loads(path.with_suffix(".py.spans").read_text(encoding="utf-8"))["spans"]
    lines = path.read_text(encoding="utf-8").splitlines()

    def body(key: str) -> list[str]:
        start, end = spans[key]
        return [line.replace(key, "f") for line in lines[start - 1 : end]]

    return body(function.split("__mutmut_")[0] + "__mutmut_orig"), body(function)


#: Names that carry only the words of an error message, by the function that assigns them:
#: each is read only to build an error's text, directly or through a parameter of
#: :data:`MESSAGE_PARAMETERS` (tests/test_proofs_mutation.py checks every read). A mutant
#: that changes only what they hold changes an error's wording.
MESSAGE_NAMES: Mapping[str, tuple[str, ...]] = {
    "divergences.knn.js_knn": ("held", "need", "smaller"),
    "divergences.knn.kl_knn": ("held", "need"),
}
#: Parameters that carry only the words of an error message, by the function that takes them:
#: the parameter and its position (None: keyword-only). Read only on the way to an error
#: (checked with :func:`error_path_lines`).
MESSAGE_PARAMETERS: Mapping[str, tuple[str, int | None]] = {
    "ensemble_orders": ("need", 2),
    "_js_value": ("smaller", None),
}


#: Nodes whose value may raise or act when computed: a message word holding one is not only a
#: word (changed, it may raise another error, or none, on the way to a value).
_ACTIVE = (ast.Call, ast.NamedExpr, ast.Subscript, ast.Attribute, ast.Await, ast.Yield)
_PARTIAL = (ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


class _WordsDropped(ast.NodeTransformer):
    """A function's syntax tree with its error messages' words replaced by None.

    The words: what is assigned to the names of :data:`MESSAGE_NAMES`, and the arguments and
    defaults of the parameters of :data:`MESSAGE_PARAMETERS` (calls by a bare name only; the
    outermost function is ``function``, whatever it is called in mutmut's module). ``active``
    is set when a dropped word could raise or act when computed (a call, a subscript, an
    attribute, a division...): such a word is not only a word.
    """

    def __init__(self, names: tuple[str, ...], function: str) -> None:
        self.names = names
        self.function = function
        self.active = False
        self.depth = 0

    def drop(self, node: ast.AST) -> ast.Constant:
        for inner in ast.walk(node):
            partial = isinstance(inner, ast.BinOp) and isinstance(inner.op, _PARTIAL)
            if isinstance(inner, _ACTIVE) or partial:
                self.active = True
        return ast.Constant(None)

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        [target] = node.targets if len(node.targets) == 1 else [None]
        if isinstance(target, ast.Name) and target.id in self.names:
            node.value = self.drop(node.value)
        elif (
            isinstance(target, ast.Tuple)
            and isinstance(node.value, ast.Tuple)
            and len(target.elts) == len(node.value.elts)
        ):
            for i, element in enumerate(target.elts):
                if isinstance(element, ast.Name) and element.id in self.names:
                    node.value.elts[i] = self.drop(node.value.elts[i])
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        called = node.func.id if isinstance(node.func, ast.Name) else ""
        if called in MESSAGE_PARAMETERS:
            parameter, position = MESSAGE_PARAMETERS[called]
            for keyword in node.keywords:
                if keyword.arg == parameter:
                    self.drop(keyword.value)
            node.keywords = [k for k in node.keywords if k.arg != parameter]
            if position is not None and len(node.args) > position:
                self.drop(node.args[position])
                node.args = node.args[:position] + node.args[position + 1 :]
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        name = self.function if self.depth == 0 else node.name
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1
        if name in MESSAGE_PARAMETERS:
            parameter, _ = MESSAGE_PARAMETERS[name]
            arguments = node.args
            for i, argument in enumerate(arguments.kwonlyargs):
                if argument.arg == parameter and arguments.kw_defaults[i] is not None:
                    arguments.kw_defaults[i] = self.drop(arguments.kw_defaults[i])
            positional = arguments.posonlyargs + arguments.args
            offset = len(positional) - len(arguments.defaults)
            for i, argument in enumerate(positional[offset:]):
                if argument.arg == parameter:
                    arguments.defaults[i] = self.drop(arguments.defaults[i])
        return node


def words_only(original: str, mutant: str, names: tuple[str, ...], function: str = "") -> bool:
    """Whether two sources of one function differ only in an error message's words.

    The words are what :class:`_WordsDropped` replaces; ``names`` are the function's
    :data:`MESSAGE_NAMES` and ``function`` its name (for :data:`MESSAGE_PARAMETERS`). Sources
    that differ nowhere else once those are dropped, and whose dropped words cannot raise or
    act, return the same values and raise the same errors, worded otherwise.
    """
    try:
        before, after = ast.parse(textwrap.dedent(original)), ast.parse(textwrap.dedent(mutant))
    except SyntaxError:
        return False
    if ast.dump(before) == ast.dump(after):
        return False
    dropped_before, dropped_after = _WordsDropped(names, function), _WordsDropped(names, function)
    same = ast.dump(dropped_before.visit(before)) == ast.dump(dropped_after.visit(after))
    return same and not (dropped_before.active or dropped_after.active)


def message_only(mutants: Path, name: str) -> bool:
    """Whether a mutant changes only an error message's words (:func:`words_only`)."""
    module, function = name.rsplit(".", 1)
    bare = function.split("__mutmut_")[0].removeprefix("x_")
    names = MESSAGE_NAMES.get(f"{module}.{bare}", ())
    if not names and bare not in MESSAGE_PARAMETERS:
        return False
    original, mutant = _original_and_mutant(mutants, name)
    return words_only("\n".join(original), "\n".join(mutant), names, bare)


def on_error_path(mutants: Path, name: str) -> bool:
    """Whether every line a mutant changes runs only on the way to an error.

    The lines are those of :func:`error_path_lines`.

    Read, like :func:`changed_line`, from mutmut's mutated module: the original function and
    the mutant are compared line by line; a mutant that only inserts lines is not counted.
    """
    module, function = name.rsplit(".", 1)
    if f"{module}.{function.split('__mutmut_')[0].removeprefix('x_')}" in ERROR_ONLY_HELPERS:
        return True
    original, mutant = _original_and_mutant(mutants, name)
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(a=original, b=mutant, autojunk=False)
    for tag, first, last, _, _ in matcher.get_opcodes():
        if tag != "equal":
            if first == last:
                return False
            changed.update(range(first + 1, last + 1))
    if not changed:
        return False
    try:
        refusing = error_path_lines(textwrap.dedent("\n".join(original)))
    except SyntaxError:
        return False
    return changed <= refusing


def strip_njit(source: str) -> str:
    """``source`` with every ``@njit(...)`` line commented out (line numbers are kept)."""
    return _NJIT_LINE.sub(r"\1# @njit (commented out for the mutation run)", source)


_DECORATED = re.compile(r"^@(\w+)\n((?:async )?def (\w+)\()", re.MULTILINE)


def lift_decorators(source: str, names: tuple[str, ...] = LIFTED_DECORATORS) -> str:
    """``source`` with each top-level ``@name`` (of ``names``) applied after the module instead.

    mutmut does not mutate decorated functions. ``@d`` over ``def f`` is ``f = d(f)`` right
    after it; for a decorator that only edits the function object (``documented`` fills its
    docstring) it is the same program at the module's end, once every name is defined. Line
    numbers are kept: the decorator line is commented out, the calls are appended.
    """
    lifted: list[tuple[str, str]] = []

    def lift(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            return match.group(0)
        lifted.append((match.group(1), match.group(3)))
        return f"# @{match.group(1)} (applied at the end of the module for the mutation run)\n" + (
            match.group(2)
        )

    text = _DECORATED.sub(lift, source)
    if not lifted:
        return source
    calls = "".join(f"{function} = {decorator}({function})\n" for decorator, function in lifted)
    return text.rstrip("\n") + "\n\n\n# lifted for the mutation run (proofs/mutation.py)\n" + calls


def stage(
    root: Path,
    only_mutate: list[str] | tuple[str, ...],
    name: str = STAGE,
    plain_python: bool = True,
) -> Path:
    """A fresh copy of the sources in ``root / name``, the mutated modules made mutable.

    With ``plain_python`` (the JIT disabled in the run) their ``@njit`` lines are commented out
    (:func:`strip_njit`); without it their kernels stay compiled and only the decorators of
    :data:`LIFTED_DECORATORS` are lifted (:func:`lift_decorators`).
    """
    target = root / name
    if target.exists():
        shutil.rmtree(target)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc")
    for item in STAGED:
        source = root / item
        if source.is_dir():
            shutil.copytree(source, target / item, ignore=ignore)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / item)
    for pattern in only_mutate:
        for path in sorted(target.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            changed = strip_njit(text) if plain_python else lift_decorators(text)
            path.write_text(changed, encoding="utf-8")
    return target


def with_only_mutate(
    pyproject: str,
    files: tuple[str, ...] | list[str],
    deselect: tuple[str, ...] = (),
    drop: tuple[str, ...] = (),
) -> str:
    """``pyproject`` (pyproject.toml's text) with ``only_mutate`` of mutmut set to ``files``.

    That is how a scope other than the default tells mutmut what to mutate in its staged copy;
    each of ``deselect`` is added to ``pytest_add_cli_args`` as a ``--deselect`` option, and
    each option of ``drop`` (a line ``"option",`` of that array) is removed from it.
    Raises ValueError unless the text has exactly one multi-line ``only_mutate = [`` array and
    exactly one multi-line ``pytest_add_cli_args = [`` array, or if an option to drop is not
    on a line of its own.
    """
    for pattern, name in ((_ONLY_MUTATE, "only_mutate"), (_PYTEST_ARGS, "pytest_add_cli_args")):
        found = len(pattern.findall(pyproject))
        if found != 1:
            raise ValueError(
                f"pyproject.toml has {found} multi-line `{name} = [` arrays, not one: "
                f"the scope cannot tell mutmut what to mutate and run"
            )
    array = "only_mutate = [\n" + "".join(f'    "{path}",\n' for path in files) + "]"
    options = "".join(f'    "--deselect={node}",\n' for node in deselect)
    text = _ONLY_MUTATE.sub(lambda _: array, pyproject)
    for option in drop:
        line = re.compile(rf'^\s*"{re.escape(option)}",\n', re.MULTILINE)
        text, found = line.subn("", text)
        if found != 1:
            raise ValueError(
                f"pyproject.toml has {found} lines with the option {option!r}, not one: "
                f"the scope cannot drop it"
            )
    return _PYTEST_ARGS.sub(lambda match: match.group(0) + options, text)


_MUTMUT_SECTION = re.compile(r"^\[tool\.mutmut\]\n", re.MULTILINE)


def with_timeout_multiplier(pyproject: str, multiplier: float) -> str:
    """``pyproject`` with mutmut's ``timeout_multiplier`` set to ``multiplier``.

    mutmut (3.8) stops a mutant's proofs after ``multiplier * (t + 1)`` seconds of wall time,
    or ``2 * multiplier * (t + 1)`` of CPU time, ``t`` the traced duration of the proofs that
    reach it, and counts it as a *timeout* (15 by default).
    A proof run that outlasts that is not a failed proof: a larger multiplier lets such a
    mutant end as killed or survived. Raises ValueError unless the text has exactly one
    ``[tool.mutmut]`` section and no ``timeout_multiplier`` yet, or if ``multiplier`` is not a
    finite number above 0.
    """
    if not (math.isfinite(multiplier) and multiplier > 0):
        raise ValueError(f"timeout multiplier must be a finite number above 0, not {multiplier!r}")
    sections = len(_MUTMUT_SECTION.findall(pyproject))
    if sections != 1 or re.search(r"^timeout_multiplier\s*=", pyproject, re.MULTILINE):
        raise ValueError(
            f"pyproject.toml has {sections} [tool.mutmut] sections (or a timeout_multiplier "
            f"already): the run cannot set its timeout multiplier"
        )
    return _MUTMUT_SECTION.sub(
        lambda match: match.group(0) + f"timeout_multiplier = {float(multiplier)!r}\n", pyproject
    )


def run_environment(scope: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of a scope's mutmut run: ``environ`` with the mutation profile.

    The JIT is disabled (``NUMBA_DISABLE_JIT=1``) in the scopes of :data:`PLAIN_PYTHON_SCOPES`
    only, and removed from the others' environment, so that their kernels run compiled;
    ``PYTHONPATH`` is removed (mutmut puts its mutants first on the path itself). With the JIT
    on, numba's threading layer is a fork-safe one (``NUMBA_THREADING_LAYER=forksafe``:
    workqueue where tbb is not installed): mutmut runs each mutant in a process forked from the
    one that traced the proofs, and once a parallel kernel has started GNU OpenMP there (the
    default layer on Linux, used when the load leaves a core idle), numba ends every forked
    child that launches one with SIGTERM, which mutmut counts as "suspicious", not killed.
    Dask's computations run on its synchronous scheduler (``DASK_SCHEDULER=synchronous``):
    dask's threaded scheduler keeps one thread pool per process, and a process forked after
    the pool started inherits the pool without its threads, so its first ``compute()``
    waits forever; mutmut then reported a timeout for every mutant whose proofs, failing
    nowhere earlier, reached a claim with a dask array.
    """
    env = {k: v for k, v in environ.items() if k not in ("PYTHONPATH", "NUMBA_DISABLE_JIT")}
    env["DIVERGENCES_HYPOTHESIS_PROFILE"] = "mutation"
    env["DASK_SCHEDULER"] = "synchronous"
    if scope in PLAIN_PYTHON_SCOPES:
        env["NUMBA_DISABLE_JIT"] = "1"
    else:
        env["NUMBA_THREADING_LAYER"] = "forksafe"
    return env


def generate(target: Path, files: tuple[str, ...] | list[str]) -> list[str]:
    """Write the mutants of ``files`` into ``target / "mutants"`` and return their names.

    mutmut has no command that only generates mutants, so this calls the function its ``run``
    generates them with, one file at a time; ``mutmut run`` later finds them up to date.
    """
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from mutmut.__main__ import create_file_mutants\n"
        "for path in sys.argv[1:]:\n"
        "    result = create_file_mutants(Path(path))\n"
        "    if result.error is not None:\n"
        "        raise result.error\n"
    )
    status = subprocess.call(
        [sys.executable, "-c", code, *files], cwd=target, stdout=subprocess.DEVNULL
    )
    if status != 0:
        raise RuntimeError(f"generating the mutants of {', '.join(files)} exited with {status}")
    return sorted(statuses(target / "mutants"))


def sample(names: list[str], size: int, seed: int) -> list[str]:
    """A seeded uniform random sample of ``size`` of ``names``, without replacement, sorted."""
    if not 0 < size <= len(names):
        raise ValueError(f"cannot sample {size} of {len(names)} mutants: ask for 1 to {len(names)}")
    return sorted(random.Random(seed).sample(sorted(names), size))


def binomial_interval(killed: int, judged: int, level: float = 0.95) -> tuple[float, float]:
    """The Clopper-Pearson interval of a kill rate from ``killed`` of ``judged`` sampled mutants.

    Exact (conservative): each bound is the rate at which the observed count sits in a tail of
    probability ``(1 - level) / 2``; the bound is 0 (1) when none (all) were killed.
    """
    if judged < 1 or not 0 <= killed <= judged:
        raise ValueError(
            f"a kill rate needs 0 <= killed <= judged and judged >= 1, not {killed} of {judged}"
        )
    from scipy.stats import beta

    tail = (1.0 - level) / 2.0
    low = float(beta.ppf(tail, killed, judged - killed + 1)) if killed > 0 else 0.0
    high = float(beta.ppf(1.0 - tail, killed + 1, judged - killed)) if killed < judged else 1.0
    return low, high


def sample_note(
    killed: int, judged: int, drawn: int, population: int, seed: int, timeouts: int = 0
) -> str:
    """The report's lines on a sampled run: which sample, the rate and its 95 % interval.

    ``killed`` counts the ``timeouts`` among them, as mutmut does; when there are any, a second
    line gives the rate with every timeout counted as a survivor, which is what is known for
    certain (a proof run stopped by the time limit has failed no proof).
    """
    if not 0 <= timeouts <= killed:
        raise ValueError(f"the timeouts are among the killed: 0 <= {timeouts} <= {killed} fails")
    low, high = binomial_interval(killed, judged)
    note = (
        f"a seeded random sample (seed {seed}) of {drawn} of the scope's {population} mutants: "
        f"{killed} of {judged} killed, {100.0 * killed / judged:.1f}%, binomial 95% interval "
        f"[{100.0 * low:.1f}%, {100.0 * high:.1f}%] (Clopper-Pearson) for the whole scope"
    )
    if timeouts:
        outright = killed - timeouts
        low, high = binomial_interval(outright, judged)
        note += (
            f"\n  of them {timeouts} timed out; counted as survivors: {outright} of {judged} "
            f"killed outright, {100.0 * outright / judged:.1f}% "
            f"[{100.0 * low:.1f}%, {100.0 * high:.1f}%]"
        )
    return note


def statuses(mutants: Path) -> dict[str, str]:
    """Each mutant's status, read from the ``.meta`` files mutmut writes beside its mutants."""
    found: dict[str, str] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for name, code in codes.items():
            found[name] = STATUS_BY_EXIT_CODE.get(code, f"exit code {code}")
    return found


def score(found: Mapping[str, str], equivalent: Mapping[str, str]) -> tuple[dict[str, int], str]:
    """Counts by status (survivors argued equivalent apart) and the report's lines.

    Raises ValueError for an equivalence argument about a mutant that did not survive this run
    (the sources changed under it, or a check now kills it): the list must be kept true.
    """
    stale = sorted(set(equivalent) - {n for n, s in found.items() if s == "survived"})
    if stale:
        raise ValueError(
            f"EQUIVALENT argues for {len(stale)} mutant(s) that did not survive this run: "
            f"{', '.join(stale)}; remove or renumber them (mutmut numbers mutants per function)."
        )
    counts = Counter(
        "equivalent" if s == "survived" and n in equivalent else s for n, s in found.items()
    )
    total = sum(counts.values())
    detected = counts["killed"] + counts["timeout"]
    judged = total - counts["equivalent"]
    lines = [f"mutants: {total}"]
    lines += [f"  {status}: {counts[status]}" for status in sorted(counts)]
    percent = 100.0 * detected / judged if judged else 100.0
    lines.append(
        f"score: {detected} of {judged} non-equivalent mutants killed ({percent:.1f}%; "
        f"timeouts count as killed)"
    )
    survivors = sorted(n for n, s in found.items() if s != "killed" and s != "timeout")
    lines += [f"  {found[n]}: {n}" for n in survivors if n not in equivalent]
    return dict(counts), "\n".join(lines)


def mathematics_score(
    found: Mapping[str, str],
    equivalent: Mapping[str, str],
    outside: set[str],
    killed_by_tests: Mapping[str, bool] | None,
) -> str:
    """The score over the mathematics, and what ``tests/`` does with the mutants outside it.

    ``outside`` holds the mutants that change only an argument's name in a check or an error
    message (:func:`outside_mathematics`); ``killed_by_tests`` says, for those that ``proofs/``
    did not kill, whether the module's ``tests/`` file (:data:`TESTS_OF`) does (None: not run).
    """
    detected = {"killed", "timeout"}
    maths = [n for n in found if n not in outside and n not in equivalent]
    killed = sum(found[n] in detected for n in maths)
    survivors = sorted(n for n in outside if found[n] not in detected)
    percent = 100.0 * killed / len(maths) if maths else 100.0
    if killed_by_tests is None:
        verdict = f"tests/ was not run against the other {len(survivors)} (--skip-tests)"
    else:
        by_tests = sum(bool(killed_by_tests.get(n)) for n in survivors)
        verdict = f"tests/ kills {by_tests} of the other {len(survivors)}"
    lines = [
        f"outside the mathematics: {len(outside)} mutants change only an argument's name in a "
        f"check or an error message, an error's wording or which invalid input is refused; "
        f"proofs/ kills {len(outside) - len(survivors)}, {verdict}",
        f"score over the mathematics: {killed} of {len(maths)} non-equivalent mutants killed by "
        f"proofs/ ({percent:.1f}%)",
    ]
    if killed_by_tests is not None:
        lines += [
            f"  not killed by tests/ either: {n}" for n in survivors if not killed_by_tests[n]
        ]
    return "\n".join(lines)


def run_tests_on(target: Path, names: list[str], plain_python: bool = False) -> dict[str, bool]:
    """Whether the ``tests/`` file of each mutant's module fails with the mutant active.

    The module's tests (:data:`TESTS_OF`) run in the staged copy's ``mutants/`` directory,
    where mutmut's trampolines read the active mutant from ``MUTANT_UNDER_TEST``.
    ``plain_python`` disables the JIT (``NUMBA_DISABLE_JIT=1``): needed when the mutated
    kernels are called by other, compiled kernels (the scalar terms of ``primitives.py``).
    """
    mutants = target / "mutants"
    shutil.copytree(ROOT / "tests", mutants / "tests", dirs_exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if plain_python:
        env["NUMBA_DISABLE_JIT"] = "1"
    verdicts: dict[str, bool] = {}
    for index, name in enumerate(names, 1):
        module = name.rsplit(".", 1)[0]
        command = [sys.executable, "-m", "pytest", *TESTS_OF[module], "-x", "-q"]
        command += ["-p", "no:cacheprovider"]
        if module in _PLAIN_PYTHON_KERNELS:
            command += ["-W", "ignore::RuntimeWarning"]
        status = subprocess.call(
            command,
            cwd=mutants,
            env={**env, "MUTANT_UNDER_TEST": name},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if status not in (0, 1):
            files = " ".join(TESTS_OF[module])
            raise RuntimeError(f"pytest {files} with {name} exited with {status}")
        verdicts[name] = status == 1
        print(f"tests/ against {index}/{len(names)}: {name}: {'killed' if status else 'survived'}")
    return verdicts


def changed_line(mutants: Path, name: str) -> tuple[str, str]:
    """The line a mutant changes, before and after, read from mutmut's mutated file.

    mutmut writes each function's original (``..._mutmut_orig``) and every mutant of it into
    the mutated module, and their line spans into a ``.spans`` file beside it.
    """
    module, function = name.rsplit(".", 1)
    path = mutants / (module.replace(".", "/") + ".py")
    spans = json.loads(path.with_suffix(".py.spans").read_text(encoding="utf-8"))["spans"]
    lines = path.read_text(encoding="utf-8").splitlines()

    def body(key: str) -> list[str]:
        start, end = spans[key]
        return [line.strip().replace(key, "") for line in lines[start - 1 : end]]

    original, mutant = body(function.split("__mutmut_")[0] + "__mutmut_orig"), body(function)
    # a line by line diff: a line that occurs twice in the function is still seen to change
    before: list[str] = []
    after: list[str] = []
    matcher = difflib.SequenceMatcher(a=original, b=mutant, autojunk=False)
    for tag, first, last, start, stop in matcher.get_opcodes():
        if tag != "equal":
            before += original[first:last]
            after += mutant[start:stop]
    return " / ".join(before), " / ".join(after)


def _cell(text: str) -> str:
    """``text`` as code in a Markdown table cell (its pipes escaped), or nothing."""
    escaped = text.replace("|", "\\|")
    return f"`{escaped}`" if text else ""


def survivors_markdown(
    mutants: Path,
    found: Mapping[str, str],
    equivalent: Mapping[str, str] = EQUIVALENT,
    outside: frozenset[str] | set[str] = frozenset(),
) -> str:
    """A Markdown table of every mutant not killed: status, name and the line it changes.

    The status is mutmut's, ``equivalent`` for those argued so, and ``outside`` for the
    survivors outside the mathematics (argument names, messages, error paths, input checks).
    """
    rows = ["| status | mutant | original | mutated |", "| --- | --- | --- | --- |"]
    for name in sorted(found):
        if found[name] in ("killed", "timeout"):
            continue
        status = "equivalent" if name in equivalent else found[name]
        if status == "survived" and name in outside:
            status = "outside"
        before, after = (_cell(text) for text in changed_line(mutants, name))
        rows.append(f"| {status} | `{name.removeprefix('divergences.')}` | {before} | {after} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Stage the sources, run mutmut on one core, print the score; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m proofs.mutation", description=__doc__)
    parser.add_argument(
        "mutants",
        nargs="*",
        help="only these mutmut mutant names (a glob with *), on the staged copy of the last run",
    )
    parser.add_argument(
        "--skip-tests",
        action="store_true",
        help="do not run tests/ against the mutants outside the mathematics (about 6 s each)",
    )
    parser.add_argument(
        "--scope",
        choices=sorted(STAGE_OF),
        default="default",
        help="default: only_mutate of [tool.mutmut]; discrete: the probability-vector "
        "divergences and their kernels (in mutation-run-discrete/); estimators: the sample "
        "estimators' Python code, kernels compiled (in mutation-run-estimators/)",
    )
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="run a seeded random sample of N of the scope's mutants, and give the score's "
        "binomial 95%% interval",
    )
    parser.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    parser.add_argument(
        "--timeout-multiplier",
        type=float,
        metavar="M",
        help="mutmut's timeout_multiplier (default 15): a mutant's proofs are stopped after "
        "M*(t + 1) seconds of wall time (or 2*M*(t + 1) of CPU time), t their traced "
        "duration, and counted as a timeout",
    )
    args = parser.parse_args(argv)
    if importlib.util.find_spec("mutmut") is None:
        parser.error('mutmut is not installed: pip install -e ".[dev,mutation]"')
    if args.sample is not None and args.mutants:
        parser.error("--sample draws the mutants to run; do not name mutants with it")
    multiplier = args.timeout_multiplier
    if multiplier is not None and not (math.isfinite(multiplier) and multiplier > 0):
        parser.error(f"--timeout-multiplier must be a finite number above 0, not {multiplier}")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    files = list(config["only_mutate"]) if args.scope == "default" else list(FILES_OF[args.scope])
    plain = args.scope in PLAIN_PYTHON_SCOPES
    equivalent = EQUIVALENT_OF[args.scope]
    target = ROOT / STAGE_OF[args.scope]
    if args.mutants and (target / "mutants").is_dir():
        for name in (
            "proofs",
            "conftest.py",
            "pyproject.toml",
        ):  # checks or options may have changed
            source, copy = ROOT / name, target / name
            if source.is_dir():
                shutil.copytree(source, copy, dirs_exist_ok=True)
            else:
                shutil.copy2(source, copy)
        # mutmut maps tests to functions once and reuses the map for tests of the same name:
        # a strengthened check must be traced again to be run against the mutants it now reaches
        (target / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    elif args.mutants:
        parser.error("naming mutants reruns them in the last run's staged copy; run without first")
    else:
        target = stage(ROOT, files, STAGE_OF[args.scope], plain_python=plain)
    if args.scope != "default":
        toml = target / "pyproject.toml"
        drop = ESTIMATORS_DROP if args.scope == "estimators" else ()
        text = toml.read_text(encoding="utf-8")
        toml.write_text(with_only_mutate(text, files, DESELECT_OF[args.scope], drop), "utf-8")
    if args.timeout_multiplier is not None:
        toml = target / "pyproject.toml"
        try:
            text = with_timeout_multiplier(
                toml.read_text(encoding="utf-8"), args.timeout_multiplier
            )
        except ValueError as error:
            parser.error(str(error))
        toml.write_text(text, encoding="utf-8")
    names = list(args.mutants)
    if args.sample is not None:
        everything = generate(target, files)
        try:
            names = sample(everything, args.sample, args.seed)
        except ValueError as error:
            parser.error(str(error))
        drawn = {"seed": args.seed, "population": len(everything), "mutants": names}
        (target / SAMPLE_FILE).write_text(json.dumps(drawn, indent=1), encoding="utf-8")
    env = run_environment(args.scope, os.environ)
    started = time.perf_counter()
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", "1", *names]
    status = subprocess.call(command, cwd=target, env=env)
    elapsed = time.perf_counter() - started
    if status != 0:
        print(f"mutmut run failed (exit status {status}); its output is above", file=sys.stderr)
        return status
    found = statuses(target / "mutants")
    sampled = target / SAMPLE_FILE
    drawn = json.loads(sampled.read_text(encoding="utf-8")) if sampled.exists() else None
    if drawn is not None:  # a sampled run, or a rerun in its copy: the sample is what is scored
        found = {n: s for n, s in found.items() if n in set(drawn["mutants"])}
        equivalent = {n: why for n, why in equivalent.items() if n in found}
    _, report = score(found, equivalent)
    outside = {n for n in found if outside_mathematics(*changed_line(target / "mutants", n))}
    outside |= {n for n in found if n in INPUT_CHECKS_OF[args.scope]}
    outside |= {n for n in found if on_error_path(target / "mutants", n)}
    outside |= {n for n in found if message_only(target / "mutants", n)}
    unkilled = sorted(n for n in outside if found[n] not in ("killed", "timeout"))
    plain_tests = args.scope == "discrete"  # the scalar terms are called by compiled kernels
    killed_by_tests = None if args.skip_tests else run_tests_on(target, unkilled, plain_tests)
    report += "\n" + mathematics_score(found, equivalent, outside, killed_by_tests)
    if drawn is not None:
        maths = [n for n in found if n not in outside and n not in equivalent]
        killed = sum(found[n] in ("killed", "timeout") for n in maths)
        timeouts = sum(found[n] == "timeout" for n in maths)
        report += "\n" + sample_note(
            killed, len(maths), len(found), drawn["population"], drawn["seed"], timeouts
        )
    table = target / "survivors.md"
    table.write_text(
        survivors_markdown(target / "mutants", found, equivalent, outside), encoding="utf-8"
    )
    print(f"\nmutation run: {elapsed / 60:.1f} min wall time on {os.cpu_count()} core(s), 1 used")
    print(report)
    print(f"the survivors with the lines they change: {table.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

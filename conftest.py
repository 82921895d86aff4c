"""Shared pytest configuration: Hypothesis profiles.

``dev`` (default) explores with fresh randomness; ``ci`` (selected when the CI environment variable
is set) is derandomised so a CI run is reproducible; ``thorough`` (``python -m proofs --thorough``)
tries ten times more examples; ``mutation`` (``python -m proofs.mutation``) is ``ci`` without
shrinking. ``DIVERGENCES_HYPOTHESIS_PROFILE`` picks one explicitly. All
disable the deadline: the first call of a numba kernel pays its compilation.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", deadline=None, max_examples=1000, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=100,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# `python -m proofs.mutation`: as ci, without shrinking. A mutant is killed by the first failing
# example; shrinking it (minutes, for the quadratures of the oracle claim) tells no one anything
settings.register_profile(
    "mutation",
    deadline=None,
    max_examples=100,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("DIVERGENCES_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

# the proof checker's pytest plugin: claim outcomes, violation reports, the claims table
# and pytester, with which tests/test_proofs_harness.py runs synthetic claims
pytest_plugins = ["divergences.claims.plugin", "pytester"]

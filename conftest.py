"""Shared pytest configuration: Hypothesis profiles.

``dev`` (default) explores with fresh randomness; ``ci`` (selected when the CI environment variable
is set, or with ``--hypothesis-profile=ci``) is derandomised so a CI run is reproducible. Both
disable the deadline: the first call of a numba kernel pays its compilation.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=100,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# the proof checker's pytest plugin: claim outcomes, violation reports, the claims table
pytest_plugins = ["proofs.plugin"]

"""Claims as checks: state a claim, check it by an independent route, and ship falsifiers.

The harness behind ``python -m proofs``, installed with the package so that any project can use it
from its own test suite. A claim is a test function decorated with :func:`claim`; it runs on the
claimed *subject*, where it must pass, and on each *falsifier* (a plausible wrong formula or
implementation), where the same check must fail. The pytest plugin (registered by the package's
``pytest11`` entry point, so nothing needs configuring) prints a line per claim with
``--proofs-progress`` and the claims table at the end of any run that collected a claim.

>>> from divergences.claims import claim, expect
>>> callable(claim) and callable(expect)
True

See the documentation page "Write your own claim" for a complete example.
"""

from __future__ import annotations

from .harness import (
    REGISTRY,
    Audit,
    Claim,
    ClaimViolation,
    Falsifier,
    FalsifierAccepted,
    audit,
    claim,
    expect,
    forall,
    tally,
)
from .table import claims_table, results_json, sorted_claims

__all__ = [
    "REGISTRY",
    "Audit",
    "Claim",
    "ClaimViolation",
    "Falsifier",
    "FalsifierAccepted",
    "audit",
    "claim",
    "claims_table",
    "expect",
    "forall",
    "results_json",
    "sorted_claims",
    "tally",
]

"""The proof checker: every claim of the catalogue (``docs/claims.md``) as an executable check.

Run it with ``python -m proofs`` (writes a report directory) or ``python -m pytest proofs``.
"""

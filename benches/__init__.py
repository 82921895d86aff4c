"""Benchmarks of divergences against the pipelines users would otherwise write.

Run ``python -m benches.run`` (``--quick`` for a smoke test, ``--filter PATTERN``,
``--json PATH``). Not part of the installed package.
"""

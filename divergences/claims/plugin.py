"""pytest plugin of the claims harness: per-claim outcomes, violation reports, the claims table.

Registered by the package's ``pytest11`` entry point (named after this module, so a
``pytest_plugins = ["divergences.claims.plugin"]`` line elsewhere loads it only once). It stays
silent in a run that collects no claim; otherwise it prints, with ``--proofs-progress``, a line per
claim as its cases finish and, at the end, the table: claim id, status, falsifier, source and
locator, examples tried.
"""

from __future__ import annotations

from typing import Any

import pytest

from .harness import REGISTRY, Claim, ClaimViolation
from .table import claims_table, sorted_claims

_RAN: list[str] = []  # claims collected in this session, in collection order
_REPORTED: list[str] = []  # claims whose progress line has been printed
_CONFIG: dict[str, pytest.Config] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Register the claim marker."""
    config.addinivalue_line(
        "markers", "claim(id): the test is the check of a claim of the catalogue (docs/claims.md)"
    )


def _claim_of(item: pytest.Item) -> tuple[Claim, str] | None:
    marker = item.get_closest_marker("claim")
    callspec = getattr(item, "callspec", None)
    if marker is None or callspec is None:
        return None
    return REGISTRY[marker.args[0]], callspec.params["variant"]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Record the claims this session runs, after deselection (-k, -m)."""
    _RAN.clear()
    _REPORTED.clear()
    for item in session.items:
        found = _claim_of(item)
        if found is not None and found[0].id not in _RAN:
            _RAN.append(found[0].id)
        if found is not None:
            found[0].outcomes.pop(found[1], None)
            found[0].examples.pop(found[1], None)
            found[0].errors.pop(found[1], None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Record each case's outcome; head a violated claim's report with its statement."""
    report = yield
    found = _claim_of(item)
    if found is None:
        return report
    registered, variant = found
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        outcome = "xfailed" if hasattr(report, "wasxfail") else report.outcome
        registered.outcomes[variant] = outcome
        if variant == "claim" and report.failed and call.excinfo is not None:
            report.longrepr = (
                _violation_text(registered, item, call.excinfo) + "\n\n" + str(report.longrepr)
            )
    return report


def _violation_text(found: Claim, item: pytest.Item, excinfo: pytest.ExceptionInfo[Any]) -> str:
    verdict = (
        "ERROR (the check crashed before reaching a verdict)"
        if "claim" in found.errors
        else "VIOLATED"
    )
    lines = [f"CLAIM {found.id} ({found.source}, {found.locator}) {verdict}: {found.statement}"]
    exc = excinfo.value
    if isinstance(exc, ClaimViolation):
        lines += [f"  observed: {exc.observed!r}", f"  expected: {exc.expected!r}"]
        if exc.repro:
            lines.append(f"  reproduce: {exc.repro}")
    else:
        lines.append(f"  {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    lines.append(f'  rerun: python -m pytest "{item.nodeid}"')
    return "\n".join(lines)


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    """Print a claim's progress line once all its cases have run."""
    for claim_id in _RAN:
        found = REGISTRY[claim_id]
        if claim_id not in _REPORTED and all(v in found.outcomes for v in found.variants):
            _REPORTED.append(claim_id)
            _progress(found)


def _progress(found: Claim) -> None:
    config = _CONFIG.get("config")
    if config is None or not config.getoption("proofs_progress", default=False):
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        mark = {"verified": "ok", "expected-failure": "xfail"}.get(found.status, "!!")
        reporter.ensure_newline()
        reporter.write_line(
            f"[{len(_REPORTED):2d}/{len(_RAN)}] {mark:5s} {found.id:34s} {found.status:16s} "
            f"falsifier {found.falsifier_status:8s} {found.total_examples:6d} examples"
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --proofs-progress."""
    group = parser.getgroup("proofs", "proof checker")
    group.addoption(
        "--proofs-progress",
        action="store_true",
        default=False,
        help="print a line per claim as soon as all its cases have run",
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Keep the config for the progress lines."""
    _CONFIG["config"] = session.config


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the claims table after the run."""
    claims = sorted_claims(REGISTRY[c] for c in _RAN)
    if not claims:
        return
    terminalreporter.section("claims")
    for line in claims_table(claims, markdown=False).splitlines():
        terminalreporter.write_line(line)
    counts: dict[str, int] = {}
    for found in claims:
        counts[found.status] = counts.get(found.status, 0) + 1
    terminalreporter.write_line(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))

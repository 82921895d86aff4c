"""Render the claims registry: the terminal table, the Markdown report and ``docs/claims.md``.

Everything here is generated from :data:`divergences.claims.REGISTRY`; no list of claims is kept by
hand anywhere else.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import UTC
from pathlib import Path
from typing import Any

from divergences.claims import REGISTRY, Claim
from divergences.claims.table import claims_table, md_cell, sorted_claims

from .sources import sources_section


def load_all_claims() -> list[Claim]:
    """Import every ``proofs/test_*.py`` module so the registry holds every claim, in order."""
    package = Path(__file__).parent
    for info in pkgutil.iter_modules([str(package)]):
        if info.name.startswith("test_"):
            importlib.import_module(f"proofs.{info.name}")
    return sorted_claims(REGISTRY.values())


def audit_lines(claim_id: str) -> tuple[list[str], int]:
    """Audit one claim of the repository: its report lines and its count of untoothed items.

    A top-level function of an importable module, so that ``python -m proofs --audit`` can run
    it in spawned worker processes (each loads the registry on its first call).
    """
    from divergences.claims import audit

    if claim_id not in REGISTRY:
        load_all_claims()
    found = REGISTRY[claim_id]
    result = audit(found)
    falsifiers = found.variants[1:]
    lines = [f"{found.id}: {len(result.assertions)} assertion(s), {len(falsifiers)} falsifier(s)"]
    for message, by_variant in result.assertions.items():
        failing = [v for v in falsifiers if by_variant.get(v, (0, 0))[1]]
        mark = "  ok " if failing else "  -- "
        lines.append(f"{mark}{message[:70]:<70} failed by: {', '.join(failing) or 'none'}")
    lines += [f"  !! {variant} crashed: {error}" for variant, error in result.errors.items()]
    lines += [f"  !! {variant} fails no assertion" for variant in result.idle]
    lines += [f"  !! the claim itself fails: {message}" for message in result.violated]
    # a crash (of the claim's check or under a falsifier) reached no verdict: it counts
    toothless = len(result.unreached) + len(result.idle) + len(result.violated)
    return lines, toothless + len(result.errors)


def report_markdown(claims: list[Claim], figures: dict[str, str]) -> str:
    """The report's ``claims.md``: the table, then each claim with its figure."""
    parts = ["# Proof checker report", "", claims_table(claims, markdown=True), ""]
    for c in claims:
        parts += [f"## {c.id} — {c.status}", "", f"**Statement.** {c.statement}", ""]
        parts += [f"**Source.** {c.source}, {c.locator}", ""]
        for v, f in zip(c.variants[1:], c.falsifiers, strict=True):
            got = c.refutations.get(v)
            parts.append(f"**Falsifier.** {f.statement}" + (f" — rejected: `{got}`" if got else ""))
            parts.append("")
        if c.figure and c.figure in figures:
            parts += [f"![{c.id}]({figures[c.figure]})", ""]
    return "\n".join(parts)


SECTIONS = {
    "info": "Information inequalities",
    "gan": "GAN theory: Goodfellow et al. (2014) and after",
    "transform": "Sampling by pushing noise through a map",
    "estimate": "Plug-in estimators from samples",
}

GENERATED = (
    "<!-- generated from the claims registry in proofs/ by proofs.report.theory_pages during "
    "the docs build; do not edit -->"
)


def current_commit() -> str:
    """The repository's checked-out commit (12 hex digits), or "" outside a git checkout."""
    import subprocess

    try:
        return subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def run_json(seconds: float) -> str:
    """When and on what a run of the checker happened: date, commit, versions, duration."""
    import platform
    from datetime import datetime

    import numba
    import numpy as np
    import scipy

    data = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": current_commit() or None,
        "seconds": round(seconds, 1),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "numba": numba.__version__,
    }
    return json.dumps(data, indent=2)


def theory_pages(
    claims: list[Claim],
    figures: dict[str, str],
    results: dict[str, dict[str, Any]] | None = None,
    run: dict[str, Any] | None = None,
) -> dict[str, str]:
    """The site's theory pages: an index with every claim, then one page per section.

    Parameters
    ----------
    claims : list of Claim
        The registry, in catalogue order (:func:`load_all_claims`).
    figures : dict of str to str
        Figure name (a claim's ``figure``) -> path of the image relative to the pages.
    results : dict, optional
        Claim id -> its entry of a run's ``results.json`` (status, falsifier); with ``run``
        (that run's ``run.json``), every claim shows the status that run found and when.

    Returns
    -------
    dict of str to str
        File name (``index.md``, ``<section>.md``) -> MyST Markdown.
    """
    sections: dict[str, list[Claim]] = {}
    for c in claims:
        sections.setdefault(c.id.split(".")[0], []).append(c)
    index = [
        "# Theory",
        "",
        GENERATED,
        "",
        "The claims this library makes about divergences and GANs, each checked. Every statement",
        "of the catalogue is an executable check in `proofs/`. Each check reaches its answer by",
        "an **independent route** (not the code under test), and is run a",
        "second time on a plausible wrong statement, the **falsifier**, which the same check must",
        "reject: a check that cannot tell the claim from a wrong statement proves nothing.",
        "`python -m proofs` runs them all (1-2 minutes), prints the table with each claim's",
        "status (verified, violated, broken, expected-failure) and writes a report with the",
        "figures shown here; `python -m pytest proofs` runs them as tests.",
        "",
        "```{toctree}",
        ":maxdepth: 1",
        "",
        *sections,
        "```",
        "",
        _run_line(run),
        "",
        "| claim | status | statement | source |",
        "|---|---|---|---|",
    ]
    index += [
        f"| {{ref}}`{c.id} <{_anchor(c.id)}>` | {_status(results, c.id, short=True)} "
        f"| {md_cell(c.statement)} "
        f"| {md_cell(c.source)}, {md_cell(c.locator)} |"
        for c in claims
    ]
    pages = {"index.md": "\n".join(index) + "\n"}
    for section, members in sections.items():
        title = SECTIONS.get(section, section)
        parts = [f"# {title}", "", GENERATED, ""]
        parts += [
            f"The claims `{section}.*` of the catalogue; all of them on the [index](index.md).",
            "",
        ]
        for c in members:
            parts += [f"({_anchor(c.id)})=", f"## {c.id}", "", c.statement, ""]
            parts += [f"**Status.** {_status(results, c.id)}{_run_when(run)}", ""]
            parts += [f"**Source.** {c.source}, {c.locator}", ""]
            parts += [f"**How it is checked.** {c.check}", ""]
            label = "Falsifier" if len(c.falsifiers) == 1 else "Falsifiers"
            parts += [f"**{label}** (the same check must reject it):", ""]
            parts += [f"- {f.statement}" for f in c.falsifiers]
            parts += [""]
            if c.xfail:
                parts += [f"**Expected failure.** {c.xfail}", ""]
            path = f"{c.module.replace('.', '/')}.py"
            parts += [f"**Code.** `{path}::{c.function}`:", ""]
            parts += [
                # the pages are docs/theory/*.md: the repository's root is two levels up
                f"```{{literalinclude}} ../../{path}",
                f":pyobject: {c.function}",
                ":language: python",
                "```",
                "",
            ]
            if c.figure and c.figure in figures:
                parts += [
                    "```{figure} " + figures[c.figure],
                    f":alt: figure of {c.id}",
                    "",
                    f"Figure `{c.figure}` of the proof report (`python -m proofs`).",
                    "```",
                    "",
                ]
        pages[f"{section}.md"] = "\n".join(parts) + "\n"
    return pages


def _status(results: dict[str, dict[str, Any]] | None, claim_id: str, short: bool = False) -> str:
    """A claim's status in a run, e.g. "verified (falsifier refuted)", or that it was not run."""
    entry = (results or {}).get(claim_id)
    if entry is None:
        return "—" if short else "not run for this build"
    if short:
        return str(entry["status"])
    falsifier = entry.get("falsifier")
    return f"{entry['status']}" + (f" (falsifier {falsifier})" if falsifier else "")


def _run_when(run: dict[str, Any] | None) -> str:
    if not run:
        return ""
    commit = f" on commit `{run['commit']}`" if run.get("commit") else ""
    return f", in the run of {run['date']}{commit}"


def _run_line(run: dict[str, Any] | None) -> str:
    if not run:
        return (
            "The status column is empty when the site is built without running the checker "
            "(`python docs/generate.py` runs it)."
        )
    commit = f" of commit `{run['commit']}`" if run.get("commit") else ""
    return (
        f"Status: the run of {run['date']}{commit} ({run['seconds']} s; Python {run['python']}, "
        f"numpy {run['numpy']}, scipy {run['scipy']}, numba {run['numba']})."
    )


def _anchor(claim_id: str) -> str:
    return "claim-" + claim_id.replace(".", "-")


def docs_page(claims: list[Claim]) -> str:
    """``docs/claims.md``: every claim with its statement, source, check and falsifiers."""
    parts = [
        "# The claims",
        "",
        "<!-- generated by `python -m proofs --write-docs` from the registry in proofs/; "
        "do not edit by hand -->",
        "",
        "Every statement of the claims catalogue is an executable check in `proofs/`. Each check",
        "reaches its answer by an independent route and is run a second time on a plausible wrong",
        "statement (the falsifier), which it must reject. Run them with `python -m proofs`.",
        "",
        *sources_section(),
    ]
    section = ""
    for c in claims:
        head = c.id.split(".")[0]
        if head != section:
            section = head
            parts += [f"## {section}", ""]
        parts += [f"### `{c.id}`", "", c.statement, ""]
        parts += [f"- **Source:** {c.source}, {c.locator}"]
        parts += [f"- **Check:** {c.check}"]
        for f in c.falsifiers:
            parts += [f"- **Falsifier:** {f.statement}"]
        if c.xfail:
            parts += [f"- **Expected failure:** {c.xfail}"]
        parts += [f"- **Code:** `{c.module.replace('.', '/')}.py::{c.function}`"]
        if c.figure:
            parts += [f"- **Figure:** `{c.figure}` in the report directory"]
        parts += [""]
    return "\n".join(parts)

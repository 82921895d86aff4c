"""The claims table and the machine-readable results of a run, for any set of claims.

Used by the pytest plugin (the table after a run) and by the repository's report
(``python -m proofs``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .harness import Claim

__all__ = ["claims_table", "md_cell", "results_json", "sorted_claims"]

#: Sections of this library's catalogue, in the catalogue's order; other sections follow by id.
ORDER = ("info", "gan", "transform", "estimate")


def sorted_claims(claims: Iterable[Claim]) -> list[Claim]:
    """Claims by catalogue section (unknown sections last), then by id."""

    def key(c: Claim) -> tuple[int, str]:
        section = c.id.split(".")[0]
        return (ORDER.index(section) if section in ORDER else len(ORDER), c.id)

    return sorted(claims, key=key)


def claims_table(claims: Iterable[Claim], *, markdown: bool) -> str:
    """The claims table: id, status, falsifier, source and locator, examples tried."""
    rows = [
        (
            c.id,
            c.status if c.xfail is None or c.status == "not run" else "expected-failure",
            c.falsifier_status,
            f"{c.source}, {c.locator}",
            str(c.total_examples) if c.total_examples else "-",
        )
        for c in claims
    ]
    header = ("claim", "status", "falsifier", "source", "examples")
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    widths[3] = min(widths[3], 48)
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*((*r[:3], r[3][: widths[3]], *r[4:]))) for r in rows]
    return "\n".join(out)


def md_cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def results_json(claims: Iterable[Claim]) -> str:
    """Machine-readable results of a run."""
    data: list[dict[str, Any]] = [
        {
            "id": c.id,
            "status": c.status,
            "falsifier": c.falsifier_status,
            "statement": c.statement,
            "source": c.source,
            "locator": c.locator,
            "examples": c.total_examples,
            "refutations": c.refutations,
            "xfail": c.xfail,
        }
        for c in claims
    ]
    return json.dumps(data, indent=2)

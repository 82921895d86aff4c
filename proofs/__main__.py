"""``python -m proofs``: run the proof checker and write its report.

Runs every claim of ``proofs/`` through pytest (a line per claim as it finishes), prints the
claims table, and writes a report directory: ``claims.md`` (the table and every claim with its
falsifier and figure), ``results.json`` and the figures. Exits non-zero if any claim is violated or
any check fails to reject its falsifier. Run it from the repository root.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pytest

# the claim modules import hypothesis, whose pytest plugin must not be imported before pytest
# starts (pytest could not rewrite its asserts): the registry is imported after the run.

DOCS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "claims.md"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _audit(ids: list[str] | None, jobs: int | None, parser: argparse.ArgumentParser) -> int:
    """``--audit``: every assertion of every selected check, and which falsifiers fail it.

    The claims are independent, so with ``jobs`` > 1 they are audited in that many worker
    processes (spawned: each imports the claims once); the lines are printed in the registry's
    order (or that of ``--claim``) either way.
    """
    from ._workers import ordered_map, worker_count
    from .report import audit_lines, load_all_claims

    registry = load_all_claims()
    by_id = {c.id: c for c in registry}
    unknown = [i for i in ids or [] if i not in by_id]
    if unknown:
        parser.error(f"--claim: no claim {', '.join(map(repr, unknown))}")
    selected = ids if ids else [c.id for c in registry]
    workers = worker_count(len(selected), jobs)
    toothless = 0
    started = time.perf_counter()
    for lines, count in ordered_map(audit_lines, selected, jobs):
        print("\n".join(lines), flush=True)
        toothless += count
    print(
        f"{len(selected)} claim(s) audited in {time.perf_counter() - started:.0f} s "
        f"({workers} process(es)); {toothless} assertion(s) or falsifier(s) without teeth"
    )
    return 1 if toothless else 0


def main(argv: list[str] | None = None) -> int:
    """Run the checker; return the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m proofs", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("proofs-report"),
        help="report directory (default: proofs-report/)",
    )
    parser.add_argument(
        "--thorough",
        action="store_true",
        help="ten times more Hypothesis examples per claim (takes longer)",
    )
    parser.add_argument(
        "-k",
        dest="keyword",
        default=None,
        help="only claims whose test name matches this pytest -k expression",
    )
    parser.add_argument(
        "--claim",
        dest="claims",
        nargs="+",
        metavar="ID",
        default=None,
        help="only these claims (ids as in --list, e.g. gan.virtual-criterion)",
    )
    parser.add_argument("--list", action="store_true", help="list the claims and exit")
    parser.add_argument("--no-figures", action="store_true", help="skip the figures")
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="regenerate docs/claims.md from the registry and exit",
    )
    parser.add_argument(
        "--audit",
        action="store_true",
        help=(
            "run each check with no assertion stopping it, on the claim and on every "
            "falsifier, and list the assertions no falsifier fails; exit 1 if there is one"
        ),
    )
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="--audit: worker processes (default: one per CPU this process may use)",
    )
    args = parser.parse_args(argv)

    if args.jobs is not None and not args.audit:
        parser.error("--jobs: only --audit runs in worker processes; add --audit or drop --jobs")
    if args.audit:
        return _audit(args.claims, args.jobs, parser)

    if args.write_docs:
        from .report import docs_page, load_all_claims

        DOCS_PAGE.write_text(docs_page(load_all_claims()) + "\n", encoding="utf-8")
        print(f"wrote {DOCS_PAGE}")
        return 0

    if args.list or args.claims:
        from .report import load_all_claims

        registry = load_all_claims()
        if args.list:
            try:
                for c in registry:
                    print(f"{c.id:<30} {c.statement}", flush=True)
            except BrokenPipeError:  # `python -m proofs --list | head`: the reader left
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        by_id = {c.id: c for c in registry}
        unknown = [i for i in args.claims if i not in by_id]
        if unknown:
            parser.error(
                f"--claim: no claim {', '.join(map(repr, unknown))}; python -m proofs --list "
                f"shows the {len(by_id)} claims"
            )
        selected = " or ".join(by_id[i].function for i in args.claims)
        args.keyword = f"({args.keyword}) and ({selected})" if args.keyword else selected
    out: Path = args.out
    if out.exists() and not out.is_dir():
        parser.error(f"--out: {out} exists and is not a directory; choose another --out")
    if args.thorough:
        os.environ["DIVERGENCES_HYPOTHESIS_PROFILE"] = "thorough"
    pytest_args = [
        str(Path(__file__).resolve().parent),
        "-q",
        "--proofs-progress",
        "-p",
        "no:cacheprovider",
    ]
    if args.keyword:
        pytest_args += ["-k", args.keyword]
    if args.claims:
        # the registry was imported to resolve the ids: pytest cannot rewrite those modules'
        # asserts again, which it warns about (the claims use expect(), not bare asserts)
        pytest_args += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    started = time.perf_counter()
    status = int(pytest.main(pytest_args))
    elapsed = time.perf_counter() - started

    from divergences.claims import REGISTRY
    from divergences.claims.table import results_json, sorted_claims

    from .report import report_markdown, run_json

    claims = sorted_claims(c for c in REGISTRY.values() if c.outcomes)
    if not claims:
        # nothing ran (a -k that matches no claim): keep the previous report
        print(
            f"python -m proofs: error: -k {args.keyword!r} selects no claim; the report in "
            f"{out}/ is unchanged (python -m proofs --list shows the claims)",
            file=sys.stderr,
        )
        return 2
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(
            f"python -m proofs: error: --out: cannot create {out} ({error.strerror})",
            file=sys.stderr,
        )
        return 2
    figures: dict[str, str] = {}
    if not args.no_figures and claims:
        from .figures import make_all

        # only the figures of the claims that ran: one claim selected draws its own figure
        names = {c.figure for c in claims if c.figure}
        print(f"writing {len(names)} figures to {out}/ ...", flush=True)
        figures = make_all(out, names)
    (out / "claims.md").write_text(report_markdown(claims, figures) + "\n", encoding="utf-8")
    (out / "results.json").write_text(results_json(claims) + "\n", encoding="utf-8")
    (out / "run.json").write_text(run_json(elapsed) + "\n", encoding="utf-8")
    bad = [c.id for c in claims if c.status in ("violated", "broken")]
    print(f"\nproof checker: {len(claims)} claims in {elapsed:.1f} s; report in {out}/")
    if bad:
        print("NOT PROVEN: " + ", ".join(bad))
    return status


if __name__ == "__main__":
    sys.exit(main())

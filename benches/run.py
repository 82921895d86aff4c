"""``python -m benches.run``: speed, memory and accuracy of divergences against what users write.

Every figure is a median over repeats (min and max kept), every ratio is between rows of the
same run, and the header says on what machine, with which versions and threads. ``--quick``
runs small sizes in well under a minute (CI runs it as a smoke test: it checks the runner, not
the speed). Optional comparison packages (fast-histogram, boost-histogram, torch) are skipped
with a line saying so when they are not installed.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import sys
import time
from pathlib import Path

from . import (  # noqa: F401  (they register their cases)
    accuracy,
    accuracy_nd,
    discrete,
    knn_batch,
    knn_coverage,
    minibatch,
    speed,
    statistics,
)
from .core import CASES, FULL, NOISY, QUICK, Result, machine, progress


def table(results: list[Result]) -> str:
    """Fixed-width table; ratio is each row's time over the first row of its case."""
    lines = [f"{'case':<16} {'what':<58} {'ms':>10} {'ns/sample':>10} {'ratio':>7}"]
    lines.append("-" * len(lines[0]))
    for result in results:
        first = result.rows[0].timing.median if result.rows else None
        for row in result.rows:
            ns = f"{row.timing.median / row.samples * 1e9:10.3f}" if row.samples else f"{'-':>10}"
            ratio = row.timing.median / first if first else float("nan")
            lines.append(
                f"{result.name:<16} {row.label[:58]:<58} {row.timing.median * 1e3:10.2f} {ns} "
                f"{ratio:7.2f}"
            )
        for note in result.notes:
            lines.append(f"{result.name:<16} {note}")
    return "\n".join(lines)


def header(info: dict[str, object], quick: bool) -> str:
    """The run's context in two lines."""
    return (
        f"divergences {info['divergences']} benches ({'quick' if quick else 'full'}) on "
        f"{info['cpu']}, {info['cores']} cores, load {info['load_average']}\n"
        f"python {info['python']}, numpy {info['numpy']}, scipy {info['scipy']}, numba "
        f"{info['numba']} ({info['numba_threads']} threads); times are medians, ratio = time / "
        f"first row of the case"
    )


def select(pattern: str) -> list[str]:
    """The cases matching ``pattern``: a glob, or several separated by ``|`` or ``,``."""
    globs = [part.strip() for part in re.split(r"[|,]", pattern) if part.strip()]
    return [name for name in CASES if any(fnmatch.fnmatch(name, glob) for glob in globs)]


def main(argv: list[str] | None = None) -> int:
    """Run the selected cases; print the table; write JSON and figures when asked."""
    parser = argparse.ArgumentParser(prog="python -m benches.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument(
        "--filter",
        default="*",
        help="only the cases matching this glob; several globs separated by '|' or ','",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--figures", type=Path, help="write PNG figures into this directory")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, function in CASES.items():
            print(f"{name:<18} {(function.__doc__ or '').strip().splitlines()[0]}")
        return 0
    config = QUICK if args.quick else FULL
    names = select(args.filter)
    if not names:
        print(f"no case matches {args.filter!r}; cases: {', '.join(CASES)}", file=sys.stderr)
        return 2
    info = machine()
    print(header(info, args.quick), flush=True)
    results = []
    for i, name in enumerate(names):
        progress(i, len(names), name)
        started = time.perf_counter()
        results.append(CASES[name](config))
        progress(i + 1, len(names), name, done=True, elapsed=time.perf_counter() - started)
        print(table(results[-1:]).split("\n", 2)[-1], flush=True)
    noisy = [f"{r.name}: {label}" for r in results for label in r.noisy]
    print()
    print(header(info, args.quick))
    print(table(results))
    if noisy:
        print(
            f"\nnote: {len(noisy)} row(s) varied by more than {NOISY:.0%} of their median between "
            f"repeats (max - min), so the machine was noisy: {'; '.join(noisy[:6])}"
            + (" ..." if len(noisy) > 6 else "")
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": info, "quick": args.quick, "results": [r.as_json() for r in results]},
                indent=1,
            )
        )
    if args.figures:
        from .figures import draw

        for path in draw(results, args.figures):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

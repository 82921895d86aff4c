"""``python -m divergences.trainer``: run an experiment and write its history and figures.

Examples::

    python -m divergences.trainer --experiment gaussian --out runs/
    python -m divergences.trainer --experiment ring --steps 20000 --seed 3 --out runs/
    python -m divergences.trainer --experiment grid --precision float32 --out runs/
    python -m divergences.trainer reproduce pacgan-table1 --seeds 10 --out runs/

writes ``runs/<experiment>-seed<seed>/``: ``history.npz`` (every measurement, see
:func:`divergences.trainer.algorithm.train`, and the snapshots), ``summary.json`` (the
configuration, the final measurements, the wall time and its parts, and the training steps per
second, which exclude the first iteration's compilation and the evaluations) and figures
(``panels`` and ``curves`` for 1-D runs, ``samples`` and ``curves`` for 2-D; each a 200-dpi PNG
and an SVG).
A progress bar goes to stderr; the summary's path and final numbers to stdout.

``reproduce NAME`` trains the rows of a published table, several seeds each, in parallel
processes, and writes ``runs/NAME/`` (see :mod:`divergences.trainer.reproduce`): run it again
after an interruption and it resumes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

from .algorithm import train
from .config import PRECISIONS
from .data import GaussianMixture
from .presets import PRESETS


def _int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer >= ``minimum``, or a one-line error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _output_directory(parser: argparse.ArgumentParser, parent: str, name: str) -> Path:
    """The run's directory, created and checked writable before any training starts."""
    out = Path(parent) / name
    for path in (Path(parent), out):
        if path.exists() and not path.is_dir():
            parser.error(f"--out: {path} exists and is not a directory; choose another --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        parser.error(f"--out: cannot create {out} ({error.strerror}); choose another --out")
    if not os.access(out, os.W_OK):
        parser.error(f"--out: {out} is not writable; choose another --out")
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m divergences.trainer",
        description="Train a small GAN with Algorithm 1 of Goodfellow et al. (2014) and record "
        "the measurements that tie it to the theory.",
        epilog="reproduce a published table: python -m divergences.trainer reproduce --help. "
        "experiments: "
        + "; ".join(f"{name}: {preset.description}" for name, preset in PRESETS.items()),
    )
    parser.add_argument("--experiment", choices=sorted(PRESETS), default="gaussian")
    parser.add_argument("--out", default="runs", help="parent directory of the run's outputs")
    parser.add_argument(
        "--steps", type=_int_at_least(1), default=None, help="training iterations (>= 1)"
    )
    parser.add_argument("--seed", type=_int_at_least(0), default=0, help="an integer >= 0")
    parser.add_argument("--engine", choices=("numba", "numpy"), default="numba")
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default=None,
        help="precision of the training passes (default: the experiment's, float64)",
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _reproduce_parser() -> argparse.ArgumentParser:
    from .reproduce import PACGAN_STEPS, TABLES

    parser = argparse.ArgumentParser(
        prog="python -m divergences.trainer reproduce",
        description="Reproduce a published table: train its rows, several seeds each, in "
        "parallel processes; finished runs are kept, so an interrupted reproduction resumes.",
        epilog="tables: " + "; ".join(f"{name}: {text}" for name, text in TABLES.items()),
    )
    parser.add_argument("table", choices=sorted(TABLES))
    parser.add_argument("--out", default="runs", help="parent directory of the outputs")
    parser.add_argument(
        "--seeds", type=_int_at_least(1), default=10, help="runs per row (>= 1; default 10)"
    )
    parser.add_argument(
        "--steps",
        type=_int_at_least(1),
        default=PACGAN_STEPS,
        help=f"training iterations per run (>= 1; default {PACGAN_STEPS})",
    )
    parser.add_argument(
        "--jobs", type=_int_at_least(1), default=None, help="worker processes (default: CPUs)"
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the samples figure")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def reproduce_main(argv: list[str]) -> Path:
    """``python -m divergences.trainer reproduce ...``; returns the reproduction's directory."""
    from .reproduce import RunConflict, reproduce

    parser = _reproduce_parser()
    args = parser.parse_args(argv)
    _output_directory(parser, args.out, args.table)
    try:
        table = reproduce(
            args.table,
            out=args.out,
            seeds=args.seeds,
            n_steps=args.steps,
            jobs=args.jobs,
            progress=not args.quiet,
            figure=not args.no_figures,
        )
    except RunConflict as error:  # stored runs this reproduction cannot use
        parser.error(str(error))
    print(table.markdown(), end="")
    print(f"{table.directory}/table.md ({len(table.records)} runs; {table.seconds:.0f} s)")
    sys.stdout.flush()
    return table.directory


def main(argv: list[str] | None = None) -> Path:
    """Run the experiment named on the command line; return the run's output directory.

    Ctrl-C ends the command with status 130 and one line saying what was kept, not a traceback.
    """
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] == ["reproduce"]:
            return reproduce_main(argv[1:])
        return _experiment_main(argv)
    except KeyboardInterrupt:
        sys.stdout.flush()
        if argv[:1] == ["reproduce"]:
            kept = "the finished runs are kept; run the same command again to resume"
        else:
            kept = "the run is not saved (its files are written at the end)"
        print(f"interrupted: {kept}.", file=sys.stderr)
        raise SystemExit(130) from None


def _experiment_main(argv: list[str]) -> Path:
    parser = _parser()
    args = parser.parse_args(argv)
    preset = PRESETS[args.experiment]
    # every argument is checked before the run starts: no traceback, no error after a long run
    try:
        config = replace(preset.config, seed=args.seed, engine=args.engine)
        if args.precision is not None:
            config = replace(config, precision=args.precision)
        if args.steps is not None:
            kept = tuple(s for s in preset.config.snapshot_steps if s <= args.steps)
            config = replace(config, n_steps=args.steps, snapshot_steps=kept)
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    out = _output_directory(parser, args.out, f"{args.experiment}-seed{args.seed}")

    start = time.perf_counter()
    result = train(preset.data, preset.noise, config, progress=not args.quiet)
    seconds = time.perf_counter() - start
    history = result.history
    history.save(out / "history.npz")
    summary = {
        "experiment": args.experiment,
        "description": preset.description,
        "data": repr(preset.data),
        "noise": repr(preset.noise),
        "config": asdict(config),
        "final": history.summary(),
        # wall time of the whole run, and its parts: the first iteration (which compiles the
        # numba engine on a cold cache), the other iterations, the evaluations
        "seconds": round(seconds, 3),
        "first_step_seconds": round(result.first_step_seconds, 3),
        "train_seconds": round(result.train_seconds, 3),
        "eval_seconds": round(result.eval_seconds, 3),
        "steps_per_second": round(result.steps_per_second, 1),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")

    if not args.no_figures:
        from . import plots

        if "jsd" in history:
            plots.save_figure(plots.plot_panels(history), out / "panels.png")
        elif isinstance(preset.data, GaussianMixture):
            plots.save_figure(plots.plot_samples(history, preset.data.centers), out / "samples.png")
        plots.save_figure(plots.plot_curves(history), out / "curves.png")

    print(f"{out}/summary.json")
    for key, value in summary["final"].items():
        if key != "step":
            shown = "undefined" if value is None else f"{value:.6g}"
            print(f"  {key:<20} {shown}")
    print(
        f"  {'steps/s':<20} {summary['steps_per_second']:,} (training iterations after the "
        f"first; the run took {seconds:.1f} s, {result.eval_seconds:.1f} s of it evaluating)"
    )
    sys.stdout.flush()
    return out


if __name__ == "__main__":
    main()

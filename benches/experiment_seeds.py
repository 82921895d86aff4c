"""The trainer's seeded experiments over many seeds, to show how typical a check's seed is.

Run with ``python -m benches.experiment_seeds`` (about 5 minutes on two cores; ``--quick`` runs
three seeds of each). The proof checks run each experiment at one documented seed; this command
runs the same functions of :mod:`divergences.trainer.experiments` and
:mod:`divergences.trainer.transform` over seeds 0..N-1 and prints a
Markdown table per experiment (the range of each measurement and how many seeds meet the
experiment's thresholds) with the wall time per run and the CPU. The trainer page of the docs
shows its output. Every run is a deterministic function of its seed; the numbers can still move
in the last digits between CPUs (the order of floating-point sums in numpy's BLAS).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from divergences.trainer import experiments as ex
from divergences.trainer import transform

from .core import machine


def _span(values: Sequence[float]) -> str:
    a = np.asarray(values, dtype=float)
    return f"{np.median(a):.3g} ({a.min():.3g} to {a.max():.3g})"


def _timed(run: Callable[[int], Any], seeds: Sequence[int]) -> tuple[list[Any], float]:
    results, start = [], time.perf_counter()
    for seed in seeds:
        results.append(run(seed))
    return results, (time.perf_counter() - start) / max(len(seeds), 1)


def _table(title: str, seeds: Sequence[int], seconds: float, rows: list[tuple[str, str]]) -> str:
    lines = [
        f"### {title}",
        "",
        f"Seeds 0-{seeds[-1]} ({len(seeds)} runs, {seconds:.1f} s per run).",
        "",
        "| measurement | median (min to max) |",
        "|---|---|",
    ]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines) + "\n"


def algorithm_1(seeds: Sequence[int]) -> str:
    """``algorithm_1_gaussian``: the non-saturating run on N(4, 1)."""
    rs, sec = _timed(ex.algorithm_1_gaussian, seeds)
    held = sum(r.holds for r in rs)
    below = sum(r.value <= r.criterion for r in rs)
    return _table(
        "algorithm_1_gaussian (gan.algorithm-1)",
        seeds,
        sec,
        [
            ("final histogram JSD, nats", _span([r.jsd for r in rs])),
            ("JSD bound (the check's threshold)", f"{rs[0].jsd_bound:.5f}"),
            (r"$E_{data} \lvert D - 1/2 \rvert$", _span([r.d_deviation for r in rs])),
            (r"mixture-weighted $\lvert D - D^* \rvert$", _span([r.d_error for r in rs])),
            ("seeds meeting both thresholds", f"{held} of {len(rs)}"),
            (r"seeds with $V(G, D) \le -\log 4 + 2\,JSD$ at the end", f"{below} of {len(rs)}"),
        ],
    )


def discriminator(seeds: Sequence[int]) -> str:
    """``discriminator_alone``: D trained against a frozen generator."""
    rs, sec = _timed(ex.discriminator_alone, seeds)
    return _table(
        "discriminator_alone (gan.discriminator-alone)",
        seeds,
        sec,
        [
            (
                r"$\lvert D - D^* \rvert$ as a share of the constant $1/2$'s",
                _span([r.d_error / r.d_error_indifferent for r in rs]),
            ),
            (
                "value gap as a share of the constant $1/2$'s",
                _span([r.value_gap / r.value_gap_indifferent for r in rs]),
            ),
            ("seeds meeting the thresholds", f"{sum(r.holds for r in rs)} of {len(rs)}"),
        ],
    )


def stall(seeds: Sequence[int]) -> str:
    """``saturating_stall``: the saturating loss from a far-off start, and its control."""
    rs, sec = _timed(ex.saturating_stall, seeds)
    sat, ns = [r.saturating for r in rs], [r.non_saturating for r in rs]
    return _table(
        "saturating_stall (falsifier of gan.algorithm-1; both runs)",
        seeds,
        sec,
        [
            ("saturating: final JSD, nats", _span([r.jsd for r in sat])),
            ("saturating: final $D(G(z))$", _span([r.d_generator for r in sat])),
            (
                r"saturating: distance its mean moved (of $8\sigma$)",
                _span([abs(r.mean_end - r.mean_start) for r in sat]),
            ),
            ("non-saturating: final JSD, nats", _span([r.jsd for r in ns])),
            (
                "non-saturating: distance of the final mean from the data mean",
                _span([abs(r.mean_end - ex.DATA_MEAN) for r in ns]),
            ),
            (
                "non-saturating runs within the JSD bound",
                f"{sum(r.holds for r in ns)} of {len(rs)}",
            ),
            (
                "seeds meeting the experiment's thresholds",
                f"{sum(r.holds for r in rs)} of {len(rs)}",
            ),
        ],
    )


def learned_map(seeds: Sequence[int]) -> str:
    """``learned_inverse_cdf``: G learns the inverse normal cdf from uniform noise."""
    rs, sec = _timed(transform.learned_inverse_cdf, seeds)
    return _table(
        "learned_inverse_cdf (transform.learned-map)",
        seeds,
        sec,
        [
            ("strictly monotone maps", f"{sum(r.monotone for r in rs)} of {len(rs)}"),
            (
                "increasing maps (the orientation is the initialisation's)",
                f"{sum(r.increasing for r in rs)} of {len(rs)}",
            ),
            (r"mean $\lvert G(u) - F^{-1}(u) \rvert = W_1$", _span([r.mean_error for r in rs])),
            ("threshold (the reference misfit's $W_1$)", f"{rs[0].mean_error_bound:.4f}"),
            (r"$\max_u \lvert G(u) - F^{-1}(u) \rvert$", _span([r.max_error for r in rs])),
            ("final JSD, nats", _span([r.jsd for r in rs])),
        ],
    )


def flatness(seeds: Sequence[int]) -> str:
    """``histogram_js_flatness``: histogram JS has zero gradient almost everywhere."""
    rs, sec = _timed(transform.histogram_js_flatness, seeds)
    return _table(
        "histogram_js_flatness (transform.histogram-flat)",
        seeds,
        sec,
        [
            (
                "share of zero central differences over shifts",
                _span([r.zero_share_shift for r in rs]),
            ),
            ("share over the generator's parameters", _span([r.zero_share_parameters for r in rs])),
            ("distinct JSD values along the shifts", _span([r.distinct_values for r in rs])),
            (
                r"disjoint JSD $- \log 2$, in units of the ulp of $\log 2$",
                _span([r.disjoint_deviation / math.ulp(math.log(2.0)) for r in rs]),
            ),
            ("seeds meeting the thresholds", f"{sum(r.holds for r in rs)} of {len(rs)}"),
        ],
    )


def relaxed_histogram(seeds: Sequence[int]) -> str:
    """``learn_map_relaxed_histogram``: the seed's histogram method with soft bins, and hard."""
    rs, sec = _timed(transform.learn_map_relaxed_histogram, seeds)
    hard = [transform.learn_map_relaxed_histogram(s, binning="hard") for s in seeds]
    return _table(
        "learn_map_relaxed_histogram (transform.relaxed-histogram)",
        seeds,
        sec,
        [
            ("strictly monotone maps", f"{sum(r.monotone for r in rs)} of {len(rs)}"),
            (
                "increasing maps (the orientation is the initialisation's)",
                f"{sum(r.increasing for r in rs)} of {len(rs)}",
            ),
            (r"$JSD(G_\# U, N(0,1))$ by quadrature, nats", _span([r.jsd for r in rs])),
            ("threshold (the reference misfit's JSD)", f"{rs[0].jsd_bound:.5f}"),
            ("the same JSD from fresh samples (binned), nats", _span([r.jsd_samples for r in rs])),
            ("seeds meeting the threshold", f"{sum(r.holds for r in rs)} of {len(rs)}"),
            (
                "hard bins (the falsifier): largest move of the map",
                _span([r.displacement for r in hard]),
            ),
            ("hard bins: JSD from fresh samples, nats", _span([r.jsd_samples for r in hard])),
        ],
    )


def mode_seeking(seeds: Sequence[int]) -> str:
    """``mode_seeking_two_modes``: tanh generator (the subject) and leaky ReLU (the falsifier)."""
    start = time.perf_counter()
    tanh = ex.mode_seeking_two_modes(tuple(seeds))
    leaky = ex.mode_seeking_two_modes(
        tuple(seeds), n_steps=4000, generator_activation="leaky_relu", generator_lr=1e-3
    )
    sec = (time.perf_counter() - start) / (2 * len(seeds))
    one = [j for j, m in zip(tanh.jsd, tanh.modes_captured, strict=True) if m == 1]
    two = [j for j, m in zip(tanh.jsd, tanh.modes_captured, strict=True) if m == 2]
    return _table(
        "mode_seeking_two_modes (gan.mode-seeking)",
        seeds,
        sec,
        [
            (
                "tanh generator, 3000 steps: runs keeping one mode",
                f"{tanh.modes_captured.count(1)} of {len(seeds)}",
            ),
            (
                "... their final JSD, nats (a perfect one-mode fit: 0.216)",
                _span(one) if one else "none",
            ),
            ("... runs covering both: final JSD, nats", _span(two) if two else "none"),
            (
                "leaky-ReLU generator at lr 1e-3, 4000 steps: runs keeping one mode",
                f"{leaky.modes_captured.count(1)} of {len(seeds)}",
            ),
        ],
    )


EXPERIMENTS: dict[str, tuple[Callable[[Sequence[int]], str], int]] = {
    "algorithm-1": (algorithm_1, 20),
    "discriminator": (discriminator, 20),
    "stall": (stall, 10),
    "learned-map": (learned_map, 10),
    "flatness": (flatness, 6),
    "relaxed-histogram": (relaxed_histogram, 10),
    "mode-seeking": (mode_seeking, 12),
}


def main(argv: Sequence[str] | None = None) -> None:
    """Run every experiment over its seeds and print the tables."""
    parser = argparse.ArgumentParser(
        prog="python -m benches.experiment_seeds", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="three seeds of each experiment")
    parser.add_argument("--only", choices=sorted(EXPERIMENTS), help="one experiment")
    args = parser.parse_args(argv)
    info = machine()
    print(
        f"Machine: {info['cpu']}, {info['cores']} cores, load {info['load_average']}; Python "
        f"{info['python']}, numpy {info['numpy']}, numba {info['numba']}\n"
    )
    for name, (run, n_seeds) in EXPERIMENTS.items():
        if args.only and name != args.only:
            continue
        print(run(list(range(3 if args.quick else n_seeds))), flush=True)


if __name__ == "__main__":
    main()

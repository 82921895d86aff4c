"""Training steps per second: the trainer (numba and numpy engines) against PyTorch on the CPU.

Run with ``python -m benches.trainer`` (``--quick`` for a short run). One *step* is one iteration
of Algorithm 1 with k = 1: a discriminator update on a minibatch of data and of generator samples,
then a generator update through the discriminator. Every implementation trains the same
architecture (generator 1-16-16-1, discriminator 1-32-32-1, leaky ReLU 0.2, float64, Adam with
betas (0.5, 0.999), non-saturating loss, batch 128 unless ``--batch-size``) on N(4, 1) data with
N(0, 1) noise.

The machine is shared, so timings are noisy: the implementations are timed in interleaved rounds
and the report gives the median steps/s of each and the ratios of medians measured in the same
run. PyTorch is a benchmark-only comparison, never a dependency: without it the PyTorch rows are
skipped with a message. It runs with one intra-op thread (its best setting at this size on a
loaded 2-core machine) and, for reference, with its default thread count.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable

import numpy as np

from divergences.trainer import algorithm, data
from divergences.trainer.config import TrainConfig
from divergences.trainer.state import init_gan

GENERATOR_SIZES = (1, 16, 16, 1)
DISCRIMINATOR_SIZES = (1, 32, 32, 1)


def ours(engine: str, batch_size: int) -> Callable[[int], None]:
    """A function running ``n`` training iterations of the trainer with ``engine``."""
    config = TrainConfig(
        engine=engine,
        batch_size=batch_size,
        generator_hidden=GENERATOR_SIZES[1:-1],
        discriminator_hidden=DISCRIMINATOR_SIZES[1:-1],
    )
    gaussian, noise = data.Gaussian(4.0, 1.0), data.GaussianNoise()
    state = init_gan(gaussian, noise, config)

    def run(n: int) -> None:
        for _ in range(n):
            algorithm.train_iteration(state, gaussian, noise, config)

    return run


def pytorch(batch_size: int, threads: int | None) -> Callable[[int], None] | None:
    """The same training iteration written in PyTorch, or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    from torch import nn
    from torch.nn import functional

    def mlp(sizes: tuple[int, ...]) -> nn.Sequential:
        layers: list[nn.Module] = []
        for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
            layers.append(nn.Linear(n_in, n_out, dtype=torch.float64))
            if i < len(sizes) - 2:
                layers.append(nn.LeakyReLU(0.2))
        return nn.Sequential(*layers)

    torch.manual_seed(0)
    generator, discriminator = mlp(GENERATOR_SIZES), mlp(DISCRIMINATOR_SIZES)
    adam_g = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=(0.5, 0.999))
    adam_d = torch.optim.Adam(discriminator.parameters(), lr=1e-3, betas=(0.5, 0.999))
    m = batch_size
    default_threads = torch.get_num_threads()

    def run(n: int) -> None:
        torch.set_num_threads(default_threads if threads is None else threads)
        for _ in range(n):
            x = 4.0 + torch.randn(m, 1, dtype=torch.float64)
            with torch.no_grad():
                fake = generator(torch.randn(m, 1, dtype=torch.float64))
            logit = discriminator(torch.cat([x, fake]))
            loss_d = functional.softplus(-logit[:m]).mean() + functional.softplus(logit[m:]).mean()
            adam_d.zero_grad()
            loss_d.backward()
            adam_d.step()
            logit = discriminator(generator(torch.randn(m, 1, dtype=torch.float64)))
            loss_g = functional.softplus(-logit).mean()
            adam_g.zero_grad()
            loss_g.backward()
            adam_g.step()
        torch.set_num_threads(default_threads)

    return run


def measure(
    runners: dict[str, Callable[[int], None]], steps: int, rounds: int
) -> dict[str, list[float]]:
    """Steps/s of every runner in ``rounds`` interleaved rounds of ``steps`` steps each."""
    for run in runners.values():
        run(max(steps // 10, 20))  # warm up: JIT compilation, allocator, caches
    rates: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            start = time.perf_counter()
            run(steps)
            rates[name].append(steps / (time.perf_counter() - start))
    return rates


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark, print a table and return the median steps/s of each implementation."""
    parser = argparse.ArgumentParser(prog="python -m benches.trainer", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few short rounds")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=None, help="steps per round")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds")
    args = parser.parse_args(argv)
    steps = args.steps or (100 if args.quick else 500)
    rounds = args.rounds or (3 if args.quick else 9)
    runners: dict[str, Callable[[int], None]] = {
        "divergences (numba)": ours("numba", args.batch_size),
        "divergences (numpy)": ours("numpy", args.batch_size),
    }
    torch_one = pytorch(args.batch_size, threads=1)
    torch_default = pytorch(args.batch_size, threads=None)
    if torch_one is None or torch_default is None:
        print("PyTorch is not installed: skipping the PyTorch rows (pip install torch).")
    else:
        runners["PyTorch CPU, 1 thread"] = torch_one
        runners["PyTorch CPU, default threads"] = torch_default
    rates = measure(runners, steps, rounds)
    medians = {name: statistics.median(r) for name, r in rates.items()}
    print(
        f"Training steps/s, batch {args.batch_size}, G {GENERATOR_SIZES}, D "
        f"{DISCRIMINATOR_SIZES}, float64; median of {rounds} interleaved rounds of {steps} steps"
    )
    print(f"{'implementation':<30} {'median':>10} {'min':>10} {'max':>10}")
    for name, r in rates.items():
        print(f"{name:<30} {medians[name]:>10,.0f} {min(r):>10,.0f} {max(r):>10,.0f}")
    torch_best = max(
        (v for k, v in medians.items() if k.startswith("PyTorch")), default=float("nan")
    )
    if np.isfinite(torch_best):
        for name in ("divergences (numba)", "divergences (numpy)"):
            print(f"{name} / best PyTorch: {medians[name] / torch_best:.1f}x")
    return medians


if __name__ == "__main__":
    main()

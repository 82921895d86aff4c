"""Cases wrapping other modules: statistics (coverage, calibration, bootstrap), trainer, scale."""

from __future__ import annotations

from . import coverage, trainer
from .core import QUICK, Config, Result, Timing, case


def _result(name: str, rows: list[tuple[str, float, int]], notes: list[str]) -> Result:
    out = Result(name, notes=list(notes))
    for label, seconds, n in rows:
        out.add(label, Timing(seconds, seconds, seconds), n)
    return out


@case("ci-coverage")
def ci_coverage(config: Config) -> Result:
    """Coverage of the 95% bootstrap intervals (binned and continuous truth, P = Q)."""
    rows, notes, series = coverage.interval_coverage(
        config.coverage_replicates, config.coverage_sizes, config.n_boot
    )
    out = _result("ci-coverage", rows, notes)
    out.series = series
    return out


@case("test-calibration")
def two_sample_calibration(config: Config) -> Result:
    """Size of js_test at the 5% level under P = Q (equal and unequal sizes), power at 0.1 sigma."""
    rows, notes = coverage.two_sample_calibration(
        config.test_replicates, config.test_sizes, config.permutation_replicates, 999
    )
    if config is QUICK:  # a smoke test: the extreme ratio at the smallest size, two laws
        grid: tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]] = (
            (200,),
            (1, 20),
            ("N(0,1)", "Poisson(3)"),
        )
    else:
        grid = ((200, 300, 500, 1000, 5000), (1, 2, 5, 10, 20), tuple(coverage.SIZE_LAWS))
    more_rows, more_notes = coverage.unequal_size_calibration(config.test_replicates, *grid)
    return _result("test-calibration", rows + more_rows, notes + more_notes)


@case("bootstrap-time")
def bootstrap_time(config: Config) -> Result:
    """A 1000-replicate interval on 1e5 + 1e5 samples, against resampling the samples."""
    rows, notes = coverage.bootstrap_time(config.repeats)
    return _result("bootstrap-time", rows, notes)


@case("trainer")
def trainer_steps(config: Config) -> Result:
    """GAN training steps per second: the numba and numpy engines, and PyTorch when installed."""
    out = Result("trainer")
    runners = {
        "divergences (numba)": trainer.ours("numba", 128),
        "divergences (numpy)": trainer.ours("numpy", 128),
    }
    torch_one = trainer.pytorch(128, threads=1)
    torch_default = trainer.pytorch(128, threads=None)
    if torch_one is None or torch_default is None:
        out.notes.append("PyTorch rows skipped: torch is not installed (pip install torch)")
    else:
        runners["PyTorch CPU, 1 thread"] = torch_one
        runners["PyTorch CPU, default threads"] = torch_default
    rates = trainer.measure(runners, config.trainer_steps, config.trainer_rounds)
    medians = {}
    for name, r in rates.items():
        seconds = sorted(config.trainer_steps / v for v in r)
        median = seconds[len(seconds) // 2]
        out.add(f"{name}: {config.trainer_steps} steps", Timing(median, seconds[0], seconds[-1]), 0)
        medians[name] = config.trainer_steps / median
        out.notes.append(f"{name}: {medians[name]:,.0f} steps/s (batch 128, float64)")
    best_torch = max((v for k, v in medians.items() if k.startswith("PyTorch")), default=None)
    if best_torch:
        for name in ("divergences (numba)", "divergences (numpy)"):
            out.notes.append(f"{name} / best PyTorch: {medians[name] / best_torch:.1f}x")
    out.series = {"steps_per_second": medians}
    return out


@case("scale")
def scale_case(config: Config) -> Result:
    """2e9 samples chunk by chunk: streaming accumulator and Dask, against in memory."""
    from . import scale

    rows, notes = scale.scale(quick=config is QUICK)
    return _result("scale", rows, notes)

"""The benchmark runner's plumbing: case selection and the memory probe (not the speed)."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

from benches import rss
from benches.core import progress
from benches.run import CASES, main, select


def test_progress_in_a_log_gives_a_line_per_case_and_its_wall_time():
    log = io.StringIO()  # not a terminal: lines, no bar
    progress(0, 2, "discrete", stream=log)
    progress(1, 2, "discrete", done=True, elapsed=12.34, stream=log)
    progress(1, 2, "batch", stream=log)
    assert log.getvalue() == "[1/2] discrete ...\n[1/2] discrete done in 12.3 s\n[2/2] batch ...\n"


def test_select_takes_a_glob_or_several():
    assert select("js-*") == ["js-1024"]
    assert select("*") == list(CASES)
    # several globs, in the registry's order whatever order they are given in
    assert select("memory|batch") == ["batch", "memory"]
    assert select("scale, ci-*") == ["ci-coverage", "scale"]
    assert select("nothing-like-this") == []


def test_an_unknown_filter_names_the_cases(capsys):
    assert main(["--filter", "nothing-like-this"]) == 2
    err = capsys.readouterr().err
    assert "no case matches 'nothing-like-this'; cases: accuracy," in err


@pytest.mark.skipif(
    not os.access("/proc/self/clear_refs", os.W_OK), reason="needs Linux's clear_refs"
)
def test_peak_memory_sees_one_allocation_and_resets():
    before = rss.reset_peak()
    block = np.ones(100 * 2**20 // 8)  # 100 MiB, touched
    with_block = rss.peak_mib()
    del block
    assert 90 < with_block - before < 200
    # a reset brings the peak down to the current size, which no longer holds the block
    again = rss.reset_peak()
    assert again < with_block - 80
    assert rss.peak_mib() < with_block - 80


def test_the_seed_sweep_tabulates_what_the_experiments_return(capsys):
    from benches import experiment_seeds
    from divergences.trainer import experiments as ex

    experiment_seeds.main(["--quick", "--only", "discriminator"])
    out = capsys.readouterr().out
    assert out.startswith("Machine: ")
    assert "### discriminator_alone" in out
    assert "Seeds 0-2 (3 runs," in out
    held = sum(ex.discriminator_alone(seed).holds for seed in range(3))
    assert f"| seeds meeting the thresholds | {held} of 3 |" in out


def test_the_nd_truths_agree_with_independent_routes():
    """accuracy-nd's truths against other routes: reference oracles, and Monte Carlo."""
    import math

    from benches import truths_nd as tn
    from divergences import reference

    # 1-D: our quadrature against the library's oracles (a different integrand and splitting)
    gauss1 = tn.truth("gauss", 1, 10)
    assert gauss1.kl == pytest.approx(float(reference.kl_normal(0, 1, 0.5, 1.2)), rel=1e-12)
    assert gauss1.js == pytest.approx(float(reference.js_normal(0, 1, 0.5, 1.2)), rel=1e-9)
    # closed forms and quadratures against Monte Carlo on the exact densities (within 4 se)
    cases = [("student", 1), ("gauss", 2), ("gauss", 4), ("ring", 2), ("grid", 2), ("uniform", 3)]
    for key, d in cases:
        truth = tn.truth(key, d, 10)
        p = tn.pair(key, d)
        draws = 5_000 if key == "grid" else 20_000  # 25 modes: the slowest density
        kl, kl_se = tn.kl_monte_carlo(p, draws, seed=1)
        js, js_se = tn.js_monte_carlo(p, draws, seed=2)
        assert abs(kl - truth.kl) < 4 * kl_se + 1e-12, (key, d, kl, truth.kl)
        if truth.js_se == 0.0:  # gauss d=4 is itself Monte Carlo (of 10 draws here)
            assert abs(js - truth.js) < 4 * js_se, (key, d, js, truth.js)
    # the uniform closed form is the nested formula with a = 1.2^-d, and log 2 in the limit
    assert tn.js_nested(1.0) == pytest.approx(0.0, abs=1e-15)
    assert tn.js_nested(1e-12) == pytest.approx(math.log(2), abs=1e-10)


def test_accuracy_nd_seeds_tables_and_intervals():
    """accuracy-nd: a run of some dimensions draws the full run's samples, ours get intervals,
    and the tables compare the best of ours with the best peer."""
    import dataclasses

    from benches import accuracy_nd as nd
    from benches.core import FULL

    full = nd._cells(FULL)
    part = nd._cells(dataclasses.replace(FULL, accuracy_nd_dims=(4,)))
    assert part
    assert all(cell in full for cell in part)
    assert [key for _, key, _ in part] == ["gauss", "student", "uniform"]

    found, _ = nd.estimators()
    calls = {e.name: e for e in found}
    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 1, (200, 2)), rng.normal(0.5, 1.2, (200, 2))
    for name in ("ours kl_knn k=4", "ours js_knn k=10", "ours js_discriminator quad"):
        value, interval = calls[name].call(x, y, 7)
        assert interval[0] <= value <= interval[1], name
        assert calls[name].call(x, y, 7)[0] == value  # seeded
    assert nd.knn_interval(8, 1_000)
    assert not nd.knn_interval(8, 10_000)
    assert calls["ours js_discriminator mlp"].skip("gauss", 2, 100, FULL) is not None
    assert calls["ours js_discriminator mlp"].skip("ring", 2, 1_000, FULL) is None

    def curve(rmse: float, coverage: float) -> dict[str, list[float]]:
        return {"n": [100], "rmse": [rmse], "nonfinite": [0.0], "coverage": [coverage]}

    a = {
        "kl": {},
        "js": {"U[0,1]^d vs U[0,1.2]^d, d=16": {"ours js_knn k=10": curve(0.2, 0.5)}},
        "truths": {},
    }
    b = {
        "kl": {},
        "js": {
            "Gaussians, d=1": {
                "ours js_knn k=10": curve(0.02, 1.0),
                "scipy gaussian_kde": curve(0.04, float("nan")),
            }
        },
        "truths": {},
    }
    merged = nd.merge([a, b])
    assert list(merged["js"]) == ["Gaussians, d=1", "U[0,1]^d vs U[0,1.2]^d, d=16"]
    text = nd.markdown(merged)
    assert "| Gaussians, d=1 | 1e+02 | 2.0e-02 | 4.0e-02 | ours js_knn k=10 | 0.50 |" in text
    assert "| JSD: coverage | n | ours js_knn k=10 |" in text
    assert "| U[0,1]^d vs U[0,1.2]^d, d=16 | 1e+02 | 0.50 |" in text

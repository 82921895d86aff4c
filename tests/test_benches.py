"""The benchmark runner's plumbing: case selection and the memory probe (not the speed)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from benches import rss
from benches.run import CASES, main, select


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

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


@pytest.mark.skipif(not os.path.exists("/proc/self/clear_refs"), reason="Linux only")
def test_peak_memory_sees_one_allocation_and_resets():
    before = rss.reset_peak()
    block = np.ones(100 * 2**20 // 8)  # 100 MiB, touched
    grown = rss.peak_mib() - before
    del block
    assert 90 < grown < 200
    # after a reset the peak is the current size again: the freed block is not in it
    again = rss.reset_peak()
    assert rss.peak_mib() - again < 20

"""The figures' fast frozen distributions: scipy's ``logpdf`` bit for bit, and actually in use."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from proofs import figures_oracles


def test_the_fast_logpdfs_are_scipys_values_bit_for_bit():
    rng = np.random.default_rng(0)
    xs = [float(v) for v in rng.normal(0.0, 30.0, 2000)]
    xs += [float(v) for v in rng.uniform(-0.5, 1.5, 2000)]
    xs += [0.0, 1.0, -0.0, 5e-324, 1e308, -1e308, math.nextafter(1.0, 2.0)]
    for loc, scale in [(0.0, 1.0), (0.0, 1.0 + 1e-9), (-3.0, 0.25), (2.0, 7.5)]:
        for fast, slow in [
            (figures_oracles._normal(loc, scale), stats.norm(loc, scale)),
            (figures_oracles._uniform(loc, scale), stats.uniform(loc, scale)),
        ]:
            # the fast path replaced scipy's method: otherwise the figures are slow, not wrong
            assert "figures_oracles" in fast.logpdf.__module__
            with np.errstate(all="ignore"):
                got = [fast.logpdf(x) for x in xs]
                want = [float(slow.logpdf(x)) for x in xs]
            assert got == want
            # arrays and non-finite values still go to scipy
            arr = np.array(xs[:5])
            np.testing.assert_array_equal(fast.logpdf(arr), slow.logpdf(arr))
            assert math.isnan(fast.logpdf(math.nan))


def test_figures_drawn_in_worker_processes_are_the_files_one_process_draws(tmp_path):
    # two cheap figures, in two spawned processes and in this one: the same files, in vector
    # and raster form, the same pixels
    from matplotlib.image import imread

    from proofs.figures import FIGURES, make_all

    names = ["optimal_discriminator.png", "virtual_criterion.png"]
    assert all(name in FIGURES for name in names)
    written = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        make_all(out, names, jobs=jobs)
        written[jobs] = sorted(path.name for path in out.iterdir())
    assert written[1] == written[2]
    assert {name.rsplit(".", 1)[1] for name in written[2]} >= {"png", "svg"}
    for name in names:
        one, two = imread(tmp_path / "jobs1" / name), imread(tmp_path / "jobs2" / name)
        assert one.shape == two.shape
        assert one.shape[0] > 100
        assert np.array_equal(one, two), name

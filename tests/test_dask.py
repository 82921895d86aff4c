"""Dask arrays in histogram_pair and the sample estimators: identical to the in-memory call.

The threaded scheduler covers the semantics; the ``cluster`` tests run on a real
``dask.distributed.LocalCluster`` with worker processes (localhost only), including a worker
killed in the middle of a computation.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import numpy as np
import pytest

import divergences as dv

da = pytest.importorskip("dask.array", reason="dask is an optional extra: pip install .[dask]")
dask = pytest.importorskip("dask")

RULES = ["auto", "fd", "scott", "sturges", "sqrt", "rice", "quantile"]


def samples(n_x=20_000, n_y=15_000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n_x)
    y = rng.normal(0.3, 1.2, n_y)
    x[7] = 60.0  # an outlier, so "fd" falls back to the quantile rule
    return x, y


def assert_identical(h, ref):
    assert h.edges.dtype == ref.edges.dtype
    np.testing.assert_array_equal(h.edges, ref.edges)
    np.testing.assert_array_equal(h.counts_x, ref.counts_x)
    np.testing.assert_array_equal(h.counts_y, ref.counts_y)
    assert (h.n_x, h.n_y, h.dropped_x, h.dropped_y, h.rule) == (
        ref.n_x,
        ref.n_y,
        ref.dropped_x,
        ref.dropped_y,
        ref.rule,
    )


# ---------------------------------------------------------------------------------------------
# Threaded scheduler: semantics
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bins", [*RULES, 1, 50, "edges"])
@pytest.mark.parametrize("with_range", [False, True])
def test_dask_histogram_pair_equals_in_memory(bins, with_range):
    x, y = samples()
    range_ = (-3.0, 4.0) if with_range else None
    if bins == "edges":
        bins, range_ = np.array([-2.0, -0.5, 0.0, 0.1, 3.0]), None
    hx = da.from_array(x, chunks=3_001)  # uneven chunks, unequal chunk counts for x and y
    hy = da.from_array(y, chunks=(1_000, 9_000, 5_000))
    ref = dv.histogram_pair(x, y, bins=bins, range=range_)
    assert_identical(dv.histogram_pair(hx, hy, bins=bins, range=range_), ref)


@pytest.mark.parametrize("dtype", ["float32", "int64", "float16", ">f8"])
def test_dask_histogram_pair_equals_in_memory_for_every_dtype(dtype):
    x, y = samples(5_000, 4_000)
    x, y = (x * 10).astype(dtype), (y * 10).astype(dtype)
    for bins in ("auto", 20):
        ref = dv.histogram_pair(x, y, bins=bins)
        h = dv.histogram_pair(
            da.from_array(x, chunks=999), da.from_array(y, chunks=1_234), bins=bins
        )
        assert_identical(h, ref)


def test_dask_and_numpy_samples_mix():
    x, y = samples()
    ref = dv.histogram_pair(x, y)
    assert_identical(dv.histogram_pair(da.from_array(x, chunks=4_000), y), ref)
    assert_identical(dv.histogram_pair(x, da.from_array(y, chunks=4_000)), ref)


def test_dask_estimates_equal_in_memory():
    x, y = samples()
    hx, hy = da.from_array(x, chunks=2_500), da.from_array(y, chunks=6_000)
    options = dict(bias_correction="miller-madow", ci=0.95, n_boot=200, seed=5)
    js, js_ref = dv.js_from_samples(hx, hy, **options), dv.js_from_samples(x, y, **options)
    assert (js.value, js.plugin, js.bias, js.interval) == (
        js_ref.value,
        js_ref.plugin,
        js_ref.bias,
        js_ref.interval,
    )
    kl = dv.kl_from_samples(hx, hy, bins=30, range=(-5, 5), pseudocount=0.5)
    kl_ref = dv.kl_from_samples(x, y, bins=30, range=(-5, 5), pseudocount=0.5)
    assert (kl.value, kl.off_support_mass) == (kl_ref.value, kl_ref.off_support_mass)
    test, test_ref = dv.js_test(hx, hy), dv.js_test(x, y)
    assert (test.statistic, test.df, test.pvalue) == (
        test_ref.statistic,
        test_ref.df,
        test_ref.pvalue,
    )


def test_dask_nonfinite_values_follow_the_policy():
    x, y = samples(3_000, 3_000)
    x[[10, 2_500]] = np.nan
    y[100] = np.inf
    hx, hy = da.from_array(x, chunks=1_000), da.from_array(y, chunks=1_000)
    for range_ in (None, (-2, 2)):
        with pytest.raises(ValueError, match=r"^x contains 2 NaN entries; samples must be finite"):
            dv.histogram_pair(hx, hy, bins=10, range=range_)
        with pytest.raises(
            ValueError, match=r"^y contains 1 infinite entry; samples must be finite"
        ):
            dv.histogram_pair(hx[:5], hy, bins=10, range=range_)
        for bins in (10, "auto", "scott"):
            ref = dv.histogram_pair(x, y, bins=bins, range=range_, nonfinite="omit")
            h = dv.histogram_pair(hx, hy, bins=bins, range=range_, nonfinite="omit")
            assert_identical(h, ref)
    nothing = da.from_array(np.full(4, np.nan), chunks=2)
    with pytest.raises(ValueError, match=r"^x and y have no finite value between them"):
        dv.histogram_pair(nothing, nothing, nonfinite="omit")


def test_dask_lazy_histogram_computes_with_others():
    x, y = samples()
    hx, hy = da.from_array(x, chunks=5_000), da.from_array(y, chunks=5_000)
    edges = np.linspace(-4, 4, 33)
    lazy = [
        dv.histogram_pair(hx, hy, bins=edges, compute=False),
        dv.histogram_pair(hx, hy, bins=12, range=(-1, 1), compute=False),
    ]
    from dask.delayed import Delayed

    assert all(isinstance(item, Delayed) for item in lazy)
    first, second = dask.compute(*lazy)
    assert_identical(first, dv.histogram_pair(x, y, bins=edges))
    assert_identical(second, dv.histogram_pair(x, y, bins=12, range=(-1, 1)))


def test_dask_lazy_histogram_raises_on_nonfinite_values_when_computed():
    x = np.array([0.0, np.nan, 1.0])
    lazy = dv.histogram_pair(da.from_array(x, chunks=2), x, bins=2, range=(0, 1), compute=False)
    with pytest.raises(ValueError, match=r"^x contains 1 NaN entry"):
        lazy.compute()


def test_dask_histogram_reduces_in_a_tree():
    from divergences import dask_arrays

    hx = da.from_array(np.arange(1_000.0), chunks=10)  # 100 chunks
    lazy = dv.histogram_pair(hx, hx, bins=4, range=(0, 1000), compute=False)
    graph = dict(lazy.__dask_graph__())
    # no task adds more than SPLIT_EVERY rows of counts
    widest = max(sum(1 for dep in _dependencies(task) if dep in graph) for task in graph.values())
    assert widest <= dask_arrays.SPLIT_EVERY + 1  # the rows and the edges' node
    assert len(graph) > 100


def _dependencies(task):
    from dask.core import get_dependencies

    return get_dependencies({"task": task}, "task")


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_dask_lazy_histogram_needs_edges_fixed_up_front():
    hx = da.from_array(np.arange(10.0), chunks=5)
    with pytest.raises(
        ValueError,
        match=r"^compute=False needs edges fixed without reading the data, and bins='auto' "
        r"without range chooses them",
    ):
        dv.histogram_pair(hx, hx, compute=False)
    with pytest.raises(ValueError, match=r"and bins=10 without range chooses them"):
        dv.histogram_pair(hx, hx, bins=10, compute=False)
    with pytest.raises(ValueError, match=r"and bins='fd' chooses them"):
        dv.histogram_pair(hx, hx, bins="fd", range=(0, 1), compute=False)


def test_lazy_histogram_needs_dask_arrays():
    with pytest.raises(ValueError, match=r"^compute=False returns a lazy \(dask\) histogram"):
        dv.histogram_pair([1.0], [2.0], bins=2, range=(0, 3), compute=False)
    with pytest.raises(TypeError, match=r"^compute must be True .* got 0 of type int"):
        dv.histogram_pair([1.0], [2.0], compute=0)


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        (
            da.zeros((3, 4), chunks=2),
            ValueError,
            r"^x is a 2-D dask array; dask input is read as one 1-D sample",
        ),
        (
            da.from_array(np.array(["a", "b"])),
            TypeError,
            r"^x must be an array of real numbers; got dtype <U1\. Convert it with x\.astype",
        ),
        (da.zeros(0, chunks=1), ValueError, r"^x is empty; a divergence needs"),
    ],
)
def test_dask_samples_are_validated(x, error, message):
    with pytest.raises(error, match=message):
        dv.histogram_pair(x, np.ones(3))


def test_dask_sample_of_unknown_size_is_refused():
    hx = da.from_array(np.arange(10.0), chunks=5)
    unknown = hx[hx > 3]
    with pytest.raises(
        ValueError, match=r"^x is a dask array of unknown size \(NaN in x\.chunks\); call"
    ):
        dv.histogram_pair(unknown, np.ones(3))
    unknown.compute_chunk_sizes()
    assert dv.histogram_pair(unknown, np.ones(3), bins=2).n_x == 6


def test_dask_pair_of_other_dimensions_is_refused():
    with pytest.raises(ValueError, match=r"^y has shape \(2, 3\), which is not one sample"):
        dv.histogram_pair(da.ones(4, chunks=2), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^y is a 2-D dask array; dask input is read as one"):
        dv.histogram_pair(da.ones(4, chunks=2), da.ones((2, 3), chunks=2))
    with pytest.raises(
        ValueError, match=r"^axis=1 asks for a batch of pairs, but x is a dask array, which is"
    ):
        dv.histogram_pair(da.ones((2, 3), chunks=2), da.ones((2, 3), chunks=2), axis=1)


def test_numpy_input_does_not_import_dask():
    code = (
        "import sys, numpy as np, divergences as dv; "
        "dv.js_from_samples(np.arange(10.0), np.arange(5.0)); "
        "acc = dv.HistogramAccumulator(bins=3); acc.update([1.0, 2.0], [3.0]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------------------------
# A real cluster: worker processes on localhost
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


@pytest.mark.cluster
def test_cluster_results_equal_in_memory(client):
    x, y = samples(200_000, 150_000, seed=1)
    hx, hy = da.from_array(x, chunks=25_000), da.from_array(y, chunks=40_000)
    pids = set(client.run(os.getpid).values())
    assert os.getpid() not in pids  # the work happens in other processes
    for bins in ("auto", "quantile", 64):
        assert_identical(dv.histogram_pair(hx, hy, bins=bins), dv.histogram_pair(x, y, bins=bins))
    est = dv.js_from_samples(hx, hy, bias_correction="miller-madow", ci=0.9, n_boot=200, seed=2)
    ref = dv.js_from_samples(x, y, bias_correction="miller-madow", ci=0.9, n_boot=200, seed=2)
    assert (est.value, est.interval) == (ref.value, ref.interval)
    assert dv.kl_from_samples(hx, hy, bins=20).value == dv.kl_from_samples(x, y, bins=20).value
    lazy = dv.histogram_pair(hx, hy, bins=16, range=(-2, 2), compute=False)
    assert_identical(client.compute(lazy).result(), dv.histogram_pair(x, y, bins=16, range=(-2, 2)))


def kill_worker_once(block, marker, victim, block_id=None):
    """The chunk unchanged; but the first task on chunk ``victim`` kills its worker process.

    The marker file, created atomically before dying, records the kill and the pid it ended,
    so the retry (on the surviving worker or the restarted one) goes through.
    """
    if block_id[0] == victim:
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return block
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        os._exit(17)  # no cleanup, no exception: as a machine that vanishes
    return block


@pytest.mark.cluster
def test_cluster_survives_a_worker_killed_mid_computation(client, tmp_path):
    x, y = samples(160_000, 120_000, seed=3)
    marker = tmp_path / "killed"
    # chunk 5 of 8: other chunks are done or running when its worker dies
    hx = da.from_array(x, chunks=20_000).map_blocks(kill_worker_once, str(marker), 5, dtype=x.dtype)
    hy = da.from_array(y, chunks=30_000)
    pids_before = set(client.run(os.getpid).values())
    h = dv.histogram_pair(hx, hy, bins=100, range=(-4, 4))
    assert marker.exists()
    killed = int(marker.read_text())
    assert killed in pids_before
    assert_identical(h, dv.histogram_pair(x, y, bins=100, range=(-4, 4)))
    client.wait_for_workers(2, timeout=60)  # the nanny restarts it
    assert killed not in set(client.run(os.getpid).values())

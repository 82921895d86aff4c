"""First use from many threads at once: every call correct, no exception.

Each test runs in a fresh interpreter (a subprocess), so the kernels are not loaded yet when the
threads start; numba's on-disk cache may be warm or cold, which changes how long the first load
takes, not what must happen. The threads meet at a barrier and then make their first call
together — the race that broke the old ``importlib.util.LazyLoader`` loading (seven of eight
threads got ``AttributeError: module 'divergences._kernels' has no attribute ...``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import divergences as dv

ROOT = Path(__file__).resolve().parents[1]

#: The calls the threads race on, as source (run in the subprocess) with their expected values
#: computed here, in this already-warm process.
CALLS = {
    "js_divergence": "dv.js_divergence([0.5, 0.5], [0.9, 0.1])",
    "kl_divergence": "dv.kl_divergence(np.array([0.2, 0.8]), np.array([0.5, 0.5]))",
    "entropy": "dv.entropy([0.25, 0.25, 0.5])",
    "js_from_samples": "dv.js_from_samples(np.arange(200.0), np.arange(150.0) * 1.5).value",
    "kl_from_samples": "dv.kl_from_samples(np.arange(300.0), np.arange(300.0) + 7, bins=9).value",
    "histogram_pair": "int(dv.histogram_pair(np.arange(50.0), np.arange(9.0), bins='fd').n_bins)",
    "js_test": "dv.js_test(np.arange(400.0), np.arange(400.0) + 30, bins=8).pvalue",
    "kl_knn": "dv.kl_knn(np.arange(40.0).reshape(20, 2), np.arange(60.0).reshape(30, 2) + 0.5)",
    "js_discriminator": (
        "dv.js_discriminator(np.arange(40.0).reshape(20, 2), np.arange(60.0).reshape(30, 2) + 0.5, "
        "seed=0)"
    ),
    "js_knn": (
        "dv.js_knn(np.arange(40.0).reshape(20, 2), np.arange(60.0).reshape(30, 2) + 0.5, k=3, "
        "ci=0.95, seed=0)"
    ),
    "js_knn_equal_sizes": (  # the one-pass kernel (parallel above its work threshold)
        "dv.js_knn(np.random.default_rng(1).normal(size=(300, 3)), "
        "np.random.default_rng(2).normal(0.5, 1.0, (300, 3)))"
    ),
    "gan_value": "dv.gan_value([0.5, 0.5], [0.25, 0.75], [0.6, 0.4])",
    "tv_distance": "dv.tv_distance([0.5, 0.5], [0.9, 0.1])",
}


def _expected() -> dict[str, float]:
    values = {}
    for name, source in CALLS.items():
        values[name] = float(eval(source, {"dv": dv, "np": np}))
    return values


def _run(code: str, timeout: float = 600, env: dict[str, str] | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NUMBA_NUM_THREADS="2", **(env or {}))
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


RACE = """
import json, sys, threading
import numpy as np
import divergences as dv
assert "numba" not in sys.modules, "import divergences loaded numba"
calls = {calls!r}
n_threads = {n_threads}
barrier = threading.Barrier(n_threads)
results, errors = {{}}, []
def worker(i):
    name = list(calls)[i % len(calls)]
    try:
        barrier.wait()
        results[f"{{name}}/{{i}}"] = float(eval(calls[name]))
    except BaseException as error:
        errors.append(f"{{name}}: {{error!r}}")
threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({{"results": results, "errors": errors}}))
"""


def test_first_calls_from_many_threads_at_once():
    expected = _expected()
    report = _run(RACE.format(calls=CALLS, n_threads=16))
    assert report["errors"] == []
    assert len(report["results"]) == 16
    for key, value in report["results"].items():
        assert value == expected[key.split("/")[0]], key


DASK_THREADS = """
import json, sys
import numpy as np
import dask, dask.array as da
import divergences as dv
dask.config.set(scheduler="threads", num_workers=8)
rng = np.random.default_rng(0)
x, y = rng.normal(size=40_000), rng.normal(0.3, 1.0, 30_000)
hx, hy = da.from_array(x, chunks=2_500), da.from_array(y, chunks=2_000)
value = dv.js_from_samples(hx, hy, bins="auto").value
print(json.dumps({"dask": value, "numpy": dv.js_from_samples(x, y, bins="auto").value}))
"""


def test_first_call_on_dasks_threaded_scheduler():
    pytest.importorskip("dask.array", reason="dask is an optional extra: pip install .[dask]")
    report = _run(DASK_THREADS)
    assert report["dask"] == report["numpy"]


CLUSTER = """
import json, logging
import numpy as np
import dask.array as da
import distributed
import divergences as dv
rng = np.random.default_rng(1)
x, y = rng.normal(size=60_000), rng.normal(0.2, 1.1, 50_000)
with distributed.LocalCluster(n_workers=1, threads_per_worker=4, processes=True,
        host="127.0.0.1", dashboard_address=None, silence_logs=logging.CRITICAL) as cluster:
    with distributed.Client(cluster):
        hx, hy = da.from_array(x, chunks=3_000), da.from_array(y, chunks=2_500)
        value = dv.js_from_samples(hx, hy, bins=64).value
print(json.dumps({"cluster": value, "numpy": dv.js_from_samples(x, y, bins=64).value}))
"""


@pytest.mark.cluster
def test_first_call_on_a_cluster_worker_with_several_threads():
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    report = _run(CLUSTER)
    assert report["cluster"] == report["numpy"]


WORKQUEUE = """
import json, threading
import numpy as np
import divergences as dv
rng = np.random.default_rng(0)
chunks = [rng.normal(size=600_000) for _ in range(4)]
accs = [dv.HistogramAccumulator(bins=64, range=(-5, 5)) for _ in range(4)]
barrier = threading.Barrier(4)
def work(i):
    barrier.wait()
    for _ in range(3):
        accs[i].update(chunks[i], chunks[i])
threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
ok = [bool(np.array_equal(a.counts_x, 3 * np.histogram(c, 64, (-5, 5))[0]))
      for a, c in zip(accs, chunks)]
print(json.dumps({"ok": ok}))
"""


def test_threads_streaming_large_chunks_under_the_workqueue_layer():
    # the workqueue layer aborts the process when two threads launch parallel kernels at once
    # (exit 134 before the fix); the parallel policy is forced so only the layer rule protects
    env = {"NUMBA_THREADING_LAYER": "workqueue", "DIVERGENCES_PARALLEL": "always"}
    report = _run(WORKQUEUE, env=env)
    assert report["ok"] == [True] * 4

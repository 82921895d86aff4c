"""numba's on-disk cache of the kernels: the serial and parallel twins each hit their own entry, and
an edit of any kernel source clears the cache of every kernel (numba tracks only its own file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from divergences import _lazy

ROOT = Path(__file__).resolve().parents[1]

CODE = """
import numpy as np
from divergences import _kernels
cx = np.ones((3, 4), np.int64); cy = np.ones((3, 4), np.int64)
_kernels.counts._js_rows(cx, cy)
_kernels.counts._js_rows_parallel(cx, cy)
twins = (_kernels.counts._js_rows, _kernels.counts._js_rows_parallel)
hits = [sum(f.stats.cache_hits.values()) for f in twins]
misses = [sum(f.stats.cache_misses.values()) for f in twins]
print(*hits, *misses)
print(*(f.py_func.__qualname__ for f in twins))
"""


def _run() -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    return out.stdout.split("\n")


def test_serial_and_parallel_twins_hit_their_own_cache_in_a_fresh_process():
    _run()  # compile (or load) both once, so the cache holds them
    counts, names = _run()[:2]
    assert names.split() == ["_js_rows_body", "_js_rows_body_parallel"]
    # each dispatcher found its own entry: a hit per variant, no miss (no recompilation)
    assert [int(v) for v in counts.split()] == [1, 1, 0, 0], counts


def _kernel_files(root: Path) -> tuple[Path, Path, Path]:
    (root / "__pycache__").mkdir()
    a, b = root / "fused.py", root / "binning.py"
    a.write_text("def f(): return g()\n")
    b.write_text("def g(): return 1\n")
    entry = root / "__pycache__" / "fused.estimate_pair-254.py311.1.nbc"
    return a, b, entry


def test_an_edited_callee_clears_the_cache_of_every_kernel_that_inlines_it(tmp_path):
    a, b, entry = _kernel_files(tmp_path)
    other = tmp_path / "__pycache__" / "fused.cpython-311.pyc"  # not numba's: kept
    other.write_bytes(b"pyc")
    assert _lazy.refresh_cache((a, b)) is False  # no cache yet: nothing to clear, stamp written
    entry.write_bytes(b"compiled from the first sources")
    assert _lazy.refresh_cache((a, b)) is False  # same sources: the cache stays
    assert entry.exists()
    b.write_text("def g(): return 2\n")  # the callee changes, fused.py does not
    assert _lazy.refresh_cache((a, b)) is True
    assert not entry.exists()
    assert other.exists()
    entry.write_bytes(b"compiled from the new sources")
    assert _lazy.refresh_cache((a, b)) is False
    assert entry.exists()


def test_a_cache_directory_that_cannot_be_written_is_left_alone(tmp_path, monkeypatch):
    a, b, entry = _kernel_files(tmp_path)
    entry.write_bytes(b"compiled")

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    # a site-packages install: nothing can be deleted or written there (numba caches elsewhere)
    monkeypatch.setattr(Path, "unlink", refuse)
    monkeypatch.setattr(Path, "write_text", refuse)
    assert _lazy.refresh_cache((a, b)) is False
    assert entry.exists()


def test_the_library_and_the_trainer_name_every_file_their_kernels_import():
    from divergences import _compiled
    from divergences.trainer import _compiled as trainer_compiled

    kernels = ROOT / "divergences" / "_kernels"
    assert set(_compiled.KERNEL_SOURCES) == {*kernels.glob("*.py"), kernels.parent / "_extended.py"}
    engine = ROOT / "divergences" / "trainer" / "_engine_kernels.py"
    imported = {
        line.split()[1].lstrip(".")
        for line in engine.read_text().splitlines()
        if line.startswith("from .") and not line.startswith("from .. ")
    }
    assert {p.stem for p in trainer_compiled.KERNEL_SOURCES} == {"_engine_kernels", *imported}

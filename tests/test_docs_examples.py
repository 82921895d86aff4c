"""Every example of the documentation runs, so the pages cannot rot.

Two kinds of example on each Markdown page of ``docs/`` and in ``README.md``:

- ``>>>`` examples (in ``pycon`` blocks) are doctests: their printed output is compared;
- ``python`` code blocks without ``>>>`` are executed in order, in one namespace per page.

Shell blocks (``bash``) are not run: they install packages or run the minute-long checker.
The docstrings' examples are doctested by ``--doctest-modules`` (pyproject.toml).
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.M | re.S)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _blocks(text: str, language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(text) if lang == language]


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_docs_page_doctests_pass(page):
    text = page.read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, _id(page), str(page), 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    result = runner.run(test, out=report.append, clear_globs=True)
    assert result.failed == 0, "".join(report)


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_docs_page_python_blocks_run(page, tmp_path, monkeypatch):
    # in a scratch directory: examples may write files (a checkpoint, a report)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for block in _blocks(page.read_text(encoding="utf-8"), "python"):
        assert ">>>" not in block, f"{_id(page)}: a doctest belongs in a pycon block"
        if "import dask" in block and importlib.util.find_spec("dask") is None:
            pytest.skip(f"{_id(page)} has a dask example and dask is not installed ([dask] extra)")
        exec(compile(block, _id(page), "exec"), namespace)


def test_docs_pages_have_examples():
    # a page whose examples the parser silently misses would pass vacuously
    quickstart = (ROOT / "docs" / "quickstart.md").read_text(encoding="utf-8")
    examples = doctest.DocTestParser().get_examples(quickstart)
    assert len(examples) >= 30
    assert _blocks((ROOT / "docs" / "trainer.md").read_text(encoding="utf-8"), "python")


def test_comparison_table_divergences_column_is_current():
    # docs/comparison-table.md is measured with the peers installed; this library's column must
    # still say what it does (the peers' columns are re-measured by `python docs/compare.py`)
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        compare = importlib.import_module("compare")
    finally:
        sys.path.remove(str(ROOT / "docs"))
    assert compare.check() == []

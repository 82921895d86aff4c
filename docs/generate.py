"""Write the parts of the site that are derived from the code, before Sphinx reads the pages.

- ``docs/theory/``: the theory pages, from the claims registry of ``proofs/``
  (:func:`proofs.report.theory_pages`), rewritten at every build, with each claim's status from a
  run of ``python -m proofs`` into ``docs/_generated/proofs-run/`` (about 2 minutes; reused while
  the commit is the same; ``DIVERGENCES_DOCS_PROOFS=0`` builds without it);
- ``docs/_generated/proofs/``: the proof report's figures (:func:`proofs.figures.make_all`);
- ``docs/_generated/trainer/gaussian-seed0/``: the figures of
  ``python -m divergences.trainer --experiment gaussian`` for the trainer tutorial;
- ``docs/_generated/architecture/``: the import layers of the package, figures and tables
  (``docs/architecture.py``), rewritten at every build (under a second).

Figures take about 30 s, so an existing figure is kept unless ``force`` is true
(``python docs/generate.py --force``, or delete ``docs/_generated/``); a fresh clone, as in CI,
always draws them. Both directories are ignored by git.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
THEORY = DOCS / "theory"
GENERATED = DOCS / "_generated"
PROOF_FIGURES = GENERATED / "proofs"
TRAINER_RUNS = GENERATED / "trainer"
TRAINER_RUN = TRAINER_RUNS / "gaussian-seed0"
PROOF_RUN = GENERATED / "proofs-run"


def proof_run(force: bool) -> tuple[dict[str, dict[str, object]] | None, dict[str, object] | None]:
    """The status of every claim: ``python -m proofs`` run for this commit (or reused)."""
    if os.environ.get("DIVERGENCES_DOCS_PROOFS", "1") == "0":
        return None, None
    from proofs.report import current_commit

    run_file, results_file = PROOF_RUN / "run.json", PROOF_RUN / "results.json"
    commit = current_commit()
    fresh = (
        not force
        and commit
        and run_file.exists()
        and results_file.exists()
        and json.loads(run_file.read_text(encoding="utf-8")).get("commit") == commit
    )
    if not fresh:
        print(
            "docs: python -m proofs, for the theory pages' status (about 2 minutes)",
            file=sys.stderr,
        )
        subprocess.run(
            [sys.executable, "-m", "proofs", "--out", str(PROOF_RUN), "--no-figures"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            check=False,
        )
    if not results_file.exists():
        return None, None
    results = {c["id"]: c for c in json.loads(results_file.read_text(encoding="utf-8"))}
    return results, json.loads(run_file.read_text(encoding="utf-8"))


def theory(figures: dict[str, str], force: bool = False) -> None:
    """Rewrite ``docs/theory/*.md`` from the registry; remove pages of sections that are gone."""
    from proofs.report import load_all_claims, theory_pages

    results, run = proof_run(force)
    pages = theory_pages(load_all_claims(), figures, results, run)
    THEORY.mkdir(exist_ok=True)
    for stale in set(THEORY.glob("*.md")) - {THEORY / name for name in pages}:
        stale.unlink()
    for name, text in pages.items():
        path = THEORY / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")  # unchanged pages keep their mtime


def proof_figures(force: bool) -> dict[str, str]:
    """Draw the proof report's figures; return figure name -> path relative to the theory pages."""
    from proofs.figures import FIGURES, make_all

    missing = [name for name in FIGURES if force or not (PROOF_FIGURES / name).exists()]
    if missing:
        print(f"docs: drawing {len(missing)} proof figures", file=sys.stderr)
        make_all(PROOF_FIGURES, missing)  # in worker processes, one per CPU
    return {name: f"../_generated/proofs/{name}" for name in FIGURES}


def trainer_figures(force: bool) -> None:
    """Run the command-line Gaussian experiment (seed 0, about 20 s) for its figures."""
    if not force and all((TRAINER_RUN / f).exists() for f in ("panels.png", "curves.png")):
        return
    from divergences.trainer.__main__ import main as trainer_main

    print("docs: python -m divergences.trainer --experiment gaussian", file=sys.stderr)
    with contextlib.redirect_stdout(io.StringIO()):
        trainer_main(["--experiment", "gaussian", "--out", str(TRAINER_RUNS), "--quiet"])


def main(force: bool = False) -> None:
    """Write everything the pages need; redraw figures only if ``force`` or missing."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    figures = proof_figures(force)
    theory(figures, force)
    trainer_figures(force)
    if str(DOCS) not in sys.path:
        sys.path.insert(0, str(DOCS))
    import architecture

    architecture.write(GENERATED / "architecture")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true", help="redraw every figure")
    main(force=parser.parse_args().force)

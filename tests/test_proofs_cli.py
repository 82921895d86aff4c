"""``python -m proofs`` on the command line: selection, listing, and bad arguments (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _proofs(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "proofs", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
        check=False,
    )


def test_list_names_every_claim_and_claim_runs_only_those(tmp_path):
    listed = _proofs("--list")
    assert listed.returncode == 0
    ids = [line.split()[0] for line in listed.stdout.splitlines()]
    assert "gan.virtual-criterion" in ids
    assert len(ids) == len(set(ids)) >= 20
    out = tmp_path / "report"
    run = _proofs("--claim", "info.pinsker", "--out", str(out), "--no-figures")
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in results] == ["info.pinsker"]


def test_a_selected_claim_draws_its_own_figure_only(tmp_path):
    from proofs.report import load_all_claims

    figure = next(c.figure for c in load_all_claims() if c.id == "info.pinsker")
    assert figure
    out = tmp_path / "report"
    run = _proofs("--claim", "info.pinsker", "--out", str(out))
    assert run.returncode == 0, run.stderr[-2000:]
    assert "writing 1 figures" in run.stdout
    drawn = sorted(p.name for p in out.iterdir() if p.suffix in (".png", ".svg"))
    assert drawn == sorted([figure, figure.replace(".png", ".svg")])
    assert f"({figure})" in (out / "claims.md").read_text(encoding="utf-8")


def test_a_selection_that_matches_nothing_keeps_the_previous_report(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "claims.md").write_text("the previous report\n", encoding="utf-8")
    typo = _proofs("-k", "pinskre", "--out", str(out))
    assert typo.returncode == 2
    assert typo.stderr.strip().splitlines()[-1] == (
        f"python -m proofs: error: -k 'pinskre' selects no claim; the report in {out}/ is "
        f"unchanged (python -m proofs --list shows the claims)"
    )
    assert (out / "claims.md").read_text(encoding="utf-8") == "the previous report\n"


def test_bad_arguments_exit_2_with_one_line(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("", encoding="utf-8")
    for args, message in (
        (["--claim", "gan.nope"], "--claim: no claim 'gan.nope'; python -m proofs --list shows"),
        (["--out", str(a_file)], f"--out: {a_file} exists and is not a directory"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--jobs", "2"], "--jobs: only --audit runs in worker processes; add --audit or drop"),
        (["--audit", "--jobs", "0"], "argument --jobs: expected a positive integer, got '0'"),
        (["--audit", "--jobs", "two"], "argument --jobs: expected a positive integer, got 'two'"),
    ):
        run = _proofs(*args)
        assert run.returncode == 2
        assert "Traceback" not in run.stderr
        assert message in run.stderr.strip().splitlines()[-1]

"""Reproducing published tables: the runs, resuming, the summary, the command line."""

from __future__ import annotations

import json
import math
import re
import statistics
import sys

import matplotlib
import numpy as np
import pytest

from divergences.trainer import __main__ as cli
from divergences.trainer import reproduce as rep
from divergences.trainer.metrics import mode_metrics

matplotlib.use("Agg")

TINY = {"seeds": 1, "n_steps": 2, "jobs": 1, "progress": False, "figure": False}


def test_presets_follow_the_released_pacgan_configuration():
    ring, grid = rep.PACGAN_DATA["ring"], rep.PACGAN_DATA["grid"]
    np.testing.assert_allclose(np.hypot(*ring.centers.T), 1.0)
    assert ring.std == 0.01
    assert sorted({float(v) for v in grid.centers.ravel()}) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert grid.centers.shape == (25, 2)
    assert grid.std == 0.05
    for method, packing in rep.PACGAN_ROWS.items():
        config = rep.pacgan_config(packing)
        assert (config.packing, config.batch_size, config.eval_size) == (packing, 100, 2500)
        assert (config.generator_lr, config.discriminator_lr, config.beta1) == (2e-4, 2e-4, 0.8)
        assert config.discriminator_hidden == (200, 200, 200)
        assert config.loss == "non-saturating"
        assert ("ring", method) in rep.PACGAN_TABLE1
        assert ("grid", method) in rep.PACGAN_TABLE1


def test_each_run_is_trained_once_and_a_second_call_resumes_from_disk(tmp_path, monkeypatch):
    table = rep.reproduce(out=tmp_path, **TINY)
    assert len(table.records) == 8
    runs = tmp_path / "pacgan-table1" / "runs"
    assert len(list(runs.glob("*.json"))) == len(list(runs.glob("*.npy"))) == 8
    record = json.loads((runs / "grid-PacGAN3-seed0.json").read_text())
    samples = np.load(runs / "grid-PacGAN3-seed0.npy")
    assert record["config"]["packing"] == 3
    assert samples.shape == (2500, 2)
    # the stored metrics are those of the stored samples
    grid = rep.PACGAN_DATA["grid"]
    expected = mode_metrics(samples, grid.centers, grid.std).as_dict()
    assert record["metrics"]["modes_captured"] == expected["modes_captured"]
    assert record["metrics"]["high_quality_share"] == expected["high_quality_share"]
    assert record["metrics"]["mode_reverse_kl"] == expected["mode_reverse_kl"]

    def must_not_train(run):
        raise AssertionError(f"{run} was trained again")

    monkeypatch.setattr(rep, "_train_run", must_not_train)
    again = rep.reproduce(out=tmp_path, **TINY)
    assert again.records == table.records
    assert (tmp_path / "pacgan-table1" / "table.md").read_text() == table.markdown()


def test_the_stored_samples_are_the_runs_own(tmp_path):
    from divergences.trainer.algorithm import train
    from divergences.trainer.data import GaussianNoise
    from divergences.trainer.evaluation import FORWARD, Evaluator

    rep.reproduce(out=tmp_path, **{**TINY, "n_steps": 5})
    grid, noise = rep.PACGAN_DATA["grid"], GaussianNoise(2)
    config = rep.pacgan_config(2, seed=0, n_steps=5)
    state = train(grid, noise, config).state
    again = FORWARD[config.engine](state.generator, Evaluator(grid, noise, config).z)[0]
    stored = np.load(tmp_path / "pacgan-table1" / "runs" / "grid-PacGAN2-seed0.npy")
    np.testing.assert_array_equal(stored, again)


def test_an_unreadable_run_and_a_file_in_the_way_are_refused(tmp_path, capsys):
    rep.reproduce(out=tmp_path, **TINY)
    broken = tmp_path / "pacgan-table1" / "runs" / "grid-GAN-seed0.json"
    broken.write_text("{not json")
    message = (
        r"grid-GAN-seed0\.json is not a readable run result \(.*\); delete it \(and "
        r"grid-GAN-seed0\.npy\) to train this run again\."
    )
    with pytest.raises(rep.RunConflict, match=message):
        rep.reproduce(out=tmp_path, **TINY)
    argv = ["reproduce", "pacgan-table1", "--seeds", "1", "--steps", "2", "--jobs", "1"]
    with pytest.raises(SystemExit):
        cli.main([*argv, "--out", str(tmp_path), "--quiet", "--no-figures"])
    err = capsys.readouterr().err
    assert re.search(message, err)
    assert "Traceback" not in err
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "pacgan-table1").mkdir()
    (tmp_path / "other" / "pacgan-table1" / "runs").write_text("")
    with pytest.raises(
        rep.RunConflict, match=r"runs cannot be a directory \(a file is in the way\)"
    ):
        rep.reproduce(out=tmp_path / "other", **TINY)


def test_a_failure_inside_a_run_is_not_reported_as_a_usage_error(tmp_path, monkeypatch):
    def failing(run):
        raise ValueError("a bug inside training")

    monkeypatch.setattr(rep, "_train_run", failing)
    argv = ["reproduce", "pacgan-table1", "--seeds", "1", "--steps", "2", "--jobs", "1"]
    with pytest.raises(ValueError, match="a bug inside training"):
        cli.main([*argv, "--out", str(tmp_path), "--quiet", "--no-figures"])


def test_an_interrupted_run_is_trained_again(tmp_path, monkeypatch):
    rep.reproduce(out=tmp_path, **TINY)
    runs = tmp_path / "pacgan-table1" / "runs"
    (runs / "ring-GAN-seed0.npy").unlink()  # as if the run had stopped between its two files
    trained = []
    original = rep._train_run
    monkeypatch.setattr(rep, "_train_run", lambda run: trained.append(run) or original(run))
    rep.reproduce(out=tmp_path, **TINY)
    assert [(r.dataset, r.method, r.seed) for r in trained] == [("ring", "GAN", 0)]


def test_runs_of_another_configuration_are_refused(tmp_path):
    rep.reproduce(out=tmp_path, **TINY)
    with pytest.raises(
        ValueError,
        match=r"ring-GAN-seed0\.json holds a run with another configuration \(e\.g\. another "
        r"number of steps\); choose another output directory or delete .*runs to start afresh\.",
    ):
        rep.reproduce(out=tmp_path, **{**TINY, "n_steps": 3})


def test_summary_is_the_mean_and_standard_error_over_the_runs():
    values = {"GAN": [5.0, 7.0, 6.0], "PacGAN2": [8.0, 8.0, 7.0]}
    records = [
        {
            "dataset": "ring",
            "method": method,
            "metrics": {
                "modes_captured": v,
                "high_quality_share": v / 10,
                "mode_reverse_kl": None if (method, i) == ("GAN", 0) else v / 100,
            },
        }
        for method, vs in values.items()
        for i, v in enumerate(vs)
    ]
    summary = rep.ReproducedTable(records, rep.Path("."), 0.0).summary()
    for method, vs in values.items():
        mean, se, n = summary[("ring", method)]["modes_captured"]
        assert n == 3
        assert mean == pytest.approx(statistics.fmean(vs))
        assert se == pytest.approx(statistics.stdev(vs) / math.sqrt(3))
    # an undefined reverse KL is left out of its mean, not counted as 0
    mean, se, n = summary[("ring", "GAN")]["mode_reverse_kl"]
    assert n == 2
    assert mean == pytest.approx(0.065)
    table = rep.ReproducedTable(records, rep.Path("."), 0.0).markdown()
    assert "| ring | GAN | 3 | 6.0 ± 0.6 | 6.3 ± 0.5 | 60.0 ± 5.8 | 98.2 ± 0.2 |" in table


def test_parallel_workers_give_the_same_runs_as_one_process(tmp_path):
    one = rep.reproduce(out=tmp_path / "one", **TINY)
    two = rep.reproduce(out=tmp_path / "two", **{**TINY, "jobs": 2})
    for a, b in zip(one.records, two.records, strict=True):
        assert a["metrics"] == b["metrics"]
        assert a["config"] == b["config"]


def test_cli_reproduces_and_resumes(tmp_path, capsys):
    argv = ["reproduce", "pacgan-table1", "--seeds", "1", "--steps", "2", "--jobs", "1"]
    argv += ["--out", str(tmp_path), "--quiet"]
    out = cli.main(argv)
    assert out == tmp_path / "pacgan-table1"
    printed = capsys.readouterr().out
    assert "| grid | PacGAN4 | 1 |" in printed
    assert "(8 runs;" in printed
    assert {p.name for p in out.iterdir()} == {
        "runs",
        "table.md",
        "table.json",
        "samples.png",
        "samples.svg",
    }
    cli.main(argv)
    assert printed.splitlines()[:10] == capsys.readouterr().out.splitlines()[:10]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["reproduce", "table-9"], r"argument table: invalid choice: 'table-9'"),
        (["reproduce", "pacgan-table1", "--seeds", "0"], r"--seeds: must be at least 1, got 0"),
        (["reproduce", "pacgan-table1", "--steps", "x"], r"--steps: 'x' is not an integer"),
        (["reproduce", "pacgan-table1", "--jobs", "0"], r"--jobs: must be at least 1, got 0"),
    ],
)
def test_reproduce_rejects_bad_arguments_in_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert "Traceback" not in err


def test_reproduce_refuses_another_configuration_in_one_line(tmp_path, capsys):
    base = ["reproduce", "pacgan-table1", "--seeds", "1", "--jobs", "1", "--quiet"]
    base += ["--out", str(tmp_path), "--no-figures"]
    cli.main([*base, "--steps", "2"])
    with pytest.raises(SystemExit):
        cli.main([*base, "--steps", "3"])
    assert "holds a run with another configuration" in capsys.readouterr().err


def test_reproduce_function_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"name must be one of 'pacgan-table1'; got 'x'\."):
        rep.reproduce("x")
    with pytest.raises(ValueError, match=r"seeds must be an integer >= 1; got 0\."):
        rep.reproduce(seeds=0)
    with pytest.raises(TypeError, match=r"jobs must be an integer >= 1; got 1\.5 of type float"):
        rep.reproduce(jobs=1.5)


@pytest.mark.parametrize(
    ("argv", "kept"),
    [
        (
            ["reproduce", "pacgan-table1", "--seeds", "1", "--steps", "1000000", "--jobs", "2"],
            "interrupted: the finished runs are kept; run the same command again to resume.",
        ),
        (
            ["--experiment", "gaussian", "--steps", "100000000"],
            "interrupted: the run is not saved (its files are written at the end).",
        ),
    ],
    ids=["reproduce-2-workers", "experiment"],
)
@pytest.mark.skipif(sys.platform != "linux", reason="reads the process table from /proc")
def test_ctrl_c_ends_the_cli_in_one_line_and_stops_every_worker(tmp_path, argv, kept):
    import os
    import signal
    import subprocess
    import time

    # a terminal's Ctrl-C: SIGINT to the whole process group, workers included. The command
    # starts with SIGINT's default action, as from a terminal: a process started in the
    # background by a non-interactive shell (CI runs a suite so) inherits SIGINT ignored, and
    # Python then installs no KeyboardInterrupt handler
    process = subprocess.Popen(
        [sys.executable, "-m", "divergences.trainer", *argv, "--out", str(tmp_path), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        # past its imports and training (a run takes minutes): at least 8 s, and until its
        # workers are alive or it has used 3 s of CPU (later on a machine busy with other jobs)
        time.sleep(8.0)
        workers = 2 if "--jobs" in argv else 0
        deadline = time.monotonic() + 60.0
        while time.monotonic() < deadline and process.poll() is None:
            group = _live_processes_in_group(process.pid)
            if workers and len(group) > workers:
                break
            if not workers and _cpu_seconds(process.pid) > 3.0:
                break
            time.sleep(0.25)
        assert process.poll() is None, process.communicate()
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:  # a failure above: leave nothing running
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == kept
    # no worker outlives the command: no live process is left in its group (an exited one
    # stays a zombie until init reaps it, which is no concern)
    deadline = time.monotonic() + 30.0
    while _live_processes_in_group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert _live_processes_in_group(process.pid) == []


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (Linux /proc), 0 if it has ended."""
    import os
    from pathlib import Path

    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _live_processes_in_group(pgid: int) -> list[int]:
    """Pids of the processes of group ``pgid`` that are not zombies (Linux /proc)."""
    from pathlib import Path

    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        state, _, group = text[text.rindex(")") + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            live.append(int(stat.parent.name))
    return live

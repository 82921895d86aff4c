"""The command line (python -m divergences.trainer), the figures and the progress bar."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

from divergences.trainer import __main__ as cli
from divergences.trainer import algorithm, data, plots
from divergences.trainer.config import TrainConfig
from divergences.trainer.history import History
from divergences.trainer.presets import PRESETS
from divergences.trainer.progress import ProgressBar
from divergences.trainer.state import init_gan

matplotlib.use("Agg")


def test_cli_writes_history_summary_and_figures_for_a_1d_run(tmp_path, capsys):
    out = cli.main(["--experiment", "gaussian", "--steps", "60", "--out", str(tmp_path), "--quiet"])
    assert out == tmp_path / "gaussian-seed0"
    assert {p.name for p in out.iterdir()} == {
        "history.npz",
        "summary.json",
        "panels.png",
        "panels.svg",
        "curves.png",
        "curves.svg",
    }
    summary = json.loads((out / "summary.json").read_text())
    assert summary["config"]["n_steps"] == 60
    assert summary["config"]["snapshot_steps"] == [0]  # the preset's later snapshots dropped
    assert summary["final"]["step"] == 60
    assert 0.0 <= summary["final"]["jsd"] <= np.log(2)
    history = History.load(out / "history.npz")
    assert history.last("jsd") == summary["final"]["jsd"]
    # the wall time splits into the first (compiling) iteration, the others and the evaluations
    parts = summary["first_step_seconds"] + summary["train_seconds"] + summary["eval_seconds"]
    assert 0.0 < parts <= summary["seconds"] + 0.003
    # steps/s counts the 59 iterations after the first; both numbers are rounded in the JSON
    # (seconds to 1 ms, steps/s to 0.1)
    train = summary["train_seconds"]
    assert 59 / (train + 5e-4) - 0.05 <= summary["steps_per_second"]
    assert summary["steps_per_second"] <= 59 / max(train - 5e-4, 1e-9) + 0.05
    printed = capsys.readouterr().out
    assert "summary.json" in printed
    assert "jsd" in printed
    assert "(training iterations after the first; the run took" in printed


def test_cli_2d_run_draws_samples_and_reports_undefined_metrics(tmp_path, capsys):
    out = cli.main(
        ["--experiment", "ring", "--steps", "20", "--out", str(tmp_path), "--quiet", "--seed", "2"]
    )
    assert out.name == "ring-seed2"
    assert (out / "samples.png").exists()
    assert not (out / "panels.png").exists()
    summary = json.loads((out / "summary.json").read_text())
    # an untrained generator has no sample within 3 sigma of a mode: reverse KL is undefined
    if summary["final"]["high_quality_share"] == 0.0:
        assert summary["final"]["mode_reverse_kl"] is None
        assert "undefined" in capsys.readouterr().out


def test_cli_no_figures(tmp_path):
    out = cli.main(
        [
            "--experiment",
            "two-modes",
            "--steps",
            "10",
            "--out",
            str(tmp_path),
            "--quiet",
            "--no-figures",
            "--engine",
            "numpy",
        ]
    )
    assert {p.name for p in out.iterdir()} == {"history.npz", "summary.json"}


def test_cli_precision_reaches_the_run_and_its_summary(tmp_path):
    common = ["--experiment", "gaussian", "--steps", "5", "--quiet", "--no-figures"]
    single = cli.main([*common, "--out", str(tmp_path / "a"), "--precision", "float32"])
    default = cli.main([*common, "--out", str(tmp_path / "b")])
    summaries = [json.loads((out / "summary.json").read_text()) for out in (single, default)]
    assert [s["config"]["precision"] for s in summaries] == ["float32", "float64"]
    # the same seed, other rounding: the runs part in the last bits at least
    assert summaries[0]["final"]["d_loss"] != summaries[1]["final"]["d_loss"]


def test_cli_rejects_an_unknown_precision(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--precision", "float16"])
    assert "argument --precision: invalid choice: 'float16'" in capsys.readouterr().err


def test_cli_rejects_an_unknown_experiment(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--experiment", "mnist"])
    assert "invalid choice: 'mnist'" in capsys.readouterr().err


def test_module_runs_as_a_script(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "divergences.trainer",
            "--experiment",
            "uniform",
            "--steps",
            "5",
            "--out",
            str(tmp_path),
            "--no-figures",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "summary.json" in done.stdout
    assert "5/5" in done.stderr  # the progress bar goes to stderr


def test_presets_are_valid():
    assert set(PRESETS) == {"gaussian", "uniform", "two-modes", "ring", "grid"}
    for preset in PRESETS.values():
        state = init_gan(preset.data, preset.noise, preset.config)
        assert state.generator.sizes[-1] == preset.data.dim


def test_figure_functions_refuse_the_wrong_history():
    empty = History()
    with pytest.raises(ValueError, match=r"plot_panels needs snapshots and this history has none"):
        plots.plot_panels(empty)
    config = TrainConfig(n_steps=2, eval_every=2, eval_size=200)
    ring = algorithm.train(data.GaussianMixture.ring(), data.GaussianNoise(2), config).history
    with pytest.raises(
        ValueError,
        match=(
            r"plot_panels draws 1-D runs, but the snapshots at steps \[2\] hold no 'centers'; use "
            r"plot_samples for this run"
        ),
    ):
        plots.plot_panels(ring)
    line = algorithm.train(data.Gaussian(), data.GaussianNoise(), config).history
    with pytest.raises(ValueError, match=r"plot_samples draws 2-D runs, .* use plot_panels"):
        plots.plot_samples(line, data.GaussianMixture.ring().centers)


def test_figures_have_one_panel_per_snapshot_up_to_the_maximum():
    config = TrainConfig(
        n_steps=50, eval_every=10, eval_size=300, snapshot_steps=(0, 10, 20, 30, 40)
    )
    history = algorithm.train(data.Gaussian(4.0, 1.0), data.GaussianNoise(), config).history
    assert len(history.snapshots) == 6
    figure = plots.plot_panels(history, max_panels=3)
    titles = [ax.get_title() for ax in figure.axes[:3]]  # the twin axes come after
    assert titles == ["step 0", "step 20", "step 50"]
    assert len(plots.plot_curves(history).axes) == 4


def test_progress_bar_draws_rate_and_completion():
    stream = io.StringIO()
    bar = ProgressBar(3, label="run", stream=stream, interval=0.0)
    for _ in range(3):
        bar.update()
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 3
    assert "run [##############################] 3/3" in text
    assert text.endswith("\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--steps", "-5"], r"argument --steps: must be at least 1, got -5"),
        (["--steps", "abc"], r"argument --steps: 'abc' is not an integer"),
        (["--seed", "-1"], r"argument --seed: must be at least 0, got -1"),
        (["--experiment", "moons"], r"argument --experiment: invalid choice: 'moons'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_before_any_work(argv, message, capsys):
    from divergences.trainer.__main__ import main

    with pytest.raises(SystemExit) as raised:
        main([*argv, "--quiet", "--no-figures"])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert re.search(message, err)
    assert "Traceback" not in err


def test_an_unusable_out_is_refused_before_training(tmp_path, capsys):
    from divergences.trainer.__main__ import main

    a_file = tmp_path / "file"
    a_file.write_text("")
    for out, message in (
        (a_file, rf"--out: {re.escape(str(a_file))} exists and is not a directory"),
        (a_file / "below", r"--out: cannot create .* \(Not a directory\); choose another --out"),
    ):
        with pytest.raises(SystemExit) as raised:
            main(["--out", str(out), "--steps", "100000000", "--quiet", "--no-figures"])
        assert raised.value.code == 2
        assert re.search(message, capsys.readouterr().err)

"""``python -m proofs.mutation``: staging, the score and the error paths (mutmut is not run)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from proofs import mutation

KERNEL = """from numba import njit


@njit(cache=True)
def twice(x: float) -> float:
    return 2.0 * x


    @njit
    def nested() -> None:
        pass
"""


def test_strip_njit_comments_out_decorators_and_keeps_lines():
    stripped = mutation.strip_njit(KERNEL)
    assert "@njit" not in stripped.replace("# @njit", "")
    assert stripped.count("\n") == KERNEL.count("\n")
    assert "    # @njit (commented out for the mutation run)" in stripped
    assert "from numba import njit" in stripped


def test_stage_copies_and_strips_only_the_mutated_modules(tmp_path):
    for name in ("divergences/_kernels", "proofs"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "divergences/_kernels/a.py").write_text(KERNEL)
    (tmp_path / "divergences/_kernels/b.py").write_text(KERNEL)
    (tmp_path / "proofs/test_x.py").write_text("")
    (tmp_path / "conftest.py").write_text("")
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / mutation.STAGE / "stale").mkdir(parents=True)
    staged = mutation.stage(tmp_path, ["divergences/_kernels/a.py"])
    assert not (staged / "stale").exists()
    assert "\n@njit" not in (staged / "divergences/_kernels/a.py").read_text()
    assert (staged / "divergences/_kernels/b.py").read_text() == KERNEL
    assert (staged / "proofs/test_x.py").exists()


def _meta(tmp_path, codes):
    meta = tmp_path / "mutants" / "divergences" / "m.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"exit_code_by_key": codes}))
    return tmp_path / "mutants"


def test_score_counts_timeouts_as_killed_and_sets_equivalents_apart(tmp_path):
    found = mutation.statuses(
        _meta(
            tmp_path,
            {
                "m.f__mutmut_1": 1,
                "m.f__mutmut_2": 0,
                "m.f__mutmut_3": 0,
                "m.g__mutmut_1": 36,
                "m.h__mutmut_1": 33,
            },
        )
    )
    counts, report = mutation.score(found, {"m.f__mutmut_3": "x < 0 and x <= 0 agree at 0"})
    assert counts == {"killed": 1, "survived": 1, "equivalent": 1, "timeout": 1, "no tests": 1}
    assert "score: 2 of 4 non-equivalent mutants killed (50.0%" in report
    assert "survived: m.f__mutmut_2" in report
    assert "no tests: m.h__mutmut_1" in report
    assert "m.f__mutmut_3" not in report


def test_an_equivalence_argument_for_a_killed_mutant_is_an_error(tmp_path):
    found = mutation.statuses(_meta(tmp_path, {"m.f__mutmut_1": 1}))
    with pytest.raises(
        ValueError, match=r"argues for 1 mutant\(s\) that did not survive this run: m.f__mutmut_1"
    ):
        mutation.score(found, {"m.f__mutmut_1": "wrong"})


def test_without_mutmut_the_command_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setattr(mutation.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit):
        mutation.main([])
    assert 'mutmut is not installed: pip install -e ".[dev,mutation]"' in capsys.readouterr().err


@pytest.fixture
def fake_root(tmp_path, monkeypatch):
    shutil.copy2(mutation.ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    monkeypatch.setattr(mutation.importlib.util, "find_spec", lambda name: object())
    return tmp_path


def test_naming_mutants_needs_a_previous_run(fake_root, capsys):
    with pytest.raises(SystemExit):
        mutation.main(["divergences.gan.x_gan_value__mutmut_1"])
    assert "naming mutants reruns them in the last run's staged copy; run without first" in (
        capsys.readouterr().err
    )


def test_a_failing_mutmut_run_is_reported_with_its_status(fake_root, monkeypatch, capsys):
    for name in ("divergences", "proofs"):
        (fake_root / name).mkdir()
    (fake_root / "conftest.py").write_text("")
    monkeypatch.setattr(mutation.subprocess, "call", lambda command, cwd, env: 2)
    assert mutation.main([]) == 2
    assert "mutmut run failed (exit status 2); its output is above" in capsys.readouterr().err


def test_the_survivor_table_shows_the_line_each_mutant_changes(tmp_path):
    module = tmp_path / "mutants" / "divergences" / "m.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "def x_f__mutmut_orig(a):\n    b = a | 1\n    return b\n"
        "def x_f__mutmut_1(a):\n    b = a | 2\n    return b\n"
    )
    spans = {"x_f__mutmut_orig": [1, 3], "x_f__mutmut_1": [4, 6]}
    module.with_suffix(".py.spans").write_text(json.dumps({"version": 1, "spans": spans}))
    table = mutation.survivors_markdown(
        tmp_path / "mutants", {"divergences.m.x_f__mutmut_1": "survived"}
    )
    assert "| survived | `m.x_f__mutmut_1` | `b = a \\| 1` | `b = a \\| 2` |" in table
    # a line that occurs twice in the function is still shown as the one that changed
    _write_mutmut_module(
        module.with_name("twice.py"),
        {
            "x_g__mutmut_orig": "def x_g__mutmut_orig(a):\n    a = a + 1\n    a = a + 1\n",
            "x_g__mutmut_1": "def x_g__mutmut_1(a):\n    a = a + 1\n    a = a - 1\n",
        },
    )
    twice = mutation.changed_line(tmp_path / "mutants", "divergences.twice.x_g__mutmut_1")
    assert twice == ("a = a + 1", "a = a - 1")
    # a survivor outside the mathematics says so
    outside = mutation.survivors_markdown(
        tmp_path / "mutants",
        {"divergences.m.x_f__mutmut_1": "survived"},
        outside={"divergences.m.x_f__mutmut_1"},
    )
    assert "| outside | `m.x_f__mutmut_1` |" in outside


@pytest.mark.parametrize(
    ("before", "after", "outside"),
    [
        # an argument's name for the error message, renamed, upper-cased or None
        ('b = as_densities(p_g, "p_g")', "b = as_densities(p_g, None)", True),
        (
            'kind = check_choice(kind, "kind", KINDS)',
            'kind = check_choice(kind, "KIND", KINDS)',
            True,
        ),
        ('d, "d", ndim=ndim, logit=False', 'd, "XXdXX", ndim=ndim, logit=False', True),
        # the names= keyword of the checks dropped
        ('p_data, p_g, axis=axis, names=("p_data", "p_g")', "p_data, p_g, axis=axis, )", True),
        # an error message's text replaced by None (two lines, joined by " / ")
        ('f"p_data has shape {a.shape}; " / f"evaluate both at the same points."', "None", True),
        # mathematics or plumbing: a default, a numpy option, an operator, a flag
        ('kind: str = "kl", *, axis: int = -1', 'kind: str = "KL", *, axis: int = -1', False),
        ('with np.errstate(all="ignore"):', "with np.errstate(all=None):", False),
        (
            'a = np.array(a, dtype=np.float64, order="C")',
            'a = np.array(a, dtype=np.float64, order="c")',
            False,
        ),
        (
            'p, q, normalize=normalize, names=("p", "q")',
            'p, q, normalize=None, names=("p", "q")',
            False,
        ),
        ('d, "d", ndim=ndim, logit=False', 'd, "d", ndim=ndim, logit=True', False),
        ("x / y", "None", False),
        ("x = a + b", "x = a - b", False),
    ],
)
def test_mutants_outside_the_mathematics_are_names_and_messages_only(before, after, outside):
    assert mutation.outside_mathematics(before, after) is outside


def test_the_mathematics_score_leaves_out_names_and_messages_and_says_what_tests_kill():
    found = {
        "m.f__mutmut_1": "killed",
        "m.f__mutmut_2": "survived",
        "m.f__mutmut_3": "survived",
        "m.f__mutmut_4": "survived",
        "m.f__mutmut_5": "survived",
        "m.f__mutmut_6": "killed",
    }
    outside = {"m.f__mutmut_4", "m.f__mutmut_5", "m.f__mutmut_6"}
    report = mutation.mathematics_score(
        found,
        {"m.f__mutmut_3": "equivalent"},
        outside,
        {"m.f__mutmut_4": True, "m.f__mutmut_5": False},
    )
    assert (
        "outside the mathematics: 3 mutants change only an argument's name in a check or an "
        "error message, an error's wording or which invalid input is refused; proofs/ kills 1, "
        "tests/ kills 1 of the other 2" in report
    )
    assert (
        "score over the mathematics: 1 of 2 non-equivalent mutants killed by proofs/ (50.0%)"
        in report
    )
    assert report.endswith("  not killed by tests/ either: m.f__mutmut_5")
    skipped = mutation.mathematics_score(found, {}, outside, None)
    assert "tests/ was not run against the other 2 (--skip-tests)" in skipped
    assert "score over the mathematics: 1 of 3 non-equivalent mutants killed" in skipped


def test_a_crashing_tests_run_is_an_error_not_a_kill(tmp_path, monkeypatch):
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    (tmp_path / "tests").mkdir()
    (tmp_path / "run" / "mutants").mkdir(parents=True)
    monkeypatch.setattr(mutation.subprocess, "call", lambda *a, **k: 4)
    with pytest.raises(
        RuntimeError,
        match=r"pytest tests/test_gan.py with divergences.gan.x_f__mutmut_1 exited with 4",
    ):
        mutation.run_tests_on(tmp_path / "run", ["divergences.gan.x_f__mutmut_1"])


def test_the_run_ignores_runtime_warnings_in_exactly_the_kernel_modules():
    # the kernels run as plain Python in the mutation run and warn on intended overflows; the
    # rest of the library must keep failing a proof when it warns
    config = tomllib.loads((mutation.ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    args = config["pytest_add_cli_args"]
    ignored = {args[i + 1] for i, arg in enumerate(args) if arg == "-W"}
    kernels = {
        ".".join(path.relative_to(mutation.ROOT).with_suffix("").parts)
        for path in (mutation.ROOT / "divergences").rglob("*.py")
        if re.search(r"^\s*@njit\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert kernels, "no module with @njit found"
    assert ignored == {f"ignore::RuntimeWarning:{module}" for module in kernels}


# --scope discrete and --sample: the probability-vector divergences' own run


def test_the_discrete_scope_mutates_existing_files_with_their_own_stage_and_tests():
    for path in mutation.DISCRETE_FILES:
        assert (mutation.ROOT / path).is_file(), path
        module = path.removesuffix(".py").replace("/", ".")
        assert all((mutation.ROOT / f).is_file() for f in mutation.TESTS_OF[module])
    assert set(mutation.STAGE_OF) == set(mutation.EQUIVALENT_OF) >= {"default", "discrete"}
    assert len(set(mutation.STAGE_OF.values())) == len(mutation.STAGE_OF)
    default = tomllib.loads((mutation.ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    assert not set(default["only_mutate"]) & set(mutation.DISCRETE_FILES)


def test_with_only_mutate_replaces_the_array_adds_the_deselections_and_nothing_else():
    text = (mutation.ROOT / "pyproject.toml").read_text()
    changed = mutation.with_only_mutate(text, mutation.DISCRETE_FILES, ("proofs/a.py::b", "c"))
    before, after = tomllib.loads(text)["tool"]["mutmut"], tomllib.loads(changed)["tool"]["mutmut"]
    assert after.pop("only_mutate") == list(mutation.DISCRETE_FILES)
    options = after["pytest_add_cli_args"]
    assert options[:2] == ["--deselect=proofs/a.py::b", "--deselect=c"]
    after["pytest_add_cli_args"] = options[2:]
    before.pop("only_mutate")
    assert after == before
    assert mutation.with_only_mutate(text, ["x.py"]).count("--deselect=") == text.count(
        "--deselect="
    )


def test_the_discrete_scope_leaves_out_existing_claims_only():
    collected = {}
    for node in mutation.DISCRETE_DESELECT:
        path, name = node.split("::")
        source = (mutation.ROOT / path).read_text(encoding="utf-8")
        collected[node] = re.search(rf"^def {name}\(", source, re.MULTILINE) is not None
    assert all(collected.values()), collected


@pytest.mark.parametrize(
    ("text", "name", "count"),
    [
        ("pytest_add_cli_args = [\n]\n", "only_mutate", 0),
        ('only_mutate = ["a.py"]\npytest_add_cli_args = [\n]\n', "only_mutate", 0),
        ("only_mutate = [\n]\nonly_mutate = [\n]\npytest_add_cli_args = [\n]\n", "only_mutate", 2),
        ("only_mutate = [\n]\n", "pytest_add_cli_args", 0),
    ],
)
def test_with_only_mutate_needs_exactly_one_of_each_multiline_array(text, name, count):
    with pytest.raises(
        ValueError, match=rf"pyproject.toml has {count} multi-line `{name} = \[` arrays, not one"
    ):
        mutation.with_only_mutate(text, ["b.py"])


def test_a_sample_is_seeded_sorted_without_repeats_and_within_bounds():
    names = [f"m.f__mutmut_{i}" for i in range(50)]
    drawn = mutation.sample(names, 10, seed=3)
    assert drawn == mutation.sample(list(reversed(names)), 10, seed=3)
    assert drawn == sorted(set(drawn))
    assert len(drawn) == 10
    assert set(drawn) <= set(names)
    assert drawn != mutation.sample(names, 10, seed=4)
    assert mutation.sample(names, 50, seed=3) == sorted(names)
    for size in (0, 51):
        with pytest.raises(
            ValueError, match=rf"cannot sample {size} of 50 mutants: ask for 1 to 50"
        ):
            mutation.sample(names, size, seed=3)


@pytest.mark.parametrize(("killed", "judged"), [(0, 7), (7, 7), (3, 10), (90, 100), (1, 1)])
def test_the_binomial_interval_puts_the_observed_count_in_tails_of_2_5_percent(killed, judged):
    from scipy.stats import binom

    low, high = mutation.binomial_interval(killed, judged)
    assert 0.0 <= low <= killed / judged <= high <= 1.0
    # the bounds' defining tail probabilities, by the binomial distribution itself
    if killed > 0:
        assert binom.sf(killed - 1, judged, low) == pytest.approx(0.025, rel=1e-9)
    else:  # closed form: (1 - high)^judged = 0.025
        assert low == 0.0
        assert high == pytest.approx(1.0 - 0.025 ** (1.0 / judged), rel=1e-12)
    if killed < judged:
        assert binom.cdf(killed, judged, high) == pytest.approx(0.025, rel=1e-9)
    else:  # closed form: low^judged = 0.025
        assert high == 1.0
        assert low == pytest.approx(0.025 ** (1.0 / judged), rel=1e-12)


@pytest.mark.parametrize(("killed", "judged"), [(0, 0), (-1, 5), (6, 5)])
def test_the_binomial_interval_rejects_impossible_counts(killed, judged):
    with pytest.raises(
        ValueError,
        match=rf"a kill rate needs 0 <= killed <= judged and judged >= 1, not {killed} of {judged}",
    ):
        mutation.binomial_interval(killed, judged)


def test_the_sample_note_labels_the_estimate_as_a_sample():
    note = mutation.sample_note(10, 10, 12, 700, 0)
    assert note.startswith("a seeded random sample (seed 0) of 12 of the scope's 700 mutants: ")
    low = 100.0 * 0.025**0.1  # all 10 killed: the lower bound solves low^10 = 0.025
    assert f"10 of 10 killed, 100.0%, binomial 95% interval [{low:.1f}%, 100.0%]" in note
    assert note.endswith("(Clopper-Pearson) for the whole scope")


def test_the_sample_note_counts_timeouts_apart_when_there_are_any():
    note = mutation.sample_note(10, 12, 12, 700, 3, timeouts=4)
    first, second = note.split("\n")
    assert "10 of 12 killed, 83.3%" in first
    low, high = mutation.binomial_interval(6, 12)
    assert second == (
        f"  of them 4 timed out; counted as survivors: 6 of 12 killed outright, 50.0% "
        f"[{100 * low:.1f}%, {100 * high:.1f}%]"
    )
    assert "\n" not in mutation.sample_note(10, 12, 12, 700, 3)  # no timeouts, one line
    with pytest.raises(ValueError, match=r"the timeouts are among the killed: 0 <= 11 <= 10"):
        mutation.sample_note(10, 12, 12, 700, 3, timeouts=11)


def test_the_timeout_multiplier_is_written_into_mutmuts_section_only():
    text = (mutation.ROOT / "pyproject.toml").read_text(encoding="utf-8")
    changed = mutation.with_timeout_multiplier(text, 40)
    assert tomllib.loads(changed)["tool"]["mutmut"]["timeout_multiplier"] == 40.0
    assert changed.replace("timeout_multiplier = 40.0\n", "", 1) == text


@pytest.mark.parametrize(
    ("text", "multiplier", "message"),
    [
        (
            "[tool.mutmut]\nx = 1\n",
            0.0,
            "timeout multiplier must be a finite number above 0, not 0.0",
        ),
        ("[tool.mutmut]\n", float("inf"), "must be a finite number above 0, not inf"),
        ("[tool.other]\n", 2.0, "pyproject.toml has 0 [tool.mutmut] sections"),
        ("[tool.mutmut]\ntimeout_multiplier = 3\n", 2.0, "or a timeout_multiplier already"),
    ],
)
def test_the_timeout_multiplier_refuses_what_it_cannot_set(text, multiplier, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        mutation.with_timeout_multiplier(text, multiplier)


def test_the_run_passes_the_timeout_multiplier_to_mutmut(fake_root, monkeypatch):
    for name in ("divergences", "proofs"):
        (fake_root / name).mkdir()
    (fake_root / "conftest.py").write_text("")
    seen = {}

    def fake_mutmut(command, cwd, env):
        seen.update(tomllib.loads((Path(cwd) / "pyproject.toml").read_text())["tool"]["mutmut"])
        return 2

    monkeypatch.setattr(mutation.subprocess, "call", fake_mutmut)
    assert mutation.main(["--timeout-multiplier", "45"]) == 2
    assert seen["timeout_multiplier"] == 45.0


@pytest.mark.parametrize("value", ["0", "-1", "nan"])
def test_a_timeout_multiplier_not_above_zero_is_a_usage_error(fake_root, capsys, value):
    with pytest.raises(SystemExit):
        mutation.main(["--timeout-multiplier", value])
    assert f"--timeout-multiplier must be a finite number above 0, not {float(value)}" in (
        capsys.readouterr().err
    )


def test_sample_and_named_mutants_exclude_each_other(fake_root, capsys):
    with pytest.raises(SystemExit):
        mutation.main(
            ["--scope", "discrete", "--sample", "5", "divergences.discrete.x_f__mutmut_1"]
        )
    assert "--sample draws the mutants to run; do not name mutants with it" in (
        capsys.readouterr().err
    )


def test_a_sample_larger_than_the_scope_is_a_usage_error(fake_root, monkeypatch, capsys):
    for name in ("divergences", "proofs"):
        (fake_root / name).mkdir()
    (fake_root / "conftest.py").write_text("")
    monkeypatch.setattr(mutation, "generate", lambda target, files: ["m.f__mutmut_1"])
    with pytest.raises(SystemExit):
        mutation.main(["--scope", "discrete", "--sample", "2"])
    assert "cannot sample 2 of 1 mutants: ask for 1 to 1" in capsys.readouterr().err


def test_the_discrete_scope_stages_its_own_copy_and_runs_the_sample(fake_root, monkeypatch):
    for name in ("divergences", "proofs"):
        (fake_root / name).mkdir()
    (fake_root / "conftest.py").write_text("")
    names = [f"divergences.discrete.x_f__mutmut_{i}" for i in range(1, 9)]
    monkeypatch.setattr(mutation, "generate", lambda target, files: names)
    calls = []
    monkeypatch.setattr(
        mutation.subprocess, "call", lambda command, cwd, env: calls.append((command, cwd)) or 2
    )
    assert mutation.main(["--scope", "discrete", "--sample", "3", "--seed", "1"]) == 2
    ((command, cwd),) = calls
    assert cwd == fake_root / "mutation-run-discrete"
    assert command[-3:] == mutation.sample(names, 3, seed=1)
    staged = tomllib.loads((cwd / "pyproject.toml").read_text())["tool"]["mutmut"]
    assert staged["only_mutate"] == list(mutation.DISCRETE_FILES)
    for node in mutation.DISCRETE_DESELECT:
        assert f"--deselect={node}" in staged["pytest_add_cli_args"]
    recorded = json.loads((cwd / mutation.SAMPLE_FILE).read_text())
    assert recorded == {"seed": 1, "population": 8, "mutants": command[-3:]}
    assert not (fake_root / mutation.STAGE).exists()


def test_generating_mutants_that_fails_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(mutation.subprocess, "call", lambda *a, **k: 1)
    with pytest.raises(RuntimeError, match=r"generating the mutants of a.py, b.py exited with 1"):
        mutation.generate(tmp_path, ["a.py", "b.py"])


def test_generate_lists_the_mutants_mutmut_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(mutation.subprocess, "call", lambda *a, **k: 0)
    _meta(tmp_path, {"m.f__mutmut_2": None, "m.f__mutmut_1": None})
    assert mutation.generate(tmp_path, ["a.py"]) == ["m.f__mutmut_1", "m.f__mutmut_2"]


def test_the_tests_run_of_the_discrete_scope_disables_the_jit(tmp_path, monkeypatch):
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    (tmp_path / "tests").mkdir()
    (tmp_path / "run" / "mutants").mkdir(parents=True)
    seen = []
    monkeypatch.setattr(
        mutation.subprocess, "call", lambda command, **k: seen.append((command, k["env"])) or 1
    )
    name = "divergences._kernels.primitives.x__kl_term__mutmut_1"
    assert mutation.run_tests_on(tmp_path / "run", [name], plain_python=True) == {name: True}
    assert mutation.run_tests_on(tmp_path / "run", [name]) == {name: True}
    (plain, plain_env), (_jit, jit_env) = seen
    assert plain_env["NUMBA_DISABLE_JIT"] == "1"
    assert "NUMBA_DISABLE_JIT" not in jit_env
    assert "tests/test_discrete.py" in plain
    assert "ignore::RuntimeWarning" in plain


def test_each_scope_argues_only_about_its_own_modules():
    modules = {path.removesuffix(".py").replace("/", ".") for path in mutation.DISCRETE_FILES}
    for name in mutation.EQUIVALENT_DISCRETE:
        assert name.rsplit(".", 1)[0] in modules, name
    assert not set(mutation.EQUIVALENT) & set(mutation.EQUIVALENT_DISCRETE)
    for name in mutation.EQUIVALENT:
        assert name.rsplit(".", 1)[0] not in modules, name


# --scope estimators: the sample estimators' Python code, the kernels compiled


def test_the_estimators_scope_mutates_existing_plain_python_files_with_their_own_stage():
    for path in mutation.ESTIMATOR_FILES:
        source = (mutation.ROOT / path).read_text(encoding="utf-8")
        # no numba kernel among them: the scope keeps the JIT on and strips nothing
        assert not re.search(r"^\s*@njit\b", source, re.MULTILINE), path
        module = path.removesuffix(".py").replace("/", ".")
        assert all((mutation.ROOT / f).is_file() for f in mutation.TESTS_OF[module])
    assert set(mutation.STAGE_OF) == set(mutation.EQUIVALENT_OF)
    assert (
        set(mutation.FILES_OF) == set(mutation.DESELECT_OF) == set(mutation.STAGE_OF) - {"default"}
    )
    assert len(set(mutation.STAGE_OF.values())) == len(mutation.STAGE_OF)
    default = tomllib.loads((mutation.ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    scopes = [set(default["only_mutate"]), *(set(files) for files in mutation.FILES_OF.values())]
    assert sum(len(files) for files in scopes) == len(set().union(*scopes))
    ignored = (mutation.ROOT / ".gitignore").read_text().splitlines()
    assert all(f"{stage}/" in ignored for stage in mutation.STAGE_OF.values())


def test_only_the_plain_python_scopes_disable_the_jit():
    environ = {"PATH": "/bin", "PYTHONPATH": "/src", "NUMBA_DISABLE_JIT": "1"}
    for scope in mutation.STAGE_OF:
        env = mutation.run_environment(scope, environ)
        assert env["DIVERGENCES_HYPOTHESIS_PROFILE"] == "mutation"
        assert env["PATH"] == "/bin"
        assert "PYTHONPATH" not in env
        assert ("NUMBA_DISABLE_JIT" in env) is (scope in mutation.PLAIN_PYTHON_SCOPES)
        # forked mutants may not launch GNU OpenMP kernels started in their parent (SIGTERM)
        assert (env.get("NUMBA_THREADING_LAYER") == "forksafe") is (
            scope not in mutation.PLAIN_PYTHON_SCOPES
        )
    assert "estimators" not in mutation.PLAIN_PYTHON_SCOPES
    assert {"default", "discrete"} <= set(mutation.PLAIN_PYTHON_SCOPES)


FORKED_DASK = """
import os, sys
import numpy as np
import dask.array as da
x = da.from_array(np.arange(3000.0), chunks=500)
assert float(x.sum().compute()) == 4498500.0
pid = os.fork()
if pid == 0:  # a mutant's process, forked after the proofs were traced
    os._exit(0 if float(x.sum().compute()) == 4498500.0 else 1)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_a_process_forked_after_a_dask_compute_computes_in_the_run_environment():
    pytest.importorskip("dask.array")
    env = mutation.run_environment("estimators", os.environ)
    done = subprocess.run(
        [sys.executable, "-c", FORKED_DASK], env=env, timeout=120, capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()
    assert env["DASK_SCHEDULER"] == "synchronous"


DOCUMENTED = '''from x import documented


@documented
def f(a):
    """{inference}"""
    return a


@other
def g(a):
    return a


@documented
def h(a):
    return a
'''


def test_lifting_a_decorator_applies_it_at_the_end_and_keeps_the_line_numbers():
    lifted = mutation.lift_decorators(DOCUMENTED)
    lines = lifted.splitlines()
    assert lines[: DOCUMENTED.count("\n")] == [
        "# @documented (applied at the end of the module for the mutation run)"
        if line == "@documented"
        else line
        for line in DOCUMENTED.splitlines()
    ]
    assert lines[-2:] == ["f = documented(f)", "h = documented(h)"]
    assert "@other" in lifted
    namespace = {
        "documented": lambda function: setattr(function, "seen", True) or function,
        "other": lambda function: function,
    }
    exec(lifted.replace("from x import documented", ""), namespace)
    assert namespace["f"].seen
    assert namespace["h"].seen
    assert not hasattr(namespace["g"], "seen")
    assert mutation.lift_decorators(KERNEL) == KERNEL


def test_the_estimators_stage_lifts_documented_and_keeps_njit(tmp_path):
    (tmp_path / "divergences").mkdir()
    (tmp_path / "proofs").mkdir()
    (tmp_path / "divergences/e.py").write_text(DOCUMENTED)
    (tmp_path / "divergences/k.py").write_text(KERNEL)
    for name in ("conftest.py", "pyproject.toml"):
        (tmp_path / name).write_text("")
    staged = mutation.stage(tmp_path, ["divergences/*.py"], "run", plain_python=False)
    assert "\n@documented" not in (staged / "divergences/e.py").read_text()
    assert (staged / "divergences/k.py").read_text() == KERNEL


def test_the_estimators_scope_runs_the_estimators_proofs_and_leaves_out_existing_claims():
    text = (mutation.ROOT / "pyproject.toml").read_text()
    changed = mutation.with_only_mutate(
        text, mutation.ESTIMATOR_FILES, mutation.ESTIMATORS_DESELECT, mutation.ESTIMATORS_DROP
    )
    options = tomllib.loads(changed)["tool"]["mutmut"]["pytest_add_cli_args"]
    assert options.count("--ignore=proofs/test_estimators.py") == 0
    for node in mutation.ESTIMATORS_DESELECT:
        assert f"--deselect={node}" in options
        path, name = node.split("::")
        source = (mutation.ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, re.MULTILINE), node
    with pytest.raises(ValueError, match=r"has 0 lines with the option '--absent', not one"):
        mutation.with_only_mutate(text, ["x.py"], drop=("--absent",))


def test_each_scope_argues_only_about_its_own_files():
    for scope, files in mutation.FILES_OF.items():
        modules = {path.removesuffix(".py").replace("/", ".") for path in files}
        for name in mutation.EQUIVALENT_OF[scope]:
            assert name.rsplit(".", 1)[0] in modules, name


def test_the_input_check_mutants_are_listed_once_with_a_reason_and_apart_from_the_equivalent():
    for scope, listed in mutation.INPUT_CHECKS_OF.items():
        assert not set(listed) & set(mutation.EQUIVALENT_OF[scope]), scope
        for name, why in listed.items():
            assert name.startswith("divergences."), name
            assert "__mutmut_" in name, name
            assert why.strip(), name
            # judged by the module's tests/ files, as the argument-name mutants are
            assert name.rsplit(".", 1)[0] in mutation.TESTS_OF, name


ERROR_PATHS = """\
def f(x, base, seed):
    check_seed(seed)
    log_base = check_base(base)
    if x.size == 0:
        raise ValueError("x is empty")
    if x.ndim != 1:
        check_ndim(x)
    if x.size > 10:
        warnings.warn("large")
    try:
        value = compute(x)
    except KnnTies as error:
        if strict:
            raise ValueError(str(error)) from None
        message = describe(error)
        raise ValueError(message) from None
    if value < 0:
        value = 0.0
    else:
        raise_negative(value)
    if value > 1:
        note = "big"
        return note
    if value > 2:
        raise_big(value)
    return value / log_base
"""


def test_error_path_lines_are_the_raises_the_dropped_checks_and_blocks_that_end_in_a_raise():
    marked = mutation.error_path_lines(ERROR_PATHS)
    lines = ERROR_PATHS.splitlines()
    on_path = {i + 1 for i, line in enumerate(lines) if i + 1 in marked}
    expected = {
        2,  # a check whose value is dropped
        5,  # a raise (its if's test, line 4, stays: flipped, it may refuse valid input)
        7,  # a check in an if's body
        13,
        14,
        15,
        16,  # an except handler that ends in a raise, all of it
        20,  # a raise in an else branch
        25,  # a raise_* call
    }
    assert on_path == expected, sorted(on_path ^ expected)
    # kept in the mathematics: the tests of the ifs that guard refusals, a check whose value is
    # used, a warning, the computation, a block that returns
    for kept in (3, 4, 6, 8, 9, 11, 17, 18, 19, 21, 22, 23, 24, 26):
        assert kept not in marked, (kept, lines[kept - 1])


def test_a_try_body_that_ends_in_a_raise_is_not_an_error_path():
    source = (
        "def f(a):\n"
        "    try:\n"
        "        b = a + 1\n"
        "        raise KeyError(b)\n"
        "    except KeyError:\n"
        "        return 0\n"
    )
    assert mutation.error_path_lines(source) == {4}  # the raise itself, not the line before
    # a handler that raises again: the whole try body is on the way to an error
    again = source.replace("        return 0\n", "        raise ValueError('again')\n")
    assert {3, 4, 6} <= mutation.error_path_lines(again)


def test_the_error_only_helpers_are_called_on_error_paths_only():
    import ast
    import textwrap

    for helper in mutation.ERROR_ONLY_HELPERS:
        module, name = helper.rsplit(".", 1)
        source = (mutation.ROOT / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        lines = source.splitlines()
        calls = 0
        for function in ast.parse(source).body:
            if not isinstance(function, ast.FunctionDef):
                continue
            text = textwrap.dedent("\n".join(lines[function.lineno - 1 : function.end_lineno]))
            marked = mutation.error_path_lines(text)
            for node in ast.walk(function):
                called = getattr(node, "func", None)
                if isinstance(called, ast.Name) and called.id == name:
                    calls += 1
                    where = node.lineno - function.lineno + 1
                    assert where in marked, (
                        f"{helper} called off an error path: {lines[node.lineno - 1]}"
                    )
        assert calls >= 1, helper


def _write_mutmut_module(module: Path, functions: dict[str, str]) -> None:
    """A module as mutmut writes it: the functions one after another, and their line spans."""
    text, spans, line = "", {}, 1
    for key, function in functions.items():
        spans[key] = [line, line + function.count("\n") - 1]
        text += function
        line += function.count("\n")
    module.write_text(text)
    module.with_suffix(".py.spans").write_text(json.dumps({"version": 1, "spans": spans}))


def test_a_mutant_is_on_an_error_path_when_every_line_it_changes_is(tmp_path):
    module = tmp_path / "mutants" / "divergences" / "m.py"
    module.parent.mkdir(parents=True)
    original = "    if a < 0:\n        raise_negative(a)\n    return a + 1\n"
    variants = {
        "orig": original,
        "1": original.replace("a < 0", "a <= 0"),  # the refusal's test
        "2": original.replace("raise_negative(a)", "raise_negative(None)"),  # its argument
        "3": original.replace("a + 1", "a + 2"),  # the value
        "4": original.replace("a < 0", "a <= 0").replace("a + 1", "a - 1"),  # both
    }
    _write_mutmut_module(
        module, {f"x_f__mutmut_{n}": f"def x_f__mutmut_{n}(a):\n{b}" for n, b in variants.items()}
    )
    verdicts = {
        n: mutation.on_error_path(tmp_path / "mutants", f"divergences.m.x_f__mutmut_{n}")
        for n in "1234"
    }
    # the refusal's test stays in the mathematics (flipped, it may refuse valid input)
    assert verdicts == {"1": False, "2": True, "3": False, "4": False}


def test_words_only_tells_a_message_word_from_a_value():
    original = (
        "def f(n, m, level):\n"
        '    held = "it has" if level is None else "each replicate keeps"\n'
        '    kept, label = n, "x"\n'
        '    need = f"more than {2 * n} points ({held} {m})"\n'
        "    orders = ensemble_orders(n, m, need)\n"
        "    return _js_value(orders, n, smaller=label) + n\n"
    )
    names = ("held", "label", "need")
    words = {
        "a message's text": original.replace('"it has"', '"IT HAS"'),
        "a message's number": original.replace("{2 * n}", "{3 * n}"),
        "a word of a tuple assignment": original.replace('n, "x"', 'n, "y"'),
        "the words dropped from the call": original.replace("(n, m, need)", "(n, m, )"),
        "the words replaced by None": original.replace("(n, m, need)", "(n, m, None)"),
        "a keyword's words": original.replace("smaller=label", "smaller=None"),
    }
    values = {
        "the value returned": original.replace("+ n", "- n"),
        "a value beside the words": original.replace("kept, label = n,", "kept, label = m,"),
        "the call's order": original.replace("(n, m, need)", "(n, n, need)"),
        "the words sent to another parameter": original.replace("smaller=label", "k=label"),
        # words that could raise or act when computed are not only words
        "a word divided": original.replace("{2 * n}", "{2 / n}"),
        "a word that calls": original.replace("{2 * n}", "{m.pop()}"),
        "a word that indexes": original.replace("{2 * n}", "{m[0]}"),
    }
    for what, mutant in words.items():
        assert mutation.words_only(original, mutant, names), what
    for what, mutant in values.items():
        assert not mutation.words_only(original, mutant, names), what
    assert not mutation.words_only(original, original, names)
    # without its names, a function's assignments are values
    assert not mutation.words_only(original, words["a message's text"], ())
    # a method of the same name is another function: its arguments are values
    method = original.replace("ensemble_orders(n, m, need)", "self.ensemble_orders(n, m, need)")
    dropped = method.replace("(n, m, need)", "(n, m, None)")
    assert not mutation.words_only(method, dropped, names)


def test_message_only_reads_mutmut_s_module_and_a_parameter_s_default(tmp_path):
    # mutmut names the original and each mutant apart; a message parameter's default is a word
    module = tmp_path / "mutants" / "divergences" / "m.py"
    module.parent.mkdir(parents=True)
    variants = {
        "orig": (
            "def {key}(a, *, smaller='x'):\n    if a < 0:\n"
            "        raise_negative(smaller)\n    return a + 1\n"
        ),
    }
    variants["1"] = variants["orig"].replace("smaller='x'", "smaller='XXxXX'")  # a word
    variants["2"] = variants["orig"].replace("a + 1", "a + 2")  # a value
    _write_mutmut_module(
        module,
        {
            f"x__js_value__mutmut_{n}": t.format(key=f"x__js_value__mutmut_{n}")
            for n, t in variants.items()
        },
    )
    verdicts = {
        n: mutation.message_only(tmp_path / "mutants", f"divergences.m.x__js_value__mutmut_{n}")
        for n in "12"
    }
    assert verdicts == {"1": True, "2": False}


def _function_source(module: str, name: str):
    import ast
    import textwrap

    source = (mutation.ROOT / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            text = textwrap.dedent("\n".join(lines[node.lineno - 1 : node.end_lineno]))
            return ast.parse(text).body[0], text
    raise AssertionError(f"{module}.{name} not found")


def test_message_names_are_read_only_for_an_error_message():
    # every read of a message name builds another message name, is an argument of a message
    # parameter, or lies on the way to an error: changing what it holds changes only words
    import ast

    for qualified, names in mutation.MESSAGE_NAMES.items():
        module, name = qualified.rsplit(".", 1)
        function, text = _function_source(module, name)
        refusing = mutation.error_path_lines(text)
        allowed: set[int] = set()  # ids of the Name nodes read where only words go
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and all(
                isinstance(t, ast.Name) and t.id in names for t in node.targets
            ):
                allowed |= {id(n) for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            if isinstance(node, ast.Call):
                called = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if called in mutation.MESSAGE_PARAMETERS:
                    parameter, position = mutation.MESSAGE_PARAMETERS[called]
                    words = [k.value for k in node.keywords if k.arg == parameter]
                    if position is not None and len(node.args) > position:
                        words.append(node.args[position])
                    allowed |= {id(w) for w in words}
        reads = [
            n
            for n in ast.walk(function)
            if isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load)
        ]
        assert reads, qualified
        for read in reads:
            assert id(read) in allowed or read.lineno in refusing, (
                f"{qualified}: {read.id} read for more than a message, line {read.lineno}"
            )


def test_message_parameters_are_read_only_on_the_way_to_an_error():
    import ast

    modules = {
        "ensemble_orders": "divergences._checks.multivariate",
        "_js_value": "divergences.knn",
    }
    assert set(modules) == set(mutation.MESSAGE_PARAMETERS)
    for name, (parameter, position) in mutation.MESSAGE_PARAMETERS.items():
        function, text = _function_source(modules[name], name)
        arguments = function.args
        listed = [a.arg for a in arguments.posonlyargs + arguments.args]
        if position is None:
            assert parameter in [a.arg for a in arguments.kwonlyargs], name
        else:
            assert listed.index(parameter) == position, name
        refusing = mutation.error_path_lines(text)
        reads = [
            n.lineno
            for n in ast.walk(function)
            if isinstance(n, ast.Name) and n.id == parameter and isinstance(n.ctx, ast.Load)
        ]
        assert reads, name
        assert all(line in refusing for line in reads), (name, reads, refusing)

"""``python -m proofs.mutation``: staging, the score and the error paths (mutmut is not run)."""

from __future__ import annotations

import json
import re
import shutil
import tomllib

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
        "error message; proofs/ kills 1, tests/ kills 1 of the other 2" in report
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

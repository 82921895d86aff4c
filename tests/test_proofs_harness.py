"""The proof checker's own tests: verdicts, reports, the catalogue generated from the registry."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SYNTHETIC = """
import math
import time

from hypothesis import settings, strategies as st

from divergences.claims import claim, expect, forall, tally


@claim("info.good", statement="2 + 2 = 4", source="Peano", locator="§1", check="adds",
       subject=lambda: 2 + 2, falsifiers=[("2 + 2 = 5", lambda: 5)])
def test_good(total):
    tally(3)
    expect(total() == 4, "sum", observed=total(), expected=4, repro="2 + 2")


@claim("info.violated", statement="pi is 3", source="Indiana bill", locator="1897",
       check="compares", subject=math.pi, falsifiers=[("pi is 4", 4.0)])
def test_violated(value):
    expect(value == 3.0, "pi against 3", observed=value, expected=3.0, repro="math.pi")


@claim("gan.broken", statement="x >= 0", source="nobody", locator="-", check="asserts nothing",
       subject=1.0, falsifiers=[("x < 0", -1.0)])
def test_broken(value):
    tally()


@claim("gan.crashing", statement="x is finite", source="nobody", locator="-",
       check="divides", subject=1.0, falsifiers=[("x is 0", 0.0)])
def test_crashing(value):
    expect(math.isfinite(1 / value), "finite", observed=value, expected="finite")


@claim("gan.erroring", statement="x is positive", source="nobody", locator="-",
       check="takes a log", subject=-1.0, falsifiers=[("x is 0", 0.0)])
def test_erroring(value):
    expect(math.log(value) > -1e300, "log", observed=value, expected="a number")


FIRST_CALL = {"slow": True}


@claim("info.slow-start", statement="x * x >= 0", source="nobody", locator="-",
       check="squares", subject=lambda x: x * x,
       falsifiers=[("x * x < 0", lambda x: -1.0 - x * x)])
def test_slow_start(square):
    # the first example takes 0.5 s, as a numba kernel's first call does while it compiles;
    # Hypothesis' default deadline (200 ms, no profile is loaded here) would call it a failure
    @forall(x=st.floats(-10.0, 10.0))
    @settings(max_examples=7)
    def prop(x):
        if FIRST_CALL["slow"]:
            FIRST_CALL["slow"] = False
            time.sleep(0.5)
        expect(square(x) >= 0.0, "square", observed=square(x), expected=">= 0")

    prop()


@claim("gan.later", statement="needs a trainer", source="Goodfellow", locator="Alg. 1",
       check="not yet", falsifiers=[("no", None)], xfail="needs the trainer")
def test_later(_):
    raise NotImplementedError
"""


@pytest.fixture
def run_synthetic(pytester):
    pytester.makepyfile(test_synthetic=SYNTHETIC)
    pytester.makeconftest('pytest_plugins = ["divergences.claims.plugin"]\n')
    env_path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    pytester._monkeypatch.setenv("PYTHONPATH", env_path)

    def run(*args):
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", "--proofs-progress", *args)

    return run


def test_verdicts_and_table(run_synthetic):
    result = run_synthetic()
    out = result.stdout.str()
    assert result.ret == 1
    table = {
        m.group(1): m.group(2, 3) for m in re.finditer(r"^(\S+)\s+(\S+)\s+(\S+)\s+", out, re.M)
    }
    assert table["info.good"] == ("verified", "refuted")
    assert table["info.violated"] == ("violated", "refuted")
    assert table["gan.broken"] == ("broken", "ACCEPTED")
    assert table["gan.later"] == ("expected-failure", "not")
    # the falsifier's check crashed (ZeroDivisionError): neither refuted nor accepted
    assert table["gan.crashing"] == ("broken", "ERROR")
    # a check that crashes on the true subject reached no verdict: error, not violated
    assert table["gan.erroring"] == ("error", "ERROR")
    # no deadline: a slow first call is no violation; the check's own settings are kept
    assert re.search(r"^info.slow-start\s+verified\s+refuted\s+nobody, -\s+(\d+)\s*$", out, re.M)
    # 3 examples tallied by the claim case and 3 by the falsifier case
    assert re.search(r"^info.good\s+verified\s+refuted\s+Peano, §1\s+6\s*$", out, re.M)


def test_violation_report_names_claim_source_and_reproduction(run_synthetic):
    out = run_synthetic().stdout.str()
    assert "CLAIM info.violated (Indiana bill, 1897) VIOLATED: pi is 3" in out
    assert "observed: 3.141592653589793" in out
    assert "expected: 3.0" in out
    assert "reproduce: math.pi" in out
    assert 'rerun: python -m pytest "test_synthetic.py::test_violated[claim]"' in out


def test_crash_is_reported_as_error_not_violation(run_synthetic):
    out = run_synthetic().stdout.str()
    assert (
        "CLAIM gan.erroring (nobody, -) ERROR (the check crashed before reaching a verdict): "
        "x is positive" in out
    )
    assert "ValueError: math domain error" in out
    assert "CLAIM gan.erroring (nobody, -) VIOLATED" not in out


def test_settings_below_forall_are_kept(run_synthetic):
    # the true subject alone: max_examples=7 from the check's own @settings, Hypothesis' 100
    # otherwise; the 0.5 s first example passes although no profile lifts the deadline
    out = run_synthetic("-k", "slow_start and not falsifier").stdout.str()
    assert re.search(r"^info.slow-start\s+verified\s+not run\s+nobody, -\s+7\s*$", out, re.M)


def test_broken_check_is_reported(run_synthetic):
    out = run_synthetic().stdout.str()
    assert "CLAIM gan.broken BROKEN: its check accepted the falsifier 'x < 0'" in out


def test_progress_lines(run_synthetic):
    out = run_synthetic().stdout.str()
    assert re.search(r"\[ 1/7\] ok\s+info.good\s+verified\s+falsifier refuted\s+6 examples", out)
    assert re.search(r"\] !!\s+info.violated\s+violated", out)


def test_expected_failure_is_never_a_pass(run_synthetic):
    result = run_synthetic("-k", "later")
    result.assert_outcomes(xfailed=2)


def test_claim_without_falsifier_is_refused():
    from divergences.claims import claim

    with pytest.raises(ValueError, match=r"claim x.y ships no falsifier"):
        claim("x.y", statement="", source="", locator="", check="", falsifiers=[])


def test_every_catalogue_claim_is_registered_once():
    # the catalogue is docs/claims.md, generated from the registry (the next test): each id
    # appears once there and once in the registry
    from proofs.report import load_all_claims

    page = (ROOT / "docs" / "claims.md").read_text(encoding="utf-8")
    listed = re.findall(r"^### `([a-z]+\.[a-z0-9.-]+)`$", page, re.M)
    registered = [c.id for c in load_all_claims()]
    assert len(registered) == len(set(registered))
    assert sorted(listed) == sorted(registered)


def test_the_repository_stands_alone():
    # nothing points outside the repository: the seeds are cited as public documents
    # (the pattern is split so that this file does not match itself)
    pattern = re.compile("sha" r"red/(CLAIMS|seeds)|\.\./sha" "red|/work/sha" "red")
    offenders = []
    # (build outputs are left out: CI rebuilds the site while this runs, and they are copies)
    generated = {".git", "__pycache__", "_build", "_generated", "proofs-report"}
    for path in ROOT.rglob("*"):
        if generated.intersection(path.parts) or path.relative_to(ROOT).parts[:2] == (
            "docs",
            "theory",
        ):
            continue
        if path.suffix not in {".py", ".md", ".toml", ".txt", ".cfg", ".yml", ".yaml", ".rst", ""}:
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except (FileNotFoundError, IsADirectoryError):  # a directory, or removed meanwhile
            continue
        offenders += [f"{path.relative_to(ROOT)}" for _ in pattern.finditer(text)][:1]
    assert offenders == []


def test_docs_page_is_generated_from_the_registry():
    from proofs.report import docs_page, load_all_claims

    page = (ROOT / "docs" / "claims.md").read_text(encoding="utf-8")
    assert page == docs_page(load_all_claims()) + "\n", (
        "docs/claims.md is stale: run `python -m proofs --write-docs`"
    )


def test_python_m_proofs_writes_the_report(tmp_path):
    import subprocess

    out = tmp_path / "report"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "proofs",
            "-k",
            "max_lemma or stale",
            "--out",
            str(out),
            "--no-figures",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "[ 1/2] ok" in result.stdout
    data = {c["id"]: c for c in json.loads((out / "results.json").read_text())}
    assert set(data) == {"gan.max-lemma", "gan.stale-discriminator"}
    assert data["gan.max-lemma"]["status"] == "verified"
    assert data["gan.max-lemma"]["falsifier"] == "refuted"
    assert "## gan.max-lemma — verified" in (out / "claims.md").read_text()


def test_theory_pages_show_every_claim_with_its_figure():
    from proofs.report import load_all_claims, theory_pages

    claims = load_all_claims()
    figures = {c.figure: f"figures/{c.figure}" for c in claims if c.figure}
    pages = theory_pages(claims, figures)
    sections = {c.id.split(".")[0] for c in claims}
    assert set(pages) == {"index.md"} | {f"{s}.md" for s in sections}
    for c in claims:
        page = pages[f"{c.id.split('.')[0]}.md"]
        anchor = "claim-" + c.id.replace(".", "-")
        assert f"({anchor})=\n## {c.id}\n\n{c.statement}\n" in page
        assert f"<{anchor}>" in pages["index.md"]
        assert c.check in page
        for f in c.falsifiers:
            assert f"- {f.statement}" in page
    for c in claims:
        if c.figure:
            assert "```{figure} " + figures[c.figure] in pages[f"{c.id.split('.')[0]}.md"]


def test_theory_pages_show_each_claims_status_in_a_dated_run_and_its_source():
    from proofs.report import load_all_claims, run_json, theory_pages

    claims = load_all_claims()
    first, second = claims[0], claims[1]
    results = {first.id: {"status": "verified", "falsifier": "refuted"}}
    run = json.loads(run_json(12.3))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", run["date"])
    assert run["seconds"] == 12.3
    pages = theory_pages(claims, {}, results, run)
    page = pages[f"{first.id.split('.')[0]}.md"]
    assert f"**Status.** verified (falsifier refuted), in the run of {run['date']}" in page
    other = pages[f"{second.id.split('.')[0]}.md"]
    assert "**Status.** not run for this build" in other
    path = first.module.replace(".", "/") + ".py"
    assert f"```{{literalinclude}} ../../{path}\n:pyobject: {first.function}\n" in page
    assert (ROOT / path).read_text(encoding="utf-8").count(f"def {first.function}(") == 1
    assert f"Status: the run of {run['date']}" in pages["index.md"]


def test_plugin_loads_without_importing_hypothesis():
    # the plugin is registered by an entry point in every pytest run where the package is
    # installed, also without the test extra: loading it must not need Hypothesis
    code = "import sys, divergences.claims.plugin; print('hypothesis' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_own_claim_runs_outside_the_repository(tmp_path):
    # the example of docs/own-claims.md, copied where there is no conftest.py and no proofs/:
    # the plugin comes from the installed package's entry point, no Hypothesis profile is loaded
    example = ROOT / "docs" / "examples" / "test_my_claims.py"
    (tmp_path / "test_my_claims.py").write_text(example.read_text(encoding="utf-8"), "utf-8")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "DIVERGENCES_HYPOTHESIS_PROFILE", "PYTEST_ADDOPTS"}
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--proofs-progress"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-2000:]
    assert re.search(r"\] ok\s+mixing.convexity\s+verified\s+falsifier refuted", out)
    assert re.search(r"^mixing.convexity\s+verified\s+refuted\s+Lin \(1991\)", out, re.M)


def test_audit_lists_the_assertions_no_falsifier_fails():
    from divergences.claims import harness

    def check(subject):
        harness.expect(subject(2) == 4, "doubles 2", observed=subject(2), expected=4)
        # the subject never enters this assertion: no falsifier can fail it
        harness.expect(2 * 3 == 6, "arithmetic", observed=6, expected=6)
        harness.expect(subject(0) == 0, "fixes 0", observed=subject(0), expected=0)

    found = harness.Claim(
        id="meta.audit",
        statement="f doubles",
        source="-",
        locator="-",
        check="-",
        falsifiers=(
            harness.Falsifier("f adds 2", lambda v: v + 2),
            harness.Falsifier("f squares", lambda v: v * v),
            harness.Falsifier("f crashes", lambda v: 1 / 0),
        ),
        xfail=None,
        module="m",
        function="check",
        subject=lambda v: 2 * v,
        check_fn=check,
    )
    result = harness.audit(found)
    assert result.assertions["doubles 2"] == {
        "claim": (1, 0),
        "falsifier-1": (1, 0),
        "falsifier-2": (1, 0),
    }
    # the adder fails at 0 only; with no assertion stopping it, the squarer's run reaches 0 too
    assert result.assertions["fixes 0"]["falsifier-1"] == (1, 1)
    assert result.assertions["fixes 0"]["falsifier-2"] == (1, 0)
    assert result.unreached == ["doubles 2", "arithmetic"]
    assert result.idle == ["falsifier-2"]
    assert result.errors == {"falsifier-3": "division by zero"}
    assert result.violated == []


def test_python_m_proofs_audit_reports_each_assertion_and_its_falsifiers():
    result = subprocess.run(
        [sys.executable, "-m", "proofs", "--audit", "--claim", "info.js-symmetric"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "info.js-symmetric: 1 assertion(s), 1 falsifier(s)" in result.stdout
    assert "  ok JSD not symmetric" in result.stdout
    assert "0 assertion(s) or falsifier(s) without teeth" in result.stdout


def test_audit_in_worker_processes_prints_what_one_process_prints():
    # --jobs 2 spreads the claims over two spawned processes; the lines come out in the same
    # order, with the same verdicts, as in one process (only the summary's time may differ)
    claims = ["info.js-symmetric", "gan.virtual-criterion", "gan.optimal-discriminator"]
    outputs = []
    for jobs in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-m", "proofs", "--audit", "--jobs", jobs, "--claim", *claims],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        *lines, summary = result.stdout.strip().splitlines()
        assert "3 claim(s) audited in" in summary
        assert f"({jobs} process(es)); 0 assertion(s) or falsifier(s) without teeth" in summary
        outputs.append(lines)
    assert outputs[0] == outputs[1]
    assert [line.split(":")[0] for line in outputs[1] if not line.startswith(" ")] == claims


def test_every_claim_of_the_repository_has_teeth():
    # the gate: every assertion of every claim is failed by at least one falsifier, every
    # falsifier fails at least one assertion, none crashes, and no true subject violates its
    # check (python -m proofs --audit, one worker process per CPU: ~3 minutes on 2 cores)
    # (Hypothesis' derandomised profile: the gate gives the same verdict on every run)
    result = subprocess.run(
        [sys.executable, "-m", "proofs", "--audit"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"DIVERGENCES_HYPOTHESIS_PROFILE": "ci"},
    )
    untoothed = [line for line in result.stdout.splitlines() if line.startswith(("  --", "  !!"))]
    assert result.returncode == 0, "\n".join(untoothed) or result.stdout + result.stderr
    assert untoothed == []
    assert " 0 assertion(s) or falsifier(s) without teeth" in result.stdout

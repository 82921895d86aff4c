"""Measure scipy, dit, ``divergence`` and infomeasure on the inputs that break them.

``python docs/compare.py`` runs every case below on each library that imports, and writes
``docs/comparison-table.md``, which ``docs/comparison.md`` includes. A library that is not
installed gets "not installed" in its column; none of its behaviour is guessed. Install the peers
with ``pip install dit divergence infomeasure`` (they are not dependencies of this project).

Every value is in nats (dit's bits are multiplied by log 2; scipy's ``jensenshannon`` returns the
Jensen-Shannon *distance*, which is squared). A cell is the value returned, or the exception
raised; "+ warning" marks a call that also emitted a warning.

``python docs/compare.py --check`` recomputes the ``divergences`` column alone and fails if the
committed table no longer says what the library does (the test suite runs this).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import logging
import math
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import divergences as dv

TABLE = Path(__file__).resolve().parent / "comparison-table.md"
LOG2 = math.log(2.0)

# --- inputs ------------------------------------------------------------------------------------

NEAR_P = [0.01, 0.99]
NEAR_Q = [0.01 + 1e-16, 0.99 - 1e-16]
SUB_P = [1.0, 5e-324]
SUB_Q = [1.0, 0.0]
P4 = np.array([0.1, 0.4, 0.5, 0.0])
Q4 = np.array([0.3, 0.3, 0.2, 0.2])


def _samples() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    out = {
        "x_big": rng.choice(4, size=100_000, p=P4),
        "y_small": rng.choice(4, size=1_000, p=Q4),
        "x_eq": rng.choice(4, size=10_000, p=P4),
        "y_eq": rng.choice(4, size=10_000, p=Q4),
        "g1": rng.normal(0.0, 1.0, 10_000),
        "g2": rng.normal(0.5, 1.2, 5_000),
    }
    x_nan = out["x_eq"].astype(float)
    x_nan[0] = np.nan
    out["x_nan"] = x_nan
    return out


S = _samples()
SYMBOLS = np.arange(-0.5, 4.5)  # integer bins 0..3 for the discrete samples
JS_NORMAL = float(dv.reference.js_normal(0.0, 1.0, 0.5, 1.2))


@dataclass(frozen=True)
class Case:
    """One input, what a correct answer is, and each library's call on it."""

    name: str
    expected: str
    calls: dict[str, Callable[[], Any]]


# --- adapters: each library's own API, used as its documentation says ----------------------------


def _scipy_js(p: Any, q: Any) -> float:
    from scipy.spatial.distance import jensenshannon

    return float(jensenshannon(p, q)) ** 2


def _scipy_kl(p: Any, q: Any) -> float:
    from scipy.stats import entropy

    return float(entropy(p, q))


def _dit_dist(p: Any) -> Any:
    import dit

    return dit.Distribution([(i,) for i in range(len(p))], list(p))


def _dit_js(p: Any, q: Any) -> float:
    from dit.divergences import jensen_shannon_divergence

    return float(jensen_shannon_divergence([_dit_dist(p), _dit_dist(q)])) * LOG2


def _dit_kl(p: Any, q: Any) -> float:
    from dit.divergences import kullback_leibler_divergence

    return float(kullback_leibler_divergence(_dit_dist(p), _dit_dist(q))) * LOG2


def _dg(name: str, *args: Any) -> float:
    import divergence

    return float(getattr(divergence, name)(*args))


def _im(name: str, *args: Any, **kwargs: Any) -> float:
    import infomeasure

    return float(getattr(infomeasure, name)(*args, **kwargs))


def _dv_js(p: Any, q: Any) -> float:
    return float(dv.js_divergence(p, q))


def _dv_kl(p: Any, q: Any) -> float:
    return float(dv.kl_divergence(p, q))


VECTOR_CASES = [
    Case(
        "JSD of nearly equal vectors (0.01, 0.99) and (0.01 + 1e-16, 0.99 - 1e-16) "
        "(scipy gh-20083, gh-20779)",
        "≥ 0, about 1e-30",
        {
            "scipy": lambda: _scipy_js(NEAR_P, NEAR_Q),
            "dit": lambda: _dit_js(NEAR_P, NEAR_Q),
            "divergences": lambda: _dv_js(NEAR_P, NEAR_Q),
        },
    ),
    Case(
        "JSD of (1, 5e-324) and (1, 0): a subnormal entry (scipy gh-19436)",
        "≥ 0, about 1e-324",
        {
            "scipy": lambda: _scipy_js(SUB_P, SUB_Q),
            "dit": lambda: _dit_js(SUB_P, SUB_Q),
            "divergences": lambda: _dv_js(SUB_P, SUB_Q),
        },
    ),
    Case(
        "JSD of (1, 2, 3) and (3, 2, 1): not probability vectors (scipy gh-12553)",
        "an error, or 0.0872 if normalising is asked for",
        {
            "scipy": lambda: _scipy_js([1, 2, 3], [3, 2, 1]),
            "dit": lambda: _dit_js([1, 2, 3], [3, 2, 1]),
            "divergences": lambda: _dv_js([1, 2, 3], [3, 2, 1]),
        },
    ),
    Case(
        "JSD of two empty vectors",
        "an error",
        {
            "scipy": lambda: _scipy_js([], []),
            "dit": lambda: _dit_js([], []),
            "divergences": lambda: _dv_js([], []),
        },
    ),
    Case(
        "JSD of (-0.1, 1.1) and (0.5, 0.5): a negative entry",
        "an error",
        {
            "scipy": lambda: _scipy_js([-0.1, 1.1], [0.5, 0.5]),
            "dit": lambda: _dit_js([-0.1, 1.1], [0.5, 0.5]),
            "divergences": lambda: _dv_js([-0.1, 1.1], [0.5, 0.5]),
        },
    ),
    Case(
        "JSD of (NaN, 1) and (0.5, 0.5)",
        "an error",
        {
            "scipy": lambda: _scipy_js([math.nan, 1.0], [0.5, 0.5]),
            "dit": lambda: _dit_js([math.nan, 1.0], [0.5, 0.5]),
            "divergences": lambda: _dv_js([math.nan, 1.0], [0.5, 0.5]),
        },
    ),
    Case(
        "JSD of (1, 0) and (0, 1): disjoint supports",
        "log 2 = 0.693147",
        {
            "scipy": lambda: _scipy_js([1, 0], [0, 1]),
            "dit": lambda: _dit_js([1, 0], [0, 1]),
            "divergences": lambda: _dv_js([1, 0], [0, 1]),
        },
    ),
    Case(
        "KL((0.5, 0.5) ‖ (1, 0)): P has mass where Q has none",
        "inf",
        {
            "scipy": lambda: _scipy_kl([0.5, 0.5], [1, 0]),
            "dit": lambda: _dit_kl([0.5, 0.5], [1, 0]),
            "divergences": lambda: _dv_kl([0.5, 0.5], [1, 0]),
        },
    ),
]

SAMPLE_CASES = [
    Case(
        "JSD from discrete samples of unequal sizes: x ~ P (n = 100,000), y ~ Q (n = 1,000), "
        "P = (0.1, 0.4, 0.5, 0), Q = (0.3, 0.3, 0.2, 0.2)",
        f"near JSD(P, Q) = {float(dv.js_divergence(P4, Q4)):.4f} (sampling error ~0.01)",
        {
            "divergence": lambda: _dg(
                "discrete_jensen_shannon_divergence", S["x_big"], S["y_small"]
            ),
            "infomeasure": lambda: _im("jsd", S["x_big"], S["y_small"], approach="discrete"),
            "divergences": lambda: dv.js_from_samples(S["x_big"], S["y_small"], bins=SYMBOLS).value,
        },
    ),
    Case(
        "the same with equal sizes (n = 10,000 each)",
        f"near {float(dv.js_divergence(P4, Q4)):.4f}",
        {
            "divergence": lambda: _dg("discrete_jensen_shannon_divergence", S["x_eq"], S["y_eq"]),
            "infomeasure": lambda: _im("jsd", S["x_eq"], S["y_eq"], approach="discrete"),
            "divergences": lambda: dv.js_from_samples(S["x_eq"], S["y_eq"], bins=SYMBOLS).value,
        },
    ),
    Case(
        "KL(Q ‖ P) from those samples: y has values that x never takes",
        "inf (no finite value is right)",
        {
            "divergence": lambda: _dg("discrete_relative_entropy", S["y_eq"], S["x_eq"]),
            "infomeasure": lambda: _im("kld", S["y_eq"], S["x_eq"], approach="discrete"),
            "divergences": lambda: dv.kl_from_samples(S["y_eq"], S["x_eq"], bins=SYMBOLS).value,
        },
    ),
    Case(
        "JSD from two empty samples",
        "an error",
        {
            "divergence": lambda: _dg(
                "discrete_jensen_shannon_divergence", np.array([]), np.array([])
            ),
            "infomeasure": lambda: _im("jsd", np.array([]), np.array([]), approach="discrete"),
            "divergences": lambda: dv.js_from_samples(np.array([]), np.array([])).value,
        },
    ),
    Case(
        "JSD from discrete samples with one NaN in x",
        "an error (or NaN dropped when asked for)",
        {
            "divergence": lambda: _dg(
                "discrete_jensen_shannon_divergence", S["x_nan"], S["y_eq"].astype(float)
            ),
            "infomeasure": lambda: _im(
                "jsd", S["x_nan"], S["y_eq"].astype(float), approach="discrete"
            ),
            "divergences": lambda: dv.js_from_samples(S["x_nan"], S["y_eq"], bins=SYMBOLS).value,
        },
    ),
    Case(
        "JSD from continuous samples, N(0, 1) (n = 10,000) and N(0.5, 1.2²) (n = 5,000), "
        "with the discrete (plug-in) estimator",
        f"near JSD = {JS_NORMAL:.4f} (quadrature), ≤ log 2 = 0.6931",
        {
            "divergence": lambda: _dg("discrete_jensen_shannon_divergence", S["g1"], S["g2"]),
            "infomeasure": lambda: _im("jsd", S["g1"], S["g2"], approach="discrete"),
            "divergences": lambda: dv.js_from_samples(S["g1"], S["g2"]).value,
        },
    ),
    Case(
        "the same samples with each library's continuous estimator: divergence's KDE "
        "(`jensen_shannon_divergence_from_samples`), infomeasure's Gaussian kernel "
        "(bandwidth 0.3), divergences' histogram (`bins='auto'`)",
        f"near {JS_NORMAL:.4f}",
        {
            "divergence": lambda: _dg("jensen_shannon_divergence_from_samples", S["g1"], S["g2"]),
            "infomeasure": lambda: _im(
                "jsd", S["g1"], S["g2"], approach="kernel", bandwidth=0.3, kernel="gaussian"
            ),
            "divergences": lambda: dv.js_from_samples(S["g1"], S["g2"]).value,
        },
    ),
]

VECTOR_LIBRARIES = {"scipy": "scipy", "dit": "dit", "divergences": "divergences"}
SAMPLE_LIBRARIES = {
    "divergence": "divergence",
    "infomeasure": "infomeasure",
    "divergences": "divergences",
}


def _installed(module: str) -> str | None:
    """The installed version of a library, or None if it does not import."""
    try:
        importlib.import_module(module)
    except ImportError:
        return None
    try:
        return importlib.metadata.version(module)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "?"


def measure(call: Callable[[], Any]) -> str:
    """The cell for one call: its value (6 significant digits) or the exception it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = float(call())
        except Exception as exc:  # every failure is a result here
            message = str(exc).splitlines()[0] if str(exc) else ""
            if len(message) > 80:
                message = message[:80].rsplit(" ", 1)[0] + " …"
            return f"{type(exc).__name__}: {message}".replace("|", "\\|")
    cell = f"{value:.6g}"
    if caught:
        cell += " + warning"
    return cell


def table(cases: list[Case], libraries: dict[str, str], only: str | None = None) -> list[list[str]]:
    """Rows: the case, what is expected, then one cell per library."""
    versions = {
        name: _installed(module)
        for name, module in libraries.items()
        if only is None or name == only
    }
    rows = []
    for case in cases:
        row = [case.name, case.expected]
        for name in libraries:
            if only is not None and name != only:
                row.append("")
            elif versions[name] is None:
                row.append("not installed")
            else:
                row.append(measure(case.calls[name]))
        rows.append(row)
    return rows


def _markdown(rows: list[list[str]], libraries: dict[str, str]) -> list[str]:
    header = ["input", "a correct answer", *libraries]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render() -> str:
    """The whole generated table page."""
    libraries = {**VECTOR_LIBRARIES, **SAMPLE_LIBRARIES}
    versions = ", ".join(
        f"{name} {_installed(module) or 'not installed'}" for name, module in libraries.items()
    )
    lines = [
        "<!-- generated by `python docs/compare.py`; do not edit by hand -->",
        "",
        f"Measured with {versions}, numpy {np.__version__}. All values in nats.",
        "",
        "**Probability vectors.**",
        "",
        *_markdown(table(VECTOR_CASES, VECTOR_LIBRARIES), VECTOR_LIBRARIES),
        "",
        "**Samples.**",
        "",
        *_markdown(table(SAMPLE_CASES, SAMPLE_LIBRARIES), SAMPLE_LIBRARIES),
        "",
    ]
    return "\n".join(lines)


def check() -> list[str]:
    """Differences between the committed table's ``divergences`` column and the library now."""
    text = TABLE.read_text(encoding="utf-8")
    problems = []
    for cases, libraries in ((VECTOR_CASES, VECTOR_LIBRARIES), (SAMPLE_CASES, SAMPLE_LIBRARIES)):
        column = list(libraries).index("divergences") + 2
        for row in table(cases, libraries, only="divergences"):
            committed = [
                line for line in text.splitlines() if line.startswith(f"| {row[0]} | {row[1]} |")
            ]
            if not committed:
                problems.append(f"row missing from {TABLE.name}: {row[0]}")
                continue
            cells = [c.strip() for c in committed[0].strip("|").split(" | ")]
            if cells[column] != row[column]:
                problems.append(f"{row[0]}: table says {cells[column]!r}, now {row[column]!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Write the table, or with ``--check`` compare its ``divergences`` column; exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # infomeasure logs a warning per float array
    if args.check:
        problems = check()
        print("\n".join(problems) or f"{TABLE.name}: the divergences column is current")
        return 1 if problems else 0
    TABLE.write_text(render(), encoding="utf-8")
    print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

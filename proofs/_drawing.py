"""What every figure of the proof report shares: a headless pyplot, and how a figure is finished."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from divergences.plotting import save


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (the report is drawn headless)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def finish(fig: Any, path: Path, ncols: int = 2) -> None:
    """One legend below the axes, the PNG + SVG pair written, the figure closed."""
    fig.legend(loc="outside lower center", ncols=ncols)
    save(fig, path)
    pyplot().close(fig)


# The marks of the figures that set the library's answer beside the check's own route and the
# falsifiers the check rejects: a dot, a hollow square, a cross.


def route_square(ax: Any, at: Any, values: Any, label: str | None) -> None:
    """The check's own route: a hollow black square."""
    ax.plot(at, values, "s", mfc="none", ms=9, color="black", label=label)


def library_dot(ax: Any, at: Any, values: Any, label: str | None, color: str = "tab:blue") -> None:
    """The library's answer: a filled dot."""
    ax.plot(at, values, "o", color=color, label=label)


def falsifier_cross(
    ax: Any, at: Any, values: Any, label: str | None, color: str = "tab:red"
) -> None:
    """A falsifier's answer: a cross."""
    ax.plot(at, values, "x", ms=8, mew=1.8, color=color, label=label)

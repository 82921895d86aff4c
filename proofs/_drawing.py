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

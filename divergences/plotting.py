"""The project's figure style and how every figure is written: PNG at 200 dpi beside a vector SVG.

The trainer's figures, the proof report's and the benchmarks' are all drawn inside
:func:`styled` (the style file ``divergences/figures.mplstyle``, shipped with the package) and
written with :func:`save`; research code can do the same for figures that should match.

>>> import os, tempfile
>>> from divergences import plotting
>>> with plotting.styled():
...     from matplotlib.figure import Figure
...     fig = Figure(figsize=(3, 2))
...     ax = fig.add_subplot()
...     _ = ax.plot([0, 1], [0, 1], label="y = x")
...     _ = ax.set(xlabel="x (nats)", ylabel="y (nats)")
...     written = plotting.save(fig, os.path.join(tempfile.mkdtemp(), "line.png"))
>>> sorted(p.suffix for p in written)
['.png', '.svg']
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["PNG_DPI", "STYLE", "in_style", "save", "styled"]

#: The style file: sizes, frame, colour-blind-safe colours, output settings.
STYLE = Path(__file__).with_name("figures.mplstyle")
#: Resolution of every PNG the project writes.
PNG_DPI = 200


@contextlib.contextmanager
def styled() -> Iterator[None]:
    """Draw (and save) inside the project's style; matplotlib's own settings are restored after."""
    import matplotlib

    with matplotlib.rc_context(fname=str(STYLE)):
        yield


def in_style(function: F) -> F:
    """Decorator: ``function`` draws its figure inside :func:`styled`."""

    @functools.wraps(function)
    def drawn(*args: Any, **kwargs: Any) -> Any:
        with styled():
            return function(*args, **kwargs)

    return drawn  # type: ignore[return-value]


def save(figure: Any, path: str | os.PathLike[str]) -> list[Path]:
    """Write ``figure`` as ``path`` and as a vector file beside it; return the paths written.

    A ``.png`` path gets a ``.svg`` of the same name (text kept as text); an ``.svg`` or
    ``.pdf`` path gets a ``.png`` at :data:`PNG_DPI`. Parent directories must exist.
    """
    import matplotlib

    path = Path(path)
    partner = path.with_suffix(".svg" if path.suffix.lower() == ".png" else ".png")
    written = []
    with matplotlib.rc_context(fname=str(STYLE)):
        for target in (path, partner):
            figure.savefig(target, dpi=PNG_DPI)
            written.append(target)
    return written
